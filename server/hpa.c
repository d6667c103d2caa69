/*
 * hpa.c - HorizontalPodAutoscalers: one stored kind (autoscaling/v2) served in two versions.
 * autoscaling/v1 is a view of the stored objects (struct kind_view), converted as upstream's
 * pkg/apis/autoscaling/v1 conversion does; the defaulting and create-time status of both.
 *
 * DESIGN
 * v1 knows one metric, the average CPU utilization (spec.targetCPUUtilizationPercentage,
 * status.currentCPUUtilizationPercentage). Converting v2 to v1 moves the first such metric
 * there and keeps everything v1 cannot say in annotations, as upstream does: the other spec
 * metrics (autoscaling.alpha.kubernetes.io/metrics), the other current metrics (.../current-
 * metrics), the conditions (.../conditions) and the behavior (.../behavior), each as JSON.
 * Converting v1 to v2 undoes that (the CPU metric first), drops the annotations and applies
 * v2's defaults, so an object written through v1 is stored exactly as a v2 write would store
 * it. The annotations have upstream's shapes: metrics in v1's own MetricSpec/MetricStatus (the
 * older v2beta1-like form, converted field by field through metric_fields), conditions as v2
 * writes them, the behavior with Go's field names. Defaults: minReplicas 1; no metrics means 80% average CPU; a given
 * behavior has its missing scaling rules filled in (upstream's GenerateHPAScale*Rules).
 */
#include "internal.h"
#include "server/kinds.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANN_METRICS "autoscaling.alpha.kubernetes.io/metrics"
#define ANN_CURRENT "autoscaling.alpha.kubernetes.io/current-metrics"
#define ANN_CONDITIONS "autoscaling.alpha.kubernetes.io/conditions"
#define ANN_BEHAVIOR "autoscaling.alpha.kubernetes.io/behavior"
#define DEFAULT_CPU_UTILIZATION 80

/* ---- defaults ----------------------------------------------------------------------------- */

static cJSON *obj_member(cJSON *obj, const char *key)
{
	cJSON *v = json_obj(obj, key);
	if (!v && cJSON_IsObject(obj) && !jget(obj, key)) {
		v = cJSON_CreateObject();
		json_set(obj, key, v);
	}
	return v;
}

static cJSON *policy(const char *type, int value, int period)
{
	cJSON *p = cJSON_CreateObject();
	json_set_str(p, "type", type);
	json_set_int(p, "value", value);
	json_set_int(p, "periodSeconds", period);
	return p;
}

/* Fills the unset members of one direction's scaling rules. */
static void scaling_rules(cJSON *behavior, const char *dir, int up)
{
	cJSON *r = obj_member(behavior, dir);
	if (!r)
		return;
	if (!jget(r, "stabilizationWindowSeconds"))
		json_set_int(r, "stabilizationWindowSeconds", up ? 0 : 300);
	if (!jget(r, "selectPolicy"))
		json_set_str(r, "selectPolicy", "Max");
	const cJSON *ps = jget(r, "policies");
	if (!cJSON_IsArray(ps) || !cJSON_GetArraySize(ps)) {
		cJSON *arr = cJSON_CreateArray();
		if (up)
			cJSON_AddItemToArray(arr, policy("Pods", 4, 15));
		cJSON_AddItemToArray(arr, policy("Percent", 100, 15));
		json_set(r, "policies", arr);
	}
}

/* A Resource metric of cpu with the given average utilization. */
static cJSON *cpu_metric(const char *what, const char *value_key, int64_t pct)
{
	cJSON *m = cJSON_CreateObject(), *res = cJSON_CreateObject(), *t = cJSON_CreateObject();
	json_set_str(m, "type", "Resource");
	json_set_str(res, "name", "cpu");
	if (!strcmp(value_key, "target"))
		json_set_str(t, "type", "Utilization");
	json_set_int(t, "averageUtilization", pct);
	json_set(res, value_key, t);
	json_set(m, what, res);
	return m;
}

