/*
 * openapi_v2.c - the Swagger 2.0 document (GET /openapi/v2), in JSON and in gnostic's protobuf.
 *
 * DESIGN
 * kubectl up to 1.26 reads /openapi/v2, as protobuf: before every --dry-run=server and `kubectl
 * diff` it looks for the PATCH operation carrying the kind's x-kubernetes-group-version-kind and
 * a dryRun query parameter; `kubectl explain` and client-side validation (--validate) read the
 * definitions. Newer kubectl reads it for `explain --output=plaintext-openapiv2`.
 *
 * The document derives from the kind registry (every served kind, its scope, its
 * subresources) and the schema tables (openapi_schemas, shared with the v3 documents), as
 * upstream's kube-apiserver lays it out: for each kind the collection and item paths, the
 * all-namespaces list, the deprecated /watch/ paths and the subresources, each operation with
 * upstream's operationId (listCoreV1NamespacedPod), tags, consumes/produces, x-kubernetes-action
 * and -group-version-kind, its parameters written inline (kubectl's dry-run check reads only
 * inline query parameters) and responses referring to the definitions.
 *
 * The protobuf form is built from the JSON tree by a small table-driven encoder: one table per
 * gnostic OpenAPIv2.proto message (JSON key -> field number and kind), map-like messages
 * (Paths, Definitions, Properties, Responses) turning each key into a Named* entry, oneof
 * wrappers (ParametersItem, Parameter, NonBodyParameter, ...) choosing their branch from the
 * value, and vendor extensions (x-*) becoming NamedAny with the value's text in Any.yaml (JSON
 * is YAML). Both forms are built on first request and kept with their ETags until the set of
 * kinds changes (a CRD served, changed or gone).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/schema.h"
#include "lib/pki.h"

/* ---- query parameters -------------------------------------------------------------------- */

static const struct {
	const char *name, *type, *doc;
} query_params[] = {
	{ "allowWatchBookmarks", "boolean",
	  "Asks for BOOKMARK watch events, which carry only a resourceVersion; servers may not send them. "
	  "Ignored unless watch is true." },
	{ "continue", "string",
	  "The continue token of a previous paged list call, to get the next page of the same list." },
	{ "dryRun", "string",
	  "When present, the modification is checked and processed but not persisted. The only valid "
	  "value is All (process every stage)." },
	{ "fieldManager", "string",
	  "The name of the actor making this change, recorded in managedFields. At most 128 printable "
	  "characters." },
	{ "fieldSelector", "string",
	  "A selector to narrow the list of returned objects by their fields. Everything by default." },
	{ "fieldValidation", "string",
	  "What to do with unknown or duplicate fields in the request: Ignore drops them, Warn drops "
	  "them with a warning per field, Strict fails the request." },
	{ "force", "boolean",
	  "Apply requests only: take ownership of conflicting fields from other managers." },
	{ "gracePeriodSeconds", "integer",
	  "Seconds before the object is deleted (a non-negative integer; zero deletes at once). "
	  "Defaults to the kind's own grace period." },
	{ "ignoreStoreReadErrorWithClusterBreakingPotential", "boolean",
	  "Deletes an object that cannot be read or decoded from storage, bypassing finalizers and "
	  "checks. Dangerous; needs the unsafe-delete-ignore-read-errors permission." },
	{ "labelSelector", "string",
	  "A selector to narrow the list of returned objects by their labels. Everything by default." },
	{ "limit", "integer",
	  "The most items a list call returns; if more exist, the list's metadata carries a continue "
	  "token for the next page. A page may hold fewer items than the limit." },
	{ "orphanDependents", "boolean",
	  "Deprecated: use propagationPolicy. Whether dependents are orphaned rather than collected." },
	{ "pretty", "string", "If 'true', the output is indented." },
	{ "propagationPolicy", "string",
	  "Whether and how garbage collection deletes dependents: Orphan, Background or Foreground." },
	{ "resourceVersion", "string",
	  "Which resource versions a list or watch may be served from; see resourceVersionMatch." },
	{ "resourceVersionMatch", "string",
	  "How resourceVersion applies to a list call: Exact or NotOlderThan." },
	{ "sendInitialEvents", "boolean",
	  "With watch: first send synthetic ADDED events for the current state, then a bookmark "
	  "marking their end." },
	{ "timeoutSeconds", "integer",
	  "A time limit for the list or watch call, whatever the activity." },
	{ "watch", "boolean",
	  "Watch for changes to the described resources: a stream of added, modified and deleted "
	  "events, from resourceVersion on." },
};

#define LIST_PARAMS                                                                        \
	"allowWatchBookmarks continue fieldSelector labelSelector limit resourceVersion " \
	"resourceVersionMatch sendInitialEvents timeoutSeconds watch"
#define WRITE_PARAMS "dryRun fieldManager fieldValidation"
#define DELETE_PARAMS \
	"dryRun gracePeriodSeconds ignoreStoreReadErrorWithClusterBreakingPotential orphanDependents propagationPolicy"
#define DELETECOLL_PARAMS                                                                          \
	"continue dryRun fieldSelector gracePeriodSeconds ignoreStoreReadErrorWithClusterBreakingPotential " \
	"labelSelector limit orphanDependents propagationPolicy resourceVersion resourceVersionMatch "    \
	"sendInitialEvents timeoutSeconds"

static cJSON *query_param(const char *name, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(query_params); i++) {
		if (strlen(query_params[i].name) != n || strncmp(query_params[i].name, name, n))
			continue;
		cJSON *p = cJSON_CreateObject();
		json_set_str(p, "description", query_params[i].doc);
		json_set_str(p, "in", "query");
		json_set_str(p, "name", query_params[i].name);
		json_set_str(p, "type", query_params[i].type);
		json_set_bool(p, "uniqueItems", 1);
		return p;
	}
	return NULL;
}

/* Appends the query parameters named in the space-separated list names. */
static void add_params(cJSON *arr, const char *names)
{
	while (names && *names) {
		size_t n = strcspn(names, " ");
		cJSON *p = query_param(names, n);
		if (p)
			cJSON_AddItemToArray(arr, p);
		names += n + (names[n] == ' ');
	}
}

static cJSON *path_param(const char *name, const char *doc)
{
	cJSON *p = cJSON_CreateObject();
	json_set_str(p, "description", doc);
	json_set_str(p, "in", "path");
	json_set_str(p, "name", name);
	json_set_bool(p, "required", 1);
	json_set_str(p, "type", "string");
	json_set_bool(p, "uniqueItems", 1);
	return p;
}

static cJSON *body_param(const char *def, int required)
{
	cJSON *p = cJSON_CreateObject(), *s = cJSON_CreateObject();
	char *r = xasprintf("#/definitions/%s", def);
	json_set_str(p, "in", "body");
	json_set_str(p, "name", "body");
	if (required)
		json_set_bool(p, "required", 1);
	json_set_str(s, "$ref", r);
	json_set(p, "schema", s);
	free(r);
	return p;
}

