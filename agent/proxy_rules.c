/*
 * proxy_rules.c - computes the service proxy's nftables table from Services, EndpointSlices and
 * this node's pods, in the layout of upstream kube-proxy's nftables mode (KEP-3866).
 *
 * DESIGN
 * Base chains: nat-prerouting and nat-output (dstnat) jump to "services", nat-postrouting
 * (srcnat) to "masquerading" and then masquerades pod traffic leaving the cluster CIDR;
 * filter-input/forward/output (priority -110, before DNAT) send new connections through
 * "service-endpoints-check" and "nodeport-endpoints-check", which reject (ICMP port
 * unreachable: connection refused) what the maps no-endpoint-services / no-endpoint-nodeports
 * name. "services" looks up daddr . l4proto . dport in the verdict map service-ips (ClusterIPs
 * -> service-<port> chains; externalIPs and LoadBalancer ingress -> external-<port> chains) and
 * l4proto . dport in service-nodeports for every local address but loopback.
 * Per Service port, named "ns/name/proto/port" as upstream: service-... picks an endpoint
 * (ClientIP affinity first, through one dynamic set per endpoint updated by its chain, then a
 * uniform random choice: rule i of n matches numgen random mod (n - i) == 0; upstream's single
 * "numgen random mod n vmap { ... }" needs an anonymous map per Service, and the kernel's cost of
 * creating many anonymous sets in one table grows with their number: 10k Services took 215 s
 * against 5 s, see docs/benchmarks.md), external-...
 * applies externalTrafficPolicy, endpoint-...__ADDR/PORT marks hairpin traffic and DNATs.
 * Endpoints are the ready ones, or, when none is ready, the serving and terminating ones.
 * hostPorts of this node's pods: map "hostports" l4proto . port -> a DNAT chain per mapping.
 * Everything interpolated into rule text is checked first (IPv4 addresses, ports, DNS names).
 */
#include "agent/proxy_rules.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hmap.h"
#include "lib/json.h"
#include "lib/util.h"

#define MARK_CHAIN "mark-for-masquerade"
#define REJECT_CHAIN "reject-chain"

struct ep {
	char addr[16];
	int port;
	int local;
};

struct ctx {
	const struct proxy_input *in;
	struct nf_ruleset *rs;
	struct nf_set *ips, *nodeports, *noep, *noep_np, *hostports;
	struct hmap slices;       /* "ns/service" -> cJSON array of slices (borrowed items) */
	struct buf *warn;
};

static int ipv4_ok(const char *s)
{
	struct in_addr a;
	return s && inet_pton(AF_INET, s, &a) == 1;
}

/* A DNS label/subdomain-like name safe to put into a chain name. */
static int name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 63)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

static const char *proto_of(const cJSON *port)
{
	const char *p = json_str(port, "protocol");
	if (!p || strcmp(p, "TCP") == 0)
		return "tcp";
	if (strcmp(p, "UDP") == 0)
		return "udp";
	if (strcmp(p, "SCTP") == 0)
		return "sctp";
	return NULL;
}

static int port_of(const cJSON *obj, const char *key)
{
	int64_t v;
	return json_int(obj, key, &v) == 0 && v > 0 && v < 65536 ? (int)v : 0;
}

static void warnf(struct ctx *c, const char *fmt, const char *a, const char *b)
{
	if (c->warn)
		buf_addf(c->warn, fmt, a ? a : "", b ? b : "");
}

/* ---- the fixed part --------------------------------------------------------------------- */

