/*
 * volume.c - a pod's volumes and files on the host: emptyDir (disk, or a tmpfs for medium
 * Memory), hostPath (with upstream's type checks), configMap, secret, downwardAPI and projected
 * (without service account tokens), and the pod's /etc/hosts, /etc/hostname, /etc/resolv.conf.
 *
 * DESIGN
 * Layout: DATA/agent/pods/<uid>/volumes/<name>/ for every volume but hostPath, and
 * DATA/agent/pods/<uid>/etc-{hosts,hostname,resolv.conf}. Container log directories live in the
 * same pod dir (DATA/agent/pods/<uid>/<container>/): cleanup leaves them.
 * podspec_pod_prepare reads the configMaps and secrets the volumes name (podspec_fetch), then
 * does all disk work on the thread pool from copies: directories, the tmpfs mount, type checks
 * and files. Files of configMap, secret, downwardAPI and projected volumes are written as
 * upstream's atomic writer does: into a fresh "..<time>" directory, then "..data" is switched to
 * it with a symlink rename and every top-level name is a symlink through "..data", so a later
 * prepare replaces the contents at once. Secret and projected volumes are a tmpfs of their
 * own, as upstream's, so that secrets never reach the disk.
 * Errors carry upstream's FailedMount text ('MountVolume.SetUp failed for volume "v" : ...').
 * A Memory emptyDir is sized as upstream: min(sizeLimit, the pod's memory limit), where set
 * (else the kernel's default, half of RAM, where upstream uses the node's allocatable memory).
 * Deviations: fsGroup is applied as the group of the files of
 * configMap/secret/downwardAPI/projected volumes and of emptyDirs (setgid), not recursively to
 * existing contents.
 */
#include "agent/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <stdarg.h>

#include "lib/pki.h"

static const cJSON *find_volume(const cJSON *pod, const char *name)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, json_getv(pod, "spec", "volumes", NULL)) if (json_str(v, "name") &&
									   strcmp(json_str(v, "name"), name) == 0) return v;
	return NULL;
}

static int supported(const cJSON *v)
{
	const char *kinds[] = { "emptyDir", "configMap", "secret", "downwardAPI", "projected" };
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (cJSON_GetObjectItemCaseSensitive(v, kinds[i]))
			return 1;
	return 0;
}

char *volume_host_path(const struct agent *a, const cJSON *pod, const char *name, struct buf *err)
{
	const cJSON *v = name && *name && name[0] != '.' && !strchr(name, '/') ? find_volume(pod, name) : NULL;
	const char *hp = json_strv(v, "hostPath", "path", NULL);
	if (!v) {
		buf_addf(err, "no volume %s", name);
		return NULL;
	}
	if (hp)
		return xstrdup(hp);
	if (!supported(v)) {
		buf_addf(err, "volume %s: unsupported volume type", name);
		return NULL;
	}
	return xasprintf("%s/%s/volumes/%s", a->cfg->pods_dir, json_strv(pod, "metadata", "uid", NULL), name);
}

/* ---- the work of prepare (thread pool) ------------------------------------------------------ */

struct prep_op {
	struct agent *a;
	cJSON *pod, *objs;
	char *pod_dir;
	void (*done)(void *arg, int err, const char *msg);
	void *arg;
	uv_work_t work;
	int err;
	struct buf msg;
	int64_t fsgroup;          /* -1: none */
};

static int vfail(struct prep_op *op, const char *vol, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int vfail(struct prep_op *op, const char *vol, const char *fmt, ...)
{
	va_list ap;
	if (op->err)
		return -1;
	op->err = -KUBE_EINVAL;
	buf_addf(&op->msg, "MountVolume.SetUp failed for volume \"%s\" : ", vol);
	va_start(ap, fmt);
	buf_vaddf(&op->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* One file of a projection: its relative path, contents and mode. */
struct pfile {
	char *path;
	struct buf data;
	int mode;
};

struct projection {
	struct pfile *f;
	size_t n, cap;
};

static struct pfile *proj_add(struct projection *p, const char *path, int mode)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->f = xrealloc(p->f, p->cap * sizeof(*p->f));
	}
	struct pfile *f = &p->f[p->n++];
	f->path = xstrdup(path);
	buf_init(&f->data);
	f->mode = mode;
	return f;
}

static void proj_free(struct projection *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->f[i].path);
		buf_release(&p->f[i].data);
	}
	free(p->f);
}

