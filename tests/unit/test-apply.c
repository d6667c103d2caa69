/* Unit tests for server/apply: server-side apply and managedFields, following the behaviour
 * structured-merge-diff's and the API server's field manager document (ownership, pruning,
 * conflicts, shared ownership, list-maps, sets, atomic lists, the client-side apply upgrade),
 * over the real schema tables (apps/v1 Deployment, core/v1 ConfigMap and Pod) and small tables of
 * our own for what the served types do not exercise. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/apply.h"
#include "server/kinds.h"
#include "server/schema.h"
#include "server/validate.h"

#include <errno.h>

/* ---- helpers ------------------------------------------------------------------------------ */

/* Parses JSON written with ' for " (fixtures only; the JSON may not contain '). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	if (!j)
		fprintf(stderr, "  bad fixture: %s\n", s);
	free(t);
	return j;
}

/* The schema of a kind, or NULL with a printed skip reason. */
static const struct sch_type *kind_type(const char *group, const char *kind)
{
	const struct sch_type *t = sch_kind_type(group, "v1", kind);
	if (!t)
		printf("  skipped: no schema table for %s/v1 %s yet\n", group, kind);
	return t;
}

static struct apply_op deploy_op(const char *manager, const char *now)
{
	struct apply_op op = { sch_kind_type("apps", "v1", "Deployment"), "apps/v1", "Deployment", manager, NULL, 0, now };
	return op;
}

/* Applies cfg to *obj (NULL: create) as op; on success *obj is the result. Returns the code. */
static int do_apply(const struct apply_op *op, cJSON **obj, const char *cfg, struct apply_conflicts *c,
		    struct buf *err)
{
	cJSON *a = js(cfg), *out = NULL;
	int r = apply_patch(op, *obj, a, &out, c, err);
	cJSON_Delete(a);
	if (r == 0) {
		cJSON_Delete(*obj);
		*obj = out;
	}
	return r;
}

/* A write of the new object json (managedFields carried over from *obj unless it has its own),
 * tracked as op; *obj becomes the new object. */
static void do_update(const struct apply_op *op, cJSON **obj, const char *json)
{
	cJSON *n = js(json);
	const cJSON *mf = json_getv(*obj, "metadata", "managedFields", NULL);
	if (mf && !json_getv(n, "metadata", "managedFields", NULL))
		json_set(json_obj_force(n, "metadata"), "managedFields", cJSON_Duplicate(mf, 1));
	apply_track_update(op, *obj, n);
	cJSON_Delete(*obj);
	*obj = n;
}

/* The managedFields entry of manager with operation op ("Apply" or "Update"), or NULL. */
static const cJSON *entry_of(const cJSON *obj, const char *manager, const char *op)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "metadata", "managedFields", NULL))
		if (!strcmp(json_str(e, "manager"), manager) && !strcmp(json_str(e, "operation"), op))
			return e;
	return NULL;
}

/* The paths manager owns, one per line with ' for ", or "-" when it has no entry. Caller frees. */
static char *owned(const cJSON *obj, const char *manager, const char *op)
{
	const cJSON *e = entry_of(obj, manager, op);
	struct buf b = BUF_INIT;
	struct apply_set *s;
	if (!e)
		return xstrdup("-");
	s = apply_set_parse(cJSON_GetObjectItem(e, "fieldsV1"), NULL);
	apply_set_paths(s, &b);
	apply_set_free(s);
	for (char *p = b.data; p && *p; p++)
		if (*p == '"')
			*p = '\'';
	return b.len ? buf_detach(&b, NULL) : xstrdup("");
}

