/*
 * ctrl_cronjob.c - the cronjob controller (upstream's cronjob controller v2, v1.33 behaviour):
 * creates Jobs from a CronJob's jobTemplate at its scheduled times.
 *
 * DESIGN
 * Work-queue keys are CronJobs ("ns/name"). There is no polling: a sync ends by queueing its
 * key again for 100 ms after the next scheduled time (cron.h's cron_requeue_after), and Job
 * changes bring the owning CronJob back. A sync follows upstream's sync():
 *   1. the Jobs it controls (the owner index), finished ones beyond successfulJobsHistoryLimit
 *      and failedJobsHistoryLimit deleted oldest first;
 *   2. status.active reconciled with the Jobs (finished ones leave it, missing ones too),
 *      lastSuccessfulTime from succeeded Jobs;
 *   3. unless deleting, suspended, or in an unknown time zone: the most recent unmet schedule
 *      time (cron_most_recent, counting from lastScheduleTime or the creation time, no earlier
 *      than now - startingDeadlineSeconds); too late, already started, or Forbid with an
 *      active Job: nothing; Replace: the active Jobs are deleted first; then the Job named
 *      "<cronjob>-<scheduled time in minutes since the epoch>" is created (so a time is never
 *      started twice), added to status.active with lastScheduleTime;
 *   4. one status write with everything that changed.
 * The writes run in stages (deletions, the creation, the status), each once the previous one
 * has answered, and the sync ends after the last (wl_sync).
 *
 * Schedules are parsed and computed by cron.c, in spec.timeZone or else this process's zone,
 * without touching the process's TZ.
 *
 * Test-only clock: KUBE_TEST_CRONJOB_CLOCK_SCALE=N makes this controller's "now" run N times
 * as fast as the wall clock from its start (see batch.h). Nothing else is affected.
 */
#include "server/batch.h"
#include "server/cron.h"
#include "server/workload.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COMPONENT "cronjob-controller"
#define SCHEDULED_ANNOTATION "batch.kubernetes.io/cronjob-scheduled-timestamp"
#define REQUEUE_PAD_NS 100000000LL

struct cjctx;

struct cjc {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct informer *cjs, *jobs;
	const struct kind *cjk, *jk;
	struct cron_tz *local; /* this process's zone (NULL: UTC) */
	int64_t scale;         /* the test clock's speed (1: the wall clock) */
	int64_t base;          /* when the controller started (ns) */
	struct cjctx *live;    /* syncs with writes in flight */
};

/* ---- the clock -------------------------------------------------------------------------- */

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * CRON_NS + ts.tv_nsec;
}

static int64_t cj_now(const struct cjc *c)
{
	int64_t real = wall_ns();
	return c->scale > 1 ? c->base + (real - c->base) * c->scale : real;
}

/* A delay on the controller's clock as wall-clock milliseconds (at least 0). */
static uint64_t real_ms(const struct cjc *c, int64_t d)
{
	if (d <= 0)
		return 0;
	return (uint64_t)(d / c->scale + 999999) / 1000000;
}

static int64_t ts_ns(const char *s)
{
	int64_t t = 0;
	return s && parse_rfc3339(s, &t) == 0 ? t * CRON_NS : CRON_ZERO;
}

/* Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
static void format_rfc1123z(int64_t t, char out[48])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t sec = (time_t)(t / CRON_NS);
	struct tm tm;
	gmtime_r(&sec, &tm);
	snprintf(out, 48, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- jobs of a CronJob ------------------------------------------------------------------ */

static const cJSON *finished_cond(const cJSON *job)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(job, "status", "conditions", NULL)) {
		const char *t = json_str(c, "type"), *s = json_str(c, "status");
		if (t && s && (!strcmp(t, "Complete") || !strcmp(t, "Failed")) && !strcmp(s, "True"))
			return c;
	}
	return NULL;
}

static int job_succeeded(const cJSON *job)
{
	const cJSON *c = finished_cond(job);
	return c && !strcmp(json_str(c, "type"), "Complete");
}

static int in_active(const cJSON *cj, const char *uid)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(cj, "status", "active", NULL))
		if (uid && json_str(r, "uid") && !strcmp(json_str(r, "uid"), uid))
			return 1;
	return 0;
}

static int in_active_by_name(const cJSON *cj, const char *name)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(cj, "status", "active", NULL))
		if (json_str(r, "name") && !strcmp(json_str(r, "name"), name))
			return 1;
	return 0;
}

