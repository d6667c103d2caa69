/*
 * registry_config.c - /etc/kube/registries.yaml, in k3s's format, and the list of endpoints a
 * pull tries.
 *
 *   mirrors:
 *     docker.io:                       # a registry host[:port], or "*" for every registry
 *       endpoint: ["http://127.0.0.1:5000", "https://mirror.example.com/prefix"]
 *       rewrite: {"^library/(.*)": "mirrored/$1"}   # regex on the repository path
 *   configs:
 *     "mirror.example.com":            # an endpoint's host[:port], a registry, or "*"
 *       auth: {username: u, password: p}     # or auth: base64("u:p"), identitytoken
 *       tls: {ca_file: /path, cert_file: /path, key_file: /path, insecure_skip_verify: false}
 *
 * DESIGN
 * As in k3s (containerd underneath), a pull tries the registry's mirror endpoints in order,
 * rewrites applied, then the registry itself (the "default endpoint", without rewrites):
 * https://<host>/v2, https://registry-1.docker.io/v2 for docker.io, and plain HTTP for a
 * loopback registry (localhost, 127.0.0.0/8, ::1), which docker also treats as insecure. An
 * endpoint without a path uses /v2; one with a path uses it as given (a registry proxy under
 * a prefix), with "/v2" appended unless it already ends so. Rewrites are POSIX extended
 * regular expressions (the common subset of Go's syntax), "$1"/"${1}" in the replacement.
 */
#include "cri/internal.h"

#include <errno.h>
#include <string.h>

#include "lib/json.h"
#include "lib/pki.h"
#include "lib/util.h"
#include "lib/yaml2json.h"

void image__registries_release(struct image__registries *r)
{
	for (size_t i = 0; i < r->nmirrors; i++) {
		struct image__mirror *m = &r->mirrors[i];
		free(m->host);
		for (size_t j = 0; j < m->nendpoints; j++)
			free(m->endpoints[j]);
		free(m->endpoints);
		for (size_t j = 0; j < m->nrewrites; j++) {
			free(m->rewrites[j].pattern);
			free(m->rewrites[j].replacement);
			regfree(&m->rewrites[j].re);
		}
		free(m->rewrites);
	}
	free(r->mirrors);
	for (size_t i = 0; i < r->nconfigs; i++) {
		struct image__regconfig *c = &r->configs[i];
		free(c->host);
		image__cred_release(&c->cred);
		free(c->ca_file);
		free(c->cert_file);
		free(c->key_file);
	}
	free(r->configs);
	memset(r, 0, sizeof(*r));
}

static void cfg__problem(struct buf *err, const char *fmt, const char *a, const char *b)
{
	if (err->len)
		buf_addch(err, '\n');
	buf_addf(err, fmt, a, b ? b : "");
}

static int cfg__parse_url(const char *url, struct image__endpoint *e, struct buf *err);

/* Checks an endpoint URL now, so that a bad one is an error when the file is read. */
static void cfg__check_url(const char *host, const char *url, struct buf *err)
{
	struct image__endpoint tmp = { 0 };
	struct buf e2 = BUF_INIT;
	if (cfg__parse_url(url, &tmp, &e2) != 0)
		cfg__problem(err, "mirrors.%s: %s", host, buf_str(&e2));
	free(tmp.host);
	free(tmp.hostport);
	free(tmp.prefix);
	buf_release(&e2);
}

