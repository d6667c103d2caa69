/*
 * test-admission.c - the admission plugin flags: upstream's names, defaults, unknown and
 * overlapping names.
 */
#include "test.h"
#include "buf.h"
#include "server/server.h"

TEST_IMPL(admission_plugins_defaults)
{
	struct buf err = BUF_INIT;
	unsigned off = ~0u;
	ASSERT_EQ(admission_plugins(NULL, NULL, &off, &err), 0);
	ASSERT_EQ(off, 0);
	ASSERT_EQ(admission_plugins("", "", &off, &err), 0);
	ASSERT_EQ(off, 0);
	ASSERT_EQ(err.len, 0);
	buf_release(&err);
	return 0;
}

TEST_IMPL(admission_plugins_test_cmd)
{
	/* what upstream's test-cmd.sh gives kube-apiserver */
	struct buf err = BUF_INIT;
	unsigned off = 0;
	ASSERT_EQ(admission_plugins("LimitRanger,ResourceQuota",
				    "ServiceAccount,PersistentVolumeLabel,DefaultStorageClass,DefaultTolerationSeconds,"
				    "MutatingAdmissionWebhook,ValidatingAdmissionWebhook,StorageObjectInUseProtection",
				    &off, &err),
		  0);
	ASSERT_EQ(off, ADM_SERVICE_ACCOUNT | ADM_DEFAULT_TOLERATION_SECONDS | ADM_DEFAULT_STORAGE_CLASS |
			       ADM_STORAGE_IN_USE_PROTECTION);
	ASSERT_EQ(admission_plugins(" Priority , NamespaceLifecycle,", "", &off, &err), 0);
	ASSERT_EQ(off, 0);
	ASSERT_EQ(admission_plugins(NULL, "NamespaceLifecycle,Priority", &off, &err), 0);
	ASSERT_EQ(off, ADM_NAMESPACE_LIFECYCLE | ADM_PRIORITY);
	ASSERT_EQ(err.len, 0);
	buf_release(&err);
	return 0;
}

TEST_IMPL(admission_plugins_errors)
{
	struct buf err = BUF_INIT;
	unsigned off = 0;
	ASSERT_EQ(admission_plugins("Priority,NoSuch", "serviceaccount,Priority,AlwaysDeny", &off, &err), -1);
	ASSERT_STR(buf_str(&err), "enable-admission-plugins plugin \"NoSuch\" is unknown\n"
				  "disable-admission-plugins plugin \"serviceaccount\" is unknown\n"
				  "[Priority] in enable-admission-plugins and disable-admission-plugins overlapped\n");
	buf_release(&err);
	return 0;
}