/* A relative path without "..", empty or absolute parts. */
static int safe_rel(const char *p)
{
	if (!*p || p[0] == '/' || strncmp(p, "..", 2) == 0)
		return 0;
	for (const char *s = p; (s = strstr(s, "..")); s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == 0 || s[2] == '/'))
			return 0;
	return strstr(p, "//") == NULL && p[strlen(p) - 1] != '/';
}

static int pki_base64_decode_ok(const char *v, struct buf *out)
{
	return pki_base64_decode(v, strlen(v), out) < 0 ? 0 : 1;
}

static int obj_value(const cJSON *obj, int secret, const char *key, struct buf *out)
{
	const char *v = json_strv(obj, "data", key, NULL);
	if (v)
		return secret ? (pki_base64_decode_ok(v, out)) : (buf_adds(out, v), 1);
	if (!secret && (v = json_strv(obj, "binaryData", key, NULL)))
		return pki_base64_decode_ok(v, out);
	return 0;
}

/* The files of a configMap or secret source (items or every key) into p. */
static int project_object(struct prep_op *op, const char *vol, const cJSON *src, int secret, int mode,
			  struct projection *p)
{
	const char *name = json_str(src, secret ? "secretName" : "name");
	if (!name)
		name = json_str(src, "name");
	int optional = json_true(src, "optional");
	char *k = xasprintf("%s/%s", secret ? "secrets" : "configmaps", name ? name : "");
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(op->objs, k), *it;
	free(k);
	if (!obj || !cJSON_IsObject(obj))
		return optional ? 0 : vfail(op, vol, "%s \"%s\" not found", secret ? "secret" : "configmap", name ? name : "");
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(src, "items");
	if (cJSON_GetArraySize(items) > 0) {
		cJSON_ArrayForEach(it, items) {
			const char *key = json_str(it, "key"), *path = json_str(it, "path");
			int64_t m = mode;
			json_int(it, "mode", &m);
			if (!key || !path || !safe_rel(path))
				return vfail(op, vol, "invalid item path %s", path ? path : "");
			struct pfile *f = proj_add(p, path, (int)m);
			if (!obj_value(obj, secret, key, &f->data)) {
				p->n--, free(f->path), buf_release(&f->data);
				if (!optional)
					return vfail(op, vol, "%s references non-existent %s key: %s", secret ? "secret" : "configmap",
						     secret ? "secret" : "config", key);
			}
		}
		return 0;
	}
	const char *maps[] = { "data", "binaryData" };
	for (size_t i = 0; i < (secret ? 1u : 2u); i++)
		cJSON_ArrayForEach(it, json_obj(obj, maps[i])) {
			if (!safe_rel(it->string) || strchr(it->string, '/'))
				continue;
			struct pfile *f = proj_add(p, it->string, mode);
			if (!obj_value(obj, secret, it->string, &f->data))
				p->n--, free(f->path), buf_release(&f->data);
		}
	return 0;
}

static int project_downward(struct prep_op *op, const char *vol, const cJSON *src, int mode, struct projection *p)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(src, "items")) {
		const char *path = json_str(it, "path");
		const cJSON *fr = json_obj(it, "fieldRef"), *rr = json_obj(it, "resourceFieldRef");
		int64_t m = mode;
		struct buf err = BUF_INIT;
		json_int(it, "mode", &m);
		if (!path || !safe_rel(path))
			return vfail(op, vol, "invalid item path %s", path ? path : "");
		struct pfile *f = proj_add(p, path, (int)m);
		int rc = -1;
		if (fr)
			rc = podspec_field_ref(op->pod, json_str(fr, "fieldPath") ? json_str(fr, "fieldPath") : "",
					       op->a->cfg->n_node_ips ? op->a->cfg->node_ips[0] : "", &f->data, &err);
		else if (rr) {
			const char *cn = json_str(rr, "containerName");
			const cJSON *c, *found = NULL;
			const char *lists[] = { "containers", "initContainers" };
			for (size_t l = 0; l < 2 && !found; l++)
				cJSON_ArrayForEach(c, json_getv(op->pod, "spec", lists[l], NULL)) if (cn && json_str(c, "name") &&
													 strcmp(json_str(c, "name"), cn) == 0) found = c;
			long cpus = sysconf(_SC_NPROCESSORS_ONLN);
			int64_t mem = (int64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);
			if (!found)
				buf_addf(&err, "container %s not found", cn ? cn : "");
			else
				rc = podspec_resource_ref(found, json_str(rr, "resource"), json_str(rr, "divisor"), cpus * 1000LL, mem,
							  &f->data, &err);
		} else
			buf_adds(&err, "an item needs fieldRef or resourceFieldRef");
		if (rc < 0) {
			vfail(op, vol, "%s", buf_str(&err));
			buf_release(&err);
			return -1;
		}
		buf_release(&err);
	}
	return 0;
}

