/*
 * sched_pod.c - pods and nodes as the scheduler sees them, and the cluster it keeps: each node
 * with the pods bound (or assumed) to it and the sum of their requests.
 *
 * DESIGN
 * A stored Pod or Node is parsed once per version into a small struct holding only what the
 * filters and scores read (requests as integers, host ports, tolerations, terms with their
 * selectors already parsed), so a scheduling cycle never touches JSON. Requests follow upstream's
 * resource helper: containers add up, an init container runs alone (with the restartable init
 * containers started before it), sidecars add to the whole, and the pod overhead comes on top.
 * The per-node sums are kept up to date incrementally as pods are added and removed (from the pod
 * informer and when the scheduler assumes a placement), never recomputed. Pods are refcounted so
 * that a node, the queue and the nominated index can share one parsed version.
 */
#include "server/sched.h"

#include <stdlib.h>
#include <string.h>

#include "server/kinds.h"
#include "server/quantity.h"

/* ---- resources ------------------------------------------------------------------------- */

void sched_res_release(struct sched_res *r)
{
	for (size_t i = 0; i < r->nscalar; i++)
		free(r->scalar[i].name);
	free(r->scalar);
	memset(r, 0, sizeof(*r));
}

static int64_t *scalar_slot(struct sched_res *r, const char *name)
{
	for (size_t i = 0; i < r->nscalar; i++)
		if (!strcmp(r->scalar[i].name, name))
			return &r->scalar[i].v;
	r->scalar = xrealloc(r->scalar, (r->nscalar + 1) * sizeof(*r->scalar));
	r->scalar[r->nscalar].name = xstrdup(name);
	r->scalar[r->nscalar].v = 0;
	return &r->scalar[r->nscalar++].v;
}

int64_t sched_res_scalar(const struct sched_res *r, const char *name)
{
	for (size_t i = 0; i < r->nscalar; i++)
		if (!strcmp(r->scalar[i].name, name))
			return r->scalar[i].v;
	return 0;
}

void sched_res_add(struct sched_res *dst, const struct sched_res *src, int sign)
{
	dst->cpu += sign * src->cpu;
	dst->mem += sign * src->mem;
	dst->eph += sign * src->eph;
	dst->pods += sign * src->pods;
	for (size_t i = 0; i < src->nscalar; i++)
		*scalar_slot(dst, src->scalar[i].name) += sign * src->scalar[i].v;
}

/* dst = max(dst, src) for each resource. */
static void res_max(struct sched_res *dst, const struct sched_res *src)
{
	dst->cpu = MAX(dst->cpu, src->cpu);
	dst->mem = MAX(dst->mem, src->mem);
	dst->eph = MAX(dst->eph, src->eph);
	for (size_t i = 0; i < src->nscalar; i++) {
		int64_t *v = scalar_slot(dst, src->scalar[i].name);
		*v = MAX(*v, src->scalar[i].v);
	}
}

/* A quantity as an integer, rounded up (milli: in thousandths, as MilliValue()). */
static int64_t qty(const cJSON *v, int milli)
{
	struct quantity q;
	const char *err;
	if (!v || quantity_from_json(v, &q, &err) < 0)
		return 0;
	int32_t scale = q.scale + (milli ? 3 : 0);
	__int128 m = q.mant;
	for (; scale > 0; scale--) {
		if (m > (__int128)INT64_MAX)
			return INT64_MAX;
		m *= 10;
	}
	for (; scale < 0; scale++)
		m = m / 10 + (m % 10 > 0);
	if (m > (__int128)INT64_MAX)
		return INT64_MAX;
	return m < (__int128)INT64_MIN ? INT64_MIN : (int64_t)m;
}

void sched_res_from_json(struct sched_res *r, const cJSON *list)
{
	const cJSON *q, *obj = cJSON_IsObject(list) ? list : NULL;
	cJSON_ArrayForEach(q, obj)
	{
		if (!strcmp(q->string, "cpu"))
			r->cpu += qty(q, 1);
		else if (!strcmp(q->string, "memory"))
			r->mem += qty(q, 0);
		else if (!strcmp(q->string, "ephemeral-storage"))
			r->eph += qty(q, 0);
		else if (!strcmp(q->string, "pods"))
			r->pods += qty(q, 0);
		else
			*scalar_slot(r, q->string) += qty(q, 0);
	}
}

