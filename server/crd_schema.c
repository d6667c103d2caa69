/*
 * crd_schema.c - a custom resource against its CRD version's openAPIV3Schema: pruning,
 * defaulting and validation, as apiextensions-apiserver does them.
 *
 * DESIGN
 * The schema is walked as the JSON the CRD holds (no compiled form: schemas are small and a
 * write walks only the parts the object has). Three passes, in upstream's order:
 *  - pruning (structural pruning): object fields the schema does not name are dropped, except
 *    under x-kubernetes-preserve-unknown-fields; additionalProperties covers every key, items
 *    every element; embedded resources and the root keep apiVersion, kind and metadata. The
 *    dropped paths come back as fieldcheck messages (`unknown field "spec.x"`) so that api.c's
 *    fieldValidation handling (Strict fails, Warn warns, Ignore says nothing) applies unchanged.
 *  - defaulting: absent properties (or null ones of a non-nullable schema) get the schema's
 *    default, then the walk goes on inside, so nested defaults apply inside a defaulted object;
 *    a null without default in a non-nullable property is removed (upstream's
 *    PruneNonNullableNullsWithoutDefaults).
 *  - validation (kube-openapi's validate package as apiextensions maps its errors to field
 *    errors): type, nullable, format, enum, required, bounds, lengths, pattern, items,
 *    properties, int-or-string, anyOf/oneOf/allOf/not, then list-type set/map uniqueness.
 *    On update, errors about values old has unchanged are dropped (ratcheting, per value).
 *    Messages are upstream's word for word ("spec.n in body should be greater than or equal to
 *    1"); anyOf/oneOf/allOf/not errors come, as upstream, with the field "<nil>".
 * Differences: pattern is ECMA-262 upstream; here POSIX ERE (regcomp) after rewriting \d, \w,
 * \s and their negations, which covers the patterns CRDs commonly use. Only the formats
 * date-time, date and byte are checked (upstream checks more string formats; int32/int64 are
 * not checked by upstream either).
 */
#include "internal.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "server/crd.h"
#include "server/schema.h"

#define MAX_UNKNOWN 100

/* ---- paths --------------------------------------------------------------------------------- */

static void path_key(struct buf *p, const char *key)
{
	if (p->len)
		buf_addch(p, '.');
	buf_adds(p, key);
}

/* The schema of the object member key: its property, else additionalProperties (a schema),
 * else NULL. */
static const cJSON *member_schema(const cJSON *s, const char *key)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(json_obj(s, "properties"), key);
	if (cJSON_IsObject(p))
		return p;
	p = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	return cJSON_IsObject(p) ? p : NULL;
}

static int is_meta_field(const char *k)
{
	return !strcmp(k, "apiVersion") || !strcmp(k, "kind") || !strcmp(k, "metadata");
}

/* ---- pruning ------------------------------------------------------------------------------- */

static void prune(const cJSON *s, cJSON *v, int embedded, struct buf *path, struct fieldcheck *unknown);

static void note_unknown(struct fieldcheck *unknown, const struct buf *path)
{
	if (!unknown || unknown->n >= MAX_UNKNOWN)
		return;
	unknown->v = xrealloc(unknown->v, (unknown->n + 1) * sizeof(*unknown->v));
	unknown->v[unknown->n++] = xasprintf("unknown field \"%s\"", buf_str(path));
}

static void prune_object(const cJSON *s, cJSON *v, int embedded, struct buf *path, struct fieldcheck *unknown)
{
	int preserve = json_true(s, "x-kubernetes-preserve-unknown-fields");
	size_t len = path->len;
	cJSON *m = v->child, *next;
	for (; m; m = next) {
		next = m->next;
		if (embedded && is_meta_field(m->string))
			continue;
		path_key(path, m->string);
		const cJSON *ms = s ? member_schema(s, m->string) : NULL;
		if (ms) {
			prune(ms, m, json_true(ms, "x-kubernetes-embedded-resource"), path, unknown);
		} else if (s && json_true(s, "additionalProperties")) {
			prune(NULL, m, 0, path, unknown); /* any key, but nothing inside an object */
		} else if (!preserve) {
			note_unknown(unknown, path);
			cJSON_Delete(cJSON_DetachItemViaPointer(v, m));
		}
		buf_truncate(path, len);
	}
}

