/*
 * validate_util.c - the validation helpers every kind's checks share: field paths, upstream's
 * string checks that validate.c does not have (config map keys, port names, environment
 * variable names), label selectors, numbers, ports, IP addresses, immutable fields, and the
 * renderers that print a bad value the way Go's %#v prints the field's type.
 *
 * Messages are apimachinery's (v1.33 util/validation, meta/v1/validation) word for word.
 */
#include "server/kinds.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT_RANGE_MSG "must be between 1 and 65535, inclusive"
#define NEGATIVE_MSG "must be greater than or equal to 0"

const char *validate_path(char out[VPATH_MAX], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, VPATH_MAX, fmt, ap);
	va_end(ap);
	return out;
}

void validate_each(struct field_errors *errs, const char *field, const char *value, validate_name_fn *fn)
{
	validate_each_as(errs, field, value, value, fn);
}

void validate_each_as(struct field_errors *errs, const char *field, const char *shown, const char *checked,
		      validate_name_fn *fn)
{
	struct buf why = BUF_INIT;
	if (fn(checked, &why) < 0) {
		const char *p = buf_str(&why);
		for (;;) {
			const char *sep = strstr(p, "; ");
			size_t n = sep ? (size_t)(sep - p) : strlen(p);
			field_errors_add_str(errs, FE_INVALID, field, shown, "%.*s", (int)n, p);
			if (!sep)
				break;
			p = sep + 2;
		}
	}
	buf_release(&why);
}

/* Appends msg to why, "; "-joined. */
static void why_add(struct buf *why, int *n, const char *msg)
{
	if (why) {
		if ((*n)++)
			buf_adds(why, "; ");
		buf_adds(why, msg);
	} else {
		(*n)++;
	}
}

int validate_config_map_key(const char *s, struct buf *why)
{
	int n = 0;
	size_t len = strlen(s);
	int ok = len > 0;
	for (const char *p = s; *p && ok; p++)
		ok = strchr("-._", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		     (*p >= '0' && *p <= '9');
	if (len > 253)
		why_add(why, &n, "must be no more than 253 characters");
	if (!ok)
		why_add(why, &n, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
				 "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
				 "'[-._a-zA-Z0-9]+')");
	if (!strcmp(s, "."))
		why_add(why, &n, "must not be '.'");
	else if (!strcmp(s, ".."))
		why_add(why, &n, "must not be '..'");
	else if (starts_with(s, ".."))
		why_add(why, &n, "must not start with '..'");
	return n ? -1 : 0;
}

int validate_port_name(const char *s, struct buf *why)
{
	int n = 0, charset = *s != '\0', letter = 0;
	size_t len = strlen(s);
	for (const char *p = s; *p; p++) {
		letter |= *p >= 'a' && *p <= 'z';
		charset &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
	}
	if (len > 15)
		why_add(why, &n, "must be no more than 15 characters");
	if (!charset)
		why_add(why, &n, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
	if (!letter)
		why_add(why, &n, "must contain at least one letter (a-z)");
	if (strstr(s, "--"))
		why_add(why, &n, "must not contain consecutive hyphens");
	if (len && (s[0] == '-' || s[len - 1] == '-'))
		why_add(why, &n, "must not begin or end with a hyphen");
	return n ? -1 : 0;
}

int validate_env_var_name(const char *s, struct buf *why)
{
	int n = 0;
	if (!*s)
		why_add(why, &n, "environment variable name must be non-empty");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p > 126 || *p < 32 || *p == '=') {
			why_add(why, &n, "a valid environment variable name must consist only of printable ASCII "
					 "characters other than '='");
			break;
		}
	return n ? -1 : 0;
}

/* "supported values: \"A\", \"B\"" */
static char *supported_detail(const char *const *supported)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "supported values: ");
	for (size_t i = 0; supported[i]; i++) {
		buf_adds(&b, i ? ", " : "");
		field_quote(&b, supported[i]);
	}
	return buf_detach(&b, NULL);
}

void validate_not_supported(struct field_errors *errs, const char *field, const cJSON *v,
			    const char *const *supported)
{
	char *detail = supported_detail(supported);
	if (v)
		field_errors_add(errs, FE_NOT_SUPPORTED, field, v, "%s", detail);
	else
		field_errors_add_str(errs, FE_NOT_SUPPORTED, field, "", "%s", detail);
	free(detail);
}

