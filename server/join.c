/*
 * join.c - the endpoints agents join with (the server side of agent/join.c).
 *
 * DESIGN
 *   GET  /cacerts (router.c)      the cluster CA, unauthenticated: the agent checks its SHA-256
 *                                 against the K10<hash> of its token before trusting it.
 *   POST /v1-kube/node-certs      authenticated by the token's secret ("Authorization: Basic"
 *                                 with user "node" and the secret as password, compared in
 *                                 constant time). Body: {"nodeName", "nodePassword", "clientCSR",
 *                                 "servingCSR", "addresses": [IPs], "hostnames": [names]}. The
 *                                 agent makes its own keys: only CSRs travel. The answer:
 *                                 {"clientCertificate": PEM (CN=system:node:NAME, O=system:nodes,
 *                                 clientAuth), "servingCertificate": PEM (CN=system:node:NAME,
 *                                 serverAuth, SANs = the addresses and host names), "ca": PEM}.
 *   GET  /v1-kube/config          with the node's client certificate: the cluster settings an
 *                                 agent needs ({"clusterDNS", "clusterDomain", "clusterCIDR",
 *                                 "serviceCIDR", "flannelBackend"}).
 * Node passwords, as k3s's node-password check: each agent keeps a random password in
 * DATA/agent/node-password; the first join of a node name stores its SHA-256 in the Secret
 * kube-system/<node>.node-password.kube (type kube.io/node-password). A later join of the same
 * name with another password is refused (403) so that a second machine cannot take over a node's
 * identity with the shared token; deleting the Secret lets a rebuilt machine join again.
 * Signing (ECDSA P-256) takes about a millisecond and runs on the loop.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"

#define NODE_CERT_DAYS 365

struct join_req {
	struct server *srv;
	struct http_request *h;
	cJSON *body;
	const char *node;
	char hash[65];            /* sha256 of the node password */
};

static void respond_json(struct http_request *h, int code, const cJSON *obj)
{
	struct buf b = BUF_INIT;
	json_print(obj, &b);
	http_respond(h, code, "application/json", NULL, 0, b.data, b.len);
	buf_release(&b);
}

