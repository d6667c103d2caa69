/*
 * nft.h - a small nftables ruleset model and its programming through libnftnl + libmnl.
 *
 * DESIGN
 * A struct nf_ruleset is one table of family ip: named sets and verdict maps with their
 * elements, and chains (base chains with a hook, or regular ones) holding rules. Rules and
 * elements are written in a small subset of nft's own syntax ("ip daddr 10.43.0.1 meta l4proto
 * tcp th dport 80 goto svc"), so that a model prints as a file `nft -f` accepts (benchmarks,
 * debugging) and two models compare by text (incremental syncs, unit tests). The text is
 * compiled into libnftnl expressions only when a batch is built (nf_compile_rule); the subset is
 * listed in nft.c. Everything a caller puts into a rule must already be validated (addresses,
 * ports, names): a rule that does not compile fails the batch with a message.
 *
 * Programming is one nfnetlink batch, one transaction: nf_apply_full replaces the whole table
 * (add table, delete table, then everything: a leftover table of the same name is replaced),
 * nf_apply_diff changes a table from the model last applied to a new one (new chains and sets,
 * flushed and refilled changed chains, element deletions and additions, removed chains last).
 * Both block for the time the kernel needs (they are meant for a worker thread when big) and
 * touch no shared state: the models are only read.
 */
#ifndef KUBE_NFT_H
#define KUBE_NFT_H

#include <stddef.h>

#include "lib/buf.h"
#include "lib/hmap.h"

/* A named set or verdict map. Keys are "." separated types: ipv4_addr, inet_proto,
 * inet_service. Elements map key text ("10.43.0.1 . tcp . 80") to a verdict ("goto CHAIN") for
 * a map, or to "" for a set. */
struct nf_set {
	char *name;
	char *type;               /* "ipv4_addr . inet_proto . inet_service" */
	int vmap;                 /* a verdict map */
	unsigned timeout_s;       /* > 0: a dynamic set with this timeout (flags dynamic,timeout) */
	struct hmap elems;        /* key text -> malloc'd value text */
};

/* A chain: a base chain when hook is set. */
struct nf_chain {
	char *name;
	char *type;               /* "nat" or "filter" (base chains) */
	char *hook;               /* "prerouting", "input", "forward", "output", "postrouting" or NULL */
	int prio;
	char **rules;             /* rule texts, in order (owned) */
	size_t nrules, caprules;
	char *text;               /* cached join of the rules (nf_chain_text) */
};

/* A table of family ip. Owned by its creator; nf_ruleset_free frees everything. */
struct nf_ruleset {
	char *table;
	struct hmap sets;         /* name -> struct nf_set */
	struct hmap chains;       /* name -> struct nf_chain */
	char **order;             /* chain names in creation order (for printing) */
	size_t norder, caporder;
};

struct nf_ruleset *nf_ruleset_new(const char *table);
void nf_ruleset_free(struct nf_ruleset *rs);

/* Adds a set (type as in struct nf_set). Returns the set (owned by rs); an existing one of the
 * same name is returned unchanged. */
struct nf_set *nf_set_add(struct nf_ruleset *rs, const char *name, const char *type, int vmap, unsigned timeout_s);
struct nf_set *nf_set_get(const struct nf_ruleset *rs, const char *name);
/* Adds or replaces an element; value is the verdict of a map ("goto X") or "" for a set. */
void nf_elem_add(struct nf_set *s, const char *key, const char *value);

/* Adds a chain (type/hook NULL for a regular chain). Returns it; an existing one is returned
 * unchanged. */
struct nf_chain *nf_chain_add(struct nf_ruleset *rs, const char *name, const char *type, const char *hook, int prio);
struct nf_chain *nf_chain_get(const struct nf_ruleset *rs, const char *name);
/* Appends a rule, printf-style. */
void nf_rule_add(struct nf_chain *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The rules of c joined by "\n" (cached until the next nf_rule_add). */
const char *nf_chain_text(struct nf_chain *c);

/* Appends the ruleset as an `nft -f` file that replaces the table atomically (add table,
 * delete table, the table's sets and chains, then the elements). Sets, chains and elements are
 * sorted by name, so the text is stable. */
void nf_ruleset_print(const struct nf_ruleset *rs, struct buf *out);

/* Counts: chains, rules and elements of rs. */
void nf_ruleset_stats(const struct nf_ruleset *rs, size_t *chains, size_t *rules, size_t *elems);

/* Checks that rule compiles (no kernel involved). Returns 0, or -1 with a message in err. */
int nf_check_rule(const char *rule, struct buf *err);

/* Replaces table rs->table (family ip) with rs in one transaction. Returns 0, or a negative
 * errno with a message in err (the kernel state is then unchanged). Blocking. */
int nf_apply_full(const struct nf_ruleset *rs, struct buf *err);
/* Changes the table from old (what was last applied) to rs in one transaction; only what
 * differs is sent. old and rs name the same table. Returns 0 or a negative errno with a message
 * (the kernel state is then unchanged: apply in full to recover). *nmsgs (may be NULL) gets the
 * number of messages sent. Blocking. */
int nf_apply_diff(const struct nf_ruleset *old, const struct nf_ruleset *rs, size_t *nmsgs, struct buf *err);
/* Deletes table name of family ip when it exists. Returns 0 or a negative errno. Blocking. */
int nf_table_delete(const char *name, struct buf *err);
/* Returns 1 when table name of family ip exists, 0 when not, or a negative errno. Blocking. */
int nf_table_exists(const char *name);

#endif
