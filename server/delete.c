/*
 * delete.c - DELETE as upstream's registry does it: preconditions, graceful deletion of pods,
 * finalizers and the propagation policy, namespaces that terminate before they go.
 *
 * DESIGN
 * A delete either removes the object now or marks it: metadata.deletionTimestamp (and
 * deletionGracePeriodSeconds) are set by an update and the object stays until whoever holds it
 * lets go. Three things hold an object:
 *   - a grace period: pods bound to a node get deletionTimestamp = now + grace; the kubelet
 *     deletes them with grace 0 once the containers are gone;
 *   - finalizers: the object is marked (grace 0) and deleted by the update that removes the last
 *     finalizer (api_delete_on_update);
 *   - a namespace's spec.finalizers ("kubernetes"): the namespace goes to phase Terminating and
 *     is deleted when its content is gone and /finalize empties the list.
 * The propagation policy is recorded as upstream's garbage collector expects it: Orphan adds the
 * "orphan" finalizer, Foreground adds "foregroundDeletion", Background removes both.
 */
#include "internal.h"
#include "server/crd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/protobuf.h"
#include "server/schema.h"

struct delete_opts {
	int has_grace;
	int64_t grace;
	const char *policy; /* NULL, "Orphan", "Background", "Foreground" (borrowed from the body) */
};

/* The protobuf type of a DELETE body: DeleteOptions, whichever group version the envelope names
 * (clients encode it in the resource's group version; an empty kind means DeleteOptions). */
static const struct sch_type *delete_options_type(void *arg, const char *api_version, const char *kind)
{
	(void)arg;
	(void)api_version;
	return !*kind || !strcmp(kind, "DeleteOptions") ? sch_kind_type("", "v1", "DeleteOptions") : NULL;
}

/* Decodes a DELETE body, JSON or Kubernetes protobuf (kubectl 1.32+), into req->body. */
static void delete_body(struct api_req *req, struct buf *err)
{
	static const char pb[] = "application/vnd.kubernetes.protobuf";
	const char *ct = req->content_type ? req->content_type : "";
	if (!strncasecmp(ct, pb, sizeof(pb) - 1) && (!ct[sizeof(pb) - 1] || ct[sizeof(pb) - 1] == ';'))
		pb_decode_object(req->raw, req->raw_len, delete_options_type, NULL, &req->body, err);
	else
		req->body = json_parse(req->raw, req->raw_len, err);
}

/* Reads DeleteOptions from the body and the query. Returns 0 or fills req->err. */
static int delete_options(struct api_req *req, struct delete_opts *o)
{
	struct buf err = BUF_INIT;
	int r = -1;
	memset(o, 0, sizeof(*o));
	if (req->raw_len) {
		delete_body(req, &err);
		if (!req->body || !cJSON_IsObject(req->body)) {
			api_error_bad_request(&req->err, "the object provided is unrecognized (must be of type "
							 "DeleteOptions): %s",
					      buf_str(&err));
			goto out;
		}
	}
	if (json_int(req->body, "gracePeriodSeconds", &o->grace) == 0) {
		o->has_grace = 1;
	} else if (req->q.has_grace) {
		o->has_grace = 1;
		o->grace = req->q.grace_period;
	}
	o->policy = json_str(req->body, "propagationPolicy");
	if (!o->policy && req->q.propagation_policy && *req->q.propagation_policy)
		o->policy = req->q.propagation_policy;
	const cJSON *orphan = json_getv(req->body, "orphanDependents", NULL);
	if (!o->policy && cJSON_IsBool(orphan))
		o->policy = cJSON_IsTrue(orphan) ? "Orphan" : "Background";
	if (o->policy && strcmp(o->policy, "Orphan") && strcmp(o->policy, "Background") &&
	    strcmp(o->policy, "Foreground")) {
		struct field_errors errs = FIELD_ERRORS_INIT;
		field_errors_add_str(&errs, FE_NOT_SUPPORTED, "propagationPolicy", o->policy,
				     "supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
		api_error_invalid(&req->err, &(struct kind){ .group = "meta.k8s.io", .kind = "DeleteOptions",
							     .qualified_kind = "DeleteOptions.meta.k8s.io" },
				  "", &errs);
		goto out;
	}
	const cJSON *dry = json_getv(req->body, "dryRun", NULL), *d;
	cJSON_ArrayForEach(d, dry)
		if (cJSON_IsString(d) && !strcmp(d->valuestring, "All"))
			req->q.dry_run = 1;
	r = 0;
out:
	buf_release(&err);
	return r;
}

/* Checks DeleteOptions.preconditions against the current object. Returns 0 or fills req->err. */
static int check_preconditions(struct api_req *req, const struct store_kv *kv, const cJSON *cur)
{
	const cJSON *pre = json_obj(req->body, "preconditions");
	const char *uid = json_str(pre, "uid"), *rv = json_str(pre, "resourceVersion");
	const char *cur_uid = json_strv(cur, "metadata", "uid", NULL);
	char cur_rv[24];
	snprintf(cur_rv, sizeof(cur_rv), "%lld", (long long)kv->mod_rev);
	if (uid && cur_uid && strcmp(uid, cur_uid)) {
		api_error_conflict(&req->err, req->kind, req->name, NULL);
		free(req->err.message);
		req->err.message = xasprintf("Precondition failed: UID in precondition: %s, UID in object meta: %s",
					     uid, cur_uid);
		return -1;
	}
	if (rv && strcmp(rv, cur_rv)) {
		api_error_conflict(&req->err, req->kind, req->name, NULL);
		free(req->err.message);
		req->err.message = xasprintf("Precondition failed: ResourceVersion in precondition: %s, "
					     "ResourceVersion in object meta: %s",
					     rv, cur_rv);
		return -1;
	}
	return 0;
}

static int has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

static void remove_string(cJSON *arr, const char *s)
{
	for (cJSON *e = arr ? arr->child : NULL, *next; e; e = next) {
		next = e->next;
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, e));
	}
}

