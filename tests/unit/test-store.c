/*
 * Unit tests for sqlite/ (the datastore): each test opens a real store in its own temporary
 * directory and runs a real uv loop. Waits are bounded by deadlines (run_until), never sleeps.
 */
#include "test.h"
#include "util.h"
#include "buf.h"
#include "log.h"
#include "sqlite/store.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct ctx {
	uv_loop_t loop;
	uv_timer_t deadline; /* unreferenced: it fails the test, it does not keep the loop alive */
	struct store *s;
	struct store_config cfg;
	char path[512];
};

/* Live attrs made by the index hook: every one must be freed by the end of a test. The hook runs
 * on the store thread and attrs_free on the loop: the counter is atomic. */
static int live_attrs;

static void *index_hook(const char *key, const char *value, size_t len)
{
	UNUSED(value);
	UNUSED(len);
	__atomic_add_fetch(&live_attrs, 1, __ATOMIC_SEQ_CST);
	return xstrdup(key);
}

static void attrs_free(void *attrs)
{
	__atomic_sub_fetch(&live_attrs, 1, __ATOMIC_SEQ_CST);
	free(attrs);
}

static void ctx_init(struct ctx *c)
{
	memset(c, 0, sizeof(*c));
	log_init(LOG_WARN, NULL);
	uv_loop_init(&c->loop);
	uv_timer_init(&c->loop, &c->deadline);
	uv_unref((uv_handle_t *)&c->deadline);
	snprintf(c->path, sizeof(c->path), "%s/state.db", test_tmpdir());
	store_config_init(&c->cfg);
	c->cfg.path = c->path;
	c->cfg.compact_interval_ms = 0;
	c->cfg.index = index_hook;
	c->cfg.attrs_free = attrs_free;
}

static void on_deadline(uv_timer_t *t)
{
	UNUSED(t);
	fprintf(stderr, "  deadline: the loop did not finish in time\n");
	_exit(1);
}

/* Runs the loop until nothing is in flight, failing the test if that takes over 30 s. */
static void run(struct ctx *c)
{
	uv_timer_start(&c->deadline, on_deadline, 30000, 0);
	uv_run(&c->loop, UV_RUN_DEFAULT);
	uv_timer_stop(&c->deadline);
}

static int ctx_open(struct ctx *c)
{
	struct buf err = BUF_INIT;
	int rc = store_open(&c->loop, &c->cfg, &c->s, &err);
	if (rc)
		FAIL("store_open: %d %s", rc, buf_str(&err));
	buf_release(&err);
	return 0;
}

static void set_flag(void *arg)
{
	(*(int *)arg)++;
}

static int ctx_close(struct ctx *c)
{
	int closed = 0;
	store_close(c->s, set_flag, &closed);
	ASSERT_EQ(closed, 0);
	run(c);
	ASSERT_EQ(closed, 1);
	c->s = NULL;
	ASSERT_EQ(__atomic_load_n(&live_attrs, __ATOMIC_SEQ_CST), 0);
	return 0;
}

static int ctx_done(struct ctx *c)
{
	uv_close((uv_handle_t *)&c->deadline, NULL);
	uv_run(&c->loop, UV_RUN_NOWAIT);
	ASSERT_EQ(uv_loop_close(&c->loop), 0);
	return 0;
}

/* encode: the value is the string obj followed by "@<revision>"; "FAIL" fails. */
static int encode_str(void *obj, int64_t rev, struct buf *out, struct buf *err)
{
	if (strcmp(obj, "FAIL") == 0) {
		buf_adds(err, "cannot encode");
		return -KUBE_EINVAL;
	}
	buf_addf(out, "%s@%" PRId64, (const char *)obj, rev);
	return 0;
}

struct rec {
	int done;
	int status;
	int64_t rev, create_rev, prev_rev;
	int deleted;
	char value[64], prev_value[64], err[64];
};

static void rec_cb(const struct store_result *res, void *data)
{
	struct rec *r = data;
	r->done++;
	r->status = res->status;
	if (res->kv) {
		r->rev = res->kv->mod_rev;
		r->create_rev = res->kv->create_rev;
		r->deleted = res->kv->deleted;
		snprintf(r->value, sizeof(r->value), "%s", res->kv->value->data);
	}
	if (res->prev) {
		r->prev_rev = res->prev->mod_rev;
		snprintf(r->prev_value, sizeof(r->prev_value), "%s", res->prev->value->data);
	}
	if (res->err)
		snprintf(r->err, sizeof(r->err), "%s", res->err);
}

/* Submits one write and runs the loop until it completes. */
static struct rec txn_sync(struct ctx *c, enum store_op_type op, const char *key, int64_t expect,
			   const char *value)
{
	struct rec r = { 0 };
	store_txn(c->s, op, key, expect, encode_str, (void *)value, rec_cb, &r);
	run(c);
	return r;
}

static const char *kv_value(struct store *s, const char *key)
{
	struct store_kv *kv = store_get(s, key);
	return kv ? kv->value->data : NULL;
}

/* ---- watch recording ---- */

struct wev {
	int64_t rev, prev_rev;
	int type;
	char key[32];
	char prev_key[32];   /* the previous version's key and value, "" without one */
	char prev_value[32];
};

struct wrec {
	struct wev *evs;
	int n, cap;
	int errors;
	int error;
	struct store_watch *w;
	struct ctx *c;
};

static void wrec_event(const struct store_event *ev, void *data)
{
	struct wrec *r = data;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->evs = xrealloc(r->evs, (size_t)r->cap * sizeof(r->evs[0]));
	}
	struct wev *e = &r->evs[r->n++];
	e->rev = ev->kv->mod_rev;
	e->prev_rev = ev->prev ? ev->prev->mod_rev : 0;
	e->type = (int)ev->type;
	snprintf(e->key, sizeof(e->key), "%s", ev->kv->key);
	snprintf(e->prev_key, sizeof(e->prev_key), "%s", ev->prev ? ev->prev->key : "");
	snprintf(e->prev_value, sizeof(e->prev_value), "%s", ev->prev ? ev->prev->value->data : "");
}

static void wrec_error(int status, void *data)
{
	struct wrec *r = data;
	r->errors++;
	r->error = status;
}

/* Checks that r saw exactly the revisions from+1 .. to, in order. */
static int wrec_contiguous(const struct wrec *r, int64_t from, int64_t to)
{
	ASSERT_EQ(r->n, to - from);
	for (int i = 0; i < r->n; i++)
		if (r->evs[i].rev != from + 1 + i)
			FAIL("event %d has revision %" PRId64 ", want %" PRId64, i, r->evs[i].rev,
			     from + 1 + i);
	return 0;
}

