/*
 * nodes.h - node lifecycle and what follows from pods coming and going: the node lifecycle and
 * taint-eviction controllers (ctrl_nodelifecycle.c), the eviction subresource (eviction.c) and
 * the disruption controller keeping PodDisruptionBudget status (ctrl_disruption.c), the
 * EndpointSlice and Endpoints controllers (ctrl_endpoints.c), and PodGC (ctrl_podgc.c); plus the
 * small pod, taint and budget rules these files share (nodes_util.c).
 *
 * The controllers keep no state of their own beyond their work queues: the store is the cache
 * (see ctrl.h), keys carry what a sync needs, and delayed keys are the timers. That is why their
 * informer handlers get the work queue as data and their syncs the manager.
 */
#ifndef KUBE_SERVER_NODES_H
#define KUBE_SERVER_NODES_H

#include <stdint.h>

#include "server/ctrl.h"

/* ---- controller entries (listed in controllers.c) ------------------------------------------ */

void ctrl_nodelifecycle_start(struct ctrl_mgr *m);
void ctrl_disruption_start(struct ctrl_mgr *m);
void ctrl_endpoints_start(struct ctrl_mgr *m);
void ctrl_podgc_start(struct ctrl_mgr *m);

/* ---- syncs that write several objects (nodes_util.c) ------------------------------------------ */

/* The writes of one sync of key on q: the sync ends (workqueue_done) when nodes_batch_end has
 * been called and every write counted by nodes_batch_write has answered. A write answered 404
 * (the object went meanwhile) is fine; any other failure (a 409 conflict included) fails the
 * sync, which is retried with back-off from fresh state. */
struct nodes_batch;

struct nodes_batch *nodes_batch_new(struct workqueue *q, const char *key);
/* Counts one more write: pass nodes_batch_cb and the batch to ctrl_create/update/patch/delete. */
struct nodes_batch *nodes_batch_write(struct nodes_batch *b);
void nodes_batch_cb(int code, const char *body, size_t len, void *data);
/* Marks the sync failed without a write (e.g. an object it needs is missing). */
void nodes_batch_fail(struct nodes_batch *b);
/* No more writes: the batch ends now if none is pending. */
void nodes_batch_end(struct nodes_batch *b);

/* ---- pods (nodes_util.c; whether a pod is ready is workload.h's wl_pod_ready) ----------------- */

/* The condition of type in obj.status.conditions (a pod's or a node's), or NULL. */
cJSON *nodes_condition(const cJSON *obj, const char *type);
/* Is the pod Succeeded or Failed? */
int nodes_pod_terminal(const cJSON *pod);
/* Upstream's UpdatePodCondition on pod.status: sets the condition of type to status, reason and
 * message (reason/message may be NULL), keeping lastTransitionTime unless status changes.
 * Returns 1 if anything changed. */
int nodes_set_pod_condition(cJSON *pod, const char *type, const char *status, const char *reason,
			    const char *message);
/* Calls fn for each pod bound to node (spec.nodeName), from the pod informer, until fn returns
 * nonzero. */
int nodes_pods_on(struct informer *pods, const char *node, store_range_cb *fn, void *data);
/* A stored object's metadata timestamp field ("creationTimestamp", ...) in seconds, or 0. */
int64_t nodes_meta_time(const cJSON *obj, const char *field);

/* ---- taints (nodes_util.c) ------------------------------------------------------------------ */

/* Does toleration tolerate taint (upstream's Toleration.ToleratesTaint)? */
int nodes_tolerates(const cJSON *toleration, const cJSON *taint);

/* ---- node lifecycle rules (ctrl_nodelifecycle.c) ----------------------------------------------- */

/* Sets the kubelet's conditions (Ready, MemoryPressure, DiskPressure, PIDPressure) of a node
 * whose heartbeat is too old to Unknown: NodeStatusUnknown "Kubelet stopped posting node
 * status." for those it has, NodeStatusNeverUpdated "Kubelet never posted node status." for
 * those it lacks. Returns 1 if the Ready condition changed. */
int nodes_mark_unknown(cJSON *node);
/* Makes node's node.kubernetes.io/ taints what its conditions and spec.unschedulable call for
 * (not-ready and unreachable NoSchedule and NoExecute, the pressure and network-unavailable
 * NoSchedule taints, unschedulable), new ones with timeAdded now; other taints are left alone.
 * Returns 1 if spec.taints changed. */
int nodes_reconcile_taints(cJSON *node);
/* When pod must leave a node with these taints, in epoch seconds: 0 now (a NoExecute taint it
 * does not tolerate, or tolerationSeconds <= 0), -1 never (no NoExecute taint, or tolerated
 * forever), else the latest of the taints' timeAdded and the pod's creation plus the smallest
 * tolerationSeconds of the tolerations used. */
int64_t nodes_eviction_due(const cJSON *pod, const cJSON *taints);

/* ---- disruption budgets (nodes_util.c) -------------------------------------------------------- */

/* Upstream's UpdateDisruptionAllowedCondition: sets status.conditions' DisruptionAllowed from
 * status.disruptionsAllowed (True/SufficientPods when positive, else False/InsufficientPods),
 * with status.observedGeneration. */
void pdb_update_condition(cJSON *pdb);
/* Does the budget's selector (neither absent nor empty) select pod? Upstream's pod -> budget
 * lookup: a budget with an empty selector covers no pod for evictions. */
int pdb_covers(const cJSON *pdb, const cJSON *pod);

#endif
