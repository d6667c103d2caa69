/* Unit tests for lib/yaml: YAML to JSON typed as sigs.k8s.io/yaml (go-yaml v2) types it. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "yaml2json.h"

/* LeakSanitizer's checker, present only in sanitizer builds (the runner's children end with
 * _exit, so leaks are looked for explicitly). */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* Converts yaml (with flags) and returns compact JSON, or "ERROR: <message>"; caller frees. */
static char *conv(const char *yaml, unsigned flags)
{
	struct buf err = BUF_INIT;
	cJSON *j = y2j_parse_flags(yaml, strlen(yaml), flags, &err);
	char *out = j ? json_print_str(j) : xasprintf("ERROR: %s", buf_str(&err));
	cJSON_Delete(j);
	buf_release(&err);
	return out;
}

/* Checks that yaml converts to the JSON text want (or the error "ERROR: ..."). */
#define CHECK(yaml, want) CHECK_FLAGS(yaml, 0, want)
#define CHECK_FLAGS(yaml, flags, want) \
	do { \
		char *got_ = conv(yaml, flags); \
		int ok_ = strcmp(got_, want) == 0; \
		if (!ok_) \
			fprintf(stderr, "  yaml: %s\n  got:  %s\n  want: %s\n", yaml, got_, want); \
		free(got_); \
		if (!ok_) \
			FAIL("conversion differs"); \
	} while (0)

/* Checks that conversion fails with an error containing part. */
#define CHECK_ERR(yaml, part) \
	do { \
		char *got_ = conv(yaml, 0); \
		int ok_ = starts_with(got_, "ERROR: ") && strstr(got_, part); \
		if (!ok_) \
			fprintf(stderr, "  yaml: %s\n  got:  %s\n  want an error with: %s\n", yaml, \
				got_, part); \
		free(got_); \
		if (!ok_) \
			FAIL("expected an error"); \
	} while (0)

