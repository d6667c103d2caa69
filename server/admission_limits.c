/*
 * admission_limits.c - the admission plugins of the storage and quota kinds, as upstream's
 * defaults enable them:
 *   - StorageObjectInUseProtection: a new PersistentVolumeClaim gets the finalizer
 *     kubernetes.io/pvc-protection, a new PersistentVolume kubernetes.io/pv-protection
 *     (ctrl_pv.c removes them when nothing uses the object any more);
 *   - DefaultStorageClass: a new claim without spec.storageClassName gets the default class's
 *     name (the StorageClass annotated storageclass.kubernetes.io/is-default-class=true);
 *   - LimitRanger: a new pod's containers get the default requests and limits of the
 *     namespace's LimitRanges (recorded in the kubernetes.io/limit-ranger annotation), and a
 *     pod outside their Container or Pod min/max is refused (403, upstream's messages);
 *   - ResourceQuota: a create that would take a namespace's use of a quota'd resource beyond
 *     the hard limit of one of its ResourceQuotas is refused (403 "exceeded quota: ...").
 *
 * DESIGN
 * Admission runs synchronously on the loop, so everything is read from the store directly: the
 * namespace's LimitRanges and ResourceQuotas, and, for quota, the namespace's current use of
 * each resource (quota_usage, the same function the quota controller publishes in
 * status.used). Computing the use from the store rather than from the quota's last status
 * means two creates in a row are both counted without writing the quota from admission; two
 * creates in flight at the same moment may both pass (upstream serialises them through the
 * quota object).
 */
#include "internal.h"
#include "server/kinds.h"
#include "server/quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_core(const struct api_req *req, const char *kind)
{
	return !*req->kind->group && !strcmp(req->kind->kind, kind);
}

/* A 403 Forbidden "<resource> "<name>" is forbidden: <why>" for the object being created. */
static int forbid(struct api_req *req, const cJSON *obj, const char *why)
{
	const char *name = json_strv(obj, "metadata", "name", NULL);
	api_error_set(&req->err, 403, "Forbidden", "%s \"%s\" is forbidden: %s", req->kind->qualified, name ? name : "", why);
	free(req->err.name);
	req->err.name = xstrdup(name ? name : "");
	req->err.kind = req->kind->plural;
	req->err.group = req->kind->group;
	return -1;
}

typedef void each_fn(const cJSON *obj, void *data);

struct each {
	each_fn *fn;
	void *data;
};

static int each_cb(struct store_kv *kv, void *data)
{
	struct each *e = data;
	cJSON *obj = obj_parse(kv);
	if (obj)
		e->fn(obj, e->data);
	cJSON_Delete(obj);
	return 0;
}

/* Calls fn(obj, data) for each stored object of kind k in ns (NULL: cluster-scoped kinds). */
static void each_in(struct store *st, const struct kind *k, const char *ns, each_fn *fn, void *data)
{
	struct buf prefix = BUF_INIT;
	struct each e = { fn, data };
	kind_prefix(k, ns, &prefix);
	store_range(st, prefix.data, NULL, each_cb, &e);
	buf_release(&prefix);
}

static int has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

/* ---- StorageObjectInUseProtection and DefaultStorageClass --------------------------------- */

static void add_finalizer(cJSON *obj, const char *f)
{
	cJSON *meta = json_obj_force(obj, "metadata"), *list = json_getv(meta, "finalizers", NULL);
	if (has_string(list, f))
		return;
	if (!cJSON_IsArray(list)) {
		list = cJSON_CreateArray();
		json_set(meta, "finalizers", list);
	}
	cJSON_AddItemToArray(list, cJSON_CreateString(f));
}

static void find_default_class(const cJSON *sc, void *data)
{
	char **out = data;
	const cJSON *ann = json_getv(sc, "metadata", "annotations", NULL);
	const char *v = json_str(ann, "storageclass.kubernetes.io/is-default-class");
	const char *b = json_str(ann, "storageclass.beta.kubernetes.io/is-default-class");
	const char *name = json_strv(sc, "metadata", "name", NULL);
	if (!*out && name && ((v && !strcmp(v, "true")) || (b && !strcmp(b, "true"))))
		*out = xstrdup(name);
}