static void delete_from_active(cJSON *cj, const char *uid)
{
	cJSON *list = json_getv(cj, "status", "active", NULL), *r = list ? list->child : NULL;
	while (r) {
		cJSON *next = r->next;
		if (uid && json_str(r, "uid") && !strcmp(json_str(r, "uid"), uid))
			cJSON_Delete(cJSON_DetachItemViaPointer(list, r));
		r = next;
	}
	if (list && !cJSON_GetArraySize(list))
		json_del(json_obj(cj, "status"), "active");
}

/* An ObjectReference to a Job as upstream's getRef writes it. */
static cJSON *job_ref(const cJSON *job)
{
	static const char *const meta[] = { "namespace", "name", "uid", "resourceVersion" };
	cJSON *r = cJSON_CreateObject();
	json_set_str(r, "kind", "Job");
	for (size_t i = 0; i < ARRAY_SIZE(meta); i++)
		if (json_strv(job, "metadata", meta[i], NULL))
			json_set_str(r, meta[i], json_strv(job, "metadata", meta[i], NULL));
	json_set_str(r, "apiVersion", "batch/v1");
	return r;
}

static void add_to_active(cJSON *cj, const cJSON *job)
{
	cJSON *st = json_obj_force(cj, "status"), *list = cJSON_GetObjectItemCaseSensitive(st, "active");
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(st, "active", list);
	}
	cJSON_AddItemToArray(list, job_ref(job));
}

struct joblist {
	cJSON **v;
	size_t n;
};

static int collect_job(struct store_kv *kv, void *data)
{
	struct joblist *l = data;
	cJSON *job = obj_parse(kv);
	if (job) {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n++] = job;
	}
	return 0;
}

static void joblist_release(struct joblist *l)
{
	for (size_t i = 0; i < l->n; i++)
		cJSON_Delete(l->v[i]);
	free(l->v);
}

/* byJobStartTime: started before not started, earlier first, then by name. */
static int cmp_start(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t sx = ts_ns(json_strv(x, "status", "startTime", NULL)), sy = ts_ns(json_strv(y, "status", "startTime", NULL));
	if ((sx == CRON_ZERO) != (sy == CRON_ZERO))
		return sx == CRON_ZERO ? 1 : -1;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(json_strv(x, "metadata", "name", NULL), json_strv(y, "metadata", "name", NULL));
}

/* ---- the context of one sync ------------------------------------------------------------ */

struct cjctx;
typedef void cj_stage_fn(struct cjctx *x);

struct cjctx {
	struct cjctx *next, **pprev; /* on c->live */
	struct cjc *c;
	struct wl_sync *s;
	char *key;
	cJSON *cj;            /* the working copy whose status the sync writes */
	struct joblist jobs;  /* the Jobs it controls */
	cJSON *tocreate;      /* the Job to create, or NULL */
	int64_t scheduled;    /* its scheduled time */
	int update_status;
	int replace_failed;
	int requeue;          /* queue again for the next schedule once done */
	struct cron_sched sched;
	int have_sched;
	int pending;
	cj_stage_fn *then;
};

static void cjctx_free(struct cjctx *x)
{
	if (x->pprev) {
		*x->pprev = x->next;
		if (x->next)
			x->next->pprev = x->pprev;
	}
	joblist_release(&x->jobs);
	if (x->have_sched)
		cron_sched_release(&x->sched);
	cJSON_Delete(x->cj);
	cJSON_Delete(x->tocreate);
	free(x->key);
	free(x);
}

/* One write of the current stage: the arg given to wl_sync_expect. */
struct cjref {
	struct cjctx *x;
	int replace;
	char name[];
};

static void *cjwrite(struct cjctx *x, wl_answer_fn *fn, const char *name, int replace)
{
	size_t n = strlen(name ? name : "");
	struct cjref *r = xmalloc(sizeof(*r) + n + 1);
	r->x = x;
	r->replace = replace;
	memcpy(r->name, name ? name : "", n + 1);
	x->pending++;
	return wl_sync_expect(x->s, fn, r);
}

static void cj_then(struct cjctx *x, cj_stage_fn *next)
{
	x->then = next;
	if (!x->pending) {
		x->then = NULL;
		next(x);
	}
}

