/*
 * validate_core.c - upstream's validation of the core/v1 kinds other than the pod spec itself
 * (Pod create, update and status; Namespace; Node; Service; Endpoints; ConfigMap; Secret;
 * Event), and of coordination.k8s.io Leases, discovery.k8s.io EndpointSlices and
 * events.k8s.io Events (v1.33 pkg/apis/core/validation and the groups' validation packages).
 *
 * DESIGN
 * Each validate_<kind> takes the object after defaults and preparation, and the stored object
 * on update (NULL on create); metadata has already been checked by the generic path, so only
 * what a kind adds is checked here. Update rules follow the same shape as upstream: the create
 * checks on the new object, then the immutability checks against the old one. Where upstream
 * prints a Go value we cannot reproduce byte for byte (a cmp.Diff of two pod specs), the text
 * before it is upstream's and the rest is our own description of the difference.
 */
#include "server/kinds.h"
#include "server/quantity.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SECRET_SIZE (1024 * 1024)

static const char *const protocols[] = { "SCTP", "TCP", "UDP", NULL };

/* ---- pods ------------------------------------------------------------------------------------ */

/* Pod-only checks on top of the spec's (validatePodMetadataAndSpec). */
static void pod_only(const cJSON *obj, struct field_errors *errs)
{
	static const char *const lists[] = { "containers", "initContainers" };
	char f[VPATH_MAX];
	const cJSON *spec = jget(obj, "spec"), *v, *s;
	int i = 0;
	if (!*jstr0(spec, "serviceAccountName")) {
		cJSON_ArrayForEach(v, jget(spec, "volumes")) {
			int si = 0;
			cJSON_ArrayForEach(s, json_getv(v, "projected", "sources", NULL)) {
				if (jget(s, "serviceAccountToken"))
					field_errors_add(errs, FE_FORBIDDEN,
							 validate_path(f, "spec.volumes[%d].projected.sources[%d].serviceAccountToken", i, si),
							 NULL, "must not be specified when serviceAccountName is not set");
				si++;
			}
			i++;
		}
	}
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		i = 0;
		cJSON_ArrayForEach(v, jget(spec, lists[l])) {
			const char *img = jstr0(v, "image");
			size_t n = strlen(img);
			if (n && (strchr(" \t\n\r\v\f", img[0]) || strchr(" \t\n\r\v\f", img[n - 1])))
				field_errors_add_str(errs, FE_INVALID, validate_path(f, "spec.%s[%d].image", lists[l], i), img,
						     "must not have leading or trailing whitespace");
			i++;
		}
	}
}

/* ValidateContainerUpdates: returns -1 (stop) when containers were added or removed. */
static int container_updates(const cJSON *nl, const cJSON *ol, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *c;
	int i = 0;
	if (cJSON_GetArraySize(nl) != cJSON_GetArraySize(ol)) {
		field_errors_add(errs, FE_FORBIDDEN, path, NULL, "pod updates may not add or remove containers");
		return -1;
	}
	cJSON_ArrayForEach(c, nl) {
		if (!*jstr0(c, "image"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s[%d].image", path, i), NULL, NULL);
		i++;
	}
	return 0;
}

/* The tolerations and scheduling gates rules of a pod update. */
static void tolerations_and_gates(const cJSON *spec, const cJSON *ospec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *o, *n;
	int i = 0;
	cJSON_ArrayForEach(o, jget(ospec, "tolerations")) {
		int found = 0;
		cJSON_ArrayForEach(n, jget(spec, "tolerations")) {
			cJSON *oc = cJSON_Duplicate(o, 1), *nc = cJSON_Duplicate(n, 1);
			json_del(oc, "tolerationSeconds");
			json_del(nc, "tolerationSeconds");
			found |= validate_sem_equal(oc, nc);
			cJSON_Delete(oc);
			cJSON_Delete(nc);
		}
		if (!found) {
			field_errors_add(errs, FE_FORBIDDEN, "spec.tolerations", NULL,
					 "existing toleration can not be modified except its tolerationSeconds");
			break;
		}
	}
	validate_tolerations(jget(spec, "tolerations"), "spec.tolerations", errs);
	cJSON_ArrayForEach(n, jget(spec, "schedulingGates")) {
		const char *name = jstr0(n, "name");
		int known = 0;
		cJSON_ArrayForEach(o, jget(ospec, "schedulingGates"))
			known |= !strcmp(jstr0(o, "name"), name);
		if (!known)
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "spec.schedulingGates[%d].name", i), NULL,
					 "only deletion is allowed, but found new scheduling gate '%s'", name);
		i++;
	}
}

