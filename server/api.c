/*
 * api.c - the generic handlers: get, create, update, patch, delete, binding, and the shared
 * write path. Lists are in list.c, watches in watch.c.
 *
 * DESIGN
 * One code path serves every kind; kinds differ only through their registry flags. A write
 * builds the new object as a cJSON tree (req->obj), then api_write hands it to the store, whose
 * encode hook stamps metadata.resourceVersion on the store thread; the answer is the stored
 * bytes. Updates are compare-and-swap on the revision the object was read at: a conflict with a
 * concurrent writer re-runs the update from a fresh read (as upstream's GuaranteedUpdate does)
 * unless the client named a resourceVersion, which gets 409. A write that changes nothing is
 * answered with the current object and never reaches the disk.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/yaml2json.h"
#include "server/protobuf.h"
#include "server/schema.h"
#include "server/smp.h"
#include "server/apply.h"
#include "server/crd.h"
#include "server/sched.h"
#include "server/scale.h"

#define MAX_ATTEMPTS 16

static cJSON *to_scale(struct api_req *req, const cJSON *obj, int lenient);
static int is_scale(const struct api_req *req);

/* ---- responses --------------------------------------------------------------------------- */

void api_req_free(struct api_req *req)
{
	svc_alloc_done(req->grant);
	if (req->counted)
		req->srv->inflight_writes--;
	if (req->counted_read)
		metrics_read_end(req->srv->metrics);
	auth_user_release(&req->user);
	free(req->ns);
	free(req->name);
	free(req->sub);
	free(req->q.field_manager);
	free(req->q.field_validation);
	free(req->q.label_selector);
	free(req->q.field_selector);
	free(req->q.resource_version);
	free(req->q.resource_version_match);
	free(req->q.cont);
	free(req->q.propagation_policy);
	fieldcheck_release(&req->warnings);
	cJSON_Delete(req->body);
	cJSON_Delete(req->obj);
	api_error_release(&req->err);
	free(req);
}

/* Does the client want indented JSON? Upstream's isPrettyPrint: pretty=true, or a command-line
 * or browser User-Agent. */
static int pretty_wanted(const struct http_request *h)
{
	struct buf v = BUF_INIT;
	const char *ua = http_header(h, "User-Agent");
	int pretty = -1;
	if (http_query(h, "pretty", &v) == 1 && v.len)
		pretty = !strcmp(v.data, "true") || !strcmp(v.data, "1") || !strcmp(v.data, "True") || !strcmp(v.data, "t");
	buf_release(&v);
	if (pretty >= 0)
		return pretty;
	return ua && (starts_with(ua, "curl") || starts_with(ua, "Wget") || starts_with(ua, "Mozilla/5.0"));
}

/* Appends compact JSON text s indented as Go's json.MarshalIndent(v, "", "  ") writes it. */
static void json_indent(const char *s, size_t len, struct buf *out)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			buf_addch(out, c);
			if (c == '\\' && i + 1 < len)
				buf_addch(out, s[++i]);
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if ((c == '{' || c == '[') && i + 1 < len && (s[i + 1] == '}' || s[i + 1] == ']')) {
			buf_addch(out, c);
			buf_addch(out, s[++i]);
			continue;
		}
		if (c == '}' || c == ']')
			depth--;
		if (c == '}' || c == ']') {
			buf_addch(out, '\n');
			for (int d = 0; d < depth; d++)
				buf_adds(out, "  ");
		}
		buf_addch(out, c);
		in_str = c == '"';
		if (c == ':')
			buf_addch(out, ' ');
		if (c == '{' || c == '[')
			depth++;
		if (c == '{' || c == '[' || c == ',') {
			buf_addch(out, '\n');
			for (int d = 0; d < depth; d++)
				buf_adds(out, "  ");
		}
	}
	buf_addch(out, '\n');
}

/* Sends the answer (HTTP response or internal callback) and frees req. */
static void api_send(struct api_req *req, int code, const struct http_header *h, size_t nh, const char *body, size_t len)
{
	struct http_header hs[102];
	struct buf vals[101];
	size_t n = 0;
	struct buf dep = BUF_INIT;
	for (size_t i = 0; i < nh && n < ARRAY_SIZE(hs); i++)
		hs[n++] = h[i];
	if (req->kind && req->kind->deprecated) {
		deprecation_warning(req->kind, &dep);
		hs[n++] = (struct http_header){ "Warning", dep.data };
	}
	for (size_t i = 0; i < req->warnings.n && i < ARRAY_SIZE(vals) - 1; i++) {
		/* Warning: 299 - "text" (RFC 7234), as kubectl prints "Warning: text". */
		buf_init(&vals[i]);
		buf_adds(&vals[i], "299 - ");
		buf_add_json_string(&vals[i], req->warnings.v[i]);
		hs[n++] = (struct http_header){ "Warning", vals[i].data };
	}
	metrics_request(req->srv->metrics, req, code);
	struct buf pretty = BUF_INIT;
	if (req->http && len && (body[0] == '{' || body[0] == '[') && pretty_wanted(req->http)) {
		json_indent(body, len, &pretty);
		body = pretty.data;
		len = pretty.len;
	}
	if (req->http)
		http_respond(req->http, code, "application/json", hs, n, body, len);
	else if (req->done)
		req->done(req, code, body, len);
	for (size_t i = 0; i < req->warnings.n && i < ARRAY_SIZE(vals) - 1; i++)
		buf_release(&vals[i]);
	buf_release(&dep);
	buf_release(&pretty);
	api_req_free(req);
}

void api_fail(struct api_req *req)
{
	struct buf body = BUF_INIT;
	char retry[16];
	struct http_header h = { "Retry-After", retry };
	if (!req->err.code)
		api_error_internal(&req->err, "unknown error");
	api_error_render(&req->err, &body);
	snprintf(retry, sizeof(retry), "%d", req->err.retry_after);
	api_send(req, req->err.code, &h, req->err.retry_after ? 1 : 0, body.data, body.len);
	buf_release(&body);
}

void api_reply(struct api_req *req, int code, const struct buf *body)
{
	api_send(req, code, NULL, 0, buf_str(body), body->len);
}

void api_reply_kv(struct api_req *req, int code, const struct store_kv *kv)
{
	if (req->sub && !strcmp(req->sub, "scale")) {
		struct buf out = BUF_INIT;
		cJSON *obj = obj_parse(kv), *sc = to_scale(req, obj, 0);
		cJSON_Delete(obj);
		if (!sc) {
			api_fail(req);
			return;
		}
		json_print(sc, &out);
		cJSON_Delete(sc);
		api_reply(req, code, &out);
		buf_release(&out);
		return;
	}
	if (!req->table && obj_served_as_stored(req->kind)) {
		api_send(req, code, NULL, 0, kv->value->data, kv->value->len);
		return;
	}
	struct buf out = BUF_INIT;
	if (!req->table) {
		obj_print_as(req->kind, kv, &out);
		api_reply(req, code, &out);
		buf_release(&out);
		return;
	}
	cJSON *obj = obj_parse_as(req->kind, kv);
	table_single(req->kind, obj, req->q.include_object, &out);
	cJSON_Delete(obj);
	api_reply(req, code, &out);
	buf_release(&out);
}

