/*
 * ctrl_nodelifecycle.c - the node lifecycle controller and the taint-eviction controller, as
 * upstream's kube-controller-manager runs them (pkg/controller/nodelifecycle,
 * pkg/controller/tainteviction).
 *
 * Node lifecycle: a node whose heartbeat (its Lease in kube-node-lease, else its Ready
 * condition's lastHeartbeatTime) is older than --node-monitor-grace-period gets its Ready,
 * MemoryPressure, DiskPressure and PIDPressure conditions set Unknown ("Kubelet stopped posting
 * node status."); the pods of a node that is not Ready are marked not ready; and the node's
 * taints follow its conditions: not-ready / unreachable (NoSchedule and NoExecute), the
 * pressure and network-unavailable taints, and unschedulable for a cordoned node, each added
 * with timeAdded and removed when the condition clears.
 *
 * Taint eviction: a pod on a node with NoExecute taints it does not tolerate is deleted now;
 * one that tolerates them for tolerationSeconds is deleted that long after the taint came
 * (TaintManagerEviction events, the DisruptionTarget condition DeletionByTaintManager).
 *
 * DESIGN
 * No state besides two work queues (see nodes.h). The lifecycle queue's keys:
 *   "NAME"        look at one node: its heartbeat, then its taints, then its pods' readiness
 *                 (one kind of write per pass; the write's own watch event brings the next);
 *   "+NAME"       a node seen for the first time (RegisteredNode event), then as "NAME";
 *   "~NAME"       a node that stopped being Ready (NodeNotReady event), then as "NAME";
 *   "-NAME\tUID"  a node deleted (RemovingNode event);
 *   "!monitor"    every --node-monitor-period: queue the nodes whose heartbeat is too old.
 * A heartbeat's age is measured against the wall clock, from the latest of the Lease's
 * renewTime, the Ready heartbeat, the node's creation and the time this server took the
 * controller Lease (so a restarted control plane gives every node a full grace period, as
 * upstream's fresh probe timestamps do).
 * The taint-eviction queue's keys are pod keys "NS/NAME" and node names; when a pod is due is
 * computed, not remembered: the latest timeAdded of the node's NoExecute taints (or the pod's
 * creation, if later) plus the smallest tolerationSeconds of the tolerations used; a pod not
 * due yet is queued again for then.
 */
#include "server/nodes.h"
#include "server/workload.h"
#include "server/kinds.h"

#include <stdlib.h>
#include <string.h>

#define MANAGER "kube-controller-manager"
#define COMPONENT "node-controller"
#define MONITOR_KEY "!monitor"
#define TAINT_PREFIX "node.kubernetes.io/"

static const struct kind *kind_of(const char *group, const char *resource)
{
	return kind_by_resource(group, "v1", resource);
}

/* An ObjectReference-like involved object for a node's events (upstream puts the name in uid). */
static cJSON *node_ref(const char *name, const char *uid)
{
	cJSON *o = cJSON_CreateObject(), *meta = json_obj_force(o, "metadata");
	json_set_str(o, "kind", "Node");
	json_set_str(o, "apiVersion", "v1");
	json_set_str(meta, "name", name);
	json_set_str(meta, "uid", uid ? uid : name);
	return o;
}

static void node_event(struct ctrl_mgr *m, const char *name, const char *uid, const char *reason, const char *msg)
{
	cJSON *ref = node_ref(name, uid);
	ctrl_event(m, COMPONENT, ref, "Normal", reason, "Node %s event: %s", name, msg);
	cJSON_Delete(ref);
}

/* ---- heartbeats ------------------------------------------------------------------------------- */

/* When this server took the controller Lease (0 if unknown). */
static int64_t leading_since(struct ctrl_mgr *m)
{
	struct store_kv *kv = informer_get(informer_of(m, kind_of("coordination.k8s.io", "leases")), "kube-system",
					   "kube-controller-manager");
	cJSON *l = kv ? obj_parse(kv) : NULL;
	int64_t t = 0;
	const char *s = json_strv(l, "spec", "acquireTime", NULL);
	if (s)
		parse_rfc3339(s, &t);
	cJSON_Delete(l);
	return t;
}

