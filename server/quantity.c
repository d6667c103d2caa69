/*
 * quantity.c - resource quantities: parsing, rounding, comparison and canonical printing, with
 * the semantics of k8s.io/apimachinery/pkg/api/resource (v1.33).
 *
 * DESIGN
 * Upstream keeps a quantity as an int64 scaled by a power of ten, falling back to arbitrary
 * precision decimals. We keep one representation, a signed 128-bit mantissa and a base-ten
 * scale, which holds every value a Kubernetes object plausibly carries (38 significant digits)
 * exactly; binary suffixes are multiplied out when parsing. The canonical printer follows
 * CanonicalizeBytes: decimal forms strip factors of ten and lower the exponent to a multiple of
 * three (n, u, m, "", k, M, G, T, P, E, or "eN" for exponent notation); binary forms divide out
 * factors of 1024 (Ki ... Ei) and fall back to decimal below 1024 or for fractions.
 */
#include "server/quantity.h"
#include "lib/buf.h"
#include "lib/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 38
#define NANO_SCALE (-9)

static const char err_format[] =
	"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
static const char err_numeric[] = "unable to parse quantity's numeric part";
static const char err_suffix[] = "unable to parse quantity's suffix";

static const struct {
	const char *suffix;
	int base, exp;
	enum quantity_format format;
} suffixes[] = {
	{ "n", 10, -9, QUANTITY_DECIMAL_SI },  { "u", 10, -6, QUANTITY_DECIMAL_SI },
	{ "m", 10, -3, QUANTITY_DECIMAL_SI },  { "", 10, 0, QUANTITY_DECIMAL_SI },
	{ "k", 10, 3, QUANTITY_DECIMAL_SI },   { "M", 10, 6, QUANTITY_DECIMAL_SI },
	{ "G", 10, 9, QUANTITY_DECIMAL_SI },   { "T", 10, 12, QUANTITY_DECIMAL_SI },
	{ "P", 10, 15, QUANTITY_DECIMAL_SI },  { "E", 10, 18, QUANTITY_DECIMAL_SI },
	{ "Ki", 2, 10, QUANTITY_BINARY_SI },   { "Mi", 2, 20, QUANTITY_BINARY_SI },
	{ "Gi", 2, 30, QUANTITY_BINARY_SI },   { "Ti", 2, 40, QUANTITY_BINARY_SI },
	{ "Pi", 2, 50, QUANTITY_BINARY_SI },   { "Ei", 2, 60, QUANTITY_BINARY_SI },
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The pieces of a quantity string, as parseQuantityString splits it. */
struct qparts {
	int negative;
	const char *num, *denom, *suffix;
	size_t nnum, ndenom, nsuffix;
};

/* Splits s into sign, numerator, denominator and suffix. Returns 0 or -1 (format error). */
static int split(const char *s, struct qparts *p)
{
	size_t i = 0, n = strlen(s);
	memset(p, 0, sizeof(*p));
	if (i < n && (s[i] == '-' || s[i] == '+'))
		p->negative = s[i++] == '-';
	while (i < n && s[i] == '0')
		i++;
	p->num = s + i;
	while (i < n && is_digit(s[i]))
		i++;
	p->nnum = (size_t)(s + i - p->num);
	if (i < n && s[i] == '.') {
		p->denom = s + ++i;
		while (i < n && is_digit(s[i]))
			i++;
		p->ndenom = (size_t)(s + i - p->denom);
	}
	p->suffix = s + i;
	while (i < n && strchr("eEinumkKMGTP", s[i]))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && is_digit(s[i]))
		i++;
	p->nsuffix = (size_t)(s + i - p->suffix);
	return i == n ? 0 : -1;
}

/* Interprets a suffix. Returns 0 and the base, exponent and format, or -1. */
static int interpret(const char *suf, size_t n, int *base, int64_t *exp, enum quantity_format *format)
{
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		if (strlen(suffixes[i].suffix) == n && !strncmp(suffixes[i].suffix, suf, n)) {
			*base = suffixes[i].base;
			*exp = suffixes[i].exp;
			*format = suffixes[i].format;
			return 0;
		}
	}
	if (n > 1 && (suf[0] == 'e' || suf[0] == 'E')) {
		char *rest = xstrndup(suf + 1, n - 1);
		int rc = parse_int64(rest[0] == '+' ? rest + 1 : rest, INT32_MIN, INT32_MAX, exp);
		free(rest);
		*base = 10;
		*format = QUANTITY_DECIMAL_EXPONENT;
		return rc < 0 ? -1 : 0;
	}
	return -1;
}

