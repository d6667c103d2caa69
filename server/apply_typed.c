/*
 * apply_typed.c - the schema-driven walks of server-side apply over JSON values: validation of
 * an applied configuration, the field set of a value, merge, compare, removal of owned items,
 * as structured-merge-diff's typed package does them, with server/schema.h as the schema.
 *
 * DESIGN
 * upstream resolves a type reference to an "atom" (scalar, list or map) and walks a value with
 * it. struct aty is that atom, computed from our tables on the way down: a struct (sch_type), a
 * map[string]T field (SF_MAP), a list field (atomic, a set, or a list-map with keys), a scalar,
 * or "deduced" for free-form content (RawExtension, ST_ANY types, fields the schema does not
 * declare), where objects are granular maps and lists are atomic. Which handler a value gets
 * follows upstream's deduceAtom/handleAtom: a typed atom always gets its own handler whatever
 * the value (a mismatching value is then treated as absent), a deduced one gets the handler of
 * the value's JSON type (null: the map handler).
 *
 * List elements are identified by path elements: the key fields of a list-map element (a
 * missing "protocol" key defaults to "TCP", the only key field with an OpenAPI default among the
 * served types), the value of a set element, the index in an atomic list. A key repeated in a
 * live list (the API has allowed duplicate env names) is handled as upstream does since v4.3:
 * the element is owned and compared whole, and an applied element replaces all its duplicates.
 *
 * Walks keep the current path on a stack of borrowed path elements; sets copy what they keep.
 */
#include "server/apply_internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

/* ---- types -------------------------------------------------------------------------------- */

static struct aty aty_struct(const struct sch_type *t)
{
	struct aty a = { .k = ATY_DEDUCED };
	if (t && !(t->flags & ST_ANY)) {
		a.k = ATY_STRUCT;
		a.st = t;
	}
	return a;
}

struct aty apply__aty_top(const struct sch_type *t)
{
	return aty_struct(t);
}

/* The type of one element of field f (a list item, a map value, or the field itself). */
static struct aty aty_elem(const struct sch_field *f)
{
	struct aty a = { .k = ATY_SCALAR, .sk = f->kind, .f = f };
	if (f->kind == SK_OBJECT)
		return aty_struct(f->type);
	if (f->kind == SK_RAW)
		a.k = ATY_DEDUCED;
	return a;
}

static struct aty aty_field(const struct sch_field *f)
{
	struct aty a = { .f = f };
	if (f->flags & SF_MAP)
		a.k = ATY_MAP;
	else if (f->list != SL_NONE)
		a.k = ATY_LIST;
	else
		return aty_elem(f);
	return a;
}

/* The type of member key of an object of type a; *declared: a struct field of the schema. */
static struct aty aty_child(struct aty a, const char *key, int *declared)
{
	struct aty d = { .k = ATY_DEDUCED };
	const struct sch_field *f;
	*declared = 0;
	if (a.k == ATY_STRUCT && (f = sch_field(a.st, key))) {
		*declared = 1;
		return aty_field(f);
	}
	if (a.k == ATY_MAP) {
		if (a.f->list != SL_NONE) {
			d.k = ATY_LIST;
			d.f = a.f;
			d.in_map = 1;
			return d;
		}
		return aty_elem(a.f);
	}
	return d;
}

static struct aty aty_item(struct aty a)
{
	struct aty d = { .k = ATY_DEDUCED };
	return a.k == ATY_LIST ? aty_elem(a.f) : d;
}

enum lrel { LR_ATOMIC, LR_SET, LR_MAP };

/* How list type a identifies its elements; *keys: the comma-separated key fields of a list-map. */
static enum lrel list_rel(struct aty a, const char **keys)
{
	*keys = NULL;
	if (a.k != ATY_LIST || a.f->list == SL_ATOMIC || (a.f->flags & SF_APPLY_ATOMIC))
		return LR_ATOMIC;
	if (a.f->list == SL_SET)
		return LR_SET;
	*keys = a.f->map_keys ? a.f->map_keys : a.f->merge_key;
	return *keys && **keys ? LR_MAP : LR_ATOMIC;
}

static int map_atomic(struct aty a)
{
	return (a.k == ATY_STRUCT && (a.st->flags & ST_ATOMIC)) || (a.k == ATY_MAP && (a.f->flags & SF_MAP_ATOMIC));
}

