/* Unit tests for server/scale.c (the Scale of built-in kinds, the accessors' errors, writing
 * replicas back) and the validation of a CRD's subresources.scale (crd.c). Custom resources'
 * Scales are tested end to end (tests/e2e/test_crd_scale.py): their kinds come from the store. */
#include "test.h"
#include "field-errors.h"
#include "json.h"
#include "server/crd.h"
#include "server/scale.h"

#include <errno.h>
#include <string.h>

static cJSON *parse(const char *s)
{
	return json_parse(s, strlen(s), NULL);
}

TEST_IMPL(scale_builtin_view)
{
	registry_init();
	const struct kind *d = kind_by_resource("apps", "v1", "deployments"), *rc = kind_by_resource("", "v1", "replicationcontrollers");
	struct buf err = BUF_INIT;
	cJSON *sc = NULL;
	cJSON *o = parse("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"uid\":\"u1\",\"resourceVersion\":\"7\","
			 "\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"replicas\":2,"
			 "\"selector\":{\"matchLabels\":{\"app\":\"web\"}}},\"status\":{\"replicas\":1}}");
	ASSERT_EQ(scale_of(d, o, 0, &sc, &err), 0);
	ASSERT_STR(json_str(sc, "kind"), "Scale");
	ASSERT_STR(json_str(sc, "apiVersion"), "autoscaling/v1");
	ASSERT_STR(json_strv(sc, "metadata", "uid", NULL), "u1");
	ASSERT_STR(json_strv(sc, "metadata", "resourceVersion", NULL), "7");
	ASSERT_STR(json_strv(sc, "metadata", "creationTimestamp", NULL), "2026-01-01T00:00:00Z");
	ASSERT(!json_getv(sc, "metadata", "labels", NULL));
	ASSERT_EQ(json_getv(sc, "spec", "replicas", NULL)->valuedouble, 2);
	ASSERT_EQ(json_getv(sc, "status", "replicas", NULL)->valuedouble, 1);
	ASSERT_STR(json_strv(sc, "status", "selector", NULL), "app=web");
	cJSON_Delete(sc);
	cJSON_Delete(o);
	o = parse("{\"metadata\":{\"name\":\"r\"},\"spec\":{\"replicas\":0,\"selector\":{\"app\":\"web\"}}}");
	ASSERT_EQ(scale_of(rc, o, 0, &sc, &err), 0);
	ASSERT_STR(json_strv(sc, "status", "selector", NULL), "app=web");
	ASSERT_EQ(json_getv(sc, "status", "replicas", NULL)->valuedouble, 0);
	cJSON_Delete(sc);
	cJSON_Delete(o);
	buf_release(&err);
	return 0;
}

TEST_IMPL(scale_accessor_errors)
{
	registry_init();
	const struct kind *d = kind_by_resource("apps", "v1", "deployments");
	struct buf err = BUF_INIT;
	cJSON *sc = NULL, *o = parse("{\"spec\":5}");
	ASSERT_EQ(scale_of(d, o, 0, &sc, &err), -EINVAL);
	ASSERT(!sc);
	ASSERT_STR(buf_str(&err), ".spec.replicas accessor error: 5 is of the type int64, expected map[string]interface{}");
	cJSON_Delete(o);
	buf_reset(&err);
	o = parse("{\"spec\":{\"replicas\":1.5}}");
	ASSERT_EQ(scale_of(d, o, 0, &sc, &err), -EINVAL);
	ASSERT_STR(buf_str(&err), ".spec.replicas accessor error: 1.5 is of the type float64, expected int64");
	cJSON_Delete(o);
	buf_reset(&err);
	o = parse("{\"spec\":{\"replicas\":\"3\"}}");
	ASSERT_EQ(scale_of(d, o, 0, &sc, &err), -EINVAL);
	ASSERT_STR(buf_str(&err), ".spec.replicas accessor error: 3 is of the type string, expected int64");
	cJSON_Delete(o);
	buf_release(&err);
	return 0;
}

TEST_IMPL(scale_set_replicas_creates_path)
{
	registry_init();
	const struct kind *d = kind_by_resource("apps", "v1", "deployments");
	struct buf err = BUF_INIT;
	cJSON *o = parse("{\"metadata\":{\"name\":\"x\"}}");
	ASSERT_EQ(scale_set_replicas(d, o, 4, &err), 0);
	ASSERT_EQ(json_getv(o, "spec", "replicas", NULL)->valuedouble, 4);
	cJSON_Delete(o);
	o = parse("{\"spec\":\"x\"}");
	ASSERT_EQ(scale_set_replicas(d, o, 4, &err), -EINVAL);
	ASSERT_STR(buf_str(&err), "value cannot be set because .spec is not a map[string]interface{}");
	cJSON_Delete(o);
	buf_release(&err);
	return 0;
}

#define CRD_HEAD "{\"metadata\":{\"name\":\"foos.a.b\"},\"spec\":{\"group\":\"a.b\",\"scope\":\"Namespaced\"," \
		 "\"names\":{\"plural\":\"foos\",\"kind\":\"Foo\"},\"versions\":["
#define VERSION(name, storage, scale) "{\"name\":\"" name "\",\"served\":true,\"storage\":" storage "," \
		 "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\"}},\"subresources\":{\"scale\":" scale "}}"

TEST_IMPL(scale_crd_validation)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	cJSON *o = parse(CRD_HEAD VERSION("v1", "true", "{\"specReplicasPath\":\"spec.n\",\"statusReplicasPath\":\".spec.n\","
					   "\"labelSelectorPath\":\".metadata.labels\"}") "]}}");
	validate_crd(o, NULL, &e);
	ASSERT_STR(error_on(&e, "spec.subresources.scale.specReplicasPath"), "must be a simple json path starting with .");
	ASSERT_STR(error_on(&e, "spec.subresources.scale.statusReplicasPath"), "should be a json path under .status");
	ASSERT_STR(error_on(&e, "spec.subresources.scale.labelSelectorPath"), "should be a json path under either .spec or .status");
	ASSERT_EQ(e.n, 3);
	field_errors_release(&e);
	cJSON_Delete(o);
	o = parse(CRD_HEAD VERSION("v1", "true", "{\"specReplicasPath\":\".spec.n\",\"statusReplicasPath\":\".status.n\"}") ","
		  VERSION("v2", "false", "{\"statusReplicasPath\":\".status.n\"}") "]}}");
	validate_crd(o, NULL, &e);
	ASSERT_STR(error_on(&e, "spec.versions[1].subresources.scale.specReplicasPath"), "");
	ASSERT_EQ(e.n, 1);
	field_errors_release(&e);
	cJSON_Delete(o);
	return 0;
}
