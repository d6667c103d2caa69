/*
 * pod_sync.c - one pod worker's steps towards its spec: volumes and files, the sandbox, init
 * containers one by one to completion, then the containers, restarts with back-off; and the
 * teardown of a deleted pod.
 *
 * DESIGN
 * pod_sync looks at what exists (the worker's state and the runtime's containers) and starts
 * the operations of the next step; each operation holds a reference on the worker and, when
 * the last one in flight ends, the worker is synced again. So every step is idempotent and a
 * change that arrives meanwhile is simply seen by the next sync.
 *
 * Starting a container: the image (imagePullPolicy: Never looks it up, IfNotPresent pulls when
 * absent, Always pulls; imagePullSecrets are read through the API) -> its root filesystem
 * (DATA/agent/pods/<uid>/_rootfs/<name>/rootfs, an overlay of the image's layers) -> its config
 * (podspec_container_config) -> cri_container_start. A failure leaves the container waiting
 * with upstream's reason (ErrImagePull then ImagePullBackOff, ErrImageNeverPull,
 * CreateContainerConfigError, CreateContainerError, RunContainerError) and a retry after a
 * back-off.
 *
 * The pod network (agent/net*.c) gives the sandbox eth0 and an address before any container
 * starts (unless hostNetwork); the teardown releases them before the sandbox is removed.
 *
 * Exits: a container to restart (restartPolicy Always; OnFailure with a non-zero code; init
 * containers unless Never) is removed with its root filesystem, its termination becomes
 * lastState and restartCount grows. The first restart is immediate, then the back-off is
 * 10 s doubling to 5 min (reset when it ran for 10 min), shown as CrashLoopBackOff, as the
 * kubelet does.
 *
 * Teardown (deletionTimestamp set, or the pod gone): preStop exec hooks, then stop with the
 * grace period (SIGTERM, SIGKILL after it), remove the containers, their root filesystems, the
 * sandbox and the pod's volumes (podspec_pod_cleanup), then DELETE the pod with
 * gracePeriodSeconds 0 and its uid as precondition; once the pod is gone its directory
 * (container logs included, as the kubelet's container GC does) is removed, never crossing a
 * mount point.
 */
#include "agent/internal.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cri/cri.h"
#include "lib/pki.h"

#define BACKOFF_START_MS 10000
#define BACKOFF_MAX_MS 300000
#define BACKOFF_RESET_NS (600ull * 1000000000ull)

enum { CTR_DONE, CTR_RUNNING, CTR_WAIT, CTR_FAILED };

static void op_begin(struct pod_worker *w)
{
	w->pending++;
	pod_worker_ref(w);
}

static void op_end(struct pod_worker *w)
{
	w->pending--;
	if (!w->pending)
		pod_kick(w);
	pod_worker_unref(w);
}

static int worker_ok(const struct pod_worker *w)
{
	return w->live && !w->st->stopping;
}

int pod_api_terminal(const struct pod_worker *w)
{
	const char *p = json_strv(w->pod, "status", "phase", NULL);
	return p && (!strcmp(p, "Succeeded") || !strcmp(p, "Failed"));
}

char pod_restart_policy(const cJSON *pod)
{
	const char *p = json_strv(pod, "spec", "restartPolicy", NULL);
	return p && !strcmp(p, "Never") ? 'N' : p && !strcmp(p, "OnFailure") ? 'O' : 'A';
}

const cJSON *pod_ctr_spec(const struct pod_worker *w, const struct pod_ctr *c)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(json_obj(w->pod, "spec"), c->init ? "initContainers" : "containers");
	cJSON *it = cJSON_GetArrayItem(arr, (int)c->index);
	const char *name = json_str(it, "name");
	return name && !strcmp(name, c->name) ? it : NULL;
}

static void set_wait(struct pod_ctr *c, const char *reason, const char *msg)
{
	free(c->wait_reason);
	free(c->wait_msg);
	c->wait_reason = reason ? xstrdup(reason) : NULL;
	c->wait_msg = msg && *msg ? xstrdup(msg) : NULL;
}

static void event(struct pod_worker *w, const struct pod_ctr *c, const char *type, const char *reason, const char *msg)
{
	char fp[300];
	if (!w->pod)
		return;
	snprintf(fp, sizeof(fp), "spec.%s{%s}", c->init ? "initContainers" : "containers", c->name);
	cJSON *ref = pod_ref(w, fp);
	agent_event(w->st->a, ref, type, reason, "%s", msg);
	cJSON_Delete(ref);
}

/* A failure of a start step: waiting with reason, retried after 10 s. */
static void ctr_fail(struct pod_worker *w, struct pod_ctr *c, const char *reason, const char *msg)
{
	log_info("pods: %s/%s container %s: %s: %s", w->ns, w->name, c->name, reason, msg);
	set_wait(c, reason, msg);
	event(w, c, "Warning", "Failed", msg);
	c->retry_at = pod_now_ms() + BACKOFF_START_MS;
}

