/*
 * smp.c - strategic merge patch as the Kubernetes API server applies it (see smp.h).
 *
 * DESIGN
 * The code keeps the shape of upstream's apply path (mergeMap, mergePatchIntoOriginal,
 * mergeSlice and its ordering helpers) because the result depends on the exact sequence of steps,
 * not only on the documented rules. Three things are modelled on purpose:
 *
 *   Go values. Documents and patches are handled as Go's decoded JSON (map, []interface{},
 *   string, int64 for integral numbers, float64, bool, nil): values compare with Go's == (values
 *   of different types are unequal; comparing two maps or two lists makes Go panic, reported as
 *   -EFAULT), and messages print values as fmt's %v does (maps with sorted keys), so that errors
 *   read as upstream's.
 *
 *   Go slices. Upstream deletes list elements with append(s[:i], s[i+1:]...) and adds them with
 *   append(), which write into the backing array of the very list that $setElementOrder then uses
 *   as "the order on the server". That aliasing decides where server-only elements land when one
 *   patch deletes and adds elements (as kubectl apply's patches do), so list elements are held in
 *   struct gs views over shared backing arrays with Go's len/cap rules. For scalar lists the
 *   aliasing also depends on the spare capacity the server's decoder left; this code assumes
 *   none, which is exact unless the stored list already holds duplicates.
 *
 *   Typed round trip. Upstream converts the merged map back to the Go struct, which drops what a
 *   struct cannot hold: directive keys left inside values taken from the patch and null members.
 *   Values taken from the patch are cleaned the same way (sanitize()) when they enter the
 *   document, so that directive keys never end up in the result.
 *
 * Go iterates maps in random order; here the keys of a patch object are processed in patch order,
 * with its "$deleteFromPrimitiveList/..." lists after its other keys. New keys are appended to an
 * object; replaced ones keep their place. Keys the schema does not know get the schema SS_FREE
 * (objects merge, lists and scalars replace): upstream never meets them in a stored object, which
 * its typed decoding has pruned, while ours may hold them.
 *
 * Ownership: smp_apply works on copies of the document and of the patch and swaps the result in
 * only on success. Values taken from the patch are copied into the document (upstream shares them,
 * and reads patch elements again after merging them). While a list is merged, its elements (the
 * document's and the patch's) are detached into a holding array (struct smp.grave) and
 * re-attached in their final order; whatever is left there is freed at the end, as are the backing
 * arrays of the slice views (struct smp.mem), so views may point at elements no list holds.
 */
#include "smp.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "server/patch.h"
#include "server/schema.h"
#include "server/validate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E400 (-KUBE_EINVAL) /* upstream answers 400 BadRequest */
#define E422 (-ENOTSUP)     /* ErrNoListOfLists: 422 */
#define E500 (-EBADMSG)     /* an error upstream does not convert: 500 */
#define EPANIC (-EFAULT)    /* upstream's code panics: 500 */

static const char PATCH_KEY[] = "$patch";
static const char RETAIN_KEYS[] = "$retainKeys";
static const char SET_ORDER[] = "$setElementOrder";
static const char DELETE_PRIM[] = "$deleteFromPrimitiveList";
static const char MAP_TYPE[] = "map[string]interface {}";
static const char LIST_TYPE[] = "[]interface {}";
static const char NIL_PANIC[] = "runtime error: invalid memory address or nil pointer dereference";

/* The state of one smp_apply call. Owns msg, grave and every array in mem. */
struct smp {
	struct buf msg; /* the error message (one error stops the patch) */
	cJSON *grave;   /* list elements between list_take() and list_put(), and leftovers */
	cJSON ***mem;   /* backing arrays of slice views */
	size_t nmem, capmem;
};

/* A Go slice of values: len elements of a backing array with room for cap, which other views may
 * share (so that writes through one are seen through the others, as in Go). a is NULL for nil. */
struct gs {
	cJSON **a;
	size_t len, cap;
};

enum ss_kind {
	SS_FREE,   /* not in the schema: merge like a JSON merge patch */
	SS_STRUCT, /* an object of type */
	SS_MAP,    /* the map[string]T that field declares */
	SS_LIST,   /* the list that field declares */
	SS_SCALAR, /* a scalar of field->kind */
	SS_OPAQUE, /* a struct whose members upstream cannot look up (RawExtension, ST_ANY types) */
};

/* Where a value sits in the schema: upstream's LookupPatchMeta. */
struct smp_schema {
	enum ss_kind kind;
	const struct sch_type *type;   /* SS_STRUCT; SS_OPAQUE (NULL: RawExtension) */
	const struct sch_field *field; /* SS_MAP, SS_LIST, SS_SCALAR */
};

/* A field's patch tags: patchStrategy merge, and patchMergeKey ("" for none). */
struct smp_meta {
	int merge;
	const char *key;
};

static int merge_map(struct smp *st, cJSON *orig, cJSON *patch, struct smp_schema s);

/* ---- Go values ---------------------------------------------------------------------------- */

/* The Go types of decoded JSON; numbers are int64 when integral (the API server decodes patches
 * preserving integers, and the document's integers are int64 fields). */
enum gt { GT_NIL, GT_BOOL, GT_INT, GT_FLOAT, GT_STRING, GT_MAP, GT_LIST };

/* reflect.TypeOf(v) as %s prints it (a nil Type prints as a bad verb). */
static const char *const gt_names[] = { "%!s(<nil>)", "bool", "int64", "float64", "string", MAP_TYPE, LIST_TYPE };

/* Is d a value Go's integer-preserving decoder yields as int64? */
static int is_int64(double d)
{
	return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(long long)d;
}

/* The Go type of v as decoded JSON (NULL and JSON null are nil). */
static enum gt gtype(const cJSON *v)
{
	if (cJSON_IsBool(v))
		return GT_BOOL;
	if (cJSON_IsNumber(v))
		return is_int64(v->valuedouble) ? GT_INT : GT_FLOAT;
	if (cJSON_IsString(v))
		return GT_STRING;
	if (cJSON_IsObject(v))
		return GT_MAP;
	return cJSON_IsArray(v) ? GT_LIST : GT_NIL;
}

/* Can v be a Go map key (maps and slices cannot)? */
static int hashable(const cJSON *v)
{
	return gtype(v) != GT_MAP && gtype(v) != GT_LIST;
}