/* ---- tests ---- */

TEST_IMPL(store_revisions)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(store_rev(c.s), 0);
	struct rec r = txn_sync(&c, STORE_CREATE, "/a", 0, "a1");
	ASSERT_EQ(r.status, 0);
	ASSERT_EQ(r.rev, 1);
	ASSERT_EQ(r.create_rev, 1);
	ASSERT_STR(r.value, "a1@1");
	ASSERT_EQ(r.prev_rev, 0);
	r = txn_sync(&c, STORE_CREATE, "/b", 0, "b1");
	ASSERT_EQ(r.rev, 2);
	r = txn_sync(&c, STORE_UPDATE, "/a", 1, "a2");
	ASSERT_EQ(r.status, 0);
	ASSERT_EQ(r.rev, 3);
	ASSERT_EQ(r.create_rev, 1);
	ASSERT_EQ(r.prev_rev, 1);
	ASSERT_STR(r.prev_value, "a1@1");
	r = txn_sync(&c, STORE_DELETE, "/b", 0, "gone");
	ASSERT_EQ(r.status, 0);
	ASSERT_EQ(r.rev, 4);
	ASSERT_EQ(r.deleted, 1);
	ASSERT_EQ(r.create_rev, 2);
	ASSERT_STR(r.value, "gone@4");
	ASSERT_EQ(r.prev_rev, 2);
	ASSERT(!store_get(c.s, "/b"));
	r = txn_sync(&c, STORE_CREATE, "/b", 0, "b2");
	ASSERT_EQ(r.rev, 5);
	ASSERT_EQ(r.create_rev, 5);
	ASSERT_EQ(r.prev_rev, 0);

	struct store_kv *kv = store_get(c.s, "/a");
	ASSERT(kv);
	ASSERT_EQ(kv->mod_rev, 3);
	ASSERT_EQ(kv->create_rev, 1);
	ASSERT_STR(kv->attrs, "/a");
	ASSERT_EQ(store_rev(c.s), 5);
	struct store_stats st;
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.writes, 5);
	ASSERT_EQ(st.transactions, 5);
	ASSERT_EQ(st.keys, 2);

	/* The callback never runs from inside store_txn. */
	struct rec late = { 0 };
	store_txn(c.s, STORE_UPDATE, "/a", 0, NULL, NULL, rec_cb, &late);
	ASSERT_EQ(late.done, 0);
	run(&c);
	ASSERT_EQ(late.done, 1);
	ASSERT_EQ(late.status, 0);
	ASSERT_STR(late.value, ""); /* no encode: empty value */
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_create_exists)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/a", 0, "x").status, 0);
	struct rec r = txn_sync(&c, STORE_CREATE, "/a", 0, "y");
	ASSERT_EQ(r.status, -KUBE_EEXISTS);
	ASSERT_EQ(r.prev_rev, 1);
	ASSERT_STR(r.prev_value, "x@1");
	r = txn_sync(&c, STORE_UPDATE, "/nope", 0, "y");
	ASSERT_EQ(r.status, -KUBE_ENOTFOUND);
	ASSERT_EQ(r.prev_rev, 0);
	r = txn_sync(&c, STORE_DELETE, "/nope", 0, "y");
	ASSERT_EQ(r.status, -KUBE_ENOTFOUND);
	ASSERT_EQ(store_rev(c.s), 1);
	ASSERT_STR(kv_value(c.s, "/a"), "x@1");
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_conflict)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/a", 0, "v").rev, 1);
	ASSERT_EQ(txn_sync(&c, STORE_UPDATE, "/a", 1, "v").rev, 2);
	struct rec r = txn_sync(&c, STORE_UPDATE, "/a", 1, "stale");
	ASSERT_EQ(r.status, -KUBE_ECONFLICT);
	ASSERT_EQ(r.prev_rev, 2);
	r = txn_sync(&c, STORE_DELETE, "/a", 1, "stale");
	ASSERT_EQ(r.status, -KUBE_ECONFLICT);
	ASSERT_EQ(r.prev_rev, 2);
	ASSERT_STR(kv_value(c.s, "/a"), "v@2");
	ASSERT_EQ(store_rev(c.s), 2);

	/* Two updates from the same revision in one batch: the second sees the first. */
	struct rec r1 = { 0 }, r2 = { 0 };
	store_txn(c.s, STORE_UPDATE, "/a", 2, encode_str, "first", rec_cb, &r1);
	store_txn(c.s, STORE_UPDATE, "/a", 2, encode_str, "second", rec_cb, &r2);
	run(&c);
	ASSERT_EQ(r1.status, 0);
	ASSERT_EQ(r1.rev, 3);
	ASSERT_EQ(r2.status, -KUBE_ECONFLICT);
	ASSERT_EQ(r2.prev_rev, 3);
	ASSERT_STR(r2.prev_value, "first@3");
	ASSERT_EQ(txn_sync(&c, STORE_DELETE, "/a", 3, "d").status, 0);
	ASSERT(!store_get(c.s, "/a"));
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_encode_error_in_batch)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	struct rec r[4] = { 0 };
	store_txn(c.s, STORE_CREATE, "/1", 0, encode_str, "one", rec_cb, &r[0]);
	store_txn(c.s, STORE_CREATE, "/2", 0, encode_str, "FAIL", rec_cb, &r[1]);
	store_txn(c.s, STORE_CREATE, "/3", 0, encode_str, "three", rec_cb, &r[2]);
	store_txn(c.s, STORE_CREATE, "/1", 0, encode_str, "again", rec_cb, &r[3]);
	run(&c);
	ASSERT_EQ(r[0].status, 0);
	ASSERT_EQ(r[0].rev, 1);
	ASSERT_EQ(r[1].status, -KUBE_EINVAL);
	ASSERT_STR(r[1].err, "cannot encode");
	ASSERT_EQ(r[2].status, 0);
	ASSERT_EQ(r[2].rev, 2); /* a failed write takes no revision */
	ASSERT_STR(r[2].value, "three@2");
	ASSERT_EQ(r[3].status, -KUBE_EEXISTS);
	ASSERT_EQ(r[3].prev_rev, 1);
	ASSERT(!store_get(c.s, "/2"));
	struct store_stats st;
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.writes, 2);
	ASSERT_EQ(st.transactions, 1);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_group_commit)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	static struct rec r[100];
	char key[32];
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "/k/%03d", i);
		store_txn(c.s, STORE_CREATE, key, 0, encode_str, "v", rec_cb, &r[i]);
	}
	run(&c);
	for (int i = 0; i < 100; i++) {
		ASSERT_EQ(r[i].status, 0);
		ASSERT_EQ(r[i].rev, i + 1); /* acknowledged in commit order */
	}
	struct store_stats st;
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.writes, 100);
	ASSERT_EQ(st.transactions, 1);
	ASSERT(ctx_close(&c) == 0);

	/* max_batch bounds a transaction. */
	c.cfg.max_batch = 10;
	ASSERT(ctx_open(&c) == 0);
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "/k/%03d", i);
		store_txn(c.s, STORE_UPDATE, key, 0, encode_str, "w", rec_cb, &r[i]);
	}
	run(&c);
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.writes, 100);
	ASSERT_EQ(st.transactions, 10);
	ASSERT_EQ(store_rev(c.s), 200);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

