/*
 * logs.c - GET /containerLogs/NS/POD/CONTAINER of the kubelet API: a container's log file in
 * the CRI format, as upstream's kubelet serves it (pkg/kubelet/kuberuntime/logs).
 *
 * DESIGN
 * The file is DATA/agent/pods/<pod uid>/<container>/<restartCount>.log (the shim's contract;
 * previous=true reads restartCount-1); the uid and restartCount come from the pod the informer
 * holds. Like upstream, only the current file is read (rotated .1-.4 files are not), each line
 * "<RFC3339Nano time> <stdout|stderr> <F|P> <text>" is parsed, and the text is written with
 * partial (P) lines joined to the next one, optionally prefixed with the time (timestamps=true,
 * once per joined line, RFC3339Nano). tailLines counts lines of the file from its end (as
 * upstream's tail), sinceTime/sinceSeconds drop older lines, limitBytes cuts the output.
 *
 * File work runs on the thread pool: each round reads what is new in the file (from an offset,
 * up to 1 MiB; the whole file without follow), formats it, and the loop sends it. follow=true streams (chunked) and starts a
 * new round whenever the log directory changes (uv_fs_event: writes, and the rename and new
 * file of a rotation) and at least every second; a rotated file is read to its end before the
 * new one is opened. Follow ends when the client goes, when the limit is reached, when the pod
 * leaves the node, or when the container's status says it terminated and its file is drained.
 */
#include "agent/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/http.h"

#define ROUND_MAX (1u << 20)
#define FOLLOW_TICK_MS 1000

/* ---- CRI log lines ---------------------------------------------------------------------- */

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int crilog_parse_time(const char *s, size_t len, int64_t *ns)
{
	int y, mo, d, h, mi, sec;
	if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	size_t i = 19;
	int64_t frac = 0, scale = 1000000000;
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			if (i - start < 9) {
				frac = frac * 10 + (s[i] - '0');
				scale /= 10;
			}
		if (i == start)
			return -1;
	}
	frac *= scale;
	int64_t off = 0;
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		int oh, om;
		if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om))
			return -1;
		off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
		i += 6;
	} else {
		return -1;
	}
	if (i != len)
		return -1;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec };
	int64_t secs = (int64_t)timegm(&tm) - off;
	if (secs < INT64_MIN / 1000000000 + 1 || secs > INT64_MAX / 1000000000 - 1)
		return -1; /* outside what nanoseconds since the epoch can hold (years 1678-2262) */
	*ns = secs * 1000000000 + frac;
	return 0;
}

/* Go's RFC3339Nano in UTC: fraction with trailing zeros removed (none when zero). */
static void format_nano(int64_t ns, char out[40])
{
	time_t secs = (time_t)(ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000);
	long frac = (long)(ns - (int64_t)secs * 1000000000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	int n = (int)strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac) {
		char f[11];
		snprintf(f, sizeof(f), ".%09ld", frac);
		for (size_t k = strlen(f) - 1; f[k] == '0'; k--)
			f[k] = '\0';
		n += snprintf(out + n, (size_t)(40 - n), "%s", f);
	}
	snprintf(out + n, (size_t)(40 - n), "Z");
}

int crilog_parse(const char *line, size_t len, struct crilog_msg *m)
{
	const char *end = line + len, *sp1 = memchr(line, ' ', len), *sp2, *sp3;
	if (!sp1 || crilog_parse_time(line, (size_t)(sp1 - line), &m->ns) < 0)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
	if (!sp2 || !((sp2 - sp1 - 1 == 6 && (!memcmp(sp1 + 1, "stdout", 6) || !memcmp(sp1 + 1, "stderr", 6)))))
		return -1;
	sp3 = memchr(sp2 + 1, ' ', (size_t)(end - sp2 - 1));
	const char *tag = sp2 + 1, *tag_end = sp3 ? sp3 : end;
	if (tag_end == tag || (tag[0] != 'F' && tag[0] != 'P') || (tag_end - tag > 1 && tag[1] != ':'))
		return -1;
	m->partial = tag[0] == 'P';
	m->text = sp3 ? sp3 + 1 : end;
	m->len = (size_t)(end - m->text);
	format_nano(m->ns, m->ts);
	return 0;
}

/* ---- a request ---------------------------------------------------------------------------- */