/* ---- operations -------------------------------------------------------------------------- */

/* What the operations of one kind share. */
struct target {
	const struct kind *k;
	char id[96];    /* operationId infix: "CoreV1", "RbacAuthorizationV1" */
	char tag[96];   /* "core_v1" */
	char base[160]; /* "/api/v1", "/apis/apps/v1" */
	char type[192]; /* the kind's definition name */
	char list[192]; /* its list's */
};

/* One operation: method, operationId, action, query parameters, body, response. */
struct op {
	const char *method, *action, *params, *doc;
	const char *body;      /* definition of the body, or NULL */
	int body_required;
	const char *resp;      /* definition of the 200 (and 201/202) response */
	const char *codes;     /* e.g. "200 201 202" */
	const char *group, *version, *kind; /* x-kubernetes-group-version-kind */
	int stream;            /* list/watch: the produces include the watch stream forms */
};

static cJSON *strings(const char *const *v)
{
	cJSON *a = cJSON_CreateArray();
	for (; *v; v++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*v));
	return a;
}

static cJSON *responses(const char *def, const char *codes)
{
	static const struct {
		const char *code, *text;
	} texts[] = { { "200", "OK" }, { "201", "Created" }, { "202", "Accepted" } };
	cJSON *r = cJSON_CreateObject();
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		if (!strstr(codes, texts[i].code))
			continue;
		cJSON *one = cJSON_CreateObject(), *s = cJSON_CreateObject();
		char *ref = xasprintf("#/definitions/%s", def);
		json_set_str(one, "description", texts[i].text);
		json_set_str(s, "$ref", ref);
		json_set(one, "schema", s);
		json_set(r, texts[i].code, one);
		free(ref);
	}
	cJSON *unauth = cJSON_CreateObject();
	json_set_str(unauth, "description", "Unauthorized");
	json_set(r, "401", unauth);
	return r;
}

static cJSON *operation(const struct target *t, const struct op *o, const char *opid)
{
	static const char *const any[] = { "*/*", NULL };
	static const char *const patch_types[] = { "application/json-patch+json", "application/merge-patch+json",
						   "application/strategic-merge-patch+json",
						   "application/apply-patch+yaml", NULL };
	/* custom resources take no strategic merge patch: kubectl reads this to choose a merge patch */
	static const char *const custom_patch_types[] = { "application/json-patch+json", "application/merge-patch+json",
							  "application/apply-patch+yaml", NULL };
	static const char *const plain[] = { "application/json", "application/yaml",
					     "application/vnd.kubernetes.protobuf", NULL };
	static const char *const streams[] = { "application/json", "application/yaml",
					       "application/vnd.kubernetes.protobuf", "application/json;stream=watch",
					       "application/vnd.kubernetes.protobuf;stream=watch", NULL };
	static const char *const https[] = { "https", NULL };
	cJSON *op = cJSON_CreateObject(), *params = cJSON_CreateArray(), *tags = cJSON_CreateArray();
	json_set(op, "consumes", strings(strcmp(o->method, "patch") ? any
					 : t->k->flags & KIND_CUSTOM ? custom_patch_types : patch_types));
	json_set_str(op, "description", o->doc);
	json_set_str(op, "operationId", opid);
	if (o->body)
		cJSON_AddItemToArray(params, body_param(o->body, o->body_required));
	add_params(params, o->params);
	if (cJSON_GetArraySize(params))
		json_set(op, "parameters", params);
	else
		cJSON_Delete(params);
	json_set(op, "produces", strings(o->stream ? streams : plain));
	json_set(op, "responses", responses(o->resp, o->codes));
	json_set(op, "schemes", strings(https));
	cJSON_AddItemToArray(tags, cJSON_CreateString(t->tag));
	json_set(op, "tags", tags);
	json_set_str(op, "x-kubernetes-action", o->action);
	cJSON *gvk = cJSON_CreateObject();
	json_set_str(gvk, "group", o->group);
	json_set_str(gvk, "kind", o->kind);
	json_set_str(gvk, "version", o->version);
	json_set(op, "x-kubernetes-group-version-kind", gvk);
	return op;
}

/* The path item at base+rest (created with its path parameters if new). Path parameters:
 * namespace when namespaced, name when item, then pretty (and the list ones for watches). */
static cJSON *path_item(cJSON *paths, const struct target *t, const char *rest, int ns, int item,
			const char *extra)
{
	char *p = xasprintf("%s%s", t->base, rest);
	cJSON *pi = cJSON_GetObjectItemCaseSensitive(paths, p);
	if (!pi) {
		cJSON *params = cJSON_CreateArray();
		pi = cJSON_CreateObject();
		if (item) {
			char *doc = xasprintf("name of the %s", t->k->kind);
			cJSON_AddItemToArray(params, path_param("name", doc));
			free(doc);
		}
		if (ns)
			cJSON_AddItemToArray(params, path_param("namespace", "object name and auth scope, such as for "
									      "teams and projects"));
		add_params(params, extra ? extra : "pretty");
		json_set(pi, "parameters", params);
		json_set(paths, p, pi);
	}
	free(p);
	return pi;
}

/* The last path segment for the kind's collection: "namespaces/{namespace}/pods" or "pods". */
static void coll(const struct target *t, int ns, const char *watch, const char *suffix, char *out, size_t n)
{
	snprintf(out, n, "/%s%s%s%s", watch, ns ? "namespaces/{namespace}/" : "", t->k->plural, suffix);
}

static void add_op(cJSON *pi, const struct target *t, const struct op *o, const char *opid)
{
	json_set(pi, o->method, operation(t, o, opid));
}

/* ---- paths of a kind --------------------------------------------------------------------- */

/* Upstream's spelling of a group in operation ids ("RbacAuthorization") and tags
 * ("rbacAuthorization"): ".k8s.io" dropped, the dotted parts joined in camel case. */
static void target_names(struct target *t)
{
	const char *g = *t->k->group ? t->k->group : "core";
	size_t glen = strlen(g), in = 0, ti = 0;
	if (glen > 7 && !strcmp(g + glen - 7, ".k8s.io"))
		glen -= 7;
	int up = 1;
	for (size_t i = 0; i < glen && in + 2 < sizeof(t->id); i++) {
		if (g[i] == '.' || g[i] == '-') {
			up = 1;
			continue;
		}
		char c = g[i], C = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
		t->id[in++] = up ? C : c;
		t->tag[ti] = up && ti ? C : c;
		ti++;
		up = 0;
	}
	snprintf(t->id + in, sizeof(t->id) - in, "V%s", t->k->version + 1);
	snprintf(t->tag + ti, sizeof(t->tag) - ti, "_%s", t->k->version);
	if (*t->k->group)
		snprintf(t->base, sizeof(t->base), "/apis/%s/%s", t->k->group, t->k->version);
	else
		snprintf(t->base, sizeof(t->base), "/api/%s", t->k->version);
}

