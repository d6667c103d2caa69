/*
 * rbac.c - role-based access control: the authorizer over Roles, ClusterRoles and their
 * bindings, the ClusterRole aggregation controller, the bootstrap policy, escalation
 * prevention, and the rbac.authorization.k8s.io/v1beta1 views of the v1 objects.
 *
 * DESIGN
 * The authorizer runs on every request, so it never reads the datastore: it answers from an
 * index of the four kinds' current objects, parsed once from the store's in-memory state. A
 * watch on the rbac key prefix marks the index stale on any committed change; the next
 * decision (or the aggregation timer) rebuilds it, so a burst of writes costs one rebuild. The
 * index holds each kind's objects in key order (bindings by namespace, then name), which is
 * also the order in which an aggregated ClusterRole collects the rules of the roles its
 * selectors match (upstream sorts them by name). A decision walks the ClusterRoleBindings,
 * then the RoleBindings of the request's namespace; a binding applies when one of its
 * subjects is the user, one of its groups or its service account, and grants when one rule of
 * the role it refers to covers the request (upstream's RuleAllows). Clusters hold tens of
 * roles and bindings, so the walks are linear.
 *
 * The aggregation controller runs after a rebuild caused by a ClusterRole change: every
 * ClusterRole with an aggregationRule whose rules differ from the union of the rules of the
 * ClusterRoles its selectors match is updated through the internal client (the resulting
 * change triggers another pass, which finds nothing to do).
 *
 * The bootstrap policy is upstream's default roles and bindings that users rely on
 * (cluster-admin, admin/edit/view aggregated from system:aggregate-to-*, system:discovery,
 * system:basic-user, system:public-info-viewer, system:monitoring, system:node), created at
 * start when missing and reconciled when their autoupdate annotation is not "false": missing
 * rules and subjects are added, as upstream's reconciliation does. Controllers run in process as system:masters, so
 * upstream's system:controller:* roles are not needed.
 */
#include "internal.h"
#include "server/selector.h"

#include <stdlib.h>
#include <string.h>

#define RBAC_GROUP "rbac.authorization.k8s.io"
#define RBAC_PREFIX "/registry/" RBAC_GROUP "/"

/* ---- v1beta1 views and deprecation warnings ------------------------------------------------ */

static void rbac_in(cJSON *obj)
{
	json_set_str(obj, "apiVersion", RBAC_GROUP "/v1");
}

static void rbac_out(cJSON *obj)
{
	json_set_str(obj, "apiVersion", RBAC_GROUP "/v1beta1");
}

const struct kind_view rbac_role_view = { RBAC_GROUP, "roles", rbac_in, rbac_out, NULL };
const struct kind_view rbac_clusterrole_view = { RBAC_GROUP, "clusterroles", rbac_in, rbac_out, NULL };
const struct kind_view rbac_rolebinding_view = { RBAC_GROUP, "rolebindings", rbac_in, rbac_out, NULL };
const struct kind_view rbac_clusterrolebinding_view = { RBAC_GROUP, "clusterrolebindings", rbac_in, rbac_out, NULL };

void deprecation_warning(const struct kind *k, struct buf *out)
{
	const struct api_group *groups;
	const char *preferred = k->version;
	size_t n = registry_groups(&groups);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(groups[i].name, k->group))
			preferred = groups[i].versions[0];
	struct buf msg = BUF_INIT;
	buf_addf(&msg, "%s %s is deprecated in %s+", k->api_version, k->kind, k->deprecated);
	if (k->removed)
		buf_addf(&msg, ", unavailable in %s+", k->removed);
	if (k->replacement)
		buf_addf(&msg, "; use %s", k->replacement);
	else if (strcmp(preferred, k->version) && kind_by_gvk(k->group, preferred, k->kind))
		buf_addf(&msg, "; use %s%s%s %s", k->group, *k->group ? "/" : "", preferred, k->kind);
	buf_adds(out, "299 - ");
	buf_add_json_string(out, msg.data);
	buf_release(&msg);
}

/* ---- the index ------------------------------------------------------------------------------ */

enum { IX_ROLES, IX_CLUSTERROLES, IX_BINDINGS, IX_CLUSTERBINDINGS, IX_N };
static const char *const ix_plural[IX_N] = { "roles", "clusterroles", "rolebindings", "clusterrolebindings" };

