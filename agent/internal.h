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

/* The data of a cluster-wide informer (agent.c): its agent and enum agent_kind. */
struct net_informer {
	struct agent *a;
	int kind;
};

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
	/* cluster-wide informers shared by the network parts (agent.c): Services, EndpointSlices
	 * (discovery.k8s.io/v1) and Nodes; NULL until the Node is registered */
	struct rest_informer *services, *slices, *nodes;
	int net_synced_sent;      /* the network parts were told that every informer has synced */
	void *net_state;          /* the pod network's state (agent/net*.c) */
	void *proxy_state;        /* the service proxy's state (agent/proxy*.c) */
	void *dns_state;          /* the DNS server's state (agent/dns*.c) */
	char *flannel_backend;    /* from the server's /v1-kube/config: "vxlan", "host-gw" or "none" */
	struct net_informer net_informers[3]; /* agent.c: the data of the three informers above */
	unsigned net_stop_step;   /* agent.c: which network part stops next */
	size_t sandboxes_at_stop; /* pod.c: the sandboxes the runtime held when the pod worker
				     stopped (the runtime is closed before the network parts stop) */
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

/* ---- podspec: container configs, volumes, probes (agent/podspec.c, volume.c, probe.c) ---- */
/*
 * Owned by the "podspec" engineer. Notes for the pod worker:
 * - podspec_container_config leaves cfg->sandbox_id and cfg->rootfs NULL: copy *cfg inside
 *   done (struct cri_container_config c = *cfg), set those two and call cri_container_start
 *   before done returns (cri_container_start builds the spec synchronously).
 * - Exec probes need the runtime: the pod worker provides pods_runtime() (declared weak here;
 *   without it exec probes fail with a message).
 * - podspec_pod_prepare may be called again for a pod already prepared (agent restart): it is
 *   idempotent (mounted tmpfs stays, files are rewritten).
 * - probes: a startup probe that fails (fn "startup", ok 0, after failureThreshold) means the
 *   container is restarted, as upstream does for liveness failures.
 */
struct cri_container_config;
struct cri_runtime;
struct image;
struct probes;

/* The runtime the pod worker opened, or NULL (implemented in agent/pod*.c). */
struct cri_runtime *pods_runtime(struct agent *a) __attribute__((weak));

/* Prepares everything a pod's containers need on the host before its sandbox: the pod dir
 * DATA/agent/pods/<uid>/, volumes materialised under it (volumes/<name>/: emptyDir on disk or
 * medium Memory (tmpfs sized by sizeLimit), hostPath (type checks), configMap, secret,
 * downwardAPI, projected without tokens; items/defaultMode/optional as upstream, read through
 * the API), and etc-hosts, etc-hostname, etc-resolv.conf per dnsPolicy. Async: done(arg, 0 or
 * -errno, message (upstream's FailedMount text)). Returns 0 (done will run later, once) or a
 * negative error (done never runs). */
int podspec_pod_prepare(struct agent *a, const cJSON *pod, void (*done)(void *arg, int err, const char *msg), void *arg);

/* Fills a config for container c (an item of spec.containers or spec.initContainers) of pod,
 * with img the pulled image: args, env, workingDir, user, securityContext, resources, volume
 * mounts, the hosts/hostname/resolv.conf files and log path agent_log_path(..., restart_count).
 * cfg->sandbox_id and cfg->rootfs are NULL (the caller sets them). Async because configMaps and
 * secrets are read from the API: done(arg, 0 or -errno, message (CreateContainerConfigError's
 * message as upstream, e.g. 'configmap "x" not found'), cfg (valid only during done; NULL on
 * error)). Returns 0 (done will run later, once) or a negative error (done never runs). */
int podspec_container_config(struct agent *a, const cJSON *pod, const cJSON *c, const struct image *img,
			     int64_t restart_count,
			     void (*done)(void *arg, int err, const char *msg, const struct cri_container_config *cfg),
			     void *arg);

/* Removes what podspec_pod_prepare made: unmounts tmpfs volumes, removes the pod dir except
 * the container log directories. Blocking but small (called from the pod worker's teardown). */
void podspec_pod_cleanup(struct agent *a, const char *pod_uid);

/* Runs the probes of one running container (startup, liveness, readiness; exec, httpGet to
 * host (the pod IP or host IP), tcpSocket) with upstream's timing fields; liveness and
 * readiness wait for startup success. fn runs on every result change: kind "startup",
 * "liveness" or "readiness", ok, and upstream's event text ("Liveness probe failed: ...").
 * Before its first result a readiness probe counts as not ready, the others as ok. Returns
 * NULL when c has no probes. */