/* Writers that each submit their next write from the previous one's callback. */
struct writers;

struct writer {
	struct writers *all;
	char key[16];
};

struct writers {
	struct ctx *c;
	int next, total, done;
	struct writer w[256];
};

static void writer_cb(const struct store_result *res, void *data);

static void writer_submit(struct writer *w)
{
	store_txn(w->all->c->s, STORE_UPDATE, w->key, 0, encode_str, "value-of-some-length",
		  writer_cb, w);
	w->all->next++;
}

static void writer_cb(const struct store_result *res, void *data)
{
	struct writer *w = data;
	if (res->status == 0)
		w->all->done++;
	if (w->all->next < w->all->total)
		writer_submit(w);
}

/* Returns writes per second for n writers doing total writes, and the writes per transaction. */
static double measure(struct ctx *c, int n, int total, double *per_txn)
{
	static struct writers w;
	struct store_stats a, b;
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.total = total;
	for (int i = 0; i < n; i++) {
		w.w[i].all = &w;
		snprintf(w.w[i].key, sizeof(w.w[i].key), "/w/%d", i);
		struct rec r = txn_sync(c, STORE_CREATE, w.w[i].key, 0, "v");
		UNUSED(r);
	}
	store_get_stats(c->s, &a);
	uint64_t t0 = now_ns();
	for (int i = 0; i < n; i++)
		writer_submit(&w.w[i]);
	run(c);
	double secs = (double)(now_ns() - t0) / 1e9;
	store_get_stats(c->s, &b);
	*per_txn = (double)(b.writes - a.writes) / (double)(b.transactions - a.transactions);
	return w.done / secs;
}

TEST_IMPL(store_throughput)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	double per1, per64;
	double one = measure(&c, 1, 300, &per1);
	ASSERT(ctx_close(&c) == 0);
	unlink(c.path);
	ASSERT(ctx_open(&c) == 0);
	double many = measure(&c, 64, 6400, &per64);
	ASSERT(ctx_close(&c) == 0);
	printf("  1 writer: %.0f writes/s (%.1f per transaction); 64 writers: %.0f writes/s "
	       "(%.1f per transaction)\n", one, per1, many, per64);
	ASSERT(per1 < 1.01);
	ASSERT(per64 > 8);
	return ctx_done(&c);
}

static void compact_done(int status, void *data)
{
	*(int *)data = status == 0 ? 1 : status;
}

TEST_IMPL(store_reopen)
{
	struct ctx c;
	ctx_init(&c);
	c.cfg.compact_min_revs = 0;
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/a", 0, "a").rev, 1);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/b", 0, "b").rev, 2);
	ASSERT_EQ(txn_sync(&c, STORE_UPDATE, "/a", 0, "a2").rev, 3);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/c", 0, "c").rev, 4);
	ASSERT_EQ(txn_sync(&c, STORE_DELETE, "/c", 0, "c").rev, 5);
	ASSERT(ctx_close(&c) == 0);

	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(store_rev(c.s), 5);
	struct store_kv *kv = store_get(c.s, "/a");
	ASSERT(kv);
	ASSERT_STR(kv->value->data, "a2@3");
	ASSERT_EQ(kv->create_rev, 1);
	ASSERT_EQ(kv->mod_rev, 3);
	ASSERT_STR(kv->attrs, "/a"); /* index hook ran at load */
	ASSERT(!store_get(c.s, "/c"));
	ASSERT_EQ(store_count(c.s, ""), 2);
	/* Compacting everything removes the newest row (the tombstone at 5). */
	int done = 0;
	store_compact(c.s, INT64_MAX, compact_done, &done);
	run(&c);
	ASSERT_EQ(done, 1);
	ASSERT_EQ(store_compact_rev(c.s), 5);
	ASSERT(ctx_close(&c) == 0);

	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(store_rev(c.s), 5); /* never backwards */
	ASSERT_EQ(store_compact_rev(c.s), 5);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/c", 0, "c").rev, 6);
	ASSERT_EQ(txn_sync(&c, STORE_UPDATE, "/b", 2, "b2").rev, 7);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_watch_current)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/a/0", 0, "x").rev, 1);
	struct wrec a = { 0 }, all = { 0 };
	a.w = store_watch(c.s, "/a/", store_rev(c.s), wrec_event, wrec_error, &a);
	all.w = store_watch(c.s, NULL, store_rev(c.s), wrec_event, wrec_error, &all);
	struct store_stats st;
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.watchers, 2);
	txn_sync(&c, STORE_CREATE, "/a/1", 0, "x");   /* 2 */
	txn_sync(&c, STORE_CREATE, "/b/1", 0, "x");   /* 3 */
	txn_sync(&c, STORE_UPDATE, "/a/1", 0, "y");   /* 4 */
	txn_sync(&c, STORE_DELETE, "/a/0", 0, "del"); /* 5 */
	txn_sync(&c, STORE_CREATE, "/ab", 0, "x");    /* 6: not under "/a/" */
	ASSERT_EQ(a.n, 3);
	ASSERT_EQ(a.evs[0].type, STORE_EV_CREATE);
	ASSERT_EQ(a.evs[0].rev, 2);
	ASSERT_EQ(a.evs[0].prev_rev, 0);
	ASSERT_EQ(a.evs[1].type, STORE_EV_UPDATE);
	ASSERT_EQ(a.evs[1].rev, 4);
	ASSERT_EQ(a.evs[1].prev_rev, 2);
	ASSERT_EQ(a.evs[2].type, STORE_EV_DELETE);
	ASSERT_STR(a.evs[2].key, "/a/0");
	ASSERT_EQ(a.evs[2].prev_rev, 1);
	ASSERT(wrec_contiguous(&all, 1, 6) == 0);
	ASSERT_EQ(store_watch_progress(a.w), 6); /* /ab was not for it, but it has seen 6 */
	struct wrec future = { 0 };
	future.w = store_watch(c.s, "", 100, wrec_event, wrec_error, &future);
	ASSERT_EQ(store_watch_progress(future.w), 100);
	store_watch_cancel(future.w);
	store_watch_cancel(a.w);
	txn_sync(&c, STORE_CREATE, "/a/2", 0, "x");
	ASSERT_EQ(a.n, 3);
	ASSERT_EQ(all.n, 6);
	store_watch_cancel(all.w);
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.watchers, 0);
	ASSERT(ctx_close(&c) == 0);
	ASSERT_EQ(a.errors + all.errors, 0);
	free(a.evs);
	free(all.evs);
	return ctx_done(&c);
}