static int mkdirs_for(const char *dir, const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel), *slash = strrchr(p, '/');
	*slash = 0;
	int rc = mkdir_p(p, 0755);
	free(p);
	return rc;
}

/* Removes a tree without crossing mount points. */
static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	UNUSED(st);
	UNUSED(ftw);
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static int write_file_mode(const char *path, const struct buf *data, int mode, int64_t gid)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	ssize_t n = data->len ? write(fd, data->data, data->len) : 0;
	int rc = n < 0 || (size_t)n != data->len ? -EIO : 0;
	if (gid >= 0 && fchown(fd, (uid_t)-1, (gid_t)gid) < 0)
		rc = rc ? rc : -errno;
	if (fchmod(fd, (mode_t)(mode & 07777)) < 0)
		rc = rc ? rc : -errno;
	close(fd);
	return rc;
}

/* The top-level name of a relative path (kept in tops when new); 1 when it is among tops. */
static int top_in(const struct projection *p, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < p->n; i++)
		if (strncmp(p->f[i].path, name, n) == 0 && (p->f[i].path[n] == 0 || p->f[i].path[n] == '/'))
			return 1;
	return 0;
}

/* Upstream's atomic writer: files into a new ..<time> dir, ..data switched to it. */
static int write_projection(struct prep_op *op, const char *vol, const char *dir, const struct projection *p)
{
	char name[64], old[256] = "", *link;
	snprintf(name, sizeof(name), "..%llu", (unsigned long long)now_ns());
	char *ts = xasprintf("%s/%s", dir, name), *data = xasprintf("%s/..data", dir), *tmp = xasprintf("%s/..data_tmp", dir);
	int rc = mkdir_p(ts, 0755);
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		char *f = xasprintf("%s/%s", ts, p->f[i].path);
		rc = mkdirs_for(ts, p->f[i].path);
		if (rc == 0)
			rc = write_file_mode(f, &p->f[i].data, p->f[i].mode, op->fsgroup);
		free(f);
	}
	ssize_t ol = readlink(data, old, sizeof(old) - 1);
	old[ol > 0 ? ol : 0] = 0;
	unlink(tmp);
	if (rc == 0 && (symlink(name, tmp) < 0 || rename(tmp, data) < 0))
		rc = -errno;
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		char *top = xstrndup(p->f[i].path, strcspn(p->f[i].path, "/")), *l = xasprintf("%s/%s", dir, top);
		struct stat st;
		link = xasprintf("..data/%s", top);
		if (lstat(l, &st) < 0 && symlink(link, l) < 0)
			rc = -errno;
		free(top), free(l), free(link);
	}
	DIR *d = rc == 0 ? opendir(dir) : NULL;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.' && e->d_name[1] == '.')
			continue;
		char *l = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (e->d_name[0] != '.' && lstat(l, &st) == 0 && S_ISLNK(st.st_mode) && !top_in(p, e->d_name))
			unlink(l);
		free(l);
	}
	if (d)
		closedir(d);
	if (rc == 0 && old[0] && strcmp(old, name) != 0 && !strchr(old, '/')) {
		char *o = xasprintf("%s/%s", dir, old);
		rm_tree(o);
		free(o);
	}
	if (rc < 0) {
		rm_tree(ts);
		vfail(op, vol, "cannot write the volume's files: %s", strerror(-rc));
	}
	free(ts), free(data), free(tmp);
	return rc < 0 ? -1 : 0;
}

