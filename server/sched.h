/*
 * sched.h - the scheduler (kube-scheduler's default profile) and PriorityClasses.
 *
 * The scheduler places pods that name no node and ask for default-scheduler, one pod per cycle,
 * as upstream's framework does: filters (NodeUnschedulable, NodeName, TaintToleration,
 * NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity) keep the nodes
 * a pod may run on, scores (LeastAllocated, BalancedAllocation, NodeAffinity, TaintToleration,
 * PodTopologySpread, InterPodAffinity, with upstream's weights) rank them, and a POST to
 * pods/NAME/binding places it. A pod that fits nowhere may preempt lower-priority pods; otherwise
 * it gets PodScheduled=False (Unschedulable) and a FailedScheduling event with upstream's message,
 * and waits for a change of the cluster, with back-off.
 *
 * Files: sched_pod.c (pods and nodes as the scheduler sees them, and the per-node accounting),
 * sched_filter.c (filters and the failure message), sched_score.c (scores), sched_queue.c (the
 * scheduling queue), sched.c (informers, cycles, binding, failures), sched_preempt.c
 * (preemption), sched_priority.c (PriorityClass: defaults, validation, table, Priority
 * admission, the built-in system classes). Everything runs on the loop thread. The filters and
 * scores are pure functions of struct sched_pod, struct sched_node and struct sched_cycle, so the
 * unit tests drive them with fixtures.
 */
#ifndef KUBE_SCHED_H
#define KUBE_SCHED_H

#include <stdint.h>

#include "lib/hmap.h"
#include "server/ctrl.h"

#define SCHED_NAME "default-scheduler"
/* Upstream's defaults for containers that request nothing, when scoring (100m, 200 MB). */
#define SCHED_DEFAULT_MILLI_CPU 100
#define SCHED_DEFAULT_MEMORY (200LL * 1024 * 1024)
#define SCHED_MAX_SCORE 100

/* ---- resources, ports, taints ------------------------------------------------------------- */

struct sched_scalar {
	char *name;
	int64_t v;
};

/* A resource list as the scheduler counts it. Owned by its embedder (sched_res_release). */
struct sched_res {
	int64_t cpu;  /* millicores */
	int64_t mem;  /* bytes */
	int64_t eph;  /* ephemeral-storage, bytes */
	int64_t pods; /* nodes: the allocatable pod count */
	struct sched_scalar *scalar; /* extended resources (example.com/gpu, hugepages-2Mi, ...) */
	size_t nscalar;
};

void sched_res_release(struct sched_res *r);
/* dst += sign * src (scalars added by name). */
void sched_res_add(struct sched_res *dst, const struct sched_res *src, int sign);
/* The value of scalar resource name (0 when absent). */
int64_t sched_res_scalar(const struct sched_res *r, const char *name);
/* Reads a ResourceList object into r (adding to it). */
void sched_res_from_json(struct sched_res *r, const cJSON *list);

struct sched_port {
	char *ip;        /* hostIP, "0.0.0.0" when unset */
	char proto[8];   /* TCP, UDP, SCTP */
	int port;        /* hostPort > 0 */
};

struct sched_taint {
	char *key, *value, *effect;
};

struct sched_toleration {
	char *key, *op, *value, *effect;
	int64_t seconds;
};

/* Does toleration t tolerate taint x (upstream's ToleratesTaint)? */
int sched_tolerates(const struct sched_toleration *t, const struct sched_taint *x);

/* ---- pods -------------------------------------------------------------------------------- */

/* A PodAffinityTerm (weight set for preferred terms). */
struct sched_term {
	struct selector sel;      /* labelSelector; matches nothing when absent */
	char **namespaces;        /* the namespaces named, or the pod's own when neither is given */
	size_t nnamespaces;
	struct selector ns_sel;   /* namespaceSelector */
	int has_ns_sel;
	char *topology_key;
	int weight;
};

/* A TopologySpreadConstraint. */
struct sched_spread {
	int max_skew;
	int hard;                 /* whenUnsatisfiable: DoNotSchedule */
	int min_domains;          /* 0: unset */
	char *topology_key;
	struct selector sel;      /* labelSelector plus matchLabelKeys' values (key in (value)) */
	int honor_affinity;       /* nodeAffinityPolicy Honor (the default) */
	int honor_taints;         /* nodeTaintsPolicy Honor (default Ignore) */
};

/* What the scheduler keeps of a pod, parsed once per stored version. Owned by whoever made it
 * (sched_pod_free); strings are never NULL ("" when absent). */
