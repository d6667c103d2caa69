/*
 * Unit tests for lib/http_client: against our own lib/http server over real TLS on 127.0.0.1
 * (and ::1) with a port picked by the kernel, client certificates verified by the server; and
 * against a scripted plain-TCP server on the same loop for what our server never does (stale
 * keep-alive connections, malformed or close-delimited responses, split chunks, silence).
 * Every test ends by closing the client and the servers and checking that the loop closes clean.
 */
#include "test.h"
#include "buf.h"
#include "http.h"
#include "http_client.h"
#include "pki.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

/* ---- the TLS server and its handler ---- */

struct env {
	uv_loop_t loop;
	struct http_server *srv;
	char *ca, *ca_key, *srv_crt, *srv_key, *cli, *cli_key, *other_ca, *other_key;
	struct http_request *held;    /* /hold or /stream */
	int aborted;                  /* abort callbacks of held requests */
	int nreq;
	int server_closed;
	int client_closed;
};

static void on_abort(struct http_request *req)
{
	struct env *e = req->data;
	e->aborted++;
	if (e->held == req)
		e->held = NULL;
	http_stream_end(req);
}

static void on_abort_held(struct http_request *req)
{
	struct env *e = req->data;
	e->aborted++;
	if (e->held == req)
		e->held = NULL;
	http_respond(req, 200, "text/plain", NULL, 0, "gone", 4);
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

static void serve_chunks(struct http_request *req)
{
	struct buf n = BUF_INIT;
	int64_t count = 10;
	if (http_query(req, "n", &n))
		parse_int64(buf_str(&n), 0, 1000000, &count);
	http_stream_start(req, 200, "application/json", NULL, 0);
	for (int64_t i = 0; i < count; i++) {
		char ev[64];
		int len = snprintf(ev, sizeof(ev), "{\"n\":%lld}\n", (long long)i);
		http_stream_write_bytes(req, ev, (size_t)len);
	}
	http_stream_end(req);
	buf_release(&n);
}

static void handler(struct http_request *req, void *data)
{
	struct env *e = data;
	const struct http_header hdr[] = { { "X-Method", req->method }, { "Audit-Id", "a1b2" } };
	e->nreq++;
	req->data = e;
	if (!strcmp(req->path, "/peer")) {
		serve_peer(req);
	} else if (!strcmp(req->path, "/echo")) {
		const char *ct = http_header(req, "Content-Type");
		http_respond(req, 201, ct ? ct : "text/plain", hdr, 2, req->body, req->body_len);
	} else if (!strcmp(req->path, "/remote")) {
		http_respond(req, 200, "text/plain", NULL, 0, req->remote_addr, strlen(req->remote_addr));
	} else if (!strcmp(req->path, "/agent")) {
		const char *ua = http_header(req, "User-Agent");
		http_respond(req, 200, "text/plain", NULL, 0, ua ? ua : "-", ua ? strlen(ua) : 1);
	} else if (!strcmp(req->path, "/hold")) {
		e->held = req;
		http_request_on_abort(req, on_abort_held);
	} else if (!strcmp(req->path, "/stream")) {
		http_stream_start(req, 200, "application/json", NULL, 0);
		http_stream_write_bytes(req, "{\"first\":1}\n", 12);
		e->held = req;
		http_request_on_abort(req, on_abort);
	} else if (!strcmp(req->path, "/chunks")) {
		serve_chunks(req);
	} else if (!strcmp(req->path, "/nocontent")) {
		http_respond(req, 204, NULL, NULL, 0, NULL, 0);
	} else if (!strcmp(req->path, "/big")) {
		char *big = xmalloc(100000);
		memset(big, 'b', 100000);
		http_respond(req, 200, "text/plain", NULL, 0, big, 100000);
		free(big);
	} else {
		http_respond(req, 404, "text/plain", NULL, 0, "nope", 4);
	}
}

static void server_closed(void *arg)
{
	struct env *e = arg;
	e->server_closed = 1;
}

static void client_closed(void *arg)
{
	struct env *e = arg;
	e->client_closed++;
}

/* A CA and a serving certificate for 127.0.0.1, ::1 and localhost; a client certificate (CN
 * jane, O dev and ops); another CA. */
static int env_pki(struct env *e)
{
	const char *dns[] = { "localhost" }, *ips[] = { "127.0.0.1", "::1" }, *orgs[] = { "dev", "ops" };
	struct pki_subject srv = { .cn = "kube-apiserver", .dns_names = dns, .ndns = 1, .ips = ips,
				   .nips = 2, .server = 1 };
	struct pki_subject cli = { .cn = "jane", .orgs = orgs, .norgs = 2, .client = 1 };
	struct buf err = BUF_INIT;
	int r = pki_ca_create("test-ca", &e->ca, &e->ca_key, &err);
	r = r ? r : pki_issue(e->ca, e->ca_key, &srv, &e->srv_crt, &e->srv_key, &err);
	r = r ? r : pki_issue(e->ca, e->ca_key, &cli, &e->cli, &e->cli_key, &err);
	r = r ? r : pki_ca_create("test-ca", &e->other_ca, &e->other_key, &err);
	if (r)
		fprintf(stderr, "  pki: %s\n", buf_str(&err));
	buf_release(&err);
	return r;
}

/* Starts the loop and a TLS server on bind (client certificates optional, verified). */
static int env_start(struct env *e, const char *bind)
{
	struct http_server_config cfg;
	struct buf err = BUF_INIT;
	memset(e, 0, sizeof(*e));
	uv_loop_init(&e->loop);
	if (env_pki(e) != 0)
		return -1;
	http_server_config_init(&cfg);
	cfg.bind_address = bind;
	cfg.cert_pem = e->srv_crt;
	cfg.key_pem = e->srv_key;
	cfg.client_ca_pem = e->ca;
	cfg.on_request = handler;
	cfg.data = e;
	int r = http_server_start(&e->loop, &cfg, &e->srv, &err);
	if (r)
		fprintf(stderr, "  http_server_start: %s\n", buf_str(&err));
	buf_release(&err);
	return r;
}

/* A client of the test server with the test CA and, if cert, the client certificate. */
static struct http_client *env_client(struct env *e, const char *host, int cert,
				      struct http_client_config *cfg)
{
	struct http_client_config d;
	struct http_client *c = NULL;
	struct buf err = BUF_INIT;
	if (!cfg) {
		http_client_config_init(&d);
		cfg = &d;
	}
	if (!cfg->ca_pem)
		cfg->ca_pem = e->ca;
	if (cert) {
		cfg->cert_pem = e->cli;
		cfg->key_pem = e->cli_key;
	}
	if (http_client_new(&e->loop, host, http_server_port(e->srv), cfg, &c, &err) != 0)
		fprintf(stderr, "  http_client_new: %s\n", buf_str(&err));
	buf_release(&err);
	return c;
}

/* Closes the client (if any) and the server, runs the loop dry; returns 0 when all is clean. */
static int env_finish(struct env *e, struct http_client *c)
{
	if (c)
		http_client_close(c, client_closed, e);
	if (e->held) {
		http_respond(e->held, 200, "text/plain", NULL, 0, "late", 4);
		e->held = NULL;
	}
	if (e->srv)
		http_server_close(e->srv, server_closed, e);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	int bad = (c && e->client_closed != 1) || (e->srv && !e->server_closed);
	if (uv_loop_close(&e->loop) != 0) {
		fprintf(stderr, "  the loop still has handles\n");
		bad = 1;
	}
	char **v[] = { &e->ca, &e->ca_key, &e->srv_crt, &e->srv_key, &e->cli, &e->cli_key,
		       &e->other_ca, &e->other_key };
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		free(*v[i]);
	return bad;
}

/* ---- client results ---- */

struct res {
	int done, err, status, heads, nchunks;
	int cancel_after;              /* cancel from the data callback after this many chunks */
	struct buf body, error, chunks;
	char ctype[64], xmethod[16];
	struct http_client_req *req;
};

static void res_release(struct res *r)
{
	buf_release(&r->body);
	buf_release(&r->error);
	buf_release(&r->chunks);
}

static void on_head(struct http_client_req *req, const struct http_client_response *resp)
{
	struct res *r = http_client_req_data(req);
	r->heads++;
	r->status = resp->status;
}

static void on_data(struct http_client_req *req, const char *data, size_t len)
{
	struct res *r = http_client_req_data(req);
	r->nchunks++;
	buf_add(&r->chunks, data, len);
	buf_addch(&r->chunks, '|');
	if (r->cancel_after && r->nchunks == r->cancel_after)
		http_client_cancel(req);
}

static void on_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct res *r = http_client_req_data(req);
	const char *ct = http_client_header(resp, "content-type");
	const char *xm = http_client_header(resp, "X-Method");
	r->done++;
	r->err = err;
	r->status = resp->status;
	buf_add(&r->body, resp->body, resp->body_len);
	buf_adds(&r->error, resp->error);
	snprintf(r->ctype, sizeof(r->ctype), "%s", ct ? ct : "");
	snprintf(r->xmethod, sizeof(r->xmethod), "%s", xm ? xm : "");
	r->req = NULL;
}

