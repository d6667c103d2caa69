/*
 * auth.c - who is asking (authentication) and may they (authorization).
 *
 * Authentication: a client certificate signed by the cluster CA (or by a CA of --client-ca-file,
 * given to the TLS layer with it), verified by the TLS layer; the user is its CN and the groups
 * its O values, plus system:authenticated, as upstream's x509 authenticator does. Bearer tokens: those of --token-auth-file (upstream's static token file,
 * read once at start-up into the server config; auth_static_token), then service-account
 * tokens (token.c).
 *
 * DESIGN (static token file): the CSV is parsed the way Go's encoding/csv reads it for
 * upstream's tokenfile authenticator (variable field count, RFC 4180 quotes, "" inside quotes,
 * fields may span lines inside quotes, a bare quote in an unquoted field is an error), into an
 * array kept in the immutable struct server_config. A lookup compares the presented token with
 * every entry in constant time per entry, so the answer time does not tell how much of a token
 * matched; files are small (upstream keeps them in a map).
 *
 * Authorization, as upstream's chain: members of system:masters may do everything (upstream's
 * AlwaysAllowGroups); then the --authorization-mode authorizers in order (default Node,RBAC):
 * Node gives nodes (group system:nodes, user system:node:NAME) a simplified form of upstream's
 * Node authorizer plus its system:node role (node_allowed below); RBAC is rbac.c, whose
 * bootstrap policy lets every authenticated user create self-reviews (system:basic-user);
 * AlwaysAllow and AlwaysDeny decide alone. Anything not allowed is denied with upstream's
 * Forbidden message.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"

int auth_authenticate(const struct http_request *hreq, struct api_user *user)
{
	const struct http_peer *p = hreq->peer;
	memset(user, 0, sizeof(*user));
	if (!p || !p->cn || !*p->cn)
		return -1;
	user->name = xstrdup(p->cn);
	user->groups = xcalloc(p->norgs + 1, sizeof(char *));
	for (size_t i = 0; i < p->norgs; i++)
		user->groups[user->ngroups++] = xstrdup(p->orgs[i]);
	user->groups[user->ngroups++] = xstrdup("system:authenticated");
	return 0;
}

static void auth_static_tokens_free_one(struct static_token *t)
{
	for (size_t i = 0; i < t->ngroups; i++)
		free(t->groups[i]);
	free(t->groups);
	free(t->token);
	free(t->user);
	free(t->uid);
}

/* The CSV reader's position in the text. */
struct csv {
	const char *s, *end;
	int line;         /* 1-based line of s */
};

/* Reads one field into out (reset first). Returns 1 if a field ends the record (end of line or
 * of text), 0 if a comma follows, -1 on a quote error (message in err). */
static int csv_field(struct csv *c, struct buf *out, const char *name, struct buf *err)
{
	int start = c->line;
	buf_reset(out);
	if (c->s < c->end && *c->s == '"') {
		c->s++;
		for (;;) {
			if (c->s >= c->end)
				goto bad;
			char ch = *c->s++;
			if (ch == '"' && c->s < c->end && *c->s == '"') {
				buf_addch(out, '"');
				c->s++;
			} else if (ch == '"') {
				break;
			} else if (ch == '\r' && c->s < c->end && *c->s == '\n') {
				continue; /* \r\n inside quotes reads as \n, as Go's reader */
			} else {
				c->line += ch == '\n';
				buf_addch(out, ch);
			}
		}
		if (c->s < c->end && *c->s != ',' && *c->s != '\n' && !(*c->s == '\r' && c->s + 1 < c->end && c->s[1] == '\n'))
			goto bad;
	} else {
		while (c->s < c->end && *c->s != ',' && *c->s != '\n' && !(*c->s == '\r' && c->s + 1 < c->end && c->s[1] == '\n')) {
			if (*c->s == '"') {
				buf_addf(err, "%s:%d: bare \" in a field that is not quoted\n", name, c->line);
				return -1;
			}
			buf_addch(out, *c->s++);
		}
	}
	if (c->s < c->end && *c->s == ',') {
		c->s++;
		return 0;
	}
	c->s += c->s < c->end && *c->s == '\r';
	c->line += c->s < c->end && *c->s == '\n';
	c->s += c->s < c->end;
	return 1;
bad: /* at the end of the text: name the line the quoted field began on */
	buf_addf(err, "%s:%d: extraneous or missing \" in a quoted field\n", name, c->s >= c->end ? start : c->line);
	return -1;
}

