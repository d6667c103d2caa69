/*
 * csr.c - certificates.k8s.io CertificateSigningRequests: defaulting, preparation, validation,
 * the requester's identity, the v1beta1 view and the kubectl get columns.
 *
 * DESIGN
 * A CSR is stored once, as certificates.k8s.io/v1; v1beta1 (the form test-cmd's fixture and
 * kubectl 1.20 users still post) is a kind_view of it whose fields are the same: only apiVersion
 * changes, and v1beta1 keeps its own defaulting (usages, a signerName guessed from the request)
 * and its laxer validation options, as upstream's getValidationOptions(version, ...) did. The
 * spec is the requester's and never changes after create (every update copies it from the stored
 * object, as upstream's strategies do); spec.username/groups are the authenticated user's,
 * whatever the request said. The approval subresource (api.c) changes status.conditions alone;
 * the status subresource (the signer) sets status.certificate once. Signing is ctrl_csr.c's.
 */
#include "internal.h"
#include "server/csr.h"
#include "server/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"

/* ---- the requester ------------------------------------------------------------------------ */

void csr_set_requester(cJSON *obj, const struct api_user *user)
{
	cJSON *spec = json_obj_force(obj, "spec");
	json_set_str(spec, "username", user->name ? user->name : "");
	cJSON *groups = cJSON_CreateArray();
	for (size_t i = 0; i < user->ngroups; i++)
		cJSON_AddItemToArray(groups, cJSON_CreateString(user->groups[i]));
	json_set(spec, "groups", groups);
	json_del(spec, "uid");
	json_del(spec, "extra");
}

int csr_has_condition(const cJSON *obj, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(obj, "status", "conditions", NULL))
	{
		const char *t = jstr(c, "type"), *s = jstr(c, "status");
		if (t && !strcmp(t, type) && (!s || !strcmp(s, "True")))
			return 1;
	}
	return 0;
}

/* ---- the request -------------------------------------------------------------------------- */

/* Is the first PEM block of text a CERTIFICATE REQUEST (Go's pem.Decode, then the type)? */
static int pem_is_csr(const char *text)
{
	const char *b = strstr(text, "-----BEGIN ");
	if (!b)
		return 0;
	b += strlen("-----BEGIN ");
	return starts_with(b, "CERTIFICATE REQUEST-----") && strstr(b, "-----END CERTIFICATE REQUEST-----");
}

int csr_request_pem(const cJSON *spec, struct buf *pem, struct buf *why)
{
	const char *req = jstr0(spec, "request");
	if (pki_base64_decode(req, strlen(req), pem) < 0 || !pem->len || !pem_is_csr(pem->data ? pem->data : "")) {
		buf_adds(why, "PEM block type must be CERTIFICATE REQUEST");
		return -1;
	}
	char *cn = NULL, **orgs = NULL;
	size_t norgs = 0;
	struct buf err = BUF_INIT;
	int ret = pki_csr_subject(pem->data, &cn, &orgs, &norgs, &err);
	if (ret < 0)
		buf_addf(why, "x509: %s", err.data ? err.data : "malformed certificate request");
	free(cn);
	pki_free_strings(orgs, norgs);
	buf_release(&err);
	return ret < 0 ? -1 : 0;
}

/* ---- defaulting --------------------------------------------------------------------------- */

void defaults_csr(cJSON *obj)
{
	char now[21];
	format_rfc3339(wall_seconds(), now);
	cJSON *c;
	/* upstream's condition defaulting and populateConditionTimestamps (an unset time is now) */
	cJSON_ArrayForEach(c, json_getv(obj, "status", "conditions", NULL))
	{
		if (!cJSON_IsObject(c))
			continue;
		if (!*jstr0(c, "status"))
			json_set_str(c, "status", "True");
		if (!jstr(c, "lastUpdateTime"))
			json_set_str(c, "lastUpdateTime", now);
		if (!jstr(c, "lastTransitionTime"))
			json_set_str(c, "lastTransitionTime", now);
	}
}

