/*
 * sqlite.c - the SQLite backend of the store: every SQL statement of the datastore is here.
 *
 * DESIGN
 * Schema (version 1):
 *
 *   log(rev INTEGER PRIMARY KEY, key TEXT NOT NULL, create_rev INTEGER NOT NULL,
 *       prev_rev INTEGER NOT NULL, deleted INTEGER NOT NULL, value BLOB)
 *   UNIQUE INDEX log_key_rev ON log(key, rev)
 *   meta(name TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID:
 *       schema, rev, compact_rev, compact_scan
 *
 * Every version of every key is one row of log; rev (the rowid) is the global revision. A create
 * has prev_rev 0; an update or a delete points at the row it replaced. The (key, rev) index
 * answers "the newest row of a key" with one seek (preconditions), the state at a revision
 * (range_at) and the current state at load. Nothing reads the log on the request path of a
 * plain get or list: the store keeps the current state in memory.
 *
 * One connection, used by one thread at a time (SQLITE_OPEN_NOMUTEX). The database is in WAL
 * mode with synchronous=FULL: a commit returns only once its WAL frames are on disk. It is
 * created with auto_vacuum=INCREMENTAL so that space freed by compaction can be given back
 * (reclaim), and journal_size_limit caps what the WAL keeps after a checkpoint.
 *
 * Key ranges: a prefix p becomes key >= p AND key < end(p), where end(p) is p with its last
 * byte incremented (trailing 0xff bytes dropped first). With no such string the upper bound is
 * bound as an empty BLOB, which sorts after every TEXT value in SQLite. "After start_after" is
 * key >= start_after || '\0' (a TEXT bound with an explicit length): the smallest string greater
 * than start_after, so that one index bound serves both cases.
 */
#include "sqlite/internal.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define SQL__XSTR(x) #x
#define SQL__STR(x) SQL__XSTR(x)
#define SQL__SCHEMA_VERSION 1
#define SQL__BUSY_TIMEOUT_MS 5000
#define SQL__JOURNAL_LIMIT 8388608 /* 8 MiB */
/* reclaim: act when at least this many pages are free and they are a quarter of the file;
 * give back at most SQL__RECLAIM_STEP pages per transaction. */
#define SQL__RECLAIM_MIN 256
#define SQL__RECLAIM_STEP 2048

struct store_backend {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit, *rollback;
	sqlite3_stmt *latest, *insert, *history, *range_at;
	sqlite3_stmt *get_meta, *set_meta;
	sqlite3_stmt *compact_hi, *compact_prev, *compact_tomb;
};

static const char sql__schema[] =
	"CREATE TABLE IF NOT EXISTS log ("
	" rev INTEGER PRIMARY KEY, key TEXT NOT NULL, create_rev INTEGER NOT NULL,"
	" prev_rev INTEGER NOT NULL, deleted INTEGER NOT NULL, value BLOB);"
	"CREATE UNIQUE INDEX IF NOT EXISTS log_key_rev ON log(key, rev);"
	"CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
	"INSERT OR IGNORE INTO meta(name, value) VALUES ('schema', 1);";

static int sql__fail(struct store_backend *be, struct buf *err, const char *what)
{
	if (err)
		buf_addf(err, "sqlite: %s: %s", what, sqlite3_errmsg(be->db));
	return -KUBE_EIO;
}

/* Steps a statement that returns no row, then resets it. */
static int sql__run(struct store_backend *be, sqlite3_stmt *st, struct buf *err,
		    const char *what)
{
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sql__fail(be, err, what);
	sqlite3_reset(st);
	return ret;
}