struct sched_pod {
	char *ns, *name, *uid, *rv;
	char *node_name;          /* spec.nodeName */
	char *nominated;          /* status.nominatedNodeName */
	char *scheduler;          /* spec.schedulerName ("default-scheduler" when unset) */
	cJSON *labels;            /* metadata.labels (an object, possibly empty) */
	int32_t priority;
	int preempt_never;        /* preemptionPolicy: Never */
	int terminating;          /* deletionTimestamp set */
	int terminal;             /* phase Succeeded or Failed: no longer holds resources */
	int gated;                /* spec.schedulingGates not empty */
	int preempted;            /* DisruptionTarget condition from a preemption */
	int64_t start;            /* status.startTime, else creationTimestamp (seconds) */
	struct sched_res req;     /* what it requests: max(containers, init containers) + overhead */
	int64_t nz_cpu, nz_mem;   /* the same with upstream's defaults for unset cpu/memory */
	struct sched_port *ports; /* host ports */
	size_t nports;
	struct sched_toleration *tols;
	size_t ntols;
	cJSON *node_selector;     /* spec.nodeSelector, or NULL */
	cJSON *node_affinity;     /* spec.affinity.nodeAffinity, or NULL */
	struct sched_term *aff, *anti, *paff, *panti; /* required and preferred (anti-)affinity */
	size_t naff, nanti, npaff, npanti;
	struct sched_spread *spread;
	size_t nspread;
	char *owner_kind, *owner_name; /* the controller ownerReference ("" when none) */
	uint64_t spec_hash;       /* spec, labels and annotations: tells real updates from status ones */
	int refs;                 /* references (sched_pod_ref / sched_pod_unref) */
};

/* Parses a Pod object. Never fails (unreadable parts read as absent). Returns a new pod with one
 * reference. */
struct sched_pod *sched_pod_parse(const cJSON *obj);
struct sched_pod *sched_pod_ref(struct sched_pod *p);
void sched_pod_unref(struct sched_pod *p);
/* "namespace/name" into out (at least 512 bytes). */
void sched_pod_key(const struct sched_pod *p, char *out, size_t len);
/* Does the pod's namespace and label set satisfy term t of a pod in namespace term_ns?
 * ns_labels are the labels of p's namespace (for namespaceSelector; may be NULL). */
int sched_term_matches(const struct sched_term *t, const struct sched_pod *p, const cJSON *ns_labels);

/* Sets condition type of a Pod object's status as upstream's UpdatePodCondition does: the
 * transition time changes only with the status; reason and message (may be NULL) replace the old
 * ones. Returns 1 when something changed. */
int sched_set_condition(cJSON *pod, const char *type, const char *status, const char *reason, const char *message);

/* ---- nodes ------------------------------------------------------------------------------- */

/* A node and the pods bound (or assumed) to it. Owned by the cluster. */
struct sched_node {
	char *name;
	int exists;               /* 0: a placeholder for pods bound to a node not (yet) seen */
	cJSON *labels;            /* an object, possibly empty */
	struct sched_taint *taints;
	size_t ntaints;
	int unschedulable;
	struct sched_res alloc;   /* status.allocatable */
	struct sched_res req;     /* the sum of its pods' requests */
	int64_t nz_cpu, nz_mem;   /* the same with the defaults for unset requests */
	struct sched_pod **pods;  /* references */
	size_t npods, cap;
	size_t nports;            /* pods with host ports */
	size_t nanti;             /* pods with required anti-affinity */
	size_t naffinity;         /* pods with any pod (anti-)affinity term */
	size_t index;             /* position in the cluster's node array (exists only) */
};

/* Updates n from a Node object (keeps its pods). */
void sched_node_set(struct sched_node *n, const cJSON *obj);
/* Accounts p on n (takes a reference) / removes it (drops it). Returns 0, or -1 if not there. */
void sched_node_add_pod(struct sched_node *n, struct sched_pod *p);
int sched_node_remove_pod(struct sched_node *n, const struct sched_pod *p);
/* The label value, or NULL. */
const char *sched_node_label(const struct sched_node *n, const char *key);

/* The cluster as the scheduler sees it: every node (existing ones in an array, in the order the
 * searches walk them) and a lookup by name. */
