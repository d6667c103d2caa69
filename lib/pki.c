/*
 * pki.c - the cluster's certificates with mbedTLS: keys, a CA, issued certificates, CSRs,
 * verification, hashes and base64.
 *
 * DESIGN
 * Every operation is short-lived and rare (start-up, node join), so each one seeds its own
 * CTR-DRBG from the entropy pool (struct pki__rng) instead of sharing a process-wide generator.
 *
 * mbedTLS 2.28 writes X.509 v3 certificates but lacks three things Go and OpenSSL need, which
 * are built here as DER with the asn1write primitives:
 *   - names with repeated attributes: mbedtls_x509_string_to_names() keeps only one value per
 *     OID, but Kubernetes reads every O value as a group, so subject and issuer lists are
 *     built node by node (pki__name_add);
 *   - subjectAltName with IP addresses (pki__san_der), dNSName [2] and iPAddress [7];
 *   - extendedKeyUsage (pki__eku_der).
 * The issuer name of an issued certificate is copied from the CA certificate attribute by
 * attribute, with the original string tags, so that it matches the CA's subject byte for byte
 * (Go's chain building compares them).
 *
 * mbedtls_x509write_*() write DER backwards, so a name list written from its head comes out
 * in reverse: prepending each attribute (head = last attribute) yields the given order.
 */
#include "pki.h"
#include "buf.h"
#include "tls.h"
#include "util.h"

#include <arpa/inet.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/x509_csr.h>

#define PKI__PEM_MAX 16384
#define PKI__CA_DAYS 3650

struct pki__rng {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
};

/* Appends "what: mbedTLS message" to err (if not NULL) and returns -KUBE_EINVAL. */
static int pki__fail(struct buf *err, const char *what, int ret)
{
	char msg[160];
	if (!err)
		return -KUBE_EINVAL;
	if (ret) {
		mbedtls_strerror(ret, msg, sizeof(msg));
		buf_addf(err, "%s: %s", what, msg);
	} else {
		buf_adds(err, what);
	}
	return -KUBE_EINVAL;
}

static int pki__rng_init(struct pki__rng *r, struct buf *err)
{
	static const char pers[] = "kube-pki";
	mbedtls_entropy_init(&r->entropy);
	mbedtls_ctr_drbg_init(&r->drbg);
	int ret = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
					(const unsigned char *)pers, sizeof(pers) - 1);
	return ret ? pki__fail(err, "seeding the random generator", ret) : 0;
}

static void pki__rng_release(struct pki__rng *r)
{
	mbedtls_ctr_drbg_free(&r->drbg);
	mbedtls_entropy_free(&r->entropy);
}

/* Parses a PEM string (mbedTLS wants the NUL counted in the length). */
static int pki__parse_crt(mbedtls_x509_crt *crt, const char *pem, struct buf *err)
{
	int ret = mbedtls_x509_crt_parse(crt, (const unsigned char *)pem, strlen(pem) + 1);
	return ret ? pki__fail(err, "parsing certificate", ret) : 0;
}

static int pki__parse_key(mbedtls_pk_context *pk, const char *pem, struct buf *err)
{
	int ret = mbedtls_pk_parse_key(pk, (const unsigned char *)pem, strlen(pem) + 1, NULL, 0);
	return ret ? pki__fail(err, "parsing private key", ret) : 0;
}

/* Generates an ECDSA P-256 key into pk (initialised by the caller). */
static int pki__genkey(mbedtls_pk_context *pk, struct pki__rng *rng, struct buf *err)
{
	int ret = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (!ret)
		ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk),
					  mbedtls_ctr_drbg_random, &rng->drbg);
	return ret ? pki__fail(err, "generating key", ret) : 0;
}

static int pki__key_pem(mbedtls_pk_context *pk, char **out, struct buf *err)
{
	unsigned char *pem = xmalloc(PKI__PEM_MAX);
	int ret = mbedtls_pk_write_key_pem(pk, pem, PKI__PEM_MAX);
	if (ret) {
		free(pem);
		return pki__fail(err, "writing key", ret);
	}
	*out = (char *)pem;
	return 0;
}

