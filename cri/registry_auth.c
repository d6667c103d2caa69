/*
 * registry_auth.c - what registry authentication needs apart from the network:
 * WWW-Authenticate challenges (RFC 7235) and the credentials of image pull secrets
 * (kubernetes.io/dockerconfigjson and the legacy kubernetes.io/dockercfg), matched to a
 * registry the way the kubelet's keyring does.
 *
 * DESIGN
 * A registry answers 401 with "WWW-Authenticate: Bearer realm=...,service=...,scope=..." (the
 * distribution token flow) or "Basic realm=...". The parser reads any number of challenges
 * separated by commas; a token followed by "=" continues the current challenge, any other
 * token starts a new one. Values are tokens or quoted strings with backslash escapes.
 *
 * Keyring matching: a key is "[scheme://]host[:port][/path]"; it matches an image when the
 * hosts have the same number of dot-separated labels and each label matches as a glob
 * ("*.example.com"), the ports are equal and the key's path is a prefix of "/<repository>".
 * Docker Hub keys ("https://index.docker.io/v1/", "registry-1.docker.io") name docker.io.
 * Matches are ordered most specific first (longer host and path), as the kubelet sorts them.
 */
#include "cri/internal.h"

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>

#include "lib/json.h"
#include "lib/pki.h"
#include "lib/util.h"

void image__challenge_release(struct image__challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	free(c->error);
	memset(c, 0, sizeof(*c));
}

