/*
 * sched.c - the scheduler: keeps the cluster's picture from the informers, schedules one pod
 * per cycle and binds it, and reports the pods that fit nowhere.
 *
 * DESIGN
 * State (struct sched, in sched.h): the cluster (nodes and the pods accounted on each, sched_pod.c),
 * the scheduling queue (sched_queue.c), the placements (pod key -> node) and the nominations.
 * The pod and node informers feed it synchronously after each commit, so the per-node sums are
 * always those of the store plus the placements assumed and not yet seen bound.
 *
 * A cycle (the run timer, for at most RUN_SLICE_MS per loop turn so that the API keeps serving):
 * pop the highest-priority pod; run the pre-filters; try its nominated node first; then filter
 * nodes from a rotating start until upstream's number of feasible nodes is found (all nodes up
 * to 100, then 50% less 1% per 125 nodes, at least 5% or 100); score them and pick the best
 * (ties at random); assume the pod on it (it counts at once for the next cycles) and POST the
 * binding. The answer comes back later: success records the Scheduled event, failure forgets the
 * assumption and retries the pod after its back-off. A pod that fits nowhere tries preemption,
 * then gets PodScheduled=False with upstream's message (a status write only when it changes) and a
 * FailedScheduling event, and waits in the unschedulable set until an event that may help (a
 * node added or changed, an assigned pod deleted or added) or 5 minutes pass; its back-off
 * (1 s doubling to 10 s) applies either way. Cycles pause while MAX_WRITES_IN_FLIGHT of the
 * scheduler's own writes (bindings, status patches) await their answers.
 */
#include "server/sched.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/kinds.h"

#define RUN_SLICE_NS (10 * 1000000ULL)
#define FLUSH_MS 30000
#define UNSCHEDULABLE_MAX_MS (5 * 60 * 1000)
#define NOTE_LENGTH_LIMIT 1024
#define MIN_FEASIBLE 100
#define MIN_FEASIBLE_PERCENT 5
/* At most this many of the scheduler's bindings and status writes in flight: a cycle waits for
 * answers beyond it, so that a storm of failures (thousands of waiting pods re-queued by node
 * changes) cannot flood the loop with writes and starve the API's clients. Upstream's scheduler
 * gets the same back-pressure from its client's rate limit. */
#define MAX_WRITES_IN_FLIGHT 128

/* What events may help pods rejected by these plugins (upstream's queueing hints, coarsely). */
#define HELPED_BY_POD_DELETE (SP_FIT | SP_PORTS | SP_INTERPOD | SP_SPREAD)
#define HELPED_BY_POD_ADD (SP_INTERPOD | SP_SPREAD)

static uint64_t now_ms(void)
{
	return now_ns() / 1000000;
}

static void arm_run(struct sched *s);
static void arm_backoff(struct sched *s);
static void sched_free_if_done(struct sched *s);

/* Ends one of the scheduler's writes: a cycle paused on the limit may go on. */
static void write_answered(struct sched *s)
{
	s->calls--;
	if (!s->stopped)
		arm_run(s);
	sched_free_if_done(s);
}

static void patch_answered(int code, const char *body, size_t len, void *data)
{
	UNUSED(code);
	UNUSED(body);
	UNUSED(len);
	write_answered(data);
}

/* ---- writes: events and status --------------------------------------------------------- */

static cJSON *involved(const struct sched_pod *p)
{
	cJSON *o = cJSON_CreateObject(), *meta = json_obj_force(o, "metadata");
	json_set_str(o, "apiVersion", "v1");
	json_set_str(o, "kind", "Pod");
	json_set_str(meta, "namespace", p->ns);
	json_set_str(meta, "name", p->name);
	json_set_str(meta, "uid", p->uid);
	if (*p->rv)
		json_set_str(meta, "resourceVersion", p->rv);
	return o;
}

void sched_event(struct sched *s, const struct sched_pod *p, const char *type, const char *reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* upstream's truncateMessage: events notes are at most 1024 bytes. */
	if (strlen(msg) > NOTE_LENGTH_LIMIT)
		memcpy(msg + NOTE_LENGTH_LIMIT - 4, " ...", 5);
	cJSON *inv = involved(p);
	ctrl_event(s->m, SCHED_NAME, inv, type, reason, "%s", msg);
	cJSON_Delete(inv);
	free(msg);
}