static void prune(const cJSON *s, cJSON *v, int embedded, struct buf *path, struct fieldcheck *unknown)
{
	if (cJSON_IsObject(v)) {
		prune_object(s, v, embedded, path, unknown);
	} else if (cJSON_IsArray(v)) {
		const cJSON *items = json_obj(s, "items");
		size_t len = path->len;
		int i = 0;
		cJSON *e;
		if (!items && json_true(s, "x-kubernetes-preserve-unknown-fields"))
			return;
		cJSON_ArrayForEach(e, v)
		{
			buf_addf(path, "[%d]", i++);
			prune(items, e, json_true(items, "x-kubernetes-embedded-resource"), path, unknown);
			buf_truncate(path, len);
		}
	}
}

void crd_prune(const cJSON *schema, cJSON *obj, struct fieldcheck *unknown)
{
	struct buf path = BUF_INIT;
	if (cJSON_IsObject(obj))
		prune_object(schema, obj, 1, &path, unknown);
	buf_release(&path);
}

/* ---- defaulting ---------------------------------------------------------------------------- */

static void apply_default(const cJSON *s, cJSON *v);

/* Sets or removes the member key of v (absent: cur NULL) as the schema ms says. */
static void default_member(cJSON *v, const char *key, cJSON *cur, const cJSON *ms)
{
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(ms, "default");
	if (cur && !(cJSON_IsNull(cur) && !json_true(ms, "nullable")))
		return;
	if (def)
		json_set(v, key, cJSON_Duplicate(def, 1));
	else if (cur)
		cJSON_Delete(cJSON_DetachItemViaPointer(v, cur));
}

static void default_object(const cJSON *s, cJSON *v)
{
	const cJSON *p;
	cJSON *m, *next;
	cJSON_ArrayForEach(p, json_obj(s, "properties"))
		if (cJSON_IsObject(p))
			default_member(v, p->string, cJSON_GetObjectItemCaseSensitive(v, p->string), p);
	const cJSON *ap = cJSON_GetObjectItemCaseSensitive(s, "additionalProperties");
	for (m = v->child; m && cJSON_IsObject(ap); m = next) {
		next = m->next;
		if (!cJSON_GetObjectItemCaseSensitive(json_obj(s, "properties"), m->string))
			default_member(v, m->string, m, ap);
	}
	cJSON_ArrayForEach(m, v)
		apply_default(member_schema(s, m->string), m);
}

static void apply_default(const cJSON *s, cJSON *v)
{
	cJSON *e;
	if (!cJSON_IsObject(s))
		return;
	if (cJSON_IsObject(v))
		default_object(s, v);
	else if (cJSON_IsArray(v))
		cJSON_ArrayForEach(e, v)
			apply_default(json_obj(s, "items"), e);
}

void crd_default(const cJSON *schema, cJSON *obj)
{
	apply_default(schema, obj);
}

/* ---- validation: helpers ------------------------------------------------------------------- */

struct vctx {
	struct buf path;
	struct field_errors *errs;
};

static const char *type_of(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsNumber(v))
		return v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 9.3e18 ? "integer" : "number";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	return "null";
}

/* Appends d as Go's %v prints the number: integers plainly, others shortest round-trip. */
static void add_num(struct buf *b, double d)
{
	if (d == floor(d) && fabs(d) < 1e21) {
		buf_addf(b, "%.0f", d);
		return;
	}
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(b, tmp);
}

static int get_num(const cJSON *s, const char *key, double *out)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(s, key);
	if (!cJSON_IsNumber(n))
		return 0;
	*out = n->valuedouble;
	return 1;
}

/* Adds an error whose detail is "<path> in body <what>" (kube-openapi's message). */
static void body_error(struct vctx *c, enum field_err_type t, const cJSON *bad, const char *what)
{
	field_errors_add(c->errs, t, buf_str(&c->path), bad, "%s in body %s", buf_str(&c->path), what);
}

static void body_error_raw(struct vctx *c, const char *rendered, const char *what)
{
	field_errors_add_raw(c->errs, FE_INVALID, buf_str(&c->path), rendered, "%s in body %s", buf_str(&c->path), what);
}