/* Copies old[key] into munged (or removes it). */
static void munge(cJSON *munged, const cJSON *ospec, const char *key)
{
	json_del(munged, key);
	if (jget(ospec, key))
		json_set(munged, key, cJSON_Duplicate(jget(ospec, key), 1));
}

/* The spec with every field a pod update may change put back to its old value. */
static cJSON *munged_spec(const cJSON *spec, const cJSON *ospec)
{
	static const char *const lists[] = { "containers", "initContainers" };
	cJSON *m = cJSON_Duplicate(spec, 1), *c;
	int64_t oldg = 0, newg = 0;
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		const cJSON *oc = jget(ospec, lists[l]);
		oc = oc ? oc->child : NULL;
		cJSON_ArrayForEach(c, json_getv(m, lists[l], NULL)) {
			munge(c, oc, "image");
			oc = oc ? oc->next : NULL;
		}
	}
	munge(m, ospec, "activeDeadlineSeconds");
	munge(m, ospec, "schedulingGates");
	munge(m, ospec, "tolerations");
	if (jint(ospec, "terminationGracePeriodSeconds", &oldg) > 0 && oldg < 0 &&
	    jint(m, "terminationGracePeriodSeconds", &newg) > 0 && newg == 1)
		munge(m, ospec, "terminationGracePeriodSeconds");
	if (jarr(ospec, "schedulingGates"))
		munge(m, ospec, "nodeSelector");
	return m;
}

/* Appends one diff line: the Go-style field name (the JSON name capitalised) and the value. */
static void diff_line(struct buf *out, char sign, const char *key, const cJSON *v)
{
	char *text = json_print_str(v);
	buf_addf(out, "%c \t%c%s: %s,\n", sign, key[0] >= 'a' && key[0] <= 'z' ? key[0] - 32 : key[0], key + 1, text);
	free(text);
}

/* Describes how the spec changed, one "- old" / "+ new" pair per top-level field (upstream
 * prints a cmp.Diff of the internal core.PodSpec; the values here are JSON). */
static void spec_diff(const cJSON *ospec, const cJSON *nspec, struct buf *out)
{
	const cJSON *it;
	if (!cJSON_IsObject(ospec) || !cJSON_IsObject(nspec))
		return;
	buf_adds(out, "  core.PodSpec{\n");
	cJSON_ArrayForEach(it, ospec)
		if (!validate_sem_equal(it, jget(nspec, it->string))) {
			diff_line(out, '-', it->string, it);
			if (jget(nspec, it->string))
				diff_line(out, '+', it->string, jget(nspec, it->string));
		}
	cJSON_ArrayForEach(it, nspec)
		if (!jget(ospec, it->string) && !validate_sem_equal(it, NULL))
			diff_line(out, '+', it->string, it);
	buf_adds(out, "  }\n");
}

static void active_deadline_update(const cJSON *spec, const cJSON *ospec, struct field_errors *errs)
{
	const cJSON *nv = jget(spec, "activeDeadlineSeconds"), *ov = jget(ospec, "activeDeadlineSeconds");
	if (nv) {
		if (!cJSON_IsNumber(nv) || nv->valuedouble < 0 || nv->valuedouble > 2147483647)
			field_errors_add(errs, FE_INVALID, "spec.activeDeadlineSeconds", nv,
					 "must be between 0 and 2147483647, inclusive");
		else if (cJSON_IsNumber(ov) && ov->valuedouble < nv->valuedouble)
			field_errors_add(errs, FE_INVALID, "spec.activeDeadlineSeconds", nv,
					 "must be less than or equal to previous value");
	} else if (ov) {
		field_errors_add_raw(errs, FE_INVALID, "spec.activeDeadlineSeconds", "\"null\"",
				     "must not update from a positive integer to nil value");
	}
}

/* ValidatePodUpdate after the create checks. */
static void pod_update(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *ospec = jget(old, "spec");
	const char *mirror = "kubernetes.io/config.mirror";
	const cJSON *na = json_getv(obj, "metadata", "annotations", NULL), *oa = json_getv(old, "metadata", "annotations", NULL);
	if (jget(oa, mirror) && !validate_same(jget(na, mirror), jget(oa, mirror)))
		field_errors_add(errs, FE_FORBIDDEN, "metadata.annotations[kubernetes.io/config.mirror]", NULL,
				 "may not remove or update mirror pod annotation");
	else if (!jget(oa, mirror) && jget(na, mirror))
		field_errors_add(errs, FE_FORBIDDEN, "metadata.annotations[kubernetes.io/config.mirror]", NULL,
				 "may not add mirror pod annotation");
	if (container_updates(jget(spec, "containers"), jget(ospec, "containers"), "spec.containers", errs) < 0 ||
	    container_updates(jget(spec, "initContainers"), jget(ospec, "initContainers"), "spec.initContainers", errs) < 0)
		return;
	active_deadline_update(spec, ospec, errs);
	tolerations_and_gates(spec, ospec, errs);
	if (validate_sem_equal(spec, ospec))
		return;
	cJSON *m = munged_spec(spec, ospec);
	if (!validate_sem_equal(m, ospec)) {
		struct buf diff = BUF_INIT;
		spec_diff(ospec, m, &diff);
		field_errors_add(errs, FE_FORBIDDEN, "spec", NULL,
				 "pod updates may not change fields other than `spec.containers[*].image`,"
				 "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
				 "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
				 "to 1 if it was previously negative)\n%s", buf_str(&diff));
		buf_release(&diff);
	}
	cJSON_Delete(m);
}

