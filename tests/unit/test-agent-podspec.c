/*
 * Unit tests for the pure parts of the pod spec (agent/podspec.c): $(VAR) expansion, resource
 * quantities and their cgroup values, downward API field paths and resource fields, QoS
 * classes, resolv.conf per dnsPolicy. (Named test-agent-* so that builds leaving out the agent
 * leave it out too.)
 */
#include "test.h"
#include "agent/internal.h"
#include "lib/buf.h"

#include <string.h>

static const char *expand(struct buf *b, const char *s)
{
	static const char *const env[] = { "A=1", "B=two", "A=3", "EMPTY=" };
	buf_reset(b);
	podspec_expand(s, env, ARRAY_SIZE(env), b);
	return buf_str(b);
}

TEST_IMPL(podspec_expand)
{
	struct buf b = BUF_INIT;
	ASSERT_STR(expand(&b, "plain"), "plain");
	ASSERT_STR(expand(&b, "$(A)"), "3"); /* the last definition wins */
	ASSERT_STR(expand(&b, "x$(B)y$(A)"), "xtwoy3");
	ASSERT_STR(expand(&b, "$(NOPE)"), "$(NOPE)");
	ASSERT_STR(expand(&b, "$$(A)"), "$(A)");
	ASSERT_STR(expand(&b, "$$$(A)"), "$3");
	ASSERT_STR(expand(&b, "$(A"), "$(A");
	ASSERT_STR(expand(&b, "$A"), "$A");
	ASSERT_STR(expand(&b, "a$"), "a$");
	ASSERT_STR(expand(&b, "$()"), "$()");
	ASSERT_STR(expand(&b, "[$(EMPTY)]"), "[]");
	ASSERT_STR(expand(&b, ""), "");
	buf_release(&b);
	return 0;
}

TEST_IMPL(podspec_quantity)
{
	int64_t m, v;
	ASSERT_EQ(podspec_quantity("100m", &m, &v), 0);
	ASSERT_EQ(m, 100);
	ASSERT_EQ(v, 1); /* rounded up */
	ASSERT_EQ(podspec_quantity("1.5", &m, &v), 0);
	ASSERT_EQ(m, 1500);
	ASSERT_EQ(v, 2);
	ASSERT_EQ(podspec_quantity("128Mi", &m, &v), 0);
	ASSERT_EQ(v, 128LL << 20);
	ASSERT_EQ(podspec_quantity("1G", NULL, &v), 0);
	ASSERT_EQ(v, 1000000000LL);
	ASSERT_EQ(podspec_quantity("1e3", &m, &v), 0);
	ASSERT_EQ(v, 1000);
	ASSERT_EQ(podspec_quantity("0.1m", &m, &v), 0);
	ASSERT_EQ(m, 1); /* rounded up */
	ASSERT_EQ(podspec_quantity("2", &m, NULL), 0);
	ASSERT_EQ(m, 2000);
	ASSERT_EQ(podspec_quantity("1Ei", &m, &v), 0);
	ASSERT_EQ(v, 1LL << 60);
	ASSERT_EQ(m, INT64_MAX); /* saturates */
	ASSERT_EQ(podspec_quantity(".5Gi", NULL, &v), 0);
	ASSERT_EQ(v, 512LL << 20);
	const char *bad[] = { "", "m", "1x", "-1", "1..2", "1Mii", "1e", "1e99", "100000000000Ei",
			      "1234567890123456789012345678901", NULL };
	for (size_t i = 0; bad[i]; i++)
		ASSERT_EQ(podspec_quantity(bad[i], &m, &v), -1);
	ASSERT_EQ(podspec_quantity(NULL, &m, &v), -1);
	return 0;
}

TEST_IMPL(podspec_cgroup_values)
{
	ASSERT_EQ(podspec_cpu_shares(0), 2);
	ASSERT_EQ(podspec_cpu_shares(1), 2);
	ASSERT_EQ(podspec_cpu_shares(100), 102);
	ASSERT_EQ(podspec_cpu_shares(1000), 1024);
	ASSERT_EQ(podspec_cpu_shares(1000000), 262144);
	ASSERT_EQ(podspec_cpu_quota(0, 100000), 0);
	ASSERT_EQ(podspec_cpu_quota(1, 100000), 1000); /* the minimum */
	ASSERT_EQ(podspec_cpu_quota(250, 100000), 25000);
	ASSERT_EQ(podspec_cpu_quota(2000, 100000), 200000);
	return 0;
}

