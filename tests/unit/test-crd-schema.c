/* Unit tests for server/crd_schema.c: structural pruning with the unknown-field messages,
 * defaulting, and OpenAPI schema validation with upstream's field errors. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "server/crd.h"

#include <string.h>

static cJSON *parse(const char *s)
{
	cJSON *o = json_parse(s, strlen(s), NULL);
	if (!o)
		fprintf(stderr, "bad JSON in test: %s\n", s);
	return o;
}

static const char *schema_json =
	"{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\",\"required\":[\"size\"],\"properties\":{"
	"\"size\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
	"\"mode\":{\"type\":\"string\",\"enum\":[\"fast\",\"slow\"],\"default\":\"fast\"},"
	"\"name\":{\"type\":\"string\",\"maxLength\":5,\"minLength\":2,\"pattern\":\"^a\\\\d*$\"},"
	"\"ratio\":{\"type\":\"number\",\"multipleOf\":0.5,\"maximum\":2,\"exclusiveMaximum\":true},"
	"\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
	"\"data\":{\"type\":\"string\",\"format\":\"byte\"},"
	"\"tags\":{\"type\":\"array\",\"maxItems\":2,\"minItems\":1,\"items\":{\"type\":\"string\"},\"x-kubernetes-list-type\":\"set\"},"
	"\"ports\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
	"\"items\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"port\":{\"type\":\"integer\",\"default\":80}}}},"
	"\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},\"maxProperties\":2},"
	"\"port\":{\"x-kubernetes-int-or-string\":true},"
	"\"opt\":{\"type\":\"string\",\"nullable\":true},"
	"\"nested\":{\"type\":\"object\",\"default\":{},\"properties\":{\"level\":{\"type\":\"integer\",\"default\":3}}},"
	"\"free\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true},"
	"\"emb\":{\"type\":\"object\",\"x-kubernetes-embedded-resource\":true,\"properties\":{\"x\":{\"type\":\"string\"}}},"
	"\"choice\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"string\"}},"
	"\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}}}}}";

/* The summary of what crd_validate reports for obj (a JSON text). */
static char *validate(const char *obj_json)
{
	cJSON *s = parse(schema_json), *o = parse(obj_json);
	struct field_errors errs = FIELD_ERRORS_INIT;
	struct buf out = BUF_INIT;
	crd_validate(s, o, &errs);
	field_errors_summary(&errs, &out);
	field_errors_release(&errs);
	cJSON_Delete(s);
	cJSON_Delete(o);
	return buf_detach(&out, NULL);
}

#define ASSERT_VALID(obj, want)               \
	do {                                  \
		char *got_ = validate(obj);   \
		int ok_ = !strcmp(got_, want); \
		if (!ok_)                     \
			fprintf(stderr, "got: %s\n", got_); \
		free(got_);                   \
		ASSERT(ok_);                  \
	} while (0)

TEST_IMPL(crd_schema_prune)
{
	cJSON *s = parse(schema_json);
	cJSON *o = parse("{\"apiVersion\":\"a/v1\",\"kind\":\"K\",\"metadata\":{\"name\":\"n\"},\"extra\":1,"
			 "\"spec\":{\"size\":1,\"bogus\":2,\"free\":{\"x\":{\"y\":1}},\"labels\":{\"k\":\"v\"},"
			 "\"ports\":[{\"name\":\"a\",\"zz\":1}],\"emb\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{},\"x\":\"1\",\"y\":2}}}");
	struct fieldcheck fc = { 0 };
	crd_prune(s, o, &fc);
	ASSERT_EQ(fc.n, 4);
	ASSERT_STR(fc.v[0], "unknown field \"extra\"");
	ASSERT_STR(fc.v[1], "unknown field \"spec.bogus\"");
	ASSERT_STR(fc.v[2], "unknown field \"spec.ports[0].zz\"");
	ASSERT_STR(fc.v[3], "unknown field \"spec.emb.y\"");
	ASSERT(json_getv(o, "metadata", "name", NULL) && json_getv(o, "apiVersion", NULL));
	ASSERT(json_getv(o, "spec", "free", "x", "y", NULL) && json_getv(o, "spec", "labels", "k", NULL));
	ASSERT(json_getv(o, "spec", "emb", "kind", NULL) && json_getv(o, "spec", "emb", "x", NULL));
	ASSERT(!json_getv(o, "spec", "bogus", NULL) && !json_getv(o, "extra", NULL));
	fieldcheck_release(&fc);
	cJSON_Delete(o);
	cJSON_Delete(s);
	return 0;
}

