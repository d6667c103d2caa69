/*
 * store.c - the generic part of the datastore: the current state in memory, the store thread
 * with group commit, the completion queue, watch fan-out, history and snapshot reads, and the
 * compaction timer. All SQL is behind store_backend_ops (sqlite.c). docs/datastore.md has the
 * long version of what follows.
 *
 * DESIGN
 * Two threads. The loop thread owns struct store: the ordered map of current kvs (map.c), the
 * watchers, the kv refcounts and every user callback. The store thread owns the database
 * connection and the thread-side revision counters (t_*). They talk through two queues of
 * struct store__req under one mutex: reqs (loop -> thread, with a condition variable) and done
 * (thread -> loop, with a uv_async). A request is allocated on the loop, travels to the thread,
 * comes back as its own completion and is freed on the loop; the thread never touches a kv the
 * loop can see: it creates new kvs (refs = 1) and hands them over in the completion.
 *
 * Group commit. store_txn appends to a loop-local list; a uv_prepare hook (which runs once per
 * loop iteration, before the loop sleeps) hands the whole list over in one lock, so everything
 * submitted in one loop turn reaches the thread together. The thread takes every queued write,
 * up to max_batch, into one transaction: BEGIN IMMEDIATE, then for each write a precondition
 * check against the newest row of its key (one index seek; it sees the earlier writes of the
 * same batch), encode with the next revision, INSERT; then one COMMIT, i.e. one fsync of the WAL
 * (synchronous=FULL). A write that fails its precondition or its encode never writes anything
 * and does not take a revision, so it fails alone and revisions stay gap-free; a failed INSERT
 * that SQLite rolled back as a statement also fails alone; a failed transaction (BEGIN, COMMIT,
 * an I/O error that ends the transaction) fails every write of the batch with -KUBE_EIO and the
 * revision counter goes back. While a batch commits, the loop keeps queueing: the next batch is
 * whatever accumulated during the fsync. The loop never waits for SQL.
 *
 * Order. The thread runs requests in queue order and pushes their completions in the same order;
 * the loop applies completions in that order: it updates the map and store_rev(), fans the event
 * out to the live watchers, then calls the write's callback. So an acknowledged write is durable
 * and visible to every later read, and a precondition failure's "current version" (prev) is the
 * map entry at the time the completion is applied, which is exactly the state the thread checked.
 *
 * Watch. A watcher from a revision >= store_rev() is live at once (events above from_rev). An
 * older one sends a history request through the same queue: the thread reads the log rows after
 * from_rev up to its committed revision R (in chunks of STORE__HISTORY_CHUNK). Every write with
 * a revision <= R completed on the loop before the history completion arrives, and every later
 * one after it; the watcher ignores live events until its last history chunk is delivered, then
 * goes live skipping revisions <= R: no gap, no duplicate. A history request finds from_rev below
 * the thread's compact revision and fails with -KUBE_ECOMPACTED. A watcher's progress (for
 * bookmarks) is the revision of the last history event or live event the fan-out passed it,
 * matching or not. Callbacks may cancel any watch or start new ones: watchers are only marked
 * dead during callbacks and swept afterwards.
 *
 * Compaction policy. Every compact_interval_ms the timer compacts to
 *   min(store_rev() at the previous tick, store_rev() - compact_min_revs),
 * so at least one interval of history and at least compact_min_revs revisions are kept. On the
 * thread a compaction is a chain of small transactions, each requeued behind the waiting writes:
 * (1) persist the new compact_rev (and rev) first, so that readers of older history fail cleanly
 * from then on; (2) remove, STORE__COMPACT_ROWS log rows at a time, every version superseded at
 * or before compact_rev and every tombstone at or before it, persisting the progress
 * (compact_scan) in the same transaction, so a crash resumes where it stopped; (3) while the
 * backend's free-space policy says so, give free pages back (sqlite: incremental_vacuum in steps
 * when the free list is >= 1 MiB and >= 1/4 of the file); (4) checkpoint the WAL and truncate it.
 * With the WAL capped (journal_size_limit) and freed pages reused or returned, the file stays
 * bounded under update churn. Revisions never go backwards: the next one derives from the
 * maximum of the log, compact_rev and the persisted rev.
 */
#include "sqlite/store.h"
#include "sqlite/internal.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define STORE__HISTORY_CHUNK 512 /* history rows per request */
#define STORE__COMPACT_ROWS 1000 /* log rows examined per compaction transaction */

enum store__req_type {
	REQ_TXN,
	REQ_HISTORY,
	REQ_RANGE_AT,
	REQ_COMPACT,
	REQ_WATCH_ERROR, /* made on the loop: a watch that fails before reaching the thread */
	REQ_EXIT,        /* the store thread's last completion */
};

enum store__compact_phase { COMPACT_START, COMPACT_DELETE, COMPACT_RECLAIM, COMPACT_CHECKPOINT,
			    COMPACT_DONE };

struct store__hist_ev {
	enum store_event_type type;
	struct store_kv *kv;
	struct store_kv *prev;
};

/* A request and, once the thread has run it, its completion. Allocated and freed on the loop;
 * between store__flush and the completion the thread owns it. */