/* ---- starting a container ---------------------------------------------------------------- */

struct start {
	struct pod_worker *w;
	struct pod_ctr *c;
	struct image *img;
	char *dir;                /* DATA/agent/pods/<uid>/_rootfs/<name> */
	char **secrets;           /* docker config JSON of imagePullSecrets */
	size_t nsecrets, next_secret;
	uint64_t pull_started;
};

static void start_free(struct start *s)
{
	if (s->img)
		image_unref(s->img);
	for (size_t i = 0; i < s->nsecrets; i++)
		free(s->secrets[i]);
	free(s->secrets);
	free(s->dir);
	free(s);
}

static void start_end(struct start *s)
{
	struct pod_worker *w = s->w;
	start_free(s);
	op_end(w);
}

static void ctr_started(void *arg, int err, const char *msg, const char *id)
{
	struct start *s = arg;
	struct pod_ctr *c = s->c;
	if (id) {
		free(c->id);
		c->id = xstrdup(id);
	}
	if (worker_ok(s->w)) {
		if (err == 0) {
			char m[300];
			set_wait(c, NULL, NULL);
			snprintf(m, sizeof(m), "Created container %s", c->name);
			event(s->w, c, "Normal", "Created", m);
			snprintf(m, sizeof(m), "Started container %s", c->name);
			event(s->w, c, "Normal", "Started", m);
		} else if (id) {
			log_info("pods: %s/%s container %s: StartError: %s", s->w->ns, s->w->name, c->name, msg);
			event(s->w, c, "Warning", "Failed", msg);
		} else {
			ctr_fail(s->w, c, "RunContainerError", msg);
		}
	}
	start_end(s);
}

static void ctr_configured(void *arg, int err, const char *msg, const struct cri_container_config *cfg)
{
	struct start *s = arg;
	struct pod_worker *w = s->w;
	if (!worker_ok(w) || err < 0 || !cfg) {
		if (worker_ok(w))
			ctr_fail(w, s->c, "CreateContainerConfigError", msg && *msg ? msg : "cannot configure the container");
		start_end(s);
		return;
	}
	struct cri_kv labels[] = {
		{ "io.kubernetes.pod.uid", w->uid },
		{ "io.kubernetes.pod.name", w->name },
		{ "io.kubernetes.pod.namespace", w->ns },
		{ "io.kubernetes.container.name", s->c->name },
	};
	struct cri_container_config cc = *cfg;
	struct buf e = BUF_INIT;
	char *rootfs = xasprintf("%s/rootfs", s->dir);
	cc.sandbox_id = w->sandbox_id;
	cc.rootfs = rootfs;
	cc.attempt = (unsigned)s->c->restarts;
	if (!cc.labels) {
		cc.labels = labels;
		cc.nlabels = ARRAY_SIZE(labels);
	}
	int r = cri_container_start(w->st->rt, &cc, ctr_started, s, &e);
	free(rootfs);
	if (r < 0) {
		ctr_fail(w, s->c, "CreateContainerError", buf_str(&e));
		start_end(s);
	}
	buf_release(&e);
}

/* Puts the pod network's address into w's copy of the pod when its status lacks it (the status
 * write may not have come back yet), so the downward API's status.podIP sees it. */
static void pod_ip_fill(struct pod_worker *w)
{
	if (!w->pod || !w->pod_ip || json_strv(w->pod, "status", "podIP", NULL))
		return;
	cJSON *st = json_obj_force(w->pod, "status"), *ips = cJSON_CreateArray(), *o = cJSON_CreateObject();
	json_set_str(o, "ip", w->pod_ip);
	cJSON_AddItemToArray(ips, o);
	json_set_str(st, "podIP", w->pod_ip);
	json_set(st, "podIPs", ips);
}

static void rootfs_ready(void *arg, int err, const char *msg, struct image *img)
{
	struct start *s = arg;
	UNUSED(img);
	if (!worker_ok(s->w) || err < 0) {
		if (worker_ok(s->w))
			ctr_fail(s->w, s->c, "CreateContainerError", msg);
		start_end(s);
		return;
	}
	const cJSON *spec = pod_ctr_spec(s->w, s->c);
	pod_ip_fill(s->w);
	if (!spec || podspec_container_config(s->w->st->a, s->w->pod, spec, s->img, s->c->restarts, ctr_configured, s) < 0) {
		ctr_fail(s->w, s->c, "CreateContainerConfigError", "cannot configure the container");
		start_end(s);
	}
}