TEST_IMPL(store_watch_history)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	/* 1300 writes (more than two history chunks): 50 keys, created, updated, some deleted. */
	static struct rec r[1300];
	static char keys[50][16];
	for (int i = 0; i < 50; i++) {
		snprintf(keys[i], sizeof(keys[i]), "/h/%02d", i);
		store_txn(c.s, STORE_CREATE, keys[i], 0, encode_str, "c", rec_cb, &r[i]);
	}
	for (int i = 50; i < 1300; i++)
		store_txn(c.s, STORE_UPDATE, keys[i % 50], 0, encode_str, "u", rec_cb, &r[i]);
	run(&c);
	txn_sync(&c, STORE_DELETE, "/h/07", 0, "d"); /* 1301 */
	txn_sync(&c, STORE_CREATE, "/other", 0, "x"); /* 1302 */
	txn_sync(&c, STORE_CREATE, "/h/07", 0, "again"); /* 1303 */
	ASSERT_EQ(store_rev(c.s), 1303);

	struct wrec h = { 0 }, late = { 0 };
	h.w = store_watch(c.s, "/h/", 0, wrec_event, wrec_error, &h);
	late.w = store_watch(c.s, "/h/07", 1290, wrec_event, wrec_error, &late);
	ASSERT_EQ(h.n, 0); /* history arrives asynchronously */
	ASSERT_EQ(store_watch_progress(late.w), 1290);
	run(&c);
	ASSERT_EQ(store_watch_progress(h.w), 1303);
	ASSERT_EQ(store_watch_progress(late.w), 1303);
	ASSERT_EQ(h.n, 1302);
	for (int i = 0; i < 1300; i++) {
		ASSERT_EQ(h.evs[i].rev, i + 1);
		ASSERT_EQ(h.evs[i].type, i < 50 ? STORE_EV_CREATE : STORE_EV_UPDATE);
		ASSERT_EQ(h.evs[i].prev_rev, i < 50 ? 0 : i + 1 - 50);
	}
	/* The previous version of a history event is the whole version: key and value. */
	ASSERT_STR(h.evs[60].prev_key, "/h/10");
	ASSERT_STR(h.evs[60].prev_value, "c@11");
	ASSERT_STR(h.evs[110].prev_value, "u@61");
	ASSERT_EQ(h.evs[1300].type, STORE_EV_DELETE);
	ASSERT_EQ(h.evs[1300].prev_rev, 1258); /* the last update of /h/07 */
	ASSERT_STR(h.evs[1300].prev_key, "/h/07");
	ASSERT_STR(h.evs[1300].prev_value, "u@1258");
	ASSERT_EQ(h.evs[1301].type, STORE_EV_CREATE);
	ASSERT_EQ(h.evs[1301].rev, 1303);
	ASSERT_EQ(late.n, 2);
	ASSERT_EQ(late.evs[0].rev, 1301);
	ASSERT_EQ(late.evs[1].rev, 1303);
	/* Now live. */
	txn_sync(&c, STORE_UPDATE, "/h/07", 0, "live");
	ASSERT_EQ(h.n, 1303);
	ASSERT_EQ(late.n, 3);
	ASSERT_EQ(late.evs[2].prev_rev, 1303);
	ASSERT(ctx_close(&c) == 0);
	ASSERT_EQ(h.errors, 1);
	ASSERT_EQ(h.error, -KUBE_ECLOSED);
	ASSERT_EQ(late.error, -KUBE_ECLOSED);
	free(h.evs);
	free(late.evs);
	return ctx_done(&c);
}

/* The history->live switch under concurrent writes: writers keep writing from their callbacks
 * while watchers start from history at various points. */
struct churn {
	struct ctx *c;
	int submitted, total, done;
	struct wrec watchers[4];
	int64_t from[4];
	int started;
};

static void churn_cb(const struct store_result *res, void *data);

static void churn_submit(struct churn *ch)
{
	char key[32];
	snprintf(key, sizeof(key), "/s/%d", ch->submitted % 20);
	ch->submitted++;
	store_txn(ch->c->s, STORE_UPDATE, key, 0, encode_str, "v", churn_cb, ch);
}

static void churn_start_watch(struct churn *ch, int64_t from)
{
	struct wrec *w = &ch->watchers[ch->started];
	ch->from[ch->started++] = from;
	w->w = store_watch(ch->c->s, "/s/", from, wrec_event, wrec_error, w);
}

static void churn_cb(const struct store_result *res, void *data)
{
	struct churn *ch = data;
	if (res->status == 0)
		ch->done++;
	/* Start watches from history in the middle of the stream. */
	if (ch->done == 200 || ch->done == 700 || ch->done == 1500)
		churn_start_watch(ch, res->kv->mod_rev - 150);
	if (ch->submitted < ch->total)
		churn_submit(ch);
}

TEST_IMPL(store_watch_switch)
{
	struct ctx c;
	ctx_init(&c);
	c.cfg.max_batch = 16;
	ASSERT(ctx_open(&c) == 0);
	char key[32];
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "/s/%d", i);
		txn_sync(&c, STORE_CREATE, key, 0, "v");
	}
	static struct churn ch;
	ch.c = &c;
	ch.total = 3000;
	for (int i = 0; i < 32; i++)
		churn_submit(&ch);
	churn_start_watch(&ch, 5);
	run(&c);
	ASSERT_EQ(ch.done, 3000);
	ASSERT_EQ(ch.started, 4);
	int64_t last = store_rev(c.s);
	ASSERT_EQ(last, 3020);
	for (int i = 0; i < 4; i++) {
		ASSERT(wrec_contiguous(&ch.watchers[i], ch.from[i], last) == 0);
		ASSERT_EQ(store_watch_progress(ch.watchers[i].w), last);
	}
	ASSERT(ctx_close(&c) == 0);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(ch.watchers[i].errors, 1);
		free(ch.watchers[i].evs);
	}
	return ctx_done(&c);
}

