/*
 * registry_http.c - HTTP requests to registries for pulls: one lib/http_client per registry
 * host (kept by the store for connection reuse), the distribution API's authentication flow
 * (401 + WWW-Authenticate: Bearer realm/service/scope -> token -> retry; Basic), and
 * redirects (registries send blob downloads to their storage).
 *
 * DESIGN
 * A request (struct image__regreq) carries the pull's auth state (struct image__auth): the
 * credentials to try and the Authorization value in use, shared by every request of a pull so
 * that one token serves them all. A 401 is answered once per request: a Bearer challenge
 * fetches a token (GET realm?service=...&scope=..., with basic auth when the pull has
 * credentials; "token" or "access_token" in the JSON answer), a Basic challenge uses the
 * credentials. A 401 after that moves to the next credentials, if any. Redirects go to a client
 * for the new host, with the system CA bundle, without the Authorization header when the host
 * changed (tokens are not given to storage services).
 */
#include "cri/internal.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "lib/http_client.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/pki.h"
#include "lib/util.h"

#define REG_MAX_REDIRECTS 5

void image__url_release(struct image__url *u)
{
	free(u->host);
	free(u->target);
	memset(u, 0, sizeof(*u));
}

int image__url_parse(const char *url, struct image__url *u)
{
	memset(u, 0, sizeof(*u));
	const char *p = url;
	if (starts_with(p, "https://")) {
		u->tls = 1;
		p += 8;
	} else if (starts_with(p, "http://")) {
		p += 7;
	} else {
		return -KUBE_EINVAL;
	}
	size_t hp = strcspn(p, "/?#");
	const char *colon = NULL;
	if (p[0] == '[') {
		const char *close = memchr(p, ']', hp);
		if (!close)
			return -KUBE_EINVAL;
		u->host = xstrndup(p + 1, (size_t)(close - p - 1));
		colon = close + 1 < p + hp && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(p, ':', hp);
		u->host = xstrndup(p, colon ? (size_t)(colon - p) : hp);
	}
	int64_t port = u->tls ? 443 : 80;
	if (colon) {
		char *ps = xstrndup(colon + 1, (size_t)(p + hp - colon - 1));
		int bad = parse_int64(ps, 1, 65535, &port);
		free(ps);
		if (bad) {
			image__url_release(u);
			return -KUBE_EINVAL;
		}
	}
	u->port = (int)port;
	const char *rest = p + hp;
	size_t rl = strcspn(rest, "#");
	u->target = rl && rest[0] != '/' ? xasprintf("/%.*s", (int)rl, rest) : rl ? xstrndup(rest, rl) : xstrdup("/");
	if (!*u->host) {
		image__url_release(u);
		return -KUBE_EINVAL;
	}
	return 0;
}

static void reg__client_closed(void *arg)
{
	image__store_unpend(arg);
}

/* The client for a host, created on first use. cfg gives a CA and a client certificate. */
static struct http_client *reg__client(struct image_store *s, int tls, const char *host, int port,
				       const struct image__regconfig *cfg, struct buf *err)
{
	if (s->closing) {
		buf_adds(err, "the image store is closing");
		return NULL;
	}
	char *key = xasprintf("%s://%s:%d/%s", tls ? "https" : "http", host, port, cfg ? cfg->host : "");
	struct http_client *c = hmap_get(&s->clients, key);
	if (c) {
		free(key);
		return c;
	}
	struct http_client_config hc;
	http_client_config_init(&hc);
	if (tls && !s->ca_pem && !(cfg && cfg->ca_pem)) {
		buf_addf(err, "no CA bundle to verify https://%s:%d with (%s)", host, port, s->ca_bundle);
		free(key);
		return NULL;
	}
	hc.ca_pem = tls ? (cfg && cfg->ca_pem ? cfg->ca_pem : s->ca_pem) : NULL;
	hc.cert_pem = tls && cfg ? cfg->cert_pem : NULL;
	hc.key_pem = tls && cfg ? cfg->key_pem : NULL;
	hc.user_agent = "kube (containerd-compatible image pull)";
	hc.max_conns = 8;
	hc.idle_timeout_ms = 30000;
	if (http_client_new(s->loop, host, port, &hc, &c, err) != 0) {
		free(key);
		return NULL;
	}
	hmap_put(&s->clients, key, c);
	free(key);
	return c;
}

static int reg__close_each(const char *key, void *value, void *data)
{
	(void)key;
	struct image_store *s = data;
	s->pending++;
	http_client_close(value, reg__client_closed, s);
	return 0;
}

/* Closes every client (image_store_close). */
void image__clients_close(struct image_store *s)
{
	hmap_each(&s->clients, reg__close_each, s);
	hmap_release(&s->clients);
}

static int reg__send(struct image__regreq *r, struct buf *err);

