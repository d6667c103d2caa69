/*
 * ctrl_nodeipam.c - the node IPAM controller: gives each Node a pod network from --cluster-cidr,
 * as upstream's range allocator (pkg/controller/nodeipam/ipam/range_allocator.go).
 *
 * DESIGN
 * The cluster CIDR is cut into /24 subnets for IPv4 (upstream's default --node-cidr-mask-size;
 * /64 for IPv6, of which at most 2^16 are tracked). A bitmap records which are taken. At start
 * every Node's spec.podCIDR is marked taken before anything is allocated, so that a restarted
 * server never hands out a range twice. A Node without spec.podCIDR is queued; its sync takes
 * the next free subnet (searching on from the last one given, as upstream's cidrset does) and
 * sets spec.podCIDR and spec.podCIDRs with a patch; a failed patch gives the subnet back and
 * retries with the queue's back-off. A deleted Node's subnet is released. When no subnet is
 * left, the Node gets the event CIDRNotAvailable (upstream's RecordNodeStatusChange) and is
 * retried with back-off, and queued again as soon as a subnet is released. A podCIDR outside the cluster CIDR (set by hand) is left alone.
 */
#include "server/ctrl.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MANAGER "node-ipam-controller"
#define MAX_SUBNETS (1u << 16)

struct nodeipam {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct cidr net;
	int node_prefix;          /* 24 (IPv4) or 64 (IPv6) */
	uint32_t count;           /* subnets in the cluster CIDR (capped) */
	uint8_t *used;            /* bitmap */
	uint32_t next;            /* where the search for a free subnet starts */
};

static const struct kind *K_nodes(void)
{
	return kind_by_resource("", "v1", "nodes");
}

static int used(const struct nodeipam *c, uint32_t i)
{
	return c->used[i / 8] & (1u << (i % 8));
}

