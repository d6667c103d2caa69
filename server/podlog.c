/*
 * podlog.c - GET /api/v1/namespaces/NS/pods/NAME/log: upstream's pods/log (pkg/registry/core/
 * pod/rest/log.go and the pod strategy's LogLocation), proxied to the node's kubelet.
 *
 * DESIGN
 * The options are checked as upstream's ValidatePodLogOptions (values that are not numbers or
 * booleans: 400 BadRequest; out-of-range values and both sinceTime and sinceSeconds: 422 Invalid
 * of kind PodLogOptions). The container is resolved as upstream: the only one when the pod has
 * one, else the `container` parameter must name one of its containers, init containers or
 * ephemeral containers (400 "container X is not valid for pod Y"). A pod without a node answers
 * an empty body, as upstream's empty location does. The kubelet is found from the Node: its
 * InternalIP (else its first address) and status.daemonEndpoints.kubeletEndpoint.Port. The
 * request goes to https://IP:PORT/containerLogs/NS/POD/CONTAINER?<options> with the API
 * server's kubelet-client certificate, the kubelet's serving certificate verified against the
 * cluster CA; the answer is streamed through (chunked), status included, so follow works; the
 * client going away cancels the kubelet request.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/http_client.h"

struct podlog {
	struct api_req *req;
	struct http_client *client;
	struct http_client_req *creq;
	int started, done, aborted;
	int status;               /* the kubelet's status when it is not 2xx */
	struct buf errbody;       /* and its body (the first 4 KiB) */
};

/* ---- options ------------------------------------------------------------------------------- */

struct log_opts {
	struct buf query;         /* for the kubelet */
	char *container;
};

static void invalid(struct api_req *req, const char *field, const char *value, const char *why)
{
	char *msg = xasprintf("%s: Invalid value: %s: %s", field, value, why);
	api_error_set(&req->err, 422, "Invalid", "PodLogOptions \"%s\" is invalid: %s", req->name, msg);
	api_error_cause(&req->err, "FieldValueInvalid", msg + strlen(field) + 2, field);
	free(req->err.name);
	req->err.name = xstrdup(req->name);
	req->err.kind = "PodLogOptions";
	req->err.group = "";
	free(msg);
}

static void add_param(struct buf *q, const char *name, const char *value)
{
	struct buf esc = BUF_INIT;
	for (const char *p = value; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			buf_addch(&esc, *p);
		else
			buf_addf(&esc, "%%%02X", (unsigned char)*p);
	}
	buf_addf(q, "%c%s=%s", q->len ? '&' : '?', name, esc.data ? esc.data : "");
	buf_release(&esc);
}

/* Checks the options and builds the kubelet's query. Returns 0, or -1 with req->err set. */
static int parse_opts(struct api_req *req, struct log_opts *o)
{
	static const char *const bools[] = { "follow", "previous", "timestamps" };
	static const struct { const char *name; int64_t min; const char *why; } ints[] = {
		{ "tailLines", 0, "must be greater than or equal to 0" },
		{ "limitBytes", 1, "must be greater than 0" },
		{ "sinceSeconds", 1, "must be greater than 0" },
	};
	struct buf v = BUF_INIT;
	int b, r = -1, since = 0;
	int64_t n, t;
	if (http_query(req->http, "container", &v) && v.len)
		o->container = xstrdup(v.data);
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		if (!http_query(req->http, bools[i], &v))
			continue;
		if (parse_bool(v.len ? v.data : "true", &b) < 0) {
			api_error_bad_request(&req->err, "invalid boolean value for %s: \"%s\"", bools[i], v.data);
			goto out;
		}
		if (b)
			add_param(&o->query, bools[i], "true");
	}
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++) {
		if (!http_query(req->http, ints[i].name, &v))
			continue;
		if (parse_int64(v.data, INT64_MIN, INT64_MAX, &n) < 0) {
			api_error_bad_request(&req->err, "strconv.ParseInt: parsing \"%s\": invalid syntax (%s)", v.data,
					      ints[i].name);
			goto out;
		}
		if (n < ints[i].min) {
			invalid(req, ints[i].name, v.data, ints[i].why);
			goto out;
		}
		since |= !strcmp(ints[i].name, "sinceSeconds");
		add_param(&o->query, ints[i].name, v.data);
	}
	if (http_query(req->http, "sinceTime", &v)) {
		if (parse_rfc3339(v.data, &t) < 0) {
			api_error_bad_request(&req->err, "parsing time \"%s\" as RFC 3339: cannot parse (sinceTime)", v.data);
			goto out;
		}
		if (since) {
			invalid(req, "sinceTime", v.data, "at most one of `sinceTime` or `sinceSeconds` may be specified");
			goto out;
		}
		add_param(&o->query, "sinceTime", v.data);
	}
	r = 0;
