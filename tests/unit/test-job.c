/*
 * test-job.c - the job controller's pure logic (server/job_util.c): completion-index intervals
 * as status.completedIndexes holds them, and podFailurePolicy matching with upstream's
 * messages.
 */
#include "test.h"

#include "lib/buf.h"
#include "lib/json.h"
#include "server/batch.h"

/* Parses s (with completions), adds the n indexes idx, and compares the formatted result. */
static int ivls_case(const char *s, int64_t completions, int64_t *idx, size_t n, const char *want, int64_t total)
{
	struct job_ivls a, b;
	struct buf out = BUF_INIT;
	job_ivls_parse(s, completions, &a);
	job_ivls_with(&a, idx, n, &b);
	job_ivls_format(&b, &out);
	int ok = !strcmp(buf_str(&out), want) && job_ivls_total(&b) == total;
	if (!ok)
		fprintf(stderr, "  \"%s\" + %zu indexes: got \"%s\" (%lld), want \"%s\" (%lld)\n", s, n, buf_str(&out),
			(long long)job_ivls_total(&b), want, (long long)total);
	free(a.v);
	free(b.v);
	buf_release(&out);
	return ok;
}

TEST_IMPL(job_intervals)
{
	int64_t i1[] = { 3, 1, 2 }, i2[] = { 5 }, i3[] = { 4, 0 }, i4[] = { 2, 2 };
	ASSERT(ivls_case("", 10, NULL, 0, "", 0));
	ASSERT(ivls_case("", 10, i1, 3, "1-3", 3));
	ASSERT(ivls_case("1-3", 10, i2, 1, "1-3,5", 4));
	ASSERT(ivls_case("1-3,5", 10, i3, 2, "0-5", 6));
	ASSERT(ivls_case("6,7", 10, i4, 2, "2,6,7", 3));
	/* malformed parts are skipped, indexes beyond completions dropped or clipped */
	ASSERT(ivls_case("x,1,2-a,4-20", 8, NULL, 0, "1,4-7", 5));
	ASSERT(ivls_case("0,9,2", 5, NULL, 0, "0", 1));
	ASSERT(ivls_case("0-1,2-3", 10, NULL, 0, "0-3", 4));
	struct job_ivls a;
	job_ivls_parse("1-3,7", 10, &a);
	ASSERT(job_ivls_has(&a, 1) && job_ivls_has(&a, 3) && job_ivls_has(&a, 7));
	ASSERT(!job_ivls_has(&a, 0) && !job_ivls_has(&a, 4) && !job_ivls_has(&a, 8));
	free(a.v);
	return 0;
}

static const char *POLICY =
	"{\"rules\":["
	"{\"action\":\"FailJob\",\"onExitCodes\":{\"containerName\":\"main\",\"operator\":\"In\",\"values\":[42]}},"
	"{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]},"
	"{\"action\":\"Count\",\"onExitCodes\":{\"operator\":\"NotIn\",\"values\":[1,2]}},"
	"{\"action\":\"FailJob\",\"onPodConditions\":[{\"type\":\"ConfigIssue\",\"status\":\"True\"}]}]}";

/* A failed pod ns/p whose container "name" exited with code, with one condition type=True. */
static cJSON *failed_pod(const char *name, int code, const char *cond)
{
	char s[600];
	snprintf(s, sizeof(s),
		 "{\"metadata\":{\"namespace\":\"ns\",\"name\":\"p\"},\"status\":{\"phase\":\"Failed\","
		 "\"conditions\":[{\"type\":\"%s\",\"status\":\"True\"}],"
		 "\"containerStatuses\":[{\"name\":\"%s\",\"state\":{\"terminated\":{\"exitCode\":%d}}}]}}",
		 cond, name, code);
	return json_parse(s, strlen(s), NULL);
}

static enum job_pfp_action action_of(const cJSON *pfp, const char *name, int code, const char *cond, char **msg)
{
	cJSON *pod = failed_pod(name, code, cond);
	enum job_pfp_action a = job_match_pfp(pfp, pod, msg);
	cJSON_Delete(pod);
	return a;
}

TEST_IMPL(job_pod_failure_policy)
{
	cJSON *pfp = json_parse(POLICY, strlen(POLICY), NULL);
	char *msg = NULL;
	ASSERT(pfp);
	ASSERT_EQ(action_of(pfp, "main", 42, "Ready", &msg), JOB_PFP_FAIL_JOB);
	ASSERT_STR(msg, "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0");
	free(msg);
	msg = NULL;
	/* another container with 42: not the first rule; no DisruptionTarget; NotIn [1,2] counts */
	ASSERT_EQ(action_of(pfp, "side", 42, "Ready", NULL), JOB_PFP_COUNT);
	ASSERT_EQ(action_of(pfp, "main", 137, "DisruptionTarget", NULL), JOB_PFP_IGNORE);
	ASSERT_EQ(action_of(pfp, "main", 1, "Ready", NULL), JOB_PFP_NONE);
	ASSERT_EQ(action_of(pfp, "main", 1, "ConfigIssue", &msg), JOB_PFP_FAIL_JOB);
	ASSERT_STR(msg, "Pod ns/p has condition ConfigIssue matching FailJob rule at index 3");
	free(msg);
	/* exit code 0 never matches onExitCodes */
	ASSERT_EQ(action_of(pfp, "main", 0, "Ready", NULL), JOB_PFP_NONE);
	cJSON_Delete(pfp);
	return 0;
}
