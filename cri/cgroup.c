/*
 * cgroup.c - the cgroup layout of the host (v1, v2 or hybrid, detected from mountinfo) and the
 * pod cgroups: created in every hierarchy with the pod's limits, removed with what runc left.
 *
 * DESIGN
 * runc is given absolute cgroupfs paths ("/PREFIX/pod<uid>/<container id>"), which it creates
 * under the mount point of every hierarchy it manages (all v1 hierarchies including named ones
 * like name=systemd, plus the v2 one in hybrid mode; the unified tree alone on v2). The pod
 * level above it is ours: created with the sandbox in the same places, holding the pod's
 * limits, removed with the sandbox. Nothing is remembered between runs: the layout is
 * detected again at start and the paths are derived from the pod uid.
 *
 * On v2 a controller is usable in a cgroup only when its parent enables it in
 * cgroup.subtree_control, so creating a level enables the available controllers one level up.
 * On v1 a new cpuset cgroup starts with empty cpus and mems, which would refuse every task: the
 * parent's values are copied in. Functions that touch the file system block: they run on the
 * thread pool.
 */
#include "cri/internal.h"
#include "lib/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Decodes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Splits one mountinfo line into mount point, file system type and super options. Returns 0
 * or -1 for a line of another shape. The strings point into line (modified). */
static int parse_mountinfo_line(char *line, char **mnt, char **fstype, char **opts)
{
	char *save = NULL, *f[5];
	int n = 0;
	for (char *t = strtok_r(line, " ", &save); t && n < 5; t = strtok_r(NULL, " ", &save))
		f[n++] = t;
	if (n < 5)
		return -1;
	*mnt = f[4];
	char *t;
	while ((t = strtok_r(NULL, " ", &save)) && strcmp(t, "-") != 0)
		;
	if (!t || !(*fstype = strtok_r(NULL, " ", &save)) || !strtok_r(NULL, " ", &save) ||
	    !(*opts = strtok_r(NULL, " ", &save)))
		return -1;
	unescape(*mnt);
	return 0;
}

/* Whether name is one of the sep-separated words of list. */
static int has_word(const char *list, const char *name, char sep)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		if (!strncmp(p, name, n) && (p[n] == sep || p[n] == '\0'))
			return 1;
		p = strchr(p, sep);
		if (p)
			p++;
	}
	return 0;
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src);
}

/* Records one v1 hierarchy (a mount point seen again replaces nothing: first wins). */
static void add_v1(struct cri_cgroup_layout *l, size_t *n, const char *mnt, const char *opts)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(l->v1[i], mnt))
			return;
	l->v1 = xrealloc(l->v1, (*n + 2) * sizeof(char *));
	l->v1[(*n)++] = xstrdup(mnt);
	l->v1[*n] = NULL;
	static const char *const names[] = { "cpu", "memory", "pids", "cpuset" };
	char **slots[] = { &l->cpu, &l->memory, &l->pids, &l->cpuset };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!*slots[i] && has_word(opts, names[i], ','))
			set_str(slots[i], mnt);
}

int cri_cgroup_detect(const char *mountinfo, const char *root, struct cri_cgroup_layout *l,
		      struct buf *err)
{
	memset(l, 0, sizeof(*l));
	char *text = xstrdup(mountinfo), *save = NULL;
	size_t rlen = strlen(root), n = 0;
	int v2_root = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *mnt, *fstype, *opts;
		if (parse_mountinfo_line(line, &mnt, &fstype, &opts) < 0)
			continue;
		int at_root = !strcmp(mnt, root);
		int under = !strncmp(mnt, root, rlen) && mnt[rlen] == '/';
		if (!strcmp(fstype, "cgroup2") && (at_root || under)) {
			if (!l->unified || at_root)
				set_str(&l->unified, mnt);
			v2_root |= at_root;
		} else if (!strcmp(fstype, "cgroup") && under) {
			add_v1(l, &n, mnt, opts);
		}
	}
	free(text);
	if (v2_root) {
		/* v1 hierarchies mounted below a v2 root are not used. */
		char *u = l->unified;
		l->unified = NULL;
		cri_cgroup_layout_release(l);
		l->unified = u;
		l->mode = CRI_CGROUP_V2;
		return 0;
	}
	if (n == 0) {
		buf_addf(err, "no cgroup file system is mounted under %s", root);
		cri_cgroup_layout_release(l);
		return -KUBE_EINVAL;
	}
	l->mode = l->unified ? CRI_CGROUP_HYBRID : CRI_CGROUP_V1;
	return 0;
}

