/*
 * probe.c - container probes: startup, liveness and readiness, each exec, httpGet or tcpSocket,
 * with upstream's timing fields (pkg/kubelet/prober).
 *
 * DESIGN
 * One struct probes per running container holds up to three probe workers. A worker runs an
 * attempt initialDelaySeconds after the container started, then every periodSeconds; liveness
 * and readiness begin only once the startup probe succeeded (or when there is none), and the
 * startup probe ends with its first success. A result changes after successThreshold
 * consecutive successes or failureThreshold consecutive failures (upstream's resultRun); fn runs
 * on every change. A failed attempt that does not change the result is recorded as an Unhealthy
 * event here (the change itself is the pod worker's event), as the kubelet reports every failed
 * probe.
 * - exec: cri_container_exec with timeoutSeconds; exit 0 is success, the output is the message.
 * - httpGet and tcpSocket run on the thread pool with blocking sockets bounded by timeoutSeconds.
 *   The pod has its own network namespace and (until the networking issue) no address but
 *   loopback, so the socket is created inside the pod's namespace (setns on the worker thread,
 *   switched back at once) and the default host is 127.0.0.1 there; with hostNetwork it is the
 *   host given. HTTP: GET with Host, User-Agent kube-probe/<version> and the probe's headers;
 *   200-399 is success (redirects are not followed: a 3xx is success). HTTPS as upstream: TLS
 *   (mbedTLS, blocking on the same thread) without verifying the certificate.
 * Lifetime: probes_stop marks the set stopped and closes its timers; attempts in flight keep it
 * alive (refs) and their results are dropped.
 * Not done: gRPC probes, terminationGracePeriodSeconds of a probe.
 */
#include "agent/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>

#include "cri/cri.h"

enum { P_STARTUP, P_LIVENESS, P_READINESS, P_N };
static const char *const kinds[P_N] = { "startup", "liveness", "readiness" };
static const char *const titles[P_N] = { "Startup", "Liveness", "Readiness" };
static const char *const fields[P_N] = { "startupProbe", "livenessProbe", "readinessProbe" };

struct probe {
	struct probes *ps;
	int kind;
	cJSON *spec;              /* the probe object (owned), NULL when absent */
	uv_timer_t timer;
	int active;               /* attempts are being scheduled */
	int busy;                 /* an attempt is in flight */
	int result;               /* -1 none yet, 0 failure, 1 success */
	int last, run;            /* the last attempt's outcome and how many in a row */
	int64_t delay, period, timeout, success_thr, failure_thr;
};

struct probes {
	struct agent *a;
	cJSON *pod, *c;
	char *cid, *host, *netns;
	void (*fn)(void *arg, const char *kind, int ok, const char *msg);
	void *arg;
	int refs, stopped;
	struct probe p[P_N];
};

static void ps_unref(struct probes *ps)
{
	if (--ps->refs > 0)
		return;
	for (int i = 0; i < P_N; i++)
		cJSON_Delete(ps->p[i].spec);
	cJSON_Delete(ps->pod);
	cJSON_Delete(ps->c);
	free(ps->cid);
	free(ps->host);
	free(ps->netns);
	free(ps);
}

static void timer_closed(uv_handle_t *h)
{
	struct probe *p = h->data;
	ps_unref(p->ps);
}

static void schedule(struct probe *p, uint64_t ms);
static void start_probe(struct probe *p);

/* ---- results --------------------------------------------------------------------------------- */

static void unhealthy_event(struct probes *ps, const char *msg)
{
	cJSON *ref = cJSON_CreateObject();
	char *fp = xasprintf("spec.containers{%s}", json_str(ps->c, "name"));
	json_set_str(ref, "kind", "Pod");
	json_set_str(ref, "apiVersion", "v1");
	json_set_str(ref, "namespace", json_strv(ps->pod, "metadata", "namespace", NULL));
	json_set_str(ref, "name", json_strv(ps->pod, "metadata", "name", NULL));
	json_set_str(ref, "uid", json_strv(ps->pod, "metadata", "uid", NULL));
	json_set_str(ref, "fieldPath", fp);
	agent_event(ps->a, ref, "Warning", "Unhealthy", "%s", msg);
	cJSON_Delete(ref);
	free(fp);
}

