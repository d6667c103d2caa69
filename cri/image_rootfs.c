/*
 * image_rootfs.c - a container's root filesystem: an overlay of the image's layers with a
 * per-container upper directory, mounted and unmounted on the thread pool (mount(2) blocks).
 *
 * DESIGN
 * DIR (the caller's, one per container) gets rootfs/ (the mount point), upper/ (the
 * container's changes, 0755 root: it gives the root directory its mode) and work/ (overlay's
 * scratch space). Lower directories are the image's layers, top first in the option. Before
 * mounting, a lease (DATA/agent/images/leases/<sha256 of DIR>) lists the layers, so that
 * removing the image does not delete layers a container still uses; release drops it.
 *
 * The legacy mount(2) data is limited to one page. When the layer paths do not fit, each
 * layer is opened with O_PATH and named as /proc/self/fd/N, which overlayfs resolves at mount
 * time (the descriptors are closed afterwards). Paths are escaped for overlay's option parser
 * (",", ":" and "\\" get a backslash).
 *
 * Both operations are idempotent so that an agent restarted after a crash can run them
 * again: a rootfs already mounted is left alone, releasing something not mounted only
 * removes the directories.
 */
#include "cri/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/util.h"

#define ROOTFS_OPT_MAX 4095

/* Decodes mountinfo's octal escapes (\040 for a space) in place. */
static void rootfs__unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
		    r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
}

/* Nonzero when path is a mount point (of this mount namespace). */
int image__is_mounted(const char *path)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	while (!found && getline(&line, &cap, f) > 0) {
		char *save = NULL, *tok = strtok_r(line, " ", &save);
		for (int i = 0; tok && i < 4; i++)
			tok = strtok_r(NULL, " ", &save);
		if (tok) {
			rootfs__unescape(tok);
			found = strcmp(tok, path) == 0;
		}
	}
	free(line);
	fclose(f);
	return found;
}

static void rootfs__add_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ',' || *s == ':' || *s == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *s);
	}
}

static char *rootfs__lease_path(const struct image__paths *p, const char *dir)
{
	char d[IMAGE_DIGEST_MAX];
	image__sha256(dir, strlen(dir), d);
	return xasprintf("%s/%s", p->leases, d + 7);
}

/* Writes the lease of dir and checks that every layer is present, under the store lock. */
static int rootfs__lease(const struct image__paths *p, const char *dir, char *const *layers, size_t n,
			 struct buf *err)
{
	int lk = image__lock(p);
	if (lk < 0) {
		buf_addf(err, "image store lock: %s", strerror(-lk));
		return lk;
	}
	struct buf text = BUF_INIT;
	int ret = 0;
	for (size_t i = 0; i < n && !ret; i++) {
		struct stat st;
		const char *slash = strrchr(layers[i], '/');
		if (stat(layers[i], &st) != 0) {
			buf_addf(err, "layer %s of the image is missing from the store", layers[i]);
			ret = -IMAGE_ENOTFOUND;
		}
		buf_addf(&text, "sha256:%s\n", slash ? slash + 1 : layers[i]);
	}
	char *path = rootfs__lease_path(p, dir);
	if (!ret && (ret = write_file_atomic(path, text.data ? text.data : "", text.len, 0600)) != 0)
		buf_addf(err, "writing %s: %s", path, strerror(-ret));
	free(path);
	buf_release(&text);
	image__unlock(lk);
	return ret;
}

/* The overlay options; lower directories as /proc/self/fd/N when the paths are too long
 * (the fds are appended to fds, which the caller closes). */
