/*
 * patch.c - JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over cJSON trees, with the
 * behaviour and messages of evanphx/json-patch v4, which the Kubernetes API server uses.
 *
 * DESIGN
 * A JSON Patch is applied to a duplicate of the document and swapped in only when every operation
 * succeeded, so a failing patch leaves the caller's tree untouched. Paths are resolved the way
 * v4's findObject does: split on '/', ignore what precedes the first '/', walk every segment but
 * the last through objects and arrays (a null or scalar on the way means "missing path"), and
 * hand the container and the decoded last segment ("~1" -> '/', "~0" -> '~') to one of four
 * container operations (get, add, remove, replace) that carry v4's array rules: Go's Atoi for
 * indices (so "01" and "+1" are accepted), negative indices counted from the end, "-" appends
 * for add only. v4's quirks are kept on purpose: replace of a missing object member adds it,
 * add with no "value" inserts null, copy from a missing member copies null, and a whole-document
 * replace with a scalar is ignored. "test" compares values semantically (key order ignored,
 * numbers by value), where v4 compares scalars by their text. Only "copy" is charged against
 * the 3 MiB budget (by the size of the copied value's compact JSON), as upstream does. Nesting
 * is capped at JSON_PATCH_MAX_DEPTH so that a patch cannot build a tree that recursive code
 * (printing, freeing) would choke on.
 *
 * The merge patch follows v4's MergePatch: nulls in the patch delete, objects merge, and
 * values that are added have their nulls pruned, including null array elements.
 */
#include "patch.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "server/validate.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define JSON_PATCH_MAX_DEPTH 256 /* as lib/json.c's parser limit */

/* ---- helpers ------------------------------------------------------------------------------ */

/* The JSON type name Go's decoder reports in an UnmarshalTypeError. */
static const char *json_kind(const cJSON *v)
{
	return cJSON_IsString(v) ? "string" : cJSON_IsNumber(v) ? "number" : cJSON_IsBool(v) ? "bool" :
	       cJSON_IsArray(v)	 ? "array"  : "object";
}

/* obj[name], the last one when repeated (Go's map decoding keeps the last). */
static const cJSON *last_member(const cJSON *obj, const char *name)
{
	const cJSON *it, *found = NULL;
	cJSON_ArrayForEach(it, obj)
		if (it->string && !strcmp(it->string, name))
			found = it;
	return found;
}

/* Parses s as Go's strconv.Atoi (optional sign, decimal digits, int64 range). Returns 0, or -1
 * with Go's error text appended to err. */
static int go_atoi(const char *s, long long *out, struct buf *err)
{
	const char *p = s, *why = NULL;
	uint64_t n = 0;
	int neg = *p == '-';
	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		why = "invalid syntax";
	for (; *p && !why; p++) {
		if (*p < '0' || *p > '9')
			why = "invalid syntax";
		else if (n > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			why = "value out of range";
		else
			n = n * 10 + (uint64_t)(*p - '0');
	}
	if (!why && n > (uint64_t)INT64_MAX + (uint64_t)neg)
		why = "value out of range";
	if (why) {
		buf_adds(err, "strconv.Atoi: parsing ");
		field_quote(err, s);
		buf_addf(err, ": %s", why);
		return -1;
	}
	*out = neg ? (long long)(0 - n) : (long long)n;
	return 0;
}

/* Nesting depth of v (scalars 0), counted no further than cap + 1. */
static int json_depth(const cJSON *v, int cap)
{
	const cJSON *c;
	int max = 0;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return 0;
	if (cap <= 0)
		return 1;
	cJSON_ArrayForEach(c, v) {
		int d = json_depth(c, cap - 1);
		if (d > max)
			max = d;
	}
	return 1 + max;
}

/* Deep equality: same types, numbers by value, objects regardless of member order. */
static int json_equal(const cJSON *a, const cJSON *b)
{
	const cJSON *x;
	if ((a->type & 0xff) != (b->type & 0xff))
		return 0;
	if (cJSON_IsNumber(a))
		return a->valuedouble == b->valuedouble;
	if (cJSON_IsString(a))
		return !strcmp(a->valuestring, b->valuestring);
	if (cJSON_IsArray(a)) {
		const cJSON *y = b->child;
		for (x = a->child; x && y; x = x->next, y = y->next)
			if (!json_equal(x, y))
				return 0;
		return !x && !y;
	}
	if (cJSON_IsObject(a)) {
		if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
			return 0;
		cJSON_ArrayForEach(x, a) {
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !json_equal(x, y))
				return 0;
		}
	}
	return 1;
}

