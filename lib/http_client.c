/*
 * http_client.c - asynchronous HTTP/1.1 client: connection pool, request queue, response parsing
 * with llhttp, TLS through lib/tls.c's client sessions.
 *
 * DESIGN
 * See http_client.h for the model. The pieces:
 *
 * - struct http_client holds the pool (every connection on `conns`, idle ones also on a LIFO
 *   `idle` list), the FIFO queue of requests waiting for a connection, the resolved addresses and
 *   one read buffer shared by every connection (reads are processed at once). hc__pump is the
 *   only place that matches queued requests with connections: idle connections first, then new
 *   connections while fewer are being opened than requests wait (and max_conns allows).
 *   A connection is not opened for a particular request: when opening one fails, the request that
 *   waited longest fails with that error.
 *
 * - A connection moves forward through CONNECTING (TCP), HANDSHAKE (TLS), IDLE or BUSY (one
 *   request), and CLOSED (handles closing). Its timer is the connect timeout while connecting and
 *   the idle timeout while idle. Output goes through one buffer (the TLS session's ciphertext
 *   buffer, or a plain one) with at most one uv_write in flight.
 *
 * - A request is heap-allocated and owns a uv_timer_t, used for its deadline and to defer its
 *   done callback to the loop. It is freed in the timer's close callback, after the done
 *   callback, so it needs no reference count: it is on the queue, or on one connection, or done.
 *
 * Re-entrancy: user callbacks run inside read callbacks, inside llhttp callbacks. They may call
 * back into the client. c->api_depth counts the public functions on the stack: a request that
 * ends while it is nonzero has its done callback deferred (the contract: never inside an
 * http_client_* call). Connections and the client are reference-counted (a connection holds its
 * client; the open handles hold the connection; code that calls out holds a temporary
 * reference), so nothing is freed under a caller. After each user callback made from a parser
 * callback, the parser stops if the request is no longer the connection's (cancelled, closed).
 *
 * Lifetime of the client: one reference for its owner (dropped by http_client_close), one per
 * connection, one per request, one while resolving. The last one closes c->anchor, a timer that
 * is never started: its close callback frees the client and calls the owner's callback, so that
 * callback always comes from the loop.
 */
#include "http_client.h"
#include "buf.h"
#include "log.h"
#include "tls.h"
#include "util.h"

#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <llhttp.h>
#include <mbedtls/error.h>
#include <mbedtls/x509.h>

#define HC__MAX_HEADERS 100
#define HC__MAX_ADDRS 8

enum hc__cstate { HC__CONNECTING, HC__HANDSHAKE, HC__IDLE, HC__BUSY, HC__CLOSED };
enum hc__rstate { HC__QUEUED, HC__SENT, HC__DONE };

struct hc__conn {
	struct http_client *client;
	struct hc__conn *prev, *next;         /* client->conns */
	struct hc__conn *idle_prev, *idle_next; /* client->idle, while IDLE */
	enum hc__cstate state;
	int refs;
	int handles;                          /* open uv handles (tcp, timer) */
	size_t addr;                          /* index of the address it connects to */
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_connect_t creq;
	uv_write_t wreq;
	char *wbuf;                           /* being written */
	int writing;
	int has_tls;
	struct tls_session tls;
	struct buf out;                       /* plain TCP: bytes to write */
	llhttp_t parser;
	struct http_client_req *req;          /* BUSY: the request in flight */
	int served;                           /* responses completed on this connection */
	int got_bytes;                        /* response bytes arrived for req */
};

struct http_client_req {
	struct http_client *client;
	struct http_client_req *prev, *next;  /* the queue, while QUEUED */
	struct hc__conn *conn;                /* while SENT */
	enum hc__rstate state;
	http_client_head_cb *on_head;
	http_client_data_cb *on_data;
	http_client_done_cb *on_done;
	void *data;
	uint64_t timeout_ms;
	struct buf wire;                      /* the request as sent (kept for a retry) */
	int idempotent, head, retried;
	uv_timer_t timer;                     /* deadline, then deferral of on_done */
	int err;
	struct buf errmsg;
	const char *refused;                  /* why a parser callback stopped the parser */
	int refused_err;
	/* the response */
	int status;
	struct buf strings;                   /* header names and values, NUL-terminated */
	size_t span;                          /* start of the string being received, or SIZE_MAX */
	size_t (*hdr)[2];                     /* offsets of names and values */
	struct http_header *headers;
	size_t nheaders, hdr_cap, header_bytes;
	int headers_done, complete, keep_alive;
	struct buf body;                      /* whole body, or a stream's chunk being reassembled */
	const char *chunk_ptr;                /* a stream's chunk that arrived in one piece */
	uint64_t chunk_size, chunk_got;
	struct http_client_response resp;
};

struct http_client {
	uv_loop_t *loop;
	struct http_client_config cfg;        /* strings copied below */
	char *host;                           /* without brackets */
	char *host_header;                    /* "host:port", "[v6]:port" */
	char *server_name, *user_agent, *ca_pem, *cert_pem, *key_pem;
	int port;
	struct tls_config *tls;               /* NULL: plain HTTP */
	struct sockaddr_storage addrs[HC__MAX_ADDRS];
	size_t naddrs, addr_cur, addr_failures;
	int literal;                          /* host is an address: never resolved */
	int resolving;
	uv_getaddrinfo_t gai;
	struct hc__conn *conns, *idle;
	size_t nconns, nconnecting, nidle;
	struct http_client_req *qhead, *qtail;
	size_t nqueued;
	int refs, closing, api_depth, pumping, pump_again;
	uv_timer_t anchor;
	void (*close_cb)(void *arg);
	void *close_arg;
	struct http_client_stats stats;
	struct buf plain;                     /* decrypted input being parsed */
	char rbuf[65536];
};

