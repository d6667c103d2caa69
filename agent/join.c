/*
 * join.c - how an agent gets its credentials: the cluster CA, a kubelet client certificate
 * (CN=system:node:NAME, O=system:nodes) and a serving certificate for its kubelet port.
 *
 * DESIGN
 * The token is K10<sha256 of the CA PEM>::<user>:<secret> (or a bare secret). Joining is a chain
 * of steps, blocking ones on the thread pool, network ones on the loop:
 *   load  (pool)  make the node password (DATA/agent/node-password) if absent; reuse the files
 *                 under DATA/agent/tls when they still fit: CA matching the token's hash, client
 *                 certificate for this node name chaining to the CA and valid for more than 120
 *                 days, serving certificate for the current addresses (serving-kubelet.names);
 *   fetch (pool)  GET /cacerts over TLS *without* verification (a small blocking client with its
 *                 own deadline: lib/http_client always verifies), then check its SHA-256 against
 *                 the token: only then is the server trusted. A token without a CA hash is
 *                 refused unless the CA is already stored (no trust on first use);
 *   csr   (pool)  make the two key pairs and CSRs: private keys never leave the node;
 *   post  (loop)  POST /v1-kube/node-certs with "Authorization: Basic node:<secret>", verified
 *                 against the CA: the server signs both CSRs (see server/join.c);
 *   save  (pool)  write the files atomically (keys 0600).
 * Then the API client with the node's certificate is made and GET /v1-kube/config gives the
 * cluster settings (DNS, domain, CIDRs). A failed step is logged and the join restarts after a
 * back-off of 1 s doubling to 1 min, never in a tight loop.
 */
#include "agent/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/pki.h"
#include "lib/version.h"

#define RETRY_BASE_MS 1000
#define RETRY_MAX_MS 60000
#define FETCH_TIMEOUT_MS 10000
#define FETCH_MAX (1u << 20)
#define RENEW_DAYS 120

enum join_step { STEP_LOAD, STEP_FETCH, STEP_CSR, STEP_SAVE };

struct agent_join {
	struct agent *a;
	void (*done)(struct agent *a);
	char hash[65];            /* the token's CA hash, "" when it has none */
	char *secret;
	char host[256];
	int port;
	enum join_step step;
	uv_work_t work;
	int working;
	uv_timer_t retry;
	unsigned failures;
	int stopped;
	/* results of the steps (owned until handed to the agent) */
	int rc;
	struct buf err;
	int reuse;                /* load: the stored certificates fit */
	char *password;
	char *ca, *client_cert, *client_key, *serving_cert, *serving_key;
	char *client_csr, *serving_csr;
	char *names;              /* the names the serving certificate covers */
	struct rest_client *boot; /* the CA-verified client for POST node-certs */
};

