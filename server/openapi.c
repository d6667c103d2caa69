/*
 * openapi.c - the OpenAPI v3 document of a group-version, generated from the type schema.
 *
 * DESIGN
 * kubectl reads these documents for `kubectl explain` (field names, types, descriptions), for
 * the patch `kubectl apply` computes (x-kubernetes-patch-strategy and -merge-key), and to learn
 * that the server validates fields itself (the fieldValidation parameter on each kind's PATCH
 * operation). A document holds, under components.schemas, every type reachable from the group-
 * version's kinds, under upstream's definition names, with the x-kubernetes-* extensions the
 * schema records, and the kinds carry x-kubernetes-group-version-kind. Scalars that upstream
 * defines once (Quantity, Time, MicroTime, IntOrString, RawExtension) are references to shared
 * definitions. Custom resources get the definitions upstream's CRD builder gives them: the
 * version's openAPIV3Schema, named by the reversed group (com.example.stable.v1.CronTab), with
 * apiVersion, kind and a reference to ObjectMeta, and a List definition; the Swagger 2.0 copy is
 * cut down as upstream's ToStructuralOpenAPIV2 does (no junctors, no nullable; a schema that
 * keeps unknown fields loses its properties, else kubectl 1.20's client-side validation would
 * refuse them). Documents are built on first request and kept until the set of kinds changes
 * (registry_generation).
 * openapi_schemas, the closure and per-field schema logic, also serves the Swagger 2.0 document
 * (openapi_v2.c), which differs only in how references are written.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/crd.h"
#include "server/schema.h"
#include "lib/pki.h"

#define MAX_TYPES 512

struct closure {
	const struct sch_type *v[MAX_TYPES];
	size_t n;
};

static int seen(const struct closure *c, const struct sch_type *t)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i] == t)
			return 1;
	return 0;
}

/* Adds t and every type reachable from it (inlined types are walked, not listed). */
static void reach(struct closure *c, const struct sch_type *t)
{
	if (!t || seen(c, t) || c->n == MAX_TYPES)
		return;
	if (!(t->flags & ST_INLINED))
		c->v[c->n++] = t;
	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].kind == SK_OBJECT)
			reach(c, t->fields[i].type);
}

/* Swagger 2.0 (v2 set) refers to "#/definitions/NAME" with a plain $ref beside the description;
 * OpenAPI v3 to "#/components/schemas/NAME" through allOf (so that siblings keep their meaning). */
static cJSON *ref(const char *name, int v2)
{
	cJSON *o = cJSON_CreateObject();
	char *r = xasprintf("%s%s", v2 ? "#/definitions/" : "#/components/schemas/", name);
	json_set_str(o, "$ref", r);
	free(r);
	return o;
}

/* The schema of one value of a field (no list or map wrapping). */
static cJSON *value_schema(const struct sch_field *f, int v2)
{
	static const struct {
		enum sch_kind kind;
		const char *type, *format, *ref;
	} scalars[] = {
		{ SK_STRING, "string", NULL, NULL },
		{ SK_BOOL, "boolean", NULL, NULL },
		{ SK_INT32, "integer", "int32", NULL },
		{ SK_INT64, "integer", "int64", NULL },
		{ SK_FLOAT64, "number", "double", NULL },
		{ SK_BYTES, "string", "byte", NULL },
		{ SK_DURATION, "string", NULL, NULL },
		{ SK_QUANTITY, NULL, NULL, "io.k8s.apimachinery.pkg.api.resource.Quantity" },
		{ SK_TIME, NULL, NULL, "io.k8s.apimachinery.pkg.apis.meta.v1.Time" },
		{ SK_MICROTIME, NULL, NULL, "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" },
		{ SK_INT_OR_STRING, NULL, NULL, "io.k8s.apimachinery.pkg.util.intstr.IntOrString" },
		{ SK_RAW, NULL, NULL, "io.k8s.apimachinery.pkg.runtime.RawExtension" },
	};
	if (v2 && f->kind == SK_OBJECT && f->type)
		return ref(f->type->name, v2);
	if (f->kind == SK_OBJECT && f->type) {
		cJSON *o = cJSON_CreateObject(), *all = cJSON_AddArrayToObject(o, "allOf");
		cJSON_AddItemToArray(all, ref(f->type->name, v2));
		json_set(o, "default", cJSON_CreateObject());
		return o;
	}
	for (size_t i = 0; i < ARRAY_SIZE(scalars); i++) {
		if (scalars[i].kind != f->kind)
			continue;
		if (scalars[i].ref && v2)
			return ref(scalars[i].ref, v2);
		if (scalars[i].ref) {
			cJSON *o = cJSON_CreateObject(), *all = cJSON_AddArrayToObject(o, "allOf");
			cJSON_AddItemToArray(all, ref(scalars[i].ref, v2));
			return o;
		}
		cJSON *o = cJSON_CreateObject();
		json_set_str(o, "type", scalars[i].type);
		if (scalars[i].format)
			json_set_str(o, "format", scalars[i].format);
		return o;
	}
	return cJSON_CreateObject();
}

