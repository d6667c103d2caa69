/*
 * router.c - from an HTTP request to a handler: health and version endpoints, authentication,
 * discovery, then resource paths parsed as upstream's RequestInfo does, authorization, and the
 * verb's handler.
 *
 * Resource paths: /api/v1/... or /apis/GROUP/VERSION/..., then optionally namespaces/NS, then
 * RESOURCE[/NAME[/SUBRESOURCE]]. "namespaces/NAME/status" and "namespaces/NAME/finalize" are
 * subresources of the namespace itself. The legacy "watch/" prefix is accepted.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PARTS 8

static void respond_text(struct http_request *h, int code, const char *text)
{
	http_respond(h, code, "text/plain; charset=utf-8", NULL, 0, text, strlen(text));
}

static void respond_status(struct http_request *h, int code, const char *reason, const char *msg)
{
	struct buf body = BUF_INIT;
	status_http_error(code, reason, msg, &body);
	http_respond(h, code, "application/json", NULL, 0, body.data, body.len);
	buf_release(&body);
}

/* /healthz, /livez, /readyz and their sub-checks. /readyz fails while stopping and until the
 * start-up objects (namespaces, RBAC bootstrap policy) are written, as upstream's post-start
 * hooks hold it. */
static int serve_health(struct server *srv, struct http_request *h)
{
	static const char *const roots[] = { "/healthz", "/livez", "/readyz" };
	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		size_t n = strlen(roots[i]);
		if (strncmp(h->path, roots[i], n) || (h->path[n] && h->path[n] != '/'))
			continue;
		if (srv->stopping && i == 2) {
			respond_text(h, 500, "[-]shutdown failed: reason withheld\nreadyz check failed\n");
			return 1;
		}
		if (srv->bootstrap_pending > 0 && i == 2) {
			respond_text(h, 500, "[+]ping ok\n[+]log ok\n[+]etcd ok\n"
					     "[-]poststarthook/bootstrap-objects failed: reason withheld\nreadyz check failed\n");
			return 1;
		}
		struct buf verbose = BUF_INIT;
		if (http_query(h, "verbose", &verbose)) {
			struct buf b = BUF_INIT;
			buf_addf(&b, "[+]ping ok\n[+]log ok\n[+]etcd ok\n%s check passed\n", roots[i] + 1);
			respond_text(h, 200, b.data);
			buf_release(&b);
		} else {
			respond_text(h, 200, "ok");
		}
		buf_release(&verbose);
		return 1;
	}
	return 0;
}


static void free_parts(char **parts, int n)
{
	for (int i = 0; i < n; i++)
		free(parts[i]);
}

/* Splits path into at most MAX_PARTS percent-decoded segments. Returns the count, or -1 (too
 * many segments, or a malformed escape). */
static int split_path(const char *path, char **parts)
{
	int n = 0;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, "/");
		if (n == MAX_PARTS) {
			free_parts(parts, n);
			return -1;
		}
		struct buf seg = BUF_INIT;
		if (http_unescape(p, len, 0, &seg) < 0) {
			buf_release(&seg);
			free_parts(parts, n);
			return -1;
		}
		parts[n++] = buf_detach(&seg, NULL);
		p += len;
	}
	return n;
}

/* Fills req->kind, ns, name, sub from the path segments. Returns 0, or -1 for an unknown path. */
static int parse_resource_path(struct api_req *req, char **parts, int n, int *legacy_watch)
{
	int i;
	const char *group, *version;
	if (n >= 2 && !strcmp(parts[0], "api")) {
		group = "";
		version = parts[1];
		i = 2;
	} else if (n >= 3 && !strcmp(parts[0], "apis")) {
		group = parts[1];
		version = parts[2];
		i = 3;
	} else {
		return -1;
	}
	if (i < n && !strcmp(parts[i], "watch")) {
		*legacy_watch = 1;
		i++;
	}
	if (n - i >= 3 && !strcmp(parts[i], "namespaces") && strcmp(parts[i + 2], "status") &&
	    strcmp(parts[i + 2], "finalize")) {
		req->ns = xstrdup(parts[i + 1]);
		i += 2;
	}
	if (i >= n || n - i > 3)
		return -1;
	req->kind = kind_by_resource(group, version, parts[i]);
	if (!req->kind)
		return -1;
	if (n - i >= 2)
		req->name = xstrdup(parts[i + 1]);
	if (n - i == 3)
		req->sub = xstrdup(parts[i + 2]);
	if (!(req->kind->flags & KIND_NAMESPACED)) {
		free(req->ns);
		req->ns = NULL;
	}
	return 0;
}

