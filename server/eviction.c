/*
 * eviction.c - POST pods/NAME/eviction: a policy/v1 Eviction deletes the pod when the
 * PodDisruptionBudget covering it allows one more disruption, as upstream's EvictionREST does
 * (this is what `kubectl drain` calls).
 *
 * DESIGN
 * An eviction is a short chain of internal client calls hanging off the request (struct
 * eviction), each answered on a later loop turn:
 *   decide: read the pod. A terminal, pending or already terminating pod skips budgets. Else
 *           the budgets of its namespace whose (non-empty) selector matches it: none, fine; more
 *           than one, 500; one, it must allow a disruption (429 TooManyRequests otherwise) -
 *           unless the pod is not ready and the budget is healthy enough (or AlwaysAllow), in
 *           which case nothing is charged but the delete gets a resourceVersion precondition,
 *           so that a pod that became ready meanwhile is not taken;
 *   charge: the budget's status is written with disruptionsAllowed - 1 and the pod in
 *           disruptedPods (so the disruption controller does not count it healthy while it
 *           goes), retried from a fresh read on conflict, 20 times as upstream;
 *   mark:   the pod gets the DisruptionTarget condition (EvictionByEvictionAPI), not in dry runs;
 *   delete: with the Eviction's DeleteOptions; the answer is 201 with a Success Status.
 * Conflicts caused by the precondition this file added become 429 (the client retries), or a
 * new attempt from the start for pods that skip budgets, as upstream retries them.
 */
#include "server/nodes.h"
#include "server/workload.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define EVICTION_ATTEMPTS 20
#define MAX_DISRUPTED_PODS 2000
#define TOO_MANY "Cannot evict pod as it would violate the pod's disruption budget."

struct eviction {
	struct api_req *req;  /* the client's request, answered (and freed) at the end */
	cJSON *opts;          /* DeleteOptions for the delete */
	char *pdb;            /* the covering budget's name, or NULL */
	char *rv;             /* the pod's resourceVersion when the decision was made */
	int attempts;
	int own_rv;           /* the delete carries a resourceVersion precondition added here */
	int user_rv;          /* the client gave a resourceVersion precondition */
	int skip_budgets;     /* terminal, pending or terminating pod: conflicts start over */
	int dry;
};

static void decide(struct eviction *ev);
static void mark(struct eviction *ev);

static void finish(struct eviction *ev)
{
	cJSON_Delete(ev->opts);
	free(ev->pdb);
	free(ev->rv);
	free(ev);
}

/* Ends the eviction with req->err. */
static void fail(struct eviction *ev)
{
	api_fail(ev->req);
	finish(ev);
}

/* Ends the eviction with a body another step answered (an error Status, passed on as is). */
static void pass_on(struct eviction *ev, int code, const char *body, size_t len)
{
	struct buf out = BUF_INIT;
	buf_add(&out, body, len);
	api_reply(ev->req, code, &out);
	buf_release(&out);
	finish(ev);
}

static void reply_status(struct eviction *ev, int code, const char *status, const char *message)
{
	struct buf out = BUF_INIT;
	cJSON *s = cJSON_CreateObject();
	json_set_str(s, "kind", "Status");
	json_set_str(s, "apiVersion", "v1");
	json_set(s, "metadata", cJSON_CreateObject());
	json_set_str(s, "status", status);
	if (message)
		json_set_str(s, "message", message);
	json_set_int(s, "code", code);
	json_print(s, &out);
	cJSON_Delete(s);
	api_reply(ev->req, code, &out);
	buf_release(&out);
	finish(ev);
}

