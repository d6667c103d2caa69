/*
 * ctrl_daemonset.c - the DaemonSet controller: one pod per eligible node, pinned to it, rolled
 * out with ControllerRevisions (RollingUpdate with maxUnavailable or maxSurge, or OnDelete), and
 * the status counts `kubectl rollout status ds/NAME` reads. Upstream: pkg/controller/daemon.
 *
 * DESIGN
 * A sync reads everything from the informers (the DaemonSet, its pods, the nodes, its
 * ControllerRevisions) into a struct ds_state, then runs upstream's steps in order: claim pods
 * and revisions (adopt orphans the selector matches, release the ones it no longer does),
 * construct the history (find the revision of the current template, or record a new one),
 * manage (create a pod on each node that should run one and has none, delete pods on nodes
 * that should not, failed pods, extra pods), the rolling update, history cleanup, status. A
 * step whose writes the next steps must see (a new revision, pod creations or deletions) ends
 * the pass: the sync ends once those writes have answered (struct wl_sync), and the informer
 * events they cause sync the key again, which is this controller's form of upstream's
 * expectations.
 *
 * Eligibility is upstream's NodeShouldRunDaemonPod: the template's nodeName, the scheduler's
 * own nodeSelector/required node affinity match (sched.h) and the node's NoSchedule/NoExecute
 * taints against the template's tolerations plus the ones upstream adds to every daemon pod
 * (not-ready and unreachable NoExecute; disk, memory and pid pressure, unschedulable, and for
 * host-network pods network-unavailable, NoSchedule) - so cordoned nodes run daemon pods too.
 * Each pod is pinned with required node affinity on metadata.name, which the scheduler then
 * binds; a pod not yet bound counts for the node its affinity names.
 */
#include "server/history.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hmap.h"
#include "server/kinds.h"
#include "server/rollout.h"
#include "server/sched.h"
#include "server/workload.h"

#define COMPONENT "daemonset-controller"
#define MANAGER "kube-controller-manager"
#define BURST_REPLICAS 250
#define GEN_LABEL "pod-template-generation"
#define GEN_ANNOTATION "deprecated.daemonset.template.generation"
#define NAME_FIELD "metadata.name"

struct dsc {
	struct ctrl_mgr *m;
	struct informer *sets, *pods, *nodes, *revs;
	struct workqueue *q;
	const struct kind *ds_kind, *pod_kind, *rev_kind;
	struct history_owner owner; /* routes pod and revision changes to their DaemonSet */
};

/* The pods of the DaemonSet meant for one node. */
struct ds_node {
	const char *name;             /* borrowed (a node, or a pod's target) */
	const struct sched_node *n;   /* NULL: no such node */
	int should_run, should_continue;
	const cJSON **pods;           /* borrowed from ds_state.pods, oldest first once sorted */
	size_t npods;
};

/* One sync of one DaemonSet: everything read at its start. Owned by the sync function. */
struct ds_state {
	struct dsc *c;
	struct wl_sync *s;
	char *key;
	cJSON *ds;
	struct selector sel;
	cJSON **pods;                 /* claimed pods (owned) */
	size_t npods;
	struct sched_cluster cl;
	struct sched_pod *daemon;     /* the template as a daemon pod, for the predicates */
	struct ds_node *nodes;        /* existing nodes (in name order), then the pods' missing ones */
	size_t nnodes, nexisting;
	struct hmap by_name;          /* node name -> index + 1 into nodes */
	struct history h;
	long cur;                     /* the current revision in h */
	char hash[64];                /* its controller-revision-hash */
	int64_t now, min_ready;
};

/* ---- daemon pods ------------------------------------------------------------------------- */

/* AddOrUpdateTolerationInPodSpec: a toleration matching on key, operator, value and effect is
 * replaced, otherwise it is appended. */
static void add_toleration(cJSON *spec, const char *key, const char *effect)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(spec, "tolerations"), *t;
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(spec, "tolerations", list);
	}
	cJSON *mine = cJSON_CreateObject();
	json_set_str(mine, "key", key);
	json_set_str(mine, "operator", "Exists");
	json_set_str(mine, "effect", effect);
	int i = 0;
	cJSON_ArrayForEach(t, list) {
		if (!strcmp(jstr0(t, "key"), key) && !strcmp(jstr0(t, "effect"), effect) &&
		    !strcmp(jstr0(t, "operator"), "Exists") && !*jstr0(t, "value")) {
			cJSON_ReplaceItemInArray(list, i, mine);
			return;
		}
		i++;
	}
	cJSON_AddItemToArray(list, mine);
}