/* The image is there: mounts the root filesystem. */
static void have_image(struct start *s, struct image *img)
{
	struct pod_ctr *c = s->c;
	s->img = image_ref(img);
	free(c->image);
	free(c->image_id);
	const cJSON *spec = pod_ctr_spec(s->w, c);
	c->image = xstrdup(img->repo_tags && img->repo_tags[0] ? img->repo_tags[0] : json_str(spec, "image"));
	c->image_id = xstrdup(img->repo_digests && img->repo_digests[0] ? img->repo_digests[0] : img->id);
	c->pull_backoff_ms = 0;
	s->dir = xasprintf("%s/%s/_rootfs/%s", s->w->st->a->cfg->pods_dir, s->w->uid, c->name);
	int r = mkdir_p(s->dir, 0700);
	if (r < 0) {
		ctr_fail(s->w, c, "CreateContainerError", strerror(-r));
		start_end(s);
		return;
	}
	c->rootfs = 1;
	image_rootfs_prepare(s->w->st->images, s->img, s->dir, rootfs_ready, s);
}

static void pulled(void *arg, int err, const char *msg, struct image *img)
{
	struct start *s = arg;
	struct pod_ctr *c = s->c;
	const char *ref = json_str(pod_ctr_spec(s->w, c), "image");
	char m[1200];
	if (!worker_ok(s->w)) {
		start_end(s);
		return;
	}
	if (err < 0 || !img) {
		snprintf(m, sizeof(m), "Failed to pull image \"%s\": %s", ref ? ref : "", msg);
		event(s->w, c, "Warning", "Failed", m);
		set_wait(c, "ErrImagePull", m);
		c->pull_backoff_ms = c->pull_backoff_ms ? c->pull_backoff_ms * 2 : BACKOFF_START_MS;
		if (c->pull_backoff_ms > BACKOFF_MAX_MS)
			c->pull_backoff_ms = BACKOFF_MAX_MS;
		c->retry_at = pod_now_ms() + c->pull_backoff_ms;
		pod_wake_at(s->w, pod_now_ms() + 1000);
		start_end(s);
		return;
	}
	snprintf(m, sizeof(m), "Successfully pulled image \"%s\" in %.3fs", ref ? ref : "",
		 (double)(pod_now_ms() - s->pull_started) / 1000);
	event(s->w, c, "Normal", "Pulled", m);
	have_image(s, img);
}

static void pull(struct start *s)
{
	const char *ref = json_str(pod_ctr_spec(s->w, s->c), "image");
	struct image_pull_opts o = { (const char *const *)s->secrets, s->nsecrets };
	struct buf e = BUF_INIT;
	char m[600];
	snprintf(m, sizeof(m), "Pulling image \"%s\"", ref);
	event(s->w, s->c, "Normal", "Pulling", m);
	s->pull_started = pod_now_ms();
	if (image_store_pull(s->w->st->images, ref, &o, pulled, s, &e) < 0) {
		set_wait(s->c, "InvalidImageName", buf_str(&e));
		s->c->retry_at = pod_now_ms() + BACKOFF_START_MS;
		start_end(s);
	}
	buf_release(&e);
}

static void fetch_secret(struct start *s);

static void secret_got(const struct rest_result *res, void *data)
{
	struct start *s = data;
	if (!worker_ok(s->w)) {
		start_end(s);
		return;
	}
	cJSON *d = json_obj(res->obj, "data");
	const char *v = json_str(d, ".dockerconfigjson") ? json_str(d, ".dockerconfigjson") : json_str(d, ".dockercfg");
	struct buf out = BUF_INIT;
	if (res->code == 200 && v && pki_base64_decode(v, strlen(v), &out) == 0) {
		s->secrets = xrealloc(s->secrets, (s->nsecrets + 1) * sizeof(*s->secrets));
		s->secrets[s->nsecrets++] = xstrdup(buf_str(&out));
	} else {
		log_warn("pods: %s/%s: cannot read an imagePullSecret: %d %s", s->w->ns, s->w->name, res->code, res->message);
	}
	buf_release(&out);
	fetch_secret(s);
}

/* Reads the pod's imagePullSecrets one by one, then pulls. */
static void fetch_secret(struct start *s)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(json_obj(s->w->pod, "spec"), "imagePullSecrets");
	cJSON *it = cJSON_GetArrayItem(arr, (int)s->next_secret);
	if (!it) {
		pull(s);
		return;
	}
	s->next_secret++;
	const char *name = json_str(it, "name");
	if (!name || !*name) {
		fetch_secret(s);
		return;
	}
	struct buf path = BUF_INIT;
	rest_path(&path, NULL, "v1", "secrets", s->w->ns, name, NULL);
	if (rest_get(s->w->st->a->api, buf_str(&path), secret_got, s) < 0)
		pull(s);
	buf_release(&path);
}

