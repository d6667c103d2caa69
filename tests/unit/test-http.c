/*
 * Unit tests for lib/http: the parser, limits and responses over the memory transport; TLS,
 * client certificates and ALPN with curl (and kubectl when installed) as a child process;
 * timeouts and the connection limit with raw TCP clients on the same loop.
 */
#include "test.h"
#include "buf.h"
#include "http.h"
#include "pki.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

/* ---- a test server and its handler ---- */

struct tctx {
	uv_loop_t loop;
	struct http_server *srv;
	struct http_conn *mc;        /* memory connection */
	struct buf out;              /* what the memory connection received */
	struct http_request *held;   /* a request the handler did not finish */
	int nreq;
	int aborted;
	int server_closed;
	struct buf seen;             /* notes from the handler */
	struct rbuf *shared;         /* streamed by /chunks */
	char remote[64];             /* remote_addr of the last request */
};

static void on_out(void *arg, const char *data, size_t len)
{
	struct tctx *t = arg;
	buf_add(&t->out, data, len);
}

static void on_abort(struct http_request *req)
{
	struct tctx *t = req->data;
	t->aborted++;
	if (t->held == req)
		t->held = NULL;
	http_stream_end(req);
}

static void serve_peer(struct http_request *req)
{
	struct buf b = BUF_INIT;
	if (!req->peer) {
		buf_adds(&b, "peer=none");
	} else {
		buf_addf(&b, "cn=%s orgs=", req->peer->cn);
		for (size_t i = 0; i < req->peer->norgs; i++)
			buf_addf(&b, "%s%s", i ? "," : "", req->peer->orgs[i]);
	}
	http_respond(req, 200, "text/plain", NULL, 0, b.data, b.len);
	buf_release(&b);
}

static void serve_chunks(struct tctx *t, struct http_request *req)
{
	struct buf n = BUF_INIT;
	int64_t count = 50;
	if (http_query(req, "n", &n))
		parse_int64(n.data ? n.data : "", 0, 100000, &count);
	http_stream_start(req, 200, "application/octet-stream", NULL, 0);
	struct rbuf *parts[2] = { t->shared, t->shared };
	for (int64_t i = 0; i < count; i++)
		http_stream_write(req, parts, 2);
	http_stream_end(req);
	buf_release(&n);
}

static void handler(struct http_request *req, void *data)
{
	struct tctx *t = data;
	const struct http_header audit = { "Audit-Id", "a1b2" };
	t->nreq++;
	req->data = t;
	buf_addf(&t->seen, "%s %s ?%s|", req->method, req->path, req->query);
	snprintf(t->remote, sizeof(t->remote), "%s", req->remote_addr);
	if (!strcmp(req->path, "/hello")) {
		http_respond(req, 200, "text/plain", NULL, 0, "hello", 5);
	} else if (!strcmp(req->path, "/echo")) {
		const char *ct = http_header(req, "content-TYPE");
		http_respond(req, 201, ct ? ct : "text/plain", &audit, 1, req->body, req->body_len);
	} else if (!strcmp(req->path, "/hold")) {
		t->held = req;
	} else if (!strcmp(req->path, "/stream")) {
		http_stream_start(req, 200, "application/json", &audit, 1);
		http_stream_write_bytes(req, "abc", 3);
		http_request_on_abort(req, on_abort);
		t->held = req;
	} else if (!strcmp(req->path, "/peer")) {
		serve_peer(req);
	} else if (!strcmp(req->path, "/chunks")) {
		serve_chunks(t, req);
	} else if (!strcmp(req->path, "/nocontent")) {
		http_respond(req, 204, NULL, NULL, 0, "ignored", 7);
	} else {
		http_respond(req, 404, "text/plain", NULL, 0, "nope", 4);
	}
}

static const char *status_json(int code, const char *reason, const char *message, struct buf *body)
{
	buf_addf(body, "{\"kind\":\"Status\",\"code\":%d,\"reason\":\"%s\",\"message\":\"%s\"}", code,
		 reason, message);
	return "application/json";
}

static void server_closed(void *arg)
{
	struct tctx *t = arg;
	t->server_closed = 1;
}

/* Starts a server (memory only when cfg->bind_address is NULL) and one memory connection. */
static int tctx_start(struct tctx *t, struct http_server_config *cfg)
{
	struct buf err = BUF_INIT;
	memset(t, 0, sizeof(*t));
	uv_loop_init(&t->loop);
	cfg->on_request = handler;
	cfg->data = t;
	t->shared = rbuf_new("0123456789", 10);
	int r = http_server_start(&t->loop, cfg, &t->srv, &err);
	if (r)
		fprintf(stderr, "  http_server_start: %s\n", buf_str(&err));
	else
		t->mc = http_conn_new_memory(t->srv, on_out, t);
	buf_release(&err);
	return r;
}

/* Closes everything and checks that the loop ends clean. Returns 0 on success. */
static int tctx_finish(struct tctx *t)
{
	if (t->mc)
		http_conn_close(t->mc);
	t->mc = NULL;
	uv_run(&t->loop, UV_RUN_NOWAIT);
	if (t->held) {
		/* Finished after the connection went away: still valid. */
		http_respond(t->held, 200, "text/plain", NULL, 0, "late", 4);
		t->held = NULL;
	}
	http_server_close(t->srv, server_closed, t);
	uv_run(&t->loop, UV_RUN_DEFAULT);
	int bad = !t->server_closed || uv_loop_close(&t->loop) != 0;
	rbuf_unref(t->shared);
	buf_release(&t->out);
	buf_release(&t->seen);
	return bad;
}

