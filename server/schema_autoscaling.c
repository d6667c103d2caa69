/*
 * schema_autoscaling.c - the HorizontalPodAutoscaler tables: autoscaling/v2 (the stored form,
 * with metrics and behavior) and autoscaling/v1 (the older CPU-only form, a view of the same
 * objects: see hpa.c).
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order with
 * upstream's protobuf numbers (k8s.io/api/autoscaling/v1 and v2 generated.proto). v2 types are
 * named sch_autoscaling_v2_*, v1 ones sch_autoscaling_* like the Scale they share the group
 * with. Lists of metrics and scaling policies are atomic; conditions are a map keyed by type.
 * Pointer integers upstream (minReplicas, averageUtilization, ...) keep a 0 (SF_KEEP_ZERO).
 * Facts follow Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field v2_horizontal_pod_autoscaler_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: HorizontalPodAutoscaler." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_HorizontalPodAutoscalerSpec,
	  "The desired behaviour of the autoscaler." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_HorizontalPodAutoscalerStatus,
	  "The current state of the autoscaler." },
};
const struct sch_type sch_autoscaling_v2_HorizontalPodAutoscaler = {
	.name = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
	.fields = v2_horizontal_pod_autoscaler_fields,
	.nfields = ARRAY_SIZE(v2_horizontal_pod_autoscaler_fields),
	.doc = "Automatically scales a workload from observed metrics.",
};

static const struct sch_field v2_horizontal_pod_autoscaler_spec_fields[] = {
	{ "scaleTargetRef", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_CrossVersionObjectReference,
	  "The workload whose scale subresource is set." },
	{ "minReplicas", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Lower bound of replicas; defaults to 1." },
	{ "maxReplicas", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Upper bound of replicas." },
	{ "metrics", 4, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_autoscaling_v2_MetricSpec,
	  "Metrics the replica count is computed from; defaults to 80% CPU." },
	{ "behavior", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_HorizontalPodAutoscalerBehavior,
	  "Scaling rules for each direction." },
};
const struct sch_type sch_autoscaling_v2_HorizontalPodAutoscalerSpec = {
	.name = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec",
	.fields = v2_horizontal_pod_autoscaler_spec_fields,
	.nfields = ARRAY_SIZE(v2_horizontal_pod_autoscaler_spec_fields),
	.doc = "The desired behaviour of an autoscaler.",
};

static const struct sch_field v2_cross_version_object_reference_fields[] = {
	{ "kind", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kind of the referent." },
	{ "name", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the referent." },
	{ "apiVersion", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of the referent." },
};
const struct sch_type sch_autoscaling_v2_CrossVersionObjectReference = {
	.name = "io.k8s.api.autoscaling.v2.CrossVersionObjectReference",
	.fields = v2_cross_version_object_reference_fields,
	.nfields = ARRAY_SIZE(v2_cross_version_object_reference_fields),
	.doc = "Identifies a referred object.",
};

static const struct sch_field v2_metric_spec_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Object, Pods, Resource, ContainerResource or External." },
	{ "object", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ObjectMetricSource,
	  "A metric of one Kubernetes object." },
	{ "pods", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_PodsMetricSource,
	  "A metric averaged over the pods." },
	{ "resource", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ResourceMetricSource,
	  "A resource of the pods, such as cpu." },
	{ "containerResource", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ContainerResourceMetricSource,
	  "A resource of one container of the pods." },
	{ "external", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ExternalMetricSource,
	  "A metric from outside the cluster." },
};
const struct sch_type sch_autoscaling_v2_MetricSpec = {
	.name = "io.k8s.api.autoscaling.v2.MetricSpec",
	.fields = v2_metric_spec_fields,
	.nfields = ARRAY_SIZE(v2_metric_spec_fields),
	.doc = "One metric to scale on.",
};

static const struct sch_field v2_object_metric_source_fields[] = {
	{ "describedObject", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_CrossVersionObjectReference,
	  "The object the metric describes." },
	{ "target", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricTarget,
	  "The target value." },
	{ "metric", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricIdentifier,
	  "The metric." },
};
const struct sch_type sch_autoscaling_v2_ObjectMetricSource = {
	.name = "io.k8s.api.autoscaling.v2.ObjectMetricSource",
	.fields = v2_object_metric_source_fields,
	.nfields = ARRAY_SIZE(v2_object_metric_source_fields),
	.doc = "A metric of one object.",
};

static const struct sch_field v2_pods_metric_source_fields[] = {
	{ "metric", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricIdentifier,
	  "The metric." },
	{ "target", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricTarget,
	  "The target value." },
};
const struct sch_type sch_autoscaling_v2_PodsMetricSource = {
	.name = "io.k8s.api.autoscaling.v2.PodsMetricSource",
	.fields = v2_pods_metric_source_fields,
	.nfields = ARRAY_SIZE(v2_pods_metric_source_fields),
	.doc = "A metric averaged over the pods.",
};

static const struct sch_field v2_resource_metric_source_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resource, such as cpu or memory." },
	{ "target", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricTarget,
	  "The target value." },
};
const struct sch_type sch_autoscaling_v2_ResourceMetricSource = {
	.name = "io.k8s.api.autoscaling.v2.ResourceMetricSource",
	.fields = v2_resource_metric_source_fields,
	.nfields = ARRAY_SIZE(v2_resource_metric_source_fields),
	.doc = "A resource metric of the pods.",
};

static const struct sch_field v2_container_resource_metric_source_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resource, such as cpu or memory." },
	{ "target", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricTarget,
	  "The target value." },
	{ "container", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The container." },
};
const struct sch_type sch_autoscaling_v2_ContainerResourceMetricSource = {
	.name = "io.k8s.api.autoscaling.v2.ContainerResourceMetricSource",
	.fields = v2_container_resource_metric_source_fields,
	.nfields = ARRAY_SIZE(v2_container_resource_metric_source_fields),
	.doc = "A resource metric of one container.",
};

static const struct sch_field v2_external_metric_source_fields[] = {
	{ "metric", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricIdentifier,
	  "The metric." },
	{ "target", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricTarget,
	  "The target value." },
};
const struct sch_type sch_autoscaling_v2_ExternalMetricSource = {
	.name = "io.k8s.api.autoscaling.v2.ExternalMetricSource",
	.fields = v2_external_metric_source_fields,
	.nfields = ARRAY_SIZE(v2_external_metric_source_fields),
	.doc = "A metric from outside the cluster.",
};

static const struct sch_field v2_metric_identifier_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The metric name." },
	{ "selector", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Narrows the metric down by its labels." },
};
const struct sch_type sch_autoscaling_v2_MetricIdentifier = {
	.name = "io.k8s.api.autoscaling.v2.MetricIdentifier",
	.fields = v2_metric_identifier_fields,
	.nfields = ARRAY_SIZE(v2_metric_identifier_fields),
	.doc = "Names a metric.",
};

static const struct sch_field v2_metric_target_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Utilization, Value or AverageValue." },
	{ "value", 2, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "Target value of the metric." },
	{ "averageValue", 3, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "Target value averaged over the pods." },
	{ "averageUtilization", 4, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target percentage of the requested resource." },
};
const struct sch_type sch_autoscaling_v2_MetricTarget = {
	.name = "io.k8s.api.autoscaling.v2.MetricTarget",
	.fields = v2_metric_target_fields,
	.nfields = ARRAY_SIZE(v2_metric_target_fields),
	.doc = "A target value of a metric.",
};

static const struct sch_field v2_horizontal_pod_autoscaler_behavior_fields[] = {
	{ "scaleUp", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_HPAScalingRules,
	  "Rules for scaling up." },
	{ "scaleDown", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_HPAScalingRules,
	  "Rules for scaling down." },
};
const struct sch_type sch_autoscaling_v2_HorizontalPodAutoscalerBehavior = {
	.name = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerBehavior",
	.fields = v2_horizontal_pod_autoscaler_behavior_fields,
	.nfields = ARRAY_SIZE(v2_horizontal_pod_autoscaler_behavior_fields),
	.doc = "Scaling rules for scaling up and down.",
};

static const struct sch_field v2_hpa_scaling_rules_fields[] = {
	{ "stabilizationWindowSeconds", 3, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds of past recommendations considered." },
	{ "selectPolicy", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Max, Min or Disabled." },
	{ "policies", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_autoscaling_v2_HPAScalingPolicy,
	  "The allowed changes." },
	{ "tolerance", 4, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "Relative metric change ignored (alpha)." },
};
const struct sch_type sch_autoscaling_v2_HPAScalingRules = {
	.name = "io.k8s.api.autoscaling.v2.HPAScalingRules",
	.fields = v2_hpa_scaling_rules_fields,
	.nfields = ARRAY_SIZE(v2_hpa_scaling_rules_fields),
	.doc = "Rules for scaling in one direction.",
};

static const struct sch_field v2_hpa_scaling_policy_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Pods or Percent." },
	{ "value", 2, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The allowed change." },
	{ "periodSeconds", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The period the change is allowed in." },
};
const struct sch_type sch_autoscaling_v2_HPAScalingPolicy = {
	.name = "io.k8s.api.autoscaling.v2.HPAScalingPolicy",
	.fields = v2_hpa_scaling_policy_fields,
	.nfields = ARRAY_SIZE(v2_hpa_scaling_policy_fields),
	.doc = "One allowed change over a period.",
};

static const struct sch_field v2_horizontal_pod_autoscaler_status_fields[] = {
	{ "observedGeneration", 1, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Generation the autoscaler last observed." },
	{ "lastScaleTime", 2, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the replica count last changed." },
	{ "currentReplicas", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Current number of replicas." },
	{ "desiredReplicas", 4, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Desired number of replicas." },
	{ "currentMetrics", 5, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_autoscaling_v2_MetricStatus,
	  "Last read values of the metrics." },
	{ "conditions", 6, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_autoscaling_v2_HorizontalPodAutoscalerCondition,
	  "Observed conditions of the autoscaler." },
};
const struct sch_type sch_autoscaling_v2_HorizontalPodAutoscalerStatus = {
	.name = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus",
	.fields = v2_horizontal_pod_autoscaler_status_fields,
	.nfields = ARRAY_SIZE(v2_horizontal_pod_autoscaler_status_fields),
	.doc = "The observed state of an autoscaler.",
};

static const struct sch_field v2_horizontal_pod_autoscaler_condition_fields[] = {
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
const struct sch_type sch_autoscaling_v2_HorizontalPodAutoscalerCondition = {
	.name = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerCondition",
	.fields = v2_horizontal_pod_autoscaler_condition_fields,
	.nfields = ARRAY_SIZE(v2_horizontal_pod_autoscaler_condition_fields),
	.doc = "One observed condition of an autoscaler.",
};

static const struct sch_field v2_metric_status_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Object, Pods, Resource, ContainerResource or External." },
	{ "object", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ObjectMetricStatus,
	  "An object metric." },
	{ "pods", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_PodsMetricStatus,
	  "A pods metric." },
	{ "resource", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ResourceMetricStatus,
	  "A resource metric." },
	{ "containerResource", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ContainerResourceMetricStatus,
	  "A container resource metric." },
	{ "external", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_v2_ExternalMetricStatus,
	  "An external metric." },
};
const struct sch_type sch_autoscaling_v2_MetricStatus = {
	.name = "io.k8s.api.autoscaling.v2.MetricStatus",
	.fields = v2_metric_status_fields,
	.nfields = ARRAY_SIZE(v2_metric_status_fields),
	.doc = "The last read value of one metric.",
};

static const struct sch_field v2_object_metric_status_fields[] = {
	{ "metric", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricIdentifier,
	  "The metric." },
	{ "current", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricValueStatus,
	  "The current value." },
	{ "describedObject", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_CrossVersionObjectReference,
	  "The object the metric describes." },
};
const struct sch_type sch_autoscaling_v2_ObjectMetricStatus = {
	.name = "io.k8s.api.autoscaling.v2.ObjectMetricStatus",
	.fields = v2_object_metric_status_fields,
	.nfields = ARRAY_SIZE(v2_object_metric_status_fields),
	.doc = "The value of an object metric.",
};

static const struct sch_field v2_pods_metric_status_fields[] = {
	{ "metric", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricIdentifier,
	  "The metric." },
	{ "current", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricValueStatus,
	  "The current value." },
};
const struct sch_type sch_autoscaling_v2_PodsMetricStatus = {
	.name = "io.k8s.api.autoscaling.v2.PodsMetricStatus",
	.fields = v2_pods_metric_status_fields,
	.nfields = ARRAY_SIZE(v2_pods_metric_status_fields),
	.doc = "The value of a pods metric.",
};

static const struct sch_field v2_resource_metric_status_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resource." },
	{ "current", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricValueStatus,
	  "The current value." },
};
const struct sch_type sch_autoscaling_v2_ResourceMetricStatus = {
	.name = "io.k8s.api.autoscaling.v2.ResourceMetricStatus",
	.fields = v2_resource_metric_status_fields,
	.nfields = ARRAY_SIZE(v2_resource_metric_status_fields),
	.doc = "The value of a resource metric.",
};

static const struct sch_field v2_container_resource_metric_status_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resource." },
	{ "current", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricValueStatus,
	  "The current value." },
	{ "container", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The container." },
};
const struct sch_type sch_autoscaling_v2_ContainerResourceMetricStatus = {
	.name = "io.k8s.api.autoscaling.v2.ContainerResourceMetricStatus",
	.fields = v2_container_resource_metric_status_fields,
	.nfields = ARRAY_SIZE(v2_container_resource_metric_status_fields),
	.doc = "The value of a container resource metric.",
};

static const struct sch_field v2_external_metric_status_fields[] = {
	{ "metric", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricIdentifier,
	  "The metric." },
	{ "current", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_MetricValueStatus,
	  "The current value." },
};
const struct sch_type sch_autoscaling_v2_ExternalMetricStatus = {
	.name = "io.k8s.api.autoscaling.v2.ExternalMetricStatus",
	.fields = v2_external_metric_status_fields,
	.nfields = ARRAY_SIZE(v2_external_metric_status_fields),
	.doc = "The value of an external metric.",
};

static const struct sch_field v2_metric_value_status_fields[] = {
	{ "value", 1, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "The value." },
	{ "averageValue", 2, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "The value averaged over the pods." },
	{ "averageUtilization", 3, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Percentage of the requested resource." },
};
const struct sch_type sch_autoscaling_v2_MetricValueStatus = {
	.name = "io.k8s.api.autoscaling.v2.MetricValueStatus",
	.fields = v2_metric_value_status_fields,
	.nfields = ARRAY_SIZE(v2_metric_value_status_fields),
	.doc = "A current metric value.",
};

static const struct sch_field v2_horizontal_pod_autoscaler_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: HorizontalPodAutoscalerList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_autoscaling_v2_HorizontalPodAutoscaler,
	  "The HorizontalPodAutoscaler objects." },
};
const struct sch_type sch_autoscaling_v2_HorizontalPodAutoscalerList = {
	.name = "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerList",
	.fields = v2_horizontal_pod_autoscaler_list_fields,
	.nfields = ARRAY_SIZE(v2_horizontal_pod_autoscaler_list_fields),
	.doc = "A list of HorizontalPodAutoscaler objects.",
};

static const struct sch_field horizontal_pod_autoscaler_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: HorizontalPodAutoscaler." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_HorizontalPodAutoscalerSpec,
	  "The desired behaviour of the autoscaler." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_autoscaling_HorizontalPodAutoscalerStatus,
	  "The current state of the autoscaler." },
};
const struct sch_type sch_autoscaling_HorizontalPodAutoscaler = {
	.name = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler",
	.fields = horizontal_pod_autoscaler_fields,
	.nfields = ARRAY_SIZE(horizontal_pod_autoscaler_fields),
	.doc = "Automatically scales a workload on its CPU use.",
};

static const struct sch_field horizontal_pod_autoscaler_spec_fields[] = {
	{ "scaleTargetRef", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_autoscaling_CrossVersionObjectReference,
	  "The workload whose scale subresource is set." },
	{ "minReplicas", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Lower bound of replicas; defaults to 1." },
	{ "maxReplicas", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Upper bound of replicas." },
	{ "targetCPUUtilizationPercentage", 4, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target average CPU use, in percent of the requested CPU." },
};
const struct sch_type sch_autoscaling_HorizontalPodAutoscalerSpec = {
	.name = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec",
	.fields = horizontal_pod_autoscaler_spec_fields,
	.nfields = ARRAY_SIZE(horizontal_pod_autoscaler_spec_fields),
	.doc = "The desired behaviour of an autoscaler (autoscaling/v1).",
};

static const struct sch_field cross_version_object_reference_fields[] = {
	{ "kind", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kind of the referent." },
	{ "name", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the referent." },
	{ "apiVersion", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of the referent." },
};
const struct sch_type sch_autoscaling_CrossVersionObjectReference = {
	.name = "io.k8s.api.autoscaling.v1.CrossVersionObjectReference",
	.fields = cross_version_object_reference_fields,
	.nfields = ARRAY_SIZE(cross_version_object_reference_fields),
	.doc = "Identifies a referred object.",
};

static const struct sch_field horizontal_pod_autoscaler_status_fields[] = {
	{ "observedGeneration", 1, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Generation the autoscaler last observed." },
	{ "lastScaleTime", 2, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the replica count last changed." },
	{ "currentReplicas", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Current number of replicas." },
	{ "desiredReplicas", 4, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Desired number of replicas." },
	{ "currentCPUUtilizationPercentage", 5, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Current average CPU use, in percent of the requested CPU." },
};
const struct sch_type sch_autoscaling_HorizontalPodAutoscalerStatus = {
	.name = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus",
	.fields = horizontal_pod_autoscaler_status_fields,
	.nfields = ARRAY_SIZE(horizontal_pod_autoscaler_status_fields),
	.doc = "The observed state of an autoscaler (autoscaling/v1).",
};

static const struct sch_field horizontal_pod_autoscaler_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: HorizontalPodAutoscalerList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_autoscaling_HorizontalPodAutoscaler,
	  "The HorizontalPodAutoscaler objects." },
};
const struct sch_type sch_autoscaling_HorizontalPodAutoscalerList = {
	.name = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerList",
	.fields = horizontal_pod_autoscaler_list_fields,
	.nfields = ARRAY_SIZE(horizontal_pod_autoscaler_list_fields),
	.doc = "A list of HorizontalPodAutoscaler objects.",
};
