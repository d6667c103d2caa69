/*
 * util.h - allocation wrappers, fatal errors and small helpers shared by every module.
 *
 * Allocation wrappers abort on out-of-memory, so callers never check for NULL.
 */
#ifndef KUBE_UTIL_H
#define KUBE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdnoreturn.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#define UNUSED(x) ((void)(x))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* Project error codes, returned negated like errno values; they start above errno's range. */
enum kube_err {
	KUBE_ENOTFOUND = 1000, /* key or object does not exist */
	KUBE_EEXISTS,          /* create on an existing key */
	KUBE_ECONFLICT,        /* expected revision does not match */
	KUBE_ECOMPACTED,       /* revision is older than the compacted history */
	KUBE_EINVAL,           /* invalid input; details in the error buffer */
	KUBE_ECLOSED,          /* the object is closing or closed */
	KUBE_EIO,              /* storage failure */
};

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Prints "kube: <message>" to stderr and exits with status 1. Only for use before the loop runs. */
noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Returns nonzero when s starts with prefix / ends with suffix. */
int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);

/* Parses a boolean like Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
 * Returns 0 and sets *out, or -KUBE_EINVAL. */
int parse_bool(const char *s, int *out);

/* Parses a decimal integer that must fill the whole string and lie in [min, max].
 * Returns 0 or -KUBE_EINVAL. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Monotonic clock in nanoseconds / milliseconds. */
uint64_t now_ns(void);
/* Wall clock, seconds since the epoch. */
int64_t wall_seconds(void);

/* Formats t (seconds since the epoch, UTC) as RFC 3339 "2006-01-02T15:04:05Z" into out[21]. */
void format_rfc3339(int64_t t, char out[21]);
/* Parses an RFC 3339 timestamp (with Z or an offset, optional fraction). Returns 0 or -KUBE_EINVAL. */
int parse_rfc3339(const char *s, int64_t *out);

/* Fills out with n random bytes from the kernel; aborts if the kernel cannot supply them. */
void random_bytes(void *out, size_t n);
/* Writes a random RFC 4122 version 4 UUID (36 characters and a NUL) into out. */
void uuid_v4(char out[37]);

/* Writes data to path atomically (temp file, fsync, rename, fsync of the directory) with mode.
 * Returns 0 or a negative errno. Blocking: for start-up use only. */
int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* Reads a whole file into a newly allocated NUL-terminated buffer. Returns 0 or negative errno. */
int read_file(const char *path, char **out, size_t *len);
/* Creates dir and its parents with mode (like mkdir -p). Returns 0 or negative errno. */
int mkdir_p(const char *dir, unsigned mode);

#endif
