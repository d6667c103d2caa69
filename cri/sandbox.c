/*
 * sandbox.c - pod sandboxes: network, IPC and UTS namespaces held by bind mounts (no pause
 * process), the pod's /dev/shm and its cgroup.
 *
 * DESIGN
 * A sandbox is a directory RUN/PREFIX/sandboxes/<id>/ holding meta.json, the bind-mounted
 * namespace files ipc and uts, and shm (a tmpfs mount); its network namespace is bound on
 * RUN/netns/PREFIX-<short uid>, where `ip netns` sees it, and its cgroup is PREFIX/pod<uid>
 * in every hierarchy. Containers join the namespaces by path; nothing runs in the sandbox
 * itself.
 *
 * unshare(2) and setns(2) act on the calling thread only, and a thread-pool thread must not
 * be left in a pod's namespaces. So the namespaces are made by a short child process forked
 * from the worker thread: it unshares, sets the hostname, brings loopback up, writes the
 * namespaced sysctls, bind-mounts /proc/self/ns/{net,ipc,uts} on the prepared files and exits.
 * It calls only async-signal-safe functions (the process that forked it has other threads),
 * with every string prepared beforehand; a failure is reported through a pipe as the step
 * and errno. The worker waits for it (waitpid on its own pid: libuv reaps only the pids of
 * its own process handles).
 *
 * As iproute2 does, RUN/netns is made a shared mount point (bound on itself once), so that
 * unmounting a namespace file also reaches copies in mount namespaces made afterwards.
 * Removal unmounts (lazily) and deletes everything, then removes the pod cgroup: containers
 * must be gone by then, or their cgroups make it fail with EBUSY.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHM_DEFAULT (64ULL << 20)

/* A create or remove job: copies of everything the worker needs. */
struct sb_job {
	struct cri_runtime *rt;
	char *id;
	unsigned flags;
	char *hostname;
	char *dir, *netns, *ipc, *uts, *shm, *cgroup;
	uint64_t shm_size;
	struct cri_resources res;
	char **sysctl_paths; /* /proc/sys/... */
	char **sysctl_values;
	size_t nsysctls;
	char *meta;          /* meta.json text */
	const struct cri_cgroup_layout *cg;
	/* results */
	int err;
	struct buf msg;
	cri_create_cb *created;
	cri_done_cb *done;
	void *arg;
};

static void job_free(struct sb_job *j)
{
	free(j->id);
	free(j->hostname);
	free(j->dir);
	free(j->netns);
	free(j->ipc);
	free(j->uts);
	free(j->shm);
	free(j->cgroup);
	for (size_t i = 0; i < j->nsysctls; i++) {
		free(j->sysctl_paths[i]);
		free(j->sysctl_values[i]);
	}
	free(j->sysctl_paths);
	free(j->sysctl_values);
	free(j->meta);
	buf_release(&j->msg);
	free(j);
}

/* -- the namespace child -- */

struct child_err {
	int step;
	int err;
};

static const char *const step_names[] = {
	"unshare", "sethostname", "bringing loopback up", "writing a sysctl",
	"binding the network namespace", "binding the IPC namespace", "binding the UTS namespace",
};

static _Noreturn void child_fail(int fd, int step)
{
	struct child_err e = { step, errno };
	ssize_t n = write(fd, &e, sizeof(e));
	(void)n;
	_exit(1);
}

static int lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (rc == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rc;
}

/* Runs in the forked child: async-signal-safe calls only. */
static _Noreturn void ns_child(const struct sb_job *j, int fd)
{
	int own_net = !(j->flags & CRI_HOST_NETWORK), own_ipc = !(j->flags & CRI_HOST_IPC);
	int flags = (own_net ? CLONE_NEWNET | CLONE_NEWUTS : 0) | (own_ipc ? CLONE_NEWIPC : 0);
	if (unshare(flags) < 0)
		child_fail(fd, 0);
	if (own_net && sethostname(j->hostname, strlen(j->hostname)) < 0)
		child_fail(fd, 1);
	if (own_net && lo_up() < 0)
		child_fail(fd, 2);
	for (size_t i = 0; i < j->nsysctls; i++) {
		int s = open(j->sysctl_paths[i], O_WRONLY | O_CLOEXEC);
		if (s < 0 || write(s, j->sysctl_values[i], strlen(j->sysctl_values[i])) < 0)
			child_fail(fd, 3);
		close(s);
	}
	if (own_net && mount("/proc/self/ns/net", j->netns, NULL, MS_BIND, NULL) < 0)
		child_fail(fd, 4);
	if (own_ipc && mount("/proc/self/ns/ipc", j->ipc, NULL, MS_BIND, NULL) < 0)
		child_fail(fd, 5);
	if (own_net && mount("/proc/self/ns/uts", j->uts, NULL, MS_BIND, NULL) < 0)
		child_fail(fd, 6);
	_exit(0);
}

