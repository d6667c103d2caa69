/*
 * runc_exec.c - what the kubelet does to a running container: stop (the stop signal, then
 * SIGKILL after the grace period), signal, and exec (`runc exec`, for exec probes and preStop
 * hooks).
 *
 * DESIGN
 * Signals go straight to the container's init with kill(2), after a check that the pid still
 * has the start time the shim recorded (the shim reaps the init and may still drain its
 * output for a moment before it records the exit: the pid could be reused meanwhile). The
 * init is PID 1 of its PID namespace, so the kernel drops a signal it has no handler for
 * (SIGKILL excepted): a container that ignores SIGTERM is killed when the grace period ends,
 * like the kubelet does through containerd.
 *
 * A stop waits for the exit as one of the container's waiters (the shim's pidfd tells,
 * runc_ctr.c) with a timer for the grace period. An exec is `runc exec ID ARGS...`, which
 * takes the container's environment, user, working directory and capabilities from its spec;
 * its pid file lets a timeout kill the command itself, not only runc. Its output (stdout and
 * stderr together) is kept up to a limit; descendants that keep the pipe open are waited for
 * a short while after the exit at most.
 */
#include "cri/internal.h"
#include "lib/log.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXEC_OUTPUT_DEFAULT 4096
#define EXEC_EOF_WAIT_MS 500

/* -- a callback run from the loop (operations that finish at once) -- */

struct later {
	uv_timer_t timer;
	struct cri_runtime *rt;
	cri_done_cb *cb;
	void *arg;
	int err;
};

static void later_closed(uv_handle_t *h)
{
	struct later *l = h->data;
	struct cri_runtime *rt = l->rt;
	free(l);
	cri_handle_done(rt);
}

static void later_fire(uv_timer_t *t)
{
	struct later *l = t->data;
	l->cb(l->arg, l->err, l->err ? strerror(-l->err) : "");
	uv_close((uv_handle_t *)&l->timer, later_closed);
}

static void later(struct cri_runtime *rt, cri_done_cb *cb, void *arg, int err)
{
	struct later *l = xcalloc(1, sizeof(*l));
	l->rt = rt;
	l->cb = cb;
	l->arg = arg;
	l->err = err;
	uv_timer_init(rt->loop, &l->timer);
	l->timer.data = l;
	rt->handles++;
	uv_timer_start(&l->timer, later_fire, 0, 0);
}

/* -- stop -- */

struct stop_op {
	struct cri_op op;
	uv_timer_t timer;
	cri_done_cb *cb;
	void *arg;
};

static void stop_closed(uv_handle_t *h)
{
	struct stop_op *s = h->data;
	struct cri_runtime *rt = s->op.rt;
	free(s->op.id);
	free(s);
	cri_handle_done(rt);
}

static void stop_end(struct stop_op *s, int err, const char *msg)
{
	cri_op_del(&s->op);
	uv_timer_stop(&s->timer);
	s->cb(s->arg, err, msg);
	uv_close((uv_handle_t *)&s->timer, stop_closed);
}

static void stop_exited(struct cri_op *op)
{
	stop_end((struct stop_op *)op, 0, "");
}

static void stop_cancel(struct cri_op *op)
{
	stop_end((struct stop_op *)op, -ECANCELED, "the runtime is closing");
}

static void stop_grace_over(uv_timer_t *t)
{
	struct stop_op *s = t->data;
	struct cri_ctr *c = hmap_get(&s->op.rt->ctrs, s->op.id);
	if (c && cri_ctr_kill(c, SIGKILL) == 0)
		log_info("runtime: container %s (%s) still ran after its grace period: SIGKILL",
			 c->pub.id, c->pub.name);
}

int cri_container_stop(struct cri_runtime *rt, const char *id, unsigned grace_seconds,
		       cri_done_cb *cb, void *arg)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	struct cri_ctr *c = hmap_get(&rt->ctrs, id);
	if (!c)
		return -KUBE_ENOTFOUND;
	if (c->pub.state != CRI_STATE_RUNNING || c->pub.pid <= 0) {
		later(rt, cb, arg, 0);
		return 0;
	}
	struct stop_op *s = xcalloc(1, sizeof(*s));
	cri_op_add(rt, &s->op, id);
	s->op.on_exit = stop_exited;
	s->op.cancel = stop_cancel;
	s->cb = cb;
	s->arg = arg;
	uv_timer_init(rt->loop, &s->timer);
	s->timer.data = s;
	rt->handles++;
	cri_ctr_wait(c, &s->op);
	int sig = grace_seconds ? c->stop_signal : SIGKILL;
	if (cri_ctr_kill(c, sig) == -ESRCH)
		sig = SIGKILL; /* gone already: the watch reports the exit */
	if (sig != SIGKILL)
		uv_timer_start(&s->timer, stop_grace_over, (uint64_t)grace_seconds * 1000, 0);
	if (!c->watch)
		cri_ctr_watch(c); /* may end the stop at once */
	return 0;
}