/* Go's == on two values (NULL is nil): 1 or 0, or -1 where Go panics (two maps, two lists). */
static int go_equal(const cJSON *a, const cJSON *b)
{
	enum gt t = gtype(a);
	if (t != gtype(b))
		return 0;
	switch (t) {
	case GT_NIL:
		return 1;
	case GT_BOOL:
		return cJSON_IsTrue(a) == cJSON_IsTrue(b);
	case GT_INT:
	case GT_FLOAT:
		return a->valuedouble == b->valuedouble;
	case GT_STRING:
		return !strcmp(a->valuestring, b->valuestring);
	default:
		return -1;
	}
}

/* Appends v as Go's %v (strconv's shortest 'g') formats a float64. */
static void go_float(struct buf *b, double v)
{
	char s[40], dig[24];
	int prec, nd = 0, exp, dp;
	const char *p;
	for (prec = 1; prec < 17; prec++) {
		snprintf(s, sizeof(s), "%.*e", prec - 1, v);
		if (strtod(s, NULL) == v)
			break;
	}
	snprintf(s, sizeof(s), "%.*e", prec - 1, v);
	p = s;
	if (*p == '-')
		buf_addch(b, *p++);
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			dig[nd++] = *p;
	exp = *p ? atoi(p + 1) : 0;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	dp = exp + 1;
	if (exp < -4 || exp >= 6) {
		buf_addch(b, dig[0]);
		if (nd > 1)
			buf_addf(b, ".%.*s", nd - 1, dig + 1);
		buf_addf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
	} else if (dp <= 0) {
		buf_adds(b, "0.");
		for (int i = dp; i < 0; i++)
			buf_addch(b, '0');
		buf_add(b, dig, (size_t)nd);
	} else if (dp < nd) {
		buf_addf(b, "%.*s.%.*s", dp, dig, nd - dp, dig + dp);
	} else {
		buf_add(b, dig, (size_t)nd);
		for (int i = nd; i < dp; i++)
			buf_addch(b, '0');
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

static void go_print(struct buf *b, const cJSON *v, int verb);

/* A map as fmt prints it: "map[k1:v1 k2:v2]" with the keys sorted. */
static void go_print_map(struct buf *b, const cJSON *v, int verb)
{
	size_t n = 0, i;
	const cJSON *c, **kids;
	cJSON_ArrayForEach(c, v)
		n++;
	kids = xmalloc((n ? n : 1) * sizeof(*kids));
	n = 0;
	cJSON_ArrayForEach(c, v)
		kids[n++] = c;
	qsort(kids, n, sizeof(*kids), by_name);
	buf_adds(b, "map[");
	for (i = 0; i < n; i++) {
		buf_addf(b, "%s%s:", i ? " " : "", kids[i]->string);
		go_print(b, kids[i], verb);
	}
	buf_addch(b, ']');
	free(kids);
}

/* Appends v as Go's fmt prints it with verb 'v' or 's' (non-strings under %s print as
 * "%!s(int64=1)"). */
static void go_print(struct buf *b, const cJSON *v, int verb)
{
	enum gt t = gtype(v);
	const cJSON *c;
	if (verb == 's' && t != GT_STRING && t != GT_MAP && t != GT_LIST) {
		buf_addf(b, t == GT_NIL ? "%s" : "%%!s(%s=", gt_names[t]);
		if (t != GT_NIL)
			go_print(b, v, 'v'), buf_addch(b, ')');
		return;
	}
	switch (t) {
	case GT_NIL:
		buf_adds(b, "<nil>");
		break;
	case GT_BOOL:
		buf_adds(b, cJSON_IsTrue(v) ? "true" : "false");
		break;
	case GT_INT:
		buf_addf(b, "%lld", (long long)v->valuedouble);
		break;
	case GT_FLOAT:
		go_float(b, v->valuedouble);
		break;
	case GT_STRING:
		buf_adds(b, v->valuestring);
		break;
	case GT_MAP:
		go_print_map(b, v, verb);
		break;
	case GT_LIST:
		buf_addch(b, '[');
		cJSON_ArrayForEach(c, v) {
			if (c != v->child)
				buf_addch(b, ' ');
			go_print(b, c, verb);
		}
		buf_addch(b, ']');
		break;
	}
}

/* A slice as %v prints it: "[a b]" ("[]" for nil). */
static void go_print_gs(struct buf *b, const struct gs *s)
{
	buf_addch(b, '[');
	for (size_t i = 0; i < s->len; i++) {
		if (i)
			buf_addch(b, ' ');
		go_print(b, s->a[i], 'v');
	}
	buf_addch(b, ']');
}

/* ---- errors ------------------------------------------------------------------------------- */

static int fail(struct smp *st, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the error message and returns code. */
static int fail(struct smp *st, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&st->msg, fmt, ap);
	va_end(ap);
	return code;
}

/* A Go runtime panic on v ("comparing uncomparable type", "hash of unhashable type"). */
static int go_panic(struct smp *st, const char *what, const cJSON *v)
{
	return fail(st, EPANIC, "runtime error: %s %s", what, gt_names[gtype(v)]);
}

/* Go's == with its panic. */
static int equal(struct smp *st, const cJSON *a, const cJSON *b, int *eq)
{
	if ((*eq = go_equal(a, b)) < 0)
		return go_panic(st, "comparing uncomparable type", a);
	return 0;
}

/* mergepatch.ErrNoMergeKey */
static int err_no_merge_key(struct smp *st, const cJSON *m, const char *key)
{
	buf_adds(&st->msg, "map: ");
	go_print(&st->msg, m, 'v');
	buf_addf(&st->msg, " does not contain declared merge key: %s", key);
	return E500;
}

/* mergepatch.ErrBadArgType: expected is the Go type wanted. */
static int err_bad_arg_type(struct smp *st, const char *expected, const cJSON *actual)
{
	return fail(st, E500, "expected a %s, but received a %s", expected, gt_names[gtype(actual)]);
}

/* mergepatch.ErrBadPatchType */
static int err_bad_patch_type(struct smp *st, const cJSON *directive, const cJSON *m)
{
	buf_adds(&st->msg, "unknown patch type: ");
	go_print(&st->msg, directive, 's');
	buf_adds(&st->msg, " in map: ");
	go_print(&st->msg, m, 'v');
	return E500;
}

/* ---- the schema (upstream's PatchMetaFromStruct) ------------------------------------------ */

/* One value of field f: an element of its list, a value of its map, or the field itself. */
static struct smp_schema ss_item(const struct sch_field *f)
{
	if (f->kind == SK_OBJECT && f->type && !(f->type->flags & ST_ANY))
		return (struct smp_schema){ SS_STRUCT, f->type, NULL };
	if (f->kind == SK_OBJECT || f->kind == SK_RAW)
		return (struct smp_schema){ SS_OPAQUE, f->kind == SK_OBJECT ? f->type : NULL, NULL };
	return (struct smp_schema){ SS_SCALAR, NULL, f };
}

/* The value of field f; in_map: the value of its map rather than the map. */
static struct smp_schema ss_value(const struct sch_field *f, int in_map)
{
	if ((f->flags & SF_MAP) && !in_map)
		return (struct smp_schema){ SS_MAP, NULL, f };
	if (f->list != SL_NONE)
		return (struct smp_schema){ SS_LIST, NULL, f };
	return ss_item(f);
}

/* reflect.Kind of s, as upstream's messages print it. */
static const char *ss_go_kind(struct smp_schema s)
{
	static const char *const scalars[] = { [SK_STRING] = "string", [SK_BOOL] = "bool", [SK_INT32] = "int32",
					       [SK_INT64] = "int64",   [SK_FLOAT64] = "float64", [SK_BYTES] = "slice" };
	if (s.kind == SS_FREE)
		return "interface";
	if (s.kind == SS_MAP)
		return "map";
	if (s.kind == SS_LIST)
		return "slice";
	if (s.kind == SS_SCALAR && (size_t)s.field->kind < ARRAY_SIZE(scalars) && scalars[s.field->kind])
		return scalars[s.field->kind];
	return "struct";
}

/* The Go struct name upstream reports when it cannot find a member of s, or NULL if s is no
 * struct in Go. */
static const char *ss_struct_name(struct smp_schema s)
{
	static const char *const structs[] = { [SK_QUANTITY] = "Quantity", [SK_TIME] = "Time",
					       [SK_MICROTIME] = "MicroTime", [SK_DURATION] = "Duration",
					       [SK_INT_OR_STRING] = "IntOrString" };
	const char *dot;
	if (s.kind == SS_OPAQUE) {
		if (!s.type || !s.type->name)
			return "RawExtension";
		dot = strrchr(s.type->name, '.');
		return dot ? dot + 1 : s.type->name;
	}
	if (s.kind == SS_SCALAR && (size_t)s.field->kind < ARRAY_SIZE(structs))
		return structs[s.field->kind];
	return NULL;
}

/* The patch tags of field f. A list merges when it is a set or a map with a merge key, unless
 * strategic merge patch replaces it (SF_SMP_REPLACE). */
static struct smp_meta meta_of(const struct sch_field *f)
{
	struct smp_meta m = { 0, "" };
	if (f->flags & SF_MAP)
		return m;
	if (f->list == SL_MAP && f->merge_key)
		m.key = f->merge_key;
	m.merge = (f->list == SL_SET || *m.key) && !(f->flags & SF_SMP_REPLACE);
	return m;
}

/* upstream's LookupPatchMetadataForStruct: the schema of member key of s, and its tags. */
static int lookup_struct(struct smp *st, struct smp_schema s, const char *key, struct smp_schema *sub,
			 struct smp_meta *m)
{
	const struct sch_field *f;
	const char *name = ss_struct_name(s);
	*m = (struct smp_meta){ 0, "" };
	*sub = (struct smp_schema){ SS_FREE, NULL, NULL };
	if (s.kind == SS_FREE)
		return 0;
	if (s.kind == SS_MAP) {
		*sub = ss_value(s.field, 1);
		return 0;
	}
	if (s.kind == SS_STRUCT) {
		if ((f = sch_field(s.type, key))) {
			*sub = ss_value(f, 0);
			*m = meta_of(f);
		}
		return 0;
	}
	if (!name)
		return fail(st, E500, "merging an object in json but data type is not map or struct, instead is: %s",
			    ss_go_kind(s));
	buf_addf(&st->msg, "unable to find api field in struct %s for the json field ", name);
	field_quote(&st->msg, key);
	return E500;
}

/* upstream's LookupPatchMetadataForSlice: the schema of an element of list member key of s. */
static int lookup_slice(struct smp *st, struct smp_schema s, const char *key, struct smp_schema *elem,
			struct smp_meta *m)
{
	struct smp_schema sub;
	int rc = lookup_struct(st, s, key, &sub, m);
	if (rc < 0)
		return rc;
	if (sub.kind == SS_LIST)
		*elem = ss_item(sub.field);
	else if (sub.kind == SS_FREE)
		*elem = sub;
	else
		return fail(st, E500, "expected slice or array type, but got: %s", ss_go_kind(s));
	return 0;
}

/* ---- values taken from the patch ---------------------------------------------------------- */

static int is_str(const cJSON *v, const char *s)
{
	return cJSON_IsString(v) && !strcmp(v->valuestring, s);
}

static cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int is_directive(const char *k)
{
	return !strcmp(k, PATCH_KEY) || !strcmp(k, RETAIN_KEYS) || starts_with(k, SET_ORDER) ||
	       starts_with(k, DELETE_PRIM);
}

/* What the typed round trip leaves of a value taken from the patch: its objects lose their
 * directive keys and null members (null list elements stay). */
static void sanitize(cJSON *v)
{
	cJSON *c, *next;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return;
	for (c = v->child; c; c = next) {
		next = c->next;
		if (cJSON_IsObject(v) && (cJSON_IsNull(c) || is_directive(c->string)))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
		else
			sanitize(c);
	}
}

/* upstream's removeDirectives: drops the objects holding "$patch" (members and list elements).
 * Returns 0 when v itself is such an object, which the caller then drops. */
static int remove_directives(cJSON *v)
{
	cJSON *c, *next;
	if (cJSON_IsObject(v) && member(v, PATCH_KEY))
		return 0;
	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return 1;
	for (c = v->child; c; c = next) {
		next = c->next;
		if (!remove_directives(c))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
	}
	return 1;
}

/* Appends item to obj keeping the member name it carries (cJSON_AddItemToArray links any child). */
static void obj_append(cJSON *obj, cJSON *item)
{
	cJSON_AddItemToArray(obj, item);
}

/* Names item k (k may be item's current name). */
static void set_name(cJSON *item, const char *k)
{
	char *s = xstrdup(k);
	if (!(item->type & cJSON_StringIsConst))
		free(item->string);
	item->string = s;
	item->type &= ~cJSON_StringIsConst;
}

/* ---- Go slices ---------------------------------------------------------------------------- */

/* An empty slice with a new backing array for cap elements, freed with the state. */
static struct gs gs_make(struct smp *st, size_t cap)
{
	if (st->nmem == st->capmem) {
		st->capmem = st->capmem ? 2 * st->capmem : 16;
		st->mem = xrealloc(st->mem, st->capmem * sizeof(*st->mem));
	}
	st->mem[st->nmem] = xcalloc(cap ? cap : 1, sizeof(cJSON *));
	return (struct gs){ st->mem[st->nmem++], 0, cap };
}

/* s = append(s, v): in place while there is room, else into a new, larger backing array. */
static void gs_append(struct smp *st, struct gs *s, cJSON *v)
{
	if (s->len == s->cap) {
		struct gs n = gs_make(st, s->cap ? 2 * s->cap : 4);
		if (s->len)
			memcpy(n.a, s->a, s->len * sizeof(*n.a));
		n.len = s->len;
		*s = n;
	}
	s->a[s->len++] = v;
}

/* s = append(s[:i], s[i+1:]...): shifts the rest left within the backing array. */
static void gs_delete(struct gs *s, size_t i)
{
	memmove(s->a + i, s->a + i + 1, (s->len - i - 1) * sizeof(*s->a));
	s->len--;
}

/* A view of arr's elements, which stay in arr. */
static struct gs gs_of(struct smp *st, const cJSON *arr)
{
	struct gs s = gs_make(st, (size_t)cJSON_GetArraySize(arr));
	cJSON *c;
	cJSON_ArrayForEach(c, arr)
		s.a[s.len++] = c;
	return s;
}

/* Detaches arr's elements into the holding array and returns them as a slice (cap == len). */
static struct gs list_take(struct smp *st, cJSON *arr)
{
	struct gs s = gs_make(st, (size_t)cJSON_GetArraySize(arr));
	cJSON *c;
	while ((c = arr->child)) {
		cJSON_AddItemToArray(st->grave, cJSON_DetachItemViaPointer(arr, c));
		s.a[s.len++] = c;
	}
	return s;
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (cJSON *const *)a, y = (uintptr_t) * (cJSON *const *)b;
	return x < y ? -1 : x > y;
}

/* Moves out's elements (distinct, all in the holding array) into arr in order. Those that came
 * from the patch list (p) are cleaned as the typed round trip would. */
static void list_put(struct smp *st, cJSON *arr, const struct gs *out, const struct gs *p)
{
	cJSON **from = xmalloc((p->len ? p->len : 1) * sizeof(*from));
	if (p->len) {
		memcpy(from, p->a, p->len * sizeof(*from));
		qsort(from, p->len, sizeof(*from), by_address);
	}
	for (size_t i = 0; i < out->len; i++) {
		cJSON *c = cJSON_DetachItemViaPointer(st->grave, out->a[i]);
		if (p->len && bsearch(&c, from, p->len, sizeof(*from), by_address))
			sanitize(c);
		cJSON_AddItemToArray(arr, c);
	}
	free(from);
}

/* ---- ordering (normalizeElementOrder and its helpers) ------------------------------------- */

/* What upstream's index() compares: the merge key's value for lists of maps, else the element. */
static const cJSON *order_value(const cJSON *v, const char *key, int maps)
{
	if (!maps)
		return v;
	return cJSON_IsObject(v) ? member(v, key) : NULL;
}

/* upstream's index(): in *pos the position of the first element of order that matches v, or -1. */
static int go_index(struct smp *st, const struct gs *order, const cJSON *v, const char *key, int maps, long *pos)
{
	const cJSON *x = order_value(v, key, maps);
	int eq, rc;
	for (size_t i = 0; i < order->len; i++) {
		if ((rc = equal(st, x, order_value(order->a[i], key, maps), &eq)) < 0)
			return rc;
		if (eq) {
			*pos = (long)i;
			return 0;
		}
	}
	*pos = -1;
	return 0;
}

/* sort.SliceStable(s, less) with upstream's less: by position in order, and "less" whenever one
 * of the two is not in order. Sorted by insertion, which is what Go does for up to 20 elements
 * and equivalent beyond whenever every element is in order (as upstream's callers ensure). */
static int sort_by(struct smp *st, struct gs *s, const struct gs *order, const char *key, int maps)
{
	long *pos, tp;
	cJSON *tv;
	int rc = 0;
	if (s->len < 2)
		return 0;
	pos = xmalloc(s->len * sizeof(*pos));
	for (size_t i = 0; i < s->len && rc == 0; i++)
		rc = go_index(st, order, s->a[i], key, maps, &pos[i]);
	for (size_t i = 1; i < s->len && rc == 0; i++)
		for (size_t j = i; j > 0 && (pos[j] < 0 || pos[j - 1] < 0 || pos[j] < pos[j - 1]); j--) {
			tv = s->a[j], s->a[j] = s->a[j - 1], s->a[j - 1] = tv;
			tp = pos[j], pos[j] = pos[j - 1], pos[j - 1] = tp;
		}
	free(pos);
	return rc;
}

/* upstream's validateMergeKeyInLists for one list. */
static int check_keys(struct smp *st, const struct gs *s, const char *key)
{
	for (size_t i = 0; i < s->len; i++) {
		if (!cJSON_IsObject(s->a[i]))
			return err_bad_arg_type(st, MAP_TYPE, s->a[i]);
		if (!member(s->a[i], key))
			return err_no_merge_key(st, s->a[i], key);
	}
	return 0;
}

static int is_delete(const cJSON *v)
{
	return is_str(member(v, PATCH_KEY), "delete");
}

/* upstream's normalizeSliceOrder: for lists of maps checks the merge keys and moves elements
 * marked "$patch": "delete" to the end; sorts the others by order. */
static int normalize_slice(struct smp *st, struct gs *s, const struct gs *order, const char *key, int maps)
{
	struct gs keep = { 0 }, del = { 0 };
	int rc;
	if (maps) {
		if ((rc = check_keys(st, s, key)) < 0 || (rc = check_keys(st, order, key)) < 0)
			return rc;
		for (size_t i = 0; i < s->len; i++)
			gs_append(st, is_delete(s->a[i]) ? &del : &keep, s->a[i]);
		*s = keep;
	}
	if ((rc = sort_by(st, s, order, key, maps)) < 0)
		return rc;
	for (size_t i = 0; i < del.len; i++)
		gs_append(st, s, del.a[i]);
	return 0;
}

/* upstream's mergeSortedSlice: interleaves left (server-only elements) into right (patched
 * ones); a left element goes first only when the server order puts it before the right one. */
static int merge_sorted(struct smp *st, const struct gs *left, const struct gs *right, const struct gs *order,
			const char *key, int maps, struct gs *out)
{
	size_t i = 0, j = 0;
	long li, ri;
	int rc;
	*out = gs_make(st, left->len + right->len);
	while (i < left->len && j < right->len) {
		if ((rc = go_index(st, order, left->a[i], key, maps, &li)) < 0 ||
		    (rc = go_index(st, order, right->a[j], key, maps, &ri)) < 0)
			return rc;
		out->a[out->len++] = li >= 0 && ri >= 0 && li < ri ? left->a[i++] : right->a[j++];
	}
	while (i < left->len)
		out->a[out->len++] = left->a[i++];
	while (j < right->len)
		out->a[out->len++] = right->a[j++];
	return 0;
}

/* upstream's normalizeElementOrder: patched sorted by porder, server by sorder, then merged. */
static int normalize_order(struct smp *st, struct gs patched, struct gs server, const struct gs *porder,
			   const struct gs *sorder, const char *key, int maps, struct gs *out)
{
	int rc;
	if ((rc = normalize_slice(st, &patched, porder, key, maps)) < 0 ||
	    (rc = normalize_slice(st, &server, sorder, key, maps)) < 0)
		return rc;
	return merge_sorted(st, &server, &patched, sorder, key, maps, out);
}

/* upstream's findMapInSliceBasedOnKeyValue: in *idx the first map of s whose member key equals
 * value, or -1. */
static int find_by_key(struct smp *st, const struct gs *s, const char *key, const cJSON *value, long *idx)
{
	const cJSON *v;
	int eq, rc;
	for (size_t i = 0; i < s->len; i++) {
		if (!cJSON_IsObject(s->a[i]))
			return fail(st, E500, "value for key %zu is not a map", i);
		if ((v = member(s->a[i], key))) {
			if ((rc = equal(st, v, value, &eq)) < 0)
				return rc;
			if (eq) {
				*idx = (long)i;
				return 0;
			}
		}
	}
	*idx = -1;
	return 0;
}

/* upstream's partitionPrimitivesByPresentInList (a Go map of by's values, so unhashable values
 * panic) and partitionMapsByPresentInList (by merge key): the elements of merged found in by, and
 * the others, each in merged's order. */
static int partition(struct smp *st, const struct gs *merged, const struct gs *by, const char *key, struct gs *in,
		     struct gs *out)
{
	const cJSON *mv;
	struct gs *dst;
	long idx = -1;
	int rc;
	*in = gs_make(st, merged->len);
	*out = gs_make(st, merged->len);
	for (size_t i = 0; !*key && i < by->len; i++)
		if (!hashable(by->a[i]))
			return go_panic(st, "hash of unhashable type", by->a[i]);
	for (size_t i = 0; i < merged->len; i++) {
		cJSON *v = merged->a[i];
		if (!*key) {
			if (!hashable(v))
				return go_panic(st, "hash of unhashable type", v);
			for (idx = (long)by->len - 1; idx >= 0 && go_equal(v, by->a[idx]) != 1; idx--)
				;
		} else if (!cJSON_IsObject(v)) {
			return err_bad_arg_type(st, MAP_TYPE, v);
		} else if (!(mv = member(v, key))) {
			return err_no_merge_key(st, v, key);
		} else if ((rc = find_by_key(st, by, key, mv, &idx)) < 0) {
			return rc;
		}
		dst = idx >= 0 ? in : out;
		dst->a[dst->len++] = v;
	}
	return 0;
}

/* ---- merging lists (mergeSlice and its helpers) ------------------------------------------- */

/* upstream's sliceElementType: the Go type shared by every element of the lists. */
static int element_kind(struct smp *st, const struct gs *lists, size_t n, enum gt *kind)
{
	int have = 0;
	for (size_t l = 0; l < n; l++)
		for (size_t i = 0; i < lists[l].len; i++) {
			enum gt t = gtype(lists[l].a[i]);
			if (have && t == *kind)
				continue;
			if (have) {
				buf_adds(&st->msg, "list element types are not identical: [");
				for (size_t k = 0; k < n; k++) {
					buf_adds(&st->msg, k ? " " : "");
					go_print_gs(&st->msg, &lists[k]);
				}
				buf_addch(&st->msg, ']');
				return E500;
			}
			if (t == GT_NIL) /* reflect.TypeOf(nil).Kind() */
				return fail(st, EPANIC, "%s", NIL_PANIC);
			if (t == GT_LIST)
				return fail(st, E422, "lists of lists are not supported");
			*kind = t;
			have = 1;
		}
	return have ? 0 : fail(st, E500, "no elements in any of the given slices");
}

/* upstream's deduplicateScalars, which moves the last element into each duplicate's place. */
static int dedup(struct smp *st, struct gs *s)
{
	long last = (long)s->len - 1;
	int eq, rc;
	for (long i = 0; i < last; i++)
		for (long j = i + 1; j <= last; j++) {
			if ((rc = equal(st, s->a[i], s->a[j], &eq)) < 0)
				return rc;
			if (eq) {
				s->a[j] = s->a[last];
				s->len = (size_t)last--;
				j--;
			}
		}
	return 0;
}

/* upstream's deleteFromSlice: the elements of cur not in del (a Go map of del's values). */
static int delete_from(struct smp *st, const struct gs *cur, const struct gs *del, struct gs *out)
{
	size_t k;
	for (k = 0; k < del->len; k++)
		if (!hashable(del->a[k]))
			return go_panic(st, "hash of unhashable type", del->a[k]);
	*out = gs_make(st, cur->len);
	for (size_t i = 0; i < cur->len; i++) {
		if (!hashable(cur->a[i]))
			return go_panic(st, "hash of unhashable type", cur->a[i]);
		for (k = 0; k < del->len && go_equal(cur->a[i], del->a[k]) != 1; k++)
			;
		if (k == del->len)
			out->a[out->len++] = cur->a[i];
	}
	return 0;
}

/* upstream's deleteMatchingEntries: removes every map of o whose merge key equals value. */
static int delete_matching(struct smp *st, struct gs *o, const char *key, const cJSON *value)
{
	long idx;
	int rc;
	for (;;) {
		if ((rc = find_by_key(st, o, key, value, &idx)) < 0)
			return rc;
		if (idx < 0)
			return 0;
		gs_delete(o, (size_t)idx);
	}
}

/* upstream's mergeSliceWithSpecialElements: applies the elements carrying "$patch" (delete
 * removes from o; replace makes the other patch elements the new o and leaves p empty) and
 * leaves the ordinary elements in p. */
static int special_elements(struct smp *st, struct gs *o, struct gs *p, const char *key)
{
	struct gs rest = gs_make(st, 0);
	int replace = 0, rc;
	for (size_t i = 0; i < p->len; i++) {
		cJSON *v = p->a[i], *d = member(v, PATCH_KEY), *mv;
		if (!d) {
			gs_append(st, &rest, v);
		} else if (is_str(d, "delete")) {
			if (!(mv = member(v, key)))
				return err_no_merge_key(st, v, key);
			if ((rc = delete_matching(st, o, key, mv)) < 0)
				return rc;
		} else if (is_str(d, "replace")) {
			replace = 1;
		} else if (is_str(d, "merge")) {
			return fail(st, E500, "merging lists cannot yet be specified in the patch");
		} else {
			return err_bad_patch_type(st, d, v);
		}
	}
	if (replace) {
		*o = rest;
		*p = (struct gs){ 0 };
	} else {
		*p = rest;
	}
	return 0;
}

/* upstream's mergeSliceWithoutSpecialElements: each patch element merges into the first element
 * of o with its merge key, or is appended to o. */
static int merge_into(struct smp *st, struct gs *o, const struct gs *p, const char *key, struct smp_schema elem)
{
	cJSON *mv;
	long idx;
	int rc;
	for (size_t i = 0; i < p->len; i++) {
		if (!(mv = member(p->a[i], key)))
			return err_no_merge_key(st, p->a[i], key);
		if ((rc = find_by_key(st, o, key, mv, &idx)) < 0)
			return rc;
		if (idx < 0)
			gs_append(st, o, p->a[i]);
		else if ((rc = merge_map(st, o->a[idx], p->a[i], elem)) < 0)
			return rc;
	}
	return 0;
}

/* upstream's mergeSlice: merges patch list p into o (a scalar set, a list of maps by merge key,
 * or, for a deletion list, o without p's scalars) and orders the result into *out. o's backing
 * array is written as Go writes it. */
static int merge_slice(struct smp *st, struct gs o, struct gs p, struct smp_schema elem, const char *key, int del,
		       struct gs *out)
{
	struct gs lists[2] = { o, p }, merged, in, rest;
	enum gt kind;
	int rc;
	if (!o.len && !p.len) {
		*out = o;
		return 0;
	}
	if ((rc = element_kind(st, lists, 2, &kind)) < 0)
		return rc;
	if (kind != GT_MAP) {
		if (del)
			return delete_from(st, &o, &p, out);
		merged = o; /* both := append(original, patch...) */
		if (p.len) {
			merged = gs_make(st, o.len + p.len);
			for (size_t i = 0; i < o.len + p.len; i++)
				merged.a[merged.len++] = i < o.len ? o.a[i] : p.a[i - o.len];
		}
		if ((rc = dedup(st, &merged)) < 0)
			return rc;
	} else {
		if (!*key)
			return fail(st, E500, "cannot merge lists without merge key for %s", ss_go_kind(elem));
		if ((rc = special_elements(st, &o, &p, key)) < 0)
			return rc;
		merged = o;
		if ((rc = merge_into(st, &merged, &p, key, elem)) < 0)
			return rc;
	}
	if ((rc = partition(st, &merged, &p, key, &in, &rest)) < 0)
		return rc;
	return normalize_order(st, in, rest, &p, &o, key, kind == GT_MAP, out);
}

/* upstream's mergeSliceHandler: merges when the field's strategy says so or for a deletion list;
 * otherwise the patch list replaces the original one. */
static int slice_handler(struct smp *st, struct gs o, struct gs p, struct smp_schema elem, struct smp_meta m,
			 int del, struct gs *out)
{
	if (!m.merge && !del) {
		*out = p;
		return 0;
	}
	return merge_slice(st, o, p, elem, m.key, del, out);
}

/* Merges the patch list pl into the document's list ol (both arrays), rebuilding ol in place. */
static int merge_list(struct smp *st, cJSON *ol, cJSON *pl, struct smp_schema elem, struct smp_meta m, int del)
{
	struct gs o = list_take(st, ol), p = list_take(st, pl), out;
	int rc = slice_handler(st, o, p, elem, m, del, &out);
	if (rc == 0)
		list_put(st, ol, &out, &p);
	return rc;
}

/* ---- $setElementOrder (mergePatchIntoOriginal) -------------------------------------------- */

/* upstream's extractKey: what follows "<prefix>/" in k, or NULL when k is not of that form. */
static const char *directive_suffix(const char *k, const char *prefix)
{
	const char *slash = strchr(k, '/');
	size_t n = strlen(prefix);
	if (!slash || (size_t)(slash - k) != n || strncmp(k, prefix, n))
		return NULL;
	return slash + 1;
}

/* upstream's mergeKeyValueEqual. */
static int key_equal(struct smp *st, const cJSON *l, const cJSON *r, const char *key, int *eq)
{
	const cJSON *lv, *rv;
	*eq = 0;
	if (!*key)
		return equal(st, l, r, eq);
	if (!cJSON_IsObject(l) || !cJSON_IsObject(r))
		return err_bad_arg_type(st, MAP_TYPE, cJSON_IsObject(l) ? r : l);
	if (!(lv = member(l, key)))
		return err_no_merge_key(st, l, key);
	if (!(rv = member(r, key)))
		return err_no_merge_key(st, r, key);
	return equal(st, lv, rv, eq);
}

/* upstream's validatePatchWithSetOrderList: the patch list's elements (but deletions and other
 * directives) must appear in the order list, in the same order. */
static int check_set_order(struct smp *st, const cJSON *pl, const cJSON *order, const char *key)
{
	struct gs nd, ord;
	size_t pi = 0, si = 0;
	int eq, rc;
	if (!pl || !pl->child || !order->child)
		return 0;
	nd = gs_make(st, 0);
	ord = gs_of(st, order);
	for (cJSON *c = pl->child; c; c = c->next) {
		if (*key && !cJSON_IsObject(c))
			return err_bad_arg_type(st, MAP_TYPE, c);
		if (!*key || !is_delete(c))
			gs_append(st, &nd, c);
	}
	while (pi < nd.len && si < ord.len) {
		if (cJSON_IsObject(nd.a[pi]) && member(nd.a[pi], PATCH_KEY)) {
			pi++;
			continue;
		}
		if ((rc = key_equal(st, nd.a[pi], ord.a[si++], key, &eq)) < 0)
			return rc;
		pi += eq;
	}
	if (pi < nd.len && si >= ord.len) {
		buf_adds(&st->msg, "The order in patch list:\n");
		go_print(&st->msg, pl, 'v');
		buf_addf(&st->msg, "\n doesn't match %s list:\n", SET_ORDER);
		go_print(&st->msg, order, 'v');
		buf_addch(&st->msg, '\n');
		return E500;
	}
	return 0;
}

/* The kept elements of a patch list taken whole (upstream's removeDirectives on the list). */
static struct gs drop_directives(struct smp *st, const struct gs *p)
{
	struct gs out = gs_make(st, p->len);
	for (size_t i = 0; i < p->len; i++)
		if (remove_directives(p->a[i]))
			out.a[out.len++] = p->a[i];
	return out;
}

/* Merges the patch list pl (or none) into the document's list ol (which was absent unless
 * found_o), then orders ol by the $setElementOrder list dir. */
static int order_lists(struct smp *st, cJSON *ol, cJSON *pl, int found_o, const cJSON *dir,
		       struct smp_schema elem, struct smp_meta m)
{
	struct gs o = list_take(st, ol), p = pl ? list_take(st, pl) : (struct gs){ 0 };
	struct gs ord = gs_of(st, dir), merged = o, in, rest, out, lists[2];
	enum gt kind;
	int rc;
	if (!found_o)
		merged = drop_directives(st, &p);
	else if (pl && (rc = slice_handler(st, o, p, elem, m, 0, &merged)) < 0)
		return rc;
	if ((rc = partition(st, &merged, &ord, m.key, &in, &rest)) < 0)
		return rc;
	lists[0] = o; /* the original list as the merge left it in its backing array */
	lists[1] = p;
	if ((rc = element_kind(st, lists, 2, &kind)) < 0 ||
	    (rc = normalize_order(st, in, rest, &ord, &o, m.key, kind == GT_MAP, &out)) < 0)
		return rc;
	list_put(st, ol, &out, &p);
	return 0;
}

/* upstream's mergePatchIntoOriginal for one directive dir ("$setElementOrder/<key>", already
 * taken out of patch): merges and orders orig[key], then drops patch[key]. */
static int set_order(struct smp *st, cJSON *orig, cJSON *patch, struct smp_schema s, const cJSON *dir)
{
	struct smp_schema elem;
	struct smp_meta m;
	const char *key;
	cJSON *ol, *pl;
	int rc;
	if (!cJSON_IsArray(dir))
		return err_bad_arg_type(st, LIST_TYPE, dir);
	if (!(key = directive_suffix(dir->string, SET_ORDER)))
		return fail(st, E400, "invalid patch format of setElementOrder list");
	ol = member(orig, key);
	pl = member(patch, key);
	if (ol && !cJSON_IsArray(ol))
		return err_bad_arg_type(st, LIST_TYPE, ol);
	if (pl && !cJSON_IsArray(pl))
		return err_bad_arg_type(st, LIST_TYPE, pl);
	if ((rc = lookup_slice(st, s, key, &elem, &m)) < 0 || (rc = check_set_order(st, pl, dir, m.key)) < 0)
		return rc;
	if (!ol && !pl)
		return 0;
	rc = order_lists(st, ol ? ol : cJSON_AddArrayToObject(orig, key), pl, ol != NULL, dir, elem, m);
	if (pl)
		cJSON_Delete(cJSON_DetachItemViaPointer(patch, pl));
	return rc;
}

/* Applies every "$setElementOrder..." member of patch (removing them) before anything else. */
static int set_orders(struct smp *st, cJSON *orig, cJSON *patch, struct smp_schema s)
{
	cJSON *dirs = cJSON_CreateArray(), *c, *next;
	int rc = 0;
	for (c = patch->child; c; c = next) {
		next = c->next;
		if (starts_with(c->string, SET_ORDER))
			cJSON_AddItemToArray(dirs, cJSON_DetachItemViaPointer(patch, c));
	}
	for (c = dirs->child; c && rc == 0; c = c->next)
		rc = set_order(st, orig, patch, s, c);
	cJSON_Delete(dirs);
	return rc;
}

/* ---- merging objects (mergeMap) ----------------------------------------------------------- */

/* upstream's handleDirectiveInMergeMap: "$patch": "replace" makes orig the rest of the patch,
 * "delete" empties it. */
static int map_directive(struct smp *st, cJSON *orig, cJSON *patch, const cJSON *d)
{
	int replace = is_str(d, "replace");
	cJSON *c;
	if (!replace && !is_str(d, "delete"))
		return err_bad_patch_type(st, d, patch);
	while ((c = orig->child))
		cJSON_Delete(cJSON_DetachItemViaPointer(orig, c));
	if (!replace)
		return 0;
	cJSON_DeleteItemFromObjectCaseSensitive(patch, PATCH_KEY);
	cJSON_ArrayForEach(c, patch) {
		cJSON *v = cJSON_IsNull(c) || is_directive(c->string) ? NULL : cJSON_Duplicate(c, 1);
		sanitize(v);
		if (v)
			obj_append(orig, v);
	}
	return 0;
}

/* Is k one of the strings of the list rk? */
static int listed(const cJSON *rk, const char *k)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, rk)
		if (is_str(c, k))
			return 1;
	return 0;
}

