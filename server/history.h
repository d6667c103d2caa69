/*
 * history.h - ControllerRevisions: the recorded pod templates of DaemonSets and StatefulSets,
 * as upstream's pkg/controller/history and the two controllers keep them, so that
 * `kubectl rollout history|undo` reads and restores them as it does against upstream.
 *
 * A revision's data is the strategic merge patch that puts the template back:
 * {"spec":{"template":{"$patch":"replace",...}}}, printed as Go's encoding/json prints a map
 * (keys sorted, Go's string escapes), so that the bytes, and therefore the hashes, equal
 * upstream's for the same stored template, and kubectl's "current template already matches"
 * check compares equal bytes.
 */
#ifndef KUBE_SERVER_HISTORY_H
#define KUBE_SERVER_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/hmap.h"
#include "lib/json.h"
#include "server/ctrl.h"

struct buf;
struct ctrl_mgr;
struct informer;
struct selector;
struct wl_sync;

/* The controllers that keep these histories (ctrl_daemonset.c, ctrl_statefulset.c), started
 * from controllers.c once this server leads. */
void ctrl_daemonset_start(struct ctrl_mgr *m);
void ctrl_statefulset_start(struct ctrl_mgr *m);

/* The label holding a revision's hash on StatefulSet revisions (upstream's
 * ControllerRevisionHashLabel), and the label a workload's pods (and DaemonSet revisions)
 * carry (apps/v1 ControllerRevisionHashLabelKey / DefaultDaemonSetUniqueLabelKey). */
#define HISTORY_HASH_LABEL "controller.kubernetes.io/hash"
#define HISTORY_POD_LABEL "controller-revision-hash"

/* ---- pure helpers ------------------------------------------------------------------------ */

/* Appends v as Go's json.Marshal prints an interface{} decoded from JSON: compact, object
 * keys in byte order, strings with Go's escapes (<, >, &, U+2028, U+2029 and controls as
 * \u00XX, invalid UTF-8 as \ufffd). */
void history_go_json(const cJSON *v, struct buf *out);

/* The revision data of a workload object (a DaemonSet or StatefulSet): its spec.template with
 * "$patch": "replace", under spec.template, printed by history_go_json. Returns a malloc'd
 * string (the caller frees it). */
char *history_patch(const cJSON *obj);

/* Upstream's HashControllerRevision: FNV-32 of data, then of the decimal collision count
 * (when collision >= 0), safe-encoded. out must hold 16 bytes. */
void history_hash(const char *data, int64_t collision, char out[16]);

/* Upstream's ControllerRevisionName: prefix (cut to 223 bytes) "-" hash; malloc'd. */
char *history_name(const char *prefix, const char *hash);

/* A new ControllerRevision of parent (a stored workload object of kind parent_kind): name,
 * parent's template labels plus label=hash, parent's annotations (when copy_annotations),
 * the controller ownerReference, data (parsed from its printed form) and revision. The
 * caller owns the result. */
cJSON *history_new_revision(const cJSON *parent, const char *name, const char *label, const char *hash,
			    const char *data, int64_t revision, int copy_annotations);

/* The template a revision records (its data's spec.template without "$patch"), a new tree the
 * caller owns, or NULL when the data holds none. */
cJSON *history_template(const cJSON *revision);

/* ---- a workload's revisions ------------------------------------------------------------ */

struct history_rev {
	cJSON *obj;        /* the ControllerRevision (owned) */
	const char *name;  /* borrowed from obj */
	const char *uid;   /* borrowed from obj */
	int64_t revision;
	char *data;        /* its data as history_patch prints it (owned) */
	int claim;         /* enum wl_claim: WL_OWNED, WL_ADOPT (an orphan to adopt) or WL_RELEASE */
};

/* The revisions of one workload, sorted by history_sort. */
struct history {
	struct history_rev *v;
	size_t n;
};

#define HISTORY_INIT { NULL, 0 }

/* Adds a revision; takes obj. */
void history_add(struct history *h, cJSON *obj);
/* Upstream's SortControllerRevisions: by revision, then creation time, then name. */
void history_sort(struct history *h);
void history_release(struct history *h);

/* Fills h (sorted) with the ControllerRevisions in parent's namespace that parent controls
 * (WL_OWNED, or WL_RELEASE when sel no longer matches them) and the orphans that sel matches
 * (WL_ADOPT), as upstream's ControllerRevisionControllerRefManager claims them, read from inf.
 * Returns the count. */
size_t history_list(struct informer *inf, const cJSON *parent, const struct selector *sel, struct history *h);

/* Acts on the claims history_list found, as upstream's ClaimControllerRevisions does: adopts
 * the orphans (WL_ADOPT, which become WL_OWNED) and releases the revisions the selector no
 * longer matches (WL_RELEASE, which drop out of h), as writes of s with field manager manager
 * (k: the ControllerRevision kind). */
void history_claim(struct history *h, struct wl_sync *s, const char *manager, const struct kind *k,
		   const cJSON *parent);

/* upstream's nextRevision: the highest revision + 1, or 1 for an empty history. */
int64_t history_next(const struct history *h);
/* The index of the last (highest) revision whose data equals data, or -1. */
long history_find(const struct history *h, const char *data);
/* The index of the revision named name, or -1. */
long history_find_name(const struct history *h, const char *name);

/* What history_truncate may do with one revision. */
enum history_keep {
	HISTORY_DELETABLE = 0, /* counted towards the limit, may go */
	HISTORY_IN_USE = 1,    /* counted towards the limit, stays (DaemonSets: pods still use it) */
	HISTORY_LIVE = 2,      /* not counted, stays (the current and update revisions) */
};

/* Which revisions go to keep the history within limit (upstream's truncateHistory and
 * cleanupHistory): of the count revisions not HISTORY_LIVE, count - limit go, the oldest
 * HISTORY_DELETABLE ones first. keep has h->n entries. Writes their indexes to out (room for
 * h->n) and returns how many. A negative limit keeps everything. */
size_t history_truncate(const struct history *h, const unsigned char *keep, int64_t limit, size_t *out);

/* ---- routing changes to the workload ------------------------------------------------------- */

/* What history_on_child needs: the work queue and informer of the workloads of kind, and the
 * uid of each of them (kept by history_owner_track), so that a child's controller is found
 * from its stored attributes without parsing it. Owned by the controller; released with
 * history_owner_release. */
struct history_owner {
	struct workqueue *q;
	struct informer *owners;
	const char *kind;  /* "DaemonSet", "StatefulSet" */
	struct hmap uids;  /* workload uid -> its work-queue key (malloc'd) */
};

/* Records (INF_ADD, INF_UPDATE) or forgets (INF_DELETE) the uid of the workload kv. */
void history_owner_track(struct history_owner *w, enum informer_ev ev, const struct store_kv *kv);
void history_owner_release(struct history_owner *w);

/* An informer_fn for the pods and revisions of a workload kind (data: a struct history_owner):
 * queues the workload that controls the changed object (and the previous controller when it
 * changed); for an orphan added, relabelled or released, every workload of the kind in its
 * namespace whose selector matches it, so that it can be adopted (upstream's addPod /
 * updatePod / deletePod and their revision counterparts). */
void history_on_child(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data);

#endif
