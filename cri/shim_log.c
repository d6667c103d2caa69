/*
 * shim_log.c - the container log file in the CRI format, written by the shim.
 *
 * DESIGN
 * Each entry is "<time> <stream> <tag> <text>\n": the time the shim read the data (Go's
 * RFC3339Nano in UTC, the form the kubelet parses), "stdout" or "stderr", F for a full line or
 * P for a part of one, and the text without its newline. A line longer than CRI_LOG_LINE_MAX
 * is cut into P entries; what is left when a stream ends without a newline becomes a P entry,
 * like containerd's CRI logger. Entries are formatted into one buffer per read and written
 * with one write(2) (O_APPEND), so an entry is never split between files.
 *
 * Rotation follows the preamble's contract: when the next entry would take a file past
 * max_size, the file is renamed to <path>.1 (older ones shift to .2 ... up to max_files - 1,
 * the oldest overwritten) and a new file starts. Pending entries are written in runs of whole
 * entries that fit in what is left of the file, so a file exceeds max_size only when a single
 * entry is larger than max_size. The shim is the only writer of its files, so renames
 * need no lock; a reader following the file sees the rename through inotify.
 */
#include "cri/internal.h"
#include "lib/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

size_t cri_log_time(int64_t t, char out[40])
{
	time_t secs = (time_t)(t / 1000000000);
	long ns = (long)(t % 1000000000);
	if (ns < 0) {
		ns += 1000000000;
		secs--;
	}
	struct tm tm;
	gmtime_r(&secs, &tm);
	size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
	if (ns) {
		char frac[11];
		snprintf(frac, sizeof(frac), ".%09ld", ns);
		size_t len = 10;
		while (frac[len - 1] == '0')
			len--;
		memcpy(out + n, frac, len);
		n += len;
	}
	out[n++] = 'Z';
	out[n] = '\0';
	return n;
}

int cri_log_open(struct cri_log *l, const char *path, uint64_t max_size, unsigned max_files)
{
	memset(l, 0, sizeof(*l));
	l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (l->fd < 0)
		return -errno;
	struct stat st;
	l->size = fstat(l->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	l->path = xstrdup(path);
	l->max_size = max_size ? max_size : 10 * 1024 * 1024;
	l->max_files = max_files ? max_files : 5;
	return 0;
}

static void entry(struct cri_log *l, int stream, const char *text, size_t len, int partial,
		  int64_t t)
{
	char ts[40];
	size_t n = cri_log_time(t, ts);
	buf_add(&l->out, ts, n);
	buf_adds(&l->out, stream ? " stderr " : " stdout ");
	buf_adds(&l->out, partial ? "P " : "F ");
	buf_add(&l->out, text, len);
	buf_addch(&l->out, '\n');
}

void cri_log_feed(struct cri_log *l, int stream, const char *data, size_t len, int64_t t)
{
	struct buf *line = &l->line[stream ? 1 : 0];
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl ? (size_t)(nl - data) : len;
		size_t room = CRI_LOG_LINE_MAX - line->len;
		if (take >= room) {
			/* The line reaches the limit: a P entry of exactly the limit. */
			buf_add(line, data, room);
			entry(l, stream, line->data, line->len, 1, t);
			buf_reset(line);
			data += room;
			len -= room;
			continue;
		}
		buf_add(line, data, take);
		if (!nl)
			return;
		entry(l, stream, buf_str(line), line->len, 0, t);
		buf_reset(line);
		data += take + 1;
		len -= take + 1;
	}
}

void cri_log_eof(struct cri_log *l, int stream, int64_t t)
{
	struct buf *line = &l->line[stream ? 1 : 0];
	if (line->len)
		entry(l, stream, line->data, line->len, 1, t);
	buf_reset(line);
}

/* Shifts path.(n-1) -> path.n ... path -> path.1 and opens a new path. */
static int rotate(struct cri_log *l)
{
	char *from = NULL, *to = NULL;
	for (unsigned i = l->max_files - 1; i >= 1; i--) {
		to = xasprintf("%s.%u", l->path, i);
		from = i > 1 ? xasprintf("%s.%u", l->path, i - 1) : xstrdup(l->path);
		if (rename(from, to) < 0 && errno != ENOENT) {
			int e = -errno;
			free(from);
			free(to);
			return e;
		}
		free(from);
		free(to);
	}
	close(l->fd);
	l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	l->size = 0;
	return l->fd < 0 ? -errno : 0;
}

static int write_all(struct cri_log *l, const char *p, size_t left)
{
	while (left > 0) {
		ssize_t n = write(l->fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		left -= (size_t)n;
		l->size += (uint64_t)n;
	}
	return 0;
}

/* The length of the whole entries at the start of p[0..len) that fit in room bytes (at least
 * one entry, so that an entry larger than a file still gets written). */
static size_t fitting(const char *p, size_t len, uint64_t room)
{
	size_t take = 0;
	while (take < len) {
		const char *nl = memchr(p + take, '\n', len - take);
		size_t next = nl ? (size_t)(nl - p) + 1 : len;
		if (take && next > room)
			break;
		take = next;
	}
	return take;
}

int cri_log_flush(struct cri_log *l)
{
	int rc = 0;
	const char *p = l->out.data;
	size_t left = l->out.len;
	while (left > 0 && !rc) {
		/* Rotate when the next entry would not fit (an empty file takes it anyway). */
		if (l->fd >= 0 && l->size && l->size + fitting(p, left, 0) > l->max_size &&
		    l->max_files > 1)
			rc = rotate(l);
		if (l->fd < 0) {
			rc = rc ? rc : -EBADF;
			break;
		}
		size_t take = fitting(p, left, l->size < l->max_size ? l->max_size - l->size : 0);
		rc = rc ? rc : write_all(l, p, take);
		p += take;
		left -= take;
	}
	buf_reset(&l->out);
	return rc;
}

void cri_log_close(struct cri_log *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	free(l->path);
	l->path = NULL;
	buf_release(&l->line[0]);
	buf_release(&l->line[1]);
	buf_release(&l->out);
}
