/*
 * http_conn.c - an HTTP/1.1 connection independent of its transport: request parsing with
 * llhttp, limits, dispatch in order, the output queue, and the in-memory transport.
 *
 * DESIGN
 * Input bytes (plaintext, after TLS) accumulate in conn->in and are parsed by
 * http__conn_process. The parser copies what it keeps (URL and headers into req->strings, the
 * body into req->body), so the input buffer can be compacted freely. on_message_complete pauses
 * the parser (HPE_PAUSED) right after a request: the bytes of the next pipelined request stay
 * in conn->in until the handler has finished the current one, so responses leave in request
 * order and at most one request per connection is with a handler.
 *
 * A limit broken inside a parser callback records the status (413, 414, 431) in conn->err_code
 * and fails the callback; the parse step then answers with that status instead of 400. Either
 * way the connection drains and closes: after a refused request the stream cannot be trusted.
 *
 * Handlers may finish requests synchronously (inside the dispatch) or later. conn->processing
 * keeps the dispatch loop from recursing: a finish during dispatch only clears conn->active
 * and the loop goes on; a later finish restarts the loop.
 */
#include "http_internal.h"
#include "log.h"
#include "pki.h"
#include "util.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int http__on_message_begin(llhttp_t *p);
static int http__on_url(llhttp_t *p, const char *at, size_t len);
static int http__on_url_complete(llhttp_t *p);
static int http__on_header_field(llhttp_t *p, const char *at, size_t len);
static int http__on_header_field_complete(llhttp_t *p);
static int http__on_header_value(llhttp_t *p, const char *at, size_t len);
static int http__on_header_value_complete(llhttp_t *p);
static int http__on_headers_complete(llhttp_t *p);
static int http__on_body(llhttp_t *p, const char *at, size_t len);
static int http__on_message_complete(llhttp_t *p);

static const llhttp_settings_t http__settings = {
	.on_message_begin = http__on_message_begin,
	.on_url = http__on_url,
	.on_url_complete = http__on_url_complete,
	.on_header_field = http__on_header_field,
	.on_header_field_complete = http__on_header_field_complete,
	.on_header_value = http__on_header_value,
	.on_header_value_complete = http__on_header_value_complete,
	.on_headers_complete = http__on_headers_complete,
	.on_body = http__on_body,
	.on_message_complete = http__on_message_complete,
};

static void http__conn_timer(struct http_conn *c, enum http__timer mode)
{
	if (c->transport == HTTP__TCP)
		http__tcp_timer(c, mode);
}

/* ---- lifetime ---- */

struct http_conn *http__conn_new(struct http_server *srv, enum http__transport t)
{
	struct http_conn *c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	c->refs = 1;
	c->transport = t;
	c->state = HTTP__OPEN;
	llhttp_init(&c->parser, HTTP_REQUEST, &http__settings);
	c->parser.data = c;
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
	srv->refs++;
	srv->nconns++;
	if (t == HTTP__TCP)
		srv->ntcp++;
	return c;
}

void http__conn_ref(struct http_conn *c)
{
	c->refs++;
}

static void http__conn_free(struct http_conn *c)
{
	struct http_server *srv = c->srv;
	struct http__seg s;
	assert(!c->active && c->handles == 0);
	http__req_free(c->req);
	http__req_free(c->ready);
	while (http__seg_pop(c, &s))
		http__seg_release(&s);
	free(c->segs);
	buf_release(&c->in);
	buf_release(&c->tail);
	buf_release(&c->wtls);
	if (c->tls) {
		tls_session_release(c->tls);
		free(c->tls);
	}
	free(c->peer_cn);
	pki_free_strings(c->peer_orgs, c->peer.norgs);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	http__server_check_done(srv);
	http__server_unref(srv);
}

void http__conn_unref(struct http_conn *c)
{
	assert(c->refs > 0);
	if (--c->refs == 0)
		http__conn_free(c);
}

