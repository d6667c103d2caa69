/*
 * map.c - the ordered map of current keys: a skip list keyed by kv->key (strcmp order, which is
 * also SQLite's BINARY order for keys without NUL bytes).
 *
 * DESIGN
 * A skip list with branching 1/4: on average 1.33 next pointers per node, O(log n) lookup,
 * insert and delete, and an ordered walk from any lower bound by following next[0]. A node
 * holds a pointer to the current kv, so an update swaps the pointer and allocates nothing.
 * Node heights come from a xorshift generator seeded per map: deterministic, no global state.
 */
#include "sqlite/internal.h"
#include "lib/util.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static struct store__node *map__node_new(struct store_kv *kv, int height)
{
	struct store__node *n = xcalloc(1, sizeof(*n) + (size_t)height * sizeof(n->next[0]));
	n->kv = kv;
	n->height = height;
	return n;
}

static int map__random_height(struct store__map *m)
{
	uint64_t x = m->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	m->rng = x;
	int h = 1;
	while (h < STORE__MAP_MAX_HEIGHT && (x & 3) == 0) {
		h++;
		x >>= 2;
	}
	return h;
}

void store__map_init(struct store__map *m)
{
	m->head = map__node_new(NULL, STORE__MAP_MAX_HEIGHT);
	m->height = 1;
	m->count = 0;
	m->rng = 0x9e3779b97f4a7c15ull;
}

void store__map_release(struct store__map *m, void (*fn)(struct store_kv *kv, void *data),
			void *data)
{
	if (!m->head)
		return;
	struct store__node *n = m->head->next[0];
	while (n) {
		struct store__node *next = n->next[0];
		if (fn)
			fn(n->kv, data);
		free(n);
		n = next;
	}
	free(m->head);
	m->head = NULL;
	m->count = 0;
}

/* Returns the first node with a key >= key; fills update[i] (if not NULL) with the last node
 * before it on level i. */
static struct store__node *map__find(const struct store__map *m, const char *key,
				     struct store__node **update)
{
	struct store__node *x = m->head;
	for (int i = m->height - 1; i >= 0; i--) {
		while (x->next[i] && strcmp(x->next[i]->kv->key, key) < 0)
			x = x->next[i];
		if (update)
			update[i] = x;
	}
	return x->next[0];
}

struct store_kv *store__map_get(const struct store__map *m, const char *key)
{
	struct store__node *n = map__find(m, key, NULL);
	return n && strcmp(n->kv->key, key) == 0 ? n->kv : NULL;
}

struct store_kv *store__map_put(struct store__map *m, struct store_kv *kv)
{
	struct store__node *update[STORE__MAP_MAX_HEIGHT];
	struct store__node *n = map__find(m, kv->key, update);
	if (n && strcmp(n->kv->key, kv->key) == 0) {
		struct store_kv *old = n->kv;
		n->kv = kv;
		return old;
	}
	int h = map__random_height(m);
	for (int i = m->height; i < h; i++)
		update[i] = m->head;
	if (h > m->height)
		m->height = h;
	n = map__node_new(kv, h);
	for (int i = 0; i < h; i++) {
		n->next[i] = update[i]->next[i];
		update[i]->next[i] = n;
	}
	m->count++;
	return NULL;
}

struct store_kv *store__map_del(struct store__map *m, const char *key)
{
	struct store__node *update[STORE__MAP_MAX_HEIGHT];
	struct store__node *n = map__find(m, key, update);
	if (!n || strcmp(n->kv->key, key) != 0)
		return NULL;
	for (int i = 0; i < n->height; i++) {
		assert(update[i]->next[i] == n);
		update[i]->next[i] = n->next[i];
	}
	while (m->height > 1 && !m->head->next[m->height - 1])
		m->height--;
	struct store_kv *kv = n->kv;
	free(n);
	m->count--;
	return kv;
}

struct store__node *store__map_seek(const struct store__map *m, const char *key, int strict)
{
	struct store__node *n = map__find(m, key, NULL);
	if (strict && n && strcmp(n->kv->key, key) == 0)
		n = n->next[0];
	return n;
}