static void cj_step(struct cjctx *x)
{
	if (--x->pending || !x->then)
		return;
	cj_stage_fn *next = x->then;
	x->then = NULL;
	next(x);
}

static void event(struct cjctx *x, const char *type, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void event(struct cjctx *x, const char *type, const char *reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	ctrl_event(x->c->m, COMPONENT, x->cj, type, reason, "%s", msg);
	free(msg);
}

/* The schedule as upstream's formatSchedule gives it to the parser: with the spec.timeZone as
 * a TZ= prefix (caller frees). */
static char *format_schedule(struct cjctx *x, int warn)
{
	const char *sched = json_strv(x->cj, "spec", "schedule", NULL), *tz = json_strv(x->cj, "spec", "timeZone", NULL);
	struct cron_tz *z = NULL;
	sched = sched ? sched : "";
	if (strstr(sched, "TZ")) {
		if (warn)
			event(x, "Warning", "UnsupportedSchedule",
			      "CRON_TZ or TZ used in schedule \"%s\" is not officially supported, see "
			      "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
			      sched);
		return xstrdup(sched);
	}
	if (tz && cron_tz_load(tz, &z, NULL) == 0) {
		cron_tz_free(z);
		return xasprintf("TZ=%s %s", tz, sched);
	}
	return xstrdup(sched);
}

static struct cron_job_times times_of(const cJSON *cj)
{
	struct cron_job_times t = { ts_ns(json_strv(cj, "metadata", "creationTimestamp", NULL)),
				    ts_ns(json_strv(cj, "status", "lastScheduleTime", NULL)), -1 };
	json_int(json_obj(cj, "spec"), "startingDeadlineSeconds", &t.deadline);
	return t;
}

/* Queues the CronJob again for 100 ms after its next scheduled time. */
static void requeue_next(struct cjc *c, const char *key, const cJSON *cj, const struct cron_sched *s)
{
	struct cron_job_times t = times_of(cj);
	workqueue_add_after(c->q, key, real_ms(c, cron_requeue_after(s, c->local, &t, cj_now(c))));
}

/* ---- reconciling status with the Jobs --------------------------------------------------- */

static void job_deleted(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct cjref *r = arg;
	struct cjctx *x = r->x;
	UNUSED(s);
	if (code >= 200 && code < 300) {
		/* the answer is the Job (being deleted) or a Status naming it */
		cJSON *obj = json_parse(body, len, NULL);
		const char *uid = json_strv(obj, "metadata", "uid", NULL);
		for (size_t i = 0; !uid && i < x->jobs.n; i++)
			if (!strcmp(json_strv(x->jobs.v[i], "metadata", "name", NULL), r->name))
				uid = json_strv(x->jobs.v[i], "metadata", "uid", NULL);
		delete_from_active(x->cj, uid);
		x->update_status = 1;
		event(x, "Normal", "SuccessfulDelete", "Deleted job %s", r->name);
		cJSON_Delete(obj);
	} else {
		struct buf msg = BUF_INIT;
		wl_answer_message(body, len, &msg);
		event(x, "Warning", "FailedDelete", "Deleted job: %s", buf_str(&msg));
		buf_release(&msg);
		x->replace_failed |= r->replace;
	}
	cj_step(x);
}

static void delete_job(struct cjctx *x, const cJSON *job, int replace)
{
	const char *name = json_strv(job, "metadata", "name", NULL);
	ctrl_delete(x->c->m, x->c->jk, json_strv(job, "metadata", "namespace", NULL), name, NULL, "Background", wl_sync_cb,
		    cjwrite(x, job_deleted, name, replace));
}

/* removeOldestJobs for the finished Jobs of one kind (Complete or Failed). */
static void remove_oldest(struct cjctx *x, const char *type, const char *limit_key)
{
	int64_t limit;
	cJSON **v = xcalloc(x->jobs.n + 1, sizeof(*v));
	size_t n = 0;
	if (json_int(json_obj(x->cj, "spec"), limit_key, &limit) < 0) {
		free(v);
		return;
	}
	for (size_t i = 0; i < x->jobs.n; i++) {
		const cJSON *f = finished_cond(x->jobs.v[i]);
		if (f && !strcmp(json_str(f, "type"), type))
			v[n++] = x->jobs.v[i];
	}
	if ((int64_t)n > limit) {
		qsort(v, n, sizeof(*v), cmp_start);
		for (size_t i = 0; i < n - (size_t)limit; i++)
			delete_job(x, v[i], 0);
	}
	free(v);
}

/* The children loop of syncCronJob: active refs of finished Jobs go, lastSuccessfulTime
 * follows succeeded Jobs, unexpected and missing Jobs are reported. */
static void reconcile(struct cjctx *x)
{
	cJSON *st = json_obj_force(x->cj, "status");
	for (size_t i = 0; i < x->jobs.n; i++) {
		const cJSON *j = x->jobs.v[i], *f = finished_cond(j);
		const char *uid = json_strv(j, "metadata", "uid", NULL), *name = json_strv(j, "metadata", "name", NULL);
		int found = in_active(x->cj, uid);
		if (!found && !f) {
			event(x, "Warning", "UnexpectedJob", "Saw a job that the controller did not create or forgot: %s", name);
		} else if (found && f) {
			delete_from_active(x->cj, uid);
			event(x, "Normal", "SawCompletedJob", "Saw completed job: %s, status: %s", name, json_str(f, "type"));
			x->update_status = 1;
		} else if (job_succeeded(j)) {
			const char *done = json_strv(j, "status", "completionTime", NULL), *last = json_str(st, "lastSuccessfulTime");
			if (done && (!last || ts_ns(done) > ts_ns(last))) {
				json_set_str(st, "lastSuccessfulTime", done);
				x->update_status = 1;
			}
		}
	}
	cJSON *list = cJSON_GetObjectItemCaseSensitive(st, "active"), *r = list ? list->child : NULL;
	while (r) {
		cJSON *next = r->next;
		const char *ns = json_str(r, "namespace"), *name = json_str(r, "name");
		if (!informer_get(x->c->jobs, ns ? ns : "", name ? name : "")) {
			event(x, "Normal", "MissingJob", "Active job went missing: %s", name ? name : "");
			cJSON_Delete(cJSON_DetachItemViaPointer(list, r));
			x->update_status = 1;
		}
		r = next;
	}
	if (list && !cJSON_GetArraySize(list))
		json_del(st, "active");
}

/* ---- scheduling ------------------------------------------------------------------------- */

/* getJobFromTemplate2: the Job for scheduled time t (caller frees). */
static cJSON *job_from_template(struct cjctx *x, int64_t t)
{
	const cJSON *jt = json_getv(x->cj, "spec", "jobTemplate", NULL);
	const cJSON *labels = json_getv(jt, "metadata", "labels", NULL), *ann = json_getv(jt, "metadata", "annotations", NULL);
	const char *tz = json_strv(x->cj, "spec", "timeZone", NULL);
	cJSON *job = cJSON_CreateObject(), *meta = json_obj_force(job, "metadata"), *refs = cJSON_CreateArray();
	struct cron_tz *zone = NULL;
	char name[300], stamp[26];
	json_set_str(job, "apiVersion", "batch/v1");
	json_set_str(job, "kind", "Job");
	snprintf(name, sizeof(name), "%s-%lld", json_strv(x->cj, "metadata", "name", NULL), (long long)(t / CRON_NS / 60));
	json_set_str(meta, "name", name);
	json_set(meta, "labels", cJSON_IsObject(labels) ? cJSON_Duplicate(labels, 1) : cJSON_CreateObject());
	json_set(meta, "annotations", cJSON_IsObject(ann) ? cJSON_Duplicate(ann, 1) : cJSON_CreateObject());
	cron_tz_load(tz ? tz : "", &zone, NULL);
	cron_format_rfc3339(zone, t, stamp);
	cron_tz_free(zone);
	json_set_str(json_obj(meta, "annotations"), SCHEDULED_ANNOTATION, stamp);
	cJSON_AddItemToArray(refs, ctrl_owner_ref(x->cj));
	json_set(meta, "ownerReferences", refs);
	const cJSON *spec = json_obj(jt, "spec");
	json_set(job, "spec", spec ? cJSON_Duplicate(spec, 1) : cJSON_CreateObject());
	return job;
}

/* Parses the schedule into x->sched; 0, or -1 once the problem has been reported. */
static int parse_schedule(struct cjctx *x)
{
	const char *tz = json_strv(x->cj, "spec", "timeZone", NULL);
	struct buf why = BUF_INIT;
	struct cron_tz *z = NULL;
	if (tz && cron_tz_load(tz, &z, &why) < 0) {
		event(x, "Warning", "UnknownTimeZone", "invalid timeZone: \"%s\": %s", tz, buf_str(&why));
		buf_release(&why);
		return -1;
	}
	cron_tz_free(z);
	if (cJSON_IsTrue(json_getv(x->cj, "spec", "suspend", NULL)))
		return -1;
	char *spec = format_schedule(x, 1);
	int r = cron_parse(spec, &x->sched, &why);
	if (r < 0)
		event(x, "Warning", "UnparseableSchedule", "unparseable schedule: \"%s\" : %s",
		      json_strv(x->cj, "spec", "schedule", NULL), buf_str(&why));
	x->have_sched = r == 0;
	free(spec);
	buf_release(&why);
	return r;
}

/* nextScheduleTime: the unmet time to start now (CRON_ZERO: none); -1 for a schedule that never
 * fires (reported). */
static int next_schedule_time(struct cjctx *x, int64_t now, int64_t *t)
{
	struct cron_job_times times = times_of(x->cj);
	int64_t earliest;
	enum cron_missed missed;
	int r = cron_most_recent(&x->sched, x->c->local, &times, now, 1, &earliest, t, &missed);
	if (r < 0) {
		event(x, "Warning", "InvalidSchedule", "invalid schedule: %s : %s", json_strv(x->cj, "spec", "schedule", NULL),
		      "time difference between two schedules is less than 1 second");
		return -1;
	}
	if (*t != CRON_ZERO && *t <= now && missed == CRON_MANY_MISSED)
		event(x, "Warning", "TooManyMissedTimes",
		      "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
	if (*t > now)
		*t = CRON_ZERO;
	return 0;
}

/* Replace: deletes the active Jobs before the new one starts. Returns -1 if one is not found. */
static int replace_active(struct cjctx *x)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(x->cj, "status", "active", NULL)) {
		const char *ns = json_str(r, "namespace"), *name = json_str(r, "name");
		struct store_kv *kv = informer_get(x->c->jobs, ns ? ns : "", name ? name : "");
		if (!kv) {
			event(x, "Warning", "FailedGet", "Get job: jobs.batch \"%s\" not found", name ? name : "");
			return -1;
		}
		cJSON *job = obj_parse(kv);
		delete_job(x, job, 1);
		cJSON_Delete(job);
	}
	return 0;
}