void sched_patch_status(struct sched *s, const struct sched_pod *p, const char *cond, const char *status,
			const char *reason, const char *message, const char *nominate)
{
	struct store_kv *kv = informer_get(s->pods, p->ns, p->name);
	cJSON *pod = kv ? obj_parse(kv) : NULL;
	if (!pod || strcmp(json_strv(pod, "metadata", "uid", NULL) ? json_strv(pod, "metadata", "uid", NULL) : "", p->uid))
		goto out;
	int changed = cond ? sched_set_condition(pod, cond, status, reason, message) : 0;
	const char *cur = json_strv(pod, "status", "nominatedNodeName", NULL);
	int nom_changed = nominate && strcmp(cur ? cur : "", nominate);
	if (!changed && !nom_changed)
		goto out;
	/* As upstream: a strategic merge patch of what changed, without a resourceVersion
	 * precondition, so a cache a write behind (a pod just bound) cannot lose it. */
	cJSON *patch = cJSON_CreateObject(), *st = json_obj_force(patch, "status");
	if (changed) {
		cJSON *conds = cJSON_AddArrayToObject(st, "conditions"), *c;
		cJSON_ArrayForEach(c, json_getv(pod, "status", "conditions", NULL))
			if (!strcmp(jstr0(c, "type"), cond))
				cJSON_AddItemToArray(conds, cJSON_Duplicate(c, 1));
	}
	if (nom_changed)
		json_set(st, "nominatedNodeName", *nominate ? cJSON_CreateString(nominate) : cJSON_CreateNull());
	s->calls++;
	ctrl_patch_strategic(s->m, SCHED_NAME, s->pod_kind, p->ns, p->name, "status", patch, patch_answered, s);
	cJSON_Delete(patch);
out:
	cJSON_Delete(pod);
}

/* ---- placements and nominations -------------------------------------------------------- */

static void placed_free(struct sched_placed *pl)
{
	sched_pod_unref(pl->pod);
	free(pl->node_name);
	free(pl);
}

/* Accounts p on node (replacing an earlier placement of the same pod). */
static void place(struct sched *s, const char *key, struct sched_pod *p, const char *node, int assumed)
{
	struct sched_placed *pl = hmap_get(&s->placed, key);
	if (pl) {
		sched_node_remove_pod(pl->node, pl->pod);
		sched_cluster_prune(&s->c, pl->node);
		sched_pod_unref(pl->pod);
	} else {
		pl = xcalloc(1, sizeof(*pl));
		hmap_put(&s->placed, key, pl);
	}
	pl->pod = sched_pod_ref(p);
	pl->node = sched_cluster_node(&s->c, node);
	pl->assumed = assumed;
	sched_node_add_pod(pl->node, p);
}

/* Forgets the placement of key; returns 1 if there was one. */
static int unplace(struct sched *s, const char *key)
{
	struct sched_placed *pl = hmap_del(&s->placed, key);
	if (!pl)
		return 0;
	sched_node_remove_pod(pl->node, pl->pod);
	sched_cluster_prune(&s->c, pl->node);
	placed_free(pl);
	return 1;
}

void sched_nominate(struct sched *s, struct sched_pod *p, const char *node)
{
	char key[512];
	sched_pod_key(p, key, sizeof(key));
	struct sched_placed *n = hmap_del(&s->nom, key);
	if (n) {
		sched_cluster_unnominate(&s->c, n->pod, n->node_name);
		placed_free(n);
	}
	if (!node || !*node)
		return;
	n = xcalloc(1, sizeof(*n));
	n->pod = sched_pod_ref(p);
	n->node_name = xstrdup(node);
	hmap_put(&s->nom, key, n);
	sched_cluster_nominate(&s->c, p, node);
}

/* ---- moving waiting pods --------------------------------------------------------------- */

static void move(struct sched *s, unsigned plugins)
{
	if (sched_queue_move(&s->q, plugins, now_ms(), 0)) {
		arm_run(s);
		arm_backoff(s);
	}
}