/* Are the usages exactly the set want (in any order, no others)? */
static int usages_are(const cJSON *usages, const char *const *want, size_t n)
{
	const cJSON *u;
	size_t seen = 0;
	cJSON_ArrayForEach(u, usages)
	{
		size_t i = 0;
		while (i < n && !(cJSON_IsString(u) && !strcmp(u->valuestring, want[i])))
			i++;
		if (i == n)
			return 0;
		seen++;
	}
	return seen == n;
}

/* upstream's DefaultSignerNameFromSpec: the kubelet client or serving signer for a node's
 * request (CN system:node:*, organization system:nodes, the kubelet's usages), else
 * legacy-unknown. Serving requests are told from client ones by their usages only (the SANs
 * upstream also checks are not read here). */
static const char *default_signer(const cJSON *spec)
{
	static const char *const client[] = { "digital signature", "key encipherment", "client auth" };
	static const char *const serving[] = { "digital signature", "key encipherment", "server auth" };
	struct buf pem = BUF_INIT, err = BUF_INIT;
	char *cn = NULL, **orgs = NULL;
	size_t norgs = 0;
	const char *signer = CSR_LEGACY_UNKNOWN;
	if (csr_request_pem(spec, &pem, &err) == 0 && pki_csr_subject(pem.data, &cn, &orgs, &norgs, &err) == 0 &&
	    norgs == 1 && !strcmp(orgs[0], "system:nodes") && starts_with(cn, "system:node:")) {
		const cJSON *usages = jget(spec, "usages");
		if (usages_are(usages, client, 3) || usages_are(usages, client + 1, 2) ||
		    usages_are(usages, (const char *const[]){ "digital signature", "client auth" }, 2))
			signer = CSR_CLIENT_KUBELET;
		else if (usages_are(usages, serving, 3) || usages_are(usages, (const char *const[]){ "digital signature", "server auth" }, 2))
			signer = CSR_KUBELET_SERVING;
	}
	free(cn);
	pki_free_strings(orgs, norgs);
	buf_release(&pem);
	buf_release(&err);
	return signer;
}

void defaults_csr_v1beta1(cJSON *obj)
{
	defaults_csr(obj);
	cJSON *spec = json_obj_force(obj, "spec");
	if (!jget(spec, "usages")) {
		cJSON *u = cJSON_CreateArray();
		cJSON_AddItemToArray(u, cJSON_CreateString("digital signature"));
		cJSON_AddItemToArray(u, cJSON_CreateString("key encipherment"));
		json_set(spec, "usages", u);
	}
	if (!jstr(spec, "signerName"))
		json_set_str(spec, "signerName", default_signer(spec));
}

/* ---- preparation -------------------------------------------------------------------------- */

void prepare_csr(cJSON *obj, const cJSON *old)
{
	if (!old) {
		json_del(obj, "status");
		return;
	}
	const cJSON *ospec = cJSON_GetObjectItemCaseSensitive(old, "spec");
	json_del(obj, "spec");
	if (ospec)
		json_set(obj, "spec", cJSON_Duplicate(ospec, 1));
}

/* ---- validation --------------------------------------------------------------------------- */

/* What a write may do (upstream's certificateValidationOptions, by API version and old). */
struct csr_opts {
	int beta;      /* v1beta1: legacy signer, unknown and duplicate usages, empty and duplicate
			* condition types, arbitrary certificate content */
	int legacy;    /* the legacy-unknown signer is allowed */
	int both;      /* Approved together with Denied is allowed (old had both) */
};

static const char *const valid_usages[] = {
	"any", "cert sign", "client auth", "code signing", "content commitment", "crl sign",
	"data encipherment", "decipher only", "digital signature", "email protection", "encipher only",
	"ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment",
	"microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing",
	"timestamping",
};

