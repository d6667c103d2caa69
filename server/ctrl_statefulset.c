/*
 * ctrl_statefulset.c - the StatefulSet controller: pods with stable names (NAME-0, NAME-1, ...),
 * created in order and each only once its predecessors are Running and Ready (OrderedReady) or
 * all at once (Parallel), removed from the highest ordinal down, and replaced from the highest
 * ordinal down to the partition on a RollingUpdate (OnDelete: only when deleted), with the
 * current and update ControllerRevisions in status. Upstream: pkg/controller/statefulset.
 *
 * DESIGN
 * A sync reads the StatefulSet, the pods it claims (members by name whose labels its selector
 * matches) and its revisions into a struct ss_state, then follows upstream's UpdateStatefulSet:
 * find or record the update revision (a new one when the template changed, or an older one
 * renumbered on a rollback), sort the pods into the replicas [start, start + replicas) and the
 * condemned ones beyond, process the replicas in ordinal order (create missing pods from the
 * revision their ordinal belongs to, delete failed ones, fix identities), then the condemned
 * ones in descending order, then the rolling update, and write the status and trim the
 * history. In OrderedReady mode the first step that has to wait ends the processing; its
 * writes answer, the informer events they cause sync the set again (struct wl_sync), and the
 * next pass goes one step further. Volume claims do not exist yet: a StatefulSet with
 * volumeClaimTemplates is refused at creation (validate_apps.c).
 */
#include "server/history.h"

#include <stdlib.h>
#include <string.h>

#include "server/kinds.h"
#include "server/workload.h"

#define COMPONENT "statefulset-controller"
#define MANAGER "kube-controller-manager"
#define POD_NAME_LABEL "statefulset.kubernetes.io/pod-name"
#define POD_INDEX_LABEL "apps.kubernetes.io/pod-index"

struct ssc {
	struct ctrl_mgr *m;
	struct informer *sets, *pods, *revs;
	struct workqueue *q;
	const struct kind *set_kind, *pod_kind, *rev_kind;
	struct history_owner owner; /* routes pod and revision changes to their StatefulSet */
};

/* The counts of upstream's StatefulSetStatus. */
struct ss_counts {
	int64_t replicas, ready, available, current, updated;
};

/* One sync of one StatefulSet. Owned by the sync function. */
struct ss_state {
	struct ssc *c;
	struct wl_sync *s;
	char *key;
	cJSON *set;
	const char *ns, *name;        /* borrowed from set */
	struct selector sel;
	cJSON **pods;                 /* claimed pods (owned) */
	size_t npods;
	struct history h;
	long cur, upd;                /* the current and update revisions in h */
	int64_t collision;
	cJSON *cur_tmpl, *upd_tmpl;   /* their templates (owned) */
	int64_t start, nreplicas, min_ready, now;
	const cJSON **replicas;       /* by ordinal - start; NULL: to be created */
	const cJSON **condemned;      /* beyond the range, highest ordinal first */
	size_t ncondemned;
	int monotonic;                /* OrderedReady */
	int deleted_current;          /* the rolling update deleted a pod of the current revision */
};

/* ---- pods as upstream's StatefulSet utilities see them ------------------------------------ */

/* upstream's getParentNameAndOrdinal ("(.*)-([0-9]+)$"): the ordinal, or -1, and the
 * parent's name length in *plen. */
static long pod_ordinal(const char *name, size_t *plen)
{
	size_t n = strlen(name), i = n;
	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i == n || i == 0 || name[i - 1] != '-' || n - i > 10)
		return -1;
	long long v = strtoll(name + i, NULL, 10);
	if (v > INT32_MAX)
		return -1;
	*plen = i - 1;
	return (long)v;
}

static const char *pod_name(const cJSON *pod)
{
	return jstr0(jget(pod, "metadata"), "name");
}

static long ordinal_of(const cJSON *pod)
{
	size_t plen;
	return pod_ordinal(pod_name(pod), &plen);
}

/* upstream's isMemberOf: the pod's name is NAME-ORDINAL of this set. */
static int is_member(const char *set, const char *pod)
{
	size_t plen;
	return pod_ordinal(pod, &plen) >= 0 && plen == strlen(set) && !strncmp(pod, set, plen);
}

