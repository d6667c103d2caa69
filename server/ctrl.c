/*
 * ctrl.c - informers, work queues, controller writes, events and leader election (ctrl.h).
 *
 * DESIGN
 * See ctrl.h. Leader election uses the Lease kube-system/kube-controller-manager with this
 * server's node name as the holder identity, so a restarted server takes its own Lease back at
 * once; another holder's Lease is taken over only once it has not been renewed for
 * LEASE_SECONDS. Renewal every RENEW_MS (not upstream's 2 s: every renewal is a durable write,
 * and flash wear is a real cost on the devices this runs on).
 */
#include "server/ctrl.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hmap.h"

#define LEASE_SECONDS 60
#define RENEW_MS 15000
#define BACKOFF_BASE_MS 5
#define BACKOFF_MAX_MS 1000000
#define EVENT_AGGREGATE_SECONDS 600
#define EVENT_MEMORY 4096

struct handler {
	informer_fn *fn;
	void *data;
};

/* The keys of the objects one owner controls. */
struct keyset {
	char **v;
	size_t n;
};

struct informer {
	struct informer *next;
	struct ctrl_mgr *m;
	const struct kind *kind;
	struct store_watch *watch;
	struct handler *h;
	size_t nh;
	struct hmap owners; /* controller owner uid -> struct keyset */
};

struct delayed {
	struct delayed *next;
	uint64_t due;
	char key[];
};

struct workqueue {
	struct workqueue *next;
	struct ctrl_mgr *m;
	char *name;
	int workers;
	int active;
	workqueue_sync_fn *fn;
	void *data;
	struct hmap queued;     /* keys waiting in ready */
	struct hmap processing; /* key -> (void *)1 clean, (void *)2 dirty */
	struct hmap failures;   /* key -> (void *)(uintptr_t)count */
	char **ready;
	size_t head, nready, cap;
	struct delayed *delayed;
	uv_timer_t kick;
	uv_timer_t later;
	int stopped;
};

struct recent_event {
	char *name;
	char *ns;
	int64_t first;
	int count;
};

struct stop_hook {
	struct stop_hook *next;
	ctrl_stop_fn *fn;
	void *data;
};

struct ctrl_mgr {
	struct server *srv;
	ctrl_start_fn *on_leading;
	void *data;
	int leading;
	int stopping;
	int calls;   /* internal writes not answered yet */
	int handles; /* open uv handles */
	uv_timer_t lease;
	struct informer *informers;
	struct workqueue *queues;
	struct hmap events; /* aggregation key -> struct recent_event */
	struct stop_hook *stops;
};

static uint64_t now_ms(void)
{
	return now_ns() / 1000000;
}

/* ---- ownership -------------------------------------------------------------------------- */

const cJSON *ctrl_owner(const cJSON *obj)
{
	const cJSON *o;
	cJSON_ArrayForEach(o, json_getv(obj, "metadata", "ownerReferences", NULL))
		if (json_true(o, "controller"))
			return o;
	return NULL;
}

cJSON *ctrl_owner_ref(const cJSON *owner)
{
	cJSON *r = cJSON_CreateObject();
	const char *av = json_str(owner, "apiVersion"), *kind = json_str(owner, "kind");
	json_set_str(r, "apiVersion", av ? av : "");
	json_set_str(r, "kind", kind ? kind : "");
	json_set_str(r, "name", json_strv(owner, "metadata", "name", NULL) ? json_strv(owner, "metadata", "name", NULL) : "");
	json_set_str(r, "uid", json_strv(owner, "metadata", "uid", NULL) ? json_strv(owner, "metadata", "uid", NULL) : "");
	json_set_bool(r, "controller", 1);
	json_set_bool(r, "blockOwnerDeletion", 1);
	return r;
}

/* ---- informers -------------------------------------------------------------------------- */