/* The definition name of a kind: its schema's, a custom kind's, or upstream's form for a kind
 * without one. */
static void def_name(const char *group, const char *version, const char *kind, char *out, size_t n)
{
	const struct sch_type *st = sch_kind_type(group, version, kind);
	if (st) {
		snprintf(out, n, "%s", st->name);
		return;
	}
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (k->flags & KIND_CUSTOM && !strcmp(k->group, group) && !strcmp(k->version, version) &&
		    (!strcmp(k->kind, kind) || !strcmp(k->list_kind, kind))) {
			openapi_custom_name(k, kind, out, n);
			return;
		}
	}
	size_t glen = *group ? strcspn(group, ".") : 4;
	snprintf(out, n, "io.k8s.api.%.*s.%s.%s", (int)glen, *group ? group : "core", version, kind);
}

#define OPID(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

/* The collection and item paths of a stored kind (namespaced ones also all-namespaces). */
static void main_paths(cJSON *paths, const struct target *t)
{
	const struct kind *k = t->k;
	int ns = !!(k->flags & KIND_NAMESPACED);
	const char *sc = ns ? "Namespaced" : "", *K = k->kind;
	const char *status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
	char rest[256], id[256];
	coll(t, ns, "", "", rest, sizeof(rest));
	cJSON *pi = path_item(paths, t, rest, ns, 0, NULL);
	struct op o = { "get", "list", LIST_PARAMS, "list or watch objects of this kind", NULL, 0, t->list, "200",
			k->group, k->version, K, 1 };
	OPID(id, "list%s%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	o = (struct op){ "post", "post", WRITE_PARAMS, "create an object", t->type, 1, t->type, "200 201 202",
			 k->group, k->version, K, 0 };
	OPID(id, "create%s%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	o = (struct op){ "delete", "deletecollection", DELETECOLL_PARAMS, "delete a collection of objects",
			 "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", 0, status, "200", k->group, k->version, K, 0 };
	OPID(id, "delete%sCollection%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	coll(t, ns, "", "/{name}", rest, sizeof(rest));
	pi = path_item(paths, t, rest, ns, 1, NULL);
	o = (struct op){ "get", "get", NULL, "read the specified object", NULL, 0, t->type, "200", k->group, k->version, K, 0 };
	OPID(id, "read%s%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	o = (struct op){ "put", "put", WRITE_PARAMS, "replace the specified object", t->type, 1, t->type, "200 201",
			 k->group, k->version, K, 0 };
	OPID(id, "replace%s%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	o = (struct op){ "delete", "delete", DELETE_PARAMS, "delete an object",
			 "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions", 0,
			 k->flags & KIND_RETURN_DELETED ? t->type : status, "200 202", k->group, k->version, K, 0 };
	OPID(id, "delete%s%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	o = (struct op){ "patch", "patch", WRITE_PARAMS " force", "partially update the specified object",
			 "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", 1, t->type, "200 201", k->group, k->version, K, 0 };
	OPID(id, "patch%s%s%s", t->id, sc, K);
	add_op(pi, t, &o, id);
	if (ns) {
		coll(t, 0, "", "", rest, sizeof(rest));
		pi = path_item(paths, t, rest, 0, 0, LIST_PARAMS " pretty");
		o = (struct op){ "get", "list", NULL, "list or watch objects of this kind in all namespaces", NULL, 0,
				 t->list, "200", k->group, k->version, K, 1 };
		OPID(id, "list%s%sForAllNamespaces", t->id, K);
		add_op(pi, t, &o, id);
	}
}

/* The deprecated /watch/ paths of a stored kind. */
static void watch_paths(cJSON *paths, const struct target *t)
{
	const struct kind *k = t->k;
	int ns = !!(k->flags & KIND_NAMESPACED);
	const char *sc = ns ? "Namespaced" : "", *K = k->kind;
	const char *ev = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";
	char rest[256], id[256];
	struct op o = { "get", "watchlist", NULL,
			"watch changes to a list of objects of this kind; deprecated: use the watch parameter of a list",
			NULL, 0, ev, "200", k->group, k->version, K, 1 };
	coll(t, ns, "watch/", "", rest, sizeof(rest));
	OPID(id, "watch%s%s%sList", t->id, sc, K);
	add_op(path_item(paths, t, rest, ns, 0, LIST_PARAMS " pretty"), t, &o, id);
	coll(t, ns, "watch/", "/{name}", rest, sizeof(rest));
	o.action = "watch";
	o.doc = "watch changes to an object of this kind; deprecated: use the watch parameter of a list "
		"with a metadata.name field selector";
	OPID(id, "watch%s%s%s", t->id, sc, K);
	add_op(path_item(paths, t, rest, ns, 1, LIST_PARAMS " pretty"), t, &o, id);
	if (ns) {
		coll(t, 0, "watch/", "", rest, sizeof(rest));
		o.action = "watchlist";
		o.doc = "watch changes to objects of this kind in all namespaces; deprecated: use the watch "
			"parameter of a list";
		OPID(id, "watch%s%sListForAllNamespaces", t->id, K);
		add_op(path_item(paths, t, rest, 0, 0, LIST_PARAMS " pretty"), t, &o, id);
	}
}

/* The operations of one subresource (status, scale, binding, eviction, token, finalize). */
static void sub_paths(cJSON *paths, const struct target *t, const struct kind_sub *s)
{
	const struct kind *k = t->k;
	int ns = !!(k->flags & KIND_NAMESPACED);
	char rest[256], id[256], suffix[64], def[192], Sub[32];
	snprintf(Sub, sizeof(Sub), "%c%s", s->name[0] - 'a' + 'A', s->name + 1);
	snprintf(suffix, sizeof(suffix), "/{name}/%s", s->name);
	coll(t, ns, "", suffix, rest, sizeof(rest));
	def_name(s->group, s->version, s->kind, def, sizeof(def));
	cJSON *pi = path_item(paths, t, rest, ns, 1, NULL);
	const char *sc = ns ? "Namespaced" : "";
	for (size_t i = 0; i < s->nverbs; i++) {
		const char *v = s->verbs[i];
		struct op o = { "get", "get", NULL, "read the subresource", NULL, 0, def, "200",
				s->group, s->version, s->kind, 0 };
		const char *verb = "read";
		if (!strcmp(v, "create")) {
			o = (struct op){ "post", "post", WRITE_PARAMS, "create the subresource", def, 1, def, "200 201 202",
					 s->group, s->version, s->kind, 0 };
			verb = "create";
		} else if (!strcmp(v, "update")) {
			o = (struct op){ "put", "put", WRITE_PARAMS, "replace the subresource", def, 1, def, "200 201",
					 s->group, s->version, s->kind, 0 };
			verb = "replace";
		} else if (!strcmp(v, "patch")) {
			o = (struct op){ "patch", "patch", WRITE_PARAMS " force", "partially update the subresource",
					 "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", 1, def, "200 201",
					 s->group, s->version, s->kind, 0 };
			verb = "patch";
		}
		OPID(id, "%s%s%s%s%s", verb, t->id, sc, k->kind, Sub);
		add_op(pi, t, &o, id);
	}
}

/* A create-only kind (access reviews): POST on the collection. */
static void virtual_paths(cJSON *paths, const struct target *t)
{
	const struct kind *k = t->k;
	int ns = !!(k->flags & KIND_NAMESPACED);
	char rest[256], id[256];
	struct op o = { "post", "post", WRITE_PARAMS, "create an object", t->type, 1, t->type, "200 201 202",
			k->group, k->version, k->kind, 0 };
	coll(t, ns, "", "", rest, sizeof(rest));
	OPID(id, "create%s%s%s", t->id, ns ? "Namespaced" : "", k->kind);
	add_op(path_item(paths, t, rest, ns, 0, NULL), t, &o, id);
}

static void kind_paths(cJSON *paths, const struct kind *k)
{
	struct target t = { .k = k };
	target_names(&t);
	def_name(k->group, k->version, k->kind, t.type, sizeof(t.type));
	def_name(k->group, k->version, k->list_kind, t.list, sizeof(t.list));
	if (k->flags & KIND_VIRTUAL) {
		virtual_paths(paths, &t);
		return;
	}
	main_paths(paths, &t);
	struct kind_sub subs[8];
	size_t n = kind_subresources(k, subs);
	for (size_t i = 0; i < n; i++)
		sub_paths(paths, &t, &subs[i]);
	watch_paths(paths, &t);
}

/* ---- definitions ------------------------------------------------------------------------- */

static void add_root(const struct sch_type **roots, size_t *n, size_t max, const struct sch_type *t)
{
	if (t && *n < max)
		roots[(*n)++] = t;
}

/* A definition for a served kind the schema tables do not describe: an open object. */
static void open_definition(cJSON *defs, const char *group, const char *version, const char *kind)
{
	char name[192];
	def_name(group, version, kind, name, sizeof(name));
	if (cJSON_GetObjectItemCaseSensitive(defs, name))
		return;
	cJSON *o = cJSON_CreateObject(), *gvks = cJSON_CreateArray(), *g = cJSON_CreateObject();
	json_set_str(o, "description", "An object of this kind (its fields are not published).");
	json_set_str(o, "type", "object");
	json_set_str(g, "group", group);
	json_set_str(g, "kind", kind);
	json_set_str(g, "version", version);
	cJSON_AddItemToArray(gvks, g);
	json_set(o, "x-kubernetes-group-version-kind", gvks);
	json_set(defs, name, o);
}

static cJSON *definitions(void)
{
	size_t max = registry_count() * 8 + 4, n = 0;
	const struct sch_type **roots = xcalloc(max, sizeof(*roots));
	cJSON *defs = cJSON_CreateObject();
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		struct kind_sub subs[8];
		add_root(roots, &n, max, sch_kind_type(k->group, k->version, k->kind));
		add_root(roots, &n, max, sch_kind_type(k->group, k->version, k->list_kind));
		size_t ns = kind_subresources(k, subs);
		for (size_t j = 0; j < ns; j++)
			add_root(roots, &n, max, sch_kind_type(subs[j].group, subs[j].version, subs[j].kind));
	}
	add_root(roots, &n, max, sch_kind_type("", "v1", "WatchEvent"));
	openapi_schemas(roots, n, 1, defs);
	free(roots);
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		struct kind_sub subs[8];
		if (k->flags & KIND_CUSTOM)
			openapi_custom_definitions(k, 1, defs);
		open_definition(defs, k->group, k->version, k->kind);
		if (!(k->flags & KIND_VIRTUAL))
			open_definition(defs, k->group, k->version, k->list_kind);
		size_t ns = kind_subresources(k, subs);
		for (size_t j = 0; j < ns; j++)
			open_definition(defs, subs[j].group, subs[j].version, subs[j].kind);
	}
	cJSON *patch = cJSON_CreateObject();
	json_set_str(patch, "description", "The body of a PATCH request, in the form its Content-Type names.");
	json_set_str(patch, "type", "object");
	json_set(defs, "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", patch);
	return defs;
}

