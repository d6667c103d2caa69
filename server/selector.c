/*
 * selector.c - label and field selectors parsed, matched and printed exactly as upstream's
 * k8s.io/apimachinery pkg/labels (Parse, NewRequirement, String), pkg/fields (ParseSelector)
 * and metav1.LabelSelectorAsSelector do, error messages included.
 *
 * DESIGN
 * The label parser mirrors upstream's two passes: a lexer turns the whole string into tokens
 * (identifiers, "in"/"notin", and the operator symbols, where "!=" and "==" are the only
 * two-character tokens), then a recursive-descent parser with one token of lookahead reads
 * requirements. "in" and "notin" are keywords only where an operator is expected, so they are
 * valid keys and values. Requirements are validated as NewRequirement does, collecting field
 * errors and printing them through validate.c's aggregate rendering, then stably sorted by key.
 * Set values are kept sorted and unique, as Go's sets.String.List() leaves them.
 *
 * Field selectors split on unescaped commas, sort the raw terms, split each at the first
 * operator and unescape the value. Both kinds share struct selector; a field selector reads an
 * absent field as "" (upstream's fields.Set.Get), a label selector tells absent from empty.
 */
#include "selector.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "server/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- requirements ------------------------------------------------------------------------- */

static void req_release(struct sel_req *r)
{
	free(r->key);
	for (size_t i = 0; i < r->nvalues; i++)
		free(r->values[i]);
	free(r->values);
	memset(r, 0, sizeof(*r));
}

void selector_release(struct selector *sel)
{
	for (size_t i = 0; i < sel->nreqs; i++)
		req_release(&sel->reqs[i]);
	free(sel->reqs);
	memset(sel, 0, sizeof(*sel));
}

/* Appends r to sel, taking ownership of its contents. */
static void sel_push(struct selector *sel, struct sel_req *r)
{
	if ((sel->nreqs & (sel->nreqs - 1)) == 0) /* 0, 1, 2, 4, ...: full */
		sel->reqs = xrealloc(sel->reqs, (sel->nreqs ? sel->nreqs * 2 : 1) * sizeof(*sel->reqs));
	sel->reqs[sel->nreqs++] = *r;
	memset(r, 0, sizeof(*r));
}

/* A growable list of strings; strv_insert() keeps it a sorted set, as Go's sets.String. */
struct strv {
	char **v;
	size_t n, cap;
};

static void strv_add(struct strv *s, const char *str, size_t len)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = xstrndup(str, len);
}

/* Inserts str into the sorted set s unless present. */
static void strv_insert(struct strv *s, const char *str)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->v[mid], str);
		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	strv_add(s, str, strlen(str));
	char *added = s->v[s->n - 1];
	memmove(&s->v[lo + 1], &s->v[lo], (s->n - 1 - lo) * sizeof(*s->v));
	s->v[lo] = added;
}

