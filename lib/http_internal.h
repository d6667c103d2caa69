/*
 * http_internal.h - shared internals of lib/http.c, lib/http_conn.c and lib/http_server.c.
 *
 * DESIGN
 * struct http_conn is one client connection, whatever carries it: a TCP socket with or without
 * TLS (http_server.c), or the in-memory transport (http_conn.c). The transport-independent part
 * (parser, request queue, output queue) is in http_conn.c; each transport supplies flush, close
 * and timer operations, selected by conn->transport.
 *
 * Reference counts: a connection holds one reference for its transport (dropped when the
 * socket's handles are closed, or by http_conn_close for memory connections) and one per
 * request given to a handler (dropped when the request is finished). The server holds one
 * reference for its owner (dropped by http_server_close), one for the listener handle and one
 * per connection, so a request held by a handler keeps its connection and server alive.
 *
 * Connection states only move forward:
 *   OPEN      reading and answering requests;
 *   DRAINING  no further requests: the queued output is written, then the transport closes
 *             gracefully (TLS close_notify, TCP shutdown, lingering read);
 *   CLOSED    the transport is gone or going: writes are dropped, the active request (if any)
 *             was told through its abort callback.
 *
 * Abort callbacks never run inside a call made by a handler (a write that fails at once would
 * otherwise free the request under its caller): http__req_abort queues the request on the
 * server and a zero-delay timer runs the callbacks from the loop. The timer closes when the
 * server is closing and its last connection is freed.
 *
 * Output is a queue of segments: owned bytes (status lines, headers, chunk framing, copied
 * bodies) or references to shared rbufs (zero-copy watch events). A TCP connection has at most
 * one uv_write in flight; plain TCP hands the segments themselves to the kernel, TLS encrypts
 * up to HTTP__WRITE_BATCH bytes of them at a time, so shared buffers are not copied per
 * connection until the socket can take them.
 */
#ifndef KUBE_HTTP_INTERNAL_H
#define KUBE_HTTP_INTERNAL_H

#include "http.h"
#include "buf.h"
#include "tls.h"

#include <llhttp.h>
#include <uv.h>

#define HTTP__MAX_HEADERS 100
#define HTTP__WRITE_BATCH (256 * 1024) /* bytes per uv_write */
#define HTTP__WRITE_SEGS 64            /* segments per uv_write (plain TCP) */
#define TLS__RECORD_PLAIN 16384        /* plaintext gathered per TLS record (the TLS maximum) */
#define HTTP__MAX_PENDING (1024 * 1024) /* unparsed input kept while a request is active */
#define HTTP__LINGER_MS 2000           /* reading after shutdown before closing */

enum http__transport { HTTP__TCP, HTTP__MEMORY };
enum http__cstate { HTTP__OPEN, HTTP__DRAINING, HTTP__CLOSED };
enum http__timer {
	HTTP__T_NONE,
	HTTP__T_HANDSHAKE, /* TLS handshake: header_timeout, then close */
	HTTP__T_IDLE,      /* between requests: idle_timeout, then close */
	HTTP__T_HEADER,    /* a request began: header_timeout, then 408 */
	HTTP__T_BODY,      /* no body progress for idle_timeout: close */
	HTTP__T_CLOSING,   /* draining or lingering took too long: close */
};
enum http__rstate { HTTP__R_PARSING, HTTP__R_NEW, HTTP__R_STREAMING, HTTP__R_DONE };

/* One queued piece of output: a window of a referenced rbuf, or owned bytes. */
struct http__seg {
	struct rbuf *rb; /* referenced, or NULL */
	char *own;       /* malloc'd, or NULL */
	size_t off, len;
};

/* A request: parsed by the connection, then owned by the handler until finished. */
struct http__req {
	struct http_request pub;
	enum http__rstate state;
	struct buf strings;  /* URL, header names and values, each NUL-terminated */
	size_t span;         /* start of the string being received, or SIZE_MAX */
	size_t url;          /* offset of the URL in strings, or SIZE_MAX */
	size_t hdr[HTTP__MAX_HEADERS][2]; /* offsets of names and values */
	struct http_header headers[HTTP__MAX_HEADERS];
	size_t nheaders;
	size_t header_bytes;
	int headers_done;    /* later header callbacks are trailers: ignored */
	struct buf body;
	int keep_alive;      /* the connection may carry another request */
	int http11;          /* chunked responses allowed */
	int head;            /* HEAD: no response body */
	int chunked;         /* the response is chunked */
	int aborted;         /* the connection closed before the request was finished */
	int abort_called;
	int abort_queued;    /* on srv->aborts */
	struct http__req *abort_prev, *abort_next;
	void (*on_abort)(struct http_request *req);
};

