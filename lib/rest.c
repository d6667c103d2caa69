/*
 * rest.c - the REST client and informers of rest.h over lib/http_client.
 *
 * DESIGN
 * A request is a struct rest_call riding on one http_client request; its done callback turns the
 * response into a struct rest_result (JSON parsed once, Status reason and message picked out) and
 * frees the call. An informer is a small state machine with at most one request in flight (a
 * list page or the watch) and one timer (back-off): LIST (pages accumulate into a fresh map) ->
 * replace the cache, diffing -> WATCH (events applied one by one) -> on a normal end WATCH again
 * from the last resourceVersion; on 410 LIST again; on failure wait, then retry what failed.
 * It is freed once it is stopped, its request has ended and its timer has closed.
 */
#include "rest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "hmap.h"
#include "json.h"
#include "log.h"
#include "util.h"

#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_PAGE 500
#define BACKOFF_BASE_MS 800
#define BACKOFF_MAX_MS 30000
#define WATCH_MIN_SECONDS 300
#define STREAM_MAX (16u << 20)

struct rest_client {
	uv_loop_t *loop;
	struct http_client *http;
	uint64_t timeout_ms;
	char *authorization;
};

struct rest_call {
	rest_cb *cb;
	void *data;
	struct http_client_req *req;
};

uv_loop_t *rest_client_loop(const struct rest_client *c)
{
	return c->loop;
}

int rest_url_split(const char *url, char *host, size_t hostlen, int *port)
{
	int tls;
	const char *p;
	if (starts_with(url, "https://"))
		tls = 1, p = url + 8;
	else if (starts_with(url, "http://"))
		tls = 0, p = url + 7;
	else
		return -1;
	const char *end;
	if (*p == '[') {
		end = strchr(p, ']');
		if (!end)
			return -1;
		p++;
	} else {
		end = p + strcspn(p, ":/");
	}
	size_t n = (size_t)(end - p);
	if (!n || n >= hostlen)
		return -1;
	memcpy(host, p, n);
	host[n] = '\0';
	if (*end == ']')
		end++;
	*port = tls ? 443 : 80;
	if (*end == ':') {
		char *stop;
		long v = strtol(end + 1, &stop, 10);
		if (v <= 0 || v > 65535 || (*stop && *stop != '/'))
			return -1;
		*port = (int)v;
	} else if (*end && *end != '/') {
		return -1;
	}
	return tls;
}

int rest_client_new(uv_loop_t *loop, const char *url, const struct rest_config *cfg, struct rest_client **out,
		    struct buf *err)
{
	char host[256];
	int port;
	int tls = rest_url_split(url, host, sizeof(host), &port);
	if (tls < 0) {
		buf_addf(err, "invalid server URL \"%s\": want https://HOST:PORT", url);
		return -KUBE_EINVAL;
	}
	if (tls && !cfg->ca_pem) {
		buf_addf(err, "a CA is needed to talk to %s", url);
		return -KUBE_EINVAL;
	}
	struct http_client_config hc;
	http_client_config_init(&hc);
	hc.ca_pem = tls ? cfg->ca_pem : NULL;
	hc.cert_pem = tls ? cfg->cert_pem : NULL;
	hc.key_pem = tls ? cfg->key_pem : NULL;
	hc.user_agent = cfg->user_agent ? cfg->user_agent : "kube";
	hc.max_conns = cfg->max_conns > 0 ? cfg->max_conns : 8;
	hc.max_idle = 4;
	struct rest_client *c = xcalloc(1, sizeof(*c));
	int r = http_client_new(loop, host, port, &hc, &c->http, err);
	if (r < 0) {
		free(c);
		return r;
	}
	c->loop = loop;
	c->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;
	c->authorization = cfg->authorization ? xstrdup(cfg->authorization) : NULL;
	*out = c;
	return 0;
}

struct close_ctx {
	struct rest_client *c;
	void (*cb)(void *arg);
	void *arg;
};

static void client_closed(void *arg)
{
	struct close_ctx *x = arg;
	free(x->c->authorization);
	free(x->c);
	if (x->cb)
		x->cb(x->arg);
	free(x);
}

void rest_client_close(struct rest_client *c, void (*cb)(void *arg), void *arg)
{
	struct close_ctx *x = xcalloc(1, sizeof(*x));
	x->c = c;
	x->cb = cb;
	x->arg = arg;
	http_client_close(c->http, client_closed, x);
}