void http__conn_transport_gone(struct http_conn *c)
{
	c->srv->nconns--;
	if (c->transport == HTTP__TCP)
		c->srv->ntcp--;
	http__conn_unref(c);
}

void http__conn_set_peer(struct http_conn *c, char *cn, char **orgs, size_t norgs)
{
	c->peer_cn = cn;
	c->peer_orgs = orgs;
	c->peer.cn = cn;
	c->peer.orgs = (const char *const *)orgs;
	c->peer.norgs = norgs;
	c->has_peer = 1;
}

void http_conn_set_identity(struct http_conn *c, const char *cn, const char *const *orgs, size_t norgs)
{
	char **v = xcalloc(norgs + 1, sizeof(char *));
	for (size_t i = 0; i < norgs; i++)
		v[i] = xstrdup(orgs[i]);
	free(c->peer_cn);
	pki_free_strings(c->peer_orgs, c->peer.norgs);
	http__conn_set_peer(c, xstrdup(cn), v, norgs);
}

/* ---- output queue ---- */

static void http__seg_push(struct http_conn *c, struct http__seg s)
{
	if (c->nsegs == c->seg_cap && c->seg_head > 0) {
		memmove(c->segs, c->segs + c->seg_head, (c->nsegs - c->seg_head) * sizeof(s));
		c->nsegs -= c->seg_head;
		c->seg_head = 0;
	}
	if (c->nsegs == c->seg_cap) {
		c->seg_cap = c->seg_cap ? c->seg_cap * 2 : 8;
		c->segs = xrealloc(c->segs, c->seg_cap * sizeof(s));
	}
	c->segs[c->nsegs++] = s;
}

static void http__tail_push(struct http_conn *c)
{
	if (c->tail.len == 0)
		return;
	struct http__seg s = { NULL, NULL, 0, 0 };
	s.own = buf_detach(&c->tail, &s.len);
	http__seg_push(c, s);
}

int http__seg_pop(struct http_conn *c, struct http__seg *out)
{
	if (c->seg_head == c->nsegs)
		return 0;
	*out = c->segs[c->seg_head++];
	if (c->seg_head == c->nsegs)
		c->seg_head = c->nsegs = 0;
	return 1;
}

struct http__seg *http__seg_peek(struct http_conn *c)
{
	return c->seg_head == c->nsegs ? NULL : &c->segs[c->seg_head];
}

void http__seg_release(struct http__seg *s)
{
	rbuf_unref(s->rb);
	free(s->own);
	s->rb = NULL;
	s->own = NULL;
}

void http__out_add(struct http_conn *c, const void *data, size_t len)
{
	if (c->state == HTTP__CLOSED)
		return;
	buf_add(&c->tail, data, len);
	c->queued += len;
}

void http__out_addf(struct http_conn *c, const char *fmt, ...)
{
	va_list ap;
	if (c->state == HTTP__CLOSED)
		return;
	size_t before = c->tail.len;
	va_start(ap, fmt);
	buf_vaddf(&c->tail, fmt, ap);
	va_end(ap);
	c->queued += c->tail.len - before;
}

void http__out_rbuf(struct http_conn *c, struct rbuf *rb, size_t off, size_t len)
{
	if (c->state == HTTP__CLOSED || len == 0)
		return;
	http__tail_push(c);
	struct http__seg s = { rbuf_ref(rb), NULL, off, len };
	http__seg_push(c, s);
	c->queued += len;
}

/* Delivers everything queued to the memory transport's callback. */
static void http__mem_flush(struct http_conn *c)
{
	struct http__seg s;
	http__conn_ref(c);
	while (c->state != HTTP__CLOSED && http__seg_pop(c, &s)) {
		const char *d = s.rb ? s.rb->data + s.off : s.own + s.off;
		c->queued -= s.len;
		if (c->mem_out)
			c->mem_out(c->mem_arg, d, s.len);
		http__seg_release(&s);
	}
	if (c->state == HTTP__DRAINING)
		c->state = HTTP__CLOSED;
	http__conn_unref(c);
}

