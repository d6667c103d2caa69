/*
 * sched_priority.c - scheduling.k8s.io/v1 PriorityClass: defaulting, validation, the table
 * kubectl prints, upstream's Priority admission plugin (pods get spec.priority and
 * spec.preemptionPolicy from their class; one global default class at most), the protection of
 * the system classes and their creation at start.
 *
 * DESIGN
 * Classes are read straight from the store (they are few and live in memory there), so
 * admission needs no cache of its own and sees a class the moment its create has committed.
 * The two system classes are created through the internal client when absent, like any other
 * object, right after the store opens (upstream's API server does it in a post-start hook).
 */
#include "server/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/kinds.h"

static const struct {
	const char *name;
	int32_t value;
	const char *description;
} system_classes[] = {
	{ "system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current node." },
	{ "system-cluster-critical", 2000000000,
	  "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary." },
};

#define SYSTEM_PREFIX "system-"
#define PREEMPT_LOWER "PreemptLowerPriority"

static const struct kind *pc_kind(void)
{
	return kind_by_resource("scheduling.k8s.io", "v1", "priorityclasses");
}

/* ---- defaults and validation ----------------------------------------------------------- */

void defaults_priorityclass(cJSON *obj)
{
	if (cJSON_IsObject(obj) && !jstr(obj, "preemptionPolicy") && !jget(obj, "preemptionPolicy"))
		json_set_str(obj, "preemptionPolicy", PREEMPT_LOWER);
}

/* upstream's IsKnownSystemPriorityClass: 1, or 0 with the reason in why. */
static int known_system_class(const char *name, int64_t value, int global, struct buf *why)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_classes); i++) {
		if (strcmp(system_classes[i].name, name))
			continue;
		if (value != system_classes[i].value) {
			buf_addf(why, "value of %s PriorityClass must be %d", name, system_classes[i].value);
			return 0;
		}
		if (global) {
			buf_addf(why, "globalDefault of %s PriorityClass must be false", name);
			return 0;
		}
		return 1;
	}
	buf_addf(why, "%s is not a known system priority class", name);
	return 0;
}

static void validate_policy(const cJSON *obj, struct field_errors *errs)
{
	static const char *const supported[] = { PREEMPT_LOWER, "Never", NULL };
	const cJSON *v = jget(obj, "preemptionPolicy");
	if (!v)
		return;
	if (cJSON_IsString(v) && !*v->valuestring)
		field_errors_add(errs, FE_REQUIRED, "preemptionPolicy", NULL, NULL);
	else if (!cJSON_IsString(v) || !validate_one_of(v->valuestring, supported))
		validate_not_supported(errs, "preemptionPolicy", v, supported);
}

void validate_priorityclass(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	int64_t value = 0, old_value = 0;
	const char *name = jstr0(jget(obj, "metadata"), "name");
	jint(obj, "value", &value);
	if (old) {
		jint(old, "value", &old_value);
		if (value != old_value)
			field_errors_add(errs, FE_FORBIDDEN, "value", NULL, "may not be changed in an update.");
		validate_immutable(errs, "preemptionPolicy", jget(obj, "preemptionPolicy"), jget(old, "preemptionPolicy"));
		return;
	}
	if (starts_with(name, SYSTEM_PREFIX)) {
		struct buf why = BUF_INIT;
		if (!known_system_class(name, value, jtrue(obj, "globalDefault"), &why))
			field_errors_add(errs, FE_FORBIDDEN, "metadata.name", NULL,
					 "priority class names with '" SYSTEM_PREFIX
					 "' prefix are reserved for system use only. error: %s",
					 buf_str(&why));
		buf_release(&why);
	} else if (value > PRIORITY_HIGHEST_USER) {
		field_errors_add(errs, FE_FORBIDDEN, "value", NULL, "maximum allowed value of a user defined priority is %d",
				 PRIORITY_HIGHEST_USER);
	}
	validate_policy(obj, errs);
}

/* ---- the table ------------------------------------------------------------------------- */

