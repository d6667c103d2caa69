/*
 * kinds.h - what the per-kind hook files share: the hooks themselves (defaults.c, prepare.c,
 * validate_pod.c, validate_core.c, validate_service.c, validate_apps.c, validate_batch.c,
 * dispatched by kinds.c) and the helpers they have in common (validate_util.c; quantities are
 * in quantity.h).
 *
 * Objects are cJSON trees decoded from the wire (v1 field names). Hooks never free what they
 * are given; JSON null reads as absent, as Go's decoder leaves a nil pointer.
 */
#ifndef KUBE_SERVER_KINDS_H
#define KUBE_SERVER_KINDS_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "server/validate.h"

struct buf;

/* ---- JSON access -------------------------------------------------------------------------- */

/* obj[key], or NULL when obj is not an object, the key is absent or its value is null. */
static inline const cJSON *jget(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsNull(v) ? NULL : v;
}

/* obj[key] as a string, or NULL. */
static inline const char *jstr(const cJSON *obj, const char *key)
{
	const cJSON *v = jget(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* obj[key] as a string, "" when absent (a Go string field's zero value). */
static inline const char *jstr0(const cJSON *obj, const char *key)
{
	const char *s = jstr(obj, key);
	return s ? s : "";
}

/* Is obj[key] the JSON true? */
static inline int jtrue(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(jget(obj, key));
}

/* obj[key] when it is an array of at least one element, else NULL. */
static inline const cJSON *jarr(const cJSON *obj, const char *key)
{
	const cJSON *v = jget(obj, key);
	return cJSON_IsArray(v) && v->child ? v : NULL;
}

/* obj[key] when it is an object with at least one member, else NULL. */
static inline const cJSON *jmap(const cJSON *obj, const char *key)
{
	const cJSON *v = jget(obj, key);
	return cJSON_IsObject(v) && v->child ? v : NULL;
}

/* obj[key] as an integer in *out (0 when absent). Returns 1 when present and integral, 0 when
 * absent, -1 when present but not an integer. */
static inline int jint(const cJSON *obj, const char *key, int64_t *out)
{
	const cJSON *v = jget(obj, key);
	*out = 0;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble > 9.2e18 || v->valuedouble < -9.2e18 ||
	    v->valuedouble != (double)(int64_t)v->valuedouble)
		return -1;
	*out = (int64_t)v->valuedouble;
	return 1;
}

/* A JSON number as an integer, clamped to int64 (0 when v is not a number). */
static inline int64_t jnum(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != v->valuedouble)
		return 0;
	if (v->valuedouble >= 9.2e18)
		return INT64_MAX;
	if (v->valuedouble <= -9.2e18)
		return INT64_MIN;
	return (int64_t)v->valuedouble;
}

/* ---- defaults (defaults.c): SetDefaults_* and conversion-time normalisation ---------------- */

/* Each defaults_<kind>(obj) fills in obj, a decoded object of that kind owned by the caller,
 * what upstream's decoder and SetDefaults_* would (struct kind_hooks.defaults). Members of the
 * wrong JSON type are left as they are. */

void defaults_pod(cJSON *obj);
void defaults_namespace(cJSON *obj);
void defaults_node(cJSON *obj);
void defaults_service(cJSON *obj);
void defaults_endpoints(cJSON *obj);
void defaults_secret(cJSON *obj);
void defaults_deployment(cJSON *obj);
void defaults_replicaset(cJSON *obj);
void defaults_replicationcontroller(cJSON *obj);
void defaults_daemonset(cJSON *obj);
void defaults_statefulset(cJSON *obj);
void defaults_job(cJSON *obj);
void defaults_cronjob(cJSON *obj);
void defaults_event(cJSON *obj);
void defaults_event_v1(cJSON *obj);
void defaults_lease(cJSON *obj);
void defaults_endpointslice(cJSON *obj);
/* The defaults every pod template gets (PodTemplateSpec: metadata and SetDefaults_PodSpec with
 * its containers and volumes); tmpl is the template object, created members as needed. */
void defaults_pod_template(cJSON *tmpl);

/* ---- preparation (prepare.c): the strategies' PrepareForCreate / PrepareForUpdate ---------- */

/* Each prepare_<kind>(obj, old) changes obj (the caller's) as the kind's strategy does before
 * validation: old is NULL on create, else the stored object (borrowed). See struct
 * kind_hooks.prepare for what the generic path has already done. */

void prepare_pod(cJSON *obj, const cJSON *old);
void prepare_namespace(cJSON *obj, const cJSON *old);
void prepare_node(cJSON *obj, const cJSON *old);
void prepare_service(cJSON *obj, const cJSON *old);
void prepare_deployment(cJSON *obj, const cJSON *old);
void prepare_replicaset(cJSON *obj, const cJSON *old);
void prepare_daemonset(cJSON *obj, const cJSON *old);
void prepare_statefulset(cJSON *obj, const cJSON *old);
void prepare_job(cJSON *obj, const cJSON *old);
void prepare_cronjob(cJSON *obj, const cJSON *old);
void prepare_lease(cJSON *obj, const cJSON *old);
void prepare_endpointslice(cJSON *obj, const cJSON *old);
/* The QoS class of a pod spec (qos.ComputePodQOS): "BestEffort", "Burstable" or "Guaranteed". */
const char *prepare_pod_qos(const cJSON *spec);

/* ---- validation: upstream's Validate* / Validate*Update per kind --------------------------- */

/* Each validate_<kind>(obj, old, errs) appends to errs upstream's errors for obj (old: NULL on
 * create, else the stored object); validate_<kind>_status does the same for status writes.
 * Neither changes its inputs nor checks metadata, which the generic path has done. */

/* validate_pod.c: pod specs and templates, shared by every workload kind. */
enum pod_opts {
	POD_IS_POD = 1 << 0, /* the spec is a Pod's, not a template's (opts.ResourceIsPod) */
};
/* ValidatePodSpec under path ("spec", "spec.template.spec"); meta is the pod's metadata or
 * NULL for templates. */
void validate_pod_spec(const cJSON *spec, const cJSON *meta, const char *path, unsigned opts,
		       struct field_errors *errs);
/* ValidatePodTemplateSpec for the template at path ("spec.template"). */
void validate_pod_template(const cJSON *tmpl, const char *path, struct field_errors *errs);
/* ValidatePodSpecificAnnotations for annotations at path ("metadata.annotations"). */
void validate_pod_annotations(const cJSON *annotations, const cJSON *spec, const char *path,
			      struct field_errors *errs);
/* ValidateTolerations for the list at path. */
void validate_tolerations(const cJSON *tols, const char *path, struct field_errors *errs);
/* ValidateResourceRequirements for a container's resources at path. */
void validate_resources(const cJSON *res, const char *path, struct field_errors *errs);

/* validate_core.c */
void validate_pod(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_pod_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_namespace(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_namespace_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_node(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_service(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_service_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_endpoints(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_configmap(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_secret(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_event(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_event_v1(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_lease(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_endpointslice(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* validate_apps.c */
void validate_deployment(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_deployment_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_replicaset(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_replicaset_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
/* ReplicationController: upstream's ValidateReplicationController (selector mutable); its
 * status is checked like a ReplicaSet's. */
void validate_replicationcontroller(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_daemonset(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_daemonset_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_statefulset(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_statefulset_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_controllerrevision(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* validate_batch.c */
void validate_job(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_job_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_cronjob(const cJSON *obj, const cJSON *old, struct field_errors *errs);
/* Parses a schedule as robfig/cron's ParseStandard does. Returns 0, or -1 with its error message
 * appended to why. */
int validate_cron_schedule(const char *schedule, struct buf *why);

/* validate_policy.c: PodDisruptionBudget (no defaults upstream; prepare gives a new budget its
 * zero status) */
void prepare_pdb(cJSON *obj, const cJSON *old);
void validate_pdb(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* HorizontalPodAutoscalers (hpa.c, validate_autoscaling.c): the stored autoscaling/v2 form
 * and the autoscaling/v1 view, validated in their v2 form as upstream validates the internal
 * one. hpa_v1_to_v2 converts a v1 object to v2 in place (without v2's defaults). */
void defaults_hpa(cJSON *obj);
void defaults_hpa_v1(cJSON *obj);
void prepare_hpa(cJSON *obj, const cJSON *old);
void prepare_hpa_v1(cJSON *obj, const cJSON *old);
void hpa_v1_to_v2(cJSON *obj);
void validate_hpa(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_hpa_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_hpa_v1(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_hpa_v1_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
/* rbac.authorization.k8s.io (validate_rbac.c). */
void validate_role(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_clusterrole(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_rolebinding(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_clusterrolebinding(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_pdb_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* validate_storage.c: PodTemplate, PersistentVolume, PersistentVolumeClaim, StorageClass,
 * LimitRange and ResourceQuota (defaults, prepare and validate hooks as above). */
void defaults_podtemplate(cJSON *obj);
void validate_podtemplate(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void defaults_pv(cJSON *obj);
void prepare_pv(cJSON *obj, const cJSON *old);
void validate_pv(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_pv_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void defaults_pvc(cJSON *obj);
void prepare_pvc(cJSON *obj, const cJSON *old);
void validate_pvc(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_pvc_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void defaults_storageclass(cJSON *obj);
void validate_storageclass(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void defaults_limitrange(cJSON *obj);
void validate_limitrange(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void defaults_resourcequota(cJSON *obj);
void prepare_resourcequota(cJSON *obj, const cJSON *old);
void validate_resourcequota(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_resourcequota_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* ---- validation helpers (validate_util.c) ------------------------------------------------- */

#define VPATH_MAX 512

/* Formats a field path into out (VPATH_MAX bytes, truncated beyond) and returns out. */
const char *validate_path(char out[VPATH_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));
typedef int validate_name_fn(const char *s, struct buf *why);
/* Adds one Invalid error per message of fn(value) ("; "-joined by fn) on field. */
void validate_each(struct field_errors *errs, const char *field, const char *value, validate_name_fn *fn);
/* The same checking one string and showing another (annotation keys are checked lowercased). */
void validate_each_as(struct field_errors *errs, const char *field, const char *shown, const char *checked,
		      validate_name_fn *fn);
/* ValidateAnnotations at path: keys qualified names in any case, 256 KiB in all. */
void validate_annotations(const cJSON *ann, const char *path, struct field_errors *errs);
/* More of apimachinery's string checks, with validate_dns1123_label's contract: IsConfigMapKey,
 * IsValidPortName, IsRelaxedEnvVarName. */
int validate_config_map_key(const char *s, struct buf *why);
int validate_port_name(const char *s, struct buf *why);
int validate_env_var_name(const char *s, struct buf *why);
/* Adds NotSupported on field for value v, listing the supported values (NULL-ended). */
void validate_not_supported(struct field_errors *errs, const char *field, const cJSON *v,
			    const char *const *supported);
/* The same with the value given as a string. */
void validate_not_supported_str(struct field_errors *errs, const char *field, const char *v,
				const char *const *supported);
/* The same with the value already rendered as Go prints it. */
void validate_not_supported_raw(struct field_errors *errs, const char *field, const char *rendered,
				const char *const *supported);
/* Is s one of the NULL-ended list? */
int validate_one_of(const char *s, const char *const *list);
/* ValidateNonnegativeField for obj[key] at path (absent reads as 0). */
void validate_nonneg(struct field_errors *errs, const char *path, const cJSON *obj, const char *key);
/* Reports obj[key] when present and not an integer ("must be an integer"); returns its value
 * in *out (0 otherwise) and 1 when it is a present integer. */
int validate_int(struct field_errors *errs, const char *path, const cJSON *obj, const char *key, int64_t *out);
/* IsValidPortNum for a value at field ("must be between 1 and 65535, inclusive"). */
void validate_port_num(struct field_errors *errs, const char *field, const cJSON *v);
/* ValidatePortNumOrName for an int-or-string at field. */
void validate_port_num_or_name(struct field_errors *errs, const char *field, const cJSON *v);
/* ValidateLabels for a map at path (keys qualified names, values label values). */
void validate_labels(const cJSON *labels, const char *path, struct field_errors *errs);
/* ValidateLabelSelector for a metav1.LabelSelector at path. */
void validate_label_selector(const cJSON *sel, const char *path, struct field_errors *errs);
/* ValidateImmutableField: Invalid "field is immutable" with the new value when new != old. */
void validate_immutable(struct field_errors *errs, const char *path, const cJSON *nv, const cJSON *ov);
/* The same rendering the value with a caller's renderer (Go's %#v of the field's type). */
void validate_immutable_raw(struct field_errors *errs, const char *path, const char *rendered);
/* Renders a metav1.LabelSelector as Go prints a dereferenced *LabelSelector (%#v). */
void validate_go_selector(struct buf *out, const cJSON *sel);
/* Renders a JSON int-or-string as Go's %#v of intstr.IntOrString. */
void validate_go_intstr(struct buf *out, const cJSON *v);
/* Renders a JSON object of strings as Go's %#v of map[string]string (nil when absent). */
void validate_go_string_map(struct buf *out, const cJSON *m);
/* Parses an IP as netutils.ParseIPSloppy: returns 4 or 6, or 0 when invalid; the address in
 * out (16 bytes, IPv4 as its last 4 after ::ffff:). */
int validate_parse_ip(const char *s, unsigned char out[16]);
/* IsValidIP: "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)". */
void validate_ip(struct field_errors *errs, const char *field, const char *s);
/* ValidateNonSpecialIP: not unspecified, loopback or link-local. */
void validate_non_special_ip(struct field_errors *errs, const char *field, const char *s);
/* IsValidCIDR for s at field. */
void validate_cidr(struct field_errors *errs, const char *field, const char *s);
/* Deep equality of two JSON values, absent and null being the same. */
int validate_same(const cJSON *a, const cJSON *b);
/* apiequality.Semantic.DeepEqual on decoded objects: a member that is absent, null, "", 0,
 * false, [] or {} equals any other of these, as Go's zero values and empty collections do. */
int validate_sem_equal(const cJSON *a, const cJSON *b);

#endif
