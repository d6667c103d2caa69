/*
 * test-workload.c - the workload controllers' pure logic: template hashing and comparison,
 * pod availability, the scale-down order, claiming, and the Deployment rollout arithmetic.
 */
#include "test.h"

#include <stdlib.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "server/rollout.h"
#include "server/workload.h"

static cJSON *parse(const char *s)
{
	return json_parse(s, strlen(s), NULL);
}

TEST_IMPL(workload_fnv_and_safe_encode)
{
	char out[16];
	ASSERT_EQ(wl_fnv32a(WL_FNV32_OFFSET, "", 0), 0x811c9dc5u);
	ASSERT_EQ(wl_fnv32a(WL_FNV32_OFFSET, "a", 1), 0xe40c292cu);
	ASSERT_EQ(wl_fnv32a(WL_FNV32_OFFSET, "foobar", 6), 0xbf9cf968u);
	wl_safe_encode("1234567890", out);
	ASSERT_STR(out, "56789bcdf4");
	return 0;
}

/* The expected values were computed independently (FNV-32a over the canonical JSON, then the
 * collision count as 8 little-endian bytes, SafeEncodeString of the decimal sum). */
TEST_IMPL(workload_template_hash)
{
	char h1[WL_HASH_LEN], h2[WL_HASH_LEN], h3[WL_HASH_LEN];
	cJSON *a = parse("{\"metadata\":{\"labels\":{\"app\":\"web\"},\"creationTimestamp\":null},"
			 "\"spec\":{\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\","
			 "\"containers\":[{\"resources\":{},\"name\":\"web\",\"image\":\"nginx:1.25\",\"args\":[]}]}}");
	cJSON *b = parse("{\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"web\"}],"
			 "\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\"},\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
	int64_t cc = 3;
	wl_template_hash(a, NULL, h1);
	wl_template_hash(b, NULL, h2);
	wl_template_hash(a, &cc, h3);
	ASSERT_STR(h1, "64fbfc7866");
	ASSERT_STR(h2, h1);
	ASSERT_STR(h3, "5b899ccffc");
	struct buf c = BUF_INIT;
	wl_canonical(a, &c);
	ASSERT_STR(c.data, "{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\","
			   "\"name\":\"web\"}],\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\"}}");
	buf_release(&c);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return 0;
}

TEST_IMPL(workload_template_equal)
{
	cJSON *a = parse("{\"metadata\":{\"labels\":{\"app\":\"web\",\"pod-template-hash\":\"abc\"}},"
			 "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.25\"}]}}");
	cJSON *b = parse("{\"metadata\":{\"labels\":{\"app\":\"web\"},\"annotations\":{}},"
			 "\"spec\":{\"containers\":[{\"image\":\"nginx:1.25\",\"name\":\"web\"}]}}");
	cJSON *c = parse("{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
			 "\"spec\":{\"containers\":[{\"image\":\"nginx:1.26\",\"name\":\"web\"}]}}");
	ASSERT(wl_template_equal(a, b));
	ASSERT(!wl_template_equal(a, c));
	/* The label is ignored, not dropped from the object. */
	ASSERT_STR(json_strv(a, "metadata", "labels", "pod-template-hash", NULL), "abc");
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	return 0;
}

static cJSON *pod(const char *name, const char *node, const char *phase, int ready, int64_t ready_at,
		  int64_t created, int restarts, const char *cost)
{
	char rt[21], ct[21];
	format_rfc3339(ready_at, rt);
	format_rfc3339(created, ct);
	char *s = xasprintf("{\"metadata\":{\"name\":\"%s\",\"uid\":\"uid-%s\",\"creationTimestamp\":\"%s\"%s%s%s},"
			    "\"spec\":{\"nodeName\":\"%s\"},\"status\":{\"phase\":\"%s\",\"conditions\":[{\"type\":\"Ready\","
			    "\"status\":\"%s\",\"lastTransitionTime\":\"%s\"}],\"containerStatuses\":[{\"name\":\"c\","
			    "\"restartCount\":%d}]}}",
			    name, name, ct, cost ? ",\"annotations\":{\"controller.kubernetes.io/pod-deletion-cost\":\"" : "",
			    cost ? cost : "", cost ? "\"}" : "", node, phase, ready ? "True" : "False", rt, restarts);
	cJSON *p = parse(s);
	free(s);
	return p;
}

TEST_IMPL(workload_pod_available)
{
	int64_t now = 1700000000;
	cJSON *p = pod("a", "n1", "Running", 1, now - 10, now - 100, 0, NULL);
	cJSON *q = pod("b", "n1", "Running", 0, now - 10, now - 100, 0, NULL);
	ASSERT(wl_pod_ready(p) && !wl_pod_ready(q));
	ASSERT(wl_pod_available(p, 0, now));
	ASSERT(wl_pod_available(p, 9, now));
	ASSERT(!wl_pod_available(p, 10, now)); /* strictly after ready + minReadySeconds */
	ASSERT_EQ(wl_pod_available_in(p, 10, now), 1000);
	ASSERT_EQ(wl_pod_available_in(p, 30, now), 21000);
	ASSERT(!wl_pod_available(q, 0, now));
	ASSERT(wl_pod_active(p));
	cJSON *done = parse("{\"status\":{\"phase\":\"Succeeded\"}}");
	cJSON *going = parse("{\"metadata\":{\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"}}");
	ASSERT(!wl_pod_active(done) && !wl_pod_active(going));
	cJSON_Delete(p);
	cJSON_Delete(q);
	cJSON_Delete(done);
	cJSON_Delete(going);
	return 0;
}

