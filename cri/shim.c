/*
 * shim.c - `kube shim`: the per-container process that runs the container with runc, owns its
 * stdout and stderr, writes its CRI log file and records its exit.
 *
 *   kube shim --id ID --dir DIR --runc PATH --root RUNC_ROOT --log FILE
 *             [--log-max-size BYTES] [--log-max-files N] [--oom-file FILE]
 *
 * DESIGN
 * The runtime starts the shim with uv_spawn, stdout a pipe. The shim forks at once and the
 * first process exits (the runtime reaps it), so the shim proper is nobody's child: it calls
 * setsid() and survives the agent's restarts and `kill -9`. It makes itself a child subreaper,
 * so the container's init, which runc leaves behind when `runc run -d` exits, is reparented to
 * it and it can wait for it. It then:
 *
 *   1. records shim.json (its pid and start time: the runtime watches it through a pidfd and
 *      checks the start time against pid reuse);
 *   2. runs `runc run -d --pid-file DIR/init.pid --bundle DIR ID` with stdin /dev/null and
 *      stdout/stderr two pipes it owns; runc's own errors go to DIR/runc.log (JSON);
 *   3. on failure writes exit.json (exit code 128, reason StartError, runc's message), answers
 *      "failed <pid> <message>" on the pipe to the runtime and exits; on success writes
 *      started.json (init pid, start time) and answers "ok <pid> <init pid>", then closes the
 *      pipe (the runtime sees EOF);
 *   4. copies the container's output into the log file (shim_log.c) until the init exits, and
 *      a little longer (at most DRAIN_MS) until both pipes reach EOF;
 *   5. reads the cgroup's OOM kill counter and writes exit.json (code or 128 + signal, finish
 *      time, oomKilled) atomically, then exits. `runc delete` is left to the runtime's remove.
 *
 * State files are written with a rename, so a reader sees a whole file or none. The runtime
 * learns of the exit when the shim's pidfd becomes readable (the shim has exited, after its
 * last write), so no polling is needed and a shim that died without writing exit.json is seen
 * too. The shim has no event loop and allocates little: one poll(2) over the two pipes and a
 * signalfd for SIGCHLD. Its stderr goes to DIR/shim.log (empty unless something went wrong).
 */
#include "cri/internal.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_MS 2000 /* output still read after the init exited, at most */
#define MAX_ORPHANS 16

struct shim {
	const char *id, *dir, *runc, *root, *log_path, *oom_file;
	unsigned long long log_max_size;
	unsigned log_max_files;
	int sigfd;
	int pipes[2];      /* read ends: stdout, stderr (-1 once closed) */
	pid_t runc_pid, init_pid;
	int runc_status, init_status, runc_done, init_done;
	pid_t orphans[MAX_ORPHANS]; /* reaped before the init's pid was known */
	int orphan_status[MAX_ORPHANS];
	int64_t orphan_time[MAX_ORPHANS];
	int norphans;
	struct cri_log log;
	int64_t finished;
};

static char *path_in(const struct shim *s, const char *name)
{
	return xasprintf("%s/%s", s->dir, name);
}

/* Writes DIR/name atomically (temporary file and rename). */
static int write_state(const struct shim *s, const char *name, const struct buf *b)
{
	char *p = path_in(s, name);
	int rc = cri_write_file(p, b->data ? b->data : "", b->len);
	if (rc < 0)
		fprintf(stderr, "kube shim: writing %s: %s\n", p, strerror(-rc));
	free(p);
	return rc;
}

static void record_exit(struct shim *s, int code, int sig, int oom, const char *reason,
			const char *message)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%lld\",\"oomKilled\":%s", code,
		 sig, (long long)s->finished, oom ? "true" : "false");
	if (reason) {
		buf_adds(&b, ",\"reason\":");
		buf_add_json_string(&b, reason);
	}
	if (message) {
		buf_adds(&b, ",\"message\":");
		buf_add_json_string(&b, message);
	}
	buf_adds(&b, "}\n");
	write_state(s, "exit.json", &b);
	buf_release(&b);
}

/* Tells the runtime how the start went and closes the pipe to it (fd 1). */
static void answer(const char *line)
{
	size_t n = strlen(line);
	while (n > 0) {
		ssize_t w = write(1, line, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		line += w;
		n -= (size_t)w;
	}
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 1);
		close(null);
	}
}

