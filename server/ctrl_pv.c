/*
 * ctrl_pv.c - the persistent volume controllers, as upstream's persistentvolume-binder,
 * pv-protection and pvc-protection controllers do it for volumes that exist (no provisioning,
 * no attach/detach):
 *   - a volume without a claim goes Pending -> Available; one whose claim is gone goes Released;
 *   - a Pending claim without spec.volumeName binds to the smallest Available volume that
 *     matches it (storage class, volume mode, access modes, size, selector; a volume pre-bound
 *     to the claim first): the volume gets spec.claimRef and phase Bound, the claim
 *     spec.volumeName, the bind-completed annotations, and phase Bound with the volume's
 *     capacity and access modes; a claim whose volume is gone is Lost;
 *   - a claim being deleted loses its kubernetes.io/pvc-protection finalizer once no running
 *     pod of its namespace uses it, a volume its kubernetes.io/pv-protection finalizer once it
 *     is not Bound (the finalizers are added at create by admission_limits.c).
 *
 * DESIGN
 * Two work queues: volume names and claim keys ("ns/name"). Volume changes queue the volume
 * and the claim it names; claim changes queue the claim and its volume; a pod's change queues
 * the claims its volumes name (for protection). Every write is a merge patch through the
 * internal client conditional on the resourceVersion the sync saw, so a sync racing another
 * change fails with a conflict and is retried on the newer state; the store is the only state.
 */
#include "server/kinds.h"
#include "server/quantity.h"
#include "server/workload.h"

#include <stdlib.h>
#include <string.h>

#define COMPONENT "persistentvolume-controller"
#define PVC_FINALIZER "kubernetes.io/pvc-protection"
#define PV_FINALIZER "kubernetes.io/pv-protection"

struct pvc_ctrl {
	struct ctrl_mgr *m;
	struct workqueue *vq, *cq;
	struct informer *pvs, *pvcs, *pods;
	const struct kind *pvk, *pvck;
};

/* ---- writes ------------------------------------------------------------------------------ */

/* A merge patch {metadata:{resourceVersion}} conditional on obj's version; the caller adds to it. */
static cJSON *patch_of(const cJSON *obj)
{
	cJSON *p = cJSON_CreateObject();
	json_set_str(json_obj_force(p, "metadata"), "resourceVersion", json_strv(obj, "metadata", "resourceVersion", NULL));
	return p;
}

static void pv_send(struct wl_sync *s, const struct kind *k, const cJSON *obj, const char *sub, cJSON *patch)
{
	ctrl_patch(wl_sync_mgr(s), COMPONENT, k, json_strv(obj, "metadata", "namespace", NULL),
		   json_strv(obj, "metadata", "name", NULL), sub, patch, wl_sync_cb,
		   wl_sync_expect(s, wl_answer_strict, NULL));
	cJSON_Delete(patch);
}

/* Does obj carry finalizer f? */
static int has_finalizer(const cJSON *obj, const char *f)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "metadata", "finalizers", NULL))
		if (cJSON_IsString(e) && !strcmp(e->valuestring, f))
			return 1;
	return 0;
}

/* Removes finalizer f from obj (a write of s). */
static void drop_finalizer(struct wl_sync *s, const struct kind *k, const cJSON *obj, const char *f)
{
	cJSON *p = patch_of(obj), *list = cJSON_CreateArray();
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "metadata", "finalizers", NULL))
		if (!cJSON_IsString(e) || strcmp(e->valuestring, f))
			cJSON_AddItemToArray(list, cJSON_Duplicate(e, 1));
	json_set(json_obj(p, "metadata"), "finalizers", list);
	pv_send(s, k, obj, NULL, p);
}

