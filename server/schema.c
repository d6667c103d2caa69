/*
 * schema.c - lookups over the schema tables: a field of a type by JSON name, the type of a kind,
 * and the list of every type.
 *
 * DESIGN
 * The tables themselves live in schema_meta.c, schema_core.c, schema_apps.c, schema_batch.c and
 * schema_misc.c, one static sch_type per API type, all declared in schema.h through SCH_TYPES.
 * This file only indexes them: the kind table below maps group/version/kind to a top-level type,
 * and sch_types() returns the SCH_TYPES list. Everything is static const data; lookups are
 * linear scans over tables of a few dozen entries (a type has at most ~45 fields).
 */
#include "server/schema.h"

#include <string.h>

#include "lib/util.h"

/* group ("" for core), version, kind -> top-level type. */
static const struct {
	const char *group;
	const char *version;
	const char *kind;
	const struct sch_type *type;
} kinds[] = {
	{ "meta.k8s.io", "v1", "Status", &sch_meta_Status },
	{ "", "v1", "Status", &sch_meta_Status },
	{ "meta.k8s.io", "v1", "DeleteOptions", &sch_meta_DeleteOptions },
	{ "", "v1", "DeleteOptions", &sch_meta_DeleteOptions },
	{ "autoscaling", "v1", "Scale", &sch_autoscaling_Scale },
	{ "", "v1", "Binding", &sch_core_Binding },
	{ "authentication.k8s.io", "v1", "TokenRequest", &sch_authentication_TokenRequest },
	{ "authentication.k8s.io", "v1", "SelfSubjectReview", &sch_authentication_SelfSubjectReview },
	{ "authorization.k8s.io", "v1", "SelfSubjectAccessReview", &sch_authorization_SelfSubjectAccessReview },
	{ "authentication.k8s.io", "v1beta1", "SelfSubjectReview", &sch_authentication_v1beta1_SelfSubjectReview },
	{ "", "v1", "Pod", &sch_core_Pod },
	{ "", "v1", "Service", &sch_core_Service },
	{ "", "v1", "ServiceAccount", &sch_core_ServiceAccount },
	{ "", "v1", "Endpoints", &sch_core_Endpoints },
	{ "", "v1", "Node", &sch_core_Node },
	{ "", "v1", "Namespace", &sch_core_Namespace },
	{ "", "v1", "Event", &sch_core_Event },
	{ "", "v1", "Secret", &sch_core_Secret },
	{ "", "v1", "ConfigMap", &sch_core_ConfigMap },
	{ "apps", "v1", "StatefulSet", &sch_apps_StatefulSet },
	{ "apps", "v1", "Deployment", &sch_apps_Deployment },
	{ "apps", "v1", "DaemonSet", &sch_apps_DaemonSet },
	{ "apps", "v1", "ReplicaSet", &sch_apps_ReplicaSet },
	{ "apps", "v1", "ControllerRevision", &sch_apps_ControllerRevision },
	{ "", "v1", "PersistentVolumeClaim", &sch_core_PersistentVolumeClaim },
	{ "batch", "v1", "Job", &sch_batch_Job },
	{ "batch", "v1", "CronJob", &sch_batch_CronJob },
	{ "policy", "v1", "PodDisruptionBudget", &sch_policy_PodDisruptionBudget },
	{ "policy", "v1", "Eviction", &sch_policy_Eviction },
	{ "scheduling.k8s.io", "v1", "PriorityClass", &sch_scheduling_PriorityClass },
	{ "coordination.k8s.io", "v1", "Lease", &sch_coordination_Lease },
	{ "discovery.k8s.io", "v1", "EndpointSlice", &sch_discovery_EndpointSlice },
	{ "events.k8s.io", "v1", "Event", &sch_events_Event },
	{ "", "v1", "NamespaceList", &sch_core_NamespaceList },
	{ "", "v1", "PodList", &sch_core_PodList },
	{ "", "v1", "NodeList", &sch_core_NodeList },
	{ "", "v1", "ServiceList", &sch_core_ServiceList },
	{ "", "v1", "EndpointsList", &sch_core_EndpointsList },
	{ "", "v1", "ConfigMapList", &sch_core_ConfigMapList },
	{ "", "v1", "SecretList", &sch_core_SecretList },
	{ "", "v1", "ServiceAccountList", &sch_core_ServiceAccountList },
	{ "", "v1", "EventList", &sch_core_EventList },
	{ "apps", "v1", "DeploymentList", &sch_apps_DeploymentList },
	{ "apps", "v1", "ReplicaSetList", &sch_apps_ReplicaSetList },
	{ "apps", "v1", "DaemonSetList", &sch_apps_DaemonSetList },
	{ "apps", "v1", "StatefulSetList", &sch_apps_StatefulSetList },
	{ "apps", "v1", "ControllerRevisionList", &sch_apps_ControllerRevisionList },
	{ "batch", "v1", "JobList", &sch_batch_JobList },
	{ "batch", "v1", "CronJobList", &sch_batch_CronJobList },
	{ "policy", "v1", "PodDisruptionBudgetList", &sch_policy_PodDisruptionBudgetList },
	{ "scheduling.k8s.io", "v1", "PriorityClassList", &sch_scheduling_PriorityClassList },
	{ "coordination.k8s.io", "v1", "LeaseList", &sch_coordination_LeaseList },
	{ "discovery.k8s.io", "v1", "EndpointSliceList", &sch_discovery_EndpointSliceList },
	{ "events.k8s.io", "v1", "EventList", &sch_events_EventList },
	{ "", "v1", "ReplicationController", &sch_core_ReplicationController },
	{ "", "v1", "ReplicationControllerList", &sch_core_ReplicationControllerList },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", &sch_autoscaling_v2_HorizontalPodAutoscaler },
	{ "autoscaling", "v2", "HorizontalPodAutoscalerList", &sch_autoscaling_v2_HorizontalPodAutoscalerList },
	{ "autoscaling", "v1", "HorizontalPodAutoscaler", &sch_autoscaling_HorizontalPodAutoscaler },
	{ "autoscaling", "v1", "HorizontalPodAutoscalerList", &sch_autoscaling_HorizontalPodAutoscalerList },
	{ "rbac.authorization.k8s.io", "v1", "Role", &sch_rbac_Role },
	{ "rbac.authorization.k8s.io", "v1", "RoleList", &sch_rbac_RoleList },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRole", &sch_rbac_ClusterRole },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleList", &sch_rbac_ClusterRoleList },
	{ "rbac.authorization.k8s.io", "v1", "RoleBinding", &sch_rbac_RoleBinding },
	{ "rbac.authorization.k8s.io", "v1", "RoleBindingList", &sch_rbac_RoleBindingList },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", &sch_rbac_ClusterRoleBinding },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBindingList", &sch_rbac_ClusterRoleBindingList },
	{ "rbac.authorization.k8s.io", "v1beta1", "Role", &sch_rbac_Role },
	{ "rbac.authorization.k8s.io", "v1beta1", "RoleList", &sch_rbac_RoleList },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRole", &sch_rbac_ClusterRole },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRoleList", &sch_rbac_ClusterRoleList },
	{ "rbac.authorization.k8s.io", "v1beta1", "RoleBinding", &sch_rbac_RoleBinding },
	{ "rbac.authorization.k8s.io", "v1beta1", "RoleBindingList", &sch_rbac_RoleBindingList },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBinding", &sch_rbac_ClusterRoleBinding },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBindingList", &sch_rbac_ClusterRoleBindingList },
	{ "authorization.k8s.io", "v1", "SubjectAccessReview", &sch_authorization_SubjectAccessReview },
	{ "authorization.k8s.io", "v1", "LocalSubjectAccessReview", &sch_authorization_LocalSubjectAccessReview },
	{ "authorization.k8s.io", "v1", "SelfSubjectRulesReview", &sch_authorization_SelfSubjectRulesReview },
	{ "authorization.k8s.io", "v1beta1", "SubjectAccessReview", &sch_authorization_v1beta1_SubjectAccessReview },
	{ "authentication.k8s.io", "v1", "TokenReview", &sch_authentication_TokenReview },
	{ "authentication.k8s.io", "v1beta1", "TokenReview", &sch_authentication_TokenReview },
	{ "certificates.k8s.io", "v1", "CertificateSigningRequest", &sch_certificates_CertificateSigningRequest },
	{ "certificates.k8s.io", "v1", "CertificateSigningRequestList", &sch_certificates_CertificateSigningRequestList },
	{ "certificates.k8s.io", "v1beta1", "CertificateSigningRequest", &sch_certificates_v1beta1_CertificateSigningRequest },
	{ "certificates.k8s.io", "v1beta1", "CertificateSigningRequestList", &sch_certificates_v1beta1_CertificateSigningRequestList },
	{ "batch", "v1beta1", "CronJob", &sch_batch_CronJob },
	{ "batch", "v1beta1", "CronJobList", &sch_batch_CronJobList },
	{ "policy", "v1beta1", "PodDisruptionBudget", &sch_policy_PodDisruptionBudget },
	{ "policy", "v1beta1", "PodDisruptionBudgetList", &sch_policy_PodDisruptionBudgetList },
	{ "networking.k8s.io", "v1", "Ingress", &sch_networking_Ingress },
	{ "networking.k8s.io", "v1", "IngressList", &sch_networking_IngressList },
	{ "networking.k8s.io", "v1", "IngressClass", &sch_networking_IngressClass },
	{ "networking.k8s.io", "v1", "IngressClassList", &sch_networking_IngressClassList },
	{ "networking.k8s.io", "v1", "NetworkPolicy", &sch_networking_NetworkPolicy },
	{ "networking.k8s.io", "v1", "NetworkPolicyList", &sch_networking_NetworkPolicyList },
	{ "networking.k8s.io", "v1beta1", "Ingress", &sch_networking_v1beta1_Ingress },
	{ "networking.k8s.io", "v1beta1", "IngressList", &sch_networking_v1beta1_IngressList },
	{ "extensions", "v1beta1", "Ingress", &sch_networking_v1beta1_Ingress },
	{ "extensions", "v1beta1", "IngressList", &sch_networking_v1beta1_IngressList },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinition", &sch_apiextensions_CustomResourceDefinition },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinitionList", &sch_apiextensions_CustomResourceDefinitionList },
	{ "apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition", &sch_apiextensions_v1beta1_CustomResourceDefinition },
	{ "apiextensions.k8s.io", "v1beta1", "CustomResourceDefinitionList",
	  &sch_apiextensions_v1beta1_CustomResourceDefinitionList },
	{ "meta.k8s.io", "v1", "WatchEvent", &sch_meta_WatchEvent },
	{ "", "v1", "WatchEvent", &sch_meta_WatchEvent },
	{ "", "v1", "PodTemplate", &sch_core_PodTemplate },
	{ "", "v1", "PodTemplateList", &sch_core_PodTemplateList },
	{ "", "v1", "PersistentVolume", &sch_core_PersistentVolume },
	{ "", "v1", "PersistentVolumeList", &sch_core_PersistentVolumeList },
	{ "", "v1", "PersistentVolumeClaimList", &sch_core_PersistentVolumeClaimList },
	{ "", "v1", "LimitRange", &sch_core_LimitRange },
	{ "", "v1", "LimitRangeList", &sch_core_LimitRangeList },
	{ "", "v1", "ResourceQuota", &sch_core_ResourceQuota },
	{ "", "v1", "ResourceQuotaList", &sch_core_ResourceQuotaList },
	{ "storage.k8s.io", "v1", "StorageClass", &sch_storage_StorageClass },
	{ "storage.k8s.io", "v1", "StorageClassList", &sch_storage_StorageClassList },
};

#define SCH_TYPE_ADDR(group, kind) &sch_##group##_##kind,
static const struct sch_type *const all_types[] = { SCH_TYPES(SCH_TYPE_ADDR) };
#undef SCH_TYPE_ADDR

const struct sch_field *sch_field(const struct sch_type *t, const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->nfields; i++) {
		const struct sch_field *f = &t->fields[i];
		if (f->flags & SF_INLINE) {
			const struct sch_field *in = sch_field(f->type, name);
			if (in)
				return in;
		} else if (!strcmp(f->name, name)) {
			return f;
		}
	}
	return NULL;
}

const struct sch_type *sch_kind_type(const char *group, const char *version, const char *kind)
{
	if (!group || !version || !kind)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kinds[i].kind, kind) && !strcmp(kinds[i].version, version) &&
		    !strcmp(kinds[i].group, group))
			return kinds[i].type;
	return NULL;
}

size_t sch_types(const struct sch_type *const **out)
{
	*out = all_types;
	return ARRAY_SIZE(all_types);
}