static const char *phase_of(const cJSON *pod)
{
	return jstr0(jget(pod, "status"), "phase");
}

static int terminating(const cJSON *pod)
{
	return wl_deleting(pod);
}

/* isRunningAndReady / isRunningAndAvailable / isUnavailable */
static int running_ready(const cJSON *pod)
{
	return !strcmp(phase_of(pod), "Running") && wl_pod_ready(pod);
}

static int running_available(const struct ss_state *st, const cJSON *pod)
{
	return running_ready(pod) && wl_pod_available(pod, st->min_ready, st->now);
}

/* upstream's isHealthy: running, ready and not terminating (a missing pod is not). */
static int healthy(const cJSON *pod)
{
	return pod && running_ready(pod) && !terminating(pod);
}

static const char *pod_revision(const cJSON *pod)
{
	const char *r = json_strv(pod, "metadata", "labels", HISTORY_POD_LABEL, NULL);
	return r ? r : "";
}

static const char *rev_name(const struct ss_state *st, long i)
{
	return i >= 0 ? st->h.v[i].name : "";
}

/* ---- events ------------------------------------------------------------------------------ */

/* What a pod write's answer needs for its event; one allocation (wl_sync_expect frees it, also
 * when the answer is skipped while stopping). text holds the pod's name, then the set's name,
 * namespace, uid and resourceVersion. */
struct pod_write {
	char verb[8]; /* "create", "delete", "update" */
	char text[];
};

static struct pod_write *pod_write_new(const struct ss_state *st, const char *verb, const char *pod)
{
	const char *f[] = { pod, st->name, st->ns, json_strv(st->set, "metadata", "uid", NULL),
			    json_strv(st->set, "metadata", "resourceVersion", NULL) };
	size_t len = 0;
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		len += strlen(f[i] ? f[i] : "") + 1;
	struct pod_write *w = xmalloc(sizeof(*w) + len);
	char *p = w->text;
	snprintf(w->verb, sizeof(w->verb), "%s", verb);
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		strcpy(p, f[i] ? f[i] : "");
		p += strlen(p) + 1;
	}
	return w;
}

/* upstream's recordPodEvent: SuccessfulCreate "create Pod web-0 in StatefulSet web successful",
 * or FailedCreate "create Pod web-0 in StatefulSet web failed error: ...". */
static void pod_answered(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct pod_write *w = arg;
	const char *pod = w->text, *set = pod + strlen(pod) + 1, *ns = set + strlen(set) + 1;
	const char *uid = ns + strlen(ns) + 1, *rv = uid + strlen(uid) + 1;
	int ok = code < 300;
	if (!ok && ((code == 404 && strcmp(w->verb, "create")) || wl_answer_ns_terminating(body, len)))
		return;
	cJSON *involved = cJSON_CreateObject(), *meta = json_obj_force(involved, "metadata");
	char reason[32];
	json_set_str(involved, "apiVersion", "apps/v1");
	json_set_str(involved, "kind", "StatefulSet");
	json_set_str(meta, "name", set);
	json_set_str(meta, "namespace", ns);
	json_set_str(meta, "uid", uid);
	json_set_str(meta, "resourceVersion", rv);
	snprintf(reason, sizeof(reason), "%s%c%s", ok ? "Successful" : "Failed", w->verb[0] - 'a' + 'A', w->verb + 1);
	if (ok) {
		ctrl_event(wl_sync_mgr(s), COMPONENT, involved, "Normal", reason, "%s Pod %s in StatefulSet %s successful",
			   w->verb, pod, set);
	} else {
		struct buf msg = BUF_INIT;
		wl_answer_message(body, len, &msg);
		ctrl_event(wl_sync_mgr(s), COMPONENT, involved, "Warning", reason,
			   "%s Pod %s in StatefulSet %s failed error: %s", w->verb, pod, set, buf_str(&msg));
		buf_release(&msg);
		wl_sync_fail(s);
	}
	cJSON_Delete(involved);
}

/* ---- pod writes -------------------------------------------------------------------------- */

/* upstream's newVersionedStatefulSetPod: the pod of ordinal from the current revision below the
 * partition, from the update revision otherwise; named, labelled and with its hostname. */
