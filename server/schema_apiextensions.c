/*
 * schema_apiextensions.c - the tables of apiextensions.k8s.io/v1: CustomResourceDefinition, its
 * parts and its list.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order with the
 * protobuf numbers of k8s.io/apiextensions-apiserver's generated.proto. JSONSchemaProps (a
 * recursive JSON Schema) and WebhookClientConfig are free-form (ST_ANY): apply treats them as
 * opaque, OpenAPI shows an open object, and a protobuf body carrying one is refused (clients send
 * CRDs as JSON). Facts follow Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field customResourceDefinition_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CustomResourceDefinition." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata; the name is <plural>.<group>." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_apiextensions_CustomResourceDefinitionSpec,
	  "How the custom kind is named and served." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceDefinitionStatus,
	  "Whether the kind is served, and under which names." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinition = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
	.fields = customResourceDefinition_fields,
	.nfields = ARRAY_SIZE(customResourceDefinition_fields),
	.doc = "A custom kind served by the API server: its names, versions and schemas.",
};

static const struct sch_field customResourceDefinitionSpec_fields[] = {
	{ "group", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The API group of the kind (/apis/<group>/<version>)." },
	{ "names", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_apiextensions_CustomResourceDefinitionNames,
	  "The resource and kind names." },
	{ "scope", 4, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Cluster or Namespaced." },
	{ "versions", 7, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apiextensions_CustomResourceDefinitionVersion,
	  "The versions served; exactly one is the storage version." },
	{ "conversion", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceConversion,
	  "How objects are converted between versions (None: only apiVersion changes)." },
	{ "preserveUnknownFields", 10, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Keep fields the schema does not know (deprecated; false for v1)." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinitionSpec = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec",
	.fields = customResourceDefinitionSpec_fields,
	.nfields = ARRAY_SIZE(customResourceDefinitionSpec_fields),
	.doc = "The names, scope and versions of a custom kind.",
};

static const struct sch_field customResourceDefinitionNames_fields[] = {
	{ "plural", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resource name in URLs, lower case." },
	{ "singular", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The singular name, lower case (defaults to the lower-case kind)." },
	{ "shortNames", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Short names kubectl accepts." },
	{ "kind", 4, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The kind of the objects, CamelCase." },
	{ "listKind", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The kind of lists (defaults to <kind>List)." },
	{ "categories", 6, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Groups of resources this one belongs to, such as all." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinitionNames = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames",
	.fields = customResourceDefinitionNames_fields,
	.nfields = ARRAY_SIZE(customResourceDefinitionNames_fields),
	.doc = "The names a custom kind is known by.",
};

static const struct sch_field customResourceDefinitionVersion_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The version name (v1, v1beta1)." },
	{ "served", 2, SK_BOOL, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the version is served." },
	{ "storage", 3, SK_BOOL, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether objects are stored in this version (exactly one)." },
	{ "schema", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceValidation,
	  "The schema of objects of this version." },
	{ "subresources", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceSubresources,
	  "The status and scale subresources." },
	{ "additionalPrinterColumns", 6, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_apiextensions_CustomResourceColumnDefinition,
	  "Columns kubectl get shows besides the name." },
	{ "deprecated", 7, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Whether requests to this version get a deprecation warning." },
	{ "deprecationWarning", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The warning text instead of the default one." },
	{ "selectableFields", 9, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_apiextensions_SelectableField,
	  "Fields that field selectors may use." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinitionVersion = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion",
	.fields = customResourceDefinitionVersion_fields,
	.nfields = ARRAY_SIZE(customResourceDefinitionVersion_fields),
	.doc = "One served version of a custom kind.",
};

static const struct sch_field customResourceValidation_fields[] = {
	{ "openAPIV3Schema", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_JSONSchemaProps,
	  "The OpenAPI v3 schema objects must match." },
};
const struct sch_type sch_apiextensions_CustomResourceValidation = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceValidation",
	.fields = customResourceValidation_fields,
	.nfields = ARRAY_SIZE(customResourceValidation_fields),
	.doc = "The validation schema of a version.",
};

const struct sch_type sch_apiextensions_JSONSchemaProps = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps",
	.flags = ST_ANY,
	.doc = "A JSON Schema (OpenAPI v3 subset) with Kubernetes extensions; free-form here.",
};

static const struct sch_field customResourceSubresources_fields[] = {
	{ "status", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceSubresourceStatus,
	  "Serve /status; the main resource then ignores status." },
	{ "scale", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceSubresourceScale,
	  "Serve /scale from the given paths." },
};
const struct sch_type sch_apiextensions_CustomResourceSubresources = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresources",
	.fields = customResourceSubresources_fields,
	.nfields = ARRAY_SIZE(customResourceSubresources_fields),
	.doc = "The subresources of a custom kind.",
};

const struct sch_type sch_apiextensions_CustomResourceSubresourceStatus = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceStatus",
	.doc = "Enables the status subresource (no fields).",
};

static const struct sch_field customResourceSubresourceScale_fields[] = {
	{ "specReplicasPath", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "JSON path of the desired replicas (.spec.replicas)." },
	{ "statusReplicasPath", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "JSON path of the observed replicas (.status.replicas)." },
	{ "labelSelectorPath", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "JSON path of the label selector in string form." },
};
const struct sch_type sch_apiextensions_CustomResourceSubresourceScale = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceSubresourceScale",
	.fields = customResourceSubresourceScale_fields,
	.nfields = ARRAY_SIZE(customResourceSubresourceScale_fields),
	.doc = "Where the scale subresource finds replicas and the selector.",
};

static const struct sch_field customResourceColumnDefinition_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The column header." },
	{ "type", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The OpenAPI type of the value (string, integer, number, boolean, date)." },
	{ "format", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The OpenAPI format of the value." },
	{ "description", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "What the column shows." },
	{ "priority", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "0: always shown; higher: only with -o wide." },
	{ "jsonPath", 6, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Simple JSONPath of the value in each object." },
};
const struct sch_type sch_apiextensions_CustomResourceColumnDefinition = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceColumnDefinition",
	.fields = customResourceColumnDefinition_fields,
	.nfields = ARRAY_SIZE(customResourceColumnDefinition_fields),
	.doc = "A column kubectl get shows for a custom kind.",
};

static const struct sch_field selectableField_fields[] = {
	{ "jsonPath", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Simple JSONPath of the field." },
};
const struct sch_type sch_apiextensions_SelectableField = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.SelectableField",
	.fields = selectableField_fields,
	.nfields = ARRAY_SIZE(selectableField_fields),
	.doc = "A field of a custom kind that field selectors may use.",
};

static const struct sch_field customResourceConversion_fields[] = {
	{ "strategy", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "None (only apiVersion changes) or Webhook." },
	{ "webhook", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_WebhookConversion,
	  "The conversion webhook (not called by kube)." },
};
const struct sch_type sch_apiextensions_CustomResourceConversion = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceConversion",
	.fields = customResourceConversion_fields,
	.nfields = ARRAY_SIZE(customResourceConversion_fields),
	.doc = "How objects are converted between the versions of a custom kind.",
};

static const struct sch_field webhookConversion_fields[] = {
	{ "clientConfig", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_WebhookClientConfig,
	  "How to reach the webhook." },
	{ "conversionReviewVersions", 3, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "ConversionReview versions the webhook understands." },
};
const struct sch_type sch_apiextensions_WebhookConversion = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookConversion",
	.fields = webhookConversion_fields,
	.nfields = ARRAY_SIZE(webhookConversion_fields),
	.doc = "A conversion webhook.",
};

const struct sch_type sch_apiextensions_WebhookClientConfig = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.WebhookClientConfig",
	.flags = ST_ANY,
	.doc = "How to reach a webhook (URL or Service, CA bundle); free-form here.",
};

static const struct sch_field customResourceDefinitionStatus_fields[] = {
	{ "conditions", 1, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_apiextensions_CustomResourceDefinitionCondition,
	  "Established, NamesAccepted, Terminating." },
	{ "acceptedNames", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_CustomResourceDefinitionNames,
	  "The names actually served." },
	{ "storedVersions", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Versions objects have ever been stored in." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinitionStatus = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus",
	.fields = customResourceDefinitionStatus_fields,
	.nfields = ARRAY_SIZE(customResourceDefinitionStatus_fields),
	.doc = "The observed state of a CustomResourceDefinition.",
};

static const struct sch_field customResourceDefinitionCondition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Established, NamesAccepted or Terminating." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastTransitionTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "CamelCase reason of the last transition." },
	{ "message", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinitionCondition = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionCondition",
	.fields = customResourceDefinitionCondition_fields,
	.nfields = ARRAY_SIZE(customResourceDefinitionCondition_fields),
	.doc = "A condition of a CustomResourceDefinition.",
};

static const struct sch_field customResourceDefinitionList_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CustomResourceDefinitionList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apiextensions_CustomResourceDefinition,
	  "The CustomResourceDefinitions." },
};
const struct sch_type sch_apiextensions_CustomResourceDefinitionList = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionList",
	.fields = customResourceDefinitionList_fields,
	.nfields = ARRAY_SIZE(customResourceDefinitionList_fields),
	.doc = "A list of CustomResourceDefinitions.",
};
/* apiextensions.k8s.io/v1beta1: the same objects in 1.15's shape (top-level version, validation,
 * subresources and printer columns), converted by the registry's view (crd.c). Only the
 * envelope is typed: the v1 tables would call the v1beta1-only fields unknown. */