/* ---- validation: type and format ----------------------------------------------------------- */

static int type_matches(const char *want, const cJSON *v)
{
	const char *have = type_of(v);
	return !strcmp(want, have) || (!strcmp(want, "number") && !strcmp(have, "integer"));
}

/* Returns 0 when v has the schema's type (or the schema names none), else reports it. */
static int check_type(struct vctx *c, const cJSON *s, const cJSON *v)
{
	const char *want = json_str(s, "type");
	int ios = json_true(s, "x-kubernetes-int-or-string");
	if (cJSON_IsNull(v) && (json_true(s, "nullable") || (!want && !ios)))
		return 0;
	if (ios ? (cJSON_IsString(v) || type_matches("integer", v)) : (!want || !*want || type_matches(want, v)))
		return 0;
	struct buf what = BUF_INIT, val = BUF_INIT;
	field_quote(&val, type_of(v));
	buf_addf(&what, "must be of type %s: %s", ios ? "integer,string" : want, buf_str(&val));
	field_errors_add_str(c->errs, FE_TYPE_INVALID, buf_str(&c->path), type_of(v), "%s in body %s",
			     buf_str(&c->path), buf_str(&what));
	buf_release(&what);
	buf_release(&val);
	return -1;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int is_date(const char *s)
{
	return strlen(s) >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2) &&
	       atoi(s + 5) >= 1 && atoi(s + 5) <= 12 && atoi(s + 8) >= 1 && atoi(s + 8) <= 31;
}

/* RFC 3339 date-time as strfmt accepts it: date, 'T', hh:mm[:ss[.frac]], then Z or +-hh:mm
 * (a local time without zone also parses upstream). */
static int is_date_time(const char *s)
{
	if (!is_date(s) || (s[10] != 'T' && s[10] != 't'))
		return 0;
	const char *t = s + 11;
	if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || atoi(t) > 23 || atoi(t + 3) > 59)
		return 0;
	t += 5;
	if (*t == ':') {
		if (!digits(t + 1, 2) || atoi(t + 1) > 60)
			return 0;
		t += 3;
		if (*t == '.' && digits(t + 1, 1))
			for (t++; *t >= '0' && *t <= '9'; t++)
				;
	}
	if (*t == 'Z' || *t == 'z')
		return t[1] == 0;
	if (*t == '+' || *t == '-')
		return digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) && t[6] == 0;
	return *t == 0;
}