static int sql__exec(struct store_backend *be, const char *sql, struct buf *err)
{
	if (sqlite3_exec(be->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql__fail(be, err, sql);
	return 0;
}

/* Runs a query whose first column of the first row is an integer (NULL and no row: 0). */
static int sql__int(struct store_backend *be, const char *sql, int64_t *out, struct buf *err)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;
	*out = 0;
	if (sqlite3_prepare_v2(be->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ret = sql__fail(be, err, sql);
		goto out;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		ret = sql__fail(be, err, sql);
out:
	sqlite3_finalize(st);
	return ret;
}

static int sql__prepare(struct store_backend *be, sqlite3_stmt **st, const char *sql,
			struct buf *err)
{
	if (sqlite3_prepare_v3(be->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return sql__fail(be, err, sql);
	return 0;
}

static int sql__prepare_all(struct store_backend *be, struct buf *err)
{
	static const struct {
		size_t off;
		const char *sql;
	} stmts[] = {
		{ offsetof(struct store_backend, begin), "BEGIN IMMEDIATE" },
		{ offsetof(struct store_backend, commit), "COMMIT" },
		{ offsetof(struct store_backend, rollback), "ROLLBACK" },
		{ offsetof(struct store_backend, latest),
		  "SELECT rev, create_rev, prev_rev, deleted FROM log WHERE key = ?1"
		  " ORDER BY rev DESC LIMIT 1" },
		{ offsetof(struct store_backend, insert),
		  "INSERT INTO log(rev, key, create_rev, prev_rev, deleted, value)"
		  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
		{ offsetof(struct store_backend, history),
		  "SELECT l.rev, l.key, l.create_rev, l.prev_rev, l.deleted, l.value,"
		  " p.rev, p.key, p.create_rev, p.prev_rev, p.deleted, p.value"
		  " FROM log l LEFT JOIN log p ON l.prev_rev != 0 AND p.rev = l.prev_rev"
		  " WHERE l.rev > ?1 AND l.rev <= ?2 AND l.key >= ?3 AND l.key < ?4"
		  " ORDER BY l.rev LIMIT ?5" },
		{ offsetof(struct store_backend, range_at),
		  "SELECT l.rev, l.key, l.create_rev, l.prev_rev, l.value FROM log l"
		  " WHERE l.key >= ?1 AND l.key < ?2 AND l.rev <= ?3 AND l.deleted = 0"
		  " AND NOT EXISTS (SELECT 1 FROM log n"
		  "  WHERE n.key = l.key AND n.rev > l.rev AND n.rev <= ?3)"
		  " ORDER BY l.key LIMIT ?4" },
		{ offsetof(struct store_backend, get_meta), "SELECT value FROM meta WHERE name = ?1" },
		{ offsetof(struct store_backend, set_meta),
		  "INSERT INTO meta(name, value) VALUES (?1, ?2)"
		  " ON CONFLICT(name) DO UPDATE SET value = excluded.value" },
		{ offsetof(struct store_backend, compact_hi),
		  "SELECT rev FROM log WHERE rev > ?1 AND rev <= ?2 ORDER BY rev LIMIT 1 OFFSET ?3" },
		{ offsetof(struct store_backend, compact_prev),
		  "DELETE FROM log WHERE rev IN (SELECT prev_rev FROM log"
		  " WHERE rev > ?1 AND rev <= ?2 AND prev_rev != 0)" },
		{ offsetof(struct store_backend, compact_tomb),
		  "DELETE FROM log WHERE rev > ?1 AND rev <= ?2 AND deleted != 0" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(stmts); i++) {
		sqlite3_stmt **st = (sqlite3_stmt **)((char *)be + stmts[i].off);
		int rc = sql__prepare(be, st, stmts[i].sql, err);
		if (rc)
			return rc;
	}
	return 0;
}

static void sql__close(struct store_backend *be)
{
	if (!be)
		return;
	sqlite3_stmt *all[] = { be->begin,    be->commit,   be->rollback,     be->latest,
				be->insert,   be->history,  be->range_at,     be->get_meta,
				be->set_meta, be->compact_hi, be->compact_prev, be->compact_tomb };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		sqlite3_finalize(all[i]);
	/* Closing the last connection checkpoints the WAL into the database and removes it. */
	if (be->db && sqlite3_close(be->db) != SQLITE_OK)
		log_error("store: closing the database: %s", sqlite3_errmsg(be->db));
	free(be);
}

/* Sets the connection up: journal, durability, and auto_vacuum for a new file (converting a
 * file made without it, once, with a VACUUM). */
static int sql__configure(struct store_backend *be, struct buf *err)
{
	int64_t av = 0;
	int ret;
	sqlite3_extended_result_codes(be->db, 1);
	sqlite3_busy_timeout(be->db, SQL__BUSY_TIMEOUT_MS);
	/* auto_vacuum must be set before the first table is created. */
	if ((ret = sql__exec(be, "PRAGMA auto_vacuum = INCREMENTAL", err)))
		return ret;
	if ((ret = sql__exec(be, "PRAGMA journal_mode = WAL", err)) ||
	    (ret = sql__exec(be, "PRAGMA synchronous = FULL", err)) ||
	    (ret = sql__exec(be, "PRAGMA journal_size_limit = " SQL__STR(SQL__JOURNAL_LIMIT),
			     err)))
		return ret;
	char *mode = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(be->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		mode = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!mode || strcmp(mode, "wal") != 0) {
		buf_addf(err, "sqlite: cannot use WAL mode (journal_mode is %s)",
			 mode ? mode : "unknown");
		free(mode);
		return -KUBE_EIO;
	}
	free(mode);
	if ((ret = sql__exec(be, sql__schema, err)))
		return ret;
	if ((ret = sql__int(be, "PRAGMA auto_vacuum", &av, err)))
		return ret;
	if (av != 2) {
		log_warn("store: converting the database to auto_vacuum=INCREMENTAL (VACUUM)");
		if ((ret = sql__exec(be, "VACUUM", err)))
			return ret;
	}
	return 0;
}

static int sql__open(const char *path, struct store_backend **out, struct buf *err)
{
	struct store_backend *be = xcalloc(1, sizeof(*be));
	int64_t version = 0;
	int ret = 0;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &be->db, flags, NULL) != SQLITE_OK) {
		buf_addf(err, "sqlite: opening %s: %s", path,
			 be->db ? sqlite3_errmsg(be->db) : "out of memory");
		ret = -KUBE_EIO;
		goto out;
	}
	if ((ret = sql__configure(be, err)))
		goto out;
	if ((ret = sql__int(be, "SELECT value FROM meta WHERE name = 'schema'", &version, err)))
		goto out;
	if (version != SQL__SCHEMA_VERSION) {
		buf_addf(err, "sqlite: %s has schema version %lld, this build knows %d", path,
			 (long long)version, SQL__SCHEMA_VERSION);
		ret = -KUBE_EIO;
		goto out;
	}
	ret = sql__prepare_all(be, err);
out:
	if (ret) {
		sql__close(be);
		be = NULL;
	}
	*out = be;
	return ret;
}

static int sql__meta(struct store_backend *be, const char *name, int64_t *out, struct buf *err)
{
	sqlite3_bind_text(be->get_meta, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(be->get_meta);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(be->get_meta, 0) : 0;
	int ret = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql__fail(be, err, "reading meta");
	sqlite3_reset(be->get_meta);
	return ret;
}

static int sql__set_meta(struct store_backend *be, const char *name, int64_t value,
			 struct buf *err)
{
	sqlite3_bind_text(be->set_meta, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(be->set_meta, 2, value);
	return sql__run(be, be->set_meta, err, "writing meta");
}

static int sql__revs(struct store_backend *be, struct store_revs *out, struct buf *err)
{
	int64_t max_rev = 0, meta_rev = 0;
	int ret;
	memset(out, 0, sizeof(*out));
	if ((ret = sql__int(be, "SELECT max(rev) FROM log", &max_rev, err)) ||
	    (ret = sql__meta(be, "rev", &meta_rev, err)) ||
	    (ret = sql__meta(be, "compact_rev", &out->compact_rev, err)) ||
	    (ret = sql__meta(be, "compact_scan", &out->compact_scan, err)))
		return ret;
	/* Compaction may have removed the newest rows (tombstones): never reuse a revision. */
	out->rev = MAX(max_rev, MAX(meta_rev, out->compact_rev));
	return 0;
}

static void sql__row(sqlite3_stmt *st, int col, struct store_row *row)
{
	row->rev = sqlite3_column_int64(st, col);
	row->key = (const char *)sqlite3_column_text(st, col + 1);
	row->create_rev = sqlite3_column_int64(st, col + 2);
	row->prev_rev = sqlite3_column_int64(st, col + 3);
	row->deleted = sqlite3_column_int(st, col + 4);
	row->value = sqlite3_column_blob(st, col + 5);
	row->len = (size_t)sqlite3_column_bytes(st, col + 5);
}

/* Steps st, passing each row (columns rev, key, create_rev, prev_rev, deleted, value) to fn. */
static int sql__each_row(struct store_backend *be, sqlite3_stmt *st, store_row_cb *fn,
			 void *data, struct buf *err)
{
	int rc, ret = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_row row;
		sql__row(st, 0, &row);
		if ((ret = fn(&row, data)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql__fail(be, err, "reading the log");
	sqlite3_reset(st);
	return ret;
}

static int sql__load(struct store_backend *be, store_row_cb *fn, void *data, struct buf *err)
{
	static const char sql[] =
		"SELECT l.rev, l.key, l.create_rev, l.prev_rev, l.deleted, l.value FROM log l"
		" WHERE l.deleted = 0 AND NOT EXISTS"
		" (SELECT 1 FROM log n WHERE n.key = l.key AND n.rev > l.rev)";
	sqlite3_stmt *st = NULL;
	int ret;
	if (sqlite3_prepare_v2(be->db, sql, -1, &st, NULL) != SQLITE_OK) {
		ret = sql__fail(be, err, "preparing the load");
		goto out;
	}
	ret = sql__each_row(be, st, fn, data, err);
out:
	sqlite3_finalize(st);
	return ret;
}

static int sql__begin(struct store_backend *be, struct buf *err)
{
	return sql__run(be, be->begin, err, "BEGIN");
}

static int sql__commit(struct store_backend *be, struct buf *err)
{
	return sql__run(be, be->commit, err, "COMMIT");
}

static void sql__rollback(struct store_backend *be)
{
	if (!sqlite3_get_autocommit(be->db))
		sql__run(be, be->rollback, NULL, "ROLLBACK");
}

static int sql__in_txn(struct store_backend *be)
{
	return !sqlite3_get_autocommit(be->db);
}

static int sql__latest(struct store_backend *be, const char *key, struct store_row *out,
		       struct buf *err)
{
	sqlite3_stmt *st = be->latest;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), ret = 0;
	memset(out, 0, sizeof(*out));
	if (rc == SQLITE_ROW) {
		out->rev = sqlite3_column_int64(st, 0);
		out->create_rev = sqlite3_column_int64(st, 1);
		out->prev_rev = sqlite3_column_int64(st, 2);
		out->deleted = sqlite3_column_int(st, 3);
	} else {
		ret = rc == SQLITE_DONE ? -KUBE_ENOTFOUND : sql__fail(be, err, "reading a key");
	}
	sqlite3_reset(st);
	return ret;
}

static int sql__insert(struct store_backend *be, const struct store_row *row, struct buf *err)
{
	sqlite3_stmt *st = be->insert;
	sqlite3_bind_int64(st, 1, row->rev);
	sqlite3_bind_text(st, 2, row->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, row->create_rev);
	sqlite3_bind_int64(st, 4, row->prev_rev);
	sqlite3_bind_int(st, 5, row->deleted);
	sqlite3_bind_blob64(st, 6, row->value ? row->value : "", row->len, SQLITE_STATIC);
	return sql__run(be, st, err, "writing a key");
}

/* Binds prefix as [prefix, end(prefix)) at parameters lo and lo + 1 (see DESIGN). */
static void sql__bind_prefix(sqlite3_stmt *st, int lo, const char *prefix)
{
	size_t n = strlen(prefix);
	while (n && (unsigned char)prefix[n - 1] == 0xff)
		n--;
	sqlite3_bind_text(st, lo, prefix, -1, SQLITE_TRANSIENT);
	if (!n) {
		sqlite3_bind_zeroblob(st, lo + 1, 0);
		return;
	}
	char *end = xstrndup(prefix, n);
	end[n - 1] = (char)((unsigned char)end[n - 1] + 1);
	sqlite3_bind_text(st, lo + 1, end, (int)n, free);
}

static int sql__history(struct store_backend *be, const char *prefix, int64_t after,
			int64_t upto, size_t limit, store_hist_cb *fn, void *data, struct buf *err)
{
	sqlite3_stmt *st = be->history;
	int rc, ret = 0;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, upto);
	sql__bind_prefix(st, 3, prefix);
	sqlite3_bind_int64(st, 5, limit ? (int64_t)limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_row row, prev;
		sql__row(st, 0, &row);
		sql__row(st, 6, &prev);
		int has_prev = sqlite3_column_type(st, 6) != SQLITE_NULL;
		if ((ret = fn(&row, has_prev ? &prev : NULL, data)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql__fail(be, err, "reading history");
	sqlite3_reset(st);
	return ret;
}

static int sql__range_at(struct store_backend *be, const char *prefix, const char *start_after,
			 int64_t rev, size_t limit, store_row_cb *fn, void *data,
			 struct buf *err)
{
	sqlite3_stmt *st = be->range_at;
	int rc, ret = 0;
	sql__bind_prefix(st, 1, prefix);
	if (start_after && *start_after && strcmp(start_after, prefix) >= 0)
		sqlite3_bind_text(st, 1, start_after, (int)strlen(start_after) + 1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, rev);
	sqlite3_bind_int64(st, 4, limit ? (int64_t)limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_row row = {
			.rev = sqlite3_column_int64(st, 0),
			.key = (const char *)sqlite3_column_text(st, 1),
			.create_rev = sqlite3_column_int64(st, 2),
			.prev_rev = sqlite3_column_int64(st, 3),
			.value = sqlite3_column_blob(st, 4),
			.len = (size_t)sqlite3_column_bytes(st, 4),
		};
		if ((ret = fn(&row, data)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sql__fail(be, err, "reading the log");
	sqlite3_reset(st);
	return ret;
}

static int sql__compact_start(struct store_backend *be, int64_t compact_rev, int64_t rev,
			      struct buf *err)
{
	int ret;
	if ((ret = sql__begin(be, err)))
		return ret;
	if ((ret = sql__set_meta(be, "compact_rev", compact_rev, err)) ||
	    (ret = sql__set_meta(be, "rev", rev, err)) || (ret = sql__commit(be, err)))
		sql__rollback(be);
	return ret;
}

/* Finds the end of the next compaction step: the limit-th row after lo, or target. */
static int sql__compact_hi(struct store_backend *be, int64_t lo, int64_t target, size_t limit,
			   int64_t *hi, struct buf *err)
{
	sqlite3_stmt *st = be->compact_hi;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, target);
	sqlite3_bind_int64(st, 3, (int64_t)limit - 1);
	int rc = sqlite3_step(st), ret = 0;
	*hi = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : target;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sql__fail(be, err, "compacting");
	sqlite3_reset(st);
	return ret;
}

static int sql__compact_step(struct store_backend *be, int64_t lo, int64_t target, size_t limit,
			     int64_t *hi, struct buf *err)
{
	int ret;
	if ((ret = sql__begin(be, err)))
		return ret;
	if ((ret = sql__compact_hi(be, lo, target, limit, hi, err)))
		goto out;
	/* First the versions replaced by rows in (lo, hi], then the tombstones in (lo, hi]. */
	sqlite3_stmt *del[] = { be->compact_prev, be->compact_tomb };
	for (size_t i = 0; i < ARRAY_SIZE(del); i++) {
		sqlite3_bind_int64(del[i], 1, lo);
		sqlite3_bind_int64(del[i], 2, *hi);
		if ((ret = sql__run(be, del[i], err, "compacting")))
			goto out;
	}
	if ((ret = sql__set_meta(be, "compact_scan", *hi, err)))
		goto out;
	ret = sql__commit(be, err);
out:
	if (ret)
		sql__rollback(be);
	return ret;
}

static int sql__reclaim(struct store_backend *be, int *more, struct buf *err)
{
	int64_t free_pages = 0, pages = 0;
	int ret;
	*more = 0;
	if ((ret = sql__int(be, "PRAGMA freelist_count", &free_pages, err)) ||
	    (ret = sql__int(be, "PRAGMA page_count", &pages, err)))
		return ret;
	if (free_pages < SQL__RECLAIM_MIN || free_pages * 4 < pages)
		return 0;
	if ((ret = sql__exec(be, "PRAGMA incremental_vacuum(" SQL__STR(SQL__RECLAIM_STEP) ")",
			     err)))
		return ret;
	*more = free_pages > SQL__RECLAIM_STEP;
	return 0;
}

static int sql__checkpoint(struct store_backend *be, struct buf *err)
{
	int rc = sqlite3_wal_checkpoint_v2(be->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	/* BUSY: another process reads the database; the next checkpoint catches up. */
	if (rc == SQLITE_BUSY)
		return 0;
	return rc == SQLITE_OK ? 0 : sql__fail(be, err, "checkpoint");
}

const struct store_backend_ops store__sqlite_ops = {
	.name = "sqlite",
	.open = sql__open,
	.close = sql__close,
	.revs = sql__revs,
	.load = sql__load,
	.begin = sql__begin,
	.commit = sql__commit,
	.rollback = sql__rollback,
	.in_txn = sql__in_txn,
	.latest = sql__latest,
	.insert = sql__insert,
	.history = sql__history,
	.range_at = sql__range_at,
	.compact_start = sql__compact_start,
	.compact_step = sql__compact_step,
	.reclaim = sql__reclaim,
	.checkpoint = sql__checkpoint,
};
