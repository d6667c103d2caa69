/*
 * ctrl_gc.c - the garbage collector: deletes objects whose owners are gone, and carries out
 * the Foreground and Orphan propagation policies, as upstream's garbage collector does.
 *
 * DESIGN
 * The collector follows every stored kind (but Events and virtual kinds) and keeps a graph of
 * ownerReferences: owner uid -> the storage keys of its dependents (every reference, not only
 * controller ones), and dependent key -> the owner uids it named last, so that a change can be
 * taken out of the graph again. Owners are found from a reference itself (apiVersion's group,
 * kind, name, in the dependent's namespace when the kind is namespaced) and checked by uid, so
 * no map of every object is needed. Work-queue keys are storage keys; one sync looks at one
 * object and does what upstream's attemptToDeleteItem, processDeletingDependentsItem and
 * attemptToOrphan do:
 *   - an object being deleted with the "orphan" finalizer: remove the references to it from
 *     its dependents, then (once it has none) the finalizer;
 *   - one being deleted with "foregroundDeletion": while dependents that block its deletion
 *     (blockOwnerDeletion) remain, queue them; then remove the finalizer;
 *   - any other object with owners: classify them as solid (present), dangling (absent, or
 *     another uid) or waiting (being deleted in the foreground). With a solid owner, drop the
 *     references to dangling and waiting ones; with none but a waiting one, delete it in the
 *     foreground; with only dangling ones, delete it (Orphan or Foreground when it carries that
 *     finalizer, else Background). Deletes carry a uid precondition.
 * An owner that goes away, or starts deleting in the foreground, queues its dependents; a
 * dependent that changes or goes queues its owners that are being deleted.
 */
#include "server/rollout.h"
#include "server/workload.h"

#include "lib/hmap.h"

#include <stdlib.h>
#include <string.h>

#define COMPONENT "garbage-collector-controller"
#define ORPHAN "orphan"
#define FOREGROUND "foregroundDeletion"

struct uids {
	char **v;
	size_t n;
};

struct gc {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct store *store;
	struct hmap deps;   /* owner uid -> struct uids of dependent storage keys */
	struct hmap owners; /* dependent storage key -> struct uids of owner uids */
	struct hmap followed; /* storage prefixes of the kinds followed (value unused) */
};

/* ---- the graph -------------------------------------------------------------------------- */

static void set_add(struct hmap *m, const char *key, const char *v)
{
	struct uids *s = hmap_get(m, key);
	if (!s) {
		s = xcalloc(1, sizeof(*s));
		hmap_put(m, key, s);
	}
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], v))
			return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(char *));
	s->v[s->n++] = xstrdup(v);
}

static void uids_free(struct uids *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		free(s->v[i]);
	if (s)
		free(s->v);
	free(s);
}

static void set_del(struct hmap *m, const char *key, const char *v)
{
	struct uids *s = hmap_get(m, key);
	for (size_t i = 0; s && i < s->n; i++) {
		if (strcmp(s->v[i], v))
			continue;
		free(s->v[i]);
		s->v[i] = s->v[--s->n];
		if (!s->n)
			uids_free(hmap_del(m, key));
		return;
	}
}

/* Makes the graph say that the object at key names owners (NULL: none, or gone). */
static void graph_set(struct gc *g, const char *key, const cJSON *refs)
{
	struct uids *old = hmap_del(&g->owners, key);
	for (size_t i = 0; old && i < old->n; i++)
		set_del(&g->deps, old->v[i], key);
	uids_free(old);
	const cJSON *r;
	cJSON_ArrayForEach(r, refs) {
		const char *uid = json_str(r, "uid");
		if (!uid || !*uid)
			continue;
		set_add(&g->owners, key, uid);
		set_add(&g->deps, uid, key);
	}
}

/* Copies the dependents of uid (caller frees with uids_free). */
static struct uids *dependents(struct gc *g, const char *uid)
{
	struct uids *s = hmap_get(&g->deps, uid), *c = xcalloc(1, sizeof(*c));
	c->v = xcalloc(s ? s->n + 1 : 1, sizeof(char *));
	for (size_t i = 0; s && i < s->n; i++)
		c->v[c->n++] = xstrdup(s->v[i]);
	return c;
}

static void enqueue_dependents(struct gc *g, const char *uid)
{
	struct uids *s = uid && *uid ? hmap_get(&g->deps, uid) : NULL;
	for (size_t i = 0; s && i < s->n; i++)
		workqueue_add(g->q, s->v[i]);
}

