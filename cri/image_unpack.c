/*
 * image_unpack.c - unpacking one image layer (a tar stream, compressed or not) into a
 * directory that overlayfs will use as a lower layer, with both of its digests checked.
 *
 * DESIGN
 * Two libarchive readers are chained: the first decompresses (every filter libarchive has:
 * gzip, zstd, xz, bzip2, lz4, or none) and presents the result as one "raw" entry; the second
 * reads that stream as a tar. Our read callbacks sit between them, so the compressed bytes are
 * hashed on their way in (the blob digest of the manifest) and the uncompressed bytes on
 * their way to the tar reader (the diff id of the image config), in one pass, without a
 * temporary copy. After the tar's end both streams are drained so that the digests cover every
 * byte.
 *
 * Entries are written with *at() system calls relative to directory descriptors. The parent
 * of an entry is reached component by component with O_NOFOLLOW, so an entry can never be
 * written through a symlink (an earlier entry "a -> /etc" and then "a/passwd"): such a layer
 * is refused, as are ".." components and hard links whose target is not in the layer. Leading
 * "/" and "./" are dropped as tar does (they cannot leave the directory). Symlink targets are
 * stored as they are: they are resolved inside the container's root at run time.
 *
 * Whiteouts become what overlayfs reads: ".wh.NAME" a character device 0:0 named NAME,
 * ".wh..wh..opq" the xattr trusted.overlay.opaque="y" on its directory; other ".wh..wh."
 * names (AUFS bookkeeping) are skipped. xattrs from the tar named trusted.overlay.* are not
 * applied (they would let an image forge overlay metadata). Metadata order: create, chown
 * (which clears set-id bits and capabilities), chmod, xattrs (security.capability last
 * survives), times; directory times are set at the end, once their contents are written.
 * The file system is synced (syncfs) before returning, so that the caller's rename into the
 * store publishes a layer that is on disk.
 */
#include "cri/internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/util.h"

#define UNPACK_BUF (128 * 1024)

struct up__dirtime {
	char *path;
	struct timespec ts[2];
};

struct up {
	int root;                 /* the target directory */
	unsigned flags;
	int is_root;              /* running as uid 0: chown and mknod work */
	struct buf *err;
	image__read_fn *rd;
	void *ctx;
	struct archive *outer;    /* decompression, "raw" format */
	struct archive *tar;
	char *buf;                /* uncompressed bytes handed to the tar reader */
	struct image__hash blob_hash, diff_hash;
	uint64_t blob_size, tar_size;
	int src_eof;
	int outer_eof;
	size_t pad_left;          /* zeros still to give the tar reader after the end */
	struct up__dirtime *dirs;
	size_t ndirs;
	char *parent_path;        /* cache: the last parent directory reached, and its fd */
	int parent_fd;
	const char *entry;        /* the entry being written, for messages */
};

