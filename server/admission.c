/*
 * admission.c - the built-in mutating admission of new objects, as upstream's default plugins:
 *   - ServiceAccount: a pod without spec.serviceAccountName runs as "default";
 *   - DefaultTolerationSeconds: a pod tolerates node.kubernetes.io/not-ready and
 *     node.kubernetes.io/unreachable (NoExecute) for 300 s unless it says otherwise;
 *   - Priority: a pod gets spec.priority and spec.preemptionPolicy from its PriorityClass (or the
 *     global default class; 0 and PreemptLowerPriority without one), and PriorityClasses are
 *     checked for a second global default and for deletes of the system classes
 *     (sched_priority.c).
 * On an update, DefaultTolerationSeconds runs again and Priority keeps the pod's spec.priority and spec.preemptionPolicy when the new
 * object leaves them out (they were set at create: `kubectl replace -f` of the original file).
 * NamespaceLifecycle: default, kube-system and kube-public may not be deleted (here); no new
 * content in a terminating or missing namespace (api.c, where the namespace is looked up). TODO(issue 4): ServiceAccount's token volume (projected tokens).
 *
 * Which plugins run is upstream's --enable-admission-plugins / --disable-admission-plugins
 * (admission_plugins below): every name of upstream's plugin list is accepted, the plugins kube
 * has (NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds, and in
 * admission_limits.c LimitRanger, ResourceQuota, DefaultStorageClass,
 * StorageObjectInUseProtection) are on by default
 * as upstream's, and a disabled one is skipped here (server_config.admission_off).
 */
#include "internal.h"
#include "server/networking.h"
#include "server/sched.h"

#include <stdlib.h>
#include <string.h>

/* Upstream's admission plugins (kube-apiserver's AllOrderedPlugins, plus PersistentVolumeLabel,
 * which test-cmd of 1.20 still names): whether upstream turns each on by default, and the bit of
 * kube's implementation (0: kube has none). */
static const struct admission_name {
	const char *name;
	unsigned bit;
	int on;
} plugin_names[] = {
	{ "AlwaysAdmit", 0, 0 },
	{ "NamespaceAutoProvision", 0, 0 },
	{ "NamespaceLifecycle", ADM_NAMESPACE_LIFECYCLE, 1 },
	{ "NamespaceExists", 0, 0 },
	{ "LimitPodHardAntiAffinityTopology", 0, 0 },
	{ "LimitRanger", ADM_LIMIT_RANGER, 1 },
	{ "ServiceAccount", ADM_SERVICE_ACCOUNT, 1 },
	{ "NodeRestriction", 0, 0 },
	{ "TaintNodesByCondition", 0, 1 },
	{ "AlwaysPullImages", 0, 0 },
	{ "ImagePolicyWebhook", 0, 0 },
	{ "PodSecurity", 0, 1 },
	{ "PodNodeSelector", 0, 0 },
	{ "Priority", ADM_PRIORITY, 1 },
	{ "DefaultTolerationSeconds", ADM_DEFAULT_TOLERATION_SECONDS, 1 },
	{ "PodTolerationRestriction", 0, 0 },
	{ "EventRateLimit", 0, 0 },
	{ "ExtendedResourceToleration", 0, 0 },
	{ "PersistentVolumeLabel", 0, 0 },
	{ "DefaultStorageClass", ADM_DEFAULT_STORAGE_CLASS, 1 },
	{ "StorageObjectInUseProtection", ADM_STORAGE_IN_USE_PROTECTION, 1 },
	{ "OwnerReferencesPermissionEnforcement", 0, 0 },
	{ "PersistentVolumeClaimResize", 0, 1 },
	{ "RuntimeClass", 0, 1 },
	{ "CertificateApproval", 0, 1 },
	{ "CertificateSigning", 0, 1 },
	{ "ClusterTrustBundleAttest", 0, 1 },
	{ "CertificateSubjectRestriction", 0, 1 },
	{ "DefaultIngressClass", ADM_DEFAULT_INGRESS_CLASS, 1 },
	{ "DenyServiceExternalIPs", 0, 0 },
	{ "ValidatingAdmissionPolicy", 0, 1 },
	{ "MutatingAdmissionPolicy", 0, 1 },
	{ "MutatingAdmissionWebhook", 0, 1 },
	{ "ValidatingAdmissionWebhook", 0, 1 },
	{ "ResourceQuota", ADM_RESOURCE_QUOTA, 1 },
	{ "AlwaysDeny", 0, 0 },
};