static void claim_admit(struct api_req *req, cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec");
	char *dflt = NULL;
	if (admission_enabled(req, ADM_STORAGE_IN_USE_PROTECTION))
		add_finalizer(obj, "kubernetes.io/pvc-protection");
	if (!admission_enabled(req, ADM_DEFAULT_STORAGE_CLASS) || json_getv(spec, "storageClassName", NULL) ||
	    json_strv(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class", NULL))
		return;
	each_in(req->srv->store, kind_by_resource("storage.k8s.io", "v1", "storageclasses"), NULL, find_default_class, &dflt);
	if (dflt)
		json_set_str(spec, "storageClassName", dflt);
	free(dflt);
}

/* ---- LimitRanger ------------------------------------------------------------------------- */

struct lr_defaults {
	cJSON *limits;   /* merged Container defaults: resource -> quantity */
	cJSON *requests;
};

/* Collects the Container items' default and defaultRequest of every LimitRange (the first
 * LimitRange naming a resource wins). */
static void lr_collect(const cJSON *lr, void *data)
{
	struct lr_defaults *d = data;
	const cJSON *item, *v;
	cJSON_ArrayForEach(item, json_getv(lr, "spec", "limits", NULL)) {
		if (strcmp(json_str(item, "type") ? json_str(item, "type") : "", "Container"))
			continue;
		cJSON_ArrayForEach(v, json_getv(item, "default", NULL))
			if (!cJSON_GetObjectItemCaseSensitive(d->limits, v->string))
				cJSON_AddItemToObject(d->limits, v->string, cJSON_Duplicate(v, 1));
		cJSON_ArrayForEach(v, json_getv(item, "defaultRequest", NULL))
			if (!cJSON_GetObjectItemCaseSensitive(d->requests, v->string))
				cJSON_AddItemToObject(d->requests, v->string, cJSON_Duplicate(v, 1));
	}
}

/* Fills the missing members of res[key] from dflt; appends the names set ("cpu, memory") to set. */
static void lr_fill(cJSON *res, const char *key, const cJSON *dflt, struct buf *set)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, dflt) {
		cJSON *list = json_obj_force(res, key);
		if (cJSON_GetObjectItemCaseSensitive(list, v->string))
			continue;
		cJSON_AddItemToObject(list, v->string, cJSON_Duplicate(v, 1));
		buf_addf(set, "%s%s", set->len ? ", " : "", v->string);
	}
}

/* mergeContainerResources for each container of list (what: "container", "init container"). */
static void lr_containers(cJSON *list, const char *what, const struct lr_defaults *d, struct buf *ann)
{
	cJSON *c;
	cJSON_ArrayForEach(c, list) {
		if (!cJSON_IsObject(c))
			continue;
		struct buf req = BUF_INIT, lim = BUF_INIT;
		cJSON *res = json_obj_force(c, "resources");
		const char *name = json_str(c, "name") ? json_str(c, "name") : "";
		lr_fill(res, "limits", d->limits, &lim);
		lr_fill(res, "requests", d->requests, &req);
		if (req.len)
			buf_addf(ann, "%s%s request for %s %s", ann->len ? "; " : "", req.data, what, name);
		if (lim.len)
			buf_addf(ann, "%s%s limit for %s %s", ann->len ? "; " : "", lim.data, what, name);
		buf_release(&req);
		buf_release(&lim);
	}
}

/* LimitRanger's Admit for a new pod: default requests and limits from the namespace's ranges. */
static void limits_admit(struct api_req *req, cJSON *pod)
{
	struct lr_defaults d = { cJSON_CreateObject(), cJSON_CreateObject() };
	struct buf ann = BUF_INIT;
	each_in(req->srv->store, kind_by_resource("", "v1", "limitranges"), req->ns, lr_collect, &d);
	if (d.limits->child || d.requests->child) {
		cJSON *spec = json_obj_force(pod, "spec");
		lr_containers(json_getv(spec, "initContainers", NULL), "init container", &d, &ann);
		lr_containers(json_getv(spec, "containers", NULL), "container", &d, &ann);
	}
	if (ann.len) {
		char *v = xasprintf("LimitRanger plugin set: %s", ann.data);
		json_set_str(json_obj_force(json_obj_force(pod, "metadata"), "annotations"), "kubernetes.io/limit-ranger", v);
		free(v);
	}
	buf_release(&ann);
	cJSON_Delete(d.limits);
	cJSON_Delete(d.requests);
}

