/*
 * json.c - small helpers over cJSON.
 */
#include "json.h"
#include "buf.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 256

/* Measures nesting depth without recursion so that hostile input cannot exhaust the stack of
 * cJSON's recursive parser: cJSON's own limit is 1000, which is too deep for our stacks
 * under sanitizers. */
static int too_deep(const char *p, size_t len)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH)
				return 1;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return 0;
}

cJSON *json_parse(const char *data, size_t len, struct buf *err)
{
	const char *end = NULL;
	if (too_deep(data, len)) {
		if (err)
			buf_addf(err, "JSON nesting deeper than %d levels", JSON_MAX_DEPTH);
		return NULL;
	}
	cJSON *j = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (j && end) {
		while (end < data + len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
			end++;
		if (end < data + len && *end) {
			if (err)
				buf_addf(err, "invalid character after top-level value at offset %zu",
					 (size_t)(end - data));
			cJSON_Delete(j);
			return NULL;
		}
	}
	if (!j && err) {
		size_t off = end ? (size_t)(end - data) : 0;
		if (!end && cJSON_GetErrorPtr())
			off = 0;
		buf_addf(err, "invalid JSON at offset %zu", off);
	}
	return j;
}

static cJSON *getv(const cJSON *obj, va_list ap)
{
	const char *k;
	const cJSON *cur = obj;
	while ((k = va_arg(ap, const char *))) {
		if (!cJSON_IsObject(cur))
			return NULL;
		cur = cJSON_GetObjectItemCaseSensitive(cur, k);
		if (!cur)
			return NULL;
	}
	return (cJSON *)cur;
}

cJSON *json_getv(const cJSON *obj, ...)
{
	va_list ap;
	va_start(ap, obj);
	cJSON *r = getv(obj, ap);
	va_end(ap);
	return r;
}

const char *json_str(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int json_true(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

const char *json_strv(const cJSON *obj, ...)
{
	va_list ap;
	va_start(ap, obj);
	cJSON *r = getv(obj, ap);
	va_end(ap);
	return cJSON_IsString(r) ? r->valuestring : NULL;
}

cJSON *json_obj(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsObject(v) ? v : NULL;
}

cJSON *json_obj_force(cJSON *obj, const char *key)
{
	cJSON *v = json_obj(obj, key);
	if (!v) {
		v = cJSON_CreateObject();
		json_set(obj, key, v);
	}
	return v;
}

int json_int(const cJSON *obj, const char *key, int64_t *out)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	if (!cJSON_IsNumber(v))
		return -1;
	double d = v->valuedouble;
	if (d != floor(d) || d < -9007199254740992.0 || d > 9007199254740992.0)
		return -1;
	*out = (int64_t)d;
	return 0;
}

void json_set(cJSON *obj, const char *key, cJSON *item)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
	else
		cJSON_AddItemToObject(obj, key, item);
}

void json_set_str(cJSON *obj, const char *key, const char *value)
{
	json_set(obj, key, cJSON_CreateString(value));
}

void json_set_int(cJSON *obj, const char *key, int64_t value)
{
	json_set(obj, key, cJSON_CreateNumber((double)value));
}

void json_set_bool(cJSON *obj, const char *key, int value)
{
	json_set(obj, key, cJSON_CreateBool(value));
}

void json_del(cJSON *obj, const char *key)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

struct keyed {
	cJSON *item;
	size_t pos; /* position in the object */
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);
	return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

static void dedupe_object(cJSON *obj)
{
	size_t n = 0, k = 0;
	cJSON *m;
	cJSON_ArrayForEach(m, obj)
		n++;
	if (n < 2)
		return;
	struct keyed *v = xmalloc(n * sizeof(*v));
	cJSON_ArrayForEach(m, obj)
	{
		v[k].item = m;
		v[k].pos = k;
		k++;
	}
	qsort(v, n, sizeof(*v), cmp_keyed);
	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(v[i].item->string, v[i + 1].item->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(obj, v[i].item));
	free(v);
}

void json_dedupe(cJSON *item)
{
	cJSON *c;
	if (cJSON_IsObject(item))
		dedupe_object(item);
	cJSON_ArrayForEach(c, item)
		json_dedupe(c);
}

void json_print(const cJSON *item, struct buf *out)
{
	char *s = cJSON_PrintUnformatted(item);
	if (!s)
		abort(); /* cJSON only fails on allocation failure */
	buf_adds(out, s);
	free(s);
}

char *json_print_str(const cJSON *item)
{
	char *s = cJSON_PrintUnformatted(item);
	if (!s)
		abort();
	return s;
}
