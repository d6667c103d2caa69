/*
 * yaml2json.c - YAML to JSON (cJSON) with libyaml's event API, typed as sigs.k8s.io/yaml types it.
 *
 * DESIGN
 * Kubernetes turns YAML into JSON with sigs.k8s.io/yaml: go-yaml v2 decodes into Go values,
 * which are re-encoded as JSON. This file gives the same answers in one pass over libyaml's
 * events, without recursion: a stack of open collections (struct y2j__frame, at most
 * YAML__MAX_DEPTH deep) receives the values; a collection is attached to its parent when it ends.
 * A mapping frame alternates between waiting for a key, for a value, or for the value of a merge
 * key ("<<").
 *
 * Scalars are typed by y2j__resolve, a transcription of go-yaml v2's resolver (resolve.go):
 * the first character picks the candidates (sign or digit: number; y/n/t/f/o/~: a word from the
 * table; '.': a float), and what fails every candidate is a string.
 *
 * Anchors. Each anchor definition adds a record (struct y2j__anchor); a hash table maps the name
 * to its latest record, since a name may be defined again. A scalar anchor keeps the scalar as
 * written, because its type depends on where an alias uses it (key or value). A collection
 * anchor is "open" until its end event (an alias to it meanwhile is a cycle) and then points at
 * the finished cJSON node, with what copying it costs (nodes and string bytes created while it
 * was built) and its height. JSON has no sharing, so an alias copies the node. Every node and
 * byte created, copies included, is charged to a budget before it is created, so an alias bomb
 * stops at the first copy that would exceed it, after at most a budget's worth of work.
 *
 * Mappings are built as go-yaml v2 builds a Go map: a sequence of assignments in document
 * order, the last assignment of a key winning. Members are appended as read, a merge appends the
 * merged members at its position (for a list of mappings, the last mapping first), and the
 * mapping drops the earlier duplicates of each key when it ends. Nodes dropped that way, and the
 * values of merge keys, may still be the target of an anchor: they go to a graveyard array that
 * is freed when the conversion is over.
 */
#include "yaml2json.h"
#include <yaml.h> /* libyaml */

#include "buf.h"
#include "util.h"

#include <assert.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YAML__MAX_DEPTH 256
#define YAML__MIN_NODES ((size_t)1000000)
#define YAML__MIN_BYTES ((size_t)64 << 20)
#define YAML__TAG_PREFIX "tag:yaml.org,2002:"

/* What a scalar resolves to. */
enum y2j__type { YAML__NULL, YAML__BOOL, YAML__INT, YAML__UINT, YAML__BIG, YAML__FLOAT, YAML__STR };

/* The tags go-yaml v2 resolves; every other tag makes a string. */
enum y2j__tag { YAML__T_NONE, YAML__T_STR, YAML__T_INT, YAML__T_FLOAT, YAML__T_BOOL, YAML__T_NULL,
		 YAML__T_TIME, YAML__T_BINARY, YAML__T_MERGE, YAML__T_OTHER };

struct y2j__value {
	enum y2j__type type;
	int b;
	int64_t i;
	uint64_t u;
	double f; /* YAML__FLOAT and YAML__BIG */
};

/* A scalar as written. Borrowed from the event or from an anchor record. */
struct y2j__scalar {
	const char *text; /* NUL-terminated, len bytes */
	size_t len;
	const char *tag;  /* NULL when none */
	int plain;        /* libyaml's plain_implicit: plain and untagged, or tagged "!" */
	yaml_mark_t mark;
};

enum y2j__anchor_state { YAML__OPEN, YAML__COLLECTION, YAML__SCALAR };

/* One anchor definition. Owned by struct y2j__doc. */
struct y2j__anchor {
	char *name;
	enum y2j__anchor_state state;
	const cJSON *node;    /* YAML__COLLECTION: in the result or the graveyard */
	size_t nodes, bytes;  /* YAML__COLLECTION: budget charged while it was built */
	int height;           /* YAML__COLLECTION: levels of collections, itself included */
	char *text, *tag;     /* YAML__SCALAR: copies */
	size_t len;
	int plain;
};

enum y2j__want { YAML__WANT_KEY, YAML__WANT_VALUE, YAML__WANT_MERGE };

/* An open collection. Its node is owned by the frame until it is attached to its parent. */
struct y2j__frame {
	cJSON *node;
	char *key;            /* mapping: the key waiting for its value */
	enum y2j__want want; /* mapping only */
	size_t anchor;        /* 1 + index of its anchor record, or 0 */
	size_t nodes0, bytes0;
	int height;
};

