/* Unit tests for server/smp: strategic merge patch over schema tables of our own (shaped like
 * upstream's test type MergeItem, so that the cases follow the behaviour its tests document) and,
 * when server/schema.c provides them, over the real types with the bodies kubectl and the Python
 * client send. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/schema.h"
#include "server/smp.h"

#include <errno.h>

/* ---- the test schema ---------------------------------------------------------------------- */

static const struct sch_type t_item, t_retain, t_port, t_source, t_host;

static const struct sch_field item_fields[] = {
	{ .name = "name", .kind = SK_STRING },
	{ .name = "value", .kind = SK_STRING },
	{ .name = "other", .kind = SK_STRING },
	{ .name = "mergingList", .kind = SK_OBJECT, .list = SL_MAP, .merge_key = "name", .type = &t_item },
	{ .name = "nonMergingList", .kind = SK_OBJECT, .list = SL_ATOMIC, .type = &t_item },
	{ .name = "mergingIntList", .kind = SK_INT64, .list = SL_SET },
	{ .name = "nonMergingIntList", .kind = SK_INT64, .list = SL_ATOMIC },
	{ .name = "stringSet", .kind = SK_STRING, .list = SL_SET },
	{ .name = "simpleMap", .kind = SK_STRING, .flags = SF_MAP },
	{ .name = "itemMap", .kind = SK_OBJECT, .flags = SF_MAP, .type = &t_item },
	{ .name = "retainKeysMap", .kind = SK_OBJECT, .flags = SF_RETAIN_KEYS, .type = &t_retain },
	{ .name = "retainKeysMergingList",
	  .kind = SK_OBJECT,
	  .list = SL_MAP,
	  .flags = SF_RETAIN_KEYS,
	  .merge_key = "name",
	  .type = &t_item },
	{ .name = "replacedMapList",
	  .kind = SK_OBJECT,
	  .list = SL_MAP,
	  .flags = SF_SMP_REPLACE,
	  .merge_key = "name",
	  .type = &t_item },
	{ .name = "ports",
	  .kind = SK_OBJECT,
	  .list = SL_MAP,
	  .merge_key = "containerPort",
	  .map_keys = "containerPort,protocol",
	  .type = &t_port },
	{ .name = "raw", .kind = SK_RAW },
	{ .name = "quantity", .kind = SK_QUANTITY },
	{ .name = "source", .kind = SK_OBJECT, .flags = SF_INLINE, .type = &t_source },
};
static const struct sch_type t_item = { "test.MergeItem", item_fields, ARRAY_SIZE(item_fields), 0, NULL };

static const struct sch_field retain_fields[] = {
	{ .name = "name", .kind = SK_STRING },
	{ .name = "value", .kind = SK_STRING },
	{ .name = "other", .kind = SK_STRING },
	{ .name = "simpleMap", .kind = SK_STRING, .flags = SF_MAP },
	{ .name = "mergingIntList", .kind = SK_INT64, .list = SL_SET },
	{ .name = "mergingList", .kind = SK_OBJECT, .list = SL_MAP, .merge_key = "name", .type = &t_item },
};
static const struct sch_type t_retain = { "test.RetainKeysMergeItem", retain_fields, ARRAY_SIZE(retain_fields), 0,
					  NULL };

static const struct sch_field port_fields[] = {
	{ .name = "containerPort", .kind = SK_INT32 },
	{ .name = "protocol", .kind = SK_STRING },
	{ .name = "name", .kind = SK_STRING },
};
static const struct sch_type t_port = { "test.Port", port_fields, ARRAY_SIZE(port_fields), 0, NULL };

/* An inline member, like a Volume's VolumeSource. */
static const struct sch_field source_fields[] = {
	{ .name = "hostPath", .kind = SK_OBJECT, .type = &t_host },
	{ .name = "paths", .kind = SK_OBJECT, .list = SL_MAP, .merge_key = "path", .type = &t_host },
};
static const struct sch_type t_source = { "test.Source", source_fields, ARRAY_SIZE(source_fields), 0, NULL };

static const struct sch_field host_fields[] = {
	{ .name = "path", .kind = SK_STRING },
	{ .name = "type", .kind = SK_STRING },
};
static const struct sch_type t_host = { "test.Host", host_fields, ARRAY_SIZE(host_fields), 0, NULL };

/* ---- helpers ------------------------------------------------------------------------------ */

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

/* The answer smp.h documents for a return value. */
static const char *code_name(int rc)
{
	switch (rc) {
	case -KUBE_EINVAL:
		return "400";
	case -ENOTSUP:
		return "422";
	case -EBADMSG:
		return "500";
	case -EFAULT:
		return "PANIC";
	default:
		return "?";
	}
}

/* Applies patch to doc with type; returns the result printed with ' for ", or "ERR <code>:
 * message" (caller frees). On failure also checks that the document was left as it was. */
