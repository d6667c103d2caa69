/*
 * ctrl_podgc.c - PodGC, upstream's pod garbage collector (pkg/controller/podgc): deletes the
 * oldest terminated pods beyond --terminated-pod-gc-threshold, the pods bound to nodes that no
 * longer exist (after a quarantine), terminating pods that were never scheduled, and terminating
 * pods of nodes that are not ready and tainted node.kubernetes.io/out-of-service. Each is
 * first marked Failed (the orphans with the DisruptionTarget condition DeletionByPodGC), then
 * deleted with grace period 0: no kubelet will finish them.
 *
 * DESIGN
 * One work queue, keys:
 *   "!scan"        every GC_PERIOD_MS (upstream's gcCheckPeriod), at start and when a node
 *                  goes or its taints change: deletes the terminating pods it may, and
 *                  queues the others for what it finds;
 *   "!terminated"  counts terminated pods (from the stored phase, no parsing) and deletes the
 *                  excess, evicted pods first, then by age and name; queued too whenever a pod
 *                  turns terminal;
 *   "o:NODE"       queued QUARANTINE after a node is deleted (or a pod is seen on a missing
 *                  node): if the node is still missing, its pods go.
 * The quarantine is --node-monitor-grace-period (upstream: a fixed 40 s, the default grace
 * period), so that tests can shorten it.
 * The writes are sent and not waited for (their answers are logged): a sync ends at once and
 * the next scan retries what failed. The force delete goes through the internal client directly
 * because the controller writes (ctrl.h) have no grace period option.
 */
#include "server/nodes.h"
#include "server/kinds.h"

#include <stdlib.h>
#include <string.h>

#define MANAGER "kube-controller-manager"
#define GC_PERIOD_MS 20000
#define SCAN_KEY "!scan"
#define TERMINATED_KEY "!terminated"
#define OUT_OF_SERVICE "node.kubernetes.io/out-of-service"

static const struct kind *K(const char *resource)
{
	return kind_by_resource("", "v1", resource);
}

/* upstream's isPodTerminated, on a stored pod's phase. */
static int terminated(const struct store_kv *kv)
{
	const char *p = obj_field(kv->attrs, "status.phase");
	return !p || (strcmp(p, "Pending") && strcmp(p, "Running") && strcmp(p, "Unknown"));
}

/* ---- force deletion ------------------------------------------------------------------------ */

struct gc_pod {
	struct server *srv;
	char *ns, *name, *uid;
};

static void gc_pod_free(struct gc_pod *g)
{
	free(g->ns);
	free(g->name);
	free(g->uid);
	free(g);
}

static void gc_deleted(int code, const char *body, size_t len, void *data)
{
	struct gc_pod *g = data;
	if ((code < 200 || code >= 300) && code != 404 && code != 409 && code != 503)
		log_warn("podgc: cannot delete pod %s/%s (%d): %.*s", g->ns, g->name, code, (int)MIN(len, 300), body);
	gc_pod_free(g);
}

static void gc_delete(struct gc_pod *g)
{
	char *body = xasprintf("{\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"%s\"}}", g->uid);
	client_call(g->srv, VERB_DELETE, K("pods"), g->ns, g->name, NULL, "application/json", body, NULL, gc_deleted, g);
	free(body);
}

static void gc_marked(int code, const char *body, size_t len, void *data)
{
	struct gc_pod *g = data;
	if (code >= 200 && code < 300) {
		gc_delete(g);
		return;
	}
	if (code != 404 && code != 409 && code != 503)
		log_warn("podgc: cannot mark pod %s/%s failed (%d): %.*s", g->ns, g->name, code, (int)MIN(len, 300), body);
	gc_pod_free(g);
}

