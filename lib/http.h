/*
 * http.h - HTTP/1.1 server on libuv with llhttp, over TLS (mbedTLS) or an in-memory transport.
 *
 * DESIGN
 * A connection reads bytes from its transport (TCP + TLS, or memory for the fuzzer), feeds them
 * to llhttp, and collects one request at a time (method, path, query, headers, body). A complete
 * request is handed to the server's request callback; parsing of the next pipelined request is
 * paused until that request is finished, so responses go out in order. Handlers may answer at
 * once or later (after a store write, or as a stream for watch and logs).
 *
 * Limits protect the server from hostile clients: URL length, header bytes, body size (a body
 * over the limit is answered with 413 before it is read), a deadline for the headers of a
 * request (slowloris), an idle timeout between requests, and a maximum number of connections
 * (beyond it new connections are closed at once). Protocol errors get a 400 and the connection is
 * closed. Error bodies come from the server's error hook, so they are Kubernetes Status objects.
 *
 * Lifetime: a struct http_request belongs to the connection; it stays valid until the handler
 * finishes it (http_respond or http_stream_end), even if the client has gone: then the writes
 * are dropped, and the abort callback (if set) tells a streaming handler to stop early. Abort
 * callbacks run from the loop, never inside an http_* call.
 *
 * Requests carry at most 100 headers (more: 431). Upgrade requests (WebSocket, SPDY) are
 * ordinary requests for now: see the TODO for issue 4 in http_conn.c.
 */
#ifndef KUBE_HTTP_H
#define KUBE_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct buf;
struct rbuf;
struct http_server;
struct http_conn;

struct http_header {
	const char *name;
	const char *value;
};

/* The verified TLS client certificate of a connection: subject CN and O values. */
struct http_peer {
	const char *cn;
	const char *const *orgs;
	size_t norgs;
};

struct http_request {
	struct http_conn *conn;
	const char *method;       /* "GET", "POST", ... */
	const char *path;         /* the URL path, percent-decoding not applied */
	const char *query;        /* the raw query string without '?', or "" */
	const struct http_header *headers;
	size_t nheaders;
	const char *body;         /* NUL-terminated for convenience; body_len bytes */
	size_t body_len;
	const struct http_peer *peer; /* NULL without a verified client certificate */
	const char *remote_addr;  /* "127.0.0.1:54321", "[::1]:54321", "memory" */
	void *data;               /* free for the handler */
};

typedef void http_request_cb(struct http_request *req, void *data);
/* Fills body with the error document for an HTTP-layer error (e.g. a Status object) and
 * returns its content type. reason is upstream's StatusReason: "BadRequest" (400), "Timeout"
 * (408), "RequestEntityTooLarge" (413), "" (414, 431: no upstream reason). */
typedef const char *http_error_cb(int code, const char *reason, const char *message, struct buf *body);

struct http_server_config {
	const char *bind_address;   /* "0.0.0.0", "127.0.0.1", "::" */
	int port;
	const char *cert_pem;       /* serving certificate chain (PEM); NULL: plain HTTP */
	const char *key_pem;        /* its private key (PEM); NULL: plain HTTP */
	const char *client_ca_pem;  /* CA for optional client certificates; NULL: none requested */
	size_t max_body;            /* 3 MiB */
	size_t max_url;             /* 8 KiB */
	size_t max_header_bytes;    /* 1 MiB */
	uint64_t header_timeout_ms; /* 10 s: deadline for a request's headers once it begins
				       (408), and for the TLS handshake */
	uint64_t idle_timeout_ms;   /* 90 s between requests on a keep-alive connection, and the
				       longest pause within a request body */
	int max_conns;              /* 1024 TCP connections */
	http_request_cb *on_request;
	http_error_cb *on_error;
	void *data;                 /* passed to the callbacks */
};

/* Sets the defaults above (no TLS material, no callbacks). A limit left 0 in a config passed to
 * http_server_start also means its default. */
void http_server_config_init(struct http_server_config *cfg);