/* Prepends one attribute to a name list owned by an mbedTLS writer (freed by it). */
static void pki__name_add(mbedtls_asn1_named_data **head, const char *oid, size_t oid_len,
			  int tag, const void *val, size_t len)
{
	mbedtls_asn1_named_data *n = mbedtls_calloc(1, sizeof(*n));
	unsigned char *o = mbedtls_calloc(1, oid_len), *v = mbedtls_calloc(1, len ? len : 1);
	if (!n || !o || !v)
		abort(); /* like xmalloc; mbedtls_free releases these nodes, so mbedtls_calloc */
	memcpy(o, oid, oid_len);
	if (len)
		memcpy(v, val, len);
	n->oid.tag = MBEDTLS_ASN1_OID;
	n->oid.p = o;
	n->oid.len = oid_len;
	n->val.tag = tag;
	n->val.p = v;
	n->val.len = len;
	n->next = *head;
	*head = n;
}

/* Builds "O=orgs..., CN=cn" (Go's attribute order) as a writer name list. */
static void pki__subject_names(mbedtls_asn1_named_data **head, const char *cn,
			       const char *const *orgs, size_t norgs)
{
	for (size_t i = 0; i < norgs; i++)
		pki__name_add(head, MBEDTLS_OID_AT_ORGANIZATION,
			      MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORGANIZATION), MBEDTLS_ASN1_UTF8_STRING,
			      orgs[i], strlen(orgs[i]));
	pki__name_add(head, MBEDTLS_OID_AT_CN, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_CN),
		      MBEDTLS_ASN1_UTF8_STRING, cn, strlen(cn));
}

/* Copies a parsed name (head = first attribute) into a writer list in the same order. */
static void pki__copy_names(mbedtls_asn1_named_data **head, const mbedtls_x509_name *name)
{
	for (const mbedtls_x509_name *n = name; n; n = n->next)
		pki__name_add(head, (const char *)n->oid.p, n->oid.len, n->val.tag, n->val.p,
			      n->val.len);
}

/* Formats a validity time as mbedTLS wants it: "YYYYMMDDhhmmss" (UTC). */
static void pki__time(time_t t, char out[16])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

/* Sets a random positive 128-bit serial and the validity window (from an hour ago). */
static int pki__serial_validity(mbedtls_x509write_cert *crt, int days, long long seconds, struct buf *err)
{
	unsigned char sn[16];
	char from[16], to[16];
	mbedtls_mpi serial;
	random_bytes(sn, sizeof(sn));
	sn[0] = (unsigned char)((sn[0] & 0x7f) | 0x40);
	mbedtls_mpi_init(&serial);
	int ret = mbedtls_mpi_read_binary(&serial, sn, sizeof(sn));
	if (!ret)
		ret = mbedtls_x509write_crt_set_serial(crt, &serial);
	mbedtls_mpi_free(&serial);
	time_t now = time(NULL);
	pki__time(now - 3600, from);
	pki__time(now + (seconds > 0 ? (time_t)seconds : (time_t)days * 86400), to);
	if (!ret)
		ret = mbedtls_x509write_crt_set_validity(crt, from, to);
	return ret ? pki__fail(err, "setting serial and validity", ret) : 0;
}

/* Writes one tagged primitive (raw bytes, length, tag) backwards at *p. Returns the bytes written
 * or a negative mbedTLS error. */
static int pki__write_tlv(unsigned char **p, unsigned char *start, int tag, const void *v, size_t n)
{
	int ret, len = 0;
	if ((ret = mbedtls_asn1_write_raw_buffer(p, start, v, n)) < 0)
		return ret;
	len += ret;
	if ((ret = mbedtls_asn1_write_len(p, start, n)) < 0)
		return ret;
	len += ret;
	if ((ret = mbedtls_asn1_write_tag(p, start, (unsigned char)tag)) < 0)
		return ret;
	return len + ret;
}