static cJSON *parse(const char *s)
{
	return cJSON_Parse(s);
}

TEST_IMPL(podspec_field_ref)
{
	cJSON *pod = parse("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u-1\","
			   "\"labels\":{\"b\":\"2\",\"a\":\"x\\\"y\"},\"annotations\":{\"k\":\"v\"}},"
			   "\"spec\":{\"nodeName\":\"n1\",\"serviceAccountName\":\"sa\"},"
			   "\"status\":{\"podIP\":\"10.0.0.5\",\"podIPs\":[{\"ip\":\"10.0.0.5\"},{\"ip\":\"fd00::5\"}]}}");
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *cases[][2] = {
		{ "metadata.name", "p" }, { "metadata.namespace", "ns" }, { "metadata.uid", "u-1" },
		{ "spec.nodeName", "n1" }, { "spec.serviceAccountName", "sa" }, { "status.hostIP", "192.0.2.1" },
		{ "status.hostIPs", "192.0.2.1" }, { "status.podIP", "10.0.0.5" }, { "status.podIPs", "10.0.0.5,fd00::5" },
		{ "metadata.labels['b']", "2" }, { "metadata.annotations['k']", "v" }, { "metadata.labels['zz']", "" },
		{ "metadata.labels", "a=\"x\\\"y\"\nb=\"2\"" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&out);
		ASSERT_EQ(podspec_field_ref(pod, cases[i][0], "192.0.2.1", &out, &err), 0);
		ASSERT_STR(buf_str(&out), cases[i][1]);
	}
	ASSERT_EQ(podspec_field_ref(pod, "spec.containers", "", &out, &err), -1);
	ASSERT(strstr(buf_str(&err), "spec.containers") != NULL);
	ASSERT_EQ(podspec_field_ref(pod, "metadata.labels[b]", "", &out, &err), -1);
	cJSON_Delete(pod);
	buf_release(&out);
	buf_release(&err);
	return 0;
}

TEST_IMPL(podspec_resource_ref)
{
	cJSON *c = parse("{\"resources\":{\"requests\":{\"cpu\":\"250m\",\"memory\":\"64Mi\"},\"limits\":{\"memory\":\"100Mi\"}}}");
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct { const char *res, *div, *want; } cases[] = {
		{ "requests.cpu", NULL, "1" }, { "requests.cpu", "1m", "250" }, { "limits.cpu", NULL, "4" },
		{ "limits.memory", NULL, "104857600" }, { "limits.memory", "1Mi", "100" }, { "requests.memory", "1M", "68" },
		{ "limits.ephemeral-storage", NULL, "0" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&out);
		ASSERT_EQ(podspec_resource_ref(c, cases[i].res, cases[i].div, 4000, 8LL << 30, &out, &err), 0);
		ASSERT_STR(buf_str(&out), cases[i].want);
	}
	buf_reset(&out);
	cJSON *none = parse("{}");
	ASSERT_EQ(podspec_resource_ref(none, "limits.memory", NULL, 4000, 8LL << 30, &out, &err), 0);
	ASSERT_STR(buf_str(&out), "8589934592"); /* the node's memory */
	ASSERT_EQ(podspec_resource_ref(c, "cpu", NULL, 1, 1, &out, &err), -1);
	ASSERT_EQ(podspec_resource_ref(c, "limits.cpu", "0", 1, 1, &out, &err), -1);
	ASSERT_EQ(podspec_resource_ref(c, "limits.cpu", "abc", 1, 1, &out, &err), -1);
	cJSON_Delete(c);
	cJSON_Delete(none);
	buf_release(&out);
	buf_release(&err);
	return 0;
}

