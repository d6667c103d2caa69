/*
 * http_server.c - the listener and the TCP transport of lib/http: accepting, reading, TLS,
 * writing, timers and graceful closing, all on one libuv loop.
 *
 * DESIGN
 * Each TCP connection embeds two handles, the socket and a timer, and drops its transport
 * reference when both close callbacks have run. One timer per connection implements every
 * deadline (see enum http__timer): the TLS handshake and request headers (header_timeout),
 * idleness between requests and body progress (idle_timeout), and closing.
 *
 * Reads land in one buffer shared by the whole server (srv->rbuf): a read callback consumes
 * its bytes before returning (decrypting them, or appending them to conn->in). Reading stops
 * while more than HTTP__MAX_PENDING bytes of unparsed input wait behind an active request.
 *
 * Closing gracefully (after Connection: close, an error answer, or a TLS failure) writes the
 * queued output, a TLS close_notify, then shuts the socket down and reads until the client
 * closes too or HTTP__LINGER_MS pass: closing with unread input would make the kernel send a
 * reset that can destroy the response in flight (e.g. a 413 sent before the body was read).
 */
#include "http_internal.h"
#include "log.h"
#include "util.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/error.h>

/* ---- timers ---- */

static void http__on_timer(uv_timer_t *t)
{
	struct http_conn *c = t->data;
	if (c->timer_mode == HTTP__T_HEADER) {
		http__conn_error(c, 408, "Timeout", "timed out reading the request headers");
		return;
	}
	log_debug("http: %s: timeout (%d), closing", c->remote, (int)c->timer_mode);
	http__conn_close_now(c);
}

void http__tcp_timer(struct http_conn *c, enum http__timer mode)
{
	const struct http_server_config *cfg = &c->srv->cfg;
	uint64_t ms = 0;
	if (c->state == HTTP__CLOSED)
		return;
	switch (mode) {
	case HTTP__T_NONE:
		break;
	case HTTP__T_HANDSHAKE:
	case HTTP__T_HEADER:
		ms = cfg->header_timeout_ms;
		break;
	case HTTP__T_IDLE:
	case HTTP__T_BODY:
		ms = cfg->idle_timeout_ms;
		break;
	case HTTP__T_CLOSING:
		ms = c->shut ? MIN(cfg->idle_timeout_ms, HTTP__LINGER_MS) : cfg->idle_timeout_ms;
		break;
	}
	c->timer_mode = mode;
	if (mode == HTTP__T_NONE)
		uv_timer_stop(&c->timer);
	else
		uv_timer_start(&c->timer, http__on_timer, ms, 0);
}

/* ---- closing ---- */

static void http__on_handle_closed(uv_handle_t *h)
{
	struct http_conn *c = h->data;
	if (--c->handles == 0)
		http__conn_transport_gone(c);
}

void http__tcp_close(struct http_conn *c)
{
	assert(c->state == HTTP__CLOSED);
	uv_close((uv_handle_t *)&c->tcp, http__on_handle_closed);
	uv_close((uv_handle_t *)&c->timer, http__on_handle_closed);
}

static void http__on_shutdown(uv_shutdown_t *req, int status)
{
	struct http_conn *c = req->handle->data;
	if (status < 0 || c->state == HTTP__CLOSED || c->peer_eof) {
		http__conn_close_now(c);
		return;
	}
	/* Linger: read (and discard) until the client closes, or the timer fires. */
	http__tcp_timer(c, HTTP__T_CLOSING);
	http__tcp_read_update(c);
}

/* Everything is written: say goodbye (TLS close_notify first), then shut down. */
static void http__tcp_shutdown(struct http_conn *c)
{
	if (c->tls && c->tls->established && !c->tls_failed && !c->notified) {
		c->notified = 1;
		tls_session_close_notify(c->tls);
		if (c->tls->out.len > 0) {
			http__tcp_flush(c);
			return;
		}
	}
	c->shut = 1;
	if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, http__on_shutdown) != 0)
		http__conn_close_now(c);
}

/* ---- writing ---- */

