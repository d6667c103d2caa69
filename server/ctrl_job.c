/*
 * ctrl_job.c - the job controller (upstream's job-controller, v1.33 behaviour) and the
 * ttl-after-finished controller.
 *
 * DESIGN
 * Work-queue keys are Jobs ("ns/name"). A sync follows upstream's syncJob step by step:
 *   1. claim pods: owned pods that stopped matching the selector are released, orphans that
 *      match are adopted with the batch.kubernetes.io/job-tracking finalizer (these writes end
 *      the sync; their events bring the Job back);
 *   2. count: active, ready, terminating; newly finished pods (those still holding the
 *      finalizer and not yet in status.uncountedTerminatedPods); succeeded and failed as the
 *      status counters plus the uncounted plus the new ones (failures a podFailurePolicy
 *      ignores do not count); completed indexes for Indexed Jobs;
 *   3. decide whether the Job is finished: an existing SuccessCriteriaMet or FailureTarget
 *      condition, a podFailurePolicy FailJob rule, backoffLimit, activeDeadlineSeconds, or
 *      a successPolicy; else manage pods: delete them all when suspended, the surplus (and
 *      duplicate indexes), or create the missing ones after the failure back-off (10 s
 *      doubling to 10 min, from the pods' finish times), in slow-start batches;
 *   4. track: finished pods go to uncountedTerminatedPods (written first), then lose their
 *      finalizer, then move to the succeeded/failed counters; the interim SuccessCriteriaMet
 *      or FailureTarget condition is written before any finalizer goes, and the terminal
 *      Complete or Failed condition only once nothing is uncounted and no pod is terminating.
 * The writes of a sync run in stages (pod writes, status, finalizers, status), each stage
 * once the previous one has answered; the sync ends when the last stage has (wl_sync), so a
 * sync never sees its own writes missing and needs no expectations. A sync's context is on the
 * controller's live list so that a stop frees it even if its answers never come back.
 *
 * Upstream keeps the failure back-off in memory from the pods it saw finish; here it is
 * recomputed from the pods still present (failures after the last success, and the last
 * failure's finish time), which survives a restart.
 *
 * The completion-index intervals and podFailurePolicy matching are pure logic, in job_util.c
 * (unit-tested in tests/unit/test-job.c).
 *
 * Pods whose Job is gone or finished still holding the finalizer are queued on a second queue
 * that removes it. The ttl-after-finished controller deletes a finished Job (foreground, with a
 * uid precondition) ttlSecondsAfterFinished after its Complete/Failed condition's transition.
 */
#include "server/batch.h"
#include "server/workload.h"

#include "lib/hmap.h"

#include <stdlib.h>
#include <string.h>

#define COMPONENT "job-controller"
#define FINALIZER "batch.kubernetes.io/job-tracking"
#define INDEX_KEY "batch.kubernetes.io/job-completion-index"
#define INDEX_ENV "JOB_COMPLETION_INDEX"
#define MAX_UNCOUNTED 500
#define MAX_PER_SYNC 500
#define BACKOFF_S 10
#define BACKOFF_MAX_S 600
#define MAX_GENERATED_NAME 58

struct jctx;

struct jobc {
	struct ctrl_mgr *m;
	struct workqueue *q;       /* jobs */
	struct workqueue *orphans; /* pods whose tracking finalizer must go */
	struct workqueue *ttl;     /* finished jobs with ttlSecondsAfterFinished */
	struct informer *jobs, *pods;
	const struct kind *jk, *pk;
	struct jctx *live;         /* syncs with writes in flight */
};

/* ---- small helpers ---------------------------------------------------------------------- */

static int64_t ts_of(const char *s)
{
	int64_t t = 0;
	return s && parse_rfc3339(s, &t) == 0 ? t : 0;
}

static int has_finalizer(const cJSON *obj)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, json_getv(obj, "metadata", "finalizers", NULL))
		if (cJSON_IsString(f) && !strcmp(f->valuestring, FINALIZER))
			return 1;
	return 0;
}

static const cJSON *find_cond(const cJSON *job, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(job, "status", "conditions", NULL))
		if (json_str(c, "type") && !strcmp(json_str(c, "type"), type))
			return c;
	return NULL;
}

static int cond_true(const cJSON *job, const char *type)
{
	const char *s = json_str(find_cond(job, type), "status");
	return s && !strcmp(s, "True");
}

/* util.IsJobFinished: a Complete or Failed condition is True. */
static int job_finished(const cJSON *job)
{
	return cond_true(job, "Complete") || cond_true(job, "Failed");
}

static cJSON *new_cond(const char *type, const char *status, const char *reason, const char *msg)
{
	cJSON *c = cJSON_CreateObject();
	char now[21];
	wl_now(now);
	json_set_str(c, "type", type);
	json_set_str(c, "status", status);
	json_set_str(c, "lastProbeTime", now);
	json_set_str(c, "lastTransitionTime", now);
	if (reason && *reason)
		json_set_str(c, "reason", reason);
	if (msg && *msg)
		json_set_str(c, "message", msg);
	return c;
}

/* Upstream's ensureJobConditionStatus: sets the condition of that type (a False one is never
 * added). Returns 1 if the list changed. */
static int ensure_cond(cJSON *status, const char *type, const char *st, const char *reason, const char *msg)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(status, "conditions"), *c;
	cJSON_ArrayForEach(c, list) {
		if (!json_str(c, "type") || strcmp(json_str(c, "type"), type))
			continue;
		const char *s = json_str(c, "status"), *r = json_str(c, "reason"), *m = json_str(c, "message");
		if (s && !strcmp(s, st) && !strcmp(r ? r : "", reason) && !strcmp(m ? m : "", msg))
			return 0;
		cJSON_ReplaceItemViaPointer(list, c, new_cond(type, st, reason, msg));
		return 1;
	}
	if (!strcmp(st, "False"))
		return 0;
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(status, "conditions", list);
	}
	cJSON_AddItemToArray(list, new_cond(type, st, reason, msg));
	return 1;
}

/* Sets a counter that Go omits when zero. */
static void set_count(cJSON *st, const char *key, int64_t v)
{
	if (v)
		json_set_int(st, key, v);
	else
		json_del(st, key);
}


/* ---- pods ------------------------------------------------------------------------------- */

struct jpod {
	cJSON *obj; /* owned */
	const char *uid, *phase;
	int fin, deleting, active, ready;
	int64_t index; /* -1: none or invalid */
	int64_t finish;
};

/* getCompletionIndex. */
static int64_t completion_index(const cJSON *pod)
{
	const char *v = json_strv(pod, "metadata", "annotations", INDEX_KEY, NULL);
	char *end;
	if (!v || !*v)
		return -1;
	long long i = strtoll(v, &end, 10);
	return *end || i < 0 ? -1 : i;
}

/* getFinishedTime: the last container's finish, else Ready=False's transition, else the
 * deletion time less its grace period, else the creation time (seconds). */
static int64_t finish_time(const cJSON *pod)
{
	const cJSON *cs, *c;
	int64_t t = 0, del;
	int all = json_getv(pod, "status", "containerStatuses", NULL) != NULL;
	cJSON_ArrayForEach(cs, json_getv(pod, "status", "containerStatuses", NULL)) {
		int64_t f = ts_of(json_strv(cs, "state", "terminated", "finishedAt", NULL));
		all &= f != 0;
		t = f > t ? f : t;
	}
	if (all && t)
		return t;
	cJSON_ArrayForEach(c, json_getv(pod, "status", "conditions", NULL)) {
		const char *type = json_str(c, "type"), *st = json_str(c, "status");
		if (type && st && !strcmp(type, "Ready") && !strcmp(st, "False") && ts_of(json_str(c, "lastTransitionTime")))
			return ts_of(json_str(c, "lastTransitionTime"));
	}
	if ((del = ts_of(json_strv(pod, "metadata", "deletionTimestamp", NULL))))
		return del - wl_int(json_obj(pod, "metadata"), "deletionGracePeriodSeconds");
	return ts_of(json_strv(pod, "metadata", "creationTimestamp", NULL));
}

static void jpod_init(struct jpod *p, cJSON *pod)
{
	p->obj = pod;
	p->uid = json_strv(pod, "metadata", "uid", NULL);
	p->uid = p->uid ? p->uid : "";
	p->phase = json_strv(pod, "status", "phase", NULL);
	p->phase = p->phase ? p->phase : "";
	p->fin = has_finalizer(pod);
	p->deleting = wl_deleting(pod);
	p->active = wl_pod_active(pod);
	p->ready = wl_pod_ready(pod);
	p->index = completion_index(pod);
	p->finish = finish_time(pod);
}

/* ---- podFailurePolicy ------------------------------------------------------------------- */

