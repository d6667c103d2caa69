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
	char **values; /* one for EQ/NEQ/GT/LT; the set for IN/NOTIN (sorted and unique when parsed
			* from a string, as given in a LabelSelector); none for EXISTS */
	size_t nvalues;
	int double_eq; /* SEL_EQ written "==" (selector_string keeps the spelling, as upstream does) */
};

/* Owned by whoever embeds it; selector_release() frees the requirements. Label requirements are
 * sorted by key (stable), field requirements by their text, as upstream orders them. */
struct selector {
	struct sel_req *reqs;
	size_t nreqs; /* 0 matches everything (unless nothing is set) */
	int fields;   /* a field selector: an absent field reads as "" (upstream fields.Fields.Get) */
	int nothing;  /* matches nothing: selector_from_json of a null selector (labels.Nothing()) */
};

/* Returns the value of key in ctx, or NULL when absent. */
typedef const char *sel_lookup_fn(const void *ctx, const char *key);

/* Parses a label selector string ("" matches everything) into *out, which is always initialised
 * (empty on failure) so that selector_release() is always safe. Returns 0, or -KUBE_EINVAL with upstream's message appended to err (e.g.
 * "unable to parse requirement: values[0][app]: Invalid value: \"a@b\": a valid label must ..."
 * or "found 'b', expected: ',' or 'end of string'"). */
int selector_parse_labels(const char *s, struct selector *out, struct buf *err);
/* Parses a field selector string (fields.ParseSelector): same contract, upstream's messages
 * ("invalid selector: '...'; can't understand '...'", "invalid field selector: ..."). */
int selector_parse_fields(const char *s, struct selector *out, struct buf *err);
/* Builds a selector from a metav1.LabelSelector JSON object (matchLabels, matchExpressions with
 * In, NotIn, Exists, DoesNotExist) as metav1.LabelSelectorAsSelector does: an empty object
 * matches everything; NULL or a JSON null matches nothing (out->nothing). Returns 0 or
 * -KUBE_EINVAL with upstream's message (e.g. "\"Foo\" is not a valid label selector operator",
 * "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"). */
int selector_from_json(const cJSON *label_selector, struct selector *out, struct buf *err);

/* Returns 1 if every requirement holds for the values found through get. */
int selector_matches(const struct selector *sel, sel_lookup_fn *get, const void *ctx);
/* If sel requires key to equal one value, returns it (for index lookups), else NULL: upstream's
 * RequiresExactMatch (labels: the first requirement on key, "=", "==" or "in" with one value;
 * fields: any "=" term on key). */
const char *selector_required_value(const struct selector *sel, const char *key);
/* Appends the canonical string form, as upstream's String() (e.g. "a=b,c in (d,e),!f"; field
 * values escaped). */
void selector_string(const struct selector *sel, struct buf *out);
/* Frees the requirements and leaves sel empty (matching everything). */
void selector_release(struct selector *sel);

/* A lookup over a JSON object of string values (e.g. metadata.labels). */
const char *sel_lookup_json(const void *json_object, const char *key);

#endif
