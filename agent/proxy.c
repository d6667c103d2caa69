/*
 * proxy.c - the service proxy (kube-proxy, nftables mode): keeps one nftables table named from
 * the instance prefix in step with the Services, EndpointSlices and this node's pods.
 *
 * DESIGN
 * The proxy keeps its own copies of the Services, EndpointSlices and pods with hostPorts
 * (copied per change, so the loop's cost is proportional to the object changed). Every change
 * arms a short timer (PROXY_COALESCE_MS), so that a burst of changes gives one sync. A sync runs
 * in the thread pool (uv_queue_work): it computes the desired model from the copies
 * (proxy_rules.c: text only), compiles it and sends it; copies replaced meanwhile are freed only
 * after it ends. The first sync replaces the whole table (a leftover table of a crashed
 * run is replaced in the same transaction), later ones send only the difference with the model
 * last applied (nf_apply_diff). At most one sync is in flight; changes meanwhile make another
 * one follow. A failed sync is logged and retried in full after a back-off (500 ms doubling to
 * 30 s). At stop the table is deleted when no pod sandbox is left on the node (running pods keep
 * their Services across an agent restart).
 */
#include <stdlib.h>
#include <string.h>

#include "agent/internal.h"
#include "agent/proxy_rules.h"
#include "netfilter/nft.h"

#define PROXY_COALESCE_MS 20
#define PROXY_BACKOFF_MIN_MS 500
#define PROXY_BACKOFF_MAX_MS 30000

struct collect {
	const cJSON **v;
	size_t n, cap;
};

struct proxy {
	struct agent *a;
	char *table;
	uv_timer_t timer;
	uv_work_t work;
	struct nf_ruleset *applied;  /* what the kernel holds (NULL before the first sync) */
	struct nf_ruleset *next;     /* the sync in flight */
	int full;                    /* the next sync replaces the whole table */
	int synced;                  /* every informer has listed */
	int inflight, dirty, stopping, closed;
	int rc;                      /* the outcome of the work */
	size_t nmsgs;
	uint64_t backoff_ms;
	uint64_t started_ns;
	struct hmap objs[3];         /* Services, EndpointSlices, pods with hostPorts: "ns/name" ->
					the proxy's own copy (cJSON, owned); the syncs read them */
	struct collect in[3];        /* the sync in flight: the copies it reads */
	cJSON **grave;               /* copies replaced while a sync reads them: freed after it */
	size_t ngrave, capgrave;
	unsigned syncs;
	struct buf err;
	void (*stop_done)(struct agent *a);
};

static void sync_timer(uv_timer_t *t);

/* Asks for a sync in delay_ms (or after the one in flight). */
static void proxy_kick(struct proxy *p, uint64_t delay_ms)
{
	if (p->stopping || !p->synced)
		return;
	if (p->inflight) {
		p->dirty = 1;
		return;
	}
	if (uv_is_active((uv_handle_t *)&p->timer))
		return; /* a sync is already due: it will see this change */
	uv_timer_start(&p->timer, sync_timer, delay_ms, 0);
}

static int collect(const char *key, void *value, void *data)
{
	struct collect *c = data;
	UNUSED(key);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = value;
	return 0;
}

/* Computes the desired table from the copies listed in p->in (on the worker thread: the loop
 * neither changes nor frees them meanwhile). */
static struct nf_ruleset *desired(struct proxy *p)
{
	struct agent *a = p->a;
	struct proxy_input in = {
		.table = p->table, .node_name = a->cfg->node_name,
		.cluster_cidr = a->cluster_cidr, .service_cidr = a->service_cidr, .dns_ip = a->cluster_dns,
		.services = p->in[0].v, .nservices = p->in[0].n, .slices = p->in[1].v, .nslices = p->in[1].n,
		.pods = p->in[2].v, .npods = p->in[2].n,
	};
	return proxy_rules_build(&in, &p->err);
}

/* After a sync: the copies replaced meanwhile can go. */
static void release_inputs(struct proxy *p)
{
	for (size_t i = 0; i < p->ngrave; i++)
		cJSON_Delete(p->grave[i]);
	p->ngrave = 0;
}

static void sync_work(uv_work_t *w)
{
	struct proxy *p = w->data;
	buf_reset(&p->err);
	p->nmsgs = 0;
	p->next = desired(p);
	if (p->err.len)
		log_debug("proxy: skipped: %s", buf_str(&p->err));
	buf_reset(&p->err);
	if (p->full || !p->applied)
		p->rc = nf_apply_full(p->next, &p->err);
	else
		p->rc = nf_apply_diff(p->applied, p->next, &p->nmsgs, &p->err);
}

static void finish_stop(struct proxy *p);

static void sync_done(uv_work_t *w, int status)
{
	struct proxy *p = w->data;
	p->inflight = 0;
	release_inputs(p);
	if (status == 0 && p->rc == 0) {
		nf_ruleset_free(p->applied);
		p->applied = p->next;
		log_debug("proxy: %s sync of table %s in %.1f ms (%zu messages)", p->full ? "full" : "incremental",
			  p->table, (double)(now_ns() - p->started_ns) / 1e6, p->nmsgs);
		p->full = 0;
		p->backoff_ms = 0;
		p->syncs++;
	} else {
		nf_ruleset_free(p->next);
		p->backoff_ms = p->backoff_ms ? MIN(p->backoff_ms * 2, PROXY_BACKOFF_MAX_MS) : PROXY_BACKOFF_MIN_MS;
		log_error("proxy: sync of table %s failed (%s); retrying in %llu ms", p->table, buf_str(&p->err),
			  (unsigned long long)p->backoff_ms);
		p->full = 1;
		p->dirty = 1;
	}
	p->next = NULL;
	if (p->stopping) {
		finish_stop(p);
		return;
	}
	if (p->dirty) {
		p->dirty = 0;
		proxy_kick(p, p->backoff_ms ? p->backoff_ms : PROXY_COALESCE_MS);
	}
}