/* The scheduling half of syncCronJob: decides whether a Job starts now (x->tocreate). */
static void schedule(struct cjctx *x)
{
	const cJSON *spec = json_obj(x->cj, "spec");
	int64_t now = cj_now(x->c), t, deadline = -1;
	char name[300];
	if (wl_deleting(x->cj) || parse_schedule(x) < 0 || next_schedule_time(x, now, &t) < 0)
		return;
	x->requeue = 1;
	if (t == CRON_ZERO)
		return;
	if (json_int(spec, "startingDeadlineSeconds", &deadline) == 0 && t + deadline * CRON_NS < now) {
		char when[48];
		format_rfc1123z(t, when);
		event(x, "Warning", "MissSchedule", "Missed scheduled time to start a job: %s", when);
		return;
	}
	snprintf(name, sizeof(name), "%s-%lld", json_strv(x->cj, "metadata", "name", NULL), (long long)(t / CRON_NS / 60));
	if (in_active_by_name(x->cj, name) || ts_ns(json_strv(x->cj, "status", "lastScheduleTime", NULL)) == t / CRON_NS * CRON_NS)
		return;
	const char *policy = json_str(spec, "concurrencyPolicy");
	if (policy && !strcmp(policy, "Forbid") && cJSON_GetArraySize(json_getv(x->cj, "status", "active", NULL))) {
		event(x, "Normal", "JobAlreadyActive",
		      "Not starting job because prior execution is running and concurrency policy is Forbid");
		return;
	}
	if (policy && !strcmp(policy, "Replace") && replace_active(x) < 0) {
		x->requeue = 0;
		wl_sync_fail(x->s);
		return;
	}
	x->tocreate = job_from_template(x, t);
	x->scheduled = t;
}