static char *spt(const struct sch_type *type, const char *doc, const char *patch)
{
	cJSON *d = js(doc), *p = js(patch);
	struct buf err = BUF_INIT;
	char *before = json_print_str(d), *out;
	int rc = smp_apply(&d, p, type, &err);
	if (rc < 0) {
		char *after = json_print_str(d);
		out = strcmp(before, after) ? xasprintf("DOC CHANGED: %s", after) :
					      xasprintf("ERR %s: %s", code_name(rc), buf_str(&err));
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

#define EXPECT_SPT(type, doc, patch, want) \
	do { \
		char *got_ = spt(type, doc, patch); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: patch %s\n    got  %s\n    want %s\n", __FILE__, __LINE__, \
				patch, got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

#define EXPECT_SP(doc, patch, want) EXPECT_SPT(&t_item, doc, patch, want)

/* ---- objects ------------------------------------------------------------------------------ */

TEST_IMPL(smp_maps)
{
	EXPECT_SP("{'name':'1'}", "{'value':'1'}", "{'name':'1','value':'1'}");
	EXPECT_SP("{'name':'1'}", "{'name':null,'value':'1'}", "{'value':'1'}");
	EXPECT_SP("{'name':'1','value':'1'}", "{'value':'2'}", "{'name':'1','value':'2'}");
	EXPECT_SP("{'simpleMap':{'key1':'1','key2':'1'}}", "{'simpleMap':{'key2':null}}", "{'simpleMap':{'key1':'1'}}");
	EXPECT_SP("{'name':'a'}", "{'value':null}", "{'name':'a'}");
	EXPECT_SP("{'name':'a'}", "{}", "{'name':'a'}");
	EXPECT_SP("{'name':'a'}", "null", "{'name':'a'}");
	/* Merging into a missing parent creates it; nulls in added values are dropped. */
	EXPECT_SP("{}", "{'itemMap':{'k':{'name':'x','value':null,'mergingList':[{'name':'a','value':null}]}}}",
		  "{'itemMap':{'k':{'name':'x','mergingList':[{'name':'a'}]}}}");
	EXPECT_SP("{'retainKeysMap':null}", "{'retainKeysMap':{'name':'x'}}", "{'retainKeysMap':{'name':'x'}}");
	/* A value of another type replaces. */
	EXPECT_SP("{'simpleMap':{'a':'b'}}", "{'simpleMap':'x'}", "{'simpleMap':'x'}");
	EXPECT_SP("{'mergingList':[{'name':'a'}]}", "{'mergingList':{'name':'b'}}", "{'mergingList':{'name':'b'}}");
	/* Keys the schema does not know merge like a JSON merge patch. */
	EXPECT_SP("{'unknown':{'a':1,'b':[1,2],'c':{'d':1}}}",
		  "{'unknown':{'b':[3],'c':{'d':null,'e':1},'f':{'g':null}}}",
		  "{'unknown':{'a':1,'b':[3],'c':{'e':1},'f':{}}}");
	/* A NULL or null document is an empty object. */
	cJSON *d = NULL, *p = js("{'name':'a','value':null}");
	ASSERT_EQ(smp_apply(&d, p, &t_item, NULL), 0);
	char *s = json_print_str(d);
	ASSERT_STR(s, "{\"name\":\"a\"}");
	free(s);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return 0;
}

TEST_IMPL(smp_map_directives)
{
	EXPECT_SP("{'simpleMap':{'key1':'1','key2':'1'}}", "{'simpleMap':{'$patch':'delete'}}", "{'simpleMap':{}}");
	EXPECT_SP("{'name':'1','value':'1'}", "{'$patch':'replace'}", "{}");
	EXPECT_SP("{'name':'1','value':'1'}", "{'other':'a','$patch':'replace'}", "{'other':'a'}");
	EXPECT_SP("{'name':'1','value':'1'}", "{'$patch':'delete','other':'a'}", "{}");
	/* What replaces is cleaned as the typed round trip would: no nulls, no directive keys. */
	EXPECT_SP("{'itemMap':{'k':{'name':'a','value':'b'}}}",
		  "{'itemMap':{'k':{'$patch':'replace','other':'c','value':null,'mergingList':[{'name':'x',"
		  "'$patch':'delete'}]}}}", "{'itemMap':{'k':{'other':'c','mergingList':[{'name':'x'}]}}}");
	/* A directive object for a missing key is dropped with its key (upstream's removeDirectives). */
	EXPECT_SP("{}", "{'itemMap':{'$patch':'delete'}}", "{}");
	EXPECT_SP("{}", "{'itemMap':{'k':{'$patch':'replace','name':'a'}}}", "{'itemMap':{}}");
	EXPECT_SP("{'name':'a'}", "{'simpleMap':{'$patch':'delete'}}", "{'name':'a'}");
	/* Only replace and delete exist for objects. */
	EXPECT_SP("{'simpleMap':{'a':'b'}}", "{'simpleMap':{'$patch':'merge','c':'d'}}",
		  "ERR 500: unknown patch type: merge in map: map[$patch:merge c:d]");
	EXPECT_SP("{'simpleMap':{'a':'b'}}", "{'simpleMap':{'$patch':1}}",
		  "ERR 500: unknown patch type: %!s(int64=1) in map: map[$patch:1]");
	return 0;
}

/* ---- lists of maps ------------------------------------------------------------------------ */

TEST_IMPL(smp_merging_list)
{
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2','value':'2'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'4'},{'name':'1'},{'name':'2'},{'name':'3'}],"
		  "'mergingList':[{'name':'4','value':'4'},{'name':'3','value':'3'}]}",
		  "{'mergingList':[{'name':'4','value':'4'},{'name':'1'},{'name':'2','value':'2'},{'name':'3',"
		  "'value':'3'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'}],'mergingList':[{'name':'1',"
		  "'value':'1'}]}",
		  "{'mergingList':[{'name':'1','other':'a','value':'1'},{'name':'2','value':'2','other':'b'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','value':'1','other':'a'},{'name':'2'}]}",
		  "{'mergingList':[{'name':'1','value':null}]}",
		  "{'mergingList':[{'name':'1','other':'a'},{'name':'2'}]}");
	/* Without $setElementOrder the patch's order wins for patched elements. */
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2','value':'b'},{'name':'3'}]}",
		  "{'mergingList':[{'name':'3','value':'c'},{'name':'1','value':'a'},{'name':'2','other':'x'}]}",
		  "{'mergingList':[{'name':'3','value':'c'},{'name':'1','value':'a'},{'name':'2','value':'b',"
		  "'other':'x'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2','value':'b'},{'name':'3'}]}",
		  "{'mergingList':[{'name':'3','value':'c'},{'name':'1','value':'a'}]}",
		  "{'mergingList':[{'name':'2','value':'b'},{'name':'3','value':'c'},{'name':'1','value':'a'}]}");
	/* A new element goes before server-only ones that the server does not order after it. */
	EXPECT_SP("{'mergingList':[{'name':'a'}]}", "{'mergingList':[{'name':'b'}]}",
		  "{'mergingList':[{'name':'b'},{'name':'a'}]}");
	/* A list the document lacks is taken without its directive elements. */
	EXPECT_SP("{'name':'hi'}", "{'mergingList':[{'name':'hello'},{'$patch':'delete','name':'doesntexist'}]}",
		  "{'name':'hi','mergingList':[{'name':'hello'}]}");
	/* Lists inside merged elements follow their own strategy. */
	EXPECT_SP("{'mergingList':[{'name':'1','nonMergingList':[{'name':'1'},{'name':'2','value':'2'}]},"
		  "{'name':'2'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'}],'mergingList':[{'name':'1',"
		  "'nonMergingList':[{'name':'1','value':'1'}]}]}",
		  "{'mergingList':[{'name':'1','nonMergingList':[{'name':'1','value':'1'}]},{'name':'2'}]}");
	/* Merge keys compare as Go values: numbers by value, and only with numbers. */
	EXPECT_SP("{'ports':[{'containerPort':80,'protocol':'TCP'}]}",
		  "{'ports':[{'containerPort':443,'protocol':'TCP'},{'containerPort':80,'name':'http'},"
		  "{'containerPort':'80'}]}",
		  "{'ports':[{'containerPort':443,'protocol':'TCP'},{'containerPort':80,'protocol':'TCP',"
		  "'name':'http'},{'containerPort':'80'}]}");
	/* The same merge key twice in a patch: the second merges into the first. */
	EXPECT_SP("{'mergingList':[]}", "{'mergingList':[{'name':'a','value':'1'},{'name':'a','other':'2'}]}",
		  "{'mergingList':[{'name':'a','value':'1','other':'2'}]}");
	EXPECT_SP("{'mergingList':[]}", "{'mergingList':[]}", "{'mergingList':[]}");
	EXPECT_SP("{'retainKeysMergingList':[{'name':'bar'},{'name':'foo'}]}",
		  "{'retainKeysMergingList':[{'name':'foo','value':'a'}]}",
		  "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a'}]}");
	return 0;
}

TEST_IMPL(smp_list_directives)
{
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2'}]}",
		  "{'mergingList':[{'name':'1','$patch':'delete'},{'name':'2','$patch':'delete'}]}",
		  "{'mergingList':[]}");
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'1'},{'name':'2','value':'a'},{'name':'3'},{'name':'3'}]}",
		  "{'mergingList':[{'name':'1','$patch':'delete'},{'name':'3','$patch':'delete'}]}",
		  "{'mergingList':[{'name':'2','value':'a'}]}");
	EXPECT_SP("{'mergingList':[{'name':'2','other':'b'}]}", "{'mergingList':[{'name':'1','$patch':'delete'}]}",
		  "{'mergingList':[{'name':'2','other':'b'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2'}]}", "{'mergingList':[{'$patch':'replace'}]}",
		  "{'mergingList':[]}");
	EXPECT_SP("{'mergingList':[{'name':'1','value':'1'},{'name':'2'}]}",
		  "{'mergingList':[{'name':'3','value':null},{'$patch':'replace'},{'name':'1'}]}",
		  "{'mergingList':[{'name':'3'},{'name':'1'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'name':'1','$patch':'merge'}]}",
		  "ERR 500: merging lists cannot yet be specified in the patch");
	EXPECT_SP("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'$patch':'delete','value':'x'}]}",
		  "ERR 500: map: map[$patch:delete value:x] does not contain declared merge key: name");
	EXPECT_SP("{'mergingList':[{'name':'1','value':'a'}]}", "{'mergingList':[{'value':'b'}]}",
		  "ERR 500: map: map[value:b] does not contain declared merge key: name");
	EXPECT_SP("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'name':'1','$patch':'foo'}]}",
		  "ERR 500: unknown patch type: foo in map: map[$patch:foo name:1]");
	/* Lists without merge strategy are replaced, and what replaces is cleaned. */
	EXPECT_SP("{'nonMergingList':[{'name':'1'}]}",
		  "{'nonMergingList':[{'name':'2','$patch':'delete','value':null}]}",
		  "{'nonMergingList':[{'name':'2'}]}");
	EXPECT_SP("{'replacedMapList':[{'name':'a'},{'name':'b'}]}", "{'replacedMapList':[{'name':'c'}]}",
		  "{'replacedMapList':[{'name':'c'}]}");
	EXPECT_SP("{'nonMergingIntList':[1,2]}", "{'nonMergingIntList':[2,3]}", "{'nonMergingIntList':[2,3]}");
	return 0;
}