/* ---- requests --------------------------------------------------------------------------- */

static int is_json(const struct http_client_response *resp)
{
	const char *ct = http_client_header(resp, "Content-Type");
	return (ct && strstr(ct, "json")) || (resp->body_len && resp->body[0] == '{');
}

/* Fills res from a response. *obj receives the parsed body (the caller frees it). */
static void fill_result(struct rest_result *res, int err, const struct http_client_response *resp, cJSON **obj)
{
	static char snippet[200];
	memset(res, 0, sizeof(*res));
	res->err = err;
	res->code = err ? 0 : resp->status;
	res->body = err ? "" : resp->body;
	res->len = err ? 0 : resp->body_len;
	res->reason = "";
	res->message = err ? resp->error : "";
	*obj = NULL;
	if (err)
		return;
	if (res->len && is_json(resp))
		*obj = json_parse(res->body, res->len, NULL);
	res->obj = *obj;
	if (res->code < 300)
		return;
	const char *reason = json_str(*obj, "reason"), *msg = json_str(*obj, "message");
	res->reason = reason ? reason : "";
	if (msg) {
		res->message = msg;
	} else {
		snprintf(snippet, sizeof(snippet), "%.*s", (int)MIN(res->len, sizeof(snippet) - 1), res->body);
		res->message = snippet;
	}
}

static void call_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct rest_call *call = http_client_req_data(req);
	struct rest_result res;
	cJSON *obj;
	fill_result(&res, err, resp, &obj);
	call->cb(&res, call->data);
	cJSON_Delete(obj);
	free(call);
}

int rest_request(struct rest_client *c, const char *method, const char *path, const char *content_type,
		 const char *body, size_t len, rest_cb *cb, void *data, struct rest_call **out)
{
	struct http_header h[3] = { { "Accept", "application/json" } };
	size_t nh = 1;
	if (body && content_type)
		h[nh++] = (struct http_header){ "Content-Type", content_type };
	if (c->authorization)
		h[nh++] = (struct http_header){ "Authorization", c->authorization };
	struct rest_call *call = xcalloc(1, sizeof(*call));
	struct http_client_request r = {
		.method = method, .target = path, .headers = h, .nheaders = nh,
		.body = body, .body_len = body ? len : 0, .timeout_ms = c->timeout_ms, .on_done = call_done,
		.data = call,
	};
	call->cb = cb;
	call->data = data;
	int e = http_client_send(c->http, &r, &call->req);
	if (e < 0) {
		free(call);
		return e;
	}
	if (out)
		*out = call;
	return 0;
}

void rest_cancel(struct rest_call *call)
{
	http_client_cancel(call->req);
}

static int send_json(struct rest_client *c, const char *method, const char *path, const char *ctype, const cJSON *obj,
		     rest_cb *cb, void *data)
{
	char *body = obj ? json_print_str(obj) : NULL;
	int r = rest_request(c, method, path, ctype, body, body ? strlen(body) : 0, cb, data, NULL);
	free(body);
	return r;
}

int rest_get(struct rest_client *c, const char *path, rest_cb *cb, void *data)
{
	return rest_request(c, "GET", path, NULL, NULL, 0, cb, data, NULL);
}

int rest_create(struct rest_client *c, const char *path, const cJSON *obj, rest_cb *cb, void *data)
{
	return send_json(c, "POST", path, "application/json", obj, cb, data);
}

int rest_update(struct rest_client *c, const char *path, const cJSON *obj, rest_cb *cb, void *data)
{
	return send_json(c, "PUT", path, "application/json", obj, cb, data);
}

int rest_patch(struct rest_client *c, const char *path, enum rest_patch_type type, const cJSON *patch, rest_cb *cb,
	       void *data)
{
	static const char *const types[] = { "application/merge-patch+json", "application/strategic-merge-patch+json",
					     "application/json-patch+json" };
	return send_json(c, "PATCH", path, types[type], patch, cb, data);
}

int rest_delete(struct rest_client *c, const char *path, const cJSON *options, rest_cb *cb, void *data)
{
	return send_json(c, "DELETE", path, "application/json", options, cb, data);
}

/* ---- paths ------------------------------------------------------------------------------ */

