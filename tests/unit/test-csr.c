/* Unit tests for server/csr.c: CertificateSigningRequest defaulting (v1beta1's signerName and
 * usages) and validation (upstream's messages, v1's strict and v1beta1's lax options). */
#include "test.h"
#include "field-errors.h"
#include "buf.h"
#include "json.h"
#include "pki.h"
#include "util.h"
#include "server/csr.h"

#include <string.h>

/* A CSR object for a real request of cn, with signer and usages given as JSON text. */
static cJSON *csr_obj(const char *cn, const char *signer, const char *usages)
{
	char *pem = NULL, *key = NULL;
	struct buf err = BUF_INIT, b64 = BUF_INIT;
	if (pki_csr_create(cn, &pem, &key, &err) < 0)
		return NULL;
	pki_base64(pem, strlen(pem), &b64);
	char *text = xasprintf("{\"metadata\":{\"name\":\"x\"},\"spec\":{\"request\":\"%s\"%s%s%s%s%s}}", b64.data,
			       signer ? ",\"signerName\":\"" : "", signer ? signer : "", signer ? "\"" : "",
			       usages ? ",\"usages\":" : "", usages ? usages : "");
	cJSON *obj = json_parse(text, strlen(text), NULL);
	free(text);
	free(pem);
	free(key);
	buf_release(&err);
	buf_release(&b64);
	return obj;
}

TEST_IMPL(csr_validate_v1)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	cJSON *ok = csr_obj("alice", "kubernetes.io/kube-apiserver-client", "[\"client auth\"]");
	ASSERT(ok);
	validate_csr(ok, NULL, &e);
	ASSERT_EQ(e.n, 0);
	cJSON *bad = csr_obj("bob", "kubernetes.io/legacy-unknown", "[\"client auth\",\"flying\",\"client auth\"]");
	validate_csr(bad, NULL, &e);
	ASSERT_STR(error_on(&e, "spec.signerName"), "the legacy signerName is not allowed via this API version");
	ASSERT(strstr(error_on(&e, "spec.usages[1]"), "supported values: \"any\", \"cert sign\""));
	ASSERT(error_on(&e, "spec.usages[2]"));
	field_errors_release(&e);
	/* the same object through v1beta1 is fine */
	validate_csr_v1beta1(bad, NULL, &e);
	ASSERT_EQ(e.n, 0);
	json_set_str(json_obj(bad, "spec"), "signerName", "nodomain/x");
	json_set_str(json_obj(bad, "spec"), "request", "bm90IGEgcGVt");
	validate_csr_v1beta1(bad, NULL, &e);
	ASSERT_STR(error_on(&e, "spec.signerName"), "should be a domain with at least two segments separated by dots");
	ASSERT_STR(error_on(&e, "spec.request"), "PEM block type must be CERTIFICATE REQUEST");
	field_errors_release(&e);
	cJSON_Delete(ok);
	cJSON_Delete(bad);
	return 0;
}

TEST_IMPL(csr_conditions)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	cJSON *old = csr_obj("alice", "kubernetes.io/kube-apiserver-client", "[\"client auth\"]");
	ASSERT(old);
	cJSON *obj = cJSON_Duplicate(old, 1);
	cJSON *st = json_obj_force(obj, "status");
	const char *conds = "[{\"type\":\"Approved\"},{\"type\":\"Denied\",\"status\":\"False\"}]";
	json_set(st, "conditions", json_parse(conds, strlen(conds), NULL));
	defaults_csr(obj);
	ASSERT_STR(json_strv(json_getv(obj, "status", "conditions", NULL)->child, "status", NULL), "True");
	validate_csr(obj, old, &e);
	ASSERT(strstr(error_on(&e, "status.conditions[1].status"), "supported values: \"True\""));
	field_errors_release(&e);
	json_set_str(cJSON_GetArrayItem(json_getv(obj, "status", "conditions", NULL), 1), "status", "True");
	validate_csr(obj, old, &e);
	ASSERT_STR(error_on(&e, "status.conditions"), "Approved and Denied conditions are mutually exclusive");
	field_errors_release(&e);
	/* removing an Approved condition is refused */
	validate_csr(old, obj, &e);
	ASSERT(error_on(&e, "status.conditions"));
	field_errors_release(&e);
	cJSON_Delete(old);
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(csr_v1beta1_defaults)
{
	cJSON *plain = csr_obj("kube-admin", NULL, NULL);
	ASSERT(plain);
	defaults_csr_v1beta1(plain);
	ASSERT_STR(json_strv(plain, "spec", "signerName", NULL), CSR_LEGACY_UNKNOWN);
	cJSON *u = json_getv(plain, "spec", "usages", NULL);
	ASSERT_EQ(cJSON_GetArraySize(u), 2);
	ASSERT_STR(cJSON_GetArrayItem(u, 0)->valuestring, "digital signature");
	/* a given signer stays */
	cJSON *given = csr_obj("x", "example.com/mine", "[\"client auth\"]");
	defaults_csr_v1beta1(given);
	ASSERT_STR(json_strv(given, "spec", "signerName", NULL), "example.com/mine");
	cJSON_Delete(plain);
	cJSON_Delete(given);
	return 0;
}
