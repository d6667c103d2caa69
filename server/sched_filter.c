/*
 * sched_filter.c - the scheduler's filters, their pre-filter state, and the message a pod that
 * fits nowhere gets.
 *
 * DESIGN
 * Each filter is a pure function of the pod, one node and (for InterPodAffinity and
 * PodTopologySpread) the cycle state the pre-filters computed once per pod over the whole
 * cluster: counts of matching pods per topology pair ("zone=a"), kept in string-keyed maps.
 * sched_filter_all runs them in upstream's order and stops at the first failure, so a node
 * contributes one plugin's reasons to the histogram, as in upstream's framework. The reasons and
 * whether preemption can help (SCHED_UNSCHEDULABLE) or not (SCHED_UNRESOLVABLE) are upstream's,
 * word for word, because users read them in `kubectl describe pod`.
 */
#include "server/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/kinds.h"

#define R_UNSCHEDULABLE "node(s) were unschedulable"
#define R_NODE_NAME "node(s) didn't match the requested node name"
#define R_AFFINITY "node(s) didn't match Pod's node affinity/selector"
#define R_PORTS "node(s) didn't have free ports for the requested pod ports"
#define R_SPREAD "node(s) didn't match pod topology spread constraints"
#define R_SPREAD_LABEL "node(s) didn't match pod topology spread constraints (missing required label)"
#define R_POD_AFFINITY "node(s) didn't match pod affinity rules"
#define R_POD_ANTI "node(s) didn't match pod anti-affinity rules"
#define R_EXISTING_ANTI "node(s) didn't satisfy existing pods anti-affinity rules"

/* ---- statuses -------------------------------------------------------------------------- */

void sched_status_release(struct sched_status *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->reasons[i]);
	memset(st, 0, sizeof(*st));
}

static void status_add(struct sched_status *st, const char *reason)
{
	if (st->n < SCHED_MAX_REASONS)
		st->reasons[st->n++] = xstrdup(reason);
}

void sched_status_fail(struct sched_status *st, enum sched_code code, unsigned plugin, const char *reason)
{
	st->code = code;
	st->plugin = plugin;
	status_add(st, reason);
}

/* ---- node-only filters ----------------------------------------------------------------- */

int sched_filter_unschedulable(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st)
{
	static const struct sched_taint t = { "node.kubernetes.io/unschedulable", "", "NoSchedule" };
	if (!n->unschedulable)
		return 1;
	for (size_t i = 0; i < p->ntols; i++)
		if (sched_tolerates(&p->tols[i], &t))
			return 1;
	sched_status_fail(st, SCHED_UNRESOLVABLE, SP_NODE_UNSCHEDULABLE, R_UNSCHEDULABLE);
	return 0;
}

int sched_filter_node_name(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st)
{
	if (!*p->node_name || !strcmp(p->node_name, n->name))
		return 1;
	sched_status_fail(st, SCHED_UNRESOLVABLE, SP_NODE_NAME, R_NODE_NAME);
	return 0;
}

/* The first NoSchedule/NoExecute taint of n that p does not tolerate, or NULL. */
static const struct sched_taint *untolerated(const struct sched_pod *p, const struct sched_node *n)
{
	for (size_t i = 0; i < n->ntaints; i++) {
		const struct sched_taint *x = &n->taints[i];
		int tolerated = 0;
		if (strcmp(x->effect, "NoSchedule") && strcmp(x->effect, "NoExecute"))
			continue;
		for (size_t j = 0; j < p->ntols && !tolerated; j++)
			tolerated = sched_tolerates(&p->tols[j], x);
		if (!tolerated)
			return x;
	}
	return NULL;
}

int sched_filter_taints(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st)
{
	const struct sched_taint *x = untolerated(p, n);
	if (!x)
		return 1;
	char *why = xasprintf("node(s) had untolerated taint {%s: %s}", x->key, x->value);
	sched_status_fail(st, SCHED_UNRESOLVABLE, SP_TAINT, why);
	free(why);
	return 0;
}

