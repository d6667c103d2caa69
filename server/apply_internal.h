/*
 * apply_internal.h - what the three files of the apply module share: path elements and field
 * sets (apply_set.c), the schema walks over JSON values (apply_typed.c), used by the managed
 * fields logic (apply.c). Nothing here is for other modules; see apply.h for the public contract.
 */
#ifndef KUBE_APPLY_INTERNAL_H
#define KUBE_APPLY_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "server/apply.h"
#include "server/schema.h"

struct buf;

/* ---- path elements (fieldpath.PathElement) ------------------------------------------------ */

/* The kinds, in upstream's comparison order. */
enum ape_kind {
	APE_FIELD, /* a struct field or a map key: name */
	APE_KEY,   /* a list-map element: val is an object of its key fields, sorted by name */
	APE_VALUE, /* a set element: val is the scalar */
	APE_INDEX, /* an atomic list element: index */
};

/* A path element. Whether name and val are owned depends on where it lives: elements stored in
 * a set own theirs (apply__pe_copy), elements on a walk's path stack borrow them. */
struct ape {
	enum ape_kind kind;
	int index;
	const char *name;
	const cJSON *val;
};

/* upstream's PathElement.Compare: fields < keys < values < indexes; names bytewise; keys field by
 * field (name, then value); values by value.Compare (numbers numerically first, then strings,
 * booleans, lists, maps, null). Returns <0, 0 or >0. */
int apply__pe_cmp(const struct ape *a, const struct ape *b);
/* value.Compare on two JSON values. */
int apply__value_cmp(const cJSON *a, const cJSON *b);
/* Deep copy (name and val duplicated). */
void apply__pe_copy(struct ape *dst, const struct ape *src);
/* Frees what an owned element holds. */
void apply__pe_release(struct ape *pe);
/* The fieldsV1 key: "f:name", "k:{\"name\":\"web\"}", "v:\"x\"", "i:0". */
void apply__pe_render(const struct ape *pe, struct buf *out);
/* upstream's PathElement.String: ".name", "[name=\"web\"]", "[=\"x\"]", "[0]". */
void apply__pe_string(const struct ape *pe, struct buf *out);
/* Appends s as a JSON string as Go's encoding/json writes it: HTML-safe (\u003c \u003e \u0026),
 * U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd. */
void apply__go_string(const char *s, struct buf *out);
/* Appends v as Go's encoding/json writes it (sorted keys, HTML-safe escapes, Go numbers). */
void apply__go_json(const cJSON *v, struct buf *out);
/* Appends a JSON number as Go's encoding/json writes a float64 (80, 1.5, 1e+21). */
void apply__go_number(double d, struct buf *out);

/* ---- field sets (fieldpath.Set) ----------------------------------------------------------- */

struct apply_node {
	struct ape pe;        /* owned */
	struct apply_set *set; /* owned, never NULL */
};

/* members: owned path elements, sorted; children: subsets keyed by element, sorted. A child may
 * be empty only transiently (operations drop empty children). */
struct apply_set {
	struct ape *m;
	size_t nm, cm;
	struct apply_node *c;
	size_t nc, cc;
};

struct apply_set *apply__set_new(void);
struct apply_set *apply__set_copy(const struct apply_set *s);
/* Adds the path p[0..n) (copied); an empty path is ignored (nobody owns the whole object). */
void apply__set_insert(struct apply_set *s, const struct ape *p, size_t n);
/* Adds pe as a member of s (copied). */
void apply__set_add_member(struct apply_set *s, const struct ape *pe);
/* The child set under pe, created if absent. */
struct apply_set *apply__set_descend(struct apply_set *s, const struct ape *pe);
int apply__set_has_member(const struct apply_set *s, const struct ape *pe);
int apply__set_has(const struct apply_set *s, const struct ape *p, size_t n);
/* The child set under pe (borrowed) or NULL (upstream's WithPrefix, without membership). */
const struct apply_set *apply__set_child(const struct apply_set *s, const struct ape *pe);
/* New sets: a | b; a & b (leaves in both); a - b (members of b removed, not their children);
 * a - b removing every member of b together with everything under it. */
struct apply_set *apply__set_union(const struct apply_set *a, const struct apply_set *b);
struct apply_set *apply__set_intersect(const struct apply_set *a, const struct apply_set *b);
struct apply_set *apply__set_diff(const struct apply_set *a, const struct apply_set *b);
struct apply_set *apply__set_rdiff(const struct apply_set *a, const struct apply_set *b);
/* Calls fn(path, n, ctx) for each member, preorder: the members of a level, then its children. */
void apply__set_iterate(const struct apply_set *s, void (*fn)(const struct ape *p, size_t n, void *ctx),
			void *ctx);
/* The fieldsV1 value of s as a new cJSON object (apply_set_render()'s members and order). */
cJSON *apply__set_json(const struct apply_set *s);
/* Appends a path in upstream's Path.String notation. */
void apply__path_string(const struct ape *p, size_t n, struct buf *out);

/* ---- schema types (schema.Atom) ----------------------------------------------------------- */

enum aty_kind {
	ATY_SCALAR,  /* a leaf of kind sk */
	ATY_STRUCT,  /* an object with declared fields (st) */
	ATY_MAP,     /* map[string]T of field f (SF_MAP) */
	ATY_LIST,    /* a list of field f; in_map: the value of f's SF_MAP (map of lists) */
	ATY_DEDUCED, /* free-form: objects granular, lists atomic, anything else a leaf */
};

struct aty {
	enum aty_kind k;
	enum sch_kind sk;
	const struct sch_type *st;
	const struct sch_field *f;
	int in_map;
};

/* The type of a top-level object (ATY_DEDUCED for NULL or free-form types). */
struct aty apply__aty_top(const struct sch_type *t);

/* ---- walks over values (typed.TypedValue) ------------------------------------------------- */

/* Validates an applied configuration as upstream's ObjectToTyped does (without duplicates):
 * appends upstream's message to err ("errors:\n  " joined when several) and returns -1, or 0. */
int apply__validate(struct aty a, const cJSON *v, struct buf *err);
/* The owned fields of v (ToFieldSet), inserted into out. */
void apply__to_set(struct aty a, const cJSON *v, struct apply_set *out);
/* The merge of rhs (the configuration) into lhs (live), as Merge with ruleKeepRHS. Either may be
 * NULL (absent). Returns a new tree or NULL (absent). */
cJSON *apply__merge(struct aty a, const cJSON *lhs, const cJSON *rhs);
/* Compare: the fields added, modified and removed from lhs to rhs, inserted into the sets. */
void apply__compare(struct aty a, const cJSON *lhs, const cJSON *rhs, struct apply_set *added,
		    struct apply_set *modified, struct apply_set *removed);
/* RemoveItems: a copy of v without the members of s (and everything under them). NULL v gives
 * NULL; a container left empty becomes null, as upstream's walker leaves it. */
cJSON *apply__remove(struct aty a, const cJSON *v, const struct apply_set *s);
/* EnsureNamedFieldsAreMembers: a copy of s where every struct field with owned children is
 * also a member. */
struct apply_set *apply__named(struct aty a, const struct apply_set *s);
/* value.Equals. */
int apply__equal(const cJSON *a, const cJSON *b);
/* Go's %v of a JSON value held in an interface{} (for messages). */
void apply__go_v(const cJSON *v, struct buf *out);

#endif
