/* Unit tests for server/selector: cases follow upstream's labels/selector_test.go,
 * fields/selector_test.go and metav1 LabelSelectorAsSelector, messages included. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/selector.h"

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

/* Parses s as labels (fields when f) and returns String() or "ERR: message" (caller frees). */
static char *parse_str(const char *s, int f)
{
	struct selector sel;
	struct buf out = BUF_INIT;
	int rc = f ? selector_parse_fields(s, &sel, &out) : selector_parse_labels(s, &sel, &out);
	if (rc < 0) {
		char *m = xasprintf("ERR: %s", buf_str(&out));
		buf_release(&out);
		selector_release(&sel);
		return m;
	}
	selector_string(&sel, &out);
	selector_release(&sel);
	return buf_detach(&out, NULL);
}

#define EXPECT_PARSE(f, in, want) \
	do { \
		char *got_ = parse_str(in, f); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: parse(\"%s\")\n    got  %s\n    want %s\n", __FILE__, __LINE__, in, got_, \
				want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

/* Does selector s (labels, or fields when f) match the labels given as JSON? -1 on parse error. */
static int match(const char *s, const char *labels, int f)
{
	struct selector sel;
	int rc = f ? selector_parse_fields(s, &sel, NULL) : selector_parse_labels(s, &sel, NULL);
	cJSON *l = js(labels);
	if (rc == 0)
		rc = selector_matches(&sel, sel_lookup_json, l);
	else
		rc = -1;
	cJSON_Delete(l);
	selector_release(&sel);
	return rc;
}

TEST_IMPL(selector_parse_good)
{
	/* upstream TestSelectorParse: String() is the input without spaces */
	const char *good[] = { "x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5" };
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		char want[64], *w = want;
		for (const char *p = good[i]; *p; p++)
			if (*p != ' ')
				*w++ = *p;
		*w = '\0';
		EXPECT_PARSE(0, good[i], want);
	}
	EXPECT_PARSE(0, "x==a", "x==a");
	EXPECT_PARSE(0, "x=a,a=x", "a=x,x=a"); /* sorted by key: deterministic */
	EXPECT_PARSE(0, "a=x,x=a", "a=x,x=a");
	EXPECT_PARSE(0, "b=1,a=2,b!=3,a", "a=2,a,b=1,b!=3"); /* stable for equal keys */
	EXPECT_PARSE(0, "notin=in", "notin=in");
	EXPECT_PARSE(0, "in in (in,notin)", "in in (in,notin)");
	return 0;
}

TEST_IMPL(selector_parse_sets)
{
	/* upstream TestSetSelectorParser */
	EXPECT_PARSE(0, "\rx", "x");
	EXPECT_PARSE(0, "this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash");
	EXPECT_PARSE(0, "this-is-another-dns.domain.com/key-with-dash in (so,what)",
		     "this-is-another-dns.domain.com/key-with-dash in (so,what)");
	EXPECT_PARSE(0, "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
		     "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)");
	EXPECT_PARSE(0, "foo  in\t (abc)", "foo in (abc)");
	EXPECT_PARSE(0, "x notin\n (abc)", "x notin (abc)");
	EXPECT_PARSE(0, "x  notin\t\t(abc,def)", "x notin (abc,def)");
	EXPECT_PARSE(0, "x in (def,abc,def)", "x in (abc,def)");
	EXPECT_PARSE(0, "x in (abc,)", "x in (,abc)");
	EXPECT_PARSE(0, "x in ()", "x in ()");
	EXPECT_PARSE(0, "x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()");
	EXPECT_PARSE(0, "x,y in (a)", "x,y in (a)");
	EXPECT_PARSE(0, "x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)");
	EXPECT_PARSE(0, "x notin ( )", "x notin ()");
	EXPECT_PARSE(0, "x notin (, a)", "x notin (,a)");
	EXPECT_PARSE(0, "a ", "a");
	EXPECT_PARSE(0, "a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)");
	EXPECT_PARSE(0, "x in (,,a)", "x in (,a)");
	/* upstream quirk: ",," right before ")" consumes the second comma, then finds ")" */
	EXPECT_PARSE(0, "x in (a,,)", "ERR: unable to parse requirement: found ')', expected: ',', or identifier");
	return 0;
}

TEST_IMPL(selector_parse_errors)
{
	EXPECT_PARSE(0, "x==a==b", "ERR: found '==', expected: ',' or 'end of string'");
	EXPECT_PARSE(0, "!x=a", "ERR: found '=', expected: ',' or 'end of string'");
	EXPECT_PARSE(0, "x<a", "ERR: unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' "
			       "operators, the value must be an integer");
	EXPECT_PARSE(0, "x,,y", "ERR: found ',', expected: identifier after ','");
	EXPECT_PARSE(0, ",x,y", "ERR: found ',', expected: !, identifier, or 'end of string'");
	EXPECT_PARSE(0, "x nott in (y)",
		     "ERR: unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt");
	EXPECT_PARSE(0, "a in (xyz),", "ERR: found '', expected: identifier after ','");
	EXPECT_PARSE(0, "a in (xyz)b notin ()", "ERR: found 'b', expected: ',' or 'end of string'");
	EXPECT_PARSE(0, "a in (xyz abc)", "ERR: unable to parse requirement: found 'abc', expected: ',' or ')'");
	EXPECT_PARSE(0, "a notin(", "ERR: unable to parse requirement: found '', expected: ',', ')' or identifier");
	EXPECT_PARSE(0, "a (", "ERR: unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt");
	EXPECT_PARSE(0, "(", "ERR: found '(', expected: !, identifier, or 'end of string'");
	EXPECT_PARSE(0, "x in (a", "ERR: unable to parse requirement: found '', expected: ',' or ')'");
	EXPECT_PARSE(0, "x in a", "ERR: unable to parse requirement: found 'a' expected: '('");
	EXPECT_PARSE(0, "x in (a=", "ERR: unable to parse requirement: found '=', expected: ',' or ')'");
	EXPECT_PARSE(0, "x in (=", "ERR: unable to parse requirement: found '=', expected: ',', ')' or identifier");
	EXPECT_PARSE(0, "x in (a,=)", "ERR: unable to parse requirement: found '=', expected: ',', or identifier");
	EXPECT_PARSE(0, "x=(", "ERR: unable to parse requirement: found '(', expected: identifier");
	EXPECT_PARSE(0, "!", "ERR: unable to parse requirement: found '', expected: identifier");
	EXPECT_PARSE(0, "x>=1", "ERR: unable to parse requirement: found '=', expected: identifier");
	EXPECT_PARSE(0, "a b", "ERR: unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
	EXPECT_PARSE(0, "x>-1", "ERR: unable to parse requirement: values[0][x]: Invalid value: \"-1\": a valid label "
				"must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
				"start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
				"'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
	return 0;
}

#define VALUE_MSG \
	"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " \
	"start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used " \
	"for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
#define QNAME_MSG \
	"must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " \
	"character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " \
	"'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

TEST_IMPL(selector_parse_validation)
{
	EXPECT_PARSE(0, "app=a@b", "ERR: unable to parse requirement: values[0][app]: Invalid value: \"a@b\": " VALUE_MSG);
	EXPECT_PARSE(0, "x=a||y=b", "ERR: unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " VALUE_MSG);
	EXPECT_PARSE(0, "x>a@",
		     "ERR: unable to parse requirement: [values[0]: Invalid value: \"a@\": for 'Gt', 'Lt' operators, the "
		     "value must be an integer, values[0][x]: Invalid value: \"a@\": " VALUE_MSG "]");
	EXPECT_PARSE(0, "a/b/c=d", "ERR: unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name " QNAME_MSG
				   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
	EXPECT_PARSE(0, "x/", "ERR: unable to parse requirement: <nil>: Invalid value: \"x/\": name part must be "
			      "non-empty; name part " QNAME_MSG);
	EXPECT_PARSE(0, "/x", "ERR: unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be "
			      "non-empty");
	EXPECT_PARSE(0, "Foo.com/bar in (a)",
		     "ERR: unable to parse requirement: <nil>: Invalid value: \"Foo.com/bar\": prefix part a lowercase RFC "
		     "1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
		     "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
		     "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
	char key[80], sel[200], want[400];
	memset(key, 'k', 64);
	key[64] = '\0';
	snprintf(sel, sizeof(sel), "!%s", key);
	snprintf(want, sizeof(want),
		 "ERR: unable to parse requirement: <nil>: Invalid value: \"%s\": name part must be no more than 63 "
		 "characters", key);
	EXPECT_PARSE(0, sel, want);
	snprintf(sel, sizeof(sel), "k=%s", key);
	snprintf(want, sizeof(want), "ERR: unable to parse requirement: values[0][k]: Invalid value: \"%s\": must be no "
				     "more than 63 characters", key);
	EXPECT_PARSE(0, sel, want);
	key[63] = '\0';
	snprintf(sel, sizeof(sel), "%s=%s", key, key);
	snprintf(want, sizeof(want), "%s=%s", key, key);
	EXPECT_PARSE(0, sel, want);
	return 0;
}

TEST_IMPL(selector_match)
{
	/* upstream TestSelectorMatches */
	ASSERT_EQ(match("", "{'x':'y'}", 0), 1);
	ASSERT_EQ(match("x=y", "{'x':'y'}", 0), 1);
	ASSERT_EQ(match("x=y,z=w", "{'x':'y','z':'w'}", 0), 1);
	ASSERT_EQ(match("x!=y,z!=w", "{'x':'z','z':'a'}", 0), 1);
	ASSERT_EQ(match("notin=in", "{'notin':'in'}", 0), 1);
	ASSERT_EQ(match("x", "{'x':'z'}", 0), 1);
	ASSERT_EQ(match("!x", "{'y':'z'}", 0), 1);
	ASSERT_EQ(match("x>1", "{'x':'2'}", 0), 1);
	ASSERT_EQ(match("x<1", "{'x':'0'}", 0), 1);
	ASSERT_EQ(match("x=z", "{}", 0), 0);
	ASSERT_EQ(match("x=y", "{'x':'z'}", 0), 0);
	ASSERT_EQ(match("x=y,z=w", "{'x':'w','z':'w'}", 0), 0);
	ASSERT_EQ(match("x!=y,z!=w", "{'x':'z','z':'w'}", 0), 0);
	ASSERT_EQ(match("x", "{'y':'z'}", 0), 0);
	ASSERT_EQ(match("!x", "{'x':'z'}", 0), 0);
	ASSERT_EQ(match("x>1", "{'x':'0'}", 0), 0);
	ASSERT_EQ(match("x<1", "{'x':'2'}", 0), 0);
	ASSERT_EQ(match("foo=bar,baz=blah", "{'foo':'bar','baz':'blah'}", 0), 1);
	ASSERT_EQ(match("foo=bar,foobar=bar,baz=blah", "{'foo':'bar','baz':'blah'}", 0), 0);
	/* upstream TestRequirementSelectorMatching */
	ASSERT_EQ(match("x in (foo),y notin (alpha)", "{'x':'foo','y':'baz'}", 0), 1);
	ASSERT_EQ(match("x in (foo),y in (alpha)", "{'x':'foo','y':'baz'}", 0), 0);
	ASSERT_EQ(match("x notin (),y", "{'y':''}", 0), 1);
	ASSERT_EQ(match("!x,y", "{'y':''}", 0), 1);
	ASSERT_EQ(match("x notin (),!y", "{'y':''}", 0), 0);
	ASSERT_EQ(match("x in ()", "{'y':'baz'}", 0), 0);
	ASSERT_EQ(match("z>1", "{'z':'2'}", 0), 1);
	ASSERT_EQ(match("z>1", "{'z':'v2'}", 0), 0);
	/* empty values, absent keys */
	ASSERT_EQ(match("x=", "{'x':''}", 0), 1);
	ASSERT_EQ(match("x=", "{}", 0), 0);
	ASSERT_EQ(match("x!=", "{}", 0), 1);
	ASSERT_EQ(match("x!=", "{'x':''}", 0), 0);
	ASSERT_EQ(match("x in (a,)", "{'x':''}", 0), 1);
	ASSERT_EQ(match("x<0", "{'x':'-1'}", 0), 1);
	ASSERT_EQ(match("x>0", "{'x':'99999999999999999999'}", 0), 0);
	ASSERT_EQ(match("x=y z", "{}", 0), -1);
	return 0;
}

TEST_IMPL(selector_required_value)
{
	struct selector s;
	ASSERT_EQ(selector_parse_labels("b=x,a=y", &s, NULL), 0);
	ASSERT_STR(selector_required_value(&s, "a"), "y");
	ASSERT(!selector_required_value(&s, "c"));
	selector_release(&s);
	ASSERT_EQ(selector_parse_labels("a in (v)", &s, NULL), 0);
	ASSERT_STR(selector_required_value(&s, "a"), "v");
	selector_release(&s);
	ASSERT_EQ(selector_parse_labels("a in (v,w)", &s, NULL), 0);
	ASSERT(!selector_required_value(&s, "a"));
	selector_release(&s);
	/* labels: only the first requirement on the key counts */
	ASSERT_EQ(selector_parse_labels("a!=x,a=y", &s, NULL), 0);
	ASSERT(!selector_required_value(&s, "a"));
	selector_release(&s);
	ASSERT_EQ(selector_parse_labels("a==x", &s, NULL), 0);
	ASSERT_STR(selector_required_value(&s, "a"), "x");
	selector_release(&s);
	/* fields: any equality term */
	ASSERT_EQ(selector_parse_fields("metadata.name!=a,metadata.name=b", &s, NULL), 0);
	ASSERT_STR(selector_required_value(&s, "metadata.name"), "b");
	selector_release(&s);
	return 0;
}

TEST_IMPL(selector_fields)
{
	EXPECT_PARSE(1, "", "");
	EXPECT_PARSE(1, "metadata.name=foo", "metadata.name=foo");
	EXPECT_PARSE(1, "a==b", "a=b");
	EXPECT_PARSE(1, "b=1,a!=2", "a!=2,b=1");
	EXPECT_PARSE(1, "x=a,y=b,z=c", "x=a,y=b,z=c");
	EXPECT_PARSE(1, "a=", "a=");
	EXPECT_PARSE(1, "=", "");
	EXPECT_PARSE(1, ",,", "");
	EXPECT_PARSE(1, "a!b=c", "a!b=c");
	EXPECT_PARSE(1, "a=b\\,c", "a=b\\,c");
	EXPECT_PARSE(1, "a=b\\=c\\\\d", "a=b\\=c\\\\d");
	EXPECT_PARSE(1, "a=b=c", "ERR: invalid field selector: unescaped character in value: 61");
	EXPECT_PARSE(1, "a!=b,c", "ERR: invalid selector: 'a!=b,c'; can't understand 'c'");
	EXPECT_PARSE(1, "abc", "ERR: invalid selector: 'abc'; can't understand 'abc'");
	EXPECT_PARSE(1, "a=b\\x", "ERR: invalid field selector: invalid escape sequence: \\x");
	EXPECT_PARSE(1, "a=b\\", "ERR: invalid field selector: invalid escape sequence: \\");
	EXPECT_PARSE(1, "a=b\\\xc3\xa9", "ERR: invalid field selector: invalid escape sequence: \\\xc3\xa9");

	struct selector s;
	ASSERT_EQ(selector_parse_fields("a=b\\,c\\=d\\\\,e!=", &s, NULL), 0);
	ASSERT_EQ(s.nreqs, 2);
	ASSERT_STR(s.reqs[0].key, "a");
	ASSERT_STR(s.reqs[0].values[0], "b,c=d\\");
	ASSERT_EQ(s.reqs[1].op, SEL_NEQ);
	ASSERT_STR(s.reqs[1].values[0], "");
	selector_release(&s);

	/* an absent field reads as "" */
	ASSERT_EQ(match("spec.nodeName=", "{}", 1), 1);
	ASSERT_EQ(match("spec.nodeName!=", "{}", 1), 0);
	ASSERT_EQ(match("spec.nodeName!=n1", "{}", 1), 1);
	ASSERT_EQ(match("status.phase=Running,metadata.name!=x", "{'status.phase':'Running','metadata.name':'y'}", 1), 1);
	ASSERT_EQ(match("status.phase=Running", "{'status.phase':'Pending'}", 1), 0);
	return 0;
}

/* selector_from_json(json) as String() or "ERR: message"; "NOTHING" for a nothing selector. */
static char *from_json_str(const char *json)
{
	struct selector sel;
	struct buf out = BUF_INIT;
	cJSON *j = json ? js(json) : NULL;
	if (selector_from_json(j, &sel, &out) < 0) {
		char *m = xasprintf("ERR: %s", buf_str(&out));
		buf_release(&out);
		cJSON_Delete(j);
		return m;
	}
	if (sel.nothing)
		buf_adds(&out, "NOTHING");
	selector_string(&sel, &out);
	selector_release(&sel);
	cJSON_Delete(j);
	return buf_detach(&out, NULL);
}

#define EXPECT_JSON(in, want) \
	do { \
		char *got_ = from_json_str(in); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: from_json\n    got  %s\n    want %s\n", __FILE__, __LINE__, got_, \
				want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

TEST_IMPL(selector_from_json)
{
	EXPECT_JSON(NULL, "NOTHING");
	EXPECT_JSON("null", "NOTHING");
	EXPECT_JSON("{}", "");
	EXPECT_JSON("{'matchLabels':{}}", "");
	EXPECT_JSON("{'matchLabels':{'tier':'fe','app':'web'}}", "app=web,tier=fe");
	EXPECT_JSON("{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'env','operator':'In','values':['prod','dev']},"
		    "{'key':'beta','operator':'Exists'},{'key':'zone','operator':'DoesNotExist'},"
		    "{'key':'app','operator':'NotIn','values':['db']}]}",
		    "app=web,app notin (db),beta,env in (dev,prod),!zone");
	EXPECT_JSON("{'matchExpressions':[{'key':'a','operator':'Foo'}]}", "ERR: \"Foo\" is not a valid label selector operator");
	EXPECT_JSON("{'matchExpressions':[{'key':'a','operator':'in','values':['x']}]}",
		    "ERR: \"in\" is not a valid label selector operator");
	EXPECT_JSON("{'matchExpressions':[{'key':'a','operator':'In'}]}",
		    "ERR: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
	EXPECT_JSON("{'matchExpressions':[{'key':'a','operator':'NotIn','values':[]}]}",
		    "ERR: values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
	EXPECT_JSON("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}",
		    "ERR: values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
	EXPECT_JSON("{'matchExpressions':[{'key':'a b','operator':'Exists'}]}",
		    "ERR: key: Invalid value: \"a b\": name part " QNAME_MSG);
	EXPECT_JSON("{'matchLabels':{'app':'a b'}}", "ERR: values[0][app]: Invalid value: \"a b\": " VALUE_MSG);
	EXPECT_JSON("{'matchLabels':{'a b':'c d'}}", "ERR: [key: Invalid value: \"a b\": name part " QNAME_MSG
						     ", values[0][a b]: Invalid value: \"c d\": " VALUE_MSG "]");
	EXPECT_JSON("{'matchLabels':{'app':1}}",
		    "ERR: json: cannot unmarshal number into Go struct field LabelSelector.matchLabels of type string");
	EXPECT_JSON("{'matchExpressions':{}}", "ERR: json: cannot unmarshal object into Go struct field "
					       "LabelSelector.matchExpressions of type []v1.LabelSelectorRequirement");
	EXPECT_JSON("{'matchExpressions':[{'key':1}]}", "ERR: json: cannot unmarshal number into Go struct field "
							"LabelSelectorRequirement.matchExpressions.key of type string");

	struct selector s;
	cJSON *j = js("{'matchExpressions':[{'key':'env','operator':'In','values':['prod']}]}");
	cJSON *l = js("{'env':'prod'}");
	ASSERT_EQ(selector_from_json(j, &s, NULL), 0);
	ASSERT_EQ(selector_matches(&s, sel_lookup_json, l), 1);
	ASSERT_STR(selector_required_value(&s, "env"), "prod");
	selector_release(&s);
	ASSERT_EQ(selector_from_json(NULL, &s, NULL), 0);
	ASSERT_EQ(selector_matches(&s, sel_lookup_json, l), 0);
	selector_release(&s);
	cJSON_Delete(j);
	cJSON_Delete(l);
	return 0;
}
