/*
 * admission.c - the built-in mutating admission of new objects, as upstream's default plugins:
 *   - ServiceAccount: a pod without spec.serviceAccountName runs as "default";
 *   - DefaultTolerationSeconds: a pod tolerates node.kubernetes.io/not-ready and
 *     node.kubernetes.io/unreachable (NoExecute) for 300 s unless it says otherwise;
 *   - Priority: a pod gets spec.priority and spec.preemptionPolicy from its PriorityClass (or the
 *     global default class; 0 and PreemptLowerPriority without one), and PriorityClasses are
 *     checked for a second global default and for deletes of the system classes
 *     (sched_priority.c).
 * On an update, DefaultTolerationSeconds runs again and Priority keeps the pod's spec.priority and spec.preemptionPolicy when the new
 * object leaves them out (they were set at create: `kubectl replace -f` of the original file).
 * NamespaceLifecycle: default, kube-system and kube-public may not be deleted (here); no new
 * content in a terminating or missing namespace (api.c, where the namespace is looked up). TODO(issue 4): ServiceAccount's token volume (projected tokens).
 */
#include "internal.h"
#include "server/sched.h"

#include <stdlib.h>
#include <string.h>

static int tolerates(const cJSON *tolerations, const char *key)
{
	const cJSON *t;
	cJSON_ArrayForEach(t, tolerations)
	{
		const char *k = json_str(t, "key"), *e = json_str(t, "effect"), *op = json_str(t, "operator");
		int key_ok = (k && !strcmp(k, key)) || ((!k || !*k) && op && !strcmp(op, "Exists"));
		int effect_ok = !e || !*e || !strcmp(e, "NoExecute");
		if (key_ok && effect_ok)
			return 1;
	}
	return 0;
}

static void default_toleration(cJSON *spec, const char *key)
{
	cJSON *tol = json_getv(spec, "tolerations", NULL);
	if (tolerates(tol, key))
		return;
	if (!cJSON_IsArray(tol)) {
		tol = cJSON_CreateArray();
		json_set(spec, "tolerations", tol);
	}
	cJSON *t = cJSON_CreateObject();
	json_set_str(t, "key", key);
	json_set_str(t, "operator", "Exists");
	json_set_str(t, "effect", "NoExecute");
	json_set_int(t, "tolerationSeconds", 300);
	cJSON_AddItemToArray(tol, t);
}

static int is_priority_class(const struct api_req *req)
{
	return !strcmp(req->kind->group, "scheduling.k8s.io") && !strcmp(req->kind->kind, "PriorityClass");
}

int admission_create(struct api_req *req, cJSON *obj)
{
	if (!strcmp(req->kind->group, "certificates.k8s.io") && !strcmp(req->kind->kind, "CertificateSigningRequest"))
		csr_set_requester(obj, &req->user);
	if (strcmp(req->kind->group, "") || strcmp(req->kind->kind, "Pod"))
		return 0;
	cJSON *spec = json_obj_force(obj, "spec");
	const char *sa = json_str(spec, "serviceAccountName");
	if (!sa || !*sa)
		json_set_str(spec, "serviceAccountName", json_str(spec, "serviceAccount") ? json_str(spec, "serviceAccount") : "default");
	json_set_str(spec, "serviceAccount", json_str(spec, "serviceAccountName"));
	default_toleration(spec, "node.kubernetes.io/not-ready");
	default_toleration(spec, "node.kubernetes.io/unreachable");
	return priority_admit_pod(req, obj);
}

void admission_update(struct api_req *req, cJSON *obj, const cJSON *old)
{
	static const char *const kept[] = { "priority", "preemptionPolicy" };
	if (strcmp(req->kind->group, "") || strcmp(req->kind->kind, "Pod") || req->sub)
		return;
	cJSON *spec = json_obj_force(obj, "spec");
	const cJSON *ospec = json_obj(old, "spec");
	/* DefaultTolerationSeconds runs on updates too, as upstream's */
	default_toleration(spec, "node.kubernetes.io/not-ready");
	default_toleration(spec, "node.kubernetes.io/unreachable");
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ospec, kept[i]);
		if (v && !cJSON_GetObjectItemCaseSensitive(spec, kept[i]))
			json_set(spec, kept[i], cJSON_Duplicate(v, 1));
	}
}

int admission_validate(struct api_req *req, const cJSON *obj, const cJSON *old)
{
	return is_priority_class(req) ? priority_admit_class(req, obj, old) : 0;
}

int admission_delete(struct api_req *req)
{
	static const char *const immortal[] = { "default", "kube-system", "kube-public" };
	if (!strcmp(req->kind->group, "") && !strcmp(req->kind->kind, "Namespace") && req->name)
		for (size_t i = 0; i < ARRAY_SIZE(immortal); i++)
			if (!strcmp(req->name, immortal[i])) {
				api_error_set(&req->err, 403, "Forbidden", "%s \"%s\" is forbidden: this namespace may not be deleted",
					      req->kind->qualified, req->name);
				free(req->err.name);
				req->err.name = xstrdup(req->name);
				req->err.kind = req->kind->plural;
				req->err.group = req->kind->group;
				return -1;
			}
	return is_priority_class(req) ? priority_check_delete(req) : 0;
}