struct logreq {
	struct agent *a;
	struct http_request *req;
	char *path;
	int follow, timestamps, streaming, ended, aborted, working, again, closing;
	int handles;              /* libuv handles still open (watch, tick) */
	int64_t tail;             /* lines from the end, or -1 */
	int64_t since_ns;         /* 0: none */
	int64_t remain;           /* bytes left to send (limitBytes) */
	int new_line;             /* the next message starts a line (gets the time prefix) */
	int fd;
	ino_t ino;
	off_t off;
	struct buf pending;       /* the start of a line not complete yet */
	struct buf out;           /* the text this round produced */
	int err;                  /* this round: 0 or -errno opening the file */
	int drained;              /* this round reached the end of the file */
	char *ns, *pod, *container;
	uv_work_t work;
	uv_fs_event_t watch;
	uv_timer_t tick;
};

static void emit(struct logreq *l, const char *line, size_t len)
{
	struct crilog_msg m;
	if (l->remain <= 0 || crilog_parse(line, len, &m) < 0 || (l->since_ns && m.ns < l->since_ns))
		return;
	size_t start = l->out.len;
	if (l->timestamps && l->new_line) {
		buf_adds(&l->out, m.ts);
		buf_addch(&l->out, ' ');
	}
	buf_add(&l->out, m.text, m.len);
	if (!m.partial)
		buf_addch(&l->out, '\n');
	l->new_line = !m.partial;
	size_t n = l->out.len - start;
	if ((int64_t)n > l->remain) {
		l->out.len = start + (size_t)l->remain;
		l->out.data[l->out.len] = '\0';
		n = (size_t)l->remain;
	}
	l->remain -= (int64_t)n;
}

/* Formats the complete lines of data[0..len); returns how many bytes were consumed. */
static size_t emit_lines(struct logreq *l, const char *data, size_t len, int final)
{
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		if (!nl && !final)
			break;
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		emit(l, data + pos, n);
		pos += n + (nl ? 1 : 0);
	}
	return pos;
}

/* Where the last `tail` lines of data start. */
static size_t tail_start(const char *data, size_t len, int64_t tail)
{
	size_t i = len;
	if (i && data[i - 1] == '\n')
		i--;
	for (int64_t seen = 0; i > 0; i--)
		if (data[i - 1] == '\n' && ++seen == tail)
			return i;
	return tail == 0 ? len : 0;
}

static int open_log(struct logreq *l)
{
	struct stat st;
	l->fd = open(l->path, O_RDONLY | O_CLOEXEC);
	if (l->fd < 0)
		return -errno;
	fstat(l->fd, &st);
	l->ino = st.st_ino;
	l->off = 0;
	return 0;
}

/* Reads what is new (up to ROUND_MAX) into pending. Returns bytes read, or -errno. */
static ssize_t read_new(struct logreq *l)
{
	size_t want = ROUND_MAX;
	buf_grow(&l->pending, want);
	ssize_t n = pread(l->fd, l->pending.data + l->pending.len, want, l->off);
	if (n > 0) {
		l->pending.len += (size_t)n;
		l->pending.data[l->pending.len] = '\0';
		l->off += n;
	}
	return n < 0 ? -errno : n;
}

/* One round on the thread pool. */
static void round_work(uv_work_t *w)
{
	struct logreq *l = w->data;
	int first = l->fd < 0;
	buf_reset(&l->out);
	l->err = 0;
	l->drained = 0;
	if (first && (l->err = open_log(l)) < 0)
		return;
	ssize_t n = read_new(l);
	while ((!l->follow || (first && l->tail >= 0)) && n == (ssize_t)ROUND_MAX)
		n = read_new(l); /* the whole file: without follow, and for the tail */
	if (first && l->tail >= 0 && n >= 0) {
		size_t s = tail_start(l->pending.data, l->pending.len, l->tail);
		memmove(l->pending.data, l->pending.data + s, l->pending.len - s);
		l->pending.len -= s;
	}
	l->drained = n >= 0 && n < (ssize_t)ROUND_MAX;
	size_t used = emit_lines(l, l->pending.data, l->pending.len, !l->follow && l->drained);
	memmove(l->pending.data, l->pending.data + used, l->pending.len - used);
	l->pending.len -= used;
	struct stat st;
	if (l->follow && l->drained && stat(l->path, &st) == 0 && (st.st_ino != l->ino || st.st_size < l->off)) {
		close(l->fd); /* rotated (or truncated): the old file was read to its end */
		if (open_log(l) < 0)
			l->fd = -1;
		l->drained = 0;
	}
}