static void cfg__mirror(const cJSON *m, struct image__mirror *out, struct buf *err)
{
	const cJSON *ep = cJSON_GetObjectItemCaseSensitive(m, "endpoint");
	const cJSON *e;
	if (ep && !cJSON_IsArray(ep))
		cfg__problem(err, "mirrors.%s.endpoint: not a list%s", out->host, NULL);
	const cJSON *eps = cJSON_IsArray(ep) ? ep : NULL;
	cJSON_ArrayForEach(e, eps) {
		if (!cJSON_IsString(e) || !*e->valuestring) {
			cfg__problem(err, "mirrors.%s.endpoint: an entry is not a URL%s", out->host, NULL);
			continue;
		}
		cfg__check_url(out->host, e->valuestring, err);
		out->endpoints = xrealloc(out->endpoints, (out->nendpoints + 1) * sizeof(char *));
		out->endpoints[out->nendpoints++] = xstrdup(e->valuestring);
	}
	const cJSON *rw = cJSON_GetObjectItemCaseSensitive(m, "rewrite");
	if (rw && !cJSON_IsObject(rw))
		cfg__problem(err, "mirrors.%s.rewrite: not a mapping%s", out->host, NULL);
	const cJSON *rws = cJSON_IsObject(rw) ? rw : NULL;
	cJSON_ArrayForEach(e, rws) {
		if (!cJSON_IsString(e)) {
			cfg__problem(err, "mirrors.%s.rewrite[%s]: not a string", out->host, e->string);
			continue;
		}
		struct image__rewrite w = { 0 };
		if (regcomp(&w.re, e->string, REG_EXTENDED) != 0) {
			cfg__problem(err, "mirrors.%s.rewrite: invalid regular expression \"%s\"", out->host, e->string);
			continue;
		}
		w.pattern = xstrdup(e->string);
		w.replacement = xstrdup(e->valuestring);
		out->rewrites = xrealloc(out->rewrites, (out->nrewrites + 1) * sizeof(w));
		out->rewrites[out->nrewrites++] = w;
	}
}

static char *cfg__str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsString(v) && *v->valuestring)
		return xstrdup(v->valuestring);
	return NULL;
}

static void cfg__config(const cJSON *c, struct image__regconfig *out, struct buf *err)
{
	const cJSON *auth = cJSON_GetObjectItemCaseSensitive(c, "auth");
	if (cJSON_IsObject(auth)) {
		out->cred.username = cfg__str(auth, "username");
		out->cred.password = cfg__str(auth, "password");
		out->cred.identity_token = cfg__str(auth, "identitytoken");
		char *b64 = cfg__str(auth, "auth");
		struct buf dec = BUF_INIT;
		char *colon;
		if (!out->cred.username && b64 && pki_base64_decode(b64, strlen(b64), &dec) == 0 &&
		    (colon = strchr(buf_str(&dec), ':'))) {
			out->cred.username = xstrndup(dec.data, (size_t)(colon - dec.data));
			free(out->cred.password);
			out->cred.password = xstrdup(colon + 1);
		} else if (!out->cred.username && b64) {
			cfg__problem(err, "configs.%s.auth.auth: not base64 of \"user:password\"%s", out->host, NULL);
		}
		buf_release(&dec);
		free(b64);
		if (out->cred.username && !out->cred.password)
			out->cred.password = xstrdup("");
		out->has_cred = out->cred.username || out->cred.identity_token;
	} else if (auth) {
		cfg__problem(err, "configs.%s.auth: not a mapping%s", out->host, NULL);
	}
	const cJSON *tls = cJSON_GetObjectItemCaseSensitive(c, "tls");
	if (cJSON_IsObject(tls)) {
		out->ca_file = cfg__str(tls, "ca_file");
		out->cert_file = cfg__str(tls, "cert_file");
		out->key_file = cfg__str(tls, "key_file");
		const cJSON *ins = cJSON_GetObjectItemCaseSensitive(tls, "insecure_skip_verify");
		out->insecure_skip_verify = cJSON_IsTrue(ins);
		if (ins && !cJSON_IsBool(ins))
			cfg__problem(err, "configs.%s.tls.insecure_skip_verify: not a boolean%s", out->host, NULL);
		if (!out->cert_file != !out->key_file)
			cfg__problem(err, "configs.%s.tls: cert_file and key_file go together%s", out->host, NULL);
	} else if (tls) {
		cfg__problem(err, "configs.%s.tls: not a mapping%s", out->host, NULL);
	}
}

