/*
 * csr.h - certificates.k8s.io CertificateSigningRequests: the kind hooks (csr.c, dispatched by
 * kinds.c) and what the signer controller (ctrl_csr.c) shares with them.
 */
#ifndef KUBE_SERVER_CSR_H
#define KUBE_SERVER_CSR_H

#include <cjson/cJSON.h>

#include "server/validate.h"

struct buf;

#define CSR_LEGACY_UNKNOWN "kubernetes.io/legacy-unknown"
#define CSR_CLIENT "kubernetes.io/kube-apiserver-client"
#define CSR_CLIENT_KUBELET "kubernetes.io/kube-apiserver-client-kubelet"
#define CSR_KUBELET_SERVING "kubernetes.io/kubelet-serving"

/* v1: condition status defaults to True. v1beta1 also defaults usages (digital signature, key
 * encipherment) and signerName from the request, as 1.20's v1beta1 defaulting did. */
void defaults_csr(cJSON *obj);
void defaults_csr_v1beta1(cJSON *obj);
/* Create: status cleared. Update of the main resource: spec and status are old's. */
void prepare_csr(cJSON *obj, const cJSON *old);
/* Upstream's ValidateCertificateSigningRequest{Create,Update,StatusUpdate,ApprovalUpdate} (one
 * rule set: what each subresource may change is settled before, in api.c), with v1's strict
 * options or v1beta1's lax ones (legacy signer, unknown/duplicate usages, ...). */
void validate_csr(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_csr_v1beta1(const cJSON *obj, const cJSON *old, struct field_errors *errs);

/* Decodes spec.request (base64 of PEM) into pem (NUL-terminated). Returns 0, or -1 with
 * upstream's reason in why ("PEM block type must be CERTIFICATE REQUEST", parse errors). */
int csr_request_pem(const cJSON *spec, struct buf *pem, struct buf *why);

/* Is there a condition of type in obj's status.conditions (status True or unset)? */
int csr_has_condition(const cJSON *obj, const char *type);

#endif
