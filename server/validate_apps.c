/*
 * validate_apps.c - upstream's validation of the apps/v1 kinds (v1.33
 * pkg/apis/apps/validation and the apps strategies' update rules): Deployment, ReplicaSet,
 * DaemonSet, StatefulSet, ControllerRevision, and their status writes; core/v1
 * ReplicationController too (the ReplicaSet's older twin, with a label map for a selector).
 *
 * DESIGN
 * The four workload kinds share one selector check (required, valid, not empty, matching the
 * template's labels, with each kind's own wording) and validate_pod_template() for the pod.
 * Their update rules are the kinds' own: a Deployment's, ReplicaSet's and DaemonSet's selector
 * is immutable ("field is immutable", printed as Go prints a LabelSelector); a StatefulSet
 * allows changes to a fixed list of spec fields only. Status writes check the counters.
 */
#include "server/kinds.h"
#include "server/selector.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- selectors and templates ------------------------------------------------------------------ */

static void invalid_selector(const cJSON *sel, const char *detail, struct field_errors *errs)
{
	struct buf go = BUF_INIT;
	validate_go_selector(&go, sel);
	field_errors_add_raw(errs, FE_INVALID, "spec.selector", buf_str(&go), "%s", detail);
	buf_release(&go);
}

/* Required (when required), ValidateLabelSelector, and the empty-selector rule for noun. */
static void selector_checks(const cJSON *spec, int required, const char *noun, struct field_errors *errs)
{
	const cJSON *sel = jget(spec, "selector");
	if (!sel) {
		if (required)
			field_errors_add(errs, FE_REQUIRED, "spec.selector", NULL, NULL);
		return;
	}
	validate_label_selector(sel, "spec.selector", errs);
	if (!jmap(sel, "matchLabels") && !jarr(sel, "matchExpressions")) {
		char *d = xasprintf("empty selector is invalid for %s", noun);
		invalid_selector(sel, d, errs);
		free(d);
	}
}

/* LabelSelectorAsSelector and the template-labels match. Returns -1 when the selector does not
 * convert (after reporting bad_detail when given). */
static int selector_matches_template(const cJSON *spec, int skip_empty, const char *bad_detail,
				     struct field_errors *errs)
{
	struct selector s;
	const cJSON *sel = jget(spec, "selector");
	const cJSON *labels = json_getv(spec, "template", "metadata", "labels", NULL);
	if (selector_from_json(sel, &s, NULL) < 0) {
		if (bad_detail)
			invalid_selector(sel, bad_detail, errs);
		selector_release(&s);
		return -1;
	}
	if (!(skip_empty && !s.nothing && !s.nreqs) && !selector_matches(&s, sel_lookup_json, labels)) {
		struct buf go = BUF_INIT;
		validate_go_string_map(&go, labels);
		field_errors_add_raw(errs, FE_INVALID, "spec.template.metadata.labels", buf_str(&go),
				     "`selector` does not match template `labels`");
		buf_release(&go);
	}
	selector_release(&s);
	return 0;
}

/* The restart policy and deadline rules of a controller's pod template. */
static void always_restart(const cJSON *spec, const char *kind, struct field_errors *errs)
{
	static const char *const always[] = { "Always", NULL };
	const cJSON *tspec = json_getv(spec, "template", "spec", NULL);
	const char *rp = jstr0(tspec, "restartPolicy");
	if (strcmp(rp, "Always"))
		validate_not_supported_str(errs, "spec.template.spec.restartPolicy", rp, always);
	if (jget(tspec, "activeDeadlineSeconds"))
		field_errors_add(errs, FE_FORBIDDEN, "spec.template.spec.activeDeadlineSeconds", NULL,
				 "activeDeadlineSeconds in %s is not Supported", kind);
}

