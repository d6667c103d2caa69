/*
 * runc_proc.c - child processes of the runtime (runc, the shims) and small helpers: runc
 * command lines and messages, state files, ids, work on the thread pool.
 *
 * DESIGN
 * A struct cri_proc is one uv_spawn'ed process whose stdout and stderr share one pipe, read
 * into a bounded buffer. It is finished when the process has exited and the pipe reached EOF
 * (or, for commands whose descendants may keep the pipe open, a short while after the exit);
 * then done() runs once and the handles are closed. Every process, work request and handle
 * is counted in rt->handles, so that closing the runtime can wait for all of them.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void proc_closed(uv_handle_t *h)
{
	struct cri_proc *p = h->data;
	if (--p->handles > 0)
		return;
	struct cri_runtime *rt = p->rt;
	buf_release(&p->out);
	free(p);
	cri_handle_done(rt);
}

static void proc_finish(struct cri_proc *p)
{
	if (p->timer_on)
		uv_timer_stop(&p->timer);
	p->timer_on = 0;
	if (p->done) {
		void (*done)(struct cri_proc *) = p->done;
		p->done = NULL;
		done(p);
	}
	uv_close((uv_handle_t *)&p->proc, proc_closed);
	uv_close((uv_handle_t *)&p->pipe, proc_closed);
	uv_close((uv_handle_t *)&p->timer, proc_closed);
}

static void proc_check(struct cri_proc *p)
{
	if (p->exited && p->eof)
		proc_finish(p);
}

static void proc_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	static char chunk[16384];
	UNUSED(h);
	UNUSED(hint);
	/* One loop thread reads at a time and consumes the data before the next read. */
	*b = uv_buf_init(chunk, sizeof(chunk));
}

static void proc_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct cri_proc *p = s->data;
	if (n > 0) {
		size_t keep = p->out.len < p->max_output ? MIN((size_t)n, p->max_output - p->out.len) : 0;
		buf_add(&p->out, b->base, keep);
		return;
	}
	if (n == 0 || n == UV_EAGAIN)
		return;
	uv_read_stop(s);
	p->eof = 1;
	proc_check(p);
}

static void proc_timeout(uv_timer_t *t)
{
	struct cri_proc *p = t->data;
	p->timer_on = 0;
	uv_read_stop((uv_stream_t *)&p->pipe);
	p->eof = 1;
	proc_check(p);
}

static void proc_exit(uv_process_t *h, int64_t status, int sig)
{
	struct cri_proc *p = h->data;
	p->exited = 1;
	p->status = status;
	p->term_signal = sig;
	if (!p->eof && p->eof_wait_ms) {
		p->timer_on = 1;
		uv_timer_start(&p->timer, proc_timeout, p->eof_wait_ms, 0);
	}
	proc_check(p);
}

int cri_proc_spawn(struct cri_runtime *rt, const char *file, char *const *argv,
		   size_t max_output, uint64_t eof_wait_ms, void (*done)(struct cri_proc *p),
		   void *data, struct cri_proc **out)
{
	uv_file fds[2];
	int rc = uv_pipe(fds, 0, 0);
	if (rc < 0)
		return rc;
	struct cri_proc *p = xcalloc(1, sizeof(*p));
	p->rt = rt;
	p->max_output = max_output;
	p->eof_wait_ms = eof_wait_ms;
	p->done = done;
	p->data = data;
	uv_pipe_init(rt->loop, &p->pipe, 0);
	uv_pipe_open(&p->pipe, fds[0]);
	uv_timer_init(rt->loop, &p->timer);
	p->pipe.data = p->timer.data = p->proc.data = p;
	uv_stdio_container_t stdio[3] = {
		{ .flags = UV_IGNORE },
		{ .flags = UV_INHERIT_FD, .data.fd = fds[1] },
		{ .flags = UV_INHERIT_FD, .data.fd = fds[1] },
	};
	uv_process_options_t o = { .exit_cb = proc_exit, .file = file, .args = (char **)argv,
				   .stdio_count = 3, .stdio = stdio };
	rc = uv_spawn(rt->loop, &p->proc, &o);
	close(fds[1]);
	rt->handles++;
	if (rc < 0) {
		/* The handles are closed (a failed uv_spawn leaves its handle initialised). */
		p->done = NULL;
		p->handles = 3;
		uv_close((uv_handle_t *)&p->pipe, proc_closed);
		uv_close((uv_handle_t *)&p->timer, proc_closed);
		uv_close((uv_handle_t *)&p->proc, proc_closed);
		return rc;
	}
	p->handles = 3;
	uv_read_start((uv_stream_t *)&p->pipe, proc_alloc, proc_read);
	if (out)
		*out = p;
	return 0;
}

static void push(char ***argv, size_t *n, const char *a)
{
	*argv = xrealloc(*argv, (*n + 2) * sizeof(char *));
	(*argv)[(*n)++] = xstrdup(a);
	(*argv)[*n] = NULL;
}

