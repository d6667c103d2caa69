/*
 * batch.h - the batch/v1 controllers: Jobs (with the TTL-after-finished controller) and
 * CronJobs.
 */
#ifndef KUBE_BATCH_H
#define KUBE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct buf;
struct ctrl_mgr;

/* Starts the job controller and the ttl-after-finished controller (ctrl_job.c). */
void ctrl_job_start(struct ctrl_mgr *m);
/* Starts the cronjob controller (ctrl_cronjob.c). Test-only: the environment variable
 * KUBE_TEST_CRONJOB_CLOCK_SCALE=N (an integer >= 1) makes this controller's clock run N times
 * faster than the wall clock from the moment it starts, so that a test sees a schedule of
 * "* * * * *" fire every 60/N seconds. Nothing else reads it; never set it in production. */
void ctrl_cronjob_start(struct ctrl_mgr *m);

/* ---- the job controller's pure logic (job_util.c) --------------------------------------- */

/* Completion indexes as upstream's orderedIntervals: sorted, disjoint, non-adjacent ranges. The
 * array v (n entries) is owned by the holder and freed with free(). */
struct job_ivl {
	int64_t first, last;
};

struct job_ivls {
	struct job_ivl *v;
	size_t n;
};

/* parseIndexesFromString: "1,3-5" into out (malformed parts skipped, indexes at or above
 * completions dropped). */
void job_ivls_parse(const char *s, int64_t completions, struct job_ivls *out);
/* withOrderedIndexes: a new list (out) holding a and the n indexes idx (sorted in place). */
void job_ivls_with(const struct job_ivls *a, int64_t *idx, size_t n, struct job_ivls *out);
/* How many indexes the intervals hold; whether they hold ix. */
int64_t job_ivls_total(const struct job_ivls *o);
int job_ivls_has(const struct job_ivls *o, int64_t ix);
/* Appends upstream's String(): "0-2,4,6,7" (two adjacent indexes are written "6,7"). */
void job_ivls_format(const struct job_ivls *o, struct buf *out);

enum job_pfp_action { JOB_PFP_NONE, JOB_PFP_IGNORE, JOB_PFP_COUNT, JOB_PFP_FAIL_JOB, JOB_PFP_FAIL_INDEX };

/* Upstream's matchPodFailurePolicy on a failed pod: the action of the first rule whose
 * onExitCodes (a terminated container with a non-zero exit code) or onPodConditions match;
 * JOB_PFP_NONE if none does. For FailJob, the Job's failure message goes into *msg (caller
 * frees) when msg is not NULL. */
enum job_pfp_action job_match_pfp(const cJSON *pfp, const cJSON *pod, char **msg);

#endif
