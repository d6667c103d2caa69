/* test-field-errors.c - the helpers of field-errors.h (no tests of its own). */
#include "field-errors.h"
#include "buf.h"
#include "server/validate.h"

#include <string.h>

const char *error_on(const struct field_errors *e, const char *field)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].field, field))
			return e->v[i].detail ? e->v[i].detail : "";
	return NULL;
}

char *errs_str(const struct field_errors *e)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < e->n; i++) {
		buf_addf(&b, "%s: ", e->v[i].field);
		field_error_body(&e->v[i], &b);
		buf_addch(&b, '\n');
	}
	return buf_detach(&b, NULL);
}