/* Does the label value v (NULL: absent) satisfy a NodeSelectorRequirement? */
static int requirement_holds(const cJSON *req, const char *v)
{
	const char *op = jstr0(req, "operator");
	const cJSON *values = jget(req, "values"), *x;
	int in = 0;
	cJSON_ArrayForEach(x, values)
		in |= v && cJSON_IsString(x) && !strcmp(x->valuestring, v);
	if (!strcmp(op, "In"))
		return in;
	if (!strcmp(op, "NotIn"))
		return !in;
	if (!strcmp(op, "Exists"))
		return v != NULL;
	if (!strcmp(op, "DoesNotExist"))
		return v == NULL;
	if (strcmp(op, "Gt") && strcmp(op, "Lt"))
		return 0;
	int64_t a, b;
	const cJSON *first = cJSON_GetArrayItem(values, 0);
	if (!v || cJSON_GetArraySize(values) != 1 || !cJSON_IsString(first) || parse_int64(v, INT64_MIN, INT64_MAX, &a) < 0 ||
	    parse_int64(first->valuestring, INT64_MIN, INT64_MAX, &b) < 0)
		return 0;
	return !strcmp(op, "Gt") ? a > b : a < b;
}

/* Does a NodeSelectorTerm match n? An empty term matches nothing. */
static int term_matches_node(const cJSON *term, const struct sched_node *n)
{
	const cJSON *exprs = jget(term, "matchExpressions"), *fields = jget(term, "matchFields"), *r;
	if (!jarr(term, "matchExpressions") && !jarr(term, "matchFields"))
		return 0;
	cJSON_ArrayForEach(r, exprs)
		if (!requirement_holds(r, sched_node_label(n, jstr0(r, "key"))))
			return 0;
	cJSON_ArrayForEach(r, fields)
		if (strcmp(jstr0(r, "key"), "metadata.name") || !requirement_holds(r, n->name))
			return 0;
	return 1;
}

int sched_node_matches_pod(const struct sched_pod *p, const struct sched_node *n)
{
	const cJSON *l, *t;
	cJSON_ArrayForEach(l, p->node_selector)
	{
		const char *v = sched_node_label(n, l->string);
		if (!v || !cJSON_IsString(l) || strcmp(v, l->valuestring))
			return 0;
	}
	const cJSON *req = jget(p->node_affinity, "requiredDuringSchedulingIgnoredDuringExecution");
	if (!req)
		return 1;
	cJSON_ArrayForEach(t, jget(req, "nodeSelectorTerms"))
		if (term_matches_node(t, n))
			return 1;
	return 0;
}

int sched_filter_node_affinity(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st)
{
	if (sched_node_matches_pod(p, n))
		return 1;
	sched_status_fail(st, SCHED_UNRESOLVABLE, SP_NODE_AFFINITY, R_AFFINITY);
	return 0;
}

/* Do two host ports collide (same protocol and port, and the same IP or either 0.0.0.0)? */
static int ports_conflict(const struct sched_port *a, const struct sched_port *b)
{
	return a->port == b->port && !strcmp(a->proto, b->proto) &&
	       (!strcmp(a->ip, b->ip) || !strcmp(a->ip, "0.0.0.0") || !strcmp(b->ip, "0.0.0.0"));
}

int sched_filter_ports(const struct sched_pod *p, const struct sched_node *n, struct sched_status *st)
{
	if (!p->nports || !n->nports)
		return 1;
	for (size_t i = 0; i < n->npods; i++)
		for (size_t j = 0; j < n->pods[i]->nports; j++)
			for (size_t k = 0; k < p->nports; k++)
				if (ports_conflict(&n->pods[i]->ports[j], &p->ports[k])) {
					sched_status_fail(st, SCHED_UNSCHEDULABLE, SP_PORTS, R_PORTS);
					return 0;
				}
	return 1;
}

/* One resource of NodeResourcesFit: adds "Insufficient name" when want does not fit. */
static void fit_one(struct sched_status *st, const char *name, int64_t want, int64_t alloc, int64_t used)
{
	if (want <= 0 || want <= alloc - used)
		return;
	char *why = xasprintf("Insufficient %s", name);
	status_add(st, why);
	free(why);
	/* A request beyond the node's whole allocatable cannot be helped by preempting. */
	if (want > alloc)
		st->code = SCHED_UNRESOLVABLE;
}

int sched_filter_fit(const struct sched_pod *p, const struct sched_node *n, const struct sched_res *extra,
		     int extra_pods, struct sched_status *st)
{
	static const struct sched_res none;
	const struct sched_res *x = extra ? extra : &none, *r = &p->req;
	st->code = SCHED_UNSCHEDULABLE;
	st->plugin = SP_FIT;
	if ((int64_t)n->npods + extra_pods + 1 > n->alloc.pods)
		status_add(st, "Too many pods");
	fit_one(st, "cpu", r->cpu, n->alloc.cpu, n->req.cpu + x->cpu);
	fit_one(st, "memory", r->mem, n->alloc.mem, n->req.mem + x->mem);
	fit_one(st, "ephemeral-storage", r->eph, n->alloc.eph, n->req.eph + x->eph);
	for (size_t i = 0; i < r->nscalar; i++)
		fit_one(st, r->scalar[i].name, r->scalar[i].v, sched_res_scalar(&n->alloc, r->scalar[i].name),
			sched_res_scalar(&n->req, r->scalar[i].name) + sched_res_scalar(x, r->scalar[i].name));
	if (st->n)
		return 0;
	st->code = SCHED_SUCCESS;
	st->plugin = 0;
	return 1;
}

