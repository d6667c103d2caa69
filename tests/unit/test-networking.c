/* Unit tests for the networking kinds (server/networking.c, server/validate_networking.c:
 * defaulting, the v1beta1 Ingress conversions, validation messages, table rows) and the
 * policy/batch v1beta1 views (server/versions.c: the PDB selector meanings). */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/internal.h"
#include "server/networking.h"

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

/* The compact JSON of fn applied to obj, with ' for " (caller frees). */
static char *after(void (*fn)(cJSON *), const char *obj)
{
	cJSON *o = js(obj);
	fn(o);
	char *s = json_print_str(o);
	for (char *p = s; *p; p++)
		if (*p == '"')
			*p = '\'';
	cJSON_Delete(o);
	return s;
}

#define CONVERTS(fn, in, want) \
	do { \
		char *got_ = after(fn, in); \
		int ok_ = !strcmp(got_, want); \
		if (!ok_) \
			fprintf(stderr, "  got:  %s\n  want: %s\n", got_, want); \
		free(got_); \
		ASSERT(ok_); \
	} while (0)

typedef void validate_fn(const cJSON *obj, const cJSON *old, struct field_errors *errs);

static char *run(validate_fn *fn, const char *obj)
{
	struct field_errors e = FIELD_ERRORS_INIT;
	struct buf b = BUF_INIT;
	cJSON *o = js(obj);
	fn(o, NULL, &e);
	field_errors_summary(&e, &b);
	field_errors_release(&e);
	cJSON_Delete(o);
	return buf_detach(&b, NULL);
}

#define CHECK(fn, obj, want) \
	do { \
		char *got_ = run(fn, obj); \
		int ok_ = !strcmp(got_, want); \
		if (!ok_) \
			fprintf(stderr, "  got:  %s\n  want: %s\n", got_, want); \
		free(got_); \
		ASSERT(ok_); \
	} while (0)

TEST_IMPL(networking_ingress_conversion)
{
	CONVERTS(ingress_v1beta1_to_v1,
		 "{'spec':{'backend':{'serviceName':'a','servicePort':80},'rules':[{'http':{'paths':[{'path':'/',"
		 "'backend':{'serviceName':'b','servicePort':'http'}},{'backend':{'resource':{'kind':'K','name':'n'}}}]}}]}}",
		 "{'spec':{'rules':[{'http':{'paths':[{'path':'/','backend':{'service':{'name':'b','port':{'name':'http'}}}},"
		 "{'backend':{'resource':{'kind':'K','name':'n'}}}]}}],'defaultBackend':{'service':{'name':'a','port':"
		 "{'number':80}}}},'apiVersion':'networking.k8s.io/v1'}");
	CONVERTS(ingress_v1_to_v1beta1,
		 "{'spec':{'defaultBackend':{'service':{'name':'a','port':{'number':80}}},'rules':[{'http':{'paths':["
		 "{'backend':{'service':{'name':'b','port':{'name':'http'}}}}]}}]}}",
		 "{'spec':{'rules':[{'http':{'paths':[{'backend':{'serviceName':'b','servicePort':'http'}}]}}],"
		 "'backend':{'serviceName':'a','servicePort':80}}}");
	/* garbage in either direction is carried, never a crash */
	CONVERTS(ingress_v1beta1_to_v1, "{'spec':{'backend':'x','rules':5}}",
		 "{'spec':{'rules':5,'defaultBackend':'x'},'apiVersion':'networking.k8s.io/v1'}");
	CONVERTS(ingress_v1_to_v1beta1, "{'spec':'x'}", "{'spec':'x'}");
	return 0;
}

