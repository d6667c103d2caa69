/*
 * prepare.c - what upstream's registry strategies do to an object before validation:
 * PrepareForCreate (old == NULL) and PrepareForUpdate, plus the service REST layer's
 * normalisation of cluster IPs and IP families (the allocation itself lives elsewhere).
 *
 * DESIGN
 * The generic write path has already done the common part: on create it stamped uid and
 * creationTimestamp and dropped status for kinds with a status subresource; on update it
 * copied status (and the system metadata) from the stored object. What is left is what kinds
 * really do differently: the status a new object starts with (a pod is Pending with its QoS
 * class; a replica set reports 0 replicas, as Go encodes its non-omitempty counters), and the
 * few derived or protected fields (a namespace's finalizers and name label, a job's generated
 * selector, a daemon set's template generation, an endpoint slice's generation, a service's
 * allocated values kept across updates). Every function is a no-op for fields it does not own.
 */
#include "server/kinds.h"
#include "server/quantity.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>

/* Replaces obj.status with a new object holding the given integer members (zero). */
static cJSON *fresh_status(cJSON *obj, const char *const *zero_members)
{
	cJSON *st = cJSON_CreateObject();
	for (size_t i = 0; zero_members && zero_members[i]; i++)
		json_set_int(st, zero_members[i], 0);
	json_set(obj, "status", st);
	return st;
}

static cJSON *obj_child(cJSON *obj, const char *key)
{
	cJSON *v = json_obj(obj, key);
	if (!v && cJSON_IsObject(obj) && !jget(obj, key)) {
		v = cJSON_CreateObject();
		json_set(obj, key, v);
	}
	return v;
}

/* ---- pods ------------------------------------------------------------------------------------ */

/* Sums the positive cpu and memory quantities of one resource list into totals[2]; sets
 * found[i] for each. */
static void qos_add(const cJSON *list, struct quantity totals[2], int found[2])
{
	static const char *const names[] = { "cpu", "memory" };
	for (int i = 0; i < 2; i++) {
		struct quantity q;
		const char *err;
		const cJSON *v = jget(list, names[i]);
		if (!v || quantity_from_json(v, &q, &err) < 0 || quantity_sign(&q) <= 0)
			continue;
		if (found[i])
			quantity_add(&totals[i], &q);
		else
			totals[i] = q;
		found[i] = 1;
	}
}

const char *prepare_pod_qos(const cJSON *spec)
{
	static const char *const lists[] = { "containers", "initContainers" };
	struct quantity req[2], lim[2];
	int has_req[2] = { 0, 0 }, has_lim[2] = { 0, 0 }, guaranteed = 1;
	const cJSON *c;
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		cJSON_ArrayForEach(c, jget(spec, lists[l])) {
			int own[2] = { 0, 0 };
			struct quantity unused[2];
			const cJSON *res = jget(c, "resources");
			qos_add(jget(res, "requests"), req, has_req);
			qos_add(jget(res, "limits"), lim, has_lim);
			qos_add(jget(res, "limits"), unused, own);
			guaranteed &= own[0] && own[1];
		}
	}
	if (!has_req[0] && !has_req[1] && !has_lim[0] && !has_lim[1])
		return "BestEffort";
	for (int i = 0; i < 2 && guaranteed; i++)
		if (has_req[i] && (!has_lim[i] || quantity_cmp(&req[i], &lim[i]) != 0))
			guaranteed = 0;
	if (guaranteed && has_req[0] + has_req[1] == has_lim[0] + has_lim[1])
		return "Guaranteed";
	return "Burstable";
}

/* applySchedulingGatedCondition */
static void scheduling_gated(const cJSON *spec, cJSON *status)
{
	cJSON *cond;
	if (!jarr(spec, "schedulingGates"))
		return;
	cJSON_ArrayForEach(cond, jget(status, "conditions"))
		if (!strcmp(jstr0(cond, "type"), "PodScheduled"))
			return;
	cond = cJSON_CreateObject();
	json_set(cond, "lastProbeTime", cJSON_CreateNull());
	json_set(cond, "lastTransitionTime", cJSON_CreateNull());
	json_set_str(cond, "message", "Scheduling is blocked due to non-empty scheduling gates");
	json_set_str(cond, "reason", "SchedulingGated");
	json_set_str(cond, "status", "False");
	json_set_str(cond, "type", "PodScheduled");
	if (!cJSON_IsArray(jget(status, "conditions")))
		json_set(status, "conditions", cJSON_CreateArray());
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(status, "conditions"), cond);
}