/* A callback that cancels its own watch and another one must not crash or be called again. */
struct canceller {
	struct wrec rec;
	struct store_watch *other;
};

static void cancel_event(const struct store_event *ev, void *data)
{
	struct canceller *k = data;
	wrec_event(ev, &k->rec);
	store_watch_cancel(k->rec.w);
	if (k->other)
		store_watch_cancel(k->other);
}

TEST_IMPL(store_watch_cancel_in_callback)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	struct canceller k = { 0 };
	struct wrec other = { 0 };
	k.rec.w = store_watch(c.s, "", 0, cancel_event, wrec_error, &k);
	other.w = store_watch(c.s, "", 0, wrec_event, wrec_error, &other);
	k.other = other.w;
	txn_sync(&c, STORE_CREATE, "/x", 0, "v");
	txn_sync(&c, STORE_CREATE, "/y", 0, "v");
	ASSERT_EQ(k.rec.n, 1);
	ASSERT_EQ(other.n, 0);
	ASSERT(ctx_close(&c) == 0);
	ASSERT_EQ(k.rec.errors + other.errors, 0);
	free(k.rec.evs);
	return ctx_done(&c);
}

struct range_rec {
	int n;
	int stop_at;
	char keys[16][32];
	char values[16][32];
	int64_t revs[16];
	int done;
	int status;
	struct store *s;
	int owned; /* store_range_at: fn owns the kvs */
};

static int range_fn(struct store_kv *kv, void *data)
{
	struct range_rec *r = data;
	snprintf(r->keys[r->n], sizeof(r->keys[0]), "%s", kv->key);
	snprintf(r->values[r->n], sizeof(r->values[0]), "%s", kv->value->data);
	r->revs[r->n] = kv->mod_rev;
	r->n++;
	if (r->owned)
		store_kv_unref(r->s, kv);
	return r->stop_at && r->n == r->stop_at ? 7 : 0;
}

static void range_done(int status, void *data)
{
	struct range_rec *r = data;
	r->done++;
	r->status = status;
}

static int range_at_sync(struct ctx *c, struct range_rec *r, const char *prefix,
			 const char *after, int64_t rev, size_t limit)
{
	memset(r, 0, sizeof(*r));
	r->s = c->s;
	r->owned = 1;
	ASSERT_EQ(store_range_at(c->s, prefix, after, rev, limit, range_fn, range_done, r), 0);
	ASSERT_EQ(r->done, 0);
	run(c);
	ASSERT_EQ(r->done, 1);
	return 0;
}

/* Keys for the range tests; returns the revision before the last three writes. */
static int64_t range_fixture(struct ctx *c)
{
	txn_sync(c, STORE_CREATE, "/a/2", 0, "a2");  /* 1 */
	txn_sync(c, STORE_CREATE, "/a/1", 0, "a1");  /* 2 */
	txn_sync(c, STORE_CREATE, "/b/1", 0, "b1");  /* 3 */
	txn_sync(c, STORE_CREATE, "/a/3", 0, "a3");  /* 4 */
	txn_sync(c, STORE_CREATE, "/a\xff", 0, "z"); /* 5 */
	int64_t snap = store_rev(c->s);
	txn_sync(c, STORE_UPDATE, "/a/1", 0, "a1new"); /* 6 */
	txn_sync(c, STORE_DELETE, "/a/2", 0, "del");   /* 7 */
	txn_sync(c, STORE_CREATE, "/a/0", 0, "a0");    /* 8 */
	return snap;
}