/* upstream's createTooManyRequestsError / the "needs N healthy pods" 429. */
static void too_many(struct eviction *ev, int retry_after, const char *cause_fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void too_many(struct eviction *ev, int retry_after, const char *cause_fmt, ...)
{
	va_list ap;
	va_start(ap, cause_fmt);
	char *cause = xvasprintf(cause_fmt, ap);
	va_end(ap);
	api_error_set(&ev->req->err, 429, "TooManyRequests", TOO_MANY);
	ev->req->err.retry_after = retry_after;
	api_error_cause(&ev->req->err, "DisruptionBudget", cause, NULL);
	free(cause);
	fail(ev);
}

/* The current stored object name of kind k in the request's namespace (a new tree), or NULL. */
static cJSON *current(struct eviction *ev, const struct kind *k, const char *name)
{
	struct buf key = BUF_INIT;
	kind_key(k, ev->req->ns, name, &key);
	struct store_kv *kv = store_get(ev->req->srv->store, key.data);
	buf_release(&key);
	return kv ? obj_parse(kv) : NULL;
}

static const struct kind *pdb_kind(void)
{
	return kind_by_resource("policy", "v1", "poddisruptionbudgets");
}

/* ---- delete ------------------------------------------------------------------------------- */

static void deleted(int code, const char *body, size_t len, void *data)
{
	struct eviction *ev = data;
	if (code >= 200 && code < 300) {
		reply_status(ev, 201, "Success", NULL);
	} else if (code == 409 && ev->own_rv && !ev->user_rv) {
		if (ev->skip_budgets && ++ev->attempts < EVICTION_ATTEMPTS) {
			decide(ev);
			return;
		}
		too_many(ev, 10, "The disruption budget %s is still being processed by the server.",
			 ev->pdb ? ev->pdb : "");
	} else {
		pass_on(ev, code, body, len);
	}
}

static void delete_pod(struct eviction *ev)
{
	struct api_req *req = ev->req;
	char *body = json_print_str(ev->opts);
	client_call(req->srv, VERB_DELETE, req->kind, req->ns, req->name, NULL, "application/json", body, NULL,
		    deleted, ev);
	free(body);
}

/* ---- mark: the DisruptionTarget condition ------------------------------------------------- */

static void marked(int code, const char *body, size_t len, void *data)
{
	struct eviction *ev = data;
	if (code == 409 && ++ev->attempts < EVICTION_ATTEMPTS) {
		mark(ev);
		return;
	}
	if (code < 200 || code >= 300) {
		pass_on(ev, code, body, len);
		return;
	}
	cJSON *pod = json_parse(body, len, NULL);
	const char *rv = json_strv(pod, "metadata", "resourceVersion", NULL);
	cJSON *pre = json_obj(ev->opts, "preconditions");
	/* The condition is this eviction's own write: the precondition moves past it. */
	if (rv && json_str(pre, "resourceVersion"))
		json_set_str(pre, "resourceVersion", rv);
	cJSON_Delete(pod);
	delete_pod(ev);
}

/* Do the preconditions of the delete still hold for pod? */
static int preconditions_hold(const struct eviction *ev, const cJSON *pod)
{
	const cJSON *pre = json_obj(ev->opts, "preconditions");
	const char *uid = json_str(pre, "uid"), *rv = json_str(pre, "resourceVersion");
	const char *puid = json_strv(pod, "metadata", "uid", NULL), *prv = json_strv(pod, "metadata", "resourceVersion", NULL);
	return (!uid || (puid && !strcmp(uid, puid))) && (!rv || (prv && !strcmp(rv, prv)));
}

static void mark(struct eviction *ev)
{
	struct api_req *req = ev->req;
	cJSON *pod = current(ev, req->kind, req->name);
	/* A gone pod or a failed precondition: the delete reports it as upstream does. */
	if (ev->dry || !pod || !preconditions_hold(ev, pod) ||
	    !nodes_set_pod_condition(pod, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting")) {
		cJSON_Delete(pod);
		delete_pod(ev);
		return;
	}
	char *body = json_print_str(pod);
	client_call(req->srv, VERB_UPDATE, req->kind, req->ns, req->name, "status", "application/json", body, NULL,
		    marked, ev);
	free(body);
	cJSON_Delete(pod);
}

/* Adds a resourceVersion precondition on the pod as it was decided on. */
static void pin_version(struct eviction *ev)
{
	if (ev->user_rv || !ev->rv)
		return;
	json_set_str(json_obj_force(ev->opts, "preconditions"), "resourceVersion", ev->rv);
	ev->own_rv = 1;
}

/* ---- charge: take one disruption from the budget ------------------------------------------- */

static void charge(struct eviction *ev, cJSON *pdb);

static void charged(int code, const char *body, size_t len, void *data)
{
	struct eviction *ev = data;
	if (code == 409 && ++ev->attempts < EVICTION_ATTEMPTS) {
		cJSON *pdb = current(ev, pdb_kind(), ev->pdb);
		if (pdb) {
			charge(ev, pdb);
			cJSON_Delete(pdb);
			return;
		}
		api_error_not_found(&ev->req->err, pdb_kind(), ev->pdb);
		fail(ev);
	} else if (code == 409) {
		api_error_set(&ev->req->err, 504, "Timeout",
			      "couldn't update PodDisruptionBudget \"%s\" due to conflicts", ev->pdb);
		ev->req->err.retry_after = 10;
		fail(ev);
	} else if (code < 200 || code >= 300) {
		pass_on(ev, code, body, len);
	} else {
		mark(ev);
	}
}

/* upstream's checkAndDecrement on pdb (borrowed). */
static void charge(struct eviction *ev, cJSON *pdb)
{
	struct api_req *req = ev->req;
	cJSON *st = json_obj_force(pdb, "status");
	int64_t gen = 0, seen = 0, allowed = 0, want = 0, have = 0;
	json_int(json_obj(pdb, "metadata"), "generation", &gen);
	json_int(st, "observedGeneration", &seen);
	json_int(st, "disruptionsAllowed", &allowed);
	json_int(st, "desiredHealthy", &want);
	json_int(st, "currentHealthy", &have);
	if (seen < gen) {
		too_many(ev, 10, "The disruption budget %s is still being processed by the server.", ev->pdb);
		return;
	}
	if (allowed < 0 || cJSON_GetArraySize(json_obj(st, "disruptedPods")) > MAX_DISRUPTED_PODS) {
		api_error_set(&req->err, 403, "Forbidden", "poddisruptionbudget.policy \"%s\" is forbidden: %s", ev->pdb,
			      allowed < 0 ? "pdb disruptions allowed is negative"
					  : "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
		fail(ev);
		return;
	}
	if (allowed == 0) {
		too_many(ev, 0, "The disruption budget %s needs %lld healthy pods and has %lld currently", ev->pdb,
			 (long long)want, (long long)have);
		return;
	}
	json_set_int(st, "disruptionsAllowed", allowed - 1);
	if (allowed - 1 == 0)
		pdb_update_condition(pdb);
	if (ev->dry) {
		mark(ev);
		return;
	}
	char now[21];
	format_rfc3339(wall_seconds(), now);
	cJSON *dp = json_obj(st, "disruptedPods");
	if (!cJSON_IsObject(dp))
		json_set(st, "disruptedPods", dp = cJSON_CreateObject());
	json_set_str(dp, req->name, now);
	char *body = json_print_str(pdb);
	client_call(req->srv, VERB_UPDATE, pdb_kind(), req->ns, ev->pdb, "status", "application/json", body, NULL, charged, ev);
	free(body);
}

/* ---- decide --------------------------------------------------------------------------------- */

struct covering {
	const cJSON *pod;
	cJSON *pdb; /* the first covering budget (owned) */
	int n;
};

static int cover_one(struct store_kv *kv, void *data)
{
	struct covering *c = data;
	cJSON *pdb = obj_parse(kv);
	if (pdb && pdb_covers(pdb, c->pod) && c->n++ == 0) {
		c->pdb = pdb;
		return 0;
	}
	cJSON_Delete(pdb);
	return 0;
}

/* With the one budget covering a running pod: charge it, or let an unready pod go uncharged. */
static void with_budget(struct eviction *ev, const cJSON *pod, cJSON *pdb)
{
	int64_t want = 0, have = 0;
	json_int(json_obj(pdb, "status"), "desiredHealthy", &want);
	json_int(json_obj(pdb, "status"), "currentHealthy", &have);
	const char *policy = json_strv(pdb, "spec", "unhealthyPodEvictionPolicy", NULL);
	free(ev->pdb);
	ev->pdb = xstrdup(json_strv(pdb, "metadata", "name", NULL));
	if (!wl_pod_ready(pod) && ((policy && !strcmp(policy, "AlwaysAllow")) || (have >= want && want > 0))) {
		pin_version(ev);
		mark(ev);
		return;
	}
	charge(ev, pdb);
}

static void decide(struct eviction *ev)
{
	struct api_req *req = ev->req;
	cJSON *pod = current(ev, req->kind, req->name);
	if (!pod) {
		api_error_not_found(&req->err, req->kind, req->name);
		fail(ev);
		return;
	}
	const char *phase = json_strv(pod, "status", "phase", NULL);
	int deleting = json_strv(pod, "metadata", "deletionTimestamp", NULL) != NULL;
	free(ev->rv);
	ev->rv = xstrdup(json_strv(pod, "metadata", "resourceVersion", NULL) ? json_strv(pod, "metadata", "resourceVersion", NULL) : "");
	ev->skip_budgets = nodes_pod_terminal(pod) || deleting || (phase && !strcmp(phase, "Pending"));
	if (ev->skip_budgets) {
		/* Terminal or terminating pods need no version pinned; pending ones do. */
		if (!nodes_pod_terminal(pod) && !deleting)
			pin_version(ev);
		cJSON_Delete(pod);
		mark(ev);
		return;
	}
	struct covering c = { pod, NULL, 0 };
	struct buf prefix = BUF_INIT;
	kind_prefix(pdb_kind(), req->ns, &prefix);
	store_range(req->srv->store, prefix.data, NULL, cover_one, &c);
	buf_release(&prefix);
	if (c.n > 1)
		reply_status(ev, 500, "Failure",
			     "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
	else if (c.n == 1)
		with_budget(ev, pod, c.pdb);
	else
		mark(ev);
	cJSON_Delete(c.pdb);
	cJSON_Delete(pod);
}

/* ---- the request ------------------------------------------------------------------------------ */

/* upstream's propagateDryRun: the request's dryRun goes into the DeleteOptions. */
static int dry_run_options(struct api_req *req, cJSON *opts)
{
	const cJSON *dr = cJSON_GetObjectItemCaseSensitive(opts, "dryRun");
	int body_dry = cJSON_GetArraySize(dr) > 0;
	if (req->q.dry_run && body_dry) {
		const cJSON *all = cJSON_GetArrayItem(dr, 0);
		if (cJSON_GetArraySize(dr) != 1 || !cJSON_IsString(all) || strcmp(all->valuestring, "All")) {
			char *got = json_print_str(dr);
			api_error_bad_request(&req->err, "Non-matching dry-run options in request and content: [All] and %s", got);
			free(got);
			return -1;
		}
	} else if (req->q.dry_run) {
		json_set(opts, "dryRun", cJSON_CreateStringArray((const char *[]){ "All" }, 1));
	}
	return req->q.dry_run || body_dry;
}

void api_eviction(struct api_req *req)
{
	if (api_decode_object(req, "policy/v1", "Eviction") < 0)
		goto fail;
	const char *name = json_strv(req->body, "metadata", "name", NULL);
	const char *ns = json_strv(req->body, "metadata", "namespace", NULL);
	if (!name || strcmp(name, req->name)) {
		api_error_bad_request(&req->err, "name in URL does not match name in Eviction object");
		goto fail;
	}
	if (ns && *ns && strcmp(ns, req->ns)) {
		api_error_bad_request(&req->err,
				      "the namespace of the provided object does not match the namespace sent on the request");
		goto fail;
	}
	const cJSON *opts = json_obj(req->body, "deleteOptions");
	struct eviction *ev = xcalloc(1, sizeof(*ev));
	ev->req = req;
	ev->opts = cJSON_IsObject(opts) ? cJSON_Duplicate(opts, 1) : cJSON_CreateObject();
	int dry = dry_run_options(req, ev->opts);
	if (dry < 0) {
		fail(ev);
		return;
	}
	ev->dry = dry;
	ev->user_rv = json_strv(ev->opts, "preconditions", "resourceVersion", NULL) != NULL;
	decide(ev);
	return;
fail:
	api_fail(req);
}
