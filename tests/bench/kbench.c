/*
 * kbench.c - benchmarks of a running `kube server` through lib/http_client, each figure printed
 * with a baseline measured in the same run (tests/bench/run.sh starts the server and calls this).
 *
 *   kbench port                               prints a free TCP port on 127.0.0.1
 *   kbench wait --port P --tls DIR            waits until /readyz answers 200 (30 s at most)
 *   kbench run  --port P --tls DIR --pid PID --dir DIR [--secs S] [--watchers N] [--events N]
 *               [--phases write,read,patch,watch,sched]   (sched is not run by default)
 *   kbench backlog-fill  --port P --tls DIR --nodes N --pods N           (sched_backlog.sh)
 *   kbench backlog-drain --port P --tls DIR --nodes N --pods N --pid PID
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
 *   6. writes of a Deployment (two containers, ~3 KB of JSON) with 1 and with 4 connections,
 *      each connection on its own Deployment, each write changing it (the server skips a write
 *      that changes nothing): PUT of the whole object (read once, no resourceVersion: an
 *      unconditional update) with a new image, the baseline, run before and after the others
 *      (mean of both); PATCH with a strategic merge patch of the image (kubectl set image), a
 *      merge patch of spec.replicas, a JSON patch of an annotation; server-side apply
 *      (fieldManager=kbench, force) of the whole manifest with a new image. Each answer must
 *      carry the change and a new resourceVersion;
 *   7. watch delivery with 1 and with N watchers, each on its own TLS connection, on one
 *      namespace from its current resourceVersion: objects are created one at a time, and for
 *      each the time from just before its POST is sent to the arrival of its event at every
 *      watcher is recorded; the baseline is the POST's own latency in the same phase. The next
 *      create waits until every watcher has the event and the POST has its answer.
 *   8. (sched, only when asked for) the scheduler: 100 nodes then 1000 nodes made through the
 *      API (allocatable 32 cpu, 128 GiB, 110 pods; Ready; a Lease each), 1000 then 10000 pods
 *      (100m cpu, 64 MiB) created over 16 connections while the scheduler places them, counted
 *      through a watch of their namespace as they get spec.nodeName: the throughput is the pods
 *      over the time from the first create to the last pod seen bound. The baseline is the API's
 *      own bind-write rate in the same round: as many pods for a scheduler that does not run,
 *      bound by kbench (POST pods/NAME/binding) over 16 connections. Then the server's RSS at
 *      1000 nodes / 10000 pods and the time for a 1000-replica Deployment to have every pod
 *      bound. The server must run with a --node-monitor-grace-period longer than the phase, so
 *      that the nodes' Leases (never renewed) do not go stale.
 *   9. (backlog-fill, backlog-drain: tests/bench/sched_backlog.sh) the scheduler on a backlog:
 *      backlog-fill makes the nodes and pods of a round on a server run with --disable-scheduler;
 *      the script restarts it with the scheduler; backlog-drain, started right after, polls
 *      /readyz every 10 ms, then watches the pods from resourceVersion "" (every pod as ADDED,
 *      then the bindings as MODIFIED) until all have spec.nodeName. The figure is the pods over
 *      the time from the server's process start (/proc/PID/stat) to the last binding seen, also
 *      from the API's first answer; the baseline is the bind-write rate as in 8, in the same run.
 *
 * Every request must succeed with the expected status: anything else is a failure, reported,
 * and makes the exit status 1. Slow figures never do. With KBENCH_DEBUG set in the environment,
 * each load phase also prints its client's connection counters (connects, reuse) to stderr.
 */
#include "lib/buf.h"
#include "lib/hmap.h"
#include "lib/http_client.h"
#include "lib/json.h"
#include "lib/util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
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
	const char *phases;           /* comma-separated: write, read, patch, watch */
	double loop_ms_1;             /* server loop CPU per event with one watcher */
	double bind_rate;             /* sched: the API's bind-write rate of the last round */
	int nodes, pods;              /* backlog-fill, backlog-drain */
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

static void table_head(void)
{
	printf("%-34s %-24s %-30s %7s  %s\n", "figure", "value", "baseline (same run)", "ratio", "budget");
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

/* CPU time used so far by the server's main thread (its event loop), in nanoseconds, from
 * /proc/PID/schedstat; 0 when unknown. */
static uint64_t server_loop_cpu_ns(const struct bench *b)
{
	char path[64];
	unsigned long long ns = 0;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", b->pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

/* CPU time used so far by the whole server process (every thread), in nanoseconds, from
 * /proc/PID/stat (clock ticks: 10 ms resolution); 0 when unknown. */
static uint64_t server_proc_cpu_ns(const struct bench *b)
{
	char path[64], line[1024];
	unsigned long long ut = 0, st = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", b->pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	fclose(f);
	/* After "pid (comm)": state is field 3; utime and stime are fields 14 and 15. */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return (ut + st) * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
}

/* CPU time used so far by this process, in nanoseconds. */
static uint64_t self_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
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

/* LOAD_CUSTOM: the make hook builds each request, the check hook checks each answer. */
enum load_kind { LOAD_CREATE, LOAD_GET, LOAD_CUSTOM };

struct chain;

struct load {
	struct bench *b;
	struct http_client *client;
	enum load_kind kind;
	const char *what;             /* for messages: "GET", "POST", "PATCH (merge)", ... */
	const char *target;           /* GET: the URL; CREATE: the collection; CUSTOM: for messages */
	const char *prefix;           /* CREATE: object names are prefix-N */
	int expect;                   /* expected status (0: any 2xx) */
	/* CUSTOM: fills q's method, target, headers and body (kept in the chain); checks an answer
	 * with the expected status: 0, or -1 with what is wrong in why. */
	void (*make)(struct chain *ch, struct http_client_request *q);
	int (*check)(struct chain *ch, const struct http_client_response *resp, struct buf *why);
	void *arg;                    /* for the hooks */
	uint64_t end_ns;              /* no new request after this */
	size_t max_reqs;              /* or after this many (0: no limit) */
	size_t sent, ok, bad, inflight;
	size_t bytes;                 /* response bodies */
	uint64_t t0, t1;
	uint64_t loop_cpu, proc_cpu;  /* server CPU used during the phase (ns) */
	struct lat lat;
};

struct chain {
	struct load *l;
	int i;                        /* its index among the load's chains */
	uint64_t start;
	struct buf body;
	char target[256];             /* CUSTOM: the request's target */
	struct http_header hdr;       /* CUSTOM: the request's Content-Type */
};

static void load_next(struct chain *ch);

static void load_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct chain *ch = http_client_req_data(req);
	struct load *l = ch->l;
	struct buf why = BUF_INIT;
	uint64_t now = now_ns();
	l->inflight--;
	int status_ok = l->expect ? resp->status == l->expect : resp->status / 100 == 2;
	if (err || !status_ok || (l->check && l->check(ch, resp, &why) < 0)) {
		if (l->bad++ < 3)
			fail(l->b, "%s %s: err %d (%s), status %d: %s%.200s", l->what, l->target, err,
			     resp->error, resp->status, buf_str(&why), why.len ? "" : resp->body);
	} else {
		l->ok++;
		l->bytes += resp->body_len;
		lat_add(&l->lat, now - ch->start);
		l->t1 = now;
	}
	buf_release(&why);
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
	} else if (l->kind == LOAD_CUSTOM) {
		l->make(ch, &q);
	} else {
		q.method = "GET";
	}
	l->sent++;
	l->inflight++;
	ch->start = now_ns();
	if (http_client_send(l->client, &q, NULL) != 0) {
		l->inflight--;
		l->bad++;
		fail(l->b, "cannot send %s %s", l->what, l->target);
	}
}