/* ---- owners ----------------------------------------------------------------------------- */

/* The served kind an ownerReference names (any version of its group), or NULL. */
static const struct kind *ref_kind(const cJSON *ref)
{
	const char *av = json_str(ref, "apiVersion"), *kind = json_str(ref, "kind");
	if (!av || !kind)
		return NULL;
	const char *slash = strchr(av, '/');
	size_t glen = slash ? (size_t)(slash - av) : 0;
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (!k->view && !(k->flags & KIND_VIRTUAL) && !strcmp(k->kind, kind) && strlen(k->group) == glen &&
		    !strncmp(k->group, av, glen))
			return k;
	}
	return NULL;
}

/* The owner a reference of a dependent in ns names, as stored now (borrowed), or NULL. */
static struct store_kv *ref_owner(struct gc *g, const cJSON *ref, const char *ns, const struct kind **kp)
{
	const struct kind *k = ref_kind(ref);
	const char *name = json_str(ref, "name");
	struct buf key = BUF_INIT;
	*kp = k;
	if (!k || !name)
		return NULL;
	kind_key(k, (k->flags & KIND_NAMESPACED) ? ns : NULL, name, &key);
	struct store_kv *kv = store_get(g->store, key.data);
	buf_release(&key);
	return kv;
}

static int has_finalizer(const cJSON *obj, const char *f)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "metadata", "finalizers", NULL))
		if (cJSON_IsString(e) && !strcmp(e->valuestring, f))
			return 1;
	return 0;
}

static int deleting_dependents(const cJSON *obj)
{
	return wl_deleting(obj) && has_finalizer(obj, FOREGROUND);
}

enum ref_class { SOLID, DANGLING, WAITING };

static enum ref_class classify(struct gc *g, const cJSON *ref, const char *ns)
{
	const struct kind *k;
	struct store_kv *kv = ref_owner(g, ref, ns, &k);
	if (!k)
		return SOLID; /* a kind this server does not serve: leave it alone */
	const char *uid = kv ? obj_field(kv->attrs, "x.uid") : NULL, *want = json_str(ref, "uid");
	if (!kv || !uid || !want || strcmp(uid, want))
		return DANGLING;
	cJSON *owner = obj_parse(kv);
	int waiting = deleting_dependents(owner);
	cJSON_Delete(owner);
	return waiting ? WAITING : SOLID;
}

/* ---- writes ----------------------------------------------------------------------------- */

static const struct kind *kind_of_key(const char *key)
{
	return kind_by_key(key);
}

/* A merge patch of obj's metadata (patch's fields), conditional on its resourceVersion. */
static void patch_meta(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj, cJSON *meta)
{
	cJSON *patch = cJSON_CreateObject();
	const char *rv = json_strv(obj, "metadata", "resourceVersion", NULL);
	if (rv)
		json_set_str(meta, "resourceVersion", rv);
	json_set(patch, "metadata", meta);
	ctrl_patch(g->m, COMPONENT, kind_of_key(key), json_strv(obj, "metadata", "namespace", NULL),
		   json_strv(obj, "metadata", "name", NULL), NULL, patch, wl_sync_cb,
		   wl_sync_expect(s, wl_answer_strict, NULL));
	cJSON_Delete(patch);
}

/* Removes the ownerReferences of obj whose uid is in drop (n of them). */
static void drop_refs(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj, const char *const *drop,
		      size_t n)
{
	cJSON *refs = cJSON_CreateArray(), *meta = cJSON_CreateObject();
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(obj, "metadata", "ownerReferences", NULL)) {
		const char *uid = json_str(r, "uid");
		size_t i = 0;
		while (i < n && (!uid || strcmp(uid, drop[i])))
			i++;
		if (i == n)
			cJSON_AddItemToArray(refs, cJSON_Duplicate(r, 1));
	}
	if (refs->child) {
		json_set(meta, "ownerReferences", refs);
	} else {
		cJSON_Delete(refs);
		json_set(meta, "ownerReferences", cJSON_CreateNull());
	}
	patch_meta(g, s, key, obj, meta);
}