/* ---- the stages of a sync --------------------------------------------------------------- */

static void finish(struct cjctx *x)
{
	if (x->requeue && x->have_sched)
		requeue_next(x->c, x->key, x->cj, &x->sched);
	cjctx_free(x);
}

static void status_written(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct cjctx *x = ((struct cjref *)arg)->x;
	if (code < 200 || code >= 300) {
		if (code != 409)
			log_warn("cronjob %s: status update failed (%d): %.*s", x->key, code, (int)MIN(len, 300), body);
		x->requeue = 0; /* an error: the queue's back-off brings it back */
		wl_sync_fail(s);
	}
	cj_step(x);
}

static void write_status(struct cjctx *x)
{
	if (!x->update_status) {
		finish(x);
		return;
	}
	ctrl_update(x->c->m, COMPONENT, x->c->cjk, json_strv(x->cj, "metadata", "namespace", NULL),
		    json_strv(x->cj, "metadata", "name", NULL), "status", x->cj, wl_sync_cb,
		    cjwrite(x, status_written, NULL, 0));
	cj_then(x, finish);
}

/* The job already exists: ours and not in the active list yet, it is added now. */
static void job_exists(struct cjctx *x)
{
	const char *name = json_strv(x->tocreate, "metadata", "name", NULL);
	struct store_kv *kv = informer_get(x->c->jobs, json_strv(x->cj, "metadata", "namespace", NULL), name);
	cJSON *job = kv ? obj_parse(kv) : NULL;
	const cJSON *ref = ctrl_owner(job);
	const char *uid = json_strv(x->cj, "metadata", "uid", NULL);
	if (job && ref && uid && json_str(ref, "uid") && !strcmp(json_str(ref, "uid"), uid) &&
	    !in_active(x->cj, json_strv(job, "metadata", "uid", NULL))) {
		log_info("cronjob %s: job %s already exists", x->key, name);
		add_to_active(x->cj, job);
		char when[21];
		format_rfc3339(x->scheduled / CRON_NS, when);
		json_set_str(json_obj_force(x->cj, "status"), "lastScheduleTime", when);
		x->update_status = 1;
	} else {
		x->requeue = 0;
	}
	cJSON_Delete(job);
}