static void strv_release(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Parses s as Go's strconv.ParseInt(s, 10, 64). Returns 0 or -1. */
static int go_parse_int64(const char *s, int64_t *out)
{
	uint64_t v = 0, limit = (uint64_t)INT64_MAX;
	int neg = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	if (!*s)
		return -1;
	if (neg)
		limit++;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (limit - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* Validates a label key as labels.validateLabelKey: one Invalid error joining the messages. */
static void check_label_key(const char *key, const char *field, struct field_errors *errs)
{
	struct buf why = BUF_INIT;
	if (validate_qualified_name(key, &why) < 0)
		field_errors_add_str(errs, FE_INVALID, field, key, "%s", buf_str(&why));
	buf_release(&why);
}

/* Adds an Invalid error on "values" showing the list as v1.33 prints a []string (%#v). */
static void values_error(struct field_errors *errs, const struct strv *vals, const char *detail)
{
	struct buf bad = BUF_INIT;
	buf_adds(&bad, vals->n ? "[]string{" : "[]string(nil)");
	for (size_t i = 0; i < vals->n; i++) {
		buf_adds(&bad, i ? ", " : "");
		field_quote(&bad, vals->v[i]);
	}
	buf_adds(&bad, vals->n ? "}" : "");
	field_errors_add_raw(errs, FE_INVALID, "values", buf_str(&bad), "%s", detail);
	buf_release(&bad);
}

/* The operator-specific checks of NewRequirement. */
static void check_op_values(enum sel_op op, const struct strv *vals, struct field_errors *errs)
{
	switch (op) {
	case SEL_IN:
	case SEL_NOTIN:
		if (!vals->n)
			values_error(errs, vals, "for 'in', 'notin' operators, values set can't be empty");
		break;
	case SEL_EQ:
	case SEL_NEQ:
		if (vals->n != 1)
			values_error(errs, vals, "exact-match compatibility requires one single value");
		break;
	case SEL_EXISTS:
	case SEL_NOT_EXISTS:
		if (vals->n)
			values_error(errs, vals, "values set must be empty for exists and does not exist");
		break;
	case SEL_GT:
	case SEL_LT:
		if (vals->n != 1)
			values_error(errs, vals, "for 'Gt', 'Lt' operators, exactly one value is required");
		for (size_t i = 0; i < vals->n; i++) {
			int64_t v;
			char field[40];
			snprintf(field, sizeof(field), "values[%zu]", i);
			if (go_parse_int64(vals->v[i], &v) < 0)
				field_errors_add_str(errs, FE_INVALID, field, vals->v[i],
						     "for 'Gt', 'Lt' operators, the value must be an integer");
		}
		break;
	}
}

/* Upstream's NewRequirement. On success moves vals into *out (vals is left empty) and returns 0;
 * otherwise appends the aggregated message to msg and returns -1 (vals untouched). */
static int new_requirement(const char *key, enum sel_op op, int double_eq, struct strv *vals, struct sel_req *out,
			   struct buf *msg)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	struct buf why = BUF_INIT;
	int rc = 0;
	check_label_key(key, "key", &errs);
	check_op_values(op, vals, &errs);
	for (size_t i = 0; i < vals->n; i++) {
		buf_reset(&why);
		if (validate_label_value(vals->v[i], &why) < 0) {
			char *field = xasprintf("values[%zu][%s]", i, key);
			field_errors_add_str(&errs, FE_INVALID, field, vals->v[i], "%s", buf_str(&why));
			free(field);
		}
	}
	if (errs.n) {
		field_errors_summary(&errs, msg);
		rc = -1;
	} else {
		out->key = xstrdup(key);
		out->op = op;
		out->double_eq = double_eq;
		out->values = vals->v;
		out->nvalues = vals->n;
		memset(vals, 0, sizeof(*vals));
	}
	field_errors_release(&errs);
	buf_release(&why);
	return rc;
}

struct keyed {
	const char *key;
	size_t idx;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorts the requirements by key, keeping the order of equal keys (upstream's ByKey). */
static void sort_by_key(struct selector *sel)
{
	if (sel->nreqs < 2)
		return;
	struct keyed *k = xcalloc(sel->nreqs, sizeof(*k));
	struct sel_req *sorted = xcalloc(sel->nreqs, sizeof(*sorted));
	for (size_t i = 0; i < sel->nreqs; i++)
		k[i] = (struct keyed){ sel->reqs[i].key, i };
	qsort(k, sel->nreqs, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < sel->nreqs; i++)
		sorted[i] = sel->reqs[k[i].idx];
	memcpy(sel->reqs, sorted, sel->nreqs * sizeof(*sorted));
	free(sorted);
	free(k);
}

/* ---- the label selector lexer and parser ---------------------------------------------------- */

enum tok { T_EOS = 1, T_CPAR, T_COMMA, T_NOT, T_DEQ, T_EQ, T_GT, T_ID, T_IN, T_LT, T_NEQ, T_NOTIN, T_OPAR };

struct token {
	enum tok t;
	char *lit;
};

/* The scanned tokens (the last one is T_EOS) and the read position. */
struct parser {
	struct token *toks;
	size_t n, cap, pos;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_special(char c)
{
	return c && strchr("=!(),><", c) != NULL;
}

/* Scans one token at p into t; returns the position after it. */
static const char *lex_one(const char *p, struct token *t)
{
	static const char syms[] = "()!=><,";
	static const enum tok sym_toks[] = { T_OPAR, T_CPAR, T_NOT, T_EQ, T_GT, T_LT, T_COMMA };
	const char *s;
	while (is_ws(*p))
		p++;
	if (!*p) {
		*t = (struct token){ T_EOS, xstrdup("") };
		return p;
	}
	if (is_special(*p)) {
		size_t n = p[1] == '=' && (p[0] == '!' || p[0] == '=') ? 2 : 1;
		*t = (struct token){ sym_toks[strchr(syms, *p) - syms], xstrndup(p, n) };
		if (n == 2)
			t->t = p[0] == '!' ? T_NEQ : T_DEQ;
		return p + n;
	}
	for (s = p; *p && !is_special(*p) && !is_ws(*p); p++)
		;
	*t = (struct token){ T_ID, xstrndup(s, (size_t)(p - s)) };
	if (!strcmp(t->lit, "in"))
		t->t = T_IN;
	else if (!strcmp(t->lit, "notin"))
		t->t = T_NOTIN;
	return p;
}

static void lex_all(const char *s, struct parser *p)
{
	do {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 8;
			p->toks = xrealloc(p->toks, p->cap * sizeof(*p->toks));
		}
		s = lex_one(s, &p->toks[p->n]);
	} while (p->toks[p->n++].t != T_EOS);
}

static void parser_release(struct parser *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->toks[i].lit);
	free(p->toks);
}

/* Returns the current token without moving. In the values context "in" and "notin" are
 * identifiers. */
static enum tok peek(const struct parser *p, int values, const char **lit)
{
	const struct token *t = &p->toks[p->pos < p->n ? p->pos : p->n - 1];
	if (lit)
		*lit = t->lit;
	return values && (t->t == T_IN || t->t == T_NOTIN) ? T_ID : t->t;
}

static enum tok take(struct parser *p, int values, const char **lit)
{
	enum tok t = peek(p, values, lit);
	p->pos++;
	return t;
}

/* Reads "[!]key" and infers exists / does-not-exist (*unary set) when no operator follows. */
static int parse_key(struct parser *p, const char **key, enum sel_op *op, int *unary, struct buf *msg)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	const char *lit;
	int negated = 0;
	enum tok t = take(p, 1, &lit);
	if (t == T_NOT) {
		negated = 1;
		t = take(p, 1, &lit);
	}
	if (t != T_ID) {
		buf_addf(msg, "found '%s', expected: identifier", lit);
		return -1;
	}
	check_label_key(lit, "<nil>", &errs); /* upstream validates with a nil field path */
	if (errs.n) {
		field_errors_summary(&errs, msg);
		field_errors_release(&errs);
		return -1;
	}
	*key = lit;
	t = peek(p, 1, NULL);
	*unary = negated || t == T_EOS || t == T_COMMA;
	*op = negated ? SEL_NOT_EXISTS : SEL_EXISTS;
	return 0;
}

static int parse_operator(struct parser *p, enum sel_op *op, int *double_eq, struct buf *msg)
{
	static const struct {
		enum tok t;
		enum sel_op op;
	} ops[] = { { T_IN, SEL_IN },	{ T_EQ, SEL_EQ }, { T_DEQ, SEL_EQ },   { T_GT, SEL_GT },
		    { T_LT, SEL_LT },	{ T_NOTIN, SEL_NOTIN }, { T_NEQ, SEL_NEQ } };
	const char *lit;
	enum tok t = take(p, 0, &lit);
	*double_eq = t == T_DEQ;
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		if (ops[i].t == t) {
			*op = ops[i].op;
			return 0;
		}
	}
	buf_addf(msg, "found '%s', expected: in, notin, =, ==, !=, gt, lt", lit);
	return -1;
}

/* Reads a possibly empty, comma separated list of possibly empty identifiers up to ')'. */
static int parse_ident_list(struct parser *p, struct strv *set, struct buf *msg)
{
	for (;;) {
		const char *lit, *lit2;
		enum tok t = take(p, 1, &lit), t2;
		if (t == T_ID) {
			strv_insert(set, lit);
			t2 = peek(p, 1, &lit2);
			if (t2 == T_CPAR)
				return 0;
			if (t2 != T_COMMA) {
				buf_addf(msg, "found '%s', expected: ',' or ')'", lit2);
				return -1;
			}
		} else if (t == T_COMMA) {
			if (!set->n)
				strv_insert(set, ""); /* "(," */
			t2 = peek(p, 1, NULL);
			if (t2 == T_CPAR) {
				strv_insert(set, ""); /* ",)" */
				return 0;
			}
			if (t2 == T_COMMA) {
				take(p, 1, NULL);
				strv_insert(set, ""); /* ",," */
			}
		} else {
			buf_addf(msg, "found '%s', expected: ',', or identifier", lit);
			return -1;
		}
	}
}

/* Reads "(a, b)" for in / notin; "()" is the set of the empty string. */
static int parse_values(struct parser *p, struct strv *set, struct buf *msg)
{
	const char *lit;
	if (take(p, 1, &lit) != T_OPAR) {
		buf_addf(msg, "found '%s' expected: '('", lit);
		return -1;
	}
	enum tok t = peek(p, 1, &lit);
	if (t == T_ID || t == T_COMMA) {
		if (parse_ident_list(p, set, msg) < 0)
			return -1;
		take(p, 1, NULL); /* the ')' parse_ident_list stopped at */
		return 0;
	}
	if (t == T_CPAR) {
		take(p, 1, NULL);
		strv_insert(set, "");
		return 0;
	}
	buf_addf(msg, "found '%s', expected: ',', ')' or identifier", lit);
	return -1;
}

/* Reads the value after =, ==, !=, > or <; nothing before ',' or the end is the empty value. */
static int parse_exact_value(struct parser *p, struct strv *set, struct buf *msg)
{
	const char *lit;
	enum tok t = peek(p, 1, NULL);
	if (t == T_EOS || t == T_COMMA) {
		strv_insert(set, "");
		return 0;
	}
	if (take(p, 1, &lit) == T_ID) {
		strv_insert(set, lit);
		return 0;
	}
	buf_addf(msg, "found '%s', expected: identifier", lit);
	return -1;
}

static int parse_requirement(struct parser *p, struct sel_req *out, struct buf *msg)
{
	struct strv vals = { 0 };
	const char *key;
	enum sel_op op;
	int unary, double_eq = 0, rc = -1;
	if (parse_key(p, &key, &op, &unary, msg) < 0)
		goto out;
	if (!unary) {
		if (parse_operator(p, &op, &double_eq, msg) < 0)
			goto out;
		if ((op == SEL_IN || op == SEL_NOTIN ? parse_values : parse_exact_value)(p, &vals, msg) < 0)
			goto out;
	}
	rc = new_requirement(key, op, double_eq, &vals, out, msg);
out:
	strv_release(&vals);
	return rc;
}

/* The selector: requirements separated by commas up to the end. */
static int parse_all(struct parser *p, struct selector *out, struct buf *msg)
{
	for (;;) {
		struct buf why = BUF_INIT;
		struct sel_req r = { 0 };
		const char *lit;
		enum tok t = peek(p, 1, &lit);
		if (t == T_EOS)
			return 0;
		if (t != T_ID && t != T_NOT) {
			buf_addf(msg, "found '%s', expected: !, identifier, or 'end of string'", lit);
			return -1;
		}
		if (parse_requirement(p, &r, &why) < 0) {
			buf_addf(msg, "unable to parse requirement: %s", buf_str(&why));
			buf_release(&why);
			return -1;
		}
		sel_push(out, &r);
		t = take(p, 1, &lit);
		if (t == T_EOS)
			return 0;
		if (t != T_COMMA) {
			buf_addf(msg, "found '%s', expected: ',' or 'end of string'", lit);
			return -1;
		}
		t = peek(p, 1, &lit);
		if (t != T_ID && t != T_NOT) {
			buf_addf(msg, "found '%s', expected: identifier after ','", lit);
			return -1;
		}
	}
}

int selector_parse_labels(const char *s, struct selector *out, struct buf *err)
{
	struct parser p = { 0 };
	struct buf msg = BUF_INIT;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	lex_all(s ? s : "", &p);
	if (parse_all(&p, out, &msg) < 0) {
		if (err)
			buf_add(err, buf_str(&msg), msg.len);
		selector_release(out);
		rc = -KUBE_EINVAL;
	} else {
		sort_by_key(out);
	}
	parser_release(&p);
	buf_release(&msg);
	return rc;
}

/* ---- field selectors ---------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits on commas not escaped by a backslash (escapes stay in the terms). */
static void split_terms(const char *s, struct strv *terms)
{
	size_t start = 0, i;
	int in_slash = 0;
	if (!*s)
		return;
	for (i = 0; s[i]; i++) {
		if (in_slash) {
			in_slash = 0;
		} else if (s[i] == '\\') {
			in_slash = 1;
		} else if (s[i] == ',') {
			strv_add(terms, s + start, i - start);
			start = i + 1;
		}
	}
	strv_add(terms, s + start, i - start);
}

/* The length of the UTF-8 sequence starting at p, or 0 when it is not a well-formed one. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : *p >= 0xc2 && *p <= 0xdf ? 2 : *p >= 0xe0 && *p <= 0xef ? 3 :
				  *p >= 0xf0 && *p <= 0xf4 ? 4 : 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* fields.UnescapeValue: "\\\\", "\\," and "\\=" are the only escapes; ',' and '=' must be escaped.
 * Like upstream, a value that needs unescaping is rebuilt rune by rune, so malformed UTF-8 in it
 * becomes U+FFFD. */
static int unescape_value(const char *s, struct buf *out, struct buf *msg)
{
	if (!strpbrk(s, "\\,=")) {
		buf_adds(out, s);
		return 0;
	}
	for (; *s; s++) {
		size_t n = utf8_len((const unsigned char *)s);
		if (n != 1) {
			buf_add(out, n ? s : "\xef\xbf\xbd", n ? n : 3);
			s += n ? n - 1 : 0;
			continue;
		}
		if (*s == '\\') {
			if (s[1] == '\\' || s[1] == ',' || s[1] == '=') {
				buf_addch(out, *++s);
				continue;
			}
			size_t n = s[1] ? utf8_len((const unsigned char *)s + 1) : 0;
			buf_adds(msg, "invalid field selector: invalid escape sequence: \\");
			if (n)
				buf_add(msg, s + 1, n);
			else if (s[1])
				buf_adds(msg, "\xef\xbf\xbd"); /* Go decodes a bad byte as U+FFFD */
			return -1;
		}
		if (*s == ',' || *s == '=') {
			buf_addf(msg, "invalid field selector: unescaped character in value: %d", *s);
			return -1;
		}
		buf_addch(out, *s);
	}
	return 0;
}

/* Parses one term "f=v", "f==v" or "f!=v", split at the first operator. */
static int parse_term(const char *sel, const char *term, struct selector *out, struct buf *msg)
{
	struct buf value = BUF_INIT;
	struct sel_req r = { 0 };
	size_t i, oplen = 0;
	for (i = 0; term[i] && !oplen; i++)
		if (term[i] == '!' || term[i] == '=')
			oplen = term[i + 1] == '=' ? 2 : term[i] == '=' ? 1 : 0;
	if (!oplen) {
		buf_addf(msg, "invalid selector: '%s'; can't understand '%s'", sel, term);
		return -1;
	}
	i--;
	if (unescape_value(term + i + oplen, &value, msg) < 0) {
		buf_release(&value);
		return -1;
	}
	if (i > 0 || value.len > 0) { /* an empty field and value select everything: dropped */
		r.key = xstrndup(term, i);
		r.op = term[i] == '!' ? SEL_NEQ : SEL_EQ;
		r.double_eq = oplen == 2 && term[i] == '=';
		r.values = xcalloc(1, sizeof(*r.values));
		r.values[0] = buf_detach(&value, NULL);
		r.nvalues = 1;
		sel_push(out, &r);
	}
	buf_release(&value);
	return 0;
}

int selector_parse_fields(const char *s, struct selector *out, struct buf *err)
{
	struct strv terms = { 0 };
	struct buf msg = BUF_INIT;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	out->fields = 1;
	split_terms(s ? s : "", &terms);
	if (terms.n)
		qsort(terms.v, terms.n, sizeof(*terms.v), cmp_str);
	for (size_t i = 0; i < terms.n && rc == 0; i++)
		if (*terms.v[i] && parse_term(s, terms.v[i], out, &msg) < 0)
			rc = -KUBE_EINVAL;
	if (rc < 0) {
		if (err)
			buf_add(err, buf_str(&msg), msg.len);
		selector_release(out);
		out->fields = 1;
	}
	strv_release(&terms);
	buf_release(&msg);
	return rc;
}

/* ---- matching and printing ---------------------------------------------------------------- */

static int has_value(const struct sel_req *r, const char *v)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (!strcmp(r->values[i], v))
			return 1;
	return 0;
}