/* ---- decoding ---------------------------------------------------------------------------- */

/* The media type of a Content-Type header, without parameters, in *out (lowercase). */
static void media_type(const char *ct, char *out, size_t len)
{
	size_t i = 0;
	for (; ct && *ct && *ct != ';' && i + 1 < len; ct++)
		if (*ct != ' ')
			out[i++] = (char)(*ct >= 'A' && *ct <= 'Z' ? *ct + 32 : *ct);
	out[i] = '\0';
}

/* Decodes the request body as JSON or YAML into req->body. Returns 0 or fills req->err. */
/* The schema for a protobuf envelope's type; an empty apiVersion or kind means the URL's. */
static const struct sch_type *pb_lookup(void *arg, const char *api_version, const char *kind)
{
	const struct api_req *req = arg;
	return pb_lookup_schema(NULL, *api_version ? api_version : req->kind->api_version,
				*kind ? kind : req->kind->kind);
}

static int decode_protobuf(struct api_req *req, const char *type_name)
{
	struct buf err = BUF_INIT;
	int r = pb_decode_object(req->raw, req->raw_len, pb_lookup, req, &req->body, &err);
	if (r == -KUBE_ENOTFOUND)
		api_error_bad_request(&req->err, "the object provided is unrecognized (must be of type %s): %s", type_name,
				      buf_str(&err));
	else if (r < 0)
		api_error_bad_request(&req->err, "the object provided is unrecognized (must be of type %s): %s", type_name,
				      buf_str(&err));
	buf_release(&err);
	return r < 0 ? -1 : 0;
}

/* Decodes the request body (JSON, YAML or Kubernetes protobuf) into req->body. Returns 0 or
 * fills req->err. */
static int decode_body(struct api_req *req, const char *type_name)
{
	char mt[96];
	struct buf err = BUF_INIT;
	media_type(req->content_type, mt, sizeof(mt));
	if (!strcmp(mt, "application/vnd.kubernetes.protobuf"))
		return decode_protobuf(req, type_name);
	if (!*mt || !strcmp(mt, "application/json") || !strcmp(mt, "*/*"))
		req->body = json_parse(req->raw, req->raw_len, &err);
	else if (!strcmp(mt, "application/yaml") || !strcmp(mt, "text/yaml"))
		req->body = y2j_parse(req->raw, req->raw_len, &err);
	else {
		api_error_set(&req->err, 415, "UnsupportedMediaType",
			      "the body of the request was in an unknown format - accepted media types include: "
			      "application/json, application/yaml, application/vnd.kubernetes.protobuf");
		buf_release(&err);
		return -1;
	}
	if (!req->body) {
		char summary[40];
		size_t n = MIN(req->raw_len, sizeof(summary) - 1);
		memcpy(summary, req->raw, n);
		summary[n] = '\0';
		api_error_bad_request(&req->err,
				      "the object provided is unrecognized (must be of type %s): couldn't get "
				      "version/kind; json parse error: %s (%s)",
				      type_name, buf_str(&err), summary);
		buf_release(&err);
		return -1;
	}
	buf_release(&err);
	return 0;
}

/* The Go package of upstream's internal type for a group: the group's first label, but "core"
 * for the core group and events.k8s.io, "networking" for extensions (its Ingress). */
static size_t internal_package(const char *api_version, const char **pkg)
{
	const char *slash = strchr(api_version, '/');
	if (!slash || !strncmp(api_version, "events.k8s.io/", 14)) {
		*pkg = "core";
		return 4;
	}
	if (!strncmp(api_version, "extensions/", 11)) {
		*pkg = "networking";
		return 10;
	}
	*pkg = api_version;
	return strcspn(api_version, "./");
}

/* A body of another built-in kind than the resource's: upstream decodes it as that kind, then
 * fails to convert it to the resource's internal type ("Pod in version "v1" cannot be handled
 * as a Namespace: converting (v1.Pod) to (core.Namespace): unknown conversion"). Fills req->err
 * and returns 1 when body_av/body_kind is such a kind; 0 otherwise (unknown kinds, custom
 * resources and CRDs, which upstream decodes as unstructured objects: the caller's own checks
 * answer). */
static int conversion_error(struct api_req *req, const char *body_av, const char *body_kind, const char *api_version,
			    const char *kind)
{
	char group[128];
	const char *version = api_version_split(body_av, group, sizeof(group)), *pkg;
	const struct kind *src = kind_by_gvk(group, version, body_kind);
	if (!src || (src->flags & KIND_CUSTOM) || (req->kind->flags & KIND_CUSTOM) ||
	    !strncmp(api_version, "apiextensions.k8s.io/", 21))
		return 0;
	size_t n = internal_package(api_version, &pkg);
	api_error_bad_request(&req->err, "%s in version \"%s\" cannot be handled as a %s: converting (%s.%s) to "
					 "(%.*s.%s): unknown conversion",
			      body_kind, version, kind, version, body_kind, (int)n, pkg, kind);
	return 1;
}

/* Checks apiVersion and kind of a decoded object against the URL and fills them in when the
 * body omits them (the Python client omits them). Returns 0 or fills req->err. */
static int check_type(struct api_req *req, cJSON *obj, const char *api_version, const char *kind)
{
	if (!cJSON_IsObject(obj)) {
		api_error_bad_request(&req->err, "the object provided is unrecognized (must be of type %s): "
						 "couldn't get version/kind; json parse error: expected an object",
				      kind);
		return -1;
	}
	const char *av = json_str(obj, "apiVersion"), *kd = json_str(obj, "kind");
	if (kd && *kd && strcmp(kd, kind) && conversion_error(req, av && *av ? av : api_version, kd, api_version, kind))
		return -1;
	if (av && *av && strcmp(av, api_version)) {
		api_error_bad_request(&req->err,
				      "the API version in the data (%s) does not match the expected API version (%s)",
				      av, api_version);
		return -1;
	}
	if (kd && *kd && strcmp(kd, kind)) {
		api_error_bad_request(&req->err, "%s in version \"%s\" cannot be handled as a %s: the kind of the "
						 "object does not match the resource",
				      kd, req->kind->version, kind);
		return -1;
	}
	json_set_str(obj, "apiVersion", api_version);
	json_set_str(obj, "kind", kind);
	return 0;
}

/* fieldValidation: unknown and duplicate fields of obj (of the kind group/version/kind) fail the
 * request with Strict, come back as warnings with Warn (the default), are not looked for with
 * Ignore. Then duplicates are dropped, the last one winning as in Go. Returns 0 or fills err. */