/* Runs a load with conns chains for secs seconds (or max_reqs requests). */
static void load_run(struct bench *b, struct load *l, int conns, double secs)
{
	struct chain *ch = xcalloc((size_t)conns, sizeof(*ch));
	l->b = b;
	l->client = bench_client(b, conns);
	l->loop_cpu = server_loop_cpu_ns(b);
	l->proc_cpu = server_proc_cpu_ns(b);
	l->t0 = l->t1 = now_ns();
	l->end_ns = l->t0 + (uint64_t)(secs * 1e9);
	for (int i = 0; i < conns; i++) {
		ch[i].l = l;
		ch[i].i = i;
		load_next(&ch[i]);
	}
	while (l->inflight > 0)
		uv_run(&b->loop, UV_RUN_ONCE);
	l->loop_cpu = server_loop_cpu_ns(b) - l->loop_cpu;
	l->proc_cpu = server_proc_cpu_ns(b) - l->proc_cpu;
	if (getenv("KBENCH_DEBUG")) {
		struct http_client_stats st;
		http_client_stats(l->client, &st);
		fprintf(stderr, "debug %s %s: connects %llu resumed %llu requests %llu reused %llu\n", l->what, l->target,
			(unsigned long long)st.connects, (unsigned long long)st.resumed,
			(unsigned long long)st.requests, (unsigned long long)st.reused);
	}
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
	l->what = kind == LOAD_CREATE ? "POST" : "GET";
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

/* Sends one request (a body of type ctype) and waits for it. Returns the status (0 on a
 * transport error); the body is in o->body (the caller releases it). */
static int one_request_ct(struct bench *b, struct http_client *c, const char *method,
			  const char *target, const char *ctype, const char *body, struct one *o)
{
	const struct http_header ct = { "Content-Type", ctype };
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

/* one_request_ct with a JSON body, or none. */
static int one_request(struct bench *b, struct http_client *c, const char *method, const char *target,
		       const char *body, struct one *o)
{
	return one_request_ct(b, c, method, target, "application/json", body, o);
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

/* ---- watch delivery ---- */

struct wphase;

struct watcher {
	struct wphase *w;
	struct http_client_req *req;
	int last_ev;                  /* the last event it received, -1 for none */
	int ended;
};

struct wphase {
	struct bench *b;
	struct http_client *wc;       /* the watchers' client: one connection each */
	struct http_client *writer;   /* the creates' client */
	struct watcher *ws;
	int n, opened, heads, ended, stopping;
	int events, warm;             /* events to create, of which the first warm are not measured */
	char target[256];             /* the watch URL */
	int ev, received, create_done, finished;
	char needle[96];              /* "name":"<the current object>" */
	uint64_t t_send, t_first;
	uint64_t srv_cpu0, self_cpu0;    /* CPU times when the measured events began */
	struct lat lat, create_lat, spread;
	size_t unexpected;
	uv_timer_t timer;             /* the current event's deadline */
	struct buf body;
};

static void wp_open_more(struct wphase *w);
static void wp_next_event(struct wphase *w);

static void wp_head(struct http_client_req *req, const struct http_client_response *resp)
{
	struct watcher *x = http_client_req_data(req);
	struct wphase *w = x->w;
	if (resp->status != 200)
		fail(w->b, "watch: status %d", resp->status);
	w->heads++;
	wp_open_more(w);
}

static void wp_data(struct http_client_req *req, const char *data, size_t len)
{
	struct watcher *x = http_client_req_data(req);
	struct wphase *w = x->w;
	uint64_t now = now_ns();
	if (w->finished || x->last_ev == w->ev || !memmem(data, len, w->needle, strlen(w->needle))) {
		w->unexpected++;
		return;
	}
	x->last_ev = w->ev;
	if (w->received++ == 0)
		w->t_first = now;
	if (w->ev >= w->warm) {
		lat_add(&w->lat, now - w->t_send);
		lat_add(&w->spread, now - w->t_first);
	}
	if (w->received == w->n && w->create_done)
		wp_next_event(w);
}

static void wp_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct watcher *x = http_client_req_data(req);
	struct wphase *w = x->w;
	x->ended = 1;
	x->req = NULL;
	w->ended++;
	if (!w->stopping)
		fail(w->b, "a watch ended early: err %d (%s), status %d", err, resp->error, resp->status);
}

/* Keeps KB_OPENING watch connections being opened until n are open. */
static void wp_open_more(struct wphase *w)
{
	while (w->opened < w->n && w->opened - w->heads < KB_OPENING && !w->stopping) {
		struct watcher *x = &w->ws[w->opened++];
		struct http_client_request q = { .method = "GET", .target = w->target, .on_head = wp_head,
						 .on_data = wp_data, .on_done = wp_done, .data = x };
		x->w = w;
		x->last_ev = -1;
		if (http_client_send(w->wc, &q, &x->req) != 0) {
			fail(w->b, "cannot open a watch");
			x->ended = 1;
			w->ended++;
		}
	}
}

static void wp_create_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct wphase *w = http_client_req_data(req);
	uint64_t now = now_ns();
	if (err || resp->status != 201) {
		fail(w->b, "watch phase create: err %d (%s), status %d", err, resp->error, resp->status);
		w->finished = 1;
		return;
	}
	if (w->ev >= w->warm)
		lat_add(&w->create_lat, now - w->t_send);
	w->create_done = 1;
	if (w->received == w->n)
		wp_next_event(w);
}

static void wp_timeout(uv_timer_t *t)
{
	struct wphase *w = t->data;
	fail(w->b, "event %d: %d of %d watchers received it within %d ms (create answered: %s)", w->ev,
	     w->received, w->n, KB_EVENT_TIMEOUT_MS, w->create_done ? "yes" : "no");
	w->finished = 1;
}

/* Creates the next object (or finishes after the last one). */
static void wp_next_event(struct wphase *w)
{
	const struct http_header ct = { "Content-Type", "application/json" };
	char name[64], target[128];
	if (w->ev + 1 >= w->events + w->warm) {
		w->srv_cpu0 = server_loop_cpu_ns(w->b) - w->srv_cpu0;
		w->self_cpu0 = self_cpu_ns() - w->self_cpu0;
		uv_timer_stop(&w->timer);
		w->finished = 1;
		return;
	}
	w->ev++;
	if (w->ev == w->warm) {
		w->srv_cpu0 = server_loop_cpu_ns(w->b);
		w->self_cpu0 = self_cpu_ns();
	}
	snprintf(name, sizeof(name), "ev-%d-%d", w->n, w->ev);
	snprintf(w->needle, sizeof(w->needle), "\"name\":\"%s\"", name);
	snprintf(target, sizeof(target), "/api/v1/namespaces/kbench-watch-%d/configmaps", w->n);
	configmap_json(&w->body, name);
	w->received = 0;
	w->create_done = 0;
	struct http_client_request q = { .method = "POST", .target = target, .body = w->body.data,
					 .body_len = w->body.len, .headers = &ct, .nheaders = 1,
					 .timeout_ms = 30000, .on_done = wp_create_done, .data = w };
	uv_timer_start(&w->timer, wp_timeout, KB_EVENT_TIMEOUT_MS, 0);
	w->t_send = now_ns();
	if (http_client_send(w->writer, &q, NULL) != 0) {
		fail(w->b, "cannot send a create");
		w->finished = 1;
	}
}

/* Opens the watchers and waits (60 s at most) until each has its response head. */
static int wp_open(struct wphase *w)
{
	struct bench *b = w->b;
	char ns[64], list[128], rv[32];
	snprintf(ns, sizeof(ns), "kbench-watch-%d", w->n);
	snprintf(list, sizeof(list), "/api/v1/namespaces/%s/configmaps", ns);
	if (make_namespace(b, w->writer, ns) || list_rv(b, w->writer, list, rv, sizeof(rv)))
		return -1;
	snprintf(w->target, sizeof(w->target), "%s?watch=1&resourceVersion=%s", list, rv);
	uint64_t deadline = now_ns() + 60000000000ull;
	wp_open_more(w);
	while (w->heads < w->n && w->ended == 0 && now_ns() < deadline)
		uv_run(&b->loop, UV_RUN_ONCE);
	if (w->heads < w->n) {
		fail(b, "only %d of %d watches opened", w->heads, w->n);
		return -1;
	}
	return 0;
}

/* Cancels the watchers still open and closes both clients. */
static void wp_close(struct wphase *w)
{
	w->stopping = 1;
	for (int i = 0; i < w->opened; i++)
		if (!w->ws[i].ended && w->ws[i].req)
			http_client_cancel(w->ws[i].req);
	while (w->ended < w->opened)
		uv_run(&w->b->loop, UV_RUN_ONCE);
	bench_client_close(w->b, w->wc);
	bench_client_close(w->b, w->writer);
	uv_close((uv_handle_t *)&w->timer, NULL);
	uv_run(&w->b->loop, UV_RUN_NOWAIT);
}

/* One watch phase with n watchers; prints its rows. */
static void watch_phase(struct bench *b, int n, int events, long idle_kib)
{
	struct wphase w;
	char fig[64], v[64], base[64];
	memset(&w, 0, sizeof(w));
	w.b = b;
	w.n = n;
	w.events = events;
	w.warm = 5;
	w.ev = -1;
	w.ws = xcalloc((size_t)n, sizeof(*w.ws));
	w.wc = bench_client(b, 0);
	w.writer = bench_client(b, 1);
	uv_timer_init(&b->loop, &w.timer);
	w.timer.data = &w;
	if (wp_open(&w) == 0) {
		w.received = w.n;
		w.create_done = 1;
		wp_next_event(&w);
		while (!w.finished)
			uv_run(&b->loop, UV_RUN_ONCE);
		if (w.unexpected)
			fail(b, "%zu unexpected or duplicate watch events", w.unexpected);
		snprintf(fig, sizeof(fig), "watch, %d watcher%s: p50 / p99", n, n > 1 ? "s" : "");
		snprintf(v, sizeof(v), "%.2f / %.2f ms", lat_pct(&w.lat, 50), lat_pct(&w.lat, 99));
		snprintf(base, sizeof(base), "create %.2f / %.2f ms", lat_pct(&w.create_lat, 50),
			 lat_pct(&w.create_lat, 99));
		row(fig, v, base, lat_pct(&w.lat, 99) / lat_pct(&w.create_lat, 99),
		    n < 1000 ? NULL : lat_pct(&w.lat, 99) <= 5 ? "p99 <= 5 ms: ok" : "p99 <= 5 ms: MISSED");
		snprintf(fig, sizeof(fig), "  fan-out (first -> each)");
		snprintf(v, sizeof(v), "%.2f / %.2f ms", lat_pct(&w.spread, 50), lat_pct(&w.spread, 99));
		snprintf(base, sizeof(base), "%zu watcher-events", w.lat.n);
		row(fig, v, base, -1, NULL);
		/* The server loop's CPU per event; beyond one watcher, per additional watcher. */
		double loop_ms = (double)w.srv_cpu0 / 1e6 / events;
		snprintf(fig, sizeof(fig), "  server loop CPU per event");
		if (n == 1) {
			b->loop_ms_1 = loop_ms;
			snprintf(v, sizeof(v), "%.2f ms", loop_ms);
		} else {
			snprintf(v, sizeof(v), "%.2f ms (+%.1f us/watcher)", loop_ms,
				 (loop_ms - b->loop_ms_1) * 1e3 / (n - 1));
		}
		snprintf(base, sizeof(base), "kbench CPU %.2f ms", (double)w.self_cpu0 / 1e6 / events);
		row(fig, v, base, (double)w.srv_cpu0 / (double)w.self_cpu0, NULL);
		if (idle_kib > 0) {
			snprintf(fig, sizeof(fig), "server RSS, %d watches open", n);
			rss_row(b, fig, idle_kib, NULL);
		}
	}
	wp_close(&w);
	lat_release(&w.lat);
	lat_release(&w.create_lat);
	lat_release(&w.spread);
	buf_release(&w.body);
	free(w.ws);
}

/* ---- the phases ---- */

static void warm_up(struct bench *b)
{
	struct load l;
	memset(&l, 0, sizeof(l));
	load_phase(b, &l, LOAD_GET, "/healthz", NULL, 4, 10, 400);
	lat_release(&l.lat);
	memset(&l, 0, sizeof(l));
	load_phase(b, &l, LOAD_CREATE, "/api/v1/namespaces/default/configmaps", "warm", 4, 10, 100);
	lat_release(&l.lat);
}

/* Prints the server's CPU time per request of a load phase. */
static void cpu_row(const struct load *l)
{
	char v[64];
	if (!l->ok)
		return;
	snprintf(v, sizeof(v), "%.0f us (loop %.0f us)", (double)l->proc_cpu / 1e3 / (double)l->ok,
		 (double)l->loop_cpu / 1e3 / (double)l->ok);
	row("  server CPU per request", v, "", -1, NULL);
}

/* Prints a throughput row and its latency row. */
static void rate_rows(const char *figure, double rate, const char *base, double base_rate,
		      struct lat *lat, struct lat *base_lat, const char *budget)
{
	char v[64], bs[64], fig[64];
	snprintf(v, sizeof(v), "%.0f /s", rate);
	snprintf(bs, sizeof(bs), "%s %.0f /s", base, base_rate);
	row(figure, v, bs, base_rate > 0 ? rate / base_rate : -1, budget);
	snprintf(fig, sizeof(fig), "  latency p50 / p99");
	snprintf(v, sizeof(v), "%.2f / %.2f ms", lat_pct(lat, 50), lat_pct(lat, 99));
	snprintf(bs, sizeof(bs), "%.2f / %.2f ms", lat_pct(base_lat, 50), lat_pct(base_lat, 99));
	row(fig, v, bs, lat_pct(base_lat, 99) > 0 ? lat_pct(lat, 99) / lat_pct(base_lat, 99) : -1, NULL);
}

static void write_phases(struct bench *b, long idle_kib)
{
	struct load c1, c16;
	struct lat raw = { 0 };
	char base[64];
	memset(&c1, 0, sizeof(c1));
	memset(&c16, 0, sizeof(c16));
	double ra = raw_sqlite(b, "raw-a.db", b->secs, 420, &raw);
	double r1 = load_phase(b, &c1, LOAD_CREATE, "/api/v1/namespaces/default/configmaps", "c1", 1,
			       b->secs, 0);
	double r16 = load_phase(b, &c16, LOAD_CREATE, "/api/v1/namespaces/default/configmaps", "c16", 16,
				b->secs, 0);
	double rb = raw_sqlite(b, "raw-b.db", b->secs, 420, &raw);
	double rr = (ra + rb) / 2;
	snprintf(base, sizeof(base), "%.0f + %.0f /s", ra, rb);
	row("raw SQLite durable tx (baseline)", base, "mean of before + after", -1, NULL);
	rate_rows("create ConfigMap, 1 conn", r1, "raw", rr, &c1.lat, &raw,
		  r1 >= rr / 2 ? ">= 0.5: ok" : ">= 0.5: MISSED");
	cpu_row(&c1);
	rate_rows("create ConfigMap, 16 conns", r16, "raw", rr, &c16.lat, &raw,
		  r16 >= rr / 2 ? ">= 0.5: ok" : ">= 0.5: MISSED");
	cpu_row(&c16);
	snprintf(base, sizeof(base), "server RSS, %zu more objects", c1.ok + c16.ok);
	rss_row(b, base, idle_kib, NULL);
	lat_release(&raw);
	lat_release(&c1.lat);
	lat_release(&c16.lat);
}

static void read_phases(struct bench *b)
{
	struct load h, g, l, fill;
	struct http_client *c = bench_client(b, 1);
	memset(&fill, 0, sizeof(fill));
	if (make_namespace(b, c, "kbench-list") == 0)
		load_phase(b, &fill, LOAD_CREATE, "/api/v1/namespaces/kbench-list/configmaps", "item", 16,
			   60, KB_LIST_OBJECTS);
	bench_client_close(b, c);
	lat_release(&fill.lat);
	memset(&h, 0, sizeof(h));
	memset(&g, 0, sizeof(g));
	memset(&l, 0, sizeof(l));
	double rh = load_phase(b, &h, LOAD_GET, "/healthz", NULL, KB_READ_CONNS, b->secs, 0);
	double rg = load_phase(b, &g, LOAD_GET, "/api/v1/namespaces/kbench-list/configmaps/item-0", NULL,
			       KB_READ_CONNS, b->secs, 0);
	double rl = load_phase(b, &l, LOAD_GET, "/api/v1/namespaces/kbench-list/configmaps", NULL,
			       KB_READ_CONNS, b->secs, 0);
	char v[64], lat[64];
	snprintf(v, sizeof(v), "%.0f /s", rh);
	snprintf(lat, sizeof(lat), "p50 / p99 %.2f / %.2f ms", lat_pct(&h.lat, 50), lat_pct(&h.lat, 99));
	row("GET /healthz, 4 conns (baseline)", v, lat, -1, NULL);
	cpu_row(&h);
	rate_rows("GET one ConfigMap, 4 conns", rg, "healthz", rh, &g.lat, &h.lat, NULL);
	cpu_row(&g);
	rate_rows("LIST 1000 ConfigMaps, 4 conns", rl, "healthz", rh, &l.lat, &h.lat, NULL);
	cpu_row(&l);
	if (l.ok) {
		snprintf(v, sizeof(v), "%.0f objects/s", rl * KB_LIST_OBJECTS);
		row("  objects listed", v, "", -1, NULL);
		snprintf(v, sizeof(v), "%.1f MiB/s", rl * (double)l.bytes / (double)l.ok / 1048576.0);
		row("  list bytes", v, "", -1, NULL);
	}
	lat_release(&h.lat);
	lat_release(&g.lat);
	lat_release(&l.lat);
}

/* ---- patch throughput ---- */

#define KB_PATCH_NS "kbench-patch"
#define KB_PATCH_OBJECTS 4        /* Deployments: one per connection of the widest load */
#define KB_PATCH_URL "/apis/apps/v1/namespaces/" KB_PATCH_NS "/deployments"
#define KB_IMAGE "registry.example/kbench/web:1."   /* + the write's sequence number */
#define KB_IMAGE_MARK "@KBENCH-IMAGE@"

enum patch_kind { PK_PUT, PK_SMP, PK_MERGE, PK_JSON, PK_APPLY, PK_N };

static const struct patch_def {
	const char *figure;           /* the row's name, before ", N conns" */
	const char *what;             /* for messages */
	const char *method, *content_type, *query;
} patch_defs[PK_N] = {
	[PK_PUT] = { "PUT Deployment", "PUT", "PUT", "application/json", "" },
	[PK_SMP] = { "PATCH strategic (image)", "PATCH (strategic merge)", "PATCH",
		     "application/strategic-merge-patch+json", "" },
	[PK_MERGE] = { "PATCH merge (replicas)", "PATCH (merge)", "PATCH", "application/merge-patch+json", "" },
	[PK_JSON] = { "PATCH JSON (annotation)", "PATCH (JSON patch)", "PATCH", "application/json-patch+json", "" },
	[PK_APPLY] = { "apply, force (image)", "PATCH (apply)", "PATCH", "application/apply-patch+yaml",
		       "?fieldManager=kbench&force=true" },
};

/* One Deployment of the patch phases; only one chain works on it at a time. */
struct ptarget {
	char name[32];
	int seq;                      /* writes sent so far: the last image tag and annotation */
	int replicas;                 /* spec.replicas as last written */
	int want_replicas;            /* spec.replicas the write in flight sets */
	char rv[32];                  /* resourceVersion of the last answer */
	char *put_head, *put_tail;    /* PUT: the object as read, without its resourceVersion,
					 split around the first container's image (owned) */
};

struct pbench {
	struct bench *b;
	enum patch_kind kind;         /* of the load running */
	size_t sent_len, stored_len;  /* the manifest's size, the object's as read back */
	struct ptarget t[KB_PATCH_OBJECTS];
};

/* A Deployment as a user would write it: two containers with args, env, ports, resources,
 * probes and mounts (~3 KB of JSON), into out (reset first). image is the first container's.
 * The annotation kbench/seq is what the JSON patches replace. */
static void deployment_json(struct buf *out, const char *name, const char *image)
{
	buf_reset(out);
	buf_addf(out,
		 "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"%s\","
		 "\"labels\":{\"app.kubernetes.io/name\":\"web\",\"app.kubernetes.io/part-of\":\"kbench\","
		 "\"tier\":\"frontend\"},\"annotations\":{\"kbench/seq\":\"0\",\"team\":\"platform\"}},"
		 "\"spec\":{\"replicas\":2,\"revisionHistoryLimit\":5,\"progressDeadlineSeconds\":300,"
		 "\"selector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"web\",\"tier\":\"frontend\"}},"
		 "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"25%%\","
		 "\"maxUnavailable\":0}},"
		 "\"template\":{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"web\",\"tier\":\"frontend\"},"
		 "\"annotations\":{\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"9090\"}},"
		 "\"spec\":{\"terminationGracePeriodSeconds\":45,"
		 "\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":10001,\"fsGroup\":10001},"
		 "\"containers\":[{\"name\":\"web\",\"image\":\"%s\",\"imagePullPolicy\":\"IfNotPresent\","
		 "\"args\":[\"--listen=:8080\",\"--metrics=:9090\",\"--config=/etc/web/config.yaml\"],"
		 "\"ports\":[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"},"
		 "{\"name\":\"metrics\",\"containerPort\":9090,\"protocol\":\"TCP\"}],"
		 "\"env\":[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"},{\"name\":\"CACHE_SIZE_MB\",\"value\":\"256\"},"
		 "{\"name\":\"UPSTREAM_URL\",\"value\":\"http://api.backend.svc.cluster.local:8080\"},"
		 "{\"name\":\"POD_NAME\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}},"
		 "{\"name\":\"POD_IP\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"status.podIP\"}}},"
		 "{\"name\":\"MEMORY_LIMIT\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.memory\"}}}],"
		 "\"resources\":{\"requests\":{\"cpu\":\"250m\",\"memory\":\"256Mi\"},"
		 "\"limits\":{\"cpu\":\"1\",\"memory\":\"512Mi\"}},"
		 "\"readinessProbe\":{\"httpGet\":{\"path\":\"/readyz\",\"port\":\"http\"},\"initialDelaySeconds\":5,"
		 "\"periodSeconds\":5,\"failureThreshold\":3},"
		 "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":\"http\"},\"initialDelaySeconds\":15,"
		 "\"periodSeconds\":10,\"timeoutSeconds\":2},"
		 "\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/web\",\"readOnly\":true},"
		 "{\"name\":\"cache\",\"mountPath\":\"/var/cache/web\"},{\"name\":\"logs\",\"mountPath\":\"/var/log/web\"}]},"
		 "{\"name\":\"sidecar\",\"image\":\"registry.example/kbench/log-shipper:2.4.1\","
		 "\"args\":[\"--input=/var/log/web\",\"--output=http://logs.observability.svc:9880\"],"
		 "\"ports\":[{\"name\":\"ship-metrics\",\"containerPort\":2020,\"protocol\":\"TCP\"}],"
		 "\"env\":[{\"name\":\"SHIPPER_BUFFER\",\"value\":\"64MB\"},"
		 "{\"name\":\"NODE_NAME\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"spec.nodeName\"}}}],"
		 "\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"64Mi\"},"
		 "\"limits\":{\"cpu\":\"200m\",\"memory\":\"128Mi\"}},"
		 "\"readinessProbe\":{\"tcpSocket\":{\"port\":2020},\"periodSeconds\":10},"
		 "\"livenessProbe\":{\"exec\":{\"command\":[\"/bin/shipper\",\"health\"]},\"periodSeconds\":30},"
		 "\"volumeMounts\":[{\"name\":\"logs\",\"mountPath\":\"/var/log/web\",\"readOnly\":true}]}],"
		 "\"volumes\":[{\"name\":\"config\",\"configMap\":{\"name\":\"web-config\"}},"
		 "{\"name\":\"cache\",\"emptyDir\":{\"sizeLimit\":\"1Gi\"}},{\"name\":\"logs\",\"emptyDir\":{}}]}}}}",
		 name, image);
}