static int is_mountpoint(const char *dir)
{
	struct stat a, b;
	char *parent = xasprintf("%s/..", dir);
	int r = stat(dir, &a) == 0 && stat(parent, &b) == 0 && (a.st_dev != b.st_dev || a.st_ino == b.st_ino);
	free(parent);
	return r;
}

/* The pod's memory limit as upstream sizes memory-backed volumes: max(sum of the containers'
 * limits, the largest init container limit); 0 when a container has none. */
static int64_t pod_memory_limit(const cJSON *pod)
{
	int64_t sum = 0, init = 0, v;
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(pod, "spec", "containers", NULL)) {
		const char *q = json_strv(c, "resources", "limits", "memory", NULL);
		if (!q || podspec_quantity(q, NULL, &v) < 0 || v <= 0)
			return 0;
		sum += v;
	}
	cJSON_ArrayForEach(c, json_getv(pod, "spec", "initContainers", NULL)) {
		const char *q = json_strv(c, "resources", "limits", "memory", NULL);
		if (!q || podspec_quantity(q, NULL, &v) < 0 || v <= 0)
			return 0;
		init = v > init ? v : init;
	}
	return sum > init ? sum : init;
}

static int empty_dir(struct prep_op *op, const char *vol, const cJSON *ed, const char *dir)
{
	const char *medium = json_str(ed, "medium"), *limit = json_str(ed, "sizeLimit");
	if (mkdir_p(dir, 0777) < 0)
		return vfail(op, vol, "cannot create %s: %s", dir, strerror(errno));
	if (medium && strcmp(medium, "Memory") == 0 && !is_mountpoint(dir)) {
		int64_t size = 0;
		char opts[128] = "mode=0777";
		int64_t pod_limit = pod_memory_limit(op->pod);
		if (!limit || podspec_quantity(limit, NULL, &size) < 0 || size <= 0 || (pod_limit && pod_limit < size))
			size = pod_limit;
		if (size > 0)
			snprintf(opts, sizeof(opts), "mode=0777,size=%lld", (long long)size);
		if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
			return vfail(op, vol, "cannot mount a tmpfs on %s: %s", dir, strerror(errno));
	} else if (medium && *medium && strcmp(medium, "Memory") != 0)
		return vfail(op, vol, "unsupported emptyDir medium %s", medium);
	if (chmod(dir, op->fsgroup >= 0 ? 02777 : 0777) < 0 ||
	    (op->fsgroup >= 0 && chown(dir, (uid_t)-1, (gid_t)op->fsgroup) < 0))
		return vfail(op, vol, "cannot set the permissions of %s: %s", dir, strerror(errno));
	return 0;
}

static int host_path(struct prep_op *op, const char *vol, const cJSON *hp)
{
	const char *path = json_str(hp, "path"), *type = json_str(hp, "type");
	struct stat st;
	if (!path || path[0] != '/')
		return vfail(op, vol, "hostPath %s is not absolute", path ? path : "");
	if (!type || !*type || strcmp(type, "DirectoryOrCreate") == 0) {
		if (stat(path, &st) < 0 && mkdir_p(path, 0755) < 0)
			return vfail(op, vol, "cannot create %s: %s", path, strerror(errno));
		if (type && *type && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)))
			return vfail(op, vol, "hostPath type check failed: %s is not a directory", path);
		return 0;
	}
	if (strcmp(type, "FileOrCreate") == 0 && stat(path, &st) < 0) {
		char *parent = xstrdup(path);
		*strrchr(parent, '/') = 0;
		int fd = mkdir_p(*parent ? parent : "/", 0755) < 0 ? -1 : open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		free(parent);
		if (fd >= 0)
			close(fd);
	}
	static const struct { const char *type, *what; mode_t fmt; } t[] = {
		{ "Directory", "a directory", S_IFDIR }, { "File", "a file", S_IFREG }, { "FileOrCreate", "a file", S_IFREG },
		{ "Socket", "a socket file", S_IFSOCK }, { "CharDevice", "a character device", S_IFCHR },
		{ "BlockDevice", "a block device", S_IFBLK },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (strcmp(type, t[i].type) == 0) {
			if (stat(path, &st) < 0 || (st.st_mode & S_IFMT) != t[i].fmt)
				return vfail(op, vol, "hostPath type check failed: %s is not %s", path, t[i].what);
			return 0;
		}
	return vfail(op, vol, "invalid hostPath type %s", type);
}

