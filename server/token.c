/*
 * token.c - service-account tokens: the serviceaccounts/NAME/token subresource (TokenRequest,
 * `kubectl create token`) and the authentication of the bearer tokens it issues.
 *
 * DESIGN
 * A token is a JWT signed with ES256 by the server's service-account key
 * (DATA/server/tls/service-account.key, made on first start), with upstream's claims: iss
 * (https://kubernetes.default.svc.<cluster domain>), sub system:serviceaccount:NS:NAME, aud,
 * iat/nbf/exp, jti, and kubernetes.io {namespace, serviceaccount {name, uid}, pod {name, uid}
 * when bound to a pod}. A bearer token authenticates when its signature, issuer, audience and
 * times check out and the service account (and the pod it is bound to) still exist with the
 * same uid, as upstream's validator requires.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"

#define TOKEN_DEFAULT_SECONDS 3600
#define TOKEN_MIN_SECONDS 600
#define TOKEN_LEEWAY 60

int token_init(struct server *srv, struct buf *err)
{
	char *path = xasprintf("%s/service-account.key", srv->cfg->tls_dir), *pem = NULL;
	int r = read_file(path, &pem, NULL);
	if (r == -ENOENT) {
		if ((r = pki_key_create(&pem, err)) == 0 && (r = write_file_atomic(path, pem, strlen(pem), 0600)) < 0)
			buf_addf(err, "cannot write %s: %s", path, strerror(-r));
	} else if (r < 0) {
		buf_addf(err, "cannot read %s: %s", path, strerror(-r));
	}
	if (r == 0)
		r = pki_key_load(pem, &srv->sa_key, err);
	free(pem);
	free(path);
	return r;
}

static char *issuer(const struct server *srv)
{
	return xasprintf("https://kubernetes.default.svc.%s", srv->cfg->cluster_domain);
}

static void b64url_json(const cJSON *j, struct buf *out)
{
	char *s = json_print_str(j);
	pki_base64url(s, strlen(s), out);
	free(s);
}

/* Signs claims into a compact JWT appended to out. */
static int sign(struct server *srv, const cJSON *claims, struct buf *out)
{
	unsigned char sig[64];
	cJSON *hdr = cJSON_CreateObject();
	json_set_str(hdr, "alg", "ES256");
	json_set_str(hdr, "kid", pki_key_id(srv->sa_key));
	b64url_json(hdr, out);
	buf_addch(out, '.');
	b64url_json(claims, out);
	cJSON_Delete(hdr);
	if (pki_key_sign_es256(srv->sa_key, out->data, out->len, sig) < 0)
		return -1;
	buf_addch(out, '.');
	pki_base64url(sig, sizeof(sig), out);
	return 0;
}

/* The kubernetes.io claim's pod binding, when the request asks for one. Returns 0 or fills err. */
static int bind_pod(struct api_req *req, const cJSON *ref, cJSON *kio)
{
	const char *kind = json_str(ref, "kind"), *name = json_str(ref, "name"), *uid = json_str(ref, "uid");
	if (!ref)
		return 0;
	if (!kind || strcmp(kind, "Pod") || !name) {
		struct field_errors errs = FIELD_ERRORS_INIT;
		field_errors_add_str(&errs, FE_NOT_SUPPORTED, "spec.boundObjectRef.kind", kind ? kind : "",
				     "supported values: \"Pod\"");
		api_error_invalid(&req->err, &(struct kind){ .group = "authentication.k8s.io", .kind = "TokenRequest",
							     .qualified_kind = "TokenRequest.authentication.k8s.io" },
				  req->name, &errs);
		return -1;
	}
	const struct kind *pk = kind_by_resource("", "v1", "pods");
	struct buf key = BUF_INIT;
	kind_key(pk, req->ns, name, &key);
	struct store_kv *kv = store_get(req->srv->store, key.data);
	buf_release(&key);
	cJSON *pod = kv ? obj_parse(kv) : NULL;
	const char *puid = json_strv(pod, "metadata", "uid", NULL);
	int ok = pod && (!uid || !*uid || (puid && !strcmp(uid, puid)));
	if (ok) {
		cJSON *p = json_obj_force(kio, "pod");
		json_set_str(p, "name", name);
		json_set_str(p, "uid", puid ? puid : "");
	} else {
		api_error_not_found(&req->err, pk, name);
	}
	cJSON_Delete(pod);
	return ok ? 0 : -1;
}