/* The first "resourceVersion" of a JSON body (the object's own) into rv; "" when none. */
static void body_rv(const char *body, size_t len, char *rv, size_t size)
{
	static const char key[] = "\"resourceVersion\":\"";
	const char *p = memmem(body, len, key, sizeof(key) - 1), *e;
	rv[0] = 0;
	if (!p)
		return;
	p += sizeof(key) - 1;
	e = memchr(p, '"', len - (size_t)(p - body));
	if (e && (size_t)(e - p) < size)
		snprintf(rv, size, "%.*s", (int)(e - p), p);
}

/* The load's make hook: the next write of the chain's Deployment, changing it (a new image tag,
 * the other replica count, a new annotation value). */
static void patch_make(struct chain *ch, struct http_client_request *q)
{
	struct pbench *p = ch->l->arg;
	struct ptarget *t = &p->t[ch->i];
	const struct patch_def *d = &patch_defs[p->kind];
	char image[96];
	int s = ++t->seq;
	snprintf(image, sizeof(image), KB_IMAGE "%d", s);
	buf_reset(&ch->body);
	switch (p->kind) {
	case PK_PUT:
		buf_adds(&ch->body, t->put_head);
		buf_adds(&ch->body, image);
		buf_adds(&ch->body, t->put_tail);
		break;
	case PK_SMP: /* what `kubectl set image deployment/NAME web=IMAGE` sends */
		buf_addf(&ch->body, "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":"
				    "[{\"name\":\"web\"},{\"name\":\"sidecar\"}],\"containers\":"
				    "[{\"image\":\"%s\",\"name\":\"web\"}]}}}}", image);
		break;
	case PK_MERGE:
		t->want_replicas = t->replicas == 2 ? 3 : 2;
		buf_addf(&ch->body, "{\"spec\":{\"replicas\":%d}}", t->want_replicas);
		break;
	case PK_JSON:
		buf_addf(&ch->body, "[{\"op\":\"replace\",\"path\":\"/metadata/annotations/kbench~1seq\","
				    "\"value\":\"%d\"}]", s);
		break;
	case PK_APPLY: /* what `kubectl apply --server-side --force-conflicts` sends, as JSON */
		deployment_json(&ch->body, t->name, image);
		t->want_replicas = 2;
		break;
	case PK_N:
		abort();
	}
	snprintf(ch->target, sizeof(ch->target), KB_PATCH_URL "/%s%s", t->name, d->query);
	ch->hdr.name = "Content-Type";
	ch->hdr.value = d->content_type;
	q->method = d->method;
	q->target = ch->target;
	q->headers = &ch->hdr;
	q->nheaders = 1;
	q->body = ch->body.data;
	q->body_len = ch->body.len;
}