/* Standard base64 with padding, as Go's base64.StdEncoding decodes it. */
static int is_base64(const char *s)
{
	size_t n = strlen(s), pad = 0;
	if (n % 4)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '=' && i >= n - 2) {
			pad++;
			continue;
		}
		if (pad || !((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/'))
			return 0;
	}
	return 1;
}

static void check_format(struct vctx *c, const cJSON *s, const cJSON *v)
{
	const char *f = json_str(s, "format");
	int ok = 1;
	if (!f)
		return;
	if (!strcmp(f, "date-time") || !strcmp(f, "datetime"))
		ok = is_date_time(v->valuestring);
	else if (!strcmp(f, "date"))
		ok = strlen(v->valuestring) == 10 && is_date(v->valuestring);
	else if (!strcmp(f, "byte"))
		ok = is_base64(v->valuestring);
	if (ok)
		return;
	struct buf what = BUF_INIT;
	buf_addf(&what, "must be of type %s: ", f);
	field_quote(&what, v->valuestring);
	field_errors_add(c->errs, FE_TYPE_INVALID, buf_str(&c->path), v, "%s in body %s", buf_str(&c->path), buf_str(&what));
	buf_release(&what);
}

/* ---- validation: strings, numbers ---------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Rewrites the ECMA classes \d \w \s (and \D \W \S) that POSIX ERE lacks. */
static char *ecma_to_ere(const char *p)
{
	struct buf b = BUF_INIT;
	for (; *p; p++) {
		const char *r = NULL;
		if (*p == '\\' && p[1]) {
			switch (p[1]) {
			case 'd': r = "[0-9]"; break;
			case 'D': r = "[^0-9]"; break;
			case 'w': r = "[A-Za-z0-9_]"; break;
			case 'W': r = "[^A-Za-z0-9_]"; break;
			case 's': r = "[[:space:]]"; break;
			case 'S': r = "[^[:space:]]"; break;
			}
		}
		if (r) {
			buf_adds(&b, r);
			p++;
		} else {
			buf_addch(&b, *p);
		}
	}
	return buf_detach(&b, NULL);
}

/* 1 if s matches the pattern, 0 if not, 1 also when the pattern does not compile here. */
static int pattern_matches(const char *pattern, const char *s)
{
	regex_t re;
	char *ere = ecma_to_ere(pattern);
	int rc = regcomp(&re, ere, REG_EXTENDED | REG_NOSUB);
	free(ere);
	if (rc)
		return 1;
	int ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

static void check_string(struct vctx *c, const cJSON *s, const cJSON *v)
{
	double lim;
	size_t n = utf8_chars(v->valuestring);
	struct buf what = BUF_INIT;
	const char *pat = json_str(s, "pattern");
	if (get_num(s, "maxLength", &lim) && (double)n > lim)
		field_errors_add(c->errs, FE_TOO_LONG, buf_str(&c->path), NULL, "may not be more than %.0f bytes", lim);
	if (get_num(s, "minLength", &lim) && (double)n < lim) {
		buf_addf(&what, "should be at least %.0f chars long", lim);
		body_error(c, FE_INVALID, v, buf_str(&what));
	}
	if (pat && !pattern_matches(pat, v->valuestring)) {
		buf_reset(&what);
		buf_addf(&what, "should match '%s'", pat);
		body_error(c, FE_INVALID, v, buf_str(&what));
	}
	buf_release(&what);
	check_format(c, s, v);
}

/* One bound: kind "greater" or "less", exclusive or not. */
static void bound_error(struct vctx *c, const cJSON *v, const char *dir, int exclusive, double lim)
{
	struct buf what = BUF_INIT;
	buf_addf(&what, "should be %s than %s", dir, exclusive ? "" : "or equal to ");
	add_num(&what, lim);
	body_error(c, FE_INVALID, v, buf_str(&what));
	buf_release(&what);
}

static void check_number(struct vctx *c, const cJSON *s, const cJSON *v)
{
	double lim, d = v->valuedouble;
	int exmax = json_true(s, "exclusiveMaximum"), exmin = json_true(s, "exclusiveMinimum");
	if (get_num(s, "multipleOf", &lim) && lim > 0) {
		double q = d / lim;
		if (fabs(q - round(q)) > 1e-9 * fmax(1, fabs(q))) {
			struct buf what = BUF_INIT;
			buf_adds(&what, "should be a multiple of ");
			add_num(&what, lim);
			body_error(c, FE_INVALID, v, buf_str(&what));
			buf_release(&what);
		}
	}
	if (get_num(s, "maximum", &lim) && (exmax ? d >= lim : d > lim))
		bound_error(c, v, "less", exmax, lim);
	if (get_num(s, "minimum", &lim) && (exmin ? d <= lim : d < lim))
		bound_error(c, v, "greater", exmin, lim);
}

/* ---- validation: arrays -------------------------------------------------------------------- */

static void validate_value(struct vctx *c, const cJSON *s, const cJSON *v);

/* Go's %#v of the map of list-map keys of element e: map[string]interface {}{"k":"v", ...}
 * with the keys sorted. */
static void render_keys(const cJSON *keys, const cJSON *e, struct buf *out)
{
	size_t n = (size_t)cJSON_GetArraySize(keys), k = 0;
	const char **names = xcalloc(n ? n : 1, sizeof(*names));
	const cJSON *key;
	cJSON_ArrayForEach(key, keys)
		if (cJSON_IsString(key))
			names[k++] = key->valuestring;
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1], names[j - 1] = t;
		}
	buf_adds(out, "map[string]interface {}{");
	for (size_t i = 0; i < k; i++) {
		const cJSON *kv = cJSON_GetObjectItemCaseSensitive(e, names[i]);
		buf_adds(out, i ? ", " : "");
		field_quote(out, names[i]);
		buf_addch(out, ':');
		if (cJSON_IsString(kv))
			field_quote(out, kv->valuestring);
		else if (cJSON_IsNumber(kv))
			add_num(out, kv->valuedouble);
		else if (cJSON_IsBool(kv))
			buf_adds(out, cJSON_IsTrue(kv) ? "true" : "false");
		else
			buf_adds(out, "interface {}(nil)");
	}
	buf_addch(out, '}');
	free(names);
}

