/*
 * tls.c - TLS 1.2 server and client sessions over memory buffers with mbedTLS.
 *
 * DESIGN
 * See tls.h. The configuration restricts the protocol to TLS 1.2 with ECDHE and AEAD cipher
 * suites (what Go, OpenSSL and curl negotiate), offers ALPN "http/1.1" only, requests a client
 * certificate without requiring it (MBEDTLS_SSL_VERIFY_OPTIONAL: token clients share the port)
 * and issues session tickets so that reconnecting clients skip the full handshake. mbedTLS
 * checks the client certificate's chain, validity, keyUsage and extendedKeyUsage (clientAuth)
 * during the handshake; a certificate that fails is recorded in the verify result and the
 * session simply has no peer.
 *
 * A client configuration uses the same protocol settings, requires the server's certificate to
 * verify (MBEDTLS_SSL_VERIFY_REQUIRED) and keeps a one-entry session cache: the session of the
 * last completed full handshake and the server name it was made with.
 */
#include "tls.h"
#include "util.h"

#include <arpa/inet.h>
#include <assert.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl_ticket.h>
#include <mbedtls/x509_crt.h>

#define TLS__READ_CHUNK 16384
#define TLS__TICKET_LIFETIME 86400

struct tls_config {
	mbedtls_ssl_config conf;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_x509_crt chain;
	mbedtls_pk_context key;
	mbedtls_x509_crt client_ca;    /* server: CA of client certificates; client: trusted CA */
	mbedtls_ssl_ticket_context tickets;
	int client;
	mbedtls_ssl_session saved;     /* client: the last session established */
	char *saved_name;              /* its server name, or NULL when there is none */
};

static const int tls__suites[] = {
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	0,
};

static const char *tls__alpn[] = { "http/1.1", NULL };

static int tls__fail(struct buf *err, const char *what, int ret)
{
	char msg[160];
	if (err) {
		mbedtls_strerror(ret, msg, sizeof(msg));
		buf_addf(err, "%s: %s", what, msg);
	}
	return -KUBE_EINVAL;
}

/* Loads the serving chain, its key and the optional client CA into cfg. */
static int tls__load(struct tls_config *cfg, const char *cert_pem, const char *key_pem,
		     const char *client_ca_pem, struct buf *err)
{
	int ret = mbedtls_x509_crt_parse(&cfg->chain, (const unsigned char *)cert_pem,
					 strlen(cert_pem) + 1);
	if (ret)
		return tls__fail(err, "parsing the serving certificate", ret);
	ret = mbedtls_pk_parse_key(&cfg->key, (const unsigned char *)key_pem, strlen(key_pem) + 1,
				   NULL, 0);
	if (ret)
		return tls__fail(err, "parsing the serving key", ret);
	ret = mbedtls_pk_check_pair(&cfg->chain.pk, &cfg->key);
	if (ret)
		return tls__fail(err, "the serving key does not match its certificate", ret);
	if (!client_ca_pem)
		return 0;
	ret = mbedtls_x509_crt_parse(&cfg->client_ca, (const unsigned char *)client_ca_pem,
				     strlen(client_ca_pem) + 1);
	return ret ? tls__fail(err, "parsing the client CA", ret) : 0;
}

/* Applies the protocol settings described at the top of this file. */
static int tls__setup(struct tls_config *cfg, int want_client_certs, struct buf *err)
{
	mbedtls_ssl_config *c = &cfg->conf;
	int ret = mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
					      MBEDTLS_SSL_PRESET_DEFAULT);
	if (ret)
		return tls__fail(err, "TLS defaults", ret);
	mbedtls_ssl_conf_rng(c, mbedtls_ctr_drbg_random, &cfg->drbg);
	mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_ciphersuites(c, tls__suites);
	if ((ret = mbedtls_ssl_conf_alpn_protocols(c, tls__alpn)) != 0)
		return tls__fail(err, "TLS ALPN", ret);
	if ((ret = mbedtls_ssl_conf_own_cert(c, &cfg->chain, &cfg->key)) != 0)
		return tls__fail(err, "TLS certificate", ret);
	if (want_client_certs) {
		mbedtls_ssl_conf_ca_chain(c, &cfg->client_ca, NULL);
		mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_OPTIONAL);
	} else {
		mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_NONE);
	}
	ret = mbedtls_ssl_ticket_setup(&cfg->tickets, mbedtls_ctr_drbg_random, &cfg->drbg,
				       MBEDTLS_CIPHER_AES_256_GCM, TLS__TICKET_LIFETIME);
	if (ret)
		return tls__fail(err, "TLS session tickets", ret);
	mbedtls_ssl_conf_session_tickets_cb(c, mbedtls_ssl_ticket_write, mbedtls_ssl_ticket_parse,
					    &cfg->tickets);
	return 0;
}

