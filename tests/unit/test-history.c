/* Unit tests for ControllerRevision history (server/history.c): revision data printed as Go
 * prints it, revision hashes and names as upstream computes them, sorting and truncation. */
#include "test.h"

#include "lib/buf.h"
#include "lib/json.h"
#include "server/history.h"
#include "server/workload.h"

/* The revision data of upstream's StatefulSet compatibility fixture (pkg/controller/statefulset
 * testdata/compatibility_revision_1.33.0.json): a 1.33 cluster named it test-c77f6d978. */
static const char FIXTURE_DATA[] =
	"{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{\"annotations\":{\"test\":\"value\"},"
	"\"creationTimestamp\":null,\"labels\":{\"app\":\"foo\"}},\"spec\":{\"containers\":[{\"image\":\"test\","
	"\"imagePullPolicy\":\"Always\",\"name\":\"test\",\"resources\":{},\"terminationMessagePath\":"
	"\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}],\"dnsPolicy\":\"ClusterFirst\","
	"\"restartPolicy\":\"Always\",\"schedulerName\":\"default-scheduler\",\"securityContext\":{},"
	"\"terminationGracePeriodSeconds\":30}}}}";

/* The same StatefulSet as the server stores it, keys in the order it prints them. */
static const char FIXTURE_SET[] =
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"test\",\"namespace\":\"test\","
	"\"uid\":\"ssuid\"},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"foo\"}},"
	"\"template\":{\"metadata\":{\"creationTimestamp\":null,\"labels\":{\"app\":\"foo\"},\"annotations\":"
	"{\"test\":\"value\"}},\"spec\":{\"containers\":[{\"name\":\"test\",\"image\":\"test\",\"resources\":{},"
	"\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\","
	"\"imagePullPolicy\":\"Always\"}],\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30,"
	"\"dnsPolicy\":\"ClusterFirst\",\"securityContext\":{},\"schedulerName\":\"default-scheduler\"}}}}";

static char *go_print(const char *json)
{
	struct buf b = BUF_INIT;
	cJSON *v = json_parse(json, strlen(json), NULL);
	history_go_json(v, &b);
	cJSON_Delete(v);
	return buf_detach(&b, NULL);
}

TEST_IMPL(history_patch_matches_upstream)
{
	cJSON *set = json_parse(FIXTURE_SET, strlen(FIXTURE_SET), NULL);
	char *patch = history_patch(set);
	ASSERT_STR(patch, FIXTURE_DATA);
	free(patch);
	cJSON_Delete(set);
	return 0;
}

TEST_IMPL(history_hash_matches_upstream)
{
	char h[16];
	history_hash(FIXTURE_DATA, 0, h);
	ASSERT_STR(h, "c77f6d978");
	/* Without a collision count the probe is not hashed. */
	history_hash(FIXTURE_DATA, -1, h);
	ASSERT(strcmp(h, "c77f6d978") != 0);
	/* A collision changes the name. */
	char h1[16];
	history_hash(FIXTURE_DATA, 1, h1);
	ASSERT(strcmp(h1, "c77f6d978") != 0);
	history_hash(FIXTURE_DATA, 0, h);
	char *name = history_name("test", h);
	ASSERT_STR(name, "test-c77f6d978");
	free(name);
	return 0;
}

TEST_IMPL(history_name_truncates_prefix)
{
	char prefix[300];
	memset(prefix, 'a', sizeof(prefix) - 1);
	prefix[sizeof(prefix) - 1] = 0;
	char *name = history_name(prefix, "abc");
	ASSERT_EQ(strlen(name), 223 + 4);
	ASSERT_STR(name + 223, "-abc");
	free(name);
	return 0;
}

TEST_IMPL(history_go_json_strings)
{
	char *s = go_print("{\"b\":\"<a&b>\",\"a\":\"q\\\"\\\\\\n\\t\\r\\b\\f\\u0001\"}");
	ASSERT_STR(s, "{\"a\":\"q\\\"\\\\\\n\\t\\r\\b\\f\\u0001\",\"b\":\"\\u003ca\\u0026b\\u003e\"}");
	free(s);
	/* U+2028 and U+2029 are escaped; other non-ASCII text is kept as UTF-8. */
	s = go_print("[\"\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9\"]");
	ASSERT_STR(s, "[\"\\u2028\\u2029\xc3\xa9\"]");
	free(s);
	return 0;
}

TEST_IMPL(history_go_json_numbers_and_order)
{
	char *s = go_print("{\"z\":[3,0.5,-2,1e21,1.5e-7,100000000],\"$patch\":true,\"B\":null,\"a\":{}}");
	ASSERT_STR(s, "{\"$patch\":true,\"B\":null,\"a\":{},\"z\":[3,0.5,-2,1e+21,1.5e-7,100000000]}");
	free(s);
	return 0;
}

static cJSON *rev(const char *name, int64_t revision, const char *created)
{
	cJSON *r = cJSON_CreateObject(), *m = json_obj_force(r, "metadata");
	json_set_str(m, "name", name);
	if (created)
		json_set_str(m, "creationTimestamp", created);
	json_set_int(r, "revision", revision);
	json_set(r, "data", json_parse(FIXTURE_DATA, strlen(FIXTURE_DATA), NULL));
	return r;
}

