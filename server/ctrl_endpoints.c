/*
 * ctrl_endpoints.c - the EndpointSlice controller and the Endpoints controller: the addresses
 * behind each Service with a selector, from the pods it selects, as upstream's
 * pkg/controller/endpointslice and pkg/controller/endpoint keep them (read by kube-proxy and DNS).
 *
 * DESIGN
 * One work queue, one sync per Service writing both objects. Keys:
 *   "s:NS/NAME"  a Service: compute and write its EndpointSlices and its Endpoints;
 *   "p:NS/NAME"  a pod changed in a way endpoints show: queue the Services selecting it;
 *   "n:NS"       a pod came, went or changed labels: queue every Service of the namespace.
 * Services without a selector (the `kubernetes` Service among them) and ExternalName Services
 * are left alone, as upstream.
 * A pod is a member when it is not terminal and has an IPv4 address; its ports are the
 * Service's ports with targetPort names resolved against the pod's container ports (a Service
 * port the pod does not name is left out for that pod). Slice endpoints carry ready, serving and
 * terminating conditions, nodeName, zone (the node's topology.kubernetes.io/zone) and the pod as
 * targetRef; the Endpoints object lists ready pods under addresses and the others under
 * notReadyAddresses, leaving terminating pods out (all of them in with
 * publishNotReadyAddresses), repacked as upstream's RepackSubsets does.
 * Slices are grouped by port set, at most MAX_PER_SLICE endpoints each, named
 * <service>-<random> (generateName). A sync keeps churn low as upstream's reconciler does:
 * endpoints stay in the slice that has them, are updated in place, new ones fill slices with
 * room before new slices are made, and emptied slices are deleted; a Service with no endpoint
 * keeps one empty placeholder slice. Only changed objects are written.
 */
#include "server/nodes.h"
#include "server/workload.h"
#include "server/kinds.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define MANAGER "endpointslice-controller"
#define MANAGED_BY "endpointslice-controller.k8s.io"
#define SERVICE_NAME_LABEL "kubernetes.io/service-name"
#define MANAGED_BY_LABEL "endpointslice.kubernetes.io/managed-by"
#define HEADLESS_LABEL "service.kubernetes.io/headless"
#define MAX_PER_SLICE 100

static const struct kind *K(const char *group, const char *resource)
{
	return kind_by_resource(group, "v1", resource);
}

/* ---- members: the pods behind a service ------------------------------------------------------- */

struct member {
	cJSON *pod;       /* owned */
	const char *ip;   /* the pod's IPv4 address (borrowed from pod) */
	int ready;        /* the pod's Ready condition is True */
	int terminating;  /* deletionTimestamp set */
	int64_t *ports;   /* per service port: the resolved port, or -1 */
};

struct members {
	struct member *v;
	size_t n;
	const cJSON *svc;
	size_t nports;
};

static int is_ipv4(const char *s)
{
	struct in_addr a;
	return s && inet_pton(AF_INET, s, &a) == 1;
}

/* The pod's first IPv4 address (status.podIPs, else status.podIP), or NULL. */
static const char *pod_ipv4(const cJSON *pod)
{
	const cJSON *ip;
	cJSON_ArrayForEach(ip, json_getv(pod, "status", "podIPs", NULL))
		if (is_ipv4(json_str(ip, "ip")))
			return json_str(ip, "ip");
	const char *one = json_strv(pod, "status", "podIP", NULL);
	return is_ipv4(one) ? one : NULL;
}

/* upstream's podutil.FindPort: the container port a service port's targetPort names, or -1. */
static int64_t find_port(const cJSON *pod, const cJSON *sp)
{
	const cJSON *tp = json_getv(sp, "targetPort", NULL), *c, *p;
	const char *proto = json_str(sp, "protocol") ? json_str(sp, "protocol") : "TCP";
	int64_t port = 0;
	if (!tp) {
		json_int(sp, "port", &port);
		return port;
	}
	if (cJSON_IsNumber(tp))
		return (int64_t)tp->valuedouble;
	cJSON_ArrayForEach(c, json_getv(pod, "spec", "containers", NULL))
		cJSON_ArrayForEach(p, json_getv(c, "ports", NULL))
		{
			const char *name = json_str(p, "name"), *pp = json_str(p, "protocol") ? json_str(p, "protocol") : "TCP";
			if (name && cJSON_IsString(tp) && !strcmp(name, tp->valuestring) && !strcmp(pp, proto) &&
			    json_int(p, "containerPort", &port) == 0)
				return port;
		}
	return -1;
}