/* ---- lists of scalars --------------------------------------------------------------------- */

TEST_IMPL(smp_primitive_lists)
{
	EXPECT_SP("{'mergingIntList':[1,2]}", "{'mergingIntList':[2,3]}", "{'mergingIntList':[1,2,3]}");
	EXPECT_SP("{'stringSet':['a','b']}", "{'stringSet':['c']}", "{'stringSet':['c','a','b']}");
	EXPECT_SP("{'mergingIntList':[1,2,3]}", "{'mergingIntList':[3,1,2]}", "{'mergingIntList':[3,1,2]}");
	EXPECT_SP("{'mergingIntList':[1,2,3]}", "{'mergingIntList':[3,1]}", "{'mergingIntList':[2,3,1]}");
	/* Duplicates: upstream's deduplication moves the last element into a duplicate's place, and
	 * with an empty patch list it works on the stored list itself. */
	EXPECT_SP("{'mergingIntList':[1]}", "{'mergingIntList':[2,2,1]}", "{'mergingIntList':[2,1]}");
	EXPECT_SP("{'stringSet':['a','a','c','b']}", "{'stringSet':[]}", "{'stringSet':['a','b','c']}");
	EXPECT_SP("{'stringSet':['a','a','c','b']}", "{'stringSet':['a']}", "{'stringSet':['a','c','b']}");
	/* $deleteFromPrimitiveList */
	EXPECT_SP("{'mergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/mergingIntList':[2]}",
		  "{'mergingIntList':[1,3]}");
	EXPECT_SP("{'mergingIntList':[1,2,3,3,4]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
		  "{'mergingIntList':[1,2,4]}");
	EXPECT_SP("{'mergingIntList':[1,2]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
		  "{'mergingIntList':[1,2]}");
	EXPECT_SP("{'mergingIntList':[]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'mergingIntList':[]}");
	EXPECT_SP("{'stringSet':['bar']}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'stringSet':['bar']}");
	EXPECT_SP("{'nonMergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/nonMergingIntList':[2]}",
		  "{'nonMergingIntList':[1,3]}");
	/* upstream quirks kept: null deletes the list; deletions run after the other keys. */
	EXPECT_SP("{'mergingIntList':[1],'name':'a'}", "{'$deleteFromPrimitiveList/mergingIntList':null}",
		  "{'name':'a'}");
	EXPECT_SP("{'stringSet':['a']}", "{'$deleteFromPrimitiveList/stringSet':['b'],'stringSet':['b','c']}",
		  "{'stringSet':['c','a']}");
	EXPECT_SP("{}", "{'$deleteFromPrimitiveList/':[1]}", "{}");
	EXPECT_SP("{}", "{'$deleteFromPrimitiveListX':[1]}", "ERR 400: invalid patch format of primitive list");
	return 0;
}