struct y2j__doc {
	yaml_parser_t parser;
	struct y2j__frame stack[YAML__MAX_DEPTH];
	int depth;
	struct y2j__anchor *anchors;
	size_t nanchors, anchors_cap;
	size_t *slots; /* hash table of 1 + anchor index, 0 when free */
	size_t nslots;
	cJSON *root;
	int root_empty; /* the document is an empty plain scalar */
	cJSON *graveyard;
	size_t nodes, bytes, max_nodes, max_bytes;
	unsigned flags;
	struct buf *err;
};

static cJSON *y2j__nn(cJSON *p)
{
	if (!p)
		abort(); /* cJSON only fails on allocation failure */
	return p;
}

static struct y2j__frame *y2j__top(struct y2j__doc *d)
{
	return d->depth ? &d->stack[d->depth - 1] : NULL;
}

/* Appends "line L, column C: message" to the error buffer. Returns -KUBE_EINVAL. */
static int y2j__fail(struct y2j__doc *d, yaml_mark_t mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int y2j__fail(struct y2j__doc *d, yaml_mark_t mark, const char *fmt, ...)
{
	if (d->err) {
		va_list ap;
		va_start(ap, fmt);
		buf_addf(d->err, "line %zu, column %zu: ", mark.line + 1, mark.column + 1);
		buf_vaddf(d->err, fmt, ap);
		va_end(ap);
	}
	return -KUBE_EINVAL;
}

static void y2j__parser_error(struct y2j__doc *d)
{
	const yaml_parser_t *p = &d->parser;
	if (!d->err)
		return;
	if (p->error == YAML_MEMORY_ERROR) {
		buf_adds(d->err, "out of memory while parsing YAML");
	} else if (p->error == YAML_READER_ERROR) {
		buf_addf(d->err, "byte offset %zu: %s", p->problem_offset,
			 p->problem ? p->problem : "cannot read input");
	} else {
		buf_addf(d->err, "line %zu, column %zu: %s", p->problem_mark.line + 1,
			 p->problem_mark.column + 1, p->problem ? p->problem : "invalid YAML");
		if (p->context)
			buf_addf(d->err, " (%s at line %zu, column %zu)", p->context,
				 p->context_mark.line + 1, p->context_mark.column + 1);
	}
}

/* Charges what is about to be created to the budget. Returns 0 or -KUBE_EINVAL. */
static int y2j__charge(struct y2j__doc *d, size_t nodes, size_t bytes, yaml_mark_t mark)
{
	if (nodes > d->max_nodes - d->nodes)
		return y2j__fail(d, mark, "document expands to more than %zu nodes "
				  "(too many aliases?)", d->max_nodes);
	if (bytes > d->max_bytes - d->bytes)
		return y2j__fail(d, mark, "document expands to more than %zu bytes of strings "
				  "(too many aliases?)", d->max_bytes);
	d->nodes += nodes;
	d->bytes += bytes;
	return 0;
}

/* ---- Scalar resolution, after go-yaml v2's resolve.go ---- */

static enum y2j__tag y2j__tag_kind(const char *tag)
{
	static const struct {
		const char *name;
		enum y2j__tag kind;
	} known[] = {
		{ "str", YAML__T_STR }, { "int", YAML__T_INT }, { "float", YAML__T_FLOAT },
		{ "bool", YAML__T_BOOL }, { "null", YAML__T_NULL }, { "timestamp", YAML__T_TIME },
		{ "binary", YAML__T_BINARY }, { "merge", YAML__T_MERGE },
	};
	if (!tag)
		return YAML__T_NONE;
	if (!starts_with(tag, YAML__TAG_PREFIX))
		return YAML__T_OTHER;
	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(tag + strlen(YAML__TAG_PREFIX), known[i].name) == 0)
			return known[i].kind;
	return YAML__T_OTHER;
}

