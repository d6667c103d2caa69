/*
 * sched_queue.c - the scheduling queue: upstream's PriorityQueue with its three parts.
 *
 * DESIGN
 * Every pod waiting for a node has one struct sched_qpod, found by "namespace/name", and sits in
 * one place: the active heap (highest priority first, then the one queued earliest), the
 * back-off heap (earliest end of back-off first), the unschedulable set (waiting for a change of
 * the cluster that may help, i.e. one touching a plugin that rejected it), in flight (being
 * scheduled or bound), or gated (spec.schedulingGates). A pod that failed waits at least its
 * back-off (1 s doubling with each attempt, at most 10 s) before it is tried again, whatever moves
 * it; the unschedulable ones also go back after 5 minutes without an event (the caller's flush).
 * Heaps are arrays with the position of each entry kept in it, so a pod can leave from anywhere.
 */
#include "server/sched.h"

#include <stdlib.h>
#include <string.h>

#define BACKOFF_INITIAL_MS 1000
#define BACKOFF_MAX_MS 10000

uint64_t sched_backoff_ms(int attempts)
{
	uint64_t d = BACKOFF_INITIAL_MS;
	for (int i = 1; i < attempts && d < BACKOFF_MAX_MS; i++)
		d *= 2;
	return MIN(d, BACKOFF_MAX_MS);
}

/* ---- heaps ----------------------------------------------------------------------------- */

typedef int before_fn(const struct sched_qpod *a, const struct sched_qpod *b);

static int active_before(const struct sched_qpod *a, const struct sched_qpod *b)
{
	if (a->pod->priority != b->pod->priority)
		return a->pod->priority > b->pod->priority;
	return a->added_ms < b->added_ms;
}

static int backoff_before(const struct sched_qpod *a, const struct sched_qpod *b)
{
	return a->backoff_until < b->backoff_until;
}

static void heap_swap(struct sched_qpod **h, size_t i, size_t j)
{
	struct sched_qpod *t = h[i];
	h[i] = h[j];
	h[j] = t;
	h[i]->heap = i;
	h[j]->heap = j;
}

static void heap_fix(struct sched_qpod **h, size_t n, size_t i, before_fn *before)
{
	while (i > 0 && before(h[i], h[(i - 1) / 2])) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && before(h[l], h[m]))
			m = l;
		if (r < n && before(h[r], h[m]))
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_push(struct sched_qpod ***h, size_t *n, size_t *cap, struct sched_qpod *qp, before_fn *before)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*h = xrealloc(*h, *cap * sizeof(**h));
	}
	qp->heap = *n;
	(*h)[(*n)++] = qp;
	heap_fix(*h, *n, qp->heap, before);
}

static void heap_remove(struct sched_qpod **h, size_t *n, struct sched_qpod *qp, before_fn *before)
{
	size_t i = qp->heap;
	if (i >= *n || h[i] != qp)
		return;
	(*n)--;
	if (i != *n) {
		h[i] = h[*n];
		h[i]->heap = i;
		heap_fix(h, *n, i, before);
	}
}

/* ---- placement ------------------------------------------------------------------------- */

/* Takes qp out of wherever it is. */
static void detach(struct sched_queue *q, struct sched_qpod *qp)
{
	if (qp->where == SQ_ACTIVE)
		heap_remove(q->active, &q->nactive, qp, active_before);
	else if (qp->where == SQ_BACKOFF)
		heap_remove(q->backoff, &q->nbackoff, qp, backoff_before);
	else if (qp->where == SQ_UNSCHEDULABLE)
		hmap_del(&q->unsched, qp->key);
	qp->where = SQ_NONE;
}

static void to_active(struct sched_queue *q, struct sched_qpod *qp)
{
	detach(q, qp);
	qp->where = SQ_ACTIVE;
	heap_push(&q->active, &q->nactive, &q->capactive, qp, active_before);
}

static void to_backoff(struct sched_queue *q, struct sched_qpod *qp)
{
	detach(q, qp);
	qp->where = SQ_BACKOFF;
	heap_push(&q->backoff, &q->nbackoff, &q->capbackoff, qp, backoff_before);
}

/* Active now, or back-off first while its back-off lasts. */
static void requeue(struct sched_queue *q, struct sched_qpod *qp, uint64_t now_ms)
{
	if (qp->backoff_until > now_ms)
		to_backoff(q, qp);
	else
		to_active(q, qp);
}

