/*
 * fieldcheck.c - unknown and duplicate fields in a request body, for fieldValidation.
 *
 * Upstream's strict decoding reports every field the type does not have ("unknown field
 * \"spec.foo\"") and every key that appears twice in one JSON object ("duplicate field
 * \"metadata.name\""), with the path as upstream prints it: dotted fields, [i] for list
 * elements, [key] for map values. With fieldValidation=Strict they fail the request (400), with
 * Warn (the default) they come back as Warning headers, with Ignore nothing is checked.
 * Free-form parts (RawExtension, types marked ST_ANY) are not checked.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "server/schema.h"

#define MAX_PROBLEMS 100

static void add(struct fieldcheck *fc, const char *what, const struct buf *path)
{
	if (fc->n == MAX_PROBLEMS)
		return;
	fc->v = xrealloc(fc->v, (fc->n + 1) * sizeof(*fc->v));
	fc->v[fc->n++] = xasprintf("%s field \"%s\"", what, buf_str(path));
}

static void walk_type(struct fieldcheck *fc, const cJSON *obj, const struct sch_type *t, struct buf *path);

/* Checks one value of field f (a list element or map value already selected by the caller). */
static void walk_value(struct fieldcheck *fc, const cJSON *v, const struct sch_field *f, struct buf *path)
{
	if (f->kind == SK_OBJECT && f->type && cJSON_IsObject(v))
		walk_type(fc, v, f->type, path);
}

static void walk_field(struct fieldcheck *fc, const cJSON *v, const struct sch_field *f, struct buf *path)
{
	size_t len = path->len;
	const cJSON *e;
	if (f->list != SL_NONE && cJSON_IsArray(v)) {
		int i = 0;
		cJSON_ArrayForEach(e, v)
		{
			buf_addf(path, "[%d]", i++);
			walk_value(fc, e, f, path);
			buf_truncate(path, len);
		}
	} else if ((f->flags & SF_MAP) && cJSON_IsObject(v)) {
		cJSON_ArrayForEach(e, v)
		{
			buf_addf(path, "[%s]", e->string);
			walk_value(fc, e, f, path);
			buf_truncate(path, len);
		}
	} else {
		walk_value(fc, v, f, path);
	}
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* Reports the keys that appear more than once in obj (sorting, so that a hostile object with
 * very many keys costs n log n). */
static void duplicates(struct fieldcheck *fc, const cJSON *obj, struct buf *path)
{
	size_t n = (size_t)cJSON_GetArraySize(obj), k = 0, len = path->len;
	const cJSON **v = xmalloc((n ? n : 1) * sizeof(*v)), *m;
	cJSON_ArrayForEach(m, obj)
		v[k++] = m;
	qsort(v, n, sizeof(*v), cmp_names);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i]->string, v[i - 1]->string))
			continue;
		if (len)
			buf_addch(path, '.');
		buf_adds(path, v[i]->string);
		add(fc, "duplicate", path);
		buf_truncate(path, len);
	}
	free(v);
}

static void walk_type(struct fieldcheck *fc, const cJSON *obj, const struct sch_type *t, struct buf *path)
{
	const cJSON *m;
	size_t len = path->len;
	if (t->flags & ST_ANY)
		return;
	duplicates(fc, obj, path);
	cJSON_ArrayForEach(m, obj)
	{
		const struct sch_field *f = sch_field(t, m->string);
		if (len)
			buf_addch(path, '.');
		buf_adds(path, m->string);
		if (!f)
			add(fc, "unknown", path);
		else if (f->kind != SK_RAW)
			walk_field(fc, m, f, path);
		buf_truncate(path, len);
	}
}

void fieldcheck_run(struct fieldcheck *fc, const cJSON *obj, const struct sch_type *t)
{
	struct buf path = BUF_INIT;
	if (t && cJSON_IsObject(obj))
		walk_type(fc, obj, t, &path);
	buf_release(&path);
}

void fieldcheck_release(struct fieldcheck *fc)
{
	for (size_t i = 0; i < fc->n; i++)
		free(fc->v[i]);
	free(fc->v);
	fc->v = NULL;
	fc->n = 0;
}
