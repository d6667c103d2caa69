/*
 * watch.c - WATCH: newline-delimited JSON events over a chunked response.
 *
 * DESIGN
 * A watch is a store watch on the collection's key prefix plus this request's selectors. Every
 * stored version carries its attrs, so an event is filtered without parsing, and a plain JSON
 * event is written as three shared parts: a constant prefix ("{"type":"ADDED","object":"), the
 * stored bytes themselves (referenced, not copied) and "}\n". Selector transitions follow
 * upstream: an object that stops matching is sent as DELETED, one that starts matching as
 * ADDED. resourceVersion "" or "0" first sends the current state as ADDED events; N sends every
 * change after N (history first, from the store); a compacted N is an in-stream ERROR 410.
 * Bookmarks carry the revision up to which the watch has seen everything. A watcher whose
 * socket does not drain is ended (the client resumes from its last revision), so one slow
 * client cannot grow the server's memory.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define WATCH_MAX_QUEUED (16u << 20)
#define BOOKMARK_EVERY_MS 60000

struct api_watch {
	struct api_watch *next;
	struct api_watch *prev;
	struct api_req *req;
	struct server *srv;
	struct store_watch *sw;
	struct selector labels;
	struct selector fields;
	uv_timer_t timeout;
	uv_timer_t bookmark;
	int handles;          /* timers still open */
	int ended;
	int64_t seen_rev;     /* every change up to here has been considered */
};

static struct rbuf *part(const char *s)
{
	return rbuf_new(s, strlen(s));
}

/* The constant parts of JSON events, shared by every watcher. */
static struct rbuf *ev_prefix[3], *ev_suffix;

static void parts_init(void)
{
	if (ev_suffix)
		return;
	ev_prefix[0] = part("{\"type\":\"ADDED\",\"object\":");
	ev_prefix[1] = part("{\"type\":\"MODIFIED\",\"object\":");
	ev_prefix[2] = part("{\"type\":\"DELETED\",\"object\":");
	ev_suffix = part("}\n");
}

static void watch_free_if_done(struct api_watch *w)
{
	if (w->handles)
		return;
	selector_release(&w->labels);
	selector_release(&w->fields);
	api_req_free(w->req);
	free(w);
}

static void timer_closed(uv_handle_t *h)
{
	struct api_watch *w = h->data;
	w->handles--;
	watch_free_if_done(w);
}

/* Stops everything and ends the response (dropped if the client is gone). */
static void watch_end(struct api_watch *w)
{
	if (w->ended)
		return;
	w->ended = 1;
	if (w->sw)
		store_watch_cancel(w->sw);
	w->sw = NULL;
	if (w->prev)
		w->prev->next = w->next;
	else
		w->srv->watches = w->next;
	if (w->next)
		w->next->prev = w->prev;
	/* Finishes the request; when the client is gone the final chunk is simply dropped. */
	http_stream_end(w->req->http);
	uv_close((uv_handle_t *)&w->timeout, timer_closed);
	uv_close((uv_handle_t *)&w->bookmark, timer_closed);
}

static int matches(const struct api_watch *w, const struct store_kv *kv)
{
	return kv && selector_matches(&w->labels, obj_label, kv->attrs) &&
	       selector_matches(&w->fields, obj_field, kv->attrs);
}

static void send_event(struct api_watch *w, int type, const struct store_kv *kv)
{
	struct api_req *req = w->req;
	if (!req->table && obj_served_as_stored(req->kind)) {
		struct rbuf *parts[3] = { ev_prefix[type], kv->value, ev_suffix };
		http_stream_write(req->http, parts, 3);
	} else if (!req->table) {
		struct buf out = BUF_INIT;
		buf_add(&out, ev_prefix[type]->data, ev_prefix[type]->len);
		obj_print_as(req->kind, kv, &out);
		buf_adds(&out, "}\n");
		http_stream_write_bytes(req->http, out.data, out.len);
		buf_release(&out);
	} else {
		static const char *const names[] = { "ADDED", "MODIFIED", "DELETED" };
		struct buf out = BUF_INIT;
		cJSON *obj = obj_parse_as(req->kind, kv);
		buf_addf(&out, "{\"type\":\"%s\",\"object\":", names[type]);
		table_single(req->kind, obj, req->q.include_object, &out);
		buf_adds(&out, "}\n");
		cJSON_Delete(obj);
		http_stream_write_bytes(req->http, out.data, out.len);
		buf_release(&out);
	}
	if (http_stream_queued(req->http) > WATCH_MAX_QUEUED) {
		log_warn("watch on %s from %s ended: client does not read fast enough", req->kind->qualified,
			 req->http->remote_addr);
		watch_end(w);
	}
}

static void on_event(const struct store_event *ev, void *data)
{
	struct api_watch *w = data;
	if (w->ended)
		return;
	if (ev->kv->mod_rev > w->seen_rev)
		w->seen_rev = ev->kv->mod_rev;
	if (ev->type == STORE_EV_DELETE) {
		if (matches(w, ev->prev ? ev->prev : ev->kv))
			send_event(w, 2, ev->kv);
		return;
	}
	int now = matches(w, ev->kv);
	int before = ev->type == STORE_EV_CREATE ? 0 : (ev->prev ? matches(w, ev->prev) : now);
	if (now && before)
		send_event(w, 1, ev->kv);
	else if (now)
		send_event(w, 0, ev->kv);
	else if (before)
		send_event(w, 2, ev->kv);
}