/* The latest sign of life of node (seconds). */
static int64_t last_heartbeat(struct ctrl_mgr *m, const cJSON *node)
{
	const char *name = json_strv(node, "metadata", "name", NULL);
	struct store_kv *kv = informer_get(informer_of(m, kind_of("coordination.k8s.io", "leases")), "kube-node-lease", name);
	int64_t t = MAX(nodes_meta_time(node, "creationTimestamp"), leading_since(m)), v;
	const char *hb = json_str(nodes_condition(node, "Ready"), "lastHeartbeatTime");
	if (hb && parse_rfc3339(hb, &v) == 0)
		t = MAX(t, v);
	if (kv) {
		cJSON *lease = obj_parse(kv);
		const char *renew = json_strv(lease, "spec", "renewTime", NULL);
		if (renew && parse_rfc3339(renew, &v) == 0)
			t = MAX(t, v);
		cJSON_Delete(lease);
	}
	return t;
}

static int64_t grace_seconds(struct ctrl_mgr *m)
{
	return ctrl_server(m)->cfg->node_monitor_grace_ms / 1000;
}

static int heartbeat_lost(struct ctrl_mgr *m, const cJSON *node)
{
	return wall_seconds() > last_heartbeat(m, node) + grace_seconds(m);
}

static const char *ready_status(const cJSON *node)
{
	const char *s = json_str(nodes_condition(node, "Ready"), "status");
	return s ? s : "";
}

/* Sets the kubelet's conditions Unknown on node (upstream's tryUpdateNodeHealth for a node whose
 * heartbeat is too old). Returns 1 if the Ready condition changed (then the status is written). */
int nodes_mark_unknown(cJSON *node)
{
	static const char *const types[] = { "Ready", "MemoryPressure", "DiskPressure", "PIDPressure" };
	char now[21];
	cJSON *before = cJSON_Duplicate(nodes_condition(node, "Ready"), 1);
	format_rfc3339(wall_seconds(), now);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		cJSON *c = nodes_condition(node, types[i]);
		if (!c) {
			cJSON *st = json_obj_force(node, "status"), *list = cJSON_GetObjectItemCaseSensitive(st, "conditions");
			if (!cJSON_IsArray(list))
				json_set(st, "conditions", list = cJSON_CreateArray());
			c = cJSON_CreateObject();
			json_set_str(c, "type", types[i]);
			json_set_str(c, "status", "Unknown");
			json_set_str(c, "lastHeartbeatTime", json_strv(node, "metadata", "creationTimestamp", NULL) ? json_strv(node, "metadata", "creationTimestamp", NULL) : now);
			json_set_str(c, "lastTransitionTime", now);
			json_set_str(c, "reason", "NodeStatusNeverUpdated");
			json_set_str(c, "message", "Kubelet never posted node status.");
			cJSON_AddItemToArray(list, c);
		} else if (strcmp(json_str(c, "status") ? json_str(c, "status") : "", "Unknown")) {
			json_set_str(c, "status", "Unknown");
			json_set_str(c, "reason", "NodeStatusUnknown");
			json_set_str(c, "message", "Kubelet stopped posting node status.");
			json_set_str(c, "lastTransitionTime", now);
		}
	}
	int changed = !cJSON_Compare(before, nodes_condition(node, "Ready"), 1);
	cJSON_Delete(before);
	return changed;
}

/* ---- taints ----------------------------------------------------------------------------------- */

/* The controller's taints, "key/effect" (keys under node.kubernetes.io/). */
static const char *const managed[] = {
	"not-ready/NoSchedule", "unreachable/NoSchedule", "memory-pressure/NoSchedule",
	"disk-pressure/NoSchedule", "network-unavailable/NoSchedule", "pid-pressure/NoSchedule",
	"unschedulable/NoSchedule", "not-ready/NoExecute", "unreachable/NoExecute",
};

static int condition_is(const cJSON *node, const char *type, const char *status)
{
	const char *s = json_str(nodes_condition(node, type), "status");
	return s && !strcmp(s, status);
}

/* Is the managed taint i wanted on node now? */
static int wanted(const cJSON *node, size_t i)
{
	switch (i) {
	case 0: case 7: return condition_is(node, "Ready", "False");
	case 1: case 8: return condition_is(node, "Ready", "Unknown");
	case 2: return condition_is(node, "MemoryPressure", "True");
	case 3: return condition_is(node, "DiskPressure", "True");
	case 4: return condition_is(node, "NetworkUnavailable", "True");
	case 5: return condition_is(node, "PIDPressure", "True");
	case 6: return cJSON_IsTrue(json_getv(node, "spec", "unschedulable", NULL));
	default: return 0;
	}
}