/* One container's requests; with defaults, unset cpu and memory read as upstream's scoring
 * defaults (NonMissingContainerRequests). */
static void container_requests(const cJSON *c, int defaults, struct sched_res *out)
{
	const cJSON *req = jget(jget(c, "resources"), "requests");
	memset(out, 0, sizeof(*out));
	sched_res_from_json(out, req);
	if (defaults && !jget(req, "cpu"))
		out->cpu = SCHED_DEFAULT_MILLI_CPU;
	if (defaults && !jget(req, "memory"))
		out->mem = SCHED_DEFAULT_MEMORY;
}

/* upstream's PodRequests: containers, init containers (sidecars included) and overhead. */
static void pod_requests(const cJSON *spec, int defaults, struct sched_res *out)
{
	struct sched_res sidecars = { 0 }, init_max = { 0 }, c = { 0 };
	const cJSON *it;
	memset(out, 0, sizeof(*out));
	cJSON_ArrayForEach(it, jget(spec, "containers"))
	{
		container_requests(it, defaults, &c);
		sched_res_add(out, &c, 1);
		sched_res_release(&c);
	}
	cJSON_ArrayForEach(it, jget(spec, "initContainers"))
	{
		container_requests(it, defaults, &c);
		if (!strcmp(jstr0(it, "restartPolicy"), "Always")) {
			sched_res_add(out, &c, 1);
			sched_res_add(&sidecars, &c, 1);
			res_max(&init_max, &sidecars);
		} else {
			sched_res_add(&c, &sidecars, 1);
			res_max(&init_max, &c);
		}
		sched_res_release(&c);
	}
	res_max(out, &init_max);
	sched_res_from_json(out, jget(spec, "overhead"));
	sched_res_release(&sidecars);
	sched_res_release(&init_max);
}

/* ---- taints and tolerations ------------------------------------------------------------ */

int sched_tolerates(const struct sched_toleration *t, const struct sched_taint *x)
{
	if (*t->effect && strcmp(t->effect, x->effect))
		return 0;
	if (*t->key && strcmp(t->key, x->key))
		return 0;
	if (!*t->op || !strcmp(t->op, "Equal"))
		return !strcmp(t->value, x->value);
	return !strcmp(t->op, "Exists");
}

static char *dup0(const char *s)
{
	return xstrdup(s ? s : "");
}

static void parse_tolerations(struct sched_pod *p, const cJSON *list)
{
	const cJSON *t;
	size_t n = (size_t)cJSON_GetArraySize(list);
	p->tols = xcalloc(n ? n : 1, sizeof(*p->tols));
	cJSON_ArrayForEach(t, list)
	{
		struct sched_toleration *o = &p->tols[p->ntols++];
		o->key = dup0(jstr(t, "key"));
		o->op = dup0(jstr(t, "operator"));
		o->value = dup0(jstr(t, "value"));
		o->effect = dup0(jstr(t, "effect"));
		o->seconds = -1;
		jint(t, "tolerationSeconds", &o->seconds);
	}
}

/* ---- host ports ------------------------------------------------------------------------ */

static void add_ports(struct sched_pod *p, const cJSON *container)
{
	const cJSON *port;
	cJSON_ArrayForEach(port, jget(container, "ports"))
	{
		int64_t hp = 0;
		if (jint(port, "hostPort", &hp) != 1 || hp <= 0)
			continue;
		p->ports = xrealloc(p->ports, (p->nports + 1) * sizeof(*p->ports));
		struct sched_port *o = &p->ports[p->nports++];
		const char *ip = jstr(port, "hostIP"), *proto = jstr(port, "protocol");
		o->ip = xstrdup(ip && *ip ? ip : "0.0.0.0");
		snprintf(o->proto, sizeof(o->proto), "%s", proto && *proto ? proto : "TCP");
		o->port = (int)hp;
	}
}