static void remove_finalizer(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj, const char *f)
{
	cJSON *fins = cJSON_CreateArray(), *meta = cJSON_CreateObject();
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "metadata", "finalizers", NULL))
		if (!cJSON_IsString(e) || strcmp(e->valuestring, f))
			cJSON_AddItemToArray(fins, cJSON_Duplicate(e, 1));
	if (fins->child) {
		json_set(meta, "finalizers", fins);
	} else {
		cJSON_Delete(fins);
		json_set(meta, "finalizers", cJSON_CreateNull());
	}
	patch_meta(g, s, key, obj, meta);
}

static void delete_obj(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj, const char *policy)
{
	ctrl_delete(g->m, kind_of_key(key), json_strv(obj, "metadata", "namespace", NULL),
		    json_strv(obj, "metadata", "name", NULL), json_strv(obj, "metadata", "uid", NULL), policy, wl_sync_cb,
		    wl_sync_expect(s, NULL, NULL));
}

/* ---- the sync --------------------------------------------------------------------------- */

/* attemptToOrphan: the references to obj go from its dependents, then the finalizer. */
static void orphan(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj)
{
	const char *uid = json_strv(obj, "metadata", "uid", NULL);
	struct uids *d = dependents(g, uid);
	for (size_t i = 0; i < d->n; i++) {
		struct store_kv *kv = store_get(g->store, d->v[i]);
		cJSON *dep = kv ? obj_parse(kv) : NULL;
		if (dep)
			drop_refs(g, s, d->v[i], dep, &uid, 1);
		cJSON_Delete(dep);
	}
	/* Once the dependents have let go (their changes queue obj again), the finalizer goes. */
	if (!d->n)
		remove_finalizer(g, s, key, obj, ORPHAN);
	uids_free(d);
}

/* Does the dependent at key block the deletion of the owner uid? */
static int blocks(struct gc *g, const char *key, const char *uid, cJSON **dep)
{
	struct store_kv *kv = store_get(g->store, key);
	const cJSON *r;
	*dep = kv ? obj_parse(kv) : NULL;
	cJSON_ArrayForEach(r, json_getv(*dep, "metadata", "ownerReferences", NULL))
		if (json_str(r, "uid") && !strcmp(json_str(r, "uid"), uid) &&
		    json_true(r, "blockOwnerDeletion"))
			return 1;
	return 0;
}

/* processDeletingDependentsItem: the finalizer goes once no dependent blocks. */
static void deleting_deps(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj)
{
	const char *uid = json_strv(obj, "metadata", "uid", NULL);
	struct uids *d = dependents(g, uid);
	size_t blocking = 0;
	for (size_t i = 0; i < d->n; i++) {
		cJSON *dep;
		if (blocks(g, d->v[i], uid, &dep)) {
			blocking++;
			if (!deleting_dependents(dep))
				workqueue_add(g->q, d->v[i]);
		} else if (dep && !wl_deleting(dep)) {
			workqueue_add(g->q, d->v[i]);
		}
		cJSON_Delete(dep);
	}
	if (!blocking)
		remove_finalizer(g, s, key, obj, FOREGROUND);
	uids_free(d);
}

/* attemptToDeleteItem for an object that is not being deleted. */
static void attempt(struct gc *g, struct wl_sync *s, const char *key, const cJSON *obj)
{
	const cJSON *refs = json_getv(obj, "metadata", "ownerReferences", NULL), *r;
	const char *ns = json_strv(obj, "metadata", "namespace", NULL);
	size_t n = (size_t)cJSON_GetArraySize(refs), nsolid = 0, nwait = 0, ndrop = 0;
	const char **drop = xcalloc(n + 1, sizeof(char *));
	if (!n)
		goto out;
	cJSON_ArrayForEach(r, refs) {
		enum ref_class c = classify(g, r, ns);
		nsolid += c == SOLID;
		nwait += c == WAITING;
		if (c != SOLID && json_str(r, "uid"))
			drop[ndrop++] = json_str(r, "uid");
	}
	if (nsolid) {
		if (ndrop)
			drop_refs(g, s, key, obj, drop, ndrop);
	} else if (nwait) {
		delete_obj(g, s, key, obj, "Foreground");
	} else {
		delete_obj(g, s, key, obj, has_finalizer(obj, ORPHAN) ? "Orphan" :
					   has_finalizer(obj, FOREGROUND) ? "Foreground" : "Background");
	}
out:
	free(drop);
}

