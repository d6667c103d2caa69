/*
 * kbench.c - benchmarks of a running `kube server` through lib/http_client, each figure printed
 * with a baseline measured in the same run (tests/bench/run.sh starts the server and calls this).
 *
 *   kbench wait --port P --tls DIR            waits until /readyz answers 200 (30 s at most)
 *   kbench run  --port P --tls DIR --pid PID --dir DIR [--secs S] [--watchers N] [--events N]
 *
 * DESIGN
 * One libuv loop drives everything. A load phase runs `conns` request chains on one client
 * limited to `conns` kept-alive connections: each chain sends its next request when the previous
 * one is done, until the phase's time is up; latencies are taken around each request with the
 * monotonic clock. The phases, in order:
 *
 *   1. server RSS right after start (VmRSS, VmHWM from /proc/PID/status);
 *   2. warm-up (health checks and creates, not measured);
 *   3. raw SQLite: one durable transaction (WAL, synchronous=FULL, the store's schema and
 *      pragmas, one INSERT of a row the size of a stored ConfigMap) at a time, single thread, in
 *      the directory of the server's database: the baseline of the create phases. It is run
 *      before and after them, because fsync latency on this kind of VM drifts; the baseline is
 *      the mean of both;
 *   4. ConfigMap creates (POST, ~200 bytes of data) with 1 and with 16 connections; RSS again;
 *   5. reads with 4 connections: GET /healthz (the HTTP+TLS floor, the baseline), GET of one
 *      ConfigMap, LIST of a namespace holding 1000 ConfigMaps;
 *   6. watch delivery with 1 and with N watchers, each on its own TLS connection, on one
 *      namespace from its current resourceVersion: objects are created one at a time, and for
 *      each the time from just before its POST is sent to the arrival of its event at every
 *      watcher is recorded; the baseline is the POST's own latency in the same phase. The next
 *      create waits until every watcher has the event and the POST has its answer.
 *
 * Every request must succeed with the expected status: anything else is a failure, reported,
 * and makes the exit status 1. Slow figures never do.
 */
#include "lib/buf.h"
#include "lib/http_client.h"
#include "lib/json.h"
#include "lib/util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define KB_PAYLOAD 200            /* bytes of ConfigMap data */
#define KB_LIST_OBJECTS 1000
#define KB_READ_CONNS 4
#define KB_EVENT_TIMEOUT_MS 10000
#define KB_OPENING 64             /* watch connections being opened at once */

struct bench {
	uv_loop_t loop;
	int port, pid;
	const char *dir;
	double secs;                  /* per throughput phase */
	int watchers, events;
	char *ca, *cert, *key;        /* PEM */
	int failures;
};

/* ---- latencies ---- */

struct lat {
	uint64_t *v;                  /* nanoseconds */
	size_t n, cap;
	int sorted;
};

static void lat_add(struct lat *l, uint64_t ns)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = ns;
	l->sorted = 0;
}

static int lat_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The p-th percentile (0 < p <= 100) in milliseconds, nearest-rank; 0 when empty. */
static double lat_pct(struct lat *l, double p)
{
	if (l->n == 0)
		return 0;
	if (!l->sorted)
		qsort(l->v, l->n, sizeof(*l->v), lat_cmp);
	l->sorted = 1;
	size_t rank = (size_t)ceil(p / 100.0 * (double)l->n);
	return (double)l->v[rank ? rank - 1 : 0] / 1e6;
}

static void lat_release(struct lat *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* ---- the table ---- */

static void row(const char *figure, const char *value, const char *baseline, double ratio,
		const char *budget)
{
	char r[16] = "";
	if (ratio >= 0)
		snprintf(r, sizeof(r), "%.2f", ratio);
	printf("%-34s %-24s %-30s %7s  %s\n", figure, value, baseline, r, budget ? budget : "");
	fflush(stdout);
}

static void fail(struct bench *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct bench *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("kbench: FAILURE: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	b->failures++;
}

/* ---- the server's memory ---- */

/* Reads VmRSS and VmHWM (KiB) of the server. Returns 0 or -1. */
static int server_rss(const struct bench *b, long *rss, long *hwm)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", b->pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	*rss = *hwm = -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			*rss = strtol(line + 6, NULL, 10);
		else if (!strncmp(line, "VmHWM:", 6))
			*hwm = strtol(line + 6, NULL, 10);
	}
	fclose(f);
	return *rss < 0 || *hwm < 0 ? -1 : 0;
}