/* ---- informers ------------------------------------------------------------------------- */

/* A digest of what the filters read of a node: a change of it may make pods schedulable. */
static uint64_t node_sig(const struct sched_node *n)
{
	struct buf b = BUF_INIT;
	uint64_t h = 1469598103934665603ULL;
	json_print(n->labels, &b);
	for (size_t i = 0; i < n->ntaints; i++)
		buf_addf(&b, "|%s=%s:%s", n->taints[i].key, n->taints[i].value, n->taints[i].effect);
	buf_addf(&b, "|%lld %lld %lld %lld %d", (long long)n->alloc.cpu, (long long)n->alloc.mem, (long long)n->alloc.eph,
		 (long long)n->alloc.pods, n->unschedulable);
	for (size_t i = 0; i < n->alloc.nscalar; i++)
		buf_addf(&b, "|%s=%lld", n->alloc.scalar[i].name, (long long)n->alloc.scalar[i].v);
	for (size_t i = 0; i < b.len; i++)
		h = (h ^ (unsigned char)b.data[i]) * 1099511628211ULL;
	buf_release(&b);
	return h;
}

static void on_node(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct sched *s = data;
	UNUSED(old);
	if (ev == INF_DELETE) {
		sched_cluster_delete_node(&s->c, obj_kv_name(kv));
		return;
	}
	cJSON *obj = obj_parse(kv);
	if (!obj)
		return;
	struct sched_node *n = sched_cluster_find(&s->c, obj_kv_name(kv));
	uint64_t before = n && n->exists ? node_sig(n) : 0;
	n = sched_cluster_set_node(&s->c, obj);
	if (ev == INF_ADD || node_sig(n) != before)
		move(s, SP_ALL);
	cJSON_Delete(obj);
}

static void pod_gone(struct sched *s, const char *key)
{
	struct sched_placed *n = hmap_get(&s->nom, key);
	if (n)
		sched_nominate(s, n->pod, NULL);
	sched_queue_delete(&s->q, key);
	if (unplace(s, key))
		move(s, HELPED_BY_POD_DELETE);
}

/* A pod bound to a node (by this scheduler or anyone). */
static void pod_bound(struct sched *s, const char *key, struct sched_pod *p)
{
	struct sched_placed *pl = hmap_get(&s->placed, key);
	int changed = !pl || pl->assumed || strcmp(pl->node->name, p->node_name) || pl->pod->spec_hash != p->spec_hash;
	sched_nominate(s, p, NULL);
	sched_queue_delete(&s->q, key);
	if (p->terminal) {
		/* Finished pods hold no resources any more. */
		if (unplace(s, key))
			move(s, HELPED_BY_POD_DELETE);
		return;
	}
	place(s, key, p, p->node_name, 0);
	if (changed)
		move(s, HELPED_BY_POD_ADD);
}

static void pod_pending(struct sched *s, const char *key, struct sched_pod *p)
{
	struct sched_placed *pl = hmap_get(&s->placed, key);
	if (strcmp(p->scheduler, SCHED_NAME) || p->terminating) {
		sched_queue_delete(&s->q, key);
		sched_nominate(s, p, NULL);
		if (!pl || !pl->assumed)
			unplace(s, key);
		return;
	}
	sched_nominate(s, p, p->nominated);
	sched_queue_upsert(&s->q, key, p, now_ms());
	arm_run(s);
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct sched *s = data;
	struct buf key = BUF_INIT;
	UNUSED(old);
	informer_key(kv, &key);
	if (ev == INF_DELETE) {
		pod_gone(s, key.data);
	} else {
		cJSON *obj = obj_parse(kv);
		struct sched_pod *p = obj ? sched_pod_parse(obj) : NULL;
		if (p && *p->node_name)
			pod_bound(s, key.data, p);
		else if (p)
			pod_pending(s, key.data, p);
		sched_pod_unref(p);
		cJSON_Delete(obj);
	}
	buf_release(&key);
}

static int free_labels_cb(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cJSON_Delete(value);
	return 0;
}

static void on_namespace(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct sched *s = data;
	UNUSED(ev);
	UNUSED(old);
	cJSON_Delete(hmap_del(&s->ns_labels, obj_kv_name(kv)));
}