TEST_IMPL(networking_defaults)
{
	CONVERTS(defaults_networkpolicy, "{'spec':{'egress':[{'ports':[{'port':53}]}]}}",
		 "{'spec':{'egress':[{'ports':[{'port':53,'protocol':'TCP'}]}],'podSelector':{},"
		 "'policyTypes':['Ingress','Egress']}}");
	CONVERTS(defaults_networkpolicy, "{'spec':{'podSelector':{},'policyTypes':['Egress']}}",
		 "{'spec':{'podSelector':{},'policyTypes':['Egress']}}");
	CONVERTS(defaults_ingressclass, "{'spec':{'parameters':{'kind':'K','name':'n'}}}",
		 "{'spec':{'parameters':{'kind':'K','name':'n','scope':'Cluster'}}}");
	CONVERTS(defaults_ingress_v1beta1, "{'spec':{'rules':[{'http':{'paths':[{'path':'/'}]}}]}}",
		 "{'spec':{'rules':[{'http':{'paths':[{'path':'/','pathType':'ImplementationSpecific'}]}}]}}");
	return 0;
}

TEST_IMPL(networking_validate_ingress)
{
	const char *svc = "'backend':{'service':{'name':'web','port':{'number':80}}}";
	char ok[512];
	snprintf(ok, sizeof(ok), "{'spec':{'rules':[{'host':'*.example.com','http':{'paths':[{'path':'/',"
				 "'pathType':'Prefix',%s}]}}]}}", svc);
	CHECK(validate_ingress, ok, "");
	CHECK(validate_ingress, "{'spec':{}}",
	      "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified");
	CHECK(validate_ingress,
	      "{'spec':{'defaultBackend':{'service':{'name':'Web','port':{'name':'http','number':80}}}}}",
	      "[spec.defaultBackend.service.name: Invalid value: \"Web\": a DNS-1035 label must consist of lower case "
	      "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric "
	      "character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), "
	      "spec.defaultBackend: Invalid value: \"\": cannot set both port name & port number]");
	CHECK(validate_ingress,
	      "{'spec':{'rules':[{'http':{'paths':[{'path':'/a//b','pathType':'Exact','backend':{}},"
	      "{'path':'/x','pathType':'Regex','backend':{'resource':{'kind':'K','name':'n'},'service':{}}}]}}]}}",
	      "[spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//', "
	      "spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required, "
	      "spec.rules[0].http.paths[1].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", "
	      "\"ImplementationSpecific\", \"Prefix\", "
	      "spec.rules[0].http.paths[1].backend: Invalid value: \"\": cannot set both resource and service backends]");
	CHECK(validate_ingress_v1beta1, "{'spec':{'backend':{'serviceName':'web'}}}",
	      "spec.defaultBackend: Required value: port name or number is required");
	return 0;
}

TEST_IMPL(networking_validate_class_and_policy)
{
	CHECK(validate_ingressclass, "{'spec':{'controller':'example.com/ingress'}}", "");
	CHECK(validate_ingressclass, "{'spec':{'controller':'nginx','parameters':{'kind':'K','scope':'Namespace'}}}",
	      "[spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\"), "
	      "spec.parameters.name: Required value, "
	      "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace']");
	CHECK(validate_networkpolicy,
	      "{'spec':{'podSelector':{},'ingress':[{'ports':[{'protocol':'ICMP','port':80,'endPort':70}],"
	      "'from':[{'ipBlock':{'cidr':'10.0.0.0/8'},'podSelector':{}}]}],'egress':[{'to':[{'ipBlock':{}}]}],"
	      "'policyTypes':['Ingress','Egress','Ingress']}}",
	      "[spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", "
	      "\"UDP\", spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`, "
	      "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer, "
	      "spec.egress[0].to[0].ipBlock.cidr: Required value, spec.policyTypes: Invalid value: "
	      "[]networking.PolicyType{\"Ingress\", \"Egress\", \"Ingress\"}: may not specify more than two policyTypes]");
	CHECK(validate_networkpolicy,
	      "{'spec':{'podSelector':{},'ingress':[{'from':[{'ipBlock':{'cidr':'10.0.0.0/16','except':['10.0.1.0/24',"
	      "'10.1.0.0/24','10.0.0.0/16','fd00::/64']}}]}]}}",
	      "[spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`, "
	      "spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`, "
	      "spec.ingress[0].from[0].ipBlock.except[3]: Invalid value: \"fd00::/64\": must be a strict subset of `cidr`]");
	return 0;
}

