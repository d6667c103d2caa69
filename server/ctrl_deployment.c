/*
 * ctrl_deployment.c - the Deployment controller: rolls a Deployment's pod template out through
 * ReplicaSets (RollingUpdate with maxSurge/maxUnavailable, or Recreate), keeps revisions and
 * their history, scales proportionally, honours pause, and reports status with the
 * Progressing and Available conditions, as upstream's deployment-controller does.
 *
 * DESIGN
 * Work-queue keys are Deployments. ReplicaSet changes reach their controller Deployment through
 * maps from uid to key (orphan ReplicaSets reach every Deployment whose selector matches them);
 * pod deletions reach Recreate Deployments (which wait for old pods to be gone).
 * A sync follows upstream's syncDeployment step by step on a copy of the Deployment (struct
 * dsync): claim ReplicaSets, pause conditions, then scale (paused or a scaling event), Recreate
 * or RollingUpdate. Every step that writes a ReplicaSet returns, as upstream's do; the status
 * the steps compute is written once at the end (PUT of /status) together with the revision
 * annotation (a patch of the Deployment: our /status keeps metadata, upstream's Deployment
 * status strategy does not). Creating the new ReplicaSet is a step of its own: the rest of the
 * rollout continues in the sync its creation triggers. Writes are counted by a wl_sync, so the
 * next sync of a Deployment sees every write of the previous one.
 */
#include "server/rollout.h"
#include "server/workload.h"

#include "lib/hmap.h"

#include <stdlib.h>
#include <string.h>

#define COMPONENT "deployment-controller"
#define REVISION "deployment.kubernetes.io/revision"
#define REVISION_HISTORY "deployment.kubernetes.io/revision-history"
#define DESIRED "deployment.kubernetes.io/desired-replicas"
#define MAX_REPLICAS "deployment.kubernetes.io/max-replicas"
#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"
#define ROLLBACK_TO "deprecated.deployment.rollback.to"
#define MAX_HISTORY_CHARS 2000
#define NO_DEADLINE 2147483647

struct dc {
	struct ctrl_mgr *m;
	struct workqueue *q;
	struct informer *deps;
	struct informer *rs;
	struct informer *pods;
	const struct kind *dk;
	const struct kind *rsk;
	struct hmap by_uid;   /* Deployment uid -> key (malloc'd) */
	struct hmap rs_owner; /* ReplicaSet uid -> its controller's uid (malloc'd) */
};

/* One sync of one Deployment. */
struct dsync {
	struct dc *c;
	struct wl_sync *s;
	cJSON *d;            /* the Deployment; its status and annotations change as the sync goes */
	cJSON *orig_status;  /* as read */
	char *orig_revision; /* the revision annotation as read (may be NULL) */
	cJSON **rs;          /* the claimed ReplicaSets (owned) */
	size_t nrs;
	cJSON *new_rs;       /* one of rs, or NULL */
	int synced_revision; /* getAllReplicaSetsAndSyncRevision done */
	int creating;        /* the new ReplicaSet is being created */
	int wait;            /* creating it, or updating its annotations: nothing else this sync */
	int64_t now;
};

/* ---- the rollout arithmetic (rollout.h) ------------------------------------------------- */

int rollout_scaled_value(const cJSON *v, int64_t total, int round_up, int64_t *out)
{
	int64_t pct;
	if (cJSON_IsNumber(v)) {
		*out = (int64_t)v->valuedouble;
		return 0;
	}
	if (!cJSON_IsString(v) || !ends_with(v->valuestring, "%"))
		return -1;
	char *num = xstrndup(v->valuestring, strlen(v->valuestring) - 1);
	int r = parse_int64(num, INT32_MIN, INT32_MAX, &pct);
	free(num);
	if (r < 0)
		return -1;
	int64_t scaled = pct * total;
	*out = round_up ? (scaled + 99) / 100 : scaled / 100;
	return 0;
}

static int is_rolling(const cJSON *d)
{
	const char *t = json_strv(d, "spec", "strategy", "type", NULL);
	return !t || strcmp(t, "Recreate");
}

static int64_t desired(const cJSON *d)
{
	return wl_int(json_obj(d, "spec"), "replicas");
}

void rollout_fenceposts(const cJSON *d, int64_t *surge, int64_t *unavailable)
{
	const cJSON *ru = json_getv(d, "spec", "strategy", "rollingUpdate", NULL);
	*surge = *unavailable = 0;
	rollout_scaled_value(cJSON_GetObjectItemCaseSensitive(ru, "maxSurge"), desired(d), 1, surge);
	rollout_scaled_value(cJSON_GetObjectItemCaseSensitive(ru, "maxUnavailable"), desired(d), 0, unavailable);
	if (*surge == 0 && *unavailable == 0)
		*unavailable = 1;
}

int64_t rollout_max_surge(const cJSON *d)
{
	int64_t surge, unavailable;
	if (!is_rolling(d))
		return 0;
	rollout_fenceposts(d, &surge, &unavailable);
	return surge;
}

int64_t rollout_max_unavailable(const cJSON *d)
{
	int64_t surge, unavailable;
	if (!is_rolling(d) || desired(d) == 0)
		return 0;
	rollout_fenceposts(d, &surge, &unavailable);
	return MIN(unavailable, desired(d));
}

int64_t rollout_new_rs_replicas(int64_t want, int64_t max_surge, int64_t all_replicas, int64_t new_replicas)
{
	int64_t max_total = want + max_surge;
	if (all_replicas >= max_total)
		return new_replicas;
	int64_t up = MIN(max_total - all_replicas, want - new_replicas);
	return new_replicas + up;
}

int64_t rollout_max_scaled_down(int64_t want, int64_t max_unavailable, int64_t all_replicas, int64_t new_unavailable)
{
	return all_replicas - (want - max_unavailable) - new_unavailable;
}

static int64_t round_half_away(double a)
{
	return a < 0 ? (int64_t)(a - 0.5) : (int64_t)(a + 0.5);
}

int64_t rollout_proportion(int64_t rs_replicas, int64_t rs_max, int64_t want, int64_t max_surge,
			   int64_t status_replicas, int64_t to_add, int64_t added)
{
	int64_t fraction;
	if (rs_replicas == 0 || to_add == 0 || to_add == added)
		return 0;
	if (want == 0) {
		fraction = -rs_replicas;
	} else {
		int64_t before = rs_max ? rs_max : status_replicas;
		fraction = before ? round_half_away((double)(rs_replicas * (want + max_surge)) / (double)before) - rs_replicas
				  : 0;
	}
	int64_t allowed = to_add - added;
	return to_add > 0 ? MIN(fraction, allowed) : MAX(fraction, allowed);
}

char *rollout_push_history(const char *history, const char *old_revision, size_t limit)
{
	if (!history || !*history)
		return xstrdup(old_revision);
	size_t total = strlen(history) + strlen(old_revision) + 1;
	const char *start = history;
	/* Drop the oldest entries until the new one fits. */
	while (total > limit && start) {
		const char *comma = strchr(start, ',');
		total -= (comma ? (size_t)(comma - start) : strlen(start)) + 1;
		start = comma ? comma + 1 : NULL;
	}
	if (total > limit)
		return NULL;
	return start && *start ? xasprintf("%s,%s", start, old_revision) : xstrdup(old_revision);
}