/* Sets status.phase (and lastPhaseTransitionTime for volumes) unless it is already phase. */
static void set_phase(struct wl_sync *s, const struct kind *k, const cJSON *obj, const char *phase, int pv)
{
	const char *cur = json_strv(obj, "status", "phase", NULL);
	char now[21];
	if (cur && !strcmp(cur, phase))
		return;
	cJSON *p = patch_of(obj), *st = json_obj_force(p, "status");
	json_set_str(st, "phase", phase);
	if (pv) {
		wl_now(now);
		json_set_str(st, "lastPhaseTransitionTime", now);
	}
	pv_send(s, k, obj, "status", p);
}

/* ---- matching ---------------------------------------------------------------------------- */

static int quantity_of(const cJSON *v, struct quantity *q)
{
	const char *err;
	return v && quantity_from_json(v, q, &err) == 0 ? 0 : -1;
}

static const char *class_of(const cJSON *obj)
{
	const char *a = json_strv(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class", NULL);
	const char *c = json_strv(obj, "spec", "storageClassName", NULL);
	return a ? a : c ? c : "";
}

static int has_modes(const cJSON *have, const cJSON *want)
{
	const cJSON *w, *h;
	cJSON_ArrayForEach(w, want) {
		int found = 0;
		cJSON_ArrayForEach(h, have)
			found |= cJSON_IsString(h) && cJSON_IsString(w) && !strcmp(h->valuestring, w->valuestring);
		if (!found)
			return 0;
	}
	return 1;
}

static int str_eq_default(const char *a, const char *b, const char *dflt)
{
	return !strcmp(a ? a : dflt, b ? b : dflt);
}

/* Can volume pv (free or pre-bound to the claim) serve claim? */
static int volume_fits(const cJSON *pv, const cJSON *claim, const struct quantity *want)
{
	const cJSON *spec = json_obj(pv, "spec"), *cspec = json_obj(claim, "spec"), *sel = json_obj(cspec, "selector");
	struct quantity have;
	if (wl_deleting(pv) || strcmp(class_of(pv), class_of(claim)) ||
	    !str_eq_default(json_str(spec, "volumeMode"), json_str(cspec, "volumeMode"), "Filesystem") ||
	    !has_modes(json_getv(spec, "accessModes", NULL), json_getv(cspec, "accessModes", NULL)))
		return 0;
	if (quantity_of(json_getv(spec, "capacity", "storage", NULL), &have) < 0 || quantity_cmp(&have, want) < 0)
		return 0;
	return !sel || wl_selector_matches(sel, json_getv(pv, "metadata", "labels", NULL));
}

struct match {
	const cJSON *claim;
	struct quantity want, best_size;
	cJSON *best;
	int prebound;
};

static int consider(struct store_kv *kv, void *data)
{
	struct match *m = data;
	cJSON *pv = obj_parse(kv);
	const cJSON *ref = json_getv(pv, "spec", "claimRef", NULL);
	int mine = ref && !strcmp(json_str(ref, "name") ? json_str(ref, "name") : "", json_strv(m->claim, "metadata", "name", NULL)) &&
		   !strcmp(json_str(ref, "namespace") ? json_str(ref, "namespace") : "", json_strv(m->claim, "metadata", "namespace", NULL));
	struct quantity size;
	if ((ref && !mine) || !volume_fits(pv, m->claim, &m->want) ||
	    quantity_of(json_getv(pv, "spec", "capacity", "storage", NULL), &size) < 0 || (m->prebound && !mine) ||
	    (m->best && !mine && quantity_cmp(&size, &m->best_size) >= 0)) {
		cJSON_Delete(pv);
		return 0;
	}
	cJSON_Delete(m->best);
	m->best = pv;
	m->best_size = size;
	m->prebound = mine;
	return 0;
}

/* ---- binding ----------------------------------------------------------------------------- */

/* The second step of a binding, once the volume names the claim. */
struct bind_step {
	struct pvc_ctrl *c;
	char ns[256], name[256], rv[32]; /* the claim as the sync saw it */
	char pv[256];
};

/* The volume's answer: on success the claim gets spec.volumeName and the bind annotations. */
static void bind_claim(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct bind_step *b = arg;
	struct store_kv *kv = code < 300 ? informer_get(b->c->pvcs, b->ns, b->name) : NULL;
	cJSON *claim = kv ? obj_parse(kv) : NULL;
	UNUSED(body);
	UNUSED(len);
	if (!claim || strcmp(json_strv(claim, "metadata", "resourceVersion", NULL) ? json_strv(claim, "metadata", "resourceVersion", NULL) : "", b->rv)) {
		if (code != 404)
			wl_sync_fail(s); /* the claim changed (or went): the next sync sees the volume reserved */
		cJSON_Delete(claim);
		return;
	}
	cJSON *p = patch_of(claim), *ann = json_obj_force(json_obj(p, "metadata"), "annotations");
	json_set_str(ann, "pv.kubernetes.io/bind-completed", "yes");
	json_set_str(ann, "pv.kubernetes.io/bound-by-controller", "yes");
	json_set_str(json_obj_force(p, "spec"), "volumeName", b->pv);
	pv_send(s, b->c->pvck, claim, NULL, p);
	ctrl_event(b->c->m, COMPONENT, claim, "Normal", "Bound", "Successfully bound to volume %s", b->pv);
	cJSON_Delete(claim);
}

/* Binds claim to pv: first the volume's claimRef (the volume is then reserved), then, once that
 * is written, the claim's volumeName and annotations; the phases follow from the next syncs. */
static void pv_bind(struct pvc_ctrl *c, struct wl_sync *s, const cJSON *claim, const cJSON *pv)
{
	const cJSON *cm = json_obj(claim, "metadata");
	struct bind_step *b = xcalloc(1, sizeof(*b));
	cJSON *p = patch_of(pv), *ref = json_obj_force(json_obj_force(p, "spec"), "claimRef");
	json_set_str(ref, "kind", "PersistentVolumeClaim");
	json_set_str(ref, "namespace", json_str(cm, "namespace"));
	json_set_str(ref, "name", json_str(cm, "name"));
	json_set_str(ref, "uid", json_str(cm, "uid"));
	json_set_str(ref, "apiVersion", "v1");
	json_set_str(ref, "resourceVersion", json_str(cm, "resourceVersion"));
	json_set_str(json_obj_force(json_obj(p, "metadata"), "annotations"), "pv.kubernetes.io/bound-by-controller", "yes");
	b->c = c;
	snprintf(b->ns, sizeof(b->ns), "%s", json_str(cm, "namespace") ? json_str(cm, "namespace") : "");
	snprintf(b->name, sizeof(b->name), "%s", json_str(cm, "name") ? json_str(cm, "name") : "");
	snprintf(b->rv, sizeof(b->rv), "%s", json_str(cm, "resourceVersion") ? json_str(cm, "resourceVersion") : "");
	snprintf(b->pv, sizeof(b->pv), "%s", json_strv(pv, "metadata", "name", NULL));
	ctrl_patch(wl_sync_mgr(s), COMPONENT, c->pvk, NULL, b->pv, NULL, p, wl_sync_cb, wl_sync_expect(s, bind_claim, b));
	cJSON_Delete(p);
}

/* The status of a claim bound to pv: Bound with the volume's capacity and access modes. */
static void claim_bound(struct pvc_ctrl *c, struct wl_sync *s, const cJSON *claim, const cJSON *pv)
{
	const cJSON *st = json_obj(claim, "status"), *spec = json_obj(pv, "spec");
	if (!strcmp(json_str(st, "phase") ? json_str(st, "phase") : "", "Bound"))
		return;
	cJSON *p = patch_of(claim), *nst = json_obj_force(p, "status");
	json_set_str(nst, "phase", "Bound");
	if (json_getv(spec, "accessModes", NULL))
		json_set(nst, "accessModes", cJSON_Duplicate(json_getv(spec, "accessModes", NULL), 1));
	if (json_obj(spec, "capacity"))
		json_set(nst, "capacity", cJSON_Duplicate(json_obj(spec, "capacity"), 1));
	pv_send(s, c->pvck, claim, "status", p);
}

/* ---- protection -------------------------------------------------------------------------- */

struct use {
	const char *claim;
	int used;
};

/* Does a pod that has not ended name the claim in its volumes? */
static int pod_uses(struct store_kv *kv, void *data)
{
	struct use *u = data;
	cJSON *pod = obj_parse(kv);
	const char *phase = json_strv(pod, "status", "phase", NULL);
	const cJSON *v;
	if (!phase || (strcmp(phase, "Succeeded") && strcmp(phase, "Failed")))
		cJSON_ArrayForEach(v, json_getv(pod, "spec", "volumes", NULL)) {
			const char *n = json_strv(v, "persistentVolumeClaim", "claimName", NULL);
			u->used |= n && !strcmp(n, u->claim);
		}
	cJSON_Delete(pod);
	return u->used;
}

/* ---- syncs ------------------------------------------------------------------------------- */

static void sync_volume(struct workqueue *q, const char *key, void *data)
{
	struct pvc_ctrl *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	struct store_kv *kv = informer_get(c->pvs, NULL, key);
	cJSON *pv = kv ? obj_parse(kv) : NULL, *claim = NULL;
	const cJSON *ref = json_getv(pv, "spec", "claimRef", NULL);
	const char *phase = json_strv(pv, "status", "phase", NULL);
	if (!pv)
		goto out;
	if (wl_deleting(pv) && has_finalizer(pv, PV_FINALIZER) && (!phase || strcmp(phase, "Bound"))) {
		drop_finalizer(s, c->pvk, pv, PV_FINALIZER);
		goto out;
	}
	if (!ref) {
		set_phase(s, c->pvk, pv, "Available", 1);
		goto out;
	}
	const char *rns = json_str(ref, "namespace"), *rname = json_str(ref, "name");
	struct store_kv *ckv = rns && rname ? informer_get(c->pvcs, rns, rname) : NULL;
	claim = ckv ? obj_parse(ckv) : NULL;
	const char *uid = json_str(ref, "uid"), *vol = json_strv(claim, "spec", "volumeName", NULL);
	if (claim && (!uid || !strcmp(uid, json_strv(claim, "metadata", "uid", NULL) ? json_strv(claim, "metadata", "uid", NULL) : "")) &&
	    vol && !strcmp(vol, key))
		set_phase(s, c->pvk, pv, "Bound", 1);
	else if (!claim && uid)
		set_phase(s, c->pvk, pv, "Released", 1);
	else
		set_phase(s, c->pvk, pv, "Available", 1);
out:
	cJSON_Delete(claim);
	cJSON_Delete(pv);
	wl_sync_end(s);
}

/* A claim that has no volume yet: bind it to the best one, if any. */
static void find_volume(struct pvc_ctrl *c, struct wl_sync *s, const cJSON *claim)
{
	struct match m = { .claim = claim };
	if (quantity_of(json_getv(claim, "spec", "resources", "requests", "storage", NULL), &m.want) < 0)
		return;
	informer_list(c->pvs, NULL, NULL, consider, &m);
	if (m.best)
		pv_bind(c, s, claim, m.best);
	cJSON_Delete(m.best);
}

static void sync_claim(struct workqueue *q, const char *key, void *data)
{
	struct pvc_ctrl *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->pvcs, ns, name);
	cJSON *claim = kv ? obj_parse(kv) : NULL, *pv = NULL;
	const char *vol = json_strv(claim, "spec", "volumeName", NULL);
	if (!claim)
		goto out;
	if (wl_deleting(claim)) {
		struct use u = { name, 0 };
		informer_list(c->pods, ns, NULL, pod_uses, &u);
		if (!u.used && has_finalizer(claim, PVC_FINALIZER))
			drop_finalizer(s, c->pvck, claim, PVC_FINALIZER);
		goto out;
	}
	if (!vol || !*vol) {
		find_volume(c, s, claim);
		goto out;
	}
	struct store_kv *pkv = informer_get(c->pvs, NULL, vol);
	pv = pkv ? obj_parse(pkv) : NULL;
	const char *rn = json_strv(pv, "spec", "claimRef", "name", NULL), *rns = json_strv(pv, "spec", "claimRef", "namespace", NULL);
	if (!pv)
		set_phase(s, c->pvck, claim, "Lost", 0);
	else if (rn && rns && !strcmp(rn, name) && !strcmp(rns, ns))
		claim_bound(c, s, claim, pv);
out:
	cJSON_Delete(pv);
	cJSON_Delete(claim);
	wl_sync_end(s);
}