static int up__fail(struct up *u, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int up__fail(struct up *u, int ret, const char *fmt, ...)
{
	if (u->err->len)
		return ret;
	va_list ap;
	va_start(ap, fmt);
	if (u->entry)
		buf_addf(u->err, "layer entry \"%s\": ", u->entry);
	buf_vaddf(u->err, fmt, ap);
	va_end(ap);
	return ret;
}

static la_ssize_t up__outer_read(struct archive *a, void *data, const void **buf)
{
	(void)a;
	struct up *u = data;
	if (u->src_eof)
		return 0;
	ssize_t n = u->rd(u->ctx, buf);
	if (n < 0) {
		archive_set_error(a, (int)-n, "reading the layer: %s", strerror((int)-n));
		return -1;
	}
	if (n == 0)
		u->src_eof = 1;
	image__hash_update(&u->blob_hash, *buf, (size_t)n);
	u->blob_size += (uint64_t)n;
	return n;
}

/* After the end of the stream come zeros: the padding of the last entry and the end-of-archive
 * blocks, which some tools (umoci) leave out and Go's tar reader (containerd) does not need. They
 * are not part of the diff id. */
static la_ssize_t up__tar_pad(struct up *u, const void **buf)
{
	size_t n = MIN(u->pad_left, (size_t)UNPACK_BUF);
	memset(u->buf, 0, n);
	u->pad_left -= n;
	*buf = u->buf;
	return (la_ssize_t)n;
}

static la_ssize_t up__tar_read(struct archive *a, void *data, const void **buf)
{
	struct up *u = data;
	if (u->outer_eof)
		return up__tar_pad(u, buf);
	la_ssize_t n = archive_read_data(u->outer, u->buf, UNPACK_BUF);
	if (n < 0) {
		archive_set_error(a, EIO, "decompressing the layer: %s", archive_error_string(u->outer));
		return -1;
	}
	if (n == 0) {
		u->outer_eof = 1;
		u->pad_left = (512 - u->tar_size % 512) % 512 + 1024;
		return up__tar_pad(u, buf);
	}
	image__hash_update(&u->diff_hash, u->buf, (size_t)n);
	u->tar_size += (uint64_t)n;
	*buf = u->buf;
	return n;
}

/* Cleans an entry name into components joined by '/', without leading "/" or "./", empty
 * or "." components. Returns 0, or -1 for a ".." component. */
static int up__clean(const char *name, struct buf *out)
{
	const char *p = name;
	while (*p) {
		while (*p == '/')
			p++;
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return -1;
		if (n && !(n == 1 && p[0] == '.')) {
			if (out->len)
				buf_addch(out, '/');
			buf_add(out, p, n);
		}
		p += n;
	}
	return 0;
}

static void up__drop_parent(struct up *u)
{
	if (u->parent_fd >= 0)
		close(u->parent_fd);
	u->parent_fd = -1;
	free(u->parent_path);
	u->parent_path = NULL;
}

/* Opens directory path (relative to the root, "" for the root) without following symlinks,
 * creating missing components (0755) when create is set. Returns an fd the caller must NOT
 * close (it is cached), or a negative error. */
static int up__parent(struct up *u, const char *path, int create)
{
	if (u->parent_path && strcmp(u->parent_path, path) == 0)
		return u->parent_fd;
	up__drop_parent(u);
	int fd = dup(u->root);
	if (fd < 0)
		return up__fail(u, -errno, "dup: %s", strerror(errno));
	const char *p = path;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char comp[NAME_MAX + 1];
		if (n > NAME_MAX) {
			close(fd);
			return up__fail(u, -IMAGE_EINVALID, "name too long");
		}
		memcpy(comp, p, n);
		comp[n] = 0;
		int next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
				int e = errno;
				close(fd);
				return up__fail(u, -e, "mkdir %s: %s", comp, strerror(e));
			}
			next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		if (next < 0) {
			int e = errno;
			struct stat st;
			int link = fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
			close(fd);
			if (link)
				return up__fail(u, -IMAGE_EINVALID, "the path goes through the symlink \"%s\": refused", comp);
			if (e == ENOTDIR)
				return up__fail(u, -IMAGE_EINVALID, "\"%s\" is not a directory", comp);
			return up__fail(u, e == ENOENT ? -IMAGE_EINVALID : -e, "%s: %s", comp, strerror(e));
		}
		close(fd);
		fd = next;
		p += n;
		if (*p == '/')
			p++;
	}
	u->parent_path = xstrdup(path);
	u->parent_fd = fd;
	return fd;
}

/* Splits a cleaned path into parent and base (pointers into a copy kept in *tmp). */
static void up__split(const char *path, char **tmp, const char **parent, const char **base)
{
	*tmp = xstrdup(path);
	char *slash = strrchr(*tmp, '/');
	if (slash) {
		*slash = 0;
		*parent = *tmp;
		*base = slash + 1;
	} else {
		*parent = "";
		*base = *tmp;
	}
}

/* Removes what exists at base in dirfd unless keep_dir and it is a directory. Returns 1 when a
 * directory was kept, 0 when the name is free, or a negative error. */