/* Wraps the len bytes before *p in a SEQUENCE; moves them to the start of der. */
static int pki__finish_seq(unsigned char *der, unsigned char *p, size_t len, size_t *outlen)
{
	int ret;
	if ((ret = mbedtls_asn1_write_len(&p, der, len)) < 0)
		return ret;
	len += (size_t)ret;
	if ((ret = mbedtls_asn1_write_tag(&p, der, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) < 0)
		return ret;
	len += (size_t)ret;
	memmove(der, p, len);
	*outlen = len;
	return 0;
}

/*
 * Writes the subjectAltName value (a SEQUENCE of GeneralName: dNSName [2], iPAddress [7]) for
 * subj into a new buffer (*out, freed by the caller). Returns 0 or -KUBE_EINVAL (bad IP text).
 */
static int pki__san_der(const struct pki_subject *subj, unsigned char **out, size_t *outlen,
			struct buf *err)
{
	size_t cap = 16, len = 0;
	for (size_t i = 0; i < subj->ndns; i++)
		cap += strlen(subj->dns_names[i]) + 8;
	cap += subj->nips * 24;
	unsigned char *der = xmalloc(cap), *p = der + cap;
	int ret = 0;
	for (size_t i = subj->nips; i-- > 0;) {
		unsigned char ip[16];
		size_t iplen = 4;
		if (inet_pton(AF_INET, subj->ips[i], ip) != 1) {
			iplen = 16;
			if (inet_pton(AF_INET6, subj->ips[i], ip) != 1) {
				if (err)
					buf_addf(err, "invalid IP address \"%s\"", subj->ips[i]);
				ret = -KUBE_EINVAL;
				goto out;
			}
		}
		if ((ret = pki__write_tlv(&p, der, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7, ip, iplen)) < 0)
			goto fail;
		len += (size_t)ret;
	}
	for (size_t i = subj->ndns; i-- > 0;) {
		const char *d = subj->dns_names[i];
		if ((ret = pki__write_tlv(&p, der, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2, d, strlen(d))) < 0)
			goto fail;
		len += (size_t)ret;
	}
	if ((ret = pki__finish_seq(der, p, len, outlen)) < 0)
		goto fail;
	*out = der;
	der = NULL;
	goto out;
fail:
	ret = pki__fail(err, "writing subjectAltName", ret);
out:
	free(der);
	return ret;
}

/* Writes the extendedKeyUsage value (a SEQUENCE of KeyPurposeId) into der[cap]. */
static int pki__eku_der(int server, int client, unsigned char *der, size_t cap, size_t *outlen)
{
	unsigned char *p = der + cap;
	size_t len = 0;
	int ret;
	if (client) {
		ret = mbedtls_asn1_write_oid(&p, der, MBEDTLS_OID_CLIENT_AUTH,
					     MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH));
		if (ret < 0)
			return ret;
		len += (size_t)ret;
	}
	if (server) {
		ret = mbedtls_asn1_write_oid(&p, der, MBEDTLS_OID_SERVER_AUTH,
					     MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH));
		if (ret < 0)
			return ret;
		len += (size_t)ret;
	}
	return pki__finish_seq(der, p, len, outlen);
}

/* What goes into a certificate besides the subject's own description. */
struct pki__crt_spec {
	const struct pki_subject *subj;
	mbedtls_pk_context *subject_key; /* public part is used */
	mbedtls_pk_context *issuer_key;  /* signs */
	const mbedtls_x509_crt *issuer;  /* NULL: self-signed */
	int ca;
};