/* ---- handlers ---------------------------------------------------------------------------- */

static void queue_claim(struct pvc_ctrl *c, const char *ns, const char *name)
{
	if (!ns || !name)
		return;
	char *key = xasprintf("%s/%s", ns, name);
	workqueue_add(c->cq, key);
	free(key);
}

static void on_pv(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct pvc_ctrl *c = data;
	UNUSED(old);
	cJSON *pv = obj_parse(kv);
	if (ev != INF_DELETE)
		workqueue_add(c->vq, obj_kv_name(kv));
	queue_claim(c, json_strv(pv, "spec", "claimRef", "namespace", NULL), json_strv(pv, "spec", "claimRef", "name", NULL));
	cJSON_Delete(pv);
}

struct named {
	struct pvc_ctrl *c;
	const char *ns, *name;
};

/* Queues the volumes whose claimRef names the claim (and the free ones, which may now fit). */
static int queue_ref(struct store_kv *kv, void *data)
{
	struct named *n = data;
	workqueue_add(n->c->vq, obj_kv_name(kv));
	return 0;
}

static void on_pvc(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct pvc_ctrl *c = data;
	struct named n = { c, obj_field(kv->attrs, "metadata.namespace"), obj_kv_name(kv) };
	UNUSED(old);
	if (ev != INF_DELETE)
		wl_enqueue(c->cq, kv);
	else
		informer_list(c->pvs, NULL, NULL, queue_ref, &n);
	cJSON *claim = obj_parse(kv);
	const char *vol = json_strv(claim, "spec", "volumeName", NULL);
	if (vol && *vol)
		workqueue_add(c->vq, vol);
	cJSON_Delete(claim);
}