/* Prints an RSS row against the idle RSS (or, for the idle row itself, the budget). */
static void rss_row(struct bench *b, const char *figure, long idle_kib, long *out_kib)
{
	long rss, hwm;
	char v[64], base[64];
	if (server_rss(b, &rss, &hwm) != 0) {
		fail(b, "cannot read /proc/%d/status", b->pid);
		return;
	}
	snprintf(v, sizeof(v), "%.1f MiB (HWM %.1f)", rss / 1024.0, hwm / 1024.0);
	if (idle_kib < 0) {
		snprintf(base, sizeof(base), "budget 16 MiB");
		row(figure, v, base, rss / (16.0 * 1024), rss <= 16 * 1024 ? "<= 1: ok" : "<= 1: MISSED");
	} else {
		snprintf(base, sizeof(base), "idle %.1f MiB", idle_kib / 1024.0);
		row(figure, v, base, (double)rss / (double)idle_kib, NULL);
	}
	if (out_kib)
		*out_kib = rss;
}

/* ---- a client of the server ---- */

static struct http_client *bench_client(struct bench *b, int max_conns)
{
	struct http_client_config cfg;
	struct http_client *c = NULL;
	struct buf err = BUF_INIT;
	http_client_config_init(&cfg);
	cfg.ca_pem = b->ca;
	cfg.cert_pem = b->cert;
	cfg.key_pem = b->key;
	cfg.max_conns = max_conns;
	cfg.max_idle = max_conns > 0 ? max_conns : 32;
	cfg.user_agent = "kbench";
	if (http_client_new(&b->loop, "127.0.0.1", b->port, &cfg, &c, &err) != 0)
		die("client: %s", buf_str(&err));
	buf_release(&err);
	return c;
}

static void client_closed(void *arg)
{
	int *closed = arg;
	*closed = 1;
}

/* Closes a client and runs the loop until it is gone. */
static void bench_client_close(struct bench *b, struct http_client *c)
{
	int closed = 0;
	http_client_close(c, client_closed, &closed);
	while (!closed)
		uv_run(&b->loop, UV_RUN_ONCE);
}

/* A ConfigMap named name with KB_PAYLOAD bytes of data, as JSON, into out (reset first). */
static void configmap_json(struct buf *out, const char *name)
{
	buf_reset(out);
	buf_addf(out, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\","
		      "\"labels\":{\"app\":\"kbench\"}},\"data\":{\"payload\":\"", name);
	for (int i = 0; i < KB_PAYLOAD; i++)
		buf_addch(out, (char)('a' + i % 26));
	buf_adds(out, "\"}}");
}

/* ---- load phases ---- */

enum load_kind { LOAD_CREATE, LOAD_GET };

struct load {
	struct bench *b;
	struct http_client *client;
	enum load_kind kind;
	const char *target;           /* GET: the URL; CREATE: the collection */
	const char *prefix;           /* CREATE: object names are prefix-N */
	int expect;                   /* expected status */
	uint64_t end_ns;              /* no new request after this */
	size_t max_reqs;              /* or after this many (0: no limit) */
	size_t sent, ok, bad, inflight;
	size_t bytes;                 /* response bodies */
	uint64_t t0, t1;
	struct lat lat;
};

struct chain {
	struct load *l;
	uint64_t start;
	struct buf body;
};

static void load_next(struct chain *ch);