static void join_next(struct agent_join *j);
static void join_fail(struct agent_join *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- tokens ----------------------------------------------------------------------------- */

int join_parse_token(const char *token, char hash[65], char **secret)
{
	hash[0] = '\0';
	*secret = NULL;
	if (starts_with(token, "K10")) {
		const char *sep = strstr(token, "::");
		if (!sep || sep - token != 3 + 64)
			return -1;
		for (const char *p = token + 3; p < sep; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
				return -1;
		memcpy(hash, token + 3, 64);
		hash[64] = '\0';
		token = sep + 2;
		const char *colon = strchr(token, ':');
		if (colon)
			token = colon + 1; /* "<user>:<secret>" */
	}
	if (!*token)
		return -1;
	*secret = xstrdup(token);
	return 0;
}

/* ---- an unverified HTTPS GET (blocking, for the thread pool) ----------------------------- */

struct fetch {
	int fd;
	uint64_t deadline;        /* now_ns() limit */
};

static int wait_fd(struct fetch *f, short ev)
{
	uint64_t now = now_ns();
	if (now >= f->deadline)
		return -1;
	struct pollfd p = { f->fd, ev, 0 };
	int n = poll(&p, 1, (int)((f->deadline - now) / 1000000) + 1);
	return n > 0 ? 0 : -1;
}

static int bio_send(void *ctx, const unsigned char *b, size_t len)
{
	struct fetch *f = ctx;
	if (wait_fd(f, POLLOUT) < 0)
		return MBEDTLS_ERR_SSL_TIMEOUT;
	ssize_t n = send(f->fd, b, len, MSG_NOSIGNAL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? MBEDTLS_ERR_SSL_WANT_WRITE : MBEDTLS_ERR_NET_SEND_FAILED;
	return (int)n;
}

static int bio_recv(void *ctx, unsigned char *b, size_t len)
{
	struct fetch *f = ctx;
	if (wait_fd(f, POLLIN) < 0)
		return MBEDTLS_ERR_SSL_TIMEOUT;
	ssize_t n = recv(f->fd, b, len, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_NET_RECV_FAILED;
	return (int)n;
}

/* Connects to host:port within the deadline. Returns the socket or -1 (err filled). */
static int fetch_connect(struct fetch *f, const char *host, int port, struct buf *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	char service[16];
	snprintf(service, sizeof(service), "%d", port);
	int r = getaddrinfo(host, service, &hints, &res);
	if (r) {
		buf_addf(err, "cannot resolve %s: %s", host, gai_strerror(r));
		return -1;
	}
	f->fd = -1;
	for (struct addrinfo *ai = res; ai && f->fd < 0; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), soerr = 0;
		socklen_t sl = sizeof(soerr);
		if (fd < 0)
			continue;
		f->fd = fd;
		if ((connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) || wait_fd(f, POLLOUT) < 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr) {
			buf_reset(err);
			buf_addf(err, "cannot connect to %s:%d: %s", host, port, soerr ? strerror(soerr) : "timed out or refused");
			close(fd);
			f->fd = -1;
		}
	}
	freeaddrinfo(res);
	return f->fd;
}

/* Runs the TLS session: handshake, request, then reads the whole response into out. */
static int fetch_tls(mbedtls_ssl_context *ssl, const char *host, const char *path, struct buf *out, struct buf *err)
{
	int r;
	char req[512];
	while ((r = mbedtls_ssl_handshake(ssl)) != 0) {
		if (r != MBEDTLS_ERR_SSL_WANT_READ && r != MBEDTLS_ERR_SSL_WANT_WRITE) {
			buf_addf(err, "TLS handshake with %s failed (-0x%04x)", host, (unsigned)-r);
			return -1;
		}
	}
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: kube-agent\r\nConnection: close\r\n\r\n",
			 path, host);
	for (int off = 0; off < n;) {
		r = mbedtls_ssl_write(ssl, (const unsigned char *)req + off, (size_t)(n - off));
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		if (r < 0) {
			buf_addf(err, "cannot send the request to %s (-0x%04x)", host, (unsigned)-r);
			return -1;
		}
		off += r;
	}
	unsigned char chunk[4096];
	for (;;) {
		r = mbedtls_ssl_read(ssl, chunk, sizeof(chunk));
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
			continue;
		if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || (r < 0 && out->len))
			return 0;
		if (r < 0 || out->len + (size_t)r > FETCH_MAX) {
			buf_addf(err, "cannot read the answer of %s (%s)", host, r < 0 ? "connection failed" : "too large");
			return -1;
		}
		buf_add(out, chunk, (size_t)r);
	}
}

/* GETs https://host:port<path> without verifying the server; the whole response into out. */
static int fetch_insecure(const char *host, int port, const char *path, struct buf *out, struct buf *err)
{
	struct fetch f = { -1, now_ns() + (uint64_t)FETCH_TIMEOUT_MS * 1000000 };
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ssl_config conf;
	mbedtls_ssl_context ssl;
	int r = -1;
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_ssl_config_init(&conf);
	mbedtls_ssl_init(&ssl);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)"kube-join", 9) ||
	    mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT)) {
		buf_addf(err, "cannot set up TLS");
		goto out;
	}
	/* Not verified on purpose: the CA it returns is checked against the token's hash. */
	mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_NONE);
	mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
	if (mbedtls_ssl_setup(&ssl, &conf) || fetch_connect(&f, host, port, err) < 0)
		goto out;
	mbedtls_ssl_set_bio(&ssl, &f, bio_send, bio_recv, NULL);
	r = fetch_tls(&ssl, host, path, out, err);
out:
	if (f.fd >= 0)
		close(f.fd);
	mbedtls_ssl_free(&ssl);
	mbedtls_ssl_config_free(&conf);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&entropy);
	return r;
}

