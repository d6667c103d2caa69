/*
 * runc_ops.c - creating and starting a container (bundle, shim, runc) and removing it.
 *
 * DESIGN
 * Start happens in three steps. On the loop: the config is checked and the OCI spec built
 * from it (pure, bundle.c) with a record in state "created". On a worker: the parts that read
 * files (the image's /etc/passwd and /etc/group for the user, the host's devices for a
 * privileged container, a localhost seccomp profile) complete the spec, and config.json and
 * meta.json are written in the container's directory. On the loop again: the shim is spawned
 * (`kube shim`, which detaches and runs `runc run -d`); it answers on its stdout with one line,
 * "ok <shim pid> <init pid>" or "failed <shim pid> <runc's message>", then closes it, and the
 * start ends. From then on the record follows the shim's state files (runc_ctr.c).
 *
 * The image's /etc/passwd is hostile input and its path may be a symlink: it is opened with
 * openat2(RESOLVE_IN_ROOT), so that no link leads out of the root filesystem.
 *
 * Removal kills a container still running and waits for its exit, then runs
 * `runc delete --force` (runc removes its cgroups and state), removes what is left of the
 * container's cgroup and its directory on a worker, and drops the record. The log files and
 * the root filesystem stay: the kubelet and the image store own them.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define IMAGE_FILE_MAX (1 << 20) /* /etc/passwd or /etc/group of an image, at most */

struct start_op {
	struct cri_op op;
	cJSON *spec;
	char *rootfs;
	/* the user part of the config, copied for the worker */
	struct cri_container_config ucfg;
	char *user;
	int64_t *groups;
	int privileged;
	char *seccomp_file;
	char *meta;       /* meta.json text */
	char *log_dir;
	int err;
	struct buf msg;
	cri_create_cb *cb;
	void *arg;
};

static void start_op_free(struct start_op *s)
{
	cJSON_Delete(s->spec);
	free(s->rootfs);
	free(s->user);
	free(s->groups);
	free(s->seccomp_file);
	free(s->meta);
	free(s->log_dir);
	buf_release(&s->msg);
	free(s->op.id);
	free(s);
}

/* -- the worker -- */

/* Reads rootfs/rel without leaving rootfs; NULL when absent or unreadable. */
static char *read_in_root(const char *rootfs, const char *rel)
{
	int dfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return NULL;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
	close(dfd);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < IMAGE_FILE_MAX) {
		text = xmalloc((size_t)st.st_size + 1);
		ssize_t n = read(fd, text, (size_t)st.st_size);
		text[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return text;
}

/* The character and block devices of the host's /dev (one level: what runc needs to make
 * a privileged container's /dev look like the host's). */
static size_t host_devices(struct cri_device **out)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	size_t n = 0;
	*out = NULL;
	while (d && (e = readdir(d))) {
		char *p = xasprintf("/dev/%s", e->d_name);
		struct stat st;
		if (lstat(p, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) ||
		    !strcmp(e->d_name, "console") || !strncmp(e->d_name, "tty", 3)) {
			free(p);
			continue;
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct cri_device){ .path = p, .type = S_ISCHR(st.st_mode) ? 'c' : 'b',
						   .major = major(st.st_rdev), .minor = minor(st.st_rdev),
						   .mode = st.st_mode & 07777, .uid = st.st_uid,
						   .gid = st.st_gid };
	}
	if (d)
		closedir(d);
	return n;
}

static int complete_spec(struct start_op *s)
{
	char *passwd = read_in_root(s->rootfs, "/etc/passwd");
	char *group = read_in_root(s->rootfs, "/etc/group");
	struct cri_user u = { 0 };
	int rc = cri_user_resolve(&s->ucfg, passwd, group, &u, &s->msg);
	free(passwd);
	free(group);
	if (rc)
		return rc;
	cri_bundle_set_user(json_obj(s->spec, "process"), &u);
	cri_user_release(&u);
	cJSON *lx = json_obj(s->spec, "linux");
	if (s->privileged) {
		struct cri_device *devs;
		size_t n = host_devices(&devs);
		json_set(lx, "devices", cri_bundle_devices(devs, n));
		for (size_t i = 0; i < n; i++)
			free(devs[i].path);
		free(devs);
	}
	if (s->seccomp_file) {
		cJSON *prof = cri_read_json(s->seccomp_file);
		cJSON *sc = prof ? cri_bundle_seccomp_localhost(prof, &s->msg) : NULL;
		cJSON_Delete(prof);
		if (!sc) {
			if (!s->msg.len)
				buf_addf(&s->msg, "cannot read the seccomp profile %s", s->seccomp_file);
			return -KUBE_EINVAL;
		}
		json_set(lx, "seccomp", sc);
	}
	return 0;
}

