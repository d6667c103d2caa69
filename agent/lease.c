/*
 * lease.c - the node's heartbeat: the Lease kube-node-lease/<node>, as upstream's kubelet keeps
 * it (pkg/kubelet/nodelease, component-helpers' lease controller).
 *
 * DESIGN
 * Every 10 s (leaseDurationSeconds 40 / 4, upstream's renew interval) the Lease is written with
 * holderIdentity = the node name, leaseDurationSeconds 40 and renewTime = now (RFC 3339 with
 * microseconds, the MicroTime format), and an ownerReference to the Node so that it goes with
 * it. The first write gets the Lease (creating it when absent); later renewals PUT the object
 * last seen (optimistic concurrency); a conflict or an error gets it again. A failed renewal is
 * retried after 200 ms doubling up to 7 s (upstream's back-off) and then at the usual interval.
 */
#include "agent/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define LEASE_SECONDS 40
#define RENEW_MS 10000
#define RETRY_BASE_MS 200
#define RETRY_MAX_MS 7000

struct agent_lease {
	struct agent *a;
	uv_timer_t timer;
	cJSON *lease;             /* the Lease last read or written, or NULL */
	uint64_t retry_ms;
	int busy, stopped;
};

static void on_timer(uv_timer_t *t);

static void lease_schedule(struct agent_lease *l, uint64_t ms)
{
	if (!l->stopped)
		uv_timer_start(&l->timer, on_timer, ms, 0);
}

static void renew(struct agent_lease *l);

static void failed(struct agent_lease *l, const char *what, const struct rest_result *res)
{
	log_warn("agent: cannot %s the Lease of node %s (%d): %s", what, l->a->cfg->node_name, res->code, res->message);
	cJSON_Delete(l->lease);
	l->lease = NULL;
	l->retry_ms = l->retry_ms ? MIN(l->retry_ms * 2, RETRY_MAX_MS) : RETRY_BASE_MS;
	lease_schedule(l, l->retry_ms);
}

static void written(const struct rest_result *res, void *data)
{
	struct agent_lease *l = data;
	l->busy = 0;
	if (l->stopped || res->err == -ECANCELED)
		return;
	if (res->err || (res->code != 200 && res->code != 201) || !res->obj) {
		failed(l, "renew", res);
		return;
	}
	cJSON_Delete(l->lease);
	l->lease = cJSON_Duplicate(res->obj, 1);
	l->retry_ms = 0;
	lease_schedule(l, RENEW_MS);
}

/* renewTime as MicroTime: RFC 3339 with 6 fraction digits, UTC. */
static void micro_now(char out[40])
{
	struct timeval tv;
	char s[21];
	gettimeofday(&tv, NULL);
	format_rfc3339((int64_t)tv.tv_sec, s);
	snprintf(out, 40, "%.19s.%06ldZ", s, (long)tv.tv_usec);
}

/* The Lease as it should be now, from the last seen one (or a new one). */
static cJSON *desired(struct agent_lease *l)
{
	struct agent *a = l->a;
	char now[40];
	cJSON *lease = l->lease ? cJSON_Duplicate(l->lease, 1) : cJSON_CreateObject();
	cJSON *meta = json_obj_force(lease, "metadata"), *spec = json_obj_force(lease, "spec");
	json_set_str(lease, "apiVersion", "coordination.k8s.io/v1");
	json_set_str(lease, "kind", "Lease");
	json_set_str(meta, "name", a->cfg->node_name);
	json_set_str(meta, "namespace", "kube-node-lease");
	if (a->node_uid && !cJSON_GetObjectItemCaseSensitive(meta, "ownerReferences")) {
		cJSON *refs = cJSON_CreateArray(), *ref = cJSON_CreateObject();
		json_set_str(ref, "apiVersion", "v1");
		json_set_str(ref, "kind", "Node");
		json_set_str(ref, "name", a->cfg->node_name);
		json_set_str(ref, "uid", a->node_uid);
		cJSON_AddItemToArray(refs, ref);
		json_set(meta, "ownerReferences", refs);
	}
	micro_now(now);
	json_set_str(spec, "holderIdentity", a->cfg->node_name);
	json_set_int(spec, "leaseDurationSeconds", LEASE_SECONDS);
	json_set_str(spec, "renewTime", now);
	return lease;
}

static void got(const struct rest_result *res, void *data)
{
	struct agent_lease *l = data;
	l->busy = 0;
	if (l->stopped || res->err == -ECANCELED)
		return;
	if (!res->err && res->code == 200 && res->obj) {
		l->lease = cJSON_Duplicate(res->obj, 1);
		renew(l);
	} else if (!res->err && res->code == 404) {
		cJSON *lease = desired(l);
		l->busy = 1;
		if (rest_create(l->a->api, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease, written,
				l) < 0)
			l->busy = 0;
		cJSON_Delete(lease);
	} else {
		failed(l, "get", res);
	}
}

static void renew(struct agent_lease *l)
{
	char *path = xasprintf("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%s", l->a->cfg->node_name);
	l->busy = 1;
	if (!l->lease) {
		if (rest_get(l->a->api, path, got, l) < 0)
			l->busy = 0;
	} else {
		cJSON *lease = desired(l);
		if (rest_update(l->a->api, path, lease, written, l) < 0)
			l->busy = 0;
		cJSON_Delete(lease);
	}
	free(path);
	if (!l->busy)
		lease_schedule(l, RENEW_MS);
}

static void on_timer(uv_timer_t *t)
{
	struct agent_lease *l = t->data;
	if (!l->stopped && !l->busy)
		renew(l);
}

void lease_start(struct agent *a)
{
	struct agent_lease *l = xcalloc(1, sizeof(*l));
	l->a = a;
	uv_timer_init(a->loop, &l->timer);
	l->timer.data = l;
	a->lease = l;
	renew(l);
}

void lease_stop(struct agent *a)
{
	struct agent_lease *l = a->lease;
	if (!l || l->stopped)
		return;
	l->stopped = 1;
	uv_close((uv_handle_t *)&l->timer, NULL);
}

void lease_free(struct agent *a)
{
	struct agent_lease *l = a->lease;
	if (!l)
		return;
	cJSON_Delete(l->lease);
	free(l);
	a->lease = NULL;
}