/* ---- small helpers ---------------------------------------------------------------------- */

static int64_t spec_replicas(const cJSON *rs)
{
	return wl_int(json_obj(rs, "spec"), "replicas");
}

static int64_t status_int(const cJSON *obj, const char *key)
{
	return wl_int(json_obj(obj, "status"), key);
}

static const char *annotation(const cJSON *obj, const char *key)
{
	return json_strv(obj, "metadata", "annotations", key, NULL);
}

static int64_t int_annotation(const cJSON *obj, const char *key, int *ok)
{
	int64_t v = 0;
	const char *s = annotation(obj, key);
	*ok = s && parse_int64(s, INT64_MIN, INT64_MAX, &v) == 0;
	return *ok ? v : 0;
}

static int64_t revision_of(const cJSON *rs)
{
	int ok;
	return int_annotation(rs, REVISION, &ok);
}

static void set_annotation(cJSON *obj, const char *key, const char *value)
{
	json_set_str(json_obj_force(json_obj_force(obj, "metadata"), "annotations"), key, value);
}

static int64_t created_at(const cJSON *obj)
{
	int64_t t = 0;
	const char *s = json_strv(obj, "metadata", "creationTimestamp", NULL);
	if (s)
		parse_rfc3339(s, &t);
	return t;
}

static const char *name_of(const cJSON *obj)
{
	const char *n = json_strv(obj, "metadata", "name", NULL);
	return n ? n : "";
}

static int has_deadline(const cJSON *d)
{
	int64_t v;
	return json_int(json_obj(d, "spec"), "progressDeadlineSeconds", &v) == 0 && v != NO_DEADLINE;
}

/* ReplicaSetsByCreationTimestamp: older first, then by name. */
static int cmp_created(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t tx = created_at(x), ty = created_at(y);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(name_of(x), name_of(y));
}

static int cmp_revision(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int64_t rx = revision_of(x), ry = revision_of(y);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return cmp_created(a, b);
}

/* ReplicaSetsBySizeNewer: larger first, then newer first. */
static int cmp_size_newer(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	if (spec_replicas(x) != spec_replicas(y))
		return spec_replicas(x) > spec_replicas(y) ? -1 : 1;
	return cmp_created(b, a);
}

/* ReplicaSetsBySizeOlder: larger first, then older first. */
static int cmp_size_older(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	if (spec_replicas(x) != spec_replicas(y))
		return spec_replicas(x) > spec_replicas(y) ? -1 : 1;
	return cmp_created(a, b);
}

/* The old ReplicaSets (all but the new one) into a new array (caller frees); *n their count.
 * active: only those with replicas. */
static cJSON **old_rs(const struct dsync *ds, int active, size_t *n)
{
	cJSON **v = xcalloc(ds->nrs + 1, sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < ds->nrs; i++)
		if (ds->rs[i] != ds->new_rs && (!active || spec_replicas(ds->rs[i]) > 0))
			v[(*n)++] = ds->rs[i];
	return v;
}

/* ---- conditions ------------------------------------------------------------------------- */

static cJSON *get_cond(const cJSON *status, const char *type)
{
	cJSON *c;
	cJSON_ArrayForEach(c, json_getv(status, "conditions", NULL))
		if (json_str(c, "type") && !strcmp(json_str(c, "type"), type))
			return c;
	return NULL;
}

static const char *cond_str(const cJSON *c, const char *key)
{
	const char *v = json_str(c, key);
	return v ? v : "";
}

static void remove_cond(cJSON *status, const char *type)
{
	cJSON *c = get_cond(status, type);
	if (c)
		cJSON_Delete(cJSON_DetachItemViaPointer(cJSON_GetObjectItemCaseSensitive(status, "conditions"), c));
}

/* Upstream's SetDeploymentCondition (takes cond): nothing when status and reason are the same;
 * the transition time kept when only the reason changes. */
static void set_cond(cJSON *status, cJSON *cond)
{
	const cJSON *cur = get_cond(status, cond_str(cond, "type"));
	if (cur && !strcmp(cond_str(cur, "status"), cond_str(cond, "status")) &&
	    !strcmp(cond_str(cur, "reason"), cond_str(cond, "reason"))) {
		cJSON_Delete(cond);
		return;
	}
	if (cur && !strcmp(cond_str(cur, "status"), cond_str(cond, "status")))
		json_set_str(cond, "lastTransitionTime", cond_str(cur, "lastTransitionTime"));
	remove_cond(status, cond_str(cond, "type"));
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(status, "conditions");
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		json_set(status, "conditions", conds);
	}
	cJSON_AddItemToArray(conds, cond);
}

static cJSON *new_cond(const char *type, const char *status, const char *reason, const char *fmt, const char *arg)
{
	cJSON *c = cJSON_CreateObject();
	char now[21];
	char *msg = xasprintf(fmt, arg);
	wl_now(now);
	json_set_str(c, "type", type);
	json_set_str(c, "status", status);
	json_set_str(c, "lastUpdateTime", now);
	json_set_str(c, "lastTransitionTime", now);
	json_set_str(c, "reason", reason);
	json_set_str(c, "message", msg);
	free(msg);
	return c;
}

static cJSON *status_of(struct dsync *ds)
{
	return json_obj_force(ds->d, "status");
}

/* ---- writing ReplicaSets ---------------------------------------------------------------- */

/* What an answer to a ReplicaSet scale needs for its event (one allocation). */
struct scaled {
	char op[8];
	int64_t from, to;
	char name[];
};

static void rs_scaled(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct scaled *sc = arg;
	cJSON *rs = json_parse(body, len, NULL);
	if (code >= 300) {
		if (code != 404 && code != 409)
			wl_sync_fail(s);
	} else if (sc->from != sc->to) {
		/* The event is about the Deployment: its reference is in the ReplicaSet's owner. */
		const cJSON *ref = ctrl_owner(rs);
		cJSON *d = cJSON_CreateObject(), *meta = json_obj_force(d, "metadata");
		json_set_str(d, "apiVersion", "apps/v1");
		json_set_str(d, "kind", "Deployment");
		json_set_str(meta, "name", json_str(ref, "name") ? json_str(ref, "name") : "");
		json_set_str(meta, "namespace", json_strv(rs, "metadata", "namespace", NULL));
		json_set_str(meta, "uid", json_str(ref, "uid") ? json_str(ref, "uid") : "");
		ctrl_event(wl_sync_mgr(s), COMPONENT, d, "Normal", "ScalingReplicaSet", "Scaled %s replica set %s to %lld from %lld",
			   sc->op, sc->name, (long long)sc->to, (long long)sc->from);
		cJSON_Delete(d);
	}
	cJSON_Delete(rs);
}

/* Upstream's SetReplicasAnnotations: returns 1 if they changed. */
static int set_replicas_annotations(cJSON *rs, int64_t want, int64_t max)
{
	char a[24], b[24];
	snprintf(a, sizeof(a), "%lld", (long long)want);
	snprintf(b, sizeof(b), "%lld", (long long)max);
	const char *da = annotation(rs, DESIRED), *ma = annotation(rs, MAX_REPLICAS);
	if (da && ma && !strcmp(da, a) && !strcmp(ma, b))
		return 0;
	set_annotation(rs, DESIRED, a);
	set_annotation(rs, MAX_REPLICAS, b);
	return 1;
}