/* Does a failed pod count towards backoffLimit (no Ignore rule matched)? */
static int counts_failed(const cJSON *pfp, const cJSON *pod)
{
	return !pfp || job_match_pfp(pfp, pod, NULL) != JOB_PFP_IGNORE;
}

/* ---- the context of one sync ------------------------------------------------------------ */

struct jctx;
typedef void stage_fn(struct jctx *x);

struct jctx {
	struct jctx *next, **pprev; /* on c->live */
	struct jobc *c;
	struct wl_sync *s;
	cJSON *orig;  /* the Job as the sync found it (spec pointers below point into it) */
	cJSON *job;   /* the working copy whose status the sync writes */
	struct jpod *pods;
	size_t npods;
	const cJSON *pfp, *spol;
	int indexed, suspended, deleting, only_failed, on_failure;
	int64_t completions, parallelism, backoff_limit, ads; /* completions, ads: -1 when unset */
	int64_t active, ready, terminating, succeeded, failed;
	struct hmap unc_s, unc_f;        /* status.uncountedTerminatedPods at the start */
	cJSON *finished;                 /* the finished condition (owned), NULL */
	struct job_ivls prev_succ, succ;
	int suspend_changed;
	const char *suspend_reason;      /* the event to record with the status write */
	int64_t fail_after_success, last_failure; /* the failure back-off */
	/* tracking */
	size_t *rm;                      /* pods whose finalizer goes */
	char *rm_ok;
	size_t nrm;
	struct hmap with_fin;            /* uids of pods holding the finalizer */
	int needs_flush, reached_max, rm_err;
	size_t retries;                  /* finalizer removals sent again after a conflict */
	/* pod writes */
	size_t *sel;
	size_t nsel;
	int64_t sel_ready, done_n;
	cJSON **topod;                   /* pods to create */
	size_t ntopod, next_create, batch;
	int create_err;
	/* stages */
	int pending;
	stage_fn *then;
};

static void hset_add(struct hmap *h, const char *k)
{
	hmap_put(h, k, (void *)1);
}

static void jctx_free(struct jctx *x)
{
	if (x->pprev) {
		*x->pprev = x->next;
		if (x->next)
			x->next->pprev = x->pprev;
	}
	for (size_t i = 0; i < x->npods; i++)
		cJSON_Delete(x->pods[i].obj);
	for (size_t i = 0; i < x->ntopod; i++)
		cJSON_Delete(x->topod[i]);
	free(x->topod);
	free(x->pods);
	cJSON_Delete(x->orig);
	cJSON_Delete(x->job);
	cJSON_Delete(x->finished);
	hmap_release(&x->unc_s);
	hmap_release(&x->unc_f);
	hmap_release(&x->with_fin);
	free(x->prev_succ.v);
	free(x->succ.v);
	free(x->rm);
	free(x->rm_ok);
	free(x->sel);
	free(x);
}

/* One write of the current stage: arg for wl_sync_expect. */
struct jref {
	struct jctx *x;
	size_t i;
};

static void *jwrite(struct jctx *x, wl_answer_fn *fn, size_t i)
{
	struct jref *r = xmalloc(sizeof(*r));
	r->x = x;
	r->i = i;
	x->pending++;
	return wl_sync_expect(x->s, fn, r);
}

/* Runs next once every write of the current stage has answered (now if none is pending). */
static void stage_then(struct jctx *x, stage_fn *next)
{
	x->then = next;
	if (!x->pending) {
		x->then = NULL;
		next(x);
	}
}

/* Counts off one answer; runs the next stage after the last. x may be gone afterwards. */
static void stage_step(struct jctx *x)
{
	if (--x->pending || !x->then)
		return;
	stage_fn *next = x->then;
	x->then = NULL;
	next(x);
}

static cJSON *status_of(struct jctx *x)
{
	return json_obj_force(x->job, "status");
}

static cJSON *uncounted(struct jctx *x)
{
	return json_obj_force(status_of(x), "uncountedTerminatedPods");
}

/* isPodFailed. */
static int pod_failed(const struct jctx *x, const struct jpod *p)
{
	if (!strcmp(p->phase, "Failed"))
		return 1;
	if (x->only_failed)
		return 0;
	return p->deleting && strcmp(p->phase, "Succeeded");
}

static int valid_index(const struct jctx *x, const struct jpod *p)
{
	return !x->indexed || (p->index >= 0 && p->index < x->completions);
}

/* ---- claiming pods (ClaimPods with the tracking finalizer) ------------------------------- */

/* A merge patch of pod's ownerReferences and finalizers, conditional on its resourceVersion. */
static void patch_ownership(struct wl_sync *s, struct jobc *c, const cJSON *pod, cJSON *refs, cJSON *fins)
{
	cJSON *patch = cJSON_CreateObject(), *meta = json_obj_force(patch, "metadata");
	const char *rv = json_strv(pod, "metadata", "resourceVersion", NULL);
	json_set(meta, "ownerReferences", cJSON_GetArraySize(refs) ? refs : (cJSON_Delete(refs), cJSON_CreateNull()));
	json_set(meta, "finalizers", cJSON_GetArraySize(fins) ? fins : (cJSON_Delete(fins), cJSON_CreateNull()));
	if (rv)
		json_set_str(meta, "resourceVersion", rv);
	ctrl_patch(c->m, COMPONENT, c->pk, json_strv(pod, "metadata", "namespace", NULL), json_strv(pod, "metadata", "name", NULL),
		   NULL, patch, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	cJSON_Delete(patch);
}

/* The finalizers of pod without the tracking one (with it too when add is set). */
static cJSON *finalizers_with(const cJSON *pod, int add)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *f;
	cJSON_ArrayForEach(f, json_getv(pod, "metadata", "finalizers", NULL))
		if (!cJSON_IsString(f) || strcmp(f->valuestring, FINALIZER))
			cJSON_AddItemToArray(out, cJSON_Duplicate(f, 1));
	if (add)
		cJSON_AddItemToArray(out, cJSON_CreateString(FINALIZER));
	return out;
}

static void adopt(struct wl_sync *s, struct jobc *c, const cJSON *pod, const cJSON *job)
{
	const cJSON *old = json_getv(pod, "metadata", "ownerReferences", NULL);
	cJSON *refs = cJSON_IsArray(old) ? cJSON_Duplicate(old, 1) : cJSON_CreateArray();
	cJSON_AddItemToArray(refs, ctrl_owner_ref(job));
	patch_ownership(s, c, pod, refs, finalizers_with(pod, 1));
}

static void release(struct wl_sync *s, struct jobc *c, const cJSON *pod, const char *uid)
{
	cJSON *refs = cJSON_CreateArray();
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(pod, "metadata", "ownerReferences", NULL))
		if (!json_str(r, "uid") || strcmp(json_str(r, "uid"), uid))
			cJSON_AddItemToArray(refs, cJSON_Duplicate(r, 1));
	patch_ownership(s, c, pod, refs, finalizers_with(pod, 0));
}

struct claim {
	struct jctx *x;
	const char *uid;
	int writes;
};

static int claim_one(struct store_kv *kv, void *data)
{
	struct claim *cl = data;
	struct jctx *x = cl->x;
	const char *o = obj_field(kv->attrs, "x.owner");
	if (o && *o && strcmp(o, cl->uid))
		return 0; /* another controller's */
	cJSON *pod = obj_parse(kv);
	if (!pod)
		return 0;
	int matches = wl_selector_matches(json_getv(x->orig, "spec", "selector", NULL), json_getv(pod, "metadata", "labels", NULL));
	switch (wl_claim(x->orig, pod, matches)) {
	case WL_OWNED:
		x->pods = xrealloc(x->pods, (x->npods + 1) * sizeof(*x->pods));
		jpod_init(&x->pods[x->npods++], pod);
		return 0;
	case WL_ADOPT:
		adopt(x->s, x->c, pod, x->orig);
		cl->writes++;
		break;
	case WL_RELEASE:
		release(x->s, x->c, pod, cl->uid);
		cl->writes++;
		break;
	case WL_IGNORE:
		break;
	}
	cJSON_Delete(pod);
	return 0;
}

/* ---- loading and counting --------------------------------------------------------------- */

static void load_uncounted(struct jctx *x)
{
	const cJSON *u;
	cJSON_ArrayForEach(u, json_getv(x->orig, "status", "uncountedTerminatedPods", "succeeded", NULL))
		if (cJSON_IsString(u))
			hset_add(&x->unc_s, u->valuestring);
	cJSON_ArrayForEach(u, json_getv(x->orig, "status", "uncountedTerminatedPods", "failed", NULL))
		if (cJSON_IsString(u))
			hset_add(&x->unc_f, u->valuestring);
}

