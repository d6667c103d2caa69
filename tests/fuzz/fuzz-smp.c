/*
 * fuzz-smp.c - libFuzzer target for server/smp.
 *
 * Input: one byte choosing the mode, then either JSON text "document NUL patch" (mode 0; without
 * a NUL the rest is the patch, applied to a fixed document) or bytes from which a small grammar
 * builds a document and a patch out of the schema's field names, every directive and a few values
 * (mode 1), which reaches the list and directive logic far more often than mutated JSON text.
 * The schema is a small one of our own, shaped like upstream's test type (merging and atomic lists
 * of maps and scalars, maps, retainKeys, an inline member, a RawExtension), or the served Pod type
 * when the input asks for it (and the served schema has it).
 * Checks: the return value is 0 or one of smp_apply's codes; a failed patch leaves the document
 * exactly as it was and says why; a patched document prints to JSON that parses again and holds
 * no directive key when the document held none.
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"
#include "server/schema.h"
#include "server/smp.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct sch_type t_item, t_host;

static const struct sch_field host_fields[] = {
	{ .name = "path", .kind = SK_STRING },
	{ .name = "type", .kind = SK_STRING },
	{ .name = "paths", .kind = SK_OBJECT, .list = SL_MAP, .merge_key = "path", .type = &t_host },
};
static const struct sch_type t_host = { "fuzz.Host", host_fields, ARRAY_SIZE(host_fields), 0, NULL };

static const struct sch_field item_fields[] = {
	{ .name = "name", .kind = SK_STRING },
	{ .name = "value", .kind = SK_INT64 },
	{ .name = "mergingList", .kind = SK_OBJECT, .list = SL_MAP, .merge_key = "name", .type = &t_item },
	{ .name = "nonMergingList", .kind = SK_OBJECT, .list = SL_ATOMIC, .type = &t_item },
	{ .name = "mergingIntList", .kind = SK_INT64, .list = SL_SET },
	{ .name = "stringSet", .kind = SK_STRING, .list = SL_SET },
	{ .name = "simpleMap", .kind = SK_STRING, .flags = SF_MAP },
	{ .name = "itemMap", .kind = SK_OBJECT, .flags = SF_MAP, .type = &t_item },
	{ .name = "retainKeysMap", .kind = SK_OBJECT, .flags = SF_RETAIN_KEYS, .type = &t_item },
	{ .name = "raw", .kind = SK_RAW },
	{ .name = "source", .kind = SK_OBJECT, .flags = SF_INLINE, .type = &t_host },
};
static const struct sch_type t_item = { "fuzz.Item", item_fields, ARRAY_SIZE(item_fields), 0, NULL };

static const char *const keys[] = {
	"name", "value", "mergingList", "nonMergingList", "mergingIntList", "stringSet", "simpleMap", "itemMap",
	"retainKeysMap", "raw", "path", "type", "paths", "unknown", "$patch", "$retainKeys",
	"$setElementOrder/mergingList", "$setElementOrder/mergingIntList", "$setElementOrder/stringSet",
	"$setElementOrder/paths", "$setElementOrder/nonMergingList", "$deleteFromPrimitiveList/mergingIntList",
	"$deleteFromPrimitiveList/stringSet", "$deleteFromPrimitiveList/mergingList", "$setElementOrder",
	"containers", "env", "image", "metadata", "spec", "finalizers", "labels",
};
static const char *const strings[] = { "a", "b", "c", "name", "value", "delete", "replace", "merge", "/p", "" };

/* The bytes left to build values from. */
struct gen {
	const uint8_t *p, *end;
	int depth;
};

static int next_byte(struct gen *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

static cJSON *gen_value(struct gen *g);

/* An object or array of up to 4 generated members. */
static cJSON *gen_container(struct gen *g, int object)
{
	cJSON *c = object ? cJSON_CreateObject() : cJSON_CreateArray();
	int n = next_byte(g) % 5;
	g->depth++;
	for (int i = 0; i < n && g->p < g->end; i++) {
		const char *k = keys[next_byte(g) % ARRAY_SIZE(keys)];
		cJSON *v = gen_value(g);
		if (object)
			cJSON_AddItemToObject(c, k, v);
		else
			cJSON_AddItemToArray(c, v);
	}
	g->depth--;
	return c;
}

static cJSON *gen_value(struct gen *g)
{
	int b = next_byte(g);
	switch (g->depth > 6 ? b % 4 : b % 8) {
	case 0:
		return cJSON_CreateNull();
	case 1:
		return cJSON_CreateNumber(b >> 4);
	case 2:
		return cJSON_CreateString(strings[(b >> 3) % ARRAY_SIZE(strings)]);
	case 3:
		return b & 0x80 ? cJSON_CreateTrue() : cJSON_CreateNumber(1.5);
	case 4:
	case 5:
	case 6:
		return gen_container(g, 1);
	default:
		return gen_container(g, 0);
	}
}

/* Does v hold a directive key anywhere? */
static int has_directive(const cJSON *v)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, v) {
		if (c->string && (!strcmp(c->string, "$patch") || !strcmp(c->string, "$retainKeys") ||
				  starts_with(c->string, "$setElementOrder") ||
				  starts_with(c->string, "$deleteFromPrimitiveList")))
			return 1;
		if (has_directive(c))
			return 1;
	}
	return 0;
}

static const char default_doc[] =
	"{\"name\":\"x\",\"mergingList\":[{\"name\":\"a\",\"value\":1},{\"name\":\"b\",\"mergingIntList\":[1,2]}],"
	"\"stringSet\":[\"a\",\"b\",\"a\"],\"simpleMap\":{\"k\":\"v\"},\"paths\":[{\"path\":\"/p\"}]}";

/* Applies the patch and checks smp_apply's contract. */
static void check(cJSON *doc, const cJSON *patch, const struct sch_type *type)
{
	struct buf err = BUF_INIT;
	char *before = json_print_str(doc), *after;
	int directives = has_directive(doc);
	int rc = smp_apply(&doc, patch, type, &err);
	after = json_print_str(doc);
	if (rc < 0 && (strcmp(before, after) || !err.len))
		abort();
	if (rc < 0 && rc != -KUBE_EINVAL && rc != -ENOTSUP && rc != -EBADMSG && rc != -EFAULT)
		abort();
	if (rc == 0) {
		cJSON *again = json_parse(after, strlen(after), NULL);
		if (!again || (!directives && has_directive(doc)))
			abort();
		cJSON_Delete(again);
	}
	free(before);
	free(after);
	buf_release(&err);
	cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const struct sch_type *type = &t_item, *pod = sch_kind_type("", "v1", "Pod");
	const char *in = (const char *)data + 1, *nul = memchr(in, '\0', size - 1);
	struct gen g = { data + 1, data + size, 0 };
	cJSON *doc = NULL, *patch = NULL;
	if ((data[0] & 2) && pod)
		type = pod;
	if (data[0] & 1) {
		doc = gen_container(&g, 1);
		patch = gen_container(&g, 1);
	} else {
		doc = nul ? json_parse(in, (size_t)(nul - in), NULL) : NULL;
		if (nul)
			patch = json_parse(nul + 1, size - 1 - (size_t)(nul + 1 - in), NULL);
		else
			patch = json_parse(in, size - 1, NULL);
		if (!doc)
			doc = json_parse(default_doc, sizeof(default_doc) - 1, NULL);
	}
	if (patch)
		check(doc, patch, type);
	else
		cJSON_Delete(doc);
	cJSON_Delete(patch);
	return 0;
}