static void send_error(struct api_watch *w, const struct api_error *e)
{
	struct buf out = BUF_INIT;
	buf_adds(&out, "{\"type\":\"ERROR\",\"object\":");
	api_error_render(e, &out);
	buf_adds(&out, "}\n");
	http_stream_write_bytes(w->req->http, out.data, out.len);
	buf_release(&out);
}

static void on_error(int status, void *data)
{
	struct api_watch *w = data;
	struct api_error e = { 0 };
	w->sw = NULL;
	if (status == -KUBE_ECOMPACTED)
		api_error_set(&e, 410, "Expired", "too old resource version: %s (%lld)",
			      w->req->q.resource_version ? w->req->q.resource_version : "",
			      (long long)store_compact_rev(w->srv->store));
	else
		api_error_from_store(&e, status, w->req->kind, "", NULL);
	send_error(w, &e);
	api_error_release(&e);
	watch_end(w);
}

static void send_bookmark(struct api_watch *w, int initial_end)
{
	struct api_req *req = w->req;
	struct buf out = BUF_INIT;
	int64_t rev = w->sw ? store_watch_progress(w->sw) : w->seen_rev;
	buf_addf(&out, "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{"
		       "\"resourceVersion\":\"%lld\"",
		 req->kind->kind, req->kind->api_version, (long long)rev);
	if (initial_end)
		buf_adds(&out, ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}");
	buf_adds(&out, "}}}\n");
	http_stream_write_bytes(req->http, out.data, out.len);
	buf_release(&out);
}

static void on_timeout(uv_timer_t *t)
{
	watch_end(t->data);
}

static void on_bookmark(uv_timer_t *t)
{
	struct api_watch *w = t->data;
	if (!w->ended)
		send_bookmark(w, 0);
}

static void on_abort(struct http_request *h)
{
	watch_end(h->data);
}

/* Sends the current matching state as ADDED events. */
static int send_initial(struct store_kv *kv, void *data)
{
	struct api_watch *w = data;
	if (matches(w, kv))
		send_event(w, 0, kv);
	return w->ended;
}

static uint64_t watch_duration_ms(const struct api_req *req)
{
	if (req->q.timeout_seconds > 0)
		return (uint64_t)req->q.timeout_seconds * 1000;
	/* Without a timeout, upstream picks a random duration in [30 min, 60 min). */
	unsigned r;
	random_bytes(&r, sizeof(r));
	return (1800 + r % 1800) * 1000ull;
}

/* Where the watch starts: returns 0 and *from (and *initial for a state dump), or fills err. */
static int watch_start_rev(struct api_req *req, int64_t *from, int *initial)
{
	const char *rv = req->q.resource_version;
	*initial = 0;
	if (!rv || !*rv || !strcmp(rv, "0")) {
		*initial = 1;
		*from = store_rev(req->srv->store);
		return 0;
	}
	if (parse_int64(rv, 1, INT64_MAX, from) < 0) {
		api_error_bad_request(&req->err, "invalid resource version: \"%s\"", rv);
		return -1;
	}
	if (req->q.send_initial_events) {
		*initial = 1;
		*from = store_rev(req->srv->store);
	}
	return 0;
}

static void arm_timers(struct api_watch *w)
{
	uv_timer_init(w->srv->loop, &w->timeout);
	uv_timer_init(w->srv->loop, &w->bookmark);
	w->timeout.data = w->bookmark.data = w;
	w->handles = 2;
	uv_timer_start(&w->timeout, on_timeout, watch_duration_ms(w->req), 0);
	if (w->req->q.allow_bookmarks)
		uv_timer_start(&w->bookmark, on_bookmark, BOOKMARK_EVERY_MS, BOOKMARK_EVERY_MS);
}

void api_watch(struct api_req *req)
{
	struct server *srv = req->srv;
	struct api_watch *w = xcalloc(1, sizeof(*w));
	struct buf prefix = BUF_INIT;
	int64_t from;
	int initial;
	w->req = req;
	w->srv = srv;
	parts_init();
	if (req->name) {
		char *fs = req->q.field_selector && *req->q.field_selector
				   ? xasprintf("%s,metadata.name=%s", req->q.field_selector, req->name)
				   : xasprintf("metadata.name=%s", req->name);
		free(req->q.field_selector);
		req->q.field_selector = fs;
	}
	if (api_parse_selectors(req, &w->labels, &w->fields) < 0 || watch_start_rev(req, &from, &initial) < 0) {
		selector_release(&w->labels);
		selector_release(&w->fields);
		free(w);
		api_fail(req);
		return;
	}
	http_stream_start(req->http, 200, "application/json", NULL, 0);
	metrics_request(srv->metrics, req, 200);
	req->http->data = w;
	http_request_on_abort(req->http, on_abort);
	w->next = srv->watches;
	if (w->next)
		w->next->prev = w;
	srv->watches = w;
	w->seen_rev = from;
	arm_timers(w);
	kind_prefix(req->kind, req->ns, &prefix);
	if (initial)
		store_range(srv->store, prefix.data, NULL, send_initial, w);
	if (!w->ended && req->q.send_initial_events && req->q.allow_bookmarks)
		send_bookmark(w, 1);
	if (!w->ended)
		w->sw = store_watch(srv->store, prefix.data, from, on_event, on_error, w);
	buf_release(&prefix);
}

void watch_close_all(struct server *srv)
{
	while (srv->watches)
		watch_end(srv->watches);
}

void watch_each(struct server *srv, void (*fn)(const struct api_req *req, void *data), void *data)
{
	for (struct api_watch *w = srv->watches; w; w = w->next)
		if (!w->ended)
			fn(w->req, data);
}