static int check_fields(struct api_req *req, cJSON *obj, const char *api_version, const char *kind)
{
	const char *mode = req->q.field_validation ? req->q.field_validation : "";
	char group[128];
	const char *version = api_version_split(api_version, group, sizeof(group));
	if (*mode && strcmp(mode, "Strict") && strcmp(mode, "Warn") && strcmp(mode, "Ignore")) {
		api_error_bad_request(&req->err, "fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", not \"%s\"", mode);
		return -1;
	}
	struct fieldcheck fc = { 0 };
	if (strcmp(mode, "Ignore"))
		fieldcheck_run(&fc, obj, sch_kind_type(group, version, kind));
	/* A custom resource's undeclared fields are pruned whatever the mode (crd_schema.c). */
	if ((req->kind->flags & KIND_CUSTOM) && !strcmp(kind, req->kind->kind))
		crd_prune_kind(req->kind, obj, &fc);
	if (!strcmp(mode, "Ignore")) {
		fieldcheck_release(&fc);
	} else {
		if (fc.n && !strcmp(mode, "Strict")) {
			struct buf msg = BUF_INIT;
			for (size_t i = 0; i < fc.n; i++)
				buf_addf(&msg, "%s%s", i ? ", " : "", fc.v[i]);
			api_error_bad_request(&req->err, "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s",
					      kind, version, kind, msg.data);
			buf_release(&msg);
			fieldcheck_release(&fc);
			return -1;
		}
		fieldcheck_release(&req->warnings);
		req->warnings = fc;
	}
	json_dedupe(obj);
	return 0;
}

/* Upstream decodes the body into its Go type first: a value of the wrong JSON type fails there
 * with 400 and encoding/json's words. Returns 0 or fills req->err. */
static int check_decode(struct api_req *req, const cJSON *obj, const char *api_version, const char *kind)
{
	char group[128];
	const char *version = api_version_split(api_version, group, sizeof(group));
	struct buf msg = BUF_INIT;
	if (sch_check_decode(sch_kind_type(group, version, kind), obj, &msg) == 0)
		return 0;
	api_error_bad_request(&req->err, "%s in version \"%s\" cannot be handled as a %s: %s", kind, version, kind,
			      buf_str(&msg));
	buf_release(&msg);
	return -1;
}

int api_decode_object(struct api_req *req, const char *api_version, const char *kind)
{
	if (decode_body(req, kind) < 0 || check_type(req, req->body, api_version, kind) < 0 ||
	    check_decode(req, req->body, api_version, kind) < 0 || check_fields(req, req->body, api_version, kind) < 0)
		return -1;
	return 0;
}

/* Makes metadata.namespace agree with the URL. Returns 0 or fills req->err. */
static int check_namespace(struct api_req *req, cJSON *meta)
{
	const char *ns = json_str(meta, "namespace");
	if (!(req->kind->flags & KIND_NAMESPACED)) {
		json_del(meta, "namespace");
		return 0;
	}
	if (ns && *ns && strcmp(ns, req->ns)) {
		api_error_bad_request(&req->err,
				      "the namespace of the provided object does not match the namespace sent on the request");
		return -1;
	}
	json_set_str(meta, "namespace", req->ns);
	return 0;
}

/* ---- the scale subresource ------------------------------------------------------------- */

static int is_scale(const struct api_req *req)
{
	return req->sub && !strcmp(req->sub, "scale");
}

/* The Scale of obj, an object of req's kind, or NULL with req->err set: upstream answers a
 * custom resource without spec replicas with an internal error, a value of the wrong type with
 * the accessor's error (500, no reason). lenient: see scale_of. */
static cJSON *to_scale(struct api_req *req, const cJSON *obj, int lenient)
{
	struct buf err = BUF_INIT;
	cJSON *sc;
	int r = scale_of(req->kind, obj, lenient, &sc, &err);
	if (r == -ENOENT)
		api_error_internal(&req->err, "%s", buf_str(&err));
	else if (r < 0)
		api_error_set(&req->err, 500, "", "%s", buf_str(&err));
	buf_release(&err);
	return sc;
}

/* The Scale's replicas (0 when absent, as Go decodes it), or -1 with req->err set when it is not
 * an integer or, for a built-in kind, out of range (upstream's ValidateScale). */
static int scale_replicas(struct api_req *req, const cJSON *sc, int64_t *n)
{
	const cJSON *r = json_getv(sc, "spec", "replicas", NULL);
	*n = 0;
	if (!r || (json_int(json_obj(sc, "spec"), "replicas", n) == 0 &&
		   ((req->kind->flags & KIND_CUSTOM) || (*n >= 0 && *n <= INT32_MAX))))
		return 0;
	struct field_errors errs = FIELD_ERRORS_INIT;
	field_errors_add(&errs, FE_INVALID, "spec.replicas", r, "must be greater than or equal to 0");
	api_error_invalid(&req->err, &(struct kind){ .group = "autoscaling", .kind = "Scale", .qualified_kind = "Scale.autoscaling" },
			  req->name, &errs);
	return -1;
}

/* Writes the Scale's replicas into obj (at the kind's path) and, for a custom resource, checks
 * the result as upstream's ValidateScaleSpec/Status do. Returns 0 or -1 with req->err set. */
static int scale_into(struct api_req *req, cJSON *obj, int64_t n)
{
	struct scale_paths p;
	struct field_errors errs = FIELD_ERRORS_INIT;
	struct buf err = BUF_INIT;
	scale_paths_of(req->kind, &p);
	if (p.custom && n == SCALE_NO_REPLICAS) {
		api_error_bad_request(&req->err, "the spec replicas field \"%s\" cannot be empty", p.spec_replicas);
		return -1;
	}
	if (scale_set_replicas(req->kind, obj, n, &err) < 0) {
		api_error_set(&req->err, 500, "", "%s", buf_str(&err));
		buf_release(&err);
		return -1;
	}
	scale_validate_custom(req->kind, obj, 0, &errs);
	if (!errs.n)
		return 0;
	api_error_invalid(&req->err, req->kind, req->name, &errs);
	return -1;
}

/* Builds the new object from the current one and a Scale document (taking ownership of sc).
 * Returns it, or NULL with req->err set. */
static cJSON *from_scale(struct api_req *req, const struct store_kv *kv, cJSON *sc)
{
	cJSON *obj = NULL;
	int64_t n;
	if (check_type(req, sc, "autoscaling/v1", "Scale") < 0 || scale_replicas(req, sc, &n) < 0)
		goto out;
	obj = obj_parse(kv);
	cJSON *meta = json_obj_force(obj, "metadata");
	const char *rv = json_strv(sc, "metadata", "resourceVersion", NULL);
	if (rv && *rv)
		json_set_str(meta, "resourceVersion", rv);
	else
		json_del(meta, "resourceVersion");
	const char *name = json_strv(sc, "metadata", "name", NULL);
	if (name && *name)
		json_set_str(meta, "name", name);
	if (scale_into(req, obj, n) < 0) {
		cJSON_Delete(obj);
		obj = NULL;
	}
out:
	cJSON_Delete(sc);
	return obj;
}

/* ---- get --------------------------------------------------------------------------------- */

struct store_kv *api_lookup(struct api_req *req, const char *name)
{
	struct buf key = BUF_INIT;
	kind_key(req->kind, req->ns, name, &key);
	struct store_kv *kv = store_get(req->srv->store, key.data);
	buf_release(&key);
	return kv;
}

void api_get(struct api_req *req)
{
	struct store_kv *kv = api_lookup(req, req->name);
	if (!kv) {
		api_error_not_found(&req->err, req->kind, req->name);
		api_fail(req);
		return;
	}
	api_reply_kv(req, 200, kv);
}

/* ---- the shared write path --------------------------------------------------------------- */

struct write_ctx {
	struct api_req *req;
	int code;
	void (*retry)(struct api_req *req);
};