/* The pull policy of a container: its imagePullPolicy, else Always for :latest or no tag. */
static char pull_policy(const cJSON *spec)
{
	const char *p = json_str(spec, "imagePullPolicy"), *img = json_str(spec, "image");
	if (p && *p)
		return p[0];
	if (!img || strchr(img, '@'))
		return 'I';
	const char *slash = strrchr(img, '/'), *colon = strrchr(slash ? slash : img, ':');
	return !colon || !strcmp(colon, ":latest") ? 'A' : 'I';
}

static void ctr_start(struct pod_worker *w, struct pod_ctr *c)
{
	const cJSON *spec = pod_ctr_spec(w, c);
	const char *ref = json_str(spec, "image");
	char m[600];
	if (!spec || !ref || !*ref) {
		set_wait(c, "InvalidImageName", "no image");
		return;
	}
	struct start *s = xcalloc(1, sizeof(*s));
	s->w = w;
	s->c = c;
	op_begin(w);
	char policy = pull_policy(spec);
	struct image *img = policy != 'A' ? image_store_lookup(w->st->images, ref) : NULL;
	if (img) {
		snprintf(m, sizeof(m), "Container image \"%s\" already present on machine", ref);
		event(w, c, "Normal", "Pulled", m);
		have_image(s, img);
		image_unref(img);
	} else if (policy == 'N') {
		snprintf(m, sizeof(m), "Container image \"%s\" is not present with pull policy of Never", ref);
		ctr_fail(w, c, "ErrImageNeverPull", m);
		start_end(s);
	} else {
		fetch_secret(s);
	}
}

/* ---- exits and restarts ------------------------------------------------------------------ */

struct removal {
	struct pod_worker *w;
	char *id;                 /* the container to remove, or NULL */
	char *dir;                /* the root filesystem to release, or NULL */
};

static void removal_end(struct removal *r)
{
	struct pod_worker *w = r->w;
	free(r->id);
	free(r->dir);
	free(r);
	op_end(w);
}

static void rootfs_released(void *arg, int err, const char *msg, struct image *img)
{
	struct removal *r = arg;
	UNUSED(img);
	if (err < 0)
		log_warn("pods: releasing %s: %s", r->dir, msg);
	else
		rmdir(r->dir);
	removal_end(r);
}

static void ctr_removed(void *arg, int err, const char *msg)
{
	struct removal *r = arg;
	if (err < 0 && err != -KUBE_ENOTFOUND)
		log_warn("pods: removing container %s: %s", r->id, msg);
	if (r->dir && worker_ok(r->w) && image_rootfs_release(r->w->st->images, r->dir, rootfs_released, r) == 0)
		return;
	removal_end(r);
}

/* Removes c's container (if any) and releases its root filesystem (if mounted). */
static void ctr_remove(struct pod_worker *w, struct pod_ctr *c)
{
	struct removal *r = xcalloc(1, sizeof(*r));
	r->w = w;
	r->id = c->id;
	c->id = NULL;
	if (c->rootfs)
		r->dir = xasprintf("%s/%s/_rootfs/%s", w->st->a->cfg->pods_dir, w->uid, c->name);
	c->rootfs = 0;
	probes_stop(c->probes);
	c->probes = NULL;
	op_begin(w);
	if (!r->id || cri_container_remove(w->st->rt, r->id, ctr_removed, r) < 0)
		ctr_removed(r, 0, "");
}

/* c's container exited and is to be restarted: lastState, restartCount, back-off. */
static void ctr_crashed(struct pod_worker *w, struct pod_ctr *c, const struct cri_container *cc)
{
	cJSON_Delete(c->last_state);
	c->last_state = cJSON_CreateObject();
	json_set(c->last_state, "terminated", pod_terminated(cc));
	c->restarts++;
	if (cc->started_ns && cc->finished_ns - cc->started_ns >= (int64_t)BACKOFF_RESET_NS)
		c->backoff_ms = 0;
	if (!c->backoff_ms) {
		c->retry_at = 0;
		c->backoff_ms = BACKOFF_START_MS;
		set_wait(c, NULL, NULL);
	} else {
		char m[600];
		c->retry_at = pod_now_ms() + c->backoff_ms;
		snprintf(m, sizeof(m), "back-off %llus restarting failed container=%s pod=%s_%s(%s)",
			 (unsigned long long)c->backoff_ms / 1000, c->name, w->name, w->ns, w->uid);
		set_wait(c, "CrashLoopBackOff", m);
		snprintf(m, sizeof(m), "Back-off restarting failed container %s in pod %s_%s(%s)", c->name, w->name, w->ns,
			 w->uid);
		event(w, c, "Warning", "BackOff", m);
		c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff_ms * 2;
	}
	ctr_remove(w, c);
}