static void hc__pump(struct http_client *c);
static void hc__conn_close(struct hc__conn *k, int err, const char *msg);
static void hc__conn_flush(struct hc__conn *k);

/* ---- reference counts ---- */

static void hc__client_freed(uv_handle_t *h)
{
	struct http_client *c = h->data;
	void (*cb)(void *) = c->close_cb;
	void *arg = c->close_arg;
	tls_config_free(c->tls);
	free(c->host);
	free(c->host_header);
	free(c->server_name);
	free(c->user_agent);
	free(c->ca_pem);
	free(c->cert_pem);
	free(c->key_pem);
	buf_release(&c->plain);
	free(c);
	if (cb)
		cb(arg);
}

static void hc__client_unref(struct http_client *c)
{
	assert(c->refs > 0);
	if (--c->refs == 0) {
		assert(c->closing && !c->conns && !c->qhead);
		uv_close((uv_handle_t *)&c->anchor, hc__client_freed);
	}
}

static void hc__conn_ref(struct hc__conn *k)
{
	k->refs++;
}

static void hc__conn_unref(struct hc__conn *k)
{
	struct http_client *c = k->client;
	assert(k->refs > 0);
	if (--k->refs > 0)
		return;
	assert(k->state == HC__CLOSED && k->handles == 0 && !k->req && !k->writing);
	if (k->has_tls)
		tls_session_release(&k->tls);
	buf_release(&k->out);
	if (k->prev)
		k->prev->next = k->next;
	else
		c->conns = k->next;
	if (k->next)
		k->next->prev = k->prev;
	c->nconns--;
	free(k);
	hc__client_unref(c);
}

/* ---- requests: queue, completion ---- */

static void hc__queue_remove(struct http_client *c, struct http_client_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		c->qhead = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		c->qtail = r->prev;
	r->prev = r->next = NULL;
	c->nqueued--;
}

/* Adds r to the queue: at the end, or at the front (a retry keeps its turn). */
static void hc__queue_add(struct http_client *c, struct http_client_req *r, int front)
{
	r->state = HC__QUEUED;
	r->conn = NULL;
	if (front) {
		r->next = c->qhead;
		r->prev = NULL;
		if (c->qhead)
			c->qhead->prev = r;
		else
			c->qtail = r;
		c->qhead = r;
	} else {
		r->prev = c->qtail;
		r->next = NULL;
		if (c->qtail)
			c->qtail->next = r;
		else
			c->qhead = r;
		c->qtail = r;
	}
	c->nqueued++;
}

static void hc__req_freed(uv_handle_t *h)
{
	struct http_client_req *r = h->data;
	struct http_client *c = r->client;
	buf_release(&r->wire);
	buf_release(&r->errmsg);
	buf_release(&r->strings);
	buf_release(&r->body);
	free(r->hdr);
	free(r->headers);
	free(r);
	hc__client_unref(c);
}

/* Calls the done callback of an ended request and closes its timer (which frees it). */
static void hc__req_deliver(struct http_client_req *r)
{
	struct http_client_response *resp = &r->resp;
	assert(r->state == HC__DONE);
	uv_timer_stop(&r->timer);
	resp->status = r->status;
	if (!r->headers_done) {
		resp->headers = NULL;
		resp->nheaders = 0;
	}
	resp->body = r->on_data || !r->body.data || r->err ? "" : r->body.data;
	resp->body_len = r->on_data || r->err ? 0 : r->body.len;
	resp->error = buf_str(&r->errmsg);
	r->on_done(r, r->err, resp);
	uv_close((uv_handle_t *)&r->timer, hc__req_freed);
}

static void hc__on_req_deferred(uv_timer_t *t)
{
	hc__req_deliver(t->data);
}

/* Ends a request with err (0: its response is complete) and detaches it from the queue or its
 * connection. The done callback runs now, or from the loop inside a public function. A request
 * in flight with an error closes its connection. */
static void hc__req_end(struct http_client_req *r, int err, const char *msg)
{
	struct http_client *c = r->client;
	struct hc__conn *k = r->conn;
	if (r->state == HC__DONE)
		return;
	if (r->state == HC__QUEUED)
		hc__queue_remove(c, r);
	r->state = HC__DONE;
	r->conn = NULL;
	r->err = err;
	if (err && msg)
		buf_adds(&r->errmsg, msg);
	if (k && k->req == r) {
		k->req = NULL;
		if (err)
			hc__conn_close(k, 0, NULL);
	}
	if (c->api_depth > 0)
		uv_timer_start(&r->timer, hc__on_req_deferred, 0, 0);
	else
		hc__req_deliver(r);
}

static void hc__on_req_timeout(uv_timer_t *t)
{
	struct http_client_req *r = t->data;
	char msg[80];
	snprintf(msg, sizeof(msg), "the request timed out after %llu ms",
		 (unsigned long long)r->timeout_ms);
	hc__req_end(r, -ETIMEDOUT, msg);
}

/* The queued request that waited longest fails: opening a connection for it failed. */
static void hc__fail_head(struct http_client *c, int err, const char *msg)
{
	if (c->qhead)
		hc__req_end(c->qhead, err, msg);
}

/* ---- response parsing ---- */

static struct http_client_req *hc__parser_req(llhttp_t *p)
{
	struct hc__conn *k = p->data;
	return k->req;
}

