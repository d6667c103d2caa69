/* Unit tests for the rbac.authorization.k8s.io validation (server/validate_rbac.c: upstream's
 * messages for rules, aggregation rules, subjects and roleRef) and the deprecation warning of
 * the v1beta1 kinds (server/rbac.c). */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/internal.h"
#include "server/kinds.h"

/* Parses JSON written with ' for " (test fixtures only). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	return j;
}

typedef void validate_fn(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* The aggregate message of fn(obj, old) (caller frees). */
static char *run(validate_fn *fn, const char *obj, const char *old)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	struct buf b = BUF_INIT;
	cJSON *o = js(obj), *p = old ? js(old) : NULL;
	fn(o, p, &e);
	field_errors_summary(&e, &b);
	field_errors_release(&e);
	cJSON_Delete(o);
	cJSON_Delete(p);
	return buf_detach(&b, NULL);
}

#define CHECK(fn, obj, old, want) \
	do { \
		char *got_ = run(fn, obj, old); \
		int ok_ = !strcmp(got_, want); \
		if (!ok_) \
			fprintf(stderr, "  got:  %s\n  want: %s\n", got_, want); \
		free(got_); \
		ASSERT(ok_); \
	} while (0)

TEST_IMPL(rbac_validate_rules)
{
	CHECK(validate_role, "{'rules':[{'verbs':['get'],'apiGroups':[''],'resources':['pods']}]}", NULL, "");
	CHECK(validate_role, "{'rules':[{'apiGroups':[''],'resources':['pods']}]}", NULL,
	      "rules[0].verbs: Required value: verbs must contain at least one value");
	CHECK(validate_role, "{'rules':[{'verbs':['get'],'nonResourceURLs':['/x']}]}", NULL,
	      "rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs");
	CHECK(validate_clusterrole, "{'rules':[{'verbs':['get'],'nonResourceURLs':['/x']}]}", NULL, "");
	CHECK(validate_clusterrole, "{'rules':[{'verbs':['get']}]}", NULL,
	      "[rules[0].apiGroups: Required value: resource rules must supply at least one api group, "
	      "rules[0].resources: Required value: resource rules must supply at least one resource]");
	CHECK(validate_clusterrole, "{'aggregationRule':{'clusterRoleSelectors':[]}}", NULL,
	      "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if "
	      "aggregationRule is non-nil");
	return 0;
}

TEST_IMPL(rbac_validate_bindings)
{
	const char *ok = "{'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'view'},"
			 "'subjects':[{'kind':'ServiceAccount','name':'a','namespace':'n'},"
			 "{'kind':'User','apiGroup':'rbac.authorization.k8s.io','name':'u'}]}";
	CHECK(validate_rolebinding, ok, NULL, "");
	CHECK(validate_clusterrolebinding, ok, NULL, "");
	CHECK(validate_clusterrolebinding,
	      "{'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Role','name':'r'},'subjects':[{'kind':'ServiceAccount','name':'a'}]}",
	      NULL,
	      "[roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\", subjects[0].namespace: Required value]");
	CHECK(validate_rolebinding,
	      "{'roleRef':{'apiGroup':'x','kind':'Role','name':''},'subjects':[{'kind':'Robot','name':'a'}]}", NULL,
	      "[roleRef.apiGroup: Unsupported value: \"x\": supported values: \"rbac.authorization.k8s.io\", "
	      "roleRef.name: Required value, subjects[0].kind: Unsupported value: \"Robot\": supported values: "
	      "\"ServiceAccount\", \"User\", \"Group\"]");
	CHECK(validate_rolebinding, "{'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'edit'}}",
	      "{'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':'view'}}",
	      "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", "
	      "Name:\"edit\"}: cannot change roleRef");
	return 0;
}

TEST_IMPL(rbac_deprecation_warning)
{
	struct buf b = BUF_INIT;
	registry_init();
	deprecation_warning(kind_by_resource("rbac.authorization.k8s.io", "v1beta1", "roles"), &b);
	ASSERT_STR(b.data, "299 - \"rbac.authorization.k8s.io/v1beta1 Role is deprecated in v1.17+, unavailable in "
			   "v1.22+; use rbac.authorization.k8s.io/v1 Role\"");
	buf_release(&b);
	ASSERT(!kind_by_resource("rbac.authorization.k8s.io", "v1", "roles")->deprecated);
	return 0;
}
