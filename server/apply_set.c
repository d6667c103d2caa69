/*
 * apply_set.c - field paths and field sets for server-side apply: structured-merge-diff's
 * fieldpath package (PathElement, Set) and its FieldsV1 serialisation, written against cJSON.
 *
 * DESIGN
 * A set is a trie: at each level a sorted array of members (path elements owned at this level)
 * and a sorted array of children (path element -> subset). A path is owned when its last
 * element is a member of the subset its prefix leads to; a child only says that something below
 * is owned. Sorting follows upstream's PathElement.Compare, so every operation is a merge of two
 * sorted arrays, and rendering walks the arrays in order, which is what makes the fieldsV1 JSON
 * byte for byte upstream's. Key and value elements hold cJSON values (keys as an object sorted
 * by field name) and are compared with value.Compare's total order. Operations return new sets;
 * nothing is shared between sets, so any set can be freed independently.
 */
#include "server/apply_internal.h"
#include "lib/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"
#include "server/validate.h"

/* ---- Go's JSON encoding ------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the byte starts none. */
static size_t utf8_len(const unsigned char *s)
{
	int32_t r;
	size_t n = utf8_decode(s, (size_t)-1, &r);
	return r < 0 ? 0 : n;
}

void apply__go_string(const char *s, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	buf_addch(out, '"');
	while (*p) {
		size_t n = utf8_len(p);
		if (*p == '"' || *p == '\\') {
			buf_addch(out, '\\');
			buf_addch(out, (char)*p);
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			buf_adds(out, *p == '\n' ? "\\n" : *p == '\r' ? "\\r" : "\\t");
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			char e[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };
			buf_add(out, e, 6);
		} else if (n == 0) {
			buf_adds(out, "\\ufffd");
			p++;
			continue;
		} else if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			buf_adds(out, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
		} else {
			buf_add(out, p, n);
		}
		p += n;
	}
	buf_addch(out, '"');
}

/* The shortest decimal digits of d (> 0, finite) and its exponent: d = 0.DIGITS x 10^(exp+1),
 * i.e. the first digit has weight 10^exp. Returns the number of digits. */
static int shortest_digits(double d, char digits[24], int *exp)
{
	char tmp[40];
	for (int p = 0; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p, d);
		if (strtod(tmp, NULL) == d || p == 16) {
			int n = 0;
			char *e = strchr(tmp, 'e');
			for (char *c = tmp; c < e; c++)
				if (*c >= '0' && *c <= '9')
					digits[n++] = *c;
			while (n > 1 && digits[n - 1] == '0')
				n--;
			digits[n] = 0;
			*exp = atoi(e + 1);
			return n;
		}
	}
	return 0;
}

/* Appends |d| (positive) in fixed notation from its shortest digits. */
static void fixed_digits(const char *dig, int n, int exp, struct buf *out)
{
	if (exp < 0) {
		buf_adds(out, "0.");
		for (int i = 0; i < -exp - 1; i++)
			buf_addch(out, '0');
		buf_add(out, dig, (size_t)n);
		return;
	}
	for (int i = 0; i <= exp || i < n; i++) {
		if (i == exp + 1)
			buf_addch(out, '.');
		buf_addch(out, i < n ? dig[i] : '0');
	}
}

/* Appends |d| in Go's 'e' notation with exponent digits at least min_exp wide. */
static void exp_digits(const char *dig, int n, int exp, int min_exp, struct buf *out)
{
	buf_addch(out, dig[0]);
	if (n > 1) {
		buf_addch(out, '.');
		buf_add(out, dig + 1, (size_t)n - 1);
	}
	buf_addf(out, "e%c%0*d", exp < 0 ? '-' : '+', min_exp, exp < 0 ? -exp : exp);
}

static int is_int64(double d)
{
	return d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0;
}

void apply__go_number(double d, struct buf *out)
{
	char dig[24];
	int exp, n;
	if (is_int64(d)) {
		buf_addf(out, "%lld", (long long)d);
		return;
	}
	if (!isfinite(d)) {
		buf_adds(out, "null");
		return;
	}
	if (d < 0)
		buf_addch(out, '-');
	n = shortest_digits(fabs(d), dig, &exp);
	if (fabs(d) < 1e-6 || fabs(d) >= 1e21)
		exp_digits(dig, n, exp, 1, out);
	else
		fixed_digits(dig, n, exp, out);
}