struct probes *probes_start(struct agent *a, const cJSON *pod, const cJSON *c, const char *container_id,
			    const char *host, void (*fn)(void *arg, const char *kind, int ok, const char *msg),
			    void *arg);
/* Stops the probes (NULL is fine): fn is not called any more. */
void probes_stop(struct probes *p);

/* Reads the objects named in names ("configmaps/NAME", "secrets/NAME", "services/" for the
 * list, "NS:kind/name" for another namespace) of namespace ns through the API (podspec.c,
 * shared with volume.c). done gets an object mapping each name to the object, or to null when
 * it does not exist; or err < 0 and a message when a read failed otherwise. objs is borrowed for
 * the call. Returns 0 (done runs later, once). */
int podspec_fetch(struct agent *a, const char *ns, const cJSON *names,
		  void (*done)(void *arg, int err, const char *msg, const cJSON *objs), void *arg);
/* The names podspec_fetch needs for the env of container c of pod (a JSON array of strings,
 * owned): its configMaps and secrets, the pod namespace's services (enableServiceLinks) and the
 * default namespace's "kubernetes" service. */
cJSON *podspec_env_refs(const cJSON *pod, const cJSON *c);

/* The host directory of volume name of pod (volume.c): DATA/agent/pods/<uid>/volumes/<name>, or
 * a hostPath volume's path (malloc'd); NULL with a message in err when the pod has no such
 * volume or its type is not supported. */
char *volume_host_path(const struct agent *a, const cJSON *pod, const char *name, struct buf *err);
/* The pod's directory DATA/agent/pods/<uid> and its files (malloc'd): "etc-hosts",
 * "etc-hostname", "etc-resolv.conf". */
char *podspec_pod_file(const struct agent *a, const char *pod_uid, const char *file);
/* The pod's host name (spec.hostname or its name, at most 63 characters; the node's host name
 * with hostNetwork), malloc'd: what the sandbox's UTS namespace gets. */
char *podspec_hostname(const struct agent *a, const cJSON *pod);
/* The pod's QoS class as upstream computes it: "Guaranteed", "Burstable" or "BestEffort". */
const char *podspec_qos_class(const cJSON *pod);

/* Pure helpers (podspec.c; unit-tested). */

/* Expands $(VAR) references in s as upstream: a defined VAR (looked up in env, "NAME=value"
 * entries, the last one wins) is replaced, an undefined one is left as written, "$$" is a
 * literal "$". Appends to out. */
void podspec_expand(const char *s, const char *const *env, size_t nenv, struct buf *out);
/* Parses a resource quantity ("100m", "1.5", "128Mi", "1e3", "2G"). Fills *milli with the value
 * in thousandths, rounded up (cpu), and *value with the value rounded up (bytes). Returns 0 or
 * -1 when malformed or out of range. */
int podspec_quantity(const char *s, int64_t *milli, int64_t *value);
/* Upstream's cgroup values: cpu.shares from a cpu request in millicores (2..262144; no request:
 * 2), the CFS quota for a limit with period_us (at least 1000). */
int64_t podspec_cpu_shares(int64_t milli);
int64_t podspec_cpu_quota(int64_t milli, int64_t period_us);
/* The value of a downward API fieldRef path of pod (metadata.name, metadata.namespace,
 * metadata.uid, metadata.labels['k'], metadata.annotations['k'], metadata.labels,
 * metadata.annotations (volumes only: "k=\"v\"" lines), spec.nodeName,
 * spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs) with
 * host_ip for status.hostIP. Appends to out; returns 0, or -1 with a message in err. */
int podspec_field_ref(const cJSON *pod, const char *path, const char *host_ip, struct buf *out, struct buf *err);
/* The value of a resourceFieldRef (limits.cpu, requests.memory, ... with divisor) of container
 * c, defaulting limits to node_cpu_milli / node_memory when unset, as upstream. Returns 0 or -1
 * with a message in err. */
int podspec_resource_ref(const cJSON *c, const char *resource, const char *divisor, int64_t node_cpu_milli,
			 int64_t node_memory, struct buf *out, struct buf *err);
/* The resolv.conf of a pod per dnsPolicy (ClusterFirst, ClusterFirstWithHostNet, Default,
 * None) and dnsConfig; host_resolv is the host's file. Returns 0, or -1 with a message. */
int podspec_resolv_conf(const cJSON *pod, const char *cluster_dns, const char *cluster_domain, const char *host_resolv,
			struct buf *out, struct buf *err);

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