static cJSON *claims_for(struct api_req *req, const cJSON *sa, const cJSON *spec, int64_t now, int64_t secs)
{
	char uid[37];
	cJSON *c = cJSON_CreateObject(), *aud = cJSON_GetObjectItemCaseSensitive(spec, "audiences");
	char *iss = issuer(req->srv), *sub = xasprintf("system:serviceaccount:%s:%s", req->ns, req->name);
	json_set(c, "aud", cJSON_GetArraySize(aud) ? cJSON_Duplicate(aud, 1) : cJSON_CreateStringArray((const char **)&iss, 1));
	json_set_int(c, "exp", now + secs);
	json_set_int(c, "iat", now);
	json_set_str(c, "iss", iss);
	uuid_v4(uid);
	json_set_str(c, "jti", uid);
	cJSON *kio = json_obj_force(c, "kubernetes.io"), *sac = json_obj_force(kio, "serviceaccount");
	json_set_str(kio, "namespace", req->ns);
	json_set_str(sac, "name", req->name);
	json_set_str(sac, "uid", json_strv(sa, "metadata", "uid", NULL) ? json_strv(sa, "metadata", "uid", NULL) : "");
	json_set_int(c, "nbf", now);
	json_set_str(c, "sub", sub);
	free(iss);
	free(sub);
	return c;
}

