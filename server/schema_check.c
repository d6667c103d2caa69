/*
 * schema_check.c - does a JSON value have the shapes the schema tables give its fields?
 *
 * DESIGN
 * Upstream decodes every object into Go structs, so a patch whose result puts a string where a
 * map belongs ({"metadata":{"labels":"invalid"}}) fails in the unstructured converter with
 * "cannot restore map from string", and the request is refused before validation. kube keeps
 * objects as JSON trees; this walk over the schema tables finds the first such mismatch and
 * words it as the converter does: maps and structs must be JSON objects, lists arrays, numbers
 * numbers, booleans booleans and strings strings; null is always accepted (Go's zero value);
 * free-form types (RawExtension, ST_ANY) and the scalars with two encodings (Quantity,
 * IntOrString) are not checked. Fields the schema does not know are left to field validation.
 * A created or replaced body fails earlier, in encoding/json, which words the same mismatch
 * otherwise ("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of
 * type []v1.Container": the struct holding the field, the path of JSON names without indexes,
 * the Go type); sch_check_decode gives that wording, except for the types with their own JSON
 * decoders (Time, Duration, bytes), whose errors read differently and are left alone.
 */
#include "server/schema.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"

/* The walk: which wording, the JSON path and the struct being decoded (decode wording). */
struct walk {
	int decode;              /* encoding/json's wording, else the unstructured converter's */
	struct buf *msg;
	char path[512];          /* "spec.containers.image": field names, no indexes, as Go */
	const char *strct;       /* definition name of the struct holding the field */
};

/* The Go kind of a JSON value, as the converter names it in its messages. */
static const char *go_kind(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsBool(v))
		return "bool";
	if (cJSON_IsArray(v))
		return "slice";
	if (cJSON_IsObject(v))
		return "map";
	return v->valuedouble == (double)(long long)v->valuedouble ? "int64" : "float64";
}

/* The JSON kind of a value, as encoding/json names it in an UnmarshalTypeError. */
static const char *json_kind(const cJSON *v)
{
	return cJSON_IsString(v) ? "string" : cJSON_IsBool(v) ? "bool" : cJSON_IsArray(v) ? "array"
		: cJSON_IsObject(v) ? "object" : "number";
}

/* The last dot-separated part of a definition name, with the one before it when pkg is set:
 * "io.k8s.api.core.v1.Container" -> "Container" or "v1.Container". */
static void short_name(const char *def, int pkg, struct buf *out)
{
	const char *last = strrchr(def, '.'), *p = last;
	if (!last) {
		buf_adds(out, def);
		return;
	}
	if (pkg)
		while (p > def && p[-1] != '.')
			p--;
	buf_adds(out, pkg ? p : last + 1);
}

static const struct {
	enum sch_kind kind;
	const char *go;
} scalars[] = {
	{ SK_STRING, "string" }, { SK_BYTES, "string" },  { SK_DURATION, "string" }, { SK_TIME, "string" },
	{ SK_MICROTIME, "string" }, { SK_BOOL, "bool" }, { SK_INT32, "int32" }, { SK_INT64, "int64" },
	{ SK_FLOAT64, "float64" },
};

/* The Go type of field f: of one value (whole == 0) or with its list and map wrapping. */
static void go_type(const struct sch_field *f, int whole, struct buf *out)
{
	if (whole && (f->flags & SF_MAP))
		buf_adds(out, "map[string]");
	if (whole && f->list != SL_NONE)
		buf_adds(out, "[]");
	if (f->kind == SK_OBJECT && f->type) {
		short_name(f->type->name, 1, out);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(scalars); i++)
		if (scalars[i].kind == f->kind)
			buf_adds(out, scalars[i].go);
}

/* encoding/json's UnmarshalTypeError text for v decoded into f. */
static int decode_error(struct walk *w, const struct sch_field *f, const cJSON *v, int whole)
{
	buf_addf(w->msg, "json: cannot unmarshal %s into Go struct field ", json_kind(v));
	short_name(w->strct, 0, w->msg);
	buf_addf(w->msg, ".%s of type ", w->path);
	go_type(f, whole, w->msg);
	return -1;
}