/* ---- discovery ---------------------------------------------------------------------------- */

#define META "io.k8s.apimachinery.pkg.apis.meta.v1."

/* The discovery types (served by discovery.c, not in the schema tables), as JSON. */
static const char *const discovery_defs[][2] = {
	{ META "APIResource",
	  "{\"description\":\"A resource an API group-version serves.\",\"type\":\"object\",\"required\":"
	  "[\"name\",\"singularName\",\"namespaced\",\"kind\",\"verbs\"],\"properties\":{"
	  "\"categories\":{\"description\":\"Groupings the resource belongs to (all).\",\"type\":\"array\","
	  "\"items\":{\"type\":\"string\"},\"x-kubernetes-list-type\":\"atomic\"},"
	  "\"group\":{\"description\":\"The group of the kind, when not the group-version's own.\",\"type\":\"string\"},"
	  "\"kind\":{\"description\":\"The kind of the resource's objects.\",\"type\":\"string\"},"
	  "\"name\":{\"description\":\"The plural name of the resource.\",\"type\":\"string\"},"
	  "\"namespaced\":{\"description\":\"Whether the resource's objects live in namespaces.\",\"type\":\"boolean\"},"
	  "\"shortNames\":{\"description\":\"Short aliases.\",\"type\":\"array\",\"items\":{\"type\":\"string\"},"
	  "\"x-kubernetes-list-type\":\"atomic\"},"
	  "\"singularName\":{\"description\":\"The singular name of the resource.\",\"type\":\"string\"},"
	  "\"storageVersionHash\":{\"description\":\"A hash of the storage version.\",\"type\":\"string\"},"
	  "\"verbs\":{\"description\":\"The verbs the resource supports.\",\"type\":\"array\",\"items\":"
	  "{\"type\":\"string\"}},"
	  "\"version\":{\"description\":\"The version of the kind, when not the group-version's own.\",\"type\":\"string\"}}}" },
	{ META "APIResourceList",
	  "{\"description\":\"The resources a group-version serves.\",\"type\":\"object\",\"required\":"
	  "[\"groupVersion\",\"resources\"],\"properties\":{"
	  "\"apiVersion\":{\"description\":\"API version of this representation.\",\"type\":\"string\"},"
	  "\"groupVersion\":{\"description\":\"The group-version described.\",\"type\":\"string\"},"
	  "\"kind\":{\"description\":\"Kind of this object: APIResourceList.\",\"type\":\"string\"},"
	  "\"resources\":{\"description\":\"The resources served.\",\"type\":\"array\",\"items\":"
	  "{\"$ref\":\"#/definitions/" META "APIResource\"},\"x-kubernetes-list-type\":\"atomic\"}},"
	  "\"x-kubernetes-group-version-kind\":[{\"group\":\"\",\"kind\":\"APIResourceList\",\"version\":\"v1\"}]}" },
	{ META "GroupVersionForDiscovery",
	  "{\"description\":\"One version of a group.\",\"type\":\"object\",\"required\":[\"groupVersion\",\"version\"],"
	  "\"properties\":{\"groupVersion\":{\"description\":\"group/version\",\"type\":\"string\"},"
	  "\"version\":{\"description\":\"The version alone.\",\"type\":\"string\"}}}" },
	{ META "ServerAddressByClientCIDR",
	  "{\"description\":\"The server address clients of a network should use.\",\"type\":\"object\","
	  "\"required\":[\"clientCIDR\",\"serverAddress\"],\"properties\":{"
	  "\"clientCIDR\":{\"description\":\"The clients' network.\",\"type\":\"string\"},"
	  "\"serverAddress\":{\"description\":\"host:port for those clients.\",\"type\":\"string\"}}}" },
	{ META "APIGroup",
	  "{\"description\":\"An API group and its versions.\",\"type\":\"object\",\"required\":[\"name\",\"versions\"],"
	  "\"properties\":{\"apiVersion\":{\"description\":\"API version of this representation.\",\"type\":\"string\"},"
	  "\"kind\":{\"description\":\"Kind of this object: APIGroup.\",\"type\":\"string\"},"
	  "\"name\":{\"description\":\"The group's name.\",\"type\":\"string\"},"
	  "\"preferredVersion\":{\"$ref\":\"#/definitions/" META "GroupVersionForDiscovery\","
	  "\"description\":\"The version clients should prefer.\"},"
	  "\"serverAddressByClientCIDRs\":{\"description\":\"Server addresses by client network.\",\"type\":\"array\","
	  "\"items\":{\"$ref\":\"#/definitions/" META "ServerAddressByClientCIDR\"},\"x-kubernetes-list-type\":\"atomic\"},"
	  "\"versions\":{\"description\":\"The versions served.\",\"type\":\"array\",\"items\":{\"$ref\":"
	  "\"#/definitions/" META "GroupVersionForDiscovery\"},\"x-kubernetes-list-type\":\"atomic\"}},"
	  "\"x-kubernetes-group-version-kind\":[{\"group\":\"\",\"kind\":\"APIGroup\",\"version\":\"v1\"}]}" },
	{ META "APIGroupList",
	  "{\"description\":\"The API groups served.\",\"type\":\"object\",\"required\":[\"groups\"],\"properties\":{"
	  "\"apiVersion\":{\"description\":\"API version of this representation.\",\"type\":\"string\"},"
	  "\"groups\":{\"description\":\"The groups.\",\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/" META
	  "APIGroup\"},\"x-kubernetes-list-type\":\"atomic\"},"
	  "\"kind\":{\"description\":\"Kind of this object: APIGroupList.\",\"type\":\"string\"}},"
	  "\"x-kubernetes-group-version-kind\":[{\"group\":\"\",\"kind\":\"APIGroupList\",\"version\":\"v1\"}]}" },
	{ META "APIVersions",
	  "{\"description\":\"The versions of the core API.\",\"type\":\"object\",\"required\":[\"versions\","
	  "\"serverAddressByClientCIDRs\"],\"properties\":{"
	  "\"apiVersion\":{\"description\":\"API version of this representation.\",\"type\":\"string\"},"
	  "\"kind\":{\"description\":\"Kind of this object: APIVersions.\",\"type\":\"string\"},"
	  "\"serverAddressByClientCIDRs\":{\"description\":\"Server addresses by client network.\",\"type\":\"array\","
	  "\"items\":{\"$ref\":\"#/definitions/" META "ServerAddressByClientCIDR\"},\"x-kubernetes-list-type\":\"atomic\"},"
	  "\"versions\":{\"description\":\"The versions served.\",\"type\":\"array\",\"items\":{\"type\":\"string\"},"
	  "\"x-kubernetes-list-type\":\"atomic\"}},"
	  "\"x-kubernetes-group-version-kind\":[{\"group\":\"\",\"kind\":\"APIVersions\",\"version\":\"v1\"}]}" },
};

