/*
 * job_util.c - the pure logic of the job controller (ctrl_job.c), apart so that unit tests
 * reach it: completion-index intervals (status.completedIndexes) and podFailurePolicy rules.
 *
 * DESIGN
 * Intervals are kept as upstream's orderedIntervals: a sorted array of disjoint, non-adjacent
 * [first, last] ranges, so that merging and formatting are single passes. Matching a pod
 * against podFailurePolicy follows upstream's matchPodFailurePolicy rule by rule.
 */
#include "server/batch.h"

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- completion index intervals (upstream's orderedIntervals) ---------------------------- */

static void ivls_push(struct job_ivls *o, int64_t first, int64_t last)
{
	if (o->n && first <= o->v[o->n - 1].last + 1) {
		if (last > o->v[o->n - 1].last)
			o->v[o->n - 1].last = last;
		return;
	}
	o->v = xrealloc(o->v, (o->n + 1) * sizeof(*o->v));
	o->v[o->n++] = (struct job_ivl){ first, last };
}

/* parseIndexesFromString. */
void job_ivls_parse(const char *s, int64_t completions, struct job_ivls *out)
{
	char *copy = xstrdup(s ? s : ""), *save = NULL, *part;
	memset(out, 0, sizeof(*out));
	for (part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(part, '-'), *end;
		if (dash)
			*dash = '\0';
		int64_t first = strtoll(part, &end, 10), last;
		if (!*part || *end)
			continue;
		if (first >= completions)
			break;
		last = first;
		if (dash) {
			last = strtoll(dash + 1, &end, 10);
			if (!dash[1] || *end)
				continue;
			if (last >= completions)
				last = completions - 1;
		}
		if (out->n && out->v[out->n - 1].last == first - 1)
			out->v[out->n - 1].last = last;
		else
			ivls_push(out, first, last);
	}
	free(copy);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* withOrderedIndexes / merge: a new list holding a and the (sorted) indexes idx. */
static void ivls_merge(const struct job_ivls *a, const struct job_ivls *b, struct job_ivls *out)
{
	size_t i = 0, j = 0;
	memset(out, 0, sizeof(*out));
	while (i < a->n || j < b->n) {
		const struct job_ivl *t = (j >= b->n || (i < a->n && a->v[i].first < b->v[j].first)) ? &a->v[i++] : &b->v[j++];
		ivls_push(out, t->first, t->last);
	}
}

void job_ivls_with(const struct job_ivls *a, int64_t *idx, size_t n, struct job_ivls *out)
{
	struct job_ivls b = { NULL, 0 };
	if (n)
		qsort(idx, n, sizeof(*idx), cmp_i64);
	for (size_t i = 0; i < n; i++)
		ivls_push(&b, idx[i], idx[i]);
	ivls_merge(a, &b, out);
	free(b.v);
}

int64_t job_ivls_total(const struct job_ivls *o)
{
	int64_t t = 0;
	for (size_t i = 0; i < o->n; i++)
		t += o->v[i].last - o->v[i].first + 1;
	return t;
}

int job_ivls_has(const struct job_ivls *o, int64_t ix)
{
	for (size_t i = 0; i < o->n; i++)
		if (ix >= o->v[i].first && ix <= o->v[i].last)
			return 1;
	return 0;
}

void job_ivls_format(const struct job_ivls *o, struct buf *out)
{
	for (size_t i = 0; i < o->n; i++) {
		const struct job_ivl *v = &o->v[i];
		buf_addf(out, "%s%lld", i ? "," : "", (long long)v->first);
		if (v->last > v->first)
			buf_addf(out, "%c%lld", v->last == v->first + 1 ? ',' : '-', (long long)v->last);
	}
}
/* ---- podFailurePolicy ------------------------------------------------------------------- */

/* A terminated, non-zero container status matching an onExitCodes requirement, or NULL. */
static const cJSON *match_exit_codes(const cJSON *pod, const cJSON *req)
{
	static const char *const lists[] = { "containerStatuses", "initContainerStatuses" };
	const char *want = json_str(req, "containerName"), *op = json_str(req, "operator");
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		const cJSON *cs, *v;
		cJSON_ArrayForEach(cs, json_getv(pod, "status", lists[l], NULL)) {
			const cJSON *term = json_getv(cs, "state", "terminated", NULL);
			int64_t code = 0;
			if (!term || (want && (!json_str(cs, "name") || strcmp(want, json_str(cs, "name")))))
				continue;
			if (json_int(term, "exitCode", &code) < 0 || code == 0 || !op)
				continue;
			int in = 0;
			cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(req, "values"))
				in |= cJSON_IsNumber(v) && (int64_t)v->valuedouble == code;
			if ((!strcmp(op, "In") && in) || (!strcmp(op, "NotIn") && !in))
				return cs;
		}
	}
	return NULL;
}

static const cJSON *match_pod_conditions(const cJSON *pod, const cJSON *patterns)
{
	const cJSON *c, *p;
	cJSON_ArrayForEach(c, json_getv(pod, "status", "conditions", NULL))
		cJSON_ArrayForEach(p, patterns) {
			const char *t = json_str(c, "type"), *s = json_str(c, "status");
			const char *pt = json_str(p, "type"), *ps = json_str(p, "status");
			if (t && s && pt && ps && !strcmp(t, pt) && !strcmp(s, ps))
				return c;
		}
	return NULL;
}

/* Upstream's matchPodFailurePolicy: the action of the first matching rule; for FailJob, the
 * job failure message into msg (caller frees; may be NULL to skip). */
enum job_pfp_action job_match_pfp(const cJSON *pfp, const cJSON *pod, char **msg)
{
	const cJSON *rule;
	int i = 0;
	cJSON_ArrayForEach(rule, json_getv(pfp, "rules", NULL)) {
		const char *action = json_str(rule, "action");
		const cJSON *exit_req = json_obj(rule, "onExitCodes"), *conds = json_getv(rule, "onPodConditions", NULL);
		const cJSON *cs = exit_req ? match_exit_codes(pod, exit_req) : NULL;
		const cJSON *pc = !exit_req && conds ? match_pod_conditions(pod, conds) : NULL;
		if (action && (cs || pc)) {
			if (!strcmp(action, "Ignore"))
				return JOB_PFP_IGNORE;
			if (!strcmp(action, "Count"))
				return JOB_PFP_COUNT;
			if (!strcmp(action, "FailIndex"))
				return JOB_PFP_FAIL_INDEX;
			if (!strcmp(action, "FailJob")) {
				const char *ns = json_strv(pod, "metadata", "namespace", NULL), *n = json_strv(pod, "metadata", "name", NULL);
				int64_t code = 0;
				json_int(json_getv(cs, "state", "terminated", NULL), "exitCode", &code);
				if (msg && cs)
					*msg = xasprintf("Container %s for pod %s/%s failed with exit code %lld matching FailJob rule at index %d",
							 json_str(cs, "name"), ns, n, (long long)code, i);
				else if (msg)
					*msg = xasprintf("Pod %s/%s has condition %s matching FailJob rule at index %d", ns, n,
							 json_str(pc, "type"), i);
				return JOB_PFP_FAIL_JOB;
			}
		}
		i++;
	}
	return JOB_PFP_NONE;
}