/* Sends a request whose results go to r (reset first). Returns http_client_send's result. */
static int send_req(struct http_client *c, struct res *r, const char *method, const char *target,
		    const char *body, int stream, uint64_t timeout_ms)
{
	struct http_client_request q = { 0 };
	int cancel_after = r->cancel_after;
	res_release(r);
	memset(r, 0, sizeof(*r));
	r->cancel_after = cancel_after;
	q.method = method;
	q.target = target;
	q.body = body;
	q.body_len = body ? strlen(body) : 0;
	q.timeout_ms = timeout_ms;
	q.on_head = on_head;
	q.on_data = stream ? on_data : NULL;
	q.on_done = on_done;
	q.data = r;
	return http_client_send(c, &q, &r->req);
}

static void wake(uv_timer_t *t)
{
	UNUSED(t);
}

/* Runs the loop until *flag >= want or ms pass; returns nonzero if the flag got there. */
static int run_until(uv_loop_t *loop, const int *flag, int want, uint64_t ms)
{
	uv_timer_t t;
	uv_timer_init(loop, &t);
	uv_timer_start(&t, wake, 10, 10);
	uint64_t end = uv_now(loop) + ms;
	while (*flag < want && uv_now(loop) < end)
		uv_run(loop, UV_RUN_ONCE);
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	return *flag >= want;
}

