/*
 * object.c - stored objects: the store's encode and index hooks, and their attributes.
 *
 * DESIGN
 * An object is stored as its compact JSON with metadata.resourceVersion equal to the revision
 * of the write, set on the store thread by obj_encode, so reads serve stored bytes as they are.
 * obj_index extracts, once per stored version, what lists and watches filter on: the labels and
 * the selectable fields of the object's kind (metadata.name, metadata.namespace and the kind's
 * extra fields as strings, booleans as "true"/"false", numbers in decimal). Both hooks run on
 * the store thread and touch only their arguments and the static registry.
 */
#include "internal.h"
#include "server/crd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int obj_encode(void *obj, int64_t rev, struct buf *out, struct buf *err)
{
	UNUSED(err);
	cJSON *meta = json_obj_force(obj, "metadata");
	char rv[24];
	snprintf(rv, sizeof(rv), "%lld", (long long)rev);
	json_set_str(meta, "resourceVersion", rv);
	json_print(obj, out);
	return 0;
}

/* Follows a dotted path ("spec.nodeName") and renders a scalar as a field selector sees it. */
static char *field_value(const cJSON *obj, const char *path)
{
	char part[128];
	const cJSON *cur = obj;
	while (*path && cur) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		cur = cJSON_IsObject(cur) ? cJSON_GetObjectItemCaseSensitive(cur, part) : NULL;
		path += n + (dot ? 1 : 0);
	}
	if (cJSON_IsString(cur))
		return xstrdup(cur->valuestring);
	if (cJSON_IsBool(cur))
		return xstrdup(cJSON_IsTrue(cur) ? "true" : "false");
	if (cJSON_IsNumber(cur))
		return xasprintf("%.0f", cur->valuedouble);
	return NULL;
}

static void add_pair(char ***v, size_t *n, char *key, char *value)
{
	*v = xrealloc(*v, (*n + 1) * 2 * sizeof(char *));
	(*v)[*n * 2] = key;
	(*v)[*n * 2 + 1] = value;
	(*n)++;
}

void *obj_index(const char *key, const char *value, size_t len)
{
	const struct kind *k = kind_by_key(key);
	cJSON *obj = json_parse(value, len, NULL);
	struct obj_attrs *a = xcalloc(1, sizeof(*a));
	if (!obj)
		return a;
	const cJSON *labels = json_getv(obj, "metadata", "labels", NULL), *l;
	cJSON_ArrayForEach(l, labels)
		if (cJSON_IsString(l))
			add_pair(&a->labels, &a->nlabels, xstrdup(l->string), xstrdup(l->valuestring));
	const char *name = json_strv(obj, "metadata", "name", NULL);
	const char *ns = json_strv(obj, "metadata", "namespace", NULL);
	add_pair(&a->fields, &a->nfields, xstrdup("metadata.name"), xstrdup(name ? name : ""));
	add_pair(&a->fields, &a->nfields, xstrdup("metadata.namespace"), xstrdup(ns ? ns : ""));
	/* Internal fields (not selectable through the API): the uid and the controller owner's uid,
	 * for the controllers' owner index. */
	const char *uid = json_strv(obj, "metadata", "uid", NULL), *owner = NULL;
	const cJSON *o;
	cJSON_ArrayForEach(o, json_getv(obj, "metadata", "ownerReferences", NULL))
		if (json_true(o, "controller"))
			owner = json_str(o, "uid");
	add_pair(&a->fields, &a->nfields, xstrdup("x.uid"), xstrdup(uid ? uid : ""));
	add_pair(&a->fields, &a->nfields, xstrdup("x.owner"), xstrdup(owner ? owner : ""));
	for (const char *const *f = k ? k->fields : NULL; f && *f; f++) {
		char *v = field_value(obj, *f);
		/* Upstream's field sets render absent strings as "" so "!=" and "=" work on them. */
		add_pair(&a->fields, &a->nfields, xstrdup(*f), v ? v : xstrdup(""));
	}
	cJSON_Delete(obj);
	return a;
}

void obj_attrs_free(void *attrs)
{
	struct obj_attrs *a = attrs;
	if (!a)
		return;
	for (size_t i = 0; i < a->nlabels * 2; i++)
		free(a->labels[i]);
	for (size_t i = 0; i < a->nfields * 2; i++)
		free(a->fields[i]);
	free(a->labels);
	free(a->fields);
	free(a);
}

static const char *lookup(char *const *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i * 2], key))
			return v[i * 2 + 1];
	return NULL;
}

const char *obj_label(const void *attrs, const char *key)
{
	const struct obj_attrs *a = attrs;
	return a ? lookup(a->labels, a->nlabels, key) : NULL;
}

const char *obj_field(const void *attrs, const char *key)
{
	const struct obj_attrs *a = attrs;
	return a ? lookup(a->fields, a->nfields, key) : NULL;
}

cJSON *obj_parse(const struct store_kv *kv)
{
	return json_parse(kv->value->data, kv->value->len, NULL);
}

cJSON *obj_parse_as(const struct kind *k, const struct store_kv *kv)
{
	cJSON *obj = obj_parse(kv);
	if (obj && k && k->view)
		k->view->out(obj);
	if (obj && k && (k->flags & KIND_CUSTOM)) {
		json_set_str(obj, "apiVersion", k->api_version); /* versions without conversion */
		crd_default_kind(k, obj); /* as upstream's storage decoder: defaults added since the write */
	}
	return obj;
}

int obj_served_as_stored(const struct kind *k)
{
	return !k || (!k->view && !(k->flags & KIND_CUSTOM));
}

void obj_print_as(const struct kind *k, const struct store_kv *kv, struct buf *out)
{
	if (obj_served_as_stored(k)) {
		buf_add(out, kv->value->data, kv->value->len);
		return;
	}
	cJSON *obj = obj_parse_as(k, kv);
	json_print(obj, out);
	cJSON_Delete(obj);
}

const char *obj_kv_name(const struct store_kv *kv)
{
	const char *n = obj_field(kv->attrs, "metadata.name");
	return n ? n : "";
}

void human_duration(int64_t s, char *out, size_t len)
{
	/* Mirrors apimachinery's duration.HumanDuration. */
	if (s < 0)
		s = 0;
	int64_t m = s / 60, h = s / 3600, d = h / 24, y = d / 365;
	if (s < 120)
		snprintf(out, len, "%llds", (long long)s);
	else if (m < 10)
		snprintf(out, len, s % 60 ? "%lldm%llds" : "%lldm", (long long)m, (long long)(s % 60));
	else if (m < 180)
		snprintf(out, len, "%lldm", (long long)m);
	else if (h < 8)
		snprintf(out, len, m % 60 ? "%lldh%lldm" : "%lldh", (long long)h, (long long)(m % 60));
	else if (h < 48)
		snprintf(out, len, "%lldh", (long long)h);
	else if (h < 24 * 8)
		snprintf(out, len, h % 24 ? "%lldd%lldh" : "%lldd", (long long)d, (long long)(h % 24));
	else if (h < 24 * 365 * 2)
		snprintf(out, len, "%lldd", (long long)d);
	else if (h < 24 * 365 * 8)
		snprintf(out, len, d % 365 ? "%lldy%lldd" : "%lldy", (long long)y, (long long)(d % 365));
	else
		snprintf(out, len, "%lldy", (long long)y);
}
