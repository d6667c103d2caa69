/* Unit tests for server/patch: the RFC 6902 appendix A examples, the RFC 7386 appendix A table
 * and evanphx/json-patch v4's behaviour and messages. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/patch.h"

#include <errno.h>

/* Parses JSON written with ' for " (test fixtures only). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	return j;
}

/* Applies patch to doc; returns the result printed with ' for ", or "ERR: message" (caller frees).
 * On failure also checks that the document was left as it was. */
static char *jp(const char *doc, const char *patch)
{
	cJSON *d = js(doc), *p = js(patch);
	struct buf err = BUF_INIT;
	char *before = json_print_str(d), *out;
	if (json_patch_apply(&d, p, &err) < 0) {
		char *after = json_print_str(d);
		out = strcmp(before, after) ? xasprintf("DOC CHANGED: %s", after) : xasprintf("ERR: %s", buf_str(&err));
		free(after);
	} else {
		out = json_print_str(d);
		for (char *c = out; *c; c++)
			if (*c == '"')
				*c = '\'';
	}
	free(before);
	buf_release(&err);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return out;
}

#define EXPECT_JP(doc, patch, want) \
	do { \
		char *got_ = jp(doc, patch); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: patch %s\n    got  %s\n    want %s\n", __FILE__, __LINE__, patch, got_, \
				want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

TEST_IMPL(patch_rfc6902_examples)
{
	/* A.1 - A.16 */
	EXPECT_JP("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'foo':'bar','baz':'qux'}");
	EXPECT_JP("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}");
	EXPECT_JP("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}");
	EXPECT_JP("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}");
	EXPECT_JP("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]",
		  "{'baz':'boo','foo':'bar'}");
	EXPECT_JP("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
		  "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
		  "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}");
	EXPECT_JP("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]",
		  "{'foo':['all','cows','eat','grass']}");
	EXPECT_JP("{'baz':'qux','foo':['a',2,'c']}",
		  "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
		  "{'baz':'qux','foo':['a',2,'c']}");
	EXPECT_JP("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]",
		  "ERR: testing value /baz failed: test failed");
	EXPECT_JP("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
		  "{'foo':'bar','child':{'grandchild':{}}}");
	EXPECT_JP("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}");
	EXPECT_JP("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]",
		  "ERR: add operation does not apply: doc is missing path: \"/baz/bat\": missing value");
	EXPECT_JP("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}");
	EXPECT_JP("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]",
		  "ERR: testing value /~01 failed: test failed");
	EXPECT_JP("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]",
		  "{'foo':['bar',['abc','def']]}");
	/* RFC 6901 pointers */
	EXPECT_JP("{'a/b':1,'m~n':2,'':3}",
		  "[{'op':'test','path':'/a~1b','value':1},{'op':'test','path':'/m~0n','value':2},"
		  "{'op':'test','path':'/','value':3}]",
		  "{'a/b':1,'m~n':2,'':3}");
	return 0;
}

TEST_IMPL(patch_arrays)
{
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/2','value':'z'}]", "{'a':['x','y','z']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/0','value':'z'}]", "{'a':['z','x','y']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/-1','value':'z'}]", "{'a':['x','y','z']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/-3','value':'z'}]", "{'a':['z','x','y']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/01','value':'z'}]", "{'a':['x','z','y']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/3','value':'z'}]",
		  "ERR: error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'add','path':'/a/-4','value':'z'}]",
		  "ERR: error in add for path: '/a/-4': Unable to access invalid index: -4: invalid index referenced");
	EXPECT_JP("{'a':['x']}", "[{'op':'add','path':'/a/x','value':1}]",
		  "ERR: error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "
		  "\"x\": invalid syntax");
	EXPECT_JP("{'a':['x']}", "[{'op':'add','path':'/a/99999999999999999999','value':1}]",
		  "ERR: error in add for path: '/a/99999999999999999999': value was not a proper array index: "
		  "'99999999999999999999': strconv.Atoi: parsing \"99999999999999999999\": value out of range");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'remove','path':'/a/-1'}]", "{'a':['x']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'remove','path':'/a/2'}]",
		  "ERR: error in remove for path: '/a/2': Unable to access invalid index: 2: invalid index referenced");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'remove','path':'/a/-'}]",
		  "ERR: error in remove for path: '/a/-': strconv.Atoi: parsing \"-\": invalid syntax");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'replace','path':'/a/-2','value':'z'}]", "{'a':['z','y']}");
	EXPECT_JP("{'a':['x','y']}", "[{'op':'replace','path':'/a/5','value':'z'}]",
		  "ERR: replace operation does not apply: doc is missing key: /a/5: missing value");
	EXPECT_JP("{'a':[{'b':1}]}", "[{'op':'replace','path':'/a/0/b','value':2}]", "{'a':[{'b':2}]}");
	EXPECT_JP("[1,2]", "[{'op':'add','path':'/0','value':0}]", "[0,1,2]");
	EXPECT_JP("{'a':[1,2,3]}", "[{'op':'move','from':'/a/0','path':'/a/-'}]", "{'a':[2,3,1]}");
	EXPECT_JP("{'a':{'k':'v'},'b':[]}", "[{'op':'move','from':'/a/k','path':'/b/0'}]", "{'a':{},'b':['v']}");
	return 0;
}