/* Multiplies *m by 10^k; returns -1 on overflow. */
static int mul_pow10(__int128 *m, int64_t k)
{
	const __int128 limit = (((__int128)1) << 126) / 10;
	for (; k > 0; k--) {
		if (*m > limit || *m < -limit)
			return -1;
		*m *= 10;
	}
	return 0;
}

/* Divides m by 10^k, rounding away from zero. */
static __int128 div_pow10_up(__int128 m, int64_t k)
{
	int neg = m < 0;
	unsigned __int128 u = neg ? (unsigned __int128)(-m) : (unsigned __int128)m;
	int inexact = 0;
	for (; k > 0 && u; k--) {
		inexact |= (u % 10) != 0;
		u /= 10;
	}
	u += inexact;
	return neg ? -(__int128)u : (__int128)u;
}

/* Reads the digits of num and denom into a mantissa. Returns 0 or -1 (too many digits). */
static int read_digits(const struct qparts *p, __int128 *m)
{
	size_t total = 0;
	*m = 0;
	for (size_t part = 0; part < 2; part++) {
		const char *d = part ? p->denom : p->num;
		size_t n = part ? p->ndenom : p->nnum;
		for (size_t i = 0; i < n; i++) {
			if (total || d[i] != '0')
				total++;
			if (total > MAX_DIGITS)
				return -1;
			*m = *m * 10 + (d[i] - '0');
		}
	}
	return 0;
}

/* The int64 bounds a binary quantity is capped at, as upstream's maxAllowed. */
static void cap_binary(struct quantity *q)
{
	const __int128 max = INT64_MAX;
	struct quantity cap = { q->mant < 0 ? -max : max, 0, q->format };
	if (q->mant > 0 ? quantity_cmp(q, &cap) > 0 : quantity_cmp(q, &cap) < 0)
		*q = cap;
}

int quantity_parse(const char *s, struct quantity *q, const char **err)
{
	struct qparts p;
	int base;
	int64_t exp;
	memset(q, 0, sizeof(*q));
	q->format = QUANTITY_DECIMAL_SI;
	if (!*s || split(s, &p) < 0) {
		*err = err_format;
		return -KUBE_EINVAL;
	}
	if (interpret(p.suffix, p.nsuffix, &base, &exp, &q->format) < 0) {
		*err = err_suffix;
		return -KUBE_EINVAL;
	}
	if (read_digits(&p, &q->mant) < 0) {
		*err = err_numeric;
		return -KUBE_EINVAL;
	}
	q->scale = (int32_t)(base == 10 ? exp : 0) - (int32_t)p.ndenom;
	for (int64_t i = 0; base == 2 && i < exp; i++) {
		if (q->mant > (((__int128)1) << 125)) {
			*err = err_numeric;
			return -KUBE_EINVAL;
		}
		q->mant *= 2;
	}
	if (p.negative)
		q->mant = -q->mant;
	quantity_round_up(q, NANO_SCALE);
	if (q->format == QUANTITY_BINARY_SI) {
		cap_binary(q);
		struct quantity one = { 1, 0, QUANTITY_DECIMAL_SI }, minus = { -1, 0, QUANTITY_DECIMAL_SI };
		if (q->mant && quantity_cmp(q, &one) < 0 && quantity_cmp(q, &minus) > 0)
			q->format = QUANTITY_DECIMAL_SI;
	}
	if (!q->mant)
		q->scale = 0;
	return 0;
}

/* Writes a JSON number as the text Go's decoder would hand to ParseQuantity. */
static void number_text(double d, char *out, size_t len)
{
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(out, len, "%.0f", d);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, len, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
}

int quantity_from_json(const cJSON *v, struct quantity *q, const char **err)
{
	char text[64];
	if (cJSON_IsNumber(v)) {
		number_text(v->valuedouble, text, sizeof(text));
		return quantity_parse(text, q, err);
	}
	if (!cJSON_IsString(v)) {
		*err = err_format;
		return -KUBE_EINVAL;
	}
	const char *s = v->valuestring, *e = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')
		s++;
	while (e > s && strchr(" \t\n\r\v\f", e[-1]))
		e--;
	char *trimmed = xstrndup(s, (size_t)(e - s));
	int rc = quantity_parse(trimmed, q, err);
	free(trimmed);
	return rc;
}

void quantity_round_up(struct quantity *q, int32_t scale)
{
	if (q->scale >= scale)
		return;
	q->mant = div_pow10_up(q->mant, (int64_t)scale - q->scale);
	q->scale = scale;
}

int quantity_sign(const struct quantity *q)
{
	return q->mant > 0 ? 1 : q->mant < 0 ? -1 : 0;
}