struct http_server {
	uv_loop_t *loop;
	struct http_server_config cfg; /* strings not kept: only used by http_server_start */
	struct tls_config *tls;        /* NULL: plain HTTP */
	uv_tcp_t listener;
	int listening;
	uv_timer_t abort_timer;        /* runs queued abort callbacks from the loop */
	int abort_timer_open;
	struct http__req *aborts;      /* requests whose abort callback is due */
	int port;
	int refs;
	int closing;
	size_t nconns;                 /* connections whose transport is open */
	size_t ntcp;                   /* of which TCP */
	struct http_conn *conns;       /* every connection not yet freed */
	void (*close_cb)(void *arg);
	void *close_arg;
	char rbuf[65536];              /* shared read buffer: reads are processed at once */
	struct buf stage;              /* shared plaintext staging for TLS writes (loop thread) */
};

struct http_conn {
	struct http_server *srv;
	struct http_conn *prev, *next; /* srv->conns */
	int refs;
	enum http__transport transport;
	enum http__cstate state;
	char remote[64];

	/* input */
	llhttp_t parser;
	struct buf in;               /* plaintext not yet parsed, from in_off */
	size_t in_off;
	struct http__req *req;       /* being parsed */
	struct http__req *ready;     /* parsed, waiting for dispatch */
	struct http__req *active;    /* with the handler */
	int err_code;                /* set by parser callbacks to refuse a request */
	const char *err_reason, *err_msg;
	int processing;              /* http__conn_process is on the stack */
	int peer_eof;                /* the client closed its side (FIN, TLS close_notify) */

	/* peer certificate */
	struct http_peer peer;
	int has_peer;
	char *peer_cn;
	char **peer_orgs;

	/* output */
	struct buf tail;             /* owned bytes not yet made a segment */
	struct http__seg *segs;
	size_t seg_head, nsegs, seg_cap;
	size_t queued;               /* bytes queued or being written */

	/* memory transport */
	void (*mem_out)(void *arg, const char *data, size_t len);
	void *mem_arg;

	/* TCP transport */
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_write_t wreq;
	uv_shutdown_t sreq;
	int handles;                 /* open uv handles */
	enum http__timer timer_mode;
	int writing, shut, reading;
	struct http__seg wsegs[HTTP__WRITE_SEGS]; /* in flight (plain) */
	size_t nwsegs;
	struct buf wtls;             /* in flight (TLS ciphertext); swapped with the session's output
				      * buffer so that steady writes reuse two buffers, no malloc */
	size_t inflight;
	struct tls_session *tls;
	int tls_failed;              /* no close_notify after a TLS error */
	int notified;                /* close_notify queued */
};

/* http_conn.c */
struct http_conn *http__conn_new(struct http_server *srv, enum http__transport t);
void http__conn_ref(struct http_conn *c);
void http__conn_unref(struct http_conn *c);
/* The transport has gone (all handles closed / http_conn_close): drops its reference. */
void http__conn_transport_gone(struct http_conn *c);
/* Parses buffered input and dispatches requests until one is active or input runs out. */
void http__conn_process(struct http_conn *c);
/* Makes the tail a segment and asks the transport to write. */
void http__conn_flush(struct http_conn *c);
void http__out_add(struct http_conn *c, const void *data, size_t len);
void http__out_addf(struct http_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void http__out_rbuf(struct http_conn *c, struct rbuf *rb, size_t off, size_t len);
/* Removes the first segment from the queue, dropping its memory (0 when empty). */
int http__seg_pop(struct http_conn *c, struct http__seg *out);
void http__seg_release(struct http__seg *s);
/* The first queued segment (still queued), or NULL. */
struct http__seg *http__seg_peek(struct http_conn *c);
/* Stops taking requests and closes once the output is written. */
void http__conn_drain(struct http_conn *c);
/* Closes at once: the active request is aborted, queued output dropped. */
void http__conn_close_now(struct http_conn *c);
/* Answers an HTTP-layer error with Connection: close and drains. */
void http__conn_error(struct http_conn *c, int code, const char *reason, const char *msg);
/* Called when a request is finished by its handler. */
void http__conn_request_done(struct http_conn *c, struct http__req *r);
/* Sets the peer from the TLS session after the handshake. */
void http__conn_set_peer(struct http_conn *c, char *cn, char **orgs, size_t norgs);

/* http_server.c: the TCP transport */
void http__tcp_flush(struct http_conn *c);
void http__tcp_close(struct http_conn *c);
void http__tcp_timer(struct http_conn *c, enum http__timer mode);
/* Starts or stops reading: stopped while too much input waits behind an active request. */
void http__tcp_read_update(struct http_conn *c);
void http__server_unref(struct http_server *srv);
/* Closes the abort timer once the server is closing and has no connection left. */
void http__server_check_done(struct http_server *srv);

/* http.c */
void http__req_free(struct http__req *r);
/* Marks the request aborted and queues its abort callback (run once, from the loop). */
void http__req_abort(struct http__req *r);
/* Timer callback: runs the queued abort callbacks. */
void http__run_aborts(uv_timer_t *t);
/* Writes the status line and headers; content_length < 0 means chunked or (HTTP/1.0)
 * close-delimited. */
void http__write_head(struct http_conn *c, struct http__req *r, int status, const char *ctype,
		      const struct http_header *extra, size_t nextra, long long content_length);

#endif