/* ---- $setElementOrder --------------------------------------------------------------------- */

TEST_IMPL(smp_set_element_order)
{
	/* kubectl apply deleting and adding in one patch: where server-only elements land depends on
	 * how upstream's slice operations share the stored list's array. */
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2','other':'b'},{'name':'4','other':'c'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'3'}],'mergingList':[{'name':'3'},"
		  "{'name':'1','$patch':'delete'}]}",
		  "{'mergingList':[{'name':'2','other':'b'},{'name':'4','other':'c'},{'name':'3'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'4','other':'c'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'3'}],'mergingList':[{'name':'2'},"
		  "{'name':'3'},{'name':'1','$patch':'delete'}]}",
		  "{'mergingList':[{'name':'4','other':'c'},{'name':'2'},{'name':'3'}]}");
	EXPECT_SP("{'mergingList':[{'name':'3','other':'a'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'}],'mergingList':[{'name':'2'},{'name':'1',"
		  "'$patch':'delete'}]}", "{'mergingList':[{'name':'2'},{'name':'3','other':'a'}]}");
	/* Order only. */
	EXPECT_SP("{'mergingList':[{'name':'a'},{'name':'b'},{'name':'c'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'c'},{'name':'a'},{'name':'b'}]}",
		  "{'mergingList':[{'name':'c'},{'name':'a'},{'name':'b'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'3'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'3'},{'name':'2'},{'name':'1'}],"
		  "'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}",
		  "{'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}");
	EXPECT_SP("{'mergingIntList':[1,3]}", "{'$setElementOrder/mergingIntList':[3,2,1]}",
		  "{'mergingIntList':[3,1]}");
	EXPECT_SP("{'mergingIntList':[1,2,3]}",
		  "{'$setElementOrder/mergingIntList':[1,2,4],'$deleteFromPrimitiveList/mergingIntList':[3],"
		  "'mergingIntList':[4]}", "{'mergingIntList':[1,2,4]}");
	EXPECT_SP("{'mergingIntList':[1,2,3,4]}",
		  "{'$setElementOrder/mergingIntList':[1,2],'$deleteFromPrimitiveList/mergingIntList':[3]}",
		  "{'mergingIntList':[1,2,4]}");
	/* A list the document lacks. */
	EXPECT_SP("{}",
		  "{'$setElementOrder/mergingList':[{'name':'b'},{'name':'a'}],'mergingList':[{'name':'a'},"
		  "{'name':'b','$patch':'delete'}]}", "{'mergingList':[{'name':'a'}]}");
	EXPECT_SP("{}", "{'$setElementOrder/mergingList':[{'name':'a'}]}", "{}");
	/* Errors. */
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'3'},{'name':'2'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'},{'name':'3'}],"
		  "'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}",
		  "ERR 500: The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match "
		  "$setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n");
	EXPECT_SP("{'mergingIntList':[1,3,2]}", "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3,1]}",
		  "ERR 500: The order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]\n");
	EXPECT_SP("{}", "{'$setElementOrder/mergingList':'x'}",
		  "ERR 500: expected a []interface {}, but received a string");
	EXPECT_SP("{'mergingList':{}}", "{'$setElementOrder/mergingList':[]}",
		  "ERR 500: expected a []interface {}, but received a map[string]interface {}");
	EXPECT_SP("{}", "{'$setElementOrder/mergingList':[],'mergingList':null}",
		  "ERR 500: expected a []interface {}, but received a %!s(<nil>)");
	EXPECT_SP("{}", "{'$setElementOrderX/mergingList':[]}",
		  "ERR 400: invalid patch format of setElementOrder list");
	EXPECT_SP("{}", "{'$setElementOrder':[]}", "ERR 400: invalid patch format of setElementOrder list");
	EXPECT_SP("{'mergingList':[]}", "{'$setElementOrder/mergingList':[]}",
		  "ERR 500: no elements in any of the given slices");
	EXPECT_SP("{'mergingList':[{'name':'a'}]}", "{'$setElementOrder/mergingList':[{'value':'a'}]}",
		  "ERR 500: map: map[value:a] does not contain declared merge key: name");
	EXPECT_SP("{'stringSet':['a']}", "{'$setElementOrder/stringSet':[{'a':1}]}",
		  "ERR PANIC: runtime error: hash of unhashable type map[string]interface {}");
	return 0;
}

