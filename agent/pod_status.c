/*
 * pod_status.c - the status the kubelet writes for a pod: phase, conditions, container
 * statuses, addresses, start time and QoS class, as upstream computes them.
 *
 * DESIGN
 * The status is computed from the worker's state and the runtime's containers after every
 * sync, serialised, and written with a merge patch of pods/NAME/status when it differs from the
 * last one written, or when the API's copy has another status for a condition the kubelet owns
 * (someone else wrote it: upstream's reconcile); one write is in flight at a time (a newer
 * status waits for it).
 * Condition transition times change only when a condition's status changes. The phase follows
 * the kubelet's getPhase: Pending while initialising or while a container waits for its first
 * start; Running while a container runs (or will be restarted); Succeeded or Failed once every
 * container has terminated for good. podIP is the host's for hostNetwork pods; other pods get
 * the address the pod network gave their sandbox (net_pod_setup).
 */
#include "agent/internal.h"

#include <stdlib.h>
#include <string.h>

#include "cri/cri.h"

void pod_time(int64_t ns, char out[21])
{
	format_rfc3339(ns / 1000000000, out);
}

cJSON *pod_ref(const struct pod_worker *w, const char *field_path)
{
	cJSON *ref = cJSON_CreateObject();
	json_set_str(ref, "kind", "Pod");
	json_set_str(ref, "apiVersion", "v1");
	json_set_str(ref, "namespace", w->ns);
	json_set_str(ref, "name", w->name);
	json_set_str(ref, "uid", w->uid);
	if (field_path)
		json_set_str(ref, "fieldPath", field_path);
	return ref;
}

cJSON *pod_terminated(const struct cri_container *cc)
{
	char t[21], *id = xasprintf("runc://%s", cc->id);
	cJSON *o = cJSON_CreateObject();
	json_set_int(o, "exitCode", cc->exit_code);
	json_set_str(o, "reason", cc->reason && *cc->reason ? cc->reason : cc->exit_code ? "Error" : "Completed");
	if (cc->message && *cc->message)
		json_set_str(o, "message", cc->message);
	pod_time(cc->started_ns ? cc->started_ns : cc->created_ns, t);
	json_set_str(o, "startedAt", t);
	pod_time(cc->finished_ns, t);
	json_set_str(o, "finishedAt", t);
	json_set_str(o, "containerID", id);
	free(id);
	return o;
}

static const struct cri_container *ctr_now(const struct pod_worker *w, const struct pod_ctr *c)
{
	return c->id ? cri_container_get(w->st->rt, c->id) : NULL;
}

static cJSON *ctr_state(const struct pod_worker *w, const struct pod_ctr *c, int init_pending)
{
	const struct cri_container *cc = ctr_now(w, c);
	cJSON *st = cJSON_CreateObject();
	char t[21];
	if (cc && cc->state != CRI_STATE_EXITED) {
		pod_time(cc->started_ns ? cc->started_ns : cc->created_ns, t);
		json_set_str(json_obj_force(st, "running"), "startedAt", t);
	} else if (cc) {
		json_set(st, "terminated", pod_terminated(cc));
	} else {
		cJSON *wt = json_obj_force(st, "waiting");
		const char *def = init_pending || c->init ? "PodInitializing" : "ContainerCreating";
		json_set_str(wt, "reason", c->wait_reason ? c->wait_reason : def);
		if (c->wait_msg)
			json_set_str(wt, "message", c->wait_msg);
	}
	return st;
}

static cJSON *ctr_status(const struct pod_worker *w, const struct pod_ctr *c, int init_pending)
{
	const struct cri_container *cc = ctr_now(w, c);
	const cJSON *spec = pod_ctr_spec(w, c);
	cJSON *o = cJSON_CreateObject();
	int running = cc && cc->state != CRI_STATE_EXITED;
	json_set_str(o, "name", c->name);
	json_set(o, "state", ctr_state(w, c, init_pending));
	json_set(o, "lastState", c->last_state ? cJSON_Duplicate(c->last_state, 1) : cJSON_CreateObject());
	json_set_bool(o, "ready", c->init ? cc && cc->state == CRI_STATE_EXITED && cc->exit_code == 0 : running && c->ready);
	json_set_int(o, "restartCount", c->restarts);
	json_set_str(o, "image", c->image ? c->image : json_str(spec, "image") ? json_str(spec, "image") : "");
	json_set_str(o, "imageID", c->image_id ? c->image_id : "");
	if (c->id) {
		char *id = xasprintf("runc://%s", c->id);
		json_set_str(o, "containerID", id);
		free(id);
	}
	json_set_bool(o, "started", running && (c->init || c->started));
	return o;
}

/* Counts for the phase and the conditions. */
struct tally {
	int init_done, running, waiting, stopped, succeeded;
	struct buf incomplete, unready;
};