struct objs {
	cJSON **v;
	size_t n, cap;
};

struct rbac {
	struct server *srv;
	struct store_watch *watch;
	uv_timer_t timer;        /* runs the aggregation pass after ClusterRole changes */
	int stale;               /* a committed change since the last rebuild */
	int aggregate;           /* a ClusterRole changed: run the aggregation pass */
	int updating;            /* aggregation updates in flight */
	int closed;              /* rbac_stop ran: freed once no update is in flight */
	struct objs ix[IX_N];
};

static void objs_clear(struct objs *o)
{
	for (size_t i = 0; i < o->n; i++)
		cJSON_Delete(o->v[i]);
	o->n = 0;
}

static int collect(struct store_kv *kv, void *data)
{
	struct objs *o = data;
	cJSON *obj = obj_parse(kv);
	if (!obj)
		return 0;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	o->v[o->n++] = obj;
	return 0;
}

static void rebuild(struct rbac *r)
{
	if (!r->stale)
		return;
	r->stale = 0;
	for (int i = 0; i < IX_N; i++) {
		struct buf prefix = BUF_INIT;
		buf_addf(&prefix, RBAC_PREFIX "%s/", ix_plural[i]);
		objs_clear(&r->ix[i]);
		store_range(r->srv->store, prefix.data, NULL, collect, &r->ix[i]);
		buf_release(&prefix);
	}
}

static const cJSON *find_role(struct rbac *r, const char *kind, const char *ns, const char *name)
{
	int cluster = !strcmp(kind, "ClusterRole");
	if (!cluster && strcmp(kind, "Role"))
		return NULL;
	const struct objs *o = &r->ix[cluster ? IX_CLUSTERROLES : IX_ROLES];
	for (size_t i = 0; i < o->n; i++) {
		const char *n = json_strv(o->v[i], "metadata", "name", NULL), *s = json_strv(o->v[i], "metadata", "namespace", NULL);
		if (n && !strcmp(n, name) && (cluster || (s && ns && !strcmp(s, ns))))
			return o->v[i];
	}
	return NULL;
}

/* ---- matching ------------------------------------------------------------------------------- */

static int has(const cJSON *list, const char *s)
{
	const cJSON *e;
	if (!s)
		return 0;
	cJSON_ArrayForEach(e, list)
	{
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	}
	return 0;
}

/* Does subject s (of a binding in namespace bns, "" for cluster bindings) name the user? */
static int subject_applies(const cJSON *s, const char *bns, const struct api_user *u)
{
	const char *kind = json_str(s, "kind"), *name = json_str(s, "name"), *ns = json_str(s, "namespace");
	if (!kind || !name)
		return 0;
	if (!strcmp(kind, "User"))
		return !strcmp(name, u->name);
	if (!strcmp(kind, "Group")) {
		for (size_t i = 0; i < u->ngroups; i++)
			if (!strcmp(u->groups[i], name))
				return 1;
		return 0;
	}
	if (strcmp(kind, "ServiceAccount"))
		return 0;
	const char *sans = ns && *ns ? ns : bns;
	size_t l = strlen("system:serviceaccount:");
	if (strncmp(u->name, "system:serviceaccount:", l) || strncmp(u->name + l, sans, strlen(sans)))
		return 0;
	const char *rest = u->name + l + strlen(sans);
	return *rest == ':' && !strcmp(rest + 1, name);
}

