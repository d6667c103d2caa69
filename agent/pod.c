/*
 * pod.c - the pod worker's hooks: opening the runtime and the image store, one worker per pod
 * uid, recovery after an agent restart, and an orderly stop.
 *
 * DESIGN
 * kubelet_pods_start opens the runtime (cri_runtime_open with the agent's --resource-prefix
 * and data dir; container exits come back through on_exit) and the image store (importing
 * the tarballs in DATA/agent/images first: pods wait for that import before they resolve images).
 * Every pod bound to the node gets a struct pod_worker keyed by its uid; changes, container
 * exits, probe results and timers "kick" it, which runs pod_sync (pod_sync.c) when it has no
 * operation in flight (else the kick is remembered). pod_sync takes one step towards the spec
 * (or the teardown) and starts the asynchronous operations that step needs.
 *
 * Recovery: when a worker is created, the sandbox and containers the runtime lists with that
 * pod uid are adopted (the highest attempt of each container name is its current container).
 * Once the first list of pods has been delivered, sandboxes, containers and directories
 * (DATA/agent/pods/<uid>) of no pod get an orphan worker that tears them down.
 *
 * Lifetime: workers are reference-counted (the map, the timer, every operation in flight), so
 * callbacks that arrive after the stop (cancelled requests) still find their worker; the
 * shared struct pods lives until its last worker is freed. At stop the runtime is closed
 * (containers and shims keep running) and then the image store.
 */
#include "agent/internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cri/cri.h"

static void pods_unref(struct pods *st)
{
	if (--st->refs > 0)
		return;
	hmap_release(&st->workers);
	free(st);
}

uint64_t pod_now_ms(void)
{
	return now_ns() / 1000000;
}

/* ---- workers ----------------------------------------------------------------------------- */

static void worker_freed(uv_handle_t *h)
{
	struct pod_worker *w = h->data;
	struct pods *st = w->st;
	for (size_t i = 0; i < w->nctrs; i++) {
		struct pod_ctr *c = &w->ctrs[i];
		probes_stop(c->probes);
		free(c->name);
		free(c->id);
		free(c->wait_reason);
		free(c->wait_msg);
		cJSON_Delete(c->last_state);
		free(c->image);
		free(c->image_id);
	}
	free(w->ctrs);
	free(w->uid);
	free(w->ns);
	free(w->name);
	cJSON_Delete(w->pod);
	cJSON_Delete(w->conds);
	free(w->sandbox_id);
	free(w->pod_ip);
	free(w->status_sent);
	free(w);
	pods_unref(st);
}

void pod_worker_ref(struct pod_worker *w)
{
	w->refs++;
}

void pod_worker_unref(struct pod_worker *w)
{
	if (--w->refs > 0)
		return;
	for (size_t i = 0; i < w->nctrs; i++) {
		probes_stop(w->ctrs[i].probes);
		w->ctrs[i].probes = NULL;
	}
	uv_close((uv_handle_t *)&w->timer, worker_freed);
}

void pod_worker_drop(struct pod_worker *w)
{
	if (!w->live)
		return;
	w->live = 0;
	uv_timer_stop(&w->timer);
	for (size_t i = 0; i < w->nctrs; i++) {
		probes_stop(w->ctrs[i].probes);
		w->ctrs[i].probes = NULL;
	}
	hmap_del(&w->st->workers, w->uid);
	pod_worker_unref(w);
}

static void on_timer(uv_timer_t *t)
{
	struct pod_worker *w = t->data;
	w->timer_at = 0;
	pod_kick(w);
}

void pod_wake_at(struct pod_worker *w, uint64_t at_ms)
{
	uint64_t now = pod_now_ms();
	if (!w->live || (w->timer_at && w->timer_at <= at_ms && uv_is_active((uv_handle_t *)&w->timer)))
		return;
	w->timer_at = at_ms;
	uv_timer_start(&w->timer, on_timer, at_ms > now ? at_ms - now : 0, 0);
}

void pod_kick(struct pod_worker *w)
{
	if (!w->live || w->st->stopping)
		return;
	if (w->pending) {
		w->dirty = 1;
		return;
	}
	w->dirty = 0;
	pod_sync(w);
	if (w->live && !w->pending && !w->gone)
		pod_status_update(w);
}

