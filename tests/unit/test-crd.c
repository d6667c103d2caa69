/* Unit tests for server/crd.c and crd_serve.c: v1beta1 <-> v1 conversion of CRDs, the JSONPath
 * of printer columns, and CRD validation messages. */
#include "test.h"
#include "field-errors.h"
#include "json.h"
#include "server/crd.h"

#include <string.h>

static cJSON *parse(const char *s)
{
	return json_parse(s, strlen(s), NULL);
}

TEST_IMPL(crd_v1beta1_round_trip)
{
	cJSON *o = parse("{\"spec\":{\"group\":\"a.b\",\"version\":\"v1\",\"validation\":{\"openAPIV3Schema\":{\"type\":\"object\"}},"
			 "\"additionalPrinterColumns\":[{\"name\":\"X\",\"type\":\"string\",\"JSONPath\":\".x\"}],"
			 "\"names\":{\"plural\":\"foos\",\"kind\":\"Foo\"}}}");
	defaults_crd_v1beta1(o);
	crd_to_v1(o);
	const cJSON *v = cJSON_GetArrayItem(json_getv(o, "spec", "versions", NULL), 0);
	ASSERT_STR(json_str(v, "name"), "v1");
	ASSERT_STR(json_strv(v, "schema", "openAPIV3Schema", "type", NULL), "object");
	ASSERT_STR(json_str(cJSON_GetArrayItem(json_getv(v, "additionalPrinterColumns", NULL), 0), "jsonPath"), ".x");
	ASSERT(!json_getv(o, "spec", "version", NULL) && !json_getv(o, "spec", "validation", NULL));
	ASSERT(cJSON_IsTrue(json_getv(o, "spec", "preserveUnknownFields", NULL)));
	ASSERT_STR(json_strv(o, "spec", "names", "listKind", NULL), "FooList");
	crd_to_v1beta1(o);
	ASSERT_STR(json_strv(o, "spec", "version", NULL), "v1");
	ASSERT_STR(json_strv(o, "spec", "validation", "openAPIV3Schema", "type", NULL), "object");
	ASSERT_STR(json_str(cJSON_GetArrayItem(json_getv(o, "spec", "additionalPrinterColumns", NULL), 0), "JSONPath"), ".x");
	cJSON_Delete(o);
	return 0;
}

TEST_IMPL(crd_jsonpath)
{
	cJSON *o = parse("{\"spec\":{\"a\":[{\"b\":1},{\"b\":2}],\"s\":\"x\"}}");
	ASSERT(crd_jsonpath(o, ".spec.a[1].b")->valuedouble == 2);
	ASSERT_STR(crd_jsonpath(o, "{.spec.s}")->valuestring, "x");
	ASSERT(!crd_jsonpath(o, ".spec.missing.x"));
	ASSERT(!crd_jsonpath(o, ".spec.a[5]"));
	ASSERT(!crd_jsonpath(o, "spec"));
	cJSON_Delete(o);
	return 0;
}

TEST_IMPL(crd_validate)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	cJSON *o = parse("{\"metadata\":{\"name\":\"foos.ab\"},\"spec\":{\"group\":\"ab\",\"scope\":\"Everywhere\","
			 "\"names\":{\"plural\":\"foos\",\"kind\":\"Foo\"},\"versions\":[{\"name\":\"v1\",\"served\":true,"
			 "\"storage\":true,\"schema\":{\"openAPIV3Schema\":{}}}]}}");
	validate_crd(o, NULL, &e);
	ASSERT_STR(error_on(&e, "spec.group"), "should be a domain with at least one dot");
	ASSERT(strstr(error_on(&e, "spec.scope"), "supported values"));
	ASSERT_STR(error_on(&e, "spec.versions[0].schema.openAPIV3Schema.type"), "must not be empty at the root");
	ASSERT(!error_on(&e, "metadata.name"));
	field_errors_release(&e);
	cJSON_Delete(o);
	return 0;
}
