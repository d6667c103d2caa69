/*
 * scale.c - the scale subresource of every kind that has one: the autoscaling/v1 Scale view of
 * an object, and a Scale's replicas written back into it.
 *
 * DESIGN
 * One path for built-in and custom kinds: a kind's struct scale_paths says where the spec and
 * status replicas are (".spec.replicas" and ".status.replicas" for Deployments, ReplicaSets,
 * StatefulSets and ReplicationControllers; the CRD's specReplicasPath and statusReplicasPath
 * for custom resources) and where the selector is (a built-in kind's spec.selector, a
 * LabelSelector or an RC's label map, printed as a selector string; a custom resource's string
 * at labelSelectorPath). Paths are followed as upstream's unstructured accessors follow them:
 * the leading dot dropped, split at every dot, no array notation; a missing key is "not
 * found", a value of the wrong type an error worded as upstream's accessors word it.
 */
#include "server/scale.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/crd.h"

void scale_paths_of(const struct kind *k, struct scale_paths *p)
{
	const char *spec = NULL, *status = NULL, *sel = NULL;
	if ((k->flags & KIND_CUSTOM) && crd_scale_paths(k, &spec, &status, &sel) == 0) {
		*p = (struct scale_paths){ spec, status, sel, 1 };
		return;
	}
	*p = (struct scale_paths){ ".spec.replicas", ".status.replicas", NULL, 0 };
}

/* ---- upstream's unstructured accessors ------------------------------------------------------- */

/* The name of v's Go type once decoded into unstructured content. */
static const char *go_type(const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return "<nil>";
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsBool(v))
		return "bool";
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) ? "int64" : "float64";
	return cJSON_IsArray(v) ? "[]interface {}" : "map[string]interface {}";
}

/* Appends "PATH accessor error: VALUE is of the type T, expected WANT". */
static void type_error(struct buf *err, const char *path, size_t len, const cJSON *v, const char *want)
{
	char *s = v && !cJSON_IsNull(v) ? cJSON_IsString(v) ? xstrdup(v->valuestring) : json_print_str(v) : xstrdup("<nil>");
	buf_addf(err, "%.*s accessor error: %s is of the type %s, expected %s", (int)len, path, s, go_type(v), want);
	free(s);
}

/* Follows path (".a.b") in obj. Returns 0 with *out the value (borrowed), or NULL when a key is
 * missing or a value on the way is null; -EINVAL with err when a value on the way is not an
 * object (the error names the path up to the key looked up in it). */
static int nested(const cJSON *obj, const char *path, const cJSON **out, struct buf *err)
{
	const char *p = path + (*path == '.');
	const cJSON *v = obj;
	*out = NULL;
	for (;;) {
		size_t n = strcspn(p, ".");
		if (!v || cJSON_IsNull(v))
			return 0;
		if (!cJSON_IsObject(v)) {
			type_error(err, path, (size_t)(p + n - path), v, "map[string]interface{}");
			return -EINVAL;
		}
		char *key = xstrndup(p, n);
		v = cJSON_GetObjectItemCaseSensitive(v, key);
		free(key);
		if (!p[n])
			break;
		p += n + 1;
	}
	*out = v;
	return 0;
}

/* upstream's NestedInt64: 0 with *found and *out, or -EINVAL with err. */
static int nested_int(const cJSON *obj, const char *path, int64_t *out, int *found, struct buf *err)
{
	const cJSON *v;
	*out = 0, *found = 0;
	if (nested(obj, path, &v, err) < 0)
		return -EINVAL;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || fabs(v->valuedouble) > 9.2e18) {
		type_error(err, path, strlen(path), v, "int64");
		return -EINVAL;
	}
	*out = (int64_t)v->valuedouble, *found = 1;
	return 0;
}

/* upstream's NestedString: 0 with *out (borrowed, "" when not found), or -EINVAL with err. */
static int nested_string(const cJSON *obj, const char *path, const char **out, struct buf *err)
{
	const cJSON *v;
	*out = "";
	if (nested(obj, path, &v, err) < 0)
		return -EINVAL;
	if (!v)
		return 0;
	if (!cJSON_IsString(v)) {
		type_error(err, path, strlen(path), v, "string");
		return -EINVAL;
	}
	*out = v->valuestring;
	return 0;
}

/* ---- the Scale of an object ------------------------------------------------------------------ */

/* The LabelSelector of a spec.selector (caller frees): a copy, or for a ReplicationController's
 * label map (neither matchLabels nor matchExpressions, some string values) {"matchLabels": map}. */
static cJSON *label_selector(const cJSON *sel)
{
	const cJSON *e;
	int map = cJSON_IsObject(sel) && !json_obj(sel, "matchLabels") && !cJSON_GetObjectItemCaseSensitive(sel, "matchExpressions");
	cJSON_ArrayForEach(e, sel)
		map = map && cJSON_IsString(e);
	if (!map || !cJSON_GetArraySize(sel))
		return sel ? cJSON_Duplicate(sel, 1) : NULL;
	cJSON *ls = cJSON_CreateObject();
	json_set(ls, "matchLabels", cJSON_Duplicate(sel, 1));
	return ls;
}

