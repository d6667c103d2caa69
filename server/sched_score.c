/*
 * sched_score.c - the scheduler's score plugins and how they add up.
 *
 * DESIGN
 * Each plugin scores every feasible node, is normalised to 0..100 over them where upstream
 * normalises, and is weighted as in upstream's default profile: TaintToleration 3,
 * NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit (LeastAllocated over
 * cpu and memory) 1, NodeResourcesBalancedAllocation 1. ImageLocality (1) has nothing to read
 * until nodes report their images, so it adds nothing. Plugins a pod gives nothing to score
 * (no preferences, no spreading) are skipped, as upstream's PreScore Skip does.
 */
#include "server/sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server/kinds.h"

#define W_TAINT 3
#define W_NODE_AFFINITY 2
#define W_SPREAD 2
#define W_INTERPOD 2
#define W_FIT 1
#define W_BALANCED 1

/* ---- per-node scores ------------------------------------------------------------------- */

static int64_t least_requested(int64_t requested, int64_t capacity)
{
	if (capacity == 0 || requested > capacity)
		return 0;
	return (capacity - requested) * SCHED_MAX_SCORE / capacity;
}

int64_t sched_score_least_allocated(const struct sched_pod *p, const struct sched_node *n)
{
	int64_t score = 0, weights = 0;
	if (n->alloc.cpu > 0) {
		score += least_requested(n->nz_cpu + p->nz_cpu, n->alloc.cpu);
		weights++;
	}
	if (n->alloc.mem > 0) {
		score += least_requested(n->nz_mem + p->nz_mem, n->alloc.mem);
		weights++;
	}
	return weights ? score / weights : 0;
}

int64_t sched_score_balanced(const struct sched_pod *p, const struct sched_node *n)
{
	double f[2];
	int k = 0;
	if (n->alloc.cpu > 0)
		f[k++] = MIN(1.0, (double)(n->req.cpu + p->req.cpu) / (double)n->alloc.cpu);
	if (n->alloc.mem > 0)
		f[k++] = MIN(1.0, (double)(n->req.mem + p->req.mem) / (double)n->alloc.mem);
	double std = k == 2 ? fabs(f[0] - f[1]) / 2 : 0;
	return (int64_t)((1 - std) * SCHED_MAX_SCORE);
}

/* Does the NodeSelectorTerm of a preferred scheduling term match n? (Shares the filter's rules
 * through a one-term pod.) */
static int preference_matches(const cJSON *pref, const struct sched_node *n)
{
	struct sched_pod probe = { 0 };
	cJSON *aff = cJSON_CreateObject(), *req = json_obj_force(aff, "requiredDuringSchedulingIgnoredDuringExecution");
	cJSON *terms = cJSON_CreateArray();
	cJSON_AddItemToArray(terms, cJSON_Duplicate(pref, 1));
	json_set(req, "nodeSelectorTerms", terms);
	probe.node_affinity = aff;
	int r = sched_node_matches_pod(&probe, n);
	cJSON_Delete(aff);
	return r;
}

int64_t sched_score_node_affinity(const struct sched_pod *p, const struct sched_node *n)
{
	const cJSON *t;
	int64_t score = 0;
	cJSON_ArrayForEach(t, jget(p->node_affinity, "preferredDuringSchedulingIgnoredDuringExecution"))
	{
		int64_t w = 0;
		jint(t, "weight", &w);
		if (w && preference_matches(jget(t, "preference"), n))
			score += w;
	}
	return score;
}

int64_t sched_score_taints(const struct sched_pod *p, const struct sched_node *n)
{
	int64_t count = 0;
	for (size_t i = 0; i < n->ntaints; i++) {
		const struct sched_taint *x = &n->taints[i];
		int tolerated = 0;
		if (strcmp(x->effect, "PreferNoSchedule"))
			continue;
		for (size_t j = 0; j < p->ntols && !tolerated; j++) {
			const struct sched_toleration *t = &p->tols[j];
			tolerated = (!*t->effect || !strcmp(t->effect, "PreferNoSchedule")) && sched_tolerates(t, x);
		}
		count += !tolerated;
	}
	return count;
}