static int make_namespaces(struct sb_job *j)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid == 0)
		ns_child(j, p[1]);
	close(p[1]);
	int rc = 0, st = 0;
	if (pid < 0) {
		rc = -errno;
		buf_addf(&j->msg, "fork: %s", strerror(errno));
	} else {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		struct child_err e;
		if (read(p[0], &e, sizeof(e)) == (ssize_t)sizeof(e) && (size_t)e.step < ARRAY_SIZE(step_names)) {
			rc = -e.err;
			buf_addf(&j->msg, "%s: %s", step_names[e.step], strerror(e.err));
		} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			rc = -EIO;
			buf_adds(&j->msg, "the namespace helper process failed");
		}
	}
	close(p[0]);
	return rc;
}

/* -- create and remove (thread pool) -- */

static pthread_mutex_t netns_lock = PTHREAD_MUTEX_INITIALIZER;

/* RUN/netns exists and is a shared mount point, as `ip netns add` leaves it. */
static int prepare_netns_dir(const char *dir, struct buf *msg)
{
	pthread_mutex_lock(&netns_lock);
	int rc = mkdir_p(dir, 0755);
	if (!rc && mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || mount(dir, dir, "none", MS_BIND | MS_REC, NULL) < 0 ||
		    mount("", dir, "none", MS_SHARED | MS_REC, NULL) < 0)
			rc = -errno;
	}
	if (rc)
		buf_addf(msg, "preparing %s: %s", dir, strerror(-rc));
	pthread_mutex_unlock(&netns_lock);
	return rc;
}

static int touch(const char *path, int excl, struct buf *msg)
{
	int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL : 0), 0444);
	if (fd < 0) {
		buf_addf(msg, "creating %s: %s", path, strerror(errno));
		return -errno;
	}
	close(fd);
	return 0;
}

static void unmount_rm(const char *path)
{
	if (!path)
		return;
	while (umount2(path, MNT_DETACH) == 0)
		;
	if (unlink(path) < 0 && errno == EISDIR)
		rmdir(path);
}

/* Undoes whatever a create did (also the whole of a removal). Returns the cgroup's error. */
static int teardown(struct sb_job *j, struct buf *msg)
{
	if (!(j->flags & CRI_HOST_NETWORK)) {
		unmount_rm(j->netns);
		unmount_rm(j->uts);
	}
	if (!(j->flags & CRI_HOST_IPC)) {
		unmount_rm(j->ipc);
		unmount_rm(j->shm);
	}
	int rc = cri_cgroup_remove(j->cg, j->cgroup, 1, msg);
	if (rc == 0)
		cri_rm_rf(j->dir);
	return rc;
}

