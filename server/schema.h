/*
 * schema.h - the structure of every served API type, declared once: field names, JSON types,
 * list and map semantics for strategic merge patch and server-side apply, protobuf field
 * numbers, and a short description.
 *
 * DESIGN
 * Kubernetes' Go types carry, in struct tags and markers, what the API machinery needs to
 * know about each field: its JSON name, its protobuf number (generated.proto), its patch
 * strategy and merge key (strategic merge patch), its list type and map keys (server-side
 * apply), whether it is required. This file declares the same facts in C tables, one struct
 * sch_type per API type, so that generic code serves every kind:
 *   - smp.c merges lists by their merge keys (containers by name, ports by containerPort, ...),
 *   - apply.c tracks field ownership (managedFields) through list-map keys,
 *   - protobuf.c decodes kubectl 1.32+ request bodies by field number,
 *   - openapi.c publishes OpenAPI v3 schemas (kubectl explain, apply's validation),
 *   - decode.c reports unknown and duplicate fields for fieldValidation=Strict|Warn.
 * The tables are ours, written from the upstream API's documented structure; descriptions are
 * our own short summaries.
 *
 * Conventions. A field of object type points to its sch_type. A list field has list != SL_NONE
 * and describes its element (kind/type). A map field (Go map[string]T) has SF_MAP and describes
 * its value. Quantities, times and int-or-strings are scalars with their own kinds because
 * protobuf encodes them as messages and OpenAPI gives them formats.
 *
 * More conventions, for the places where upstream is irregular:
 *   - kind and apiVersion of a top-level type have proto 0: protobuf carries them in the
 *     runtime.Unknown envelope, not in the object's message.
 *   - A Go struct embedded without a JSON name (VolumeSource in Volume, ProbeHandler in Probe,
 *     LocalObjectReference in ConfigMapKeySelector, ...) is an SF_INLINE field of kind SK_OBJECT
 *     named after its protobuf field ("volumeSource", "handler", "localObjectReference"). That
 *     name never appears in JSON: the embedded type's fields are the parent's JSON fields (and
 *     sch_field finds them), while protobuf nests them in a message under the field's number.
 *   - Strategic merge patch and server-side apply usually agree on a list. Where they do not: a
 *     list declared listType=map or listType=set without a patch strategy has SF_SMP_REPLACE
 *     (SMP replaces it whole), no merge_key, and for SL_MAP its apply keys in map_keys; a list
 *     with a patch strategy but listType=atomic has SF_APPLY_ATOMIC (apply owns it whole) and
 *     keeps its SL_MAP or SL_SET and merge_key for SMP.
 *   - A map whose values are lists (UserInfo.extra, map[string][]string) has SF_MAP and a list
 *     kind; in protobuf each value is a message {1: repeated string}.
 *   - x-kubernetes-map-type atomic on a map field is SF_MAP_ATOMIC; structType=atomic on a type
 *     is ST_ATOMIC.
 * Every type is a const global named sch_<group>_<Kind> (sch_core_PodSpec, sch_meta_ObjectMeta,
 * sch_events_Event), declared at the end of this file through SCH_TYPES.
 */
#ifndef KUBE_SCHEMA_H
#define KUBE_SCHEMA_H

#include <stddef.h>

enum sch_kind {
	SK_STRING,
	SK_BOOL,
	SK_INT32,
	SK_INT64,
	SK_FLOAT64,      /* JSON number (rare in the core API) */
	SK_BYTES,        /* []byte: base64 in JSON, bytes in protobuf */
	SK_QUANTITY,     /* resource.Quantity: "100m", "1Gi"; protobuf {1: string} */
	SK_TIME,         /* metav1.Time: RFC 3339 seconds; protobuf {1: seconds, 2: nanos} */
	SK_MICROTIME,    /* metav1.MicroTime: RFC 3339 with microseconds; same protobuf */
	SK_DURATION,     /* metav1.Duration: "1h2m3s"; protobuf {1: int64 nanoseconds} */
	SK_INT_OR_STRING, /* intstr.IntOrString; protobuf {1: type, 2: intVal, 3: strVal} */
	SK_RAW,          /* runtime.RawExtension / arbitrary JSON; protobuf {1: raw bytes} */
	SK_OBJECT,       /* a struct: see type */
};