struct store__req {
	struct store__req *next;
	struct store *s;
	enum store__req_type type;
	int status;
	struct buf err;
	union {
		struct {
			enum store_op_type op;
			char *key;
			int64_t expect_rev;
			store_encode_cb *encode;
			void *obj;
			store_txn_cb *cb;
			void *data;
			struct buf value;   /* encode's output, until the commit */
			int64_t rev;        /* the revision written */
			int64_t create_rev;
			struct store_kv *kv; /* the new version, refs = 1, handed to the loop */
			int txn_end;        /* the last write of its transaction (stats) */
		} txn;
		struct {
			struct store_watch *w;
			char *prefix;
			int64_t after;
			int64_t upto; /* the thread's revision when it read */
			int64_t last; /* the revision of the last row read */
			struct store__hist_ev *evs;
			size_t n, cap;
			int more; /* the chunk was full: read again after last */
		} hist;
		struct {
			char *prefix;
			char *start_after;
			int64_t rev;
			size_t limit;
			store_range_cb *fn;
			store_done_cb *done;
			void *data;
			struct store_kv **kvs;
			size_t n, cap;
		} range;
		struct {
			int64_t target;
			enum store__compact_phase phase;
			int64_t compact_rev; /* the thread's compact revision afterwards */
			int compacted;       /* compact_rev moved */
			int from_timer;
			store_done_cb *done;
			void *data;
		} compact;
		struct {
			struct store_watch *w;
		} werr;
	} u;
};

struct store__list {
	struct store__req *head;
	struct store__req **tail;
};

/* Owned by the loop; freed when it is dead (cancelled or failed) and no request refers to it. */
struct store_watch {
	struct store *s;
	struct store_watch *next;
	char *prefix;
	size_t prefix_len;
	store_event_cb *cb;
	store_watch_error_cb *error_cb;
	void *data;
	int64_t skip_upto; /* live events at or below this revision were delivered as history */
	int64_t progress;  /* every change up to this revision has been given (or was not asked for) */
	int live;
	int dead;
	int busy; /* a request for it is in flight */
};

/* Owned by whoever called store_open; freed by store_close. */
struct store {
	uv_loop_t *loop;
	struct store_config cfg;
	char *path;
	const struct store_backend_ops *ops;
	struct store_backend *be; /* the opening thread, then the store thread only */

	/* Loop thread only. */
	struct store__map map;
	int64_t rev;
	int64_t compact_rev;
	int64_t tick_rev; /* store_rev() at the previous compaction tick */
	struct store_watch *watchers;
	struct store_watch **watchers_tail;
	size_t nwatchers;  /* not dead */
	int iterating;     /* callbacks are running: do not unlink watchers */
	struct store__list pending; /* submitted this loop turn, handed over by the prepare hook */
	unsigned inflight; /* requests whose completion has not been applied */
	int compacting;    /* a timer compaction is in flight */
	int closing;
	int final;         /* the handles are closing: no more uv calls */
	int open_handles;
	void (*close_cb)(void *arg);
	void *close_arg;
	struct store_stats stats;
	uv_async_t async;
	uv_timer_t timer;
	uv_prepare_t prepare;

	/* Shared, under mu. */
	uv_mutex_t mu;
	uv_cond_t cond;
	int sync_ready; /* mu and cond are initialised */
	struct store__list reqs;
	struct store__list done;
	int stop;  /* drain the queue, close the backend, exit */
	int abort; /* exit at once (store_open failed) */
	uv_thread_t thread;

	/* Store thread only (the opening thread before the thread starts). */
	int64_t t_rev;
	int64_t t_compact_rev;
	int64_t t_compact_scan;
};

static void store__list_init(struct store__list *l)
{
	l->head = NULL;
	l->tail = &l->head;
}

static void store__list_push(struct store__list *l, struct store__req *r)
{
	r->next = NULL;
	*l->tail = r;
	l->tail = &r->next;
}

/* Moves every request of src to the end of dst. */
static void store__list_splice(struct store__list *dst, struct store__list *src)
{
	if (!src->head)
		return;
	*dst->tail = src->head;
	dst->tail = src->tail;
	store__list_init(src);
}

/* Takes the whole list (the caller holds mu if it is shared). */
static struct store__req *store__list_take(struct store__list *l)
{
	struct store__req *r = l->head;
	store__list_init(l);
	return r;
}

void store_config_init(struct store_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->compact_min_revs = 1000;
	cfg->compact_interval_ms = 300000;
	cfg->max_batch = 256;
}

/* ---- kvs ---- */

/* Returns a new kv with one reference, taking over value; runs the index hook. Any thread. */
static struct store_kv *store__kv_new(const struct store *s, const char *key, int64_t create_rev,
				      int64_t mod_rev, int deleted, struct rbuf *value)
{
	size_t n = strlen(key);
	struct store_kv *kv = xmalloc(sizeof(*kv) + n + 1);
	kv->refs = 1;
	kv->create_rev = create_rev;
	kv->mod_rev = mod_rev;
	kv->deleted = deleted;
	kv->value = value;
	memcpy(kv->key, key, n + 1);
	kv->attrs = s->cfg.index ? s->cfg.index(kv->key, value->data, value->len) : NULL;
	return kv;
}

static struct store_kv *store__kv_from_row(const struct store *s, const struct store_row *row)
{
	return store__kv_new(s, row->key, row->create_rev, row->rev, row->deleted,
			     rbuf_new(row->value, row->len));
}

struct store_kv *store_kv_ref(struct store_kv *kv)
{
	assert(kv->refs > 0);
	kv->refs++;
	return kv;
}

void store_kv_unref(struct store *s, struct store_kv *kv)
{
	if (!kv)
		return;
	assert(kv->refs > 0);
	if (--kv->refs > 0)
		return;
	rbuf_unref(kv->value);
	if (kv->attrs && s->cfg.attrs_free)
		s->cfg.attrs_free(kv->attrs);
	free(kv);
}