void validate_pod(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec");
	validate_pod_annotations(json_getv(obj, "metadata", "annotations", NULL), spec, "metadata.annotations", errs);
	validate_pod_spec(spec, jget(obj, "metadata"), "spec", POD_IS_POD, errs);
	pod_only(obj, errs);
	if (old) {
		pod_update(obj, old, errs);
		return;
	}
	if (jarr(spec, "ephemeralContainers"))
		field_errors_add(errs, FE_FORBIDDEN, "spec.ephemeralContainers", NULL, "cannot be set on create");
	if (*jstr0(spec, "nodeName") && jarr(spec, "schedulingGates"))
		field_errors_add(errs, FE_FORBIDDEN, "spec.nodeName", NULL,
				 "cannot be set until all schedulingGates have been cleared");
}

static void ip_list(const cJSON *list, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *it;
	int i = 0;
	cJSON_ArrayForEach(it, list)
		validate_ip(errs, validate_path(f, "%s[%d]", path, i++), jstr0(it, "ip"));
}

void validate_pod_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const system[] = { "PodScheduled", "Ready", "Initialized", NULL };
	char f[VPATH_MAX];
	const cJSON *st = jget(obj, "status"), *c;
	const char *nom = jstr0(st, "nominatedNodeName");
	int i = 0;
	cJSON_ArrayForEach(c, jget(st, "conditions")) {
		if (!validate_one_of(jstr0(c, "type"), system))
			validate_each(errs, validate_path(f, "metadata.conditions[%d].Type", i), jstr0(c, "type"),
				      validate_qualified_name);
		i++;
	}
	if (strcmp(json_strv(obj, "spec", "nodeName", NULL) ? json_strv(obj, "spec", "nodeName", NULL) : "",
		   json_strv(old, "spec", "nodeName", NULL) ? json_strv(old, "spec", "nodeName", NULL) : ""))
		field_errors_add(errs, FE_FORBIDDEN, "status.nodeName", NULL, "may not be changed directly");
	if (*nom && strcmp(nom, jstr0(jget(old, "status"), "nominatedNodeName")))
		validate_each(errs, "status.nominatedNodeName", nom, validate_dns1123_subdomain);
	ip_list(jget(st, "podIPs"), "status.podIPs", errs);
	ip_list(jget(st, "hostIPs"), "status.hostIPs", errs);
}

/* ---- namespaces and nodes -------------------------------------------------------------------- */

/* validateFinalizerName: a qualified name, and a standard one unless it has a '/'. */
static void finalizer_name(const char *name, const char *path, struct field_errors *errs)
{
	static const char *const standard[] = { "kubernetes", "orphan", "foregroundDeletion", NULL };
	validate_each(errs, path, name, validate_qualified_name);
	if (!strchr(name, '/') && !validate_one_of(name, standard))
		field_errors_add_str(errs, FE_INVALID, path, name,
				     "name is neither a standard finalizer name nor is it fully qualified");
}

void validate_namespace(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *f;
	if (old)
		return;
	cJSON_ArrayForEach(f, json_getv(obj, "spec", "finalizers", NULL))
		finalizer_name(cJSON_IsString(f) ? f->valuestring : "", "spec.finalizers", errs);
}

void validate_namespace_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const char *phase = json_strv(obj, "status", "phase", NULL);
	UNUSED(old);
	if (!jget(jget(obj, "metadata"), "deletionTimestamp")) {
		if (!phase || strcmp(phase, "Active"))
			field_errors_add_str(errs, FE_INVALID, "status.Phase", phase ? phase : "",
					     "may only be 'Active' if `deletionTimestamp` is empty");
	} else if (!phase || strcmp(phase, "Terminating")) {
		field_errors_add_str(errs, FE_INVALID, "status.Phase", phase ? phase : "",
				     "may only be 'Terminating' if `deletionTimestamp` is not empty");
	}
}