/* A new context for the Job ns/name, or NULL when there is nothing to do (gone, finished,
 * managed by another controller, or an unknown completion mode). */
static struct jctx *jctx_load(struct jobc *c, struct wl_sync *s, const char *ns, const char *name)
{
	struct store_kv *kv = informer_get(c->jobs, ns, name);
	cJSON *job = kv ? obj_parse(kv) : NULL;
	const cJSON *spec = json_obj(job, "spec");
	const char *mode = json_str(spec, "completionMode"), *by = json_str(spec, "managedBy");
	if (!job || job_finished(job) || (by && strcmp(by, "kubernetes.io/job-controller"))) {
		cJSON_Delete(job);
		return NULL;
	}
	if (mode && strcmp(mode, "NonIndexed") && strcmp(mode, "Indexed")) {
		ctrl_event(c->m, COMPONENT, job, "Warning", "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
		cJSON_Delete(job);
		return NULL;
	}
	struct jctx *x = xcalloc(1, sizeof(*x));
	x->c = c;
	x->s = s;
	x->orig = job;
	x->job = cJSON_Duplicate(job, 1);
	x->pfp = json_obj(spec, "podFailurePolicy");
	x->spol = json_obj(spec, "successPolicy");
	x->indexed = mode && !strcmp(mode, "Indexed");
	x->suspended = json_true(spec, "suspend");
	x->deleting = wl_deleting(job);
	const char *prp = json_str(spec, "podReplacementPolicy");
	x->only_failed = (prp && !strcmp(prp, "Failed")) || x->pfp;
	x->on_failure = json_strv(spec, "template", "spec", "restartPolicy", NULL) &&
			!strcmp(json_strv(spec, "template", "spec", "restartPolicy", NULL), "OnFailure");
	x->completions = json_int(spec, "completions", &x->completions) == 0 ? x->completions : -1;
	x->ads = json_int(spec, "activeDeadlineSeconds", &x->ads) == 0 ? x->ads : -1;
	x->parallelism = wl_int(spec, "parallelism");
	x->backoff_limit = json_int(spec, "backoffLimit", &x->backoff_limit) == 0 ? x->backoff_limit : 6;
	load_uncounted(x);
	x->next = c->live;
	if (c->live)
		c->live->pprev = &x->next;
	x->pprev = &c->live;
	c->live = x;
	return x;
}

/* Active, ready, terminating; succeeded and failed with the newly finished pods. */
static void count_pods(struct jctx *x)
{
	int64_t new_s = 0, new_f = 0;
	for (size_t i = 0; i < x->npods; i++) {
		const struct jpod *p = &x->pods[i];
		int terminal = !strcmp(p->phase, "Succeeded") || !strcmp(p->phase, "Failed");
		x->active += p->active;
		x->ready += p->active && p->ready;
		x->terminating += p->deleting && !terminal;
		if (!p->fin || !valid_index(x, p))
			continue;
		if (!strcmp(p->phase, "Succeeded") && !hmap_get(&x->unc_s, p->uid))
			new_s++;
		if (pod_failed(x, p) && !hmap_get(&x->unc_f, p->uid) && counts_failed(x->pfp, p->obj))
			new_f++;
	}
	const cJSON *st = json_obj(x->orig, "status");
	x->succeeded = wl_int(st, "succeeded") + new_s + (int64_t)x->unc_s.n;
	x->failed = wl_int(st, "failed") + new_f + (int64_t)x->unc_f.n;
}

/* The failure back-off: failures after the last success and when the last one finished. */
static void backoff_record(struct jctx *x)
{
	int64_t last_success = 0;
	for (size_t i = 0; i < x->npods; i++)
		if (!strcmp(x->pods[i].phase, "Succeeded") && x->pods[i].finish > last_success)
			last_success = x->pods[i].finish;
	for (size_t i = 0; i < x->npods; i++) {
		const struct jpod *p = &x->pods[i];
		if (!pod_failed(x, p) || (last_success && p->finish <= last_success))
			continue;
		x->fail_after_success++;
		if (p->finish > x->last_failure)
			x->last_failure = p->finish;
	}
}

/* getRemainingTimeForFailuresCount, in seconds. */
static int64_t backoff_remaining(const struct jctx *x)
{
	int64_t d = BACKOFF_S, elapsed = wall_seconds() - x->last_failure;
	if (!x->fail_after_success)
		return 0;
	for (int64_t i = 1; i < x->fail_after_success && d < BACKOFF_MAX_S; i++)
		d *= 2;
	d = MIN(d, BACKOFF_MAX_S);
	return d < elapsed ? 0 : d - elapsed;
}

/* pastBackoffLimitOnFailure: container restarts of running and pending pods. */
static int past_backoff_on_failure(const struct jctx *x)
{
	static const char *const lists[] = { "initContainerStatuses", "containerStatuses" };
	int64_t restarts = 0;
	if (!x->on_failure)
		return 0;
	for (size_t i = 0; i < x->npods; i++) {
		if (strcmp(x->pods[i].phase, "Running") && strcmp(x->pods[i].phase, "Pending"))
			continue;
		for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
			const cJSON *cs;
			cJSON_ArrayForEach(cs, json_getv(x->pods[i].obj, "status", lists[l], NULL))
				restarts += wl_int(cs, "restartCount");
		}
	}
	return x->backoff_limit == 0 ? restarts > 0 : restarts >= x->backoff_limit;
}

/* ---- deciding whether the Job is finished ---------------------------------------------- */

static char *fail_job_message(const struct jctx *x)
{
	char *msg = NULL;
	for (size_t i = 0; x->pfp && i < x->npods && !msg; i++)
		if (pod_failed(x, &x->pods[i]))
			job_match_pfp(x->pfp, x->pods[i].obj, &msg);
	return msg;
}

/* matchSuccessPolicy over the succeeded indexes; the message into msg when met. */
static int success_policy_met(const struct jctx *x, char msg[64])
{
	const cJSON *rule;
	int i = 0;
	if (!x->spol || !x->succ.n)
		return 0;
	cJSON_ArrayForEach(rule, json_getv(x->spol, "rules", NULL)) {
		int64_t want = -1, contains = 0;
		json_int(rule, "succeededCount", &want);
		if (json_str(rule, "succeededIndexes")) {
			struct job_ivls req;
			job_ivls_parse(json_str(rule, "succeededIndexes"), x->completions, &req);
			for (size_t a = 0; a < req.n; a++)
				for (size_t b = 0; b < x->succ.n; b++) {
					int64_t lo = MAX(req.v[a].first, x->succ.v[b].first);
					int64_t hi = MIN(req.v[a].last, x->succ.v[b].last);
					contains += hi >= lo ? hi - lo + 1 : 0;
				}
			int met = req.n && (contains == job_ivls_total(&req) || (want >= 0 && contains >= want));
			free(req.v);
			if (met)
				goto matched;
		} else if (want >= 0 && job_ivls_total(&x->succ) >= want) {
			goto matched;
		}
		i++;
	}
	return 0;
matched:
	snprintf(msg, 64, "Matched rules at index %d", i);
	return 1;
}

/* The succeeded indexes of an Indexed Job: status.completedIndexes plus the succeeded pods
 * still holding the finalizer. */
static void succeeded_indexes(struct jctx *x)
{
	int64_t *idx = xcalloc(x->npods + 1, sizeof(int64_t));
	size_t n = 0;
	job_ivls_parse(json_strv(x->orig, "status", "completedIndexes", NULL), x->completions, &x->prev_succ);
	for (size_t i = 0; i < x->npods; i++) {
		const struct jpod *p = &x->pods[i];
		if (!strcmp(p->phase, "Succeeded") && p->index >= 0 && p->index < x->completions && p->fin)
			idx[n++] = p->index;
	}
	job_ivls_with(&x->prev_succ, idx, n, &x->succ);
	x->succeeded = job_ivls_total(&x->succ);
	free(idx);
}

