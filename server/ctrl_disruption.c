/*
 * ctrl_disruption.c - the disruption controller: keeps each PodDisruptionBudget's status
 * (expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods,
 * observedGeneration and the DisruptionAllowed condition) as upstream's
 * pkg/controller/disruption does, so that the eviction subresource (eviction.c) can decide.
 *
 * DESIGN
 * One work queue whose keys are budgets "NS/NAME" and namespaces "NS" (a pod changed there: every
 * budget of the namespace is looked at again; there are few per namespace and a sync writes only
 * when the status differs). A sync counts the pods the selector matches; the expected count is
 * the pods themselves for an integer minAvailable, else the sum of the scales of their
 * controllers (a Deployment through its ReplicaSet, else any controller with a scale
 * subresource); healthy pods are ready, not terminating and not in disruptedPods - entries the
 * eviction subresource made, dropped once the pod is gone or two minutes passed, the budget being
 * queued again for then. A sync that cannot count writes disruptionsAllowed 0 with a SyncFailed
 * condition (upstream's fail-safe).
 */
#include "server/nodes.h"
#include "server/workload.h"
#include "server/scale.h"

#include <stdlib.h>
#include <string.h>

#define MANAGER "kube-controller-manager"
#define COMPONENT "controllermanager"
#define DELETION_TIMEOUT 120

static const struct kind *pdb_kind(void)
{
	return kind_by_resource("policy", "v1", "poddisruptionbudgets");
}

/* The pods a budget's selector matches (and how many). */
struct pdb_pods {
	cJSON **v;
	size_t n;
};

static int collect(struct store_kv *kv, void *data)
{
	struct pdb_pods *p = data;
	cJSON *pod = obj_parse(kv);
	if (!pod)
		return 0;
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(cJSON *));
	p->v[p->n++] = pod;
	return 0;
}

static void pods_release(struct pdb_pods *p)
{
	for (size_t i = 0; i < p->n; i++)
		cJSON_Delete(p->v[i]);
	free(p->v);
}

/* upstream's GetScaledValueFromIntOrPercent (rounding up). Returns 0, or -1 with why. */
static int scaled(const cJSON *v, int64_t total, int64_t *out, struct buf *why)
{
	if (cJSON_IsNumber(v)) {
		*out = (int64_t)v->valuedouble;
		return 0;
	}
	const char *s = cJSON_IsString(v) ? v->valuestring : "";
	char *end;
	long long pct = strtoll(s, &end, 10);
	if (end == s || strcmp(end, "%")) {
		buf_addf(why, "invalid value for IntOrString: invalid value \"%s\": strconv.Atoi: parsing \"%s\": invalid syntax",
			 s, s);
		return -1;
	}
	*out = (pct * total + 99) / 100;
	return 0;
}

/* ---- expected pods: the scales of the pods' controllers ----------------------------------------- */

/* The stored object of the controller ref points to (uid checked), and its kind in *kp, or NULL. */
static cJSON *controller_of(struct ctrl_mgr *m, const cJSON *ref, const char *ns, const struct kind **kp)
{
	const char *av = json_str(ref, "apiVersion"), *kind = json_str(ref, "kind"), *uid = json_str(ref, "uid");
	char group[128];
	if (!av || !kind)
		return NULL;
	const char *version = api_version_split(av, group, sizeof(group));
	const struct kind *k = kind_by_gvk(group, version, kind);
	if (!k || !(k->flags & KIND_SCALE))
		return NULL;
	struct store_kv *kv = informer_get(informer_of(m, k), ns, json_str(ref, "name"));
	cJSON *obj = kv ? obj_parse(kv) : NULL;
	const char *have = json_strv(obj, "metadata", "uid", NULL);
	if (!obj || !uid || !have || strcmp(uid, have)) {
		cJSON_Delete(obj);
		return NULL;
	}
	*kp = k;
	return obj;
}