char **cri_runc_argv(struct cri_runtime *rt, const char *log, ...)
{
	char **argv = NULL;
	size_t n = 0;
	push(&argv, &n, rt->runc);
	push(&argv, &n, "--root");
	push(&argv, &n, rt->runc_root);
	if (log) {
		push(&argv, &n, "--log");
		push(&argv, &n, log);
		push(&argv, &n, "--log-format");
		push(&argv, &n, "json");
	}
	va_list ap;
	va_start(ap, log);
	for (const char *a = va_arg(ap, const char *); a; a = va_arg(ap, const char *))
		push(&argv, &n, a);
	va_end(ap);
	return argv;
}

void cri_argv_push(char ***argv, const char *a)
{
	size_t n = 0;
	while (*argv && (*argv)[n])
		n++;
	push(argv, &n, a);
}

unsigned long long cri_proc_start(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* Fields after the command (which may hold spaces) start after the last ')'. */
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

const char *cri_go_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#elif defined(__i386__)
	return "386";
#elif defined(__riscv) && __riscv_xlen == 64
	return "riscv64";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return "ppc64le";
#elif defined(__s390x__)
	return "s390x";
#else
	return "unknown";
#endif
}

void cri_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* The message of the last error line of runc's JSON log; NULL if none. */
static char *json_log_message(const char *text)
{
	char *msg = NULL;
	for (const char *p = text; p && *p;) {
		const char *e = strchrnul(p, '\n');
		if (*p == '{') {
			cJSON *j = json_parse(p, (size_t)(e - p), NULL);
			const char *level = j ? json_str(j, "level") : NULL;
			const char *m = j ? json_str(j, "msg") : NULL;
			if (m && level && (!strcmp(level, "error") || !strcmp(level, "fatal"))) {
				free(msg);
				msg = xstrdup(m);
			}
			cJSON_Delete(j);
		}
		p = *e ? e + 1 : e;
	}
	return msg;
}

char *cri_runc_message(const char *out)
{
	char *msg = out ? json_log_message(out) : NULL;
	if (msg)
		return msg;
	/* Plain text: the last non-empty line, without logrus's "time=... level=error msg=". */
	const char *last = NULL, *last_end = NULL;
	for (const char *p = out; p && *p;) {
		const char *e = strchrnul(p, '\n');
		if (e > p) {
			last = p;
			last_end = e;
		}
		p = *e ? e + 1 : e;
	}
	if (!last)
		return xstrdup("");
	const char *m = strstr(last, "msg=\"");
	if (m && m < last_end) {
		last = m + 5;
		if (last_end > last && last_end[-1] == '"')
			last_end--;
	}
	return xstrndup(last, (size_t)(last_end - last));
}

int cri_write_file(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = 0;
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

cJSON *cri_read_json(const char *path)
{
	char *text = NULL;
	size_t len;
	if (read_file(path, &text, &len) < 0)
		return NULL;
	cJSON *j = json_parse(text, len, NULL);
	free(text);
	return j;
}

int cri_rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *sub = xasprintf("%s/%s", path, e->d_name);
			cri_rm_rf(sub);
			free(sub);
		}
		if (d)
			closedir(d);
		return rmdir(path) < 0 && errno != ENOENT ? -errno : 0;
	}
	return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
}

void cri_new_id(char out[65])
{
	unsigned char b[32];
	random_bytes(b, sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int64_t cri_wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void cri_json_set_ns(cJSON *o, const char *key, int64_t ns)
{
	char s[32];
	snprintf(s, sizeof(s), "%lld", (long long)ns);
	json_set_str(o, key, s);
}

int64_t cri_json_ns(const cJSON *o, const char *key)
{
	const char *s = json_str(o, key);
	int64_t v = 0;
	if (!s || parse_int64(s, 0, INT64_MAX, &v) < 0)
		return 0;
	return v;
}

struct work {
	uv_work_t req;
	struct cri_runtime *rt;
	void (*work)(void *data);
	void (*done)(void *data, int cancelled);
	void *data;
};

static void work_run(uv_work_t *req)
{
	struct work *w = container_of(req, struct work, req);
	w->work(w->data);
}

static void work_after(uv_work_t *req, int status)
{
	struct work *w = container_of(req, struct work, req);
	struct cri_runtime *rt = w->rt;
	w->done(w->data, status == UV_ECANCELED);
	free(w);
	cri_handle_done(rt);
}

int cri_queue_work(struct cri_runtime *rt, void (*work)(void *data),
		   void (*done)(void *data, int cancelled), void *data)
{
	struct work *w = xcalloc(1, sizeof(*w));
	w->rt = rt;
	w->work = work;
	w->done = done;
	w->data = data;
	int rc = uv_queue_work(rt->loop, &w->req, work_run, work_after);
	if (rc < 0) {
		free(w);
		return rc;
	}
	rt->handles++;
	return 0;
}
