/* Unit tests for the per-kind hooks (server/kinds.c, defaults.c, prepare.c, validate_*.c,
 * quantity.c): objects are run through defaults, preparation and validation as the generic
 * write path does, and compared with what upstream v1.33 stores or answers (defaults from
 * pkg/apis/{core,apps,batch}/v1/defaults.go and the strategies; messages from the validation
 * packages, field paths and value rendering included). */
#include "test.h"
#include "field-errors.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/internal.h"
#include "server/kinds.h"
#include "server/quantity.h"

#define UID "6f0c2b52-9c7a-4a39-8d2e-3d1c6b0a1f00"
#define TS "2025-05-01T10:00:00Z"

/* Parses JSON written with ' for " (test fixtures only). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	if (!j)
		fprintf(stderr, "  bad fixture: %s\n", s);
	return j;
}

static const struct kind *find_kind(const char *group, const char *kind)
{
	registry_init();
	const struct kind *k = kind_by_gvk(group, "v1", kind);
	/* a kind served only in an older version (extensions/v1beta1 Ingress) */
	for (size_t i = 0; !k && i < registry_count(); i++)
		if (!strcmp(registry_at(i)->group, group) && !strcmp(registry_at(i)->kind, kind))
			k = registry_at(i);
	return k;
}

/* Creates an object as the write path does: system metadata, status dropped for kinds with a
 * status subresource, then the kind's hooks. Returns the object (caller frees). */
static cJSON *create(const char *group, const char *kind, const char *json, struct field_errors *errs)
{
	const struct kind *k = find_kind(group, kind);
	const struct kind_hooks *h = k ? k->hooks : NULL;
	cJSON *obj = js(json), *meta = json_obj_force(obj, "metadata");
	json_set_str(meta, "uid", UID);
	json_set_str(meta, "creationTimestamp", TS);
	if (k && (k->flags & KIND_NAMESPACED) && !json_str(meta, "namespace"))
		json_set_str(meta, "namespace", "default");
	if (k && (k->flags & KIND_STATUS))
		json_del(obj, "status");
	if (h && h->defaults)
		h->defaults(obj);
	if (h && h->prepare)
		h->prepare(obj, NULL);
	if (h && h->validate)
		h->validate(obj, NULL, errs);
	return obj;
}

/* Updates old with the object json as the write path does (system metadata and status kept). */
static cJSON *update(const char *group, const char *kind, const cJSON *old, const char *json, struct field_errors *errs)
{
	static const char *const fixed[] = { "uid", "creationTimestamp", "generation", "namespace" };
	const struct kind *k = find_kind(group, kind);
	const struct kind_hooks *h = k->hooks;
	cJSON *obj = js(json), *meta = json_obj_force(obj, "metadata");
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (json_getv(old, "metadata", fixed[i], NULL))
			json_set(meta, fixed[i], cJSON_Duplicate(json_getv(old, "metadata", fixed[i], NULL), 1));
	if (k->flags & KIND_STATUS) {
		json_del(obj, "status");
		if (json_getv(old, "status", NULL))
			json_set(obj, "status", cJSON_Duplicate(json_getv(old, "status", NULL), 1));
	}
	if (h->defaults)
		h->defaults(obj);
	if (h->prepare)
		h->prepare(obj, old);
	if (h->validate)
		h->validate(obj, old, errs);
	return obj;
}

#define EXPECT_ERRS(errs, want) \
	do { \
		char *got_ = errs_str(errs); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: errors\n--- got\n%s--- want\n%s", __FILE__, __LINE__, got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

#define EXPECT_JSON(obj, want) \
	do { \
		cJSON *w_ = js(want); \
		if (!w_ || !cJSON_Compare(obj, w_, 1)) { \
			char *g_ = cJSON_Print(obj), *e_ = w_ ? cJSON_Print(w_) : NULL; \
			fprintf(stderr, "  %s:%d: object\n--- got\n%s\n--- want\n%s\n", __FILE__, __LINE__, g_, e_ ? e_ : want); \
			free(g_); \
			free(e_); \
			cJSON_Delete(w_); \
			return 1; \
		} \
		cJSON_Delete(w_); \
	} while (0)

/* Creates json as group/kind and expects exactly the errors want (and frees everything). */
static int expect_create_errors(const char *group, const char *kind, const char *json, const char *want, int line)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *obj = create(group, kind, json, &errs);
	char *got = errs_str(&errs);
	int rc = strcmp(got, want) != 0;
	if (rc)
		fprintf(stderr, "  line %d: errors for %s\n--- got\n%s--- want\n%s", line, json, got, want);
	free(got);
	field_errors_release(&errs);
	cJSON_Delete(obj);
	return rc;
}

#define CREATE_ERRS(group, kind, json, want) \
	do { \
		if (expect_create_errors(group, kind, json, want, __LINE__)) \
			return 1; \
	} while (0)

/* Creates old_json, updates it with new_json and expects the update's errors want. */
static int expect_update_errors(const char *group, const char *kind, const char *old_json, const char *new_json,
				const char *want, int line)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *old = create(group, kind, old_json, &errs), *obj = NULL;
	char *got = errs_str(&errs);
	int rc = errs.n != 0;
	if (rc)
		fprintf(stderr, "  line %d: the old object is invalid:\n%s", line, got);
	free(got);
	field_errors_release(&errs);
	if (!rc) {
		obj = update(group, kind, old, new_json, &errs);
		got = errs_str(&errs);
		rc = strcmp(got, want) != 0;
		if (rc)
			fprintf(stderr, "  line %d: update errors\n--- got\n%s--- want\n%s", line, got, want);
		free(got);
	}
	field_errors_release(&errs);
	cJSON_Delete(old);
	cJSON_Delete(obj);
	return rc;
}

#define UPDATE_ERRS(group, kind, old_json, new_json, want) \
	do { \
		if (expect_update_errors(group, kind, old_json, new_json, want, __LINE__)) \
			return 1; \
	} while (0)

#define SUBDOMAIN_MSG \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " \
	"start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define LABEL_MSG \
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " \
	"end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " \
	"'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
#define QNAME_MSG \
	"name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " \
	"alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " \
	"'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
#define QUANTITY_MSG "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

/* A container as kubectl run / create deployment send it, and as the server stores it. */
#define CTR_IN "{'name':'nginx','image':'nginx'}"
#define CTR_OUT \
	"{'name':'nginx','image':'nginx','imagePullPolicy':'Always','resources':{}," \
	"'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File'}"
#define POD_SPEC_OUT(restart) \
	"'dnsPolicy':'ClusterFirst','restartPolicy':'" restart "','schedulerName':'default-scheduler'," \
	"'securityContext':{},'terminationGracePeriodSeconds':30"
#define META_OUT(name) "'name':'" name "','namespace':'default','uid':'" UID "','creationTimestamp':'" TS "'"

/* ---- quantities ------------------------------------------------------------------------------ */

/* Canonical form of s ("ERR: message" when it does not parse); milli rounds to milliunits. */
static char *canon(const char *s, int milli)
{
	struct quantity q;
	const char *err;
	struct buf b = BUF_INIT;
	cJSON *v = cJSON_CreateString(s);
	if (quantity_from_json(v, &q, &err) < 0) {
		buf_addf(&b, "ERR: %s", err);
	} else {
		if (milli)
			quantity_round_up(&q, -3);
		quantity_format(&q, &b);
	}
	cJSON_Delete(v);
	return buf_detach(&b, NULL);
}

#define EXPECT_CANON(in, milli, want) \
	do { \
		char *g_ = canon(in, milli); \
		if (strcmp(g_, want)) { \
			fprintf(stderr, "  %s:%d: %s -> %s, want %s\n", __FILE__, __LINE__, in, g_, want); \
			free(g_); \
			return 1; \
		} \
		free(g_); \
	} while (0)