/* upstream's finders: a ReplicaSet's Deployment, else the controller with a scale subresource.
 * Returns the controller (owned), or NULL when none is found. */
static cJSON *scale_owner(struct ctrl_mgr *m, const cJSON *pod, const struct kind **kp)
{
	const char *ns = json_strv(pod, "metadata", "namespace", NULL);
	cJSON *c = controller_of(m, ctrl_owner(pod), ns, kp);
	const cJSON *up = c ? ctrl_owner(c) : NULL;
	const char *kind = json_str(c, "kind"), *upkind = json_str(up, "kind");
	if (kind && !strcmp(kind, "ReplicaSet") && upkind && !strcmp(upkind, "Deployment")) {
		cJSON *d = controller_of(m, up, ns, kp);
		cJSON_Delete(c);
		return d;
	}
	return c;
}

/* The spec replicas of controller c (of kind k) as its Scale says them. Returns 0, or -1 with
 * why (a custom resource without them: upstream's scale client gets an error). */
static int controller_replicas(const struct kind *k, const cJSON *c, int64_t *out, struct buf *why)
{
	cJSON *sc = NULL;
	if (scale_of(k, c, 0, &sc, why) < 0)
		return -1;
	json_int(json_obj(sc, "spec"), "replicas", out);
	cJSON_Delete(sc);
	return 0;
}

struct expected {
	int64_t count;
	char **uids;
	size_t n;
	int unmanaged;
};

/* upstream's getExpectedScale. Returns 0, or -1 with why. */
static int expected_scale(struct ctrl_mgr *m, const struct pdb_pods *pods, struct expected *e, struct buf *why)
{
	for (size_t i = 0; i < pods->n; i++) {
		if (!ctrl_owner(pods->v[i])) {
			e->unmanaged++;
			continue;
		}
		const struct kind *k = NULL;
		cJSON *c = scale_owner(m, pods->v[i], &k);
		if (!c) {
			buf_addf(why, "found no controllers for pod \"%s\"", json_strv(pods->v[i], "metadata", "name", NULL));
			return -1;
		}
		const char *uid = json_strv(c, "metadata", "uid", NULL);
		size_t j = 0;
		while (j < e->n && strcmp(e->uids[j], uid))
			j++;
		if (j == e->n) {
			int64_t replicas = 0;
			if (controller_replicas(k, c, &replicas, why) < 0) {
				cJSON_Delete(c);
				return -1;
			}
			e->uids = xrealloc(e->uids, (e->n + 1) * sizeof(char *));
			e->uids[e->n++] = xstrdup(uid);
			e->count += replicas;
		}
		cJSON_Delete(c);
	}
	return 0;
}

static void expected_release(struct expected *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->uids[i]);
	free(e->uids);
}

/* upstream's getExpectedPodCount: expected and desired healthy pods. Returns 0 or -1 with why. */
static int expected_count(struct ctrl_mgr *m, const cJSON *pdb, const struct pdb_pods *pods, int64_t *expected,
			  int64_t *desired, int *unmanaged, struct buf *why)
{
	const cJSON *min = json_getv(pdb, "spec", "minAvailable", NULL), *max = json_getv(pdb, "spec", "maxUnavailable", NULL);
	struct expected e = { 0 };
	int64_t v = 0;
	int r = 0;
	*expected = *desired = 0;
	if (cJSON_IsNumber(min) && !max) {
		*desired = (int64_t)min->valuedouble;
		*expected = (int64_t)pods->n;
	} else if (max || cJSON_IsString(min)) {
		r = expected_scale(m, pods, &e, why);
		if (r == 0)
			r = scaled(max ? max : min, e.count, &v, why);
		if (r == 0) {
			*expected = e.count;
			*desired = max ? MAX(e.count - v, 0) : v;
		}
	}
	*unmanaged = e.unmanaged;
	expected_release(&e);
	return r;
}

/* ---- disrupted pods and health ------------------------------------------------------------------ */