/* The words go-yaml v2 resolves by table lookup. Returns 1 and sets v when s is one. */
static int y2j__word(const char *s, struct y2j__value *v)
{
	static const struct {
		const char *word;
		enum y2j__type type;
		double value; /* boolean or float */
	} words[] = {
		{ "y", YAML__BOOL, 1 }, { "Y", YAML__BOOL, 1 }, { "yes", YAML__BOOL, 1 },
		{ "Yes", YAML__BOOL, 1 }, { "YES", YAML__BOOL, 1 }, { "true", YAML__BOOL, 1 },
		{ "True", YAML__BOOL, 1 }, { "TRUE", YAML__BOOL, 1 }, { "on", YAML__BOOL, 1 },
		{ "On", YAML__BOOL, 1 }, { "ON", YAML__BOOL, 1 },
		{ "n", YAML__BOOL, 0 }, { "N", YAML__BOOL, 0 }, { "no", YAML__BOOL, 0 },
		{ "No", YAML__BOOL, 0 }, { "NO", YAML__BOOL, 0 }, { "false", YAML__BOOL, 0 },
		{ "False", YAML__BOOL, 0 }, { "FALSE", YAML__BOOL, 0 }, { "off", YAML__BOOL, 0 },
		{ "Off", YAML__BOOL, 0 }, { "OFF", YAML__BOOL, 0 },
		{ "", YAML__NULL, 0 }, { "~", YAML__NULL, 0 }, { "null", YAML__NULL, 0 },
		{ "Null", YAML__NULL, 0 }, { "NULL", YAML__NULL, 0 },
		{ ".nan", YAML__FLOAT, NAN }, { ".NaN", YAML__FLOAT, NAN }, { ".NAN", YAML__FLOAT, NAN },
		{ ".inf", YAML__FLOAT, INFINITY }, { ".Inf", YAML__FLOAT, INFINITY },
		{ ".INF", YAML__FLOAT, INFINITY }, { "+.inf", YAML__FLOAT, INFINITY },
		{ "+.Inf", YAML__FLOAT, INFINITY }, { "+.INF", YAML__FLOAT, INFINITY },
		{ "-.inf", YAML__FLOAT, -INFINITY }, { "-.Inf", YAML__FLOAT, -INFINITY },
		{ "-.INF", YAML__FLOAT, -INFINITY },
	};
	if (s[0] && !strchr("yYnNtTfFoO~.+-", s[0])) /* go-yaml's hint: cannot be a word */
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		if (strcmp(s, words[i].word) == 0) {
			*v = (struct y2j__value){ .type = words[i].type, .b = words[i].value != 0,
						   .f = words[i].value };
			return 1;
		}
	}
	return 0;
}

static int y2j__digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return (c | 0x20) - 'a' + 10;
	return 99;
}

/* Go's strconv.ParseUint(s, base, 64); base 0 reads a 0b/0o/0x/0 prefix. Returns 0, -1 for a
 * syntax error or -2 when out of range (like Go, at the first digit that overflows). */
static int y2j__parse_uint(const char *s, int base, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			char c = strlen(s) >= 3 ? (char)(s[1] | 0x20) : '\0';
			base = c == 'b' ? 2 : c == 'x' ? 16 : 8;
			s += c == 'b' || c == 'o' || c == 'x' ? 2 : 1;
		}
	}
	for (; *s; s++) {
		int dg = y2j__digit(*s);
		if (dg >= base)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)dg) / (uint64_t)base)
			return -2;
		v = v * (uint64_t)base + (uint64_t)dg;
	}
	*out = v;
	return 0;
}