TEST_IMPL(kinds_quantity_canonical)
{
	EXPECT_CANON("100m", 0, "100m");
	EXPECT_CANON("1000m", 0, "1");
	EXPECT_CANON("1500m", 0, "1500m");
	EXPECT_CANON("0.5", 0, "500m");
	EXPECT_CANON("1", 0, "1");
	EXPECT_CANON("1000", 0, "1k");
	EXPECT_CANON("1e3", 0, "1e3");
	EXPECT_CANON("1E3", 0, "1e3");
	EXPECT_CANON("1.5e3", 0, "1500");
	EXPECT_CANON("12e6", 0, "12e6");
	EXPECT_CANON("1Gi", 0, "1Gi");
	EXPECT_CANON("1024Mi", 0, "1Gi");
	EXPECT_CANON("1536Mi", 0, "1536Mi");
	EXPECT_CANON("1.5Gi", 0, "1536Mi");
	EXPECT_CANON("0.5Gi", 0, "512Mi");
	EXPECT_CANON("1Ki", 0, "1Ki");
	EXPECT_CANON("0.5Ki", 0, "512");
	EXPECT_CANON("1000Ki", 0, "1000Ki");
	EXPECT_CANON("128974848", 0, "128974848");
	EXPECT_CANON("129e6", 0, "129e6");
	EXPECT_CANON("123Mi", 0, "123Mi");
	EXPECT_CANON("5G", 0, "5G");
	EXPECT_CANON("0", 0, "0");
	EXPECT_CANON("000", 0, "0");
	EXPECT_CANON("-1", 0, "-1");
	EXPECT_CANON("-100m", 0, "-100m");
	EXPECT_CANON(" 100m ", 0, "100m");
	EXPECT_CANON("1n", 0, "1n");
	EXPECT_CANON("0.1n", 0, "1n");
	EXPECT_CANON("1n", 1, "1m");
	EXPECT_CANON("0.0001", 1, "1m");
	EXPECT_CANON("1.0001", 1, "1001m");
	EXPECT_CANON("250m", 1, "250m");
	EXPECT_CANON("", 0, "ERR: " QUANTITY_MSG);
	EXPECT_CANON("abc", 0, "ERR: " QUANTITY_MSG);
	EXPECT_CANON("1.2.3", 0, "ERR: " QUANTITY_MSG);
	EXPECT_CANON("1x", 0, "ERR: " QUANTITY_MSG);
	EXPECT_CANON("1K", 0, "ERR: unable to parse quantity's suffix");
	EXPECT_CANON("1mi", 0, "ERR: unable to parse quantity's suffix");
	EXPECT_CANON("1e", 0, "ERR: unable to parse quantity's suffix");
	return 0;
}

TEST_IMPL(kinds_quantity_compare)
{
	struct quantity a, b;
	const char *err;
	ASSERT_EQ(quantity_parse("1", &a, &err), 0);
	ASSERT_EQ(quantity_parse("1000m", &b, &err), 0);
	ASSERT_EQ(quantity_cmp(&a, &b), 0);
	ASSERT_EQ(quantity_parse("1Gi", &a, &err), 0);
	ASSERT_EQ(quantity_parse("1G", &b, &err), 0);
	ASSERT_EQ(quantity_cmp(&a, &b), 1);
	ASSERT_EQ(quantity_cmp(&b, &a), -1);
	ASSERT_EQ(quantity_parse("-1", &b, &err), 0);
	ASSERT_EQ(quantity_cmp(&b, &a), -1);
	ASSERT_EQ(quantity_parse("1e30", &b, &err), 0);
	ASSERT_EQ(quantity_cmp(&b, &a), 1);
	ASSERT_EQ(quantity_is_integer(&b), 1);
	ASSERT_EQ(quantity_parse("1500m", &b, &err), 0);
	ASSERT_EQ(quantity_is_integer(&b), 0);
	return 0;
}

/* ---- pods ------------------------------------------------------------------------------------ */

TEST_IMPL(kinds_pod_defaults)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *pod = create("", "Pod",
			    "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'nginx','labels':{'run':'nginx'}},"
			    "'spec':{'containers':[" CTR_IN "]}}",
			    &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(pod, "{'apiVersion':'v1','kind':'Pod','metadata':{" META_OUT("nginx") ",'labels':{'run':'nginx'}},"
			 "'spec':{'containers':[" CTR_OUT "],'enableServiceLinks':true," POD_SPEC_OUT("Always") "},"
			 "'status':{'phase':'Pending','qosClass':'BestEffort'}}");
	cJSON_Delete(pod);
	return 0;
}

TEST_IMPL(kinds_pod_defaults_nested)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *pod = create(
		"", "Pod",
		"{'metadata':{'name':'p'},'spec':{'serviceAccount':'builder','hostNetwork':true,"
		"'containers':[{'name':'c','image':'registry:5000/app:v1','ports':[{'containerPort':80}],"
		"'env':[{'name':'NODE','valueFrom':{'fieldRef':{'fieldPath':'spec.nodeName'}}},"
		"{'name':'MEM','valueFrom':{'resourceFieldRef':{'resource':'limits.memory'}}}],"
		"'livenessProbe':{'httpGet':{'port':80}},'readinessProbe':{'exec':{'command':['true']},'periodSeconds':5},"
		"'lifecycle':{'preStop':{'httpGet':{'port':'http'}}},"
		"'volumeMounts':[{'name':'a','mountPath':'/a'}]}],"
		"'volumes':[{'name':'a'},{'name':'s','secret':{'secretName':'x'}},{'name':'h','hostPath':{'path':'/tmp'}},"
		"{'name':'pr','projected':{'sources':[{'serviceAccountToken':{'path':'t'}}]}}]}}",
		&errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(
		pod,
		"{'metadata':{" META_OUT("p") "},'spec':{'serviceAccount':'builder','serviceAccountName':'builder',"
		"'hostNetwork':true,'enableServiceLinks':true," POD_SPEC_OUT("Always") ","
		"'containers':[{'name':'c','image':'registry:5000/app:v1','imagePullPolicy':'IfNotPresent',"
		"'ports':[{'containerPort':80,'hostPort':80,'protocol':'TCP'}],"
		"'env':[{'name':'NODE','valueFrom':{'fieldRef':{'apiVersion':'v1','fieldPath':'spec.nodeName'}}},"
		"{'name':'MEM','valueFrom':{'resourceFieldRef':{'resource':'limits.memory','divisor':'0'}}}],"
		"'livenessProbe':{'httpGet':{'port':80,'path':'/','scheme':'HTTP'},'timeoutSeconds':1,'periodSeconds':10,"
		"'successThreshold':1,'failureThreshold':3},"
		"'readinessProbe':{'exec':{'command':['true']},'periodSeconds':5,'timeoutSeconds':1,'successThreshold':1,"
		"'failureThreshold':3},"
		"'lifecycle':{'preStop':{'httpGet':{'port':'http','path':'/','scheme':'HTTP'}}},"
		"'resources':{},'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File',"
		"'volumeMounts':[{'name':'a','mountPath':'/a'}]}],"
		"'volumes':[{'name':'a','emptyDir':{}},{'name':'s','secret':{'secretName':'x','defaultMode':420}},"
		"{'name':'h','hostPath':{'path':'/tmp','type':''}},"
		"{'name':'pr','projected':{'defaultMode':420,'sources':[{'serviceAccountToken':{'path':'t','expirationSeconds':3600}}]}}]},"
		"'status':{'phase':'Pending','qosClass':'BestEffort'}}");
	cJSON_Delete(pod);
	return 0;
}

/* The pull policy the server picks for an image reference. */
static const char *pull_policy(const char *image)
{
	static char out[32];
	struct field_errors errs = FIELD_ERRORS_INIT;
	char *json = xasprintf("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'%s'}]}}", image);
	cJSON *pod = create("", "Pod", json, &errs);
	snprintf(out, sizeof(out), "%s", json_str(json_getv(pod, "spec", "containers", NULL)->child, "imagePullPolicy"));
	field_errors_release(&errs);
	cJSON_Delete(pod);
	free(json);
	return out;
}