static void load_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct chain *ch = http_client_req_data(req);
	struct load *l = ch->l;
	uint64_t now = now_ns();
	l->inflight--;
	if (err || resp->status != l->expect) {
		if (l->bad++ < 3)
			fail(l->b, "%s %s: err %d (%s), status %d: %.200s", l->kind == LOAD_CREATE ? "POST" : "GET",
			     l->target, err, resp->error, resp->status, resp->body);
	} else {
		l->ok++;
		l->bytes += resp->body_len;
		lat_add(&l->lat, now - ch->start);
		l->t1 = now;
	}
	if (!err)
		load_next(ch);
}

/* Sends the chain's next request, unless the phase is over. */
static void load_next(struct chain *ch)
{
	struct load *l = ch->l;
	struct http_client_request q = { .on_done = load_done, .data = ch, .timeout_ms = 30000 };
	const struct http_header ct = { "Content-Type", "application/json" };
	char name[96];
	if (now_ns() >= l->end_ns || (l->max_reqs && l->sent >= l->max_reqs) || l->bad > 0)
		return;
	q.target = l->target;
	if (l->kind == LOAD_CREATE) {
		snprintf(name, sizeof(name), "%s-%zu", l->prefix, l->sent);
		configmap_json(&ch->body, name);
		q.method = "POST";
		q.body = ch->body.data;
		q.body_len = ch->body.len;
		q.headers = &ct;
		q.nheaders = 1;
	} else {
		q.method = "GET";
	}
	l->sent++;
	l->inflight++;
	ch->start = now_ns();
	if (http_client_send(l->client, &q, NULL) != 0) {
		l->inflight--;
		l->bad++;
		fail(l->b, "cannot send %s", l->target);
	}
}

/* Runs a load with conns chains for secs seconds (or max_reqs requests). */
static void load_run(struct bench *b, struct load *l, int conns, double secs)
{
	struct chain *ch = xcalloc((size_t)conns, sizeof(*ch));
	l->b = b;
	l->client = bench_client(b, conns);
	l->t0 = l->t1 = now_ns();
	l->end_ns = l->t0 + (uint64_t)(secs * 1e9);
	for (int i = 0; i < conns; i++) {
		ch[i].l = l;
		load_next(&ch[i]);
	}
	while (l->inflight > 0)
		uv_run(&b->loop, UV_RUN_ONCE);
	bench_client_close(b, l->client);
	for (int i = 0; i < conns; i++)
		buf_release(&ch[i].body);
	free(ch);
}

static double load_rate(const struct load *l)
{
	double s = (double)(l->t1 - l->t0) / 1e9;
	return s > 0 ? (double)l->ok / s : 0;
}

/* Runs a load and returns its rate; the caller prints and releases l->lat. */
static double load_phase(struct bench *b, struct load *l, enum load_kind kind, const char *target,
			 const char *prefix, int conns, double secs, size_t max_reqs)
{
	l->kind = kind;
	l->target = target;
	l->prefix = prefix;
	l->expect = kind == LOAD_CREATE ? 201 : 200;
	l->max_reqs = max_reqs;
	load_run(b, l, conns, secs);
	return load_rate(l);
}

/* ---- the raw SQLite baseline ---- */

static int sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int r = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (r != SQLITE_OK)
		fprintf(stderr, "kbench: sqlite: %s: %s\n", sql, msg ? msg : sqlite3_errstr(r));
	sqlite3_free(msg);
	return r == SQLITE_OK ? 0 : -1;
}

/* One INSERT per durable transaction for secs seconds, in a fresh database next to the server's;
 * returns transactions per second (0 on failure) and their latencies in lat. */