TEST_IMPL(patch_errors)
{
	EXPECT_JP("{'a':1}", "[{'op':'bogus','path':'/a'}]", "ERR: Unexpected kind: bogus");
	EXPECT_JP("{'a':1}", "[{'path':'/a'}]", "ERR: Unexpected kind: unknown");
	EXPECT_JP("{'a':1}", "[null]", "ERR: Unexpected kind: unknown");
	EXPECT_JP("{'a':1}", "[{'op':1,'path':'/a'}]", "ERR: Unexpected kind: unknown");
	EXPECT_JP("{'a':1}", "[{'op':'add','value':1}]", "ERR: add operation failed to decode path: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'remove','path':7}]", "ERR: remove operation failed to decode path: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'replace','value':1}]",
		  "ERR: replace operation failed to decode path: operation missing path field: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':5,'value':1}]",
		  "ERR: replace operation failed to decode path: json: cannot unmarshal number into Go value of type string");
	EXPECT_JP("{'a':1}", "[{'op':'test','path':null,'value':1}]",
		  "ERR: test operation failed to decode path: operation missing path field: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'move','path':'/b'}]",
		  "ERR: move operation failed to decode from: operation, missing from field: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'copy','path':'/b'}]",
		  "ERR: copy operation failed to decode from: operation, missing from field: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'copy','from':'/a'}]", "ERR: copy operation failed to decode path: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'move','from':'/a'}]",
		  "ERR: move operation failed to decode path: operation missing path field: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'remove','path':'/b'}]",
		  "ERR: error in remove for path: '/b': Unable to remove nonexistent key: b: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'remove','path':'/b/c'}]",
		  "ERR: remove operation does not apply: doc is missing path: \"/b/c\": missing value");
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':'/b/c','value':1}]",
		  "ERR: replace operation does not apply: doc is missing path: /b/c: missing value");
	EXPECT_JP("{'a':1}", "[{'op':'add','path':'','value':{}}]",
		  "ERR: add operation does not apply: doc is missing path: \"\": missing value");
	EXPECT_JP("{'a':{'b':1}}", "[{'op':'move','from':'/x/y','path':'/c'}]",
		  "ERR: move operation does not apply: doc is missing from path: /x/y: missing value");
	EXPECT_JP("{'a':{'b':1}}", "[{'op':'move','from':'/a/x','path':'/c'}]",
		  "ERR: error in move for path: 'x': Unable to remove nonexistent key: x: missing value");
	EXPECT_JP("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b'}]",
		  "ERR: move operation does not apply: doc is missing destination path: /a/b: missing value");
	EXPECT_JP("{'a':{'b':1}}", "[{'op':'copy','from':'/a/0/x','path':'/c'}]",
		  "ERR: copy operation does not apply: doc is missing from path: /a/0/x: missing value");
	EXPECT_JP("{'a':[1]}", "[{'op':'copy','from':'/a/1','path':'/c'}]",
		  "ERR: error in copy for from: '/a/1': Unable to access invalid index: 1: invalid index referenced");
	EXPECT_JP("{'a':[1]}", "[{'op':'copy','from':'/a/0','path':'/c/d'}]",
		  "ERR: copy operation does not apply: doc is missing destination path: /c/d: missing value");
	EXPECT_JP("{'a':[1]}", "[{'op':'copy','from':'/a/0','path':'/a/5'}]",
		  "ERR: error while adding value during copy: Unable to access invalid index: 5: invalid index referenced");
	EXPECT_JP("{'a':[1]}", "[{'op':'test','path':'/a/x/y','value':1}]",
		  "ERR: test operation does not apply: is missing path: /a/x/y: missing value");
	EXPECT_JP("{'a':[1]}", "[{'op':'test','path':'/a/x','value':1}]",
		  "ERR: error in test for path: '/a/x': strconv.Atoi: parsing \"x\": invalid syntax");
	/* a scalar on the way is a missing path */
	EXPECT_JP("{'a':'s'}", "[{'op':'add','path':'/a/b','value':1}]",
		  "ERR: add operation does not apply: doc is missing path: \"/a/b\": missing value");
	/* a failing operation undoes the earlier ones */
	EXPECT_JP("{'a':1}", "[{'op':'add','path':'/b','value':2},{'op':'remove','path':'/zz'}]",
		  "ERR: error in remove for path: '/zz': Unable to remove nonexistent key: zz: missing value");
	return 0;
}