TEST_IMPL(kinds_pod_image_pull_policy)
{
	ASSERT_STR(pull_policy("nginx"), "Always");
	ASSERT_STR(pull_policy("nginx:latest"), "Always");
	ASSERT_STR(pull_policy("nginx:1.25"), "IfNotPresent");
	ASSERT_STR(pull_policy("docker.io/library/nginx"), "Always");
	ASSERT_STR(pull_policy("localhost:5000/app"), "Always");
	ASSERT_STR(pull_policy("localhost:5000/app:v2"), "IfNotPresent");
	ASSERT_STR(pull_policy("ghcr.io/org/app:latest"), "Always");
	ASSERT_STR(pull_policy("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), "IfNotPresent");
	ASSERT_STR(pull_policy("nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
		   "Always");
	ASSERT_STR(pull_policy("Nginx"), "IfNotPresent");
	return 0;
}

TEST_IMPL(kinds_pod_resources)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *pod = create("", "Pod",
			    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'i',"
			    "'resources':{'limits':{'cpu':'1000m','memory':'1024Mi'}}}]}}",
			    &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(json_getv(pod, "spec", "containers", NULL)->child,
		    "{'name':'c','image':'i','imagePullPolicy':'Always','terminationMessagePath':'/dev/termination-log',"
		    "'terminationMessagePolicy':'File','resources':{'limits':{'cpu':'1','memory':'1Gi'},"
		    "'requests':{'cpu':'1','memory':'1Gi'}}}");
	ASSERT_STR(json_strv(pod, "status", "qosClass", NULL), "Guaranteed");
	cJSON_Delete(pod);
	pod = create("", "Pod",
		     "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'i',"
		     "'resources':{'requests':{'cpu':0.5}}}]}}",
		     &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT_STR(json_strv(json_getv(pod, "spec", "containers", NULL)->child, "resources", "requests", "cpu", NULL), "500m");
	ASSERT_STR(json_strv(pod, "status", "qosClass", NULL), "Burstable");
	cJSON_Delete(pod);
	return 0;
}

TEST_IMPL(kinds_pod_invalid_containers)
{
	CREATE_ERRS("", "Pod", "{'metadata':{'name':'p'},'spec':{}}", "spec.containers: Required value\n");
	CREATE_ERRS("", "Pod", "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'Web_1'}]}}",
		    "spec.containers[0].name: Invalid value: \"Web_1\": " LABEL_MSG "\n"
		    "spec.containers[0].image: Required value\n");
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x'},{'name':'a','image':'y'}],"
		    "'initContainers':[{'name':'a','image':'z'}]}}",
		    "spec.containers[1].name: Duplicate value: \"a\"\n"
		    "spec.initContainers[0].name: Duplicate value: \"a\"\n");
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x','ports':["
		    "{'containerPort':0},{'containerPort':70000,'protocol':'HTTP'},{'name':'Web','containerPort':80},"
		    "{'name':'web','containerPort':81},{'name':'web','containerPort':82}]}]}}",
		    "spec.containers[0].ports[0].containerPort: Required value\n"
		    "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n"
		    "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"\n"
		    "spec.containers[0].ports[2].name: Invalid value: \"Web\": must contain only alpha-numeric characters "
		    "(a-z, 0-9), and hyphens (-)\n"
		    "spec.containers[0].ports[4].name: Duplicate value: \"web\"\n");
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':' x','imagePullPolicy':'Sometimes',"
		    "'env':[{'name':''},{'name':'A=B'},{'name':'C','value':'1','valueFrom':{'fieldRef':{'fieldPath':'spec.foo'}}}]}]}}",
		    "spec.containers[0].env[0].name: Required value\n"
		    "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist "
		    "only of printable ASCII characters other than '='\n"
		    "spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.foo\": error converting "
		    "fieldPath: field label not supported: spec.foo\n"
		    "spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty\n"
		    "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", "
		    "\"IfNotPresent\", \"Never\"\n"
		    "spec.containers[0].image: Invalid value: \" x\": must not have leading or trailing whitespace\n");
	return 0;
}

TEST_IMPL(kinds_pod_invalid_volumes)
{
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x','volumeMounts':["
		    "{'name':'data','mountPath':'/d'},{'name':'missing','mountPath':'/d'},{'name':'data','mountPath':'/e','subPath':'../x'}]}],"
		    "'volumes':[{'name':'data','emptyDir':{}},{'name':'data','emptyDir':{}},"
		    "{'name':'two','emptyDir':{},'hostPath':{'path':'/x'}},{'name':'cm','configMap':{}},{'name':'Bad'}]}}",
		    "spec.volumes[1].name: Duplicate value: \"data\"\n"
		    "spec.volumes[2].hostPath: Forbidden: may not specify more than 1 volume type\n"
		    "spec.volumes[3].configMap.name: Required value\n"
		    "spec.volumes[4].name: Invalid value: \"Bad\": " LABEL_MSG "\n"
		    "spec.containers[0].volumeMounts[1].name: Not found: \"missing\"\n"
		    "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/d\": must be unique\n"
		    "spec.containers[0].volumeMounts.subPath: Invalid value: \"../x\": must not contain '..'\n");
	return 0;
}

TEST_IMPL(kinds_pod_invalid_resources)
{
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x','resources':{"
		    "'limits':{'cpu':'1','memory':'1x'},'requests':{'cpu':'2','foo':'1','example.com/gpu':'500m'}}}]}}",
		    "spec.containers[0].resources.limits[memory]: Invalid value: \"1x\": " QUANTITY_MSG "\n"
		    "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1\n"
		    "spec.containers[0].resources.requests[foo]: Invalid value: \"foo\": must be a standard resource type or "
		    "fully qualified\n"
		    "spec.containers[0].resources.requests[foo]: Invalid value: \"foo\": must be a standard resource for containers\n"
		    "spec.containers[0].resources.requests[example.com/gpu]: Invalid value: \"500m\": must be an integer\n"
		    "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources\n"
		    /* requests default to limits on a Pod, the bad one included */
		    "spec.containers[0].resources.requests[memory]: Invalid value: \"1x\": " QUANTITY_MSG "\n");
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x','resources':{"
		    "'requests':{'memory':'-1Gi'}}}]}}",
		    "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0\n");
	return 0;
}

TEST_IMPL(kinds_pod_invalid_spec)
{
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "],'restartPolicy':'Sometimes','dnsPolicy':'Google',"
		    "'activeDeadlineSeconds':0,'hostname':'A','nodeSelector':{'a/b/c':'x'},"
		    "'tolerations':[{'operator':'Equal','value':'x'},{'key':'k','operator':'Exists','value':'v'},"
		    "{'key':'k','effect':'NoSchedule','tolerationSeconds':5}]}}",
		    "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"\n"
		    "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", "
		    "\"ClusterFirst\", \"Default\", \"None\"\n"
		    "spec.nodeSelector: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, "
		    "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
		    "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
		    "subdomain prefix and '/' (e.g. 'example.com/MyName')\n"
		    "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive\n"
		    "spec.hostname: Invalid value: \"A\": " LABEL_MSG "\n"
		    "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, "
		    "which means \"match all values and all keys\"\n"
		    "spec.tolerations[1].operator: Invalid value: core.Toleration{Key:\"k\", Operator:\"Exists\", Value:\"v\", "
		    "Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'\n"
		    "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when "
		    "`tolerationSeconds` is set\n");
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'a','image':'x',"
		    "'livenessProbe':{'successThreshold':2},'readinessProbe':{'tcpSocket':{'port':0},'periodSeconds':-1}}]}}",
		    "spec.containers[0].livenessProbe: Required value: must specify a handler type\n"
		    "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1\n"
		    "spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive\n"
		    "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0\n");
	CREATE_ERRS("", "Pod",
		    "{'metadata':{'name':'p','annotations':{'controller.kubernetes.io/pod-deletion-cost':'+1'}},"
		    "'spec':{'containers':[" CTR_IN "],'ephemeralContainers':[{'name':'e','image':'x'}]}}",
		    "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+1\": must be a 32bit integer\n"
		    "spec.ephemeralContainers: Forbidden: cannot be set on create\n");
	return 0;
}

#define POD_UPDATE_MSG \
	"spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`," \
	"`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing " \
	"tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
/* (followed by our description of the change; upstream prints a cmp.Diff of Go structs) */

TEST_IMPL(kinds_pod_update)
{
	const char *old = "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "],'activeDeadlineSeconds':100,"
			  "'tolerations':[{'key':'a','operator':'Exists'}]}}";
	/* The image, a lower deadline and added tolerations may change (an omitted pull policy would
	 * default to IfNotPresent for the new tag: a change, as upstream). */
	UPDATE_ERRS("", "Pod", old,
		    "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'nginx','image':'nginx:1.27','imagePullPolicy':'Always'}],"
		    "'activeDeadlineSeconds':50,'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}]}}",
		    "");
	UPDATE_ERRS("", "Pod", old,
		    "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "],'activeDeadlineSeconds':200,"
		    "'tolerations':[{'key':'a','operator':'Exists'}]}}",
		    "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value\n");
	UPDATE_ERRS("", "Pod", old,
		    "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN ",{'name':'b','image':'b'}],'activeDeadlineSeconds':100,"
		    "'tolerations':[{'key':'a','operator':'Exists'}]}}",
		    "spec.containers: Forbidden: pod updates may not add or remove containers\n");
	UPDATE_ERRS("", "Pod", old,
		    "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "],'activeDeadlineSeconds':100,"
		    "'tolerations':[{'key':'a','operator':'Exists'}],'restartPolicy':'Never'}}",
		    POD_UPDATE_MSG "  core.PodSpec{\n- \tRestartPolicy: \"Always\",\n+ \tRestartPolicy: \"Never\",\n  }\n\n");
	UPDATE_ERRS("", "Pod", old,
		    "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "],'activeDeadlineSeconds':100}}",
		    "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds\n");
	return 0;
}

