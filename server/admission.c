/*
 * admission.c - the built-in mutating admission of new objects, as upstream's default plugins:
 *   - ServiceAccount: a pod without spec.serviceAccountName runs as "default";
 *   - DefaultTolerationSeconds: a pod tolerates node.kubernetes.io/not-ready and
 *     node.kubernetes.io/unreachable (NoExecute) for 300 s unless it says otherwise;
 *   - Priority: a pod without a priority class gets priority 0 and PreemptLowerPriority.
 * NamespaceLifecycle (no new content in a terminating or missing namespace) is in api.c, where
 * the namespace is looked up. TODO(issue 4): ServiceAccount's token volume (projected tokens).
 */
#include "internal.h"

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

void admission_create(struct api_req *req, cJSON *obj)
{
	if (strcmp(req->kind->group, "") || strcmp(req->kind->kind, "Pod"))
		return;
	cJSON *spec = json_obj_force(obj, "spec");
	const char *sa = json_str(spec, "serviceAccountName");
	if (!sa || !*sa)
		json_set_str(spec, "serviceAccountName", json_str(spec, "serviceAccount") ? json_str(spec, "serviceAccount") : "default");
	json_set_str(spec, "serviceAccount", json_str(spec, "serviceAccountName"));
	default_toleration(spec, "node.kubernetes.io/not-ready");
	default_toleration(spec, "node.kubernetes.io/unreachable");
	if (!json_str(spec, "priorityClassName") && !cJSON_GetObjectItemCaseSensitive(spec, "priority"))
		json_set_int(spec, "priority", 0);
	if (!json_str(spec, "preemptionPolicy"))
		json_set_str(spec, "preemptionPolicy", "PreemptLowerPriority");
}
