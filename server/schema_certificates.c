/*
 * schema_certificates.c - the tables of certificates.k8s.io: CertificateSigningRequest, its
 * spec, status, condition and list.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order and with
 * its protobuf numbers (k8s.io/api/certificates/v1/generated.proto). v1beta1 has the same fields
 * and numbers (it is served as a view of the stored v1 kind), so its top-level types reuse the v1
 * field tables under their own definition names. Facts follow Kubernetes v1.33; descriptions are
 * our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field csr_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Approved, Denied or Failed (or another type a signer uses)." },
	{ "status", 6, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown; Approved, Denied and Failed are always True." },
	{ "reason", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "A short machine-readable reason for the condition." },
	{ "message", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "A human-readable explanation." },
	{ "lastUpdateTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition was last updated." },
	{ "lastTransitionTime", 5, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition last changed status." },
};
const struct sch_type sch_certificates_CertificateSigningRequestCondition = {
	.name = "io.k8s.api.certificates.v1.CertificateSigningRequestCondition",
	.fields = csr_condition_fields,
	.nfields = ARRAY_SIZE(csr_condition_fields),
	.doc = "One condition of a certificate signing request.",
};

static const struct sch_field csr_spec_fields[] = {
	{ "request", 1, SK_BYTES, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "A PEM-encoded PKCS#10 CERTIFICATE REQUEST, base64 in JSON." },
	{ "signerName", 7, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The signer asked to sign the request, a qualified name such as kubernetes.io/kube-apiserver-client." },
	{ "expirationSeconds", 8, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "The validity asked for the certificate, at least 600 seconds; the signer may shorten it." },
	{ "usages", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Key usages and extended key usages asked for (\"digital signature\", \"client auth\", ...)." },
	{ "username", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The user who created the request; set by the server." },
	{ "uid", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The uid of the user who created the request; set by the server." },
	{ "groups", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "The groups of the user who created the request; set by the server." },
	{ "extra", 6, SK_STRING, SL_ATOMIC, SF_MAP, NULL, NULL, NULL,
	  "Extra attributes of the user who created the request; set by the server." },
};
const struct sch_type sch_certificates_CertificateSigningRequestSpec = {
	.name = "io.k8s.api.certificates.v1.CertificateSigningRequestSpec",
	.fields = csr_spec_fields,
	.nfields = ARRAY_SIZE(csr_spec_fields),
	.doc = "What a certificate signing request asks for, and who asked.",
};

static const struct sch_field csr_status_fields[] = {
	{ "conditions", 1, SK_OBJECT, SL_MAP, SF_SMP_REPLACE, NULL, "type",
	  &sch_certificates_CertificateSigningRequestCondition,
	  "Approved, Denied, Failed and other conditions of the request." },
	{ "certificate", 2, SK_BYTES, SL_NONE, 0, NULL, NULL, NULL,
	  "The issued PEM certificate(s), set by the signer once approved." },
};
const struct sch_type sch_certificates_CertificateSigningRequestStatus = {
	.name = "io.k8s.api.certificates.v1.CertificateSigningRequestStatus",
	.fields = csr_status_fields,
	.nfields = ARRAY_SIZE(csr_status_fields),
	.doc = "The state of a certificate signing request.",
};

static const struct sch_field csr_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CertificateSigningRequest." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_certificates_CertificateSigningRequestSpec,
	  "The request; immutable." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_certificates_CertificateSigningRequestStatus,
	  "Approval and the issued certificate." },
};
const struct sch_type sch_certificates_CertificateSigningRequest = {
	.name = "io.k8s.api.certificates.v1.CertificateSigningRequest",
	.fields = csr_fields,
	.nfields = ARRAY_SIZE(csr_fields),
	.doc = "A request for a certificate from a signer, approved or denied, then signed.",
};
/* v1beta1's spec: the same fields, but signerName is optional (a pointer, defaulted from the
 * request), so kubectl 1.20's client-side validation accepts 1.18-era manifests. */
static const struct sch_field csr_spec_v1beta1_fields[] = {
	{ "request", 1, SK_BYTES, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "A PEM-encoded PKCS#10 CERTIFICATE REQUEST, base64 in JSON." },
	{ "signerName", 7, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The signer asked to sign the request; when absent, guessed from the request." },
	{ "expirationSeconds", 8, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "The validity asked for the certificate, at least 600 seconds; the signer may shorten it." },
	{ "usages", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Key usages and extended key usages asked for (\"digital signature\", \"client auth\", ...)." },
	{ "username", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The user who created the request; set by the server." },
	{ "uid", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The uid of the user who created the request; set by the server." },
	{ "groups", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "The groups of the user who created the request; set by the server." },
	{ "extra", 6, SK_STRING, SL_ATOMIC, SF_MAP, NULL, NULL, NULL,
	  "Extra attributes of the user who created the request; set by the server." },
};
const struct sch_type sch_certificates_v1beta1_CertificateSigningRequestSpec = {
	.name = "io.k8s.api.certificates.v1beta1.CertificateSigningRequestSpec",
	.fields = csr_spec_v1beta1_fields,
	.nfields = ARRAY_SIZE(csr_spec_v1beta1_fields),
	.doc = "What a certificate signing request asks for, and who asked (v1beta1).",
};

static const struct sch_field csr_v1beta1_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CertificateSigningRequest." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_certificates_v1beta1_CertificateSigningRequestSpec,
	  "The request; immutable." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_certificates_CertificateSigningRequestStatus,
	  "Approval and the issued certificate." },
};
const struct sch_type sch_certificates_v1beta1_CertificateSigningRequest = {
	.name = "io.k8s.api.certificates.v1beta1.CertificateSigningRequest",
	.fields = csr_v1beta1_fields,
	.nfields = ARRAY_SIZE(csr_v1beta1_fields),
	.doc = "A request for a certificate (deprecated version of certificates.k8s.io/v1).",
};

static const struct sch_field csr_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CertificateSigningRequestList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_certificates_CertificateSigningRequest,
	  "The CertificateSigningRequest objects." },
};
const struct sch_type sch_certificates_CertificateSigningRequestList = {
	.name = "io.k8s.api.certificates.v1.CertificateSigningRequestList",
	.fields = csr_list_fields,
	.nfields = ARRAY_SIZE(csr_list_fields),
	.doc = "A list of CertificateSigningRequest objects.",
};
static const struct sch_field csr_list_v1beta1_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: CertificateSigningRequestList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_certificates_v1beta1_CertificateSigningRequest,
	  "The CertificateSigningRequest objects." },
};
const struct sch_type sch_certificates_v1beta1_CertificateSigningRequestList = {
	.name = "io.k8s.api.certificates.v1beta1.CertificateSigningRequestList",
	.fields = csr_list_v1beta1_fields,
	.nfields = ARRAY_SIZE(csr_list_v1beta1_fields),
	.doc = "A list of CertificateSigningRequest objects (deprecated version).",
};