/* The load's check hook: the answer must carry the change and a new resourceVersion (the
 * server skips a write that changes nothing, without touching the disk). */
static int patch_check(struct chain *ch, const struct http_client_response *resp, struct buf *why)
{
	struct pbench *p = ch->l->arg;
	struct ptarget *t = &p->t[ch->i];
	char want[128], rv[32];
	const char *at = NULL;
	if (p->kind == PK_MERGE)
		snprintf(want, sizeof(want), "\"replicas\":%d", t->want_replicas);
	else if (p->kind == PK_JSON)
		snprintf(want, sizeof(want), "\"kbench/seq\":\"%d\"", t->seq);
	else
		snprintf(want, sizeof(want), "\"image\":\"" KB_IMAGE "%d\"", t->seq);
	at = memmem(resp->body, resp->body_len, want, strlen(want));
	if (!at || (p->kind == PK_MERGE && at[strlen(want)] != ',' && at[strlen(want)] != '}')) {
		buf_addf(why, "the answer lacks %s", want);
		return -1;
	}
	body_rv(resp->body, resp->body_len, rv, sizeof(rv));
	if (!*rv || !strcmp(rv, t->rv)) {
		buf_addf(why, "the resourceVersion did not change (%s -> %s): the write was skipped", t->rv,
			 rv);
		return -1;
	}
	snprintf(t->rv, sizeof(t->rv), "%s", rv);
	if (p->kind == PK_MERGE || p->kind == PK_APPLY)
		t->replicas = t->want_replicas;
	return 0;
}