static void feed(struct tctx *t, const char *s)
{
	http_conn_feed(t->mc, s, strlen(s));
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

#define MEM_START(t, cfgp) \
	do { \
		if (tctx_start((t), (cfgp)) != 0) \
			FAIL("server did not start"); \
	} while (0)

TEST_IMPL(http_get_simple)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	ASSERT_EQ(http_server_conns(t.srv), 1);
	feed(&t, "GET /hello?a=1&b=x%20y HTTP/1.1\r\nHost: x\r\n\r\n");
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
				    "Content-Length: 5\r\n\r\nhello");
	ASSERT_STR(buf_str(&t.seen), "GET /hello ?a=1&b=x%20y|");
	ASSERT_STR(t.remote, "memory");
	ASSERT(!http_conn_closed(t.mc));
	buf_reset(&t.out);
	feed(&t, "GET /missing HTTP/1.1\r\n\r\n");
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
				    "Content-Length: 4\r\n\r\nnope");
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_keepalive)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	feed(&t, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
	feed(&t, "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
	ASSERT_EQ(t.nreq, 2);
	ASSERT_EQ(count(t.out.data, "HTTP/1.1 "), 2);
	ASSERT(strstr(t.out.data, "hello"));
	ASSERT(strstr(t.out.data, "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n"
				  "Audit-Id: a1b2\r\nContent-Length: 3\r\n\r\nabc"));
	ASSERT(!strstr(t.out.data, "Connection: close"));
	ASSERT(!http_conn_closed(t.mc));
	/* Connection: close is honoured. */
	buf_reset(&t.out);
	feed(&t, "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\n\r\n");
	ASSERT_EQ(t.nreq, 3);
	ASSERT(strstr(t.out.data, "Connection: close\r\n"));
	ASSERT(http_conn_closed(t.mc));
	feed(&t, "GET /hello HTTP/1.1\r\n\r\n");
	ASSERT_EQ(t.nreq, 3);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_pipelined)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	/* The first request is held: the second must wait for it. */
	feed(&t, "GET /hold HTTP/1.1\r\n\r\nGET /hello HTTP/1.1\r\n\r\nPOST /echo HTTP/1.1\r\n"
		 "Content-Length: 2\r\n\r\nhi");
	ASSERT_EQ(t.nreq, 1);
	ASSERT(t.held);
	ASSERT_EQ(t.out.len, 0);
	struct http_request *held = t.held;
	t.held = NULL;
	http_respond(held, 200, "text/plain", NULL, 0, "first", 5);
	ASSERT_EQ(t.nreq, 3);
	const char *a = strstr(t.out.data, "first"), *b = strstr(t.out.data, "hello"),
		   *c = strstr(t.out.data, "\r\n\r\nhi");
	ASSERT(a && b && c && a < b && b < c);
	ASSERT_STR(buf_str(&t.seen), "GET /hold ?|GET /hello ?|POST /echo ?|");
	/* Byte by byte gives the same answers. */
	const char *two = "GET /hello HTTP/1.1\r\nHost: y\r\n\r\nPOST /echo HTTP/1.1\r\n"
			  "Transfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n";
	buf_reset(&t.out);
	for (const char *p = two; *p; p++)
		http_conn_feed(t.mc, p, 1);
	ASSERT_EQ(t.nreq, 5);
	ASSERT_EQ(count(t.out.data, "HTTP/1.1 "), 2);
	ASSERT(strstr(t.out.data, "Content-Length: 2\r\n\r\nxy"));
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_post_body)
{
	struct tctx t;
	struct http_server_config cfg;
	struct buf req = BUF_INIT, body = BUF_INIT;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	for (int i = 0; i < 100000; i++)
		buf_addch(&body, (char)('a' + i % 26));
	buf_addf(&req, "POST /echo HTTP/1.1\r\ncontent-type: application/json\r\n"
		       "Content-Length: %zu\r\n\r\n", body.len);
	buf_add(&req, body.data, body.len);
	/* In two pieces, split inside the body. */
	http_conn_feed(t.mc, req.data, 5000);
	ASSERT_EQ(t.nreq, 0);
	http_conn_feed(t.mc, req.data + 5000, req.len - 5000);
	ASSERT_EQ(t.nreq, 1);
	ASSERT(strstr(t.out.data, "Content-Type: application/json\r\n"));
	ASSERT(strstr(t.out.data, "Content-Length: 100000\r\n"));
	ASSERT(t.out.len > body.len);
	ASSERT(memcmp(t.out.data + t.out.len - body.len, body.data, body.len) == 0);
	buf_release(&req);
	buf_release(&body);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_chunked_request)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	feed(&t, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n"
		 "5\r\nhello\r\n");
	ASSERT_EQ(t.nreq, 0);
	feed(&t, "1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nX-Trailer: t\r\n\r\n");
	ASSERT_EQ(t.nreq, 1);
	ASSERT(strstr(t.out.data, "Content-Length: 12\r\n\r\nhello world!"));
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_too_large_413)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	cfg.max_body = 1000;
	cfg.on_error = status_json;
	MEM_START(&t, &cfg);
	/* Answered from the headers alone: the body is never sent. */
	feed(&t, "PUT /echo HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n");
	ASSERT_EQ(t.nreq, 0);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 413 Request Entity Too Large\r\n"
				       "Content-Type: application/json\r\n"));
	ASSERT(strstr(t.out.data, "Connection: close\r\n"));
	ASSERT(strstr(t.out.data, "\"code\":413,\"reason\":\"RequestEntityTooLarge\""));
	ASSERT(http_conn_closed(t.mc));
	ASSERT_EQ(tctx_finish(&t), 0);
	/* A chunked body is refused when it grows past the limit. */
	MEM_START(&t, &cfg);
	feed(&t, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 20 && !http_conn_closed(t.mc); i++)
		feed(&t, "64\r\n0123456789012345678901234567890123456789012345678901234567890123456789"
			 "012345678901234567890123456789\r\n");
	ASSERT(http_conn_closed(t.mc));
	ASSERT_EQ(t.nreq, 0);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 413 "));
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_uri_too_long_414)
{
	struct tctx t;
	struct http_server_config cfg;
	struct buf req = BUF_INIT;
	http_server_config_init(&cfg);
	cfg.max_url = 100;
	MEM_START(&t, &cfg);
	buf_adds(&req, "GET /");
	for (int i = 0; i < 100; i++)
		buf_addch(&req, 'a');
	buf_adds(&req, " HTTP/1.1\r\n\r\n");
	http_conn_feed(t.mc, req.data, req.len);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 414 Request URI Too Long\r\n"));
	ASSERT(strstr(t.out.data, "Content-Type: text/plain; charset=utf-8\r\n"));
	ASSERT(http_conn_closed(t.mc));
	ASSERT_EQ(t.nreq, 0);
	ASSERT_EQ(tctx_finish(&t), 0);
	/* Exactly at the limit is fine. */
	MEM_START(&t, &cfg);
	buf_reset(&req);
	buf_adds(&req, "GET /");
	for (int i = 0; i < 99; i++)
		buf_addch(&req, 'a');
	buf_adds(&req, " HTTP/1.1\r\n\r\n");
	http_conn_feed(t.mc, req.data, req.len);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 404 "));
	buf_release(&req);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_headers_too_large_431)
{
	struct tctx t;
	struct http_server_config cfg;
	struct buf req = BUF_INIT;
	http_server_config_init(&cfg);
	cfg.max_header_bytes = 4096;
	MEM_START(&t, &cfg);
	buf_adds(&req, "GET /hello HTTP/1.1\r\nX-Big: ");
	for (int i = 0; i < 5000; i++)
		buf_addch(&req, 'b');
	buf_adds(&req, "\r\n\r\n");
	http_conn_feed(t.mc, req.data, req.len);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 431 Request Header Fields Too Large\r\n"));
	ASSERT(http_conn_closed(t.mc));
	ASSERT_EQ(tctx_finish(&t), 0);
	/* 100 headers are kept; 101 are refused. */
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	buf_reset(&req);
	buf_adds(&req, "GET /hello HTTP/1.1\r\n");
	for (int i = 0; i < 100; i++)
		buf_addf(&req, "X-H%d: %d\r\n", i, i);
	buf_adds(&req, "\r\n");
	http_conn_feed(t.mc, req.data, req.len);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 200 "));
	buf_reset(&t.out);
	buf_truncate(&req, req.len - 2);
	buf_adds(&req, "X-Last: 1\r\n\r\n");
	http_conn_feed(t.mc, req.data, req.len);
	ASSERT(starts_with(t.out.data, "HTTP/1.1 431 "));
	buf_release(&req);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_malformed_400)
{
	static const char *const bad[] = {
		"BLAH\r\n\r\n",
		"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
		"GET / HTTP/9.9\r\n\r\n",
		"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
		"GET / HTTP/1.1\r\nX-A: a\x01b\r\n\r\n",
		"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
		"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tctx t;
		struct http_server_config cfg;
		http_server_config_init(&cfg);
		cfg.on_error = status_json;
		MEM_START(&t, &cfg);
		feed(&t, bad[i]);
		if (!starts_with(buf_str(&t.out), "HTTP/1.1 400 Bad Request\r\n"))
			FAIL("case %zu: %s", i, buf_str(&t.out));
		ASSERT(strstr(t.out.data, "Connection: close\r\n"));
		ASSERT(strstr(t.out.data, "\"reason\":\"BadRequest\""));
		ASSERT(http_conn_closed(t.mc));
		ASSERT_EQ(t.nreq, 0);
		ASSERT_EQ(tctx_finish(&t), 0);
	}
	return 0;
}

