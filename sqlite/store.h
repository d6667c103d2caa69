/*
 * store.h - the datastore: a revisioned key-value store with watch, over SQLite.
 *
 * DESIGN
 * Every write gets the next global revision. Each key keeps the revision that created it
 * (create_rev) and the revision of its last change (mod_rev). The whole current state lives in
 * memory (an ordered map of refcounted struct store_kv), so reads, lists and watch start-ups never
 * touch the disk and never block the event loop. Durability comes from a log of every version in
 * SQLite (WAL mode, synchronous=FULL), written by one store thread that batches all queued writes
 * into one transaction (group commit: one fsync for many writes). Results come back to the loop
 * through a uv_async handle, in commit order; the loop then updates the in-memory state, feeds
 * the watchers, and only then calls the caller's callback, so a write acknowledged to a client is
 * durable and visible to every later read.
 *
 * The store is generic: the value is opaque bytes. Two hooks connect it to the API server:
 *   - encode: runs on the store thread with the revision a write will get, so the value can
 *     carry its own revision (the API server's metadata.resourceVersion);
 *   - index: runs on the store thread for every value committed, loaded, or read back from the
 *     log for a history watch or store_range_at (tombstones included), and returns an opaque
 *     attrs pointer kept with the kv (the API server keeps labels and selectable fields there, so
 *     that lists and watches filter without parsing JSON).
 *
 * The SQL lives behind struct store_backend_ops (sqlite/sqlite.c is the implementation), so that
 * another backend can be added without touching this interface or the API server.
 *
 * Threads: every function here is called on the loop thread only, and every callback runs on
 * the loop thread. encode and index run on the store thread.
 */
#ifndef KUBE_STORE_H
#define KUBE_STORE_H

#include <stdint.h>
#include <uv.h>

struct buf;
struct rbuf;
struct store;

/* A committed version of a key. Immutable once published; refcounted on the loop thread. */
struct store_kv {
	int refs;
	int64_t create_rev;
	int64_t mod_rev;
	int deleted;        /* 1 for the tombstone carried by a delete event */
	struct rbuf *value; /* the stored bytes (for a tombstone: what encode produced for the delete) */
	void *attrs;        /* from the index hook, freed by the attrs_free hook; may be NULL */
	char key[];
};

struct store_kv *store_kv_ref(struct store_kv *kv);
/* kv may be NULL. */
void store_kv_unref(struct store *s, struct store_kv *kv);

/* Runs on the store thread: writes the value for revision rev into out. obj is the caller's
 * (opaque) input and is not touched by anything else until the write completes. Returns 0, or a
 * negative error that fails this write alone (with message in err). */
typedef int store_encode_cb(void *obj, int64_t rev, struct buf *out, struct buf *err);
/* Runs on the store thread: returns attrs for a value (or NULL). */
typedef void *store_index_cb(const char *key, const char *value, size_t len);
typedef void store_attrs_free_cb(void *attrs);

struct store_config {
	const char *path;            /* database file; its directory must exist */
	int64_t compact_min_revs;    /* keep at least this many revisions of history (1000) */
	uint64_t compact_interval_ms; /* compaction period; history younger than one period is kept (300000) */
	int max_batch;               /* most writes in one transaction (256) */
	store_index_cb *index;       /* may be NULL */
	store_attrs_free_cb *attrs_free;
};

/* Sets the defaults above. */
void store_config_init(struct store_config *cfg);

/* Opens (creating if needed) the database, loads the current state into memory and starts the
 * store thread and the compaction timer. Blocking: called once at start-up, before the loop
 * serves anything. Returns 0 and *out, or a negative error with a message in err. */
int store_open(uv_loop_t *loop, const struct store_config *cfg, struct store **out, struct buf *err);

/* Finishes every queued write (their callbacks run), stops the thread, closes the database and
 * the handles, frees everything, then calls cb (if not NULL) on the loop. Watchers get their
 * error callback with -KUBE_ECLOSED first. Writes submitted after this fail with -KUBE_ECLOSED.
 * s stays valid until cb returns, for store_kv_unref only: every reference the caller holds must
 * be dropped by then. */
void store_close(struct store *s, void (*cb)(void *arg), void *arg);

/* The revision of the last committed write (0 for an empty store). */
int64_t store_rev(const struct store *s);
/* Revisions at or below this one have been compacted away (0 if never compacted). */
int64_t store_compact_rev(const struct store *s);

/* Current value of key, or NULL. The kv is borrowed: take a reference to keep it past the next
 * return to the loop. */
struct store_kv *store_get(struct store *s, const char *key);