/* Creates the Deployments by server-side apply (fieldManager=kbench), as `kubectl apply
 * --server-side` does. Then every write below meets the same kind of object: its managedFields
 * hold an Apply entry and, from the first write on, an Update entry. (Created with POST, an
 * object would gain its Apply entry only in the apply load, and grow from 7.4 to 10.3 KB: the
 * PUTs after that load would write a bigger object than the PUTs before it.) Returns 0 or -1. */
static int patch_create(struct pbench *p, struct http_client *c)
{
	struct buf body = BUF_INIT;
	struct one o;
	char target[160];
	int r = 0;
	for (int i = 0; i < KB_PATCH_OBJECTS && r == 0; i++) {
		struct ptarget *t = &p->t[i];
		snprintf(t->name, sizeof(t->name), "web-%d", i);
		snprintf(target, sizeof(target), KB_PATCH_URL "/%s%s", t->name, patch_defs[PK_APPLY].query);
		deployment_json(&body, t->name, KB_IMAGE "0");
		p->sent_len = body.len;
		int st = one_request_ct(p->b, c, "PATCH", target, patch_defs[PK_APPLY].content_type, body.data, &o);
		body_rv(o.body.data ? o.body.data : "", o.body.len, t->rv, sizeof(t->rv));
		t->replicas = 2;
		if (st != 201 || !*t->rv) {
			fail(p->b, "creating Deployment %s: status %d: %.300s", t->name, st, buf_str(&o.body));
			r = -1;
		}
		buf_release(&o.body);
	}
	buf_release(&body);
	return r;
}

/* Reads the first n Deployments for a PUT load: each PUT sends the object as read, without
 * its resourceVersion (an unconditional update), with a new image. Returns 0 or -1. */
static int patch_read(struct pbench *p, struct http_client *c, int n)
{
	char target[128];
	int r = 0;
	for (int i = 0; i < n && r == 0; i++) {
		struct ptarget *t = &p->t[i];
		struct one o;
		snprintf(target, sizeof(target), KB_PATCH_URL "/%s", t->name);
		int st = one_request(p->b, c, "GET", target, NULL, &o);
		cJSON *j = st == 200 ? json_parse(o.body.data, o.body.len, NULL) : NULL;
		cJSON *ctr = cJSON_GetArrayItem(json_getv(j, "spec", "template", "spec", "containers", NULL), 0);
		char *s = NULL, *mark = NULL;
		if (ctr) {
			p->stored_len = o.body.len;
			json_del(json_obj(j, "metadata"), "resourceVersion");
			json_set_str(ctr, "image", KB_IMAGE_MARK);
			s = json_print_str(j);
			mark = strstr(s, KB_IMAGE_MARK);
		}
		if (mark) {
			free(t->put_head);
			free(t->put_tail);
			t->put_head = xstrndup(s, (size_t)(mark - s));
			t->put_tail = xstrdup(mark + strlen(KB_IMAGE_MARK));
		} else {
			fail(p->b, "GET %s: status %d: %.200s", target, st, buf_str(&o.body));
			r = -1;
		}
		free(s);
		cJSON_Delete(j);
		buf_release(&o.body);
	}
	return r;
}

/* Runs one write load of the given kind on conns connections, chain i on Deployment i. */
static double patch_load(struct pbench *p, struct load *l, enum patch_kind kind, int conns)
{
	memset(l, 0, sizeof(*l));
	p->kind = kind;
	l->kind = LOAD_CUSTOM;
	l->what = patch_defs[kind].what;
	l->target = KB_PATCH_URL;
	l->expect = 200;
	l->make = patch_make;
	l->check = patch_check;
	l->arg = p;
	load_run(p->b, l, conns, p->b->secs);
	return load_rate(l);
}

/* Adds the requests, latencies and server CPU of from to into (from is left as it was). */
static void load_merge(struct load *into, const struct load *from)
{
	for (size_t i = 0; i < from->lat.n; i++)
		lat_add(&into->lat, from->lat.v[i]);
	into->ok += from->ok;
	into->loop_cpu += from->loop_cpu;
	into->proc_cpu += from->proc_cpu;
}

/* The server CPU row of a patch load, against the PUTs'; the ratio is of the loop's CPU. */
static void patch_cpu_row(const struct load *l, const struct load *put)
{
	char v[64], base[64];
	if (!l->ok || !put->ok)
		return;
	double loop = (double)l->loop_cpu / 1e3 / (double)l->ok;
	double put_loop = (double)put->loop_cpu / 1e3 / (double)put->ok;
	snprintf(v, sizeof(v), "%.0f us (loop %.0f us)", (double)l->proc_cpu / 1e3 / (double)l->ok, loop);
	snprintf(base, sizeof(base), "PUT %.0f us (loop %.0f us)", (double)put->proc_cpu / 1e3 / (double)put->ok,
		 put_loop);
	row("  server CPU per request", v, base, put_loop > 0 ? loop / put_loop : -1, NULL);
}

/* With conns connections: PUT, the four patches, PUT again; the PUTs' mean is the baseline
 * (before and after, as the disk's speed drifts). Prints the rows. */
static void patch_round(struct pbench *p, struct http_client *c, int conns)
{
	struct load l[PK_N + 1];
	double rate[PK_N + 1] = { 0 };
	char fig[64], v[64], base[64];
	const char *cs = conns == 1 ? "conn" : "conns";
	memset(l, 0, sizeof(l));
	if (patch_read(p, c, conns) == 0)
		rate[0] = patch_load(p, &l[0], PK_PUT, conns);
	for (int k = PK_SMP; k < PK_N; k++)
		rate[k] = patch_load(p, &l[k], (enum patch_kind)k, conns);
	if (patch_read(p, c, conns) == 0)
		rate[PK_N] = patch_load(p, &l[PK_N], PK_PUT, conns);
	double put = (rate[0] + rate[PK_N]) / 2;
	load_merge(&l[0], &l[PK_N]);
	snprintf(fig, sizeof(fig), "PUT Deployment, %d %s (baseline)", conns, cs);
	snprintf(v, sizeof(v), "%.0f + %.0f /s", rate[0], rate[PK_N]);
	snprintf(base, sizeof(base), "before + after: mean %.0f /s", put);
	row(fig, v, base, -1, NULL);
	snprintf(v, sizeof(v), "%.2f / %.2f ms", lat_pct(&l[0].lat, 50), lat_pct(&l[0].lat, 99));
	row("  latency p50 / p99", v, "", -1, NULL);
	cpu_row(&l[0]);
	for (int k = PK_SMP; k < PK_N; k++) {
		snprintf(fig, sizeof(fig), "%s, %d %s", patch_defs[k].figure, conns, cs);
		rate_rows(fig, rate[k], "PUT", put, &l[k].lat, &l[0].lat, NULL);
		patch_cpu_row(&l[k], &l[0]);
	}
	for (int k = 0; k <= PK_N; k++)
		lat_release(&l[k].lat);
}

static void patch_phases(struct bench *b)
{
	struct pbench p;
	struct http_client *c = bench_client(b, 1);
	char v[64];
	memset(&p, 0, sizeof(p));
	p.b = b;
	if (make_namespace(b, c, KB_PATCH_NS) == 0 && patch_create(&p, c) == 0 && patch_read(&p, c, 1) == 0) {
		snprintf(v, sizeof(v), "%.1f KB / %.1f KB", (double)p.sent_len / 1000, (double)p.stored_len / 1000);
		row("Deployment: manifest / stored", v, "JSON, stored as read back", -1, NULL);
		patch_round(&p, c, 1);
		patch_round(&p, c, KB_PATCH_OBJECTS);
	}
	bench_client_close(b, c);
	for (int i = 0; i < KB_PATCH_OBJECTS; i++) {
		free(p.t[i].put_head);
		free(p.t[i].put_tail);
	}
}

/* ---- the scheduler ---- */