TEST_IMPL(podspec_qos)
{
	cJSON *g = parse("{\"spec\":{\"containers\":[{\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}}]}}");
	cJSON *b = parse("{\"spec\":{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}},{}]}}");
	cJSON *e = parse("{\"spec\":{\"containers\":[{},{\"resources\":{}}]}}");
	cJSON *b2 = parse("{\"spec\":{\"containers\":[{\"resources\":{\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},"
			  "\"requests\":{\"cpu\":\"500m\",\"memory\":\"1Gi\"}}}]}}");
	ASSERT_STR(podspec_qos_class(g), "Guaranteed");
	ASSERT_STR(podspec_qos_class(b), "Burstable");
	ASSERT_STR(podspec_qos_class(e), "BestEffort");
	ASSERT_STR(podspec_qos_class(b2), "Burstable");
	cJSON_Delete(g);
	cJSON_Delete(b);
	cJSON_Delete(e);
	cJSON_Delete(b2);
	return 0;
}

static const char *resolv(struct buf *out, const char *pod_json, const char *dns)
{
	static const char host[] = "# host\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example lab.example\n"
				   "options edns0 timeout:2\n";
	struct buf err = BUF_INIT;
	cJSON *pod = cJSON_Parse(pod_json);
	buf_reset(out);
	int rc = podspec_resolv_conf(pod, dns, "cluster.local", host, out, &err);
	cJSON_Delete(pod);
	buf_release(&err);
	return rc < 0 ? "ERROR" : buf_str(out);
}

TEST_IMPL(podspec_resolv)
{
	struct buf out = BUF_INIT;
	ASSERT_STR(resolv(&out, "{\"metadata\":{\"namespace\":\"web\"},\"spec\":{}}", "10.43.0.10"),
		   "search web.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\n"
		   "nameserver 10.43.0.10\noptions ndots:5\n");
	ASSERT_STR(resolv(&out, "{\"metadata\":{\"namespace\":\"web\"},\"spec\":{\"dnsPolicy\":\"Default\"}}", "10.43.0.10"),
		   "search corp.example lab.example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions edns0 timeout:2\n");
	/* ClusterFirst with hostNetwork is Default; ClusterFirstWithHostNet is cluster DNS */
	ASSERT_STR(resolv(&out, "{\"spec\":{\"hostNetwork\":true}}", "10.43.0.10"),
		   "search corp.example lab.example\nnameserver 192.0.2.53\nnameserver 192.0.2.54\noptions edns0 timeout:2\n");
	ASSERT(strstr(resolv(&out, "{\"spec\":{\"hostNetwork\":true,\"dnsPolicy\":\"ClusterFirstWithHostNet\"}}", "10.43.0.10"),
		      "nameserver 10.43.0.10\n") != NULL);
	/* no cluster DNS: the host's */
	ASSERT(strstr(resolv(&out, "{\"spec\":{}}", ""), "nameserver 192.0.2.53") != NULL);
	ASSERT_STR(resolv(&out, "{\"spec\":{\"dnsPolicy\":\"None\",\"dnsConfig\":{\"nameservers\":[\"1.1.1.1\"],"
				"\"searches\":[\"a.example\"],\"options\":[{\"name\":\"ndots\",\"value\":\"2\"},{\"name\":\"rotate\"}]}}}",
			  "10.43.0.10"),
		   "search a.example\nnameserver 1.1.1.1\noptions ndots:2 rotate\n");
	/* dnsConfig merges: options by name (ndots replaced), nameservers appended */
	ASSERT_STR(resolv(&out, "{\"metadata\":{\"namespace\":\"d\"},\"spec\":{\"dnsConfig\":{\"nameservers\":[\"1.1.1.1\"],"
				"\"options\":[{\"name\":\"ndots\",\"value\":\"1\"}]}}}",
			  "10.43.0.10"),
		   "search d.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\n"
		   "nameserver 10.43.0.10\nnameserver 1.1.1.1\noptions ndots:1\n");
	ASSERT_STR(resolv(&out, "{\"spec\":{\"dnsPolicy\":\"Bogus\"}}", "10.43.0.10"), "ERROR");
	/* a namespace that could not be a search word (the server never lets one through) adds no
	 * line of its own (found by fuzz-podspec) */
	ASSERT_STR(resolv(&out, "{\"metadata\":{\"namespace\":\"x\\n\\nnameserver 6.6.6.6\"},\"spec\":{}}",
			  "10.43.0.10"),
		   "search svc.cluster.local cluster.local corp.example lab.example\n"
		   "nameserver 10.43.0.10\noptions ndots:5\n");
	buf_release(&out);
	return 0;
}