/* The labels of namespace ns (for namespaceSelector), cached until the namespace changes. */
static const cJSON *ns_labels(const char *ns, void *data)
{
	struct sched *s = data;
	cJSON *l = hmap_get(&s->ns_labels, ns);
	if (l)
		return l;
	struct store_kv *kv = informer_get(s->nss, NULL, ns);
	cJSON *obj = kv ? obj_parse(kv) : NULL;
	const cJSON *labels = json_getv(obj, "metadata", "labels", NULL);
	l = cJSON_IsObject(labels) ? cJSON_Duplicate(labels, 1) : cJSON_CreateObject();
	cJSON_Delete(obj);
	hmap_put(&s->ns_labels, ns, l);
	return l;
}

/* ---- the default spreading selector ---------------------------------------------------- */

struct svc_scan {
	const struct sched_pod *pod;
	cJSON *match_labels;
};

static int svc_one(struct store_kv *kv, void *data)
{
	struct svc_scan *sc = data;
	cJSON *svc = obj_parse(kv);
	const cJSON *sel = json_getv(svc, "spec", "selector", NULL), *l;
	/* A Service without a selector selects nothing (upstream's GetPodServices). */
	int ok = cJSON_IsObject(sel) && sel->child;
	if (!ok)
		sel = NULL;
	cJSON_ArrayForEach(l, sel)
		ok = ok && cJSON_IsString(l) && jstr(sc->pod->labels, l->string) &&
		     !strcmp(jstr(sc->pod->labels, l->string), l->valuestring);
	if (!ok)
		sel = NULL;
	cJSON_ArrayForEach(l, sel)
		json_set_str(sc->match_labels, l->string, l->valuestring);
	cJSON_Delete(svc);
	return 0;
}

/* upstream's DefaultSelector: the selectors of the Services selecting p, and of its controller
 * when that is a ReplicaSet or a StatefulSet. */
static int default_selector(const struct sched_pod *p, struct selector *out, void *data)
{
	struct sched *s = data;
	cJSON *ls = cJSON_CreateObject();
	struct svc_scan sc = { p, json_obj_force(ls, "matchLabels") };
	informer_list(s->svcs, p->ns, NULL, svc_one, &sc);
	struct informer *owner = !strcmp(p->owner_kind, "ReplicaSet") ? s->rss :
				 !strcmp(p->owner_kind, "StatefulSet") ? s->sss : NULL;
	struct store_kv *kv = owner ? informer_get(owner, p->ns, p->owner_name) : NULL;
	cJSON *obj = kv ? obj_parse(kv) : NULL, *l;
	const cJSON *osel = json_getv(obj, "spec", "selector", NULL);
	cJSON_ArrayForEach(l, jget(osel, "matchLabels"))
		if (cJSON_IsString(l))
			json_set_str(sc.match_labels, l->string, l->valuestring);
	if (jget(osel, "matchExpressions"))
		json_set(ls, "matchExpressions", cJSON_Duplicate(jget(osel, "matchExpressions"), 1));
	int rc = selector_from_json(ls, out, NULL);
	cJSON_Delete(obj);
	cJSON_Delete(ls);
	return rc;
}

/* ---- binding --------------------------------------------------------------------------- */

struct bind_ctx {
	struct sched *s;
	struct sched_pod *pod;
	char *key, *node;
};

static void fail(struct sched *s, struct sched_qpod *qp, const char *msg, const char *reason, unsigned rejected,
		 const char *nominate);

static void bind_failed(struct sched *s, struct bind_ctx *b, int code, const char *body, size_t len)
{
	struct sched_placed *pl = hmap_get(&s->placed, b->key);
	if (pl && pl->assumed && !strcmp(pl->node->name, b->node)) {
		unplace(s, b->key);
		move(s, HELPED_BY_POD_DELETE);
	}
	struct sched_qpod *qp = sched_queue_get(&s->q, b->key);
	if (!qp || qp->where != SQ_INFLIGHT)
		return;
	cJSON *st = json_parse(body, len, NULL);
	char *msg = json_str(st, "message") ? xstrdup(json_str(st, "message")) : xasprintf("binding failed (%d)", code);
	fail(s, qp, msg, "SchedulerError", 0, NULL);
	free(msg);
	cJSON_Delete(st);
}