static void add_discovery_defs(cJSON *defs)
{
	for (size_t i = 0; i < ARRAY_SIZE(discovery_defs); i++)
		json_set(defs, discovery_defs[i][0], json_parse(discovery_defs[i][1], strlen(discovery_defs[i][1]), NULL));
}

/* A GET of a discovery document. */
static void discovery_path(cJSON *paths, const char *path, const char *opid, const char *tag, const char *def)
{
	static const char *const types[] = { "application/json", "application/yaml",
					     "application/vnd.kubernetes.protobuf", NULL };
	static const char *const https[] = { "https", NULL };
	cJSON *pi = cJSON_CreateObject(), *op = cJSON_CreateObject(), *tags = cJSON_CreateArray();
	char *ref = xasprintf("%s%s", META, def);
	json_set(op, "consumes", strings(types));
	json_set_str(op, "description", "get the discovery document");
	json_set_str(op, "operationId", opid);
	json_set(op, "produces", strings(types));
	json_set(op, "responses", responses(ref, "200"));
	json_set(op, "schemes", strings(https));
	cJSON_AddItemToArray(tags, cJSON_CreateString(tag));
	json_set(op, "tags", tags);
	json_set(pi, "get", op);
	json_set(paths, path, pi);
	free(ref);
}

/* /api/, /apis/, and each group's and group-version's discovery paths. */
static void discovery_paths(cJSON *paths)
{
	const struct api_group *groups;
	size_t n = registry_groups(&groups);
	discovery_path(paths, "/api/", "getCoreAPIVersions", "core", "APIVersions");
	discovery_path(paths, "/apis/", "getAPIVersions", "apis", "APIGroupList");
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < ARRAY_SIZE(groups[i].versions) && groups[i].versions[j]; j++) {
			struct kind fake = { .group = groups[i].name, .version = groups[i].versions[j] };
			struct target t = { .k = &fake };
			char path[256], opid[160], tag[100];
			target_names(&t);
			snprintf(path, sizeof(path), "%s/", t.base);
			snprintf(opid, sizeof(opid), "get%sAPIResources", t.id);
			discovery_path(paths, path, opid, t.tag, "APIResourceList");
			if (j || !*groups[i].name)
				continue;
			snprintf(path, sizeof(path), "/apis/%s/", groups[i].name);
			snprintf(opid, sizeof(opid), "get%.*sAPIGroup", (int)(strlen(t.id) - strlen(fake.version)), t.id);
			snprintf(tag, sizeof(tag), "%.*s", (int)strcspn(t.tag, "_"), t.tag);
			discovery_path(paths, path, opid, tag, "APIGroup");
		}
	}
}