/* applyMatchLabelKeysAndMismatchLabelKeys for one pod affinity term. */
static void label_keys(cJSON *term, const cJSON *labels)
{
	static const char *const keys[] = { "matchLabelKeys", "mismatchLabelKeys" };
	static const char *const ops[] = { "In", "NotIn" };
	cJSON *sel = json_obj(term, "labelSelector"), *k;
	for (int i = 0; i < 2 && sel; i++) {
		cJSON_ArrayForEach(k, jget(term, keys[i])) {
			const char *value = cJSON_IsString(k) ? jstr(labels, k->valuestring) : NULL;
			if (!value)
				continue;
			cJSON *req = cJSON_CreateObject(), *exprs = json_getv(sel, "matchExpressions", NULL);
			json_set_str(req, "key", k->valuestring);
			json_set_str(req, "operator", ops[i]);
			json_set(req, "values", cJSON_CreateStringArray(&value, 1));
			if (!cJSON_IsArray(exprs)) {
				exprs = cJSON_CreateArray();
				json_set(sel, "matchExpressions", exprs);
			}
			cJSON_AddItemToArray(exprs, req);
		}
	}
}

/* mutatePodAffinity: matchLabelKeys and mismatchLabelKeys become label selector requirements. */
static void pod_affinity(cJSON *spec, const cJSON *labels)
{
	static const char *const kinds[] = { "podAffinity", "podAntiAffinity" };
	cJSON *term;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		cJSON *a = json_getv(spec, "affinity", kinds[i], NULL);
		cJSON_ArrayForEach(term, json_getv(a, "requiredDuringSchedulingIgnoredDuringExecution", NULL))
			label_keys(term, labels);
		cJSON_ArrayForEach(term, json_getv(a, "preferredDuringSchedulingIgnoredDuringExecution", NULL))
			label_keys(json_obj(term, "podAffinityTerm"), labels);
	}
}

void prepare_pod(cJSON *obj, const cJSON *old)
{
	cJSON *spec = json_obj(obj, "spec"), *status;
	if (old)
		return;
	status = fresh_status(obj, NULL);
	json_set_str(status, "phase", "Pending");
	json_set_str(status, "qosClass", prepare_pod_qos(spec));
	scheduling_gated(spec, status);
	pod_affinity(spec, json_getv(obj, "metadata", "labels", NULL));
}

/* ---- namespaces and nodes -------------------------------------------------------------------- */

void prepare_namespace(cJSON *obj, const cJSON *old)
{
	cJSON *spec = obj_child(obj, "spec"), *f;
	const char *name = json_strv(obj, "metadata", "name", NULL);
	if (!spec)
		return;
	if (old) {
		const cJSON *fins = jget(jget(old, "spec"), "finalizers");
		json_del(spec, "finalizers");
		if (fins)
			json_set(spec, "finalizers", cJSON_Duplicate(fins, 1));
	} else {
		int has = 0;
		json_set_str(fresh_status(obj, NULL), "phase", "Active");
		cJSON_ArrayForEach(f, jget(spec, "finalizers"))
			has |= cJSON_IsString(f) && !strcmp(f->valuestring, "kubernetes");
		if (!cJSON_IsArray(jget(spec, "finalizers")))
			json_set(spec, "finalizers", cJSON_CreateArray());
		if (!has)
			cJSON_AddItemToArray(json_getv(spec, "finalizers", NULL), cJSON_CreateString("kubernetes"));
	}
	if (name && *name)
		json_set_str(obj_child(obj_child(obj, "metadata"), "labels"), "kubernetes.io/metadata.name", name);
}

void prepare_node(cJSON *obj, const cJSON *old)
{
	/* Nodes keep the status they are created with; updates keep the stored one (done by the
	 * generic path). Nothing else is dropped while the node features are all enabled. */
	UNUSED(obj);
	UNUSED(old);
}

/* ---- services -------------------------------------------------------------------------------- */

static int needs_cluster_ip(const cJSON *spec)
{
	return strcmp(jstr0(spec, "type"), "ExternalName") != 0;
}

static int needs_node_port(const cJSON *spec)
{
	const char *t = jstr0(spec, "type");
	return !strcmp(t, "NodePort") || !strcmp(t, "LoadBalancer");
}