/* ---- network: pod network (agent/net*.c), proxy (agent/proxy*.c, netfilter/), DNS (agent/dns*.c) */
/*
 * agent.c runs three cluster-wide informers (Services, EndpointSlices, Nodes) beside the pod
 * informer, once the Node is registered, and hands every change to the three network parts
 * through the weak hooks below (a part that is not linked is skipped):
 *
 * X_start(a, err)  once, after the Node is registered and before any informer starts; a
 *                  negative return is logged (err says why) and the agent keeps going without
 *                  that part (its other hooks are still called: they must cope).
 * X_changed(a, kind, old, obj)
 *                  every change of a Service, EndpointSlice, Node (all of the cluster) or Pod
 *                  (bound to this node): old NULL for an add; obj NULL for a delete (old is the
 *                  last state). Both borrowed for the call. On the agent's loop.
 * X_synced(a)      once, when every informer (pods included) has delivered its first list: a
 *                  full resync can run now.
 * X_stop(a, done)  when the agent stops, after the pod worker has stopped: release loop handles
 *                  and requests, then call done(a) exactly once (now or later). Host state
 *                  (links, routes, tables) is kept while pod sandboxes remain, so running pods
 *                  keep their network across an agent restart; with none left it is removed.
 * X_free(a)        after the loop ended: free the rest.
 *
 * The order: start net, proxy, dns; stop dns, proxy, net (each after the previous one's done).
 */
enum agent_kind { AGENT_SERVICE, AGENT_SLICE, AGENT_NODE, AGENT_POD };

int net_start(struct agent *a, struct buf *err) __attribute__((weak));
void net_changed(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj) __attribute__((weak));
void net_synced(struct agent *a) __attribute__((weak));
void net_stop(struct agent *a, void (*done)(struct agent *a)) __attribute__((weak));
void net_free(struct agent *a) __attribute__((weak));

int proxy_start(struct agent *a, struct buf *err) __attribute__((weak));
void proxy_changed(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj) __attribute__((weak));
void proxy_synced(struct agent *a) __attribute__((weak));
void proxy_stop(struct agent *a, void (*done)(struct agent *a)) __attribute__((weak));
void proxy_free(struct agent *a) __attribute__((weak));

int dns_start(struct agent *a, struct buf *err) __attribute__((weak));
void dns_changed(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj) __attribute__((weak));
void dns_synced(struct agent *a) __attribute__((weak));
void dns_stop(struct agent *a, void (*done)(struct agent *a)) __attribute__((weak));
void dns_free(struct agent *a) __attribute__((weak));

/* The number of pod sandboxes the runtime holds; once the pod worker has stopped, the number it
 * held then (a->sandboxes_at_stop): whether the network parts may remove their host state at
 * stop (agent.c). */
size_t agent_sandboxes(struct agent *a);

/* ---- network: the pod network's interface for the pod worker (agent/net*.c) -------------- */
/*
 * Weak: without the pod network linked, pods keep a network namespace with loopback only.
 *
 * net_pod_setup gives the pod (uid) whose sandbox holds network namespace netns_path its
 * network: a veth pair (host end PREFIX"v"<hex of a hash of the uid> on the bridge PREFIX"br",
 * the pod end eth0 in the namespace), an address from the node's podCIDR and a default route
 * via the gateway. Idempotent: a pod set up before (an agent restart) keeps its address. Runs
 * on a helper thread: done(arg, 0, "", ip) or done(arg, -errno, message, NULL) later on the
 * loop, exactly once. Returns 0, or a negative error with err filled (done never runs):
 * -EAGAIN while the node's bridge is not up yet (retry later).
 * net_pod_teardown deletes the pod's veth and releases its address (also for a pod never set
 * up); done(arg, 0 or -errno, message) later on the loop. Returns 0 or a negative error (done
 * never runs).
 * net_ready says whether pods can get a network (the node's Ready condition); when not, it
 * fills why with upstream's NetworkPluginNotReady message.
 */
int net_pod_setup(struct agent *a, const char *uid, const char *netns_path,
		  void (*done)(void *arg, int err, const char *msg, const char *ip), void *arg, struct buf *err)
	__attribute__((weak));
int net_pod_teardown(struct agent *a, const char *uid, void (*done)(void *arg, int err, const char *msg), void *arg)
	__attribute__((weak));
int net_ready(struct agent *a, struct buf *why) __attribute__((weak));

/* ---- pods: the pod worker (agent/pod.c, pod_sync.c, pod_status.c) ------------------------ */
/*
 * Owned by the "podworker" engineer. One struct pod_worker per pod uid drives the pod to its
 * spec; see agent/pod.c's DESIGN comment.
 */