static void bind_done(int code, const char *body, size_t len, void *data)
{
	struct bind_ctx *b = data;
	struct sched *s = b->s;
	if (!s->stopped) {
		if (code >= 200 && code < 300) {
			s->scheduled++;
			sched_event(s, b->pod, "Normal", "Scheduled", "Successfully assigned %s/%s to %s", b->pod->ns,
				    b->pod->name, b->node);
		} else {
			bind_failed(s, b, code, body, len);
		}
	}
	sched_pod_unref(b->pod);
	free(b->key);
	free(b->node);
	free(b);
	write_answered(s);
}

/* Assumes qp's pod on n and POSTs its binding. */
static void bind_pod(struct sched *s, struct sched_qpod *qp, struct sched_node *n)
{
	struct sched_pod *p = qp->pod;
	struct bind_ctx *b = xcalloc(1, sizeof(*b));
	cJSON *binding = cJSON_CreateObject(), *meta = json_obj_force(binding, "metadata");
	cJSON *target = json_obj_force(binding, "target");
	place(s, qp->key, p, n->name, 1);
	b->s = s;
	b->pod = sched_pod_ref(p);
	b->key = xstrdup(qp->key);
	b->node = xstrdup(n->name);
	json_set_str(binding, "apiVersion", "v1");
	json_set_str(binding, "kind", "Binding");
	json_set_str(meta, "name", p->name);
	json_set_str(meta, "namespace", p->ns);
	json_set_str(meta, "uid", p->uid);
	json_set_str(target, "kind", "Node");
	json_set_str(target, "name", n->name);
	char *body = json_print_str(binding);
	s->calls++;
	client_call(s->srv, VERB_CREATE, s->pod_kind, p->ns, p->name, "binding", "application/json", body, NULL, bind_done,
		    b);
	free(body);
	cJSON_Delete(binding);
}

/* ---- failures -------------------------------------------------------------------------- */

/* Reports qp's pod as not scheduled (reason Unschedulable or SchedulerError) and queues it
 * again: unschedulable until an event that may help, or in back-off after an error. */
static void fail(struct sched *s, struct sched_qpod *qp, const char *msg, const char *reason, unsigned rejected,
		 const char *nominate)
{
	struct sched_pod *p = qp->pod;
	s->failed++;
	sched_event(s, p, "Warning", "FailedScheduling", "%s", msg);
	sched_patch_status(s, p, "PodScheduled", "False", reason, msg, nominate);
	if (nominate)
		sched_nominate(s, p, nominate);
	if (!strcmp(reason, "Unschedulable"))
		sched_queue_unschedulable(&s->q, qp, rejected, now_ms());
	else
		sched_queue_backoff(&s->q, qp, now_ms());
	arm_backoff(s);
}

/* ---- a scheduling cycle ---------------------------------------------------------------- */

/* upstream's numFeasibleNodesToFind with the adaptive percentage. */
static size_t num_to_find(size_t n)
{
	if (n < MIN_FEASIBLE)
		return n;
	long pct = 50 - (long)n / 125;
	if (pct < MIN_FEASIBLE_PERCENT)
		pct = MIN_FEASIBLE_PERCENT;
	size_t k = n * (size_t)pct / 100;
	return k < MIN_FEASIBLE ? MIN_FEASIBLE : k;
}

/* The outcome of filtering: the feasible nodes, and for the others their verdicts. */
struct search {
	struct sched_node **feasible;
	size_t nfeasible;
	struct hmap hist;         /* reason -> count */
	unsigned rejected;        /* plugins that rejected some node */
	enum sched_code *codes;   /* by node index */
};

