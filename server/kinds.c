/*
 * kinds.c - which defaulting, preparation and validation hooks each served kind has (see struct
 * kind_hooks in internal.h): one table row per kind, looked up once by registry_init.
 *
 * The hooks themselves live in defaults.c, prepare.c and validate_*.c (declared in kinds.h).
 * A kind without a row (ServiceAccount) has only the generic metadata checks, as upstream.
 */
#include "internal.h"
#include "server/crd.h"
#include "server/csr.h"
#include "server/kinds.h"
#include "server/networking.h"
#include "server/sched.h"

#include <string.h>

static const struct {
	const char *group, *version, *kind;
	struct kind_hooks hooks;
} table[] = {
	{ "", "v1", "Namespace", { defaults_namespace, prepare_namespace, validate_namespace, validate_namespace_status } },
	{ "", "v1", "Pod", { defaults_pod, prepare_pod, validate_pod, validate_pod_status } },
	{ "", "v1", "Node", { defaults_node, prepare_node, validate_node, validate_node } },
	{ "", "v1", "Service", { defaults_service, prepare_service, validate_service, validate_service_status } },
	{ "", "v1", "Endpoints", { defaults_endpoints, NULL, validate_endpoints, NULL } },
	{ "", "v1", "ConfigMap", { NULL, NULL, validate_configmap, NULL } },
	{ "", "v1", "Secret", { defaults_secret, NULL, validate_secret, NULL } },
	{ "", "v1", "Event", { defaults_event, NULL, validate_event, NULL } },
	{ "", "v1", "ReplicationController", { defaults_replicationcontroller, prepare_replicaset, validate_replicationcontroller, validate_replicaset_status } },
	{ "apps", "v1", "Deployment", { defaults_deployment, prepare_deployment, validate_deployment, validate_deployment_status } },
	{ "apps", "v1", "ReplicaSet", { defaults_replicaset, prepare_replicaset, validate_replicaset, validate_replicaset_status } },
	{ "apps", "v1", "DaemonSet", { defaults_daemonset, prepare_daemonset, validate_daemonset, validate_daemonset_status } },
	{ "apps", "v1", "StatefulSet", { defaults_statefulset, prepare_statefulset, validate_statefulset, validate_statefulset_status } },
	{ "apps", "v1", "ControllerRevision", { NULL, NULL, validate_controllerrevision, NULL } },
	{ "batch", "v1", "Job", { defaults_job, prepare_job, validate_job, validate_job_status } },
	{ "batch", "v1", "CronJob", { defaults_cronjob, prepare_cronjob, validate_cronjob, NULL } },
	{ "policy", "v1", "PodDisruptionBudget", { NULL, prepare_pdb, validate_pdb, validate_pdb_status } },
	{ "batch", "v1beta1", "CronJob", { defaults_cronjob, prepare_cronjob, validate_cronjob, NULL } },
	{ "policy", "v1beta1", "PodDisruptionBudget", { NULL, prepare_pdb, validate_pdb, validate_pdb_status } },
	{ "autoscaling", "v2", "HorizontalPodAutoscaler", { defaults_hpa, prepare_hpa, validate_hpa, validate_hpa_status } },
	{ "autoscaling", "v1", "HorizontalPodAutoscaler", { defaults_hpa_v1, prepare_hpa_v1, validate_hpa_v1, validate_hpa_v1_status } },
	{ "scheduling.k8s.io", "v1", "PriorityClass", { defaults_priorityclass, NULL, validate_priorityclass, NULL } },
	{ "coordination.k8s.io", "v1", "Lease", { defaults_lease, prepare_lease, validate_lease, NULL } },
	{ "discovery.k8s.io", "v1", "EndpointSlice", { defaults_endpointslice, prepare_endpointslice, validate_endpointslice, NULL } },
	{ "events.k8s.io", "v1", "Event", { defaults_event_v1, NULL, validate_event_v1, NULL } },
	{ "rbac.authorization.k8s.io", "v1", "Role", { NULL, NULL, validate_role, NULL } },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRole", { NULL, NULL, validate_clusterrole, NULL } },
	{ "rbac.authorization.k8s.io", "v1", "RoleBinding", { NULL, NULL, validate_rolebinding, NULL } },
	{ "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", { NULL, NULL, validate_clusterrolebinding, NULL } },
	{ "rbac.authorization.k8s.io", "v1beta1", "Role", { NULL, NULL, validate_role, NULL } },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRole", { NULL, NULL, validate_clusterrole, NULL } },
	{ "rbac.authorization.k8s.io", "v1beta1", "RoleBinding", { NULL, NULL, validate_rolebinding, NULL } },
	{ "rbac.authorization.k8s.io", "v1beta1", "ClusterRoleBinding", { NULL, NULL, validate_clusterrolebinding, NULL } },
	{ "", "v1", "PodTemplate", { defaults_podtemplate, NULL, validate_podtemplate, NULL } },
	{ "", "v1", "PersistentVolume", { defaults_pv, prepare_pv, validate_pv, validate_pv_status } },
	{ "", "v1", "PersistentVolumeClaim", { defaults_pvc, prepare_pvc, validate_pvc, validate_pvc_status } },
	{ "", "v1", "LimitRange", { defaults_limitrange, NULL, validate_limitrange, NULL } },
	{ "", "v1", "ResourceQuota", { defaults_resourcequota, prepare_resourcequota, validate_resourcequota, validate_resourcequota_status } },
	{ "storage.k8s.io", "v1", "StorageClass", { defaults_storageclass, NULL, validate_storageclass, NULL } },
	{ "certificates.k8s.io", "v1", "CertificateSigningRequest", { defaults_csr, prepare_csr, validate_csr, validate_csr } },
	{ "certificates.k8s.io", "v1beta1", "CertificateSigningRequest",
	  { defaults_csr_v1beta1, prepare_csr, validate_csr_v1beta1, validate_csr_v1beta1 } },
	{ "networking.k8s.io", "v1", "Ingress", { NULL, prepare_ingress, validate_ingress, validate_ingress_status } },
	{ "networking.k8s.io", "v1beta1", "Ingress",
	  { defaults_ingress_v1beta1, prepare_ingress, validate_ingress_v1beta1, validate_ingress_status } },
	{ "extensions", "v1beta1", "Ingress",
	  { defaults_ingress_v1beta1, prepare_ingress, validate_ingress_v1beta1, validate_ingress_status } },
	{ "networking.k8s.io", "v1", "IngressClass", { defaults_ingressclass, NULL, validate_ingressclass, NULL } },
	{ "networking.k8s.io", "v1", "NetworkPolicy", { defaults_networkpolicy, NULL, validate_networkpolicy, NULL } },
	{ "apiextensions.k8s.io", "v1", "CustomResourceDefinition", { defaults_crd, prepare_crd, validate_crd, NULL } },
	{ "apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition",
	  { defaults_crd_v1beta1, prepare_crd, validate_crd_v1beta1, NULL } },
};

const struct kind_hooks *kind_hooks(const char *group, const char *version, const char *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (!strcmp(table[i].group, group) && !strcmp(table[i].version, version) && !strcmp(table[i].kind, kind))
			return &table[i].hooks;
	return NULL;
}
