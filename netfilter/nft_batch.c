/*
 * nft_batch.c - programs a ruleset model into the kernel: one nfnetlink batch per call, sent
 * with libmnl, so that every change is one atomic transaction.
 *
 * DESIGN
 * Messages are built back to back in one growing buffer (a batch can hold hundreds of thousands
 * of rules; the socket's send buffer is raised to fit it). Only the last message asks for an
 * acknowledgement: the kernel handles the whole batch inside sendmsg, reports an error for each
 * message that failed (then nothing of the batch is applied) and acknowledges the last one, so
 * reading until that acknowledgement, without waiting, tells the outcome. The text of each
 * message is kept by sequence number so that an error names the rule or element at fault.
 *
 * Order inside a batch: table, new sets, new chains, rules, element deletions and additions,
 * then flushes and deletions of chains and sets that are gone (their references are gone by
 * then).
 */
#include <errno.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "netfilter/internal.h"
#include "netfilter/nft.h"

#define ROOM 65536
#define ELEMS_PER_MSG 64

struct batch {
	struct buf b;
	const char *table;
	uint32_t seq, first_seq;
	size_t last_off;          /* offset of the last command message */
	int nmsgs;
	const char **what;        /* by seq - first_seq: what the message is about (borrowed) */
	size_t capwhat;
	uint32_t set_id;
	int failed;               /* a rule or element did not compile */
};

static void batch_init(struct batch *bt, const char *table)
{
	memset(bt, 0, sizeof(*bt));
	bt->table = table;
	bt->seq = (uint32_t)now_ns() | 1;
	buf_grow(&bt->b, ROOM);
	nftnl_batch_begin(bt->b.data, bt->seq++);
	bt->b.len += NLMSG_ALIGN(((struct nlmsghdr *)bt->b.data)->nlmsg_len);
	bt->first_seq = bt->seq;
}

static void batch_release(struct batch *bt)
{
	buf_release(&bt->b);
	free(bt->what);
}

/* Starts a message (what: borrowed text for error messages). */
static struct nlmsghdr *msg(struct batch *bt, uint16_t type, uint16_t flags, const char *what)
{
	buf_grow(&bt->b, ROOM);
	size_t idx = bt->seq - bt->first_seq;
	if (idx >= bt->capwhat) {
		bt->capwhat = bt->capwhat ? bt->capwhat * 2 : 256;
		bt->what = xrealloc(bt->what, bt->capwhat * sizeof(*bt->what));
	}
	bt->what[idx] = what;
	bt->last_off = bt->b.len;
	bt->nmsgs++;
	return nftnl_nlmsg_build_hdr(bt->b.data + bt->b.len, type, NFPROTO_IPV4, flags, bt->seq++);
}

static void done_msg(struct batch *bt, struct nlmsghdr *nlh)
{
	bt->b.len += NLMSG_ALIGN(nlh->nlmsg_len);
}

static void table_msg(struct batch *bt, uint16_t type, uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, bt->table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, NFPROTO_IPV4);
	struct nlmsghdr *nlh = msg(bt, type, flags, "table");
	nftnl_table_nlmsg_build_payload(nlh, t);
	done_msg(bt, nlh);
	nftnl_table_free(t);
}

