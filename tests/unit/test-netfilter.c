/* Unit tests for netfilter/: the ruleset model, its printing as an `nft -f` file, and the
 * compilation of rule and element texts (no kernel involved). */
#include "test.h"
#include "buf.h"
#include "util.h"
#include "netfilter/internal.h"
#include "netfilter/nft.h"

TEST_IMPL(netfilter_model_print_sorted)
{
	struct nf_ruleset *rs = nf_ruleset_new("t1");
	struct nf_set *m = nf_set_add(rs, "m", "inet_proto . inet_service", 1, 0);
	nf_set_add(rs, "aff", "ipv4_addr", 0, 30);
	nf_elem_add(m, "udp . 53", "goto b");
	nf_elem_add(m, "tcp . 80", "goto a");
	nf_rule_add(nf_chain_add(rs, "b", NULL, NULL, 0), "meta l4proto udp dnat to 10.0.0.2:53");
	nf_rule_add(nf_chain_add(rs, "a", "nat", "output", -100), "meta l4proto . th dport vmap @m");
	ASSERT(nf_chain_add(rs, "a", NULL, NULL, 0) == nf_chain_get(rs, "a"));
	struct buf out = BUF_INIT;
	nf_ruleset_print(rs, &out);
	ASSERT_STR(buf_str(&out), "add table ip t1\ndelete table ip t1\ntable ip t1 {\n"
		   "\tset aff { type ipv4_addr ; flags dynamic,timeout ; timeout 30s ; }\n"
		   "\tmap m { type inet_proto . inet_service : verdict ; }\n"
		   "\tchain a {\n\t\ttype nat hook output priority -100 ;\n\t\tmeta l4proto . th dport vmap @m\n\t}\n"
		   "\tchain b {\n\t\tmeta l4proto udp dnat to 10.0.0.2:53\n\t}\n}\n"
		   "add element ip t1 m { tcp . 80 : goto a }\nadd element ip t1 m { udp . 53 : goto b }\n");
	size_t chains, rules, elems;
	nf_ruleset_stats(rs, &chains, &rules, &elems);
	ASSERT_EQ(chains, 2);
	ASSERT_EQ(rules, 2);
	ASSERT_EQ(elems, 2);
	buf_release(&out);
	nf_ruleset_free(rs);
	return 0;
}

TEST_IMPL(netfilter_compile_rules)
{
	static const char *const good[] = {
		"jump services",
		"ip daddr . meta l4proto . th dport vmap @service-ips",
		"fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @x",
		"meta mark & 0x4000 == 0 return",
		"meta mark set meta mark | 0x4000",
		"meta mark set meta mark ^ 0x4000",
		"masquerade fully-random",
		"ip saddr 10.42.0.0/16 ip daddr != 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random",
		"ct state new jump service-endpoints-check",
		"numgen random mod 3 == 0 goto endpoint-a/b/tcp/p80__10.0.0.1/80",
		"numgen random mod 2 vmap { 0 : goto a , 1 : jump b }",
		"ip saddr @affinity-x goto y",
		"update @affinity-x { ip saddr }",
		"meta l4proto tcp dnat to 10.1.2.3:8080",
		"ip daddr 10.43.0.1 meta l4proto tcp th dport 80 ip saddr != 10.42.0.0/16 jump m",
		"reject",
		"drop",
	};
	static const char *const bad[] = {
		"ip daddr 300.1.1.1 drop", "th dport 70000 drop", "meta l4proto gre drop", "jump", "frobnicate",
		"numgen random mod 2 == 2 goto x", "dnat to 10.0.0.1", "update @x { ip daddr }",
		"ip daddr . meta l4proto vmap", "meta mark set meta mark + 1",
		"numgen random mod 2 vmap { 0 : goto a }", "numgen random mod 2 vmap { 0 : goto a , 2 : goto b }",
		"numgen random mod 2 vmap { 0 : goto a , 1 : goto b", "numgen random mod 2 vmap { 0 : drop , 1 : goto b }",
	};
	struct buf err = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		buf_reset(&err);
		if (nf_check_rule(good[i], &err) < 0)
			FAIL("%s: %s", good[i], buf_str(&err));
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		buf_reset(&err);
		if (nf_check_rule(bad[i], &err) == 0)
			FAIL("accepted: %s", bad[i]);
		ASSERT(err.len > 0);
	}
	buf_release(&err);
	return 0;
}

TEST_IMPL(netfilter_element_keys)
{
	uint8_t key[64];
	struct buf err = BUF_INIT;
	static const uint8_t want[12] = { 10, 43, 0, 5, 6, 0, 0, 0, 0, 80, 0, 0 };
	ASSERT_EQ(nf_compile_key("ipv4_addr . inet_proto . inet_service", "10.43.0.5 . tcp . 80", key, &err), 12);
	ASSERT(memcmp(key, want, 12) == 0);
	ASSERT_EQ(nf_compile_key("ipv4_addr", "10.0.0.1", key, &err), 4);
	ASSERT_EQ(nf_compile_key("inet_proto . inet_service", "udp . 53", key, &err), 8);
	ASSERT_EQ(key[0], 17);
	ASSERT_EQ(key[5], 53);
	ASSERT_EQ(nf_compile_key("inet_proto . inet_service", "udp . 53 . 1", key, &err), -1);
	ASSERT_EQ(nf_compile_key("inet_proto . inet_service", "udp", key, &err), -1);
	ASSERT_EQ(nf_compile_key("ipv4_addr", "10.0.0.0/8", key, &err), -1);
	uint32_t id, len;
	ASSERT_EQ(nf_key_type("ipv4_addr . inet_proto . inet_service", &id, &len), 0);
	ASSERT_EQ(id, (7u << 12) | (12u << 6) | 13u);
	ASSERT_EQ(len, 12);
	ASSERT_EQ(nf_key_type("ipv4_addr", &id, &len), 0);
	ASSERT_EQ(len, 4);
	ASSERT_EQ(nf_key_type("ether_addr", &id, &len), -1);
	buf_release(&err);
	return 0;
}