/* Results upstream's own tests document for three-way patches (kubectl apply) on a live object
 * with server-only elements: the exact order is part of the result. */
TEST_IMPL(smp_upstream_order)
{
	EXPECT_SP("{'mergingIntList':[1,2,4]}", "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3]}",
		  "{'mergingIntList':[1,2,3,4]}");
	EXPECT_SP("{'mergingIntList':[1,4,2]}", "{'$setElementOrder/mergingIntList':[3,1,2],'mergingIntList':[3]}",
		  "{'mergingIntList':[3,1,4,2]}");
	EXPECT_SP("{'mergingIntList':[1,2]}", "{'$setElementOrder/mergingIntList':[1,4,2,3],'mergingIntList':[4,3]}",
		  "{'mergingIntList':[1,4,2,3]}");
	EXPECT_SP("{'mergingIntList':[1,2,3]}",
		  "{'$setElementOrder/mergingIntList':[4,2,1],'mergingIntList':[4],"
		  "'$deleteFromPrimitiveList/mergingIntList':[3]}", "{'mergingIntList':[4,2,1]}");
	EXPECT_SP("{'mergingIntList':[1,2,7,9,8,3,4]}", "{'$setElementOrder/mergingIntList':[2,1,4,3]}",
		  "{'mergingIntList':[2,1,7,9,8,4,3]}");
	EXPECT_SP("{'mergingIntList':[1,2,3,2,4]}", "{'$setElementOrder/mergingIntList':[2,1,4,3,2]}",
		  "{'mergingIntList':[2,2,1,4,3]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'3'},{'name':'1'},{'name':'2'}],"
		  "'mergingList':[{'name':'3','value':'3'}]}",
		  "{'mergingList':[{'name':'3','value':'3'},{'name':'1','other':'a'},{'name':'2','value':'2',"
		  "'other':'b'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'2','other':'b'},{'name':'3'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'}],'mergingList':[{'name':'3',"
		  "'$patch':'delete'}]}", "{'mergingList':[{'name':'2','other':'b'},{'name':'1','other':'a'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'2','other':'b'},{'name':'3','value':'3'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'3'},{'name':'1'}],"
		  "'mergingList':[{'name':'3','value':'x'}]}",
		  "{'mergingList':[{'name':'2','other':'b'},{'name':'3','value':'x'},{'name':'1','other':'a'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'2','other':'b'},{'name':'3','value':'3'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'4'},{'name':'2'},{'name':'1'}],"
		  "'mergingList':[{'name':'4','value':'4'},{'name':'3','$patch':'delete'}]}",
		  "{'mergingList':[{'name':'4','value':'4'},{'name':'2','other':'b'},{'name':'1','other':'a'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a'},{'name':'2'},{'name':'9'},{'name':'3'},{'name':'4'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'}]}",
		  "{'mergingList':[{'name':'2'},{'name':'1','other':'a'},{'name':'9'},{'name':'4'},{'name':'3'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1'},{'name':'2','value':'dup1'},{'name':'3'},{'name':'2','value':'dup2'},"
		  "{'name':'4'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'},{'name':'2'}]}",
		  "{'mergingList':[{'name':'2','value':'dup1'},{'name':'2','value':'dup2'},{'name':'1'},{'name':'4'},"
		  "{'name':'3'}]}");
	EXPECT_SP("{'mergingList':[{'name':'1','other':'a','mergingList':[{'name':'2','value':'2','other':'d'}]},"
		  "{'name':'2','other':'b'}]}",
		  "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'}],"
		  "'mergingList':[{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'}],'name':'1',"
		  "'mergingList':[{'name':'1','value':'1'}]}]}",
		  "{'mergingList':[{'name':'1','other':'a','mergingList':[{'name':'2','value':'2','other':'d'},"
		  "{'name':'1','value':'1'}]},{'name':'2','other':'b'}]}");
	EXPECT_SP("{'retainKeysMap':{'name':'type1','value':'foo'}}",
		  "{'retainKeysMap':{'$retainKeys':['name','other'],'name':'type2','other':'bar'}}",
		  "{'retainKeysMap':{'name':'type2','other':'bar'}}");
	return 0;
}

/* ---- $retainKeys -------------------------------------------------------------------------- */