static void parse_ports(struct sched_pod *p, const cJSON *spec)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, jget(spec, "containers"))
		add_ports(p, c);
	cJSON_ArrayForEach(c, jget(spec, "initContainers"))
		if (!strcmp(jstr0(c, "restartPolicy"), "Always"))
			add_ports(p, c);
}

/* ---- affinity terms and spread constraints --------------------------------------------- */

static void parse_term(struct sched_term *t, const cJSON *term, const char *pod_ns, int weight)
{
	const cJSON *ns, *nssel = jget(term, "namespaceSelector");
	memset(t, 0, sizeof(*t));
	t->weight = weight;
	t->topology_key = dup0(jstr(term, "topologyKey"));
	if (selector_from_json(jget(term, "labelSelector"), &t->sel, NULL) < 0)
		t->sel.nothing = 1;
	if (nssel) {
		t->has_ns_sel = 1;
		if (selector_from_json(nssel, &t->ns_sel, NULL) < 0)
			t->ns_sel.nothing = 1;
	}
	cJSON_ArrayForEach(ns, jget(term, "namespaces"))
	{
		if (!cJSON_IsString(ns))
			continue;
		t->namespaces = xrealloc(t->namespaces, (t->nnamespaces + 1) * sizeof(char *));
		t->namespaces[t->nnamespaces++] = xstrdup(ns->valuestring);
	}
	if (!t->nnamespaces && !nssel) {
		t->namespaces = xcalloc(1, sizeof(char *));
		t->namespaces[t->nnamespaces++] = xstrdup(pod_ns);
	}
}

/* Parses a list of PodAffinityTerms (weighted: WeightedPodAffinityTerms). */
static struct sched_term *parse_terms(const cJSON *list, const char *pod_ns, int weighted, size_t *n)
{
	const cJSON *it;
	size_t cap = (size_t)cJSON_GetArraySize(list);
	struct sched_term *v = cap ? xcalloc(cap, sizeof(*v)) : NULL;
	*n = 0;
	cJSON_ArrayForEach(it, list)
	{
		int64_t w = 0;
		if (weighted)
			jint(it, "weight", &w);
		parse_term(&v[(*n)++], weighted ? jget(it, "podAffinityTerm") : it, pod_ns, (int)w);
	}
	return v;
}

static void term_release(struct sched_term *t)
{
	selector_release(&t->sel);
	selector_release(&t->ns_sel);
	for (size_t i = 0; i < t->nnamespaces; i++)
		free(t->namespaces[i]);
	free(t->namespaces);
	free(t->topology_key);
}

/* Adds "key in (value)" to sel for each of matchLabelKeys the pod has (upstream's merge). */
static void merge_label_keys(struct selector *sel, const cJSON *keys, const cJSON *labels)
{
	const cJSON *k;
	cJSON_ArrayForEach(k, keys)
	{
		const char *v = cJSON_IsString(k) ? jstr(labels, k->valuestring) : NULL;
		if (!v || sel->nothing)
			continue;
		sel->reqs = xrealloc(sel->reqs, (sel->nreqs + 1) * sizeof(*sel->reqs));
		struct sel_req *r = &sel->reqs[sel->nreqs++];
		memset(r, 0, sizeof(*r));
		r->key = xstrdup(k->valuestring);
		r->op = SEL_IN;
		r->values = xcalloc(1, sizeof(char *));
		r->values[0] = xstrdup(v);
		r->nvalues = 1;
	}
}