static int up__clear(struct up *u, int dirfd, const char *base, int keep_dir)
{
	struct stat st;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : up__fail(u, -errno, "stat: %s", strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (keep_dir)
			return 1;
		int r = image__rmtree_at(dirfd, base);
		up__drop_parent(u); /* the cached parent may have been inside it */
		return r ? up__fail(u, r, "removing the directory in the way: %s", strerror(-r)) : 0;
	}
	if (unlinkat(dirfd, base, 0) < 0)
		return up__fail(u, -errno, "unlink: %s", strerror(errno));
	return 0;
}

static int up__whiteout(struct up *u, const char *parent, const char *base)
{
	if (strcmp(base, ".wh..wh..opq") == 0) {
		int pfd = up__parent(u, parent, 1);
		if (pfd < 0)
			return pfd;
		char *proc = xasprintf("/proc/self/fd/%d", pfd);
		int r = setxattr(proc, "trusted.overlay.opaque", "y", 1, 0);
		int e = errno;
		free(proc);
		if (r < 0)
			return up__fail(u, -e, "marking the directory opaque: %s", strerror(e));
		return 0;
	}
	if (starts_with(base, ".wh..wh."))
		return 0; /* AUFS metadata (.wh..wh.plnk, ...) */
	const char *name = base + 4;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return up__fail(u, -IMAGE_EINVALID, "invalid whiteout");
	int pfd = up__parent(u, parent, 1);
	if (pfd < 0)
		return pfd;
	int r = up__clear(u, pfd, name, 0);
	if (r < 0)
		return r;
	pfd = up__parent(u, parent, 1);
	if (pfd < 0)
		return pfd;
	if (mknodat(pfd, name, S_IFCHR | 0, makedev(0, 0)) < 0)
		return up__fail(u, -errno, "creating the whiteout %s: %s", name, strerror(errno));
	return 0;
}

/* Applies owner, mode, xattrs and (unless a directory) times to base in pfd. */
static int up__meta(struct up *u, int pfd, const char *base, struct archive_entry *e, int type)
{
	int is_link = type == AE_IFLNK;
	if (fchownat(pfd, base, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e), AT_SYMLINK_NOFOLLOW) < 0 &&
	    (u->is_root || errno != EPERM))
		return up__fail(u, -errno, "chown: %s", strerror(errno));
	if (!is_link && fchmodat(pfd, base, archive_entry_perm(e) & 07777, 0) < 0)
		return up__fail(u, -errno, "chmod: %s", strerror(errno));
	const char *xname;
	const void *xval;
	size_t xlen;
	archive_entry_xattr_reset(e);
	char *proc = NULL;
	while (archive_entry_xattr_next(e, &xname, &xval, &xlen) == ARCHIVE_OK) {
		if (starts_with(xname, "trusted.overlay.") || starts_with(xname, "user.overlay."))
			continue;
		if (!proc)
			proc = xasprintf("/proc/self/fd/%d/%s", pfd, base);
		if (lsetxattr(proc, xname, xval, xlen, 0) < 0) {
			if (errno == ENOTSUP || errno == EPERM) {
				log_debug("images: %s: xattr %s not set: %s", u->entry, xname, strerror(errno));
				continue;
			}
			int err = errno;
			free(proc);
			return up__fail(u, -err, "xattr %s: %s", xname, strerror(err));
		}
	}
	free(proc);
	if (type == AE_IFDIR)
		return 0;
	struct timespec ts[2] = { { archive_entry_mtime(e), archive_entry_mtime_nsec(e) },
				  { archive_entry_mtime(e), archive_entry_mtime_nsec(e) } };
	if (archive_entry_atime_is_set(e)) {
		ts[0].tv_sec = archive_entry_atime(e);
		ts[0].tv_nsec = archive_entry_atime_nsec(e);
	}
	if (utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW) < 0 && errno != ENOTSUP)
		return up__fail(u, -errno, "times: %s", strerror(errno));
	return 0;
}