static void gc_sync(struct workqueue *q, const char *key, void *data)
{
	struct gc *g = data;
	struct wl_sync *s = wl_sync_begin(g->m, q, key);
	struct store_kv *kv = store_get(g->store, key);
	cJSON *obj = kv ? obj_parse(kv) : NULL;
	if (!obj)
		goto out;
	if (wl_deleting(obj)) {
		if (has_finalizer(obj, ORPHAN))
			orphan(g, s, key, obj);
		else if (has_finalizer(obj, FOREGROUND))
			deleting_deps(g, s, key, obj);
	} else {
		attempt(g, s, key, obj);
	}
out:
	cJSON_Delete(obj);
	wl_sync_end(s);
}

/* ---- following the store ---------------------------------------------------------------- */

static int mentions(const struct store_kv *kv, const char *what)
{
	return kv && memmem(kv->value->data, kv->value->len, what, strlen(what)) != NULL;
}

/* Queues the owners of obj (at key) that are deleting in the foreground or orphaning. */
static void enqueue_waiting_owners(struct gc *g, const cJSON *obj)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, json_getv(obj, "metadata", "ownerReferences", NULL)) {
		const struct kind *k;
		struct store_kv *kv = ref_owner(g, r, json_strv(obj, "metadata", "namespace", NULL), &k);
		if (kv && (mentions(kv, FOREGROUND) || mentions(kv, "\"" ORPHAN "\"")))
			workqueue_add(g->q, kv->key);
	}
}

static void on_change(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct gc *g = data;
	int refs = mentions(kv, "ownerReferences") || mentions(old, "ownerReferences");
	cJSON *obj = refs || mentions(kv, FOREGROUND) || mentions(kv, ORPHAN) ? obj_parse(kv) : NULL;
	if (refs) {
		cJSON *prev = old ? obj_parse(old) : NULL;
		const cJSON *now = json_getv(obj, "metadata", "ownerReferences", NULL);
		const cJSON *was = json_getv(prev, "metadata", "ownerReferences", NULL);
		graph_set(g, kv->key, ev == INF_DELETE ? NULL : now);
		if (ev != INF_DELETE && (ev == INF_ADD || !cJSON_Compare(now, was, 1)))
			workqueue_add(g->q, kv->key);
		enqueue_waiting_owners(g, obj);
		if (prev)
			enqueue_waiting_owners(g, prev);
		cJSON_Delete(prev);
	}
	if (ev == INF_DELETE) {
		enqueue_dependents(g, obj_field(kv->attrs, "x.uid"));
	} else if (obj && wl_deleting(obj) && (has_finalizer(obj, ORPHAN) || has_finalizer(obj, FOREGROUND))) {
		workqueue_add(g->q, kv->key);
		if (has_finalizer(obj, FOREGROUND))
			enqueue_dependents(g, obj_field(kv->attrs, "x.uid"));
	}
	cJSON_Delete(obj);
}

static int scan_one(struct store_kv *kv, void *data)
{
	on_change(INF_ADD, kv, NULL, data);
	return 0;
}

static int free_set(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	uids_free(value);
	return 0;
}

static void follow(const struct kind *k, void *data);

static void gc_stop(void *data)
{
	struct gc *g = data;
	registry_unwatch(follow, g);
	hmap_release(&g->followed);
	hmap_each(&g->deps, free_set, NULL);
	hmap_release(&g->deps);
	hmap_each(&g->owners, free_set, NULL);
	hmap_release(&g->owners);
	free(g);
}

/* Follows kind k (once per storage prefix: a custom resource's versions share one). */
static void follow(const struct kind *k, void *data)
{
	struct gc *g = data;
	if (k->view || (k->flags & KIND_VIRTUAL) || (!strcmp(k->group, "") && !strcmp(k->kind, "Event")) ||
	    hmap_get(&g->followed, k->prefix))
		return;
	hmap_put(&g->followed, k->prefix, g);
	struct informer *inf = informer_of(g->m, k);
	informer_on(inf, on_change, g);
	informer_list(inf, NULL, NULL, scan_one, g);
}

void ctrl_gc_start(struct ctrl_mgr *m)
{
	struct gc *g = xcalloc(1, sizeof(*g));
	g->m = m;
	g->store = ctrl_server(m)->store;
	g->q = workqueue_new(m, "garbagecollector", 5, gc_sync, g);
	for (size_t i = 0; i < registry_count(); i++)
		follow(registry_at(i), g);
	registry_watch(follow, g); /* custom resources registered later */
	ctrl_on_stop(m, gc_stop, g);
}
