/* Unit tests for the storage kinds' pure logic (server/validate_storage.c, table_storage.c):
 * defaults, validation messages and printer cells compared with what upstream v1.33 stores,
 * answers and prints. */
#include "test.h"
#include "field-errors.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/internal.h"
#include "server/kinds.h"

/* Parses JSON written with ' for " (test fixtures only). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	return j;
}

/* The cells the kind's printer makes for obj, as compact JSON. Caller frees. */
static char *row(const char *group, const char *kind, const cJSON *obj)
{
	registry_init();
	const struct kind *k = kind_by_gvk(group, "v1", kind);
	cJSON *cells = cJSON_CreateArray();
	k->row(obj, cells, 0);
	char *s = cJSON_PrintUnformatted(cells);
	cJSON_Delete(cells);
	return s;
}

TEST_IMPL(storage_pv_defaults_and_validation)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *pv = js("{'spec':{'capacity':{'storage':'1024Mi'},'accessModes':['ReadWriteOnce'],"
		       "'hostPath':{'path':'/d'}},'status':{}}");
	defaults_pv(pv);
	ASSERT_STR(json_strv(pv, "spec", "persistentVolumeReclaimPolicy", NULL), "Retain");
	ASSERT_STR(json_strv(pv, "spec", "volumeMode", NULL), "Filesystem");
	ASSERT_STR(json_strv(pv, "spec", "capacity", "storage", NULL), "1Gi");
	ASSERT_STR(json_strv(pv, "spec", "hostPath", "type", NULL), "");
	ASSERT_STR(json_strv(pv, "status", "phase", NULL), "Pending");
	validate_pv(pv, NULL, &errs);
	ASSERT_EQ(errs.n, 0);
	cJSON_Delete(pv);
	pv = js("{'spec':{'capacity':{'storage':'0'},'accessModes':['Sometimes'],'nfs':{},'hostPath':{'path':'/'},"
		"'persistentVolumeReclaimPolicy':'Keep'}}");
	validate_pv(pv, NULL, &errs);
	char *got = errs_str(&errs);
	ASSERT_STR(got, "spec.accessModes: Unsupported value: \"Sometimes\": supported values: \"ReadOnlyMany\", "
			"\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"\n"
			"spec.capacity[storage]: Invalid value: \"0\": must be greater than zero\n"
			"spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", "
			"\"Recycle\", \"Retain\"\n"
			"spec.nfs: Forbidden: may not specify more than 1 volume type\n");
	free(got);
	field_errors_release(&errs);
	cJSON_Delete(pv);
	return 0;
}

TEST_IMPL(storage_limitrange_defaults)
{
	cJSON *lr = js("{'spec':{'limits':[{'type':'Container','max':{'cpu':'2','memory':'1Gi'},'min':{'cpu':'0.1'},"
		       "'default':{'cpu':'500m'}},{'type':'Pod','max':{'cpu':'4'}}]}}");
	struct field_errors errs = FIELD_ERRORS_INIT;
	defaults_limitrange(lr);
	char *d = cJSON_PrintUnformatted(json_getv(lr, "spec", "limits", NULL));
	ASSERT_STR(d, "[{\"type\":\"Container\",\"max\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},\"min\":{\"cpu\":\"100m\"},"
		      "\"default\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"},\"defaultRequest\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"}},"
		      "{\"type\":\"Pod\",\"max\":{\"cpu\":\"4\"}}]");
	free(d);
	validate_limitrange(lr, NULL, &errs);
	ASSERT_EQ(errs.n, 0);
	cJSON_Delete(lr);
	lr = js("{'spec':{'limits':[{'type':'Container','max':{'cpu':'1'},'min':{'cpu':'2'}}]}}");
	validate_limitrange(lr, NULL, &errs);
	char *got = errs_str(&errs);
	ASSERT_STR(got, "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1\n");
	free(got);
	field_errors_release(&errs);
	cJSON_Delete(lr);
	return 0;
}

TEST_IMPL(storage_printers)
{
	cJSON *pv = js("{'metadata':{'name':'v'},'spec':{'capacity':{'storage':'5Gi'},"
		       "'accessModes':['ReadWriteMany','ReadWriteOnce'],'persistentVolumeReclaimPolicy':'Retain',"
		       "'claimRef':{'namespace':'ns','name':'c'},'storageClassName':'slow'},'status':{'phase':'Bound'}}");
	char *r = row("", "PersistentVolume", pv);
	ASSERT_STR(r, "[\"v\",\"5Gi\",\"RWO,RWX\",\"Retain\",\"Bound\",\"ns/c\",\"slow\",\"<unset>\",\"\",\"<unknown>\",\"<unset>\"]");
	free(r);
	cJSON *sc = js("{'metadata':{'name':'fast','annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},"
		       "'provisioner':'x.io/p','allowVolumeExpansion':true}");
	r = row("storage.k8s.io", "StorageClass", sc);
	ASSERT_STR(r, "[\"fast (default)\",\"x.io/p\",\"Delete\",\"Immediate\",\"true\",\"<unknown>\"]");
	free(r);
	cJSON *q = js("{'metadata':{'name':'q'},'status':{'hard':{'pods':'2','limits.cpu':'1','configmaps':'3'},"
		      "'used':{'pods':'1','limits.cpu':'500m'}}}");
	r = row("", "ResourceQuota", q);
	ASSERT_STR(r, "[\"q\",\"<unknown>\",\"configmaps: 0/3, pods: 1/2\",\"limits.cpu: 500m/1\"]");
	free(r);
	cJSON_Delete(pv);
	cJSON_Delete(sc);
	cJSON_Delete(q);
	return 0;
}