struct lr_check {
	struct buf msg; /* the errors, ", "-joined */
	int n;
};

static void lr_err(struct lr_check *c, const char *fmt, const char *r, const char *type, const char *want, const char *got)
{
	if (c->msg.len)
		buf_adds(&c->msg, ", ");
	buf_addf(&c->msg, fmt, r, type, want ? want : "", got ? got : "");
	c->n++;
}

static int qcmp(const cJSON *a, const cJSON *b)
{
	struct quantity x, y;
	const char *e;
	if (quantity_from_json(a, &x, &e) < 0 || quantity_from_json(b, &y, &e) < 0)
		return 0;
	return quantity_cmp(&x, &y);
}

/* *a += *b; a zero takes b's format, as resource.Quantity's Add does. */
static void qadd(struct quantity *a, const struct quantity *b)
{
	if (!quantity_sign(a))
		a->format = b->format;
	quantity_add(a, b);
}

/* A zero quantity, printed "0". */
static void qzero(struct quantity *q)
{
	memset(q, 0, sizeof(*q));
	q->format = QUANTITY_DECIMAL_SI;
}

/* minConstraint and maxConstraint of one item for one set of requests and limits. */
static void lr_bound(struct lr_check *c, const char *type, const cJSON *item, const cJSON *requests,
		     const cJSON *limits)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, json_getv(item, "min", NULL)) {
		const cJSON *rq = json_getv(requests, v->string, NULL), *lm = json_getv(limits, v->string, NULL);
		const char *want = cJSON_GetStringValue(v);
		if (!rq)
			lr_err(c, "minimum %s usage per %s is %s.  No request is specified%s", v->string, type, want, "");
		else if (qcmp(rq, v) < 0)
			lr_err(c, "minimum %s usage per %s is %s, but request is %s", v->string, type, want, cJSON_GetStringValue(rq));
		else if (lm && qcmp(lm, v) < 0)
			lr_err(c, "minimum %s usage per %s is %s, but limit is %s", v->string, type, want, cJSON_GetStringValue(lm));
	}
	cJSON_ArrayForEach(v, json_getv(item, "max", NULL)) {
		const cJSON *rq = json_getv(requests, v->string, NULL), *lm = json_getv(limits, v->string, NULL);
		const char *want = cJSON_GetStringValue(v);
		if (!lm)
			lr_err(c, "maximum %s usage per %s is %s.  No limit is specified%s", v->string, type, want, "");
		else if (qcmp(lm, v) > 0)
			lr_err(c, "maximum %s usage per %s is %s, but limit is %s", v->string, type, want, cJSON_GetStringValue(lm));
		else if (rq && qcmp(rq, v) > 0)
			lr_err(c, "maximum %s usage per %s is %s, but request is %s", v->string, type, want, cJSON_GetStringValue(rq));
	}
}

/* A quantity's value as a double (0 when it does not parse). */
static double qval(const cJSON *v)
{
	struct quantity q;
	const char *e;
	return v && quantity_from_json(v, &q, &e) == 0 ? (double)q.mant * pow(10, q.scale) : 0;
}

/* limitRequestRatioConstraint for each resource of the item's maxLimitRequestRatio. */
static void lr_ratio(struct lr_check *c, const char *type, const cJSON *item, const cJSON *requests,
		     const cJSON *limits)
{
	const cJSON *v;
	char got[64];
	cJSON_ArrayForEach(v, json_getv(item, "maxLimitRequestRatio", NULL)) {
		double rq = qval(json_getv(requests, v->string, NULL)), lm = qval(json_getv(limits, v->string, NULL));
		if (rq == 0)
			lr_err(c, "%s max limit to request ratio per %s is %s, but no request is specified or request is 0%s",
			       v->string, type, cJSON_GetStringValue(v), "");
		else if (lm == 0)
			lr_err(c, "%s max limit to request ratio per %s is %s, but no limit is specified or limit is 0%s",
			       v->string, type, cJSON_GetStringValue(v), "");
		else if (lm / rq > qval(v)) {
			snprintf(got, sizeof(got), "%f", lm / rq);
			lr_err(c, "%s max limit to request ratio per %s is %s, but provided ratio is %s", v->string, type,
			       cJSON_GetStringValue(v), got);
		}
	}
}