/* ---- probes ------------------------------------------------------------------------------ */

static void liveness_stopped(void *arg, int err, const char *msg)
{
	UNUSED(arg);
	if (err < 0)
		log_warn("pods: stopping an unhealthy container: %s", msg);
}

static void probe_result(void *arg, const char *kind, int ok, const char *msg)
{
	struct pod_ctr *c = arg;
	struct pod_worker *w = c->w;
	if (!worker_ok(w))
		return;
	if (!ok && msg && *msg)
		event(w, c, "Warning", "Unhealthy", msg);
	if (!strcmp(kind, "readiness")) {
		c->ready = ok;
	} else if (!strcmp(kind, "startup")) {
		c->started = ok;
		if (ok && !json_obj(pod_ctr_spec(w, c), "readinessProbe"))
			c->ready = 1;
	} else if (!ok && c->id && !c->killing) {
		char m[300];
		snprintf(m, sizeof(m), "Container %s failed liveness probe, will be restarted", c->name);
		event(w, c, "Normal", "Killing", m);
		int64_t grace = 30;
		json_int(json_obj(w->pod, "spec"), "terminationGracePeriodSeconds", &grace);
		cri_container_stop(w->st->rt, c->id, (unsigned)(grace < 0 ? 0 : grace), liveness_stopped, NULL);
	}
	pod_kick(w);
}

static void ctr_probes(struct pod_worker *w, struct pod_ctr *c)
{
	const cJSON *spec = pod_ctr_spec(w, c);
	if (c->probes || c->init || !spec)
		return;
	c->started = !json_obj(spec, "startupProbe");
	c->ready = c->started && !json_obj(spec, "readinessProbe");
	const char *host = w->st->a->cfg->n_node_ips ? w->st->a->cfg->node_ips[0] : "127.0.0.1";
	c->probes = probes_start(w->st->a, w->pod, spec, c->id, host, probe_result, c);
}

/* ---- running ----------------------------------------------------------------------------- */

/* One container's step: CTR_RUNNING, CTR_DONE (exited for good; success for an init
 * container), CTR_FAILED (an init container that failed for good) or CTR_WAIT. */
static int ctr_step(struct pod_worker *w, struct pod_ctr *c, char policy)
{
	const struct cri_container *cc = c->id ? cri_container_get(w->st->rt, c->id) : NULL;
	if (c->id && !cc) {
		free(c->id);
		c->id = NULL;
	}
	if (cc && cc->state != CRI_STATE_EXITED) {
		ctr_probes(w, c);
		return CTR_RUNNING;
	}
	if (cc) {
		probes_stop(c->probes);
		c->probes = NULL;
		c->ready = 0;
		int ok = cc->exit_code == 0;
		int restart = c->init ? !ok && policy != 'N' : policy == 'A' || (policy == 'O' && !ok);
		if (!restart)
			return c->init && !ok ? CTR_FAILED : CTR_DONE;
		ctr_crashed(w, c, cc);
		return CTR_WAIT;
	}
	if (!pod_ctr_spec(w, c))
		return CTR_DONE; /* a container of the runtime that the spec does not name */
	uint64_t now = pod_now_ms();
	if (c->retry_at > now) {
		if (c->wait_reason && !strcmp(c->wait_reason, "ErrImagePull")) {
			char m[600];
			snprintf(m, sizeof(m), "Back-off pulling image \"%s\"", json_str(pod_ctr_spec(w, c), "image"));
			set_wait(c, "ImagePullBackOff", m);
			event(w, c, "Normal", "BackOff", m);
		}
		pod_wake_at(w, c->retry_at);
		return CTR_WAIT;
	}
	if (c->rootfs) { /* left from a start that failed half way */
		ctr_remove(w, c);
		return CTR_WAIT;
	}
	ctr_start(w, c);
	return CTR_WAIT;
}

static void prepared(void *arg, int err, const char *msg)
{
	struct pod_worker *w = arg;
	if (worker_ok(w)) {
		if (err < 0) {
			cJSON *ref = pod_ref(w, NULL);
			agent_event(w->st->a, ref, "Warning", "FailedMount", "%s", msg);
			cJSON_Delete(ref);
			w->retry_at = pod_now_ms() + BACKOFF_START_MS;
		} else {
			w->prepared = 1;
		}
	}
	op_end(w);
}