/* Go's %v of a float64: strconv 'g' with the shortest digits, %e below 1e-4 and from 1e+06. */
static void go_v_number(double d, struct buf *out)
{
	char dig[24];
	int exp, n;
	if (is_int64(d)) {
		buf_addf(out, "%lld", (long long)d);
		return;
	}
	if (!isfinite(d)) {
		buf_adds(out, isnan(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (d < 0)
		buf_addch(out, '-');
	n = shortest_digits(fabs(d), dig, &exp);
	if (exp < -4 || exp >= 21)
		exp_digits(dig, n, exp, 2, out);
	else
		fixed_digits(dig, n, exp, out);
}

static int cmp_key_names(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

/* The members of an object sorted by name (stable for equal names), in a new array of n. */
static const cJSON **sorted_members(const cJSON *obj, size_t *n)
{
	const cJSON *c;
	size_t k = 0;
	*n = 0;
	cJSON_ArrayForEach(c, obj)
		(*n)++;
	const cJSON **v = xcalloc(*n ? *n : 1, sizeof(*v));
	cJSON_ArrayForEach(c, obj)
		v[k++] = c;
	/* insertion sort: stable, and objects here are small */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && cmp_key_names(&v[j - 1], &v[j]) > 0; j--) {
			const cJSON *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v;
}

void apply__go_json(const cJSON *v, struct buf *out)
{
	size_t n;
	const cJSON *c;
	if (cJSON_IsString(v)) {
		apply__go_string(v->valuestring, out);
	} else if (cJSON_IsNumber(v)) {
		apply__go_number(v->valuedouble, out);
	} else if (cJSON_IsBool(v)) {
		buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsArray(v)) {
		buf_addch(out, '[');
		cJSON_ArrayForEach(c, v) {
			if (c != v->child)
				buf_addch(out, ',');
			apply__go_json(c, out);
		}
		buf_addch(out, ']');
	} else if (cJSON_IsObject(v)) {
		const cJSON **m = sorted_members(v, &n);
		buf_addch(out, '{');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_addch(out, ',');
			apply__go_string(m[i]->string, out);
			buf_addch(out, ':');
			apply__go_json(m[i], out);
		}
		buf_addch(out, '}');
		free(m);
	} else {
		buf_adds(out, "null");
	}
}

void apply__go_v(const cJSON *v, struct buf *out)
{
	size_t n;
	const cJSON *c;
	if (cJSON_IsString(v)) {
		buf_adds(out, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		go_v_number(v->valuedouble, out);
	} else if (cJSON_IsBool(v)) {
		buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsArray(v)) {
		buf_addch(out, '[');
		cJSON_ArrayForEach(c, v) {
			if (c != v->child)
				buf_addch(out, ' ');
			apply__go_v(c, out);
		}
		buf_addch(out, ']');
	} else if (cJSON_IsObject(v)) {
		const cJSON **m = sorted_members(v, &n);
		buf_adds(out, "map[");
		for (size_t i = 0; i < n; i++) {
			buf_addf(out, "%s%s:", i ? " " : "", m[i]->string);
			apply__go_v(m[i], out);
		}
		buf_addch(out, ']');
		free(m);
	} else {
		buf_adds(out, "<nil>");
	}
}

/* ---- values ------------------------------------------------------------------------------- */

/* value.Compare's type order: numbers, strings, booleans, lists, maps, null. */
static int value_rank(const cJSON *v)
{
	if (cJSON_IsNumber(v))
		return 0;
	if (cJSON_IsString(v))
		return 1;
	if (cJSON_IsBool(v))
		return 2;
	if (cJSON_IsArray(v))
		return 3;
	if (cJSON_IsObject(v))
		return 4;
	return 5;
}

static int map_cmp(const cJSON *a, const cJSON *b)
{
	size_t na, nb;
	const cJSON **x = sorted_members(a, &na), **y = sorted_members(b, &nb);
	int c = 0;
	for (size_t i = 0; !c; i++) {
		if (i >= na || i >= nb) {
			c = na == nb ? 0 : i >= na ? -1 : 1;
			break;
		}
		c = strcmp(x[i]->string, y[i]->string);
		if (!c)
			c = apply__value_cmp(x[i], y[i]);
	}
	free(x);
	free(y);
	return c < 0 ? -1 : c > 0;
}

int apply__value_cmp(const cJSON *a, const cJSON *b)
{
	int ra = value_rank(a), rb = value_rank(b), c;
	const cJSON *x, *y;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0:
		return a->valuedouble < b->valuedouble ? -1 : a->valuedouble > b->valuedouble;
	case 1:
		c = strcmp(a->valuestring, b->valuestring);
		return c < 0 ? -1 : c > 0;
	case 2:
		return cJSON_IsTrue(a) == cJSON_IsTrue(b) ? 0 : cJSON_IsTrue(a) ? 1 : -1;
	case 3:
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
			if ((c = apply__value_cmp(x, y)))
				return c;
		return x ? 1 : y ? -1 : 0;
	case 4:
		return map_cmp(a, b);
	default:
		return 0;
	}
}

/* value.ToString: strings quoted as %q, maps as k=v concatenated. */
static void value_string(const cJSON *v, struct buf *out)
{
	size_t n;
	const cJSON *c;
	if (cJSON_IsString(v)) {
		field_quote(out, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		go_v_number(v->valuedouble, out);
	} else if (cJSON_IsBool(v)) {
		buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsArray(v)) {
		buf_addch(out, '[');
		cJSON_ArrayForEach(c, v) {
			if (c != v->child)
				buf_addch(out, ',');
			value_string(c, out);
		}
		buf_addch(out, ']');
	} else if (cJSON_IsObject(v)) {
		const cJSON **m = sorted_members(v, &n);
		for (size_t i = 0; i < n; i++) {
			buf_addf(out, "%s=", m[i]->string);
			value_string(m[i], out);
		}
		free(m);
	} else {
		buf_adds(out, "null");
	}
}

/* ---- path elements ------------------------------------------------------------------------ */

int apply__pe_cmp(const struct ape *a, const struct ape *b)
{
	const cJSON *x, *y;
	int c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case APE_FIELD:
		c = strcmp(a->name, b->name);
		return c < 0 ? -1 : c > 0;
	case APE_KEY:
		for (x = a->val->child, y = b->val->child; x && y; x = x->next, y = y->next) {
			if ((c = strcmp(x->string, y->string)))
				return c < 0 ? -1 : 1;
			if ((c = apply__value_cmp(x, y)))
				return c;
		}
		return x ? 1 : y ? -1 : 0;
	case APE_VALUE:
		return apply__value_cmp(a->val, b->val);
	default:
		return a->index < b->index ? -1 : a->index > b->index;
	}
}

void apply__pe_copy(struct ape *dst, const struct ape *src)
{
	*dst = *src;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->val = src->val ? cJSON_Duplicate(src->val, 1) : NULL;
}

void apply__pe_release(struct ape *pe)
{
	free((char *)pe->name);
	cJSON_Delete((cJSON *)pe->val);
	pe->name = NULL;
	pe->val = NULL;
}

void apply__pe_render(const struct ape *pe, struct buf *out)
{
	const cJSON *c;
	switch (pe->kind) {
	case APE_FIELD:
		buf_addf(out, "f:%s", pe->name);
		break;
	case APE_KEY:
		buf_adds(out, "k:{");
		cJSON_ArrayForEach(c, pe->val) {
			if (c != pe->val->child)
				buf_addch(out, ',');
			apply__go_string(c->string, out);
			buf_addch(out, ':');
			apply__go_json(c, out);
		}
		buf_addch(out, '}');
		break;
	case APE_VALUE:
		buf_adds(out, "v:");
		apply__go_json(pe->val, out);
		break;
	default:
		buf_addf(out, "i:%d", pe->index);
	}
}

void apply__pe_string(const struct ape *pe, struct buf *out)
{
	const cJSON *c;
	switch (pe->kind) {
	case APE_FIELD:
		buf_addf(out, ".%s", pe->name);
		break;
	case APE_KEY:
		buf_addch(out, '[');
		cJSON_ArrayForEach(c, pe->val) {
			buf_addf(out, "%s%s=", c == pe->val->child ? "" : ",", c->string);
			value_string(c, out);
		}
		buf_addch(out, ']');
		break;
	case APE_VALUE:
		buf_adds(out, "[=");
		value_string(pe->val, out);
		buf_addch(out, ']');
		break;
	default:
		buf_addf(out, "[%d]", pe->index);
	}
}

void apply__path_string(const struct ape *p, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++)
		apply__pe_string(&p[i], out);
}

/* ---- sets: construction ------------------------------------------------------------------- */

struct apply_set *apply__set_new(void)
{
	return xcalloc(1, sizeof(struct apply_set));
}

void apply_set_free(struct apply_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nm; i++)
		apply__pe_release(&s->m[i]);
	for (size_t i = 0; i < s->nc; i++) {
		apply__pe_release(&s->c[i].pe);
		apply_set_free(s->c[i].set);
	}
	free(s->m);
	free(s->c);
	free(s);
}

/* Appends a copy of pe to the members (the caller keeps them sorted). */
static void push_member(struct apply_set *s, const struct ape *pe)
{
	if (s->nm == s->cm) {
		s->cm = s->cm ? 2 * s->cm : 4;
		s->m = xrealloc(s->m, s->cm * sizeof(*s->m));
	}
	apply__pe_copy(&s->m[s->nm++], pe);
}

/* Appends a child (pe copied, set taken over). */
static void push_child(struct apply_set *s, const struct ape *pe, struct apply_set *set)
{
	if (s->nc == s->cc) {
		s->cc = s->cc ? 2 * s->cc : 4;
		s->c = xrealloc(s->c, s->cc * sizeof(*s->c));
	}
	apply__pe_copy(&s->c[s->nc].pe, pe);
	s->c[s->nc++].set = set;
}

/* Binary search: the index of pe among the members (or where it would go); *found set. */
static size_t find_member(const struct apply_set *s, const struct ape *pe, int *found)
{
	size_t lo = 0, hi = s->nm;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = apply__pe_cmp(&s->m[mid], pe);
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t find_child(const struct apply_set *s, const struct ape *pe, int *found)
{
	size_t lo = 0, hi = s->nc;
	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = apply__pe_cmp(&s->c[mid].pe, pe);
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void apply__set_add_member(struct apply_set *s, const struct ape *pe)
{
	int found;
	size_t i = find_member(s, pe, &found);
	if (found)
		return;
	push_member(s, pe);
	struct ape t = s->m[s->nm - 1];
	memmove(&s->m[i + 1], &s->m[i], (s->nm - 1 - i) * sizeof(*s->m));
	s->m[i] = t;
}

struct apply_set *apply__set_descend(struct apply_set *s, const struct ape *pe)
{
	int found;
	size_t i = find_child(s, pe, &found);
	if (found)
		return s->c[i].set;
	push_child(s, pe, apply__set_new());
	struct apply_node t = s->c[s->nc - 1];
	memmove(&s->c[i + 1], &s->c[i], (s->nc - 1 - i) * sizeof(*s->c));
	s->c[i] = t;
	return t.set;
}

void apply__set_insert(struct apply_set *s, const struct ape *p, size_t n)
{
	if (!n)
		return;
	for (size_t i = 0; i + 1 < n; i++)
		s = apply__set_descend(s, &p[i]);
	apply__set_add_member(s, &p[n - 1]);
}

int apply__set_has_member(const struct apply_set *s, const struct ape *pe)
{
	int found;
	find_member(s, pe, &found);
	return found;
}

const struct apply_set *apply__set_child(const struct apply_set *s, const struct ape *pe)
{
	int found;
	size_t i = find_child(s, pe, &found);
	return found ? s->c[i].set : NULL;
}

int apply__set_has(const struct apply_set *s, const struct ape *p, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; s && i + 1 < n; i++)
		s = apply__set_child(s, &p[i]);
	return s && apply__set_has_member(s, &p[n - 1]);
}

int apply_set_empty(const struct apply_set *s)
{
	if (!s || s->nm)
		return !s;
	for (size_t i = 0; i < s->nc; i++)
		if (!apply_set_empty(s->c[i].set))
			return 0;
	return 1;
}

struct apply_set *apply__set_copy(const struct apply_set *s)
{
	struct apply_set *o = apply__set_new();
	for (size_t i = 0; i < s->nm; i++)
		push_member(o, &s->m[i]);
	for (size_t i = 0; i < s->nc; i++)
		push_child(o, &s->c[i].pe, apply__set_copy(s->c[i].set));
	return o;
}

/* ---- sets: algebra ------------------------------------------------------------------------ */

/* Members: a | b (op 0), a & b (op 1), a - b (op 2), merged from the sorted arrays. */
static void merge_members(struct apply_set *o, const struct apply_set *a, const struct apply_set *b, int op)
{
	size_t i = 0, j = 0;
	while (i < a->nm || j < b->nm) {
		int c = i >= a->nm ? 1 : j >= b->nm ? -1 : apply__pe_cmp(&a->m[i], &b->m[j]);
		if (c < 0) {
			if (op != 1)
				push_member(o, &a->m[i]);
			i++;
		} else if (c > 0) {
			if (op == 0)
				push_member(o, &b->m[j]);
			j++;
		} else {
			if (op != 2)
				push_member(o, &a->m[i]);
			i++;
			j++;
		}
	}
}

/* Keeps a child unless its set is empty (upstream never stores empty subsets). */
static void push_nonempty(struct apply_set *o, const struct ape *pe, struct apply_set *set)
{
	if (apply_set_empty(set))
		apply_set_free(set);
	else
		push_child(o, pe, set);
}

struct apply_set *apply__set_union(const struct apply_set *a, const struct apply_set *b)
{
	struct apply_set *o = apply__set_new();
	size_t i = 0, j = 0;
	merge_members(o, a, b, 0);
	while (i < a->nc || j < b->nc) {
		int c = i >= a->nc ? 1 : j >= b->nc ? -1 : apply__pe_cmp(&a->c[i].pe, &b->c[j].pe);
		if (c < 0) {
			push_child(o, &a->c[i].pe, apply__set_copy(a->c[i].set));
			i++;
		} else if (c > 0) {
			push_child(o, &b->c[j].pe, apply__set_copy(b->c[j].set));
			j++;
		} else {
			push_child(o, &a->c[i].pe, apply__set_union(a->c[i].set, b->c[j].set));
			i++;
			j++;
		}
	}
	return o;
}

struct apply_set *apply__set_intersect(const struct apply_set *a, const struct apply_set *b)
{
	struct apply_set *o = apply__set_new();
	size_t i = 0, j = 0;
	merge_members(o, a, b, 1);
	while (i < a->nc && j < b->nc) {
		int c = apply__pe_cmp(&a->c[i].pe, &b->c[j].pe);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			push_nonempty(o, &a->c[i].pe, apply__set_intersect(a->c[i].set, b->c[j].set));
			i++;
			j++;
		}
	}
	return o;
}

/* a - b; recursive: a member of b also removes a's subtree under it. */
static struct apply_set *set_minus(const struct apply_set *a, const struct apply_set *b, int recursive)
{
	struct apply_set *o = apply__set_new();
	size_t j = 0;
	merge_members(o, a, b, 2);
	for (size_t i = 0; i < a->nc; i++) {
		const struct ape *pe = &a->c[i].pe;
		while (j < b->nc && apply__pe_cmp(&b->c[j].pe, pe) < 0)
			j++;
		if (recursive && apply__set_has_member(b, pe))
			continue;
		if (j < b->nc && !apply__pe_cmp(&b->c[j].pe, pe))
			push_nonempty(o, pe, set_minus(a->c[i].set, b->c[j].set, recursive));
		else
			push_child(o, pe, apply__set_copy(a->c[i].set));
	}
	return o;
}

struct apply_set *apply__set_diff(const struct apply_set *a, const struct apply_set *b)
{
	return set_minus(a, b, 0);
}

struct apply_set *apply__set_rdiff(const struct apply_set *a, const struct apply_set *b)
{
	return set_minus(a, b, 1);
}

/* ---- iteration and paths ------------------------------------------------------------------ */

struct path_stack {
	struct ape *v;
	size_t n, cap;
};

static void iterate(const struct apply_set *s, struct path_stack *p,
		    void (*fn)(const struct ape *p, size_t n, void *ctx), void *ctx)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	for (size_t i = 0; i < s->nm; i++) {
		p->v[p->n] = s->m[i];
		fn(p->v, p->n + 1, ctx);
	}
	for (size_t i = 0; i < s->nc; i++) {
		p->v[p->n++] = s->c[i].pe;
		iterate(s->c[i].set, p, fn, ctx);
		p->n--;
	}
}