out:
	buf_release(&v);
	return r;
}

/* ---- the container ------------------------------------------------------------------------- */

static int has_container(const cJSON *spec, const char *list, const char *name)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(spec, list))
	{
		const char *n = json_str(c, "name");
		if (n && !strcmp(n, name))
			return 1;
	}
	return 0;
}

static void names_of(const cJSON *spec, const char *list, struct buf *out)
{
	const cJSON *c;
	int first = 1;
	buf_addch(out, '[');
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(spec, list))
	{
		buf_addf(out, "%s%s", first ? "" : " ", json_str(c, "name") ? json_str(c, "name") : "");
		first = 0;
	}
	buf_addch(out, ']');
}

/* upstream's validateContainer: resolves o->container. Returns 0, or -1 with req->err set. */
static int pick_container(struct api_req *req, const cJSON *pod, struct log_opts *o)
{
	const cJSON *spec = json_obj(pod, "spec");
	const cJSON *containers = cJSON_GetObjectItemCaseSensitive(spec, "containers");
	if (!o->container) {
		if (cJSON_GetArraySize(containers) == 1) {
			o->container = xstrdup(json_str(cJSON_GetArrayItem(containers, 0), "name"));
			return 0;
		}
		struct buf msg = BUF_INIT;
		buf_addf(&msg, "a container name must be specified for pod %s, choose one of: ", req->name);
		names_of(spec, "containers", &msg);
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(spec, "initContainers"))) {
			buf_adds(&msg, " or one of the init containers: ");
			names_of(spec, "initContainers", &msg);
		}
		api_error_bad_request(&req->err, "%s", msg.data);
		buf_release(&msg);
		return -1;
	}
	if (has_container(spec, "containers", o->container) || has_container(spec, "initContainers", o->container) ||
	    has_container(spec, "ephemeralContainers", o->container))
		return 0;
	api_error_bad_request(&req->err, "container %s is not valid for pod %s", o->container, req->name);
	return -1;
}

/* The kubelet's address of node: InternalIP, else the first address; and its port. */
static int kubelet_of(struct server *srv, const char *node, char *host, size_t hostlen, int64_t *port)
{
	const struct kind *k = kind_by_resource("", "v1", "nodes");
	struct buf key = BUF_INIT;
	kind_key(k, NULL, node, &key);
	struct store_kv *kv = store_get(srv->store, key.data);
	cJSON *obj = kv ? obj_parse(kv) : NULL, *a;
	const char *addr = NULL;
	buf_release(&key);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(json_obj(obj, "status"), "addresses"))
	{
		const char *type = json_str(a, "type");
		if (!addr || (type && !strcmp(type, "InternalIP") && !ip_valid(addr)))
			addr = json_str(a, "address");
		if (type && !strcmp(type, "InternalIP")) {
			addr = json_str(a, "address");
			break;
		}
	}
	int r = addr && json_int(json_getv(obj, "status", "daemonEndpoints", "kubeletEndpoint", NULL), "Port", port) == 0 &&
			*port > 0 && *port < 65536
		? 0
		: -1;
	if (!r)
		snprintf(host, hostlen, "%s", addr);
	cJSON_Delete(obj);
	return r;
}

/* ---- the proxy ------------------------------------------------------------------------------ */

static void podlog_free(struct podlog *p)
{
	if (p->client)
		http_client_close(p->client, NULL, NULL);
	api_req_free(p->req);
	buf_release(&p->errbody);
	free(p);
}

static void on_head(struct http_client_req *creq, const struct http_client_response *resp)
{
	struct podlog *p = http_client_req_data(creq);
	const char *ct = http_client_header(resp, "Content-Type");
	if (p->aborted)
		return;
	if (resp->status < 200 || resp->status > 299) {
		p->status = resp->status;
		return;
	}
	http_stream_start(p->req->http, resp->status, ct ? ct : "text/plain", NULL, 0);
	p->started = 1;
}

