/*
 * runc.c - the runtime's life: open (configuration, host facts, recovery of the sandboxes and
 * containers left by an earlier agent), close, and the lookups the kubelet calls.
 *
 * DESIGN
 * The runtime keeps every sandbox and container of its prefix in two tables (id -> record),
 * filled at open from the state directories and kept up to date by its own operations and by
 * the exits the shims record. So status and lists are answered from memory, and an agent that
 * restarts finds the same picture: RUN/PREFIX/sandboxes/<id>/meta.json and
 * RUN/PREFIX/shims/<id>/{meta,shim,started,exit}.json are the whole state.
 *
 * Host facts are read once at open: the runc binary (resolved in PATH so that shims need no
 * PATH), this binary (for `kube shim`), the cgroup layout, the capability set (a privileged
 * container gets exactly what the agent has, as containerd does).
 *
 * Closing: rt->handles counts every libuv handle, work request and child process of the
 * runtime plus one anchor handle; operations still waiting end with -ECANCELED, the shims'
 * watches are closed, and when the count reaches zero the runtime is freed and the close
 * callback runs.
 */
#include "cri/internal.h"
#include "lib/log.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cri_anchor {
	uv_timer_t timer;
	struct cri_runtime *rt;
};

static int valid_prefix(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	if (n == 0 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return 0;
	return 1;
}

/* The absolute path of an executable: name as is when it has a '/', else found in PATH. */
static char *find_exe(const char *name)
{
	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	const char *path = getenv("PATH");
	char *copy = xstrdup(path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *save = NULL, *found = NULL;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", d, name);
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* CapEff of this process. */
static uint64_t own_caps(void)
{
	char *text = NULL;
	size_t len;
	uint64_t caps = 0;
	if (read_file("/proc/self/status", &text, &len) == 0) {
		const char *p = strstr(text, "\nCapEff:");
		if (p)
			caps = strtoull(p + 8, NULL, 16);
	}
	free(text);
	return caps;
}

static int host_facts(struct cri_runtime *rt, const struct cri_runtime_config *cfg,
		      struct buf *err)
{
	rt->runc = find_exe(cfg->runc ? cfg->runc : "runc");
	if (!rt->runc) {
		buf_addf(err, "runc binary \"%s\" not found", cfg->runc ? cfg->runc : "runc");
		return -ENOENT;
	}
	if (cfg->self_exe) {
		rt->self_exe = xstrdup(cfg->self_exe);
	} else {
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n <= 0) {
			buf_addf(err, "cannot find this binary: %s", strerror(errno));
			return -errno;
		}
		exe[n] = '\0';
		rt->self_exe = xstrdup(exe);
	}
	char *mi = NULL;
	size_t len;
	int rc = read_file("/proc/self/mountinfo", &mi, &len);
	if (rc) {
		buf_addf(err, "reading /proc/self/mountinfo: %s", strerror(-rc));
		return rc;
	}
	rc = cri_cgroup_detect(mi, cfg->cgroup_root ? cfg->cgroup_root : "/sys/fs/cgroup", &rt->cg,
			       err);
	free(mi);
	rt->caps = own_caps();
	return rc;
}

static int make_dirs(struct cri_runtime *rt, struct buf *err)
{
	const char *dirs[] = { rt->runc_root, rt->shims_dir, rt->sandboxes_dir };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int rc = mkdir_p(dirs[i], 0700);
		if (rc) {
			buf_addf(err, "creating %s: %s", dirs[i], strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* Loads every record of one state directory with load(). */
static void load_dir(struct cri_runtime *rt, const char *dir,
		     int (*load)(struct cri_runtime *, const char *, struct buf *))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct buf err = BUF_INIT;
		if (load(rt, e->d_name, &err) < 0)
			log_warn("runtime: %s (left as it is)", buf_str(&err));
		buf_release(&err);
	}
	if (d)
		closedir(d);
}

static void runtime_free(struct cri_runtime *rt);

int cri_runtime_open(uv_loop_t *loop, const struct cri_runtime_config *cfg,
		     struct cri_runtime **out, struct buf *err)
{
	if (!valid_prefix(cfg->prefix)) {
		buf_addf(err, "resource prefix \"%s\" must be 1-20 of a-z, 0-9 and '-'",
			 cfg->prefix ? cfg->prefix : "");
		return -KUBE_EINVAL;
	}
	if (!cfg->data_dir || cfg->data_dir[0] != '/') {
		buf_adds(err, "the runtime needs an absolute data directory");
		return -KUBE_EINVAL;
	}
	struct cri_runtime *rt = xcalloc(1, sizeof(*rt));
	rt->loop = loop;
	rt->prefix = xstrdup(cfg->prefix);
	rt->data_dir = xstrdup(cfg->data_dir);
	rt->run_dir = xstrdup(cfg->run_dir ? cfg->run_dir : "/run");
	rt->runc_root = xasprintf("%s/%s/runc", rt->run_dir, rt->prefix);
	rt->shims_dir = xasprintf("%s/%s/shims", rt->run_dir, rt->prefix);
	rt->sandboxes_dir = xasprintf("%s/%s/sandboxes", rt->run_dir, rt->prefix);
	rt->netns_dir = xasprintf("%s/netns", rt->run_dir);
	rt->log_max_size = cfg->log_max_size ? cfg->log_max_size : 10 * 1024 * 1024;
	rt->log_max_files = cfg->log_max_files ? cfg->log_max_files : 5;
	rt->on_exit = cfg->on_exit;
	rt->on_exit_arg = cfg->on_exit_arg;
	int rc = host_facts(rt, cfg, err);
	rc = rc ? rc : make_dirs(rt, err);
	if (rc) {
		runtime_free(rt);
		return rc;
	}
	struct cri_anchor *a = xcalloc(1, sizeof(*a));
	a->rt = rt;
	uv_timer_init(loop, &a->timer);
	a->timer.data = a;
	rt->anchor = a;
	rt->handles = 1;
	load_dir(rt, rt->sandboxes_dir, cri_sandbox_load);
	load_dir(rt, rt->shims_dir, cri_ctr_load);
	log_info("runtime: prefix %s, runc %s, cgroup %s, %zu sandboxes and %zu containers found",
		 rt->prefix, rt->runc,
		 rt->cg.mode == CRI_CGROUP_V2 ? "v2" : rt->cg.mode == CRI_CGROUP_HYBRID ? "v1 (hybrid)" : "v1",
		 rt->sbs.n, rt->ctrs.n);
	*out = rt;
	return 0;
}

static int free_ctr(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cri_ctr_free(value);
	return 0;
}

static int free_sb(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cri_sb_free(value);
	return 0;
}

static void runtime_free(struct cri_runtime *rt)
{
	hmap_each(&rt->ctrs, free_ctr, NULL);
	hmap_release(&rt->ctrs);
	hmap_each(&rt->sbs, free_sb, NULL);
	hmap_release(&rt->sbs);
	cri_cgroup_layout_release(&rt->cg);
	free(rt->prefix);
	free(rt->data_dir);
	free(rt->runc);
	free(rt->run_dir);
	free(rt->self_exe);
	free(rt->runc_root);
	free(rt->shims_dir);
	free(rt->sandboxes_dir);
	free(rt->netns_dir);
	free(rt);
}

void cri_handle_done(struct cri_runtime *rt)
{
	if (--rt->handles > 0 || !rt->closing)
		return;
	void (*cb)(void *) = rt->close_cb;
	void *arg = rt->close_arg;
	runtime_free(rt);
	if (cb)
		cb(arg);
}

static void anchor_closed(uv_handle_t *h)
{
	struct cri_anchor *a = h->data;
	struct cri_runtime *rt = a->rt;
	free(a);
	cri_handle_done(rt);
}

static int unwatch(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	cri_ctr_unwatch(value);
	return 0;
}

void cri_runtime_close(struct cri_runtime *rt, void (*cb)(void *arg), void *arg)
{
	if (rt->closing)
		return;
	rt->closing = 1;
	rt->close_cb = cb;
	rt->close_arg = arg;
	cri_ops_cancel_all(rt);
	hmap_each(&rt->ctrs, unwatch, NULL);
	struct cri_anchor *a = rt->anchor;
	rt->anchor = NULL;
	uv_close((uv_handle_t *)&a->timer, anchor_closed);
}

const struct cri_container *cri_container_get(struct cri_runtime *rt, const char *id)
{
	struct cri_ctr *c = hmap_get(&rt->ctrs, id);
	if (!c)
		return NULL;
	if (c->pub.state == CRI_STATE_CREATED && !c->busy)
		cri_ctr_read_state(c);
	return &c->pub;
}

struct collect {
	const struct cri_container **v;
	size_t n;
};

static int collect(const char *key, void *value, void *data)
{
	UNUSED(key);
	struct collect *c = data;
	c->v[c->n++] = &((struct cri_ctr *)value)->pub;
	return 0;
}

size_t cri_container_list(struct cri_runtime *rt, const struct cri_container ***out)
{
	struct collect c = { xcalloc(rt->ctrs.n + 1, sizeof(void *)), 0 };
	hmap_each(&rt->ctrs, collect, &c);
	*out = c.v;
	return c.n;
}

char *cri_log_path(const char *data_dir, const char *pod_uid, const char *name, unsigned attempt)
{
	return xasprintf("%s/agent/pods/%s/%s/%u.log", data_dir, pod_uid, name, attempt);
}