/* Creates the server. With a bind address it listens on TCP: with TLS 1.2 when cert_pem and
 * key_pem are given (ALPN offers only "http/1.1"; with client_ca_pem a client certificate is
 * requested but optional), plain HTTP when both are NULL (tests, loopback tools). port 0 picks a
 * free port (see http_server_port). Without a bind address there is no listener: only memory
 * connections. The config's strings are not kept. Returns 0 and *out, or a negative error
 * with a message in err. */
int http_server_start(uv_loop_t *loop, const struct http_server_config *cfg, struct http_server **out,
		      struct buf *err);
int http_server_port(const struct http_server *srv);
/* Stops listening and closes every connection (streams see their abort callback, from the
 * loop). Requests still held by handlers stay valid until finished; memory connections stay
 * allocated until http_conn_close. When every handle is closed and every connection freed, the
 * server is freed, then cb (if not NULL) is called from the loop. */
void http_server_close(struct http_server *srv, void (*cb)(void *arg), void *arg);
/* Number of open connections (TCP and memory). */
size_t http_server_conns(const struct http_server *srv);

/* Returns the first header with this name (case-insensitive), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* Looks up a query parameter by name, percent-decoded into out (reset first). Returns 1 if
 * present (even with an empty value), 0 if absent. */
int http_query(const struct http_request *req, const char *name, struct buf *out);

/* Percent-decodes n bytes of s into out (reset first), like Go's url.QueryUnescape when
 * plus_is_space ('+' is a space) or url.PathUnescape otherwise. Returns 0, or -1 on a malformed
 * escape. */
int http_unescape(const char *s, size_t n, int plus_is_space, struct buf *out);

/* Sends a complete response and finishes the request. extra headers may be NULL; one with a
 * line break in its name or value is dropped (and logged). 1xx, 204 and 304 responses carry
 * no Content-Length and no body; a HEAD response carries the length but no body. */
void http_respond(struct http_request *req, int status, const char *content_type,
		  const struct http_header *extra, size_t nextra, const void *body, size_t len);

/* Starts a chunked response (status and headers are sent now). */
void http_stream_start(struct http_request *req, int status, const char *content_type,
		       const struct http_header *extra, size_t nextra);
/* Queues one chunk made of the given parts (for zero-copy sharing of a stored object between
 * watchers: the rbufs are referenced, not copied). Returns 0, or -KUBE_ECLOSED if the client is
 * gone. */
int http_stream_write(struct http_request *req, struct rbuf *const *parts, size_t nparts);
/* Same for plain bytes (copied). */
int http_stream_write_bytes(struct http_request *req, const void *data, size_t len);
/* Bytes queued on the connection and not yet written to the socket (for back-pressure). */
size_t http_stream_queued(const struct http_request *req);
/* Ends the chunked response and finishes the request. */
void http_stream_end(struct http_request *req);
/* Sets the callback run (once, from the loop) if the connection closes before the request is
 * finished, also when it had closed before this call. The callback may finish the request. */
void http_request_on_abort(struct http_request *req, void (*cb)(struct http_request *req));

/* An in-memory connection for fuzzing and tests: the same parser, limits and responses as a
 * socket, without TLS and without timeouts. Bytes written by the server are passed to out as
 * they are queued. Feed it with http_conn_feed (ignored once the server has closed the
 * connection); close it with http_conn_close, which the caller must always call, after which c
 * is gone (its requests still held by handlers stay valid until finished). Abort callbacks run
 * from the loop: run it (uv_run NOWAIT) to deliver them. */
struct http_conn *http_conn_new_memory(struct http_server *srv,
				       void (*out)(void *arg, const char *data, size_t len), void *arg);
void http_conn_feed(struct http_conn *c, const char *data, size_t len);
void http_conn_close(struct http_conn *c);
/* Returns nonzero once the server has closed the connection (after Connection: close, an
 * HTTP-layer error, or http_server_close). */
int http_conn_closed(const struct http_conn *c);
/* Gives a memory connection a client identity, as a verified client certificate would (for
 * tests and fuzzers that exercise authenticated paths). Copies its arguments. */
void http_conn_set_identity(struct http_conn *c, const char *cn, const char *const *orgs, size_t norgs);

/* Reason phrase for a status code ("Not Found"). */
const char *http_status_text(int code);

#endif