/* validateNodeTaints (upstream reports them under metadata.taints). */
static void node_taints(const cJSON *taints, struct field_errors *errs)
{
	static const char *const effects[] = { "NoSchedule", "PreferNoSchedule", "NoExecute", NULL };
	char f[VPATH_MAX];
	const cJSON *t, *q;
	int i = 0;
	cJSON_ArrayForEach(t, taints) {
		const char *eff = jstr0(t, "effect");
		validate_each(errs, validate_path(f, "metadata.taints[%d].key", i), jstr0(t, "key"), validate_qualified_name);
		validate_each(errs, validate_path(f, "metadata.taints[%d].value", i), jstr0(t, "value"), validate_label_value);
		validate_path(f, "metadata.taints[%d].effect", i);
		if (!*eff)
			field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
		else if (!validate_one_of(eff, effects))
			validate_not_supported_str(errs, f, eff, effects);
		for (q = taints->child; q != t; q = q->next)
			if (!strcmp(jstr0(q, "key"), jstr0(t, "key")) && !strcmp(jstr0(q, "effect"), eff)) {
				struct buf go = BUF_INIT;
				buf_adds(&go, "core.Taint{Key:");
				field_quote(&go, jstr0(t, "key"));
				buf_adds(&go, ", Value:");
				field_quote(&go, jstr0(t, "value"));
				buf_adds(&go, ", Effect:");
				field_quote(&go, eff);
				buf_adds(&go, jget(t, "timeAdded") ? ", TimeAdded:(*v1.Time)(...)}" : ", TimeAdded:(*v1.Time)(nil)}");
				field_errors_add_raw(errs, FE_DUPLICATE, validate_path(f, "metadata.taints[%d]", i), buf_str(&go),
						     "taints must be unique by key and effect pair");
				buf_release(&go);
				break;
			}
		i++;
	}
}

static void node_resources(const cJSON *status, struct field_errors *errs)
{
	static const char *const lists[] = { "capacity", "allocatable" };
	char f[VPATH_MAX];
	const cJSON *v;
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		cJSON_ArrayForEach(v, json_obj(status, lists[l])) {
			struct quantity q;
			const char *err;
			struct buf s = BUF_INIT;
			validate_path(f, "status.%s.%s", lists[l], v->string);
			if (quantity_from_json(v, &q, &err) < 0) {
				field_errors_add(errs, FE_INVALID, f, v, "%s", err);
				continue;
			}
			quantity_format(&q, &s);
			if (quantity_sign(&q) < 0)
				field_errors_add_str(errs, FE_INVALID, f, buf_str(&s), "must be greater than or equal to 0");
			buf_release(&s);
		}
}

static void pod_cidrs(const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *cidrs = jget(spec, "podCIDRs"), *c, *q;
	int i = 0, v4 = 0, v6 = 0, n = cJSON_GetArraySize(cidrs);
	cJSON_ArrayForEach(c, cidrs) {
		const char *s = cJSON_IsString(c) ? c->valuestring : "";
		validate_cidr(errs, validate_path(f, "spec.podCIDRs[%d]", i++), s);
		v4 += strchr(s, ':') == NULL;
		v6 += strchr(s, ':') != NULL;
	}
	if (n < 2)
		return;
	if (v4 != 1 || v6 != 1)
		field_errors_add(errs, FE_INVALID, "spec.podCIDRs", cidrs, "may specify no more than one CIDR for each IP family");
	i = 0;
	cJSON_ArrayForEach(c, cidrs) {
		for (q = cidrs->child; q != c; q = q->next)
			if (validate_same(q, c)) {
				field_errors_add(errs, FE_DUPLICATE, validate_path(f, "spec.podCIDRs[%d]", i), c, NULL);
				break;
			}
		i++;
	}
}

void validate_node(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *ospec = jget(old, "spec");
	node_taints(jget(spec, "taints"), errs);
	node_resources(jget(obj, "status"), errs);
	if (!old) {
		pod_cidrs(spec, errs);
		return;
	}
	if (jarr(ospec, "podCIDRs")) {
		const cJSON *n = jget(spec, "podCIDRs"), *o = jget(ospec, "podCIDRs"), *a, *b;
		int changed = cJSON_GetArraySize(n) != cJSON_GetArraySize(o);
		for (a = n ? n->child : NULL, b = o->child; !changed && a && b; a = a->next, b = b->next)
			changed = !validate_same(a, b);
		if (changed)
			field_errors_add(errs, FE_FORBIDDEN, "spec.podCIDRs", NULL,
					 "node updates may not change podCIDR except from \"\" to valid");
	}
	if (*jstr0(ospec, "providerID") && strcmp(jstr0(ospec, "providerID"), jstr0(spec, "providerID")))
		field_errors_add(errs, FE_FORBIDDEN, "spec.providerID", NULL,
				 "node updates may not change providerID except from \"\" to valid");
}