static void on_data(struct http_client_req *creq, const char *data, size_t len)
{
	struct podlog *p = http_client_req_data(creq);
	if (p->status && p->errbody.len < 4096)
		buf_add(&p->errbody, data, MIN(len, 4096 - p->errbody.len));
	if (p->aborted || !p->started)
		return;
	if (http_stream_write_bytes(p->req->http, data, len) < 0 && p->creq) {
		p->aborted = 1;
		http_client_cancel(p->creq);
	}
}

static void on_done(struct http_client_req *creq, int err, const struct http_client_response *resp)
{
	struct podlog *p = http_client_req_data(creq);
	p->creq = NULL;
	p->done = 1;
	if (p->started) {
		http_stream_end(p->req->http);
	} else if (!p->aborted) {
		struct buf body = BUF_INIT;
		struct api_error e = { 0 };
		const char *text = buf_str(&p->errbody);
		if (err)
			api_error_internal(&e, "Get \"https://kubelet/containerLogs\": %s", resp->error);
		else if (p->status == 400)
			api_error_bad_request(&e, "%s", text);
		else if (p->status == 404)
			api_error_not_found(&e, p->req->kind, p->req->name);
		else if (p->status >= 500)
			api_error_internal(&e, "%s", text);
		else
			api_error_set(&e, p->status, p->status == 403 ? "Forbidden" : "Unknown", "%s", text);
		api_error_render(&e, &body);
		http_respond(p->req->http, e.code, "application/json", NULL, 0, body.data, body.len);
		api_error_release(&e);
		buf_release(&body);
	} else {
		http_stream_end(p->req->http); /* finishes the request of a client that is gone */
	}
	podlog_free(p);
}

static void on_abort(struct http_request *h)
{
	struct podlog *p = h->data;
	p->aborted = 1;
	if (p->creq)
		http_client_cancel(p->creq);
}

/* Sends the kubelet request. Returns 0, or -1 with req->err set. */
static int proxy(struct api_req *req, const char *node, const char *container, const struct buf *query)
{
	struct server *srv = req->srv;
	char host[64];
	int64_t port = 0;
	struct buf err = BUF_INIT, target = BUF_INIT;
	struct http_client_config cc;
	struct podlog *p = NULL;
	if (kubelet_of(srv, node, host, sizeof(host), &port) < 0) {
		api_error_internal(&req->err, "no kubelet address and port known for node \"%s\"", node);
		return -1;
	}
	http_client_config_init(&cc);
	cc.ca_pem = srv->ca_pem;
	cc.cert_pem = srv->kubelet_client_cert_pem;
	cc.key_pem = srv->kubelet_client_key_pem;
	cc.max_conns = 1;
	p = xcalloc(1, sizeof(*p));
	p->req = req;
	buf_addf(&target, "/containerLogs/%s/%s/%s%s", req->ns, req->name, container, query->data ? query->data : "");
	struct http_client_request r = { .method = "GET", .target = target.data, .on_head = on_head, .on_data = on_data,
					 .on_done = on_done, .data = p };
	int rc = http_client_new(srv->loop, host, (int)port, &cc, &p->client, &err);
	if (rc == 0)
		rc = http_client_send(p->client, &r, &p->creq);
	if (rc < 0) {
		api_error_internal(&req->err, "cannot reach the kubelet of node %s: %s", node, buf_str(&err));
		if (p->client)
			http_client_close(p->client, NULL, NULL);
		free(p);
	} else {
		req->http->data = p;
		http_request_on_abort(req->http, on_abort);
	}
	buf_release(&err);
	buf_release(&target);
	return rc < 0 ? -1 : 0;
}

void api_pod_log(struct api_req *req)
{
	struct log_opts o = { BUF_INIT, NULL };
	struct store_kv *kv = NULL;
	cJSON *pod = NULL;
	if (!req->http) {
		api_error_bad_request(&req->err, "pods/log is served over HTTP only");
		goto fail;
	}
	if (parse_opts(req, &o) < 0)
		goto fail;
	if (!(kv = api_lookup(req, req->name)) || !(pod = obj_parse(kv))) {
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	if (pick_container(req, pod, &o) < 0)
		goto fail;
	const char *node = json_strv(pod, "spec", "nodeName", NULL);
	if (!node || !*node) {
		http_respond(req->http, 200, "text/plain", NULL, 0, "", 0);
		api_req_free(req);
	} else if (proxy(req, node, o.container, &o.query) < 0) {
		goto fail;
	}
	cJSON_Delete(pod);
	buf_release(&o.query);
	free(o.container);
	return;
fail:
	cJSON_Delete(pod);
	buf_release(&o.query);
	free(o.container);
	api_fail(req);
}
