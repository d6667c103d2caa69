/*
 * internal.h - what the files of the agent share: its runtime state and the entry points of its
 * parts. Sections: node (join, node, lease, kubelet API, logs, the pod informer) and pods (the
 * pod worker's hooks, implemented in agent/pod*.c).
 */
#ifndef KUBE_AGENT_INTERNAL_H
#define KUBE_AGENT_INTERNAL_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <uv.h>

#include "agent/agent.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/rest.h"
#include "lib/util.h"

/* ---- node ------------------------------------------------------------------------------- */

/* The version the kubelet reports (nodeInfo.kubeletVersion): the API server's gitVersion. A
 * unit test checks it against server/internal.h's KUBE_K8S_VERSION. */
#define AGENT_KUBELET_VERSION "v1.33.1+kube"

/* The identity the API server presents to kubelets (server/bootstrap.c issues it); the only
 * client the kubelet API serves. */
#define AGENT_APISERVER_CLIENT_CN "kube-apiserver-kubelet-client"

struct agent_join;
struct agent_node;
struct agent_lease;
struct kubelet_api;

/* The runtime state of one agent. Owned by agent_run / the agent thread; everything lives on
 * its loop. Parts keep their own state behind the pointers below; all of it is freed after the
 * loop has ended (so callbacks of requests cancelled at stop still find it). */
struct agent {
	const struct agent_config *cfg;
	uv_loop_t *loop;
	int embedded;             /* runs in the server's process: no signal handlers */
	int stopping;
	int exit_code;
	/* credentials, from join.c (PEM) */
	char *ca_pem;
	char *client_cert_pem, *client_key_pem;
	char *serving_cert_pem, *serving_key_pem;
	/* cluster settings from the server (join.c): GET /v1-kube/config */
	char *cluster_dns, *cluster_domain, *cluster_cidr, *service_cidr;
	/* the API client with the node's credentials (agent.c) */
	struct rest_client *api;
	/* pods bound to this node (agent.c) */
	struct rest_informer *pods;
	struct agent_join *join;
	struct agent_node *node;
	struct agent_lease *lease;
	struct kubelet_api *kapi;
	char *node_uid;           /* metadata.uid of the registered Node */
	char *pod_cidr;           /* spec.podCIDR of the Node, once allocated */
	char *runtime_version;    /* "runc://1.1.5", or NULL until known */
	char *runtime_error;      /* why the runtime is not usable, or NULL */
	uv_signal_t sigterm, sigint;
	uv_async_t stop_async;    /* agent_thread_stop (embedded) */
	void *pods_state;         /* the pod worker's state (agent/pod*.c) */
};

/* Stops everything (idempotent); the loop then ends. */
void agent_stop(struct agent *a);

/* join.c: makes sure the agent holds certificates from the cluster: reuses those under
 * DATA/agent/tls when valid (CA matching the token, node name, addresses, not within 120 days of
 * expiry), else joins: fetches /cacerts, checks it against the token's CA hash, sends the
 * secret and CSRs for its own keys to POST /v1-kube/node-certs. Failures are logged and retried
 * with a back-off of 1 s doubling to 1 min. Then reads the cluster settings (GET
 * /v1-kube/config with the node's certificate). done runs once, with a->ca_pem and the
 * certificates set. */
void join_start(struct agent *a, void (*done)(struct agent *a));
void join_stop(struct agent *a);
void join_free(struct agent *a);

/* Parses a join token: K10<64 hex>::[<user>:]<secret>, or a bare secret. Fills hash ("" when the
 * token has none) and *secret (malloc'd). Returns 0 or -1. */
int join_parse_token(const char *token, char hash[65], char **secret);
/* Parses a whole HTTP/1.x response (headers and a body delimited by Content-Length or by the end
 * of data). Returns 0 with the status and the body (pointing into data), or -1. */
int join_parse_http(const char *data, size_t len, int *status, const char **body, size_t *body_len);