static void set_msg(struct batch *bt, const struct nf_set *s, uint16_t type, struct buf *err)
{
	uint32_t id, len;
	if (nf_key_type(s->type, &id, &len) < 0) {
		buf_addf(err, "set %s: unknown type %s; ", s->name, s->type);
		bt->failed = 1;
		return;
	}
	struct nftnl_set *ns = nftnl_set_alloc();
	nftnl_set_set_str(ns, NFTNL_SET_TABLE, bt->table);
	nftnl_set_set_str(ns, NFTNL_SET_NAME, s->name);
	nftnl_set_set_u32(ns, NFTNL_SET_FAMILY, NFPROTO_IPV4);
	if (type == NFT_MSG_NEWSET) {
		nftnl_set_set_u32(ns, NFTNL_SET_KEY_TYPE, id);
		nftnl_set_set_u32(ns, NFTNL_SET_KEY_LEN, len);
		nftnl_set_set_u32(ns, NFTNL_SET_ID, ++bt->set_id);
		uint32_t flags = s->vmap ? NFT_SET_MAP : 0;
		if (s->timeout_s) {
			flags |= NFT_SET_TIMEOUT | NFT_SET_EVAL;
			nftnl_set_set_u64(ns, NFTNL_SET_TIMEOUT, (uint64_t)s->timeout_s * 1000);
		}
		nftnl_set_set_u32(ns, NFTNL_SET_FLAGS, flags);
		if (s->vmap)
			nftnl_set_set_u32(ns, NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
	}
	struct nlmsghdr *nlh = msg(bt, type, type == NFT_MSG_NEWSET ? NLM_F_CREATE : 0, s->name);
	nftnl_set_nlmsg_build_payload(nlh, ns);
	done_msg(bt, nlh);
	nftnl_set_free(ns);
}

static void chain_msg(struct batch *bt, const struct nf_chain *c, uint16_t type)
{
	static const char *const hooks[] = { "prerouting", "input", "forward", "output", "postrouting" };
	struct nftnl_chain *nc = nftnl_chain_alloc();
	nftnl_chain_set_str(nc, NFTNL_CHAIN_TABLE, bt->table);
	nftnl_chain_set_str(nc, NFTNL_CHAIN_NAME, c->name);
	nftnl_chain_set_u32(nc, NFTNL_CHAIN_FAMILY, NFPROTO_IPV4);
	for (uint32_t i = 0; type == NFT_MSG_NEWCHAIN && c->hook && i < ARRAY_SIZE(hooks); i++) {
		if (strcmp(c->hook, hooks[i]) == 0) {
			nftnl_chain_set_u32(nc, NFTNL_CHAIN_HOOKNUM, i);
			nftnl_chain_set_s32(nc, NFTNL_CHAIN_PRIO, c->prio);
			nftnl_chain_set_str(nc, NFTNL_CHAIN_TYPE, c->type);
		}
	}
	struct nlmsghdr *nlh = msg(bt, type, type == NFT_MSG_NEWCHAIN ? NLM_F_CREATE : 0, c->name);
	nftnl_chain_nlmsg_build_payload(nlh, nc);
	done_msg(bt, nlh);
	nftnl_chain_free(nc);
}

/* Makes an anonymous verdict map for a rule being compiled (nf_anon_fn): the set, then its
 * elements, before the rule that binds it. Returns its set id. */
static uint32_t anon_map(void *arg, const struct nf_anon *a)
{
	struct batch *bt = arg;
	uint32_t id = ++bt->set_id;
	struct nftnl_set *ns = nftnl_set_alloc();
	nftnl_set_set_str(ns, NFTNL_SET_TABLE, bt->table);
	nftnl_set_set_str(ns, NFTNL_SET_NAME, "__map%d");
	nftnl_set_set_u32(ns, NFTNL_SET_FAMILY, NFPROTO_IPV4);
	nftnl_set_set_u32(ns, NFTNL_SET_ID, id);
	nftnl_set_set_u32(ns, NFTNL_SET_FLAGS, NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | NFT_SET_MAP);
	nftnl_set_set_u32(ns, NFTNL_SET_KEY_TYPE, 4); /* integer */
	nftnl_set_set_u32(ns, NFTNL_SET_KEY_LEN, 4);
	nftnl_set_set_u32(ns, NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
	struct nlmsghdr *nlh = msg(bt, NFT_MSG_NEWSET, NLM_F_CREATE, "anonymous map");
	nftnl_set_nlmsg_build_payload(nlh, ns);
	done_msg(bt, nlh);
	for (uint32_t i = 0; i < a->n;) {
		for (uint32_t k = 0; k < ELEMS_PER_MSG && i < a->n; k++, i++) {
			struct nftnl_set_elem *e = nftnl_set_elem_alloc();
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &i, sizeof(i));
			nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_VERDICT, a->goto_[i] ? (uint32_t)NFT_GOTO : (uint32_t)NFT_JUMP);
			nftnl_set_elem_set_str(e, NFTNL_SET_ELEM_CHAIN, a->chain[i]);
			nftnl_set_elem_add(ns, e);
		}
		nlh = msg(bt, NFT_MSG_NEWSETELEM, 0, "anonymous map element");
		nftnl_set_elems_nlmsg_build_payload(nlh, ns);
		done_msg(bt, nlh);
		/* the next message carries only the next elements */
		nftnl_set_free(ns);
		ns = nftnl_set_alloc();
		nftnl_set_set_str(ns, NFTNL_SET_TABLE, bt->table);
		nftnl_set_set_str(ns, NFTNL_SET_NAME, "__map%d");
		nftnl_set_set_u32(ns, NFTNL_SET_FAMILY, NFPROTO_IPV4);
		nftnl_set_set_u32(ns, NFTNL_SET_ID, id);
	}
	nftnl_set_free(ns);
	return id;
}