static void selector_immutable(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *n = json_getv(obj, "spec", "selector", NULL), *o = json_getv(old, "spec", "selector", NULL);
	if (!validate_sem_equal(n, o)) {
		struct buf go = BUF_INIT;
		validate_go_selector(&go, n);
		validate_immutable_raw(errs, "spec.selector", n ? buf_str(&go) : "\"null\"");
		buf_release(&go);
	}
}

/* ---- int-or-percent ---------------------------------------------------------------------------- */

/* The percentage of a valid "N%" string in *out; returns 1, or 0 when v is not one. */
static int percent(const cJSON *v, int64_t *out)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || s[n - 1] != '%')
		return 0;
	*out = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*out = MIN(*out * 10 + (s[i] - '0'), 1000000);
	}
	return 1;
}

/* getIntOrPercentValue */
static int64_t int_or_percent(const cJSON *v)
{
	int64_t p;
	if (percent(v, &p))
		return p;
	return jnum(v);
}

static void intstr_invalid(struct field_errors *errs, const char *path, const cJSON *v, const char *detail)
{
	struct buf go = BUF_INIT;
	validate_go_intstr(&go, v);
	field_errors_add_raw(errs, FE_INVALID, path, buf_str(&go), "%s", detail);
	buf_release(&go);
}

/* ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
static void positive_int_or_percent(const cJSON *v, int max100, const char *path, struct field_errors *errs)
{
	int64_t p;
	if (cJSON_IsString(v) && !percent(v, &p))
		intstr_invalid(errs, path, v, "a valid percent string must be a numeric string followed by an ending "
					      "'%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
	else if (cJSON_IsNumber(v) && v->valuedouble < 0)
		field_errors_add(errs, FE_INVALID, path, v, "must be greater than or equal to 0");
	if (max100 && percent(v, &p) && p > 100)
		intstr_invalid(errs, path, v, "must not be greater than 100%");
}

/* ---- deployments and replica sets ---------------------------------------------------------------- */

/* Go's %#v of a dereferenced *apps.<Kind>Strategy with a type and an optional rollingUpdate. */
static void go_strategy(struct buf *out, const char *type_name, const char *ru_type, const cJSON *st)
{
	buf_addf(out, "apps.%s{Type:", type_name);
	field_quote(out, jstr0(st, "type"));
	buf_addf(out, ", RollingUpdate:(*apps.%s)(%s)}", ru_type, jget(st, "rollingUpdate") ? "..." : "nil");
}

static void deployment_strategy(const cJSON *spec, struct field_errors *errs)
{
	static const char *const types[] = { "Recreate", "RollingUpdate", NULL };
	const cJSON *st = jget(spec, "strategy"), *ru = jget(st, "rollingUpdate");
	const char *type = jstr0(st, "type");
	if (!strcmp(type, "Recreate")) {
		if (ru)
			field_errors_add(errs, FE_FORBIDDEN, "spec.strategy.rollingUpdate", NULL,
					 "may not be specified when strategy `type` is 'Recreate'");
	} else if (!strcmp(type, "RollingUpdate")) {
		const cJSON *mu = jget(ru, "maxUnavailable"), *ms = jget(ru, "maxSurge");
		if (!ru) {
			field_errors_add(errs, FE_REQUIRED, "spec.strategy.rollingUpdate", NULL,
					 "this should be defaulted and never be nil");
			return;
		}
		positive_int_or_percent(mu, 0, "spec.strategy.rollingUpdate.maxUnavailable", errs);
		positive_int_or_percent(ms, 0, "spec.strategy.rollingUpdate.maxSurge", errs);
		if (int_or_percent(mu) == 0 && int_or_percent(ms) == 0)
			intstr_invalid(errs, "spec.strategy.rollingUpdate.maxUnavailable", mu, "may not be 0 when `maxSurge` is 0");
		positive_int_or_percent(mu, 1, "spec.strategy.rollingUpdate.maxUnavailable", errs);
	} else {
		struct buf go = BUF_INIT;
		go_strategy(&go, "DeploymentStrategy", "RollingUpdateDeployment", st);
		validate_not_supported_raw(errs, "spec.strategy", buf_str(&go), types);
		buf_release(&go);
	}
}