const struct sch_type sch_apiextensions_v1beta1_CustomResourceDefinitionSpec = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinitionSpec",
	.flags = ST_ANY,
	.doc = "The names, scope, versions and validation of a custom kind, in v1beta1's shape; free-form here.",
};

const struct sch_type sch_apiextensions_v1beta1_CustomResourceDefinitionStatus = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinitionStatus",
	.flags = ST_ANY,
	.doc = "The observed state of a CustomResourceDefinition, in v1beta1's shape; free-form here.",
};

static const struct sch_field v1beta1_crd_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CustomResourceDefinition." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata; the name is <plural>.<group>." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_apiextensions_v1beta1_CustomResourceDefinitionSpec,
	  "How the custom kind is named and served." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apiextensions_v1beta1_CustomResourceDefinitionStatus,
	  "Whether the kind is served, and under which names." },
};
const struct sch_type sch_apiextensions_v1beta1_CustomResourceDefinition = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinition",
	.fields = v1beta1_crd_fields,
	.nfields = ARRAY_SIZE(v1beta1_crd_fields),
	.doc = "A custom kind served by the API server (v1beta1, deprecated: use v1).",
};

static const struct sch_field v1beta1_crd_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CustomResourceDefinitionList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apiextensions_v1beta1_CustomResourceDefinition,
	  "The CustomResourceDefinitions." },
};
const struct sch_type sch_apiextensions_v1beta1_CustomResourceDefinitionList = {
	.name = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1.CustomResourceDefinitionList",
	.fields = v1beta1_crd_list_fields,
	.nfields = ARRAY_SIZE(v1beta1_crd_list_fields),
	.doc = "A list of CustomResourceDefinitions (v1beta1).",
};