TEST_IMPL(smp_retain_keys)
{
	EXPECT_SP("{'retainKeysMap':{'name':'foo','value':'a','other':'b'}}",
		  "{'retainKeysMap':{'$retainKeys':['name','value'],'value':'c'}}",
		  "{'retainKeysMap':{'name':'foo','value':'c'}}");
	EXPECT_SP("{'retainKeysMap':{'name':'foo','value':'a'}}",
		  "{'retainKeysMap':{'$retainKeys':['name'],'value':null}}", "{'retainKeysMap':{'name':'foo'}}");
	EXPECT_SP("{'retainKeysMap':{'name':'foo','value':'a'}}", "{'retainKeysMap':{'value':'b'}}",
		  "{'retainKeysMap':{'name':'foo','value':'b'}}");
	EXPECT_SP("{'retainKeysMap':{'name':'foo','value':'a'}}", "{'retainKeysMap':{}}",
		  "{'retainKeysMap':{'name':'foo','value':'a'}}");
	EXPECT_SP("{'retainKeysMap':{'name':'foo','mergingIntList':[1]}}",
		  "{'retainKeysMap':{'$retainKeys':['mergingIntList'],'$deleteFromPrimitiveList/mergingIntList':[1]}}",
		  "{'retainKeysMap':{'mergingIntList':[]}}");
	EXPECT_SP("{'retainKeysMergingList':[{'name':'foo','value':'a','other':'x'},{'name':'bar','value':'b'}]}",
		  "{'retainKeysMergingList':[{'name':'foo','$retainKeys':['name','other'],'other':'y'}]}",
		  "{'retainKeysMergingList':[{'name':'foo','other':'y'},{'name':'bar','value':'b'}]}");
	/* Upstream honours the directive in any object, whatever the field's strategy. */
	EXPECT_SP("{'name':'a','value':'b'}", "{'$retainKeys':['name']}", "{'name':'a'}");
	EXPECT_SP("{'retainKeysMap':{'name':'foo'}}", "{'retainKeysMap':{'$retainKeys':['name'],'value':'c'}}",
		  "ERR 400: invalid patch format of retainKeys");
	EXPECT_SP("{'retainKeysMap':{'name':'foo'}}", "{'retainKeysMap':{'$retainKeys':'name'}}",
		  "ERR 400: invalid patch format of retainKeys");
	EXPECT_SP("{'retainKeysMap':{'name':'foo'}}", "{'retainKeysMap':{'$retainKeys':[['name']]}}",
		  "ERR PANIC: runtime error: hash of unhashable type []interface {}");
	return 0;
}

/* ---- errors ------------------------------------------------------------------------------- */

TEST_IMPL(smp_errors)
{
	EXPECT_SP("{}", "[]", "ERR 400: json: cannot unmarshal array into Go value of type map[string]interface {}");
	EXPECT_SP("{}", "1", "ERR 400: json: cannot unmarshal number into Go value of type map[string]interface {}");
	EXPECT_SP("{}", "'s'", "ERR 400: json: cannot unmarshal string into Go value of type map[string]interface {}");
	EXPECT_SP("{}", "true", "ERR 400: json: cannot unmarshal bool into Go value of type map[string]interface {}");
	EXPECT_SP("[1]", "{}", "ERR 400: invalid JSON document");
	/* Lists of lists: 422 when they merge; taken as they are otherwise. */
	EXPECT_SP("{'mergingIntList':[[1]]}", "{'mergingIntList':[[2]]}", "ERR 422: lists of lists are not supported");
	EXPECT_SP("{}", "{'mergingIntList':[[2]]}", "{'mergingIntList':[[2]]}");
	EXPECT_SP("{'mergingIntList':[1]}", "{'mergingIntList':['a']}",
		  "ERR 500: list element types are not identical: [[1] [a]]");
	EXPECT_SP("{'mergingIntList':[1]}", "{'mergingIntList':[1.5]}",
		  "ERR 500: list element types are not identical: [[1] [1.5]]");
	EXPECT_SP("{'stringSet':[{'a':1}]}", "{'stringSet':[{'a':2}]}",
		  "ERR 500: cannot merge lists without merge key for string");
	EXPECT_SP("{'retainKeysMap':[1]}", "{'retainKeysMap':[2]}",
		  "ERR 500: expected slice or array type, but got: struct");
	/* Members of structs that upstream cannot look up. */
	EXPECT_SP("{'raw':{'a':{'b':1}}}", "{'raw':{'a':{'c':2}}}",
		  "ERR 500: unable to find api field in struct RawExtension for the json field \"a\"");
	EXPECT_SP("{'raw':{'a':1,'l':[1]}}", "{'raw':{'a':2,'b':3,'l':[2]}}",
		  "ERR 500: unable to find api field in struct RawExtension for the json field \"l\"");
	EXPECT_SP("{'raw':{'a':1}}", "{'raw':{'a':2,'b':{'$patch':'x'}}}", "{'raw':{'a':2}}");
	EXPECT_SP("{'quantity':{'x':{}}}", "{'quantity':{'x':{}}}",
		  "ERR 500: unable to find api field in struct Quantity for the json field \"x\"");
	EXPECT_SP("{'simpleMap':{'a':{'b':{}}}}", "{'simpleMap':{'a':{'b':{}}}}",
		  "ERR 500: merging an object in json but data type is not map or struct, instead is: string");
	/* Where upstream's Go code panics. */
	EXPECT_SP("{'mergingList':[{'name':{'a':1}}]}", "{'mergingList':[{'name':{'a':1}}]}",
		  "ERR PANIC: runtime error: comparing uncomparable type map[string]interface {}");
	EXPECT_SP("{'mergingIntList':[null]}", "{'mergingIntList':[1]}",
		  "ERR PANIC: runtime error: invalid memory address or nil pointer dereference");
	/* An error deep inside leaves the whole document untouched. */
	EXPECT_SP("{'name':'a','mergingList':[{'name':'1','mergingList':[{'name':'x'}]}]}",
		  "{'name':'b','mergingList':[{'name':'1','value':'v','mergingList':[{'value':'y'}]}]}",
		  "ERR 500: map: map[value:y] does not contain declared merge key: name");
	return 0;
}