/* upstream's AddOrUpdateDaemonPodTolerations. */
static void daemon_tolerations(cJSON *spec)
{
	static const char *const tols[][2] = {
		{ "node.kubernetes.io/not-ready", "NoExecute" },     { "node.kubernetes.io/unreachable", "NoExecute" },
		{ "node.kubernetes.io/disk-pressure", "NoSchedule" }, { "node.kubernetes.io/memory-pressure", "NoSchedule" },
		{ "node.kubernetes.io/pid-pressure", "NoSchedule" },  { "node.kubernetes.io/unschedulable", "NoSchedule" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(tols); i++)
		add_toleration(spec, tols[i][0], tols[i][1]);
	if (jtrue(spec, "hostNetwork"))
		add_toleration(spec, "node.kubernetes.io/network-unavailable", "NoSchedule");
}

/* upstream's CreatePodTemplate: the template with the daemon tolerations, the template
 * generation and the revision hash labels. The caller frees it. */
static cJSON *daemon_template(const cJSON *ds, const char *hash)
{
	const cJSON *t = json_getv(ds, "spec", "template", NULL);
	cJSON *tmpl = t ? cJSON_Duplicate(t, 1) : cJSON_CreateObject();
	cJSON *labels = json_obj_force(json_obj_force(tmpl, "metadata"), "labels");
	const char *gen = json_strv(ds, "metadata", "annotations", GEN_ANNOTATION, NULL);
	daemon_tolerations(json_obj_force(tmpl, "spec"));
	if (gen)
		json_set_str(labels, GEN_LABEL, gen);
	if (hash && *hash)
		json_set_str(labels, HISTORY_POD_LABEL, hash);
	return tmpl;
}

/* upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity of tmpl
 * becomes one term selecting metadata.name == node. */
static void pin_to_node(cJSON *tmpl, const char *node)
{
	cJSON *aff = json_obj_force(json_obj_force(json_obj_force(tmpl, "spec"), "affinity"), "nodeAffinity");
	cJSON *req = json_obj_force(aff, "requiredDuringSchedulingIgnoredDuringExecution");
	cJSON *terms = cJSON_CreateArray(), *term = cJSON_CreateObject(), *fields = cJSON_CreateArray();
	cJSON *expr = cJSON_CreateObject(), *values = cJSON_CreateArray();
	cJSON_AddItemToArray(values, cJSON_CreateString(node));
	json_set_str(expr, "key", NAME_FIELD);
	json_set_str(expr, "operator", "In");
	json_set(expr, "values", values);
	cJSON_AddItemToArray(fields, expr);
	json_set(term, "matchFields", fields);
	cJSON_AddItemToArray(terms, term);
	json_set(req, "nodeSelectorTerms", terms);
}

/* upstream's GetTargetNodeName: spec.nodeName, else the one node its affinity names. */
static const char *target_node(const cJSON *pod)
{
	const char *n = json_strv(pod, "spec", "nodeName", NULL);
	const cJSON *term, *f;
	if (n && *n)
		return n;
	cJSON_ArrayForEach(term, json_getv(pod, "spec", "affinity", "nodeAffinity",
					   "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", NULL))
		cJSON_ArrayForEach(f, json_getv(term, "matchFields", NULL)) {
			const cJSON *v = jget(f, "values");
			if (!strcmp(jstr0(f, "key"), NAME_FIELD) && !strcmp(jstr0(f, "operator"), "In") &&
			    cJSON_GetArraySize(v) == 1 && cJSON_IsString(v->child))
				return v->child->valuestring;
		}
	return NULL;
}

/* upstream's NodeShouldRunDaemonPod: may a daemon pod start on n (*run), and may one already
 * there keep running (*cont)? */
static void should_run(const struct ds_state *st, const struct sched_node *n, int *run, int *cont)
{
	const char *want = json_strv(st->ds, "spec", "template", "spec", "nodeName", NULL);
	int sched_ok = 1, exec_ok = 1;
	*run = *cont = 0;
	if ((want && *want && strcmp(want, n->name)) || !sched_node_matches_pod(st->daemon, n))
		return;
	for (size_t i = 0; i < n->ntaints; i++) {
		const struct sched_taint *t = &n->taints[i];
		int exec = !strcmp(t->effect, "NoExecute"), tolerated = 0;
		if (!exec && strcmp(t->effect, "NoSchedule"))
			continue;
		for (size_t j = 0; j < st->daemon->ntols && !tolerated; j++)
			tolerated = sched_tolerates(&st->daemon->tols[j], t);
		if (!tolerated) {
			sched_ok = 0;
			exec_ok &= !exec;
		}
	}
	*run = sched_ok;
	*cont = sched_ok || exec_ok;
}

static int64_t created_at(const cJSON *pod)
{
	int64_t t = 0;
	const char *s = json_strv(pod, "metadata", "creationTimestamp", NULL);
	if (s)
		parse_rfc3339(s, &t);
	return t;
}

/* podByCreationTimestampAndPhase: scheduled first, then oldest, then by name. */
static int cmp_pods(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	const char *nx = json_strv(x, "spec", "nodeName", NULL), *ny = json_strv(y, "spec", "nodeName", NULL);
	int sx = nx && *nx, sy = ny && *ny;
	if (sx != sy)
		return sx ? -1 : 1;
	int64_t tx = created_at(x), ty = created_at(y);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(jstr0(jget(x, "metadata"), "name"), jstr0(jget(y, "metadata"), "name"));
}

static const char *pod_phase(const cJSON *pod)
{
	const char *p = json_strv(pod, "status", "phase", NULL);
	return p ? p : "";
}

/* upstream's IsPodUpdated: the pod carries the current hash or template generation. */
static int pod_updated(const struct ds_state *st, const cJSON *pod)
{
	const char *h = json_strv(pod, "metadata", "labels", HISTORY_POD_LABEL, NULL);
	const char *g = json_strv(pod, "metadata", "labels", GEN_LABEL, NULL);
	const char *gen = json_strv(st->ds, "metadata", "annotations", GEN_ANNOTATION, NULL);
	return (*st->hash && h && !strcmp(h, st->hash)) || (gen && g && !strcmp(g, gen));
}

static int available(const struct ds_state *st, const cJSON *pod)
{
	return wl_pod_available(pod, st->min_ready, st->now);
}

/* ---- loading a sync's state --------------------------------------------------------------- */

static struct ds_node *node_entry(struct ds_state *st, const char *name)
{
	size_t i = (size_t)(uintptr_t)hmap_get(&st->by_name, name);
	if (i)
		return &st->nodes[i - 1];
	st->nodes = xrealloc(st->nodes, (st->nnodes + 1) * sizeof(*st->nodes));
	struct ds_node *e = &st->nodes[st->nnodes++];
	memset(e, 0, sizeof(*e));
	e->name = name;
	hmap_put(&st->by_name, name, (void *)(uintptr_t)st->nnodes);
	return e;
}

static int add_node(struct store_kv *kv, void *data)
{
	struct ds_state *st = data;
	cJSON *node = obj_parse(kv);
	if (node)
		sched_cluster_set_node(&st->cl, node);
	cJSON_Delete(node);
	return 0;
}

static void add_pod(struct ds_state *st, cJSON *pod)
{
	st->pods = xrealloc(st->pods, (st->npods + 1) * sizeof(*st->pods));
	st->pods[st->npods++] = pod;
}

/* Pods the DaemonSet controls: kept when the selector matches, released otherwise. */
static int claim_owned(struct store_kv *kv, void *data)
{
	struct ds_state *st = data;
	cJSON *pod = obj_parse(kv);
	int match = pod && selector_matches(&st->sel, sel_lookup_json, json_getv(pod, "metadata", "labels", NULL));
	switch (pod ? wl_claim(st->ds, pod, match) : WL_IGNORE) {
	case WL_OWNED:
		add_pod(st, pod);
		return 0;
	case WL_RELEASE:
		wl_release(st->s, MANAGER, st->c->pod_kind, pod, json_strv(st->ds, "metadata", "uid", NULL));
		break;
	default:
		break;
	}
	cJSON_Delete(pod);
	return 0;
}

/* Orphans the selector matches: adopted (and counted as claimed, as upstream does). */
static int claim_orphan(struct store_kv *kv, void *data)
{
	struct ds_state *st = data;
	cJSON *pod = obj_parse(kv);
	if (pod && !ctrl_owner(pod) && wl_claim(st->ds, pod, 1) == WL_ADOPT) {
		wl_adopt(st->s, MANAGER, st->c->pod_kind, pod, st->ds);
		add_pod(st, pod);
		return 0;
	}
	cJSON_Delete(pod);
	return 0;
}

/* The daemon pod of the predicates (upstream's NewPod). */
static struct sched_pod *daemon_pod(const cJSON *ds)
{
	cJSON *tmpl = daemon_template(ds, NULL), *pod = cJSON_CreateObject();
	json_set(pod, "metadata", cJSON_Duplicate(json_obj(tmpl, "metadata"), 1));
	json_set_str(json_obj(pod, "metadata"), "namespace", jstr0(jget(ds, "metadata"), "namespace"));
	json_set(pod, "spec", cJSON_Duplicate(json_obj(tmpl, "spec"), 1));
	json_del(json_obj(pod, "spec"), "nodeName");
	struct sched_pod *p = sched_pod_parse(pod);
	cJSON_Delete(pod);
	cJSON_Delete(tmpl);
	return p;
}

/* Groups the claimed pods by the node they are for (terminal pods being deleted aside). */
static void map_nodes(struct ds_state *st)
{
	for (size_t i = 0; i < st->cl.n; i++) {
		struct ds_node *e = node_entry(st, st->cl.nodes[i]->name);
		e->n = st->cl.nodes[i];
		should_run(st, e->n, &e->should_run, &e->should_continue);
	}
	st->nexisting = st->nnodes;
	for (size_t i = 0; i < st->npods; i++) {
		const cJSON *pod = st->pods[i];
		const char *node = target_node(pod), *phase = pod_phase(pod);
		int terminal = !strcmp(phase, "Succeeded") || !strcmp(phase, "Failed");
		if (!node || (terminal && wl_deleting(pod)))
			continue;
		struct ds_node *e = node_entry(st, node);
		e->pods = xrealloc(e->pods, (e->npods + 1) * sizeof(*e->pods));
		e->pods[e->npods++] = pod;
	}
	for (size_t i = 0; i < st->nnodes; i++)
		if (st->nodes[i].npods > 1)
			qsort(st->nodes[i].pods, st->nodes[i].npods, sizeof(cJSON *), cmp_pods);
}

static void state_release(struct ds_state *st)
{
	for (size_t i = 0; i < st->nnodes; i++)
		free(st->nodes[i].pods);
	free(st->nodes);
	hmap_release(&st->by_name);
	for (size_t i = 0; i < st->npods; i++)
		cJSON_Delete(st->pods[i]);
	free(st->pods);
	if (st->daemon)
		sched_pod_unref(st->daemon);
	sched_cluster_release(&st->cl);
	history_release(&st->h);
	selector_release(&st->sel);
	cJSON_Delete(st->ds);
	free(st->key);
}

/* Reads the DaemonSet of key and what it needs. Returns 0, or -1 when there is nothing to do
 * (gone, being deleted, or selecting everything). */
static int state_load(struct dsc *c, struct wl_sync *s, const char *key, struct ds_state *st)
{
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->sets, ns, name);
	memset(st, 0, sizeof(*st));
	st->c = c;
	st->s = s;
	st->key = xstrdup(key);
	st->ds = kv ? obj_parse(kv) : NULL;
	if (!st->ds || wl_deleting(st->ds))
		return -1;
	const cJSON *sel = json_getv(st->ds, "spec", "selector", NULL);
	if (cJSON_IsObject(sel) && !sel->child) {
		ctrl_event(c->m, COMPONENT, st->ds, "Warning", "SelectingAll",
			   "This daemon set is selecting all pods. A non-empty selector is required.");
		return -1;
	}
	if (selector_from_json(sel, &st->sel, NULL) < 0)
		return -1;
	st->now = wall_seconds();
	st->min_ready = wl_int(json_obj(st->ds, "spec"), "minReadySeconds");
	informer_list(c->nodes, NULL, NULL, add_node, st);
	informer_owned(c->pods, json_strv(st->ds, "metadata", "uid", NULL), claim_owned, st);
	informer_list(c->pods, ns, &st->sel, claim_orphan, st);
	st->daemon = daemon_pod(st->ds);
	map_nodes(st);
	return 0;
}

