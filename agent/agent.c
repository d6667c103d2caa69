/*
 * agent.c - the agent's life: start, the order its parts come up in, the pod informer, and an
 * orderly stop; `kube agent` (agent_run) and the server's embedded agent (agent_thread_*).
 *
 * DESIGN
 * Start: data directories -> join (credentials, API client, cluster settings) -> the Node
 * (registered or adopted) -> the Lease, the kubelet API and the informer over the pods bound to
 * this node (fieldSelector spec.nodeName=NODE), whose changes go to the pod worker's hooks
 * (weak symbols in internal.h: without a pod worker, pods are only tracked).
 * Stop (SIGTERM/SIGINT, or agent_thread_stop through an async handle): every part stops its
 * timers and requests; the pod worker is given the chance to release what it holds; then the API
 * client closes and the loop ends with nothing left on it. State is freed after the loop ended,
 * so callbacks of requests cancelled at stop still find it.
 *
 * The embedded agent runs the same code on a loop of its own in a thread: the server's loop
 * never waits for it. When the agent's loop has ended, an async handle on the owner's loop joins
 * the thread and reports.
 */
#include "agent/internal.h"
#include "cri/cri.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- the informers ---------------------------------------------------------------------- */

/* Hands a change to the network parts (weak hooks: a part that is not linked is skipped). */
static void net_dispatch(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj)
{
	if (a->stopping)
		return;
	if (net_changed)
		net_changed(a, kind, old, obj);
	if (proxy_changed)
		proxy_changed(a, kind, old, obj);
	if (dns_changed)
		dns_changed(a, kind, old, obj);
}

/* Tells the network parts once that every informer has delivered its first list. */
static void maybe_net_synced(struct agent *a)
{
	struct rest_informer *all[] = { a->pods, a->services, a->slices, a->nodes };
	if (a->net_synced_sent || a->stopping)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!all[i] || !rest_informer_synced(all[i]))
			return;
	a->net_synced_sent = 1;
	if (net_synced)
		net_synced(a);
	if (proxy_synced)
		proxy_synced(a);
	if (dns_synced)
		dns_synced(a);
}

static void pod_add(const cJSON *obj, void *data)
{
	struct agent *a = data;
	if (kubelet_pod_changed)
		kubelet_pod_changed(a, obj, 0);
	net_dispatch(a, AGENT_POD, NULL, obj);
}

static void pod_update(const cJSON *old, const cJSON *obj, void *data)
{
	struct agent *a = data;
	if (kubelet_pod_changed)
		kubelet_pod_changed(a, obj, 0);
	net_dispatch(a, AGENT_POD, old, obj);
}

static void pod_delete(const cJSON *obj, void *data)
{
	struct agent *a = data;
	if (kubelet_pod_changed)
		kubelet_pod_changed(a, obj, 1);
	net_dispatch(a, AGENT_POD, obj, NULL);
}

static void pods_synced(void *data)
{
	struct agent *a = data;
	log_info("agent: %zu pods bound to node %s", rest_informer_count(a->pods), a->cfg->node_name);
	if (kubelet_pods_synced)
		kubelet_pods_synced(a);
	maybe_net_synced(a);
}

/* The cluster-wide informers: each one's data is a struct net_informer (agent and kind). */
static void cw_add(const cJSON *obj, void *data)
{
	struct net_informer *ni = data;
	net_dispatch(ni->a, (enum agent_kind)ni->kind, NULL, obj);
}

static void cw_update(const cJSON *old, const cJSON *obj, void *data)
{
	struct net_informer *ni = data;
	net_dispatch(ni->a, (enum agent_kind)ni->kind, old, obj);
}

static void cw_delete(const cJSON *obj, void *data)
{
	struct net_informer *ni = data;
	net_dispatch(ni->a, (enum agent_kind)ni->kind, obj, NULL);
}

static void cw_synced(void *data)
{
	struct net_informer *ni = data;
	maybe_net_synced(ni->a);
}

