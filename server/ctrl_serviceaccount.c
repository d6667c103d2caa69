/*
 * ctrl_serviceaccount.c - the ServiceAccount controller and the root CA publisher: every
 * active namespace has a "default" ServiceAccount (made again if deleted) and a ConfigMap
 * kube-root-ca.crt whose ca.crt is the cluster CA (put back if changed or deleted), as
 * upstream's serviceaccount-controller and root-ca-cert-publisher do.
 *
 * DESIGN
 * One work queue of namespace names, fed by namespace changes and by deletions or changes of
 * the two objects it keeps. A sync looks the namespace up: a namespace being deleted gets
 * nothing (its content is going); one that is not Active gets no ServiceAccount (as upstream);
 * otherwise each missing or different object is written. Answers that say the object already
 * exists or the namespace is going are not failures.
 */
#include "server/rollout.h"
#include "server/workload.h"

#include <stdlib.h>
#include <string.h>

#define SA_COMPONENT "service-account-controller"
#define CA_COMPONENT "root-ca-cert-publisher"
#define SA_NAME "default"
#define CM_NAME "kube-root-ca.crt"
#define DESCRIPTION_KEY "kubernetes.io/description"
#define DESCRIPTION                                                                                         \
	"Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints " \
	"such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "   \
	"distributions of Kubernetes clusters."

struct sac {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct informer *ns;
	struct informer *sa;
	struct informer *cm;
	const struct kind *sak;
	const struct kind *cmk;
	const char *ca; /* the cluster CA certificate (PEM), the server's */
};

static void ensure_sa(struct sac *c, struct wl_sync *s, const char *ns)
{
	if (informer_get(c->sa, ns, SA_NAME))
		return;
	cJSON *sa = cJSON_CreateObject();
	json_set_str(sa, "apiVersion", "v1");
	json_set_str(sa, "kind", "ServiceAccount");
	json_set_str(json_obj_force(sa, "metadata"), "name", SA_NAME);
	ctrl_create(c->m, SA_COMPONENT, c->sak, ns, sa, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	cJSON_Delete(sa);
}

/* Is the ConfigMap as the publisher keeps it (data exactly ca.crt, the description set)? */
static int cm_current(const struct sac *c, const cJSON *cm)
{
	const cJSON *data = json_obj(cm, "data");
	const char *ca = json_str(data, "ca.crt"), *desc = json_strv(cm, "metadata", "annotations", DESCRIPTION_KEY, NULL);
	return ca && !strcmp(ca, c->ca) && cJSON_GetArraySize(data) == 1 && desc && *desc;
}

static void ensure_cm(struct sac *c, struct wl_sync *s, const char *ns)
{
	struct store_kv *kv = informer_get(c->cm, ns, CM_NAME);
	cJSON *cm = kv ? obj_parse(kv) : cJSON_CreateObject();
	if (kv && cm_current(c, cm)) {
		cJSON_Delete(cm);
		return;
	}
	cJSON *meta = json_obj_force(cm, "metadata"), *data = cJSON_CreateObject();
	json_set_str(cm, "apiVersion", "v1");
	json_set_str(cm, "kind", "ConfigMap");
	json_set_str(meta, "name", CM_NAME);
	json_set_str(json_obj_force(meta, "annotations"), DESCRIPTION_KEY, DESCRIPTION);
	json_set_str(data, "ca.crt", c->ca);
	json_set(cm, "data", data);
	if (kv)
		ctrl_update(c->m, CA_COMPONENT, c->cmk, ns, CM_NAME, NULL, cm, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	else
		ctrl_create(c->m, CA_COMPONENT, c->cmk, ns, cm, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	cJSON_Delete(cm);
}

static void sa_sync(struct workqueue *q, const char *key, void *data)
{
	struct sac *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	struct store_kv *kv = informer_get(c->ns, NULL, key);
	cJSON *ns = kv ? obj_parse(kv) : NULL;
	if (ns && !wl_deleting(ns)) {
		const char *phase = json_strv(ns, "status", "phase", NULL);
		if (!phase || !strcmp(phase, "Active"))
			ensure_sa(c, s, key);
		ensure_cm(c, s, key);
	}
	cJSON_Delete(ns);
	wl_sync_end(s);
}

static void on_ns(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct sac *c = data;
	UNUSED(old);
	if (ev != INF_DELETE)
		workqueue_add(c->q, obj_kv_name(kv));
}

/* A change of one of the kept objects (named name) queues its namespace. */
static void on_kept(const struct store_kv *kv, struct sac *c, const char *name)
{
	const char *ns = obj_field(kv->attrs, "metadata.namespace");
	if (ns && !strcmp(obj_kv_name(kv), name))
		workqueue_add(c->q, ns);
}

static void on_sa(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	UNUSED(old);
	if (ev == INF_DELETE)
		on_kept(kv, data, SA_NAME);
}

static void on_cm(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	UNUSED(old);
	if (ev != INF_ADD)
		on_kept(kv, data, CM_NAME);
}

static int queue_ns(struct store_kv *kv, void *data)
{
	struct sac *c = data;
	workqueue_add(c->q, obj_kv_name(kv));
	return 0;
}

static void sac_stop(void *data)
{
	free(data);
}

void ctrl_serviceaccount_start(struct ctrl_mgr *m)
{
	struct sac *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->ca = ctrl_server(m)->ca_pem ? ctrl_server(m)->ca_pem : "";
	c->sak = kind_by_resource("", "v1", "serviceaccounts");
	c->cmk = kind_by_resource("", "v1", "configmaps");
	c->q = workqueue_new(m, "serviceaccount", 2, sa_sync, c);
	c->ns = informer_of(m, kind_by_resource("", "v1", "namespaces"));
	c->sa = informer_of(m, c->sak);
	c->cm = informer_of(m, c->cmk);
	informer_on(c->ns, on_ns, c);
	informer_on(c->sa, on_sa, c);
	informer_on(c->cm, on_cm, c);
	informer_list(c->ns, NULL, NULL, queue_ns, c);
	ctrl_on_stop(m, sac_stop, c);
}