/* Decodes a JSON Pointer segment: "~1" is '/', "~0" is '~', left to right. */
static char *decode_segment(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '~' && i + 1 < n && (s[i + 1] == '1' || s[i + 1] == '0'))
			*o++ = s[++i] == '1' ? '/' : '~';
		else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* ---- containers (v4's partialDoc and partialArray) --------------------------------------- */

static void invalid_index(struct buf *err, long long idx)
{
	buf_addf(err, "Unable to access invalid index: %lld: invalid index referenced", idx);
}

/* Reads con[key] into *val (NULL when absent or null). Returns 0, or -1 with the error in err. */
static int container_get(cJSON *con, const char *key, cJSON **val, struct buf *err)
{
	long long idx, n = cJSON_GetArraySize(con);
	cJSON *v;
	*val = NULL;
	if (cJSON_IsObject(con)) {
		v = cJSON_GetObjectItemCaseSensitive(con, key);
		*val = cJSON_IsNull(v) ? NULL : v;
		return 0;
	}
	if (go_atoi(key, &idx, err) < 0)
		return -1;
	if (idx < 0) {
		if (idx < -n) {
			invalid_index(err, idx);
			return -1;
		}
		idx += n;
	}
	if (idx >= n) {
		invalid_index(err, idx);
		return -1;
	}
	v = cJSON_GetArrayItem(con, (int)idx);
	*val = cJSON_IsNull(v) ? NULL : v;
	return 0;
}

/* Inserts item before the element at idx (0 <= idx < size). cJSON keeps child->prev pointing at
 * the last element; the library's own insert is not relied upon (it refuses some inserts). */
static void array_insert(cJSON *arr, int idx, cJSON *item)
{
	cJSON *after = cJSON_GetArrayItem(arr, idx);
	item->next = after;
	item->prev = after->prev;
	if (after == arr->child)
		arr->child = item;
	else
		after->prev->next = item;
	after->prev = item;
}

/* Adds item (owned; NULL stands for null) at con[key]: sets an object member, inserts into an
 * array ("-" appends). Returns 0, or -1 with the error in err (item freed). */
static int container_add(cJSON *con, const char *key, cJSON *item, struct buf *err)
{
	long long idx, n = cJSON_GetArraySize(con);
	if (!item)
		item = cJSON_CreateNull();
	if (cJSON_IsObject(con)) {
		if (cJSON_GetObjectItemCaseSensitive(con, key))
			cJSON_ReplaceItemInObjectCaseSensitive(con, key, item);
		else
			cJSON_AddItemToObject(con, key, item);
		return 0;
	}
	if (!strcmp(key, "-")) {
		cJSON_AddItemToArray(con, item);
		return 0;
	}
	struct buf why = BUF_INIT;
	int rc = go_atoi(key, &idx, &why);
	if (rc < 0)
		buf_addf(err, "value was not a proper array index: '%s': %s", key, buf_str(&why));
	else if (idx > n || idx < -(n + 1))
		invalid_index(err, idx);
	buf_release(&why);
	if (rc < 0 || idx > n || idx < -(n + 1)) {
		cJSON_Delete(item);
		return -1;
	}
	if (idx < 0)
		idx += n + 1;
	if (idx == n)
		cJSON_AddItemToArray(con, item);
	else
		array_insert(con, (int)idx, item);
	return 0;
}

/* Removes con[key]; the item is returned in *out (caller frees) or freed when out is NULL. */
static int container_remove(cJSON *con, const char *key, cJSON **out, struct buf *err)
{
	long long idx, n = cJSON_GetArraySize(con);
	cJSON *item;
	if (cJSON_IsObject(con)) {
		item = cJSON_DetachItemFromObjectCaseSensitive(con, key);
		if (!item) {
			buf_addf(err, "Unable to remove nonexistent key: %s: missing value", key);
			return -1;
		}
	} else {
		if (go_atoi(key, &idx, err) < 0)
			return -1;
		if (idx >= n || idx < -n) {
			invalid_index(err, idx);
			return -1;
		}
		item = cJSON_DetachItemFromArray(con, (int)(idx < 0 ? idx + n : idx));
	}
	if (out)
		*out = item;
	else
		cJSON_Delete(item);
	return 0;
}

/* Replaces con[key] (known to be readable) with item (owned; NULL stands for null). */
static void container_set(cJSON *con, const char *key, cJSON *item)
{
	long long idx = 0, n = cJSON_GetArraySize(con);
	struct buf ignore = BUF_INIT;
	if (!item)
		item = cJSON_CreateNull();
	if (cJSON_IsObject(con)) {
		if (cJSON_GetObjectItemCaseSensitive(con, key))
			cJSON_ReplaceItemInObjectCaseSensitive(con, key, item);
		else
			cJSON_AddItemToObject(con, key, item);
	} else {
		go_atoi(key, &idx, &ignore);
		cJSON_ReplaceItemInArray(con, (int)(idx < 0 ? idx + n : idx), item);
	}
	buf_release(&ignore);
}

/* Finds the container of path's last segment (v4's findObject). Returns it and the decoded last
 * segment in *key (caller frees), or NULL when the path does not lead to a container. */
static cJSON *find_container(cJSON *root, const char *path, char **key)
{
	const char *seg = strchr(path, '/'), *next;
	cJSON *cur = root;
	*key = NULL;
	if (!seg)
		return NULL;
	for (seg++; (next = strchr(seg, '/')); seg = next + 1) {
		struct buf ignore = BUF_INIT;
		char *k = decode_segment(seg, (size_t)(next - seg));
		cJSON *child = NULL;
		int rc = container_get(cur, k, &child, &ignore);
		free(k);
		buf_release(&ignore);
		if (rc < 0 || (!cJSON_IsObject(child) && !cJSON_IsArray(child)))
			return NULL;
		cur = child;
	}
	*key = decode_segment(seg, strlen(seg));
	return cur;
}

/* ---- JSON Patch operations ---------------------------------------------------------------- */

/* The document being patched (a private copy) and the bytes copied so far. */
struct patch_state {
	cJSON *root;
	long long copied;
};

/* Drops the member name a detached or duplicated item still carries, so that it can go into
 * an array. Returns item. */
static cJSON *unnamed(cJSON *item)
{
	if (item && item->string && !(item->type & cJSON_StringIsConst))
		free(item->string);
	if (item)
		item->string = NULL;
	return item;
}

/* A copy of the operation's "value" to insert; NULL (null) when it is null or absent. */
static cJSON *op_value_copy(const cJSON *op)
{
	const cJSON *v = last_member(op, "value");
	return v && !cJSON_IsNull(v) ? unnamed(cJSON_Duplicate(v, 1)) : NULL;
}

/* Operation.Path() / From(): the pointer string, or NULL with Go's error text in why. */
static const char *op_pointer(const cJSON *op, const char *name, struct buf *why)
{
	const cJSON *v = last_member(op, name);
	buf_reset(why);
	if (!v || cJSON_IsNull(v)) {
		buf_adds(why, !strcmp(name, "path") ? "operation missing path field: missing value" :
						      "operation, missing from field: missing value");
		return NULL;
	}
	if (!cJSON_IsString(v)) {
		buf_addf(why, "json: cannot unmarshal %s into Go value of type string", json_kind(v));
		return NULL;
	}
	return v->valuestring;
}

/* Refuses to nest item at path deeper than JSON_PATCH_MAX_DEPTH. */
static int check_depth(const char *path, const cJSON *item, struct buf *err)
{
	int depth = 0;
	for (const char *p = path; *p && depth <= JSON_PATCH_MAX_DEPTH; p++)
		depth += *p == '/';
	if (depth + json_depth(item, JSON_PATCH_MAX_DEPTH) <= JSON_PATCH_MAX_DEPTH)
		return 0;
	buf_addf(err, "the patched document would be nested deeper than %d levels", JSON_PATCH_MAX_DEPTH);
	return -1;
}

static int op_add(struct patch_state *st, const cJSON *op, struct buf *err)
{
	struct buf why = BUF_INIT;
	char *key = NULL;
	cJSON *con, *item = NULL;
	int rc = -1;
	const char *path = op_pointer(op, "path", &why);
	if (!path) {
		buf_adds(err, "add operation failed to decode path: missing value");
		goto out;
	}
	if (!(con = find_container(st->root, path, &key))) {
		buf_addf(err, "add operation does not apply: doc is missing path: \"%s\": missing value", path);
		goto out;
	}
	item = op_value_copy(op);
	if (check_depth(path, item, err) < 0)
		goto out;
	buf_reset(&why);
	rc = container_add(con, key, item, &why);
	item = NULL;
	if (rc < 0)
		buf_addf(err, "error in add for path: '%s': %s", path, buf_str(&why));
out:
	cJSON_Delete(item);
	free(key);
	buf_release(&why);
	return rc;
}

static int op_remove(struct patch_state *st, const cJSON *op, struct buf *err)
{
	struct buf why = BUF_INIT;
	char *key = NULL;
	cJSON *con;
	int rc = -1;
	const char *path = op_pointer(op, "path", &why);
	if (!path) {
		buf_adds(err, "remove operation failed to decode path: missing value");
		goto out;
	}
	if (!(con = find_container(st->root, path, &key))) {
		buf_addf(err, "remove operation does not apply: doc is missing path: \"%s\": missing value", path);
		goto out;
	}
	buf_reset(&why);
	if ((rc = container_remove(con, key, NULL, &why)) < 0)
		buf_addf(err, "error in remove for path: '%s': %s", path, buf_str(&why));
out:
	free(key);
	buf_release(&why);
	return rc;
}

/* replace with path "": an object or array value becomes the document; v4 ignores others. */
static int replace_root(struct patch_state *st, const cJSON *op, struct buf *err)
{
	const cJSON *v = last_member(op, "value");
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return 0;
	if (check_depth("", v, err) < 0)
		return -1;
	cJSON_Delete(st->root);
	st->root = unnamed(cJSON_Duplicate(v, 1));
	return 0;
}

static int op_replace(struct patch_state *st, const cJSON *op, struct buf *err)
{
	struct buf why = BUF_INIT;
	char *key = NULL;
	cJSON *con, *cur, *item = NULL;
	int rc = -1;
	const char *path = op_pointer(op, "path", &why);
	if (!path) {
		buf_addf(err, "replace operation failed to decode path: %s", buf_str(&why));
		goto out;
	}
	if (!*path) {
		rc = replace_root(st, op, err);
		goto out;
	}
	if (!(con = find_container(st->root, path, &key))) {
		buf_addf(err, "replace operation does not apply: doc is missing path: %s: missing value", path);
		goto out;
	}
	if (container_get(con, key, &cur, &why) < 0) {
		buf_addf(err, "replace operation does not apply: doc is missing key: %s: missing value", path);
		goto out;
	}
	item = op_value_copy(op);
	if (check_depth(path, item, err) < 0)
		goto out;
	container_set(con, key, item);
	item = NULL;
	rc = 0;
out:
	cJSON_Delete(item);
	free(key);
	buf_release(&why);
	return rc;
}

static int op_move(struct patch_state *st, const cJSON *op, struct buf *err)
{
	struct buf why = BUF_INIT;
	char *key = NULL, *to_key = NULL;
	cJSON *con, *val, *item = NULL;
	const char *path, *from = op_pointer(op, "from", &why);
	int rc = -1;
	if (!from) {
		buf_addf(err, "move operation failed to decode from: %s", buf_str(&why));
		goto out;
	}
	if (!(con = find_container(st->root, from, &key))) {
		buf_addf(err, "move operation does not apply: doc is missing from path: %s: missing value", from);
		goto out;
	}
	buf_reset(&why);
	if (container_get(con, key, &val, &why) < 0 || container_remove(con, key, &item, &why) < 0) {
		buf_addf(err, "error in move for path: '%s': %s", key, buf_str(&why));
		goto out;
	}
	if (!(path = op_pointer(op, "path", &why))) {
		buf_addf(err, "move operation failed to decode path: %s", buf_str(&why));
		goto out;
	}
	if (!(con = find_container(st->root, path, &to_key))) {
		buf_addf(err, "move operation does not apply: doc is missing destination path: %s: missing value", path);
		goto out;
	}
	if (check_depth(path, item, err) < 0)
		goto out;
	buf_reset(&why);
	rc = container_add(con, to_key, unnamed(item), &why);
	item = NULL;
	if (rc < 0)
		buf_addf(err, "error in move for path: '%s': %s", path, buf_str(&why));
out:
	cJSON_Delete(item);
	free(key);
	free(to_key);
	buf_release(&why);
	return rc;
}

/* Does the document's value (NULL: absent or null) equal the operation's "value"? */
static int test_equal(const cJSON *have, const cJSON *op)
{
	const cJSON *want = last_member(op, "value");
	if (!have)
		return cJSON_IsNull(want);
	return want && json_equal(have, want);
}

static int op_test(struct patch_state *st, const cJSON *op, struct buf *err)
{
	struct buf why = BUF_INIT;
	char *key = NULL;
	cJSON *con, *val;
	int rc = -1;
	const char *path = op_pointer(op, "path", &why);
	if (!path) {
		buf_addf(err, "test operation failed to decode path: %s", buf_str(&why));
		goto out;
	}
	if (!*path) {
		val = st->root;
	} else if (!(con = find_container(st->root, path, &key))) {
		buf_addf(err, "test operation does not apply: is missing path: %s: missing value", path);
		goto out;
	} else if (buf_reset(&why), container_get(con, key, &val, &why) < 0) {
		buf_addf(err, "error in test for path: '%s': %s", path, buf_str(&why));
		goto out;
	}
	if (test_equal(val, op))
		rc = 0;
	else
		buf_addf(err, "testing value %s failed: test failed", path);
out:
	free(key);
	buf_release(&why);
	return rc;
}

/* Charges the compact size of val (0 for null) to the copy budget. */
static int charge_copy(struct patch_state *st, const cJSON *val, struct buf *err)
{
	char *s = val ? cJSON_PrintUnformatted(val) : NULL;
	st->copied += s ? (long long)strlen(s) : 0;
	free(s);
	if (st->copied <= JSON_PATCH_MAX_COPY)
		return 0;
	buf_addf(err,
		 "Unable to complete the copy, the accumulated size increase of copy is %lld, exceeding the limit %d",
		 st->copied, JSON_PATCH_MAX_COPY);
	return -1;
}

static int op_copy(struct patch_state *st, const cJSON *op, struct buf *err)
{
	struct buf why = BUF_INIT;
	char *key = NULL, *to_key = NULL;
	cJSON *con, *val, *item = NULL;
	const char *path, *from = op_pointer(op, "from", &why);
	int rc = -1;
	if (!from) {
		buf_addf(err, "copy operation failed to decode from: %s", buf_str(&why));
		goto out;
	}
	if (!(con = find_container(st->root, from, &key))) {
		buf_addf(err, "copy operation does not apply: doc is missing from path: %s: missing value", from);
		goto out;
	}
	if (buf_reset(&why), container_get(con, key, &val, &why) < 0) {
		buf_addf(err, "error in copy for from: '%s': %s", from, buf_str(&why));
		goto out;
	}
	if (!(path = op_pointer(op, "path", &why))) {
		buf_adds(err, "copy operation failed to decode path: missing value");
		goto out;
	}
	if (!(con = find_container(st->root, path, &to_key))) {
		buf_addf(err, "copy operation does not apply: doc is missing destination path: %s: missing value", path);
		goto out;
	}
	if (charge_copy(st, val, err) < 0 || check_depth(path, val, err) < 0)
		goto out;
	item = val ? unnamed(cJSON_Duplicate(val, 1)) : NULL;
	buf_reset(&why);
	rc = container_add(con, to_key, item, &why);
	item = NULL;
	if (rc < 0)
		buf_addf(err, "error while adding value during copy: %s", buf_str(&why));
out:
	cJSON_Delete(item);
	free(key);
	free(to_key);
	buf_release(&why);
	return rc;
}

static int apply_op(struct patch_state *st, const cJSON *op, struct buf *err)
{
	static const struct {
		const char *name;
		int (*fn)(struct patch_state *st, const cJSON *op, struct buf *err);
	} ops[] = { { "add", op_add },	 { "remove", op_remove }, { "replace", op_replace },
		    { "move", op_move }, { "test", op_test },	  { "copy", op_copy } };
	const cJSON *kind = last_member(op, "op");
	const char *k = cJSON_IsString(kind) ? kind->valuestring : "unknown";
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(k, ops[i].name))
			return ops[i].fn(st, op, err);
	buf_addf(err, "Unexpected kind: %s", k);
	return -1;
}