#define KB_SCHED_CONNS 16
#define KB_SCHED_TIMEOUT_NS (600 * 1000000000ull)
#define KB_DEPLOY_REPLICAS 1000
/* A node's status as its kubelet registers it (a Node is created with its status). */
#define KB_NODE_STATUS "{\"capacity\":{\"cpu\":\"32\",\"memory\":\"128Gi\",\"pods\":\"110\"}," \
	"\"allocatable\":{\"cpu\":\"32\",\"memory\":\"128Gi\",\"pods\":\"110\"}," \
	"\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\"}]}"

/* One scheduler round: nodes made through the API, pods created and counted as they get bound
 * through a watch of their namespace. */
struct sround {
	struct bench *b;
	int nodes, pods;
	char ns[64];
	const char *step;             /* what the current LOAD_CUSTOM load sends */
	/* the watch */
	struct http_client *wc;
	struct http_client_req *wreq;
	struct buf line;              /* a partial event line */
	struct hmap bound;            /* names of the pods seen bound (values unused) */
	const char *count_prefix;     /* only pods named with this prefix are counted */
	size_t counted;
	uint64_t *sent;               /* pod p-N: when its create was sent */
	struct lat create_bound;      /* pod p-N: from its create sent to it seen bound */
	uint64_t t_last;              /* when the last counted pod was seen bound */
	uint64_t t_first_mod;         /* when the first was seen bound by a MODIFIED event */
	size_t added_bound;           /* counted pods already bound in their ADDED event */
	int wended, wstopping;
};

/* Fills a round's fields and names its namespace; sr_teardown releases it. */
static void sr_init(struct sround *r, struct bench *b, int nodes, int pods)
{
	memset(r, 0, sizeof(*r));
	r->b = b;
	r->nodes = nodes;
	r->pods = pods;
	r->sent = xcalloc((size_t)pods, sizeof(*r->sent));
	snprintf(r->ns, sizeof(r->ns), "kbench-sched-%d", nodes);
}

/* Notes one watch event: a pod of the counted prefix seen with spec.nodeName. */
static void sr_event(struct sround *r, const char *s, size_t len)
{
	cJSON *ev = json_parse(s, len, NULL);
	const char *name = json_strv(ev, "object", "metadata", "name", NULL);
	const char *node = json_strv(ev, "object", "spec", "nodeName", NULL);
	const char *type = json_strv(ev, "type", NULL);
	if (name && node && *node && r->count_prefix && !strncmp(name, r->count_prefix, strlen(r->count_prefix)) &&
	    !hmap_get(&r->bound, name)) {
		hmap_put(&r->bound, name, r);
		r->counted++;
		r->t_last = now_ns();
		if (type && !strcmp(type, "ADDED"))
			r->added_bound++;
		else if (!r->t_first_mod)
			r->t_first_mod = r->t_last;
		long i = !strncmp(name, "p-", 2) ? strtol(name + 2, NULL, 10) : -1;
		if (i >= 0 && i < r->pods && r->sent[i])
			lat_add(&r->create_bound, r->t_last - r->sent[i]);
	}
	cJSON_Delete(ev);
}

static void sr_data(struct http_client_req *req, const char *data, size_t len)
{
	struct sround *r = http_client_req_data(req);
	buf_add(&r->line, data, len);
	size_t start = 0;
	for (size_t i = 0; i < r->line.len; i++)
		if (r->line.data[i] == '\n') {
			sr_event(r, r->line.data + start, i - start);
			start = i + 1;
		}
	memmove(r->line.data, r->line.data + start, r->line.len - start);
	r->line.len -= start;
}

static void sr_done(struct http_client_req *req, int err, const struct http_client_response *resp)
{
	struct sround *r = http_client_req_data(req);
	r->wended = 1;
	r->wreq = NULL;
	if (!r->wstopping)
		fail(r->b, "the pod watch ended early: err %d (%s), status %d", err, resp->error, resp->status);
}

/* Builds request number l->sent of the current step. */
static void sr_make(struct chain *ch, struct http_client_request *q)
{
	static const struct http_header json_ct = { "Content-Type", "application/json" };
	struct sround *r = ch->l->arg;
	size_t i = ch->l->sent;
	const char *st = r->step;
	buf_reset(&ch->body);
	q->target = ch->target;
	q->headers = &json_ct;
	q->nheaders = 1;
	q->method = "POST";
	if (!strcmp(st, "node")) {
		snprintf(ch->target, sizeof(ch->target), "/api/v1/nodes");
		buf_addf(&ch->body, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"kb-%d-%zu\","
			 "\"labels\":{\"kubernetes.io/hostname\":\"kb-%d-%zu\",\"topology.kubernetes.io/zone\":"
			 "\"zone-%zu\"}},\"status\":%s}", r->nodes, i, r->nodes, i, i % 3, KB_NODE_STATUS);
	} else if (!strcmp(st, "lease")) {
		snprintf(ch->target, sizeof(ch->target), "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases");
		buf_addf(&ch->body, "{\"metadata\":{\"name\":\"kb-%d-%zu\"},\"spec\":{\"holderIdentity\":\"kb-%d-%zu\","
			 "\"leaseDurationSeconds\":40}}", r->nodes, i, r->nodes, i);
	} else if (!strcmp(st, "pod") || !strcmp(st, "held")) {
		/* "held" pods name a scheduler that does not run: the bind baseline binds them. */
		snprintf(ch->target, sizeof(ch->target), "/api/v1/namespaces/%s/pods", r->ns);
		if (*st == 'p')
			r->sent[i] = now_ns();
		buf_addf(&ch->body, "{\"metadata\":{\"name\":\"%s-%zu\",\"labels\":{\"app\":\"kb\"}},\"spec\":{%s"
			 "\"containers\":[{\"name\":\"c\",\"image\":\"registry.k8s.io/pause:3.9\",\"resources\":"
			 "{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}]}}", *st == 'p' ? "p" : "h", i,
			 *st == 'p' ? "" : "\"schedulerName\":\"kbench-none\",");
	} else if (!strcmp(st, "bind")) {
		snprintf(ch->target, sizeof(ch->target), "/api/v1/namespaces/%s/pods/h-%zu/binding", r->ns, i);
		buf_addf(&ch->body, "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"h-%zu\"},"
			 "\"target\":{\"kind\":\"Node\",\"name\":\"kb-%d-%zu\"}}", i, r->nodes, i % (size_t)r->nodes);
	} else if (!strcmp(st, "dnode") || !strcmp(st, "dlease")) {
		snprintf(ch->target, sizeof(ch->target), "%s/kb-%d-%zu", *st == 'd' && st[1] == 'n' ? "/api/v1/nodes" :
			 "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", r->nodes, i);
		q->method = "DELETE";
		q->nheaders = 0;
		q->body = NULL;
		q->body_len = 0;
		return;
	} else { /* "delete": pods p-N then h-N, with no grace period (no kubelet runs) */
		char kind = i < (size_t)r->pods ? 'p' : 'h';
		snprintf(ch->target, sizeof(ch->target), "/api/v1/namespaces/%s/pods/%c-%zu", r->ns, kind,
			 i % (size_t)r->pods);
		q->method = "DELETE";
		buf_adds(&ch->body, "{\"gracePeriodSeconds\":0}");
	}
	q->body = ch->body.data;
	q->body_len = ch->body.len;
}

/* Sends n requests of step over KB_SCHED_CONNS connections; returns their rate (0 on failure). */
static double sr_load(struct sround *r, const char *step, size_t n, int expect, struct load *l)
{
	memset(l, 0, sizeof(*l));
	r->step = step;
	l->kind = LOAD_CUSTOM;
	l->what = step;
	l->target = step;
	l->expect = expect;
	l->make = sr_make;
	l->arg = r;
	l->max_reqs = n;
	load_run(r->b, l, KB_SCHED_CONNS, 600);
	return l->ok == n ? load_rate(l) : 0;
}

/* Runs the loop until count pods of prefix are seen bound (or the deadline). Returns 0 or -1. */
static int sr_wait_bound(struct sround *r, const char *prefix, size_t count, uint64_t timeout_ns)
{
	uint64_t deadline = now_ns() + timeout_ns;
	r->count_prefix = prefix;
	while (r->counted < count && !r->wended && now_ns() < deadline)
		uv_run(&r->b->loop, UV_RUN_ONCE);
	if (r->counted < count)
		fail(r->b, "only %zu of %zu pods %s* were bound", r->counted, count, prefix);
	return r->counted < count ? -1 : 0;
}

/* Makes the namespace and the nodes (Ready, with allocatable, a Lease each). Returns 0 or -1. */
static int sr_nodes(struct sround *r)
{
	struct load l;
	struct http_client *c = bench_client(r->b, 1);
	int rc = make_namespace(r->b, c, r->ns);
	bench_client_close(r->b, c);
	memset(&l, 0, sizeof(l));
	if (rc == 0 && !sr_load(r, "node", (size_t)r->nodes, 201, &l))
		rc = -1;
	lat_release(&l.lat);
	if (rc == 0 && !sr_load(r, "lease", (size_t)r->nodes, 201, &l))
		rc = -1;
	lat_release(&l.lat);
	return rc;
}