void apply__set_iterate(const struct apply_set *s, void (*fn)(const struct ape *p, size_t n, void *ctx),
			void *ctx)
{
	struct path_stack p = { NULL, 0, 0 };
	iterate(s, &p, fn, ctx);
	free(p.v);
}

static void add_path_line(const struct ape *p, size_t n, void *ctx)
{
	apply__path_string(p, n, ctx);
	buf_addch(ctx, '\n');
}

void apply_set_paths(const struct apply_set *s, struct buf *out)
{
	apply__set_iterate(s, add_path_line, out);
}

/* ---- fieldsV1 ----------------------------------------------------------------------------- */

/* Renders the contents of s (without braces); self: s is also owned by its parent ("."). */
static void render(const struct apply_set *s, int self, struct buf *out)
{
	size_t i = 0, j = 0, start = out->len;
	struct buf key = BUF_INIT;
	if (self && (s->nm || s->nc))
		buf_adds(out, "\".\":{}");
	while (i < s->nm || j < s->nc) {
		int c = i >= s->nm ? 1 : j >= s->nc ? -1 : apply__pe_cmp(&s->m[i], &s->c[j].pe);
		buf_reset(&key);
		apply__pe_render(c <= 0 ? &s->m[i] : &s->c[j].pe, &key);
		if (out->len > start)
			buf_addch(out, ',');
		apply__go_string(buf_str(&key), out);
		buf_adds(out, ":{");
		if (c >= 0)
			render(s->c[j++].set, c == 0, out);
		buf_addch(out, '}');
		if (c <= 0)
			i++;
	}
	buf_release(&key);
}