static int projected(struct prep_op *op, const char *vol, const cJSON *v, const char *dir)
{
	struct projection p = { 0 };
	int64_t mode = 0644;
	const cJSON *src;
	int rc = 0;
	if (mkdir_p(dir, 0755) < 0)
		return vfail(op, vol, "cannot create %s: %s", dir, strerror(errno));
	/* secrets never touch the disk: secret and projected volumes are a tmpfs, as upstream's */
	if ((json_obj(v, "secret") || json_obj(v, "projected")) && !is_mountpoint(dir) &&
	    mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0)
		return vfail(op, vol, "cannot mount a tmpfs on %s: %s", dir, strerror(errno));
	if ((src = json_obj(v, "configMap"))) {
		json_int(src, "defaultMode", &mode);
		rc = project_object(op, vol, src, 0, (int)mode, &p);
	} else if ((src = json_obj(v, "secret"))) {
		json_int(src, "defaultMode", &mode);
		rc = project_object(op, vol, src, 1, (int)mode, &p);
	} else if ((src = json_obj(v, "downwardAPI"))) {
		json_int(src, "defaultMode", &mode);
		rc = project_downward(op, vol, src, (int)mode, &p);
	} else if ((src = json_obj(v, "projected"))) {
		const cJSON *s;
		json_int(src, "defaultMode", &mode);
		cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(src, "sources")) {
			if (rc == 0 && json_obj(s, "configMap"))
				rc = project_object(op, vol, json_obj(s, "configMap"), 0, (int)mode, &p);
			else if (rc == 0 && json_obj(s, "secret"))
				rc = project_object(op, vol, json_obj(s, "secret"), 1, (int)mode, &p);
			else if (rc == 0 && json_obj(s, "downwardAPI"))
				rc = project_downward(op, vol, json_obj(s, "downwardAPI"), (int)mode, &p);
		}
	}
	if (rc == 0)
		rc = write_projection(op, vol, dir, &p);
	proj_free(&p);
	return rc;
}

/* ---- the pod's files ------------------------------------------------------------------------ */

char *podspec_hostname(const struct agent *a, const cJSON *pod)
{
	const cJSON *spec = json_obj(pod, "spec");
	if (json_true(spec, "hostNetwork"))
		return xstrdup(a->cfg->hostname);
	const char *h = json_str(spec, "hostname");
	if (!h || !*h)
		h = json_strv(pod, "metadata", "name", NULL);
	size_t n = strlen(h ? h : "");
	if (n > 63)
		n = 63;
	while (n > 0 && (h[n - 1] == '-' || h[n - 1] == '.'))
		n--;
	return xstrndup(h ? h : "", n);
}

static void hosts_file(struct prep_op *op, struct buf *out)
{
	const cJSON *spec = json_obj(op->pod, "spec"), *ha;
	if (json_true(spec, "hostNetwork")) {
		char *host = NULL;
		size_t len = 0;
		buf_adds(out, "# Kubernetes-managed hosts file (host network).\n");
		if (read_file("/etc/hosts", &host, &len) == 0)
			buf_add(out, host, len);
		free(host);
	} else {
		buf_adds(out, "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
			      "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
		const char *ip = json_strv(op->pod, "status", "podIP", NULL), *sub = json_str(spec, "subdomain");
		char *h = podspec_hostname(op->a, op->pod);
		if (ip && *ip && sub && *sub)
			buf_addf(out, "%s\t%s.%s.%s.svc.%s\t%s\n", ip, h, sub, json_strv(op->pod, "metadata", "namespace", NULL),
				 op->a->cluster_domain ? op->a->cluster_domain : "cluster.local", h);
		else if (ip && *ip)
			buf_addf(out, "%s\t%s\n", ip, h);
		free(h);
	}
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(spec, "hostAliases")) > 0)
		buf_adds(out, "\n# Entries added by HostAliases.\n");
	cJSON_ArrayForEach(ha, cJSON_GetObjectItemCaseSensitive(spec, "hostAliases")) {
		const cJSON *hn;
		buf_addf(out, "%s\t", json_str(ha, "ip") ? json_str(ha, "ip") : "");
		cJSON_ArrayForEach(hn, cJSON_GetObjectItemCaseSensitive(ha, "hostnames")) if (cJSON_IsString(hn))
			buf_addf(out, "%s%s", hn->prev && hn != cJSON_GetObjectItemCaseSensitive(ha, "hostnames")->child ? "\t" : "",
				 hn->valuestring);
		buf_addch(out, '\n');
	}
}

