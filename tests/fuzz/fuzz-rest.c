/*
 * fuzz-rest.c - libFuzzer target for lib/rest's JSON stream splitter (watch bodies come from
 * the network).
 *
 * The first byte is a chunk size; the rest is fed in chunks of that size, then again in one
 * piece. Beyond "no crash, no leak, no UB" it checks that chunking never changes the result:
 * the same values come out (each starting with '{' and ending with '}'), and the same error.
 */
#include "lib/buf.h"
#include "lib/rest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int collect(const char *obj, size_t len, void *arg)
{
	struct buf *out = arg;
	if (!len || obj[0] != '{' || obj[len - 1] != '}')
		abort();
	buf_add(out, obj, len);
	buf_addch(out, '\n');
	return 0;
}

static int run(const char *data, size_t len, size_t chunk, struct buf *out)
{
	struct rest_jsonstream s;
	int r = 0;
	rest_jsonstream_init(&s, 4096);
	for (size_t off = 0; off < len && !r; off += chunk)
		r = rest_jsonstream_feed(&s, data + off, len - off < chunk ? len - off : chunk, collect, out);
	rest_jsonstream_release(&s);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t chunk = data[0] ? data[0] : 1;
	struct buf a = BUF_INIT, b = BUF_INIT;
	int ra = run((const char *)data + 1, size - 1, chunk, &a);
	int rb = run((const char *)data + 1, size - 1, size, &b);
	if (ra != rb || strcmp(buf_str(&a), buf_str(&b)))
		abort();
	buf_release(&a);
	buf_release(&b);
	return 0;
}