/* Records the propagation policy as finalizers. Returns 1 if they changed. */
static int policy_finalizers(cJSON *meta, const char *policy)
{
	if (!policy)
		return 0;
	cJSON *fin = cJSON_GetObjectItemCaseSensitive(meta, "finalizers");
	int had_orphan = has_string(fin, "orphan"), had_fg = has_string(fin, "foregroundDeletion");
	int want_orphan = !strcmp(policy, "Orphan"), want_fg = !strcmp(policy, "Foreground");
	if (had_orphan == want_orphan && had_fg == want_fg)
		return 0;
	if (!cJSON_IsArray(fin)) {
		fin = cJSON_CreateArray();
		json_set(meta, "finalizers", fin);
	}
	if (had_orphan && !want_orphan)
		remove_string(fin, "orphan");
	if (had_fg && !want_fg)
		remove_string(fin, "foregroundDeletion");
	if (want_orphan && !had_orphan)
		cJSON_AddItemToArray(fin, cJSON_CreateString("orphan"));
	if (want_fg && !had_fg)
		cJSON_AddItemToArray(fin, cJSON_CreateString("foregroundDeletion"));
	if (!cJSON_GetArraySize(fin))
		json_del(meta, "finalizers");
	return 1;
}

/* The grace period of a pod's deletion (upstream's pod CheckGracefulDelete). */
static int64_t pod_grace(const cJSON *pod, const struct delete_opts *o)
{
	int64_t g = 0;
	const char *node = json_strv(pod, "spec", "nodeName", NULL);
	const char *phase = json_strv(pod, "status", "phase", NULL);
	if (o->has_grace)
		g = o->grace;
	else if (json_int(json_obj(pod, "spec"), "terminationGracePeriodSeconds", &g) < 0)
		g = 30;
	if (!node || !*node || (phase && (!strcmp(phase, "Failed") || !strcmp(phase, "Succeeded"))))
		g = 0;
	return g < 0 ? 0 : g;
}

static void set_deletion(cJSON *meta, int64_t grace)
{
	char ts[21];
	format_rfc3339(wall_seconds() + grace, ts);
	json_set_str(meta, "deletionTimestamp", ts);
	json_set_int(meta, "deletionGracePeriodSeconds", grace);
}

static int is_kind(const struct kind *k, const char *group, const char *kind)
{
	return !strcmp(k->group, group) && !strcmp(k->kind, kind);
}

enum outcome { DELETE_NOW, MARK, ALREADY };

