/*
 * quantity.h - resource quantities ("100m", "1Gi", "1e3", "0.5") as Kubernetes'
 * resource.ParseQuantity reads them and Quantity.String() writes them back.
 *
 * The API server never echoes a quantity as the client spelled it: it parses it, rounds it (up,
 * away from zero) to nanounits, and prints the canonical form ("1000m" becomes "1", "1024Mi"
 * becomes "1Gi", "0.5" becomes "500m"). Resource lists (container limits and requests, node
 * capacity) are further rounded up to milliunits by SetDefaults_ResourceList.
 */
#ifndef KUBE_QUANTITY_H
#define KUBE_QUANTITY_H

#include <cjson/cJSON.h>
#include <stdint.h>

struct buf;

enum quantity_format {
	QUANTITY_DECIMAL_EXPONENT, /* "1e3" */
	QUANTITY_BINARY_SI,        /* "1Ki" */
	QUANTITY_DECIMAL_SI,       /* "1k", "100m", "5" */
};

/* A parsed quantity: mant * 10^scale, in the format it was written in. Plain value, no
 * ownership. Magnitudes up to about 1e38 significant digits-wise are exact. */
struct quantity {
	__int128 mant;
	int32_t scale;
	enum quantity_format format;
};

/* Parses s as resource.ParseQuantity does (after the TrimSpace of Quantity.UnmarshalJSON).
 * Returns 0, or -KUBE_EINVAL with *err set to upstream's message ("quantities must match the
 * regular expression ...", "unable to parse quantity's numeric part", "unable to parse
 * quantity's suffix"). */
int quantity_parse(const char *s, struct quantity *q, const char **err);
/* Reads a JSON quantity: a string, or a number (as its decimal text). Same returns. */
int quantity_from_json(const cJSON *v, struct quantity *q, const char **err);
/* Quantity.RoundUp(scale): rounds away from zero to at most scale decimal places (e.g. -3 for
 * milliunits). */
void quantity_round_up(struct quantity *q, int32_t scale);
/* Appends the canonical form, as Quantity.String() prints it. */
void quantity_format(const struct quantity *q, struct buf *out);
/* -1, 0 or 1 as a < b, a == b, a > b. */
int quantity_cmp(const struct quantity *a, const struct quantity *b);
/* -1, 0 or 1: the sign. */
int quantity_sign(const struct quantity *q);
/* *a += *b. */
void quantity_add(struct quantity *a, const struct quantity *b);
/* Is the value a whole number (MilliValue() % 1000 == 0)? */
int quantity_is_integer(const struct quantity *q);
/* Replaces the JSON quantity *v (a member of its parent) by its canonical string, rounded up to
 * milliunits first when milli is set. Leaves values that do not parse alone (validation reports
 * them). */
void quantity_canonicalize(cJSON *parent, cJSON *v, int milli);

#endif