/* ValidateReplicaSetSpec's selector and template part (shared with Deployments). */
static void replica_template(const cJSON *spec, const char *kind, struct field_errors *errs)
{
	validate_nonneg(errs, "spec.replicas", spec, "replicas");
	selector_checks(spec, 1, "deployment", errs);
	if (selector_matches_template(spec, 1, "invalid label selector", errs) == 0) {
		validate_pod_template(jget(spec, "template"), "spec.template", errs);
		always_restart(spec, kind, errs);
	}
}

void validate_deployment(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *pds = jget(spec, "progressDeadlineSeconds");
	int64_t mrs = 0;
	replica_template(spec, "ReplicaSet", errs);
	deployment_strategy(spec, errs);
	validate_nonneg(errs, "spec.minReadySeconds", spec, "minReadySeconds");
	if (jget(spec, "revisionHistoryLimit"))
		validate_nonneg(errs, "spec.revisionHistoryLimit", spec, "revisionHistoryLimit");
	if (pds) {
		validate_nonneg(errs, "spec.progressDeadlineSeconds", spec, "progressDeadlineSeconds");
		jint(spec, "minReadySeconds", &mrs);
		if (cJSON_IsNumber(pds) && pds->valuedouble <= (double)mrs)
			field_errors_add(errs, FE_INVALID, "spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds");
	}
	if (old)
		selector_immutable(obj, old, errs);
}

void validate_replicaset(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec");
	validate_nonneg(errs, "spec.replicas", spec, "replicas");
	validate_nonneg(errs, "spec.minReadySeconds", spec, "minReadySeconds");
	selector_checks(spec, 1, "deployment", errs);
	if (selector_matches_template(spec, 1, "invalid label selector", errs) == 0) {
		validate_pod_template(jget(spec, "template"), "spec.template", errs);
		always_restart(spec, "ReplicaSet", errs);
	}
	if (old)
		selector_immutable(obj, old, errs);
}

/* ValidatePodTemplateSpecForRC: the label map must select the template's labels. */
static void rc_template(const cJSON *spec, struct field_errors *errs)
{
	const cJSON *tmpl = jget(spec, "template"), *sel = jget(spec, "selector"), *e;
	const cJSON *labels = json_getv(tmpl, "metadata", "labels", NULL);
	if (!cJSON_IsObject(tmpl)) {
		field_errors_add(errs, FE_REQUIRED, "spec.template", NULL, NULL);
		return;
	}
	int matches = 1;
	cJSON_ArrayForEach(e, sel) {
		const char *v = jstr0(labels, e->string);
		if (!cJSON_IsString(e) || !jget(labels, e->string) || strcmp(v, e->valuestring))
			matches = 0;
	}
	if (!matches) {
		struct buf go = BUF_INIT;
		validate_go_string_map(&go, labels);
		field_errors_add_raw(errs, FE_INVALID, "spec.template.metadata.labels", buf_str(&go),
				     "`selector` does not match template `labels`");
		buf_release(&go);
	}
	validate_pod_template(tmpl, "spec.template", errs);
	always_restart(spec, "ReplicationController", errs);
}

void validate_replicationcontroller(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *sel = jget(spec, "selector");
	UNUSED(old);
	validate_nonneg(errs, "spec.minReadySeconds", spec, "minReadySeconds");
	if (!cJSON_IsObject(sel) || !cJSON_GetArraySize(sel))
		field_errors_add(errs, FE_REQUIRED, "spec.selector", NULL, NULL);
	validate_nonneg(errs, "spec.replicas", spec, "replicas");
	rc_template(spec, errs);
}

/* Non-negative counters of a status, and the "cannot be greater than" rules between them. */
struct counter_rule {
	const char *field, *bound, *detail;
};