/* Appends the rules of c (flush: remove its rules first). */
static void rules_msgs(struct batch *bt, const struct nf_chain *c, int flush, int add, struct buf *err)
{
	if (flush) {
		struct nftnl_rule *r = nftnl_rule_alloc();
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, bt->table);
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, c->name);
		nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
		struct nlmsghdr *nlh = msg(bt, NFT_MSG_DELRULE, 0, c->name);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		done_msg(bt, nlh);
		nftnl_rule_free(r);
	}
	for (size_t i = 0; add && i < c->nrules; i++) {
		struct nftnl_rule *r = nftnl_rule_alloc();
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, bt->table);
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, c->name);
		nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
		if (nf_compile_rule(r, c->rules[i], anon_map, bt, err) < 0) {
			buf_adds(err, "; ");
			bt->failed = 1;
		} else {
			struct nlmsghdr *nlh = msg(bt, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, c->rules[i]);
			nftnl_rule_nlmsg_build_payload(nlh, r);
			done_msg(bt, nlh);
		}
		nftnl_rule_free(r);
	}
}

/* Element messages for the keys of s listed in keys (n of them): add or delete. */
static void elems_msgs(struct batch *bt, const struct nf_set *s, const char **keys, size_t n, int del,
		       struct buf *err)
{
	for (size_t i = 0; i < n;) {
		struct nftnl_set *ns = nftnl_set_alloc();
		nftnl_set_set_str(ns, NFTNL_SET_TABLE, bt->table);
		nftnl_set_set_str(ns, NFTNL_SET_NAME, s->name);
		nftnl_set_set_u32(ns, NFTNL_SET_FAMILY, NFPROTO_IPV4);
		const char *first = keys[i];
		for (size_t k = 0; k < ELEMS_PER_MSG && i < n; k++, i++) {
			uint8_t key[64];
			int len = nf_compile_key(s->type, keys[i], key, err);
			if (len < 0) {
				buf_adds(err, "; ");
				bt->failed = 1;
				continue;
			}
			struct nftnl_set_elem *e = nftnl_set_elem_alloc();
			nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, (uint32_t)len);
			const char *v = hmap_get(&s->elems, keys[i]);
			if (s->vmap && !del && v) {
				int go = starts_with(v, "goto ");
				if (!go && !starts_with(v, "jump ")) {
					buf_addf(err, "bad verdict \"%s\"; ", v);
					bt->failed = 1;
				}
				nftnl_set_elem_set_u32(e, NFTNL_SET_ELEM_VERDICT, go ? (uint32_t)NFT_GOTO : (uint32_t)NFT_JUMP);
				nftnl_set_elem_set_str(e, NFTNL_SET_ELEM_CHAIN, v + 5);
			}
			nftnl_set_elem_add(ns, e);
		}
		struct nlmsghdr *nlh = msg(bt, del ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM, 0, first);
		nftnl_set_elems_nlmsg_build_payload(nlh, ns);
		done_msg(bt, nlh);
		nftnl_set_free(ns);
	}
}

/* Reads the answers to the batch: returns 0, or the first error with a message in err. */
static int read_acks(struct mnl_socket *nl, struct batch *bt, uint32_t last_seq, struct buf *err)
{
	static __thread char rbuf[1 << 16];
	int first = 0;
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(nl), rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n < 0) {
			int e = errno;
			buf_addf(err, "%s", e == EAGAIN ? "no acknowledgement from the kernel" : strerror(e));
			return first ? first : -(e == EAGAIN ? EPROTO : e);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, (int)n); h = mnl_nlmsg_next(h, (int *)&n)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			uint32_t seq = e->msg.nlmsg_seq;
			if (e->error && !first) {
				first = e->error;
				size_t idx = seq - bt->first_seq;
				buf_addf(err, "%s: %s", strerror(-e->error),
					 idx < (size_t)bt->nmsgs && bt->what[idx] ? bt->what[idx] : "?");
			}
			if (seq == last_seq)
				return first;
		}
	}
}

