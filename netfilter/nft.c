/*
 * nft.c - the ruleset model of nft.h: sets, maps, chains and rule texts, and their printing as
 * an `nft -f` file.
 *
 * DESIGN
 * The model holds text only (rules and elements in nft syntax); hash maps find sets and chains
 * by name, and a chain caches the join of its rules so that two models compare chain by chain
 * with one strcmp. Printing sorts names so that the output is stable for tests.
 */
#include "netfilter/nft.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

struct nf_ruleset *nf_ruleset_new(const char *table)
{
	struct nf_ruleset *rs = xcalloc(1, sizeof(*rs));
	rs->table = xstrdup(table);
	return rs;
}

static int free_elem(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	free(value);
	return 0;
}

static int free_set(const char *key, void *value, void *data)
{
	struct nf_set *s = value;
	UNUSED(key);
	UNUSED(data);
	hmap_each(&s->elems, free_elem, NULL);
	hmap_release(&s->elems);
	free(s->name);
	free(s->type);
	free(s);
	return 0;
}

static int free_chain(const char *key, void *value, void *data)
{
	struct nf_chain *c = value;
	UNUSED(key);
	UNUSED(data);
	for (size_t i = 0; i < c->nrules; i++)
		free(c->rules[i]);
	free(c->rules);
	free(c->name);
	free(c->type);
	free(c->hook);
	free(c->text);
	free(c);
	return 0;
}

void nf_ruleset_free(struct nf_ruleset *rs)
{
	if (!rs)
		return;
	hmap_each(&rs->sets, free_set, NULL);
	hmap_release(&rs->sets);
	hmap_each(&rs->chains, free_chain, NULL);
	hmap_release(&rs->chains);
	free(rs->order);
	free(rs->table);
	free(rs);
}

struct nf_set *nf_set_add(struct nf_ruleset *rs, const char *name, const char *type, int vmap, unsigned timeout_s)
{
	struct nf_set *s = hmap_get(&rs->sets, name);
	if (s)
		return s;
	s = xcalloc(1, sizeof(*s));
	s->name = xstrdup(name);
	s->type = xstrdup(type);
	s->vmap = vmap;
	s->timeout_s = timeout_s;
	hmap_put(&rs->sets, name, s);
	return s;
}

struct nf_set *nf_set_get(const struct nf_ruleset *rs, const char *name)
{
	return hmap_get(&rs->sets, name);
}

void nf_elem_add(struct nf_set *s, const char *key, const char *value)
{
	free(hmap_put(&s->elems, key, xstrdup(value ? value : "")));
}

struct nf_chain *nf_chain_add(struct nf_ruleset *rs, const char *name, const char *type, const char *hook, int prio)
{
	struct nf_chain *c = hmap_get(&rs->chains, name);
	if (c)
		return c;
	c = xcalloc(1, sizeof(*c));
	c->name = xstrdup(name);
	c->type = type ? xstrdup(type) : NULL;
	c->hook = hook ? xstrdup(hook) : NULL;
	c->prio = prio;
	hmap_put(&rs->chains, name, c);
	if (rs->norder == rs->caporder) {
		rs->caporder = rs->caporder ? rs->caporder * 2 : 16;
		rs->order = xrealloc(rs->order, rs->caporder * sizeof(*rs->order));
	}
	rs->order[rs->norder++] = c->name;
	return c;
}

struct nf_chain *nf_chain_get(const struct nf_ruleset *rs, const char *name)
{
	return hmap_get(&rs->chains, name);
}

void nf_rule_add(struct nf_chain *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *r = xvasprintf(fmt, ap);
	va_end(ap);
	if (c->nrules == c->caprules) {
		c->caprules = c->caprules ? c->caprules * 2 : 4;
		c->rules = xrealloc(c->rules, c->caprules * sizeof(*c->rules));
	}
	c->rules[c->nrules++] = r;
	free(c->text);
	c->text = NULL;
}