/* Stops the parser, recording why (-EMSGSIZE for a limit, -EPROTO for what we do not
 * support); hc__conn_input then closes the connection with that error. */
static int hc__refuse(struct http_client_req *r, int err, const char *msg)
{
	r->refused_err = err;
	r->refused = msg;
	return -1;
}

static int hc__limit(struct http_client_req *r, const char *msg)
{
	return hc__refuse(r, -EMSGSIZE, msg);
}

static int hc__on_message_begin(llhttp_t *p)
{
	struct http_client_req *r = hc__parser_req(p);
	if (!r)
		return -1; /* a response nobody asked for */
	buf_reset(&r->strings);
	buf_reset(&r->body);
	r->span = SIZE_MAX;
	r->nheaders = r->header_bytes = 0;
	r->headers_done = 0;
	r->refused = NULL;
	return 0;
}

static void hc__span_add(struct http_client_req *r, const char *at, size_t len)
{
	if (r->span == SIZE_MAX)
		r->span = r->strings.len;
	buf_add(&r->strings, at, len);
}

static size_t hc__span_end(struct http_client_req *r)
{
	size_t start = r->span == SIZE_MAX ? r->strings.len : r->span;
	buf_addch(&r->strings, '\0');
	r->span = SIZE_MAX;
	return start;
}

static int hc__on_header_field(llhttp_t *p, const char *at, size_t len)
{
	struct http_client_req *r = hc__parser_req(p);
	struct hc__conn *k = p->data;
	r->header_bytes += len + 4;
	if (r->header_bytes > k->client->cfg.max_header_bytes)
		return hc__limit(r, "the response headers are too large");
	if (!r->headers_done)
		hc__span_add(r, at, len);
	return 0;
}

static int hc__on_header_field_complete(llhttp_t *p)
{
	struct http_client_req *r = hc__parser_req(p);
	if (r->headers_done)
		return 0;
	if (r->nheaders == HC__MAX_HEADERS)
		return hc__limit(r, "too many response headers");
	if (r->nheaders == r->hdr_cap) {
		r->hdr_cap = r->hdr_cap ? r->hdr_cap * 2 : 16;
		r->hdr = xrealloc(r->hdr, r->hdr_cap * sizeof(*r->hdr));
	}
	r->hdr[r->nheaders][0] = hc__span_end(r);
	return 0;
}

static int hc__on_header_value(llhttp_t *p, const char *at, size_t len)
{
	struct http_client_req *r = hc__parser_req(p);
	struct hc__conn *k = p->data;
	r->header_bytes += len;
	if (r->header_bytes > k->client->cfg.max_header_bytes)
		return hc__limit(r, "the response headers are too large");
	if (!r->headers_done)
		hc__span_add(r, at, len);
	return 0;
}

static int hc__on_header_value_complete(llhttp_t *p)
{
	struct http_client_req *r = hc__parser_req(p);
	if (r->headers_done)
		return 0;
	r->hdr[r->nheaders][1] = hc__span_end(r);
	r->nheaders++;
	return 0;
}

/* Turns the header offsets into the public array. */
static void hc__publish_headers(struct http_client_req *r)
{
	r->headers = xrealloc(r->headers, (r->nheaders ? r->nheaders : 1) * sizeof(*r->headers));
	for (size_t i = 0; i < r->nheaders; i++) {
		r->headers[i].name = r->strings.data + r->hdr[i][0];
		r->headers[i].value = r->strings.data + r->hdr[i][1];
	}
	r->resp.headers = r->headers;
	r->resp.nheaders = r->nheaders;
	r->resp.status = r->status;
	r->resp.body = "";
	r->resp.body_len = 0;
	r->resp.error = "";
}

static int hc__on_headers_complete(llhttp_t *p)
{
	struct hc__conn *k = p->data;
	struct http_client_req *r = k->req;
	r->status = p->status_code;
	r->headers_done = 1;
	hc__publish_headers(r);
	if (r->status == 101) /* TODO(issue 4 (exec/attach/port-forward)): upgrades */
		return hc__refuse(r, -EPROTO, "the server switched protocols: not supported");
	if (r->status < 200)
		return 1; /* 1xx: an interim answer without a body; the real one follows */
	if (!r->on_data && (p->flags & F_CONTENT_LENGTH) && p->content_length > k->client->cfg.max_body)
		return hc__limit(r, "the response body is too large");
	if (r->on_head) {
		r->on_head(r, &r->resp);
		if (k->req != r)
			return -1; /* cancelled */
	}
	return r->head || r->status == 204 || r->status == 304 ? 1 : 0;
}

/* Hands a stream's data to the user; returns 0, or -1 when the request went away meanwhile. */
static int hc__deliver_data(struct hc__conn *k, struct http_client_req *r, const char *at, size_t len)
{
	r->on_data(r, at, len);
	return k->req == r ? 0 : -1;
}

static int hc__on_chunk_header(llhttp_t *p)
{
	struct http_client_req *r = hc__parser_req(p);
	struct hc__conn *k = p->data;
	if (!r->on_data)
		return 0;
	if (p->content_length > k->client->cfg.max_body)
		return hc__limit(r, "a streamed chunk is too large");
	r->chunk_size = p->content_length;
	r->chunk_got = 0;
	r->chunk_ptr = NULL;
	buf_reset(&r->body);
	return 0;
}