static void store__unref_cb(struct store_kv *kv, void *data)
{
	store_kv_unref(data, kv);
}

/* ---- requests ---- */

static struct store__req *store__req_new(struct store *s, enum store__req_type type)
{
	struct store__req *r = xcalloc(1, sizeof(*r));
	r->s = s;
	r->type = type;
	return r;
}

/* Frees a request and what it still owns (kvs handed to the loop are released by then). */
static void store__req_free(struct store__req *r)
{
	switch (r->type) {
	case REQ_TXN:
		free(r->u.txn.key);
		buf_release(&r->u.txn.value);
		break;
	case REQ_HISTORY:
		free(r->u.hist.prefix);
		free(r->u.hist.evs);
		break;
	case REQ_RANGE_AT:
		free(r->u.range.prefix);
		free(r->u.range.start_after);
		free(r->u.range.kvs);
		break;
	default:
		break;
	}
	buf_release(&r->err);
	free(r);
}

static void store__update_ref(struct store *s)
{
	if (s->final)
		return;
	if (s->inflight)
		uv_ref((uv_handle_t *)&s->async);
	else
		uv_unref((uv_handle_t *)&s->async);
}

/* Hands everything submitted in this loop turn to the store thread in one go. */
static void store__flush(struct store *s)
{
	uv_prepare_stop(&s->prepare);
	if (!s->pending.head)
		return;
	uv_mutex_lock(&s->mu);
	store__list_splice(&s->reqs, &s->pending);
	uv_cond_signal(&s->cond);
	uv_mutex_unlock(&s->mu);
}

static void store__on_prepare(uv_prepare_t *h)
{
	store__flush(h->data);
}

/* Queues r for the store thread (loop thread; not after store_close). */
static void store__queue(struct store *s, struct store__req *r)
{
	assert(!s->closing);
	s->inflight++;
	store__list_push(&s->pending, r);
	uv_prepare_start(&s->prepare, store__on_prepare);
	store__update_ref(s);
}

/* Completes r without the store thread (loop thread): it is applied from the async callback. */
static void store__post(struct store *s, struct store__req *r)
{
	s->inflight++;
	uv_mutex_lock(&s->mu);
	store__list_push(&s->done, r);
	uv_mutex_unlock(&s->mu);
	if (!s->final)
		uv_async_send(&s->async);
	store__update_ref(s);
}

/* ---- the store thread ---- */

static int store__check(const struct store__req *r, int exists, int64_t cur_rev)
{
	if (r->u.txn.op == STORE_CREATE)
		return exists ? -KUBE_EEXISTS : 0;
	if (!exists)
		return -KUBE_ENOTFOUND;
	if (r->u.txn.expect_rev && r->u.txn.expect_rev != cur_rev)
		return -KUBE_ECONFLICT;
	return 0;
}

/* Checks, encodes and inserts one write of the open transaction; *rev is the last revision
 * given out and moves on only if the row was written. Sets r->status. */
static void store__apply(struct store *s, struct store__req *r, int64_t *rev)
{
	struct store_row cur = { 0 }, row;
	int64_t next = *rev + 1;
	int ret = s->ops->latest(s->be, r->u.txn.key, &cur, &r->err);
	if (ret && ret != -KUBE_ENOTFOUND)
		goto out;
	int exists = ret == 0 && !cur.deleted;
	if ((ret = store__check(r, exists, cur.rev)))
		goto out;
	if (r->u.txn.encode &&
	    (ret = r->u.txn.encode(r->u.txn.obj, next, &r->u.txn.value, &r->err))) {
		if (ret > 0)
			ret = -KUBE_EINVAL;
		buf_reset(&r->u.txn.value);
		goto out;
	}
	int create = r->u.txn.op == STORE_CREATE;
	row = (struct store_row){
		.rev = next,
		.key = r->u.txn.key,
		.create_rev = create ? next : cur.create_rev,
		.prev_rev = create ? 0 : cur.rev,
		.deleted = r->u.txn.op == STORE_DELETE,
		.value = r->u.txn.value.data,
		.len = r->u.txn.value.len,
	};
	if ((ret = s->ops->insert(s->be, &row, &r->err)))
		goto out;
	r->u.txn.rev = next;
	r->u.txn.create_rev = row.create_rev;
	*rev = next;
out:
	r->status = ret;
}

/* After the transaction: on success build the new kvs. On failure every write of the batch
 * fails with -KUBE_EIO, also those whose precondition failed (they may have been judged against
 * rows that are now rolled back); only an encode error stands on its own. */
static void store__batch_end(struct store *s, struct store__req *first, int ret,
			     const struct buf *err, int64_t rev)
{
	struct store__req *last = NULL;
	for (struct store__req *r = first; r; r = r->next) {
		if (ret && r->status != -KUBE_EIO && r->status != -KUBE_EINVAL) {
			r->status = ret;
			buf_reset(&r->err);
			buf_addf(&r->err, "%s", buf_str(err));
		}
		if (r->status)
			continue;
		struct rbuf *value = rbuf_from_buf(&r->u.txn.value);
		r->u.txn.kv = store__kv_new(s, r->u.txn.key, r->u.txn.create_rev, r->u.txn.rev,
					    r->u.txn.op == STORE_DELETE, value);
		last = r;
	}
	if (last)
		last->u.txn.txn_end = 1;
	if (ret)
		log_error("store: a transaction failed: %s", buf_str(err));
	else
		s->t_rev = rev;
}

