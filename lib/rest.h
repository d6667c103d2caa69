/*
 * rest.h - a Kubernetes REST client over lib/http_client: JSON requests (get, create, update,
 * patch, delete) and informers that list and watch a collection and keep it cached.
 *
 * DESIGN
 * A struct rest_client is one API server (URL, CA, client certificate) and one http_client pool.
 * Requests are asynchronous; each ends with exactly one call of its callback (also when it is
 * cancelled or the client closes), with the HTTP status, the body, the body parsed as JSON when
 * it is JSON, and for a failed request the Status reason and message.
 *
 * An informer follows a collection as client-go's reflector does: it lists (in pages), then
 * watches from the list's resourceVersion with bookmarks on. A watch that ends (the server's
 * timeout) is resumed from the last resourceVersion seen; "410 Gone" (as the watch's status or
 * as an in-stream ERROR event) means history was compacted, so it lists again and turns the
 * difference with its cache into add, update and delete callbacks. Failures (refused
 * connections, 5xx, cut streams) are retried after a back-off that doubles from 800 ms to 30 s
 * with jitter, reset by a successful list or a watch that delivered events. The cache maps
 * "namespace/name" (or "name") to the latest object; objects passed to callbacks are borrowed
 * for the call.
 *
 * Watch streams are decoded with a JSON stream splitter (rest_jsonstream) that does not trust
 * chunk boundaries: a value split over reads is reassembled, several values in one read are
 * separated.
 *
 * Everything runs on the loop thread of the client.
 */
#ifndef KUBE_REST_H
#define KUBE_REST_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "buf.h"

struct rest_client;
struct rest_call;
struct rest_informer;

struct rest_config {
	const char *ca_pem;       /* CA the server's certificate must chain to; required for https */
	const char *cert_pem;     /* client certificate (PEM), optional */
	const char *key_pem;      /* its key */
	const char *user_agent;   /* NULL: "kube" */
	const char *authorization; /* an Authorization header for every request ("Basic ..."), or NULL */
	uint64_t timeout_ms;      /* deadline of a request (not of watches); 0: 30 s */
	int max_conns;            /* connections to the server; 0: 8 */
};

/* The outcome of a request, valid during the callback only. */
struct rest_result {
	int err;                  /* 0, or the transport error of http_client (-ECANCELED, ...) */
	int code;                 /* the HTTP status; 0 when err != 0 */
	const char *body;         /* the raw body ("" when none) */
	size_t len;
	cJSON *obj;               /* the body parsed as JSON, or NULL (borrowed: the callback may
				     detach items from it) */
	const char *reason;       /* a failed request's Status reason ("NotFound", "Conflict", ...)
				     or "" */
	const char *message;      /* what went wrong: the transport error, the Status message, or
				     the start of a non-JSON body; "" on success */
};

typedef void rest_cb(const struct rest_result *res, void *data);

enum rest_patch_type {
	REST_PATCH_MERGE,         /* application/merge-patch+json */
	REST_PATCH_STRATEGIC,     /* application/strategic-merge-patch+json */
	REST_PATCH_JSON,          /* application/json-patch+json */
};

/* Creates a client for url ("https://host:port", "http://host:port" for tests; an IPv6 host in
 * brackets). The config is copied. Returns 0 and *out, or -KUBE_EINVAL with a message in err. */
int rest_client_new(uv_loop_t *loop, const char *url, const struct rest_config *cfg, struct rest_client **out,
		    struct buf *err);
/* Splits url ("https://host[:port][/...]") into host (brackets of an IPv6 literal removed) and
 * port (default 443, or 80 for http). Returns 1 for https, 0 for http, -1 when malformed. */
int rest_url_split(const char *url, char *host, size_t hostlen, int *port);
/* Ends every request (callbacks with -ECANCELED, from the loop) and frees the client once its
 * connections are closed; then cb (may be NULL) runs from the loop. Informers must be stopped
 * first. */
void rest_client_close(struct rest_client *c, void (*cb)(void *arg), void *arg);
uv_loop_t *rest_client_loop(const struct rest_client *c);

/* Sends a request. path is escaped and may carry a query ("/api/v1/nodes?limit=5"); body (may
 * be NULL) is sent with content_type. cb runs once, later, from the loop. If out is not NULL it
 * receives a handle valid until cb returns (for rest_cancel). Returns 0, or a negative error (then
 * cb never runs). */
int rest_request(struct rest_client *c, const char *method, const char *path, const char *content_type,
		 const char *body, size_t len, rest_cb *cb, void *data, struct rest_call **out);
/* Ends a request early: its callback runs from the loop with -ECANCELED. */
void rest_cancel(struct rest_call *call);