void informer_key(const struct store_kv *kv, struct buf *out)
{
	const char *ns = obj_field(kv->attrs, "metadata.namespace");
	buf_reset(out);
	if (ns && *ns)
		buf_addf(out, "%s/", ns);
	buf_adds(out, obj_kv_name(kv));
}

static void keyset_add(struct informer *inf, const char *owner, const char *key)
{
	struct keyset *s = hmap_get(&inf->owners, owner);
	if (!s) {
		s = xcalloc(1, sizeof(*s));
		hmap_put(&inf->owners, owner, s);
	}
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], key))
			return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(char *));
	s->v[s->n++] = xstrdup(key);
}

static void keyset_del(struct informer *inf, const char *owner, const char *key)
{
	struct keyset *s = hmap_get(&inf->owners, owner);
	for (size_t i = 0; s && i < s->n; i++) {
		if (strcmp(s->v[i], key))
			continue;
		free(s->v[i]);
		s->v[i] = s->v[--s->n];
		if (!s->n) {
			hmap_del(&inf->owners, owner);
			free(s->v);
			free(s);
		}
		return;
	}
}

static const char *owner_of(const struct store_kv *kv)
{
	const char *o = kv ? obj_field(kv->attrs, "x.owner") : NULL;
	return o && *o ? o : NULL;
}

static void index_change(struct informer *inf, const struct store_kv *old, const struct store_kv *kv, int gone)
{
	const char *a = owner_of(old), *b = gone ? NULL : owner_of(kv);
	if (a && (!b || strcmp(a, b)))
		keyset_del(inf, a, kv->key);
	if (b && (!a || strcmp(a, b)))
		keyset_add(inf, b, kv->key);
}

static void informer_event(const struct store_event *ev, void *data)
{
	struct informer *inf = data;
	enum informer_ev t = ev->type == STORE_EV_CREATE ? INF_ADD : ev->type == STORE_EV_UPDATE ? INF_UPDATE : INF_DELETE;
	index_change(inf, ev->prev, ev->kv, t == INF_DELETE);
	if (inf->m->stopping)
		return;
	for (size_t i = 0; i < inf->nh; i++)
		inf->h[i].fn(t, ev->kv, ev->prev, inf->h[i].data);
}

static void informer_error(int status, void *data)
{
	struct informer *inf = data;
	inf->watch = NULL;
	if (status != -KUBE_ECLOSED)
		log_error("informer %s: watch failed (%d)", inf->kind->qualified, status);
}

static int index_one(struct store_kv *kv, void *data)
{
	const char *o = owner_of(kv);
	if (o)
		keyset_add(data, o, kv->key);
	return 0;
}

struct informer *informer_of(struct ctrl_mgr *m, const struct kind *k)
{
	for (struct informer *i = m->informers; i; i = i->next)
		if (i->kind == k)
			return i;
	struct informer *inf = xcalloc(1, sizeof(*inf));
	inf->m = m;
	inf->kind = k;
	store_range(m->srv->store, k->prefix, NULL, index_one, inf);
	inf->watch = store_watch(m->srv->store, k->prefix, store_rev(m->srv->store), informer_event, informer_error, inf);
	inf->next = m->informers;
	m->informers = inf;
	return inf;
}

void informer_on(struct informer *inf, informer_fn *fn, void *data)
{
	inf->h = xrealloc(inf->h, (inf->nh + 1) * sizeof(*inf->h));
	inf->h[inf->nh++] = (struct handler){ fn, data };
}

struct store_kv *informer_get(struct informer *inf, const char *ns, const char *name)
{
	struct buf key = BUF_INIT;
	kind_key(inf->kind, ns, name, &key);
	struct store_kv *kv = store_get(inf->m->srv->store, key.data);
	buf_release(&key);
	return kv;
}

struct list_filter {
	const struct selector *sel;
	store_range_cb *fn;
	void *data;
};

static int filtered(struct store_kv *kv, void *data)
{
	struct list_filter *f = data;
	if (f->sel && !selector_matches(f->sel, obj_label, kv->attrs))
		return 0;
	return f->fn(kv, f->data);
}

