/*
 * registry.c - every kind the API server serves, declared once.
 *
 * DESIGN
 * One table row per resource: group, version, kind, plural, singular, short names, scope and
 * subresource flags, the name rule, the selectable fields and the table printer. Routing,
 * discovery, OpenAPI, storage keys and error messages are all derived from this table; nothing
 * is written out per kind anywhere else. Storage keys are "/registry/<group|core>/<plural>/"
 * followed by "<namespace>/<name>" or "<name>", so a collection is one key prefix and keys sort
 * by namespace, then name, as upstream's lists do.
 */
#include "internal.h"
#include "server/crd.h"

#include <stdlib.h>
#include <string.h>

static const char *const pod_fields[] = { "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
					  "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
					  "status.podIP", "status.nominatedNodeName", NULL };
static const char *const node_fields[] = { "spec.unschedulable", NULL };
static const char *const ns_fields[] = { "status.phase", NULL };
static const char *const secret_fields[] = { "type", NULL };
static const char *const event_fields[] = { "involvedObject.kind", "involvedObject.namespace",
					    "involvedObject.name", "involvedObject.uid",
					    "involvedObject.apiVersion", "involvedObject.resourceVersion",
					    "involvedObject.fieldPath", "reason", "reportingComponent",
					    "source", "type", NULL };
static const char *const event2_fields[] = { "regarding.kind", "regarding.namespace", "regarding.name",
					     "regarding.uid", "regarding.apiVersion",
					     "regarding.resourceVersion", "regarding.fieldPath", "reason",
					     "reportingController", "type", NULL };
static const char *const rs_fields[] = { "status.replicas", NULL };
static const char *const job_fields[] = { "status.successful", NULL };
static const char *const csr_fields[] = { "spec.signerName", NULL };

#define TABLE(x) .cols = table_cols_##x, .row = table_row_##x

extern const struct table_col table_cols_namespace[], table_cols_pod[], table_cols_node[],
	table_cols_service[], table_cols_endpoints[], table_cols_configmap[], table_cols_secret[],
	table_cols_serviceaccount[], table_cols_event[], table_cols_deployment[], table_cols_replicaset[],
	table_cols_daemonset[], table_cols_statefulset[], table_cols_controllerrevision[],
	table_cols_job[], table_cols_cronjob[], table_cols_lease[], table_cols_endpointslice[],
	table_cols_event2[], table_cols_pdb[], table_cols_priorityclass[], table_cols_rolebinding[];
extern const struct table_col table_cols_replicationcontroller[], table_cols_hpa[];
table_row_fn table_row_namespace, table_row_pod, table_row_node, table_row_service,
	table_row_endpoints, table_row_configmap, table_row_secret, table_row_serviceaccount,
	table_row_event, table_row_deployment, table_row_replicaset, table_row_daemonset,
	table_row_statefulset, table_row_controllerrevision, table_row_job, table_row_cronjob,
	table_row_lease, table_row_endpointslice, table_row_event2, table_row_pdb, table_row_priorityclass,
	table_row_rolebinding;
table_row_fn table_row_replicationcontroller, table_row_hpa;

/* The storage kinds' printers (table_storage.c). */
extern const struct table_col table_cols_podtemplate[], table_cols_pv[], table_cols_pvc[], table_cols_storageclass[],
	table_cols_resourcequota[];
table_row_fn table_row_podtemplate, table_row_pv, table_row_pvc, table_row_storageclass, table_row_resourcequota;
extern const struct table_col table_cols_csr[];
table_row_fn table_row_csr;
/* The networking kinds' printers (networking.c). */
extern const struct table_col table_cols_ingress[], table_cols_ingressclass[], table_cols_networkpolicy[];
table_row_fn table_row_ingress, table_row_ingressclass, table_row_networkpolicy;