static void reg__head(struct http_client_req *h, const struct http_client_response *resp)
{
	struct image__regreq *r = http_client_req_data(h);
	r->status = resp->status;
}

static void reg__data(struct http_client_req *h, const char *data, size_t len)
{
	struct image__regreq *r = http_client_req_data(h);
	if (r->status >= 200 && r->status < 300) {
		r->on_data(r, data, len);
	} else if (r->errbody.len < 4096) {
		buf_add(&r->errbody, data, MIN(len, 4096 - r->errbody.len));
	}
}

/* Ends r with an error of our own (a message in a fake response). */
static void reg__fail(struct image__regreq *r, int err, const char *msg)
{
	struct http_client_response resp = { 0 };
	resp.error = msg;
	resp.body = "";
	r->on_done(r, err, &resp);
}

/* Appends s to b with everything but RFC 3986's unreserved characters percent-encoded. */
static void reg__escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-._~", c))
			buf_addch(b, (char)c);
		else
			buf_addf(b, "%%%02X", c);
	}
}

static void reg__set_basic(struct image__auth *a)
{
	free(a->authz);
	a->authz = NULL;
	if (a->cur >= a->ncreds || !a->creds[a->cur].username)
		return;
	const struct image__cred *c = &a->creds[a->cur];
	char *up = xasprintf("%s:%s", c->username, c->password ? c->password : "");
	struct buf b = BUF_INIT;
	buf_adds(&b, "Basic ");
	pki_base64(up, strlen(up), &b);
	free(up);
	a->authz = buf_detach(&b, NULL);
}

static void reg__token_done(struct http_client_req *h, int err, const struct http_client_response *resp)
{
	struct image__regreq *r = http_client_req_data(h);
	r->h = NULL;
	r->in_token = 0;
	if (err) {
		r->on_done(r, err, resp);
		return;
	}
	if (resp->status == 401 || resp->status == 403) {
		reg__fail(r, -IMAGE_EUNAUTHORIZED, "the token server refused the credentials");
		return;
	}
	struct buf e2 = BUF_INIT;
	cJSON *doc = resp->status == 200 ? json_parse(resp->body, resp->body_len, &e2) : NULL;
	const char *tok = doc ? json_str(doc, "token") : NULL;
	if (!tok || !*tok)
		tok = doc ? json_str(doc, "access_token") : NULL;
	struct buf m = BUF_INIT;
	if (tok && *tok) {
		free(r->auth->authz);
		r->auth->authz = xasprintf("Bearer %s", tok);
		if (reg__send(r, &m) != 0)
			reg__fail(r, -IMAGE_ENETWORK, buf_str(&m));
	} else {
		buf_addf(&m, "fetching an anonymous token: unexpected status %d", resp->status);
		reg__fail(r, resp->status == 404 ? -IMAGE_ENOTFOUND : -IMAGE_EUNAUTHORIZED, buf_str(&m));
	}
	cJSON_Delete(doc);
	buf_release(&e2);
	buf_release(&m);
}

/* Asks the realm of a Bearer challenge for a token, then sends r again. */
static int reg__token(struct image__regreq *r, const struct image__challenge *ch, struct buf *err)
{
	struct image__url u;
	if (!ch->realm || image__url_parse(ch->realm, &u) != 0) {
		buf_addf(err, "%s: the registry gave a bad token realm \"%s\"", r->url, ch->realm ? ch->realm : "");
		return -IMAGE_EUNAUTHORIZED;
	}
	struct buf t = BUF_INIT;
	buf_adds(&t, u.target);
	char sep = strchr(u.target, '?') ? '&' : '?';
	if (ch->service) {
		buf_addf(&t, "%cservice=", sep);
		reg__escape(&t, ch->service);
		sep = '&';
	}
	if (ch->scope) {
		buf_addf(&t, "%cscope=", sep);
		reg__escape(&t, ch->scope);
	}
	reg__set_basic(r->auth);
	struct http_client *c = reg__client(r->auth->s, u.tls, u.host, u.port, r->auth->ep->config, err);
	int ret = c ? 0 : -IMAGE_ENETWORK;
	if (c) {
		struct http_header hd = { "Authorization", r->auth->authz };
		struct http_client_request q = { .method = "GET", .target = buf_str(&t), .headers = &hd,
						 .nheaders = r->auth->authz ? 1 : 0, .timeout_ms = 60000,
						 .on_done = reg__token_done, .data = r };
		ret = http_client_send(c, &q, &r->h);
		if (ret)
			buf_addf(err, "%s: cannot send the token request", ch->realm);
		else
			r->in_token = 1;
	}
	buf_release(&t);
	image__url_release(&u);
	return ret;
}

/* A 401: answers the challenge (once per credentials) or gives up. Returns 1 when r was sent
 * again, 0 when the 401 is final. */