/* The list-related extensions of a field. */
static void list_extensions(const struct sch_field *f, cJSON *o)
{
	if (f->list == SL_MAP && !(f->flags & SF_APPLY_ATOMIC)) {
		cJSON *keys = cJSON_AddArrayToObject(o, "x-kubernetes-list-map-keys");
		const char *k = f->map_keys ? f->map_keys : f->merge_key;
		while (k && *k) {
			size_t n = strcspn(k, ",");
			char *one = xstrndup(k, n);
			cJSON_AddItemToArray(keys, cJSON_CreateString(one));
			free(one);
			k += n + (k[n] == ',');
		}
		json_set_str(o, "x-kubernetes-list-type", "map");
	} else if (f->list == SL_SET && !(f->flags & SF_APPLY_ATOMIC)) {
		json_set_str(o, "x-kubernetes-list-type", "set");
	} else {
		json_set_str(o, "x-kubernetes-list-type", "atomic");
	}
	if (f->merge_key && !(f->flags & SF_SMP_REPLACE))
		json_set_str(o, "x-kubernetes-patch-merge-key", f->merge_key);
	if ((f->list == SL_MAP || f->list == SL_SET) && !(f->flags & SF_SMP_REPLACE))
		json_set_str(o, "x-kubernetes-patch-strategy", f->flags & SF_RETAIN_KEYS ? "merge,retainKeys" : "merge");
}

static cJSON *field_schema(const struct sch_field *f, int v2)
{
	cJSON *o, *v = value_schema(f, v2);
	if (f->list != SL_NONE) {
		o = cJSON_CreateObject();
		json_set_str(o, "type", "array");
		json_set(o, "items", v);
		list_extensions(f, o);
		if (f->flags & SF_MAP) {
			cJSON *m = cJSON_CreateObject();
			json_set_str(m, "type", "object");
			json_set(m, "additionalProperties", o);
			o = m;
		}
	} else if (f->flags & SF_MAP) {
		o = cJSON_CreateObject();
		json_set_str(o, "type", "object");
		json_set(o, "additionalProperties", v);
		if (f->flags & SF_MAP_ATOMIC)
			json_set_str(o, "x-kubernetes-map-type", "atomic");
	} else {
		o = v;
		if ((f->flags & SF_RETAIN_KEYS))
			json_set_str(o, "x-kubernetes-patch-strategy", "retainKeys");
	}
	if (f->doc && *f->doc)
		json_set_str(o, "description", f->doc);
	return o;
}

/* Adds the properties (and required names) of t, expanding inline members. */
static void properties(const struct sch_type *t, cJSON *props, cJSON *required, int v2)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct sch_field *f = &t->fields[i];
		if (f->flags & SF_INLINE) {
			properties(f->type, props, required, v2);
			continue;
		}
		json_set(props, f->name, field_schema(f, v2));
		if (f->flags & SF_REQUIRED)
			cJSON_AddItemToArray(required, cJSON_CreateString(f->name));
	}
}

static void add_gvk(cJSON *a, const char *group, const char *version, const char *kind)
{
	cJSON *g = cJSON_CreateObject();
	json_set_str(g, "group", group);
	json_set_str(g, "kind", kind);
	json_set_str(g, "version", version);
	cJSON_AddItemToArray(a, g);
}

/* The group-version-kinds a type is the top type of (a served kind or its list). */
static cJSON *gvks_of(const struct sch_type *t)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (sch_kind_type(k->group, k->version, k->kind) == t)
			add_gvk(a, k->group, k->version, k->kind);
		else if (k->list_kind && sch_kind_type(k->group, k->version, k->list_kind) == t)
			add_gvk(a, k->group, k->version, k->list_kind);
	}
	return a;
}