/* List semantics (listType in OpenAPI, patchStrategy in Go tags). */
enum sch_list {
	SL_NONE,   /* not a list */
	SL_ATOMIC, /* replaced as a whole by patches and owned as a whole by apply */
	SL_SET,    /* scalars, merged as a set (patchStrategy merge / listType set) */
	SL_MAP,    /* objects identified by key fields (patchMergeKey / listMapKeys) */
};

enum sch_field_flags {
	SF_MAP = 1 << 0,         /* map[string]T: the field describes the value type */
	SF_REQUIRED = 1 << 1,    /* required in OpenAPI (and by validation) */
	SF_RETAIN_KEYS = 1 << 2, /* patchStrategy retainKeys (unions such as a Deployment strategy) */
	SF_SMP_REPLACE = 1 << 3, /* a list that strategic merge patch replaces although it is a map for apply */
	SF_INLINE = 1 << 4,      /* an embedded struct whose fields appear in the parent's JSON */
	SF_KEEP_ZERO = 1 << 5,   /* a zero scalar (0, false, "") is a value, not "unset": Go pointer
				  * fields (*int32 replicas, *bool automountServiceAccountToken,
				  * *string storageClassName) and fields without omitempty
				  * (SelfSubjectAccessReview status.allowed). Protobuf decoding keeps
				  * such zeros; without the flag a zero scalar on the wire (gogo writes
				  * every non-pointer field) is left out, as Go's omitempty would. */
	SF_APPLY_ATOMIC = 1 << 6, /* a list SMP merges (by list and merge_key) but apply owns whole
				   * (patchStrategy merge with listType=atomic: Job conditions) */
	SF_MAP_ATOMIC = 1 << 7,  /* SF_MAP: apply owns the map whole (x-kubernetes-map-type: atomic,
				  * PodSpec.nodeSelector, ServiceSpec.selector) */
};

struct sch_type;

struct sch_field {
	const char *name;     /* JSON name */
	int proto;            /* protobuf field number; 0 when the field is not in protobuf */
	enum sch_kind kind;   /* of the field, or of the list element / map value */
	enum sch_list list;
	unsigned flags;
	const char *merge_key; /* SL_MAP: strategic merge patch key ("name", "containerPort");
				  NULL with SF_SMP_REPLACE */
	const char *map_keys; /* SL_MAP: server-side apply list-map keys, comma-separated
				 ("containerPort,protocol"); NULL means the same as merge_key */
	const struct sch_type *type; /* SK_OBJECT */
	const char *doc;
};

enum sch_type_flags {
	ST_ATOMIC = 1 << 0, /* x-kubernetes-map-type: atomic (e.g. LabelSelector in some places) */
	ST_ANY = 1 << 1,    /* free-form object (preserve unknown fields) */
	ST_INLINED = 1 << 2, /* only ever embedded through SF_INLINE (VolumeSource, ProbeHandler,
			      * EphemeralContainerCommon): no OpenAPI definition of its own */
};

struct sch_type {
	const char *name;     /* OpenAPI definition name: "io.k8s.api.core.v1.PodSpec" */
	const struct sch_field *fields;
	size_t nfields;
	unsigned flags;
	const char *doc;
};

/* Finds a field of t by JSON name (NULL if unknown). Fields of SF_INLINE members count as t's. */
const struct sch_field *sch_field(const struct sch_type *t, const char *name);

/* The top-level type of a served kind ("apps", "v1", "Deployment"), or NULL. The group of the
 * core kinds is "". Also knows the list kinds ("PodList"), Status, DeleteOptions and WatchEvent
 * (in "" and "meta.k8s.io"), autoscaling/v1 Scale, core/v1 Binding, and the review objects
 * TokenRequest, SelfSubjectReview (authentication.k8s.io v1, and v1beta1 for kubectl 1.27) and
 * SelfSubjectAccessReview (authorization.k8s.io). */