/* Upstream's ActivePodsWithRanks order, one criterion at a time. */
TEST_IMPL(workload_deletion_order)
{
	int64_t now = 1700000000;
	cJSON *v[] = {
		pod("running-old", "n1", "Running", 1, now - 5000, now - 9000, 0, NULL),
		pod("unscheduled", "", "Pending", 0, now, now - 10, 0, NULL),
		pod("pending", "n1", "Pending", 0, now, now - 10, 0, NULL),
		pod("unknown", "n1", "Unknown", 0, now, now - 10, 0, NULL),
		pod("not-ready", "n1", "Running", 0, now, now - 10, 0, NULL),
		pod("cheap", "n1", "Running", 1, now - 5000, now - 9000, 0, "-5"),
		pod("ready-recently", "n1", "Running", 1, now - 5, now - 9000, 0, NULL),
		pod("restarted", "n1", "Running", 1, now - 5000, now - 9000, 4, NULL),
	};
	const char *want[] = { "unscheduled", "pending", "unknown", "not-ready", "cheap", "ready-recently",
			       "restarted", "running-old" };
	const cJSON *pods[ARRAY_SIZE(v)];
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		pods[i] = v[i];
	wl_sort_for_deletion(pods, NULL, ARRAY_SIZE(v), now);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		ASSERT_STR(json_strv(pods[i], "metadata", "name", NULL), want[i]);
	/* Ranks: more pods of the owner on the same node go first. */
	int ranks[2] = { 1, 3 };
	const cJSON *two[2] = { v[0], v[7] };
	cJSON_Delete(v[7]);
	v[7] = pod("same-as-old", "n2", "Running", 1, now - 5000, now - 9000, 0, NULL);
	two[1] = v[7];
	wl_sort_for_deletion(two, ranks, 2, now);
	ASSERT_STR(json_strv(two[0], "metadata", "name", NULL), "same-as-old");
	ASSERT_EQ(ranks[0], 3);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		cJSON_Delete(v[i]);
	return 0;
}