static void decide_failure(struct jctx *x)
{
	int64_t start = ts_of(json_strv(x->job, "status", "startTime", NULL)), now = wall_seconds();
	if (x->failed > x->backoff_limit || past_backoff_on_failure(x))
		x->finished = new_cond("FailureTarget", "True", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
	else if (x->ads >= 0 && start && !x->suspended && now - start >= x->ads)
		x->finished = new_cond("FailureTarget", "True", "DeadlineExceeded", "Job was active longer than specified deadline");
	else if (x->ads >= 0 && !x->suspended && start) {
		struct buf key = BUF_INIT;
		buf_addf(&key, "%s/%s", json_strv(x->orig, "metadata", "namespace", NULL), json_strv(x->orig, "metadata", "name", NULL));
		workqueue_add_after(x->c->q, key.data, (uint64_t)(x->ads - (now - start)) * 1000);
		buf_release(&key);
	}
}

/* Upstream's decision before managing pods: the condition that finishes the Job, if any. */
static void decide(struct jctx *x)
{
	const cJSON *scm = find_cond(x->orig, "SuccessCriteriaMet"), *ft = find_cond(x->orig, "FailureTarget");
	if (scm && cond_true(x->orig, "SuccessCriteriaMet")) {
		x->finished = cJSON_Duplicate(scm, 1);
	} else if (ft && cond_true(x->orig, "FailureTarget")) {
		x->finished = new_cond("Failed", "True", json_str(ft, "reason"), json_str(ft, "message"));
	} else {
		char *msg = fail_job_message(x);
		if (msg)
			x->finished = new_cond("FailureTarget", "True", "PodFailurePolicy", msg);
		free(msg);
	}
	if (!x->finished)
		decide_failure(x);
	if (x->indexed) {
		char msg[64];
		succeeded_indexes(x);
		if (!x->finished && success_policy_met(x, msg))
			x->finished = new_cond("SuccessCriteriaMet", "True", "SuccessPolicy", msg);
	}
}

static int is_type(const cJSON *cond, const char *type)
{
	return cond && json_str(cond, "type") && !strcmp(json_str(cond, "type"), type);
}

/* ---- deleting pods ---------------------------------------------------------------------- */

static void track(struct jctx *x);
static void after_manage(struct jctx *x);

/* The done callback of wl_delete_pods as one write of the current stage. */
static void pods_deleted(struct wl_sync *s, int n, const char *err, void *arg)
{
	struct jctx *x = ((struct jref *)arg)->x;
	UNUSED(s);
	UNUSED(err);
	x->done_n += n;
	stage_step(x);
}

/* Deletes the selected pods (x->sel) as one write of the current stage. */
static void delete_selected(struct jctx *x, const size_t *which, size_t n)
{
	const cJSON **v = xcalloc(n + 1, sizeof(*v));
	struct jref *r = xmalloc(sizeof(*r));
	for (size_t i = 0; i < n; i++)
		v[i] = x->pods[which[i]].obj;
	r->x = x;
	r->i = 0;
	x->pending++;
	wl_delete_pods(x->s, COMPONENT, x->orig, (const cJSON *const *)v, n, pods_deleted, r);
	free(v);
}

static void select_pods(struct jctx *x, const size_t *which, size_t n)
{
	free(x->sel);
	x->sel = xcalloc(n + 1, sizeof(size_t));
	x->nsel = n;
	x->sel_ready = 0;
	x->done_n = 0;
	for (size_t i = 0; i < n; i++) {
		x->sel[i] = which[i];
		x->sel_ready += x->pods[which[i]].ready;
	}
}

static void after_delete_active(struct jctx *x)
{
	if (x->done_n != x->active) {
		cJSON_Delete(x->finished); /* pods or finalizers may remain: not finished yet */
		x->finished = NULL;
	}
	x->active -= x->done_n;
	x->terminating += x->done_n;
	x->ready -= x->sel_ready;
	track(x);
}

/* deleteActivePods: the Job is finished; its active pods are deleted (keeping finalizers). */
static void delete_active(struct jctx *x)
{
	size_t *which = xcalloc(x->npods + 1, sizeof(size_t)), n = 0;
	for (size_t i = 0; i < x->npods; i++)
		if (x->pods[i].active)
			which[n++] = i;
	select_pods(x, which, n);
	free(which);
	delete_selected(x, x->sel, x->nsel);
	stage_then(x, after_delete_active);
}

/* A merge patch removing the tracking finalizer from pod (conditional on its version). */
static void remove_finalizer(struct jctx *x, const cJSON *pod, wl_answer_fn *fn, size_t i)
{
	cJSON *patch = cJSON_CreateObject(), *meta = json_obj_force(patch, "metadata");
	cJSON *fins = finalizers_with(pod, 0);
	const char *rv = json_strv(pod, "metadata", "resourceVersion", NULL);
	json_set(meta, "finalizers", cJSON_GetArraySize(fins) ? fins : (cJSON_Delete(fins), cJSON_CreateNull()));
	if (rv)
		json_set_str(meta, "resourceVersion", rv);
	ctrl_patch(x->c->m, COMPONENT, x->c->pk, json_strv(pod, "metadata", "namespace", NULL),
		   json_strv(pod, "metadata", "name", NULL), NULL, patch, wl_sync_cb, jwrite(x, fn, i));
	cJSON_Delete(patch);
}

enum { UNF_SENT, UNF_GONE, UNF_NONE };

/* A finalizer removal met a conflict: the pod changed since the sync read it (its deletion, a
 * status write). Sends the removal again (a write of the current stage answered by fn with i)
 * against the informer's current version, a few times per sync at most. Returns UNF_SENT, or
 * UNF_GONE (the pod is gone), UNF_NONE (it no longer holds the finalizer), -1 (no more tries). */
static int unfinalize_again(struct jctx *x, const cJSON *pod, wl_answer_fn *fn, size_t i)
{
	const char *uid = json_strv(pod, "metadata", "uid", NULL);
	struct store_kv *kv = informer_get(x->c->pods, json_strv(pod, "metadata", "namespace", NULL),
					   json_strv(pod, "metadata", "name", NULL));
	cJSON *cur = kv ? obj_parse(kv) : NULL;
	const char *cuid = json_strv(cur, "metadata", "uid", NULL);
	int r = -1;
	if (!cur || !cuid || !uid || strcmp(cuid, uid))
		r = UNF_GONE;
	else if (!has_finalizer(cur))
		r = UNF_NONE;
	else if (x->retries++ < 2 * x->npods + 4) {
		remove_finalizer(x, cur, fn, i);
		r = UNF_SENT;
	}
	cJSON_Delete(cur);
	return r;
}

static void unfinalized(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct jref *r = arg;
	struct jctx *x = r->x;
	UNUSED(body);
	UNUSED(len);
	int again = code == 409 ? unfinalize_again(x, x->pods[x->sel[r->i]].obj, unfinalized, r->i) : -1;
	if ((code >= 200 && code < 300) || again == UNF_NONE)
		x->rm_ok[r->i] = 1;
	else if (code == 404 || again == UNF_GONE)
		x->rm_ok[r->i] = 2; /* gone: counts as removed, nothing to delete */
	else if (again != UNF_SENT)
		wl_sync_fail(s);
	stage_step(x);
}

static void after_job_pods_deleted(struct jctx *x)
{
	int64_t removed = x->done_n;
	for (size_t i = 0; i < x->nsel; i++)
		removed += x->rm_ok[i] == 2;
	x->active -= removed;
	x->terminating += removed;
	x->ready -= x->sel_ready;
	after_manage(x);
}

static void job_pods_unfinalized(struct jctx *x)
{
	size_t *which = xcalloc(x->nsel + 1, sizeof(size_t)), n = 0;
	for (size_t i = 0; i < x->nsel; i++)
		if (x->rm_ok[i] == 1)
			which[n++] = x->sel[i];
	x->done_n = 0;
	delete_selected(x, which, n);
	free(which);
	stage_then(x, after_job_pods_deleted);
}

/* deleteJobPods: the tracking finalizer goes first (so the pod is not counted as failed),
 * then the pod. */
static void delete_job_pods(struct jctx *x, const size_t *which, size_t n)
{
	select_pods(x, which, n);
	free(x->rm_ok);
	x->rm_ok = xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++) {
		if (x->pods[which[i]].fin)
			remove_finalizer(x, x->pods[which[i]].obj, unfinalized, i);
		else
			x->rm_ok[i] = 1;
	}
	stage_then(x, job_pods_unfinalized);
}

/* ---- creating pods ---------------------------------------------------------------------- */

static void send_creates(struct jctx *x);

static void pod_created(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct jctx *x = ((struct jref *)arg)->x;
	cJSON *obj = json_parse(body, len, NULL);
	if (code >= 200 && code < 300) {
		const char *name = json_strv(obj, "metadata", "name", NULL);
		x->done_n++;
		ctrl_event(x->c->m, COMPONENT, x->orig, "Normal", "SuccessfulCreate", "Created pod: %s", name ? name : "");
	} else if (!wl_answer_ns_terminating(body, len)) {
		struct buf msg = BUF_INIT;
		wl_answer_message(body, len, &msg);
		ctrl_event(x->c->m, COMPONENT, x->orig, "Warning", "FailedCreate", "Error creating: %s", buf_str(&msg));
		buf_release(&msg);
		x->create_err = 1;
		wl_sync_fail(s);
	}
	cJSON_Delete(obj);
	if (--x->batch == 0 && !x->create_err && x->next_create < x->ntopod)
		send_creates(x);
	stage_step(x);
}