int json_patch_check(const cJSON *patch, struct buf *err)
{
	const cJSON *op;
	int n = 0;
	if (!patch || cJSON_IsNull(patch))
		return 0;
	if (!cJSON_IsArray(patch)) {
		if (err)
			buf_addf(err, "json: cannot unmarshal %s into Go value of type jsonpatch.Patch", json_kind(patch));
		return -KUBE_EINVAL;
	}
	cJSON_ArrayForEach(op, patch) {
		if (!cJSON_IsObject(op) && !cJSON_IsNull(op)) {
			if (err)
				buf_addf(err, "json: cannot unmarshal %s into Go value of type jsonpatch.Operation",
					 json_kind(op));
			return -KUBE_EINVAL;
		}
		n++;
	}
	if (n > JSON_PATCH_MAX_OPS) {
		if (err)
			buf_addf(err, "The allowed maximum operations in a JSON patch is %d, got %d", JSON_PATCH_MAX_OPS, n);
		return -E2BIG;
	}
	return 0;
}

int json_patch_apply(cJSON **doc, const cJSON *patch, struct buf *err)
{
	struct patch_state st = { NULL, 0 };
	struct buf msg = BUF_INIT;
	const cJSON *op;
	int rc = json_patch_check(patch, err);
	if (rc < 0)
		return rc;
	if (!cJSON_IsObject(*doc) && !cJSON_IsArray(*doc)) {
		buf_addf(&msg, "json: cannot unmarshal %s into Go value of type jsonpatch.partialDoc",
			 *doc && !cJSON_IsNull(*doc) ? json_kind(*doc) : "null");
		rc = -KUBE_EINVAL;
		goto out;
	}
	st.root = cJSON_Duplicate(*doc, 1);
	cJSON_ArrayForEach(op, patch) {
		if (apply_op(&st, op, &msg) < 0) {
			rc = -KUBE_EINVAL;
			goto out;
		}
	}
	cJSON_Delete(*doc);
	*doc = st.root;
	st.root = NULL;
out:
	if (rc < 0 && err)
		buf_add(err, buf_str(&msg), msg.len);
	cJSON_Delete(st.root);
	buf_release(&msg);
	return rc;
}