/* Every constraint of one item (type "Container" or "Pod") on one set of requests and limits. */
static void lr_item_check(struct lr_check *c, const char *type, const cJSON *item, const cJSON *requests,
			  const cJSON *limits)
{
	lr_bound(c, type, item, requests, limits);
	lr_ratio(c, type, item, requests, limits);
}

/* Adds each quantity of list into sum (a resource -> canonical string object). */
static void sum_into(cJSON *sum, const cJSON *list, int max)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, list) {
		struct quantity a, b;
		const char *e;
		struct buf out = BUF_INIT;
		qzero(&a);
		if (quantity_from_json(v, &b, &e) < 0)
			continue;
		const cJSON *cur = json_getv(sum, v->string, NULL);
		if (cur && quantity_from_json(cur, &a, &e) < 0)
			continue;
		if (max)
			a = cur && quantity_cmp(&a, &b) >= 0 ? a : b;
		else
			qadd(&a, &b);
		quantity_format(&a, &out);
		json_set_str(sum, v->string, out.data ? out.data : "0");
		buf_release(&out);
	}
}

/* The pod's requests (key "requests") or limits: the containers' sum, at least each init
 * container's (upstream's resource helpers, without overhead). Caller frees. */
static cJSON *pod_total(const cJSON *spec, const char *key)
{
	cJSON *sum = cJSON_CreateObject(), *init = cJSON_CreateObject();
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(spec, "containers", NULL))
		sum_into(sum, json_getv(c, "resources", key, NULL), 0);
	cJSON_ArrayForEach(c, json_getv(spec, "initContainers", NULL))
		sum_into(init, json_getv(c, "resources", key, NULL), 1);
	sum_into(sum, init, 1);
	cJSON_Delete(init);
	return sum;
}

struct lr_pod {
	struct lr_check check;
	const cJSON *spec;
};

static void lr_validate(const cJSON *lr, void *data)
{
	struct lr_pod *p = data;
	const cJSON *item, *c;
	cJSON_ArrayForEach(item, json_getv(lr, "spec", "limits", NULL)) {
		const char *type = json_str(item, "type") ? json_str(item, "type") : "";
		if (!strcmp(type, "Container")) {
			static const char *const lists[] = { "initContainers", "containers" };
			for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
				cJSON_ArrayForEach(c, json_getv(p->spec, lists[i], NULL))
					lr_item_check(&p->check, "Container", item, json_getv(c, "resources", "requests", NULL),
						      json_getv(c, "resources", "limits", NULL));
		} else if (!strcmp(type, "Pod")) {
			cJSON *rq = pod_total(p->spec, "requests"), *lm = pod_total(p->spec, "limits");
			lr_item_check(&p->check, "Pod", item, rq, lm);
			cJSON_Delete(rq);
			cJSON_Delete(lm);
		}
	}
}

/* A claim against the PersistentVolumeClaim items: min on its requests (its limits are not user
 * input), max on its requests too (maxRequestConstraint). */
static void lr_validate_claim(const cJSON *lr, void *data)
{
	struct lr_pod *p = data;
	const cJSON *item, *v, *req = json_getv(p->spec, "resources", "requests", NULL);
	cJSON *none = cJSON_CreateObject();
	cJSON_ArrayForEach(item, json_getv(lr, "spec", "limits", NULL)) {
		if (strcmp(json_str(item, "type") ? json_str(item, "type") : "", "PersistentVolumeClaim"))
			continue;
		cJSON *min_only = cJSON_CreateObject();
		json_set(min_only, "min", cJSON_Duplicate(json_getv(item, "min", NULL), 1));
		lr_bound(&p->check, "PersistentVolumeClaim", min_only, req, none);
		cJSON_Delete(min_only);
		cJSON_ArrayForEach(v, json_getv(item, "max", NULL)) {
			const cJSON *rq = json_getv(req, v->string, NULL);
			if (!rq)
				lr_err(&p->check, "maximum %s usage per %s is %s.  No request is specified%s", v->string,
				       "PersistentVolumeClaim", cJSON_GetStringValue(v), "");
			else if (qcmp(rq, v) > 0)
				lr_err(&p->check, "maximum %s usage per %s is %s, but request is %s", v->string,
				       "PersistentVolumeClaim", cJSON_GetStringValue(v), cJSON_GetStringValue(rq));
		}
	}
	cJSON_Delete(none);
}