/* Go's strconv.ParseInt(s, base, 64). Same returns as y2j__parse_uint. */
static int y2j__parse_int(const char *s, int base, int64_t *out)
{
	int neg = *s == '-';
	uint64_t u;
	if (*s == '+' || *s == '-')
		s++;
	int rc = y2j__parse_uint(s, base, &u);
	if (rc < 0)
		return rc;
	if (u > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -2;
	*out = !neg ? (int64_t)u : u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	return 0;
}

/* An integer of any size with a 0b/0o/0x prefix (Go's big.Int SetString with base 0, as the
 * sigs.k8s.io fork of go-yaml v2 reads them), as a double. Returns 0 or -1. */
static int y2j__parse_big(const char *s, double *out)
{
	int base = 10;
	double v = 0;
	if (s[0] == '0' && s[1]) {
		char c = (char)(s[1] | 0x20);
		base = c == 'b' ? 2 : c == 'x' ? 16 : 8;
		s += c == 'b' || c == 'o' || c == 'x' ? 2 : 1;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		int dg = y2j__digit(*s);
		if (dg >= base)
			return -1;
		v = v * base + dg;
	}
	*out = v;
	return 0;
}

/* Go's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static int y2j__float_syntax(const char *s)
{
#define YAML__DIGITS(p) while (*(p) >= '0' && *(p) <= '9') (p)++
	const char *p;
	if (*s == '+' || *s == '-')
		s++;
	p = s + (*s == '.');
	if (*p < '0' || *p > '9')
		return 0;
	YAML__DIGITS(p);
	if (*s != '.' && *p == '.') {
		p++;
		YAML__DIGITS(p);
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		YAML__DIGITS(p);
	}
	return *p == '\0';
#undef YAML__DIGITS
}

/* strtod for text that passed y2j__float_syntax; like Go, overflow to infinity fails. */
static int y2j__parse_float(const char *s, double *out)
{
	double f = strtod(s, NULL);
	if (isinf(f))
		return -1;
	*out = f;
	return 0;
}

/* Resolves a number-like plain scalar (first character a sign or a digit), s with '_' removed. */
static int y2j__resolve_number(const char *s, struct y2j__value *v)
{
	int64_t i;
	uint64_t u;
	int urc;
	if (y2j__parse_int(s, 0, &i) == 0)
		goto int_ok;
	urc = y2j__parse_uint(s, 0, &u);
	if (urc == 0)
		goto uint_ok;
	if (y2j__float_syntax(s) && y2j__parse_float(s, &v->f) == 0) {
		v->type = YAML__FLOAT;
		return 1;
	}
	if (starts_with(s, "0b")) {
		if (y2j__parse_int(s + 2, 2, &i) == 0)
			goto int_ok;
		if (y2j__parse_uint(s + 2, 2, &u) == 0)
			goto uint_ok;
	} else if (starts_with(s, "-0b")) {
		char *neg = xasprintf("-%s", s + 3);
		int rc = y2j__parse_int(neg, 2, &i);
		free(neg);
		if (rc == 0)
			goto int_ok;
	}
	if (urc == -2 && y2j__parse_big(s, &v->f) == 0) {
		v->type = YAML__BIG;
		return 1;
	}
	return 0;
int_ok:
	v->type = YAML__INT;
	v->i = i;
	return 1;
uint_ok:
	v->type = YAML__UINT;
	v->u = u;
	return 1;
}

/* go-yaml v2's resolve() for an untagged plain scalar or one with a resolvable tag. Timestamps
 * (YYYY-...) are strings, as go-yaml hands them to interface{} values. */
static void y2j__resolve_plain(const char *s, struct y2j__value *v)
{
	char c = s[0];
	*v = (struct y2j__value){ .type = YAML__STR };
	if (y2j__word(s, v))
		return;
	if (c == '.') {
		if (y2j__float_syntax(s) && y2j__parse_float(s, &v->f) == 0)
			v->type = YAML__FLOAT;
	} else if (c == '+' || c == '-' || (c >= '0' && c <= '9')) {
		size_t n = strlen(s), k = 0;
		int time = n > 4 && s[4] == '-' && strspn(s, "0123456789") == 4;
		char *t = xmalloc(n + 1);
		for (size_t j = 0; j < n; j++)
			if (s[j] != '_')
				t[k++] = s[j];
		t[k] = '\0';
		if (time || !y2j__resolve_number(t, v))
			v->type = YAML__STR;
		free(t);
	}
}

static const char *y2j__type_name(enum y2j__type t)
{
	static const char *const names[] = { "!!null", "!!bool", "!!int", "!!int", "!!int",
					     "!!float", "!!str" };
	return names[t];
}

/* Types scalar s as go-yaml v2 does. Returns 0, or -KUBE_EINVAL when a tag does not fit. */
static int y2j__resolve(struct y2j__doc *d, const struct y2j__scalar *s, struct y2j__value *v)
{
	enum y2j__tag tag = y2j__tag_kind(s->tag);
	static const enum y2j__type want[] = {
		[YAML__T_INT] = YAML__INT, [YAML__T_FLOAT] = YAML__FLOAT,
		[YAML__T_BOOL] = YAML__BOOL, [YAML__T_NULL] = YAML__NULL,
	};
	*v = (struct y2j__value){ .type = YAML__STR };
	if (tag == YAML__T_BINARY)
		return y2j__fail(d, s->mark, "!!binary values are not supported");
	if (tag == YAML__T_STR || tag == YAML__T_MERGE || tag == YAML__T_OTHER ||
	    (tag == YAML__T_NONE && !s->plain))
		return 0;
	y2j__resolve_plain(s->text, v);
	if (tag == YAML__T_NONE)
		return 0;
	if (tag == YAML__T_TIME) {
		if (v->type == YAML__STR && s->len > 4 && s->text[4] == '-')
			return 0;
	} else if (v->type == want[tag] || (tag == YAML__T_INT && v->type >= YAML__INT &&
					      v->type <= YAML__BIG)) {
		return 0;
	} else if (tag == YAML__T_FLOAT && v->type == YAML__INT) {
		v->type = YAML__FLOAT;
		v->f = (double)v->i;
		return 0;
	}
	return y2j__fail(d, s->mark, "cannot decode %s `%s` as a !!%s", y2j__type_name(v->type),
			  s->text, s->tag + strlen(YAML__TAG_PREFIX));
}

/* Formats f as Go's strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's names for infinities
 * and NaN: how sigs.k8s.io/yaml turns a float mapping key into a string. */
static void y2j__format_float32(double f, char out[40])
{
	char e[40], digits[16];
	int p, exp, nd = 0, neg = signbit(f) != 0;
	if (isnan(f) || fabs(f) >= 0x1.ffffffp+127) {
		strcpy(out, isnan(f) ? ".nan" : neg ? "-.inf" : ".inf");
		return;
	}
	float x = (float)f;
	if (x == 0) {
		strcpy(out, neg ? "-0" : "0");
		return;
	}
	for (p = 1; p < 9; p++) { /* the shortest that reads back; 9 digits always do */
		snprintf(e, sizeof(e), "%.*e", p - 1, fabs((double)x));
		if (strtof(e, NULL) == fabsf(x))
			break;
	}
	snprintf(e, sizeof(e), "%.*e", p - 1, fabs((double)x));
	for (const char *q = e; *q != 'e'; q++)
		if (*q != '.')
			digits[nd++] = *q;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	exp = atoi(strchr(e, 'e') + 1);
	char *o = out + (neg ? 1 : 0);
	out[0] = '-';
	if (exp < -4 || exp >= 6)
		snprintf(o, 39, "%c%s%se%c%02d", digits[0], nd > 1 ? "." : "", digits + 1,
			exp < 0 ? '-' : '+', abs(exp));
	else if (exp < 0)
		snprintf(o, 39, "0.%.*s%s", -exp - 1, "0000", digits);
	else if (nd <= exp + 1)
		snprintf(o, 39, "%s%.*s", digits, exp + 1 - nd, "000000");
	else
		snprintf(o, 39, "%.*s.%s", exp + 1, digits, digits + exp + 1);
}

/* The string sigs.k8s.io/yaml makes of a mapping key. Returns a malloc'd key, or NULL with an
 * error. */
static char *y2j__key_string(struct y2j__doc *d, const struct y2j__scalar *s)
{
	struct y2j__value v;
	char num[40];
	if (y2j__resolve(d, s, &v) < 0)
		return NULL;
	switch (v.type) {
	case YAML__STR:
		return xstrndup(s->text, s->len);
	case YAML__BOOL:
		return xstrdup(v.b ? "true" : "false");
	case YAML__INT:
		return xasprintf("%" PRId64, v.i);
	case YAML__FLOAT:
		y2j__format_float32(v.f, num);
		return xstrdup(num);
	default:
		y2j__fail(d, s->mark, "unsupported mapping key `%s` (%s)", s->text,
			   v.type == YAML__NULL ? "null" : "integer beyond 64 bits");
		return NULL;
	}
}

/* The JSON value of scalar s. Returns it, or NULL with an error. */
static cJSON *y2j__scalar_json(struct y2j__doc *d, const struct y2j__scalar *s)
{
	struct y2j__value v;
	if (y2j__resolve(d, s, &v) < 0)
		return NULL;
	if ((d->flags & Y2J_NUMBERS_AS_TEXT) && !s->tag && s->plain &&
	    (v.type == YAML__INT || v.type == YAML__UINT || v.type == YAML__BIG ||
	     v.type == YAML__FLOAT))
		v.type = YAML__STR;
	switch (v.type) {
	case YAML__NULL:
		return y2j__nn(cJSON_CreateNull());
	case YAML__BOOL:
		return y2j__nn(cJSON_CreateBool(v.b));
	case YAML__INT:
		return y2j__nn(cJSON_CreateNumber((double)v.i));
	case YAML__UINT:
		return y2j__nn(cJSON_CreateNumber((double)v.u));
	case YAML__BIG:
	case YAML__FLOAT:
		if (!isfinite(v.f)) {
			y2j__fail(d, s->mark, "`%s` has no JSON representation", s->text);
			return NULL;
		}
		return y2j__nn(cJSON_CreateNumber(v.f));
	default:
		return y2j__nn(cJSON_CreateString(s->text));
	}
}

/* ---- Anchors ---- */

static size_t y2j__hash(const char *s)
{
	size_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Returns the slot for name: holding its latest record, or free. */
static size_t *y2j__slot(struct y2j__doc *d, const char *name)
{
	size_t mask = d->nslots - 1, i = y2j__hash(name) & mask;
	while (d->slots[i] && strcmp(d->anchors[d->slots[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &d->slots[i];
}

static struct y2j__anchor *y2j__anchor_find(struct y2j__doc *d, const char *name)
{
	size_t *slot = d->nslots ? y2j__slot(d, name) : NULL;
	return slot && *slot ? &d->anchors[*slot - 1] : NULL;
}

/* Adds a record for a new definition of name and returns 1 + its index. */
static size_t y2j__anchor_add(struct y2j__doc *d, const char *name, enum y2j__anchor_state st)
{
	if (d->nanchors == d->anchors_cap) {
		d->anchors_cap = d->anchors_cap ? 2 * d->anchors_cap : 16;
		d->anchors = xrealloc(d->anchors, d->anchors_cap * sizeof(*d->anchors));
	}
	if (2 * (d->nanchors + 1) > d->nslots) {
		free(d->slots);
		d->nslots = d->nslots ? 2 * d->nslots : 64;
		d->slots = xcalloc(d->nslots, sizeof(*d->slots));
		for (size_t i = 0; i < d->nanchors; i++)
			*y2j__slot(d, d->anchors[i].name) = i + 1;
	}
	d->anchors[d->nanchors] = (struct y2j__anchor){ .name = xstrdup(name), .state = st };
	*y2j__slot(d, name) = ++d->nanchors;
	return d->nanchors;
}

/* ---- Building the tree ---- */

static void y2j__bury(struct y2j__doc *d, cJSON *item)
{
	if (!cJSON_AddItemToArray(d->graveyard, item))
		abort();
}

/* Attaches a finished value where the document has it. Takes ownership of item. */
static int y2j__merge(struct y2j__doc *d, cJSON *obj, const cJSON *src, int list,
		       yaml_mark_t mark);

static int y2j__place(struct y2j__doc *d, cJSON *item, yaml_mark_t mark)
{
	struct y2j__frame *f = y2j__top(d);
	int rc = 0;
	if (!f) {
		d->root = item;
	} else if (cJSON_IsArray(f->node)) {
		if (!cJSON_AddItemToArray(f->node, item))
			abort();
	} else if (f->want == YAML__WANT_VALUE) {
		if (!cJSON_AddItemToObject(f->node, f->key, item))
			abort();
		free(f->key);
		f->key = NULL;
		f->want = YAML__WANT_KEY;
	} else {
		assert(f->want == YAML__WANT_MERGE);
		f->want = YAML__WANT_KEY;
		rc = y2j__merge(d, f->node, item, 1, mark);
		y2j__bury(d, item);
	}
	return rc;
}

static void y2j__cost(const cJSON *n, size_t *nodes, size_t *bytes)
{
	for (; n; n = n->next) {
		*nodes += 1;
		*bytes += (n->string ? strlen(n->string) : 0) +
			  (cJSON_IsString(n) ? strlen(n->valuestring) : 0);
		y2j__cost(n->child, nodes, bytes);
	}
}

/* Appends copies of the members of mapping src to obj. */
static int y2j__merge_members(struct y2j__doc *d, cJSON *obj, const cJSON *src, yaml_mark_t mark)
{
	size_t nodes = 0, bytes = 0;
	y2j__cost(src->child, &nodes, &bytes);
	int rc = y2j__charge(d, nodes, bytes, mark);
	for (const cJSON *c = src->child; rc == 0 && c; c = c->next)
		if (!cJSON_AddItemToObject(obj, c->string, y2j__nn(cJSON_Duplicate(c, 1))))
			abort();
	return rc;
}

/* Merges src, the value of a "<<" key, into obj: a mapping, or when list is set a sequence of
 * mappings, merged last first so that the earlier ones win. */
static int y2j__merge(struct y2j__doc *d, cJSON *obj, const cJSON *src, int list,
		       yaml_mark_t mark)
{
	int rc = 0;
	if (cJSON_IsObject(src))
		return y2j__merge_members(d, obj, src, mark);
	if (!list || !cJSON_IsArray(src))
		goto bad;
	for (const cJSON *c = src->child; c; c = c->next)
		if (!cJSON_IsObject(c))
			goto bad;
	for (const cJSON *c = src->child ? src->child->prev : NULL; rc == 0 && c; c = c->prev) {
		rc = y2j__merge_members(d, obj, c, mark);
		if (c == src->child)
			break;
	}
	return rc;
bad:
	return y2j__fail(d, mark, "map merge requires a mapping or a sequence of mappings as the "
			  "value");
}

struct y2j__keyed {
	const cJSON *item;
	size_t index;
};

static int y2j__keyed_cmp(const void *a, const void *b)
{
	const struct y2j__keyed *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);
	return c ? c : x->index < y->index ? -1 : 1;
}

/* Removes the earlier members of obj that a later member with the same key overrides. */
static void y2j__dedupe(struct y2j__doc *d, cJSON *obj)
{
	size_t n = 0;
	for (const cJSON *c = obj->child; c; c = c->next)
		n++;
	if (n < 2)
		return;
	struct y2j__keyed *v = xmalloc(n * sizeof(*v));
	n = 0;
	for (const cJSON *c = obj->child; c; c = c->next, n++)
		v[n] = (struct y2j__keyed){ c, n };
	qsort(v, n, sizeof(*v), y2j__keyed_cmp);
	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(v[i].item->string, v[i + 1].item->string) == 0)
			y2j__bury(d, cJSON_DetachItemViaPointer(obj, (cJSON *)v[i].item));
	free(v);
}

/* Uses scalar s where the document has it: key, merge key or value. alias: s comes from one. */
static int y2j__use_scalar(struct y2j__doc *d, const struct y2j__scalar *s, int alias)
{
	struct y2j__frame *f = y2j__top(d);
	cJSON *item;
	if (memchr(s->text, '\0', s->len))
		return y2j__fail(d, s->mark, "NUL characters in strings are not supported");
	if (f && cJSON_IsObject(f->node) && f->want == YAML__WANT_KEY) {
		if (!alias && strcmp(s->text, "<<") == 0 &&
		    (s->plain || y2j__tag_kind(s->tag) == YAML__T_MERGE)) {
			f->want = YAML__WANT_MERGE;
			return 0;
		}
		if (y2j__charge(d, 0, s->len, s->mark) < 0 || !(f->key = y2j__key_string(d, s)))
			return -KUBE_EINVAL;
		f->want = YAML__WANT_VALUE;
		return 0;
	}
	if (f && cJSON_IsObject(f->node) && f->want == YAML__WANT_MERGE)
		return y2j__fail(d, s->mark, "map merge requires a mapping or a sequence of "
				  "mappings as the value");
	if (y2j__charge(d, 1, s->len, s->mark) < 0 || !(item = y2j__scalar_json(d, s)))
		return -KUBE_EINVAL;
	if (!f && s->plain && !s->tag && s->len == 0)
		d->root_empty = 1;
	return y2j__place(d, item, s->mark);
}

static int y2j__on_scalar(struct y2j__doc *d, const yaml_event_t *ev)
{
	struct y2j__scalar s = {
		.text = (const char *)ev->data.scalar.value, .len = ev->data.scalar.length,
		.tag = (const char *)ev->data.scalar.tag, .plain = ev->data.scalar.plain_implicit,
		.mark = ev->start_mark,
	};
	if (ev->data.scalar.anchor) {
		size_t i = y2j__anchor_add(d, (const char *)ev->data.scalar.anchor, YAML__SCALAR);
		struct y2j__anchor *a = &d->anchors[i - 1];
		a->text = xstrndup(s.text, s.len);
		a->len = s.len;
		a->tag = s.tag ? xstrdup(s.tag) : NULL;
		a->plain = s.plain;
	}
	return y2j__use_scalar(d, &s, 0);
}

static int y2j__on_alias(struct y2j__doc *d, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	const struct y2j__anchor *a = y2j__anchor_find(d, name);
	struct y2j__frame *f = y2j__top(d);
	yaml_mark_t mark = ev->start_mark;
	if (!a)
		return y2j__fail(d, mark, "unknown anchor '%s' referenced", name);
	if (a->state == YAML__OPEN)
		return y2j__fail(d, mark, "anchor '%s' value contains itself", name);
	if (a->state == YAML__SCALAR) {
		struct y2j__scalar s = { a->text, a->len, a->tag, a->plain, mark };
		return y2j__use_scalar(d, &s, 1);
	}
	if (f && cJSON_IsObject(f->node) && f->want == YAML__WANT_KEY)
		return y2j__fail(d, mark, "mapping keys must be scalars");
	if (d->depth + a->height > YAML__MAX_DEPTH)
		return y2j__fail(d, mark, "collections nested deeper than %d levels",
				  YAML__MAX_DEPTH);
	if (f)
		f->height = MAX(f->height, a->height + 1);
	if (f && cJSON_IsObject(f->node) && f->want == YAML__WANT_MERGE) {
		f->want = YAML__WANT_KEY;
		return y2j__merge(d, f->node, a->node, 0, mark);
	}
	if (y2j__charge(d, a->nodes, a->bytes, mark) < 0)
		return -KUBE_EINVAL;
	cJSON *copy = y2j__nn(cJSON_Duplicate(a->node, 1));
	free(copy->string);
	copy->string = NULL;
	return y2j__place(d, copy, mark);
}

static int y2j__on_start(struct y2j__doc *d, const yaml_event_t *ev)
{
	struct y2j__frame *f = y2j__top(d);
	int map = ev->type == YAML_MAPPING_START_EVENT;
	const yaml_char_t *anchor = map ? ev->data.mapping_start.anchor
					: ev->data.sequence_start.anchor;
	if (f && cJSON_IsObject(f->node) && f->want == YAML__WANT_KEY)
		return y2j__fail(d, ev->start_mark, "mapping keys must be scalars");
	if (d->depth == YAML__MAX_DEPTH)
		return y2j__fail(d, ev->start_mark, "collections nested deeper than %d levels",
				  YAML__MAX_DEPTH);
	if (y2j__charge(d, 1, 0, ev->start_mark) < 0)
		return -KUBE_EINVAL;
	f = &d->stack[d->depth++];
	*f = (struct y2j__frame){
		.node = y2j__nn(map ? cJSON_CreateObject() : cJSON_CreateArray()),
		.want = YAML__WANT_KEY, .nodes0 = d->nodes - 1, .bytes0 = d->bytes, .height = 1,
	};
	if (anchor)
		f->anchor = y2j__anchor_add(d, (const char *)anchor, YAML__OPEN);
	return 0;
}

static int y2j__on_end(struct y2j__doc *d, const yaml_event_t *ev)
{
	assert(d->depth > 0);
	struct y2j__frame f = d->stack[--d->depth];
	struct y2j__frame *parent = y2j__top(d);
	/* libyaml gives every key a value (an empty scalar when none is written). */
	assert(!f.key && f.want == YAML__WANT_KEY);
	if (cJSON_IsObject(f.node))
		y2j__dedupe(d, f.node);
	if (f.anchor) {
		struct y2j__anchor *a = &d->anchors[f.anchor - 1];
		a->state = YAML__COLLECTION;
		a->node = f.node;
		a->nodes = d->nodes - f.nodes0;
		a->bytes = d->bytes - f.bytes0;
		a->height = f.height;
	}
	if (parent)
		parent->height = MAX(parent->height, f.height + 1);
	return y2j__place(d, f.node, ev->start_mark);
}

/* Handles one event. Sets *done at the end of the first document. */
static int y2j__on_event(struct y2j__doc *d, const yaml_event_t *ev, int *done)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return y2j__on_scalar(d, ev);
	case YAML_ALIAS_EVENT:
		return y2j__on_alias(d, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return y2j__on_start(d, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return y2j__on_end(d, ev);
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		*done = 1;
		return 0;
	default:
		return 0;
	}
}

static void y2j__doc_free(struct y2j__doc *d)
{
	for (int i = 0; i < d->depth; i++) {
		cJSON_Delete(d->stack[i].node);
		free(d->stack[i].key);
	}
	for (size_t i = 0; i < d->nanchors; i++) {
		free(d->anchors[i].name);
		free(d->anchors[i].text);
		free(d->anchors[i].tag);
	}
	free(d->anchors);
	free(d->slots);
	cJSON_Delete(d->root);
	cJSON_Delete(d->graveyard);
	yaml_parser_delete(&d->parser);
	free(d);
}

cJSON *y2j_parse_flags(const char *data, size_t len, unsigned flags, struct buf *err)
{
	struct y2j__doc *d = xcalloc(1, sizeof(*d));
	cJSON *out = NULL;
	int rc = 0, done = 0;
	d->flags = flags;
	d->err = err;
	d->max_nodes = MAX(YAML__MIN_NODES, len);
	d->max_bytes = MAX(YAML__MIN_BYTES, len > SIZE_MAX / 2 ? SIZE_MAX : 2 * len);
	d->graveyard = y2j__nn(cJSON_CreateArray());
	if (!yaml_parser_initialize(&d->parser))
		abort();
	yaml_parser_set_input_string(&d->parser, (const unsigned char *)(data ? data : ""),
				     data ? len : 0);
	while (rc == 0 && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&d->parser, &ev)) {
			y2j__parser_error(d);
			rc = -KUBE_EINVAL;
			break;
		}
		rc = y2j__on_event(d, &ev, &done);
		yaml_event_delete(&ev);
	}
	if (rc == 0) {
		if (!d->root || d->root_empty) {
			cJSON_Delete(d->root);
			d->root = y2j__nn(cJSON_CreateObject());
		}
		out = d->root;
		d->root = NULL;
	}
	y2j__doc_free(d);
	return out;
}

cJSON *y2j_parse(const char *data, size_t len, struct buf *err)
{
	return y2j_parse_flags(data, len, 0, err);
}