static int auth__tchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *auth__skip(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Reads a token into out (at most cap-1 characters kept); returns the end. */
static const char *auth__token(const char *p, struct buf *out)
{
	while (auth__tchar(*p) || *p == '/') /* token68 characters are read as part of a token */
		buf_addch(out, *p++);
	return p;
}

static const char *auth__value(const char *p, struct buf *out)
{
	if (*p != '"')
		return auth__token(p, out);
	p++;
	while (*p && *p != '"') {
		if (*p == '\\' && p[1])
			p++;
		buf_addch(out, *p++);
	}
	return *p == '"' ? p + 1 : p;
}

static void auth__set(struct image__challenge *c, const char *key, const char *value)
{
	char **slot = NULL;
	if (!strcasecmp(key, "realm"))
		slot = &c->realm;
	else if (!strcasecmp(key, "service"))
		slot = &c->service;
	else if (!strcasecmp(key, "scope"))
		slot = &c->scope;
	else if (!strcasecmp(key, "error"))
		slot = &c->error;
	if (slot && !*slot)
		*slot = xstrdup(value);
}

/* Parses the auth-params of one challenge from p; stops before the next challenge's
 * scheme. Returns where it stopped. */
static const char *auth__params(const char *p, struct image__challenge *c)
{
	struct buf key = BUF_INIT, value = BUF_INIT;
	for (;;) {
		p = auth__skip(p);
		while (*p == ',')
			p = auth__skip(p + 1);
		buf_reset(&key);
		const char *q = auth__token(p, &key);
		const char *eq = auth__skip(q);
		if (!key.len || *eq != '=')
			break; /* the end, or the scheme of the next challenge */
		buf_reset(&value);
		p = auth__value(auth__skip(eq + 1), &value);
		auth__set(c, buf_str(&key), buf_str(&value));
		/* Garbage up to the next comma is skipped. */
		while (*p && *p != ',')
			p++;
	}
	buf_release(&key);
	buf_release(&value);
	return p;
}

size_t image__challenges_parse(const char *header, struct image__challenge *out, size_t max)
{
	size_t n = 0;
	const char *p = header ? header : "";
	struct buf scheme = BUF_INIT;
	while (n < max) {
		p = auth__skip(p);
		while (*p == ',')
			p = auth__skip(p + 1);
		if (!*p)
			break;
		buf_reset(&scheme);
		const char *q = auth__token(p, &scheme);
		if (!scheme.len) {
			p++; /* not a token: skip the character */
			continue;
		}
		struct image__challenge *c = &out[n];
		memset(c, 0, sizeof(*c));
		size_t i = 0;
		for (; i < scheme.len && i + 1 < sizeof(c->scheme); i++)
			c->scheme[i] = (char)tolower((unsigned char)scheme.data[i]);
		c->scheme[i] = 0;
		p = auth__params(q, c);
		n++;
	}
	buf_release(&scheme);
	return n;
}

void image__cred_release(struct image__cred *c)
{
	free(c->username);
	free(c->password);
	free(c->identity_token);
	memset(c, 0, sizeof(*c));
}

/* Splits a keyring key into host (lower case, without port), port ("" when none) and path. */
static void auth__split_key(const char *key, struct buf *host, struct buf *port, struct buf *path)
{
	if (starts_with(key, "https://"))
		key += 8;
	else if (starts_with(key, "http://"))
		key += 7;
	const char *slash = strchr(key, '/');
	size_t hp = slash ? (size_t)(slash - key) : strlen(key);
	const char *colon = NULL;
	if (key[0] == '[') {
		const char *close = memchr(key, ']', hp);
		if (close && close + 1 < key + hp && close[1] == ':')
			colon = close + 1;
	} else {
		colon = memchr(key, ':', hp);
	}
	size_t hl = colon ? (size_t)(colon - key) : hp;
	for (size_t i = 0; i < hl; i++)
		buf_addch(host, (char)tolower((unsigned char)key[i]));
	if (colon)
		buf_add(port, colon + 1, hp - hl - 1);
	if (slash)
		buf_adds(path, slash);
	const char *h = buf_str(host);
	if (!strcmp(h, "index.docker.io") || !strcmp(h, "registry-1.docker.io") || !strcmp(h, "docker.io")) {
		buf_reset(host);
		buf_adds(host, "docker.io");
		if (!strcmp(buf_str(path), "/v1/") || !strcmp(buf_str(path), "/v2/") ||
		    !strcmp(buf_str(path), "/v1") || !strcmp(buf_str(path), "/v2"))
			buf_reset(path);
	}
}

/* Hosts match label by label, each key label a glob. */
static int auth__hosts_match(const char *glob, const char *host)
{
	for (;;) {
		const char *gd = strchr(glob, '.'), *hd = strchr(host, '.');
		if (!gd != !hd)
			return 0;
		char *g = gd ? xstrndup(glob, (size_t)(gd - glob)) : xstrdup(glob);
		char *h = hd ? xstrndup(host, (size_t)(hd - host)) : xstrdup(host);
		int ok = fnmatch(g, h, 0) == 0;
		free(g);
		free(h);
		if (!ok)
			return 0;
		if (!gd)
			return 1;
		glob = gd + 1;
		host = hd + 1;
	}
}

static int auth__key_matches(const char *key, const char *domain, const char *repo)
{
	struct buf kh = BUF_INIT, kp = BUF_INIT, kpath = BUF_INIT;
	struct buf dh = BUF_INIT, dp = BUF_INIT, dpath = BUF_INIT;
	auth__split_key(key, &kh, &kp, &kpath);
	auth__split_key(domain, &dh, &dp, &dpath);
	char *target = xasprintf("/%s", repo);
	int ok = auth__hosts_match(buf_str(&kh), buf_str(&dh)) && strcmp(buf_str(&kp), buf_str(&dp)) == 0 &&
		 starts_with(target, buf_str(&kpath));
	free(target);
	buf_release(&kh);
	buf_release(&kp);
	buf_release(&kpath);
	buf_release(&dh);
	buf_release(&dp);
	buf_release(&dpath);
	return ok;
}

/* Fills c from one auths entry; returns 0 when it holds usable credentials. */
static int auth__entry(const cJSON *e, struct image__cred *c)
{
	memset(c, 0, sizeof(*c));
	const char *user = json_str(e, "username"), *pass = json_str(e, "password");
	const char *auth = json_str(e, "auth"), *tok = json_str(e, "identitytoken");
	if (user && *user) {
		c->username = xstrdup(user);
		c->password = xstrdup(pass ? pass : "");
	} else if (auth && *auth) {
		struct buf dec = BUF_INIT;
		char *colon;
		if (pki_base64_decode(auth, strlen(auth), &dec) == 0 && (colon = strchr(buf_str(&dec), ':'))) {
			c->username = xstrndup(dec.data, (size_t)(colon - dec.data));
			c->password = xstrdup(colon + 1);
		}
		buf_release(&dec);
	}
	if (tok && *tok)
		c->identity_token = xstrdup(tok);
	if (!c->username && !c->identity_token)
		return -1;
	return 0;
}

struct auth__match {
	size_t specificity;
	struct image__cred cred;
};

static int auth__cmp(const void *a, const void *b)
{
	const struct auth__match *x = a, *y = b;
	return x->specificity < y->specificity ? 1 : x->specificity > y->specificity ? -1 : 0;
}

int image__creds_match(const char *docjson, const char *domain, const char *path,
		       struct image__cred **v, size_t *n)
{
	cJSON *doc = json_parse(docjson, strlen(docjson), NULL);
	if (!doc || !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		return -KUBE_EINVAL;
	}
	const cJSON *auths = json_obj(doc, "auths") ? json_obj(doc, "auths") : doc;
	struct auth__match *m = NULL;
	size_t nm = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, auths) {
		if (!cJSON_IsObject(e) || !e->string || !auth__key_matches(e->string, domain, path))
			continue;
		struct image__cred c;
		if (auth__entry(e, &c) != 0)
			continue;
		m = xrealloc(m, (nm + 1) * sizeof(*m));
		m[nm].specificity = strlen(e->string);
		m[nm++].cred = c;
	}
	if (nm)
		qsort(m, nm, sizeof(*m), auth__cmp);
	*v = xrealloc(*v, (*n + nm + 1) * sizeof(**v));
	for (size_t i = 0; i < nm; i++)
		(*v)[(*n)++] = m[i].cred;
	free(m);
	cJSON_Delete(doc);
	return 0;
}