static void tally(const struct pod_worker *w, struct tally *t)
{
	t->init_done = !w->failed;
	for (size_t i = 0; i < w->nctrs; i++) {
		const struct pod_ctr *c = &w->ctrs[i];
		const struct cri_container *cc = ctr_now(w, c);
		if (!pod_ctr_spec(w, c))
			continue;
		if (c->init) {
			if (!cc || cc->state != CRI_STATE_EXITED || cc->exit_code != 0) {
				t->init_done = 0;
				buf_addf(&t->incomplete, "%s%s", t->incomplete.len ? " " : "", c->name);
			}
			continue;
		}
		if (cc && cc->state != CRI_STATE_EXITED)
			t->running++;
		else if (cc)
			t->stopped++, t->succeeded += cc->exit_code == 0;
		else if (c->last_state)
			t->stopped++;
		else
			t->waiting++;
		if (!(cc && cc->state != CRI_STATE_EXITED && c->ready))
			buf_addf(&t->unready, "%s%s", t->unready.len ? " " : "", c->name);
	}
}

static const char *phase(const struct pod_worker *w, const struct tally *t)
{
	char policy = pod_restart_policy(w->pod);
	if (pod_api_terminal(w)) /* a terminal phase never changes */
		return json_strv(w->pod, "status", "phase", NULL);
	if (w->failed)
		return "Failed";
	if (!t->init_done || t->waiting)
		return "Pending";
	if (t->running)
		return "Running";
	if (!t->stopped)
		return "Pending";
	if (policy == 'A')
		return "Running";
	if (t->stopped == t->succeeded)
		return "Succeeded";
	return policy == 'O' ? "Running" : "Failed";
}

static void condition(struct pod_worker *w, cJSON *arr, const char *type, int ok, const char *reason, const char *msg)
{
	char now[21];
	cJSON *prev = json_obj(w->conds, type);
	const char *status = ok ? "True" : "False";
	const char *ps = json_str(prev, "status");
	format_rfc3339(wall_seconds(), now);
	if (!prev || !ps || strcmp(ps, status)) {
		prev = cJSON_CreateObject();
		json_set_str(prev, "status", status);
		json_set_str(prev, "time", now);
		json_set(w->conds, type, prev);
	}
	cJSON *c = cJSON_CreateObject();
	json_set_str(c, "type", type);
	json_set_str(c, "status", status);
	json_set(c, "lastProbeTime", cJSON_CreateNull());
	json_set_str(c, "lastTransitionTime", json_str(prev, "time"));
	if (!ok && reason)
		json_set_str(c, "reason", reason);
	if (!ok && msg)
		json_set_str(c, "message", msg);
	cJSON_AddItemToArray(arr, c);
}

static cJSON *conditions(struct pod_worker *w, const struct tally *t, const char *ph)
{
	cJSON *arr = cJSON_CreateArray();
	int done = !strcmp(ph, "Succeeded") || !strcmp(ph, "Failed");
	char m[1100];
	condition(w, arr, "PodReadyToStartContainers", w->sandbox_id != NULL, NULL, NULL);
	snprintf(m, sizeof(m), "containers with incomplete status: [%s]", buf_str((struct buf *)&t->incomplete));
	condition(w, arr, "Initialized", t->init_done, "ContainersNotInitialized", m);
	snprintf(m, sizeof(m), "containers with unready status: [%s]", buf_str((struct buf *)&t->unready));
	int ready = t->init_done && !t->unready.len;
	condition(w, arr, "Ready", ready, done ? "PodCompleted" : "ContainersNotReady", done ? NULL : m);
	condition(w, arr, "ContainersReady", ready, done ? "PodCompleted" : "ContainersNotReady", done ? NULL : m);
	cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(json_obj(w->pod, "status"), "conditions")) {
		const char *type = json_str(it, "type");
		if (type && !strcmp(type, "PodScheduled")) {
			cJSON_AddItemToArray(arr, cJSON_Duplicate(it, 1));
			return arr;
		}
	}
	condition(w, arr, "PodScheduled", 1, NULL, NULL);
	return arr;
}

/* The QoS class of a pod as upstream (requests default to limits). */
static const char *qos_class(const cJSON *pod)
{
	static const char *lists[] = { "initContainers", "containers" };
	int any = 0, guaranteed = 1;
	for (int l = 0; l < 2; l++) {
		cJSON *c;
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(json_obj(pod, "spec"), lists[l])) {
			cJSON *req = json_getv(c, "resources", "requests", NULL), *lim = json_getv(c, "resources", "limits", NULL);
			if (cJSON_GetArraySize(req) || cJSON_GetArraySize(lim))
				any = 1;
			const char *res[] = { "cpu", "memory" };
			for (int i = 0; i < 2; i++) {
				const char *lv = json_str(lim, res[i]), *rv = json_str(req, res[i]);
				if (!lv || (rv && strcmp(rv, lv)))
					guaranteed = 0;
			}
		}
	}
	return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}

