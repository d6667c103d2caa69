/*
 * validate.c - upstream's field errors and the validators every kind shares: DNS names, label
 * keys and values, annotations and object metadata, with Kubernetes' messages word for word
 * (v1.33: k8s.io/apimachinery/pkg/util/validation, .../util/validation/field,
 * .../api/validation and .../api/validation/path, plus core's finalizer-name rule).
 *
 * DESIGN
 * Each check reports its messages one at a time to a struct msg_sink instead of returning a list:
 * the public validate_*() functions join them into a buffer with "; ", validate_object_meta()
 * turns each into a field error, and a prefix sink adds "prefix part " / "name part " the way
 * IsQualifiedName composes IsDNS1123Subdomain. The regular expressions upstream uses are simple
 * enough to be matched by hand (character classes plus first/last character rules), so there is
 * no regex engine. Field errors keep the bad value already rendered as upstream's ErrorBody
 * prints it, so a cause can be printed many times without the JSON it came from.
 */
#include "server/validate.h"
#include "lib/utf8.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ANNOTATIONS_MAX_BYTES (256 * 1024) /* upstream's TotalAnnotationSizeLimitB */

#define QNAME_FMT "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define QNAME_MSG                                                                                    \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "  \
	"alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "       \
	"validation is '" QNAME_FMT "')"
#define DNS_LABEL_FMT "[a-z0-9]([-a-z0-9]*[a-z0-9])?"

static const char dns1123_label_msg[] =
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
	"start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
	"validation is '" DNS_LABEL_FMT "')";
static const char dns1123_subdomain_msg[] =
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
	"and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
	"validation is '" DNS_LABEL_FMT "(\\." DNS_LABEL_FMT ")*')";
static const char dns1035_label_msg[] =
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
	"alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
	"regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
static const char qname_slashes_msg[] =
	"a qualified name " QNAME_MSG " with an optional DNS subdomain prefix and '/' (e.g. "
	"'example.com/MyName')";
static const char label_value_msg[] =
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
	"and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
	"'12345', regex used for validation is '(" QNAME_FMT ")?')";

/* ---- message sinks ------------------------------------------------------------------------ */

/* Receives the messages of one check; n counts them. */
struct msg_sink {
	void (*fn)(struct msg_sink *sink, const char *msg);
	int n;
};

static void sink_emit(struct msg_sink *sink, const char *msg)
{
	sink->n++;
	sink->fn(sink, msg);
}

/* Joins messages into a buffer with "; " (labels.validateLabelKey's strings.Join). */
struct join_sink {
	struct msg_sink base;
	struct buf *out;
};

static void join_fn(struct msg_sink *sink, const char *msg)
{
	struct join_sink *j = container_of(sink, struct join_sink, base);
	if (!j->out)
		return;
	if (sink->n > 1)
		buf_adds(j->out, "; ");
	buf_adds(j->out, msg);
}

/* Prefixes each message and passes it on ("prefix part ...", "name part ..."). */
struct prefix_sink {
	struct msg_sink base;
	const char *prefix;
	struct msg_sink *next;
};

static void prefix_fn(struct msg_sink *sink, const char *msg)
{
	struct prefix_sink *p = container_of(sink, struct prefix_sink, base);
	char *s = xasprintf("%s%s", p->prefix, msg);
	sink_emit(p->next, s);
	free(s);
}

/* Turns each message into an Invalid field error on field with a string bad value. */
struct field_sink {
	struct msg_sink base;
	struct field_errors *errs;
	const char *field;
	const char *bad;
};

static void field_fn(struct msg_sink *sink, const char *msg)
{
	struct field_sink *f = container_of(sink, struct field_sink, base);
	field_errors_add_str(f->errs, FE_INVALID, f->field, f->bad, "%s", msg);
}

/* ---- the checks ----------------------------------------------------------------------------- */

