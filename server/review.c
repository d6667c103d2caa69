/*
 * review.c - the create-only "review" kinds, answered from the same authentication and
 * authorization the API uses; nothing is stored: the answer is the request with its status
 * filled in.
 *   authorization.k8s.io: SelfSubjectAccessReview (kubectl auth can-i), SubjectAccessReview
 *   (v1 and v1beta1, whose spec names the groups "group"), LocalSubjectAccessReview (a
 *   SubjectAccessReview bound to the request's namespace), SelfSubjectRulesReview (kubectl auth
 *   can-i --list);
 *   authentication.k8s.io: SelfSubjectReview (kubectl auth whoami), TokenReview (is a bearer
 *   token valid, and whose is it).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *str_or(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);
	return s ? s : "";
}

/* 422 with one cause at field. */
static int invalid(struct api_req *req, const char *field, const char *rendered, const char *detail)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	field_errors_add_raw(&errs, FE_INVALID, field, rendered, "%s", detail);
	api_error_invalid(&req->err, req->kind, "", &errs);
	return -1;
}

/* The user a SubjectAccessReview asks about (spec.user, spec.groups or v1beta1's spec.group). */
static void spec_user(const cJSON *spec, struct api_user *u)
{
	const cJSON *groups = json_getv(spec, "groups", NULL), *g;
	if (!groups)
		groups = json_getv(spec, "group", NULL);
	memset(u, 0, sizeof(*u));
	u->name = xstrdup(str_or(spec, "user"));
	u->groups = xcalloc((size_t)cJSON_GetArraySize(groups) + 1, sizeof(char *));
	cJSON_ArrayForEach(g, groups)
	{
		if (cJSON_IsString(g))
			u->groups[u->ngroups++] = xstrdup(g->valuestring);
	}
}

/* status of an access review: may user do what spec describes? */
static int access_review(struct api_req *req, cJSON *obj, const struct api_user *user)
{
	const cJSON *spec = json_obj(obj, "spec");
	const cJSON *ra = json_obj(spec, "resourceAttributes"), *nra = json_obj(spec, "nonResourceAttributes");
	if (!ra == !nra)
		return invalid(req, "spec.resourceAttributes", "\"null\"",
			       "exactly one of nonResourceAttributes or resourceAttributes must be specified");
	struct rbac_attrs a = { .verb = str_or(ra ? ra : nra, "verb") };
	if (ra) {
		a.group = str_or(ra, "group");
		a.resource = str_or(ra, "resource");
		a.sub = json_str(ra, "subresource");
		a.ns = json_str(ra, "namespace");
		a.name = json_str(ra, "name");
	} else {
		a.path = str_or(nra, "path");
	}
	int allowed = auth_allowed(req->srv, user, &a);
	cJSON *status = cJSON_CreateObject();
	json_set_bool(status, "allowed", allowed);
	json_set(obj, "status", status);
	return 0;
}

/* SubjectAccessReview and LocalSubjectAccessReview: about the user the spec names. */
static int subject_access_review(struct api_req *req, cJSON *obj)
{
	const cJSON *spec = json_obj(obj, "spec");
	struct api_user u;
	if (!*str_or(spec, "user") && !cJSON_GetArraySize(json_getv(spec, "groups", NULL)) &&
	    !cJSON_GetArraySize(json_getv(spec, "group", NULL)))
		return invalid(req, "spec.user", "\"\"", "at least one of user or group must be specified");
	if (req->ns) {
		const char *ns = json_strv(spec, "resourceAttributes", "namespace", NULL);
		if (json_obj(spec, "nonResourceAttributes"))
			return invalid(req, "spec.nonResourceAttributes", "\"{}\"", "disallowed on this kind of request");
		if (!ns || strcmp(ns, req->ns)) {
			api_error_bad_request(&req->err, "spec.resourceAttributes.namespace must match namespace: %s", req->ns);
			return -1;
		}
	}
	spec_user(spec, &u);
	int r = access_review(req, obj, &u);
	auth_user_release(&u);
	return r;
}

/* status of a SelfSubjectRulesReview: the rules granted in spec.namespace. */
static void rules_review(struct api_req *req, cJSON *obj)
{
	const char *ns = json_strv(obj, "spec", "namespace", NULL);
	cJSON *rules = rbac_rules(req->srv->rbac, &req->user, ns && *ns ? ns : NULL), *rule;
	cJSON *res = cJSON_CreateArray(), *nonres = cJSON_CreateArray(), *status = cJSON_CreateObject();
	static const char *const res_fields[] = { "verbs", "apiGroups", "resources", "resourceNames" };
	cJSON_ArrayForEach(rule, rules)
	{
		cJSON *r = cJSON_CreateObject();
		int urls = cJSON_GetArraySize(json_getv(rule, "nonResourceURLs", NULL)) > 0;
		for (size_t i = 0; i < (urls ? 1 : ARRAY_SIZE(res_fields)); i++)
			if (json_getv(rule, res_fields[i], NULL))
				json_set(r, res_fields[i], cJSON_Duplicate(json_getv(rule, res_fields[i], NULL), 1));
		if (urls)
			json_set(r, "nonResourceURLs", cJSON_Duplicate(json_getv(rule, "nonResourceURLs", NULL), 1));
		cJSON_AddItemToArray(urls ? nonres : res, r);
	}
	cJSON_Delete(rules);
	json_set(status, "resourceRules", res);
	json_set(status, "nonResourceRules", nonres);
	json_set_bool(status, "incomplete", 0);
	json_set(obj, "status", status);
}

static cJSON *user_info(const struct api_user *u)
{
	cJSON *info = cJSON_CreateObject();
	json_set_str(info, "username", u->name);
	json_set(info, "groups", cJSON_CreateStringArray((const char **)u->groups, (int)u->ngroups));
	return info;
}

/* status of a TokenReview: is spec.token one the server's authenticators accept, and whose? */
static void token_review(struct api_req *req, cJSON *obj)
{
	const char *token = json_strv(obj, "spec", "token", NULL);
	cJSON *status = cJSON_CreateObject();
	struct api_user u;
	if (token && *token && auth_bearer(req->srv, token, &u) == 0) {
		json_set_bool(status, "authenticated", 1);
		json_set(status, "user", user_info(&u));
		auth_user_release(&u);
	} else {
		json_set(status, "user", cJSON_CreateObject());
	}
	json_set(obj, "status", status);
}

void api_review(struct api_req *req)
{
	struct buf out = BUF_INIT;
	const char *kind = req->kind->kind;
	int r = 0;
	if (api_decode_object(req, req->kind->api_version, kind) < 0)
		goto fail;
	cJSON *obj = req->body;
	cJSON *meta = json_obj_force(obj, "metadata");
	json_set(meta, "creationTimestamp", cJSON_CreateNull());
	if (!strcmp(kind, "SelfSubjectAccessReview"))
		r = access_review(req, obj, &req->user);
	else if (!strcmp(kind, "SubjectAccessReview") || !strcmp(kind, "LocalSubjectAccessReview"))
		r = subject_access_review(req, obj);
	else if (!strcmp(kind, "SelfSubjectRulesReview"))
		rules_review(req, obj);
	else if (!strcmp(kind, "TokenReview"))
		token_review(req, obj);
	else
		json_set(json_obj_force(obj, "status"), "userInfo", user_info(&req->user));
	if (r < 0)
		goto fail;
	json_print(obj, &out);
	api_reply(req, 201, &out);
	buf_release(&out);
	return;
fail:
	buf_release(&out);
	api_fail(req);
}
