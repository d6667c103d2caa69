/*
 * ctrl_servicelb.c - the ServiceLB status controller, k3s style: a Service of type
 * LoadBalancer without spec.loadBalancerClass gets status.loadBalancer.ingress = the
 * InternalIP and ExternalIP addresses of the Ready nodes, kept in step with the nodes; each
 * agent's service proxy forwards traffic to those addresses on the Service's ports (as it does
 * for externalIPs). A Service that stops being of type LoadBalancer has its ingress cleared, as
 * upstream's service controller does.
 *
 * DESIGN
 * One work queue of Service keys. Service changes queue their key; a Node change that can move
 * the address list (added, deleted, addresses or readiness changed) queues every LoadBalancer
 * Service. A sync computes the sorted, de-duplicated address list and writes the status (merge
 * patch of the status subresource) only when it differs.
 */
#include "lib/cidr.h"
#include "server/rollout.h"
#include "server/workload.h"

#include <stdlib.h>
#include <string.h>

#define LB_COMPONENT "service-lb-controller"

struct slb {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct informer *svcs, *nodes;
	const struct kind *svck;
};

static int node_ready(const cJSON *node)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(node, "status", "conditions", NULL)) {
		const char *t = json_str(c, "type"), *st = json_str(c, "status");
		if (t && !strcmp(t, "Ready"))
			return st && !strcmp(st, "True");
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct addrs {
	char **v;
	size_t n, cap;
};

static int collect_node(struct store_kv *kv, void *data)
{
	struct addrs *a = data;
	cJSON *node = obj_parse(kv);
	const cJSON *ad;
	if (node && node_ready(node) && !wl_deleting(node)) {
		cJSON_ArrayForEach(ad, json_getv(node, "status", "addresses", NULL)) {
			const char *t = json_str(ad, "type"), *ip = json_str(ad, "address");
			if (!t || !ip || (strcmp(t, "InternalIP") && strcmp(t, "ExternalIP")) || !ip_valid(ip))
				continue;
			if (a->n == a->cap) {
				a->cap = a->cap ? a->cap * 2 : 8;
				a->v = xrealloc(a->v, a->cap * sizeof(char *));
			}
			a->v[a->n++] = xstrdup(ip);
		}
	}
	cJSON_Delete(node);
	return 0;
}

/* The ingress list the Ready nodes give (caller frees). */
static cJSON *desired_ingress(struct slb *c)
{
	struct addrs a = { NULL, 0, 0 };
	cJSON *list = cJSON_CreateArray();
	informer_list(c->nodes, NULL, NULL, collect_node, &a);
	if (a.n)
		qsort(a.v, a.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < a.n; i++) {
		if (i == 0 || strcmp(a.v[i], a.v[i - 1])) {
			cJSON *e = cJSON_CreateObject();
			json_set_str(e, "ip", a.v[i]);
			json_set_str(e, "ipMode", "VIP");
			cJSON_AddItemToArray(list, e);
		}
		free(a.v[i]);
	}
	free(a.v);
	return list;
}

static int is_ours(const cJSON *svc)
{
	const char *type = json_strv(svc, "spec", "type", NULL);
	return type && !strcmp(type, "LoadBalancer") && !json_strv(svc, "spec", "loadBalancerClass", NULL);
}

static void lb_sync(struct workqueue *q, const char *key, void *data)
{
	struct slb *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->svcs, ns, name);
	cJSON *svc = kv ? obj_parse(kv) : NULL, *want = NULL;
	const cJSON *cur = json_getv(svc, "status", "loadBalancer", "ingress", NULL);
	const char *class = json_strv(svc, "spec", "loadBalancerClass", NULL);
	if (svc && !wl_deleting(svc) && !class) {
		want = is_ours(svc) ? desired_ingress(c) : cJSON_CreateArray();
		int have = cJSON_GetArraySize(cur), need = cJSON_GetArraySize(want);
		if ((have || need) && !(cur && cJSON_Compare(cur, want, 1))) {
			cJSON *patch = cJSON_CreateObject(), *lb = cJSON_CreateObject();
			if (need)
				json_set(lb, "ingress", cJSON_Duplicate(want, 1));
			else
				json_set(lb, "ingress", cJSON_CreateNull());
			json_set(json_obj_force(patch, "status"), "loadBalancer", lb);
			ctrl_patch(c->m, LB_COMPONENT, c->svck, ns, name, "status", patch, wl_sync_cb,
				   wl_sync_expect(s, wl_answer_strict, NULL));
			cJSON_Delete(patch);
		}
	}
	cJSON_Delete(want);
	cJSON_Delete(svc);
	wl_sync_end(s);
}

static void on_service(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct slb *c = data;
	UNUSED(old);
	if (ev != INF_DELETE)
		wl_enqueue(c->q, kv);
}

static int queue_lb(struct store_kv *kv, void *data)
{
	struct slb *c = data;
	cJSON *svc = obj_parse(kv);
	if (svc && (is_ours(svc) || json_getv(svc, "status", "loadBalancer", "ingress", NULL)))
		wl_enqueue(c->q, kv);
	cJSON_Delete(svc);
	return 0;
}

/* A node change matters when it can change the address list: readiness or addresses. */
static void on_node(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct slb *c = data;
	int changed = ev != INF_UPDATE;
	if (!changed) {
		cJSON *a = obj_parse(kv), *b = obj_parse(old);
		changed = !a || !b || node_ready(a) != node_ready(b) ||
			  !cJSON_Compare(json_getv(a, "status", "addresses", NULL), json_getv(b, "status", "addresses", NULL), 1);
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	if (changed)
		informer_list(c->svcs, NULL, NULL, queue_lb, c);
}

static void slb_stop(void *data)
{
	free(data);
}

void ctrl_servicelb_start(struct ctrl_mgr *m)
{
	struct slb *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->svck = kind_by_resource("", "v1", "services");
	c->q = workqueue_new(m, "servicelb", 2, lb_sync, c);
	c->svcs = informer_of(m, c->svck);
	c->nodes = informer_of(m, kind_by_resource("", "v1", "nodes"));
	informer_on(c->svcs, on_service, c);
	informer_on(c->nodes, on_node, c);
	informer_list(c->svcs, NULL, NULL, queue_lb, c);
	ctrl_on_stop(m, slb_stop, c);
}