TEST_IMPL(http_stream_chunks)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	feed(&t, "GET /stream HTTP/1.1\r\n\r\nGET /hello HTTP/1.1\r\n\r\n");
	ASSERT(t.held);
	struct http_request *req = t.held;
	struct rbuf *a = rbuf_new("{\"x\":", 5), *b = rbuf_new("1}\n", 3);
	struct rbuf *parts[2] = { a, b };
	ASSERT_EQ(http_stream_write(req, parts, 2), 0);
	ASSERT_EQ(http_stream_write(req, parts, 0), 0); /* empty: nothing sent */
	ASSERT_EQ(http_stream_queued(req), 0);          /* memory: written at once */
	ASSERT_EQ(a->refs, 1);                          /* references dropped once written */
	ASSERT_EQ(http_stream_write_bytes(req, "", 0), 0);
	t.held = NULL;
	http_stream_end(req);
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				    "Audit-Id: a1b2\r\nTransfer-Encoding: chunked\r\n\r\n"
				    "3\r\nabc\r\n8\r\n{\"x\":1}\n\r\n0\r\n\r\n"
				    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
				    "Content-Length: 5\r\n\r\nhello");
	rbuf_unref(a);
	rbuf_unref(b);
	ASSERT_EQ(t.aborted, 0);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_stream_abort)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	feed(&t, "GET /stream HTTP/1.1\r\n\r\n");
	ASSERT(t.held);
	struct http_request *req = t.held;
	http_conn_close(t.mc);
	t.mc = NULL;
	/* Writes fail at once; the callback comes from the loop. */
	ASSERT_EQ(http_stream_write_bytes(req, "x", 1), -KUBE_ECLOSED);
	ASSERT_EQ(t.aborted, 0);
	uv_run(&t.loop, UV_RUN_NOWAIT);
	ASSERT_EQ(t.aborted, 1);
	ASSERT(!t.held);
	ASSERT_EQ(http_server_conns(t.srv), 0);
	ASSERT_EQ(tctx_finish(&t), 0);
	/* Server close aborts streams too, and waits for them. */
	MEM_START(&t, &cfg);
	feed(&t, "GET /stream HTTP/1.1\r\n\r\n");
	http_server_close(t.srv, server_closed, &t);
	ASSERT(http_conn_closed(t.mc));
	uv_run(&t.loop, UV_RUN_NOWAIT);
	ASSERT_EQ(t.aborted, 1);
	ASSERT(!t.server_closed); /* the memory connection is still open */
	http_conn_close(t.mc);
	uv_run(&t.loop, UV_RUN_DEFAULT);
	ASSERT(t.server_closed);
	ASSERT_EQ(uv_loop_close(&t.loop), 0);
	rbuf_unref(t.shared);
	buf_release(&t.out);
	buf_release(&t.seen);
	return 0;
}