TEST_IMPL(patch_v4_quirks)
{
	/* replace of a missing object member adds it (v4's partialDoc.get never fails) */
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':'/b','value':2}]", "{'a':1,'b':2}");
	/* add, replace without "value" insert null; copy from a missing member copies null */
	EXPECT_JP("{'a':1}", "[{'op':'add','path':'/b'}]", "{'a':1,'b':null}");
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':'/a'}]", "{'a':null}");
	EXPECT_JP("{'a':1}", "[{'op':'copy','from':'/x','path':'/b'}]", "{'a':1,'b':null}");
	/* the whole document: replaced by an object or array, a scalar is ignored */
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}");
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':'','value':[1]}]", "[1]");
	EXPECT_JP("{'a':1}", "[{'op':'replace','path':'','value':5}]", "{'a':1}");
	EXPECT_JP("{'a':1}", "[{'op':'test','path':'','value':{'a':1}}]", "{'a':1}");
	EXPECT_JP("{'a':1}", "[{'op':'test','path':'','value':{'a':2}}]", "ERR: testing value  failed: test failed");
	/* what precedes the first '/' is ignored */
	EXPECT_JP("{'b':1}", "[{'op':'replace','path':'x/b','value':2}]", "{'b':2}");
	/* "test": null or absent targets equal a null value; semantic comparison */
	EXPECT_JP("{'a':null}", "[{'op':'test','path':'/a','value':null},{'op':'test','path':'/b','value':null}]",
		  "{'a':null}");
	EXPECT_JP("{'a':1}", "[{'op':'test','path':'/a'}]", "ERR: testing value /a failed: test failed");
	EXPECT_JP("{'a':1}", "[{'op':'test','path':'/a','value':null}]", "ERR: testing value /a failed: test failed");
	EXPECT_JP("{'a':{'x':1,'y':[1,{'z':true}]}}", "[{'op':'test','path':'/a','value':{'y':[1,{'z':true}],'x':1.0}}]",
		  "{'a':{'x':1,'y':[1,{'z':true}]}}");
	EXPECT_JP("{'a':{'x':1}}", "[{'op':'test','path':'/a','value':{'x':1,'y':2}}]",
		  "ERR: testing value /a failed: test failed");
	EXPECT_JP("{'a':[1,2]}", "[{'op':'test','path':'/a','value':[2,1]}]", "ERR: testing value /a failed: test failed");
	/* a null in the way is a missing path; removing a null member works */
	EXPECT_JP("{'a':null}", "[{'op':'add','path':'/a/b','value':1}]",
		  "ERR: add operation does not apply: doc is missing path: \"/a/b\": missing value");
	EXPECT_JP("{'a':null}", "[{'op':'remove','path':'/a'}]", "{}");
	EXPECT_JP("{'a':null,'b':{}}", "[{'op':'move','from':'/a','path':'/b/c'}]", "{'b':{'c':null}}");
	return 0;
}