static void handle_closed(uv_handle_t *h)
{
	struct logreq *l = h->data;
	if (--l->handles > 0)
		return;
	if (l->fd >= 0)
		close(l->fd);
	buf_release(&l->pending);
	buf_release(&l->out);
	free(l->path);
	free(l->ns);
	free(l->pod);
	free(l->container);
	free(l);
}

/* Ends the response (once) and frees l once no round runs for it any more. */
static void logreq_end(struct logreq *l)
{
	if (!l->ended) {
		l->ended = 1;
		if (l->streaming)
			http_stream_end(l->req);
		else
			http_respond(l->req, 500, "text/plain", NULL, 0, "", 0); /* the client is gone */
	}
	if (l->working || l->closing)
		return;
	l->closing = 1;
	uv_close((uv_handle_t *)&l->watch, handle_closed);
	uv_close((uv_handle_t *)&l->tick, handle_closed);
}

static void start_round(struct logreq *l);

/* Should a follow end: the pod left the node, or the container terminated? */
static const cJSON *container_status(const cJSON *pod, const char *container);
static int follow_over(struct logreq *l)
{
	const cJSON *pod = agent_pod(l->a, l->ns, l->pod);
	return !pod || json_getv(container_status(pod, l->container), "state", "terminated", NULL) != NULL;
}