static int add_member(struct store_kv *kv, void *data)
{
	struct members *ms = data;
	cJSON *pod = obj_parse(kv), *sp;
	const char *ip = pod ? pod_ipv4(pod) : NULL;
	if (!ip || nodes_pod_terminal(pod)) {
		cJSON_Delete(pod);
		return 0;
	}
	ms->v = xrealloc(ms->v, (ms->n + 1) * sizeof(*ms->v));
	struct member *m = &ms->v[ms->n++];
	m->pod = pod;
	m->ip = ip;
	m->ready = wl_pod_ready(pod);
	m->terminating = json_strv(pod, "metadata", "deletionTimestamp", NULL) != NULL;
	m->ports = xcalloc(ms->nports + 1, sizeof(int64_t));
	size_t i = 0;
	cJSON_ArrayForEach(sp, json_getv(ms->svc, "spec", "ports", NULL))
		m->ports[i++] = find_port(pod, sp);
	return 0;
}

static void members_release(struct members *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		cJSON_Delete(ms->v[i].pod);
		free(ms->v[i].ports);
	}
	free(ms->v);
}

/* The pods svc selects that can be endpoints (pods without an IPv4 address or terminal are not). */
static void list_members(struct ctrl_mgr *m, const cJSON *svc, struct members *ms)
{
	struct selector sel;
	cJSON *ls = cJSON_CreateObject();
	json_set(ls, "matchLabels", cJSON_Duplicate(json_getv(svc, "spec", "selector", NULL), 1));
	memset(ms, 0, sizeof(*ms));
	ms->svc = svc;
	ms->nports = (size_t)cJSON_GetArraySize(json_getv(svc, "spec", "ports", NULL));
	if (selector_from_json(ls, &sel, NULL) == 0)
		informer_list(informer_of(m, K("", "pods")), json_strv(svc, "metadata", "namespace", NULL), &sel, add_member, ms);
	selector_release(&sel);
	cJSON_Delete(ls);
}

/* ---- what the slices and the Endpoints should say ------------------------------------------ */

static int publish_not_ready(const cJSON *svc)
{
	return cJSON_IsTrue(json_getv(svc, "spec", "publishNotReadyAddresses", NULL));
}

static int headless(const cJSON *svc)
{
	const char *ip = json_strv(svc, "spec", "clusterIP", NULL);
	return !ip || !*ip || !strcmp(ip, "None");
}

/* upstream's ShouldSetHostname. */
static const char *hostname_of(const cJSON *pod, const cJSON *svc)
{
	const char *h = json_strv(pod, "spec", "hostname", NULL), *sub = json_strv(pod, "spec", "subdomain", NULL);
	const char *name = json_strv(svc, "metadata", "name", NULL);
	return h && *h && sub && name && !strcmp(sub, name) ? h : NULL;
}

static cJSON *target_ref(const cJSON *pod)
{
	cJSON *r = cJSON_CreateObject();
	static const char *const keys[] = { "namespace", "name", "uid" };
	json_set_str(r, "kind", "Pod");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		json_set_str(r, keys[i], json_strv(pod, "metadata", keys[i], NULL) ? json_strv(pod, "metadata", keys[i], NULL) : "");
	return r;
}

/* The slice ports of member m: service ports it resolves, in the service's order. */
static cJSON *slice_ports(const struct members *ms, const struct member *m)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *sp;
	size_t i = 0;
	cJSON_ArrayForEach(sp, json_getv(ms->svc, "spec", "ports", NULL))
	{
		int64_t port = m->ports[i++];
		if (port < 0)
			continue;
		cJSON *p = cJSON_CreateObject();
		json_set_str(p, "name", json_str(sp, "name") ? json_str(sp, "name") : "");
		json_set_int(p, "port", port);
		json_set_str(p, "protocol", json_str(sp, "protocol") ? json_str(sp, "protocol") : "TCP");
		if (json_str(sp, "appProtocol"))
			json_set_str(p, "appProtocol", json_str(sp, "appProtocol"));
		cJSON_AddItemToArray(out, p);
	}
	return out;
}

/* upstream's podToEndpoint: the slice endpoint of member m. */
static cJSON *slice_endpoint(struct ctrl_mgr *m, const struct members *ms, const struct member *mb)
{
	cJSON *ep = cJSON_CreateObject(), *cond = cJSON_CreateObject();
	const char *node = json_strv(mb->pod, "spec", "nodeName", NULL), *host = hostname_of(mb->pod, ms->svc);
	int pnr = publish_not_ready(ms->svc);
	json_set(ep, "addresses", cJSON_CreateStringArray(&mb->ip, 1));
	/* ready is never true for a terminating pod unless publishNotReadyAddresses; serving is
	 * the pod's readiness alone. */
	json_set_bool(cond, "ready", pnr || (mb->ready && !mb->terminating));
	json_set_bool(cond, "serving", mb->ready);
	json_set_bool(cond, "terminating", mb->terminating);
	json_set(ep, "conditions", cond);
	if (host)
		json_set_str(ep, "hostname", host);
	json_set(ep, "targetRef", target_ref(mb->pod));
	if (node && *node) {
		json_set_str(ep, "nodeName", node);
		struct store_kv *kv = informer_get(informer_of(m, K("", "nodes")), NULL, node);
		const char *zone = kv ? obj_label(kv->attrs, "topology.kubernetes.io/zone") : NULL;
		if (zone && *zone)
			json_set_str(ep, "zone", zone);
	}
	return ep;
}