int image__registries_parse(const char *yaml, size_t len, struct image__registries *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	struct buf problems = BUF_INIT;
	cJSON *doc = y2j_parse(yaml, len, &problems);
	if (!doc) {
		buf_addf(err, "registries config: %s", buf_str(&problems));
		buf_release(&problems);
		return -KUBE_EINVAL;
	}
	const cJSON *mirrors = cJSON_GetObjectItemCaseSensitive(doc, "mirrors");
	const cJSON *configs = cJSON_GetObjectItemCaseSensitive(doc, "configs");
	if (!cJSON_IsObject(doc) || (mirrors && !cJSON_IsObject(mirrors) && !cJSON_IsNull(mirrors)) ||
	    (configs && !cJSON_IsObject(configs) && !cJSON_IsNull(configs)))
		buf_adds(&problems, "expected a mapping with \"mirrors\" and \"configs\" mappings");
	const cJSON *e;
	const cJSON *ms = cJSON_IsObject(mirrors) ? mirrors : NULL;
	const cJSON *cs = cJSON_IsObject(configs) ? configs : NULL;
	cJSON_ArrayForEach(e, ms) {
		out->mirrors = xrealloc(out->mirrors, (out->nmirrors + 1) * sizeof(*out->mirrors));
		struct image__mirror *m = &out->mirrors[out->nmirrors++];
		memset(m, 0, sizeof(*m));
		m->host = xstrdup(e->string);
		if (cJSON_IsObject(e))
			cfg__mirror(e, m, &problems);
		else if (!cJSON_IsNull(e))
			cfg__problem(&problems, "mirrors.%s: not a mapping%s", e->string, NULL);
	}
	cJSON_ArrayForEach(e, cs) {
		out->configs = xrealloc(out->configs, (out->nconfigs + 1) * sizeof(*out->configs));
		struct image__regconfig *c = &out->configs[out->nconfigs++];
		memset(c, 0, sizeof(*c));
		c->host = xstrdup(e->string);
		if (cJSON_IsObject(e))
			cfg__config(e, c, &problems);
		else if (!cJSON_IsNull(e))
			cfg__problem(&problems, "configs.%s: not a mapping%s", e->string, NULL);
	}
	cJSON_Delete(doc);
	if (problems.len) {
		buf_addf(err, "registries config: %s", buf_str(&problems));
		buf_release(&problems);
		image__registries_release(out);
		return -KUBE_EINVAL;
	}
	buf_release(&problems);
	return 0;
}

int image__registries_load(const char *path, struct image__registries *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!path || !*path)
		return 0;
	char *data = NULL;
	size_t len = 0;
	int ret = read_file(path, &data, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		buf_addf(err, "registries config %s: %s", path, strerror(-ret));
		return ret;
	}
	struct buf e2 = BUF_INIT;
	ret = image__registries_parse(data, len, out, &e2);
	if (ret)
		buf_addf(err, "%s: %s", path, buf_str(&e2));
	buf_release(&e2);
	free(data);
	return ret;
}

/* Applies the first rewrite whose pattern matches (all its matches replaced). */
static char *cfg__rewrite(const struct image__mirror *m, const char *repo)
{
	for (size_t i = 0; i < m->nrewrites; i++) {
		const struct image__rewrite *w = &m->rewrites[i];
		regmatch_t g[10];
		const char *p = repo;
		struct buf out = BUF_INIT;
		int matched = 0;
		while (*p && regexec(&w->re, p, 10, g, matched ? REG_NOTBOL : 0) == 0) {
			matched = 1;
			buf_add(&out, p, (size_t)g[0].rm_so);
			for (const char *r = w->replacement; *r; r++) {
				int idx = -1;
				if (r[0] == '$' && r[1] >= '0' && r[1] <= '9') {
					idx = r[1] - '0';
					r++;
				} else if (r[0] == '$' && r[1] == '{' && r[2] >= '0' && r[2] <= '9' && r[3] == '}') {
					idx = r[2] - '0';
					r += 3;
				}
				if (idx < 0)
					buf_addch(&out, *r);
				else if (g[idx].rm_so >= 0)
					buf_add(&out, p + g[idx].rm_so, (size_t)(g[idx].rm_eo - g[idx].rm_so));
			}
			p += g[0].rm_eo > 0 ? g[0].rm_eo : 1;
			if (g[0].rm_eo == 0)
				break;
		}
		if (matched) {
			buf_adds(&out, p);
			return buf_detach(&out, NULL);
		}
		buf_release(&out);
	}
	return xstrdup(repo);
}

static int cfg__loopback(const char *host)
{
	return !strcmp(host, "localhost") || starts_with(host, "127.") || !strcmp(host, "::1");
}

