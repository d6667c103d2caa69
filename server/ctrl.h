/*
 * ctrl.h - what the scheduler and the controllers share: watch-fed informers over the store,
 * de-duplicating rate-limited work queues, writes through the internal client, event
 * recording and leader election.
 *
 * DESIGN
 * The store already holds every current object in memory with its labels and selectable
 * fields, so an informer is not a second cache: it is the store's state for one kind, plus an
 * index from a controller owner's uid to the objects it owns, plus the list of handlers that a
 * store watch on the kind's prefix feeds (in commit order, synchronously after each commit).
 * Controllers react by adding keys ("namespace/name") to their work queue; a queue syncs each
 * key at most once at a time, folds repeated adds, retries failures with per-key exponential
 * back-off (5 ms doubling to 1000 s) and runs at most `workers` syncs at once. A sync is
 * asynchronous: it writes through the internal client (the same admission and validation as
 * HTTPS) and calls workqueue_done when its writes have answered.
 *
 * Controllers run only while this server holds the kube-controller-manager Lease in
 * kube-system, so that a second server never runs duplicates.
 *
 * Lifetime: everything here lives on the loop thread. After ctrl_mgr_stop, no handler or sync
 * runs any more; callbacks of writes already sent still run (so their contexts can be freed)
 * and must not start new work (check ctrl_stopping).
 */
#ifndef KUBE_CTRL_H
#define KUBE_CTRL_H

#include <stdarg.h>
#include <stdint.h>

#include "server/internal.h"

struct ctrl_mgr;
struct informer;
struct workqueue;

/* ---- the manager ------------------------------------------------------------------------ */

/* Called once this server leads: start the controllers there. */
typedef void ctrl_start_fn(struct ctrl_mgr *m, void *data);

/* Starts leader election for the controllers; on_leading runs when the Lease is held. */
struct ctrl_mgr *ctrl_mgr_start(struct server *srv, ctrl_start_fn *on_leading, void *data);
/* Stops everything; frees itself once the writes in flight have answered. */
void ctrl_mgr_stop(struct ctrl_mgr *m);
int ctrl_stopping(const struct ctrl_mgr *m);
struct server *ctrl_server(const struct ctrl_mgr *m);
/* Runs fn(data) once, from ctrl_mgr_stop after every queue and informer has stopped, so that a
 * controller can stop its own timers and release what it owns. The manager may be freed soon
 * after: fn and anything running later must not call ctrl_* any more. */
typedef void ctrl_stop_fn(void *data);
void ctrl_on_stop(struct ctrl_mgr *m, ctrl_stop_fn *fn, void *data);

/* ---- informers -------------------------------------------------------------------------- */

enum informer_ev { INF_ADD, INF_UPDATE, INF_DELETE };

/* A change of one object: kv the new version (for a delete: the last state), old the previous
 * one (NULL for an add). Both borrowed for the call. */
typedef void informer_fn(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data);

/* The informer of kind k (created on first use, shared by every controller). */
struct informer *informer_of(struct ctrl_mgr *m, const struct kind *k);
/* Adds a handler for every later change. */
void informer_on(struct informer *inf, informer_fn *fn, void *data);
/* The current object ns/name (ns NULL for cluster-scoped kinds), borrowed, or NULL. */
struct store_kv *informer_get(struct informer *inf, const char *ns, const char *name);
/* Calls fn for each object in ns (NULL: all namespaces) whose labels match sel (NULL: all),
 * in key order, until fn returns nonzero. */
int informer_list(struct informer *inf, const char *ns, const struct selector *sel, store_range_cb *fn, void *data);
/* Calls fn for each object whose controller ownerReference has uid owner_uid. */
int informer_owned(struct informer *inf, const char *owner_uid, store_range_cb *fn, void *data);
/* The "namespace/name" (or "name") key of a stored object, into out. */
void informer_key(const struct store_kv *kv, struct buf *out);

/* ---- work queues ------------------------------------------------------------------------ */

/* Syncs one key; must call workqueue_done(q, key, err) once, now or later. */
typedef void workqueue_sync_fn(struct workqueue *q, const char *key, void *data);

struct workqueue *workqueue_new(struct ctrl_mgr *m, const char *name, int workers, workqueue_sync_fn *fn,
				void *data);
/* Queues key (folded with a pending add of the same key; if the key is syncing now, it is
 * synced again afterwards). */
void workqueue_add(struct workqueue *q, const char *key);
/* Queues key after ms milliseconds (earlier adds win). */
void workqueue_add_after(struct workqueue *q, const char *key, uint64_t ms);
/* Ends a sync. err != 0 requeues the key after its back-off; 0 forgets its failures. */
void workqueue_done(struct workqueue *q, const char *key, int err);
/* Stops the queue (syncs in flight still end with workqueue_done). Called by ctrl_mgr_stop
 * for every queue. */
void workqueue_stop(struct workqueue *q);

/* ---- writes ----------------------------------------------------------------------------- */

/* Writes through the internal client with fieldManager = manager. obj/patch are printed, not
 * taken. cb (may be NULL) gets the status code and the answer. */
void ctrl_create(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns, const cJSON *obj,
		 client_cb *cb, void *data);
/* PUT of obj to name (sub: NULL, "status", "scale"). */
void ctrl_update(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns, const char *name,
		 const char *sub, const cJSON *obj, client_cb *cb, void *data);
/* PATCH (merge patch) of name (sub: NULL or "status"). */
void ctrl_patch(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns, const char *name,
		const char *sub, const cJSON *patch, client_cb *cb, void *data);
/* The same as a strategic merge patch (lists such as conditions merge by their key). */
void ctrl_patch_strategic(struct ctrl_mgr *m, const char *manager, const struct kind *k, const char *ns,
			  const char *name, const char *sub, const cJSON *patch, client_cb *cb, void *data);
/* DELETE of name, with a uid precondition (may be NULL) and a propagation policy (may be NULL). */
void ctrl_delete(struct ctrl_mgr *m, const struct kind *k, const char *ns, const char *name, const char *uid,
		 const char *policy, client_cb *cb, void *data);

/* ---- events ----------------------------------------------------------------------------- */

/* Records a core/v1 Event about involved (a stored object's JSON), from component; repeats of
 * the same (object, type, reason, message) within 10 minutes bump count and lastTimestamp. */
void ctrl_event(struct ctrl_mgr *m, const char *component, const cJSON *involved, const char *type,
		const char *reason, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* ---- ownership -------------------------------------------------------------------------- */

/* The controller ownerReference of obj (NULL if none). */
const cJSON *ctrl_owner(const cJSON *obj);
/* A new ownerReference to owner (controller: true, blockOwnerDeletion: true). */
cJSON *ctrl_owner_ref(const cJSON *owner);

#endif