static void sandbox_created(void *arg, int err, const char *msg, const char *id)
{
	struct pod_worker *w = arg;
	if (id) {
		free(w->sandbox_id);
		w->sandbox_id = xstrdup(id);
	}
	if (err < 0 && worker_ok(w)) {
		cJSON *ref = pod_ref(w, NULL);
		agent_event(w->st->a, ref, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: %s", msg);
		cJSON_Delete(ref);
		w->retry_at = pod_now_ms() + BACKOFF_START_MS;
	}
	op_end(w);
}

/* Sums a resource of the containers (the largest init container counts when larger), as the
 * kubelet sizes the pod cgroup; -1 when a container lacks it (no pod limit). */
static int64_t pod_resource(const cJSON *pod, const char *kind, const char *name, int milli)
{
	static const char *lists[] = { "containers", "initContainers" };
	int64_t sum = 0, init_max = 0;
	for (int l = 0; l < 2; l++) {
		cJSON *c;
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(json_obj(pod, "spec"), lists[l])) {
			const char *q = json_strv(c, "resources", kind, name, NULL);
			if (!q && !strcmp(kind, "requests"))
				q = json_strv(c, "resources", "limits", name, NULL);
			int64_t m, v;
			if (!q || podspec_quantity(q, &m, &v) < 0) {
				if (!strcmp(kind, "limits"))
					return -1;
				continue;
			}
			if (l == 0)
				sum += milli ? m : v;
			else if ((milli ? m : v) > init_max)
				init_max = milli ? m : v;
		}
	}
	return sum > init_max ? sum : init_max;
}

/* The pod cgroup's limits: cpu.shares from the requests, the memory limit when every container
 * has one. (The pod-level CFS quota is left out: containers with a cpu limit do not start on the
 * test machine yet, so it could not be verified.) */
static struct cri_resources pod_resources(const cJSON *pod)
{
	struct cri_resources r = { 0 };
	r.cpu_shares = podspec_cpu_shares(pod_resource(pod, "requests", "cpu", 1));
	int64_t mem = pod_resource(pod, "limits", "memory", 0);
	if (mem > 0 && cJSON_GetArraySize(json_getv(pod, "spec", "containers", NULL)))
		r.memory_limit = mem;
	return r;
}

static void sandbox_create(struct pod_worker *w)
{
	const cJSON *spec = json_obj(w->pod, "spec");
	struct cri_kv labels[] = {
		{ "io.kubernetes.pod.uid", w->uid },
		{ "io.kubernetes.pod.name", w->name },
		{ "io.kubernetes.pod.namespace", w->ns },
	};
	const char *hostname = json_str(spec, "hostname");
	struct cri_sandbox_config sc = { .pod_uid = w->uid, .pod_name = w->name, .pod_namespace = w->ns,
					 .hostname = hostname && *hostname ? hostname : w->name,
					 .labels = labels, .nlabels = ARRAY_SIZE(labels),
					 .resources = pod_resources(w->pod) };
	cJSON *hn = cJSON_GetObjectItemCaseSensitive(spec, "hostNetwork");
	if (cJSON_IsTrue(hn))
		sc.flags |= CRI_HOST_NETWORK;
	if (json_true(spec, "hostIPC"))
		sc.flags |= CRI_HOST_IPC;
	if (json_true(spec, "hostPID"))
		sc.flags |= CRI_HOST_PID;
	struct buf e = BUF_INIT;
	op_begin(w);
	int r = cri_sandbox_create(w->st->rt, &sc, sandbox_created, w, &e);
	if (r < 0)
		sandbox_created(w, r, buf_str(&e), NULL);
	buf_release(&e);
}

static void net_set_up(void *arg, int err, const char *msg, const char *ip)
{
	struct pod_worker *w = arg;
	if (worker_ok(w) && err == -EAGAIN) {
		w->retry_at = pod_now_ms() + 1000;
	} else if (worker_ok(w) && err < 0) {
		cJSON *ref = pod_ref(w, NULL);
		agent_event(w->st->a, ref, "Warning", "FailedCreatePodSandBox",
			    "Failed to create pod sandbox: failed to setup network for sandbox: %s", msg);
		cJSON_Delete(ref);
		w->retry_at = pod_now_ms() + BACKOFF_START_MS;
	} else if (worker_ok(w)) {
		free(w->pod_ip);
		w->pod_ip = xstrdup(ip);
		w->net_done = 1;
	}
	op_end(w);
}

/* Gives the pod its network (net_pod_setup) once its sandbox exists. Returns 1 when nothing is
 * needed (hostNetwork, or no pod network linked), 0 while the setup runs or waits. */
static int net_step(struct pod_worker *w)
{
	const struct cri_sandbox *sb = cri_sandbox_get(w->st->rt, w->sandbox_id);
	if (!net_pod_setup || !sb || (sb->flags & CRI_HOST_NETWORK) || !sb->netns_path) {
		w->net_done = 1;
		return 1;
	}
	struct buf e = BUF_INIT;
	op_begin(w);
	int r = net_pod_setup(w->st->a, w->uid, sb->netns_path, net_set_up, w, &e);
	if (r < 0)
		net_set_up(w, r, buf_str(&e), NULL);
	buf_release(&e);
	return 0;
}