/* The index in managed[] of taint, or -1. */
static int managed_index(const cJSON *taint)
{
	const char *key = json_str(taint, "key"), *effect = json_str(taint, "effect");
	if (!key || !effect || strncmp(key, TAINT_PREFIX, strlen(TAINT_PREFIX)))
		return -1;
	key += strlen(TAINT_PREFIX);
	for (size_t i = 0; i < ARRAY_SIZE(managed); i++) {
		const char *slash = strchr(managed[i], '/');
		if (strlen(key) == (size_t)(slash - managed[i]) && !strncmp(key, managed[i], (size_t)(slash - managed[i])) &&
		    !strcmp(effect, slash + 1))
			return (int)i;
	}
	return -1;
}

/* Makes node's managed taints what its conditions call for (upstream's NoSchedule and NoExecute
 * tainting passes). Returns 1 if spec.taints changed. */
int nodes_reconcile_taints(cJSON *node)
{
	cJSON *spec = json_obj_force(node, "spec"), *taints = cJSON_GetObjectItemCaseSensitive(spec, "taints");
	int present[ARRAY_SIZE(managed)] = { 0 }, changed = 0;
	char now[21];
	if (!cJSON_IsArray(taints))
		json_set(spec, "taints", taints = cJSON_CreateArray());
	for (cJSON *t = taints->child, *next; t; t = next) {
		int i = managed_index(t);
		next = t->next;
		if (i < 0)
			continue;
		if (wanted(node, (size_t)i) && !present[i]) {
			present[i] = 1;
		} else {
			cJSON_Delete(cJSON_DetachItemViaPointer(taints, t));
			changed = 1;
		}
	}
	format_rfc3339(wall_seconds(), now);
	for (size_t i = 0; i < ARRAY_SIZE(managed); i++) {
		if (present[i] || !wanted(node, i))
			continue;
		const char *slash = strchr(managed[i], '/');
		char *key = xasprintf("%s%.*s", TAINT_PREFIX, (int)(slash - managed[i]), managed[i]);
		cJSON *t = cJSON_CreateObject();
		json_set_str(t, "key", key);
		json_set_str(t, "effect", slash + 1);
		json_set_str(t, "timeAdded", now);
		cJSON_AddItemToArray(taints, t);
		free(key);
		changed = 1;
	}
	if (!taints->child)
		json_del(spec, "taints");
	return changed;
}

/* ---- pods of a node that is not ready ------------------------------------------------------------ */

struct sweep {
	struct ctrl_mgr *m;
	struct nodes_batch *b;
};

/* upstream's MarkPodsNotReady for one pod. */
static int unready_one(struct store_kv *kv, void *data)
{
	struct sweep *s = data;
	cJSON *pod = obj_parse(kv);
	if (pod && wl_pod_ready(pod) && nodes_set_pod_condition(pod, "Ready", "False", NULL, NULL)) {
		ctrl_update(s->m, MANAGER, kind_of("", "pods"), json_strv(pod, "metadata", "namespace", NULL),
			    obj_kv_name(kv), "status", pod, nodes_batch_cb, nodes_batch_write(s->b));
		ctrl_event(s->m, COMPONENT, pod, "Warning", "NodeNotReady", "Node is not ready");
	}
	cJSON_Delete(pod);
	return 0;
}

/* ---- the lifecycle queue ---------------------------------------------------------------------- */

/* One pass over node name: heartbeat, else taints, else its pods. */
static void sync_node(struct ctrl_mgr *m, struct nodes_batch *b, const char *name)
{
	const struct kind *nk = kind_of("", "nodes");
	struct store_kv *kv = informer_get(informer_of(m, nk), NULL, name);
	cJSON *node = kv ? obj_parse(kv) : NULL;
	if (!node)
		return;
	if (heartbeat_lost(m, node) && nodes_mark_unknown(node)) {
		ctrl_update(m, MANAGER, nk, NULL, name, "status", node, nodes_batch_cb, nodes_batch_write(b));
	} else if (nodes_reconcile_taints(node)) {
		ctrl_update(m, MANAGER, nk, NULL, name, NULL, node, nodes_batch_cb, nodes_batch_write(b));
	} else if (strcmp(ready_status(node), "True")) {
		struct sweep s = { m, b };
		nodes_pods_on(informer_of(m, kind_of("", "pods")), name, unready_one, &s);
	}
	cJSON_Delete(node);
}

