/*
 * bootstrap.c - what a server makes on first start and reuses afterwards: the cluster CA, the
 * serving and admin certificates, the join token, the admin kubeconfig, the namespaces every
 * cluster has, and the `kubernetes` Service in `default` (kept: re-created when deleted).
 *
 * Files (DATA/server/tls/, keys 0600): server-ca.crt/.key, serving.crt/.key (reissued when the
 * set of names it must cover changes, e.g. a new --tls-san), client-admin.crt/.key. The join
 * token DATA/server/token is K10<sha256 of the CA PEM as /cacerts serves it>::server:<secret>.
 */
#include "internal.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/pki.h"
#include "server/sched.h"

struct strv {
	char **v;
	size_t n;
};

static void strv_add(struct strv *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return;
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(char *));
	s->v[s->n++] = xstrdup(x);
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Loads path into *out; 1 if loaded, 0 if absent, negative errno on other failures. */
static int load(const char *path, char **out)
{
	int r = read_file(path, out, NULL);
	return r == 0 ? 1 : r == -ENOENT ? 0 : r;
}

static int save(const char *path, const char *data, unsigned mode, struct buf *err)
{
	int r = write_file_atomic(path, data, strlen(data), mode);
	if (r < 0)
		buf_addf(err, "cannot write %s: %s", path, strerror(-r));
	return r;
}