static void http__write_release(struct http_conn *c)
{
	for (size_t i = 0; i < c->nwsegs; i++)
		http__seg_release(&c->wsegs[i]);
	c->nwsegs = 0;
	/* Keep the ciphertext buffer for the next write unless a big response made it large. */
	if (c->wtls.cap > 64 * 1024)
		buf_release(&c->wtls);
	else
		buf_reset(&c->wtls);
	c->queued -= MIN(c->queued, c->inflight);
	c->inflight = 0;
	c->writing = 0;
}

static void http__on_write(uv_write_t *w, int status)
{
	struct http_conn *c = w->handle->data;
	http__write_release(c);
	if (status < 0) {
		if (c->state != HTTP__CLOSED)
			log_debug("http: %s: write: %s", c->remote, uv_strerror(status));
		http__conn_close_now(c);
		return;
	}
	http__tcp_flush(c);
}

/* Writes bufs: at once when the socket takes them all (most writes: no write request, no
 * callback, no poll registration), else what is left through a write request. */
static void http__start_write(struct http_conn *c, const uv_buf_t *bufs, unsigned n)
{
	uv_buf_t rest[HTTP__WRITE_SEGS];
	size_t total = 0, skip;
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++)
		total += bufs[i].len;
	c->writing = 1;
	int w = uv_try_write((uv_stream_t *)&c->tcp, bufs, n);
	if (w >= 0 && (size_t)w == total) {
		http__write_release(c);
		return;
	}
	if (w < 0 && w != UV_EAGAIN) {
		http__write_release(c);
		http__conn_close_now(c);
		return;
	}
	skip = w > 0 ? (size_t)w : 0;
	for (unsigned i = 0; i < n && k < HTTP__WRITE_SEGS; i++) {
		if (skip >= bufs[i].len) {
			skip -= bufs[i].len;
			continue;
		}
		rest[k++] = uv_buf_init(bufs[i].base + skip, (unsigned)(bufs[i].len - skip));
		skip = 0;
	}
	if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, rest, k, http__on_write) != 0) {
		http__write_release(c);
		http__conn_close_now(c);
	}
}

/* Plain TCP: hands up to HTTP__WRITE_SEGS queued segments to the kernel as they are. */
static int http__write_plain(struct http_conn *c)
{
	uv_buf_t bufs[HTTP__WRITE_SEGS];
	size_t n = 0, bytes = 0;
	while (n < HTTP__WRITE_SEGS && bytes < HTTP__WRITE_BATCH && http__seg_pop(c, &c->wsegs[n])) {
		struct http__seg *s = &c->wsegs[n];
		bufs[n] = uv_buf_init((s->rb ? s->rb->data : s->own) + s->off, (unsigned)s->len);
		bytes += s->len;
		n++;
	}
	if (n == 0)
		return 0;
	c->nwsegs = n;
	c->inflight = bytes;
	http__start_write(c, bufs, (unsigned)n);
	return 1;
}

/* TLS: encrypts up to HTTP__WRITE_BATCH bytes of queued output and writes the ciphertext, with
 * any handshake messages or alerts mbedTLS queued. Small segments (a chunk header, an event's
 * prefix, a stored object, the chunk's end) are first gathered into one plaintext run, so that
 * they become one TLS record rather than one each: a record costs a MAC and a header, and a
 * watch event is five segments. */
static int http__write_tls(struct http_conn *c)
{
	struct http__seg *s;
	struct buf *stage = &c->srv->stage;
	while (c->tls->established && c->tls->out.len < HTTP__WRITE_BATCH &&
	       (s = http__seg_peek(c)) != NULL) {
		buf_reset(stage);
		while ((s = http__seg_peek(c)) != NULL && stage->len < TLS__RECORD_PLAIN) {
			size_t n = MIN(s->len, TLS__RECORD_PLAIN - stage->len);
			buf_add(stage, (s->rb ? s->rb->data : s->own) + s->off, n);
			s->off += n;
			s->len -= n;
			if (s->len == 0) {
				struct http__seg done;
				http__seg_pop(c, &done);
				http__seg_release(&done);
			}
		}
		int r = tls_session_send(c->tls, stage->data, stage->len);
		if (r < 0) {
			log_debug("http: %s: TLS write failed (%d)", c->remote, r);
			c->inflight = 0;
			http__conn_close_now(c);
			return 1;
		}
		c->inflight += stage->len;
	}
	if (c->tls->out.len == 0)
		return 0;
	struct buf spare = c->wtls;
	c->wtls = c->tls->out;
	c->tls->out = spare;
	uv_buf_t b = uv_buf_init(c->wtls.data, (unsigned)c->wtls.len);
	http__start_write(c, &b, 1);
	return 1;
}

