/*
 * nodes_util.c - the pod, taint and disruption-budget rules that node lifecycle, eviction, the
 * disruption controller, endpoints and PodGC share (nodes.h), written once after upstream's
 * podutil, v1helper and pdbhelper.
 */
#include "server/nodes.h"

#include <stdlib.h>
#include <string.h>

/* ---- batches of writes ------------------------------------------------------------------------ */

struct nodes_batch {
	struct workqueue *q;
	char *key;
	int pending; /* writes not answered, plus one until nodes_batch_end */
	int err;
};

struct nodes_batch *nodes_batch_new(struct workqueue *q, const char *key)
{
	struct nodes_batch *b = xcalloc(1, sizeof(*b));
	b->q = q;
	b->key = xstrdup(key);
	b->pending = 1;
	return b;
}

struct nodes_batch *nodes_batch_write(struct nodes_batch *b)
{
	b->pending++;
	return b;
}

static void batch_release(struct nodes_batch *b)
{
	if (--b->pending > 0)
		return;
	workqueue_done(b->q, b->key, b->err);
	free(b->key);
	free(b);
}

void nodes_batch_cb(int code, const char *body, size_t len, void *data)
{
	struct nodes_batch *b = data;
	if ((code < 200 || code >= 300) && code != 404) {
		if (code != 409)
			log_warn("%s: a write failed (%d): %.*s", b->key, code, (int)MIN(len, 300), body);
		b->err = -1;
	}
	batch_release(b);
}

void nodes_batch_fail(struct nodes_batch *b)
{
	b->err = -1;
}

void nodes_batch_end(struct nodes_batch *b)
{
	batch_release(b);
}

/* ---- pods ------------------------------------------------------------------------------------ */

cJSON *nodes_condition(const cJSON *obj, const char *type)
{
	cJSON *c;
	cJSON_ArrayForEach(c, json_getv(obj, "status", "conditions", NULL))
	{
		const char *t = json_str(c, "type");
		if (t && !strcmp(t, type))
			return c;
	}
	return NULL;
}

int nodes_pod_terminal(const cJSON *pod)
{
	const char *phase = json_strv(pod, "status", "phase", NULL);
	return phase && (!strcmp(phase, "Succeeded") || !strcmp(phase, "Failed"));
}

static int same_str(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

int nodes_set_pod_condition(cJSON *pod, const char *type, const char *status, const char *reason,
			    const char *message)
{
	char now[21];
	cJSON *c = nodes_condition(pod, type);
	format_rfc3339(wall_seconds(), now);
	if (!c) {
		cJSON *st = json_obj_force(pod, "status"), *list = cJSON_GetObjectItemCaseSensitive(st, "conditions");
		if (!cJSON_IsArray(list)) {
			list = cJSON_CreateArray();
			json_set(st, "conditions", list);
		}
		c = cJSON_CreateObject();
		json_set_str(c, "type", type);
		cJSON_AddItemToArray(list, c);
	} else if (same_str(json_str(c, "status"), status) && (!reason || same_str(json_str(c, "reason"), reason)) &&
		   (!message || same_str(json_str(c, "message"), message))) {
		return 0;
	}
	if (!same_str(json_str(c, "status"), status) || !json_str(c, "lastTransitionTime"))
		json_set_str(c, "lastTransitionTime", now);
	json_set_str(c, "status", status);
	if (reason)
		json_set_str(c, "reason", reason);
	if (message)
		json_set_str(c, "message", message);
	return 1;
}

struct on_node {
	const char *node;
	store_range_cb *fn;
	void *data;
};

static int on_node(struct store_kv *kv, void *data)
{
	struct on_node *o = data;
	const char *n = obj_field(kv->attrs, "spec.nodeName");
	return n && !strcmp(n, o->node) ? o->fn(kv, o->data) : 0;
}

int nodes_pods_on(struct informer *pods, const char *node, store_range_cb *fn, void *data)
{
	struct on_node o = { node, fn, data };
	return informer_list(pods, NULL, NULL, on_node, &o);
}

int64_t nodes_meta_time(const cJSON *obj, const char *field)
{
	int64_t t = 0;
	const char *s = json_strv(obj, "metadata", field, NULL);
	if (!s || parse_rfc3339(s, &t) < 0)
		return 0;
	return t;
}

/* ---- taints ---------------------------------------------------------------------------------- */

int nodes_tolerates(const cJSON *tol, const cJSON *taint)
{
	const char *effect = json_str(tol, "effect"), *key = json_str(tol, "key"), *op = json_str(tol, "operator");
	if (effect && *effect && !same_str(effect, json_str(taint, "effect")))
		return 0;
	if (key && *key && !same_str(key, json_str(taint, "key")))
		return 0;
	if (!op || !*op || !strcmp(op, "Equal"))
		return same_str(json_str(tol, "value"), json_str(taint, "value"));
	return !strcmp(op, "Exists");
}

/* ---- disruption budgets ------------------------------------------------------------------------ */

void pdb_update_condition(cJSON *pdb)
{
	cJSON *st = json_obj_force(pdb, "status"), *list = cJSON_GetObjectItemCaseSensitive(st, "conditions"), *c = NULL, *e;
	int64_t allowed = 0, gen = 0;
	char now[21];
	json_int(st, "disruptionsAllowed", &allowed);
	json_int(st, "observedGeneration", &gen);
	const char *status = allowed > 0 ? "True" : "False";
	const char *reason = allowed > 0 ? "SufficientPods" : "InsufficientPods";
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(st, "conditions", list);
	}
	cJSON_ArrayForEach(e, list)
		if (same_str(json_str(e, "type"), "DisruptionAllowed"))
			c = e;
	format_rfc3339(wall_seconds(), now);
	if (!c) {
		c = cJSON_CreateObject();
		json_set_str(c, "type", "DisruptionAllowed");
		json_set_str(c, "message", "");
		json_set_str(c, "lastTransitionTime", now);
		cJSON_AddItemToArray(list, c);
	} else if (!same_str(json_str(c, "status"), status)) {
		json_set_str(c, "lastTransitionTime", now);
	}
	json_set_str(c, "status", status);
	json_set_str(c, "reason", reason);
	if (gen)
		json_set_int(c, "observedGeneration", gen);
	else
		json_del(c, "observedGeneration");
}

int pdb_covers(const cJSON *pdb, const cJSON *pod)
{
	struct selector sel;
	const cJSON *s = json_getv(pdb, "spec", "selector", NULL);
	int ok = 0;
	if (!cJSON_IsObject(s) || selector_from_json(s, &sel, NULL) < 0)
		return 0;
	if (sel.nreqs && !sel.nothing)
		ok = selector_matches(&sel, sel_lookup_json, json_getv(pod, "metadata", "labels", NULL));
	selector_release(&sel);
	return ok;
}