static cJSON *document(void)
{
	cJSON *doc = cJSON_CreateObject(), *info = cJSON_CreateObject(), *paths = cJSON_CreateObject();
	json_set_str(doc, "swagger", "2.0");
	json_set_str(info, "title", "Kubernetes");
	json_set_str(info, "version", KUBE_K8S_VERSION);
	json_set(doc, "info", info);
	for (size_t i = 0; i < registry_count(); i++)
		kind_paths(paths, registry_at(i));
	discovery_paths(paths);
	json_set(doc, "paths", paths);
	cJSON *defs = definitions();
	add_discovery_defs(defs);
	json_set(doc, "definitions", defs);
	cJSON *sd = cJSON_CreateObject(), *bt = cJSON_CreateObject();
	json_set_str(bt, "description", "Bearer Token authentication");
	json_set_str(bt, "in", "header");
	json_set_str(bt, "name", "authorization");
	json_set_str(bt, "type", "apiKey");
	json_set(sd, "BearerToken", bt);
	json_set(doc, "securityDefinitions", sd);
	cJSON *sec = cJSON_CreateArray(), *req = cJSON_CreateObject();
	json_set(req, "BearerToken", cJSON_CreateArray());
	cJSON_AddItemToArray(sec, req);
	json_set(doc, "security", sec);
	return doc;
}

/* ---- gnostic protobuf encoding ----------------------------------------------------------- */

enum pk {
	P_STR,  /* string */
	P_BOOL, /* bool (false is left out, as proto3 does) */
	P_DBL,  /* double */
	P_INT,  /* int64 */
	P_STRS, /* repeated string (a lone string counts as one) */
	P_MSG,  /* message */
	P_MSGS, /* repeated message (a lone object counts as one) */
	P_ANY,  /* Any {yaml: the value's text} */
	P_ANYS, /* repeated Any */
};

struct pmsg;
struct pfield {
	const char *key; /* JSON key */
	unsigned num;
	enum pk kind;
	const struct pmsg *msg;
};

/* A gnostic message. Keys not in f: "x-..." go to ext as NamedAny; any other goes to named as
 * Named{1: key, 2: value as named_msg} (map-like messages). A oneof wrapper has pick instead,
 * which chooses the field the whole value is encoded as. */
struct pmsg {
	const struct pfield *f;
	size_t n;
	unsigned ext, named;
	const struct pmsg *named_msg;
	const struct pfield *(*pick)(const cJSON *v);
};

#define PMSG(fields, ...) { fields, ARRAY_SIZE(fields), __VA_ARGS__ }

static const struct pmsg m_schema, m_param_item, m_responses, m_response_value, m_path_item;

static const struct pfield *pick_string_array(const cJSON *v);
static const struct pfield *pick_items(const cJSON *v);
static const struct pfield *pick_additional(const cJSON *v);
static const struct pfield *pick_schema_item(const cJSON *v);

static const struct pmsg m_strings = { NULL, 0, 0, 0, NULL, pick_string_array };
static const struct pmsg m_items = { NULL, 0, 0, 0, NULL, pick_items };
static const struct pmsg m_additional = { NULL, 0, 0, 0, NULL, pick_additional };
static const struct pmsg m_schema_item = { NULL, 0, 0, 0, NULL, pick_schema_item };
static const struct pmsg m_properties = { NULL, 0, 0, 1, &m_schema, NULL };

static const struct pfield f_schema[] = {
	{ "$ref", 1, P_STR, NULL }, { "format", 2, P_STR, NULL }, { "title", 3, P_STR, NULL },
	{ "description", 4, P_STR, NULL }, { "default", 5, P_ANY, NULL }, { "multipleOf", 6, P_DBL, NULL },
	{ "maximum", 7, P_DBL, NULL }, { "exclusiveMaximum", 8, P_BOOL, NULL }, { "minimum", 9, P_DBL, NULL },
	{ "exclusiveMinimum", 10, P_BOOL, NULL }, { "maxLength", 11, P_INT, NULL }, { "minLength", 12, P_INT, NULL },
	{ "pattern", 13, P_STR, NULL }, { "maxItems", 14, P_INT, NULL }, { "minItems", 15, P_INT, NULL },
	{ "uniqueItems", 16, P_BOOL, NULL }, { "maxProperties", 17, P_INT, NULL },
	{ "minProperties", 18, P_INT, NULL }, { "required", 19, P_STRS, NULL }, { "enum", 20, P_ANYS, NULL },
	{ "additionalProperties", 21, P_MSG, &m_additional }, { "type", 22, P_MSG, &m_strings },
	{ "items", 23, P_MSG, &m_items }, { "allOf", 24, P_MSGS, &m_schema },
	{ "properties", 25, P_MSG, &m_properties }, { "discriminator", 26, P_STR, NULL },
	{ "readOnly", 27, P_BOOL, NULL }, { "example", 30, P_ANY, NULL },
};
static const struct pmsg m_schema = PMSG(f_schema, 31, 0, NULL, NULL);

static const struct pfield *pick_string_array(const cJSON *v)
{
	static const struct pfield f = { NULL, 1, P_STRS, NULL };
	UNUSED(v);
	return &f;
}

static const struct pfield *pick_items(const cJSON *v)
{
	static const struct pfield f = { NULL, 1, P_MSGS, &m_schema };
	UNUSED(v);
	return &f;
}

static const struct pfield *pick_additional(const cJSON *v)
{
	static const struct pfield s = { NULL, 1, P_MSG, &m_schema }, b = { NULL, 2, P_BOOL, NULL };
	return cJSON_IsBool(v) ? &b : &s;
}

static const struct pfield *pick_schema_item(const cJSON *v)
{
	static const struct pfield s = { NULL, 1, P_MSG, &m_schema };
	UNUSED(v);
	return &s;
}

static const struct pfield f_json_ref[] = { { "$ref", 1, P_STR, NULL }, { "description", 2, P_STR, NULL } };
static const struct pmsg m_json_ref = PMSG(f_json_ref, 0, 0, NULL, NULL);

static const struct pfield f_body[] = {
	{ "description", 1, P_STR, NULL }, { "name", 2, P_STR, NULL }, { "in", 3, P_STR, NULL },
	{ "required", 4, P_BOOL, NULL }, { "schema", 5, P_MSG, &m_schema },
};
static const struct pmsg m_body = PMSG(f_body, 6, 0, NULL, NULL);