static const struct admission_name *plugin_named(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(plugin_names); i++)
		if (strlen(plugin_names[i].name) == len && !strncmp(plugin_names[i].name, name, len))
			return &plugin_names[i];
	return NULL;
}

/* Checks each name of the comma list; ORs the bits of kube's plugins among them into *bits and
 * the indexes of all of them into *seen (one bit per plugin_names entry). Returns 0 or -1. */
static int plugin_list(const char *flag, const char *list, unsigned *bits, uint64_t *seen, struct buf *err)
{
	int r = 0;
	for (const char *p = list ? list : ""; *p;) {
		size_t n = strcspn(p, ",");
		const char *s = p;
		while (n && *s == ' ')
			s++, n--;
		while (n && s[n - 1] == ' ')
			n--;
		const struct admission_name *a = plugin_named(s, n);
		if (n && !a) {
			buf_addf(err, "%s-admission-plugins plugin \"%.*s\" is unknown\n", flag, (int)n, s);
			r = -1;
		} else if (a) {
			*bits |= a->bit;
			*seen |= 1ull << (a - plugin_names);
		}
		p += strcspn(p, ",");
		p += *p == ',';
	}
	return r;
}

int admission_plugins(const char *enable, const char *disable, unsigned *off, struct buf *err)
{
	unsigned on_bits = 0, off_bits = 0;
	uint64_t on_seen = 0, off_seen = 0;
	_Static_assert(ARRAY_SIZE(plugin_names) <= 64, "one bit per plugin name");
	int r = plugin_list("enable", enable, &on_bits, &on_seen, err);
	r |= plugin_list("disable", disable, &off_bits, &off_seen, err);
	if (on_seen & off_seen) {
		buf_adds(err, "[");
		for (size_t i = 0, first = 1; i < ARRAY_SIZE(plugin_names); i++)
			if ((on_seen & off_seen) >> i & 1) {
				buf_addf(err, "%s%s", first ? "" : " ", plugin_names[i].name);
				first = 0;
			}
		buf_adds(err, "] in enable-admission-plugins and disable-admission-plugins overlapped\n");
		r = -1;
	}
	*off = off_bits & ~on_bits; /* every plugin kube has is on by default */
	return r < 0 ? -1 : 0;
}

int admission_enabled(const struct api_req *req, unsigned plugin)
{
	return !(req->srv->cfg->admission_off & plugin);
}

static int tolerates(const cJSON *tolerations, const char *key)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, tolerations)
	{
		const char *k = json_str(t, "key"), *e = json_str(t, "effect"), *op = json_str(t, "operator");
		int key_ok = (k && !strcmp(k, key)) || ((!k || !*k) && op && !strcmp(op, "Exists"));
		int effect_ok = !e || !*e || !strcmp(e, "NoExecute");
		if (key_ok && effect_ok)
			return 1;
	}
	return 0;
}

static void default_toleration(cJSON *spec, const char *key)
{
	cJSON *tol = json_getv(spec, "tolerations", NULL);
	if (tolerates(tol, key))
		return;
	if (!cJSON_IsArray(tol)) {
		tol = cJSON_CreateArray();
		json_set(spec, "tolerations", tol);
	}
	cJSON *t = cJSON_CreateObject();
	json_set_str(t, "key", key);
	json_set_str(t, "operator", "Exists");
	json_set_str(t, "effect", "NoExecute");
	json_set_int(t, "tolerationSeconds", 300);
	cJSON_AddItemToArray(tol, t);
}