void sched_normalize(int64_t *scores, size_t n, int reverse)
{
	int64_t max = 0;
	for (size_t i = 0; i < n; i++)
		max = MAX(max, scores[i]);
	for (size_t i = 0; i < n; i++) {
		if (max == 0) {
			if (reverse)
				scores[i] = SCHED_MAX_SCORE;
			continue;
		}
		scores[i] = SCHED_MAX_SCORE * scores[i] / max;
		if (reverse)
			scores[i] = SCHED_MAX_SCORE - scores[i];
	}
}

/* ---- PodTopologySpread ----------------------------------------------------------------- */

void sched_score_set_default_selector(struct sched_cluster *c, sched_default_selector_fn *fn, void *data)
{
	c->default_sel = fn;
	c->default_sel_data = data;
}

/* The constraints scored for p: its ScheduleAnyway ones, or the system defaults (hostname
 * maxSkew 3, zone maxSkew 5) over the default selector when it has none. */
struct soft {
	struct sched_spread *v;
	size_t n;
	int defaults;             /* system defaults: nodes missing a key are not ignored */
	struct sched_spread dflt[2];
};

static int soft_constraints(struct sched_cycle *cy, struct soft *s)
{
	const struct sched_pod *p = cy->pod;
	memset(s, 0, sizeof(*s));
	if (p->nspread) {
		s->v = xcalloc(p->nspread, sizeof(*s->v));
		for (size_t i = 0; i < p->nspread; i++)
			if (!p->spread[i].hard)
				s->v[s->n++] = p->spread[i]; /* shallow: the pod owns the selectors */
		if (!s->n) {
			free(s->v);
			s->v = NULL;
		}
		return s->n > 0;
	}
	struct selector sel = { 0 };
	if (!cy->c->default_sel || cy->c->default_sel(p, &sel, cy->c->default_sel_data) < 0 || !sel.nreqs ||
	    sel.nothing) {
		selector_release(&sel);
		return 0;
	}
	static const struct {
		const char *key;
		int skew;
	} d[] = { { "kubernetes.io/hostname", 3 }, { "topology.kubernetes.io/zone", 5 } };
	for (size_t i = 0; i < 2; i++) {
		s->dflt[i].max_skew = d[i].skew;
		s->dflt[i].topology_key = (char *)d[i].key;
		s->dflt[i].sel = sel;
		s->dflt[i].honor_affinity = 1;
	}
	s->dflt[1].sel.reqs = NULL; /* the selector is owned once, by dflt[0] */
	s->v = s->dflt;
	s->n = 2;
	s->defaults = 1;
	return 1;
}

static void soft_release(struct soft *s)
{
	if (s->defaults)
		selector_release(&s->dflt[0].sel);
	else
		free(s->v);
}

static const struct selector *soft_sel(const struct soft *s, size_t i)
{
	return s->defaults ? &s->dflt[0].sel : &s->v[i].sel;
}

static int64_t count_on(const struct sched_node *n, const struct selector *sel, const char *ns)
{
	int64_t c = 0;
	for (size_t j = 0; j < n->npods; j++) {
		const struct sched_pod *e = n->pods[j];
		c += !e->terminating && !strcmp(e->ns, ns) && selector_matches(sel, sel_lookup_json, e->labels);
	}
	return c;
}

static int has_all_keys(const struct soft *s, const struct sched_node *n)
{
	for (size_t i = 0; i < s->n; i++)
		if (!sched_node_label(n, s->v[i].topology_key))
			return 0;
	return 1;
}

/* Counts matching pods per non-hostname topology pair over every node (upstream's PreScore). */
static void spread_pair_counts(struct sched_cycle *cy, const struct soft *s, struct hmap *pairs)
{
	const struct sched_pod *p = cy->pod;
	for (size_t k = 0; k < cy->c->n; k++) {
		const struct sched_node *n = cy->c->nodes[k];
		if (!s->defaults && !has_all_keys(s, n))
			continue;
		for (size_t i = 0; i < s->n; i++) {
			const char *key = s->v[i].topology_key, *v = sched_node_label(n, key);
			if (!strcmp(key, "kubernetes.io/hostname") || (s->v[i].honor_affinity && !sched_node_matches_pod(p, n)))
				continue;
			char *pk = xasprintf("%s=%s", key, v ? v : "");
			intptr_t cur = (intptr_t)hmap_get(pairs, pk);
			if (cur) /* only the pairs of candidate nodes are counted */
				hmap_put(pairs, pk, (void *)(cur + count_on(n, soft_sel(s, i), p->ns)));
			free(pk);
		}
	}
}