static int write_in(const char *dir, const char *name, const char *text, struct buf *msg)
{
	char *p = xasprintf("%s/%s", dir, name);
	int rc = cri_write_file(p, text, strlen(text));
	if (rc)
		buf_addf(msg, "writing %s: %s", p, strerror(-rc));
	free(p);
	return rc;
}

static void start_work(void *data)
{
	struct start_op *s = data;
	struct cri_runtime *rt = s->op.rt;
	char *dir = xasprintf("%s/%s", rt->shims_dir, s->op.id);
	int rc = complete_spec(s);
	if (!rc && mkdir(dir, 0700) < 0) {
		rc = -errno;
		buf_addf(&s->msg, "creating %s: %s", dir, strerror(errno));
	}
	if (!rc && (rc = mkdir_p(s->log_dir, 0755)) < 0)
		buf_addf(&s->msg, "creating %s: %s", s->log_dir, strerror(-rc));
	if (!rc) {
		char *text = json_print_str(s->spec);
		rc = write_in(dir, "config.json", text, &s->msg);
		free(text);
	}
	/* meta.json last: a directory without it is an unfinished start (removed at open). */
	rc = rc ? rc : write_in(dir, "meta.json", s->meta, &s->msg);
	if (rc)
		cri_rm_rf(dir);
	free(dir);
	s->err = rc;
}

/* -- the shim -- */

/* Parses the shim's answer; returns 1 (ok), 0 (failed: *msg set) or -1 (no answer). */
static int parse_answer(const char *out, char **msg)
{
	const char *line = NULL;
	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "ok ", 3) || !strncmp(p, "failed ", 7))
			line = p;
	if (!line)
		return -1;
	if (line[0] == 'o')
		return 1;
	const char *m = strchr(line + 7, ' ');
	m = m ? m + 1 : "";
	*msg = xstrndup(m, strcspn(m, "\n"));
	return 0;
}

static void shim_answered(struct cri_proc *p)
{
	struct start_op *s = p->data;
	struct cri_runtime *rt = s->op.rt;
	struct cri_ctr *c = hmap_get(&rt->ctrs, s->op.id);
	char *msg = NULL;
	int ans = parse_answer(buf_str(&p->out), &msg), err = 0;
	cri_op_del(&s->op);
	c->busy = 0;
	cri_ctr_read_state(c);
	if (ans == 1) {
		log_info("runtime: container %s (%s) started, pid %d", c->pub.id, c->pub.name,
			 c->pub.pid);
	} else if (ans == 0) {
		err = -CRI_ESTART;
	} else {
		err = -CRI_ESHIM;
		msg = xasprintf("the shim failed: %s", p->out.len ? buf_str(&p->out) : "no answer");
	}
	char *id = xstrdup(c->pub.id);
	s->cb(s->arg, err, msg ? msg : "", id);
	c = hmap_get(&rt->ctrs, id); /* the callback may have removed it */
	if (c && !rt->closing && ans == 1) {
		if (c->pub.state == CRI_STATE_EXITED) {
			c->pub.state = CRI_STATE_RUNNING; /* not seen exited yet: notify */
			cri_ctr_exited(c);
		} else {
			cri_ctr_watch(c);
		}
	}
	free(id);
	free(msg);
	start_op_free(s);
}

static char **shim_argv(struct cri_runtime *rt, const struct cri_ctr *c)
{
	char **argv = NULL, num[32];
	cri_argv_push(&argv, rt->self_exe);
	cri_argv_push(&argv, "shim");
	const char *kv[][2] = { { "--id", c->pub.id }, { "--dir", c->dir }, { "--runc", rt->runc },
				{ "--root", rt->runc_root }, { "--log", c->pub.log_path },
				{ "--oom-file", c->oom_file } };
	for (size_t i = 0; i < ARRAY_SIZE(kv); i++) {
		if (!kv[i][1])
			continue;
		cri_argv_push(&argv, kv[i][0]);
		cri_argv_push(&argv, kv[i][1]);
	}
	snprintf(num, sizeof(num), "%llu", (unsigned long long)rt->log_max_size);
	cri_argv_push(&argv, "--log-max-size");
	cri_argv_push(&argv, num);
	snprintf(num, sizeof(num), "%u", rt->log_max_files);
	cri_argv_push(&argv, "--log-max-files");
	cri_argv_push(&argv, num);
	return argv;
}

/* Ends a start that did not reach the shim: the record is dropped. */
static void start_fail(struct start_op *s, int err, const char *msg)
{
	struct cri_runtime *rt = s->op.rt;
	struct cri_ctr *c = hmap_del(&rt->ctrs, s->op.id);
	if (c) {
		cri_rm_rf(c->dir);
		cri_ctr_free(c);
	}
	cri_op_del(&s->op);
	s->cb(s->arg, err, msg, NULL);
	start_op_free(s);
}

