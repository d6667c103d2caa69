/*
 * runc_ctr.c - container records: their state files, recovery after an agent restart, the
 * watch on each shim and the exit notifications.
 *
 * DESIGN
 * A container's whole state is its directory RUN/PREFIX/shims/<id>/: meta.json (written by the
 * runtime with the bundle: pod, name, attempt, labels, paths), shim.json (the shim's pid and
 * start time), started.json (the init's pid and start time) and exit.json (code, signal,
 * finish time, OOM kill, reason), the last three written atomically by the shim. A record is
 * the parsed picture of those files.
 *
 * The runtime learns of an exit without polling: while a shim runs, the runtime holds a pidfd
 * of it in a uv_poll handle; the pidfd becomes readable when the shim has exited, which it
 * does right after writing exit.json. A pidfd (rather than inotify on the state directory or a
 * socket the shim holds) needs no cooperation from the shim, sees a shim that was killed, and
 * costs one descriptor per container. After a restart the shim is found again from shim.json,
 * its start time compared with /proc/<pid>/stat against pid reuse; a shim that is gone without
 * an exit.json leaves the container exited with reason "Unknown" (code 255), as containerd
 * reports a lost task.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* -- operations in flight -- */

void cri_op_add(struct cri_runtime *rt, struct cri_op *op, const char *id)
{
	op->rt = rt;
	op->id = id ? xstrdup(id) : NULL;
	op->prev = NULL;
	op->next = rt->ops;
	if (rt->ops)
		rt->ops->prev = op;
	rt->ops = op;
	op->linked = 1;
}

void cri_op_del(struct cri_op *op)
{
	if (!op->linked)
		return;
	struct cri_runtime *rt = op->rt;
	if (op->prev)
		op->prev->next = op->next;
	else
		rt->ops = op->next;
	if (op->next)
		op->next->prev = op->prev;
	op->next = op->prev = NULL;
	op->linked = 0;
	struct cri_ctr *c = op->id ? hmap_get(&rt->ctrs, op->id) : NULL;
	if (c)
		cri_ctr_unwait(c, op);
}

void cri_ops_cancel_all(struct cri_runtime *rt)
{
	while (rt->ops) {
		struct cri_op *op = rt->ops;
		op->cancel(op); /* takes op off the list */
		if (rt->ops == op)
			cri_op_del(op);
	}
}

void cri_ctr_wait(struct cri_ctr *c, struct cri_op *op)
{
	op->wnext = c->waiters;
	c->waiters = op;
}

void cri_ctr_unwait(struct cri_ctr *c, struct cri_op *op)
{
	for (struct cri_op **p = &c->waiters; *p; p = &(*p)->wnext) {
		if (*p == op) {
			*p = op->wnext;
			break;
		}
	}
	op->wnext = NULL;
}

/* -- records -- */

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

void cri_ctr_free(struct cri_ctr *c)
{
	struct cri_container *p = &c->pub;
	cri_ctr_unwatch(c);
	free(p->id);
	free(p->sandbox_id);
	free(p->pod_uid);
	free(p->name);
	free(p->log_path);
	for (size_t i = 0; i < p->nlabels; i++) {
		free((char *)p->labels[i].key);
		free((char *)p->labels[i].value);
	}
	free(p->labels);
	free(p->reason);
	free(p->message);
	free(c->dir);
	free(c->cgroups_path);
	free(c->oom_file);
	free(c);
}

cJSON *cri_ctr_meta(const struct cri_ctr *c)
{
	const struct cri_container *p = &c->pub;
	cJSON *m = cJSON_CreateObject();
	json_set_str(m, "id", p->id);
	json_set_str(m, "sandboxId", p->sandbox_id);
	json_set_str(m, "podUid", p->pod_uid);
	json_set_str(m, "name", p->name);
	json_set_int(m, "attempt", p->attempt);
	json_set_str(m, "logPath", p->log_path);
	json_set_str(m, "cgroupsPath", c->cgroups_path);
	if (c->oom_file)
		json_set_str(m, "oomFile", c->oom_file);
	json_set_int(m, "stopSignal", c->stop_signal);
	cri_json_set_ns(m, "createdAt", p->created_ns);
	cJSON *l = cJSON_AddObjectToObject(m, "labels");
	for (size_t i = 0; i < p->nlabels; i++)
		json_set_str(l, p->labels[i].key, p->labels[i].value);
	return m;
}