TEST_IMPL(store_range)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	range_fixture(&c);
	struct range_rec r = { 0 };
	ASSERT_EQ(store_range(c.s, "/a/", NULL, range_fn, &r), 0);
	ASSERT_EQ(r.n, 3);
	ASSERT_STR(r.keys[0], "/a/0");
	ASSERT_STR(r.keys[1], "/a/1");
	ASSERT_STR(r.values[1], "a1new@6");
	ASSERT_STR(r.keys[2], "/a/3");
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(store_range(c.s, "/a/", "/a/1", range_fn, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_STR(r.keys[0], "/a/3");
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(store_range(c.s, "/a", "/a/3", range_fn, &r), 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_STR(r.keys[0], "/a\xff");
	memset(&r, 0, sizeof(r));
	r.stop_at = 2;
	ASSERT_EQ(store_range(c.s, "", NULL, range_fn, &r), 7);
	ASSERT_EQ(r.n, 2);
	ASSERT_EQ(store_count(c.s, "/a/"), 3);
	ASSERT_EQ(store_count(c.s, "/a"), 4);
	ASSERT_EQ(store_count(c.s, ""), 5);
	ASSERT_EQ(store_count(c.s, "/c"), 0);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_range_at)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	int64_t snap = range_fixture(&c);
	struct range_rec r;
	/* The snapshot at 5 sees the old value of /a/1 and the deleted /a/2, not /a/0. */
	ASSERT(range_at_sync(&c, &r, "/a/", NULL, snap, 0) == 0);
	ASSERT_EQ(r.status, 0);
	ASSERT_EQ(r.n, 3);
	ASSERT_STR(r.keys[0], "/a/1");
	ASSERT_STR(r.values[0], "a1@2");
	ASSERT_STR(r.keys[1], "/a/2");
	ASSERT_EQ(r.revs[1], 1);
	ASSERT_STR(r.keys[2], "/a/3");
	/* Pages: limit and start_after. */
	ASSERT(range_at_sync(&c, &r, "/a", NULL, snap, 2) == 0);
	ASSERT_EQ(r.n, 2);
	ASSERT_STR(r.keys[1], "/a/2");
	ASSERT(range_at_sync(&c, &r, "/a", "/a/2", snap, 2) == 0);
	ASSERT_EQ(r.n, 2);
	ASSERT_STR(r.keys[0], "/a/3");
	ASSERT_STR(r.keys[1], "/a\xff");
	ASSERT(range_at_sync(&c, &r, "/a", "/a\xff", snap, 2) == 0);
	ASSERT_EQ(r.n, 0);
	/* At the current revision it equals the in-memory state. */
	ASSERT(range_at_sync(&c, &r, "/a/", NULL, store_rev(c.s), 0) == 0);
	ASSERT_EQ(r.n, 3);
	ASSERT_STR(r.keys[0], "/a/0");
	/* An early stop releases the rest. */
	memset(&r, 0, sizeof(r));
	r.s = c.s;
	r.owned = 1;
	r.stop_at = 1;
	ASSERT_EQ(store_range_at(c.s, "", NULL, 8, 0, range_fn, range_done, &r), 0);
	run(&c);
	ASSERT_EQ(r.n, 1);
	ASSERT_EQ(r.status, 0);
	ASSERT(range_at_sync(&c, &r, "", NULL, 100, 0) == 0);
	ASSERT_EQ(r.status, -KUBE_EINVAL);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "  sql %s: %s\n", sql, db ? sqlite3_errmsg(db) : "?");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* In the file: /a keeps its version at 2990 and the ten after; /b is gone; /c stays. */
static int compaction_check_file(const char *path)
{
	ASSERT_EQ(sql_int(path, "SELECT count(*) FROM log WHERE key = '/a'"), 11);
	ASSERT_EQ(sql_int(path, "SELECT min(rev) FROM log WHERE key = '/a'"), 2990);
	ASSERT_EQ(sql_int(path, "SELECT count(*) FROM log WHERE key = '/b'"), 0);
	ASSERT_EQ(sql_int(path, "SELECT count(*) FROM log WHERE key = '/c'"), 1);
	ASSERT_EQ(sql_int(path, "SELECT value FROM meta WHERE name = 'compact_rev'"), 2990);
	ASSERT_EQ(sql_int(path, "PRAGMA auto_vacuum"), 2);
	return 0;
}

TEST_IMPL(store_compaction)
{
	struct ctx c;
	ctx_init(&c);
	c.cfg.compact_min_revs = 10;
	ASSERT(ctx_open(&c) == 0);
	txn_sync(&c, STORE_CREATE, "/b", 0, "b"); /* 1 */
	txn_sync(&c, STORE_CREATE, "/c", 0, "c"); /* 2 */
	txn_sync(&c, STORE_DELETE, "/b", 0, "b"); /* 3 */
	txn_sync(&c, STORE_CREATE, "/a", 0, "a"); /* 4 */
	static struct rec r[2996];
	for (int i = 0; i < 2996; i++)
		store_txn(c.s, STORE_UPDATE, "/a", 0, encode_str, "a", rec_cb, &r[i]);
	run(&c);
	ASSERT_EQ(store_rev(c.s), 3000);
	int64_t snap = 2989;
	int done = 0;
	store_compact(c.s, INT64_MAX, compact_done, &done);
	run(&c);
	ASSERT_EQ(done, 1);
	ASSERT_EQ(store_compact_rev(c.s), 2990);
	struct store_stats st;
	store_get_stats(c.s, &st);
	ASSERT_EQ(st.compactions, 1);

	/* Reads below the compacted revision fail; at or above it they work. */
	struct wrec old = { 0 }, ok = { 0 };
	old.w = store_watch(c.s, "", snap, wrec_event, wrec_error, &old);
	ASSERT_EQ(old.errors, 0); /* asynchronously */
	ok.w = store_watch(c.s, "", 2990, wrec_event, wrec_error, &ok);
	run(&c);
	ASSERT_EQ(old.errors, 1);
	ASSERT_EQ(old.error, -KUBE_ECOMPACTED);
	ASSERT(wrec_contiguous(&ok, 2990, 3000) == 0);
	ASSERT_EQ(ok.evs[0].prev_rev, 2990); /* the version at compact_rev stays */
	struct range_rec rr;
	ASSERT(range_at_sync(&c, &rr, "", NULL, snap, 0) == 0);
	ASSERT_EQ(rr.status, -KUBE_ECOMPACTED);
	ASSERT(range_at_sync(&c, &rr, "", NULL, 2990, 0) == 0);
	ASSERT_EQ(rr.status, 0);
	ASSERT_EQ(rr.n, 2);
	ASSERT_EQ(rr.revs[0], 2990);
	/* Compacting again below the compacted revision changes nothing. */
	store_compact(c.s, 100, compact_done, &done);
	run(&c);
	ASSERT_EQ(store_compact_rev(c.s), 2990);
	store_watch_cancel(ok.w);
	ASSERT(ctx_close(&c) == 0);
	free(ok.evs);

	ASSERT(compaction_check_file(c.path) == 0);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(store_compact_rev(c.s), 2990);
	ASSERT_EQ(store_rev(c.s), 3000);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

static int sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "  sql %s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}

TEST_IMPL(store_sql_errors)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/ok", 0, "v").rev, 1);
	ASSERT(ctx_close(&c) == 0);
	/* Inject failures: one that fails a statement, one that rolls the transaction back. */
	ASSERT_EQ(sql_exec(c.path, "CREATE TRIGGER bad BEFORE INSERT ON log WHEN NEW.key = '/bad'"
				   " BEGIN SELECT RAISE(ABORT, 'injected abort'); END;"
				   "CREATE TRIGGER doom BEFORE INSERT ON log WHEN NEW.key = '/doom'"
				   " BEGIN SELECT RAISE(ROLLBACK, 'injected rollback'); END;"), 0);
	ASSERT(ctx_open(&c) == 0);
	struct rec r[4] = { 0 };
	store_txn(c.s, STORE_CREATE, "/a", 0, encode_str, "v", rec_cb, &r[0]);
	store_txn(c.s, STORE_CREATE, "/bad", 0, encode_str, "v", rec_cb, &r[1]);
	store_txn(c.s, STORE_CREATE, "/b", 0, encode_str, "v", rec_cb, &r[2]);
	run(&c);
	ASSERT_EQ(r[0].rev, 2);
	ASSERT_EQ(r[1].status, -KUBE_EIO);
	ASSERT(strstr(r[1].err, "injected abort"));
	ASSERT_EQ(r[2].rev, 3);
	/* A failed transaction fails its whole batch and gives no revision away. */
	memset(r, 0, sizeof(r));
	store_txn(c.s, STORE_CREATE, "/c", 0, encode_str, "v", rec_cb, &r[0]);
	store_txn(c.s, STORE_CREATE, "/c", 0, encode_str, "v", rec_cb, &r[1]); /* exists... */
	store_txn(c.s, STORE_CREATE, "/doom", 0, encode_str, "v", rec_cb, &r[2]);
	store_txn(c.s, STORE_CREATE, "/d", 0, encode_str, "v", rec_cb, &r[3]);
	run(&c);
	for (int i = 0; i < 4; i++) { /* ...but only in the transaction that was rolled back */
		ASSERT_EQ(r[i].status, -KUBE_EIO);
		ASSERT(strstr(r[i].err, "injected rollback"));
	}
	ASSERT_EQ(store_rev(c.s), 3);
	ASSERT(!store_get(c.s, "/c"));
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/e", 0, "v").rev, 4);
	ASSERT(ctx_close(&c) == 0);
	ASSERT(ctx_open(&c) == 0);
	ASSERT(!store_get(c.s, "/c"));
	ASSERT_EQ(store_rev(c.s), 4);
	ASSERT(ctx_close(&c) == 0);

	/* Open failures are reported, not fatal. */
	struct buf err = BUF_INIT;
	struct store *s = NULL;
	c.cfg.path = "/nonexistent-dir/state.db";
	ASSERT_EQ(store_open(&c.loop, &c.cfg, &s, &err), -KUBE_EIO);
	ASSERT(strstr(buf_str(&err), "unable to open"));
	ASSERT(!s);
	buf_reset(&err);
	c.cfg.path = c.path;
	c.cfg.max_batch = 0;
	ASSERT_EQ(store_open(&c.loop, &c.cfg, &s, &err), -KUBE_EINVAL);
	buf_release(&err);
	return ctx_done(&c);
}

/* Update churn with compaction on its timer: waves of one update per key. */
struct churn_file {
	struct ctx *c;
	int wave, waves, pending;
	off_t sizes[4];
	char value[1024];
};

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : 0;
}