static void add_escaped(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_' || *p == '~') {
			buf_addch(out, (char)*p);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[*p >> 4]);
			buf_addch(out, hex[*p & 15]);
		}
	}
}

void rest_path(struct buf *out, const char *group, const char *version, const char *resource, const char *ns,
	       const char *name, const char *sub)
{
	if (!group || !*group) {
		buf_adds(out, "/api/");
	} else {
		buf_adds(out, "/apis/");
		add_escaped(out, group);
		buf_addch(out, '/');
	}
	add_escaped(out, version);
	if (ns && *ns) {
		buf_adds(out, "/namespaces/");
		add_escaped(out, ns);
	}
	const char *parts[] = { resource, name, sub };
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		if (!parts[i] || !*parts[i])
			break;
		buf_addch(out, '/');
		add_escaped(out, parts[i]);
	}
}

void rest_query(struct buf *path, const char *name, const char *value)
{
	buf_addch(path, strchr(buf_str(path), '?') ? '&' : '?');
	add_escaped(path, name);
	buf_addch(path, '=');
	add_escaped(path, value);
}

/* ---- JSON stream splitting -------------------------------------------------------------- */

void rest_jsonstream_init(struct rest_jsonstream *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->max = max ? max : STREAM_MAX;
}

void rest_jsonstream_release(struct rest_jsonstream *s)
{
	buf_release(&s->buf);
	memset(s, 0, sizeof(*s));
}

/* Advances the scanner over one byte; returns 1 when it closed a top-level object, -1 when a
 * ']' closed it (mismatched). */
static int scan_byte(struct rest_jsonstream *s, char ch)
{
	if (s->in_str) {
		if (s->esc)
			s->esc = 0;
		else if (ch == '\\')
			s->esc = 1;
		else if (ch == '"')
			s->in_str = 0;
		return 0;
	}
	if (ch == '"')
		s->in_str = 1;
	else if (ch == '{' || ch == '[')
		s->depth++;
	else if (ch == '}' || ch == ']')
		return --s->depth == 0 ? (ch == '}' ? 1 : -1) : 0;
	return 0;
}

int rest_jsonstream_feed(struct rest_jsonstream *s, const char *data, size_t len,
			 int (*fn)(const char *obj, size_t len, void *arg), void *arg)
{
	buf_add(&s->buf, data, len);
	size_t start = 0;
	int r = 0;
	while (s->scan < s->buf.len) {
		char ch = s->buf.data[s->scan];
		if (s->depth == 0 && !s->in_str) {
			if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
				start = ++s->scan;
				continue;
			}
			if (ch != '{') {
				r = -EPROTO;
				break;
			}
		}
		int closed = scan_byte(s, ch);
		s->scan++;
		if (s->depth < 0 || closed < 0) {
			r = -EPROTO;
			break;
		}
		if (closed) {
			r = fn(s->buf.data + start, s->scan - start, arg);
			start = s->scan;
			if (r)
				break;
		} else if (s->scan - start > s->max) {
			r = -EMSGSIZE;
			break;
		}
	}
	/* Drop what has been returned; keep the partial object. */
	memmove(s->buf.data, s->buf.data + start, s->buf.len - start);
	buf_truncate(&s->buf, s->buf.len - start);
	s->scan -= start;
	return r;
}

/* ---- informers -------------------------------------------------------------------------- */

enum inf_state { INF_IDLE, INF_LISTING, INF_WATCHING, INF_WAITING };

struct rest_informer {
	struct rest_client *c;
	char *path, *fsel, *lsel;
	int page;
	uint64_t base_ms, max_ms;
	struct rest_informer_ops ops;
	void *data;
	struct hmap cache;          /* key -> cJSON * */
	struct hmap *listing;       /* a list in progress: key -> cJSON * */
	char *cont;                 /* continue token of the list in progress */
	char *rv;
	char *item_kind, *item_api; /* from the list, for items that lack them */
	enum inf_state state;
	int relist;                 /* the retry after the back-off is a list */
	int synced;
	int stopped;
	struct http_client_req *req;
	int watch_status;
	int watch_events;
	int watch_gone;             /* 410 seen in the stream */
	char watch_why[200];        /* why the informer cut the stream itself, or "" */
	struct buf watch_err;       /* body of a failed watch */
	struct rest_jsonstream stream;
	uv_timer_t timer;
	int timer_open;
	unsigned failures, lists, watches;
};