static int hc__on_body(llhttp_t *p, const char *at, size_t len)
{
	struct hc__conn *k = p->data;
	struct http_client_req *r = k->req;
	if (r->on_data && !(p->flags & F_CHUNKED))
		return hc__deliver_data(k, r, at, len);
	if (!r->on_data) {
		if (r->body.len + len > k->client->cfg.max_body)
			return hc__limit(r, "the response body is too large");
		buf_add(&r->body, at, len);
		return 0;
	}
	/* A chunk of a stream: kept by reference when it arrives whole, else reassembled. */
	if (r->chunk_got == 0 && len == r->chunk_size) {
		r->chunk_ptr = at;
	} else {
		if (r->chunk_ptr) {
			buf_add(&r->body, r->chunk_ptr, r->chunk_got);
			r->chunk_ptr = NULL;
		}
		buf_add(&r->body, at, len);
	}
	r->chunk_got += len;
	return 0;
}

static int hc__on_chunk_complete(llhttp_t *p)
{
	struct hc__conn *k = p->data;
	struct http_client_req *r = k->req;
	if (!r->on_data || r->chunk_got == 0)
		return 0;
	const char *d = r->chunk_ptr ? r->chunk_ptr : r->body.data;
	size_t n = r->chunk_got;
	r->chunk_got = 0;
	r->chunk_ptr = NULL;
	int ret = hc__deliver_data(k, r, d, n);
	if (ret == 0)
		buf_reset(&r->body);
	return ret;
}

static int hc__on_message_complete(llhttp_t *p)
{
	struct http_client_req *r = hc__parser_req(p);
	if (r->status < 200)
		return 0; /* after an interim answer: go on with the next message */
	r->complete = 1;
	r->keep_alive = llhttp_should_keep_alive(p);
	return HPE_PAUSED;
}

static const llhttp_settings_t hc__settings = {
	.on_message_begin = hc__on_message_begin,
	.on_header_field = hc__on_header_field,
	.on_header_field_complete = hc__on_header_field_complete,
	.on_header_value = hc__on_header_value,
	.on_header_value_complete = hc__on_header_value_complete,
	.on_headers_complete = hc__on_headers_complete,
	.on_body = hc__on_body,
	.on_chunk_header = hc__on_chunk_header,
	.on_chunk_complete = hc__on_chunk_complete,
	.on_message_complete = hc__on_message_complete,
};

/* ---- connections: the idle pool ---- */

static void hc__idle_remove(struct hc__conn *k)
{
	struct http_client *c = k->client;
	if (k->idle_prev)
		k->idle_prev->idle_next = k->idle_next;
	else
		c->idle = k->idle_next;
	if (k->idle_next)
		k->idle_next->idle_prev = k->idle_prev;
	k->idle_prev = k->idle_next = NULL;
	c->nidle--;
}

static void hc__on_conn_timer(uv_timer_t *t)
{
	struct hc__conn *k = t->data;
	if (k->state == HC__IDLE) {
		hc__conn_close(k, 0, NULL);
		return;
	}
	char msg[80];
	snprintf(msg, sizeof(msg), "connecting timed out after %llu ms",
		 (unsigned long long)k->client->cfg.connect_timeout_ms);
	hc__conn_close(k, -ETIMEDOUT, msg);
}

/* The connection has nothing to do: back to the pool (most recently used first), or closed when
 * the pool is full or the client closing. Then queued requests may take it. */
static void hc__conn_idle(struct hc__conn *k)
{
	struct http_client *c = k->client;
	if (c->closing || (!c->qhead && c->nidle >= (size_t)c->cfg.max_idle)) {
		hc__conn_close(k, 0, NULL);
		return;
	}
	k->state = HC__IDLE;
	k->idle_prev = NULL;
	k->idle_next = c->idle;
	if (c->idle)
		c->idle->idle_prev = k;
	c->idle = k;
	c->nidle++;
	uv_timer_start(&k->timer, hc__on_conn_timer, c->cfg.idle_timeout_ms, 0);
	hc__pump(c);
}

/* Sends r on the idle connection k. */
static void hc__conn_start(struct hc__conn *k, struct http_client_req *r)
{
	struct http_client *c = k->client;
	assert(k->state == HC__IDLE && !k->req);
	hc__idle_remove(k);
	uv_timer_stop(&k->timer);
	k->state = HC__BUSY;
	k->req = r;
	k->got_bytes = 0;
	r->state = HC__SENT;
	r->conn = k;
	r->complete = 0;
	c->stats.requests++;
	if (k->served)
		c->stats.reused++;
	if (k->has_tls) {
		int ret = tls_session_send(&k->tls, r->wire.data, r->wire.len);
		if (ret < 0) {
			hc__conn_close(k, -EPROTO, "TLS: encrypting the request failed");
			return;
		}
	} else {
		buf_add(&k->out, r->wire.data, r->wire.len);
	}
	hc__conn_flush(k);
}

/* ---- connections: closing ---- */

static void hc__on_conn_handle_closed(uv_handle_t *h)
{
	struct hc__conn *k = h->data;
	if (--k->handles == 0)
		hc__conn_unref(k);
}

/* A connection that was being opened failed: try the next address, or fail a queued request. */
static void hc__connect_failed(struct hc__conn *k, int err, const char *msg, int tcp_level)
{
	struct http_client *c = k->client;
	if (tcp_level && k->addr == c->addr_cur && ++c->addr_failures < c->naddrs) {
		c->addr_cur = (c->addr_cur + 1) % c->naddrs;
		log_debug("http client: %s: %s; trying the next address", c->host_header, msg);
		return;
	}
	c->addr_failures = 0;
	if (tcp_level && !c->literal)
		c->naddrs = 0; /* resolve again next time */
	hc__fail_head(c, err, msg);
}