/* Allocates a configuration with every member initialised and the random generator seeded.
 * Returns 0 and *out, or -KUBE_EINVAL (nothing allocated) with a message in err. */
static int tls__config_alloc(struct tls_config **out, struct buf *err)
{
	static const char pers[] = "kube-tls";
	struct tls_config *cfg = xcalloc(1, sizeof(*cfg));
	mbedtls_ssl_config_init(&cfg->conf);
	mbedtls_entropy_init(&cfg->entropy);
	mbedtls_ctr_drbg_init(&cfg->drbg);
	mbedtls_x509_crt_init(&cfg->chain);
	mbedtls_pk_init(&cfg->key);
	mbedtls_x509_crt_init(&cfg->client_ca);
	mbedtls_ssl_ticket_init(&cfg->tickets);
	mbedtls_ssl_session_init(&cfg->saved);
	int ret = mbedtls_ctr_drbg_seed(&cfg->drbg, mbedtls_entropy_func, &cfg->entropy,
					(const unsigned char *)pers, sizeof(pers) - 1);
	if (ret) {
		tls_config_free(cfg);
		return tls__fail(err, "seeding the random generator", ret);
	}
	*out = cfg;
	return 0;
}

int tls_config_new(const char *cert_pem, const char *key_pem, const char *client_ca_pem,
		   struct tls_config **out, struct buf *err)
{
	struct tls_config *cfg;
	int ret = tls__config_alloc(&cfg, err);
	if (ret)
		return ret;
	ret = tls__load(cfg, cert_pem, key_pem, client_ca_pem, err);
	if (!ret)
		ret = tls__setup(cfg, client_ca_pem != NULL, err);
	if (ret) {
		tls_config_free(cfg);
		return ret;
	}
	*out = cfg;
	return 0;
}

/* Loads the trusted CA and the optional client chain and key of a client configuration. */
static int tls__client_load(struct tls_config *cfg, const char *ca_pem, const char *cert_pem,
			    const char *key_pem, struct buf *err)
{
	int ret = mbedtls_x509_crt_parse(&cfg->client_ca, (const unsigned char *)ca_pem,
					 strlen(ca_pem) + 1);
	if (ret)
		return tls__fail(err, "parsing the CA certificate", ret);
	if (!cert_pem)
		return 0;
	ret = mbedtls_x509_crt_parse(&cfg->chain, (const unsigned char *)cert_pem,
				     strlen(cert_pem) + 1);
	if (ret)
		return tls__fail(err, "parsing the client certificate", ret);
	ret = mbedtls_pk_parse_key(&cfg->key, (const unsigned char *)key_pem, strlen(key_pem) + 1,
				   NULL, 0);
	if (ret)
		return tls__fail(err, "parsing the client key", ret);
	ret = mbedtls_pk_check_pair(&cfg->chain.pk, &cfg->key);
	return ret ? tls__fail(err, "the client key does not match its certificate", ret) : 0;
}

