/*
 * alloc.c - Service cluster IPs and node ports: allocation from --service-cidr and 30000-32767.
 *
 * DESIGN
 * Two bitmaps, one bit per address of the service network (capped at 2^20 addresses) and one
 * per node port. They are rebuilt from the stored Services at start, so nothing is handed out
 * twice after a restart, and afterwards follow the store: a watch on Services releases what a
 * committed change or deletion no longer uses (whoever made it: a DELETE, a deletecollection,
 * the namespace controller). A request takes what it needs before its write; if the write fails,
 * what it took is given back (svc_alloc_abort). Explicit choices are honoured when free and in
 * range and rejected with upstream's messages otherwise. Dynamic cluster IPs are drawn at random
 * from the upper part of the range first, as upstream does, leaving the lower part for static
 * choices; the first address of the network is reserved for the `kubernetes` Service.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define NODEPORT_MIN 30000
#define NODEPORT_MAX 32767
#define MAX_SERVICE_IPS (1u << 20)

struct bitmap {
	uint8_t *bits;
	uint64_t size;
};

struct svc_alloc {
	struct server *srv;
	struct cidr net;
	struct bitmap ips;   /* index = offset in the network */
	struct bitmap ports; /* index = port - NODEPORT_MIN */
	struct store_watch *watch;
};

/* What one request took, to give back if its write fails. */
struct svc_grant {
	uint64_t ips[2];
	size_t nips;
	int ports[16];
	size_t nports;
};

static int bit_get(const struct bitmap *b, uint64_t i)
{
	return (b->bits[i / 8] >> (i % 8)) & 1;
}