/* Opens the watch of the round's pods from rv; from "" it first gets every pod as ADDED. */
static int sr_watch(struct sround *r, const char *rv)
{
	char *target = xasprintf("/api/v1/namespaces/%s/pods?watch=1&resourceVersion=%s", r->ns, rv);
	struct http_client_request q = { .method = "GET", .target = target, .on_data = sr_data, .on_done = sr_done,
					 .data = r };
	r->wc = bench_client(r->b, 1);
	if (http_client_send(r->wc, &q, &r->wreq) != 0)
		fail(r->b, "cannot open the pod watch");
	free(target);
	return r->wreq ? 0 : -1;
}

/* Makes the namespace and the nodes, then opens the watch from the current resourceVersion. */
static int sr_setup(struct sround *r)
{
	char list[128], rv[32];
	snprintf(list, sizeof(list), "/api/v1/namespaces/%s/pods", r->ns);
	if (sr_nodes(r) < 0)
		return -1;
	struct http_client *c = bench_client(r->b, 1);
	int rc = list_rv(r->b, c, list, rv, sizeof(rv));
	bench_client_close(r->b, c);
	return rc < 0 ? -1 : sr_watch(r, rv);
}

/* Deletes the round's pods (no grace period), nodes and Leases, and closes the watch. */
static void sr_teardown(struct sround *r, int delete_all)
{
	struct load l;
	memset(&l, 0, sizeof(l));
	if (delete_all && sr_load(r, "delete", 2 * (size_t)r->pods, 200, &l) && sr_load(r, "dnode", (size_t)r->nodes, 200, &l))
		sr_load(r, "dlease", (size_t)r->nodes, 200, &l);
	lat_release(&l.lat);
	r->wstopping = 1;
	if (r->wreq)
		http_client_cancel(r->wreq);
	while (!r->wended && r->wreq)
		uv_run(&r->b->loop, UV_RUN_ONCE);
	if (r->wc)
		bench_client_close(r->b, r->wc);
	buf_release(&r->line);
	hmap_release(&r->bound);
	lat_release(&r->create_bound);
	free(r->sent);
}

/* The time for a Deployment of KB_DEPLOY_REPLICAS replicas to have every pod bound. */
static void sr_deployment(struct sround *r)
{
	struct one o;
	char target[128], v[64], base[64];
	struct http_client *c = bench_client(r->b, 1);
	char *body = xasprintf("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
			       "\"spec\":{\"replicas\":%d,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":"
			       "{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
			       "\"image\":\"registry.k8s.io/pause:3.9\",\"resources\":{\"requests\":{\"cpu\":\"10m\"}}}]}}}}",
			       KB_DEPLOY_REPLICAS);
	snprintf(target, sizeof(target), "/apis/apps/v1/namespaces/%s/deployments", r->ns);
	r->counted = 0;
	r->count_prefix = "web-";
	uint64_t t0 = now_ns();
	int st = one_request(r->b, c, "POST", target, body, &o);
	if (st != 201)
		fail(r->b, "creating the Deployment: status %d: %.200s", st, buf_str(&o.body));
	else if (sr_wait_bound(r, "web-", KB_DEPLOY_REPLICAS, KB_SCHED_TIMEOUT_NS / 5) == 0) {
		double s = (double)(r->t_last - t0) / 1e9;
		snprintf(v, sizeof(v), "%.2f s", s);
		snprintf(base, sizeof(base), "%d pods at the bind rate: %.2f s", KB_DEPLOY_REPLICAS,
			 r->b->bind_rate > 0 ? KB_DEPLOY_REPLICAS / r->b->bind_rate : 0);
		row("Deployment 1000 replicas: all bound", v, base,
		    r->b->bind_rate > 0 ? s / (KB_DEPLOY_REPLICAS / r->b->bind_rate) : -1, NULL);
	}
	buf_release(&o.body);
	free(body);
	bench_client_close(r->b, c);
}

/* One round: the nodes; the pods created over 16 connections while the scheduler places them
 * (the figure: the pods over the time from the first create sent to the last pod seen bound,
 * and each pod's time from its create sent to it seen bound); the server's RSS; the bind
 * baseline (as many held pods, bound by kbench over 16 connections). */
static void sched_round(struct bench *b, int nodes, int pods, int last, long idle_kib)
{
	struct sround r;
	struct load l, bind;
	char fig[64], v[64], base[64];
	memset(&bind, 0, sizeof(bind));
	memset(&l, 0, sizeof(l));
	sr_init(&r, b, nodes, pods);
	if (sr_setup(&r) < 0)
		goto out;
	r.count_prefix = "p-";
	uint64_t t0 = now_ns();
	double create_rate = sr_load(&r, "pod", (size_t)pods, 201, &l);
	size_t at_created = r.counted;
	uint64_t t_created = l.t1;
	if (!create_rate || sr_wait_bound(&r, "p-", (size_t)pods, KB_SCHED_TIMEOUT_NS) < 0)
		goto out;
	double secs = (double)(r.t_last - t0) / 1e9, rate = pods / secs;
	snprintf(fig, sizeof(fig), "server RSS, %d nodes / %d pods", nodes, pods);
	rss_row(b, fig, idle_kib, NULL);
	lat_release(&l.lat);
	double bind_rate = sr_load(&r, "held", (size_t)pods, 201, &l) ? sr_load(&r, "bind", (size_t)pods, 0, &bind) : 0;
	b->bind_rate = bind_rate;
	snprintf(fig, sizeof(fig), "scheduler, %d pods / %d nodes", pods, nodes);
	snprintf(v, sizeof(v), "%.0f pods/s (%.2f s)", rate, secs);
	snprintf(base, sizeof(base), "API binds, %d conns %.0f /s", KB_SCHED_CONNS, bind_rate);
	row(fig, v, base, bind_rate > 0 ? rate / bind_rate : -1, NULL);
	snprintf(v, sizeof(v), "%.0f /s; %zu bound by then", create_rate, at_created);
	snprintf(base, sizeof(base), "last bound %.2f s after", (double)(r.t_last - t_created) / 1e9);
	row("  pod creates meanwhile, 16 conns", v, base, -1, NULL);
	snprintf(v, sizeof(v), "%.2f / %.2f ms", lat_pct(&r.create_bound, 50), lat_pct(&r.create_bound, 99));
	snprintf(base, sizeof(base), "bind alone %.2f / %.2f ms", lat_pct(&bind.lat, 50), lat_pct(&bind.lat, 99));
	row("  pod create sent -> bound p50/p99", v, base, -1, NULL);
	if (last)
		sr_deployment(&r);
out:
	lat_release(&l.lat);
	lat_release(&bind.lat);
	sr_teardown(&r, !last && !b->failures);
}

static void sched_phases(struct bench *b, long idle_kib)
{
	sched_round(b, 100, 1000, 0, idle_kib);
	sched_round(b, 1000, 10000, 1, idle_kib);
}

/* ---- the scheduler on a backlog (tests/bench/sched_backlog.sh) ---- */

/* When the server process started, on now_ns()'s clock, from /proc/PID/stat (10 ms
 * resolution); 0 when unknown. */
static uint64_t server_start_ns(const struct bench *b)
{
	char path[64], line[1024];
	unsigned long long ticks = 0;
	struct timespec boot;
	snprintf(path, sizeof(path), "/proc/%d/stat", b->pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char *p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	fclose(f);
	/* After "pid (comm)": starttime, in clock ticks since boot, is field 22. */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &ticks) != 1)
		return 0;
	clock_gettime(CLOCK_BOOTTIME, &boot);
	uint64_t mono = now_ns(), since_boot = (uint64_t)boot.tv_sec * 1000000000u + (uint64_t)boot.tv_nsec;
	uint64_t started = ticks * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
	return mono - (since_boot - started);
}

/* Polls GET /readyz every 10 ms until the server answers anything (30 s at most). Returns the
 * time of the first answer, 0 if none. */
static uint64_t first_answer(struct bench *b)
{
	struct http_client *c = bench_client(b, 1);
	uint64_t deadline = now_ns() + 30000000000ull, t = 0;
	while (!t && now_ns() < deadline) {
		struct one o;
		if (one_request(b, c, "GET", "/readyz", NULL, &o) > 0)
			t = now_ns();
		else
			usleep(10000);
		buf_release(&o.body);
	}
	bench_client_close(b, c);
	if (!t)
		fail(b, "the server on port %d did not answer", b->port);
	return t;
}