/* The names the serving certificate must cover. */
static void serving_names(const struct server_config *cfg, struct strv *dns, struct strv *ips)
{
	char host[256], ip[INET6_ADDRSTRLEN], svc[64];
	struct ifaddrs *ifa = NULL;
	strv_add(ips, "127.0.0.1");
	strv_add(ips, "::1");
	strv_add(dns, "localhost");
	strv_add(dns, "kubernetes");
	strv_add(dns, "kubernetes.default");
	strv_add(dns, "kubernetes.default.svc");
	char *fq = xasprintf("kubernetes.default.svc.%s", cfg->cluster_domain);
	strv_add(dns, fq);
	free(fq);
	if (cidr_nth(&cfg->service_cidr, 1, svc, sizeof(svc)) == 0)
		strv_add(ips, svc);
	if (gethostname(host, sizeof(host)) == 0 && *host)
		strv_add(dns, host);
	if (getifaddrs(&ifa) == 0) {
		for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
			if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
				continue;
			void *a = i->ifa_addr->sa_family == AF_INET ? (void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
								    : (void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			if (i->ifa_addr->sa_family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL((struct in6_addr *)a))
				continue;
			if (inet_ntop(i->ifa_addr->sa_family, a, ip, sizeof(ip)))
				strv_add(ips, ip);
		}
		freeifaddrs(ifa);
	}
	for (size_t i = 0; i < cfg->ntls_sans; i++)
		strv_add(ip_valid(cfg->tls_sans[i]) ? ips : dns, cfg->tls_sans[i]);
}

static char *tls_path(const struct server_config *cfg, const char *name)
{
	return xasprintf("%s/%s", cfg->tls_dir, name);
}

/* Loads the cert/key pair `name` or issues it with subj; reissue forces a new one. */
static int keypair(struct server *srv, const char *name, const struct pki_subject *subj, int reissue,
		   char **cert, char **key, struct buf *err)
{
	char *cp = xasprintf("%s/%s.crt", srv->cfg->tls_dir, name), *kp = xasprintf("%s/%s.key", srv->cfg->tls_dir, name);
	int r = 0;
	if (!reissue && load(cp, cert) == 1 && load(kp, key) == 1)
		goto out;
	free(*cert);
	free(*key);
	*cert = *key = NULL;
	r = pki_issue(srv->ca_pem, srv->ca_key_pem, subj, cert, key, err);
	if (!r && !(r = save(kp, *key, 0600, err)))
		r = save(cp, *cert, 0644, err);
	if (!r)
		log_info("issued %s certificate %s", name, cp);
out:
	free(cp);
	free(kp);
	return r;
}

static int ensure_ca(struct server *srv, struct buf *err)
{
	char *cp = tls_path(srv->cfg, "server-ca.crt"), *kp = tls_path(srv->cfg, "server-ca.key");
	int r = 0;
	if (load(cp, &srv->ca_pem) == 1 && load(kp, &srv->ca_key_pem) == 1)
		goto out;
	free(srv->ca_pem);
	free(srv->ca_key_pem);
	srv->ca_pem = srv->ca_key_pem = NULL;
	r = pki_ca_create("kube-server-ca", &srv->ca_pem, &srv->ca_key_pem, err);
	if (!r && !(r = save(kp, srv->ca_key_pem, 0600, err)))
		r = save(cp, srv->ca_pem, 0644, err);
	if (!r)
		log_info("created cluster CA %s", cp);
out:
	free(cp);
	free(kp);
	return r;
}

/* The serving certificate, reissued when the names it must cover changed. */
static int ensure_serving(struct server *srv, struct buf *err)
{
	struct strv dns = { 0 }, ips = { 0 };
	struct buf names = BUF_INIT;
	char *sp = tls_path(srv->cfg, "serving.names"), *old = NULL;
	serving_names(srv->cfg, &dns, &ips);
	for (size_t i = 0; i < dns.n; i++)
		buf_addf(&names, "DNS:%s\n", dns.v[i]);
	for (size_t i = 0; i < ips.n; i++)
		buf_addf(&names, "IP:%s\n", ips.v[i]);
	int reissue = load(sp, &old) != 1 || strcmp(old, names.data);
	struct pki_subject subj = { .cn = "kube-apiserver", .dns_names = (const char *const *)dns.v, .ndns = dns.n,
				    .ips = (const char *const *)ips.v, .nips = ips.n, .server = 1, .days = 365 };
	int r = keypair(srv, "serving", &subj, reissue, &srv->serving_cert_pem, &srv->serving_key_pem, err);
	if (!r && reissue)
		r = save(sp, names.data, 0644, err);
	free(old);
	free(sp);
	buf_release(&names);
	strv_free(&dns);
	strv_free(&ips);
	return r;
}

/* The join token: K10<sha256 of the CA PEM>::server:<secret>. */
static int ensure_token(struct server *srv, struct buf *err)
{
	const struct server_config *cfg = srv->cfg;
	char hash[65], *old = NULL, secret[33];
	const char *given = cfg->token;
	pki_sha256_hex(srv->ca_pem, strlen(srv->ca_pem), hash);
	if (given && starts_with(given, "K10") && strstr(given, "::server:"))
		given = strstr(given, "::server:") + strlen("::server:");
	if (!given && load(cfg->token_path, &old) == 1 && strstr(old, "::server:")) {
		given = strstr(old, "::server:") + strlen("::server:");
		old[strcspn(old, "\n")] = '\0';
	}
	if (!given) {
		unsigned char r[16];
		random_bytes(r, sizeof(r));
		for (size_t i = 0; i < sizeof(r); i++)
			snprintf(secret + 2 * i, 3, "%02x", r[i]);
		given = secret;
	}
	char *token = xasprintf("K10%s::server:%s\n", hash, given);
	int r = save(cfg->token_path, token, 0600, err);
	free(srv->join_secret);
	srv->join_secret = xstrdup(given);
	free(token);
	free(old);
	return r;
}

/* The address kubectl should use: loopback unless the server binds one specific address. */
static const char *kubeconfig_host(const struct server_config *cfg)
{
	const char *b = cfg->bind_address;
	if (!strcmp(b, "0.0.0.0") || !strcmp(b, "::") || !*b)
		return "127.0.0.1";
	return b;
}

static int write_kubeconfig(struct server *srv, const char *cert, const char *key, struct buf *err)
{
	const struct server_config *cfg = srv->cfg;
	struct buf y = BUF_INIT, ca = BUF_INIT, c = BUF_INIT, k = BUF_INIT;
	const char *host = kubeconfig_host(cfg);
	int v6 = strchr(host, ':') != NULL;
	pki_base64(srv->ca_pem, strlen(srv->ca_pem), &ca);
	pki_base64(cert, strlen(cert), &c);
	pki_base64(key, strlen(key), &k);
	buf_addf(&y,
		 "apiVersion: v1\nkind: Config\nclusters:\n- name: default\n  cluster:\n"
		 "    certificate-authority-data: %s\n    server: https://%s%s%s:%d\n"
		 "contexts:\n- name: default\n  context:\n    cluster: default\n    user: default\n"
		 "current-context: default\npreferences: {}\nusers:\n- name: default\n  user:\n"
		 "    client-certificate-data: %s\n    client-key-data: %s\n",
		 ca.data, v6 ? "[" : "", host, v6 ? "]" : "", cfg->port, c.data, k.data);
	char *dir = xstrdup(cfg->kubeconfig_path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir_p(dir, 0755);
	}
	free(dir);
	int r = save(cfg->kubeconfig_path, y.data, cfg->kubeconfig_mode, err);
	if (!r)
		log_info("wrote kubeconfig %s", cfg->kubeconfig_path);
	buf_release(&y);
	buf_release(&ca);
	buf_release(&c);
	buf_release(&k);
	return r;
}

int bootstrap_tls(struct server *srv, struct buf *err)
{
	char *cert = NULL, *key = NULL;
	static const char *const masters[] = { "system:masters" };
	struct pki_subject admin = { .cn = "system:admin", .orgs = masters, .norgs = 1, .client = 1, .days = 365 };
	/* The API server's identity towards kubelets (pods/log), as k3s's client-kube-apiserver. */
	struct pki_subject kubelet = { .cn = "kube-apiserver-kubelet-client", .orgs = masters, .norgs = 1, .client = 1,
				       .days = 365 };
	int r = mkdir_p(srv->cfg->tls_dir, 0700);
	if (r < 0) {
		buf_addf(err, "cannot create %s: %s", srv->cfg->tls_dir, strerror(-r));
		return r;
	}
	if ((r = ensure_ca(srv, err)) || (r = ensure_serving(srv, err)) || (r = ensure_token(srv, err)) ||
	    (r = keypair(srv, "client-kube-apiserver-kubelet", &kubelet, 0, &srv->kubelet_client_cert_pem,
			 &srv->kubelet_client_key_pem, err)) ||
	    (r = keypair(srv, "client-admin", &admin, 0, &cert, &key, err)) ||
	    (r = write_kubeconfig(srv, cert, key, err)))
		goto out;
out:
	free(cert);
	free(key);
	return r;
}

/* ---- the `kubernetes` Service ------------------------------------------------------------ */

/* The address clients in the cluster reach the API server at: the bind address when it is a
 * routable one, else the host's first non-loopback IPv4 address (pods cannot use loopback, and
 * endpoints may not hold it). Returns 0, or -1 when the host has none. */
static int api_address(const struct server_config *cfg, char *out, size_t len)
{
	struct ifaddrs *ifa = NULL;
	int r = -1;
	if (strcmp(cfg->bind_address, "0.0.0.0") && strcmp(cfg->bind_address, "::") &&
	    !starts_with(cfg->bind_address, "127.") && strcmp(cfg->bind_address, "::1")) {
		snprintf(out, len, "%s", cfg->bind_address);
		return 0;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (struct ifaddrs *i = ifa; i && r; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, out, (socklen_t)len))
			r = 0;
	}
	freeifaddrs(ifa);
	return r;
}