static void run_for(uv_loop_t *loop, uint64_t ms)
{
	int never = 0;
	run_until(loop, &never, 1, ms);
}

#define WAIT(e, flag, want) \
	do { \
		if (!run_until(&(e)->loop, &(flag), (want), 10000)) \
			FAIL("timed out waiting for %s >= %d", #flag, (int)(want)); \
	} while (0)

/* ---- tests against our server over TLS ---- */

TEST_IMPL(http_client_tls_requests)
{
	struct env e;
	struct res r = { 0 };
	struct http_client_stats st;
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	struct http_client *c = env_client(&e, "127.0.0.1", 1, NULL);
	ASSERT(c);
	/* The client certificate is verified by the server. */
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	if (r.err)
		FAIL("err %d: %s", r.err, r.error.data);
	ASSERT_EQ(r.status, 200);
	ASSERT_EQ(r.heads, 1);
	ASSERT_STR(buf_str(&r.body), "cn=jane orgs=dev,ops");
	ASSERT_STR(r.ctype, "text/plain");
	/* A body, a header of ours, the response headers. */
	struct http_client_request q = { .method = "POST", .target = "/echo?x=1", .body = "{\"a\":1}",
					 .body_len = 7, .on_done = on_done, .data = &r };
	const struct http_header h = { "Content-Type", "application/json" };
	q.headers = &h;
	q.nheaders = 1;
	res_release(&r);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(http_client_send(c, &q, NULL), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, 0);
	ASSERT_EQ(r.status, 201);
	ASSERT_STR(buf_str(&r.body), "{\"a\":1}");
	ASSERT_STR(r.ctype, "application/json");
	ASSERT_STR(r.xmethod, "POST");
	ASSERT_STR(buf_str(&r.error), "");
	/* An empty POST carries Content-Length: 0; 404, 204, HEAD and a 100 KB body. */
	ASSERT_EQ(send_req(c, &r, "POST", "/echo", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.status, 201);
	ASSERT_EQ(r.body.len, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/missing", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.status, 404);
	ASSERT_STR(buf_str(&r.body), "nope");
	ASSERT_EQ(send_req(c, &r, "DELETE", "/nocontent", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.status, 204);
	ASSERT_EQ(send_req(c, &r, "HEAD", "/big", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.status, 200);
	ASSERT_EQ(r.body.len, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/big", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.body.len, 100000);
	ASSERT_EQ(send_req(c, &r, "GET", "/agent", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_STR(buf_str(&r.body), "kube");
	/* All of it on one kept-alive connection. */
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 1);
	ASSERT_EQ(st.requests, 8);
	ASSERT_EQ(st.reused, 7);
	ASSERT_EQ(st.conns, 1);
	ASSERT_EQ(st.idle, 1);
	/* Without a client certificate the server sees no identity. */
	struct http_client *anon = env_client(&e, "127.0.0.1", 0, NULL);
	ASSERT_EQ(send_req(anon, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_STR(buf_str(&r.body), "peer=none");
	http_client_close(anon, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	res_release(&r);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* Sequential requests reuse one connection; concurrent ones open more, which resume the TLS
 * session and still carry the client certificate's identity; idle ones are reused after. */
TEST_IMPL(http_client_keepalive)
{
	struct env e;
	struct res r[4];
	struct http_client_stats st;
	char first[64] = "";
	memset(r, 0, sizeof(r));
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	struct http_client *c = env_client(&e, "127.0.0.1", 1, NULL);
	for (int i = 0; i < 20; i++) {
		ASSERT_EQ(send_req(c, &r[0], "GET", "/remote", NULL, 0, 5000), 0);
		WAIT(&e, r[0].done, 1);
		ASSERT_EQ(r[0].err, 0);
		if (i == 0)
			snprintf(first, sizeof(first), "%s", r[0].body.data);
		ASSERT_STR(r[0].body.data, first); /* the same client port every time */
	}
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 1);
	ASSERT_EQ(st.reused, 19);
	/* Four at once: four connections, the new ones resumed. */
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(send_req(c, &r[i], "GET", "/peer", NULL, 0, 5000), 0);
	http_client_stats(c, &st);
	ASSERT_EQ(st.queued, 3);
	for (int i = 0; i < 4; i++) {
		WAIT(&e, r[i].done, 1);
		ASSERT_EQ(r[i].err, 0);
		ASSERT_STR(buf_str(&r[i].body), "cn=jane orgs=dev,ops");
	}
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 4);
	ASSERT_EQ(st.resumed, 3);
	ASSERT_EQ(st.conns, 4);
	ASSERT_EQ(st.idle, 4);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(send_req(c, &r[i], "GET", "/peer", NULL, 0, 5000), 0);
	for (int i = 0; i < 4; i++)
		WAIT(&e, r[i].done, 1);
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 4);
	ASSERT_EQ(st.requests, 28);
	/* max_idle: with a pool of one, the others close once idle. */
	struct http_client_config cfg;
	http_client_config_init(&cfg);
	cfg.max_idle = 1;
	struct http_client *c1 = env_client(&e, "127.0.0.1", 1, &cfg);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(send_req(c1, &r[i], "GET", "/peer", NULL, 0, 5000), 0);
	for (int i = 0; i < 3; i++)
		WAIT(&e, r[i].done, 1);
	http_client_stats(c1, &st);
	ASSERT_EQ(st.connects, 3);
	ASSERT_EQ(st.conns, 1);
	http_client_close(c1, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	for (int i = 0; i < 4; i++)
		res_release(&r[i]);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* max_conns: requests wait for the one connection. An idle connection the server closes is
 * noticed and replaced. */
TEST_IMPL(http_client_pool_limits)
{
	struct env e;
	struct res r[3];
	struct http_client_stats st;
	struct http_client_config cfg;
	memset(r, 0, sizeof(r));
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	http_client_config_init(&cfg);
	cfg.max_conns = 1;
	cfg.idle_timeout_ms = 150;
	struct http_client *c = env_client(&e, "127.0.0.1", 1, &cfg);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(send_req(c, &r[i], "GET", "/remote", NULL, 0, 5000), 0);
	for (int i = 0; i < 3; i++) {
		WAIT(&e, r[i].done, 1);
		ASSERT_EQ(r[i].err, 0);
	}
	ASSERT_STR(r[0].body.data, r[2].body.data);
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 1);
	/* The client's idle timeout closes the connection; the next request opens another. */
	run_for(&e.loop, 400);
	http_client_stats(c, &st);
	ASSERT_EQ(st.conns, 0);
	ASSERT_EQ(send_req(c, &r[0], "GET", "/remote", NULL, 0, 5000), 0);
	WAIT(&e, r[0].done, 1);
	ASSERT_EQ(r[0].err, 0);
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 2);
	for (int i = 0; i < 3; i++)
		res_release(&r[i]);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* A chunked stream arrives one chunk per call; the server ending it cleanly is success. */
TEST_IMPL(http_client_stream_chunks)
{
	struct env e;
	struct res r = { 0 };
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	struct http_client *c = env_client(&e, "127.0.0.1", 1, NULL);
	ASSERT_EQ(send_req(c, &r, "GET", "/chunks?n=5000", NULL, 1, 0), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, 0);
	ASSERT_EQ(r.heads, 1);
	ASSERT_EQ(r.status, 200);
	ASSERT_EQ(r.nchunks, 5000);
	ASSERT_EQ(r.body.len, 0);
	ASSERT(starts_with(r.chunks.data, "{\"n\":0}\n|{\"n\":1}\n|"));
	ASSERT(ends_with(r.chunks.data, "|{\"n\":4999}\n|"));
	/* A stream the server holds: events arrive as they are written. */
	ASSERT_EQ(send_req(c, &r, "GET", "/stream?watch=1", NULL, 1, 0), 0);
	WAIT(&e, r.nchunks, 1);
	ASSERT_STR(r.chunks.data, "{\"first\":1}\n|");
	ASSERT(e.held);
	http_stream_write_bytes(e.held, "{\"second\":2}\n", 13);
	WAIT(&e, r.nchunks, 2);
	ASSERT_EQ(r.done, 0);
	http_stream_end(e.held);
	e.held = NULL;
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, 0);
	ASSERT_STR(r.chunks.data, "{\"first\":1}\n|{\"second\":2}\n|");
	/* The connection is reusable after a stream that ended. */
	struct http_client_stats st;
	http_client_stats(c, &st);
	ASSERT_EQ(st.idle, 1);
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 1);
	res_release(&r);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* The server going away in the middle of a stream: the chunks received, then -ECONNRESET. A
 * stream cancelled from its data callback: -ECANCELED from the loop, the server sees the abort. */
TEST_IMPL(http_client_stream_cut)
{
	struct env e;
	struct res r = { 0 };
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	struct http_client *c = env_client(&e, "127.0.0.1", 1, NULL);
	r.cancel_after = 3;
	ASSERT_EQ(send_req(c, &r, "GET", "/stream", NULL, 1, 0), 0);
	WAIT(&e, r.nchunks, 1);
	http_stream_write_bytes(e.held, "b", 1);
	http_stream_write_bytes(e.held, "c", 1);
	http_stream_write_bytes(e.held, "d", 1);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -ECANCELED);
	ASSERT_EQ(r.nchunks, 3); /* nothing after the cancel */
	WAIT(&e, e.aborted, 1);
	r.cancel_after = 0;
	ASSERT_EQ(send_req(c, &r, "GET", "/stream", NULL, 1, 0), 0);
	WAIT(&e, r.nchunks, 1);
	http_stream_write_bytes(e.held, "more", 4);
	WAIT(&e, r.nchunks, 2);
	http_server_close(e.srv, server_closed, &e); /* cuts the stream: no last chunk */
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -ECONNRESET);
	ASSERT_EQ(r.status, 200);
	ASSERT_STR(r.chunks.data, "{\"first\":1}\n|more|");
	ASSERT(strstr(r.error.data, "closed the connection"));
	WAIT(&e, e.server_closed, 1);
	e.srv = NULL;
	/* With the server gone, a new request fails to connect. */
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, UV_ECONNREFUSED);
	ASSERT(strstr(r.error.data, "connection refused"));
	res_release(&r);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* A CA that did not sign the server, or a name the certificate does not carry: -EACCES. */
TEST_IMPL(http_client_bad_ca)
{
	struct env e;
	struct res r = { 0 };
	struct http_client_config cfg;
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	http_client_config_init(&cfg);
	cfg.ca_pem = e.other_ca;
	struct http_client *c = env_client(&e, "127.0.0.1", 1, &cfg);
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -EACCES);
	ASSERT_EQ(r.status, 0);
	ASSERT(strstr(r.error.data, "not correctly signed by the trusted CA"));
	ASSERT_EQ(e.nreq, 0);
	http_client_close(c, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	/* The right CA, a DNS name the certificate lacks. */
	http_client_config_init(&cfg);
	cfg.server_name = "api.example.com";
	c = env_client(&e, "127.0.0.1", 1, &cfg);
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -EACCES);
	ASSERT(strstr(r.error.data, "api.example.com"));
	http_client_close(c, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	/* An IP address the certificate lacks. */
	http_client_config_init(&cfg);
	cfg.server_name = "10.1.2.3";
	c = env_client(&e, "127.0.0.1", 1, &cfg);
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -EACCES);
	ASSERT(strstr(r.error.data, "10.1.2.3"));
	http_client_close(c, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	/* The DNS name it has, resolved. */
	c = env_client(&e, "localhost", 1, NULL);
	ASSERT_EQ(send_req(c, &r, "GET", "/peer", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	if (r.err)
		FAIL("localhost: %d %s", r.err, r.error.data);
	ASSERT_STR(r.body.data, "cn=jane orgs=dev,ops");
	ASSERT_EQ(e.nreq, 1);
	res_release(&r);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

TEST_IMPL(http_client_ipv6)
{
	struct env e;
	struct res r = { 0 };
	if (env_start(&e, "::1") != 0) {
		fprintf(stderr, "  no IPv6 loopback: skipped\n");
		env_finish(&e, NULL);
		return 0;
	}
	struct http_client *c = env_client(&e, "[::1]", 1, NULL);
	ASSERT(c);
	ASSERT_EQ(send_req(c, &r, "GET", "/remote", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	if (r.err)
		FAIL("%d %s", r.err, r.error.data);
	ASSERT(starts_with(r.body.data, "[::1]:"));
	res_release(&r);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* A request deadline; a server that accepts but never completes the handshake; cancelling a
 * queued request and closing the client with requests in flight. */
TEST_IMPL(http_client_timeouts_cancel)
{
	struct env e;
	struct res r[3];
	struct http_client_config cfg;
	memset(r, 0, sizeof(r));
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	struct http_client *c = env_client(&e, "127.0.0.1", 1, NULL);
	struct http_client_stats st;
	/* A connection first, so that the deadline cannot pass before the request is sent. */
	ASSERT_EQ(send_req(c, &r[0], "GET", "/peer", NULL, 0, 0), 0);
	WAIT(&e, r[0].done, 1);
	uint64_t t0 = uv_now(&e.loop);
	ASSERT_EQ(send_req(c, &r[0], "GET", "/hold", NULL, 0, 200), 0);
	WAIT(&e, r[0].done, 1);
	ASSERT_EQ(r[0].err, -ETIMEDOUT);
	ASSERT(uv_now(&e.loop) - t0 >= 190);
	ASSERT(strstr(r[0].error.data, "timed out"));
	WAIT(&e, e.aborted, 1); /* the connection was closed */
	http_client_stats(c, &st);
	ASSERT_EQ(st.conns, 0);
	/* Deadlines count from the send, even when the loop has not run for longer than them. */
	usleep(300000);
	ASSERT_EQ(send_req(c, &r[0], "GET", "/peer", NULL, 0, 250), 0);
	WAIT(&e, r[0].done, 1);
	if (r[0].err)
		FAIL("after a blocked loop: %d %s", r[0].err, r[0].error.data);
	/* Cancelling: queued, and in flight; the callbacks come from the loop. */
	http_client_config_init(&cfg);
	cfg.max_conns = 1;
	struct http_client *c1 = env_client(&e, "127.0.0.1", 1, &cfg);
	ASSERT_EQ(send_req(c1, &r[0], "GET", "/hold", NULL, 0, 0), 0);
	ASSERT_EQ(send_req(c1, &r[1], "GET", "/peer", NULL, 0, 0), 0);
	ASSERT_EQ(send_req(c1, &r[2], "GET", "/peer", NULL, 0, 0), 0);
	http_client_cancel(r[1].req);
	ASSERT_EQ(r[1].done, 0);
	WAIT(&e, r[1].done, 1);
	ASSERT_EQ(r[1].err, -ECANCELED);
	WAIT(&e, e.nreq, 4);
	ASSERT(e.held);
	http_client_close(c1, client_closed, &e);
	ASSERT_EQ(r[0].done + r[2].done, 0);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	ASSERT_EQ(r[0].done, 1);
	ASSERT_EQ(r[0].err, -ECANCELED);
	ASSERT_EQ(r[2].done, 1);
	ASSERT_EQ(r[2].err, -ECANCELED);
	WAIT(&e, e.aborted, 2);
	/* Bad requests are refused at once, without a callback. */
	struct http_client_request q = { .method = "GET", .target = "no-slash", .on_done = on_done };
	ASSERT_EQ(http_client_send(c, &q, NULL), -KUBE_EINVAL);
	const struct http_header bad = { "X-A", "a\r\nX-Injected: 1" };
	q.target = "/peer";
	q.headers = &bad;
	q.nheaders = 1;
	ASSERT_EQ(http_client_send(c, &q, NULL), -KUBE_EINVAL);
	const struct http_header host = { "host", "elsewhere" };
	q.headers = &host;
	ASSERT_EQ(http_client_send(c, &q, NULL), -KUBE_EINVAL);
	q.headers = NULL;
	q.nheaders = 0;
	q.target = "/a b";
	ASSERT_EQ(http_client_send(c, &q, NULL), -KUBE_EINVAL);
	struct http_client *bad_client = NULL;
	http_client_config_init(&cfg);
	ASSERT_EQ(http_client_new(&e.loop, "bad host", 443, &cfg, &bad_client, NULL), -KUBE_EINVAL);
	ASSERT_EQ(http_client_new(&e.loop, "127.0.0.1", 0, &cfg, &bad_client, NULL), -KUBE_EINVAL);
	cfg.ca_pem = "not a certificate";
	ASSERT_EQ(http_client_new(&e.loop, "127.0.0.1", 443, &cfg, &bad_client, NULL), -KUBE_EINVAL);
	for (int i = 0; i < 3; i++)
		res_release(&r[i]);
	ASSERT_EQ(env_finish(&e, c), 0);
	return 0;
}

/* ---- a scripted plain-TCP server ---- */

enum fake_mode {
	FAKE_RETRY, FAKE_MALFORMED, FAKE_EOF_BODY, FAKE_INTERIM, FAKE_SPLIT, FAKE_SILENT, FAKE_CLOSE_IDLE,
	FAKE_BIG_CHUNK,
};

struct fake {
	uv_tcp_t listener;
	enum fake_mode mode;
	int port, accepted, closed_conns, listener_closed;
};

struct fake_conn {
	uv_tcp_t tcp;
	uv_timer_t timer;
	struct fake *f;
	int id, nreq, handles;
	struct buf in;
	const char *const *later; /* written by the timer, one every 50 ms, up to a NULL */
};

struct fake_write {
	uv_write_t w;
	char *data;
};

static void fake_write_done(uv_write_t *w, int status)
{
	struct fake_write *fw = w->data;
	UNUSED(status);
	free(fw->data);
	free(fw);
}

static void fake_write(struct fake_conn *fc, const char *s)
{
	struct fake_write *fw = xmalloc(sizeof(*fw));
	fw->data = xstrdup(s);
	fw->w.data = fw;
	uv_buf_t b = uv_buf_init(fw->data, (unsigned)strlen(s));
	uv_write(&fw->w, (uv_stream_t *)&fc->tcp, &b, 1, fake_write_done);
}

static void fake_conn_closed(uv_handle_t *h)
{
	struct fake_conn *fc = h->data;
	if (--fc->handles == 0) {
		fc->f->closed_conns++;
		buf_release(&fc->in);
		free(fc);
	}
}

static void fake_close(struct fake_conn *fc)
{
	if (uv_is_closing((uv_handle_t *)&fc->tcp))
		return;
	uv_close((uv_handle_t *)&fc->tcp, fake_conn_closed);
	uv_close((uv_handle_t *)&fc->timer, fake_conn_closed);
}

/* Writes the next string of fc->later; an empty one closes the connection. */
static void fake_later(uv_timer_t *t)
{
	struct fake_conn *fc = t->data;
	if (fc->later && *fc->later && !**fc->later) {
		fake_close(fc);
		return;
	}
	if (fc->later && *fc->later)
		fake_write(fc, *fc->later++);
	if (fc->later && *fc->later)
		uv_timer_start(&fc->timer, fake_later, 50, 0);
}

/* Answers request number fc->nreq (counted per connection) as the mode says. */
static void fake_answer(struct fake_conn *fc)
{
	static const char ok0[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr0";
	static const char ok1[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr1";
	static const char *const split[] = { "lo\r\n3\r\nabc", "\r\n0\r\n\r\n", NULL };
	static const char *const close_now[] = { "", NULL };
	switch (fc->f->mode) {
	case FAKE_RETRY: /* the first connection serves one request, then closes silently */
		if (fc->id == 0 && fc->nreq == 1) {
			fake_write(fc, ok0);
		} else if (fc->id == 0) {
			fake_close(fc);
		} else {
			fake_write(fc, ok1);
		}
		break;
	case FAKE_MALFORMED:
		fake_write(fc, "HTTP/1.1 2x0 OK\r\n\r\n");
		break;
	case FAKE_EOF_BODY:
		fake_write(fc, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
		fake_close(fc);
		break;
	case FAKE_INTERIM:
		fake_write(fc, "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\nHTTP/1.1 200 OK\r\n"
			       "Content-Length: 1\r\nX-Final: 1\r\n\r\nx");
		break;
	case FAKE_SPLIT: /* a chunk split in its data, then one whose CRLF comes later */
		fake_write(fc, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
		fc->later = split;
		uv_timer_start(&fc->timer, fake_later, 50, 0);
		break;
	case FAKE_SILENT:
		break;
	case FAKE_CLOSE_IDLE: /* keep-alive, then the server's idle timeout closes it */
		fake_write(fc, ok0);
		fc->later = close_now;
		uv_timer_start(&fc->timer, fake_later, 30, 0);
		break;
	case FAKE_BIG_CHUNK:
		fake_write(fc, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			       "2\r\nok\r\n100000\r\nxxxx");
		break;
	}
}

static void fake_alloc(uv_handle_t *h, size_t n, uv_buf_t *b)
{
	static char space[65536];
	UNUSED(h);
	UNUSED(n);
	*b = uv_buf_init(space, sizeof(space));
}

static void fake_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct fake_conn *fc = s->data;
	if (n < 0) {
		fake_close(fc);
		return;
	}
	buf_add(&fc->in, b->base, (size_t)n);
	/* Each request line is one request (the bodies here never contain one). */
	const char *p;
	while ((p = strstr(buf_str(&fc->in), " HTTP/1.1\r\n")) != NULL) {
		size_t off = (size_t)(p - fc->in.data) + 11;
		memmove(fc->in.data, fc->in.data + off, fc->in.len - off);
		buf_truncate(&fc->in, fc->in.len - off);
		fc->nreq++;
		fake_answer(fc);
		if (uv_is_closing((uv_handle_t *)&fc->tcp))
			return;
	}
}

static void fake_accept(uv_stream_t *ls, int status)
{
	struct fake *f = ls->data;
	if (status < 0)
		return;
	struct fake_conn *fc = xcalloc(1, sizeof(*fc));
	fc->f = f;
	fc->id = f->accepted++;
	uv_tcp_init(ls->loop, &fc->tcp);
	uv_timer_init(ls->loop, &fc->timer);
	fc->tcp.data = fc->timer.data = fc;
	fc->handles = 2;
	uv_accept(ls, (uv_stream_t *)&fc->tcp);
	uv_read_start((uv_stream_t *)&fc->tcp, fake_alloc, fake_read);
}

static int fake_start(uv_loop_t *loop, struct fake *f, enum fake_mode mode)
{
	struct sockaddr_in a;
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	memset(f, 0, sizeof(*f));
	f->mode = mode;
	uv_ip4_addr("127.0.0.1", 0, &a);
	uv_tcp_init(loop, &f->listener);
	f->listener.data = f;
	if (uv_tcp_bind(&f->listener, (const struct sockaddr *)&a, 0) != 0 ||
	    uv_listen((uv_stream_t *)&f->listener, 16, fake_accept) != 0 ||
	    uv_tcp_getsockname(&f->listener, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	f->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static void fake_listener_closed(uv_handle_t *h)
{
	struct fake *f = h->data;
	f->listener_closed = 1;
}

/* A plain client of the fake server (or a TLS one with ca). */
static struct http_client *fake_client(uv_loop_t *loop, struct fake *f, const char *ca,
				       uint64_t connect_timeout_ms)
{
	struct http_client_config cfg;
	struct http_client *c = NULL;
	http_client_config_init(&cfg);
	cfg.ca_pem = ca;
	cfg.connect_timeout_ms = connect_timeout_ms;
	http_client_new(loop, "127.0.0.1", f->port, &cfg, &c, NULL);
	return c;
}

/* Closes the client and the fake server (its connections close when the client's do). */
static int fake_finish(uv_loop_t *loop, struct fake *f, struct http_client *c)
{
	http_client_close(c, NULL, NULL);
	uv_close((uv_handle_t *)&f->listener, fake_listener_closed);
	run_until(loop, &f->listener_closed, 1, 5000);
	run_until(loop, &f->closed_conns, f->accepted, 5000);
	uv_run(loop, UV_RUN_DEFAULT);
	return uv_loop_close(loop) != 0 || f->closed_conns != f->accepted;
}

/* A kept-alive connection the server has closed: an idempotent request is sent again on a new
 * connection; a POST is not. */
TEST_IMPL(http_client_retry_stale)
{
	uv_loop_t loop;
	struct fake f;
	struct res r = { 0 };
	struct http_client_stats st;
	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_RETRY), 0);
	struct http_client *c = fake_client(&loop, &f, NULL, 0);
	ASSERT(c);
	ASSERT_EQ(send_req(c, &r, "GET", "/a", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, 0);
	ASSERT_STR(r.body.data, "r0");
	ASSERT_EQ(send_req(c, &r, "GET", "/b", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	if (r.err)
		FAIL("%d %s", r.err, r.error.data);
	ASSERT_STR(r.body.data, "r1");
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 2);
	ASSERT_EQ(st.requests, 3);
	ASSERT_EQ(f.accepted, 2);
	/* Again on the second connection (served once): a POST that meets a closed connection
	 * fails instead. The fake closes connection 0 only, so make the stale one by hand:
	 * a fresh fake in retry mode. */
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);
	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_RETRY), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/a", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(send_req(c, &r, "POST", "/b", "x", 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, -ECONNRESET);
	ASSERT_EQ(f.accepted, 1);
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);
	/* An idle connection the server closes is dropped from the pool at once. */
	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_CLOSE_IDLE), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/a", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	http_client_stats(c, &st);
	ASSERT_EQ(st.idle, 1);
	ASSERT(run_until(&loop, &f.closed_conns, 1, 5000));
	run_for(&loop, 20);
	http_client_stats(c, &st);
	ASSERT_EQ(st.conns, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/b", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, 0);
	http_client_stats(c, &st);
	ASSERT_EQ(st.connects, 2);
	ASSERT_EQ(st.requests, 2); /* no retry was needed */
	res_release(&r);
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);
	return 0;
}

/* What our server never sends: a malformed status line, a body ended by the connection, an
 * interim 100 answer, a chunk split across reads. */
TEST_IMPL(http_client_odd_responses)
{
	uv_loop_t loop;
	struct fake f;
	struct res r = { 0 };
	struct http_client_stats st;
	struct http_client *c;
	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_MALFORMED), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, -EPROTO);
	ASSERT(strstr(r.error.data, "malformed HTTP response"));
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);

	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_EOF_BODY), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, 0);
	ASSERT_STR(r.body.data, "until the end");
	http_client_stats(c, &st);
	ASSERT_EQ(st.idle, 0);
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);

	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_INTERIM), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 0, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, 0);
	ASSERT_EQ(r.status, 200);
	ASSERT_STR(r.body.data, "x");
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);

	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_SPLIT), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 1, 5000), 0);
	ASSERT(run_until(&loop, &r.nchunks, 1, 5000));
	ASSERT_STR(r.chunks.data, "hello|");
	/* "abc" arrives whole but its CRLF 50 ms later: delivered once it is complete. */
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, 0);
	ASSERT_STR(r.chunks.data, "hello|abc|");
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);
	/* Cancelling a stream in the middle of a chunk. */
	uv_loop_init(&loop);
	ASSERT_EQ(fake_start(&loop, &f, FAKE_SPLIT), 0);
	c = fake_client(&loop, &f, NULL, 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 1, 5000), 0);
	run_for(&loop, 20);
	ASSERT_EQ(r.nchunks, 0);
	http_client_cancel(r.req);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, -ECANCELED);
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);
	res_release(&r);
	return 0;
}