/* The contents of s as members of obj, in render()'s order. */
static void to_json(const struct apply_set *s, int self, cJSON *obj)
{
	size_t i = 0, j = 0;
	struct buf key = BUF_INIT;
	if (self && (s->nm || s->nc))
		cJSON_AddItemToObject(obj, ".", cJSON_CreateObject());
	while (i < s->nm || j < s->nc) {
		int c = i >= s->nm ? 1 : j >= s->nc ? -1 : apply__pe_cmp(&s->m[i], &s->c[j].pe);
		cJSON *sub = cJSON_CreateObject();
		buf_reset(&key);
		apply__pe_render(c <= 0 ? &s->m[i] : &s->c[j].pe, &key);
		cJSON_AddItemToObject(obj, buf_str(&key), sub);
		if (c >= 0)
			to_json(s->c[j++].set, c == 0, sub);
		if (c <= 0)
			i++;
	}
	buf_release(&key);
}

cJSON *apply__set_json(const struct apply_set *s)
{
	cJSON *o = cJSON_CreateObject();
	to_json(s, 0, o);
	return o;
}

void apply_set_render(const struct apply_set *s, struct buf *out)
{
	buf_addch(out, '{');
	if (s)
		render(s, 0, out);
	buf_addch(out, '}');
}

/* strconv.Atoi: optional sign, decimal digits, within int (64 bits; we keep int). */
static int parse_index(const char *s, int *out)
{
	const char *p = s + (*s == '+' || *s == '-');
	char *end;
	if (!*p)
		return -1;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || v < -2147483648LL || v > 2147483647LL)
		return -1;
	*out = (int)v;
	return 0;
}

