/* Unit tests for agent/proxy_rules.c: Services, EndpointSlices and pods -> the nftables model
 * (chains, maps and their elements as upstream's nftables mode lays them out). */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "agent/proxy_rules.h"

/* Parses JSON written with ' for " (test fixtures only). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	return j;
}

static const char *SVC =
	"{'metadata':{'namespace':'ns','name':'web'},'spec':{'clusterIP':'10.43.0.5','type':'NodePort',"
	"'externalIPs':['192.0.2.7'],'ports':[{'name':'http','port':80,'nodePort':30080,'protocol':'TCP'}]}}";
static const char *SLICE =
	"{'metadata':{'namespace':'ns','name':'web-1','labels':{'kubernetes.io/service-name':'web'}},"
	"'addressType':'IPv4','ports':[{'name':'http','port':8080,'protocol':'TCP'}],'endpoints':["
	"{'addresses':['10.42.0.7'],'conditions':{'ready':true},'nodeName':'n1'},"
	"{'addresses':['10.42.1.8'],'conditions':{'ready':true},'nodeName':'n2'},"
	"{'addresses':['10.42.1.9'],'conditions':{'ready':false,'serving':true,'terminating':true}}]}";

static struct nf_ruleset *build(const char *const *svcs, size_t ns, const char *const *slices, size_t nsl,
				const char *pod)
{
	const cJSON *s[8], *e[8], *p[1];
	for (size_t i = 0; i < ns; i++)
		s[i] = js(svcs[i]);
	for (size_t i = 0; i < nsl; i++)
		e[i] = js(slices[i]);
	p[0] = pod ? js(pod) : NULL;
	struct proxy_input in = { "kt1", "n1", "10.42.0.0/16", "10.43.0.0/16", "10.43.0.10", s, ns, e, nsl, p, pod ? 1 : 0 };
	struct nf_ruleset *rs = proxy_rules_build(&in, NULL);
	for (size_t i = 0; i < ns; i++)
		cJSON_Delete((cJSON *)s[i]);
	for (size_t i = 0; i < nsl; i++)
		cJSON_Delete((cJSON *)e[i]);
	cJSON_Delete((cJSON *)p[0]);
	return rs;
}

static const char *elem(struct nf_ruleset *rs, const char *set, const char *key)
{
	struct nf_set *s = nf_set_get(rs, set);
	return s ? hmap_get(&s->elems, key) : NULL;
}

static const char *chain(struct nf_ruleset *rs, const char *name)
{
	struct nf_chain *c = nf_chain_get(rs, name);
	return c ? nf_chain_text(c) : NULL;
}

TEST_IMPL(proxy_clusterip_nodeport_external)
{
	const char *svcs[] = { SVC }, *slices[] = { SLICE };
	struct nf_ruleset *rs = build(svcs, 1, slices, 1, NULL);
	ASSERT_STR(elem(rs, "service-ips", "10.43.0.5 . tcp . 80"), "goto service-ns/web/tcp/http");
	ASSERT_STR(elem(rs, "service-ips", "192.0.2.7 . tcp . 80"), "goto external-ns/web/tcp/http");
	ASSERT_STR(elem(rs, "service-nodeports", "tcp . 30080"), "goto external-ns/web/tcp/http");
	/* ready endpoints only (the terminating one is a fallback), chosen uniformly */
	ASSERT_STR(chain(rs, "service-ns/web/tcp/http"),
		   "ip daddr 10.43.0.5 meta l4proto tcp th dport 80 ip saddr != 10.42.0.0/16 jump mark-for-masquerade\n"
		   "numgen random mod 2 == 0 goto endpoint-ns/web/tcp/http__10.42.0.7/8080\n"
		   "goto endpoint-ns/web/tcp/http__10.42.1.8/8080\n");
	ASSERT_STR(chain(rs, "endpoint-ns/web/tcp/http__10.42.1.8/8080"),
		   "ip saddr 10.42.1.8 jump mark-for-masquerade\nmeta l4proto tcp dnat to 10.42.1.8:8080\n");
	ASSERT_STR(chain(rs, "external-ns/web/tcp/http"), "jump mark-for-masquerade\ngoto service-ns/web/tcp/http\n");
	ASSERT(!nf_chain_get(rs, "endpoint-ns/web/tcp/http__10.42.1.9/8080"));
	ASSERT_EQ(nf_set_get(rs, "no-endpoint-services")->elems.n, 0);
	/* every rule compiles */
	struct buf out = BUF_INIT, err = BUF_INIT;
	for (size_t b = 0; b < rs->chains.nbuckets; b++)
		for (struct hmap_entry *e = rs->chains.buckets[b]; e; e = e->next) {
			struct nf_chain *c = e->value;
			for (size_t i = 0; i < c->nrules; i++)
				if (nf_check_rule(c->rules[i], &err) < 0)
					FAIL("%s", buf_str(&err));
		}
	buf_release(&out);
	buf_release(&err);
	nf_ruleset_free(rs);
	return 0;
}