static cJSON *type_schema(const struct sch_type *t, int v2)
{
	cJSON *o = cJSON_CreateObject(), *props = cJSON_CreateObject(), *req = cJSON_CreateArray();
	if (t->doc && *t->doc)
		json_set_str(o, "description", t->doc);
	json_set_str(o, "type", "object");
	properties(t, props, req, v2);
	if (t->flags & ST_ANY) { /* free-form: no properties, so clients accept any member */
		cJSON_Delete(props);
		json_set_bool(o, "x-kubernetes-preserve-unknown-fields", 1);
	} else {
		json_set(o, "properties", props);
	}
	if (cJSON_GetArraySize(req))
		json_set(o, "required", req);
	else
		cJSON_Delete(req);
	if (t->flags & ST_ATOMIC)
		json_set_str(o, "x-kubernetes-map-type", "atomic");
	cJSON *g = gvks_of(t);
	if (cJSON_GetArraySize(g))
		json_set(o, "x-kubernetes-group-version-kind", g);
	else
		cJSON_Delete(g);
	return o;
}

/* The definitions upstream keeps for scalars with their own JSON form. */
static void scalar_definitions(cJSON *schemas)
{
	static const struct {
		const char *name, *type, *format, *doc;
	} defs[] = {
		{ "io.k8s.apimachinery.pkg.api.resource.Quantity", "string", NULL,
		  "A fixed-point number with an optional suffix: 100m, 1Gi, 2.5, 1e3." },
		{ "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "string", "date-time", "A time in RFC 3339 form, to the second." },
		{ "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime", "string", "date-time",
		  "A time in RFC 3339 form, to the microsecond." },
		{ "io.k8s.apimachinery.pkg.util.intstr.IntOrString", "string", "int-or-string", "An integer or a string." },
		{ "io.k8s.apimachinery.pkg.runtime.RawExtension", "object", NULL, "An embedded object, in its own JSON." },
	};
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		cJSON *o = cJSON_CreateObject();
		json_set_str(o, "description", defs[i].doc);
		json_set_str(o, "type", defs[i].type);
		if (defs[i].format)
			json_set_str(o, "format", defs[i].format);
		json_set(schemas, defs[i].name, o);
	}
}

/* ---- custom resources -------------------------------------------------------------------- */

void openapi_custom_name(const struct kind *k, const char *kind, char *out, size_t n)
{
	/* upstream's ToRESTFriendlyName of group/version.kind: the group's labels reversed */
	struct buf b = BUF_INIT;
	const char *g = k->group, *end = g + strlen(g);
	while (end > g) {
		const char *dot = end;
		while (dot > g && dot[-1] != '.')
			dot--;
		buf_addf(&b, "%.*s.", (int)(end - dot), dot);
		end = dot > g ? dot - 1 : g;
	}
	snprintf(out, n, "%s%s.%s", b.data ? b.data : "", k->version, kind);
	buf_release(&b);
}

/* A reference with a description: a plain $ref beside it (v2), through allOf (v3). */
static cJSON *ref_doc(const char *name, int v2, const char *doc)
{
	cJSON *o;
	if (v2) {
		o = ref(name, 1);
	} else {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "allOf"), ref(name, 0));
	}
	json_set_str(o, "description", doc);
	return o;
}

static cJSON *string_prop(const char *doc)
{
	cJSON *o = cJSON_CreateObject();
	json_set_str(o, "description", doc);
	json_set_str(o, "type", "string");
	return o;
}

#define DOC_API_VERSION "The versioned schema of this representation of an object (group/version)."
#define DOC_KIND "The kind of this object, in CamelCase."
#define DOC_METADATA "Standard object's metadata."

/* Drops name from s's required list. */
static void not_required(cJSON *s, const char *name)
{
	cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required"), *r, *next;
	for (r = req ? req->child : NULL; r; r = next) {
		next = r->next;
		if (cJSON_IsString(r) && !strcmp(r->valuestring, name))
			cJSON_Delete(cJSON_DetachItemViaPointer(req, r));
	}
}

/* upstream's ToStructuralOpenAPIV2, in place, over s and every schema under it. */
static void to_v2(cJSON *s)
{
	if (!cJSON_IsObject(s))
		return;
	static const char *const junctors[] = { "allOf", "oneOf", "anyOf", "not" };
	for (size_t i = 0; i < ARRAY_SIZE(junctors); i++)
		json_del(s, junctors[i]);
	cJSON *p;
	cJSON_ArrayForEach(p, json_obj(s, "properties")) {
		if (json_true(p, "nullable"))
			not_required(s, p->string);
		to_v2(p);
	}
	cJSON *ap = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	if (cJSON_IsObject(ap)) {
		if (json_true(ap, "nullable"))
			json_del(s, "required");
		to_v2(ap);
	}
	to_v2(cJSON_GetObjectItemCaseSensitive(s, "items"));
	if (json_true(s, "nullable")) {
		json_del(s, "type");
		json_del(s, "nullable");
		json_del(s, "items");
		json_del(s, "properties");
	}
	if (json_true(s, "x-kubernetes-preserve-unknown-fields")) {
		json_del(s, "items");
		json_del(s, "properties");
	}
	const char *t = json_str(s, "type");
	if (t && !strcmp(t, "array") && !cJSON_GetObjectItemCaseSensitive(s, "items"))
		json_del(s, "type");
}