/* LimitRanger's Validate for a new pod or claim. Returns 0, or -1 with a 403 in req->err. */
static int limits_validate(struct api_req *req, const cJSON *obj, each_fn *fn)
{
	struct lr_pod p = { { BUF_INIT, 0 }, json_obj(obj, "spec") };
	int rc = 0;
	each_in(req->srv->store, kind_by_resource("", "v1", "limitranges"), req->ns, fn, &p);
	if (p.check.n) {
		char *why = p.check.n > 1 ? xasprintf("[%s]", p.check.msg.data) : xstrdup(p.check.msg.data);
		rc = forbid(req, obj, why);
		free(why);
	}
	buf_release(&p.check.msg);
	return rc;
}

/* ---- ResourceQuota ----------------------------------------------------------------------- */

/* The compute resources of pods a quota can name, and the pod total they read. */
static const struct {
	const char *name;
	const char *list; /* "requests" or "limits" */
	const char *resource;
} compute[] = {
	{ "cpu", "requests", "cpu" }, { "requests.cpu", "requests", "cpu" },
	{ "memory", "requests", "memory" }, { "requests.memory", "requests", "memory" },
	{ "limits.cpu", "limits", "cpu" }, { "limits.memory", "limits", "memory" },
	{ "ephemeral-storage", "requests", "ephemeral-storage" },
	{ "requests.ephemeral-storage", "requests", "ephemeral-storage" },
	{ "limits.ephemeral-storage", "limits", "ephemeral-storage" },
};

/* The kind whose objects the quota resource counts ("pods", "count/deployments.apps"), or NULL. */
static const struct kind *counted_kind(const char *resource)
{
	static const char *const legacy[] = { "pods", "services", "configmaps", "secrets", "persistentvolumeclaims",
					      "replicationcontrollers", "resourcequotas", NULL };
	char plural[128];
	const char *group = "", *dot;
	if (starts_with(resource, "count/"))
		resource += strlen("count/");
	else if (!validate_one_of(resource, legacy))
		return NULL;
	dot = strchr(resource, '.');
	snprintf(plural, sizeof(plural), "%.*s", dot ? (int)(dot - resource) : (int)strlen(resource), resource);
	if (dot)
		group = dot + 1;
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		if (!strcmp(k->group, group) && !strcmp(k->plural, plural) && !k->view && (k->flags & KIND_NAMESPACED))
			return k;
	}
	return NULL;
}

static int pod_terminal(const cJSON *pod)
{
	const char *phase = json_strv(pod, "status", "phase", NULL);
	return phase && (!strcmp(phase, "Succeeded") || !strcmp(phase, "Failed"));
}

/* What obj (of kind k) adds to the use of resource, into *q (zero when nothing). */
static void delta_of(const struct kind *k, const cJSON *obj, const char *resource, struct quantity *q)
{
	const struct kind *ck = counted_kind(resource);
	const char *e;
	int pod = !*k->group && !strcmp(k->kind, "Pod");
	qzero(q);
	if (ck == k) {
		if (!pod || !pod_terminal(obj))
			quantity_parse("1", q, &e);
		return;
	}
	if (!*k->group && !strcmp(k->kind, "PersistentVolumeClaim") && !strcmp(resource, "requests.storage")) {
		const cJSON *v = json_getv(obj, "spec", "resources", "requests", "storage", NULL);
		if (v && quantity_from_json(v, q, &e) < 0)
			qzero(q);
		return;
	}
	for (size_t i = 0; pod && !pod_terminal(obj) && i < ARRAY_SIZE(compute); i++)
		if (!strcmp(compute[i].name, resource)) {
			cJSON *total = pod_total(json_obj(obj, "spec"), compute[i].list);
			const cJSON *v = json_getv(total, compute[i].resource, NULL);
			if (v && quantity_from_json(v, q, &e) < 0)
				qzero(q);
			cJSON_Delete(total);
		}
}