static void bit_set(struct bitmap *b, uint64_t i, int v)
{
	if (v)
		b->bits[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		b->bits[i / 8] &= (uint8_t)~(1u << (i % 8));
}

/* A free index in [lo, hi), searched from a random start; -1 if none. */
static int64_t bit_find_free(const struct bitmap *b, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return -1;
	uint64_t r;
	random_bytes(&r, sizeof(r));
	uint64_t start = lo + r % (hi - lo);
	for (uint64_t k = 0; k < hi - lo; k++) {
		uint64_t i = lo + (start - lo + k) % (hi - lo);
		if (!bit_get(b, i))
			return (int64_t)i;
	}
	return -1;
}

/* The offset of ip in the network, or -1 when it is not a usable address of it. */
static int64_t ip_index(const struct svc_alloc *a, const char *ip)
{
	unsigned char addr[16];
	int alen = a->net.family == AF_INET ? 4 : 16;
	if (inet_pton(a->net.family, ip, addr) != 1)
		return -1;
	struct cidr one = { a->net.family, { 0 }, alen * 8 };
	memcpy(one.addr, addr, (size_t)alen);
	if (!cidr_overlap(&one, &a->net))
		return -1;
	uint64_t off = 0;
	for (int i = MAX(0, alen - 8); i < alen; i++)
		off = (off << 8) | addr[i];
	uint64_t host_bits = (uint64_t)(alen * 8 - a->net.prefix);
	if (host_bits < 64)
		off &= ((uint64_t)1 << host_bits) - 1;
	if (off == 0 || off >= a->ips.size || (a->net.family == AF_INET && off == a->ips.size - 1 &&
						 a->ips.size == ((uint64_t)1 << host_bits)))
		return -1; /* the network and (IPv4) broadcast addresses */
	return (int64_t)off;
}

static const char *svc_type(const cJSON *svc)
{
	const char *t = json_strv(svc, "spec", "type", NULL);
	return t ? t : "ClusterIP";
}

static int wants_node_ports(const cJSON *svc)
{
	const char *t = svc_type(svc);
	return !strcmp(t, "NodePort") || !strcmp(t, "LoadBalancer");
}

/* Calls fn for every cluster IP and node port svc holds. */
typedef void held_fn(struct svc_alloc *a, int is_ip, uint64_t i, void *ctx);

static void each_held(struct svc_alloc *a, const cJSON *svc, held_fn *fn, void *ctx)
{
	const cJSON *ip, *p;
	cJSON_ArrayForEach(ip, json_getv(svc, "spec", "clusterIPs", NULL))
	{
		int64_t i = cJSON_IsString(ip) ? ip_index(a, ip->valuestring) : -1;
		if (i >= 0)
			fn(a, 1, (uint64_t)i, ctx);
	}
	if (!json_getv(svc, "spec", "clusterIPs", NULL) && json_strv(svc, "spec", "clusterIP", NULL)) {
		int64_t i = ip_index(a, json_strv(svc, "spec", "clusterIP", NULL));
		if (i >= 0)
			fn(a, 1, (uint64_t)i, ctx);
	}
	cJSON_ArrayForEach(p, json_getv(svc, "spec", "ports", NULL))
	{
		int64_t np;
		if (json_int(p, "nodePort", &np) == 0 && np >= NODEPORT_MIN && np <= NODEPORT_MAX)
			fn(a, 0, (uint64_t)(np - NODEPORT_MIN), ctx);
	}
	int64_t hc;
	if (json_int(json_obj(svc, "spec"), "healthCheckNodePort", &hc) == 0 && hc >= NODEPORT_MIN && hc <= NODEPORT_MAX)
		fn(a, 0, (uint64_t)(hc - NODEPORT_MIN), ctx);
}

static void mark(struct svc_alloc *a, int is_ip, uint64_t i, void *ctx)
{
	UNUSED(ctx);
	bit_set(is_ip ? &a->ips : &a->ports, i, 1);
}

static void unmark(struct svc_alloc *a, int is_ip, uint64_t i, void *ctx)
{
	UNUSED(ctx);
	bit_set(is_ip ? &a->ips : &a->ports, i, 0);
}

static int scan(struct store_kv *kv, void *data)
{
	cJSON *svc = obj_parse(kv);
	each_held(data, svc, mark, NULL);
	cJSON_Delete(svc);
	return 0;
}

/* After a committed change: release what the previous version held and the new one does not. */
static void on_event(const struct store_event *ev, void *data)
{
	struct svc_alloc *a = data;
	if (!ev->prev || ev->type == STORE_EV_CREATE)
		return;
	cJSON *old = obj_parse(ev->prev);
	each_held(a, old, unmark, NULL);
	if (ev->type != STORE_EV_DELETE) {
		cJSON *cur = obj_parse(ev->kv);
		each_held(a, cur, mark, NULL);
		cJSON_Delete(cur);
	}
	cJSON_Delete(old);
}

static void on_watch_error(int status, void *data)
{
	struct svc_alloc *a = data;
	a->watch = NULL;
	if (status != -KUBE_ECLOSED)
		log_error("service allocator: watch failed (%d)", status);
}

struct svc_alloc *svc_alloc_start(struct server *srv)
{
	struct svc_alloc *a = xcalloc(1, sizeof(*a));
	const struct kind *k = kind_by_resource("", "v1", "services");
	int alen = srv->cfg->service_cidr.family == AF_INET ? 4 : 16;
	uint64_t host_bits = (uint64_t)(alen * 8 - srv->cfg->service_cidr.prefix);
	a->srv = srv;
	a->net = srv->cfg->service_cidr;
	a->ips.size = host_bits >= 20 ? MAX_SERVICE_IPS : (uint64_t)1 << host_bits;
	a->ips.bits = xcalloc(a->ips.size / 8 + 1, 1);
	a->ports.size = NODEPORT_MAX - NODEPORT_MIN + 1;
	a->ports.bits = xcalloc(a->ports.size / 8 + 1, 1);
	store_range(srv->store, k->prefix, NULL, scan, a);
	a->watch = store_watch(srv->store, k->prefix, store_rev(srv->store), on_event, on_watch_error, a);
	return a;
}

void svc_alloc_stop(struct svc_alloc *a)
{
	if (a->watch)
		store_watch_cancel(a->watch);
	free(a->ips.bits);
	free(a->ports.bits);
	free(a);
}

int svc_alloc_first_ip(const struct svc_alloc *a, char *out, size_t len)
{
	return cidr_nth(&a->net, 1, out, len);
}

/* ---- requests -------------------------------------------------------------------------- */

static const cJSON *old_port(const cJSON *old, const cJSON *p)
{
	const cJSON *o;
	int64_t port = 0, op;
	const char *proto = json_str(p, "protocol"), *name = json_str(p, "name");
	json_int(p, "port", &port);
	cJSON_ArrayForEach(o, json_getv(old, "spec", "ports", NULL))
	{
		const char *oproto = json_str(o, "protocol"), *oname = json_str(o, "name");
		if (json_int(o, "port", &op) == 0 && op == port && !strcmp(oproto ? oproto : "TCP", proto ? proto : "TCP") &&
		    !strcmp(oname ? oname : "", name ? name : ""))
			return o;
	}
	return NULL;
}

void svc_alloc_keep(cJSON *svc, const cJSON *old)
{
	cJSON *spec = json_obj_force(svc, "spec"), *p;
	const char *cip = json_str(spec, "clusterIP");
	if (strcmp(svc_type(svc), "ExternalName") && (!cip || !*cip) && json_strv(old, "spec", "clusterIP", NULL)) {
		/* Upstream's patchAllocatedValues: an update that omits allocated values keeps them. */
		json_set_str(spec, "clusterIP", json_strv(old, "spec", "clusterIP", NULL));
		const cJSON *ips = json_getv(old, "spec", "clusterIPs", NULL);
		if (ips && !json_getv(spec, "clusterIPs", NULL))
			json_set(spec, "clusterIPs", cJSON_Duplicate(ips, 1));
	}
	if (!wants_node_ports(svc)) {
		/* Upstream's dropTypeDependentFields: ports a NodePort Service had go with the type. */
		if (wants_node_ports(old))
			cJSON_ArrayForEach(p, json_getv(svc, "spec", "ports", NULL))
				json_del(p, "nodePort");
		return;
	}
	cJSON_ArrayForEach(p, json_getv(svc, "spec", "ports", NULL))
	{
		const cJSON *o = old_port(old, p);
		int64_t np;
		if (o && !cJSON_GetObjectItemCaseSensitive(p, "nodePort") && json_int(o, "nodePort", &np) == 0)
			json_set_int(p, "nodePort", np);
	}
}

/* Does old already hold this IP / node port? */
struct probe {
	int is_ip;
	uint64_t i;
	int found;
};

static void probe_fn(struct svc_alloc *a, int is_ip, uint64_t i, void *ctx)
{
	struct probe *pr = ctx;
	UNUSED(a);
	pr->found |= is_ip == pr->is_ip && i == pr->i;
}

static int held_by(struct svc_alloc *a, const cJSON *old, int is_ip, uint64_t i)
{
	struct probe pr = { is_ip, i, 0 };
	if (old)
		each_held(a, old, probe_fn, &pr);
	return pr.found;
}

static void grant_ip(struct svc_alloc *a, struct svc_grant *g, uint64_t i)
{
	bit_set(&a->ips, i, 1);
	if (g->nips < ARRAY_SIZE(g->ips))
		g->ips[g->nips++] = i;
}

static void grant_port(struct svc_alloc *a, struct svc_grant *g, int port)
{
	bit_set(&a->ports, (uint64_t)(port - NODEPORT_MIN), 1);
	if (g->nports < ARRAY_SIZE(g->ports))
		g->ports[g->nports++] = port;
}

static void cluster_ip(struct svc_alloc *a, struct svc_grant *g, cJSON *spec, const cJSON *old,
		       struct field_errors *errs)
{
	const char *cip = json_str(spec, "clusterIP");
	char ip[64], range[64];
	if (cip && !strcmp(cip, "None")) {
		json_set(spec, "clusterIPs", cJSON_CreateStringArray((const char *[]){ "None" }, 1));
		return;
	}
	if (!cip || !*cip) {
		uint64_t lo = a->ips.size >= 256 ? a->ips.size / 16 : 2; /* the upper band first */
		int64_t i = bit_find_free(&a->ips, lo, a->ips.size - 1);
		if (i < 0)
			i = bit_find_free(&a->ips, 2, a->ips.size - 1);
		if (i < 0 || cidr_nth(&a->net, (uint64_t)i, ip, sizeof(ip)) < 0) {
			field_errors_add(errs, FE_INTERNAL, "spec.clusterIPs", NULL, "failed to allocate a serviceIP: range is full");
			return;
		}
		grant_ip(a, g, (uint64_t)i);
		json_set_str(spec, "clusterIP", ip);
	} else {
		int64_t i = ip_index(a, cip);
		char bad[128];
		snprintf(bad, sizeof(bad), "[]string{\"%s\"}", cip);
		cidr_format(&a->net, range, sizeof(range));
		if (i < 0)
			field_errors_add_raw(errs, FE_INVALID, "spec.clusterIPs", bad,
					     "failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s",
					     cip, cip, range);
		else if (!held_by(a, old, 1, (uint64_t)i) && bit_get(&a->ips, (uint64_t)i))
			field_errors_add_raw(errs, FE_INVALID, "spec.clusterIPs", bad,
					     "failed to allocate IP %s: provided IP is already allocated", cip);
		else if (!held_by(a, old, 1, (uint64_t)i))
			grant_ip(a, g, (uint64_t)i);
	}
	json_set(spec, "clusterIPs", cJSON_CreateStringArray((const char *[]){ json_str(spec, "clusterIP") }, 1));
}

/* Takes or allocates one node port for the field name of obj (a port or the spec). */
static void node_port(struct svc_alloc *a, struct svc_grant *g, cJSON *obj, const char *name, const char *path,
		      const cJSON *old, struct field_errors *errs)
{
	int64_t np;
	if (json_int(obj, name, &np) < 0) {
		int64_t i = bit_find_free(&a->ports, 0, a->ports.size);
		if (i < 0) {
			field_errors_add(errs, FE_INTERNAL, path, NULL, "failed to allocate a nodePort: range is full");
			return;
		}
		grant_port(a, g, (int)i + NODEPORT_MIN);
		json_set_int(obj, name, i + NODEPORT_MIN);
		return;
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (np < NODEPORT_MIN || np > NODEPORT_MAX)
		field_errors_add(errs, FE_INVALID, path, v,
				 "provided port is not in the valid range. The range of valid ports is %d-%d",
				 NODEPORT_MIN, NODEPORT_MAX);
	else if (held_by(a, old, 0, (uint64_t)(np - NODEPORT_MIN)))
		return;
	else if (bit_get(&a->ports, (uint64_t)(np - NODEPORT_MIN)))
		field_errors_add(errs, FE_INVALID, path, v, "provided port is already allocated");
	else
		grant_port(a, g, (int)np);
}

void svc_alloc_abort(struct svc_alloc *a, struct svc_grant *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nips; i++)
		bit_set(&a->ips, g->ips[i], 0);
	for (size_t i = 0; i < g->nports; i++)
		bit_set(&a->ports, (uint64_t)(g->ports[i] - NODEPORT_MIN), 0);
	free(g);
}

int svc_alloc_prepare(struct svc_alloc *a, cJSON *svc, const cJSON *old, struct svc_grant **grant,
		      struct field_errors *errs)
{
	struct svc_grant *g = xcalloc(1, sizeof(*g));
	cJSON *spec = json_obj_force(svc, "spec"), *p;
	size_t before = errs->n;
	int idx = 0;
	if (strcmp(svc_type(svc), "ExternalName"))
		cluster_ip(a, g, spec, old, errs);
	if (wants_node_ports(svc)) {
		cJSON_ArrayForEach(p, json_getv(spec, "ports", NULL))
		{
			char path[48];
			snprintf(path, sizeof(path), "spec.ports[%d].nodePort", idx++);
			node_port(a, g, p, "nodePort", path, old, errs);
		}
		const char *etp = json_str(spec, "externalTrafficPolicy");
		if (!strcmp(svc_type(svc), "LoadBalancer") && etp && !strcmp(etp, "Local"))
			node_port(a, g, spec, "healthCheckNodePort", "spec.healthCheckNodePort", old, errs);
	}
	if (errs->n > before) {
		svc_alloc_abort(a, g);
		*grant = NULL;
		return -1;
	}
	*grant = g;
	return 0;
}

void svc_alloc_done(struct svc_grant *g)
{
	free(g);
}