static void inf_list(struct rest_informer *inf);
static void inf_watch(struct rest_informer *inf);

static void obj_key(const cJSON *obj, struct buf *out)
{
	const char *ns = json_strv(obj, "metadata", "namespace", NULL), *name = json_strv(obj, "metadata", "name", NULL);
	buf_reset(out);
	if (ns && *ns)
		buf_addf(out, "%s/", ns);
	buf_adds(out, name ? name : "");
}

static const char *obj_rv(const cJSON *obj)
{
	const char *rv = json_strv(obj, "metadata", "resourceVersion", NULL);
	return rv ? rv : "";
}

static int free_obj(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cJSON_Delete(value);
	return 0;
}

static void free_map(struct hmap *m)
{
	hmap_each(m, free_obj, NULL);
	hmap_release(m);
}

static void inf_free_if_done(struct rest_informer *inf)
{
	if (!inf->stopped || inf->req || inf->timer_open)
		return;
	free_map(&inf->cache);
	if (inf->listing) {
		free_map(inf->listing);
		free(inf->listing);
	}
	rest_jsonstream_release(&inf->stream);
	buf_release(&inf->watch_err);
	free(inf->path);
	free(inf->fsel);
	free(inf->lsel);
	free(inf->cont);
	free(inf->rv);
	free(inf->item_kind);
	free(inf->item_api);
	free(inf);
}

static void timer_closed(uv_handle_t *h)
{
	struct rest_informer *inf = h->data;
	inf->timer_open = 0;
	inf_free_if_done(inf);
}

static void on_timer(uv_timer_t *t)
{
	struct rest_informer *inf = t->data;
	if (inf->stopped)
		return;
	if (inf->relist)
		inf_list(inf);
	else
		inf_watch(inf);
}

/* Schedules the next attempt after the back-off for the current failure count. */
static void inf_backoff(struct rest_informer *inf, int relist, const char *what)
{
	uint64_t ms = inf->base_ms;
	for (unsigned i = 0; i < inf->failures && ms < inf->max_ms; i++)
		ms *= 2;
	unsigned char j;
	random_bytes(&j, 1);
	ms = MIN(ms + ms * j / 512, inf->max_ms); /* up to +50% jitter */
	inf->failures++;
	inf->relist = relist;
	inf->state = INF_WAITING;
	log_info("informer %s: %s; retrying in %llu ms", inf->path, what, (unsigned long long)ms);
	uv_timer_start(&inf->timer, on_timer, ms, 0);
}

/* The selectors and the given extra parameters, as a query on the collection path. */
static void inf_target(struct rest_informer *inf, struct buf *t)
{
	buf_adds(t, inf->path);
	if (inf->fsel)
		rest_query(t, "fieldSelector", inf->fsel);
	if (inf->lsel)
		rest_query(t, "labelSelector", inf->lsel);
}

/* The headers of the informer's requests, into h[2]; returns their number. */
static size_t inf_headers(const struct rest_informer *inf, struct http_header h[2])
{
	size_t n = 0;
	h[n++] = (struct http_header){ "Accept", "application/json" };
	if (inf->c->authorization)
		h[n++] = (struct http_header){ "Authorization", inf->c->authorization };
	return n;
}

/* Fills in kind and apiVersion of a list item that lacks them. */
static void inf_type_item(struct rest_informer *inf, cJSON *item)
{
	if (inf->item_kind && !json_str(item, "kind"))
		json_set_str(item, "kind", inf->item_kind);
	if (inf->item_api && !json_str(item, "apiVersion"))
		json_set_str(item, "apiVersion", inf->item_api);
}

struct key_list {
	char **v;
	size_t n;
};

static int collect_key(const char *key, void *value, void *data)
{
	struct key_list *l = data;
	UNUSED(value);
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
	l->v[l->n++] = xstrdup(key);
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void key_list_sort(struct key_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(char *), cmp_key);
}