/* ---- EndpointSlices ------------------------------------------------------------------------ */

/* One port set's endpoints, wanted and placed. */
struct group {
	char *key;          /* the ports, printed */
	cJSON *ports;       /* owned */
	cJSON **eps;        /* wanted endpoints (owned; NULL once placed in a slice) */
	size_t n;
};

struct slices {
	struct ctrl_mgr *m;
	struct nodes_batch *b;
	const cJSON *svc;
	cJSON *labels;      /* what every slice of the service carries (owned) */
	struct group *g;
	size_t ng;
	cJSON **have;       /* the service's current slices (owned) */
	size_t nhave;
};

static struct group *group_for(struct slices *s, cJSON *ports)
{
	char *key = json_print_str(ports);
	for (size_t i = 0; i < s->ng; i++)
		if (!strcmp(s->g[i].key, key)) {
			free(key);
			cJSON_Delete(ports);
			return &s->g[i];
		}
	s->g = xrealloc(s->g, (s->ng + 1) * sizeof(*s->g));
	struct group *g = &s->g[s->ng++];
	*g = (struct group){ key, ports, NULL, 0 };
	return g;
}

static void want_endpoints(struct slices *s, const struct members *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		struct group *g = group_for(s, slice_ports(ms, &ms->v[i]));
		g->eps = xrealloc(g->eps, (g->n + 1) * sizeof(cJSON *));
		g->eps[g->n++] = slice_endpoint(s->m, ms, &ms->v[i]);
	}
}

/* upstream's setEndpointSliceLabels. */
static cJSON *slice_labels(const cJSON *svc)
{
	cJSON *l = cJSON_CreateObject();
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(svc, "metadata", "labels", NULL))
		if (cJSON_IsString(e) && strcmp(e->string, SERVICE_NAME_LABEL) && strcmp(e->string, MANAGED_BY_LABEL) &&
		    strcmp(e->string, HEADLESS_LABEL))
			json_set_str(l, e->string, e->valuestring);
	if (headless(svc))
		json_set_str(l, HEADLESS_LABEL, "");
	json_set_str(l, SERVICE_NAME_LABEL, json_strv(svc, "metadata", "name", NULL));
	json_set_str(l, MANAGED_BY_LABEL, MANAGED_BY);
	return l;
}

static int collect_slice(struct store_kv *kv, void *data)
{
	struct slices *s = data;
	cJSON *sl = obj_parse(kv);
	if (!sl)
		return 0;
	s->have = xrealloc(s->have, (s->nhave + 1) * sizeof(cJSON *));
	s->have[s->nhave++] = sl;
	return 0;
}

static void current_slices(struct slices *s)
{
	struct selector sel;
	struct buf q = BUF_INIT;
	buf_addf(&q, "%s=%s,%s=%s", SERVICE_NAME_LABEL, json_strv(s->svc, "metadata", "name", NULL), MANAGED_BY_LABEL,
		 MANAGED_BY);
	if (selector_parse_labels(q.data, &sel, NULL) == 0)
		informer_list(informer_of(s->m, K("discovery.k8s.io", "endpointslices")),
			      json_strv(s->svc, "metadata", "namespace", NULL), &sel, collect_slice, s);
	selector_release(&sel);
	buf_release(&q);
}

static void slices_release(struct slices *s)
{
	for (size_t i = 0; i < s->ng; i++) {
		for (size_t j = 0; j < s->g[i].n; j++)
			cJSON_Delete(s->g[i].eps[j]);
		free(s->g[i].eps);
		free(s->g[i].key);
		cJSON_Delete(s->g[i].ports);
	}
	free(s->g);
	for (size_t i = 0; i < s->nhave; i++)
		cJSON_Delete(s->have[i]);
	free(s->have);
	cJSON_Delete(s->labels);
}

static const char *uid_of(const cJSON *ep)
{
	return json_strv(ep, "targetRef", "uid", NULL);
}

