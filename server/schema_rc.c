/*
 * schema_rc.c - the core/v1 ReplicationController tables (object, spec, status, condition,
 * list).
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order with
 * upstream's protobuf numbers (k8s.io/api/core/v1 generated.proto). The selector is a plain
 * string map (atomic for apply), unlike a ReplicaSet's LabelSelector; the status is the
 * ReplicaSet's. Facts follow Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field rc_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ReplicationController." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ReplicationControllerSpec,
	  "The desired replication controller." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ReplicationControllerStatus,
	  "The most recently observed state of the replication controller." },
};
const struct sch_type sch_core_ReplicationController = {
	.name = "io.k8s.api.core.v1.ReplicationController",
	.fields = rc_fields,
	.nfields = ARRAY_SIZE(rc_fields),
	.doc = "Keeps a given number of pods matching a label map running.",
};

static const struct sch_field rc_spec_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Desired number of pods; defaults to 1." },
	{ "minReadySeconds", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds a new pod must be ready before it counts as available." },
	{ "selector", 2, SK_STRING, SL_NONE, SF_MAP | SF_MAP_ATOMIC, NULL, NULL, NULL,
	  "Labels the pods must have; defaults to the template's labels." },
	{ "template", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodTemplateSpec,
	  "Template of the pods created when too few exist." },
};
const struct sch_type sch_core_ReplicationControllerSpec = {
	.name = "io.k8s.api.core.v1.ReplicationControllerSpec",
	.fields = rc_spec_fields,
	.nfields = ARRAY_SIZE(rc_spec_fields),
	.doc = "The desired state of a replication controller.",
};

static const struct sch_field rc_status_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Most recently observed number of pods." },
	{ "fullyLabeledReplicas", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods whose labels match the template's." },
	{ "readyReplicas", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods with a Ready condition." },
	{ "availableReplicas", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods ready for at least minReadySeconds." },
	{ "observedGeneration", 3, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Generation the status was computed for." },
	{ "conditions", 6, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_core_ReplicationControllerCondition,
	  "Observed conditions of the replication controller." },
};
const struct sch_type sch_core_ReplicationControllerStatus = {
	.name = "io.k8s.api.core.v1.ReplicationControllerStatus",
	.fields = rc_status_fields,
	.nfields = ARRAY_SIZE(rc_status_fields),
	.doc = "Observed state of a replication controller.",
};

static const struct sch_field rc_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition, such as ReplicaFailure." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastTransitionTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_core_ReplicationControllerCondition = {
	.name = "io.k8s.api.core.v1.ReplicationControllerCondition",
	.fields = rc_condition_fields,
	.nfields = ARRAY_SIZE(rc_condition_fields),
	.doc = "One observed condition of a replication controller.",
};

static const struct sch_field rc_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ReplicationControllerList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_ReplicationController,
	  "The ReplicationController objects." },
};
const struct sch_type sch_core_ReplicationControllerList = {
	.name = "io.k8s.api.core.v1.ReplicationControllerList",
	.fields = rc_list_fields,
	.nfields = ARRAY_SIZE(rc_list_fields),
	.doc = "A list of ReplicationController objects.",
};