/* ---- history ------------------------------------------------------------------------------- */

/* What the answer to a revision create needs; one allocation (wl_sync_expect frees it). */
struct snapshot_arg {
	struct dsc *c;
	const char *ns, *ds_name, *rev_name, *data; /* inside text */
	int64_t collision; /* the collision count the name was made with, -1 for none */
	char text[];
};

static struct snapshot_arg *snapshot_arg_new(struct dsc *c, const char *ns, const char *ds, const char *rev,
					     const char *data, int64_t collision)
{
	size_t a = strlen(ns) + 1, b = strlen(ds) + 1, r = strlen(rev) + 1, d = strlen(data) + 1;
	struct snapshot_arg *x = xmalloc(sizeof(*x) + a + b + r + d);
	char *p = x->text;
	x->c = c;
	x->collision = collision;
	x->ns = memcpy(p, ns, a);
	x->ds_name = memcpy(p += a, ds, b);
	x->rev_name = memcpy(p += b, rev, r);
	x->data = memcpy(p += r, data, d);
	return x;
}

/* A revision name already taken: by this very revision (fine), or by another template: then the
 * collision count goes up and the next sync names the revision anew. */
static void snapshot_answered(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct snapshot_arg *a = arg;
	UNUSED(body);
	UNUSED(len);
	if (code < 300)
		return;
	if (code != 409) {
		wl_sync_fail(s);
		return;
	}
	struct store_kv *kv = informer_get(a->c->revs, a->ns, a->rev_name), *dkv = informer_get(a->c->sets, a->ns, a->ds_name);
	struct history h = HISTORY_INIT;
	if (kv)
		history_add(&h, obj_parse(kv));
	int same = h.n && !strcmp(h.v[0].data, a->data);
	history_release(&h);
	cJSON *ds = dkv ? obj_parse(dkv) : NULL;
	int64_t cc = -1;
	if (json_getv(ds, "status", "collisionCount", NULL))
		cc = wl_int(json_obj(ds, "status"), "collisionCount");
	if (!same && ds && cc == a->collision) {
		cJSON *patch = cJSON_CreateObject();
		json_set_int(json_obj_force(patch, "status"), "collisionCount", cc < 0 ? 1 : cc + 1);
		ctrl_patch(wl_sync_mgr(s), MANAGER, a->c->ds_kind, a->ns, a->ds_name, "status", patch, wl_sync_cb,
			   wl_sync_expect(s, NULL, NULL));
		cJSON_Delete(patch);
	} else if (!same) {
		wl_sync_fail(s);
	}
	cJSON_Delete(ds);
}