TEST_IMPL(proxy_no_endpoints_and_fallback)
{
	const char *svcs[] = { SVC }, *slices[] = {
		"{'metadata':{'namespace':'ns','name':'web-1','labels':{'kubernetes.io/service-name':'web'}},"
		"'addressType':'IPv4','ports':[{'name':'http','port':8080}],'endpoints':["
		"{'addresses':['10.42.1.9'],'conditions':{'ready':false,'serving':true,'terminating':true}}]}",
	};
	struct nf_ruleset *rs = build(svcs, 1, NULL, 0, NULL);
	ASSERT_STR(elem(rs, "no-endpoint-services", "10.43.0.5 . tcp . 80"), "goto reject-chain");
	ASSERT_STR(elem(rs, "no-endpoint-services", "192.0.2.7 . tcp . 80"), "goto reject-chain");
	ASSERT_STR(elem(rs, "no-endpoint-nodeports", "tcp . 30080"), "goto reject-chain");
	ASSERT(!elem(rs, "service-ips", "10.43.0.5 . tcp . 80"));
	nf_ruleset_free(rs);
	/* serving and terminating endpoints are used when none is ready */
	rs = build(svcs, 1, slices, 1, NULL);
	ASSERT_STR(chain(rs, "service-ns/web/tcp/http"),
		   "ip daddr 10.43.0.5 meta l4proto tcp th dport 80 ip saddr != 10.42.0.0/16 jump mark-for-masquerade\n"
		   "goto endpoint-ns/web/tcp/http__10.42.1.9/8080\n");
	nf_ruleset_free(rs);
	return 0;
}

TEST_IMPL(proxy_affinity_and_local_policy)
{
	const char *svcs[] = {
		"{'metadata':{'namespace':'ns','name':'web'},'spec':{'clusterIP':'10.43.0.5','type':'LoadBalancer',"
		"'sessionAffinity':'ClientIP','sessionAffinityConfig':{'clientIP':{'timeoutSeconds':60}},"
		"'externalTrafficPolicy':'Local','ports':[{'name':'http','port':80,'nodePort':30080}]},"
		"'status':{'loadBalancer':{'ingress':[{'ip':'192.0.2.9'}]}}}",
	};
	const char *slices[] = { SLICE };
	struct nf_ruleset *rs = build(svcs, 1, slices, 1, NULL);
	struct nf_set *aff = nf_set_get(rs, "affinity-ns/web/tcp/http__10.42.0.7/8080");
	ASSERT(aff && aff->timeout_s == 60);
	ASSERT_STR(elem(rs, "service-ips", "192.0.2.9 . tcp . 80"), "goto external-ns/web/tcp/http");
	ASSERT_STR(chain(rs, "external-ns/web/tcp/http"),
		   "ip saddr 10.42.0.0/16 goto service-ns/web/tcp/http\n"
		   "fib saddr type local jump mark-for-masquerade\n"
		   "fib saddr type local goto service-ns/web/tcp/http\n"
		   "ip saddr @affinity-ns/web/tcp/http__10.42.0.7/8080 goto endpoint-ns/web/tcp/http__10.42.0.7/8080\n"
		   "goto endpoint-ns/web/tcp/http__10.42.0.7/8080\n");
	ASSERT_STR(chain(rs, "endpoint-ns/web/tcp/http__10.42.0.7/8080"),
		   "ip saddr 10.42.0.7 jump mark-for-masquerade\n"
		   "update @affinity-ns/web/tcp/http__10.42.0.7/8080 { ip saddr }\n"
		   "meta l4proto tcp dnat to 10.42.0.7:8080\n");
	nf_ruleset_free(rs);
	return 0;
}