/* apiVersion, kind and metadata on the embedded objects (x-kubernetes-embedded-resource) under s. */
static void embedded(cJSON *s, int v2)
{
	if (!cJSON_IsObject(s))
		return;
	cJSON *p;
	cJSON_ArrayForEach(p, json_obj(s, "properties"))
		embedded(p, v2);
	embedded(cJSON_GetObjectItemCaseSensitive(s, "items"), v2);
	embedded(cJSON_GetObjectItemCaseSensitive(s, "additionalProperties"), v2);
	if ((v2 && json_true(s, "x-kubernetes-preserve-unknown-fields")) || !json_true(s, "x-kubernetes-embedded-resource"))
		return;
	cJSON *props = json_obj_force(s, "properties");
	json_set(props, "apiVersion", string_prop(DOC_API_VERSION));
	json_set(props, "kind", string_prop(DOC_KIND));
	json_set(props, "metadata", ref_doc(sch_meta_ObjectMeta.name, v2, DOC_METADATA));
	not_required(s, "kind");
	not_required(s, "apiVersion");
	cJSON *req = cJSON_GetObjectItemCaseSensitive(s, "required");
	if (!cJSON_IsArray(req)) {
		req = cJSON_CreateArray();
		json_set(s, "required", req);
	}
	cJSON_AddItemToArray(req, cJSON_CreateString("kind"));
	cJSON_AddItemToArray(req, cJSON_CreateString("apiVersion"));
}

/* The definitions of a custom kind and its list, as upstream's CRD OpenAPI builder makes them. */
void openapi_custom_definitions(const struct kind *k, int v2, cJSON *defs)
{
	int preserve;
	const cJSON *schema = crd_schema(k, &preserve);
	char name[256], list_name[256];
	openapi_custom_name(k, k->kind, name, sizeof(name));
	openapi_custom_name(k, k->list_kind, list_name, sizeof(list_name));
	cJSON *o;
	if (!schema || (v2 && (preserve || json_true(schema, "x-kubernetes-preserve-unknown-fields")))) {
		/* no properties: kubectl would take the listed ones for all there may be */
		o = cJSON_CreateObject();
		json_set_str(o, "type", "object");
	} else {
		o = cJSON_Duplicate(schema, 1);
		if (v2)
			to_v2(o);
		cJSON *props = json_obj_force(o, "properties");
		json_set(props, "metadata", ref_doc(sch_meta_ObjectMeta.name, v2, DOC_METADATA));
		json_set(props, "apiVersion", string_prop(DOC_API_VERSION));
		json_set(props, "kind", string_prop(DOC_KIND));
		embedded(o, v2);
	}
	cJSON *g = cJSON_AddArrayToObject(o, "x-kubernetes-group-version-kind");
	add_gvk(g, k->group, k->version, k->kind);
	json_set(defs, name, o);

	cJSON *l = cJSON_CreateObject(), *props = cJSON_CreateObject(), *items = cJSON_CreateObject();
	char *doc = xasprintf("%s is a list of %s", k->list_kind, k->kind);
	json_set_str(l, "description", doc);
	free(doc);
	json_set_str(l, "type", "object");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(l, "required"), cJSON_CreateString("items"));
	json_set(props, "apiVersion", string_prop(DOC_API_VERSION));
	doc = xasprintf("List of %s.", k->plural);
	json_set_str(items, "description", doc);
	free(doc);
	json_set_str(items, "type", "array");
	json_set(items, "items", ref(name, v2));
	json_set(props, "items", items);
	json_set(props, "kind", string_prop(DOC_KIND));
	json_set(props, "metadata", ref_doc(sch_meta_ListMeta.name, v2, "Standard list metadata."));
	json_set(l, "properties", props);
	add_gvk(cJSON_AddArrayToObject(l, "x-kubernetes-group-version-kind"), k->group, k->version, k->list_kind);
	json_set(defs, list_name, l);
}