/* node.c: registers the Node (create, or adopt the existing one), then samples the machine every
 * 10 s and writes the Node's status when it changed or 5 minutes passed. ready runs once the
 * Node is registered (a->node_uid set). */
void node_start(struct agent *a, void (*ready)(struct agent *a));
/* Samples and writes the status now (e.g. when readiness changed). */
void node_status_now(struct agent *a);
void node_stop(struct agent *a);
void node_free(struct agent *a);

/* lease.c: keeps the Lease kube-node-lease/<node> renewed every 10 s. */
void lease_start(struct agent *a);
void lease_stop(struct agent *a);
void lease_free(struct agent *a);

/* kubeletapi.c: the kubelet HTTPS server on --kubelet-port. */
int kubeletapi_start(struct agent *a, struct buf *err);
void kubeletapi_stop(struct agent *a);
void kubeletapi_free(struct agent *a);

/* logs.c: GET /containerLogs/NS/POD/CONTAINER. */
struct http_request;
void logs_serve(struct agent *a, struct http_request *req, const char *ns, const char *pod, const char *container);

/* The path of a container's log file: DATA/agent/pods/<uid>/<container>/<n>.log (malloc'd). */
char *agent_log_path(const struct agent *a, const char *pod_uid, const char *container, int64_t restart_count);

/* Records a core/v1 Event about involved (a Pod, or the Node) from the kubelet. */
void agent_event(struct agent *a, const cJSON *involved, const char *type, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* An object reference to this agent's Node, for agent_event (caller frees). */
cJSON *agent_node_ref(const struct agent *a);

/* The cached pod ns/name bound to this node, or NULL (borrowed). */
const cJSON *agent_pod(const struct agent *a, const char *ns, const char *name);

/* ---- CRI log lines (logs.c; pure, unit-tested) ------------------------------------------ */

/* One line of a CRI log file: "<RFC3339Nano time> <stdout|stderr> <F|P> <text>". */
struct crilog_msg {
	int64_t ns;               /* the time, in nanoseconds since the epoch */
	char ts[40];              /* the time as upstream prints it: RFC3339 with 9 fraction digits */
	int partial;              /* tag P: the text continues in the next message */
	const char *text;         /* borrowed from the line; no newline */
	size_t len;
};

/* Parses a line (without its newline). Returns 0, or -1 when it is not a CRI log line. */
int crilog_parse(const char *line, size_t len, struct crilog_msg *m);
/* Parses an RFC 3339 time with an optional fraction into nanoseconds. Returns 0 or -1. */
int crilog_parse_time(const char *s, size_t len, int64_t *ns);

/* ---- pods: the pod worker's hooks (agent/pod*.c) ----------------------------------------- */

/* Declared weak: until the pod worker is linked in, pods bound to the node are only tracked.
 *
 * kubelet_pods_start runs once the Node is registered, before the pod informer starts; a
 * non-zero return is logged and the agent keeps going without running pods.
 * kubelet_pod_changed runs for every change of a pod bound to this node (deleted: the pod is
 * gone from the API; pod is its last state), on the agent's loop; pod is borrowed for the call.
 * kubelet_pods_synced runs once the first list of pods has been delivered.
 * kubelet_pods_stop runs when the agent stops; it must call done(a) exactly once (now or later)
 * after releasing what it holds on the loop.
 * kubelet_runtime_ready reports whether pods can run (runtime and network); when not, it fills
 * why (the Ready condition's message). Without it, the node is ready once runc answered. */
int kubelet_pods_start(struct agent *a, struct buf *err) __attribute__((weak));
void kubelet_pod_changed(struct agent *a, const cJSON *pod, int deleted) __attribute__((weak));
void kubelet_pods_synced(struct agent *a) __attribute__((weak));
void kubelet_pods_stop(struct agent *a, void (*done)(struct agent *a)) __attribute__((weak));
int kubelet_runtime_ready(struct agent *a, struct buf *why) __attribute__((weak));

#endif
