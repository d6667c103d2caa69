/*
 * selector.h - label and field selectors as Kubernetes parses and matches them.
 *
 * Label selectors (apimachinery labels.Parse): comma means AND; requirements are
 * "k=v", "k==v", "k!=v", "k in (a,b)", "k notin (a,b)", "k" (exists), "!k" (does not exist),
 * "k>N", "k<N"; keys are qualified names (optional DNS-subdomain prefix and '/'), values are label
 * values; whitespace around tokens is allowed. Field selectors (fields.ParseSelector): "f=v",
 * "f==v", "f!=v", comma means AND, with backslash escapes for '\\', ',' and '='.
 *
 * A parsed selector is matched against any key/value source through a lookup function, so the
 * same code serves stored-object attributes, JSON label maps and tests.
 */
#ifndef KUBE_SELECTOR_H
#define KUBE_SELECTOR_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct buf;

enum sel_op { SEL_EQ, SEL_NEQ, SEL_IN, SEL_NOTIN, SEL_EXISTS, SEL_NOT_EXISTS, SEL_GT, SEL_LT };

struct sel_req {
	char *key;
	enum sel_op op;
	char **values; /* one for EQ/NEQ/GT/LT; the set for IN/NOTIN; none for EXISTS */
	size_t nvalues;
};

struct selector {
	struct sel_req *reqs;
	size_t nreqs; /* 0 matches everything */
};

/* Returns the value of key in ctx, or NULL when absent. */
typedef const char *sel_lookup_fn(const void *ctx, const char *key);

/* Parses a label selector string ("" matches everything). Returns 0, or -KUBE_EINVAL with the
 * upstream-style message in err (e.g. "unable to parse requirement: ..."). */
int selector_parse_labels(const char *s, struct selector *out, struct buf *err);
/* Parses a field selector string. */
int selector_parse_fields(const char *s, struct selector *out, struct buf *err);
/* Builds a selector from a metav1.LabelSelector JSON object (matchLabels, matchExpressions with
 * In, NotIn, Exists, DoesNotExist). A NULL or empty object matches everything. */
int selector_from_json(const cJSON *label_selector, struct selector *out, struct buf *err);

/* Returns 1 if every requirement holds for the values found through get. */
int selector_matches(const struct selector *sel, sel_lookup_fn *get, const void *ctx);
/* If sel has an EQ requirement on key, returns its value (for index lookups), else NULL. */
const char *selector_required_value(const struct selector *sel, const char *key);
/* Writes the canonical string form (keys sorted as upstream's String()). */
void selector_string(const struct selector *sel, struct buf *out);
void selector_release(struct selector *sel);

/* A lookup over a JSON object of string values (e.g. metadata.labels). */
const char *sel_lookup_json(const void *json_object, const char *key);

#endif