/* ---- config maps and secrets ------------------------------------------------------------------ */

/* Decoded length of base64 text (its padding-aware length). */
static size_t b64_len(const char *s)
{
	size_t n = strlen(s), pad = 0;
	if (n && s[n - 1] == '=')
		pad++;
	if (n > 1 && s[n - 2] == '=')
		pad++;
	return n / 4 * 3 > pad ? n / 4 * 3 - pad : 0;
}

void validate_configmap(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *data = json_obj(obj, "data"), *bin = json_obj(obj, "binaryData"), *it;
	size_t total = 0;
	if (old && jtrue(old, "immutable")) {
		if (!jtrue(obj, "immutable"))
			field_errors_add(errs, FE_FORBIDDEN, "immutable", NULL, "field is immutable when `immutable` is set");
		if (!validate_sem_equal(data, jget(old, "data")))
			field_errors_add(errs, FE_FORBIDDEN, "data", NULL, "field is immutable when `immutable` is set");
		if (!validate_sem_equal(bin, jget(old, "binaryData")))
			field_errors_add(errs, FE_FORBIDDEN, "binaryData", NULL, "field is immutable when `immutable` is set");
	}
	cJSON_ArrayForEach(it, data) {
		validate_each(errs, validate_path(f, "data[%s]", it->string), it->string, validate_config_map_key);
		if (jget(bin, it->string))
			field_errors_add_str(errs, FE_INVALID, f, it->string, "duplicate of key present in binaryData");
		total += cJSON_IsString(it) ? strlen(it->valuestring) : 0;
	}
	cJSON_ArrayForEach(it, bin) {
		validate_each(errs, validate_path(f, "binaryData[%s]", it->string), it->string, validate_config_map_key);
		total += cJSON_IsString(it) ? b64_len(it->valuestring) : 0;
	}
	if (total > MAX_SECRET_SIZE)
		field_errors_add(errs, FE_TOO_LONG, "", NULL, "may not be more than %d bytes", MAX_SECRET_SIZE);
}

/* The data keys a secret type requires. */
static void secret_type(const cJSON *obj, struct field_errors *errs)
{
	const char *type = jstr0(obj, "type");
	const cJSON *data = jget(obj, "data");
	if (!strcmp(type, "kubernetes.io/service-account-token")) {
		if (!*jstr0(json_getv(obj, "metadata", "annotations", NULL), "kubernetes.io/service-account.name"))
			field_errors_add(errs, FE_REQUIRED, "metadata.annotations[kubernetes.io/service-account.name]", NULL, NULL);
	} else if (!strcmp(type, "kubernetes.io/dockercfg") && !jget(data, ".dockercfg")) {
		field_errors_add(errs, FE_REQUIRED, "data[.dockercfg]", NULL, NULL);
	} else if (!strcmp(type, "kubernetes.io/dockerconfigjson") && !jget(data, ".dockerconfigjson")) {
		field_errors_add(errs, FE_REQUIRED, "data[.dockerconfigjson]", NULL, NULL);
	} else if (!strcmp(type, "kubernetes.io/basic-auth") && !jget(data, "username") && !jget(data, "password")) {
		field_errors_add(errs, FE_REQUIRED, "data[username]", NULL, NULL);
		field_errors_add(errs, FE_REQUIRED, "data[password]", NULL, NULL);
	} else if (!strcmp(type, "kubernetes.io/ssh-auth") && !*jstr0(data, "ssh-privatekey")) {
		field_errors_add(errs, FE_REQUIRED, "data[ssh-privatekey]", NULL, NULL);
	} else if (!strcmp(type, "kubernetes.io/tls")) {
		if (!jget(data, "tls.crt"))
			field_errors_add(errs, FE_REQUIRED, "data[tls.crt]", NULL, NULL);
		if (!jget(data, "tls.key"))
			field_errors_add(errs, FE_REQUIRED, "data[tls.key]", NULL, NULL);
	}
}

void validate_secret(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *it;
	size_t total = 0;
	if (old) {
		validate_immutable(errs, "type", jget(obj, "type"), jget(old, "type"));
		if (jtrue(old, "immutable")) {
			if (!jtrue(obj, "immutable"))
				field_errors_add(errs, FE_FORBIDDEN, "immutable", NULL, "field is immutable when `immutable` is set");
			if (!validate_sem_equal(jget(obj, "data"), jget(old, "data")))
				field_errors_add(errs, FE_FORBIDDEN, "data", NULL, "field is immutable when `immutable` is set");
		}
	}
	cJSON_ArrayForEach(it, json_obj(obj, "data")) {
		validate_each(errs, validate_path(f, "data[%s]", it->string), it->string, validate_config_map_key);
		total += cJSON_IsString(it) ? b64_len(it->valuestring) : 0;
	}
	if (total > MAX_SECRET_SIZE)
		field_errors_add_str(errs, FE_TOO_LONG, "data", "", "may not be more than %d bytes", MAX_SECRET_SIZE);
	secret_type(obj, errs);
}

