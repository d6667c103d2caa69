/*
 * field-errors.h - what the unit tests read of a struct field_errors (server/validate.h).
 */
#ifndef KUBE_TEST_FIELD_ERRORS_H
#define KUBE_TEST_FIELD_ERRORS_H

struct field_errors;

/* The detail of the error on field ("" when it has none), or NULL when field has no error. */
const char *error_on(const struct field_errors *e, const char *field);
/* The errors as "field: body" lines, "" when there are none. Caller frees. */
char *errs_str(const struct field_errors *e);

#endif