/* Sends the next slow-start batch (1, 2, 4, ... pods). */
static void send_creates(struct jctx *x)
{
	size_t size = MIN(x->next_create + 1, x->ntopod - x->next_create); /* 1 sent so far 2^k - 1 */
	x->batch = size;
	for (size_t i = 0; i < size; i++) {
		const cJSON *pod = x->topod[x->next_create++];
		ctrl_create(x->c->m, COMPONENT, x->c->pk, json_strv(x->orig, "metadata", "namespace", NULL), pod, wl_sync_cb,
			    jwrite(x, pod_created, 0));
	}
}

/* addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the completion index label. */
static void add_index_env(cJSON *tmpl)
{
	static const char *const lists[] = { "initContainers", "containers" };
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		cJSON *ctr;
		cJSON_ArrayForEach(ctr, json_getv(tmpl, "spec", lists[l], NULL)) {
			cJSON *env = cJSON_GetObjectItemCaseSensitive(ctr, "env"), *e;
			int has = 0;
			cJSON_ArrayForEach(e, env)
				has |= json_str(e, "name") && !strcmp(json_str(e, "name"), INDEX_ENV);
			if (has)
				continue;
			if (!cJSON_IsArray(env)) {
				env = cJSON_CreateArray();
				json_set(ctr, "env", env);
			}
			e = cJSON_CreateObject();
			json_set_str(e, "name", INDEX_ENV);
			json_set_str(json_obj_force(json_obj_force(e, "valueFrom"), "fieldRef"), "fieldPath",
				     "metadata.labels['" INDEX_KEY "']");
			cJSON_AddItemToArray(env, e);
		}
	}
}

/* A pod for completion index ix (-1: not Indexed) from the prepared template. */
static cJSON *pod_for_index(const struct jctx *x, const cJSON *tmpl, int64_t ix)
{
	cJSON *pod = wl_pod_from_template(tmpl, x->orig);
	if (ix < 0)
		return pod;
	const char *job = json_strv(x->orig, "metadata", "name", NULL);
	char num[24], *suffix, *prefix;
	snprintf(num, sizeof(num), "%lld", (long long)ix);
	cJSON *meta = json_obj_force(pod, "metadata");
	json_set_str(json_obj_force(meta, "annotations"), INDEX_KEY, num);
	json_set_str(json_obj_force(meta, "labels"), INDEX_KEY, num);
	prefix = xasprintf("%s-%s", job, num);
	json_set_str(json_obj_force(pod, "spec"), "hostname", prefix);
	free(prefix);
	/* podGenerateNameWithIndex */
	suffix = xasprintf("-%s-", num);
	size_t keep = strlen(job) + strlen(suffix) > MAX_GENERATED_NAME ? MAX_GENERATED_NAME - strlen(suffix) : strlen(job);
	prefix = xasprintf("%.*s%s", (int)keep, job, suffix);
	json_set_str(meta, "generateName", prefix);
	free(prefix);
	free(suffix);
	return pod;
}

static void after_create(struct jctx *x)
{
	x->active += x->done_n;
	after_manage(x);
}

/* Creates one pod per entry of idx (n of them; idx NULL: not Indexed) in slow-start batches. */
static void create_pods(struct jctx *x, const int64_t *idx, size_t n)
{
	cJSON *tmpl = cJSON_Duplicate(json_getv(x->orig, "spec", "template", NULL), 1);
	cJSON *meta = json_obj_force(tmpl, "metadata"), *fins = cJSON_GetObjectItemCaseSensitive(meta, "finalizers"), *f;
	int has = 0;
	if (x->indexed)
		add_index_env(tmpl);
	cJSON_ArrayForEach(f, fins)
		has |= cJSON_IsString(f) && !strcmp(f->valuestring, FINALIZER);
	if (!cJSON_IsArray(fins)) {
		fins = cJSON_CreateArray();
		json_set(meta, "finalizers", fins);
	}
	if (!has)
		cJSON_AddItemToArray(fins, cJSON_CreateString(FINALIZER));
	x->topod = xcalloc(n + 1, sizeof(cJSON *));
	for (size_t i = 0; i < n; i++)
		x->topod[x->ntopod++] = pod_for_index(x, tmpl, idx ? idx[i] : -1);
	cJSON_Delete(tmpl);
	x->done_n = 0;
	x->next_create = 0;
	if (n)
		send_creates(x);
	stage_then(x, after_create);
}

/* ---- managing pods (manageJob) ---------------------------------------------------------- */

static size_t pod_pos(const struct jctx *x, const cJSON *obj)
{
	for (size_t i = 0; i < x->npods; i++)
		if (x->pods[i].obj == obj)
			return i;
	return 0;
}

/* Sorts which (positions in x->pods) into upstream's deletion order, the first to go first. */
static void sort_for_deletion(const struct jctx *x, size_t *which, size_t n)
{
	const cJSON **v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = x->pods[which[i]].obj;
	wl_sort_for_deletion(v, NULL, n, wall_seconds());
	for (size_t i = 0; i < n; i++)
		which[i] = pod_pos(x, v[i]);
	free(v);
}

static const struct jctx *sort_ctx;