static void write_done(const struct store_result *res, void *data)
{
	struct write_ctx *w = data;
	struct api_req *req = w->req;
	const char *name = req->name ? req->name : json_strv(req->obj, "metadata", "name", NULL);
	if (res->status == 0) {
		if (w->code == 0) { /* a delete answered with a Status */
			struct buf out = BUF_INIT;
			status_success(&out, req->kind, name ? name : "",
				       json_strv(req->obj, "metadata", "uid", NULL));
			api_reply(req, 200, &out);
			buf_release(&out);
		} else {
			api_reply_kv(req, w->code, res->kv);
		}
	} else if (res->status == -KUBE_ECONFLICT && w->retry && req->attempts < MAX_ATTEMPTS) {
		svc_alloc_abort(req->srv->svc_alloc, req->grant);
		req->grant = NULL;
		req->attempts++;
		cJSON_Delete(req->obj);
		req->obj = NULL;
		w->retry(req);
	} else {
		svc_alloc_abort(req->srv->svc_alloc, req->grant);
		req->grant = NULL;
		if (res->status == -KUBE_EIO)
			log_error("store write for %s failed: %s", name ? name : "?", res->err ? res->err : "");
		api_error_from_store(&req->err, res->status, req->kind, name ? name : "", res->err);
		api_fail(req);
	}
	free(w);
}

void api_write(struct api_req *req, enum store_op_type op, const char *key, int code,
	       void (*retry)(struct api_req *req))
{
	struct write_ctx *w = xcalloc(1, sizeof(*w));
	w->req = req;
	w->code = code;
	w->retry = retry;
	if (req->kind->view)
		req->kind->view->in(req->obj);
	store_txn(req->srv->store, op, key, req->expect_rev, obj_encode, req->obj, write_done, w);
}

/* The answer to a dry run: the object as it would be stored, without a new revision. */
void api_reply_dry_run(struct api_req *req, int code, const char *rv)
{
	struct buf out = BUF_INIT;
	cJSON *meta = json_obj_force(req->obj, "metadata");
	if (rv)
		json_set_str(meta, "resourceVersion", rv);
	else
		json_del(meta, "resourceVersion");
	if (is_scale(req)) { /* the scale subresource answers a Scale, dry run or not */
		cJSON *sc = to_scale(req, req->obj, 0);
		if (!sc) {
			api_fail(req);
			return;
		}
		json_print(sc, &out);
		cJSON_Delete(sc);
	} else {
		json_print(req->obj, &out);
	}
	api_reply(req, code, &out);
	buf_release(&out);
}

/* ---- managedFields ------------------------------------------------------------------------ */

/* The field-manager operation of req: the kind's type, the manager named by fieldManager or,
 * as upstream does, derived from the User-Agent. */
static void apply_op_of(struct api_req *req, struct apply_op *op, char now[21], struct buf *mgr)
{
	format_rfc3339(wall_seconds(), now);
	if (req->q.field_manager && *req->q.field_manager)
		buf_adds(mgr, req->q.field_manager);
	else if (req->http)
		apply_default_manager(http_header(req->http, "User-Agent"), mgr);
	else
		buf_adds(mgr, "kube-apiserver");
	memset(op, 0, sizeof(*op));
	op->type = sch_kind_type(req->kind->group, req->kind->version, req->kind->kind);
	op->api_version = req->kind->api_version;
	op->kind = req->kind->kind;
	op->manager = buf_str(mgr);
	op->subresource = req->sub;
	op->force = req->q.force;
	op->now = now;
}

/* Records in obj.metadata.managedFields which fields this write changed, and for whom. */
static void track_fields(struct api_req *req, const cJSON *old, cJSON *obj)
{
	struct apply_op op;
	struct buf mgr = BUF_INIT;
	char now[21];
	if (req->kind->flags & KIND_VIRTUAL)
		return;
	apply_op_of(req, &op, now, &mgr);
	apply_track_update(&op, old, obj);
	buf_release(&mgr);
}

/* ---- Services: cluster IPs and node ports ------------------------------------------------ */

static int is_service(const struct api_req *req)
{
	return !req->sub && !strcmp(req->kind->group, "") && !strcmp(req->kind->kind, "Service");
}

/* Takes what the Service needs (see alloc.c). Returns 0 or fills req->err. A dry run gives it
 * back at once: it only shows what would be allocated. */
static int service_allocate(struct api_req *req, cJSON *obj, const cJSON *old)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	if (!is_service(req))
		return 0;
	if (svc_alloc_prepare(req->srv->svc_alloc, obj, old, &req->grant, &errs) < 0) {
		api_error_invalid(&req->err, req->kind, json_strv(obj, "metadata", "name", NULL), &errs);
		return -1;
	}
	if (req->q.dry_run) {
		svc_alloc_abort(req->srv->svc_alloc, req->grant);
		req->grant = NULL;
	}
	return 0;
}

/* ---- create ------------------------------------------------------------------------------ */

static void generate_name(cJSON *meta)
{
	static const char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
	const char *prefix = json_str(meta, "generateName");
	unsigned char r[5];
	char suffix[6];
	random_bytes(r, sizeof(r));
	for (size_t i = 0; i < 5; i++)
		suffix[i] = alphabet[r[i] % (sizeof(alphabet) - 1)];
	suffix[5] = '\0';
	char *name = xasprintf("%.*s%s", 58, prefix, suffix);
	json_set_str(meta, "name", name);
	free(name);
}

/* Fills the fields the system owns on a new object. */
static void prepare_create(struct api_req *req, cJSON *obj, cJSON *meta)
{
	char uid[37], now[21];
	uuid_v4(uid);
	format_rfc3339(wall_seconds(), now);
	json_set_str(meta, "uid", uid);
	json_set_str(meta, "creationTimestamp", now);
	json_del(meta, "deletionTimestamp");
	json_del(meta, "deletionGracePeriodSeconds");
	json_del(meta, "selfLink");
	if (req->kind->flags & KIND_GENERATION)
		json_set_int(meta, "generation", 1);
	else
		json_del(meta, "generation");
	/* What status a new object starts with is the kind's PrepareForCreate (kinds.c). */
	UNUSED(obj);
}

/* No finalizer may be added to an object being deleted (upstream's ValidateObjectMetaUpdate). */
static void deletion_finalizers(const cJSON *meta, const cJSON *ometa, struct field_errors *errs)
{
	const cJSON *f, *o;
	struct buf added = BUF_INIT;
	cJSON_ArrayForEach(f, json_getv(meta, "finalizers", NULL))
	{
		int found = 0;
		cJSON_ArrayForEach(o, json_getv(ometa, "finalizers", NULL))
			found |= cJSON_IsString(o) && cJSON_IsString(f) && !strcmp(o->valuestring, f->valuestring);
		if (!found && cJSON_IsString(f))
			buf_addf(&added, "%s\"%s\"", added.len ? ", " : "", f->valuestring);
	}
	if (added.len)
		field_errors_add(errs, FE_FORBIDDEN, "metadata.finalizers", NULL,
				 "no new finalizers can be added if the object is being deleted, found new finalizers []string{%s}",
				 added.data);
	buf_release(&added);
}