void validate_not_supported_str(struct field_errors *errs, const char *field, const char *v,
				const char *const *supported)
{
	char *detail = supported_detail(supported);
	field_errors_add_str(errs, FE_NOT_SUPPORTED, field, v, "%s", detail);
	free(detail);
}

void validate_not_supported_raw(struct field_errors *errs, const char *field, const char *rendered,
				const char *const *supported)
{
	char *detail = supported_detail(supported);
	field_errors_add_raw(errs, FE_NOT_SUPPORTED, field, rendered, "%s", detail);
	free(detail);
}

int validate_one_of(const char *s, const char *const *list)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

int validate_int(struct field_errors *errs, const char *path, const cJSON *obj, const char *key, int64_t *out)
{
	int rc = jint(obj, key, out);
	if (rc < 0) {
		char f[VPATH_MAX];
		field_errors_add(errs, FE_INVALID, validate_path(f, "%s", path), jget(obj, key), "must be an integer");
	}
	return rc > 0;
}

void validate_nonneg(struct field_errors *errs, const char *path, const cJSON *obj, const char *key)
{
	int64_t v;
	if (validate_int(errs, path, obj, key, &v) && v < 0)
		field_errors_add(errs, FE_INVALID, path, jget(obj, key), NEGATIVE_MSG);
}

void validate_port_num(struct field_errors *errs, const char *field, const cJSON *v)
{
	if (!v) {
		field_errors_add_raw(errs, FE_INVALID, field, "0", PORT_RANGE_MSG);
		return;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 65535 ||
	    v->valuedouble != (double)(int)v->valuedouble)
		field_errors_add(errs, FE_INVALID, field, v, PORT_RANGE_MSG);
}

void validate_port_num_or_name(struct field_errors *errs, const char *field, const cJSON *v)
{
	if (cJSON_IsString(v))
		validate_each(errs, field, v->valuestring, validate_port_name);
	else
		validate_port_num(errs, field, v);
}

void validate_labels(const cJSON *labels, const char *path, struct field_errors *errs)
{
	const cJSON *it;
	if (!cJSON_IsObject(labels))
		return;
	cJSON_ArrayForEach(it, labels) {
		validate_each(errs, path, it->string, validate_qualified_name);
		if (cJSON_IsString(it))
			validate_each(errs, path, it->valuestring, validate_label_value);
		else
			field_errors_add(errs, FE_INVALID, path, it, "must be a string");
	}
}

static void validate_requirement(const cJSON *req, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *op = jstr0(req, "operator"), *key = jstr0(req, "key");
	const cJSON *values = jget(req, "values"), *v;
	int nvalues = cJSON_GetArraySize(values), i = 0;
	if (!strcmp(op, "In") || !strcmp(op, "NotIn")) {
		if (!nvalues)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.values", path), NULL,
					 "must be specified when `operator` is 'In' or 'NotIn'");
	} else if (!strcmp(op, "Exists") || !strcmp(op, "DoesNotExist")) {
		if (nvalues)
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.values", path), NULL,
					 "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
	} else {
		field_errors_add_str(errs, FE_INVALID, validate_path(f, "%s.operator", path), op,
				     "not a valid selector operator");
	}
	validate_each(errs, validate_path(f, "%s.key", path), key, validate_qualified_name);
	cJSON_ArrayForEach(v, values) {
		validate_path(f, "%s.values[%d]", path, i++);
		if (cJSON_IsString(v))
			validate_each(errs, f, v->valuestring, validate_label_value);
	}
}

void validate_label_selector(const cJSON *sel, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *req;
	int i = 0;
	if (!sel)
		return;
	validate_labels(jget(sel, "matchLabels"), validate_path(f, "%s.matchLabels", path), errs);
	cJSON_ArrayForEach(req, jget(sel, "matchExpressions"))
		validate_requirement(req, validate_path(f, "%s.matchExpressions[%d]", path, i++), errs);
}

int validate_same(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsNull(a))
		a = NULL;
	if (cJSON_IsNull(b))
		b = NULL;
	if (!a || !b)
		return !a && !b;
	return cJSON_Compare(a, b, 1);
}