/* QueryParameterSubSchema (FormDataParameterSubSchema has the same numbers). */
static const struct pfield f_query[] = {
	{ "required", 1, P_BOOL, NULL }, { "in", 2, P_STR, NULL }, { "description", 3, P_STR, NULL },
	{ "name", 4, P_STR, NULL }, { "allowEmptyValue", 5, P_BOOL, NULL }, { "type", 6, P_STR, NULL },
	{ "format", 7, P_STR, NULL }, { "collectionFormat", 9, P_STR, NULL }, { "default", 10, P_ANY, NULL },
	{ "uniqueItems", 20, P_BOOL, NULL }, { "enum", 21, P_ANYS, NULL },
};
static const struct pmsg m_query = PMSG(f_query, 23, 0, NULL, NULL);

/* PathParameterSubSchema (HeaderParameterSubSchema has the same numbers). */
static const struct pfield f_path[] = {
	{ "required", 1, P_BOOL, NULL }, { "in", 2, P_STR, NULL }, { "description", 3, P_STR, NULL },
	{ "name", 4, P_STR, NULL }, { "type", 5, P_STR, NULL }, { "format", 6, P_STR, NULL },
	{ "collectionFormat", 8, P_STR, NULL }, { "default", 9, P_ANY, NULL },
	{ "uniqueItems", 19, P_BOOL, NULL }, { "enum", 20, P_ANYS, NULL },
};
static const struct pmsg m_path = PMSG(f_path, 22, 0, NULL, NULL);

static const char *in_of(const cJSON *v)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(v, "in");
	return cJSON_IsString(in) ? in->valuestring : "";
}

/* NonBodyParameter: header 1, formData 2, query 3, path 4. */
static const struct pfield *pick_non_body(const cJSON *v)
{
	static const struct pfield h = { NULL, 1, P_MSG, &m_path }, f = { NULL, 2, P_MSG, &m_query },
				   q = { NULL, 3, P_MSG, &m_query }, p = { NULL, 4, P_MSG, &m_path };
	const char *in = in_of(v);
	return !strcmp(in, "header") ? &h : !strcmp(in, "formData") ? &f : !strcmp(in, "path") ? &p : &q;
}
static const struct pmsg m_non_body = { NULL, 0, 0, 0, NULL, pick_non_body };

static const struct pfield *pick_parameter(const cJSON *v)
{
	static const struct pfield b = { NULL, 1, P_MSG, &m_body }, nb = { NULL, 2, P_MSG, &m_non_body };
	return !strcmp(in_of(v), "body") ? &b : &nb;
}
static const struct pmsg m_parameter = { NULL, 0, 0, 0, NULL, pick_parameter };

static const struct pfield *pick_param_item(const cJSON *v)
{
	static const struct pfield p = { NULL, 1, P_MSG, &m_parameter }, r = { NULL, 2, P_MSG, &m_json_ref };
	return cJSON_GetObjectItemCaseSensitive(v, "$ref") ? &r : &p;
}
static const struct pmsg m_param_item = { NULL, 0, 0, 0, NULL, pick_param_item };

static const struct pfield f_response[] = { { "description", 1, P_STR, NULL }, { "schema", 2, P_MSG, &m_schema_item } };
static const struct pmsg m_response = PMSG(f_response, 5, 0, NULL, NULL);

static const struct pfield *pick_response_value(const cJSON *v)
{
	static const struct pfield p = { NULL, 1, P_MSG, &m_response }, r = { NULL, 2, P_MSG, &m_json_ref };
	return cJSON_GetObjectItemCaseSensitive(v, "$ref") ? &r : &p;
}
static const struct pmsg m_response_value = { NULL, 0, 0, 0, NULL, pick_response_value };
static const struct pmsg m_responses = { NULL, 0, 2, 1, &m_response_value, NULL };

static const struct pmsg m_requirement = { NULL, 0, 0, 1, &m_strings, NULL };

static const struct pfield f_operation[] = {
	{ "tags", 1, P_STRS, NULL }, { "summary", 2, P_STR, NULL }, { "description", 3, P_STR, NULL },
	{ "operationId", 5, P_STR, NULL }, { "produces", 6, P_STRS, NULL }, { "consumes", 7, P_STRS, NULL },
	{ "parameters", 8, P_MSGS, &m_param_item }, { "responses", 9, P_MSG, &m_responses },
	{ "schemes", 10, P_STRS, NULL }, { "deprecated", 11, P_BOOL, NULL },
	{ "security", 12, P_MSGS, &m_requirement },
};
static const struct pmsg m_operation = PMSG(f_operation, 13, 0, NULL, NULL);

static const struct pfield f_path_item[] = {
	{ "$ref", 1, P_STR, NULL }, { "get", 2, P_MSG, &m_operation }, { "put", 3, P_MSG, &m_operation },
	{ "post", 4, P_MSG, &m_operation }, { "delete", 5, P_MSG, &m_operation },
	{ "options", 6, P_MSG, &m_operation }, { "head", 7, P_MSG, &m_operation },
	{ "patch", 8, P_MSG, &m_operation }, { "parameters", 9, P_MSGS, &m_param_item },
};
static const struct pmsg m_path_item = PMSG(f_path_item, 10, 0, NULL, NULL);
static const struct pmsg m_paths = { NULL, 0, 1, 2, &m_path_item, NULL };
static const struct pmsg m_definitions = { NULL, 0, 0, 1, &m_schema, NULL };

static const struct pfield f_api_key[] = {
	{ "type", 1, P_STR, NULL }, { "name", 2, P_STR, NULL }, { "in", 3, P_STR, NULL },
	{ "description", 4, P_STR, NULL },
};
static const struct pmsg m_api_key = PMSG(f_api_key, 5, 0, NULL, NULL);
static const struct pfield f_basic[] = { { "type", 1, P_STR, NULL }, { "description", 2, P_STR, NULL } };
static const struct pmsg m_basic = PMSG(f_basic, 3, 0, NULL, NULL);

/* SecurityDefinitionsItem: basic 1, apiKey 2 (the OAuth2 forms are never served). */
static const struct pfield *pick_security(const cJSON *v)
{
	static const struct pfield b = { NULL, 1, P_MSG, &m_basic }, k = { NULL, 2, P_MSG, &m_api_key };
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(v, "type");
	return cJSON_IsString(t) && !strcmp(t->valuestring, "basic") ? &b : &k;
}
static const struct pmsg m_security_item = { NULL, 0, 0, 0, NULL, pick_security };
static const struct pmsg m_security_defs = { NULL, 0, 0, 1, &m_security_item, NULL };

static const struct pfield f_info[] = {
	{ "title", 1, P_STR, NULL }, { "version", 2, P_STR, NULL }, { "description", 3, P_STR, NULL },
	{ "termsOfService", 4, P_STR, NULL },
};
static const struct pmsg m_info = PMSG(f_info, 7, 0, NULL, NULL);

