/*
 * list.c - LIST and DELETECOLLECTION: selectors, pagination pinned to a revision, Tables.
 *
 * DESIGN
 * The current state is walked in memory, in key order (namespace, then name), filtering on the
 * attrs each stored version carries, so a list never parses JSON unless a Table is asked for: the
 * items are the stored bytes, concatenated. A page ends after `limit` items; its continue token
 * records the revision of the first page and the last key, so the next page shows the same
 * snapshot: from memory while nothing changed since, else read from the store's history at that
 * revision. A token older than the compacted history is 410 Expired, as upstream.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"

struct list_ctx {
	struct api_req *req;
	struct selector labels;
	struct selector fields;
	int filtered;
	struct buf items;
	size_t n;
	int64_t limit;
	char *last_key;
	int more;            /* a matching item beyond the page exists */
	int64_t remaining;   /* counted only without selectors */
	int64_t rev;
	size_t prefix_len;
	struct store_kv **victims; /* deletecollection: the matched objects */
	size_t nvictims;
};

static void ctx_free(struct list_ctx *c)
{
	selector_release(&c->labels);
	selector_release(&c->fields);
	buf_release(&c->items);
	free(c->last_key);
	for (size_t i = 0; i < c->nvictims; i++)
		store_kv_unref(c->req->srv->store, c->victims[i]);
	free(c->victims);
	free(c);
}

static int matches(const struct list_ctx *c, const struct store_kv *kv)
{
	return selector_matches(&c->labels, obj_label, kv->attrs) &&
	       selector_matches(&c->fields, obj_field, kv->attrs);
}

/* Collects one item; returns nonzero to stop the walk. */
static int collect(struct store_kv *kv, void *data)
{
	struct list_ctx *c = data;
	if (!matches(c, kv))
		return 0;
	if (c->limit > 0 && (int64_t)c->n >= c->limit) {
		c->more = 1;
		if (c->filtered)
			return 1;
		c->remaining++;
		return 0;
	}
	if (c->req->verb == VERB_DELETECOLLECTION) {
		c->victims = xrealloc(c->victims, (c->nvictims + 1) * sizeof(*c->victims));
		c->victims[c->nvictims++] = store_kv_ref(kv);
	}
	if (c->req->table) {
		cJSON *obj = obj_parse_as(c->req->kind, kv);
		table_row(c->req->kind, obj, c->req->q.include_object, c->n == 0, &c->items);
		cJSON_Delete(obj);
	} else {
		if (c->n)
			buf_addch(&c->items, ',');
		obj_print_as(c->req->kind, kv, &c->items);
	}
	c->n++;
	free(c->last_key);
	c->last_key = xstrdup(kv->key);
	return 0;
}

/* A kv handed over by store_range_at (an owned reference). */
static int collect_owned(struct store_kv *kv, void *data)
{
	struct list_ctx *c = data;
	int r = collect(kv, data);
	store_kv_unref(c->req->srv->store, kv);
	return r;
}

static void make_token(const struct list_ctx *c, struct buf *out)
{
	struct buf raw = BUF_INIT;
	buf_addf(&raw, "{\"v\":\"meta.k8s.io/v1\",\"rv\":%lld,\"start\":", (long long)c->rev);
	buf_add_json_string(&raw, c->last_key + c->prefix_len);
	buf_addch(&raw, '}');
	pki_base64(raw.data, raw.len, out);
	for (size_t i = 0; i < out->len; i++)
		out->data[i] = out->data[i] == '+' ? '-' : out->data[i] == '/' ? '_' : out->data[i];
	while (out->len && out->data[out->len - 1] == '=')
		buf_truncate(out, out->len - 1);
	buf_release(&raw);
}

/* Decodes a continue token into its revision and start key (prefix + suffix). */
static int parse_token(const char *tok, const char *prefix, int64_t *rev, struct buf *start)
{
	struct buf b64 = BUF_INIT, raw = BUF_INIT;
	int r = -1;
	for (const char *p = tok; *p; p++)
		buf_addch(&b64, *p == '-' ? '+' : *p == '_' ? '/' : *p);
	while (b64.len % 4)
		buf_addch(&b64, '=');
	if (pki_base64_decode(b64.data ? b64.data : "", b64.len, &raw) < 0)
		goto out;
	cJSON *j = json_parse(buf_str(&raw), raw.len, NULL);
	int64_t v;
	const char *s = json_str(j, "start");
	if (j && s && !json_int(j, "rv", &v) && v > 0 && !strstr(s, "..")) {
		*rev = v;
		buf_adds(start, prefix);
		buf_adds(start, s);
		r = 0;
	}
	cJSON_Delete(j);
out:
	buf_release(&b64);
	buf_release(&raw);
	return r;
}