static int up__file(struct up *u, int pfd, const char *base, struct archive_entry *e)
{
	int fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return up__fail(u, -errno, "create: %s", strerror(errno));
	int ret = 0;
	for (;;) {
		const void *blk;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(u->tar, &blk, &len, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			ret = up__fail(u, -IMAGE_EINVALID, "reading: %s", archive_error_string(u->tar));
			goto out;
		}
		const char *p = blk;
		while (len > 0) {
			ssize_t w = pwrite(fd, p, len, off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				ret = up__fail(u, -errno, "write: %s", strerror(errno));
				goto out;
			}
			p += w;
			len -= (size_t)w;
			off += w;
		}
	}
	if (ftruncate(fd, archive_entry_size(e)) < 0)
		ret = up__fail(u, -errno, "truncate: %s", strerror(errno));
out:
	close(fd);
	return ret;
}

static int up__hardlink(struct up *u, int pfd, const char *base, const char *target)
{
	struct buf clean = BUF_INIT;
	char *tmp = NULL;
	const char *tparent, *tbase;
	int ret;
	if (up__clean(target, &clean) != 0 || !clean.len) {
		ret = up__fail(u, -IMAGE_EINVALID, "hard link to \"%s\": refused", target);
		goto out;
	}
	up__split(buf_str(&clean), &tmp, &tparent, &tbase);
	/* The target's directory: a second fd, as the cache holds the entry's parent. */
	char *parent_path = u->parent_path ? xstrdup(u->parent_path) : xstrdup("");
	int tfd = up__parent(u, tparent, 0);
	if (tfd < 0) {
		free(parent_path);
		ret = tfd;
		goto out;
	}
	tfd = dup(tfd);
	pfd = up__parent(u, parent_path, 1);
	free(parent_path);
	if (pfd < 0 || tfd < 0) {
		ret = pfd < 0 ? pfd : up__fail(u, -errno, "dup: %s", strerror(errno));
		if (tfd >= 0)
			close(tfd);
		goto out;
	}
	struct stat st;
	if (fstatat(tfd, tbase, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode)) {
		close(tfd);
		ret = up__fail(u, -IMAGE_EINVALID, "hard link target \"%s\" is not in the layer", target);
		goto out;
	}
	ret = linkat(tfd, tbase, pfd, base, 0) < 0 ? up__fail(u, -errno, "link: %s", strerror(errno)) : 0;
	close(tfd);
out:
	free(tmp);
	buf_release(&clean);
	return ret;
}

static int up__dir(struct up *u, int pfd, const char *base, const char *path, struct archive_entry *e, int kept)
{
	if (!kept && mkdirat(pfd, base, 0700) < 0)
		return up__fail(u, -errno, "mkdir: %s", strerror(errno));
	int r = up__meta(u, pfd, base, e, AE_IFDIR);
	if (r)
		return r;
	u->dirs = xrealloc(u->dirs, (u->ndirs + 1) * sizeof(*u->dirs));
	struct up__dirtime *d = &u->dirs[u->ndirs++];
	d->path = xstrdup(path);
	d->ts[0].tv_sec = d->ts[1].tv_sec = archive_entry_mtime(e);
	d->ts[0].tv_nsec = d->ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	return 0;
}

static int up__node(struct up *u, int pfd, const char *base, struct archive_entry *e, int type)
{
	if ((type == AE_IFCHR || type == AE_IFBLK) && (u->flags & IMAGE_UNPACK_NO_DEVICES))
		return up__fail(u, -IMAGE_EINVALID, "device nodes are not allowed here");
	mode_t m = (mode_t)type | (archive_entry_perm(e) & 07777);
	dev_t dev = type == AE_IFIFO ? 0 : archive_entry_rdev(e);
	if (mknodat(pfd, base, m, dev) < 0) {
		if (errno == EPERM && !u->is_root) {
			log_debug("images: %s: device node skipped (not root)", u->entry);
			return 1;
		}
		return up__fail(u, -errno, "mknod: %s", strerror(errno));
	}
	return 0;
}