/* Response headers over max_header_bytes, a body over max_body, a streamed chunk over it (a
 * stream's body without chunks has no limit): -EMSGSIZE. */
TEST_IMPL(http_client_limits)
{
	struct env e;
	struct fake f;
	struct res r = { 0 };
	uv_loop_t loop;
	struct http_client *c;
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	struct http_client_config small;
	http_client_config_init(&small);
	small.max_body = 1000;
	small.max_header_bytes = 40;
	struct http_client *cs = env_client(&e, "127.0.0.1", 1, &small);
	ASSERT_EQ(send_req(cs, &r, "GET", "/big", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -EMSGSIZE);
	ASSERT_STR(r.error.data, "the response headers are too large");
	http_client_close(cs, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	small.max_header_bytes = 0;
	cs = env_client(&e, "127.0.0.1", 1, &small);
	ASSERT_EQ(send_req(cs, &r, "GET", "/big", NULL, 0, 5000), 0);
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, -EMSGSIZE);
	ASSERT_STR(r.error.data, "the response body is too large");
	ASSERT_EQ(send_req(cs, &r, "GET", "/big", NULL, 1, 5000), 0); /* a stream: no limit */
	WAIT(&e, r.done, 1);
	ASSERT_EQ(r.err, 0);
	ASSERT_EQ(r.chunks.len, 100000 + (size_t)r.nchunks);
	http_client_close(cs, client_closed, &e);
	WAIT(&e, e.client_closed, 1);
	e.client_closed = 0;
	res_release(&r);
	ASSERT_EQ(env_finish(&e, NULL), 0);
	uv_loop_init(&loop);
	/* A streamed chunk over max_body: the chunks before it, then -EMSGSIZE. */
	ASSERT_EQ(fake_start(&loop, &f, FAKE_BIG_CHUNK), 0);
	struct http_client_config cfg;
	http_client_config_init(&cfg);
	cfg.max_body = 1000;
	ASSERT_EQ(http_client_new(&loop, "127.0.0.1", f.port, &cfg, &c, NULL), 0);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 1, 5000), 0);
	ASSERT(run_until(&loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, -EMSGSIZE);
	ASSERT_STR(r.chunks.data, "ok|");
	ASSERT_STR(r.error.data, "a streamed chunk is too large");
	ASSERT_EQ(fake_finish(&loop, &f, c), 0);
	res_release(&r);
	return 0;
}

/* A TLS client of a server that accepts and never answers: the connect timeout. */
TEST_IMPL(http_client_connect_timeout)
{
	struct env e;
	struct fake f;
	struct res r = { 0 };
	uv_loop_t *loop;
	ASSERT_EQ(env_start(&e, "127.0.0.1"), 0);
	loop = &e.loop;
	ASSERT_EQ(fake_start(loop, &f, FAKE_SILENT), 0);
	struct http_client *c = fake_client(loop, &f, e.ca, 200);
	uint64_t t0 = uv_now(loop);
	ASSERT_EQ(send_req(c, &r, "GET", "/", NULL, 0, 0), 0);
	ASSERT(run_until(loop, &r.done, 1, 5000));
	ASSERT_EQ(r.err, -ETIMEDOUT);
	ASSERT(uv_now(loop) - t0 >= 190);
	ASSERT(strstr(r.error.data, "connecting timed out"));
	http_client_close(c, NULL, NULL);
	uv_close((uv_handle_t *)&f.listener, fake_listener_closed);
	run_until(loop, &f.closed_conns, f.accepted, 5000);
	res_release(&r);
	ASSERT_EQ(env_finish(&e, NULL), 0);
	return 0;
}