static int cmp_index(const void *a, const void *b)
{
	int64_t x = sort_ctx->pods[*(const size_t *)a].index, y = sort_ctx->pods[*(const size_t *)b].index;
	return x < y ? -1 : x > y ? 1 : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* appendDuplicatedIndexPodsForRemoval: active pods without a valid index, and all but one of
 * each repeated index, go to rm; the others to left. */
static void duplicated_indexes(const struct jctx *x, size_t *act, size_t n, size_t *rm, size_t *nrm, size_t *left,
			       size_t *nleft)
{
	sort_ctx = x;
	qsort(act, n, sizeof(*act), cmp_index);
	sort_ctx = NULL;
	for (size_t i = 0, j; i < n; i = j) {
		int64_t ix = x->pods[act[i]].index;
		for (j = i + 1; j < n && x->pods[act[j]].index == ix; j++)
			;
		if (ix < 0 || ix >= x->completions) {
			for (size_t k = i; k < j; k++)
				rm[(*nrm)++] = act[k];
			continue;
		}
		sort_for_deletion(x, act + i, j - i);
		for (size_t k = i; k + 1 < j; k++)
			rm[(*nrm)++] = act[k];
		left[(*nleft)++] = act[j - 1];
	}
}

/* activePodsForRemoval: at least at_least active pods (more for an Indexed Job with repeated or
 * invalid indexes). Returns the count; *out (caller frees) the positions. */
static size_t pods_for_removal(const struct jctx *x, int64_t at_least, size_t **out)
{
	size_t *act = xcalloc(x->npods + 1, sizeof(size_t)), *left = xcalloc(x->npods + 1, sizeof(size_t));
	size_t n = 0, nrm = 0, nleft = 0;
	*out = xcalloc(x->npods + 1, sizeof(size_t));
	for (size_t i = 0; i < x->npods; i++)
		if (x->pods[i].active)
			act[n++] = i;
	if (x->indexed) {
		duplicated_indexes(x, act, n, *out, &nrm, left, &nleft);
	} else {
		memcpy(left, act, n * sizeof(size_t));
		nleft = n;
	}
	if ((int64_t)nrm < at_least) {
		sort_for_deletion(x, left, nleft);
		for (size_t i = 0; i < nleft && (int64_t)nrm < at_least; i++)
			(*out)[nrm++] = left[i];
	}
	free(act);
	free(left);
	return nrm;
}

/* firstPendingIndexes: the first count indexes below completions that are neither succeeded
 * nor active (nor terminating, when only failed pods are replaced). Returns how many. */
static size_t first_pending(const struct jctx *x, int64_t count, int64_t *out)
{
	int64_t *busy = xcalloc(x->npods + 1, sizeof(int64_t));
	size_t nb = 0, n = 0;
	struct job_ivls non;
	for (size_t i = 0; i < x->npods; i++) {
		const struct jpod *p = &x->pods[i];
		int terminating = p->deleting && strcmp(p->phase, "Succeeded") && strcmp(p->phase, "Failed");
		if (p->index >= 0 && (p->active || (x->only_failed && terminating)))
			busy[nb++] = p->index;
	}
	job_ivls_with(&x->succ, busy, nb, &non);
	int64_t cand = 0;
	for (size_t i = 0; i < non.n; i++) {
		for (; cand < x->completions && (int64_t)n < count && cand < non.v[i].first; cand++)
			out[n++] = cand;
		if (cand < non.v[i].last + 1)
			cand = non.v[i].last + 1;
	}
	for (; cand < x->completions && (int64_t)n < count; cand++)
		out[n++] = cand;
	free(non.v);
	free(busy);
	return n;
}

static void requeue(struct jctx *x, uint64_t ms)
{
	struct buf key = BUF_INIT;
	buf_addf(&key, "%s/%s", json_strv(x->orig, "metadata", "namespace", NULL), json_strv(x->orig, "metadata", "name", NULL));
	workqueue_add_after(x->c->q, key.data, ms);
	buf_release(&key);
}

static void create_missing(struct jctx *x, int64_t diff)
{
	int64_t rem = backoff_remaining(x);
	if (rem > 0) {
		requeue(x, (uint64_t)MAX(rem, 1) * 1000);
		x->active = 0; /* as upstream's manageJob reports while backing off */
		after_manage(x);
		return;
	}
	diff = MIN(diff, MAX_PER_SYNC);
	if (!x->indexed) {
		create_pods(x, NULL, (size_t)diff);
		return;
	}
	int64_t *idx = xcalloc((size_t)diff + 1, sizeof(int64_t));
	size_t n = first_pending(x, diff, idx);
	create_pods(x, idx, n);
	free(idx);
}

/* manageJob: deletes every active pod of a suspended Job, the surplus of a running one, or
 * creates the missing ones. Continues with after_manage once the writes have answered. */
static void manage(struct jctx *x)
{
	size_t *which = NULL, n;
	int64_t want;
	if (x->suspended) {
		n = pods_for_removal(x, x->active, &which);
		delete_job_pods(x, which, n);
		free(which);
		return;
	}
	if (x->completions < 0)
		want = x->succeeded > 0 ? x->active : x->parallelism;
	else
		want = MAX(0, MIN(x->completions - x->succeeded, x->parallelism));
	n = pods_for_removal(x, MAX(0, x->active - want), &which);
	if (n) {
		delete_job_pods(x, which, MIN(n, MAX_PER_SYNC));
		free(which);
		return;
	}
	free(which);
	int64_t diff = want - (x->only_failed ? x->terminating : 0) - x->active;
	if (diff > 0)
		create_missing(x, diff);
	else
		after_manage(x);
}

static void after_manage(struct jctx *x)
{
	int complete = x->completions < 0 ? x->succeeded > 0 && x->active == 0
					  : x->succeeded >= x->completions && x->active == 0;
	cJSON *st = status_of(x);
	if (complete) {
		x->finished = new_cond("SuccessCriteriaMet", "True", "CompletionsReached",
				       "Reached expected number of succeeded pods");
	} else if (x->deleting) {
		/* manageJob is not called for a Job being deleted: no suspend conditions either */
	} else if (x->suspended) {
		if (ensure_cond(st, "Suspended", "True", "JobSuspended", "Job suspended")) {
			x->suspend_changed = 1;
			x->suspend_reason = "Suspended";
		}
	} else if (ensure_cond(st, "Suspended", "False", "JobResumed", "Job resumed")) {
		char now[21];
		x->suspend_changed = 1;
		x->suspend_reason = "Resumed";
		wl_now(now);
		json_set_str(st, "startTime", now); /* activeDeadlineSeconds counts from the resume */
	}
	track(x);
}

/* ---- tracking finished pods (trackJobStatusAndRemoveFinalizers) ------------------------- */

/* The last stage of a sync that records nothing more. */
static void jctx_end(struct jctx *x)
{
	jctx_free(x);
}

static void status_answered(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct jctx *x = ((struct jref *)arg)->x;
	if (code >= 200 && code < 300) {
		cJSON *job = json_parse(body, len, NULL);
		if (job) {
			cJSON_Delete(x->job);
			x->job = job;
		}
	} else {
		if (code != 409)
			log_warn("job %s: status update failed (%d): %.*s", json_strv(x->orig, "metadata", "name", NULL), code,
				 (int)MIN(len, 300), body);
		wl_sync_fail(s);
		x->then = jctx_end;
	}
	stage_step(x);
}

/* PUT of the working copy to jobs/NAME/status; next runs once it has answered well. */
static void put_status(struct jctx *x, stage_fn *next)
{
	if (x->suspend_reason) {
		ctrl_event(x->c->m, COMPONENT, x->orig, "Normal", x->suspend_reason, "Job %s",
			   !strcmp(x->suspend_reason, "Suspended") ? "suspended" : "resumed");
		x->suspend_reason = NULL;
	}
	ctrl_update(x->c->m, COMPONENT, x->c->jk, json_strv(x->job, "metadata", "namespace", NULL),
		    json_strv(x->job, "metadata", "name", NULL), "status", x->job, wl_sync_cb, jwrite(x, status_answered, 0));
	stage_then(x, next);
}

static size_t uncounted_len(struct jctx *x, const char *which)
{
	return (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(uncounted(x), which));
}

static void uncounted_add(struct jctx *x, const char *which, const char *uid)
{
	cJSON *u = uncounted(x), *list = cJSON_GetObjectItemCaseSensitive(u, which);
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(u, which, list);
	}
	cJSON_AddItemToArray(list, cJSON_CreateString(uid));
}

/* cleanUncountedPodsWithoutFinalizers: uncounted pods that no longer hold the finalizer move
 * to the counters. Returns 1 if the status changed. */
static int clean_uncounted(struct jctx *x)
{
	static const char *const lists[][2] = { { "succeeded", "succeeded" }, { "failed", "failed" } };
	cJSON *u = uncounted(x), *st = status_of(x);
	int changed = 0;
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		cJSON *list = cJSON_GetObjectItemCaseSensitive(u, lists[l][0]), *keep = cJSON_CreateArray(), *e;
		int64_t moved = 0;
		cJSON_ArrayForEach(e, list) {
			if (cJSON_IsString(e) && hmap_get(&x->with_fin, e->valuestring))
				cJSON_AddItemToArray(keep, cJSON_Duplicate(e, 1));
			else
				moved++;
		}
		if (moved) {
			changed = 1;
			set_count(st, lists[l][1], wl_int(st, lists[l][1]) + moved);
		}
		if (cJSON_GetArraySize(keep))
			json_set(u, lists[l][0], keep);
		else {
			cJSON_Delete(keep);
			json_del(u, lists[l][0]);
		}
	}
	return changed;
}

/* canRemoveFinalizer (without backoffLimitPerIndex). */
static int can_remove(const struct jctx *x, const struct jpod *p, int failed)
{
	return x->deleting || x->finished || !strcmp(p->phase, "Succeeded") || failed;
}

/* Chooses the pods whose finalizer goes and records them as uncounted; new succeeded indexes
 * into idx (*nidx). */
static void pick_finished(struct jctx *x, int64_t *idx, size_t *nidx)
{
	free(x->rm);
	free(x->rm_ok); /* delete_job_pods's, done with */
	x->rm = xcalloc(x->npods + 1, sizeof(size_t));
	x->rm_ok = xcalloc(x->npods + 1, 1);
	for (size_t i = 0; i < x->npods; i++) {
		const struct jpod *p = &x->pods[i];
		int failed = pod_failed(x, p);
		if (!p->fin || !can_remove(x, p, failed))
			continue;
		x->rm[x->nrm++] = i;
		if (!strcmp(p->phase, "Succeeded") && !hmap_get(&x->unc_f, p->uid)) {
			if (x->indexed) {
				if (p->index >= 0 && p->index < x->completions && !job_ivls_has(&x->prev_succ, p->index)) {
					idx[(*nidx)++] = p->index;
					x->needs_flush = 1;
				}
			} else if (!hmap_get(&x->unc_s, p->uid)) {
				uncounted_add(x, "succeeded", p->uid);
				x->needs_flush = 1;
			}
		} else if (failed || (x->finished && !is_type(x->finished, "SuccessCriteriaMet"))) {
			if (!hmap_get(&x->unc_f, p->uid) && valid_index(x, p) && counts_failed(x->pfp, p->obj)) {
				uncounted_add(x, "failed", p->uid);
				x->needs_flush = 1;
			}
		}
		if (*nidx + uncounted_len(x, "succeeded") + uncounted_len(x, "failed") >= MAX_UNCOUNTED) {
			x->reached_max = 1;
			break;
		}
	}
}

static void indexes_status(struct jctx *x, int64_t *idx, size_t nidx)
{
	struct job_ivls all;
	struct buf s = BUF_INIT;
	cJSON *st = status_of(x);
	job_ivls_with(&x->succ, idx, nidx, &all);
	free(x->succ.v);
	x->succ = all;
	job_ivls_format(&x->succ, &s);
	const char *old = json_str(st, "completedIndexes");
	if (strcmp(old ? old : "", buf_str(&s)))
		x->needs_flush = 1;
	set_count(st, "succeeded", job_ivls_total(&x->succ));
	if (s.len)
		json_set_str(st, "completedIndexes", s.data);
	else
		json_del(st, "completedIndexes");
	buf_release(&s);
}