const struct table_col table_cols_priorityclass[] = {
	{ "Name", "string", "name", "Name of the priority class, unique in the cluster.", 0 },
	{ "Value", "integer", "", "The priority that pods of this class get.", 0 },
	{ "Global-Default", "boolean", "", "Whether pods naming no class get this one.", 0 },
	{ "Age", "string", "", "Time since the object was created.", 0 },
	{ "PreemptionPolicy", "string", "", "Whether pods of this class may preempt lower-priority pods.", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

void table_row_priorityclass(const cJSON *obj, cJSON *cells, int64_t now)
{
	int64_t value = 0, t;
	char age[32] = "<unknown>";
	const char *ts = json_strv(obj, "metadata", "creationTimestamp", NULL);
	const char *policy = json_str(obj, "preemptionPolicy");
	json_int(obj, "value", &value);
	if (ts && parse_rfc3339(ts, &t) == 0)
		human_duration(now - t, age, sizeof(age));
	cJSON_AddItemToArray(cells, cJSON_CreateString(json_strv(obj, "metadata", "name", NULL) ?
						       json_strv(obj, "metadata", "name", NULL) : ""));
	cJSON_AddItemToArray(cells, cJSON_CreateNumber((double)value));
	cJSON_AddItemToArray(cells, cJSON_CreateBool(json_true(obj, "globalDefault")));
	cJSON_AddItemToArray(cells, cJSON_CreateString(age));
	cJSON_AddItemToArray(cells, cJSON_CreateString(policy ? policy : ""));
}

/* ---- admission ------------------------------------------------------------------------- */

/* Fills req->err with upstream's admission.NewForbidden for the object name of kind k. */
static int forbidden(struct api_req *req, const struct kind *k, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int forbidden(struct api_req *req, const struct kind *k, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *why = xvasprintf(fmt, ap);
	va_end(ap);
	api_error_set(&req->err, 403, "Forbidden", "%s \"%s\" is forbidden: %s", k->qualified, name ? name : "", why);
	free(req->err.name);
	req->err.name = xstrdup(name ? name : "");
	req->err.kind = k->plural;
	req->err.group = k->group;
	free(why);
	return -1;
}

/* The stored class name (borrowed), or NULL. */
static struct store_kv *find_class(struct server *srv, const char *name)
{
	struct buf key = BUF_INIT;
	kind_key(pc_kind(), NULL, name, &key);
	struct store_kv *kv = store_get(srv->store, key.data);
	buf_release(&key);
	return kv;
}

struct default_search {
	cJSON *best;              /* the global default with the lowest value (owned) */
	const char *skip;         /* a class name to ignore */
};

static int default_one(struct store_kv *kv, void *data)
{
	struct default_search *d = data;
	cJSON *pc = obj_parse(kv);
	int64_t v = 0, bv = 0;
	const char *name = json_strv(pc, "metadata", "name", NULL);
	json_int(pc, "value", &v);
	if (d->best)
		json_int(d->best, "value", &bv);
	if (json_true(pc, "globalDefault") && (!d->skip || !name ||
	    strcmp(name, d->skip)) && (!d->best || v < bv)) {
		cJSON_Delete(d->best);
		d->best = pc;
	} else {
		cJSON_Delete(pc);
	}
	return 0;
}

/* The global default class (caller frees), or NULL: upstream picks the lowest value when a race
 * made several. */
static cJSON *default_class(struct server *srv, const char *skip)
{
	struct default_search d = { NULL, skip };
	store_range(srv->store, pc_kind()->prefix, NULL, default_one, &d);
	return d.best;
}

/* Resolves the pod's class into *priority and *policy (owned strings). Returns 0 or -1. */
static int resolve_class(struct api_req *req, cJSON *spec, const char *pod_name, int64_t *priority, char **policy)
{
	const char *cls = json_str(spec, "priorityClassName");
	cJSON *pc = NULL;
	*priority = 0;
	*policy = xstrdup(PREEMPT_LOWER);
	if (!cls || !*cls) {
		if (!(pc = default_class(req->srv, NULL)))
			return 0;
		json_set_str(spec, "priorityClassName", json_strv(pc, "metadata", "name", NULL));
	} else {
		struct store_kv *kv = find_class(req->srv, cls);
		if (!kv)
			return forbidden(req, req->kind, pod_name, "no PriorityClass with name %s was found", cls);
		pc = obj_parse(kv);
	}
	json_int(pc, "value", priority);
	if (json_str(pc, "preemptionPolicy")) {
		free(*policy);
		*policy = xstrdup(json_str(pc, "preemptionPolicy"));
	}
	cJSON_Delete(pc);
	return 0;
}

int priority_admit_pod(struct api_req *req, cJSON *pod)
{
	cJSON *spec = json_obj_force(pod, "spec");
	const char *name = json_strv(pod, "metadata", "name", NULL);
	char *policy = NULL;
	int64_t priority, given;
	int rc = resolve_class(req, spec, name, &priority, &policy);
	if (rc < 0)
		goto out;
	if (jint(spec, "priority", &given) == 1 && given != priority) {
		rc = forbidden(req, req->kind, name,
			       "the integer value of priority (%lld) must not be provided in pod spec; priority admission "
			       "controller computed %lld from the given PriorityClass name",
			       (long long)given, (long long)priority);
		goto out;
	}
	json_set_int(spec, "priority", priority);
	const char *pp = jstr(spec, "preemptionPolicy");
	if (pp && strcmp(pp, policy)) {
		rc = forbidden(req, req->kind, name,
			       "the string value of PreemptionPolicy (%s) must not be provided in pod spec; priority "
			       "admission controller computed %s from the given PriorityClass name",
			       pp, policy);
		goto out;
	}
	json_set_str(spec, "preemptionPolicy", policy);
out:
	free(policy);
	return rc;
}

int priority_admit_class(struct api_req *req, const cJSON *pc, const cJSON *old)
{
	const char *name = json_strv(pc, "metadata", "name", NULL);
	if (!json_true(pc, "globalDefault"))
		return 0;
	/* A create may not add a second default; an update may keep its own default flag. */
	cJSON *d = default_class(req->srv, old ? name : NULL);
	int rc = 0;
	if (d)
		rc = forbidden(req, req->kind, name, "PriorityClass %s is already marked as default. Only one default can exist",
			       json_strv(d, "metadata", "name", NULL));
	cJSON_Delete(d);
	return rc;
}

int priority_check_delete(struct api_req *req)
{
	for (size_t i = 0; req->name && i < ARRAY_SIZE(system_classes); i++)
		if (!strcmp(req->name, system_classes[i].name))
			return forbidden(req, req->kind, req->name, "this is a system priority class and cannot be deleted");
	return 0;
}

/* ---- the system classes ---------------------------------------------------------------- */

static void created(int code, const char *body, size_t len, void *data)
{
	const char *name = data;
	if (code == 201)
		log_info("created PriorityClass %s", name);
	else if (code != 409)
		log_error("cannot create PriorityClass %s (%d): %.*s", name, code, (int)MIN(len, 300), body);
}

void priority_bootstrap(struct server *srv)
{
	for (size_t i = 0; i < ARRAY_SIZE(system_classes); i++) {
		if (find_class(srv, system_classes[i].name))
			continue;
		cJSON *pc = cJSON_CreateObject();
		json_set_str(pc, "apiVersion", "scheduling.k8s.io/v1");
		json_set_str(pc, "kind", "PriorityClass");
		json_set_str(json_obj_force(pc, "metadata"), "name", system_classes[i].name);
		json_set_int(pc, "value", system_classes[i].value);
		json_set_str(pc, "description", system_classes[i].description);
		char *body = json_print_str(pc);
		client_call(srv, VERB_CREATE, pc_kind(), NULL, NULL, NULL, "application/json", body, NULL, created,
			    (void *)system_classes[i].name);
		free(body);
		cJSON_Delete(pc);
	}
}