/* Does the scope (a quota's scope name, operator In/NotIn/Exists/DoesNotExist and values) match
 * pod (upstream's podMatchesScopeFunc)? */
static int scope_matches(const char *scope, const char *op, const cJSON *values, const cJSON *pod)
{
	const cJSON *spec = json_obj(pod, "spec");
	int m;
	if (!strcmp(scope, "Terminating") || !strcmp(scope, "NotTerminating")) {
		int64_t ads;
		m = json_int(spec, "activeDeadlineSeconds", &ads) == 0 && ads >= 0;
		m = !strcmp(scope, "Terminating") ? m : !m;
	} else if (!strcmp(scope, "BestEffort") || !strcmp(scope, "NotBestEffort")) {
		m = !strcmp(prepare_pod_qos(spec), "BestEffort");
		m = !strcmp(scope, "BestEffort") ? m : !m;
	} else if (!strcmp(scope, "PriorityClass")) {
		const char *pc = json_str(spec, "priorityClassName");
		if (!strcmp(op, "Exists") || !strcmp(op, "DoesNotExist"))
			return (pc && *pc) == !strcmp(op, "Exists");
		m = has_string(values, pc ? pc : "");
		return !strcmp(op, "NotIn") ? !m : m;
	} else {
		return 0;
	}
	return !strcmp(op, "DoesNotExist") ? !m : m;
}

/* Does quota track obj, of kind k? A quota with scopes tracks only pods that match them all. */
static int quota_tracks(const cJSON *quota, const struct kind *k, const cJSON *obj)
{
	const cJSON *spec = json_obj(quota, "spec"), *s;
	const cJSON *scopes = json_getv(spec, "scopes", NULL), *exprs = json_getv(spec, "scopeSelector", "matchExpressions", NULL);
	if (!(cJSON_IsArray(scopes) && scopes->child) && !(cJSON_IsArray(exprs) && exprs->child))
		return 1;
	if (*k->group || strcmp(k->kind, "Pod"))
		return 0;
	cJSON_ArrayForEach(s, scopes)
		if (!cJSON_IsString(s) || !scope_matches(s->valuestring, "Exists", NULL, obj))
			return 0;
	cJSON_ArrayForEach(s, exprs)
		if (!scope_matches(json_str(s, "scopeName") ? json_str(s, "scopeName") : "",
				   json_str(s, "operator") ? json_str(s, "operator") : "", json_getv(s, "values", NULL), obj))
			return 0;
	return 1;
}

struct usage {
	const struct kind *k;
	const char *resource;
	const cJSON *quota;
	struct quantity sum;
};

static void add_usage(const cJSON *obj, void *data)
{
	struct usage *u = data;
	struct quantity q;
	if (u->quota && !quota_tracks(u->quota, u->k, obj))
		return;
	delta_of(u->k, obj, u->resource, &q);
	qadd(&u->sum, &q);
}

int quota_usage(struct store *st, const char *ns, const char *resource, const cJSON *quota, struct quantity *q)
{
	struct usage u = { counted_kind(resource), resource, quota, { 0, 0, QUANTITY_DECIMAL_SI } };
	for (size_t i = 0; !u.k && i < ARRAY_SIZE(compute); i++)
		if (!strcmp(compute[i].name, resource))
			u.k = kind_by_resource("", "v1", "pods");
	if (!u.k && !strcmp(resource, "requests.storage"))
		u.k = kind_by_resource("", "v1", "persistentvolumeclaims");
	qzero(q);
	if (!u.k)
		return -1;
	each_in(st, u.k, ns, add_usage, &u);
	*q = u.sum;
	return 0;
}

/* Appends "k=v" to out (","-joined), as quota's prettyPrint. */
static void pretty(struct buf *out, const char *k, const struct quantity *q)
{
	if (out->len)
		buf_addch(out, ',');
	buf_addf(out, "%s=", k);
	quantity_format(q, out);
}