/* Runs a chain of writes as one transaction (group commit). */
static void store__batch(struct store *s, struct store__req *first)
{
	struct buf err = BUF_INIT;
	int64_t rev = s->t_rev;
	int written = 0;
	int ret = s->ops->begin(s->be, &err);
	for (struct store__req *r = first; r; r = r->next) {
		if (ret) {
			r->status = ret;
			buf_addf(&r->err, "%s", buf_str(&err));
			continue;
		}
		store__apply(s, r, &rev);
		if (r->status == 0) {
			written++;
		} else if (r->status == -KUBE_EIO && !s->ops->in_txn(s->be)) {
			ret = -KUBE_EIO;
			buf_addf(&err, "%s", buf_str(&r->err));
		}
	}
	if (!ret && written)
		ret = s->ops->commit(s->be, &err);
	if (ret || !written)
		s->ops->rollback(s->be);
	store__batch_end(s, first, ret, &err, rev);
	buf_release(&err);
}

static int store__hist_row(const struct store_row *row, const struct store_row *prev, void *data)
{
	struct store__req *r = data;
	struct store *s = r->s;
	if (r->u.hist.n == r->u.hist.cap) {
		r->u.hist.cap = r->u.hist.cap ? 2 * r->u.hist.cap : 16;
		r->u.hist.evs = xrealloc(r->u.hist.evs, r->u.hist.cap * sizeof(r->u.hist.evs[0]));
	}
	struct store__hist_ev *ev = &r->u.hist.evs[r->u.hist.n++];
	ev->type = row->deleted ? STORE_EV_DELETE :
		   row->create_rev == row->rev ? STORE_EV_CREATE : STORE_EV_UPDATE;
	ev->kv = store__kv_from_row(s, row);
	ev->prev = prev && ev->type != STORE_EV_CREATE ? store__kv_from_row(s, prev) : NULL;
	r->u.hist.last = row->rev;
	return 0;
}

static void store__read_history(struct store *s, struct store__req *r)
{
	if (r->u.hist.after < s->t_compact_rev) {
		r->status = -KUBE_ECOMPACTED;
		return;
	}
	r->u.hist.upto = s->t_rev;
	r->status = s->ops->history(s->be, r->u.hist.prefix, r->u.hist.after, r->u.hist.upto,
				    STORE__HISTORY_CHUNK, store__hist_row, r, &r->err);
	r->u.hist.more = !r->status && r->u.hist.n == STORE__HISTORY_CHUNK;
}

static int store__range_row(const struct store_row *row, void *data)
{
	struct store__req *r = data;
	if (r->u.range.n == r->u.range.cap) {
		r->u.range.cap = r->u.range.cap ? 2 * r->u.range.cap : 16;
		r->u.range.kvs = xrealloc(r->u.range.kvs, r->u.range.cap * sizeof(r->u.range.kvs[0]));
	}
	r->u.range.kvs[r->u.range.n++] = store__kv_from_row(r->s, row);
	return 0;
}

static void store__read_range(struct store *s, struct store__req *r)
{
	if (r->u.range.rev < s->t_compact_rev) {
		r->status = -KUBE_ECOMPACTED;
	} else if (r->u.range.rev > s->t_rev) {
		buf_addf(&r->err, "revision %lld is in the future (current %lld)",
			 (long long)r->u.range.rev, (long long)s->t_rev);
		r->status = -KUBE_EINVAL;
	} else {
		r->status = s->ops->range_at(s->be, r->u.range.prefix, r->u.range.start_after,
					     r->u.range.rev, r->u.range.limit, store__range_row, r,
					     &r->err);
	}
}

/* Decides what a compaction does first: move compact_rev, or finish removing rows of an
 * earlier one that stopped half way, or nothing. */
static int store__compact_begin(struct store *s, struct store__req *r)
{
	int64_t target = MIN(r->u.compact.target, s->t_rev - s->cfg.compact_min_revs);
	int ret = 0;
	if (target > s->t_compact_rev) {
		ret = s->ops->compact_start(s->be, target, s->t_rev, &r->err);
		if (ret)
			return ret;
		s->t_compact_rev = target;
		r->u.compact.compacted = 1;
	}
	r->u.compact.phase = s->t_compact_scan < s->t_compact_rev ? COMPACT_DELETE : COMPACT_DONE;
	return 0;
}

/* Runs one transaction of a compaction. Returns nonzero if the request must run again (it is
 * then requeued behind the waiting requests). */
static int store__compact_step(struct store *s, struct store__req *r, int stopping)
{
	int64_t hi = 0;
	int ret = 0, more = 0;
	switch (r->u.compact.phase) {
	case COMPACT_START:
		ret = store__compact_begin(s, r);
		break;
	case COMPACT_DELETE:
		ret = s->ops->compact_step(s->be, s->t_compact_scan, s->t_compact_rev,
					   STORE__COMPACT_ROWS, &hi, &r->err);
		if (!ret)
			s->t_compact_scan = hi;
		if (!ret && hi >= s->t_compact_rev)
			r->u.compact.phase = COMPACT_RECLAIM;
		break;
	case COMPACT_RECLAIM:
		ret = s->ops->reclaim(s->be, &more, &r->err);
		if (!more)
			r->u.compact.phase = COMPACT_CHECKPOINT;
		break;
	case COMPACT_CHECKPOINT:
		ret = s->ops->checkpoint(s->be, &r->err);
		r->u.compact.phase = COMPACT_DONE;
		break;
	case COMPACT_DONE:
		break;
	}
	r->u.compact.compact_rev = s->t_compact_rev;
	if (ret) {
		log_error("store: compaction failed: %s", buf_str(&r->err));
		r->status = ret;
	}
	/* Closing: what is done is persisted; the next open's compaction resumes the rest. */
	if (ret || stopping)
		r->u.compact.phase = COMPACT_DONE;
	return r->u.compact.phase != COMPACT_DONE;
}