TEST_IMPL(kinds_pod_update_message)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *old = create("", "Pod", "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "]}}", &errs);
	cJSON *obj = update("", "Pod", old,
			    "{'metadata':{'name':'p'},'spec':{'containers':[" CTR_IN "],'nodeName':'n1'}}", &errs);
	ASSERT_EQ(errs.n, 1);
	ASSERT(starts_with(errs.v[0].detail, "pod updates may not change fields other than "));
	ASSERT(strstr(errs.v[0].detail, "+ \tNodeName: \"n1\",\n"));
	field_errors_release(&errs);
	cJSON_Delete(old);
	cJSON_Delete(obj);
	return 0;
}

/* ---- workloads ------------------------------------------------------------------------------- */

/* What kubectl create deployment d --image=nginx sends. */
#define DEPLOY_IN \
	"{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'creationTimestamp':null,'labels':{'app':'d'},'name':'d'}," \
	"'spec':{'replicas':1,'selector':{'matchLabels':{'app':'d'}},'strategy':{},'template':{'metadata':" \
	"{'creationTimestamp':null,'labels':{'app':'d'}},'spec':{'containers':[{'image':'nginx','name':'nginx'," \
	"'resources':{}}]}}},'status':{}}"

TEST_IMPL(kinds_deployment_defaults)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *d = create("apps", "Deployment", DEPLOY_IN, &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(d, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{" META_OUT("d") ",'labels':{'app':'d'}},"
		       "'spec':{'progressDeadlineSeconds':600,'replicas':1,'revisionHistoryLimit':10,"
		       "'selector':{'matchLabels':{'app':'d'}},"
		       "'strategy':{'rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'},'type':'RollingUpdate'},"
		       "'template':{'metadata':{'creationTimestamp':null,'labels':{'app':'d'}},"
		       "'spec':{'containers':[" CTR_OUT "]," POD_SPEC_OUT("Always") "}}},'status':{}}");
	cJSON_Delete(d);
	return 0;
}

