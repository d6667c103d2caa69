/*
 * versions.c - older API versions served as views of the stored v1 objects: policy/v1beta1
 * PodDisruptionBudget and batch/v1beta1 CronJob (kubectl 1.20's `create pdb` and
 * `create cronjob` post these).
 *
 * DESIGN
 * Each is a registry row with a struct kind_view (the in/out conversions) and the deprecated /
 * removed releases, so requests get upstream's Warning header (deprecation_warning). The
 * v1beta1 shapes are the v1 shapes, with one difference in meaning that upstream's conversion
 * keeps: a PodDisruptionBudget's empty selector matches no pods in v1beta1 but every pod in
 * v1. Going in, a v1beta1 empty selector becomes a selector that can never match (a key that
 * must exist on the pod and never does), and v1beta1's "match everything" selector (that same
 * key required to be absent) becomes v1's empty one; going out does the reverse, so either
 * version reads back what it wrote.
 */
#include "internal.h"

#include <string.h>

/* The label key of upstream's v1beta1-compatibility selectors (pkg/apis/policy/helpers.go). */
#define PDB_COMPAT_KEY "pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match"

/* Is sel a selector without requirements ({}, or empty matchLabels / matchExpressions)? */
static int selector_empty(const cJSON *sel)
{
	const cJSON *labels = json_obj(sel, "matchLabels");
	const cJSON *exprs = cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions");
	if (labels && labels->child)
		return 0;
	if (exprs && !cJSON_IsNull(exprs) && cJSON_GetArraySize(exprs) > 0)
		return 0;
	for (const cJSON *f = sel->child; f; f = f->next)
		if (strcmp(f->string, "matchLabels") && strcmp(f->string, "matchExpressions"))
			return 0;
	return 1;
}

/* Is sel exactly the compatibility selector with operator op? */
static int selector_is_compat(const cJSON *sel, const char *op)
{
	const cJSON *exprs = cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions");
	const cJSON *labels = json_obj(sel, "matchLabels");
	if (labels && labels->child)
		return 0;
	if (!cJSON_IsArray(exprs) || cJSON_GetArraySize(exprs) != 1)
		return 0;
	const cJSON *e = cJSON_GetArrayItem(exprs, 0);
	const char *key = json_str(e, "key"), *o = json_str(e, "operator");
	const cJSON *vals = cJSON_GetObjectItemCaseSensitive(e, "values");
	if (vals && !cJSON_IsNull(vals) && cJSON_GetArraySize(vals) > 0)
		return 0;
	return key && o && !strcmp(key, PDB_COMPAT_KEY) && !strcmp(o, op);
}

/* Replaces spec.selector with the compatibility selector with operator op. */
static void set_compat(cJSON *spec, const char *op)
{
	cJSON *sel = cJSON_CreateObject();
	cJSON *exprs = cJSON_AddArrayToObject(sel, "matchExpressions");
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "key", PDB_COMPAT_KEY);
	cJSON_AddStringToObject(e, "operator", op);
	cJSON_AddItemToArray(exprs, e);
	json_set(spec, "selector", sel);
}

static void pdb_in(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "policy/v1");
	cJSON *spec = json_obj(obj, "spec");
	cJSON *sel = json_obj(spec, "selector");
	if (!sel)
		return;
	if (selector_empty(sel))
		set_compat(spec, "Exists");
	else if (selector_is_compat(sel, "DoesNotExist"))
		json_set(spec, "selector", cJSON_CreateObject());
}

static void pdb_out(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "policy/v1beta1");
	cJSON *spec = json_obj(obj, "spec");
	cJSON *sel = json_obj(spec, "selector");
	if (!sel)
		return;
	if (selector_is_compat(sel, "Exists"))
		json_set(spec, "selector", cJSON_CreateObject());
	else if (selector_empty(sel))
		set_compat(spec, "DoesNotExist");
}

static void cronjob_in(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "batch/v1");
}

static void cronjob_out(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "batch/v1beta1");
}

static const char *const no_aliases[] = { NULL };

const struct kind_view pdb_v1beta1_view = { "policy", "poddisruptionbudgets", pdb_in, pdb_out, no_aliases };
const struct kind_view cronjob_v1beta1_view = { "batch", "cronjobs", cronjob_in, cronjob_out, no_aliases };