/* Runs the kind's defaulting and preparation hooks (old is NULL on create). */
static void default_and_prepare(struct api_req *req, cJSON *obj, const cJSON *old)
{
	const struct kind_hooks *h = req->kind->hooks;
	if (h && h->defaults)
		h->defaults(obj);
	if (req->kind->flags & KIND_CUSTOM)
		crd_default_kind(req->kind, obj);
	/* Subresource writes (status, finalize, scale) were prepared by keep_all_but_sub/from_scale. */
	if (h && h->prepare && !req->sub)
		h->prepare(obj, old);
}

/* Validates metadata and, through the kind's hooks, the rest. Returns 0 or fills req->err. */
static int validate(struct api_req *req, const cJSON *obj, const cJSON *old)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	const cJSON *meta = json_obj(obj, "metadata");
	const struct kind_hooks *h = req->kind->hooks;
	int status = req->sub && (!strcmp(req->sub, "status") || !strcmp(req->sub, "approval"));
	validate_object_meta(meta, old ? json_obj(old, "metadata") : NULL, req->kind->flags & KIND_NAMESPACED,
			     req->kind->name_rule, &errs);
	if (old && json_strv(old, "metadata", "deletionTimestamp", NULL))
		deletion_finalizers(meta, json_obj(old, "metadata"), &errs);
	if (h && status && h->validate_status)
		h->validate_status(obj, old, &errs);
	else if (h && !status && h->validate)
		h->validate(obj, old, &errs);
	if (req->kind->flags & KIND_CUSTOM) {
		crd_validate_kind(req->kind, obj, old, &errs);
		scale_validate_custom(req->kind, obj, status, &errs);
	}
	if (!errs.n)
		return 0;
	api_error_invalid(&req->err, req->kind, json_str(meta, "name"), &errs);
	return -1;
}

/* A namespace being deleted is in phase Terminating (read from the stored attrs: no parsing). */
static int ns_terminating(const struct store_kv *kv)
{
	const char *phase = obj_field(kv->attrs, "status.phase");
	return phase && !strcmp(phase, "Terminating");
}

static int namespace_usable(struct api_req *req)
{
	if (!(req->kind->flags & KIND_NAMESPACED) || (req->srv->cfg->admission_off & ADM_NAMESPACE_LIFECYCLE))
		return 1;
	const struct kind *nsk = kind_by_resource("", "v1", "namespaces");
	struct buf key = BUF_INIT;
	kind_key(nsk, NULL, req->ns, &key);
	struct store_kv *kv = store_get(req->srv->store, key.data);
	buf_release(&key);
	if (!kv) {
		api_error_not_found(&req->err, nsk, req->ns);
		return 0;
	}
	/* NamespaceLifecycle admission: nothing new in a namespace being deleted. */
	if (ns_terminating(kv)) {
		const char *name = json_strv(req->obj, "metadata", "name", NULL);
		api_error_set(&req->err, 403, "Forbidden",
			      "%s \"%s\" is forbidden: unable to create new content in namespace %s because it is being terminated",
			      req->kind->qualified, name ? name : "", req->ns);
		free(req->err.name);
		req->err.name = xstrdup(name ? name : "");
		req->err.kind = req->kind->plural;
		req->err.group = req->kind->group;
		char *why = xasprintf("namespace %s is being terminated", req->ns);
		api_error_cause(&req->err, "NamespaceTerminating", why, "metadata.namespace");
		free(why);
		return 0;
	}
	return 1;
}

/* The create path once req->obj holds the decoded object: system fields, defaults, admission,
 * managedFields, validation, allocation, then the write. */
static void create_object(struct api_req *req)
{
	struct buf key = BUF_INIT;
	cJSON *meta = json_obj_force(req->obj, "metadata");
	if (check_namespace(req, meta) < 0)
		goto fail;
	const char *rv = json_str(meta, "resourceVersion");
	if (rv && *rv) {
		api_error_bad_request(&req->err, "resourceVersion should not be set on objects to be created");
		goto fail;
	}
	const char *name = json_str(meta, "name"), *gen = json_str(meta, "generateName");
	if ((!name || !*name) && gen && *gen)
		generate_name(meta);
	prepare_create(req, req->obj, meta);
	default_and_prepare(req, req->obj, NULL);
	int admitted = admission_create(req, req->obj);
	if (!req->is_apply)
		track_fields(req, NULL, req->obj);
	if (!namespace_usable(req) || admitted < 0 || validate(req, req->obj, NULL) < 0 ||
	    admission_validate(req, req->obj, NULL) < 0 || service_allocate(req, req->obj, NULL) < 0)
		goto fail;
	if (req->q.dry_run) {
		api_reply_dry_run(req, 201, NULL);
		return;
	}
	kind_key(req->kind, req->ns, json_str(meta, "name"), &key);
	req->expect_rev = 0;
	api_write(req, STORE_CREATE, key.data, 201, NULL);
	buf_release(&key);
	return;
fail:
	buf_release(&key);
	api_fail(req);
}

void api_create(struct api_req *req)
{
	if (api_decode_object(req, req->kind->api_version, req->kind->kind) < 0) {
		api_fail(req);
		return;
	}
	req->obj = req->body;
	req->body = NULL;
	create_object(req);
}

/* ---- update and patch -------------------------------------------------------------------- */

/* A write to /approval changes status.conditions alone: the rest of status is old's. Takes the
 * request's status (may be NULL) and returns the status to store (may be NULL). */
static cJSON *approval_status(cJSON *keep, const cJSON *old)
{
	cJSON *conds = cJSON_DetachItemFromObjectCaseSensitive(keep, "conditions");
	cJSON_Delete(keep);
	const cJSON *ost = cJSON_GetObjectItemCaseSensitive(old, "status");
	cJSON *st = cJSON_IsObject(ost) ? cJSON_Duplicate(ost, 1) : cJSON_CreateObject();
	json_del(st, "conditions");
	if (conds)
		cJSON_AddItemToObject(st, "conditions", conds);
	return st;
}

/* Writes to /status change status, labels and annotations (upstream's built-in status
 * strategies reset spec, not object metadata: the deployment controller records its revision
 * annotation through /status), and writes to a namespace's /finalize change spec.finalizers
 * alone: everything else comes from old; the client's resourceVersion stays a precondition. */
static void keep_all_but_sub(struct api_req *req, cJSON *obj, const cJSON *old)
{
	static const char *const status_meta[] = { "labels", "annotations" };
	int approval = !strcmp(req->sub, "approval");
	int status = approval || !strcmp(req->sub, "status");
	cJSON *keep = status ? cJSON_DetachItemFromObjectCaseSensitive(obj, "status")
			     : cJSON_DetachItemFromObjectCaseSensitive(json_obj(obj, "spec"), "finalizers");
	cJSON *meta_keep[ARRAY_SIZE(status_meta)] = { NULL };
	for (size_t i = 0; status && i < ARRAY_SIZE(status_meta); i++)
		meta_keep[i] = cJSON_DetachItemFromObjectCaseSensitive(json_obj(obj, "metadata"), status_meta[i]);
	char *rv = xstrdup(json_strv(obj, "metadata", "resourceVersion", NULL) ? json_strv(obj, "metadata", "resourceVersion", NULL) : "");
	cJSON *child;
	while ((child = obj->child))
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, child));
	cJSON_ArrayForEach(child, old)
		if (!status || strcmp(child->string, "status"))
			cJSON_AddItemToObject(obj, child->string, cJSON_Duplicate(child, 1));
	cJSON *meta = json_obj_force(obj, "metadata");
	if (*rv)
		json_set_str(meta, "resourceVersion", rv);
	else
		json_del(meta, "resourceVersion");
	free(rv);
	for (size_t i = 0; status && i < ARRAY_SIZE(status_meta); i++) {
		json_del(meta, status_meta[i]);
		if (meta_keep[i])
			cJSON_AddItemToObject(meta, status_meta[i], meta_keep[i]);
	}
	if (approval)
		keep = approval_status(keep, old);
	if (status && keep)
		cJSON_AddItemToObject(obj, "status", keep);
	else if (!status)
		json_set(json_obj_force(obj, "spec"), "finalizers", keep ? keep : cJSON_CreateArray());
}