static int needs_hc_node_port(const cJSON *spec)
{
	return !strcmp(jstr0(spec, "type"), "LoadBalancer") && !strcmp(jstr0(spec, "externalTrafficPolicy"), "Local");
}

static int externally_accessible(const cJSON *spec)
{
	return needs_node_port(spec) || (!strcmp(jstr0(spec, "type"), "ClusterIP") && jarr(spec, "externalIPs"));
}

/* Are both services' values of key the same (absent and null alike)? */
static int same(const cJSON *a, const cJSON *b, const char *key)
{
	return validate_same(jget(a, key), jget(b, key));
}

static int same_node_ports(const cJSON *a, const cJSON *b)
{
	const cJSON *pa = jget(a, "ports"), *pb = jget(b, "ports");
	if (cJSON_GetArraySize(pa) != cJSON_GetArraySize(pb))
		return 0;
	for (pb = pb ? pb->child : NULL, pa = pa ? pa->child : NULL; pa && pb; pa = pa->next, pb = pb->next)
		if (!same(pa, pb, "nodePort"))
			return 0;
	return 1;
}

/* dropTypeDependentFields: values the old type needed and the new one does not are wiped when
 * the client left them as they were. */
static void drop_type_dependent(cJSON *obj, cJSON *spec, const cJSON *ospec)
{
	cJSON *p;
	if (needs_cluster_ip(ospec) && !needs_cluster_ip(spec)) {
		if (same(spec, ospec, "clusterIPs")) {
			json_del(spec, "clusterIP");
			json_del(spec, "clusterIPs");
		}
		if (same(spec, ospec, "ipFamilies"))
			json_del(spec, "ipFamilies");
		if (same(spec, ospec, "ipFamilyPolicy"))
			json_del(spec, "ipFamilyPolicy");
	}
	if (needs_node_port(ospec) && !needs_node_port(spec)) {
		if (same_node_ports(spec, ospec))
			cJSON_ArrayForEach(p, jget(spec, "ports"))
				json_del(p, "nodePort");
		if (same(spec, ospec, "healthCheckNodePort"))
			json_del(spec, "healthCheckNodePort");
	}
	if (!strcmp(jstr0(ospec, "type"), "LoadBalancer") && strcmp(jstr0(spec, "type"), "LoadBalancer")) {
		if (jget(spec, "allocateLoadBalancerNodePorts") && same(spec, ospec, "allocateLoadBalancerNodePorts"))
			json_del(spec, "allocateLoadBalancerNodePorts");
		if (same(spec, ospec, "loadBalancerClass"))
			json_del(spec, "loadBalancerClass");
	}
	if (externally_accessible(ospec) && !externally_accessible(spec) && same(spec, ospec, "externalTrafficPolicy"))
		json_del(spec, "externalTrafficPolicy");
	if (strcmp(jstr0(spec, "type"), "LoadBalancer"))
		json_set(obj_child(obj, "status"), "loadBalancer", cJSON_CreateObject());
}

/* The old node port of the port named name (0 when none). */
static double old_node_port(const cJSON *ospec, const char *name)
{
	const cJSON *p, *np;
	double v = 0;
	cJSON_ArrayForEach(p, jget(ospec, "ports"))
		if (!strcmp(jstr0(p, "name"), name) && (np = jget(p, "nodePort")) && cJSON_IsNumber(np))
			v = np->valuedouble;
	return v;
}

/* Is node port v used by a port of both services? */
static int node_port_used(const cJSON *spec, const cJSON *ospec, double v)
{
	const cJSON *p, *np;
	int in_new = 0, in_old = 0;
	cJSON_ArrayForEach(p, jget(spec, "ports"))
		in_new |= (np = jget(p, "nodePort")) && cJSON_IsNumber(np) && np->valuedouble == v;
	cJSON_ArrayForEach(p, jget(ospec, "ports"))
		in_old |= (np = jget(p, "nodePort")) && cJSON_IsNumber(np) && np->valuedouble == v;
	return in_new && in_old;
}