/* upstream's markFailedAndDeletePodWithCondition (orphan: with the DeletionByPodGC condition). */
static void mark_failed_and_delete(struct ctrl_mgr *m, cJSON *pod, int orphan)
{
	struct gc_pod *g = xcalloc(1, sizeof(*g));
	const char *uid = json_strv(pod, "metadata", "uid", NULL);
	g->srv = ctrl_server(m);
	g->ns = xstrdup(json_strv(pod, "metadata", "namespace", NULL));
	g->name = xstrdup(json_strv(pod, "metadata", "name", NULL));
	g->uid = xstrdup(uid ? uid : "");
	log_info("podgc: force deleting pod %s/%s", g->ns, g->name);
	if (nodes_pod_terminal(pod)) {
		gc_delete(g);
		return;
	}
	json_set_str(json_obj_force(pod, "status"), "phase", "Failed");
	if (orphan)
		nodes_set_pod_condition(pod, "DisruptionTarget", "True", "DeletionByPodGC", "PodGC: node no longer exists");
	ctrl_update(m, MANAGER, K("pods"), g->ns, g->name, "status", pod, gc_marked, g);
}

/* ---- terminated pods beyond the threshold ------------------------------------------------------- */

struct done_pods {
	cJSON **v;
	size_t n;
};

static int collect_terminated(struct store_kv *kv, void *data)
{
	struct done_pods *d = data;
	cJSON *pod;
	if (!terminated(kv) || !(pod = obj_parse(kv)))
		return 0;
	d->v = xrealloc(d->v, (d->n + 1) * sizeof(cJSON *));
	d->v[d->n++] = pod;
	return 0;
}

static int evicted(const cJSON *pod)
{
	const char *phase = json_strv(pod, "status", "phase", NULL), *reason = json_strv(pod, "status", "reason", NULL);
	return phase && reason && !strcmp(phase, "Failed") && !strcmp(reason, "Evicted");
}

/* upstream's byEvictionAndCreationTimestamp. */
static int gc_order(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t tx = nodes_meta_time(x, "creationTimestamp"), ty = nodes_meta_time(y, "creationTimestamp");
	if (evicted(x) != evicted(y))
		return evicted(x) ? -1 : 1;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(json_strv(x, "metadata", "name", NULL), json_strv(y, "metadata", "name", NULL));
}

static int count_terminated(struct store_kv *kv, void *data)
{
	*(int64_t *)data += terminated(kv);
	return 0;
}

static void gc_terminated(struct ctrl_mgr *m)
{
	struct informer *pods = informer_of(m, K("pods"));
	int64_t limit = ctrl_server(m)->cfg->terminated_pod_gc_threshold, n = 0;
	struct done_pods d = { NULL, 0 };
	if (limit <= 0)
		return;
	informer_list(pods, NULL, NULL, count_terminated, &n);
	if (n <= limit)
		return;
	informer_list(pods, NULL, NULL, collect_terminated, &d);
	qsort(d.v, d.n, sizeof(cJSON *), gc_order);
	log_info("podgc: garbage collecting %lld pods", (long long)(n - limit));
	for (size_t i = 0; i < d.n; i++) {
		if ((int64_t)i < n - limit)
			mark_failed_and_delete(m, d.v[i], 0);
		cJSON_Delete(d.v[i]);
	}
	free(d.v);
}

/* ---- orphans and unscheduled terminating pods ----------------------------------------------------- */

static int delete_orphan(struct store_kv *kv, void *data)
{
	cJSON *pod = obj_parse(kv);
	if (pod)
		mark_failed_and_delete(data, pod, 1);
	cJSON_Delete(pod);
	return 0;
}

static void gc_orphans(struct ctrl_mgr *m, const char *node)
{
	if (!informer_get(informer_of(m, K("nodes")), NULL, node))
		nodes_pods_on(informer_of(m, K("pods")), node, delete_orphan, m);
}

static uint64_t quarantine_ms(struct ctrl_mgr *m)
{
	return (uint64_t)ctrl_server(m)->cfg->node_monitor_grace_ms;
}

struct scan {
	struct ctrl_mgr *m;
	struct workqueue *q;
};

