/*
 * image_util.c - small helpers of the image store: sha256 digests in their "sha256:<hex>"
 * spelling, NULL-terminated string vectors, removing a directory tree without following
 * symlinks, and the machine's architecture in Go's names.
 */
#include "cri/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/util.h"

void image__hash_init(struct image__hash *h)
{
	mbedtls_sha256_init(&h->ctx);
	mbedtls_sha256_starts_ret(&h->ctx, 0);
}

void image__hash_update(struct image__hash *h, const void *data, size_t len)
{
	if (len)
		mbedtls_sha256_update_ret(&h->ctx, data, len);
}

void image__hash_final(struct image__hash *h, char out[IMAGE_DIGEST_MAX])
{
	unsigned char sum[32];
	mbedtls_sha256_finish_ret(&h->ctx, sum);
	mbedtls_sha256_free(&h->ctx);
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", sum[i]);
}

void image__sha256(const void *data, size_t len, char out[IMAGE_DIGEST_MAX])
{
	struct image__hash h;
	image__hash_init(&h);
	image__hash_update(&h, data, len);
	image__hash_final(&h, out);
}

size_t image__strv_len(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

char **image__strv_dup(char *const *v)
{
	if (!v)
		return NULL;
	size_t n = image__strv_len(v);
	char **out = xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

void image__strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int image__strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Appends a copy of s to *v (NULL-terminated, grown). */
void image__strv_add(char ***v, const char *s)
{
	size_t n = image__strv_len(*v);
	*v = xrealloc(*v, (n + 2) * sizeof(**v));
	(*v)[n] = xstrdup(s);
	(*v)[n + 1] = NULL;
}

/* Removes s from v (keeps the order); returns 1 if it was there. */
int image__strv_del(char **v, const char *s)
{
	size_t n = image__strv_len(v);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i], s) != 0)
			continue;
		free(v[i]);
		memmove(&v[i], &v[i + 1], (n - i) * sizeof(*v));
		return 1;
	}
	return 0;
}

static int rmtree__at(int dfd, const char *name, int depth)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if (depth > 4096)
		return -ELOOP;
	/* Directories such as overlay's work/work may have mode 0: make them usable. */
	if ((st.st_mode & 0700) != 0700)
		fchmodat(dfd, name, (st.st_mode & 07777) | 0700, 0);
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	int ret = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		int r = rmtree__at(dirfd(d), e->d_name, depth + 1);
		if (r && !ret)
			ret = r;
	}
	closedir(d);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && !ret)
		ret = -errno;
	return ret;
}

int image__rmtree(const char *path)
{
	return rmtree__at(AT_FDCWD, path, 0);
}

int image__rmtree_at(int dirfd, const char *name)
{
	return rmtree__at(dirfd, name, 0);
}

const char *image_host_arch(void)
{
	static const struct {
		const char *machine, *goarch;
	} map[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "arm64", "arm64" }, { "armv8l", "arm" },
		{ "armv7l", "arm" },   { "armv6l", "arm" },    { "armv5tel", "arm" }, { "i686", "386" },
		{ "i586", "386" },     { "i386", "386" },      { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
		{ "riscv64", "riscv64" }, { "mips64", "mips64le" },
	};
	struct utsname u;
	if (uname(&u) == 0)
		for (size_t i = 0; i < ARRAY_SIZE(map); i++)
			if (strcmp(u.machine, map[i].machine) == 0)
				return map[i].goarch;
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#else
	return "unknown";
#endif
}

const char *image_host_variant(void)
{
	struct utsname u;
	if (strcmp(image_host_arch(), "arm") != 0 || uname(&u) != 0)
		return "";
	if (starts_with(u.machine, "armv6"))
		return "v6";
	if (starts_with(u.machine, "armv5"))
		return "v5";
	return "v7";
}