/* Takes the wanted endpoint of group g with uid (NULL if none is left). */
static cJSON *take(struct group *g, const char *uid)
{
	for (size_t i = 0; uid && i < g->n; i++)
		if (g->eps[i] && uid_of(g->eps[i]) && !strcmp(uid_of(g->eps[i]), uid)) {
			cJSON *ep = g->eps[i];
			g->eps[i] = NULL;
			return ep;
		}
	return NULL;
}

static void write_slice(struct slices *s, cJSON *sl, int create)
{
	const char *ns = json_strv(s->svc, "metadata", "namespace", NULL);
	if (create)
		ctrl_create(s->m, MANAGER, K("discovery.k8s.io", "endpointslices"), ns, sl, nodes_batch_cb,
			    nodes_batch_write(s->b));
	else
		ctrl_update(s->m, MANAGER, K("discovery.k8s.io", "endpointslices"), ns, json_strv(sl, "metadata", "name", NULL),
			    NULL, sl, nodes_batch_cb, nodes_batch_write(s->b));
}

static void delete_slice(struct slices *s, const cJSON *sl)
{
	ctrl_delete(s->m, K("discovery.k8s.io", "endpointslices"), json_strv(sl, "metadata", "namespace", NULL),
		    json_strv(sl, "metadata", "name", NULL), json_strv(sl, "metadata", "uid", NULL), NULL, nodes_batch_cb,
		    nodes_batch_write(s->b));
}

/* A new slice of the service with ports (not yet written). */
static cJSON *new_slice(struct slices *s, const cJSON *ports)
{
	cJSON *sl = cJSON_CreateObject(), *meta = json_obj_force(sl, "metadata"), *refs = cJSON_CreateArray();
	char *prefix = xasprintf("%s-", json_strv(s->svc, "metadata", "name", NULL));
	json_set_str(sl, "apiVersion", "discovery.k8s.io/v1");
	json_set_str(sl, "kind", "EndpointSlice");
	json_set_str(meta, "generateName", prefix);
	json_set_str(meta, "namespace", json_strv(s->svc, "metadata", "namespace", NULL));
	json_set(meta, "labels", cJSON_Duplicate(s->labels, 1));
	cJSON_AddItemToArray(refs, ctrl_owner_ref(s->svc));
	json_set(meta, "ownerReferences", refs);
	json_set_str(sl, "addressType", "IPv4");
	json_set(sl, "endpoints", cJSON_CreateArray());
	json_set(sl, "ports", cJSON_Duplicate(ports, 1));
	free(prefix);
	return sl;
}

static struct group *find_group(struct slices *s, const cJSON *ports)
{
	cJSON *empty = ports ? NULL : cJSON_CreateArray();
	char *key = json_print_str(ports ? ports : empty);
	struct group *g = NULL;
	for (size_t i = 0; i < s->ng && !g; i++)
		if (!strcmp(s->g[i].key, key))
			g = &s->g[i];
	free(key);
	cJSON_Delete(empty);
	return g;
}

/* Step 1 for slice i: keep its endpoints that are still wanted (in their wanted form); *empty
 * says none is left. Returns 1 if the slice changed. */
static int keep_wanted(struct slices *s, cJSON *sl, int *empty)
{
	struct group *g = find_group(s, json_getv(sl, "ports", NULL));
	cJSON *eps = cJSON_CreateArray(), *ep, *meta = json_obj_force(sl, "metadata");
	cJSON_ArrayForEach(ep, json_getv(sl, "endpoints", NULL))
	{
		cJSON *w = g ? take(g, uid_of(ep)) : NULL;
		if (w)
			cJSON_AddItemToArray(eps, w);
	}
	int changed = !validate_sem_equal(eps, json_getv(sl, "endpoints", NULL));
	*empty = !eps->child;
	json_set(sl, "endpoints", eps);
	if (!validate_sem_equal(json_obj(meta, "labels"), s->labels)) {
		json_set(meta, "labels", cJSON_Duplicate(s->labels, 1));
		changed = 1;
	}
	return changed;
}

/* Moves wanted endpoints of g not placed yet into sl while it has room. Returns 1 if it took any. */
static int fill(struct group *g, cJSON *sl)
{
	cJSON *eps = cJSON_GetObjectItemCaseSensitive(sl, "endpoints");
	int took = 0;
	if (!cJSON_IsArray(eps))
		json_set(sl, "endpoints", eps = cJSON_CreateArray());
	for (size_t i = 0; i < g->n && cJSON_GetArraySize(eps) < MAX_PER_SLICE; i++) {
		if (!g->eps[i])
			continue;
		cJSON_AddItemToArray(eps, g->eps[i]);
		g->eps[i] = NULL;
		took = 1;
	}
	return took;
}