/* Splits "a,b" into t->groups, leaving out empty names. */
static void split_groups(struct static_token *t, const char *v)
{
	size_t cap = 1;
	for (const char *p = v; *p; p++)
		cap += *p == ',';
	t->groups = xcalloc(cap, sizeof(char *));
	for (const char *p = v;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n)
			t->groups[t->ngroups++] = xstrndup(p, n);
		if (!comma)
			break;
		p = comma + 1;
	}
}

/* Puts a record's fields (f[0..nf-1]) into the array: replaces an earlier entry of the same
 * token, else appends. */
static void add_token(struct static_token **v, size_t *n, struct buf *f, size_t nf)
{
	struct static_token *t = NULL;
	for (size_t i = 0; i < *n && !t; i++)
		if (!strcmp((*v)[i].token, buf_str(&f[0])))
			t = &(*v)[i];
	if (t) {
		auth_static_tokens_free_one(t);
	} else {
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		t = &(*v)[(*n)++];
	}
	memset(t, 0, sizeof(*t));
	t->token = xstrdup(buf_str(&f[0]));
	t->user = xstrdup(buf_str(&f[1]));
	t->uid = xstrdup(buf_str(&f[2]));
	split_groups(t, nf > 3 ? buf_str(&f[3]) : "");
}

/* Reads one record's first four fields into f (the rest are read and ignored). Returns the
 * field count, 0 for a blank line, -1 at the end of the text, -2 on a quote error. */
static int csv_record(struct csv *c, struct buf f[4], const char *name, struct buf *err)
{
	struct buf skip = BUF_INIT;
	int nf = 0, r = 0;
	if (c->s >= c->end)
		return -1;
	if (*c->s == '\n' || (*c->s == '\r' && c->s + 1 < c->end && c->s[1] == '\n')) {
		c->s += *c->s == '\r' ? 2 : 1;
		c->line++;
		return 0;
	}
	while (r == 0) {
		r = csv_field(c, nf < 4 ? &f[nf] : &skip, name, err);
		nf++;
	}
	buf_release(&skip);
	return r < 0 ? -2 : nf;
}