static cJSON *new_pod(const struct ss_state *st, long ordinal)
{
	const cJSON *us = json_getv(st->set, "spec", "updateStrategy", NULL), *ru = jget(us, "rollingUpdate");
	int64_t part = wl_int(ru, "partition");
	int use_cur = (!strcmp(jstr0(us, "type"), "RollingUpdate") && !ru && ordinal < st->start) ||
		      (ru && ordinal < st->start + part);
	cJSON *pod = wl_pod_from_template(use_cur ? st->cur_tmpl : st->upd_tmpl, st->set);
	cJSON *meta = json_obj(pod, "metadata"), *spec = json_obj_force(pod, "spec");
	char *name = xasprintf("%s-%ld", st->name, ordinal), idx[24];
	cJSON *labels = json_obj_force(meta, "labels");
	snprintf(idx, sizeof(idx), "%ld", ordinal);
	json_set_str(meta, "name", name);
	json_set_str(meta, "namespace", st->ns);
	json_set_str(labels, POD_NAME_LABEL, name);
	json_set_str(labels, POD_INDEX_LABEL, idx);
	json_set_str(labels, HISTORY_POD_LABEL, rev_name(st, use_cur ? st->cur : st->upd));
	json_set_str(spec, "hostname", name);
	const char *svc = json_strv(st->set, "spec", "serviceName", NULL);
	if (svc && *svc)
		json_set_str(spec, "subdomain", svc);
	free(name);
	return pod;
}

static void create_pod(struct ss_state *st, long ordinal)
{
	cJSON *pod = new_pod(st, ordinal);
	struct pod_write *w = pod_write_new(st, "create", pod_name(pod));
	ctrl_create(st->c->m, MANAGER, st->c->pod_kind, st->ns, pod, wl_sync_cb, wl_sync_expect(st->s, pod_answered, w));
	cJSON_Delete(pod);
}

static void delete_pod(struct ss_state *st, const cJSON *pod)
{
	struct pod_write *w = pod_write_new(st, "delete", pod_name(pod));
	ctrl_delete(st->c->m, st->c->pod_kind, st->ns, pod_name(pod), NULL, NULL, wl_sync_cb,
		    wl_sync_expect(st->s, pod_answered, w));
}

/* upstream's identityMatches (the name and the pod-name label). */
static int identity_matches(const struct ss_state *st, const cJSON *pod)
{
	const char *label = json_strv(pod, "metadata", "labels", POD_NAME_LABEL, NULL);
	return is_member(st->name, pod_name(pod)) && label && !strcmp(label, pod_name(pod));
}

/* upstream's updateIdentity, as a merge patch of the pod's identity labels. */
static void fix_identity(struct ss_state *st, const cJSON *pod)
{
	cJSON *patch = cJSON_CreateObject();
	cJSON *labels = json_obj_force(json_obj_force(patch, "metadata"), "labels");
	char idx[24];
	snprintf(idx, sizeof(idx), "%ld", ordinal_of(pod));
	json_set_str(labels, POD_NAME_LABEL, pod_name(pod));
	json_set_str(labels, POD_INDEX_LABEL, idx);
	struct pod_write *w = pod_write_new(st, "update", pod_name(pod));
	ctrl_patch(st->c->m, MANAGER, st->c->pod_kind, st->ns, pod_name(pod), NULL, patch, wl_sync_cb,
		   wl_sync_expect(st->s, pod_answered, w));
	cJSON_Delete(patch);
}

/* ---- loading a sync's state --------------------------------------------------------------- */

static void add_pod(struct ss_state *st, cJSON *pod)
{
	st->pods = xrealloc(st->pods, (st->npods + 1) * sizeof(*st->pods));
	st->pods[st->npods++] = pod;
}

/* upstream's getPodsForStatefulSet: claim with the selector and membership by name. */
static int claim_pod(struct store_kv *kv, void *data)
{
	struct ss_state *st = data;
	cJSON *pod = obj_parse(kv);
	int match = pod && is_member(st->name, pod_name(pod)) &&
		    selector_matches(&st->sel, sel_lookup_json, json_getv(pod, "metadata", "labels", NULL));
	switch (pod ? wl_claim(st->set, pod, match) : WL_IGNORE) {
	case WL_ADOPT:
		wl_adopt(st->s, MANAGER, st->c->pod_kind, pod, st->set);
		add_pod(st, pod);
		return 0;
	case WL_OWNED:
		add_pod(st, pod);
		return 0;
	case WL_RELEASE:
		wl_release(st->s, MANAGER, st->c->pod_kind, pod, json_strv(st->set, "metadata", "uid", NULL));
		break;
	default:
		break;
	}
	cJSON_Delete(pod);
	return 0;
}