/* The interim condition (FailureTarget, SuccessCriteriaMet) is written before any finalizer
 * goes; the finished condition becomes the terminal one (Failed, Complete). */
static void interim_condition(struct jctx *x)
{
	cJSON *st = status_of(x), *list;
	const char *reason = json_str(x->finished, "reason"), *msg = json_str(x->finished, "message");
	cJSON *terminal = NULL;
	if (is_type(x->finished, "FailureTarget")) {
		terminal = new_cond("Failed", "True", reason, msg);
	} else if (is_type(x->finished, "SuccessCriteriaMet")) {
		terminal = new_cond("Complete", "True", reason, msg);
		if (cond_true(x->job, "SuccessCriteriaMet")) {
			cJSON_Delete(x->finished);
			x->finished = terminal;
			return;
		}
	} else {
		return;
	}
	list = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(st, "conditions", list);
	}
	cJSON_AddItemToArray(list, x->finished);
	x->finished = terminal;
	x->needs_flush = 1;
}

static void remove_finalizers(struct jctx *x);

static void track(struct jctx *x)
{
	cJSON *st = status_of(x);
	const cJSON *ost = json_obj(x->orig, "status");
	int64_t *idx = xcalloc(x->npods + 1, sizeof(int64_t)), v;
	size_t nidx = 0;
	x->needs_flush = x->suspend_changed || x->active != wl_int(ost, "active") ||
			 json_int(ost, "ready", &v) < 0 || v != x->ready || json_int(ost, "terminating", &v) < 0 ||
			 v != x->terminating;
	set_count(st, "active", x->active);
	json_set_int(st, "ready", x->ready);
	json_set_int(st, "terminating", x->terminating);
	uncounted(x);
	for (size_t i = 0; i < x->npods; i++)
		if (x->pods[i].fin)
			hset_add(&x->with_fin, x->pods[i].uid);
	if (clean_uncounted(x))
		x->needs_flush = 1;
	pick_finished(x, idx, &nidx);
	if (x->indexed)
		indexes_status(x, idx, nidx);
	free(idx);
	interim_condition(x);
	if (x->needs_flush) {
		x->needs_flush = 0;
		put_status(x, remove_finalizers);
	} else {
		remove_finalizers(x);
	}
}

static void finish(struct jctx *x);

static void after_removals(struct jctx *x)
{
	for (size_t i = 0; i < x->nrm; i++)
		if (x->rm_ok[i])
			hmap_del(&x->with_fin, x->pods[x->rm[i]].uid);
	if (clean_uncounted(x))
		x->needs_flush = 1;
	if (x->rm_err) {
		/* Some finalizers stayed: write the partial progress and try again later. */
		if (x->needs_flush)
			put_status(x, jctx_end);
		else
			jctx_free(x);
		return;
	}
	finish(x);
}

static void finalizer_removed(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct jref *r = arg;
	struct jctx *x = r->x;
	UNUSED(body);
	UNUSED(len);
	int again = code == 409 ? unfinalize_again(x, x->pods[x->rm[r->i]].obj, finalizer_removed, r->i) : -1;
	if ((code >= 200 && code < 300) || code == 404 || again == UNF_GONE || again == UNF_NONE) {
		x->rm_ok[r->i] = 1;
	} else if (again != UNF_SENT) {
		x->rm_err = 1;
		wl_sync_fail(s);
	}
	stage_step(x);
}

static void remove_finalizers(struct jctx *x)
{
	for (size_t i = 0; i < x->nrm; i++)
		remove_finalizer(x, x->pods[x->rm[i]].obj, finalizer_removed, i);
	stage_then(x, after_removals);
}

/* enactJobFinished: the terminal condition, once nothing is uncounted or terminating. */
static int enact_finished(struct jctx *x)
{
	cJSON *st = status_of(x);
	if (!x->finished || uncounted_len(x, "succeeded") || uncounted_len(x, "failed") || x->terminating > 0)
		return 0;
	const char *type = json_str(x->finished, "type"), *reason = json_str(x->finished, "reason");
	const char *msg = json_str(x->finished, "message");
	ensure_cond(st, type, "True", reason ? reason : "", msg ? msg : "");
	if (!strcmp(type, "Complete")) {
		char now[21];
		wl_now(now);
		json_set_str(st, "completionTime", now);
	}
	return 1;
}

static void finished_events(struct jctx *x)
{
	const cJSON *f = x->finished;
	if (is_type(f, "Complete")) {
		if (x->completions >= 0 && wl_int(json_obj(x->job, "status"), "succeeded") > x->completions)
			ctrl_event(x->c->m, COMPONENT, x->orig, "Warning", "TooManySucceededPods",
				   "Too many succeeded pods running after completion count reached");
		ctrl_event(x->c->m, COMPONENT, x->orig, "Normal", "Completed", "Job completed");
	} else {
		ctrl_event(x->c->m, COMPONENT, x->orig, "Warning", json_str(f, "reason") ? json_str(f, "reason") : "",
			   "%s", json_str(f, "message") ? json_str(f, "message") : "");
	}
	jctx_free(x);
}

static void finish(struct jctx *x)
{
	int done = !x->reached_max && enact_finished(x);
	if (done)
		put_status(x, finished_events);
	else if (x->needs_flush)
		put_status(x, jctx_end);
	else
		jctx_free(x);
}

/* ---- the sync --------------------------------------------------------------------------- */

static void run(struct jctx *x)
{
	struct claim cl = { x, json_strv(x->orig, "metadata", "uid", NULL), 0 };
	if (!cl.uid) {
		jctx_free(x);
		return;
	}
	informer_list(x->c->pods, json_strv(x->orig, "metadata", "namespace", NULL), NULL, claim_one, &cl);
	if (cl.writes) {
		jctx_free(x); /* adoptions and releases first: their events bring the Job back */
		return;
	}
	count_pods(x);
	if (!json_strv(x->job, "status", "startTime", NULL) && !x->suspended) {
		char now[21];
		wl_now(now);
		json_set_str(status_of(x), "startTime", now);
	}
	backoff_record(x);
	decide(x);
	if (x->finished)
		delete_active(x);
	else if (!x->deleting)
		manage(x);
	else
		after_manage(x);
}

static void job_sync(struct workqueue *q, const char *key, void *data)
{
	struct jobc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct jctx *x = jctx_load(c, s, ns, name);
	if (x)
		run(x); /* x may be gone when this returns */
	wl_sync_end(s);
}

/* ---- routing events --------------------------------------------------------------------- */

static void enqueue_ns_name(struct workqueue *q, const char *ns, const char *name)
{
	struct buf key = BUF_INIT;
	buf_addf(&key, "%s/%s", ns ? ns : "", name ? name : "");
	workqueue_add(q, key.data);
	buf_release(&key);
}

/* resolveControllerRef: the Job the reference points to (the same uid), or NULL. */
static struct store_kv *resolve_job(struct jobc *c, const char *ns, const cJSON *ref)
{
	const char *kind = json_str(ref, "kind"), *name = json_str(ref, "name"), *uid = json_str(ref, "uid");
	if (!kind || strcmp(kind, "Job") || !name || !uid)
		return NULL;
	struct store_kv *kv = informer_get(c->jobs, ns, name);
	const char *have = kv ? obj_field(kv->attrs, "x.uid") : NULL;
	return have && !strcmp(have, uid) ? kv : NULL;
}

static int kv_finished(const struct store_kv *kv)
{
	cJSON *job = obj_parse(kv);
	int f = job_finished(job);
	cJSON_Delete(job);
	return f;
}

static void enqueue_orphan(struct jobc *c, const cJSON *pod)
{
	enqueue_ns_name(c->orphans, json_strv(pod, "metadata", "namespace", NULL), json_strv(pod, "metadata", "name", NULL));
}

struct route {
	struct jobc *c;
	const struct store_kv *pod;
};

static int route_matching(struct store_kv *kv, void *data)
{
	struct route *r = data;
	cJSON *job = obj_parse(kv);
	struct selector sel;
	if (selector_from_json(json_getv(job, "spec", "selector", NULL), &sel, NULL) == 0 && !sel.nothing &&
	    selector_matches(&sel, obj_label, r->pod->attrs))
		wl_enqueue(r->c->q, kv);
	selector_release(&sel);
	cJSON_Delete(job);
	return 0;
}

/* deletePod: the owning Job looks again; a pod whose Job is gone or finished loses the
 * tracking finalizer through the orphan queue. */