/* ---- endpoints --------------------------------------------------------------------------------- */

static void endpoint_address(const cJSON *a, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *ip = jstr0(a, "ip");
	validate_ip(errs, validate_path(f, "%s.ip", path), ip);
	if (*jstr0(a, "hostname"))
		validate_each(errs, validate_path(f, "%s.hostname", path), jstr(a, "hostname"), validate_dns1123_label);
	if (jget(a, "nodeName"))
		validate_each(errs, validate_path(f, "%s.nodeName", path), jstr0(a, "nodeName"), validate_dns1123_subdomain);
	validate_non_special_ip(errs, validate_path(f, "%s.ip", path), ip);
}

/* An Endpoints port (slice: an EndpointSlice port, whose name and protocol are pointers and
 * whose number is not checked). */
static void endpoint_port(const cJSON *p, int require_name, int slice, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *name = jstr0(p, "name"), *proto = jstr0(p, "protocol");
	if (require_name && !*name)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.name", path), NULL, NULL);
	else if (*name)
		validate_each(errs, validate_path(f, "%s.name", path), name, validate_dns1123_label);
	if (!slice)
		validate_port_num(errs, validate_path(f, "%s.port", path), jget(p, "port"));
	validate_path(f, "%s.protocol", path);
	if (slice ? !jget(p, "protocol") : !*proto)
		field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
	else if (!validate_one_of(proto, protocols))
		validate_not_supported(errs, f, jget(p, "protocol"), protocols);
	if (jget(p, "appProtocol"))
		validate_each(errs, validate_path(f, "%s.appProtocol", path), jstr0(p, "appProtocol"), validate_qualified_name);
}

void validate_endpoints(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *ss, *a;
	int i = 0;
	UNUSED(old);
	cJSON_ArrayForEach(ss, jget(obj, "subsets")) {
		int j = 0, nports = cJSON_GetArraySize(jget(ss, "ports"));
		if (!jarr(ss, "addresses") && !jarr(ss, "notReadyAddresses"))
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "subsets[%d]", i), NULL,
					 "must specify `addresses` or `notReadyAddresses`");
		cJSON_ArrayForEach(a, jget(ss, "addresses"))
			endpoint_address(a, validate_path(f, "subsets[%d].addresses[%d]", i, j++), errs);
		j = 0;
		cJSON_ArrayForEach(a, jget(ss, "notReadyAddresses"))
			endpoint_address(a, validate_path(f, "subsets[%d].notReadyAddresses[%d]", i, j++), errs);
		j = 0;
		cJSON_ArrayForEach(a, jget(ss, "ports"))
			endpoint_port(a, nports > 1, 0, validate_path(f, "subsets[%d].ports[%d]", i, j++), errs);
		i++;
	}
}

/* ---- events ------------------------------------------------------------------------------------ */

/* The fields of an Event under their core/v1 names, from either API's object. */
struct event_view {
	const cJSON *involved, *source, *series, *first, *last, *count, *event_time;
	const char *ns, *reason, *message, *type, *controller, *instance, *action;
	const char *controller_field; /* "reportingComponent" (core/v1) or "reportingController" */
};

static void event_view(const cJSON *obj, int v1, struct event_view *e)
{
	e->ns = jstr0(jget(obj, "metadata"), "namespace");
	e->involved = jget(obj, v1 ? "regarding" : "involvedObject");
	e->source = jget(obj, v1 ? "deprecatedSource" : "source");
	e->first = jget(obj, v1 ? "deprecatedFirstTimestamp" : "firstTimestamp");
	e->last = jget(obj, v1 ? "deprecatedLastTimestamp" : "lastTimestamp");
	e->count = jget(obj, v1 ? "deprecatedCount" : "count");
	e->message = jstr0(obj, v1 ? "note" : "message");
	e->controller = jstr0(obj, v1 ? "reportingController" : "reportingComponent");
	e->controller_field = v1 ? "reportingController" : "reportingComponent";
	e->series = jget(obj, "series");
	e->event_time = jget(obj, "eventTime");
	e->reason = jstr0(obj, "reason");
	e->type = jstr0(obj, "type");
	e->instance = jstr0(obj, "reportingInstance");
	e->action = jstr0(obj, "action");
}