static int reg__answer_401(struct image__regreq *r, const struct http_client_response *resp, struct buf *err)
{
	struct image__auth *a = r->auth;
	if (r->authed) {
		if (a->cur + 1 >= a->ncreds)
			return 0;
		a->cur++; /* the next credentials */
	}
	r->authed = 1;
	struct image__challenge ch[4];
	const char *wa = http_client_header(resp, "WWW-Authenticate");
	size_t n = wa ? image__challenges_parse(wa, ch, ARRAY_SIZE(ch)) : 0;
	int ret = -1;
	for (size_t i = 0; i < n && ret < 0; i++) {
		if (strcmp(ch[i].scheme, "bearer") == 0) {
			ret = reg__token(r, &ch[i], err) == 0 ? 1 : 0;
		} else if (strcmp(ch[i].scheme, "basic") == 0 && a->cur < a->ncreds) {
			reg__set_basic(a);
			ret = a->authz && reg__send(r, err) == 0 ? 1 : 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		image__challenge_release(&ch[i]);
	return ret > 0;
}

/* A redirect: the next URL (absolute, or a path on the same host). Returns 1 when sent. */
static int reg__redirect(struct image__regreq *r, const char *loc, struct buf *err)
{
	struct image__url old, nu;
	if (image__url_parse(r->url, &old) != 0)
		return 0;
	int v6 = strchr(old.host, ':') != NULL;
	char *next = loc[0] == '/' ? xasprintf("%s://%s%s%s:%d%s", old.tls ? "https" : "http", v6 ? "[" : "",
						old.host, v6 ? "]" : "", old.port, loc)
				   : xstrdup(loc);
	int ok = image__url_parse(next, &nu) == 0;
	if (ok) {
		if (strcmp(nu.host, old.host) != 0 || nu.port != old.port)
			r->drop_auth = 1;
		free(r->url);
		r->url = next;
		next = NULL;
		image__url_release(&nu);
		ok = reg__send(r, err) == 0;
	} else {
		buf_addf(err, "%s: bad redirect to \"%s\"", r->url, loc);
	}
	free(next);
	image__url_release(&old);
	return ok;
}

static void reg__done(struct http_client_req *h, int err, const struct http_client_response *resp)
{
	struct image__regreq *r = http_client_req_data(h);
	r->h = NULL;
	struct buf m = BUF_INIT;
	int st = resp->status, code = -IMAGE_ENETWORK;
	if (!err && st == 401 && !r->drop_auth) {
		buf_reset(&r->errbody);
		if (reg__answer_401(r, resp, &m))
			goto out;
		code = -IMAGE_EUNAUTHORIZED;
	} else if (!err && st >= 300 && st < 400 && st != 304 && http_client_header(resp, "Location")) {
		if (++r->redirects > REG_MAX_REDIRECTS) {
			buf_addf(&m, "%s: too many redirects", r->url);
		} else {
			buf_reset(&r->errbody);
			if (reg__redirect(r, http_client_header(resp, "Location"), &m))
				goto out;
		}
	}
	if (m.len)
		reg__fail(r, code, buf_str(&m));
	else
		r->on_done(r, err, resp);
out:
	buf_release(&m);
}

static int reg__send(struct image__regreq *r, struct buf *err)
{
	struct image__url u;
	if (image__url_parse(r->url, &u) != 0) {
		buf_addf(err, "bad URL %s", r->url);
		return -KUBE_EINVAL;
	}
	const struct image__endpoint *ep = r->auth->ep;
	int same = strcmp(u.host, ep->host) == 0 && u.port == ep->port;
	struct http_client *c = reg__client(r->auth->s, u.tls, u.host, u.port, same ? ep->config : NULL, err);
	int ret = -IMAGE_ENETWORK;
	if (c) {
		struct http_header hd[2];
		size_t n = 0;
		if (r->accept)
			hd[n++] = (struct http_header){ "Accept", r->accept };
		if (r->auth->authz && !r->drop_auth)
			hd[n++] = (struct http_header){ "Authorization", r->auth->authz };
		r->status = 0;
		struct http_client_request q = { .method = "GET", .target = u.target, .headers = hd, .nheaders = n,
						 .timeout_ms = r->timeout_ms, .on_head = reg__head,
						 .on_data = r->on_data ? reg__data : NULL, .on_done = reg__done,
						 .data = r };
		ret = http_client_send(c, &q, &r->h);
		if (ret)
			buf_addf(err, "%s: cannot send the request", r->url);
	}
	image__url_release(&u);
	return ret;
}

int image__regreq_send(struct image__regreq *r, struct buf *err)
{
	return reg__send(r, err);
}

void image__regreq_cancel(struct image__regreq *r)
{
	if (r->h)
		http_client_cancel(r->h);
}

void image__regreq_free(struct image__regreq *r)
{
	if (!r)
		return;
	free(r->url);
	buf_release(&r->errbody);
	free(r);
}