static void list_reply(struct list_ctx *c)
{
	struct api_req *req = c->req;
	struct buf out = BUF_INIT, tok = BUF_INIT;
	char rv[24];
	snprintf(rv, sizeof(rv), "%lld", (long long)c->rev);
	if (c->more)
		make_token(c, &tok);
	if (req->table) {
		table_begin(req->kind, &out, rv, c->more ? tok.data : NULL, c->more && !c->filtered ? c->remaining : -1);
		buf_add(&out, buf_str(&c->items), c->items.len);
		table_end(&out);
	} else {
		buf_addf(&out, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{\"resourceVersion\":\"%s\"",
			 req->kind->list_kind, req->kind->api_version, rv);
		if (c->more) {
			buf_addf(&out, ",\"continue\":\"%s\"", tok.data);
			if (!c->filtered)
				buf_addf(&out, ",\"remainingItemCount\":%lld", (long long)c->remaining);
		}
		buf_adds(&out, "},\"items\":[");
		buf_add(&out, buf_str(&c->items), c->items.len);
		buf_adds(&out, "]}");
	}
	buf_release(&tok);
	api_reply(req, 200, &out);
	buf_release(&out);
}

static void list_at_done(int status, void *data)
{
	struct list_ctx *c = data;
	struct api_req *req = c->req;
	if (status < 0) {
		api_error_from_store(&req->err, status, req->kind, "", NULL);
		if (status == -KUBE_ECOMPACTED)
			api_error_set(&req->err, 410, "Expired",
				      "The provided continue parameter is too old to display a consistent list result. "
				      "You can start a new list without the continue parameter.");
		api_fail(req);
	} else {
		list_reply(c);
	}
	ctx_free(c);
}

int api_parse_selectors(struct api_req *req, struct selector *labels, struct selector *fields)
{
	struct buf err = BUF_INIT;
	if (selector_parse_labels(req->q.label_selector ? req->q.label_selector : "", labels, &err) < 0 ||
	    selector_parse_fields(req->q.field_selector ? req->q.field_selector : "", fields, &err) < 0) {
		api_error_bad_request(&req->err, "%s", buf_str(&err));
		buf_release(&err);
		return -1;
	}
	buf_release(&err);
	for (size_t i = 0; i < fields->nreqs; i++) {
		if (!kind_has_field(req->kind, fields->reqs[i].key)) {
			api_error_bad_request(&req->err, "field label not supported: %s", fields->reqs[i].key);
			return -1;
		}
		/* A view's selectable fields are the stored kind's under other names. */
		for (const char *const *a = req->kind->view ? req->kind->view->field_aliases : NULL; a && *a; a += 2) {
			if (!strcmp(fields->reqs[i].key, a[0])) {
				free(fields->reqs[i].key);
				fields->reqs[i].key = xstrdup(a[1]);
				break;
			}
		}
	}
	return 0;
}

static int parse_selectors(struct api_req *req, struct list_ctx *c)
{
	if (api_parse_selectors(req, &c->labels, &c->fields) < 0)
		return -1;
	c->filtered = c->labels.nreqs || c->fields.nreqs;
	return 0;
}

/* Decides where the page starts and at which revision. Returns 1 to read from memory, 0 to read
 * history, -1 on error (req->err set). */
static int plan(struct api_req *req, struct list_ctx *c, const char *prefix, struct buf *start)
{
	struct store *s = req->srv->store;
	int64_t cur = store_rev(s), rv = 0;
	const char *qrv = req->q.resource_version, *match = req->q.resource_version_match;
	if (req->q.cont && *req->q.cont) {
		if (qrv && *qrv) {
			api_error_bad_request(&req->err, "specifying resource version is not allowed when using continue");
			return -1;
		}
		if (parse_token(req->q.cont, prefix, &c->rev, start) < 0) {
			api_error_bad_request(&req->err, "continue key is not valid: malformed token");
			return -1;
		}
		if (c->rev > cur) {
			api_error_bad_request(&req->err, "continue key is not valid: revision in the future");
			return -1;
		}
		return c->rev == cur ? 1 : 0;
	}
	c->rev = cur;
	if (!qrv || !*qrv || !strcmp(qrv, "0")) {
		if (qrv && !strcmp(qrv, "0"))
			c->limit = 0; /* like upstream's watch cache: RV=0 lists are not paged */
		return 1;
	}
	if (parse_int64(qrv, 1, INT64_MAX, &rv) < 0) {
		api_error_bad_request(&req->err, "invalid resource version: \"%s\"", qrv);
		return -1;
	}
	if (rv > cur) {
		api_error_set(&req->err, 504, "Timeout", "Too large resource version: %lld, current: %lld",
			      (long long)rv, (long long)cur);
		req->err.retry_after = 1;
		return -1;
	}
	if (match && !strcmp(match, "Exact") && rv != cur) {
		c->rev = rv;
		return 0;
	}
	return 1;
}

void api_list(struct api_req *req)
{
	struct list_ctx *c = xcalloc(1, sizeof(*c));
	struct buf prefix = BUF_INIT, start = BUF_INIT;
	c->req = req;
	c->limit = req->q.limit;
	if (parse_selectors(req, c) < 0)
		goto fail;
	kind_prefix(req->kind, req->ns, &prefix);
	c->prefix_len = prefix.len;
	int where = plan(req, c, prefix.data, &start);
	if (where < 0)
		goto fail;
	if (where == 1) {
		store_range(req->srv->store, prefix.data, start.len ? start.data : NULL, collect, c);
		list_reply(c);
		ctx_free(c);
	} else if (store_range_at(req->srv->store, prefix.data, start.len ? start.data : NULL, c->rev, 0,
				  collect_owned, list_at_done, c) < 0) {
		api_error_internal(&req->err, "cannot read history");
		goto fail;
	}
	buf_release(&prefix);
	buf_release(&start);
	return;
fail:
	buf_release(&prefix);
	buf_release(&start);
	ctx_free(c);
	api_fail(req);
}

/* ---- deletecollection -------------------------------------------------------------------- */

/* One object being deleted by a deletecollection. */
struct victim {
	struct delcoll *d;
	char *key;
	cJSON *obj;
};

struct delcoll {
	struct api_req *req;
	size_t pending;
	int failed;
	struct buf items;
	size_t nitems;
};

static void delcoll_finish(struct delcoll *d)
{
	struct api_req *req = d->req;
	struct buf out = BUF_INIT;
	buf_addf(&out, "{\"kind\":\"%s\",\"apiVersion\":\"%s\",\"metadata\":{\"resourceVersion\":\"%lld\"},\"items\":[",
		 req->kind->list_kind, req->kind->api_version, (long long)store_rev(req->srv->store));
	buf_add(&out, buf_str(&d->items), d->items.len);
	buf_adds(&out, "]}");
	if (d->failed)
		api_fail(req);
	else
		api_reply(req, 200, &out);
	buf_release(&out);
	buf_release(&d->items);
	free(d);
}

static void delcoll_done(const struct store_result *res, void *data)
{
	struct victim *v = data;
	struct delcoll *d = v->d;
	if (res->status == 0) {
		if (d->nitems++)
			buf_addch(&d->items, ',');
		obj_print_as(d->req->kind, res->kv, &d->items);
	} else if (res->status != -KUBE_ENOTFOUND && res->status != -KUBE_ECONFLICT && !d->failed) {
		/* Objects deleted or changed meanwhile are skipped, as upstream does. */
		d->failed = 1;
		api_error_from_store(&d->req->err, res->status, d->req->kind, "", res->err);
	}
	free(v->key);
	cJSON_Delete(v->obj);
	free(v);
	if (--d->pending == 0)
		delcoll_finish(d);
}

void api_delete_collection(struct api_req *req)
{
	struct list_ctx *c = xcalloc(1, sizeof(*c));
	struct buf prefix = BUF_INIT;
	c->req = req;
	req->table = 0;
	if (parse_selectors(req, c) < 0) {
		ctx_free(c);
		api_fail(req);
		return;
	}
	kind_prefix(req->kind, req->ns, &prefix);
	store_range(req->srv->store, prefix.data, NULL, collect, c);
	buf_release(&prefix);
	struct delcoll *d = xcalloc(1, sizeof(*d));
	d->req = req;
	if (req->q.dry_run || c->nvictims == 0) {
		d->items = c->items;
		d->nitems = c->n;
		memset(&c->items, 0, sizeof(c->items));
		ctx_free(c);
		delcoll_finish(d);
		return;
	}
	/* TODO(issue 3): graceful deletion and finalizers apply to each item as for DELETE. */
	d->pending = c->nvictims;
	for (size_t i = 0; i < c->nvictims; i++) {
		struct store_kv *kv = c->victims[i];
		struct victim *v = xcalloc(1, sizeof(*v));
		v->d = d;
		v->key = xstrdup(kv->key);
		v->obj = obj_parse(kv);
		store_txn(req->srv->store, STORE_DELETE, v->key, kv->mod_rev, obj_encode, v->obj, delcoll_done, v);
	}
	ctx_free(c);
}
