/*
 * test-nodes.c - the pure rules of the node lifecycle, taint eviction and disruption budgets
 * (server/nodes.h): tolerations, the conditions of a node that stopped posting status, the
 * taints that follow conditions, when a pod is evicted, pod conditions and budget conditions.
 */
#include "test.h"

#include "lib/json.h"
#include "lib/util.h"
#include "server/nodes.h"

static cJSON *parse(const char *s)
{
	cJSON *j = json_parse(s, strlen(s), NULL);
	if (!j)
		fprintf(stderr, "  bad fixture: %s\n", s);
	return j;
}

/* The "key/effect" list of node's taints, in order, into out. */
static const char *taint_list(const cJSON *node, struct buf *out)
{
	const cJSON *t;
	buf_reset(out);
	cJSON_ArrayForEach(t, json_getv(node, "spec", "taints", NULL))
		buf_addf(out, "%s%s/%s", out->len ? "," : "", json_str(t, "key"), json_str(t, "effect"));
	return buf_str(out);
}

TEST_IMPL(nodes_tolerates)
{
	cJSON *taint = parse("{\"key\":\"k\",\"value\":\"v\",\"effect\":\"NoExecute\"}");
	static const struct {
		const char *tol;
		int want;
	} cases[] = {
		{ "{\"key\":\"k\",\"operator\":\"Exists\"}", 1 },
		{ "{\"operator\":\"Exists\"}", 1 },
		{ "{\"key\":\"k\",\"value\":\"v\"}", 1 },
		{ "{\"key\":\"k\",\"operator\":\"Equal\",\"value\":\"v\",\"effect\":\"NoExecute\"}", 1 },
		{ "{\"key\":\"k\",\"value\":\"w\"}", 0 },
		{ "{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}", 0 },
		{ "{\"key\":\"other\",\"operator\":\"Exists\"}", 0 },
		{ "{\"key\":\"k\",\"operator\":\"Lt\",\"value\":\"v\"}", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *tol = parse(cases[i].tol);
		ASSERT(tol);
		if (nodes_tolerates(tol, taint) != cases[i].want)
			FAIL("case %zu: %s", i, cases[i].tol);
		cJSON_Delete(tol);
	}
	cJSON_Delete(taint);
	return 0;
}

TEST_IMPL(nodes_mark_unknown)
{
	cJSON *node = parse("{\"metadata\":{\"name\":\"n1\",\"creationTimestamp\":\"2024-01-01T00:00:00Z\"},"
			    "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
			    "\"message\":\"ok\",\"lastHeartbeatTime\":\"2024-01-01T00:00:00Z\"}]}}");
	ASSERT_EQ(nodes_mark_unknown(node), 1);
	const cJSON *ready = nodes_condition(node, "Ready");
	ASSERT_STR(json_str(ready, "status"), "Unknown");
	ASSERT_STR(json_str(ready, "reason"), "NodeStatusUnknown");
	ASSERT_STR(json_str(ready, "message"), "Kubelet stopped posting node status.");
	ASSERT_STR(json_str(ready, "lastHeartbeatTime"), "2024-01-01T00:00:00Z");
	static const char *const never[] = { "MemoryPressure", "DiskPressure", "PIDPressure" };
	for (size_t i = 0; i < ARRAY_SIZE(never); i++) {
		const cJSON *c = nodes_condition(node, never[i]);
		ASSERT_STR(json_str(c, "status"), "Unknown");
		ASSERT_STR(json_str(c, "reason"), "NodeStatusNeverUpdated");
		ASSERT_STR(json_str(c, "message"), "Kubelet never posted node status.");
	}
	/* Already Unknown: nothing changes. */
	ASSERT_EQ(nodes_mark_unknown(node), 0);
	cJSON_Delete(node);
	return 0;
}

TEST_IMPL(nodes_reconcile_taints)
{
	struct buf out = BUF_INIT;
	cJSON *node = parse("{\"spec\":{\"taints\":[{\"key\":\"mine\",\"effect\":\"NoSchedule\"},"
			    "{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\"}]},"
			    "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},"
			    "{\"type\":\"DiskPressure\",\"status\":\"True\"}]}}");
	ASSERT_EQ(nodes_reconcile_taints(node), 1);
	ASSERT_STR(taint_list(node, &out), "mine/NoSchedule,node.kubernetes.io/not-ready/NoSchedule,"
					   "node.kubernetes.io/disk-pressure/NoSchedule,node.kubernetes.io/not-ready/NoExecute");
	ASSERT(json_str(cJSON_GetArrayItem(json_getv(node, "spec", "taints", NULL), 1), "timeAdded"));
	ASSERT_EQ(nodes_reconcile_taints(node), 0);
	/* Recovered and cordoned: only the user's taint and unschedulable remain. */
	cJSON_Delete(node);
	node = parse("{\"spec\":{\"unschedulable\":true,\"taints\":[{\"key\":\"mine\",\"effect\":\"NoSchedule\"},"
		     "{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoExecute\"}]},"
		     "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
	ASSERT_EQ(nodes_reconcile_taints(node), 1);
	ASSERT_STR(taint_list(node, &out), "mine/NoSchedule,node.kubernetes.io/unschedulable/NoSchedule");
	/* Unknown: unreachable; no taint left means no taints field. */
	cJSON_Delete(node);
	node = parse("{\"spec\":{},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}");
	ASSERT_EQ(nodes_reconcile_taints(node), 1);
	ASSERT_STR(taint_list(node, &out), "node.kubernetes.io/unreachable/NoSchedule,node.kubernetes.io/unreachable/NoExecute");
	cJSON_Delete(node);
	node = parse("{\"spec\":{\"taints\":[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoSchedule\"}]}}");
	ASSERT_EQ(nodes_reconcile_taints(node), 1);
	ASSERT(!json_getv(node, "spec", "taints", NULL));
	cJSON_Delete(node);
	buf_release(&out);
	return 0;
}

TEST_IMPL(nodes_eviction_due)
{
	cJSON *taints = parse("[{\"key\":\"node.kubernetes.io/unreachable\",\"effect\":\"NoExecute\","
			      "\"timeAdded\":\"2024-01-01T00:01:40Z\"},{\"key\":\"node.kubernetes.io/unreachable\","
			      "\"effect\":\"NoSchedule\"}]");
	static const struct {
		const char *tols;
		int64_t want;
	} cases[] = {
		{ "[]", 0 },
		{ "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\"}]", -1 },
		{ "[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
		  "\"tolerationSeconds\":300}]",
		  1704067300 + 300 },
		{ "[{\"operator\":\"Exists\",\"tolerationSeconds\":60},{\"operator\":\"Exists\",\"tolerationSeconds\":5}]",
		  1704067300 + 60 },
		{ "[{\"operator\":\"Exists\",\"tolerationSeconds\":0}]", 0 },
		{ "[{\"key\":\"other\",\"operator\":\"Exists\"}]", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *s = xasprintf("{\"metadata\":{\"creationTimestamp\":\"2024-01-01T00:00:00Z\"},\"spec\":{\"tolerations\":%s}}",
				    cases[i].tols);
		cJSON *pod = parse(s);
		free(s);
		ASSERT(pod);
		if (nodes_eviction_due(pod, taints) != cases[i].want)
			FAIL("case %zu: %lld", i, (long long)nodes_eviction_due(pod, taints));
		cJSON_Delete(pod);
	}
	/* A pod created after the taint counts from its creation; no NoExecute taint: never. */
	cJSON *pod = parse("{\"metadata\":{\"creationTimestamp\":\"2024-01-01T00:10:00Z\"},"
			   "\"spec\":{\"tolerations\":[{\"operator\":\"Exists\",\"tolerationSeconds\":30}]}}");
	ASSERT_EQ(nodes_eviction_due(pod, taints), 1704067800 + 30);
	cJSON *none = parse("[{\"key\":\"x\",\"effect\":\"NoSchedule\"}]");
	ASSERT_EQ(nodes_eviction_due(pod, none), -1);
	cJSON_Delete(none);
	cJSON_Delete(pod);
	cJSON_Delete(taints);
	return 0;
}

TEST_IMPL(nodes_set_pod_condition)
{
	cJSON *pod = parse("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
			   "\"lastTransitionTime\":\"2024-01-01T00:00:00Z\"}]}}");
	ASSERT_EQ(nodes_set_pod_condition(pod, "Ready", "True", NULL, NULL), 0);
	ASSERT_EQ(nodes_set_pod_condition(pod, "Ready", "False", NULL, NULL), 1);
	ASSERT(strcmp(json_str(nodes_condition(pod, "Ready"), "lastTransitionTime"), "2024-01-01T00:00:00Z"));
	ASSERT_EQ(nodes_set_pod_condition(pod, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting"), 1);
	const cJSON *c = nodes_condition(pod, "DisruptionTarget");
	ASSERT_STR(json_str(c, "reason"), "EvictionByEvictionAPI");
	ASSERT(json_str(c, "lastTransitionTime"));
	ASSERT_EQ(nodes_set_pod_condition(pod, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting"), 0);
	cJSON_Delete(pod);
	return 0;
}

TEST_IMPL(nodes_pdb_condition_and_cover)
{
	cJSON *pdb = parse("{\"metadata\":{\"generation\":2},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}}},"
			   "\"status\":{\"observedGeneration\":2,\"disruptionsAllowed\":1}}");
	pdb_update_condition(pdb);
	const cJSON *c = cJSON_GetArrayItem(json_getv(pdb, "status", "conditions", NULL), 0);
	ASSERT_STR(json_str(c, "type"), "DisruptionAllowed");
	ASSERT_STR(json_str(c, "status"), "True");
	ASSERT_STR(json_str(c, "reason"), "SufficientPods");
	json_set_int(json_obj(pdb, "status"), "disruptionsAllowed", 0);
	pdb_update_condition(pdb);
	ASSERT_EQ(cJSON_GetArraySize(json_getv(pdb, "status", "conditions", NULL)), 1);
	ASSERT_STR(json_str(c, "status"), "False");
	ASSERT_STR(json_str(c, "reason"), "InsufficientPods");
	int64_t gen = 0;
	ASSERT(json_int(c, "observedGeneration", &gen) == 0 && gen == 2);

	cJSON *web = parse("{\"metadata\":{\"labels\":{\"app\":\"web\"}}}"), *db = parse("{\"metadata\":{\"labels\":{\"app\":\"db\"}}}");
	cJSON *empty = parse("{\"spec\":{\"selector\":{}}}"), *none = parse("{\"spec\":{}}");
	ASSERT(pdb_covers(pdb, web) && !pdb_covers(pdb, db));
	/* An empty or absent selector covers no pod for evictions (policy/v1 semantics aside). */
	ASSERT(!pdb_covers(empty, web) && !pdb_covers(none, web));
	cJSON_Delete(web);
	cJSON_Delete(db);
	cJSON_Delete(empty);
	cJSON_Delete(none);
	cJSON_Delete(pdb);
	return 0;
}