/* Runs one unit of work; returns nonzero if r must be requeued instead of completed. */
static int store__work(struct store *s, struct store__req *r, int stopping)
{
	switch (r->type) {
	case REQ_TXN:
		store__batch(s, r);
		return 0;
	case REQ_HISTORY:
		store__read_history(s, r);
		return 0;
	case REQ_RANGE_AT:
		store__read_range(s, r);
		return 0;
	case REQ_COMPACT:
		return store__compact_step(s, r, stopping);
	default:
		assert(!"unexpected request on the store thread");
		return 0;
	}
}

/* Detaches the next unit of work from reqs (mu held): up to max_batch consecutive writes, or one
 * other request. */
static struct store__req *store__take(struct store *s)
{
	struct store__req *first = s->reqs.head, *last = first;
	int n = 1;
	if (first->type == REQ_TXN)
		while (n < s->cfg.max_batch && last->next && last->next->type == REQ_TXN) {
			last = last->next;
			n++;
		}
	s->reqs.head = last->next;
	if (!s->reqs.head)
		s->reqs.tail = &s->reqs.head;
	last->next = NULL;
	return first;
}

static void store__thread_done(struct store *s, struct store__req *first)
{
	uv_mutex_lock(&s->mu);
	while (first) {
		struct store__req *next = first->next;
		store__list_push(&s->done, first);
		first = next;
	}
	uv_mutex_unlock(&s->mu);
	uv_async_send(&s->async);
}

static void store__thread(void *arg)
{
	struct store *s = arg;
	uv_mutex_lock(&s->mu);
	for (;;) {
		while (!s->reqs.head && !s->stop)
			uv_cond_wait(&s->cond, &s->mu);
		if (!s->reqs.head || s->abort)
			break;
		struct store__req *work = store__take(s);
		int stopping = s->stop;
		uv_mutex_unlock(&s->mu);
		if (store__work(s, work, stopping)) {
			uv_mutex_lock(&s->mu);
			store__list_push(&s->reqs, work);
			continue;
		}
		store__thread_done(s, work);
		uv_mutex_lock(&s->mu);
	}
	int abort = s->abort;
	uv_mutex_unlock(&s->mu);
	if (abort)
		return;
	s->ops->close(s->be);
	s->be = NULL;
	store__thread_done(s, store__req_new(s, REQ_EXIT));
}

/* ---- completions, on the loop ---- */

static void store__sweep(struct store *s)
{
	if (s->iterating)
		return;
	struct store_watch **pp = &s->watchers;
	while (*pp) {
		struct store_watch *w = *pp;
		if (w->dead && !w->busy) {
			*pp = w->next;
			free(w->prefix);
			free(w);
		} else {
			pp = &w->next;
		}
	}
	s->watchers_tail = pp;
}

/* Ends a watch with an error: its last callback. */
static void store__watch_fail(struct store *s, struct store_watch *w, int status)
{
	assert(!w->dead);
	w->dead = 1;
	s->nwatchers--;
	w->error_cb(status, w->data);
}

static void store__fanout(struct store *s, enum store_event_type type, struct store_kv *kv,
			  struct store_kv *prev)
{
	struct store_event ev = { type, kv, prev };
	for (struct store_watch *w = s->watchers; w; w = w->next) {
		if (w->dead || !w->live || kv->mod_rev <= w->skip_upto)
			continue;
		w->progress = kv->mod_rev;
		if (strncmp(kv->key, w->prefix, w->prefix_len) != 0)
			continue;
		w->cb(&ev, w->data);
	}
}

static void store__complete_txn(struct store *s, struct store__req *r)
{
	struct store_kv *kv = r->u.txn.kv, *prev = NULL;
	struct store_result res = { .status = r->status };
	if (r->status == 0) {
		static const enum store_event_type types[] = {
			[STORE_CREATE] = STORE_EV_CREATE,
			[STORE_UPDATE] = STORE_EV_UPDATE,
			[STORE_DELETE] = STORE_EV_DELETE,
		};
		assert(kv->mod_rev > s->rev);
		s->rev = kv->mod_rev;
		s->stats.writes++;
		s->stats.transactions += r->u.txn.txn_end;
		if (kv->deleted)
			prev = store__map_del(&s->map, kv->key);
		else
			prev = store__map_put(&s->map, store_kv_ref(kv));
		assert(!prev == (r->u.txn.op == STORE_CREATE));
		store__fanout(s, types[r->u.txn.op], kv, prev);
		res.kv = kv;
		res.prev = prev;
	} else {
		if (r->status == -KUBE_EEXISTS || r->status == -KUBE_ECONFLICT)
			res.prev = store__map_get(&s->map, r->u.txn.key);
		res.err = r->err.len ? r->err.data : NULL;
	}
	r->u.txn.cb(&res, r->u.txn.data);
	store_kv_unref(s, kv);
	store_kv_unref(s, prev);
}