static void start_informers(struct agent *a)
{
	static const struct rest_informer_ops pod_ops = { pod_add, pod_update, pod_delete, pods_synced };
	static const struct rest_informer_ops cw_ops = { cw_add, cw_update, cw_delete, cw_synced };
	static const char *const paths[] = { "/api/v1/services", "/apis/discovery.k8s.io/v1/endpointslices",
					     "/api/v1/nodes" };
	struct rest_informer **slots[] = { &a->services, &a->slices, &a->nodes };
	static const enum agent_kind kinds[] = { AGENT_SERVICE, AGENT_SLICE, AGENT_NODE };
	char *sel = xasprintf("spec.nodeName=%s", a->cfg->node_name);
	struct rest_informer_config ic = { .path = "/api/v1/pods", .field_selector = sel, .ops = &pod_ops, .data = a };
	struct buf err = BUF_INIT;
	if (kubelet_pods_start && kubelet_pods_start(a, &err) < 0)
		log_error("agent: the pod worker failed to start: %s", buf_str(&err));
	int (*starts[])(struct agent *, struct buf *) = { net_start, proxy_start, dns_start };
	static const char *const names[] = { "the pod network", "the service proxy", "the DNS server" };
	for (size_t i = 0; i < ARRAY_SIZE(starts); i++) {
		buf_reset(&err);
		if (starts[i] && starts[i](a, &err) < 0)
			log_error("agent: %s failed to start: %s", names[i], buf_str(&err));
	}
	if (rest_informer_start(a->api, &ic, &a->pods) < 0)
		log_error("agent: cannot watch the pods of node %s", a->cfg->node_name);
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		struct net_informer *ni = &a->net_informers[i];
		ni->a = a;
		ni->kind = kinds[i];
		struct rest_informer_config c = { .path = paths[i], .ops = &cw_ops, .data = ni };
		if (rest_informer_start(a->api, &c, slots[i]) < 0)
			log_error("agent: cannot watch %s", paths[i]);
	}
	free(sel);
	buf_release(&err);
}

size_t agent_sandboxes(struct agent *a)
{
	struct cri_runtime *rt = pods_runtime ? pods_runtime(a) : NULL;
	const struct cri_sandbox **list = NULL;
	if (!rt) /* the pod worker has stopped: what it counted then */
		return a->sandboxes_at_stop;
	size_t n = cri_sandbox_list(rt, &list);
	free(list);
	return n;
}

const cJSON *agent_pod(const struct agent *a, const char *ns, const char *name)
{
	return a->pods ? rest_informer_get(a->pods, ns, name) : NULL;
}

char *agent_log_path(const struct agent *a, const char *pod_uid, const char *container, int64_t restart_count)
{
	return xasprintf("%s/%s/%s/%lld.log", a->cfg->pods_dir, pod_uid, container, (long long)restart_count);
}

/* ---- events ------------------------------------------------------------------------------ */

cJSON *agent_node_ref(const struct agent *a)
{
	cJSON *ref = cJSON_CreateObject();
	json_set_str(ref, "kind", "Node");
	json_set_str(ref, "apiVersion", "v1");
	json_set_str(ref, "name", a->cfg->node_name);
	json_set_str(ref, "uid", a->node_uid ? a->node_uid : a->cfg->node_name);
	return ref;
}

static void event_done(const struct rest_result *res, void *data)
{
	UNUSED(data);
	if (!res->err && (res->code < 200 || res->code >= 300))
		log_debug("agent: cannot record an event (%d): %s", res->code, res->message);
}

void agent_event(struct agent *a, const cJSON *involved, const char *type, const char *reason, const char *fmt, ...)
{
	char msg[1024], ts[21], name[300], hex[9];
	unsigned char rnd[4];
	va_list ap;
	if (!a->api || a->stopping)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const char *ns = json_str(involved, "namespace");
	if (!ns || !*ns)
		ns = "default";
	random_bytes(rnd, sizeof(rnd));
	snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
	snprintf(name, sizeof(name), "%.200s.%s", json_str(involved, "name") ? json_str(involved, "name") : "x", hex);
	format_rfc3339(wall_seconds(), ts);
	cJSON *ev = cJSON_CreateObject(), *meta = json_obj_force(ev, "metadata"), *src = json_obj_force(ev, "source");
	json_set_str(ev, "apiVersion", "v1");
	json_set_str(ev, "kind", "Event");
	json_set_str(meta, "name", name);
	json_set_str(meta, "namespace", ns);
	json_set(ev, "involvedObject", cJSON_Duplicate(involved, 1));
	json_set_str(ev, "type", type);
	json_set_str(ev, "reason", reason);
	json_set_str(ev, "message", msg);
	json_set_str(src, "component", "kubelet");
	json_set_str(src, "host", a->cfg->node_name);
	json_set_str(ev, "firstTimestamp", ts);
	json_set_str(ev, "lastTimestamp", ts);
	json_set_int(ev, "count", 1);
	json_set_str(ev, "reportingComponent", "kubelet");
	json_set_str(ev, "reportingInstance", a->cfg->node_name);
	char *path = xasprintf("/api/v1/namespaces/%s/events", ns);
	rest_create(a->api, path, ev, event_done, NULL);
	free(path);
	cJSON_Delete(ev);
}