TEST_IMPL(patch_copy)
{
	EXPECT_JP("{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':1},'c':{'b':1}}");
	EXPECT_JP("{'a':{'b':1}}", "[{'op':'copy','from':'/a','path':'/a/c'}]", "{'a':{'b':1,'c':{'b':1}}}");
	EXPECT_JP("{'a':[1,2]}", "[{'op':'copy','from':'/a/1','path':'/a/0'}]", "{'a':[2,1,2]}");

	/* 3 MiB copy budget: a 1 MiB string (1048578 bytes of JSON) fits twice, not three times */
	struct buf doc = BUF_INIT, err = BUF_INIT;
	buf_adds(&doc, "{\"s\":\"");
	for (int i = 0; i < (1 << 20); i++)
		buf_addch(&doc, 'x');
	buf_adds(&doc, "\"}");
	cJSON *d = json_parse(doc.data, doc.len, NULL);
	cJSON *p2 = js("[{'op':'copy','from':'/s','path':'/t'},{'op':'copy','from':'/s','path':'/u'}]");
	cJSON *p3 = js("[{'op':'copy','from':'/s','path':'/t'},{'op':'copy','from':'/s','path':'/u'},"
		       "{'op':'copy','from':'/s','path':'/v'}]");
	ASSERT_EQ(json_patch_apply(&d, p2, &err), 0);
	ASSERT(cJSON_GetObjectItem(d, "u"));
	ASSERT_EQ(json_patch_apply(&d, p3, &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "Unable to complete the copy, the accumulated size increase of copy is 3145734, "
				  "exceeding the limit 3145728");
	ASSERT(!cJSON_GetObjectItem(d, "v"));
	cJSON_Delete(d);
	cJSON_Delete(p2);
	cJSON_Delete(p3);
	buf_release(&doc);
	buf_release(&err);
	return 0;
}

TEST_IMPL(patch_check)
{
	struct buf err = BUF_INIT, big = BUF_INIT;
	cJSON *p = js("{'op':'add'}"), *d = js("{'a':1}");
	ASSERT_EQ(json_patch_check(p, &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
	ASSERT_EQ(json_patch_apply(&d, p, NULL), -KUBE_EINVAL);
	cJSON_Delete(p);
	buf_reset(&err);
	p = js("[{'op':'test','path':'/a','value':1},'x']");
	ASSERT_EQ(json_patch_check(p, &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "json: cannot unmarshal string into Go value of type jsonpatch.Operation");
	cJSON_Delete(p);
	p = js("null");
	ASSERT_EQ(json_patch_check(p, NULL), 0);
	ASSERT_EQ(json_patch_apply(&d, p, NULL), 0);
	cJSON_Delete(p);
	buf_adds(&big, "[");
	for (int i = 0; i <= JSON_PATCH_MAX_OPS; i++)
		buf_adds(&big, i ? ",{}" : "{}");
	buf_adds(&big, "]");
	p = json_parse(big.data, big.len, NULL);
	buf_reset(&err);
	ASSERT_EQ(json_patch_check(p, &err), -E2BIG);
	ASSERT_STR(buf_str(&err), "The allowed maximum operations in a JSON patch is 10000, got 10001");
	cJSON_Delete(p);
	cJSON_Delete(d);
	d = js("5");
	p = js("[]");
	buf_reset(&err);
	ASSERT_EQ(json_patch_apply(&d, p, &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "json: cannot unmarshal number into Go value of type jsonpatch.partialDoc");
	cJSON_Delete(p);
	cJSON_Delete(d);
	buf_release(&err);
	buf_release(&big);
	return 0;
}

TEST_IMPL(patch_depth_limit)
{
	/* values nested up to the limit are fine; deeper trees are refused, not built */
	struct buf v = BUF_INIT, err = BUF_INIT;
	buf_adds(&v, "[{\"op\":\"add\",\"path\":\"/a\",\"value\":");
	for (int i = 0; i < 254; i++)
		buf_addch(&v, '[');
	for (int i = 0; i < 254; i++)
		buf_addch(&v, ']');
	buf_adds(&v, "}]");
	cJSON *d = js("{}"), *p = json_parse(v.data, v.len, NULL);
	ASSERT(p);
	ASSERT_EQ(json_patch_apply(&d, p, &err), 0);
	cJSON_Delete(p);
	p = js("[{'op':'copy','from':'/a','path':'/a/-'}]"); /* levels 3..256: still parseable */
	ASSERT_EQ(json_patch_apply(&d, p, &err), 0);
	cJSON_Delete(p);
	p = js("[{'op':'copy','from':'/a','path':'/a/0/-'}]"); /* would reach level 257 */
	ASSERT_EQ(json_patch_apply(&d, p, &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "the patched document would be nested deeper than 256 levels");
	cJSON_Delete(p);
	cJSON_Delete(d);
	buf_release(&v);
	buf_release(&err);
	return 0;
}

/* Applies a merge patch; returns the result with ' for ", or "ERR". */
static char *mp(const char *doc, const char *patch)
{
	cJSON *d = js(doc), *p = js(patch);
	char *before = json_print_str(d), *out;
	if (merge_patch_apply(&d, p) < 0) {
		char *after = json_print_str(d);
		out = xstrdup(strcmp(before, after) ? "DOC CHANGED" : "ERR");
		free(after);
	} else {
		out = json_print_str(d);
		for (char *c = out; *c; c++)
			if (*c == '"')
				*c = '\'';
	}
	free(before);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return out;
}

#define EXPECT_MP(doc, patch, want) \
	do { \
		char *got_ = mp(doc, patch); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: merge %s + %s\n    got  %s\n    want %s\n", __FILE__, __LINE__, doc, patch, \
				got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

TEST_IMPL(patch_merge_rfc7386)
{
	/* RFC 7386 appendix A */
	EXPECT_MP("{'a':'b'}", "{'a':'c'}", "{'a':'c'}");
	EXPECT_MP("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}");
	EXPECT_MP("{'a':'b'}", "{'a':null}", "{}");
	EXPECT_MP("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}");
	EXPECT_MP("{'a':['b']}", "{'a':'c'}", "{'a':'c'}");
	EXPECT_MP("{'a':'c'}", "{'a':['b']}", "{'a':['b']}");
	EXPECT_MP("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}");
	EXPECT_MP("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}");
	EXPECT_MP("['a','b']", "['c','d']", "['c','d']");
	EXPECT_MP("{'a':'b'}", "['c']", "['c']");
	EXPECT_MP("{'e':null}", "{'a':1}", "{'e':null,'a':1}");
	EXPECT_MP("[1,2]", "{'a':'b','c':null}", "{'a':'b'}");
	EXPECT_MP("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}");
	/* v4 refuses null and scalar patches (RFC 7386 would return them) and a null document */
	EXPECT_MP("{'a':'foo'}", "null", "ERR");
	EXPECT_MP("{'a':'foo'}", "'bar'", "ERR");
	EXPECT_MP("null", "{'a':1}", "ERR");
	return 0;
}

TEST_IMPL(patch_merge_nulls)
{
	/* nulls nested in added values are pruned, null array elements too (v4) */
	EXPECT_MP("{}", "{'a':{'b':null,'c':[1,null,{'d':null,'e':2}]}}", "{'a':{'c':[1,{'e':2}]}}");
	EXPECT_MP("{'a':null}", "{'a':{'b':null,'c':1}}", "{'a':{'c':1}}");
	EXPECT_MP("{'a':1}", "{'a':[{'b':null}]}", "{'a':[{}]}");
	/* v4 quirk: an object replaced by a non-object keeps the nulls inside it */
	EXPECT_MP("{'a':{}}", "{'a':[{'b':null}]}", "{'a':[{'b':null}]}");
	EXPECT_MP("{'a':{'b':{'c':1,'d':2}}}", "{'a':{'b':{'c':null}},'x':null}", "{'a':{'b':{'d':2}}}");
	EXPECT_MP("{'metadata':{'labels':{'app':'web','tier':'fe'}}}", "{'metadata':{'labels':{'tier':null,'v':'2'}}}",
		  "{'metadata':{'labels':{'app':'web','v':'2'}}}");
	EXPECT_MP("{'spec':{'replicas':1}}", "{}", "{'spec':{'replicas':1}}");
	return 0;
}
