/*
 * Unit tests for lib/rest: the JSON stream splitter, paths, requests against a scripted plain
 * HTTP server (our lib/http) on 127.0.0.1, and informers through list pages, watch events,
 * bookmarks, a watch that ends, 410 Gone (in the stream and as the watch's status), re-list
 * diffs and back-off after failures. Every test ends with the loop closing clean.
 */
#include "test.h"
#include "buf.h"
#include "http.h"
#include "json.h"
#include "rest.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <uv.h>

/* ---- the JSON stream splitter ---- */

struct split {
	struct buf out;
	int n;
};

static int on_value(const char *obj, size_t len, void *arg)
{
	struct split *s = arg;
	buf_add(&s->out, obj, len);
	buf_addch(&s->out, '|');
	s->n++;
	return 0;
}

TEST_IMPL(rest_jsonstream_split)
{
	struct rest_jsonstream js;
	struct split s = { BUF_INIT, 0 };
	const char *text = "{\"a\":1}\n{\"b\":\"}{\\\"\"} {\"c\":[{\"d\":{}}]}\r\n";
	rest_jsonstream_init(&js, 0);
	/* Byte by byte: every split point. */
	for (const char *p = text; *p; p++)
		ASSERT_EQ(rest_jsonstream_feed(&js, p, 1, on_value, &s), 0);
	ASSERT_EQ(s.n, 3);
	ASSERT_STR(s.out.data, "{\"a\":1}|{\"b\":\"}{\\\"\"}|{\"c\":[{\"d\":{}}]}|");
	/* All at once, twice. */
	buf_reset(&s.out);
	s.n = 0;
	ASSERT_EQ(rest_jsonstream_feed(&js, text, strlen(text), on_value, &s), 0);
	ASSERT_EQ(rest_jsonstream_feed(&js, text, strlen(text), on_value, &s), 0);
	ASSERT_EQ(s.n, 6);
	ASSERT_EQ(js.buf.len, 0);
	rest_jsonstream_release(&js);
	buf_release(&s.out);
	return 0;
}

TEST_IMPL(rest_jsonstream_errors)
{
	struct rest_jsonstream js;
	struct split s = { BUF_INIT, 0 };
	rest_jsonstream_init(&js, 16);
	ASSERT_EQ(rest_jsonstream_feed(&js, "{\"x\":\"0123456789abcdef\"}", 24, on_value, &s), -EMSGSIZE);
	rest_jsonstream_release(&js);
	rest_jsonstream_init(&js, 0);
	ASSERT_EQ(rest_jsonstream_feed(&js, "[1]", 3, on_value, &s), -EPROTO);
	rest_jsonstream_release(&js);
	rest_jsonstream_init(&js, 0);
	ASSERT_EQ(rest_jsonstream_feed(&js, "{}}", 3, on_value, &s), -EPROTO);
	ASSERT_EQ(s.n, 1);
	rest_jsonstream_release(&js);
	buf_release(&s.out);
	return 0;
}