void defaults_hpa(cJSON *obj)
{
	cJSON *spec = obj_member(obj, "spec");
	const cJSON *ms = jget(spec, "metrics");
	if (!spec)
		return;
	if (!jget(spec, "minReplicas"))
		json_set_int(spec, "minReplicas", 1);
	if (!cJSON_IsArray(ms) || !cJSON_GetArraySize(ms)) {
		cJSON *arr = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, cpu_metric("resource", "target", DEFAULT_CPU_UTILIZATION));
		json_set(spec, "metrics", arr);
	}
	cJSON *b = json_obj(spec, "behavior");
	if (b) {
		scaling_rules(b, "scaleUp", 1);
		scaling_rules(b, "scaleDown", 0);
	}
}

void defaults_hpa_v1(cJSON *obj)
{
	cJSON *spec = obj_member(obj, "spec");
	if (spec && !jget(spec, "minReplicas"))
		json_set_int(spec, "minReplicas", 1);
}

/* PrepareForCreate: a new autoscaler starts with an empty status (v1 prints its two counts). */
void prepare_hpa(cJSON *obj, const cJSON *old)
{
	if (old)
		return;
	cJSON *st = cJSON_CreateObject();
	json_set_int(st, "desiredReplicas", 0);
	json_set(obj, "status", st);
}

void prepare_hpa_v1(cJSON *obj, const cJSON *old)
{
	if (old)
		return;
	cJSON *st = cJSON_CreateObject();
	json_set_int(st, "currentReplicas", 0);
	json_set_int(st, "desiredReplicas", 0);
	json_set(obj, "status", st);
}

/* ---- the annotations' shapes ------------------------------------------------------------- */

/* A field of one metric source: its path in the v2 source (up to two keys) and its name in the
 * v1 MetricSpec/MetricStatus (upstream's older, v2beta1-like shape). "%" stands for "target" in
 * a spec and "current" in a status; a v1 name starting with '%' for "target"/"current" there. */
struct metric_field {
	const char *type, *v2a, *v2b, *v1;
};

static const struct metric_field metric_fields[] = {
	{ "Object", "describedObject", NULL, "target" }, { "Object", "metric", "name", "metricName" },
	{ "Object", "metric", "selector", "selector" }, { "Object", "%", "value", "%Value" },
	{ "Object", "%", "averageValue", "averageValue" },
	{ "Pods", "metric", "name", "metricName" }, { "Pods", "metric", "selector", "selector" },
	{ "Pods", "%", "averageValue", "%AverageValue" },
	{ "Resource", "name", NULL, "name" }, { "Resource", "%", "averageUtilization", "%AverageUtilization" },
	{ "Resource", "%", "averageValue", "%AverageValue" },
	{ "ContainerResource", "name", NULL, "name" }, { "ContainerResource", "container", NULL, "container" },
	{ "ContainerResource", "%", "averageUtilization", "%AverageUtilization" },
	{ "ContainerResource", "%", "averageValue", "%AverageValue" },
	{ "External", "metric", "name", "metricName" }, { "External", "metric", "selector", "metricSelector" },
	{ "External", "%", "value", "%Value" }, { "External", "%", "averageValue", "%AverageValue" },
};

static const char *const metric_sources[][2] = {
	{ "Object", "object" }, { "Pods", "pods" }, { "Resource", "resource" },
	{ "ContainerResource", "containerResource" }, { "External", "external" },
};

/* Moves one field of a source between its v1 and v2 places (to_v1 says which way). */
static void move_metric_field(const struct metric_field *f, const cJSON *from, cJSON *to, int to_v1,
			      const char *word)
{
	char v1[64];
	snprintf(v1, sizeof(v1), "%s%s", *f->v1 == '%' ? word : "", f->v1 + (*f->v1 == '%'));
	const char *v2a = *f->v2a == '%' ? word : f->v2a;
	const cJSON *v = to_v1 ? (f->v2b ? json_getv(from, v2a, f->v2b, NULL) : jget(from, v2a)) : jget(from, v1);
	if (!v)
		return;
	if (to_v1) {
		json_set(to, v1, cJSON_Duplicate(v, 1));
		return;
	}
	cJSON *dst = f->v2b ? json_obj_force(to, v2a) : to;
	json_set(dst, f->v2b ? f->v2b : v2a, cJSON_Duplicate(v, 1));
}

/* One metric (spec or status, by word "target"/"current") in the other version's shape
 * (caller frees); a v2 target gets its type from the value it has, as upstream converts. */