int join_parse_http(const char *data, size_t len, int *status, const char **body, size_t *body_len)
{
	const char *end = NULL;
	for (size_t i = 0; i + 3 < len && !end; i++)
		if (!memcmp(data + i, "\r\n\r\n", 4))
			end = data + i;
	if (!end || len < 12 || memcmp(data, "HTTP/1.", 7) || data[8] != ' ')
		return -1;
	int code = 0;
	for (int i = 9; i < 12; i++) {
		if (data[i] < '0' || data[i] > '9')
			return -1;
		code = code * 10 + (data[i] - '0');
	}
	const char *b = end + 4;
	size_t avail = len - (size_t)(b - data), blen = avail;
	for (const char *h = data; h < end; h++) {
		if ((h == data || h[-1] != '\n') || (size_t)(end - h) < 15)
			continue;
		if (!strncasecmp(h, "transfer-encoding:", 18))
			return -1; /* /cacerts is answered with a length */
		if (strncasecmp(h, "content-length:", 15))
			continue;
		char *stop;
		unsigned long long v = strtoull(h + 15, &stop, 10);
		if (v > avail)
			return -1;
		blen = (size_t)v;
	}
	*status = code;
	*body = b;
	*body_len = blen;
	return 0;
}

/* ---- the steps on the thread pool -------------------------------------------------------- */

static char *tls_file(const struct agent_join *j, const char *name)
{
	return xasprintf("%s/%s", j->a->cfg->tls_dir, name);
}

/* Loads the node password, making it on first start. */
static int load_password(struct agent_join *j)
{
	char *path = xasprintf("%s/node-password", j->a->cfg->agent_dir);
	int r = read_file(path, &j->password, NULL);
	if (r == -ENOENT) {
		unsigned char raw[16];
		char hex[33];
		random_bytes(raw, sizeof(raw));
		for (size_t i = 0; i < sizeof(raw); i++)
			snprintf(hex + 2 * i, 3, "%02x", raw[i]);
		r = write_file_atomic(path, hex, 32, 0600);
		if (r == 0)
			j->password = xstrdup(hex);
	}
	if (r < 0)
		buf_addf(&j->err, "cannot read or create %s: %s", path, strerror(-r));
	else
		j->password[strcspn(j->password, "\r\n")] = '\0';
	free(path);
	return r;
}

/* The names the serving certificate must cover, one per line. */
static char *serving_names(const struct agent_config *cfg)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "DNS:%s\n", cfg->hostname);
	if (strcmp(cfg->hostname, cfg->node_name))
		buf_addf(&b, "DNS:%s\n", cfg->node_name);
	for (size_t i = 0; i < cfg->n_node_ips; i++)
		buf_addf(&b, "IP:%s\n", cfg->node_ips[i]);
	return buf_detach(&b, NULL);
}

/* Seconds a PEM certificate remains valid, or -1. */
static int64_t cert_seconds_left(const char *pem)
{
	mbedtls_x509_crt crt;
	mbedtls_x509_crt_init(&crt);
	int64_t left = -1;
	if (mbedtls_x509_crt_parse(&crt, (const unsigned char *)pem, strlen(pem) + 1) == 0) {
		struct tm tm = { .tm_year = crt.valid_to.year - 1900, .tm_mon = crt.valid_to.mon - 1,
				 .tm_mday = crt.valid_to.day, .tm_hour = crt.valid_to.hour, .tm_min = crt.valid_to.min,
				 .tm_sec = crt.valid_to.sec };
		left = (int64_t)timegm(&tm) - wall_seconds();
	}
	mbedtls_x509_crt_free(&crt);
	return left;
}

/* Do the stored files fit this agent? Fills j->reuse and keeps the loaded PEMs. */
static void load_existing(struct agent_join *j)
{
	static const char *const files[] = { "server-ca.crt", "client-kubelet.crt", "client-kubelet.key",
					     "serving-kubelet.crt", "serving-kubelet.key", "serving-kubelet.names" };
	char **dst[] = { &j->ca, &j->client_cert, &j->client_key, &j->serving_cert, &j->serving_key, NULL };
	char *names = NULL, *cn = NULL, **orgs = NULL, hash[65];
	size_t norgs = 0;
	int ok = 1;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *p = tls_file(j, files[i]);
		ok &= read_file(p, dst[i] ? dst[i] : &names, NULL) == 0;
		free(p);
	}
	if (j->ca)
		pki_sha256_hex(j->ca, strlen(j->ca), hash);
	if (ok && *j->hash && strcmp(hash, j->hash))
		ok = 0; /* another cluster's CA: join again */
	char *want = xasprintf("system:node:%s", j->a->cfg->node_name);
	ok = ok && pki_verify(j->ca, j->client_cert, NULL) == 0 && pki_verify(j->ca, j->serving_cert, NULL) == 0 &&
	     pki_cert_subject(j->client_cert, &cn, &orgs, &norgs, NULL) == 0 && !strcmp(cn, want) &&
	     cert_seconds_left(j->client_cert) > RENEW_DAYS * 86400LL &&
	     cert_seconds_left(j->serving_cert) > RENEW_DAYS * 86400LL && !strcmp(names, j->names);
	j->reuse = ok;
	free(want);
	free(cn);
	pki_free_strings(orgs, norgs);
	free(names);
}

