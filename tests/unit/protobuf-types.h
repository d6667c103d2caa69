/*
 * protobuf-types.h - type tables for the protobuf decoder's tests and fuzz target, written from
 * k8s.io/api's generated.proto for the fields that kubectl's bodies use (numbers, kinds, and
 * SF_KEEP_ZERO where the Go field is a pointer or has no omitempty), plus synthetic types for
 * what kubectl does not send. They are the tests' own, so the decoder is tested apart from the
 * served schema. Static definitions: include in one file per program.
 */
#ifndef KUBE_TESTS_PROTOBUF_TYPES_H
#define KUBE_TESTS_PROTOBUF_TYPES_H

#include "lib/util.h"
#include "server/schema.h"

#include <string.h>

#define F(n, p, k) { .name = n, .proto = p, .kind = k }
#define FZ(n, p, k) { .name = n, .proto = p, .kind = k, .flags = SF_KEEP_ZERO }
#define FO(n, p, t) { .name = n, .proto = p, .kind = SK_OBJECT, .type = &t }
#define FL(n, p, k) { .name = n, .proto = p, .kind = k, .list = SL_ATOMIC }
#define FLO(n, p, t) { .name = n, .proto = p, .kind = SK_OBJECT, .list = SL_MAP, .type = &t }
#define FM(n, p, k) { .name = n, .proto = p, .kind = k, .flags = SF_MAP }
#define TYPE(var, ...) \
	static const struct sch_field var##_fields[] = { __VA_ARGS__ }; \
	static const struct sch_type var = { #var, var##_fields, ARRAY_SIZE(var##_fields), 0, NULL }

/* meta/v1 */
TYPE(ObjectMeta, F("name", 1, SK_STRING), F("generateName", 2, SK_STRING),
     F("namespace", 3, SK_STRING), F("selfLink", 4, SK_STRING), F("uid", 5, SK_STRING),
     F("resourceVersion", 6, SK_STRING), F("generation", 7, SK_INT64),
     F("creationTimestamp", 8, SK_TIME), F("deletionTimestamp", 9, SK_TIME),
     FZ("deletionGracePeriodSeconds", 10, SK_INT64), FM("labels", 11, SK_STRING),
     FM("annotations", 12, SK_STRING), FL("finalizers", 14, SK_STRING));
TYPE(LabelSelectorRequirement, F("key", 1, SK_STRING), F("operator", 2, SK_STRING),
     FL("values", 3, SK_STRING));
TYPE(LabelSelector, FM("matchLabels", 1, SK_STRING),
     FLO("matchExpressions", 2, LabelSelectorRequirement));

/* core/v1 */
TYPE(ConfigMap, FO("metadata", 1, ObjectMeta), FM("data", 2, SK_STRING),
     FM("binaryData", 3, SK_BYTES), FZ("immutable", 4, SK_BOOL));
TYPE(Secret, FO("metadata", 1, ObjectMeta), FZ("immutable", 5, SK_BOOL), FM("data", 2, SK_BYTES),
     FM("stringData", 4, SK_STRING), F("type", 3, SK_STRING));
TYPE(NamespaceSpec, FL("finalizers", 1, SK_STRING));
TYPE(NamespaceStatus, F("phase", 1, SK_STRING));
TYPE(Namespace, FO("metadata", 1, ObjectMeta), FO("spec", 2, NamespaceSpec),
     FO("status", 3, NamespaceStatus));
TYPE(LocalObjectReference, F("name", 1, SK_STRING));
TYPE(ServiceAccount, FO("metadata", 1, ObjectMeta), FLO("imagePullSecrets", 3, LocalObjectReference),
     FZ("automountServiceAccountToken", 4, SK_BOOL));
TYPE(ServicePort, F("name", 1, SK_STRING), F("protocol", 2, SK_STRING),
     FZ("appProtocol", 6, SK_STRING), FZ("port", 3, SK_INT32),
     F("targetPort", 4, SK_INT_OR_STRING), F("nodePort", 5, SK_INT32));
TYPE(ServiceSpec, FLO("ports", 1, ServicePort), FM("selector", 2, SK_STRING),
     F("clusterIP", 3, SK_STRING), FL("clusterIPs", 18, SK_STRING), F("type", 4, SK_STRING),
     FL("externalIPs", 5, SK_STRING), F("sessionAffinity", 7, SK_STRING),
     F("externalName", 10, SK_STRING), FZ("ipFamilyPolicy", 17, SK_STRING),
     FZ("allocateLoadBalancerNodePorts", 20, SK_BOOL));
TYPE(LoadBalancerIngress, F("ip", 1, SK_STRING), F("hostname", 2, SK_STRING));
TYPE(LoadBalancerStatus, FLO("ingress", 1, LoadBalancerIngress));
TYPE(ServiceStatus, FO("loadBalancer", 1, LoadBalancerStatus));
TYPE(Service, FO("metadata", 1, ObjectMeta), FO("spec", 2, ServiceSpec), FO("status", 3, ServiceStatus));
TYPE(ContainerPort, F("name", 1, SK_STRING), F("hostPort", 2, SK_INT32),
     FZ("containerPort", 3, SK_INT32), F("protocol", 4, SK_STRING), F("hostIP", 5, SK_STRING));
TYPE(EnvVar, FZ("name", 1, SK_STRING), F("value", 2, SK_STRING));
TYPE(ResourceRequirements, FM("limits", 1, SK_QUANTITY), FM("requests", 2, SK_QUANTITY));
TYPE(Container, FZ("name", 1, SK_STRING), F("image", 2, SK_STRING), FL("command", 3, SK_STRING),
     FL("args", 4, SK_STRING), F("workingDir", 5, SK_STRING), FLO("ports", 6, ContainerPort),
     FLO("env", 7, EnvVar), FO("resources", 8, ResourceRequirements),
     F("terminationMessagePath", 13, SK_STRING), F("terminationMessagePolicy", 20, SK_STRING),
     F("imagePullPolicy", 14, SK_STRING), F("stdin", 16, SK_BOOL), F("stdinOnce", 17, SK_BOOL),
     F("tty", 18, SK_BOOL));
TYPE(PodSecurityContext, FZ("runAsUser", 2, SK_INT64), FZ("runAsNonRoot", 3, SK_BOOL),
     FL("supplementalGroups", 4, SK_INT64), FZ("fsGroup", 5, SK_INT64));
TYPE(PodSpec, FLO("containers", 2, Container), F("restartPolicy", 3, SK_STRING),
     FZ("terminationGracePeriodSeconds", 4, SK_INT64), FZ("activeDeadlineSeconds", 5, SK_INT64),
     F("dnsPolicy", 6, SK_STRING), FM("nodeSelector", 7, SK_STRING),
     F("serviceAccountName", 8, SK_STRING), F("serviceAccount", 9, SK_STRING),
     F("nodeName", 10, SK_STRING), F("hostNetwork", 11, SK_BOOL), F("hostPID", 12, SK_BOOL),
     F("hostIPC", 13, SK_BOOL), FO("securityContext", 14, PodSecurityContext),
     F("hostname", 16, SK_STRING), F("subdomain", 17, SK_STRING),
     F("schedulerName", 19, SK_STRING), F("priorityClassName", 24, SK_STRING));
TYPE(PodTemplateSpec, FO("metadata", 1, ObjectMeta), FO("spec", 2, PodSpec));
TYPE(ResourceQuotaSpec, FM("hard", 1, SK_QUANTITY), FL("scopes", 2, SK_STRING));
TYPE(ResourceQuotaStatus, FM("hard", 1, SK_QUANTITY), FM("used", 2, SK_QUANTITY));
TYPE(ResourceQuota, FO("metadata", 1, ObjectMeta), FO("spec", 2, ResourceQuotaSpec),
     FO("status", 3, ResourceQuotaStatus));

/* apps/v1 */
TYPE(RollingUpdateDeployment, F("maxUnavailable", 1, SK_INT_OR_STRING),
     F("maxSurge", 2, SK_INT_OR_STRING));
TYPE(DeploymentStrategy, F("type", 1, SK_STRING), FO("rollingUpdate", 2, RollingUpdateDeployment));
TYPE(DeploymentSpec, FZ("replicas", 1, SK_INT32), FO("selector", 2, LabelSelector),
     FO("template", 3, PodTemplateSpec), FO("strategy", 4, DeploymentStrategy),
     F("minReadySeconds", 5, SK_INT32), FZ("revisionHistoryLimit", 6, SK_INT32),
     F("paused", 7, SK_BOOL), FZ("progressDeadlineSeconds", 9, SK_INT32));
TYPE(DeploymentCondition, F("type", 1, SK_STRING), F("status", 2, SK_STRING),
     F("lastUpdateTime", 6, SK_TIME), F("lastTransitionTime", 7, SK_TIME),
     F("reason", 4, SK_STRING), F("message", 5, SK_STRING));
TYPE(DeploymentStatus, F("observedGeneration", 1, SK_INT64), F("replicas", 2, SK_INT32),
     F("updatedReplicas", 3, SK_INT32), F("readyReplicas", 7, SK_INT32),
     F("availableReplicas", 4, SK_INT32), F("unavailableReplicas", 5, SK_INT32),
     FLO("conditions", 6, DeploymentCondition), FZ("collisionCount", 8, SK_INT32));
TYPE(Deployment, FO("metadata", 1, ObjectMeta), FO("spec", 2, DeploymentSpec),
     FO("status", 3, DeploymentStatus));

/* batch/v1 */
TYPE(JobSpec, FZ("parallelism", 1, SK_INT32), FZ("completions", 2, SK_INT32),
     FZ("activeDeadlineSeconds", 3, SK_INT64), FZ("backoffLimit", 7, SK_INT32),
     FO("selector", 4, LabelSelector), FZ("manualSelector", 5, SK_BOOL),
     FO("template", 6, PodTemplateSpec), FZ("ttlSecondsAfterFinished", 8, SK_INT32),
     FZ("completionMode", 9, SK_STRING), FZ("suspend", 10, SK_BOOL));
TYPE(JobStatus, F("startTime", 2, SK_TIME), F("completionTime", 3, SK_TIME),
     F("active", 4, SK_INT32), F("succeeded", 5, SK_INT32), F("failed", 6, SK_INT32),
     F("completedIndexes", 7, SK_STRING), FZ("ready", 9, SK_INT32));
TYPE(Job, FO("metadata", 1, ObjectMeta), FO("spec", 2, JobSpec), FO("status", 3, JobStatus));
TYPE(JobTemplateSpec, FO("metadata", 1, ObjectMeta), FO("spec", 2, JobSpec));
TYPE(CronJobSpec, F("schedule", 1, SK_STRING), FZ("timeZone", 8, SK_STRING),
     FZ("startingDeadlineSeconds", 2, SK_INT64), F("concurrencyPolicy", 3, SK_STRING),
     FZ("suspend", 4, SK_BOOL), FO("jobTemplate", 5, JobTemplateSpec),
     FZ("successfulJobsHistoryLimit", 6, SK_INT32), FZ("failedJobsHistoryLimit", 7, SK_INT32));
TYPE(CronJobStatus, F("lastScheduleTime", 4, SK_TIME), F("lastSuccessfulTime", 5, SK_TIME));
TYPE(CronJob, FO("metadata", 1, ObjectMeta), FO("spec", 2, CronJobSpec), FO("status", 3, CronJobStatus));

/* authentication/v1 */
TYPE(BoundObjectReference, F("kind", 1, SK_STRING), F("apiVersion", 2, SK_STRING),
     F("name", 3, SK_STRING), F("uid", 4, SK_STRING));
TYPE(TokenRequestSpec, FL("audiences", 1, SK_STRING), FZ("expirationSeconds", 4, SK_INT64),
     FO("boundObjectRef", 3, BoundObjectReference));
TYPE(TokenRequestStatus, FZ("token", 1, SK_STRING), F("expirationTimestamp", 2, SK_TIME));
TYPE(TokenRequest, FO("metadata", 1, ObjectMeta), FO("spec", 2, TokenRequestSpec),
     FO("status", 3, TokenRequestStatus));
static const struct sch_field UserInfo_fields[] = {
	F("username", 1, SK_STRING), F("uid", 2, SK_STRING), FL("groups", 3, SK_STRING),
	{ .name = "extra", .proto = 4, .kind = SK_STRING, .list = SL_ATOMIC, .flags = SF_MAP },
};
static const struct sch_type UserInfo = { "UserInfo", UserInfo_fields, ARRAY_SIZE(UserInfo_fields), 0, NULL };
TYPE(SelfSubjectReviewStatus, FO("userInfo", 1, UserInfo));
TYPE(SelfSubjectReview, FO("metadata", 1, ObjectMeta), FO("status", 2, SelfSubjectReviewStatus));

/* authorization/v1 */
TYPE(ResourceAttributes, F("namespace", 1, SK_STRING), F("verb", 2, SK_STRING),
     F("group", 3, SK_STRING), F("version", 4, SK_STRING), F("resource", 5, SK_STRING),
     F("subresource", 6, SK_STRING), F("name", 7, SK_STRING));
TYPE(NonResourceAttributes, F("path", 1, SK_STRING), F("verb", 2, SK_STRING));
TYPE(SelfSubjectAccessReviewSpec, FO("resourceAttributes", 1, ResourceAttributes),
     FO("nonResourceAttributes", 2, NonResourceAttributes));
TYPE(SubjectAccessReviewStatus, FZ("allowed", 1, SK_BOOL), F("denied", 4, SK_BOOL),
     F("reason", 2, SK_STRING), F("evaluationError", 3, SK_STRING));
TYPE(SelfSubjectAccessReview, FO("metadata", 1, ObjectMeta), FO("spec", 2, SelfSubjectAccessReviewSpec),
     FO("status", 3, SubjectAccessReviewStatus));

/* rbac/v1 */
TYPE(PolicyRule, FL("verbs", 1, SK_STRING), FL("apiGroups", 2, SK_STRING),
     FL("resources", 3, SK_STRING), FL("resourceNames", 4, SK_STRING),
     FL("nonResourceURLs", 5, SK_STRING));
TYPE(Role, FO("metadata", 1, ObjectMeta), FLO("rules", 2, PolicyRule));
TYPE(ClusterRole, FO("metadata", 1, ObjectMeta), FLO("rules", 2, PolicyRule));
TYPE(Subject, FZ("kind", 1, SK_STRING), F("apiGroup", 2, SK_STRING), FZ("name", 3, SK_STRING),
     F("namespace", 4, SK_STRING));
TYPE(RoleRef, FZ("apiGroup", 1, SK_STRING), FZ("kind", 2, SK_STRING), FZ("name", 3, SK_STRING));
TYPE(RoleBinding, FO("metadata", 1, ObjectMeta), FLO("subjects", 2, Subject), FO("roleRef", 3, RoleRef));

/* scheduling/v1, policy/v1 */
TYPE(PriorityClass, FO("metadata", 1, ObjectMeta), FZ("value", 2, SK_INT32),
     F("globalDefault", 3, SK_BOOL), F("description", 4, SK_STRING),
     FZ("preemptionPolicy", 5, SK_STRING));
TYPE(PodDisruptionBudgetSpec, F("minAvailable", 1, SK_INT_OR_STRING), FO("selector", 2, LabelSelector),
     F("maxUnavailable", 3, SK_INT_OR_STRING), FZ("unhealthyPodEvictionPolicy", 4, SK_STRING));
TYPE(PodDisruptionBudgetStatus, F("observedGeneration", 1, SK_INT64),
     FM("disruptedPods", 2, SK_TIME), FZ("disruptionsAllowed", 3, SK_INT32),
     FZ("currentHealthy", 4, SK_INT32), FZ("desiredHealthy", 5, SK_INT32),
     FZ("expectedPods", 6, SK_INT32));
TYPE(PodDisruptionBudget, FO("metadata", 1, ObjectMeta), FO("spec", 2, PodDisruptionBudgetSpec),
     FO("status", 3, PodDisruptionBudgetStatus));

/* networking/v1: IngressRule inlines IngressRuleValue, which is protobuf field 2 of the rule. */
TYPE(ServiceBackendPort, F("name", 1, SK_STRING), F("number", 2, SK_INT32));
TYPE(IngressServiceBackend, FZ("name", 1, SK_STRING), FO("port", 2, ServiceBackendPort));
TYPE(IngressBackend, FO("service", 4, IngressServiceBackend));
TYPE(HTTPIngressPath, F("path", 1, SK_STRING), FZ("pathType", 3, SK_STRING),
     FO("backend", 2, IngressBackend));
TYPE(HTTPIngressRuleValue, FLO("paths", 1, HTTPIngressPath));
TYPE(IngressRuleValue, FO("http", 1, HTTPIngressRuleValue));
static const struct sch_field IngressRule_fields[] = {
	F("host", 1, SK_STRING),
	{ .name = "", .proto = 2, .kind = SK_OBJECT, .flags = SF_INLINE, .type = &IngressRuleValue },
};
static const struct sch_type IngressRule = { "IngressRule", IngressRule_fields, ARRAY_SIZE(IngressRule_fields), 0, NULL };
TYPE(IngressSpec, FO("defaultBackend", 1, IngressBackend), FLO("rules", 3, IngressRule),
     FZ("ingressClassName", 4, SK_STRING));
TYPE(IngressLoadBalancerStatus, FLO("ingress", 1, LoadBalancerIngress));
TYPE(IngressStatus, FO("loadBalancer", 1, IngressLoadBalancerStatus));
TYPE(Ingress, FO("metadata", 1, ObjectMeta), FO("spec", 2, IngressSpec), FO("status", 3, IngressStatus));

/* Synthetic types for kinds kubectl does not send. Node nests itself, for the depth limit. */
static const struct sch_type Node;
static const struct sch_field Node_fields[] = { F("name", 1, SK_STRING), FO("child", 2, Node),
						 FLO("children", 3, Node) };
static const struct sch_type Node = { "Node", Node_fields, ARRAY_SIZE(Node_fields), 0, NULL };
TYPE(Kinds, F("s", 1, SK_STRING), F("b", 2, SK_BOOL), F("i32", 3, SK_INT32), F("i64", 4, SK_INT64),
     F("f", 5, SK_FLOAT64), F("bytes", 6, SK_BYTES), F("q", 7, SK_QUANTITY), F("t", 8, SK_TIME),
     F("mt", 9, SK_MICROTIME), F("d", 10, SK_DURATION), F("ios", 11, SK_INT_OR_STRING),
     F("raw", 12, SK_RAW), FL("li", 13, SK_INT32), FL("lf", 14, SK_FLOAT64),
     FL("lb", 15, SK_BOOL), FM("mq", 16, SK_QUANTITY), FM("mt2", 17, SK_TIME),
     FL("lraw", 18, SK_RAW), FM("mi", 19, SK_INT64), FZ("kz", 20, SK_INT32),
     FZ("kb", 21, SK_BYTES), FL("ls", 22, SK_STRING), FM("mf", 23, SK_FLOAT64),
     { .name = "mo", .proto = 24, .kind = SK_OBJECT, .flags = SF_MAP, .type = &Node },
     FO("node", 25, Node), FZ("ks", 26, SK_STRING), FZ("kt", 27, SK_TIME));

static const struct {
	const char *api_version, *kind;
	const struct sch_type *type;
} test_kinds[] = {
	{ "v1", "ConfigMap", &ConfigMap },
	{ "v1", "Secret", &Secret },
	{ "v1", "Namespace", &Namespace },
	{ "v1", "ServiceAccount", &ServiceAccount },
	{ "v1", "Service", &Service },
	{ "v1", "ResourceQuota", &ResourceQuota },
	{ "apps/v1", "Deployment", &Deployment },
	{ "batch/v1", "Job", &Job },
	{ "batch/v1", "CronJob", &CronJob },
	{ "authentication.k8s.io/v1", "TokenRequest", &TokenRequest },
	{ "authentication.k8s.io/v1", "SelfSubjectReview", &SelfSubjectReview },
	{ "authorization.k8s.io/v1", "SelfSubjectAccessReview", &SelfSubjectAccessReview },
	{ "rbac.authorization.k8s.io/v1", "Role", &Role },
	{ "rbac.authorization.k8s.io/v1", "ClusterRole", &ClusterRole },
	{ "rbac.authorization.k8s.io/v1", "RoleBinding", &RoleBinding },
	{ "scheduling.k8s.io/v1", "PriorityClass", &PriorityClass },
	{ "policy/v1", "PodDisruptionBudget", &PodDisruptionBudget },
	{ "networking.k8s.io/v1", "Ingress", &Ingress },
	{ "test/v1", "Kinds", &Kinds },
	{ "test/v1", "Node", &Node },
};

static const struct sch_type *test_lookup(void *arg, const char *api_version, const char *kind)
{
	int *calls = arg;
	if (calls)
		(*calls)++;
	for (size_t i = 0; i < ARRAY_SIZE(test_kinds); i++)
		if (!strcmp(test_kinds[i].api_version, api_version) && !strcmp(test_kinds[i].kind, kind))
			return test_kinds[i].type;
	return NULL;
}

#endif
