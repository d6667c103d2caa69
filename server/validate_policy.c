/*
 * validate_policy.c - the policy/v1 PodDisruptionBudget strategy: the status a new budget
 * starts with, and upstream's ValidatePodDisruptionBudget / ...StatusUpdate.
 *
 * DESIGN
 * The spec is mutable (since Kubernetes 1.15) and validated the same way on create and
 * update; generation and the status carried over on updates are handled by the generic path
 * (KIND_GENERATION, KIND_STATUS). Messages are upstream's, word for word, because kubectl
 * prints them.
 */
#include "internal.h"
#include "server/kinds.h"

#include <string.h>

void prepare_pdb(cJSON *obj, const cJSON *old)
{
	static const char *const zero[] = { "currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods" };
	if (old)
		return;
	cJSON *st = cJSON_CreateObject();
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		json_set_int(st, zero[i], 0);
	json_set(obj, "status", st);
}

/* A valid "N%" string: 1 and its value in *out; else 0. */
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

/* ValidatePositiveIntOrPercent and IsNotMoreThan100Percent for v at path. */
static void int_or_percent(const cJSON *v, const char *path, struct field_errors *errs)
{
	struct buf go = BUF_INIT;
	int64_t p = 0;
	int is_pct = percent(v, &p);
	validate_go_intstr(&go, v);
	if (cJSON_IsString(v) && !is_pct)
		field_errors_add_raw(errs, FE_INVALID, path, buf_str(&go),
				     "a valid percent string must be a numeric string followed by an ending '%%' "
				     "(e.g. '1%%',  or '93%%', regex used for validation is '[0-9]+%%')");
	else if (cJSON_IsNumber(v) && v->valuedouble < 0)
		field_errors_add(errs, FE_INVALID, path, v, "must be greater than or equal to 0");
	if (is_pct && p > 100)
		field_errors_add_raw(errs, FE_INVALID, path, buf_str(&go), "must not be greater than 100%%");
	buf_release(&go);
}

void validate_pdb(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const policies[] = { "AlwaysAllow", "IfHealthyBudget", NULL };
	const cJSON *spec = jget(obj, "spec");
	const cJSON *min = jget(spec, "minAvailable"), *max = jget(spec, "maxUnavailable");
	const char *policy = jstr(spec, "unhealthyPodEvictionPolicy");
	UNUSED(old);
	if (min && max)
		field_errors_add(errs, FE_INVALID, "spec", spec, "minAvailable and maxUnavailable cannot be both set");
	if (min)
		int_or_percent(min, "spec.minAvailable", errs);
	if (max)
		int_or_percent(max, "spec.maxUnavailable", errs);
	validate_label_selector(jget(spec, "selector"), "spec.selector", errs);
	if (policy && !validate_one_of(policy, policies))
		validate_not_supported_str(errs, "spec.unhealthyPodEvictionPolicy", policy, policies);
}

void validate_pdb_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const counters[] = { "disruptionsAllowed", "currentHealthy", "desiredHealthy",
						"expectedPods" };
	char path[VPATH_MAX];
	const cJSON *st = jget(obj, "status");
	UNUSED(old);
	for (size_t i = 0; i < ARRAY_SIZE(counters); i++)
		validate_nonneg(errs, validate_path(path, "status.%s", counters[i]), st, counters[i]);
}