/* Copies the fields a client may not change from old into obj. */
static void keep_system_fields(struct api_req *req, cJSON *obj, const cJSON *old)
{
	static const char *const fixed[] = { "uid", "creationTimestamp", "deletionTimestamp",
					     "deletionGracePeriodSeconds", "generation" };
	cJSON *meta = json_obj_force(obj, "metadata");
	const cJSON *ometa = json_obj(old, "metadata");
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ometa, fixed[i]);
		if (v)
			json_set(meta, fixed[i], cJSON_Duplicate(v, 1));
		else
			json_del(meta, fixed[i]);
	}
	json_del(meta, "selfLink");
	if (req->sub && (!strcmp(req->sub, "status") || !strcmp(req->sub, "finalize") || !strcmp(req->sub, "approval")))
		keep_all_but_sub(req, obj, old);
	else if (req->kind->flags & KIND_STATUS) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(old, "status");
		json_del(obj, "status");
		if (st)
			cJSON_AddItemToObject(obj, "status", cJSON_Duplicate(st, 1));
	}
}

/* metadata.generation counts changes of spec (after defaulting, so that an omitted default is
 * not a change). */
static void bump_generation(struct api_req *req, cJSON *obj, const cJSON *old)
{
	if (!(req->kind->flags & KIND_GENERATION) || (req->sub && !strcmp(req->sub, "status")))
		return;
	if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(obj, "spec"), cJSON_GetObjectItemCaseSensitive(old, "spec"), 1))
		return;
	int64_t g = 0;
	json_int(json_obj(old, "metadata"), "generation", &g);
	json_set_int(json_obj_force(obj, "metadata"), "generation", g + 1);
}

/* Is obj equal to old apart from resourceVersion? Then the write is skipped. */
static int unchanged(cJSON *obj, const cJSON *old)
{
	cJSON *meta = json_obj(obj, "metadata");
	const char *orv = json_strv(old, "metadata", "resourceVersion", NULL);
	cJSON *rv = cJSON_DetachItemFromObjectCaseSensitive(meta, "resourceVersion");
	cJSON *cmp = cJSON_Duplicate(old, 1);
	json_del(json_obj(cmp, "metadata"), "resourceVersion");
	int same = cJSON_Compare(obj, cmp, 1);
	cJSON_Delete(cmp);
	if (rv)
		cJSON_AddItemToObject(meta, "resourceVersion", rv);
	else if (orv)
		json_set_str(meta, "resourceVersion", orv);
	return same;
}

/* Finishes an update of req->obj against the stored kv: checks, then writes. The client's
 * resourceVersion (if any) is a precondition. */
static void update_against(struct api_req *req, struct store_kv *kv, void (*retry)(struct api_req *req))
{
	struct buf key = BUF_INIT;
	cJSON *old = obj_parse_as(req->kind, kv);
	cJSON *meta = json_obj_force(req->obj, "metadata");
	const char *rv = json_str(meta, "resourceVersion");
	const char *oname = json_str(meta, "name");
	if (oname && *oname && strcmp(oname, req->name)) {
		api_error_bad_request(&req->err, "the name of the object (%s) does not match the name on the URL (%s)",
				      oname, req->name);
		goto fail;
	}
	json_set_str(meta, "name", req->name);
	if (check_namespace(req, meta) < 0)
		goto fail;
	int64_t want = 0;
	/* "0" (as "" or none) asks for no precondition: an unconditional update, as upstream's
	 * registry treats a zero resourceVersion. */
	if (rv && *rv && strcmp(rv, "0") && (parse_int64(rv, 1, INT64_MAX, &want) < 0 || want != kv->mod_rev)) {
		api_error_conflict(&req->err, req->kind, req->name, NULL);
		goto fail;
	}
	keep_system_fields(req, req->obj, old);
	admission_update(req, req->obj, old);
	if (is_service(req))
		svc_alloc_keep(req->obj, old);
	default_and_prepare(req, req->obj, old);
	bump_generation(req, req->obj, old);
	if (!req->is_apply)
		track_fields(req, old, req->obj);
	if (validate(req, req->obj, old) < 0 || admission_validate(req, req->obj, old) < 0)
		goto fail;
	if (unchanged(req->obj, old)) {
		cJSON_Delete(old);
		api_reply_kv(req, 200, kv);
		return;
	}
	int remove = api_delete_on_update(req->kind, req->obj, old);
	if (!remove && service_allocate(req, req->obj, old) < 0)
		goto fail;
	cJSON_Delete(old);
	old = NULL;
	if (req->q.dry_run) {
		char cur[24];
		snprintf(cur, sizeof(cur), "%lld", (long long)kv->mod_rev);
		api_reply_dry_run(req, 200, cur);
		return;
	}
	req->expect_rev = kv->mod_rev;
	kind_key(req->kind, req->ns, req->name, &key);
	api_write(req, remove ? STORE_DELETE : STORE_UPDATE, key.data, 200, want ? NULL : retry);
	buf_release(&key);
	return;
fail:
	cJSON_Delete(old);
	buf_release(&key);
	api_fail(req);
}