enum handler { H_SCALAR, H_MAP, H_LIST };

static enum handler handler(struct aty a, const cJSON *v)
{
	switch (a.k) {
	case ATY_STRUCT:
	case ATY_MAP:
		return H_MAP;
	case ATY_LIST:
		return H_LIST;
	case ATY_SCALAR:
		return H_SCALAR;
	default:
		if (cJSON_IsArray(v))
			return H_LIST;
		if (!v || cJSON_IsObject(v) || cJSON_IsNull(v))
			return H_MAP;
		return H_SCALAR;
	}
}

/* ---- the path stack ----------------------------------------------------------------------- */

struct pstack {
	struct ape *v;
	size_t n, cap;
};

static void push(struct pstack *p, struct ape pe)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n++] = pe;
}

static void push_field(struct pstack *p, const char *name)
{
	struct ape pe = { .kind = APE_FIELD, .name = name };
	push(p, pe);
}

/* ---- list elements ------------------------------------------------------------------------ */

/* Adds c under name to key, keeping the members sorted by name (stable), as upstream sorts
 * key fields. */
static void key_add_sorted(cJSON *key, const char *name, cJSON *c)
{
	int idx = 0;
	cJSON *x;
	cJSON_AddItemToObject(key, name, c);
	for (x = key->child; x != c && strcmp(x->string, name) <= 0; x = x->next)
		idx++;
	if (x != c) {
		cJSON_DetachItemViaPointer(key, c);
		cJSON_InsertItemInArray(key, idx, c);
	}
}

/* The key of a list-map element: its key fields (keys: comma-separated names) in a new object,
 * a missing "protocol" defaulting to "TCP"; NULL with upstream's message in err (may be NULL). */
static cJSON *element_key(const char *keys, const cJSON *item, struct buf *err)
{
	cJSON *key = cJSON_CreateObject();
	for (const char *k = keys, *comma; k; k = comma ? comma + 1 : NULL) {
		comma = strchr(k, ',');
		char *name = comma ? xstrndup(k, (size_t)(comma - k)) : xstrdup(k);
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, name);
		/* A null key field counts as omitted: the typed object would not hold it. */
		if (cJSON_IsNull(v))
			v = NULL;
		cJSON *c = v ? cJSON_Duplicate(v, 1) : !strcmp(name, "protocol") ? cJSON_CreateString("TCP") : NULL;
		if (!c) {
			if (err)
				buf_addf(err, "associative list with keys has an element that omits key field \"%s\" "
					      "(and doesn't have default value)", name);
			free(name);
			cJSON_Delete(key);
			return NULL;
		}
		key_add_sorted(key, name, c);
		free(name);
	}
	return key;
}

/* Why a set cannot hold item, or NULL. */
static const char *set_refuses(const cJSON *item)
{
	if (cJSON_IsObject(item))
		return "associative list without keys has an element that's a map type";
	if (cJSON_IsArray(item))
		return "not supported: associative list with lists as elements";
	if (cJSON_IsNull(item))
		return "associative list without keys has an element that's an explicit null";
	return NULL;
}

/* The path element of item i of a list of type a: its key (a new object the caller frees with
 * pe_done), its value (borrowed) or its index. Returns 0, or -1 with upstream's message in err
 * (may be NULL). */
static int item_pe(struct aty a, const cJSON *item, int i, struct ape *pe, struct buf *err)
{
	const char *keys, *why;
	enum lrel rel = list_rel(a, &keys);
	memset(pe, 0, sizeof(*pe));
	pe->kind = APE_INDEX;
	pe->index = i;
	if (rel == LR_ATOMIC)
		return 0;
	if (rel == LR_SET) {
		if ((why = set_refuses(item))) {
			if (err)
				buf_adds(err, why);
			return -1;
		}
		pe->kind = APE_VALUE;
		pe->val = item;
		return 0;
	}
	if (!cJSON_IsObject(item)) {
		if (err)
			buf_adds(err, cJSON_IsNull(item) ? "associative list with keys may not have a null element"
							 : "associative list with keys may not have non-map elements");
		return -1;
	}
	if (!(pe->val = element_key(keys, item, err)))
		return -1;
	pe->kind = APE_KEY;
	return 0;
}