static void status_counters(const cJSON *st, const char *const *nonneg, const struct counter_rule *rules,
			    struct field_errors *errs)
{
	char f[VPATH_MAX];
	for (size_t i = 0; nonneg[i]; i++)
		validate_nonneg(errs, validate_path(f, "status.%s", nonneg[i]), st, nonneg[i]);
	for (size_t i = 0; rules && rules[i].field; i++) {
		int64_t a = 0, b = 0;
		jint(st, rules[i].field, &a);
		jint(st, rules[i].bound, &b);
		if (a > b)
			field_errors_add(errs, FE_INVALID, validate_path(f, "status.%s", rules[i].field), jget(st, rules[i].field),
					 "%s", rules[i].detail);
	}
}

/* IsDecremented: the collision count may only grow. */
static void collision_count(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	int64_t n = 0, o = 0;
	int hn = jint(jget(obj, "status"), "collisionCount", &n) > 0, ho = jint(jget(old, "status"), "collisionCount", &o) > 0;
	if (ho && (!hn || n < o)) {
		char v[24];
		snprintf(v, sizeof(v), "%lld", (long long)(hn ? n : 0));
		field_errors_add_raw(errs, FE_INVALID, "status.collisionCount", v, "cannot be decremented");
	}
}

#define GT_REPLICAS "cannot be greater than status.replicas"

void validate_deployment_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const nonneg[] = { "observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
					      "availableReplicas", "unavailableReplicas", "collisionCount", NULL };
	static const struct counter_rule rules[] = { { "updatedReplicas", "replicas", GT_REPLICAS },
						     { "readyReplicas", "replicas", GT_REPLICAS },
						     { "availableReplicas", "replicas", GT_REPLICAS },
						     { "availableReplicas", "readyReplicas", "cannot be greater than readyReplicas" },
						     { NULL, NULL, NULL } };
	status_counters(jget(obj, "status"), nonneg, rules, errs);
	collision_count(obj, old, errs);
}

void validate_replicaset_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const nonneg[] = { "replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
					      "observedGeneration", NULL };
	static const struct counter_rule rules[] = { { "fullyLabeledReplicas", "replicas", GT_REPLICAS },
						     { "readyReplicas", "replicas", GT_REPLICAS },
						     { "availableReplicas", "replicas", GT_REPLICAS },
						     { "availableReplicas", "readyReplicas", "cannot be greater than readyReplicas" },
						     { NULL, NULL, NULL } };
	UNUSED(old);
	status_counters(jget(obj, "status"), nonneg, rules, errs);
}

/* ---- daemon sets ------------------------------------------------------------------------------- */

static void daemonset_strategy(const cJSON *spec, struct field_errors *errs)
{
	static const char *const types[] = { "RollingUpdate", "OnDelete", NULL };
	const cJSON *st = jget(spec, "updateStrategy"), *ru = jget(st, "rollingUpdate");
	const cJSON *mu = jget(ru, "maxUnavailable"), *ms = jget(ru, "maxSurge");
	const char *type = jstr0(st, "type");
	if (!strcmp(type, "OnDelete"))
		return;
	if (strcmp(type, "RollingUpdate")) {
		struct buf go = BUF_INIT;
		go_strategy(&go, "DaemonSetUpdateStrategy", "RollingUpdateDaemonSet", st);
		validate_not_supported_raw(errs, "spec.updateStrategy", buf_str(&go), types);
		buf_release(&go);
		return;
	}
	if (!ru) {
		field_errors_add(errs, FE_REQUIRED, "spec.updateStrategy.rollingUpdate", NULL, NULL);
		return;
	}
	positive_int_or_percent(mu, 1, "spec.updateStrategy.rollingUpdate.maxUnavailable", errs);
	positive_int_or_percent(ms, 1, "spec.updateStrategy.rollingUpdate.maxSurge", errs);
	if (int_or_percent(mu) != 0 && int_or_percent(ms) != 0)
		intstr_invalid(errs, "spec.updateStrategy.rollingUpdate.maxSurge", ms, "may not be set when maxUnavailable is non-zero");
	else if (int_or_percent(mu) == 0 && int_or_percent(ms) == 0)
		field_errors_add(errs, FE_REQUIRED, "spec.updateStrategy.rollingUpdate.maxUnavailable", NULL,
				 "cannot be 0 when maxSurge is 0");
}

