/*
 * hmap.h - a string-keyed hash map (chaining, power-of-two buckets, grows at load 1).
 *
 * Keys are copied; values are the caller's (the map never frees them). Not thread-safe.
 */
#ifndef KUBE_HMAP_H
#define KUBE_HMAP_H

#include <stddef.h>

struct hmap_entry {
	struct hmap_entry *next;
	size_t hash;
	void *value;
	char key[];
};

struct hmap {
	struct hmap_entry **buckets;
	size_t nbuckets;
	size_t n;
};

#define HMAP_INIT { NULL, 0, 0 }

/* The value of key, or NULL. */
void *hmap_get(const struct hmap *m, const char *key);
/* Sets key to value; returns the previous value (NULL if the key was new). */
void *hmap_put(struct hmap *m, const char *key, void *value);
/* Removes key; returns its value (NULL if absent). */
void *hmap_del(struct hmap *m, const char *key);
/* Calls fn for every entry (in no particular order) until it returns nonzero. fn must not
 * change the map. */
int hmap_each(const struct hmap *m, int (*fn)(const char *key, void *value, void *data), void *data);
/* Frees the entries (not the values) and leaves m empty. */
void hmap_release(struct hmap *m);

#endif