int informer_list(struct informer *inf, const char *ns, const struct selector *sel, store_range_cb *fn, void *data)
{
	struct buf prefix = BUF_INIT;
	struct list_filter f = { sel, fn, data };
	kind_prefix(inf->kind, ns, &prefix);
	int r = store_range(inf->m->srv->store, prefix.data, NULL, filtered, &f);
	buf_release(&prefix);
	return r;
}

int informer_owned(struct informer *inf, const char *owner_uid, store_range_cb *fn, void *data)
{
	struct keyset *s = hmap_get(&inf->owners, owner_uid);
	size_t n = s ? s->n : 0;
	char **keys = xcalloc(n + 1, sizeof(char *));
	int r = 0;
	/* Copy first: fn may lead to writes that change the index. */
	for (size_t i = 0; i < n; i++)
		keys[i] = xstrdup(s->v[i]);
	for (size_t i = 0; i < n && !r; i++) {
		struct store_kv *kv = store_get(inf->m->srv->store, keys[i]);
		if (kv)
			r = fn(kv, data);
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return r;
}

static int free_keyset(const char *key, void *value, void *data)
{
	struct keyset *s = value;
	UNUSED(key);
	UNUSED(data);
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s);
	return 0;
}

static void informer_free(struct informer *inf)
{
	if (inf->watch)
		store_watch_cancel(inf->watch);
	hmap_each(&inf->owners, free_keyset, NULL);
	hmap_release(&inf->owners);
	free(inf->h);
	free(inf);
}

/* ---- work queues ------------------------------------------------------------------------ */

static void queue_kick(struct workqueue *q)
{
	if (!q->stopped && !uv_is_active((uv_handle_t *)&q->kick))
		uv_timer_start(&q->kick, q->kick.timer_cb, 0, 0);
}

/* Runs syncs while workers are free (from the kick timer only, never re-entrantly). */
static void queue_pump(uv_timer_t *t)
{
	struct workqueue *q = t->data;
	while (!q->stopped && q->active < q->workers && q->nready) {
		char *key = q->ready[q->head];
		q->head = (q->head + 1) % q->cap;
		q->nready--;
		hmap_del(&q->queued, key);
		hmap_put(&q->processing, key, (void *)1);
		q->active++;
		q->fn(q, key, q->data);
		free(key);
	}
}

static void ready_push(struct workqueue *q, const char *key)
{
	if (q->nready == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		char **v = xcalloc(cap, sizeof(char *));
		for (size_t i = 0; i < q->nready; i++)
			v[i] = q->ready[(q->head + i) % q->cap];
		free(q->ready);
		q->ready = v;
		q->head = 0;
		q->cap = cap;
	}
	q->ready[(q->head + q->nready) % q->cap] = xstrdup(key);
	q->nready++;
	hmap_put(&q->queued, key, (void *)1);
}

void workqueue_add(struct workqueue *q, const char *key)
{
	if (q->stopped)
		return;
	if (hmap_get(&q->processing, key)) {
		hmap_put(&q->processing, key, (void *)2); /* dirty: sync again when done */
		return;
	}
	if (!hmap_get(&q->queued, key))
		ready_push(q, key);
	queue_kick(q);
}

static void arm_later(struct workqueue *q)
{
	if (q->stopped || !q->delayed)
		return;
	uint64_t now = now_ms();
	uv_update_time(q->m->srv->loop); /* the timer counts from now, not the loop's cached time */
	uv_timer_start(&q->later, q->later.timer_cb, q->delayed->due > now ? q->delayed->due - now : 0, 0);
}

static void on_later(uv_timer_t *t)
{
	struct workqueue *q = t->data;
	uint64_t now = now_ms();
	while (q->delayed && q->delayed->due <= now) {
		struct delayed *d = q->delayed;
		q->delayed = d->next;
		workqueue_add(q, d->key);
		free(d);
	}
	arm_later(q);
}