void validate_daemonset(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *sel = jget(spec, "selector");
	validate_label_selector(sel, "spec.selector", errs);
	selector_matches_template(spec, 0, NULL, errs);
	if (sel && !jmap(sel, "matchLabels") && !jarr(sel, "matchExpressions"))
		invalid_selector(sel, "empty selector is invalid for daemonset", errs);
	validate_pod_template(jget(spec, "template"), "spec.template", errs);
	always_restart(spec, "DaemonSet", errs);
	validate_nonneg(errs, "spec.minReadySeconds", spec, "minReadySeconds");
	daemonset_strategy(spec, errs);
	if (jget(spec, "revisionHistoryLimit"))
		validate_nonneg(errs, "spec.revisionHistoryLimit", spec, "revisionHistoryLimit");
	if (old)
		selector_immutable(obj, old, errs);
}

void validate_daemonset_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const nonneg[] = { "currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled",
					      "numberReady", "observedGeneration", "updatedNumberScheduled",
					      "numberAvailable", "numberUnavailable", "collisionCount", NULL };
	status_counters(jget(obj, "status"), nonneg, NULL, errs);
	collision_count(obj, old, errs);
}

/* ---- stateful sets ----------------------------------------------------------------------------- */

static void statefulset_policies(const cJSON *spec, struct field_errors *errs)
{
	static const char *const retention[] = { "Retain", "Delete", NULL };
	static const char *const keys[] = { "whenDeleted", "whenScaled" };
	char f[VPATH_MAX];
	const char *pmp = jstr0(spec, "podManagementPolicy");
	const cJSON *st = jget(spec, "updateStrategy"), *ru = jget(st, "rollingUpdate"), *pol;
	const char *type = jstr0(st, "type");
	if (!*pmp)
		field_errors_add(errs, FE_REQUIRED, "spec.podManagementPolicy", NULL, NULL);
	else if (strcmp(pmp, "OrderedReady") && strcmp(pmp, "Parallel"))
		field_errors_add_str(errs, FE_INVALID, "spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'");
	if (!*type) {
		field_errors_add(errs, FE_REQUIRED, "spec.updateStrategy", NULL, NULL);
	} else if (!strcmp(type, "OnDelete")) {
		if (ru) {
			struct buf go = BUF_INIT;
			int64_t part = 0;
			jint(ru, "partition", &part);
			buf_addf(&go, "apps.RollingUpdateStatefulSetStrategy{Partition:%lld, MaxUnavailable:(*intstr.IntOrString)(%s)}",
				 (long long)part, jget(ru, "maxUnavailable") ? "..." : "nil");
			field_errors_add_raw(errs, FE_INVALID, "spec.updateStrategy.rollingUpdate", buf_str(&go),
					     "only allowed for updateStrategy 'RollingUpdate'");
			buf_release(&go);
		}
	} else if (!strcmp(type, "RollingUpdate")) {
		if (ru)
			validate_nonneg(errs, "spec.updateStrategy.rollingUpdate.partition", ru, "partition");
	} else {
		struct buf go = BUF_INIT;
		go_strategy(&go, "StatefulSetUpdateStrategy", "RollingUpdateStatefulSetStrategy", st);
		field_errors_add_raw(errs, FE_INVALID, "spec.updateStrategy", buf_str(&go), "must be 'RollingUpdate' or 'OnDelete'");
		buf_release(&go);
	}
	pol = jget(spec, "persistentVolumeClaimRetentionPolicy");
	for (int i = 0; pol && i < 2; i++)
		if (!validate_one_of(jstr0(pol, keys[i]), retention))
			validate_not_supported_str(errs, validate_path(f, "spec.persistentVolumeClaimRetentionPolicy.%s", keys[i]),
						   jstr0(pol, keys[i]), retention);
}