/* Whether the request on a connection that ended before any response byte may be sent again. */
static int hc__may_retry(const struct hc__conn *k, const struct http_client_req *r, int err)
{
	return k->served > 0 && !k->got_bytes && r->idempotent && !r->retried &&
	       !k->client->closing && (err == -ECONNRESET || err == UV_EOF || err == -EPIPE);
}

/* Closes a connection. err != 0 is a failure: the request in flight ends with it (or is sent
 * again, see hc__may_retry), and a connection still being opened fails a queued request. */
static void hc__conn_close(struct hc__conn *k, int err, const char *msg)
{
	struct http_client *c = k->client;
	enum hc__cstate was = k->state;
	if (was == HC__CLOSED)
		return;
	hc__conn_ref(k);
	k->state = HC__CLOSED;
	if (was == HC__IDLE)
		hc__idle_remove(k);
	if (was == HC__CONNECTING || was == HC__HANDSHAKE)
		c->nconnecting--;
	uv_close((uv_handle_t *)&k->tcp, hc__on_conn_handle_closed);
	uv_close((uv_handle_t *)&k->timer, hc__on_conn_handle_closed);
	struct http_client_req *r = k->req;
	if (r && hc__may_retry(k, r, err)) {
		k->req = NULL;
		r->retried = 1;
		hc__queue_add(c, r, 1);
	} else if (r) {
		hc__req_end(r, err ? (err == UV_EOF ? -ECONNRESET : err) : -ECONNRESET,
			    msg ? msg : "the connection closed");
	} else if (err && (was == HC__CONNECTING || was == HC__HANDSHAKE)) {
		hc__connect_failed(k, err, msg ? msg : "connecting failed", was == HC__CONNECTING);
	}
	hc__pump(c);
	hc__conn_unref(k);
}

/* ---- connections: writing ---- */

static void hc__on_write(uv_write_t *w, int status)
{
	struct hc__conn *k = w->data;
	free(k->wbuf);
	k->wbuf = NULL;
	k->writing = 0;
	if (k->state == HC__CLOSED) {
		hc__conn_unref(k);
		return;
	}
	if (status < 0) {
		char msg[96];
		snprintf(msg, sizeof(msg), "writing the request: %s", uv_strerror(status));
		hc__conn_close(k, status, msg);
	} else {
		hc__conn_flush(k);
	}
	hc__conn_unref(k);
}

/* Writes what is queued (TLS records or plain bytes), one uv_write at a time. */
static void hc__conn_flush(struct hc__conn *k)
{
	struct buf *b = k->has_tls ? &k->tls.out : &k->out;
	size_t len;
	if (k->writing || k->state == HC__CLOSED || b->len == 0)
		return;
	k->wbuf = buf_detach(b, &len);
	uv_buf_t ub = uv_buf_init(k->wbuf, (unsigned)len);
	k->wreq.data = k;
	int ret = uv_write(&k->wreq, (uv_stream_t *)&k->tcp, &ub, 1, hc__on_write);
	if (ret < 0) {
		free(k->wbuf);
		k->wbuf = NULL;
		char msg[96];
		snprintf(msg, sizeof(msg), "writing the request: %s", uv_strerror(ret));
		hc__conn_close(k, ret, msg);
		return;
	}
	k->writing = 1;
	hc__conn_ref(k); /* for the write callback, which runs after a close too */
}

/* ---- connections: reading ---- */

static void hc__alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct hc__conn *k = h->data;
	UNUSED(suggested);
	*b = uv_buf_init(k->client->rbuf, sizeof(k->client->rbuf));
}

/* The response is complete: the connection goes back to the pool (or closes), then the done
 * callback runs. */
static void hc__response_done(struct hc__conn *k, int leftover)
{
	struct http_client_req *r = k->req;
	int keep = r->keep_alive && !leftover;
	k->req = NULL;
	k->served++;
	r->conn = NULL;
	if (keep)
		hc__conn_idle(k);
	else
		hc__conn_close(k, 0, NULL);
	hc__req_end(r, 0, NULL);
}

/* Parses plaintext response bytes. */
static void hc__conn_input(struct hc__conn *k, const char *data, size_t len)
{
	struct http_client_req *r = k->req;
	if (k->state != HC__BUSY || !r) {
		hc__conn_close(k, 0, NULL); /* bytes while idle: the server is saying goodbye */
		return;
	}
	k->got_bytes = 1;
	llhttp_errno_t e = llhttp_execute(&k->parser, data, len);
	if (k->state == HC__CLOSED || k->req != r)
		return;
	if (e == HPE_OK) {
		if (r->chunk_ptr) {
			/* A whole chunk whose end has not arrived: data is about to be reused. */
			buf_add(&r->body, r->chunk_ptr, r->chunk_got);
			r->chunk_ptr = NULL;
		}
		return;
	}
	if (e == HPE_PAUSED && r->complete) {
		size_t used = (size_t)(llhttp_get_error_pos(&k->parser) - data);
		llhttp_resume(&k->parser);
		hc__response_done(k, used < len);
		return;
	}
	if (r->refused) {
		hc__conn_close(k, r->refused_err, r->refused);
		return;
	}
	char *msg = xasprintf("malformed HTTP response: %s", llhttp_get_error_reason(&k->parser));
	hc__conn_close(k, -EPROTO, msg);
	free(msg);
}

/* The server closed its side (or the socket failed): a body that ends with the connection is
 * complete now; anything else in flight was cut. */