static cJSON *convert_metric(const cJSON *m, int to_v1, const char *word)
{
	cJSON *out = cJSON_CreateObject(), *src = cJSON_CreateObject();
	const char *type = jstr0(m, "type"), *key = NULL;
	json_set_str(out, "type", type);
	for (size_t i = 0; i < ARRAY_SIZE(metric_sources); i++)
		if (!strcmp(type, metric_sources[i][0]))
			key = metric_sources[i][1];
	for (size_t i = 0; key && i < ARRAY_SIZE(metric_fields); i++)
		if (!strcmp(metric_fields[i].type, type))
			move_metric_field(&metric_fields[i], jget(m, key), src, to_v1, word);
	cJSON *t = to_v1 || strcmp(word, "target") ? NULL : json_obj(src, "target");
	if (t)
		json_set_str(t, "type", jget(t, "averageUtilization") ? "Utilization" : jget(t, "value") ? "Value" : "AverageValue");
	if (key)
		json_set(out, key, src);
	else
		cJSON_Delete(src);
	return out;
}

/* Upstream writes the behavior annotation from its internal type, which has no JSON names: the
 * keys are Go's field names ("ScaleUp", "PeriodSeconds"). Changes every key's first letter. */
static void go_names(cJSON *v, int upper)
{
	cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (e->string && *e->string)
			e->string[0] = (char)(upper ? toupper((unsigned char)e->string[0]) : tolower((unsigned char)e->string[0]));
		go_names(e, upper);
	}
}

/* ---- v2 -> v1 ----------------------------------------------------------------------------- */

/* Is m (a MetricSpec or MetricStatus) the cpu utilization v1 has a field for? value_key is
 * "target" or "current". */
static int cpu_utilization(const cJSON *m, const char *value_key)
{
	const cJSON *res = jget(m, "resource");
	const cJSON *v = json_getv(res, value_key, "averageUtilization", NULL);
	return !strcmp(jstr0(m, "type"), "Resource") && !strcmp(jstr0(res, "name"), "cpu") && cJSON_IsNumber(v);
}

/* Sets annotation key of ann to the JSON of v (taken). */
static void set_ann_json(cJSON *ann, const char *key, cJSON *v)
{
	char *text = json_print_str(v);
	json_set_str(ann, key, text);
	free(text);
	cJSON_Delete(v);
}

/* Moves the cpu utilization of list (detached from parent[list_key]) to v1[v1_key] and the
 * other entries, as JSON, to annotation ann. */
static void split_metrics(cJSON *parent, const char *list_key, const char *value_key, cJSON *v1_parent,
			  const char *v1_key, cJSON *ann, const char *ann_key)
{
	cJSON *list = cJSON_DetachItemFromObjectCaseSensitive(parent, list_key), *m, *rest = cJSON_CreateArray();
	int found = 0;
	cJSON_ArrayForEach(m, list) {
		if (!found && cpu_utilization(m, value_key)) {
			found = 1;
			json_set(v1_parent, v1_key,
				 cJSON_Duplicate(json_getv(m, "resource", value_key, "averageUtilization", NULL), 1));
		} else {
			cJSON_AddItemToArray(rest, convert_metric(m, 1, value_key));
		}
	}
	if (cJSON_GetArraySize(rest))
		set_ann_json(ann, ann_key, rest);
	else
		cJSON_Delete(rest);
	cJSON_Delete(list);
}

/* Moves parent[key] (when set) to annotation ann_key as JSON. */
static void to_annotation(cJSON *parent, const char *key, cJSON *ann, const char *ann_key)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(parent, key);
	if (v && !cJSON_IsNull(v) && !(cJSON_IsArray(v) && !cJSON_GetArraySize(v)))
		set_ann_json(ann, ann_key, v);
	else
		cJSON_Delete(v);
}