static void step_load(struct agent_join *j)
{
	const struct agent_config *cfg = j->a->cfg;
	char **prev[] = { &j->password, &j->ca, &j->client_cert, &j->client_key, &j->serving_cert, &j->serving_key,
			  &j->client_csr, &j->serving_csr };
	for (size_t i = 0; i < ARRAY_SIZE(prev); i++) { /* a retry starts afresh */
		free(*prev[i]);
		*prev[i] = NULL;
	}
	int r = mkdir_p(cfg->tls_dir, 0700);
	if (r < 0) {
		buf_addf(&j->err, "cannot create %s: %s", cfg->tls_dir, strerror(-r));
		j->rc = r;
		return;
	}
	if ((j->rc = load_password(j)) < 0)
		return;
	load_existing(j);
	if (!j->reuse && !*j->hash && !j->ca) {
		buf_addf(&j->err, "the token has no CA hash (K10<sha256>::...) and no cluster CA is stored in %s: refusing to "
				  "trust the server's certificate on first use; use the full token from the server's "
				  "DATA/server/token", cfg->tls_dir);
		j->rc = -KUBE_EINVAL;
	}
}

static void step_fetch(struct agent_join *j)
{
	struct buf resp = BUF_INIT;
	const char *body;
	size_t blen;
	int status;
	char got[65];
	if (!*j->hash)
		return; /* a stored CA (checked by load) */
	free(j->ca);
	j->ca = NULL;
	j->rc = -1;
	if (fetch_insecure(j->host, j->port, "/cacerts", &resp, &j->err) < 0)
		goto out;
	if (join_parse_http(resp.data, resp.len, &status, &body, &blen) < 0 || status != 200) {
		buf_addf(&j->err, "GET https://%s:%d/cacerts: unexpected answer", j->host, j->port);
		goto out;
	}
	pki_sha256_hex(body, blen, got);
	if (strcmp(got, j->hash)) {
		buf_addf(&j->err, "the CA certificate served by %s does not match the token's hash (K10%.12s...), it hashes to "
				  "%.12s...: wrong --token, or not the server you think (refusing to send the token)",
			 j->a->cfg->server_url, j->hash, got);
		goto out;
	}
	j->ca = xstrndup(body, blen);
	j->rc = 0;
out:
	buf_release(&resp);
}

static void step_csr(struct agent_join *j)
{
	char *cn = xasprintf("system:node:%s", j->a->cfg->node_name);
	free(j->client_key);
	free(j->serving_key);
	j->client_key = j->serving_key = NULL;
	j->rc = pki_csr_create(cn, &j->client_csr, &j->client_key, &j->err);
	if (!j->rc)
		j->rc = pki_csr_create(cn, &j->serving_csr, &j->serving_key, &j->err);
	free(cn);
}

static void step_save(struct agent_join *j)
{
	const char *names[] = { "server-ca.crt", "client-kubelet.key", "client-kubelet.crt", "serving-kubelet.key",
				"serving-kubelet.crt", "serving-kubelet.names" };
	const char *data[] = { j->ca, j->client_key, j->client_cert, j->serving_key, j->serving_cert, j->names };
	for (size_t i = 0; i < ARRAY_SIZE(names) && !j->rc; i++) {
		char *p = tls_file(j, names[i]);
		j->rc = write_file_atomic(p, data[i], strlen(data[i]), ends_with(names[i], ".key") ? 0600 : 0644);
		if (j->rc)
			buf_addf(&j->err, "cannot write %s: %s", p, strerror(-j->rc));
		free(p);
	}
}

static void on_work(uv_work_t *w)
{
	struct agent_join *j = w->data;
	j->rc = 0;
	buf_reset(&j->err);
	switch (j->step) {
	case STEP_LOAD: step_load(j); break;
	case STEP_FETCH: step_fetch(j); break;
	case STEP_CSR: step_csr(j); break;
	case STEP_SAVE: step_save(j); break;
	}
}

/* ---- the chain on the loop --------------------------------------------------------------- */