/* Do elements a and b agree on every list-map key (both absent counts as agreeing)? */
static int same_keys(const cJSON *keys, const cJSON *a, const cJSON *b)
{
	const cJSON *key;
	cJSON_ArrayForEach(key, keys)
		if (!cJSON_IsString(key) ||
		    !cJSON_Compare(cJSON_GetObjectItemCaseSensitive(a, key->valuestring),
				   cJSON_GetObjectItemCaseSensitive(b, key->valuestring), 1))
			if (cJSON_GetObjectItemCaseSensitive(a, key->valuestring) || cJSON_GetObjectItemCaseSensitive(b, key->valuestring))
				return 0;
	return 1;
}

/* x-kubernetes-list-type set and map: an element equal to (set) or with the keys of (map) an
 * earlier one is a Duplicate value, at its index. */
static void check_list_type(struct vctx *c, const cJSON *s, const cJSON *v)
{
	const char *lt = json_str(s, "x-kubernetes-list-type");
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(s, "x-kubernetes-list-map-keys");
	int set = lt && !strcmp(lt, "set"), map = lt && !strcmp(lt, "map") && cJSON_IsArray(keys);
	size_t len = c->path.len;
	int i = 0;
	const cJSON *e, *p;
	if (!set && !map)
		return;
	for (e = v->child; e; e = e->next, i++) {
		for (p = v->child; p != e; p = p->next)
			if (set ? cJSON_Compare(p, e, 1) : same_keys(keys, p, e))
				break;
		if (p == e)
			continue;
		buf_addf(&c->path, "[%d]", i);
		if (set) {
			field_errors_add(c->errs, FE_DUPLICATE, buf_str(&c->path), e, NULL);
		} else {
			struct buf r = BUF_INIT;
			render_keys(keys, e, &r);
			field_errors_add_raw(c->errs, FE_DUPLICATE, buf_str(&c->path), buf_str(&r), NULL);
			buf_release(&r);
		}
		buf_truncate(&c->path, len);
	}
}

static void check_array(struct vctx *c, const cJSON *s, const cJSON *v)
{
	double lim;
	int n = cJSON_GetArraySize(v), i = 0;
	char count[24];
	snprintf(count, sizeof(count), "%d", n);
	if (get_num(s, "maxItems", &lim) && n > lim)
		field_errors_add_raw(c->errs, FE_TOO_MANY, buf_str(&c->path), count, "must have at most %.0f items", lim);
	if (get_num(s, "minItems", &lim) && n < lim) {
		char what[64];
		snprintf(what, sizeof(what), "should have at least %.0f items", lim);
		body_error_raw(c, count, what);
	}
	if (json_true(s, "uniqueItems")) {
		const cJSON *a, *b;
		int dup = 0;
		for (a = v->child; a && !dup; a = a->next)
			for (b = a->next; b && !dup; b = b->next)
				dup = cJSON_Compare(a, b, 1);
		if (dup)
			body_error_raw(c, "\"\"", "shouldn't contain duplicates");
	}
	const cJSON *items = json_obj(s, "items"), *e;
	size_t len = c->path.len;
	cJSON_ArrayForEach(e, v)
	{
		buf_addf(&c->path, "[%d]", i++);
		validate_value(c, items, e);
		buf_truncate(&c->path, len);
	}
}

/* ---- validation: enum, objects, composition ------------------------------------------------ */

static void check_enum(struct vctx *c, const cJSON *s, const cJSON *v)
{
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(s, "enum"), *e;
	if (!cJSON_IsArray(en))
		return;
	cJSON_ArrayForEach(e, en)
		if (cJSON_Compare(e, v, 1))
			return;
	struct buf what = BUF_INIT;
	buf_adds(&what, "supported values: ");
	cJSON_ArrayForEach(e, en)
	{
		char *j = cJSON_IsString(e) ? NULL : json_print_str(e);
		buf_adds(&what, e == en->child ? "" : ", ");
		field_quote(&what, j ? j : e->valuestring);
		free(j);
	}
	field_errors_add(c->errs, FE_NOT_SUPPORTED, buf_str(&c->path), v, "%s", buf_str(&what));
	buf_release(&what);
}

