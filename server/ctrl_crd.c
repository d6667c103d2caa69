/*
 * ctrl_crd.c - the CustomResourceDefinition controllers: the names and established
 * controllers (status.acceptedNames, conditions NamesAccepted and Established) and the
 * finalizer that deletes a CRD's custom resources before the CRD goes.
 *
 * DESIGN
 * One work queue keyed by CRD name. A sync of a CRD that is not being deleted accepts its names
 * unless another CRD of the group uses the plural or kind (crd_conflict), and writes the
 * status when it changed. A CRD being deleted with the customresourcecleanup finalizer has its
 * custom resources deleted (every namespace, through the internal client, so their own
 * finalizers are honoured); it is synced again shortly until none is left, then the finalizer
 * is removed and the generic delete path removes the CRD, whose kinds crd_serve.c then stops
 * serving.
 */
#include "server/crd.h"
#include "server/ctrl.h"

#include <stdlib.h>
#include <string.h>

#define MANAGER "kube-apiserver"
#define RECHECK_MS 200

struct crd_ctrl {
	struct ctrl_mgr *m;
	const struct kind *k;
	struct informer *inf;
	struct workqueue *q;
	int busy, stopped;
};

struct crd_write {
	struct crd_ctrl *c;
	char *key;
};

static void ctrl_free_if_done(struct crd_ctrl *c)
{
	if (c->stopped && !c->busy)
		free(c);
}

static void written(int code, const char *body, size_t len, void *data)
{
	struct crd_write *w = data;
	(void)body, (void)len;
	if (!w->c->stopped)
		workqueue_done(w->c->q, w->key, code >= 300 && code != 404 && code != 409);
	w->c->busy--;
	ctrl_free_if_done(w->c);
	free(w->key);
	free(w);
}

static struct crd_write *write_ctx(struct crd_ctrl *c, const char *key)
{
	struct crd_write *w = xcalloc(1, sizeof(*w));
	w->c = c;
	w->key = xstrdup(key);
	c->busy++;
	return w;
}

/* The names and Established conditions; returns 1 if obj's status changed. */
static int accept_names(cJSON *obj)
{
	cJSON *spec = json_obj(obj, "spec"), *st = json_obj_force(obj, "status");
	const char *other = crd_conflict(obj);
	int changed;
	if (other) {
		char *msg = xasprintf("\"%s\" is already in use", json_strv(spec, "names", "plural", NULL));
		changed = crd_set_condition(obj, "NamesAccepted", "False", "NameConflict", msg);
		changed |= crd_set_condition(obj, "Established", "False", "NotAccepted", "not all names are accepted");
		free(msg);
		return changed;
	}
	changed = crd_set_condition(obj, "NamesAccepted", "True", "NoConflicts", "no conflicts found");
	changed |= crd_set_condition(obj, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted");
	const cJSON *names = json_obj(spec, "names");
	if (names && !cJSON_Compare(names, json_obj(st, "acceptedNames"), 1)) {
		json_set(st, "acceptedNames", cJSON_Duplicate(names, 1));
		changed = 1;
	}
	return changed;
}

struct cleanup {
	struct crd_ctrl *c;
	const struct kind *k;
	const char *key;
	size_t left;
};

static int delete_one(struct store_kv *kv, void *data)
{
	struct cleanup *cl = data;
	cJSON *obj = obj_parse(kv);
	cl->left++;
	if (obj && !json_strv(obj, "metadata", "deletionTimestamp", NULL))
		ctrl_delete(cl->c->m, cl->k, json_strv(obj, "metadata", "namespace", NULL), obj_kv_name(kv),
			    json_strv(obj, "metadata", "uid", NULL), NULL, NULL, NULL);
	cJSON_Delete(obj);
	return 0;
}

/* Deletes the custom resources of a CRD being deleted, then removes its finalizer. */
static void cleanup(struct crd_ctrl *c, const char *key, cJSON *obj)
{
	struct store *st = ctrl_server(c->m)->store;
	char *prefix = xasprintf("/registry/%s/%s/", json_strv(obj, "spec", "group", NULL),
				 json_strv(obj, "spec", "names", "plural", NULL));
	struct cleanup cl = { c, kind_by_key(prefix), key, 0 };
	if (cl.k)
		store_range(st, prefix, NULL, delete_one, &cl);
	free(prefix);
	if (cl.k && cl.left) {
		workqueue_done(c->q, key, 0);
		workqueue_add_after(c->q, key, RECHECK_MS);
		return;
	}
	cJSON *fins = json_getv(obj, "metadata", "finalizers", NULL), *f, *next;
	for (f = fins ? fins->child : NULL; f; f = next) {
		next = f->next;
		if (cJSON_IsString(f) && !strcmp(f->valuestring, CRD_FINALIZER))
			cJSON_Delete(cJSON_DetachItemViaPointer(fins, f));
	}
	ctrl_update(c->m, MANAGER, c->k, NULL, key, NULL, obj, written, write_ctx(c, key));
}

static void sync_crd(struct workqueue *q, const char *key, void *data)
{
	struct crd_ctrl *c = data;
	struct store_kv *kv = informer_get(c->inf, NULL, key);
	cJSON *obj = kv ? obj_parse(kv) : NULL;
	const cJSON *fins = json_getv(obj, "metadata", "finalizers", NULL), *f;
	int finalizing = 0;
	cJSON_ArrayForEach(f, fins)
		finalizing |= cJSON_IsString(f) && !strcmp(f->valuestring, CRD_FINALIZER);
	if (obj && json_strv(obj, "metadata", "deletionTimestamp", NULL) && finalizing)
		cleanup(c, key, obj);
	else if (obj && !json_strv(obj, "metadata", "deletionTimestamp", NULL) && accept_names(obj))
		ctrl_update(c->m, MANAGER, c->k, NULL, key, "status", obj, written, write_ctx(c, key));
	else
		workqueue_done(q, key, 0);
	cJSON_Delete(obj);
}

static void on_crd(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct crd_ctrl *c = data;
	(void)ev, (void)old;
	workqueue_add(c->q, obj_kv_name(kv));
}

static int initial(struct store_kv *kv, void *data)
{
	on_crd(INF_ADD, kv, NULL, data);
	return 0;
}

static void on_stop(void *data)
{
	struct crd_ctrl *c = data;
	c->stopped = 1;
	ctrl_free_if_done(c);
}

void ctrl_crd_start(struct ctrl_mgr *m)
{
	struct crd_ctrl *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->k = kind_by_resource("apiextensions.k8s.io", "v1", "customresourcedefinitions");
	c->inf = informer_of(m, c->k);
	c->q = workqueue_new(m, "crd", 2, sync_crd, c);
	informer_on(c->inf, on_crd, c);
	ctrl_on_stop(m, on_stop, c);
	informer_list(c->inf, NULL, NULL, initial, c);
}