/* Appends the selector string of a built-in object's spec.selector ("" when it has none). */
static void builtin_selector(const cJSON *obj, struct buf *out)
{
	struct selector sel;
	cJSON *ls = label_selector(json_getv(obj, "spec", "selector", NULL));
	if (selector_from_json(ls, &sel, NULL) == 0) {
		selector_string(&sel, out);
		selector_release(&sel);
	}
	cJSON_Delete(ls);
}

/* A new Scale with obj's metadata. */
static cJSON *scale_new(const cJSON *obj)
{
	static const char *const meta_keys[] = { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" };
	cJSON *sc = cJSON_CreateObject(), *meta;
	const cJSON *om = json_obj(obj, "metadata");
	json_set_str(sc, "kind", "Scale");
	json_set_str(sc, "apiVersion", "autoscaling/v1");
	meta = json_obj_force(sc, "metadata");
	for (size_t i = 0; i < ARRAY_SIZE(meta_keys); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(om, meta_keys[i]);
		if (v)
			json_set(meta, meta_keys[i], cJSON_Duplicate(v, 1));
	}
	return sc;
}

int scale_of(const struct kind *k, const cJSON *obj, int lenient, cJSON **out, struct buf *err)
{
	struct scale_paths p;
	struct buf sel = BUF_INIT;
	const char *s = "";
	int64_t want, have;
	int found, dummy;
	*out = NULL;
	scale_paths_of(k, &p);
	if (nested_int(obj, p.spec_replicas, &want, &found, err) < 0 ||
	    nested_int(obj, p.status_replicas, &have, &dummy, err) < 0 ||
	    (p.custom && p.selector && *p.selector && nested_string(obj, p.selector, &s, err) < 0))
		return -EINVAL;
	if (!found && p.custom && !lenient) {
		buf_addf(err, "the spec replicas field \"%s\" does not exist", p.spec_replicas);
		return -ENOENT;
	}
	if (!found)
		want = p.custom ? SCALE_NO_REPLICAS : 1;
	if (!p.custom)
		builtin_selector(obj, &sel);
	else
		buf_adds(&sel, s);
	cJSON *sc = scale_new(obj), *st;
	json_set_int(json_obj_force(sc, "spec"), "replicas", (int32_t)want);
	st = json_obj_force(sc, "status");
	json_set_int(st, "replicas", (int32_t)have);
	if (sel.len)
		json_set_str(st, "selector", buf_str(&sel));
	buf_release(&sel);
	*out = sc;
	return 0;
}

/* ---- writing a Scale back -------------------------------------------------------------------- */

int scale_set_replicas(const struct kind *k, cJSON *obj, int64_t n, struct buf *err)
{
	struct scale_paths p;
	scale_paths_of(k, &p);
	const char *path = p.spec_replicas, *s = path + (*path == '.');
	cJSON *m = obj;
	for (;;) {
		size_t len = strcspn(s, ".");
		char *key = xstrndup(s, len);
		if (!s[len]) {
			json_set_int(m, key, n);
			free(key);
			return 0;
		}
		cJSON *v = cJSON_GetObjectItemCaseSensitive(m, key);
		if (v && !cJSON_IsNull(v) && !cJSON_IsObject(v)) {
			buf_addf(err, "value cannot be set because %.*s is not a map[string]interface{}", (int)(s + len - path), path);
			free(key);
			return -EINVAL;
		}
		m = json_obj_force(m, key);
		free(key);
		s += len + 1;
	}
}

/* One replicas field of upstream's ValidateScaleSpec/ValidateScaleStatus. */
static void validate_replicas(const cJSON *obj, const char *path, struct field_errors *errs)
{
	struct buf why = BUF_INIT;
	int64_t n;
	int found;
	if (nested_int(obj, path, &n, &found, &why) < 0) {
		cJSON *zero = cJSON_CreateNumber(0);
		field_errors_add(errs, FE_INVALID, path, zero, "%s", buf_str(&why));
		cJSON_Delete(zero);
	} else if (n < 0 || n > INT32_MAX) {
		cJSON *bad = cJSON_CreateNumber((double)n);
		if (n < 0)
			field_errors_add(errs, FE_INVALID, path, bad, "should be a non-negative integer");
		else
			field_errors_add(errs, FE_INVALID, path, bad, "should be less than or equal to %d", INT32_MAX);
		cJSON_Delete(bad);
	}
	buf_release(&why);
}

void scale_validate_custom(const struct kind *k, const cJSON *obj, int status_only, struct field_errors *errs)
{
	struct scale_paths p;
	struct buf why = BUF_INIT;
	const char *s;
	if (!(k->flags & KIND_CUSTOM) || !(k->flags & KIND_SCALE))
		return;
	scale_paths_of(k, &p);
	if (!p.custom)
		return;
	if (!status_only)
		validate_replicas(obj, p.spec_replicas, errs);
	validate_replicas(obj, p.status_replicas, errs);
	if (p.selector && *p.selector && nested_string(obj, p.selector, &s, &why) < 0)
		field_errors_add_str(errs, FE_INVALID, p.selector, "", "%s", buf_str(&why));
	buf_release(&why);
}