static void hpa_out(cJSON *obj)
{
	cJSON *meta = obj_member(obj, "metadata"), *ann = cJSON_CreateObject();
	cJSON *spec = json_obj(obj, "spec"), *st = json_obj(obj, "status");
	if (spec) {
		split_metrics(spec, "metrics", "target", spec, "targetCPUUtilizationPercentage", ann, ANN_METRICS);
		go_names(json_obj(spec, "behavior"), 1);
		to_annotation(spec, "behavior", ann, ANN_BEHAVIOR);
	}
	if (st) {
		split_metrics(st, "currentMetrics", "current", st, "currentCPUUtilizationPercentage", ann, ANN_CURRENT);
		to_annotation(st, "conditions", ann, ANN_CONDITIONS);
		if (!jget(st, "currentReplicas"))
			json_set_int(st, "currentReplicas", 0);
	}
	if (cJSON_GetArraySize(ann)) {
		cJSON *have = obj_member(meta, "annotations"), *a;
		while ((a = ann->child)) {
			cJSON_DetachItemViaPointer(ann, a);
			json_set(have, a->string, a);
		}
	}
	cJSON_Delete(ann);
	json_set_str(obj, "apiVersion", "autoscaling/v1");
	json_set_str(obj, "kind", "HorizontalPodAutoscaler");
}

/* ---- v1 -> v2 ----------------------------------------------------------------------------- */

/* The JSON of annotation key, removed from ann; NULL when absent or not JSON. */
static cJSON *from_annotation(cJSON *ann, const char *key)
{
	cJSON *a = cJSON_DetachItemFromObjectCaseSensitive(ann, key);
	cJSON *v = cJSON_IsString(a) ? json_parse(a->valuestring, strlen(a->valuestring), NULL) : NULL;
	cJSON_Delete(a);
	return v;
}

/* parent[list_key]: the cpu utilization in parent[v1_key] first, then the annotation's list. */
static void join_metrics(cJSON *parent, const char *v1_key, const char *list_key, const char *what,
			 const char *value_key, cJSON *ann, const char *ann_key)
{
	cJSON *pct = cJSON_DetachItemFromObjectCaseSensitive(parent, v1_key), *rest = from_annotation(ann, ann_key);
	cJSON *list = cJSON_CreateArray(), *m;
	const cJSON *others = cJSON_IsArray(rest) ? rest : NULL;
	if (cJSON_IsNumber(pct))
		cJSON_AddItemToArray(list, cpu_metric(what, value_key, (int64_t)pct->valuedouble));
	cJSON_ArrayForEach(m, others)
		cJSON_AddItemToArray(list, convert_metric(m, 0, value_key));
	if (parent && cJSON_GetArraySize(list))
		json_set(parent, list_key, list);
	else
		cJSON_Delete(list);
	cJSON_Delete(pct);
	cJSON_Delete(rest);
}

/* Restores parent[key] from annotation ann_key (dropping the annotation either way). */
static void from_annotation_to(cJSON *parent, const char *key, cJSON *ann, const char *ann_key)
{
	cJSON *v = from_annotation(ann, ann_key);
	if (parent && v)
		json_set(parent, key, v);
	else
		cJSON_Delete(v);
}

/* The v1 form of an autoscaler turned into the v2 form in place, without defaults. */
void hpa_v1_to_v2(cJSON *obj)
{
	cJSON *meta = json_obj(obj, "metadata"), *ann = json_obj(meta, "annotations");
	cJSON *spec = json_obj(obj, "spec"), *st = json_obj(obj, "status");
	join_metrics(spec, "targetCPUUtilizationPercentage", "metrics", "resource", "target", ann, ANN_METRICS);
	from_annotation_to(spec, "behavior", ann, ANN_BEHAVIOR);
	go_names(json_obj(spec, "behavior"), 0);
	join_metrics(st, "currentCPUUtilizationPercentage", "currentMetrics", "resource", "current", ann, ANN_CURRENT);
	from_annotation_to(st, "conditions", ann, ANN_CONDITIONS);
	const cJSON *cr = jget(st, "currentReplicas");
	if (cJSON_IsNumber(cr) && cr->valuedouble == 0)
		json_del(st, "currentReplicas");
	if (ann && !cJSON_GetArraySize(ann))
		json_del(meta, "annotations");
	json_set_str(obj, "apiVersion", "autoscaling/v2");
	json_set_str(obj, "kind", "HorizontalPodAutoscaler");
}

static void hpa_in(cJSON *obj)
{
	hpa_v1_to_v2(obj);
	defaults_hpa(obj);
}

const struct kind_view hpa_v1_view = { "autoscaling", "horizontalpodautoscalers", hpa_in, hpa_out, NULL };
