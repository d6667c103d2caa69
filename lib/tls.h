/*
 * tls.h - TLS 1.2 sessions over memory buffers (mbedTLS): server sessions for lib/http, client
 * sessions for lib/http_client. Internal to lib/.
 *
 * DESIGN
 * The transport owns the socket; a session only transforms bytes. Ciphertext read from the
 * socket is given to tls_session_recv, which runs the handshake and appends decrypted
 * application data to a plain buffer; tls_session_send encrypts. Everything mbedTLS wants to
 * send (handshake messages, records, alerts) is appended to session->out, which the transport
 * drains to the socket. mbedTLS's BIO callbacks therefore never block: the receive callback
 * answers WANT_READ when the input buffer is empty, the send callback always succeeds.
 *
 * One struct tls_config (certificates, key, random generator, session-ticket keys) is shared
 * by every session of a server and must outlive them.
 *
 * Client side: a client configuration trusts one CA bundle and may carry a client certificate.
 * A client session verifies the server's chain and its name: a DNS name through mbedTLS (it is
 * also sent as SNI), an IP address against the certificate's IP SANs (mbedTLS 2.28 only knows
 * DNS SANs, so a verify callback does it). The configuration remembers the last session
 * established with each server name it was used for (one entry), and new client sessions for the
 * same name offer it for resumption (a session ticket: no key exchange, no certificates).
 * Everything runs on one thread (the loop's).
 */
#ifndef KUBE_TLS_H
#define KUBE_TLS_H

#include <stddef.h>

#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>

#include "buf.h"

struct tls_config;

struct tls_session {
	mbedtls_ssl_context ssl;
	struct buf in;   /* received ciphertext not yet consumed by mbedTLS */
	size_t in_off;   /* consumed prefix of in */
	struct buf out;  /* ciphertext to send; the transport takes it */
	int established; /* the handshake is complete */
	int client;      /* a client session */
	struct tls_config *cfg;
	unsigned char ip[16]; /* client: the server address to find in the IP SANs */
	size_t iplen;    /* 4 or 16; 0 when the server name is a DNS name */
	char *name;      /* client: the server name (for the session cache) */
	int full_handshake; /* client: the server sent certificates (not a resumption) */
};

/* Builds a server configuration: the serving chain and key (PEM), and, if client_ca_pem is
 * not NULL, optional client certificates verified against it. ALPN offers only "http/1.1".
 * Returns 0 and *out (free with tls_config_free), or -KUBE_EINVAL with a message in err. */
int tls_config_new(const char *cert_pem, const char *key_pem, const char *client_ca_pem,
		   struct tls_config **out, struct buf *err);
void tls_config_free(struct tls_config *cfg);

/* Builds a client configuration: the CA bundle that must have signed the server's chain (PEM,
 * required) and an optional client certificate chain and key (PEM, both or neither). ALPN
 * offers only "http/1.1". Returns 0 and *out (free with tls_config_free, after every session
 * made from it), or -KUBE_EINVAL with a message in err. */
int tls_client_config_new(const char *ca_pem, const char *cert_pem, const char *key_pem,
			  struct tls_config **out, struct buf *err);

/* Prepares a server session for one connection. Returns 0 or -KUBE_EINVAL. */
int tls_session_init(struct tls_session *s, struct tls_config *cfg);
/* Prepares a client session for one connection to server_name (a DNS name, or an IPv4/IPv6
 * literal without brackets) and queues the ClientHello into s->out. cfg comes from
 * tls_client_config_new. The handshake then advances in tls_session_recv; a server whose
 * certificate does not verify for server_name makes it fail with
 * MBEDTLS_ERR_X509_CERT_VERIFY_FAILED. Returns 0 or -KUBE_EINVAL. */
int tls_session_init_client(struct tls_session *s, struct tls_config *cfg, const char *server_name);
void tls_session_release(struct tls_session *s);

/* Takes len bytes of ciphertext, advances the handshake and appends any decrypted application
 * data to plain. Returns 0 (more input welcome), 1 when the peer sent close_notify, or a
 * negative mbedTLS error (fatal: send what is in s->out, then close). */
int tls_session_recv(struct tls_session *s, const char *data, size_t len, struct buf *plain);
/* Encrypts len bytes into s->out. Returns 0 or a negative mbedTLS error. The session must be
 * established. */
int tls_session_send(struct tls_session *s, const void *data, size_t len);
/* Queues a close_notify alert into s->out. */
void tls_session_close_notify(struct tls_session *s);
/* When the client presented a certificate that verified against the client CA, returns 1 and
 * its subject CN and O values (free with pki_free_strings / free); else returns 0. */
int tls_session_peer(struct tls_session *s, char **cn, char ***orgs, size_t *norgs);

/* Appends a description of a failure returned by tls_session_recv or tls_session_send to
 * out: mbedTLS's text, and for a certificate that did not verify, why. */
void tls_session_strerror(const struct tls_session *s, int ret, struct buf *out);
/* Client: returns nonzero when the session resumed a cached one (abbreviated handshake). */
int tls_session_resumed(const struct tls_session *s);
/* Returns the protocol the peer chose with ALPN, or NULL. */
const char *tls_session_alpn(const struct tls_session *s);

/* Reads the CN (first; "" if none) and every O value of a parsed X.509 name (in pki.c). *cn and
 * the strings of *orgs are malloc'd; free with free() and pki_free_strings(). */
void pki__names(const mbedtls_x509_name *name, char **cn, char ***orgs, size_t *norgs);

#endif