/* Adds basicConstraints, keyUsage, extendedKeyUsage, subjectAltName and key identifiers. */
static int pki__extensions(mbedtls_x509write_cert *crt, const struct pki__crt_spec *s,
			   struct buf *err)
{
	const struct pki_subject *subj = s->subj;
	unsigned char eku[64], *san = NULL;
	size_t eku_len = 0, san_len = 0;
	unsigned ku = s->ca ? MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN |
				      MBEDTLS_X509_KU_DIGITAL_SIGNATURE
			    : MBEDTLS_X509_KU_DIGITAL_SIGNATURE | MBEDTLS_X509_KU_KEY_ENCIPHERMENT;
	int ret = mbedtls_x509write_crt_set_basic_constraints(crt, s->ca, -1);
	if (!ret)
		ret = mbedtls_x509write_crt_set_key_usage(crt, ku);
	if (!ret)
		ret = mbedtls_x509write_crt_set_subject_key_identifier(crt);
	if (!ret)
		ret = mbedtls_x509write_crt_set_authority_key_identifier(crt);
	if (!ret && (subj->server || subj->client)) {
		ret = pki__eku_der(subj->server, subj->client, eku, sizeof(eku), &eku_len);
		if (!ret)
			ret = mbedtls_x509write_crt_set_extension(
				crt, MBEDTLS_OID_EXTENDED_KEY_USAGE,
				MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0, eku, eku_len);
	}
	if (ret) {
		ret = pki__fail(err, "writing extensions", ret);
		goto out;
	}
	if (subj->ndns + subj->nips == 0)
		goto out;
	if ((ret = pki__san_der(subj, &san, &san_len, err)) < 0)
		goto out;
	ret = mbedtls_x509write_crt_set_extension(crt, MBEDTLS_OID_SUBJECT_ALT_NAME,
						  MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0,
						  san, san_len);
	if (ret)
		ret = pki__fail(err, "writing subjectAltName", ret);
out:
	free(san);
	return ret;
}

/* Writes a certificate for spec, signed with its issuer key, as a new PEM string in *out. */
static int pki__write_crt(const struct pki__crt_spec *s, struct pki__rng *rng, char **out,
			  struct buf *err)
{
	const struct pki_subject *subj = s->subj;
	mbedtls_x509write_cert crt;
	unsigned char *pem = NULL;
	int ret;
	mbedtls_x509write_crt_init(&crt);
	mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&crt, s->subject_key);
	mbedtls_x509write_crt_set_issuer_key(&crt, s->issuer_key);
	pki__subject_names(&crt.subject, subj->cn, subj->orgs, subj->norgs);
	if (s->issuer)
		pki__copy_names(&crt.issuer, &s->issuer->subject);
	else
		pki__subject_names(&crt.issuer, subj->cn, subj->orgs, subj->norgs);
	if ((ret = pki__serial_validity(&crt, subj->days > 0 ? subj->days : 365, subj->seconds, err)) < 0)
		goto out;
	if ((ret = pki__extensions(&crt, s, err)) < 0)
		goto out;
	pem = xmalloc(PKI__PEM_MAX);
	ret = mbedtls_x509write_crt_pem(&crt, pem, PKI__PEM_MAX, mbedtls_ctr_drbg_random, &rng->drbg);
	if (ret) {
		ret = pki__fail(err, "signing certificate", ret);
		goto out;
	}
	*out = (char *)pem;
	pem = NULL;
out:
	free(pem);
	mbedtls_x509write_crt_free(&crt);
	return ret;
}

/* Checks what a certificate request asks for: a CN, and a SAN for serving certificates (Go
 * ignores the CN of a server certificate). */
static int pki__check_subject(const struct pki_subject *subj, struct buf *err)
{
	if (!subj->cn || !*subj->cn)
		return pki__fail(err, "a certificate needs a common name", 0);
	if (subj->server && subj->ndns + subj->nips == 0)
		return pki__fail(err, "a serving certificate needs a DNS or IP subject alternative name", 0);
	if (subj->days < 0)
		return pki__fail(err, "negative validity", 0);
	return 0;
}