/* The number of decimal digits of |m| (0 for 0). */
static int digits(__int128 m)
{
	unsigned __int128 u = m < 0 ? (unsigned __int128)(-m) : (unsigned __int128)m;
	int n = 0;
	for (; u; u /= 10)
		n++;
	return n;
}

int quantity_cmp(const struct quantity *a, const struct quantity *b)
{
	int sa = quantity_sign(a), sb = quantity_sign(b);
	if (sa != sb || !sa)
		return sa < sb ? -1 : sa > sb;
	/* Same sign, both non-zero: compare magnitudes by order first, then exactly. */
	int oa = digits(a->mant) + a->scale, ob = digits(b->mant) + b->scale;
	if (oa != ob)
		return (oa > ob ? 1 : -1) * sa;
	__int128 ma = a->mant, mb = b->mant;
	int32_t low = MIN(a->scale, b->scale);
	if (mul_pow10(&ma, a->scale - low) < 0 || mul_pow10(&mb, b->scale - low) < 0)
		return 0; /* beyond 38 digits of agreement: treat as equal */
	return ma < mb ? -1 : ma > mb;
}

void quantity_add(struct quantity *a, const struct quantity *b)
{
	int32_t low = MIN(a->scale, b->scale);
	__int128 ma = a->mant, mb = b->mant;
	if (mul_pow10(&ma, a->scale - low) < 0 || mul_pow10(&mb, b->scale - low) < 0)
		return;
	a->mant = ma + mb;
	a->scale = low;
}

int quantity_is_integer(const struct quantity *q)
{
	__int128 m = q->mant;
	for (int32_t s = q->scale; s < 0; s++) {
		if (m % 10)
			return 0;
		m /= 10;
	}
	return 1;
}

static void add_int128(struct buf *out, __int128 m)
{
	char tmp[48];
	size_t i = sizeof(tmp);
	unsigned __int128 u = m < 0 ? (unsigned __int128)(-m) : (unsigned __int128)m;
	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (m < 0)
		tmp[--i] = '-';
	buf_adds(out, tmp + i);
}

/* The decimal forms: strip tens, lower the exponent to a multiple of three, add the suffix. */
static void format_decimal(const struct quantity *q, enum quantity_format format, struct buf *out)
{
	__int128 m = q->mant;
	int32_t e = q->scale;
	while (m % 10 == 0) {
		m /= 10;
		e++;
	}
	int32_t r = ((e % 3) + 3) % 3;
	if (mul_pow10(&m, r) == 0)
		e -= r;
	add_int128(out, m);
	if (format == QUANTITY_DECIMAL_EXPONENT) {
		if (e)
			buf_addf(out, "e%d", (int)e);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (suffixes[i].base == 10 && suffixes[i].exp == e) {
			buf_adds(out, suffixes[i].suffix);
			return;
		}
	buf_addf(out, "e%d", (int)e); /* beyond "E": keep the value exact */
}

/* The binary form of an integral value of at least 1024 in magnitude. */
static void format_binary(const struct quantity *q, struct buf *out)
{
	__int128 m = q->mant;
	int32_t s = q->scale;
	for (; s < 0; s++)
		m /= 10;
	mul_pow10(&m, s);
	int k = 0;
	while (k < 6 && m % 1024 == 0) {
		m /= 1024;
		k++;
	}
	add_int128(out, m);
	if (k)
		buf_addf(out, "%ci", "KMGTPE"[k - 1]);
}

void quantity_format(const struct quantity *q, struct buf *out)
{
	if (!q->mant) {
		buf_addch(out, '0');
		return;
	}
	enum quantity_format format = q->format;
	if (format == QUANTITY_BINARY_SI) {
		struct quantity lo = { -1024, 0, QUANTITY_DECIMAL_SI }, hi = { 1024, 0, QUANTITY_DECIMAL_SI };
		if ((quantity_cmp(q, &lo) > 0 && quantity_cmp(q, &hi) < 0) || !quantity_is_integer(q))
			format = QUANTITY_DECIMAL_SI;
	}
	if (format == QUANTITY_BINARY_SI)
		format_binary(q, out);
	else
		format_decimal(q, format, out);
}

void quantity_canonicalize(cJSON *parent, cJSON *v, int milli)
{
	struct quantity q;
	const char *err;
	struct buf b = BUF_INIT;
	if (!v || quantity_from_json(v, &q, &err) < 0)
		return;
	if (milli)
		quantity_round_up(&q, -3);
	quantity_format(&q, &b);
	if (v->string)
		cJSON_ReplaceItemInObjectCaseSensitive(parent, v->string, cJSON_CreateString(buf_str(&b)));
	buf_release(&b);
}