/* 1 when text names a nameserver that is not a loopback address. */
static int usable_nameserver(const char *text)
{
	for (const char *p = text; p && (p = strstr(p, "nameserver")); p += 10) {
		if (p != text && p[-1] != '\n')
			continue;
		const char *a = p + 10 + strspn(p + 10, " \t");
		if (*a && *a != '\n' && strncmp(a, "127.", 4) != 0 && strncmp(a, "::1", 3) != 0)
			return 1;
	}
	return 0;
}

/* The host's resolv.conf for pods, as k3s picks it: /etc/resolv.conf, or systemd-resolved's
 * upstream file when the former names loopback resolvers only (unreachable from a pod), or
 * else 8.8.8.8. Malloc'd. */
static char *host_resolv(void)
{
	const char *files[] = { "/etc/resolv.conf", "/run/systemd/resolve/resolv.conf" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *text = NULL;
		size_t len = 0;
		if (read_file(files[i], &text, &len) == 0 && usable_nameserver(text))
			return text;
		free(text);
	}
	return xstrdup("nameserver 8.8.8.8\n");
}

static int pod_files(struct prep_op *op)
{
	struct buf b = BUF_INIT, err = BUF_INIT;
	char *host = NULL, *h = podspec_hostname(op->a, op->pod), *p;
	int rc = 0;
	hosts_file(op, &b);
	p = xasprintf("%s/etc-hosts", op->pod_dir);
	rc = write_file_atomic(p, b.data ? b.data : "", b.len, 0644);
	free(p);
	buf_reset(&b);
	buf_addf(&b, "%s\n", h);
	p = xasprintf("%s/etc-hostname", op->pod_dir);
	if (rc == 0)
		rc = write_file_atomic(p, b.data, b.len, 0644);
	free(p);
	buf_reset(&b);
	host = host_resolv();
	if (podspec_resolv_conf(op->pod, op->a->cluster_dns, op->a->cluster_domain, host ? host : "", &b, &err) < 0) {
		op->err = -KUBE_EINVAL;
		buf_addf(&op->msg, "%s", buf_str(&err));
	} else {
		p = xasprintf("%s/etc-resolv.conf", op->pod_dir);
		if (rc == 0)
			rc = write_file_atomic(p, b.data ? b.data : "", b.len, 0644);
		free(p);
	}
	if (rc < 0 && !op->err) {
		op->err = rc;
		buf_addf(&op->msg, "cannot write the pod's files in %s: %s", op->pod_dir, strerror(-rc));
	}
	free(host);
	free(h);
	buf_release(&b);
	buf_release(&err);
	return op->err ? -1 : 0;
}

static void prep_work(uv_work_t *w)
{
	struct prep_op *op = w->data;
	const cJSON *v;
	char *vdir = xasprintf("%s/volumes", op->pod_dir);
	if (mkdir_p(op->pod_dir, 0750) < 0 || mkdir_p(vdir, 0750) < 0) {
		op->err = -errno;
		buf_addf(&op->msg, "cannot create %s: %s", vdir, strerror(errno));
		free(vdir);
		return;
	}
	cJSON_ArrayForEach(v, json_getv(op->pod, "spec", "volumes", NULL)) {
		const char *name = json_str(v, "name");
		if (!name || !*name || strchr(name, '/') || name[0] == '.') {
			vfail(op, name ? name : "", "invalid volume name");
			break;
		}
		char *dir = xasprintf("%s/%s", vdir, name);
		int rc = 0;
		if (json_obj(v, "hostPath"))
			rc = host_path(op, name, json_obj(v, "hostPath"));
		else if (cJSON_GetObjectItemCaseSensitive(v, "emptyDir"))
			rc = empty_dir(op, name, json_obj(v, "emptyDir"), dir);
		else if (supported(v))
			rc = projected(op, name, v, dir);
		else
			rc = vfail(op, name, "unsupported volume type");
		free(dir);
		if (rc < 0)
			break;
	}
	free(vdir);
	if (!op->err)
		pod_files(op);
}

