/*
 * dns_zone.c - the cluster zone: answers for <domain> and for reverse names of Services and
 * endpoints, as CoreDNS's kubernetes plugin gives them (the Kubernetes DNS specification).
 *
 * DESIGN: the zone keeps its own small index, updated on every Service and EndpointSlice change,
 * so that a query costs a few hash lookups and never a scan of the cluster:
 * - groups: "<svc>.<ns>" -> struct zgroup: the Service (kind, IPv4 ClusterIPs, ports,
 *   externalName) and the list of its EndpointSlices (a slice may come before its Service);
 * - slices: "<ns>/<name>" -> struct zslice: the IPv4 endpoints (address, hostname, ready) and
 *   ports of one EndpointSlice, linked into its group;
 * - namespaces: "<ns>" -> how many Services it holds (so "<ns>.svc.<domain>" exists);
 * - reverse: "a.b.c.d" -> the names pointing at that address (ClusterIPs: the Service's name;
 *   endpoint addresses: "<hostname or a-b-c-d>.<svc>.<ns>.svc.<domain>").
 * Everything is parsed out of the API objects at change time (they are not kept). Pod names
 * (<a-b-c-d>.<ns>.pod.<domain>) are answered from the name itself, as CoreDNS's default "pods
 * insecure" does. Names are matched lowercased.
 */
#include "agent/dns.h"
#include "lib/hmap.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum zkind { ZS_CLUSTERIP, ZS_HEADLESS, ZS_EXTERNAL };

struct zport {
	char name[64];   /* lowercased; "" when unnamed */
	char proto[8];   /* "tcp", "udp", "sctp" */
	uint16_t port;
};

struct zsvc {
	enum zkind kind;
	uint8_t (*ips)[4];
	size_t nips;
	char *external;         /* ExternalName target */
	struct zport *ports;
	size_t nports;
};

struct zep {
	uint8_t ip[4];
	char label[64];          /* the hostname, or the dashed address */
	int ready;
};

struct zslice {
	char *group;             /* its group's key */
	struct zep *eps;
	size_t neps;
	struct zport *ports;
	size_t nports;
	struct zslice *next;     /* in the group */
};

struct zgroup {
	char *name, *ns;         /* lowercased */
	struct zsvc *svc;        /* NULL until the Service is known */
	struct zslice *slices;
};

struct zrev {
	char *name;
	struct zrev *next;
};

struct dns_zone {
	char *domain;
	uint32_t serial;
	struct hmap groups, slices, namespaces, reverse;
};