static void store__watch_history(struct store *s, struct store_watch *w, int64_t after)
{
	struct store__req *r = store__req_new(s, REQ_HISTORY);
	r->u.hist.w = w;
	r->u.hist.prefix = xstrdup(w->prefix);
	r->u.hist.after = after;
	w->busy = 1;
	store__queue(s, r);
}

static void store__complete_history(struct store *s, struct store__req *r)
{
	struct store_watch *w = r->u.hist.w;
	w->busy = 0;
	if (!w->dead && r->status)
		store__watch_fail(s, w, r->status);
	for (size_t i = 0; i < r->u.hist.n; i++) {
		struct store__hist_ev *e = &r->u.hist.evs[i];
		if (!w->dead && !r->status) {
			struct store_event ev = { e->type, e->kv, e->prev };
			w->progress = e->kv->mod_rev;
			w->cb(&ev, w->data);
		}
		store_kv_unref(s, e->kv);
		store_kv_unref(s, e->prev);
	}
	if (w->dead || r->status)
		return;
	if (!r->u.hist.more) {
		w->live = 1;
		w->skip_upto = w->progress = r->u.hist.upto;
	} else if (!s->closing) {
		store__watch_history(s, w, r->u.hist.last);
	}
	/* Closing with more history to read: the watch gets -KUBE_ECLOSED in store__finish. */
}

static void store__complete_range(struct store *s, struct store__req *r)
{
	int stop = r->status != 0;
	for (size_t i = 0; i < r->u.range.n; i++) {
		if (stop)
			store_kv_unref(s, r->u.range.kvs[i]);
		else
			stop = r->u.range.fn(r->u.range.kvs[i], r->u.range.data);
	}
	r->u.range.done(r->status, r->u.range.data);
}

static void store__complete_compact(struct store *s, struct store__req *r)
{
	if (r->u.compact.compact_rev > s->compact_rev)
		s->compact_rev = r->u.compact.compact_rev;
	if (r->u.compact.compacted)
		s->stats.compactions++;
	if (r->u.compact.from_timer)
		s->compacting = 0;
	if (r->u.compact.done)
		r->u.compact.done(r->status, r->u.compact.data);
}

static void store__complete_watch_error(struct store *s, struct store__req *r)
{
	struct store_watch *w = r->u.werr.w;
	w->busy = 0;
	if (!w->dead)
		store__watch_fail(s, w, r->status);
}

static void store__on_close(uv_handle_t *h);

/* The store thread has exited: fail the watches, close the handles. */
static void store__finish(struct store *s)
{
	uv_thread_join(&s->thread);
	for (struct store_watch *w = s->watchers; w; w = w->next)
		if (!w->dead && !w->busy)
			store__watch_fail(s, w, -KUBE_ECLOSED);
	s->final = 1;
	s->open_handles = 3;
	uv_close((uv_handle_t *)&s->async, store__on_close);
	uv_close((uv_handle_t *)&s->timer, store__on_close);
	uv_close((uv_handle_t *)&s->prepare, store__on_close);
}

static void store__complete(struct store *s, struct store__req *r)
{
	switch (r->type) {
	case REQ_TXN:
		store__complete_txn(s, r);
		break;
	case REQ_HISTORY:
		store__complete_history(s, r);
		break;
	case REQ_RANGE_AT:
		store__complete_range(s, r);
		break;
	case REQ_COMPACT:
		store__complete_compact(s, r);
		break;
	case REQ_WATCH_ERROR:
		store__complete_watch_error(s, r);
		break;
	case REQ_EXIT:
		store__finish(s);
		break;
	}
	store__req_free(r);
}

/* Applies a chain of completions in order. */
static void store__complete_all(struct store *s, struct store__req *r)
{
	s->iterating++;
	while (r) {
		struct store__req *next = r->next;
		assert(s->inflight > 0);
		s->inflight--;
		store__complete(s, r);
		r = next;
	}
	s->iterating--;
	store__sweep(s);
	store__update_ref(s);
}

static void store__on_async(uv_async_t *h)
{
	struct store *s = h->data;
	uv_mutex_lock(&s->mu);
	struct store__req *r = store__list_take(&s->done);
	uv_mutex_unlock(&s->mu);
	store__complete_all(s, r);
}

/* The last handle is closed: run what was submitted meanwhile (it fails with -KUBE_ECLOSED),
 * release everything, call the close callback, free the store. */
static void store__on_close(uv_handle_t *h)
{
	struct store *s = h->data;
	if (--s->open_handles)
		return;
	for (;;) {
		uv_mutex_lock(&s->mu);
		struct store__req *r = store__list_take(&s->done);
		uv_mutex_unlock(&s->mu);
		if (!r)
			break;
		store__complete_all(s, r);
	}
	store__map_release(&s->map, store__unref_cb, s);
	for (struct store_watch *w = s->watchers; w; w = w->next)
		assert(w->dead && !w->busy);
	store__sweep(s);
	if (s->close_cb)
		s->close_cb(s->close_arg);
	uv_mutex_destroy(&s->mu);
	uv_cond_destroy(&s->cond);
	free(s->path);
	free(s);
}

/* ---- open and close ---- */

/* The kvs read at open, before they go into the map. */
struct store__loading {
	struct store *s;
	struct store_kv **kvs;
	size_t n, cap;
};

static int store__load_row(const struct store_row *row, void *data)
{
	struct store__loading *l = data;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->kvs = xrealloc(l->kvs, l->cap * sizeof(l->kvs[0]));
	}
	l->kvs[l->n++] = store__kv_from_row(l->s, row);
	return 0;
}