/* Requirement.Matches; v is NULL when the key is absent. */
static int req_matches(const struct sel_req *r, const char *v)
{
	int64_t have, want;
	switch (r->op) {
	case SEL_EQ:
	case SEL_IN:
		return v && has_value(r, v);
	case SEL_NEQ:
	case SEL_NOTIN:
		return !v || !has_value(r, v);
	case SEL_EXISTS:
		return v != NULL;
	case SEL_NOT_EXISTS:
		return v == NULL;
	case SEL_GT:
	case SEL_LT:
		if (!v || r->nvalues != 1 || go_parse_int64(v, &have) < 0 || go_parse_int64(r->values[0], &want) < 0)
			return 0;
		return r->op == SEL_GT ? have > want : have < want;
	}
	return 0;
}

int selector_matches(const struct selector *sel, sel_lookup_fn *get, const void *ctx)
{
	if (sel->nothing)
		return 0;
	for (size_t i = 0; i < sel->nreqs; i++) {
		const char *v = get(ctx, sel->reqs[i].key);
		if (sel->fields && !v)
			v = "";
		if (!req_matches(&sel->reqs[i], v))
			return 0;
	}
	return 1;
}

const char *selector_required_value(const struct selector *sel, const char *key)
{
	for (size_t i = 0; i < sel->nreqs; i++) {
		const struct sel_req *r = &sel->reqs[i];
		if (strcmp(r->key, key))
			continue;
		if ((r->op == SEL_EQ || (r->op == SEL_IN && !sel->fields)) && r->nvalues == 1)
			return r->values[0];
		if (!sel->fields)
			return NULL; /* labels: only the first requirement on key counts */
	}
	return NULL;
}