static void validate_usages(const cJSON *usages, const struct csr_opts *o, struct field_errors *errs)
{
	if (!cJSON_GetArraySize(usages)) {
		field_errors_add(errs, FE_REQUIRED, "spec.usages", NULL, NULL);
		return;
	}
	struct buf supported = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(valid_usages); i++)
		buf_addf(&supported, "%s\"%s\"", i ? ", " : "", valid_usages[i]);
	int i = 0;
	const cJSON *u, *p;
	cJSON_ArrayForEach(u, usages)
	{
		char field[48];
		snprintf(field, sizeof(field), "spec.usages[%d]", i);
		const char *s = cJSON_IsString(u) ? u->valuestring : "";
		size_t k = 0;
		while (k < ARRAY_SIZE(valid_usages) && strcmp(s, valid_usages[k]))
			k++;
		if (!o->beta && k == ARRAY_SIZE(valid_usages))
			field_errors_add_str(errs, FE_NOT_SUPPORTED, field, s, "supported values: %s", supported.data);
		int j = 0, dup = 0;
		cJSON_ArrayForEach(p, usages)
			if (j++ < i && cJSON_IsString(p) && !strcmp(p->valuestring, s))
				dup = 1;
		if (!o->beta && dup)
			field_errors_add_str(errs, FE_DUPLICATE, field, s, NULL);
		i++;
	}
	buf_release(&supported);
}

/* upstream's ValidateSignerName: "domain/path", the domain of DNS-1123 labels with at least one
 * dot, the path of DNS-1123 subdomains. */
static void validate_signer(const char *signer, struct field_errors *errs)
{
	const char *f = "spec.signerName";
	const char *slash = strchr(signer, '/');
	if (!*signer) {
		field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
		return;
	}
	if (!slash || strchr(slash + 1, '/')) {
		field_errors_add_str(errs, FE_INVALID, f, signer,
				     "must be a fully qualified domain and path of the form 'example.com/signer-name'");
		return;
	}
	char *domain = xstrndup(signer, (size_t)(slash - signer));
	char *labels = xstrdup(domain);
	int nlabels = 0;
	for (char *save = NULL, *l = strtok_r(labels, ".", &save); l; l = strtok_r(NULL, ".", &save), nlabels++) {
		struct buf why = BUF_INIT;
		if (validate_dns1123_label(l, &why) < 0) {
			field_errors_add_str(errs, FE_INVALID, f, domain, "validating label \"%s\": %s", l, why.data);
			buf_release(&why);
			break;
		}
		buf_release(&why);
	}
	if (nlabels < 2 && !strchr(domain, '.'))
		field_errors_add_str(errs, FE_INVALID, f, domain, "should be a domain with at least two segments separated by dots");
	struct buf why = BUF_INIT;
	if (validate_dns1123_subdomain(slash + 1, &why) < 0)
		field_errors_add_str(errs, FE_INVALID, f, slash + 1, "validating component \"%s\": %s", slash + 1, why.data);
	buf_release(&why);
	free(labels);
	free(domain);
}

/* The request as Go prints a []byte with %#v, for spec.request's Invalid value. */
static void render_bytes(const char *b64, struct buf *out)
{
	struct buf raw = BUF_INIT;
	pki_base64_decode(b64, strlen(b64), &raw);
	if (!raw.len) {
		buf_adds(out, "[]byte(nil)");
	} else {
		buf_adds(out, "[]byte{");
		for (size_t i = 0; i < raw.len; i++)
			buf_addf(out, "%s0x%x", i ? ", " : "", (unsigned char)raw.data[i]);
		buf_adds(out, "}");
	}
	buf_release(&raw);
}

static void validate_spec(const cJSON *spec, const struct csr_opts *o, struct field_errors *errs)
{
	struct buf pem = BUF_INIT, why = BUF_INIT;
	if (csr_request_pem(spec, &pem, &why) < 0) {
		struct buf bad = BUF_INIT;
		render_bytes(jstr0(spec, "request"), &bad);
		field_errors_add_raw(errs, FE_INVALID, "spec.request", bad.data, "%s", why.data);
		buf_release(&bad);
	}
	buf_release(&pem);
	buf_release(&why);
	validate_usages(jget(spec, "usages"), o, errs);
	const char *signer = jstr0(spec, "signerName");
	if (!o->legacy && !strcmp(signer, CSR_LEGACY_UNKNOWN))
		field_errors_add_str(errs, FE_INVALID, "spec.signerName", signer,
				     "the legacy signerName is not allowed via this API version");
	else
		validate_signer(signer, errs);
	int64_t exp;
	if (jget(spec, "expirationSeconds") && json_int(spec, "expirationSeconds", &exp) == 0 && exp < 600)
		field_errors_add(errs, FE_INVALID, "spec.expirationSeconds", jget(spec, "expirationSeconds"),
				 "may not specify a duration less than 600 seconds (10 minutes)");
}