static int scan_one(struct store_kv *kv, void *data)
{
	struct scan *s = data;
	const char *node = obj_field(kv->attrs, "spec.nodeName");
	if (node && *node) {
		if (!informer_get(informer_of(s->m, K("nodes")), NULL, node)) {
			char *key = xasprintf("o:%s", node);
			workqueue_add_after(s->q, key, quarantine_ms(s->m));
			free(key);
		}
		return 0;
	}
	cJSON *pod = obj_parse(kv);
	if (pod && json_strv(pod, "metadata", "deletionTimestamp", NULL))
		mark_failed_and_delete(s->m, pod, 0);
	cJSON_Delete(pod);
	return 0;
}

/* ---- terminating pods on out-of-service nodes ------------------------------------------------------ */

static int delete_terminating(struct store_kv *kv, void *data)
{
	cJSON *pod = obj_parse(kv);
	if (pod && json_strv(pod, "metadata", "deletionTimestamp", NULL))
		mark_failed_and_delete(data, pod, 0);
	cJSON_Delete(pod);
	return 0;
}

/* Is node not Ready and tainted node.kubernetes.io/out-of-service (any effect)? */
static int out_of_service(const cJSON *node)
{
	const char *ready = json_str(nodes_condition(node, "Ready"), "status");
	const cJSON *t;
	if (ready && !strcmp(ready, "True"))
		return 0;
	cJSON_ArrayForEach(t, json_getv(node, "spec", "taints", NULL))
		if (json_str(t, "key") && !strcmp(json_str(t, "key"), OUT_OF_SERVICE))
			return 1;
	return 0;
}

/* upstream's gcTerminating: the terminating pods of a node that is not ready and that the
 * administrator tainted out-of-service are force deleted (no kubelet will finish them). */
static int gc_terminating(struct store_kv *kv, void *data)
{
	struct ctrl_mgr *m = data;
	cJSON *node = obj_parse(kv);
	if (node && out_of_service(node))
		nodes_pods_on(informer_of(m, K("pods")), obj_kv_name(kv), delete_terminating, m);
	cJSON_Delete(node);
	return 0;
}

static void podgc_sync(struct workqueue *q, const char *key, void *data)
{
	struct ctrl_mgr *m = data;
	if (!strcmp(key, SCAN_KEY)) {
		struct scan s = { m, q };
		informer_list(informer_of(m, K("pods")), NULL, NULL, scan_one, &s);
		informer_list(informer_of(m, K("nodes")), NULL, NULL, gc_terminating, m);
		gc_terminated(m);
		workqueue_add_after(q, SCAN_KEY, GC_PERIOD_MS);
	} else if (!strcmp(key, TERMINATED_KEY)) {
		gc_terminated(m);
	} else if (!strncmp(key, "o:", 2)) {
		gc_orphans(m, key + 2);
	}
	workqueue_done(q, key, 0);
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	if (ev != INF_DELETE && terminated(kv) && (!old || !terminated(old)))
		workqueue_add(data, TERMINATED_KEY);
}

/* A node went (the scan finds its pods and queues them after the quarantine), or its taints
 * changed (it may have been declared out of service): scan now rather than at the next period. */
static void on_node(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	int scan = ev == INF_DELETE;
	if (ev == INF_UPDATE) {
		cJSON *a = obj_parse(old), *b = obj_parse(kv);
		scan = !validate_same(json_getv(a, "spec", "taints", NULL), json_getv(b, "spec", "taints", NULL));
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	if (scan)
		workqueue_add(data, SCAN_KEY);
}

void ctrl_podgc_start(struct ctrl_mgr *m)
{
	struct workqueue *q = workqueue_new(m, "podgc", 1, podgc_sync, m);
	informer_on(informer_of(m, K("pods")), on_pod, q);
	informer_on(informer_of(m, K("nodes")), on_node, q);
	workqueue_add(q, SCAN_KEY);
}