static void base_chains(struct ctx *c)
{
	struct nf_ruleset *rs = c->rs;
	const char *cc = c->in->cluster_cidr, *sc = c->in->service_cidr;
	c->ips = nf_set_add(rs, "service-ips", "ipv4_addr . inet_proto . inet_service", 1, 0);
	c->nodeports = nf_set_add(rs, "service-nodeports", "inet_proto . inet_service", 1, 0);
	c->noep = nf_set_add(rs, "no-endpoint-services", "ipv4_addr . inet_proto . inet_service", 1, 0);
	c->noep_np = nf_set_add(rs, "no-endpoint-nodeports", "inet_proto . inet_service", 1, 0);
	c->hostports = nf_set_add(rs, "hostports", "inet_proto . inet_service", 1, 0);
	nf_rule_add(nf_chain_add(rs, "nat-prerouting", "nat", "prerouting", -100), "jump services");
	nf_rule_add(nf_chain_add(rs, "nat-output", "nat", "output", -100), "jump services");
	struct nf_chain *post = nf_chain_add(rs, "nat-postrouting", "nat", "postrouting", 100);
	nf_rule_add(post, "jump masquerading");
	if (cc)
		nf_rule_add(post, "ip saddr %s ip daddr != %s ip daddr != 224.0.0.0/4%s%s masquerade fully-random", cc, cc,
			    sc ? " ip daddr != " : "", sc ? sc : "");
	struct nf_chain *svc = nf_chain_add(rs, "services", NULL, NULL, 0);
	nf_rule_add(svc, "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @hostports");
	nf_rule_add(svc, "ip daddr . meta l4proto . th dport vmap @service-ips");
	nf_rule_add(svc, "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports");
	struct nf_chain *m = nf_chain_add(rs, "masquerading", NULL, NULL, 0);
	nf_rule_add(m, "meta mark & " PROXY_MASQ_MARK " == 0 return");
	nf_rule_add(m, "meta mark set meta mark ^ " PROXY_MASQ_MARK);
	nf_rule_add(m, "masquerade fully-random");
	nf_rule_add(nf_chain_add(rs, MARK_CHAIN, NULL, NULL, 0), "meta mark set meta mark | " PROXY_MASQ_MARK);
	nf_rule_add(nf_chain_add(rs, REJECT_CHAIN, NULL, NULL, 0), "reject");
	nf_rule_add(nf_chain_add(rs, "service-endpoints-check", NULL, NULL, 0),
		    "ip daddr . meta l4proto . th dport vmap @no-endpoint-services");
	nf_rule_add(nf_chain_add(rs, "nodeport-endpoints-check", NULL, NULL, 0),
		    "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports");
	static const char *const hooks[] = { "input", "forward", "output" };
	for (size_t i = 0; i < ARRAY_SIZE(hooks); i++) {
		char name[32];
		snprintf(name, sizeof(name), "filter-%s", hooks[i]);
		struct nf_chain *f = nf_chain_add(rs, name, "filter", hooks[i], -110);
		if (i == 0)
			nf_rule_add(f, "ct state new jump nodeport-endpoints-check");
		nf_rule_add(f, "ct state new jump service-endpoints-check");
	}
}

/* ---- endpoints -------------------------------------------------------------------------- */

/* The target port of service port sp in slice s: its ports[] entry of the same name and
 * protocol. Returns 0 when absent. */
static int slice_port(const cJSON *s, const cJSON *sp)
{
	const char *name = json_str(sp, "name"), *proto = proto_of(sp);
	const cJSON *p;
	cJSON_ArrayForEach(p, json_getv(s, "ports", NULL)) {
		const char *n = json_str(p, "name");
		if (strcmp(n ? n : "", name ? name : "") == 0 && proto_of(p) && strcmp(proto_of(p), proto) == 0)
			return port_of(p, "port");
	}
	return 0;
}