TEST_IMPL(crd_schema_default)
{
	cJSON *s = parse(schema_json);
	cJSON *o = parse("{\"spec\":{\"size\":1,\"mode\":null,\"opt\":null,\"ports\":[{\"name\":\"a\"},{\"name\":\"b\",\"port\":1}]}}");
	crd_default(s, o);
	ASSERT_STR(json_strv(o, "spec", "mode", NULL), "fast");
	ASSERT(cJSON_IsNull(json_getv(o, "spec", "opt", NULL)));
	ASSERT(json_getv(o, "spec", "nested", "level", NULL)->valuedouble == 3);
	ASSERT(cJSON_GetArrayItem(json_getv(o, "spec", "ports", NULL), 0)->child->next->valuedouble == 80);
	ASSERT(json_getv(cJSON_GetArrayItem(json_getv(o, "spec", "ports", NULL), 1), "port", NULL)->valuedouble == 1);
	cJSON_Delete(o);
	cJSON_Delete(s);
	return 0;
}

TEST_IMPL(crd_schema_validate_scalars)
{
	ASSERT_VALID("{\"spec\":{\"size\":3,\"name\":\"a12\",\"ratio\":1.5,\"when\":\"2024-01-02T03:04:05Z\",\"data\":\"aGk=\","
		     "\"port\":\"http\",\"opt\":null,\"tags\":[\"x\"]}}",
		     "");
	ASSERT_VALID("{\"spec\":{\"size\":\"big\"}}",
		     "spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"");
	ASSERT_VALID("{\"spec\":{}}", "spec.size: Required value");
	ASSERT_VALID("{\"spec\":{\"size\":0}}",
		     "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1");
	ASSERT_VALID("{\"spec\":{\"size\":2.0,\"ratio\":2}}",
		     "spec.ratio: Invalid value: 2: spec.ratio in body should be less than 2");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"ratio\":0.7}}",
		     "spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"mode\":\"x\"}}",
		     "spec.mode: Unsupported value: \"x\": supported values: \"fast\", \"slow\"");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"name\":\"a12345\"}}", "spec.name: Too long: may not be more than 5 bytes");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"name\":\"b\"}}",
		     "[spec.name: Invalid value: \"b\": spec.name in body should be at least 2 chars long, "
		     "spec.name: Invalid value: \"b\": spec.name in body should match '^a\\d*$']");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"when\":\"now\"}}",
		     "spec.when: Invalid value: \"now\": spec.when in body must be of type date-time: \"now\"");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"data\":\"a\"}}",
		     "spec.data: Invalid value: \"a\": spec.data in body must be of type byte: \"a\"");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"port\":1.5}}",
		     "spec.port: Invalid value: \"number\": spec.port in body must be of type integer,string: \"number\"");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"mode\":null}}",
		     "spec.mode: Invalid value: \"null\": spec.mode in body must be of type string: \"null\"");
	return 0;
}

TEST_IMPL(crd_schema_validate_composites)
{
	ASSERT_VALID("{\"spec\":{\"size\":2,\"tags\":[\"a\",\"b\",\"a\"]}}",
		     "[spec.tags: Too many: 3: must have at most 2 items, spec.tags[2]: Duplicate value: \"a\"]");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"tags\":[]}}",
		     "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"ports\":[{\"name\":\"a\"},{\"name\":\"a\",\"port\":2}]}}",
		     "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"a\"}");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"labels\":{\"a\":\"1\",\"b\":\"2\",\"c\":3}}}",
		     "[spec.labels: Too many: 3: must have at most 2 items, "
		     "spec.labels.c: Invalid value: \"integer\": spec.labels.c in body must be of type string: \"integer\"]");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"choice\":{}}}",
		     "[<nil>: Invalid value: \"\": \"spec.choice\" must validate one and only one schema (oneOf). Found none valid, "
		     "spec.choice.a: Required value]");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"choice\":{\"a\":\"x\",\"b\":\"y\"}}}",
		     "<nil>: Invalid value: \"\": \"spec.choice\" must validate one and only one schema (oneOf). Found 2 valid alternatives");
	ASSERT_VALID("{\"spec\":{\"size\":2,\"choice\":{\"b\":\"y\"}}}", "");
	return 0;
}

TEST_IMPL(crd_schema_prune_edges)
{
	cJSON *s = parse("{\"type\":\"object\",\"properties\":{\"m\":{\"type\":\"object\",\"additionalProperties\":true},"
			 "\"l\":{\"type\":\"array\"},\"p\":{\"type\":\"array\",\"x-kubernetes-preserve-unknown-fields\":true}}}");
	cJSON *o = parse("{\"m\":{\"k\":1,\"o\":{\"x\":1}},\"l\":[{\"a\":1}],\"p\":[{\"b\":1}]}");
	struct fieldcheck fc = { 0 };
	crd_prune(s, o, &fc);
	ASSERT_EQ(fc.n, 2);
	ASSERT_STR(fc.v[0], "unknown field \"m.o.x\"");
	ASSERT_STR(fc.v[1], "unknown field \"l[0].a\"");
	ASSERT(json_getv(o, "m", "k", NULL) && json_getv(o, "m", "o", NULL));
	ASSERT(json_getv(cJSON_GetArrayItem(json_getv(o, "p", NULL), 0), "b", NULL));
	fieldcheck_release(&fc);
	crd_prune(s, o, NULL);
	cJSON_Delete(o);
	cJSON_Delete(s);
	return 0;
}
