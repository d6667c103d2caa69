/*
 * validate.h - upstream's field errors and the validators shared by every kind: names, label
 * keys and values, annotations, object metadata.
 *
 * Messages follow k8s.io/apimachinery/pkg/util/validation and .../api/validation word for word,
 * because kubectl prints them to users: e.g. metadata.name: Invalid value: "Foo": a lowercase
 * RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start
 * and end with an alphanumeric character (e.g. 'example.com', regex used for validation is
 * '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*').
 */
#ifndef KUBE_VALIDATE_H
#define KUBE_VALIDATE_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct buf;

enum field_err_type {
	FE_REQUIRED,      /* "FieldValueRequired", "Required value" */
	FE_INVALID,       /* "FieldValueInvalid", "Invalid value" */
	FE_NOT_SUPPORTED, /* "FieldValueNotSupported", "Unsupported value" */
	FE_FORBIDDEN,     /* "FieldValueForbidden", "Forbidden" */
	FE_TOO_LONG,      /* "FieldValueTooLong", "Too long" */
	FE_TOO_MANY,      /* "FieldValueTooMany", "Too many" */
	FE_DUPLICATE,     /* "FieldValueDuplicate", "Duplicate value" */
	FE_NOT_FOUND,     /* "FieldValueNotFound", "Not found" */
	FE_INTERNAL,      /* "InternalError", "Internal error" */
	FE_TYPE_INVALID,  /* "FieldValueTypeInvalid", "Invalid value" */
};

struct field_error {
	enum field_err_type type;
	char *field;  /* "metadata.name", "spec.containers[0].image" */
	char *value;  /* the bad value rendered as upstream does (strings quoted), or NULL */
	char *detail; /* may be NULL */
};

struct field_errors {
	struct field_error *v;
	size_t n, cap;
};

#define FIELD_ERRORS_INIT { NULL, 0, 0 }

/* Adds an error. bad may be NULL (no value shown); detail is printf-style and may be NULL. The
 * value is rendered as v1.33's ErrorBody prints the Go value it would have: strings quoted like
 * %q, numbers and booleans plain, null as "null" (quoted, as for a nil value), an array of
 * strings as []string{"a", "b"}, an object of strings as map[string]string{"k":"v"}; other
 * composites as compact JSON. */
void field_errors_add(struct field_errors *e, enum field_err_type type, const char *field,
		      const cJSON *bad, const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same with the bad value given as a string (rendered quoted). */
void field_errors_add_str(struct field_errors *e, enum field_err_type type, const char *field,
			  const char *bad, const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same with the bad value already rendered as upstream prints it (e.g. "[]string(nil)"). */
void field_errors_add_raw(struct field_errors *e, enum field_err_type type, const char *field,
			  const char *rendered, const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
void field_errors_release(struct field_errors *e);
/* upstream's reason string for a cause ("FieldValueInvalid") */
const char *field_error_reason(enum field_err_type t);
/* Appends the cause message, e.g. "Invalid value: \"Foo\": a lowercase RFC 1123 ...". */
void field_error_body(const struct field_error *fe, struct buf *out);
/* Appends "field: body" joined the way upstream's ErrorList.ToAggregate() prints them: one error
 * alone, or "[a, b]" for several (identical messages once). */
void field_errors_summary(const struct field_errors *e, struct buf *out);
/* Appends s quoted as Go's %q (strconv.Quote) does: "\"a\\tb\"", non-printables escaped. */
void field_quote(struct buf *out, const char *s);

/* Each returns 0 when valid, else appends upstream's message(s) to why (several joined by "; ")
 * and returns -1. */
int validate_dns1123_label(const char *s, struct buf *why);
int validate_dns1123_subdomain(const char *s, struct buf *why);
int validate_dns1035_label(const char *s, struct buf *why);
int validate_qualified_name(const char *s, struct buf *why); /* label and annotation keys */
int validate_label_value(const char *s, struct buf *why);

/* Validates a path segment name (no "." or "..", no '/' or '%'): upstream's
 * path.IsValidPathSegmentName, applied to every name. */
int validate_path_segment(const char *s, struct buf *why);

enum name_rule { NAME_DNS1123_SUBDOMAIN, NAME_DNS1123_LABEL, NAME_DNS1035_LABEL, NAME_PATH_SEGMENT };

/* Validates metadata as upstream's ValidateObjectMeta does for create (or update when old is not
 * NULL: name, namespace, uid, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds
 * immutable, "field is immutable", where an absent uid, creationTimestamp or grace period counts
 * as unchanged as rest.BeforeUpdate copies them; no new finalizers once deleting): name (or
 * generateName) with rule, namespace required iff namespaced and a DNS-1123 label, generation
 * not negative, labels (keys and values), annotations (keys, total size 256 KiB),
 * ownerReferences basics, finalizers (qualified names; without a '/' only the standard ones, as
 * core's validation adds). A name left empty while generateName is set is taken as still to be
 * generated. Errors are added under "metadata.". */
void validate_object_meta(const cJSON *meta, const cJSON *old_meta, int namespaced, enum name_rule rule,
			  struct field_errors *errs);

#endif
