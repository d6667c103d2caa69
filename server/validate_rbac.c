/*
 * validate_rbac.c - upstream's validation of the rbac.authorization.k8s.io kinds
 * (pkg/apis/rbac/validation): policy rules of Roles and ClusterRoles, a ClusterRole's
 * aggregationRule, the roleRef and subjects of bindings, and roleRef being immutable.
 * Messages are upstream's, word for word, since kubectl shows them.
 */
#include "internal.h"
#include "server/kinds.h"

#include <string.h>

#define RBAC_GROUP "rbac.authorization.k8s.io"

static int list_len(const cJSON *obj, const char *field)
{
	return cJSON_GetArraySize(json_getv(obj, field, NULL));
}

/* One policy rule at path; namespaced rules may not name non-resource URLs. */
static void validate_rule(const cJSON *rule, int namespaced, const char *path, struct field_errors *errs)
{
	struct buf f = BUF_INIT;
	if (!list_len(rule, "verbs")) {
		buf_addf(&f, "%s.verbs", path);
		field_errors_add(errs, FE_REQUIRED, f.data, NULL, "verbs must contain at least one value");
	}
	if (list_len(rule, "nonResourceURLs")) {
		const cJSON *urls = json_getv(rule, "nonResourceURLs", NULL);
		buf_reset(&f);
		buf_addf(&f, "%s.nonResourceURLs", path);
		if (namespaced)
			field_errors_add(errs, FE_INVALID, f.data, urls,
					 "namespaced rules cannot apply to non-resource URLs");
		if (list_len(rule, "apiGroups") || list_len(rule, "resources"))
			field_errors_add(errs, FE_INVALID, f.data, urls,
					 "rules cannot apply to both regular resources and non-resource URLs");
		buf_release(&f);
		return;
	}
	if (!list_len(rule, "apiGroups")) {
		buf_reset(&f);
		buf_addf(&f, "%s.apiGroups", path);
		field_errors_add(errs, FE_REQUIRED, f.data, NULL, "resource rules must supply at least one api group");
	}
	if (!list_len(rule, "resources")) {
		buf_reset(&f);
		buf_addf(&f, "%s.resources", path);
		field_errors_add(errs, FE_REQUIRED, f.data, NULL, "resource rules must supply at least one resource");
	}
	buf_release(&f);
}

static void validate_rules(const cJSON *obj, int namespaced, struct field_errors *errs)
{
	const cJSON *rule;
	char path[48];
	int i = 0;
	cJSON_ArrayForEach(rule, json_getv(obj, "rules", NULL))
	{
		snprintf(path, sizeof(path), "rules[%d]", i++);
		validate_rule(rule, namespaced, path, errs);
	}
}

void validate_role(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	UNUSED(old);
	validate_rules(obj, 1, errs);
}

void validate_clusterrole(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	UNUSED(old);
	validate_rules(obj, 0, errs);
	const cJSON *agg = json_getv(obj, "aggregationRule", NULL);
	if (!agg || cJSON_IsNull(agg))
		return;
	const cJSON *sels = json_getv(agg, "clusterRoleSelectors", NULL), *sel;
	if (!cJSON_GetArraySize(sels))
		field_errors_add(errs, FE_REQUIRED, "aggregationRule.clusterRoleSelectors", NULL,
				 "at least one clusterRoleSelector required if aggregationRule is non-nil");
	char path[64];
	int i = 0;
	cJSON_ArrayForEach(sel, sels)
	{
		snprintf(path, sizeof(path), "aggregationRule.clusterRoleSelectors[%d]", i++);
		validate_label_selector(sel, path, errs);
	}
}

