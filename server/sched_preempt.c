/*
 * sched_preempt.c - preemption (upstream's DefaultPreemption PostFilter): a pod that fits
 * nowhere may have lower-priority pods deleted to make room, and is nominated to that node.
 *
 * DESIGN
 * Only nodes whose filters failed in a way preemption can fix (SCHED_UNSCHEDULABLE: resources,
 * host ports, anti-affinity, spreading) are candidates. On each, up to upstream's number of
 * candidates (10% of the nodes, at least 100) from a random offset, the dry run works on the live
 * node accounting: it takes every lower-priority pod off the node (and out of the cycle's
 * pre-filter counts), checks that the pod then fits, and puts back the most important ones
 * (highest priority, then earliest start) one by one while it still fits; the rest are the
 * victims. Everything is put back before the next node, so the cluster is unchanged afterwards.
 * The node picked has the lowest highest-victim priority, then the lowest sum of priorities, the
 * fewest victims, the latest start. Victims get a DisruptionTarget condition, are deleted with
 * their grace period and get a Preempted event; lower-priority pods nominated to that node lose
 * their nomination. PodDisruptionBudgets are not consulted.
 */
#include "server/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_VICTIMS "No preemption victims found for incoming pod"
#define NOT_HELPFUL "Preemption is not helpful for scheduling"
#define MIN_CANDIDATES 100
#define MIN_CANDIDATE_PERCENT 10

struct candidate {
	struct sched_node *node;
	struct sched_pod **victims; /* references, most important first */
	size_t n;
};

static void candidate_release(struct candidate *c)
{
	for (size_t i = 0; i < c->n; i++)
		sched_pod_unref(c->victims[i]);
	free(c->victims);
	memset(c, 0, sizeof(*c));
}

/* upstream's MoreImportantPod, for qsort: higher priority first, then the earlier start. */
static int cmp_importance(const void *a, const void *b)
{
	const struct sched_pod *x = *(struct sched_pod *const *)a, *y = *(struct sched_pod *const *)b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void take_off(struct sched_cycle *cy, struct sched_node *n, struct sched_pod *q)
{
	sched_node_remove_pod(n, q);
	sched_cycle_update(cy, q, n, -1);
}

static void put_back(struct sched_cycle *cy, struct sched_node *n, struct sched_pod *q)
{
	sched_node_add_pod(n, q);
	sched_cycle_update(cy, q, n, 1);
}

/* Reprieves the most important of the lower pods (all taken off n) while the pod still fits;
 * the others become c's victims. Leaves every lower pod back on n. */
static void reprieve(struct sched_cycle *cy, struct sched_node *n, struct sched_pod **lower, size_t nl, struct candidate *c)
{
	qsort(lower, nl, sizeof(*lower), cmp_importance);
	c->node = n;
	c->victims = xcalloc(nl, sizeof(*c->victims));
	for (size_t i = 0; i < nl; i++) {
		struct sched_status st = { 0 };
		put_back(cy, n, lower[i]);
		if (!sched_filter_all(cy, n, &st)) {
			take_off(cy, n, lower[i]);
			c->victims[c->n++] = sched_pod_ref(lower[i]);
		}
		sched_status_release(&st);
	}
	for (size_t i = 0; i < c->n; i++)
		put_back(cy, n, c->victims[i]);
}

/* upstream's SelectVictimsOnNode. Returns 1 with a candidate, or 0 with the reason in st. */
static int select_victims(struct sched_cycle *cy, struct sched_node *n, struct sched_status *st, struct candidate *c)
{
	struct sched_pod **lower = xcalloc(n->npods + 1, sizeof(*lower));
	size_t nl = 0;
	for (size_t i = 0; i < n->npods; i++)
		if (n->pods[i]->priority < cy->pod->priority)
			lower[nl++] = sched_pod_ref(n->pods[i]);
	int ok = 0;
	if (!nl) {
		sched_status_fail(st, SCHED_UNRESOLVABLE, SP_FIT, NO_VICTIMS);
		goto out;
	}
	for (size_t i = 0; i < nl; i++)
		take_off(cy, n, lower[i]);
	ok = sched_filter_all(cy, n, st);
	if (ok) {
		reprieve(cy, n, lower, nl, c); /* puts every lower pod back */
	} else {
		for (size_t i = 0; i < nl; i++)
			put_back(cy, n, lower[i]);
	}
out:
	for (size_t i = 0; i < nl; i++)
		sched_pod_unref(lower[i]);
	free(lower);
	return ok && c->n > 0;
}

/* The ordering of pickOneNodeForPreemption, as a "better than" test. */
static int better(const struct candidate *a, const struct candidate *b)
{
	int64_t sa = 0, sb = 0, ea = INT64_MAX, eb = INT64_MAX;
	if (a->victims[0]->priority != b->victims[0]->priority)
		return a->victims[0]->priority < b->victims[0]->priority;
	for (size_t i = 0; i < a->n; i++)
		sa += (int64_t)a->victims[i]->priority + INT32_MAX + 1;
	for (size_t i = 0; i < b->n; i++)
		sb += (int64_t)b->victims[i]->priority + INT32_MAX + 1;
	if (sa != sb)
		return sa < sb;
	if (a->n != b->n)
		return a->n < b->n;
	/* The latest start among each node's highest-priority victims wins. */
	for (size_t i = 0; i < a->n && a->victims[i]->priority == a->victims[0]->priority; i++)
		ea = MIN(ea, a->victims[i]->start);
	for (size_t i = 0; i < b->n && b->victims[i]->priority == b->victims[0]->priority; i++)
		eb = MIN(eb, b->victims[i]->start);
	return ea > eb;
}

/* upstream's PodEligibleToPreemptOthers: NULL, or why not (static text). */
static const char *not_eligible(struct sched *s, const struct sched_cycle *cy, const enum sched_code *codes)
{
	const struct sched_pod *p = cy->pod;
	if (p->preempt_never)
		return "not eligible due to preemptionPolicy=Never.";
	struct sched_node *n = *p->nominated ? sched_cluster_find(&s->c, p->nominated) : NULL;
	if (!n || (n->exists && codes[n->index] == SCHED_UNRESOLVABLE))
		return NULL;
	for (size_t i = 0; i < n->npods; i++)
		if (n->pods[i]->priority < p->priority && n->pods[i]->terminating && n->pods[i]->preempted)
			return "not eligible due to a terminating pod on the nominated node.";
	return NULL;
}

/* Deletes c's victims and clears the nominations of lower-priority pods on c's node. */
static void prepare(struct sched *s, const struct sched_pod *p, const struct candidate *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct sched_pod *v = c->victims[i];
		sched_patch_status(s, v, "DisruptionTarget", "True", "PreemptionByScheduler",
				   SCHED_NAME ": preempting to accommodate a higher priority pod", NULL);
		ctrl_delete(s->m, s->pod_kind, v->ns, v->name, v->uid, NULL, NULL, NULL);
		sched_event(s, v, "Normal", "Preempted", "Preempted by pod %s on node %s", p->uid, c->node->name);
	}
	const struct sched_podlist *l = hmap_get(&s->c.nominated, c->node->name);
	size_t n = 0;
	struct sched_pod **lower = xcalloc(l ? l->n + 1 : 1, sizeof(*lower));
	for (size_t i = 0; l && i < l->n; i++)
		if (l->v[i]->priority < p->priority)
			lower[n++] = sched_pod_ref(l->v[i]);
	for (size_t i = 0; i < n; i++) {
		sched_patch_status(s, lower[i], NULL, NULL, NULL, NULL, "");
		sched_nominate(s, lower[i], NULL);
		sched_pod_unref(lower[i]);
	}
	free(lower);
}