static void parse_spread(struct sched_pod *p, const cJSON *list)
{
	const cJSON *c;
	size_t cap = (size_t)cJSON_GetArraySize(list);
	p->spread = cap ? xcalloc(cap, sizeof(*p->spread)) : NULL;
	cJSON_ArrayForEach(c, list)
	{
		struct sched_spread *s = &p->spread[p->nspread++];
		int64_t v = 0;
		jint(c, "maxSkew", &v);
		s->max_skew = (int)v;
		jint(c, "minDomains", &v);
		s->min_domains = (int)v;
		s->topology_key = dup0(jstr(c, "topologyKey"));
		s->hard = !strcmp(jstr0(c, "whenUnsatisfiable"), "DoNotSchedule");
		s->honor_affinity = strcmp(jstr0(c, "nodeAffinityPolicy"), "Ignore") != 0;
		s->honor_taints = !strcmp(jstr0(c, "nodeTaintsPolicy"), "Honor");
		if (selector_from_json(jget(c, "labelSelector"), &s->sel, NULL) < 0)
			s->sel.nothing = 1;
		merge_label_keys(&s->sel, jget(c, "matchLabelKeys"), p->labels);
	}
}

/* ---- pods ------------------------------------------------------------------------------ */

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;
}

static uint64_t spec_hash(const cJSON *obj)
{
	uint64_t h = 14695981039346656037ULL;
	const cJSON *parts[] = { jget(obj, "spec"), json_getv(obj, "metadata", "labels", NULL),
				 json_getv(obj, "metadata", "annotations", NULL) };
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		char *s = parts[i] ? json_print_str(parts[i]) : NULL;
		h = fnv(h, s);
		free(s);
	}
	return h;
}

static int preempted_condition(const cJSON *status)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, jget(status, "conditions"))
		if (!strcmp(jstr0(c, "type"), "DisruptionTarget") && !strcmp(jstr0(c, "reason"), "PreemptionByScheduler"))
			return 1;
	return 0;
}

static void parse_meta(struct sched_pod *p, const cJSON *meta)
{
	const cJSON *labels = jget(meta, "labels"), *owner;
	int64_t t = 0;
	p->ns = dup0(jstr(meta, "namespace"));
	p->name = dup0(jstr(meta, "name"));
	p->uid = dup0(jstr(meta, "uid"));
	p->rv = dup0(jstr(meta, "resourceVersion"));
	p->labels = cJSON_IsObject(labels) ? cJSON_Duplicate(labels, 1) : cJSON_CreateObject();
	p->terminating = jget(meta, "deletionTimestamp") != NULL;
	if (jstr(meta, "creationTimestamp") && parse_rfc3339(jstr(meta, "creationTimestamp"), &t) == 0)
		p->start = t;
	p->owner_kind = xstrdup("");
	p->owner_name = xstrdup("");
	cJSON_ArrayForEach(owner, jget(meta, "ownerReferences"))
	{
		if (!jtrue(owner, "controller"))
			continue;
		free(p->owner_kind);
		free(p->owner_name);
		p->owner_kind = dup0(jstr(owner, "kind"));
		p->owner_name = dup0(jstr(owner, "name"));
	}
}

static void parse_affinity(struct sched_pod *p, const cJSON *aff)
{
	const cJSON *pa = jget(aff, "podAffinity"), *pn = jget(aff, "podAntiAffinity");
	const cJSON *na = jget(aff, "nodeAffinity");
	p->node_affinity = na ? cJSON_Duplicate(na, 1) : NULL;
	p->aff = parse_terms(jget(pa, "requiredDuringSchedulingIgnoredDuringExecution"), p->ns, 0, &p->naff);
	p->paff = parse_terms(jget(pa, "preferredDuringSchedulingIgnoredDuringExecution"), p->ns, 1, &p->npaff);
	p->anti = parse_terms(jget(pn, "requiredDuringSchedulingIgnoredDuringExecution"), p->ns, 0, &p->nanti);
	p->panti = parse_terms(jget(pn, "preferredDuringSchedulingIgnoredDuringExecution"), p->ns, 1, &p->npanti);
}