void http__tcp_flush(struct http_conn *c)
{
	for (;;) {
		if (c->state == HTTP__CLOSED || c->writing || c->shut)
			return;
		int started = c->tls ? http__write_tls(c) : http__write_plain(c);
		if (!started) {
			if (c->state == HTTP__DRAINING)
				http__tcp_shutdown(c);
			return;
		}
		/* Still writing: http__on_write goes on. Written at once: go on with the queue. */
	}
}

/* ---- reading ---- */

static void http__alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct http_conn *c = h->data;
	UNUSED(suggested);
	*b = uv_buf_init(c->srv->rbuf, sizeof(c->srv->rbuf));
}

/* Decrypts received bytes into conn->in; notes the peer when the handshake completes. Returns
 * 1 when the client sent close_notify, else 0. */
static int http__tls_input(struct http_conn *c, const char *data, size_t len)
{
	int was = c->tls->established;
	int r = tls_session_recv(c->tls, data, len, &c->in);
	if (!was && c->tls->established) {
		char *cn, **orgs;
		size_t norgs;
		if (tls_session_peer(c->tls, &cn, &orgs, &norgs))
			http__conn_set_peer(c, cn, orgs, norgs);
		http__tcp_timer(c, HTTP__T_IDLE);
	}
	if (r < 0) {
		char msg[128];
		mbedtls_strerror(r, msg, sizeof(msg));
		log_debug("http: %s: TLS: %s", c->remote, msg);
		c->tls_failed = 1;
		if (c->active)
			http__conn_close_now(c);
		else
			http__conn_drain(c); /* sends mbedTLS's alert */
	} else if (c->tls->out.len > 0) {
		http__tcp_flush(c);
	}
	return r == 1;
}

/* The client closed its side (FIN or TLS close_notify). Without a request in progress, what
 * is queued (the answers to a half-closing client) is still written; otherwise the client is
 * taken as gone and the active request is aborted. */
static void http__peer_eof(struct http_conn *c)
{
	c->peer_eof = 1;
	if (c->reading) {
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->reading = 0;
	}
	if (c->active || c->shut)
		http__conn_close_now(c);
	else
		http__conn_drain(c);
}

static void http__on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct http_conn *c = s->data;
	if (n == 0 || c->state == HTTP__CLOSED)
		return;
	if (n == UV_EOF) {
		http__peer_eof(c);
		return;
	}
	if (n < 0) {
		log_debug("http: %s: read: %s", c->remote, uv_strerror((int)n));
		http__conn_close_now(c);
		return;
	}
	if (c->state != HTTP__OPEN)
		return; /* draining or lingering: input is discarded */
	int eof = 0;
	http__conn_ref(c);
	if (c->tls)
		eof = http__tls_input(c, b->base, (size_t)n);
	else
		buf_add(&c->in, b->base, (size_t)n);
	if (c->state == HTTP__OPEN)
		http__conn_process(c);
	if (eof && c->state != HTTP__CLOSED)
		http__peer_eof(c);
	http__conn_unref(c);
}

void http__tcp_read_update(struct http_conn *c)
{
	if (c->state == HTTP__CLOSED || c->peer_eof)
		return;
	int want = c->state != HTTP__OPEN || c->in.len - c->in_off < HTTP__MAX_PENDING;
	if (want && !c->reading) {
		if (uv_read_start((uv_stream_t *)&c->tcp, http__alloc, http__on_read) == 0)
			c->reading = 1;
	} else if (!want && c->reading) {
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->reading = 0;
	}
}