static size_t left_in(const struct group *g)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++)
		n += g->eps[i] != NULL;
	return n;
}

/* Steps 2 and 3 for group g: fill slices being written anyway, then the others, then new ones. */
static void place_rest(struct slices *s, struct group *g, int *dirty, const int *gone)
{
	for (int pass = 0; pass < 2 && left_in(g); pass++)
		for (size_t i = 0; i < s->nhave; i++)
			if (!gone[i] && dirty[i] == !pass && find_group(s, json_getv(s->have[i], "ports", NULL)) == g &&
			    fill(g, s->have[i]))
				dirty[i] = 1;
	while (left_in(g)) {
		cJSON *sl = new_slice(s, g->ports);
		fill(g, sl);
		write_slice(s, sl, 1);
		cJSON_Delete(sl);
	}
}

static int is_placeholder(const cJSON *sl)
{
	return !cJSON_GetArraySize(json_getv(sl, "endpoints", NULL)) && !cJSON_GetArraySize(json_getv(sl, "ports", NULL));
}

/* Upstream's reconciler, per service: see the DESIGN note. */
static void reconcile_slices(struct slices *s)
{
	int *dirty = xcalloc(s->nhave + 1, sizeof(int)), *gone = xcalloc(s->nhave + 1, sizeof(int));
	size_t total = 0, placeholder = SIZE_MAX;
	for (size_t i = 0; i < s->ng; i++)
		total += s->g[i].n;
	for (size_t i = 0; i < s->nhave; i++) {
		const char *at = json_str(s->have[i], "addressType");
		if (!total && placeholder == SIZE_MAX && is_placeholder(s->have[i]))
			placeholder = i;
		if (!at || strcmp(at, "IPv4"))
			gone[i] = 1;
		else
			dirty[i] = keep_wanted(s, s->have[i], &gone[i]);
	}
	for (size_t i = 0; i < s->ng; i++)
		place_rest(s, &s->g[i], dirty, gone);
	if (!total && placeholder != SIZE_MAX)
		gone[placeholder] = 0;
	else if (!total) {
		cJSON *ports = cJSON_CreateArray(), *sl = new_slice(s, ports);
		write_slice(s, sl, 1);
		cJSON_Delete(sl);
		cJSON_Delete(ports);
	}
	for (size_t i = 0; i < s->nhave; i++) {
		if (gone[i])
			delete_slice(s, s->have[i]);
		else if (dirty[i])
			write_slice(s, s->have[i], 0);
	}
	free(dirty);
	free(gone);
}

static void sync_slices(struct ctrl_mgr *m, struct nodes_batch *b, const cJSON *svc, const struct members *ms)
{
	struct slices s = { m, b, svc, slice_labels(svc), NULL, 0, NULL, 0 };
	want_endpoints(&s, ms);
	current_slices(&s);
	reconcile_slices(&s);
	slices_release(&s);
}

/* ---- Endpoints ------------------------------------------------------------------------------- */

/* One (address, ready) of a port in upstream's RepackSubsets. */
struct addr {
	cJSON *json;   /* the EndpointAddress (owned) */
	char *sort;    /* ip, uid: the order within a subset */
	int ready;
};

struct port_addrs {
	cJSON *port;   /* the EndpointPort (owned); NULL: the no-ports sentinel */
	char *key;     /* its printed form */
	struct addr *a;
	size_t n;
	char *set;     /* the printed set of its addresses, the subset it goes to */
};

struct repack {
	struct port_addrs *p;
	size_t n;
};

static struct port_addrs *port_entry(struct repack *r, cJSON *port)
{
	char *key = port ? json_print_str(port) : xstrdup("-");
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->p[i].key, key)) {
			free(key);
			cJSON_Delete(port);
			return &r->p[i];
		}
	r->p = xrealloc(r->p, (r->n + 1) * sizeof(*r->p));
	r->p[r->n] = (struct port_addrs){ port, key, NULL, 0, NULL };
	return &r->p[r->n++];
}

static cJSON *endpoint_address(const struct members *ms, const struct member *mb)
{
	cJSON *a = cJSON_CreateObject();
	const char *host = hostname_of(mb->pod, ms->svc), *node = json_strv(mb->pod, "spec", "nodeName", NULL);
	json_set_str(a, "ip", mb->ip);
	if (host)
		json_set_str(a, "hostname", host);
	json_set_str(a, "nodeName", node ? node : "");
	json_set(a, "targetRef", target_ref(mb->pod));
	return a;
}