#include "lib/hmap.h"

struct image_store;
struct cri_container;
struct pod_worker;

/* The state of one container of a pod (spec.initContainers, then spec.containers). */
struct pod_ctr {
	struct pod_worker *w;
	char *name;
	int init;                 /* an init container */
	size_t index;             /* its index in its spec list */
	char *id;                 /* the current runtime container, or NULL */
	int64_t restarts;         /* restartCount: also the attempt of the next start */
	uint64_t backoff_ms;      /* the next crash back-off (0: restart at once) */
	uint64_t retry_at;        /* monotonic ms before which it is not started */
	uint64_t pull_backoff_ms; /* image pull back-off */
	char *wait_reason, *wait_msg; /* why it is waiting (NULL: the default reason) */
	cJSON *last_state;        /* lastState (owned), or NULL */
	char *image, *image_id;   /* for the status */
	int rootfs;               /* its root filesystem may be mounted */
	int ready, started;       /* probe results */
	int killing;              /* a stop was sent */
	struct probes *probes;
};

struct pods;

struct pod_worker {
	struct pods *st;
	char *uid, *ns, *name;
	cJSON *pod;               /* the latest object, or NULL for an orphan */
	int refs;                 /* the map's, timers' and operations' in flight */
	int live;                 /* still in the map */
	int pending;              /* operations in flight (sync waits for none) */
	int dirty;                /* a change arrived while operations were in flight */
	int gone;                 /* the pod object is gone from the API */
	int terminating;
	int prepared, cleaned;
	int dir_removed;          /* DATA/agent/pods/<uid> (logs included) is removed */
	int failed;               /* an init container failed with restartPolicy Never */
	int delete_sent;
	uint64_t retry_at;        /* a failed pod-level step is retried at this monotonic ms */
	char *sandbox_id;
	char *pod_ip;             /* the address the pod network gave (net_pod_setup), or NULL */
	int net_done;             /* the pod's network is set up (or it needs none) */
	int net_torn;             /* the pod's network was torn down (net_pod_teardown) */
	struct pod_ctr *ctrs;
	size_t nctrs;
	uv_timer_t timer;
	uint64_t timer_at;
	int64_t start_time;
	cJSON *conds;             /* previous conditions (type -> object), for transition times */
	char *status_sent;        /* the last status written */
	int status_inflight, status_dirty;
	struct pod_worker *next_drop; /* pod.c: the list of workers dropped at stop */
};

/* The pod worker's state (a->pods_state). */
struct pods {
	struct agent *a;
	struct cri_runtime *rt;
	struct image_store *images;
	int images_ready;
	int stopping;
	int refs;                 /* workers alive + 1 until stopped */
	struct hmap workers;      /* uid -> struct pod_worker */
	void (*stopped)(struct agent *a);
};

/* pod.c */
void pod_worker_ref(struct pod_worker *w);
void pod_worker_unref(struct pod_worker *w);
/* Removes w from the pod worker's map (its teardown is done, or the agent stops). */
void pod_worker_drop(struct pod_worker *w);
/* Runs a sync of w now, or when its operations in flight have ended. */
void pod_kick(struct pod_worker *w);
/* Arms w's timer to kick it at monotonic time at_ms (the earliest wins). */
void pod_wake_at(struct pod_worker *w, uint64_t at_ms);
uint64_t pod_now_ms(void);

/* pod_sync.c: one step towards the spec (or the teardown); starts operations in flight. */
void pod_sync(struct pod_worker *w);
/* The spec of container c (an item of spec.initContainers or spec.containers), or NULL. */
const cJSON *pod_ctr_spec(const struct pod_worker *w, const struct pod_ctr *c);
/* The pod's phase in the API is Succeeded or Failed: nothing is started any more. */
int pod_api_terminal(const struct pod_worker *w);
/* The restart policy: 'A'lways, 'O'nFailure, 'N'ever. */
char pod_restart_policy(const cJSON *pod);

/* pod_status.c: writes the status of w when it changed. */
void pod_status_update(struct pod_worker *w);
/* An involved-object reference to w's pod (for agent_event; caller frees); fieldPath may be NULL. */
cJSON *pod_ref(const struct pod_worker *w, const char *field_path);
/* Formats nanoseconds since the epoch as RFC 3339 (seconds). */
void pod_time(int64_t ns, char out[21]);
/* A terminated state object from a runtime container (caller frees). */
cJSON *pod_terminated(const struct cri_container *cc);

#endif