/* Upstream's scaleReplicaSet: sets rs's replicas and replica annotations (one update, with
 * the ScalingReplicaSet event when the size changed). Returns 1 if the size changes. */
static int scale_rs(struct dsync *ds, const cJSON *rs, int64_t to, const char *op)
{
	int64_t from = spec_replicas(rs);
	cJSON *copy = cJSON_Duplicate(rs, 1);
	int64_t want = desired(ds->d);
	int ann = set_replicas_annotations(copy, want, want + rollout_max_surge(ds->d));
	if (from != to || ann) {
		size_t n = strlen(name_of(rs));
		struct scaled *sc = xcalloc(1, sizeof(*sc) + n + 1);
		snprintf(sc->op, sizeof(sc->op), "%s", op);
		sc->from = from;
		sc->to = to;
		memcpy(sc->name, name_of(rs), n + 1);
		json_set_int(json_obj_force(copy, "spec"), "replicas", to);
		ctrl_update(ds->c->m, COMPONENT, ds->c->rsk, json_strv(rs, "metadata", "namespace", NULL), name_of(rs), NULL,
			    copy, wl_sync_cb, wl_sync_expect(ds->s, rs_scaled, sc));
	}
	cJSON_Delete(copy);
	return from != to;
}

/* Upstream's scaleReplicaSetAndRecordEvent. */
static int scale_rs_event(struct dsync *ds, const cJSON *rs, int64_t to)
{
	if (!rs || spec_replicas(rs) == to)
		return 0;
	return scale_rs(ds, rs, to, spec_replicas(rs) < to ? "up" : "down");
}

/* ---- revisions and the new ReplicaSet --------------------------------------------------- */

static int skip_annotation(const char *k)
{
	static const char *const skipped[] = { LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS,
					       ROLLBACK_TO };
	for (size_t i = 0; i < ARRAY_SIZE(skipped); i++)
		if (!strcmp(k, skipped[i]))
			return 1;
	return 0;
}

/* Upstream's copyDeploymentAnnotationsToReplicaSet. Returns 1 if rs changed. */
static int copy_annotations(const cJSON *d, cJSON *rs)
{
	const cJSON *a;
	int changed = 0;
	cJSON_ArrayForEach(a, json_getv(d, "metadata", "annotations", NULL)) {
		const char *cur = annotation(rs, a->string);
		if (!cJSON_IsString(a) || skip_annotation(a->string) || (cur && !strcmp(cur, a->valuestring)))
			continue;
		set_annotation(rs, a->string, a->valuestring);
		changed = 1;
	}
	return changed;
}

/* Upstream's SetNewReplicaSetAnnotations. Returns 1 if rs changed. */
static int new_rs_annotations(const cJSON *d, cJSON *rs, int64_t new_revision, int exists)
{
	int changed = copy_annotations(d, rs);
	const char *old = annotation(rs, REVISION);
	int64_t old_rev = 0;
	char rev[24];
	if (old && parse_int64(old, INT64_MIN, INT64_MAX, &old_rev) < 0)
		return changed;
	snprintf(rev, sizeof(rev), "%lld", (long long)new_revision);
	if (old_rev < new_revision) {
		char *prev = old ? xstrdup(old) : NULL;
		set_annotation(rs, REVISION, rev);
		changed = 1;
		if (prev) {
			char *h = rollout_push_history(annotation(rs, REVISION_HISTORY), prev, MAX_HISTORY_CHARS);
			if (h)
				set_annotation(rs, REVISION_HISTORY, h);
			free(h);
		}
		free(prev);
	}
	int64_t want = desired(d);
	if (!exists && set_replicas_annotations(rs, want, want + rollout_max_surge(d)))
		changed = 1;
	return changed;
}

static void set_deployment_revision(struct dsync *ds, const char *rev)
{
	if (rev && (!annotation(ds->d, REVISION) || strcmp(annotation(ds->d, REVISION), rev)))
		set_annotation(ds->d, REVISION, rev);
}

/* Upstream's FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
static cJSON *find_new_rs(struct dsync *ds)
{
	const cJSON *tmpl = json_getv(ds->d, "spec", "template", NULL);
	if (ds->nrs)
		qsort(ds->rs, ds->nrs, sizeof(*ds->rs), cmp_created);
	for (size_t i = 0; i < ds->nrs; i++)
		if (wl_template_equal(json_getv(ds->rs[i], "spec", "template", NULL), tmpl))
			return ds->rs[i];
	return NULL;
}

/* The existing new ReplicaSet's part of getNewReplicaSet. */
static void sync_existing_new(struct dsync *ds, int64_t new_revision)
{
	cJSON *copy = cJSON_Duplicate(ds->new_rs, 1);
	int64_t mrs = wl_int(json_obj(ds->d, "spec"), "minReadySeconds");
	int ann = new_rs_annotations(ds->d, copy, new_revision, 1);
	if (ann || wl_int(json_obj(copy, "spec"), "minReadySeconds") != mrs) {
		json_set_int(json_obj_force(copy, "spec"), "minReadySeconds", mrs);
		ctrl_update(ds->c->m, COMPONENT, ds->c->rsk, json_strv(copy, "metadata", "namespace", NULL), name_of(copy),
			    NULL, copy, wl_sync_cb, wl_sync_expect(ds->s, NULL, NULL));
		/* The rest of the rollout follows once this update is seen. */
		ds->wait = 1;
		cJSON_Delete(copy);
		return;
	}
	set_deployment_revision(ds, annotation(copy, REVISION));
	if (has_deadline(ds->d) && !get_cond(status_of(ds), "Progressing"))
		set_cond(status_of(ds), new_cond("Progressing", "True", "FoundNewReplicaSet", "Found new replica set \"%s\"",
						 name_of(copy)));
	cJSON_Delete(copy);
}

static void create_new_rs(struct dsync *ds, int64_t new_revision);

/* Upstream's getAllReplicaSetsAndSyncRevision: finds the new ReplicaSet (once a sync) and,
 * when create is set and there is none, starts creating it (ds->creating). */
static void get_all(struct dsync *ds, int create)
{
	int64_t max_old = 0;
	if (!ds->synced_revision) {
		ds->synced_revision = 1;
		ds->new_rs = find_new_rs(ds);
		for (size_t i = 0; i < ds->nrs; i++)
			if (ds->rs[i] != ds->new_rs)
				max_old = MAX(max_old, revision_of(ds->rs[i]));
		if (ds->new_rs)
			sync_existing_new(ds, max_old + 1);
	} else {
		for (size_t i = 0; i < ds->nrs; i++)
			if (ds->rs[i] != ds->new_rs)
				max_old = MAX(max_old, revision_of(ds->rs[i]));
	}
	if (create && !ds->new_rs && !ds->creating)
		create_new_rs(ds, max_old + 1);
}

/* ---- creating the new ReplicaSet -------------------------------------------------------- */

struct creation {
	struct dc *c;
	int64_t replicas;
	char revision[24];
	char key[]; /* the Deployment's key, then (after its NUL) the ReplicaSet's name */
};

static const char *creation_name(const struct creation *cr)
{
	return cr->key + strlen(cr->key) + 1;
}

/* After a status write that carried the revision annotation (arg): upstream's status strategy
 * keeps annotations from the request; where /status does not, patch the annotation. */