static int cond(const cJSON *e, const char *key, int dflt)
{
	const cJSON *v = json_getv(e, "conditions", key, NULL);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

/* Collects the usable endpoints of service port sp: ready ones, else serving and terminating
 * ones (upstream's fallback). Fills eps (at most max, deduplicated); returns the count. */
static size_t endpoints(struct ctx *c, const char *key, const cJSON *sp, struct ep *eps, size_t max)
{
	const cJSON *list = hmap_get(&c->slices, key), *s;
	size_t n = 0;
	for (int pass = 0; pass < 2 && n == 0; pass++) {
		cJSON_ArrayForEach(s, list) {
			int port = slice_port(s, sp);
			const cJSON *e;
			if (!port)
				continue;
			cJSON_ArrayForEach(e, json_getv(s, "endpoints", NULL)) {
				int ready = cond(e, "ready", 1), serving = cond(e, "serving", ready);
				int term = cond(e, "terminating", 0);
				const cJSON *a0 = cJSON_GetArrayItem(json_getv(e, "addresses", NULL), 0);
				const char *node = json_str(e, "nodeName");
				if (!(pass == 0 ? ready : serving && term) || !cJSON_IsString(a0) || !ipv4_ok(a0->valuestring))
					continue;
				int dup = 0;
				for (size_t i = 0; i < n; i++)
					dup |= strcmp(eps[i].addr, a0->valuestring) == 0 && eps[i].port == port;
				if (dup || n == max)
					continue;
				snprintf(eps[n].addr, sizeof(eps[n].addr), "%s", a0->valuestring);
				eps[n].port = port;
				eps[n].local = node && c->in->node_name && strcmp(node, c->in->node_name) == 0;
				n++;
			}
		}
	}
	return n;
}

/* Appends the endpoint choice among eps (local_only: only local ones) to chain ch; returns how
 * many endpoints it chose from. */
static size_t pick(struct nf_chain *ch, const char *base, const struct ep *eps, size_t n, int local_only,
		   int affinity)
{
	size_t m = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		m += !local_only || eps[i].local;
	for (size_t i = 0; affinity && i < n; i++)
		if (!local_only || eps[i].local)
			nf_rule_add(ch, "ip saddr @affinity-%s__%s/%d goto endpoint-%s__%s/%d", base, eps[i].addr,
				    eps[i].port, base, eps[i].addr, eps[i].port);
	for (size_t i = 0; i < n; i++) {
		if (local_only && !eps[i].local)
			continue;
		if (k + 1 < m)
			nf_rule_add(ch, "numgen random mod %zu == 0 goto endpoint-%s__%s/%d", m - k, base, eps[i].addr,
				    eps[i].port);
		else
			nf_rule_add(ch, "goto endpoint-%s__%s/%d", base, eps[i].addr, eps[i].port);
		k++;
	}
	return m;
}

static void endpoint_chains(struct ctx *c, const char *base, const char *proto, const struct ep *eps, size_t n,
			    unsigned affinity)
{
	for (size_t i = 0; i < n; i++) {
		char *name = xasprintf("endpoint-%s__%s/%d", base, eps[i].addr, eps[i].port);
		struct nf_chain *ch = nf_chain_add(c->rs, name, NULL, NULL, 0);
		if (ch->nrules == 0) {
			nf_rule_add(ch, "ip saddr %s jump " MARK_CHAIN, eps[i].addr);
			if (affinity) {
				char *set = xasprintf("affinity-%s", name + strlen("endpoint-"));
				nf_set_add(c->rs, set, "ipv4_addr", 0, affinity);
				nf_rule_add(ch, "update @%s { ip saddr }", set);
				free(set);
			}
			nf_rule_add(ch, "meta l4proto %s dnat to %s:%d", proto, eps[i].addr, eps[i].port);
		}
		free(name);
	}
}

/* ---- services --------------------------------------------------------------------------- */

struct svcport {
	const cJSON *svc, *sp;
	const char *ns, *name, *proto, *cip;
	char base[200];
	int port, nodeport;
	unsigned affinity;        /* ClientIP timeout in seconds, or 0 */
	int etp_local, itp_local;
};

/* The addresses that lead to the external chain: externalIPs and LoadBalancer ingress IPs. */
static void external_ips(struct ctx *c, const struct svcport *p, const char *verdict, struct nf_set *set)
{
	const cJSON *ip;
	char key[80];
	cJSON_ArrayForEach(ip, json_getv(p->svc, "spec", "externalIPs", NULL)) {
		if (cJSON_IsString(ip) && ipv4_ok(ip->valuestring)) {
			snprintf(key, sizeof(key), "%s . %s . %d", ip->valuestring, p->proto, p->port);
			nf_elem_add(set, key, verdict);
		}
	}
	cJSON_ArrayForEach(ip, json_getv(p->svc, "status", "loadBalancer", "ingress", NULL)) {
		const char *a = json_str(ip, "ip");
		if (ipv4_ok(a)) {
			snprintf(key, sizeof(key), "%s . %s . %d", a, p->proto, p->port);
			nf_elem_add(set, key, verdict);
		}
	}
	UNUSED(c);
}

/* The external chain (NodePorts, externalIPs, LoadBalancer) of p; returns whether it has a way
 * to an endpoint. */
static int external_chain(struct ctx *c, const struct svcport *p, const struct ep *eps, size_t n)
{
	char *name = xasprintf("external-%s", p->base);
	struct nf_chain *ch = nf_chain_add(c->rs, name, NULL, NULL, 0);
	free(name);
	if (!p->etp_local) {
		nf_rule_add(ch, "jump " MARK_CHAIN);
		nf_rule_add(ch, "goto service-%s", p->base);
		return 1;
	}
	if (c->in->cluster_cidr)
		nf_rule_add(ch, "ip saddr %s goto service-%s", c->in->cluster_cidr, p->base);
	nf_rule_add(ch, "fib saddr type local jump " MARK_CHAIN);
	nf_rule_add(ch, "fib saddr type local goto service-%s", p->base);
	if (pick(ch, p->base, eps, n, 1, p->affinity) == 0)
		nf_rule_add(ch, "drop");
	return 1;
}

static void service_port(struct ctx *c, struct svcport *p)
{
	struct ep eps[256];
	char key[80], *verdict;
	char *skey = xasprintf("%s/%s", p->ns, p->name);
	size_t n = endpoints(c, skey, p->sp, eps, ARRAY_SIZE(eps));
	free(skey);
	snprintf(key, sizeof(key), "%s . %s . %d", p->cip, p->proto, p->port);
	if (n == 0) {
		/* no endpoint at all: connections are refused */
		nf_elem_add(c->noep, key, "goto " REJECT_CHAIN);
		external_ips(c, p, "goto " REJECT_CHAIN, c->noep);
		if (p->nodeport) {
			snprintf(key, sizeof(key), "%s . %d", p->proto, p->nodeport);
			nf_elem_add(c->noep_np, key, "goto " REJECT_CHAIN);
		}
		return;
	}
	char *svc = xasprintf("service-%s", p->base);
	struct nf_chain *ch = nf_chain_add(c->rs, svc, NULL, NULL, 0);
	if (c->in->cluster_cidr)
		nf_rule_add(ch, "ip daddr %s meta l4proto %s th dport %d ip saddr != %s jump " MARK_CHAIN, p->cip, p->proto,
			    p->port, c->in->cluster_cidr);
	if (pick(ch, p->base, eps, n, p->itp_local, p->affinity) == 0)
		nf_rule_add(ch, "drop");
	endpoint_chains(c, p->base, p->proto, eps, n, p->affinity);
	verdict = xasprintf("goto %s", svc);
	nf_elem_add(c->ips, key, verdict);
	free(verdict);
	free(svc);
	const char *type = json_strv(p->svc, "spec", "type", NULL);
	int lb = type && strcmp(type, "LoadBalancer") == 0;
	if (!p->nodeport && !json_getv(p->svc, "spec", "externalIPs", NULL) && !lb)
		return;
	external_chain(c, p, eps, n);
	verdict = xasprintf("goto external-%s", p->base);
	external_ips(c, p, verdict, c->ips);
	if (p->nodeport) {
		snprintf(key, sizeof(key), "%s . %d", p->proto, p->nodeport);
		nf_elem_add(c->nodeports, key, verdict);
	}
	free(verdict);
}

static void service(struct ctx *c, const cJSON *svc)
{
	struct svcport p = { .svc = svc };
	const char *type = json_strv(svc, "spec", "type", NULL);
	p.ns = json_strv(svc, "metadata", "namespace", NULL);
	p.name = json_strv(svc, "metadata", "name", NULL);
	p.cip = json_strv(svc, "spec", "clusterIP", NULL);
	if (type && strcmp(type, "ExternalName") == 0)
		return;
	if (!p.cip || strcmp(p.cip, "None") == 0 || !*p.cip)
		return; /* headless */
	if (!name_ok(p.ns) || !name_ok(p.name) || !ipv4_ok(p.cip)) {
		warnf(c, "service %s/%s: bad name or clusterIP; ", p.ns, p.name);
		return;
	}
	if (c->in->dns_ip && strcmp(p.cip, c->in->dns_ip) == 0)
		return; /* the agent's own DNS server answers there */
	const char *aff = json_strv(svc, "spec", "sessionAffinity", NULL);
	int64_t timeout = 10800;
	if (aff && strcmp(aff, "ClientIP") == 0) {
		const cJSON *cfg = json_getv(svc, "spec", "sessionAffinityConfig", "clientIP", NULL);
		if (json_int(cfg, "timeoutSeconds", &timeout) < 0 || timeout < 1 || timeout > 86400)
			timeout = 10800;
		p.affinity = (unsigned)timeout;
	}
	const char *etp = json_strv(svc, "spec", "externalTrafficPolicy", NULL);
	const char *itp = json_strv(svc, "spec", "internalTrafficPolicy", NULL);
	p.etp_local = etp && strcmp(etp, "Local") == 0;
	p.itp_local = itp && strcmp(itp, "Local") == 0;
	const cJSON *sp;
	cJSON_ArrayForEach(sp, json_getv(svc, "spec", "ports", NULL)) {
		const char *pname = json_str(sp, "name");
		p.sp = sp;
		p.proto = proto_of(sp);
		p.port = port_of(sp, "port");
		p.nodeport = port_of(sp, "nodePort");
		if (!p.proto || !p.port || (pname && *pname && !name_ok(pname))) {
			warnf(c, "service %s/%s: bad port; ", p.ns, p.name);
			continue;
		}
		if (pname && *pname)
			snprintf(p.base, sizeof(p.base), "%s/%s/%s/%s", p.ns, p.name, p.proto, pname);
		else
			snprintf(p.base, sizeof(p.base), "%s/%s/%s/p%d", p.ns, p.name, p.proto, p.port);
		service_port(c, &p);
	}
}

/* Indexes the slices by "namespace/service-name" (IPv4 ones only). */
static void index_slices(struct ctx *c)
{
	for (size_t i = 0; i < c->in->nslices; i++) {
		const cJSON *s = c->in->slices[i];
		const char *ns = json_strv(s, "metadata", "namespace", NULL);
		const char *svc = json_strv(s, "metadata", "labels", "kubernetes.io/service-name", NULL);
		const char *at = json_str(s, "addressType");
		if (!ns || !svc || !at || strcmp(at, "IPv4"))
			continue;
		char *key = xasprintf("%s/%s", ns, svc);
		cJSON *list = hmap_get(&c->slices, key);
		if (!list) {
			list = cJSON_CreateArray();
			hmap_put(&c->slices, key, list);
		}
		/* a reference item: the array does not own the slice */
		cJSON_AddItemToArray(list, cJSON_CreateObjectReference(s->child));
		free(key);
	}
}

static int free_list(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cJSON_Delete(value);
	return 0;
}

/* hostPorts of the pods on this node: DNAT from the node's addresses to podIP:containerPort. */
static void hostports(struct ctx *c, const cJSON *pod)
{
	const char *ip = json_strv(pod, "status", "podIP", NULL);
	const char *ns = json_strv(pod, "metadata", "namespace", NULL), *name = json_strv(pod, "metadata", "name", NULL);
	const char *phase = json_strv(pod, "status", "phase", NULL);
	const cJSON *ctr, *port;
	if (!ipv4_ok(ip) || !name_ok(ns) || !name_ok(name) || json_getv(pod, "metadata", "deletionTimestamp", NULL) ||
	    (phase && (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0)))
		return;
	cJSON_ArrayForEach(ctr, json_getv(pod, "spec", "containers", NULL)) {
		cJSON_ArrayForEach(port, json_getv(ctr, "ports", NULL)) {
			int hp = port_of(port, "hostPort"), cp = port_of(port, "containerPort");
			const char *proto = proto_of(port);
			if (!hp || !cp || !proto)
				continue;
			char *chain = xasprintf("hostport-%s/%s/%s/%d", ns, name, proto, hp), key[40];
			struct nf_chain *ch = nf_chain_add(c->rs, chain, NULL, NULL, 0);
			if (ch->nrules == 0) {
				nf_rule_add(ch, "ip saddr %s jump " MARK_CHAIN, ip);
				nf_rule_add(ch, "fib saddr type local jump " MARK_CHAIN);
				nf_rule_add(ch, "meta l4proto %s dnat to %s:%d", proto, ip, cp);
			}
			snprintf(key, sizeof(key), "%s . %d", proto, hp);
			char *verdict = xasprintf("goto %s", chain);
			nf_elem_add(c->hostports, key, verdict);
			free(verdict);
			free(chain);
		}
	}
}

struct nf_ruleset *proxy_rules_build(const struct proxy_input *in, struct buf *warn)
{
	struct ctx c = { .in = in, .warn = warn };
	c.rs = nf_ruleset_new(in->table);
	base_chains(&c);
	index_slices(&c);
	for (size_t i = 0; i < in->nservices; i++)
		service(&c, in->services[i]);
	for (size_t i = 0; i < in->npods; i++)
		hostports(&c, in->pods[i]);
	hmap_each(&c.slices, free_list, NULL);
	hmap_release(&c.slices);
	return c.rs;
}
