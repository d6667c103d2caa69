/*
 * networking.h - the networking.k8s.io kinds: Ingress, IngressClass and NetworkPolicy (v1),
 * and the v1beta1 Ingress served by networking.k8s.io/v1beta1 and extensions/v1beta1.
 *
 * The API is served; nothing acts on it: kube has no ingress controller and does not enforce
 * NetworkPolicies (k3s ships Traefik and kube-router for these).
 */
#ifndef KUBE_NETWORKING_H
#define KUBE_NETWORKING_H

#include <cjson/cJSON.h>

struct field_errors;
struct api_req;

/* Defaulting (networking.c), upstream's SetDefaults_*: NetworkPolicy ports get protocol TCP and
 * the spec policyTypes [Ingress] (plus Egress when it has egress rules); an IngressClass's
 * parameters get scope Cluster; a v1beta1 Ingress path gets pathType ImplementationSpecific. */
void defaults_networkpolicy(cJSON *obj);
void defaults_ingressclass(cJSON *obj);
void defaults_ingress_v1beta1(cJSON *obj);
/* upstream's PrepareForCreate: a new Ingress starts with an empty status (updates of the main
 * resource keep the stored status generically). */
void prepare_ingress(cJSON *obj, const cJSON *old);

/* Validation (validate_networking.c), upstream's ValidateIngressCreate/Update,
 * ValidateIngressStatusUpdate, ValidateIngressClass(Update) and ValidateNetworkPolicy(Update),
 * with upstream's messages. The v1beta1 form is validated as the v1 object it converts to, so
 * its field paths are the v1 ones. */
void validate_ingress(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_ingress_status(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_ingress_v1beta1(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_ingressclass(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_networkpolicy(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* Converts a v1beta1 Ingress (spec.backend, backend.serviceName/servicePort) to the v1 form
 * (spec.defaultBackend, backend.service.name/port.number|name) in place, and back. */
void ingress_v1beta1_to_v1(cJSON *obj);
void ingress_v1_to_v1beta1(cJSON *obj);

/* The DefaultIngressClass admission plugin on an Ingress create (any version): without
 * spec.ingressClassName and the kubernetes.io/ingress.class annotation, the IngressClass
 * annotated ingressclass.kubernetes.io/is-default-class=true becomes its class (the newest when
 * several are). */
void ingress_default_class(struct api_req *req, cJSON *obj);

#endif