void cri_cgroup_layout_release(struct cri_cgroup_layout *l)
{
	for (size_t i = 0; l->v1 && l->v1[i]; i++)
		free(l->v1[i]);
	free(l->v1);
	free(l->cpu);
	free(l->memory);
	free(l->pids);
	free(l->cpuset);
	free(l->unified);
	memset(l, 0, sizeof(*l));
}

/* Every hierarchy root of the layout (NULL-terminated array of borrowed strings). */
static const char **roots(const struct cri_cgroup_layout *l)
{
	size_t n = 0;
	while (l->v1 && l->v1[n])
		n++;
	const char **r = xcalloc(n + 2, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		r[i] = l->v1[i];
	if (l->unified)
		r[n] = l->unified;
	return r;
}

static int write_str(const char *dir, const char *file, const char *value, struct buf *err)
{
	char *p = xasprintf("%s/%s", dir, file);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	int rc = 0;
	if (fd < 0 || write(fd, value, strlen(value)) < 0) {
		rc = -errno;
		buf_addf(err, "writing \"%s\" to %s: %s", value, p, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	free(p);
	return rc;
}

static int write_num(const char *dir, const char *file, int64_t v, struct buf *err)
{
	char s[32];
	snprintf(s, sizeof(s), "%" PRId64, v);
	return write_str(dir, file, s, err);
}

/* Reads a small control file, trailing newline removed; "" when unreadable. */
static void read_small(const char *dir, const char *file, char *out, size_t size)
{
	char *p = xasprintf("%s/%s", dir, file);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, out, size - 1) : -1;
	out[n > 0 ? n : 0] = '\0';
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	if (fd >= 0)
		close(fd);
	free(p);
}

/* v1 cpuset: a new cgroup gets its parent's cpus and mems. */
static void copy_cpuset(const char *dir)
{
	char *parent = xstrdup(dir);
	*strrchr(parent, '/') = '\0';
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char cur[256], up[256];
		read_small(dir, files[i], cur, sizeof(cur));
		read_small(parent, files[i], up, sizeof(up));
		if (!cur[0] && up[0])
			write_str(dir, files[i], up, NULL);
	}
	free(parent);
}

/* v2: enables in dir's cgroup.subtree_control the controllers dir has, one at a time (one
 * that cannot be enabled does not stop the others). */
static void enable_controllers(const char *dir)
{
	char avail[512];
	read_small(dir, "cgroup.controllers", avail, sizeof(avail));
	static const char *const wanted[] = { "cpuset", "cpu", "io", "memory", "hugetlb", "pids" };
	for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
		if (!has_word(avail, wanted[i], ' '))
			continue;
		char *v = xasprintf("+%s", wanted[i]);
		write_str(dir, "cgroup.subtree_control", v, NULL);
		free(v);
	}
}

/* Creates root+path level by level; records the directories it made in made[] (count in
 * *nmade) for a rollback. */
static int mkdirs(const struct cri_cgroup_layout *l, const char *root, const char *path,
		  char ***made, size_t *nmade, struct buf *err)
{
	struct buf dir = BUF_INIT;
	buf_adds(&dir, root);
	int rc = 0;
	for (const char *p = path; *p && !rc;) {
		while (*p == '/')
			p++;
		const char *e = strchrnul(p, '/');
		if (e == p)
			break;
		if (l->mode == CRI_CGROUP_V2)
			enable_controllers(buf_str(&dir));
		buf_addch(&dir, '/');
		buf_add(&dir, p, (size_t)(e - p));
		if (mkdir(buf_str(&dir), 0755) == 0) {
			*made = xrealloc(*made, (*nmade + 1) * sizeof(char *));
			(*made)[(*nmade)++] = xstrdup(buf_str(&dir));
			if (l->cpuset && !strcmp(root, l->cpuset))
				copy_cpuset(buf_str(&dir));
		} else if (errno != EEXIST) {
			rc = -errno;
			buf_addf(err, "creating cgroup %s: %s", buf_str(&dir), strerror(errno));
		}
		p = e;
	}
	if (!rc && l->mode == CRI_CGROUP_V2)
		enable_controllers(buf_str(&dir));
	buf_release(&dir);
	return rc;
}

