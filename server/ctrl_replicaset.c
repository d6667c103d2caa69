/*
 * ctrl_replicaset.c - the ReplicaSet controller: keeps spec.replicas active pods matching each
 * ReplicaSet's selector, adopting orphans and releasing pods that stopped matching, and
 * reports status counts, as upstream's replicaset-controller does. The same code runs a second
 * time for core/v1 ReplicationControllers, as upstream's replication manager does.
 *
 * DESIGN
 * Work-queue keys are ReplicaSets ("ns/name"). Pod changes are routed to ReplicaSets through
 * the pod's controller owner uid (the informer attribute x.owner) and a map from ReplicaSet uid
 * to key; an orphan pod goes to every ReplicaSet of its namespace whose selector matches it.
 * A sync:
 *   1. claims pods: active pods it owns that match stay; orphans that match are adopted, owned
 *      pods that stopped matching are released (these writes end the sync; their events bring
 *      the ReplicaSet back with the pods owned);
 *   2. manages replicas: creates the missing pods in slow-start batches (at most 500 a sync),
 *      or deletes the surplus in upstream's order (wl_sort_for_deletion, ranked by how many
 *      pods of the same owner share the node);
 *   3. then writes status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
 *      observedGeneration, the ReplicaFailure condition when creating or deleting failed) and,
 *      when a ready pod will become available after minReadySeconds, looks again then.
 * The sync ends once all its writes have answered (wl_sync), so it never acts on a view that
 * misses its own writes.
 *
 * ReplicationControllers differ only in their selector, a label map: each controlled object is
 * read through parse_owner, which turns that map into the LabelSelector {"matchLabels": map}
 * (upstream's RC-to-ReplicaSet adapter), and the status write turns it back. Each instance
 * has its own kind, work queue and event component (replicaset-controller,
 * replication-controller); pods' owner references name the controlled object's own kind.
 */
#include "server/rollout.h"
#include "server/workload.h"

#include "lib/hmap.h"

#include <stdlib.h>
#include <string.h>

#define BURST 500

struct rsc {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct informer *rs;
	struct informer *pods;
	const struct kind *rsk;
	const struct kind *pk;
	const char *component;
	int map_selector; /* ReplicationControllers: spec.selector is a label map */
	struct hmap by_uid; /* ReplicaSet uid -> its key (malloc'd) */
};

/* ---- reading the controlled objects ----------------------------------------------------- */

/* The stored object, with a label-map selector turned into a LabelSelector (caller frees). */
static cJSON *parse_owner(const struct rsc *c, const struct store_kv *kv)
{
	cJSON *obj = obj_parse(kv), *spec = json_obj(obj, "spec");
	if (!c->map_selector || !spec)
		return obj;
	cJSON *map = cJSON_DetachItemFromObjectCaseSensitive(spec, "selector");
	cJSON *ls = cJSON_CreateObject();
	if (map && !cJSON_IsNull(map))
		json_set(ls, "matchLabels", map);
	else
		cJSON_Delete(map);
	json_set(spec, "selector", ls);
	return obj;
}

/* Undoes parse_owner's selector change before obj is written back. */
static void unparse_owner(const struct rsc *c, cJSON *obj)
{
	cJSON *spec = json_obj(obj, "spec");
	if (!c->map_selector || !spec)
		return;
	cJSON *ls = cJSON_DetachItemFromObjectCaseSensitive(spec, "selector");
	cJSON *map = cJSON_DetachItemFromObjectCaseSensitive(ls, "matchLabels");
	cJSON_Delete(ls);
	if (map)
		json_set(spec, "selector", map);
}

/* ---- event routing ---------------------------------------------------------------------- */

static void enqueue_uid(struct rsc *c, const char *uid)
{
	const char *key = uid && *uid ? hmap_get(&c->by_uid, uid) : NULL;
	if (key)
		workqueue_add(c->q, key);
}

struct orphan_route {
	struct rsc *c;
	const struct store_kv *pod;
};

static int route_orphan(struct store_kv *kv, void *data)
{
	struct orphan_route *r = data;
	cJSON *rs = parse_owner(r->c, kv);
	struct selector sel;
	if (selector_from_json(json_getv(rs, "spec", "selector", NULL), &sel, NULL) == 0 && !sel.nothing &&
	    selector_matches(&sel, obj_label, r->pod->attrs))
		wl_enqueue(r->c->q, kv);
	selector_release(&sel);
	cJSON_Delete(rs);
	return 0;
}