TEST_IMPL(workload_deletion_order_by_age)
{
	int64_t now = 1700000000;
	/* Newer first; within one power-of-two age bucket, by uid. */
	cJSON *old = pod("old", "n1", "Running", 0, now, now - 100000, 0, NULL);
	cJSON *young = pod("young", "n1", "Running", 0, now, now - 10, 0, NULL);
	cJSON *b = pod("b", "n1", "Running", 0, now, now - 1000, 0, NULL);
	cJSON *a = pod("a", "n1", "Running", 0, now, now - 1001, 0, NULL);
	const cJSON *pods[] = { old, b, young, a };
	wl_sort_for_deletion(pods, NULL, 4, now);
	ASSERT_STR(json_strv(pods[0], "metadata", "name", NULL), "young");
	ASSERT_STR(json_strv(pods[1], "metadata", "name", NULL), "a");
	ASSERT_STR(json_strv(pods[2], "metadata", "name", NULL), "b");
	ASSERT_STR(json_strv(pods[3], "metadata", "name", NULL), "old");
	cJSON_Delete(old);
	cJSON_Delete(young);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return 0;
}

TEST_IMPL(workload_claim)
{
	cJSON *owner = parse("{\"metadata\":{\"name\":\"rs\",\"namespace\":\"default\",\"uid\":\"u1\"}}");
	cJSON *gone = parse("{\"metadata\":{\"name\":\"rs\",\"namespace\":\"default\",\"uid\":\"u1\","
			    "\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"}}");
	cJSON *orphan = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"}}");
	cJSON *other_ns = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"kube-system\"}}");
	cJSON *mine = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\",\"ownerReferences\":"
			    "[{\"uid\":\"u1\",\"controller\":true}]}}");
	cJSON *theirs = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\",\"ownerReferences\":"
			      "[{\"uid\":\"u2\",\"controller\":true}]}}");
	ASSERT_EQ(wl_claim(owner, orphan, 1), WL_ADOPT);
	ASSERT_EQ(wl_claim(owner, orphan, 0), WL_IGNORE);
	ASSERT_EQ(wl_claim(owner, other_ns, 1), WL_IGNORE);
	ASSERT_EQ(wl_claim(gone, orphan, 1), WL_IGNORE);
	ASSERT_EQ(wl_claim(owner, mine, 1), WL_OWNED);
	ASSERT_EQ(wl_claim(owner, mine, 0), WL_RELEASE);
	ASSERT_EQ(wl_claim(gone, mine, 1), WL_OWNED);
	ASSERT_EQ(wl_claim(gone, mine, 0), WL_IGNORE);
	ASSERT_EQ(wl_claim(owner, theirs, 1), WL_IGNORE);
	cJSON *sel = parse("{\"matchLabels\":{\"app\":\"web\"}}"), *l1 = parse("{\"app\":\"web\",\"x\":\"y\"}");
	cJSON *l2 = parse("{\"app\":\"db\"}");
	ASSERT(wl_selector_matches(sel, l1) && !wl_selector_matches(sel, l2) && !wl_selector_matches(sel, NULL));
	cJSON *all[] = { owner, gone, orphan, other_ns, mine, theirs, sel, l1, l2 };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		cJSON_Delete(all[i]);
	return 0;
}

static cJSON *deployment(int replicas, const char *surge, const char *unavail)
{
	char *s = xasprintf("{\"spec\":{\"replicas\":%d,\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
			    "{\"maxSurge\":%s,\"maxUnavailable\":%s}}}}",
			    replicas, surge, unavail);
	cJSON *d = parse(s);
	free(s);
	return d;
}