/* kbench backlog-fill: the round's nodes, Leases and pods, for a server that runs no scheduler. */
static void backlog_fill(struct bench *b)
{
	struct sround r;
	struct load l;
	char fig[64], v[64];
	memset(&l, 0, sizeof(l));
	sr_init(&r, b, b->nodes, b->pods);
	table_head();
	if (sr_nodes(&r) == 0 && sr_load(&r, "pod", (size_t)b->pods, 201, &l)) {
		snprintf(fig, sizeof(fig), "backlog: %d pods created", b->pods);
		snprintf(v, sizeof(v), "%.0f /s", load_rate(&l));
		row(fig, v, "", -1, NULL);
	}
	lat_release(&l.lat);
	sr_teardown(&r, 0);
}

/* kbench backlog-drain: run on a server just started on a datastore that backlog-fill filled.
 * Waits for the API, watches the pods from "" (every pod as ADDED, then the changes) until all
 * are seen with spec.nodeName; then the server's RSS and the bind baseline (as many held pods,
 * bound by kbench over 16 connections). */
static void backlog_drain(struct bench *b)
{
	struct sround r;
	struct load l, bind;
	char fig[64], v[64], base[64];
	long rss0 = 0, rss, hwm;
	memset(&l, 0, sizeof(l));
	memset(&bind, 0, sizeof(bind));
	sr_init(&r, b, b->nodes, b->pods);
	uint64_t t_start = server_start_ns(b), t_api = first_answer(b);
	server_rss(b, &rss0, &hwm);
	r.count_prefix = "p-";
	if (!t_start || !t_api || sr_watch(&r, "") < 0 || sr_wait_bound(&r, "p-", (size_t)b->pods, KB_SCHED_TIMEOUT_NS) < 0)
		goto out;
	double secs = (double)(r.t_last - t_start) / 1e9, api_secs = (double)(r.t_last - t_api) / 1e9;
	size_t moved = (size_t)b->pods - r.added_bound;
	double mod_secs = r.t_first_mod ? (double)(r.t_last - r.t_first_mod) / 1e9 : 0;
	if (server_rss(b, &rss, &hwm) == 0) {
		snprintf(fig, sizeof(fig), "server RSS, %d nodes / %d pods", b->nodes, b->pods);
		snprintf(v, sizeof(v), "%.1f MiB (HWM %.1f)", rss / 1024.0, hwm / 1024.0);
		snprintf(base, sizeof(base), "at the first answer %.1f MiB", rss0 / 1024.0);
		row(fig, v, base, -1, NULL);
	}
	double bind_rate = sr_load(&r, "held", (size_t)b->pods, 201, &l) ? sr_load(&r, "bind", (size_t)b->pods, 0, &bind) : 0;
	snprintf(fig, sizeof(fig), "backlog: %d pods / %d nodes", b->pods, b->nodes);
	snprintf(v, sizeof(v), "%.0f pods/s (%.2f s)", b->pods / secs, secs);
	snprintf(base, sizeof(base), "API binds, %d conns %.0f /s", KB_SCHED_CONNS, bind_rate);
	row(fig, v, base, bind_rate > 0 ? b->pods / secs / bind_rate : -1, NULL);
	snprintf(v, sizeof(v), "%.0f pods/s (%.2f s)", b->pods / api_secs, api_secs);
	snprintf(base, sizeof(base), "answered %.2f s after start", (double)(t_api - t_start) / 1e9);
	row("  from the API's first answer", v, base, bind_rate > 0 ? b->pods / api_secs / bind_rate : -1, NULL);
	snprintf(v, sizeof(v), "%.0f pods/s (%.2f s)", mod_secs > 0 ? (double)moved / mod_secs : 0, mod_secs);
	snprintf(base, sizeof(base), "%zu bound in the first list", r.added_bound);
	row("  first to last binding seen", v, base, -1, NULL);
	snprintf(v, sizeof(v), "%.2f / %.2f ms", lat_pct(&bind.lat, 50), lat_pct(&bind.lat, 99));
	row("  a bind alone (baseline) p50/p99", v, "", -1, NULL);
out:
	lat_release(&l.lat);
	lat_release(&bind.lat);
	sr_teardown(&r, 0);
}

static void run_all(struct bench *b)
{
	long idle = 0;
	struct utsname u;
	uname(&u);
	printf("kbench: %ld CPUs, %s %s, %.1f s per throughput phase, %d watchers, %d events\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, b->secs, b->watchers, b->events);
	table_head();
	rss_row(b, "server RSS after start (empty)", -1, &idle);
	warm_up(b);
	if (strstr(b->phases, "write"))
		write_phases(b, idle);
	if (strstr(b->phases, "read"))
		read_phases(b);
	if (strstr(b->phases, "patch"))
		patch_phases(b);
	if (strstr(b->phases, "watch")) {
		watch_phase(b, 1, b->events * 2, 0);
		watch_phase(b, b->watchers, b->events, idle);
	}
	if (strstr(b->phases, "sched"))
		sched_phases(b, idle);
}

/* ---- waiting for the server ---- */

static void wait_ready(struct bench *b)
{
	struct http_client *c = bench_client(b, 1);
	uint64_t deadline = now_ns() + 30000000000ull;
	int st = 0;
	while (st != 200 && now_ns() < deadline) {
		struct one o;
		st = one_request(b, c, "GET", "/readyz", NULL, &o);
		buf_release(&o.body);
		if (st != 200)
			usleep(100000);
	}
	bench_client_close(b, c);
	if (st != 200)
		fail(b, "the server on port %d did not become ready", b->port);
}

/* ---- main ---- */

static char *load_pem(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *data = NULL;
	int r = read_file(path, &data, NULL);
	if (r < 0)
		die("reading %s: %s", path, strerror(-r));
	free(path);
	return data;
}

/* Prints a port the kernel picks for 127.0.0.1 (free now; the server binds it right after). */
static int free_port(void)
{
	uv_loop_t loop;
	uv_tcp_t t;
	struct sockaddr_in a;
	struct sockaddr_storage ss;
	int len = sizeof(ss), r;
	uv_loop_init(&loop);
	uv_tcp_init(&loop, &t);
	uv_ip4_addr("127.0.0.1", 0, &a);
	r = uv_tcp_bind(&t, (const struct sockaddr *)&a, 0);
	if (r == 0)
		r = uv_tcp_getsockname(&t, (struct sockaddr *)&ss, &len);
	if (r == 0)
		printf("%d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	uv_close((uv_handle_t *)&t, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return r == 0 ? 0 : 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: kbench port | kbench wait|run --port P --tls DIR [--pid PID --dir DIR] [--secs S] "
			"[--watchers N] [--events N] [--phases write,read,patch,watch,sched]\n"
			"       kbench backlog-fill|backlog-drain --port P --tls DIR --nodes N --pods N [--pid PID]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' }, { "tls", required_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'i' },  { "dir", required_argument, NULL, 'd' },
		{ "secs", required_argument, NULL, 's' }, { "watchers", required_argument, NULL, 'w' },
		{ "events", required_argument, NULL, 'e' }, { "phases", required_argument, NULL, 'f' },
		{ "nodes", required_argument, NULL, 'n' }, { "pods", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .secs = 3, .watchers = 1000, .events = 100, .phases = "write,read,patch,watch" };
	const char *tls = NULL;
	int ch;
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "port"))
		return free_port();
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': b.port = atoi(optarg); break;
		case 't': tls = optarg; break;
		case 'i': b.pid = atoi(optarg); break;
		case 'd': b.dir = optarg; break;
		case 's': b.secs = atof(optarg); break;
		case 'w': b.watchers = atoi(optarg); break;
		case 'e': b.events = atoi(optarg); break;
		case 'f': b.phases = optarg; break;
		case 'n': b.nodes = atoi(optarg); break;
		case 'P': b.pods = atoi(optarg); break;
		default: usage();
		}
	}
	if (!tls || b.port <= 0 || b.secs <= 0 || b.watchers < 1 || b.events < 1)
		usage();
	b.ca = load_pem(tls, "server-ca.crt");
	b.cert = load_pem(tls, "client-admin.crt");
	b.key = load_pem(tls, "client-admin.key");
	uv_loop_init(&b.loop);
	if (!strcmp(argv[1], "wait")) {
		wait_ready(&b);
	} else if (!strcmp(argv[1], "run")) {
		if (b.pid <= 0 || !b.dir)
			usage();
		run_all(&b);
	} else if (!strcmp(argv[1], "backlog-fill") && b.nodes > 0 && b.pods > 0) {
		backlog_fill(&b);
	} else if (!strcmp(argv[1], "backlog-drain") && b.nodes > 0 && b.pods > 0 && b.pid > 0) {
		backlog_drain(&b);
	} else {
		usage();
	}
	uv_run(&b.loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&b.loop) != 0)
		fprintf(stderr, "kbench: the loop still has handles\n");
	free(b.ca);
	free(b.cert);
	free(b.key);
	if (b.failures)
		fprintf(stderr, "kbench: %d failure(s)\n", b.failures);
	return b.failures ? 1 : 0;
}