static void logged(int code, const char *body, size_t len, void *data)
{
	if (code >= 300 && code != 409)
		log_error("bootstrap: %s failed (%d): %.*s", (const char *)data, code, (int)MIN(len, 400), body);
}

/* Creates or updates (PUT) an object through the internal client. */
static void put(struct server *srv, const char *resource, const char *name, cJSON *obj, int exists)
{
	const struct kind *k = kind_by_resource(strcmp(resource, "endpointslices") ? "" : "discovery.k8s.io", "v1", resource);
	char *body = json_print_str(obj);
	client_call(srv, exists ? VERB_UPDATE : VERB_CREATE, k, "default", exists ? name : NULL, NULL, "application/json",
		    body, NULL, logged, (void *)resource);
	free(body);
	cJSON_Delete(obj);
}

static int exists(struct server *srv, const char *group, const char *resource, const char *name)
{
	struct buf key = BUF_INIT;
	kind_key(kind_by_resource(group, "v1", resource), "default", name, &key);
	int r = store_get(srv->store, key.data) != NULL;
	buf_release(&key);
	return r;
}

/* The `kubernetes` Service (first service IP, port 443) and its Endpoints and EndpointSlice
 * pointing at this API server, as upstream's apiserver reconciler keeps them. Nothing once the
 * server is stopping (a namespace write answered during the stop comes here after the HTTP
 * server is gone). */