static off_t db_size(const char *path)
{
	char wal[600];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	return file_size(path) + file_size(wal);
}

static void churn_file_cb(const struct store_result *res, void *data);

static void churn_file_wave(struct churn_file *cf)
{
	char key[32];
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "/f/%02d", i);
		store_txn(cf->c->s, STORE_UPDATE, key, 0, encode_str, cf->value, churn_file_cb, cf);
	}
	cf->pending = 50;
	cf->wave++;
}

static void churn_file_cb(const struct store_result *res, void *data)
{
	struct churn_file *cf = data;
	if (res->status)
		return;
	if (--cf->pending)
		return;
	if (cf->wave % 100 == 0)
		cf->sizes[cf->wave / 100 - 1] = db_size(cf->c->path);
	if (cf->wave < cf->waves)
		churn_file_wave(cf);
}

TEST_IMPL(store_file_bounded)
{
	struct ctx c;
	ctx_init(&c);
	c.cfg.compact_min_revs = 1000;
	c.cfg.compact_interval_ms = 10;
	ASSERT(ctx_open(&c) == 0);
	static struct churn_file cf;
	cf.c = &c;
	cf.waves = 400;
	memset(cf.value, 'x', sizeof(cf.value) - 1);
	char key[32];
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "/f/%02d", i);
		ASSERT_EQ(txn_sync(&c, STORE_CREATE, key, 0, "v").status, 0);
	}
	churn_file_wave(&cf);
	run(&c);
	ASSERT_EQ(cf.wave, 400);
	ASSERT_EQ(store_rev(c.s), 20050);
	struct store_stats st;
	store_get_stats(c.s, &st);
	/* Let one more compaction run after the churn, and wait for it. */
	int64_t before = store_compact_rev(c.s);
	int done = 0;
	store_compact(c.s, store_rev(c.s), compact_done, &done);
	run(&c);
	off_t end = db_size(c.path);
	printf("  file size (db + wal) after 5k/10k/15k/20k updates: %lld %lld %lld %lld, "
	       "after a last compaction %lld; %llu timer compactions, compact_rev %lld\n",
	       (long long)cf.sizes[0], (long long)cf.sizes[1], (long long)cf.sizes[2],
	       (long long)cf.sizes[3], (long long)end, (unsigned long long)st.compactions,
	       (long long)before);
	ASSERT(st.compactions >= 2);
	ASSERT(before > 10000);
	/* 20k versions of 1 KiB would be > 20 MiB: the file stays at what a few thousand use. */
	for (int i = 0; i < 4; i++)
		ASSERT(cf.sizes[i] < 8 * 1024 * 1024);
	ASSERT(cf.sizes[3] <= 2 * cf.sizes[0]);
	ASSERT(end < 4 * 1024 * 1024);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

