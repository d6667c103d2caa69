/*
 * internal.h - what the files of netfilter/ share: the compiler of rule and element texts into
 * libnftnl objects (nft_compile.c), used by the batch builder (nft_batch.c).
 */
#ifndef KUBE_NETFILTER_INTERNAL_H
#define KUBE_NETFILTER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct nftnl_rule;

/* The most entries of an anonymous verdict map in a rule ("numgen ... vmap { K : VERDICT , ... }"). */
#define NF_ANON_MAX 1024

/* An anonymous verdict map a rule needs: keys 0..n-1 (u32) to jump/goto chains. */
struct nf_anon {
	uint32_t n;
	int goto_[NF_ANON_MAX];       /* 1: goto, 0: jump */
	const char *chain[NF_ANON_MAX]; /* borrowed from the rule's tokens during the call */
};

/* Creates the anonymous map a (in the batch, before the rule that uses it) and returns the set
 * id the rule's lookup refers to. */
typedef uint32_t nf_anon_fn(void *arg, const struct nf_anon *a);

/* Adds the expressions of rule text (the subset of nft syntax listed in nft_compile.c) to r;
 * anon (may be NULL when only checking) makes its anonymous maps. Returns 0, or -1 with a
 * message in err. */
int nf_compile_rule(struct nftnl_rule *r, const char *text, nf_anon_fn *anon, void *arg, struct buf *err);
/* Encodes element key text ("10.43.0.1 . tcp . 80") of a set of type (as struct nf_set) into
 * key (each field padded to 4 bytes, as the kernel keeps concatenations). Returns the length, or
 * -1 with a message in err. */
int nf_compile_key(const char *type, const char *text, uint8_t key[64], struct buf *err);
/* The kernel's key type id and length of a set type (nft's concatenated type ids). Returns 0, or
 * -1 for an unknown type. */
int nf_key_type(const char *type, uint32_t *id, uint32_t *len);

#endif