/* Ends the batch and sends it; returns 0 or a negative errno with a message in err. */
static int batch_send(struct batch *bt, struct buf *err)
{
	if (bt->failed)
		return -EINVAL;
	if (bt->nmsgs == 0)
		return 0;
	((struct nlmsghdr *)(bt->b.data + bt->last_off))->nlmsg_flags |= NLM_F_ACK;
	uint32_t last_seq = bt->seq - 1;
	buf_grow(&bt->b, ROOM);
	struct nlmsghdr *end = nftnl_batch_end(bt->b.data + bt->b.len, bt->seq++);
	bt->b.len += NLMSG_ALIGN(end->nlmsg_len);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl) {
		buf_addf(err, "netlink: %s", strerror(errno));
		return -errno;
	}
	int rc = 0, size = (int)MIN(bt->b.len + 65536, (size_t)1 << 30), rsize = 1 << 22;
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rsize, sizeof(rsize));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		buf_addf(err, "netlink bind: %s", strerror(errno));
	} else if (mnl_socket_sendto(nl, bt->b.data, bt->b.len) < 0) {
		rc = -errno;
		buf_addf(err, "netlink send (%zu bytes): %s", bt->b.len, strerror(errno));
	} else {
	rc = read_acks(nl, bt, last_seq, err);
	}
	mnl_socket_close(nl);
	return rc;
}

struct walk {
	struct batch *bt;
	struct buf *err;
	int pass;
};

static int full_set(const char *key, void *value, void *data)
{
	struct walk *w = data;
	struct nf_set *s = value;
	UNUSED(key);
	if (w->pass == 0) {
		set_msg(w->bt, s, NFT_MSG_NEWSET, w->err);
	} else if (s->elems.n) {
		const char **keys = xcalloc(s->elems.n, sizeof(char *));
		size_t n = 0;
		for (size_t b = 0; b < s->elems.nbuckets; b++)
			for (struct hmap_entry *e = s->elems.buckets[b]; e; e = e->next)
				keys[n++] = e->key;
		elems_msgs(w->bt, s, keys, n, 0, w->err);
		free(keys);
	}
	return 0;
}

static int full_chain(const char *key, void *value, void *data)
{
	struct walk *w = data;
	UNUSED(key);
	if (w->pass == 0)
		chain_msg(w->bt, value, NFT_MSG_NEWCHAIN);
	else
		rules_msgs(w->bt, value, 0, 1, w->err);
	return 0;
}