TEST_IMPL(kinds_deployment_invalid)
{
	CREATE_ERRS("apps", "Deployment",
		    "{'metadata':{'name':'d'},'spec':{'replicas':-1,'selector':{'matchLabels':{'app':'x'}},"
		    "'template':{'metadata':{'labels':{'app':'d'}},'spec':{'containers':[" CTR_IN "],'restartPolicy':'Never'}},"
		    "'strategy':{'rollingUpdate':{'maxSurge':0,'maxUnavailable':'0%'}},'minReadySeconds':700}}",
		    "spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
		    "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"d\"}: `selector` does not match "
		    "template `labels`\n"
		    "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"\n"
		    "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, "
		    "StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0\n"
		    "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds\n");
	CREATE_ERRS("apps", "Deployment",
		    "{'metadata':{'name':'d'},'spec':{'selector':{},'template':{'spec':{'containers':[" CTR_IN "]}},"
		    "'strategy':{'type':'Blue'}}}",
		    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
		    "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment\n"
		    "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"Blue\", "
		    "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"\n");
	CREATE_ERRS("apps", "Deployment",
		    "{'metadata':{'name':'d'},'spec':{'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[" CTR_IN "]}},"
		    "'strategy':{'rollingUpdate':{'maxSurge':'x%'}}}}",
		    "spec.selector: Required value\n"
		    "spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"b\"}: `selector` does not match "
		    "template `labels`\n"
		    "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"x%\"}: "
		    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex "
		    "used for validation is '[0-9]+%')\n");
	CREATE_ERRS("apps", "Deployment",
		    "{'metadata':{'name':'d'},'spec':{'selector':{'matchExpressions':[{'key':'a','operator':'Is'}]},"
		    "'template':{'spec':{'containers':[" CTR_IN "]}}}}",
		    "spec.selector.matchExpressions[0].operator: Invalid value: \"Is\": not a valid selector operator\n"
		    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
		    "MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"a\", Operator:\"Is\", "
		    "Values:[]string(nil)}}}: invalid label selector\n");
	return 0;
}

TEST_IMPL(kinds_deployment_update)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	UPDATE_ERRS("apps", "Deployment", DEPLOY_IN,
		    "{'metadata':{'name':'d'},'spec':{'replicas':3,'selector':{'matchLabels':{'app':'d'}},"
		    "'template':{'metadata':{'labels':{'app':'d'}},'spec':{'containers':[{'name':'nginx','image':'nginx:2'}]}}}}",
		    "");
	UPDATE_ERRS("apps", "Deployment", DEPLOY_IN,
		    "{'metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'app':'d','v':'2'}},"
		    "'template':{'metadata':{'labels':{'app':'d','v':'2'}},'spec':{'containers':[" CTR_IN "]}}}}",
		    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"d\", \"v\":\"2\"}, "
		    "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n");
	/* Status is kept from the stored object; a changed annotation is a new generation. */
	cJSON *old = create("apps", "Deployment", DEPLOY_IN, &errs);
	json_set_int(json_obj(old, "metadata"), "generation", 4);
	json_set_int(json_obj(old, "status"), "replicas", 1);
	cJSON *d = update("apps", "Deployment", old,
			  "{'metadata':{'name':'d','annotations':{'a':'b'}},'spec':{'selector':{'matchLabels':{'app':'d'}},"
			  "'template':{'metadata':{'labels':{'app':'d'}},'spec':{'containers':[" CTR_IN "]}}},'status':{'replicas':9}}",
			  &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT_EQ(json_getv(d, "status", "replicas", NULL)->valueint, 1);
	ASSERT_EQ(json_getv(d, "metadata", "generation", NULL)->valueint, 5);
	cJSON_Delete(old);
	cJSON_Delete(d);
	return 0;
}

TEST_IMPL(kinds_replicaset)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *rs = create("apps", "ReplicaSet",
			   "{'metadata':{'name':'r'},'spec':{'selector':{'matchLabels':{'a':'b'}},"
			   "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[" CTR_IN "]}}}}",
			   &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(rs, "{'metadata':{" META_OUT("r") "},'spec':{'replicas':1,'selector':{'matchLabels':{'a':'b'}},"
			"'template':{'metadata':{'creationTimestamp':null,'labels':{'a':'b'}},"
			"'spec':{'containers':[" CTR_OUT "]," POD_SPEC_OUT("Always") "}}},'status':{'replicas':0}}");
	cJSON_Delete(rs);
	CREATE_ERRS("apps", "ReplicaSet",
		    "{'metadata':{'name':'r'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':"
		    "{'labels':{'a':'b'}},'spec':{'containers':[" CTR_IN "],'activeDeadlineSeconds':5}}}}",
		    "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported\n");
	UPDATE_ERRS("apps", "ReplicaSet",
		    "{'metadata':{'name':'r'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':"
		    "{'labels':{'a':'b'}},'spec':{'containers':[" CTR_IN "]}}}}",
		    "{'metadata':{'name':'r'},'spec':{'selector':{'matchExpressions':[{'key':'a','operator':'Exists'}]},"
		    "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[" CTR_IN "]}}}}",
		    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
		    "MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"a\", Operator:\"Exists\", "
		    "Values:[]string(nil)}}}: field is immutable\n");
	return 0;
}

#define DS_IN \
	"{'metadata':{'name':'ds'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':" \
	"{'a':'b'}},'spec':{'containers':[" CTR_IN "]}}}}"

TEST_IMPL(kinds_daemonset)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *ds = create("apps", "DaemonSet", DS_IN, &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(ds, "{'metadata':{" META_OUT("ds") ",'annotations':{'deprecated.daemonset.template.generation':'1'}},"
			"'spec':{'revisionHistoryLimit':10,'selector':{'matchLabels':{'a':'b'}},"
			"'updateStrategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':0}},"
			"'template':{'metadata':{'creationTimestamp':null,'labels':{'a':'b'}},"
			"'spec':{'containers':[" CTR_OUT "]," POD_SPEC_OUT("Always") "}}},"
			"'status':{'currentNumberScheduled':0,'desiredNumberScheduled':0,'numberMisscheduled':0,'numberReady':0}}");
	/* A template change counts a new template generation; a status-only spec keeps it. */
	cJSON *upd = update("apps", "DaemonSet", ds,
			    "{'metadata':{'name':'ds'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':"
			    "{'labels':{'a':'b'}},'spec':{'containers':[{'name':'nginx','image':'nginx:2'}]}}}}",
			    &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT_STR(json_strv(upd, "metadata", "annotations", "deprecated.daemonset.template.generation", NULL), "2");
	cJSON_Delete(upd);
	cJSON_Delete(ds);
	CREATE_ERRS("apps", "DaemonSet",
		    "{'metadata':{'name':'ds'},'spec':{'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[" CTR_IN "]}},"
		    "'updateStrategy':{'rollingUpdate':{'maxUnavailable':0,'maxSurge':0}}}}",
		    "spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"b\"}: `selector` does not match "
		    "template `labels`\n"
		    "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0\n");
	CREATE_ERRS("apps", "DaemonSet",
		    "{'metadata':{'name':'ds'},'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':"
		    "{'a':'b'}},'spec':{'containers':[" CTR_IN "]}},'updateStrategy':{'type':'Sometimes'}}}",
		    "spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Sometimes\", "
		    "RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\"\n");
	return 0;
}

#define STS_BASE \
	"{'metadata':{'name':'web'},'spec':{'serviceName':'web','selector':{'matchLabels':{'app':'web'}}," \
	"'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[" CTR_IN "]}}}}"
#define STS_IN \
	"{'metadata':{'name':'web'},'spec':{'serviceName':'web','selector':{'matchLabels':{'app':'web'}}," \
	"'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[" CTR_IN "]}}," \
	"'volumeClaimTemplates':[{'metadata':{'name':'www'},'spec':{'accessModes':['ReadWriteOnce']," \
	"'resources':{'requests':{'storage':'1024Mi'}}}}]}}"

TEST_IMPL(kinds_statefulset)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *sts = create("apps", "StatefulSet", STS_IN, &errs);
	/* Claims are refused until persistent volumes exist (issue 5); they are still defaulted. */
	EXPECT_ERRS(&errs, "spec.volumeClaimTemplates: Forbidden: persistent volumes are not supported by this cluster "
			   "yet: use volumes in the pod template instead\n");
	field_errors_release(&errs);
	EXPECT_JSON(sts, "{'metadata':{" META_OUT("web") "},'spec':{'serviceName':'web','podManagementPolicy':'OrderedReady',"
			 "'replicas':1,'revisionHistoryLimit':10,'selector':{'matchLabels':{'app':'web'}},"
			 "'persistentVolumeClaimRetentionPolicy':{'whenDeleted':'Retain','whenScaled':'Retain'},"
			 "'updateStrategy':{'type':'RollingUpdate','rollingUpdate':{'partition':0}},"
			 "'template':{'metadata':{'creationTimestamp':null,'labels':{'app':'web'}},"
			 "'spec':{'containers':[" CTR_OUT "]," POD_SPEC_OUT("Always") "}},"
			 "'volumeClaimTemplates':[{'metadata':{'creationTimestamp':null,'name':'www'},"
			 "'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}},'volumeMode':'Filesystem'},"
			 "'status':{'phase':'Pending'}}]},'status':{'replicas':0}}");
	cJSON_Delete(sts);
	CREATE_ERRS("apps", "StatefulSet",
		    "{'metadata':{'name':'web'},'spec':{'podManagementPolicy':'Random','selector':{},'template':"
		    "{'spec':{'containers':[" CTR_IN "],'restartPolicy':'OnFailure'}},'updateStrategy':{'type':'OnDelete',"
		    "'rollingUpdate':{'partition':1}}}}",
		    "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'\n"
		    "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, "
		    "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'\n"
		    "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
		    "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset\n"
		    "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"\n");
	UPDATE_ERRS("apps", "StatefulSet", STS_BASE,
		    "{'metadata':{'name':'web'},'spec':{'serviceName':'web','replicas':3,'selector':{'matchLabels':{'app':'web'}},"
		    "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx:2'}]}}}}",
		    "");
	UPDATE_ERRS("apps", "StatefulSet", STS_BASE,
		    "{'metadata':{'name':'web'},'spec':{'serviceName':'other','selector':{'matchLabels':{'app':'web'}},"
		    "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[" CTR_IN "]}}}}",
		    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
		    "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n");
	return 0;
}

TEST_IMPL(kinds_controllerrevision)
{
	CREATE_ERRS("apps", "ControllerRevision", "{'metadata':{'name':'r'},'revision':-1}",
		    "data: Required value: data is mandatory\n"
		    "revision: Invalid value: -1: must be greater than or equal to 0\n");
	UPDATE_ERRS("apps", "ControllerRevision", "{'metadata':{'name':'r'},'revision':1,'data':{'a':1}}",
		    "{'metadata':{'name':'r'},'revision':2,'data':{'a':2}}", "data: Invalid value: {\"a\":2}: field is immutable\n");
	return 0;
}

/* ---- batch ----------------------------------------------------------------------------------- */

/* What kubectl create job j --image=busybox sends. */
#define JOB_IN \
	"{'apiVersion':'batch/v1','kind':'Job','metadata':{'creationTimestamp':null,'name':'j'},'spec':{'template':" \
	"{'metadata':{'creationTimestamp':null},'spec':{'containers':[{'image':'busybox','name':'j','resources':{}}]," \
	"'restartPolicy':'Never'}}},'status':{}}"

TEST_IMPL(kinds_job_defaults)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *j = create("batch", "Job", JOB_IN, &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(j, "{'apiVersion':'batch/v1','kind':'Job','metadata':{" META_OUT("j") "},"
		       "'spec':{'backoffLimit':6,'completionMode':'NonIndexed','completions':1,'parallelism':1,"
		       "'podReplacementPolicy':'TerminatingOrFailed','suspend':false,"
		       "'selector':{'matchLabels':{'batch.kubernetes.io/controller-uid':'" UID "'}},"
		       "'template':{'metadata':{'creationTimestamp':null,'labels':{'batch.kubernetes.io/controller-uid':'" UID "',"
		       "'batch.kubernetes.io/job-name':'j','controller-uid':'" UID "','job-name':'j'}},"
		       "'spec':{'containers':[{'image':'busybox','imagePullPolicy':'Always','name':'j','resources':{},"
		       "'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File'}]," POD_SPEC_OUT("Never") "}}},"
		       "'status':{}}");
	cJSON_Delete(j);
	/* Parallelism alone leaves completions unset; template labels become the job's labels. */
	j = create("batch", "Job",
		   "{'metadata':{'name':'j'},'spec':{'parallelism':3,'podFailurePolicy':{'rules':[{'action':'Ignore',"
		   "'onPodConditions':[{'type':'DisruptionTarget'}]}]},'template':{'metadata':{'labels':{'x':'y'}},"
		   "'spec':{'containers':[" CTR_IN "],'restartPolicy':'Never'}}}}",
		   &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT(!json_getv(j, "spec", "completions", NULL));
	ASSERT_STR(json_strv(j, "metadata", "labels", "x", NULL), "y");
	ASSERT(!json_getv(j, "metadata", "labels", "job-name", NULL));
	ASSERT_STR(json_strv(j, "spec", "podReplacementPolicy", NULL), "Failed");
	ASSERT_STR(json_str(json_getv(json_getv(j, "spec", "podFailurePolicy", "rules", NULL)->child, "onPodConditions", NULL)->child,
			    "status"),
		   "True");
	cJSON_Delete(j);
	return 0;
}

TEST_IMPL(kinds_job_invalid)
{
	CREATE_ERRS("batch", "Job",
		    "{'metadata':{'name':'j'},'spec':{'parallelism':-1,'backoffLimit':-2,'template':{'spec':{'containers':[" CTR_IN "]}}}}",
		    "spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n"
		    "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0\n"
		    "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n");
	CREATE_ERRS("batch", "Job",
		    "{'metadata':{'name':'j'},'spec':{'manualSelector':true,'selector':{'matchLabels':{'a':'b'}},"
		    "'template':{'metadata':{'labels':{'a':'c'}},'spec':{'containers':[" CTR_IN "],'restartPolicy':'Never'}}}}",
		    "spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"c\"}: `selector` does not match "
		    "template `labels`\n");
	CREATE_ERRS("batch", "Job",
		    "{'metadata':{'name':'j'},'spec':{'completionMode':'Indexed','completions':null,'parallelism':2,"
		    "'podReplacementPolicy':'Whenever','template':{'spec':{'containers':[" CTR_IN "],'restartPolicy':'OnFailure'}}}}",
		    "spec.completions: Required value: when completion mode is Indexed\n"
		    "spec.podReplacementPolicy: Unsupported value: \"Whenever\": supported values: \"Failed\", "
		    "\"TerminatingOrFailed\"\n");
	return 0;
}

TEST_IMPL(kinds_job_update)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *old = create("batch", "Job", JOB_IN, &errs), *j;
	char *s = json_print_str(old);
	for (char *p = s; *p; p++)
		if (*p == '"')
			*p = '\'';
	/* Resubmitting the stored job, or changing the parallelism, is fine. */
	j = update("batch", "Job", old, s, &errs);
	EXPECT_ERRS(&errs, "");
	cJSON_Delete(j);
	cJSON *changed = js(s);
	json_set_int(json_obj(changed, "spec"), "completions", 2);
	json_set_str(json_getv(changed, "spec", "template", "spec", "containers", NULL)->child, "image", "busybox:2");
	char *cs = json_print_str(changed);
	for (char *p = cs; *p; p++)
		if (*p == '"')
			*p = '\'';
	j = update("batch", "Job", old, cs, &errs);
	ASSERT_EQ(errs.n, 2);
	ASSERT_STR(errs.v[0].field, "spec.completions");
	ASSERT_STR(errs.v[0].value, "2");
	ASSERT_STR(errs.v[0].detail, "field is immutable");
	ASSERT_STR(errs.v[1].field, "spec.template");
	ASSERT_STR(errs.v[1].detail, "field is immutable");
	field_errors_release(&errs);
	cJSON_Delete(j);
	cJSON_Delete(changed);
	free(cs);
	free(s);
	cJSON_Delete(old);
	return 0;
}

TEST_IMPL(kinds_cronjob)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *cj = create("batch", "CronJob",
			   "{'metadata':{'name':'c'},'spec':{'schedule':'*/5 * * * *','jobTemplate':{'metadata':{'name':'c'},"
			   "'spec':{'template':{'spec':{'containers':[" CTR_IN "],'restartPolicy':'OnFailure'}}}}}}",
			   &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(cj, "{'metadata':{" META_OUT("c") "},'spec':{'concurrencyPolicy':'Allow','failedJobsHistoryLimit':1,"
			"'schedule':'*/5 * * * *','successfulJobsHistoryLimit':3,'suspend':false,"
			"'jobTemplate':{'metadata':{'creationTimestamp':null,'name':'c'},'spec':{'template':{'metadata':"
			"{'creationTimestamp':null},'spec':{'containers':[" CTR_OUT "]," POD_SPEC_OUT("OnFailure") "}}}}},"
			"'status':{}}");
	cJSON_Delete(cj);
	CREATE_ERRS("batch", "CronJob",
		    "{'metadata':{'name':'a-cron-job-name-that-is-longer-than-fifty-two-characters'},'spec':{'schedule':"
		    "'61 * * * *','concurrencyPolicy':'Sometimes','timeZone':'Mars/Olympus','jobTemplate':{'spec':{'selector':"
		    "{'matchLabels':{'a':'b'}},'template':{'spec':{'containers':[" CTR_IN "]}}}}}}",
		    "spec.schedule: Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61\n"
		    "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus\n"
		    "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"\n"
		    "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n"
		    "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, "
		    "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated\n"
		    "metadata.name: Invalid value: \"a-cron-job-name-that-is-longer-than-fifty-two-characters\": must be no more "
		    "than 52 characters\n");
	CREATE_ERRS("batch", "CronJob",
		    "{'metadata':{'name':'c'},'spec':{'schedule':'TZ=UTC * * * * *','jobTemplate':{'spec':{'template':"
		    "{'spec':{'containers':[" CTR_IN "],'restartPolicy':'Never'}}}}}}",
		    "spec.schedule: Invalid value: \"TZ=UTC * * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone "
		    "field instead\n");
	return 0;
}

static char *cron_err(const char *schedule)
{
	struct buf why = BUF_INIT;
	if (validate_cron_schedule(schedule, &why) == 0)
		buf_adds(&why, "ok");
	return buf_detach(&why, NULL);
}

#define EXPECT_CRON(s, want) \
	do { \
		char *g_ = cron_err(s); \
		if (strcmp(g_, want)) { \
			fprintf(stderr, "  %s:%d: %s -> %s, want %s\n", __FILE__, __LINE__, s, g_, want); \
			free(g_); \
			return 1; \
		} \
		free(g_); \
	} while (0)

TEST_IMPL(kinds_cron_schedule)
{
	EXPECT_CRON("* * * * *", "ok");
	EXPECT_CRON("*/15 0-6,18-23 1,15 jan-jun MON-FRI", "ok");
	EXPECT_CRON("0 0 ? * sun", "ok");
	EXPECT_CRON("5/10 * * * *", "ok");
	EXPECT_CRON("@hourly", "ok");
	EXPECT_CRON("@annually", "ok");
	EXPECT_CRON("@every 1h30m", "ok");
	EXPECT_CRON("TZ=UTC 0 * * * *", "ok");
	EXPECT_CRON("* * * *", "expected exactly 5 fields, found 4: [* * * *]");
	EXPECT_CRON("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]");
	EXPECT_CRON("60 * * * *", "end of range (60) above maximum (59): 60");
	EXPECT_CRON("* 24 * * *", "end of range (24) above maximum (23): 24");
	EXPECT_CRON("* * 0 * *", "beginning of range (0) below minimum (1): 0");
	EXPECT_CRON("* * * 13 *", "end of range (13) above maximum (12): 13");
	EXPECT_CRON("* * * * 7", "end of range (7) above maximum (6): 7");
	EXPECT_CRON("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1");
	EXPECT_CRON("*/0 * * * *", "step of range should be a positive number: */0");
	EXPECT_CRON("1-2-3 * * * *", "too many hyphens: 1-2-3");
	EXPECT_CRON("*/2/3 * * * *", "too many slashes: */2/3");
	EXPECT_CRON("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
	EXPECT_CRON("* * * foo *", "failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax");
	EXPECT_CRON("@weekday", "unrecognized descriptor: @weekday");
	EXPECT_CRON("@every x", "failed to parse duration @every x: time: invalid duration \"x\"");
	EXPECT_CRON("@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\"");
	EXPECT_CRON("@every 5y", "failed to parse duration @every 5y: time: unknown unit \"y\" in duration \"5y\"");
	EXPECT_CRON("TZ=Nowhere/Land 0 * * * *", "provided bad location Nowhere/Land: unknown time zone Nowhere/Land");
	return 0;
}

/* ---- core kinds ------------------------------------------------------------------------------ */

TEST_IMPL(kinds_service_defaults)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *svc = create("", "Service",
			    "{'metadata':{'name':'web'},'spec':{'selector':{'app':'web'},'ports':[{'port':80}]}}", &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(svc, "{'metadata':{" META_OUT("web") "},'spec':{'selector':{'app':'web'},'ports':[{'port':80,"
			 "'protocol':'TCP','targetPort':80}],'type':'ClusterIP','sessionAffinity':'None',"
			 "'internalTrafficPolicy':'Cluster','ipFamilyPolicy':'SingleStack','ipFamilies':['IPv4']},"
			 "'status':{'loadBalancer':{}}}");
	cJSON_Delete(svc);
	svc = create("", "Service",
		     "{'metadata':{'name':'lb'},'spec':{'type':'LoadBalancer','sessionAffinity':'ClientIP',"
		     "'ports':[{'port':443,'targetPort':'https','nodePort':30443}]}}",
		     &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(svc, "{'metadata':{" META_OUT("lb") "},'spec':{'type':'LoadBalancer','sessionAffinity':'ClientIP',"
			 "'sessionAffinityConfig':{'clientIP':{'timeoutSeconds':10800}},"
			 "'ports':[{'port':443,'targetPort':'https','nodePort':30443,'protocol':'TCP'}],"
			 "'externalTrafficPolicy':'Cluster','internalTrafficPolicy':'Cluster','allocateLoadBalancerNodePorts':true,"
			 "'ipFamilyPolicy':'SingleStack','ipFamilies':['IPv4']},'status':{'loadBalancer':{}}}");
	cJSON_Delete(svc);
	svc = create("", "Service", "{'metadata':{'name':'h'},'spec':{'clusterIP':'None'}}", &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT_STR(json_strv(svc, "spec", "ipFamilyPolicy", NULL), "RequireDualStack");
	ASSERT_STR(json_getv(svc, "spec", "clusterIPs", NULL)->child->valuestring, "None");
	cJSON_Delete(svc);
	svc = create("", "Service", "{'metadata':{'name':'x'},'spec':{'type':'ExternalName','externalName':'example.com.'}}",
		     &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT(!json_getv(svc, "spec", "ipFamilies", NULL) && !json_getv(svc, "spec", "internalTrafficPolicy", NULL));
	cJSON_Delete(svc);
	return 0;
}

TEST_IMPL(kinds_service_invalid)
{
	CREATE_ERRS("", "Service", "{'metadata':{'name':'s'},'spec':{'type':'Ingress'}}",
		    "spec.ports: Required value\n"
		    "spec.type: Unsupported value: \"Ingress\": supported values: \"ClusterIP\", \"ExternalName\", "
		    "\"LoadBalancer\", \"NodePort\"\n");
	CREATE_ERRS("", "Service",
		    "{'metadata':{'name':'s'},'spec':{'clusterIP':'10.0.0.300','ports':[{'port':80,'nodePort':30001},"
		    "{'port':80,'name':'a'},{'name':'a','port':0,'protocol':'ICMP','targetPort':'Http'}]}}",
		    "spec.ports[0].name: Required value\n"
		    "spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive\n"
		    "spec.ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"\n"
		    "spec.ports[2].targetPort: Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), "
		    "and hyphens (-)\n"
		    "spec.ports[2].name: Duplicate value: \"a\"\n"
		    "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or "
		    "2001:db8::ffff)\n"
		    "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n"
		    "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), "
		    "Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}\n");
	CREATE_ERRS("", "Service",
		    "{'metadata':{'name':'s'},'spec':{'type':'ExternalName','externalName':'Not A Name','clusterIP':'10.1.1.1'}}",
		    "spec.clusterIPs: Forbidden: may not be set for ExternalName services\n"
		    "spec.externalName: Invalid value: \"Not A Name\": " SUBDOMAIN_MSG "\n");
	CREATE_ERRS("", "Service",
		    "{'metadata':{'name':'s'},'spec':{'ports':[{'port':80}],'externalTrafficPolicy':'Local',"
		    "'sessionAffinity':'Sticky','ipFamilies':['IPv5']}}",
		    "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"\n"
		    "spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"\n"
		    "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services\n");
	return 0;
}

TEST_IMPL(kinds_service_update)
{
	const char *old = "{'metadata':{'name':'s'},'spec':{'clusterIP':'10.43.0.10','ports':[{'port':80}]}}";
	/* Omitting the allocated IP keeps it. */
	UPDATE_ERRS("", "Service", old, "{'metadata':{'name':'s'},'spec':{'ports':[{'port':8080}]}}", "");
	UPDATE_ERRS("", "Service", old,
		    "{'metadata':{'name':'s'},'spec':{'clusterIP':'10.43.0.11','ports':[{'port':80}]}}",
		    "spec.clusterIPs[0]: Invalid value: []string{\"10.43.0.11\"}: may not change once set\n");
	/* Going to ExternalName drops what the old type needed. */
	UPDATE_ERRS("", "Service", old,
		    "{'metadata':{'name':'s'},'spec':{'type':'ExternalName','externalName':'db.example.com',"
		    "'clusterIP':'10.43.0.10','clusterIPs':['10.43.0.10'],'ipFamilies':['IPv4'],'ipFamilyPolicy':'SingleStack',"
		    "'internalTrafficPolicy':'Cluster'}}",
		    "");
	return 0;
}

TEST_IMPL(kinds_namespace)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *ns = create("", "Namespace", "{'metadata':{'name':'team'},'spec':{'finalizers':['example.com/x']}}", &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(ns, "{'metadata':{'name':'team','uid':'" UID "','creationTimestamp':'" TS "',"
			"'labels':{'kubernetes.io/metadata.name':'team'}},"
			"'spec':{'finalizers':['example.com/x','kubernetes']},'status':{'phase':'Active'}}");
	/* Updates keep finalizers and status, and put the name label back. */
	cJSON *upd = update("", "Namespace", ns,
			    "{'metadata':{'name':'team','labels':{'kubernetes.io/metadata.name':'other','a':'b'}},"
			    "'spec':{'finalizers':[]},'status':{'phase':'Terminating'}}",
			    &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(upd, "{'metadata':{'name':'team','uid':'" UID "','creationTimestamp':'" TS "',"
			 "'labels':{'kubernetes.io/metadata.name':'team','a':'b'}},"
			 "'spec':{'finalizers':['example.com/x','kubernetes']},'status':{'phase':'Active'}}");
	cJSON_Delete(upd);
	cJSON_Delete(ns);
	CREATE_ERRS("", "Namespace", "{'metadata':{'name':'n'},'spec':{'finalizers':['custom']}}",
		    "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully "
		    "qualified\n");
	return 0;
}

TEST_IMPL(kinds_secret_configmap)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *s = create("", "Secret", "{'metadata':{'name':'s'},'stringData':{'user':'admin'},'data':{'pw':'eA=='}}", &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(s, "{'metadata':{" META_OUT("s") "},'type':'Opaque','data':{'pw':'eA==','user':'YWRtaW4='}}");
	cJSON_Delete(s);
	CREATE_ERRS("", "Secret", "{'metadata':{'name':'s'},'type':'kubernetes.io/tls','data':{'bad key':'eA=='}}",
		    "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, "
		    "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
		    "'[-._a-zA-Z0-9]+')\n"
		    "data[tls.crt]: Required value\n"
		    "data[tls.key]: Required value\n");
	UPDATE_ERRS("", "Secret", "{'metadata':{'name':'s'},'type':'Opaque','immutable':true,'data':{'a':'eA=='}}",
		    "{'metadata':{'name':'s'},'type':'example.com/x','data':{'a':'eQ=='}}",
		    "type: Invalid value: \"example.com/x\": field is immutable\n"
		    "immutable: Forbidden: field is immutable when `immutable` is set\n"
		    "data: Forbidden: field is immutable when `immutable` is set\n");
	UPDATE_ERRS("", "ConfigMap", "{'metadata':{'name':'c'},'immutable':true,'data':{'a':'1'}}",
		    "{'metadata':{'name':'c'},'immutable':true,'data':{'a':'2'}}",
		    "data: Forbidden: field is immutable when `immutable` is set\n");
	UPDATE_ERRS("", "ConfigMap", "{'metadata':{'name':'c'},'data':{'a':'1'}}",
		    "{'metadata':{'name':'c'},'data':{'a':'2'},'immutable':true}", "");
	CREATE_ERRS("", "ConfigMap", "{'metadata':{'name':'c'},'data':{'..a':'1','b':'2'},'binaryData':{'b':'eA=='}}",
		    "data[..a]: Invalid value: \"..a\": must not start with '..'\n"
		    "data[b]: Invalid value: \"b\": duplicate of key present in binaryData\n");
	return 0;
}

TEST_IMPL(kinds_node_endpoints)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *n = create("", "Node", "{'metadata':{'name':'n1'},'spec':{'taints':[{'key':'a','effect':'NoSchedule'},"
				      "{'key':'a','effect':'NoSchedule','value':'x'},{'key':'b','effect':'Never'}]}}",
			  &errs);
	EXPECT_ERRS(&errs, "metadata.taints[1]: Duplicate value: core.Taint{Key:\"a\", Value:\"x\", Effect:\"NoSchedule\", "
			   "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair\n"
			   "metadata.taints[2].effect: Unsupported value: \"Never\": supported values: \"NoSchedule\", "
			   "\"PreferNoSchedule\", \"NoExecute\"\n");
	field_errors_release(&errs);
	cJSON_Delete(n);
	/* A status write: allocatable defaults to capacity; Go's zero NodeSystemInfo is spelled out. */
	n = js("{'metadata':{'name':'n1'},'status':{'capacity':{'cpu':'4','memory':'8192Mi'}}}");
	find_kind("", "Node")->hooks->defaults(n);
	ASSERT_STR(json_strv(n, "status", "allocatable", "memory", NULL), "8Gi");
	ASSERT_STR(json_strv(n, "status", "capacity", "memory", NULL), "8Gi");
	ASSERT_STR(json_strv(n, "status", "nodeInfo", "kubeletVersion", NULL), "");
	ASSERT_EQ(json_getv(n, "status", "daemonEndpoints", "kubeletEndpoint", "Port", NULL)->valueint, 0);
	cJSON_Delete(n);
	UPDATE_ERRS("", "Node", "{'metadata':{'name':'n1'},'spec':{'podCIDRs':['10.42.0.0/24']}}",
		    "{'metadata':{'name':'n1'},'spec':{'podCIDRs':['10.42.1.0/24']}}",
		    "spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid\n");
	cJSON *ep = create("", "Endpoints",
			   "{'metadata':{'name':'e'},'subsets':[{'addresses':[{'ip':'10.42.0.5'}],'ports':[{'port':80}]}]}", &errs);
	EXPECT_ERRS(&errs, "");
	ASSERT_STR(json_str(json_getv(ep, "subsets", NULL)->child->child->next->child, "protocol"), "TCP");
	cJSON_Delete(ep);
	CREATE_ERRS("", "Endpoints",
		    "{'metadata':{'name':'e'},'subsets':[{'ports':[{'port':80},{'port':81,'name':'b'}]},"
		    "{'addresses':[{'ip':'127.0.0.1'},{'ip':'x'}]}]}",
		    "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`\n"
		    "subsets[0].ports[0].name: Required value\n"
		    "subsets[1].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, "
		    "::1/128)\n"
		    "subsets[1].addresses[1].ip: Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or "
		    "2001:db8::ffff)\n"
		    "subsets[1].addresses[1].ip: Invalid value: \"x\": must be a valid IP address\n");
	return 0;
}

TEST_IMPL(kinds_event_lease_slice)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	cJSON *ev = create("", "Event",
			   "{'metadata':{'name':'e.1'},'involvedObject':{'kind':'Pod','name':'p','namespace':'default'},"
			   "'reason':'Started','type':'Normal'}",
			   &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(ev, "{'metadata':{" META_OUT("e.1") "},'involvedObject':{'kind':'Pod','name':'p','namespace':'default'},"
			"'reason':'Started','type':'Normal','source':{},'firstTimestamp':null,'lastTimestamp':null,"
			"'eventTime':null,'reportingComponent':'','reportingInstance':''}");
	cJSON_Delete(ev);
	CREATE_ERRS("", "Event", "{'metadata':{'name':'e','namespace':'a'},'involvedObject':{'namespace':'b'}}",
		    "involvedObject.namespace: Invalid value: \"b\": does not match event.namespace\n");
	CREATE_ERRS("events.k8s.io", "Event",
		    "{'metadata':{'name':'e'},'eventTime':'2025-05-01T10:00:00.000000Z','type':'Bad','regarding':"
		    "{'namespace':'default'},'reportingController':'k/c','deprecatedCount':3}",
		    "reportingInstance: Required value\n"
		    "action: Required value\n"
		    "reason: Required value\n"
		    "type: Invalid value: \"\": has invalid value: Bad\n"
		    "count: Invalid value: \"\": needs to be unset\n");
	CREATE_ERRS("coordination.k8s.io", "Lease",
		    "{'metadata':{'name':'l'},'spec':{'leaseDurationSeconds':0,'leaseTransitions':-1,'preferredHolder':'x'}}",
		    "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0\n"
		    "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0\n");
	cJSON *sl = create("discovery.k8s.io", "EndpointSlice",
			   "{'metadata':{'name':'s'},'addressType':'IPv4','ports':[{'port':80}]}", &errs);
	EXPECT_ERRS(&errs, "");
	EXPECT_JSON(sl, "{'metadata':{" META_OUT("s") ",'generation':1},'addressType':'IPv4','endpoints':null,"
			"'ports':[{'port':80,'name':'','protocol':'TCP'}]}");
	cJSON_Delete(sl);
	CREATE_ERRS("discovery.k8s.io", "EndpointSlice",
		    "{'metadata':{'name':'s'},'addressType':'IP','endpoints':[{'addresses':[]},{'addresses':['x.example.com']}],"
		    "'ports':[{'port':80},{'port':81,'protocol':'ICMP'}]}",
		    "addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"\n"
		    "endpoints[0].addresses: Required value: must contain at least 1 address\n"
		    "ports[1].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"\n"
		    "ports[1].name: Duplicate value: \"\"\n");
	UPDATE_ERRS("discovery.k8s.io", "EndpointSlice", "{'metadata':{'name':'s'},'addressType':'IPv4'}",
		    "{'metadata':{'name':'s'},'addressType':'IPv6'}", "addressType: Invalid value: \"IPv6\": field is immutable\n");
	return 0;
}

TEST_IMPL(kinds_status_writes)
{
	struct field_errors errs = FIELD_ERRORS_INIT;
	const struct kind_hooks *h = find_kind("apps", "Deployment")->hooks;
	cJSON *old = create("apps", "Deployment", DEPLOY_IN, &errs);
	cJSON *obj = cJSON_Duplicate(old, 1);
	json_set(obj, "status", js("{'replicas':1,'readyReplicas':2,'availableReplicas':-1}"));
	h->validate_status(obj, old, &errs);
	EXPECT_ERRS(&errs, "status.availableReplicas: Invalid value: -1: must be greater than or equal to 0\n"
			   "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas\n");
	field_errors_release(&errs);
	cJSON_Delete(obj);
	cJSON_Delete(old);
	h = find_kind("", "Namespace")->hooks;
	old = create("", "Namespace", "{'metadata':{'name':'n'}}", &errs);
	obj = cJSON_Duplicate(old, 1);
	json_set_str(json_obj(obj, "status"), "phase", "Terminating");
	h->validate_status(obj, old, &errs);
	EXPECT_ERRS(&errs, "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty\n");
	field_errors_release(&errs);
	cJSON_Delete(obj);
	cJSON_Delete(old);
	return 0;
}

/* Hostile input: every kind's hooks survive values of the wrong type and extreme numbers
 * (validation reports what it can; nothing crashes, leaks or overflows under the sanitizers). */
TEST_IMPL(kinds_garbage)
{
	static const char *const docs[] = {
		"{'metadata':{'name':'g'},'spec':'x','status':7,'data':[1],'subsets':{}}",
		"{'metadata':{'name':'g'},'spec':{'containers':'x','template':5,'selector':[],'ports':{'a':1},'replicas':1e300,"
		"'strategy':[],'updateStrategy':'x','jobTemplate':[],'volumeClaimTemplates':{},'clusterIPs':{'a':'b'}}}",
		"{'metadata':{'name':'g','labels':{'a':'b'}},'spec':{'replicas':-1e300,'selector':{'matchLabels':'x',"
		"'matchExpressions':[{'key':5,'operator':null,'values':'x'}]},'template':{'metadata':{'labels':[1]},'spec':"
		"{'terminationGracePeriodSeconds':1e300,'hostNetwork':true,'containers':[{'name':5,'image':[],'ports':["
		"{'containerPort':1e300,'hostPort':'x'},{'containerPort':'x'}],'resources':{'limits':{'cpu':[],'memory':1e300},"
		"'requests':{'cpu':{},'memory':'1e999999999999'}},'env':[{'valueFrom':{}}],'volumeMounts':[{}],"
		"'lifecycle':{'preStop':{'sleep':{'seconds':1e300}}},'livenessProbe':{'successThreshold':'x'}}],"
		"'volumes':[{'name':5},{'emptyDir':{'sizeLimit':'-1'},'hostPath':{}}],'tolerations':'x','affinity':{'nodeAffinity':"
		"{'requiredDuringSchedulingIgnoredDuringExecution':{'nodeSelectorTerms':[{'matchExpressions':[{}]}]}}}}},"
		"'jobTemplate':{'spec':{'template':{}}},'schedule':'TZ=','ports':[{'port':1e300,'targetPort':-1e300,'nodePort':1e300}],"
		"'clusterIP':'None','clusterIPs':['None','None','x'],'ipFamilies':[1,2,3],'updateStrategy':{'type':'RollingUpdate',"
		"'rollingUpdate':{'maxUnavailable':'999999999999999999999%','maxSurge':1e300}}},"
		"'status':{'capacity':{'cpu':'1Ei','memory':'9223372036854775807Ei'},'replicas':'x','collisionCount':-1e300},"
		"'addressType':'FQDN','endpoints':[{'addresses':['','.','a..b']}],'data':{'':'=','..':'x'},'type':5}",
		"{'metadata':{'name':'g','annotations':['x']},'spec':{'selector':['a'],'nodeSelector':['b'],'finalizers':{'a':1},"
		"'template':{'metadata':{'labels':['c'],'annotations':[1]},'spec':{'containers':[{'name':'c','image':'i',"
		"'resources':{'limits':['1'],'requests':[{}]},'env':['x'],'envFrom':[5],'ports':[[]],'volumeMounts':[[]]}],"
		"'volumes':[[]],'overhead':['1'],'imagePullSecrets':[[1]],'tolerations':[[]],'dnsConfig':{'nameservers':[1],"
		"'searches':[2],'options':[3]},'topologySpreadConstraints':[[]],'securityContext':{'sysctls':[[]]}}},"
		"'ports':[[]],'externalIPs':[1],'loadBalancerSourceRanges':[2],'taints':[[]],'podCIDRs':[3],"
		"'jobTemplate':{'spec':{'selector':[],'template':{'spec':{'containers':[[]]}}}}},'data':['a'],"
		"'binaryData':['b'],'stringData':['c'],'subsets':[{'addresses':[[]],'ports':[[]]}],'ports':[[]],"
		"'endpoints':[[]],'status':{'capacity':['1'],'conditions':[[]],'podIPs':[[]],'loadBalancer':{'ingress':[[]]}}}",
	};
	registry_init();
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		for (size_t d = 0; d < ARRAY_SIZE(docs); d++) {
			struct field_errors errs = FIELD_ERRORS_INIT;
			cJSON *old = create(k->group, k->kind, docs[d], &errs);
			if (!k->hooks) {
				cJSON_Delete(old);
				field_errors_release(&errs);
				continue;
			}
			for (size_t e = 0; e < ARRAY_SIZE(docs); e++) {
				cJSON *obj = update(k->group, k->kind, old, docs[e], &errs);
				if (k->hooks->validate_status)
					k->hooks->validate_status(obj, old, &errs);
				cJSON_Delete(obj);
			}
			char *s = errs_str(&errs);
			free(s);
			field_errors_release(&errs);
			cJSON_Delete(old);
		}
	}
	return 0;
}