static void ctr_add(struct pod_worker *w, const char *name, int init, size_t index)
{
	w->ctrs = xrealloc(w->ctrs, (w->nctrs + 1) * sizeof(*w->ctrs));
	struct pod_ctr *c = &w->ctrs[w->nctrs++];
	memset(c, 0, sizeof(*c));
	c->w = w;
	c->name = xstrdup(name);
	c->init = init;
	c->index = index;
}

static struct pod_ctr *ctr_find(struct pod_worker *w, const char *name)
{
	for (size_t i = 0; i < w->nctrs; i++)
		if (!strcmp(w->ctrs[i].name, name))
			return &w->ctrs[i];
	return NULL;
}

static void ctrs_from_spec(struct pod_worker *w)
{
	static const char *lists[] = { "initContainers", "containers" };
	for (int l = 0; l < 2; l++) {
		cJSON *arr = cJSON_GetObjectItemCaseSensitive(json_obj(w->pod, "spec"), lists[l]);
		size_t i = 0;
		cJSON *it;
		cJSON_ArrayForEach(it, arr) {
			const char *name = json_str(it, "name");
			if (name && !ctr_find(w, name))
				ctr_add(w, name, l == 0, i);
			i++;
		}
	}
}

static struct pod_worker *worker_new(struct pods *st, const char *uid)
{
	struct pod_worker *w = xcalloc(1, sizeof(*w));
	w->st = st;
	w->uid = xstrdup(uid);
	w->refs = 1;
	w->live = 1;
	w->conds = cJSON_CreateObject();
	uv_timer_init(st->a->loop, &w->timer);
	w->timer.data = w;
	st->refs++;
	hmap_put(&st->workers, uid, w);
	return w;
}

static void noop_done(void *arg, int err, const char *msg)
{
	UNUSED(arg);
	if (err < 0)
		log_debug("pods: removing a stale container: %s", msg);
}

/* The status's restartCount and lastState of container name, as the API last saw them. */
static void adopt_status(struct pod_ctr *c, const cJSON *pod)
{
	const char *key = c->init ? "initContainerStatuses" : "containerStatuses";
	cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(json_obj(pod, "status"), key)) {
		int64_t n;
		if (!json_str(it, "name") || strcmp(json_str(it, "name"), c->name))
			continue;
		if (!json_int(it, "restartCount", &n) && n > c->restarts)
			c->restarts = n;
		cJSON *ls = json_obj(it, "lastState");
		if (ls && ls->child && !c->last_state)
			c->last_state = cJSON_Duplicate(ls, 1);
	}
}

/* Adopts what the runtime has of w's pod (after an agent restart). */
static void worker_adopt(struct pod_worker *w)
{
	struct pods *st = w->st;
	const struct cri_sandbox **sbs;
	const struct cri_container **cs;
	size_t n = cri_sandbox_list(st->rt, &sbs);
	for (size_t i = 0; i < n; i++)
		if (!w->sandbox_id && sbs[i]->pod_uid && !strcmp(sbs[i]->pod_uid, w->uid))
			w->sandbox_id = xstrdup(sbs[i]->id);
	free(sbs);
	n = cri_container_list(st->rt, &cs);
	for (size_t i = 0; i < n; i++) {
		if (!cs[i]->pod_uid || strcmp(cs[i]->pod_uid, w->uid))
			continue;
		struct pod_ctr *c = ctr_find(w, cs[i]->name);
		if (!c) {
			ctr_add(w, cs[i]->name, 0, (size_t)-1);
			c = &w->ctrs[w->nctrs - 1];
		}
		const struct cri_container *cur = c->id ? cri_container_get(st->rt, c->id) : NULL;
		if (cur && cur->attempt >= cs[i]->attempt) {
			cri_container_remove(st->rt, cs[i]->id, noop_done, NULL);
			continue;
		}
		if (cur)
			cri_container_remove(st->rt, cur->id, noop_done, NULL);
		free(c->id);
		c->id = xstrdup(cs[i]->id);
		c->rootfs = 1;
		if ((int64_t)cs[i]->attempt > c->restarts)
			c->restarts = cs[i]->attempt;
	}
	free(cs);
	for (size_t i = 0; i < w->nctrs; i++) {
		if (w->pod)
			adopt_status(&w->ctrs[i], w->pod);
		/* a root filesystem left mounted by a crash between start steps */
		char *dir = xasprintf("%s/%s/_rootfs/%s", st->a->cfg->pods_dir, w->uid, w->ctrs[i].name);
		struct stat sb;
		if (stat(dir, &sb) == 0)
			w->ctrs[i].rootfs = 1;
		free(dir);
	}
}