/* ---- start and stop ---------------------------------------------------------------------- */

static void node_ready(struct agent *a)
{
	struct buf err = BUF_INIT;
	if (a->stopping)
		return;
	lease_start(a);
	if (kubeletapi_start(a, &err) < 0)
		log_error("agent: the kubelet API is not served: %s", buf_str(&err));
	start_informers(a);
	buf_release(&err);
}

static void joined(struct agent *a)
{
	if (a->stopping)
		return;
	log_info("agent: joined %s as node %s", a->cfg->server_url, a->cfg->node_name);
	node_start(a, node_ready);
}

static void close_handle(uv_handle_t *h)
{
	if (h->loop && !uv_is_closing(h))
		uv_close(h, NULL);
}

static void api_closed(void *arg)
{
	struct agent *a = arg;
	close_handle((uv_handle_t *)&a->sigterm);
	close_handle((uv_handle_t *)&a->sigint);
	close_handle((uv_handle_t *)&a->stop_async);
}

static void close_api(struct agent *a)
{
	if (a->api)
		rest_client_close(a->api, api_closed, a);
	else
		api_closed(a);
}

/* The network parts stop one after the other (dns, proxy, net), then the API client closes. */
static void net_stopped(struct agent *a)
{
	void (*stops[])(struct agent *, void (*)(struct agent *)) = { dns_stop, proxy_stop, net_stop };
	while (a->net_stop_step < ARRAY_SIZE(stops)) {
		void (*stop)(struct agent *, void (*)(struct agent *)) = stops[a->net_stop_step++];
		if (stop) {
			stop(a, net_stopped);
			return;
		}
	}
	close_api(a);
}

static void pods_stopped(struct agent *a)
{
	net_stopped(a);
}

void agent_stop(struct agent *a)
{
	if (a->stopping)
		return;
	a->stopping = 1;
	log_info("agent: stopping");
	struct rest_informer *infs[] = { a->pods, a->services, a->slices, a->nodes };
	for (size_t i = 0; i < ARRAY_SIZE(infs); i++)
		if (infs[i])
			rest_informer_stop(infs[i]);
	join_stop(a);
	node_stop(a);
	lease_stop(a);
	kubeletapi_stop(a);
	if (kubelet_pods_stop)
		kubelet_pods_stop(a, pods_stopped);
	else
		pods_stopped(a);
}

static void on_signal(uv_signal_t *h, int signum)
{
	log_info("agent: received signal %d", signum);
	agent_stop(h->data);
}

static void on_stop_async(uv_async_t *h)
{
	agent_stop(h->data);
}

/* Prepares a on loop (handles initialised, nothing started). */
static void agent_init(struct agent *a, const struct agent_config *cfg, uv_loop_t *loop, int embedded)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->loop = loop;
	a->embedded = embedded;
	uv_async_init(loop, &a->stop_async, on_stop_async);
	a->stop_async.data = a;
	if (!embedded) {
		uv_signal_init(loop, &a->sigterm);
		uv_signal_init(loop, &a->sigint);
		a->sigterm.data = a->sigint.data = a;
		uv_signal_start(&a->sigterm, on_signal, SIGTERM);
		uv_signal_start(&a->sigint, on_signal, SIGINT);
	}
}

/* Starts the parts; 0, or a negative error (logged) after which a is stopping. */
static int agent_begin(struct agent *a)
{
	const struct agent_config *cfg = a->cfg;
	const char *dirs[] = { cfg->agent_dir, cfg->tls_dir, cfg->pods_dir };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int r = mkdir_p(dirs[i], 0700);
		if (r < 0) {
			log_error("agent: cannot create %s: %s", dirs[i], strerror(-r));
			a->exit_code = 1;
			agent_stop(a);
			return r;
		}
	}
	log_info("agent: node %s (%s), joining %s", cfg->node_name, cfg->n_node_ips ? cfg->node_ips[0] : "no address",
		 cfg->server_url);
	join_start(a, joined);
	return 0;
}

/* Frees what the parts kept until after the loop ended. */
static void agent_release(struct agent *a)
{
	void (*frees[])(struct agent *) = { dns_free, proxy_free, net_free };
	for (size_t i = 0; i < ARRAY_SIZE(frees); i++)
		if (frees[i])
			frees[i](a);
	join_free(a);
	node_free(a);
	lease_free(a);
	kubeletapi_free(a);
	free(a->ca_pem);
	free(a->client_cert_pem);
	free(a->client_key_pem);
	free(a->serving_cert_pem);
	free(a->serving_key_pem);
	free(a->cluster_dns);
	free(a->cluster_domain);
	free(a->cluster_cidr);
	free(a->service_cidr);
	free(a->flannel_backend);
	free(a->node_uid);
	free(a->pod_cidr);
	free(a->runtime_version);
	free(a->runtime_error);
}

