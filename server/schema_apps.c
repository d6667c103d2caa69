/*
 * schema_apps.c - the apps/v1 tables: Deployment, ReplicaSet, DaemonSet, StatefulSet (with the
 * core/v1 PersistentVolumeClaim of its volumeClaimTemplates) and ControllerRevision, with their
 * list types.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order. The pod
 * template and the claim spec are core/v1 types declared by SCH_TYPES in schema.h. Facts follow
 * Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field stateful_set_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: StatefulSet." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_StatefulSetSpec,
	  "The desired set of pods." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_StatefulSetStatus,
	  "The observed state of the set." },
};
const struct sch_type sch_apps_StatefulSet = {
	.name = "io.k8s.api.apps.v1.StatefulSet",
	.fields = stateful_set_fields,
	.nfields = ARRAY_SIZE(stateful_set_fields),
	.doc = "Runs pods with stable identities: each keeps its name, network identity and storage.",
};

static const struct sch_field stateful_set_update_strategy_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "RollingUpdate (the default) or OnDelete." },
	{ "rollingUpdate", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_RollingUpdateStatefulSetStrategy,
	  "Parameters of a rolling update." },
};
const struct sch_type sch_apps_StatefulSetUpdateStrategy = {
	.name = "io.k8s.api.apps.v1.StatefulSetUpdateStrategy",
	.fields = stateful_set_update_strategy_fields,
	.nfields = ARRAY_SIZE(stateful_set_update_strategy_fields),
	.doc = "How a StatefulSet replaces its pods when the template changes.",
};

static const struct sch_field rolling_update_stateful_set_strategy_fields[] = {
	{ "partition", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Only pods with an ordinal at or above this number are updated." },
	{ "maxUnavailable", 2, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Maximum number or percentage of pods unavailable during the update (alpha)." },
};
const struct sch_type sch_apps_RollingUpdateStatefulSetStrategy = {
	.name = "io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy",
	.fields = rolling_update_stateful_set_strategy_fields,
	.nfields = ARRAY_SIZE(rolling_update_stateful_set_strategy_fields),
	.doc = "Parameters of a StatefulSet rolling update.",
};

static const struct sch_field stateful_set_persistent_volume_claim_retention_policy_fields[] = {
	{ "whenDeleted", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Retain (the default) or Delete the claims when the set is deleted." },
	{ "whenScaled", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Retain (the default) or Delete the claims of pods removed by scaling down." },
};
const struct sch_type sch_apps_StatefulSetPersistentVolumeClaimRetentionPolicy = {
	.name = "io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy",
	.fields = stateful_set_persistent_volume_claim_retention_policy_fields,
	.nfields = ARRAY_SIZE(stateful_set_persistent_volume_claim_retention_policy_fields),
	.doc = "What happens to the claims of a StatefulSet's pods when the set is deleted or scaled "
	       "down.",
};

static const struct sch_field stateful_set_ordinals_fields[] = {
	{ "start", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Index of the first replica; defaults to 0." },
};
const struct sch_type sch_apps_StatefulSetOrdinals = {
	.name = "io.k8s.api.apps.v1.StatefulSetOrdinals",
	.fields = stateful_set_ordinals_fields,
	.nfields = ARRAY_SIZE(stateful_set_ordinals_fields),
	.doc = "How the replicas of a StatefulSet are numbered.",
};

static const struct sch_field stateful_set_spec_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Desired number of pods; defaults to 1." },
	{ "selector", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods; must match the template's labels." },
	{ "template", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_PodTemplateSpec,
	  "Template of the pods, each named <set>-<ordinal>." },
	{ "volumeClaimTemplates", 4, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_PersistentVolumeClaim,
	  "Claims created for each pod and mounted by name." },
	{ "serviceName", 5, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Headless service that gives the pods their network identity." },
	{ "podManagementPolicy", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "OrderedReady (the default) or Parallel." },
	{ "updateStrategy", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_StatefulSetUpdateStrategy,
	  "How pods are replaced when the template changes." },
	{ "revisionHistoryLimit", 8, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of old revisions to keep; defaults to 10." },
	{ "minReadySeconds", 9, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds a new pod must be ready before it counts as available." },
	{ "persistentVolumeClaimRetentionPolicy", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_apps_StatefulSetPersistentVolumeClaimRetentionPolicy,
	  "What happens to the claims when the set is deleted or scaled down." },
	{ "ordinals", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_StatefulSetOrdinals,
	  "How replicas are numbered." },
};
const struct sch_type sch_apps_StatefulSetSpec = {
	.name = "io.k8s.api.apps.v1.StatefulSetSpec",
	.fields = stateful_set_spec_fields,
	.nfields = ARRAY_SIZE(stateful_set_spec_fields),
	.doc = "The desired state of a StatefulSet.",
};

static const struct sch_field stateful_set_status_fields[] = {
	{ "observedGeneration", 1, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Most recent generation the controller has observed." },
	{ "replicas", 2, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of pods the controller created." },
	{ "readyReplicas", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods with a Ready condition." },
	{ "currentReplicas", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods at the current revision." },
	{ "updatedReplicas", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods at the update revision." },
	{ "currentRevision", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Revision of the pods in [0, currentReplicas)." },
	{ "updateRevision", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Revision of the pods in [replicas-updatedReplicas, replicas)." },
	{ "collisionCount", 9, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Count of revision name hash collisions, used to make new names unique." },
	{ "conditions", 10, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_apps_StatefulSetCondition,
	  "Observed conditions of the set." },
	{ "availableReplicas", 11, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of pods ready for at least minReadySeconds." },
};
const struct sch_type sch_apps_StatefulSetStatus = {
	.name = "io.k8s.api.apps.v1.StatefulSetStatus",
	.fields = stateful_set_status_fields,
	.nfields = ARRAY_SIZE(stateful_set_status_fields),
	.doc = "Observed state of a StatefulSet.",
};

static const struct sch_field stateful_set_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastTransitionTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_apps_StatefulSetCondition = {
	.name = "io.k8s.api.apps.v1.StatefulSetCondition",
	.fields = stateful_set_condition_fields,
	.nfields = ARRAY_SIZE(stateful_set_condition_fields),
	.doc = "One observed condition of a StatefulSet.",
};

static const struct sch_field deployment_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Deployment." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_DeploymentSpec,
	  "The desired deployment." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_DeploymentStatus,
	  "The observed state of the deployment." },
};
const struct sch_type sch_apps_Deployment = {
	.name = "io.k8s.api.apps.v1.Deployment",
	.fields = deployment_fields,
	.nfields = ARRAY_SIZE(deployment_fields),
	.doc = "Declarative updates for a set of identical pods, rolled out through ReplicaSets.",
};

static const struct sch_field deployment_spec_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Desired number of pods; defaults to 1." },
	{ "selector", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods; must match the template's labels." },
	{ "template", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_PodTemplateSpec,
	  "Template of the pods." },
	{ "strategy", 4, SK_OBJECT, SL_NONE, SF_RETAIN_KEYS, NULL, NULL, &sch_apps_DeploymentStrategy,
	  "How old pods are replaced by new ones." },
	{ "minReadySeconds", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds a new pod must be ready before it counts as available." },
	{ "revisionHistoryLimit", 6, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of old ReplicaSets kept for rollback; defaults to 10." },
	{ "paused", 7, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Whether the rollout is paused." },
	{ "progressDeadlineSeconds", 9, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds without progress after which the rollout is reported failed; defaults to 600." },
};
const struct sch_type sch_apps_DeploymentSpec = {
	.name = "io.k8s.api.apps.v1.DeploymentSpec",
	.fields = deployment_spec_fields,
	.nfields = ARRAY_SIZE(deployment_spec_fields),
	.doc = "The desired state of a Deployment.",
};

static const struct sch_field deployment_strategy_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "RollingUpdate (the default) or Recreate." },
	{ "rollingUpdate", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_RollingUpdateDeployment,
	  "Parameters of a rolling update." },
};
const struct sch_type sch_apps_DeploymentStrategy = {
	.name = "io.k8s.api.apps.v1.DeploymentStrategy",
	.fields = deployment_strategy_fields,
	.nfields = ARRAY_SIZE(deployment_strategy_fields),
	.doc = "How a Deployment replaces old pods with new ones.",
};

static const struct sch_field rolling_update_deployment_fields[] = {
	{ "maxUnavailable", 1, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Maximum number or percentage of pods unavailable during the update; defaults to 25%." },
	{ "maxSurge", 2, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Maximum number or percentage of pods above the desired count; defaults to 25%." },
};
const struct sch_type sch_apps_RollingUpdateDeployment = {
	.name = "io.k8s.api.apps.v1.RollingUpdateDeployment",
	.fields = rolling_update_deployment_fields,
	.nfields = ARRAY_SIZE(rolling_update_deployment_fields),
	.doc = "Parameters of a Deployment rolling update.",
};

static const struct sch_field deployment_status_fields[] = {
	{ "observedGeneration", 1, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Most recent generation the controller has observed." },
	{ "replicas", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of non-terminating pods targeted by the deployment." },
	{ "updatedReplicas", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of non-terminating pods with the current template." },
	{ "readyReplicas", 7, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods with a Ready condition." },
	{ "availableReplicas", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods ready for at least minReadySeconds." },
	{ "unavailableReplicas", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods still needed for full availability." },
	{ "terminatingReplicas", 9, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of terminating pods (with a deletion timestamp) targeted by the deployment." },
	{ "conditions", 6, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_apps_DeploymentCondition,
	  "Observed conditions, such as Available and Progressing." },
	{ "collisionCount", 8, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Count of ReplicaSet name hash collisions, used to make new names unique." },
};
const struct sch_type sch_apps_DeploymentStatus = {
	.name = "io.k8s.api.apps.v1.DeploymentStatus",
	.fields = deployment_status_fields,
	.nfields = ARRAY_SIZE(deployment_status_fields),
	.doc = "Observed state of a Deployment.",
};

static const struct sch_field deployment_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition: Available, Progressing or ReplicaFailure." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastUpdateTime", 6, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition was last updated." },
	{ "lastTransitionTime", 7, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_apps_DeploymentCondition = {
	.name = "io.k8s.api.apps.v1.DeploymentCondition",
	.fields = deployment_condition_fields,
	.nfields = ARRAY_SIZE(deployment_condition_fields),
	.doc = "One observed condition of a Deployment.",
};

static const struct sch_field daemon_set_update_strategy_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "RollingUpdate (the default) or OnDelete." },
	{ "rollingUpdate", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_RollingUpdateDaemonSet,
	  "Parameters of a rolling update." },
};
const struct sch_type sch_apps_DaemonSetUpdateStrategy = {
	.name = "io.k8s.api.apps.v1.DaemonSetUpdateStrategy",
	.fields = daemon_set_update_strategy_fields,
	.nfields = ARRAY_SIZE(daemon_set_update_strategy_fields),
	.doc = "How a DaemonSet replaces its pods when the template changes.",
};

static const struct sch_field rolling_update_daemon_set_fields[] = {
	{ "maxUnavailable", 1, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Maximum number or percentage of daemon pods unavailable during the update; defaults to 1." },
	{ "maxSurge", 2, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Maximum number or percentage of nodes that may run an extra, updated pod; defaults to 0." },
};
const struct sch_type sch_apps_RollingUpdateDaemonSet = {
	.name = "io.k8s.api.apps.v1.RollingUpdateDaemonSet",
	.fields = rolling_update_daemon_set_fields,
	.nfields = ARRAY_SIZE(rolling_update_daemon_set_fields),
	.doc = "Parameters of a DaemonSet rolling update.",
};

static const struct sch_field daemon_set_spec_fields[] = {
	{ "selector", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods; must match the template's labels." },
	{ "template", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_PodTemplateSpec,
	  "Template of the pod run on every eligible node." },
	{ "updateStrategy", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_DaemonSetUpdateStrategy,
	  "How pods are replaced when the template changes." },
	{ "minReadySeconds", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds a new pod must be ready before it counts as available." },
	{ "revisionHistoryLimit", 6, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of old revisions kept for rollback; defaults to 10." },
};
const struct sch_type sch_apps_DaemonSetSpec = {
	.name = "io.k8s.api.apps.v1.DaemonSetSpec",
	.fields = daemon_set_spec_fields,
	.nfields = ARRAY_SIZE(daemon_set_spec_fields),
	.doc = "The desired state of a DaemonSet.",
};

static const struct sch_field daemon_set_status_fields[] = {
	{ "currentNumberScheduled", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Nodes running a daemon pod that should run one." },
	{ "numberMisscheduled", 2, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Nodes running a daemon pod that should not run one." },
	{ "desiredNumberScheduled", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Nodes that should run a daemon pod." },
	{ "numberReady", 4, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Nodes whose daemon pod is ready." },
	{ "observedGeneration", 5, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Most recent generation the controller has observed." },
	{ "updatedNumberScheduled", 6, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Nodes running an updated daemon pod." },
	{ "numberAvailable", 7, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Nodes whose daemon pod is available (ready for minReadySeconds)." },
	{ "numberUnavailable", 8, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Nodes that should run a daemon pod but have none available." },
	{ "collisionCount", 9, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Count of revision name hash collisions, used to make new names unique." },
	{ "conditions", 10, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_apps_DaemonSetCondition,
	  "Observed conditions of the DaemonSet." },
};
const struct sch_type sch_apps_DaemonSetStatus = {
	.name = "io.k8s.api.apps.v1.DaemonSetStatus",
	.fields = daemon_set_status_fields,
	.nfields = ARRAY_SIZE(daemon_set_status_fields),
	.doc = "Observed state of a DaemonSet.",
};

static const struct sch_field daemon_set_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastTransitionTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_apps_DaemonSetCondition = {
	.name = "io.k8s.api.apps.v1.DaemonSetCondition",
	.fields = daemon_set_condition_fields,
	.nfields = ARRAY_SIZE(daemon_set_condition_fields),
	.doc = "One observed condition of a DaemonSet.",
};

static const struct sch_field daemon_set_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: DaemonSet." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_DaemonSetSpec,
	  "The desired DaemonSet." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_DaemonSetStatus,
	  "The observed state of the DaemonSet." },
};
const struct sch_type sch_apps_DaemonSet = {
	.name = "io.k8s.api.apps.v1.DaemonSet",
	.fields = daemon_set_fields,
	.nfields = ARRAY_SIZE(daemon_set_fields),
	.doc = "Runs a copy of a pod on every eligible node.",
};

static const struct sch_field replica_set_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ReplicaSet." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_ReplicaSetSpec,
	  "The desired ReplicaSet." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_apps_ReplicaSetStatus,
	  "The observed state of the ReplicaSet." },
};
const struct sch_type sch_apps_ReplicaSet = {
	.name = "io.k8s.api.apps.v1.ReplicaSet",
	.fields = replica_set_fields,
	.nfields = ARRAY_SIZE(replica_set_fields),
	.doc = "Keeps a given number of identical pods running.",
};

static const struct sch_field replica_set_spec_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Desired number of pods; defaults to 1." },
	{ "minReadySeconds", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds a new pod must be ready before it counts as available." },
	{ "selector", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods; must match the template's labels." },
	{ "template", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodTemplateSpec,
	  "Template of the pods created when too few exist." },
};
const struct sch_type sch_apps_ReplicaSetSpec = {
	.name = "io.k8s.api.apps.v1.ReplicaSetSpec",
	.fields = replica_set_spec_fields,
	.nfields = ARRAY_SIZE(replica_set_spec_fields),
	.doc = "The desired state of a ReplicaSet.",
};

static const struct sch_field replica_set_status_fields[] = {
	{ "replicas", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Most recently observed number of non-terminating pods." },
	{ "fullyLabeledReplicas", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods whose labels match the template's." },
	{ "readyReplicas", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods with a Ready condition." },
	{ "availableReplicas", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of pods ready for at least minReadySeconds." },
	{ "terminatingReplicas", 7, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of terminating pods (with a deletion timestamp)." },
	{ "observedGeneration", 3, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Most recent generation the controller has observed." },
	{ "conditions", 6, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_apps_ReplicaSetCondition,
	  "Observed conditions of the ReplicaSet." },
};
const struct sch_type sch_apps_ReplicaSetStatus = {
	.name = "io.k8s.api.apps.v1.ReplicaSetStatus",
	.fields = replica_set_status_fields,
	.nfields = ARRAY_SIZE(replica_set_status_fields),
	.doc = "Observed state of a ReplicaSet.",
};

static const struct sch_field replica_set_condition_fields[] = {
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
const struct sch_type sch_apps_ReplicaSetCondition = {
	.name = "io.k8s.api.apps.v1.ReplicaSetCondition",
	.fields = replica_set_condition_fields,
	.nfields = ARRAY_SIZE(replica_set_condition_fields),
	.doc = "One observed condition of a ReplicaSet.",
};

static const struct sch_field controller_revision_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ControllerRevision." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "data", 2, SK_RAW, SL_NONE, 0, NULL, NULL, NULL,
	  "The serialized state of the revision." },
	{ "revision", 3, SK_INT64, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Revision number of the state." },
};
const struct sch_type sch_apps_ControllerRevision = {
	.name = "io.k8s.api.apps.v1.ControllerRevision",
	.fields = controller_revision_fields,
	.nfields = ARRAY_SIZE(controller_revision_fields),
	.doc = "An immutable snapshot of a controller's template, used for rollbacks.",
};

static const struct sch_field persistent_volume_claim_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PersistentVolumeClaim." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PersistentVolumeClaimSpec,
	  "The storage requested." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PersistentVolumeClaimStatus,
	  "The state of the claim, filled in by the system." },
};
const struct sch_type sch_core_PersistentVolumeClaim = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaim",
	.fields = persistent_volume_claim_fields,
	.nfields = ARRAY_SIZE(persistent_volume_claim_fields),
	.doc = "A user's request for storage, bound to a PersistentVolume.",
};

static const struct sch_field modify_volume_status_fields[] = {
	{ "targetVolumeAttributesClassName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The VolumeAttributesClass being applied." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Pending, InProgress or Infeasible." },
};
const struct sch_type sch_core_ModifyVolumeStatus = {
	.name = "io.k8s.api.core.v1.ModifyVolumeStatus",
	.fields = modify_volume_status_fields,
	.nfields = ARRAY_SIZE(modify_volume_status_fields),
	.doc = "Progress of changing a volume's attributes class.",
};

static const struct sch_field persistent_volume_claim_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastProbeTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition was last checked." },
	{ "lastTransitionTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_core_PersistentVolumeClaimCondition = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaimCondition",
	.fields = persistent_volume_claim_condition_fields,
	.nfields = ARRAY_SIZE(persistent_volume_claim_condition_fields),
	.doc = "One observed condition of a claim, such as Resizing.",
};

static const struct sch_field persistent_volume_claim_status_fields[] = {
	{ "phase", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Pending, Bound or Lost." },
	{ "accessModes", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Access modes of the bound volume." },
	{ "capacity", 3, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Actual size of the bound volume." },
	{ "conditions", 4, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_core_PersistentVolumeClaimCondition,
	  "Observed conditions, such as Resizing." },
	{ "allocatedResources", 5, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Resources allocated to the claim, including capacity being expanded to." },
	{ "allocatedResourceStatuses", 7, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Progress of a resize, per resource name." },
	{ "currentVolumeAttributesClassName", 8, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "VolumeAttributesClass the volume currently has." },
	{ "modifyVolumeStatus", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ModifyVolumeStatus,
	  "Progress of a change of volume attributes class, if one is under way." },
};
const struct sch_type sch_core_PersistentVolumeClaimStatus = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaimStatus",
	.fields = persistent_volume_claim_status_fields,
	.nfields = ARRAY_SIZE(persistent_volume_claim_status_fields),
	.doc = "Observed state of a claim.",
};

static const struct sch_field deployment_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: DeploymentList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apps_Deployment,
	  "The Deployment objects." },
};
const struct sch_type sch_apps_DeploymentList = {
	.name = "io.k8s.api.apps.v1.DeploymentList",
	.fields = deployment_list_fields,
	.nfields = ARRAY_SIZE(deployment_list_fields),
	.doc = "A list of Deployment objects.",
};

static const struct sch_field replica_set_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ReplicaSetList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apps_ReplicaSet,
	  "The ReplicaSet objects." },
};
const struct sch_type sch_apps_ReplicaSetList = {
	.name = "io.k8s.api.apps.v1.ReplicaSetList",
	.fields = replica_set_list_fields,
	.nfields = ARRAY_SIZE(replica_set_list_fields),
	.doc = "A list of ReplicaSet objects.",
};

static const struct sch_field daemon_set_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: DaemonSetList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apps_DaemonSet,
	  "The DaemonSet objects." },
};
const struct sch_type sch_apps_DaemonSetList = {
	.name = "io.k8s.api.apps.v1.DaemonSetList",
	.fields = daemon_set_list_fields,
	.nfields = ARRAY_SIZE(daemon_set_list_fields),
	.doc = "A list of DaemonSet objects.",
};

static const struct sch_field stateful_set_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: StatefulSetList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apps_StatefulSet,
	  "The StatefulSet objects." },
};
const struct sch_type sch_apps_StatefulSetList = {
	.name = "io.k8s.api.apps.v1.StatefulSetList",
	.fields = stateful_set_list_fields,
	.nfields = ARRAY_SIZE(stateful_set_list_fields),
	.doc = "A list of StatefulSet objects.",
};

static const struct sch_field controller_revision_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ControllerRevisionList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_apps_ControllerRevision,
	  "The ControllerRevision objects." },
};
const struct sch_type sch_apps_ControllerRevisionList = {
	.name = "io.k8s.api.apps.v1.ControllerRevisionList",
	.fields = controller_revision_list_fields,
	.nfields = ARRAY_SIZE(controller_revision_list_fields),
	.doc = "A list of ControllerRevision objects.",
};