void http__conn_flush(struct http_conn *c)
{
	if (c->state == HTTP__CLOSED)
		return;
	http__tail_push(c);
	if (c->transport == HTTP__TCP)
		http__tcp_flush(c);
	else
		http__mem_flush(c);
}

/* ---- closing ---- */

void http__conn_drain(struct http_conn *c)
{
	if (c->state != HTTP__OPEN)
		return;
	c->state = HTTP__DRAINING;
	http__req_free(c->req);
	http__req_free(c->ready);
	c->req = c->ready = NULL;
	http__conn_timer(c, HTTP__T_CLOSING);
	http__conn_flush(c);
	if (c->transport == HTTP__TCP)
		http__tcp_read_update(c);
}

void http__conn_close_now(struct http_conn *c)
{
	struct http__seg s;
	if (c->state == HTTP__CLOSED)
		return;
	c->state = HTTP__CLOSED;
	http__conn_ref(c);
	buf_reset(&c->tail);
	while (http__seg_pop(c, &s))
		http__seg_release(&s);
	c->queued = c->inflight;
	if (c->transport == HTTP__TCP)
		http__tcp_close(c);
	if (c->active)
		http__req_abort(c->active);
	http__conn_unref(c);
}

void http__conn_error(struct http_conn *c, int code, const char *reason, const char *msg)
{
	const struct http_server_config *cfg = &c->srv->cfg;
	struct buf body = BUF_INIT;
	const char *ctype;
	if (c->state != HTTP__OPEN)
		return;
	log_debug("http: %s: %d %s", c->remote, code, msg);
	if (cfg->on_error) {
		ctype = cfg->on_error(code, reason, msg, &body);
	} else {
		buf_addf(&body, "%s\n", msg);
		ctype = "text/plain; charset=utf-8";
	}
	http__write_head(c, NULL, code, ctype, NULL, 0, (long long)body.len);
	http__out_add(c, body.data, body.len);
	buf_release(&body);
	http__conn_drain(c);
}

/* ---- parser callbacks ---- */

static int http__refuse(struct http_conn *c, int code, const char *reason, const char *msg)
{
	c->err_code = code;
	c->err_reason = reason;
	c->err_msg = msg;
	return -1;
}

static int http__on_message_begin(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http__req *r = xcalloc(1, sizeof(*r));
	assert(!c->req);
	r->pub.conn = c;
	r->pub.remote_addr = c->remote;
	r->span = SIZE_MAX;
	r->url = SIZE_MAX;
	r->state = HTTP__R_PARSING;
	c->req = r;
	http__conn_timer(c, HTTP__T_HEADER);
	return 0;
}

/* Appends to the string being received in r->strings. */
static void http__span_add(struct http__req *r, const char *at, size_t len)
{
	if (r->span == SIZE_MAX)
		r->span = r->strings.len;
	buf_add(&r->strings, at, len);
}

/* Terminates the string being received; returns its offset. */
static size_t http__span_end(struct http__req *r)
{
	size_t start = r->span == SIZE_MAX ? r->strings.len : r->span;
	buf_addch(&r->strings, '\0');
	r->span = SIZE_MAX;
	return start;
}

static int http__on_url(llhttp_t *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;
	struct http__req *r = c->req;
	size_t have = r->span == SIZE_MAX ? 0 : r->strings.len - r->span;
	if (have + len > c->srv->cfg.max_url)
		return http__refuse(c, 414, "", "the request URI is too long");
	http__span_add(r, at, len);
	return 0;
}

static int http__on_url_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	c->req->url = http__span_end(c->req);
	return 0;
}