static void sync_timer(uv_timer_t *t)
{
	struct proxy *p = t->data;
	if (p->stopping || p->inflight)
		return;
	p->started_ns = now_ns();
	for (size_t i = 0; i < 3; i++) {
		p->in[i].n = 0;
		hmap_each(&p->objs[i], collect, &p->in[i]);
	}
	p->inflight = 1;
	p->dirty = 0;
	p->work.data = p;
	if (uv_queue_work(p->a->loop, &p->work, sync_work, sync_done) < 0) {
		p->inflight = 0;
		release_inputs(p);
		proxy_kick(p, PROXY_BACKOFF_MIN_MS);
	}
}

/* ---- the hooks of agent.c --------------------------------------------------------------- */

int proxy_start(struct agent *a, struct buf *err)
{
	struct proxy *p = xcalloc(1, sizeof(*p));
	UNUSED(err);
	p->a = a;
	p->table = xstrdup(a->cfg->resource_prefix);
	p->full = 1;
	uv_timer_init(a->loop, &p->timer);
	p->timer.data = p;
	a->proxy_state = p;
	log_info("proxy: programming nftables table ip %s", p->table);
	return 0;
}

/* Whether a change of kind matters to the rules: every Service and EndpointSlice; pods only
 * for their hostPorts. */
static int relevant(enum agent_kind kind, const cJSON *old, const cJSON *obj)
{
	if (kind == AGENT_NODE)
		return 0;
	if (kind != AGENT_POD)
		return 1;
	const cJSON *o = obj ? obj : old;
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(o, "spec", "containers", NULL)) {
		const cJSON *port;
		cJSON_ArrayForEach(port, json_getv(c, "ports", NULL))
			if (json_getv(port, "hostPort", NULL))
				return 1;
	}
	return 0;
}

/* Replaces the proxy's copy of an object (NULL: removes it); the old copy is freed now, or
 * after the sync in flight that may read it. */
static void keep(struct proxy *p, int idx, const char *key, const cJSON *obj)
{
	cJSON *prev = obj ? hmap_put(&p->objs[idx], key, cJSON_Duplicate(obj, 1)) : hmap_del(&p->objs[idx], key);
	if (!prev)
		return;
	if (!p->inflight) {
		cJSON_Delete(prev);
		return;
	}
	if (p->ngrave == p->capgrave) {
		p->capgrave = p->capgrave ? p->capgrave * 2 : 16;
		p->grave = xrealloc(p->grave, p->capgrave * sizeof(*p->grave));
	}
	p->grave[p->ngrave++] = prev;
}

void proxy_changed(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj)
{
	struct proxy *p = a->proxy_state;
	if (!p || p->stopping || !relevant(kind, old, obj))
		return;
	const cJSON *o = obj ? obj : old;
	const char *ns = json_strv(o, "metadata", "namespace", NULL), *name = json_strv(o, "metadata", "name", NULL);
	if (!name)
		return;
	char *key = xasprintf("%s/%s", ns ? ns : "", name);
	keep(p, kind == AGENT_SERVICE ? 0 : kind == AGENT_SLICE ? 1 : 2, key, obj);
	free(key);
	proxy_kick(p, PROXY_COALESCE_MS);
}

void proxy_synced(struct agent *a)
{
	struct proxy *p = a->proxy_state;
	if (!p)
		return;
	p->synced = 1;
	p->full = 1;
	proxy_kick(p, 0);
}

static void timer_closed(uv_handle_t *h)
{
	struct proxy *p = h->data;
	p->closed = 1;
	if (p->stop_done)
		p->stop_done(p->a);
}

/* The end of the stop: the table goes when no pod sandbox is left. */
static void finish_stop(struct proxy *p)
{
	if (agent_sandboxes(p->a) == 0) {
		struct buf err = BUF_INIT;
		if (nf_table_delete(p->table, &err) < 0)
			log_warn("proxy: cannot delete table ip %s: %s", p->table, buf_str(&err));
		else
			log_info("proxy: deleted table ip %s", p->table);
		buf_release(&err);
	} else {
		log_info("proxy: pod sandboxes remain: table ip %s kept", p->table);
	}
	uv_close((uv_handle_t *)&p->timer, timer_closed);
}

void proxy_stop(struct agent *a, void (*done)(struct agent *a))
{
	struct proxy *p = a->proxy_state;
	if (!p || p->stopping) {
		done(a);
		return;
	}
	p->stopping = 1;
	p->stop_done = done;
	uv_timer_stop(&p->timer);
	if (!p->inflight)
		finish_stop(p);
}

static int free_copy(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cJSON_Delete(value);
	return 0;
}

void proxy_free(struct agent *a)
{
	struct proxy *p = a->proxy_state;
	if (!p)
		return;
	nf_ruleset_free(p->applied);
	nf_ruleset_free(p->next);
	release_inputs(p);
	for (size_t i = 0; i < 3; i++) {
		hmap_each(&p->objs[i], free_copy, NULL);
		hmap_release(&p->objs[i]);
		free(p->in[i].v);
	}
	free(p->grave);
	buf_release(&p->err);
	free(p->table);
	free(p);
	a->proxy_state = NULL;
}