/* Appends a field selector value with '\\', ',' and '=' escaped (fields.EscapeValue). */
static void add_escaped(struct buf *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == ',' || *v == '=')
			buf_addch(out, '\\');
		buf_addch(out, *v);
	}
}

/* Requirement.String(): values printed sorted (safeSort), without changing the requirement. */
static void req_string(const struct sel_req *r, struct buf *out)
{
	static const char *const ops[] = { [SEL_EQ] = "=",	  [SEL_NEQ] = "!=",    [SEL_IN] = " in ",
					   [SEL_NOTIN] = " notin ", [SEL_EXISTS] = "",	 [SEL_NOT_EXISTS] = "",
					   [SEL_GT] = ">",	  [SEL_LT] = "<" };
	int set = r->op == SEL_IN || r->op == SEL_NOTIN;
	char **vals = xcalloc(r->nvalues ? r->nvalues : 1, sizeof(*vals));
	buf_addf(out, "%s%s%s", r->op == SEL_NOT_EXISTS ? "!" : "", r->key,
		 r->op == SEL_EQ && r->double_eq ? "==" : ops[r->op]);
	if (r->op != SEL_EXISTS && r->op != SEL_NOT_EXISTS) {
		if (r->nvalues) {
			memcpy(vals, r->values, r->nvalues * sizeof(*vals));
			qsort(vals, r->nvalues, sizeof(*vals), cmp_str);
		}
		buf_adds(out, set ? "(" : "");
		for (size_t i = 0; i < r->nvalues; i++)
			buf_addf(out, "%s%s", i ? "," : "", vals[i]);
		buf_adds(out, set ? ")" : "");
	}
	free(vals);
}

