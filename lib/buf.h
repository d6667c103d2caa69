/*
 * buf.h - growable byte buffers (always NUL-terminated) and refcounted immutable buffers.
 *
 * struct buf is embedded by its owner: BUF_INIT or buf_init(), then buf_release().
 * struct rbuf is a heap block shared by many readers (a stored object read by the cache, a
 * response and every watcher); the last rbuf_unref() frees it.
 */
#ifndef KUBE_BUF_H
#define KUBE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated when cap > 0; use buf_str() for a never-NULL view */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
/* Frees the memory and leaves b empty and reusable. */
void buf_release(struct buf *b);
/* Ensures room for n more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, with quotes and escapes. */
void buf_add_json_string(struct buf *b, const char *s);
/* Empties b, keeping its memory. */
void buf_reset(struct buf *b);
/* Shortens b to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
/* Returns the contents, never NULL. */
const char *buf_str(const struct buf *b);
/* Hands the memory to the caller (who frees it) and leaves b empty. Never returns NULL. */
char *buf_detach(struct buf *b, size_t *len);

struct rbuf {
	int refs;
	size_t len;
	char data[]; /* len bytes followed by a NUL */
};

/* Returns a new rbuf holding a copy of data, with one reference. */
struct rbuf *rbuf_new(const void *data, size_t len);
/* Moves the contents of b into a new rbuf with one reference; b is left empty. */
struct rbuf *rbuf_from_buf(struct buf *b);
struct rbuf *rbuf_ref(struct rbuf *r);
/* Drops a reference (r may be NULL); frees on the last one. Not thread-safe: one thread owns r. */
void rbuf_unref(struct rbuf *r);

#endif
