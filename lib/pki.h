/*
 * pki.h - the cluster's certificates with mbedTLS: a CA, certificates it signs, hashes.
 *
 * Keys are ECDSA P-256. Certificates are X.509 v3 with the extensions Go's crypto/x509 and
 * OpenSSL expect: basicConstraints, keyUsage, extendedKeyUsage (serverAuth / clientAuth), subject
 * alternative names, subject and authority key identifiers. Everything is PEM in memory: the
 * caller writes files.
 */
#ifndef KUBE_PKI_H
#define KUBE_PKI_H

#include <stddef.h>

struct buf;

/* What a certificate says about its subject. */
struct pki_subject {
	const char *cn;               /* commonName */
	const char *const *orgs;      /* organization values (Kubernetes groups); may be NULL */
	size_t norgs;
	const char *const *dns_names; /* DNS SANs */
	size_t ndns;
	const char *const *ips;       /* IP SANs, IPv4 or IPv6 text */
	size_t nips;
	int server;                   /* EKU serverAuth */
	int client;                   /* EKU clientAuth */
	int days;                     /* validity from one hour ago (365 if 0) */
	long long seconds;            /* if > 0: validity of this many seconds from now (instead of
				       * days), still from one hour ago */
};

/* Creates a self-signed CA (CN = cn, 10 years). Returns 0 and newly allocated PEM strings
 * (the caller frees them), or a negative error with a message in err. */
int pki_ca_create(const char *cn, char **cert_pem, char **key_pem, struct buf *err);

/* Creates a key pair and a certificate for subj signed by the CA. subj needs a CN, and a
 * serving certificate (server) at least one DNS or IP SAN: Go ignores the CN. The issuer name
 * is copied from the CA certificate byte for byte. Returns 0 and PEM strings (the caller frees
 * them), or -KUBE_EINVAL with a message in err (bad subject, IP text, CA, or a CA key that does
 * not match the CA certificate). Safe to call from any thread. */
int pki_issue(const char *ca_cert_pem, const char *ca_key_pem, const struct pki_subject *subj,
	      char **cert_pem, char **key_pem, struct buf *err);

/* Signs a PEM certificate signing request with the CA, using the CSR's public key and the
 * identity and usages in subj (the CSR's own subject is ignored: the caller decides). The CSR's
 * self-signature is checked (the requester holds the key). */
int pki_sign_csr(const char *ca_cert_pem, const char *ca_key_pem, const char *csr_pem,
		 const struct pki_subject *subj, char **cert_pem, struct buf *err);

/* Parses a PEM CSR, checks its self-signature, and reads its subject CN ("" if none) and
 * organizations as pki_cert_subject does. Returns 0 or a negative error with a message in err. */
int pki_csr_subject(const char *csr_pem, char **cn, char ***orgs, size_t *norgs, struct buf *err);

/* Creates a key pair and a CSR for cn; returns PEM strings. */
int pki_csr_create(const char *cn, char **csr_pem, char **key_pem, struct buf *err);

/* Verifies that cert_pem is signed by ca_pem and valid now; returns 0 or a negative error. */
int pki_verify(const char *ca_pem, const char *cert_pem, struct buf *err);

/* Reads the subject CN ("" if none) and every organization of a PEM certificate, in
 * certificate order. *cn is malloc'd (free it); *orgs is a malloc'd array of malloc'd strings
 * (free with pki_free_strings, also when *norgs is 0). */
int pki_cert_subject(const char *cert_pem, char **cn, char ***orgs, size_t *norgs, struct buf *err);
void pki_free_strings(char **v, size_t n);

/* Hex SHA-256 of data (64 characters and a NUL). */
void pki_sha256_hex(const void *data, size_t len, char out[65]);

/* Standard base64 of data, appended to out. */
void pki_base64(const void *data, size_t len, struct buf *out);
/* Decodes standard padded base64 (line breaks ignored, like Go's StdEncoding) and appends to
 * out; returns 0 or -KUBE_EINVAL. */
int pki_base64_decode(const char *s, size_t len, struct buf *out);

/* An ECDSA P-256 signing key (service-account tokens). */
struct pki_key;

/* Creates a new P-256 private key as PEM (the caller frees it). */
int pki_key_create(char **key_pem, struct buf *err);
/* Loads a private key (PEM). Returns 0 and *out (free with pki_key_free), or a negative error. */
int pki_key_load(const char *key_pem, struct pki_key **out, struct buf *err);
void pki_key_free(struct pki_key *k);
/* The key id: base64url SHA-256 of the DER public key. */
const char *pki_key_id(const struct pki_key *k);
/* ES256 (JOSE): signs SHA-256(data) into r || s, 32 bytes each. Returns 0 or -KUBE_EINVAL. */
int pki_key_sign_es256(struct pki_key *k, const void *data, size_t len, unsigned char sig[64]);
/* Verifies an ES256 signature. Returns 0 if valid, else -KUBE_EINVAL. */
int pki_key_verify_es256(struct pki_key *k, const void *data, size_t len, const unsigned char sig[64]);

/* base64url without padding (RFC 4648 §5), appended to out; and its decoding (no padding
 * accepted, appended to out; 0 or -KUBE_EINVAL). */
void pki_base64url(const void *data, size_t len, struct buf *out);
int pki_base64url_decode(const char *s, size_t len, struct buf *out);

#endif