static int claim_orphan(struct store_kv *kv, void *data)
{
	if (kv->attrs && obj_field(kv->attrs, "x.owner") && *obj_field(kv->attrs, "x.owner"))
		return 0; /* owned: seen through the owner index */
	return claim_pod(kv, data);
}

static void state_release(struct ss_state *st)
{
	for (size_t i = 0; i < st->npods; i++)
		cJSON_Delete(st->pods[i]);
	free(st->pods);
	free(st->replicas);
	free(st->condemned);
	cJSON_Delete(st->cur_tmpl);
	cJSON_Delete(st->upd_tmpl);
	history_release(&st->h);
	selector_release(&st->sel);
	cJSON_Delete(st->set);
	free(st->key);
}

/* Reads the StatefulSet of key, its pods and revisions (adopting orphans). Returns 0, or -1
 * when there is nothing to do. */
static int state_load(struct ssc *c, struct wl_sync *s, const char *key, struct ss_state *st)
{
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->sets, ns, name);
	memset(st, 0, sizeof(*st));
	st->c = c;
	st->s = s;
	st->key = xstrdup(key);
	st->cur = st->upd = -1;
	st->set = kv ? obj_parse(kv) : NULL;
	if (!st->set || selector_from_json(json_getv(st->set, "spec", "selector", NULL), &st->sel, NULL) < 0)
		return -1;
	st->ns = jstr0(jget(st->set, "metadata"), "namespace");
	st->name = jstr0(jget(st->set, "metadata"), "name");
	const cJSON *spec = json_obj(st->set, "spec");
	st->nreplicas = jget(spec, "replicas") ? MAX(wl_int(spec, "replicas"), 0) : 1;
	st->start = wl_int(jget(spec, "ordinals"), "start");
	st->min_ready = wl_int(spec, "minReadySeconds");
	st->monotonic = strcmp(jstr0(spec, "podManagementPolicy"), "Parallel") != 0;
	st->now = wall_seconds();
	informer_owned(c->pods, json_strv(st->set, "metadata", "uid", NULL), claim_pod, st);
	informer_list(c->pods, st->ns, &st->sel, claim_orphan, st);
	history_list(c->revs, st->set, &st->sel, &st->h);
	history_claim(&st->h, s, MANAGER, c->rev_kind, st->set);
	return 0;
}

/* ---- revisions ---------------------------------------------------------------------------- */

/* What the answer to a revision create needs; one allocation. */
struct rev_create {
	struct ssc *c;
	int64_t collision;
	size_t data_off;
	char text[]; /* namespace, set name, revision name, data */
};

/* A revision name already taken by another template: the collision count goes up (in status,
 * as upstream keeps it) and the next sync names the revision anew. */
static void rev_created(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct rev_create *a = arg;
	const char *ns = a->text, *set = ns + strlen(ns) + 1, *rev = set + strlen(set) + 1, *data = a->text + a->data_off;
	UNUSED(body);
	UNUSED(len);
	if (code < 300)
		return;
	if (code != 409) {
		wl_sync_fail(s);
		return;
	}
	struct store_kv *kv = informer_get(a->c->revs, ns, rev);
	struct history h = HISTORY_INIT;
	if (kv)
		history_add(&h, obj_parse(kv));
	int same = h.n && !strcmp(h.v[0].data, data);
	history_release(&h);
	if (same)
		return;
	cJSON *patch = cJSON_CreateObject();
	json_set_int(json_obj_force(patch, "status"), "collisionCount", a->collision + 1);
	ctrl_patch(wl_sync_mgr(s), MANAGER, a->c->set_kind, ns, set, "status", patch, wl_sync_cb, wl_sync_expect(s, NULL, NULL));
	cJSON_Delete(patch);
}