/* Writes one entry whose cleaned path is path (non-empty). */
static int up__entry(struct up *u, struct archive_entry *e, const char *path)
{
	char *tmp;
	const char *parent, *base;
	up__split(path, &tmp, &parent, &base);
	int ret, type = (int)archive_entry_filetype(e);
	const char *hardlink = archive_entry_hardlink(e);
	if (starts_with(base, ".wh.")) {
		ret = up__whiteout(u, parent, base);
		goto out;
	}
	int pfd = up__parent(u, parent, 1);
	if (pfd < 0) {
		ret = pfd;
		goto out;
	}
	ret = up__clear(u, pfd, base, !hardlink && type == AE_IFDIR);
	if (ret < 0)
		goto out;
	int kept = ret;
	pfd = up__parent(u, parent, 1); /* the cache may have been dropped */
	if (pfd < 0) {
		ret = pfd;
		goto out;
	}
	if (hardlink) {
		ret = up__hardlink(u, pfd, base, hardlink);
		goto out;
	}
	switch (type) {
	case AE_IFDIR:
		ret = up__dir(u, pfd, base, path, e, kept);
		goto out;
	case AE_IFREG:
		ret = up__file(u, pfd, base, e);
		break;
	case AE_IFLNK:
		ret = symlinkat(archive_entry_symlink(e) ? archive_entry_symlink(e) : "", pfd, base) < 0
			      ? up__fail(u, -errno, "symlink: %s", strerror(errno))
			      : 0;
		break;
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO:
		ret = up__node(u, pfd, base, e, type);
		if (ret == 1) {
			ret = 0;
			goto out;
		}
		break;
	case AE_IFSOCK:
		ret = 0;
		goto out;
	default:
		ret = up__fail(u, -IMAGE_EINVALID, "unsupported entry type %o", (unsigned)type);
	}
	if (!ret)
		ret = up__meta(u, pfd, base, e, type);
out:
	free(tmp);
	return ret;
}

static int up__root_entry(struct up *u, struct archive_entry *e)
{
	if (archive_entry_filetype(e) != AE_IFDIR)
		return up__fail(u, -IMAGE_EINVALID, "the root is not a directory");
	if (fchown(u->root, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e)) < 0 && u->is_root)
		return up__fail(u, -errno, "chown: %s", strerror(errno));
	if (fchmod(u->root, archive_entry_perm(e) & 07777) < 0)
		return up__fail(u, -errno, "chmod: %s", strerror(errno));
	u->dirs = xrealloc(u->dirs, (u->ndirs + 1) * sizeof(*u->dirs));
	struct up__dirtime *d = &u->dirs[u->ndirs++];
	d->path = xstrdup("");
	d->ts[0].tv_sec = d->ts[1].tv_sec = archive_entry_mtime(e);
	d->ts[0].tv_nsec = d->ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	return 0;
}

/* Sets directory times last (writing their entries changed them); failures are harmless. */
static void up__dir_times(struct up *u)
{
	for (size_t i = u->ndirs; i-- > 0;) {
		struct up__dirtime *d = &u->dirs[i];
		if (!*d->path) {
			futimens(u->root, d->ts);
			continue;
		}
		char *tmp;
		const char *parent, *base;
		up__split(d->path, &tmp, &parent, &base);
		int pfd = up__parent(u, parent, 0);
		if (pfd >= 0)
			utimensat(pfd, base, d->ts, AT_SYMLINK_NOFOLLOW);
		free(tmp);
	}
}

static int up__open(struct up *u)
{
	u->outer = archive_read_new();
	archive_read_support_filter_all(u->outer);
	archive_read_support_format_raw(u->outer);
	if (archive_read_open(u->outer, u, NULL, up__outer_read, NULL) != ARCHIVE_OK)
		return up__fail(u, -IMAGE_EINVALID, "not a layer: %s", archive_error_string(u->outer));
	struct archive_entry *raw;
	if (archive_read_next_header(u->outer, &raw) != ARCHIVE_OK)
		return up__fail(u, -IMAGE_EINVALID, "not a layer: %s", archive_error_string(u->outer));
	u->tar = archive_read_new();
	archive_read_support_format_tar(u->tar);
	archive_read_support_format_gnutar(u->tar);
	if (archive_read_open(u->tar, u, NULL, up__tar_read, NULL) != ARCHIVE_OK)
		return up__fail(u, -IMAGE_EINVALID, "not a tar layer: %s", archive_error_string(u->tar));
	return 0;
}