/* Is t one of the types whose status must be True? */
static int true_only(const char *t)
{
	return !strcmp(t, "Approved") || !strcmp(t, "Denied") || !strcmp(t, "Failed");
}

static void validate_condition(const cJSON *c, int i, const struct csr_opts *o, struct field_errors *errs)
{
	char field[64];
	const char *t = jstr0(c, "type"), *st = jstr0(c, "status");
	if (!o->beta && !*t) {
		snprintf(field, sizeof(field), "status.conditions[%d].type", i);
		field_errors_add(errs, FE_REQUIRED, field, NULL, NULL);
	}
	int ok = !strcmp(st, "True") || (!true_only(t) && (!strcmp(st, "False") || !strcmp(st, "Unknown")));
	if (!ok) {
		snprintf(field, sizeof(field), "status.conditions[%d].status", i);
		field_errors_add_str(errs, FE_NOT_SUPPORTED, field, st, "supported values: %s",
				     true_only(t) ? "\"True\"" : "\"False\", \"True\", \"Unknown\"");
	}
}

static void validate_conditions(const cJSON *obj, const struct csr_opts *o, struct field_errors *errs)
{
	const cJSON *conds = json_getv(obj, "status", "conditions", NULL), *c, *p;
	int i = 0;
	cJSON_ArrayForEach(c, conds)
	{
		validate_condition(c, i, o, errs);
		int j = 0, dup = 0;
		cJSON_ArrayForEach(p, conds)
			if (j++ < i && !strcmp(jstr0(p, "type"), jstr0(c, "type")))
				dup = 1;
		if (!o->beta && dup) {
			char field[64];
			snprintf(field, sizeof(field), "status.conditions[%d].type", i);
			field_errors_add_str(errs, FE_DUPLICATE, field, jstr0(c, "type"), NULL);
		}
		i++;
	}
	if (!o->both && csr_has_condition(obj, "Approved") && csr_has_condition(obj, "Denied"))
		field_errors_add(errs, FE_INVALID, "status.conditions", conds,
				 "Approved and Denied conditions are mutually exclusive");
}

/* status.certificate, if set, holds only CERTIFICATE PEM blocks (base64 in JSON). */
static void validate_certificate(const cJSON *obj, struct field_errors *errs)
{
	const char *b64 = json_strv(obj, "status", "certificate", NULL);
	if (!b64 || !*b64)
		return;
	struct buf pem = BUF_INIT;
	const char *why = NULL;
	if (pki_base64_decode(b64, strlen(b64), &pem) < 0 || !pem.len || !strstr(pem.data, "-----BEGIN CERTIFICATE-----"))
		why = "must contain at least one CERTIFICATE PEM block";
	else if (strstr(pem.data, "-----BEGIN ") != strstr(pem.data, "-----BEGIN CERTIFICATE-----"))
		why = "only CERTIFICATE PEM blocks are allowed, found \"other\"";
	if (why)
		field_errors_add_raw(errs, FE_INVALID, "status.certificate", "\"<certificate data>\"", "%s", why);
	buf_release(&pem);
}

/* How many conditions of type t obj has. */
static int count_conditions(const cJSON *obj, const char *t)
{
	int n = 0;
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(obj, "status", "conditions", NULL))
		n += !strcmp(jstr0(c, "type"), t);
	return n;
}

static void validate_update(const cJSON *obj, const cJSON *old, const struct csr_opts *o, struct field_errors *errs)
{
	static const char *const kept[] = { "Approved", "Denied", "Failed" };
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		if (count_conditions(obj, kept[i]) < count_conditions(old, kept[i]))
			field_errors_add(errs, FE_FORBIDDEN, "status.conditions", NULL,
					 "updates may not remove a condition of type \"%s\"", kept[i]);
	const char *oc = json_strv(old, "status", "certificate", NULL), *nc = json_strv(obj, "status", "certificate", NULL);
	if (!o->beta && oc && *oc && (!nc || strcmp(oc, nc)))
		field_errors_add(errs, FE_FORBIDDEN, "status.certificate", NULL,
				 "updates may not modify existing certificate content");
}

