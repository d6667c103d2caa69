/*
 * internal.h - what the files of sqlite/ share: the backend ops table (all SQL lives behind it,
 * in sqlite.c), and the ordered map of current keys (map.c) that store.c keeps on the loop.
 *
 * DESIGN
 * The generic store (store.c) owns the threads, the queues, revisions, preconditions, kvs and
 * watchers; a backend only stores and reads rows of the revision log. A backend object is used by
 * one thread at a time: the thread that opens the store (open, revs, load), then the store thread
 * alone until it closes it. Every backend function returns 0 or a negative project error (with a
 * message appended to err); storage failures are -KUBE_EIO.
 */
#ifndef KUBE_SQLITE_INTERNAL_H
#define KUBE_SQLITE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sqlite/store.h"

struct buf;

/* One row of the log: the version of key written at revision rev. prev_rev is the revision of
 * the version it replaced (0 for a create). Every pointer is borrowed from the backend for the
 * duration of the callback or until the next backend call. */
struct store_row {
	int64_t rev;
	int64_t create_rev;
	int64_t prev_rev;
	int deleted;
	const char *key;
	const void *value;
	size_t len;
};

/* Called for each row read; a nonzero return stops the read and is returned by it. */
typedef int store_row_cb(const struct store_row *row, void *data);
/* Called for each history row with the version it replaced, or prev NULL for a create or when
 * that version is no longer in the log. */
typedef int store_hist_cb(const struct store_row *row, const struct store_row *prev, void *data);

/* What the backend persisted about revisions (store_backend_ops.revs). */
struct store_revs {
	int64_t rev;          /* the newest revision ever handed out: never goes backwards */
	int64_t compact_rev;  /* history at or below this revision may be gone */
	int64_t compact_scan; /* compaction has processed every row at or below this revision */
};

struct store_backend;

struct store_backend_ops {
	const char *name;
	/* Opens or creates the database at path and its schema. */
	int (*open)(const char *path, struct store_backend **out, struct buf *err);
	/* Closes the database (and finishes its journal); be is freed. */
	void (*close)(struct store_backend *be);
	int (*revs)(struct store_backend *be, struct store_revs *out, struct buf *err);
	/* Calls fn for the newest row of every key whose newest row is not a tombstone, in any
	 * order. */
	int (*load)(struct store_backend *be, store_row_cb *fn, void *data, struct buf *err);

	/* One write transaction at a time. After a failed call, in_txn() tells whether the
	 * transaction is still open (a failed statement) or was rolled back (a failed transaction). */
	int (*begin)(struct store_backend *be, struct buf *err);
	int (*commit)(struct store_backend *be, struct buf *err);
	void (*rollback)(struct store_backend *be);
	int (*in_txn)(struct store_backend *be);
	/* The newest row of key (value not read) in *out: 0, -KUBE_ENOTFOUND or -KUBE_EIO. */
	int (*latest)(struct store_backend *be, const char *key, struct store_row *out,
		      struct buf *err);
	int (*insert)(struct store_backend *be, const struct store_row *row, struct buf *err);

	/* Rows with after < rev <= upto whose key starts with prefix, in revision order, at most
	 * limit of them. */
	int (*history)(struct store_backend *be, const char *prefix, int64_t after, int64_t upto,
		       size_t limit, store_hist_cb *fn, void *data, struct buf *err);
	/* For each key that starts with prefix and sorts after start_after, the newest row with
	 * a revision <= rev unless it is a tombstone, in key order, at most limit (0: all). */
	int (*range_at)(struct store_backend *be, const char *prefix, const char *start_after,
			int64_t rev, size_t limit, store_row_cb *fn, void *data, struct buf *err);

	/* Compaction, each call its own transaction. start persists the new compact_rev (and
	 * rev) before any row goes; step removes the rows superseded by, or tombstones at, the
	 * next rows (at most limit) after lo up to target, sets *hi to the last revision it
	 * covered and persists it as compact_scan. */
	int (*compact_start)(struct store_backend *be, int64_t compact_rev, int64_t rev,
			     struct buf *err);
	int (*compact_step)(struct store_backend *be, int64_t lo, int64_t target, size_t limit,
			    int64_t *hi, struct buf *err);
	/* Returns a bounded amount of free space to the file system if the backend's policy says
	 * there is too much; *more is set when another call would return more. */
	int (*reclaim)(struct store_backend *be, int *more, struct buf *err);
	/* Moves the journal into the database and truncates the journal. */
	int (*checkpoint)(struct store_backend *be, struct buf *err);
};

extern const struct store_backend_ops store__sqlite_ops;

/* The ordered map of current keys: a skip list of nodes, each holding one reference to the
 * current kv of its key. Loop thread only. */
#define STORE__MAP_MAX_HEIGHT 24

struct store__node {
	struct store_kv *kv;
	int height;
	struct store__node *next[];
};

struct store__map {
	struct store__node *head; /* sentinel with STORE__MAP_MAX_HEIGHT levels */
	int height;               /* levels in use */
	size_t count;
	uint64_t rng;
};

void store__map_init(struct store__map *m);
/* Frees the nodes, passing each kv (with the map's reference) to fn. */
void store__map_release(struct store__map *m, void (*fn)(struct store_kv *kv, void *data),
			void *data);
/* The kv of key (borrowed) or NULL. */
struct store_kv *store__map_get(const struct store__map *m, const char *key);
/* Inserts or replaces by kv->key, taking over the caller's reference to kv. Returns the kv it
 * replaced (the map's reference passes to the caller) or NULL. */
struct store_kv *store__map_put(struct store__map *m, struct store_kv *kv);
/* Removes key; returns its kv with the map's reference, or NULL. */
struct store_kv *store__map_del(struct store__map *m, const char *key);
/* The first node whose key is >= key (> key when strict), or NULL; node->next[0] is the one
 * after it. The walk stays valid while the map is not changed. */
struct store__node *store__map_seek(const struct store__map *m, const char *key, int strict);

#endif