static void key_list_free(struct key_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Makes the cache equal to fresh (taking its objects), calling back for each difference:
 * deletes first, then adds and updates (an update only when the resourceVersion changed), each
 * in key order. */
static void inf_replace(struct rest_informer *inf, struct hmap *fresh)
{
	struct key_list old = { 0 }, now = { 0 };
	hmap_each(&inf->cache, collect_key, &old);
	key_list_sort(&old);
	for (size_t i = 0; i < old.n; i++) {
		if (hmap_get(fresh, old.v[i]))
			continue;
		cJSON *gone = hmap_del(&inf->cache, old.v[i]);
		if (!inf->stopped && inf->ops.on_delete)
			inf->ops.on_delete(gone, inf->data);
		cJSON_Delete(gone);
	}
	hmap_each(fresh, collect_key, &now);
	key_list_sort(&now);
	for (size_t i = 0; i < now.n; i++) {
		cJSON *obj = hmap_get(fresh, now.v[i]);
		cJSON *prev = hmap_put(&inf->cache, now.v[i], obj);
		if (inf->stopped)
			;
		else if (!prev && inf->ops.on_add)
			inf->ops.on_add(obj, inf->data);
		else if (prev && strcmp(obj_rv(prev), obj_rv(obj)) && inf->ops.on_update)
			inf->ops.on_update(prev, obj, inf->data);
		cJSON_Delete(prev);
	}
	hmap_release(fresh);
	key_list_free(&old);
	key_list_free(&now);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

/* Takes the items of one list page into inf->listing. */
static void inf_take_page(struct rest_informer *inf, cJSON *list)
{
	const char *lk = json_str(list, "kind"), *api = json_str(list, "apiVersion");
	if (lk && ends_with(lk, "List")) {
		free(inf->item_kind);
		inf->item_kind = xstrndup(lk, strlen(lk) - 4);
	}
	if (api)
		set_str(&inf->item_api, api);
	struct buf key = BUF_INIT;
	cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	while (cJSON_IsArray(items) && cJSON_GetArraySize(items) > 0) {
		cJSON *item = cJSON_DetachItemFromArray(items, 0);
		inf_type_item(inf, item);
		obj_key(item, &key);
		cJSON_Delete(hmap_put(inf->listing, key.data, item));
	}
	buf_release(&key);
}

static void list_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct rest_informer *inf = http_client_req_data(req);
	struct rest_result res;
	cJSON *list;
	inf->req = NULL;
	if (inf->stopped) {
		inf_free_if_done(inf);
		return;
	}
	fill_result(&res, err, resp, &list);
	if (err || res.code != 200 || !list) {
		char what[300];
		if (err)
			snprintf(what, sizeof(what), "list failed: %s", res.message);
		else
			snprintf(what, sizeof(what), "list failed: HTTP %d: %s", res.code, res.message);
		free(inf->cont);
		inf->cont = NULL;
		if (inf->listing) {
			free_map(inf->listing);
			free(inf->listing);
			inf->listing = NULL;
		}
		cJSON_Delete(list);
		inf_backoff(inf, 1, what);
		return;
	}
	inf_take_page(inf, list);
	const char *cont = json_strv(list, "metadata", "continue", NULL);
	set_str(&inf->cont, cont && *cont ? cont : NULL);
	if (!inf->cont)
		set_str(&inf->rv, json_strv(list, "metadata", "resourceVersion", NULL));
	cJSON_Delete(list);
	if (inf->cont) {
		inf_list(inf);
		return;
	}
	struct hmap *fresh = inf->listing;
	inf->listing = NULL;
	inf->failures = 0;
	inf->lists++;
	inf_replace(inf, fresh);
	free(fresh);
	if (!inf->stopped && !inf->synced) {
		inf->synced = 1;
		if (inf->ops.on_synced)
			inf->ops.on_synced(inf->data);
	}
	if (!inf->stopped)
		inf_watch(inf);
}

static void inf_list(struct rest_informer *inf)
{
	struct buf t = BUF_INIT;
	char limit[24];
	snprintf(limit, sizeof(limit), "%d", inf->page);
	inf_target(inf, &t);
	rest_query(&t, "limit", limit);
	if (inf->cont)
		rest_query(&t, "continue", inf->cont);
	if (!inf->listing)
		inf->listing = xcalloc(1, sizeof(struct hmap));
	struct http_header h[2];
	struct http_client_request r = { .method = "GET", .target = t.data, .headers = h,
					 .nheaders = inf_headers(inf, h), .timeout_ms = inf->c->timeout_ms,
					 .on_done = list_done, .data = inf };
	inf->state = INF_LISTING;
	if (http_client_send(inf->c->http, &r, &inf->req) < 0) {
		inf->req = NULL;
		inf_backoff(inf, 1, "list could not be sent");
	}
	buf_release(&t);
}

/* Applies one watch event. Returns nonzero to stop reading the stream. */
static int inf_event(const char *text, size_t len, void *arg)
{
	struct rest_informer *inf = arg;
	cJSON *ev = json_parse(text, len, NULL);
	const char *type = json_str(ev, "type");
	cJSON *obj = json_obj(ev, "object");
	struct buf key = BUF_INIT;
	int r = 0;
	if (!type || !obj) {
		log_warn("informer %s: malformed watch event ignored", inf->path);
		goto out;
	}
	if (!strcmp(type, "ERROR")) {
		int64_t code = 0;
		json_int(obj, "code", &code);
		inf->watch_gone = code == 410;
		snprintf(inf->watch_why, sizeof(inf->watch_why), "watch error: %s",
			 json_str(obj, "message") ? json_str(obj, "message") : "?");
		r = 1;
		goto out;
	}
	if (*obj_rv(obj))
		set_str(&inf->rv, obj_rv(obj));
	inf->watch_events++;
	if (!strcmp(type, "BOOKMARK"))
		goto out;
	cJSON_DetachItemViaPointer(ev, obj);
	inf_type_item(inf, obj);
	obj_key(obj, &key);
	if (!strcmp(type, "DELETED")) {
		cJSON *prev = hmap_del(&inf->cache, key.data);
		if (inf->ops.on_delete)
			inf->ops.on_delete(obj, inf->data);
		cJSON_Delete(prev);
		cJSON_Delete(obj);
	} else {
		cJSON *prev = hmap_put(&inf->cache, key.data, obj);
		if (!prev && inf->ops.on_add)
			inf->ops.on_add(obj, inf->data);
		else if (prev && inf->ops.on_update)
			inf->ops.on_update(prev, obj, inf->data);
		cJSON_Delete(prev);
	}
	r = inf->stopped;
out:
	buf_release(&key);
	cJSON_Delete(ev);
	return r;
}

static void watch_head(struct http_client_req *req, const struct http_client_response *resp)
{
	struct rest_informer *inf = http_client_req_data(req);
	inf->watch_status = resp->status;
}

static void watch_data(struct http_client_req *req, const char *data, size_t len)
{
	struct rest_informer *inf = http_client_req_data(req);
	if (inf->stopped)
		return;
	if (inf->watch_status != 200) {
		if (inf->watch_err.len < 65536)
			buf_add(&inf->watch_err, data, MIN(len, 65536 - inf->watch_err.len));
		return;
	}
	int r = rest_jsonstream_feed(&inf->stream, data, len, inf_event, inf);
	if (r < 0)
		snprintf(inf->watch_why, sizeof(inf->watch_why), "undecodable watch stream (%s)", strerror(-r));
	if (r && !inf->stopped && inf->req)
		http_client_cancel(inf->req);
}

static int status_code(const struct buf *body)
{
	cJSON *st = json_parse(buf_str(body), body->len, NULL);
	int64_t code = 0;
	json_int(st, "code", &code);
	cJSON_Delete(st);
	return (int)code;
}

static void watch_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct rest_informer *inf = http_client_req_data(req);
	inf->req = NULL;
	if (inf->stopped) {
		inf_free_if_done(inf);
		return;
	}
	int status = inf->watch_status, gone = inf->watch_gone || status == 410 ||
					       (status != 200 && status_code(&inf->watch_err) == 410);
	if (inf->watch_events)
		inf->failures = 0;
	if (gone) {
		log_info("informer %s: resourceVersion %s is gone; listing again", inf->path, inf->rv ? inf->rv : "");
		inf_list(inf);
	} else if (*inf->watch_why) {
		inf_backoff(inf, 0, inf->watch_why);
	} else if (err || status != 200) {
		char what[300];
		if (err)
			snprintf(what, sizeof(what), "watch failed: %s", resp->error);
		else
			snprintf(what, sizeof(what), "watch failed: HTTP %d: %.200s", status, buf_str(&inf->watch_err));
		inf_backoff(inf, status >= 400 && status < 500 && status != 429, what);
	} else {
		inf_watch(inf); /* the server ended the watch (its timeout): resume */
	}
}