static void pe_done(struct ape *pe)
{
	if (pe->kind == APE_KEY)
		cJSON_Delete((cJSON *)pe->val);
	pe->val = NULL;
}

/* The distinct elements of a list, in order of first occurrence. */
struct litem {
	struct ape pe; /* key object owned for APE_KEY */
	const cJSON *item;
	int count;
};

struct lindex {
	struct litem *v;
	size_t n;
	size_t *sorted; /* indexes of v sorted by pe */
};

static struct litem *ix_find(const struct lindex *ix, const struct ape *pe)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = apply__pe_cmp(&ix->v[ix->sorted[mid]].pe, pe);
		if (!c)
			return &ix->v[ix->sorted[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Adds a distinct element (pe taken over) to the index, keeping the sorted order. */
static void ix_add(struct lindex *ix, struct ape pe, const cJSON *item)
{
	size_t lo = 0, hi = ix->n;
	ix->v = xrealloc(ix->v, (ix->n + 1) * sizeof(*ix->v));
	ix->sorted = xrealloc(ix->sorted, (ix->n + 1) * sizeof(*ix->sorted));
	ix->v[ix->n] = (struct litem){ pe, item, 1 };
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (apply__pe_cmp(&ix->v[ix->sorted[mid]].pe, &pe) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(&ix->sorted[lo + 1], &ix->sorted[lo], (ix->n - lo) * sizeof(*ix->sorted));
	ix->sorted[lo] = ix->n++;
}

/* Indexes list (NULL or not an array: empty); elements without a path element are left out. */
static void ix_build(struct aty a, const cJSON *list, struct lindex *ix)
{
	const cJSON *c;
	int i = 0;
	memset(ix, 0, sizeof(*ix));
	cJSON_ArrayForEach(c, (cJSON_IsArray(list) ? list : NULL)) {
		struct ape pe;
		struct litem *dup;
		if (item_pe(a, c, i++, &pe, NULL) < 0)
			continue;
		if ((dup = ix_find(ix, &pe))) {
			dup->count++;
			pe_done(&pe);
			continue;
		}
		ix_add(ix, pe, c);
	}
}

static void ix_free(struct lindex *ix)
{
	for (size_t i = 0; i < ix->n; i++)
		pe_done(&ix->v[i].pe);
	free(ix->v);
	free(ix->sorted);
}

/* ---- equality ----------------------------------------------------------------------------- */

int apply__equal(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;
	if (cJSON_IsNumber(a) || cJSON_IsNumber(b))
		return cJSON_IsNumber(a) && cJSON_IsNumber(b) && a->valuedouble == b->valuedouble;
	if (cJSON_IsString(a) || cJSON_IsString(b))
		return cJSON_IsString(a) && cJSON_IsString(b) && !strcmp(a->valuestring, b->valuestring);
	if (cJSON_IsBool(a) || cJSON_IsBool(b))
		return cJSON_IsBool(a) && cJSON_IsBool(b) && cJSON_IsTrue(a) == cJSON_IsTrue(b);
	if (cJSON_IsArray(a) || cJSON_IsArray(b)) {
		if (!cJSON_IsArray(a) || !cJSON_IsArray(b))
			return 0;
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
			if (!apply__equal(x, y))
				return 0;
		return !x && !y;
	}
	if (cJSON_IsObject(a) || cJSON_IsObject(b)) {
		if (!cJSON_IsObject(a) || !cJSON_IsObject(b) || cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
			return 0;
		cJSON_ArrayForEach(x, a) {
			y = cJSON_GetObjectItemCaseSensitive(b, x->string);
			if (!y || !apply__equal(x, y))
				return 0;
		}
		return 1;
	}
	return (!a && !b) || (cJSON_IsNull(a) && cJSON_IsNull(b));
}

/* ---- validation (ObjectToTyped) ----------------------------------------------------------- */

struct verrs {
	struct buf msgs; /* "path: message" lines joined by '\n' */
	int n;
	struct pstack path;
};

/* Records "path: message" (just the message at the root). */
static void verr(struct verrs *e, const char *msg)
{
	if (e->n++)
		buf_addch(&e->msgs, '\n');
	apply__path_string(e->path.v, e->path.n, &e->msgs);
	if (e->path.n)
		buf_adds(&e->msgs, ": ");
	buf_adds(&e->msgs, msg);
}

/* Go's %T of a decoded JSON value held in an interface{}. */
static const char *go_type(const cJSON *v)
{
	return cJSON_IsString(v) ? "string" : cJSON_IsBool(v) ? "bool" : cJSON_IsNumber(v) ? "float64"
	       : cJSON_IsArray(v) ? "[]interface {}" : cJSON_IsObject(v) ? "map[string]interface {}" : "<nil>";
}

/* Go's %#v of a decoded JSON value held in an interface{}. */
static void go_sharp_v(const cJSON *v, struct buf *out)
{
	const cJSON *c;
	if (cJSON_IsString(v)) {
		buf_add_json_string(out, v->valuestring);
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		buf_adds(out, cJSON_IsArray(v) ? "[]interface {}{" : "map[string]interface {}{");
		cJSON_ArrayForEach(c, v) {
			if (c != v->child)
				buf_adds(out, ", ");
			if (c->string) {
				buf_add_json_string(out, c->string);
				buf_addch(out, ':');
			}
			go_sharp_v(c, out);
		}
		buf_addch(out, '}');
	} else if (cJSON_IsNull(v)) {
		buf_adds(out, "interface {}(nil)");
	} else {
		apply__go_v(v, out);
	}
}

static void validate_value(struct aty a, const cJSON *v, struct verrs *e);

static void validate_scalar(struct aty a, const cJSON *v, struct verrs *e)
{
	struct buf t = BUF_INIT;
	if (a.k != ATY_SCALAR || !v || cJSON_IsNull(v))
		return;
	switch (a.sk) {
	case SK_INT32:
	case SK_INT64:
	case SK_FLOAT64:
		if (!cJSON_IsNumber(v))
			buf_addf(&t, "expected numeric (int or float), got %s", go_type(v));
		break;
	case SK_BOOL:
		if (!cJSON_IsBool(v)) {
			buf_adds(&t, "expected boolean, got &{");
			apply__go_v(v, &t);
			buf_addch(&t, '}');
		}
		break;
	case SK_QUANTITY:
	case SK_INT_OR_STRING:
	case SK_RAW:
	case SK_OBJECT:
		break;
	default:
		if (!cJSON_IsString(v)) {
			buf_adds(&t, "expected string, got &value.valueUnstructured{Value:");
			go_sharp_v(v, &t);
			buf_addch(&t, '}');
		}
	}
	if (t.len)
		verr(e, buf_str(&t));
	buf_release(&t);
}

static void expected(struct verrs *e, const char *what, const cJSON *v)
{
	struct buf t = BUF_INIT;
	buf_addf(&t, "expected %s, got &{", what);
	apply__go_v(v, &t);
	buf_addch(&t, '}');
	verr(e, buf_str(&t));
	buf_release(&t);
}

static void validate_map(struct aty a, const cJSON *v, struct verrs *e)
{
	const cJSON *c;
	if (cJSON_IsNull(v))
		return;
	if (!cJSON_IsObject(v)) {
		expected(e, "map", v);
		return;
	}
	cJSON_ArrayForEach(c, v) {
		int declared;
		struct aty ct = aty_child(a, c->string, &declared);
		push_field(&e->path, c->string);
		if (a.k == ATY_STRUCT && !declared) {
			verr(e, "field not declared in schema");
			e->path.n--;
			return;
		}
		validate_value(ct, c, e);
		e->path.n--;
	}
}

static void validate_list(struct aty a, const cJSON *v, struct verrs *e)
{
	const cJSON *c;
	const char *keys;
	struct lindex seen;
	int i = 0;
	if (cJSON_IsNull(v))
		return;
	if (!cJSON_IsArray(v)) {
		expected(e, "list", v);
		return;
	}
	memset(&seen, 0, sizeof(seen));
	cJSON_ArrayForEach(c, v) {
		struct ape pe;
		struct buf why = BUF_INIT;
		buf_addf(&why, "element %d: ", i);
		if (item_pe(a, c, i++, &pe, &why) < 0) {
			verr(e, buf_str(&why));
			buf_release(&why);
			break;
		}
		buf_reset(&why);
		if (list_rel(a, &keys) != LR_ATOMIC && ix_find(&seen, &pe)) {
			buf_adds(&why, "duplicate entries for key ");
			apply__pe_string(&pe, &why);
			verr(e, buf_str(&why));
		} else if (list_rel(a, &keys) != LR_ATOMIC) {
			struct ape cp = pe;
			if (pe.kind == APE_KEY)
				cp.val = cJSON_Duplicate(pe.val, 1);
			ix_add(&seen, cp, c);
		}
		buf_release(&why);
		push(&e->path, pe);
		validate_value(aty_item(a), c, e);
		e->path.n--;
		pe_done(&pe);
	}
	ix_free(&seen);
}

static void validate_value(struct aty a, const cJSON *v, struct verrs *e)
{
	switch (handler(a, v)) {
	case H_SCALAR:
		validate_scalar(a, v, e);
		break;
	case H_MAP:
		validate_map(a, v, e);
		break;
	default:
		validate_list(a, v, e);
	}
}

int apply__validate(struct aty a, const cJSON *v, struct buf *err)
{
	struct verrs e = { BUF_INIT, 0, { NULL, 0, 0 } };
	validate_value(a, v, &e);
	if (e.n == 1) {
		buf_add(err, e.msgs.data, e.msgs.len);
	} else if (e.n > 1) {
		const char *p = buf_str(&e.msgs);
		buf_adds(err, "errors:");
		while (*p) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			buf_adds(err, "\n  ");
			buf_add(err, p, len);
			p += len + (nl != NULL);
		}
	}
	buf_release(&e.msgs);
	free(e.path.v);
	return e.n ? -1 : 0;
}

/* ---- field sets (ToFieldSet) -------------------------------------------------------------- */

static void to_set(struct aty a, const cJSON *v, struct pstack *p, struct apply_set *out);

static void to_set_list(struct aty a, const cJSON *v, struct pstack *p, struct apply_set *out)
{
	const char *keys;
	struct lindex ix;
	if (list_rel(a, &keys) == LR_ATOMIC) {
		apply__set_insert(out, p->v, p->n);
		return;
	}
	if (!cJSON_IsArray(v))
		return;
	ix_build(a, v, &ix);
	for (size_t i = 0; i < ix.n; i++) {
		push(p, ix.v[i].pe);
		if (ix.v[i].count == 1)
			to_set(aty_item(a), ix.v[i].item, p, out);
		apply__set_insert(out, p->v, p->n);
		p->n--;
	}
	ix_free(&ix);
}

static void to_set(struct aty a, const cJSON *v, struct pstack *p, struct apply_set *out)
{
	const cJSON *c;
	switch (handler(a, v)) {
	case H_SCALAR:
		apply__set_insert(out, p->v, p->n);
		break;
	case H_LIST:
		to_set_list(a, v, p, out);
		break;
	default:
		if (map_atomic(a)) {
			apply__set_insert(out, p->v, p->n);
			break;
		}
		cJSON_ArrayForEach(c, (cJSON_IsObject(v) ? v : NULL)) {
			int declared;
			struct aty ct = aty_child(a, c->string, &declared);
			push_field(p, c->string);
			to_set(ct, c, p, out);
			if (!declared)
				apply__set_insert(out, p->v, p->n);
			p->n--;
		}
	}
}

void apply__to_set(struct aty a, const cJSON *v, struct apply_set *out)
{
	struct pstack p = { NULL, 0, 0 };
	if (v)
		to_set(a, v, &p, out);
	free(p.v);
}

struct apply_set *apply_set_from_object(const struct sch_type *type, const cJSON *value)
{
	struct apply_set *s = apply__set_new();
	apply__to_set(apply__aty_top(type), value, s);
	return s;
}

/* ---- merge (ruleKeepRHS) ------------------------------------------------------------------ */

static int empty_container(const cJSON *v, int array)
{
	return array ? !cJSON_IsArray(v) || !v->child : !cJSON_IsObject(v) || !v->child;
}

static cJSON *dup(const cJSON *v)
{
	return v ? cJSON_Duplicate(v, 1) : NULL;
}

static void add_item(cJSON *arr, cJSON *v)
{
	if (v)
		cJSON_AddItemToArray(arr, v);
}

/* Appends every element of list whose path element is pe (the duplicates of a live key). */
static void add_group(struct aty a, const cJSON *list, const struct litem *it, cJSON *out)
{
	const cJSON *c;
	int i = 0;
	if (it->count == 1) {
		add_item(out, dup(it->item));
		return;
	}
	cJSON_ArrayForEach(c, list) {
		struct ape pe;
		if (item_pe(a, c, i++, &pe, NULL) < 0)
			continue;
		if (!apply__pe_cmp(&pe, &it->pe))
			add_item(out, dup(c));
		pe_done(&pe);
	}
}

/* The next element of the right-hand order that the left-hand side also has, from *k. */
static const struct litem *next_shared(const struct lindex *r, const struct lindex *l, size_t *k)
{
	while (*k < r->n && !ix_find(l, &r->v[*k].pe))
		(*k)++;
	return *k < r->n ? &r->v[(*k)++] : NULL;
}

/* upstream's visitListItems ordering: left-hand order, right-hand items inserted where the
 * shared items say, shared items in right-hand order. */
static cJSON *merge_list_items(struct aty a, const cJSON *lhs, const cJSON *rhs)
{
	struct lindex l, r;
	size_t li = 0, ri = 0, k = 0;
	cJSON *out = cJSON_CreateArray();
	ix_build(a, lhs, &l);
	ix_build(a, rhs, &r);
	const struct litem *shared = next_shared(&r, &l, &k);
	while (li < l.n || ri < r.n) {
		if (li < l.n && ri < r.n) {
			const struct litem *x = &l.v[li];
			if (!apply__pe_cmp(&x->pe, &r.v[ri].pe)) {
				add_item(out, x->count > 1 ? dup(r.v[ri].item)
							   : apply__merge(aty_item(a), x->item, r.v[ri].item));
				li++, ri++;
				shared = next_shared(&r, &l, &k);
				continue;
			}
			if (ix_find(&r, &x->pe) && shared && apply__pe_cmp(&shared->pe, &x->pe)) {
				li++;
				continue;
			}
		}
		if (li < l.n && !ix_find(&r, &l.v[li].pe)) {
			add_group(a, lhs, &l.v[li++], out);
			continue;
		}
		if (ri < r.n) {
			const struct litem *y = &r.v[ri++], *x = ix_find(&l, &y->pe);
			add_item(out, x && x->count == 1 ? apply__merge(aty_item(a), x->item, y->item) : dup(y->item));
			if (shared && !apply__pe_cmp(&shared->pe, &y->pe))
				shared = next_shared(&r, &l, &k);
			continue;
		}
		li++; /* a left-hand item the right-hand side had earlier: already merged */
	}
	ix_free(&l);
	ix_free(&r);
	if (!out->child) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

static cJSON *merge_map_items(struct aty a, const cJSON *lhs, const cJSON *rhs)
{
	const cJSON *c;
	cJSON *out = cJSON_CreateObject();
	cJSON_ArrayForEach(c, (cJSON_IsObject(lhs) ? lhs : NULL)) {
		int declared;
		const cJSON *r = cJSON_IsObject(rhs) ? cJSON_GetObjectItemCaseSensitive(rhs, c->string) : NULL;
		cJSON *m = apply__merge(aty_child(a, c->string, &declared), c, r);
		if (m)
			cJSON_AddItemToObject(out, c->string, m);
	}
	cJSON_ArrayForEach(c, (cJSON_IsObject(rhs) ? rhs : NULL))
		if (!cJSON_IsObject(lhs) || !cJSON_GetObjectItemCaseSensitive(lhs, c->string))
			cJSON_AddItemToObject(out, c->string, dup(c));
	if (!out->child) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

cJSON *apply__merge(struct aty a, const cJSON *lhs, const cJSON *rhs)
{
	const char *keys;
	if (!lhs || !rhs)
		return dup(rhs ? rhs : lhs);
	switch (handler(a, rhs)) {
	case H_MAP:
		if (map_atomic(a) || (empty_container(lhs, 0) && empty_container(rhs, 0)))
			return dup(rhs);
		return merge_map_items(a, lhs, rhs);
	case H_LIST:
		if (list_rel(a, &keys) == LR_ATOMIC || (empty_container(lhs, 1) && empty_container(rhs, 1)))
			return dup(rhs);
		return merge_list_items(a, lhs, rhs);
	default:
		return dup(rhs);
	}
}

/* ---- compare ------------------------------------------------------------------------------ */

struct cmp {
	struct apply_set *added, *modified, *removed;
	struct pstack p;
};

static void compare(struct aty a, const cJSON *lhs, const cJSON *rhs, struct cmp *c);

static void leaf(const cJSON *lhs, const cJSON *rhs, struct cmp *c)
{
	if (!lhs)
		apply__set_insert(c->added, c->p.v, c->p.n);
	else if (!rhs)
		apply__set_insert(c->removed, c->p.v, c->p.n);
	else if (!apply__equal(lhs, rhs))
		apply__set_insert(c->modified, c->p.v, c->p.n);
}

/* Compares the elements with key it (present on one side at least); repeated keys compare
 * their whole group as one leaf. */
static void compare_item(struct aty a, const cJSON *lhs, const cJSON *rhs, const struct litem *x,
			 const struct litem *y, struct cmp *c)
{
	const struct litem *it = x ? x : y;
	push(&c->p, it->pe);
	if ((x && x->count > 1) || (y && y->count > 1)) {
		cJSON *gl = x ? cJSON_CreateArray() : NULL, *gr = y ? cJSON_CreateArray() : NULL;
		if (x)
			add_group(a, lhs, x, gl);
		if (y)
			add_group(a, rhs, y, gr);
		leaf(gl, gr, c);
		cJSON_Delete(gl);
		cJSON_Delete(gr);
	} else {
		compare(aty_item(a), x ? x->item : NULL, y ? y->item : NULL, c);
	}
	c->p.n--;
}

static void compare_list(struct aty a, const cJSON *lhs, const cJSON *rhs, struct cmp *c)
{
	struct lindex l, r;
	ix_build(a, lhs, &l);
	ix_build(a, rhs, &r);
	for (size_t i = 0; i < l.n; i++)
		compare_item(a, lhs, rhs, &l.v[i], ix_find(&r, &l.v[i].pe), c);
	for (size_t i = 0; i < r.n; i++)
		if (!ix_find(&l, &r.v[i].pe))
			compare_item(a, lhs, rhs, NULL, &r.v[i], c);
	ix_free(&l);
	ix_free(&r);
}

static void compare_map(struct aty a, const cJSON *lhs, const cJSON *rhs, struct cmp *c)
{
	const cJSON *x;
	int declared;
	const cJSON *l = cJSON_IsObject(lhs) ? lhs : NULL, *r = cJSON_IsObject(rhs) ? rhs : NULL;
	cJSON_ArrayForEach(x, l) {
		push_field(&c->p, x->string);
		compare(aty_child(a, x->string, &declared), x, r ? cJSON_GetObjectItemCaseSensitive(r, x->string) : NULL, c);
		c->p.n--;
	}
	cJSON_ArrayForEach(x, r) {
		if (l && cJSON_GetObjectItemCaseSensitive(l, x->string))
			continue;
		push_field(&c->p, x->string);
		compare(aty_child(a, x->string, &declared), NULL, x, c);
		c->p.n--;
	}
}

/* One handler's walk; hook: upstream's postItemHook for containers walked item by item. */
static void compare_with(enum handler h, struct aty a, const cJSON *lhs, const cJSON *rhs, struct cmp *c)
{
	const char *keys;
	if (h == H_SCALAR) {
		leaf(lhs, rhs, c);
		return;
	}
	if (h == H_MAP ? map_atomic(a) || (empty_container(lhs, 0) && empty_container(rhs, 0))
		       : list_rel(a, &keys) == LR_ATOMIC || (empty_container(lhs, 1) && empty_container(rhs, 1))) {
		leaf(lhs, rhs, c);
		return;
	}
	if (h == H_MAP)
		compare_map(a, lhs, rhs, c);
	else
		compare_list(a, lhs, rhs, c);
	if (!lhs)
		apply__set_insert(c->added, c->p.v, c->p.n);
	else if (!rhs)
		apply__set_insert(c->removed, c->p.v, c->p.n);
}

static void compare(struct aty a, const cJSON *lhs, const cJSON *rhs, struct cmp *c)
{
	enum handler hl = handler(a, lhs), hr = handler(a, rhs);
	if (!lhs && !rhs)
		return;
	if (!rhs || !lhs || hl == hr) {
		compare_with(rhs ? hr : hl, a, lhs, rhs, c);
		return;
	}
	compare_with(hl, a, lhs, rhs, c);
	compare_with(hr, a, lhs, rhs, c);
}

void apply__compare(struct aty a, const cJSON *lhs, const cJSON *rhs, struct apply_set *added,
		    struct apply_set *modified, struct apply_set *removed)
{
	struct cmp c = { added, modified, removed, { NULL, 0, 0 } };
	compare(a, lhs, rhs, &c);
	free(c.p.v);
}

/* ---- RemoveItems -------------------------------------------------------------------------- */

static cJSON *remove_list(struct aty a, const cJSON *v, const struct apply_set *s)
{
	const cJSON *c;
	const char *keys;
	int i = 0;
	cJSON *out;
	if (!cJSON_IsArray(v) || !v->child || list_rel(a, &keys) == LR_ATOMIC)
		return cJSON_CreateNull();
	out = cJSON_CreateArray();
	cJSON_ArrayForEach(c, v) {
		struct ape pe;
		const struct apply_set *sub;
		if (item_pe(a, c, i++, &pe, NULL) < 0) {
			add_item(out, dup(c));
			continue;
		}
		if (!apply__set_has_member(s, &pe)) {
			sub = apply__set_child(s, &pe);
			add_item(out, sub && !apply_set_empty(sub) ? apply__remove(aty_item(a), c, sub) : dup(c));
		}
		pe_done(&pe);
	}
	if (!out->child) {
		cJSON_Delete(out);
		return cJSON_CreateNull();
	}
	return out;
}

static cJSON *remove_map(struct aty a, const cJSON *v, const struct apply_set *s)
{
	const cJSON *c;
	cJSON *out;
	if (!cJSON_IsObject(v) || !v->child || map_atomic(a))
		return cJSON_CreateNull();
	out = cJSON_CreateObject();
	cJSON_ArrayForEach(c, v) {
		struct ape pe = { .kind = APE_FIELD, .name = c->string };
		const struct apply_set *sub;
		int declared;
		if (apply__set_has_member(s, &pe))
			continue;
		sub = apply__set_child(s, &pe);
		cJSON_AddItemToObject(out, c->string, sub && !apply_set_empty(sub)
							      ? apply__remove(aty_child(a, c->string, &declared), c, sub)
							      : dup(c));
	}
	if (!out->child) {
		cJSON_Delete(out);
		return cJSON_CreateNull();
	}
	return out;
}

cJSON *apply__remove(struct aty a, const cJSON *v, const struct apply_set *s)
{
	if (!v)
		return NULL;
	switch (handler(a, v)) {
	case H_SCALAR:
		return dup(v);
	case H_LIST:
		return remove_list(a, v, s);
	default:
		return remove_map(a, v, s);
	}
}

/* ---- EnsureNamedFieldsAreMembers ---------------------------------------------------------- */

struct apply_set *apply__named(struct aty a, const struct apply_set *s)
{
	struct apply_set *o = apply__set_copy(s);
	struct aty none = { .k = ATY_SCALAR, .sk = SK_STRING };
	for (size_t i = 0; i < o->nc; i++) {
		const struct ape *pe = &o->c[i].pe;
		struct aty ct = none;
		int declared = 0;
		if (pe->kind == APE_FIELD && (a.k == ATY_STRUCT || a.k == ATY_MAP || a.k == ATY_DEDUCED))
			ct = aty_child(a, pe->name, &declared);
		else if (pe->kind == APE_KEY && a.k == ATY_LIST)
			ct = aty_item(a);
		struct apply_set *named = apply__named(ct, o->c[i].set);
		apply_set_free(o->c[i].set);
		o->c[i].set = named;
	}
	for (size_t i = 0, n = o->nc; i < n; i++) {
		int declared = 0;
		if (o->c[i].pe.kind == APE_FIELD && a.k == ATY_STRUCT) {
			aty_child(a, o->c[i].pe.name, &declared);
			if (declared)
				apply__set_add_member(o, &o->c[i].pe);
		}
	}
	return o;
}