struct sched_cluster {
	struct sched_node **nodes;
	size_t n, cap;
	struct hmap by_name;      /* name -> struct sched_node (placeholders too) */
	/* The labels of a namespace, or NULL (namespaceSelector in affinity terms). */
	const cJSON *(*ns_labels)(const char *ns, void *data);
	void *ns_data;
	/* Pods nominated to a node (status.nominatedNodeName) and not bound: they count against the
	 * node for pods of lower or equal priority. */
	struct hmap nominated;    /* node name -> struct sched_podlist */
	/* The selector of the system default spreading (sched_score_set_default_selector). */
	int (*default_sel)(const struct sched_pod *p, struct selector *out, void *data);
	void *default_sel_data;
};

struct sched_podlist {
	struct sched_pod **v;
	size_t n, cap;
};

void sched_cluster_init(struct sched_cluster *c);
void sched_cluster_release(struct sched_cluster *c);
/* The node named, creating a placeholder when absent. */
struct sched_node *sched_cluster_node(struct sched_cluster *c, const char *name);
/* The node named, or NULL. */
struct sched_node *sched_cluster_find(const struct sched_cluster *c, const char *name);
/* Adds or updates a node from its object / removes it (its pods stay on a placeholder). */
struct sched_node *sched_cluster_set_node(struct sched_cluster *c, const cJSON *obj);
void sched_cluster_delete_node(struct sched_cluster *c, const char *name);
/* Frees n if it is a placeholder with no pods left. */
void sched_cluster_prune(struct sched_cluster *c, struct sched_node *n);
/* Records p (by reference) as nominated to node, or forgets it. */
void sched_cluster_nominate(struct sched_cluster *c, struct sched_pod *p, const char *node);
void sched_cluster_unnominate(struct sched_cluster *c, const struct sched_pod *p, const char *node);
/* The labels of namespace ns (through the hook), or NULL. */
const cJSON *sched_cluster_ns_labels(const struct sched_cluster *c, const char *ns);

/* ---- filters ----------------------------------------------------------------------------- */

enum sched_code {
	SCHED_SUCCESS,
	SCHED_UNSCHEDULABLE,  /* may fit once other pods go (preemption can help) */
	SCHED_UNRESOLVABLE,   /* UnschedulableAndUnresolvable: preemption cannot help */
};

/* The plugins, as bits (which plugins rejected a pod; which a cluster event may help). */
enum sched_plugin {
	SP_NODE_UNSCHEDULABLE = 1 << 0,
	SP_NODE_NAME = 1 << 1,
	SP_TAINT = 1 << 2,
	SP_NODE_AFFINITY = 1 << 3,
	SP_PORTS = 1 << 4,
	SP_FIT = 1 << 5,
	SP_SPREAD = 1 << 6,
	SP_INTERPOD = 1 << 7,
	SP_ALL = 0xff,
};

#define SCHED_MAX_REASONS 8

/* A filter's verdict on one node: reasons are owned strings. */
struct sched_status {
	enum sched_code code;
	unsigned plugin;
	char *reasons[SCHED_MAX_REASONS];
	size_t n;
};

void sched_status_release(struct sched_status *st);
/* Sets a failure with one reason (copied). */
void sched_status_fail(struct sched_status *st, enum sched_code code, unsigned plugin, const char *reason);

/* What the pre-filters computed for one pod over the whole cluster (upstream's CycleState). */
struct sched_spread_state {
	struct hmap counts;       /* topology value -> matching pods (intptr_t) */
	int64_t min;              /* the lowest count of a domain (INT32_MAX when none) */
	size_t ndomains;
};

struct sched_cycle {
	const struct sched_pod *pod;
	struct sched_cluster *c;
	const cJSON *pod_ns_labels;
	/* InterPodAffinity: "topologyKey=value" -> count */
	struct hmap aff_counts, anti_counts, existing_anti;
	int has_interpod;
	/* PodTopologySpread (hard constraints; index as pod->spread, NULL for soft ones) */
	struct sched_spread_state *spread;
	int has_spread;
};

/* Runs the pre-filters for pod over c. */
void sched_cycle_init(struct sched_cycle *cy, struct sched_cluster *c, const struct sched_pod *pod);
void sched_cycle_release(struct sched_cycle *cy);
/* Updates the pre-filter state as if p were added to / removed from node n (preemption). */
void sched_cycle_update(struct sched_cycle *cy, const struct sched_pod *p, const struct sched_node *n, int sign);

/* The filters, in upstream's order; each returns 1 when n passes and otherwise fills st. */
int sched_filter_unschedulable(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st);
int sched_filter_node_name(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st);
int sched_filter_taints(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st);
int sched_filter_node_affinity(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st);
int sched_filter_ports(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st);
/* extra: what nominated pods of equal or higher priority add to n (may be NULL). */
int sched_filter_fit(const struct sched_pod *p, const struct sched_node *n, const struct sched_res *extra,
		     int extra_pods, struct sched_status *st);
