/*
 * http_client.h - asynchronous HTTP/1.1 client on libuv with llhttp, over TLS (mbedTLS) or plain
 * TCP: the agent's API client (kubelet -> API server), and the benchmarks' load generator.
 *
 * DESIGN
 * A struct http_client talks to one server (host and port) and owns a pool of connections to it
 * and a FIFO queue of requests waiting for a connection. A new request goes to the most recently
 * used idle connection; when there is none, a connection is opened (up to max_conns) and the
 * request waits in the queue until a connection is ready (connected, TLS handshake done). A
 * connection carries one request at a time (no pipelining). After a response that allows it,
 * the connection goes back to the idle pool (keep-alive), where it is closed after
 * idle_timeout_ms, when the pool is full (max_idle) or when the server closes it.
 *
 * TLS: the server's chain must verify against ca_pem, and its certificate must name the server
 * (server_name, by default the host): DNS names against the DNS SANs, IP addresses against the IP
 * SANs. A client certificate is presented when cert_pem and key_pem are given. ALPN offers
 * "http/1.1" only. New connections resume the last TLS session (session tickets), which skips
 * the key exchange and the certificates.
 *
 * Names are resolved (uv_getaddrinfo) when the first connection is needed; when a connection
 * to one address fails the next address is tried, and after every address has failed once the
 * request that waited longest fails and the name is resolved again next time. IP literals
 * ("127.0.0.1", "::1", "[::1]") are used as they are.
 *
 * Responses: the done callback gets the status, the headers and the whole body (up to
 * max_body). A request with a data callback is a stream (watch, log follow): its body is not
 * kept but handed to the data callback as it arrives, one call per chunk of a chunked response
 * (the server writes one watch event per chunk, so each call is one event; a chunk split across
 * reads is reassembled first), or piece by piece for a body with a length or one that ends with
 * the connection. The done callback ends the stream.
 *
 * Callbacks run on the loop thread. Every request accepted by http_client_send ends with exactly
 * one call of its done callback: a complete response (err 0, whatever the HTTP status), an
 * error, a timeout, or a cancellation. The done callback is never called from inside an
 * http_client_* function: when a request ends inside one (http_client_cancel, http_client_close,
 * a write that fails at once), the call is deferred to the loop. Callbacks may call any
 * http_client_* function (send more requests, cancel this one or others, close the client).
 *
 * An idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) sent on a reused connection that the
 * server closes before answering anything (the race between a request and the server's idle
 * timeout) is sent again, once, on a new connection.
 *
 * Error codes (the err argument of the done callback): 0; -ECANCELED (http_client_cancel,
 * http_client_close); -ETIMEDOUT (connect + handshake over connect_timeout_ms, or the request over
 * its timeout_ms); -EACCES (the server's certificate is not signed by the CA or does not name the
 * server); -EPROTO (another TLS failure, or a malformed HTTP response); -ECONNRESET (the connection
 * ended before the response did: also a stream the server cut); -EMSGSIZE (response headers,
 * body or a streamed chunk over the limits); libuv's negative errno values for connect and
 * resolution failures (UV_ECONNREFUSED, UV_EAI_NONAME, ...). resp->error then says what
 * happened, in words.
 */
#ifndef KUBE_HTTP_CLIENT_H
#define KUBE_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "http.h"

struct buf;
struct http_client;
struct http_client_req;

struct http_client_config {
	const char *ca_pem;           /* CA bundle the server's chain must verify against (PEM);
					 NULL: plain HTTP, no TLS */
	const char *cert_pem;         /* client certificate chain (PEM), optional */
	const char *key_pem;          /* its private key (PEM); given with cert_pem or not at all */
	const char *server_name;      /* name the server certificate must carry; NULL: the host */
	const char *user_agent;       /* "kube"; a request's own User-Agent header wins */
	uint64_t connect_timeout_ms;  /* 10 s: TCP connect and TLS handshake of a new connection */
	uint64_t idle_timeout_ms;     /* 60 s: an idle kept-alive connection is closed after this */
	int max_conns;                /* 0: no limit; requests beyond it wait for a connection */
	int max_idle;                 /* 32 idle connections kept */
	size_t max_body;              /* 64 MiB: largest response body, or streamed chunk */
	size_t max_header_bytes;      /* 1 MiB of response headers */
};