static void filter_nodes(struct sched *s, struct sched_cycle *cy, struct search *sr)
{
	size_t n = s->c.n, want = num_to_find(n), done = 0;
	sr->feasible = xcalloc(want ? want : 1, sizeof(*sr->feasible));
	sr->codes = xcalloc(n, sizeof(*sr->codes));
	for (size_t i = 0; i < n && sr->nfeasible < want; i++, done++) {
		struct sched_node *node = s->c.nodes[(s->next_start + i) % n];
		struct sched_status st = { 0 };
		if (sched_filter_all(cy, node, &st)) {
			sr->feasible[sr->nfeasible++] = node;
		} else {
			sched_histogram_add(&sr->hist, &st, 1);
			sr->rejected |= st.plugin;
			sr->codes[node->index] = st.code;
		}
		sched_status_release(&st);
	}
	s->next_start = (s->next_start + done) % n;
}

/* The best-scored feasible node; ties broken at random as upstream's selectHost does. */
static struct sched_node *select_host(struct sched_cycle *cy, struct search *sr)
{
	if (sr->nfeasible == 1)
		return sr->feasible[0];
	int64_t *total = xcalloc(sr->nfeasible, sizeof(int64_t));
	sched_score_nodes(cy, sr->feasible, sr->nfeasible, total);
	size_t best = 0, ties = 1;
	for (size_t i = 1; i < sr->nfeasible; i++) {
		if (total[i] > total[best]) {
			best = i;
			ties = 1;
		} else if (total[i] == total[best] && (size_t)random() % ++ties == 0) {
			best = i;
		}
	}
	free(total);
	return sr->feasible[best];
}

/* The nominated node, when the pod still fits there (upstream's evaluateNominatedNode). */
static struct sched_node *nominated_node(struct sched *s, struct sched_cycle *cy)
{
	struct sched_node *n = *cy->pod->nominated ? sched_cluster_find(&s->c, cy->pod->nominated) : NULL;
	struct sched_status st = { 0 };
	int ok = n && n->exists && sched_filter_all(cy, n, &st);
	sched_status_release(&st);
	return ok ? n : NULL;
}

static void unschedulable(struct sched *s, struct sched_qpod *qp, struct sched_cycle *cy, struct search *sr)
{
	char *nominate = NULL;
	char *post = sched_preempt(s, cy, sr->codes, &nominate);
	char *msg = sched_fit_message(s->c.n, &sr->hist, post);
	fail(s, qp, msg, "Unschedulable", sr->rejected, nominate);
	free(msg);
	free(post);
	free(nominate);
}

static void schedule_one(struct sched *s, struct sched_qpod *qp)
{
	struct sched_cycle cy;
	struct search sr = { 0 };
	if (!s->c.n) {
		fail(s, qp, "no nodes available to schedule pods", "Unschedulable", SP_ALL, NULL);
		return;
	}
	sched_cycle_init(&cy, &s->c, qp->pod);
	struct sched_node *n = nominated_node(s, &cy);
	if (!n) {
		filter_nodes(s, &cy, &sr);
		n = sr.nfeasible ? select_host(&cy, &sr) : NULL;
	}
	if (n)
		bind_pod(s, qp, n);
	else
		unschedulable(s, qp, &cy, &sr);
	sched_cycle_release(&cy);
	free(sr.feasible);
	free(sr.codes);
	hmap_release(&sr.hist);
}

/* ---- timers ---------------------------------------------------------------------------- */

static void on_run(uv_timer_t *t)
{
	struct sched *s = t->data;
	uint64_t start = now_ns();
	struct sched_qpod *qp;
	while (!s->stopped && now_ns() - start < RUN_SLICE_NS && s->calls < MAX_WRITES_IN_FLIGHT &&
	       (qp = sched_queue_pop(&s->q)))
		schedule_one(s, qp);
	if (s->q.nactive)
		arm_run(s);
}

/* Runs cycles soon, when pods are waiting and the writes in flight allow. */
static void arm_run(struct sched *s)
{
	if (!s->stopped && s->q.nactive && s->calls < MAX_WRITES_IN_FLIGHT && !uv_is_active((uv_handle_t *)&s->run))
		uv_timer_start(&s->run, on_run, 0, 0);
}

static void on_backoff(uv_timer_t *t)
{
	struct sched *s = t->data;
	sched_queue_flush_backoff(&s->q, now_ms());
	arm_run(s);
	arm_backoff(s);
}

static void arm_backoff(struct sched *s)
{
	if (s->stopped || !s->q.nbackoff)
		return;
	uint64_t due = s->q.backoff[0]->backoff_until, now = now_ms();
	uv_timer_start(&s->backoff, on_backoff, due > now ? due - now : 0, 0);
}