void workqueue_add_after(struct workqueue *q, const char *key, uint64_t ms)
{
	if (q->stopped)
		return;
	if (ms == 0) {
		workqueue_add(q, key);
		return;
	}
	uint64_t due = now_ms() + ms;
	struct delayed **p = &q->delayed;
	for (struct delayed **s = &q->delayed; *s; s = &(*s)->next) {
		if (strcmp((*s)->key, key))
			continue;
		if ((*s)->due <= due)
			return; /* an earlier add wins */
		struct delayed *old = *s;
		*s = old->next;
		free(old);
		break;
	}
	while (*p && (*p)->due <= due)
		p = &(*p)->next;
	size_t n = strlen(key);
	struct delayed *d = xmalloc(sizeof(*d) + n + 1);
	d->due = due;
	memcpy(d->key, key, n + 1);
	d->next = *p;
	*p = d;
	arm_later(q);
}

void workqueue_done(struct workqueue *q, const char *key, int err)
{
	void *state = hmap_del(&q->processing, key);
	q->active--;
	if (q->stopped)
		return;
	uintptr_t fails = (uintptr_t)hmap_get(&q->failures, key);
	if (err) {
		uint64_t ms = BACKOFF_BASE_MS;
		for (uintptr_t i = 0; i < fails && ms < BACKOFF_MAX_MS; i++)
			ms *= 2;
		hmap_put(&q->failures, key, (void *)(fails + 1));
		workqueue_add_after(q, key, MIN(ms, BACKOFF_MAX_MS));
	} else if (fails) {
		hmap_del(&q->failures, key);
	}
	if (state == (void *)2)
		workqueue_add(q, key);
	queue_kick(q);
}

struct workqueue *workqueue_new(struct ctrl_mgr *m, const char *name, int workers, workqueue_sync_fn *fn,
				void *data)
{
	struct workqueue *q = xcalloc(1, sizeof(*q));
	q->m = m;
	q->name = xstrdup(name);
	q->workers = workers > 0 ? workers : 1;
	q->fn = fn;
	q->data = data;
	uv_timer_init(m->srv->loop, &q->kick);
	uv_timer_init(m->srv->loop, &q->later);
	q->kick.data = q->later.data = q;
	q->kick.timer_cb = queue_pump;
	q->later.timer_cb = on_later;
	m->handles += 2;
	q->next = m->queues;
	m->queues = q;
	return q;
}

void workqueue_stop(struct workqueue *q)
{
	q->stopped = 1;
	uv_timer_stop(&q->kick);
	uv_timer_stop(&q->later);
}

static void queue_free(struct workqueue *q)
{
	for (size_t i = 0; i < q->nready; i++)
		free(q->ready[(q->head + i) % q->cap]);
	free(q->ready);
	while (q->delayed) {
		struct delayed *d = q->delayed;
		q->delayed = d->next;
		free(d);
	}
	hmap_release(&q->queued);
	hmap_release(&q->processing);
	hmap_release(&q->failures);
	free(q->name);
	free(q);
}

/* ---- writes ----------------------------------------------------------------------------- */

struct call {
	struct ctrl_mgr *m;
	client_cb *cb;
	void *data;
};

static void mgr_free_if_done(struct ctrl_mgr *m);

static void call_done(int code, const char *body, size_t len, void *data)
{
	struct call *c = data;
	struct ctrl_mgr *m = c->m;
	if (c->cb)
		c->cb(code, body, len, c->data);
	free(c);
	m->calls--;
	mgr_free_if_done(m);
}

static void call(struct ctrl_mgr *m, enum api_verb verb, const char *manager, const struct kind *k, const char *ns,
		 const char *name, const char *sub, const char *ctype, const char *body, client_cb *cb, void *data)
{
	struct api_query q = { 0 };
	struct call *c = xcalloc(1, sizeof(*c));
	q.field_manager = (char *)manager;
	q.include_object = 1;
	c->m = m;
	c->cb = cb;
	c->data = data;
	m->calls++;
	client_call(m->srv, verb, k, ns, name, sub, ctype, body, &q, call_done, c);
}