/* A response, valid only during the callback it is passed to. */
struct http_client_response {
	int status;                   /* 200, 404, ...; 0 when no response head arrived */
	const struct http_header *headers;
	size_t nheaders;
	const char *body;             /* NUL-terminated; "" for a stream (delivered to on_data) */
	size_t body_len;
	const char *error;            /* when err != 0: what failed; else "" */
};

/* Called once the status and headers have arrived, before any on_data call. Optional. */
typedef void http_client_head_cb(struct http_client_req *req, const struct http_client_response *resp);
/* A stream's data: one whole chunk of a chunked body, or a piece of another body. The bytes are
 * valid during the call only. */
typedef void http_client_data_cb(struct http_client_req *req, const char *data, size_t len);
/* The end of the request, exactly once (see the top of this file for err). After it returns,
 * req is gone. */
typedef void http_client_done_cb(struct http_client_req *req, int err,
				 const struct http_client_response *resp);

struct http_client_request {
	const char *method;           /* "GET", "POST", ... */
	const char *target;           /* path and query, escaped: "/api/v1/pods?watch=1" */
	const struct http_header *headers; /* extra headers (copied); Host, Content-Length and
					      Transfer-Encoding are the client's and refused */
	size_t nheaders;
	const void *body;             /* copied; NULL for none. Content-Length is sent when there
					 is a body and for POST, PUT and PATCH */
	size_t body_len;
	uint64_t timeout_ms;          /* deadline of the whole request, counted from
					 http_client_send, waiting for a connection included;
					 0: none (streams) */
	http_client_head_cb *on_head; /* optional */
	http_client_data_cb *on_data; /* not NULL: a stream */
	http_client_done_cb *on_done; /* required */
	void *data;                   /* for the callbacks: http_client_req_data() */
};

struct http_client_stats {
	uint64_t connects;            /* connections opened (connected and ready) so far */
	uint64_t resumed;             /* of which TLS sessions were resumed */
	uint64_t requests;            /* requests sent on a connection (retries included) */
	uint64_t reused;              /* of which on a kept-alive connection */
	size_t conns;                 /* connections open now (connecting, idle or busy) */
	size_t idle;                  /* of which idle */
	size_t queued;                /* requests waiting for a connection */
};

/* Sets the defaults above (no TLS material). A limit left 0 in a config given to
 * http_client_new also means its default (max_conns: no limit). */
void http_client_config_init(struct http_client_config *cfg);

/* Creates a client for host (a DNS name, an IPv4 address or an IPv6 address with or without
 * brackets) and port. The config and its strings are copied; nothing connects until the first
 * request. Returns 0 and *out (close it with http_client_close), or a negative error with a
 * message in err: -KUBE_EINVAL for a bad host, port or TLS material. */
int http_client_new(uv_loop_t *loop, const char *host, int port, const struct http_client_config *cfg,
		    struct http_client **out, struct buf *err);

/* Queues a request. Everything in r is copied (the strings, headers and body need not outlive
 * the call). If out is not NULL it receives the request's handle, valid until its done callback
 * returns. Returns 0 (the done callback will run), or -KUBE_EINVAL for a malformed method, target
 * or header, or -KUBE_ECLOSED when the client is closing (then no callback runs). */
int http_client_send(struct http_client *c, const struct http_client_request *r,
		     struct http_client_req **out);

/* Ends a request that has not ended yet: no more head or data callbacks; the done callback runs
 * from the loop with -ECANCELED. A request that was in flight closes its connection (the rest of
 * its response cannot be skipped safely). req must not have had its done callback yet. */
void http_client_cancel(struct http_client_req *req);

/* The data pointer given in the request. */
void *http_client_req_data(const struct http_client_req *req);

/* Returns the value of the first response header with this name (case-insensitive), or NULL. */
const char *http_client_header(const struct http_client_response *resp, const char *name);

/* Fills *out with counters and the current state of the pool. */
void http_client_stats(const struct http_client *c, struct http_client_stats *out);

/* Closes the client: every request not ended yet ends with -ECANCELED (from the loop), every
 * connection closes. When every handle is closed and every request has had its done callback,
 * the client is freed and then cb (if not NULL) is called from the loop. */
void http_client_close(struct http_client *c, void (*cb)(void *arg), void *arg);

#endif
