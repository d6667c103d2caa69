/*
 * ctrl_namespace.c - the namespace controller: a namespace being deleted loses its content,
 * then its "kubernetes" finalizer, and is gone.
 *
 * DESIGN
 * The controller watches namespaces in the store. A namespace with a deletionTimestamp and the
 * "kubernetes" spec finalizer is queued; a pass over it deletes (through the internal client, so
 * pods get their grace period and finalizers are honoured) every namespaced object in it that is
 * not already being deleted. When nothing is left in it, a PUT to namespaces/NAME/finalize drops
 * the finalizer and the API deletes the namespace. A namespace whose content is still going
 * (pods terminating, finalizers pending) is looked at again after a delay that grows to 5 s, and
 * at once when a pass's deletes have all answered.
 * The first pass over a namespace comes GRACE_MS after the controller sees it terminating, as
 * upstream's namespaceDeletionGracePeriod (5 s). kube has one API server, so the HA reasons
 * upstream gives for it do not apply, but clients see the namespace Terminating for that long
 * and some rely on it (kubectl up to 1.22 fails `wait --for=delete` on an object already gone).
 * TODO(issue 5): move onto the shared informers and work queues.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define RETRY_MIN_MS 100
#define RETRY_MAX_MS 5000
#define GRACE_MS 5000

struct ns_item {
	struct ns_item *next;
	char *name;
	int inflight;    /* deletes of this pass not answered yet */
	uint64_t due;    /* no pass before this (uv_now): the grace period */
	uint64_t delay;  /* next retry delay */
};

struct ctrl_namespace {
	struct server *srv;
	struct store_watch *watch;
	uv_timer_t timer;
	struct ns_item *items;
	int calls;       /* internal calls not answered yet */
	int stopping;
	int closed;      /* the timer is closed */
};

static struct ns_item *find(struct ctrl_namespace *c, const char *name)
{
	for (struct ns_item *i = c->items; i; i = i->next)
		if (!strcmp(i->name, name))
			return i;
	return NULL;
}

static int terminating(const struct store_kv *kv)
{
	cJSON *ns = obj_parse(kv);
	int t = json_strv(ns, "metadata", "deletionTimestamp", NULL) != NULL;
	const cJSON *f;
	int has = 0;
	cJSON_ArrayForEach(f, json_getv(ns, "spec", "finalizers", NULL))
		has |= cJSON_IsString(f) && !strcmp(f->valuestring, "kubernetes");
	cJSON_Delete(ns);
	return t && has;
}

static void on_timer(uv_timer_t *t);

/* Runs a pass in ms milliseconds (or sooner if one is already due sooner). */
static void schedule(struct ctrl_namespace *c, uint64_t ms)
{
	if (c->stopping)
		return;
	if (uv_is_active((uv_handle_t *)&c->timer) && uv_timer_get_due_in(&c->timer) <= ms)
		return;
	uv_timer_start(&c->timer, on_timer, ms, 0);
}

static void enqueue(struct ctrl_namespace *c, const char *name)
{
	if (find(c, name))
		return;
	struct ns_item *i = xcalloc(1, sizeof(*i));
	i->name = xstrdup(name);
	i->delay = RETRY_MIN_MS;
	i->due = uv_now(c->srv->loop) + GRACE_MS;
	i->next = c->items;
	c->items = i;
	schedule(c, GRACE_MS);
}

static void drop(struct ctrl_namespace *c, struct ns_item *item)
{
	for (struct ns_item **p = &c->items; *p; p = &(*p)->next) {
		if (*p == item) {
			*p = item->next;
			free(item->name);
			free(item);
			return;
		}
	}
}

static void free_if_done(struct ctrl_namespace *c)
{
	if (!c->closed || c->calls)
		return;
	while (c->items)
		drop(c, c->items);
	free(c);
}

struct call_ctx {
	struct ctrl_namespace *c;
	char *ns;
};

static void answered(int code, const char *body, size_t len, void *data)
{
	struct call_ctx *d = data;
	struct ctrl_namespace *c = d->c;
	struct ns_item *i = find(c, d->ns);
	c->calls--;
	if (code >= 300 && code != 404 && code != 409)
		log_warn("namespace %s: cleanup request failed (%d): %.*s", d->ns, code, (int)MIN(len, 300), body);
	if (i && --i->inflight == 0)
		schedule(c, 0);
	free(d->ns);
	free(d);
	free_if_done(c);
}

static void call(struct ctrl_namespace *c, struct ns_item *item, enum api_verb verb, const struct kind *k,
		 const char *ns, const char *name, const char *sub, const char *body)
{
	struct call_ctx *d = xcalloc(1, sizeof(*d));
	d->c = c;
	d->ns = xstrdup(item->name);
	item->inflight++;
	c->calls++;
	client_call(c->srv, verb, k, ns, name, sub, "application/json", body, NULL, answered, d);
}