/* upstream's RuleAllows for a resource request (a->path NULL) or a non-resource one. */
static int rule_allows(const cJSON *rule, const struct rbac_attrs *a)
{
	if (!has(json_getv(rule, "verbs", NULL), "*") && !has(json_getv(rule, "verbs", NULL), a->verb))
		return 0;
	if (a->path) {
		const cJSON *e;
		cJSON_ArrayForEach(e, json_getv(rule, "nonResourceURLs", NULL))
		{
			const char *u = cJSON_IsString(e) ? e->valuestring : "";
			size_t l = strlen(u);
			if (!strcmp(u, "*") || !strcmp(u, a->path) ||
			    (l && u[l - 1] == '*' && !strncmp(u, a->path, l - 1)))
				return 1;
		}
		return 0;
	}
	const cJSON *res = json_getv(rule, "resources", NULL), *names = json_getv(rule, "resourceNames", NULL);
	if (!has(json_getv(rule, "apiGroups", NULL), "*") && !has(json_getv(rule, "apiGroups", NULL), a->group))
		return 0;
	struct buf combined = BUF_INIT;
	buf_adds(&combined, a->resource);
	if (a->sub && *a->sub)
		buf_addf(&combined, "/%s", a->sub);
	int ok = has(res, "*") || has(res, combined.data);
	if (!ok && a->sub && *a->sub) {
		buf_reset(&combined);
		buf_addf(&combined, "*/%s", a->sub);
		ok = has(res, combined.data);
	}
	buf_release(&combined);
	if (ok && cJSON_GetArraySize(names))
		ok = a->name && *a->name && has(names, a->name);
	return ok;
}

/* Calls fn for the role of every binding that applies to the user in ns (NULL: cluster
 * bindings only); stops when fn returns nonzero, returning that. */
typedef int role_fn(const cJSON *role, void *data);