static int store__kv_cmp(const void *a, const void *b)
{
	return strcmp((*(struct store_kv *const *)a)->key, (*(struct store_kv *const *)b)->key);
}

/* Reads the revisions and the current state. The backend returns rows in log order (a table
 * scan, the fastest); they are sorted by key before going into the map so that its nodes are
 * allocated in key order, which keeps ordered walks cache-friendly. */
static int store__load(struct store *s, struct buf *err)
{
	struct store__loading l = { s, NULL, 0, 0 };
	struct store_revs revs;
	int ret;
	if ((ret = s->ops->revs(s->be, &revs, err)) ||
	    (ret = s->ops->load(s->be, store__load_row, &l, err)))
		goto out;
	if (l.n)
		qsort(l.kvs, l.n, sizeof(l.kvs[0]), store__kv_cmp);
	for (size_t i = 0; i < l.n; i++)
		store_kv_unref(s, store__map_put(&s->map, l.kvs[i]));
	l.n = 0;
	s->rev = s->t_rev = s->tick_rev = revs.rev;
	s->compact_rev = s->t_compact_rev = revs.compact_rev;
	s->t_compact_scan = revs.compact_scan;
out:
	for (size_t i = 0; i < l.n; i++)
		store_kv_unref(s, l.kvs[i]);
	free(l.kvs);
	return ret;
}

static void store__stop_thread(struct store *s, int abort)
{
	uv_mutex_lock(&s->mu);
	s->stop = 1;
	s->abort = abort;
	uv_cond_signal(&s->cond);
	uv_mutex_unlock(&s->mu);
}

/* Starts the thread, then the handles (if the async handle cannot be made, the thread is
 * stopped again and nothing needs closing). */
static int store__start(struct store *s, struct buf *err)
{
	int ret;
	if ((ret = uv_mutex_init(&s->mu)))
		goto out;
	if ((ret = uv_cond_init(&s->cond))) {
		uv_mutex_destroy(&s->mu);
		goto out;
	}
	s->sync_ready = 1;
	if ((ret = uv_thread_create(&s->thread, store__thread, s)))
		goto out;
	if ((ret = uv_async_init(s->loop, &s->async, store__on_async))) {
		store__stop_thread(s, 1);
		uv_thread_join(&s->thread);
		goto out;
	}
	uv_timer_init(s->loop, &s->timer);
	uv_prepare_init(s->loop, &s->prepare);
	s->async.data = s->timer.data = s->prepare.data = s;
	store__update_ref(s);
out:
	if (ret)
		buf_addf(err, "store: starting: %s", uv_strerror(ret));
	return ret;
}

static void store__on_timer(uv_timer_t *h);

static struct store *store__new(uv_loop_t *loop, const struct store_config *cfg)
{
	struct store *s = xcalloc(1, sizeof(*s));
	s->loop = loop;
	s->cfg = *cfg;
	s->path = xstrdup(cfg->path);
	s->cfg.path = s->path;
	s->ops = &store__sqlite_ops;
	store__map_init(&s->map);
	store__list_init(&s->pending);
	store__list_init(&s->reqs);
	store__list_init(&s->done);
	s->watchers_tail = &s->watchers;
	return s;
}

/* Frees a store whose open failed before the thread ran. */
static void store__free_unstarted(struct store *s)
{
	if (s->be)
		s->ops->close(s->be);
	store__map_release(&s->map, store__unref_cb, s);
	if (s->sync_ready) {
		uv_mutex_destroy(&s->mu);
		uv_cond_destroy(&s->cond);
	}
	free(s->path);
	free(s);
}

int store_open(uv_loop_t *loop, const struct store_config *cfg, struct store **out, struct buf *err)
{
	struct buf msg = BUF_INIT;
	struct store *s = NULL;
	int ret;
	*out = NULL;
	if (!cfg->path || cfg->max_batch < 1 || cfg->compact_min_revs < 0) {
		buf_addf(&msg, "store: invalid configuration");
		ret = -KUBE_EINVAL;
		goto out;
	}
	s = store__new(loop, cfg);
	if ((ret = s->ops->open(s->path, &s->be, &msg)) || (ret = store__load(s, &msg)) ||
	    (ret = store__start(s, &msg)))
		goto out;
	if (cfg->compact_interval_ms) {
		uv_timer_start(&s->timer, store__on_timer, cfg->compact_interval_ms,
			       cfg->compact_interval_ms);
		uv_unref((uv_handle_t *)&s->timer);
	}
	log_info("store: opened %s at revision %lld, %zu keys", s->path, (long long)s->rev,
		 s->map.count);
	*out = s;
out:
	if (ret && s)
		store__free_unstarted(s);
	if (ret && err)
		buf_addf(err, "%s", buf_str(&msg));
	buf_release(&msg);
	return ret;
}

void store_close(struct store *s, void (*cb)(void *arg), void *arg)
{
	assert(!s->closing);
	s->closing = 1;
	s->close_cb = cb;
	s->close_arg = arg;
	uv_timer_stop(&s->timer);
	store__flush(s);
	store__stop_thread(s, 0);
	s->inflight++; /* the thread's exit completion */
	store__update_ref(s);
}

/* ---- reads ---- */

int64_t store_rev(const struct store *s)
{
	return s->rev;
}

int64_t store_compact_rev(const struct store *s)
{
	return s->compact_rev;
}

struct store_kv *store_get(struct store *s, const char *key)
{
	return store__map_get(&s->map, key);
}