#define EXPECT_OWNED(obj, mgr, op, want) \
	do { \
		char *got_ = owned(obj, mgr, op); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: %s %s owns\n%s\n  want\n%s\n", __FILE__, __LINE__, mgr, op, got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

/* obj printed compactly at a path of keys, with ' for " (caller frees). */
static char *at(const cJSON *obj, const char *a, const char *b, const char *c)
{
	const cJSON *v = json_getv(obj, a, b, c, NULL);
	char *s = v ? json_print_str(v) : xstrdup("(absent)");
	for (char *p = s; *p; p++)
		if (*p == '"')
			*p = '\'';
	return s;
}

#define EXPECT_AT(obj, a, b, c, want) \
	do { \
		char *got_ = at(obj, a, b, c); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: %s.%s.%s = %s, want %s\n", __FILE__, __LINE__, a, b ? b : "", \
				c ? c : "", got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

/* A Deployment configuration like the manifests kubectl sends (single quotes for JSON quotes). */
#define DEPLOY_HEAD "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default'"
#define DEPLOY_SPEC(replicas, image) \
	"'spec':{" replicas "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}}," \
	"'spec':{'containers':[{'name':'web','image':'" image "','ports':[{'containerPort':80}]}]}}}}"
#define DEPLOY(replicas, image) DEPLOY_HEAD ",'labels':{'app':'web'}}," DEPLOY_SPEC(replicas, image)

#define WEB_PATHS \
	".spec.template.spec.containers[name='web']\n" \
	".spec.template.spec.containers[name='web'].image\n" \
	".spec.template.spec.containers[name='web'].name\n" \
	".spec.template.spec.containers[name='web'].ports[containerPort=80,protocol='TCP']\n" \
	".spec.template.spec.containers[name='web'].ports[containerPort=80,protocol='TCP'].containerPort\n"

/* ---- field sets --------------------------------------------------------------------------- */

/* Parses fieldsV1 text and renders it again. */
static char *roundtrip(const char *text)
{
	cJSON *j = json_parse(text, strlen(text), NULL);
	struct buf b = BUF_INIT;
	struct apply_set *s = apply_set_parse(j, &b);
	cJSON_Delete(j);
	if (!s) {
		char *e = xasprintf("ERR: %s", buf_str(&b));
		buf_release(&b);
		return e;
	}
	buf_reset(&b);
	apply_set_render(s, &b);
	apply_set_free(s);
	return buf_detach(&b, NULL);
}

#define EXPECT_RT(text, want) \
	do { \
		char *got_ = roundtrip(text); \
		if (strcmp(got_, want)) { \
			fprintf(stderr, "  %s:%d: %s\n    got  %s\n    want %s\n", __FILE__, __LINE__, text, got_, want); \
			free(got_); \
			return 1; \
		} \
		free(got_); \
	} while (0)

TEST_IMPL(apply_fieldsv1_format)
{
	/* upstream's order: "." first, then fields, keys, values, indexes, each sorted */
	EXPECT_RT("{\"i:1\":{},\"v:\\\"b\\\"\":{},\"v:2\":{},\"k:{\\\"name\\\":\\\"a\\\"}\":{\"f:x\":{},\".\":{}},\"f:b\":{},"
		  "\"i:0\":{},\"f:a\":{\"f:z\":{}}}",
		  "{\"f:a\":{\"f:z\":{}},\"f:b\":{},\"k:{\\\"name\\\":\\\"a\\\"}\":{\".\":{},\"f:x\":{}},\"v:2\":{},"
		  "\"v:\\\"b\\\"\":{},\"i:0\":{},\"i:1\":{}}");
	/* key fields are sorted by name; numbers print as Go does; values compare numerically */
	EXPECT_RT("{\"k:{\\\"protocol\\\":\\\"TCP\\\",\\\"containerPort\\\":8080}\":{},"
		  "\"k:{\\\"protocol\\\":\\\"TCP\\\",\\\"containerPort\\\":80}\":{}}",
		  "{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{},"
		  "\"k:{\\\"containerPort\\\":8080,\\\"protocol\\\":\\\"TCP\\\"}\":{}}");
	EXPECT_RT("{\"v:10\":{},\"v:9.5\":{},\"v:true\":{},\"v:\\\"a\\\"\":{},\"v:null\":{}}",
		  "{\"v:9.5\":{},\"v:10\":{},\"v:\\\"a\\\"\":{},\"v:true\":{},\"v:null\":{}}");
	/* "." alone, an empty object and null all mark the key as owned; unknown kinds are dropped */
	EXPECT_RT("{\"f:a\":{\".\":{}},\"f:b\":null,\"f:c\":{\"x:y\":{}},\"z:q\":{}}", "{\"f:a\":{},\"f:b\":{},\"f:c\":{}}");
	EXPECT_RT("null", "{}");
	EXPECT_RT("{}", "{}");
	/* a repeated key keeps its last children */
	EXPECT_RT("{\"f:a\":{\"f:x\":{}},\"f:a\":{\"f:y\":{}}}", "{\"f:a\":{\"f:y\":{}}}");
	/* HTML-sensitive characters in values are escaped as Go's encoder does */
	EXPECT_RT("{\"v:\\\"a<b\\\"\":{}}", "{\"v:\\\"a\\\\u003cb\\\"\":{}}");
	EXPECT_RT("{\"fx\":{}}", "ERR: parsing key as path element: missing colon: fx");
	EXPECT_RT("{\"f\":{}}", "ERR: parsing key as path element: key must be 2 characters long:");
	EXPECT_RT("{\"i:x\":{}}", "ERR: parsing key as path element: strconv.Atoi: parsing \"x\": invalid syntax");
	EXPECT_RT("{\"f:a\":{\"k:[1]\":{}}}", "ERR: parsing key as path element: ReadObjectCB: expect {, parsing [1]");
	EXPECT_RT("{\"f:a\":3}", "ERR: ReadMapCB: expect { or n");
	EXPECT_RT("[]", "ERR: ReadMapCB: expect { or n");
	return 0;
}

/* The set of one fieldsV1 text. */
static struct apply_set *set_of(const char *text)
{
	cJSON *j = js(text);
	struct apply_set *s = apply_set_parse(j, NULL);
	cJSON_Delete(j);
	return s;
}

TEST_IMPL(apply_set_paths_notation)
{
	struct apply_set *s = set_of("{'f:spec':{'f:replicas':{},'f:template':{'f:spec':{'f:containers':{"
				     "'k:{\\'name\\':\\'web\\'}':{'.':{},'f:image':{}}}}}},"
				     "'f:metadata':{'f:finalizers':{'v:\\'a\\'':{}}},'f:list':{'i:3':{}}}");
	struct buf b = BUF_INIT;
	ASSERT(s);
	apply_set_paths(s, &b);
	ASSERT_STR(buf_str(&b), ".list[3]\n"
				".metadata.finalizers[=\"a\"]\n"
				".spec.replicas\n"
				".spec.template.spec.containers[name=\"web\"]\n"
				".spec.template.spec.containers[name=\"web\"].image\n");
	ASSERT(!apply_set_empty(s));
	apply_set_free(s);
	buf_release(&b);
	s = set_of("{}");
	ASSERT(apply_set_empty(s));
	apply_set_free(s);
	return 0;
}

TEST_IMPL(apply_set_from_object)
{
	const struct sch_type *t = kind_type("", "Pod");
	cJSON *pod = js("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'b'},'finalizers':['x']},"
			"'spec':{'containers':[{'name':'c','image':'i','args':['-v'],'resources':{},"
			"'env':[{'name':'E','value':'1'}]}],'nodeSelector':{'disk':'ssd'},'securityContext':{}}}");
	struct buf b = BUF_INIT;
	if (!t) {
		cJSON_Delete(pod);
		return 0;
	}
	struct apply_set *s = apply_set_from_object(t, pod);
	apply_set_render(s, &b);
	/* map entries and list elements are owned ("."), struct fields only through children, atomic
	 * lists and maps whole, empty granular maps not at all */
	ASSERT_STR(buf_str(&b),
		   "{\"f:apiVersion\":{},\"f:kind\":{},\"f:metadata\":{\"f:finalizers\":{\"v:\\\"x\\\"\":{}},"
		   "\"f:labels\":{\"f:a\":{}},\"f:name\":{}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{"
		   "\".\":{},\"f:args\":{},\"f:env\":{\"k:{\\\"name\\\":\\\"E\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
		   "\"f:image\":{},\"f:name\":{}}},\"f:nodeSelector\":{}}}");
	apply_set_free(s);
	buf_release(&b);
	cJSON_Delete(pod);
	return 0;
}

/* ---- apply: ownership --------------------------------------------------------------------- */

TEST_IMPL(apply_first_apply_creates)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z");
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	struct buf err = BUF_INIT;
	cJSON *obj = NULL;
	if (!kind_type("apps", "Deployment"))
		return 0;
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':2,", "nginx:1.25"), &c, &err), 0);
	const cJSON *e = entry_of(obj, "kubectl", "Apply");
	ASSERT(e);
	char *fields = json_print_str(cJSON_GetObjectItem(e, "fieldsV1"));
	/* byte for byte what a 1.33 API server stores for this kubectl apply --server-side */
	ASSERT_STR(fields, "{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},"
			   "\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{"
			   "\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},\"f:ports\":{"
			   "\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}}}");
	free(fields);
	fields = json_print_str(e);
	ASSERT(starts_with(fields, "{\"manager\":\"kubectl\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\","
				   "\"time\":\"2024-05-01T10:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{"));
	free(fields);
	ASSERT_EQ(cJSON_GetArraySize(json_getv(obj, "metadata", "managedFields", NULL)), 1);
	EXPECT_AT(obj, "spec", "replicas", NULL, "2");
	EXPECT_AT(obj, "spec", "selector", NULL, "{'matchLabels':{'app':'web'}}");
	EXPECT_AT(obj, "metadata", "name", NULL, "'web'");
	ASSERT_STR(json_str(obj, "kind"), "Deployment");
	ASSERT_STR(obj->child->string, "apiVersion");
	ASSERT_STR(obj->child->next->string, "kind");
	/* no nulls from the zero value survive */
	char *all = json_print_str(obj);
	ASSERT(!strstr(all, "null"));
	free(all);
	cJSON_Delete(obj);
	buf_release(&err);
	return 0;
}

TEST_IMPL(apply_reapply_removes_dropped_fields)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z");
	cJSON *obj = NULL;
	if (!kind_type("apps", "Deployment"))
		return 0;
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':2,", "nginx:1.25"), NULL, NULL), 0);
	/* the label and replicas are no longer applied: nobody else owns them, so they go */
	op.now = "2024-05-01T10:05:00Z";
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY_HEAD "}," DEPLOY_SPEC("", "nginx:1.26"), NULL, NULL), 0);
	EXPECT_AT(obj, "spec", "replicas", NULL, "(absent)");
	EXPECT_AT(obj, "metadata", "labels", NULL, "(absent)");
	EXPECT_AT(obj, "spec", "template", "spec", "{'containers':[{'name':'web','image':'nginx:1.26','ports':"
						   "[{'containerPort':80}]}]}");
	EXPECT_OWNED(obj, "kubectl", "Apply",
		     ".spec.selector\n.spec.template.metadata.labels.app\n" WEB_PATHS);
	ASSERT_STR(json_str(entry_of(obj, "kubectl", "Apply"), "time"), "2024-05-01T10:05:00Z");
	/* dropping a container removes it */
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY_HEAD "},'spec':{'selector':{'matchLabels':{'app':'web'}},'template':{"
				      "'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'side','image':'busybox'}]}}}}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "spec", "template", "spec", "{'containers':[{'name':'side','image':'busybox'}]}");
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_shared_ownership)
{
	struct apply_op a = deploy_op("alice", "2024-05-01T10:00:00Z"), b = deploy_op("bob", "2024-05-01T10:01:00Z");
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	cJSON *obj = NULL;
	if (!kind_type("apps", "Deployment"))
		return 0;
	ASSERT_EQ(do_apply(&a, &obj, DEPLOY("'replicas':3,", "nginx"), NULL, NULL), 0);
	/* the same value is shared ownership, not a conflict */
	ASSERT_EQ(do_apply(&b, &obj, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
				     "'spec':{'replicas':3}}",
			   &c, NULL),
		  0);
	ASSERT_EQ(c.n, 0);
	EXPECT_OWNED(obj, "bob", "Apply", ".spec.replicas\n");
	char *alice = owned(obj, "alice", "Apply");
	ASSERT(strstr(alice, ".spec.replicas\n"));
	free(alice);
	/* a no-op apply changes nothing: bob's entry has no time, as upstream leaves it */
	ASSERT(!json_str(entry_of(obj, "bob", "Apply"), "time"));
	/* alice stops applying replicas: bob still owns it, so it stays */
	a.now = "2024-05-01T10:02:00Z";
	ASSERT_EQ(do_apply(&a, &obj, DEPLOY("", "nginx"), NULL, NULL), 0);
	EXPECT_AT(obj, "spec", "replicas", NULL, "3");
	alice = owned(obj, "alice", "Apply");
	ASSERT(!strstr(alice, "replicas"));
	free(alice);
	EXPECT_OWNED(obj, "bob", "Apply", ".spec.replicas\n");
	/* bob stops too: now it goes */
	ASSERT_EQ(do_apply(&b, &obj, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
				     "'annotations':{'x':'y'}}}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "spec", "replicas", NULL, "(absent)");
	EXPECT_OWNED(obj, "bob", "Apply", ".metadata.annotations.x\n");
	cJSON_Delete(obj);
	return 0;
}

/* A Deployment made by kubectl create (an Update by kubectl-create), then scaled by kubectl
 * scale (an Update through the scale subresource by "kubectl", from the User-Agent). */
static cJSON *created_then_scaled(void)
{
	struct apply_op create = deploy_op("kubectl-create", "2024-05-01T09:00:00Z"), scale = create;
	cJSON *obj = NULL;
	scale.manager = "kubectl";
	scale.subresource = "scale";
	scale.now = "2024-05-01T09:30:00Z";
	obj = js(DEPLOY("'replicas':1,", "nginx"));
	apply_track_update(&create, NULL, obj);
	do_update(&scale, &obj, DEPLOY("'replicas':5,", "nginx"));
	return obj;
}

TEST_IMPL(apply_conflict_with_updater)
{
	struct apply_op op = deploy_op("mgr", "2024-05-01T10:00:00Z");
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	struct buf err = BUF_INIT;
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = created_then_scaled();
	EXPECT_OWNED(obj, "kubectl", "Update", ".spec.replicas\n");
	ASSERT_STR(json_str(entry_of(obj, "kubectl", "Update"), "subresource"), "scale");
	char *before = json_print_str(obj);
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':3,", "nginx"), &c, &err), -KUBE_ECONFLICT);
	char *after = json_print_str(obj);
	ASSERT_STR(after, before);
	free(before);
	free(after);
	ASSERT_EQ(c.n, 1);
	ASSERT_STR(c.message, "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using "
			      "apps/v1: .spec.replicas");
	ASSERT_STR(c.v[0].message, "conflict with \"kubectl\" with subresource \"scale\" using apps/v1");
	ASSERT_STR(c.v[0].field, ".spec.replicas");
	apply_conflicts_release(&c);
	/* the same replicas as live is no conflict: the field becomes shared */
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':5,", "nginx"), &c, &err), 0);
	EXPECT_OWNED(obj, "kubectl", "Update", ".spec.replicas\n");
	cJSON_Delete(obj);
	buf_release(&err);
	return 0;
}

TEST_IMPL(apply_conflicts_several_managers)
{
	struct apply_op op = deploy_op("mgr", "2024-05-01T10:00:00Z"), edit = deploy_op("kubectl-edit", "2024-05-01T09:40:00Z");
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = created_then_scaled();
	do_update(&edit, &obj, DEPLOY("'replicas':5,'paused':true,'minReadySeconds':4,", "nginx"));
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':3,'paused':false,'minReadySeconds':9,", "httpd"), &c, NULL),
		  -KUBE_ECONFLICT);
	ASSERT_EQ(c.n, 4);
	/* managers sorted by identifier; each one's paths in set order */
	ASSERT_STR(c.message, "Apply failed with 4 conflicts: conflicts with \"kubectl\" with subresource \"scale\" using apps/v1:\n"
			      "- .spec.replicas\n"
			      "conflicts with \"kubectl-create\" using apps/v1:\n"
			      "- .spec.template.spec.containers[name=\"web\"].image\n"
			      "conflicts with \"kubectl-edit\" using apps/v1:\n"
			      "- .spec.minReadySeconds\n"
			      "- .spec.paused");
	ASSERT_STR(c.v[1].field, ".spec.template.spec.containers[name=\"web\"].image");
	ASSERT_STR(c.v[3].message, "conflict with \"kubectl-edit\" using apps/v1");
	apply_conflicts_release(&c);
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_force_takes_ownership)
{
	struct apply_op op = deploy_op("mgr", "2024-05-01T10:00:00Z");
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = created_then_scaled();
	op.force = 1;
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':3,", "nginx"), NULL, NULL), 0);
	EXPECT_AT(obj, "spec", "replicas", NULL, "3");
	/* the scale entry owned nothing else: it is gone */
	ASSERT(!entry_of(obj, "kubectl", "Update"));
	char *mine = owned(obj, "mgr", "Apply");
	ASSERT(strstr(mine, ".spec.replicas\n"));
	free(mine);
	char *create = owned(obj, "kubectl-create", "Update");
	ASSERT(!strstr(create, "replicas"));
	ASSERT(strstr(create, ".spec.template.spec.containers[name='web'].image\n"));
	free(create);
	/* entries: Apply first, then Update by time */
	const cJSON *mf = json_getv(obj, "metadata", "managedFields", NULL);
	ASSERT_STR(json_str(cJSON_GetArrayItem(mf, 0), "manager"), "mgr");
	ASSERT_STR(json_str(cJSON_GetArrayItem(mf, 1), "manager"), "kubectl-create");
	cJSON_Delete(obj);
	return 0;
}

/* ---- apply: lists ------------------------------------------------------------------------- */

TEST_IMPL(apply_list_map_merge)
{
	struct apply_op create = deploy_op("kubectl-create", "2024-05-01T09:00:00Z"), op = deploy_op("sidecar", "2024-05-01T10:00:00Z");
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = js(DEPLOY_HEAD "},'spec':{'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':"
			     "{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':80,"
			     "'protocol':'TCP'},{'containerPort':53,'protocol':'UDP'}]},{'name':'log','image':'fluent'}]}}}}");
	apply_track_update(&create, NULL, obj);
	/* a second manager adds a port to "web" (53/TCP is not 53/UDP) and a container: merged by key */
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY_HEAD "},'spec':{'template':{'spec':{'containers':[{'name':'proxy',"
				      "'image':'envoy'},{'name':'web','ports':[{'containerPort':53}]}]}}}}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "spec", "template", "spec",
		  "{'containers':[{'name':'proxy','image':'envoy'},{'name':'web','image':'nginx','ports':[{'containerPort':80,"
		  "'protocol':'TCP'},{'containerPort':53,'protocol':'UDP'},{'containerPort':53}]},{'name':'log','image':"
		  "'fluent'}]}");
	/* Iterate's order: the members of a level, then what is under them */
	EXPECT_OWNED(obj, "sidecar", "Apply",
		     ".spec.template.spec.containers[name='proxy']\n"
		     ".spec.template.spec.containers[name='web']\n"
		     ".spec.template.spec.containers[name='proxy'].image\n"
		     ".spec.template.spec.containers[name='proxy'].name\n"
		     ".spec.template.spec.containers[name='web'].name\n"
		     ".spec.template.spec.containers[name='web'].ports[containerPort=53,protocol='TCP']\n"
		     ".spec.template.spec.containers[name='web'].ports[containerPort=53,protocol='TCP'].containerPort\n");
	/* it stops applying the extra port: only its own port goes */
	op.now = "2024-05-01T10:10:00Z";
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY_HEAD "},'spec':{'template':{'spec':{'containers':[{'name':'proxy',"
				      "'image':'envoy'}]}}}}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "spec", "template", "spec",
		  "{'containers':[{'name':'proxy','image':'envoy'},{'name':'web','image':'nginx','ports':[{'containerPort':80,"
		  "'protocol':'TCP'},{'containerPort':53,'protocol':'UDP'}]},{'name':'log','image':'fluent'}]}");
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_set_list_finalizers)
{
	struct apply_op a = { NULL, "v1", "ConfigMap", "a", NULL, 0, "2024-05-01T10:00:00Z" }, b = a;
	cJSON *obj = NULL;
	if (!(a.type = b.type = kind_type("", "ConfigMap")))
		return 0;
	b.manager = "b";
	ASSERT_EQ(do_apply(&a, &obj, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['x/one',"
				     "'x/two']}}",
			   NULL, NULL),
		  0);
	ASSERT_EQ(do_apply(&b, &obj, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['x/three',"
				     "'x/one']}}",
			   NULL, NULL),
		  0);
	/* a set merges by value in upstream's list order: the applied order for what it applies,
	 * live-only values where they were */
	EXPECT_AT(obj, "metadata", "finalizers", NULL, "['x/three','x/one','x/two']");
	EXPECT_OWNED(obj, "b", "Apply", ".metadata.finalizers[='x/one']\n.metadata.finalizers[='x/three']\n");
	/* a drops both: x/one stays (b owns it), x/two goes */
	ASSERT_EQ(do_apply(&a, &obj, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'k':'v'}}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "metadata", "finalizers", NULL, "['x/three','x/one']");
	EXPECT_AT(obj, "data", NULL, NULL, "{'k':'v'}");
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_atomic_list_replaced)
{
	struct apply_op a = { NULL, "v1", "Pod", "a", NULL, 0, "2024-05-01T10:00:00Z" }, b = a;
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	cJSON *obj = NULL;
	if (!(a.type = b.type = kind_type("", "Pod")))
		return 0;
	b.manager = "b";
	ASSERT_EQ(do_apply(&a, &obj, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
				     "[{'name':'c','image':'i','args':['-a','-b']}]}}",
			   NULL, NULL),
		  0);
	/* args is atomic: owned whole, and another value conflicts as a whole */
	char *own = owned(obj, "a", "Apply");
	ASSERT(strstr(own, ".spec.containers[name='c'].args\n"));
	ASSERT(!strstr(own, "args["));
	free(own);
	ASSERT_EQ(do_apply(&b, &obj, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
				     "[{'name':'c','args':['-a']}]}}",
			   &c, NULL),
		  -KUBE_ECONFLICT);
	ASSERT_STR(c.v[0].field, ".spec.containers[name=\"c\"].args");
	ASSERT_STR(c.v[0].message, "conflict with \"a\"");
	apply_conflicts_release(&c);
	b.force = 1;
	ASSERT_EQ(do_apply(&b, &obj, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
				     "[{'name':'c','args':['-a']}]}}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "spec", "containers", NULL, "[{'name':'c','image':'i','args':['-a']}]");
	cJSON_Delete(obj);
	return 0;
}

/* ---- apply: other kinds and requests ------------------------------------------------------ */

TEST_IMPL(apply_statusless_kind)
{
	struct apply_op op = { NULL, "v1", "ConfigMap", "kubectl", NULL, 0, "2024-05-01T10:00:00Z" };
	cJSON *obj = NULL;
	struct buf b = BUF_INIT;
	if (!(op.type = kind_type("", "ConfigMap")))
		return 0;
	ASSERT_EQ(do_apply(&op, &obj, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','namespace':'ns',"
				      "'uid':'u1','resourceVersion':'7'},'data':{'a':'1','b':'2'}}",
			   NULL, NULL),
		  0);
	/* bookkeeping fields are kept in the object (preconditions for the caller) but never owned */
	EXPECT_OWNED(obj, "kubectl", "Apply", ".data.a\n.data.b\n");
	EXPECT_AT(obj, "metadata", "resourceVersion", NULL, "'7'");
	ASSERT(!cJSON_GetObjectItem(obj, "status"));
	ASSERT(!cJSON_GetObjectItem(obj, "spec"));
	/* status in a configuration applied to the main resource is not owned */
	op.type = kind_type("", "Pod");
	op.kind = "Pod";
	cJSON_Delete(obj);
	obj = NULL;
	ASSERT_EQ(do_apply(&op, &obj, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
				      "[{'name':'c','image':'i'}]},'status':{'phase':'Running'}}",
			   NULL, NULL),
		  0);
	EXPECT_OWNED(obj, "kubectl", "Apply", ".spec.containers[name='c']\n.spec.containers[name='c'].image\n"
					      ".spec.containers[name='c'].name\n");
	buf_release(&b);
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_errors)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z");
	struct buf err = BUF_INIT;
	cJSON *obj = NULL;
#define EXPECT_ERR(cfg, code, msg) \
	do { \
		buf_reset(&err); \
		ASSERT_EQ(do_apply(&op, &obj, cfg, NULL, &err), code); \
		ASSERT(!obj); \
		ASSERT_STR(buf_str(&err), msg); \
	} while (0)
	if (!kind_type("apps", "Deployment"))
		return 0;
	EXPECT_ERR("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web'}}", -KUBE_EINVAL,
		   "invalid object type: /v1, Kind=Pod");
	EXPECT_ERR("{'metadata':{'name':'web'}}", -KUBE_EINVAL, "invalid object type: /, Kind=");
	EXPECT_ERR("{'apiVersion':'a/b/c','kind':'Deployment'}", -KUBE_EINVAL, "invalid object type: /, Kind=");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','managedFields':[]}}",
		   -KUBE_EINVAL, "metadata.managedFields must be nil");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'ns'},'spec':{"
		   "'replicaz':1}}",
		   -EBADMSG, "failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.replicaz: field "
			     "not declared in schema");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':'3',"
		   "'paused':'yes'}}",
		   -EBADMSG, "failed to create typed patch object (/web; apps/v1, Kind=Deployment): errors:\n"
			     "  .spec.replicas: expected numeric (int or float), got string\n"
			     "  .spec.paused: expected boolean, got &{yes}");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':7}}", -EBADMSG,
		   "failed to create typed patch object (/; apps/v1, Kind=Deployment): .metadata.name: expected string, got "
		   "&value.valueUnstructured{Value:7}");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':{'spec':{"
		   "'containers':[{'image':'x'}]}}}}",
		   -EBADMSG, "failed to create typed patch object (/web; apps/v1, Kind=Deployment): "
			     ".spec.template.spec.containers: element 0: associative list with keys has an element that omits "
			     "key field \"name\" (and doesn't have default value)");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':{'spec':{"
		   "'containers':[{'name':'a'},{'name':'a'}]}}}}",
		   -EBADMSG, "failed to create typed patch object (/web; apps/v1, Kind=Deployment): "
			     ".spec.template.spec.containers: duplicate entries for key [name=\"a\"]");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','finalizers':[{'a':1}]}}",
		   -EBADMSG, "failed to create typed patch object (/web; apps/v1, Kind=Deployment): .metadata.finalizers: "
			     "element 0: associative list without keys has an element that's a map type");
	EXPECT_ERR("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':[1]}", -EBADMSG,
		   "failed to create typed patch object (/web; apps/v1, Kind=Deployment): .spec: expected map, got &{[1]}");
	/* live entries that do not decode */
	obj = js(DEPLOY("", "nginx"));
	json_set(json_obj(obj, "metadata"), "managedFields", js("[{'manager':'m','operation':'Bogus'}]"));
	buf_reset(&err);
	cJSON *out = NULL, *cfg = js(DEPLOY("", "nginx"));
	ASSERT_EQ(apply_patch(&op, obj, cfg, &out, NULL, &err), -EBADMSG);
	ASSERT_STR(buf_str(&err), "failed to decode managed fields: operation must be `Apply` or `Update`");
	ASSERT(!out);
	cJSON_Delete(cfg);
	cJSON_Delete(obj);
	buf_release(&err);
