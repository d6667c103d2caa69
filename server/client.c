/*
 * client.c - the internal client: the server's own components call the API through the very
 * handlers HTTPS requests reach (decoding, defaulting, admission, validation, storage), without a
 * socket, as the privileged identity system:apiserver.
 *
 * A call becomes a struct api_req with no HTTP request; it is dispatched on the next loop turn
 * (so the callback never runs inside client_call) and its answer comes back through the
 * request's done hook, which passes the status code and the JSON body to the caller.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct call {
	uv_timer_t timer;
	struct api_req *req;
	char *body;
	client_cb *cb;
	void *data;
};

static void call_closed(uv_handle_t *h)
{
	struct call *c = h->data;
	free(c->body);
	free(c);
}

static void call_done(struct api_req *req, int code, const char *body, size_t len)
{
	struct call *c = req->done_data;
	c->cb(code, body, len, c->data);
	uv_close((uv_handle_t *)&c->timer, call_closed);
}

static void call_start(uv_timer_t *t)
{
	struct call *c = t->data;
	if (c->req->srv->stopping) {
		/* The datastore may be closing: nothing new reaches it. */
		api_error_set(&c->req->err, 503, "ServiceUnavailable", "the server is shutting down");
		api_fail(c->req);
		return;
	}
	api_dispatch(c->req);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_query(struct api_query *dst, const struct api_query *src)
{
	*dst = *src;
	dst->field_manager = dup_or_null(src->field_manager);
	dst->field_validation = dup_or_null(src->field_validation);
	dst->label_selector = dup_or_null(src->label_selector);
	dst->field_selector = dup_or_null(src->field_selector);
	dst->resource_version = dup_or_null(src->resource_version);
	dst->resource_version_match = dup_or_null(src->resource_version_match);
	dst->cont = dup_or_null(src->cont);
	dst->propagation_policy = dup_or_null(src->propagation_policy);
}

void client_call(struct server *srv, enum api_verb verb, const struct kind *k, const char *ns,
		 const char *name, const char *sub, const char *content_type, const char *body,
		 const struct api_query *query, client_cb *cb, void *data)
{
	struct call *c = xcalloc(1, sizeof(*c));
	struct api_req *req = xcalloc(1, sizeof(*req));
	c->req = req;
	c->cb = cb;
	c->data = data;
	c->body = dup_or_null(body);
	req->srv = srv;
	req->kind = k;
	req->verb = verb == VERB_WATCH ? VERB_LIST : verb;
	req->ns = (k->flags & KIND_NAMESPACED) ? dup_or_null(ns) : NULL;
	req->name = dup_or_null(name);
	req->sub = dup_or_null(sub);
	req->raw = c->body;
	req->raw_len = c->body ? strlen(c->body) : 0;
	req->content_type = content_type ? content_type : "application/json";
	req->done = call_done;
	req->done_data = c;
	req->user.name = xstrdup("system:apiserver");
	req->user.groups = xcalloc(2, sizeof(char *));
	req->user.groups[0] = xstrdup("system:masters");
	req->user.groups[1] = xstrdup("system:authenticated");
	req->user.ngroups = 2;
	if (query)
		copy_query(&req->q, query);
	else
		req->q.include_object = 1;
	uv_timer_init(srv->loop, &c->timer);
	c->timer.data = c;
	uv_timer_start(&c->timer, call_start, 0, 0);
}