static void set_used(struct nodeipam *c, uint32_t i, int on)
{
	if (on)
		c->used[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		c->used[i / 8] &= (uint8_t)~(1u << (i % 8));
}

/* The index of subnet s ("10.42.3.0/24") in the cluster CIDR, or -1 when it is not one. */
static int64_t subnet_index(const struct nodeipam *c, const char *s)
{
	struct cidr x;
	if (!s || cidr_parse(s, &x) < 0 || x.family != c->net.family || x.prefix != c->node_prefix ||
	    !cidr_overlap(&x, &c->net))
		return -1;
	/* The subnet number is made of the bits between the two prefixes. */
	uint64_t idx = 0;
	for (int bit = c->net.prefix; bit < c->node_prefix; bit++)
		idx = (idx << 1) | ((x.addr[bit / 8] >> (7 - bit % 8)) & 1);
	return idx < c->count ? (int64_t)idx : -1;
}

/* Formats subnet i into out. */
static void subnet_format(const struct nodeipam *c, uint32_t i, char *out, size_t len)
{
	struct cidr x = c->net;
	int nbits = c->node_prefix - c->net.prefix;
	for (int k = 0; k < nbits; k++) {
		int bit = c->net.prefix + k, v = (int)((i >> (nbits - 1 - k)) & 1);
		if (v)
			x.addr[bit / 8] |= (unsigned char)(1u << (7 - bit % 8));
	}
	x.prefix = c->node_prefix;
	cidr_format(&x, out, len);
}

static int mark_existing(struct store_kv *kv, void *data)
{
	struct nodeipam *c = data;
	int64_t i = subnet_index(c, obj_field(kv->attrs, "spec.podCIDR"));
	cJSON *node;
	if (i >= 0) {
		set_used(c, (uint32_t)i, 1);
		return 0;
	}
	/* spec.podCIDR may not be a selectable field: read the object. */
	if ((node = obj_parse(kv)) != NULL) {
		i = subnet_index(c, json_strv(node, "spec", "podCIDR", NULL));
		if (i >= 0)
			set_used(c, (uint32_t)i, 1);
		else if (!json_strv(node, "spec", "podCIDR", NULL))
			workqueue_add(c->q, json_strv(node, "metadata", "name", NULL));
		cJSON_Delete(node);
	}
	return 0;
}

struct ipam_write {
	struct nodeipam *c;
	struct ctrl_mgr *m;
	char *node;
	uint32_t idx;
};

static void patched(int code, const char *body, size_t len, void *data)
{
	struct ipam_write *w = data;
	int ok = code >= 200 && code < 300;
	if (!ctrl_stopping(w->m)) {
		if (!ok) {
			set_used(w->c, w->idx, 0);
			if (code != 404)
				log_warn("nodeipam: cannot set the podCIDR of node %s (%d): %.*s", w->node, code,
					 (int)MIN(len, 300), body);
		}
		workqueue_done(w->c->q, w->node, ok || code == 404 ? 0 : -1);
	}
	free(w->node);
	free(w);
}

static void sync_node(struct workqueue *q, const char *key, void *data)
{
	struct nodeipam *c = data;
	struct store_kv *kv = informer_get(informer_of(c->m, K_nodes()), NULL, key);
	cJSON *node = kv ? obj_parse(kv) : NULL;
	char cidr[64];
	if (!node || json_strv(node, "spec", "podCIDR", NULL) || json_strv(node, "metadata", "deletionTimestamp", NULL)) {
		int64_t i = node ? subnet_index(c, json_strv(node, "spec", "podCIDR", NULL)) : -1;
		if (i >= 0)
			set_used(c, (uint32_t)i, 1);
		cJSON_Delete(node);
		workqueue_done(q, key, 0);
		return;
	}
	uint32_t i = 0, n;
	for (n = 0; n < c->count; n++) {
		i = (c->next + n) % c->count;
		if (!used(c, i))
			break;
	}
	if (n == c->count) {
		ctrl_event(c->m, "cidrAllocator", node, "Normal", "CIDRNotAvailable", "Node %s status is now: CIDRNotAvailable",
			   key);
		log_debug("nodeipam: no pod network left in the cluster CIDR for node %s", key);
		cJSON_Delete(node);
		workqueue_done(q, key, -1);
		return;
	}
	set_used(c, i, 1);
	c->next = (i + 1) % c->count;
	subnet_format(c, i, cidr, sizeof(cidr));
	cJSON *patch = cJSON_CreateObject(), *spec = json_obj_force(patch, "spec"), *list = cJSON_CreateArray();
	json_set_str(spec, "podCIDR", cidr);
	cJSON_AddItemToArray(list, cJSON_CreateString(cidr));
	json_set(spec, "podCIDRs", list);
	struct ipam_write *w = xcalloc(1, sizeof(*w));
	w->c = c;
	w->m = c->m;
	w->node = xstrdup(key);
	w->idx = i;
	log_info("nodeipam: node %s gets podCIDR %s", key, cidr);
	ctrl_patch(c->m, MANAGER, K_nodes(), NULL, key, NULL, patch, patched, w);
	cJSON_Delete(patch);
	cJSON_Delete(node);
}

/* Queues a node still waiting for a pod network (after a release). */
static int queue_waiting(struct store_kv *kv, void *data)
{
	struct nodeipam *c = data;
	cJSON *node = obj_parse(kv);
	if (node && !json_strv(node, "spec", "podCIDR", NULL))
		workqueue_add(c->q, obj_kv_name(kv));
	cJSON_Delete(node);
	return 0;
}

static void on_node(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct nodeipam *c = data;
	const char *name = obj_kv_name(kv);
	UNUSED(old);
	if (ev == INF_DELETE) {
		cJSON *node = obj_parse(kv);
		int64_t i = node ? subnet_index(c, json_strv(node, "spec", "podCIDR", NULL)) : -1;
		if (i >= 0) {
			set_used(c, (uint32_t)i, 0);
			log_info("nodeipam: node %s deleted: podCIDR %s released", name,
				 json_strv(node, "spec", "podCIDR", NULL));
			informer_list(informer_of(c->m, K_nodes()), NULL, NULL, queue_waiting, c);
		}
		cJSON_Delete(node);
		return;
	}
	workqueue_add(c->q, name);
}

static void ipam_stop(void *data)
{
	struct nodeipam *c = data;
	free(c->used);
	free(c);
}

void ctrl_nodeipam_start(struct ctrl_mgr *m)
{
	const struct server_config *cfg = ctrl_server(m)->cfg;
	if (!cfg->cluster_cidr.family || !cfg->allocate_node_cidrs)
		return;
	struct nodeipam *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->net = cfg->cluster_cidr;
	c->node_prefix = c->net.family == AF_INET ? 24 : 64;
	if (c->net.prefix > c->node_prefix) {
		log_warn("nodeipam: --cluster-cidr is smaller than a node's /%d: no pod networks allocated", c->node_prefix);
		free(c);
		return;
	}
	int bits = c->node_prefix - c->net.prefix;
	c->count = bits >= 16 ? MAX_SUBNETS : 1u << bits;
	c->used = xcalloc(c->count / 8 + 1, 1);
	c->q = workqueue_new(m, "nodeipam", 1, sync_node, c);
	informer_list(informer_of(m, K_nodes()), NULL, NULL, mark_existing, c);
	informer_on(informer_of(m, K_nodes()), on_node, c);
	ctrl_on_stop(m, ipam_stop, c);
}