int auth_static_tokens_parse(const char *text, size_t len, const char *name, struct static_token **out, size_t *n,
			     struct buf *err)
{
	struct csv c = { text, text + len, 1 };
	struct buf f[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	struct static_token *v = NULL;
	size_t nv = 0;
	int r = 0;
	for (;;) {
		int line = c.line, nf = csv_record(&c, f, name, err);
		if (nf == -1)
			break;
		if (nf == -2) {
			r = -KUBE_EINVAL;
			break;
		}
		if (nf == 0)
			continue;
		if (nf < 3) {
			buf_addf(err, "%s:%d: a line must have at least 3 columns (token, user name, user uid), found %d\n",
				 name, line, nf);
			r = -KUBE_EINVAL;
			break;
		}
		if (f[0].len && strlen(buf_str(&f[0])) == f[0].len) /* no empty token, no NUL inside */
			add_token(&v, &nv, f, (size_t)nf);
	}
	for (int i = 0; i < 4; i++)
		buf_release(&f[i]);
	if (r < 0) {
		auth_static_tokens_free(v, nv);
		v = NULL;
		nv = 0;
	}
	*out = v;
	*n = nv;
	return r;
}

int auth_static_tokens_load(const char *path, struct static_token **out, size_t *n, struct buf *err)
{
	char *text = NULL;
	size_t len = 0;
	*out = NULL;
	*n = 0;
	int r = read_file(path, &text, &len);
	if (r < 0) {
		buf_addf(err, "--token-auth-file: cannot read %s: %s\n", path, strerror(-r));
		return r;
	}
	struct buf name = BUF_INIT;
	buf_addf(&name, "--token-auth-file %s", path);
	r = auth_static_tokens_parse(text, len, name.data, out, n, err);
	buf_release(&name);
	free(text);
	return r;
}

int auth_client_ca_load(const char *path, char **pem, struct buf *err)
{
	char *text = NULL, *cn = NULL, **orgs = NULL;
	size_t len = 0, norgs = 0;
	struct buf why = BUF_INIT;
	*pem = NULL;
	int r = read_file(path, &text, &len);
	if (r < 0) {
		buf_addf(err, "--client-ca-file: cannot read %s: %s\n", path, strerror(-r));
		return r;
	}
	if (strlen(text) != len || !strstr(text, "-----BEGIN CERTIFICATE-----") ||
	    pki_cert_subject(text, &cn, &orgs, &norgs, &why) < 0) {
		buf_addf(err, "--client-ca-file %s: not a PEM certificate%s%s\n", path, why.len ? ": " : "", buf_str(&why));
		free(text);
		r = -EINVAL;
	} else {
		*pem = text;
	}
	free(cn);
	pki_free_strings(orgs, norgs);
	buf_release(&why);
	return r;
}

void auth_static_tokens_free(struct static_token *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		auth_static_tokens_free_one(&t[i]);
	free(t);
}

/* Compares a and b without stopping at the first difference. */
static int token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;
	for (size_t i = 0; i < la && i < lb; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

int auth_static_token(const struct server_config *cfg, const char *token, struct api_user *user)
{
	const struct static_token *t = NULL;
	memset(user, 0, sizeof(*user));
	for (size_t i = 0; i < cfg->nstatic_tokens; i++)
		if (token_equal(cfg->static_tokens[i].token, token))
			t = &cfg->static_tokens[i];
	if (!t)
		return -1;
	user->name = xstrdup(t->user);
	user->groups = xcalloc(t->ngroups + 1, sizeof(char *));
	for (size_t i = 0; i < t->ngroups; i++)
		user->groups[user->ngroups++] = xstrdup(t->groups[i]);
	user->groups[user->ngroups++] = xstrdup("system:authenticated");
	return 0;
}

void auth_user_release(struct api_user *user)
{
	for (size_t i = 0; i < user->ngroups; i++)
		free(user->groups[i]);
	free(user->groups);
	free(user->name);
	memset(user, 0, sizeof(*user));
}

static int in_group(const struct api_user *user, const char *group)
{
	for (size_t i = 0; i < user->ngroups; i++)
		if (!strcmp(user->groups[i], group))
			return 1;
	return 0;
}

static int is_read(const char *verb)
{
	return !strcmp(verb, "get") || !strcmp(verb, "list") || !strcmp(verb, "watch");
}

static int one_of(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strcmp(s, *v))
			return 1;
	return 0;
}

/* What a kubelet (system:node:NODE in system:nodes) may do: read nodes and write its own Node
 * (create: any name, upstream's NodeRestriction checks more) and status; its Lease in
 * kube-node-lease; read pods and write their status, delete them; events; read what pods use
 * (configmaps, secrets, volume claims, services, endpoints, runtime classes), EndpointSlices
 * (the service proxy and DNS, as upstream's system:node-proxier role) and request
 * service-account tokens. Differs from upstream: reads of secrets, configmaps and pods are not
 * limited to the pods bound to the node (upstream's graph). */
static int node_allowed(const char *node, const char *verb, const char *group, const char *resource, const char *sub,
			const char *ns, const char *name)
{
	static const char *const writes[] = { "create", "update", "patch", NULL };
	static const char *const reads[] = { "configmaps", "secrets", "persistentvolumeclaims", "persistentvolumes",
					     "services", "endpoints", "namespaces", NULL };
	int own = !name || !strcmp(name, node);
	if (!*group && !strcmp(resource, "nodes"))
		return (!sub && is_read(verb)) || (one_of(verb, writes) && own && (!sub || !strcmp(sub, "status")));
	if (!strcmp(group, "coordination.k8s.io") && !strcmp(resource, "leases"))
		return ns && !strcmp(ns, "kube-node-lease") && own && (is_read(verb) || one_of(verb, writes) || !strcmp(verb, "delete"));
	if (!*group && !strcmp(resource, "pods"))
		return (!sub && (is_read(verb) || !strcmp(verb, "delete"))) ||
		       (sub && !strcmp(sub, "status") && (!strcmp(verb, "update") || !strcmp(verb, "patch")));
	if ((!*group || !strcmp(group, "events.k8s.io")) && !strcmp(resource, "events"))
		return one_of(verb, writes);
	if (!*group && !strcmp(resource, "serviceaccounts") && sub && !strcmp(sub, "token"))
		return !strcmp(verb, "create");
	if (!*group && !sub && one_of(resource, reads))
		return is_read(verb);
	if (!strcmp(group, "discovery.k8s.io") && !strcmp(resource, "endpointslices") && !sub)
		return is_read(verb); /* the agent's service proxy and DNS (upstream's system:node-proxier) */
	return !strcmp(group, "node.k8s.io") && !strcmp(resource, "runtimeclasses") && is_read(verb);
}

int auth_bearer(struct server *srv, const char *token, struct api_user *user)
{
	return auth_static_token(srv->cfg, token, user) == 0 ? 0 : token_authenticate(srv, token, user);
}

int auth_allowed(struct server *srv, const struct api_user *user, const struct rbac_attrs *a)
{
	if (in_group(user, "system:masters"))
		return 1;
	for (size_t i = 0; i < srv->cfg->nauthz; i++) {
		switch (srv->cfg->authz[i]) {
		case AUTHZ_NODE:
			if (!a->path && in_group(user, "system:nodes") && starts_with(user->name, "system:node:") &&
			    node_allowed(user->name + strlen("system:node:"), a->verb, a->group ? a->group : "",
					 a->resource ? a->resource : "", a->sub, a->ns, a->name))
				return 1;
			break;
		case AUTHZ_RBAC:
			if (rbac_allowed(srv->rbac, user, a))
				return 1;
			break;
		case AUTHZ_ALWAYS_ALLOW:
			return 1;
		case AUTHZ_ALWAYS_DENY:
			return 0;
		}
	}
	return 0;
}

int auth_authorize(struct server *srv, const struct api_user *user, const char *verb, const struct kind *k,
		   const char *sub, const char *ns, const char *name, struct api_error *e)
{
	struct rbac_attrs a = { verb, k->group, k->plural, sub, ns, name, NULL };
	if (auth_allowed(srv, user, &a))
		return 1;
	struct buf res = BUF_INIT, msg = BUF_INIT;
	buf_adds(&res, k->plural);
	if (sub)
		buf_addf(&res, "/%s", sub);
	if (name)
		buf_addf(&msg, "%s \"%s\" is forbidden: ", k->qualified, name);
	else
		buf_addf(&msg, "%s is forbidden: ", k->qualified);
	buf_addf(&msg, "User \"%s\" cannot %s resource \"%s\" in API group \"%s\"", user->name, verb, res.data,
		 k->group);
	if (ns && *ns)
		buf_addf(&msg, " in the namespace \"%s\"", ns);
	else
		buf_adds(&msg, " at the cluster scope");
	api_error_set(e, 403, "Forbidden", "%s", msg.data);
	free(e->name);
	e->name = name ? xstrdup(name) : NULL;
	e->group = k->group;
	e->kind = k->plural;
	buf_release(&res);
	buf_release(&msg);
	return 0;
}