static void run_step(struct agent_join *j, enum join_step step);

static void on_retry(uv_timer_t *t)
{
	struct agent_join *j = t->data;
	if (!j->stopped)
		run_step(j, STEP_LOAD);
}

static void join_fail(struct agent_join *j, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uint64_t ms = RETRY_BASE_MS;
	for (unsigned i = 0; i < j->failures && ms < RETRY_MAX_MS; i++)
		ms *= 2;
	ms = MIN(ms, RETRY_MAX_MS);
	j->failures++;
	log_error("join %s: %s; retrying in %llu s", j->a->cfg->server_url, msg, (unsigned long long)(ms / 1000));
	uv_timer_start(&j->retry, on_retry, ms, 0);
}

static void after_work(uv_work_t *w, int status)
{
	struct agent_join *j = w->data;
	UNUSED(status);
	j->working = 0;
	if (j->stopped)
		return;
	if (j->rc) {
		if (j->step == STEP_LOAD && j->rc == -KUBE_EINVAL) {
			log_error("join %s: %s", j->a->cfg->server_url, buf_str(&j->err));
			j->a->exit_code = 1;
			agent_stop(j->a);
			return;
		}
		join_fail(j, "%s", buf_str(&j->err));
		return;
	}
	join_next(j);
}

static void run_step(struct agent_join *j, enum join_step step)
{
	j->step = step;
	j->working = 1;
	j->work.data = j;
	uv_queue_work(j->a->loop, &j->work, on_work, after_work);
}

/* ---- POST /v1-kube/node-certs ------------------------------------------------------------ */

static void boot_closed(void *arg)
{
	UNUSED(arg);
}

static void close_boot(struct agent_join *j)
{
	if (j->boot)
		rest_client_close(j->boot, boot_closed, NULL);
	j->boot = NULL;
}

static void certs_answered(const struct rest_result *res, void *data)
{
	struct agent_join *j = data;
	close_boot(j);
	if (j->stopped || res->err == -ECANCELED)
		return;
	const char *cc = json_str(res->obj, "clientCertificate"), *sc = json_str(res->obj, "servingCertificate");
	if (res->err) {
		join_fail(j, "cannot reach the server: %s", res->message);
	} else if (res->code == 401) {
		join_fail(j, "the server refused the token (401 Unauthorized): check --token");
	} else if (res->code != 200 || !cc || !sc) {
		join_fail(j, "the server refused the certificate request (%d): %s", res->code, res->message);
	} else {
		free(j->client_cert);
		free(j->serving_cert);
		j->client_cert = xstrdup(cc);
		j->serving_cert = xstrdup(sc);
		log_info("join %s: certificates issued for node %s", j->a->cfg->server_url, j->a->cfg->node_name);
		run_step(j, STEP_SAVE);
	}
}

static cJSON *certs_request(const struct agent_join *j)
{
	const struct agent_config *cfg = j->a->cfg;
	cJSON *req = cJSON_CreateObject(), *ips = cJSON_CreateArray(), *hosts = cJSON_CreateArray();
	json_set_str(req, "nodeName", cfg->node_name);
	json_set_str(req, "nodePassword", j->password);
	json_set_str(req, "clientCSR", j->client_csr);
	json_set_str(req, "servingCSR", j->serving_csr);
	for (size_t i = 0; i < cfg->n_node_ips; i++)
		cJSON_AddItemToArray(ips, cJSON_CreateString(cfg->node_ips[i]));
	cJSON_AddItemToArray(hosts, cJSON_CreateString(cfg->hostname));
	if (strcmp(cfg->hostname, cfg->node_name))
		cJSON_AddItemToArray(hosts, cJSON_CreateString(cfg->node_name));
	json_set(req, "addresses", ips);
	json_set(req, "hostnames", hosts);
	return req;
}

static void post_certs(struct agent_join *j)
{
	struct buf auth = BUF_INIT, cred = BUF_INIT, err = BUF_INIT;
	buf_addf(&cred, "node:%s", j->secret);
	buf_adds(&auth, "Basic ");
	pki_base64(cred.data, cred.len, &auth);
	struct rest_config rc = { .ca_pem = j->ca, .user_agent = "kube-agent", .authorization = auth.data, .max_conns = 1 };
	cJSON *req = certs_request(j);
	if (rest_client_new(j->a->loop, j->a->cfg->server_url, &rc, &j->boot, &err) < 0)
		join_fail(j, "%s", buf_str(&err));
	else if (rest_create(j->boot, "/v1-kube/node-certs", req, certs_answered, j) < 0)
		join_fail(j, "cannot send the certificate request");
	cJSON_Delete(req);
	buf_release(&auth);
	buf_release(&cred);
	buf_release(&err);
}