/* upstream's applyRetainKeysDirective: with "$retainKeys", every key the patch sets must be
 * listed, and orig keeps only listed keys. */
static int retain_keys(struct smp *st, cJSON *orig, cJSON *patch)
{
	cJSON *rk = cJSON_DetachItemFromObjectCaseSensitive(patch, RETAIN_KEYS), *c, *next;
	int rc = 0;
	if (!rk)
		return 0;
	if (!cJSON_IsArray(rk))
		rc = fail(st, E400, "invalid patch format of retainKeys");
	cJSON_ArrayForEach(c, rk)
		if (rc == 0 && !hashable(c))
			rc = go_panic(st, "hash of unhashable type", c);
	cJSON_ArrayForEach(c, patch)
		if (rc == 0 && !cJSON_IsNull(c) && !starts_with(c->string, DELETE_PRIM) &&
		    !starts_with(c->string, SET_ORDER) && !listed(rk, c->string))
			rc = fail(st, E400, "invalid patch format of retainKeys");
	for (c = orig->child; c && rc == 0; c = next) {
		next = c->next;
		if (!listed(rk, c->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(orig, c));
	}
	cJSON_Delete(rk);
	return rc;
}

/* Puts v (taken from the patch, named) in place of ov, or adds it when ov is NULL, as upstream
 * does for a key the document lacks or holds with another type: without null members and
 * without objects holding "$patch" (a value that is one removes the key). */
static void take_value(cJSON *orig, cJSON *ov, cJSON *v)
{
	if (!remove_directives(v)) {
		cJSON_Delete(v);
		if (ov)
			cJSON_Delete(cJSON_DetachItemViaPointer(orig, ov));
		return;
	}
	sanitize(v);
	if (ov)
		cJSON_ReplaceItemViaPointer(orig, ov, v);
	else
		obj_append(orig, v);
}

/* Merges patch member pv into orig[k], where both hold values of the same Go type. Values are
 * copied, not moved: upstream shares them, and the ordering of lists reads patch elements after
 * they were merged. */
static int merge_same(struct smp *st, cJSON *orig, cJSON *ov, cJSON *pv, const char *k, int del,
		      struct smp_schema s)
{
	struct smp_schema sub;
	cJSON *v;
	struct smp_meta m;
	int rc;
	if (cJSON_IsObject(ov)) {
		if ((rc = lookup_struct(st, s, k, &sub, &m)) < 0)
			return rc;
		return merge_map(st, ov, pv, sub);
	}
	if (cJSON_IsArray(ov)) {
		if ((rc = lookup_slice(st, s, k, &sub, &m)) < 0)
			return rc;
		return merge_list(st, ov, pv, sub, m, del);
	}
	v = cJSON_Duplicate(pv, 1);
	set_name(v, k);
	cJSON_ReplaceItemViaPointer(orig, ov, v);
	return 0;
}

/* One iteration of mergeMap's loop: merges patch member pv into orig. "$deleteFromPrimitiveList/
 * <k>" works on orig[k] (null deletes orig[k]; a list removes scalars; other values merge). */
static int merge_member(struct smp *st, cJSON *orig, cJSON *pv, struct smp_schema s)
{
	const char *k = pv->string, *rest;
	int del = starts_with(k, DELETE_PRIM) != 0;
	cJSON *ov;
	if (del) {
		if (!(rest = directive_suffix(k, DELETE_PRIM)))
			return fail(st, E400, "invalid patch format of primitive list");
		if (*rest)
			k = rest;
	}
	ov = member(orig, k);
	if (cJSON_IsNull(pv)) {
		if (ov)
			cJSON_Delete(cJSON_DetachItemViaPointer(orig, ov));
		return 0;
	}
	if (ov && gtype(ov) == gtype(pv))
		return merge_same(st, orig, ov, pv, k, del, s);
	if (!del)
		take_value(orig, ov, cJSON_Duplicate(pv, 1));
	return 0;
}

/* upstream's mergeMap: merges patch into orig in place, s being orig's schema. Like upstream, it
 * edits patch too (directives it applied are removed, lists it merged are emptied). */
static int merge_map(struct smp *st, cJSON *orig, cJSON *patch, struct smp_schema s)
{
	cJSON *d = member(patch, PATCH_KEY), *c, *next;
	int rc;
	if (d)
		return map_directive(st, orig, patch, d);
	if ((rc = retain_keys(st, orig, patch)) < 0 || (rc = set_orders(st, orig, patch, s)) < 0)
		return rc;
	for (int pass = 0; pass < 2; pass++)
		for (c = patch->child; c; c = next) {
			next = c->next;
			if ((starts_with(c->string, DELETE_PRIM) != 0) == pass &&
			    (rc = merge_member(st, orig, c, s)) < 0)
				return rc;
		}
	return 0;
}

/* ---- entry -------------------------------------------------------------------------------- */

/* A member and its position, to find members sharing a name. */
struct named {
	cJSON *item;
	size_t pos;
};

static int by_name_pos(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);
	return c ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Leaves only the last of the members of each object that share a name, as Go's decoder keeps the
 * last value, throughout v. */
static void dedup_keys(cJSON *v)
{
	struct named *all;
	size_t n = 0;
	cJSON *c;
	cJSON_ArrayForEach(c, v) {
		dedup_keys(c);
		n++;
	}
	if (!cJSON_IsObject(v) || n < 2)
		return;
	all = xmalloc(n * sizeof(*all));
	n = 0;
	cJSON_ArrayForEach(c, v) {
		all[n].item = c;
		all[n].pos = n;
		n++;
	}
	qsort(all, n, sizeof(*all), by_name_pos);
	for (size_t i = 0; i + 1 < n; i++)
		if (!strcmp(all[i].item->string, all[i + 1].item->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, all[i].item));
	free(all);
}

/* The type name Go's decoder reports for a patch that is no object. */
static const char *json_kind(const cJSON *v)
{
	return cJSON_IsString(v) ? "string" : cJSON_IsNumber(v) ? "number" : cJSON_IsBool(v) ? "bool" : "array";
}

/* smp_apply for a kind without schema: a JSON merge patch. */
static int merge_patch_path(cJSON **doc, const cJSON *patch, struct buf *err)
{
	int rc = merge_patch_apply(doc, patch);
	if (rc < 0 && err)
		buf_adds(err, !*doc || cJSON_IsNull(*doc) ? "Invalid JSON Document" : "Invalid JSON Patch");
	return rc;
}

int smp_apply(cJSON **doc, const cJSON *patch, const struct sch_type *type, struct buf *err)
{
	struct smp st = { BUF_INIT, NULL, NULL, 0, 0 };
	cJSON *work = NULL, *p = NULL;
	int rc;
	if (!type)
		return merge_patch_path(doc, patch, err);
	if (!patch || cJSON_IsNull(patch))
		return 0;
	if (!cJSON_IsObject(patch)) {
		rc = fail(&st, E400, "json: cannot unmarshal %s into Go value of type %s", json_kind(patch), MAP_TYPE);
		goto out;
	}
	if (*doc && !cJSON_IsNull(*doc) && !cJSON_IsObject(*doc)) {
		rc = fail(&st, E400, "invalid JSON document");
		goto out;
	}
	work = cJSON_IsObject(*doc) ? cJSON_Duplicate(*doc, 1) : cJSON_CreateObject();
	p = cJSON_Duplicate(patch, 1);
	dedup_keys(work);
	dedup_keys(p);
	st.grave = cJSON_CreateArray();
	rc = merge_map(&st, work, p, (struct smp_schema){ SS_STRUCT, type, NULL });
	if (rc == 0) {
		cJSON_Delete(*doc);
		*doc = work;
		work = NULL;
	}
out:
	if (rc < 0 && err)
		buf_add(err, buf_str(&st.msg), st.msg.len);
	for (size_t i = 0; i < st.nmem; i++)
		free(st.mem[i]);
	free(st.mem);
	cJSON_Delete(st.grave);
	cJSON_Delete(work);
	cJSON_Delete(p);
	buf_release(&st.msg);
	return rc;
}
