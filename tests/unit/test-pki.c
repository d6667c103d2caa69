/* Unit tests for lib/pki: certificates checked with the real openssl command. */
#include "test.h"
#include "buf.h"
#include "pki.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/wait.h>

/* Runs a shell command, collecting stdout and stderr into out. Returns the exit status. */
static int run(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(struct buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	char *full = xasprintf("%s 2>&1", cmd);
	buf_reset(out);
	FILE *f = popen(full, "r");
	char tmp[4096];
	size_t n;
	while (f && (n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(out, tmp, n);
	int st = f ? pclose(f) : -1;
	free(cmd);
	free(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Writes s to tmpdir/name and returns the path (static storage, one per slot). */
static const char *put(int slot, const char *name, const char *s)
{
	static char paths[8][512];
	snprintf(paths[slot], sizeof(paths[slot]), "%s/%s", test_tmpdir(), name);
	if (write_file_atomic(paths[slot], s, strlen(s), 0600) != 0)
		return NULL;
	return paths[slot];
}

TEST_IMPL(pki_ca)
{
	char *cert = NULL, *key = NULL;
	struct buf err = BUF_INIT, out = BUF_INIT;
	ASSERT_EQ(pki_ca_create("kube-ca@1700000000", &cert, &key, &err), 0);
	ASSERT(strstr(cert, "-----BEGIN CERTIFICATE-----"));
	ASSERT(strstr(key, "PRIVATE KEY-----"));
	const char *cp = put(0, "ca.pem", cert), *kp = put(1, "ca.key", key);
	ASSERT(cp && kp);
	ASSERT_EQ(run(&out, "openssl x509 -noout -text -in %s", cp), 0);
	ASSERT(strstr(out.data, "Version: 3 (0x2)"));
	ASSERT(strstr(out.data, "ecdsa-with-SHA256"));
	ASSERT(strstr(out.data, "prime256v1"));
	ASSERT(strstr(out.data, "Subject: CN = kube-ca@1700000000"));
	ASSERT(strstr(out.data, "Issuer: CN = kube-ca@1700000000"));
	ASSERT(strstr(out.data, "CA:TRUE"));
	ASSERT(strstr(out.data, "Certificate Sign, CRL Sign"));
	ASSERT(strstr(out.data, "X509v3 Subject Key Identifier"));
	/* Self-signed and valid for about ten years. */
	ASSERT_EQ(run(&out, "openssl verify -CAfile %s %s", cp, cp), 0);
	ASSERT_EQ(run(&out, "openssl x509 -noout -checkend %d -in %s", 9 * 365 * 86400, cp), 0);
	/* The key is a valid EC key matching the certificate. */
	ASSERT_EQ(run(&out, "openssl pkey -in %s -check -noout", kp), 0);
	struct buf a = BUF_INIT;
	ASSERT_EQ(run(&a, "openssl x509 -noout -pubkey -in %s", cp), 0);
	ASSERT_EQ(run(&out, "openssl pkey -pubout -in %s", kp), 0);
	ASSERT_STR(a.data, out.data);
	ASSERT_EQ(pki_verify(cert, cert, &err), 0);
	free(cert);
	free(key);
	buf_release(&a);
	buf_release(&out);
	buf_release(&err);
	return 0;
}

TEST_IMPL(pki_issue_server)
{
	char *ca = NULL, *ca_key = NULL, *cert = NULL, *key = NULL;
	struct buf err = BUF_INIT, out = BUF_INIT;
	const char *dns[] = { "localhost", "kubernetes.default.svc.cluster.local" };
	const char *ips[] = { "127.0.0.1", "10.43.0.1", "::1", "fd00::42" };
	struct pki_subject s = { .cn = "kube-apiserver", .dns_names = dns, .ndns = 2, .ips = ips,
				 .nips = 4, .server = 1 };
	ASSERT_EQ(pki_ca_create("ca", &ca, &ca_key, &err), 0);
	ASSERT_EQ(pki_issue(ca, ca_key, &s, &cert, &key, &err), 0);
	const char *cap = put(0, "ca.pem", ca), *cp = put(1, "srv.pem", cert);
	ASSERT_EQ(run(&out, "openssl verify -CAfile %s -purpose sslserver %s", cap, cp), 0);
	ASSERT(strstr(out.data, "OK"));
	ASSERT_EQ(run(&out, "openssl x509 -noout -text -in %s", cp), 0);
	ASSERT(strstr(out.data, "Issuer: CN = ca\n"));
	ASSERT(strstr(out.data, "CA:FALSE"));
	ASSERT(strstr(out.data, "Digital Signature, Key Encipherment"));
	ASSERT(strstr(out.data, "TLS Web Server Authentication"));
	ASSERT(!strstr(out.data, "TLS Web Client Authentication"));
	ASSERT(strstr(out.data, "DNS:localhost, DNS:kubernetes.default.svc.cluster.local, "
				"IP Address:127.0.0.1, IP Address:10.43.0.1, IP Address:0:0:0:0:0:0:0:1, "
				"IP Address:FD00:0:0:0:0:0:0:42"));
	ASSERT(strstr(out.data, "X509v3 Authority Key Identifier"));
	/* The AKI of the leaf is the SKI of the CA. */
	struct buf ski = BUF_INIT;
	ASSERT_EQ(run(&ski, "openssl x509 -noout -ext subjectKeyIdentifier -in %s | tail -1", cap), 0);
	ASSERT(ski.len > 10);
	ASSERT(strstr(out.data, ski.data + strspn(ski.data, " ")));
	/* A 128-bit positive serial (16 bytes: 32 hex digits). */
	ASSERT_EQ(run(&out, "openssl x509 -noout -serial -in %s", cp), 0);
	ASSERT_EQ(strlen(out.data), strlen("serial=") + 32 + 1);
	/* Validity starts an hour ago. */
	ASSERT_EQ(run(&out, "openssl x509 -noout -checkend %d -in %s", 364 * 86400, cp), 0);
	ASSERT_EQ(pki_verify(ca, cert, &err), 0);
	ASSERT_EQ(run(&out, "openssl pkey -in %s -check -noout", put(2, "srv.key", key)), 0);
	free(ca);
	free(ca_key);
	free(cert);
	free(key);
	buf_release(&ski);
	buf_release(&out);
	buf_release(&err);
	return 0;
}

TEST_IMPL(pki_issue_client_groups)
{
	char *ca = NULL, *ca_key = NULL, *cert = NULL, *key = NULL, *cn = NULL, **orgs = NULL;
	size_t norgs = 0;
	struct buf err = BUF_INIT, out = BUF_INIT;
	const char *groups[] = { "system:masters", "dev, ops", "x=y" };
	struct pki_subject s = { .cn = "admin", .orgs = groups, .norgs = 3, .client = 1, .days = 30 };
	ASSERT_EQ(pki_ca_create("ca", &ca, &ca_key, &err), 0);
	ASSERT_EQ(pki_issue(ca, ca_key, &s, &cert, &key, &err), 0);
	const char *cap = put(0, "ca.pem", ca), *cp = put(1, "c.pem", cert);
	ASSERT_EQ(run(&out, "openssl verify -CAfile %s -purpose sslclient %s", cap, cp), 0);
	ASSERT_EQ(run(&out, "openssl x509 -noout -subject -nameopt multiline -in %s", cp), 0);
	ASSERT(strstr(out.data, "organizationName          = system:masters\n"
				"    organizationName          = dev, ops\n"
				"    organizationName          = x=y\n"
				"    commonName                = admin\n"));
	ASSERT_EQ(run(&out, "openssl x509 -noout -text -in %s", cp), 0);
	ASSERT(strstr(out.data, "TLS Web Client Authentication"));
	ASSERT(!strstr(out.data, "Subject Alternative Name"));
	ASSERT_EQ(run(&out, "openssl x509 -noout -checkend %d -in %s", 29 * 86400, cp), 0);
	ASSERT(run(&out, "openssl x509 -noout -checkend %d -in %s", 31 * 86400, cp) != 0);
	ASSERT_EQ(pki_cert_subject(cert, &cn, &orgs, &norgs, &err), 0);
	ASSERT_STR(cn, "admin");
	ASSERT_EQ(norgs, 3);
	ASSERT_STR(orgs[0], "system:masters");
	ASSERT_STR(orgs[1], "dev, ops");
	ASSERT_STR(orgs[2], "x=y");
	free(cn);
	pki_free_strings(orgs, norgs);
	free(ca);
	free(ca_key);
	free(cert);
	free(key);
	buf_release(&out);
	buf_release(&err);
	return 0;
}

TEST_IMPL(pki_csr)
{
	char *ca = NULL, *ca_key = NULL, *csr = NULL, *key = NULL, *cert = NULL;
	char *cn = NULL, **orgs = NULL;
	size_t norgs = 0;
	struct buf err = BUF_INIT, out = BUF_INIT, a = BUF_INIT;
	const char *groups[] = { "system:nodes" };
	const char *ips[] = { "192.168.1.10" };
	struct pki_subject s = { .cn = "system:node:edge-1", .orgs = groups, .norgs = 1,
				 .ips = ips, .nips = 1, .client = 1, .server = 1 };
	ASSERT_EQ(pki_ca_create("ca", &ca, &ca_key, &err), 0);
	ASSERT_EQ(pki_csr_create("whatever-the-agent-says", &csr, &key, &err), 0);
	const char *csrp = put(0, "n.csr", csr), *kp = put(1, "n.key", key);
	ASSERT_EQ(run(&out, "openssl req -verify -noout -in %s", csrp), 0);
	ASSERT_EQ(pki_sign_csr(ca, ca_key, csr, &s, &cert, &err), 0);
	const char *cap = put(2, "ca.pem", ca), *cp = put(3, "n.pem", cert);
	ASSERT_EQ(run(&out, "openssl verify -CAfile %s %s", cap, cp), 0);
	/* The certificate carries the CSR's key, and the identity chosen by the signer. */
	ASSERT_EQ(run(&a, "openssl x509 -noout -pubkey -in %s", cp), 0);
	ASSERT_EQ(run(&out, "openssl pkey -pubout -in %s", kp), 0);
	ASSERT_STR(a.data, out.data);
	ASSERT_EQ(pki_cert_subject(cert, &cn, &orgs, &norgs, &err), 0);
	ASSERT_STR(cn, "system:node:edge-1");
	ASSERT_EQ(norgs, 1);
	ASSERT_STR(orgs[0], "system:nodes");
	ASSERT_EQ(run(&out, "openssl x509 -noout -text -in %s", cp), 0);
	ASSERT(strstr(out.data, "TLS Web Server Authentication, TLS Web Client Authentication"));
	ASSERT(strstr(out.data, "IP Address:192.168.1.10"));
	/* A tampered CSR is refused. */
	char *bad = xstrdup(csr);
	char *body = strchr(bad, '\n') + 1;
	body[40] = body[40] == 'A' ? 'B' : 'A';
	char *cert2 = NULL;
	ASSERT(pki_sign_csr(ca, ca_key, bad, &s, &cert2, &err) < 0);
	ASSERT(!cert2);
	free(bad);
	free(cn);
	pki_free_strings(orgs, norgs);
	free(ca);
	free(ca_key);
	free(csr);
	free(key);
	free(cert);
	buf_release(&a);
	buf_release(&out);
	buf_release(&err);
	return 0;
}

TEST_IMPL(pki_verify_and_errors)
{
	char *ca = NULL, *ca_key = NULL, *ca2 = NULL, *ca2_key = NULL, *cert = NULL, *key = NULL;
	struct buf err = BUF_INIT;
	const char *bad_ip[] = { "300.1.1.1" };
	const char *dns[] = { "x" };
	struct pki_subject s = { .cn = "x", .dns_names = dns, .ndns = 1, .server = 1 };
	ASSERT_EQ(pki_ca_create("ca", &ca, &ca_key, &err), 0);
	ASSERT_EQ(pki_ca_create("ca", &ca2, &ca2_key, &err), 0);
	ASSERT_EQ(pki_issue(ca, ca_key, &s, &cert, &key, &err), 0);
	ASSERT_EQ(pki_verify(ca, cert, &err), 0);
	/* Same name, different key: not verified. */
	buf_reset(&err);
	ASSERT(pki_verify(ca2, cert, &err) < 0);
	ASSERT(strstr(buf_str(&err), "verification failed"));
	ASSERT(pki_verify(ca, "junk", NULL) < 0);
	/* A leaf is not a CA. */
	char *c2 = NULL, *k2 = NULL;
	ASSERT(pki_issue(cert, key, &s, &c2, &k2, NULL) < 0);
	/* A CA key that does not match its certificate. */
	ASSERT(pki_issue(ca, ca2_key, &s, &c2, &k2, NULL) < 0);
	/* Go ignores the CN of serving certificates: a SAN is required. */
	struct pki_subject nosan = { .cn = "x", .server = 1 };
	buf_reset(&err);
	ASSERT(pki_issue(ca, ca_key, &nosan, &c2, &k2, &err) < 0);
	ASSERT(strstr(buf_str(&err), "subject alternative name"));
	struct pki_subject badip = { .cn = "x", .ips = bad_ip, .nips = 1, .server = 1 };
	buf_reset(&err);
	ASSERT(pki_issue(ca, ca_key, &badip, &c2, &k2, &err) < 0);
	ASSERT(strstr(buf_str(&err), "300.1.1.1"));
	struct pki_subject nocn = { .cn = "", .client = 1 };
	ASSERT(pki_issue(ca, ca_key, &nocn, &c2, &k2, NULL) < 0);
	ASSERT(!c2 && !k2);
	free(ca);
	free(ca_key);
	free(ca2);
	free(ca2_key);
	free(cert);
	free(key);
	buf_release(&err);
	return 0;
}

TEST_IMPL(pki_hash_base64)
{
	char hex[65];
	struct buf b = BUF_INIT, d = BUF_INIT;
	pki_sha256_hex("abc", 3, hex);
	ASSERT_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	pki_sha256_hex("", 0, hex);
	ASSERT_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	pki_base64("", 0, &b);
	ASSERT_STR(buf_str(&b), "");
	pki_base64("f", 1, &b);
	ASSERT_STR(b.data, "Zg==");
	buf_adds(&b, "|");
	pki_base64("foobar", 6, &b);
	ASSERT_STR(b.data, "Zg==|Zm9vYmFy");
	ASSERT_EQ(pki_base64_decode("Zm9vYg==", 8, &d), 0);
	ASSERT_EQ(d.len, 4);
	ASSERT_STR(d.data, "foob");
	buf_reset(&d);
	ASSERT_EQ(pki_base64_decode("", 0, &d), 0);
	ASSERT_EQ(d.len, 0);
	ASSERT(pki_base64_decode("Zm9v!", 5, &d) < 0);
	ASSERT(pki_base64_decode("Zm9vY", 5, &d) < 0);
	/* Binary round trip. */
	unsigned char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (unsigned char)i;
	buf_reset(&b);
	buf_reset(&d);
	pki_base64(bin, sizeof(bin), &b);
	ASSERT_EQ(pki_base64_decode(b.data, b.len, &d), 0);
	ASSERT_EQ(d.len, 256);
	ASSERT(memcmp(d.data, bin, 256) == 0);
	buf_release(&b);
	buf_release(&d);
	return 0;
}

TEST_IMPL(pki_key_es256)
{
	char *pem = NULL;
	struct pki_key *k = NULL;
	struct buf err = BUF_INIT, b = BUF_INIT, d = BUF_INIT;
	unsigned char sig[64];
	ASSERT_EQ(pki_key_create(&pem, &err), 0);
	ASSERT_EQ(pki_key_load(pem, &k, &err), 0);
	ASSERT_EQ(strlen(pki_key_id(k)), 43); /* base64url of 32 bytes, no padding */
	ASSERT_EQ(pki_key_sign_es256(k, "header.payload", 14, sig), 0);
	ASSERT_EQ(pki_key_verify_es256(k, "header.payload", 14, sig), 0);
	ASSERT(pki_key_verify_es256(k, "header.payloaD", 14, sig) < 0);
	sig[5] ^= 1;
	ASSERT(pki_key_verify_es256(k, "header.payload", 14, sig) < 0);
	/* base64url round trip, no padding, URL alphabet. */
	const unsigned char raw[] = { 0xfb, 0xff, 0xfe, 0x01 };
	pki_base64url(raw, sizeof(raw), &b);
	ASSERT_STR(b.data, "-__-AQ");
	ASSERT_EQ(pki_base64url_decode(b.data, b.len, &d), 0);
	ASSERT_EQ(d.len, 4);
	ASSERT(memcmp(d.data, raw, 4) == 0);
	ASSERT(pki_base64url_decode("ab+c", 4, &d) < 0);
	/* Not an ECDSA key: refused. */
	struct pki_key *k2 = NULL;
	ASSERT(pki_key_load("-----BEGIN NOTHING-----\n", &k2, &err) < 0);
	pki_key_free(k);
	free(pem);
	buf_release(&err);
	buf_release(&b);
	buf_release(&d);
	return 0;
}
