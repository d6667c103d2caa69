/*
 * workload.h - what every workload controller (ReplicaSet, Deployment, DaemonSet, StatefulSet,
 * Job, CronJob) shares: pod-template hashing and comparison, pod readiness and availability,
 * the order in which pods are deleted on scale-down, creating pods from a template, adopting
 * and releasing objects by selector, and a sync that ends once its writes have answered.
 *
 * DESIGN
 * Upstream's controllers guard against acting twice on a stale cache with "expectations"
 * (creations and deletions announced before they are sent, counted off as the informer sees
 * them). Here the store feeds informers before a write is answered, so a sync that does not
 * end before its writes have answered (struct wl_sync) never sees its own writes missing:
 * the work queue does not sync the key again meanwhile, and a change seen during the sync
 * marks the key for one more sync afterwards. That is this project's form of expectations.
 * Every object here is JSON (cJSON) as stored; nothing is taken unless a contract says so.
 */
#ifndef KUBE_WORKLOAD_H
#define KUBE_WORKLOAD_H

#include <stdint.h>

#include "server/ctrl.h"

/* ---- pod templates ---------------------------------------------------------------------- */

#define WL_HASH_LABEL "pod-template-hash"
#define WL_HASH_LEN 16 /* room for a hash and its NUL (upstream's are at most 10 characters) */

/* The pod-template-hash of a PodTemplateSpec, as upstream's ComputeHash builds it: FNV-32a
 * over the template, then (when collision_count is not NULL) the count as 8 little-endian
 * bytes, the sum printed in decimal and encoded with upstream's SafeEncodeString. The bytes
 * hashed for the template are its canonical form (wl_canonical), where upstream hashes a
 * go-spew dump of its Go structure. */
void wl_template_hash(const cJSON *tmpl, const int64_t *collision_count, char out[WL_HASH_LEN]);
/* FNV-32a of n bytes continuing from h (start from WL_FNV32_OFFSET). */
#define WL_FNV32_OFFSET 2166136261u
uint32_t wl_fnv32a(uint32_t h, const void *data, size_t n);
/* apimachinery's rand.SafeEncodeString: each byte mapped into "bcdfghjklmnpqrstvwxz2456789"
 * (no vowels, no 0/1/3: never a word, never ambiguous). out has strlen(in) + 1 bytes. */
void wl_safe_encode(const char *in, char *out);
/* Appends the canonical form of v: JSON with object keys sorted and nulls, empty objects and
 * empty arrays left out (at any depth), so that two values Go decodes to the same struct
 * (a nil and an empty slice, an absent and a null pointer) have one form. */
void wl_canonical(const cJSON *v, struct buf *out);
/* Upstream's EqualIgnoreHash: are two PodTemplateSpecs semantically equal once the
 * pod-template-hash label is ignored? */
int wl_template_equal(const cJSON *a, const cJSON *b);

/* ---- pods ------------------------------------------------------------------------------- */

/* Upstream's IsPodActive: not Succeeded, not Failed, not being deleted. */
int wl_pod_active(const cJSON *pod);
/* Has the pod the condition Ready=True? */
int wl_pod_ready(const cJSON *pod);
/* The lastTransitionTime of the pod's Ready=True condition (seconds), or 0. */
int64_t wl_pod_ready_since(const cJSON *pod);
/* Upstream's IsPodAvailable: ready, and for more than min_ready seconds at now. */
int wl_pod_available(const cJSON *pod, int64_t min_ready, int64_t now);
/* Milliseconds until a ready pod becomes available (0: it is, or never will be by waiting). */
uint64_t wl_pod_available_in(const cJSON *pod, int64_t min_ready, int64_t now);

/* Sorts pods (n of them; ranks[i] belongs to pods[i], may be NULL for all 0) into the order in
 * which upstream deletes them on scale-down (ActivePodsWithRanks with LogarithmicScaleDown):
 * unscheduled before scheduled, Pending before Unknown before Running, not ready before ready,
 * lower pod-deletion-cost first, higher rank (more pods of the same owner on the node) first,
 * ready for less time first, more container restarts first, newer first. now: wall seconds.
 * Stable. ranks is permuted along with pods. */
void wl_sort_for_deletion(const cJSON **pods, int *ranks, size_t n, int64_t now);

/* ---- a sync and its writes -------------------------------------------------------------- */

struct wl_sync;
/* Sees the answer to one write of a sync. arg is the one given to wl_sync_expect (freed with
 * free() after this returns). May register more writes on s. */
typedef void wl_answer_fn(struct wl_sync *s, int code, const char *body, size_t len, void *arg);

/* Starts the sync of key on q (called from the queue's sync function). */
struct wl_sync *wl_sync_begin(struct ctrl_mgr *m, struct workqueue *q, const char *key);
struct ctrl_mgr *wl_sync_mgr(const struct wl_sync *s);
/* Registers one more write; returns the data to give it with wl_sync_cb as its callback. fn
 * (may be NULL) sees the answer; without fn an answer of 300 or more other than 404 and 409
 * fails the sync. arg (may be NULL; heap memory, taken) goes to fn. */