/* Calls fn for each current key that starts with prefix and sorts after start_after (exclusive;
 * NULL or "" for the beginning), in key order, until fn returns nonzero (which stops the walk and
 * is returned). Borrowed kvs, synchronous. */
typedef int store_range_cb(struct store_kv *kv, void *data);
int store_range(struct store *s, const char *prefix, const char *start_after, store_range_cb *fn,
		void *data);
/* Number of current keys with the prefix. */
size_t store_count(struct store *s, const char *prefix);

/* The same walk over the state as of revision rev (compact_rev <= rev <= store_rev), read from
 * the log on the store thread. fn is called on the loop for each kv in key order (owned
 * references: fn must unref or keep them), at most limit kvs (0 = no limit); then done is called
 * with 0, -KUBE_ECOMPACTED, -KUBE_EINVAL (rev in the future) or -KUBE_EIO. Returns 0, or
 * -KUBE_ECLOSED after store_close (and then calls neither fn nor done). */
typedef void store_done_cb(int status, void *data);
int store_range_at(struct store *s, const char *prefix, const char *start_after, int64_t rev,
		   size_t limit, store_range_cb *fn, store_done_cb *done, void *data);

enum store_op_type {
	STORE_CREATE, /* fails with -KUBE_EEXISTS if the key exists */
	STORE_UPDATE, /* fails with -KUBE_ENOTFOUND if absent, -KUBE_ECONFLICT if expect_rev differs */
	STORE_DELETE, /* same failures as UPDATE */
};

/* The result of a write, passed to its callback. On success kv is the new version (for a delete,
 * the tombstone) and prev the version it replaced (NULL for a create). On -KUBE_ECONFLICT and
 * -KUBE_EEXISTS, prev is the current version. Both are borrowed for the duration of the
 * callback. err holds a message for -KUBE_EINVAL (from encode) and -KUBE_EIO. */
struct store_result {
	int status;
	struct store_kv *kv;
	struct store_kv *prev;
	const char *err;
};
typedef void store_txn_cb(const struct store_result *res, void *data);

/* Queues a write. expect_rev is the mod_rev the key must have (0: any) for UPDATE and DELETE.
 * obj is passed to encode on the store thread (encode may be NULL: the value is then empty);
 * the caller must not touch obj until cb runs, and frees it then. cb always runs, later, on the
 * loop (never from inside this call). */
void store_txn(struct store *s, enum store_op_type op, const char *key, int64_t expect_rev,
	       store_encode_cb *encode, void *obj, store_txn_cb *cb, void *data);

enum store_event_type { STORE_EV_CREATE, STORE_EV_UPDATE, STORE_EV_DELETE };

/* One change. kv is the new version (the tombstone for a delete); prev the version before it,
 * or NULL for a create or when history no longer has it. Borrowed for the callback. */
struct store_event {
	enum store_event_type type;
	struct store_kv *kv;
	struct store_kv *prev;
};

struct store_watch;
typedef void store_event_cb(const struct store_event *ev, void *data);
/* Called once when the watch cannot go on: -KUBE_ECOMPACTED (from_rev too old),
 * -KUBE_ECLOSED (store closing), -KUBE_EIO. The watch is then finished: do not cancel it. */
typedef void store_watch_error_cb(int status, void *data);

/* Watches keys that start with prefix, for every change with a revision > from_rev, in revision
 * order with no gaps. from_rev must be >= store_compact_rev(); older gets error_cb with
 * -KUBE_ECOMPACTED (asynchronously). History (from_rev < store_rev()) is read from the log on
 * the store thread, then live changes follow. Returns the watch handle. */
struct store_watch *store_watch(struct store *s, const char *prefix, int64_t from_rev,
				store_event_cb *cb, store_watch_error_cb *error_cb, void *data);
/* The revision up to which this watch has been given every change (its history replay done):
 * what a bookmark may promise. */
int64_t store_watch_progress(const struct store_watch *w);
/* Stops a watch: no callback runs after this returns. */
void store_watch_cancel(struct store_watch *w);

/* Statistics for benchmarks and /metrics-like debugging. */
struct store_stats {
	uint64_t writes;       /* committed writes */
	uint64_t transactions; /* committed transactions (writes / transactions = batching) */
	uint64_t compactions;
	size_t keys;
	size_t watchers;
};
void store_get_stats(const struct store *s, struct store_stats *out);

/* Runs a compaction now (tests). Compacts to min(store_rev() - compact_min_revs, rev) and calls
 * done on the loop with 0 or a negative error. */
void store_compact(struct store *s, int64_t rev, store_done_cb *done, void *data);

#endif
