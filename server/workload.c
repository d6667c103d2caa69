/*
 * workload.c - the helpers every workload controller shares (workload.h): template hashing
 * and comparison, pod readiness and deletion order, pod creation and deletion with events,
 * adoption and release, and syncs that end when their writes have answered.
 *
 * DESIGN
 * A struct wl_sync counts the writes of one sync of one work-queue key; each write carries a
 * small struct wl_write naming the sync, the answer handler and its argument. The answer
 * handler runs before the count drops, so a handler may send follow-up writes (the next
 * slow-start batch, a status write after pod creations) and the sync stays open for them.
 * While the manager stops, handlers are skipped (no new work) but arguments are still
 * released, so nothing leaks.
 */
#include "server/workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DELETION_COST "controller.kubernetes.io/pod-deletion-cost"

/* ---- pod templates ---------------------------------------------------------------------- */

uint32_t wl_fnv32a(uint32_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

void wl_safe_encode(const char *in, char *out)
{
	static const char alphanums[] = "bcdfghjklmnpqrstvwxz2456789";
	size_t i;
	for (i = 0; in[i]; i++)
		out[i] = alphanums[(unsigned char)in[i] % (sizeof(alphanums) - 1)];
	out[i] = '\0';
}

static int cmp_keys(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

/* The canonical copy of v (caller frees), or NULL when v is null or empty. */
static cJSON *canon(const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return NULL;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return cJSON_Duplicate(v, 0);
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
	const cJSON **kids = xcalloc(n + 1, sizeof(*kids)), *k;
	cJSON_ArrayForEach(k, v)
		kids[i++] = k;
	cJSON *out = cJSON_IsObject(v) ? cJSON_CreateObject() : cJSON_CreateArray();
	if (cJSON_IsObject(v))
		qsort(kids, n, sizeof(*kids), cmp_keys);
	for (i = 0; i < n; i++) {
		cJSON *c = canon(kids[i]);
		if (cJSON_IsObject(v)) {
			if (c)
				cJSON_AddItemToObject(out, kids[i]->string, c);
			continue;
		}
		/* A list keeps its length: an empty element stays, as its zero value. */
		if (!c)
			c = cJSON_IsObject(kids[i]) ? cJSON_CreateObject() : cJSON_CreateNull();
		cJSON_AddItemToArray(out, c);
	}
	free(kids);
	if (!out->child) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

void wl_canonical(const cJSON *v, struct buf *out)
{
	cJSON *c = canon(v);
	if (c)
		json_print(c, out);
	else
		buf_adds(out, "null");
	cJSON_Delete(c);
}

void wl_template_hash(const cJSON *tmpl, const int64_t *collision_count, char out[WL_HASH_LEN])
{
	struct buf b = BUF_INIT;
	char dec[16];
	wl_canonical(tmpl, &b);
	uint32_t h = wl_fnv32a(WL_FNV32_OFFSET, b.data, b.len);
	if (collision_count) {
		uint32_t c = (uint32_t)*collision_count;
		unsigned char le[8] = { c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff, (c >> 24) & 0xff, 0, 0, 0, 0 };
		h = wl_fnv32a(h, le, sizeof(le));
	}
	snprintf(dec, sizeof(dec), "%u", h);
	wl_safe_encode(dec, out);
	buf_release(&b);
}

int wl_template_equal(const cJSON *a, const cJSON *b)
{
	cJSON *x = cJSON_Duplicate(a, 1), *y = cJSON_Duplicate(b, 1);
	struct buf cx = BUF_INIT, cy = BUF_INIT;
	json_del(json_getv(x, "metadata", "labels", NULL), WL_HASH_LABEL);
	json_del(json_getv(y, "metadata", "labels", NULL), WL_HASH_LABEL);
	wl_canonical(x, &cx);
	wl_canonical(y, &cy);
	int same = cx.len == cy.len && !memcmp(cx.data, cy.data, cx.len);
	buf_release(&cx);
	buf_release(&cy);
	cJSON_Delete(x);
	cJSON_Delete(y);
	return same;
}

/* ---- pods ------------------------------------------------------------------------------- */

int64_t wl_int(const cJSON *obj, const char *key)
{
	int64_t v = 0;
	json_int(obj, key, &v);
	return v;
}

int wl_deleting(const cJSON *obj)
{
	return json_strv(obj, "metadata", "deletionTimestamp", NULL) != NULL;
}

void wl_now(char out[21])
{
	format_rfc3339(wall_seconds(), out);
}

const char *wl_key_split(const char *key, char *ns, size_t len)
{
	const char *slash = strchr(key, '/');
	size_t n = slash ? (size_t)(slash - key) : 0;
	snprintf(ns, len, "%.*s", (int)n, key);
	return slash ? slash + 1 : key;
}

void wl_enqueue(struct workqueue *q, const struct store_kv *kv)
{
	struct buf key = BUF_INIT;
	informer_key(kv, &key);
	workqueue_add(q, key.data);
	buf_release(&key);
}

int wl_same_labels(const struct store_kv *a, const struct store_kv *b)
{
	const struct obj_attrs *x = a->attrs, *y = b->attrs;
	if (!x || !y || x->nlabels != y->nlabels)
		return x == y;
	for (size_t i = 0; i < x->nlabels; i++) {
		const char *v = obj_label(y, x->labels[i * 2]);
		if (!v || strcmp(v, x->labels[i * 2 + 1]))
			return 0;
	}
	return 1;
}

static int64_t ts(const char *s)
{
	int64_t t = 0;
	if (!s || parse_rfc3339(s, &t) < 0)
		return 0;
	return t;
}

int wl_pod_active(const cJSON *pod)
{
	const char *phase = json_strv(pod, "status", "phase", NULL);
	if (phase && (!strcmp(phase, "Succeeded") || !strcmp(phase, "Failed")))
		return 0;
	return !wl_deleting(pod);
}

static const cJSON *ready_condition(const cJSON *pod)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(pod, "status", "conditions", NULL)) {
		const char *t = json_str(c, "type");
		if (t && !strcmp(t, "Ready"))
			return c;
	}
	return NULL;
}

int wl_pod_ready(const cJSON *pod)
{
	const char *st = json_str(ready_condition(pod), "status");
	return st && !strcmp(st, "True");
}

int64_t wl_pod_ready_since(const cJSON *pod)
{
	return wl_pod_ready(pod) ? ts(json_str(ready_condition(pod), "lastTransitionTime")) : 0;
}

int wl_pod_available(const cJSON *pod, int64_t min_ready, int64_t now)
{
	if (!wl_pod_ready(pod))
		return 0;
	if (min_ready <= 0)
		return 1;
	int64_t since = wl_pod_ready_since(pod);
	return since != 0 && since + min_ready < now;
}

uint64_t wl_pod_available_in(const cJSON *pod, int64_t min_ready, int64_t now)
{
	if (!wl_pod_ready(pod) || wl_pod_available(pod, min_ready, now))
		return 0;
	int64_t since = wl_pod_ready_since(pod);
	if (!since)
		return 0;
	/* Available once now > since + min_ready, at second granularity. */
	return (uint64_t)(since + min_ready + 1 - now) * 1000;
}

/* ---- deletion order --------------------------------------------------------------------- */

struct ranked {
	const cJSON *pod;
	int rank;
	size_t idx;
};

static int phase_ordinal(const cJSON *pod)
{
	const char *p = json_strv(pod, "status", "phase", NULL);
	if (p && !strcmp(p, "Unknown"))
		return 1;
	if (p && !strcmp(p, "Running"))
		return 2;
	return 0;
}

static int64_t deletion_cost(const cJSON *pod)
{
	const char *v = json_strv(pod, "metadata", "annotations", DELETION_COST, NULL);
	int64_t c = 0;
	if (!v || parse_int64(v, INT32_MIN, INT32_MAX, &c) < 0)
		return 0;
	return c;
}

static int is_sidecar(const cJSON *pod, const char *name)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(pod, "spec", "initContainers", NULL)) {
		const char *n = json_str(c, "name"), *rp = json_str(c, "restartPolicy");
		if (n && name && !strcmp(n, name))
			return rp && !strcmp(rp, "Always");
	}
	return 0;
}