void selector_string(const struct selector *sel, struct buf *out)
{
	if (sel->nothing)
		return;
	for (size_t i = 0; i < sel->nreqs; i++) {
		const struct sel_req *r = &sel->reqs[i];
		if (i)
			buf_addch(out, ',');
		if (!sel->fields) {
			req_string(r, out);
			continue;
		}
		buf_addf(out, "%s%s", r->key, r->op == SEL_NEQ ? "!=" : "=");
		add_escaped(out, r->nvalues ? r->values[0] : "");
	}
}

const char *sel_lookup_json(const void *json_object, const char *key)
{
	const cJSON *o = json_object;
	const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- metav1.LabelSelector ----------------------------------------------------------------- */

/* The JSON type name Go's decoder reports in an UnmarshalTypeError. */
static const char *json_kind(const cJSON *v)
{
	return cJSON_IsString(v) ? "string" : cJSON_IsNumber(v) ? "number" : cJSON_IsBool(v) ? "bool" :
	       cJSON_IsArray(v)	 ? "array"  : "object";
}

static void type_error(struct buf *msg, const cJSON *v, const char *field, const char *type)
{
	buf_addf(msg, "json: cannot unmarshal %s into Go struct field %s of type %s", json_kind(v), field, type);
}

static int from_match_labels(const cJSON *ml, struct selector *out, struct buf *msg)
{
	const cJSON *it;
	if (!cJSON_IsObject(ml)) {
		type_error(msg, ml, "LabelSelector.matchLabels", "map[string]string");
		return -1;
	}
	cJSON_ArrayForEach(it, ml) {
		struct strv vals = { 0 };
		struct sel_req r = { 0 };
		int rc;
		if (!cJSON_IsString(it) && !cJSON_IsNull(it)) {
			type_error(msg, it, "LabelSelector.matchLabels", "string");
			return -1;
		}
		strv_add(&vals, cJSON_IsString(it) ? it->valuestring : "", cJSON_IsString(it) ? strlen(it->valuestring) : 0);
		rc = new_requirement(it->string, SEL_EQ, 0, &vals, &r, msg);
		strv_release(&vals);
		if (rc < 0)
			return -1;
		sel_push(out, &r);
	}
	return 0;
}

/* A string member of a LabelSelectorRequirement ("" when absent or null). */
static int expr_string(const cJSON *expr, const char *key, const char **out, struct buf *msg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(expr, key);
	*out = cJSON_IsString(v) ? v->valuestring : "";
	if (!v || cJSON_IsNull(v) || cJSON_IsString(v))
		return 0;
	char *field = xasprintf("LabelSelectorRequirement.matchExpressions.%s", key);
	type_error(msg, v, field, "string");
	free(field);
	return -1;
}

static int expr_values(const cJSON *expr, struct strv *vals, struct buf *msg)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(expr, "values"), *it;
	if (v && !cJSON_IsNull(v) && !cJSON_IsArray(v)) {
		type_error(msg, v, "LabelSelectorRequirement.matchExpressions.values", "[]string");
		return -1;
	}
	if (!cJSON_IsArray(v))
		v = NULL;
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it) && !cJSON_IsNull(it)) {
			type_error(msg, it, "LabelSelectorRequirement.matchExpressions.values", "string");
			return -1;
		}
		strv_add(vals, cJSON_IsString(it) ? it->valuestring : "", cJSON_IsString(it) ? strlen(it->valuestring) : 0);
	}
	return 0;
}