/* upstream's buildDisruptedPodMap: the entries still pending; *recheck gets the earliest expiry. */
static cJSON *disrupted_map(struct ctrl_mgr *m, const cJSON *pdb, const struct pdb_pods *pods, int64_t now,
			    int64_t *recheck)
{
	const cJSON *old = json_getv(pdb, "status", "disruptedPods", NULL);
	cJSON *out = cJSON_CreateObject();
	*recheck = 0;
	for (size_t i = 0; old && i < pods->n; i++) {
		const char *name = json_strv(pods->v[i], "metadata", "name", NULL);
		const char *at = json_str(old, name);
		int64_t t;
		if (json_strv(pods->v[i], "metadata", "deletionTimestamp", NULL) || !at || parse_rfc3339(at, &t) < 0)
			continue;
		if (t + DELETION_TIMEOUT < now) {
			/* The namespace twice, as upstream's message prints it. */
			ctrl_event(m, COMPONENT, pods->v[i], "Warning", "NotDeleted",
				   "Pod was expected by PDB %s/%s to be deleted but it wasn't",
				   json_strv(pdb, "metadata", "namespace", NULL), json_strv(pdb, "metadata", "namespace", NULL));
			continue;
		}
		if (!*recheck || t + DELETION_TIMEOUT < *recheck)
			*recheck = t + DELETION_TIMEOUT;
		json_set_str(out, name, at);
	}
	return out;
}

static int64_t count_healthy(const struct pdb_pods *pods, const cJSON *disrupted)
{
	int64_t n = 0;
	for (size_t i = 0; i < pods->n; i++)
		if (!json_strv(pods->v[i], "metadata", "deletionTimestamp", NULL) &&
		    !json_str(disrupted, json_strv(pods->v[i], "metadata", "name", NULL)) && wl_pod_ready(pods->v[i]))
			n++;
	return n;
}

/* ---- writing the status -------------------------------------------------------------------------- */

static int64_t status_int(const cJSON *pdb, const char *key)
{
	int64_t v = 0;
	json_int(json_obj(pdb, "status"), key, &v);
	return v;
}

/* upstream's ConditionsAreUpToDate. */
static int condition_current(const cJSON *pdb)
{
	const cJSON *c = NULL, *e;
	cJSON_ArrayForEach(e, json_getv(pdb, "status", "conditions", NULL))
		if (json_str(e, "type") && !strcmp(json_str(e, "type"), "DisruptionAllowed"))
			c = e;
	int64_t gen = 0;
	json_int(json_obj(pdb, "metadata"), "generation", &gen);
	if (!c || status_int(pdb, "observedGeneration") != gen)
		return 0;
	int allowed = status_int(pdb, "disruptionsAllowed") > 0;
	const char *s = json_str(c, "status"), *r = json_str(c, "reason");
	return s && r && !strcmp(s, allowed ? "True" : "False") && !strcmp(r, allowed ? "SufficientPods" : "InsufficientPods");
}

struct counts {
	int64_t healthy, desired, expected;
	cJSON *disrupted; /* owned */
};