/* ---- the cluster settings ---------------------------------------------------------------- */

static void config_answered(const struct rest_result *res, void *data)
{
	struct agent_join *j = data;
	struct agent *a = j->a;
	if (j->stopped || res->err == -ECANCELED)
		return;
	if (res->err || res->code != 200 || !res->obj) {
		join_fail(j, "GET /v1-kube/config failed: %s", res->err || res->code != 200 ? res->message : "not JSON");
		return;
	}
	const char *keys[] = { "clusterDNS", "clusterDomain", "clusterCIDR", "serviceCIDR", "flannelBackend" };
	char **dst[] = { &a->cluster_dns, &a->cluster_domain, &a->cluster_cidr, &a->service_cidr, &a->flannel_backend };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		free(*dst[i]);
		*dst[i] = json_str(res->obj, keys[i]) ? xstrdup(json_str(res->obj, keys[i])) : NULL;
	}
	j->failures = 0;
	j->done(a);
}

/* Hands the credentials to the agent, makes its API client and asks for the settings. */
static void finish(struct agent_join *j)
{
	struct agent *a = j->a;
	struct buf err = BUF_INIT;
	char ua[96];
	free(a->ca_pem);
	free(a->client_cert_pem);
	free(a->client_key_pem);
	free(a->serving_cert_pem);
	free(a->serving_key_pem);
	a->ca_pem = xstrdup(j->ca);
	a->client_cert_pem = xstrdup(j->client_cert);
	a->client_key_pem = xstrdup(j->client_key);
	a->serving_cert_pem = xstrdup(j->serving_cert);
	a->serving_key_pem = xstrdup(j->serving_key);
	snprintf(ua, sizeof(ua), "kubelet/%s (linux) kube/%s", AGENT_KUBELET_VERSION, kube_version);
	struct rest_config rc = { .ca_pem = a->ca_pem, .cert_pem = a->client_cert_pem, .key_pem = a->client_key_pem,
				  .user_agent = ua };
	if (!a->api && rest_client_new(a->loop, a->cfg->server_url, &rc, &a->api, &err) < 0) {
		join_fail(j, "%s", buf_str(&err));
	} else if (rest_get(a->api, "/v1-kube/config", config_answered, j) < 0) {
		join_fail(j, "cannot send GET /v1-kube/config");
	}
	buf_release(&err);
}

static void join_next(struct agent_join *j)
{
	switch (j->step) {
	case STEP_LOAD:
		if (j->reuse) {
			log_info("join: reusing the certificates in %s", j->a->cfg->tls_dir);
			finish(j);
		} else {
			run_step(j, STEP_FETCH);
		}
		break;
	case STEP_FETCH: run_step(j, STEP_CSR); break;
	case STEP_CSR: post_certs(j); break;
	case STEP_SAVE: finish(j); break;
	}
}

void join_start(struct agent *a, void (*done)(struct agent *a))
{
	struct agent_join *j = xcalloc(1, sizeof(*j));
	j->a = a;
	j->done = done;
	a->join = j;
	uv_timer_init(a->loop, &j->retry);
	j->retry.data = j;
	j->names = serving_names(a->cfg);
	if (join_parse_token(a->cfg->token, j->hash, &j->secret) < 0 ||
	    rest_url_split(a->cfg->server_url, j->host, sizeof(j->host), &j->port) != 1) {
		log_error("join: malformed --token or --server");
		a->exit_code = 1;
		agent_stop(a);
		return;
	}
	run_step(j, STEP_LOAD);
}

void join_stop(struct agent *a)
{
	struct agent_join *j = a->join;
	if (!j || j->stopped)
		return;
	j->stopped = 1;
	uv_close((uv_handle_t *)&j->retry, NULL);
	close_boot(j);
}

void join_free(struct agent *a)
{
	struct agent_join *j = a->join;
	if (!j)
		return;
	free(j->secret);
	free(j->password);
	free(j->ca);
	free(j->client_cert);
	free(j->client_key);
	free(j->serving_cert);
	free(j->serving_key);
	free(j->client_csr);
	free(j->serving_csr);
	free(j->names);
	buf_release(&j->err);
	free(j);
	a->join = NULL;
}