struct monitor {
	struct ctrl_mgr *m;
	struct workqueue *q;
};

static int check_one(struct store_kv *kv, void *data)
{
	struct monitor *mo = data;
	cJSON *node = obj_parse(kv);
	if (node && heartbeat_lost(mo->m, node) && strcmp(ready_status(node), "Unknown"))
		workqueue_add(mo->q, obj_kv_name(kv));
	cJSON_Delete(node);
	return 0;
}

static void lifecycle_sync(struct workqueue *q, const char *key, void *data)
{
	struct ctrl_mgr *m = data;
	struct nodes_batch *b = nodes_batch_new(q, key);
	if (!strcmp(key, MONITOR_KEY)) {
		struct monitor mo = { m, q };
		informer_list(informer_of(m, kind_of("", "nodes")), NULL, NULL, check_one, &mo);
		workqueue_add_after(q, MONITOR_KEY, (uint64_t)ctrl_server(m)->cfg->node_monitor_period_ms);
	} else if (key[0] == '-') {
		char *name = xstrdup(key + 1), *tab = strchr(name, '\t');
		if (tab)
			*tab++ = '\0';
		char *msg = xasprintf("Removing Node %s from Controller", name);
		node_event(m, name, tab, "RemovingNode", msg);
		free(msg);
		free(name);
	} else if (key[0] == '+' || key[0] == '~') {
		struct store_kv *kv = informer_get(informer_of(m, kind_of("", "nodes")), NULL, key + 1);
		cJSON *node = kv ? obj_parse(kv) : NULL;
		if (node && key[0] == '+') {
			char *msg = xasprintf("Registered Node %s in Controller", key + 1);
			node_event(m, key + 1, json_strv(node, "metadata", "uid", NULL), "RegisteredNode", msg);
			free(msg);
		} else if (node) {
			cJSON *ref = node_ref(key + 1, key + 1);
			ctrl_event(m, COMPONENT, ref, "Normal", "NodeNotReady", "Node %s status is now: NodeNotReady", key + 1);
			cJSON_Delete(ref);
		}
		cJSON_Delete(node);
		sync_node(m, b, key + 1);
	} else {
		sync_node(m, b, key);
	}
	nodes_batch_end(b);
}

/* ---- taint eviction ---------------------------------------------------------------------------- */

/* When pod must leave a node with these taints (epoch seconds; 0: now; -1: never), as upstream's
 * processPodOnNode decides: now if a NoExecute taint is not tolerated, else the taints' time
 * plus the smallest tolerationSeconds of the tolerations used, never if none is bounded. */
int64_t nodes_eviction_due(const cJSON *pod, const cJSON *taints)
{
	int64_t start = nodes_meta_time(pod, "creationTimestamp"), least = -1, v;
	const cJSON *t, *tol;
	cJSON_ArrayForEach(t, taints)
	{
		const char *effect = json_str(t, "effect"), *added = json_str(t, "timeAdded");
		const cJSON *used = NULL;
		if (!effect || strcmp(effect, "NoExecute"))
			continue;
		cJSON_ArrayForEach(tol, json_getv(pod, "spec", "tolerations", NULL))
			if (!used && nodes_tolerates(tol, t))
				used = tol;
		if (!used)
			return 0;
		if (added && parse_rfc3339(added, &v) == 0)
			start = MAX(start, v);
		if (json_int(used, "tolerationSeconds", &v) == 0) {
			if (v <= 0)
				return 0;
			least = least < 0 ? v : MIN(least, v);
		}
	}
	return least < 0 ? -1 : start + least;
}

struct taint_kill {
	struct ctrl_mgr *m;
	struct nodes_batch *b;
	char *ns, *name, *uid;
};

static void taint_kill_delete(struct taint_kill *k)
{
	ctrl_delete(k->m, kind_of("", "pods"), k->ns, k->name, k->uid, NULL, nodes_batch_cb, nodes_batch_write(k->b));
}