/* upstream's snapshot: records the current template as revision number rev. */
static void snapshot(struct ds_state *st, const char *data, int64_t rev)
{
	const cJSON *status = json_obj(st->ds, "status");
	int64_t cc = json_getv(status, "collisionCount", NULL) ? wl_int(status, "collisionCount") : -1;
	char hash[WL_HASH_LEN];
	wl_template_hash(json_getv(st->ds, "spec", "template", NULL), cc >= 0 ? &cc : NULL, hash);
	char *name = xasprintf("%s-%s", jstr0(jget(st->ds, "metadata"), "name"), hash);
	cJSON *obj = history_new_revision(st->ds, name, HISTORY_POD_LABEL, hash, data, rev, 1);
	const char *ns = jstr0(jget(st->ds, "metadata"), "namespace");
	struct snapshot_arg *a = snapshot_arg_new(st->c, ns, jstr0(jget(st->ds, "metadata"), "name"), name, data, cc);
	ctrl_create(st->c->m, MANAGER, st->c->rev_kind, ns, obj, wl_sync_cb, wl_sync_expect(st->s, snapshot_answered, a));
	free(name);
	cJSON_Delete(obj);
}

/* A merge patch of one revision (revision number or hash label). */
static void patch_revision(struct ds_state *st, const struct history_rev *r, cJSON *patch)
{
	ctrl_patch(st->c->m, MANAGER, st->c->rev_kind, jstr0(jget(st->ds, "metadata"), "namespace"), r->name, NULL, patch,
		   wl_sync_cb, wl_sync_expect(st->s, NULL, NULL));
	cJSON_Delete(patch);
}