const char *nf_chain_text(struct nf_chain *c)
{
	if (c->text)
		return c->text;
	struct buf b = BUF_INIT;
	if (c->hook)
		buf_addf(&b, "type %s hook %s priority %d\n", c->type, c->hook, c->prio);
	for (size_t i = 0; i < c->nrules; i++) {
		buf_adds(&b, c->rules[i]);
		buf_addch(&b, '\n');
	}
	c->text = buf_detach(&b, NULL);
	return c->text;
}

/* ---- printing --------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct keys {
	const char **v;
	size_t n;
};

static int collect_key(const char *key, void *value, void *data)
{
	struct keys *k = data;
	UNUSED(value);
	k->v[k->n++] = key;
	return 0;
}

/* The keys of m, sorted (caller frees the array). */
static const char **sorted_keys(const struct hmap *m)
{
	struct keys k = { xcalloc(m->n + 1, sizeof(char *)), 0 };
	hmap_each(m, collect_key, &k);
	qsort(k.v, k.n, sizeof(char *), cmp_str);
	return k.v;
}

static void print_set(const struct nf_set *s, struct buf *out)
{
	buf_addf(out, "\t%s %s { type %s%s ; ", s->vmap ? "map" : "set", s->name, s->type, s->vmap ? " : verdict" : "");
	if (s->timeout_s)
		buf_addf(out, "flags dynamic,timeout ; timeout %us ; ", s->timeout_s);
	buf_adds(out, "}\n");
}

static void print_chain(const struct nf_chain *c, struct buf *out)
{
	buf_addf(out, "\tchain %s {\n", c->name);
	if (c->hook)
		buf_addf(out, "\t\ttype %s hook %s priority %d ;\n", c->type, c->hook, c->prio);
	for (size_t i = 0; i < c->nrules; i++)
		buf_addf(out, "\t\t%s\n", c->rules[i]);
	buf_adds(out, "\t}\n");
}

static void print_elems(const struct nf_ruleset *rs, const struct nf_set *s, struct buf *out)
{
	const char **keys = sorted_keys(&s->elems);
	for (size_t i = 0; keys[i]; i++) {
		const char *v = hmap_get(&s->elems, keys[i]);
		buf_addf(out, "add element ip %s %s { %s%s%s }\n", rs->table, s->name, keys[i], *v ? " : " : "", v);
	}
	free(keys);
}

void nf_ruleset_print(const struct nf_ruleset *rs, struct buf *out)
{
	buf_addf(out, "add table ip %s\ndelete table ip %s\ntable ip %s {\n", rs->table, rs->table, rs->table);
	const char **sets = sorted_keys(&rs->sets), **chains = sorted_keys(&rs->chains);
	for (size_t i = 0; sets[i]; i++)
		print_set(hmap_get(&rs->sets, sets[i]), out);
	for (size_t i = 0; chains[i]; i++)
		print_chain(hmap_get(&rs->chains, chains[i]), out);
	buf_adds(out, "}\n");
	for (size_t i = 0; sets[i]; i++)
		print_elems(rs, hmap_get(&rs->sets, sets[i]), out);
	free(sets);
	free(chains);
}

struct counts {
	size_t rules, elems;
};

static int count_chain(const char *key, void *value, void *data)
{
	UNUSED(key);
	((struct counts *)data)->rules += ((struct nf_chain *)value)->nrules;
	return 0;
}

static int count_set(const char *key, void *value, void *data)
{
	UNUSED(key);
	((struct counts *)data)->elems += ((struct nf_set *)value)->elems.n;
	return 0;
}

void nf_ruleset_stats(const struct nf_ruleset *rs, size_t *chains, size_t *rules, size_t *elems)
{
	struct counts c = { 0, 0 };
	hmap_each(&rs->chains, count_chain, &c);
	hmap_each(&rs->sets, count_set, &c);
	*chains = rs->chains.n;
	*rules = c.rules;
	*elems = c.elems;
}
