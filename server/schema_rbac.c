/*
 * schema_rbac.c - the tables of rbac.authorization.k8s.io/v1 (Role, ClusterRole, RoleBinding,
 * ClusterRoleBinding and their lists) and of the review objects that ask the authorizer and the
 * authenticators: authorization.k8s.io SubjectAccessReview, LocalSubjectAccessReview,
 * SelfSubjectRulesReview (v1, and the v1beta1 SubjectAccessReview whose spec says "group"), and
 * authentication.k8s.io TokenReview.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order with its
 * protobuf numbers (k8s.io/api/rbac/v1, authorization/v1, authentication/v1 generated.proto).
 * The rbac v1beta1 kinds are views of the v1 objects and share these types. Facts follow
 * Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"


static const struct sch_field rbac_PolicyRule_fields[] = {
	{ "verbs", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Verbs the rule allows; * means all." },
	{ "apiGroups", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "API groups of the resources; \"\" is the core group, * means all." },
	{ "resources", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Resources (or resource/subresource) the rule covers; * means all." },
	{ "resourceNames", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Object names the rule is limited to; empty means all." },
	{ "nonResourceURLs", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Non-resource URL paths (a trailing * is a prefix); only in ClusterRoles." },
};
const struct sch_type sch_rbac_PolicyRule = {
	.name = "io.k8s.api.rbac.v1.PolicyRule",
	.fields = rbac_PolicyRule_fields,
	.nfields = ARRAY_SIZE(rbac_PolicyRule_fields),
	.doc = "One rule: the verbs allowed on some resources or non-resource URLs.",
};

static const struct sch_field rbac_AggregationRule_fields[] = {
	{ "clusterRoleSelectors", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Selectors of the ClusterRoles whose rules are aggregated." },
};
const struct sch_type sch_rbac_AggregationRule = {
	.name = "io.k8s.api.rbac.v1.AggregationRule",
	.fields = rbac_AggregationRule_fields,
	.nfields = ARRAY_SIZE(rbac_AggregationRule_fields),
	.doc = "How a ClusterRole collects the rules of other ClusterRoles.",
};

static const struct sch_field rbac_Subject_fields[] = {
	{ "kind", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "User, Group or ServiceAccount." },
	{ "apiGroup", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "rbac.authorization.k8s.io for users and groups, \"\" for service accounts." },
	{ "name", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the subject." },
	{ "namespace", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace of a service account." },
};
const struct sch_type sch_rbac_Subject = {
	.name = "io.k8s.api.rbac.v1.Subject",
	.fields = rbac_Subject_fields,
	.nfields = ARRAY_SIZE(rbac_Subject_fields),
	.doc = "Who a binding grants to: a user, a group or a service account.",
};

static const struct sch_field rbac_RoleRef_fields[] = {
	{ "apiGroup", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Group of the role: rbac.authorization.k8s.io." },
	{ "kind", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Role or ClusterRole." },
	{ "name", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the role." },
};
const struct sch_type sch_rbac_RoleRef = {
	.name = "io.k8s.api.rbac.v1.RoleRef",
	.fields = rbac_RoleRef_fields,
	.nfields = ARRAY_SIZE(rbac_RoleRef_fields),
	.doc = "The role a binding grants.",
};

static const struct sch_field rbac_Role_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "rules", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_rbac_PolicyRule,
	  "The rules of the role." },
};
const struct sch_type sch_rbac_Role = {
	.name = "io.k8s.api.rbac.v1.Role",
	.fields = rbac_Role_fields,
	.nfields = ARRAY_SIZE(rbac_Role_fields),
	.doc = "A namespaced set of rules.",
};

static const struct sch_field rbac_ClusterRole_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "rules", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_rbac_PolicyRule,
	  "The rules of the role; filled by the controller when aggregationRule is set." },
	{ "aggregationRule", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_rbac_AggregationRule,
	  "Selects the ClusterRoles whose rules make up this one." },
};
const struct sch_type sch_rbac_ClusterRole = {
	.name = "io.k8s.api.rbac.v1.ClusterRole",
	.fields = rbac_ClusterRole_fields,
	.nfields = ARRAY_SIZE(rbac_ClusterRole_fields),
	.doc = "A cluster-wide set of rules, possibly aggregated from other ClusterRoles.",
};

static const struct sch_field rbac_RoleBinding_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "subjects", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_rbac_Subject,
	  "Who the role is granted to." },
	{ "roleRef", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_rbac_RoleRef,
	  "The role granted; immutable." },
};
const struct sch_type sch_rbac_RoleBinding = {
	.name = "io.k8s.api.rbac.v1.RoleBinding",
	.fields = rbac_RoleBinding_fields,
	.nfields = ARRAY_SIZE(rbac_RoleBinding_fields),
	.doc = "Grants a Role or ClusterRole to subjects within a namespace.",
};

static const struct sch_field rbac_ClusterRoleBinding_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "subjects", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_rbac_Subject,
	  "Who the role is granted to." },
	{ "roleRef", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_rbac_RoleRef,
	  "The ClusterRole granted; immutable." },
};
const struct sch_type sch_rbac_ClusterRoleBinding = {
	.name = "io.k8s.api.rbac.v1.ClusterRoleBinding",
	.fields = rbac_ClusterRoleBinding_fields,
	.nfields = ARRAY_SIZE(rbac_ClusterRoleBinding_fields),
	.doc = "Grants a ClusterRole to subjects across the cluster.",
};

static const struct sch_field rbac_RoleList_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_rbac_Role,
	  "The Role objects." },
};
const struct sch_type sch_rbac_RoleList = {
	.name = "io.k8s.api.rbac.v1.RoleList",
	.fields = rbac_RoleList_fields,
	.nfields = ARRAY_SIZE(rbac_RoleList_fields),
	.doc = "A list of Role objects.",
};

static const struct sch_field rbac_ClusterRoleList_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_rbac_ClusterRole,
	  "The ClusterRole objects." },
};
const struct sch_type sch_rbac_ClusterRoleList = {
	.name = "io.k8s.api.rbac.v1.ClusterRoleList",
	.fields = rbac_ClusterRoleList_fields,
	.nfields = ARRAY_SIZE(rbac_ClusterRoleList_fields),
	.doc = "A list of ClusterRole objects.",
};

static const struct sch_field rbac_RoleBindingList_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_rbac_RoleBinding,
	  "The RoleBinding objects." },
};
const struct sch_type sch_rbac_RoleBindingList = {
	.name = "io.k8s.api.rbac.v1.RoleBindingList",
	.fields = rbac_RoleBindingList_fields,
	.nfields = ARRAY_SIZE(rbac_RoleBindingList_fields),
	.doc = "A list of RoleBinding objects.",
};

static const struct sch_field rbac_ClusterRoleBindingList_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_rbac_ClusterRoleBinding,
	  "The ClusterRoleBinding objects." },
};
const struct sch_type sch_rbac_ClusterRoleBindingList = {
	.name = "io.k8s.api.rbac.v1.ClusterRoleBindingList",
	.fields = rbac_ClusterRoleBindingList_fields,
	.nfields = ARRAY_SIZE(rbac_ClusterRoleBindingList_fields),
	.doc = "A list of ClusterRoleBinding objects.",
};

static const struct sch_field authorization_SubjectAccessReviewSpec_fields[] = {
	{ "resourceAttributes", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_ResourceAttributes,
	  "An action on a resource." },
	{ "nonResourceAttributes", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_NonResourceAttributes,
	  "An action on a non-resource URL." },
	{ "user", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The user to check." },
	{ "groups", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "The groups to check." },
	{ "extra", 5, SK_STRING, SL_ATOMIC, SF_MAP, NULL, NULL, NULL,
	  "Further user attributes from the authenticator." },
	{ "uid", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The UID of the user." },
};
const struct sch_type sch_authorization_SubjectAccessReviewSpec = {
	.name = "io.k8s.api.authorization.v1.SubjectAccessReviewSpec",
	.fields = authorization_SubjectAccessReviewSpec_fields,
	.nfields = ARRAY_SIZE(authorization_SubjectAccessReviewSpec_fields),
	.doc = "The action to check and who would do it.",
};

static const struct sch_field authorization_v1beta1_SubjectAccessReviewSpec_fields[] = {
	{ "resourceAttributes", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_ResourceAttributes,
	  "An action on a resource." },
	{ "nonResourceAttributes", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_NonResourceAttributes,
	  "An action on a non-resource URL." },
	{ "user", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The user to check." },
	{ "group", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "The groups to check." },
	{ "extra", 5, SK_STRING, SL_ATOMIC, SF_MAP, NULL, NULL, NULL,
	  "Further user attributes from the authenticator." },
	{ "uid", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The UID of the user." },
};
const struct sch_type sch_authorization_v1beta1_SubjectAccessReviewSpec = {
	.name = "io.k8s.api.authorization.v1beta1.SubjectAccessReviewSpec",
	.fields = authorization_v1beta1_SubjectAccessReviewSpec_fields,
	.nfields = ARRAY_SIZE(authorization_v1beta1_SubjectAccessReviewSpec_fields),
	.doc = "The action to check and who would do it.",
};

static const struct sch_field authorization_SubjectAccessReview_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_authorization_SubjectAccessReviewSpec,
	  "The action to check." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_SubjectAccessReviewStatus,
	  "The answer, filled in by the server." },
};
const struct sch_type sch_authorization_SubjectAccessReview = {
	.name = "io.k8s.api.authorization.v1.SubjectAccessReview",
	.fields = authorization_SubjectAccessReview_fields,
	.nfields = ARRAY_SIZE(authorization_SubjectAccessReview_fields),
	.doc = "Asks whether a user may perform an action.",
};

static const struct sch_field authorization_LocalSubjectAccessReview_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_authorization_SubjectAccessReviewSpec,
	  "The action to check." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_SubjectAccessReviewStatus,
	  "The answer, filled in by the server." },
};
const struct sch_type sch_authorization_LocalSubjectAccessReview = {
	.name = "io.k8s.api.authorization.v1.LocalSubjectAccessReview",
	.fields = authorization_LocalSubjectAccessReview_fields,
	.nfields = ARRAY_SIZE(authorization_LocalSubjectAccessReview_fields),
	.doc = "Asks whether a user may perform an action in one namespace.",
};

static const struct sch_field authorization_v1beta1_SubjectAccessReview_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_authorization_v1beta1_SubjectAccessReviewSpec,
	  "The action to check." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_SubjectAccessReviewStatus,
	  "The answer, filled in by the server." },
};
const struct sch_type sch_authorization_v1beta1_SubjectAccessReview = {
	.name = "io.k8s.api.authorization.v1beta1.SubjectAccessReview",
	.fields = authorization_v1beta1_SubjectAccessReview_fields,
	.nfields = ARRAY_SIZE(authorization_v1beta1_SubjectAccessReview_fields),
	.doc = "Asks whether a user may perform an action.",
};

static const struct sch_field authorization_ResourceRule_fields[] = {
	{ "verbs", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Verbs allowed; * means all." },
	{ "apiGroups", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "API groups; * means all." },
	{ "resources", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Resources; * means all." },
	{ "resourceNames", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Object names; empty means all." },
};
const struct sch_type sch_authorization_ResourceRule = {
	.name = "io.k8s.api.authorization.v1.ResourceRule",
	.fields = authorization_ResourceRule_fields,
	.nfields = ARRAY_SIZE(authorization_ResourceRule_fields),
	.doc = "Verbs the caller may use on some resources.",
};

static const struct sch_field authorization_NonResourceRule_fields[] = {
	{ "verbs", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Verbs allowed; * means all." },
	{ "nonResourceURLs", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "URL paths; a trailing * is a prefix." },
};
const struct sch_type sch_authorization_NonResourceRule = {
	.name = "io.k8s.api.authorization.v1.NonResourceRule",
	.fields = authorization_NonResourceRule_fields,
	.nfields = ARRAY_SIZE(authorization_NonResourceRule_fields),
	.doc = "Verbs the caller may use on non-resource URLs.",
};

static const struct sch_field authorization_SelfSubjectRulesReviewSpec_fields[] = {
	{ "namespace", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace to evaluate the rules in." },
};
const struct sch_type sch_authorization_SelfSubjectRulesReviewSpec = {
	.name = "io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec",
	.fields = authorization_SelfSubjectRulesReviewSpec_fields,
	.nfields = ARRAY_SIZE(authorization_SelfSubjectRulesReviewSpec_fields),
	.doc = "Where to list the caller's rules.",
};

static const struct sch_field authorization_SubjectRulesReviewStatus_fields[] = {
	{ "resourceRules", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_authorization_ResourceRule,
	  "What may be done on resources." },
	{ "nonResourceRules", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_authorization_NonResourceRule,
	  "What may be done on non-resource URLs." },
	{ "incomplete", 3, SK_BOOL, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the list may miss rules." },
	{ "evaluationError", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Error met while evaluating, if any." },
};
const struct sch_type sch_authorization_SubjectRulesReviewStatus = {
	.name = "io.k8s.api.authorization.v1.SubjectRulesReviewStatus",
	.fields = authorization_SubjectRulesReviewStatus_fields,
	.nfields = ARRAY_SIZE(authorization_SubjectRulesReviewStatus_fields),
	.doc = "The rules that apply in a namespace.",
};

static const struct sch_field authorization_SelfSubjectRulesReview_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_authorization_SelfSubjectRulesReviewSpec,
	  "Where to evaluate." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_SubjectRulesReviewStatus,
	  "The answer, filled in by the server." },
};
const struct sch_type sch_authorization_SelfSubjectRulesReview = {
	.name = "io.k8s.api.authorization.v1.SelfSubjectRulesReview",
	.fields = authorization_SelfSubjectRulesReview_fields,
	.nfields = ARRAY_SIZE(authorization_SelfSubjectRulesReview_fields),
	.doc = "Lists what the caller may do in a namespace.",
};

static const struct sch_field authentication_TokenReviewSpec_fields[] = {
	{ "token", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The opaque bearer token." },
	{ "audiences", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Audiences the token should be valid for." },
};
const struct sch_type sch_authentication_TokenReviewSpec = {
	.name = "io.k8s.api.authentication.v1.TokenReviewSpec",
	.fields = authentication_TokenReviewSpec_fields,
	.nfields = ARRAY_SIZE(authentication_TokenReviewSpec_fields),
	.doc = "The token to check.",
};

static const struct sch_field authentication_TokenReviewStatus_fields[] = {
	{ "authenticated", 1, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Whether the token is valid." },
	{ "user", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_UserInfo,
	  "The user the token identifies." },
	{ "audiences", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Audiences the token is valid for." },
	{ "error", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Why the token could not be checked." },
};
const struct sch_type sch_authentication_TokenReviewStatus = {
	.name = "io.k8s.api.authentication.v1.TokenReviewStatus",
	.fields = authentication_TokenReviewStatus_fields,
	.nfields = ARRAY_SIZE(authentication_TokenReviewStatus_fields),
	.doc = "Whether the token is valid and whom it identifies.",
};

static const struct sch_field authentication_TokenReview_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_authentication_TokenReviewSpec,
	  "The token to check." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_TokenReviewStatus,
	  "The answer, filled in by the server." },
};
const struct sch_type sch_authentication_TokenReview = {
	.name = "io.k8s.api.authentication.v1.TokenReview",
	.fields = authentication_TokenReview_fields,
	.nfields = ARRAY_SIZE(authentication_TokenReview_fields),
	.doc = "Asks whether a bearer token is valid and whom it identifies.",
};
