/*
 * http.c - the request side of lib/http: header and query lookups, responses (complete or
 * chunked streams), abort callbacks, status texts and configuration defaults.
 *
 * DESIGN
 * A response is written into the connection's output queue (http_conn.c) and the request is
 * finished at once (http_respond, http_stream_end); the queue drains at the transport's pace.
 * When the connection has closed, writes are dropped silently, except that stream writes
 * report -KUBE_ECLOSED so that producers stop early. The status line always says HTTP/1.1;
 * an HTTP/1.0 client gets a close-delimited body instead of chunked encoding.
 */
#include "http_internal.h"
#include "log.h"
#include "util.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

#define HTTP__LEN_CHUNKED (-1LL)
#define HTTP__LEN_NONE (-2LL)

void http_server_config_init(struct http_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_body = 3 * 1024 * 1024;
	cfg->max_url = 8 * 1024;
	cfg->max_header_bytes = 1024 * 1024;
	cfg->header_timeout_ms = 10000;
	cfg->idle_timeout_ms = 90000;
	cfg->max_conns = 1024;
}

const char *http_status_text(int code)
{
	switch (code) {
	case 100: return "Continue";
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Request Entity Too Large";
	case 414: return "Request URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Requested Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Entity";
	case 426: return "Upgrade Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

const char *http_header(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

static int http__hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_unescape(const char *s, size_t n, int plus_is_space, struct buf *out)
{
	buf_reset(out);
	buf_grow(out, n);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '+' && plus_is_space) {
			ch = ' ';
		} else if (ch == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = http__hex(s[i + 1]), lo = http__hex(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = (char)(hi << 4 | lo);
			i += 2;
		}
		buf_addch(out, ch);
	}
	return 0;
}

int http_query(const struct http_request *req, const char *name, struct buf *out)
{
	struct buf key = BUF_INIT;
	const char *p = req->query;
	int found = 0;
	buf_reset(out);
	while (*p && !found) {
		size_t n = strcspn(p, "&");
		const char *pair = p, *eq = memchr(pair, '=', n);
		p += n + (p[n] == '&');
		/* Like Go since 1.17, a pair with a semicolon is invalid and skipped. */
		if (n == 0 || memchr(pair, ';', n))
			continue;
		size_t klen = eq ? (size_t)(eq - pair) : n;
		if (http_unescape(pair, klen, 1, &key) < 0 || strcmp(buf_str(&key), name) != 0)
			continue;
		if (!eq) {
			buf_reset(out);
			found = 1;
		} else if (http_unescape(eq + 1, n - klen - 1, 1, out) == 0) {
			found = 1;
		}
	}
	if (!found)
		buf_reset(out);
	buf_release(&key);
	return found;
}

static void http__abort_unlink(struct http_server *srv, struct http__req *r)
{
	if (r->abort_prev)
		r->abort_prev->abort_next = r->abort_next;
	else
		srv->aborts = r->abort_next;
	if (r->abort_next)
		r->abort_next->abort_prev = r->abort_prev;
	r->abort_prev = r->abort_next = NULL;
	r->abort_queued = 0;
}

void http__req_free(struct http__req *r)
{
	if (!r)
		return;
	if (r->abort_queued)
		http__abort_unlink(r->pub.conn->srv, r);
	buf_release(&r->strings);
	buf_release(&r->body);
	free(r);
}

/* Queues the abort callback of an aborted request, unless it has run or has none. */
static void http__abort_queue(struct http__req *r)
{
	struct http_server *srv = r->pub.conn->srv;
	if (!r->on_abort || r->abort_called || r->abort_queued)
		return;
	r->abort_queued = 1;
	r->abort_next = srv->aborts;
	if (srv->aborts)
		srv->aborts->abort_prev = r;
	srv->aborts = r;
	if (srv->abort_timer_open)
		uv_timer_start(&srv->abort_timer, http__run_aborts, 0, 0);
}

void http__req_abort(struct http__req *r)
{
	r->aborted = 1;
	http__abort_queue(r);
}

void http__run_aborts(uv_timer_t *t)
{
	struct http_server *srv = t->data;
	while (srv->aborts) {
		struct http__req *r = srv->aborts;
		http__abort_unlink(srv, r);
		r->abort_called = 1;
		r->on_abort(&r->pub); /* may finish (and free) r */
	}
}

/* Header names and values must not smuggle line breaks into the response. */
static int http__header_ok(const struct http_header *h)
{
	return h->name && h->value && *h->name && !strpbrk(h->name, "\r\n: ") &&
	       !strpbrk(h->value, "\r\n");
}

void http__write_head(struct http_conn *c, struct http__req *r, int status, const char *ctype,
		      const struct http_header *extra, size_t nextra, long long content_length)
{
	int close = !r || !r->keep_alive || c->srv->closing;
	if (r && content_length == HTTP__LEN_CHUNKED && !r->http11)
		close = 1;
	if (r && close)
		r->keep_alive = 0;
	http__out_addf(c, "HTTP/1.1 %d %s\r\n", status, http_status_text(status));
	if (ctype && !strpbrk(ctype, "\r\n"))
		http__out_addf(c, "Content-Type: %s\r\n", ctype);
	for (size_t i = 0; i < nextra; i++) {
		if (http__header_ok(&extra[i]))
			http__out_addf(c, "%s: %s\r\n", extra[i].name, extra[i].value);
		else
			log_warn("http: dropping invalid response header \"%s\"",
				 extra[i].name ? extra[i].name : "(null)");
	}
	if (content_length >= 0) {
		http__out_addf(c, "Content-Length: %lld\r\n", content_length);
	} else if (content_length == HTTP__LEN_CHUNKED && r->http11) {
		http__out_add(c, "Transfer-Encoding: chunked\r\n", 28);
		r->chunked = 1;
	}
	if (close)
		http__out_add(c, "Connection: close\r\n", 19);
	else if (!r->http11)
		http__out_add(c, "Connection: keep-alive\r\n", 24);
	http__out_add(c, "\r\n", 2);
}

static struct http__req *http__req(struct http_request *req)
{
	return container_of(req, struct http__req, pub);
}

/* Whether output for r can still reach the client. */
static int http__live(struct http__req *r)
{
	return r->pub.conn->state == HTTP__OPEN && !r->aborted;
}

void http_respond(struct http_request *req, int status, const char *content_type,
		  const struct http_header *extra, size_t nextra, const void *body, size_t len)
{
	struct http__req *r = http__req(req);
	struct http_conn *c = req->conn;
	assert(r->state == HTTP__R_NEW);
	r->state = HTTP__R_DONE;
	if (http__live(r)) {
		int bodyless = (status >= 100 && status < 200) || status == 204 || status == 304;
		http__write_head(c, r, status, content_type, extra, nextra,
				 bodyless ? HTTP__LEN_NONE : (long long)len);
		if (!bodyless && !r->head)
			http__out_add(c, body, len);
		http__conn_flush(c);
	}
	http__conn_request_done(c, r);
}

void http_stream_start(struct http_request *req, int status, const char *content_type,
		       const struct http_header *extra, size_t nextra)
{
	struct http__req *r = http__req(req);
	assert(r->state == HTTP__R_NEW);
	r->state = HTTP__R_STREAMING;
	if (!http__live(r))
		return;
	http__write_head(req->conn, r, status, content_type, extra, nextra, HTTP__LEN_CHUNKED);
	http__conn_flush(req->conn);
}

int http_stream_write(struct http_request *req, struct rbuf *const *parts, size_t nparts)
{
	struct http__req *r = http__req(req);
	struct http_conn *c = req->conn;
	size_t total = 0;
	assert(r->state == HTTP__R_STREAMING);
	if (!http__live(r))
		return -KUBE_ECLOSED;
	for (size_t i = 0; i < nparts; i++)
		total += parts[i]->len;
	/* An empty chunk would end the stream; a HEAD response has no body. */
	if (total == 0 || r->head)
		return 0;
	if (r->chunked)
		http__out_addf(c, "%zx\r\n", total);
	for (size_t i = 0; i < nparts; i++)
		http__out_rbuf(c, parts[i], 0, parts[i]->len);
	if (r->chunked)
		http__out_add(c, "\r\n", 2);
	http__conn_flush(c);
	return 0;
}

int http_stream_write_bytes(struct http_request *req, const void *data, size_t len)
{
	struct http__req *r = http__req(req);
	struct http_conn *c = req->conn;
	assert(r->state == HTTP__R_STREAMING);
	if (!http__live(r))
		return -KUBE_ECLOSED;
	if (len == 0 || r->head)
		return 0;
	if (r->chunked)
		http__out_addf(c, "%zx\r\n", len);
	http__out_add(c, data, len);
	if (r->chunked)
		http__out_add(c, "\r\n", 2);
	http__conn_flush(c);
	return 0;
}

size_t http_stream_queued(const struct http_request *req)
{
	return req->conn->queued;
}

void http_stream_end(struct http_request *req)
{
	struct http__req *r = http__req(req);
	struct http_conn *c = req->conn;
	assert(r->state == HTTP__R_STREAMING);
	r->state = HTTP__R_DONE;
	if (http__live(r) && r->chunked && !r->head) {
		http__out_add(c, "0\r\n\r\n", 5);
		http__conn_flush(c);
	}
	http__conn_request_done(c, r);
}

void http_request_on_abort(struct http_request *req, void (*cb)(struct http_request *req))
{
	struct http__req *r = http__req(req);
	if (r->abort_queued && !cb)
		http__abort_unlink(req->conn->srv, r);
	r->on_abort = cb;
	if (r->aborted)
		http__abort_queue(r);
}