void validate_immutable(struct field_errors *errs, const char *path, const cJSON *nv, const cJSON *ov)
{
	if (validate_same(nv, ov))
		return;
	if (nv && !cJSON_IsNull(nv))
		field_errors_add(errs, FE_INVALID, path, nv, "field is immutable");
	else
		field_errors_add_raw(errs, FE_INVALID, path, "\"null\"", "field is immutable");
}

void validate_immutable_raw(struct field_errors *errs, const char *path, const char *rendered)
{
	field_errors_add_raw(errs, FE_INVALID, path, rendered, "field is immutable");
}

/* ---- Go's %#v ------------------------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

void validate_go_string_map(struct buf *out, const cJSON *m)
{
	size_t n = (size_t)cJSON_GetArraySize(m), i = 0;
	const cJSON **v, *it;
	if (!cJSON_IsObject(m)) {
		buf_adds(out, "map[string]string(nil)");
		return;
	}
	v = xcalloc(n ? n : 1, sizeof(*v));
	cJSON_ArrayForEach(it, m)
		v[i++] = it;
	qsort(v, n, sizeof(*v), cmp_names);
	buf_adds(out, "map[string]string{");
	for (i = 0; i < n; i++) {
		buf_adds(out, i ? ", " : "");
		field_quote(out, v[i]->string);
		buf_addch(out, ':');
		field_quote(out, cJSON_IsString(v[i]) ? v[i]->valuestring : "");
	}
	buf_addch(out, '}');
	free(v);
}

static void go_string_slice(struct buf *out, const cJSON *a)
{
	const cJSON *it;
	if (!cJSON_IsArray(a)) {
		buf_adds(out, "[]string(nil)");
		return;
	}
	buf_adds(out, "[]string{");
	cJSON_ArrayForEach(it, a) {
		buf_adds(out, it == a->child ? "" : ", ");
		field_quote(out, cJSON_IsString(it) ? it->valuestring : "");
	}
	buf_addch(out, '}');
}

void validate_go_selector(struct buf *out, const cJSON *sel)
{
	const cJSON *exprs = jget(sel, "matchExpressions"), *e;
	buf_adds(out, "v1.LabelSelector{MatchLabels:");
	validate_go_string_map(out, jget(sel, "matchLabels"));
	buf_adds(out, ", MatchExpressions:");
	if (!cJSON_IsArray(exprs)) {
		buf_adds(out, "[]v1.LabelSelectorRequirement(nil)}");
		return;
	}
	buf_adds(out, "[]v1.LabelSelectorRequirement{");
	cJSON_ArrayForEach(e, exprs) {
		buf_adds(out, e == exprs->child ? "v1.LabelSelectorRequirement{Key:" : ", v1.LabelSelectorRequirement{Key:");
		field_quote(out, jstr0(e, "key"));
		buf_adds(out, ", Operator:");
		field_quote(out, jstr0(e, "operator"));
		buf_adds(out, ", Values:");
		go_string_slice(out, jget(e, "values"));
		buf_addch(out, '}');
	}
	buf_adds(out, "}}");
}

void validate_go_intstr(struct buf *out, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		buf_adds(out, "intstr.IntOrString{Type:1, IntVal:0, StrVal:");
		field_quote(out, v->valuestring);
		buf_addch(out, '}');
	} else {
		double d = cJSON_IsNumber(v) ? v->valuedouble : 0;
		buf_addf(out, "intstr.IntOrString{Type:0, IntVal:%lld, StrVal:\"\"}",
			 d > -1e18 && d < 1e18 ? (long long)d : 0);
	}
}

/* ---- IP addresses -------------------------------------------------------------------------- */

/* Go's parseIPv4 as forked into k8s.io/utils/net: four dotted decimals, leading zeros allowed. */
static int parse_ipv4_sloppy(const char *s, unsigned char out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned n = 0;
		int nd = 0;
		if (i > 0 && *s++ != '.')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++, nd++) {
			n = n * 10 + (unsigned)(*s - '0');
			if (n > 255)
				return -1;
		}
		if (!nd)
			return -1;
		out[i] = (unsigned char)n;
	}
	return *s ? -1 : 0;
}