/* ---- the hooks --------------------------------------------------------------------------- */

static void on_container_exit(void *arg, const struct cri_container *cc)
{
	struct pods *st = arg;
	struct pod_worker *w = cc->pod_uid ? hmap_get(&st->workers, cc->pod_uid) : NULL;
	if (w)
		pod_kick(w);
}

static int kick_each(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	struct pod_worker *w = value;
	pod_wake_at(w, pod_now_ms());
	return 0;
}

static void images_imported(void *arg, int err, const char *msg, struct image *img)
{
	struct pods *st = arg;
	UNUSED(img);
	if (err < 0 && err != -ECANCELED)
		log_warn("pods: importing DATA/agent/images: %s", msg);
	if (st->stopping) {
		pods_unref(st);
		return;
	}
	st->images_ready = 1;
	hmap_each(&st->workers, kick_each, NULL);
	pods_unref(st);
}

struct cri_runtime *pods_runtime(struct agent *a)
{
	struct pods *st = a->pods_state;
	return st && !st->stopping ? st->rt : NULL;
}

int kubelet_runtime_ready(struct agent *a, struct buf *why)
{
	struct pods *st = a->pods_state;
	if (st && st->rt && st->images)
		return net_ready ? net_ready(a, why) : 1;
	buf_adds(why, "container runtime is not open (see the agent's log)");
	return 0;
}

int kubelet_pods_start(struct agent *a, struct buf *err)
{
	const struct agent_config *cfg = a->cfg;
	struct pods *st = xcalloc(1, sizeof(*st));
	st->a = a;
	st->refs = 1;
	a->pods_state = st;
	struct cri_runtime_config rc = { .prefix = cfg->resource_prefix, .data_dir = cfg->data_dir,
					 .on_exit = on_container_exit, .on_exit_arg = st };
	int r = cri_runtime_open(a->loop, &rc, &st->rt, err);
	if (r < 0)
		return r;
	struct image_store_config ic = { .data_dir = cfg->data_dir,
					 .registries_config = cfg->registries_config && *cfg->registries_config ? cfg->registries_config : NULL };
	r = image_store_open(a->loop, &ic, &st->images, err);
	if (r < 0)
		return r;
	st->refs++;
	if (image_store_import_dir(st->images, images_imported, st) < 0)
		images_imported(st, 0, "", NULL);
	return 0;
}

void kubelet_pod_changed(struct agent *a, const cJSON *pod, int deleted)
{
	struct pods *st = a->pods_state;
	const char *uid = json_strv(pod, "metadata", "uid", NULL);
	if (!st || !st->rt || !st->images || st->stopping || !uid)
		return;
	struct pod_worker *w = hmap_get(&st->workers, uid);
	if (!w) {
		if (deleted)
			return;
		w = worker_new(st, uid);
		const char *ns = json_strv(pod, "metadata", "namespace", NULL), *name = json_strv(pod, "metadata", "name", NULL);
		w->ns = xstrdup(ns ? ns : "default");
		w->name = xstrdup(name ? name : "");
		w->pod = cJSON_Duplicate(pod, 1);
		ctrs_from_spec(w);
		worker_adopt(w);
	} else if (w->pod) {
		cJSON_Delete(w->pod);
		w->pod = cJSON_Duplicate(pod, 1);
	}
	if (deleted)
		w->gone = 1;
	if ((deleted || json_strv(pod, "metadata", "deletionTimestamp", NULL)) && !w->terminating) {
		w->terminating = 1;
		w->retry_at = 0; /* a start step waiting to be retried does not delay the teardown */
	}
	pod_kick(w);
}