/* One matchExpressions entry: key, operator (In, NotIn, Exists, DoesNotExist) and values. */
static int from_expression(const cJSON *expr, struct selector *out, struct buf *msg)
{
	static const struct {
		const char *name;
		enum sel_op op;
	} ops[] = { { "In", SEL_IN }, { "NotIn", SEL_NOTIN }, { "Exists", SEL_EXISTS },
		    { "DoesNotExist", SEL_NOT_EXISTS } };
	struct strv vals = { 0 };
	struct sel_req r = { 0 };
	const char *key, *opname;
	size_t i;
	int rc = -1;
	if (!cJSON_IsObject(expr)) {
		type_error(msg, expr, "LabelSelector.matchExpressions", "v1.LabelSelectorRequirement");
		return -1;
	}
	if (expr_string(expr, "key", &key, msg) < 0 || expr_string(expr, "operator", &opname, msg) < 0 ||
	    expr_values(expr, &vals, msg) < 0)
		goto out;
	for (i = 0; i < ARRAY_SIZE(ops) && strcmp(ops[i].name, opname); i++)
		;
	if (i == ARRAY_SIZE(ops)) {
		field_quote(msg, opname);
		buf_adds(msg, " is not a valid label selector operator");
		goto out;
	}
	if (new_requirement(key, ops[i].op, 0, &vals, &r, msg) < 0)
		goto out;
	sel_push(out, &r);
	rc = 0;
out:
	strv_release(&vals);
	return rc;
}