static void hc__conn_eof(struct hc__conn *k, int err)
{
	struct http_client_req *r = k->req;
	if (r && err == UV_EOF && r->headers_done && llhttp_message_needs_eof(&k->parser)) {
		llhttp_finish(&k->parser);
		if (r->complete && k->req == r) {
			r->keep_alive = 0;
			hc__response_done(k, 0);
			return;
		}
	}
	if (k->state == HC__HANDSHAKE) {
		hc__conn_close(k, -ECONNRESET, "the server closed the connection during the TLS handshake");
		return;
	}
	char msg[120];
	snprintf(msg, sizeof(msg), "the server closed the connection before the response ended%s%s",
		 err == UV_EOF ? "" : ": ", err == UV_EOF ? "" : uv_strerror(err));
	hc__conn_close(k, err == UV_EOF ? -ECONNRESET : err, msg);
}

static void hc__handshake_done(struct hc__conn *k)
{
	struct http_client *c = k->client;
	const char *alpn = tls_session_alpn(&k->tls);
	if (alpn && strcmp(alpn, "http/1.1") != 0) {
		hc__conn_close(k, -EPROTO, "the server chose an ALPN protocol other than http/1.1");
		return;
	}
	c->stats.connects++;
	if (tls_session_resumed(&k->tls))
		c->stats.resumed++;
	c->nconnecting--;
	k->state = HC__BUSY; /* leaving the connecting states; hc__conn_idle makes it IDLE */
	hc__conn_idle(k);
}

/* Ciphertext arrived: advance the handshake, decrypt and parse. */
static void hc__tls_input(struct hc__conn *k, const char *data, size_t len)
{
	struct http_client *c = k->client;
	int was = k->tls.established;
	int ret = tls_session_recv(&k->tls, data, len, &c->plain);
	if (k->tls.out.len > 0)
		hc__conn_flush(k);
	if (ret < 0) {
		struct buf msg = BUF_INIT;
		buf_adds(&msg, "TLS: ");
		tls_session_strerror(&k->tls, ret, &msg);
		buf_reset(&c->plain);
		hc__conn_close(k, ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED ? -EACCES : -EPROTO,
			       msg.data);
		buf_release(&msg);
		return;
	}
	if (!was && k->tls.established)
		hc__handshake_done(k);
	if (c->plain.len > 0 && k->state != HC__CLOSED) {
		/* Detach the shared buffer: a callback may close connections, never read. */
		hc__conn_input(k, c->plain.data, c->plain.len);
	}
	buf_reset(&c->plain);
	if (ret == 1 && k->state != HC__CLOSED)
		hc__conn_eof(k, UV_EOF);
}

static void hc__on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct hc__conn *k = s->data;
	if (n == 0 || k->state == HC__CLOSED)
		return;
	hc__conn_ref(k);
	if (n < 0)
		hc__conn_eof(k, (int)n);
	else if (k->has_tls)
		hc__tls_input(k, b->base, (size_t)n);
	else
		hc__conn_input(k, b->base, (size_t)n);
	hc__conn_unref(k);
}

/* ---- connections: opening ---- */

static void hc__on_connect(uv_connect_t *creq, int status)
{
	struct hc__conn *k = creq->data;
	struct http_client *c = k->client;
	if (k->state == HC__CLOSED)
		return;
	if (status < 0) {
		char msg[160];
		snprintf(msg, sizeof(msg), "connecting to %s: %s", c->host_header, uv_strerror(status));
		hc__conn_close(k, status, msg);
		return;
	}
	c->addr_failures = 0;
	uv_tcp_nodelay(&k->tcp, 1);
	uv_tcp_keepalive(&k->tcp, 1, 60);
	if (uv_read_start((uv_stream_t *)&k->tcp, hc__alloc, hc__on_read) != 0) {
		hc__conn_close(k, -EIO, "cannot read from the socket");
		return;
	}
	if (!c->tls) {
		c->stats.connects++;
		c->nconnecting--;
		k->state = HC__BUSY;
		hc__conn_idle(k);
		return;
	}
	k->state = HC__HANDSHAKE;
	if (tls_session_init_client(&k->tls, c->tls, c->server_name) != 0) {
		hc__conn_close(k, -EPROTO, "TLS: cannot start a session");
		return;
	}
	k->has_tls = 1;
	hc__conn_flush(k);
}

/* Opens a new connection to the current address. */
static void hc__conn_open(struct http_client *c)
{
	struct hc__conn *k = xcalloc(1, sizeof(*k));
	k->client = c;
	k->refs = 1; /* for the handles */
	k->handles = 2;
	k->state = HC__CONNECTING;
	k->addr = c->addr_cur;
	llhttp_init(&k->parser, HTTP_RESPONSE, &hc__settings);
	k->parser.data = k;
	k->next = c->conns;
	if (c->conns)
		c->conns->prev = k;
	c->conns = k;
	c->nconns++;
	c->nconnecting++;
	c->refs++;
	uv_tcp_init(c->loop, &k->tcp);
	uv_timer_init(c->loop, &k->timer);
	k->tcp.data = k->timer.data = k->creq.data = k;
	uv_timer_start(&k->timer, hc__on_conn_timer, c->cfg.connect_timeout_ms, 0);
	int ret = uv_tcp_connect(&k->creq, &k->tcp, (const struct sockaddr *)&c->addrs[k->addr],
				 hc__on_connect);
	if (ret < 0) {
		char msg[160];
		snprintf(msg, sizeof(msg), "connecting to %s: %s", c->host_header, uv_strerror(ret));
		hc__conn_close(k, ret, msg);
	}
}

/* ---- name resolution ---- */