void ctrl_create(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns, const cJSON *obj,
		 client_cb *cb, void *data)
{
	char *body = json_print_str(obj);
	call(m, VERB_CREATE, manager, k, ns, NULL, NULL, "application/json", body, cb, data);
	free(body);
}

void ctrl_update(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns, const char *name,
		 const char *sub, const cJSON *obj, client_cb *cb, void *data)
{
	char *body = json_print_str(obj);
	call(m, VERB_UPDATE, manager, k, ns, name, sub, "application/json", body, cb, data);
	free(body);
}

static void patch_as(struct ctrl_mgr *m, const char *ctype, const char *manager, const struct kind *k,
		     const char *ns, const char *name, const char *sub, const cJSON *patch, client_cb *cb, void *data)
{
	char *body = json_print_str(patch);
	call(m, VERB_PATCH, manager, k, ns, name, sub, ctype, body, cb, data);
	free(body);
}

void ctrl_patch(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns, const char *name,
		const char *sub, const cJSON *patch, client_cb *cb, void *data)
{
	patch_as(m, "application/merge-patch+json", manager, k, ns, name, sub, patch, cb, data);
}

void ctrl_patch_strategic(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns,
			  const char *name, const char *sub, const cJSON *patch, client_cb *cb, void *data)
{
	patch_as(m, "application/strategic-merge-patch+json", manager, k, ns, name, sub, patch, cb, data);
}

void ctrl_delete(struct ctrl_mgr *m, const struct kind *k, const char *ns, const char *name, const char *uid,
		 const char *policy, client_cb *cb, void *data)
{
	cJSON *opts = cJSON_CreateObject();
	if (uid)
		json_set_str(json_obj_force(opts, "preconditions"), "uid", uid);
	if (policy)
		json_set_str(opts, "propagationPolicy", policy);
	char *body = json_print_str(opts);
	call(m, VERB_DELETE, NULL, k, ns, name, NULL, "application/json", body, cb, data);
	free(body);
	cJSON_Delete(opts);
}

/* ---- events ----------------------------------------------------------------------------- */

static int free_recent(const char *key, void *value, void *data)
{
	struct recent_event *r = value;
	UNUSED(key);
	UNUSED(data);
	free(r->name);
	free(r->ns);
	free(r);
	return 0;
}

static cJSON *event_object(const char *component, const cJSON *involved, const char *ns, const char *type,
			   const char *reason, const char *msg, const char *now)
{
	cJSON *ev = cJSON_CreateObject(), *ref = cJSON_CreateObject(), *meta = json_obj_force(ev, "metadata");
	const char *name = json_strv(involved, "metadata", "name", NULL);
	char *evname = xasprintf("%s.%llx", name ? name : "object", (unsigned long long)now_ns());
	json_set_str(meta, "name", evname);
	json_set_str(meta, "namespace", ns);
	free(evname);
	static const char *const fields[][2] = { { "apiVersion", "apiVersion" }, { "kind", "kind" } };
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (json_str(involved, fields[i][0]))
			json_set_str(ref, fields[i][1], json_str(involved, fields[i][0]));
	static const char *const mfields[] = { "namespace", "name", "uid", "resourceVersion" };
	for (size_t i = 0; i < ARRAY_SIZE(mfields); i++)
		if (json_strv(involved, "metadata", mfields[i], NULL))
			json_set_str(ref, mfields[i], json_strv(involved, "metadata", mfields[i], NULL));
	json_set(ev, "involvedObject", ref);
	json_set_str(ev, "reason", reason);
	json_set_str(ev, "message", msg);
	json_set_str(json_obj_force(ev, "source"), "component", component);
	json_set_str(ev, "firstTimestamp", now);
	json_set_str(ev, "lastTimestamp", now);
	json_set_int(ev, "count", 1);
	json_set_str(ev, "type", type);
	json_set_str(ev, "reportingComponent", component);
	json_set_str(ev, "reportingInstance", "");
	return ev;
}