static struct cri_ctr *ctr_from_meta(struct cri_runtime *rt, const cJSON *m)
{
	const char *id = json_str(m, "id"), *sb = json_str(m, "sandboxId");
	const char *uid = json_str(m, "podUid"), *name = json_str(m, "name");
	const char *log = json_str(m, "logPath"), *cg = json_str(m, "cgroupsPath");
	if (!id || !sb || !uid || !name || !log || !cg)
		return NULL;
	int64_t attempt = 0, sig = 0;
	json_int(m, "attempt", &attempt);
	json_int(m, "stopSignal", &sig);
	struct cri_ctr *c = xcalloc(1, sizeof(*c));
	struct cri_container *p = &c->pub;
	c->rt = rt;
	c->pidfd = -1;
	p->id = xstrdup(id);
	p->sandbox_id = xstrdup(sb);
	p->pod_uid = xstrdup(uid);
	p->name = xstrdup(name);
	p->attempt = (unsigned)attempt;
	p->log_path = xstrdup(log);
	p->created_ns = cri_json_ns(m, "createdAt");
	p->message = xstrdup("");
	c->cgroups_path = xstrdup(cg);
	set_str(&c->oom_file, json_str(m, "oomFile"));
	c->stop_signal = (int)sig;
	c->dir = xasprintf("%s/%s", rt->shims_dir, id);
	const cJSON *e;
	cJSON_ArrayForEach(e, json_obj(m, "labels")) {
		if (!cJSON_IsString(e))
			continue;
		p->labels = xrealloc(p->labels, (p->nlabels + 1) * sizeof(*p->labels));
		p->labels[p->nlabels].key = xstrdup(e->string);
		p->labels[p->nlabels++].value = xstrdup(e->valuestring);
	}
	return c;
}

static cJSON *state_file(const struct cri_ctr *c, const char *name)
{
	char *p = xasprintf("%s/%s", c->dir, name);
	cJSON *j = cri_read_json(p);
	free(p);
	return j;
}

/* Reads exit.json into the record; returns 0, or -1 when there is none. */
static int read_exit(struct cri_ctr *c)
{
	cJSON *e = state_file(c, "exit.json");
	if (!e)
		return -1;
	struct cri_container *p = &c->pub;
	int64_t code = 255, fin = cri_json_ns(e, "finishedAt");
	json_int(e, "exitCode", &code);
	p->exit_code = (int)code;
	p->finished_ns = fin;
	p->oom_killed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "oomKilled"));
	const char *reason = json_str(e, "reason"), *msg = json_str(e, "message");
	if (!reason)
		reason = p->oom_killed ? "OOMKilled" : code == 0 ? "Completed" : "Error";
	set_str(&p->reason, reason);
	set_str(&p->message, msg ? msg : "");
	p->state = CRI_STATE_EXITED;
	p->pid = 0;
	cJSON_Delete(e);
	return 0;
}

void cri_ctr_read_state(struct cri_ctr *c)
{
	cJSON *s = state_file(c, "shim.json");
	int64_t v = 0;
	if (s && json_int(s, "pid", &v) == 0)
		c->shim_pid = (int)v;
	if (s && json_int(s, "start", &v) == 0)
		c->shim_start = (unsigned long long)v;
	cJSON_Delete(s);
	cJSON *st = state_file(c, "started.json");
	if (st && json_int(st, "start", &v) == 0)
		c->init_start = (unsigned long long)v;
	if (st && json_int(st, "pid", &v) == 0) {
		c->pub.pid = (int)v;
		c->pub.state = CRI_STATE_RUNNING;
	}
	if (st)
		c->pub.started_ns = cri_json_ns(st, "startedAt");
	cJSON_Delete(st);
	read_exit(c);
}

int cri_ctr_kill(struct cri_ctr *c, int sig)
{
	pid_t pid = c->pub.pid;
	if (c->pub.state != CRI_STATE_RUNNING || pid <= 0 || !c->init_start ||
	    cri_proc_start(pid) != c->init_start)
		return -ESRCH;
	return kill(pid, sig) < 0 ? -errno : 0;
}

/* The shim is gone without exit.json: the exit is unknown. */
static void record_unknown(struct cri_ctr *c, const char *why)
{
	struct cri_container *p = &c->pub;
	p->state = CRI_STATE_EXITED;
	p->exit_code = 255;
	p->pid = 0;
	if (!p->finished_ns)
		p->finished_ns = cri_wall_ns();
	set_str(&p->reason, "Unknown");
	set_str(&p->message, why);
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"exitCode\":255,\"signal\":0,\"finishedAt\":\"%lld\",\"oomKilled\":false,"
		 "\"reason\":\"Unknown\",\"message\":", (long long)p->finished_ns);
	buf_add_json_string(&b, why);
	buf_adds(&b, "}\n");
	char *path = xasprintf("%s/exit.json", c->dir);
	cri_write_file(path, b.data, b.len);
	free(path);
	buf_release(&b);
}