/* The outcome of one attempt (on the loop). */
static void attempt_done(struct probe *p, int ok, const char *out)
{
	struct probes *ps = p->ps;
	p->busy = 0;
	if (ps->stopped || !p->active) {
		ps_unref(ps);
		return;
	}
	p->run = p->last == ok ? p->run + 1 : 1;
	p->last = ok;
	char *msg = ok ? xstrdup("") : xasprintf("%s probe failed: %s", titles[p->kind], out && *out ? out : "");
	int changed = 0;
	if ((ok && p->run >= p->success_thr) || (!ok && p->run >= p->failure_thr)) {
		changed = p->result != ok;
		p->result = ok;
	}
	if (!ok && !changed)
		unhealthy_event(ps, msg);
	if (changed)
		ps->fn(ps->arg, kinds[p->kind], ok, msg);
	if (!ps->stopped && p->kind == P_STARTUP && p->result == 1) {
		p->active = 0;
		start_probe(&ps->p[P_LIVENESS]);
		start_probe(&ps->p[P_READINESS]);
	} else if (!ps->stopped && changed && !ok && p->kind != P_READINESS) {
		p->run = 0; /* as upstream: the container is restarted; probing goes on */
	}
	if (!ps->stopped && p->active)
		schedule(p, (uint64_t)p->period * 1000);
	free(msg);
	ps_unref(ps);
}

/* ---- exec ------------------------------------------------------------------------------------ */

struct exec_att {
	struct probe *p;
	char *cmd;                /* for the timeout message */
};

static void exec_done(void *arg, int err, int exit_code, const char *out, size_t len)
{
	struct exec_att *e = arg;
	char *msg;
	if (err == -ETIMEDOUT)
		msg = xasprintf("command %s timed out", e->cmd);
	else if (err < 0)
		msg = xasprintf("%s", strerror(err < -1000 ? EIO : -err));
	else
		msg = xstrndup(out ? out : "", len);
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	attempt_done(e->p, err == 0 && exit_code == 0, msg);
	free(msg);
	free(e->cmd);
	free(e);
}

static void run_exec(struct probe *p)
{
	struct probes *ps = p->ps;
	const cJSON *cmd = json_getv(p->spec, "exec", "command", NULL), *it;
	size_t n = (size_t)cJSON_GetArraySize(cmd), k = 0;
	const char **argv = xcalloc(n + 1, sizeof(*argv));
	struct buf shown = BUF_INIT;
	cJSON_ArrayForEach(it, cmd) if (cJSON_IsString(it)) {
		argv[k++] = it->valuestring;
		buf_addf(&shown, "%s%s", k > 1 ? " " : "", it->valuestring);
	}
	struct cri_runtime *rt = pods_runtime ? pods_runtime(ps->a) : NULL;
	struct exec_att *e = xcalloc(1, sizeof(*e));
	e->p = p;
	e->cmd = xasprintf("\"%s\"", buf_str(&shown));
	int rc = !k ? -KUBE_EINVAL
		 : rt ? cri_container_exec(rt, ps->cid, argv, (uint64_t)p->timeout * 1000, 10240, exec_done, e)
		      : -ENOTCONN;
	free(argv);
	buf_release(&shown);
	if (rc < 0) {
		char *m = xasprintf(!k ? "no command" : "cannot run the command: %s", strerror(rc < -1000 ? EIO : -rc));
		free(e->cmd);
		free(e);
		attempt_done(p, 0, m);
		free(m);
	}
}

/* ---- httpGet and tcpSocket (thread pool) ----------------------------------------------------- */

struct net_att {
	struct probe *p;
	uv_work_t work;
	int http, https;
	char *netns, *host, *path, *host_header;
	struct buf headers;       /* extra request header lines */
	int port;
	int64_t timeout_ms;
	int ok;
	struct buf msg;
};