/* patchAllocatedValues: what was allocated for the old object stays when the client omits it. */
static void patch_allocated(cJSON *spec, const cJSON *ospec)
{
	cJSON *p;
	if (needs_cluster_ip(ospec) && needs_cluster_ip(spec)) {
		if (!*jstr0(spec, "clusterIP") && jstr(ospec, "clusterIP"))
			json_set_str(spec, "clusterIP", jstr(ospec, "clusterIP"));
		if (!jarr(spec, "clusterIPs") && jarr(ospec, "clusterIPs"))
			json_set(spec, "clusterIPs", cJSON_Duplicate(jget(ospec, "clusterIPs"), 1));
	}
	if (needs_node_port(ospec) && needs_node_port(spec)) {
		cJSON_ArrayForEach(p, jget(spec, "ports")) {
			const cJSON *np = jget(p, "nodePort");
			double v = old_node_port(ospec, jstr0(p, "name"));
			if ((!np || (cJSON_IsNumber(np) && np->valuedouble == 0)) && v && !node_port_used(spec, ospec, v))
				json_set(p, "nodePort", cJSON_CreateNumber(v));
		}
	}
	if (needs_hc_node_port(ospec) && needs_hc_node_port(spec) && !jget(spec, "healthCheckNodePort") &&
	    jget(ospec, "healthCheckNodePort"))
		json_set(spec, "healthCheckNodePort", cJSON_Duplicate(jget(ospec, "healthCheckNodePort"), 1));
}

/* normalizeClusterIPs: keeps clusterIP and clusterIPs in step for old clients. */
static void normalize_cluster_ips(cJSON *spec, const cJSON *ospec)
{
	const char *ip = jstr0(spec, "clusterIP");
	if (!ospec) {
		if (*ip && !jarr(spec, "clusterIPs"))
			json_set(spec, "clusterIPs", cJSON_CreateStringArray(&ip, 1));
		return;
	}
	const char *oip = jstr0(ospec, "clusterIP");
	if (jarr(ospec, "clusterIPs") && !jarr(spec, "clusterIPs") && !strcmp(oip, ip))
		json_set(spec, "clusterIPs", cJSON_Duplicate(jget(ospec, "clusterIPs"), 1));
	if (!strcmp(oip, ip) || !same(spec, ospec, "clusterIPs"))
		return;
	if (*oip && !*ip)
		json_del(spec, "clusterIPs");
	else
		json_set(spec, "clusterIPs", cJSON_CreateStringArray(&ip, 1));
}

/* The IP family fields a single-stack IPv4 cluster gives a service that does not set them:
 * SingleStack and [IPv4], or RequireDualStack for a headless service without a selector. */
static void ip_families(cJSON *spec)
{
	const cJSON *ips = jget(spec, "clusterIPs");
	int headless = cJSON_GetArraySize(ips) == 1 && cJSON_IsString(ips->child) &&
		       !strcmp(ips->child->valuestring, "None");
	if (!needs_cluster_ip(spec))
		return;
	if (!jget(spec, "ipFamilyPolicy"))
		json_set_str(spec, "ipFamilyPolicy", headless && !jmap(spec, "selector") ? "RequireDualStack" : "SingleStack");
	if (!jarr(spec, "ipFamilies")) {
		const char *ip = cJSON_IsArray(ips) && cJSON_IsString(ips->child) ? ips->child->valuestring : "";
		const char *fam = !headless && strchr(ip, ':') ? "IPv6" : "IPv4";
		json_set(spec, "ipFamilies", cJSON_CreateStringArray(&fam, 1));
	}
}

void prepare_service(cJSON *obj, const cJSON *old)
{
	cJSON *spec = json_obj(obj, "spec");
	const cJSON *ospec = old ? jget(old, "spec") : NULL;
	if (!spec)
		return;
	if (!old) {
		json_set(fresh_status(obj, NULL), "loadBalancer", cJSON_CreateObject());
	} else {
		drop_type_dependent(obj, spec, ospec);
		patch_allocated(spec, ospec);
	}
	normalize_cluster_ips(spec, ospec);
	ip_families(spec);
}

/* ---- apps ------------------------------------------------------------------------------------ */

void prepare_deployment(cJSON *obj, const cJSON *old)
{
	int64_t gen = 0;
	if (!old) {
		fresh_status(obj, NULL);
		return;
	}
	/* Annotations are copied to replica sets, so changing them is a new generation too. */
	if (!validate_same(json_getv(obj, "metadata", "annotations", NULL), jget(jget(old, "metadata"), "annotations"))) {
		jint(jget(old, "metadata"), "generation", &gen);
		json_set_int(obj_child(obj, "metadata"), "generation", gen + 1);
	}
}

void prepare_replicaset(cJSON *obj, const cJSON *old)
{
	static const char *const zero[] = { "replicas", NULL };
	if (!old)
		fresh_status(obj, zero);
}