static void status_written(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	const char *want = arg;
	cJSON *d = code < 300 ? json_parse(body, len, NULL) : NULL;
	const char *have = annotation(d, REVISION);
	if (code >= 300 && code != 404 && code != 409)
		wl_sync_fail(s);
	if (d && want && (!have || strcmp(have, want))) {
		cJSON *patch = cJSON_CreateObject();
		set_annotation(patch, REVISION, want);
		ctrl_patch(wl_sync_mgr(s), COMPONENT, kind_by_resource("apps", "v1", "deployments"),
			   json_strv(d, "metadata", "namespace", NULL), name_of(d), NULL, patch, wl_sync_cb,
			   wl_sync_expect(s, NULL, NULL));
		cJSON_Delete(patch);
	}
	cJSON_Delete(d);
}

/* PUT of d's status (d is changed: the revision annotation rev is set when not NULL). d's
 * resourceVersion stays a precondition: /status takes labels and annotations from the request,
 * so an unconditional write of a stale copy would undo a client's concurrent change (a newer
 * last-applied-configuration, say). A conflict (409) is not a failure: the newer object's event
 * syncs the Deployment again. */
static void put_status(struct dc *c, struct wl_sync *s, cJSON *d, const char *rev)
{
	if (rev)
		set_annotation(d, REVISION, rev);
	ctrl_update(c->m, COMPONENT, c->dk, json_strv(d, "metadata", "namespace", NULL), name_of(d), "status", d,
		    wl_sync_cb, wl_sync_expect(s, status_written, rev ? xstrdup(rev) : NULL));
}

/* Writes the status of the Deployment at key (as stored now) with cond set (taken), and its
 * collision count bumped when bump is set. */
static void write_created_status(struct wl_sync *s, struct dc *c, const char *key, cJSON *cond, int bump,
				 const char *revision)
{
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->deps, ns, name);
	cJSON *d = kv ? obj_parse(kv) : NULL;
	if (!d) {
		cJSON_Delete(cond);
		return;
	}
	cJSON *st = json_obj_force(d, "status");
	if (cond)
		set_cond(st, cond);
	if (bump)
		json_set_int(st, "collisionCount", wl_int(st, "collisionCount") + 1);
	put_status(c, s, d, revision);
	cJSON_Delete(d);
}

/* Is the existing ReplicaSet named like the new one really the Deployment's new one? */
static int is_ours(struct dc *c, const struct creation *cr, const cJSON *d)
{
	char ns[256];
	wl_key_split(cr->key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->rs, ns, creation_name(cr));
	cJSON *rs = kv ? obj_parse(kv) : NULL;
	const cJSON *ref = ctrl_owner(rs);
	const char *uid = json_strv(d, "metadata", "uid", NULL);
	int ours = ref && uid && json_str(ref, "uid") && !strcmp(json_str(ref, "uid"), uid) &&
		   wl_template_equal(json_getv(d, "spec", "template", NULL), json_getv(rs, "spec", "template", NULL));
	cJSON_Delete(rs);
	return ours;
}