const struct sch_type *sch_kind_type(const char *group, const char *version, const char *kind);

struct cJSON;
struct buf;
/* Checks that obj's known fields have the JSON shapes t gives them (maps and structs objects,
 * lists arrays, scalars of their type; null anywhere). Returns 0, or -1 with the first mismatch
 * described in msg as upstream's unstructured converter words it ("cannot restore map from
 * string") (schema_check.c). */
int sch_check_types(const struct sch_type *t, const struct cJSON *obj, struct buf *msg);
/* The same check for a decoded request body, the mismatch worded as encoding/json does ("json:
 * cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"). */
int sch_check_decode(const struct sch_type *t, const struct cJSON *obj, struct buf *msg);

/* Every type, for the OpenAPI documents: sets *out to an array of pointers to static types and
 * returns its length. Each type appears once; a definition name appears once. */
size_t sch_types(const struct sch_type *const **out);

/* The storage kinds' types (schema_storage.c), part of SCH_TYPES. */
#define SCH_TYPES_STORAGE(X) \
	X(core, PodTemplate) X(core, PodTemplateList) X(core, PersistentVolume) \
	X(core, PersistentVolumeSpec) X(core, PersistentVolumeSource) \
	X(core, PersistentVolumeStatus) X(core, VolumeNodeAffinity) X(core, SecretReference) \
	X(core, LocalVolumeSource) X(core, GlusterfsPersistentVolumeSource) \
	X(core, RBDPersistentVolumeSource) X(core, ISCSIPersistentVolumeSource) \
	X(core, CinderPersistentVolumeSource) X(core, CephFSPersistentVolumeSource) \
	X(core, FlexPersistentVolumeSource) X(core, AzureFilePersistentVolumeSource) \
	X(core, ScaleIOPersistentVolumeSource) X(core, StorageOSPersistentVolumeSource) \
	X(core, CSIPersistentVolumeSource) X(core, PersistentVolumeList) \
	X(core, PersistentVolumeClaimList) X(storage, StorageClass) X(core, TopologySelectorTerm) \
	X(core, TopologySelectorLabelRequirement) X(storage, StorageClassList) X(core, LimitRange) \
	X(core, LimitRangeSpec) X(core, LimitRangeItem) X(core, LimitRangeList) \
	X(core, ResourceQuota) X(core, ResourceQuotaSpec) X(core, ScopeSelector) \
	X(core, ScopedResourceSelectorRequirement) X(core, ResourceQuotaStatus) \
	X(core, ResourceQuotaList)

/* The networking.k8s.io types (schema_networking.c), part of SCH_TYPES. */
#define SCH_TYPES_APIEXTENSIONS(X) \
	X(apiextensions, v1beta1_CustomResourceDefinitionSpec) X(apiextensions, v1beta1_CustomResourceDefinitionStatus) \
	X(apiextensions, v1beta1_CustomResourceDefinition) X(apiextensions, v1beta1_CustomResourceDefinitionList) \
	X(apiextensions, CustomResourceDefinition) X(apiextensions, CustomResourceDefinitionSpec) \
	X(apiextensions, CustomResourceDefinitionNames) X(apiextensions, \
	CustomResourceDefinitionVersion) X(apiextensions, CustomResourceValidation) X(apiextensions, \
	JSONSchemaProps) X(apiextensions, CustomResourceSubresources) X(apiextensions, \
	CustomResourceSubresourceStatus) X(apiextensions, CustomResourceSubresourceScale) \
	X(apiextensions, CustomResourceColumnDefinition) X(apiextensions, SelectableField) \
	X(apiextensions, CustomResourceConversion) X(apiextensions, WebhookConversion) X(apiextensions, \
	WebhookClientConfig) X(apiextensions, CustomResourceDefinitionStatus) X(apiextensions, \
	CustomResourceDefinitionCondition) X(apiextensions, CustomResourceDefinitionList)