int sched_filter_spread(const struct sched_cycle *cy, const struct sched_node *n, struct sched_status *st);
int sched_filter_interpod(const struct sched_cycle *cy, const struct sched_node *n, struct sched_status *st);
/* Every filter, in order (nominated pods counted). */
int sched_filter_all(const struct sched_cycle *cy, const struct sched_node *n, struct sched_status *st);
/* Does node n match the pod's nodeSelector and required node affinity? */
int sched_node_matches_pod(const struct sched_pod *p, const struct sched_node *n);

/* The failure message ("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated
 * taint {k: v}."): counts is a histogram reason -> count (intptr_t), nall the number of nodes,
 * post the PostFilter (preemption) message or NULL. Returns a string the caller frees. */
char *sched_fit_message(size_t nall, const struct hmap *counts, const char *post);
/* Adds st's reasons to the histogram. */
void sched_histogram_add(struct hmap *counts, const struct sched_status *st, size_t times);

/* ---- scores ------------------------------------------------------------------------------ */

/* The plugin scores, raw (before normalisation). */
int64_t sched_score_least_allocated(const struct sched_pod *p, const struct sched_node *n);
int64_t sched_score_balanced(const struct sched_pod *p, const struct sched_node *n);
int64_t sched_score_node_affinity(const struct sched_pod *p, const struct sched_node *n);
int64_t sched_score_taints(const struct sched_pod *p, const struct sched_node *n);
/* DefaultNormalizeScore: scales scores to 0..100 by the maximum (reversed: 100 - that). */
void sched_normalize(int64_t *scores, size_t n, int reverse);
/* The weighted total of every score plugin for each of the nodes, into total[i]. */
void sched_score_nodes(struct sched_cycle *cy, struct sched_node **nodes, size_t n, int64_t *total);
/* The selector of the system default spreading (Services selecting the pod, its ReplicaSet's or
 * StatefulSet's selector) is looked up through this hook when the pod has no constraints of its
 * own; NULL or an empty selector means no default spreading. */
typedef int sched_default_selector_fn(const struct sched_pod *p, struct selector *out, void *data);
void sched_score_set_default_selector(struct sched_cluster *c, sched_default_selector_fn *fn, void *data);

/* ---- the scheduling queue (sched_queue.c) ------------------------------------------------ */

enum sched_where { SQ_NONE, SQ_ACTIVE, SQ_BACKOFF, SQ_UNSCHEDULABLE, SQ_INFLIGHT, SQ_GATED };

/* A pod waiting to be scheduled. Owned by the queue. */
struct sched_qpod {
	char *key;
	struct sched_pod *pod;    /* the latest version */
	enum sched_where where;
	uint64_t added_ms;        /* first time queued: ties of priority go first-come */
	uint64_t backoff_until;   /* ms */
	uint64_t unsched_since;   /* ms */
	int attempts;
	unsigned rejected;        /* plugins that rejected it last */
	size_t heap;              /* index in its heap */
};

struct sched_queue {
	struct hmap all;          /* key -> struct sched_qpod */
	struct hmap unsched;      /* key -> struct sched_qpod, the unschedulable ones */
	struct sched_qpod **active, **backoff;
	size_t nactive, nbackoff, capactive, capbackoff;
};

void sched_queue_init(struct sched_queue *q);
void sched_queue_release(struct sched_queue *q);
struct sched_qpod *sched_queue_get(struct sched_queue *q, const char *key);
/* Adds a new pod (active, or gated) or replaces the pod of a queued one (which moves to active
 * when it was waiting as unschedulable and its spec changed). Takes a reference to p. */
void sched_queue_upsert(struct sched_queue *q, const char *key, struct sched_pod *p, uint64_t now_ms);
/* Forgets a pod. */
void sched_queue_delete(struct sched_queue *q, const char *key);
/* The active pod of highest priority (oldest first), now in flight; NULL when none. */
struct sched_qpod *sched_queue_pop(struct sched_queue *q);
/* Puts an in-flight pod back: unschedulable (waiting for an event), or in back-off. */
void sched_queue_unschedulable(struct sched_queue *q, struct sched_qpod *qp, unsigned rejected, uint64_t now_ms);
void sched_queue_backoff(struct sched_queue *q, struct sched_qpod *qp, uint64_t now_ms);
/* Moves unschedulable pods that one of plugins rejected (and those older than max_age_ms, when
 * not 0) to back-off or active. Returns how many moved. */