static int create_files(struct sb_job *j)
{
	int rc = mkdir_p(j->dir, 0700);
	if (rc) {
		buf_addf(&j->msg, "creating %s: %s", j->dir, strerror(-rc));
		return rc;
	}
	if (!(j->flags & CRI_HOST_NETWORK)) {
		rc = prepare_netns_dir(j->rt->netns_dir, &j->msg);
		rc = rc ? rc : touch(j->netns, 1, &j->msg);
		if (rc == -EEXIST) {
			/* Not ours to remove: another sandbox (or ip netns) owns it. */
			free(j->netns);
			j->netns = NULL;
		}
		rc = rc ? rc : touch(j->uts, 0, &j->msg);
	}
	if (!rc && !(j->flags & CRI_HOST_IPC)) {
		rc = touch(j->ipc, 0, &j->msg);
		if (!rc && mkdir(j->shm, 0755) < 0 && errno != EEXIST)
			rc = -errno;
		char opts[64];
		snprintf(opts, sizeof(opts), "mode=1777,size=%llu", (unsigned long long)j->shm_size);
		if (!rc && mount("shm", j->shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0) {
			rc = -errno;
			buf_addf(&j->msg, "mounting the pod's /dev/shm: %s", strerror(errno));
		}
	}
	return rc;
}

static void create_work(void *data)
{
	struct sb_job *j = data;
	/* meta.json first: an agent that stops half way finds the sandbox at its next start, and
	 * removing it undoes whatever had been made. */
	char *p = xasprintf("%s/meta.json", j->dir);
	int rc = mkdir_p(j->dir, 0700);
	if (rc)
		buf_addf(&j->msg, "creating %s: %s", j->dir, strerror(-rc));
	else if ((rc = cri_write_file(p, j->meta, strlen(j->meta))) < 0)
		buf_addf(&j->msg, "writing %s: %s", p, strerror(-rc));
	free(p);
	rc = rc ? rc : create_files(j);
	rc = rc ? rc : make_namespaces(j);
	rc = rc ? rc : cri_cgroup_create(j->cg, j->cgroup, &j->res, &j->msg);
	if (rc) {
		struct buf ignore = BUF_INIT;
		teardown(j, &ignore);
		buf_release(&ignore);
	}
	j->err = rc;
}

static void remove_work(void *data)
{
	struct sb_job *j = data;
	j->err = teardown(j, &j->msg);
}

/* -- records -- */

void cri_sb_free(struct cri_sb *sb)
{
	struct cri_sandbox *p = &sb->pub;
	free(p->id);
	free(p->pod_uid);
	free(p->pod_name);
	free(p->pod_namespace);
	free(p->hostname);
	free(p->netns_path);
	free(p->cgroup_parent);
	for (size_t i = 0; i < p->nlabels; i++) {
		free((char *)p->labels[i].key);
		free((char *)p->labels[i].value);
	}
	free(p->labels);
	free(sb->dir);
	free(sb);
}

static char *opt_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static cJSON *meta_json(const struct cri_sb *sb)
{
	const struct cri_sandbox *p = &sb->pub;
	cJSON *m = cJSON_CreateObject();
	json_set_str(m, "id", p->id);
	json_set_str(m, "podUid", p->pod_uid);
	if (p->pod_name)
		json_set_str(m, "podName", p->pod_name);
	if (p->pod_namespace)
		json_set_str(m, "podNamespace", p->pod_namespace);
	json_set_str(m, "hostname", p->hostname);
	json_set_int(m, "attempt", p->attempt);
	json_set_int(m, "flags", p->flags);
	if (p->netns_path)
		json_set_str(m, "netns", p->netns_path);
	json_set_str(m, "cgroupParent", p->cgroup_parent);
	cri_json_set_ns(m, "createdAt", p->created_ns);
	json_set_int(m, "shmSize", (int64_t)sb->shm_size);
	cJSON *l = cJSON_AddObjectToObject(m, "labels");
	for (size_t i = 0; i < p->nlabels; i++)
		json_set_str(l, p->labels[i].key, p->labels[i].value);
	return m;
}

static struct cri_sb *sb_from_meta(struct cri_runtime *rt, const cJSON *m)
{
	const char *id = json_str(m, "id"), *uid = json_str(m, "podUid");
	const char *host = json_str(m, "hostname"), *cg = json_str(m, "cgroupParent");
	int64_t attempt = 0, flags = 0, shm = 0;
	if (!id || !uid || !host || !cg || json_int(m, "flags", &flags) < 0)
		return NULL;
	json_int(m, "attempt", &attempt);
	json_int(m, "shmSize", &shm);
	struct cri_sb *sb = xcalloc(1, sizeof(*sb));
	struct cri_sandbox *p = &sb->pub;
	p->id = xstrdup(id);
	p->pod_uid = xstrdup(uid);
	p->pod_name = opt_dup(json_str(m, "podName"));
	p->pod_namespace = opt_dup(json_str(m, "podNamespace"));
	p->hostname = xstrdup(host);
	p->attempt = (unsigned)attempt;
	p->flags = (unsigned)flags;
	p->netns_path = opt_dup(json_str(m, "netns"));
	p->cgroup_parent = xstrdup(cg);
	p->created_ns = cri_json_ns(m, "createdAt");
	sb->shm_size = (uint64_t)shm;
	sb->dir = xasprintf("%s/%s", rt->sandboxes_dir, id);
	const cJSON *labels = json_obj(m, "labels"), *e;
	cJSON_ArrayForEach(e, labels) {
		if (!cJSON_IsString(e))
			continue;
		p->labels = xrealloc(p->labels, (p->nlabels + 1) * sizeof(*p->labels));
		p->labels[p->nlabels].key = xstrdup(e->string);
		p->labels[p->nlabels++].value = xstrdup(e->valuestring);
	}
	return sb;
}

int cri_sandbox_load(struct cri_runtime *rt, const char *id, struct buf *err)
{
	char *p = xasprintf("%s/%s/meta.json", rt->sandboxes_dir, id);
	cJSON *m = cri_read_json(p);
	struct cri_sb *sb = m ? sb_from_meta(rt, m) : NULL;
	cJSON_Delete(m);
	int rc = 0;
	if (!sb || strcmp(sb->pub.id, id) != 0) {
		buf_addf(err, "sandbox %s: unreadable %s", id, p);
		rc = -KUBE_EINVAL;
		if (sb)
			cri_sb_free(sb);
	} else {
		hmap_put(&rt->sbs, id, sb);
	}
	free(p);
	return rc;
}

/* -- validation -- */

static int valid_uid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 128)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* A hostname: RFC 1123 labels, at most 64 characters (the kernel's limit). */
static int valid_hostname(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '.' || s[0] == '-' || s[n - 1] == '.' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '.' || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return 1;
}

/* Whether a sysctl is namespaced with the sandbox's own namespaces. */
static int sysctl_ok(const char *name, unsigned flags)
{
	static const char *const ipc[] = { "kernel.shm", "kernel.msg", "kernel.sem",
					   "fs.mqueue." };
	size_t n = strlen(name);
	if (n == 0 || n > 200 || strstr(name, "..") || name[0] == '.' || name[0] == '/')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || strchr("_.-/", name[i])))
			return 0;
	if (!strncmp(name, "net.", 4) || !strncmp(name, "net/", 4))
		return !(flags & CRI_HOST_NETWORK);
	for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
		if (!strncmp(name, ipc[i], strlen(ipc[i])))
			return !(flags & CRI_HOST_IPC);
	return 0;
}