int cri_container_signal(struct cri_runtime *rt, const char *id, int sig, cri_done_cb *cb,
			 void *arg)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	struct cri_ctr *c = hmap_get(&rt->ctrs, id);
	if (!c)
		return -KUBE_ENOTFOUND;
	if (sig <= 0 || sig >= NSIG)
		return -KUBE_EINVAL;
	if (c->pub.state != CRI_STATE_RUNNING || c->pub.pid <= 0)
		return -ESRCH;
	later(rt, cb, arg, cri_ctr_kill(c, sig));
	return 0;
}

/* -- exec -- */

struct exec_op {
	struct cri_op op;
	struct cri_proc *proc;
	uv_timer_t timer;
	char *pid_file;
	int timed_out, handles;
	int done;
	cri_exec_cb *cb;
	void *arg;
};

static void exec_free(struct exec_op *e)
{
	if (--e->handles > 0)
		return;
	struct cri_runtime *rt = e->op.rt;
	unlink(e->pid_file);
	free(e->pid_file);
	free(e->op.id);
	free(e);
	cri_handle_done(rt);
}

static void exec_timer_closed(uv_handle_t *h)
{
	exec_free(h->data);
}

/* Kills the command (from its pid file) and runc exec. */
static void exec_kill(struct exec_op *e)
{
	char *text = NULL;
	size_t len;
	if (read_file(e->pid_file, &text, &len) == 0) {
		long pid = strtol(text, NULL, 10);
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	}
	free(text);
	if (e->proc)
		uv_process_kill(&e->proc->proc, SIGKILL);
}

static void exec_timeout(uv_timer_t *t)
{
	struct exec_op *e = t->data;
	e->timed_out = 1;
	exec_kill(e);
}

static void exec_finished(struct cri_proc *p)
{
	struct exec_op *e = p->data;
	e->proc = NULL;
	cri_op_del(&e->op);
	uv_timer_stop(&e->timer);
	if (!e->done) {
		int code = p->term_signal ? 128 + p->term_signal : (int)p->status;
		e->cb(e->arg, e->timed_out ? -ETIMEDOUT : 0, code, p->out.data ? p->out.data : "",
		      p->out.len);
	}
	e->done = 1;
	uv_close((uv_handle_t *)&e->timer, exec_timer_closed);
}

static void exec_cancel(struct cri_op *op)
{
	struct exec_op *e = (struct exec_op *)op;
	cri_op_del(op);
	exec_kill(e);
	if (!e->done)
		e->cb(e->arg, -ECANCELED, -1, "", 0);
	e->done = 1;
}

int cri_container_exec(struct cri_runtime *rt, const char *id, const char *const *argv,
		       uint64_t timeout_ms, size_t max_output, cri_exec_cb *cb, void *arg)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	struct cri_ctr *c = hmap_get(&rt->ctrs, id);
	if (!c)
		return -KUBE_ENOTFOUND;
	if (!argv || !argv[0] || !*argv[0])
		return -KUBE_EINVAL;
	if (c->pub.state != CRI_STATE_RUNNING)
		return -ESRCH;
	struct exec_op *e = xcalloc(1, sizeof(*e));
	char rnd[65];
	cri_new_id(rnd);
	e->pid_file = xasprintf("%s/exec-%.16s.pid", c->dir, rnd);
	char **args = cri_runc_argv(rt, NULL, "exec", "--pid-file", e->pid_file, id, NULL);
	for (size_t i = 0; argv[i]; i++)
		cri_argv_push(&args, argv[i]);
	int rc = cri_proc_spawn(rt, rt->runc, args, max_output ? max_output : EXEC_OUTPUT_DEFAULT,
				EXEC_EOF_WAIT_MS, exec_finished, e, &e->proc);
	cri_argv_free(args);
	if (rc < 0) {
		free(e->pid_file);
		free(e);
		return rc;
	}
	cri_op_add(rt, &e->op, id);
	e->op.cancel = exec_cancel;
	e->cb = cb;
	e->arg = arg;
	e->handles = 1;
	uv_timer_init(rt->loop, &e->timer);
	e->timer.data = e;
	rt->handles++;
	if (timeout_ms)
		uv_timer_start(&e->timer, exec_timeout, timeout_ms, 0);
	return 0;
}