static void create_revision(struct ss_state *st, const char *data)
{
	char hash[16];
	history_hash(data, st->collision, hash);
	char *name = history_name(st->name, hash);
	cJSON *rev = history_new_revision(st->set, name, HISTORY_HASH_LABEL, hash, data, history_next(&st->h), 1);
	size_t a = strlen(st->ns) + 1, b = strlen(st->name) + 1, r = strlen(name) + 1, d = strlen(data) + 1;
	struct rev_create *arg = xmalloc(sizeof(*arg) + a + b + r + d);
	arg->c = st->c;
	arg->collision = st->collision;
	arg->data_off = a + b + r;
	memcpy(arg->text, st->ns, a);
	memcpy(arg->text + a, st->name, b);
	memcpy(arg->text + a + b, name, r);
	memcpy(arg->text + a + b + r, data, d);
	ctrl_create(st->c->m, MANAGER, st->c->rev_kind, st->ns, rev, wl_sync_cb, wl_sync_expect(st->s, rev_created, arg));
	cJSON_Delete(rev);
	free(name);
}

/* upstream's getStatefulSetRevisions. Returns 1 when the update revision is being written (the
 * pass ends), else 0 with st->cur, st->upd and their templates set. */
static int revisions(struct ss_state *st)
{
	char *data = history_patch(st->set);
	long eq = history_find(&st->h, data);
	int wait = 0;
	st->collision = wl_int(json_obj(st->set, "status"), "collisionCount");
	if (eq >= 0 && (size_t)eq == st->h.n - 1) {
		st->upd = eq;
	} else if (eq >= 0) {
		/* A rollback: the older revision becomes the newest. */
		cJSON *patch = cJSON_CreateObject();
		json_set_int(patch, "revision", history_next(&st->h));
		ctrl_patch(st->c->m, MANAGER, st->c->rev_kind, st->ns, st->h.v[eq].name, NULL, patch, wl_sync_cb,
			   wl_sync_expect(st->s, NULL, NULL));
		cJSON_Delete(patch);
		wait = 1;
	} else {
		create_revision(st, data);
		wait = 1;
	}
	free(data);
	if (wait)
		return 1;
	st->cur = history_find_name(&st->h, json_strv(st->set, "status", "currentRevision", NULL));
	if (st->cur < 0)
		st->cur = st->upd;
	st->cur_tmpl = history_template(st->h.v[st->cur].obj);
	st->upd_tmpl = history_template(st->h.v[st->upd].obj);
	return !st->cur_tmpl || !st->upd_tmpl;
}

/* upstream's truncateHistory: revisions no pod, nor status, uses go beyond the limit. */
static void truncate_history(struct ss_state *st)
{
	int64_t limit = 10;
	json_int(json_obj(st->set, "spec"), "revisionHistoryLimit", &limit);
	unsigned char *keep = xcalloc(st->h.n + 1, 1);
	size_t *out = xcalloc(st->h.n + 1, sizeof(size_t));
	for (size_t i = 0; i < st->h.n; i++) {
		if ((long)i == st->cur || (long)i == st->upd)
			keep[i] = HISTORY_LIVE;
		for (size_t j = 0; j < st->npods && keep[i] != HISTORY_LIVE; j++)
			if (!strcmp(pod_revision(st->pods[j]), st->h.v[i].name))
				keep[i] = HISTORY_LIVE;
	}
	size_t n = history_truncate(&st->h, keep, limit, out);
	for (size_t i = 0; i < n; i++)
		ctrl_delete(st->c->m, st->c->rev_kind, st->ns, st->h.v[out[i]].name, NULL, NULL, wl_sync_cb,
			    wl_sync_expect(st->s, NULL, NULL));
	free(keep);
	free(out);
}

/* ---- the update ------------------------------------------------------------------------------ */