static int validate(struct cri_runtime *rt, const struct cri_sandbox_config *cfg, struct buf *err)
{
	if (!valid_uid(cfg->pod_uid)) {
		buf_addf(err, "pod uid \"%s\" is not letters, digits and '-'",
			 cfg->pod_uid ? cfg->pod_uid : "");
		return -KUBE_EINVAL;
	}
	const char *h = cfg->hostname ? cfg->hostname : cfg->pod_name;
	if (!(cfg->flags & CRI_HOST_NETWORK) && (!h || !valid_hostname(h))) {
		buf_addf(err, "hostname \"%s\" is not valid", h ? h : "");
		return -KUBE_EINVAL;
	}
	for (size_t i = 0; i < cfg->nsysctls; i++) {
		const char *v = cfg->sysctls[i].value;
		if (!cfg->sysctls[i].key || !sysctl_ok(cfg->sysctls[i].key, cfg->flags)) {
			buf_addf(err, "sysctl \"%s\" is not allowed (not namespaced, or in a namespace "
				 "the pod shares with the host)", cfg->sysctls[i].key ? cfg->sysctls[i].key : "");
			return -KUBE_EINVAL;
		}
		if (!v || strlen(v) > 4096 || strchr(v, '\n')) {
			buf_addf(err, "sysctl %s: bad value", cfg->sysctls[i].key);
			return -KUBE_EINVAL;
		}
	}
	struct cri_resources r = cfg->resources;
	if (r.memory_limit < 0 || r.cpu_shares < 0 || r.cpu_quota_us < 0 || r.pids_limit < 0 ||
	    r.cpu_period_us < 0) {
		buf_adds(err, "negative pod resource limit");
		return -KUBE_EINVAL;
	}
	const struct cri_sandbox **all = NULL;
	size_t n = cri_sandbox_list(rt, &all);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		if (!strcmp(all[i]->pod_uid, cfg->pod_uid)) {
			buf_addf(err, "pod %s already has sandbox %s", cfg->pod_uid, all[i]->id);
			rc = -EEXIST;
		}
	free(all);
	return rc;
}