/* Counts header bytes (names, values and their framing) against max_header_bytes. */
static int http__header_bytes(struct http_conn *c, size_t len)
{
	struct http__req *r = c->req;
	r->header_bytes += len;
	if (r->header_bytes > c->srv->cfg.max_header_bytes)
		return http__refuse(c, 431, "", "the request headers are too large");
	return 0;
}

static int http__on_header_field(llhttp_t *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;
	if (http__header_bytes(c, len + 4) < 0)
		return -1;
	if (!c->req->headers_done)
		http__span_add(c->req, at, len);
	return 0;
}

static int http__on_header_field_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http__req *r = c->req;
	if (r->headers_done)
		return 0;
	if (r->nheaders == HTTP__MAX_HEADERS)
		return http__refuse(c, 431, "", "too many request headers");
	r->hdr[r->nheaders][0] = http__span_end(r);
	return 0;
}

static int http__on_header_value(llhttp_t *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;
	if (http__header_bytes(c, len) < 0)
		return -1;
	if (!c->req->headers_done)
		http__span_add(c->req, at, len);
	return 0;
}

static int http__on_header_value_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http__req *r = c->req;
	if (r->headers_done)
		return 0;
	r->hdr[r->nheaders][1] = http__span_end(r);
	r->nheaders++;
	return 0;
}

/* Turns the offsets collected while parsing into the public pointers. */
static void http__req_publish(struct http__req *r, llhttp_t *p)
{
	char *s = r->strings.data;
	r->pub.method = llhttp_method_name((llhttp_method_t)p->method);
	r->pub.path = "/";
	r->pub.query = "";
	if (r->url != SIZE_MAX) {
		char *url = s + r->url, *q = strchr(url, '?');
		if (q) {
			*q = '\0';
			r->pub.query = q + 1;
		}
		r->pub.path = url;
	}
	for (size_t i = 0; i < r->nheaders; i++) {
		r->headers[i].name = s + r->hdr[i][0];
		r->headers[i].value = s + r->hdr[i][1];
	}
	r->pub.headers = r->headers;
	r->pub.nheaders = r->nheaders;
	r->http11 = p->http_major > 1 || (p->http_major == 1 && p->http_minor >= 1);
	r->head = p->method == HTTP_HEAD;
}

static int http__on_headers_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http__req *r = c->req;
	r->headers_done = 1;
	http__req_publish(r, p);
	if (p->flags & F_CONTENT_LENGTH) {
		if (p->content_length > c->srv->cfg.max_body)
			return http__refuse(c, 413, "RequestEntityTooLarge",
					    "the request body is too large");
		buf_grow(&r->body, (size_t)p->content_length);
	}
	/* TODO(issue 4 (exec/attach/port-forward)): hand Upgrade requests (WebSocket, SPDY) to
	 * the handler with the connection. For now an Upgrade request is an ordinary request
	 * (the handler decides) and parsing goes on as HTTP/1.1 afterwards. */
	p->upgrade = 0;
	const char *expect = http_header(&r->pub, "Expect");
	if (expect && strcasecmp(expect, "100-continue") == 0 && r->http11 &&
	    ((p->flags & F_CHUNKED) || p->content_length > 0)) {
		http__out_add(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
		http__conn_flush(c);
	}
	http__conn_timer(c, HTTP__T_BODY);
	return 0;
}

static int http__on_body(llhttp_t *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;
	struct http__req *r = c->req;
	if (r->body.len + len > c->srv->cfg.max_body)
		return http__refuse(c, 413, "RequestEntityTooLarge", "the request body is too large");
	buf_add(&r->body, at, len);
	http__conn_timer(c, HTTP__T_BODY);
	return 0;
}

static int http__on_message_complete(llhttp_t *p)
{
	struct http_conn *c = p->data;
	struct http__req *r = c->req;
	r->keep_alive = llhttp_should_keep_alive(p) && !c->srv->closing;
	r->pub.body = r->body.data ? r->body.data : "";
	r->pub.body_len = r->body.len;
	r->state = HTTP__R_NEW;
	c->ready = r;
	c->req = NULL;
	http__conn_timer(c, HTTP__T_NONE);
	return HPE_PAUSED;
}