/* ---- pre-filter state ------------------------------------------------------------------ */

static int64_t count_get(const struct hmap *m, const char *key)
{
	return (int64_t)(intptr_t)hmap_get(m, key);
}

static void count_add(struct hmap *m, const char *key, int64_t d)
{
	int64_t v = count_get(m, key) + d;
	hmap_put(m, key, (void *)(intptr_t)v);
}

/* Adds d to counts["key=<n's value of key>"] when n has the label. */
static void pair_add(struct hmap *counts, const struct sched_node *n, const char *key, int64_t d)
{
	const char *v = sched_node_label(n, key);
	if (!v)
		return;
	char *k = xasprintf("%s=%s", key, v);
	count_add(counts, k, d);
	free(k);
}

static int64_t pair_get(const struct hmap *counts, const struct sched_node *n, const char *key, int *has)
{
	const char *v = sched_node_label(n, key);
	*has = v != NULL;
	if (!v)
		return 0;
	char *k = xasprintf("%s=%s", key, v);
	int64_t r = count_get(counts, k);
	free(k);
	return r;
}

/* InterPodAffinity's pre-filter contribution of existing pod e on node n (sign: +1 or -1). */
static void interpod_account(struct sched_cycle *cy, const struct sched_pod *e, const struct sched_node *n, int sign)
{
	const struct sched_pod *p = cy->pod;
	if (e->nanti) {
		for (size_t i = 0; i < e->nanti; i++)
			if (sched_term_matches(&e->anti[i], p, cy->pod_ns_labels))
				pair_add(&cy->existing_anti, n, e->anti[i].topology_key, sign);
	}
	if (!p->naff && !p->nanti)
		return;
	const cJSON *ens = sched_cluster_ns_labels(cy->c, e->ns);
	int all = p->naff > 0;
	for (size_t i = 0; i < p->naff && all; i++)
		all = sched_term_matches(&p->aff[i], e, ens);
	for (size_t i = 0; all && i < p->naff; i++)
		pair_add(&cy->aff_counts, n, p->aff[i].topology_key, sign);
	for (size_t i = 0; i < p->nanti; i++)
		if (sched_term_matches(&p->anti[i], e, ens))
			pair_add(&cy->anti_counts, n, p->anti[i].topology_key, sign);
}

/* Does the existing pod e count for spread constraint s of a pod in namespace ns? */
static int spread_counts(const struct sched_spread *s, const struct sched_pod *e, const char *ns)
{
	return !e->terminating && !strcmp(e->ns, ns) && !s->sel.nothing &&
	       selector_matches(&s->sel, sel_lookup_json, e->labels);
}

/* Is n one of the nodes PodTopologySpread counts for the pod's constraint s? */
static int spread_includes(const struct sched_pod *p, const struct sched_spread *s, const struct sched_node *n)
{
	if (s->honor_affinity && !sched_node_matches_pod(p, n))
		return 0;
	return !s->honor_taints || !untolerated(p, n);
}

static void spread_min(struct sched_spread_state *ss)
{
	struct hmap_entry *e;
	ss->min = INT32_MAX;
	ss->ndomains = 0;
	for (size_t b = 0; b < ss->counts.nbuckets; b++)
		for (e = ss->counts.buckets[b]; e; e = e->next) {
			ss->ndomains++;
			ss->min = MIN(ss->min, (int64_t)(intptr_t)e->value);
		}
}

/* Does n have the topology key of every hard constraint? */
static int has_hard_keys(const struct sched_pod *p, const struct sched_node *n)
{
	for (size_t i = 0; i < p->nspread; i++)
		if (p->spread[i].hard && !sched_node_label(n, p->spread[i].topology_key))
			return 0;
	return 1;
}