#define SCH_TYPES_NETWORKING(X) \
	X(networking, Ingress) X(networking, IngressSpec) X(networking, IngressBackend) \
	X(networking, IngressServiceBackend) X(networking, ServiceBackendPort) X(networking, IngressTLS) \
	X(networking, IngressRule) X(networking, IngressRuleValue) X(networking, HTTPIngressRuleValue) \
	X(networking, HTTPIngressPath) X(networking, IngressStatus) \
	X(networking, IngressLoadBalancerStatus) X(networking, IngressLoadBalancerIngress) \
	X(networking, IngressPortStatus) X(networking, IngressList) X(networking, IngressClass) \
	X(networking, IngressClassSpec) X(networking, IngressClassParametersReference) \
	X(networking, IngressClassList) X(networking, NetworkPolicy) X(networking, NetworkPolicySpec) \
	X(networking, NetworkPolicyIngressRule) X(networking, NetworkPolicyEgressRule) \
	X(networking, NetworkPolicyPort) X(networking, NetworkPolicyPeer) X(networking, IPBlock) \
	X(networking, NetworkPolicyList) X(networking, v1beta1_Ingress) X(networking, v1beta1_IngressSpec) \
	X(networking, v1beta1_IngressBackend) X(networking, v1beta1_IngressRule) \
	X(networking, v1beta1_IngressRuleValue) X(networking, v1beta1_HTTPIngressRuleValue) \
	X(networking, v1beta1_HTTPIngressPath) X(networking, v1beta1_IngressList)

/* Every table type as X(group, Kind), the type being the global sch_<group>_<Kind>. The table
 * files (schema_meta.c, schema_core.c, schema_apps.c, schema_batch.c, schema_misc.c) define them;
 * sch_types() lists them in this order. */