static void hc__on_resolved(uv_getaddrinfo_t *gai, int status, struct addrinfo *res)
{
	struct http_client *c = gai->data;
	c->resolving = 0;
	c->naddrs = c->addr_cur = c->addr_failures = 0;
	for (struct addrinfo *a = res; a && c->naddrs < HC__MAX_ADDRS; a = a->ai_next) {
		if (a->ai_family != AF_INET && a->ai_family != AF_INET6)
			continue;
		memset(&c->addrs[c->naddrs], 0, sizeof(c->addrs[0]));
		memcpy(&c->addrs[c->naddrs], a->ai_addr, a->ai_addrlen);
		c->naddrs++;
	}
	uv_freeaddrinfo(res);
	if (!c->closing && c->naddrs == 0) {
		char *msg = xasprintf("resolving %s: %s", c->host,
				      status < 0 ? uv_strerror(status) : "no IPv4 or IPv6 address");
		int err = status < 0 ? status : UV_EAI_NONAME;
		while (c->qhead)
			hc__req_end(c->qhead, err, msg);
		free(msg);
	}
	if (!c->closing)
		hc__pump(c);
	hc__client_unref(c);
}

static void hc__resolve(struct http_client *c)
{
	struct addrinfo hints;
	char port[16];
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", c->port);
	c->gai.data = c;
	c->resolving = 1;
	c->refs++;
	int ret = uv_getaddrinfo(c->loop, &c->gai, hc__on_resolved, c->host, port, &hints);
	if (ret < 0) {
		c->resolving = 0;
		c->refs--;
		char *msg = xasprintf("resolving %s: %s", c->host, uv_strerror(ret));
		while (c->qhead)
			hc__req_end(c->qhead, ret, msg);
		free(msg);
	}
}

/* ---- the pump ---- */

/* Matches queued requests with idle connections, and opens connections for the others. */
static void hc__pump(struct http_client *c)
{
	if (c->pumping) {
		c->pump_again = 1;
		return;
	}
	c->pumping = 1;
	do {
		c->pump_again = 0;
		while (c->qhead && !c->closing) {
			if (c->idle) {
				struct http_client_req *r = c->qhead;
				hc__queue_remove(c, r);
				hc__conn_start(c->idle, r);
				continue;
			}
			if (c->nconnecting >= c->nqueued || c->resolving)
				break;
			if (c->cfg.max_conns > 0 && c->nconns >= (size_t)c->cfg.max_conns)
				break;
			if (c->naddrs == 0) {
				hc__resolve(c);
				break;
			}
			hc__conn_open(c);
		}
	} while (c->pump_again);
	c->pumping = 0;
}

/* ---- the public interface ---- */

void http_client_config_init(struct http_client_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->user_agent = "kube";
	cfg->connect_timeout_ms = 10000;
	cfg->idle_timeout_ms = 60000;
	cfg->max_conns = 0;
	cfg->max_idle = 32;
	cfg->max_body = 64u << 20;
	cfg->max_header_bytes = 1u << 20;
}

static char *hc__dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Parses the host: an IP literal (IPv6 maybe in brackets) fills the address; anything else must
 * look like a DNS name. Sets c->host and c->host_header. Returns 0 or -KUBE_EINVAL. */
static int hc__set_host(struct http_client *c, const char *host, int port)
{
	size_t n = strlen(host);
	int v6 = 0;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		c->host = xstrndup(host + 1, n - 2);
	else
		c->host = xstrdup(host);
	if (uv_ip4_addr(c->host, port, (struct sockaddr_in *)&c->addrs[0]) == 0) {
		c->literal = 1;
	} else if (uv_ip6_addr(c->host, port, (struct sockaddr_in6 *)&c->addrs[0]) == 0) {
		c->literal = v6 = 1;
	} else {
		if (!*c->host || strlen(c->host) > 253)
			return -KUBE_EINVAL;
		for (const char *p = c->host; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'))
				return -KUBE_EINVAL;
	}
	c->naddrs = c->literal;
	c->host_header = xasprintf(v6 ? "[%s]:%d" : "%s:%d", c->host, port);
	return 0;
}

int http_client_new(uv_loop_t *loop, const char *host, int port, const struct http_client_config *cfg,
		    struct http_client **out, struct buf *err)
{
	struct http_client_config d;
	struct http_client *c = xcalloc(1, sizeof(*c));
	int ret = 0;
	http_client_config_init(&d);
	c->loop = loop;
	c->cfg = *cfg;
	c->port = port;
	c->refs = 1;
	if (port <= 0 || port > 65535 || hc__set_host(c, host, port) != 0) {
		if (err)
			buf_addf(err, "invalid server address \"%s\" port %d", host, port);
		ret = -KUBE_EINVAL;
		goto fail;
	}
	if (cfg->ca_pem && (ret = tls_client_config_new(cfg->ca_pem, cfg->cert_pem, cfg->key_pem,
							 &c->tls, err)) != 0)
		goto fail;
	c->server_name = xstrdup(cfg->server_name ? cfg->server_name : c->host);
	c->user_agent = hc__dup(cfg->user_agent);
	c->cfg.ca_pem = c->ca_pem = hc__dup(cfg->ca_pem);
	c->cfg.cert_pem = c->cert_pem = hc__dup(cfg->cert_pem);
	c->cfg.key_pem = c->key_pem = hc__dup(cfg->key_pem);
	c->cfg.server_name = c->server_name;
	c->cfg.user_agent = c->user_agent;
	if (!c->cfg.connect_timeout_ms)
		c->cfg.connect_timeout_ms = d.connect_timeout_ms;
	if (!c->cfg.idle_timeout_ms)
		c->cfg.idle_timeout_ms = d.idle_timeout_ms;
	if (c->cfg.max_idle <= 0)
		c->cfg.max_idle = d.max_idle;
	if (!c->cfg.max_body)
		c->cfg.max_body = d.max_body;
	if (!c->cfg.max_header_bytes)
		c->cfg.max_header_bytes = d.max_header_bytes;
	uv_timer_init(loop, &c->anchor);
	c->anchor.data = c;
	*out = c;
	return 0;
fail:
	tls_config_free(c->tls);
	free(c->host);
	free(c->host_header);
	free(c);
	return ret;
}

static int hc__is_token(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 127 || strchr("\"(),/:;<=>?@[\\]{}", *s))
			return 0;
	return 1;
}