int nf_apply_full(const struct nf_ruleset *rs, struct buf *err)
{
	struct batch bt;
	batch_init(&bt, rs->table);
	table_msg(&bt, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	table_msg(&bt, NFT_MSG_DELTABLE, 0);
	table_msg(&bt, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	struct walk w = { &bt, err, 0 };
	hmap_each(&rs->sets, full_set, &w);
	hmap_each(&rs->chains, full_chain, &w);
	w.pass = 1;
	hmap_each(&rs->chains, full_chain, &w);
	hmap_each(&rs->sets, full_set, &w);
	int rc = batch_send(&bt, err);
	batch_release(&bt);
	return rc;
}

int nf_table_delete(const char *name, struct buf *err)
{
	struct batch bt;
	batch_init(&bt, name);
	table_msg(&bt, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	table_msg(&bt, NFT_MSG_DELTABLE, 0);
	int rc = batch_send(&bt, err);
	batch_release(&bt);
	return rc;
}

int nf_table_exists(const char *name)
{
	char b[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_table *t = nftnl_table_alloc();
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(b, NFT_MSG_GETTABLE, NFPROTO_IPV4, NLM_F_ACK, 1);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl)
		return -errno;
	int rc = -EPROTO;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0 && mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) >= 0) {
		ssize_t n = mnl_socket_recvfrom(nl, b, sizeof(b));
		const struct nlmsghdr *h = (const struct nlmsghdr *)b;
		if (n > 0 && mnl_nlmsg_ok(h, (int)n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = ((const struct nlmsgerr *)mnl_nlmsg_get_payload(h))->error;
				rc = e == -ENOENT ? 0 : e ? e : 1;
			} else {
				rc = 1;
			}
		}
	}
	mnl_socket_close(nl);
	return rc;
}

/* ---- incremental ------------------------------------------------------------------------ */

/* Whether the sets and base chains of old and rs agree in their parameters (else only a full
 * replace changes them). */
static int compatible(const struct nf_ruleset *old, const struct nf_ruleset *rs)
{
	for (size_t b = 0; b < rs->sets.nbuckets; b++)
		for (struct hmap_entry *e = rs->sets.buckets[b]; e; e = e->next) {
			const struct nf_set *s = e->value, *o = hmap_get(&old->sets, e->key);
			if (o && (strcmp(o->type, s->type) || o->vmap != s->vmap || o->timeout_s != s->timeout_s))
				return 0;
		}
	for (size_t b = 0; b < rs->chains.nbuckets; b++)
		for (struct hmap_entry *e = rs->chains.buckets[b]; e; e = e->next) {
			const struct nf_chain *c = e->value, *o = hmap_get(&old->chains, e->key);
			if (o && ((!o->hook) != (!c->hook) || (c->hook && (strcmp(o->hook, c->hook) || o->prio != c->prio))))
				return 0;
		}
	return 1;
}

/* Element changes of set s (in rs) against o (in old): deletions first, then additions. */
static void diff_elems(struct batch *bt, const struct nf_set *o, const struct nf_set *s, struct buf *err)
{
	size_t cap = (o ? o->elems.n : 0) + s->elems.n + 1, nd = 0, na = 0;
	const char **del = xcalloc(cap, sizeof(char *)), **addk = xcalloc(cap, sizeof(char *));
	for (size_t b = 0; o && b < o->elems.nbuckets; b++)
		for (struct hmap_entry *e = o->elems.buckets[b]; e; e = e->next) {
			const char *v = hmap_get(&s->elems, e->key);
			if (!v || strcmp(v, e->value))
				del[nd++] = e->key;
		}
	for (size_t b = 0; b < s->elems.nbuckets; b++)
		for (struct hmap_entry *e = s->elems.buckets[b]; e; e = e->next) {
			const char *v = o ? hmap_get(&o->elems, e->key) : NULL;
			if (!v || strcmp(v, e->value))
				addk[na++] = e->key;
		}
	if (o && nd)
		elems_msgs(bt, o, del, nd, 1, err);
	if (na)
		elems_msgs(bt, s, addk, na, 0, err);
	free(del);
	free(addk);
}

/* The messages turning old into rs, in the order of the DESIGN comment. */
static void diff_msgs(struct batch *bt, const struct nf_ruleset *old, const struct nf_ruleset *rs, struct buf *err)
{
	for (size_t b = 0; b < rs->sets.nbuckets; b++)
		for (struct hmap_entry *e = rs->sets.buckets[b]; e; e = e->next)
			if (!hmap_get(&old->sets, e->key))
				set_msg(bt, e->value, NFT_MSG_NEWSET, err);
	for (size_t b = 0; b < rs->chains.nbuckets; b++)
		for (struct hmap_entry *e = rs->chains.buckets[b]; e; e = e->next)
			if (!hmap_get(&old->chains, e->key))
				chain_msg(bt, e->value, NFT_MSG_NEWCHAIN);
	for (size_t b = 0; b < rs->chains.nbuckets; b++)
		for (struct hmap_entry *e = rs->chains.buckets[b]; e; e = e->next) {
			struct nf_chain *c = e->value, *o = hmap_get(&old->chains, e->key);
			if (!o || strcmp(nf_chain_text(o), nf_chain_text(c)))
				rules_msgs(bt, c, o != NULL, 1, err);
		}
	for (size_t b = 0; b < rs->sets.nbuckets; b++)
		for (struct hmap_entry *e = rs->sets.buckets[b]; e; e = e->next)
			if (!((struct nf_set *)e->value)->timeout_s)
				diff_elems(bt, hmap_get(&old->sets, e->key), e->value, err);
	for (size_t b = 0; b < old->chains.nbuckets; b++)
		for (struct hmap_entry *e = old->chains.buckets[b]; e; e = e->next)
			if (!hmap_get(&rs->chains, e->key))
				rules_msgs(bt, e->value, 1, 0, err);
	for (size_t b = 0; b < old->chains.nbuckets; b++)
		for (struct hmap_entry *e = old->chains.buckets[b]; e; e = e->next)
			if (!hmap_get(&rs->chains, e->key))
				chain_msg(bt, e->value, NFT_MSG_DELCHAIN);
	for (size_t b = 0; b < old->sets.nbuckets; b++)
		for (struct hmap_entry *e = old->sets.buckets[b]; e; e = e->next)
			if (!hmap_get(&rs->sets, e->key))
				set_msg(bt, e->value, NFT_MSG_DELSET, err);
}

int nf_apply_diff(const struct nf_ruleset *old, const struct nf_ruleset *rs, size_t *nmsgs, struct buf *err)
{
	if (!compatible(old, rs)) {
		if (nmsgs)
			*nmsgs = 0;
		return nf_apply_full(rs, err);
	}
	struct batch bt;
	batch_init(&bt, rs->table);
	diff_msgs(&bt, old, rs, err);
	if (nmsgs)
		*nmsgs = (size_t)bt.nmsgs;
	int rc = batch_send(&bt, err);
	batch_release(&bt);
	return rc;
}

int nf_check_rule(const char *rule, struct buf *err)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	int rc = nf_compile_rule(r, rule, NULL, NULL, err);
	nftnl_rule_free(r);
	return rc;
}
