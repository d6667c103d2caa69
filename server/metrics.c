/*
 * metrics.c - GET /metrics: the API server's figures in the Prometheus text format (version
 * 0.0.4), under upstream's metric names, so that scrapers and dashboards made for
 * kube-apiserver read them.
 *
 * DESIGN
 * Only figures the server has or can count cheaply are served:
 *   - apiserver_request_total (counter): one count per answered resource request that came
 *     over HTTPS (the internal client of the controllers is not counted), labelled as
 *     upstream labels it (code, component, dry_run, group, resource, scope, subresource, verb
 *     in upstream's upper-case form: GET LIST WATCH POST PUT PATCH APPLY DELETE
 *     DELETECOLLECTION, version). The counters live in a hash map keyed by the label string,
 *     so a request costs one formatted key and one lookup;
 *   - apiserver_current_inflight_requests (gauge): mutating from the server's own limit
 *     counter, readOnly from the HTTPS reads being served (plus this scrape);
 *   - apiserver_longrunning_requests (gauge): the open watches, by kind, walked at scrape time;
 *   - apiserver_storage_objects (gauge): the keys under each stored kind's prefix (the store
 *     keeps the count; views of another kind's storage are not counted twice);
 *   - process_* from /proc and getrusage at scrape time.
 * Authorization is the authorizers' for the non-resource URL /metrics: with the bootstrap
 * policy, system:masters and the system:monitoring group (upstream's system:monitoring role).
 */
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib/hmap.h"

struct metrics {
	struct hmap requests; /* label string -> uint64_t count (heap) */
	double start_time;    /* wall-clock seconds at start */
	int reads_inflight;   /* HTTPS reads being served */
};

struct metrics *metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));
	m->start_time = (double)wall_seconds();
	return m;
}

static int free_value(const char *key, void *value, void *data)
{
	(void)key;
	(void)data;
	free(value);
	return 0;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	hmap_each(&m->requests, free_value, NULL);
	hmap_release(&m->requests);
	free(m);
}

/* Upstream's canonical verb of a request (endpoints/metrics CleanVerb). */
static const char *request_verb(const struct api_req *req)
{
	static const char *const names[] = { "GET", "LIST", "WATCH", "POST", "PUT", "PATCH", "DELETE",
					     "DELETECOLLECTION" };
	if (req->verb == VERB_PATCH && req->is_apply)
		return "APPLY";
	return (size_t)req->verb < ARRAY_SIZE(names) ? names[req->verb] : "";
}

/* The scope label: "resource" for one named object, else namespace or cluster. */
static const char *request_scope(const struct api_req *req)
{
	if (req->name)
		return "resource";
	return req->ns ? "namespace" : "cluster";
}

void metrics_request(struct metrics *m, const struct api_req *req, int code)
{
	struct buf key = BUF_INIT;
	if (!m || !req->http || !req->kind)
		return;
	buf_addf(&key, "code=\"%d\",component=\"apiserver\",dry_run=\"%s\",group=\"%s\",resource=\"%s\","
		       "scope=\"%s\",subresource=\"%s\",verb=\"%s\",version=\"%s\"",
		 code, req->q.dry_run ? "All" : "", req->kind->group, req->kind->plural, request_scope(req),
		 req->sub ? req->sub : "", request_verb(req), req->kind->version);
	uint64_t *n = hmap_get(&m->requests, key.data);
	if (!n) {
		n = xcalloc(1, sizeof(*n));
		hmap_put(&m->requests, key.data, n);
	}
	(*n)++;
	buf_release(&key);
}

void metrics_read_begin(struct metrics *m)
{
	if (m)
		m->reads_inflight++;
}

void metrics_read_end(struct metrics *m)
{
	if (m && m->reads_inflight > 0)
		m->reads_inflight--;
}

/* ---- the exposition --------------------------------------------------------------------- */