/* Header values may hold spaces and tabs, request targets may not; no control characters. */
static int hc__is_text(const char *s, int spaces)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == 127 || (ch < ' ' && ch != '\t'))
			return 0;
		if (!spaces && (ch == ' ' || ch == '\t'))
			return 0;
	}
	return 1;
}

/* Checks a request and writes it to r->wire. Returns 0 or -KUBE_EINVAL. */
static int hc__serialize(struct http_client *c, const struct http_client_request *q,
			 struct http_client_req *r)
{
	static const char *const idem[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS" };
	int has_ua = 0;
	if (!q->method || !hc__is_token(q->method) || !q->target || q->target[0] != '/' ||
	    !hc__is_text(q->target, 0) || !q->on_done || (q->nheaders && !q->headers))
		return -KUBE_EINVAL;
	buf_addf(&r->wire, "%s %s HTTP/1.1\r\nHost: %s\r\n", q->method, q->target, c->host_header);
	for (size_t i = 0; i < q->nheaders; i++) {
		const struct http_header *h = &q->headers[i];
		if (!h->name || !h->value || !hc__is_token(h->name) || !hc__is_text(h->value, 1) ||
		    !strcasecmp(h->name, "Host") || !strcasecmp(h->name, "Content-Length") ||
		    !strcasecmp(h->name, "Transfer-Encoding"))
			return -KUBE_EINVAL;
		has_ua |= !strcasecmp(h->name, "User-Agent");
		buf_addf(&r->wire, "%s: %s\r\n", h->name, h->value);
	}
	if (!has_ua && c->user_agent)
		buf_addf(&r->wire, "User-Agent: %s\r\n", c->user_agent);
	if (q->body_len > 0 || !strcmp(q->method, "POST") || !strcmp(q->method, "PUT") ||
	    !strcmp(q->method, "PATCH"))
		buf_addf(&r->wire, "Content-Length: %zu\r\n", q->body_len);
	buf_adds(&r->wire, "\r\n");
	if (q->body_len > 0)
		buf_add(&r->wire, q->body, q->body_len);
	for (size_t i = 0; i < ARRAY_SIZE(idem); i++)
		r->idempotent |= !strcmp(q->method, idem[i]);
	r->head = !strcmp(q->method, "HEAD");
	return 0;
}

int http_client_send(struct http_client *c, const struct http_client_request *q,
		     struct http_client_req **out)
{
	if (c->closing)
		return -KUBE_ECLOSED;
	/* The loop's cached time may be old (the caller may have blocked since the loop last
	 * polled): timers started now must count from now. */
	uv_update_time(c->loop);
	struct http_client_req *r = xcalloc(1, sizeof(*r));
	r->client = c;
	r->span = SIZE_MAX;
	if (hc__serialize(c, q, r) != 0) {
		buf_release(&r->wire);
		free(r);
		return -KUBE_EINVAL;
	}
	r->on_head = q->on_head;
	r->on_data = q->on_data;
	r->on_done = q->on_done;
	r->data = q->data;
	r->timeout_ms = q->timeout_ms;
	c->refs++;
	uv_timer_init(c->loop, &r->timer);
	r->timer.data = r;
	if (r->timeout_ms)
		uv_timer_start(&r->timer, hc__on_req_timeout, r->timeout_ms, 0);
	if (out)
		*out = r;
	c->api_depth++;
	hc__queue_add(c, r, 0);
	hc__pump(c);
	c->api_depth--;
	return 0;
}

void http_client_cancel(struct http_client_req *r)
{
	struct http_client *c = r->client;
	c->api_depth++;
	hc__req_end(r, -ECANCELED, "the request was cancelled");
	c->api_depth--;
}

void *http_client_req_data(const struct http_client_req *r)
{
	return r->data;
}

const char *http_client_header(const struct http_client_response *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

void http_client_stats(const struct http_client *c, struct http_client_stats *out)
{
	*out = c->stats;
	out->conns = c->nconns;
	out->idle = c->nidle;
	out->queued = c->nqueued;
}

void http_client_close(struct http_client *c, void (*cb)(void *arg), void *arg)
{
	assert(!c->closing);
	c->closing = 1;
	c->close_cb = cb;
	c->close_arg = arg;
	c->api_depth++;
	while (c->qhead)
		hc__req_end(c->qhead, -ECANCELED, "the client was closed");
	c->refs++; /* connections may be freed while we walk them */
	struct hc__conn *k = c->conns;
	while (k) {
		hc__conn_ref(k);
		hc__conn_close(k, -ECANCELED, "the client was closed");
		struct hc__conn *next = k->next;
		hc__conn_unref(k);
		k = next;
	}
	if (c->resolving)
		uv_cancel((uv_req_t *)&c->gai);
	c->api_depth--;
	c->refs--;
	hc__client_unref(c);
}