/* JSON shorthands for rest_request: GET path; POST obj to a collection; PUT obj; PATCH with the
 * given patch type; DELETE with optional DeleteOptions (NULL: none). */
int rest_get(struct rest_client *c, const char *path, rest_cb *cb, void *data);
int rest_create(struct rest_client *c, const char *path, const cJSON *obj, rest_cb *cb, void *data);
int rest_update(struct rest_client *c, const char *path, const cJSON *obj, rest_cb *cb, void *data);
int rest_patch(struct rest_client *c, const char *path, enum rest_patch_type type, const cJSON *patch, rest_cb *cb,
	       void *data);
int rest_delete(struct rest_client *c, const char *path, const cJSON *options, rest_cb *cb, void *data);

/* Appends a resource path: "/api/v1" for the core group (group "" or NULL), else
 * "/apis/GROUP/VERSION"; then "/namespaces/NS" when ns is set, "/RESOURCE", "/NAME" and "/SUB"
 * when set; every segment percent-escaped. */
void rest_path(struct buf *out, const char *group, const char *version, const char *resource, const char *ns,
	       const char *name, const char *sub);
/* Appends "?name=value" (or "&name=value" when path already has a query), value escaped. */
void rest_query(struct buf *path, const char *name, const char *value);

/* ---- informers -------------------------------------------------------------------------- */

struct rest_informer_ops {
	void (*on_add)(const cJSON *obj, void *data);
	void (*on_update)(const cJSON *old, const cJSON *obj, void *data);
	/* obj: the last state (the deleted object, or the cached one when a re-list found it gone) */
	void (*on_delete)(const cJSON *obj, void *data);
	/* once, after the first complete list has been delivered */
	void (*on_synced)(void *data);
};

struct rest_informer_config {
	const char *path;            /* the collection: "/api/v1/pods", "/api/v1/namespaces/x/pods" */
	const char *field_selector;  /* optional: "spec.nodeName=n1" */
	const char *label_selector;  /* optional */
	int page_size;               /* list limit; 0: 500 */
	uint64_t backoff_base_ms;    /* 0: 800 ms */
	uint64_t backoff_max_ms;     /* 0: 30 s */
	const struct rest_informer_ops *ops; /* callbacks, all optional; copied */
	void *data;
};

/* Starts listing and watching. Returns 0 and *out (stop it with rest_informer_stop), or
 * -KUBE_EINVAL for a config without a path. */
int rest_informer_start(struct rest_client *c, const struct rest_informer_config *cfg, struct rest_informer **out);
/* Stops: no callback runs after this call; the informer frees itself once its request in flight
 * has ended. */
void rest_informer_stop(struct rest_informer *inf);
/* The cached object ns/name (ns NULL or "" for cluster-scoped), borrowed until the next
 * callback or loop iteration; NULL when absent. */
const cJSON *rest_informer_get(const struct rest_informer *inf, const char *ns, const char *name);
/* Calls fn for each cached object (no particular order) until it returns nonzero; returns that
 * value. fn must not stop the informer. */
int rest_informer_each(const struct rest_informer *inf, int (*fn)(const cJSON *obj, void *data), void *data);
/* 1 once the first list has been delivered. */
int rest_informer_synced(const struct rest_informer *inf);
size_t rest_informer_count(const struct rest_informer *inf);

struct rest_informer_stats {
	unsigned lists;              /* lists completed */
	unsigned watches;            /* watch requests sent */
	unsigned failures;           /* consecutive failures now */
	const char *rv;              /* the resourceVersion the next watch starts from ("" before the
					first list) */
};
void rest_informer_stats(const struct rest_informer *inf, struct rest_informer_stats *out);

/* ---- JSON stream splitting (watch bodies) ----------------------------------------------- */

struct rest_jsonstream {
	struct buf buf;     /* bytes not yet returned as values */
	size_t scan;        /* how far buf has been scanned */
	int depth;          /* nesting depth at scan */
	int in_str;         /* inside a string at scan */
	int esc;            /* after a backslash inside a string */
	size_t max;         /* largest value accepted */
};

/* max: the largest value (bytes) accepted; 0: 16 MiB. */
void rest_jsonstream_init(struct rest_jsonstream *s, size_t max);
void rest_jsonstream_release(struct rest_jsonstream *s);
/* Adds len bytes and calls fn for every complete top-level JSON object now available (the text
 * of the object, not NUL-terminated), in order. Whitespace between objects is skipped. Stops at
 * and returns fn's nonzero value; returns -EMSGSIZE when an object grows over the limit, -EPROTO
 * when something other than an object starts at the top level; else 0. */
int rest_jsonstream_feed(struct rest_jsonstream *s, const char *data, size_t len,
			 int (*fn)(const char *obj, size_t len, void *arg), void *arg);

#endif