TEST_IMPL(store_file_shrinks)
{
	struct ctx c;
	ctx_init(&c);
	c.cfg.compact_min_revs = 0;
	ASSERT(ctx_open(&c) == 0);
	static char value[2048];
	memset(value, 'x', sizeof(value) - 1);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/big", 0, value).status, 0);
	static struct rec r[4000];
	for (int i = 0; i < 4000; i++)
		store_txn(c.s, STORE_UPDATE, "/big", 0, encode_str, value, rec_cb, &r[i]);
	run(&c);
	ASSERT_EQ(store_rev(c.s), 4001);
	off_t before = db_size(c.path);
	int done = 0;
	store_compact(c.s, store_rev(c.s), compact_done, &done);
	run(&c);
	ASSERT_EQ(done, 1);
	off_t after = db_size(c.path);
	printf("  4000 versions of 2 KiB: %lld bytes, compacted: %lld bytes\n", (long long)before,
	       (long long)after);
	ASSERT(before > 8 * 1024 * 1024);
	ASSERT(after < 256 * 1024);
	ASSERT_STR(kv_value(c.s, "/big") + sizeof(value) - 1, "@4001");
	ASSERT(ctx_close(&c) == 0);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_STR(kv_value(c.s, "/big") + sizeof(value) - 1, "@4001");
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

struct drain {
	int acked, acked_after_close, closed, eclosed;
	struct wrec w;
};

static void drain_cb(const struct store_result *res, void *data)
{
	struct drain *d = data;
	if (res->status == 0)
		d->acked++;
	if (res->status == -KUBE_ECLOSED)
		d->eclosed++;
	if (d->closed)
		d->acked_after_close++;
}

static void drain_closed(void *arg)
{
	struct drain *d = arg;
	d->closed = 1;
	/* Watchers were told first. */
	d->w.error = d->w.errors == 1 ? d->w.error : -1;
}

TEST_IMPL(store_close_drains)
{
	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	static struct drain d;
	d.w.w = store_watch(c.s, "", 0, wrec_event, wrec_error, &d.w);
	char key[32];
	for (int i = 0; i < 50; i++) {
		snprintf(key, sizeof(key), "/d/%02d", i);
		store_txn(c.s, STORE_CREATE, key, 0, encode_str, "v", drain_cb, &d);
	}
	store_close(c.s, drain_closed, &d);
	store_txn(c.s, STORE_CREATE, "/late", 0, encode_str, "v", drain_cb, &d);
	ASSERT_EQ(d.eclosed, 0); /* not from inside the call */
	struct range_rec rr = { 0 };
	ASSERT_EQ(store_range_at(c.s, "", NULL, 1, 0, range_fn, range_done, &rr), -KUBE_ECLOSED);
	struct wrec late = { 0 };
	store_watch(c.s, "", 0, wrec_event, wrec_error, &late);
	run(&c);
	ASSERT_EQ(d.closed, 1);
	ASSERT_EQ(d.acked, 50);
	ASSERT_EQ(d.eclosed, 1);
	ASSERT_EQ(d.acked_after_close, 0);
	ASSERT_EQ(d.w.n, 50);
	ASSERT_EQ(d.w.error, -KUBE_ECLOSED);
	ASSERT_EQ(late.errors, 1);
	ASSERT_EQ(late.error, -KUBE_ECLOSED);
	ASSERT_EQ(rr.done, 0);
	ASSERT_EQ(__atomic_load_n(&live_attrs, __ATOMIC_SEQ_CST), 0);
	free(d.w.evs);
	ASSERT(ctx_open(&c) == 0);
	ASSERT_EQ(store_count(c.s, "/d/"), 50);
	ASSERT_EQ(store_rev(c.s), 50);
	ASSERT(ctx_close(&c) == 0);
	return ctx_done(&c);
}

/* ---- durability: kill -9 while writing ---- */

struct durable_child {
	struct ctx c;
	int fd;
	int next;
	char values[64][32];
};

static void durable_cb(const struct store_result *res, void *data);

static void durable_submit(struct durable_child *d, int slot)
{
	char key[32];
	int n = d->next++;
	snprintf(key, sizeof(key), "/dur/%08d", n);
	snprintf(d->values[slot], sizeof(d->values[slot]), "v%d", n);
	store_txn(d->c.s, STORE_CREATE, key, 0, encode_str, d->values[slot], durable_cb,
		  (void *)(intptr_t)slot);
}

static struct durable_child *durable;

static void durable_cb(const struct store_result *res, void *data)
{
	int slot = (int)(intptr_t)data;
	char line[96];
	if (res->status != 0)
		_exit(3);
	int len = snprintf(line, sizeof(line), "%" PRId64 " %s %s\n", res->kv->mod_rev,
			   res->kv->key, res->kv->value->data);
	if (write(durable->fd, line, (size_t)len) != len)
		_exit(4);
	durable_submit(durable, slot);
}

/* The child: writes until it is killed (or its own alarm fires). Never returns. */
static void durable_run(int fd)
{
	static struct durable_child d;
	durable = &d;
	alarm(60);
	ctx_init(&d.c);
	d.fd = fd;
	if (ctx_open(&d.c) != 0)
		_exit(2);
	for (int i = 0; i < 64; i++)
		durable_submit(&d, i);
	uv_run(&d.c.loop, UV_RUN_DEFAULT); /* until killed */
	_exit(5);
}

struct ack {
	int64_t rev;
	char key[32];
	char value[48];
};

/* Reads acknowledgement lines from fd until want are seen (or EOF, or the deadline). */
static int read_acks(int fd, struct ack *acks, int max, int want, uint64_t deadline_ms, int *n)
{
	static char buf[1 << 16];
	static size_t len;
	uint64_t end = now_ns() / 1000000 + deadline_ms;
	while (*n < want) {
		struct pollfd p = { fd, POLLIN, 0 };
		int64_t left = (int64_t)(end - now_ns() / 1000000);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		ssize_t got = read(fd, buf + len, sizeof(buf) - len - 1);
		if (got <= 0)
			return 0; /* EOF: the child is gone */
		len += (size_t)got;
		char *line = buf, *nl;
		while ((nl = memchr(line, '\n', len - (size_t)(line - buf))) && *n < max) {
			*nl = '\0';
			struct ack *a = &acks[(*n)++];
			if (sscanf(line, "%" SCNd64 " %31s %47s", &a->rev, a->key, a->value) != 3)
				return -1;
			line = nl + 1;
		}
		len -= (size_t)(line - buf);
		memmove(buf, line, len);
	}
	return 0;
}

TEST_IMPL(store_durability)
{
	static struct ack acks[200000];
	int fds[2], n = 0;
	ASSERT_EQ(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		durable_run(fds[1]);
	}
	close(fds[1]);
	/* Let it acknowledge a good number of writes, then kill it in the middle of more. */
	int rc = read_acks(fds[0], acks, (int)ARRAY_SIZE(acks), 2000, 30000, &n);
	kill(pid, SIGKILL);
	int status = 0;
	waitpid(pid, &status, 0);
	ASSERT_EQ(rc, 0);
	ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* Acknowledgements already in the pipe count too. */
	read_acks(fds[0], acks, (int)ARRAY_SIZE(acks), INT32_MAX, 5000, &n);
	close(fds[0]);
	ASSERT(n >= 2000);

	struct ctx c;
	ctx_init(&c);
	ASSERT(ctx_open(&c) == 0);
	int64_t max_rev = 0;
	for (int i = 0; i < n; i++) {
		struct store_kv *kv = store_get(c.s, acks[i].key);
		if (!kv)
			FAIL("acknowledged %s at %" PRId64 " is missing", acks[i].key, acks[i].rev);
		ASSERT_EQ(kv->mod_rev, acks[i].rev);
		ASSERT_STR(kv->value->data, acks[i].value);
		max_rev = MAX(max_rev, acks[i].rev);
	}
	ASSERT(store_rev(c.s) >= max_rev);
	printf("  %d acknowledged writes survived kill -9 (store at %" PRId64 ", last ack %" PRId64
	       ")\n", n, store_rev(c.s), max_rev);
	ASSERT_EQ(txn_sync(&c, STORE_CREATE, "/after", 0, "v").rev, store_rev(c.s));
	ASSERT(ctx_close(&c) == 0);
	ASSERT_EQ(sql_int(c.path, "SELECT count(*) FROM pragma_integrity_check WHERE "
				  "integrity_check != 'ok'"), 0);
	return ctx_done(&c);
}