/* Claims the revisions: adopts orphans, releases those the selector left, labels old ones
 * without a hash label with their name. Releases drop out of st->h. */
static void claim_revisions(struct ds_state *st)
{
	history_claim(&st->h, st->s, MANAGER, st->c->rev_kind, st->ds);
	for (size_t i = 0; i < st->h.n; i++) {
		struct history_rev *r = &st->h.v[i];
		if (!json_strv(r->obj, "metadata", "labels", HISTORY_POD_LABEL, NULL)) {
			cJSON *p = cJSON_CreateObject();
			json_set_str(json_obj_force(json_obj_force(p, "metadata"), "labels"), HISTORY_POD_LABEL, r->name);
			json_set_str(json_obj_force(json_obj_force(r->obj, "metadata"), "labels"), HISTORY_POD_LABEL, r->name);
			patch_revision(st, r, p);
		}
	}
}

/* upstream's dedupCurHistories: keeps the highest of several revisions of the current
 * template, relabels pods of the others, deletes them. */
static void dedup_current(struct ds_state *st, const char *data)
{
	const char *keep = json_strv(st->h.v[st->cur].obj, "metadata", "labels", HISTORY_POD_LABEL, NULL);
	const char *ns = jstr0(jget(st->ds, "metadata"), "namespace");
	for (size_t i = 0; i < st->npods; i++) {
		const char *h = json_strv(st->pods[i], "metadata", "labels", HISTORY_POD_LABEL, NULL);
		if (keep && (!h || strcmp(h, keep))) {
			cJSON *p = cJSON_CreateObject();
			json_set_str(json_obj_force(json_obj_force(p, "metadata"), "labels"), HISTORY_POD_LABEL, keep);
			ctrl_patch(st->c->m, MANAGER, st->c->pod_kind, ns, json_strv(st->pods[i], "metadata", "name", NULL), NULL,
				   p, wl_sync_cb, wl_sync_expect(st->s, NULL, NULL));
			cJSON_Delete(p);
		}
	}
	for (size_t i = 0; i < st->h.n; i++)
		if ((long)i != st->cur && !strcmp(st->h.v[i].data, data))
			ctrl_delete(st->c->m, st->c->rev_kind, ns, st->h.v[i].name, NULL, NULL, wl_sync_cb,
				    wl_sync_expect(st->s, NULL, NULL));
}

/* upstream's constructHistory. Returns 1 when the current revision is being written (the pass
 * ends), else 0 with st->cur and st->hash set. */
static int construct_history(struct ds_state *st)
{
	char *data = history_patch(st->ds);
	int64_t max_old = 0;
	size_t ncur = 0;
	int wait = 0;
	history_list(st->c->revs, st->ds, &st->sel, &st->h);
	claim_revisions(st);
	st->cur = -1;
	for (size_t i = 0; i < st->h.n; i++) {
		if (strcmp(st->h.v[i].data, data)) {
			max_old = MAX(max_old, st->h.v[i].revision);
		} else {
			ncur++;
			if (st->cur < 0 || st->h.v[i].revision >= st->h.v[st->cur].revision)
				st->cur = (long)i;
		}
	}
	if (st->cur < 0) {
		snapshot(st, data, max_old + 1);
		wait = 1;
	} else {
		if (ncur > 1)
			dedup_current(st, data);
		if (st->h.v[st->cur].revision < max_old + 1) {
			cJSON *p = cJSON_CreateObject();
			json_set_int(p, "revision", max_old + 1);
			patch_revision(st, &st->h.v[st->cur], p);
			wait = 1;
		}
		const char *h = json_strv(st->h.v[st->cur].obj, "metadata", "labels", HISTORY_POD_LABEL, NULL);
		snprintf(st->hash, sizeof(st->hash), "%s", h ? h : "");
	}
	free(data);
	return wait || ncur > 1;
}

/* upstream's cleanupHistory: old revisions beyond revisionHistoryLimit go, oldest first,
 * except those a pod still runs. */
static void cleanup_history(struct ds_state *st)
{
	int64_t limit = 10;
	json_int(json_obj(st->ds, "spec"), "revisionHistoryLimit", &limit);
	unsigned char *keep = xcalloc(st->h.n + 1, 1);
	size_t *out = xcalloc(st->h.n + 1, sizeof(size_t));
	for (size_t i = 0; i < st->h.n; i++) {
		const char *h = json_strv(st->h.v[i].obj, "metadata", "labels", HISTORY_POD_LABEL, NULL);
		if ((long)i == st->cur || !strcmp(st->h.v[i].data, st->h.v[st->cur].data))
			keep[i] = HISTORY_LIVE;
		for (size_t j = 0; h && keep[i] == HISTORY_DELETABLE && j < st->npods; j++) {
			const char *ph = json_strv(st->pods[j], "metadata", "labels", HISTORY_POD_LABEL, NULL);
			if (ph && !strcmp(ph, h))
				keep[i] = HISTORY_IN_USE;
		}
	}
	size_t n = history_truncate(&st->h, keep, limit, out);
	for (size_t i = 0; i < n; i++)
		ctrl_delete(st->c->m, st->c->rev_kind, jstr0(jget(st->ds, "metadata"), "namespace"), st->h.v[out[i]].name,
			    NULL, NULL, wl_sync_cb, wl_sync_expect(st->s, NULL, NULL));
	free(keep);
	free(out);
}