void openapi_schemas(const struct sch_type *const *roots, size_t n, int swagger2, cJSON *out)
{
	struct closure *c = xcalloc(1, sizeof(*c));
	for (size_t i = 0; i < n; i++)
		reach(c, roots[i]);
	reach(c, sch_kind_type("", "v1", "Status"));
	reach(c, sch_kind_type("", "v1", "DeleteOptions"));
	reach(c, &sch_meta_ObjectMeta);
	reach(c, &sch_meta_ListMeta);
	for (size_t i = 0; i < c->n; i++)
		json_set(out, c->v[i]->name, type_schema(c->v[i], swagger2));
	scalar_definitions(out);
	free(c);
}

/* PATCH operations with the fieldValidation parameter, one per kind of the group-version; the
 * kinds' types are added to roots. */
static cJSON *paths(const char *group, const char *version, const struct sch_type **roots, size_t *nroots)
{
	cJSON *p = cJSON_CreateObject();
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		struct buf path = BUF_INIT;
		if (strcmp(k->group, group) || strcmp(k->version, version))
			continue;
		roots[(*nroots)++] = sch_kind_type(k->group, k->version, k->kind);
		buf_adds(&path, *group ? "/apis/" : "/api/");
		if (*group)
			buf_addf(&path, "%s/", group);
		buf_adds(&path, version);
		if (k->flags & KIND_NAMESPACED)
			buf_adds(&path, "/namespaces/{namespace}");
		buf_addf(&path, "/%s%s", k->plural, k->flags & KIND_VIRTUAL ? "" : "/{name}");
		char *op_json = xasprintf("{\"%s\":{\"x-kubernetes-action\":\"%s\",\"x-kubernetes-group-version-kind\":"
					  "{\"group\":\"%s\",\"version\":\"%s\",\"kind\":\"%s\"},\"parameters\":[{\"name\":"
					  "\"fieldValidation\",\"in\":\"query\",\"schema\":{\"type\":\"string\"}}],"
					  "\"responses\":{}}}",
					  k->flags & KIND_VIRTUAL ? "post" : "patch", k->flags & KIND_VIRTUAL ? "post" : "patch",
					  k->group, k->version, k->kind);
		json_set(p, path.data, json_parse(op_json, strlen(op_json), NULL));
		free(op_json);
		buf_release(&path);
	}
	return p;
}

static void build(const char *group, const char *version, struct buf *out)
{
	const struct sch_type **roots = xcalloc(registry_count() + 1, sizeof(*roots));
	size_t nroots = 0;
	cJSON *doc = cJSON_CreateObject(), *info = cJSON_CreateObject(), *comp = cJSON_CreateObject();
	cJSON *schemas = cJSON_CreateObject();
	json_set_str(doc, "openapi", "3.0.0");
	json_set_str(info, "title", "Kubernetes");
	json_set_str(info, "version", KUBE_K8S_VERSION);
	json_set(doc, "info", info);
	json_set(doc, "paths", paths(group, version, roots, &nroots));
	openapi_schemas(roots, nroots, 0, schemas);
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (k->flags & KIND_CUSTOM && !strcmp(k->group, group) && !strcmp(k->version, version))
			openapi_custom_definitions(k, 0, schemas);
	}
	json_set(comp, "schemas", schemas);
	json_set(doc, "components", comp);
	json_print(doc, out);
	cJSON_Delete(doc);
	free(roots);
}

/* Built documents, kept while the set of kinds stays the same. */
static struct {
	char *gv;
	char *doc;
	size_t len;
	char hash[65];
	unsigned gen;    /* registry_generation() when built */
} cache[64];

/* The cached document of group/version (built on first use). */
static int cached(const char *group, const char *version)
{
	char gv[200];
	snprintf(gv, sizeof(gv), "%s/%s", group, version);
	size_t i;
	for (i = 0; i < ARRAY_SIZE(cache) && cache[i].gv; i++)
		if (!strcmp(cache[i].gv, gv))
			break;
	if (i == ARRAY_SIZE(cache))
		return -1;
	if (cache[i].gv && cache[i].gen == registry_generation())
		return (int)i;
	struct buf b = BUF_INIT;
	build(group, version, &b);
	if (!cache[i].gv)
		cache[i].gv = xstrdup(gv);
	free(cache[i].doc);
	cache[i].gen = registry_generation();
	pki_sha256_hex(b.data, b.len, cache[i].hash);
	cache[i].doc = buf_detach(&b, &cache[i].len);
	return (int)i;
}

void openapi_v3(const char *group, const char *version, struct buf *out)
{
	int i = cached(group, version);
	if (i < 0)
		build(group, version, out);
	else
		buf_add(out, cache[i].doc, cache[i].len);
}

const char *openapi_v3_hash(const char *group, const char *version)
{
	int i = cached(group, version);
	return i < 0 ? "" : cache[i].hash;
}