void sched_queue_init(struct sched_queue *q)
{
	memset(q, 0, sizeof(*q));
}

static void qpod_free(struct sched_qpod *qp)
{
	sched_pod_unref(qp->pod);
	free(qp->key);
	free(qp);
}

static int free_cb(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	qpod_free(value);
	return 0;
}

void sched_queue_release(struct sched_queue *q)
{
	hmap_each(&q->all, free_cb, NULL);
	hmap_release(&q->all);
	hmap_release(&q->unsched);
	free(q->active);
	free(q->backoff);
	memset(q, 0, sizeof(*q));
}

struct sched_qpod *sched_queue_get(struct sched_queue *q, const char *key)
{
	return hmap_get(&q->all, key);
}

void sched_queue_upsert(struct sched_queue *q, const char *key, struct sched_pod *p, uint64_t now_ms)
{
	struct sched_qpod *qp = hmap_get(&q->all, key);
	if (!qp) {
		qp = xcalloc(1, sizeof(*qp));
		qp->key = xstrdup(key);
		qp->pod = sched_pod_ref(p);
		qp->added_ms = now_ms;
		hmap_put(&q->all, key, qp);
		if (p->gated)
			qp->where = SQ_GATED;
		else
			to_active(q, qp);
		return;
	}
	int changed = qp->pod->spec_hash != p->spec_hash;
	struct sched_pod *old = qp->pod;
	qp->pod = sched_pod_ref(p);
	if (qp->where == SQ_ACTIVE) /* its priority may have changed */
		heap_fix(q->active, q->nactive, qp->heap, active_before);
	if (qp->where == SQ_GATED && !p->gated)
		to_active(q, qp);
	else if (qp->where == SQ_UNSCHEDULABLE && changed)
		requeue(q, qp, now_ms);
	sched_pod_unref(old);
}

void sched_queue_delete(struct sched_queue *q, const char *key)
{
	struct sched_qpod *qp = hmap_del(&q->all, key);
	if (!qp)
		return;
	detach(q, qp);
	qpod_free(qp);
}

struct sched_qpod *sched_queue_pop(struct sched_queue *q)
{
	if (!q->nactive)
		return NULL;
	struct sched_qpod *qp = q->active[0];
	detach(q, qp);
	qp->where = SQ_INFLIGHT;
	qp->attempts++;
	return qp;
}

void sched_queue_unschedulable(struct sched_queue *q, struct sched_qpod *qp, unsigned rejected, uint64_t now_ms)
{
	detach(q, qp);
	qp->where = SQ_UNSCHEDULABLE;
	hmap_put(&q->unsched, qp->key, qp);
	qp->rejected = rejected;
	qp->unsched_since = now_ms;
	qp->backoff_until = now_ms + sched_backoff_ms(qp->attempts);
}

void sched_queue_backoff(struct sched_queue *q, struct sched_qpod *qp, uint64_t now_ms)
{
	qp->backoff_until = now_ms + sched_backoff_ms(qp->attempts);
	to_backoff(q, qp);
}

struct move {
	struct sched_queue *q;
	unsigned plugins;
	uint64_t now, max_age;
	struct sched_qpod **v;
	size_t n;
};

static int collect_cb(const char *key, void *value, void *data)
{
	struct move *m = data;
	struct sched_qpod *qp = value;
	UNUSED(key);
	if ((qp->rejected & m->plugins) || !qp->rejected ||
	    (m->max_age && m->now - qp->unsched_since >= m->max_age))
		m->v[m->n++] = qp;
	return 0;
}

size_t sched_queue_move(struct sched_queue *q, unsigned plugins, uint64_t now_ms, uint64_t max_age_ms)
{
	struct move m = { q, plugins, now_ms, max_age_ms, NULL, 0 };
	if (!q->unsched.n)
		return 0;
	m.v = xcalloc(q->unsched.n, sizeof(*m.v));
	hmap_each(&q->unsched, collect_cb, &m);
	for (size_t i = 0; i < m.n; i++)
		requeue(q, m.v[i], now_ms);
	free(m.v);
	return m.n;
}

uint64_t sched_queue_flush_backoff(struct sched_queue *q, uint64_t now_ms)
{
	while (q->nbackoff && q->backoff[0]->backoff_until <= now_ms)
		to_active(q, q->backoff[0]);
	return q->nbackoff ? q->backoff[0]->backoff_until : 0;
}