static int each_role(struct rbac *r, const struct api_user *u, const char *ns, role_fn *fn, void *data)
{
	for (int c = 1; c >= 0; c--) {
		const struct objs *o = &r->ix[c ? IX_CLUSTERBINDINGS : IX_BINDINGS];
		if (!c && (!ns || !*ns))
			break;
		for (size_t i = 0; i < o->n; i++) {
			const cJSON *b = o->v[i], *s;
			const char *bns = json_strv(b, "metadata", "namespace", NULL);
			if (!c && (!bns || strcmp(bns, ns)))
				continue;
			int applies = 0;
			cJSON_ArrayForEach(s, json_getv(b, "subjects", NULL))
			{
				applies = applies || subject_applies(s, c ? "" : bns, u);
			}
			const char *kind = json_strv(b, "roleRef", "kind", NULL), *name = json_strv(b, "roleRef", "name", NULL);
			const cJSON *role = applies && kind && name ? find_role(r, kind, bns, name) : NULL;
			int ret = role ? fn(role, data) : 0;
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int role_allows(const cJSON *role, void *data)
{
	const cJSON *rule;
	cJSON_ArrayForEach(rule, json_getv(role, "rules", NULL))
	{
		if (rule_allows(rule, data))
			return 1;
	}
	return 0;
}

int rbac_allowed(struct rbac *r, const struct api_user *u, const struct rbac_attrs *a)
{
	if (!r)
		return 0;
	rebuild(r);
	return each_role(r, u, a->path ? NULL : a->ns, role_allows, (void *)a) == 1;
}

static int add_rules(const cJSON *role, void *data)
{
	const cJSON *rule;
	cJSON_ArrayForEach(rule, json_getv(role, "rules", NULL))
	{
		cJSON_AddItemToArray(data, cJSON_Duplicate(rule, 1));
	}
	return 0;
}

cJSON *rbac_rules(struct rbac *r, const struct api_user *u, const char *ns)
{
	cJSON *rules = cJSON_CreateArray();
	if (r) {
		rebuild(r);
		each_role(r, u, ns, add_rules, rules);
	}
	return rules;
}

/* ---- aggregation ---------------------------------------------------------------------------- */

static void rbac_free(struct rbac *r)
{
	for (int i = 0; i < IX_N; i++) {
		objs_clear(&r->ix[i]);
		free(r->ix[i].v);
	}
	free(r);
}

static void aggregated(int code, const char *body, size_t len, void *data)
{
	struct rbac *r = data;
	r->updating--;
	if (code >= 300 && code != 409)
		log_warn("clusterrole aggregation: update failed (%d): %.*s", code, (int)len, body);
	if (r->closed && !r->updating)
		rbac_free(r);
}

/* The union of the rules of the ClusterRoles (other than role) that sels match, in name order. */
static cJSON *aggregate_rules(struct rbac *r, const cJSON *role, const cJSON *sels)
{
	cJSON *rules = cJSON_CreateArray();
	const struct objs *o = &r->ix[IX_CLUSTERROLES];
	for (size_t i = 0; i < o->n; i++) {
		const cJSON *sel, *rule;
		int match = 0;
		if (o->v[i] == role)
			continue;
		cJSON_ArrayForEach(sel, sels)
		{
			struct selector s;
			if (match || selector_from_json(sel, &s, NULL) < 0)
				continue;
			match = selector_matches(&s, sel_lookup_json, json_getv(o->v[i], "metadata", "labels", NULL));
			selector_release(&s);
		}
		const cJSON *from = match ? json_getv(o->v[i], "rules", NULL) : NULL;
		cJSON_ArrayForEach(rule, from)
		{
			const cJSON *have;
			int dup = 0;
			cJSON_ArrayForEach(have, rules)
			{
				dup = dup || cJSON_Compare(have, rule, 1);
			}
			if (!dup)
				cJSON_AddItemToArray(rules, cJSON_Duplicate(rule, 1));
		}
	}
	return rules;
}

static void aggregate_pass(uv_timer_t *t)
{
	struct rbac *r = t->data;
	const struct kind *k = kind_by_resource(RBAC_GROUP, "v1", "clusterroles");
	if (r->updating || r->srv->stopping)
		return; /* the updates' own events bring another pass */
	r->aggregate = 0;
	rebuild(r);
	for (size_t i = 0; i < r->ix[IX_CLUSTERROLES].n; i++) {
		const cJSON *role = r->ix[IX_CLUSTERROLES].v[i];
		const cJSON *sels = json_getv(role, "aggregationRule", "clusterRoleSelectors", NULL);
		if (!cJSON_IsArray(sels))
			continue;
		cJSON *rules = aggregate_rules(r, role, sels);
		const cJSON *cur = json_getv(role, "rules", NULL);
		if (cJSON_Compare(rules, cur, 1) || (!cur && !cJSON_GetArraySize(rules))) {
			cJSON_Delete(rules);
			continue;
		}
		cJSON *obj = cJSON_Duplicate(role, 1);
		json_set(obj, "rules", rules);
		char *body = json_print_str(obj);
		r->updating++;
		client_call(r->srv, VERB_UPDATE, k, NULL, json_strv(role, "metadata", "name", NULL), NULL,
			    "application/json", body, NULL, aggregated, r);
		free(body);
		cJSON_Delete(obj);
	}
}

/* ---- following the store -------------------------------------------------------------------- */

static void on_event(const struct store_event *ev, void *data)
{
	struct rbac *r = data;
	r->stale = 1;
	if (starts_with(ev->kv->key, RBAC_PREFIX "clusterroles/") && !r->srv->stopping) {
		r->aggregate = 1;
		uv_timer_start(&r->timer, aggregate_pass, 0, 0);
	}
}

static void on_watch_error(int status, void *data)
{
	struct rbac *r = data;
	r->watch = NULL;
	if (status != -KUBE_ECLOSED)
		log_error("rbac: watch failed (%d)", status);
}

struct rbac *rbac_start(struct server *srv)
{
	struct rbac *r = xcalloc(1, sizeof(*r));
	r->srv = srv;
	r->stale = 1;
	uv_timer_init(srv->loop, &r->timer);
	r->timer.data = r;
	r->watch = store_watch(srv->store, RBAC_PREFIX, store_rev(srv->store), on_event, on_watch_error, r);
	uv_timer_start(&r->timer, aggregate_pass, 0, 0);
	return r;
}

static void timer_closed(uv_handle_t *h)
{
	struct rbac *r = h->data;
	r->closed = 1;
	if (!r->updating)
		rbac_free(r);
}

void rbac_stop(struct rbac *r)
{
	if (!r)
		return;
	if (r->watch)
		store_watch_cancel(r->watch);
	uv_close((uv_handle_t *)&r->timer, timer_closed);
}

/* ---- the bootstrap policy ------------------------------------------------------------------- */

/* Lists are comma-separated; an empty item is the core group "". */
struct policy_rule {
	const char *verbs, *groups, *resources, *urls;
};

#define READ "get,list,watch"
#define WRITE "create,delete,deletecollection,patch,update"
#define AGG "rbac.authorization.k8s.io/aggregate-to-"

static const struct policy_rule admin_all[] = { { "*", "*", "*", NULL }, { "*", NULL, NULL, "*" }, { NULL } };
static const struct policy_rule discovery[] = {
	{ "get", NULL, NULL, "/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/" },
	{ NULL } };
static const struct policy_rule monitoring[] = {
	{ "get", NULL, NULL, "/healthz,/healthz/*,/livez,/livez/*,/readyz,/readyz/*,/metrics,/metrics/slis" },
	{ NULL } };
static const struct policy_rule basic_user[] = {
	{ "create", "authorization.k8s.io", "selfsubjectaccessreviews,selfsubjectrulesreviews", NULL },
	{ "create", "authentication.k8s.io", "selfsubjectreviews", NULL }, { NULL } };
static const struct policy_rule public_info[] = {
	{ "get", NULL, NULL, "/healthz,/livez,/readyz,/version,/version/" }, { NULL } };
static const struct policy_rule to_admin[] = {
	{ "create,update,patch,delete", RBAC_GROUP, "roles,rolebindings", NULL },
	{ READ, RBAC_GROUP, "roles,rolebindings", NULL },
	{ "create", "authorization.k8s.io", "localsubjectaccessreviews", NULL }, { NULL } };
static const struct policy_rule to_edit[] = {
	{ "impersonate", "", "serviceaccounts", NULL },
	{ READ "," WRITE, "", "pods,pods/attach,pods/proxy,pods/exec,pods/portforward", NULL },
	{ "create", "", "pods/eviction,serviceaccounts/token", NULL },
	{ READ "," WRITE, "", "replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,"
	  "services/proxy,persistentvolumeclaims,configmaps,secrets,events", NULL },
	{ WRITE, "apps", "statefulsets,statefulsets/scale,daemonsets,deployments,deployments/scale,"
	  "deployments/rollback,replicasets,replicasets/scale", NULL },
	{ WRITE, "autoscaling", "horizontalpodautoscalers", NULL },
	{ WRITE, "batch", "jobs,cronjobs", NULL },
	{ WRITE, "policy", "poddisruptionbudgets", NULL },
	{ WRITE, "networking.k8s.io", "networkpolicies,ingresses", NULL },
	{ READ "," WRITE, "coordination.k8s.io", "leases", NULL }, { NULL } };
static const struct policy_rule to_view[] = {
	{ READ, "", "pods,replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,"
	  "services/status,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,configmaps", NULL },
	{ READ, "", "limitranges,resourcequotas,bindings,events,pods/status,resourcequotas/status,"
	  "namespaces/status,replicationcontrollers/status,pods/log", NULL },
	{ READ, "", "namespaces", NULL },
	{ READ, "discovery.k8s.io", "endpointslices", NULL },
	{ READ, "apps", "controllerrevisions,statefulsets,statefulsets/status,statefulsets/scale,daemonsets,"
	  "daemonsets/status,deployments,deployments/status,deployments/scale,replicasets,replicasets/status,"
	  "replicasets/scale", NULL },
	{ READ, "autoscaling", "horizontalpodautoscalers,horizontalpodautoscalers/status", NULL },
	{ READ, "batch", "jobs,cronjobs,cronjobs/status,jobs/status", NULL },
	{ READ, "policy", "poddisruptionbudgets,poddisruptionbudgets/status", NULL },
	{ READ, "networking.k8s.io", "networkpolicies,ingresses,ingresses/status", NULL }, { NULL } };
/* What auth.c's node rules grant, as upstream's system:node role says it (not bound by default). */
static const struct policy_rule node[] = {
	{ READ, "", "nodes,services,endpoints,configmaps,secrets,persistentvolumeclaims,persistentvolumes,namespaces,pods", NULL },
	{ "create,update,patch", "", "nodes,nodes/status", NULL },
	{ "delete", "", "pods", NULL },
	{ "update,patch", "", "pods/status", NULL },
	{ "create,update,patch", ",events.k8s.io", "events", NULL },
	{ "create", "", "serviceaccounts/token", NULL },
	{ READ ",create,update,patch,delete", "coordination.k8s.io", "leases", NULL },
	{ READ, "discovery.k8s.io", "endpointslices", NULL },
	{ READ, "node.k8s.io", "runtimeclasses", NULL }, { NULL } };

static const struct policy_role {
	const char *name;
	const char *labels;    /* label keys set to "true" */
	const char *aggregate; /* aggregationRule: the label selected, or NULL */
	const struct policy_rule *rules;
} policy_roles[] = {
	{ "cluster-admin", NULL, NULL, admin_all },
	{ "admin", NULL, AGG "admin", NULL },
	{ "edit", AGG "admin", AGG "edit", NULL },
	{ "view", AGG "admin," AGG "edit", AGG "view", NULL },
	{ "system:aggregate-to-admin", AGG "admin", NULL, to_admin },
	{ "system:aggregate-to-edit", AGG "admin," AGG "edit", NULL, to_edit },
	{ "system:aggregate-to-view", AGG "admin," AGG "edit," AGG "view", NULL, to_view },
	{ "system:discovery", NULL, NULL, discovery },
	{ "system:basic-user", NULL, NULL, basic_user },
	{ "system:public-info-viewer", NULL, NULL, public_info },
	{ "system:monitoring", NULL, NULL, monitoring },
	{ "system:node", NULL, NULL, node },
};

static const struct policy_binding {
	const char *name; /* also the ClusterRole's */
	const char *groups;
} policy_bindings[] = {
	{ "cluster-admin", "system:masters" },
	{ "system:discovery", "system:authenticated" },
	{ "system:basic-user", "system:authenticated" },
	{ "system:public-info-viewer", "system:authenticated,system:unauthenticated" },
	{ "system:monitoring", "system:monitoring" },
};

/* "a,,b" -> ["a", "", "b"]. */
static cJSON *split(const char *s)
{
	cJSON *a = cJSON_CreateArray();
	for (const char *p = s;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char *item = xstrndup(p, n);
		cJSON_AddItemToArray(a, cJSON_CreateString(item));
		free(item);
		if (!c)
			break;
		p = c + 1;
	}
	return a;
}

static cJSON *policy_object(const char *kind, const char *name)
{
	cJSON *obj = cJSON_CreateObject(), *meta = json_obj_force(obj, "metadata");
	json_set_str(obj, "apiVersion", RBAC_GROUP "/v1");
	json_set_str(obj, "kind", kind);
	json_set_str(meta, "name", name);
	json_set_str(json_obj_force(meta, "annotations"), "rbac.authorization.kubernetes.io/autoupdate", "true");
	json_set_str(json_obj_force(meta, "labels"), "kubernetes.io/bootstrapping", "rbac-defaults");
	return obj;
}

static cJSON *policy_role_object(const struct policy_role *p)
{
	cJSON *obj = policy_object("ClusterRole", p->name), *rules = cJSON_CreateArray();
	if (p->labels) {
		cJSON *keys = split(p->labels), *k;
		cJSON_ArrayForEach(k, keys)
		{
			json_set_str(json_obj_force(json_obj_force(obj, "metadata"), "labels"), k->valuestring, "true");
		}
		cJSON_Delete(keys);
	}
	for (const struct policy_rule *r = p->rules; r && r->verbs; r++) {
		cJSON *rule = cJSON_CreateObject();
		json_set(rule, "verbs", split(r->verbs));
		if (r->groups)
			json_set(rule, "apiGroups", split(r->groups));
		if (r->resources)
			json_set(rule, "resources", split(r->resources));
		if (r->urls)
			json_set(rule, "nonResourceURLs", split(r->urls));
		cJSON_AddItemToArray(rules, rule);
	}
	json_set(obj, "rules", rules);
	if (p->aggregate) {
		cJSON *sel = cJSON_CreateObject(), *sels = cJSON_CreateArray();
		json_set_str(json_obj_force(sel, "matchLabels"), p->aggregate, "true");
		cJSON_AddItemToArray(sels, sel);
		json_set(json_obj_force(obj, "aggregationRule"), "clusterRoleSelectors", sels);
	}
	return obj;
}

static cJSON *policy_binding_object(const struct policy_binding *p)
{
	cJSON *obj = policy_object("ClusterRoleBinding", p->name), *ref = json_obj_force(obj, "roleRef");
	cJSON *groups = split(p->groups), *g, *subjects = cJSON_CreateArray();
	json_set_str(ref, "apiGroup", RBAC_GROUP);
	json_set_str(ref, "kind", "ClusterRole");
	json_set_str(ref, "name", p->name);
	cJSON_ArrayForEach(g, groups)
	{
		cJSON *s = cJSON_CreateObject();
		json_set_str(s, "apiGroup", RBAC_GROUP);
		json_set_str(s, "kind", "Group");
		json_set_str(s, "name", g->valuestring);
		cJSON_AddItemToArray(subjects, s);
	}
	cJSON_Delete(groups);
	json_set(obj, "subjects", subjects);
	return obj;
}

static void reconciled(int code, const char *body, size_t len, void *data)
{
	struct server *srv = data;
	srv->bootstrap_pending--;
	if (code >= 300 && code != 409)
		log_warn("rbac bootstrap policy: write failed (%d): %.*s", code, (int)len, body);
}

/* Adds to have[field] the items of want[field] it lacks; returns how many. */
static int add_missing(cJSON *have, const cJSON *want, const char *field)
{
	cJSON *list = json_getv(have, field, NULL);
	const cJSON *w;
	int added = 0;
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(have, field, list);
	}
	cJSON_ArrayForEach(w, json_getv(want, field, NULL))
	{
		const cJSON *h;
		int found = 0;
		cJSON_ArrayForEach(h, list)
		{
			found = found || cJSON_Compare(h, w, 1);
		}
		if (!found) {
			cJSON_AddItemToArray(list, cJSON_Duplicate(w, 1));
			added++;
		}
	}
	return added;
}

/* Creates want (owned) when missing; else adds the rules or subjects it lacks unless autoupdate
 * is "false". */
static void reconcile(struct server *srv, const struct kind *k, cJSON *want, const char *field)
{
	const char *name = json_strv(want, "metadata", "name", NULL);
	struct buf key = BUF_INIT;
	kind_key(k, NULL, name, &key);
	struct store_kv *kv = store_get(srv->store, key.data);
	cJSON *have = kv ? obj_parse(kv) : NULL;
	const char *au = json_strv(have, "metadata", "annotations", "rbac.authorization.kubernetes.io/autoupdate", NULL);
	char *body = NULL;
	if (!kv) {
		body = json_print_str(want);
		srv->bootstrap_pending++;
		client_call(srv, VERB_CREATE, k, NULL, NULL, NULL, "application/json", body, NULL, reconciled, srv);
	} else if (have && !(au && !strcmp(au, "false")) && field && add_missing(have, want, field)) {
		body = json_print_str(have);
		srv->bootstrap_pending++;
		client_call(srv, VERB_UPDATE, k, NULL, name, NULL, "application/json", body, NULL, reconciled, srv);
	}
	free(body);
	cJSON_Delete(have);
	cJSON_Delete(want);
	buf_release(&key);
}

void rbac_bootstrap(struct server *srv)
{
	const struct kind *roles = kind_by_resource(RBAC_GROUP, "v1", "clusterroles");
	const struct kind *bindings = kind_by_resource(RBAC_GROUP, "v1", "clusterrolebindings");
	for (size_t i = 0; i < ARRAY_SIZE(policy_roles); i++)
		reconcile(srv, roles, policy_role_object(&policy_roles[i]), policy_roles[i].aggregate ? NULL : "rules");
	for (size_t i = 0; i < ARRAY_SIZE(policy_bindings); i++)
		reconcile(srv, bindings, policy_binding_object(&policy_bindings[i]), "subjects");
}

/* ---- escalation prevention ------------------------------------------------------------------ */

/* The string of a list item ("" for anything else). */
static const char *item(const cJSON *e)
{
	return cJSON_IsString(e) ? e->valuestring : "";
}

/* Appends to missing what of rule (in ns, NULL for cluster-wide) the user may not do. */
static void uncovered(struct server *srv, const struct api_user *u, const cJSON *rule, const char *ns,
		      struct buf *missing)
{
	const cJSON *v, *g, *res, *n;
	const cJSON *names = json_getv(rule, "resourceNames", NULL), *urls = json_getv(rule, "nonResourceURLs", NULL);
	cJSON_ArrayForEach(v, json_getv(rule, "verbs", NULL))
	{
		cJSON_ArrayForEach(res, urls)
		{
			struct rbac_attrs a = { .verb = item(v), .path = item(res) };
			if (!auth_allowed(srv, u, &a))
				buf_addf(missing, "\n{NonResourceURLs:[\"%s\"], Verbs:[\"%s\"]}", item(res), item(v));
		}
		cJSON_ArrayForEach(g, json_getv(rule, "apiGroups", NULL))
		{
			cJSON_ArrayForEach(res, json_getv(rule, "resources", NULL))
			{
				char *r = xstrdup(item(res)), *slash = strchr(r, '/');
				if (slash)
					*slash++ = '\0';
				struct rbac_attrs a = { .verb = item(v), .group = item(g), .resource = r,
							.sub = slash, .ns = ns };
				int ok = cJSON_GetArraySize(names) ? 1 : auth_allowed(srv, u, &a);
				cJSON_ArrayForEach(n, names)
				{
					a.name = item(n);
					ok = ok && auth_allowed(srv, u, &a);
				}
				if (!ok)
					buf_addf(missing, "\n{APIGroups:[\"%s\"], Resources:[\"%s\"], Verbs:[\"%s\"]}",
						 item(g), item(res), item(v));
				free(r);
			}
		}
	}
}

/* Fills the 403 of a refused grant. */
static void escalation_error(struct api_req *req, const char *name, const struct buf *missing)
{
	struct buf groups = BUF_INIT;
	for (size_t i = 0; i < req->user.ngroups; i++)
		buf_addf(&groups, "%s\"%s\"", i ? " " : "", req->user.groups[i]);
	api_error_set(&req->err, 403, "Forbidden",
		      "%s \"%s\" is forbidden: user \"%s\" (groups=[%s]) is attempting to grant RBAC permissions not currently held:%s",
		      req->kind->qualified, name, req->user.name, groups.data ? groups.data : "", missing->data);
	free(req->err.name);
	req->err.name = xstrdup(name);
	req->err.group = req->kind->group;
	req->err.kind = req->kind->plural;
	buf_release(&groups);
}

int rbac_admit(struct api_req *req, const cJSON *obj)
{
	const char *kind = req->kind->kind, *ns = json_strv(obj, "metadata", "namespace", NULL);
	const char *name = json_strv(obj, "metadata", "name", NULL);
	int binding = !strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding");
	int namespaced = !strcmp(kind, "Role") || !strcmp(kind, "RoleBinding");
	const cJSON *rules = json_getv(obj, "rules", NULL), *rule;
	struct rbac_attrs a = { .verb = binding ? "bind" : "escalate", .group = RBAC_GROUP, .ns = namespaced ? ns : NULL };
	if (strcmp(req->kind->group, RBAC_GROUP))
		return 0;
	if (binding) {
		const char *rk = json_strv(obj, "roleRef", "kind", NULL), *rn = json_strv(obj, "roleRef", "name", NULL);
		if (!rk || !rn)
			return 0; /* validation reports it */
		a.resource = !strcmp(rk, "Role") ? "roles" : "clusterroles";
		a.name = rn;
		rebuild(req->srv->rbac);
		const cJSON *role = find_role(req->srv->rbac, rk, ns, rn);
		rules = role ? json_getv(role, "rules", NULL) : NULL;
	} else {
		a.resource = namespaced ? "roles" : "clusterroles";
		a.name = name;
	}
	if (auth_allowed(req->srv, &req->user, &a))
		return 0;
	if (!binding && json_getv(obj, "aggregationRule", NULL) && !cJSON_IsNull(json_getv(obj, "aggregationRule", NULL))) {
		api_error_set(&req->err, 403, "Forbidden", "%s \"%s\" is forbidden: must have cluster-admin privileges to use the aggregationRule",
			      req->kind->qualified, name ? name : "");
		free(req->err.name);
		req->err.name = xstrdup(name ? name : "");
		req->err.group = req->kind->group;
		req->err.kind = req->kind->plural;
		return -1;
	}
	struct buf missing = BUF_INIT;
	cJSON_ArrayForEach(rule, rules)
	{
		uncovered(req->srv, &req->user, rule, namespaced ? ns : NULL, &missing);
	}
	if (!missing.len) {
		buf_release(&missing);
		return 0;
	}
	escalation_error(req, name ? name : "", &missing);
	buf_release(&missing);
	return -1;
}