/* An orphan: runtime state or a pod directory of no pod bound to this node. Its containers are
 * those of the runtime (worker_adopt) and every root filesystem left under DATA/agent/pods/<uid>/
 * _rootfs: the first sign of an orphan may be its sandbox, while a container already removed
 * before a restart still has its root filesystem mounted. */
static struct pod_worker *orphan(struct pods *st, const char *uid)
{
	struct pod_worker *w = hmap_get(&st->workers, uid);
	if (w)
		return NULL;
	w = worker_new(st, uid);
	w->ns = xstrdup("");
	w->name = xstrdup("");
	w->gone = w->terminating = 1;
	w->prepared = 1;
	log_info("pods: removing what is left of pod %s", uid);
	char *rdir = xasprintf("%s/%s/_rootfs", st->a->cfg->pods_dir, uid);
	DIR *rd = opendir(rdir);
	struct dirent *re;
	while (rd && (re = readdir(rd)))
		if (re->d_name[0] != '.' && !ctr_find(w, re->d_name))
			ctr_add(w, re->d_name, 0, (size_t)-1);
	if (rd)
		closedir(rd);
	free(rdir);
	return w;
}

static void orphan_dirs(struct pods *st)
{
	DIR *d = opendir(st->a->cfg->pods_dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		struct pod_worker *w = de->d_name[0] != '.' ? orphan(st, de->d_name) : NULL;
		if (w)
			worker_adopt(w);
	}
	if (d)
		closedir(d);
}

void kubelet_pods_synced(struct agent *a)
{
	struct pods *st = a->pods_state;
	const struct cri_sandbox **sbs;
	const struct cri_container **cs;
	if (!st || !st->rt || !st->images || st->stopping)
		return;
	size_t n = cri_container_list(st->rt, &cs);
	for (size_t i = 0; i < n; i++) {
		struct pod_worker *w = cs[i]->pod_uid ? orphan(st, cs[i]->pod_uid) : NULL;
		if (w)
			worker_adopt(w);
	}
	free(cs);
	n = cri_sandbox_list(st->rt, &sbs);
	for (size_t i = 0; i < n; i++) {
		struct pod_worker *w = sbs[i]->pod_uid ? orphan(st, sbs[i]->pod_uid) : NULL;
		if (w)
			worker_adopt(w);
	}
	free(sbs);
	orphan_dirs(st);
	hmap_each(&st->workers, kick_each, NULL);
}

/* ---- stop -------------------------------------------------------------------------------- */

static void images_closed(void *arg)
{
	struct pods *st = arg;
	struct agent *a = st->a;
	void (*stopped)(struct agent *) = st->stopped;
	a->pods_state = NULL;
	pods_unref(st);
	stopped(a);
}

/* Removes the runtime's directories under /run/PREFIX when they are empty (no container or
 * sandbox left), so that an agent without pods leaves nothing on the host. */
static void remove_empty_run_dirs(const struct agent *a)
{
	static const char *subs[] = { "runc", "sandboxes", "shims", "" };
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
		char *d = xasprintf("/run/%s/%s", a->cfg->resource_prefix, subs[i]);
		rmdir(d);
		free(d);
	}
}

static void runtime_closed(void *arg)
{
	struct pods *st = arg;
	remove_empty_run_dirs(st->a);
	if (st->images)
		image_store_close(st->images, images_closed, st);
	else
		images_closed(st);
}

static int drop_each(const char *key, void *value, void *data)
{
	UNUSED(key);
	struct pod_worker **list = data;
	struct pod_worker *w = value;
	w->next_drop = *list;
	*list = w;
	return 0;
}

void kubelet_pods_stop(struct agent *a, void (*done)(struct agent *a))
{
	struct pods *st = a->pods_state;
	if (!st) {
		done(a);
		return;
	}
	st->stopping = 1;
	st->stopped = done;
	struct pod_worker *list = NULL;
	hmap_each(&st->workers, drop_each, &list);
	while (list) {
		struct pod_worker *next = list->next_drop;
		pod_worker_drop(list);
		list = next;
	}
	if (st->rt) {
		const struct cri_sandbox **sbs = NULL;
		a->sandboxes_at_stop = cri_sandbox_list(st->rt, &sbs);
		free(sbs);
		cri_runtime_close(st->rt, runtime_closed, st);
	} else {
		runtime_closed(st);
	}
}