/* ---- creating and deleting pods ---------------------------------------------------------- */

/* A list of node names or pods to act on. */
struct ds_plan {
	const char **create;  /* node names */
	size_t ncreate;
	const cJSON **del;
	size_t ndel;
};

static void plan_create(struct ds_plan *p, const char *node)
{
	p->create = xrealloc(p->create, (p->ncreate + 1) * sizeof(*p->create));
	p->create[p->ncreate++] = node;
}

static void plan_delete(struct ds_plan *p, const cJSON *pod)
{
	for (size_t i = 0; i < p->ndel; i++)
		if (p->del[i] == pod)
			return;
	p->del = xrealloc(p->del, (p->ndel + 1) * sizeof(*p->del));
	p->del[p->ndel++] = pod;
}

static void plan_release(struct ds_plan *p)
{
	free(p->create);
	free(p->del);
}

/* upstream's syncNodes: creates a pod pinned to each node and deletes the pods (at most
 * BURST_REPLICAS of each). Returns the number of writes sent. */
static size_t sync_nodes(struct ds_state *st, struct ds_plan *p)
{
	size_t ncreate = MIN(p->ncreate, BURST_REPLICAS), ndel = MIN(p->ndel, BURST_REPLICAS);
	cJSON *tmpl = ncreate ? daemon_template(st->ds, st->hash) : NULL;
	for (size_t i = 0; i < ncreate; i++) {
		cJSON *t = cJSON_Duplicate(tmpl, 1);
		pin_to_node(t, p->create[i]);
		wl_create_pods(st->s, COMPONENT, t, st->ds, 1, NULL, NULL);
		cJSON_Delete(t);
	}
	if (ndel)
		wl_delete_pods(st->s, COMPONENT, st->ds, p->del, ndel, NULL, NULL);
	cJSON_Delete(tmpl);
	return ncreate + ndel;
}

/* ---- manage ------------------------------------------------------------------------------ */

static int allows_surge(const struct ds_state *st)
{
	const cJSON *us = json_getv(st->ds, "spec", "updateStrategy", NULL);
	int64_t v = 0;
	if (strcmp(jstr0(us, "type"), "RollingUpdate") || !json_getv(us, "rollingUpdate", "maxSurge", NULL))
		return 0;
	return rollout_scaled_value(json_getv(us, "rollingUpdate", "maxSurge", NULL), 1, 1, &v) == 0 && v > 0;
}

/* With surge, two pods may run on a node only while the oldest new one is not yet available
 * and the oldest old one is ready; every other extra pod goes. */
static void surge_extras(struct ds_state *st, const cJSON **running, size_t n, struct ds_plan *p)
{
	const cJSON *oldest_new = NULL, *oldest_old = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *h = json_strv(running[i], "metadata", "labels", HISTORY_POD_LABEL, NULL);
		const cJSON **slot = h && !strcmp(h, st->hash) ? &oldest_new : &oldest_old;
		if (!*slot)
			*slot = running[i];
		else
			plan_delete(p, running[i]);
	}
	if (oldest_new && oldest_old && (!wl_pod_ready(oldest_old) || available(st, oldest_new)))
		plan_delete(p, oldest_old);
}

/* upstream's podsShouldBeOnNode. Returns the failed pods seen. */
static int pods_for_node(struct ds_state *st, struct ds_node *e, struct ds_plan *p)
{
	int failed = 0;
	if (e->should_run && !e->npods) {
		plan_create(p, e->name);
	} else if (e->should_continue) {
		const cJSON **running = xcalloc(e->npods + 1, sizeof(*running));
		size_t n = 0;
		for (size_t i = 0; i < e->npods; i++) {
			const cJSON *pod = e->pods[i];
			const char *phase = pod_phase(pod);
			if (wl_deleting(pod))
				continue;
			if (!strcmp(phase, "Failed")) {
				failed++;
				ctrl_event(st->c->m, COMPONENT, st->ds, "Warning", "FailedDaemonPod",
					   "Found failed daemon pod %s/%s on node %s, will try to kill it",
					   jstr0(jget(pod, "metadata"), "namespace"), jstr0(jget(pod, "metadata"), "name"), e->name);
				plan_delete(p, pod);
			} else if (!strcmp(phase, "Succeeded")) {
				plan_delete(p, pod);
			} else {
				running[n++] = pod;
			}
		}
		if (n > 1 && !allows_surge(st))
			for (size_t i = 1; i < n; i++)
				plan_delete(p, running[i]);
		else if (n > 1)
			surge_extras(st, running, n, p);
		free(running);
	} else {
		for (size_t i = 0; i < e->npods; i++)
			if (!wl_deleting(e->pods[i]))
				plan_delete(p, e->pods[i]);
	}
	return failed;
}

/* upstream's manage. Returns 1 when pods are being created or deleted (the pass ends). */
static int manage(struct ds_state *st)
{
	struct ds_plan p = { 0 };
	int failed = 0;
	for (size_t i = 0; i < st->nexisting; i++)
		failed += pods_for_node(st, &st->nodes[i], &p);
	/* getUnscheduledPodsWithoutNode: pods pinned to a node that is gone never get bound. */
	for (size_t i = st->nexisting; i < st->nnodes; i++)
		for (size_t j = 0; j < st->nodes[i].npods; j++)
			if (!*jstr0(json_obj(st->nodes[i].pods[j], "spec"), "nodeName"))
				plan_delete(&p, st->nodes[i].pods[j]);
	size_t sent = sync_nodes(st, &p);
	plan_release(&p);
	/* Failed pods fail the sync, so that kill-and-recreate loops back off. */
	if (failed)
		wl_sync_fail(st->s);
	return sent > 0;
}

