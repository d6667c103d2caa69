/*
 * validate_autoscaling.c - upstream's validation of HorizontalPodAutoscalers (v1.33
 * pkg/apis/autoscaling/validation): the spec (replica bounds, the scale target, metrics,
 * behavior) and status writes.
 *
 * DESIGN
 * Upstream validates the internal form, which is the v2 shape; so does this, and a v1 object
 * is converted to v2 first (hpa_v1_to_v2, then v2's defaults, as hpa.c stores it), which also
 * gives v1 writes upstream's v2 field paths (spec.metrics[0].resource.target...). Messages are
 * upstream's, word for word, because kubectl prints them.
 */
#include "internal.h"
#include "server/kinds.h"
#include "server/quantity.h"

#include <string.h>

/* ---- scale target and metric targets ----------------------------------------------------- */

/* path.IsValidPathSegmentName, one error a message. */
static void path_segment(const char *v, const char *path, struct field_errors *errs)
{
	if (!strcmp(v, ".") || !strcmp(v, "..")) {
		field_errors_add_str(errs, FE_INVALID, path, v, "may not be '%s'", v);
		return;
	}
	if (strchr(v, '/'))
		field_errors_add_str(errs, FE_INVALID, path, v, "may not contain '/'");
	if (strchr(v, '%'))
		field_errors_add_str(errs, FE_INVALID, path, v, "may not contain '%%'");
}

/* ValidateCrossVersionObjectReference */
static void object_ref(const cJSON *ref, const char *path, struct field_errors *errs)
{
	static const char *const keys[] = { "kind", "name" };
	char f[VPATH_MAX];
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = jstr0(ref, keys[i]);
		validate_path(f, "%s.%s", path, keys[i]);
		if (!*v)
			field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
		else
			path_segment(v, f, errs);
	}
}

static int positive_quantity(const cJSON *v)
{
	struct quantity q;
	return quantity_from_json(v, &q, NULL) == 0 && quantity_sign(&q) > 0;
}

/* validateMetricTarget */
static void metric_target(const cJSON *t, const char *path, struct field_errors *errs)
{
	static const char *const types[] = { "Utilization", "Value", "AverageValue", NULL };
	static const char *const q[] = { "value", "averageValue" };
	const char *type = jstr0(t, "type");
	char f[VPATH_MAX];
	const cJSON *au = jget(t, "averageUtilization");
	if (!*type)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.type", path), NULL, "must specify a metric target type");
	if (!validate_one_of(type, types))
		field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.type", path), type,
				     "must be either Utilization, Value, or AverageValue");
	for (size_t i = 0; i < ARRAY_SIZE(q); i++)
		if (jget(t, q[i]) && !positive_quantity(jget(t, q[i])))
			field_errors_add(errs, FE_INVALID, validate_path(f, "%s.%s", path, q[i]), jget(t, q[i]), "must be positive");
	if (au && (!cJSON_IsNumber(au) || au->valuedouble < 1))
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.averageUtilization", path), au, "must be greater than 0");
}

/* ---- metric sources ---------------------------------------------------------------------- */