int selector_from_json(const cJSON *label_selector, struct selector *out, struct buf *err)
{
	const cJSON *ml = cJSON_GetObjectItemCaseSensitive(label_selector, "matchLabels");
	const cJSON *me = cJSON_GetObjectItemCaseSensitive(label_selector, "matchExpressions"), *expr;
	struct buf msg = BUF_INIT;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (!label_selector || cJSON_IsNull(label_selector)) {
		out->nothing = 1;
		return 0;
	}
	if (!cJSON_IsObject(label_selector)) {
		buf_addf(&msg, "json: cannot unmarshal %s into Go value of type v1.LabelSelector", json_kind(label_selector));
		rc = -1;
	} else if (ml && !cJSON_IsNull(ml)) {
		rc = from_match_labels(ml, out, &msg);
	}
	if (rc == 0 && me && !cJSON_IsNull(me) && !cJSON_IsArray(me)) {
		type_error(&msg, me, "LabelSelector.matchExpressions", "[]v1.LabelSelectorRequirement");
		rc = -1;
	}
	if (rc == 0 && cJSON_IsArray(me)) {
		cJSON_ArrayForEach(expr, me) {
			if ((rc = from_expression(expr, out, &msg)) < 0)
				break;
		}
	}
	if (rc < 0) {
		if (err)
			buf_add(err, buf_str(&msg), msg.len);
		selector_release(out);
		rc = -KUBE_EINVAL;
	} else {
		sort_by_key(out);
	}
	buf_release(&msg);
	return rc;
}