static int check_object(struct walk *w, const struct sch_type *t, const cJSON *obj);

/* One value of field f (a list element or map value when f is a list or map). */
static int check_value(struct walk *w, const struct sch_field *f, const cJSON *v)
{
	if (cJSON_IsNull(v))
		return 0;
	if (f->kind == SK_OBJECT) {
		if (!f->type || (f->type->flags & ST_ANY))
			return 0;
		if (!cJSON_IsObject(v)) {
			if (w->decode)
				return decode_error(w, f, v, 0);
			buf_addf(w->msg, "cannot restore struct from: %s", go_kind(v));
			return -1;
		}
		return check_object(w, f->type, v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(scalars); i++) {
		if (scalars[i].kind != f->kind)
			continue;
		int numeric = f->kind == SK_INT32 || f->kind == SK_INT64 || f->kind == SK_FLOAT64;
		int ok = numeric ? cJSON_IsNumber(v) : f->kind == SK_BOOL ? cJSON_IsBool(v) : cJSON_IsString(v);
		if (ok)
			return 0;
		if (w->decode) /* types with their own decoders word their errors otherwise */
			return f->kind == SK_TIME || f->kind == SK_MICROTIME || f->kind == SK_DURATION ||
					f->kind == SK_BYTES ? 0 : decode_error(w, f, v, 0);
		if (cJSON_IsObject(v) || cJSON_IsArray(v))
			buf_addf(w->msg, "cannot convert %s to %s", cJSON_IsObject(v) ? "map[string]interface {}"
										 : "[]interface {}", scalars[i].go);
		else
			buf_addf(w->msg, "cannot convert %s to %s", go_kind(v), scalars[i].go);
		return -1;
	}
	return 0; /* Quantity, IntOrString, RawExtension */
}

/* Field f of an object: its map or list wrapping, then each value. */
static int check_field(struct walk *w, const struct sch_field *f, const cJSON *v)
{
	const cJSON *e;
	if (cJSON_IsNull(v))
		return 0;
	if (f->flags & SF_MAP) {
		if (!cJSON_IsObject(v)) {
			if (w->decode)
				return decode_error(w, f, v, 1);
			buf_addf(w->msg, "cannot restore map from %s", go_kind(v));
			return -1;
		}
		struct sch_field value = *f; /* map[string]T, T maybe a list */
		value.flags &= ~(unsigned)SF_MAP;
		cJSON_ArrayForEach(e, v)
		{
			if (check_field(w, &value, e) < 0)
				return -1;
		}
		return 0;
	} else if (f->list != SL_NONE) {
		if (!cJSON_IsArray(v)) {
			if (w->decode)
				return decode_error(w, f, v, 1);
			buf_addf(w->msg, "cannot restore slice from %s", go_kind(v));
			return -1;
		}
	} else {
		return check_value(w, f, v);
	}
	cJSON_ArrayForEach(e, v)
	{
		if (check_value(w, f, e) < 0)
			return -1;
	}
	return 0;
}

static int check_object(struct walk *w, const struct sch_type *t, const cJSON *obj)
{
	const cJSON *m;
	const char *strct = w->strct;
	size_t len = strlen(w->path);
	w->strct = t->name;
	cJSON_ArrayForEach(m, obj)
	{
		const struct sch_field *f = sch_field(t, m->string);
		if (!f)
			continue;
		snprintf(w->path + len, sizeof(w->path) - len, "%s%s", len ? "." : "", m->string);
		if (check_field(w, f, m) < 0)
			return -1;
	}
	w->path[len] = 0;
	w->strct = strct;
	return 0;
}

static int check(const struct sch_type *t, const cJSON *obj, struct buf *msg, int decode)
{
	struct walk w = { decode, msg, "", "" };
	if (!t || (t->flags & ST_ANY) || !cJSON_IsObject(obj))
		return 0;
	return check_object(&w, t, obj);
}

int sch_check_types(const struct sch_type *t, const cJSON *obj, struct buf *msg)
{
	return check(t, obj, msg, 0);
}

int sch_check_decode(const struct sch_type *t, const cJSON *obj, struct buf *msg)
{
	return check(t, obj, msg, 1);
}