#undef EXPECT_ERR
	return 0;
}

TEST_IMPL(apply_before_first_apply)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z");
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	/* an object stored without managedFields: its fields go to "before-first-apply" */
	obj = js(DEPLOY("'replicas':1,", "nginx"));
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':2,", "nginx"), &c, NULL), -KUBE_ECONFLICT);
	ASSERT_STR(c.message, "Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: "
			      ".spec.replicas");
	apply_conflicts_release(&c);
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':1,", "nginx"), &c, NULL), 0);
	const cJSON *e = entry_of(obj, "before-first-apply", "Update");
	ASSERT(e);
	ASSERT_STR(json_str(e, "time"), "2024-05-01T10:00:00Z");
	/* unchanged object: the apply entry has no time */
	ASSERT(entry_of(obj, "kubectl", "Apply"));
	ASSERT(!json_str(entry_of(obj, "kubectl", "Apply"), "time"));
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_noop_keeps_object)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z");
	cJSON *obj = NULL;
	if (!kind_type("apps", "Deployment"))
		return 0;
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':2,", "nginx"), NULL, NULL), 0);
	json_set_str(json_obj(obj, "metadata"), "resourceVersion", "42");
	/* managedFields last, as Go writes ObjectMeta */
	cJSON *mf = cJSON_DetachItemFromObject(json_obj(obj, "metadata"), "managedFields");
	cJSON_AddItemToObject(json_obj(obj, "metadata"), "managedFields", mf);
	char *before = json_print_str(obj);
	op.now = "2024-05-01T11:00:00Z";
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':2,", "nginx"), NULL, NULL), 0);
	char *after = json_print_str(obj);
	/* same object, same time: upstream skips the write */
	ASSERT_STR(after, before);
	free(before);
	free(after);
	cJSON_Delete(obj);
	return 0;
}

