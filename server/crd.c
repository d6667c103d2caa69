/*
 * crd.c - the apiextensions.k8s.io CustomResourceDefinition kind: defaulting, preparation,
 * validation (upstream's main rules and messages) and the v1beta1 view.
 *
 * DESIGN
 * CRDs are stored as v1. v1beta1 (what kubectl 1.20's test fixtures use) is a view: its
 * top-level version, validation, subresources and additionalPrinterColumns become each
 * version's fields on the way in, and come back to the top level on the way out when every
 * version has the same ones, as upstream's conversion does. v1beta1 defaults
 * preserveUnknownFields to true and does not require schemas; v1 requires a structural schema
 * per version (the root's type must be set) and refuses preserveUnknownFields on new CRDs.
 * A new CRD gets the customresourcecleanup finalizer, so that deleting it first deletes its
 * custom resources (ctrl_crd.c).
 */
#include "server/crd.h"

#include <stdlib.h>
#include <string.h>

/* ---- defaulting ---------------------------------------------------------------------------- */

void defaults_crd(cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec"), *names = json_obj_force(spec, "names");
	const char *kind = json_str(names, "kind");
	if (kind && *kind && !json_str(names, "singular")) {
		char *l = xstrdup(kind);
		for (char *p = l; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		json_set_str(names, "singular", l);
		free(l);
	}
	if (kind && *kind && !json_str(names, "listKind")) {
		char *lk = xasprintf("%sList", kind);
		json_set_str(names, "listKind", lk);
		free(lk);
	}
	if (!json_str(json_obj(spec, "conversion"), "strategy"))
		json_set_str(json_obj_force(spec, "conversion"), "strategy", "None");
}

void defaults_crd_v1beta1(cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec");
	if (!json_str(spec, "scope"))
		json_set_str(spec, "scope", "Namespaced");
	if (!cJSON_GetObjectItemCaseSensitive(spec, "preserveUnknownFields"))
		json_set_bool(spec, "preserveUnknownFields", 1);
	const char *v = json_str(spec, "version");
	if (v && !cJSON_GetArraySize(json_getv(spec, "versions", NULL))) {
		cJSON *vs = cJSON_CreateArray(), *one = cJSON_CreateObject();
		json_set_str(one, "name", v);
		json_set_bool(one, "served", 1);
		json_set_bool(one, "storage", 1);
		cJSON_AddItemToArray(vs, one);
		json_set(spec, "versions", vs);
	}
	defaults_crd(obj);
}

/* ---- preparation --------------------------------------------------------------------------- */

/* Adds the storage version to status.storedVersions (upstream's PrepareForCreate/Update). */
static void add_stored_version(cJSON *obj)
{
	const cJSON *v;
	cJSON *st = json_obj_force(obj, "status");
	cJSON_ArrayForEach(v, json_getv(obj, "spec", "versions", NULL)) {
		if (!json_true(v, "storage") || !json_str(v, "name"))
			continue;
		cJSON *sv = json_getv(st, "storedVersions", NULL), *it;
		if (!cJSON_IsArray(sv)) {
			sv = cJSON_CreateArray();
			json_set(st, "storedVersions", sv);
		}
		cJSON_ArrayForEach(it, sv)
			if (cJSON_IsString(it) && !strcmp(it->valuestring, json_str(v, "name")))
				return;
		cJSON_AddItemToArray(sv, cJSON_CreateString(json_str(v, "name")));
		return;
	}
}

void prepare_crd(cJSON *obj, const cJSON *old)
{
	if (old)
		return add_stored_version(obj);
	cJSON *st = cJSON_CreateObject(), *an = cJSON_CreateObject();
	json_set_str(an, "plural", "");
	json_set_str(an, "kind", "");
	json_set(st, "conditions", cJSON_CreateArray());
	json_set(st, "acceptedNames", an);
	json_set(obj, "status", st);
	add_stored_version(obj);
}

void crd_mark_deleting(cJSON *obj)
{
	cJSON *meta = json_obj_force(obj, "metadata"), *fins = json_getv(meta, "finalizers", NULL), *it;
	crd_set_condition(obj, "Terminating", "True", "InstanceDeletionPending",
			  "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon");
	if (!cJSON_IsArray(fins)) {
		fins = cJSON_CreateArray();
		json_set(meta, "finalizers", fins);
	}
	cJSON_ArrayForEach(it, fins)
		if (cJSON_IsString(it) && !strcmp(it->valuestring, CRD_FINALIZER))
			return;
	cJSON_AddItemToArray(fins, cJSON_CreateString(CRD_FINALIZER));
}

int crd_set_condition(cJSON *obj, const char *type, const char *status, const char *reason, const char *message)
{
	cJSON *st = json_obj_force(obj, "status"), *conds = json_getv(st, "conditions", NULL), *c, *found = NULL;
	char now[21];
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		json_set(st, "conditions", conds);
	}
	cJSON_ArrayForEach(c, conds)
		if (json_str(c, "type") && !strcmp(json_str(c, "type"), type))
			found = c;
	if (found && json_str(found, "status") && !strcmp(json_str(found, "status"), status) &&
	    json_str(found, "reason") && !strcmp(json_str(found, "reason"), reason) && json_str(found, "message") &&
	    !strcmp(json_str(found, "message"), message))
		return 0;
	if (!found) {
		found = cJSON_CreateObject();
		cJSON_AddItemToArray(conds, found);
		json_set_str(found, "type", type);
	}
	if (!json_str(found, "status") || strcmp(json_str(found, "status"), status)) {
		format_rfc3339(wall_seconds(), now);
		json_set_str(found, "lastTransitionTime", now);
	}
	json_set_str(found, "status", status);
	json_set_str(found, "reason", reason);
	json_set_str(found, "message", message);
	return 1;
}