/* Parses "[scheme://]host[:port][/path]" into e. */
static int cfg__parse_url(const char *url, struct image__endpoint *e, struct buf *err)
{
	const char *p = url;
	e->tls = 1;
	if (starts_with(p, "https://")) {
		p += 8;
	} else if (starts_with(p, "http://")) {
		e->tls = 0;
		p += 7;
	} else if (strstr(p, "://")) {
		buf_addf(err, "endpoint \"%s\": unsupported scheme", url);
		return -KUBE_EINVAL;
	}
	const char *slash = strchr(p, '/');
	size_t hp = slash ? (size_t)(slash - p) : strlen(p);
	e->hostport = xstrndup(p, hp);
	const char *colon = NULL;
	if (p[0] == '[') {
		const char *close = memchr(p, ']', hp);
		if (!close) {
			buf_addf(err, "endpoint \"%s\": bad IPv6 address", url);
			return -KUBE_EINVAL;
		}
		e->host = xstrndup(p + 1, (size_t)(close - p - 1));
		colon = close + 1 < p + hp && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(p, ':', hp);
		e->host = xstrndup(p, colon ? (size_t)(colon - p) : hp);
	}
	int64_t port = e->tls ? 443 : 80;
	if (colon) {
		char *ps = xstrndup(colon + 1, hp - (size_t)(colon + 1 - p));
		int bad = parse_int64(ps, 1, 65535, &port) != 0;
		free(ps);
		if (bad) {
			buf_addf(err, "endpoint \"%s\": bad port", url);
			return -KUBE_EINVAL;
		}
	}
	e->port = (int)port;
	if (!*e->host) {
		buf_addf(err, "endpoint \"%s\": no host", url);
		return -KUBE_EINVAL;
	}
	struct buf path = BUF_INIT;
	buf_adds(&path, slash ? slash : "");
	while (path.len && path.data[path.len - 1] == '/')
		buf_truncate(&path, path.len - 1);
	if (!ends_with(buf_str(&path), "/v2"))
		buf_adds(&path, "/v2");
	e->prefix = buf_detach(&path, NULL);
	return 0;
}

static const struct image__regconfig *cfg__config_for(const struct image__registries *r, const char *a,
						      const char *b)
{
	for (int pass = 0; pass < 3; pass++) {
		const char *want = pass == 0 ? a : pass == 1 ? b : "*";
		for (size_t i = 0; want && i < r->nconfigs; i++)
			if (strcmp(r->configs[i].host, want) == 0)
				return &r->configs[i];
	}
	return NULL;
}

void image__endpoints_free(struct image__endpoint *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].host);
		free(v[i].hostport);
		free(v[i].prefix);
		free(v[i].repo);
	}
	free(v);
}

int image__endpoints(const struct image__registries *r, const struct image__ref *ref,
		     struct image__endpoint **out, size_t *n, struct buf *err)
{
	const struct image__mirror *m = NULL;
	for (size_t i = 0; i < r->nmirrors && !m; i++)
		if (strcmp(r->mirrors[i].host, ref->domain) == 0)
			m = &r->mirrors[i];
	for (size_t i = 0; i < r->nmirrors && !m; i++)
		if (strcmp(r->mirrors[i].host, "*") == 0)
			m = &r->mirrors[i];
	size_t cap = (m ? m->nendpoints : 0) + 1;
	struct image__endpoint *v = xcalloc(cap, sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; m && i < m->nendpoints; i++) {
		struct image__endpoint *e = &v[k++];
		if (cfg__parse_url(m->endpoints[i], e, err) != 0) {
			image__endpoints_free(v, k);
			return -KUBE_EINVAL;
		}
		e->repo = cfg__rewrite(m, ref->path);
		e->config = cfg__config_for(r, e->hostport, NULL);
	}
	struct image__endpoint *d = &v[k++];
	const char *host = strcmp(ref->domain, "docker.io") == 0 ? "registry-1.docker.io" : ref->domain;
	char *url = xasprintf("https://%s", host);
	int ret = cfg__parse_url(url, d, err);
	free(url);
	if (ret) {
		image__endpoints_free(v, k);
		return ret;
	}
	d->repo = xstrdup(ref->path);
	d->is_default = 1;
	d->config = cfg__config_for(r, d->hostport, ref->domain);
	const struct image__regconfig *c = d->config;
	if (cfg__loopback(d->host) && !(c && (c->ca_file || c->cert_file || c->insecure_skip_verify))) {
		int explicit_port = d->hostport[0] == '[' ? strstr(d->hostport, "]:") != NULL
							  : strchr(d->hostport, ':') != NULL;
		d->tls = 0;
		if (!explicit_port)
			d->port = 80;
	}
	*out = v;
	*n = k;
	return 0;
}