size_t sched_queue_move(struct sched_queue *q, unsigned plugins, uint64_t now_ms, uint64_t max_age_ms);
/* Moves pods whose back-off has ended to active; returns the next back-off end (0: none). */
uint64_t sched_queue_flush_backoff(struct sched_queue *q, uint64_t now_ms);
/* The back-off of a pod after attempts tries: 1 s doubling to 10 s. */
uint64_t sched_backoff_ms(int attempts);

/* ---- the scheduler (sched.c) ------------------------------------------------------------- */

/* Starts the scheduler on the controller manager (controllers.c), unless the server runs with
 * --disable-scheduler. */
void sched_start(struct ctrl_mgr *m);

/* The scheduler's state, shared by sched.c and sched_preempt.c. Owned by itself: freed once it
 * has stopped (ctrl_on_stop), its timers are closed and its writes in flight have answered. */
struct sched {
	struct ctrl_mgr *m;
	struct server *srv;
	const struct kind *pod_kind, *ns_kind, *svc_kind, *rs_kind, *ss_kind;
	struct informer *pods, *nodes, *nss, *svcs, *rss, *sss;
	struct sched_cluster c;
	struct sched_queue q;
	struct hmap placed;       /* pod key -> struct sched_placed: accounted on a node */
	struct hmap nom;          /* pod key -> struct sched_placed: nominated to a node */
	struct hmap ns_labels;    /* namespace -> cJSON labels (a cache) */
	uv_timer_t run, backoff, flush;
	size_t next_start;        /* where the next search over the nodes starts */
	uint64_t scheduled, failed; /* counters, for the log */
	int handles, stopped;
	int calls;                /* its bindings and status writes in flight */
};

/* A pod accounted on (or nominated to) a node. */
struct sched_placed {
	struct sched_pod *pod;    /* a reference */
	struct sched_node *node;  /* placed: the node holding it; nominated: unused */
	char *node_name;          /* nominated: the node */
	int assumed;              /* placed by this scheduler, the binding not seen yet */
};

/* Records an event about p from default-scheduler. */
void sched_event(struct sched *s, const struct sched_pod *p, const char *type, const char *reason, const char *fmt,
		 ...) __attribute__((format(printf, 5, 6)));
/* Patches p's status: condition cond (NULL: none) with status, reason and message, and
 * nominatedNodeName (nominate: NULL keeps it, "" clears it). Only writes when something changes. */
void sched_patch_status(struct sched *s, const struct sched_pod *p, const char *cond, const char *status,
			const char *reason, const char *message, const char *nominate);
/* Records p as nominated to node (NULL or "": not nominated any more). */
void sched_nominate(struct sched *s, struct sched_pod *p, const char *node);

/* PostFilter (sched_preempt.c): tries to make room for cy->pod by preempting lower-priority pods,
 * given each node's filter verdict (codes, by node index). On success the victims are being
 * deleted, *nominate is the node chosen (owned) and NULL is returned; otherwise the message to
 * append to the failure ("preemption: ...", owned) and *nominate "" (clear) or NULL (keep). */
char *sched_preempt(struct sched *s, struct sched_cycle *cy, const enum sched_code *codes, char **nominate);

/* ---- PriorityClasses (sched_priority.c) -------------------------------------------------- */

#define PRIORITY_HIGHEST_USER 1000000000
void defaults_priorityclass(cJSON *obj);
void validate_priorityclass(const cJSON *obj, const cJSON *old, struct field_errors *errs);
/* Priority admission of a new pod: resolves spec.priorityClassName (or the global default) into
 * spec.priority and spec.preemptionPolicy. Returns 0, or -1 with a 403 in req->err. */
int priority_admit_pod(struct api_req *req, cJSON *pod);
/* Validating admission of a PriorityClass (old NULL on create): one global default at most.
 * Returns 0, or -1 with a 403 in req->err. */
int priority_admit_class(struct api_req *req, const cJSON *pc, const cJSON *old);
/* May req (a delete of a PriorityClass) go ahead? The system classes may not be deleted.
 * Returns 0, or -1 with a 403 in req->err. */
int priority_check_delete(struct api_req *req);
/* Creates system-node-critical and system-cluster-critical when absent (asynchronously),
 * as upstream's API server does at start. */
void priority_bootstrap(struct server *srv);

#endif