TEST_IMPL(proxy_skips_headless_externalname_and_bad_input)
{
	const char *svcs[] = {
		"{'metadata':{'namespace':'ns','name':'h'},'spec':{'clusterIP':'None','ports':[{'port':80}]}}",
		"{'metadata':{'namespace':'ns','name':'x'},'spec':{'type':'ExternalName','externalName':'a.b'}}",
		"{'metadata':{'namespace':'ns','name':'bad name'},'spec':{'clusterIP':'10.43.0.9','ports':[{'port':80}]}}",
		"{'metadata':{'namespace':'ns','name':'p'},'spec':{'clusterIP':'10.43.0.8; drop','ports':[{'port':80}]}}",
		"{'metadata':{'namespace':'kube-system','name':'kube-dns'},'spec':{'clusterIP':'10.43.0.10',"
		"'ports':[{'port':53,'protocol':'UDP'}]}}",
		"{'metadata':{'namespace':'ns','name':'q'},'spec':{'clusterIP':'10.43.0.7','ports':[{'port':0},"
		"{'port':'x'},{'port':53,'protocol':'UDP'}]}}",
		"[]",
	};
	struct nf_ruleset *rs = build(svcs, ARRAY_SIZE(svcs), NULL, 0, NULL);
	ASSERT_EQ(nf_set_get(rs, "no-endpoint-services")->elems.n, 1);
	ASSERT_STR(elem(rs, "no-endpoint-services", "10.43.0.7 . udp . 53"), "goto reject-chain");
	nf_ruleset_free(rs);
	return 0;
}

TEST_IMPL(proxy_hostports_and_masquerade)
{
	const char *pod = "{'metadata':{'namespace':'ns','name':'p1'},'spec':{'containers':[{'name':'c','ports':["
			  "{'containerPort':80,'hostPort':8081},{'containerPort':53,'hostPort':5353,'protocol':'UDP'},"
			  "{'containerPort':90}]}]},'status':{'podIP':'10.42.0.9','phase':'Running'}}";
	struct nf_ruleset *rs = build(NULL, 0, NULL, 0, pod);
	ASSERT_STR(elem(rs, "hostports", "tcp . 8081"), "goto hostport-ns/p1/tcp/8081");
	ASSERT_STR(elem(rs, "hostports", "udp . 5353"), "goto hostport-ns/p1/udp/5353");
	ASSERT_EQ(nf_set_get(rs, "hostports")->elems.n, 2);
	ASSERT_STR(chain(rs, "hostport-ns/p1/udp/5353"),
		   "ip saddr 10.42.0.9 jump mark-for-masquerade\nfib saddr type local jump mark-for-masquerade\n"
		   "meta l4proto udp dnat to 10.42.0.9:53\n");
	ASSERT_STR(chain(rs, "nat-postrouting"),
		   "type nat hook postrouting priority 100\njump masquerading\n"
		   "ip saddr 10.42.0.0/16 ip daddr != 10.42.0.0/16 ip daddr != 224.0.0.0/4 ip daddr != 10.43.0.0/16 "
		   "masquerade fully-random\n");
	nf_ruleset_free(rs);
	return 0;
}