/* ---- accepting ---- */

static void http__free_handle(uv_handle_t *h)
{
	free(h);
}

/* Over max_conns: accept the connection (to take it off the backlog) and close it. */
static void http__reject(struct http_server *srv)
{
	uv_tcp_t *t = xmalloc(sizeof(*t));
	uv_tcp_init(srv->loop, t);
	if (uv_accept((uv_stream_t *)&srv->listener, (uv_stream_t *)t) == 0)
		log_debug("http: %zu connections: refusing one more", srv->ntcp);
	uv_close((uv_handle_t *)t, http__free_handle);
}

static void http__set_remote(struct http_conn *c)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	char ip[INET6_ADDRSTRLEN] = "?";
	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(c->remote, sizeof(c->remote), "unknown");
	} else if (ss.ss_family == AF_INET6 &&
		   IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)&ss)->sin6_addr)) {
		/* A client of a dual-stack listener: shown as IPv4, like Go does. */
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
		inet_ntop(AF_INET, a->sin6_addr.s6_addr + 12, ip, sizeof(ip));
		snprintf(c->remote, sizeof(c->remote), "%s:%d", ip, ntohs(a->sin6_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
		uv_ip6_name(a, ip, sizeof(ip));
		snprintf(c->remote, sizeof(c->remote), "[%s]:%d", ip, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
		uv_ip4_name(a, ip, sizeof(ip));
		snprintf(c->remote, sizeof(c->remote), "%s:%d", ip, ntohs(a->sin_port));
	}
}

static void http__on_connection(uv_stream_t *ls, int status)
{
	struct http_server *srv = ls->data;
	if (status < 0) {
		log_warn("http: accept: %s", uv_strerror(status));
		return;
	}
	if (srv->ntcp >= (size_t)srv->cfg.max_conns) {
		http__reject(srv);
		return;
	}
	struct http_conn *c = http__conn_new(srv, HTTP__TCP);
	uv_tcp_init(srv->loop, &c->tcp);
	uv_timer_init(srv->loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->handles = 2;
	if (uv_accept(ls, (uv_stream_t *)&c->tcp) != 0)
		goto fail;
	uv_tcp_nodelay(&c->tcp, 1);
	uv_tcp_keepalive(&c->tcp, 1, 60);
	http__set_remote(c);
	if (srv->tls) {
		c->tls = xmalloc(sizeof(*c->tls));
		if (tls_session_init(c->tls, srv->tls) != 0) {
			free(c->tls);
			c->tls = NULL;
			goto fail;
		}
	}
	http__tcp_timer(c, c->tls ? HTTP__T_HANDSHAKE : HTTP__T_IDLE);
	http__tcp_read_update(c);
	if (c->reading)
		return;
fail:
	http__conn_close_now(c);
}

/* ---- the server ---- */

void http__server_unref(struct http_server *srv)
{
	assert(srv->refs > 0);
	if (--srv->refs > 0)
		return;
	void (*cb)(void *) = srv->close_cb;
	void *arg = srv->close_arg;
	tls_config_free(srv->tls);
	buf_release(&srv->stage);
	free(srv);
	if (cb)
		cb(arg);
}

static void http__on_server_handle_closed(uv_handle_t *h)
{
	http__server_unref(h->data);
}

void http__server_check_done(struct http_server *srv)
{
	if (!srv->closing || srv->conns || !srv->abort_timer_open)
		return;
	srv->abort_timer_open = 0;
	uv_close((uv_handle_t *)&srv->abort_timer, http__on_server_handle_closed);
}

/* Binds and listens on address:port. Returns 0 or a negative errno with a message in err. */
static int http__listen(struct http_server *srv, const char *address, int port, struct buf *err)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	int r;
	if (uv_ip4_addr(address, port, (struct sockaddr_in *)&ss) != 0 &&
	    uv_ip6_addr(address, port, (struct sockaddr_in6 *)&ss) != 0) {
		if (err)
			buf_addf(err, "invalid bind address \"%s\"", address);
		return -EINVAL;
	}
	uv_tcp_init(srv->loop, &srv->listener);
	srv->listener.data = srv;
	srv->listening = 1;
	srv->refs++;
	r = uv_tcp_bind(&srv->listener, (const struct sockaddr *)&ss, 0);
	if (r == 0)
		r = uv_listen((uv_stream_t *)&srv->listener, 511, http__on_connection);
	if (r == 0)
		r = uv_tcp_getsockname(&srv->listener, (struct sockaddr *)&ss, &len);
	if (r != 0) {
		if (err)
			buf_addf(err, "listen on %s port %d: %s", address, port, uv_strerror(r));
		return r;
	}
	srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						   : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

/* Fills unset limits with the defaults of http_server_config_init. */
static void http__config_complete(struct http_server_config *cfg)
{
	struct http_server_config d;
	http_server_config_init(&d);
	if (!cfg->max_body)
		cfg->max_body = d.max_body;
	if (!cfg->max_url)
		cfg->max_url = d.max_url;
	if (!cfg->max_header_bytes)
		cfg->max_header_bytes = d.max_header_bytes;
	if (!cfg->header_timeout_ms)
		cfg->header_timeout_ms = d.header_timeout_ms;
	if (!cfg->idle_timeout_ms)
		cfg->idle_timeout_ms = d.idle_timeout_ms;
	if (cfg->max_conns <= 0)
		cfg->max_conns = d.max_conns;
	cfg->bind_address = cfg->cert_pem = cfg->key_pem = cfg->client_ca_pem = NULL;
}

int http_server_start(uv_loop_t *loop, const struct http_server_config *cfg, struct http_server **out,
		      struct buf *err)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	int r = 0;
	srv->loop = loop;
	srv->cfg = *cfg;
	srv->refs = 2; /* the owner and the abort timer */
	uv_timer_init(loop, &srv->abort_timer);
	srv->abort_timer.data = srv;
	srv->abort_timer_open = 1;
	http__config_complete(&srv->cfg);
	if (!cfg->cert_pem != !cfg->key_pem) {
		if (err)
			buf_adds(err, "a serving certificate needs its key, and a key its certificate");
		r = -EINVAL;
		goto fail;
	}
	if (cfg->cert_pem &&
	    (r = tls_config_new(cfg->cert_pem, cfg->key_pem, cfg->client_ca_pem, &srv->tls, err)) != 0)
		goto fail;
	if (cfg->bind_address && (r = http__listen(srv, cfg->bind_address, cfg->port, err)) != 0)
		goto fail;
	*out = srv;
	return 0;
fail:
	srv->closing = 1;
	if (srv->listening) {
		srv->listening = 0;
		uv_close((uv_handle_t *)&srv->listener, http__on_server_handle_closed);
	}
	http__server_check_done(srv);
	http__server_unref(srv);
	return r;
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}

size_t http_server_conns(const struct http_server *srv)
{
	return srv->nconns;
}

void http_server_close(struct http_server *srv, void (*cb)(void *arg), void *arg)
{
	struct http_conn **v = NULL;
	size_t n = 0, i = 0;
	assert(!srv->closing);
	srv->closing = 1;
	srv->close_cb = cb;
	srv->close_arg = arg;
	if (srv->listening) {
		srv->listening = 0;
		uv_close((uv_handle_t *)&srv->listener, http__on_server_handle_closed);
	}
	/* Hold every connection while closing them: abort callbacks may finish requests. */
	for (struct http_conn *c = srv->conns; c; c = c->next)
		n++;
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (struct http_conn *c = srv->conns; c; c = c->next) {
		http__conn_ref(c);
		v[i++] = c;
	}
	for (i = 0; i < n; i++)
		http__conn_close_now(v[i]);
	for (i = 0; i < n; i++)
		http__conn_unref(v[i]);
	free(v);
	http__server_check_done(srv);
	http__server_unref(srv);
}