static void rs_created(struct wl_sync *s, int code, const char *body, size_t len, void *arg)
{
	struct creation *cr = arg;
	char ns[256];
	const char *dname = wl_key_split(cr->key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(cr->c->deps, ns, dname);
	cJSON *d = kv ? obj_parse(kv) : NULL;
	if (!d)
		return;
	if (code < 300) {
		if (cr->replicas > 0)
			ctrl_event(cr->c->m, COMPONENT, d, "Normal", "ScalingReplicaSet", "Scaled up replica set %s from 0 to %lld",
				   creation_name(cr), (long long)cr->replicas);
		cJSON *cond = has_deadline(d) ? new_cond("Progressing", "True", "NewReplicaSetCreated",
							 "Created new replica set \"%s\"", creation_name(cr))
					      : NULL;
		write_created_status(s, cr->c, cr->key, cond, 0, cr->revision);
	} else if (code == 409 && !is_ours(cr->c, cr, d)) {
		write_created_status(s, cr->c, cr->key, NULL, 1, NULL); /* a hash collision: try another */
		wl_sync_fail(s);
	} else if (code != 409 && !wl_answer_ns_terminating(body, len)) {
		struct buf msg = BUF_INIT, full = BUF_INIT;
		wl_answer_message(body, len, &msg);
		buf_addf(&full, "Failed to create new replica set \"%s\": %s", creation_name(cr), buf_str(&msg));
		if (has_deadline(d))
			write_created_status(s, cr->c, cr->key,
					     new_cond("Progressing", "False", "ReplicaSetCreateError", "%s", full.data), 0, NULL);
		ctrl_event(cr->c->m, COMPONENT, d, "Warning", "ReplicaSetCreateError", "%s", full.data);
		buf_release(&msg);
		buf_release(&full);
		wl_sync_fail(s);
	}
	cJSON_Delete(d);
}

/* A LabelSelector with pod-template-hash=hash added to its matchLabels (caller frees). */
static cJSON *selector_with_hash(const cJSON *sel, const char *hash)
{
	cJSON *s = sel ? cJSON_Duplicate(sel, 1) : cJSON_CreateObject();
	json_set_str(json_obj_force(s, "matchLabels"), WL_HASH_LABEL, hash);
	return s;
}

/* The new ReplicaSet as upstream's getNewReplicaSet builds it (caller frees). */
static cJSON *build_new_rs(struct dsync *ds, const char *hash, int64_t new_revision)
{
	const cJSON *spec = json_obj(ds->d, "spec");
	cJSON *rs = cJSON_CreateObject(), *meta = json_obj_force(rs, "metadata"), *rspec = json_obj_force(rs, "spec");
	cJSON *tmpl = cJSON_Duplicate(json_obj(spec, "template"), 1);
	char *name = xasprintf("%s-%s", name_of(ds->d), hash);
	json_set_str(json_obj_force(json_obj_force(tmpl, "metadata"), "labels"), WL_HASH_LABEL, hash);
	json_set_str(rs, "apiVersion", "apps/v1");
	json_set_str(rs, "kind", "ReplicaSet");
	json_set_str(meta, "name", name);
	json_set_str(meta, "namespace", json_strv(ds->d, "metadata", "namespace", NULL));
	json_set(meta, "labels", cJSON_Duplicate(json_getv(tmpl, "metadata", "labels", NULL), 1));
	cJSON *refs = cJSON_CreateArray();
	cJSON_AddItemToArray(refs, ctrl_owner_ref(ds->d));
	json_set(meta, "ownerReferences", refs);
	json_set_int(rspec, "replicas", 0);
	json_set_int(rspec, "minReadySeconds", wl_int(spec, "minReadySeconds"));
	json_set(rspec, "selector", selector_with_hash(json_obj(spec, "selector"), hash));
	json_set(rspec, "template", tmpl);
	new_rs_annotations(ds->d, rs, new_revision, 0);
	free(name);
	return rs;
}

static void create_new_rs(struct dsync *ds, int64_t new_revision)
{
	char hash[WL_HASH_LEN];
	int64_t cc, *ccp = json_int(status_of(ds), "collisionCount", &cc) == 0 ? &cc : NULL;
	wl_template_hash(json_getv(ds->d, "spec", "template", NULL), ccp, hash);
	cJSON *rs = build_new_rs(ds, hash, new_revision);
	int64_t all = 0, n = desired(ds->d);
	for (size_t i = 0; i < ds->nrs; i++)
		all += spec_replicas(ds->rs[i]);
	if (is_rolling(ds->d))
		n = rollout_new_rs_replicas(desired(ds->d), rollout_max_surge(ds->d), all, 0);
	json_set_int(json_obj(rs, "spec"), "replicas", n);
	struct buf key = BUF_INIT;
	buf_addf(&key, "%s/%s", json_strv(ds->d, "metadata", "namespace", NULL), name_of(ds->d));
	struct creation *cr = xcalloc(1, sizeof(*cr) + key.len + strlen(name_of(rs)) + 2);
	cr->c = ds->c;
	cr->replicas = n;
	snprintf(cr->revision, sizeof(cr->revision), "%lld", (long long)new_revision);
	memcpy(cr->key, key.data, key.len + 1);
	memcpy(cr->key + key.len + 1, name_of(rs), strlen(name_of(rs)) + 1);
	ctrl_create(ds->c->m, COMPONENT, ds->c->rsk, json_strv(ds->d, "metadata", "namespace", NULL), rs, wl_sync_cb,
		    wl_sync_expect(ds->s, rs_created, cr));
	ds->creating = ds->wait = 1;
	buf_release(&key);
	cJSON_Delete(rs);
}

/* ---- status ----------------------------------------------------------------------------- */

/* Upstream's calculateStatus into the Deployment's status. */
static void calculate_status(struct dsync *ds)
{
	int64_t avail = 0, total = 0, actual = 0, ready = 0;
	cJSON *st = status_of(ds);
	for (size_t i = 0; i < ds->nrs; i++) {
		avail += status_int(ds->rs[i], "availableReplicas");
		total += spec_replicas(ds->rs[i]);
		actual += status_int(ds->rs[i], "replicas");
		ready += status_int(ds->rs[i], "readyReplicas");
	}
	int64_t updated = ds->new_rs ? status_int(ds->new_rs, "replicas") : 0;
	const struct { const char *key; int64_t v; } f[] = {
		{ "observedGeneration", wl_int(json_obj(ds->d, "metadata"), "generation") }, { "replicas", actual },
		{ "updatedReplicas", updated }, { "readyReplicas", ready }, { "availableReplicas", avail },
		{ "unavailableReplicas", MAX(total - avail, 0) },
	};
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		if (f[i].v)
			json_set_int(st, f[i].key, f[i].v);
		else
			json_del(st, f[i].key);
	if (avail >= desired(ds->d) - rollout_max_unavailable(ds->d))
		set_cond(st, new_cond("Available", "True", "MinimumReplicasAvailable", "%s", "Deployment has minimum availability."));
	else
		set_cond(st, new_cond("Available", "False", "MinimumReplicasUnavailable", "%s",
				      "Deployment does not have minimum availability."));
}

/* Upstream's DeploymentComplete for status st. */
static int complete(const cJSON *d, const cJSON *st)
{
	int64_t want = desired(d);
	return wl_int(st, "updatedReplicas") == want && wl_int(st, "replicas") == want &&
	       wl_int(st, "availableReplicas") == want &&
	       wl_int(st, "observedGeneration") >= wl_int(json_obj(d, "metadata"), "generation");
}

/* Upstream's DeploymentProgressing: did the rollout move since old? */
static int progressing(const cJSON *old, const cJSON *st)
{
	int64_t old_old = wl_int(old, "replicas") - wl_int(old, "updatedReplicas");
	int64_t new_old = wl_int(st, "replicas") - wl_int(st, "updatedReplicas");
	return wl_int(st, "updatedReplicas") > wl_int(old, "updatedReplicas") || new_old < old_old ||
	       wl_int(st, "readyReplicas") > wl_int(old, "readyReplicas") ||
	       wl_int(st, "availableReplicas") > wl_int(old, "availableReplicas");
}

static int timed_out(const cJSON *d, const cJSON *st, int64_t now)
{
	const cJSON *c = get_cond(st, "Progressing");
	int64_t from = 0;
	if (!has_deadline(d) || !c || !strcmp(cond_str(c, "reason"), "NewReplicaSetAvailable"))
		return 0;
	if (!strcmp(cond_str(c, "reason"), "ProgressDeadlineExceeded"))
		return 1;
	parse_rfc3339(cond_str(c, "lastUpdateTime"), &from);
	return from + wl_int(json_obj(d, "spec"), "progressDeadlineSeconds") < now;
}

/* The Progressing condition of syncRolloutStatus. */
static void progress_condition(struct dsync *ds)
{
	cJSON *st = status_of(ds);
	const cJSON *cur = get_cond(st, "Progressing");
	const char *rs = ds->new_rs ? name_of(ds->new_rs) : NULL;
	const char *what = rs ? "ReplicaSet" : "Deployment", *name = rs ? rs : name_of(ds->d);
	char fmt[64];
	if (wl_int(st, "replicas") == wl_int(st, "updatedReplicas") && cur &&
	    !strcmp(cond_str(cur, "reason"), "NewReplicaSetAvailable"))
		return;
	if (complete(ds->d, st)) {
		snprintf(fmt, sizeof(fmt), "%s \"%%s\" has successfully progressed.", what);
		set_cond(st, new_cond("Progressing", "True", "NewReplicaSetAvailable", fmt, name));
	} else if (progressing(ds->orig_status, st)) {
		snprintf(fmt, sizeof(fmt), "%s \"%%s\" is progressing.", what);
		cJSON *c = new_cond("Progressing", "True", "ReplicaSetUpdated", fmt, name);
		if (cur && !strcmp(cond_str(cur, "status"), "True"))
			json_set_str(c, "lastTransitionTime", cond_str(cur, "lastTransitionTime"));
		remove_cond(st, "Progressing");
		set_cond(st, c);
	} else if (timed_out(ds->d, st, ds->now)) {
		snprintf(fmt, sizeof(fmt), "%s \"%%s\" has timed out progressing.", what);
		set_cond(st, new_cond("Progressing", "False", "ProgressDeadlineExceeded", fmt, name));
	}
}

/* getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else an old one's. */
static void replica_failure(struct dsync *ds)
{
	const cJSON *found = ds->new_rs ? get_cond(json_obj(ds->new_rs, "status"), "ReplicaFailure") : NULL;
	for (size_t i = 0; !found && i < ds->nrs; i++)
		found = get_cond(json_obj(ds->rs[i], "status"), "ReplicaFailure");
	if (!found) {
		remove_cond(status_of(ds), "ReplicaFailure");
		return;
	}
	cJSON *c = cJSON_CreateObject();
	json_set_str(c, "type", "ReplicaFailure");
	json_set_str(c, "status", cond_str(found, "status"));
	json_set_str(c, "lastUpdateTime", cond_str(found, "lastTransitionTime"));
	json_set_str(c, "lastTransitionTime", cond_str(found, "lastTransitionTime"));
	json_set_str(c, "reason", cond_str(found, "reason"));
	json_set_str(c, "message", cond_str(found, "message"));
	set_cond(status_of(ds), c);
}

/* Upstream's syncRolloutStatus (rollout: with the Progressing estimate) or
 * syncDeploymentStatus. */
static void sync_status(struct dsync *ds, int rollout)
{
	calculate_status(ds);
	if (!rollout)
		return;
	if (!has_deadline(ds->d))
		remove_cond(status_of(ds), "Progressing");
	else
		progress_condition(ds);
	replica_failure(ds);
}

/* Upstream's requeueStuckDeployment: look again when the progress deadline may pass. */
static void requeue_stuck(struct dsync *ds, const char *key)
{
	const cJSON *st = status_of(ds), *c = get_cond(st, "Progressing");
	int64_t lu = 0;
	if (!has_deadline(ds->d) || !c || complete(ds->d, st) ||
	    !strcmp(cond_str(c, "reason"), "ProgressDeadlineExceeded") || wl_deleting(ds->d) ||
	    cJSON_IsTrue(json_getv(ds->d, "spec", "paused", NULL)))
		return;
	parse_rfc3339(cond_str(c, "lastUpdateTime"), &lu);
	int64_t after = lu + wl_int(json_obj(ds->d, "spec"), "progressDeadlineSeconds") - ds->now;
	workqueue_add_after(ds->c->q, key, after < 1 ? 1000 : (uint64_t)(after + 1) * 1000);
}

/* Writes what the sync changed in the Deployment: its status and its revision annotation
 * (through /status, as upstream). */
static void write_deployment(struct dsync *ds)
{
	const char *rev = annotation(ds->d, REVISION);
	struct buf a = BUF_INIT, b = BUF_INIT;
	int new_rev = rev && (!ds->orig_revision || strcmp(rev, ds->orig_revision));
	wl_canonical(ds->orig_status, &a);
	wl_canonical(status_of(ds), &b);
	if (new_rev || strcmp(buf_str(&a), buf_str(&b))) {
		cJSON *copy = cJSON_Duplicate(ds->d, 1);
		put_status(ds->c, ds->s, copy, new_rev ? rev : NULL);
		cJSON_Delete(copy);
	}
	buf_release(&a);
	buf_release(&b);
}

/* ---- cleanup and scaling ---------------------------------------------------------------- */

/* Upstream's cleanupDeployment: deletes the oldest unused ReplicaSets beyond
 * revisionHistoryLimit. */
static void cleanup(struct dsync *ds)
{
	int64_t limit;
	size_t n = 0, k = 0;
	if (json_int(json_obj(ds->d, "spec"), "revisionHistoryLimit", &limit) < 0)
		return;
	cJSON **old = old_rs(ds, 0, &n);
	for (size_t i = 0; i < n; i++)
		if (!wl_deleting(old[i]))
			old[k++] = old[i];
	qsort(old, k, sizeof(*old), cmp_revision);
	for (int64_t i = 0; i < (int64_t)k - limit; i++) {
		const cJSON *rs = old[i];
		if (status_int(rs, "replicas") || spec_replicas(rs) ||
		    wl_int(json_obj(rs, "metadata"), "generation") > status_int(rs, "observedGeneration"))
			continue;
		ctrl_delete(ds->c->m, ds->c->rsk, json_strv(rs, "metadata", "namespace", NULL), name_of(rs), NULL, NULL,
			    wl_sync_cb, wl_sync_expect(ds->s, NULL, NULL));
	}
	free(old);
}

/* Upstream's IsSaturated. */
static int saturated(const cJSON *d, const cJSON *rs)
{
	int ok;
	if (!rs)
		return 0;
	int64_t want = int_annotation(rs, DESIRED, &ok);
	return ok && want == desired(d) && spec_replicas(rs) == desired(d) &&
	       status_int(rs, "availableReplicas") == desired(d);
}

/* Upstream's FindActiveOrLatest (NULL when several are active). */
static cJSON *active_or_latest(struct dsync *ds)
{
	size_t n, nactive = 0;
	cJSON **old = old_rs(ds, 0, &n), *found = NULL;
	if (!ds->new_rs && !n) {
		free(old);
		return NULL;
	}
	qsort(old, n, sizeof(*old), cmp_created);
	for (size_t i = 0; i < ds->nrs; i++)
		if (spec_replicas(ds->rs[i]) > 0) {
			found = ds->rs[i];
			nactive++;
		}
	if (nactive == 0)
		found = ds->new_rs ? ds->new_rs : old[n - 1];
	free(old);
	return nactive <= 1 ? found : NULL;
}

/* The proportional part of upstream's scale(). */
static void scale_proportionally(struct dsync *ds)
{
	size_t n = 0;
	cJSON **all = xcalloc(ds->nrs + 1, sizeof(*all));
	int64_t sum = 0, want = desired(ds->d), surge = rollout_max_surge(ds->d), added = 0;
	for (size_t i = 0; i < ds->nrs; i++)
		if (spec_replicas(ds->rs[i]) > 0) {
			all[n++] = ds->rs[i];
			sum += spec_replicas(ds->rs[i]);
		}
	int64_t to_add = (want > 0 ? want + surge : 0) - sum;
	const char *op = to_add > 0 ? "up" : to_add < 0 ? "down" : "";
	qsort(all, n, sizeof(*all), to_add > 0 ? cmp_size_newer : cmp_size_older);
	int64_t *size = xcalloc(n + 1, sizeof(*size));
	for (size_t i = 0; i < n; i++) {
		int ok;
		int64_t p = to_add ? rollout_proportion(spec_replicas(all[i]), int_annotation(all[i], MAX_REPLICAS, &ok), want,
							surge, status_int(ds->d, "replicas"), to_add, added)
				   : 0;
		size[i] = spec_replicas(all[i]) + p;
		added += p;
	}
	for (size_t i = 0; i < n; i++) {
		if (i == 0 && to_add)
			size[0] = MAX(size[0] + to_add - added, 0);
		scale_rs(ds, all[i], size[i], op);
	}
	free(size);
	free(all);
}

/* Upstream's scale(). */
static void scale(struct dsync *ds)
{
	cJSON *one = active_or_latest(ds);
	if (one) {
		if (spec_replicas(one) != desired(ds->d))
			scale_rs_event(ds, one, desired(ds->d));
		return;
	}
	if (saturated(ds->d, ds->new_rs)) {
		size_t n;
		cJSON **old = old_rs(ds, 1, &n);
		for (size_t i = 0; i < n; i++)
			scale_rs_event(ds, old[i], 0);
		free(old);
		return;
	}
	if (is_rolling(ds->d))
		scale_proportionally(ds);
}

/* Upstream's isScalingEvent. */
static int scaling_event(struct dsync *ds)
{
	get_all(ds, 0);
	for (size_t i = 0; i < ds->nrs; i++) {
		int ok;
		int64_t want = int_annotation(ds->rs[i], DESIRED, &ok);
		if (spec_replicas(ds->rs[i]) > 0 && ok && want != desired(ds->d))
			return 1;
	}
	return 0;
}

/* Upstream's sync(): scale, clean up when paused, status. */
static void sync_scale(struct dsync *ds)
{
	get_all(ds, 0);
	if (ds->wait)
		return;
	scale(ds);
	if (cJSON_IsTrue(json_getv(ds->d, "spec", "paused", NULL)))
		cleanup(ds);
	sync_status(ds, 0);
}

/* ---- the strategies --------------------------------------------------------------------- */

/* The unhealthy part of upstream's reconcileOldReplicaSets: scales down old replicas that
 * are not available, at most max of them; returns how many. Updates the old ReplicaSets in
 * memory, as upstream goes on with the updated copies. */
static int64_t cleanup_unhealthy(struct dsync *ds, cJSON **old, size_t n, int64_t max)
{
	int64_t total = 0;
	qsort(old, n, sizeof(*old), cmp_created);
	for (size_t i = 0; i < n && total < max; i++) {
		int64_t spec = spec_replicas(old[i]), avail = status_int(old[i], "availableReplicas");
		if (spec == 0 || spec == avail)
			continue;
		int64_t down = MIN(max - total, spec - avail);
		scale_rs_event(ds, old[i], spec - down);
		json_set_int(json_obj_force(old[i], "spec"), "replicas", spec - down);
		total += down;
	}
	return total;
}

/* Upstream's scaleDownOldReplicaSetsForRollingUpdate over the active old ReplicaSets. */
static int64_t scale_down_old(struct dsync *ds, cJSON **old, size_t n)
{
	int64_t min_avail = desired(ds->d) - rollout_max_unavailable(ds->d), total = 0;
	int64_t avail = ds->new_rs ? status_int(ds->new_rs, "availableReplicas") : 0;
	for (size_t i = 0; i < n; i++)
		avail += status_int(old[i], "availableReplicas");
	if (avail <= min_avail)
		return 0;
	qsort(old, n, sizeof(*old), cmp_created);
	for (size_t i = 0; i < n && total < avail - min_avail; i++) {
		int64_t spec = spec_replicas(old[i]);
		if (spec == 0)
			continue;
		int64_t down = MIN(spec, avail - min_avail - total);
		scale_rs_event(ds, old[i], spec - down);
		total += down;
	}
	return total;
}

/* Upstream's reconcileOldReplicaSets. Returns 1 if it scaled down. */
static int reconcile_old(struct dsync *ds)
{
	size_t n;
	int64_t old_pods = 0, all = 0;
	cJSON **old = old_rs(ds, 0, &n);
	for (size_t i = 0; i < ds->nrs; i++) {
		all += spec_replicas(ds->rs[i]);
		if (ds->rs[i] != ds->new_rs)
			old_pods += spec_replicas(ds->rs[i]);
	}
	int64_t new_unavail = ds->new_rs ? spec_replicas(ds->new_rs) - status_int(ds->new_rs, "availableReplicas") : 0;
	int64_t max = rollout_max_scaled_down(desired(ds->d), rollout_max_unavailable(ds->d), all, new_unavail);
	int64_t down = 0;
	if (old_pods > 0 && max > 0) {
		size_t k = 0;
		cJSON **active = old_rs(ds, 1, &k);
		down = cleanup_unhealthy(ds, active, k, max);
		down += scale_down_old(ds, active, k);
		free(active);
	}
	free(old);
	return down > 0;
}

/* Upstream's reconcileNewReplicaSet. Returns 1 if it scaled. */
static int reconcile_new(struct dsync *ds)
{
	int64_t want = desired(ds->d), cur = spec_replicas(ds->new_rs), all = 0;
	if (cur == want)
		return 0;
	if (cur > want)
		return scale_rs_event(ds, ds->new_rs, want);
	for (size_t i = 0; i < ds->nrs; i++)
		all += spec_replicas(ds->rs[i]);
	return scale_rs_event(ds, ds->new_rs, rollout_new_rs_replicas(want, rollout_max_surge(ds->d), all, cur));
}

static void rollout_rolling(struct dsync *ds)
{
	get_all(ds, 1);
	if (ds->wait)
		return;
	if (reconcile_new(ds) || reconcile_old(ds)) {
		sync_status(ds, 1);
		return;
	}
	if (complete(ds->d, ds->orig_status))
		cleanup(ds);
	sync_status(ds, 1);
}

struct running {
	int any;
};

static int pod_running(struct store_kv *kv, void *data)
{
	struct running *r = data;
	const char *phase = obj_field(kv->attrs, "status.phase");
	if (!phase || (strcmp(phase, "Failed") && strcmp(phase, "Succeeded")))
		r->any = 1;
	return r->any;
}

/* Upstream's oldPodsRunning. */
static int old_pods_running(struct dsync *ds)
{
	struct running r = { 0 };
	for (size_t i = 0; i < ds->nrs && !r.any; i++) {
		if (ds->rs[i] == ds->new_rs)
			continue;
		if (status_int(ds->rs[i], "replicas") > 0)
			return 1;
		const char *uid = json_strv(ds->rs[i], "metadata", "uid", NULL);
		if (uid)
			informer_owned(ds->c->pods, uid, pod_running, &r);
	}
	return r.any;
}

static void rollout_recreate(struct dsync *ds)
{
	size_t n;
	int scaled = 0;
	get_all(ds, 0);
	if (ds->wait)
		return;
	cJSON **old = old_rs(ds, 1, &n);
	for (size_t i = 0; i < n; i++)
		scaled |= scale_rs_event(ds, old[i], 0);
	free(old);
	if (scaled || old_pods_running(ds)) {
		sync_status(ds, 1);
		return;
	}
	if (!ds->new_rs) {
		get_all(ds, 1);
		return;
	}
	scale_rs_event(ds, ds->new_rs, desired(ds->d));
	if (complete(ds->d, ds->orig_status))
		cleanup(ds);
	sync_status(ds, 1);
}

/* ---- claiming ReplicaSets --------------------------------------------------------------- */

struct claim {
	struct dsync *ds;
	const char *uid;
	int writes;
};

static int claim_rs(struct store_kv *kv, void *data)
{
	struct claim *cl = data;
	struct dsync *ds = cl->ds;
	const char *o = obj_field(kv->attrs, "x.owner");
	if (o && *o && strcmp(o, cl->uid))
		return 0;
	cJSON *rs = obj_parse(kv);
	int m = wl_selector_matches(json_getv(ds->d, "spec", "selector", NULL), json_getv(rs, "metadata", "labels", NULL));
	switch (wl_claim(ds->d, rs, m)) {
	case WL_OWNED:
		ds->rs = xrealloc(ds->rs, (ds->nrs + 1) * sizeof(*ds->rs));
		ds->rs[ds->nrs++] = rs;
		return 0;
	case WL_ADOPT:
		wl_adopt(ds->s, COMPONENT, ds->c->rsk, rs, ds->d);
		cl->writes++;
		break;
	case WL_RELEASE:
		wl_release(ds->s, COMPONENT, ds->c->rsk, rs, cl->uid);
		cl->writes++;
		break;
	case WL_IGNORE:
		break;
	}
	cJSON_Delete(rs);
	return 0;
}

/* Upstream's checkPausedConditions. */
static void paused_conditions(struct dsync *ds)
{
	const cJSON *c = get_cond(status_of(ds), "Progressing");
	int paused = cJSON_IsTrue(json_getv(ds->d, "spec", "paused", NULL));
	if (!has_deadline(ds->d) || (c && !strcmp(cond_str(c, "reason"), "ProgressDeadlineExceeded")))
		return;
	int exists = c && !strcmp(cond_str(c, "reason"), "DeploymentPaused");
	if (paused && !exists)
		set_cond(status_of(ds), new_cond("Progressing", "Unknown", "DeploymentPaused", "%s", "Deployment is paused"));
	else if (!paused && exists)
		set_cond(status_of(ds), new_cond("Progressing", "Unknown", "DeploymentResumed", "%s", "Deployment is resumed"));
}

static int selects_all(const cJSON *d)
{
	const cJSON *sel = json_getv(d, "spec", "selector", NULL);
	return cJSON_IsObject(sel) && !cJSON_GetArraySize(json_getv(sel, "matchLabels", NULL)) &&
	       !cJSON_GetArraySize(json_getv(sel, "matchExpressions", NULL));
}

/* The body of a sync after the Deployment was read and its ReplicaSets claimed. */
static void sync_steps(struct dsync *ds)
{
	if (wl_deleting(ds->d)) {
		get_all(ds, 0);
		sync_status(ds, 0);
		return;
	}
	paused_conditions(ds);
	if (cJSON_IsTrue(json_getv(ds->d, "spec", "paused", NULL)) || scaling_event(ds)) {
		sync_scale(ds);
		return;
	}
	if (is_rolling(ds->d))
		rollout_rolling(ds);
	else
		rollout_recreate(ds);
}

static void dsync_release(struct dsync *ds)
{
	for (size_t i = 0; i < ds->nrs; i++)
		cJSON_Delete(ds->rs[i]);
	free(ds->rs);
	cJSON_Delete(ds->d);
	cJSON_Delete(ds->orig_status);
	free(ds->orig_revision);
}

static void d_sync(struct workqueue *q, const char *key, void *data)
{
	struct dc *c = data;
	char ns[256];
	const char *name = wl_key_split(key, ns, sizeof(ns));
	struct store_kv *kv = informer_get(c->deps, ns, name);
	struct dsync ds = { c, wl_sync_begin(c->m, q, key), kv ? obj_parse(kv) : NULL };
	if (!ds.d)
		goto out;
	ds.now = wall_seconds();
	ds.orig_status = cJSON_Duplicate(status_of(&ds), 1);
	ds.orig_revision = annotation(ds.d, REVISION) ? xstrdup(annotation(ds.d, REVISION)) : NULL;
	if (selects_all(ds.d)) {
		ctrl_event(c->m, COMPONENT, ds.d, "Warning", "SelectingAll",
			   "This deployment is selecting all pods. A non-empty selector is required.");
		if (status_int(ds.d, "observedGeneration") < wl_int(json_obj(ds.d, "metadata"), "generation"))
			json_set_int(status_of(&ds), "observedGeneration", wl_int(json_obj(ds.d, "metadata"), "generation"));
		write_deployment(&ds);
		goto out;
	}
	struct claim cl = { &ds, json_strv(ds.d, "metadata", "uid", NULL), 0 };
	if (!cl.uid)
		goto out;
	informer_list(c->rs, ns, NULL, claim_rs, &cl);
	if (cl.writes)
		goto out;
	sync_steps(&ds);
	if (!ds.wait) {
		write_deployment(&ds);
		requeue_stuck(&ds, key);
	}
out:
	wl_sync_end(ds.s);
	dsync_release(&ds);
}

/* ---- event routing ---------------------------------------------------------------------- */

static void enqueue_uid(struct dc *c, const char *uid)
{
	const char *key = uid && *uid ? hmap_get(&c->by_uid, uid) : NULL;
	if (key)
		workqueue_add(c->q, key);
}

struct route {
	struct dc *c;
	const struct store_kv *obj;
};

static int route_matching(struct store_kv *kv, void *data)
{
	struct route *r = data;
	cJSON *d = obj_parse(kv);
	struct selector sel;
	if (selector_from_json(json_getv(d, "spec", "selector", NULL), &sel, NULL) == 0 && !sel.nothing && sel.nreqs &&
	    selector_matches(&sel, obj_label, r->obj->attrs))
		wl_enqueue(r->c->q, kv);
	selector_release(&sel);
	cJSON_Delete(d);
	return 0;
}

static const char *owner_uid(const struct store_kv *kv)
{
	const char *o = kv ? obj_field(kv->attrs, "x.owner") : NULL;
	return o && *o ? o : NULL;
}

static void on_rs(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct dc *c = data;
	const char *cur = owner_uid(kv), *prev = owner_uid(old), *uid = obj_field(kv->attrs, "x.uid");
	if (uid && *uid)
		free(ev == INF_DELETE || !cur ? hmap_del(&c->rs_owner, uid) : hmap_put(&c->rs_owner, uid, xstrdup(cur)));
	if (ev == INF_DELETE) {
		enqueue_uid(c, cur);
		return;
	}
	if (prev && (!cur || strcmp(prev, cur)))
		enqueue_uid(c, prev);
	if (cur) {
		enqueue_uid(c, cur);
	} else if (ev == INF_ADD || prev || !wl_same_labels(kv, old)) {
		struct route r = { c, kv };
		informer_list(c->deps, obj_field(kv->attrs, "metadata.namespace"), NULL, route_matching, &r);
	}
}

static void on_deployment(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct dc *c = data;
	struct buf key = BUF_INIT;
	const char *uid = obj_field(kv->attrs, "x.uid");
	UNUSED(old);
	informer_key(kv, &key);
	if (uid && *uid)
		free(ev == INF_DELETE ? hmap_del(&c->by_uid, uid) : hmap_put(&c->by_uid, uid, xstrdup(key.data)));
	workqueue_add(c->q, key.data);
	buf_release(&key);
}

/* A pod gone may let a Recreate rollout go on. */
static void on_pod(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct dc *c = data;
	UNUSED(old);
	const char *rs = owner_uid(kv);
	const char *d = ev == INF_DELETE && rs ? hmap_get(&c->rs_owner, rs) : NULL;
	const char *key = d ? hmap_get(&c->by_uid, d) : NULL;
	if (key)
		workqueue_add(c->q, key);
}

/* ---- start and stop --------------------------------------------------------------------- */

static int index_deployment(struct store_kv *kv, void *data)
{
	on_deployment(INF_ADD, kv, NULL, data);
	return 0;
}

static int index_rs(struct store_kv *kv, void *data)
{
	struct dc *c = data;
	const char *uid = obj_field(kv->attrs, "x.uid"), *o = owner_uid(kv);
	if (uid && *uid && o)
		free(hmap_put(&c->rs_owner, uid, xstrdup(o)));
	return 0;
}

static int free_value(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	free(value);
	return 0;
}

static void dc_stop(void *data)
{
	struct dc *c = data;
	hmap_each(&c->by_uid, free_value, NULL);
	hmap_release(&c->by_uid);
	hmap_each(&c->rs_owner, free_value, NULL);
	hmap_release(&c->rs_owner);
	free(c);
}

void ctrl_deployment_start(struct ctrl_mgr *m)
{
	struct dc *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->dk = kind_by_resource("apps", "v1", "deployments");
	c->rsk = kind_by_resource("apps", "v1", "replicasets");
	c->q = workqueue_new(m, "deployment", 5, d_sync, c);
	c->deps = informer_of(m, c->dk);
	c->rs = informer_of(m, c->rsk);
	c->pods = informer_of(m, kind_by_resource("", "v1", "pods"));
	informer_on(c->deps, on_deployment, c);
	informer_on(c->rs, on_rs, c);
	informer_on(c->pods, on_pod, c);
	informer_list(c->rs, NULL, NULL, index_rs, c);
	informer_list(c->deps, NULL, NULL, index_deployment, c);
	ctrl_on_stop(m, dc_stop, c);
}