static void add_address(struct port_addrs *pa, const struct members *ms, const struct member *mb, int ready)
{
	pa->a = xrealloc(pa->a, (pa->n + 1) * sizeof(*pa->a));
	pa->a[pa->n].json = endpoint_address(ms, mb);
	pa->a[pa->n].sort = xasprintf("%s\t%s\t%d", mb->ip, json_strv(mb->pod, "metadata", "uid", NULL), ready);
	pa->a[pa->n++].ready = ready;
}

/* upstream's addEndpointSubset for every member, mapped by port (mapAddressesByPort). */
static void map_by_port(struct repack *r, const struct members *ms)
{
	int pnr = publish_not_ready(ms->svc);
	for (size_t i = 0; i < ms->n; i++) {
		const struct member *mb = &ms->v[i];
		const cJSON *sp;
		size_t j = 0;
		if (mb->terminating && !pnr)
			continue;
		if (!ms->nports && headless(ms->svc))
			add_address(port_entry(r, NULL), ms, mb, pnr || mb->ready);
		cJSON_ArrayForEach(sp, json_getv(ms->svc, "spec", "ports", NULL))
		{
			int64_t port = mb->ports[j++];
			if (port < 0)
				continue;
			cJSON *p = cJSON_CreateObject();
			if (json_str(sp, "name") && *json_str(sp, "name"))
				json_set_str(p, "name", json_str(sp, "name"));
			json_set_int(p, "port", port);
			json_set_str(p, "protocol", json_str(sp, "protocol") ? json_str(sp, "protocol") : "TCP");
			if (json_str(sp, "appProtocol"))
				json_set_str(p, "appProtocol", json_str(sp, "appProtocol"));
			add_address(port_entry(r, p), ms, mb, pnr || mb->ready);
		}
	}
}

static int cmp_addr(const void *a, const void *b)
{
	return strcmp(((const struct addr *)a)->sort, ((const struct addr *)b)->sort);
}

static int cmp_port(const void *a, const void *b)
{
	const struct port_addrs *x = a, *y = b;
	int c = strcmp(x->set, y->set);
	return c ? c : strcmp(x->key, y->key);
}

/* One subset: the addresses of p (ready and not) and the ports of p[0..n). */
static cJSON *subset(const struct port_addrs *p, size_t n)
{
	cJSON *ss = cJSON_CreateObject(), *ready = cJSON_CreateArray(), *unready = cJSON_CreateArray();
	cJSON *ports = cJSON_CreateArray();
	for (size_t i = 0; i < p->n; i++)
		cJSON_AddItemToArray(p->a[i].ready ? ready : unready, cJSON_Duplicate(p->a[i].json, 1));
	for (size_t i = 0; i < n; i++)
		if (p[i].port)
			cJSON_AddItemToArray(ports, cJSON_Duplicate(p[i].port, 1));
	json_set(ss, "addresses", ready);
	json_set(ss, "notReadyAddresses", unready);
	json_set(ss, "ports", ports);
	static const char *const lists[] = { "addresses", "notReadyAddresses", "ports" };
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		if (!cJSON_GetArraySize(json_getv(ss, lists[i], NULL)))
			json_del(ss, lists[i]);
	return ss;
}

/* upstream's RepackSubsets: ports offered by the same addresses share a subset. */
static cJSON *repack(struct repack *r)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; i < r->n; i++) {
		struct buf set = BUF_INIT;
		qsort(r->p[i].a, r->p[i].n, sizeof(struct addr), cmp_addr);
		for (size_t j = 0; j < r->p[i].n; j++)
			buf_addf(&set, "%s\n", r->p[i].a[j].sort);
		r->p[i].set = buf_detach(&set, NULL);
	}
	if (r->n > 1)
		qsort(r->p, r->n, sizeof(*r->p), cmp_port);
	for (size_t i = 0, j; i < r->n; i = j) {
		for (j = i + 1; j < r->n && !strcmp(r->p[j].set, r->p[i].set); j++)
			;
		cJSON_AddItemToArray(out, subset(&r->p[i], j - i));
	}
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < r->p[i].n; j++) {
			cJSON_Delete(r->p[i].a[j].json);
			free(r->p[i].a[j].sort);
		}
		free(r->p[i].a);
		free(r->p[i].key);
		free(r->p[i].set);
		cJSON_Delete(r->p[i].port);
	}
	free(r->p);
	return out;
}

/* The labels of a service's Endpoints (upstream's syncService). */
static cJSON *endpoints_labels(const cJSON *svc)
{
	cJSON *l = cJSON_Duplicate(json_getv(svc, "metadata", "labels", NULL), 1);
	if (!cJSON_IsObject(l)) {
		cJSON_Delete(l);
		l = cJSON_CreateObject();
	}
	json_del(l, HEADLESS_LABEL);
	if (headless(svc))
		json_set_str(l, HEADLESS_LABEL, "");
	return l;
}