/* One subject at path (upstream's ValidateRoleBindingSubject). */
static void validate_subject(const cJSON *s, int namespaced, const char *path, struct field_errors *errs)
{
	static const char *const kinds[] = { "ServiceAccount", "User", "Group", NULL };
	static const char *const rbac_group[] = { RBAC_GROUP, NULL }, *const core_group[] = { "", NULL };
	const char *name = json_str(s, "name"), *kind = json_str(s, "kind"), *group = json_str(s, "apiGroup");
	struct buf f = BUF_INIT, why = BUF_INIT;
	if (!name || !*name) {
		buf_addf(&f, "%s.name", path);
		field_errors_add(errs, FE_REQUIRED, f.data, NULL, NULL);
	}
	buf_reset(&f);
	if (kind && !strcmp(kind, "ServiceAccount")) {
		if (name && *name && validate_dns1123_subdomain(name, &why) < 0) {
			buf_addf(&f, "%s.name", path);
			field_errors_add_str(errs, FE_INVALID, f.data, name, "%s", why.data);
			buf_reset(&f);
		}
		if (group && *group) {
			buf_addf(&f, "%s.apiGroup", path);
			validate_not_supported_str(errs, f.data, group, core_group);
			buf_reset(&f);
		}
		if (!namespaced && !(json_str(s, "namespace") && *json_str(s, "namespace"))) {
			buf_addf(&f, "%s.namespace", path);
			field_errors_add(errs, FE_REQUIRED, f.data, NULL, NULL);
		}
	} else if (kind && (!strcmp(kind, "User") || !strcmp(kind, "Group"))) {
		if (!group || strcmp(group, RBAC_GROUP)) {
			buf_addf(&f, "%s.apiGroup", path);
			validate_not_supported_str(errs, f.data, group ? group : "", rbac_group);
		}
	} else {
		buf_addf(&f, "%s.kind", path);
		validate_not_supported_str(errs, f.data, kind ? kind : "", kinds);
	}
	buf_release(&f);
	buf_release(&why);
}

/* roleRef and subjects; namespaced: a RoleBinding (may refer to a Role). */
static void validate_binding(const cJSON *obj, const cJSON *old, int namespaced, struct field_errors *errs)
{
	static const char *const rbac_group[] = { RBAC_GROUP, NULL };
	static const char *const ns_kinds[] = { "Role", "ClusterRole", NULL }, *const cl_kinds[] = { "ClusterRole", NULL };
	const cJSON *ref = json_getv(obj, "roleRef", NULL), *s;
	const char *group = json_str(ref, "apiGroup"), *kind = json_str(ref, "kind"), *name = json_str(ref, "name");
	struct buf why = BUF_INIT;
	char path[48];
	int i = 0;
	if (!group || strcmp(group, RBAC_GROUP))
		validate_not_supported_str(errs, "roleRef.apiGroup", group ? group : "", rbac_group);
	if (!kind || !validate_one_of(kind, namespaced ? ns_kinds : cl_kinds))
		validate_not_supported_str(errs, "roleRef.kind", kind ? kind : "", namespaced ? ns_kinds : cl_kinds);
	if (!name || !*name)
		field_errors_add(errs, FE_REQUIRED, "roleRef.name", NULL, NULL);
	else if (validate_path_segment(name, &why) < 0)
		field_errors_add_str(errs, FE_INVALID, "roleRef.name", name, "%s", why.data);
	cJSON_ArrayForEach(s, json_getv(obj, "subjects", NULL))
	{
		snprintf(path, sizeof(path), "subjects[%d]", i++);
		validate_subject(s, namespaced, path, errs);
	}
	if (old && !cJSON_Compare(ref, json_getv(old, "roleRef", NULL), 1)) {
		buf_reset(&why); /* Go's %#v of the rbac.RoleRef */
		buf_addf(&why, "rbac.RoleRef{APIGroup:");
		field_quote(&why, group ? group : "");
		buf_adds(&why, ", Kind:");
		field_quote(&why, kind ? kind : "");
		buf_adds(&why, ", Name:");
		field_quote(&why, name ? name : "");
		buf_addch(&why, '}');
		field_errors_add_raw(errs, FE_INVALID, "roleRef", why.data, "cannot change roleRef");
	}
	buf_release(&why);
}

void validate_rolebinding(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	validate_binding(obj, old, 1, errs);
}

void validate_clusterrolebinding(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	validate_binding(obj, old, 0, errs);
}