static void spread_prefilter(struct sched_cycle *cy)
{
	const struct sched_pod *p = cy->pod;
	for (size_t i = 0; i < p->nspread; i++)
		cy->has_spread |= p->spread[i].hard;
	if (!cy->has_spread)
		return;
	cy->spread = xcalloc(p->nspread, sizeof(*cy->spread));
	for (size_t k = 0; k < cy->c->n; k++) {
		const struct sched_node *n = cy->c->nodes[k];
		if (!has_hard_keys(p, n))
			continue;
		for (size_t i = 0; i < p->nspread; i++) {
			const struct sched_spread *s = &p->spread[i];
			if (!s->hard || !spread_includes(p, s, n))
				continue;
			int64_t cnt = 0;
			for (size_t j = 0; j < n->npods; j++)
				cnt += spread_counts(s, n->pods[j], p->ns);
			count_add(&cy->spread[i].counts, sched_node_label(n, s->topology_key), cnt);
		}
	}
	for (size_t i = 0; i < p->nspread; i++)
		spread_min(&cy->spread[i]);
}

void sched_cycle_init(struct sched_cycle *cy, struct sched_cluster *c, const struct sched_pod *pod)
{
	memset(cy, 0, sizeof(*cy));
	cy->pod = pod;
	cy->c = c;
	cy->pod_ns_labels = sched_cluster_ns_labels(c, pod->ns);
	int own = pod->naff || pod->nanti;
	for (size_t k = 0; k < c->n; k++) {
		const struct sched_node *n = c->nodes[k];
		if (!own && !n->nanti)
			continue;
		for (size_t j = 0; j < n->npods; j++)
			interpod_account(cy, n->pods[j], n, 1);
	}
	cy->has_interpod = own || cy->existing_anti.n;
	spread_prefilter(cy);
}

void sched_cycle_release(struct sched_cycle *cy)
{
	hmap_release(&cy->aff_counts);
	hmap_release(&cy->anti_counts);
	hmap_release(&cy->existing_anti);
	for (size_t i = 0; cy->spread && i < cy->pod->nspread; i++)
		hmap_release(&cy->spread[i].counts);
	free(cy->spread);
	memset(cy, 0, sizeof(*cy));
}

void sched_cycle_update(struct sched_cycle *cy, const struct sched_pod *e, const struct sched_node *n, int sign)
{
	const struct sched_pod *p = cy->pod;
	interpod_account(cy, e, n, sign);
	cy->has_interpod |= p->naff || p->nanti || cy->existing_anti.n;
	for (size_t i = 0; cy->spread && i < p->nspread; i++) {
		const struct sched_spread *s = &p->spread[i];
		const char *v = sched_node_label(n, s->topology_key);
		if (!s->hard || !v || !has_hard_keys(p, n) || !spread_includes(p, s, n) || !spread_counts(s, e, p->ns))
			continue;
		count_add(&cy->spread[i].counts, v, sign);
		spread_min(&cy->spread[i]);
	}
}

/* ---- cluster-wide filters -------------------------------------------------------------- */

int sched_filter_spread(const struct sched_cycle *cy, const struct sched_node *n, struct sched_status *st)
{
	const struct sched_pod *p = cy->pod;
	for (size_t i = 0; cy->has_spread && i < p->nspread; i++) {
		const struct sched_spread *s = &p->spread[i];
		if (!s->hard)
			continue;
		const char *v = sched_node_label(n, s->topology_key);
		if (!v) {
			sched_status_fail(st, SCHED_UNRESOLVABLE, SP_SPREAD, R_SPREAD_LABEL);
			return 0;
		}
		const struct sched_spread_state *ss = &cy->spread[i];
		int64_t min = ss->min;
		if (s->min_domains > 0 && (int64_t)ss->ndomains < s->min_domains)
			min = 0;
		int64_t self = !s->sel.nothing && selector_matches(&s->sel, sel_lookup_json, p->labels);
		int64_t skew = count_get(&ss->counts, v) + self - min;
		if (skew > s->max_skew) {
			sched_status_fail(st, SCHED_UNSCHEDULABLE, SP_SPREAD, R_SPREAD);
			return 0;
		}
	}
	return 1;
}

/* Upstream's satisfyPodAffinity: every term's topology pair has matching pods, or no pod
 * matches anywhere and the pod matches its own terms (the first of a group). */
static int pod_affinity_ok(const struct sched_cycle *cy, const struct sched_node *n)
{
	const struct sched_pod *p = cy->pod;
	int exist = 1, has;
	for (size_t i = 0; i < p->naff; i++) {
		if (pair_get(&cy->aff_counts, n, p->aff[i].topology_key, &has) <= 0)
			exist = 0;
		if (!has)
			return 0;
	}
	if (exist)
		return 1;
	if (cy->aff_counts.n)
		for (struct hmap_entry **b = cy->aff_counts.buckets; b < cy->aff_counts.buckets + cy->aff_counts.nbuckets; b++)
			for (struct hmap_entry *e = *b; e; e = e->next)
				if ((intptr_t)e->value > 0)
					return 0;
	for (size_t i = 0; i < p->naff; i++)
		if (!sched_term_matches(&p->aff[i], p, cy->pod_ns_labels))
			return 0;
	return 1;
}