static void validate_with(const cJSON *obj, const cJSON *old, struct csr_opts o, struct field_errors *errs)
{
	const char *osigner = old ? json_strv(old, "spec", "signerName", NULL) : NULL;
	o.legacy = o.beta || (osigner && !strcmp(osigner, CSR_LEGACY_UNKNOWN));
	o.both = old && csr_has_condition(old, "Approved") && csr_has_condition(old, "Denied");
	validate_spec(json_obj(obj, "spec"), &o, errs);
	validate_conditions(obj, &o, errs);
	if (!o.beta)
		validate_certificate(obj, errs);
	if (old)
		validate_update(obj, old, &o, errs);
}

void validate_csr(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	validate_with(obj, old, (struct csr_opts){ 0 }, errs);
}

void validate_csr_v1beta1(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	validate_with(obj, old, (struct csr_opts){ .beta = 1 }, errs);
}

/* ---- the v1beta1 view --------------------------------------------------------------------- */

static void csr_in(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "certificates.k8s.io/v1");
	json_set_str(obj, "kind", "CertificateSigningRequest");
}

static void csr_out(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "certificates.k8s.io/v1beta1");
	json_set_str(obj, "kind", "CertificateSigningRequest");
}

static const char *const no_aliases[] = { NULL };

const struct kind_view csr_v1beta1_view = { "certificates.k8s.io", "certificatesigningrequests", csr_in, csr_out,
					    no_aliases };

/* ---- kubectl get columns (upstream's printCertificateSigningRequest) ---------------------- */

const struct table_col table_cols_csr[] = {
	{ "Name", "string", "name", "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0 },
	{ "Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0 },
	{ "SignerName", "string", "", "The signer the request is addressed to.", 0 },
	{ "Requestor", "string", "", "The user who created the request.", 0 },
	{ "RequestedDuration", "string", "", "The validity the request asks for.", 0 },
	{ "Condition", "string", "", "Pending, Approved or Denied, with Failed and Issued.", 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};

/* upstream's extractCSRStatus: Denied over Approved over Pending, then ",Failed", ",Issued". */
static void csr_condition(const cJSON *obj, struct buf *out)
{
	buf_adds(out, count_conditions(obj, "Denied") ? "Denied" : count_conditions(obj, "Approved") ? "Approved" : "Pending");
	if (count_conditions(obj, "Failed"))
		buf_adds(out, ",Failed");
	const char *cert = json_strv(obj, "status", "certificate", NULL);
	if (cert && *cert)
		buf_adds(out, ",Issued");
}

void table_row_csr(const cJSON *obj, cJSON *cells, int64_t now)
{
	char age[32] = "<unknown>", dur[32] = "<none>";
	int64_t t, exp;
	const char *ts = json_strv(obj, "metadata", "creationTimestamp", NULL);
	if (ts && parse_rfc3339(ts, &t) == 0)
		human_duration(now - t, age, sizeof(age));
	const cJSON *spec = json_obj(obj, "spec");
	if (jget(spec, "expirationSeconds") && json_int(spec, "expirationSeconds", &exp) == 0)
		human_duration(exp, dur, sizeof(dur));
	const char *signer = jstr0(spec, "signerName");
	struct buf cond = BUF_INIT;
	csr_condition(obj, &cond);
	cJSON_AddItemToArray(cells, cJSON_CreateString(json_strv(obj, "metadata", "name", NULL) ? json_strv(obj, "metadata", "name", NULL) : ""));
	cJSON_AddItemToArray(cells, cJSON_CreateString(age));
	cJSON_AddItemToArray(cells, cJSON_CreateString(*signer ? signer : "<none>"));
	cJSON_AddItemToArray(cells, cJSON_CreateString(jstr0(spec, "username")));
	cJSON_AddItemToArray(cells, cJSON_CreateString(dur));
	cJSON_AddItemToArray(cells, cJSON_CreateString(cond.data ? cond.data : ""));
	buf_release(&cond);
}