/* ---- validation ---------------------------------------------------------------------------- */

static void validate_names(const cJSON *names, struct field_errors *errs)
{
	static const char *const fields[] = { "plural", "singular", "kind", "listKind" };
	struct buf why = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		const char *v = json_str(names, fields[i]);
		char *path = xasprintf("spec.names.%s", fields[i]);
		if ((!v || !*v) && (i == 0 || i == 2)) {
			field_errors_add(errs, FE_REQUIRED, path, NULL, NULL);
		} else if (v && *v && i < 2) {
			buf_reset(&why);
			if (validate_dns1035_label(v, &why))
				field_errors_add_str(errs, FE_INVALID, path, v, "%s", buf_str(&why));
		}
		free(path);
	}
	const char *kind = json_str(names, "kind"), *lk = json_str(names, "listKind");
	if (kind && lk && *kind && !strcmp(kind, lk))
		field_errors_add_str(errs, FE_INVALID, "spec.names.listKind", lk, "kind and listKind may not be the same");
	buf_release(&why);
}

static void validate_version(const cJSON *v, size_t i, int beta, struct field_errors *errs, int *storage,
			     int *served)
{
	char path[96];
	struct buf why = BUF_INIT;
	const char *name = json_str(v, "name");
	snprintf(path, sizeof(path), "spec.versions[%zu].name", i);
	if (!name || !*name)
		field_errors_add(errs, FE_REQUIRED, path, NULL, NULL);
	else if (validate_dns1035_label(name, &why))
		field_errors_add_str(errs, FE_INVALID, path, name, "%s", buf_str(&why));
	*storage += json_true(v, "storage");
	*served += json_true(v, "served");
	const cJSON *schema = json_getv(v, "schema", "openAPIV3Schema", NULL);
	snprintf(path, sizeof(path), "spec.versions[%zu].schema.openAPIV3Schema", i);
	if (!beta && !schema) {
		field_errors_add(errs, FE_REQUIRED, path, NULL, "schemas are required");
	} else if (!beta && !json_str(schema, "type")) {
		snprintf(path, sizeof(path), "spec.versions[%zu].schema.openAPIV3Schema.type", i);
		field_errors_add(errs, FE_REQUIRED, path, NULL, "must not be empty at the root");
	}
	buf_release(&why);
}

static void validate_versions(const cJSON *spec, int beta, struct field_errors *errs)
{
	const cJSON *vs = json_getv(spec, "versions", NULL), *v;
	int storage = 0, served = 0;
	size_t i = 0;
	if (!cJSON_GetArraySize(vs)) {
		field_errors_add(errs, FE_INVALID, "spec.versions", vs ? vs : NULL, "must have exactly one version marked as storage version");
		return;
	}
	cJSON_ArrayForEach(v, vs) {
		const cJSON *w;
		size_t j = 0;
		cJSON_ArrayForEach(w, vs) {
			if (j++ >= i)
				break;
			if (json_str(v, "name") && json_str(w, "name") && !strcmp(json_str(v, "name"), json_str(w, "name")))
				field_errors_add(errs, FE_INVALID, "spec.versions", vs, "must contain unique version names");
		}
		validate_version(v, i++, beta, errs, &storage, &served);
	}
	if (storage != 1)
		field_errors_add(errs, FE_INVALID, "spec.versions", vs, "must have exactly one version marked as storage version");
	if (!served)
		field_errors_add(errs, FE_INVALID, "spec.versions", vs, "must have at least one version marked as served");
}