/* Resource and ContainerResource sources. */
static void resource_source(const cJSON *src, const char *path, int container, struct field_errors *errs)
{
	const cJSON *t = jget(src, "target");
	char f[VPATH_MAX];
	if (!*jstr0(src, "name"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.name", path), NULL, "must specify a resource name");
	if (container && !*jstr0(src, "container"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.container", path), NULL, "must specify a container");
	metric_target(t, validate_path(f, "%s.target", path), errs);
	if (!jget(t, "averageUtilization") && !jget(t, "averageValue"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.target.averageUtilization", path), NULL,
				 "must set either a target raw value or a target utilization");
	if (jget(t, "averageUtilization") && jget(t, "averageValue"))
		field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.target.averageValue", path), NULL,
				 "may not set both a target raw value and a target utilization");
}

/* Object, Pods and External sources: a metric name and a target of the kind's own. */
static void named_source(const cJSON *src, const char *path, const char *type, struct field_errors *errs)
{
	const cJSON *t = jget(src, "target");
	char f[VPATH_MAX];
	if (!strcmp(type, "Object"))
		object_ref(jget(src, "describedObject"), validate_path(f, "%s.describedObject", path), errs);
	if (!*jstr0(jget(src, "metric"), "name"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.metric.name", path), NULL, "must specify a metric name");
	metric_target(t, validate_path(f, "%s.target", path), errs);
	if (!strcmp(type, "Pods") && !jget(t, "averageValue"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.target.averageValue", path), NULL,
				 "must specify a positive target averageValue");
	else if (!strcmp(type, "Object") && !jget(t, "value") && !jget(t, "averageValue"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.target.value", path), NULL,
				 "must set either a target value or averageValue");
	else if (!strcmp(type, "External") && !jget(t, "value") && !jget(t, "averageValue"))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.target.value", path), NULL,
				 "must set either a target value for metric or a per-pod target");
}

/* MetricSourceType, its JSON member. */
static const char *const sources[][2] = {
	{ "Object", "object" }, { "Pods", "pods" }, { "Resource", "resource" },
	{ "ContainerResource", "containerResource" }, { "External", "external" },
};

/* validateMetricSpec */
static void metric_spec(const cJSON *m, const char *path, struct field_errors *errs)
{
	static const char *const types[] = { "ContainerResource", "External", "Object", "Pods", "Resource", NULL };
	const char *type = jstr0(m, "type"), *expected = NULL;
	char f[VPATH_MAX];
	int present = 0;
	if (!*type)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.type", path), NULL, "must specify a metric source type");
	for (size_t i = 0; i < ARRAY_SIZE(sources); i++) {
		const cJSON *src = jget(m, sources[i][1]);
		if (!strcmp(type, sources[i][0]))
			expected = sources[i][1];
		if (!src || cJSON_IsNull(src) || present++)
			continue;
		validate_path(f, "%s.%s", path, sources[i][1]);
		if (i == 2 || i == 3)
			resource_source(src, f, i == 3, errs);
		else
			named_source(src, f, sources[i][0], errs);
	}
	if (!expected)
		validate_not_supported_str(errs, validate_path(f, "%s.type", path), type, types);
	else if (!jget(m, expected) || cJSON_IsNull(jget(m, expected)))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.%s", path, expected), NULL,
				 "must populate information for the given metric source");
	for (size_t i = 0; present > 1 && i < ARRAY_SIZE(sources); i++)
		if (jget(m, sources[i][1]) && !cJSON_IsNull(jget(m, sources[i][1])) && (!expected || strcmp(expected, sources[i][1])))
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.%s", path, sources[i][1]), NULL,
					 "must populate the given metric source only");
}

/* validateMetrics: each metric, and scaling to zero needs an Object or External one. */
static void metrics(const cJSON *spec, struct field_errors *errs)
{
	const cJSON *m, *min = jget(spec, "minReplicas");
	char f[VPATH_MAX];
	int i = 0, object = 0;
	cJSON_ArrayForEach(m, jget(spec, "metrics")) {
		metric_spec(m, validate_path(f, "spec.metrics[%d]", i++), errs);
		object |= !strcmp(jstr0(m, "type"), "Object") || !strcmp(jstr0(m, "type"), "External");
	}
	if (cJSON_IsNumber(min) && min->valuedouble == 0 && !object)
		field_errors_add(errs, FE_FORBIDDEN, "spec.metrics", NULL,
				 "must specify at least one Object or External metric to support scaling to zero replicas");
}

/* ---- behavior ------------------------------------------------------------------------------ */

static void scaling_policy(const cJSON *p, const char *path, struct field_errors *errs)
{
	static const char *const types[] = { "Percent", "Pods", NULL };
	const cJSON *v = jget(p, "value"), *ps = jget(p, "periodSeconds");
	char f[VPATH_MAX];
	if (!validate_one_of(jstr0(p, "type"), types))
		validate_not_supported_str(errs, validate_path(f, "%s.type", path), jstr0(p, "type"), types);
	if (!cJSON_IsNumber(v) || v->valuedouble <= 0)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.value", path), v, "must be greater than zero");
	if (!cJSON_IsNumber(ps) || ps->valuedouble <= 0)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.periodSeconds", path), ps, "must be greater than zero");
	else if (ps->valuedouble > 1800)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.periodSeconds", path), ps, "must be less than or equal to 1800");
}

static void scaling_rules(const cJSON *r, const char *path, struct field_errors *errs)
{
	static const char *const selects[] = { "Disabled", "Max", "Min", NULL };
	const cJSON *w = jget(r, "stabilizationWindowSeconds"), *p, *ps = jget(r, "policies");
	char f[VPATH_MAX];
	int i = 0;
	if (!r || cJSON_IsNull(r))
		return;
	if (cJSON_IsNumber(w) && w->valuedouble < 0)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.stabilizationWindowSeconds", path), w,
				 "must be greater than or equal to zero");
	if (cJSON_IsNumber(w) && w->valuedouble > 3600)
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s.stabilizationWindowSeconds", path), w,
				 "must be less than or equal to 3600");
	if (jget(r, "selectPolicy") && !validate_one_of(jstr0(r, "selectPolicy"), selects))
		validate_not_supported_str(errs, validate_path(f, "%s.selectPolicy", path), jstr0(r, "selectPolicy"), selects);
	if (!cJSON_GetArraySize(ps))
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.policies", path), NULL, "must specify at least one Policy");
	cJSON_ArrayForEach(p, ps)
		scaling_policy(p, validate_path(f, "%s.policies[%d]", path, i++), errs);
}

/* ---- the kinds ------------------------------------------------------------------------------ */

void validate_hpa(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *min = jget(spec, "minReplicas"), *max = jget(spec, "maxReplicas");
	const cJSON *b = jget(spec, "behavior");
	UNUSED(old);
	if (cJSON_IsNumber(min) && min->valuedouble < 1)
		field_errors_add(errs, FE_INVALID, "spec.minReplicas", min, "must be greater than or equal to 1");
	if (!cJSON_IsNumber(max))
		field_errors_add_raw(errs, FE_INVALID, "spec.maxReplicas", "0", "must be greater than 0");
	else if (max->valuedouble < 1)
		field_errors_add(errs, FE_INVALID, "spec.maxReplicas", max, "must be greater than 0");
	if (cJSON_IsNumber(min) && cJSON_IsNumber(max) && max->valuedouble < min->valuedouble)
		field_errors_add(errs, FE_INVALID, "spec.maxReplicas", max, "must be greater than or equal to `minReplicas`");
	object_ref(jget(spec, "scaleTargetRef"), "spec.scaleTargetRef", errs);
	metrics(spec, errs);
	if (b && !cJSON_IsNull(b)) {
		scaling_rules(jget(b, "scaleUp"), "spec.behavior.scaleUp", errs);
		scaling_rules(jget(b, "scaleDown"), "spec.behavior.scaleDown", errs);
	}
}

void validate_hpa_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *st = jget(obj, "status");
	UNUSED(old);
	validate_nonneg(errs, "status.currentReplicas", st, "currentReplicas");
	validate_nonneg(errs, "status.desiredReplicas", st, "desiredReplicas");
}

/* Runs check on the v2 form of a v1 object, as upstream validates the internal form. */
static void as_v2(const cJSON *obj, const cJSON *old, struct field_errors *errs,
		  void (*check)(const cJSON *, const cJSON *, struct field_errors *))
{
	cJSON *o = cJSON_Duplicate(obj, 1), *p = old ? cJSON_Duplicate(old, 1) : NULL;
	hpa_v1_to_v2(o);
	defaults_hpa(o);
	if (p) {
		hpa_v1_to_v2(p);
		defaults_hpa(p);
	}
	check(o, p, errs);
	cJSON_Delete(o);
	cJSON_Delete(p);
}

void validate_hpa_v1(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	as_v2(obj, old, errs, validate_hpa);
}

void validate_hpa_v1_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	as_v2(obj, old, errs, validate_hpa_status);
}