static void pod_deleted(struct jobc *c, const cJSON *pod)
{
	const cJSON *ref = ctrl_owner(pod);
	const char *ns = json_strv(pod, "metadata", "namespace", NULL);
	struct store_kv *job = ref ? resolve_job(c, ns, ref) : NULL;
	if (!job || kv_finished(job)) {
		if (has_finalizer(pod))
			enqueue_orphan(c, pod);
		return;
	}
	wl_enqueue(c->q, job);
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct jobc *c = data;
	cJSON *pod = obj_parse(kv), *opod = old ? obj_parse(old) : NULL;
	const char *ns = json_strv(pod, "metadata", "namespace", NULL);
	const cJSON *ref = ctrl_owner(pod), *oref = ctrl_owner(opod);
	struct store_kv *job;
	if (ev == INF_DELETE || wl_deleting(pod)) {
		pod_deleted(c, pod);
		goto out;
	}
	if (oref && (!ref || strcmp(json_str(oref, "uid") ? json_str(oref, "uid") : "", json_str(ref, "uid") ? json_str(ref, "uid") : "")) &&
	    (job = resolve_job(c, ns, oref)))
		wl_enqueue(c->q, job);
	if (ref) {
		if ((job = resolve_job(c, ns, ref)))
			wl_enqueue(c->q, job);
		goto out;
	}
	if (has_finalizer(pod))
		enqueue_orphan(c, pod);
	if (ev == INF_ADD || oref || !wl_same_labels(kv, old)) {
		struct route r = { c, kv };
		informer_list(c->jobs, ns, NULL, route_matching, &r);
	}
out:
	cJSON_Delete(pod);
	cJSON_Delete(opod);
}

struct owned_pods {
	struct jobc *c;
};

static int orphan_if_finalized(struct store_kv *kv, void *data)
{
	struct owned_pods *o = data;
	cJSON *pod = obj_parse(kv);
	if (has_finalizer(pod))
		enqueue_orphan(o->c, pod);
	cJSON_Delete(pod);
	return 0;
}

/* cleanupPodFinalizers: the pods of a finished or deleted Job that still hold the finalizer. */
static void cleanup_finalizers(struct jobc *c, const struct store_kv *kv)
{
	struct owned_pods o = { c };
	const char *uid = obj_field(kv->attrs, "x.uid");
	if (uid && *uid)
		informer_owned(c->pods, uid, orphan_if_finalized, &o);
}

static int ttl_needed(const cJSON *job)
{
	return json_getv(job, "spec", "ttlSecondsAfterFinished", NULL) && !wl_deleting(job) && job_finished(job);
}

/* updateJob: a new activeDeadlineSeconds is checked again when it runs out. */
static void deadline_changed(struct jobc *c, const struct store_kv *kv, const cJSON *job, const cJSON *old)
{
	int64_t ads, oads;
	int64_t start = ts_of(json_strv(job, "status", "startTime", NULL));
	if (!start || json_int(json_obj(job, "spec"), "activeDeadlineSeconds", &ads) < 0)
		return;
	if (json_int(json_obj(old, "spec"), "activeDeadlineSeconds", &oads) == 0 && oads == ads)
		return;
	struct buf key = BUF_INIT;
	int64_t left = ads - (wall_seconds() - start);
	informer_key(kv, &key);
	workqueue_add_after(c->q, key.data, left > 0 ? (uint64_t)left * 1000 : 0);
	buf_release(&key);
}

static void on_job(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct jobc *c = data;
	cJSON *job = obj_parse(kv), *ojob = old ? obj_parse(old) : NULL;
	wl_enqueue(c->q, kv);
	if (ev == INF_DELETE || (ev == INF_UPDATE && job_finished(job)))
		cleanup_finalizers(c, kv);
	if (ev == INF_UPDATE)
		deadline_changed(c, kv, job, ojob);
	if (ev != INF_DELETE && ttl_needed(job))
		wl_enqueue(c->ttl, kv);
	cJSON_Delete(job);
	cJSON_Delete(ojob);
}

/* ---- orphan pods (syncOrphanPod) -------------------------------------------------------- */

static void orphan_sync(struct workqueue *q, const char *key, void *data)
{
	struct jobc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->pods, ns, name);
	cJSON *pod = kv ? obj_parse(kv) : NULL;
	const cJSON *ref = ctrl_owner(pod);
	if (!pod || !has_finalizer(pod))
		goto out;
	if (ref) {
		const char *av = json_str(ref, "apiVersion"), *kind = json_str(ref, "kind");
		if (!av || !kind || strcmp(kind, "Job") || strcmp(av, "batch/v1"))
			goto out; /* not a Job's pod: not ours to touch */
		struct store_kv *jkv = resolve_job(c, ns, ref);
		cJSON *job = jkv ? obj_parse(jkv) : NULL;
		const char *by = json_strv(job, "spec", "managedBy", NULL);
		int keep = job && ((by && strcmp(by, "kubernetes.io/job-controller")) || !job_finished(job));
		cJSON_Delete(job);
		if (keep)
			goto out;
	}
	cJSON *patch = cJSON_CreateObject(), *meta = json_obj_force(patch, "metadata"), *fins = finalizers_with(pod, 0);
	json_set(meta, "finalizers", cJSON_GetArraySize(fins) ? fins : (cJSON_Delete(fins), cJSON_CreateNull()));
	json_set_str(meta, "resourceVersion", json_strv(pod, "metadata", "resourceVersion", NULL));
	ctrl_patch(c->m, COMPONENT, c->pk, ns, name, NULL, patch, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	cJSON_Delete(patch);
out:
	cJSON_Delete(pod);
	wl_sync_end(s);
}

/* ---- the ttl-after-finished controller -------------------------------------------------- */

static void ttl_sync(struct workqueue *q, const char *key, void *data)
{
	struct jobc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->jobs, ns, name);
	cJSON *job = kv ? obj_parse(kv) : NULL;
	int64_t ttl = 0, finished = 0, now = wall_seconds();
	if (!job || !ttl_needed(job))
		goto out;
	json_int(json_obj(job, "spec"), "ttlSecondsAfterFinished", &ttl);
	const cJSON *cond = cond_true(job, "Complete") ? find_cond(job, "Complete") : find_cond(job, "Failed");
	finished = ts_of(json_str(cond, "lastTransitionTime"));
	if (!finished)
		goto out;
	if (now < finished + ttl) {
		workqueue_add_after(q, key, (uint64_t)(finished + ttl - now) * 1000);
		goto out;
	}
	ctrl_delete(c->m, c->jk, ns, name, json_strv(job, "metadata", "uid", NULL), "Foreground", wl_sync_cb,
		    wl_sync_expect(s, NULL, NULL));
out:
	cJSON_Delete(job);
	wl_sync_end(s);
}

/* ---- start and stop --------------------------------------------------------------------- */

static int queue_job(struct store_kv *kv, void *data)
{
	struct jobc *c = data;
	cJSON *job = obj_parse(kv);
	wl_enqueue(c->q, kv);
	if (ttl_needed(job))
		wl_enqueue(c->ttl, kv);
	cJSON_Delete(job);
	return 0;
}

static int queue_orphan(struct store_kv *kv, void *data)
{
	struct jobc *c = data;
	cJSON *pod = obj_parse(kv);
	const cJSON *ref = ctrl_owner(pod);
	if (has_finalizer(pod)) {
		struct store_kv *job = ref ? resolve_job(c, json_strv(pod, "metadata", "namespace", NULL), ref) : NULL;
		if (!job || kv_finished(job))
			enqueue_orphan(c, pod);
	}
	cJSON_Delete(pod);
	return 0;
}

static void jobc_stop(void *data)
{
	struct jobc *c = data;
	while (c->live)
		jctx_free(c->live);
	free(c);
}

void ctrl_job_start(struct ctrl_mgr *m)
{
	struct jobc *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->jk = kind_by_resource("batch", "v1", "jobs");
	c->pk = kind_by_resource("", "v1", "pods");
	c->q = workqueue_new(m, "job", 5, job_sync, c);
	c->orphans = workqueue_new(m, "job_orphan_pod", 1, orphan_sync, c);
	c->ttl = workqueue_new(m, "ttl_jobs_to_delete", 5, ttl_sync, c);
	c->jobs = informer_of(m, c->jk);
	c->pods = informer_of(m, c->pk);
	informer_on(c->jobs, on_job, c);
	informer_on(c->pods, on_pod, c);
	informer_list(c->jobs, NULL, NULL, queue_job, c);
	informer_list(c->pods, NULL, NULL, queue_orphan, c);
	ctrl_on_stop(m, jobc_stop, c);
}