void *wl_sync_expect(struct wl_sync *s, wl_answer_fn *fn, void *arg);
void wl_sync_cb(int code, const char *body, size_t len, void *data);
/* The sync will end failed (its key is retried after back-off). */
void wl_sync_fail(struct wl_sync *s);
/* No more writes will be registered except from answers: the sync ends (workqueue_done) once
 * every write has answered. */
void wl_sync_end(struct wl_sync *s);

/* An answer function (for wl_sync_expect) that fails the sync on any answer of 300 or more but
 * 404, so that a conflict (409) is retried after back-off. */
void wl_answer_strict(struct wl_sync *s, int code, const char *body, size_t len, void *arg);

/* The message of an API answer (a Status's message; the body itself otherwise), into out. */
void wl_answer_message(const char *body, size_t len, struct buf *out);
/* Is the answer a refusal because the namespace is terminating (cause NamespaceTerminating)? */
int wl_answer_ns_terminating(const char *body, size_t len);

/* ---- creating and deleting pods --------------------------------------------------------- */

/* Called once the pods asked for have been created or the creation stopped: created is how
 * many were, err (NULL if none) the first failure's message. */
typedef void wl_pods_fn(struct wl_sync *s, int created, const char *err, void *arg);

/* Upstream's GetPodFromTemplate: a new pod (caller frees) with tmpl's labels, annotations,
 * finalizers and spec, generateName "<owner name>-", and a controller reference to owner. */
cJSON *wl_pod_from_template(const cJSON *tmpl, const cJSON *owner);
/* Creates n pods from tmpl for owner, in slow-start batches (1, 2, 4, ...; a batch is sent only
 * when the previous one all succeeded), recording SuccessfulCreate "Created pod: NAME" or
 * FailedCreate "Error creating: MSG" on owner from component (no event when the namespace is
 * terminating). One write of s; done (may be NULL) runs at the end with arg (taken, freed). */
void wl_create_pods(struct wl_sync *s, const char *component, const cJSON *tmpl, const cJSON *owner, int n,
		    wl_pods_fn *done, void *arg);
/* Deletes pods (n stored pods, by name) of owner, recording SuccessfulDelete "Deleted pod: NAME"
 * or FailedDelete "Error deleting: MSG" (nothing for a pod already gone). done as above, with
 * created = how many were deleted. */
void wl_delete_pods(struct wl_sync *s, const char *component, const cJSON *owner, const cJSON *const *pods,
		    size_t n, wl_pods_fn *done, void *arg);

/* ---- adoption --------------------------------------------------------------------------- */

enum wl_claim {
	WL_IGNORE,  /* someone else's, or not ours to take */
	WL_OWNED,   /* ours, and the selector matches */
	WL_ADOPT,   /* an orphan that matches: adopt it */
	WL_RELEASE, /* ours, but the selector no longer matches: release it */
};

/* What upstream's ControllerRefManager.ClaimObject does with obj for owner (matches: does
 * owner's selector, and any filter, accept obj?). Neither is changed. */
enum wl_claim wl_claim(const cJSON *owner, const cJSON *obj, int matches);
/* Writes of s: adopt (a controller reference to owner added) or release (the reference to
 * owner_uid removed) obj of kind k, as merge patches of metadata.ownerReferences conditional on
 * obj's resourceVersion. A gone object is no failure; a conflict fails the sync (retried). */
void wl_adopt(struct wl_sync *s, const char *manager, const struct kind *k, const cJSON *obj, const cJSON *owner);
void wl_release(struct wl_sync *s, const char *manager, const struct kind *k, const cJSON *obj,
		const char *owner_uid);
/* Does the LabelSelector JSON sel match the labels (a JSON object, may be NULL)? An invalid or
 * null selector matches nothing; an empty one everything. */
int wl_selector_matches(const cJSON *sel, const cJSON *labels);

/* ---- small helpers ---------------------------------------------------------------------- */

/* An integer field (0 when absent). */
int64_t wl_int(const cJSON *obj, const char *key);
/* obj's metadata.deletionTimestamp is set. */
int wl_deleting(const cJSON *obj);
/* The time now as RFC 3339, into out[21]. */
void wl_now(char out[21]);
/* Splits a work-queue key "ns/name" (or "name"): the namespace into ns (len bytes; "" when
 * none), and returns the name (inside key). */
const char *wl_key_split(const char *key, char *ns, size_t len);
/* Queues the key of a stored object on q. */
void wl_enqueue(struct workqueue *q, const struct store_kv *kv);
/* Are the labels of two stored versions (their attrs) the same? */
int wl_same_labels(const struct store_kv *a, const struct store_kv *b);

#endif