/* Loads a CA certificate and its key, checking that they belong together and form a CA. */
static int pki__load_ca(const char *cert_pem, const char *key_pem, mbedtls_x509_crt *crt,
			mbedtls_pk_context *key, struct buf *err)
{
	int ret;
	if ((ret = pki__parse_crt(crt, cert_pem, err)) < 0)
		return ret;
	if ((ret = pki__parse_key(key, key_pem, err)) < 0)
		return ret;
	if (!crt->ca_istrue)
		return pki__fail(err, "the issuer certificate is not a CA", 0);
	ret = mbedtls_pk_check_pair(&crt->pk, key);
	return ret ? pki__fail(err, "the CA key does not match the CA certificate", ret) : 0;
}

int pki_ca_create(const char *cn, char **cert_pem, char **key_pem, struct buf *err)
{
	struct pki_subject subj = { .cn = cn, .days = PKI__CA_DAYS };
	struct pki__rng rng;
	mbedtls_pk_context key;
	char *crt = NULL, *pem = NULL;
	mbedtls_pk_init(&key);
	int ret = pki__rng_init(&rng, err);
	if (!ret)
		ret = pki__check_subject(&subj, err);
	if (!ret)
		ret = pki__genkey(&key, &rng, err);
	if (!ret) {
		struct pki__crt_spec spec = { &subj, &key, &key, NULL, 1 };
		ret = pki__write_crt(&spec, &rng, &crt, err);
	}
	if (!ret)
		ret = pki__key_pem(&key, &pem, err);
	if (!ret) {
		*cert_pem = crt;
		*key_pem = pem;
		crt = pem = NULL;
	}
	free(crt);
	free(pem);
	mbedtls_pk_free(&key);
	pki__rng_release(&rng);
	return ret;
}

int pki_issue(const char *ca_cert_pem, const char *ca_key_pem, const struct pki_subject *subj,
	      char **cert_pem, char **key_pem, struct buf *err)
{
	struct pki__rng rng;
	mbedtls_x509_crt ca;
	mbedtls_pk_context ca_key, key;
	char *crt = NULL, *pem = NULL;
	mbedtls_x509_crt_init(&ca);
	mbedtls_pk_init(&ca_key);
	mbedtls_pk_init(&key);
	int ret = pki__rng_init(&rng, err);
	if (!ret)
		ret = pki__check_subject(subj, err);
	if (!ret)
		ret = pki__load_ca(ca_cert_pem, ca_key_pem, &ca, &ca_key, err);
	if (!ret)
		ret = pki__genkey(&key, &rng, err);
	if (!ret) {
		struct pki__crt_spec spec = { subj, &key, &ca_key, &ca, 0 };
		ret = pki__write_crt(&spec, &rng, &crt, err);
	}
	if (!ret)
		ret = pki__key_pem(&key, &pem, err);
	if (!ret) {
		*cert_pem = crt;
		*key_pem = pem;
		crt = pem = NULL;
	}
	free(crt);
	free(pem);
	mbedtls_pk_free(&key);
	mbedtls_pk_free(&ca_key);
	mbedtls_x509_crt_free(&ca);
	pki__rng_release(&rng);
	return ret;
}

/* Parses a PEM CSR and checks its self-signature (proof that the requester holds the key). */
static int pki__load_csr(const char *pem, mbedtls_x509_csr *csr, struct buf *err)
{
	unsigned char hash[MBEDTLS_MD_MAX_SIZE];
	int ret = mbedtls_x509_csr_parse(csr, (const unsigned char *)pem, strlen(pem) + 1);
	if (ret)
		return pki__fail(err, "parsing certificate signing request", ret);
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(csr->sig_md);
	if (!md)
		return pki__fail(err, "unsupported CSR signature hash", 0);
	ret = mbedtls_md(md, csr->cri.p, csr->cri.len, hash);
	if (!ret)
		ret = mbedtls_pk_verify_ext(csr->sig_pk, csr->sig_opts, &csr->pk, csr->sig_md, hash,
					    mbedtls_md_get_size(md), csr->sig.p, csr->sig.len);
	return ret ? pki__fail(err, "bad CSR signature", ret) : 0;
}