/* One path of subresources.scale at base: upstream's validateSimpleJSONPath, then the prefixes
 * it must start with (under names them in the message). */
static void validate_scale_path(const cJSON *scale, const char *base, const char *key, const char *const *prefixes,
				const char *under, struct field_errors *errs)
{
	const char *v = json_str(scale, key);
	char *path = xasprintf("%s.scale.%s", base, key);
	int ok = 0;
	for (size_t i = 0; v && prefixes[i]; i++)
		ok |= !strncmp(v, prefixes[i], strlen(prefixes[i]));
	if (!v || !*v) {
		if (strcmp(key, "labelSelectorPath"))
			field_errors_add(errs, FE_REQUIRED, path, NULL, NULL);
	} else if (*v != '.') {
		field_errors_add_str(errs, FE_INVALID, path, v, "must be a simple json path starting with .");
	} else if (!ok) {
		field_errors_add_str(errs, FE_INVALID, path, v, "should be a json path under %s", under);
	}
	free(path);
}

/* upstream's ValidateCustomResourceDefinitionSubresources of subresources at base. */
static void validate_subresources(const cJSON *subs, const char *base, struct field_errors *errs)
{
	static const char *const spec[] = { ".spec.", NULL }, *const status[] = { ".status.", NULL },
			  *const either[] = { ".spec.", ".status.", NULL };
	const cJSON *scale = json_obj(subs, "scale");
	if (!scale)
		return;
	validate_scale_path(scale, base, "specReplicasPath", spec, ".spec", errs);
	validate_scale_path(scale, base, "statusReplicasPath", status, ".status", errs);
	validate_scale_path(scale, base, "labelSelectorPath", either, "either .spec or .status", errs);
}

/* The subresources of every version are checked where upstream reports them: at
 * spec.subresources when they are the same in all versions (its conversion to the internal
 * form moves them there), else at each version's. */
static void validate_all_subresources(const cJSON *spec, struct field_errors *errs)
{
	const cJSON *vs = json_getv(spec, "versions", NULL), *v, *first = NULL;
	int same = 1;
	size_t i = 0;
	if (json_obj(spec, "subresources"))
		validate_subresources(json_obj(spec, "subresources"), "spec.subresources", errs);
	cJSON_ArrayForEach(v, vs) {
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(v, "subresources");
		if (v == vs->child)
			first = s;
		else if (!(s == first || (s && first && cJSON_Compare(s, first, 1))))
			same = 0;
	}
	if (same && first)
		return validate_subresources(first, "spec.subresources", errs);
	cJSON_ArrayForEach(v, vs) {
		char base[64];
		snprintf(base, sizeof(base), "spec.versions[%zu].subresources", i++);
		validate_subresources(json_obj(v, "subresources"), base, errs);
	}
}

static void validate_with(const cJSON *obj, const cJSON *old, int beta, struct field_errors *errs)
{
	const cJSON *spec = json_obj(obj, "spec"), *names = json_obj(spec, "names");
	const char *name = json_strv(obj, "metadata", "name", NULL), *group = json_str(spec, "group");
	const char *plural = json_str(names, "plural"), *scope = json_str(spec, "scope");
	struct buf why = BUF_INIT;
	if (name && plural && group) {
		char *want = xasprintf("%s.%s", plural, group);
		if (strcmp(name, want))
			field_errors_add_str(errs, FE_INVALID, "metadata.name", name, "must be spec.names.plural+\".\"+spec.group");
		free(want);
	}
	if (!group || !*group)
		field_errors_add(errs, FE_REQUIRED, "spec.group", NULL, NULL);
	else if (validate_dns1123_subdomain(group, &why))
		field_errors_add_str(errs, FE_INVALID, "spec.group", group, "%s", buf_str(&why));
	else if (!strchr(group, '.'))
		field_errors_add_str(errs, FE_INVALID, "spec.group", group, "should be a domain with at least one dot");
	if (!scope || !*scope)
		field_errors_add(errs, FE_REQUIRED, "spec.scope", NULL, NULL);
	else if (strcmp(scope, "Cluster") && strcmp(scope, "Namespaced"))
		field_errors_add_str(errs, FE_NOT_SUPPORTED, "spec.scope", scope, "supported values: \"Cluster\", \"Namespaced\"");
	validate_names(names, errs);
	/* schemas are required of new v1 CRDs, and of updates to CRDs that have them all */
	int lax = beta;
	const cJSON *ov;
	cJSON_ArrayForEach(ov, json_getv(old, "spec", "versions", NULL))
		lax |= !json_strv(ov, "schema", "openAPIV3Schema", "type", NULL);
	validate_versions(spec, lax, errs);
	validate_all_subresources(spec, errs);
	int puf = json_true(spec, "preserveUnknownFields");
	int old_puf = cJSON_IsTrue(json_getv(old, "spec", "preserveUnknownFields", NULL));
	if (!beta && puf && !old_puf)
		field_errors_add(errs, FE_INVALID, "spec.preserveUnknownFields", cJSON_GetObjectItemCaseSensitive(spec, "preserveUnknownFields"),
				 "must be false in order to use defaults in the schema");
	const char *old_group = json_strv(old, "spec", "group", NULL);
	if (old && old_group && group && strcmp(old_group, group))
		field_errors_add_str(errs, FE_INVALID, "spec.group", group, "field is immutable");
	buf_release(&why);
}