struct sched_pod *sched_pod_parse(const cJSON *obj)
{
	struct sched_pod *p = xcalloc(1, sizeof(*p));
	const cJSON *spec = jget(obj, "spec"), *status = jget(obj, "status");
	struct sched_res nz;
	int64_t prio = 0, t;
	p->refs = 1;
	parse_meta(p, jget(obj, "metadata"));
	p->node_name = dup0(jstr(spec, "nodeName"));
	p->nominated = dup0(jstr(status, "nominatedNodeName"));
	p->scheduler = xstrdup(jstr(spec, "schedulerName") && *jstr(spec, "schedulerName") ? jstr(spec, "schedulerName")
											     : SCHED_NAME);
	jint(spec, "priority", &prio);
	p->priority = (int32_t)prio;
	p->preempt_never = !strcmp(jstr0(spec, "preemptionPolicy"), "Never");
	p->terminal = !strcmp(jstr0(status, "phase"), "Succeeded") || !strcmp(jstr0(status, "phase"), "Failed");
	p->gated = jarr(spec, "schedulingGates") != NULL;
	p->preempted = preempted_condition(status);
	if (jstr(status, "startTime") && parse_rfc3339(jstr(status, "startTime"), &t) == 0)
		p->start = t;
	pod_requests(spec, 0, &p->req);
	pod_requests(spec, 1, &nz);
	p->nz_cpu = nz.cpu;
	p->nz_mem = nz.mem;
	sched_res_release(&nz);
	parse_ports(p, spec);
	parse_tolerations(p, jget(spec, "tolerations"));
	p->node_selector = jmap(spec, "nodeSelector") ? cJSON_Duplicate(jget(spec, "nodeSelector"), 1) : NULL;
	parse_affinity(p, jget(spec, "affinity"));
	parse_spread(p, jget(spec, "topologySpreadConstraints"));
	p->spec_hash = spec_hash(obj);
	return p;
}

struct sched_pod *sched_pod_ref(struct sched_pod *p)
{
	p->refs++;
	return p;
}

static void free_terms(struct sched_term *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		term_release(&v[i]);
	free(v);
}

void sched_pod_unref(struct sched_pod *p)
{
	if (!p || --p->refs > 0)
		return;
	char **strs[] = { &p->ns, &p->name, &p->uid, &p->rv, &p->node_name, &p->nominated, &p->scheduler,
			  &p->owner_kind, &p->owner_name };
	for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
		free(*strs[i]);
	cJSON_Delete(p->labels);
	cJSON_Delete(p->node_selector);
	cJSON_Delete(p->node_affinity);
	sched_res_release(&p->req);
	for (size_t i = 0; i < p->nports; i++)
		free(p->ports[i].ip);
	free(p->ports);
	for (size_t i = 0; i < p->ntols; i++) {
		free(p->tols[i].key);
		free(p->tols[i].op);
		free(p->tols[i].value);
		free(p->tols[i].effect);
	}
	free(p->tols);
	free_terms(p->aff, p->naff);
	free_terms(p->anti, p->nanti);
	free_terms(p->paff, p->npaff);
	free_terms(p->panti, p->npanti);
	for (size_t i = 0; i < p->nspread; i++) {
		free(p->spread[i].topology_key);
		selector_release(&p->spread[i].sel);
	}
	free(p->spread);
	free(p);
}

void sched_pod_key(const struct sched_pod *p, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", p->ns, p->name);
}

int sched_term_matches(const struct sched_term *t, const struct sched_pod *p, const cJSON *ns_labels)
{
	int ns_ok = 0;
	for (size_t i = 0; i < t->nnamespaces && !ns_ok; i++)
		ns_ok = !strcmp(t->namespaces[i], p->ns);
	if (!ns_ok && t->has_ns_sel && !t->ns_sel.nothing) {
		cJSON *empty = ns_labels ? NULL : cJSON_CreateObject();
		ns_ok = selector_matches(&t->ns_sel, sel_lookup_json, ns_labels ? ns_labels : empty);
		cJSON_Delete(empty);
	}
	return ns_ok && !t->sel.nothing && selector_matches(&t->sel, sel_lookup_json, p->labels);
}