struct walk {
	struct ctrl_namespace *c;
	struct ns_item *item;
	const struct kind *kind;
};

/* Deletes one object unless its deletion is already under way. */
static int delete_one(struct store_kv *kv, void *data)
{
	struct walk *w = data;
	cJSON *obj = obj_parse(kv);
	if (obj && !json_strv(obj, "metadata", "deletionTimestamp", NULL))
		call(w->c, w->item, VERB_DELETE, w->kind, w->item->name, obj_kv_name(kv), NULL,
		     "{\"propagationPolicy\":\"Background\"}");
	cJSON_Delete(obj);
	return 0;
}

/* Deletes what is left in the namespace; returns how many objects remain. */
static size_t delete_content(struct ctrl_namespace *c, struct ns_item *item)
{
	size_t left = 0;
	for (size_t i = 0; i < registry_count(); i++) {
		struct walk w = { c, item, registry_at(i) };
		struct buf prefix = BUF_INIT;
		if (!(w.kind->flags & KIND_NAMESPACED))
			continue;
		kind_prefix(w.kind, item->name, &prefix);
		left += store_count(c->srv->store, prefix.data);
		store_range(c->srv->store, prefix.data, NULL, delete_one, &w);
		buf_release(&prefix);
	}
	return left;
}

/* Drops the "kubernetes" finalizer from the namespace (the API then deletes it). */
static void finalize(struct ctrl_namespace *c, struct ns_item *item, const struct store_kv *kv)
{
	cJSON *ns = obj_parse(kv);
	cJSON *fin = json_getv(ns, "spec", "finalizers", NULL);
	for (cJSON *f = fin ? fin->child : NULL, *next; f; f = next) {
		next = f->next;
		if (cJSON_IsString(f) && !strcmp(f->valuestring, "kubernetes"))
			cJSON_Delete(cJSON_DetachItemViaPointer(fin, f));
	}
	char *body = json_print_str(ns);
	call(c, item, VERB_UPDATE, kind_by_resource("", "v1", "namespaces"), NULL, item->name, "finalize", body);
	free(body);
	cJSON_Delete(ns);
}

/* One pass over a namespace. Returns 1 when it is done with (gone or no longer terminating). */
static int pass(struct ctrl_namespace *c, struct ns_item *item)
{
	const struct kind *nsk = kind_by_resource("", "v1", "namespaces");
	struct buf key = BUF_INIT;
	kind_key(nsk, NULL, item->name, &key);
	struct store_kv *kv = store_get(c->srv->store, key.data);
	buf_release(&key);
	if (!kv || !terminating(kv))
		return 1;
	if (item->inflight)
		return 0;
	uint64_t now = uv_now(c->srv->loop);
	if (now < item->due) {
		schedule(c, item->due - now);
		return 0;
	}
	if (delete_content(c, item) == 0)
		finalize(c, item, kv);
	else if (!item->inflight) {
		/* Content is still going (grace periods, finalizers): look again later. */
		schedule(c, item->delay);
		item->delay = MIN(item->delay * 2, RETRY_MAX_MS);
	}
	return 0;
}

static void on_timer(uv_timer_t *t)
{
	struct ctrl_namespace *c = t->data;
	for (struct ns_item *i = c->items, *next; i; i = next) {
		next = i->next;
		if (pass(c, i) && !i->inflight)
			drop(c, i);
	}
}

static void on_event(const struct store_event *ev, void *data)
{
	struct ctrl_namespace *c = data;
	if (ev->type != STORE_EV_DELETE && terminating(ev->kv))
		enqueue(c, obj_kv_name(ev->kv));
}

static void on_watch_error(int status, void *data)
{
	struct ctrl_namespace *c = data;
	c->watch = NULL;
	if (status != -KUBE_ECLOSED)
		log_error("namespace controller: watch failed (%d)", status);
}

static int scan(struct store_kv *kv, void *data)
{
	if (terminating(kv))
		enqueue(data, obj_kv_name(kv));
	return 0;
}

struct ctrl_namespace *ctrl_namespace_start(struct server *srv)
{
	struct ctrl_namespace *c = xcalloc(1, sizeof(*c));
	const struct kind *nsk = kind_by_resource("", "v1", "namespaces");
	c->srv = srv;
	uv_timer_init(srv->loop, &c->timer);
	c->timer.data = c;
	store_range(srv->store, nsk->prefix, NULL, scan, c);
	c->watch = store_watch(srv->store, nsk->prefix, store_rev(srv->store), on_event, on_watch_error, c);
	return c;
}

static void timer_closed(uv_handle_t *h)
{
	struct ctrl_namespace *c = h->data;
	c->closed = 1;
	free_if_done(c);
}

void ctrl_namespace_stop(struct ctrl_namespace *c)
{
	c->stopping = 1;
	if (c->watch)
		store_watch_cancel(c->watch);
	c->watch = NULL;
	uv_close((uv_handle_t *)&c->timer, timer_closed);
}