static void header(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static int collect_key(const char *key, void *value, void *data)
{
	(void)value;
	struct { const char **v; size_t n; } *keys = data;
	keys->v[keys->n++] = key;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void requests_total(const struct metrics *m, struct buf *out)
{
	struct { const char **v; size_t n; } keys = { xcalloc(m->requests.n + 1, sizeof(char *)), 0 };
	header(out, "apiserver_request_total", "counter",
	       "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, "
	       "resource, scope, component, and HTTP response code.");
	hmap_each(&m->requests, collect_key, &keys);
	qsort(keys.v, keys.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < keys.n; i++)
		buf_addf(out, "apiserver_request_total{%s} %llu\n", keys.v[i],
			 (unsigned long long)*(uint64_t *)hmap_get(&m->requests, keys.v[i]));
	free(keys.v);
}

static void inflight(const struct server *srv, struct buf *out)
{
	header(out, "apiserver_current_inflight_requests", "gauge",
	       "[STABLE] Maximal number of currently used inflight request limit of this apiserver per request "
	       "kind in last second.");
	buf_addf(out, "apiserver_current_inflight_requests{request_kind=\"mutating\"} %d\n", srv->inflight_writes);
	buf_addf(out, "apiserver_current_inflight_requests{request_kind=\"readOnly\"} %d\n",
		 srv->metrics->reads_inflight + 1); /* this scrape is one */
}

/* Labels of an open watch as upstream's apiserver_longrunning_requests has them. */
static void count_watch(const struct api_req *req, void *data)
{
	struct hmap *counts = data;
	struct buf key = BUF_INIT;
	buf_addf(&key, "component=\"apiserver\",group=\"%s\",resource=\"%s\",scope=\"%s\",subresource=\"%s\","
		       "verb=\"WATCH\",version=\"%s\"",
		 req->kind->group, req->kind->plural, request_scope(req), req->sub ? req->sub : "",
		 req->kind->version);
	hmap_put(counts, key.data, (void *)((uintptr_t)hmap_get(counts, key.data) + 1));
	buf_release(&key);
}

static void watches(struct server *srv, struct buf *out)
{
	struct hmap counts = HMAP_INIT;
	struct { const char **v; size_t n; } keys = { NULL, 0 };
	header(out, "apiserver_longrunning_requests", "gauge",
	       "[STABLE] Gauge of all active long-running apiserver requests broken out by verb, group, version, "
	       "resource, scope and component. Not all requests are tracked this way.");
	watch_each(srv, count_watch, &counts);
	keys.v = xcalloc(counts.n + 1, sizeof(char *));
	hmap_each(&counts, collect_key, &keys);
	qsort(keys.v, keys.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < keys.n; i++)
		buf_addf(out, "apiserver_longrunning_requests{%s} %zu\n", keys.v[i],
			 (size_t)(uintptr_t)hmap_get(&counts, keys.v[i]));
	free(keys.v);
	hmap_release(&counts);
}

/* Was kind i's storage already counted under an earlier row (another version, or a view)? */
static int counted_before(size_t i)
{
	const struct kind *k = registry_at(i);
	for (size_t j = 0; j < i; j++)
		if (!strcmp(registry_at(j)->prefix, k->prefix))
			return 1;
	return 0;
}

static void storage_objects(struct server *srv, struct buf *out)
{
	header(out, "apiserver_storage_objects", "gauge",
	       "[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching "
	       "error, the value will be -1.");
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (k->view || (k->flags & KIND_VIRTUAL) || counted_before(i))
			continue;
		buf_addf(out, "apiserver_storage_objects{resource=\"%s\"} %zu\n", k->qualified,
			 store_count(srv->store, k->prefix));
	}
}

static size_t open_fds(void)
{
	size_t n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n > 0 ? n - 1 : 0; /* the directory's own descriptor */
}

static void process(const struct metrics *m, struct buf *out)
{
	unsigned long long vsz = 0, rss = 0;
	struct rusage ru;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%llu %llu", &vsz, &rss) != 2)
			vsz = rss = 0;
		fclose(f);
	}
	long page = sysconf(_SC_PAGESIZE);
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		     ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
	header(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
	buf_addf(out, "process_cpu_seconds_total %.2f\n", cpu);
	header(out, "process_open_fds", "gauge", "Number of open file descriptors.");
	buf_addf(out, "process_open_fds %zu\n", open_fds());
	header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
	buf_addf(out, "process_resident_memory_bytes %llu\n", rss * (unsigned long long)page);
	header(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
	buf_addf(out, "process_start_time_seconds %.0f\n", m->start_time);
	header(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
	buf_addf(out, "process_virtual_memory_bytes %llu\n", vsz * (unsigned long long)page);
}

/* The authorizers' answer for `get` on the non-resource URL /metrics. */
static int may_read_metrics(struct server *srv, const struct api_user *user)
{
	return auth_allowed(srv, user, &(struct rbac_attrs){ .verb = "get", .path = "/metrics" });
}

/* Answers a /metrics request that may not be served (403 as upstream's authorizer words it for
 * a non-resource URL, or 405 for a method other than GET). */
static void refuse(struct http_request *h, const struct api_user *user, int allowed)
{
	struct buf out = BUF_INIT;
	struct api_error e = { 0 };
	char verb[16];
	size_t i = 0;
	for (const char *c = h->method; *c && i + 1 < sizeof(verb); c++)
		verb[i++] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	verb[i] = '\0';
	if (!allowed)
		api_error_set(&e, 403, "Forbidden", "forbidden: User \"%s\" cannot %s path \"/metrics\"", user->name, verb);
	else
		api_error_set(&e, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
	api_error_render(&e, &out);
	http_respond(h, e.code, "application/json", NULL, 0, out.data, out.len);
	api_error_release(&e);
	buf_release(&out);
}

int metrics_serve(struct server *srv, struct http_request *h, const struct api_user *user)
{
	struct buf out = BUF_INIT;
	if (strcmp(h->path, "/metrics"))
		return 0;
	int allowed = may_read_metrics(srv, user);
	if (!allowed || strcmp(h->method, "GET")) {
		refuse(h, user, allowed);
		return 1;
	}
	requests_total(srv->metrics, &out);
	inflight(srv, &out);
	watches(srv, &out);
	storage_objects(srv, &out);
	process(srv->metrics, &out);
	http_respond(h, 200, "text/plain; version=0.0.4; charset=utf-8", NULL, 0, out.data, out.len);
	buf_release(&out);
	return 1;
}
