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
 */
#include "server/schema.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/util.h"

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

static int check_object(const struct sch_type *t, const cJSON *obj, struct buf *msg);

/* One value of field f (a list element or map value when f is a list or map). */
static int check_value(const struct sch_field *f, const cJSON *v, struct buf *msg)
{
	static const struct {
		enum sch_kind kind;
		const char *go;
	} scalars[] = {
		{ SK_STRING, "string" }, { SK_BYTES, "string" },  { SK_DURATION, "string" }, { SK_TIME, "string" },
		{ SK_MICROTIME, "string" }, { SK_BOOL, "bool" }, { SK_INT32, "int32" }, { SK_INT64, "int64" },
		{ SK_FLOAT64, "float64" },
	};
	if (cJSON_IsNull(v))
		return 0;
	if (f->kind == SK_OBJECT) {
		if (!f->type || (f->type->flags & ST_ANY))
			return 0;
		if (!cJSON_IsObject(v)) {
			buf_addf(msg, "cannot restore struct from: %s", go_kind(v));
			return -1;
		}
		return check_object(f->type, v, msg);
	}
	for (size_t i = 0; i < ARRAY_SIZE(scalars); i++) {
		if (scalars[i].kind != f->kind)
			continue;
		int numeric = f->kind == SK_INT32 || f->kind == SK_INT64 || f->kind == SK_FLOAT64;
		int ok = numeric ? cJSON_IsNumber(v) : f->kind == SK_BOOL ? cJSON_IsBool(v) : cJSON_IsString(v);
		if (ok)
			return 0;
		if (cJSON_IsObject(v) || cJSON_IsArray(v))
			buf_addf(msg, "cannot convert %s to %s", cJSON_IsObject(v) ? "map[string]interface {}"
										 : "[]interface {}", scalars[i].go);
		else
			buf_addf(msg, "cannot convert %s to %s", go_kind(v), scalars[i].go);
		return -1;
	}
	return 0; /* Quantity, IntOrString, RawExtension */
}

/* Field f of an object: its map or list wrapping, then each value. */
static int check_field(const struct sch_field *f, const cJSON *v, struct buf *msg)
{
	const cJSON *e;
	if (cJSON_IsNull(v))
		return 0;
	if (f->flags & SF_MAP) {
		if (!cJSON_IsObject(v)) {
			buf_addf(msg, "cannot restore map from %s", go_kind(v));
			return -1;
		}
		struct sch_field value = *f; /* map[string]T, T maybe a list */
		value.flags &= ~(unsigned)SF_MAP;
		cJSON_ArrayForEach(e, v)
		{
			if (check_field(&value, e, msg) < 0)
				return -1;
		}
		return 0;
	} else if (f->list != SL_NONE) {
		if (!cJSON_IsArray(v)) {
			buf_addf(msg, "cannot restore slice from %s", go_kind(v));
			return -1;
		}
	} else {
		return check_value(f, v, msg);
	}
	cJSON_ArrayForEach(e, v)
	{
		if (check_value(f, e, msg) < 0)
			return -1;
	}
	return 0;
}

static int check_object(const struct sch_type *t, const cJSON *obj, struct buf *msg)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, obj)
	{
		const struct sch_field *f = sch_field(t, m->string);
		if (f && check_field(f, m, msg) < 0)
			return -1;
	}
	return 0;
}

int sch_check_types(const struct sch_type *t, const cJSON *obj, struct buf *msg)
{
	if (!t || (t->flags & ST_ANY) || !cJSON_IsObject(obj))
		return 0;
	return check_object(t, obj, msg);
}