/* ValidateStatefulSetSpec: the template is checked for labels and annotations only, as
 * upstream does (its pod spec is not validated). */
static void statefulset_spec(const cJSON *spec, struct field_errors *errs)
{
	const cJSON *meta = json_getv(spec, "template", "metadata", NULL);
	statefulset_policies(spec, errs);
	validate_nonneg(errs, "spec.replicas", spec, "replicas");
	validate_nonneg(errs, "spec.minReadySeconds", spec, "minReadySeconds");
	if (jget(spec, "ordinals"))
		validate_nonneg(errs, "spec.ordinals.start", jget(spec, "ordinals"), "start");
	selector_checks(spec, 1, "statefulset", errs);
	if (selector_matches_template(spec, 1, "", errs) == 0) {
		validate_labels(jget(meta, "labels"), "spec.template.labels", errs);
		validate_annotations(jget(meta, "annotations"), "spec.template.annotations", errs);
		validate_pod_annotations(jget(meta, "annotations"), json_getv(spec, "template", "spec", NULL),
					 "spec.template.annotations", errs);
	}
	always_restart(spec, "StatefulSet", errs);
}

void validate_statefulset(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const mutable_fields[] = { "replicas", "template", "updateStrategy", "minReadySeconds",
						      "ordinals", "persistentVolumeClaimRetentionPolicy" };
	const cJSON *spec = jget(obj, "spec");
	statefulset_spec(spec, errs);
	/* Not upstream: until persistent volumes exist (TODO(issue 5): the storage issue), a
	 * StatefulSet asking for claims is refused at creation rather than left without them. */
	if (!old && cJSON_GetArraySize(jget(spec, "volumeClaimTemplates")) > 0)
		field_errors_add(errs, FE_FORBIDDEN, "spec.volumeClaimTemplates", NULL,
				 "persistent volumes are not supported by this cluster yet: use volumes in the pod "
				 "template instead");
	if (!old)
		return;
	cJSON *a = cJSON_Duplicate(spec, 1), *b = cJSON_Duplicate(jget(old, "spec"), 1);
	for (size_t i = 0; i < ARRAY_SIZE(mutable_fields); i++) {
		json_del(a, mutable_fields[i]);
		json_del(b, mutable_fields[i]);
	}
	if (!validate_sem_equal(a, b))
		field_errors_add(errs, FE_FORBIDDEN, "spec", NULL,
				 "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
				 "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
	cJSON_Delete(a);
	cJSON_Delete(b);
}

void validate_statefulset_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const nonneg[] = { "replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
					      "availableReplicas", "observedGeneration", "collisionCount", NULL };
	static const struct counter_rule rules[] = { { "readyReplicas", "replicas", GT_REPLICAS },
						     { "currentReplicas", "replicas", GT_REPLICAS },
						     { "updatedReplicas", "replicas", GT_REPLICAS },
						     { "availableReplicas", "replicas", GT_REPLICAS },
						     { "availableReplicas", "readyReplicas",
						       "cannot be greater than status.readyReplicas" },
						     { NULL, NULL, NULL } };
	status_counters(jget(obj, "status"), nonneg, rules, errs);
	collision_count(obj, old, errs);
}

/* ---- controller revisions ---------------------------------------------------------------------- */

void validate_controllerrevision(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	if (!jget(obj, "data"))
		field_errors_add(errs, FE_REQUIRED, "data", NULL, "data is mandatory");
	validate_nonneg(errs, "revision", obj, "revision");
	if (old)
		validate_immutable(errs, "data", jget(obj, "data"), jget(old, "data"));
}