/* Queues every ReplicaSet of the pod's namespace whose selector matches it. */
static void enqueue_matching(struct rsc *c, const struct store_kv *pod)
{
	struct orphan_route r = { c, pod };
	informer_list(c->rs, obj_field(pod->attrs, "metadata.namespace"), NULL, route_orphan, &r);
}

static const char *owner_uid(const struct store_kv *kv)
{
	const char *o = kv ? obj_field(kv->attrs, "x.owner") : NULL;
	return o && *o ? o : NULL;
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct rsc *c = data;
	const char *cur = owner_uid(kv), *prev = owner_uid(old);
	if (ev == INF_DELETE) {
		enqueue_uid(c, cur);
		return;
	}
	if (prev && (!cur || strcmp(prev, cur)))
		enqueue_uid(c, prev);
	if (cur)
		enqueue_uid(c, cur);
	else if (ev == INF_ADD || prev || !wl_same_labels(kv, old))
		enqueue_matching(c, kv);
}

static void on_rs(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct rsc *c = data;
	struct buf key = BUF_INIT;
	const char *uid = obj_field(kv->attrs, "x.uid");
	UNUSED(old);
	informer_key(kv, &key);
	if (uid && *uid)
		free(ev == INF_DELETE ? hmap_del(&c->by_uid, uid) : hmap_put(&c->by_uid, uid, xstrdup(key.data)));
	workqueue_add(c->q, key.data);
	buf_release(&key);
}

/* ---- claiming pods ---------------------------------------------------------------------- */

/* The pods of one sync: the active pods the ReplicaSet owns and that match it. */
struct podlist {
	cJSON **v;
	size_t n;
};

static void podlist_add(struct podlist *l, cJSON *pod)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = pod;
}