/* ---- rolling update ---------------------------------------------------------------------- */

/* upstream's findUpdatedPodsOnNode: the one new and one old pod (not being deleted) of a
 * node; 0 when there are more. */
static int updated_pods(const struct ds_state *st, const struct ds_node *e, const cJSON **newp, const cJSON **oldp)
{
	*newp = *oldp = NULL;
	for (size_t i = 0; i < e->npods; i++) {
		const cJSON **slot = pod_updated(st, e->pods[i]) ? newp : oldp;
		if (wl_deleting(e->pods[i]))
			continue;
		if (*slot)
			return 0;
		*slot = e->pods[i];
	}
	return 1;
}

/* upstream's updatedDesiredNodeCounts: maxSurge, maxUnavailable and the desired count. */
static void rolling_counts(const struct ds_state *st, int64_t *surge, int64_t *unavail, int64_t *desired)
{
	const cJSON *ru = json_getv(st->ds, "spec", "updateStrategy", "rollingUpdate", NULL);
	*desired = 0;
	for (size_t i = 0; i < st->nexisting; i++)
		*desired += st->nodes[i].should_run;
	*surge = *unavail = 0;
	if (jget(ru, "maxUnavailable"))
		rollout_scaled_value(jget(ru, "maxUnavailable"), *desired, 1, unavail);
	if (jget(ru, "maxSurge"))
		rollout_scaled_value(jget(ru, "maxSurge"), *desired, 1, surge);
	if (*desired > 0 && *unavail == 0 && *surge == 0)
		*unavail = 1;
}

/* The nodes a rolling update looks at: those with pods and those that should run one. */
static int rolling_node(const struct ds_node *e)
{
	return e->npods > 0 || e->should_run;
}

/* Without surge: delete old pods (unavailable ones at once, available ones within
 * maxUnavailable); the manage step of the next pass replaces them. */
static void rolling_nosurge(struct ds_state *st, int64_t max_unavail, struct ds_plan *p)
{
	int64_t unavail = 0;
	const cJSON **candidates = xcalloc(st->nnodes + 1, sizeof(*candidates));
	size_t ncand = 0;
	for (size_t i = 0; i < st->nnodes; i++) {
		const cJSON *np, *op;
		if (!rolling_node(&st->nodes[i]))
			continue;
		if (!updated_pods(st, &st->nodes[i], &np, &op) || (!np && !op) || (np && op))
			unavail++;
		else if (np)
			unavail += !available(st, np);
		else if (!available(st, op)) {
			plan_delete(p, op);
			unavail++;
		} else if (unavail < max_unavail) {
			candidates[ncand++] = op;
		}
	}
	int64_t room = MAX(max_unavail - unavail, 0);
	for (size_t i = 0; i < ncand && (int64_t)i < room; i++)
		plan_delete(p, candidates[i]);
	free(candidates);
}

/* With surge, for one node with an old pod and no new one: a replacement may start. */
static void surge_candidate(struct ds_state *st, struct ds_node *e, const cJSON *op, int64_t surge, int64_t *nsurge,
			    struct ds_plan *p, struct ds_plan *cand, struct ds_plan *not_run)
{
	if (!available(st, op)) {
		if (!e->should_run)
			plan_delete(p, op);
		else
			plan_create(p, e->name);
		return;
	}
	if (!e->should_run)
		plan_delete(not_run, op);
	else if (*nsurge < surge)
		plan_create(cand, e->name);
}

/* With surge: start new pods next to old ones within maxSurge, delete old pods once their
 * replacement is available. */
static void rolling_surge(struct ds_state *st, int64_t surge, int64_t desired, struct ds_plan *p)
{
	struct ds_plan cand = { 0 }, not_run = { 0 };
	int64_t nsurge = 0, navail = 0;
	for (size_t i = 0; i < st->nnodes; i++) {
		struct ds_node *e = &st->nodes[i];
		const cJSON *np, *op;
		if (!rolling_node(e))
			continue;
		if (!updated_pods(st, e, &np, &op)) {
			nsurge++;
			continue;
		}
		navail += op ? available(st, op) : np ? available(st, np) : 0;
		if (!op)
			continue;
		if (!np)
			surge_candidate(st, e, op, surge, &nsurge, p, &cand, &not_run);
		else if (!available(st, np))
			nsurge++;
		else
			plan_delete(p, op);
	}
	/* Pods on nodes that should no longer run one go only as others become available. */
	for (int64_t i = 0; i < navail - desired && (size_t)i < not_run.ndel; i++)
		plan_delete(p, not_run.del[i]);
	for (int64_t i = 0; i < surge - nsurge && (size_t)i < cand.ncreate; i++)
		plan_create(p, cand.create[i]);
	plan_release(&cand);
	plan_release(&not_run);
}

