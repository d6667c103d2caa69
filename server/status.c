/*
 * status.c - every error the API answers becomes a metav1.Status here, and only here.
 *
 * Messages and reasons follow k8s.io/apimachinery/pkg/api/errors, because kubectl and the
 * client libraries print them and branch on them.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void set_message(struct api_error *e, const char *fmt, va_list ap)
{
	free(e->message);
	e->message = xvasprintf(fmt, ap);
}

void api_error_set(struct api_error *e, int code, const char *reason, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	e->reason = reason;
	va_start(ap, fmt);
	set_message(e, fmt, ap);
	va_end(ap);
}

static void set_details(struct api_error *e, const struct kind *k, const char *name, int by_kind)
{
	free(e->name);
	e->name = name ? xstrdup(name) : NULL;
	e->group = k ? k->group : NULL;
	e->kind = k ? (by_kind ? k->kind : k->plural) : NULL;
}

void api_error_not_found(struct api_error *e, const struct kind *k, const char *name)
{
	api_error_set(e, 404, "NotFound", "%s \"%s\" not found", k->qualified, name);
	set_details(e, k, name, 0);
}

void api_error_exists(struct api_error *e, const struct kind *k, const char *name)
{
	api_error_set(e, 409, "AlreadyExists", "%s \"%s\" already exists", k->qualified, name);
	set_details(e, k, name, 0);
}

void api_error_conflict(struct api_error *e, const struct kind *k, const char *name, const char *why)
{
	api_error_set(e, 409, "Conflict", "Operation cannot be fulfilled on %s \"%s\": %s", k->qualified, name,
		      why ? why : "the object has been modified; please apply your changes to the latest version and try again");
	set_details(e, k, name, 0);
}

void api_error_invalid(struct api_error *e, const struct kind *k, const char *name, struct field_errors *errs)
{
	struct buf summary = BUF_INIT;
	field_errors_summary(errs, &summary);
	api_error_set(e, 422, "Invalid", "%s \"%s\" is invalid: %s", k->qualified_kind, name ? name : "",
		      buf_str(&summary));
	buf_release(&summary);
	set_details(e, k, name, 1);
	field_errors_release(&e->causes);
	e->causes = *errs;
	memset(errs, 0, sizeof(*errs));
}

void api_error_bad_request(struct api_error *e, const char *fmt, ...)
{
	va_list ap;
	e->code = 400;
	e->reason = "BadRequest";
	va_start(ap, fmt);
	set_message(e, fmt, ap);
	va_end(ap);
}

void api_error_internal(struct api_error *e, const char *fmt, ...)
{
	va_list ap;
	struct buf m = BUF_INIT;
	e->code = 500;
	e->reason = "InternalError";
	va_start(ap, fmt);
	buf_adds(&m, "Internal error occurred: ");
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	free(e->message);
	e->message = buf_detach(&m, NULL);
}

void api_error_from_store(struct api_error *e, int status, const struct kind *k, const char *name,
			  const char *detail)
{
	switch (status) {
	case -KUBE_ENOTFOUND: api_error_not_found(e, k, name); break;
	case -KUBE_EEXISTS: api_error_exists(e, k, name); break;
	case -KUBE_ECONFLICT: api_error_conflict(e, k, name, NULL); break;
	case -KUBE_ECOMPACTED:
		api_error_set(e, 410, "Expired", "%s", detail ? detail : "too old resource version");
		break;
	case -KUBE_ECLOSED:
		api_error_set(e, 503, "ServiceUnavailable", "the server is shutting down");
		break;
	default: api_error_internal(e, "%s", detail ? detail : "storage error"); break;
	}
}

void api_error_cause(struct api_error *e, const char *reason, const char *message, const char *field)
{
	e->raw = xrealloc(e->raw, (e->nraw + 1) * sizeof(*e->raw));
	e->raw[e->nraw].reason = xstrdup(reason);
	e->raw[e->nraw].message = xstrdup(message);
	e->raw[e->nraw].field = field ? xstrdup(field) : NULL;
	e->nraw++;
}

void api_error_release(struct api_error *e)
{
	free(e->message);
	free(e->name);
	for (size_t i = 0; i < e->nraw; i++) {
		free(e->raw[i].reason);
		free(e->raw[i].message);
		free(e->raw[i].field);
	}
	free(e->raw);
	field_errors_release(&e->causes);
	memset(e, 0, sizeof(*e));
}

static void render_causes(const struct api_error *e, cJSON *details)
{
	cJSON *causes = cJSON_AddArrayToObject(details, "causes");
	struct buf msg = BUF_INIT;
	for (size_t i = 0; i < e->causes.n; i++) {
		const struct field_error *fe = &e->causes.v[i];
		cJSON *c = cJSON_CreateObject();
		buf_reset(&msg);
		field_error_body(fe, &msg);
		json_set_str(c, "reason", field_error_reason(fe->type));
		json_set_str(c, "message", buf_str(&msg));
		json_set_str(c, "field", fe->field);
		cJSON_AddItemToArray(causes, c);
	}
	buf_release(&msg);
	for (size_t i = 0; i < e->nraw; i++) {
		cJSON *c = cJSON_CreateObject();
		json_set_str(c, "reason", e->raw[i].reason);
		json_set_str(c, "message", e->raw[i].message);
		if (e->raw[i].field)
			json_set_str(c, "field", e->raw[i].field);
		cJSON_AddItemToArray(causes, c);
	}
}

void api_error_render(const struct api_error *e, struct buf *out)
{
	cJSON *s = cJSON_CreateObject();
	json_set_str(s, "kind", "Status");
	json_set_str(s, "apiVersion", "v1");
	json_set(s, "metadata", cJSON_CreateObject());
	json_set_str(s, "status", "Failure");
	json_set_str(s, "message", e->message ? e->message : "");
	if (e->reason && *e->reason)
		json_set_str(s, "reason", e->reason);
	if (e->name || e->kind || e->causes.n || e->nraw || e->retry_after) {
		cJSON *d = json_obj_force(s, "details");
		if (e->name)
			json_set_str(d, "name", e->name);
		if (e->group && *e->group)
			json_set_str(d, "group", e->group);
		if (e->kind)
			json_set_str(d, "kind", e->kind);
		if (e->causes.n || e->nraw)
			render_causes(e, d);
		if (e->retry_after)
			json_set_int(d, "retryAfterSeconds", e->retry_after);
	}
	json_set_int(s, "code", e->code);
	json_print(s, out);
	cJSON_Delete(s);
}

void status_success(struct buf *out, const struct kind *k, const char *name, const char *uid)
{
	cJSON *s = cJSON_CreateObject();
	json_set_str(s, "kind", "Status");
	json_set_str(s, "apiVersion", "v1");
	json_set(s, "metadata", cJSON_CreateObject());
	json_set_str(s, "status", "Success");
	cJSON *d = json_obj_force(s, "details");
	json_set_str(d, "name", name);
	if (*k->group)
		json_set_str(d, "group", k->group);
	json_set_str(d, "kind", k->plural);
	if (uid)
		json_set_str(d, "uid", uid);
	json_print(s, out);
	cJSON_Delete(s);
}

const char *status_http_error(int code, const char *reason, const char *message, struct buf *body)
{
	struct api_error e = { 0 };
	api_error_set(&e, code, reason, "%s", message);
	api_error_render(&e, body);
	api_error_release(&e);
	return "application/json";
}