#define TEMPLATE_GENERATION "deprecated.daemonset.template.generation"

/* The daemon set's template generation, kept in an annotation in apps/v1: 1 on create, one more
 * each time the template changes. */
void prepare_daemonset(cJSON *obj, const cJSON *old)
{
	static const char *const zero[] = { "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
					    "numberReady", NULL };
	cJSON *ann = obj_child(obj_child(obj, "metadata"), "annotations");
	int64_t gen = 1;
	char num[24];
	if (!old) {
		fresh_status(obj, zero);
	} else {
		const char *ogen = json_strv(old, "metadata", "annotations", TEMPLATE_GENERATION, NULL);
		if (!ogen || parse_int64(ogen, 0, INT64_MAX - 1, &gen) < 0)
			gen = 0;
		if (!validate_same(json_getv(obj, "spec", "template", NULL), json_getv(old, "spec", "template", NULL)))
			gen++;
	}
	snprintf(num, sizeof(num), "%lld", (long long)gen);
	if (ann)
		json_set_str(ann, TEMPLATE_GENERATION, num);
}

void prepare_statefulset(cJSON *obj, const cJSON *old)
{
	static const char *const zero[] = { "replicas", NULL };
	if (!old)
		fresh_status(obj, zero);
}

/* ---- batch ----------------------------------------------------------------------------------- */

/* generateSelector: the job's pods carry its name and uid, and the selector picks the uid. */
static void job_selector(cJSON *obj)
{
	static const char *const name_labels[] = { "job-name", "batch.kubernetes.io/job-name" };
	static const char *const uid_labels[] = { "controller-uid", "batch.kubernetes.io/controller-uid" };
	cJSON *spec = json_obj(obj, "spec");
	const char *name = json_strv(obj, "metadata", "name", NULL), *uid = json_strv(obj, "metadata", "uid", NULL);
	cJSON *labels = obj_child(obj_child(obj_child(spec, "template"), "metadata"), "labels");
	cJSON *ml = obj_child(obj_child(spec, "selector"), "matchLabels");
	if (!labels || !ml)
		return;
	for (int i = 0; i < 2; i++) {
		if (!jget(labels, name_labels[i]))
			json_set_str(labels, name_labels[i], name ? name : "");
		if (!jget(labels, uid_labels[i]))
			json_set_str(labels, uid_labels[i], uid ? uid : "");
	}
	if (!jget(ml, "batch.kubernetes.io/controller-uid"))
		json_set_str(ml, "batch.kubernetes.io/controller-uid", uid ? uid : "");
}

void prepare_job(cJSON *obj, const cJSON *old)
{
	if (old)
		return;
	fresh_status(obj, NULL);
	if (!jtrue(jget(obj, "spec"), "manualSelector"))
		job_selector(obj);
}

void prepare_cronjob(cJSON *obj, const cJSON *old)
{
	if (!old)
		fresh_status(obj, NULL);
}

/* ---- coordination and discovery -------------------------------------------------------------- */

void prepare_lease(cJSON *obj, const cJSON *old)
{
	/* CoordinatedLeaderElection is off by default in v1.33: its fields are dropped unless the
	 * stored object already uses them. */
	cJSON *spec = json_obj(obj, "spec");
	const cJSON *ospec = old ? jget(old, "spec") : NULL;
	if (!jget(ospec, "strategy"))
		json_del(spec, "strategy");
	if (!jget(ospec, "preferredHolder"))
		json_del(spec, "preferredHolder");
}

/* EndpointSlices count their own generation: 1 on create, one more for any change but to
 * metadata other than labels. */
void prepare_endpointslice(cJSON *obj, const cJSON *old)
{
	cJSON *meta = obj_child(obj, "metadata");
	int64_t gen = 0;
	if (!old) {
		json_set_int(meta, "generation", 1);
		return;
	}
	jint(jget(old, "metadata"), "generation", &gen);
	cJSON *a = cJSON_Duplicate(obj, 1), *b = cJSON_Duplicate(old, 1);
	json_del(a, "metadata");
	json_del(b, "metadata");
	int changed = !cJSON_Compare(a, b, 1) ||
		      !validate_same(jget(meta, "labels"), jget(jget(old, "metadata"), "labels"));
	cJSON_Delete(a);
	cJSON_Delete(b);
	json_set_int(meta, "generation", changed ? gen + 1 : gen);
}