/* A socket connected to host:port within timeout, created in netns when set. -1 with msg. */
static int net_connect(struct net_att *n, const char *url)
{
	int self = -1, fd = -1;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	char port[16];
	snprintf(port, sizeof(port), "%d", n->port);
	if (getaddrinfo(n->host, port, &hints, &res) != 0 || !res) {
		buf_addf(&n->msg, "%sdial tcp: lookup %s: no such host", url, n->host);
		return -1;
	}
	if (n->netns) {
		int ns = open(n->netns, O_RDONLY | O_CLOEXEC);
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (ns < 0 || self < 0 || setns(ns, CLONE_NEWNET) < 0) {
			buf_addf(&n->msg, "%scannot enter the pod's network namespace: %s", url, strerror(errno));
			if (ns >= 0)
				close(ns);
			if (self >= 0)
				close(self);
			freeaddrinfo(res);
			return -1;
		}
		close(ns);
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET) < 0)
			log_error("probe: cannot return to the agent's network namespace: %s", strerror(errno));
		close(self);
	}
	char addr[64] = "";
	getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
	int rc = fd < 0 ? -1 : connect(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (rc < 0 && errno == EINPROGRESS) {
		struct pollfd pfd = { fd, POLLOUT, 0 };
		int err = 0;
		socklen_t l = sizeof(err);
		rc = poll(&pfd, 1, (int)n->timeout_ms);
		if (rc == 0)
			errno = ETIMEDOUT;
		else if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) == 0 && err)
			errno = err;
		rc = rc > 0 && !err ? 0 : -1;
	}
	if (rc < 0) {
		buf_addf(&n->msg, "%sdial tcp %s:%d: connect: %s", url, addr, n->port,
			 errno == ECONNREFUSED ? "connection refused" : errno == ETIMEDOUT ? "i/o timeout" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A connection: plain, or TLS without verification (as the kubelet's HTTPS probes). */
struct conn {
	int fd;
	int tls;
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ssl_config conf;
	mbedtls_ssl_context ssl;
};

static int fd_send(void *ctx, const unsigned char *b, size_t n)
{
	ssize_t r = send(*(int *)ctx, b, n, MSG_NOSIGNAL);
	return r >= 0 ? (int)r : errno == EAGAIN ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int fd_recv(void *ctx, unsigned char *b, size_t n)
{
	ssize_t r = recv(*(int *)ctx, b, n, 0);
	return r >= 0 ? (int)r : errno == EAGAIN ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_RECV_FAILED;
}

/* Starts TLS on c->fd (blocking, bounded by the socket timeouts). 0 or -1. */
static int conn_tls(struct conn *c, const char *host)
{
	c->tls = 1;
	mbedtls_entropy_init(&c->entropy);
	mbedtls_ctr_drbg_init(&c->drbg);
	mbedtls_ssl_config_init(&c->conf);
	mbedtls_ssl_init(&c->ssl);
	if (mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy, (const unsigned char *)"probe", 5) ||
	    mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
					MBEDTLS_SSL_PRESET_DEFAULT))
		return -1;
	mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_NONE);
	mbedtls_ssl_conf_rng(&c->conf, mbedtls_ctr_drbg_random, &c->drbg);
	if (mbedtls_ssl_setup(&c->ssl, &c->conf) || mbedtls_ssl_set_hostname(&c->ssl, host))
		return -1;
	mbedtls_ssl_set_bio(&c->ssl, &c->fd, fd_send, fd_recv, NULL);
	return mbedtls_ssl_handshake(&c->ssl) == 0 ? 0 : -1;
}

static void conn_close(struct conn *c)
{
	if (c->tls) {
		mbedtls_ssl_free(&c->ssl);
		mbedtls_ssl_config_free(&c->conf);
		mbedtls_ctr_drbg_free(&c->drbg);
		mbedtls_entropy_free(&c->entropy);
	}
	close(c->fd);
}

static ssize_t conn_write(struct conn *c, const char *b, size_t n)
{
	return c->tls ? mbedtls_ssl_write(&c->ssl, (const unsigned char *)b, n) : send(c->fd, b, n, MSG_NOSIGNAL);
}

static ssize_t conn_read(struct conn *c, char *b, size_t n)
{
	return c->tls ? mbedtls_ssl_read(&c->ssl, (unsigned char *)b, n) : read(c->fd, b, n);
}

/* Reads until the status line is complete; returns the status or -1. */
static int http_status(struct net_att *n, struct conn *c, const char *url)
{
	char buf[1024];
	size_t len = 0;
	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		ssize_t r = conn_read(c, buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && (errno == EAGAIN || r == MBEDTLS_ERR_SSL_TIMEOUT)) {
			buf_addf(&n->msg, "%scontext deadline exceeded (Client.Timeout exceeded while awaiting headers)", url);
			return -1;
		}
		if (r <= 0) {
			buf_addf(&n->msg, "%sEOF", url);
			return -1;
		}
		len += (size_t)r;
	}
	buf[len] = 0;
	int status = 0;
	if (sscanf(buf, "HTTP/%*d.%*d %d", &status) != 1) {
		buf_addf(&n->msg, "%smalformed HTTP response", url);
		return -1;
	}
	return status;
}