static void job_created(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct cjctx *x = ((struct cjref *)arg)->x;
	if (code >= 200 && code < 300) {
		cJSON *job = json_parse(body, len, NULL);
		char when[21];
		event(x, "Normal", "SuccessfulCreate", "Created job %s", json_strv(job, "metadata", "name", NULL));
		add_to_active(x->cj, job);
		format_rfc3339(x->scheduled / CRON_NS, when);
		json_set_str(json_obj_force(x->cj, "status"), "lastScheduleTime", when);
		x->update_status = 1;
		cJSON_Delete(job);
	} else if (code == 409) {
		job_exists(x);
	} else {
		if (!wl_answer_ns_terminating(body, len)) {
			struct buf msg = BUF_INIT;
			wl_answer_message(body, len, &msg);
			event(x, "Warning", "FailedCreate", "Error creating job: %s", buf_str(&msg));
			buf_release(&msg);
		}
		x->requeue = 0;
		wl_sync_fail(s);
	}
	cj_step(x);
}

static void create_job(struct cjctx *x)
{
	if (x->replace_failed) {
		x->requeue = 0;
		wl_sync_fail(x->s);
	} else if (x->tocreate) {
		ctrl_create(x->c->m, COMPONENT, x->c->jk, json_strv(x->cj, "metadata", "namespace", NULL), x->tocreate,
			    wl_sync_cb, cjwrite(x, job_created, NULL, 0));
	}
	cj_then(x, write_status);
}

static void cj_sync(struct workqueue *q, const char *key, void *data)
{
	struct cjc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->cjs, ns, name);
	cJSON *cj = kv ? obj_parse(kv) : NULL;
	const char *uid = json_strv(cj, "metadata", "uid", NULL);
	if (!cj || !uid) {
		cJSON_Delete(cj);
		wl_sync_end(s);
		return;
	}
	struct cjctx *x = xcalloc(1, sizeof(*x));
	x->c = c;
	x->s = s;
	x->key = xstrdup(key);
	x->cj = cj;
	x->next = c->live;
	if (c->live)
		c->live->pprev = &x->next;
	x->pprev = &c->live;
	c->live = x;
	informer_owned(c->jobs, uid, collect_job, &x->jobs);
	remove_oldest(x, "Complete", "successfulJobsHistoryLimit");
	remove_oldest(x, "Failed", "failedJobsHistoryLimit");
	reconcile(x);
	schedule(x);
	cj_then(x, create_job); /* x may be gone when this returns */
	wl_sync_end(s);
}

/* ---- routing events --------------------------------------------------------------------- */