/* Sorts the members of a parsed key object by name, stably. */
static cJSON *sorted_key(cJSON *obj)
{
	size_t n;
	const cJSON **m = sorted_members(obj, &n);
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToObject(o, m[i]->string, cJSON_Duplicate(m[i], 1));
	free(m);
	cJSON_Delete(obj);
	return o;
}

/* DeserializePathElement. Returns 0 with *pe (owned), 1 for an unknown kind (skipped), -1 with
 * a message. */
static int parse_pe(const char *key, struct ape *pe, struct buf *err)
{
	const char *rest = key + 2, *end;
	cJSON *v;
	memset(pe, 0, sizeof(*pe));
	if (strlen(key) < 2)
		return buf_adds(err, "key must be 2 characters long:"), -1;
	if (key[1] != ':')
		return buf_addf(err, "missing colon: %s", key), -1;
	switch (key[0]) {
	case 'f':
		pe->kind = APE_FIELD;
		pe->name = xstrdup(rest);
		return 0;
	case 'v':
	case 'k':
		v = cJSON_ParseWithOpts(rest, &end, 0);
		if (!v || (key[0] == 'k' && !cJSON_IsObject(v))) {
			cJSON_Delete(v);
			buf_addf(err, "%s: expect %s, parsing %s", key[0] == 'k' ? "ReadObjectCB" : "Read",
				 key[0] == 'k' ? "{" : "a value", rest);
			return -1;
		}
		pe->kind = key[0] == 'k' ? APE_KEY : APE_VALUE;
		pe->val = key[0] == 'k' ? sorted_key(v) : v;
		return 0;
	case 'i':
		pe->kind = APE_INDEX;
		if (parse_index(rest, &pe->index) < 0)
			return buf_addf(err, "strconv.Atoi: parsing \"%s\": invalid syntax", rest), -1;
		return 0;
	default:
		return 1;
	}
}