static void prep_free(struct prep_op *op)
{
	cJSON_Delete(op->pod);
	cJSON_Delete(op->objs);
	free(op->pod_dir);
	buf_release(&op->msg);
	free(op);
}

static void prep_after(uv_work_t *w, int status)
{
	struct prep_op *op = w->data;
	if (status < 0 && !op->err) {
		op->err = status;
		buf_adds(&op->msg, "cancelled");
	}
	op->done(op->arg, op->err, buf_str(&op->msg));
	prep_free(op);
}

static void prep_fetched(void *arg, int err, const char *msg, const cJSON *objs)
{
	struct prep_op *op = arg;
	if (err < 0) {
		op->done(op->arg, err, msg);
		prep_free(op);
		return;
	}
	op->objs = cJSON_Duplicate(objs, 1);
	op->work.data = op;
	uv_queue_work(op->a->loop, &op->work, prep_work, prep_after);
}

/* The configMaps and secrets the pod's volumes name. */
static cJSON *volume_refs(const cJSON *pod)
{
	cJSON *names = cJSON_CreateArray();
	const cJSON *v, *s;
	cJSON_ArrayForEach(v, json_getv(pod, "spec", "volumes", NULL)) {
		const char *n[2] = { json_strv(v, "configMap", "name", NULL), json_strv(v, "secret", "secretName", NULL) };
		char *k;
		if (n[0])
			k = xasprintf("configmaps/%s", n[0]), cJSON_AddItemToArray(names, cJSON_CreateString(k)), free(k);
		if (n[1])
			k = xasprintf("secrets/%s", n[1]), cJSON_AddItemToArray(names, cJSON_CreateString(k)), free(k);
		cJSON_ArrayForEach(s, json_getv(v, "projected", "sources", NULL)) {
			const char *cm = json_strv(s, "configMap", "name", NULL), *se = json_strv(s, "secret", "name", NULL);
			if (cm)
				k = xasprintf("configmaps/%s", cm), cJSON_AddItemToArray(names, cJSON_CreateString(k)), free(k);
			if (se)
				k = xasprintf("secrets/%s", se), cJSON_AddItemToArray(names, cJSON_CreateString(k)), free(k);
		}
	}
	return names;
}

int podspec_pod_prepare(struct agent *a, const cJSON *pod, void (*done)(void *arg, int err, const char *msg), void *arg)
{
	const char *uid = json_strv(pod, "metadata", "uid", NULL), *ns = json_strv(pod, "metadata", "namespace", NULL);
	int64_t g;
	if (!uid || !*uid || strchr(uid, '/') || uid[0] == '.')
		return -KUBE_EINVAL;
	struct prep_op *op = xcalloc(1, sizeof(*op));
	op->a = a;
	op->pod = cJSON_Duplicate(pod, 1);
	op->pod_dir = podspec_pod_file(a, uid, NULL);
	op->done = done;
	op->arg = arg;
	op->fsgroup = json_int(json_getv(pod, "spec", "securityContext", NULL), "fsGroup", &g) == 0 ? g : -1;
	buf_init(&op->msg);
	cJSON *names = volume_refs(pod);
	int rc = podspec_fetch(a, ns ? ns : "default", names, prep_fetched, op);
	cJSON_Delete(names);
	if (rc < 0)
		prep_free(op);
	return rc;
}

void podspec_pod_cleanup(struct agent *a, const char *pod_uid)
{
	if (!pod_uid || !*pod_uid || strchr(pod_uid, '/') || pod_uid[0] == '.')
		return;
	char *dir = podspec_pod_file(a, pod_uid, NULL), *vdir = xasprintf("%s/volumes", dir);
	DIR *d = opendir(vdir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", vdir, e->d_name);
		if (is_mountpoint(p) && umount2(p, MNT_DETACH) < 0)
			log_warn("agent: cannot unmount %s: %s", p, strerror(errno));
		free(p);
	}
	if (d)
		closedir(d);
	rm_tree(vdir);
	const char *files[] = { "etc-hosts", "etc-hostname", "etc-resolv.conf" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir); /* fails while container logs are kept: fine */
	free(vdir);
	free(dir);
}