/* A required string field of at most limit characters. */
static void event_string(const char *value, const char *field, size_t limit, struct field_errors *errs)
{
	if (!*value)
		field_errors_add(errs, FE_REQUIRED, field, NULL, NULL);
	if (strlen(value) > limit)
		field_errors_add_str(errs, FE_INVALID, field, "", "can have at most %zu characters", limit);
}

/* legacyValidateEvent */
static void event_legacy(const struct event_view *e, struct field_errors *errs)
{
	const char *ions = jstr0(e->involved, "namespace");
	if (!e->event_time) {
		if ((!*ions && *e->ns && strcmp(e->ns, "default")) || (*ions && strcmp(e->ns, ions)))
			field_errors_add_str(errs, FE_INVALID, "involvedObject.namespace", ions, "does not match event.namespace");
	} else {
		if (!*ions && strcmp(e->ns, "default") && strcmp(e->ns, "kube-system"))
			field_errors_add_str(errs, FE_INVALID, "involvedObject.namespace", ions, "does not match event.namespace");
		if (!*e->controller)
			field_errors_add(errs, FE_REQUIRED, e->controller_field, NULL, NULL);
		validate_each(errs, e->controller_field, e->controller, validate_qualified_name);
		event_string(e->instance, "reportingInstance", 128, errs);
		event_string(e->action, "action", 128, errs);
		event_string(e->reason, "reason", 128, errs);
		if (strlen(e->message) > 1024)
			field_errors_add_str(errs, FE_INVALID, "message", "", "can have at most 1024 characters");
	}
	validate_each(errs, "namespace", e->ns, validate_dns1123_subdomain);
}

void validate_event(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	struct event_view e;
	UNUSED(old);
	event_view(obj, 0, &e);
	event_legacy(&e, errs);
}

/* The strict checks of events.k8s.io/v1 on create. */
static void event_strict(const struct event_view *e, struct field_errors *errs)
{
	int64_t c = 0;
	if (e->series) {
		jint(e->series, "count", &c);
		if (c < 2)
			field_errors_add_str(errs, FE_INVALID, "series.count", "", "should be at least 2");
		if (!jget(e->series, "lastObservedTime"))
			field_errors_add(errs, FE_REQUIRED, "series.lastObservedTime", NULL, NULL);
	}
	if (!e->event_time)
		field_errors_add(errs, FE_REQUIRED, "eventTime", NULL, NULL);
	if (strcmp(e->type, "Normal") && strcmp(e->type, "Warning"))
		field_errors_add_str(errs, FE_INVALID, "type", "", "has invalid value: %s", e->type);
	if (e->first)
		field_errors_add_str(errs, FE_INVALID, "firstTimestamp", "", "needs to be unset");
	if (e->last)
		field_errors_add_str(errs, FE_INVALID, "lastTimestamp", "", "needs to be unset");
	if (cJSON_IsNumber(e->count) && e->count->valuedouble != 0)
		field_errors_add_str(errs, FE_INVALID, "count", "", "needs to be unset");
	if (*jstr0(e->source, "component") || *jstr0(e->source, "host"))
		field_errors_add_str(errs, FE_INVALID, "source", "", "needs to be unset");
}

void validate_event_v1(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const fields[][2] = {
		{ "regarding", "involvedObject" }, { "reason", "reason" }, { "note", "message" },
		{ "deprecatedSource", "source" }, { "deprecatedFirstTimestamp", "firstTimestamp" },
		{ "deprecatedLastTimestamp", "lastTimestamp" }, { "deprecatedCount", "count" }, { "reason", "reason" },
		{ "type", "type" }, { "eventTime", "eventTime" }, { "action", "action" }, { "related", "related" },
		{ "reportingController", "reportingController" }, { "reportingInstance", "reportingInstance" },
	};
	struct event_view e;
	event_view(obj, 1, &e);
	event_legacy(&e, errs);
	if (!old) {
		event_strict(&e, errs);
		return;
	}
	if (!validate_sem_equal(e.series, jget(old, "series")))
		event_strict(&(struct event_view){ .series = e.series, .event_time = e.event_time, .type = "Normal" }, errs);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (!validate_sem_equal(jget(obj, fields[i][0]), jget(old, fields[i][0])))
			validate_immutable(errs, fields[i][1], jget(obj, fields[i][0]), jget(old, fields[i][0]));
}

/* ---- coordination and discovery ------------------------------------------------------------------ */