/* The cells of a table row as one string, "|"-joined (caller frees). */
static char *row(table_row_fn *fn, const char *obj)
{
	cJSON *o = js(obj), *cells = cJSON_CreateArray(), *c;
	struct buf b = BUF_INIT;
	fn(o, cells, 0);
	cJSON_ArrayForEach(c, cells)
		buf_addf(&b, "%s%s", b.len ? "|" : "", cJSON_IsString(c) ? c->valuestring : "?");
	cJSON_Delete(cells);
	cJSON_Delete(o);
	return buf_detach(&b, NULL);
}

table_row_fn table_row_ingress, table_row_ingressclass, table_row_networkpolicy;

TEST_IMPL(networking_tables)
{
	char *s = row(table_row_ingress, "{'metadata':{'name':'w'},'spec':{'tls':[{}],'rules':[{'host':'a'},{},{'host':'b'},"
					 "{'host':'c'},{'host':'d'}]},'status':{'loadBalancer':{'ingress':[{'ip':"
					 "'10.0.0.100'},{'hostname':'lb.example.com'}]}}}");
	ASSERT_STR(s, "w|<none>|a,b + 2 more...|10.0.0.100,lb...|80, 443|<unknown>");
	free(s);
	s = row(table_row_ingress, "{'metadata':{'name':'w'},'spec':{'ingressClassName':'t'}}");
	ASSERT_STR(s, "w|t|*||80|<unknown>");
	free(s);
	s = row(table_row_ingressclass, "{'metadata':{'name':'c'},'spec':{'controller':'x.io/c','parameters':"
					"{'kind':'K','name':'n'}}}");
	ASSERT_STR(s, "c|x.io/c|K/n|<unknown>");
	free(s);
	s = row(table_row_networkpolicy, "{'metadata':{'name':'p'},'spec':{'podSelector':{}}}");
	ASSERT_STR(s, "p|<none>|<unknown>");
	free(s);
	return 0;
}

TEST_IMPL(versions_pdb_selectors)
{
	const char *none = "{'spec':{'selector':{'matchExpressions':[{'key':'pdb.kubernetes.io/deprecated-v1beta1-"
			   "empty-selector-match','operator':'Exists'}]}},'apiVersion':'policy/v1'}";
	CONVERTS(pdb_v1beta1_view.in, "{'spec':{'selector':{'matchLabels':{}}}}", none);
	CONVERTS(pdb_v1beta1_view.in, "{'spec':{'selector':{'matchLabels':{'a':'b'}}}}",
		 "{'spec':{'selector':{'matchLabels':{'a':'b'}}},'apiVersion':'policy/v1'}");
	CONVERTS(pdb_v1beta1_view.in, "{'spec':{'selector':{'matchExpressions':[{'key':'pdb.kubernetes.io/"
				      "deprecated-v1beta1-empty-selector-match','operator':'DoesNotExist'}]}}}",
		 "{'spec':{'selector':{}},'apiVersion':'policy/v1'}");
	CONVERTS(pdb_v1beta1_view.out, "{'spec':{'selector':{}}}",
		 "{'spec':{'selector':{'matchExpressions':[{'key':'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-"
		 "match','operator':'DoesNotExist'}]}},'apiVersion':'policy/v1beta1'}");
	CONVERTS(pdb_v1beta1_view.out, none, "{'spec':{'selector':{}},'apiVersion':'policy/v1beta1'}");
	CONVERTS(pdb_v1beta1_view.in, "{'spec':{}}", "{'spec':{},'apiVersion':'policy/v1'}");
	return 0;
}