void ctrl_event(struct ctrl_mgr *m, const char *component, const cJSON *involved, const char *type,
		const char *reason, const char *fmt, ...)
{
	const struct kind *ek = kind_by_resource("", "v1", "events");
	char now[21];
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	const char *ns = json_strv(involved, "metadata", "namespace", NULL);
	ns = ns && *ns ? ns : "default";
	char *key = xasprintf("%s|%s|%s|%s|%s", json_strv(involved, "metadata", "uid", NULL) ? json_strv(involved, "metadata", "uid", NULL) : "",
			      component, type, reason, msg);
	format_rfc3339(wall_seconds(), now);
	struct recent_event *r = hmap_get(&m->events, key);
	if (r && wall_seconds() - r->first < EVENT_AGGREGATE_SECONDS) {
		cJSON *patch = cJSON_CreateObject();
		json_set_int(patch, "count", ++r->count);
		json_set_str(patch, "lastTimestamp", now);
		ctrl_patch(m, component, ek, r->ns, r->name, NULL, patch, NULL, NULL);
		cJSON_Delete(patch);
	} else {
		if (m->events.n >= EVENT_MEMORY) {
			hmap_each(&m->events, free_recent, NULL);
			hmap_release(&m->events);
		}
		cJSON *ev = event_object(component, involved, ns, type, reason, msg, now);
		struct recent_event *n = xcalloc(1, sizeof(*n));
		n->name = xstrdup(json_strv(ev, "metadata", "name", NULL));
		n->ns = xstrdup(ns);
		n->first = wall_seconds();
		n->count = 1;
		struct recent_event *old = hmap_put(&m->events, key, n);
		if (old)
			free_recent(NULL, old, NULL);
		ctrl_create(m, component, ek, ns, ev, NULL, NULL);
		cJSON_Delete(ev);
	}
	free(key);
	free(msg);
}

/* ---- leader election -------------------------------------------------------------------- */

static void micro_now(char out[32])
{
	char s[21];
	format_rfc3339(wall_seconds(), s);
	snprintf(out, 32, "%.19s.000000Z", s);
}

static void lease_tick(uv_timer_t *t);

static void lease_answered(int code, const char *body, size_t len, void *data)
{
	struct ctrl_mgr *m = data;
	UNUSED(body);
	UNUSED(len);
	if (m->stopping)
		return;
	if (code >= 200 && code < 300 && !m->leading) {
		m->leading = 1;
		log_info("controllers: this server leads (Lease kube-system/kube-controller-manager)");
		if (m->on_leading)
			m->on_leading(m, m->data);
	} else if (code == 409 && m->leading) {
		log_warn("controllers: lost the lease");
	} else if (code >= 300 && !m->leading) {
		/* e.g. kube-system does not exist yet on a first start: try again soon. */
		uv_timer_start(&m->lease, lease_tick, 500, RENEW_MS);
	}
}