TEST_IMPL(http_http10_head_upgrade)
{
	struct tctx t;
	struct http_server_config cfg;
	http_server_config_init(&cfg);
	MEM_START(&t, &cfg);
	/* HTTP/1.0 with keep-alive keeps the connection. */
	feed(&t, "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
	ASSERT(strstr(t.out.data, "Connection: keep-alive\r\n\r\nhello"));
	ASSERT(!http_conn_closed(t.mc));
	/* HEAD has the headers of GET and no body. */
	buf_reset(&t.out);
	feed(&t, "HEAD /hello HTTP/1.1\r\n\r\n");
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
				    "Content-Length: 5\r\n\r\n");
	/* 204 has neither length nor body. */
	buf_reset(&t.out);
	feed(&t, "DELETE /nocontent HTTP/1.1\r\n\r\n");
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 204 No Content\r\n\r\n");
	/* An Upgrade request is an ordinary request for now, and parsing goes on. */
	buf_reset(&t.out);
	feed(&t, "GET /hello HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
		 "GET /hello HTTP/1.1\r\n\r\n");
	ASSERT_EQ(count(t.out.data, "HTTP/1.1 200 OK"), 2);
	/* Expect: 100-continue gets its interim answer. */
	buf_reset(&t.out);
	feed(&t, "POST /echo HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 100 Continue\r\n\r\n");
	feed(&t, "ok");
	ASSERT(strstr(t.out.data, "HTTP/1.1 201 Created"));
	/* HTTP/1.0 without keep-alive: close; a stream is close-delimited. */
	buf_reset(&t.out);
	feed(&t, "GET /stream HTTP/1.0\r\n\r\n");
	ASSERT(t.held);
	http_stream_write_bytes(t.held, "def", 3);
	http_stream_end(t.held);
	t.held = NULL;
	ASSERT_STR(buf_str(&t.out), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
				    "Audit-Id: a1b2\r\nConnection: close\r\n\r\nabcdef");
	ASSERT(http_conn_closed(t.mc));
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

/* http_query only reads req->query: test it on bare requests. */
static int query_is(const char *q, const char *name, const char *want)
{
	struct http_request req = { .query = q };
	struct buf out = BUF_INIT;
	int found = http_query(&req, name, &out);
	int ok = want ? found && strcmp(buf_str(&out), want) == 0 : !found && out.len == 0;
	if (!ok)
		fprintf(stderr, "  query \"%s\" [%s]: found %d \"%s\"\n", q, name, found, buf_str(&out));
	buf_release(&out);
	return ok;
}

TEST_IMPL(http_query_parse)
{
	const char *q = "a=1&b=x+y%21&a=2&c&d=%zz&d=ok&e;f=1&g=&h%20i=j&k=%2B%26";
	ASSERT(query_is(q, "a", "1"));
	ASSERT(query_is(q, "b", "x y!"));
	ASSERT(query_is(q, "c", ""));
	ASSERT(query_is(q, "d", "ok"));
	ASSERT(query_is(q, "e", NULL));
	ASSERT(query_is(q, "g", ""));
	ASSERT(query_is(q, "h i", "j"));
	ASSERT(query_is(q, "k", "+&"));
	ASSERT(query_is(q, "z", NULL));
	ASSERT(query_is("", "a", NULL));
	ASSERT(query_is("&&a=%4", "a", NULL));
	ASSERT(query_is("watch=True&labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29", "labelSelector",
			"app=web,tier in (a,b)"));
	ASSERT_STR(http_status_text(422), "Unprocessable Entity");
	return 0;
}

/* ---- TCP and TLS, with child processes and raw clients on the same loop ---- */

struct child {
	uv_process_t proc;
	uv_timer_t dog;
	int exited, closed;
	int64_t status;
};

static void child_closed(uv_handle_t *h)
{
	struct child *ch = h->data;
	ch->closed++;
}

static void child_exit(uv_process_t *p, int64_t status, int sig)
{
	struct child *ch = p->data;
	ch->exited = 1;
	ch->status = sig ? 128 + sig : status;
	uv_stop(p->loop);
}

static void child_dog(uv_timer_t *t)
{
	struct child *ch = t->data;
	uv_process_kill(&ch->proc, SIGKILL);
}

/* Runs "sh -c cmd" while the loop serves; returns its exit status (killed after 60 s). */
static int64_t run_child(uv_loop_t *loop, const char *cmd)
{
	struct child ch;
	char *args[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	uv_process_options_t o;
	memset(&ch, 0, sizeof(ch));
	memset(&o, 0, sizeof(o));
	o.file = args[0];
	o.args = args;
	o.exit_cb = child_exit;
	ch.proc.data = ch.dog.data = &ch;
	if (uv_spawn(loop, &ch.proc, &o) != 0)
		return -1;
	uv_timer_init(loop, &ch.dog);
	uv_timer_start(&ch.dog, child_dog, 60000, 0);
	while (!ch.exited)
		uv_run(loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&ch.proc, child_closed);
	uv_close((uv_handle_t *)&ch.dog, child_closed);
	while (ch.closed < 2)
		uv_run(loop, UV_RUN_ONCE);
	return ch.status;
}

/* Reads a file of the test directory into out (reset first). */
static void slurp(const char *name, struct buf *out)
{
	char *path = xasprintf("%s/%s", test_tmpdir(), name), *data = NULL;
	size_t len = 0;
	buf_reset(out);
	if (read_file(path, &data, &len) == 0)
		buf_add(out, data, len);
	free(data);
	free(path);
}

static int put_file(const char *name, const char *data)
{
	char *path = xasprintf("%s/%s", test_tmpdir(), name);
	int r = write_file_atomic(path, data, strlen(data), 0600);
	free(path);
	return r;
}

/* A CA, a serving certificate for 127.0.0.1 / localhost / ::1, a client certificate
 * (CN jane, O dev and ops) and one from another CA, written to the test directory. */
struct pkiset {
	char *ca, *ca_key, *srv, *srv_key, *cli, *cli_key, *other, *other_key, *bad, *bad_key;
};

static int pkiset_make(struct pkiset *p)
{
	const char *dns[] = { "localhost" }, *ips[] = { "127.0.0.1", "::1" }, *orgs[] = { "dev", "ops" };
	struct pki_subject srv = { .cn = "kube-apiserver", .dns_names = dns, .ndns = 1, .ips = ips,
				   .nips = 2, .server = 1 };
	struct pki_subject cli = { .cn = "jane", .orgs = orgs, .norgs = 2, .client = 1 };
	struct buf err = BUF_INIT;
	memset(p, 0, sizeof(*p));
	int r = pki_ca_create("test-ca", &p->ca, &p->ca_key, &err);
	r = r ? r : pki_issue(p->ca, p->ca_key, &srv, &p->srv, &p->srv_key, &err);
	r = r ? r : pki_issue(p->ca, p->ca_key, &cli, &p->cli, &p->cli_key, &err);
	r = r ? r : pki_ca_create("test-ca", &p->other, &p->other_key, &err);
	r = r ? r : pki_issue(p->other, p->other_key, &cli, &p->bad, &p->bad_key, &err);
	if (r)
		fprintf(stderr, "  pki: %s\n", buf_str(&err));
	r = r ? r : put_file("ca.pem", p->ca);
	r = r ? r : put_file("cli.pem", p->cli);
	r = r ? r : put_file("cli.key", p->cli_key);
	r = r ? r : put_file("bad.pem", p->bad);
	r = r ? r : put_file("bad.key", p->bad_key);
	buf_release(&err);
	return r;
}

static void pkiset_free(struct pkiset *p)
{
	char **v[] = { &p->ca, &p->ca_key, &p->srv, &p->srv_key, &p->cli, &p->cli_key, &p->other,
		       &p->other_key, &p->bad, &p->bad_key };
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		free(*v[i]);
}

static int tls_start(struct tctx *t, struct pkiset *p, struct http_server_config *cfg)
{
	if (pkiset_make(p) != 0)
		return -1;
	http_server_config_init(cfg);
	cfg->bind_address = "127.0.0.1";
	cfg->port = 0;
	cfg->cert_pem = p->srv;
	cfg->key_pem = p->srv_key;
	cfg->client_ca_pem = p->ca;
	return tctx_start(t, cfg);
}

TEST_IMPL(http_tls_curl)
{
	struct tctx t;
	struct pkiset p;
	struct http_server_config cfg;
	struct buf out = BUF_INIT;
	if (tls_start(&t, &p, &cfg) != 0)
		FAIL("setup");
	int port = http_server_port(t.srv);
	ASSERT(port > 0);
	char *cmd = xasprintf(
		"cd '%s' && U=https://127.0.0.1:%d && "
		"curl -sSv --cacert ca.pem --cert cli.pem --key cli.key $U/peer $U/peer?again "
		"  >cert.out 2>cert.err && "
		"curl -sS --cacert ca.pem $U/peer >none.out 2>&1 && "
		"curl -sS --cacert ca.pem --cert bad.pem --key bad.key $U/peer >bad.out 2>&1 && "
		"curl -sS --cacert ca.pem https://localhost:%d/peer >host.out 2>&1 && "
		"curl -sS --cacert ca.pem -X POST --data-binary @cli.pem -H 'Content-Type: x/y' "
		"  $U/echo >echo.out 2>&1 && "
		"curl -sS --cacert ca.pem \"$U/chunks?n=20000\" | wc -c >chunks.out && "
		"curl -sS --cacert ca.pem --tls-max 1.1 $U/peer >old.out 2>&1; echo $? >old.rc",
		test_tmpdir(), port, port);
	int64_t st = run_child(&t.loop, cmd);
	free(cmd);
	slurp("cert.err", &out);
	if (st != 0)
		FAIL("curl exited %lld: %s", (long long)st, out.data);
	/* ALPN: curl offers h2 and http/1.1; the server picks http/1.1. */
	ASSERT(strstr(out.data, "ALPN: server accepted http/1.1"));
	ASSERT(strstr(out.data, "TLSv1.2"));
	/* Both requests went over one kept-alive connection. */
	ASSERT(strstr(out.data, "Re-using existing connection"));
	slurp("cert.out", &out);
	ASSERT_STR(out.data, "cn=jane orgs=dev,opscn=jane orgs=dev,ops");
	slurp("none.out", &out);
	ASSERT_STR(out.data, "peer=none");
	/* A certificate from another CA is no identity, not a failure. */
	slurp("bad.out", &out);
	ASSERT_STR(out.data, "peer=none");
	slurp("host.out", &out);
	ASSERT_STR(out.data, "peer=none");
	slurp("echo.out", &out);
	ASSERT_STR(out.data, p.cli);
	slurp("chunks.out", &out);
	ASSERT_EQ(atoi(out.data), 20000 * 20);
	slurp("old.rc", &out);
	ASSERT(atoi(out.data) != 0); /* TLS 1.1 is refused */
	ASSERT(strstr(t.seen.data, "GET /peer ?again|"));
	buf_release(&out);
	pkiset_free(&p);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

/* Go's crypto/x509 and crypto/tls (kubectl) accept the certificates and the TLS server. */
TEST_IMPL(http_tls_kubectl)
{
	struct tctx t;
	struct pkiset p;
	struct http_server_config cfg;
	struct buf out = BUF_INIT;
	if (system("command -v kubectl >/dev/null 2>&1") != 0) {
		fprintf(stderr, "  kubectl not installed: skipped\n");
		return 0;
	}
	if (tls_start(&t, &p, &cfg) != 0)
		FAIL("setup");
	int port = http_server_port(t.srv);
	char *cmd = xasprintf(
		"cd '%s' && export KUBECONFIG=/dev/null HOME='%s' && "
		"kubectl --server=https://127.0.0.1:%d --certificate-authority=ca.pem "
		"  --client-certificate=cli.pem --client-key=cli.key get --raw /peer >k1.out 2>&1 && "
		"kubectl --server=https://localhost:%d --certificate-authority=ca.pem --token=t "
		"  get --raw /peer >k2.out 2>&1",
		test_tmpdir(), test_tmpdir(), port, port);
	int64_t st = run_child(&t.loop, cmd);
	free(cmd);
	slurp("k1.out", &out);
	ASSERT_STR(out.data, "cn=jane orgs=dev,ops");
	ASSERT_EQ(st, 0);
	slurp("k2.out", &out);
	if (strcmp(out.data, "peer=none") != 0)
		FAIL("k2: %s", out.data);
	buf_release(&out);
	pkiset_free(&p);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

/* A raw TCP client on the test loop. */
struct rawc {
	uv_tcp_t tcp;
	uv_connect_t creq;
	uv_write_t wreq;
	struct buf in;
	const char *send;
	int connected, eof, closed;
	uint64_t eof_ms;
};

static void rawc_alloc(uv_handle_t *h, size_t n, uv_buf_t *b)
{
	static char space[65536];
	UNUSED(h);
	UNUSED(n);
	*b = uv_buf_init(space, sizeof(space));
}

static void rawc_closed(uv_handle_t *h)
{
	struct rawc *c = h->data;
	c->closed = 1;
}

static void rawc_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct rawc *c = s->data;
	if (n > 0)
		buf_add(&c->in, b->base, (size_t)n);
	if (n < 0 && !c->eof) {
		c->eof = 1;
		c->eof_ms = uv_now(s->loop);
		uv_close((uv_handle_t *)s, rawc_closed);
	}
}

static void rawc_write(struct rawc *c, const char *s)
{
	uv_buf_t b = uv_buf_init((char *)s, (unsigned)strlen(s));
	uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, NULL);
}

static void rawc_connected(uv_connect_t *req, int status)
{
	struct rawc *c = req->data;
	c->connected = status == 0 ? 1 : -1;
	if (status != 0)
		return;
	uv_read_start((uv_stream_t *)&c->tcp, rawc_alloc, rawc_read);
	if (c->send)
		rawc_write(c, c->send);
}

static void rawc_start(uv_loop_t *loop, struct rawc *c, int port, const char *send)
{
	struct sockaddr_in a;
	memset(c, 0, sizeof(*c));
	c->send = send;
	uv_ip4_addr("127.0.0.1", port, &a);
	uv_tcp_init(loop, &c->tcp);
	c->tcp.data = c->creq.data = c;
	uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&a, rawc_connected);
}

static void rawc_close(struct rawc *c)
{
	if (!c->eof && !uv_is_closing((uv_handle_t *)&c->tcp))
		uv_close((uv_handle_t *)&c->tcp, rawc_closed);
	c->eof = 1;
}

/* Runs the loop until every client has seen EOF or limit_ms pass. */
static void run_until_eof(uv_loop_t *loop, struct rawc *c, size_t n, uint64_t limit_ms)
{
	uint64_t end = uv_now(loop) + limit_ms;
	for (;;) {
		size_t done = 0;
		for (size_t i = 0; i < n; i++)
			done += c[i].eof;
		if (done == n || uv_now(loop) >= end)
			return;
		uv_run(loop, UV_RUN_ONCE);
	}
}

static void tick(uv_timer_t *t)
{
	UNUSED(t);
}

/* Runs the loop for ms milliseconds. */
static void run_for(uv_loop_t *loop, uint64_t ms)
{
	uv_timer_t tm;
	uv_timer_init(loop, &tm);
	uv_timer_start(&tm, tick, ms, 0);
	uint64_t end = uv_now(loop) + ms;
	while (uv_now(loop) < end)
		uv_run(loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&tm, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
}

TEST_IMPL(http_header_timeout)
{
	struct tctx t;
	struct pkiset p;
	struct http_server_config cfg, tcfg;
	struct http_server *tls_srv = NULL;
	struct rawc c[3];
	/* A plain server for the HTTP timeouts, a TLS one for the handshake timeout. */
	ASSERT_EQ(pkiset_make(&p), 0);
	http_server_config_init(&cfg);
	cfg.bind_address = "127.0.0.1";
	cfg.header_timeout_ms = 300;
	cfg.idle_timeout_ms = 700;
	MEM_START(&t, &cfg);
	tcfg = cfg;
	tcfg.cert_pem = p.srv;
	tcfg.key_pem = p.srv_key;
	ASSERT_EQ(http_server_start(&t.loop, &tcfg, &tls_srv, NULL), 0);
	uint64_t start = uv_now(&t.loop);
	rawc_start(&t.loop, &c[0], http_server_port(t.srv), "GET /hello HTTP/1.1\r\nHost: x\r\n");
	rawc_start(&t.loop, &c[1], http_server_port(t.srv), NULL);
	rawc_start(&t.loop, &c[2], http_server_port(tls_srv), NULL);
	run_until_eof(&t.loop, c, 3, 5000);
	/* The slow request gets a 408 and the connection closes. */
	ASSERT(c[0].eof);
	ASSERT(starts_with(buf_str(&c[0].in), "HTTP/1.1 408 Request Timeout\r\n"));
	ASSERT(strstr(c[0].in.data, "Connection: close"));
	ASSERT(c[0].eof_ms - start >= 250 && c[0].eof_ms - start < 2500);
	/* An idle connection is closed silently after the idle timeout. */
	ASSERT(c[1].eof);
	ASSERT_EQ(c[1].in.len, 0);
	ASSERT(c[1].eof_ms - start >= 600 && c[1].eof_ms - start < 3000);
	/* A TLS client that never says hello is dropped after the header timeout. */
	ASSERT(c[2].eof);
	ASSERT_EQ(c[2].in.len, 0);
	ASSERT(c[2].eof_ms - start >= 250 && c[2].eof_ms - start < 2500);
	for (int i = 0; i < 3; i++) {
		rawc_close(&c[i]);
		buf_release(&c[i].in);
	}
	http_server_close(tls_srv, NULL, NULL);
	pkiset_free(&p);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

TEST_IMPL(http_max_conns)
{
	struct tctx t;
	struct http_server_config cfg;
	struct rawc c[6];
	http_server_config_init(&cfg);
	cfg.bind_address = "127.0.0.1";
	cfg.max_conns = 4;
	MEM_START(&t, &cfg);
	for (int i = 0; i < 6; i++) {
		rawc_start(&t.loop, &c[i], http_server_port(t.srv), NULL);
		run_for(&t.loop, 20); /* accepted in order */
	}
	run_for(&t.loop, 200);
	int eofs = 0;
	for (int i = 0; i < 6; i++)
		eofs += c[i].eof;
	ASSERT_EQ(eofs, 2);
	ASSERT(c[4].eof && c[5].eof);
	ASSERT_EQ(http_server_conns(t.srv), 5); /* 4 TCP and the memory connection */
	/* The accepted ones still work. */
	for (int i = 0; i < 4; i++)
		rawc_write(&c[i], "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
	run_until_eof(&t.loop, c, 6, 5000);
	for (int i = 0; i < 4; i++) {
		ASSERT(starts_with(buf_str(&c[i].in), "HTTP/1.1 200 OK\r\n"));
		ASSERT(ends_with(c[i].in.data, "\r\n\r\nhello"));
	}
	/* Once they are gone there is room again. */
	run_for(&t.loop, 50);
	ASSERT_EQ(http_server_conns(t.srv), 1);
	buf_release(&c[0].in);
	rawc_start(&t.loop, &c[0], http_server_port(t.srv), "GET /hello HTTP/1.1\r\n\r\n");
	while (c[0].in.len < 60)
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT(starts_with(c[0].in.data, "HTTP/1.1 200 OK\r\n"));
	for (int i = 0; i < 6; i++) {
		rawc_close(&c[i]);
		buf_release(&c[i].in);
	}
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}

/* A stream over TCP: the client vanishing aborts it; closing the server with a stream open. */
TEST_IMPL(http_tcp_stream_abort)
{
	struct tctx t;
	struct http_server_config cfg;
	struct rawc c[2];
	http_server_config_init(&cfg);
	cfg.bind_address = "127.0.0.1";
	MEM_START(&t, &cfg);
	rawc_start(&t.loop, &c[0], http_server_port(t.srv), "GET /stream HTTP/1.1\r\n\r\n");
	while (!strstr(buf_str(&c[0].in), "3\r\nabc\r\n"))
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT(t.held);
	struct http_request *req = t.held;
	/* Back-pressure counter: bytes queued until the socket takes them. */
	char *zeros = xcalloc(1, 4 << 20);
	struct rbuf *big = rbuf_new(zeros, 4 << 20);
	free(zeros);
	ASSERT_EQ(http_stream_write(req, &big, 1), 0);
	ASSERT(http_stream_queued(req) >= (4u << 20));
	rbuf_unref(big);
	rawc_close(&c[0]);
	while (!t.aborted)
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT(!t.held);
	run_for(&t.loop, 20);
	ASSERT_EQ(http_server_conns(t.srv), 1);
	/* Server close with a stream open: aborted, then everything closes. */
	rawc_start(&t.loop, &c[1], http_server_port(t.srv), "GET /stream HTTP/1.1\r\n\r\n");
	while (!strstr(buf_str(&c[1].in), "3\r\nabc\r\n"))
		uv_run(&t.loop, UV_RUN_ONCE);
	http_conn_close(t.mc);
	t.mc = NULL;
	http_server_close(t.srv, server_closed, &t);
	run_until_eof(&t.loop, &c[1], 1, 5000);
	ASSERT(c[1].eof);
	while (!t.server_closed)
		uv_run(&t.loop, UV_RUN_ONCE);
	ASSERT_EQ(t.aborted, 2);
	rawc_close(&c[1]);
	uv_run(&t.loop, UV_RUN_DEFAULT);
	ASSERT_EQ(uv_loop_close(&t.loop), 0);
	for (int i = 0; i < 2; i++)
		buf_release(&c[i].in);
	rbuf_unref(t.shared);
	buf_release(&t.out);
	buf_release(&t.seen);
	return 0;
}

static void rawc_shutdown_cb(uv_shutdown_t *req, int status)
{
	UNUSED(status);
	free(req);
}

/* Half-closing clients, a refused body still being sent, and pipelining over a socket. */
TEST_IMPL(http_tcp_close_paths)
{
	struct tctx t;
	struct http_server_config cfg;
	struct rawc c[3];
	struct buf big = BUF_INIT;
	http_server_config_init(&cfg);
	cfg.bind_address = "127.0.0.1";
	cfg.max_body = 1000;
	MEM_START(&t, &cfg);
	int port = http_server_port(t.srv);
	/* A request followed by a half-close (like printf | nc) still gets its answer. */
	rawc_start(&t.loop, &c[0], port, "GET /hello HTTP/1.0\r\n\r\n");
	while (!c[0].connected)
		uv_run(&t.loop, UV_RUN_ONCE);
	uv_shutdown_t *sh = xmalloc(sizeof(*sh));
	uv_shutdown(sh, (uv_stream_t *)&c[0].tcp, rawc_shutdown_cb);
	/* A body over the limit: the client keeps sending it, and still reads the 413. */
	buf_adds(&big, "PUT /echo HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n");
	for (int i = 0; i < 1 << 20; i++)
		buf_addch(&big, 'x');
	rawc_start(&t.loop, &c[1], port, big.data);
	/* Three pipelined requests in one write, answered in order. */
	rawc_start(&t.loop, &c[2], port, "GET /hello HTTP/1.1\r\n\r\nGET /missing HTTP/1.1\r\n\r\n"
					 "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n");
	run_until_eof(&t.loop, c, 3, 5000);
	ASSERT(ends_with(buf_str(&c[0].in), "Connection: close\r\n\r\nhello"));
	ASSERT(starts_with(buf_str(&c[1].in), "HTTP/1.1 413 Request Entity Too Large\r\n"));
	ASSERT(ends_with(c[1].in.data, "the request body is too large\n"));
	const char *r = buf_str(&c[2].in), *a = strstr(r, "hello"), *b = strstr(r, "nope"),
		   *d = a ? strstr(a + 5, "hello") : NULL;
	ASSERT(a && b && d && a < b && b < d);
	ASSERT_EQ(count(r, "HTTP/1.1 "), 3);
	ASSERT(starts_with(t.remote, "127.0.0.1:") && atoi(t.remote + 10) > 0);
	for (int i = 0; i < 3; i++) {
		ASSERT(c[i].eof);
		rawc_close(&c[i]);
		buf_release(&c[i].in);
	}
	buf_release(&big);
	ASSERT_EQ(tctx_finish(&t), 0);
	return 0;
}