void validate_crd(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	validate_with(obj, old, 0, errs);
}

void validate_crd_v1beta1(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	validate_with(obj, old, 1, errs);
}

/* ---- the v1beta1 view ---------------------------------------------------------------------- */

/* Printer columns spell the path "JSONPath" in v1beta1, "jsonPath" in v1. */
static void rename_paths(cJSON *cols, const char *from, const char *to)
{
	cJSON *c;
	cJSON_ArrayForEach(c, cols) {
		cJSON *p = cJSON_DetachItemFromObjectCaseSensitive(c, from);
		if (p)
			cJSON_AddItemToObject(c, to, p);
	}
}

/* Moves spec[top] into each version (as version[vpath...]) that has none. */
static void spread(cJSON *spec, const char *top, const char *vfield, const char *vsub)
{
	cJSON *val = cJSON_DetachItemFromObjectCaseSensitive(spec, top), *v;
	if (!val)
		return;
	cJSON_ArrayForEach(v, json_getv(spec, "versions", NULL)) {
		if (json_getv(v, vfield, NULL))
			continue;
		if (vsub)
			json_set(json_obj_force(v, vfield), vsub, cJSON_Duplicate(val, 1));
		else
			json_set(v, vfield, cJSON_Duplicate(val, 1));
	}
	cJSON_Delete(val);
}

void crd_to_v1(cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec");
	json_set_str(obj, "apiVersion", "apiextensions.k8s.io/v1");
	json_set_str(obj, "kind", "CustomResourceDefinition");
	rename_paths(json_getv(spec, "additionalPrinterColumns", NULL), "JSONPath", "jsonPath");
	spread(spec, "validation", "schema", NULL);
	spread(spec, "subresources", "subresources", NULL);
	spread(spec, "additionalPrinterColumns", "additionalPrinterColumns", NULL);
	json_del(spec, "version");
}

/* Moves version field f to spec[top] when every version has the same one. */
static void gather(cJSON *spec, const char *f, const char *top)
{
	cJSON *vs = json_getv(spec, "versions", NULL), *v, *first = NULL;
	cJSON_ArrayForEach(v, vs) {
		cJSON *x = json_getv(v, f, NULL);
		if (!x || (first && !cJSON_Compare(first, x, 1)))
			return;
		first = first ? first : x;
	}
	if (!first)
		return;
	json_set(spec, top, cJSON_Duplicate(first, 1));
	cJSON_ArrayForEach(v, vs)
		json_del(v, f);
}

void crd_to_v1beta1(cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec"), *v;
	json_set_str(obj, "apiVersion", "apiextensions.k8s.io/v1beta1");
	json_set_str(obj, "kind", "CustomResourceDefinition");
	cJSON *first = cJSON_GetArrayItem(json_getv(spec, "versions", NULL), 0);
	if (json_str(first, "name"))
		json_set_str(spec, "version", json_str(first, "name"));
	cJSON_ArrayForEach(v, json_getv(spec, "versions", NULL))
		rename_paths(json_getv(v, "additionalPrinterColumns", NULL), "jsonPath", "JSONPath");
	gather(spec, "schema", "validation");
	gather(spec, "subresources", "subresources");
	gather(spec, "additionalPrinterColumns", "additionalPrinterColumns");
}

static const char *const crd_aliases[] = { NULL };

const struct kind_view crd_v1beta1_view = { "apiextensions.k8s.io", "customresourcedefinitions", crd_to_v1,
					    crd_to_v1beta1, crd_aliases };