static void run_step(struct pod_worker *w)
{
	if (!w->prepared) {
		op_begin(w);
		if (podspec_pod_prepare(w->st->a, w->pod, prepared, w) < 0)
			prepared(w, -EINVAL, "cannot prepare the pod's volumes");
		return;
	}
	if (!w->sandbox_id) {
		sandbox_create(w);
		return;
	}
	if (!w->net_done && !net_step(w))
		return;
	if (w->failed || pod_api_terminal(w))
		return;
	char policy = pod_restart_policy(w->pod);
	for (size_t i = 0; i < w->nctrs; i++) {
		if (!w->ctrs[i].init)
			continue;
		int r = ctr_step(w, &w->ctrs[i], policy);
		if (r == CTR_FAILED)
			w->failed = 1;
		if (r != CTR_DONE)
			return;
	}
	for (size_t i = 0; i < w->nctrs; i++)
		if (!w->ctrs[i].init)
			ctr_step(w, &w->ctrs[i], policy);
}

/* ---- teardown ---------------------------------------------------------------------------- */

struct stop {
	struct pod_worker *w;
	struct pod_ctr *c;
	unsigned grace;
};

static void ctr_stopped(void *arg, int err, const char *msg)
{
	struct stop *s = arg;
	if (err < 0 && err != -KUBE_ENOTFOUND)
		log_warn("pods: stopping %s: %s", s->c->name, msg);
	struct pod_worker *w = s->w;
	free(s);
	op_end(w);
}

static void prestop_done(void *arg, int err, int exit_code, const char *out, size_t len)
{
	struct stop *s = arg;
	UNUSED(len);
	if (worker_ok(s->w) && (err < 0 || exit_code != 0)) {
		char m[600];
		snprintf(m, sizeof(m), "PreStopHook failed: exit %d: %.400s", err < 0 ? -1 : exit_code, out ? out : "");
		event(s->w, s->c, "Warning", "FailedPreStopHook", m);
	}
	if (!worker_ok(s->w) || !s->c->id || cri_container_stop(s->w->st->rt, s->c->id, s->grace, ctr_stopped, s) < 0)
		ctr_stopped(s, 0, "");
}

static unsigned grace_period(const struct pod_worker *w)
{
	int64_t g = 30;
	if (!w->pod || (w->gone && !json_strv(w->pod, "metadata", "deletionTimestamp", NULL)))
		return 0;
	if (json_int(json_obj(w->pod, "metadata"), "deletionGracePeriodSeconds", &g) < 0)
		json_int(json_obj(w->pod, "spec"), "terminationGracePeriodSeconds", &g);
	return g < 0 ? 0 : g > 3600 ? 3600 : (unsigned)g;
}

/* Stops c: its preStop exec hook first (within the grace period), then the stop signal. */
static void ctr_kill(struct pod_worker *w, struct pod_ctr *c)
{
	char m[300];
	struct stop *s = xcalloc(1, sizeof(*s));
	s->w = w;
	s->c = c;
	s->grace = grace_period(w);
	c->killing = 1;
	probes_stop(c->probes);
	c->probes = NULL;
	snprintf(m, sizeof(m), "Stopping container %s", c->name);
	event(w, c, "Normal", "Killing", m);
	op_begin(w);
	const cJSON *spec = w->pod ? pod_ctr_spec(w, c) : NULL;
	cJSON *cmd = json_getv(spec, "lifecycle", "preStop", "exec", "command", NULL);
	size_t n = (size_t)cJSON_GetArraySize(cmd);
	if (n && s->grace) {
		const char **argv = xcalloc(n + 1, sizeof(*argv));
		for (size_t i = 0; i < n; i++) {
			const char *arg = cJSON_GetStringValue(cJSON_GetArrayItem(cmd, (int)i));
			argv[i] = arg ? arg : "";
		}
		int r = cri_container_exec(w->st->rt, c->id, argv, (uint64_t)s->grace * 1000, 0, prestop_done, s);
		free(argv);
		if (r == 0)
			return;
	}
	prestop_done(s, 0, 0, "", 0);
}

static void pod_deleted(const struct rest_result *res, void *data)
{
	struct pod_worker *w = data;
	if (res->code == 200 || res->code == 202 || res->code == 404 || res->code == 409) {
		w->gone = 1;
	} else if (worker_ok(w)) {
		log_warn("pods: deleting pod %s/%s: %d %s", w->ns, w->name, res->code, res->message);
		w->delete_sent = 0;
		w->retry_at = pod_now_ms() + 1000;
	}
	op_end(w);
}