/* ---- the client-side apply upgrade -------------------------------------------------------- */

/* kubectl apply (client-side) of DEPLOY(replicas 1): last-applied annotation, Update entry. */
static cJSON *client_side_applied(void)
{
	struct apply_op csa = deploy_op("kubectl-client-side-apply", "2024-05-01T09:00:00Z");
	cJSON *obj = js(DEPLOY("'replicas':1,", "nginx"));
	cJSON *cfg = js(DEPLOY("'replicas':1,", "nginx"));
	char *text = json_print_str(cfg);
	cJSON *ann = json_obj_force(json_obj(obj, "metadata"), "annotations");
	char *v = xasprintf("%s\n", text);
	json_set_str(ann, "kubectl.kubernetes.io/last-applied-configuration", v);
	free(v);
	free(text);
	cJSON_Delete(cfg);
	apply_track_update(&csa, NULL, obj);
	return obj;
}

TEST_IMPL(apply_client_side_upgrade)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z"), scale = op;
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = client_side_applied();
	/* replicas still has its last-applied value: kubectl takes it over without --force-conflicts */
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':3,", "nginx"), &c, NULL), 0);
	EXPECT_AT(obj, "spec", "replicas", NULL, "3");
	/* and the annotation follows the applied configuration (Go's sorted JSON) */
	const char *la = json_strv(obj, "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration", NULL);
	ASSERT(la && starts_with(la, "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"labels\":"
				     "{\"app\":\"web\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"replicas\":3,"));
	ASSERT(ends_with(la, "}\n"));
	char *csa = owned(obj, "kubectl-client-side-apply", "Update");
	ASSERT(!strstr(csa, "replicas"));
	free(csa);
	cJSON_Delete(obj);
	/* once kubectl scale changed it, the value differs from last-applied: a real conflict */
	obj = client_side_applied();
	scale.manager = "kubectl";
	scale.subresource = "scale";
	scale.now = "2024-05-01T09:30:00Z";
	do_update(&scale, &obj, DEPLOY("'replicas':5,", "nginx"));
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':3,", "nginx"), &c, NULL), -KUBE_ECONFLICT);
	ASSERT_EQ(c.n, 1);
	ASSERT_STR(c.v[0].field, ".spec.replicas");
	apply_conflicts_release(&c);
	/* another manager never gets the upgrade */
	cJSON_Delete(obj);
	obj = client_side_applied();
	op.manager = "helm";
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':3,", "nginx"), &c, NULL), -KUBE_ECONFLICT);
	ASSERT_STR(c.message, "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: "
			      ".spec.replicas");
	apply_conflicts_release(&c);
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_last_applied_second_patch)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z"), la = op;
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = client_side_applied();
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':1,", "nginx:2"), NULL, NULL), 0);
	/* kubectl's second PATCH (fieldManager=kubectl-last-applied): only the annotation, name and
	 * namespace; it must not prune what the first manager applied */
	la.manager = "kubectl-last-applied";
	la.now = "2024-05-01T10:00:01Z";
	const char *cur = json_strv(obj, "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration", NULL);
	ASSERT(cur);
	cJSON *cfg = js("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default',"
			"'annotations':{}}}"), *out = NULL;
	json_set_str(json_getv(cfg, "metadata", "annotations", NULL), "kubectl.kubernetes.io/last-applied-configuration", cur);
	ASSERT_EQ(apply_patch(&la, obj, cfg, &out, NULL, NULL), 0);
	cJSON_Delete(cfg);
	cJSON_Delete(obj);
	obj = out;
	/* the annotation is now shared with the client-side apply entry */
	char *csa = owned(obj, "kubectl-client-side-apply", "Update");
	ASSERT(strstr(csa, ".metadata.annotations.kubectl.kubernetes.io/last-applied-configuration\n"));
	free(csa);
	EXPECT_OWNED(obj, "kubectl-last-applied", "Apply",
		     ".metadata.annotations.kubectl.kubernetes.io/last-applied-configuration\n");
	EXPECT_AT(obj, "spec", "replicas", NULL, "1");
	EXPECT_AT(obj, "spec", "template", "spec", "{'containers':[{'name':'web','image':'nginx:2','ports':[{'containerPort':"
						   "80}]}]}");
	char *kubectl = owned(obj, "kubectl", "Apply");
	ASSERT(strstr(kubectl, ".spec.replicas\n"));
	free(kubectl);
	/* the second apply changed nothing: its entry has no time and so sorts first */
	const cJSON *mf = json_getv(obj, "metadata", "managedFields", NULL);
	ASSERT_STR(json_str(cJSON_GetArrayItem(mf, 0), "manager"), "kubectl-last-applied");
	ASSERT(!json_str(cJSON_GetArrayItem(mf, 0), "time"));
	ASSERT_STR(json_str(cJSON_GetArrayItem(mf, 1), "manager"), "kubectl");
	cJSON_Delete(obj);
	return 0;
}

