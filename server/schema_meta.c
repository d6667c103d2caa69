/*
 * schema_meta.c - the shared API types: meta/v1 (ObjectMeta, ListMeta, LabelSelector, Status,
 * DeleteOptions, Condition, WatchEvent, ...), core/v1 ObjectReference and Binding, autoscaling/v1
 * Scale, and the review objects of authentication.k8s.io/v1 and authorization.k8s.io/v1.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, one sch_type per API type, fields in upstream's
 * declaration order. These types are referenced from every other table file, which finds them by
 * the declarations SCH_TYPES makes in schema.h. Descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field object_meta_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the object, unique among objects of its kind in its namespace; cannot be changed "
	  "later." },
	{ "generateName", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Prefix from which the server generates a unique name when name is left empty." },
	{ "namespace", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace the object lives in; empty for cluster-scoped kinds." },
	{ "selfLink", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Legacy URL of the object; no longer filled in by the server." },
	{ "uid", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Unique identifier the server assigns when the object is created." },
	{ "resourceVersion", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Opaque version of the object, used for optimistic concurrency and watches." },
	{ "generation", 7, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Sequence number of the desired state, raised by the server on each spec change." },
	{ "creationTimestamp", 8, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the server created the object (RFC 3339, UTC)." },
	{ "deletionTimestamp", 9, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When graceful deletion was requested; set by the server, never by clients." },
	{ "deletionGracePeriodSeconds", 10, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds left to the object for graceful termination once deletion was requested." },
	{ "labels", 11, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Key/value pairs used to organise and select objects." },
	{ "annotations", 12, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Arbitrary non-identifying key/value metadata for tools and people." },
	{ "ownerReferences", 13, SK_OBJECT, SL_MAP, 0, "uid", NULL, &sch_meta_OwnerReference,
	  "Objects this one depends on; when all owners are gone it is garbage collected." },
	{ "finalizers", 14, SK_STRING, SL_SET, 0, NULL, NULL, NULL,
	  "Names of components that must clean up before the object is removed." },
	{ "managedFields", 17, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_meta_ManagedFieldsEntry,
	  "Which field managers own which fields, maintained by server-side apply." },
};
const struct sch_type sch_meta_ObjectMeta = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
	.fields = object_meta_fields,
	.nfields = ARRAY_SIZE(object_meta_fields),
	.doc = "Metadata that every persisted object carries: its identity, labels, annotations, owners "
	       "and bookkeeping set by the server.",
};

static const struct sch_field owner_reference_fields[] = {
	{ "apiVersion", 5, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "API version of the owner." },
	{ "kind", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kind of the owner." },
	{ "name", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the owner." },
	{ "uid", 4, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "UID of the owner." },
	{ "controller", 6, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True when the owner is the managing controller of this object." },
	{ "blockOwnerDeletion", 7, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "When true, foreground deletion of the owner waits for this dependent to go." },
};
const struct sch_type sch_meta_OwnerReference = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference",
	.fields = owner_reference_fields,
	.nfields = ARRAY_SIZE(owner_reference_fields),
	.flags = ST_ATOMIC,
	.doc = "Identifies an owning object in the same namespace (or cluster scope) as the dependent.",
};

static const struct sch_field managed_fields_entry_fields[] = {
	{ "manager", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the field manager (the workflow that changed the fields)." },
	{ "operation", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Operation that produced this entry: Apply or Update." },
	{ "apiVersion", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version the field set is expressed in." },
	{ "time", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the entry last changed." },
	{ "fieldsType", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Format of fieldsV1; always FieldsV1." },
	{ "fieldsV1", 7, SK_RAW, SL_NONE, 0, NULL, NULL, NULL,
	  "The owned fields, as a trie of f:, k:, v: and i: keys." },
	{ "subresource", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Subresource the update went through, or empty for the main resource." },
};
const struct sch_type sch_meta_ManagedFieldsEntry = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry",
	.fields = managed_fields_entry_fields,
	.nfields = ARRAY_SIZE(managed_fields_entry_fields),
	.doc = "The set of fields one manager owns, for one API version of the object.",
};

static const struct sch_field label_selector_fields[] = {
	{ "matchLabels", 1, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Labels that must all be present with exactly these values." },
	{ "matchExpressions", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_meta_LabelSelectorRequirement,
	  "Set-based requirements that must all hold." },
};
const struct sch_type sch_meta_LabelSelector = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
	.fields = label_selector_fields,
	.nfields = ARRAY_SIZE(label_selector_fields),
	.flags = ST_ATOMIC,
	.doc = "A label query; matchLabels and matchExpressions are ANDed, and an empty selector matches "
	       "everything.",
};

static const struct sch_field label_selector_requirement_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The label key the requirement applies to." },
	{ "operator", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How the key relates to the values: In, NotIn, Exists or DoesNotExist." },
	{ "values", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Values for In and NotIn; empty for Exists and DoesNotExist." },
};
const struct sch_type sch_meta_LabelSelectorRequirement = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement",
	.fields = label_selector_requirement_fields,
	.nfields = ARRAY_SIZE(label_selector_requirement_fields),
	.doc = "One set-based requirement on a label key.",
};

static const struct sch_field list_meta_fields[] = {
	{ "selfLink", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Legacy URL of the list; no longer filled in." },
	{ "resourceVersion", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Version of the collection the list was read at." },
	{ "continue", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Opaque token to fetch the next page when the list was limited." },
	{ "remainingItemCount", 4, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Approximate number of items after this page, when known." },
};
const struct sch_type sch_meta_ListMeta = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
	.fields = list_meta_fields,
	.nfields = ARRAY_SIZE(list_meta_fields),
	.doc = "Metadata of a list or other synthetic response.",
};

static const struct sch_field status_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Status." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "status", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Success or Failure." },
	{ "message", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable description of what happened." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for a failure, such as NotFound or Conflict." },
	{ "details", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_StatusDetails,
	  "Extra data about the failure, depending on the reason." },
	{ "code", 6, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Suggested HTTP status code." },
};
const struct sch_type sch_meta_Status = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
	.fields = status_fields,
	.nfields = ARRAY_SIZE(status_fields),
	.doc = "The result of a call that returns no object, most often an error.",
};

static const struct sch_field status_details_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the resource the status is about." },
	{ "group", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API group of that resource." },
	{ "kind", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of that resource." },
	{ "uid", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "UID of that resource." },
	{ "causes", 4, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_meta_StatusCause,
	  "Individual problems behind the failure, such as invalid fields." },
	{ "retryAfterSeconds", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds the client should wait before retrying." },
};
const struct sch_type sch_meta_StatusDetails = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails",
	.fields = status_details_fields,
	.nfields = ARRAY_SIZE(status_details_fields),
	.doc = "Additional facts about a failed call, keyed by its reason.",
};

static const struct sch_field status_cause_fields[] = {
	{ "reason", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable kind of the cause, such as FieldValueInvalid." },
	{ "message", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable description of the cause." },
	{ "field", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path of the offending field, such as spec.containers[0].image." },
};
const struct sch_type sch_meta_StatusCause = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause",
	.fields = status_cause_fields,
	.nfields = ARRAY_SIZE(status_cause_fields),
	.doc = "One cause of a failed call.",
};

static const struct sch_field delete_options_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: DeleteOptions." },
	{ "gracePeriodSeconds", 1, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds to wait before deleting; zero deletes at once, unset uses the kind's default." },
	{ "preconditions", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_Preconditions,
	  "Conditions the object must meet for the delete to proceed." },
	{ "orphanDependents", 3, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Deprecated: whether to orphan dependents; use propagationPolicy." },
	{ "propagationPolicy", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How dependents are garbage collected: Orphan, Background or Foreground." },
	{ "dryRun", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "When set to All, the request is validated but nothing is persisted." },
	{ "ignoreStoreReadErrorWithClusterBreakingPotential", 6, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL,
	  NULL,
	  "Force-delete an object that cannot be read from storage; unsafe." },
};
const struct sch_type sch_meta_DeleteOptions = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
	.fields = delete_options_fields,
	.nfields = ARRAY_SIZE(delete_options_fields),
	.doc = "Options for a delete request.",
};

static const struct sch_field preconditions_fields[] = {
	{ "uid", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The UID the object must have." },
	{ "resourceVersion", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resourceVersion the object must have." },
};
const struct sch_type sch_meta_Preconditions = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions",
	.fields = preconditions_fields,
	.nfields = ARRAY_SIZE(preconditions_fields),
	.doc = "Conditions an object must meet before an operation proceeds.",
};

static const struct sch_field condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition, in CamelCase." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "observedGeneration", 3, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "metadata.generation the condition was computed from." },
	{ "lastTransitionTime", 4, SK_TIME, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 5, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Machine-readable CamelCase reason for the last transition." },
	{ "message", 6, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_meta_Condition = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.Condition",
	.fields = condition_fields,
	.nfields = ARRAY_SIZE(condition_fields),
	.doc = "One aspect of an object's current state, in the standard condition shape.",
};

static const struct sch_field watch_event_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "ADDED, MODIFIED, DELETED, BOOKMARK or ERROR." },
	{ "object", 2, SK_RAW, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "The object the event is about (a Status for ERROR)." },
};
const struct sch_type sch_meta_WatchEvent = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
	.fields = watch_event_fields,
	.nfields = ARRAY_SIZE(watch_event_fields),
	.doc = "One event of a watch stream.",
};

static const struct sch_field scale_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Scale." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_ScaleSpec,
	  "The desired scale." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_ScaleStatus,
	  "The observed scale." },
};
const struct sch_type sch_autoscaling_Scale = {
	.name = "io.k8s.api.autoscaling.v1.Scale",
	.fields = scale_fields,
	.nfields = ARRAY_SIZE(scale_fields),
	.doc = "The scale subresource of a scalable object.",
};

static const struct sch_field scale_spec_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Desired number of instances." },
};
const struct sch_type sch_autoscaling_ScaleSpec = {
	.name = "io.k8s.api.autoscaling.v1.ScaleSpec",
	.fields = scale_spec_fields,
	.nfields = ARRAY_SIZE(scale_spec_fields),
	.doc = "Desired scale of an object.",
};

static const struct sch_field scale_status_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of instances observed." },
	{ "selector", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Label query over the pods counted in replicas, in string form." },
};
const struct sch_type sch_autoscaling_ScaleStatus = {
	.name = "io.k8s.api.autoscaling.v1.ScaleStatus",
	.fields = scale_status_fields,
	.nfields = ARRAY_SIZE(scale_status_fields),
	.doc = "Observed scale of an object.",
};

static const struct sch_field binding_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Binding." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata; the name is the pod's." },
	{ "target", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_ObjectReference,
	  "The node the pod is bound to." },
};
const struct sch_type sch_core_Binding = {
	.name = "io.k8s.api.core.v1.Binding",
	.fields = binding_fields,
	.nfields = ARRAY_SIZE(binding_fields),
	.doc = "Binds a pod to a node; posted to the binding subresource by schedulers.",
};

static const struct sch_field object_reference_fields[] = {
	{ "kind", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of the object." },
	{ "namespace", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace of the object." },
	{ "name", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the object." },
	{ "uid", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "UID of the object." },
	{ "apiVersion", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of the object." },
	{ "resourceVersion", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Specific resourceVersion referred to, if any." },
	{ "fieldPath", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Part of the object referred to, such as spec.containers{name}." },
};
const struct sch_type sch_core_ObjectReference = {
	.name = "io.k8s.api.core.v1.ObjectReference",
	.fields = object_reference_fields,
	.nfields = ARRAY_SIZE(object_reference_fields),
	.flags = ST_ATOMIC,
	.doc = "Refers to an object, or to a part of one, by kind, namespace and name.",
};

static const struct sch_field token_request_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: TokenRequest." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_authentication_TokenRequestSpec,
	  "What the token is for." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_TokenRequestStatus,
	  "The issued token." },
};
const struct sch_type sch_authentication_TokenRequest = {
	.name = "io.k8s.api.authentication.v1.TokenRequest",
	.fields = token_request_fields,
	.nfields = ARRAY_SIZE(token_request_fields),
	.doc = "Asks for a token of a service account, posted to its token subresource.",
};

static const struct sch_field token_request_spec_fields[] = {
	{ "audiences", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Intended audiences of the token; recipients must find themselves in it." },
	{ "expirationSeconds", 4, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Requested validity in seconds; the issuer may grant a different one." },
	{ "boundObjectRef", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_BoundObjectReference,
	  "Object the token is bound to; the token is valid only while it exists." },
};
const struct sch_type sch_authentication_TokenRequestSpec = {
	.name = "io.k8s.api.authentication.v1.TokenRequestSpec",
	.fields = token_request_spec_fields,
	.nfields = ARRAY_SIZE(token_request_spec_fields),
	.doc = "Parameters of a token request.",
};

static const struct sch_field token_request_status_fields[] = {
	{ "token", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The opaque bearer token." },
	{ "expirationTimestamp", 2, SK_TIME, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "When the token expires." },
};
const struct sch_type sch_authentication_TokenRequestStatus = {
	.name = "io.k8s.api.authentication.v1.TokenRequestStatus",
	.fields = token_request_status_fields,
	.nfields = ARRAY_SIZE(token_request_status_fields),
	.doc = "The result of a token request.",
};

static const struct sch_field bound_object_reference_fields[] = {
	{ "kind", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of the object: Pod, Secret or Node." },
	{ "apiVersion", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of the object." },
	{ "name", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the object." },
	{ "uid", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "UID of the object." },
};
const struct sch_type sch_authentication_BoundObjectReference = {
	.name = "io.k8s.api.authentication.v1.BoundObjectReference",
	.fields = bound_object_reference_fields,
	.nfields = ARRAY_SIZE(bound_object_reference_fields),
	.doc = "The object a token is bound to.",
};

static const struct sch_field self_subject_review_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: SelfSubjectReview." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "status", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_SelfSubjectReviewStatus,
	  "The caller's user attributes, filled in by the server." },
};
const struct sch_type sch_authentication_SelfSubjectReview = {
	.name = "io.k8s.api.authentication.v1.SelfSubjectReview",
	.fields = self_subject_review_fields,
	.nfields = ARRAY_SIZE(self_subject_review_fields),
	.doc = "Reports the user attributes the server sees for the caller.",
};

static const struct sch_field self_subject_review_status_fields[] = {
	{ "userInfo", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_UserInfo,
	  "Attributes of the user making the request." },
};
const struct sch_type sch_authentication_SelfSubjectReviewStatus = {
	.name = "io.k8s.api.authentication.v1.SelfSubjectReviewStatus",
	.fields = self_subject_review_status_fields,
	.nfields = ARRAY_SIZE(self_subject_review_status_fields),
	.doc = "The result of a self subject review.",
};

static const struct sch_field user_info_fields[] = {
	{ "username", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name identifying the user." },
	{ "uid", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Value identifying the user across time, even when names are reused." },
	{ "groups", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Groups the user belongs to." },
	{ "extra", 4, SK_STRING, SL_ATOMIC, SF_MAP, NULL, NULL, NULL,
	  "Further information from the authenticator, each key with a list of values." },
};
const struct sch_type sch_authentication_UserInfo = {
	.name = "io.k8s.api.authentication.v1.UserInfo",
	.fields = user_info_fields,
	.nfields = ARRAY_SIZE(user_info_fields),
	.doc = "Attributes of an authenticated user.",
};

static const struct sch_field self_subject_access_review_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: SelfSubjectAccessReview." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL,
	  &sch_authorization_SelfSubjectAccessReviewSpec,
	  "The action to check." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_SubjectAccessReviewStatus,
	  "The answer, filled in by the server." },
};
const struct sch_type sch_authorization_SelfSubjectAccessReview = {
	.name = "io.k8s.api.authorization.v1.SelfSubjectAccessReview",
	.fields = self_subject_access_review_fields,
	.nfields = ARRAY_SIZE(self_subject_access_review_fields),
	.doc = "Asks whether the caller may perform an action.",
};

static const struct sch_field self_subject_access_review_spec_fields[] = {
	{ "resourceAttributes", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_ResourceAttributes,
	  "An action on a resource." },
	{ "nonResourceAttributes", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_authorization_NonResourceAttributes,
	  "An action on a non-resource URL." },
};
const struct sch_type sch_authorization_SelfSubjectAccessReviewSpec = {
	.name = "io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec",
	.fields = self_subject_access_review_spec_fields,
	.nfields = ARRAY_SIZE(self_subject_access_review_spec_fields),
	.doc = "The action to check; exactly one member is set.",
};

static const struct sch_field resource_attributes_fields[] = {
	{ "namespace", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace of the action; empty means all namespaces (or a cluster-scoped resource)." },
	{ "verb", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API verb, such as get, list or create; * means all." },
	{ "group", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API group of the resource; * means all." },
	{ "version", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of the resource; * means all." },
	{ "resource", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Resource type, such as pods; * means all." },
	{ "subresource", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Subresource, such as status; empty means none." },
	{ "name", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the object; empty means all." },
	{ "fieldSelector", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_FieldSelectorAttributes,
	  "Field-based limit on the objects the action covers." },
	{ "labelSelector", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authorization_LabelSelectorAttributes,
	  "Label-based limit on the objects the action covers." },
};
const struct sch_type sch_authorization_ResourceAttributes = {
	.name = "io.k8s.api.authorization.v1.ResourceAttributes",
	.fields = resource_attributes_fields,
	.nfields = ARRAY_SIZE(resource_attributes_fields),
	.doc = "Describes an action on a resource, as the authorizer sees it.",
};

static const struct sch_field non_resource_attributes_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "URL path of the request." },
	{ "verb", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "HTTP verb of the request, lowercase." },
};
const struct sch_type sch_authorization_NonResourceAttributes = {
	.name = "io.k8s.api.authorization.v1.NonResourceAttributes",
	.fields = non_resource_attributes_fields,
	.nfields = ARRAY_SIZE(non_resource_attributes_fields),
	.doc = "Describes a request to a non-resource URL.",
};

static const struct sch_field field_selector_attributes_fields[] = {
	{ "rawSelector", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The selector as a query parameter string." },
	{ "requirements", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_meta_FieldSelectorRequirement,
	  "The selector as parsed requirements, all of which must hold." },
};
const struct sch_type sch_authorization_FieldSelectorAttributes = {
	.name = "io.k8s.api.authorization.v1.FieldSelectorAttributes",
	.fields = field_selector_attributes_fields,
	.nfields = ARRAY_SIZE(field_selector_attributes_fields),
	.doc = "A field selector limiting an access check; set one member.",
};

static const struct sch_field label_selector_attributes_fields[] = {
	{ "rawSelector", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The selector as a query parameter string." },
	{ "requirements", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_meta_LabelSelectorRequirement,
	  "The selector as parsed requirements, all of which must hold." },
};
const struct sch_type sch_authorization_LabelSelectorAttributes = {
	.name = "io.k8s.api.authorization.v1.LabelSelectorAttributes",
	.fields = label_selector_attributes_fields,
	.nfields = ARRAY_SIZE(label_selector_attributes_fields),
	.doc = "A label selector limiting an access check; set one member.",
};

static const struct sch_field field_selector_requirement_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The field the requirement applies to." },
	{ "operator", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "In, NotIn, Exists or DoesNotExist." },
	{ "values", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Values for In and NotIn; empty otherwise." },
};
const struct sch_type sch_meta_FieldSelectorRequirement = {
	.name = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement",
	.fields = field_selector_requirement_fields,
	.nfields = ARRAY_SIZE(field_selector_requirement_fields),
	.doc = "One requirement on a field.",
};

static const struct sch_field subject_access_review_status_fields[] = {
	{ "allowed", 1, SK_BOOL, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the action is allowed." },
	{ "denied", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Whether the action is explicitly denied; both false means no opinion." },
	{ "reason", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Why the action was allowed or denied." },
	{ "evaluationError", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Error met while evaluating, if any; the answer may still be usable." },
};
const struct sch_type sch_authorization_SubjectAccessReviewStatus = {
	.name = "io.k8s.api.authorization.v1.SubjectAccessReviewStatus",
	.fields = subject_access_review_status_fields,
	.nfields = ARRAY_SIZE(subject_access_review_status_fields),
	.doc = "The answer to an access review.",
};

static const struct sch_field v1beta1_self_subject_review_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: SelfSubjectReview." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "status", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_v1beta1_SelfSubjectReviewStatus,
	  "The caller's user attributes, filled in by the server." },
};
const struct sch_type sch_authentication_v1beta1_SelfSubjectReview = {
	.name = "io.k8s.api.authentication.v1beta1.SelfSubjectReview",
	.fields = v1beta1_self_subject_review_fields,
	.nfields = ARRAY_SIZE(v1beta1_self_subject_review_fields),
	.doc = "Reports the user attributes the server sees for the caller (v1beta1, used by kubectl "
	       "1.27).",
};

static const struct sch_field v1beta1_self_subject_review_status_fields[] = {
	{ "userInfo", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_authentication_UserInfo,
	  "Attributes of the user making the request." },
};
const struct sch_type sch_authentication_v1beta1_SelfSubjectReviewStatus = {
	.name = "io.k8s.api.authentication.v1beta1.SelfSubjectReviewStatus",
	.fields = v1beta1_self_subject_review_status_fields,
	.nfields = ARRAY_SIZE(v1beta1_self_subject_review_status_fields),
	.doc = "The result of a self subject review (v1beta1).",
};