static void update_attempt(struct api_req *req)
{
	struct store_kv *kv = api_lookup(req, req->name);
	if (!req->obj)
		req->obj = cJSON_Duplicate(req->body, 1);
	if (!kv) {
		if ((req->kind->flags & KIND_CREATE_ON_UPDATE) && !req->sub) {
			cJSON *meta = json_obj_force(req->obj, "metadata");
			json_set_str(meta, "name", req->name);
			if (check_namespace(req, meta) < 0)
				goto fail;
			json_del(meta, "resourceVersion");
			prepare_create(req, req->obj, meta);
			default_and_prepare(req, req->obj, NULL);
			struct buf key = BUF_INIT;
			kind_key(req->kind, req->ns, req->name, &key);
			if (validate(req, req->obj, NULL) < 0 || !namespace_usable(req)) {
				buf_release(&key);
				goto fail;
			}
			api_write(req, STORE_CREATE, key.data, 201, NULL);
			buf_release(&key);
			return;
		}
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	if (is_scale(req) && !(req->obj = from_scale(req, kv, req->obj)))
		goto fail;
	update_against(req, kv, update_attempt);
	return;
fail:
	api_fail(req);
}

void api_update(struct api_req *req)
{
	int scale = is_scale(req);
	if (api_decode_object(req, scale ? "autoscaling/v1" : req->kind->api_version, scale ? "Scale" : req->kind->kind) < 0) {
		api_fail(req);
		return;
	}
	update_attempt(req);
}

/* Applies req's strategic merge patch to *doc with the schema of the kind (or of Scale). Returns
 * 0, or -1 with req->err set as upstream answers each failure. */
static int strategic_merge(struct api_req *req, cJSON **doc, struct buf *err)
{
	const struct sch_type *t = is_scale(req) ? sch_kind_type("autoscaling", "v1", "Scale")
						 : sch_kind_type(req->kind->group, req->kind->version, req->kind->kind);
	int r = smp_apply(doc, req->body, t, err);
	if (r == 0)
		return 0;
	if (r == -KUBE_EINVAL) {
		api_error_bad_request(&req->err, "%s", buf_str(err));
	} else if (r == -ENOTSUP) {
		api_error_set(&req->err, 422, "Invalid", "the server rejected our request due to an error in our request");
		api_error_cause(&req->err, "UnexpectedServerResponse", buf_str(err), NULL);
	} else {
		api_error_set(&req->err, 500, "", "%s", buf_str(err));
	}
	return -1;
}

/* ---- server-side apply ------------------------------------------------------------------- */

static void patch_attempt(struct api_req *req);

/* Answers a failed apply_patch as upstream does. */
static void apply_failed(struct api_req *req, int r, struct apply_conflicts *c, const struct buf *err)
{
	if (r == -KUBE_ECONFLICT) {
		api_error_set(&req->err, 409, "Conflict", "%s", c->message ? c->message : "Apply failed");
		for (size_t i = 0; i < c->n; i++)
			api_error_cause(&req->err, "FieldManagerConflict", c->v[i].message, c->v[i].field);
	} else if (r == -KUBE_EINVAL) {
		api_error_bad_request(&req->err, "%s", buf_str(err));
	} else {
		api_error_set(&req->err, 500, "", "%s", buf_str(err));
	}
}

/* One try of an apply: merge the applied configuration into the current object (or create). */
static void apply_attempt(struct api_req *req)
{
	struct apply_op op;
	struct apply_conflicts conflicts = APPLY_CONFLICTS_INIT;
	struct buf mgr = BUF_INIT, err = BUF_INIT;
	char now[21];
	cJSON *out = NULL, *live = NULL;
	struct store_kv *kv = api_lookup(req, req->name);
	apply_op_of(req, &op, now, &mgr);
	live = kv ? obj_parse_as(req->kind, kv) : NULL;
	int r = apply_patch(&op, live, req->body, &out, &conflicts, &err);
	if (r < 0) {
		apply_failed(req, r, &conflicts, &err);
		goto fail;
	}
	cJSON_Delete(req->obj);
	req->obj = out;
	out = NULL;
	if (!kv) {
		json_set_str(json_obj_force(req->obj, "metadata"), "name", req->name);
		create_object(req);
	} else {
		update_against(req, kv, apply_attempt);
	}
	goto out;
fail:
	api_fail(req);
out:
	cJSON_Delete(live);
	cJSON_Delete(out);
	apply_conflicts_release(&conflicts);
	buf_release(&mgr);
	buf_release(&err);
}

/* PATCH with application/apply-patch+yaml: the body is the applied configuration (YAML or JSON). */
static void apply_start(struct api_req *req)
{
	struct buf err = BUF_INIT;
	if (req->sub && strcmp(req->sub, "status")) {
		api_error_set(&req->err, 415, "UnsupportedMediaType",
			      "apply patches are not supported on the %s subresource", req->sub);
		goto fail;
	}
	if (!req->q.field_manager || !*req->q.field_manager) {
		struct field_errors errs = FIELD_ERRORS_INIT;
		field_errors_add(&errs, FE_REQUIRED, "fieldManager", NULL, "is required for apply patch");
		api_error_invalid(&req->err, &(struct kind){ .group = "meta.k8s.io", .kind = "PatchOptions",
							     .qualified_kind = "PatchOptions.meta.k8s.io" },
				  "", &errs);
		goto fail;
	}
	req->body = y2j_parse(req->raw, req->raw_len, &err);
	if (!req->body || !cJSON_IsObject(req->body)) {
		api_error_bad_request(&req->err, "error decoding YAML: %s", req->body ? "not an object" : buf_str(&err));
		goto fail;
	}
	if (check_fields(req, req->body, req->kind->api_version, req->kind->kind) < 0)
		goto fail;
	buf_release(&err);
	apply_attempt(req);
	return;
fail:
	buf_release(&err);
	api_fail(req);
}

/* Does a patch body mention metadata.resourceVersion? (A JSON patch is a list of operations:
 * any operation on /metadata/resourceVersion counts; a merge patch names the field.) */
static int patch_names_rv(const cJSON *p)
{
	int named = 0;
	const cJSON *op;
	if (cJSON_IsArray(p)) {
		cJSON_ArrayForEach(op, p)
			named |= json_strv(op, "path", NULL) && !strcmp(json_strv(op, "path", NULL), "/metadata/resourceVersion");
	} else {
		named = json_getv(p, "metadata", "resourceVersion", NULL) != NULL;
	}
	return named;
}

/* Go's %v of a decoded JSON value (fmt prints map[string]interface{} as "map[k:v ...]" with
 * sorted keys, slices as "[a b]", nil as "<nil>"), as upstream quotes a patch in errors. */
static void go_value(const cJSON *v, struct buf *out)
{
	const cJSON *c;
	if (cJSON_IsObject(v)) {
		size_t n = (size_t)cJSON_GetArraySize(v), k = 0;
		const cJSON **m = xcalloc(n ? n : 1, sizeof(*m));
		cJSON_ArrayForEach(c, v)
		{
			size_t i = k++;
			for (; i && strcmp(m[i - 1]->string, c->string) > 0; i--)
				m[i] = m[i - 1];
			m[i] = c;
		}
		buf_adds(out, "map[");
		for (size_t i = 0; i < n; i++) {
			buf_addf(out, "%s%s:", i ? " " : "", m[i]->string);
			go_value(m[i], out);
		}
		buf_addch(out, ']');
		free(m);
	} else if (cJSON_IsArray(v)) {
		buf_addch(out, '[');
		cJSON_ArrayForEach(c, v)
		{
			if (c != v->child)
				buf_addch(out, ' ');
			go_value(c, out);
		}
		buf_addch(out, ']');
	} else if (cJSON_IsString(v)) {
		buf_adds(out, v->valuestring);
	} else if (cJSON_IsBool(v)) {
		buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNumber(v)) {
		buf_addf(out, "%.17g", v->valuedouble);
	} else {
		buf_adds(out, "<nil>");
	}
}

/* Upstream decodes a patched object into its Go type before anything else; a value of the
 * wrong shape (a string where labels belong) fails there as 422 with the patch as the value:
 * ` "" is invalid: patch: Invalid value: "map[...]": cannot restore map from string`. */
static int patched_types(struct api_req *req, const cJSON *doc)
{
	struct buf msg = BUF_INIT, patch = BUF_INIT, quoted = BUF_INIT;
	const struct sch_type *t = sch_kind_type(req->kind->group, req->kind->version, req->kind->kind);
	if (sch_check_types(t, doc, &msg) == 0) {
		buf_release(&msg);
		return 0;
	}
	go_value(req->body, &patch);
	buf_add_json_string(&quoted, buf_str(&patch));
	struct field_errors errs = FIELD_ERRORS_INIT;
	field_errors_add_raw(&errs, FE_INVALID, "patch", buf_str(&quoted), "%s", buf_str(&msg));
	api_error_set(&req->err, 422, "Invalid", " \"\" is invalid: patch: Invalid value: %s: %s", buf_str(&quoted),
		      buf_str(&msg));
	field_errors_release(&req->err.causes);
	req->err.causes = errs;
	buf_release(&msg);
	buf_release(&patch);
	buf_release(&quoted);
	return -1;
}

/* Applies the request's patch to the current object; the result goes through the update path. */
static void patch_attempt(struct api_req *req)
{
	char mt[96];
	struct buf err = BUF_INIT;
	struct store_kv *kv = api_lookup(req, req->name);
	int rv_named = patch_names_rv(req->body);
	if (req->is_apply) {
		apply_attempt(req);
		return;
	}
	if (!kv) {
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	cJSON *doc = obj_parse_as(req->kind, kv);
	if (is_scale(req)) {
		cJSON *sc = to_scale(req, doc, 1);
		cJSON_Delete(doc);
		if (!(doc = sc))
			goto fail;
	}
	media_type(req->content_type, mt, sizeof(mt));
	if (!strcmp(mt, "application/json-patch+json")) {
		if (json_patch_apply(&doc, req->body, &err) < 0) {
			/* Upstream: NewGenericServerResponse(422, ...) with the patch error as a cause. */
			cJSON_Delete(doc);
			api_error_set(&req->err, 422, "Invalid", "the server rejected our request due to an error in our request");
			api_error_cause(&req->err, "UnexpectedServerResponse", buf_str(&err), NULL);
			goto fail;
		}
	} else if (!strcmp(mt, "application/strategic-merge-patch+json")) {
		if (strategic_merge(req, &doc, &err) < 0) {
			cJSON_Delete(doc);
			goto fail;
		}
	} else if (merge_patch_apply(&doc, req->body) < 0) {
		cJSON_Delete(doc);
		api_error_bad_request(&req->err, "Invalid JSON Patch");
		goto fail;
	}
	if (!is_scale(req) && patched_types(req, doc) < 0) {
		cJSON_Delete(doc);
		goto fail;
	}
	if (is_scale(req)) {
		/* A patched Scale's own resourceVersion is the current one: no precondition. */
		json_del(json_obj(doc, "metadata"), "resourceVersion");
		if (!(doc = from_scale(req, kv, doc)))
			goto fail;
	} else if (check_type(req, doc, req->kind->api_version, req->kind->kind) < 0 ||
		   check_fields(req, doc, req->kind->api_version, req->kind->kind) < 0) {
		cJSON_Delete(doc);
		goto fail;
	} else {
		/* The current resourceVersion is a precondition only when the patch itself says it:
		 * otherwise a conflicting write in between means patching again, as upstream does. */
		char cur[24];
		snprintf(cur, sizeof(cur), "%lld", (long long)kv->mod_rev);
		const char *rv = json_strv(doc, "metadata", "resourceVersion", NULL);
		if (rv && !strcmp(rv, cur) && !rv_named)
			json_del(json_obj(doc, "metadata"), "resourceVersion");
	}
	req->obj = doc;
	buf_release(&err);
	update_against(req, kv, patch_attempt);
	return;
fail:
	buf_release(&err);
	api_fail(req);
}

void api_patch(struct api_req *req)
{
	char mt[96];
	struct buf err = BUF_INIT;
	media_type(req->content_type, mt, sizeof(mt));
	req->is_apply = !strcmp(mt, "application/apply-patch+yaml");
	if ((req->kind->flags & KIND_CUSTOM) && !strcmp(mt, "application/strategic-merge-patch+json")) {
		/* custom resources have no patch strategies */
		api_error_set(&req->err, 415, "UnsupportedMediaType",
			      "the body of the request was in an unknown format - accepted media types include: "
			      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
		goto fail;
	}
	if (strcmp(mt, "application/json-patch+json") && strcmp(mt, "application/merge-patch+json") &&
	    strcmp(mt, "application/strategic-merge-patch+json") && !req->is_apply) {
		api_error_set(&req->err, 415, "UnsupportedMediaType",
			      "the body of the request was in an unknown format - accepted media types include: "
			      "application/json-patch+json, application/merge-patch+json, "
			      "application/apply-patch+yaml, application/strategic-merge-patch+json");
		goto fail;
	}
	if (req->is_apply) {
		apply_start(req);
		buf_release(&err);
		return;
	}
	req->body = json_parse(req->raw, req->raw_len, &err);
	if (!req->body) {
		api_error_bad_request(&req->err, "error decoding patch: %s", buf_str(&err));
		goto fail;
	}
	json_dedupe(req->body);
	if (!strcmp(mt, "application/json-patch+json")) {
		int r = json_patch_check(req->body, &err);
		if (r == -E2BIG) {
			api_error_set(&req->err, 413, "RequestEntityTooLarge", "%s", buf_str(&err));
			goto fail;
		} else if (r < 0) {
			api_error_bad_request(&req->err, "%s", buf_str(&err));
			goto fail;
		}
	}
	buf_release(&err);
	patch_attempt(req);
	return;
fail:
	buf_release(&err);
	api_fail(req);
}

/* ---- pods/binding ------------------------------------------------------------------------ */

/* POST pods/NAME/binding sets spec.nodeName of an unbound pod to the Binding's target, and its
 * PodScheduled condition to True. */
void api_binding(struct api_req *req)
{
	struct store_kv *kv;
	if (decode_body(req, "Binding") < 0 || check_type(req, req->body, "v1", "Binding") < 0)
		goto fail;
	const char *node = json_strv(req->body, "target", "name", NULL);
	if (!node || !*node) {
		struct field_errors errs = FIELD_ERRORS_INIT;
		field_errors_add(&errs, FE_REQUIRED, "target.name", NULL, NULL);
		api_error_invalid(&req->err, req->kind, req->name, &errs);
		goto fail;
	}
	kv = api_lookup(req, req->name);
	if (!kv) {
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	req->obj = obj_parse(kv);
	cJSON *spec = json_obj_force(req->obj, "spec");
	const char *cur = json_str(spec, "nodeName");
	if (cur && *cur) {
		api_error_conflict(&req->err, req->kind, req->name, NULL);
		free(req->err.message);
		req->err.message = xasprintf("Operation cannot be fulfilled on pods/binding \"%s\": pod %s is already "
					     "assigned to node \"%s\"",
					     req->name, req->name, cur);
		goto fail;
	}
	json_set_str(spec, "nodeName", node);
	sched_set_condition(req->obj, "PodScheduled", "True", NULL, NULL);
	struct buf key = BUF_INIT;
	req->expect_rev = kv->mod_rev;
	kind_key(req->kind, req->ns, req->name, &key);
	/* The answer to a binding is a Success Status (code 0 selects it). */
	api_write(req, STORE_UPDATE, key.data, 0, NULL);
	buf_release(&key);
	return;
fail:
	api_fail(req);
}