/* Applies the client side of the protocol settings described at the top of this file. */
static int tls__client_setup(struct tls_config *cfg, int has_cert, struct buf *err)
{
	mbedtls_ssl_config *c = &cfg->conf;
	int ret = mbedtls_ssl_config_defaults(c, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
					      MBEDTLS_SSL_PRESET_DEFAULT);
	if (ret)
		return tls__fail(err, "TLS defaults", ret);
	mbedtls_ssl_conf_rng(c, mbedtls_ctr_drbg_random, &cfg->drbg);
	mbedtls_ssl_conf_min_version(c, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
	mbedtls_ssl_conf_ciphersuites(c, tls__suites);
	if ((ret = mbedtls_ssl_conf_alpn_protocols(c, tls__alpn)) != 0)
		return tls__fail(err, "TLS ALPN", ret);
	mbedtls_ssl_conf_ca_chain(c, &cfg->client_ca, NULL);
	mbedtls_ssl_conf_authmode(c, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_session_tickets(c, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
	if (has_cert && (ret = mbedtls_ssl_conf_own_cert(c, &cfg->chain, &cfg->key)) != 0)
		return tls__fail(err, "TLS client certificate", ret);
	return 0;
}

int tls_client_config_new(const char *ca_pem, const char *cert_pem, const char *key_pem,
			  struct tls_config **out, struct buf *err)
{
	struct tls_config *cfg;
	int ret;
	if (!ca_pem || !cert_pem != !key_pem) {
		if (err)
			buf_adds(err, ca_pem ? "a client certificate needs its key, and a key its certificate"
					     : "a CA certificate is required");
		return -KUBE_EINVAL;
	}
	if ((ret = tls__config_alloc(&cfg, err)) != 0)
		return ret;
	cfg->client = 1;
	ret = tls__client_load(cfg, ca_pem, cert_pem, key_pem, err);
	if (!ret)
		ret = tls__client_setup(cfg, cert_pem != NULL, err);
	if (ret) {
		tls_config_free(cfg);
		return ret;
	}
	*out = cfg;
	return 0;
}

void tls_config_free(struct tls_config *cfg)
{
	if (!cfg)
		return;
	mbedtls_ssl_ticket_free(&cfg->tickets);
	mbedtls_ssl_session_free(&cfg->saved);
	free(cfg->saved_name);
	mbedtls_ssl_config_free(&cfg->conf);
	mbedtls_x509_crt_free(&cfg->client_ca);
	mbedtls_pk_free(&cfg->key);
	mbedtls_x509_crt_free(&cfg->chain);
	mbedtls_ctr_drbg_free(&cfg->drbg);
	mbedtls_entropy_free(&cfg->entropy);
	free(cfg);
}

/* mbedTLS send callback: append to the output buffer; never blocks. */
static int tls__bio_send(void *ctx, const unsigned char *data, size_t len)
{
	struct tls_session *s = ctx;
	buf_add(&s->out, data, len);
	return (int)len;
}

/* mbedTLS receive callback: serve from the input buffer, or WANT_READ when it is empty. */
static int tls__bio_recv(void *ctx, unsigned char *data, size_t len)
{
	struct tls_session *s = ctx;
	size_t avail = s->in.len - s->in_off;
	if (avail == 0)
		return MBEDTLS_ERR_SSL_WANT_READ;
	size_t n = MIN(avail, len);
	memcpy(data, s->in.data + s->in_off, n);
	s->in_off += n;
	if (s->in_off == s->in.len) {
		buf_reset(&s->in);
		s->in_off = 0;
	}
	return (int)n;
}

int tls_session_init(struct tls_session *s, struct tls_config *cfg)
{
	memset(s, 0, sizeof(*s));
	mbedtls_ssl_init(&s->ssl);
	int ret = mbedtls_ssl_setup(&s->ssl, &cfg->conf);
	if (ret) {
		mbedtls_ssl_free(&s->ssl);
		return -KUBE_EINVAL;
	}
	mbedtls_ssl_set_bio(&s->ssl, s, tls__bio_send, tls__bio_recv, NULL);
	return 0;
}

/* Verify callback of a client session: notes that certificates were exchanged (a full
 * handshake), and when the server name is an IP address, requires the server's own certificate
 * (depth 0) to list it in its IP SANs ([7] OCTET STRING). */
static int tls__verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct tls_session *s = ctx;
	s->full_handshake = 1;
	if (depth != 0 || s->iplen == 0)
		return 0;
	for (const mbedtls_x509_sequence *q = &crt->subject_alt_names; q; q = q->next) {
		if (q->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && q->buf.len == s->iplen &&
		    memcmp(q->buf.p, s->ip, s->iplen) == 0)
			return 0;
	}
	*flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
	return 0;
}

int tls_session_init_client(struct tls_session *s, struct tls_config *cfg, const char *server_name)
{
	assert(cfg->client);
	int ret = tls_session_init(s, cfg);
	if (ret)
		return ret;
	s->client = 1;
	s->cfg = cfg;
	s->name = xstrdup(server_name);
	if (inet_pton(AF_INET, server_name, s->ip) == 1)
		s->iplen = 4;
	else if (inet_pton(AF_INET6, server_name, s->ip) == 1)
		s->iplen = 16;
	mbedtls_ssl_set_verify(&s->ssl, tls__verify, s);
	if (!s->iplen && mbedtls_ssl_set_hostname(&s->ssl, server_name) != 0)
		ret = -KUBE_EINVAL;
	if (!ret && cfg->saved_name && strcmp(cfg->saved_name, server_name) == 0)
		mbedtls_ssl_set_session(&s->ssl, &cfg->saved); /* a failure means a full handshake */
	if (!ret) {
		ret = mbedtls_ssl_handshake(&s->ssl);
		ret = ret == MBEDTLS_ERR_SSL_WANT_READ ? 0 : -KUBE_EINVAL;
	}
	if (ret)
		tls_session_release(s);
	return ret;
}

void tls_session_release(struct tls_session *s)
{
	mbedtls_ssl_free(&s->ssl);
	buf_release(&s->in);
	buf_release(&s->out);
	free(s->name);
	s->name = NULL;
}

/* Client: remembers the session just established for the next connection to the same name. */
static void tls__save_session(struct tls_session *s)
{
	struct tls_config *cfg = s->cfg;
	mbedtls_ssl_session_free(&cfg->saved);
	mbedtls_ssl_session_init(&cfg->saved);
	free(cfg->saved_name);
	cfg->saved_name = NULL;
	if (mbedtls_ssl_get_session(&s->ssl, &cfg->saved) == 0)
		cfg->saved_name = xstrdup(s->name);
}

int tls_session_recv(struct tls_session *s, const char *data, size_t len, struct buf *plain)
{
	int ret;
	if (s->in_off > 0 && s->in_off * 2 > s->in.len) {
		size_t rest = s->in.len - s->in_off;
		memmove(s->in.data, s->in.data + s->in_off, rest);
		buf_truncate(&s->in, rest);
		s->in_off = 0;
	}
	buf_add(&s->in, data, len);
	if (!s->established) {
		ret = mbedtls_ssl_handshake(&s->ssl);
		if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
			return 0;
		if (ret)
			return ret;
		s->established = 1;
		if (s->client && s->full_handshake)
			tls__save_session(s);
	}
	for (;;) {
		buf_grow(plain, TLS__READ_CHUNK);
		ret = mbedtls_ssl_read(&s->ssl, (unsigned char *)plain->data + plain->len,
				       TLS__READ_CHUNK);
		if (ret > 0) {
			plain->len += (size_t)ret;
			plain->data[plain->len] = '\0';
			continue;
		}
		if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
			return 0;
		if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == 0)
			return 1;
		return ret;
	}
}

int tls_session_send(struct tls_session *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	while (len > 0) {
		int ret = mbedtls_ssl_write(&s->ssl, p, len);
		if (ret < 0)
			return ret;
		p += ret;
		len -= (size_t)ret;
	}
	return 0;
}

void tls_session_close_notify(struct tls_session *s)
{
	if (s->established)
		mbedtls_ssl_close_notify(&s->ssl);
}

int tls_session_peer(struct tls_session *s, char **cn, char ***orgs, size_t *norgs)
{
	const mbedtls_x509_crt *crt = mbedtls_ssl_get_peer_cert(&s->ssl);
	if (!s->established || !crt || mbedtls_ssl_get_verify_result(&s->ssl) != 0)
		return 0;
	pki__names(&crt->subject, cn, orgs, norgs);
	return 1;
}

void tls_session_strerror(const struct tls_session *s, int ret, struct buf *out)
{
	char msg[160];
	mbedtls_strerror(ret, msg, sizeof(msg));
	buf_adds(out, msg);
	uint32_t flags = mbedtls_ssl_get_verify_result(&s->ssl);
	if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED && flags != 0 && flags != (uint32_t)-1) {
		char info[512];
		if (mbedtls_x509_crt_verify_info(info, sizeof(info), "", flags) > 0) {
			size_t n = strlen(info);
			while (n > 0 && info[n - 1] == '\n')
				info[--n] = '\0';
			for (char *p = info; *p; p++)
				if (*p == '\n')
					*p = ';';
			buf_addf(out, ": %s", info);
		}
		if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
			buf_addf(out, " (server name %s)", s->name ? s->name : "?");
	}
}

int tls_session_resumed(const struct tls_session *s)
{
	return s->client && s->established && !s->full_handshake;
}

const char *tls_session_alpn(const struct tls_session *s)
{
	return mbedtls_ssl_get_alpn_protocol(&s->ssl);
}