static const struct pfield f_document[] = {
	{ "swagger", 1, P_STR, NULL }, { "info", 2, P_MSG, &m_info }, { "host", 3, P_STR, NULL },
	{ "basePath", 4, P_STR, NULL }, { "schemes", 5, P_STRS, NULL }, { "consumes", 6, P_STRS, NULL },
	{ "produces", 7, P_STRS, NULL }, { "paths", 8, P_MSG, &m_paths },
	{ "definitions", 9, P_MSG, &m_definitions }, { "security", 12, P_MSGS, &m_requirement },
	{ "securityDefinitions", 13, P_MSG, &m_security_defs },
};
static const struct pmsg m_document = PMSG(f_document, 16, 0, NULL, NULL);

static void put_varint(struct buf *b, uint64_t v)
{
	char c[10];
	size_t n = 0;
	do {
		c[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	buf_add(b, c, n);
}

static void put_bytes(struct buf *b, unsigned num, const void *data, size_t len)
{
	put_varint(b, (uint64_t)num << 3 | 2);
	put_varint(b, len);
	buf_add(b, data, len);
}

static void put_str(struct buf *b, unsigned num, const char *s)
{
	put_bytes(b, num, s, strlen(s));
}

static void encode_msg(struct buf *b, const struct pmsg *m, const cJSON *v);

static void put_msg(struct buf *b, unsigned num, const struct pmsg *m, const cJSON *v)
{
	struct buf sub = BUF_INIT;
	encode_msg(&sub, m, v);
	put_bytes(b, num, sub.data ? sub.data : "", sub.len);
	buf_release(&sub);
}

/* Any {2: yaml}: the value's JSON text, which YAML parsers read as the same value. */
static void put_any(struct buf *b, unsigned num, const cJSON *v)
{
	struct buf text = BUF_INIT, any = BUF_INIT;
	json_print(v, &text);
	buf_addch(&text, '\n');
	put_bytes(&any, 2, text.data, text.len);
	put_bytes(b, num, any.data, any.len);
	buf_release(&text);
	buf_release(&any);
}

/* A double (fixed64, little-endian) or an int64 (varint). */
static void put_number(struct buf *b, const struct pfield *f, double d)
{
	if (f->kind == P_INT) {
		put_varint(b, (uint64_t)f->num << 3);
		put_varint(b, (uint64_t)(d < -9.2e18 ? INT64_MIN : d > 9.2e18 ? INT64_MAX : (int64_t)d));
		return;
	}
	uint64_t bits;
	memcpy(&bits, &d, sizeof(bits));
	put_varint(b, (uint64_t)f->num << 3 | 1);
	for (int i = 0; i < 8; i++)
		buf_addch(b, (char)(bits >> (8 * i)));
}

static void put_field(struct buf *b, const struct pfield *f, const cJSON *v)
{
	int many = cJSON_IsArray(v);
	const cJSON *e;
	switch (f->kind) {
	case P_STR:
		if (cJSON_IsString(v))
			put_str(b, f->num, v->valuestring);
		break;
	case P_BOOL:
		if (cJSON_IsTrue(v)) {
			put_varint(b, (uint64_t)f->num << 3);
			put_varint(b, 1);
		}
		break;
	case P_DBL:
	case P_INT:
		if (cJSON_IsNumber(v))
			put_number(b, f, v->valuedouble);
		break;
	case P_STRS:
		if (!many) {
			if (cJSON_IsString(v))
				put_str(b, f->num, v->valuestring);
			break;
		}
		cJSON_ArrayForEach(e, v)
			if (cJSON_IsString(e))
				put_str(b, f->num, e->valuestring);
		break;
	case P_MSG:
		put_msg(b, f->num, f->msg, v);
		break;
	case P_MSGS:
		if (!many) {
			put_msg(b, f->num, f->msg, v);
			break;
		}
		cJSON_ArrayForEach(e, v)
			put_msg(b, f->num, f->msg, e);
		break;
	case P_ANY:
		put_any(b, f->num, v);
		break;
	case P_ANYS:
		cJSON_ArrayForEach(e, v)
			put_any(b, f->num, e);
		break;
	}
}

/* Named{1: name, 2: value}, the value as a message m or (m NULL) as Any. */
static void put_named(struct buf *b, unsigned num, const char *name, const struct pmsg *m, const cJSON *v)
{
	struct buf sub = BUF_INIT;
	put_str(&sub, 1, name);
	if (m)
		put_msg(&sub, 2, m, v);
	else
		put_any(&sub, 2, v);
	put_bytes(b, num, sub.data, sub.len);
	buf_release(&sub);
}

static void encode_msg(struct buf *b, const struct pmsg *m, const cJSON *v)
{
	const cJSON *e;
	if (m->pick) {
		put_field(b, m->pick(v), v);
		return;
	}
	cJSON_ArrayForEach(e, v) {
		const char *key = e->string;
		size_t i;
		if (!key)
			continue;
		for (i = 0; i < m->n && strcmp(m->f[i].key, key); i++)
			;
		if (i < m->n)
			put_field(b, &m->f[i], e);
		else if (m->ext && !strncmp(key, "x-", 2))
			put_named(b, m->ext, key, NULL, e);
		else if (m->named)
			put_named(b, m->named, key, m->named_msg, e);
	}
}

/* ---- the served document ----------------------------------------------------------------- */

static struct {
	char *data[2]; /* JSON, protobuf */
	size_t len[2];
	char etag[2][68];
	unsigned gen;  /* registry_generation() when built */
} doc_cache;

static void build(void)
{
	free(doc_cache.data[0]);
	free(doc_cache.data[1]);
	doc_cache.gen = registry_generation();
	cJSON *doc = document();
	struct buf json = BUF_INIT, pb = BUF_INIT;
	json_print(doc, &json);
	encode_msg(&pb, &m_document, doc);
	cJSON_Delete(doc);
	doc_cache.data[0] = buf_detach(&json, &doc_cache.len[0]);
	doc_cache.data[1] = buf_detach(&pb, &doc_cache.len[1]);
	for (int i = 0; i < 2; i++) {
		char hex[65];
		pki_sha256_hex(doc_cache.data[i], doc_cache.len[i], hex);
		snprintf(doc_cache.etag[i], sizeof(doc_cache.etag[i]), "\"%.64s\"", hex);
	}
}

const char *openapi_v2(int proto, size_t *len, const char **etag)
{
	if (!doc_cache.data[0] || doc_cache.gen != registry_generation())
		build();
	*len = doc_cache.len[proto ? 1 : 0];
	*etag = doc_cache.etag[proto ? 1 : 0];
	return doc_cache.data[proto ? 1 : 0];
}