static void podlist_release(struct podlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		cJSON_Delete(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

struct claim {
	struct rsc *c;
	struct wl_sync *s;
	const cJSON *rs;
	const char *uid;
	struct podlist owned;
	int writes; /* adoptions and releases sent */
};

static int claim_one(struct store_kv *kv, void *data)
{
	struct claim *cl = data;
	const char *o = owner_uid(kv);
	if (o && strcmp(o, cl->uid))
		return 0; /* another controller's: no need to parse it */
	cJSON *pod = obj_parse(kv);
	if (!pod || !wl_pod_active(pod)) {
		cJSON_Delete(pod);
		return 0;
	}
	int matches = wl_selector_matches(json_getv(cl->rs, "spec", "selector", NULL), json_getv(pod, "metadata", "labels", NULL));
	switch (wl_claim(cl->rs, pod, matches)) {
	case WL_OWNED:
		podlist_add(&cl->owned, pod);
		return 0;
	case WL_ADOPT:
		wl_adopt(cl->s, cl->c->component, cl->c->pk, pod, cl->rs);
		cl->writes++;
		break;
	case WL_RELEASE:
		wl_release(cl->s, cl->c->component, cl->c->pk, pod, cl->uid);
		cl->writes++;
		break;
	case WL_IGNORE:
		break;
	}
	cJSON_Delete(pod);
	return 0;
}

/* ---- deletion ranks --------------------------------------------------------------------- */

struct node_count {
	struct hmap nodes; /* node name -> (void *)(uintptr_t)count */
	struct hmap seen;  /* pod uid */
	const struct selector *sel;
};

static int count_pod(struct store_kv *kv, void *data)
{
	struct node_count *nc = data;
	const char *uid = obj_field(kv->attrs, "x.uid");
	if (!uid || hmap_get(&nc->seen, uid))
		return 0;
	hmap_put(&nc->seen, uid, (void *)1);
	cJSON *pod = obj_parse(kv);
	if (pod && wl_pod_active(pod)) {
		const char *node = json_strv(pod, "spec", "nodeName", NULL);
		node = node ? node : "";
		hmap_put(&nc->nodes, node, (void *)((uintptr_t)hmap_get(&nc->nodes, node) + 1));
	}
	cJSON_Delete(pod);
	return 0;
}

struct related {
	struct rsc *c;
	struct node_count *nc;
};

static int count_related(struct store_kv *kv, void *data)
{
	struct related *r = data;
	cJSON *rs = parse_owner(r->c, kv);
	struct selector sel;
	if (selector_from_json(json_getv(rs, "spec", "selector", NULL), &sel, NULL) == 0 && !sel.nothing)
		informer_list(r->c->pods, json_strv(rs, "metadata", "namespace", NULL), &sel, count_pod, r->nc);
	selector_release(&sel);
	cJSON_Delete(rs);
	return 0;
}

/* Upstream's getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active pods
 * of the ReplicaSets sharing rs's controller that run on its node. */
static void rank_pods(struct rsc *c, const cJSON *rs, const cJSON **pods, int *ranks, size_t n)
{
	struct node_count nc = { HMAP_INIT, HMAP_INIT, NULL };
	struct related r = { c, &nc };
	const cJSON *ctl = ctrl_owner(rs);
	if (ctl && json_str(ctl, "uid"))
		informer_owned(c->rs, json_str(ctl, "uid"), count_related, &r);
	for (size_t i = 0; i < n; i++) {
		const char *node = json_strv(pods[i], "spec", "nodeName", NULL);
		ranks[i] = (int)(uintptr_t)hmap_get(&nc.nodes, node ? node : "");
	}
	hmap_release(&nc.nodes);
	hmap_release(&nc.seen);
}

/* ---- status ----------------------------------------------------------------------------- */

/* What the status write after managing replicas needs (one allocation: freed with free()). */
struct after {
	struct rsc *c;
	int64_t replicas, labeled, ready, available;
	int diff;
	char rs[]; /* the ReplicaSet as synced, printed */
};

static int labels_superset(const cJSON *have, const cJSON *want)
{
	const cJSON *l;
	cJSON_ArrayForEach(l, want) {
		const char *v = json_str(have, l->string);
		if (!cJSON_IsString(l) || !v || strcmp(v, l->valuestring))
			return 0;
	}
	return 1;
}

static void set_count(cJSON *st, const char *key, int64_t v)
{
	if (v)
		json_set_int(st, key, v);
	else
		json_del(st, key);
}

/* Sets or clears the ReplicaFailure condition as upstream's calculateStatus does. */
static void failure_condition(cJSON *st, const char *err, int diff)
{
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions"), *found = NULL, *c;
	cJSON_ArrayForEach(c, conds)
		if (json_str(c, "type") && !strcmp(json_str(c, "type"), "ReplicaFailure"))
			found = c;
	if (err && !found) {
		char now[21];
		wl_now(now);
		if (!cJSON_IsArray(conds)) {
			conds = cJSON_CreateArray();
			json_set(st, "conditions", conds);
		}
		c = cJSON_CreateObject();
		json_set_str(c, "type", "ReplicaFailure");
		json_set_str(c, "status", "True");
		json_set_str(c, "lastTransitionTime", now);
		json_set_str(c, "reason", diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "");
		json_set_str(c, "message", err);
		cJSON_AddItemToArray(conds, c);
	} else if (!err && found) {
		cJSON_Delete(cJSON_DetachItemViaPointer(conds, found));
		if (!cJSON_GetArraySize(conds))
			json_del(st, "conditions");
	}
}

static void write_status(struct wl_sync *s, int done, const char *err, void *arg)
{
	struct after *a = arg;
	cJSON *rs = json_parse(a->rs, strlen(a->rs), NULL);
	UNUSED(done);
	const cJSON *old = json_obj(rs, "status");
	cJSON *st = old ? cJSON_Duplicate(old, 1) : cJSON_CreateObject();
	json_set_int(st, "replicas", a->replicas);
	set_count(st, "fullyLabeledReplicas", a->labeled);
	set_count(st, "readyReplicas", a->ready);
	set_count(st, "availableReplicas", a->available);
	set_count(st, "observedGeneration", wl_int(json_obj(rs, "metadata"), "generation"));
	failure_condition(st, err, a->diff);
	struct buf x = BUF_INIT, y = BUF_INIT;
	wl_canonical(old, &x);
	wl_canonical(st, &y);
	if (strcmp(buf_str(&x), buf_str(&y))) {
		json_set(rs, "status", st);
		st = NULL; /* rs's resourceVersion stays a precondition, as in the deployment controller */
		unparse_owner(a->c, rs);
		ctrl_update(wl_sync_mgr(s), a->c->component, a->c->rsk, json_strv(rs, "metadata", "namespace", NULL),
			    json_strv(rs, "metadata", "name", NULL), "status", rs, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	}
	cJSON_Delete(st);
	cJSON_Delete(rs);
	buf_release(&x);
	buf_release(&y);
}

/* Counts the owned pods into a new struct after; *wake gets the ms until a ready pod becomes
 * available (0: none). */
static struct after *count_pods(struct rsc *c, const cJSON *rs, const struct podlist *pods, uint64_t *wake)
{
	char *printed = json_print_str(rs);
	size_t len = strlen(printed);
	struct after *a = xcalloc(1, sizeof(*a) + len + 1);
	const cJSON *spec = json_obj(rs, "spec");
	const cJSON *tl = json_getv(spec, "template", "metadata", "labels", NULL);
	int64_t min_ready = wl_int(spec, "minReadySeconds"), now = wall_seconds();
	memcpy(a->rs, printed, len + 1);
	free(printed);
	a->c = c;
	a->replicas = (int64_t)pods->n;
	*wake = 0;
	for (size_t i = 0; i < pods->n; i++) {
		const cJSON *p = pods->v[i];
		a->labeled += labels_superset(json_getv(p, "metadata", "labels", NULL), tl);
		a->ready += wl_pod_ready(p);
		a->available += wl_pod_available(p, min_ready, now);
		uint64_t in = wl_pod_available_in(p, min_ready, now);
		if (in && (!*wake || in < *wake))
			*wake = in;
	}
	return a;
}

/* ---- the sync --------------------------------------------------------------------------- */

/* Creates or deletes pods so that rs has spec.replicas of them; write_status follows. */
static void manage(struct rsc *c, struct wl_sync *s, const cJSON *rs, struct podlist *pods, struct after *a)
{
	int64_t want = wl_int(json_obj(rs, "spec"), "replicas");
	int64_t diff = (int64_t)pods->n - want;
	a->diff = diff < 0 ? -1 : diff > 0 ? 1 : 0;
	if (wl_deleting(rs) || !diff) {
		write_status(s, 0, NULL, a);
		free(a);
		return;
	}
	if (diff < 0) {
		wl_create_pods(s, c->component, json_getv(rs, "spec", "template", NULL), rs, (int)MIN(-diff, BURST),
			       write_status, a);
		return;
	}
	diff = MIN(diff, BURST);
	int *ranks = xcalloc(pods->n + 1, sizeof(int));
	if ((size_t)diff < pods->n) {
		rank_pods(c, rs, (const cJSON **)pods->v, ranks, pods->n);
		wl_sort_for_deletion((const cJSON **)pods->v, ranks, pods->n, wall_seconds());
	}
	wl_delete_pods(s, c->component, rs, (const cJSON *const *)pods->v, (size_t)diff, write_status, a);
	free(ranks);
}

static void rs_sync(struct workqueue *q, const char *key, void *data)
{
	struct rsc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->rs, ns, name);
	cJSON *rs = kv ? parse_owner(c, kv) : NULL;
	if (!rs)
		goto out;
	struct claim cl = { c, s, rs, json_strv(rs, "metadata", "uid", NULL), { NULL, 0 }, 0 };
	if (!cl.uid)
		goto out;
	informer_list(c->pods, ns, NULL, claim_one, &cl);
	if (!cl.writes) {
		uint64_t wake = 0;
		struct after *a = count_pods(c, rs, &cl.owned, &wake);
		manage(c, s, rs, &cl.owned, a);
		if (wake)
			workqueue_add_after(q, key, wake);
	}
	podlist_release(&cl.owned);
out:
	cJSON_Delete(rs);
	wl_sync_end(s);
}

/* ---- start and stop --------------------------------------------------------------------- */

static int index_rs(struct store_kv *kv, void *data)
{
	struct rsc *c = data;
	struct buf key = BUF_INIT;
	const char *uid = obj_field(kv->attrs, "x.uid");
	informer_key(kv, &key);
	if (uid && *uid)
		free(hmap_put(&c->by_uid, uid, xstrdup(key.data)));
	workqueue_add(c->q, key.data);
	buf_release(&key);
	return 0;
}

static int free_value(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	free(value);
	return 0;
}

static void rsc_stop(void *data)
{
	struct rsc *c = data;
	hmap_each(&c->by_uid, free_value, NULL);
	hmap_release(&c->by_uid);
	free(c);
}

static void rsc_start(struct ctrl_mgr *m, const struct kind *k, const char *queue, const char *component,
		      int map_selector)
{
	struct rsc *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->rsk = k;
	c->pk = kind_by_resource("", "v1", "pods");
	c->component = component;
	c->map_selector = map_selector;
	c->q = workqueue_new(m, queue, 5, rs_sync, c);
	c->rs = informer_of(m, c->rsk);
	c->pods = informer_of(m, c->pk);
	informer_on(c->rs, on_rs, c);
	informer_on(c->pods, on_pod, c);
	informer_list(c->rs, NULL, NULL, index_rs, c);
	ctrl_on_stop(m, rsc_stop, c);
}

void ctrl_replicaset_start(struct ctrl_mgr *m)
{
	rsc_start(m, kind_by_resource("apps", "v1", "replicasets"), "replicaset", "replicaset-controller", 0);
	rsc_start(m, kind_by_resource("", "v1", "replicationcontrollers"), "replicationmanager",
		  "replication-controller", 1);
}