TEST_IMPL(history_sort_and_find)
{
	struct history h = HISTORY_INIT;
	history_add(&h, rev("c", 2, "2024-01-01T00:00:02Z"));
	history_add(&h, rev("b", 2, "2024-01-01T00:00:01Z"));
	history_add(&h, rev("a", 3, NULL));
	history_add(&h, rev("d", 1, NULL));
	history_add(&h, rev("e", 2, "2024-01-01T00:00:01Z"));
	history_sort(&h);
	ASSERT_STR(h.v[0].name, "d");
	ASSERT_STR(h.v[1].name, "b");
	ASSERT_STR(h.v[2].name, "e");
	ASSERT_STR(h.v[3].name, "c");
	ASSERT_STR(h.v[4].name, "a");
	ASSERT_EQ(history_next(&h), 4);
	ASSERT_STR(h.v[0].data, FIXTURE_DATA);
	ASSERT_EQ(history_find(&h, FIXTURE_DATA), 4);
	ASSERT_EQ(history_find(&h, "{}"), -1);
	ASSERT_EQ(history_find_name(&h, "e"), 2);
	ASSERT_EQ(history_find_name(&h, "x"), -1);
	ASSERT_EQ(h.v[0].claim, WL_ADOPT);
	history_release(&h);
	struct history empty = HISTORY_INIT;
	ASSERT_EQ(history_next(&empty), 1);
	return 0;
}

TEST_IMPL(history_template_drops_directive)
{
	cJSON *r = rev("a", 1, NULL);
	cJSON *t = history_template(r);
	ASSERT(t != NULL);
	ASSERT(json_str(t, "$patch") == NULL);
	ASSERT_STR(json_strv(t, "metadata", "labels", "app", NULL), "foo");
	cJSON_Delete(t);
	cJSON_Delete(r);
	return 0;
}

static struct history numbered(size_t n)
{
	struct history h = HISTORY_INIT;
	for (size_t i = 0; i < n; i++) {
		char name[24];
		snprintf(name, sizeof(name), "r%zu", i + 1);
		history_add(&h, rev(name, (int64_t)i + 1, NULL));
	}
	return h;
}

TEST_IMPL(history_truncate_statefulset)
{
	/* Revisions 1..6; 6 is current and update, 2 is still used by a pod: live, not counted. */
	struct history h = numbered(6);
	unsigned char keep[6] = { 0, HISTORY_LIVE, 0, 0, 0, HISTORY_LIVE };
	size_t out[6];
	size_t n = history_truncate(&h, keep, 2, out);
	ASSERT_EQ(n, 2); /* four non-live (1, 3, 4, 5) down to two: 1 and 3 go */
	ASSERT_EQ(out[0], 0);
	ASSERT_EQ(out[1], 2);
	ASSERT_EQ(history_truncate(&h, keep, 10, out), 0);
	ASSERT_EQ(history_truncate(&h, keep, -1, out), 0);
	ASSERT_EQ(history_truncate(&h, keep, 0, out), 4);
	history_release(&h);
	return 0;
}

TEST_IMPL(history_truncate_daemonset)
{
	/* Old revisions 1..5 (6 is current); pods still run revision 2: counted, but kept. */
	struct history h = numbered(6);
	unsigned char keep[6] = { 0, HISTORY_IN_USE, 0, 0, 0, HISTORY_LIVE };
	size_t out[6];
	size_t n = history_truncate(&h, keep, 2, out);
	ASSERT_EQ(n, 3); /* five old down to two: 1, 3, 4 go; 2 stays as it is in use */
	ASSERT_EQ(out[0], 0);
	ASSERT_EQ(out[1], 2);
	ASSERT_EQ(out[2], 3);
	/* Everything old in use: nothing can go. */
	unsigned char busy[6] = { 1, 1, 1, 1, 1, HISTORY_LIVE };
	ASSERT_EQ(history_truncate(&h, busy, 0, out), 0);
	history_release(&h);
	return 0;
}

TEST_IMPL(history_new_revision_object)
{
	cJSON *set = json_parse(FIXTURE_SET, strlen(FIXTURE_SET), NULL);
	json_set_str(json_obj_force(json_obj_force(set, "metadata"), "annotations"), "kubernetes.io/change-cause", "x");
	cJSON *r = history_new_revision(set, "test-c77f6d978", HISTORY_HASH_LABEL, "c77f6d978", FIXTURE_DATA, 1, 1);
	ASSERT_STR(json_strv(r, "metadata", "name", NULL), "test-c77f6d978");
	ASSERT_STR(json_strv(r, "metadata", "namespace", NULL), "test");
	ASSERT_STR(json_strv(r, "metadata", "labels", "app", NULL), "foo");
	ASSERT_STR(json_strv(r, "metadata", "labels", HISTORY_HASH_LABEL, NULL), "c77f6d978");
	ASSERT_STR(json_strv(r, "metadata", "annotations", "kubernetes.io/change-cause", NULL), "x");
	const cJSON *ref = cJSON_GetArrayItem(json_getv(r, "metadata", "ownerReferences", NULL), 0);
	ASSERT_STR(json_str(ref, "kind"), "StatefulSet");
	ASSERT_STR(json_str(ref, "uid"), "ssuid");
	ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ref, "controller")));
	struct history h = HISTORY_INIT;
	history_add(&h, r);
	ASSERT_STR(h.v[0].data, FIXTURE_DATA);
	ASSERT_EQ(h.v[0].revision, 1);
	ASSERT_EQ(h.v[0].claim, WL_OWNED);
	history_release(&h);
	cJSON_Delete(set);
	return 0;
}