/* ---- Update tracking ---------------------------------------------------------------------- */

TEST_IMPL(apply_track_create_deployment)
{
	struct apply_op op = deploy_op("kubectl-create", "2024-05-01T09:00:00Z");
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	/* kubectl create deployment nginx --image=nginx, decoded and defaulted */
	obj = js("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'nginx','namespace':'default','labels':"
		 "{'app':'nginx'}},'spec':{'replicas':1,'selector':{'matchLabels':{'app':'nginx'}},'template':{'metadata':"
		 "{'labels':{'app':'nginx'}},'spec':{'containers':[{'name':'nginx','image':'nginx'}]}},'strategy':{}}}");
	defaults_deployment(obj);
	apply_track_update(&op, NULL, obj);
	const cJSON *e = entry_of(obj, "kubectl-create", "Update");
	ASSERT(e);
	char *fields = json_print_str(cJSON_GetObjectItem(e, "fieldsV1"));
	/* what a 1.33 API server records for that command */
	ASSERT_STR(fields, "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{},"
			   "\"f:replicas\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},\"f:strategy\":{\"f:rollingUpdate\":"
			   "{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}},\"f:template\":{\"f:metadata\":"
			   "{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":"
			   "{\".\":{},\"f:image\":{},\"f:imagePullPolicy\":{},\"f:name\":{},\"f:resources\":{},"
			   "\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},"
			   "\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},"
			   "\"f:terminationGracePeriodSeconds\":{}}}}}");
	free(fields);
	ASSERT_STR(json_str(e, "apiVersion"), "apps/v1");
	ASSERT_STR(json_str(e, "time"), "2024-05-01T09:00:00Z");
	ASSERT(!json_str(e, "subresource"));
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_track_update_moves_ownership)
{
	struct apply_op create = deploy_op("kubectl-create", "2024-05-01T09:00:00Z"), put = create, again = create;
	cJSON *obj;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = js(DEPLOY("'replicas':1,", "nginx"));
	apply_track_update(&create, NULL, obj);
	/* kubectl replace changes the image and drops the label */
	put.manager = "kubectl-replace";
	put.now = "2024-05-01T09:10:00Z";
	do_update(&put, &obj, DEPLOY_HEAD "}," DEPLOY_SPEC("'replicas':1,", "nginx:2"));
	EXPECT_OWNED(obj, "kubectl-replace", "Update", ".spec.template.spec.containers[name='web'].image\n");
	char *c = owned(obj, "kubectl-create", "Update");
	ASSERT(!strstr(c, "image"));
	ASSERT(!starts_with(c, ".metadata.labels") && !strstr(c, "\n.metadata.labels"));
	ASSERT(strstr(c, "\n.spec.template.metadata.labels.app\n"));
	ASSERT(strstr(c, ".spec.replicas\n"));
	free(c);
	/* the same manager again: its entry grows, its time moves */
	again.manager = "kubectl-replace";
	again.now = "2024-05-01T09:20:00Z";
	do_update(&again, &obj, DEPLOY_HEAD "}," DEPLOY_SPEC("'replicas':4,", "nginx:2"));
	EXPECT_OWNED(obj, "kubectl-replace", "Update", ".spec.replicas\n.spec.template.spec.containers[name='web'].image\n");
	ASSERT_STR(json_str(entry_of(obj, "kubectl-replace", "Update"), "time"), "2024-05-01T09:20:00Z");
	/* a write that changes nothing leaves everything, time included */
	again.now = "2024-05-01T09:30:00Z";
	do_update(&again, &obj, DEPLOY_HEAD "}," DEPLOY_SPEC("'replicas':4,", "nginx:2"));
	ASSERT_STR(json_str(entry_of(obj, "kubectl-replace", "Update"), "time"), "2024-05-01T09:20:00Z");
	/* a status write is its own entry and never takes spec fields */
	struct apply_op st = deploy_op("kube-controller-manager", "2024-05-01T09:40:00Z");
	st.subresource = "status";
	json_set(obj, "status", cJSON_CreateObject()); /* as stored: Go always writes the status struct */
	do_update(&st, &obj, DEPLOY_HEAD "}," "'spec':{'replicas':9},'status':{'replicas':4}}");
	EXPECT_OWNED(obj, "kube-controller-manager", "Update", ".status.replicas\n");
	ASSERT_STR(json_str(entry_of(obj, "kube-controller-manager", "Update"), "subresource"), "status");
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_track_update_client_entries)
{
	struct apply_op op = deploy_op("kubectl-edit", "2024-05-01T09:00:00Z");
	cJSON *obj, *n;
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = created_then_scaled();
	/* an empty list resets: the object is no longer tracked */
	n = js(DEPLOY("'replicas':5,", "nginx"));
	json_set(json_obj(n, "metadata"), "managedFields", cJSON_CreateArray());
	apply_track_update(&op, obj, n);
	ASSERT(!json_getv(n, "metadata", "managedFields", NULL));
	cJSON_Delete(n);
	/* a list of one empty entry too */
	n = js(DEPLOY("'replicas':5,", "nginx"));
	json_set(json_obj(n, "metadata"), "managedFields", js("[{}]"));
	apply_track_update(&op, obj, n);
	ASSERT(!json_getv(n, "metadata", "managedFields", NULL));
	cJSON_Delete(n);
	/* entries that do not decode: the stored ones are kept */
	n = js(DEPLOY("'replicas':6,", "nginx"));
	json_set(json_obj(n, "metadata"), "managedFields", js("[{'manager':'x','operation':'Update','apiVersion':'apps/v1'}]"));
	apply_track_update(&op, obj, n);
	EXPECT_OWNED(n, "kubectl-edit", "Update", ".spec.replicas\n");
	ASSERT(entry_of(n, "kubectl-create", "Update"));
	ASSERT(!entry_of(n, "x", "Update"));
	cJSON_Delete(n);
	/* valid client entries are honoured (and entries of other versions dropped) */
	n = js(DEPLOY("'replicas':6,", "nginx"));
	json_set(json_obj(n, "metadata"), "managedFields",
		 js("[{'manager':'mine','operation':'Apply','apiVersion':'apps/v1','fieldsType':'FieldsV1','fieldsV1':{"
		    "'f:spec':{'f:paused':{}}}},{'manager':'old','operation':'Update','apiVersion':'apps/v1beta1',"
		    "'fieldsType':'FieldsV1','fieldsV1':{'f:spec':{'f:paused':{}}}}]"));
	apply_track_update(&op, obj, n);
	EXPECT_OWNED(n, "mine", "Apply", ".spec.paused\n");
	EXPECT_OWNED(n, "kubectl-edit", "Update", ".spec.replicas\n");
	ASSERT(!entry_of(n, "old", "Update"));
	ASSERT(!entry_of(n, "kubectl-create", "Update"));
	cJSON_Delete(n);
	/* on create an empty list starts tracking afresh */
	n = js(DEPLOY("'replicas':6,", "nginx"));
	json_set(json_obj(n, "metadata"), "managedFields", cJSON_CreateArray());
	apply_track_update(&op, NULL, n);
	ASSERT(entry_of(n, "kubectl-edit", "Update"));
	cJSON_Delete(n);
	/* an object without entries is tracked on update too (kube does not skip non-applied
	 * objects: `kubectl taint` of a Node created with status only records kubectl-taint) */
	n = js(DEPLOY("'replicas':7,", "nginx"));
	cJSON *old = js(DEPLOY("'replicas':6,", "nginx"));
	apply_track_update(&op, old, n);
	EXPECT_OWNED(n, "kubectl-edit", "Update", ".spec.replicas\n");
	cJSON_Delete(n);
	/* an explicit reset on update leaves the object without entries */
	n = js(DEPLOY("'replicas':7,", "nginx"));
	json_set(json_obj(n, "metadata"), "managedFields", cJSON_CreateArray());
	apply_track_update(&op, old, n);
	ASSERT(!json_getv(n, "metadata", "managedFields", NULL));
	cJSON_Delete(n);
	cJSON_Delete(old);
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_track_caps_update_managers)
{
	struct apply_op op = deploy_op("m", "");
	cJSON *obj;
	char now[32], mgr[16], json[512];
	if (!kind_type("apps", "Deployment"))
		return 0;
	obj = js(DEPLOY("'replicas':1,", "nginx"));
	op.manager = "creator";
	op.now = "2024-05-01T09:00:00Z";
	apply_track_update(&op, NULL, obj);
	for (int i = 0; i < 12; i++) {
		snprintf(now, sizeof(now), "2024-05-01T10:%02d:00Z", i);
		snprintf(mgr, sizeof(mgr), "m%02d", i);
		snprintf(json, sizeof(json), DEPLOY_HEAD ",'annotations':{'%s':'x'}}}", mgr);
		op.manager = mgr;
		op.now = now;
		cJSON *n = js(json);
		/* each writer adds its own annotation and keeps the others' */
		cJSON_Delete(n);
		n = cJSON_Duplicate(obj, 1);
		json_set_str(json_obj_force(json_obj(n, "metadata"), "annotations"), mgr, "x");
		apply_track_update(&op, obj, n);
		cJSON_Delete(obj);
		obj = n;
	}
	const cJSON *mf = json_getv(obj, "metadata", "managedFields", NULL);
	/* 13 Update entries: the 4 oldest fold into one ancient-changes entry, 10 are left */
	ASSERT_EQ(cJSON_GetArraySize(mf), 10);
	const cJSON *anc = entry_of(obj, "ancient-changes", "Update");
	ASSERT(anc);
	ASSERT_STR(json_str(anc, "time"), "2024-05-01T10:02:00Z");
	char *a = owned(obj, "ancient-changes", "Update");
	ASSERT(strstr(a, ".spec.replicas\n"));
	ASSERT(strstr(a, ".metadata.annotations.m00\n"));
	ASSERT(strstr(a, ".metadata.annotations.m02\n"));
	ASSERT(!strstr(a, "m03"));
	free(a);
	ASSERT(!entry_of(obj, "creator", "Update"));
	ASSERT(entry_of(obj, "m03", "Update"));
	ASSERT_STR(json_str(cJSON_GetArrayItem(mf, 0), "manager"), "ancient-changes");
	cJSON_Delete(obj);
	return 0;
}