static void kubernetes_service(struct server *srv)
{
	char ip[64], addr[64];
	const struct server_config *cfg = srv->cfg;
	if (srv->stopping || !srv->http)
		return;
	int port = http_server_port(srv->http);
	if (!exists(srv, "", "services", "kubernetes") && svc_alloc_first_ip(srv->svc_alloc, ip, sizeof(ip)) == 0) {
		char *svc = xasprintf("{\"metadata\":{\"name\":\"kubernetes\",\"labels\":{\"component\":\"apiserver\","
				      "\"provider\":\"kubernetes\"}},\"spec\":{\"type\":\"ClusterIP\",\"sessionAffinity\":\"None\","
				      "\"clusterIP\":\"%s\",\"ports\":[{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\","
				      "\"targetPort\":%d}]}}",
				      ip, port);
		put(srv, "services", "kubernetes", json_parse(svc, strlen(svc), NULL), 0);
		free(svc);
	}
	if (api_address(cfg, addr, sizeof(addr)) < 0) {
		log_warn("no routable address on this host: the kubernetes Service has no endpoints");
		return;
	}
	char *ep_json = xasprintf("{\"metadata\":{\"name\":\"kubernetes\",\"labels\":{\"endpointslice.kubernetes.io/skip-mirror\":\"true\"}},"
				  "\"subsets\":[{\"addresses\":[{\"ip\":\"%s\"}],\"ports\":[{\"name\":\"https\",\"port\":%d,\"protocol\":\"TCP\"}]}]}",
				  addr, port);
	cJSON *ep = json_parse(ep_json, strlen(ep_json), NULL);
	put(srv, "endpoints", "kubernetes", ep, exists(srv, "", "endpoints", "kubernetes"));
	free(ep_json);
	char *es_json = xasprintf("{\"metadata\":{\"name\":\"kubernetes\",\"labels\":{\"kubernetes.io/service-name\":\"kubernetes\"}},"
				  "\"addressType\":\"%s\",\"endpoints\":[{\"addresses\":[\"%s\"],\"conditions\":{\"ready\":true}}],"
				  "\"ports\":[{\"name\":\"https\",\"port\":%d,\"protocol\":\"TCP\"}]}",
				  strchr(addr, ':') ? "IPv6" : "IPv4", addr, port);
	put(srv, "endpointslices", "kubernetes", json_parse(es_json, strlen(es_json), NULL),
	    exists(srv, "discovery.k8s.io", "endpointslices", "kubernetes"));
	free(es_json);
}

struct ns_ctx {
	struct server *srv;
	cJSON *obj;
};

static void ns_created(const struct store_result *res, void *data)
{
	struct ns_ctx *c = data;
	const char *name = json_strv(c->obj, "metadata", "name", NULL);
	if (res->status == 0)
		log_info("created namespace %s", name);
	else if (res->status != -KUBE_EEXISTS)
		log_error("cannot create namespace %s: %s", name, res->err ? res->err : "store error");
	if (!strcmp(name, "default") && (res->status == 0 || res->status == -KUBE_EEXISTS))
		kubernetes_service(c->srv);
	c->srv->bootstrap_pending--;
	cJSON_Delete(c->obj);
	free(c);
}

/* Upstream's bootstrap controller: every 10 s the `kubernetes` Service and its endpoints are
 * put back if they are missing or changed (a deleted Service comes back). */
#define BOOTSTRAP_RECONCILE_MS 10000

static void on_reconcile(uv_timer_t *t)
{
	struct server *srv = t->data;
	struct buf key = BUF_INIT;
	kind_key(kind_by_resource("", "v1", "namespaces"), NULL, "default", &key);
	if (!srv->stopping && store_get(srv->store, key.data))
		kubernetes_service(srv);
	buf_release(&key);
}

void bootstrap_stop(struct server *srv)
{
	if (srv->reconcile.loop)
		uv_close((uv_handle_t *)&srv->reconcile, NULL);
}

void bootstrap_objects(struct server *srv)
{
	static const char *const names[] = { "default", "kube-system", "kube-public", "kube-node-lease" };
	const struct kind *k = kind_by_resource("", "v1", "namespaces");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct buf key = BUF_INIT;
		kind_key(k, NULL, names[i], &key);
		if (store_get(srv->store, key.data)) {
			if (i == 0)
				kubernetes_service(srv);
			buf_release(&key);
			continue;
		}
		char uid[37], now[21];
		uuid_v4(uid);
		format_rfc3339(wall_seconds(), now);
		struct ns_ctx *c = xcalloc(1, sizeof(*c));
		cJSON *obj = cJSON_CreateObject(), *meta = json_obj_force(obj, "metadata");
		c->srv = srv;
		c->obj = obj;
		json_set_str(obj, "kind", "Namespace");
		json_set_str(obj, "apiVersion", "v1");
		json_set_str(meta, "name", names[i]);
		json_set_str(meta, "uid", uid);
		json_set_str(meta, "creationTimestamp", now);
		json_set(json_obj_force(meta, "labels"), "kubernetes.io/metadata.name", cJSON_CreateString(names[i]));
		json_set(json_obj_force(obj, "spec"), "finalizers",
			 cJSON_CreateStringArray((const char *[]){ "kubernetes" }, 1));
		json_set_str(json_obj_force(obj, "status"), "phase", "Active");
		srv->bootstrap_pending++;
		store_txn(srv->store, STORE_CREATE, key.data, 0, obj_encode, obj, ns_created, c);
		buf_release(&key);
	}
	priority_bootstrap(srv);
	uv_timer_init(srv->loop, &srv->reconcile);
	srv->reconcile.data = srv;
	uv_timer_start(&srv->reconcile, on_reconcile, BOOTSTRAP_RECONCILE_MS, BOOTSTRAP_RECONCILE_MS);
	uv_unref((uv_handle_t *)&srv->reconcile);
}