#define SCH_TYPES(X) \
	X(meta, ObjectMeta) X(meta, OwnerReference) X(meta, ManagedFieldsEntry) X(meta, LabelSelector) \
	X(meta, LabelSelectorRequirement) X(meta, ListMeta) X(meta, Status) X(meta, StatusDetails) \
	X(meta, StatusCause) X(meta, DeleteOptions) X(meta, Preconditions) X(meta, Condition) \
	X(meta, WatchEvent) X(meta, FieldSelectorRequirement) \
	X(core, Binding) X(core, ObjectReference) X(core, Volume) X(core, VolumeSource) \
	X(core, PersistentVolumeClaimVolumeSource) X(core, PersistentVolumeClaimSpec) \
	X(core, TypedObjectReference) X(core, HostPathVolumeSource) X(core, EmptyDirVolumeSource) \
	X(core, GlusterfsVolumeSource) X(core, RBDVolumeSource) X(core, CinderVolumeSource) \
	X(core, CephFSVolumeSource) X(core, FlockerVolumeSource) X(core, GCEPersistentDiskVolumeSource) \
	X(core, QuobyteVolumeSource) X(core, FlexVolumeSource) \
	X(core, AWSElasticBlockStoreVolumeSource) X(core, GitRepoVolumeSource) \
	X(core, SecretVolumeSource) X(core, SecretProjection) X(core, NFSVolumeSource) \
	X(core, ISCSIVolumeSource) X(core, FCVolumeSource) X(core, AzureFileVolumeSource) \
	X(core, VsphereVirtualDiskVolumeSource) X(core, PhotonPersistentDiskVolumeSource) \
	X(core, AzureDiskVolumeSource) X(core, PortworxVolumeSource) X(core, ScaleIOVolumeSource) \
	X(core, StorageOSVolumeSource) X(core, ConfigMapVolumeSource) X(core, ConfigMapProjection) \
	X(core, ServiceAccountTokenProjection) X(core, ClusterTrustBundleProjection) \
	X(core, ProjectedVolumeSource) X(core, VolumeProjection) X(core, KeyToPath) \
	X(core, CSIVolumeSource) X(core, EphemeralVolumeSource) X(core, PersistentVolumeClaimTemplate) \
	X(core, ContainerPort) X(core, VolumeMount) X(core, VolumeDevice) X(core, EnvVar) \
	X(core, EnvVarSource) X(core, ObjectFieldSelector) X(core, ResourceFieldSelector) \
	X(core, ConfigMapKeySelector) X(core, SecretKeySelector) X(core, EnvFromSource) \
	X(core, ConfigMapEnvSource) X(core, SecretEnvSource) X(core, HTTPHeader) X(core, HTTPGetAction) \
	X(core, TCPSocketAction) X(core, GRPCAction) X(core, ExecAction) X(core, SleepAction) \
	X(core, Probe) X(core, ProbeHandler) X(core, ContainerResizePolicy) X(core, Capabilities) \
	X(core, ResourceRequirements) X(core, VolumeResourceRequirements) X(core, ResourceClaim) \
	X(core, Container) X(core, LifecycleHandler) X(core, Lifecycle) X(core, ContainerStateWaiting) \
	X(core, ContainerStateRunning) X(core, ContainerStateTerminated) X(core, ContainerState) \
	X(core, ContainerStatus) X(core, ResourceStatus) X(core, ResourceHealth) X(core, ContainerUser) \
	X(core, LinuxContainerUser) X(core, PodCondition) X(core, VolumeMountStatus) \
	X(core, NodeSelector) X(core, NodeSelectorTerm) X(core, NodeSelectorRequirement) \
	X(core, Affinity) X(core, PodAffinity) X(core, PodAntiAffinity) \
	X(core, WeightedPodAffinityTerm) X(core, PodAffinityTerm) X(core, NodeAffinity) \
	X(core, PreferredSchedulingTerm) X(core, Taint) X(core, Toleration) X(core, PodReadinessGate) \
	X(core, PodSpec) X(core, PodResourceClaim) X(core, PodResourceClaimStatus) X(core, PodOS) \
	X(core, PodSchedulingGate) X(core, TopologySpreadConstraint) X(core, HostAlias) \
	X(core, PodSecurityContext) X(core, SeccompProfile) X(core, AppArmorProfile) \
	X(core, PodDNSConfig) X(core, PodDNSConfigOption) X(core, PodIP) X(core, HostIP) \
	X(core, EphemeralContainerCommon) X(core, EphemeralContainer) X(core, PodStatus) X(core, Pod) \
	X(core, PodTemplateSpec) X(core, SessionAffinityConfig) X(core, ClientIPConfig) \
	X(core, ServiceStatus) X(core, LoadBalancerStatus) X(core, LoadBalancerIngress) \
	X(core, ServiceSpec) X(core, ServicePort) X(core, Service) X(core, ServiceAccount) \
	X(core, Endpoints) X(core, EndpointSubset) X(core, EndpointAddress) X(core, EndpointPort) \
	X(core, NodeSpec) X(core, NodeConfigSource) X(core, ConfigMapNodeConfigSource) \
	X(core, DaemonEndpoint) X(core, NodeDaemonEndpoints) X(core, NodeRuntimeHandlerFeatures) \
	X(core, NodeRuntimeHandler) X(core, NodeFeatures) X(core, NodeSystemInfo) \
	X(core, NodeSwapStatus) X(core, NodeConfigStatus) X(core, NodeStatus) X(core, AttachedVolume) \
	X(core, ContainerImage) X(core, NodeCondition) X(core, NodeAddress) X(core, Node) \
	X(core, NamespaceSpec) X(core, NamespaceStatus) X(core, NamespaceCondition) X(core, Namespace) \
	X(core, LocalObjectReference) X(core, TypedLocalObjectReference) X(core, EventSource) \
	X(core, Event) X(core, EventSeries) X(core, Secret) X(core, ConfigMap) \
	X(core, DownwardAPIVolumeSource) X(core, DownwardAPIVolumeFile) X(core, DownwardAPIProjection) \
	X(core, SecurityContext) X(core, SELinuxOptions) X(core, WindowsSecurityContextOptions) \
	X(core, Sysctl) X(core, PortStatus) X(core, ImageVolumeSource) X(core, PersistentVolumeClaim) \
	X(core, ModifyVolumeStatus) X(core, PersistentVolumeClaimCondition) \
	X(core, PersistentVolumeClaimStatus) X(core, NamespaceList) X(core, PodList) X(core, NodeList) \
	X(core, ServiceList) X(core, EndpointsList) X(core, ConfigMapList) X(core, SecretList) \
	X(core, ServiceAccountList) X(core, EventList) \
	X(apps, StatefulSet) X(apps, StatefulSetUpdateStrategy) \
	X(apps, RollingUpdateStatefulSetStrategy) \
	X(apps, StatefulSetPersistentVolumeClaimRetentionPolicy) X(apps, StatefulSetOrdinals) \
	X(apps, StatefulSetSpec) X(apps, StatefulSetStatus) X(apps, StatefulSetCondition) \
	X(apps, Deployment) X(apps, DeploymentSpec) X(apps, DeploymentStrategy) \
	X(apps, RollingUpdateDeployment) X(apps, DeploymentStatus) X(apps, DeploymentCondition) \
	X(apps, DaemonSetUpdateStrategy) X(apps, RollingUpdateDaemonSet) X(apps, DaemonSetSpec) \
	X(apps, DaemonSetStatus) X(apps, DaemonSetCondition) X(apps, DaemonSet) X(apps, ReplicaSet) \
	X(apps, ReplicaSetSpec) X(apps, ReplicaSetStatus) X(apps, ReplicaSetCondition) \
	X(apps, ControllerRevision) X(apps, DeploymentList) X(apps, ReplicaSetList) \
	X(apps, DaemonSetList) X(apps, StatefulSetList) X(apps, ControllerRevisionList) \
	X(batch, Job) X(batch, PodFailurePolicyOnExitCodesRequirement) \
	X(batch, PodFailurePolicyOnPodConditionsPattern) X(batch, PodFailurePolicyRule) \
	X(batch, PodFailurePolicy) X(batch, SuccessPolicy) X(batch, SuccessPolicyRule) \
	X(batch, JobSpec) X(batch, JobStatus) X(batch, UncountedTerminatedPods) X(batch, JobCondition) \
	X(batch, JobTemplateSpec) X(batch, CronJob) X(batch, CronJobSpec) X(batch, CronJobStatus) \
	X(batch, JobList) X(batch, CronJobList) \
	X(policy, PodDisruptionBudget) X(policy, PodDisruptionBudgetSpec) \
	X(policy, PodDisruptionBudgetStatus) X(policy, PodDisruptionBudgetList) X(policy, Eviction) \
	SCH_TYPES_STORAGE(X) \
	SCH_TYPES_NETWORKING(X) \
	SCH_TYPES_APIEXTENSIONS(X) \
	X(scheduling, PriorityClass) X(scheduling, PriorityClassList) \
	X(coordination, Lease) X(coordination, LeaseSpec) X(coordination, LeaseList) \
	X(discovery, EndpointSlice) X(discovery, Endpoint) X(discovery, EndpointConditions) \
	X(discovery, EndpointHints) X(discovery, ForZone) X(discovery, ForNode) \
	X(discovery, EndpointPort) X(discovery, EndpointSliceList) \
	X(events, Event) X(events, EventSeries) X(events, EventList) \
	X(authentication, TokenRequest) X(authentication, TokenRequestSpec) \
	X(authentication, TokenRequestStatus) X(authentication, BoundObjectReference) \
	X(authentication, SelfSubjectReview) X(authentication, SelfSubjectReviewStatus) \
	X(authentication, UserInfo) X(authentication, v1beta1_SelfSubjectReview) \
	X(authentication, v1beta1_SelfSubjectReviewStatus) \
	X(authorization, SelfSubjectAccessReview) X(authorization, SelfSubjectAccessReviewSpec) \
	X(authorization, ResourceAttributes) X(authorization, NonResourceAttributes) \
	X(authorization, FieldSelectorAttributes) X(authorization, LabelSelectorAttributes) \
	X(authorization, SubjectAccessReviewStatus) \
	X(autoscaling, Scale) X(autoscaling, ScaleSpec) X(autoscaling, ScaleStatus) \
	X(core, ReplicationController) X(core, ReplicationControllerSpec) \
	X(core, ReplicationControllerStatus) X(core, ReplicationControllerCondition) \
	X(core, ReplicationControllerList) \
	X(autoscaling, v2_HorizontalPodAutoscaler) X(autoscaling, v2_HorizontalPodAutoscalerSpec) \
	X(autoscaling, v2_CrossVersionObjectReference) X(autoscaling, v2_MetricSpec) \
	X(autoscaling, v2_ObjectMetricSource) X(autoscaling, v2_PodsMetricSource) \
	X(autoscaling, v2_ResourceMetricSource) X(autoscaling, v2_ContainerResourceMetricSource) \
	X(autoscaling, v2_ExternalMetricSource) X(autoscaling, v2_MetricIdentifier) \
	X(autoscaling, v2_MetricTarget) X(autoscaling, v2_HorizontalPodAutoscalerBehavior) \
	X(autoscaling, v2_HPAScalingRules) X(autoscaling, v2_HPAScalingPolicy) \
	X(autoscaling, v2_HorizontalPodAutoscalerStatus) \
	X(autoscaling, v2_HorizontalPodAutoscalerCondition) X(autoscaling, v2_MetricStatus) \
	X(autoscaling, v2_ObjectMetricStatus) X(autoscaling, v2_PodsMetricStatus) \
	X(autoscaling, v2_ResourceMetricStatus) X(autoscaling, v2_ContainerResourceMetricStatus) \
	X(autoscaling, v2_ExternalMetricStatus) X(autoscaling, v2_MetricValueStatus) \
	X(autoscaling, v2_HorizontalPodAutoscalerList) X(autoscaling, HorizontalPodAutoscaler) \
	X(autoscaling, HorizontalPodAutoscalerSpec) X(autoscaling, CrossVersionObjectReference) \
	X(autoscaling, HorizontalPodAutoscalerStatus) X(autoscaling, HorizontalPodAutoscalerList) \
	X(rbac, PolicyRule) X(rbac, AggregationRule) X(rbac, Subject) X(rbac, RoleRef) X(rbac, Role) \
	X(rbac, ClusterRole) X(rbac, RoleBinding) X(rbac, ClusterRoleBinding) X(rbac, RoleList) \
	X(rbac, ClusterRoleList) X(rbac, RoleBindingList) X(rbac, ClusterRoleBindingList) \
	X(authorization, SubjectAccessReviewSpec) X(authorization, v1beta1_SubjectAccessReviewSpec) \
	X(authorization, SubjectAccessReview) X(authorization, LocalSubjectAccessReview) \
	X(authorization, v1beta1_SubjectAccessReview) X(authorization, ResourceRule) \
	X(authorization, NonResourceRule) X(authorization, SelfSubjectRulesReviewSpec) \
	X(authorization, SubjectRulesReviewStatus) X(authorization, SelfSubjectRulesReview) \
	X(authentication, TokenReviewSpec) X(authentication, TokenReviewStatus) X(authentication, TokenReview) \
	X(certificates, CertificateSigningRequest) X(certificates, CertificateSigningRequestSpec) \
	X(certificates, CertificateSigningRequestStatus) X(certificates, CertificateSigningRequestCondition) \
	X(certificates, CertificateSigningRequestList) X(certificates, v1beta1_CertificateSigningRequestSpec) X(certificates, v1beta1_CertificateSigningRequest) \
	X(certificates, v1beta1_CertificateSigningRequestList)

#define SCH_DECLARE_TYPE(group, kind) extern const struct sch_type sch_##group##_##kind;
SCH_TYPES(SCH_DECLARE_TYPE)
#undef SCH_DECLARE_TYPE

#endif