static void taint_kill_free(struct taint_kill *k)
{
	free(k->ns);
	free(k->name);
	free(k->uid);
	free(k);
}

static void taint_marked(int code, const char *body, size_t len, void *data)
{
	struct taint_kill *k = data;
	if (code >= 200 && code < 300 && !ctrl_stopping(k->m))
		taint_kill_delete(k);
	nodes_batch_cb(code, body, len, k->b);
	taint_kill_free(k);
}

/* upstream's addConditionAndDeletePod with the TaintManagerEviction event. */
static void taint_evict(struct ctrl_mgr *m, struct nodes_batch *b, cJSON *pod)
{
	const char *ns = json_strv(pod, "metadata", "namespace", NULL), *name = json_strv(pod, "metadata", "name", NULL);
	const char *uid = json_strv(pod, "metadata", "uid", NULL);
	struct taint_kill *k = xcalloc(1, sizeof(*k));
	cJSON *ref = cJSON_CreateObject(), *meta = json_obj_force(ref, "metadata");
	json_set_str(ref, "apiVersion", "v1");
	json_set_str(ref, "kind", "Pod");
	json_set_str(meta, "name", name);
	json_set_str(meta, "namespace", ns);
	ctrl_event(m, "taint-eviction-controller", ref, "Normal", "TaintManagerEviction", "Marking for deletion Pod %s/%s",
		   ns, name);
	cJSON_Delete(ref);
	*k = (struct taint_kill){ m, b, xstrdup(ns), xstrdup(name), xstrdup(uid ? uid : "") };
	if (nodes_set_pod_condition(pod, "DisruptionTarget", "True", "DeletionByTaintManager",
				    "Taint manager: deleting due to NoExecute taint")) {
		ctrl_update(m, MANAGER, kind_of("", "pods"), ns, name, "status", pod, taint_marked, k);
		nodes_batch_write(b);
		return;
	}
	taint_kill_delete(k);
	taint_kill_free(k);
}

struct taint_pass {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct nodes_batch *b;
	const cJSON *taints;
};

/* Evicts pod now, or queues it again for when it is due. */
static void taint_check(struct taint_pass *p, cJSON *pod)
{
	if (json_strv(pod, "metadata", "deletionTimestamp", NULL))
		return;
	int64_t due = nodes_eviction_due(pod, p->taints), now = wall_seconds();
	if (due < 0)
		return;
	if (due <= now) {
		taint_evict(p->m, p->b, pod);
		return;
	}
	struct buf key = BUF_INIT;
	buf_addf(&key, "%s/%s", json_strv(pod, "metadata", "namespace", NULL), json_strv(pod, "metadata", "name", NULL));
	workqueue_add_after(p->q, key.data, (uint64_t)(due - now) * 1000 + 100);
	buf_release(&key);
}

static int taint_check_kv(struct store_kv *kv, void *data)
{
	cJSON *pod = obj_parse(kv);
	if (pod)
		taint_check(data, pod);
	cJSON_Delete(pod);
	return 0;
}

static void taint_sync(struct workqueue *q, const char *key, void *data)
{
	struct ctrl_mgr *m = data;
	struct informer *pods = informer_of(m, kind_of("", "pods")), *nodes = informer_of(m, kind_of("", "nodes"));
	struct taint_pass p = { m, q, nodes_batch_new(q, key), NULL };
	const char *slash = strchr(key, '/');
	char *ns = slash ? xstrndup(key, (size_t)(slash - key)) : NULL;
	struct store_kv *pkv = slash ? informer_get(pods, ns, slash + 1) : NULL;
	const char *node_name = slash ? (pkv ? obj_field(pkv->attrs, "spec.nodeName") : NULL) : key;
	struct store_kv *nkv = node_name && *node_name ? informer_get(nodes, NULL, node_name) : NULL;
	cJSON *node = nkv ? obj_parse(nkv) : NULL;
	p.taints = json_getv(node, "spec", "taints", NULL);
	if (node && p.taints && pkv)
		taint_check_kv(pkv, &p);
	else if (node && p.taints && !slash)
		nodes_pods_on(pods, node_name, taint_check_kv, &p);
	cJSON_Delete(node);
	free(ns);
	nodes_batch_end(p.b);
}

/* ---- informer handlers ----------------------------------------------------------------------- */

