/*
 * hmap.c - a string-keyed hash map (FNV-1a, chaining).
 */
#include "hmap.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static size_t hash_of(const char *s)
{
	size_t h = (size_t)1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ull;
	return h;
}

static struct hmap_entry **slot(const struct hmap *m, const char *key, size_t h)
{
	struct hmap_entry **p = &m->buckets[h & (m->nbuckets - 1)];
	while (*p && ((*p)->hash != h || strcmp((*p)->key, key)))
		p = &(*p)->next;
	return p;
}

static void grow(struct hmap *m)
{
	size_t n = m->nbuckets ? m->nbuckets * 2 : 16;
	struct hmap_entry **b = xcalloc(n, sizeof(*b));
	for (size_t i = 0; i < m->nbuckets; i++) {
		for (struct hmap_entry *e = m->buckets[i], *next; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = n;
}

void *hmap_get(const struct hmap *m, const char *key)
{
	if (!m->n)
		return NULL;
	struct hmap_entry *e = *slot(m, key, hash_of(key));
	return e ? e->value : NULL;
}

void *hmap_put(struct hmap *m, const char *key, void *value)
{
	size_t h = hash_of(key);
	if (m->n >= m->nbuckets)
		grow(m);
	struct hmap_entry **p = slot(m, key, h);
	if (*p) {
		void *old = (*p)->value;
		(*p)->value = value;
		return old;
	}
	size_t len = strlen(key);
	struct hmap_entry *e = xmalloc(sizeof(*e) + len + 1);
	e->next = NULL;
	e->hash = h;
	e->value = value;
	memcpy(e->key, key, len + 1);
	*p = e;
	m->n++;
	return NULL;
}

void *hmap_del(struct hmap *m, const char *key)
{
	if (!m->n)
		return NULL;
	struct hmap_entry **p = slot(m, key, hash_of(key)), *e = *p;
	if (!e)
		return NULL;
	void *v = e->value;
	*p = e->next;
	free(e);
	m->n--;
	return v;
}

int hmap_each(const struct hmap *m, int (*fn)(const char *key, void *value, void *data), void *data)
{
	for (size_t i = 0; i < m->nbuckets; i++)
		for (struct hmap_entry *e = m->buckets[i]; e; e = e->next) {
			int r = fn(e->key, e->value, data);
			if (r)
				return r;
		}
	return 0;
}

void hmap_release(struct hmap *m)
{
	for (size_t i = 0; i < m->nbuckets; i++)
		for (struct hmap_entry *e = m->buckets[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(m->buckets);
	memset(m, 0, sizeof(*m));
}