/* The dry run over the potential nodes: the best candidate into best (n == 0: none), the
 * verdicts of the nodes without one into hist. */
static void dry_run(struct sched *s, struct sched_cycle *cy, const enum sched_code *codes, struct candidate *best,
		    struct hmap *hist)
{
	size_t total = s->c.n, want = MAX(total * MIN_CANDIDATE_PERCENT / 100, (size_t)MIN_CANDIDATES), found = 0;
	size_t offset = total ? (size_t)random() % total : 0;
	for (size_t i = 0; i < total && found < want; i++) {
		struct sched_node *n = s->c.nodes[(offset + i) % total];
		struct sched_status st = { 0 };
		struct candidate c = { 0 };
		if (codes[n->index] != SCHED_UNSCHEDULABLE) {
			sched_status_fail(&st, SCHED_UNRESOLVABLE, 0, NOT_HELPFUL);
			sched_histogram_add(hist, &st, 1);
		} else if (select_victims(cy, n, &st, &c)) {
			found++;
			if (!best->n || better(&c, best)) {
				candidate_release(best);
				*best = c;
				c = (struct candidate){ 0 };
			}
		} else {
			sched_histogram_add(hist, &st, 1);
		}
		candidate_release(&c);
		sched_status_release(&st);
	}
}

char *sched_preempt(struct sched *s, struct sched_cycle *cy, const enum sched_code *codes, char **nominate)
{
	const struct sched_pod *p = cy->pod;
	const char *why = not_eligible(s, cy, codes);
	struct hmap hist = HMAP_INIT;
	struct candidate best = { 0 };
	char *msg = NULL;
	*nominate = NULL;
	if (why)
		return xasprintf("preemption: %s", why);
	dry_run(s, cy, codes, &best, &hist);
	if (best.n) {
		log_info("scheduler: preempting %zu pod(s) on node %s for %s/%s", best.n, best.node->name, p->ns, p->name);
		prepare(s, p, &best);
		*nominate = xstrdup(best.node->name);
	} else {
		char *fit = sched_fit_message(s->c.n, &hist, NULL);
		msg = xasprintf("preemption: %s", fit);
		free(fit);
		*nominate = xstrdup("");
	}
	candidate_release(&best);
	hmap_release(&hist);
	return msg;
}