static void start_done(void *data, int cancelled)
{
	struct start_op *s = data;
	struct cri_runtime *rt = s->op.rt;
	if (cancelled || rt->closing || s->err) {
		start_fail(s, s->err && !cancelled ? s->err : -ECANCELED,
			   s->err && !cancelled ? buf_str(&s->msg) : "the runtime is closing");
		return;
	}
	struct cri_ctr *c = hmap_get(&rt->ctrs, s->op.id);
	char **argv = shim_argv(rt, c);
	int rc = cri_proc_spawn(rt, rt->self_exe, argv, 4096, 0, shim_answered, s, NULL);
	cri_argv_free(argv);
	if (rc < 0) {
		char *m = xasprintf("starting the shim %s: %s", rt->self_exe, uv_strerror(rc));
		start_fail(s, rc, m);
		free(m);
	}
}

static void start_cancel(struct cri_op *op)
{
	/* The worker or the shim finishes on its own; the runtime waits for it. */
	cri_op_del(op);
}

/* -- building the record and the spec on the loop -- */

static struct cri_ctr *new_ctr(struct cri_runtime *rt, const struct cri_container_config *cfg,
			       const struct cri_sb *sb)
{
	char id[65];
	cri_new_id(id);
	struct cri_ctr *c = xcalloc(1, sizeof(*c));
	struct cri_container *p = &c->pub;
	c->rt = rt;
	c->pidfd = -1;
	c->busy = 1;
	p->id = xstrdup(id);
	p->sandbox_id = xstrdup(sb->pub.id);
	p->pod_uid = xstrdup(sb->pub.pod_uid);
	p->name = xstrdup(cfg->name);
	p->attempt = cfg->attempt;
	p->log_path = cfg->log_path ? xstrdup(cfg->log_path) :
		      cri_log_path(rt->data_dir, sb->pub.pod_uid, cfg->name, cfg->attempt);
	p->labels = xcalloc(cfg->nlabels + 1, sizeof(*p->labels));
	for (size_t i = 0; i < cfg->nlabels; i++) {
		p->labels[i].key = xstrdup(cfg->labels[i].key ? cfg->labels[i].key : "");
		p->labels[i].value = xstrdup(cfg->labels[i].value ? cfg->labels[i].value : "");
	}
	p->nlabels = cfg->nlabels;
	p->state = CRI_STATE_CREATED;
	p->created_ns = cri_wall_ns();
	p->message = xstrdup("");
	c->dir = xasprintf("%s/%s", rt->shims_dir, id);
	c->cgroups_path = xasprintf("%s/%s", sb->pub.cgroup_parent, id);
	c->oom_file = cri_cgroup_oom_file(&rt->cg, c->cgroups_path);
	c->stop_signal = cfg->stop_signal ? cfg->stop_signal : SIGTERM;
	return c;
}

static struct start_op *new_start(struct cri_runtime *rt, const struct cri_container_config *cfg,
				  struct cri_ctr *c, cJSON *spec)
{
	struct start_op *s = xcalloc(1, sizeof(*s));
	cri_op_add(rt, &s->op, c->pub.id);
	s->op.cancel = start_cancel;
	s->spec = spec;
	s->rootfs = xstrdup(cfg->rootfs);
	s->ucfg.uid = cfg->uid;
	s->ucfg.gid = cfg->gid;
	s->user = cfg->user ? xstrdup(cfg->user) : NULL;
	s->ucfg.user = s->user;
	if (cfg->nsupplemental_groups) {
		s->groups = xcalloc(cfg->nsupplemental_groups, sizeof(int64_t));
		memcpy(s->groups, cfg->supplemental_groups, cfg->nsupplemental_groups * sizeof(int64_t));
	}
	s->ucfg.supplemental_groups = s->groups;
	s->ucfg.nsupplemental_groups = cfg->nsupplemental_groups;
	s->privileged = cfg->privileged;
	if (cfg->seccomp == CRI_SECCOMP_LOCALHOST && !cfg->privileged)
		s->seccomp_file = xstrdup(cfg->seccomp_profile);
	cJSON *m = cri_ctr_meta(c);
	s->meta = json_print_str(m);
	cJSON_Delete(m);
	s->log_dir = xstrdup(c->pub.log_path);
	*strrchr(s->log_dir, '/') = '\0';
	return s;
}