/* ---- the dispatch loop ---- */

/* Runs the parser over the buffered input, up to the end of the next request. */
static void http__parse(struct http_conn *c)
{
	const char *p = c->in.data + c->in_off;
	size_t n = c->in.len - c->in_off;
	llhttp_errno_t e = llhttp_execute(&c->parser, p, n);
	if (e == HPE_OK) {
		c->in_off += n;
		return;
	}
	if (e == HPE_PAUSED) {
		c->in_off += (size_t)(llhttp_get_error_pos(&c->parser) - p);
		llhttp_resume(&c->parser);
		return;
	}
	c->in_off = c->in.len;
	if (c->err_code) {
		http__conn_error(c, c->err_code, c->err_reason, c->err_msg);
		return;
	}
	char *msg = xasprintf("malformed HTTP request: %s", llhttp_get_error_reason(&c->parser));
	http__conn_error(c, 400, "BadRequest", msg);
	free(msg);
}

/* Hands the parsed request to the server's callback. */
static void http__dispatch(struct http_conn *c)
{
	const struct http_server_config *cfg = &c->srv->cfg;
	struct http__req *r = c->ready;
	c->ready = NULL;
	c->active = r;
	http__conn_ref(c);
	r->pub.peer = c->has_peer ? &c->peer : NULL;
	if (cfg->on_request)
		cfg->on_request(&r->pub, cfg->data);
	else
		http_respond(&r->pub, 404, "text/plain", NULL, 0, "404 page not found\n", 19);
}

void http__conn_process(struct http_conn *c)
{
	if (c->processing)
		return;
	c->processing = 1;
	http__conn_ref(c);
	while (c->state == HTTP__OPEN && !c->active) {
		if (c->ready)
			http__dispatch(c);
		else if (c->in_off < c->in.len)
			http__parse(c);
		else
			break;
	}
	if (c->in_off == c->in.len) {
		buf_reset(&c->in);
		c->in_off = 0;
	} else if (c->in_off > 0) {
		memmove(c->in.data, c->in.data + c->in_off, c->in.len - c->in_off);
		buf_truncate(&c->in, c->in.len - c->in_off);
		c->in_off = 0;
	}
	c->processing = 0;
	http__conn_flush(c);
	if (c->transport == HTTP__TCP)
		http__tcp_read_update(c);
	http__conn_unref(c);
}

void http__conn_request_done(struct http_conn *c, struct http__req *r)
{
	assert(c->active == r);
	int keep = r->keep_alive;
	c->active = NULL;
	http__req_free(r);
	if (c->state == HTTP__OPEN) {
		if (!keep) {
			http__conn_drain(c);
		} else {
			http__conn_timer(c, HTTP__T_IDLE);
			http__conn_process(c);
		}
	}
	http__conn_unref(c);
}

/* ---- the memory transport ---- */

struct http_conn *http_conn_new_memory(struct http_server *srv,
				       void (*out)(void *arg, const char *data, size_t len), void *arg)
{
	assert(!srv->closing);
	struct http_conn *c = http__conn_new(srv, HTTP__MEMORY);
	c->mem_out = out;
	c->mem_arg = arg;
	snprintf(c->remote, sizeof(c->remote), "memory");
	return c;
}

void http_conn_feed(struct http_conn *c, const char *data, size_t len)
{
	if (c->state != HTTP__OPEN || len == 0)
		return;
	buf_add(&c->in, data, len);
	http__conn_process(c);
}

void http_conn_close(struct http_conn *c)
{
	assert(c->transport == HTTP__MEMORY);
	http__conn_close_now(c);
	http__conn_transport_gone(c);
}

int http_conn_closed(const struct http_conn *c)
{
	return c->state == HTTP__CLOSED;
}