/* -- the operations -- */

static char *short_uid(const char *uid)
{
	char s[13];
	size_t n = 0;
	for (const char *p = uid; *p && n < 12; p++)
		if (*p != '-')
			s[n++] = *p;
	s[n] = '\0';
	return xstrdup(s);
}

static struct cri_sb *new_record(struct cri_runtime *rt, const struct cri_sandbox_config *cfg)
{
	char id[65], host[65] = "";
	cri_new_id(id);
	struct cri_sb *sb = xcalloc(1, sizeof(*sb));
	struct cri_sandbox *p = &sb->pub;
	p->id = xstrdup(id);
	p->pod_uid = xstrdup(cfg->pod_uid);
	p->pod_name = opt_dup(cfg->pod_name);
	p->pod_namespace = opt_dup(cfg->pod_namespace);
	if (cfg->flags & CRI_HOST_NETWORK)
		gethostname(host, sizeof(host) - 1);
	p->hostname = xstrdup(cfg->flags & CRI_HOST_NETWORK ? host :
			      cfg->hostname ? cfg->hostname : cfg->pod_name);
	p->attempt = cfg->attempt;
	p->flags = cfg->flags;
	if (!(cfg->flags & CRI_HOST_NETWORK)) {
		char *su = short_uid(cfg->pod_uid);
		p->netns_path = xasprintf("%s/%s-%s", rt->netns_dir, rt->prefix, su);
		free(su);
	}
	p->cgroup_parent = xasprintf("/%s/pod%s", rt->prefix, cfg->pod_uid);
	p->created_ns = cri_wall_ns();
	p->labels = xcalloc(cfg->nlabels + 1, sizeof(*p->labels));
	for (size_t i = 0; i < cfg->nlabels; i++) {
		p->labels[i].key = xstrdup(cfg->labels[i].key ? cfg->labels[i].key : "");
		p->labels[i].value = xstrdup(cfg->labels[i].value ? cfg->labels[i].value : "");
	}
	p->nlabels = cfg->nlabels;
	sb->shm_size = cfg->shm_size ? cfg->shm_size : SHM_DEFAULT;
	sb->dir = xasprintf("%s/%s", rt->sandboxes_dir, id);
	return sb;
}

static struct sb_job *new_job(struct cri_runtime *rt, const struct cri_sb *sb)
{
	struct sb_job *j = xcalloc(1, sizeof(*j));
	j->rt = rt;
	j->cg = &rt->cg;
	j->id = xstrdup(sb->pub.id);
	j->flags = sb->pub.flags;
	j->hostname = xstrdup(sb->pub.hostname);
	j->dir = xstrdup(sb->dir);
	j->netns = opt_dup(sb->pub.netns_path);
	j->ipc = xasprintf("%s/ipc", sb->dir);
	j->uts = xasprintf("%s/uts", sb->dir);
	j->shm = xasprintf("%s/shm", sb->dir);
	j->cgroup = xstrdup(sb->pub.cgroup_parent);
	j->shm_size = sb->shm_size;
	return j;
}

static void create_done(void *data, int cancelled)
{
	struct sb_job *j = data;
	struct cri_runtime *rt = j->rt;
	struct cri_sb *sb = hmap_get(&rt->sbs, j->id);
	int err = cancelled ? -ECANCELED : j->err;
	if (err && sb) {
		hmap_del(&rt->sbs, j->id);
		cri_sb_free(sb);
		sb = NULL;
	} else if (sb) {
		sb->busy = 0;
		log_info("runtime: sandbox %s of pod %s created", j->id, sb->pub.pod_uid);
	}
	j->created(j->arg, err, err ? buf_str(&j->msg) : "", err ? NULL : j->id);
	job_free(j);
}