/* Reaps every child that has exited; the runc process and the init are recognised. */
static void reap(struct shim *s)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == s->runc_pid) {
			s->runc_status = st;
			s->runc_done = 1;
		} else if (s->init_pid && pid == s->init_pid) {
			s->init_status = st;
			s->init_done = 1;
			s->finished = cri_wall_ns();
		} else if (!s->init_pid && s->norphans < MAX_ORPHANS) {
			s->orphans[s->norphans] = pid;
			s->orphan_time[s->norphans] = cri_wall_ns();
			s->orphan_status[s->norphans++] = st;
		}
	}
}

static void drain_sigfd(struct shim *s)
{
	struct signalfd_siginfo si;
	while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
}

/* Starts `runc run -d` with the container's stdio; returns its pid or -errno. */
static pid_t start_runc(struct shim *s, int out_w, int err_w)
{
	char *log = path_in(s, "runc.log"), *pidf = path_in(s, "init.pid");
	const char *argv[] = { s->runc, "--root", s->root, "--log", log, "--log-format", "json",
			       "run", "-d", "--pid-file", pidf, "--bundle", s->dir, s->id, NULL };
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
			_exit(127);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	free(log);
	free(pidf);
	return pid < 0 ? -errno : pid;
}

/* Waits (on the signalfd) until runc has exited. */
static void wait_runc(struct shim *s)
{
	while (!s->runc_done) {
		struct pollfd p = { .fd = s->sigfd, .events = POLLIN };
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		drain_sigfd(s);
		reap(s);
	}
}

/* runc's last error message from its JSON log, or a description of its exit status. */
static char *runc_error(const struct shim *s)
{
	char *p = path_in(s, "runc.log"), *text = NULL, *msg = NULL;
	size_t len;
	if (read_file(p, &text, &len) == 0)
		msg = cri_runc_message(text);
	free(p);
	free(text);
	if (!msg || !*msg) {
		free(msg);
		msg = WIFEXITED(s->runc_status) && WEXITSTATUS(s->runc_status) == 127 ?
			      xasprintf("cannot execute runc (%s)", s->runc) :
			      xasprintf("runc run failed with status %d", s->runc_status);
	}
	return msg;
}

static int read_init_pid(struct shim *s)
{
	char *p = path_in(s, "init.pid"), *text = NULL;
	size_t len;
	int rc = read_file(p, &text, &len);
	free(p);
	long v = rc == 0 ? strtol(text, NULL, 10) : 0;
	free(text);
	if (v <= 0)
		return -1;
	s->init_pid = (pid_t)v;
	for (int i = 0; i < s->norphans; i++) {
		if (s->orphans[i] == s->init_pid) {
			s->init_status = s->orphan_status[i];
			s->init_done = 1;
			s->finished = s->orphan_time[i];
		}
	}
	return 0;
}

/* Reads what a pipe has; returns 0, or 1 at EOF (the pipe is then closed). */
static int pump(struct shim *s, int stream)
{
	static char chunk[65536];
	ssize_t n = read(s->pipes[stream], chunk, sizeof(chunk));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	int64_t now = cri_wall_ns();
	if (n > 0) {
		cri_log_feed(&s->log, stream, chunk, (size_t)n, now);
		cri_log_flush(&s->log);
		return 0;
	}
	cri_log_eof(&s->log, stream, now);
	cri_log_flush(&s->log);
	close(s->pipes[stream]);
	s->pipes[stream] = -1;
	return 1;
}

/* Copies output until the init has exited and the pipes ended (or DRAIN_MS after the exit). */
static void copy_output(struct shim *s)
{
	uint64_t deadline = 0;
	for (;;) {
		if (s->init_done && !deadline)
			deadline = now_ns() / 1000000 + DRAIN_MS;
		if (s->init_done && s->pipes[0] < 0 && s->pipes[1] < 0)
			break;
		int timeout = -1;
		if (deadline) {
			uint64_t now = now_ns() / 1000000;
			if (now >= deadline)
				break;
			timeout = (int)(deadline - now);
		}
		struct pollfd p[3] = { { .fd = s->sigfd, .events = POLLIN },
				       { .fd = s->pipes[0], .events = POLLIN },
				       { .fd = s->pipes[1], .events = POLLIN } };
		if (poll(p, 3, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			drain_sigfd(s);
			reap(s);
		}
		for (int i = 0; i < 2; i++)
			if (s->pipes[i] >= 0 && p[i + 1].revents)
				pump(s, i);
	}
	for (int i = 0; i < 2; i++) {
		if (s->pipes[i] >= 0) {
			cri_log_eof(&s->log, i, cri_wall_ns());
			close(s->pipes[i]);
			s->pipes[i] = -1;
		}
	}
	cri_log_flush(&s->log);
}

static int oom_killed(const struct shim *s)
{
	char *text = NULL;
	size_t len;
	if (!s->oom_file || read_file(s->oom_file, &text, &len) < 0)
		return 0;
	int oom = cri_cgroup_oom_kills(text) > 0;
	free(text);
	return oom;
}

static int parse_args(struct shim *s, int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--id"))
			s->id = v;
		else if (!strcmp(k, "--dir"))
			s->dir = v;
		else if (!strcmp(k, "--runc"))
			s->runc = v;
		else if (!strcmp(k, "--root"))
			s->root = v;
		else if (!strcmp(k, "--log"))
			s->log_path = v;
		else if (!strcmp(k, "--oom-file"))
			s->oom_file = v;
		else if (!strcmp(k, "--log-max-size"))
			s->log_max_size = strtoull(v, NULL, 10);
		else if (!strcmp(k, "--log-max-files"))
			s->log_max_files = (unsigned)strtoul(v, NULL, 10);
		else
			return -1;
	}
	return s->id && s->dir && s->runc && s->root && s->log_path && argc % 2 == 1 ? 0 : -1;
}