/* A Status failure in upstream's shape. */
static void respond_status(struct http_request *h, int code, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void respond_status(struct http_request *h, int code, const char *reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	cJSON *st = cJSON_CreateObject();
	json_set_str(st, "kind", "Status");
	json_set_str(st, "apiVersion", "v1");
	json_set(st, "metadata", cJSON_CreateObject());
	json_set_str(st, "status", "Failure");
	json_set_str(st, "message", msg);
	json_set_str(st, "reason", reason);
	json_set_int(st, "code", code);
	respond_json(h, code, st);
	cJSON_Delete(st);
	free(msg);
}

static void join_req_free(struct join_req *j)
{
	cJSON_Delete(j->body);
	free(j);
}

/* Is the Authorization header "Basic base64(node:<secret>)" with the server's secret? */
static int token_ok(const struct server *srv, const struct http_request *h)
{
	const char *authz = http_header(h, "Authorization");
	struct buf dec = BUF_INIT;
	int ok = 0;
	if (srv->join_secret && authz && !strncasecmp(authz, "Basic ", 6) &&
	    pki_base64_decode(authz + 6, strlen(authz + 6), &dec) == 0 && dec.len) {
		const char *colon = memchr(dec.data, ':', dec.len);
		const char *pw = colon ? colon + 1 : "";
		size_t pwlen = colon ? dec.len - (size_t)(colon + 1 - dec.data) : 0, want = strlen(srv->join_secret);
		unsigned diff = pwlen != want;
		for (size_t i = 0; i < want; i++)
			diff |= (unsigned char)srv->join_secret[i] ^ (unsigned char)(i < pwlen ? pw[i] : 0);
		ok = colon && !diff;
	}
	buf_release(&dec);
	return ok;
}

/* Collects the string items of arr; each checked by valid (NULL: all). -1 on a bad item. */
static int strings(const cJSON *arr, const char **out, size_t max, size_t *n, int ip)
{
	const cJSON *it;
	struct buf why = BUF_INIT;
	int r = 0;
	*n = 0;
	cJSON_ArrayForEach(it, arr)
	{
		if (!cJSON_IsString(it) || *n >= max ||
		    (ip ? !ip_valid(it->valuestring) : validate_dns1123_subdomain(it->valuestring, &why) < 0)) {
			r = -1;
			break;
		}
		out[(*n)++] = it->valuestring;
	}
	buf_release(&why);
	return r;
}

static void sign_and_answer(struct join_req *j)
{
	struct server *srv = j->srv;
	const char *ips[16], *dns[16];
	size_t nips = 0, ndns = 0;
	static const char *const nodes_group[] = { "system:nodes" };
	char *cn = xasprintf("system:node:%s", j->node), *client = NULL, *serving = NULL;
	struct buf err = BUF_INIT;
	if (strings(cJSON_GetObjectItemCaseSensitive(j->body, "addresses"), ips, ARRAY_SIZE(ips), &nips, 1) < 0 ||
	    strings(cJSON_GetObjectItemCaseSensitive(j->body, "hostnames"), dns, ARRAY_SIZE(dns), &ndns, 0) < 0) {
		respond_status(j->h, 400, "BadRequest", "addresses must be IP addresses and hostnames DNS names (16 at most)");
		goto out;
	}
	struct pki_subject cs = { .cn = cn, .orgs = nodes_group, .norgs = 1, .client = 1, .days = NODE_CERT_DAYS };
	struct pki_subject ss = { .cn = cn, .orgs = nodes_group, .norgs = 1, .dns_names = dns, .ndns = ndns, .ips = ips,
				  .nips = nips, .server = 1, .days = NODE_CERT_DAYS };
	if (pki_sign_csr(srv->ca_pem, srv->ca_key_pem, json_str(j->body, "clientCSR"), &cs, &client, &err) < 0 ||
	    pki_sign_csr(srv->ca_pem, srv->ca_key_pem, json_str(j->body, "servingCSR"), &ss, &serving, &err) < 0) {
		respond_status(j->h, 400, "BadRequest", "cannot sign the certificate requests: %s", buf_str(&err));
		goto out;
	}
	cJSON *ans = cJSON_CreateObject();
	json_set_str(ans, "clientCertificate", client);
	json_set_str(ans, "servingCertificate", serving);
	json_set_str(ans, "ca", srv->ca_pem);
	log_info("join: issued certificates for node %s (%s)", j->node, j->h->remote_addr);
	respond_json(j->h, 200, ans); /* finishes j->h */
	cJSON_Delete(ans);
out:
	free(cn);
	free(client);
	free(serving);
	buf_release(&err);
	join_req_free(j);
}

static char *secret_name(const char *node)
{
	return xasprintf("%s.node-password.kube", node);
}

static void secret_created(int code, const char *body, size_t len, void *data)
{
	struct join_req *j = data;
	if (code == 201) {
		sign_and_answer(j);
		return;
	}
	log_warn("join: cannot store the node password of %s (%d): %.*s", j->node, code, (int)MIN(len, 300), body);
	respond_status(j->h, code == 409 ? 409 : 503, code == 409 ? "Conflict" : "ServiceUnavailable",
		       "cannot record the node password of %s: retry", j->node);
	join_req_free(j);
}

static void store_password(struct join_req *j)
{
	cJSON *s = cJSON_CreateObject(), *meta = json_obj_force(s, "metadata"), *data = json_obj_force(s, "data");
	struct buf b64 = BUF_INIT;
	char *name = secret_name(j->node);
	json_set_str(s, "apiVersion", "v1");
	json_set_str(s, "kind", "Secret");
	json_set_str(meta, "name", name);
	json_set_str(meta, "namespace", "kube-system");
	json_set_str(s, "type", "kube.io/node-password");
	pki_base64(j->hash, 64, &b64);
	json_set_str(data, "hash", b64.data);
	char *text = json_print_str(s);
	client_call(j->srv, VERB_CREATE, kind_by_resource("", "v1", "secrets"), "kube-system", NULL, NULL,
		    "application/json", text, NULL, secret_created, j);
	free(text);
	free(name);
	buf_release(&b64);
	cJSON_Delete(s);
}

static void secret_got(int code, const char *body, size_t len, void *data)
{
	struct join_req *j = data;
	if (code == 404) {
		store_password(j);
		return;
	}
	cJSON *s = code == 200 ? json_parse(body, len, NULL) : NULL;
	const char *stored = json_strv(s, "data", "hash", NULL);
	struct buf dec = BUF_INIT;
	if (!s || !stored || pki_base64_decode(stored, strlen(stored), &dec) < 0) {
		respond_status(j->h, 503, "ServiceUnavailable", "cannot check the node password of %s: retry", j->node);
		join_req_free(j);
	} else if (dec.len != 64 || memcmp(dec.data, j->hash, 64)) {
		log_warn("join: node %s (%s) refused: node password mismatch", j->node, j->h->remote_addr);
		respond_status(j->h, 403, "Forbidden",
			       "node password rejected: a node named %s already joined with another password; delete "
			       "secret kube-system/%s.node-password.kube (or the other node) to let this one join",
			       j->node, j->node);
		join_req_free(j);
	} else {
		sign_and_answer(j);
	}
	buf_release(&dec);
	cJSON_Delete(s);
}

static void node_certs(struct server *srv, struct http_request *h)
{
	struct buf why = BUF_INIT;
	if (strcmp(h->method, "POST")) {
		respond_status(h, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
		goto out;
	}
	if (!token_ok(srv, h)) {
		respond_status(h, 401, "Unauthorized", "Unauthorized");
		goto out;
	}
	cJSON *body = json_parse(h->body, h->body_len, NULL);
	const char *node = json_str(body, "nodeName"), *pw = json_str(body, "nodePassword");
	if (!node || validate_dns1123_subdomain(node, &why) < 0 || !pw || strlen(pw) < 16 ||
	    !json_str(body, "clientCSR") || !json_str(body, "servingCSR")) {
		respond_status(h, 400, "BadRequest", "want {\"nodeName\": a DNS subdomain, \"nodePassword\": at least 16 "
						     "characters, \"clientCSR\", \"servingCSR\": PEM}%s%s",
			       why.len ? ": " : "", buf_str(&why));
		cJSON_Delete(body);
		goto out;
	}
	struct join_req *j = xcalloc(1, sizeof(*j));
	j->srv = srv;
	j->h = h;
	j->body = body;
	j->node = node;
	pki_sha256_hex(pw, strlen(pw), j->hash);
	char *name = secret_name(node);
	client_call(srv, VERB_GET, kind_by_resource("", "v1", "secrets"), "kube-system", name, NULL, NULL, NULL, NULL,
		    secret_got, j);
	free(name);
out:
	buf_release(&why);
}

static void cluster_config(struct server *srv, struct http_request *h)
{
	const struct server_config *cfg = srv->cfg;
	struct api_user user;
	char cc[64], sc[64];
	if (auth_authenticate(h, &user) < 0) {
		respond_status(h, 401, "Unauthorized", "Unauthorized");
		return;
	}
	auth_user_release(&user);
	cJSON *c = cJSON_CreateObject();
	cidr_format(&cfg->cluster_cidr, cc, sizeof(cc));
	cidr_format(&cfg->service_cidr, sc, sizeof(sc));
	json_set_str(c, "clusterDNS", cfg->cluster_dns);
	json_set_str(c, "clusterDomain", cfg->cluster_domain);
	json_set_str(c, "clusterCIDR", cc);
	json_set_str(c, "serviceCIDR", sc);
	json_set_str(c, "flannelBackend", cfg->flannel_backend ? cfg->flannel_backend : "vxlan");
	respond_json(h, 200, c);
	cJSON_Delete(c);
}

int join_serve(struct server *srv, struct http_request *h)
{
	if (!starts_with(h->path, "/v1-kube/"))
		return 0;
	if (!strcmp(h->path, "/v1-kube/node-certs"))
		node_certs(srv, h);
	else if (!strcmp(h->path, "/v1-kube/config") && !strcmp(h->method, "GET"))
		cluster_config(srv, h);
	else
		respond_status(h, 404, "NotFound", "the server could not find the requested resource");
	return 1;
}