static void error_response(struct logreq *l, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void error_response(struct logreq *l, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	http_respond(l->req, code, "text/plain", NULL, 0, msg, strlen(msg));
	l->ended = 1;
}

static void round_done(uv_work_t *w, int status)
{
	struct logreq *l = w->data;
	UNUSED(status);
	l->working = 0;
	if (l->ended) {
		logreq_end(l);
		return;
	}
	if (l->err && !l->streaming) {
		error_response(l, 400, "failed to open log file \"%s\": %s", l->path, strerror(-l->err));
		logreq_end(l);
		return;
	}
	if (!l->follow) {
		http_respond(l->req, 200, "text/plain", NULL, 0, l->out.data ? l->out.data : "", l->out.len);
		l->ended = 1;
		logreq_end(l);
		return;
	}
	if (!l->streaming) {
		http_stream_start(l->req, 200, "text/plain", NULL, 0);
		l->streaming = 1;
	}
	if (l->out.len && http_stream_write_bytes(l->req, l->out.data, l->out.len) < 0)
		l->aborted = 1;
	if (l->aborted || l->remain <= 0 || (l->drained && follow_over(l))) {
		logreq_end(l);
		return;
	}
	if (l->again || !l->drained) {
		l->again = 0;
		start_round(l);
	}
}

static void start_round(struct logreq *l)
{
	if (l->ended)
		return;
	if (l->working) {
		l->again = 1;
		return;
	}
	l->working = 1;
	l->work.data = l;
	uv_queue_work(l->a->loop, &l->work, round_work, round_done);
}

static void on_dir_event(uv_fs_event_t *h, const char *file, int events, int status)
{
	UNUSED(file);
	UNUSED(events);
	UNUSED(status);
	struct logreq *l = h->data;
	if (!l->ended)
		start_round(l);
}

static void on_tick(uv_timer_t *t)
{
	struct logreq *l = t->data;
	if (!l->ended)
		start_round(l);
}

static void on_abort(struct http_request *req)
{
	struct logreq *l = req->data;
	l->aborted = 1;
	logreq_end(l);
}

/* ---- the entry ---------------------------------------------------------------------------- */

static int query_bool(struct http_request *req, const char *name, struct buf *v)
{
	int b = 0;
	return http_query(req, name, v) && (parse_bool(v->data, &b) < 0 ? 1 : b);
}

static int query_int(struct http_request *req, const char *name, struct buf *v, int64_t min, int64_t *out)
{
	if (!http_query(req, name, v))
		return 0;
	return parse_int64(v->data, min, INT64_MAX, out) < 0 ? -1 : 1;
}

/* The status of container in pod (containers, init containers, ephemeral ones), or NULL. */
static const cJSON *container_status(const cJSON *pod, const char *container)
{
	const char *lists[] = { "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses" };
	const cJSON *cs;
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		cJSON_ArrayForEach(cs, cJSON_GetObjectItemCaseSensitive(json_obj(pod, "status"), lists[i]))
		{
			const char *name = json_str(cs, "name");
			if (name && !strcmp(name, container))
				return cs;
		}
	return NULL;
}

/* Reads the query into l. Returns 0, or -1 after answering 400. */
static int parse_options(struct logreq *l, struct http_request *req)
{
	struct buf v = BUF_INIT;
	int64_t secs = 0, limit = 0;
	int r = 0;
	l->follow = query_bool(req, "follow", &v);
	l->timestamps = query_bool(req, "timestamps", &v);
	l->tail = -1;
	l->remain = INT64_MAX;
	if (query_int(req, "tailLines", &v, 0, &l->tail) < 0 || query_int(req, "limitBytes", &v, 1, &limit) < 0 ||
	    query_int(req, "sinceSeconds", &v, 1, &secs) < 0) {
		error_response(l, 400, "invalid tailLines, limitBytes or sinceSeconds");
		r = -1;
	} else if (http_query(req, "sinceTime", &v) && crilog_parse_time(v.data, v.len, &l->since_ns) < 0) {
		error_response(l, 400, "invalid sinceTime \"%s\"", v.data);
		r = -1;
	}
	if (limit > 0)
		l->remain = limit;
	if (secs > 0)
		l->since_ns = (wall_seconds() - secs) * 1000000000LL;
	buf_release(&v);
	return r;
}

/* Finds the log file as upstream's validateContainerLogStatus does; -1 after answering 404/400. */
static int find_file(struct logreq *l, struct http_request *req)
{
	struct buf v = BUF_INIT;
	int previous = query_bool(req, "previous", &v);
	const cJSON *pod = agent_pod(l->a, l->ns, l->pod), *cs = container_status(pod, l->container);
	const char *uid = json_strv(pod, "metadata", "uid", NULL);
	const char *waiting = json_strv(cs, "state", "waiting", "reason", NULL);
	int64_t n = 0;
	buf_release(&v);
	if (!pod || !uid) {
		error_response(l, 404, "pod \"%s/%s\" not found on node %s", l->ns, l->pod, l->a->cfg->node_name);
		return -1;
	}
	if (!cs) {
		error_response(l, 400, "container \"%s\" in pod \"%s\" is not available", l->container, l->pod);
		return -1;
	}
	json_int(cs, "restartCount", &n);
	if (previous && (!json_getv(cs, "lastState", "terminated", NULL) || n < 1)) {
		error_response(l, 400, "previous terminated container \"%s\" in pod \"%s\" not found", l->container, l->pod);
		return -1;
	}
	if (!previous && json_getv(cs, "state", "waiting", NULL)) {
		/* upstream words the two commonest pull failures */
		if (waiting && !strcmp(waiting, "ErrImagePull"))
			waiting = "image can't be pulled";
		else if (waiting && !strcmp(waiting, "ImagePullBackOff"))
			waiting = "trying and failing to pull image";
		error_response(l, 400, "container \"%s\" in pod \"%s\" is waiting to start: %s", l->container, l->pod,
			       waiting ? waiting : "ContainerCreating");
		return -1;
	}
	l->path = agent_log_path(l->a, uid, l->container, previous ? n - 1 : n);
	return 0;
}

void logs_serve(struct agent *a, struct http_request *req, const char *ns, const char *pod, const char *container)
{
	struct logreq *l = xcalloc(1, sizeof(*l));
	l->a = a;
	l->req = req;
	l->fd = -1;
	l->new_line = 1;
	l->ns = xstrdup(ns);
	l->pod = xstrdup(pod);
	l->container = xstrdup(container);
	buf_init(&l->pending);
	buf_init(&l->out);
	uv_fs_event_init(a->loop, &l->watch);
	uv_timer_init(a->loop, &l->tick);
	l->watch.data = l->tick.data = l;
	l->handles = 2;
	if (parse_options(l, req) < 0 || find_file(l, req) < 0) {
		logreq_end(l);
		return;
	}
	req->data = l;
	http_request_on_abort(req, on_abort);
	if (l->follow) {
		char *dir = xstrdup(l->path);
		*strrchr(dir, '/') = '\0';
		uv_fs_event_start(&l->watch, on_dir_event, dir, 0); /* may fail: the tick still polls */
		uv_timer_start(&l->tick, on_tick, FOLLOW_TICK_MS, FOLLOW_TICK_MS);
		free(dir);
	}
	start_round(l);
}