static void check_object(struct vctx *c, const cJSON *s, const cJSON *v)
{
	double lim;
	int n = cJSON_GetArraySize(v);
	char count[24];
	const cJSON *r, *m;
	size_t len = c->path.len;
	snprintf(count, sizeof(count), "%d", n);
	if (get_num(s, "maxProperties", &lim) && n > lim)
		field_errors_add_raw(c->errs, FE_TOO_MANY, buf_str(&c->path), count, "must have at most %.0f items", lim);
	if (get_num(s, "minProperties", &lim) && n < lim) {
		char what[64];
		snprintf(what, sizeof(what), "should have at least %.0f properties", lim);
		body_error_raw(c, count, what);
	}
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(s, "required"))
	{
		if (!cJSON_IsString(r) || cJSON_GetObjectItemCaseSensitive(v, r->valuestring))
			continue;
		path_key(&c->path, r->valuestring);
		field_errors_add(c->errs, FE_REQUIRED, buf_str(&c->path), NULL, NULL);
		buf_truncate(&c->path, len);
	}
	cJSON_ArrayForEach(m, v)
	{
		const cJSON *ms = member_schema(s, m->string);
		if (!ms)
			continue;
		path_key(&c->path, m->string);
		validate_value(c, ms, m);
		buf_truncate(&c->path, len);
	}
}

/* Validates v against sub-schema s into errs of their own; returns how many errors. */
static size_t try_schema(struct vctx *c, const cJSON *s, const cJSON *v)
{
	struct field_errors tmp = FIELD_ERRORS_INIT, *saved = c->errs;
	c->errs = &tmp;
	validate_value(c, s, v);
	c->errs = saved;
	size_t n = tmp.n;
	field_errors_release(&tmp);
	return n;
}

/* Adds one of kube-openapi's composition errors: field "<nil>" (upstream's nil path). */
static void composition_error(struct vctx *c, const char *what, const char *extra)
{
	struct buf msg = BUF_INIT;
	field_quote(&msg, buf_str(&c->path));
	buf_addf(&msg, " must %s%s", what, extra);
	field_errors_add_str(c->errs, FE_INVALID, "<nil>", "", "%s", buf_str(&msg));
	buf_release(&msg);
}

/* anyOf, oneOf: the alternative with the fewest errors stands for the failures. */
static void check_alternatives(struct vctx *c, const cJSON *s, const cJSON *v, int one)
{
	const cJSON *alts = cJSON_GetObjectItemCaseSensitive(s, one ? "oneOf" : "anyOf"), *a, *best = NULL;
	size_t best_n = 0;
	int valid = 0;
	if (!cJSON_IsArray(alts) || !alts->child)
		return;
	cJSON_ArrayForEach(a, alts)
	{
		size_t n = try_schema(c, a, v);
		if (!n && (valid++, !one))
			return;
		if (n && (!best || n < best_n))
			best = a, best_n = n;
	}
	if (!one) {
		composition_error(c, "validate at least one schema (anyOf)", "");
	} else if (valid != 1) {
		char extra[64];
		if (valid)
			snprintf(extra, sizeof(extra), ". Found %d valid alternatives", valid);
		else
			snprintf(extra, sizeof(extra), ". Found none valid");
		composition_error(c, "validate one and only one schema (oneOf)", extra);
	}
	if (best && !valid)
		validate_value(c, best, v);
}

static void check_composition(struct vctx *c, const cJSON *s, const cJSON *v)
{
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(s, "allOf"), *a;
	check_alternatives(c, s, v, 0);
	check_alternatives(c, s, v, 1);
	if (cJSON_IsArray(all) && all->child) {
		int n = 0, ok = 0;
		cJSON_ArrayForEach(a, all)
		{
			size_t before = c->errs->n;
			validate_value(c, a, v);
			n++;
			ok += c->errs->n == before;
		}
		if (ok != n)
			composition_error(c, "validate all the schemas (allOf)", ok ? "" : ". None validated");
	}
	const cJSON *not = json_obj(s, "not");
	if (not && !try_schema(c, not, v))
		composition_error(c, "not validate the schema (not)", "");
}