/* GET over the connected fd (closed here). */
static void http_get(struct net_att *n, int fd, const char *url)
{
	struct conn c = { .fd = fd };
	struct buf req = BUF_INIT;
	struct timeval tv = { n->timeout_ms / 1000, (n->timeout_ms % 1000) * 1000 };
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (n->https && conn_tls(&c, n->host) < 0) {
		buf_addf(&n->msg, "%sTLS handshake failed", url);
		conn_close(&c);
		return;
	}
	buf_addf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: kube-probe/1.33\r\nAccept: */*\r\n%sConnection: close\r\n\r\n",
		 n->path, n->host_header, buf_str(&n->headers));
	int status = conn_write(&c, req.data, req.len) == (ssize_t)req.len ? http_status(n, &c, url) : -1;
	if (status < 0 && !n->msg.len)
		buf_addf(&n->msg, "%s%s", url, strerror(errno));
	else if (status >= 200 && status < 400)
		n->ok = 1;
	else if (status >= 0)
		buf_addf(&n->msg, "HTTP probe failed with statuscode: %d", status);
	buf_release(&req);
	conn_close(&c);
}

static void net_work(uv_work_t *w)
{
	struct net_att *n = w->data;
	char *url = n->http ? xasprintf("Get \"%s://%s:%d%s\": ", n->https ? "https" : "http", n->host, n->port, n->path)
			    : xstrdup("");
	int fd = net_connect(n, url);
	if (fd >= 0 && !n->http) {
		n->ok = 1;
		close(fd);
	} else if (fd >= 0)
		http_get(n, fd, url);
	free(url);
}

static void net_after(uv_work_t *w, int status)
{
	struct net_att *n = w->data;
	UNUSED(status);
	attempt_done(n->p, n->ok, buf_str(&n->msg));
	free(n->netns);
	free(n->host);
	free(n->path);
	free(n->host_header);
	buf_release(&n->headers);
	buf_release(&n->msg);
	free(n);
}

static int probe_port(const struct probes *ps, const cJSON *port)
{
	const cJSON *it;
	if (cJSON_IsNumber(port))
		return (int)port->valuedouble;
	if (!cJSON_IsString(port))
		return -1;
	int64_t n;
	if (parse_int64(port->valuestring, 1, 65535, &n) == 0)
		return (int)n;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ps->c, "ports")) {
		if (json_str(it, "name") && strcmp(json_str(it, "name"), port->valuestring) == 0 && json_int(it, "containerPort", &n) == 0)
			return (int)n;
	}
	return -1;
}

static void run_net(struct probe *p, const cJSON *act, int http)
{
	struct probes *ps = p->ps;
	struct net_att *n = xcalloc(1, sizeof(*n));
	const char *host = json_str(act, "host"), *path = json_str(act, "path"), *scheme = json_str(act, "scheme");
	const cJSON *h;
	n->p = p;
	n->http = http;
	n->port = probe_port(ps, cJSON_GetObjectItemCaseSensitive(act, "port"));
	n->netns = ps->netns ? xstrdup(ps->netns) : NULL;
	n->host = xstrdup(host && *host ? host : ps->netns ? "127.0.0.1" : ps->host);
	n->path = xstrdup(path && *path ? path : "/");
	n->timeout_ms = p->timeout * 1000;
	buf_init(&n->headers);
	buf_init(&n->msg);
	n->host_header = xasprintf("%s:%d", n->host, n->port);
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(act, "httpHeaders")) {
		const char *hn = json_str(h, "name"), *hv = json_str(h, "value");
		if (!hn || !*hn || strpbrk(hn, "\r\n:") || (hv && strpbrk(hv, "\r\n")))
			continue;
		if (strcasecmp(hn, "Host") == 0) {
			free(n->host_header);
			n->host_header = xstrdup(hv ? hv : "");
		} else
			buf_addf(&n->headers, "%s: %s\r\n", hn, hv ? hv : "");
	}
	const char *bad = n->port <= 0 || n->port > 65535 ? "invalid port"
			  : strpbrk(n->path, "\r\n ") || n->path[0] != '/' ? "invalid path"
			  : scheme && strcasecmp(scheme, "HTTP") != 0 && strcasecmp(scheme, "HTTPS") != 0 ? "unsupported scheme"
			  : NULL;
	n->https = scheme && strcasecmp(scheme, "HTTPS") == 0;
	if (bad) {
		buf_adds(&n->msg, bad);
		n->work.data = n;
		net_after(&n->work, 0);
		return;
	}
	n->work.data = n;
	if (uv_queue_work(ps->a->loop, &n->work, net_work, net_after) < 0) {
		buf_adds(&n->msg, "cannot queue the probe");
		net_after(&n->work, 0);
	}
}

static void on_timer(uv_timer_t *t)
{
	struct probe *p = t->data;
	struct probes *ps = p->ps;
	const cJSON *act;
	if (ps->stopped || !p->active || p->busy)
		return;
	p->busy = 1;
	ps->refs++;
	if (json_obj(p->spec, "exec"))
		run_exec(p);
	else if ((act = json_obj(p->spec, "httpGet")))
		run_net(p, act, 1);
	else if ((act = json_obj(p->spec, "tcpSocket")))
		run_net(p, act, 0);
	else
		attempt_done(p, 0, "unsupported probe handler (grpc probes are not supported)");
}

static void schedule(struct probe *p, uint64_t ms)
{
	uv_timer_start(&p->timer, on_timer, ms, 0);
}

static void start_probe(struct probe *p)
{
	struct probes *ps = p->ps;
	if (!p->spec || p->active || ps->stopped)
		return;
	struct cri_runtime *rt = pods_runtime ? pods_runtime(ps->a) : NULL;
	const struct cri_container *cc = rt ? cri_container_get(rt, ps->cid) : NULL;
	int64_t started_ms = cc && cc->started_ns ? cc->started_ns / 1000000 : (int64_t)wall_seconds() * 1000;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int64_t wait = started_ms + p->delay * 1000 - now_ms;
	p->active = 1;
	schedule(p, wait > 0 ? (uint64_t)wait : 0);
}

/* Upstream's defaults and minimums for the timing fields. */
static void probe_init(struct probes *ps, struct probe *p, int kind)
{
	const cJSON *spec = json_obj(ps->c, fields[kind]);
	p->ps = ps;
	p->kind = kind;
	p->result = p->last = -1;
	p->spec = spec ? cJSON_Duplicate(spec, 1) : NULL;
	p->delay = 0, p->period = 10, p->timeout = 1, p->success_thr = 1, p->failure_thr = 3;
	json_int(spec, "initialDelaySeconds", &p->delay);
	json_int(spec, "periodSeconds", &p->period);
	json_int(spec, "timeoutSeconds", &p->timeout);
	json_int(spec, "successThreshold", &p->success_thr);
	json_int(spec, "failureThreshold", &p->failure_thr);
	if (p->delay < 0)
		p->delay = 0;
	if (p->period < 1)
		p->period = 1;
	if (p->timeout < 1)
		p->timeout = 1;
	if (p->success_thr < 1 || kind != P_READINESS)
		p->success_thr = 1;
	if (p->failure_thr < 1)
		p->failure_thr = 1;
	uv_timer_init(ps->a->loop, &p->timer);
	p->timer.data = p;
	ps->refs++;
}

struct probes *probes_start(struct agent *a, const cJSON *pod, const cJSON *c, const char *container_id,
			    const char *host, void (*fn)(void *arg, const char *kind, int ok, const char *msg), void *arg)
{
	if (!c || !container_id || !fn ||
	    (!json_obj(c, "startupProbe") && !json_obj(c, "livenessProbe") && !json_obj(c, "readinessProbe")))
		return NULL;
	struct probes *ps = xcalloc(1, sizeof(*ps));
	ps->a = a;
	ps->pod = cJSON_Duplicate(pod, 1);
	ps->c = cJSON_Duplicate(c, 1);
	ps->cid = xstrdup(container_id);
	ps->host = xstrdup(host && *host ? host : "127.0.0.1");
	ps->fn = fn;
	ps->arg = arg;
	ps->refs = 1;
	struct cri_runtime *rt = pods_runtime ? pods_runtime(a) : NULL;
	const struct cri_container *cc = rt ? cri_container_get(rt, container_id) : NULL;
	const struct cri_sandbox *sb = cc ? cri_sandbox_get(rt, cc->sandbox_id) : NULL;
	if (sb && sb->netns_path && !(sb->flags & CRI_HOST_NETWORK))
		ps->netns = xstrdup(sb->netns_path);
	for (int i = 0; i < P_N; i++)
		probe_init(ps, &ps->p[i], i);
	if (ps->p[P_STARTUP].spec)
		start_probe(&ps->p[P_STARTUP]);
	else {
		start_probe(&ps->p[P_LIVENESS]);
		start_probe(&ps->p[P_READINESS]);
	}
	return ps;
}

void probes_stop(struct probes *ps)
{
	if (!ps || ps->stopped)
		return;
	ps->stopped = 1;
	for (int i = 0; i < P_N; i++) {
		ps->p[i].active = 0;
		uv_close((uv_handle_t *)&ps->p[i].timer, timer_closed);
	}
	ps_unref(ps);
}