void validate_lease(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *d = jget(spec, "leaseDurationSeconds"), *t = jget(spec, "leaseTransitions");
	UNUSED(old);
	if (d && (!cJSON_IsNumber(d) || d->valuedouble <= 0))
		field_errors_add(errs, FE_INVALID, "spec.leaseDurationSeconds", d, "must be greater than 0");
	if (t && (!cJSON_IsNumber(t) || t->valuedouble < 0))
		field_errors_add(errs, FE_INVALID, "spec.leaseTransitions", t, "must be greater than or equal to 0");
	if (*jstr0(spec, "preferredHolder") && !*jstr0(spec, "strategy"))
		field_errors_add(errs, FE_FORBIDDEN, "spec.preferredHolder", NULL, "may only be specified if `strategy` is defined");
}

/* IsFullyQualifiedDomainName */
static void fqdn(const char *name, const char *path, struct field_errors *errs)
{
	struct buf why = BUF_INIT;
	char *n = xstrdup(name);
	size_t len = strlen(n);
	if (!len) {
		field_errors_add(errs, FE_REQUIRED, path, NULL, NULL);
		goto out;
	}
	if (n[len - 1] == '.')
		n[len - 1] = '\0';
	if (validate_dns1123_subdomain(n, &why) < 0) {
		for (char *p = strstr(why.data, "; "); p; p = strstr(p, "; "))
			memmove(p + 1, p + 2, strlen(p + 2) + 1);
		field_errors_add_str(errs, FE_INVALID, path, n, "%s", buf_str(&why));
	} else if (!strchr(n, '.')) {
		field_errors_add_str(errs, FE_INVALID, path, n, "should be a domain with at least two segments separated by dots");
	}
out:
	buf_release(&why);
	free(n);
}

static void slice_address(const char *type, const char *addr, const char *path, struct field_errors *errs)
{
	unsigned char a[16];
	int fam = validate_parse_ip(addr, a);
	if (!strcmp(type, "IPv4") || !strcmp(type, "IPv6")) {
		int want = type[3] - '0';
		if (fam != want)
			field_errors_add_str(errs, FE_INVALID, path, addr, "must be a valid %s address", type);
		else
			validate_non_special_ip(errs, path, addr);
	} else if (!strcmp(type, "FQDN")) {
		fqdn(addr, path, errs);
	}
}

static void slice_endpoints(const cJSON *obj, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *type = jstr0(obj, "addressType");
	const cJSON *list = jget(obj, "endpoints"), *e, *a;
	int i = 0;
	if (cJSON_GetArraySize(list) > 1000) {
		field_errors_add_raw(errs, FE_TOO_MANY, "endpoints", NULL, "must have at most 1000 items");
		return;
	}
	cJSON_ArrayForEach(e, list) {
		int j = 0, n = cJSON_GetArraySize(jget(e, "addresses"));
		if (!n)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "endpoints[%d].addresses", i), NULL,
					 "must contain at least 1 address");
		else if (n > 100)
			field_errors_add_raw(errs, FE_TOO_MANY, validate_path(f, "endpoints[%d].addresses", i), NULL,
					     "must have at most 100 items");
		cJSON_ArrayForEach(a, jget(e, "addresses"))
			slice_address(type, cJSON_IsString(a) ? a->valuestring : "", validate_path(f, "endpoints[%d].addresses[%d]", i, j++), errs);
		if (jget(e, "nodeName"))
			validate_each(errs, validate_path(f, "endpoints[%d].nodeName", i), jstr0(e, "nodeName"), validate_dns1123_subdomain);
		validate_labels(jget(e, "deprecatedTopology"), validate_path(f, "endpoints[%d].deprecatedTopology", i), errs);
		if (jget(e, "hostname"))
			validate_each(errs, validate_path(f, "endpoints[%d].hostname", i), jstr0(e, "hostname"), validate_dns1123_label);
		i++;
	}
}

void validate_endpointslice(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const types[] = { "FQDN", "IPv4", "IPv6", NULL };
	char f[VPATH_MAX];
	const char *type = jstr0(obj, "addressType");
	const cJSON *p, *q;
	int i = 0;
	if (!*type)
		field_errors_add(errs, FE_REQUIRED, "addressType", NULL, NULL);
	else if (!validate_one_of(type, types))
		validate_not_supported_str(errs, "addressType", type, types);
	slice_endpoints(obj, errs);
	cJSON_ArrayForEach(p, jget(obj, "ports")) {
		validate_path(f, "ports[%d]", i);
		for (q = jget(obj, "ports")->child; q != p; q = q->next)
			if (!strcmp(jstr0(q, "name"), jstr0(p, "name")))
				break;
		endpoint_port(p, 0, 1, f, errs);
		if (q != p)
			field_errors_add_str(errs, FE_DUPLICATE, validate_path(f, "ports[%d].name", i), jstr0(p, "name"), NULL);
		i++;
	}
	if (old)
		validate_immutable(errs, "addressType", jget(obj, "addressType"), jget(old, "addressType"));
}