/* Registers the pairs of the candidate nodes (so only those are counted) and the number of
 * domains per constraint; returns the normalising weight of each constraint in w. */
static void spread_domains(const struct soft *s, struct sched_node **nodes, size_t n, struct hmap *pairs,
			   double *w, size_t *ignored)
{
	size_t *size = xcalloc(s->n, sizeof(size_t));
	*ignored = 0;
	for (size_t k = 0; k < n; k++) {
		if (!s->defaults && !has_all_keys(s, nodes[k])) {
			(*ignored)++;
			continue;
		}
		for (size_t i = 0; i < s->n; i++) {
			const char *key = s->v[i].topology_key, *v = sched_node_label(nodes[k], key);
			if (!strcmp(key, "kubernetes.io/hostname"))
				continue;
			char *pk = xasprintf("%s=%s", key, v ? v : "");
			if (!hmap_get(pairs, pk)) {
				hmap_put(pairs, pk, (void *)(intptr_t)1); /* counts are stored +1 */
				size[i]++;
			}
			free(pk);
		}
	}
	for (size_t i = 0; i < s->n; i++)
		w[i] = log((double)((!strcmp(s->v[i].topology_key, "kubernetes.io/hostname") ? n - *ignored : size[i]) + 2));
	free(size);
}

static void score_spread(struct sched_cycle *cy, struct sched_node **nodes, size_t n, int64_t *out)
{
	struct soft s;
	struct hmap pairs = HMAP_INIT;
	size_t ignored;
	if (!soft_constraints(cy, &s)) {
		memset(out, 0, n * sizeof(*out));
		return;
	}
	double *w = xcalloc(s.n, sizeof(double));
	spread_domains(&s, nodes, n, &pairs, w, &ignored);
	spread_pair_counts(cy, &s, &pairs);
	int64_t min = INT64_MAX, max = 0;
	for (size_t k = 0; k < n; k++) {
		double score = 0;
		out[k] = -1;
		if (!s.defaults && !has_all_keys(&s, nodes[k]))
			continue;
		for (size_t i = 0; i < s.n; i++) {
			const char *key = s.v[i].topology_key, *v = sched_node_label(nodes[k], key);
			int64_t cnt;
			if (!v)
				continue;
			if (!strcmp(key, "kubernetes.io/hostname")) {
				cnt = count_on(nodes[k], soft_sel(&s, i), cy->pod->ns);
			} else {
				char *pk = xasprintf("%s=%s", key, v);
				cnt = (intptr_t)hmap_get(&pairs, pk) - 1;
				free(pk);
			}
			score += (double)cnt * w[i] + (double)(s.v[i].max_skew - 1);
		}
		out[k] = (int64_t)llround(score);
		min = MIN(min, out[k]);
		max = MAX(max, out[k]);
	}
	for (size_t k = 0; k < n; k++)
		out[k] = out[k] < 0 ? 0 : max == 0 ? SCHED_MAX_SCORE : SCHED_MAX_SCORE * (max + min - out[k]) / max;
	free(w);
	hmap_release(&pairs);
	soft_release(&s);
}

/* ---- InterPodAffinity (preferences) ---------------------------------------------------- */

/* Adds weight to topo["key=value"] of the node e runs on when pod q matches term t. */
static void topo_term(struct hmap *topo, const struct sched_term *t, const struct sched_pod *q, const cJSON *ns_labels,
		      const struct sched_node *en, int64_t weight)
{
	const char *v = sched_node_label(en, t->topology_key);
	if (!v || !weight || !sched_term_matches(t, q, ns_labels))
		return;
	char *k = xasprintf("%s=%s", t->topology_key, v);
	hmap_put(topo, k, (void *)((intptr_t)hmap_get(topo, k) + weight));
	free(k);
}

