/* Unit tests for server/validate: upstream's messages (v1.33 apimachinery validation, field
 * errors and their aggregate rendering) and ValidateObjectMeta for create and update. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/validate.h"

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

#define LABEL_MSG \
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " \
	"end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
#define SUBDOMAIN_MSG \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " \
	"start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define DNS1035_MSG \
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic " \
	"character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for " \
	"validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
#define QNAME_MSG \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " \
	"character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " \
	"'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
#define VALUE_MSG \
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " \
	"start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used " \
	"for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

typedef int validate_fn(const char *s, struct buf *why);

/* Runs fn; returns "" when valid, else the joined messages (caller frees). */
static char *why(validate_fn *fn, const char *s)
{
	struct buf b = BUF_INIT;
	int rc = fn(s, &b);
	if (rc == 0 && b.len)
		buf_adds(&b, " (BUT VALID)");
	return buf_detach(&b, NULL);
}

#define EXPECT_WHY(fn, s, want) \
	do { \
		char *got_ = why(fn, s); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: %s(\"%s\")\n    got  %s\n    want %s\n", __FILE__, __LINE__, #fn, s, got_, \
				want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

static char *repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

TEST_IMPL(validate_dns_names)
{
	char *a63 = repeat('a', 63), *a64 = repeat('a', 64), *a254 = repeat('a', 254);
	EXPECT_WHY(validate_dns1123_label, "a", "");
	EXPECT_WHY(validate_dns1123_label, "abc-123", "");
	EXPECT_WHY(validate_dns1123_label, "0", "");
	EXPECT_WHY(validate_dns1123_label, a63, "");
	EXPECT_WHY(validate_dns1123_label, "", LABEL_MSG);
	EXPECT_WHY(validate_dns1123_label, "Abc", LABEL_MSG);
	EXPECT_WHY(validate_dns1123_label, "a-", LABEL_MSG);
	EXPECT_WHY(validate_dns1123_label, "a_b", LABEL_MSG);
	EXPECT_WHY(validate_dns1123_label, "a.b", "must not contain dots");
	EXPECT_WHY(validate_dns1123_label, a64, "must be no more than 63 characters");
	EXPECT_WHY(validate_dns1123_subdomain, "example.com", "");
	EXPECT_WHY(validate_dns1123_subdomain, "a.b-c.d", "");
	EXPECT_WHY(validate_dns1123_subdomain, "Foo", SUBDOMAIN_MSG);
	EXPECT_WHY(validate_dns1123_subdomain, "a..b", SUBDOMAIN_MSG);
	EXPECT_WHY(validate_dns1123_subdomain, ".a", SUBDOMAIN_MSG);
	EXPECT_WHY(validate_dns1123_subdomain, "a.", SUBDOMAIN_MSG);
	EXPECT_WHY(validate_dns1123_subdomain, a254, "must be no more than 253 characters");
	a254[10] = '_';
	EXPECT_WHY(validate_dns1123_subdomain, a254, "must be no more than 253 characters; " SUBDOMAIN_MSG);
	EXPECT_WHY(validate_dns1035_label, "abc-1", "");
	EXPECT_WHY(validate_dns1035_label, "1abc", DNS1035_MSG);
	EXPECT_WHY(validate_dns1035_label, "a.b", DNS1035_MSG);
	free(a63);
	free(a64);
	free(a254);
	return 0;
}

TEST_IMPL(validate_label_keys_values)
{
	char *a63 = repeat('a', 63), *a64 = repeat('a', 64);
	EXPECT_WHY(validate_qualified_name, "MyName", "");
	EXPECT_WHY(validate_qualified_name, "my.name", "");
	EXPECT_WHY(validate_qualified_name, "123-abc", "");
	EXPECT_WHY(validate_qualified_name, "example.com/MyName", "");
	EXPECT_WHY(validate_qualified_name, "kubernetes.io/pv-protection", "");
	EXPECT_WHY(validate_qualified_name, a63, "");
	EXPECT_WHY(validate_qualified_name, a64, "name part must be no more than 63 characters");
	EXPECT_WHY(validate_qualified_name, "", "name part must be non-empty; name part " QNAME_MSG);
	EXPECT_WHY(validate_qualified_name, "a b", "name part " QNAME_MSG);
	EXPECT_WHY(validate_qualified_name, "-a", "name part " QNAME_MSG);
	EXPECT_WHY(validate_qualified_name, "/a", "prefix part must be non-empty");
	EXPECT_WHY(validate_qualified_name, "a/", "name part must be non-empty; name part " QNAME_MSG);
	EXPECT_WHY(validate_qualified_name, "Ex.com/a", "prefix part " SUBDOMAIN_MSG);
	EXPECT_WHY(validate_qualified_name, "a/b/c", "a qualified name " QNAME_MSG
						      " with an optional DNS subdomain prefix and '/' (e.g. "
						      "'example.com/MyName')");
	EXPECT_WHY(validate_label_value, "", "");
	EXPECT_WHY(validate_label_value, "MyValue", "");
	EXPECT_WHY(validate_label_value, "my_value", "");
	EXPECT_WHY(validate_label_value, "1.2.3", "");
	EXPECT_WHY(validate_label_value, a63, "");
	EXPECT_WHY(validate_label_value, a64, "must be no more than 63 characters");
	EXPECT_WHY(validate_label_value, "a b", VALUE_MSG);
	EXPECT_WHY(validate_label_value, "_a", VALUE_MSG);
	EXPECT_WHY(validate_path_segment, "a:b", "");
	EXPECT_WHY(validate_path_segment, ".", "may not be '.'");
	EXPECT_WHY(validate_path_segment, "..", "may not be '..'");
	EXPECT_WHY(validate_path_segment, "a/b%c", "may not contain '/'; may not contain '%'");
	free(a63);
	free(a64);
	return 0;
}

TEST_IMPL(validate_quote)
{
	struct buf b = BUF_INIT;
	field_quote(&b, "a\"b\\c\n\t\x01\x7f");
	ASSERT_STR(buf_str(&b), "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\"");
	buf_reset(&b);
	field_quote(&b, "\xc3\xa9\xff\xc2\xa0\xe2\x80\x8b\xf0\x9f\x98\x80\xed\xa0\x80");
	ASSERT_STR(buf_str(&b), "\"\xc3\xa9\\xff\\u00a0\\u200b\xf0\x9f\x98\x80\\xed\\xa0\\x80\"");
	buf_reset(&b);
	field_quote(&b, "\a\b\f\r\v");
	ASSERT_STR(buf_str(&b), "\"\\a\\b\\f\\r\\v\"");
	buf_release(&b);
	return 0;
}

/* The body of a single error made with field_errors_add(bad). */
static char *body_of(enum field_err_type t, const char *bad_json, const char *detail)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	struct buf b = BUF_INIT;
	cJSON *bad = bad_json ? js(bad_json) : NULL;
	field_errors_add(&e, t, "f", bad, detail ? "%s" : NULL, detail);
	field_error_body(&e.v[0], &b);
	field_errors_release(&e);
	cJSON_Delete(bad);
	return buf_detach(&b, NULL);
}

#define EXPECT_BODY(t, bad, detail, want) \
	do { \
		char *got_ = body_of(t, bad, detail); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d:\n    got  %s\n    want %s\n", __FILE__, __LINE__, got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

TEST_IMPL(validate_field_errors)
{
	EXPECT_BODY(FE_INVALID, "'Foo'", "bad", "Invalid value: \"Foo\": bad");
	EXPECT_BODY(FE_INVALID, "5", "bad", "Invalid value: 5: bad");
	EXPECT_BODY(FE_INVALID, "-3", NULL, "Invalid value: -3");
	EXPECT_BODY(FE_INVALID, "1.5", "x", "Invalid value: 1.5: x");
	EXPECT_BODY(FE_INVALID, "0.00001", "x", "Invalid value: 1e-05: x");
	EXPECT_BODY(FE_INVALID, "0.0001", "x", "Invalid value: 0.0001: x");
	EXPECT_BODY(FE_INVALID, "1234567.5", "x", "Invalid value: 1.2345675e+06: x");
	EXPECT_BODY(FE_INVALID, "123456.5", "x", "Invalid value: 123456.5: x");
	EXPECT_BODY(FE_INVALID, "1e300", "x", "Invalid value: 1e+300: x");
	EXPECT_BODY(FE_INVALID, "true", "x", "Invalid value: true: x");
	/* v1.33 renders a nil value as the string "null" and composites with %#v */
	EXPECT_BODY(FE_INVALID, "null", "x", "Invalid value: \"null\": x");
	EXPECT_BODY(FE_INVALID, "['a','b']", "x", "Invalid value: []string{\"a\", \"b\"}: x");
	EXPECT_BODY(FE_INVALID, "[]", "x", "Invalid value: []string{}: x");
	EXPECT_BODY(FE_INVALID, "{'z':'1','a':'2'}", "x", "Invalid value: map[string]string{\"a\":\"2\", \"z\":\"1\"}: x");
	EXPECT_BODY(FE_INVALID, "[1,{'a':true}]", "x", "Invalid value: [1,{\"a\":true}]: x");
	EXPECT_BODY(FE_INVALID, NULL, "x", "Invalid value: x");
	EXPECT_BODY(FE_REQUIRED, "''", NULL, "Required value");
	EXPECT_BODY(FE_REQUIRED, NULL, "name or generateName is required", "Required value: name or generateName is required");
	EXPECT_BODY(FE_FORBIDDEN, "'x'", "not allowed on this type", "Forbidden: not allowed on this type");
	EXPECT_BODY(FE_TOO_LONG, "'x'", "may not be more than 5 bytes", "Too long: may not be more than 5 bytes");
	EXPECT_BODY(FE_NOT_SUPPORTED, "'x'", "supported values: \"a\", \"b\"",
		    "Unsupported value: \"x\": supported values: \"a\", \"b\"");
	EXPECT_BODY(FE_DUPLICATE, "'x'", NULL, "Duplicate value: \"x\"");
	EXPECT_BODY(FE_NOT_FOUND, "'x'", NULL, "Not found: \"x\"");
	EXPECT_BODY(FE_TOO_MANY, "3", "must have at most 2 items", "Too many: 3: must have at most 2 items");
	EXPECT_BODY(FE_INTERNAL, NULL, "boom", "Internal error: boom");
	ASSERT_STR(field_error_reason(FE_INVALID), "FieldValueInvalid");
	ASSERT_STR(field_error_reason(FE_REQUIRED), "FieldValueRequired");
	ASSERT_STR(field_error_reason(FE_INTERNAL), "InternalError");

	struct field_errors e = FIELD_ERRORS_INIT;
	struct buf b = BUF_INIT;
	field_errors_summary(&e, &b);
	ASSERT_STR(buf_str(&b), "");
	field_errors_add_str(&e, FE_INVALID, "metadata.name", "Foo", "bad");
	field_errors_summary(&e, &b);
	ASSERT_STR(buf_str(&b), "metadata.name: Invalid value: \"Foo\": bad");
	field_errors_add(&e, FE_REQUIRED, "spec.containers[0].image", NULL, NULL);
	field_errors_add_str(&e, FE_INVALID, "metadata.name", "Foo", "bad");
	buf_reset(&b);
	field_errors_summary(&e, &b);
	ASSERT_STR(buf_str(&b), "[metadata.name: Invalid value: \"Foo\": bad, spec.containers[0].image: Required value]");
	field_errors_release(&e);
	buf_release(&b);
	return 0;
}

/* validate_object_meta(meta, old) as the aggregate summary (caller frees). */
static char *meta_errs(const char *meta, const char *old, int namespaced, enum name_rule rule)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	struct buf b = BUF_INIT;
	cJSON *m = js(meta), *o = old ? js(old) : NULL;
	validate_object_meta(m, o, namespaced, rule, &e);
	field_errors_summary(&e, &b);
	field_errors_release(&e);
	cJSON_Delete(m);
	cJSON_Delete(o);
	return buf_detach(&b, NULL);
}

#define EXPECT_META(meta, old, ns, rule, want) \
	do { \
		char *got_ = meta_errs(meta, old, ns, rule); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: %s\n    got  %s\n    want %s\n", __FILE__, __LINE__, meta, got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

TEST_IMPL(validate_meta_names)
{
	EXPECT_META("{'name':'web-1','namespace':'default'}", NULL, 1, NAME_DNS1123_SUBDOMAIN, "");
	EXPECT_META("{'name':'Foo','namespace':'default'}", NULL, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.name: Invalid value: \"Foo\": " SUBDOMAIN_MSG);
	EXPECT_META("{'namespace':'default'}", NULL, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.name: Required value: name or generateName is required");
	EXPECT_META("{'generateName':'web-','namespace':'default'}", NULL, 1, NAME_DNS1123_SUBDOMAIN, "");
	EXPECT_META("{'generateName':'web-','name':'web-x7k2p','namespace':'default'}", NULL, 1, NAME_DNS1123_SUBDOMAIN,
		    "");
	EXPECT_META("{'generateName':'Web-','name':'web-x','namespace':'d'}", NULL, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.generateName: Invalid value: \"Web-\": " SUBDOMAIN_MSG);
	EXPECT_META("{'name':'a.b'}", NULL, 0, NAME_DNS1123_LABEL,
		    "metadata.name: Invalid value: \"a.b\": must not contain dots");
	EXPECT_META("{'name':'1svc','namespace':'d'}", NULL, 1, NAME_DNS1035_LABEL,
		    "metadata.name: Invalid value: \"1svc\": " DNS1035_MSG);
	EXPECT_META("{'name':'system:node:x'}", NULL, 0, NAME_PATH_SEGMENT, "");
	EXPECT_META("{'name':'a/b%'}", NULL, 0, NAME_PATH_SEGMENT,
		    "[metadata.name: Invalid value: \"a/b%\": may not contain '/', metadata.name: Invalid value: \"a/b%\": "
		    "may not contain '%']");
	EXPECT_META("{'name':'..'}", NULL, 0, NAME_PATH_SEGMENT, "metadata.name: Invalid value: \"..\": may not be '..'");
	EXPECT_META("{'name':'x','namespace':'d'}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.namespace: Forbidden: not allowed on this type");
	EXPECT_META("{'name':'x'}", NULL, 1, NAME_DNS1123_SUBDOMAIN, "metadata.namespace: Required value");
	EXPECT_META("{'name':'x','namespace':'Bad_NS'}", NULL, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.namespace: Invalid value: \"Bad_NS\": " LABEL_MSG);
	EXPECT_META("{'name':'x','generation':-1}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.generation: Invalid value: -1: must be greater than or equal to 0");
	EXPECT_META("{'name':5}", NULL, 0, NAME_DNS1123_SUBDOMAIN, "metadata.name: Invalid value: 5: must be a string");
	return 0;
}

TEST_IMPL(validate_meta_labels_annotations)
{
	EXPECT_META("{'name':'x','labels':{'app':'web','example.com/tier':'','k':'a b','a b':'v'}}", NULL, 0,
		    NAME_DNS1123_SUBDOMAIN,
		    "[metadata.labels: Invalid value: \"a b\": " VALUE_MSG ", metadata.labels: Invalid value: \"a b\": "
		    "name part " QNAME_MSG "]");
	EXPECT_META("{'name':'x','annotations':{'Example.COM/Key':'v','a b':'c d'}}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.annotations: Invalid value: \"a b\": name part " QNAME_MSG);
	EXPECT_META("{'name':'x','labels':{'a':1}}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.labels: Invalid value: 1: must be a string");

	/* annotations: 256 KiB of keys and values in total */
	struct buf m = BUF_INIT;
	buf_adds(&m, "{'name':'x','annotations':{'k':'");
	for (int i = 0; i < 256 * 1024 - 1; i++)
		buf_addch(&m, 'v');
	buf_adds(&m, "'}}");
	EXPECT_META(m.data, NULL, 0, NAME_DNS1123_SUBDOMAIN, "");
	buf_truncate(&m, m.len - 3);
	buf_adds(&m, "v'}}");
	EXPECT_META(m.data, NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.annotations: Too long: may not be more than 262144 bytes");
	buf_release(&m);
	return 0;
}

TEST_IMPL(validate_meta_owners_finalizers)
{
	EXPECT_META("{'name':'x','ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'rs','uid':'u1',"
		    "'controller':true}]}",
		    NULL, 0, NAME_DNS1123_SUBDOMAIN, "");
	EXPECT_META("{'name':'x','ownerReferences':[{}]}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "[metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty, "
		    "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty, "
		    "metadata.ownerReferences.name: Invalid value: \"\": must not be empty, "
		    "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty]");
	EXPECT_META("{'name':'x','ownerReferences':[{'apiVersion':'apps/','kind':'K','name':'n','uid':'u'}]}", NULL, 0,
		    NAME_DNS1123_SUBDOMAIN,
		    "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty");
	EXPECT_META("{'name':'x','ownerReferences':[{'apiVersion':'v1','kind':'Event','name':'e','uid':'u'}]}", NULL, 0,
		    NAME_DNS1123_SUBDOMAIN,
		    "metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:\"v1\", Kind:\"Event\", "
		    "Name:\"e\", UID:\"u\", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is "
		    "disallowed from being an owner");
	EXPECT_META("{'name':'x','ownerReferences':[{'apiVersion':'v1','kind':'A','name':'a','uid':'1','controller':true},"
		    "{'apiVersion':'v1','kind':'B','name':'b','uid':'2','controller':true}]}",
		    NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.ownerReferences: Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:\"v1\", "
		    "Kind:\"A\", Name:\"a\", UID:\"1\", Controller:(*bool)(true), BlockOwnerDeletion:(*bool)(nil)}, "
		    "v1.OwnerReference{APIVersion:\"v1\", Kind:\"B\", Name:\"b\", UID:\"2\", Controller:(*bool)(true), "
		    "BlockOwnerDeletion:(*bool)(nil)}}: Only one reference can have Controller set to true. Found \"true\" "
		    "in references for A/a and B/b");
	EXPECT_META("{'name':'x','finalizers':['kubernetes','example.com/f','orphan']}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "");
	EXPECT_META("{'name':'x','finalizers':['foo']}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.finalizers[0]: Invalid value: \"foo\": name is neither a standard finalizer name nor is it "
		    "fully qualified");
	EXPECT_META("{'name':'x','finalizers':['orphan','foregroundDeletion']}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and "
		    "foregroundDeletion cannot be both set");
	EXPECT_META("{'name':'x','finalizers':['a b/c']}", NULL, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.finalizers: Invalid value: \"a b/c\": prefix part " SUBDOMAIN_MSG);
	return 0;
}

TEST_IMPL(validate_meta_update)
{
	const char *old = "{'name':'x','namespace':'d','uid':'u1','creationTimestamp':'2024-01-01T00:00:00Z'}";
	EXPECT_META("{'name':'x','namespace':'d'}", old, 1, NAME_DNS1123_SUBDOMAIN, "");
	EXPECT_META("{'name':'x','namespace':'d','uid':'u1','creationTimestamp':'2024-01-01T01:00:00+01:00'}", old, 1,
		    NAME_DNS1123_SUBDOMAIN, "");
	EXPECT_META("{'name':'y','namespace':'d'}", old, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.name: Invalid value: \"y\": field is immutable");
	EXPECT_META("{'name':'x','namespace':'e'}", old, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.namespace: Invalid value: \"e\": field is immutable");
	EXPECT_META("{'name':'x','namespace':'d','uid':'u2'}", old, 1, NAME_DNS1123_SUBDOMAIN,
		    "metadata.uid: Invalid value: \"u2\": field is immutable");
	EXPECT_META("{'name':'x','namespace':'d','creationTimestamp':'2025-01-01T00:00:00Z'}", old, 1,
		    NAME_DNS1123_SUBDOMAIN, "metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field "
					    "is immutable");
	const char *deleting = "{'name':'x','deletionTimestamp':'2024-01-01T00:00:00Z','deletionGracePeriodSeconds':30,"
			       "'finalizers':['a.io/f']}";
	EXPECT_META("{'name':'x','deletionTimestamp':'2024-01-01T00:00:00Z','finalizers':[]}", deleting, 0,
		    NAME_DNS1123_SUBDOMAIN, "");
	EXPECT_META("{'name':'x'}", deleting, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.deletionTimestamp: Invalid value: \"null\": field is immutable");
	EXPECT_META("{'name':'x','deletionTimestamp':'2024-01-01T00:00:00Z','deletionGracePeriodSeconds':0}", deleting, 0,
		    NAME_DNS1123_SUBDOMAIN, "metadata.deletionGracePeriodSeconds: Invalid value: 0: field is immutable");
	EXPECT_META("{'name':'x','deletionTimestamp':'2024-01-01T00:00:00Z','finalizers':['a.io/f','b.io/g','a.io/c',"
		    "'b.io/g']}",
		    deleting, 0, NAME_DNS1123_SUBDOMAIN,
		    "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found "
		    "new finalizers []string{\"a.io/c\", \"b.io/g\"}");
	return 0;
}