struct dns_zone *dns_zone_new(const char *domain, uint32_t serial)
{
	struct dns_zone *z = xcalloc(1, sizeof(*z));
	z->domain = xstrdup(domain && *domain ? domain : "cluster.local");
	for (char *p = z->domain; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	size_t n = strlen(z->domain);
	if (n && z->domain[n - 1] == '.')
		z->domain[n - 1] = 0;
	z->serial = serial;
	return z;
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);
	for (char *p = d; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	return d;
}

/* ---- the reverse index ------------------------------------------------------------------- */

static void rev_key(const uint8_t ip[4], char key[16])
{
	snprintf(key, 16, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

static void rev_add(struct dns_zone *z, const uint8_t ip[4], char *name)
{
	char key[16];
	rev_key(ip, key);
	struct zrev *r = xmalloc(sizeof(*r));
	r->name = name;
	r->next = hmap_get(&z->reverse, key);
	hmap_put(&z->reverse, key, r);
}

static void rev_del(struct dns_zone *z, const uint8_t ip[4], const char *name)
{
	char key[16];
	rev_key(ip, key);
	struct zrev *head = hmap_get(&z->reverse, key), **pp = &head;
	for (; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->name, name) == 0) {
			struct zrev *r = *pp;
			*pp = r->next;
			free(r->name);
			free(r);
			break;
		}
	}
	if (head)
		hmap_put(&z->reverse, key, head);
	else
		hmap_del(&z->reverse, key);
}

/* The names of a group's Service and endpoints, for the reverse index. */
static char *svc_fqdn(const struct dns_zone *z, const struct zgroup *g)
{
	return xasprintf("%s.%s.svc.%s", g->name, g->ns, z->domain);
}

static char *ep_fqdn(const struct dns_zone *z, const struct zgroup *g, const struct zep *e)
{
	return xasprintf("%s.%s.%s.svc.%s", e->label, g->name, g->ns, z->domain);
}

static void rev_service(struct dns_zone *z, const struct zgroup *g, int add)
{
	for (size_t i = 0; g->svc && i < g->svc->nips; i++) {
		char *n = svc_fqdn(z, g);
		if (add)
			rev_add(z, g->svc->ips[i], n);
		else
			rev_del(z, g->svc->ips[i], n), free(n);
	}
}

static void rev_slice(struct dns_zone *z, const struct zgroup *g, const struct zslice *s, int add)
{
	for (size_t i = 0; i < s->neps; i++) {
		char *n = ep_fqdn(z, g, &s->eps[i]);
		if (add)
			rev_add(z, s->eps[i].ip, n);
		else
			rev_del(z, s->eps[i].ip, n), free(n);
	}
}

/* ---- groups ------------------------------------------------------------------------------ */

static struct zgroup *group_get(struct dns_zone *z, const char *ns, const char *name, int create)
{
	char *key = xasprintf("%s.%s", name, ns);
	for (char *p = key; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	struct zgroup *g = hmap_get(&z->groups, key);
	if (!g && create) {
		g = xcalloc(1, sizeof(*g));
		g->name = lower_dup(name);
		g->ns = lower_dup(ns);
		hmap_put(&z->groups, key, g);
	}
	free(key);
	return g;
}

static void group_maybe_free(struct dns_zone *z, struct zgroup *g)
{
	if (g->svc || g->slices)
		return;
	char *key = xasprintf("%s.%s", g->name, g->ns);
	hmap_del(&z->groups, key);
	free(key);
	free(g->name);
	free(g->ns);
	free(g);
}

static void ns_count(struct dns_zone *z, const char *ns, int delta)
{
	char *k = lower_dup(ns);
	intptr_t n = (intptr_t)hmap_get(&z->namespaces, k) + delta;
	if (n > 0)
		hmap_put(&z->namespaces, k, (void *)n);
	else
		hmap_del(&z->namespaces, k);
	free(k);
}

/* ---- Services ---------------------------------------------------------------------------- */

/* Reads a port list (Service spec.ports or EndpointSlice ports): name, protocol, port (the
 * Service's port, or the slice's target port). */
static void parse_ports(const cJSON *list, struct zport **out, size_t *n)
{
	int cnt = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
	*out = cnt > 0 ? xcalloc((size_t)cnt, sizeof(**out)) : NULL;
	*n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, (cJSON_IsArray(list) ? list : NULL)) {
		int64_t port;
		const char *name = json_str(it, "name"), *proto = json_str(it, "protocol");
		if (json_int(it, "port", &port) < 0 || port < 1 || port > 65535)
			continue;
		struct zport *p = &(*out)[(*n)++];
		snprintf(p->name, sizeof(p->name), "%s", name && strlen(name) < 64 ? name : "");
		snprintf(p->proto, sizeof(p->proto), "%s", proto && strlen(proto) < 8 ? proto : "TCP");
		for (char *c = p->name; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		for (char *c = p->proto; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		p->port = (uint16_t)port;
	}
}

static void svc_free(struct zsvc *s)
{
	if (!s)
		return;
	free(s->ips);
	free(s->external);
	free(s->ports);
	free(s);
}

/* The DNS view of a Service, or NULL when it has none (no name, no ClusterIP yet). */
static struct zsvc *svc_parse(const cJSON *obj)
{
	const cJSON *spec = json_obj(obj, "spec");
	const char *type = json_str(spec, "type"), *cip = json_str(spec, "clusterIP");
	struct zsvc *s = xcalloc(1, sizeof(*s));
	if (type && strcmp(type, "ExternalName") == 0) {
		const char *ext = json_str(spec, "externalName");
		if (!ext || !*ext || strlen(ext) > 253)
			return svc_free(s), NULL;
		s->kind = ZS_EXTERNAL;
		s->external = lower_dup(ext);
		size_t n = strlen(s->external);
		if (s->external[n - 1] == '.')
			s->external[n - 1] = 0;
	} else if (cip && strcmp(cip, "None") == 0) {
		s->kind = ZS_HEADLESS;
	} else {
		const cJSON *ips = cJSON_GetObjectItemCaseSensitive(spec, "clusterIPs"), *it;
		s->ips = xcalloc((size_t)cJSON_GetArraySize(ips) + 1, 4);
		cJSON_ArrayForEach(it, (cJSON_IsArray(ips) ? ips : NULL))
			if (cJSON_IsString(it) && dns_ipv4(it->valuestring, s->ips[s->nips]) == 0)
				s->nips++;
		if (!s->nips && dns_ipv4(cip, s->ips[0]) == 0)
			s->nips = 1;
		if (!cip || !*cip)
			return svc_free(s), NULL;
	}
	parse_ports(cJSON_GetObjectItemCaseSensitive(spec, "ports"), &s->ports, &s->nports);
	return s;
}

static int obj_names(const cJSON *obj, const char **ns, const char **name)
{
	*ns = json_strv(obj, "metadata", "namespace", NULL);
	*name = json_strv(obj, "metadata", "name", NULL);
	return *ns && *name && **ns && **name && strlen(*ns) < 64 && strlen(*name) < 64 ? 0 : -1;
}

void dns_zone_service(struct dns_zone *z, const cJSON *old, const cJSON *obj)
{
	const char *ns, *name;
	if (old && obj_names(old, &ns, &name) == 0) {
		struct zgroup *g = group_get(z, ns, name, 0);
		if (g && g->svc) {
			rev_service(z, g, 0);
			svc_free(g->svc);
			g->svc = NULL;
			ns_count(z, ns, -1);
			group_maybe_free(z, g);
		}
	}
	if (!obj || obj_names(obj, &ns, &name) < 0)
		return;
	struct zsvc *s = svc_parse(obj);
	if (!s)
		return;
	struct zgroup *g = group_get(z, ns, name, 1);
	if (g->svc) { /* an add for a Service already known (a re-list) */
		rev_service(z, g, 0);
		svc_free(g->svc);
		ns_count(z, ns, -1);
	}
	g->svc = s;
	ns_count(z, ns, 1);
	rev_service(z, g, 1);
}

/* ---- EndpointSlices ---------------------------------------------------------------------- */

static void slice_free(struct zslice *s)
{
	free(s->group);
	free(s->eps);
	free(s->ports);
	free(s);
}

/* Reads the IPv4 endpoints of a slice (the first address of each). */
static void parse_endpoints(const cJSON *list, struct zslice *s)
{
	int cnt = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
	s->eps = cnt > 0 ? xcalloc((size_t)cnt, sizeof(*s->eps)) : NULL;
	const cJSON *it;
	cJSON_ArrayForEach(it, (cnt > 0 ? list : NULL)) {
		const cJSON *addrs = cJSON_GetObjectItemCaseSensitive(it, "addresses");
		const cJSON *a0 = cJSON_GetArrayItem(addrs, 0);
		const cJSON *ready = json_getv(it, "conditions", "ready", NULL);
		const char *host = json_str(it, "hostname");
		struct zep *e = &s->eps[s->neps];
		if (!cJSON_IsString(a0) || dns_ipv4(a0->valuestring, e->ip) < 0)
			continue;
		if (host && *host && strlen(host) < 64 && !strchr(host, '.'))
			snprintf(e->label, sizeof(e->label), "%s", host);
		else
			snprintf(e->label, sizeof(e->label), "%u-%u-%u-%u", e->ip[0], e->ip[1], e->ip[2], e->ip[3]);
		for (char *c = e->label; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		e->ready = !ready || cJSON_IsNull(ready) || cJSON_IsTrue(ready); /* nil means ready */
		s->neps++;
	}
}

static void slice_unlink(struct dns_zone *z, const char *key)
{
	struct zslice *s = hmap_del(&z->slices, key);
	if (!s)
		return;
	struct zgroup *g = hmap_get(&z->groups, s->group);
	if (g) {
		rev_slice(z, g, s, 0);
		for (struct zslice **pp = &g->slices; *pp; pp = &(*pp)->next)
			if (*pp == s) {
				*pp = s->next;
				break;
			}
		group_maybe_free(z, g);
	}
	slice_free(s);
}

void dns_zone_slice(struct dns_zone *z, const cJSON *old, const cJSON *obj)
{
	const char *ns, *name, *svc;
	if (old && obj_names(old, &ns, &name) == 0) {
		char *key = xasprintf("%s/%s", ns, name);
		slice_unlink(z, key);
		free(key);
	}
	if (!obj || obj_names(obj, &ns, &name) < 0)
		return;
	char *key = xasprintf("%s/%s", ns, name);
	slice_unlink(z, key); /* an add for a slice already known (a re-list) */
	svc = json_strv(obj, "metadata", "labels", "kubernetes.io/service-name", NULL);
	const char *family = json_str(obj, "addressType");
	if (svc && *svc && strlen(svc) < 64 && family && strcmp(family, "IPv4") == 0) {
		struct zgroup *g = group_get(z, ns, svc, 1);
		struct zslice *s = xcalloc(1, sizeof(*s));
		s->group = xasprintf("%s.%s", g->name, g->ns);
		parse_endpoints(cJSON_GetObjectItemCaseSensitive(obj, "endpoints"), s);
		parse_ports(cJSON_GetObjectItemCaseSensitive(obj, "ports"), &s->ports, &s->nports);
		s->next = g->slices;
		g->slices = s;
		hmap_put(&z->slices, key, s);
		rev_slice(z, g, s, 1);
	}
	free(key);
}

static int count_svc(const char *k, void *v, void *d)
{
	UNUSED(k);
	if (((struct zgroup *)v)->svc)
		(*(size_t *)d)++;
	return 0;
}

size_t dns_zone_services(const struct dns_zone *z)
{
	size_t n = 0;
	hmap_each(&z->groups, count_svc, &n);
	return n;
}

/* ---- answering --------------------------------------------------------------------------- */

#define ZMAX_RECORDS 1024 /* records gathered for one answer (more never fit in 64 KiB) */

/* An SRV record being gathered: its target, port and the address for the additional section. */
struct zsrv {
	char *target;
	uint16_t port;
	uint8_t ip[4];
};

struct zans {
	const struct dns_zone *z;
	const struct dns_query *q;
	struct dns_builder b;
	struct zsrv *srv;
	size_t nsrv;
};

static int wants(const struct zans *a, uint16_t type)
{
	return a->q->qtype == type || (a->q->qtype == DNS_T_ANY && type != DNS_T_SRV);
}

static void add_a(struct zans *a, enum dns_section sec, const char *name, const uint8_t ip[4])
{
	struct dns_rdata rd = { .data = ip };
	dns_add(&a->b, sec, name, DNS_T_A, DNS_TTL, &rd);
}

static void srv_push(struct zans *a, char *target, uint16_t port, const uint8_t ip[4])
{
	if (a->nsrv == ZMAX_RECORDS) {
		free(target);
		return;
	}
	if (!a->srv)
		a->srv = xcalloc(ZMAX_RECORDS, sizeof(*a->srv));
	a->srv[a->nsrv].target = target;
	a->srv[a->nsrv].port = port;
	memcpy(a->srv[a->nsrv].ip, ip, 4);
	a->nsrv++;
}

/* Writes the gathered SRV records (weights share 100 as CoreDNS does) and their addresses. */
static void srv_flush(struct zans *a)
{
	uint16_t weight = (uint16_t)(a->nsrv ? (100 / a->nsrv ? 100 / a->nsrv : 1) : 0);
	for (size_t i = 0; i < a->nsrv; i++) {
		struct dns_rdata rd = { .target = a->srv[i].target, .prio = 0, .weight = weight, .port = a->srv[i].port };
		dns_add(&a->b, DNS_ANSWER, a->q->name, DNS_T_SRV, DNS_TTL, &rd);
	}
	for (size_t i = 0; i < a->nsrv; i++) {
		int dup = 0;
		for (size_t j = 0; j < i && !dup && j < 64; j++)
			dup = strcmp(a->srv[j].target, a->srv[i].target) == 0;
		if (!dup)
			add_a(a, DNS_ADDITIONAL, a->srv[i].target, a->srv[i].ip);
	}
	for (size_t i = 0; i < a->nsrv; i++)
		free(a->srv[i].target);
	free(a->srv);
	a->srv = NULL;
	a->nsrv = 0;
}

/* Whether port p matches the "_name" and "_proto" labels (NULL: any port). */
static int port_match(const struct zport *p, const char *lname, const char *lproto)
{
	if (!lname)
		return 1;
	return p->name[0] && strcmp(p->name, lname + 1) == 0 && strcmp(p->proto, lproto + 1) == 0;
}

/* A ClusterIP Service: A records of its ClusterIPs, SRV records of its ports. Returns whether the
 * name exists (with port labels: whether such a port exists). */
static int answer_clusterip(struct zans *a, const struct zgroup *g, const char *lname, const char *lproto)
{
	const struct zsvc *s = g->svc;
	int found = 0;
	for (size_t i = 0; i < s->nports; i++) {
		if (!port_match(&s->ports[i], lname, lproto))
			continue;
		found = 1;
		if (wants(a, DNS_T_SRV) && s->nips)
			srv_push(a, svc_fqdn(a->z, g), s->ports[i].port, s->ips[0]);
	}
	if (lname && !found)
		return 0;
	if (wants(a, DNS_T_A))
		for (size_t i = 0; i < s->nips; i++)
			add_a(a, DNS_ANSWER, a->q->name, s->ips[i]);
	srv_flush(a);
	return 1;
}

/* Whether ip is among the first n of added (an address listed by two slices is answered once;
 * past 256 addresses the check is skipped, as such an answer only fits over TCP anyway). */
static int seen(uint8_t (*added)[4], size_t n, const uint8_t ip[4])
{
	for (size_t i = 0; i < n && n <= 256; i++)
		if (memcmp(added[i], ip, 4) == 0)
			return 1;
	return 0;
}

/* A headless Service (or one of its endpoints when label is set): the ready endpoints. */
static int answer_headless(struct zans *a, const struct zgroup *g, const char *label, const char *lname,
			   const char *lproto)
{
	int found = !label && !lname;
	size_t nadded = 0;
	uint8_t added[ZMAX_RECORDS][4];
	for (const struct zslice *s = g->slices; s; s = s->next) {
		for (size_t i = 0; i < s->neps; i++) {
			const struct zep *e = &s->eps[i];
			if (!e->ready || (label && strcmp(label, e->label) != 0))
				continue;
			int port_ok = !lname;
			for (size_t k = 0; k < s->nports; k++) {
				if (!port_match(&s->ports[k], lname, lproto))
					continue;
				port_ok = 1;
				if (wants(a, DNS_T_SRV))
					srv_push(a, ep_fqdn(a->z, g, e), s->ports[k].port, e->ip);
			}
			if (!port_ok)
				continue;
			found = 1;
			if (wants(a, DNS_T_A) && !seen(added, nadded, e->ip) && nadded < ZMAX_RECORDS) {
				memcpy(added[nadded++], e->ip, 4);
				add_a(a, DNS_ANSWER, a->q->name, e->ip);
			}
		}
	}
	srv_flush(a);
	return found;
}

/* Names under "svc": labels l[0..n) without the final "svc". */
static int answer_svc(struct zans *a, char **l, size_t n)
{
	if (n == 0)
		return 1; /* svc.<domain> */
	if (n == 1)
		return hmap_get(&a->z->namespaces, l[0]) != NULL;
	char key[160]; /* two labels of at most 63 characters */
	snprintf(key, sizeof(key), "%s.%s", l[n - 2], l[n - 1]);
	const struct zgroup *g = hmap_get(&a->z->groups, key);
	if (!g || !g->svc || n > 4)
		return 0;
	const struct zsvc *s = g->svc;
	if (s->kind == ZS_EXTERNAL) {
		if (n > 2)
			return 0;
		struct dns_rdata rd = { .target = s->external };
		dns_add(&a->b, DNS_ANSWER, a->q->name, DNS_T_CNAME, DNS_TTL, &rd);
		return 1;
	}
	const char *lname = n == 4 ? l[0] : NULL, *lproto = n == 4 ? l[1] : NULL;
	if (lname && (lname[0] != '_' || lproto[0] != '_'))
		return 0;
	if (s->kind == ZS_HEADLESS)
		return answer_headless(a, g, n == 3 ? l[0] : NULL, lname, lproto);
	return n == 3 ? 0 : answer_clusterip(a, g, lname, lproto);
}

/* <a-b-c-d>.<ns>.pod.<domain>: the address spelled by the name. */
static int answer_pod(struct zans *a, char **l, size_t n)
{
	if (n == 0)
		return 1;
	if (n != 2)
		return 0;
	char dotted[64];
	uint8_t ip[4];
	snprintf(dotted, sizeof(dotted), "%s", l[0]);
	for (char *c = dotted; *c; c++)
		if (*c == '-')
			*c = '.';
	if (dns_ipv4(dotted, ip) < 0)
		return 0;
	if (wants(a, DNS_T_A))
		add_a(a, DNS_ANSWER, a->q->name, ip);
	return 1;
}

static void add_soa(struct zans *a, enum dns_section sec)
{
	char *mname = xasprintf("ns.dns.%s", a->z->domain), *rname = xasprintf("hostmaster.%s", a->z->domain);
	struct dns_rdata rd = { .target = mname, .target2 = rname, .serial = a->z->serial };
	dns_add(&a->b, sec, a->z->domain, DNS_T_SOA, DNS_TTL, &rd);
	free(mname);
	free(rname);
}

/* The zone apex: SOA and NS records. */
static int answer_apex(struct zans *a)
{
	if (wants(a, DNS_T_SOA))
		add_soa(a, DNS_ANSWER);
	if (wants(a, DNS_T_NS)) {
		char *ns = xasprintf("ns.dns.%s", a->z->domain);
		struct dns_rdata rd = { .target = ns };
		dns_add(&a->b, DNS_ANSWER, a->z->domain, DNS_T_NS, DNS_TTL, &rd);
		free(ns);
	}
	return 1;
}

/* Splits name (a copy, modified) into at most max labels; returns how many, or max + 1. */
static size_t split(char *name, char **l, size_t max)
{
	size_t n = 0;
	if (!*name)
		return 0;
	for (char *save = NULL, *t = strtok_r(name, ".", &save); t; t = strtok_r(NULL, ".", &save)) {
		if (n == max)
			return max + 1;
		l[n++] = t;
	}
	return n;
}

/* Looks up a name of the zone (rest: the labels before the domain) and adds what it has. */
static int lookup(struct zans *a, char *rest)
{
	char *l[8];
	size_t n = split(rest, l, 8);
	if (n == 0)
		return answer_apex(a);
	if (n > 8)
		return 0;
	if (strcmp(l[n - 1], "svc") == 0)
		return answer_svc(a, l, n - 1);
	if (strcmp(l[n - 1], "pod") == 0)
		return answer_pod(a, l, n - 1);
	return 0;
}

/* A reverse name a.b.c.d of the in-addr.arpa zone: PTR records when the address is known. */
static size_t answer_reverse(const struct dns_zone *z, const struct dns_query *q, const uint8_t *msg, uint8_t *out,
			     size_t max)
{
	unsigned v[4];
	char tail[16], key[16];
	if (sscanf(q->name, "%3u.%3u.%3u.%3u.%15s", &v[3], &v[2], &v[1], &v[0], tail) != 5 ||
	    strcmp(tail, "in-addr.arpa") != 0 || v[0] > 255 || v[1] > 255 || v[2] > 255 || v[3] > 255)
		return 0;
	snprintf(key, sizeof(key), "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
	const struct zrev *r = hmap_get(&z->reverse, key);
	if (!r)
		return 0; /* fall through to the host's resolvers, as CoreDNS's "fallthrough in-addr.arpa" */
	struct dns_builder b;
	dns_begin(&b, out, max, q, msg, DNS_F_AA | DNS_F_RA, DNS_NOERROR, 1);
	for (int i = 0; r && i < ZMAX_RECORDS && (q->qtype == DNS_T_PTR || q->qtype == DNS_T_ANY); r = r->next, i++) {
		struct dns_rdata rd = { .target = r->name };
		dns_add(&b, DNS_ANSWER, q->name, DNS_T_PTR, DNS_TTL, &rd);
	}
	return dns_finish(&b);
}

static int in_zone(const struct dns_zone *z, const char *name, size_t *restlen)
{
	size_t n = strlen(name), d = strlen(z->domain);
	if (n == d && strcmp(name, z->domain) == 0) {
		*restlen = 0;
		return 1;
	}
	if (n > d + 1 && name[n - d - 1] == '.' && strcmp(name + n - d, z->domain) == 0) {
		*restlen = n - d - 1;
		return 1;
	}
	return 0;
}

size_t dns_zone_answer(const struct dns_zone *z, const struct dns_query *q, const uint8_t *msg, uint8_t *out,
		       size_t max)
{
	size_t restlen;
	if (!in_zone(z, q->name, &restlen))
		return (q->qclass == DNS_CLASS_IN || q->qclass == DNS_T_ANY) ? answer_reverse(z, q, msg, out, max) : 0;
	if ((q->qclass != DNS_CLASS_IN && q->qclass != DNS_T_ANY) || q->qtype == DNS_T_AXFR || q->qtype == DNS_T_IXFR)
		return dns_error_reply(q, msg, out, max, DNS_REFUSED);
	struct zans a = { .z = z, .q = q };
	char rest[DNS_NAME_MAX];
	memcpy(rest, q->name, restlen);
	rest[restlen] = 0;
	dns_begin(&a.b, out, max, q, msg, DNS_F_AA | DNS_F_RA, DNS_NOERROR, 1);
	int exists = !q->escaped && lookup(&a, rest);
	if (!exists)
		out[3] = (uint8_t)((out[3] & 0xf0) | DNS_NXDOMAIN);
	if (a.b.count[DNS_ANSWER] == 0 && !a.b.truncated)
		add_soa(&a, DNS_AUTHORITY);
	return dns_finish(&a.b);
}

/* ---- freeing ----------------------------------------------------------------------------- */

static int free_group(const char *k, void *v, void *d)
{
	UNUSED(k), UNUSED(d);
	struct zgroup *g = v;
	svc_free(g->svc);
	free(g->name);
	free(g->ns);
	free(g);
	return 0;
}

static int free_slice(const char *k, void *v, void *d)
{
	UNUSED(k), UNUSED(d);
	slice_free(v);
	return 0;
}

static int free_rev(const char *k, void *v, void *d)
{
	UNUSED(k), UNUSED(d);
	for (struct zrev *r = v, *next; r; r = next) {
		next = r->next;
		free(r->name);
		free(r);
	}
	return 0;
}

void dns_zone_free(struct dns_zone *z)
{
	if (!z)
		return;
	hmap_each(&z->groups, free_group, NULL);
	hmap_each(&z->slices, free_slice, NULL);
	hmap_each(&z->reverse, free_rev, NULL);
	hmap_release(&z->groups);
	hmap_release(&z->slices);
	hmap_release(&z->namespaces);
	hmap_release(&z->reverse);
	free(z->domain);
	free(z);
}