int pki_sign_csr(const char *ca_cert_pem, const char *ca_key_pem, const char *csr_pem,
		 const struct pki_subject *subj, char **cert_pem, struct buf *err)
{
	struct pki__rng rng;
	mbedtls_x509_crt ca;
	mbedtls_x509_csr csr;
	mbedtls_pk_context ca_key;
	mbedtls_x509_crt_init(&ca);
	mbedtls_x509_csr_init(&csr);
	mbedtls_pk_init(&ca_key);
	int ret = pki__rng_init(&rng, err);
	if (!ret)
		ret = pki__check_subject(subj, err);
	if (!ret)
		ret = pki__load_ca(ca_cert_pem, ca_key_pem, &ca, &ca_key, err);
	if (!ret)
		ret = pki__load_csr(csr_pem, &csr, err);
	if (!ret) {
		struct pki__crt_spec spec = { subj, &csr.pk, &ca_key, &ca, 0 };
		ret = pki__write_crt(&spec, &rng, cert_pem, err);
	}
	mbedtls_pk_free(&ca_key);
	mbedtls_x509_csr_free(&csr);
	mbedtls_x509_crt_free(&ca);
	pki__rng_release(&rng);
	return ret;
}

/* Writes a CSR for cn signed with key as a new PEM string. */
static int pki__write_csr(const char *cn, mbedtls_pk_context *key, struct pki__rng *rng, char **out,
			  struct buf *err)
{
	mbedtls_x509write_csr csr;
	unsigned char *pem = xmalloc(PKI__PEM_MAX);
	mbedtls_x509write_csr_init(&csr);
	mbedtls_x509write_csr_set_md_alg(&csr, MBEDTLS_MD_SHA256);
	mbedtls_x509write_csr_set_key(&csr, key);
	pki__subject_names(&csr.subject, cn, NULL, 0);
	int ret = mbedtls_x509write_csr_pem(&csr, pem, PKI__PEM_MAX, mbedtls_ctr_drbg_random, &rng->drbg);
	if (ret) {
		free(pem);
		ret = pki__fail(err, "writing certificate signing request", ret);
	} else {
		*out = (char *)pem;
	}
	mbedtls_x509write_csr_free(&csr);
	return ret;
}

int pki_csr_create(const char *cn, char **csr_pem, char **key_pem, struct buf *err)
{
	struct pki__rng rng;
	mbedtls_pk_context key;
	char *csr = NULL, *pem = NULL;
	mbedtls_pk_init(&key);
	int ret = pki__rng_init(&rng, err);
	if (!ret && (!cn || !*cn))
		ret = pki__fail(err, "a certificate request needs a common name", 0);
	if (!ret)
		ret = pki__genkey(&key, &rng, err);
	if (!ret)
		ret = pki__write_csr(cn, &key, &rng, &csr, err);
	if (!ret)
		ret = pki__key_pem(&key, &pem, err);
	if (!ret) {
		*csr_pem = csr;
		*key_pem = pem;
		csr = pem = NULL;
	}
	free(csr);
	free(pem);
	mbedtls_pk_free(&key);
	pki__rng_release(&rng);
	return ret;
}

int pki_verify(const char *ca_pem, const char *cert_pem, struct buf *err)
{
	mbedtls_x509_crt ca, crt;
	uint32_t flags = 0;
	char info[512];
	mbedtls_x509_crt_init(&ca);
	mbedtls_x509_crt_init(&crt);
	int ret = pki__parse_crt(&ca, ca_pem, err);
	if (!ret)
		ret = pki__parse_crt(&crt, cert_pem, err);
	if (!ret && mbedtls_x509_crt_verify(&crt, &ca, NULL, NULL, &flags, NULL, NULL) != 0) {
		ret = -KUBE_EINVAL;
		if (err) {
			mbedtls_x509_crt_verify_info(info, sizeof(info), "", flags);
			size_t n = strlen(info);
			while (n > 0 && info[n - 1] == '\n')
				info[--n] = '\0';
			buf_addf(err, "certificate verification failed: %s", info);
		}
	}
	mbedtls_x509_crt_free(&crt);
	mbedtls_x509_crt_free(&ca);
	return ret;
}