void api_token(struct api_req *req)
{
	struct buf token = BUF_INIT, out = BUF_INIT;
	cJSON *sa = NULL, *claims = NULL;
	int64_t secs = TOKEN_DEFAULT_SECONDS, now = wall_seconds();
	char exp[21];
	if (api_decode_object(req, "authentication.k8s.io/v1", "TokenRequest") < 0)
		goto fail;
	cJSON *spec = json_obj_force(req->body, "spec");
	json_int(spec, "expirationSeconds", &secs);
	if (secs < TOKEN_MIN_SECONDS || secs > (int64_t)1 << 32) {
		struct field_errors errs = FIELD_ERRORS_INIT;
		field_errors_add(&errs, FE_INVALID, "spec.expirationSeconds", json_getv(spec, "expirationSeconds", NULL),
				 secs < TOKEN_MIN_SECONDS ? "may not specify a duration less than 10 minutes"
							  : "may not specify a duration larger than 2^32 seconds");
		api_error_invalid(&req->err, &(struct kind){ .group = "authentication.k8s.io", .kind = "TokenRequest",
							     .qualified_kind = "TokenRequest.authentication.k8s.io" },
				  req->name, &errs);
		goto fail;
	}
	struct store_kv *kv = api_lookup(req, req->name);
	if (!kv) {
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	sa = obj_parse(kv);
	claims = claims_for(req, sa, spec, now, secs);
	if (bind_pod(req, json_obj(spec, "boundObjectRef"), json_obj(claims, "kubernetes.io")) < 0)
		goto fail;
	if (sign(req->srv, claims, &token) < 0) {
		api_error_internal(&req->err, "cannot sign the token");
		goto fail;
	}
	json_set_int(spec, "expirationSeconds", secs);
	if (!cJSON_GetArraySize(json_getv(spec, "audiences", NULL)))
		json_set(spec, "audiences", cJSON_Duplicate(json_getv(claims, "aud", NULL), 1));
	cJSON *meta = json_obj_force(req->body, "metadata"), *status = json_obj_force(req->body, "status");
	json_set_str(meta, "name", req->name);
	json_set_str(meta, "namespace", req->ns);
	format_rfc3339(now, exp);
	json_set_str(meta, "creationTimestamp", exp);
	format_rfc3339(now + secs, exp);
	json_set_str(status, "token", token.data);
	json_set_str(status, "expirationTimestamp", exp);
	json_print(req->body, &out);
	api_reply(req, 201, &out);
	goto out;
fail:
	api_fail(req);
out:
	cJSON_Delete(sa);
	cJSON_Delete(claims);
	buf_release(&token);
	buf_release(&out);
}

/* ---- authentication --------------------------------------------------------------------- */

/* Decodes one base64url JWT part as JSON (NULL if it is not). */
static cJSON *part_json(const char *s, size_t len)
{
	struct buf raw = BUF_INIT;
	cJSON *j = pki_base64url_decode(s, len, &raw) == 0 ? json_parse(buf_str(&raw), raw.len, NULL) : NULL;
	buf_release(&raw);
	return j;
}

static int has_audience(const cJSON *aud, const char *want)
{
	const cJSON *a;
	if (cJSON_IsString(aud))
		return !strcmp(aud->valuestring, want);
	cJSON_ArrayForEach(a, aud)
		if (cJSON_IsString(a) && !strcmp(a->valuestring, want))
			return 1;
	return 0;
}

/* Does the object ns/name of kind exist with this uid? */
static int exists_with_uid(struct server *srv, const char *resource, const char *ns, const char *name, const char *uid)
{
	const struct kind *k = kind_by_resource("", "v1", resource);
	struct buf key = BUF_INIT;
	kind_key(k, ns, name, &key);
	struct store_kv *kv = store_get(srv->store, key.data);
	buf_release(&key);
	cJSON *o = kv ? obj_parse(kv) : NULL;
	const char *u = json_strv(o, "metadata", "uid", NULL);
	int ok = o && u && uid && !strcmp(u, uid);
	cJSON_Delete(o);
	return ok;
}

/* Checks the claims of a verified token; fills user. Returns 0 or -1. */
static int check_claims(struct server *srv, const cJSON *c, struct api_user *user)
{
	int64_t now = wall_seconds(), exp = 0, nbf = 0;
	char *iss = issuer(srv);
	int ok = json_str(c, "iss") && !strcmp(json_str(c, "iss"), iss) && has_audience(json_getv(c, "aud", NULL), iss) &&
		 json_int(c, "exp", &exp) == 0 && now <= exp + TOKEN_LEEWAY &&
		 (json_int(c, "nbf", &nbf) < 0 || nbf <= now + TOKEN_LEEWAY);
	free(iss);
	const cJSON *kio = json_obj(c, "kubernetes.io");
	const char *ns = json_str(kio, "namespace"), *name = json_strv(kio, "serviceaccount", "name", NULL);
	const char *uid = json_strv(kio, "serviceaccount", "uid", NULL);
	if (!ok || !ns || !name || !exists_with_uid(srv, "serviceaccounts", ns, name, uid))
		return -1;
	const cJSON *pod = json_obj(kio, "pod");
	if (pod && !exists_with_uid(srv, "pods", ns, json_str(pod, "name"), json_str(pod, "uid")))
		return -1;
	user->name = xasprintf("system:serviceaccount:%s:%s", ns, name);
	user->groups = xcalloc(4, sizeof(char *));
	user->groups[0] = xstrdup("system:serviceaccounts");
	user->groups[1] = xasprintf("system:serviceaccounts:%s", ns);
	user->groups[2] = xstrdup("system:authenticated");
	user->ngroups = 3;
	return 0;
}

int token_authenticate(struct server *srv, const char *token, struct api_user *user)
{
	const char *d1 = strchr(token, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	struct buf sig = BUF_INIT;
	cJSON *hdr = NULL, *claims = NULL;
	int r = -1;
	memset(user, 0, sizeof(*user));
	if (!srv->sa_key || !d2 || strchr(d2 + 1, '.'))
		goto out;
	hdr = part_json(token, (size_t)(d1 - token));
	claims = part_json(d1 + 1, (size_t)(d2 - d1 - 1));
	const char *alg = json_str(hdr, "alg");
	if (!claims || !alg || strcmp(alg, "ES256") || pki_base64url_decode(d2 + 1, strlen(d2 + 1), &sig) < 0 ||
	    sig.len != 64 || pki_key_verify_es256(srv->sa_key, token, (size_t)(d2 - token), (unsigned char *)sig.data) < 0)
		goto out;
	r = check_claims(srv, claims, user);
out:
	cJSON_Delete(hdr);
	cJSON_Delete(claims);
	buf_release(&sig);
	return r;
}
