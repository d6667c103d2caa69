/* Unit tests for the controller machinery (server/ctrl.c): work queues and informers, over a
 * real store and event loop (no HTTP). */
#include "test.h"

#include <unistd.h>

#include "server/ctrl.h"

struct env {
	uv_loop_t loop;
	struct server srv;
	struct server_config cfg;
	struct ctrl_mgr *m;
};

static int env_open(struct env *e)
{
	struct store_config sc;
	struct buf err = BUF_INIT;
	memset(e, 0, sizeof(*e));
	registry_init();
	uv_loop_init(&e->loop);
	e->cfg.node_name = "test-node";
	e->cfg.max_mutating_inflight = 100;
	e->srv.cfg = &e->cfg;
	e->srv.loop = &e->loop;
	store_config_init(&sc);
	char *path = xasprintf("%s/state.db", test_tmpdir());
	sc.path = path;
	sc.index = obj_index;
	sc.attrs_free = obj_attrs_free;
	int r = store_open(&e->loop, &sc, &e->srv.store, &err);
	free(path);
	buf_release(&err);
	if (r == 0)
		e->m = ctrl_mgr_start(&e->srv, NULL, NULL);
	return r;
}

static void store_closed(void *arg)
{
	*(int *)arg = 1;
}

static int env_close(struct env *e)
{
	int closed = 0;
	ctrl_mgr_stop(e->m);
	store_close(e->srv.store, store_closed, &closed);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	return closed && uv_loop_close(&e->loop) == 0 ? 0 : -1;
}

/* Runs the loop until cond(data) holds or 5 s pass. */
static int run_until(struct env *e, int (*cond)(void *), void *data)
{
	uint64_t deadline = now_ns() + 5000000000ull;
	while (!cond(data) && now_ns() < deadline)
		if (!uv_run(&e->loop, UV_RUN_NOWAIT))
			usleep(200);
	return cond(data);
}

struct rec {
	struct workqueue *q;
	char keys[64][32];
	uint64_t at[64];
	int n;
	int fail_first; /* fail this many syncs */
	int hold;       /* do not call done (the test does) */
};

static void rec_sync(struct workqueue *q, const char *key, void *data)
{
	struct rec *r = data;
	if (r->n < 64) {
		snprintf(r->keys[r->n], sizeof(r->keys[0]), "%s", key);
		r->at[r->n] = now_ns();
	}
	r->n++;
	if (r->hold)
		return;
	workqueue_done(q, key, r->fail_first-- > 0 ? -1 : 0);
}

static int at_least(void *data)
{
	struct rec *r = data;
	return (uint64_t)r->n >= r->at[63]; /* at[63] holds the target count */
}

TEST_IMPL(ctrl_queue_dedupe_and_dirty)
{
	struct env e;
	struct rec r = { 0 };
	ASSERT_EQ(env_open(&e), 0);
	r.q = workqueue_new(e.m, "t", 2, rec_sync, &r);
	workqueue_add(r.q, "ns/a");
	workqueue_add(r.q, "ns/a");
	workqueue_add(r.q, "ns/b");
	workqueue_add(r.q, "ns/a");
	r.at[63] = 2;
	ASSERT(run_until(&e, at_least, &r));
	uv_run(&e.loop, UV_RUN_NOWAIT);
	ASSERT_EQ(r.n, 2); /* folded */
	ASSERT_STR(r.keys[0], "ns/a");
	ASSERT_STR(r.keys[1], "ns/b");
	/* An add while the key syncs marks it dirty: it is synced again after done. */
	r.hold = 1;
	workqueue_add(r.q, "ns/c");
	r.at[63] = 3;
	ASSERT(run_until(&e, at_least, &r));
	workqueue_add(r.q, "ns/c");
	workqueue_add(r.q, "ns/c");
	uv_run(&e.loop, UV_RUN_NOWAIT);
	ASSERT_EQ(r.n, 3); /* not twice at once */
	r.hold = 0;
	workqueue_done(r.q, "ns/c", 0);
	r.at[63] = 4;
	ASSERT(run_until(&e, at_least, &r));
	ASSERT_STR(r.keys[3], "ns/c");
	ASSERT_EQ(env_close(&e), 0);
	return 0;
}