void pki__names(const mbedtls_x509_name *name, char **cn, char ***orgs, size_t *norgs)
{
	size_t n = 0;
	*cn = NULL;
	*orgs = NULL;
	for (const mbedtls_x509_name *a = name; a; a = a->next)
		if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_ORGANIZATION, &a->oid) == 0)
			n++;
	*orgs = xcalloc(n ? n : 1, sizeof(char *));
	*norgs = n;
	n = 0;
	for (const mbedtls_x509_name *a = name; a; a = a->next) {
		char *v = xstrndup((const char *)a->val.p, a->val.len);
		if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_ORGANIZATION, &a->oid) == 0) {
			(*orgs)[n++] = v;
		} else if (MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &a->oid) == 0 && !*cn) {
			*cn = v;
		} else {
			free(v);
		}
	}
	if (!*cn)
		*cn = xstrdup("");
}

int pki_cert_subject(const char *cert_pem, char **cn, char ***orgs, size_t *norgs, struct buf *err)
{
	mbedtls_x509_crt crt;
	mbedtls_x509_crt_init(&crt);
	int ret = pki__parse_crt(&crt, cert_pem, err);
	if (!ret)
		pki__names(&crt.subject, cn, orgs, norgs);
	mbedtls_x509_crt_free(&crt);
	return ret;
}

int pki_csr_subject(const char *csr_pem, char **cn, char ***orgs, size_t *norgs, struct buf *err)
{
	mbedtls_x509_csr csr;
	mbedtls_x509_csr_init(&csr);
	int ret = pki__load_csr(csr_pem, &csr, err);
	if (!ret)
		pki__names(&csr.subject, cn, orgs, norgs);
	mbedtls_x509_csr_free(&csr);
	return ret;
}