/* upstream's rollingUpdate. Returns 1 when pods are being created or deleted. */
static int rolling_update(struct ds_state *st)
{
	struct ds_plan p = { 0 };
	int64_t surge, unavail, desired;
	if (strcmp(jstr0(json_getv(st->ds, "spec", "updateStrategy", NULL), "type"), "RollingUpdate"))
		return 0;
	rolling_counts(st, &surge, &unavail, &desired);
	if (surge == 0)
		rolling_nosurge(st, unavail, &p);
	else
		rolling_surge(st, surge, desired, &p);
	size_t sent = sync_nodes(st, &p);
	plan_release(&p);
	return sent > 0;
}

/* ---- status ------------------------------------------------------------------------------ */

/* upstream's updateDaemonSetStatus and storeDaemonSetStatus. */
static void update_status(struct ds_state *st)
{
	static const char *const names[] = { "desiredNumberScheduled", "currentNumberScheduled", "numberMisscheduled",
					      "numberReady", "updatedNumberScheduled", "numberAvailable", "numberUnavailable" };
	int64_t v[7] = { 0 }; /* in the order of names */
	for (size_t i = 0; i < st->nexisting; i++) {
		const struct ds_node *e = &st->nodes[i];
		if (!e->should_run) {
			v[2] += e->npods > 0;
			continue;
		}
		v[0]++;
		if (!e->npods)
			continue;
		v[1]++;
		v[3] += wl_pod_ready(e->pods[0]);
		v[5] += available(st, e->pods[0]);
		v[4] += pod_updated(st, e->pods[0]);
	}
	v[6] = v[0] - v[5];
	const cJSON *status = json_obj(st->ds, "status");
	int64_t gen = wl_int(json_obj(st->ds, "metadata"), "generation");
	int same = wl_int(status, "observedGeneration") >= gen;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		same &= wl_int(status, names[i]) == v[i];
	if (!same) {
		cJSON *patch = cJSON_CreateObject(), *s = json_obj_force(patch, "status");
		json_set_int(s, "observedGeneration", gen);
		for (size_t i = 0; i < ARRAY_SIZE(names); i++)
			json_set_int(s, names[i], v[i]);
		ctrl_patch(st->c->m, MANAGER, st->c->ds_kind, jstr0(jget(st->ds, "metadata"), "namespace"),
			   jstr0(jget(st->ds, "metadata"), "name"), "status", patch, wl_sync_cb, wl_sync_expect(st->s, NULL, NULL));
		cJSON_Delete(patch);
	}
	/* Pods becoming available after minReadySeconds change the counts without an event. */
	if (st->min_ready > 0 && v[3] != v[5])
		workqueue_add_after(st->c->q, st->key, (uint64_t)st->min_ready * 1000);
}

/* ---- the controller ---------------------------------------------------------------------- */

static void sync_ds(struct workqueue *q, const char *key, void *data)
{
	struct dsc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	struct ds_state st;
	if (state_load(c, s, key, &st) == 0 && !construct_history(&st) && !manage(&st) && !rolling_update(&st)) {
		cleanup_history(&st);
		update_status(&st);
	}
	state_release(&st);
	wl_sync_end(s);
}

static int queue_each(struct store_kv *kv, void *data)
{
	wl_enqueue(data, kv);
	return 0;
}

/* At start: every DaemonSet is known and synced. */
static int track_each(struct store_kv *kv, void *data)
{
	struct dsc *c = data;
	history_owner_track(&c->owner, INF_ADD, kv);
	wl_enqueue(c->q, kv);
	return 0;
}

/* A node came, went, or changed its labels or spec (taints, unschedulable): every DaemonSet
 * looks again. */
static void on_node(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct dsc *c = data;
	if (ev == INF_UPDATE && wl_same_labels(kv, old)) {
		cJSON *a = obj_parse(kv), *b = obj_parse(old);
		int same = cJSON_Compare(json_obj(a, "spec"), json_obj(b, "spec"), 1);
		cJSON_Delete(a);
		cJSON_Delete(b);
		if (same)
			return;
	}
	informer_list(c->sets, NULL, NULL, queue_each, c->q);
}

static void on_set(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct dsc *c = data;
	UNUSED(old);
	history_owner_track(&c->owner, ev, kv);
	wl_enqueue(c->q, kv);
}

static void dsc_free(void *data)
{
	struct dsc *c = data;
	history_owner_release(&c->owner);
	free(c);
}

void ctrl_daemonset_start(struct ctrl_mgr *m)
{
	struct dsc *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->ds_kind = kind_by_resource("apps", "v1", "daemonsets");
	c->pod_kind = kind_by_resource("", "v1", "pods");
	c->rev_kind = kind_by_resource("apps", "v1", "controllerrevisions");
	c->q = workqueue_new(m, "daemonset", 2, sync_ds, c);
	c->sets = informer_of(m, c->ds_kind);
	c->pods = informer_of(m, c->pod_kind);
	c->nodes = informer_of(m, kind_by_resource("", "v1", "nodes"));
	c->revs = informer_of(m, c->rev_kind);
	informer_on(c->sets, on_set, c);
	c->owner = (struct history_owner){ c->q, c->sets, "DaemonSet" };
	informer_on(c->pods, history_on_child, &c->owner);
	informer_on(c->revs, history_on_child, &c->owner);
	informer_on(c->nodes, on_node, c);
	ctrl_on_stop(m, dsc_free, c);
	informer_list(c->sets, NULL, NULL, track_each, c);
}