static cJSON *noexecute_taints(const cJSON *node)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *t;
	cJSON_ArrayForEach(t, json_getv(node, "spec", "taints", NULL))
		if (json_str(t, "effect") && !strcmp(json_str(t, "effect"), "NoExecute"))
			cJSON_AddItemToArray(out, cJSON_Duplicate(t, 1));
	return out;
}

/* Lifecycle queue: nodes seen, changed, gone. */
static void on_node(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct workqueue *q = data;
	const char *name = obj_kv_name(kv);
	struct buf key = BUF_INIT;
	if (ev == INF_ADD) {
		buf_addf(&key, "+%s", name);
	} else if (ev == INF_DELETE) {
		cJSON *node = obj_parse(kv);
		const char *uid = json_strv(node, "metadata", "uid", NULL);
		buf_addf(&key, "-%s\t%s", name, uid ? uid : name);
		cJSON_Delete(node);
	} else {
		cJSON *a = obj_parse(old), *b = obj_parse(kv);
		int was = !strcmp(ready_status(a), "True"), is = !strcmp(ready_status(b), "True");
		buf_addf(&key, "%s%s", was && !is ? "~" : "", name);
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	workqueue_add(q, key.data);
	buf_release(&key);
}

/* Taint-eviction queue: a node whose NoExecute taints changed. */
static void on_node_taints(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	cJSON *a = ev == INF_UPDATE ? obj_parse(old) : NULL, *b = ev != INF_DELETE ? obj_parse(kv) : NULL;
	cJSON *ta = noexecute_taints(a), *tb = noexecute_taints(b);
	if (!cJSON_Compare(ta, tb, 1) || (ev == INF_ADD && tb->child))
		workqueue_add(data, obj_kv_name(kv));
	cJSON_Delete(ta);
	cJSON_Delete(tb);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* Lifecycle queue: a pod that became ready on a node (which may not be ready). */
static void on_pod_ready(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	const char *node = obj_field(kv->attrs, "spec.nodeName");
	if (ev == INF_DELETE || !node || !*node)
		return;
	cJSON *a = old ? obj_parse(old) : NULL, *b = obj_parse(kv);
	if (wl_pod_ready(b) && (!a || !wl_pod_ready(a)))
		workqueue_add(data, node);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* Taint-eviction queue: a pod bound to a node, or whose tolerations changed. */
static void on_pod_taints(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	const char *node = obj_field(kv->attrs, "spec.nodeName"), *was = old ? obj_field(old->attrs, "spec.nodeName") : NULL;
	if (ev == INF_DELETE || !node || !*node)
		return;
	int changed = !was || strcmp(was, node);
	if (!changed) {
		cJSON *a = obj_parse(old), *b = obj_parse(kv);
		changed = !validate_same(json_getv(a, "spec", "tolerations", NULL), json_getv(b, "spec", "tolerations", NULL));
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	if (changed) {
		struct buf key = BUF_INIT;
		informer_key(kv, &key);
		workqueue_add(data, key.data);
		buf_release(&key);
	}
}

struct starting {
	struct workqueue *lq, *tq;
};

static int register_node(struct store_kv *kv, void *data)
{
	struct starting *s = data;
	struct buf key = BUF_INIT;
	buf_addf(&key, "+%s", obj_kv_name(kv));
	workqueue_add(s->lq, key.data);
	workqueue_add(s->tq, obj_kv_name(kv));
	buf_release(&key);
	return 0;
}

void ctrl_nodelifecycle_start(struct ctrl_mgr *m)
{
	struct starting s = { workqueue_new(m, "node-lifecycle", 4, lifecycle_sync, m),
			      workqueue_new(m, "taint-eviction", 4, taint_sync, m) };
	struct informer *nodes = informer_of(m, kind_of("", "nodes")), *pods = informer_of(m, kind_of("", "pods"));
	informer_of(m, kind_of("coordination.k8s.io", "leases"));
	informer_on(nodes, on_node, s.lq);
	informer_on(nodes, on_node_taints, s.tq);
	informer_on(pods, on_pod_ready, s.lq);
	informer_on(pods, on_pod_taints, s.tq);
	informer_list(nodes, NULL, NULL, register_node, &s);
	workqueue_add(s.lq, MONITOR_KEY);
}