void pki_free_strings(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pki_sha256_hex(const void *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char sum[32];
	mbedtls_sha256_ret(data, len, sum, 0);
	for (size_t i = 0; i < sizeof(sum); i++) {
		out[2 * i] = hex[sum[i] >> 4];
		out[2 * i + 1] = hex[sum[i] & 15];
	}
	out[64] = '\0';
}

void pki_base64(const void *data, size_t len, struct buf *out)
{
	size_t need = 0;
	mbedtls_base64_encode(NULL, 0, &need, data, len);
	buf_grow(out, need);
	size_t n = 0;
	int ret = mbedtls_base64_encode((unsigned char *)out->data + out->len, need + 1, &n, data, len);
	assert(ret == 0);
	UNUSED(ret);
	out->len += n;
	out->data[out->len] = '\0';
}

int pki_base64_decode(const char *s, size_t len, struct buf *out)
{
	size_t need = 0, n = 0, chars = 0;
	/* Like Go's StdEncoding: padded groups of four; line breaks are ignored. */
	for (size_t i = 0; i < len; i++)
		chars += s[i] != '\r' && s[i] != '\n';
	if (chars % 4)
		return -KUBE_EINVAL;
	int ret = mbedtls_base64_decode(NULL, 0, &need, (const unsigned char *)s, len);
	if (ret == MBEDTLS_ERR_BASE64_INVALID_CHARACTER)
		return -KUBE_EINVAL;
	buf_grow(out, need);
	ret = mbedtls_base64_decode((unsigned char *)out->data + out->len, need + 1, &n,
				    (const unsigned char *)s, len);
	if (ret)
		return -KUBE_EINVAL;
	out->len += n;
	out->data[out->len] = '\0';
	return 0;
}

/* ---- signing keys (service-account tokens) ------------------------------------------------ */

struct pki_key {
	mbedtls_pk_context pk;
	struct pki__rng rng;
	char kid[48];
};

int pki_key_create(char **key_pem, struct buf *err)
{
	struct pki__rng rng;
	mbedtls_pk_context pk;
	int r;
	mbedtls_pk_init(&pk);
	if ((r = pki__rng_init(&rng, err)) == 0 && (r = pki__genkey(&pk, &rng, err)) == 0)
		r = pki__key_pem(&pk, key_pem, err);
	mbedtls_pk_free(&pk);
	pki__rng_release(&rng);
	return r;
}

/* The key id: SHA-256 of the DER public key, base64url without padding (as upstream's kid). */
static void pki__kid(struct pki_key *k)
{
	unsigned char der[256], hash[32];
	int n = mbedtls_pk_write_pubkey_der(&k->pk, der, sizeof(der));
	struct buf b = BUF_INIT;
	if (n <= 0)
		return;
	mbedtls_sha256_ret(der + sizeof(der) - n, (size_t)n, hash, 0);
	pki_base64url(hash, sizeof(hash), &b);
	snprintf(k->kid, sizeof(k->kid), "%s", b.data);
	buf_release(&b);
}

int pki_key_load(const char *key_pem, struct pki_key **out, struct buf *err)
{
	struct pki_key *k = xcalloc(1, sizeof(*k));
	int r;
	mbedtls_pk_init(&k->pk);
	if ((r = pki__parse_key(&k->pk, key_pem, err)) == 0 && !mbedtls_pk_can_do(&k->pk, MBEDTLS_PK_ECDSA))
		r = pki__fail(err, "the signing key is not an ECDSA key", 0);
	if (r == 0)
		r = pki__rng_init(&k->rng, err);
	if (r) {
		mbedtls_pk_free(&k->pk);
		free(k);
		return r;
	}
	pki__kid(k);
	*out = k;
	return 0;
}

void pki_key_free(struct pki_key *k)
{
	if (!k)
		return;
	mbedtls_pk_free(&k->pk);
	pki__rng_release(&k->rng);
	free(k);
}

const char *pki_key_id(const struct pki_key *k)
{
	return k->kid;
}

int pki_key_sign_es256(struct pki_key *k, const void *data, size_t len, unsigned char sig[64])
{
	unsigned char hash[32];
	mbedtls_mpi r, s;
	int ret;
	mbedtls_sha256_ret(data, len, hash, 0);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(k->pk);
	ret = mbedtls_ecdsa_sign(&ec->grp, &r, &s, &ec->d, hash, sizeof(hash), mbedtls_ctr_drbg_random, &k->rng.drbg);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&r, sig, 32);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&s, sig + 32, 32);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret ? -KUBE_EINVAL : 0;
}

int pki_key_verify_es256(struct pki_key *k, const void *data, size_t len, const unsigned char sig[64])
{
	unsigned char hash[32];
	mbedtls_mpi r, s;
	int ret;
	mbedtls_sha256_ret(data, len, hash, 0);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_ecp_keypair *ec = mbedtls_pk_ec(k->pk);
	ret = mbedtls_mpi_read_binary(&r, sig, 32);
	if (!ret)
		ret = mbedtls_mpi_read_binary(&s, sig + 32, 32);
	if (!ret)
		ret = mbedtls_ecdsa_verify(&ec->grp, hash, sizeof(hash), &ec->Q, &r, &s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return ret ? -KUBE_EINVAL : 0;
}

void pki_base64url(const void *data, size_t len, struct buf *out)
{
	size_t start = out->len;
	pki_base64(data, len, out);
	for (size_t i = start; i < out->len; i++)
		out->data[i] = out->data[i] == '+' ? '-' : out->data[i] == '/' ? '_' : out->data[i];
	while (out->len > start && out->data[out->len - 1] == '=')
		buf_truncate(out, out->len - 1);
}

int pki_base64url_decode(const char *s, size_t len, struct buf *out)
{
	struct buf std = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '+' || c == '/' || c == '=') {
			buf_release(&std);
			return -KUBE_EINVAL;
		}
		buf_addch(&std, c == '-' ? '+' : c == '_' ? '/' : c);
	}
	while (std.len % 4)
		buf_addch(&std, '=');
	int r = pki_base64_decode(buf_str(&std), std.len, out);
	buf_release(&std);
	return r;
}