static void topo_existing(struct sched_cycle *cy, struct hmap *topo, const struct sched_pod *e, const struct sched_node *en)
{
	const struct sched_pod *p = cy->pod;
	const cJSON *ens = sched_cluster_ns_labels(cy->c, e->ns);
	for (size_t i = 0; i < p->npaff; i++)
		topo_term(topo, &p->paff[i], e, ens, en, p->paff[i].weight);
	for (size_t i = 0; i < p->npanti; i++)
		topo_term(topo, &p->panti[i], e, ens, en, -p->panti[i].weight);
	for (size_t i = 0; i < e->naff; i++)
		topo_term(topo, &e->aff[i], p, cy->pod_ns_labels, en, 1); /* hardPodAffinityWeight */
	for (size_t i = 0; i < e->npaff; i++)
		topo_term(topo, &e->paff[i], p, cy->pod_ns_labels, en, e->paff[i].weight);
	for (size_t i = 0; i < e->npanti; i++)
		topo_term(topo, &e->panti[i], p, cy->pod_ns_labels, en, -e->panti[i].weight);
}

static void score_interpod(struct sched_cycle *cy, struct sched_node **nodes, size_t n, int64_t *out)
{
	const struct sched_pod *p = cy->pod;
	struct hmap topo = HMAP_INIT;
	int own = p->npaff || p->npanti;
	memset(out, 0, n * sizeof(*out));
	for (size_t k = 0; k < cy->c->n; k++) {
		const struct sched_node *en = cy->c->nodes[k];
		if (!own && !en->naffinity)
			continue;
		for (size_t j = 0; j < en->npods; j++)
			topo_existing(cy, &topo, en->pods[j], en);
	}
	if (!topo.n)
		return;
	int64_t min = INT64_MAX, max = INT64_MIN;
	for (size_t k = 0; k < n; k++) {
		const cJSON *l;
		cJSON_ArrayForEach(l, nodes[k]->labels)
		{
			if (!cJSON_IsString(l))
				continue;
			char *key = xasprintf("%s=%s", l->string, l->valuestring);
			out[k] += (intptr_t)hmap_get(&topo, key);
			free(key);
		}
		min = MIN(min, out[k]);
		max = MAX(max, out[k]);
	}
	for (size_t k = 0; k < n; k++)
		out[k] = max > min ? (int64_t)((double)SCHED_MAX_SCORE * (double)(out[k] - min) / (double)(max - min)) : 0;
	hmap_release(&topo);
}

/* ---- the total ------------------------------------------------------------------------- */

void sched_score_nodes(struct sched_cycle *cy, struct sched_node **nodes, size_t n, int64_t *total)
{
	const struct sched_pod *p = cy->pod;
	int64_t *s = xcalloc(n, sizeof(int64_t));
	int best_effort = p->req.cpu == 0 && p->req.mem == 0;
	memset(total, 0, n * sizeof(*total));
	for (size_t k = 0; k < n; k++) {
		total[k] += W_FIT * sched_score_least_allocated(p, nodes[k]);
		if (!best_effort)
			total[k] += W_BALANCED * sched_score_balanced(p, nodes[k]);
		s[k] = sched_score_taints(p, nodes[k]);
	}
	sched_normalize(s, n, 1);
	for (size_t k = 0; k < n; k++)
		total[k] += W_TAINT * s[k];
	if (jget(p->node_affinity, "preferredDuringSchedulingIgnoredDuringExecution")) {
		for (size_t k = 0; k < n; k++)
			s[k] = sched_score_node_affinity(p, nodes[k]);
		sched_normalize(s, n, 0);
		for (size_t k = 0; k < n; k++)
			total[k] += W_NODE_AFFINITY * s[k];
	}
	score_spread(cy, nodes, n, s);
	for (size_t k = 0; k < n; k++)
		total[k] += W_SPREAD * s[k];
	score_interpod(cy, nodes, n, s);
	for (size_t k = 0; k < n; k++)
		total[k] += W_INTERPOD * s[k];
	free(s);
}
