/*
 * ctrl_quota.c - the resource quota controller: each ResourceQuota's status.hard is its
 * spec.hard and status.used the namespace's current use of each of those resources, as
 * upstream's resourcequota-controller keeps them.
 *
 * DESIGN
 * One work queue of quota keys ("ns/name"). A quota is queued when it changes, and so is
 * every quota of a namespace when an object of a namespaced kind changes there (the informers
 * of every stored namespaced kind feed one handler; a namespace without quotas costs one
 * lookup). A sync computes the use with quota_usage (admission_limits.c, the same count the
 * ResourceQuota admission enforces) and writes the status when it differs, conditional on the
 * quota's resourceVersion; resources kube does not count are shown as used 0.
 */
#include "server/quantity.h"
#include "server/workload.h"

#include <stdlib.h>
#include <string.h>

#define COMPONENT "resourcequota-controller"

struct quota_ctrl {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct informer *quotas;
	const struct kind *qk;
};

/* The status the quota should have: hard from spec.hard, used counted now. Caller frees. */
static cJSON *quota_status(struct quota_ctrl *c, const cJSON *quota, const char *ns)
{
	cJSON *st = cJSON_CreateObject(), *hard = cJSON_CreateObject(), *used = cJSON_CreateObject();
	const cJSON *h;
	cJSON_ArrayForEach(h, json_getv(quota, "spec", "hard", NULL)) {
		struct quantity u;
		struct buf out = BUF_INIT;
		cJSON_AddItemToObject(hard, h->string, cJSON_Duplicate(h, 1));
		quota_usage(ctrl_server(c->m)->store, ns, h->string, quota, &u);
		quantity_format(&u, &out);
		json_set_str(used, h->string, out.data ? out.data : "0");
		buf_release(&out);
	}
	json_set(st, "hard", hard);
	json_set(st, "used", used);
	return st;
}

static void quota_sync(struct workqueue *q, const char *key, void *data)
{
	struct quota_ctrl *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->quotas, ns, name);
	cJSON *quota = kv ? obj_parse(kv) : NULL;
	if (quota && !wl_deleting(quota)) {
		cJSON *st = quota_status(c, quota, ns);
		const cJSON *cur = json_obj(quota, "status");
		if (!cJSON_Compare(st, cur, 1)) {
			json_set(quota, "status", st);
			st = NULL;
			ctrl_update(c->m, COMPONENT, c->qk, ns, name, "status", quota, wl_sync_cb,
				    wl_sync_expect(s, wl_answer_strict, NULL));
		}
		cJSON_Delete(st);
	}
	cJSON_Delete(quota);
	wl_sync_end(s);
}

static int queue_quota(struct store_kv *kv, void *data)
{
	wl_enqueue(data, kv);
	return 0;
}

/* Any namespaced object changed: its namespace's quotas are recounted. */
static void on_object(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct quota_ctrl *c = data;
	const char *ns = obj_field(kv->attrs, "metadata.namespace");
	UNUSED(ev);
	UNUSED(old);
	if (ns && *ns)
		informer_list(c->quotas, ns, NULL, queue_quota, c->q);
}

static void quota_stop(void *data)
{
	free(data);
}

void ctrl_quota_start(struct ctrl_mgr *m)
{
	struct quota_ctrl *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->qk = kind_by_resource("", "v1", "resourcequotas");
	c->q = workqueue_new(m, "resourcequota", 2, quota_sync, c);
	c->quotas = informer_of(m, c->qk);
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if ((k->flags & KIND_NAMESPACED) && !k->view && !(k->flags & KIND_VIRTUAL))
			informer_on(informer_of(m, k), on_object, c);
	}
	informer_list(c->quotas, NULL, NULL, queue_quota, c->q);
	ctrl_on_stop(m, quota_stop, c);
}