#define NS KIND_NAMESPACED
static struct kind kinds[] = {
	{ "", "v1", "Namespace", "namespaces", "namespace", { "ns" }, KIND_STATUS | KIND_FINALIZE | KIND_RETURN_DELETED,
	  NAME_DNS1123_LABEL, ns_fields, TABLE(namespace) },
	{ "", "v1", "Pod", "pods", "pod", { "po" },
	  NS | KIND_STATUS | KIND_ALL | KIND_RETURN_DELETED | KIND_BINDING | KIND_EVICTION,
	  NAME_DNS1123_SUBDOMAIN, pod_fields, TABLE(pod) },
	{ "", "v1", "Node", "nodes", "node", { "no" }, KIND_STATUS | KIND_RETURN_DELETED, NAME_DNS1123_SUBDOMAIN,
	  node_fields, TABLE(node) },
	{ "", "v1", "Service", "services", "service", { "svc" }, NS | KIND_STATUS | KIND_ALL | KIND_RETURN_DELETED,
	  NAME_DNS1035_LABEL, NULL, TABLE(service) },
	{ "", "v1", "Endpoints", "endpoints", "endpoints", { "ep" }, NS | KIND_CREATE_ON_UPDATE,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(endpoints) },
	{ "", "v1", "ConfigMap", "configmaps", "configmap", { "cm" }, NS, NAME_DNS1123_SUBDOMAIN, NULL,
	  TABLE(configmap) },
	{ "", "v1", "Secret", "secrets", "secret", { NULL }, NS, NAME_DNS1123_SUBDOMAIN, secret_fields,
	  TABLE(secret) },
	{ "", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", { "sa" }, NS | KIND_TOKEN,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(serviceaccount) },
	{ "", "v1", "Event", "events", "event", { "ev" }, NS | KIND_CREATE_ON_UPDATE, NAME_DNS1123_SUBDOMAIN,
	  event_fields, TABLE(event) },
	{ "", "v1", "ReplicationController", "replicationcontrollers", "replicationcontroller", { "rc" },
	  NS | KIND_STATUS | KIND_SCALE | KIND_GENERATION | KIND_ALL, NAME_DNS1123_SUBDOMAIN, rs_fields,
	  TABLE(replicationcontroller) },
	{ "apps", "v1", "Deployment", "deployments", "deployment", { "deploy" },
	  NS | KIND_STATUS | KIND_SCALE | KIND_GENERATION | KIND_ALL, NAME_DNS1123_SUBDOMAIN, NULL,
	  TABLE(deployment) },
	{ "apps", "v1", "ReplicaSet", "replicasets", "replicaset", { "rs" },
	  NS | KIND_STATUS | KIND_SCALE | KIND_GENERATION | KIND_ALL, NAME_DNS1123_SUBDOMAIN, rs_fields,
	  TABLE(replicaset) },
	{ "apps", "v1", "DaemonSet", "daemonsets", "daemonset", { "ds" },
	  NS | KIND_STATUS | KIND_GENERATION | KIND_ALL, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(daemonset) },
	{ "apps", "v1", "StatefulSet", "statefulsets", "statefulset", { "sts" },
	  NS | KIND_STATUS | KIND_SCALE | KIND_GENERATION | KIND_ALL, NAME_DNS1123_SUBDOMAIN, NULL,
	  TABLE(statefulset) },
	{ "apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", { NULL }, NS,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(controllerrevision) },
	{ "batch", "v1", "Job", "jobs", "job", { NULL }, NS | KIND_STATUS | KIND_GENERATION | KIND_ALL,
	  NAME_DNS1123_SUBDOMAIN, job_fields, TABLE(job) },
	{ "batch", "v1", "CronJob", "cronjobs", "cronjob", { "cj" }, NS | KIND_STATUS | KIND_GENERATION | KIND_ALL,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(cronjob) },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", { "hpa" },
	  NS | KIND_STATUS | KIND_ALL, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(hpa) },
	{ "autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "horizontalpodautoscaler", { "hpa" },
	  NS | KIND_STATUS | KIND_ALL, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(hpa), .view = &hpa_v1_view },
	{ "policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", { "pdb" },
	  NS | KIND_STATUS | KIND_GENERATION, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(pdb) },
	/* Upstream served these until 1.25; kubectl 1.20's `create pdb` / `create cronjob` post them. */
	{ "policy", "v1beta1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", { "pdb" },
	  NS | KIND_STATUS | KIND_GENERATION, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(pdb), .view = &pdb_v1beta1_view,
	  .deprecated = "v1.21", .removed = "v1.25" },
	{ "batch", "v1beta1", "CronJob", "cronjobs", "cronjob", { "cj" }, NS | KIND_STATUS | KIND_GENERATION | KIND_ALL,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(cronjob), .view = &cronjob_v1beta1_view, .deprecated = "v1.21",
	  .removed = "v1.25" },
	{ "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", { "pc" }, 0,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(priorityclass) },
	{ "coordination.k8s.io", "v1", "Lease", "leases", "lease", { NULL }, NS, NAME_DNS1123_SUBDOMAIN, NULL,
	  TABLE(lease) },
	{ "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", { NULL }, NS,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(endpointslice) },
	{ "events.k8s.io", "v1", "Event", "events", "event", { "ev" }, NS, NAME_DNS1123_SUBDOMAIN,
	  event2_fields, TABLE(event2), .view = &event_view },
	{ "", "v1", "PodTemplate", "podtemplates", "podtemplate", { NULL }, NS, NAME_DNS1123_SUBDOMAIN, NULL,
	  TABLE(podtemplate) },
	{ "", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", { "pv" }, KIND_STATUS,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(pv) },
	{ "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", { "pvc" },
	  NS | KIND_STATUS, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(pvc) },
	{ "", "v1", "LimitRange", "limitranges", "limitrange", { "limits" }, NS, NAME_DNS1123_SUBDOMAIN, NULL,
	  .cols = NULL },
	{ "", "v1", "ResourceQuota", "resourcequotas", "resourcequota", { "quota" }, NS | KIND_STATUS,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(resourcequota) },
	{ "storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", { "sc" }, 0,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(storageclass) },
	{ "certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests",
	  "certificatesigningrequest", { "csr" }, KIND_STATUS | KIND_APPROVAL, NAME_PATH_SEGMENT, csr_fields, TABLE(csr) },
	{ "certificates.k8s.io", "v1beta1", "CertificateSigningRequest", "certificatesigningrequests",
	  "certificatesigningrequest", { "csr" }, KIND_STATUS | KIND_APPROVAL, NAME_PATH_SEGMENT, csr_fields, TABLE(csr),
	  .view = &csr_v1beta1_view },
	{ "authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview",
	  { NULL }, KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	{ "authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview", { NULL },
	  KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	/* kubectl 1.27 asks for v1beta1 (v1 came with 1.28). */
	{ "authentication.k8s.io", "v1beta1", "SelfSubjectReview", "selfsubjectreviews", "selfsubjectreview", { NULL },
	  KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	{ "rbac.authorization.k8s.io", "v1", "Role", "roles", "role", { NULL }, NS, NAME_PATH_SEGMENT, NULL,
	  .cols = NULL },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", { NULL }, 0,
	  NAME_PATH_SEGMENT, NULL, .cols = NULL },
	{ "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", { NULL }, NS,
	  NAME_PATH_SEGMENT, NULL, TABLE(rolebinding) },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding",
	  { NULL }, 0, NAME_PATH_SEGMENT, NULL, TABLE(rolebinding) },
	/* Upstream served v1beta1 until 1.22; kubectl 1.20 and the test-cmd suite still ask for it. */
	{ "rbac.authorization.k8s.io", "v1beta1", "Role", "roles", "role", { NULL }, NS, NAME_PATH_SEGMENT, NULL,
	  .view = &rbac_role_view, .deprecated = "v1.17", .removed = "v1.22" },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRole", "clusterroles", "clusterrole", { NULL }, 0,
	  NAME_PATH_SEGMENT, NULL, .view = &rbac_clusterrole_view, .deprecated = "v1.17", .removed = "v1.22" },
	{ "rbac.authorization.k8s.io", "v1beta1", "RoleBinding", "rolebindings", "rolebinding", { NULL }, NS,
	  NAME_PATH_SEGMENT, NULL, TABLE(rolebinding), .view = &rbac_rolebinding_view, .deprecated = "v1.17",
	  .removed = "v1.22" },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding",
	  { NULL }, 0, NAME_PATH_SEGMENT, NULL, TABLE(rolebinding), .view = &rbac_clusterrolebinding_view,
	  .deprecated = "v1.17", .removed = "v1.22" },
	{ "authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview", { NULL },
	  KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	{ "authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews",
	  "localsubjectaccessreview", { NULL }, NS | KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	{ "authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", "selfsubjectrulesreview",
	  { NULL }, KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	{ "authorization.k8s.io", "v1beta1", "SubjectAccessReview", "subjectaccessreviews", "subjectaccessreview",
	  { NULL }, KIND_VIRTUAL, NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL, .deprecated = "v1.19", .removed = "v1.22" },
	{ "authentication.k8s.io", "v1", "TokenReview", "tokenreviews", "tokenreview", { NULL }, KIND_VIRTUAL,
	  NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL },
	{ "authentication.k8s.io", "v1beta1", "TokenReview", "tokenreviews", "tokenreview", { NULL }, KIND_VIRTUAL,
	  NAME_DNS1123_SUBDOMAIN, NULL, .cols = NULL, .deprecated = "v1.19", .removed = "v1.22" },
	{ "networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", { "ing" }, NS | KIND_STATUS | KIND_GENERATION,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(ingress) },
	{ "networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", { NULL }, KIND_GENERATION,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(ingressclass) },
	{ "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", { "netpol" },
	  NS | KIND_GENERATION, NAME_DNS1123_SUBDOMAIN, NULL, TABLE(networkpolicy) },
	/* Upstream served these until 1.22 (kubectl 1.20 and the test-cmd suite use them). */
	{ "networking.k8s.io", "v1beta1", "Ingress", "ingresses", "ingress", { "ing" }, NS | KIND_STATUS | KIND_GENERATION,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(ingress), .view = &ingress_networking_v1beta1_view, .deprecated = "v1.19",
	  .removed = "v1.22" },
	{ "extensions", "v1beta1", "Ingress", "ingresses", "ingress", { "ing" }, NS | KIND_STATUS | KIND_GENERATION,
	  NAME_DNS1123_SUBDOMAIN, NULL, TABLE(ingress), .view = &ingress_extensions_v1beta1_view, .deprecated = "v1.14",
	  .removed = "v1.22", .replacement = "networking.k8s.io/v1 Ingress" },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
	  "customresourcedefinition", { "crd", "crds" }, KIND_STATUS | KIND_GENERATION, NAME_DNS1123_SUBDOMAIN, NULL,
	  .cols = NULL },
	{ "apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition", "customresourcedefinitions",
	  "customresourcedefinition", { "crd", "crds" }, KIND_STATUS | KIND_GENERATION, NAME_DNS1123_SUBDOMAIN, NULL,
	  .cols = NULL, .view = &crd_v1beta1_view, .deprecated = "v1.16", .removed = "v1.22" },
};
#undef NS

static const struct api_group groups[] = {
	{ "", { "v1" } },
	{ "apps", { "v1" } },
	{ "events.k8s.io", { "v1" } },
	{ "batch", { "v1", "v1beta1" } },
	/* v1 first, as Kubernetes 1.20 preferred it (upstream prefers v2 since 1.26): kubectl 1.20
	 * reads HPAs in the preferred version and test-cmd reads spec.targetCPUUtilizationPercentage. */
	{ "autoscaling", { "v1", "v2" } },
	{ "policy", { "v1", "v1beta1" } },
	{ "scheduling.k8s.io", { "v1" } },
	{ "coordination.k8s.io", { "v1" } },
	{ "discovery.k8s.io", { "v1" } },
	{ "storage.k8s.io", { "v1" } },
	{ "authentication.k8s.io", { "v1", "v1beta1" } },
	{ "authorization.k8s.io", { "v1", "v1beta1" } },
	{ "rbac.authorization.k8s.io", { "v1", "v1beta1" } },
	{ "certificates.k8s.io", { "v1", "v1beta1" } },
	{ "networking.k8s.io", { "v1", "v1beta1" } },
	{ "extensions", { "v1beta1" } },
	{ "apiextensions.k8s.io", { "v1", "v1beta1" } },
};

static int initialized;

/* Kinds registered at run time, and the groups of every kind (the table's, then theirs). */
static struct kind **dyn;
static size_t ndyn, dyn_cap;
static unsigned generation; /* counts registry_add and registry_remove calls */
static struct api_group *all_groups;
static size_t nall_groups;

/* Fills the derived fields of k (hooks only for built-in kinds). */
static void kind_derive(struct kind *k)
{
	int core = !*k->group;
	k->api_version = core ? xstrdup(k->version) : xasprintf("%s/%s", k->group, k->version);
	k->list_kind = xasprintf("%sList", k->kind);
	k->qualified = core ? xstrdup(k->plural) : xasprintf("%s.%s", k->plural, k->group);
	k->qualified_kind = core ? xstrdup(k->kind) : xasprintf("%s.%s", k->kind, k->group);
	if (k->view)
		k->prefix = xasprintf("/registry/%s/%s/", *k->view->store_group ? k->view->store_group : "core",
				      k->view->store_plural);
	else
		k->prefix = xasprintf("/registry/%s/%s/", core ? "core" : k->group, k->plural);
	if (!(k->flags & KIND_CUSTOM))
		k->hooks = kind_hooks(k->group, k->version, k->kind);
	if (k->cols)
		for (k->ncols = 0; k->cols[k->ncols].name; k->ncols++)
			;
}

void registry_init(void)
{
	if (initialized)
		return;
	initialized = 1;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		kind_derive(&kinds[i]);
}

size_t registry_count(void)
{
	return ARRAY_SIZE(kinds) + ndyn;
}

const struct kind *registry_at(size_t i)
{
	if (i < ARRAY_SIZE(kinds))
		return &kinds[i];
	return i - ARRAY_SIZE(kinds) < ndyn ? dyn[i - ARRAY_SIZE(kinds)] : NULL;
}

size_t registry_groups(const struct api_group **out)
{
	if (!all_groups) {
		*out = groups;
		return ARRAY_SIZE(groups);
	}
	*out = all_groups;
	return nall_groups;
}

/* Adds version v of group g to all_groups (versions beyond four are not listed). */
static void group_add(const char *g, const char *v)
{
	struct api_group *grp = NULL;
	for (size_t i = 0; i < nall_groups && !grp; i++)
		if (!strcmp(all_groups[i].name, g))
			grp = &all_groups[i];
	if (!grp) {
		grp = &all_groups[nall_groups++];
		memset(grp, 0, sizeof(*grp));
		grp->name = g;
	}
	for (size_t j = 0; j < ARRAY_SIZE(grp->versions); j++) {
		if (grp->versions[j] && !strcmp(grp->versions[j], v))
			return;
		if (!grp->versions[j]) {
			grp->versions[j] = v;
			return;
		}
	}
}

/* Rebuilds all_groups from the table's groups and the kinds registered at run time, in the
 * order they were registered (crd_serve.c registers a CRD's versions by priority). */
static void groups_rebuild(void)
{
	free(all_groups);
	all_groups = xcalloc(ARRAY_SIZE(groups) + ndyn, sizeof(*all_groups));
	memcpy(all_groups, groups, sizeof(groups));
	nall_groups = ARRAY_SIZE(groups);
	for (size_t i = 0; i < ndyn; i++)
		group_add(dyn[i]->group, dyn[i]->version);
}

static struct registry_listener {
	registry_watch_fn *fn;
	void *data;
} *listeners;
static size_t nlisteners;

unsigned registry_generation(void)
{
	return generation;
}

void registry_watch(registry_watch_fn *fn, void *data)
{
	listeners = xrealloc(listeners, (nlisteners + 1) * sizeof(*listeners));
	listeners[nlisteners++] = (struct registry_listener){ fn, data };
}

void registry_unwatch(registry_watch_fn *fn, void *data)
{
	for (size_t i = 0; i < nlisteners; i++)
		if (listeners[i].fn == fn && listeners[i].data == data) {
			memmove(&listeners[i], &listeners[i + 1], (nlisteners - i - 1) * sizeof(*listeners));
			nlisteners--;
			return;
		}
}

void registry_add(struct kind *k)
{
	kind_derive(k);
	if (ndyn == dyn_cap) {
		dyn_cap = dyn_cap ? dyn_cap * 2 : 16;
		dyn = xrealloc(dyn, dyn_cap * sizeof(*dyn));
	}
	dyn[ndyn++] = k;
	generation++;
	groups_rebuild();
	for (size_t i = 0; i < nlisteners; i++)
		listeners[i].fn(k, listeners[i].data);
}

void registry_remove(const struct kind *k)
{
	for (size_t i = 0; i < ndyn; i++)
		if (dyn[i] == k) {
			memmove(&dyn[i], &dyn[i + 1], (ndyn - i - 1) * sizeof(*dyn));
			ndyn--;
			break;
		}
	generation++;
	groups_rebuild();
}

const struct kind *kind_by_resource(const char *group, const char *version, const char *plural)
{
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (!strcmp(k->group, group) && !strcmp(k->version, version) && !strcmp(k->plural, plural))
			return k;
	}
	return NULL;
}

const struct kind *kind_by_gvk(const char *group, const char *version, const char *kind)
{
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (!strcmp(k->group, group) && !strcmp(k->version, version) && !strcmp(k->kind, kind))
			return k;
	}
	return NULL;
}

const char *api_version_split(const char *api_version, char *group, size_t n)
{
	const char *slash = strchr(api_version, '/');
	snprintf(group, n, "%.*s", slash ? (int)(slash - api_version) : 0, api_version);
	return slash ? slash + 1 : api_version;
}

const struct kind *kind_by_key(const char *key)
{
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (k->prefix && !k->view && starts_with(key, k->prefix))
			return k;
	}
	return NULL;
}

void kind_key(const struct kind *k, const char *ns, const char *name, struct buf *out)
{
	buf_adds(out, k->prefix);
	if (k->flags & KIND_NAMESPACED)
		buf_addf(out, "%s/", ns);
	buf_adds(out, name);
}

void kind_prefix(const struct kind *k, const char *ns, struct buf *out)
{
	buf_adds(out, k->prefix);
	if ((k->flags & KIND_NAMESPACED) && ns && *ns)
		buf_addf(out, "%s/", ns);
}

int kind_has_field(const struct kind *k, const char *field)
{
	if (!strcmp(field, "metadata.name") || !strcmp(field, "metadata.namespace"))
		return 1;
	for (const char *const *f = k->fields; f && *f; f++)
		if (!strcmp(*f, field))
			return 1;
	return 0;
}