/* The most restarts of a regular container (*reg) and of a sidecar (*side). */
static void max_restarts(const cJSON *pod, int64_t *reg, int64_t *side)
{
	const cJSON *c;
	*reg = *side = 0;
	cJSON_ArrayForEach(c, json_getv(pod, "status", "containerStatuses", NULL))
		*reg = MAX(*reg, wl_int(c, "restartCount"));
	cJSON_ArrayForEach(c, json_getv(pod, "status", "initContainerStatuses", NULL))
		if (is_sidecar(pod, json_str(c, "name")))
			*side = MAX(*side, wl_int(c, "restartCount"));
}

static int log_rank(int64_t t, int64_t now)
{
	double d = (double)(now - t) * 1e9; /* nanoseconds, as Go's time.Duration */
	return d > 0 ? (int)floor(log2(d)) : -1;
}

/* Orders two times as upstream does: a zero time first, else by logarithmic age bucket (newer
 * first) with the uid breaking ties. Only called when t1 != t2. */
static int cmp_times(int64_t t1, int64_t t2, const cJSON *p1, const cJSON *p2, int64_t now)
{
	if (!now || !t1 || !t2)
		return (!t1 || !t2) ? (!t1 ? -1 : 1) : (t1 > t2 ? -1 : 1);
	int diff = log_rank(t1, now) - log_rank(t2, now);
	if (diff)
		return diff < 0 ? -1 : 1;
	const char *u1 = json_strv(p1, "metadata", "uid", NULL), *u2 = json_strv(p2, "metadata", "uid", NULL);
	int c = strcmp(u1 ? u1 : "", u2 ? u2 : "");
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* -1 when a is deleted before b, 1 after, 0 when upstream sees no difference. */
static int cmp_for_deletion(const struct ranked *x, const struct ranked *y, int64_t now)
{
	const cJSON *a = x->pod, *b = y->pod;
	const char *na = json_strv(a, "spec", "nodeName", NULL), *nb = json_strv(b, "spec", "nodeName", NULL);
	na = na ? na : "";
	nb = nb ? nb : "";
	if (strcmp(na, nb) && (!*na || !*nb))
		return !*na ? -1 : 1;
	if (phase_ordinal(a) != phase_ordinal(b))
		return phase_ordinal(a) < phase_ordinal(b) ? -1 : 1;
	if (wl_pod_ready(a) != wl_pod_ready(b))
		return !wl_pod_ready(a) ? -1 : 1;
	if (deletion_cost(a) != deletion_cost(b))
		return deletion_cost(a) < deletion_cost(b) ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if (wl_pod_ready(a) && wl_pod_ready(b)) {
		int64_t ra = wl_pod_ready_since(a), rb = wl_pod_ready_since(b);
		if (ra != rb)
			return cmp_times(ra, rb, a, b, now);
	}
	int64_t rega, sidea, regb, sideb;
	max_restarts(a, &rega, &sidea);
	max_restarts(b, &regb, &sideb);
	if (rega != regb)
		return rega > regb ? -1 : 1;
	if (sidea != sideb)
		return sidea > sideb ? -1 : 1;
	int64_t ca = ts(json_strv(a, "metadata", "creationTimestamp", NULL));
	int64_t cb = ts(json_strv(b, "metadata", "creationTimestamp", NULL));
	if (ca != cb)
		return cmp_times(ca, cb, a, b, now);
	return 0;
}

static int cmp_ranked(const void *p, const void *q, void *now)
{
	const struct ranked *x = p, *y = q;
	int c = cmp_for_deletion(x, y, *(int64_t *)now);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx ? 1 : 0;
}

void wl_sort_for_deletion(const cJSON **pods, int *ranks, size_t n, int64_t now)
{
	struct ranked *r = xcalloc(n + 1, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){ pods[i], ranks ? ranks[i] : 0, i };
	qsort_r(r, n, sizeof(*r), cmp_ranked, &now);
	for (size_t i = 0; i < n; i++) {
		pods[i] = r[i].pod;
		if (ranks)
			ranks[i] = r[i].rank;
	}
	free(r);
}

/* ---- syncs ------------------------------------------------------------------------------ */

struct wl_sync {
	struct ctrl_mgr *m;
	struct workqueue *q;
	char *key;
	int pending;
	int ended;
	int failed;
};

struct wl_write {
	struct wl_sync *s;
	wl_answer_fn *fn;
	void *arg;
	void (*release)(void *arg);
};

struct wl_sync *wl_sync_begin(struct ctrl_mgr *m, struct workqueue *q, const char *key)
{
	struct wl_sync *s = xcalloc(1, sizeof(*s));
	s->m = m;
	s->q = q;
	s->key = xstrdup(key);
	return s;
}

struct ctrl_mgr *wl_sync_mgr(const struct wl_sync *s)
{
	return s->m;
}

static void finish_if_done(struct wl_sync *s)
{
	if (!s->ended || s->pending)
		return;
	workqueue_done(s->q, s->key, s->failed ? -1 : 0);
	free(s->key);
	free(s);
}

static void *expect(struct wl_sync *s, wl_answer_fn *fn, void *arg, void (*release)(void *))
{
	struct wl_write *w = xcalloc(1, sizeof(*w));
	w->s = s;
	w->fn = fn;
	w->arg = arg;
	w->release = release;
	s->pending++;
	return w;
}

void *wl_sync_expect(struct wl_sync *s, wl_answer_fn *fn, void *arg)
{
	return expect(s, fn, arg, free);
}

void wl_sync_cb(int code, const char *body, size_t len, void *data)
{
	struct wl_write *w = data;
	struct wl_sync *s = w->s;
	/* While stopping, answers start no new work. */
	if (!ctrl_stopping(s->m) && w->fn)
		w->fn(s, code, body, len, w->arg);
	else if (!w->fn && code >= 300 && code != 404 && code != 409)
		s->failed = 1;
	if (w->release)
		w->release(w->arg);
	free(w);
	s->pending--;
	finish_if_done(s);
}

void wl_sync_fail(struct wl_sync *s)
{
	s->failed = 1;
}

void wl_sync_end(struct wl_sync *s)
{
	s->ended = 1;
	finish_if_done(s);
}

void wl_answer_message(const char *body, size_t len, struct buf *out)
{
	cJSON *st = json_parse(body, len, NULL);
	const char *msg = json_str(st, "message");
	buf_reset(out);
	if (msg)
		buf_adds(out, msg);
	else
		buf_add(out, body, len);
	cJSON_Delete(st);
}

int wl_answer_ns_terminating(const char *body, size_t len)
{
	cJSON *st = json_parse(body, len, NULL);
	const cJSON *c;
	int yes = 0;
	cJSON_ArrayForEach(c, json_getv(st, "details", "causes", NULL)) {
		const char *r = json_str(c, "reason");
		yes |= r && !strcmp(r, "NamespaceTerminating");
	}
	cJSON_Delete(st);
	return yes;
}

/* ---- creating pods ---------------------------------------------------------------------- */

cJSON *wl_pod_from_template(const cJSON *tmpl, const cJSON *owner)
{
	static const char *const copied[] = { "labels", "annotations", "finalizers" };
	cJSON *pod = cJSON_CreateObject(), *meta = json_obj_force(pod, "metadata");
	const cJSON *tmeta = json_obj(tmpl, "metadata");
	const char *name = json_strv(owner, "metadata", "name", NULL);
	json_set_str(pod, "apiVersion", "v1");
	json_set_str(pod, "kind", "Pod");
	for (size_t i = 0; i < ARRAY_SIZE(copied); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(tmeta, copied[i]);
		if (v && !cJSON_IsNull(v))
			json_set(meta, copied[i], cJSON_Duplicate(v, 1));
	}
	char *prefix = xasprintf("%s-", name ? name : "");
	/* Upstream falls back to the bare name when "<name>-" is no valid prefix (too long). */
	if (strlen(prefix) > 253 - 5)
		prefix[strlen(prefix) - 1] = '\0';
	json_set_str(meta, "generateName", prefix);
	free(prefix);
	cJSON *refs = cJSON_CreateArray();
	cJSON_AddItemToArray(refs, ctrl_owner_ref(owner));
	json_set(meta, "ownerReferences", refs);
	const cJSON *spec = json_obj(tmpl, "spec");
	json_set(pod, "spec", spec ? cJSON_Duplicate(spec, 1) : cJSON_CreateObject());
	return pod;
}

struct podwork {
	int refs;
	char *component;
	cJSON *tmpl;   /* NULL for deletions */
	cJSON *owner;
	int want;      /* pods still to create */
	int done_n;    /* created or deleted */
	int batch;     /* answers outstanding in this batch */
	int next;      /* size of the next batch */
	char *err;
	wl_pods_fn *fn;
	void *arg;
};

static void podwork_release(void *p)
{
	struct podwork *w = p;
	if (--w->refs)
		return;
	free(w->component);
	cJSON_Delete(w->tmpl);
	cJSON_Delete(w->owner);
	free(w->err);
	free(w->arg);
	free(w);
}

static void podwork_finish(struct wl_sync *s, struct podwork *w)
{
	if (w->fn)
		w->fn(s, w->done_n, w->err, w->arg);
	w->fn = NULL;
}

static void send_batch(struct wl_sync *s, struct podwork *w);

static void created(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct podwork *w = arg;
	w->batch--;
	if (code >= 200 && code < 300) {
		cJSON *pod = json_parse(body, len, NULL);
		const char *name = json_strv(pod, "metadata", "name", NULL);
		w->done_n++;
		ctrl_event(s->m, w->component, w->owner, "Normal", "SuccessfulCreate", "Created pod: %s", name ? name : "");
		cJSON_Delete(pod);
	} else if (!wl_answer_ns_terminating(body, len)) {
		struct buf msg = BUF_INIT;
		wl_answer_message(body, len, &msg);
		ctrl_event(s->m, w->component, w->owner, "Warning", "FailedCreate", "Error creating: %s", buf_str(&msg));
		if (!w->err)
			w->err = buf_detach(&msg, NULL);
		buf_release(&msg);
		wl_sync_fail(s);
	} else if (!w->err) {
		w->err = xstrdup("namespace is terminating");
	}
	if (w->batch)
		return;
	if (w->err || !w->want)
		podwork_finish(s, w);
	else
		send_batch(s, w);
}

static void send_batch(struct wl_sync *s, struct podwork *w)
{
	const struct kind *pk = kind_by_resource("", "v1", "pods");
	const char *ns = json_strv(w->owner, "metadata", "namespace", NULL);
	int n = MIN(w->next, w->want);
	cJSON *pod = wl_pod_from_template(w->tmpl, w->owner);
	w->want -= n;
	w->next *= 2;
	w->batch = n;
	for (int i = 0; i < n; i++) {
		w->refs++;
		ctrl_create(s->m, w->component, pk, ns, pod, wl_sync_cb, expect(s, created, w, podwork_release));
	}
	cJSON_Delete(pod);
}

static struct podwork *podwork_new(const char *component, const cJSON *owner, wl_pods_fn *done, void *arg)
{
	struct podwork *w = xcalloc(1, sizeof(*w));
	w->refs = 1;
	w->component = xstrdup(component);
	w->owner = cJSON_Duplicate(owner, 1);
	w->fn = done;
	w->arg = arg;
	return w;
}

void wl_create_pods(struct wl_sync *s, const char *component, const cJSON *tmpl, const cJSON *owner, int n,
		    wl_pods_fn *done, void *arg)
{
	struct podwork *w = podwork_new(component, owner, done, arg);
	w->tmpl = cJSON_Duplicate(tmpl, 1);
	w->want = n;
	w->next = 1;
	if (n > 0)
		send_batch(s, w);
	else
		podwork_finish(s, w);
	podwork_release(w);
}

static void deleted(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct podwork *w = arg;
	w->batch--;
	if (code >= 200 && code < 300) {
		cJSON *pod = json_parse(body, len, NULL);
		const char *name = json_strv(pod, "metadata", "name", NULL);
		if (!name)
			name = json_strv(pod, "details", "name", NULL);
		w->done_n++;
		ctrl_event(s->m, w->component, w->owner, "Normal", "SuccessfulDelete", "Deleted pod: %s", name ? name : "");
		cJSON_Delete(pod);
	} else if (code != 404) {
		struct buf msg = BUF_INIT;
		wl_answer_message(body, len, &msg);
		ctrl_event(s->m, w->component, w->owner, "Warning", "FailedDelete", "Error deleting: %s", buf_str(&msg));
		if (!w->err)
			w->err = buf_detach(&msg, NULL);
		buf_release(&msg);
		wl_sync_fail(s);
	}
	if (!w->batch)
		podwork_finish(s, w);
}

void wl_delete_pods(struct wl_sync *s, const char *component, const cJSON *owner, const cJSON *const *pods,
		    size_t n, wl_pods_fn *done, void *arg)
{
	const struct kind *pk = kind_by_resource("", "v1", "pods");
	struct podwork *w = podwork_new(component, owner, done, arg);
	w->batch = (int)n;
	for (size_t i = 0; i < n; i++) {
		w->refs++;
		ctrl_delete(s->m, pk, json_strv(pods[i], "metadata", "namespace", NULL),
			    json_strv(pods[i], "metadata", "name", NULL), NULL, NULL, wl_sync_cb,
			    expect(s, deleted, w, podwork_release));
	}
	if (!n)
		podwork_finish(s, w);
	podwork_release(w);
}

/* ---- adoption --------------------------------------------------------------------------- */

enum wl_claim wl_claim(const cJSON *owner, const cJSON *obj, int matches)
{
	const cJSON *ref = ctrl_owner(obj);
	const char *uid = json_strv(owner, "metadata", "uid", NULL);
	if (ref) {
		const char *ruid = json_str(ref, "uid");
		if (!ruid || !uid || strcmp(ruid, uid))
			return WL_IGNORE;
		if (matches)
			return WL_OWNED;
		return wl_deleting(owner) ? WL_IGNORE : WL_RELEASE;
	}
	if (wl_deleting(owner) || !matches || wl_deleting(obj))
		return WL_IGNORE;
	const char *ons = json_strv(owner, "metadata", "namespace", NULL);
	const char *ns = json_strv(obj, "metadata", "namespace", NULL);
	if (ons && *ons && (!ns || strcmp(ons, ns)))
		return WL_IGNORE;
	return WL_ADOPT;
}

void wl_answer_strict(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	UNUSED(body);
	UNUSED(len);
	UNUSED(arg);
	if (code >= 300 && code != 404)
		wl_sync_fail(s);
}

/* A merge patch setting obj's ownerReferences to refs (taken; NULL removes them), conditional
 * on obj's resourceVersion. A conflict fails the sync: the change that caused it may not bring
 * the key back by itself (an orphan whose labels did not change), so the key is retried. */
static void patch_refs(struct wl_sync *s, const char *manager, const struct kind *k, const cJSON *obj, cJSON *refs)
{
	cJSON *patch = cJSON_CreateObject(), *meta = json_obj_force(patch, "metadata");
	const char *rv = json_strv(obj, "metadata", "resourceVersion", NULL);
	json_set(meta, "ownerReferences", refs ? refs : cJSON_CreateNull());
	if (rv)
		json_set_str(meta, "resourceVersion", rv);
	ctrl_patch(s->m, manager, k, json_strv(obj, "metadata", "namespace", NULL), json_strv(obj, "metadata", "name", NULL),
		   NULL, patch, wl_sync_cb, wl_sync_expect(s, wl_answer_strict, NULL));
	cJSON_Delete(patch);
}

void wl_adopt(struct wl_sync *s, const char *manager, const struct kind *k, const cJSON *obj, const cJSON *owner)
{
	const cJSON *old = json_getv(obj, "metadata", "ownerReferences", NULL);
	cJSON *refs = cJSON_IsArray(old) ? cJSON_Duplicate(old, 1) : cJSON_CreateArray();
	cJSON_AddItemToArray(refs, ctrl_owner_ref(owner));
	patch_refs(s, manager, k, obj, refs);
}

void wl_release(struct wl_sync *s, const char *manager, const struct kind *k, const cJSON *obj,
		const char *owner_uid)
{
	cJSON *refs = cJSON_CreateArray();
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(obj, "metadata", "ownerReferences", NULL)) {
		const char *uid = json_str(r, "uid");
		if (!uid || strcmp(uid, owner_uid))
			cJSON_AddItemToArray(refs, cJSON_Duplicate(r, 1));
	}
	if (!refs->child) {
		cJSON_Delete(refs);
		refs = NULL;
	}
	patch_refs(s, manager, k, obj, refs);
}

int wl_selector_matches(const cJSON *sel, const cJSON *labels)
{
	struct selector s;
	static const cJSON empty = { .type = cJSON_Object };
	if (selector_from_json(sel, &s, NULL) < 0) {
		selector_release(&s);
		return 0;
	}
	int m = !s.nothing && selector_matches(&s, sel_lookup_json, labels ? labels : &empty);
	selector_release(&s);
	return m;
}