/* ---- JSON Merge Patch --------------------------------------------------------------------- */

/* v4's pruneNulls: removes null members and null array elements, recursively. */
static void prune_nulls(cJSON *v)
{
	cJSON *c = cJSON_IsObject(v) || cJSON_IsArray(v) ? v->child : NULL, *next;
	for (; c; c = next) {
		next = c->next;
		if (cJSON_IsNull(c))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
		else
			prune_nulls(c);
	}
}

/* Sets obj[key] to item (owned), in place when the member exists. */
static void set_member(cJSON *obj, const char *key, cJSON *item)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
	else
		cJSON_AddItemToObject(obj, key, item);
}

/* v4's mergeDocs: null deletes; a new or null member takes the pruned patch value; an object
 * merges into an object; anything else replaces (pruned only when the old value is no object). */
static void merge_objects(cJSON *doc, const cJSON *patch)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, patch) {
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(doc, p->string), *v;
		if (cJSON_IsNull(p)) {
			cJSON_DeleteItemFromObjectCaseSensitive(doc, p->string);
		} else if (cJSON_IsObject(cur) && cJSON_IsObject(p)) {
			merge_objects(cur, p);
		} else {
			v = cJSON_Duplicate(p, 1);
			if (!cJSON_IsObject(cur))
				prune_nulls(v);
			set_member(doc, p->string, v);
		}
	}
}

int merge_patch_apply(cJSON **doc, const cJSON *patch)
{
	cJSON *v;
	if (!*doc || cJSON_IsNull(*doc))
		return -KUBE_EINVAL; /* "Invalid JSON Document" */
	if (!cJSON_IsObject(patch) && !cJSON_IsArray(patch))
		return -KUBE_EINVAL; /* "Invalid JSON Patch" */
	if (cJSON_IsObject(patch) && cJSON_IsObject(*doc)) {
		merge_objects(*doc, patch);
		return 0;
	}
	v = unnamed(cJSON_Duplicate(patch, 1));
	prune_nulls(v);
	cJSON_Delete(*doc);
	*doc = v;
	return 0;
}