/* Writes the service's Endpoints when its subsets or labels differ. */
static void sync_endpoints(struct ctrl_mgr *m, struct nodes_batch *b, const cJSON *svc, const struct members *ms)
{
	const char *ns = json_strv(svc, "metadata", "namespace", NULL), *name = json_strv(svc, "metadata", "name", NULL);
	struct repack r = { NULL, 0 };
	struct store_kv *kv = informer_get(informer_of(m, K("", "endpoints")), ns, name);
	cJSON *cur = kv ? obj_parse(kv) : NULL, *subsets, *labels = endpoints_labels(svc);
	map_by_port(&r, ms);
	subsets = repack(&r);
	if (!cur || !validate_sem_equal(json_getv(cur, "subsets", NULL), subsets) ||
	    !validate_sem_equal(json_getv(cur, "metadata", "labels", NULL), labels)) {
		cJSON *ep = cur ? cur : cJSON_CreateObject(), *meta = json_obj_force(ep, "metadata");
		json_set_str(ep, "apiVersion", "v1");
		json_set_str(ep, "kind", "Endpoints");
		json_set_str(meta, "name", name);
		json_set_str(meta, "namespace", ns);
		json_set(meta, "labels", labels);
		labels = NULL;
		json_del(ep, "subsets");
		if (cJSON_GetArraySize(subsets)) {
			json_set(ep, "subsets", subsets);
			subsets = NULL;
		}
		ctrl_update(m, "endpoint-controller", K("", "endpoints"), ns, name, NULL, ep, nodes_batch_cb, nodes_batch_write(b));
		if (!cur)
			cJSON_Delete(ep);
	}
	cJSON_Delete(cur);
	cJSON_Delete(subsets);
	cJSON_Delete(labels);
}

/* ---- the queue -------------------------------------------------------------------------------- */

/* Does the service get endpoints from this controller? */
static int selects(const cJSON *svc)
{
	const char *type = json_strv(svc, "spec", "type", NULL);
	return cJSON_GetArraySize(json_getv(svc, "spec", "selector", NULL)) > 0 && !(type && !strcmp(type, "ExternalName"));
}

static void sync_service(struct ctrl_mgr *m, struct nodes_batch *b, const char *ns, const char *name)
{
	struct store_kv *kv = informer_get(informer_of(m, K("", "services")), ns, name);
	cJSON *svc = kv ? obj_parse(kv) : NULL;
	struct members ms;
	if (!svc) {
		/* upstream's Endpoints controller deletes the Endpoints of a deleted Service; slices
		 * go with their owner (garbage collector). */
		if (informer_get(informer_of(m, K("", "endpoints")), ns, name))
			ctrl_delete(m, K("", "endpoints"), ns, name, NULL, NULL, nodes_batch_cb, nodes_batch_write(b));
		return;
	}
	if (selects(svc)) {
		list_members(m, svc, &ms);
		sync_slices(m, b, svc, &ms);
		sync_endpoints(m, b, svc, &ms);
		members_release(&ms);
	}
	cJSON_Delete(svc);
}

/* Does a Service's selector (a map) select a pod with these labels? */
static int selector_matches_map(const cJSON *selector, const cJSON *labels)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, selector)
	{
		const char *v = json_str(labels, e->string);
		if (!cJSON_IsString(e) || !v || strcmp(v, e->valuestring))
			return 0;
	}
	return 1;
}

struct pod_services {
	struct workqueue *q;
	const cJSON *pod; /* NULL: every service of the namespace */
};

static int queue_service(struct store_kv *kv, void *data)
{
	struct pod_services *ps = data;
	struct buf key = BUF_INIT;
	cJSON *svc = obj_parse(kv);
	if (svc && selects(svc) &&
	    (!ps->pod || selector_matches_map(json_getv(svc, "spec", "selector", NULL), json_getv(ps->pod, "metadata", "labels", NULL)))) {
		buf_addf(&key, "s:%s/%s", json_strv(svc, "metadata", "namespace", NULL), obj_kv_name(kv));
		workqueue_add(ps->q, key.data);
	}
	cJSON_Delete(svc);
	buf_release(&key);
	return 0;
}