static int cmp_descending(const void *a, const void *b)
{
	long x = ordinal_of(*(const cJSON *const *)a), y = ordinal_of(*(const cJSON *const *)b);
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Sorts the claimed pods into replicas (by ordinal) and condemned (highest first). */
static void partition_pods(struct ss_state *st)
{
	st->replicas = xcalloc((size_t)st->nreplicas + 1, sizeof(*st->replicas));
	st->condemned = xcalloc(st->npods + 1, sizeof(*st->condemned));
	for (size_t i = 0; i < st->npods; i++) {
		long ord = ordinal_of(st->pods[i]);
		if (ord >= st->start && ord < st->start + st->nreplicas)
			st->replicas[ord - st->start] = st->pods[i];
		else if (ord >= 0)
			st->condemned[st->ncondemned++] = st->pods[i];
	}
	qsort(st->condemned, st->ncondemned, sizeof(*st->condemned), cmp_descending);
}

/* upstream's firstUnhealthyPod: the first replica, then the lowest condemned pod, that is not
 * healthy; a missing replica counts (it is not running yet). Sets *missing when that is a
 * replica still to be created. */
static const cJSON *first_unhealthy(const struct ss_state *st, int *missing)
{
	*missing = 0;
	for (int64_t i = 0; i < st->nreplicas; i++)
		if (!healthy(st->replicas[i])) {
			*missing = !st->replicas[i];
			return st->replicas[i];
		}
	for (size_t i = st->ncondemned; i-- > 0;)
		if (!healthy(st->condemned[i]))
			return st->condemned[i];
	return NULL;
}

/* upstream's processReplica. Returns 1 when processing must stop for this pass. */
static int process_replica(struct ss_state *st, int64_t i)
{
	const cJSON *pod = st->replicas[i];
	const char *phase = pod ? phase_of(pod) : "";
	if (pod && (!strcmp(phase, "Failed") || !strcmp(phase, "Succeeded"))) {
		if (!terminating(pod))
			delete_pod(st, pod);
		return 1;
	}
	if (!pod) {
		create_pod(st, st->start + i);
		return st->monotonic;
	}
	if (st->monotonic && (terminating(pod) || !running_ready(pod) || !running_available(st, pod)))
		return 1;
	if (!identity_matches(st, pod))
		fix_identity(st, pod);
	return 0;
}

/* upstream's processCondemned. Returns 1 when processing must stop for this pass. */
static int process_condemned(struct ss_state *st, size_t i, const cJSON *first_bad, int missing)
{
	const cJSON *pod = st->condemned[i];
	if (terminating(pod))
		return st->monotonic;
	int blocked = first_bad != pod || missing;
	if (st->monotonic && blocked && (!running_ready(pod) || !running_available(st, pod)))
		return 1;
	delete_pod(st, pod);
	return st->monotonic;
}

/* The rolling update: the pod with the highest ordinal not at the update revision goes, one
 * at a time, down to the partition. */
static void rolling_update(struct ss_state *st)
{
	const cJSON *ru = json_getv(st->set, "spec", "updateStrategy", "rollingUpdate", NULL);
	int64_t min = wl_int(ru, "partition");
	const char *upd = rev_name(st, st->upd);
	for (int64_t t = st->nreplicas - 1; t >= min; t--) {
		const cJSON *pod = st->replicas[t];
		if (!pod)
			return; /* just created: not available yet */
		if (strcmp(pod_revision(pod), upd) && !terminating(pod)) {
			delete_pod(st, pod);
			st->deleted_current = !strcmp(pod_revision(pod), rev_name(st, st->cur));
			return;
		}
		if (!healthy(pod))
			return; /* wait for unhealthy pods on update */
	}
}

/* upstream's updateStatefulSet, once the revisions are known. */
static void update_pods(struct ss_state *st)
{
	int missing;
	partition_pods(st);
	const cJSON *first_bad = first_unhealthy(st, &missing);
	if (wl_deleting(st->set))
		return;
	for (int64_t i = 0; i < st->nreplicas; i++)
		if (process_replica(st, i) && st->monotonic)
			return;
	for (size_t i = 0; i < st->ncondemned; i++)
		if (process_condemned(st, i, first_bad, missing) && st->monotonic)
			return;
	if (!strcmp(jstr0(json_getv(st->set, "spec", "updateStrategy", NULL), "type"), "OnDelete"))
		return;
	rolling_update(st);
}

/* ---- status ------------------------------------------------------------------------------ */

/* upstream's computeReplicaStatus over the replicas and condemned pods. */
static void count_pods(const struct ss_state *st, struct ss_counts *n)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < st->npods; i++) {
		const cJSON *pod = st->pods[i];
		long ord = ordinal_of(pod);
		int created = *phase_of(pod) != 0;
		if (ord < 0)
			continue;
		n->replicas += created;
		if (running_ready(pod)) {
			n->ready++;
			n->available += running_available(st, pod);
		}
		if (created && !terminating(pod)) {
			n->current += !strcmp(pod_revision(pod), rev_name(st, st->cur));
			n->updated += !strcmp(pod_revision(pod), rev_name(st, st->upd));
		}
	}
}