int cri_container_start(struct cri_runtime *rt, const struct cri_container_config *cfg,
			cri_create_cb *cb, void *arg, struct buf *err)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	int rc = cri_bundle_validate(cfg, err);
	if (rc)
		return rc;
	struct cri_sb *sb = hmap_get(&rt->sbs, cfg->sandbox_id);
	if (!sb || sb->busy) {
		buf_addf(err, "no sandbox %s", cfg->sandbox_id);
		return -KUBE_ENOTFOUND;
	}
	struct cri_ctr *c = new_ctr(rt, cfg, sb);
	char *ipc = xasprintf("%s/ipc", sb->dir), *uts = xasprintf("%s/uts", sb->dir);
	char *shm = xasprintf("%s/shm", sb->dir);
	struct cri_bundle_ctx ctx = {
		.cgroup_mode = rt->cg.mode, .caps = rt->caps, .arch = cri_go_arch(),
		.sandbox = &sb->pub, .ipc_path = ipc, .uts_path = uts,
		.shm_path = sb->pub.flags & CRI_HOST_IPC ? NULL : shm,
		.cgroups_path = c->cgroups_path,
	};
	cJSON *spec = cri_bundle_spec(cfg, &ctx, err);
	free(ipc);
	free(uts);
	free(shm);
	if (!spec) {
		cri_ctr_free(c);
		return -KUBE_EINVAL;
	}
	struct start_op *s = new_start(rt, cfg, c, spec);
	s->cb = cb;
	s->arg = arg;
	hmap_put(&rt->ctrs, c->pub.id, c);
	rc = cri_queue_work(rt, start_work, start_done, s);
	if (rc) {
		hmap_del(&rt->ctrs, c->pub.id);
		cri_ctr_free(c);
		cri_op_del(&s->op);
		start_op_free(s);
	}
	return rc;
}

/* -- removal -- */

struct remove_op {
	struct cri_op op;
	char *cgroups_path;
	char *dir;
	const struct cri_cgroup_layout *cg;
	cri_done_cb *cb;
	void *arg;
};

static void remove_op_free(struct remove_op *r)
{
	free(r->cgroups_path);
	free(r->dir);
	free(r->op.id);
	free(r);
}

static void remove_work(void *data)
{
	struct remove_op *r = data;
	struct buf ignore = BUF_INIT;
	cri_cgroup_remove(r->cg, r->cgroups_path, 0, &ignore);
	buf_release(&ignore);
	cri_rm_rf(r->dir);
}

static void remove_done(void *data, int cancelled)
{
	struct remove_op *r = data;
	struct cri_runtime *rt = r->op.rt;
	UNUSED(cancelled);
	struct cri_ctr *c = hmap_del(&rt->ctrs, r->op.id);
	if (c) {
		log_info("runtime: container %s (%s) removed", c->pub.id, c->pub.name);
		cri_ctr_free(c);
	}
	cri_op_del(&r->op);
	r->cb(r->arg, 0, "");
	remove_op_free(r);
}

static void runc_deleted(struct cri_proc *p)
{
	struct remove_op *r = p->data;
	if (cri_queue_work(r->op.rt, remove_work, remove_done, r) < 0)
		remove_done(r, 1);
}

static void remove_exited(struct cri_op *op)
{
	struct remove_op *r = (struct remove_op *)op;
	struct cri_runtime *rt = op->rt;
	char **argv = cri_runc_argv(rt, NULL, "delete", "--force", op->id, NULL);
	int rc = cri_proc_spawn(rt, rt->runc, argv, 4096, 2000, runc_deleted, r, NULL);
	cri_argv_free(argv);
	if (rc < 0 && cri_queue_work(rt, remove_work, remove_done, r) < 0)
		remove_done(r, 1);
}

static void remove_cancel(struct cri_op *op)
{
	struct remove_op *r = (struct remove_op *)op;
	struct cri_ctr *c = hmap_get(&op->rt->ctrs, op->id);
	int waiting = 0;
	for (struct cri_op *w = c ? c->waiters : NULL; w; w = w->wnext)
		waiting |= w == op;
	cri_op_del(op);
	if (!waiting)
		return; /* runc delete or the worker is in flight: it finishes the removal */
	c->busy = 0;
	r->cb(r->arg, -ECANCELED, "the runtime is closing");
	remove_op_free(r);
}

int cri_container_remove(struct cri_runtime *rt, const char *id, cri_done_cb *cb, void *arg)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	struct cri_ctr *c = hmap_get(&rt->ctrs, id);
	if (!c)
		return -KUBE_ENOTFOUND;
	if (c->busy)
		return -EBUSY;
	c->busy = 1;
	struct remove_op *r = xcalloc(1, sizeof(*r));
	cri_op_add(rt, &r->op, id);
	r->op.on_exit = remove_exited;
	r->op.cancel = remove_cancel;
	r->cgroups_path = xstrdup(c->cgroups_path);
	r->dir = xstrdup(c->dir);
	r->cg = &rt->cg;
	r->cb = cb;
	r->arg = arg;
	if (c->pub.state == CRI_STATE_EXITED) {
		remove_exited(&r->op);
		return 0;
	}
	cri_ctr_wait(c, &r->op);
	cri_ctr_kill(c, SIGKILL);
	if (!c->watch)
		cri_ctr_watch(c);
	return 0;
}