int sched_set_condition(cJSON *pod, const char *type, const char *status, const char *reason, const char *message)
{
	cJSON *st = json_obj_force(pod, "status"), *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions"), *c;
	char now[21];
	format_rfc3339(wall_seconds(), now);
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		json_set(st, "conditions", conds);
	}
	cJSON_ArrayForEach(c, conds)
		if (!strcmp(jstr0(c, "type"), type))
			break;
	int changed = !c || strcmp(jstr0(c, "status"), status) || strcmp(jstr0(c, "reason"), reason ? reason : "") ||
		      strcmp(jstr0(c, "message"), message ? message : "");
	if (!c) {
		c = cJSON_CreateObject();
		cJSON_AddItemToArray(conds, c);
		json_set_str(c, "type", type);
	}
	if (strcmp(jstr0(c, "status"), status) || !jstr(c, "lastTransitionTime"))
		json_set_str(c, "lastTransitionTime", now);
	json_set_str(c, "status", status);
	if (!jget(c, "lastProbeTime"))
		json_set(c, "lastProbeTime", cJSON_CreateNull());
	json_del(c, "reason");
	json_del(c, "message");
	if (reason && *reason)
		json_set_str(c, "reason", reason);
	if (message && *message)
		json_set_str(c, "message", message);
	return changed;
}

/* ---- nodes ----------------------------------------------------------------------------- */

const char *sched_node_label(const struct sched_node *n, const char *key)
{
	return jstr(n->labels, key);
}

static void node_clear(struct sched_node *n)
{
	for (size_t i = 0; i < n->ntaints; i++) {
		free(n->taints[i].key);
		free(n->taints[i].value);
		free(n->taints[i].effect);
	}
	free(n->taints);
	n->taints = NULL;
	n->ntaints = 0;
	cJSON_Delete(n->labels);
	n->labels = NULL;
	sched_res_release(&n->alloc);
}

void sched_node_set(struct sched_node *n, const cJSON *obj)
{
	const cJSON *labels = json_getv(obj, "metadata", "labels", NULL), *t, *status = jget(obj, "status");
	node_clear(n);
	n->labels = cJSON_IsObject(labels) ? cJSON_Duplicate(labels, 1) : cJSON_CreateObject();
	n->unschedulable = jtrue(jget(obj, "spec"), "unschedulable");
	size_t cap = (size_t)cJSON_GetArraySize(json_getv(obj, "spec", "taints", NULL));
	n->taints = xcalloc(cap ? cap : 1, sizeof(*n->taints));
	cJSON_ArrayForEach(t, json_getv(obj, "spec", "taints", NULL))
	{
		struct sched_taint *x = &n->taints[n->ntaints++];
		x->key = dup0(jstr(t, "key"));
		x->value = dup0(jstr(t, "value"));
		x->effect = dup0(jstr(t, "effect"));
	}
	sched_res_from_json(&n->alloc, jget(status, "allocatable") ? jget(status, "allocatable") : jget(status, "capacity"));
}

void sched_node_add_pod(struct sched_node *n, struct sched_pod *p)
{
	if (n->npods == n->cap) {
		n->cap = n->cap ? n->cap * 2 : 8;
		n->pods = xrealloc(n->pods, n->cap * sizeof(*n->pods));
	}
	n->pods[n->npods++] = sched_pod_ref(p);
	sched_res_add(&n->req, &p->req, 1);
	n->nz_cpu += p->nz_cpu;
	n->nz_mem += p->nz_mem;
	n->nports += p->nports != 0;
	n->nanti += p->nanti != 0;
	n->naffinity += (p->naff || p->nanti || p->npaff || p->npanti) != 0;
}

int sched_node_remove_pod(struct sched_node *n, const struct sched_pod *p)
{
	for (size_t i = 0; i < n->npods; i++) {
		if (n->pods[i] != p)
			continue;
		sched_res_add(&n->req, &p->req, -1);
		n->nz_cpu -= p->nz_cpu;
		n->nz_mem -= p->nz_mem;
		n->nports -= p->nports != 0;
		n->nanti -= p->nanti != 0;
		n->naffinity -= (p->naff || p->nanti || p->npaff || p->npanti) != 0;
		n->pods[i] = n->pods[--n->npods];
		sched_pod_unref((struct sched_pod *)p);
		return 0;
	}
	return -1;
}