static void inf_watch(struct rest_informer *inf)
{
	struct buf t = BUF_INIT;
	char timeout[24];
	unsigned char j;
	random_bytes(&j, 1);
	snprintf(timeout, sizeof(timeout), "%d", WATCH_MIN_SECONDS + WATCH_MIN_SECONDS * j / 256);
	inf_target(inf, &t);
	rest_query(&t, "watch", "1");
	rest_query(&t, "resourceVersion", inf->rv ? inf->rv : "");
	rest_query(&t, "allowWatchBookmarks", "true");
	rest_query(&t, "timeoutSeconds", timeout);
	rest_jsonstream_release(&inf->stream);
	rest_jsonstream_init(&inf->stream, 0);
	buf_reset(&inf->watch_err);
	inf->watch_status = 0;
	inf->watch_events = 0;
	inf->watch_gone = 0;
	inf->watch_why[0] = '\0';
	struct http_header h[2];
	struct http_client_request r = { .method = "GET", .target = t.data, .headers = h,
					 .nheaders = inf_headers(inf, h), .on_head = watch_head, .on_data = watch_data,
					 .on_done = watch_done, .data = inf };
	inf->state = INF_WATCHING;
	inf->watches++;
	if (http_client_send(inf->c->http, &r, &inf->req) < 0) {
		inf->req = NULL;
		inf_backoff(inf, 0, "watch could not be sent");
	}
	buf_release(&t);
}