static void on_flush(uv_timer_t *t)
{
	struct sched *s = t->data;
	if (sched_queue_move(&s->q, 0, now_ms(), UNSCHEDULABLE_MAX_MS)) {
		arm_run(s);
		arm_backoff(s);
	}
}

/* ---- start and stop -------------------------------------------------------------------- */

static int free_placed_cb(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	placed_free(value);
	return 0;
}

static void sched_free_if_done(struct sched *s)
{
	if (!s->stopped || s->handles || s->calls)
		return;
	hmap_each(&s->placed, free_placed_cb, NULL);
	hmap_release(&s->placed);
	hmap_each(&s->nom, free_placed_cb, NULL);
	hmap_release(&s->nom);
	hmap_each(&s->ns_labels, free_labels_cb, NULL);
	hmap_release(&s->ns_labels);
	sched_queue_release(&s->q);
	sched_cluster_release(&s->c);
	free(s);
}

static void timer_closed(uv_handle_t *h)
{
	struct sched *s = h->data;
	s->handles--;
	sched_free_if_done(s);
}

static void sched_stop(void *data)
{
	struct sched *s = data;
	log_info("scheduler: stopping (%llu pods scheduled, %llu attempts failed)", (unsigned long long)s->scheduled,
		 (unsigned long long)s->failed);
	s->stopped = 1;
	uv_close((uv_handle_t *)&s->run, timer_closed);
	uv_close((uv_handle_t *)&s->backoff, timer_closed);
	uv_close((uv_handle_t *)&s->flush, timer_closed);
}

static int list_node_cb(struct store_kv *kv, void *data)
{
	on_node(INF_ADD, kv, NULL, data);
	return 0;
}

static int list_pod_cb(struct store_kv *kv, void *data)
{
	on_pod(INF_ADD, kv, NULL, data);
	return 0;
}

static void start_informers(struct sched *s)
{
	s->pod_kind = kind_by_resource("", "v1", "pods");
	s->ns_kind = kind_by_resource("", "v1", "namespaces");
	s->svc_kind = kind_by_resource("", "v1", "services");
	s->rs_kind = kind_by_resource("apps", "v1", "replicasets");
	s->ss_kind = kind_by_resource("apps", "v1", "statefulsets");
	s->pods = informer_of(s->m, s->pod_kind);
	s->nodes = informer_of(s->m, kind_by_resource("", "v1", "nodes"));
	s->nss = informer_of(s->m, s->ns_kind);
	s->svcs = informer_of(s->m, s->svc_kind);
	s->rss = informer_of(s->m, s->rs_kind);
	s->sss = informer_of(s->m, s->ss_kind);
	informer_on(s->nodes, on_node, s);
	informer_on(s->pods, on_pod, s);
	informer_on(s->nss, on_namespace, s);
	informer_list(s->nodes, NULL, NULL, list_node_cb, s);
	informer_list(s->pods, NULL, NULL, list_pod_cb, s);
}

void sched_start(struct ctrl_mgr *m)
{
	struct server *srv = ctrl_server(m);
	if (srv->cfg->disable_scheduler) {
		log_info("scheduler: disabled");
		return;
	}
	struct sched *s = xcalloc(1, sizeof(*s));
	s->m = m;
	s->srv = srv;
	sched_cluster_init(&s->c);
	s->c.ns_labels = ns_labels;
	s->c.ns_data = s;
	sched_score_set_default_selector(&s->c, default_selector, s);
	sched_queue_init(&s->q);
	uv_timer_init(srv->loop, &s->run);
	uv_timer_init(srv->loop, &s->backoff);
	uv_timer_init(srv->loop, &s->flush);
	s->run.data = s->backoff.data = s->flush.data = s;
	s->handles = 3;
	uv_timer_start(&s->flush, on_flush, FLUSH_MS, FLUSH_MS);
	start_informers(s);
	ctrl_on_stop(m, sched_stop, s);
	log_info("scheduler: started (%zu nodes, %zu pods waiting)", s->c.n, s->q.all.n);
	arm_run(s);
}