/* The CronJob a Job's controller reference points to (the same uid), or NULL. */
static struct store_kv *owner_of(struct cjc *c, const struct store_kv *job)
{
	cJSON *obj = obj_parse(job);
	const cJSON *ref = ctrl_owner(obj);
	const char *kind = json_str(ref, "kind"), *name = json_str(ref, "name"), *uid = json_str(ref, "uid");
	struct store_kv *kv = NULL;
	if (kind && !strcmp(kind, "CronJob") && name && uid) {
		kv = informer_get(c->cjs, json_strv(obj, "metadata", "namespace", NULL), name);
		const char *have = kv ? obj_field(kv->attrs, "x.uid") : NULL;
		if (!have || strcmp(have, uid))
			kv = NULL;
	}
	cJSON_Delete(obj);
	return kv;
}

static void on_job(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct cjc *c = data;
	struct store_kv *cur = owner_of(c, kv), *prev = ev == INF_UPDATE && old ? owner_of(c, old) : NULL;
	if (prev && prev != cur)
		wl_enqueue(c->q, prev);
	if (cur)
		wl_enqueue(c->q, cur);
}

/* updateCronJob: a new schedule or time zone is looked at when it next fires; any other change
 * at once. */
static void on_cronjob(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct cjc *c = data;
	if (ev != INF_UPDATE || !old) {
		wl_enqueue(c->q, kv);
		return;
	}
	cJSON *cj = obj_parse(kv), *ocj = obj_parse(old);
	const char *s = json_strv(cj, "spec", "schedule", NULL), *os = json_strv(ocj, "spec", "schedule", NULL);
	const char *tz = json_strv(cj, "spec", "timeZone", NULL), *otz = json_strv(ocj, "spec", "timeZone", NULL);
	if (strcmp(s ? s : "", os ? os : "") || strcmp(tz ? tz : "\x01", otz ? otz : "\x01")) {
		struct cjctx tmp = { .c = c, .cj = cj };
		struct cron_sched sched;
		struct buf key = BUF_INIT;
		char *spec = format_schedule(&tmp, 0);
		informer_key(kv, &key);
		if (cron_parse(spec, &sched, NULL) < 0) {
			ctrl_event(c->m, COMPONENT, cj, "Warning", "UnParseableCronJobSchedule",
				   "unparseable schedule for cronjob: %s", s ? s : "");
		} else {
			requeue_next(c, key.data, cj, &sched);
			cron_sched_release(&sched);
		}
		free(spec);
		buf_release(&key);
	} else {
		wl_enqueue(c->q, kv);
	}
	cJSON_Delete(cj);
	cJSON_Delete(ocj);
}

/* ---- start and stop --------------------------------------------------------------------- */

static int queue_cronjob(struct store_kv *kv, void *data)
{
	wl_enqueue(((struct cjc *)data)->q, kv);
	return 0;
}

static void cjc_stop(void *data)
{
	struct cjc *c = data;
	while (c->live)
		cjctx_free(c->live);
	cron_tz_free(c->local);
	free(c);
}

void ctrl_cronjob_start(struct ctrl_mgr *m)
{
	struct cjc *c = xcalloc(1, sizeof(*c));
	const char *scale = getenv("KUBE_TEST_CRONJOB_CLOCK_SCALE");
	int64_t n = 1;
	c->m = m;
	c->cjk = kind_by_resource("batch", "v1", "cronjobs");
	c->jk = kind_by_resource("batch", "v1", "jobs");
	if (scale && parse_int64(scale, 1, 3600, &n) < 0)
		log_warn("KUBE_TEST_CRONJOB_CLOCK_SCALE=%s ignored (want an integer from 1 to 3600)", scale);
	c->scale = n;
	c->base = wall_ns();
	if (c->scale > 1)
		log_warn("cronjob controller: test clock running %lld times as fast as the wall clock", (long long)c->scale);
	cron_tz_load("Local", &c->local, NULL);
	c->q = workqueue_new(m, "cronjob", 5, cj_sync, c);
	c->cjs = informer_of(m, c->cjk);
	c->jobs = informer_of(m, c->jk);
	informer_on(c->cjs, on_cronjob, c);
	informer_on(c->jobs, on_job, c);
	informer_list(c->cjs, NULL, NULL, queue_cronjob, c);
	ctrl_on_stop(m, cjc_stop, c);
}