/* upstream's updatePdbStatus: writes when anything differs. Returns 1 if a write was sent. */
static int write_status(struct ctrl_mgr *m, struct nodes_batch *b, cJSON *pdb, const struct counts *c)
{
	int64_t allowed = c->healthy - c->desired, gen = 0;
	if (c->expected <= 0 || allowed <= 0)
		allowed = 0;
	json_int(json_obj(pdb, "metadata"), "generation", &gen);
	const cJSON *olddp = json_getv(pdb, "status", "disruptedPods", NULL);
	int same_dp = c->disrupted->child ? cJSON_Compare(olddp, c->disrupted, 1) : !cJSON_GetArraySize(olddp);
	if (status_int(pdb, "currentHealthy") == c->healthy && status_int(pdb, "desiredHealthy") == c->desired &&
	    status_int(pdb, "expectedPods") == c->expected && status_int(pdb, "disruptionsAllowed") == allowed &&
	    same_dp && condition_current(pdb))
		return 0;
	cJSON *st = json_obj_force(pdb, "status");
	json_set_int(st, "currentHealthy", c->healthy);
	json_set_int(st, "desiredHealthy", c->desired);
	json_set_int(st, "expectedPods", c->expected);
	json_set_int(st, "disruptionsAllowed", allowed);
	if (gen)
		json_set_int(st, "observedGeneration", gen);
	if (c->disrupted->child)
		json_set(st, "disruptedPods", cJSON_Duplicate(c->disrupted, 1));
	else
		json_del(st, "disruptedPods");
	pdb_update_condition(pdb);
	ctrl_update(m, MANAGER, pdb_kind(), json_strv(pdb, "metadata", "namespace", NULL),
		    json_strv(pdb, "metadata", "name", NULL), "status", pdb, nodes_batch_cb, nodes_batch_write(b));
	return 1;
}

/* upstream's failSafe: no disruption allowed while the budget cannot be computed. */
static void fail_safe(struct ctrl_mgr *m, struct nodes_batch *b, cJSON *pdb, const char *why)
{
	cJSON *st = json_obj_force(pdb, "status");
	int64_t gen = status_int(pdb, "observedGeneration");
	json_set_int(st, "disruptionsAllowed", 0);
	pdb_update_condition(pdb);
	cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st, "conditions"))
	{
		if (strcmp(json_str(c, "type") ? json_str(c, "type") : "", "DisruptionAllowed"))
			continue;
		json_set_str(c, "reason", "SyncFailed");
		json_set_str(c, "message", why);
		if (gen)
			json_set_int(c, "observedGeneration", gen);
	}
	ctrl_update(m, MANAGER, pdb_kind(), json_strv(pdb, "metadata", "namespace", NULL),
		    json_strv(pdb, "metadata", "name", NULL), "status", pdb, nodes_batch_cb, nodes_batch_write(b));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A *metav1.LabelSelector as Go's %v prints it (its generated String()). */
static void go_selector(const cJSON *sel, struct buf *out)
{
	const cJSON *labels = json_obj(sel, "matchLabels"), *e, *v;
	size_t n = (size_t)cJSON_GetArraySize(labels), i = 0;
	const char **keys = xcalloc(n + 1, sizeof(char *));
	if (!cJSON_IsObject(sel)) {
		buf_adds(out, "nil");
		free(keys);
		return;
	}
	cJSON_ArrayForEach(e, labels)
		keys[i++] = e->string;
	qsort(keys, n, sizeof(char *), cmp_str);
	buf_adds(out, "&LabelSelector{MatchLabels:map[string]string{");
	for (i = 0; i < n; i++)
		buf_addf(out, "%s: %s,", keys[i], json_str(labels, keys[i]) ? json_str(labels, keys[i]) : "");
	buf_adds(out, "},MatchExpressions:[]LabelSelectorRequirement{");
	cJSON_ArrayForEach(e, json_getv(sel, "matchExpressions", NULL))
	{
		buf_addf(out, "LabelSelectorRequirement{Key:%s,Operator:%s,Values:[", json_str(e, "key") ? json_str(e, "key") : "",
			 json_str(e, "operator") ? json_str(e, "operator") : "");
		i = 0;
		cJSON_ArrayForEach(v, json_getv(e, "values", NULL))
			buf_addf(out, "%s%s", i++ ? " " : "", cJSON_IsString(v) ? v->valuestring : "");
		buf_adds(out, "],},");
	}
	buf_adds(out, "},}");
	free(keys);
}

/* ---- sync ------------------------------------------------------------------------------------------ */

static void list_pods(struct ctrl_mgr *m, const cJSON *pdb, struct pdb_pods *pods)
{
	struct selector sel;
	if (selector_from_json(json_getv(pdb, "spec", "selector", NULL), &sel, NULL) == 0 && !sel.nothing)
		informer_list(informer_of(m, kind_by_resource("", "v1", "pods")), json_strv(pdb, "metadata", "namespace", NULL),
			      &sel, collect, pods);
	selector_release(&sel);
}