static int up__entries(struct up *u)
{
	struct buf clean = BUF_INIT;
	int ret = 0;
	for (;;) {
		struct archive_entry *e;
		u->entry = NULL;
		int r = archive_read_next_header(u->tar, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			ret = up__fail(u, -IMAGE_EINVALID, "corrupt layer: %s", archive_error_string(u->tar));
			break;
		}
		const char *name = archive_entry_pathname(e);
		u->entry = name ? name : "";
		buf_reset(&clean);
		if (!name || up__clean(name, &clean) != 0) {
			ret = up__fail(u, -IMAGE_EINVALID, "a \"..\" component: refused");
			break;
		}
		ret = clean.len ? up__entry(u, e, buf_str(&clean)) : up__root_entry(u, e);
		if (ret)
			break;
	}
	u->entry = NULL;
	buf_release(&clean);
	return ret;
}

/* Reads what is left of both streams so that the digests cover all of it. */
static int up__drain(struct up *u)
{
	const void *p;
	while (!u->outer_eof) {
		if (up__tar_read(u->tar, u, &p) < 0)
			return up__fail(u, -IMAGE_EINVALID, "corrupt layer: %s", archive_error_string(u->tar));
	}
	while (!u->src_eof) {
		if (up__outer_read(u->outer, u, &p) < 0)
			return up__fail(u, -EIO, "reading the layer: %s", archive_error_string(u->outer));
	}
	return 0;
}

int image__unpack(image__read_fn *rd, void *ctx, const char *dir, unsigned flags,
		  struct image__unpack_result *res, struct buf *err)
{
	struct up u = { .root = -1, .flags = flags, .is_root = geteuid() == 0, .err = err, .rd = rd,
			.ctx = ctx, .parent_fd = -1 };
	image__hash_init(&u.blob_hash);
	image__hash_init(&u.diff_hash);
	u.buf = xmalloc(UNPACK_BUF);
	int ret;
	u.root = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (u.root < 0) {
		ret = up__fail(&u, -errno, "%s: %s", dir, strerror(errno));
		goto out;
	}
	ret = up__open(&u);
	if (!ret)
		ret = up__entries(&u);
	if (!ret)
		ret = up__drain(&u);
	if (!ret)
		up__dir_times(&u);
	/* The caller renames the directory into the store next: its contents must be on disk
	 * first, or a crash could leave a complete-looking layer with empty files. */
	if (!ret && syncfs(u.root) < 0)
		ret = up__fail(&u, -errno, "syncing %s: %s", dir, strerror(errno));
out:
	image__hash_final(&u.blob_hash, res->blob_digest);
	image__hash_final(&u.diff_hash, res->diff_id);
	res->blob_size = u.blob_size;
	res->tar_size = u.tar_size;
	if (u.tar)
		archive_read_free(u.tar);
	if (u.outer)
		archive_read_free(u.outer);
	up__drop_parent(&u);
	for (size_t i = 0; i < u.ndirs; i++)
		free(u.dirs[i].path);
	free(u.dirs);
	free(u.buf);
	if (u.root >= 0)
		close(u.root);
	return ret;
}

struct up__file_src {
	int fd;
	char *buf;
};

static ssize_t up__file_read(void *ctx, const void **buf)
{
	struct up__file_src *s = ctx;
	for (;;) {
		ssize_t n = read(s->fd, s->buf, UNPACK_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		*buf = s->buf;
		return n < 0 ? -errno : n;
	}
}

int image__unpack_file(const char *path, const char *dir, unsigned flags,
		       struct image__unpack_result *res, struct buf *err)
{
	struct up__file_src s = { open(path, O_RDONLY | O_CLOEXEC), NULL };
	if (s.fd < 0) {
		buf_addf(err, "%s: %s", path, strerror(errno));
		return -errno;
	}
	s.buf = xmalloc(UNPACK_BUF);
	int ret = image__unpack(up__file_read, &s, dir, flags, res, err);
	free(s.buf);
	close(s.fd);
	return ret;
}