static void node_free(struct sched_node *n)
{
	node_clear(n);
	for (size_t i = 0; i < n->npods; i++)
		sched_pod_unref(n->pods[i]);
	free(n->pods);
	sched_res_release(&n->req);
	free(n->name);
	free(n);
}

/* ---- the cluster ----------------------------------------------------------------------- */

void sched_cluster_init(struct sched_cluster *c)
{
	memset(c, 0, sizeof(*c));
}

static int free_node_cb(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	node_free(value);
	return 0;
}

static int free_list_cb(const char *key, void *value, void *data)
{
	struct sched_podlist *l = value;
	UNUSED(key);
	UNUSED(data);
	for (size_t i = 0; i < l->n; i++)
		sched_pod_unref(l->v[i]);
	free(l->v);
	free(l);
	return 0;
}

void sched_cluster_release(struct sched_cluster *c)
{
	hmap_each(&c->by_name, free_node_cb, NULL);
	hmap_release(&c->by_name);
	hmap_each(&c->nominated, free_list_cb, NULL);
	hmap_release(&c->nominated);
	free(c->nodes);
	memset(c, 0, sizeof(*c));
}

struct sched_node *sched_cluster_find(const struct sched_cluster *c, const char *name)
{
	return hmap_get(&c->by_name, name);
}

struct sched_node *sched_cluster_node(struct sched_cluster *c, const char *name)
{
	struct sched_node *n = hmap_get(&c->by_name, name);
	if (n)
		return n;
	n = xcalloc(1, sizeof(*n));
	n->name = xstrdup(name);
	n->labels = cJSON_CreateObject();
	hmap_put(&c->by_name, name, n);
	return n;
}

struct sched_node *sched_cluster_set_node(struct sched_cluster *c, const cJSON *obj)
{
	const char *name = json_strv(obj, "metadata", "name", NULL);
	struct sched_node *n = sched_cluster_node(c, name ? name : "");
	sched_node_set(n, obj);
	if (!n->exists) {
		n->exists = 1;
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->nodes = xrealloc(c->nodes, c->cap * sizeof(*c->nodes));
		}
		n->index = c->n;
		c->nodes[c->n++] = n;
	}
	return n;
}

void sched_cluster_delete_node(struct sched_cluster *c, const char *name)
{
	struct sched_node *n = hmap_get(&c->by_name, name);
	if (!n || !n->exists)
		return;
	n->exists = 0;
	c->nodes[n->index] = c->nodes[--c->n];
	c->nodes[n->index]->index = n->index;
	if (!n->npods) {
		hmap_del(&c->by_name, name);
		node_free(n);
	}
}

void sched_cluster_prune(struct sched_cluster *c, struct sched_node *n)
{
	if (n && !n->exists && !n->npods) {
		hmap_del(&c->by_name, n->name);
		node_free(n);
	}
}

void sched_cluster_nominate(struct sched_cluster *c, struct sched_pod *p, const char *node)
{
	struct sched_podlist *l = hmap_get(&c->nominated, node);
	if (!l) {
		l = xcalloc(1, sizeof(*l));
		hmap_put(&c->nominated, node, l);
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = sched_pod_ref(p);
}

void sched_cluster_unnominate(struct sched_cluster *c, const struct sched_pod *p, const char *node)
{
	struct sched_podlist *l = hmap_get(&c->nominated, node);
	for (size_t i = 0; l && i < l->n; i++) {
		if (l->v[i] != p)
			continue;
		sched_pod_unref(l->v[i]);
		l->v[i] = l->v[--l->n];
		if (!l->n) {
			hmap_del(&c->nominated, node);
			free(l->v);
			free(l);
		}
		return;
	}
}

const cJSON *sched_cluster_ns_labels(const struct sched_cluster *c, const char *ns)
{
	return c->ns_labels ? c->ns_labels(ns, c->ns_data) : NULL;
}