static int pod_anti_ok(const struct sched_cycle *cy, const struct sched_node *n)
{
	const struct sched_pod *p = cy->pod;
	int has;
	for (size_t i = 0; i < p->nanti; i++)
		if (pair_get(&cy->anti_counts, n, p->anti[i].topology_key, &has) > 0)
			return 0;
	return 1;
}

static int existing_anti_ok(const struct sched_cycle *cy, const struct sched_node *n)
{
	const cJSON *l;
	if (!cy->existing_anti.n)
		return 1;
	cJSON_ArrayForEach(l, n->labels)
	{
		if (!cJSON_IsString(l))
			continue;
		char *k = xasprintf("%s=%s", l->string, l->valuestring);
		int64_t c = count_get(&cy->existing_anti, k);
		free(k);
		if (c > 0)
			return 0;
	}
	return 1;
}

int sched_filter_interpod(const struct sched_cycle *cy, const struct sched_node *n, struct sched_status *st)
{
	if (!cy->has_interpod)
		return 1;
	if (cy->pod->naff && !pod_affinity_ok(cy, n)) {
		sched_status_fail(st, SCHED_UNRESOLVABLE, SP_INTERPOD, R_POD_AFFINITY);
		return 0;
	}
	if (!pod_anti_ok(cy, n)) {
		sched_status_fail(st, SCHED_UNSCHEDULABLE, SP_INTERPOD, R_POD_ANTI);
		return 0;
	}
	if (!existing_anti_ok(cy, n)) {
		sched_status_fail(st, SCHED_UNSCHEDULABLE, SP_INTERPOD, R_EXISTING_ANTI);
		return 0;
	}
	return 1;
}

/* What pods nominated to n with a priority at least p's (other than p) add to it. */
static int nominated_extra(const struct sched_cycle *cy, const struct sched_node *n, struct sched_res *extra)
{
	const struct sched_podlist *l = hmap_get(&cy->c->nominated, n->name);
	int count = 0;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct sched_pod *q = l->v[i];
		if (q->priority < cy->pod->priority || !strcmp(q->uid, cy->pod->uid))
			continue;
		sched_res_add(extra, &q->req, 1);
		count++;
	}
	return count;
}

int sched_filter_all(const struct sched_cycle *cy, const struct sched_node *n, struct sched_status *st)
{
	const struct sched_pod *p = cy->pod;
	if (!sched_filter_unschedulable(p, n, st) || !sched_filter_node_name(p, n, st) || !sched_filter_taints(p, n, st) ||
	    !sched_filter_node_affinity(p, n, st) || !sched_filter_ports(p, n, st))
		return 0;
	struct sched_res extra = { 0 };
	int nextra = cy->c->nominated.n ? nominated_extra(cy, n, &extra) : 0;
	int ok = sched_filter_fit(p, n, &extra, nextra, st);
	sched_res_release(&extra);
	return ok && sched_filter_spread(cy, n, st) && sched_filter_interpod(cy, n, st);
}

/* ---- the failure message --------------------------------------------------------------- */

void sched_histogram_add(struct hmap *counts, const struct sched_status *st, size_t times)
{
	for (size_t i = 0; i < st->n; i++)
		count_add(counts, st->reasons[i], (int64_t)times);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *sched_fit_message(size_t nall, const struct hmap *counts, const char *post)
{
	struct buf out = BUF_INIT;
	char **lines = xcalloc(counts->n + 1, sizeof(char *));
	size_t n = 0;
	for (size_t b = 0; b < counts->nbuckets; b++)
		for (struct hmap_entry *e = counts->buckets[b]; e; e = e->next)
			lines[n++] = xasprintf("%lld %s", (long long)(intptr_t)e->value, e->key);
	/* Upstream sorts the "count reason" strings themselves. */
	qsort(lines, n, sizeof(char *), cmp_str);
	buf_addf(&out, "0/%zu nodes are available:", nall);
	for (size_t i = 0; i < n; i++) {
		buf_addf(&out, "%s%s", i ? ", " : " ", lines[i]);
		free(lines[i]);
	}
	if (n)
		buf_addch(&out, '.');
	/* Upstream appends the PostFilter message with the same " %v." separator, hence the
	 * ".." users see after a preemption message that ends with its own full stop. */
	if (post && *post)
		buf_addf(&out, " %s.", post);
	free(lines);
	return buf_detach(&out, NULL);
}
