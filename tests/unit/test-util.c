/* Unit tests for lib/util, lib/buf and lib/json. */
#include "test.h"
#include "lib/util.h"
#include "lib/buf.h"
#include "lib/json.h"

TEST_IMPL(util_parse_bool)
{
	const char *yes[] = { "1", "t", "T", "TRUE", "true", "True" };
	const char *no[] = { "0", "f", "F", "FALSE", "false", "False" };
	int v;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		ASSERT_EQ(parse_bool(yes[i], &v), 0);
		ASSERT_EQ(v, 1);
		ASSERT_EQ(parse_bool(no[i], &v), 0);
		ASSERT_EQ(v, 0);
	}
	ASSERT(parse_bool("yes", &v) < 0);
	ASSERT(parse_bool("", &v) < 0);
	ASSERT(parse_bool("tRUE", &v) < 0);
	return 0;
}

TEST_IMPL(util_rfc3339)
{
	char s[21];
	int64_t t;
	format_rfc3339(0, s);
	ASSERT_STR(s, "1970-01-01T00:00:00Z");
	ASSERT_EQ(parse_rfc3339("2024-01-01T00:00:00Z", &t), 0);
	ASSERT_EQ(t, 1704067200);
	ASSERT_EQ(parse_rfc3339("2024-01-01T01:00:00.123456789+01:00", &t), 0);
	ASSERT_EQ(t, 1704067200);
	ASSERT(parse_rfc3339("2024-01-01", &t) < 0);
	ASSERT(parse_rfc3339("2024-01-01T00:00:00Zjunk", &t) < 0);
	return 0;
}

TEST_IMPL(buf_basic)
{
	struct buf b = BUF_INIT;
	ASSERT_STR(buf_str(&b), "");
	buf_addf(&b, "%s-%d", "a", 1);
	for (int i = 0; i < 1000; i++)
		buf_addch(&b, 'x');
	ASSERT_EQ(b.len, 1003);
	buf_truncate(&b, 3);
	ASSERT_STR(buf_str(&b), "a-1");
	buf_reset(&b);
	buf_add_json_string(&b, "q\"\n\x01");
	ASSERT_STR(buf_str(&b), "\"q\\\"\\n\\u0001\"");
	struct rbuf *r = rbuf_from_buf(&b);
	ASSERT_EQ(b.len, 0);
	ASSERT_STR(r->data, "\"q\\\"\\n\\u0001\"");
	rbuf_ref(r);
	rbuf_unref(r);
	rbuf_unref(r);
	buf_release(&b);
	return 0;
}

TEST_IMPL(json_basic)
{
	struct buf err = BUF_INIT;
	const char *doc = "{\"metadata\":{\"name\":\"x\",\"generation\":3}} ";
	cJSON *j = json_parse(doc, strlen(doc), &err);
	ASSERT(j);
	ASSERT_STR(json_strv(j, "metadata", "name", NULL), "x");
	int64_t g;
	ASSERT_EQ(json_int(json_obj(j, "metadata"), "generation", &g), 0);
	ASSERT_EQ(g, 3);
	json_set_str(json_obj(j, "metadata"), "name", "y");
	char *s = json_print_str(j);
	ASSERT_STR(s, "{\"metadata\":{\"name\":\"y\",\"generation\":3}}");
	free(s);
	cJSON_Delete(j);
	ASSERT(!json_parse("{} x", 4, &err));
	ASSERT(!json_parse("{", 1, &err));
	/* Deep nesting is refused without recursion. */
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_addch(&deep, '[');
	ASSERT(!json_parse(deep.data, deep.len, NULL));
	buf_release(&deep);
	buf_release(&err);
	return 0;
}