static int is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* Matches [a-z0-9]([-a-z0-9]*[a-z0-9])? (first_alpha: [a-z] first, as DNS-1035) on s[0..n). */
static int match_dns_label(const char *s, size_t n, int first_alpha)
{
	if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
		return 0;
	if (first_alpha && (s[0] < 'a' || s[0] > 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_lower_alnum(s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* Matches DNS-1123 labels joined by dots. */
static int match_dns_subdomain(const char *s)
{
	for (;;) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (!match_dns_label(s, n, 0))
			return 0;
		if (!dot)
			return 1;
		s = dot + 1;
	}
}

/* Matches ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] on s[0..n). */
static int match_qname(const char *s, size_t n)
{
	if (n == 0 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

static void max_len(const char *s, size_t max, struct msg_sink *out)
{
	if (strlen(s) > max) {
		char msg[64];
		snprintf(msg, sizeof(msg), "must be no more than %zu characters", max);
		sink_emit(out, msg);
	}
}

static void check_dns1123_label(const char *s, struct msg_sink *out)
{
	max_len(s, 63, out);
	if (!match_dns_label(s, strlen(s), 0))
		sink_emit(out, match_dns_subdomain(s) ? "must not contain dots" : dns1123_label_msg);
}

static void check_dns1123_subdomain(const char *s, struct msg_sink *out)
{
	max_len(s, 253, out);
	if (!match_dns_subdomain(s))
		sink_emit(out, dns1123_subdomain_msg);
}

static void check_dns1035_label(const char *s, struct msg_sink *out)
{
	max_len(s, 63, out);
	if (!match_dns_label(s, strlen(s), 1))
		sink_emit(out, dns1035_label_msg);
}

/* IsQualifiedName: an optional DNS-subdomain prefix and '/', then a name of up to 63. */
static void check_qualified_name(const char *s, struct msg_sink *out)
{
	const char *slash = strchr(s, '/'), *name = s;
	if (slash && strchr(slash + 1, '/')) {
		sink_emit(out, qname_slashes_msg);
		return;
	}
	if (slash) {
		struct prefix_sink p = { { prefix_fn, 0 }, "prefix part ", out };
		char *prefix = xstrndup(s, (size_t)(slash - s));
		if (!*prefix)
			sink_emit(out, "prefix part must be non-empty");
		else
			check_dns1123_subdomain(prefix, &p.base);
		free(prefix);
		name = slash + 1;
	}
	if (!*name)
		sink_emit(out, "name part must be non-empty");
	else if (strlen(name) > 63)
		sink_emit(out, "name part must be no more than 63 characters");
	if (!match_qname(name, strlen(name)))
		sink_emit(out, "name part " QNAME_MSG);
}

static void check_label_value(const char *s, struct msg_sink *out)
{
	max_len(s, 63, out);
	if (*s && !match_qname(s, strlen(s)))
		sink_emit(out, label_value_msg);
}

/* path.IsValidPathSegmentName (prefix: IsValidPathSegmentPrefix, which allows "." and ".."). */
static void check_path_segment(const char *s, int prefix, struct msg_sink *out)
{
	if (!prefix && (!strcmp(s, ".") || !strcmp(s, ".."))) {
		sink_emit(out, !strcmp(s, ".") ? "may not be '.'" : "may not be '..'");
		return;
	}
	if (strchr(s, '/'))
		sink_emit(out, "may not contain '/'");
	if (strchr(s, '%'))
		sink_emit(out, "may not contain '%'");
}

typedef void check_fn(const char *s, struct msg_sink *out);

static int run_joined(check_fn *fn, const char *s, struct buf *why)
{
	struct join_sink j = { { join_fn, 0 }, why };
	fn(s, &j.base);
	return j.base.n ? -1 : 0;
}

int validate_dns1123_label(const char *s, struct buf *why)
{
	return run_joined(check_dns1123_label, s, why);
}

int validate_dns1123_subdomain(const char *s, struct buf *why)
{
	return run_joined(check_dns1123_subdomain, s, why);
}

int validate_dns1035_label(const char *s, struct buf *why)
{
	return run_joined(check_dns1035_label, s, why);
}

int validate_qualified_name(const char *s, struct buf *why)
{
	return run_joined(check_qualified_name, s, why);
}

int validate_label_value(const char *s, struct buf *why)
{
	return run_joined(check_label_value, s, why);
}

int validate_path_segment(const char *s, struct buf *why)
{
	struct join_sink j = { { join_fn, 0 }, why };
	check_path_segment(s, 0, &j.base);
	return j.base.n ? -1 : 0;
}

/* ---- Go's %q ------------------------------------------------------------------------------ */

static void quote_rune(struct buf *out, int32_t r)
{
	static const char esc[] = "\a\b\f\n\r\t\v";
	static const char letter[] = "abfnrtv";
	const char *e = r > 0 && r < 0x20 ? strchr(esc, (int)r) : NULL;
	if (e)
		buf_addf(out, "\\%c", letter[e - esc]);
	else if (r < 0x20 || r == 0x7f)
		buf_addf(out, "\\x%02x", (unsigned)r);
	else if (r < 0x10000)
		buf_addf(out, "\\u%04x", (unsigned)r);
	else
		buf_addf(out, "\\U%08x", (unsigned)r);
}

void field_quote(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	buf_addch(out, '"');
	while (*p) {
		int32_t r;
		size_t n = utf8_decode(p, (size_t)-1, &r);
		if (r < 0)
			buf_addf(out, "\\x%02x", *p);
		else if (r == '"' || r == '\\')
			buf_addf(out, "\\%c", (char)r);
		else if (utf8_is_print(r))
			buf_add(out, p, n);
		else
			quote_rune(out, r);
		p += n;
	}
	buf_addch(out, '"');
}

/* ---- field errors ------------------------------------------------------------------------- */

static const struct {
	const char *reason, *text;
} fe_names[] = {
	[FE_REQUIRED] = { "FieldValueRequired", "Required value" },
	[FE_INVALID] = { "FieldValueInvalid", "Invalid value" },
	[FE_NOT_SUPPORTED] = { "FieldValueNotSupported", "Unsupported value" },
	[FE_FORBIDDEN] = { "FieldValueForbidden", "Forbidden" },
	[FE_TOO_LONG] = { "FieldValueTooLong", "Too long" },
	[FE_TOO_MANY] = { "FieldValueTooMany", "Too many" },
	[FE_DUPLICATE] = { "FieldValueDuplicate", "Duplicate value" },
	[FE_NOT_FOUND] = { "FieldValueNotFound", "Not found" },
	[FE_INTERNAL] = { "InternalError", "Internal error" },
	[FE_TYPE_INVALID] = { "FieldValueTypeInvalid", "Invalid value" },
};

const char *field_error_reason(enum field_err_type t)
{
	return (size_t)t < ARRAY_SIZE(fe_names) ? fe_names[t].reason : "InternalError";
}

/* Appends d as Go's %v prints a float64: the shortest digits that round-trip, in exponent
 * form when the exponent is below -4 or at least 6 (strconv 'g' with precision -1). */
static void add_go_float(struct buf *out, double d)
{
	char tmp[40], digits[24];
	int p, exp, nd = 0;
	if (isnan(d) || isinf(d)) {
		buf_adds(out, isnan(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (p = 1; p < 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
	const char *s = tmp, *e = strchr(tmp, 'e');
	if (*s == '-')
		buf_addch(out, *s++);
	for (; s < e; s++)
		if (*s != '.')
			digits[nd++] = *s;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	exp = atoi(e + 1);
	if (exp < -4 || exp >= 6) {
		buf_addf(out, "%c%s%se%c%02d", digits[0], nd > 1 ? "." : "", digits + 1, exp < 0 ? '-' : '+',
			 abs(exp));
	} else if (exp < 0) {
		buf_addf(out, "0.%.*s%s", -exp - 1, "0000", digits);
	} else {
		for (int i = 0; i < nd || i <= exp; i++) {
			if (i == exp + 1)
				buf_addch(out, '.');
			buf_addch(out, i < nd ? digits[i] : '0');
		}
	}
}

/* Is v an array (object) whose members are all strings? */
static int all_strings(const cJSON *v)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, v)
		if (!cJSON_IsString(c))
			return 0;
	return 1;
}

static int cmp_member_names(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* Appends a JSON object of strings as Go's %#v prints a map[string]string (keys sorted). */
static void add_go_string_map(struct buf *b, const cJSON *obj)
{
	size_t n = (size_t)cJSON_GetArraySize(obj), i = 0;
	const cJSON **m = xcalloc(n ? n : 1, sizeof(*m)), *c;
	cJSON_ArrayForEach(c, obj)
		m[i++] = c;
	if (n)
		qsort(m, n, sizeof(*m), cmp_member_names);
	buf_adds(b, "map[string]string{");
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ", " : "");
		field_quote(b, m[i]->string);
		buf_addch(b, ':');
		field_quote(b, m[i]->valuestring);
	}
	buf_addch(b, '}');
	free(m);
}

/* Renders bad as v1.33's ErrorBody prints the Go value behind it. Returns a new string. */
static char *render_value(const cJSON *bad)
{
	struct buf b = BUF_INIT;
	const cJSON *c;
	if (cJSON_IsString(bad)) {
		field_quote(&b, bad->valuestring);
	} else if (cJSON_IsNumber(bad)) {
		double d = bad->valuedouble;
		if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
			buf_addf(&b, "%lld", (long long)d);
		else
			add_go_float(&b, d);
	} else if (cJSON_IsBool(bad)) {
		buf_adds(&b, cJSON_IsTrue(bad) ? "true" : "false");
	} else if (cJSON_IsArray(bad) && all_strings(bad)) {
		buf_adds(&b, "[]string{");
		cJSON_ArrayForEach(c, bad) {
			buf_adds(&b, c == bad->child ? "" : ", ");
			field_quote(&b, c->valuestring);
		}
		buf_addch(&b, '}');
	} else if (cJSON_IsObject(bad) && all_strings(bad)) {
		add_go_string_map(&b, bad);
	} else if (cJSON_IsArray(bad) || cJSON_IsObject(bad)) {
		char *s = cJSON_PrintUnformatted(bad);
		buf_adds(&b, s ? s : "null");
		free(s);
	} else {
		buf_adds(&b, "\"null\""); /* upstream turns a nil value into the string "null" */
	}
	return buf_detach(&b, NULL);
}

static void add_error(struct field_errors *e, enum field_err_type type, const char *field, char *value,
		      const char *fmt, va_list ap)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 8;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	struct field_error *fe = &e->v[e->n++];
	fe->type = type;
	fe->field = xstrdup(field ? field : "");
	fe->value = value;
	fe->detail = fmt && *fmt ? xvasprintf(fmt, ap) : NULL;
	if (fe->detail && !*fe->detail) {
		free(fe->detail);
		fe->detail = NULL;
	}
}

void field_errors_add(struct field_errors *e, enum field_err_type type, const char *field, const cJSON *bad,
		      const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	add_error(e, type, field, bad ? render_value(bad) : NULL, detail_fmt, ap);
	va_end(ap);
}

void field_errors_add_str(struct field_errors *e, enum field_err_type type, const char *field, const char *bad,
			  const char *detail_fmt, ...)
{
	struct buf v = BUF_INIT;
	va_list ap;
	if (bad)
		field_quote(&v, bad);
	va_start(ap, detail_fmt);
	add_error(e, type, field, bad ? buf_detach(&v, NULL) : NULL, detail_fmt, ap);
	va_end(ap);
}

void field_errors_add_raw(struct field_errors *e, enum field_err_type type, const char *field,
			  const char *rendered, const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	add_error(e, type, field, rendered ? xstrdup(rendered) : NULL, detail_fmt, ap);
	va_end(ap);
}

void field_errors_release(struct field_errors *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].field);
		free(e->v[i].value);
		free(e->v[i].detail);
	}
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

void field_error_body(const struct field_error *fe, struct buf *out)
{
	int show_value = fe->value && fe->type != FE_REQUIRED && fe->type != FE_FORBIDDEN &&
			 fe->type != FE_TOO_LONG && fe->type != FE_INTERNAL;
	size_t t = (size_t)fe->type < ARRAY_SIZE(fe_names) ? (size_t)fe->type : FE_INTERNAL;
	buf_adds(out, fe_names[t].text);
	if (show_value)
		buf_addf(out, ": %s", fe->value);
	if (fe->detail && *fe->detail)
		buf_addf(out, ": %s", fe->detail);
}

/* Appends "field: body" (field.Error.Error()). */
static void error_string(const struct field_error *fe, struct buf *out)
{
	buf_addf(out, "%s: ", fe->field);
	field_error_body(fe, out);
}

void field_errors_summary(const struct field_errors *e, struct buf *out)
{
	struct buf *msgs = xcalloc(e->n ? e->n : 1, sizeof(*msgs));
	size_t n = 0;
	for (size_t i = 0; i < e->n; i++) {
		error_string(&e->v[i], &msgs[n]);
		int dup = 0;
		for (size_t j = 0; j < n && !dup; j++)
			dup = !strcmp(buf_str(&msgs[j]), buf_str(&msgs[n]));
		if (dup)
			buf_release(&msgs[n]);
		else
			n++;
	}
	if (n > 1)
		buf_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		buf_addf(out, "%s%s", i ? ", " : "", buf_str(&msgs[i]));
		buf_release(&msgs[i]);
	}
	if (n > 1)
		buf_addch(out, ']');
	free(msgs);
}

/* ---- object metadata ---------------------------------------------------------------------- */

static const cJSON *member(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
	return cJSON_IsNull(v) ? NULL : v;
}

/* Reports a value of the wrong JSON type (upstream fails to decode such an object at all). */
static void type_error(struct field_errors *errs, const char *field, const cJSON *bad, const char *what)
{
	field_errors_add(errs, FE_INVALID, field, bad, "must be %s", what);
}

/* Returns meta[key] as a string, "" when absent; NULL after reporting another type. */
static const char *meta_string(const cJSON *meta, const char *key, struct field_errors *errs)
{
	const cJSON *v = member(meta, key);
	if (!v)
		return "";
	if (cJSON_IsString(v))
		return v->valuestring;
	char *field = xasprintf("metadata.%s", key);
	type_error(errs, field, v, "a string");
	free(field);
	return NULL;
}

/* Reports each message of check(s) as an Invalid error on field with s as the value. */
static void invalid_each(struct field_errors *errs, const char *field, const char *s, check_fn *check)
{
	struct field_sink f = { { field_fn, 0 }, errs, field, s };
	check(s, &f.base);
}

/* upstream's maskTrailingDash: a generateName may end in '-'; it is checked as if the last two
 * characters were "a" (upstream drops the character before the dash too). */
static char *mask_trailing_dash(const char *s)
{
	size_t n = strlen(s);
	if (n >= 2 && s[n - 1] == '-')
		return xasprintf("%.*sa", (int)(n - 2), s);
	return xstrdup(s);
}

/* The kind's ValidateNameFunc; prefix is set for generateName. */
static void check_name(const char *s, enum name_rule rule, int prefix, struct msg_sink *out)
{
	char *m = prefix && rule != NAME_PATH_SEGMENT ? mask_trailing_dash(s) : xstrdup(s);
	switch (rule) {
	case NAME_DNS1123_LABEL:
		check_dns1123_label(m, out);
		break;
	case NAME_DNS1035_LABEL:
		check_dns1035_label(m, out);
		break;
	case NAME_PATH_SEGMENT:
		check_path_segment(m, prefix, out);
		break;
	default:
		check_dns1123_subdomain(m, out);
		break;
	}
	free(m);
}

static void validate_name(const cJSON *meta, enum name_rule rule, struct field_errors *errs)
{
	const char *gen = meta_string(meta, "generateName", errs);
	const char *name = meta_string(meta, "name", errs);
	if (gen && *gen) {
		struct field_sink f = { { field_fn, 0 }, errs, "metadata.generateName", gen };
		check_name(gen, rule, 1, &f.base);
	}
	if (!name)
		return;
	if (*name) {
		struct field_sink f = { { field_fn, 0 }, errs, "metadata.name", name };
		check_name(name, rule, 0, &f.base);
	} else if (!gen || !*gen) {
		field_errors_add(errs, FE_REQUIRED, "metadata.name", NULL, "name or generateName is required");
	}
}

static void validate_namespace(const cJSON *meta, int namespaced, struct field_errors *errs)
{
	const char *ns = meta_string(meta, "namespace", errs);
	if (!ns)
		return;
	if (namespaced && !*ns)
		field_errors_add(errs, FE_REQUIRED, "metadata.namespace", NULL, NULL);
	else if (namespaced)
		invalid_each(errs, "metadata.namespace", ns, check_dns1123_label);
	else if (*ns)
		field_errors_add(errs, FE_FORBIDDEN, "metadata.namespace", NULL, "not allowed on this type");
}

static void validate_generation(const cJSON *meta, struct field_errors *errs)
{
	const cJSON *g = member(meta, "generation");
	if (g && !cJSON_IsNumber(g))
		type_error(errs, "metadata.generation", g, "an integer");
	else if (g && g->valuedouble < 0)
		field_errors_add(errs, FE_INVALID, "metadata.generation", g, "must be greater than or equal to 0");
}

/* v1validation.ValidateLabels: every key a qualified name, every value a label value. */
static void validate_labels(const cJSON *labels, struct field_errors *errs)
{
	const cJSON *it;
	if (labels && !cJSON_IsObject(labels)) {
		type_error(errs, "metadata.labels", labels, "an object");
		return;
	}
	cJSON_ArrayForEach(it, labels) {
		invalid_each(errs, "metadata.labels", it->string, check_qualified_name);
		if (!cJSON_IsString(it))
			type_error(errs, "metadata.labels", it, "a string");
		else
			invalid_each(errs, "metadata.labels", it->valuestring, check_label_value);
	}
}

/* ValidateAnnotations: keys are qualified names in any case; keys and values total 256 KiB. */
static void validate_annotations(const cJSON *ann, struct field_errors *errs)
{
	const cJSON *it;
	size_t total = 0;
	if (ann && !cJSON_IsObject(ann)) {
		type_error(errs, "metadata.annotations", ann, "an object");
		return;
	}
	cJSON_ArrayForEach(it, ann) {
		struct field_sink f = { { field_fn, 0 }, errs, "metadata.annotations", it->string };
		char *lower = xstrdup(it->string);
		for (char *p = lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		check_qualified_name(lower, &f.base);
		free(lower);
		total += strlen(it->string);
		if (cJSON_IsString(it))
			total += strlen(it->valuestring);
		else
			type_error(errs, "metadata.annotations", it, "a string");
	}
	if (total > ANNOTATIONS_MAX_BYTES)
		field_errors_add(errs, FE_TOO_LONG, "metadata.annotations", NULL, "may not be more than %d bytes",
				 ANNOTATIONS_MAX_BYTES);
}

static const char *str_or_empty(const cJSON *obj, const char *key)
{
	const cJSON *v = member(obj, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Appends an ownerReference as v1.33's ErrorBody prints a metav1.OwnerReference (%#v). Go
 * prints the addresses of the two *bool fields; their values are shown instead. */
static void add_owner_ref_go(struct buf *b, const cJSON *ref)
{
	static const char *const strs[][2] = { { "apiVersion", "APIVersion" }, { "kind", "Kind" },
					       { "name", "Name" },	       { "uid", "UID" } };
	static const char *const bools[][2] = { { "controller", "Controller" },
						{ "blockOwnerDeletion", "BlockOwnerDeletion" } };
	buf_adds(b, "v1.OwnerReference{");
	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		buf_addf(b, "%s%s:", i ? ", " : "", strs[i][1]);
		field_quote(b, str_or_empty(ref, strs[i][0]));
	}
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		const cJSON *v = member(ref, bools[i][0]);
		buf_addf(b, ", %s:(*bool)(%s)", bools[i][1], !cJSON_IsBool(v) ? "nil" : cJSON_IsTrue(v) ? "true" : "false");
	}
	buf_addch(b, '}');
}

/* The version part of an apiVersion as schema.ParseGroupVersion splits it ("" when invalid). */
static const char *api_version_version(const char *av)
{
	const char *slash = strchr(av, '/');
	if (!slash)
		return av;
	return strchr(slash + 1, '/') ? "" : slash + 1;
}

static void validate_owner_ref(const cJSON *ref, struct field_errors *errs)
{
	static const char *const keys[] = { "kind", "name", "uid" };
	const char *av = str_or_empty(ref, "apiVersion"), *kind = str_or_empty(ref, "kind");
	if (!*api_version_version(av))
		field_errors_add_str(errs, FE_INVALID, "metadata.ownerReferences.apiVersion", av,
				     "version must not be empty");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = str_or_empty(ref, keys[i]);
		char *field = xasprintf("metadata.ownerReferences.%s", keys[i]);
		if (!*v)
			field_errors_add_str(errs, FE_INVALID, field, v, "must not be empty");
		free(field);
	}
	if ((!strcmp(av, "v1") || !strcmp(av, "/v1")) && !strcmp(kind, "Event")) {
		struct buf bad = BUF_INIT;
		add_owner_ref_go(&bad, ref);
		field_errors_add_raw(errs, FE_INVALID, "metadata.ownerReferences", buf_str(&bad),
				     "/v1, Kind=Event is disallowed from being an owner");
		buf_release(&bad);
	}
}

static void validate_owner_refs(const cJSON *refs, struct field_errors *errs)
{
	const cJSON *ref;
	char *first = NULL;
	if (refs && !cJSON_IsArray(refs)) {
		type_error(errs, "metadata.ownerReferences", refs, "an array");
		return;
	}
	cJSON_ArrayForEach(ref, refs) {
		if (!cJSON_IsObject(ref)) {
			type_error(errs, "metadata.ownerReferences", ref, "an object");
			continue;
		}
		validate_owner_ref(ref, errs);
		if (!cJSON_IsTrue(member(ref, "controller")))
			continue;
		char *cur = xasprintf("%s/%s", str_or_empty(ref, "kind"), str_or_empty(ref, "name"));
		if (!first) {
			first = cur;
			continue;
		}
		struct buf all = BUF_INIT;
		const cJSON *r;
		buf_adds(&all, "[]v1.OwnerReference{");
		cJSON_ArrayForEach(r, refs) {
			buf_adds(&all, r == refs->child ? "" : ", ");
			add_owner_ref_go(&all, r);
		}
		buf_addch(&all, '}');
		field_errors_add_raw(errs, FE_INVALID, "metadata.ownerReferences", buf_str(&all),
				     "Only one reference can have Controller set to true. Found \"true\" in references "
				     "for %s and %s", first, cur);
		buf_release(&all);
		free(cur);
	}
	free(first);
}

/* ValidateFinalizers (qualified names; not both orphan and foregroundDeletion), then core's
 * validateKubeFinalizerName (a name without '/' must be a standard one). */
static void validate_finalizers(const cJSON *fins, struct field_errors *errs)
{
	/* the CRD cleanup finalizer: CRDs are validated by apimachinery's rules, which allow it */
	static const char *const standard[] = { "kubernetes", "orphan", "foregroundDeletion",
						"customresourcecleanup.apiextensions.k8s.io" };
	const cJSON *f;
	int orphan = 0, foreground = 0, i = 0;
	if (fins && !cJSON_IsArray(fins)) {
		type_error(errs, "metadata.finalizers", fins, "an array");
		return;
	}
	cJSON_ArrayForEach(f, fins) {
		if (!cJSON_IsString(f)) {
			type_error(errs, "metadata.finalizers", f, "a string");
			continue;
		}
		invalid_each(errs, "metadata.finalizers", f->valuestring, check_qualified_name);
		orphan |= !strcmp(f->valuestring, "orphan");
		foreground |= !strcmp(f->valuestring, "foregroundDeletion");
	}
	if (orphan && foreground)
		field_errors_add(errs, FE_INVALID, "metadata.finalizers", fins,
				 "finalizer orphan and foregroundDeletion cannot be both set");
	cJSON_ArrayForEach(f, fins) {
		int ok = !cJSON_IsString(f) || strchr(f->valuestring, '/');
		for (size_t k = 0; k < ARRAY_SIZE(standard) && !ok; k++)
			ok = !strcmp(f->valuestring, standard[k]);
		if (!ok) {
			char field[48];
			snprintf(field, sizeof(field), "metadata.finalizers[%d]", i);
			field_errors_add(errs, FE_INVALID, field, f,
					 "name is neither a standard finalizer name nor is it fully qualified");
		}
		i++;
	}
}

/* ---- updates ------------------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ValidateNoNewFinalizers: once deleting, finalizers may only be removed. */
static void no_new_finalizers(const cJSON *meta, const cJSON *old, struct field_errors *errs)
{
	const cJSON *f, *o, *fins = member(meta, "finalizers");
	if (!cJSON_IsArray(fins))
		fins = NULL;
	const char **extra = xcalloc((size_t)cJSON_GetArraySize(fins) + 1, sizeof(*extra));
	size_t n = 0;
	struct buf list = BUF_INIT;
	cJSON_ArrayForEach(f, fins) {
		int known = !cJSON_IsString(f);
		cJSON_ArrayForEach(o, member(old, "finalizers"))
			known |= cJSON_IsString(o) && !strcmp(o->valuestring, f->valuestring);
		for (size_t i = 0; i < n && !known; i++)
			known = !strcmp(extra[i], f->valuestring);
		if (!known)
			extra[n++] = f->valuestring;
	}
	qsort(extra, n, sizeof(*extra), cmp_str);
	for (size_t i = 0; i < n; i++) {
		buf_adds(&list, i ? ", " : "");
		field_quote(&list, extra[i]);
	}
	if (n)
		field_errors_add(errs, FE_FORBIDDEN, "metadata.finalizers", NULL,
				 "no new finalizers can be added if the object is being deleted, found new finalizers "
				 "[]string{%s}", buf_str(&list));
	buf_release(&list);
	free(extra);
}

enum immutable_mode {
	IMM_STRING,  /* absent reads as "" (name, namespace) */
	IMM_INHERIT, /* absent or "" in the new object keeps the old value (rest.BeforeUpdate) */
	IMM_EXACT,   /* absent and null are the same value */
};

/* Are two values of a metadata field equal? Timestamps compare as instants. */
static int same_value(const cJSON *a, const cJSON *b)
{
	int64_t ta, tb;
	if (!a || !b)
		return !a && !b;
	if (cJSON_IsString(a) && cJSON_IsString(b) && parse_rfc3339(a->valuestring, &ta) == 0 &&
	    parse_rfc3339(b->valuestring, &tb) == 0)
		return ta == tb;
	return cJSON_Compare(a, b, 1);
}

/* Renders a new metadata value as v1.33 prints the Go field: a metav1.Time through its String()
 * ("2024-01-01 00:00:00 +0000 UTC"), a nil pointer as "null", anything else as usual. */
static char *render_meta_value(const cJSON *v, int is_time)
{
	int64_t t;
	if (is_time && cJSON_IsString(v) && parse_rfc3339(v->valuestring, &t) == 0) {
		time_t tt = (time_t)t;
		struct tm tm;
		char out[64];
		gmtime_r(&tt, &tm);
		strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
		return xstrdup(out);
	}
	return v ? render_value(v) : xstrdup("\"null\"");
}

static void immutable(const cJSON *meta, const cJSON *old, const char *key, enum immutable_mode mode,
		      struct field_errors *errs)
{
	const cJSON *n = member(meta, key), *o = member(old, key);
	char *field = xasprintf("metadata.%s", key), *bad = NULL;
	if (mode == IMM_STRING) {
		const char *ns = cJSON_IsString(n) ? n->valuestring : "";
		const char *os = cJSON_IsString(o) ? o->valuestring : "";
		if (strcmp(ns, os))
			field_errors_add_str(errs, FE_INVALID, field, ns, "field is immutable");
	} else if (!(mode == IMM_INHERIT && (!n || (cJSON_IsString(n) && !*n->valuestring))) &&
		   !same_value(n, o)) {
		bad = render_meta_value(n, strstr(key, "Timestamp") != NULL);
		field_errors_add_raw(errs, FE_INVALID, field, bad, "field is immutable");
	}
	free(bad);
	free(field);
}

/* ValidateObjectMetaAccessorUpdate, without the checks the store makes before validation
 * (resourceVersion present, generation not decremented). */
static void validate_meta_update(const cJSON *meta, const cJSON *old, struct field_errors *errs)
{
	if (member(old, "deletionTimestamp"))
		no_new_finalizers(meta, old, errs);
	immutable(meta, old, "name", IMM_STRING, errs);
	immutable(meta, old, "namespace", IMM_STRING, errs);
	immutable(meta, old, "uid", IMM_INHERIT, errs);
	immutable(meta, old, "creationTimestamp", IMM_INHERIT, errs);
	immutable(meta, old, "deletionTimestamp", IMM_EXACT, errs);
	immutable(meta, old, "deletionGracePeriodSeconds", IMM_INHERIT, errs);
}

void validate_object_meta(const cJSON *meta, const cJSON *old_meta, int namespaced, enum name_rule rule,
			  struct field_errors *errs)
{
	if (meta && !cJSON_IsObject(meta) && !cJSON_IsNull(meta)) {
		type_error(errs, "metadata", meta, "an object");
		return;
	}
	if (old_meta)
		validate_meta_update(meta, old_meta, errs);
	validate_name(meta, rule, errs);
	validate_namespace(meta, namespaced, errs);
	validate_generation(meta, errs);
	validate_labels(member(meta, "labels"), errs);
	validate_annotations(member(meta, "annotations"), errs);
	validate_owner_refs(member(meta, "ownerReferences"), errs);
	validate_finalizers(member(meta, "finalizers"), errs);
}