static void add_sysctls(struct sb_job *j, const struct cri_sandbox_config *cfg)
{
	j->nsysctls = cfg->nsysctls;
	j->sysctl_paths = xcalloc(cfg->nsysctls + 1, sizeof(char *));
	j->sysctl_values = xcalloc(cfg->nsysctls + 1, sizeof(char *));
	for (size_t i = 0; i < cfg->nsysctls; i++) {
		char *p = xasprintf("/proc/sys/%s", cfg->sysctls[i].key);
		if (!strchr(cfg->sysctls[i].key, '/'))
			for (char *c = p + 10; *c; c++)
				if (*c == '.')
					*c = '/';
		j->sysctl_paths[i] = p;
		j->sysctl_values[i] = xstrdup(cfg->sysctls[i].value);
	}
}

int cri_sandbox_create(struct cri_runtime *rt, const struct cri_sandbox_config *cfg,
		       cri_create_cb *cb, void *arg, struct buf *err)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	int rc = validate(rt, cfg, err);
	if (rc)
		return rc;
	struct cri_sb *sb = new_record(rt, cfg);
	struct sb_job *j = new_job(rt, sb);
	j->res = cfg->resources;
	add_sysctls(j, cfg);
	cJSON *m = meta_json(sb);
	j->meta = json_print_str(m);
	cJSON_Delete(m);
	j->created = cb;
	j->arg = arg;
	sb->busy = 1;
	hmap_put(&rt->sbs, sb->pub.id, sb);
	rc = cri_queue_work(rt, create_work, create_done, j);
	if (rc) {
		hmap_del(&rt->sbs, sb->pub.id);
		cri_sb_free(sb);
		job_free(j);
	}
	return rc;
}

static void remove_done(void *data, int cancelled)
{
	struct sb_job *j = data;
	struct cri_runtime *rt = j->rt;
	struct cri_sb *sb = hmap_get(&rt->sbs, j->id);
	int err = cancelled ? -ECANCELED : j->err;
	if (!err && sb) {
		hmap_del(&rt->sbs, j->id);
		cri_sb_free(sb);
		log_info("runtime: sandbox %s removed", j->id);
	} else if (sb) {
		sb->busy = 0;
	}
	j->done(j->arg, err, err ? buf_str(&j->msg) : "");
	job_free(j);
}

static int has_containers(struct cri_runtime *rt, const char *id)
{
	const struct cri_container **all = NULL;
	size_t n = cri_container_list(rt, &all);
	int found = 0;
	for (size_t i = 0; i < n && !found; i++)
		found = !strcmp(all[i]->sandbox_id, id);
	free(all);
	return found;
}

int cri_sandbox_remove(struct cri_runtime *rt, const char *id, cri_done_cb *cb, void *arg)
{
	if (rt->closing)
		return -KUBE_ECLOSED;
	struct cri_sb *sb = hmap_get(&rt->sbs, id);
	if (!sb)
		return -KUBE_ENOTFOUND;
	if (sb->busy || has_containers(rt, id))
		return -EBUSY;
	struct sb_job *j = new_job(rt, sb);
	j->done = cb;
	j->arg = arg;
	int rc = cri_queue_work(rt, remove_work, remove_done, j);
	if (rc)
		job_free(j);
	else
		sb->busy = 1;
	return rc;
}

const struct cri_sandbox *cri_sandbox_get(struct cri_runtime *rt, const char *id)
{
	struct cri_sb *sb = hmap_get(&rt->sbs, id);
	return sb ? &sb->pub : NULL;
}

struct collect {
	const void **v;
	size_t n;
};

static int collect_sb(const char *key, void *value, void *data)
{
	UNUSED(key);
	struct collect *c = data;
	c->v[c->n++] = &((struct cri_sb *)value)->pub;
	return 0;
}

size_t cri_sandbox_list(struct cri_runtime *rt, const struct cri_sandbox ***out)
{
	struct collect c = { xcalloc(rt->sbs.n + 1, sizeof(void *)), 0 };
	hmap_each(&rt->sbs, collect_sb, &c);
	*out = (const struct cri_sandbox **)c.v;
	return c.n;
}