/* upstream's updateStatefulSetStatus: completes a finished rolling update and writes the
 * status when it changed (inconsistentStatus). */
static void update_status(struct ss_state *st)
{
	static const char *const names[] = { "replicas", "readyReplicas", "availableReplicas", "currentReplicas",
					      "updatedReplicas" };
	struct ss_counts n;
	const char *cur = rev_name(st, st->cur), *upd = rev_name(st, st->upd);
	count_pods(st, &n);
	n.current -= st->deleted_current;
	if (!strcmp(jstr0(json_getv(st->set, "spec", "updateStrategy", NULL), "type"), "RollingUpdate") &&
	    n.updated == n.replicas && n.ready == n.replicas) {
		n.current = n.updated;
		cur = upd;
	}
	int64_t v[5] = { n.replicas, n.ready, n.available, n.current, n.updated };
	const cJSON *status = json_obj(st->set, "status");
	int64_t gen = wl_int(json_obj(st->set, "metadata"), "generation");
	int same = gen <= wl_int(status, "observedGeneration") && !strcmp(jstr0(status, "currentRevision"), cur) &&
		   !strcmp(jstr0(status, "updateRevision"), upd);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		same &= wl_int(status, names[i]) == v[i];
	if (!same) {
		cJSON *patch = cJSON_CreateObject(), *s = json_obj_force(patch, "status");
		json_set_int(s, "observedGeneration", gen);
		for (size_t i = 0; i < ARRAY_SIZE(names); i++)
			json_set_int(s, names[i], v[i]);
		json_set_str(s, "currentRevision", cur);
		json_set_str(s, "updateRevision", upd);
		json_set_int(s, "collisionCount", st->collision);
		ctrl_patch(st->c->m, MANAGER, st->c->set_kind, st->ns, st->name, "status", patch, wl_sync_cb,
			   wl_sync_expect(st->s, NULL, NULL));
		cJSON_Delete(patch);
	}
	/* Pods becoming available after minReadySeconds change the counts without an event. */
	if (st->min_ready > 0 && n.available != st->nreplicas)
		workqueue_add_after(st->c->q, st->key, (uint64_t)st->min_ready * 1000);
}

/* ---- the controller ---------------------------------------------------------------------- */

static void sync_set(struct workqueue *q, const char *key, void *data)
{
	struct ssc *c = data;
	struct wl_sync *s = wl_sync_begin(c->m, q, key);
	struct ss_state st;
	if (state_load(c, s, key, &st) == 0 && !revisions(&st)) {
		update_pods(&st);
		update_status(&st);
		truncate_history(&st);
	}
	state_release(&st);
	wl_sync_end(s);
}

static void on_set(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct ssc *c = data;
	UNUSED(old);
	history_owner_track(&c->owner, ev, kv);
	wl_enqueue(c->q, kv);
}

/* At start: every StatefulSet is known and synced. */
static int track_each(struct store_kv *kv, void *data)
{
	struct ssc *c = data;
	history_owner_track(&c->owner, INF_ADD, kv);
	wl_enqueue(c->q, kv);
	return 0;
}

static void ssc_free(void *data)
{
	struct ssc *c = data;
	history_owner_release(&c->owner);
	free(c);
}

void ctrl_statefulset_start(struct ctrl_mgr *m)
{
	struct ssc *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->set_kind = kind_by_resource("apps", "v1", "statefulsets");
	c->pod_kind = kind_by_resource("", "v1", "pods");
	c->rev_kind = kind_by_resource("apps", "v1", "controllerrevisions");
	c->q = workqueue_new(m, "statefulset", 2, sync_set, c);
	c->sets = informer_of(m, c->set_kind);
	c->pods = informer_of(m, c->pod_kind);
	c->revs = informer_of(m, c->rev_kind);
	c->owner = (struct history_owner){ c->q, c->sets, "StatefulSet" };
	informer_on(c->sets, on_set, c);
	informer_on(c->pods, history_on_child, &c->owner);
	informer_on(c->revs, history_on_child, &c->owner);
	ctrl_on_stop(m, ssc_free, c);
	informer_list(c->sets, NULL, NULL, track_each, c);
}
