/*
 * fuzz-patch.c - libFuzzer target for server/patch.
 *
 * Input: one byte choosing the mode, then for JSON text modes "document NUL patch" (without a
 * NUL the whole rest is the patch, applied to a fixed object). In the generated mode every four
 * bytes make one JSON Patch operation on pointers that exist in the document (plus "-", missing
 * and root paths), which reaches far more of the operation logic than mutated JSON text does.
 * Checks: a failed patch leaves the document exactly as it was and says why; a patched document
 * prints to JSON that lib/json.c parses again (so the depth cap holds). The patched metadata is
 * then validated against the original, which fuzzes server/validate with arbitrary JSON too.
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "server/patch.h"
#include "server/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char default_doc[] =
	"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"labels\":{\"a\":\"b\"},"
	"\"finalizers\":[\"f\"]},\"data\":{\"k\":\"v\",\"l\":[1,2,{\"m\":null}]}}";

#define MAX_POINTERS 64

/* Collects the JSON Pointers of doc's nodes (at most MAX_POINTERS). */
static void pointers(const cJSON *v, struct buf *prefix, char **out, size_t *n)
{
	const cJSON *c;
	int i = 0;
	if (*n < MAX_POINTERS && prefix->len)
		out[(*n)++] = strdup(buf_str(prefix));
	cJSON_ArrayForEach(c, v) {
		size_t len = prefix->len;
		buf_addch(prefix, '/');
		if (c->string) {
			for (const char *k = c->string; *k; k++)
				buf_adds(prefix, *k == '~' ? "~0" : *k == '/' ? "~1" : (char[]){ *k, 0 });
		} else {
			buf_addf(prefix, "%d", i);
		}
		pointers(c, prefix, out, n);
		buf_truncate(prefix, len);
		i++;
	}
}

/* Picks a path: an existing pointer, one with "/-" appended, a missing member or the root. */
static const char *pick(char **ptrs, size_t n, uint8_t b, struct buf *tmp)
{
	buf_reset(tmp);
	if (n && b % 4 < 2)
		buf_adds(tmp, ptrs[b / 4 % n]);
	else if (n && b % 4 == 2)
		buf_addf(tmp, "%s/-", ptrs[b / 4 % n]);
	else
		buf_adds(tmp, b & 0x80 ? "" : "/new");
	return buf_str(tmp);
}

/* Builds a JSON Patch from data, four bytes per operation. */
static cJSON *generate(const cJSON *doc, const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "add", "remove", "replace", "move", "copy", "test", "bogus" };
	static const char *const values[] = { "null", "1", "\"s\"", "{}", "[]", "{\"a\":[1,{\"b\":null}]}", "[[0]]" };
	char *ptrs[MAX_POINTERS];
	size_t n = 0;
	struct buf prefix = BUF_INIT, tmp = BUF_INIT;
	cJSON *patch = cJSON_CreateArray();
	pointers(doc, &prefix, ptrs, &n);
	for (size_t i = 0; i + 4 <= size; i += 4) {
		cJSON *op = cJSON_CreateObject();
		const char *v = values[data[i + 3] % 7];
		cJSON_AddStringToObject(op, "op", kinds[data[i] % 7]);
		cJSON_AddStringToObject(op, "path", pick(ptrs, n, data[i + 1], &tmp));
		cJSON_AddStringToObject(op, "from", pick(ptrs, n, data[i + 2], &tmp));
		if (data[i] & 0x80)
			cJSON_AddItemToObject(op, "value", cJSON_Parse(v));
		cJSON_AddItemToArray(patch, op);
	}
	for (size_t i = 0; i < n; i++)
		free(ptrs[i]);
	buf_release(&prefix);
	buf_release(&tmp);
	return patch;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *in = (const char *)data + 1, *nul = memchr(in, '\0', size - 1);
	size_t n = size - 1;
	int mode = data[0] % 3; /* 0: JSON Patch text, 1: merge patch text, 2: generated JSON Patch */
	cJSON *doc = nul && mode != 2 ? json_parse(in, (size_t)(nul - in), NULL) : NULL, *patch;
	struct buf err = BUF_INIT;
	if (!doc)
		doc = json_parse(default_doc, sizeof(default_doc) - 1, NULL);
	if (mode == 2)
		patch = generate(doc, data + 1, n);
	else
		patch = nul ? json_parse(nul + 1, n - (size_t)(nul + 1 - in), NULL) : json_parse(in, n, NULL);
	if (!patch)
		goto out;
	char *before = json_print_str(doc);
	int rc = mode == 1 ? merge_patch_apply(&doc, patch) : json_patch_apply(&doc, patch, &err);
	char *after = json_print_str(doc);
	if (rc < 0 && (strcmp(before, after) || (mode != 1 && !err.len)))
		abort();
	if (rc == 0) {
		cJSON *again = json_parse(after, strlen(after), NULL), *old = json_parse(before, strlen(before), NULL);
		struct field_errors errs = FIELD_ERRORS_INIT;
		if (!again || !old)
			abort();
		validate_object_meta(cJSON_GetObjectItem(again, "metadata"), cJSON_GetObjectItem(old, "metadata"),
				     data[0] & 8, (enum name_rule)(data[0] >> 4 & 3), &errs);
		field_errors_summary(&errs, &err);
		field_errors_release(&errs);
		cJSON_Delete(again);
		cJSON_Delete(old);
	}
	free(before);
	free(after);
out:
	cJSON_Delete(doc);
	cJSON_Delete(patch);
	buf_release(&err);
	return 0;
}