/* upstream's trySync for one budget; *recheck gets when to look again (0: no need). */
static void sync_pdb(struct ctrl_mgr *m, struct nodes_batch *b, cJSON *pdb, int64_t *recheck)
{
	struct pdb_pods pods = { 0 };
	struct buf why = BUF_INIT;
	struct counts c = { 0 };
	int unmanaged = 0;
	list_pods(m, pdb, &pods);
	if (!pods.n)
		ctrl_event(m, COMPONENT, pdb, "Normal", "NoPods", "No matching pods found");
	if (expected_count(m, pdb, &pods, &c.expected, &c.desired, &unmanaged, &why) < 0) {
		ctrl_event(m, COMPONENT, pdb, "Warning", "CalculateExpectedPodCountFailed",
			   "Failed to calculate the number of expected pods: %s", why.data);
		fail_safe(m, b, pdb, why.data);
		goto out;
	}
	if (unmanaged) {
		struct buf sel = BUF_INIT;
		go_selector(json_getv(pdb, "spec", "selector", NULL), &sel);
		ctrl_event(m, COMPONENT, pdb, "Warning", "UnmanagedPods",
			   "Pods selected by this PodDisruptionBudget (selector: %s) were found to be unmanaged. As a result, "
			   "the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To "
			   "account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.",
			   sel.data);
		buf_release(&sel);
	}
	c.disrupted = disrupted_map(m, pdb, &pods, wall_seconds(), recheck);
	c.healthy = count_healthy(&pods, c.disrupted);
	write_status(m, b, pdb, &c);
	cJSON_Delete(c.disrupted);
out:
	buf_release(&why);
	pods_release(&pods);
}

static int queue_pdb(struct store_kv *kv, void *data)
{
	struct buf key = BUF_INIT;
	informer_key(kv, &key);
	workqueue_add(data, key.data);
	buf_release(&key);
	return 0;
}

static void disruption_sync(struct workqueue *q, const char *key, void *data)
{
	struct ctrl_mgr *m = data;
	struct informer *pdbs = informer_of(m, pdb_kind());
	struct nodes_batch *b = nodes_batch_new(q, key);
	const char *slash = strchr(key, '/');
	if (!slash) {
		informer_list(pdbs, key, NULL, queue_pdb, q);
	} else {
		char *ns = xstrndup(key, (size_t)(slash - key));
		struct store_kv *kv = informer_get(pdbs, ns, slash + 1);
		cJSON *pdb = kv ? obj_parse(kv) : NULL;
		int64_t recheck = 0;
		if (pdb)
			sync_pdb(m, b, pdb, &recheck);
		if (recheck)
			workqueue_add_after(q, key, (uint64_t)MAX(recheck - wall_seconds(), 0) * 1000 + 100);
		cJSON_Delete(pdb);
		free(ns);
	}
	nodes_batch_end(b);
}

static void on_pdb(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct buf key = BUF_INIT;
	UNUSED(ev);
	UNUSED(old);
	informer_key(kv, &key);
	workqueue_add(data, key.data);
	buf_release(&key);
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	const char *ns = obj_field(kv->attrs, "metadata.namespace");
	UNUSED(ev);
	UNUSED(old);
	if (ns && *ns)
		workqueue_add(data, ns);
}

void ctrl_disruption_start(struct ctrl_mgr *m)
{
	struct workqueue *q = workqueue_new(m, "disruption", 4, disruption_sync, m);
	struct informer *pdbs = informer_of(m, pdb_kind());
	informer_on(pdbs, on_pdb, q);
	informer_on(informer_of(m, kind_by_resource("", "v1", "pods")), on_pod, q);
	informer_list(pdbs, NULL, NULL, queue_pdb, q);
}
