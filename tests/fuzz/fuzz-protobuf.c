/*
 * fuzz-protobuf.c - libFuzzer target for server/protobuf.
 *
 * The first byte picks the entry point: a whole body (magic, runtime.Unknown, object) with the
 * test kinds of tests/unit/protobuf-types.h (any apiVersion: the kind name picks the type, so
 * mutations of the TypeMeta still reach the decoder), a bare message of the synthetic Kinds or
 * Node types (every value kind; unbounded self-nesting), or a whole body with the served schema
 * (pb_lookup_schema). The rest is the input. Beyond "no
 * crash, no leak, no UB" it checks what must hold for any input: a failure says why and leaves
 * no object; a result is a JSON object whose printed form parses back to an equal tree, and
 * decoding is deterministic.
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "server/protobuf.h"
#include "tests/unit/protobuf-types.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Finds the test type by kind alone. */
static const struct sch_type *any_version(void *arg, const char *api_version, const char *kind)
{
	(void)api_version;
	for (size_t i = 0; i < ARRAY_SIZE(test_kinds); i++)
		if (!strcmp(test_kinds[i].kind, kind))
			return test_lookup(arg, test_kinds[i].api_version, kind);
	return NULL;
}

static int decode(int mode, const uint8_t *data, size_t size, cJSON **out, struct buf *err)
{
	switch (mode) {
	case 0:
		return pb_decode_object(data, size, any_version, NULL, out, err);
	case 1:
		return pb_decode_message(data, size, &Kinds, out, err);
	case 2:
		return pb_decode_message(data, size, &Node, out, err);
	default:
		return pb_decode_object(data, size, pb_lookup_schema, NULL, out, err);
	}
}

/* Checks the result: an object that prints to JSON which parses back to the same tree. */
static void check_result(const cJSON *obj, const char *again)
{
	if (!cJSON_IsObject(obj))
		abort();
	char *s = json_print_str(obj);
	cJSON *back = json_parse(s, strlen(s), NULL);
	if (!back || !cJSON_Compare(obj, back, 1))
		abort();
	if (strcmp(s, again) != 0)
		abort();
	cJSON_Delete(back);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int mode = data[0] % 4;
	cJSON *out = NULL, *out2 = NULL;
	struct buf err = BUF_INIT, err2 = BUF_INIT;
	int rc = decode(mode, data + 1, size - 1, &out, &err);
	int rc2 = decode(mode, data + 1, size - 1, &out2, &err2);
	if (rc != rc2 || strcmp(buf_str(&err), buf_str(&err2)) != 0)
		abort();
	if (rc < 0) {
		if (out || out2 || !err.len)
			abort();
	} else {
		char *again = json_print_str(out2);
		check_result(out, again);
		free(again);
	}
	cJSON_Delete(out);
	cJSON_Delete(out2);
	buf_release(&err);
	buf_release(&err2);
	return 0;
}