/* Becomes the detached shim: fork (the parent exits), new session, stderr to DIR/shim.log,
 * subreaper, SIGCHLD through a signalfd. Returns 0 in the shim, or -1 on failure. */
static int detach(struct shim *s)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	char *p = path_in(s, "shim.log");
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	free(p);
	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return s->sigfd < 0 || chdir(s->dir) < 0 ? -1 : 0;
}

static void fail(struct shim *s, const char *msg)
{
	s->finished = cri_wall_ns();
	record_exit(s, 128, 0, 0, "StartError", msg);
	char *line = xasprintf("failed %d %s\n", (int)getpid(), msg);
	for (char *c = line + 7; c[1]; c++)
		if (*c == '\n')
			*c = ' ';
	answer(line);
	free(line);
}

/* Runs runc; returns 0 when the container runs (the answer given), -1 when it failed. */
static int run_container(struct shim *s)
{
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		fail(s, "shim: cannot create pipes");
		return -1;
	}
	s->runc_pid = start_runc(s, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	s->pipes[0] = out[0];
	s->pipes[1] = err[0];
	if (s->runc_pid < 0) {
		fail(s, "shim: cannot fork runc");
		return -1;
	}
	wait_runc(s);
	if (!WIFEXITED(s->runc_status) || WEXITSTATUS(s->runc_status) != 0 ||
	    read_init_pid(s) < 0) {
		char *msg = runc_error(s);
		fail(s, msg);
		free(msg);
		return -1;
	}
	struct buf b = BUF_INIT;
	int64_t started = cri_wall_ns();
	if (s->init_done && s->finished < started)
		started = s->finished; /* it exited before runc returned */
	/* The init's start time lets the runtime check the pid before signalling it. */
	buf_addf(&b, "{\"pid\":%d,\"start\":%llu,\"startedAt\":\"%lld\"}\n", (int)s->init_pid,
		 s->init_done ? 0ULL : cri_proc_start(s->init_pid), (long long)started);
	write_state(s, "started.json", &b);
	buf_reset(&b);
	buf_addf(&b, "ok %d %d\n", (int)getpid(), (int)s->init_pid);
	answer(buf_str(&b));
	buf_release(&b);
	return 0;
}

int cmd_shim(int argc, char **argv)
{
	struct shim s = { .pipes = { -1, -1 }, .sigfd = -1 };
	if (parse_args(&s, argc, argv) < 0) {
		fprintf(stderr, "kube shim: bad arguments (the shim is started by the runtime)\n");
		return 2;
	}
	if (detach(&s) < 0) {
		printf("failed %d shim: cannot detach: %s\n", (int)getpid(), strerror(errno));
		return 1;
	}
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"pid\":%d,\"start\":%llu}\n", (int)getpid(), cri_proc_start(getpid()));
	write_state(&s, "shim.json", &b);
	buf_release(&b);
	int lrc = cri_log_open(&s.log, s.log_path, s.log_max_size, s.log_max_files);
	if (lrc < 0) {
		char *msg = xasprintf("cannot open the log file %s: %s", s.log_path, strerror(-lrc));
		fail(&s, msg);
		free(msg);
		return 1;
	}
	int rc = 1;
	if (run_container(&s) == 0) {
		copy_output(&s);
		int st = s.init_status;
		int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		record_exit(&s, code, WIFSIGNALED(st) ? WTERMSIG(st) : 0, oom_killed(&s), NULL, NULL);
		rc = 0;
	}
	for (int i = 0; i < 2; i++)
		if (s.pipes[i] >= 0)
			close(s.pipes[i]);
	cri_log_close(&s.log);
	close(s.sigfd);
	return rc;
}
