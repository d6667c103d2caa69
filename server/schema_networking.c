/*
 * schema_networking.c - the networking.k8s.io tables: Ingress, IngressClass and NetworkPolicy
 * (v1, with their lists), and the v1beta1 Ingress shape that networking.k8s.io/v1beta1 and
 * extensions/v1beta1 serve as views of the v1 objects (networking.c).
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order with
 * upstream's protobuf numbers (k8s.io/api/networking/v1 and v1beta1 generated.proto). An
 * IngressRule's IngressRuleValue is embedded (SF_INLINE), as in the Go type. The v1beta1 types
 * reuse the v1 TLS and status types, which have the same shape. Facts follow Kubernetes v1.33;
 * descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field nw_ingress_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Ingress." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressSpec,
	  "The desired routing." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressStatus,
	  "The load balancer an ingress controller reports." },
};
const struct sch_type sch_networking_Ingress = {
	.name = "io.k8s.api.networking.v1.Ingress",
	.fields = nw_ingress_fields,
	.nfields = ARRAY_SIZE(nw_ingress_fields),
	.doc = "Rules routing outside HTTP(S) traffic to services; served for an ingress controller to act on.",
};

static const struct sch_field nw_ingressspec_fields[] = {
	{ "ingressClassName", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The IngressClass that implements this Ingress." },
	{ "defaultBackend", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressBackend,
	  "Where requests no rule matches go." },
	{ "tls", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_IngressTLS,
	  "TLS settings: hosts and the secret with their certificate." },
	{ "rules", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_IngressRule,
	  "Host rules; requests matching none go to the default backend." },
};
const struct sch_type sch_networking_IngressSpec = {
	.name = "io.k8s.api.networking.v1.IngressSpec",
	.fields = nw_ingressspec_fields,
	.nfields = ARRAY_SIZE(nw_ingressspec_fields),
	.doc = "The routing an Ingress asks for.",
};

static const struct sch_field nw_ingressbackend_fields[] = {
	{ "service", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressServiceBackend,
	  "A service and port of the Ingress's namespace." },
	{ "resource", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_TypedLocalObjectReference,
	  "Another object of the namespace; excludes service." },
};
const struct sch_type sch_networking_IngressBackend = {
	.name = "io.k8s.api.networking.v1.IngressBackend",
	.fields = nw_ingressbackend_fields,
	.nfields = ARRAY_SIZE(nw_ingressbackend_fields),
	.doc = "Where matching requests go: a service port or another resource.",
};

static const struct sch_field nw_ingressservicebackend_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the service." },
	{ "port", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_ServiceBackendPort,
	  "The service port, by name or number." },
};
const struct sch_type sch_networking_IngressServiceBackend = {
	.name = "io.k8s.api.networking.v1.IngressServiceBackend",
	.fields = nw_ingressservicebackend_fields,
	.nfields = ARRAY_SIZE(nw_ingressservicebackend_fields),
	.doc = "A service backend.",
};

static const struct sch_field nw_servicebackendport_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the port; excludes number." },
	{ "number", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of the port; excludes name." },
};
const struct sch_type sch_networking_ServiceBackendPort = {
	.name = "io.k8s.api.networking.v1.ServiceBackendPort",
	.fields = nw_servicebackendport_fields,
	.nfields = ARRAY_SIZE(nw_servicebackendport_fields),
	.doc = "A service port, by name or by number.",
};

static const struct sch_field nw_ingresstls_fields[] = {
	{ "hosts", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Hosts the certificate covers." },
	{ "secretName", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The secret holding the certificate and key." },
};
const struct sch_type sch_networking_IngressTLS = {
	.name = "io.k8s.api.networking.v1.IngressTLS",
	.fields = nw_ingresstls_fields,
	.nfields = ARRAY_SIZE(nw_ingresstls_fields),
	.doc = "TLS for some hosts.",
};

static const struct sch_field nw_ingressrule_fields[] = {
	{ "host", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "A fully qualified domain name, possibly with a leading wildcard label." },
	{ "ingressRuleValue", 2, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL, &sch_networking_IngressRuleValue,
	  "The rule's value." },
};
const struct sch_type sch_networking_IngressRule = {
	.name = "io.k8s.api.networking.v1.IngressRule",
	.fields = nw_ingressrule_fields,
	.nfields = ARRAY_SIZE(nw_ingressrule_fields),
	.doc = "The paths of one host (or of every host).",
};

static const struct sch_field nw_ingressrulevalue_fields[] = {
	{ "http", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_HTTPIngressRuleValue,
	  "HTTP paths." },
};
const struct sch_type sch_networking_IngressRuleValue = {
	.name = "io.k8s.api.networking.v1.IngressRuleValue",
	.fields = nw_ingressrulevalue_fields,
	.nfields = ARRAY_SIZE(nw_ingressrulevalue_fields),
	.flags = ST_INLINED,
	.doc = "The value of an ingress rule.",
};

static const struct sch_field nw_httpingressrulevalue_fields[] = {
	{ "paths", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_networking_HTTPIngressPath,
	  "Paths and their backends." },
};
const struct sch_type sch_networking_HTTPIngressRuleValue = {
	.name = "io.k8s.api.networking.v1.HTTPIngressRuleValue",
	.fields = nw_httpingressrulevalue_fields,
	.nfields = ARRAY_SIZE(nw_httpingressrulevalue_fields),
	.doc = "The HTTP paths of a rule.",
};

static const struct sch_field nw_httpingresspath_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The path matched against the request's path." },
	{ "pathType", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How path matches: Exact, Prefix or ImplementationSpecific." },
	{ "backend", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_networking_IngressBackend,
	  "Where matching requests go." },
};
const struct sch_type sch_networking_HTTPIngressPath = {
	.name = "io.k8s.api.networking.v1.HTTPIngressPath",
	.fields = nw_httpingresspath_fields,
	.nfields = ARRAY_SIZE(nw_httpingresspath_fields),
	.doc = "A path and its backend.",
};

static const struct sch_field nw_ingressstatus_fields[] = {
	{ "loadBalancer", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressLoadBalancerStatus,
	  "The load balancer's addresses." },
};
const struct sch_type sch_networking_IngressStatus = {
	.name = "io.k8s.api.networking.v1.IngressStatus",
	.fields = nw_ingressstatus_fields,
	.nfields = ARRAY_SIZE(nw_ingressstatus_fields),
	.doc = "The observed state of an Ingress.",
};

static const struct sch_field nw_ingressloadbalancerstatus_fields[] = {
	{ "ingress", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_IngressLoadBalancerIngress,
	  "Its ingress points." },
};
const struct sch_type sch_networking_IngressLoadBalancerStatus = {
	.name = "io.k8s.api.networking.v1.IngressLoadBalancerStatus",
	.fields = nw_ingressloadbalancerstatus_fields,
	.nfields = ARRAY_SIZE(nw_ingressloadbalancerstatus_fields),
	.doc = "The addresses of an ingress load balancer.",
};

static const struct sch_field nw_ingressloadbalanceringress_fields[] = {
	{ "ip", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "An IP address." },
	{ "hostname", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "A DNS name." },
	{ "ports", 4, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_IngressPortStatus,
	  "Its ports' states." },
};
const struct sch_type sch_networking_IngressLoadBalancerIngress = {
	.name = "io.k8s.api.networking.v1.IngressLoadBalancerIngress",
	.fields = nw_ingressloadbalanceringress_fields,
	.nfields = ARRAY_SIZE(nw_ingressloadbalanceringress_fields),
	.doc = "An ingress point of a load balancer.",
};

static const struct sch_field nw_ingressportstatus_fields[] = {
	{ "port", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The port number." },
	{ "protocol", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "TCP, UDP or SCTP." },
	{ "error", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Why the port is not working, as a CamelCase reason." },
};
const struct sch_type sch_networking_IngressPortStatus = {
	.name = "io.k8s.api.networking.v1.IngressPortStatus",
	.fields = nw_ingressportstatus_fields,
	.nfields = ARRAY_SIZE(nw_ingressportstatus_fields),
	.doc = "The state of a port of a load balancer.",
};

static const struct sch_field nw_ingresslist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: IngressList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_networking_Ingress,
	  "The Ingress objects." },
};
const struct sch_type sch_networking_IngressList = {
	.name = "io.k8s.api.networking.v1.IngressList",
	.fields = nw_ingresslist_fields,
	.nfields = ARRAY_SIZE(nw_ingresslist_fields),
	.doc = "A list of Ingress objects.",
};

static const struct sch_field nw_ingressclass_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: IngressClass." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressClassSpec,
	  "The controller and its parameters." },
};
const struct sch_type sch_networking_IngressClass = {
	.name = "io.k8s.api.networking.v1.IngressClass",
	.fields = nw_ingressclass_fields,
	.nfields = ARRAY_SIZE(nw_ingressclass_fields),
	.doc = "A kind of ingress and the controller that implements it.",
};

static const struct sch_field nw_ingressclassspec_fields[] = {
	{ "controller", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the controller, a domain-prefixed path (example.com/ingress)." },
	{ "parameters", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressClassParametersReference,
	  "An object holding the controller's settings." },
};
const struct sch_type sch_networking_IngressClassSpec = {
	.name = "io.k8s.api.networking.v1.IngressClassSpec",
	.fields = nw_ingressclassspec_fields,
	.nfields = ARRAY_SIZE(nw_ingressclassspec_fields),
	.doc = "The controller of an IngressClass and its parameters.",
};

static const struct sch_field nw_ingressclassparametersreference_fields[] = {
	{ "apiGroup", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Its API group (core when empty)." },
	{ "kind", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Its kind." },
	{ "name", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Its name." },
	{ "scope", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Cluster or Namespace." },
	{ "namespace", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Its namespace, with scope Namespace." },
};
const struct sch_type sch_networking_IngressClassParametersReference = {
	.name = "io.k8s.api.networking.v1.IngressClassParametersReference",
	.fields = nw_ingressclassparametersreference_fields,
	.nfields = ARRAY_SIZE(nw_ingressclassparametersreference_fields),
	.doc = "A reference to an IngressClass's parameters object.",
};

static const struct sch_field nw_ingressclasslist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: IngressClassList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_networking_IngressClass,
	  "The IngressClass objects." },
};
const struct sch_type sch_networking_IngressClassList = {
	.name = "io.k8s.api.networking.v1.IngressClassList",
	.fields = nw_ingressclasslist_fields,
	.nfields = ARRAY_SIZE(nw_ingressclasslist_fields),
	.doc = "A list of IngressClass objects.",
};

static const struct sch_field nw_networkpolicy_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: NetworkPolicy." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_NetworkPolicySpec,
	  "The policy." },
};
const struct sch_type sch_networking_NetworkPolicy = {
	.name = "io.k8s.api.networking.v1.NetworkPolicy",
	.fields = nw_networkpolicy_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicy_fields),
	.doc = "Which traffic the selected pods may receive and send; enforced by a network plugin.",
};

static const struct sch_field nw_networkpolicyspec_fields[] = {
	{ "podSelector", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_meta_LabelSelector,
	  "The pods of the namespace it covers; empty selects all." },
	{ "ingress", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_NetworkPolicyIngressRule,
	  "Incoming traffic allowed." },
	{ "egress", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_NetworkPolicyEgressRule,
	  "Outgoing traffic allowed." },
	{ "policyTypes", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Which directions it restricts: Ingress, Egress." },
};
const struct sch_type sch_networking_NetworkPolicySpec = {
	.name = "io.k8s.api.networking.v1.NetworkPolicySpec",
	.fields = nw_networkpolicyspec_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicyspec_fields),
	.doc = "The pods a NetworkPolicy covers and the traffic it allows.",
};

static const struct sch_field nw_networkpolicyingressrule_fields[] = {
	{ "ports", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_NetworkPolicyPort,
	  "Ports; empty means all." },
	{ "from", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_NetworkPolicyPeer,
	  "Sources; empty means all." },
};
const struct sch_type sch_networking_NetworkPolicyIngressRule = {
	.name = "io.k8s.api.networking.v1.NetworkPolicyIngressRule",
	.fields = nw_networkpolicyingressrule_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicyingressrule_fields),
	.doc = "Incoming traffic a policy allows.",
};

static const struct sch_field nw_networkpolicyegressrule_fields[] = {
	{ "ports", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_NetworkPolicyPort,
	  "Ports; empty means all." },
	{ "to", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_NetworkPolicyPeer,
	  "Destinations; empty means all." },
};
const struct sch_type sch_networking_NetworkPolicyEgressRule = {
	.name = "io.k8s.api.networking.v1.NetworkPolicyEgressRule",
	.fields = nw_networkpolicyegressrule_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicyegressrule_fields),
	.doc = "Outgoing traffic a policy allows.",
};

static const struct sch_field nw_networkpolicyport_fields[] = {
	{ "protocol", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "TCP (default), UDP or SCTP." },
	{ "port", 2, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "A port number or name; all ports when absent." },
	{ "endPort", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "With a numbered port: the last port of the range." },
};
const struct sch_type sch_networking_NetworkPolicyPort = {
	.name = "io.k8s.api.networking.v1.NetworkPolicyPort",
	.fields = nw_networkpolicyport_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicyport_fields),
	.doc = "A port, or a range of ports, and a protocol.",
};

static const struct sch_field nw_networkpolicypeer_fields[] = {
	{ "podSelector", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Pods (of the selected namespaces, else of the policy's)." },
	{ "namespaceSelector", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Namespaces." },
	{ "ipBlock", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IPBlock,
	  "A CIDR, minus some; excludes the selectors." },
};
const struct sch_type sch_networking_NetworkPolicyPeer = {
	.name = "io.k8s.api.networking.v1.NetworkPolicyPeer",
	.fields = nw_networkpolicypeer_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicypeer_fields),
	.doc = "Pods, namespaces or addresses traffic may come from or go to.",
};

static const struct sch_field nw_ipblock_fields[] = {
	{ "cidr", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The CIDR (192.168.1.0/24, 2001:db8::/64)." },
	{ "except", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "CIDRs inside it that are excluded." },
};
const struct sch_type sch_networking_IPBlock = {
	.name = "io.k8s.api.networking.v1.IPBlock",
	.fields = nw_ipblock_fields,
	.nfields = ARRAY_SIZE(nw_ipblock_fields),
	.doc = "A CIDR minus some CIDRs inside it.",
};

static const struct sch_field nw_networkpolicylist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: NetworkPolicyList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_networking_NetworkPolicy,
	  "The NetworkPolicy objects." },
};
const struct sch_type sch_networking_NetworkPolicyList = {
	.name = "io.k8s.api.networking.v1.NetworkPolicyList",
	.fields = nw_networkpolicylist_fields,
	.nfields = ARRAY_SIZE(nw_networkpolicylist_fields),
	.doc = "A list of NetworkPolicy objects.",
};

static const struct sch_field nw_v1beta1_ingress_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Ingress." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_v1beta1_IngressSpec,
	  "The desired routing." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_IngressStatus,
	  "The load balancer an ingress controller reports." },
};
const struct sch_type sch_networking_v1beta1_Ingress = {
	.name = "io.k8s.api.networking.v1beta1.Ingress",
	.fields = nw_v1beta1_ingress_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_ingress_fields),
	.doc = "The v1beta1 form of an Ingress.",
};

static const struct sch_field nw_v1beta1_ingressspec_fields[] = {
	{ "ingressClassName", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The IngressClass that implements this Ingress." },
	{ "backend", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_v1beta1_IngressBackend,
	  "Where requests no rule matches go." },
	{ "tls", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_IngressTLS,
	  "TLS settings." },
	{ "rules", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_networking_v1beta1_IngressRule,
	  "Host rules." },
};
const struct sch_type sch_networking_v1beta1_IngressSpec = {
	.name = "io.k8s.api.networking.v1beta1.IngressSpec",
	.fields = nw_v1beta1_ingressspec_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_ingressspec_fields),
	.doc = "The routing an Ingress asks for (v1beta1 form).",
};

static const struct sch_field nw_v1beta1_ingressbackend_fields[] = {
	{ "serviceName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the service." },
	{ "servicePort", 2, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The service port, by number or name." },
	{ "resource", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_TypedLocalObjectReference,
	  "Another object of the namespace; excludes the service." },
};
const struct sch_type sch_networking_v1beta1_IngressBackend = {
	.name = "io.k8s.api.networking.v1beta1.IngressBackend",
	.fields = nw_v1beta1_ingressbackend_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_ingressbackend_fields),
	.doc = "Where matching requests go (v1beta1 form).",
};

static const struct sch_field nw_v1beta1_ingressrule_fields[] = {
	{ "host", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "A fully qualified domain name, possibly with a leading wildcard label." },
	{ "ingressRuleValue", 2, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL, &sch_networking_v1beta1_IngressRuleValue,
	  "The rule's value." },
};
const struct sch_type sch_networking_v1beta1_IngressRule = {
	.name = "io.k8s.api.networking.v1beta1.IngressRule",
	.fields = nw_v1beta1_ingressrule_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_ingressrule_fields),
	.doc = "The paths of one host (v1beta1 form).",
};

static const struct sch_field nw_v1beta1_ingressrulevalue_fields[] = {
	{ "http", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_networking_v1beta1_HTTPIngressRuleValue,
	  "HTTP paths." },
};
const struct sch_type sch_networking_v1beta1_IngressRuleValue = {
	.name = "io.k8s.api.networking.v1beta1.IngressRuleValue",
	.fields = nw_v1beta1_ingressrulevalue_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_ingressrulevalue_fields),
	.flags = ST_INLINED,
	.doc = "The value of an ingress rule (v1beta1 form).",
};

static const struct sch_field nw_v1beta1_httpingressrulevalue_fields[] = {
	{ "paths", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_networking_v1beta1_HTTPIngressPath,
	  "Paths and their backends." },
};
const struct sch_type sch_networking_v1beta1_HTTPIngressRuleValue = {
	.name = "io.k8s.api.networking.v1beta1.HTTPIngressRuleValue",
	.fields = nw_v1beta1_httpingressrulevalue_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_httpingressrulevalue_fields),
	.doc = "The HTTP paths of a rule (v1beta1 form).",
};

static const struct sch_field nw_v1beta1_httpingresspath_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The path matched against the request's path." },
	{ "pathType", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "How path matches: Exact, Prefix or ImplementationSpecific (the default)." },
	{ "backend", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_networking_v1beta1_IngressBackend,
	  "Where matching requests go." },
};
const struct sch_type sch_networking_v1beta1_HTTPIngressPath = {
	.name = "io.k8s.api.networking.v1beta1.HTTPIngressPath",
	.fields = nw_v1beta1_httpingresspath_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_httpingresspath_fields),
	.doc = "A path and its backend (v1beta1 form).",
};

static const struct sch_field nw_v1beta1_ingresslist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: IngressList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_networking_v1beta1_Ingress,
	  "The Ingress objects." },
};
const struct sch_type sch_networking_v1beta1_IngressList = {
	.name = "io.k8s.api.networking.v1beta1.IngressList",
	.fields = nw_v1beta1_ingresslist_fields,
	.nfields = ARRAY_SIZE(nw_v1beta1_ingresslist_fields),
	.doc = "A list of Ingress objects (v1beta1 form).",
};