TEST_IMPL(yaml_bool)
{
	const char *yes[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" };
	const char *no[] = { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" };
	char doc[64];
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		snprintf(doc, sizeof(doc), "a: %s", yes[i]);
		CHECK(doc, "{\"a\":true}");
		snprintf(doc, sizeof(doc), "a: %s", no[i]);
		CHECK(doc, "{\"a\":false}");
	}
	/* Other case mixes, and quoted words, are strings. */
	CHECK("[yEs, tRUE, oN, nO, 'yes', \"true\"]", "[\"yEs\",\"tRUE\",\"oN\",\"nO\",\"yes\",\"true\"]");
	CHECK("a: !!bool yes", "{\"a\":true}");
	CHECK_ERR("a: !!bool 1", "cannot decode !!int `1` as a !!bool");
	return 0;
}

TEST_IMPL(yaml_null)
{
	CHECK("[~, null, Null, NULL, '', nULL]", "[null,null,null,null,\"\",\"nULL\"]");
	CHECK("a:\nb: ~", "{\"a\":null,\"b\":null}");
	CHECK("a: !!null ''", "{\"a\":null}");
	CHECK("~", "null");
	return 0;
}

TEST_IMPL(yaml_int)
{
	CHECK("[0, 1, -1, +12, 1_000, 1__0_, -0]", "[0,1,-1,12,1000,10,0]");
	CHECK("[0x1F, 0X1f, -0x10, +0x10, 0x_1F]", "[31,31,-16,16,31]");
	CHECK("[0o17, 017, -017, 0b101, 0B11, -0b11]", "[15,15,-15,5,3,-3]");
	/* go-yaml v2 oddities: 08 is not octal but reads as the float 8; 0b-1 is -1. */
	CHECK("[08, 0b-1]", "[8,-1]");
	CHECK("[123456789012345, -123456789012345]", "[123456789012345,-123456789012345]");
	/* Large values: cJSON holds doubles (and prints 16+ digits rounded), so compare those.
	 * Beyond int64: uint64, then a float; prefixed ones of any size read as numbers. */
	const char *big = "[9223372036854775807, -9223372036854775808, 18446744073709551615, "
			  "99999999999999999999, 0x10000000000000000, 0x7fffffffffffffff]";
	const double want[] = { 0x1p63, -0x1p63, 0x1p64, 1e20, 0x1p64, 0x1p63 };
	cJSON *j = y2j_parse(big, strlen(big), NULL);
	ASSERT_EQ(cJSON_GetArraySize(j), ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		ASSERT(cJSON_GetArrayItem(j, (int)i)->valuedouble == want[i]);
	cJSON_Delete(j);
	/* Not numbers. */
	CHECK("[0x, 0o, 0b, _1, 1.2.3, 1e, 12:30, 2001-12-14, 1-2, '1', \"2\"]",
	      "[\"0x\",\"0o\",\"0b\",\"_1\",\"1.2.3\",\"1e\",\"12:30\",\"2001-12-14\",\"1-2\","
	      "\"1\",\"2\"]");
	CHECK("a: !!int '12'", "{\"a\":12}");
	CHECK("a: !!int 0x10", "{\"a\":16}");
	CHECK_ERR("a: !!int abc", "line 1, column 4: cannot decode !!str `abc` as a !!int");
	CHECK_ERR("a: !!int 1.5", "cannot decode !!float `1.5` as a !!int");
	return 0;
}

TEST_IMPL(yaml_float)
{
	CHECK("[1.5, .5, -.5, +.5, 1., 1e3, -1.5E-3, 1_0.5, 0.0, 1e400x]",
	      "[1.5,0.5,-0.5,0.5,1,1000,-0.0015,10.5,0,\"1e400x\"]");
	/* Overflowing floats fail Go's ParseFloat and stay strings. */
	CHECK("[1e400, .5_0, .nAn, +.nan]", "[\"1e400\",\".5_0\",\".nAn\",\"+.nan\"]");
	CHECK("a: !!float 1", "{\"a\":1}");
	CHECK_ERR("a: !!float 18446744073709551615", "as a !!float");
	/* Infinities and NaN have no JSON form (sigs.k8s.io/yaml fails in json.Marshal too). */
	const char *nonfinite[] = { ".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", "-.INF",
				    ".nan", ".NaN", ".NAN" };
	char doc[64];
	for (size_t i = 0; i < ARRAY_SIZE(nonfinite); i++) {
		snprintf(doc, sizeof(doc), "x: 1\na: %s", nonfinite[i]);
		CHECK_ERR(doc, "line 2, column 4:");
		CHECK_ERR(doc, "has no JSON representation");
	}
	return 0;
}

TEST_IMPL(yaml_strings_and_tags)
{
	CHECK("[abc, 'single', \"dou\\tble\", !!str 12, !!str true, ! 12, !custom 5, !!timestamp "
	      "2001-01-01]",
	      "[\"abc\",\"single\",\"dou\\tble\",\"12\",\"true\",\"12\",\"5\",\"2001-01-01\"]");
	CHECK("a: |\n  line1\n  line2\nb: >\n  folded\n  text\n",
	      "{\"a\":\"line1\\nline2\\n\",\"b\":\"folded text\\n\"}");
	CHECK("a: \"<<\"", "{\"a\":\"<<\"}");
	CHECK("a: caf\xc3\xa9 \xe2\x9c\x93", "{\"a\":\"caf\xc3\xa9 \xe2\x9c\x93\"}");
	CHECK_ERR("a: !!binary aGVsbG8=", "!!binary values are not supported");
	CHECK_ERR("a: \"x\\0y\"", "NUL characters in strings are not supported");
	CHECK_ERR("a: !!timestamp 5", "cannot decode !!int `5` as a !!timestamp");
	return 0;
}

TEST_IMPL(yaml_keys)
{
	/* Non-string keys become strings as sigs.k8s.io/yaml makes them. */
	CHECK("{1: a, 0x10: b, -3: c, yes: d, off: e, 2001-01-01: f}",
	      "{\"1\":\"a\",\"16\":\"b\",\"-3\":\"c\",\"true\":\"d\",\"false\":\"e\","
	      "\"2001-01-01\":\"f\"}");
	/* The YAML 1.1 gotcha, kept: y and n are booleans, so these keys are "true" and "false". */
	CHECK("{y: 1, n: 2, x: 3}", "{\"true\":1,\"false\":2,\"x\":3}");
	/* Float keys print as Go prints a float32 ('g', shortest); 1e5 and 100000 collide. */
	CHECK("{1.5: a, 1.0: b, 0.1: c, 1e7: d, 100000: e, 1e5: f, 0.00001: g, 0.0001: h}",
	      "{\"1.5\":\"a\",\"1\":\"b\",\"0.1\":\"c\",\"1e+07\":\"d\",\"100000\":\"f\","
	      "\"1e-05\":\"g\",\"0.0001\":\"h\"}");
	/* 1e39 is beyond float32: +Inf, the same key as .inf. */
	CHECK("{123456789.0: a, -0.0: b, .inf: c, -.inf: d, .nan: e, 1e39: f}",
	      "{\"1.2345679e+08\":\"a\",\"-0\":\"b\",\"-.inf\":\"d\",\".nan\":\"e\","
	      "\".inf\":\"f\"}");
	CHECK("{'1': a, \"yes\": b, !!str 5: c}", "{\"1\":\"a\",\"yes\":\"b\",\"5\":\"c\"}");
	CHECK("? a\n: b\n", "{\"a\":\"b\"}");
	CHECK_ERR("~: a", "line 1, column 1: unsupported mapping key `~` (null)");
	CHECK_ERR("{? : a}", "line 1, column 4: unsupported mapping key `` (null)");
	CHECK("{'': a}", "{\"\":\"a\"}");
	CHECK_ERR("18446744073709551615: a", "unsupported mapping key");
	CHECK_ERR("{? [1]: 2}", "mapping keys must be scalars");
	CHECK_ERR("? {a: 1}\n: 2", "mapping keys must be scalars");
	CHECK_ERR("a: &x [1]\n*x : 2", "mapping keys must be scalars");
	return 0;
}

TEST_IMPL(yaml_nested)
{
	const char *doc =
		"apiVersion: v1\n"
		"kind: Pod\n"
		"metadata:\n"
		"  name: web\n"
		"  labels: {app: web, tier: \"1\"}\n"
		"spec:\n"
		"  containers:\n"
		"  - name: nginx\n"
		"    image: nginx:1.25\n"
		"    ports:\n"
		"    - containerPort: 80\n"
		"      protocol: TCP\n"
		"    args: [-g, 'daemon off;']\n"
		"    env: []\n"
		"  nodeSelector: {}\n"
		"  hostNetwork: false\n";
	CHECK(doc, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"labels\":"
	      "{\"app\":\"web\",\"tier\":\"1\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\","
	      "\"image\":\"nginx:1.25\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],"
	      "\"args\":[\"-g\",\"daemon off;\"],\"env\":[]}],\"nodeSelector\":{},"
	      "\"hostNetwork\":false}}");
	CHECK("[[1, [2, [3]]], {a: {b: {c: [d]}}}]", "[[1,[2,[3]]],{\"a\":{\"b\":{\"c\":[\"d\"]}}}]");
	/* JSON is YAML. */
	CHECK("{\"a\": [1, 2.5, true, null, \"x\"], \"b\": {}}",
	      "{\"a\":[1,2.5,true,null,\"x\"],\"b\":{}}");
	return 0;
}

TEST_IMPL(yaml_anchors)
{
	CHECK("a: &x {b: 1, c: [2]}\nd: *x\ne: [*x, *x]",
	      "{\"a\":{\"b\":1,\"c\":[2]},\"d\":{\"b\":1,\"c\":[2]},\"e\":[{\"b\":1,\"c\":[2]},"
	      "{\"b\":1,\"c\":[2]}]}");
	/* A scalar anchor is typed where the alias uses it: as a key it becomes a string. */
	CHECK("a: &n 1\n*n : *n\nb: &s yes\nc: *s", "{\"a\":1,\"1\":1,\"b\":true,\"c\":true}");
	/* A name defined again refers to the latest definition. */
	CHECK("- &a first\n- &a second\n- *a", "[\"first\",\"second\",\"second\"]");
	CHECK("- &a [&a 1, *a]\n- *a", "[[1,1],1]");
	/* An anchor on a value that a duplicate key later drops stays usable. */
	CHECK("m: {a: &x [1], a: 2}\nk: *x", "{\"m\":{\"a\":2},\"k\":[1]}");
	CHECK_ERR("a: *nope", "line 1, column 4: unknown anchor 'nope' referenced");
	CHECK_ERR("- &a [1, *a]", "line 1, column 10: anchor 'a' value contains itself");
	CHECK_ERR("&a {b: *a}", "anchor 'a' value contains itself");
	return 0;
}

TEST_IMPL(yaml_merge)
{
	const char *base = "base: &b {a: 1, b: 2}\n";
	char doc[256];
	snprintf(doc, sizeof(doc), "%sm: {<<: *b, b: 3, c: 4}", base);
	CHECK(doc, "{\"base\":{\"a\":1,\"b\":2},\"m\":{\"a\":1,\"b\":3,\"c\":4}}");
	/* As in go-yaml v2, a key written before "<<" is overridden by the merged one. */
	snprintf(doc, sizeof(doc), "%sm: {b: 3, <<: *b}", base);
	CHECK(doc, "{\"base\":{\"a\":1,\"b\":2},\"m\":{\"a\":1,\"b\":2}}");
	/* In a list, earlier mappings win. */
	CHECK("p: &p {k: p, kp: 1}\nq: &q {k: q, kq: 2}\nm:\n  <<: [*p, *q]\n  own: 3",
	      "{\"p\":{\"k\":\"p\",\"kp\":1},\"q\":{\"k\":\"q\",\"kq\":2},\"m\":{\"kq\":2,"
	      "\"k\":\"p\",\"kp\":1,\"own\":3}}");
	CHECK("m: {<<: {a: 1}, b: 2}", "{\"m\":{\"a\":1,\"b\":2}}");
	CHECK("m: {<<: [{a: 1}, {a: 2, b: 2}]}", "{\"m\":{\"b\":2,\"a\":1}}");
	CHECK("m: {!!merge <<: {a: 1}}", "{\"m\":{\"a\":1}}");
	CHECK("m: {<<: []}", "{\"m\":{}}");
	/* A merged mapping's own merges are already applied; the merge does not alter it. */
	CHECK("a: &a {x: 1}\nb: &b {<<: *a, w: 2}\nc: {<<: *b, z: 3}\nd: *a",
	      "{\"a\":{\"x\":1},\"b\":{\"x\":1,\"w\":2},\"c\":{\"x\":1,\"w\":2,\"z\":3},"
	      "\"d\":{\"x\":1}}");
	/* A quoted "<<" is an ordinary key. */
	CHECK("m: {'<<': {a: 1}}", "{\"m\":{\"<<\":{\"a\":1}}}");
	CHECK_ERR("m: {<<: 1}", "line 1, column 9: map merge requires a mapping or a sequence");
	CHECK_ERR("m: {<<: [1]}", "map merge requires");
	CHECK_ERR("m: {<<: [[{a: 1}]]}", "map merge requires");
	CHECK_ERR("s: &s [{a: 1}]\nm: {<<: *s}", "map merge requires");
	CHECK_ERR("v: &v 1\nm: {<<: *v}", "map merge requires");
	return 0;
}

TEST_IMPL(yaml_duplicate_keys)
{
	CHECK("a: 1\nb: 2\na: 3", "{\"b\":2,\"a\":3}");
	/* A large mapping (the sorted path) with duplicates. */
	struct buf doc = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_addf(&doc, "k%d: %d\n", i % 50, i);
	buf_addch(&want, '{');
	for (int i = 50; i < 100; i++)
		buf_addf(&want, "%s\"k%d\":%d", i > 50 ? "," : "", i % 50, i);
	buf_addch(&want, '}');
	CHECK(doc.data, want.data);
	buf_release(&doc);
	buf_release(&want);
	return 0;
}

TEST_IMPL(yaml_empty)
{
	const char *empty[] = { "", "\n\n", "# only a comment\n", "---", "---\n...\n", "--- # c" };
	for (size_t i = 0; i < ARRAY_SIZE(empty); i++)
		CHECK(empty[i], "{}");
	cJSON *j = y2j_parse(NULL, 0, NULL);
	ASSERT(cJSON_IsObject(j) && !j->child);
	cJSON_Delete(j);
	CHECK("''", "\"\"");
	CHECK("[]", "[]");
	CHECK("--- 5", "5");
	return 0;
}

TEST_IMPL(yaml_multi_document)
{
	/* Only the first document is read; what follows is not even parsed. */
	CHECK("a: 1\n---\nb: 2\n", "{\"a\":1}");
	CHECK("a: 1\n---\nb: [\n", "{\"a\":1}");
	CHECK("a: 1\n...\n%%%bad\n", "{\"a\":1}");
	CHECK("---\nx: 1\n---\n", "{\"x\":1}");
	return 0;
}

TEST_IMPL(yaml_invalid)
{
	CHECK_ERR("a: b: c", "line 1, column 5: mapping values are not allowed in this context");
	CHECK_ERR("a: [1, 2", "line 2, column 1: did not find expected ',' or ']' (while parsing a "
		  "flow sequence at line 1, column 4)");
	CHECK_ERR("a:\n  - 1\n - 2\n", "line 3");
	CHECK_ERR("a: 'x\nb", "found unexpected end of stream");
	CHECK_ERR("a: \xff", "byte offset 3: invalid leading UTF-8 octet");
	CHECK_ERR("\tkey: 1", "line 1, column 1:");
	/* err may be NULL. */
	ASSERT(!y2j_parse("a: [", 4, NULL));
	return 0;
}

TEST_IMPL(yaml_depth_limit)
{
	struct buf doc = BUF_INIT;
	for (int i = 0; i < 256; i++)
		buf_addch(&doc, '[');
	for (int i = 0; i < 256; i++)
		buf_addch(&doc, ']');
	cJSON *j = y2j_parse(doc.data, doc.len, NULL);
	ASSERT(cJSON_IsArray(j));
	cJSON_Delete(j);
	buf_reset(&doc);
	for (int i = 0; i < 1000000; i++)
		buf_addch(&doc, '[');
	CHECK_ERR(doc.data, "line 1, column 257: collections nested deeper than 256 levels");
	buf_reset(&doc);
	/* Aliases cannot nest deeper either: a 200-deep anchor copied 100 levels down. */
	buf_adds(&doc, "a: &deep ");
	for (int i = 0; i < 200; i++)
		buf_addch(&doc, '[');
	for (int i = 0; i < 200; i++)
		buf_addch(&doc, ']');
	buf_adds(&doc, "\nb: ");
	for (int i = 0; i < 100; i++)
		buf_addch(&doc, '[');
	buf_adds(&doc, "*deep");
	for (int i = 0; i < 100; i++)
		buf_addch(&doc, ']');
	CHECK_ERR(doc.data, "nested deeper than 256 levels");
	buf_release(&doc);
	return 0;
}

TEST_IMPL(yaml_alias_bomb)
{
	/* "Billion laughs" (CVE-2019-11253): 9^9 strings if expanded. Refused when the copies
	 * reach the node budget, after at most about a million node copies. */
	const char *lol =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	CHECK_ERR(lol, "document expands to more than 1000000 nodes");
	/* The same through merge keys and mappings. */
	struct buf doc = BUF_INIT;
	buf_adds(&doc, "l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol, f: lol, g: lol, h: lol}\n");
	for (int i = 1; i < 10; i++) {
		buf_addf(&doc, "l%d: &l%d {", i, i);
		for (int k = 0; k < 8; k++)
			buf_addf(&doc, "%sk%d: *l%d", k ? ", " : "", k, i - 1);
		buf_adds(&doc, "}\n");
	}
	CHECK_ERR(doc.data, "too many aliases");
	/* Few nodes, many bytes: a 1 MiB string copied 100 times. */
	buf_reset(&doc);
	buf_adds(&doc, "s: &s \"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addch(&doc, 'x');
	buf_adds(&doc, "\"\nl: [");
	for (int i = 0; i < 100; i++)
		buf_adds(&doc, "*s, ");
	buf_adds(&doc, "]\n");
	CHECK_ERR(doc.data, "line 2, column ");
	CHECK_ERR(doc.data, "bytes of strings");
	buf_release(&doc);
	return 0;
}

TEST_IMPL(yaml_huge_input)
{
	/* A large legitimate document (about 6 MB, 600,000 nodes) converts. */
	struct buf doc = BUF_INIT;
	struct buf err = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_addf(&doc, "key%d: {name: item-%d, value: %d, on: yes, list: [a]}\n", i, i, i);
	cJSON *j = y2j_parse(doc.data, doc.len, &err);
	ASSERT(j);
	ASSERT_EQ(cJSON_GetArraySize(j), 100000);
	ASSERT_STR(json_strv(j, "key99999", "name", NULL), "item-99999");
	ASSERT(cJSON_IsTrue(json_getv(j, "key5", "true", NULL)));
	cJSON_Delete(j);
	/* One 16 MiB block scalar. */
	buf_reset(&doc);
	buf_adds(&doc, "data: |\n");
	for (int i = 0; i < (1 << 18); i++)
		buf_adds(&doc, "  0123456789012345678901234567890123456789012345678901234567890\n");
	j = y2j_parse(doc.data, doc.len, &err);
	ASSERT(j);
	ASSERT_EQ(strlen(json_str(j, "data")), 62 << 18);
	cJSON_Delete(j);
	/* Many anchors and aliases within the budget. */
	buf_reset(&doc);
	for (int i = 0; i < 50000; i++)
		buf_addf(&doc, "- &a%d {v: %d}\n- *a%d\n", i, i, i);
	j = y2j_parse(doc.data, doc.len, &err);
	ASSERT(j);
	ASSERT_EQ(cJSON_GetArraySize(j), 100000);
	cJSON_Delete(j);
	buf_release(&doc);
	buf_release(&err);
	return 0;
}

TEST_IMPL(yaml_numbers_as_text)
{
	CHECK_FLAGS("{mode: 0644, v: 1.10, e: 1e3, p: 6443, i: .inf, b: yes, z: ~, q: '0644', "
		    "t: !!int 5, 0x10: x}", Y2J_NUMBERS_AS_TEXT,
		    "{\"mode\":\"0644\",\"v\":\"1.10\",\"e\":\"1e3\",\"p\":\"6443\",\"i\":\".inf\","
		    "\"b\":true,\"z\":null,\"q\":\"0644\",\"t\":5,\"16\":\"x\"}");
	return 0;
}

TEST_IMPL(yaml_no_leaks)
{
	/* Failures at every stage must free open collections, anchors and dropped nodes. */
	const char *docs[] = {
		"a: &a {b: [1, &s x, {c: *s}]}\nd: [*a, {<<: *a, e: [1, 2, [3, {f: .inf}]]}]",
		"a: &a {x: 1, x: 2}\nb: {<<: [*a, {y: 1}], y: 2}\nc: [[[{d: [1, *nope]}]]]",
		"a: &x [1]\nb: {k: [*x, *x], k: 1}\nc: {<<: *x}",
		"- &a [1, {b: *a}]",
		"a: [1, {b: 2, c: [3, 'x",
		"{a: 1, b: !!binary aGk=}",
		"a: &a 1\nb: &a [2]\nc: *a\nd: {~: 1}",
	};
	struct buf err = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		buf_reset(&err);
		cJSON *j = y2j_parse(docs[i], strlen(docs[i]), &err);
		if (j)
			FAIL("document %zu converted", i);
		ASSERT(err.len > 0);
	}
	buf_release(&err);
	if (__lsan_do_recoverable_leak_check)
		ASSERT_EQ(__lsan_do_recoverable_leak_check(), 0);
	return 0;
}