/* ---- helpers for the request path --------------------------------------------------------- */

TEST_IMPL(apply_default_manager_and_validation)
{
	struct buf b = BUF_INIT;
	struct field_errors errs = FIELD_ERRORS_INIT;
	static const char *const cases[][2] = {
		{ "kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0", "kubectl" },
		{ "Go-http-client/2.0", "Go-http-client" },
		{ "OpenAPI-Generator/22.6.0/python", "OpenAPI-Generator" },
		{ "kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abc/system:serviceaccount:x", "kube-controller-manager" },
		{ "a\tb\x01" "c/1", "abc" },
		{ "", "" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		buf_reset(&b);
		apply_default_manager(cases[i][0], &b);
		ASSERT_STR(buf_str(&b), cases[i][1]);
	}
	char long_ua[300];
	memset(long_ua, 'x', sizeof(long_ua) - 1);
	long_ua[sizeof(long_ua) - 1] = 0;
	buf_reset(&b);
	apply_default_manager(long_ua, &b);
	ASSERT_EQ(b.len, 128);
	buf_reset(&b);
	apply_validate_field_manager("ok-manager", "fieldManager", &errs);
	ASSERT_EQ(errs.n, 0);
	apply_validate_field_manager("bad\x07", "fieldManager", &errs);
	apply_validate_field_manager(long_ua, "fieldManager", &errs);
	field_errors_summary(&errs, &b);
	ASSERT_STR(buf_str(&b), "[fieldManager: Invalid value: \"bad\\a\": invalid character U+0007 (at position 3), "
				"fieldManager: Too long: may not be more than 128 bytes]");
	field_errors_release(&errs);
	buf_reset(&b);
	cJSON *mf = js("[{'manager':'a','operation':'Patch','fieldsType':'FieldsV2'},{'manager':'b','operation':'Apply'}]");
	apply_validate_managed_fields(mf, &errs);
	field_errors_summary(&errs, &b);
	ASSERT_STR(buf_str(&b), "[metadata.managedFields[0].operation: Invalid value: \"Patch\": must be `Apply` or `Update`, "
				"metadata.managedFields[0].fieldsType: Invalid value: \"FieldsV2\": must be `FieldsV1`]");
	field_errors_release(&errs);
	cJSON_Delete(mf);
	buf_release(&b);
	return 0;
}

/* ---- our own schema: what the served types do not exercise -------------------------------- */

static const struct sch_type t_item, t_obj;

static const struct sch_field item_fields[] = {
	{ .name = "name", .kind = SK_STRING },
	{ .name = "zone", .kind = SK_STRING },
	{ .name = "value", .kind = SK_INT64 },
};
static const struct sch_type t_item = { .name = "Item", .fields = item_fields, .nfields = ARRAY_SIZE(item_fields) };

static const struct sch_field obj_fields[] = {
	{ .name = "apiVersion", .kind = SK_STRING },
	{ .name = "kind", .kind = SK_STRING },
	{ .name = "metadata", .kind = SK_OBJECT, .type = &sch_meta_ObjectMeta },
	{ .name = "items", .kind = SK_OBJECT, .list = SL_MAP, .map_keys = "zone,name", .type = &t_item },
	{ .name = "atomicMap", .kind = SK_STRING, .flags = SF_MAP | SF_MAP_ATOMIC },
	{ .name = "free", .kind = SK_RAW },
};
static const struct sch_type t_obj = { .name = "Obj", .fields = obj_fields, .nfields = ARRAY_SIZE(obj_fields) };

TEST_IMPL(apply_custom_schema)
{
	struct apply_op a = { &t_obj, "x.io/v1", "Obj", "a", NULL, 0, "2024-05-01T10:00:00Z" }, b = a;
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	cJSON *obj = NULL;
	b.manager = "b";
	ASSERT_EQ(do_apply(&a, &obj, "{'apiVersion':'x.io/v1','kind':'Obj','metadata':{'name':'o'},'items':[{'name':'n',"
				     "'zone':'z','value':1}],'atomicMap':{'a':'1'},'free':{'x':{'y':[1,2]}}}",
			   NULL, NULL),
		  0);
	/* two keys sorted by name; an atomic map whole; free-form objects granular, lists atomic */
	EXPECT_OWNED(obj, "a", "Apply", ".atomicMap\n.free.x\n.free.x.y\n.items[name='n',zone='z']\n"
					".items[name='n',zone='z'].name\n.items[name='n',zone='z'].value\n"
					".items[name='n',zone='z'].zone\n");
	ASSERT_EQ(do_apply(&b, &obj, "{'apiVersion':'x.io/v1','kind':'Obj','metadata':{'name':'o'},'atomicMap':{'b':'2'}}",
			   &c, NULL),
		  -KUBE_ECONFLICT);
	ASSERT_STR(c.v[0].field, ".atomicMap");
	apply_conflicts_release(&c);
	/* a live list with a duplicated key: the duplicates are owned whole and replaced by an apply */
	cJSON_Delete(obj);
	obj = js("{'apiVersion':'x.io/v1','kind':'Obj','metadata':{'name':'o'},'items':[{'name':'n','zone':'z','value':1},"
		 "{'name':'n','zone':'z','value':2},{'name':'m','zone':'z','value':3}]}");
	struct apply_op up = a;
	up.manager = "updater";
	apply_track_update(&up, NULL, obj);
	EXPECT_OWNED(obj, "updater", "Update", ".items\n.items[name='m',zone='z']\n.items[name='n',zone='z']\n"
					       ".items[name='m',zone='z'].name\n.items[name='m',zone='z'].value\n"
					       ".items[name='m',zone='z'].zone\n");
	a.force = 1;
	ASSERT_EQ(do_apply(&a, &obj, "{'apiVersion':'x.io/v1','kind':'Obj','metadata':{'name':'o'},'items':[{'name':'n',"
				     "'zone':'z','value':7}]}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "items", NULL, NULL,
		  "[{'name':'n','zone':'z','value':7},{'name':'m','zone':'z','value':3}]");
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_list_order)
{
	struct apply_op a = { &t_obj, "x.io/v1", "Obj", "a", NULL, 1, "2024-05-01T10:00:00Z" };
	cJSON *obj = js("{'apiVersion':'x.io/v1','kind':'Obj','metadata':{'name':'o'},'items':[{'name':'a','zone':'z'},"
			"{'name':'b','zone':'z'},{'name':'c','zone':'z'}]}");
	struct apply_op up = a;
	up.manager = "u";
	apply_track_update(&up, NULL, obj);
	/* shared items take the applied order, live-only items keep their place, new ones go where the
	 * applied list puts them */
	ASSERT_EQ(do_apply(&a, &obj, "{'apiVersion':'x.io/v1','kind':'Obj','metadata':{'name':'o'},'items':[{'name':'c',"
				     "'zone':'z'},{'name':'x','zone':'z'},{'name':'a','zone':'z'}]}",
			   NULL, NULL),
		  0);
	EXPECT_AT(obj, "items", NULL, NULL,
		  "[{'name':'b','zone':'z'},{'name':'c','zone':'z'},{'name':'x','zone':'z'},{'name':'a','zone':'z'}]");
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(apply_status_subresource)
{
	struct apply_op op = deploy_op("kubectl", "2024-05-01T10:00:00Z"), st = deploy_op("ctrl", "2024-05-01T10:01:00Z");
	cJSON *obj = NULL;
	if (!kind_type("apps", "Deployment"))
		return 0;
	ASSERT_EQ(do_apply(&op, &obj, DEPLOY("'replicas':2,", "nginx"), NULL, NULL), 0);
	/* kubectl apply --server-side --subresource=status: status is owned, spec is not */
	st.subresource = "status";
	ASSERT_EQ(do_apply(&st, &obj, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
				      "'spec':{'replicas':7},'status':{'replicas':2,'readyReplicas':1}}",
			   NULL, NULL),
		  0);
	EXPECT_OWNED(obj, "ctrl", "Apply", ".status.readyReplicas\n.status.replicas\n");
	ASSERT_STR(json_str(entry_of(obj, "ctrl", "Apply"), "subresource"), "status");
	EXPECT_AT(obj, "status", NULL, NULL, "{'replicas':2,'readyReplicas':1}");
	cJSON_Delete(obj);
	return 0;
}