TEST_IMPL(workload_rollout_fenceposts)
{
	int64_t s, u;
	cJSON *d = deployment(10, "\"25%\"", "\"25%\"");
	rollout_fenceposts(d, &s, &u);
	ASSERT_EQ(s, 3); /* 2.5 rounded up */
	ASSERT_EQ(u, 2); /* 2.5 rounded down */
	cJSON_Delete(d);
	d = deployment(1, "\"25%\"", "\"25%\"");
	ASSERT_EQ(rollout_max_surge(d), 1);
	ASSERT_EQ(rollout_max_unavailable(d), 0);
	cJSON_Delete(d);
	d = deployment(3, "0", "0");
	ASSERT_EQ(rollout_max_surge(d), 0);
	ASSERT_EQ(rollout_max_unavailable(d), 1); /* both zero: one may be unavailable */
	cJSON_Delete(d);
	d = deployment(2, "1", "5");
	ASSERT_EQ(rollout_max_unavailable(d), 2); /* at most the replicas */
	cJSON_Delete(d);
	d = parse("{\"spec\":{\"replicas\":4,\"strategy\":{\"type\":\"Recreate\"}}}");
	ASSERT_EQ(rollout_max_surge(d), 0);
	ASSERT_EQ(rollout_max_unavailable(d), 0);
	cJSON_Delete(d);
	cJSON *v = parse("\"abc\"");
	ASSERT(rollout_scaled_value(v, 10, 1, &s) < 0);
	cJSON_Delete(v);
	return 0;
}

/* A 10-replica rolling update with maxSurge 3, maxUnavailable 2, step by step. */
TEST_IMPL(workload_rollout_steps)
{
	/* The new ReplicaSet starts at 3 (10 + 3 surge - 10 old). */
	ASSERT_EQ(rollout_new_rs_replicas(10, 3, 10, 0), 3);
	/* Old ones may lose 13 - 8 - 3 (new ones not available yet) = 2. */
	ASSERT_EQ(rollout_max_scaled_down(10, 2, 13, 3), 2);
	/* After 2 old went: the new one grows to 5. */
	ASSERT_EQ(rollout_new_rs_replicas(10, 3, 11, 3), 5);
	/* Total at the ceiling: no growth. */
	ASSERT_EQ(rollout_new_rs_replicas(10, 3, 13, 5), 5);
	/* Never above the desired count. */
	ASSERT_EQ(rollout_new_rs_replicas(10, 3, 2, 9), 10);
	ASSERT(rollout_max_scaled_down(10, 2, 13, 5) <= 0);
	return 0;
}

TEST_IMPL(workload_rollout_proportion)
{
	/* 10 -> 20 replicas, maxSurge 3: 8 and 5 replicas (annotated max 13) share 10 more. */
	ASSERT_EQ(rollout_proportion(8, 13, 20, 3, 13, 10, 0), 6);
	ASSERT_EQ(rollout_proportion(5, 13, 20, 3, 13, 10, 6), 4);
	/* 20 -> 10: 14 and 9 (max 23) give back 10. */
	ASSERT_EQ(rollout_proportion(14, 23, 10, 3, 23, -10, 0), -6);
	ASSERT_EQ(rollout_proportion(9, 23, 10, 3, 23, -10, -6), -4);
	/* To zero: everything goes; nothing when there is nothing to give. */
	ASSERT_EQ(rollout_proportion(4, 13, 0, 0, 13, -13, 0), -4);
	ASSERT_EQ(rollout_proportion(0, 13, 20, 3, 13, 10, 0), 0);
	/* Without the annotation the Deployment's status.replicas is the old size. */
	ASSERT_EQ(rollout_proportion(4, 0, 16, 0, 8, 8, 0), 4);
	return 0;
}

TEST_IMPL(workload_rollout_history)
{
	char *h = rollout_push_history(NULL, "1", 2000);
	ASSERT_STR(h, "1");
	free(h);
	h = rollout_push_history("1,3", "4", 2000);
	ASSERT_STR(h, "1,3,4");
	free(h);
	h = rollout_push_history("11,12,13", "14", 8); /* oldest entries go to make room */
	ASSERT_STR(h, "12,13,14");
	free(h);
	ASSERT(rollout_push_history("1", "123456789", 5) == NULL);
	return 0;
}
