/*
 * review.c - the create-only "review" kinds: SelfSubjectAccessReview (kubectl auth can-i) and
 * SelfSubjectReview (kubectl auth whoami). Nothing is stored: the answer is the request with its
 * status filled in, from the same authentication and authorization the API uses.
 */
#include "internal.h"

#include <string.h>

/* status of a SelfSubjectAccessReview: may the requester do what spec describes? */
static int access_review(struct api_req *req, cJSON *obj)
{
	const cJSON *spec = json_obj(obj, "spec");
	const cJSON *ra = json_obj(spec, "resourceAttributes"), *nra = json_obj(spec, "nonResourceAttributes");
	if (!ra == !nra) {
		struct field_errors errs = FIELD_ERRORS_INIT;
		field_errors_add_raw(&errs, FE_INVALID, "spec.resourceAttributes", "\"null\"",
				     "exactly one of nonResourceAttributes or resourceAttributes must be specified");
		api_error_invalid(&req->err, req->kind, "", &errs);
		return -1;
	}
	const char *verb = json_str(ra ? ra : nra, "verb");
	int allowed = ra ? auth_allowed(&req->user, verb ? verb : "", json_str(ra, "group") ? json_str(ra, "group") : "",
				       json_str(ra, "resource") ? json_str(ra, "resource") : "", json_str(ra, "subresource"),
				       json_str(ra, "namespace"), json_str(ra, "name"))
			 : auth_allowed(&req->user, verb ? verb : "", "", json_str(nra, "path") ? json_str(nra, "path") : "",
				       NULL, NULL, NULL);
	cJSON *status = cJSON_CreateObject();
	json_set_bool(status, "allowed", allowed);
	if (allowed)
		json_set_str(status, "reason", "the user is in a group with full access (system:masters)");
	json_set(obj, "status", status);
	return 0;
}

/* status of a SelfSubjectReview: who the requester is. */
static void self_review(struct api_req *req, cJSON *obj)
{
	cJSON *info = cJSON_CreateObject();
	json_set_str(info, "username", req->user.name);
	json_set(info, "groups", cJSON_CreateStringArray((const char **)req->user.groups, (int)req->user.ngroups));
	json_set(json_obj_force(obj, "status"), "userInfo", info);
}

void api_review(struct api_req *req)
{
	struct buf out = BUF_INIT;
	if (api_decode_object(req, req->kind->api_version, req->kind->kind) < 0)
		goto fail;
	cJSON *obj = req->body;
	cJSON *meta = json_obj_force(obj, "metadata");
	json_set(meta, "creationTimestamp", cJSON_CreateNull());
	if (!strcmp(req->kind->kind, "SelfSubjectAccessReview")) {
		if (access_review(req, obj) < 0)
			goto fail;
	} else {
		self_review(req, obj);
	}
	json_print(obj, &out);
	api_reply(req, 201, &out);
	buf_release(&out);
	return;
fail:
	buf_release(&out);
	api_fail(req);
}