static double raw_sqlite(struct bench *b, const char *name, double secs, size_t value_len,
			 struct lat *lat)
{
	char *path = xasprintf("%s/%s", b->dir, name);
	char *value = xmalloc(value_len);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	double rate = 0;
	int64_t n = 0;
	memset(value, 'v', value_len);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sql_exec(db, "PRAGMA auto_vacuum = INCREMENTAL") || sql_exec(db, "PRAGMA journal_mode = WAL") ||
	    sql_exec(db, "PRAGMA synchronous = FULL") ||
	    sql_exec(db, "CREATE TABLE log (rev INTEGER PRIMARY KEY, key TEXT NOT NULL, create_rev "
			 "INTEGER NOT NULL, prev_rev INTEGER NOT NULL, deleted INTEGER NOT NULL, value BLOB);"
			 "CREATE UNIQUE INDEX log_key_rev ON log(key, rev);") ||
	    sqlite3_prepare_v2(db, "INSERT INTO log(rev, key, create_rev, prev_rev, deleted, value) "
				   "VALUES (?1, ?2, ?1, 0, 0, ?3)", -1, &ins, NULL) != SQLITE_OK) {
		fail(b, "raw sqlite setup in %s: %s", path, db ? sqlite3_errmsg(db) : "open failed");
		goto out;
	}
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)(secs * 1e9), t = t0;
	while (t < end) {
		char key[96];
		snprintf(key, sizeof(key), "/registry/configmaps/default/raw-%lld", (long long)n);
		sqlite3_bind_int64(ins, 1, n + 1);
		sqlite3_bind_text(ins, 2, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_blob(ins, 3, value, (int)value_len, SQLITE_STATIC);
		if (sql_exec(db, "BEGIN IMMEDIATE") || sqlite3_step(ins) != SQLITE_DONE ||
		    sqlite3_reset(ins) != SQLITE_OK || sql_exec(db, "COMMIT")) {
			fail(b, "raw sqlite transaction: %s", sqlite3_errmsg(db));
			goto out;
		}
		uint64_t now = now_ns();
		lat_add(lat, now - t);
		t = now;
		n++;
	}
	rate = (double)n / ((double)(t - t0) / 1e9);
out:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	unlink(path);
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	free(path);
	free(value);
	return rate;
}

/* ---- single requests ---- */

struct one {
	int done, err, status;
	struct buf body;
};

static void one_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct one *o = http_client_req_data(req);
	o->done = 1;
	o->err = err;
	o->status = resp->status;
	buf_add(&o->body, resp->body, resp->body_len);
}

/* Sends one request and waits for it. Returns the status (0 on a transport error); the body
 * is in o->body (the caller releases it). */
static int one_request(struct bench *b, struct http_client *c, const char *method, const char *target,
		       const char *body, struct one *o)
{
	const struct http_header ct = { "Content-Type", "application/json" };
	struct http_client_request q = { .method = method, .target = target, .body = body,
					 .body_len = body ? strlen(body) : 0, .headers = &ct,
					 .nheaders = body ? 1 : 0, .timeout_ms = 30000,
					 .on_done = one_done, .data = o };
	memset(o, 0, sizeof(*o));
	if (http_client_send(c, &q, NULL) != 0)
		return 0;
	while (!o->done)
		uv_run(&b->loop, UV_RUN_ONCE);
	return o->err ? 0 : o->status;
}

/* Creates a namespace (201, or 409 if it exists). Returns 0 or -1. */
static int make_namespace(struct bench *b, struct http_client *c, const char *ns)
{
	struct one o;
	char *body = xasprintf("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", ns);
	int st = one_request(b, c, "POST", "/api/v1/namespaces", body, &o);
	if (st != 201 && st != 409)
		fail(b, "creating namespace %s: status %d: %.200s", ns, st, buf_str(&o.body));
	buf_release(&o.body);
	free(body);
	return st == 201 || st == 409 ? 0 : -1;
}

/* The collection's resourceVersion from a LIST, into rv. Returns 0 or -1. */
static int list_rv(struct bench *b, struct http_client *c, const char *target, char *rv, size_t size)
{
	struct one o;
	int st = one_request(b, c, "GET", target, NULL, &o);
	cJSON *j = st == 200 ? json_parse(o.body.data, o.body.len, NULL) : NULL;
	const char *v = j ? json_strv(j, "metadata", "resourceVersion", NULL) : NULL;
	if (v)
		snprintf(rv, size, "%s", v);
	else
		fail(b, "LIST %s: status %d", target, st);
	cJSON_Delete(j);
	buf_release(&o.body);
	return v ? 0 : -1;
}