static char *query_str(struct http_request *h, const char *name)
{
	struct buf b = BUF_INIT;
	if (!http_query(h, name, &b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* Parses the common query parameters. Returns 0 or fills req->err. */
static int parse_query(struct api_req *req)
{
	struct http_request *h = req->http;
	struct api_query *q = &req->q;
	char *v;
	q->field_manager = query_str(h, "fieldManager");
	q->field_validation = query_str(h, "fieldValidation");
	q->label_selector = query_str(h, "labelSelector");
	q->field_selector = query_str(h, "fieldSelector");
	q->resource_version = query_str(h, "resourceVersion");
	q->resource_version_match = query_str(h, "resourceVersionMatch");
	q->cont = query_str(h, "continue");
	q->include_object = 1;
	static const struct {
		const char *name;
		int *out;
	} bools[] = { { "watch", NULL }, { "allowWatchBookmarks", NULL }, { "sendInitialEvents", NULL }, { "force", NULL } };
	int *targets[] = { &q->watch, &q->allow_bookmarks, &q->send_initial_events, &q->force };
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		if (!(v = query_str(h, bools[i].name)))
			continue;
		int r = *v ? parse_bool(v, targets[i]) : (*targets[i] = 1, 0);
		free(v);
		if (r < 0) {
			api_error_bad_request(&req->err, "invalid value for %s: must be a boolean", bools[i].name);
			return -1;
		}
	}
	const char *ints[] = { "limit", "timeoutSeconds" };
	int64_t *iout[] = { &q->limit, &q->timeout_seconds };
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++) {
		if (!(v = query_str(h, ints[i])))
			continue;
		int r = *v ? parse_int64(v, INT64_MIN, INT64_MAX, iout[i]) : 0;
		free(v);
		if (r < 0) {
			api_error_bad_request(&req->err, "invalid value for %s: must be an integer", ints[i]);
			return -1;
		}
	}
	if ((v = query_str(h, "dryRun"))) {
		q->dry_run = !strcmp(v, "All");
		int bad = *v && !q->dry_run;
		free(v);
		if (bad) {
			struct field_errors errs = FIELD_ERRORS_INIT;
			field_errors_add_str(&errs, FE_NOT_SUPPORTED, "dryRun", "unknown", "supported values: \"All\"");
			api_error_invalid(&req->err, req->kind, req->name, &errs);
			return -1;
		}
	}
	if ((v = query_str(h, "gracePeriodSeconds"))) {
		int r = *v ? parse_int64(v, INT64_MIN, INT64_MAX, &q->grace_period) : -1;
		free(v);
		if (r < 0) {
			api_error_bad_request(&req->err, "invalid value for gracePeriodSeconds: must be an integer");
			return -1;
		}
		q->has_grace = 1;
	}
	q->propagation_policy = query_str(h, "propagationPolicy");
	if ((v = query_str(h, "includeObject"))) {
		q->include_object = !strcmp(v, "None") ? 0 : !strcmp(v, "Object") ? 2 : 1;
		free(v);
	}
	return 0;
}

/* The verb from the method and path shape; -1 when the method is not allowed. */
static int pick_verb(struct api_req *req, int legacy_watch)
{
	const char *m = req->http->method;
	if (!strcmp(m, "GET"))
		return req->q.watch || legacy_watch ? VERB_WATCH : req->name ? VERB_GET : VERB_LIST;
	if (!strcmp(m, "POST"))
		return !req->name || req->sub ? VERB_CREATE : -1; /* POST to a name: a subresource (binding, token) */
	if (!strcmp(m, "PUT"))
		return req->name ? VERB_UPDATE : -1;
	if (!strcmp(m, "PATCH"))
		return req->name ? VERB_PATCH : -1;
	if (!strcmp(m, "DELETE"))
		return req->name ? VERB_DELETE : VERB_DELETECOLLECTION;
	return -1;
}

static const char *const verb_names[] = { "get", "list", "watch", "create", "update", "patch", "delete",
					  "deletecollection" };

/* Is this (verb, subresource) served for the kind? */
static int sub_allowed(const struct api_req *req)
{
	const char *s = req->sub;
	unsigned f = req->kind->flags;
	int rw = req->verb == VERB_GET || req->verb == VERB_UPDATE || req->verb == VERB_PATCH;
	if (!s)
		return 1;
	if (!strcmp(s, "status"))
		return (f & KIND_STATUS) && rw;
	if (!strcmp(s, "binding"))
		return (f & KIND_BINDING) && req->verb == VERB_CREATE;
	if (!strcmp(s, "token"))
		return (f & KIND_TOKEN) && req->verb == VERB_CREATE;
	if (!strcmp(s, "eviction"))
		return (f & KIND_EVICTION) && req->verb == VERB_CREATE;
	if (!strcmp(s, "log"))
		return (f & KIND_BINDING) && req->verb == VERB_GET; /* pods */
	if (!strcmp(s, "finalize"))
		return (f & KIND_FINALIZE) && req->verb == VERB_UPDATE;
	if (!strcmp(s, "scale"))
		return (f & KIND_SCALE) && rw;
	if (!strcmp(s, "approval"))
		return (f & KIND_APPROVAL) && rw;
	return 0;
}

/* Does custom kind k have subresource sub at all? upstream's CRD handler answers any other
 * subresource of a custom resource with NotFound. */
static int custom_sub_exists(const struct kind *k, const char *sub)
{
	struct kind_sub subs[8];
	size_t n = kind_subresources(k, subs);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(subs[i].name, sub))
			return 1;
	return 0;
}