static void endpoints_sync(struct workqueue *q, const char *key, void *data)
{
	struct ctrl_mgr *m = data;
	struct nodes_batch *b = nodes_batch_new(q, key);
	const char *rest = key + 2, *slash = strchr(rest, '/');
	char *ns = slash ? xstrndup(rest, (size_t)(slash - rest)) : xstrdup(rest);
	struct informer *svcs = informer_of(m, K("", "services"));
	if (key[0] == 's' && slash) {
		sync_service(m, b, ns, slash + 1);
	} else if (key[0] == 'p' && slash) {
		struct store_kv *kv = informer_get(informer_of(m, K("", "pods")), ns, slash + 1);
		cJSON *pod = kv ? obj_parse(kv) : NULL;
		struct pod_services ps = { q, pod };
		if (pod)
			informer_list(svcs, ns, NULL, queue_service, &ps);
		cJSON_Delete(pod);
	} else if (key[0] == 'n') {
		struct pod_services ps = { q, NULL };
		informer_list(svcs, ns, NULL, queue_service, &ps);
	}
	free(ns);
	nodes_batch_end(b);
}

/* ---- informer handlers ---------------------------------------------------------------------- */

static void queue_key(struct workqueue *q, char kind, const char *ns, const char *name)
{
	struct buf key = BUF_INIT;
	buf_addf(&key, "%c:%s%s%s", kind, ns ? ns : "", name ? "/" : "", name ? name : "");
	workqueue_add(q, key.data);
	buf_release(&key);
}

static const char *ns_of(const struct store_kv *kv)
{
	return obj_field(kv->attrs, "metadata.namespace");
}

static void on_service(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	UNUSED(ev);
	UNUSED(old);
	queue_key(data, 's', ns_of(kv), obj_kv_name(kv));
}

/* What of a pod its endpoints show (labels aside). */
static cJSON *pod_digest(const struct store_kv *kv)
{
	static const char *const paths[][2] = { { "status", "podIP" }, { "status", "podIPs" }, { "status", "phase" },
						{ "metadata", "deletionTimestamp" }, { "spec", "nodeName" },
						{ "spec", "hostname" }, { "spec", "subdomain" } };
	cJSON *pod = obj_parse(kv), *d = cJSON_CreateArray(), *c;
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		const cJSON *v = json_getv(pod, paths[i][0], paths[i][1], NULL);
		cJSON_AddItemToArray(d, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	cJSON_AddItemToArray(d, cJSON_CreateBool(wl_pod_ready(pod)));
	cJSON_ArrayForEach(c, json_getv(pod, "spec", "containers", NULL))
	{
		const cJSON *ports = json_getv(c, "ports", NULL);
		cJSON_AddItemToArray(d, ports ? cJSON_Duplicate(ports, 1) : cJSON_CreateNull());
	}
	cJSON_Delete(pod);
	return d;
}

static int same_labels(const struct store_kv *a, const struct store_kv *b)
{
	const struct obj_attrs *x = a->attrs, *y = b->attrs;
	if (!x || !y || x->nlabels != y->nlabels)
		return !x && !y;
	for (size_t i = 0; i < 2 * x->nlabels; i++)
		if (strcmp(x->labels[i], y->labels[i]))
			return 0;
	return 1;
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	if (ev == INF_DELETE || (ev == INF_UPDATE && !same_labels(kv, old))) {
		queue_key(data, 'n', ns_of(kv), NULL);
		return;
	}
	if (ev == INF_UPDATE) {
		cJSON *a = pod_digest(old), *b = pod_digest(kv);
		int same = cJSON_Compare(a, b, 1);
		cJSON_Delete(a);
		cJSON_Delete(b);
		if (same)
			return;
	}
	queue_key(data, 'p', ns_of(kv), obj_kv_name(kv));
}

/* Someone deleted a slice or an Endpoints this controller keeps: put it back. */
static void on_slice(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	const char *by = obj_label(kv->attrs, MANAGED_BY_LABEL), *svc = obj_label(kv->attrs, SERVICE_NAME_LABEL);
	UNUSED(old);
	if (ev == INF_DELETE && by && !strcmp(by, MANAGED_BY) && svc)
		queue_key(data, 's', ns_of(kv), svc);
}

static void on_endpoints(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	UNUSED(old);
	if (ev == INF_DELETE)
		queue_key(data, 's', ns_of(kv), obj_kv_name(kv));
}

static int queue_all(struct store_kv *kv, void *data)
{
	queue_key(data, 's', ns_of(kv), obj_kv_name(kv));
	return 0;
}

void ctrl_endpoints_start(struct ctrl_mgr *m)
{
	struct workqueue *q = workqueue_new(m, "endpoints", 4, endpoints_sync, m);
	struct informer *svcs = informer_of(m, K("", "services"));
	informer_on(svcs, on_service, q);
	informer_on(informer_of(m, K("", "pods")), on_pod, q);
	informer_on(informer_of(m, K("discovery.k8s.io", "endpointslices")), on_slice, q);
	informer_on(informer_of(m, K("", "endpoints")), on_endpoints, q);
	informer_of(m, K("", "nodes"));
	informer_list(svcs, NULL, NULL, queue_all, q);
}