/* ---- schema shapes ------------------------------------------------------------------------ */

TEST_IMPL(smp_inline_and_maps)
{
	/* Fields of an inline member are the parent's, with their own strategies. */
	EXPECT_SP("{'paths':[{'path':'/a','type':'x'}]}", "{'paths':[{'path':'/a','type':'y'},{'path':'/b'}]}",
		  "{'paths':[{'path':'/a','type':'y'},{'path':'/b'}]}");
	EXPECT_SP("{'hostPath':{'path':'/x','type':'d'}}", "{'hostPath':{'type':null}}", "{'hostPath':{'path':'/x'}}");
	/* map[string]T: values merge with T's strategy. */
	EXPECT_SP("{'itemMap':{'k':{'mergingList':[{'name':'a','value':'1'}]}}}",
		  "{'itemMap':{'k':{'mergingList':[{'name':'a','value':'2'},{'name':'b'}]},'j':{'name':'new'}}}",
		  "{'itemMap':{'k':{'mergingList':[{'name':'a','value':'2'},{'name':'b'}]},'j':{'name':'new'}}}");
	EXPECT_SP("{'itemMap':{'k':{'name':'a'},'j':{'name':'b'}}}", "{'itemMap':{'k':null}}",
		  "{'itemMap':{'j':{'name':'b'}}}");
	return 0;
}

/* Directive keys never end up in the document. */
TEST_IMPL(smp_sanitize)
{
	EXPECT_SP("{}",
		  "{'retainKeysMap':{'$retainKeys':['name'],'name':'a','mergingList':[{'name':'x',"
		  "'$setElementOrder/y':[1],'$deleteFromPrimitiveList/z':[2]}]}}",
		  "{'retainKeysMap':{'name':'a','mergingList':[{'name':'x'}]}}");
	EXPECT_SP("{'mergingList':[{'name':'a'}]}",
		  "{'mergingList':[{'name':'b','itemMap':{'$patch':'delete'},'value':null,'$retainKeys':['name']}]}",
		  "{'mergingList':[{'name':'b','itemMap':{}},{'name':'a'}]}");
	EXPECT_SP("{'name':'a'}", "{'name':{'$patch':'delete'}}", "{}");
	/* A document's own keys are its business. */
	EXPECT_SP("{'raw':{'$patch':'x'}}", "{'name':'a'}", "{'raw':{'$patch':'x'},'name':'a'}");
	return 0;
}

/* Messages print values as Go's fmt does. */
TEST_IMPL(smp_go_format)
{
	EXPECT_SP("{'mergingList':[{'name':'a'}]}",
		  "{'mergingList':[{'value':'b','other':1.5,'raw':{'z':true,'a':[1,null,-2.5]},'q':[1234567.5,0.0001,"
		  "0.00001,123456.5,1e21,-0.5,100]}]}",
		  "ERR 500: map: map[other:1.5 q:[1.2345675e+06 0.0001 1e-05 123456.5 1e+21 -0.5 100] "
		  "raw:map[a:[1 <nil> -2.5] z:true] value:b] does not contain declared merge key: name");
	EXPECT_SP("{'mergingList':[{'name':'a'}]}", "{'mergingList':[{'name':'a','$patch':true}]}",
		  "ERR 500: unknown patch type: %!s(bool=true) in map: map[$patch:true name:a]");
	EXPECT_SP("{'mergingList':[{'name':'a'}]}", "{'mergingList':[{'name':'a','$patch':null}]}",
		  "ERR 500: unknown patch type: %!s(<nil>) in map: map[$patch:<nil> name:a]");
	EXPECT_SP("{'mergingList':[{'name':'a'}]}", "{'mergingList':[{'name':'a','$patch':[2.5,{'x':'y'}]}]}",
		  "ERR 500: unknown patch type: [%!s(float64=2.5) map[x:y]] in map: map[$patch:[2.5 map[x:y]] name:a]");
	/* Duplicate keys: the last one counts, as for Go's decoder. */
	EXPECT_SP("{'name':'a'}", "{'value':'1','value':'2'}", "{'name':'a','value':'2'}");
	return 0;
}

/* Without a schema the patch is a JSON merge patch. */
TEST_IMPL(smp_no_schema)
{
	EXPECT_SPT(NULL, "{'a':{'b':1,'c':2},'l':[1]}", "{'a':{'b':null,'$patch':'x'},'l':[2]}",
		   "{'a':{'c':2,'$patch':'x'},'l':[2]}");
	EXPECT_SPT(NULL, "{'a':1}", "null", "ERR 400: Invalid JSON Patch");
	return 0;
}

/* ---- the real schema ---------------------------------------------------------------------- */

static const struct sch_type *real_type(const char *group, const char *version, const char *kind)
{
	return sch_kind_type(group, version, kind);
}

static const char deployment[] =
	"{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default',"
	"'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},'spec':{'replicas':1,"
	"'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{"
	"'containers':[{'name':'web','image':'nginx:1.25','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],"
	"'ports':[{'containerPort':80,'protocol':'TCP'}],'resources':{}},{'name':'sidecar','image':'busybox'}],"
	"'restartPolicy':'Always'}}}}";