TEST_IMPL(rest_paths)
{
	struct buf p = BUF_INIT;
	rest_path(&p, NULL, "v1", "pods", "default", "web-1", "log");
	ASSERT_STR(p.data, "/api/v1/namespaces/default/pods/web-1/log");
	buf_reset(&p);
	rest_path(&p, "coordination.k8s.io", "v1", "leases", "kube-node-lease", "n1", NULL);
	ASSERT_STR(p.data, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1");
	buf_reset(&p);
	rest_path(&p, "", "v1", "nodes", NULL, "a b/c", "status");
	ASSERT_STR(p.data, "/api/v1/nodes/a%20b%2Fc/status");
	rest_query(&p, "fieldSelector", "spec.nodeName=n1");
	rest_query(&p, "limit", "5");
	ASSERT_STR(p.data, "/api/v1/nodes/a%20b%2Fc/status?fieldSelector=spec.nodeName%3Dn1&limit=5");
	buf_release(&p);
	return 0;
}

/* ---- a scripted API server ---- */

struct env {
	uv_loop_t loop;
	struct http_server *srv;
	struct rest_client *c;
	struct rest_informer *inf;
	struct http_request *held;
	struct buf log;       /* informer callbacks and requests seen */
	int phase;            /* what the next list / watch answers */
	int fail_lists;       /* lists to fail with 500 before answering */
	int watch_410_status; /* the next watch answers 410 as its status */
	int results;
	int closed;
	struct buf last;      /* the last request: method, target, content type, body */
};

static void respond_json(struct http_request *req, int code, const char *json)
{
	http_respond(req, code, "application/json", NULL, 0, json, strlen(json));
}

static const char *item(char *out, size_t n, const char *name, int rv)
{
	snprintf(out, n, "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"ns\",\"resourceVersion\":\"%d\"}}", name, rv);
	return out;
}

static void serve_list(struct env *e, struct http_request *req)
{
	char a[128], b[128], c[128], body[600];
	struct buf cont = BUF_INIT;
	int page2 = http_query(req, "continue", &cont);
	buf_release(&cont);
	if (e->fail_lists > 0) {
		e->fail_lists--;
		respond_json(req, 500, "{\"kind\":\"Status\",\"message\":\"try later\",\"code\":500}");
		return;
	}
	if (e->phase == 0 && !page2) {
		snprintf(body, sizeof(body), "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"continue\":\"c1\"},\"items\":[%s,%s]}",
			 item(a, sizeof(a), "a", 5), item(b, sizeof(b), "b", 6));
	} else if (e->phase == 0) {
		snprintf(body, sizeof(body), "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[%s]}",
			 item(c, sizeof(c), "c", 7));
	} else {
		snprintf(body, sizeof(body), "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"30\"},\"items\":[%s,%s,%s]}",
			 item(a, sizeof(a), "a", 12), item(b, sizeof(b), "c", 20), item(c, sizeof(c), "e", 25));
	}
	respond_json(req, 200, body);
}

static void stream_event(struct http_request *req, const char *type, const char *name, int rv)
{
	char obj[128], ev[256];
	snprintf(ev, sizeof(ev), "{\"type\":\"%s\",\"object\":%s}\n", type, item(obj, sizeof(obj), name, rv));
	http_stream_write_bytes(req, ev, strlen(ev));
}

static void on_abort(struct http_request *req)
{
	struct env *e = req->data;
	if (e->held == req)
		e->held = NULL;
	http_stream_end(req);
}

static void serve_watch(struct env *e, struct http_request *req)
{
	struct buf rv = BUF_INIT;
	http_query(req, "resourceVersion", &rv);
	buf_addf(&e->log, "watch@%s ", buf_str(&rv));
	buf_release(&rv);
	if (e->watch_410_status) {
		e->watch_410_status = 0;
		respond_json(req, 410, "{\"kind\":\"Status\",\"reason\":\"Expired\",\"code\":410}");
		return;
	}
	http_stream_start(req, 200, "application/json", NULL, 0);
	if (e->phase == 0) {
		/* One event split over two writes, then several in one write. */
		const char *p1 = "{\"type\":\"ADDED\",\"object\":{\"metadata\":";
		const char *p2 = "{\"name\":\"d\",\"namespace\":\"ns\",\"resourceVersion\":\"11\"}}}\n";
		const char *bm = "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"14\"}}}";
		http_stream_write_bytes(req, p1, strlen(p1));
		http_stream_write_bytes(req, p2, strlen(p2));
		stream_event(req, "MODIFIED", "a", 12);
		stream_event(req, "DELETED", "b", 13);
		http_stream_write_bytes(req, bm, strlen(bm));
		e->phase = 1;
		http_stream_end(req); /* the watch's timeout: the informer resumes from 14 */
	} else if (e->phase == 1) {
		const char *gone = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\"}}\n";
		http_stream_write_bytes(req, gone, strlen(gone));
		e->phase = 2;
		/* the informer cuts the stream itself */
		e->held = req;
		http_request_on_abort(req, on_abort);
	} else {
		e->held = req;
		http_request_on_abort(req, on_abort);
	}
}

static void handler(struct http_request *req, void *data)
{
	struct env *e = data;
	struct buf w = BUF_INIT;
	req->data = e;
	if (!strcmp(req->path, "/api/v1/namespaces/ns/pods") || !strcmp(req->path, "/api/v1/pods")) {
		if (http_query(req, "watch", &w))
			serve_watch(e, req);
		else
			serve_list(e, req);
	} else if (!strcmp(req->path, "/api/v1/namespaces/ns/pods/missing")) {
		respond_json(req, 404, "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"missing\\\" not found\",\"reason\":\"NotFound\",\"code\":404}");
	} else {
		const char *ct = http_header(req, "Content-Type");
		buf_reset(&e->last);
		buf_addf(&e->last, "%s %s%s%s %s %.*s", req->method, req->path, *req->query ? "?" : "", req->query,
			 ct ? ct : "-", (int)req->body_len, req->body);
		respond_json(req, 200, "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}");
	}
	buf_release(&w);
}

static int env_start(struct env *e)
{
	struct http_server_config hc;
	struct buf err = BUF_INIT;
	char url[64];
	memset(e, 0, sizeof(*e));
	uv_loop_init(&e->loop);
	http_server_config_init(&hc);
	hc.bind_address = "127.0.0.1";
	hc.port = 0;
	hc.on_request = handler;
	hc.data = e;
	if (http_server_start(&e->loop, &hc, &e->srv, &err) < 0)
		FAIL("server: %s", buf_str(&err));
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", http_server_port(e->srv));
	struct rest_config rc = { 0 };
	if (rest_client_new(&e->loop, url, &rc, &e->c, &err) < 0)
		FAIL("client: %s", buf_str(&err));
	buf_release(&err);
	return 0;
}

static void closed(void *arg)
{
	struct env *e = arg;
	e->closed++;
}

static int env_stop(struct env *e)
{
	rest_informer_stop(e->inf);
	rest_client_close(e->c, closed, e);
	http_server_close(e->srv, closed, e);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	ASSERT_EQ(e->closed, 2);
	ASSERT_EQ(uv_loop_close(&e->loop), 0);
	buf_release(&e->log);
	buf_release(&e->last);
	return 0;
}

/* Runs the loop until cond holds (bounded). */
static int run_until(struct env *e, int (*cond)(struct env *e))
{
	for (int i = 0; i < 100000 && !cond(e); i++)
		uv_run(&e->loop, UV_RUN_ONCE);
	return cond(e);
}

/* ---- requests ---- */

struct got {
	struct env *e;
	int code, err;
	char reason[64], message[128], name[64];
};

static void on_result(const struct rest_result *res, void *data)
{
	struct got *g = data;
	g->code = res->code;
	g->err = res->err;
	snprintf(g->reason, sizeof(g->reason), "%s", res->reason);
	snprintf(g->message, sizeof(g->message), "%s", res->message);
	const char *n = json_strv(res->obj, "metadata", "name", NULL);
	snprintf(g->name, sizeof(g->name), "%s", n ? n : "");
	g->e->results++;
}

static int one_result(struct env *e)
{
	return e->results > 0;
}

TEST_IMPL(rest_requests)
{
	struct env e;
	struct got g = { &e };
	cJSON *obj = json_parse("{\"metadata\":{\"name\":\"x\"}}", 25, NULL);
	if (env_start(&e))
		return 1;
	ASSERT_EQ(rest_create(e.c, "/api/v1/namespaces/ns/things", obj, on_result, &g), 0);
	ASSERT(run_until(&e, one_result));
	ASSERT_EQ(g.code, 200);
	ASSERT_STR(g.name, "x");
	ASSERT_STR(e.last.data, "POST /api/v1/namespaces/ns/things application/json {\"metadata\":{\"name\":\"x\"}}");
	e.results = 0;
	ASSERT_EQ(rest_patch(e.c, "/api/v1/nodes/n1/status", REST_PATCH_STRATEGIC, obj, on_result, &g), 0);
	ASSERT(run_until(&e, one_result));
	ASSERT_STR(e.last.data, "PATCH /api/v1/nodes/n1/status application/strategic-merge-patch+json {\"metadata\":{\"name\":\"x\"}}");
	e.results = 0;
	ASSERT_EQ(rest_update(e.c, "/api/v1/nodes/n1?fieldManager=kubelet", obj, on_result, &g), 0);
	ASSERT(run_until(&e, one_result));
	ASSERT_STR(e.last.data, "PUT /api/v1/nodes/n1?fieldManager=kubelet application/json {\"metadata\":{\"name\":\"x\"}}");
	e.results = 0;
	ASSERT_EQ(rest_delete(e.c, "/api/v1/nodes/n1", NULL, on_result, &g), 0);
	ASSERT(run_until(&e, one_result));
	ASSERT_STR(e.last.data, "DELETE /api/v1/nodes/n1 - ");
	e.results = 0;
	ASSERT_EQ(rest_get(e.c, "/api/v1/namespaces/ns/pods/missing", on_result, &g), 0);
	ASSERT(run_until(&e, one_result));
	ASSERT_EQ(g.code, 404);
	ASSERT_STR(g.reason, "NotFound");
	ASSERT_STR(g.message, "pods \"missing\" not found");
	cJSON_Delete(obj);
	return env_stop(&e);
}

TEST_IMPL(rest_request_refused)
{
	uv_loop_t loop;
	struct rest_client *c;
	struct buf err = BUF_INIT;
	struct env e = { 0 };
	struct got g = { &e };
	struct rest_config rc = { 0 };
	uv_loop_init(&loop);
	ASSERT(rest_client_new(&loop, "ftp://x", &rc, &c, &err) < 0);
	ASSERT(rest_client_new(&loop, "https://127.0.0.1:1", &rc, &c, &err) < 0); /* no CA */
	ASSERT_EQ(rest_client_new(&loop, "http://127.0.0.1:1", &rc, &c, &err), 0);
	ASSERT_EQ(rest_get(c, "/x", on_result, &g), 0);
	while (!e.results)
		uv_run(&loop, UV_RUN_ONCE);
	ASSERT(g.err < 0);
	ASSERT_EQ(g.code, 0);
	ASSERT(strlen(g.message) > 0);
	rest_client_close(c, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_EQ(uv_loop_close(&loop), 0);
	buf_release(&err);
	return 0;
}

/* ---- informers ---- */

static void log_add(const cJSON *obj, void *data)
{
	struct env *e = data;
	buf_addf(&e->log, "add %s@%s ", json_strv(obj, "metadata", "name", NULL),
		 json_strv(obj, "metadata", "resourceVersion", NULL));
	if (strcmp(json_str(obj, "kind") ? json_str(obj, "kind") : "", "Pod"))
		buf_adds(&e->log, "(no kind) ");
}

static void log_update(const cJSON *old, const cJSON *obj, void *data)
{
	struct env *e = data;
	buf_addf(&e->log, "update %s@%s->%s ", json_strv(obj, "metadata", "name", NULL),
		 json_strv(old, "metadata", "resourceVersion", NULL), json_strv(obj, "metadata", "resourceVersion", NULL));
}

static void log_delete(const cJSON *obj, void *data)
{
	struct env *e = data;
	buf_addf(&e->log, "delete %s ", json_strv(obj, "metadata", "name", NULL));
}

static void log_synced(void *data)
{
	struct env *e = data;
	buf_adds(&e->log, "synced ");
}

static const struct rest_informer_ops log_ops = { log_add, log_update, log_delete, log_synced };

static int watching_30(struct env *e)
{
	return strstr(buf_str(&e->log), "watch@30 ") != NULL && e->held;
}

TEST_IMPL(rest_informer_flow)
{
	struct env e;
	if (env_start(&e))
		return 1;
	struct rest_informer_config ic = { .path = "/api/v1/namespaces/ns/pods", .page_size = 2, .ops = &log_ops, .data = &e,
					   .backoff_base_ms = 5, .backoff_max_ms = 20 };
	ASSERT_EQ(rest_informer_start(e.c, &ic, &e.inf), 0);
	ASSERT(run_until(&e, watching_30));
	ASSERT_STR(e.log.data,
		   "add a@5 add b@6 add c@7 synced watch@10 add d@11 update a@5->12 delete b watch@14 "
		   "delete d update c@7->20 add e@25 watch@30 ");
	ASSERT_EQ(rest_informer_count(e.inf), 3);
	ASSERT(rest_informer_get(e.inf, "ns", "e") != NULL);
	ASSERT(rest_informer_get(e.inf, "ns", "d") == NULL);
	struct rest_informer_stats st;
	rest_informer_stats(e.inf, &st);
	ASSERT_EQ(st.lists, 2);
	ASSERT_EQ(st.watches, 3);
	ASSERT_STR(st.rv, "30");
	return env_stop(&e);
}

static int watching(struct env *e)
{
	return e->held != NULL;
}

TEST_IMPL(rest_informer_backoff)
{
	struct env e;
	if (env_start(&e))
		return 1;
	e.fail_lists = 3;
	e.phase = 2;
	struct rest_informer_config ic = { .path = "/api/v1/pods", .ops = &log_ops, .data = &e, .backoff_base_ms = 5,
					   .backoff_max_ms = 20 };
	ASSERT_EQ(rest_informer_start(e.c, &ic, &e.inf), 0);
	ASSERT(run_until(&e, watching));
	ASSERT_EQ(e.fail_lists, 0);
	ASSERT(rest_informer_synced(e.inf));
	struct rest_informer_stats st;
	rest_informer_stats(e.inf, &st);
	ASSERT_EQ(st.failures, 0);
	ASSERT_EQ(st.lists, 1);
	ASSERT_STR(e.log.data, "add a@12 add c@20 add e@25 synced watch@30 ");
	return env_stop(&e);
}

TEST_IMPL(rest_informer_watch_gone_status)
{
	struct env e;
	if (env_start(&e))
		return 1;
	e.phase = 2;
	struct rest_informer_config ic = { .path = "/api/v1/pods", .ops = &log_ops, .data = &e };
	ASSERT_EQ(rest_informer_start(e.c, &ic, &e.inf), 0);
	ASSERT(run_until(&e, watching));
	/* Cut the watch: the informer resumes from 30; the server then answers 410 and the
	 * informer lists again (no callbacks: nothing changed) and watches from the new list. */
	e.watch_410_status = 1;
	http_stream_end(e.held);
	e.held = NULL;
	ASSERT(run_until(&e, watching));
	ASSERT_STR(e.log.data, "add a@12 add c@20 add e@25 synced watch@30 watch@30 watch@30 ");
	struct rest_informer_stats st;
	rest_informer_stats(e.inf, &st);
	ASSERT_EQ(st.lists, 2);
	return env_stop(&e);
}