/* Decides what a delete does to obj (changing it when it is to be marked). Returns the outcome,
 * or -1 with req->err set. */
static int decide(struct api_req *req, cJSON *obj, const struct delete_opts *o)
{
	cJSON *meta = json_obj_force(obj, "metadata");
	int pending = json_str(meta, "deletionTimestamp") != NULL;
	int fin_changed = policy_finalizers(meta, o->policy);
	int has_fin = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(meta, "finalizers")) > 0;
	if (is_kind(req->kind, "", "Namespace")) {
		if (!pending) {
			set_deletion(meta, 0);
			json_del(meta, "deletionGracePeriodSeconds");
			json_set_str(json_obj_force(obj, "status"), "phase", "Terminating");
			return MARK;
		}
		if (cJSON_GetArraySize(json_getv(obj, "spec", "finalizers", NULL))) {
			api_error_conflict(&req->err, req->kind, req->name,
					   "The system is ensuring all content is removed from this namespace.  Upon "
					   "completion, this namespace will automatically be purged by the system.");
			return -1;
		}
		return has_fin ? (fin_changed ? MARK : ALREADY) : DELETE_NOW;
	}
	if (pending) {
		int64_t cur = 0;
		json_int(meta, "deletionGracePeriodSeconds", &cur);
		if (is_kind(req->kind, "", "Pod") && o->has_grace && o->grace < cur) {
			int64_t g = o->grace < 0 ? 0 : o->grace;
			if (g == 0 && !has_fin)
				return DELETE_NOW;
			set_deletion(meta, g);
			return MARK;
		}
		return fin_changed ? MARK : ALREADY;
	}
	if (is_kind(req->kind, "apiextensions.k8s.io", "CustomResourceDefinition"))
		crd_mark_deleting(obj), has_fin = 1; /* its custom resources go first (ctrl_crd.c) */
	int64_t grace = is_kind(req->kind, "", "Pod") ? pod_grace(obj, o) : 0;
	if (grace > 0 || has_fin) {
		set_deletion(meta, grace);
		return MARK;
	}
	return DELETE_NOW;
}

static void delete_attempt(struct api_req *req)
{
	struct buf key = BUF_INIT;
	struct delete_opts o;
	struct store_kv *kv = api_lookup(req, req->name);
	cJSON_Delete(req->body);
	req->body = NULL;
	if (delete_options(req, &o) < 0)
		goto fail;
	if (!kv) {
		api_error_not_found(&req->err, req->kind, req->name);
		goto fail;
	}
	cJSON_Delete(req->obj);
	req->obj = obj_parse_as(req->kind, kv);
	if (check_preconditions(req, kv, req->obj) < 0)
		goto fail;
	int outcome = decide(req, req->obj, &o);
	if (outcome < 0)
		goto fail;
	if (outcome == ALREADY) {
		api_reply_kv(req, 200, kv);
		return;
	}
	if (req->q.dry_run) {
		api_reply_dry_run(req, 200, NULL);
		return;
	}
	req->expect_rev = kv->mod_rev;
	kind_key(req->kind, req->ns, req->name, &key);
	if (outcome == MARK)
		api_write(req, STORE_UPDATE, key.data, 200, delete_attempt);
	else
		api_write(req, STORE_DELETE, key.data, req->kind->flags & KIND_RETURN_DELETED ? 200 : 0, delete_attempt);
	buf_release(&key);
	return;
fail:
	buf_release(&key);
	api_fail(req);
}

void api_delete(struct api_req *req)
{
	if (admission_delete(req) < 0) {
		api_fail(req);
		return;
	}
	delete_attempt(req);
}

int api_delete_on_update(const struct kind *k, const cJSON *obj, const cJSON *old)
{
	int64_t grace = 0;
	const cJSON *ometa = json_obj(old, "metadata");
	if (cJSON_GetArraySize(json_getv(obj, "metadata", "finalizers", NULL)) || !json_str(ometa, "deletionTimestamp"))
		return 0;
	if (is_kind(k, "", "Namespace") && cJSON_GetArraySize(json_getv(obj, "spec", "finalizers", NULL)))
		return 0;
	json_int(ometa, "deletionGracePeriodSeconds", &grace);
	return grace == 0;
}