static void pod_delete(struct pod_worker *w)
{
	struct buf path = BUF_INIT;
	cJSON *opts = cJSON_CreateObject();
	json_set_str(opts, "kind", "DeleteOptions");
	json_set_str(opts, "apiVersion", "v1");
	json_set_int(opts, "gracePeriodSeconds", 0);
	json_set_str(json_obj_force(opts, "preconditions"), "uid", w->uid);
	rest_path(&path, NULL, "v1", "pods", w->ns, w->name, NULL);
	w->delete_sent = 1;
	op_begin(w);
	if (rest_delete(w->st->a->api, buf_str(&path), opts, pod_deleted, w) < 0) {
		w->delete_sent = 0;
		w->retry_at = pod_now_ms() + 1000;
		w->pending--;
		pod_worker_unref(w);
	}
	cJSON_Delete(opts);
	buf_release(&path);
}

static void sandbox_removed(void *arg, int err, const char *msg)
{
	struct pod_worker *w = arg;
	if (err < 0 && err != -KUBE_ENOTFOUND) {
		log_warn("pods: removing the sandbox of %s: %s", w->uid, msg);
		w->retry_at = pod_now_ms() + 1000;
	} else {
		free(w->sandbox_id);
		w->sandbox_id = NULL;
	}
	op_end(w);
}

struct rmtree {
	uv_work_t req;
	struct pod_worker *w;
	char *dir;
};

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	UNUSED(sb);
	UNUSED(ftw);
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
		log_warn("pods: cannot remove %s: %s", path, strerror(errno));
	return 0;
}

static void rmtree_work(uv_work_t *req)
{
	struct rmtree *t = req->data;
	/* FTW_MOUNT: a mount point left under the directory (it should not be) is never entered */
	nftw(t->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static void rmtree_done(uv_work_t *req, int status)
{
	struct rmtree *t = req->data;
	UNUSED(status);
	t->w->dir_removed = 1;
	struct pod_worker *w = t->w;
	free(t->dir);
	free(t);
	op_end(w);
}

/* Removes DATA/agent/pods/<uid> on the thread pool. */
static void dir_remove(struct pod_worker *w)
{
	struct rmtree *t = xcalloc(1, sizeof(*t));
	t->w = w;
	t->dir = xasprintf("%s/%s", w->st->a->cfg->pods_dir, w->uid);
	t->req.data = t;
	op_begin(w);
	if (uv_queue_work(w->st->a->loop, &t->req, rmtree_work, rmtree_done) < 0)
		rmtree_done(&t->req, 0);
}

static void net_torn_down(void *arg, int err, const char *msg)
{
	struct pod_worker *w = arg;
	if (err < 0 && worker_ok(w)) {
		log_warn("pods: the network of %s: %s", w->uid, msg);
		w->retry_at = pod_now_ms() + 1000;
	} else {
		w->net_torn = 1;
	}
	op_end(w);
}

/* Deletes the pod's veth and releases its address (net_pod_teardown). */
static void net_teardown(struct pod_worker *w)
{
	op_begin(w);
	if (net_pod_teardown(w->st->a, w->uid, net_torn_down, w) < 0)
		net_torn_down(w, 0, "");
}

static void teardown(struct pod_worker *w)
{
	int any = 0;
	for (size_t i = 0; i < w->nctrs; i++) {
		struct pod_ctr *c = &w->ctrs[i];
		const struct cri_container *cc = c->id ? cri_container_get(w->st->rt, c->id) : NULL;
		if (cc && cc->state != CRI_STATE_EXITED && !c->killing) {
			ctr_kill(w, c);
			any = 1;
		}
	}
	for (size_t i = 0; i < w->nctrs && !any; i++)
		if (w->ctrs[i].id || w->ctrs[i].rootfs)
			ctr_remove(w, &w->ctrs[i]), any = 1;
	if (any)
		return;
	if (net_pod_teardown && !w->net_torn) {
		net_teardown(w);
		return;
	}
	if (w->sandbox_id) {
		op_begin(w);
		if (cri_sandbox_remove(w->st->rt, w->sandbox_id, sandbox_removed, w) < 0)
			sandbox_removed(w, 0, "");
		return;
	}
	if (!w->cleaned) {
		podspec_pod_cleanup(w->st->a, w->uid);
		w->cleaned = 1;
	}
	if (!w->gone) {
		if (!w->delete_sent)
			pod_delete(w);
		return;
	}
	if (!w->dir_removed) {
		dir_remove(w);
		return;
	}
	log_info("pods: pod %s/%s (%s) is gone", w->ns, w->name, w->uid);
	pod_worker_drop(w);
}

void pod_sync(struct pod_worker *w)
{
	if (w->retry_at > pod_now_ms()) {
		pod_wake_at(w, w->retry_at);
		return;
	}
	if (w->terminating) {
		teardown(w);
		return;
	}
	if (!w->pod || !w->st->images_ready)
		return;
	run_step(w);
}