/* Replaces or adds the child pe (set taken over): a repeated key keeps its last occurrence. */
static void put_child(struct apply_set *s, const struct ape *pe, struct apply_set *set)
{
	int found;
	size_t i = find_child(s, pe, &found);
	if (found) {
		apply_set_free(s->c[i].set);
		s->c[i].set = set;
		return;
	}
	*apply__set_descend(s, pe) = *set;
	free(set);
}

/* readIterV1: the subset under v (NULL when v has no children) and whether v's key is owned. */
static int parse_level(const cJSON *v, struct apply_set **out, int *member, int depth, struct buf *err)
{
	const cJSON *c;
	*out = NULL;
	*member = 0;
	if (cJSON_IsNull(v))
		return *member = 1, 0;
	if (!cJSON_IsObject(v) || depth > 256)
		return buf_adds(err, "ReadMapCB: expect { or n"), -1;
	cJSON_ArrayForEach(c, v) {
		struct ape pe;
		struct apply_set *sub;
		int m, r;
		if (!strcmp(c->string, ".")) {
			*member = 1;
			continue;
		}
		struct buf why = BUF_INIT;
		if ((r = parse_pe(c->string, &pe, &why)) < 0)
			buf_addf(err, "parsing key as path element: %s", buf_str(&why));
		buf_release(&why);
		if (r > 0)
			continue; /* a future element kind: dropped, as upstream does */
		if (r < 0 || parse_level(c, &sub, &m, depth + 1, err) < 0) {
			apply__pe_release(&pe);
			apply_set_free(*out);
			*out = NULL;
			return -1;
		}
		if ((m || sub) && !*out)
			*out = apply__set_new();
		if (m)
			apply__set_add_member(*out, &pe);
		if (sub)
			put_child(*out, &pe, sub);
		apply__pe_release(&pe);
	}
	if (!*out)
		*member = 1;
	return 0;
}

struct apply_set *apply_set_parse(const cJSON *fields_v1, struct buf *err)
{
	struct apply_set *s = NULL;
	struct buf e = BUF_INIT;
	int member;
	if (parse_level(fields_v1, &s, &member, 0, &e) < 0) {
		if (err)
			buf_add(err, e.data, e.len);
		buf_release(&e);
		return NULL;
	}
	buf_release(&e);
	return s ? s : apply__set_new();
}