void api_dispatch(struct api_req *req)
{
	switch (req->verb) {
	case VERB_GET:
		if (req->sub && !strcmp(req->sub, "log"))
			api_pod_log(req);
		else
			api_get(req);
		break;
	case VERB_LIST: api_list(req); break;
	case VERB_WATCH: api_watch(req); break;
	case VERB_CREATE:
		if (req->kind->flags & KIND_VIRTUAL)
			api_review(req);
		else if (req->sub && !strcmp(req->sub, "token"))
			api_token(req);
		else if (req->sub && !strcmp(req->sub, "eviction"))
			api_eviction(req);
		else if (req->sub)
			api_binding(req);
		else
			api_create(req);
		break;
	case VERB_UPDATE: api_update(req); break;
	case VERB_PATCH: api_patch(req); break;
	case VERB_DELETE: api_delete(req); break;
	case VERB_DELETECOLLECTION: api_delete_collection(req); break;
	}
}

/* Resource requests: parse, authorize, dispatch. Takes ownership of user. */
static void serve_resource(struct server *srv, struct http_request *h, struct api_user *user)
{
	char *parts[MAX_PARTS];
	int legacy_watch = 0, verb;
	struct api_req *req = xcalloc(1, sizeof(*req));
	req->srv = srv;
	req->http = h;
	req->raw = h->body;
	req->raw_len = h->body_len;
	req->content_type = http_header(h, "Content-Type");
	req->user = *user;
	int n = 0;
	if (impersonate(srv, h, &req->user, &req->err) < 0)
		goto fail;
	n = split_path(h->path, parts);
	if (n < 0 || parse_resource_path(req, parts, n, &legacy_watch) < 0) {
		api_error_set(&req->err, 404, "NotFound", "the server could not find the requested resource");
		goto fail;
	}
	if (parse_query(req) < 0)
		goto fail;
	if ((req->kind->flags & KIND_CUSTOM) && req->sub && req->name && !custom_sub_exists(req->kind, req->sub)) {
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	verb = pick_verb(req, legacy_watch);
	if (verb < 0 || (req->verb = verb, !sub_allowed(req)) ||
	    ((req->kind->flags & KIND_VIRTUAL) && verb != VERB_CREATE) ||
	    ((req->kind->flags & KIND_NAMESPACED) && !req->ns && verb != VERB_LIST && verb != VERB_WATCH)) {
		api_error_set(&req->err, 405, "MethodNotAllowed",
			      "the server does not allow this method on the requested resource");
		goto fail;
	}
	if (!auth_authorize(srv, &req->user, verb_names[verb], req->kind, req->sub, req->ns, req->name, &req->err))
		goto fail;
	if (verb < VERB_CREATE && verb != VERB_WATCH) {
		metrics_read_begin(srv->metrics);
		req->counted_read = 1;
	}
	if (verb >= VERB_CREATE) {
		/* Upstream's max-mutating-requests-inflight: beyond it, 429 and come back in a second. */
		if (srv->inflight_writes >= srv->cfg->max_mutating_inflight) {
			api_error_set(&req->err, 429, "TooManyRequests", "Too many requests, please try again later.");
			req->err.retry_after = 1;
			goto fail;
		}
		srv->inflight_writes++;
		req->counted = 1;
	}
	req->table = table_wanted(http_header(h, "Accept"));
	free_parts(parts, n > 0 ? n : 0);
	api_dispatch(req);
	return;
fail:
	free_parts(parts, n > 0 ? n : 0);
	api_fail(req);
}

/* A client certificate, else a bearer token (--token-auth-file, then service accounts). Returns 0
 * and fills user, or -1. */
static int authenticate(struct server *srv, struct http_request *h, struct api_user *user)
{
	const char *authz = http_header(h, "Authorization");
	if (auth_authenticate(h, user) == 0)
		return 0;
	if (authz && !strncasecmp(authz, "Bearer ", 7))
		return auth_bearer(srv, authz + 7, user);
	return -1;
}

void router_request(struct http_request *h, void *data)
{
	struct server *srv = data;
	struct api_user user;
	if (serve_health(srv, h))
		return;
	if (!strcmp(h->path, "/cacerts")) {
		http_respond(h, 200, "text/plain", NULL, 0, srv->ca_pem, strlen(srv->ca_pem));
		return;
	}
	if (!strcmp(h->path, "/version") && discovery_serve(srv, h))
		return;
	if (join_serve(srv, h))
		return;
	if (authenticate(srv, h, &user) < 0) {
		respond_status(h, 401, "Unauthorized", "Unauthorized");
		return;
	}
	if (metrics_serve(srv, h, &user) || discovery_serve(srv, h)) {
		auth_user_release(&user);
		return;
	}
	serve_resource(srv, h, &user);
}