static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct pvc_ctrl *c = data;
	UNUSED(old);
	UNUSED(ev);
	/* most pods name no claim: skip them without parsing */
	if (!kv->value || !memmem(kv->value->data, kv->value->len, "\"persistentVolumeClaim\"", 23))
		return;
	cJSON *pod = obj_parse(kv);
	const cJSON *v;
	cJSON_ArrayForEach(v, json_getv(pod, "spec", "volumes", NULL))
		queue_claim(c, json_strv(pod, "metadata", "namespace", NULL),
			    json_strv(v, "persistentVolumeClaim", "claimName", NULL));
	cJSON_Delete(pod);
}

static int queue_all(struct store_kv *kv, void *data)
{
	wl_enqueue(data, kv);
	return 0;
}

static void pvc_stop(void *data)
{
	free(data);
}

void ctrl_pv_start(struct ctrl_mgr *m)
{
	struct pvc_ctrl *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->pvk = kind_by_resource("", "v1", "persistentvolumes");
	c->pvck = kind_by_resource("", "v1", "persistentvolumeclaims");
	c->vq = workqueue_new(m, "persistentvolume", 2, sync_volume, c);
	c->cq = workqueue_new(m, "persistentvolumeclaim", 2, sync_claim, c);
	c->pvs = informer_of(m, c->pvk);
	c->pvcs = informer_of(m, c->pvck);
	c->pods = informer_of(m, kind_by_resource("", "v1", "pods"));
	informer_on(c->pvs, on_pv, c);
	informer_on(c->pvcs, on_pvc, c);
	informer_on(c->pods, on_pod, c);
	informer_list(c->pvs, NULL, NULL, queue_all, c->vq);
	informer_list(c->pvcs, NULL, NULL, queue_all, c->cq);
	ctrl_on_stop(m, pvc_stop, c);
}
