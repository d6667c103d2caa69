/*
 * fuzz-proxy.c - libFuzzer target for agent/proxy_rules.c (and netfilter/'s compiler).
 *
 * The input is a JSON array of API objects as an informer would deliver them: EndpointSlices
 * (with addressType), pods (with spec.containers), Services (the rest). Beyond "no crash, no
 * leak, no UB" it checks what must hold for any input: every rule and every element of the
 * computed table compiles, so that a hostile object can never make a whole sync fail.
 */
#include "agent/proxy_rules.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "netfilter/internal.h"
#include "netfilter/nft.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(struct nf_ruleset *rs)
{
	struct buf err = BUF_INIT;
	uint8_t key[64];
	for (size_t b = 0; b < rs->chains.nbuckets; b++)
		for (struct hmap_entry *e = rs->chains.buckets[b]; e; e = e->next) {
			struct nf_chain *c = e->value;
			for (size_t i = 0; i < c->nrules; i++)
				if (nf_check_rule(c->rules[i], &err) < 0)
					abort();
		}
	for (size_t b = 0; b < rs->sets.nbuckets; b++)
		for (struct hmap_entry *e = rs->sets.buckets[b]; e; e = e->next) {
			struct nf_set *s = e->value;
			for (size_t k = 0; k < s->elems.nbuckets; k++)
				for (struct hmap_entry *x = s->elems.buckets[k]; x; x = x->next)
					if (nf_compile_key(s->type, x->key, key, &err) < 0)
						abort();
		}
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *all = json_parse((const char *)data, size, NULL);
	const cJSON *o, *v[3][64];
	size_t n[3] = { 0, 0, 0 };
	const cJSON *list = cJSON_IsArray(all) ? all : NULL;
	cJSON_ArrayForEach(o, list) {
		int k = json_getv(o, "addressType", NULL) ? 1 : json_getv(o, "spec", "containers", NULL) ? 2 : 0;
		if (n[k] < 64)
			v[k][n[k]++] = o;
	}
	struct proxy_input in = { "kf", "n1", "10.42.0.0/16", "10.43.0.0/16", "10.43.0.10", v[0], n[0], v[1], n[1], v[2], n[2] };
	struct buf warn = BUF_INIT, out = BUF_INIT;
	struct nf_ruleset *rs = proxy_rules_build(&in, &warn);
	check(rs);
	nf_ruleset_print(rs, &out);
	nf_ruleset_free(rs);
	buf_release(&warn);
	buf_release(&out);
	cJSON_Delete(all);
	return 0;
}