/* Takes or renews the Lease when it is ours or has expired. */
static void lease_tick(uv_timer_t *t)
{
	struct ctrl_mgr *m = t->data;
	const struct kind *lk = kind_by_resource("coordination.k8s.io", "v1", "leases");
	const char *me = m->srv->cfg->node_name;
	char now[32];
	struct buf key = BUF_INIT;
	kind_key(lk, "kube-system", "kube-controller-manager", &key);
	struct store_kv *kv = store_get(m->srv->store, key.data);
	buf_release(&key);
	micro_now(now);
	static const char fresh[] = "{\"metadata\":{\"name\":\"kube-controller-manager\"}}";
	cJSON *lease = kv ? obj_parse(kv) : json_parse(fresh, sizeof(fresh) - 1, NULL);
	cJSON *spec = json_obj_force(lease, "spec");
	const char *holder = json_str(spec, "holderIdentity"), *renew = json_str(spec, "renewTime");
	int64_t renewed = 0, dur = LEASE_SECONDS;
	json_int(spec, "leaseDurationSeconds", &dur);
	if (renew)
		parse_rfc3339(renew, &renewed);
	int mine = holder && !strcmp(holder, me);
	if (kv && !mine && holder && *holder && wall_seconds() < renewed + dur) {
		cJSON_Delete(lease); /* someone else leads and is alive */
		return;
	}
	if (!mine) {
		json_set_str(spec, "holderIdentity", me);
		json_set_str(spec, "acquireTime", now);
		int64_t tr = 0;
		json_int(spec, "leaseTransitions", &tr);
		json_set_int(spec, "leaseTransitions", kv ? tr + 1 : 0);
	}
	json_set_int(spec, "leaseDurationSeconds", LEASE_SECONDS);
	json_set_str(spec, "renewTime", now);
	if (kv)
		ctrl_update(m, "kube-controller-manager", lk, "kube-system", "kube-controller-manager", NULL, lease,
			    lease_answered, m);
	else
		ctrl_create(m, "kube-controller-manager", lk, "kube-system", lease, lease_answered, m);
	cJSON_Delete(lease);
}

/* ---- the manager ------------------------------------------------------------------------ */

struct ctrl_mgr *ctrl_mgr_start(struct server *srv, ctrl_start_fn *on_leading, void *data)
{
	struct ctrl_mgr *m = xcalloc(1, sizeof(*m));
	m->srv = srv;
	m->on_leading = on_leading;
	m->data = data;
	uv_timer_init(srv->loop, &m->lease);
	m->lease.data = m;
	m->handles = 1;
	uv_timer_start(&m->lease, lease_tick, 0, RENEW_MS);
	return m;
}

int ctrl_stopping(const struct ctrl_mgr *m)
{
	return m->stopping;
}

struct server *ctrl_server(const struct ctrl_mgr *m)
{
	return m->srv;
}

void ctrl_on_stop(struct ctrl_mgr *m, ctrl_stop_fn *fn, void *data)
{
	struct stop_hook *h = xcalloc(1, sizeof(*h));
	h->fn = fn;
	h->data = data;
	h->next = m->stops;
	m->stops = h;
}

static void mgr_free_if_done(struct ctrl_mgr *m)
{
	if (!m->stopping || m->calls || m->handles)
		return;
	while (m->informers) {
		struct informer *i = m->informers;
		m->informers = i->next;
		informer_free(i);
	}
	while (m->queues) {
		struct workqueue *q = m->queues;
		m->queues = q->next;
		queue_free(q);
	}
	hmap_each(&m->events, free_recent, NULL);
	hmap_release(&m->events);
	while (m->stops) {
		struct stop_hook *h = m->stops;
		m->stops = h->next;
		free(h);
	}
	free(m);
}

static void handle_closed(uv_handle_t *h)
{
	struct ctrl_mgr *m = h->data;
	m->handles--;
	mgr_free_if_done(m);
}

void ctrl_mgr_stop(struct ctrl_mgr *m)
{
	m->stopping = 1;
	for (struct informer *i = m->informers; i; i = i->next) {
		if (i->watch)
			store_watch_cancel(i->watch);
		i->watch = NULL;
	}
	for (struct workqueue *q = m->queues; q; q = q->next) {
		workqueue_stop(q);
		q->kick.data = q->later.data = m;
		uv_close((uv_handle_t *)&q->kick, handle_closed);
		uv_close((uv_handle_t *)&q->later, handle_closed);
	}
	for (struct stop_hook *h = m->stops; h; h = h->next)
		h->fn(h->data);
	uv_close((uv_handle_t *)&m->lease, handle_closed);
}