static void validate_value(struct vctx *c, const cJSON *s, const cJSON *v)
{
	if (!cJSON_IsObject(s) || !v)
		return;
	check_type(c, s, v);
	if (cJSON_IsNull(v))
		return;
	check_composition(c, s, v);
	if (cJSON_IsString(v))
		check_string(c, s, v);
	else if (cJSON_IsNumber(v))
		check_number(c, s, v);
	else if (cJSON_IsArray(v))
		check_array(c, s, v);
	check_enum(c, s, v);
	if (cJSON_IsObject(v))
		check_object(c, s, v);
	if (cJSON_IsArray(v))
		check_list_type(c, s, v);
}

void crd_validate(const cJSON *schema, const cJSON *obj, struct field_errors *errs)
{
	struct vctx c = { BUF_INIT, errs };
	validate_value(&c, schema, obj);
	buf_release(&c.path);
}

/* ---- a custom kind's writes ---------------------------------------------------------------- */

/* The root's metadata is an ObjectMeta, whatever the schema says: fields it does not have are
 * dropped (upstream decodes metadata into ObjectMeta), reported as metadata.<field>. */
static void prune_metadata(cJSON *obj, struct fieldcheck *unknown)
{
	cJSON *meta = json_obj(obj, "metadata"), *m, *next;
	struct buf path = BUF_INIT;
	for (m = meta ? meta->child : NULL; m; m = next) {
		next = m->next;
		if (sch_field(&sch_meta_ObjectMeta, m->string))
			continue;
		buf_reset(&path);
		buf_addf(&path, "metadata.%s", m->string);
		note_unknown(unknown, &path);
		cJSON_Delete(cJSON_DetachItemViaPointer(meta, m));
	}
	buf_release(&path);
}

void crd_prune_kind(const struct kind *k, cJSON *obj, struct fieldcheck *unknown)
{
	int preserve = 0;
	const cJSON *s = crd_schema(k, &preserve);
	if (s && !preserve)
		crd_prune(s, obj, unknown);
	prune_metadata(obj, unknown);
}

void crd_default_kind(const struct kind *k, cJSON *obj)
{
	int preserve = 0;
	const cJSON *s = crd_schema(k, &preserve);
	if (s)
		crd_default(s, obj);
}

/* The path (as crd_jsonpath takes it) of the value an error is about: the field, its parent for
 * a missing required field, the quoted path of a composition error. Returns 0 if none. */
static int error_value_path(const struct field_error *fe, char *out, size_t len)
{
	const char *f = fe->field;
	size_t n = strlen(f);
	if (!strcmp(f, "<nil>")) {
		if (!fe->detail || fe->detail[0] != '"')
			return 0;
		f = fe->detail + 1;
		n = strcspn(f, "\"");
	} else if (fe->type == FE_REQUIRED) {
		const char *dot = strrchr(f, '.');
		n = dot ? (size_t)(dot - f) : 0;
	}
	if (!n || n + 2 > len)
		return 0;
	snprintf(out, len, ".%.*s", (int)n, f);
	return 1;
}

/* Ratcheting (upstream's CRDValidationRatcheting, on by default): on update, an error about a
 * value that old has unchanged at the same place is not reported. */
static int ratcheted(const struct field_error *fe, const cJSON *obj, const cJSON *old)
{
	char path[512];
	if (!old || !error_value_path(fe, path, sizeof(path)))
		return 0;
	const cJSON *a = crd_jsonpath(obj, path), *b = crd_jsonpath(old, path);
	return a && b && cJSON_Compare(a, b, 1);
}

void crd_validate_kind(const struct kind *k, const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	int preserve = 0;
	const cJSON *s = crd_schema(k, &preserve);
	struct field_errors all = FIELD_ERRORS_INIT;
	if (!s)
		return;
	crd_validate(s, obj, &all);
	for (size_t i = 0; i < all.n; i++) {
		const struct field_error *fe = &all.v[i];
		if (!ratcheted(fe, obj, old))
			field_errors_add_raw(errs, fe->type, fe->field, fe->value, fe->detail ? "%s" : NULL, fe->detail);
	}
	field_errors_release(&all);
}