void cri_ctr_exited(struct cri_ctr *c)
{
	cri_ctr_unwatch(c);
	int was_exited = c->pub.state == CRI_STATE_EXITED;
	if (read_exit(c) < 0)
		record_unknown(c, "the shim exited without recording the container's exit");
	if (!was_exited)
		log_info("runtime: container %s (%s) exited: code %d, %s", c->pub.id, c->pub.name,
			 c->pub.exit_code, c->pub.reason);
	while (c->waiters) {
		struct cri_op *op = c->waiters;
		c->waiters = op->wnext;
		op->wnext = NULL;
		op->on_exit(op);
	}
	struct cri_runtime *rt = c->rt;
	if (!was_exited && rt->on_exit && !rt->closing)
		rt->on_exit(rt->on_exit_arg, &c->pub);
}

/* -- the watch -- */

static void watch_ready(uv_poll_t *h, int status, int events)
{
	UNUSED(status);
	UNUSED(events);
	struct cri_ctr *c = h->data;
	cri_ctr_exited(c);
}

void cri_ctr_watch(struct cri_ctr *c)
{
	if (c->watch || c->pub.state == CRI_STATE_EXITED)
		return;
	if (c->shim_pid <= 0 || cri_proc_start(c->shim_pid) != c->shim_start) {
		cri_ctr_exited(c);
		return;
	}
	int fd = pidfd_open(c->shim_pid, 0);
	if (fd < 0) {
		cri_ctr_exited(c);
		return;
	}
	/* The pid may have been reused between the check and pidfd_open: check again. */
	if (cri_proc_start(c->shim_pid) != c->shim_start) {
		close(fd);
		cri_ctr_exited(c);
		return;
	}
	c->watch = xcalloc(1, sizeof(*c->watch));
	uv_poll_init(c->rt->loop, c->watch, fd);
	c->watch->data = c;
	c->pidfd = fd;
	c->rt->handles++;
	uv_poll_start(c->watch, UV_READABLE, watch_ready);
}

static void poll_closed(uv_handle_t *h)
{
	struct cri_runtime *rt = h->data;
	free(h);
	cri_handle_done(rt);
}

void cri_ctr_unwatch(struct cri_ctr *c)
{
	if (!c->watch)
		return;
	uv_poll_stop(c->watch);
	c->watch->data = c->rt;
	uv_close((uv_handle_t *)c->watch, poll_closed);
	c->watch = NULL;
	close(c->pidfd);
	c->pidfd = -1;
}

/* -- recovery -- */

/* A directory without meta.json is a start that never got to the shim (the agent stopped
 * while writing the bundle): removed once it is old enough not to be another process's start
 * in progress. */
static int remove_unfinished(struct cri_runtime *rt, const char *id, const char *meta)
{
	struct stat st;
	char *dir = xasprintf("%s/%s", rt->shims_dir, id);
	int gone = stat(meta, &st) < 0 && errno == ENOENT && stat(dir, &st) == 0 &&
		   st.st_mtime + 60 < time(NULL);
	if (gone) {
		log_info("runtime: removing %s (a start that did not finish)", dir);
		cri_rm_rf(dir);
	}
	free(dir);
	return gone;
}

int cri_ctr_load(struct cri_runtime *rt, const char *id, struct buf *err)
{
	char *p = xasprintf("%s/%s/meta.json", rt->shims_dir, id);
	if (remove_unfinished(rt, id, p)) {
		free(p);
		return 0;
	}
	cJSON *m = cri_read_json(p);
	struct cri_ctr *c = m ? ctr_from_meta(rt, m) : NULL;
	cJSON_Delete(m);
	if (!c || strcmp(c->pub.id, id) != 0) {
		buf_addf(err, "container %s: unreadable %s", id, p);
		free(p);
		if (c)
			cri_ctr_free(c);
		return -KUBE_EINVAL;
	}
	free(p);
	hmap_put(&rt->ctrs, id, c);
	cri_ctr_read_state(c);
	if (c->pub.state != CRI_STATE_EXITED) {
		if (c->shim_pid > 0 && cri_proc_start(c->shim_pid) == c->shim_start)
			cri_ctr_watch(c);
		else
			record_unknown(c, c->shim_pid ? "the shim died while the agent was down"
						      : "the container was being created when the agent stopped");
	}
	return 0;
}