/* The bodies kubectl (1.27-1.33) and the Python client send, on the served types. */
TEST_IMPL(smp_kubectl_real_schema)
{
	const struct sch_type *deploy = real_type("apps", "v1", "Deployment"), *node = real_type("", "v1", "Node"),
			      *scale = real_type("autoscaling", "v1", "Scale"), *cm = real_type("", "v1", "ConfigMap");
	if (!real_type("", "v1", "Pod") || !deploy || !node || !scale || !cm) {
		fprintf(stderr, "  skipped: the served schema (server/schema_*.c) has no Pod, Deployment, Node, Scale "
				"or ConfigMap yet\n");
		return 0;
	}
	/* A second kubectl apply: image changed, env B removed. */
	EXPECT_SPT(deploy, deployment,
		   "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},"
		   "'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'},{'name':'sidecar'}],"
		   "'containers':[{'$setElementOrder/env':[{'name':'A'}],'env':[{'$patch':'delete','name':'B'}],"
		   "'image':'nginx:1.26','name':'web'}]}}}}",
		   "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default',"
		   "'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},'spec':{'replicas':1,"
		   "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
		   "'spec':{'containers':[{'name':'web','image':'nginx:1.26','env':[{'name':'A','value':'1'}],"
		   "'ports':[{'containerPort':80,'protocol':'TCP'}],'resources':{}},{'name':'sidecar',"
		   "'image':'busybox'}],'restartPolicy':'Always'}}}}");
	/* kubectl apply switching a volume's source (retainKeys, fields of the inline VolumeSource)
	 * and the deployment strategy (a retainKeys union), and adding a port. */
	EXPECT_SPT(deploy,
		   "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%',"
		   "'maxUnavailable':'25%'}},'template':{'spec':{'containers':[{'name':'web',"
		   "'ports':[{'containerPort':80,'protocol':'TCP'}]}],'volumes':[{'name':'data','emptyDir':{}},"
		   "{'name':'cfg','hostPath':{'path':'/a','type':'Directory'}}]}}}}",
		   "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'},"
		   "'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],"
		   "'containers':[{'$setElementOrder/ports':[{'containerPort':80},{'containerPort':443}],"
		   "'name':'web','ports':[{'containerPort':443,'protocol':'TCP'}]}],"
		   "'$setElementOrder/volumes':[{'name':'data'},{'name':'cfg'}],"
		   "'volumes':[{'$retainKeys':['hostPath','name'],'emptyDir':null,'hostPath':{'path':'/srv'},"
		   "'name':'data'},{'hostPath':{'type':null},'name':'cfg'}]}}}}",
		   "{'spec':{'strategy':{'type':'Recreate'},'template':{'spec':{'containers':[{'name':'web',"
		   "'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443,'protocol':'TCP'}]}],"
		   "'volumes':[{'name':'data','hostPath':{'path':'/srv'}},{'name':'cfg',"
		   "'hostPath':{'path':'/a'}}]}}}}");
	/* kubectl set image deploy/web web=nginx:1.28 */
	EXPECT_SPT(deploy, "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}}}",
		   "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],"
		   "'containers':[{'image':'nginx:1.28','name':'web'}]}}}}",
		   "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.28'}]}}}}");
	/* kubectl rollout restart */
	EXPECT_SPT(deploy, "{'spec':{'template':{'metadata':{'labels':{'app':'web'}}}}}",
		   "{'spec':{'template':{'metadata':{'annotations':"
		   "{'kubectl.kubernetes.io/restartedAt':'2026-01-01T00:00:00Z'}}}}}",
		   "{'spec':{'template':{'metadata':{'labels':{'app':'web'},"
		   "'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-01-01T00:00:00Z'}}}}}");
	/* kubectl cordon */
	EXPECT_SPT(node, "{'metadata':{'name':'n1'},'spec':{'podCIDR':'10.42.0.0/24'}}",
		   "{'spec':{'unschedulable':true}}",
		   "{'metadata':{'name':'n1'},'spec':{'podCIDR':'10.42.0.0/24','unschedulable':true}}");
	/* kubectl edit cm */
	EXPECT_SPT(cm, "{'metadata':{'name':'c'},'data':{'a':'1','b':'2'}}", "{'data':{'a':'edited'}}",
		   "{'metadata':{'name':'c'},'data':{'a':'edited','b':'2'}}");
	/* python: patch_namespaced_deployment_scale(body={'spec': {'replicas': 3}}) */
	EXPECT_SPT(scale,
		   "{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'pyd'},'spec':{'replicas':1},"
		   "'status':{'replicas':1,'selector':'app=pyd'}}", "{'spec':{'replicas':3}}",
		   "{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'pyd'},'spec':{'replicas':3},"
		   "'status':{'replicas':1,'selector':'app=pyd'}}");
	/* python: a dict patch adding a finalizer, and one removing a container port */
	EXPECT_SPT(deploy, "{'metadata':{'finalizers':['a']}}", "{'metadata':{'finalizers':['b']}}",
		   "{'metadata':{'finalizers':['b','a']}}");
	EXPECT_SPT(deploy, deployment,
		   "{'spec':{'template':{'spec':{'containers':[{'name':'web','ports':[{'containerPort':80,"
		   "'$patch':'delete'}]}]}}}}",
		   "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default',"
		   "'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},'spec':{'replicas':1,"
		   "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
		   "'spec':{'containers':[{'name':'web','image':'nginx:1.25','env':[{'name':'A','value':'1'},"
		   "{'name':'B','value':'2'}],'ports':[],'resources':{}},{'name':'sidecar','image':'busybox'}],"
		   "'restartPolicy':'Always'}}}}");
	return 0;
}