static int is_priority_class(const struct api_req *req)
{
	return !strcmp(req->kind->group, "scheduling.k8s.io") && !strcmp(req->kind->kind, "PriorityClass");
}

int admission_create(struct api_req *req, cJSON *obj)
{
	if (admission_limits_create(req, obj) < 0)
		return -1;
	if (!strcmp(req->kind->group, "certificates.k8s.io") && !strcmp(req->kind->kind, "CertificateSigningRequest"))
		csr_set_requester(obj, &req->user);
	if (!strcmp(req->kind->kind, "Ingress") && !strcmp(req->kind->view ? req->kind->view->store_group : req->kind->group,
							    "networking.k8s.io"))
		ingress_default_class(req, obj);
	if (strcmp(req->kind->group, "") || strcmp(req->kind->kind, "Pod"))
		return 0;
	cJSON *spec = json_obj_force(obj, "spec");
	const char *sa = json_str(spec, "serviceAccountName");
	if (admission_enabled(req, ADM_SERVICE_ACCOUNT)) {
		if (!sa || !*sa)
			json_set_str(spec, "serviceAccountName",
				     json_str(spec, "serviceAccount") ? json_str(spec, "serviceAccount") : "default");
		json_set_str(spec, "serviceAccount", json_str(spec, "serviceAccountName"));
	}
	if (admission_enabled(req, ADM_DEFAULT_TOLERATION_SECONDS)) {
		default_toleration(spec, "node.kubernetes.io/not-ready");
		default_toleration(spec, "node.kubernetes.io/unreachable");
	}
	return admission_enabled(req, ADM_PRIORITY) ? priority_admit_pod(req, obj) : 0;
}

void admission_update(struct api_req *req, cJSON *obj, const cJSON *old)
{
	static const char *const kept[] = { "priority", "preemptionPolicy" };
	if (strcmp(req->kind->group, "") || strcmp(req->kind->kind, "Pod") || req->sub)
		return;
	cJSON *spec = json_obj_force(obj, "spec");
	const cJSON *ospec = json_obj(old, "spec");
	/* DefaultTolerationSeconds runs on updates too, as upstream's */
	if (admission_enabled(req, ADM_DEFAULT_TOLERATION_SECONDS)) {
		default_toleration(spec, "node.kubernetes.io/not-ready");
		default_toleration(spec, "node.kubernetes.io/unreachable");
	}
	for (size_t i = 0; i < ARRAY_SIZE(kept) && admission_enabled(req, ADM_PRIORITY); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ospec, kept[i]);
		if (v && !cJSON_GetObjectItemCaseSensitive(spec, kept[i]))
			json_set(spec, kept[i], cJSON_Duplicate(v, 1));
	}
}

int admission_validate(struct api_req *req, const cJSON *obj, const cJSON *old)
{
	if (rbac_admit(req, obj) < 0 || admission_limits_validate(req, obj, old) < 0)
		return -1;
	return is_priority_class(req) && admission_enabled(req, ADM_PRIORITY) ? priority_admit_class(req, obj, old) : 0;
}

int admission_delete(struct api_req *req)
{
	static const char *const immortal[] = { "default", "kube-system", "kube-public" };
	if (!strcmp(req->kind->group, "") && !strcmp(req->kind->kind, "Namespace") && req->name &&
	    admission_enabled(req, ADM_NAMESPACE_LIFECYCLE))
		for (size_t i = 0; i < ARRAY_SIZE(immortal); i++)
			if (!strcmp(req->name, immortal[i])) {
				api_error_set(&req->err, 403, "Forbidden", "%s \"%s\" is forbidden: this namespace may not be deleted",
					      req->kind->qualified, req->name);
				free(req->err.name);
				req->err.name = xstrdup(req->name);
				req->err.kind = req->kind->plural;
				req->err.group = req->kind->group;
				return -1;
			}
	return is_priority_class(req) && admission_enabled(req, ADM_PRIORITY) ? priority_check_delete(req) : 0;
}