/* The podEvaluator's Constraints: each container names every cpu/memory resource the quota has. */
static void pod_constraints(const cJSON *quota, const cJSON *pod, struct buf *missing)
{
	static const char *const validated[] = { "cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu",
						 "limits.memory", NULL };
	const cJSON *c, *hard = json_getv(quota, "spec", "hard", NULL);
	for (size_t i = 0; validated[i]; i++) {
		struct buf names = BUF_INIT;
		if (!json_getv(hard, validated[i], NULL))
			continue;
		const char *list = starts_with(validated[i], "limits.") ? "limits" : "requests";
		const char *r = strchr(validated[i], '.') ? strchr(validated[i], '.') + 1 : validated[i];
		cJSON_ArrayForEach(c, json_getv(pod, "spec", "containers", NULL))
			if (!json_getv(c, "resources", list, r, NULL))
				buf_addf(&names, "%s%s", names.len ? "," : "", json_str(c, "name") ? json_str(c, "name") : "");
		if (names.len)
			buf_addf(missing, "%s%s for: %s", missing->len ? "; " : "", validated[i], names.data);
		buf_release(&names);
	}
}

struct quota_check {
	struct api_req *req;
	const cJSON *obj;
	int failed;
};

/* One quota against the new object: the first refusal wins. */
static void quota_one(const cJSON *quota, void *data)
{
	struct quota_check *c = data;
	const char *qname = json_strv(quota, "metadata", "name", NULL);
	struct buf requested = BUF_INIT, used = BUF_INIT, limited = BUF_INIT, missing = BUF_INIT;
	const cJSON *h;
	if (c->failed || !quota_tracks(quota, c->req->kind, c->obj))
		return;
	if (!*c->req->kind->group && !strcmp(c->req->kind->kind, "Pod") && !pod_terminal(c->obj))
		pod_constraints(quota, c->obj, &missing);
	cJSON_ArrayForEach(h, json_getv(quota, "spec", "hard", NULL)) {
		struct quantity d, u, lim;
		const char *e;
		delta_of(c->req->kind, c->obj, h->string, &d);
		if (!quantity_sign(&d) || quantity_from_json(h, &lim, &e) < 0 ||
		    quota_usage(c->req->srv->store, c->req->ns, h->string, quota, &u) < 0)
			continue;
		struct quantity total = u;
		qadd(&total, &d);
		if (quantity_cmp(&total, &lim) <= 0)
			continue;
		pretty(&requested, h->string, &d);
		pretty(&used, h->string, &u);
		pretty(&limited, h->string, &lim);
	}
	char *why = missing.len ? xasprintf("failed quota: %s: must specify %s", qname ? qname : "", missing.data)
		    : requested.len ? xasprintf("exceeded quota: %s, requested: %s, used: %s, limited: %s", qname ? qname : "",
						requested.data, used.data, limited.data)
				    : NULL;
	if (why)
		c->failed = forbid(c->req, c->obj, why) < 0;
	free(why);
	buf_release(&requested);
	buf_release(&used);
	buf_release(&limited);
	buf_release(&missing);
}

/* ---- entry points ------------------------------------------------------------------------ */

int admission_limits_create(struct api_req *req, cJSON *obj)
{
	if (is_core(req, "PersistentVolumeClaim"))
		claim_admit(req, obj);
	else if (is_core(req, "PersistentVolume") && admission_enabled(req, ADM_STORAGE_IN_USE_PROTECTION))
		add_finalizer(obj, "kubernetes.io/pv-protection");
	else if (is_core(req, "Pod") && !req->sub && admission_enabled(req, ADM_LIMIT_RANGER))
		limits_admit(req, obj);
	return 0;
}

int admission_limits_validate(struct api_req *req, const cJSON *obj, const cJSON *old)
{
	struct quota_check c = { req, obj, 0 };
	if (old || req->sub || !(req->kind->flags & KIND_NAMESPACED) || !req->ns)
		return 0;
	int lr = admission_enabled(req, ADM_LIMIT_RANGER);
	if (lr && is_core(req, "Pod") && limits_validate(req, obj, lr_validate) < 0)
		return -1;
	if (lr && is_core(req, "PersistentVolumeClaim") && limits_validate(req, obj, lr_validate_claim) < 0)
		return -1;
	if (admission_enabled(req, ADM_RESOURCE_QUOTA))
		each_in(req->srv->store, kind_by_resource("", "v1", "resourcequotas"), req->ns, quota_one, &c);
	return c.failed ? -1 : 0;
}