int rest_informer_start(struct rest_client *c, const struct rest_informer_config *cfg, struct rest_informer **out)
{
	static const struct rest_informer_ops none;
	if (!cfg->path || !*cfg->path)
		return -KUBE_EINVAL;
	struct rest_informer *inf = xcalloc(1, sizeof(*inf));
	inf->c = c;
	inf->path = xstrdup(cfg->path);
	inf->fsel = cfg->field_selector && *cfg->field_selector ? xstrdup(cfg->field_selector) : NULL;
	inf->lsel = cfg->label_selector && *cfg->label_selector ? xstrdup(cfg->label_selector) : NULL;
	inf->page = cfg->page_size > 0 ? cfg->page_size : DEFAULT_PAGE;
	inf->base_ms = cfg->backoff_base_ms ? cfg->backoff_base_ms : BACKOFF_BASE_MS;
	inf->max_ms = cfg->backoff_max_ms ? cfg->backoff_max_ms : BACKOFF_MAX_MS;
	inf->ops = cfg->ops ? *cfg->ops : none;
	inf->data = cfg->data;
	rest_jsonstream_init(&inf->stream, 0);
	uv_timer_init(c->loop, &inf->timer);
	inf->timer.data = inf;
	inf->timer_open = 1;
	inf_list(inf);
	*out = inf;
	return 0;
}

void rest_informer_stop(struct rest_informer *inf)
{
	if (!inf || inf->stopped)
		return;
	inf->stopped = 1;
	uv_close((uv_handle_t *)&inf->timer, timer_closed);
	if (inf->req)
		http_client_cancel(inf->req);
}

const cJSON *rest_informer_get(const struct rest_informer *inf, const char *ns, const char *name)
{
	struct buf key = BUF_INIT;
	if (ns && *ns)
		buf_addf(&key, "%s/", ns);
	buf_adds(&key, name);
	const cJSON *obj = hmap_get(&inf->cache, key.data);
	buf_release(&key);
	return obj;
}

struct each_ctx {
	int (*fn)(const cJSON *obj, void *data);
	void *data;
};

static int each_one(const char *key, void *value, void *data)
{
	struct each_ctx *x = data;
	UNUSED(key);
	return x->fn(value, x->data);
}

int rest_informer_each(const struct rest_informer *inf, int (*fn)(const cJSON *obj, void *data), void *data)
{
	struct each_ctx x = { fn, data };
	return hmap_each(&inf->cache, each_one, &x);
}

int rest_informer_synced(const struct rest_informer *inf)
{
	return inf->synced;
}

size_t rest_informer_count(const struct rest_informer *inf)
{
	return inf->cache.n;
}

void rest_informer_stats(const struct rest_informer *inf, struct rest_informer_stats *out)
{
	out->lists = inf->lists;
	out->watches = inf->watches;
	out->failures = inf->failures;
	out->rv = inf->rv ? inf->rv : "";
}