static int write_limits_v1(const struct cri_cgroup_layout *l, const char *path,
			   const struct cri_resources *r, struct buf *err)
{
	int rc = 0;
	char *d;
	if (l->cpu && (r->cpu_shares || r->cpu_quota_us)) {
		d = xasprintf("%s%s", l->cpu, path);
		if (r->cpu_shares)
			rc = rc ? rc : write_num(d, "cpu.shares", r->cpu_shares, err);
		if (r->cpu_quota_us) {
			int64_t period = r->cpu_period_us ? r->cpu_period_us : 100000;
			rc = rc ? rc : write_num(d, "cpu.cfs_period_us", period, err);
			rc = rc ? rc : write_num(d, "cpu.cfs_quota_us", r->cpu_quota_us, err);
		}
		free(d);
	}
	if (l->memory && r->memory_limit) {
		d = xasprintf("%s%s", l->memory, path);
		rc = rc ? rc : write_num(d, "memory.limit_in_bytes", r->memory_limit, err);
		free(d);
	}
	if (l->pids && r->pids_limit) {
		d = xasprintf("%s%s", l->pids, path);
		rc = rc ? rc : write_num(d, "pids.max", r->pids_limit, err);
		free(d);
	}
	return rc;
}

static int write_limits_v2(const char *dir, const struct cri_resources *r, struct buf *err)
{
	int rc = 0;
	if (r->cpu_shares)
		rc = write_num(dir, "cpu.weight",
			       (int64_t)cri_cgroup_shares_to_weight((uint64_t)r->cpu_shares), err);
	if (!rc && r->cpu_quota_us) {
		char v[64];
		snprintf(v, sizeof(v), "%" PRId64 " %" PRId64, r->cpu_quota_us,
			 r->cpu_period_us ? r->cpu_period_us : 100000);
		rc = write_str(dir, "cpu.max", v, err);
	}
	if (!rc && r->memory_limit)
		rc = write_num(dir, "memory.max", r->memory_limit, err);
	if (!rc && r->pids_limit)
		rc = write_num(dir, "pids.max", r->pids_limit, err);
	return rc;
}

int cri_cgroup_create(const struct cri_cgroup_layout *l, const char *path,
		      const struct cri_resources *r, struct buf *err)
{
	const char **rs = roots(l);
	char **made = NULL;
	size_t nmade = 0;
	int rc = 0;
	for (size_t i = 0; rs[i] && !rc; i++)
		rc = mkdirs(l, rs[i], path, &made, &nmade, err);
	if (!rc && l->mode == CRI_CGROUP_V2) {
		char *d = xasprintf("%s%s", l->unified, path);
		rc = write_limits_v2(d, r, err);
		free(d);
	} else if (!rc) {
		rc = write_limits_v1(l, path, r, err);
	}
	for (size_t i = nmade; i-- > 0;) {
		if (rc)
			rmdir(made[i]);
		free(made[i]);
	}
	free(made);
	free(rs);
	return rc;
}

/* Removes dir and the cgroups below it, depth first. */
static int rmdir_tree(const char *dir, int depth, struct buf *err)
{
	DIR *d = depth < 8 ? opendir(dir) : NULL;
	int rc = 0;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *sub = xasprintf("%s/%s", dir, e->d_name);
		int r = rmdir_tree(sub, depth + 1, err);
		rc = rc ? rc : r;
		free(sub);
	}
	closedir(d);
	if (rmdir(dir) < 0 && errno != ENOENT) {
		int e2 = errno;
		if (!rc)
			buf_addf(err, "removing cgroup %s: %s", dir, strerror(e2));
		rc = rc ? rc : -e2;
	}
	return rc;
}

int cri_cgroup_remove(const struct cri_cgroup_layout *l, const char *path, int parents,
		      struct buf *err)
{
	const char **rs = roots(l);
	int rc = 0;
	for (size_t i = 0; rs[i]; i++) {
		char *d = xasprintf("%s%s", rs[i], path);
		int r = rmdir_tree(d, 0, rc ? NULL : err);
		rc = rc ? rc : r;
		/* The levels above (the prefix), while they are empty. */
		for (char *slash = strrchr(d, '/'); parents && slash && (size_t)(slash - d) > strlen(rs[i]);
		     slash = strrchr(d, '/')) {
			*slash = '\0';
			if (rmdir(d) < 0)
				break;
		}
		free(d);
	}
	free(rs);
	return rc;
}

char *cri_cgroup_oom_file(const struct cri_cgroup_layout *l, const char *path)
{
	if (l->mode == CRI_CGROUP_V2)
		return xasprintf("%s%s/memory.events", l->unified, path);
	if (l->memory)
		return xasprintf("%s%s/memory.oom_control", l->memory, path);
	return NULL;
}

long long cri_cgroup_oom_kills(const char *text)
{
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, "oom_kill ", 9))
			return strtoll(p + 9, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

uint64_t cri_cgroup_shares_to_weight(uint64_t shares)
{
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}