static void addresses(const struct pod_worker *w, cJSON *s)
{
	const struct agent_config *cfg = w->st->a->cfg;
	cJSON *ips = cJSON_CreateArray();
	for (size_t i = 0; i < cfg->n_node_ips; i++) {
		cJSON *o = cJSON_CreateObject();
		json_set_str(o, "ip", cfg->node_ips[i]);
		cJSON_AddItemToArray(ips, o);
	}
	if (cfg->n_node_ips)
		json_set_str(s, "hostIP", cfg->node_ips[0]);
	if (cJSON_IsTrue(json_getv(w->pod, "spec", "hostNetwork", NULL)) && cfg->n_node_ips) {
		json_set_str(s, "podIP", cfg->node_ips[0]);
		json_set(s, "podIPs", cJSON_Duplicate(ips, 1));
	} else if (w->pod_ip) {
		cJSON *pips = cJSON_CreateArray(), *o = cJSON_CreateObject();
		json_set_str(o, "ip", w->pod_ip);
		cJSON_AddItemToArray(pips, o);
		json_set_str(s, "podIP", w->pod_ip);
		json_set(s, "podIPs", pips);
	}
	json_set(s, "hostIPs", ips);
}

static cJSON *build_status(struct pod_worker *w)
{
	struct tally t = { .incomplete = BUF_INIT, .unready = BUF_INIT };
	cJSON *s = cJSON_CreateObject(), *inits = cJSON_CreateArray(), *ctrs = cJSON_CreateArray();
	tally(w, &t);
	const char *ph = phase(w, &t);
	json_set_str(s, "phase", ph);
	json_set(s, "conditions", conditions(w, &t, ph));
	addresses(w, s);
	if (!w->start_time) {
		const char *st = json_strv(w->pod, "status", "startTime", NULL);
		if (!st || parse_rfc3339(st, &w->start_time) < 0)
			w->start_time = wall_seconds();
	}
	char ts[21];
	format_rfc3339(w->start_time, ts);
	json_set_str(s, "startTime", ts);
	const char *q = json_strv(w->pod, "status", "qosClass", NULL);
	json_set_str(s, "qosClass", q && *q ? q : qos_class(w->pod));
	for (size_t i = 0; i < w->nctrs; i++)
		if (pod_ctr_spec(w, &w->ctrs[i]))
			cJSON_AddItemToArray(w->ctrs[i].init ? inits : ctrs, ctr_status(w, &w->ctrs[i], !t.init_done));
	if (cJSON_GetArraySize(inits))
		json_set(s, "initContainerStatuses", inits);
	else
		cJSON_Delete(inits);
	json_set(s, "containerStatuses", ctrs);
	buf_release(&t.incomplete);
	buf_release(&t.unready);
	return s;
}

static void status_written(const struct rest_result *res, void *data)
{
	struct pod_worker *w = data;
	w->status_inflight = 0;
	if (res->code != 200 && w->live && !w->st->stopping) {
		if (res->code != 404)
			log_warn("pods: writing the status of %s/%s: %d %s", w->ns, w->name, res->code, res->message);
		free(w->status_sent);
		w->status_sent = NULL;
		if (res->code != 404)
			pod_wake_at(w, pod_now_ms() + 1000);
	}
	if (w->status_dirty && w->live && !w->st->stopping) {
		w->status_dirty = 0;
		pod_status_update(w);
	}
	pod_worker_unref(w);
}

/* Does the API's copy of the pod say otherwise than status of a condition the kubelet owns?
 * Another writer changed it (the node lifecycle controller marks the pods of a node that is not
 * ready Ready=False), or it has not caught up with our last write yet. Upstream's status manager
 * writes the status again in both cases (needsReconcile); so does this one. */
static int api_disagrees(const struct pod_worker *w, const cJSON *status)
{
	const cJSON *c, *a;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(status, "conditions")) {
		const char *type = json_str(c, "type");
		if (!type || !strcmp(type, "PodScheduled"))
			continue;
		const char *have = NULL;
		cJSON_ArrayForEach(a, json_getv(w->pod, "status", "conditions", NULL))
			if (json_str(a, "type") && !strcmp(json_str(a, "type"), type))
				have = json_str(a, "status");
		if (!have || strcmp(have, json_str(c, "status")))
			return 1;
	}
	return 0;
}

void pod_status_update(struct pod_worker *w)
{
	if (!w->pod || !w->live || w->st->stopping)
		return;
	if (w->status_inflight) {
		w->status_dirty = 1;
		return;
	}
	cJSON *patch = cJSON_CreateObject(), *status = build_status(w);
	int disagree = api_disagrees(w, status);
	json_set(patch, "status", status);
	char *text = json_print_str(patch);
	if (w->status_sent && !strcmp(text, w->status_sent) && !disagree) {
		free(text);
		cJSON_Delete(patch);
		return;
	}
	struct buf path = BUF_INIT;
	rest_path(&path, NULL, "v1", "pods", w->ns, w->name, "status");
	pod_worker_ref(w);
	w->status_inflight = 1;
	if (rest_patch(w->st->a->api, buf_str(&path), REST_PATCH_MERGE, patch, status_written, w) < 0) {
		w->status_inflight = 0;
		pod_worker_unref(w);
		free(text);
	} else {
		free(w->status_sent);
		w->status_sent = text;
	}
	buf_release(&path);
	cJSON_Delete(patch);
}