int validate_parse_ip(const char *s, unsigned char out[16])
{
	memset(out, 0, 16);
	if (strchr(s, ':'))
		return inet_pton(AF_INET6, s, out) == 1 ? 6 : 0;
	if (parse_ipv4_sloppy(s, out + 12) < 0)
		return 0;
	out[10] = out[11] = 0xff;
	return 4;
}

void validate_ip(struct field_errors *errs, const char *field, const char *s)
{
	unsigned char a[16];
	if (!validate_parse_ip(s, a))
		field_errors_add_str(errs, FE_INVALID, field, s,
				     "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
}

void validate_non_special_ip(struct field_errors *errs, const char *field, const char *s)
{
	static const unsigned char zero[16];
	unsigned char a[16];
	int fam = validate_parse_ip(s, a);
	const unsigned char *v4 = a + 12;
	if (!fam) {
		field_errors_add_str(errs, FE_INVALID, field, s, "must be a valid IP address");
		return;
	}
	if ((fam == 4 && !memcmp(v4, zero, 4)) || (fam == 6 && !memcmp(a, zero, 16)))
		field_errors_add_str(errs, FE_INVALID, field, s, "may not be unspecified (%s)", s);
	if ((fam == 4 && v4[0] == 127) || (fam == 6 && !memcmp(a, zero, 15) && a[15] == 1))
		field_errors_add_str(errs, FE_INVALID, field, s, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
	if ((fam == 4 && v4[0] == 169 && v4[1] == 254) || (fam == 6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		field_errors_add_str(errs, FE_INVALID, field, s,
				     "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
	if ((fam == 4 && v4[0] == 224 && v4[1] == 0 && v4[2] == 0) || (fam == 6 && a[0] == 0xff && (a[1] & 0x0f) == 2))
		field_errors_add_str(errs, FE_INVALID, field, s,
				     "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
}

void validate_cidr(struct field_errors *errs, const char *field, const char *s)
{
	unsigned char a[16];
	const char *slash = strchr(s, '/');
	char *ip = slash ? xstrndup(s, (size_t)(slash - s)) : NULL;
	int fam = ip ? validate_parse_ip(ip, a) : 0, ok = fam != 0 && slash[1] != '\0';
	unsigned n = 0;
	for (const char *p = slash ? slash + 1 : ""; ok && *p; p++) {
		ok = *p >= '0' && *p <= '9';
		n = n * 10 + (unsigned)(*p - '0');
		ok = ok && n <= (fam == 4 ? 32u : 128u);
	}
	if (!ok)
		field_errors_add_str(errs, FE_INVALID, field, s,
				     "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
	free(ip);
}

void validate_annotations(const cJSON *ann, const char *path, struct field_errors *errs)
{
	const cJSON *it;
	size_t total = 0;
	if (!cJSON_IsObject(ann))
		return;
	cJSON_ArrayForEach(it, ann) {
		char *lower = xstrdup(it->string);
		for (char *p = lower; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		validate_each_as(errs, path, it->string, lower, validate_qualified_name);
		free(lower);
		total += strlen(it->string) + (cJSON_IsString(it) ? strlen(it->valuestring) : 0);
	}
	if (total > 256 * 1024)
		field_errors_add(errs, FE_TOO_LONG, path, NULL, "may not be more than %d bytes", 256 * 1024);
}

/* Is v a Go zero value (or an empty collection) once decoded? */
static int is_zero(const cJSON *v)
{
	if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 1;
	if (cJSON_IsString(v))
		return !*v->valuestring;
	if (cJSON_IsNumber(v))
		return v->valuedouble == 0;
	return (cJSON_IsArray(v) || cJSON_IsObject(v)) && !v->child;
}

int validate_sem_equal(const cJSON *a, const cJSON *b)
{
	const cJSON *x, *y;
	if (is_zero(a) || is_zero(b))
		return is_zero(a) && is_zero(b);
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		cJSON_ArrayForEach(x, a)
			if (!validate_sem_equal(x, jget(b, x->string)))
				return 0;
		cJSON_ArrayForEach(y, b)
			if (!jget(a, y->string) && !is_zero(y))
				return 0;
		return 1;
	}
	if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
		for (x = a->child, y = b->child; x && y; x = x->next, y = y->next)
			if (!validate_sem_equal(x, y))
				return 0;
		return !x && !y;
	}
	return cJSON_Compare(a, b, 1);
}