static int rootfs__options(const struct image__paths *p, char *const *layers, size_t n, const char *upper,
			   const char *work, struct buf *opts, int *fds, struct buf *err)
{
	for (int pass = 0; pass < 2; pass++) {
		buf_reset(opts);
		buf_adds(opts, "lowerdir=");
		if (n == 0)
			rootfs__add_escaped(opts, p->empty);
		for (size_t i = n; i-- > 0;) {
			if (pass == 1) {
				fds[i] = open(layers[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (fds[i] < 0) {
					buf_addf(err, "%s: %s", layers[i], strerror(errno));
					return -errno;
				}
				buf_addf(opts, "/proc/self/fd/%d", fds[i]);
			} else {
				rootfs__add_escaped(opts, layers[i]);
			}
			if (i)
				buf_addch(opts, ':');
		}
		buf_adds(opts, ",upperdir=");
		rootfs__add_escaped(opts, upper);
		buf_adds(opts, ",workdir=");
		rootfs__add_escaped(opts, work);
		if (opts->len <= ROOTFS_OPT_MAX)
			return 0;
	}
	buf_addf(err, "too many layers (%zu) for one overlay mount", n);
	return -E2BIG;
}

static int rootfs__mkdirs(const char *rootfs, const char *upper, const char *work, struct buf *err)
{
	const char *dirs[] = { rootfs, upper, work };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (mkdir(dirs[i], 0755) < 0 && errno != EEXIST) {
			buf_addf(err, "%s: %s", dirs[i], strerror(errno));
			return -errno;
		}
	}
	chmod(upper, 0755);
	return 0;
}

static int rootfs__mount(const struct image__paths *p, char *const *layers, size_t n, const char *dir,
			 struct buf *err)
{
	char *rootfs = xasprintf("%s/rootfs", dir), *upper = xasprintf("%s/upper", dir);
	char *work = xasprintf("%s/work", dir);
	struct buf opts = BUF_INIT;
	int *fds = xcalloc(n + 1, sizeof(int));
	for (size_t i = 0; i < n; i++)
		fds[i] = -1;
	int ret = rootfs__mkdirs(rootfs, upper, work, err);
	if (!ret)
		ret = rootfs__lease(p, dir, layers, n, err);
	if (!ret && image__is_mounted(rootfs))
		goto out; /* mounted before a restart */
	/* overlayfs refuses a directory twice in lowerdir (ELOOP); a layer repeated in an image
	 * keeps only its topmost place, which gives the same tree. */
	char **uniq = xcalloc(n + 1, sizeof(*uniq));
	size_t nu = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = i + 1;
		while (k < n && strcmp(layers[k], layers[i]) != 0)
			k++;
		if (k == n)
			uniq[nu++] = layers[i];
	}
	if (!ret)
		ret = rootfs__options(p, uniq, nu, upper, work, &opts, fds, err);
	free(uniq);
	if (!ret && mount("overlay", rootfs, "overlay", 0, buf_str(&opts)) < 0) {
		ret = -errno;
		buf_addf(err, "mounting the overlay on %s: %s", rootfs, strerror(errno));
	}
out:
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	buf_release(&opts);
	free(rootfs);
	free(upper);
	free(work);
	return ret;
}

static int rootfs__unmount(const struct image__paths *p, const char *dir, struct buf *err)
{
	char *rootfs = xasprintf("%s/rootfs", dir);
	int ret = 0;
	for (int tries = 0; tries < 8 && image__is_mounted(rootfs); tries++) {
		if (umount2(rootfs, tries == 0 ? 0 : MNT_DETACH) < 0 && errno != EINVAL && errno != EBUSY) {
			ret = -errno;
			buf_addf(err, "unmounting %s: %s", rootfs, strerror(errno));
			break;
		}
	}
	if (!ret && image__is_mounted(rootfs)) {
		buf_addf(err, "%s is still mounted", rootfs);
		ret = -EBUSY;
	}
	if (!ret) {
		const char *names[] = { "rootfs", "upper", "work" };
		for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			int r = image__rmtree(path);
			if (r && !ret) {
				ret = r;
				buf_addf(err, "removing %s: %s", path, strerror(-r));
			}
			free(path);
		}
		int lk = image__lock(p);
		char *lease = rootfs__lease_path(p, dir);
		unlink(lease);
		free(lease);
		image__unlock(lk);
	}
	free(rootfs);
	return ret;
}

static void rootfs__prepare_run(struct image__job *j)
{
	const struct image *img = j->data;
	j->err = rootfs__mount(&j->s->paths, img->layers, img->nlayers, j->path, &j->msg);
}

static void rootfs__prepare_done(struct image__job *j)
{
	image_unref(j->data);
	if (j->cb)
		j->cb(j->arg, j->err, buf_str(&j->msg), NULL);
}

int image_rootfs_prepare(struct image_store *s, const struct image *img, const char *dir, image_done_cb *cb,
			 void *arg)
{
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = rootfs__prepare_run;
	j->done = rootfs__prepare_done;
	j->cb = cb;
	j->arg = arg;
	j->path = xstrdup(dir);
	j->data = image_ref((struct image *)img);
	image__queue(s, j);
	return 0;
}

static void rootfs__release_run(struct image__job *j)
{
	j->err = rootfs__unmount(&j->s->paths, j->path, &j->msg);
}

static void rootfs__release_done(struct image__job *j)
{
	if (j->cb)
		j->cb(j->arg, j->err, buf_str(&j->msg), NULL);
}

int image_rootfs_release(struct image_store *s, const char *dir, image_done_cb *cb, void *arg)
{
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = rootfs__release_run;
	j->done = rootfs__release_done;
	j->cb = cb;
	j->arg = arg;
	j->path = xstrdup(dir);
	image__queue(s, j);
	return 0;
}

/* Synchronous forms for `kube images` and tests. */
int image__rootfs_mount(const struct image__paths *p, const struct image *img, const char *dir, struct buf *err)
{
	return rootfs__mount(p, img->layers, img->nlayers, dir, err);
}

int image__rootfs_unmount(const struct image__paths *p, const char *dir, struct buf *err)
{
	return rootfs__unmount(p, dir, err);
}