TEST_IMPL(ctrl_queue_backoff)
{
	struct env e;
	struct rec r = { 0 };
	ASSERT_EQ(env_open(&e), 0);
	r.q = workqueue_new(e.m, "t", 1, rec_sync, &r);
	r.fail_first = 3;
	workqueue_add(r.q, "k");
	r.at[63] = 4;
	ASSERT(run_until(&e, at_least, &r));
	/* Failures retry after 5, 10, 20 ms (due times are whole milliseconds, hence the 1 ms slack). */
	ASSERT(r.at[1] - r.at[0] >= 4000000);
	ASSERT(r.at[2] - r.at[1] >= 9000000);
	ASSERT(r.at[3] - r.at[2] >= 19000000);
	/* add_after: the earliest of two adds wins. */
	workqueue_add_after(r.q, "late", 2000);
	workqueue_add_after(r.q, "late", 20);
	r.at[63] = 5;
	uint64_t t0 = now_ns();
	ASSERT(run_until(&e, at_least, &r));
	ASSERT(now_ns() - t0 < 1500000000ull);
	ASSERT_STR(r.keys[4], "late");
	ASSERT_EQ(env_close(&e), 0);
	return 0;
}

static int encode_json(void *obj, int64_t rev, struct buf *out, struct buf *err)
{
	return obj_encode(obj, rev, out, err);
}

static void txn_done(const struct store_result *res, void *data)
{
	*(int *)data = res->status == 0 ? 1 : -1;
}

static int flag_set(void *data)
{
	return *(int *)data != 0;
}

/* Writes a ConfigMap straight into the store, owned (controller) by owner_uid. */
static int put_cm(struct env *e, const char *name, const char *owner_uid, enum store_op_type op)
{
	const struct kind *k = kind_by_resource("", "v1", "configmaps");
	char *json = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"d\","
			       "\"uid\":\"u-%s\",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"X\",\"name\":\"o\","
			       "\"uid\":\"%s\",\"controller\":true}]}}",
			       name, name, owner_uid);
	cJSON *obj = json_parse(json, strlen(json), NULL);
	struct buf key = BUF_INIT;
	int done = 0;
	kind_key(k, "d", name, &key);
	store_txn(e->srv.store, op, key.data, 0, encode_json, obj, txn_done, &done);
	run_until(e, flag_set, &done);
	buf_release(&key);
	cJSON_Delete(obj);
	free(json);
	return done == 1 ? 0 : -1;
}

static int count_kv(struct store_kv *kv, void *data)
{
	UNUSED(kv);
	(*(int *)data)++;
	return 0;
}

struct seen {
	int adds, updates, deletes;
};

static void on_change(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct seen *s = data;
	UNUSED(kv);
	UNUSED(old);
	s->adds += ev == INF_ADD;
	s->updates += ev == INF_UPDATE;
	s->deletes += ev == INF_DELETE;
}

TEST_IMPL(ctrl_informer_owner_index)
{
	struct env e;
	struct seen s = { 0 };
	int n = 0;
	ASSERT_EQ(env_open(&e), 0);
	ASSERT_EQ(put_cm(&e, "a", "owner-1", STORE_CREATE), 0); /* before the informer: indexed at start */
	struct informer *inf = informer_of(e.m, kind_by_resource("", "v1", "configmaps"));
	informer_on(inf, on_change, &s);
	ASSERT_EQ(put_cm(&e, "b", "owner-1", STORE_CREATE), 0);
	ASSERT_EQ(put_cm(&e, "c", "owner-2", STORE_CREATE), 0);
	informer_owned(inf, "owner-1", count_kv, &n);
	ASSERT_EQ(n, 2);
	/* b changes owner: the index follows. */
	ASSERT_EQ(put_cm(&e, "b", "owner-2", STORE_UPDATE), 0);
	n = 0;
	informer_owned(inf, "owner-1", count_kv, &n);
	ASSERT_EQ(n, 1);
	n = 0;
	informer_owned(inf, "owner-2", count_kv, &n);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(s.adds, 2);
	ASSERT_EQ(s.updates, 1);
	ASSERT(informer_get(inf, "d", "c") != NULL);
	n = 0;
	informer_list(inf, "d", NULL, count_kv, &n);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(env_close(&e), 0);
	return 0;
}