/* The first node of a prefix walk after start_after. */
static struct store__node *store__range_first(struct store *s, const char *prefix,
					      const char *start_after)
{
	if (start_after && *start_after && strcmp(start_after, prefix) >= 0)
		return store__map_seek(&s->map, start_after, 1);
	return store__map_seek(&s->map, prefix, 0);
}

int store_range(struct store *s, const char *prefix, const char *start_after, store_range_cb *fn,
		void *data)
{
	prefix = prefix ? prefix : "";
	size_t n = strlen(prefix);
	for (struct store__node *x = store__range_first(s, prefix, start_after); x; x = x->next[0]) {
		if (strncmp(x->kv->key, prefix, n) != 0)
			break;
		int ret = fn(x->kv, data);
		if (ret)
			return ret;
	}
	return 0;
}

size_t store_count(struct store *s, const char *prefix)
{
	size_t count = 0;
	prefix = prefix ? prefix : "";
	if (!*prefix)
		return s->map.count;
	size_t n = strlen(prefix);
	for (struct store__node *x = store__map_seek(&s->map, prefix, 0); x; x = x->next[0]) {
		if (strncmp(x->kv->key, prefix, n) != 0)
			break;
		count++;
	}
	return count;
}

int store_range_at(struct store *s, const char *prefix, const char *start_after, int64_t rev,
		   size_t limit, store_range_cb *fn, store_done_cb *done, void *data)
{
	if (s->closing)
		return -KUBE_ECLOSED;
	struct store__req *r = store__req_new(s, REQ_RANGE_AT);
	r->u.range.prefix = xstrdup(prefix ? prefix : "");
	r->u.range.start_after = xstrdup(start_after ? start_after : "");
	r->u.range.rev = rev;
	r->u.range.limit = limit;
	r->u.range.fn = fn;
	r->u.range.done = done;
	r->u.range.data = data;
	store__queue(s, r);
	return 0;
}

/* ---- writes ---- */

void store_txn(struct store *s, enum store_op_type op, const char *key, int64_t expect_rev,
	       store_encode_cb *encode, void *obj, store_txn_cb *cb, void *data)
{
	struct store__req *r = store__req_new(s, REQ_TXN);
	r->u.txn.op = op;
	r->u.txn.key = xstrdup(key);
	r->u.txn.expect_rev = op == STORE_CREATE ? 0 : expect_rev;
	r->u.txn.encode = encode;
	r->u.txn.obj = obj;
	r->u.txn.cb = cb;
	r->u.txn.data = data;
	if (s->closing) {
		r->status = -KUBE_ECLOSED;
		store__post(s, r);
		return;
	}
	store__queue(s, r);
}

/* ---- watch ---- */

static void store__watch_error(struct store *s, struct store_watch *w, int status)
{
	struct store__req *r = store__req_new(s, REQ_WATCH_ERROR);
	r->status = status;
	r->u.werr.w = w;
	w->busy = 1;
	store__post(s, r);
}

struct store_watch *store_watch(struct store *s, const char *prefix, int64_t from_rev,
				store_event_cb *cb, store_watch_error_cb *error_cb, void *data)
{
	struct store_watch *w = xcalloc(1, sizeof(*w));
	w->s = s;
	w->prefix = xstrdup(prefix ? prefix : "");
	w->prefix_len = strlen(w->prefix);
	w->cb = cb;
	w->error_cb = error_cb;
	w->data = data;
	*s->watchers_tail = w;
	s->watchers_tail = &w->next;
	s->nwatchers++;
	if (from_rev < 0)
		from_rev = 0;
	w->progress = from_rev;
	if (s->closing) {
		store__watch_error(s, w, -KUBE_ECLOSED);
	} else if (from_rev < s->compact_rev) {
		store__watch_error(s, w, -KUBE_ECOMPACTED);
	} else if (from_rev >= s->rev) {
		w->live = 1;
		w->skip_upto = from_rev;
	} else {
		store__watch_history(s, w, from_rev);
	}
	return w;
}

int64_t store_watch_progress(const struct store_watch *w)
{
	return w->progress;
}

void store_watch_cancel(struct store_watch *w)
{
	struct store *s = w->s;
	assert(!w->dead);
	w->dead = 1;
	s->nwatchers--;
	store__sweep(s);
}

/* ---- compaction and stats ---- */

static void store__compact_queue(struct store *s, int64_t target, int from_timer,
				 store_done_cb *done, void *data)
{
	struct store__req *r = store__req_new(s, REQ_COMPACT);
	r->u.compact.target = target;
	r->u.compact.from_timer = from_timer;
	r->u.compact.done = done;
	r->u.compact.data = data;
	if (s->closing) {
		r->status = -KUBE_ECLOSED;
		store__post(s, r);
		return;
	}
	store__queue(s, r);
}

void store_compact(struct store *s, int64_t rev, store_done_cb *done, void *data)
{
	store__compact_queue(s, MIN(rev, s->rev - s->cfg.compact_min_revs), 0, done, data);
}

static void store__on_timer(uv_timer_t *h)
{
	struct store *s = h->data;
	int64_t target = MIN(s->tick_rev, s->rev - s->cfg.compact_min_revs);
	s->tick_rev = s->rev;
	if (s->compacting || target <= s->compact_rev)
		return;
	s->compacting = 1;
	store__compact_queue(s, target, 1, NULL, NULL);
}

void store_get_stats(const struct store *s, struct store_stats *out)
{
	*out = s->stats;
	out->keys = s->map.count;
	out->watchers = s->nwatchers;
}