int agent_run(const struct agent_config *cfg)
{
	struct agent a;
	uv_loop_t loop;
	uv_loop_init(&loop);
	agent_init(&a, cfg, &loop, 0);
	agent_begin(&a);
	uv_run(&loop, UV_RUN_DEFAULT);
	log_info("agent: stopped");
	if (uv_loop_close(&loop) != 0)
		log_warn("agent: event loop closed with handles still open");
	agent_release(&a);
	return a.exit_code ? -1 : 0;
}

/* ---- the embedded agent ------------------------------------------------------------------ */

struct agent_thread {
	struct agent a;
	uv_loop_t loop;
	uv_thread_t tid;
	uv_async_t done;          /* on the owner's loop: the agent's loop has ended */
	void (*stopped)(void *arg);
	void *arg;
	int stop_sent;
	struct agent_config *owned; /* agent_embedded_start's configuration, or NULL */
};

static void thread_main(void *arg)
{
	struct agent_thread *t = arg;
	agent_begin(&t->a);
	uv_run(&t->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&t->loop) != 0)
		log_warn("agent: event loop closed with handles still open");
	agent_release(&t->a);
	log_info("agent: stopped");
	uv_async_send(&t->done);
}

static void thread_freed(uv_handle_t *h)
{
	struct agent_thread *t = h->data;
	void (*stopped)(void *) = t->stopped;
	void *arg = t->arg;
	if (t->owned) {
		agent_config_release(t->owned);
		free(t->owned);
	}
	free(t);
	if (stopped)
		stopped(arg);
}

static void on_thread_done(uv_async_t *h)
{
	struct agent_thread *t = h->data;
	uv_thread_join(&t->tid);
	uv_close((uv_handle_t *)&t->done, thread_freed);
}

int agent_thread_start(uv_loop_t *owner, const struct agent_config *cfg, void (*stopped)(void *arg), void *arg,
		       struct agent_thread **out, struct buf *err)
{
	struct agent_thread *t = xcalloc(1, sizeof(*t));
	uv_loop_init(&t->loop);
	agent_init(&t->a, cfg, &t->loop, 1);
	t->stopped = stopped;
	t->arg = arg;
	uv_async_init(owner, &t->done, on_thread_done);
	t->done.data = t;
	int r = uv_thread_create(&t->tid, thread_main, t);
	if (r < 0) {
		buf_addf(err, "cannot start the agent's thread: %s", uv_strerror(r));
		t->stopped = NULL;
		uv_close((uv_handle_t *)&t->a.stop_async, NULL);
		uv_run(&t->loop, UV_RUN_DEFAULT);
		uv_loop_close(&t->loop);
		uv_close((uv_handle_t *)&t->done, thread_freed);
		return r;
	}
	*out = t;
	return 0;
}

void agent_thread_stop(struct agent_thread *t)
{
	if (t && !t->stop_sent) {
		t->stop_sent = 1;
		uv_async_send(&t->a.stop_async);
	}
}

int agent_embedded_start(uv_loop_t *owner, const struct agent_embed *e, void (*stopped)(void *arg), void *arg,
			 struct agent_thread **out, struct buf *err)
{
	struct agent_options o;
	struct agent_config *cfg = xcalloc(1, sizeof(*cfg));
	agent_options_init(&o);
	o.server = (char *)e->server_url;
	o.token_file = (char *)e->token_path;
	o.data_dir = (char *)e->data_dir;
	o.node_name = (char *)e->node_name;
	o.resource_prefix = (char *)e->resource_prefix;
	o.kubelet_port = e->kubelet_port;
	if (e->registries_config)
		o.registries_config = (char *)e->registries_config;
	o.node_ip = (struct opt_list){ (char **)e->node_ips, e->n_node_ips };
	o.node_label = (struct opt_list){ (char **)e->labels, e->nlabels };
	o.node_taint = (struct opt_list){ (char **)e->taints, e->ntaints };
	o.control_plane = 1;
	o.debug = e->debug;
	size_t start = err->len;
	agent_options_complete(&o, cfg, err);
	agent_config_validate(cfg, err);
	int r = err->len > start ? -KUBE_EINVAL : agent_thread_start(owner, cfg, stopped, arg, out, err);
	if (r < 0) {
		agent_config_release(cfg);
		free(cfg);
		return r;
	}
	(*out)->owned = cfg;
	return 0;
}
