/*
 * nft_compile.c - compiles the rule texts of the model into libnftnl expressions.
 *
 * DESIGN
 * The accepted subset of nft syntax, the same bytecode nft itself emits for it:
 *   matches    ip saddr|daddr [!=] ADDR[/LEN] | @SET     meta l4proto [!=] tcp|udp|sctp|icmp
 *              th dport [!=] PORT    meta mark & MASK ==|!= VALUE    fib saddr|daddr type local
 *              ct state new          numgen random mod N == K
 *              numgen random mod N vmap { 0 : goto|jump CHAIN , 1 : ... }   (an anonymous map)
 *              SEL . SEL [. SEL] vmap @MAP   (SEL: ip saddr|daddr, meta l4proto, th dport)
 *              SEL vmap @MAP
 *   statements meta mark set meta mark |^ VALUE    update @SET { ip saddr }
 *              dnat to ADDR:PORT     masquerade [fully-random]    reject
 *   verdicts   jump|goto CHAIN       return   drop   accept
 * Single values go through register 1; concatenations use the 32-bit registers from
 * NFT_REG32_00, each field padded to 4 bytes, which is also how element keys are encoded.
 */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <stdio.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "netfilter/internal.h"

enum sel { SEL_ADDR, SEL_PROTO, SEL_PORT, SEL_MARK, SEL_FIB, SEL_CT, SEL_NUMGEN };

struct cc {
	char **tok;
	size_t n, i;
	struct nftnl_rule *r;
	struct buf *err;
	nf_anon_fn *anon;
	void *arg;
	struct nf_anon *map;      /* scratch for an anonymous map */
};

static const char *peek(struct cc *c)
{
	return c->i < c->n ? c->tok[c->i] : "";
}

static const char *next(struct cc *c)
{
	return c->i < c->n ? c->tok[c->i++] : "";
}

static int fail(struct cc *c, const char *what)
{
	buf_addf(c->err, "%s at \"%s\"", what, c->i > 0 && c->i <= c->n ? c->tok[c->i - 1] : "");
	return -1;
}

static void add(struct cc *c, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(c->r, e);
}

static void e_payload(struct cc *c, uint32_t base, uint32_t off, uint32_t len, uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	add(c, e);
}

static void e_meta(struct cc *c, uint32_t key, uint32_t reg, int set)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, set ? NFTNL_EXPR_META_SREG : NFTNL_EXPR_META_DREG, reg);
	add(c, e);
}

static void e_cmp(struct cc *c, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	add(c, e);
}

static void e_bitwise(struct cc *c, const void *mask, const void *xor, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	add(c, e);
}

static void e_imm(struct cc *c, uint32_t reg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	add(c, e);
}

static void e_lookup(struct cc *c, uint32_t sreg, const char *set, int vmap, int invert)
{
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, sreg);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	if (vmap)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_VERDICT);
	if (invert)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	add(c, e);
}

/* Parses an IPv4 address with an optional /LEN into addr and mask (network order). */
static int parse_addr(const char *s, uint32_t *addr, uint32_t *mask)
{
	char tmp[32];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int64_t len = 32;
	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	if (inet_pton(AF_INET, tmp, addr) != 1 || (slash && parse_int64(slash + 1, 0, 32, &len) < 0))
		return -1;
	*mask = len ? htonl(~0u << (32 - len)) : 0;
	return 0;
}

static int parse_proto(const char *s)
{
	static const struct { const char *name; int num; } protos[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "sctp", 132 }, { "icmp", 1 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(protos); i++)
		if (strcmp(s, protos[i].name) == 0)
			return protos[i].num;
	return -1;
}

/* Loads a selector into dreg (pad: registers are padded to 4 bytes, for concatenations). */
static int selector(struct cc *c, uint32_t dreg, enum sel *kind)
{
	const char *a = next(c), *b = next(c);
	if (strcmp(a, "ip") == 0 && (strcmp(b, "saddr") == 0 || strcmp(b, "daddr") == 0)) {
		e_payload(c, NFT_PAYLOAD_NETWORK_HEADER, b[0] == 's' ? 12 : 16, 4, dreg);
		*kind = SEL_ADDR;
	} else if (strcmp(a, "meta") == 0 && strcmp(b, "l4proto") == 0) {
		e_meta(c, NFT_META_L4PROTO, dreg, 0);
		*kind = SEL_PROTO;
	} else if (strcmp(a, "th") == 0 && strcmp(b, "dport") == 0) {
		e_payload(c, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, dreg);
		*kind = SEL_PORT;
	} else if (strcmp(a, "meta") == 0 && strcmp(b, "mark") == 0) {
		e_meta(c, NFT_META_MARK, dreg, 0);
		*kind = SEL_MARK;
	} else {
		return fail(c, "unknown selector");
	}
	return 0;
}

static int fib_match(struct cc *c)
{
	const char *dir = next(c);
	if ((strcmp(dir, "saddr") && strcmp(dir, "daddr")) || strcmp(next(c), "type") || strcmp(next(c), "local"))
		return fail(c, "expected fib saddr|daddr type local");
	struct nftnl_expr *e = nftnl_expr_alloc("fib");
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, dir[0] == 's' ? NFTA_FIB_F_SADDR : NFTA_FIB_F_DADDR);
	add(c, e);
	uint32_t local = 2; /* RTN_LOCAL */
	e_cmp(c, NFT_CMP_EQ, &local, 4);
	return 0;
}

static int ct_match(struct cc *c)
{
	if (strcmp(next(c), "state") || strcmp(next(c), "new"))
		return fail(c, "expected ct state new");
	struct nftnl_expr *e = nftnl_expr_alloc("ct");
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	add(c, e);
	uint32_t mask = NF_CT_STATE_BIT(IP_CT_NEW), zero = 0;
	e_bitwise(c, &mask, &zero, 4);
	e_cmp(c, NFT_CMP_NEQ, &zero, 4);
	return 0;
}

/* "vmap { 0 : goto A , 1 : goto B }" after a value loaded into register 1: an anonymous map. */
static int anon_vmap(struct cc *c, uint32_t mod)
{
	struct nf_anon *a = c->map;
	a->n = 0;
	if (strcmp(next(c), "{"))
		return fail(c, "expected {");
	for (;;) {
		int64_t k;
		const char *v;
		if (a->n == NF_ANON_MAX || parse_int64(next(c), 0, mod - 1, &k) < 0 || k != a->n ||
		    strcmp(next(c), ":") || (strcmp(v = next(c), "goto") && strcmp(v, "jump")) || !*peek(c))
			return fail(c, "bad anonymous map element");
		a->goto_[a->n] = v[0] == 'g';
		a->chain[a->n++] = next(c);
		const char *t = next(c);
		if (strcmp(t, "}") == 0)
			break;
		if (strcmp(t, ","))
			return fail(c, "expected , or }");
	}
	if (a->n != mod)
		return fail(c, "the map must cover every value");
	uint32_t id = c->anon ? c->anon(c->arg, a) : 0;
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, "__map%d");
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, id);
	add(c, e);
	return 0;
}

static int numgen_match(struct cc *c)
{
	int64_t mod, k;
	if (strcmp(next(c), "random") || strcmp(next(c), "mod") || parse_int64(next(c), 1, NF_ANON_MAX, &mod) < 0)
		return fail(c, "expected numgen random mod N");
	struct nftnl_expr *e = nftnl_expr_alloc("numgen");
	nftnl_expr_set_u32(e, NFTNL_EXPR_NG_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, (uint32_t)mod);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, NFT_NG_RANDOM);
	add(c, e);
	const char *t = next(c);
	if (strcmp(t, "vmap") == 0)
		return anon_vmap(c, (uint32_t)mod);
	if (strcmp(t, "==") || parse_int64(next(c), 0, mod - 1, &k) < 0)
		return fail(c, "expected == K or vmap { ... }");
	uint32_t v = (uint32_t)k;
	e_cmp(c, NFT_CMP_EQ, &v, 4);
	return 0;
}

/* A concatenation "SEL . SEL ... vmap @MAP", the first selector already loaded at NFT_REG32_00. */
static int concat(struct cc *c, enum sel first)
{
	uint32_t reg = NFT_REG32_00 + 1;
	enum sel kind = first;
	while (strcmp(peek(c), ".") == 0) {
		next(c);
		if (reg > NFT_REG32_00 + 3 || selector(c, reg++, &kind) < 0)
			return fail(c, "bad concatenation");
	}
	if (strcmp(next(c), "vmap") || next(c)[0] != '@')
		return fail(c, "expected vmap @MAP");
	e_lookup(c, NFT_REG32_00, c->tok[c->i - 1] + 1, 1, 0);
	return 0;
}

/* "meta mark set meta mark |^ VALUE" after "meta mark" (loaded into register 1). */
static int mark_set(struct cc *c)
{
	const char *m1 = next(c), *m2 = next(c), *op = next(c);
	char *end;
	uint32_t v = (uint32_t)strtoul(next(c), &end, 0), mask, all = ~0u;
	if (strcmp(m1, "meta") || strcmp(m2, "mark") || *end || (strcmp(op, "|") && strcmp(op, "^")))
		return fail(c, "expected meta mark set meta mark |^ VALUE");
	mask = op[0] == '|' ? ~v : all;
	e_bitwise(c, &mask, &v, 4);
	e_meta(c, NFT_META_MARK, NFT_REG_1, 1);
	return 0;
}

/* A comparison of the value loaded into register 1 (after the selector). */
static int compare(struct cc *c, enum sel kind)
{
	const char *t = next(c);
	uint32_t op = NFT_CMP_EQ;
	if (strcmp(t, "&") == 0 && kind == SEL_MARK) {
		char *end;
		uint32_t mask = (uint32_t)strtoul(next(c), &end, 0), zero = 0;
		const char *rel = next(c);
		uint32_t v = (uint32_t)strtoul(next(c), &end, 0);
		e_bitwise(c, &mask, &zero, 4);
		e_cmp(c, strcmp(rel, "!=") == 0 ? NFT_CMP_NEQ : NFT_CMP_EQ, &v, 4);
		return 0;
	}
	if (strcmp(t, "!=") == 0) {
		op = NFT_CMP_NEQ;
		t = next(c);
	}
	if (t[0] == '@' && kind == SEL_ADDR) {
		e_lookup(c, NFT_REG_1, t + 1, 0, op == NFT_CMP_NEQ);
		return 0;
	}
	if (kind == SEL_ADDR) {
		uint32_t addr, mask, zero = 0;
		if (parse_addr(t, &addr, &mask) < 0)
			return fail(c, "bad address");
		if (mask != 0xffffffffu)
			e_bitwise(c, &mask, &zero, 4);
		addr &= mask;
		e_cmp(c, op, &addr, 4);
	} else if (kind == SEL_PROTO) {
		int p = parse_proto(t);
		uint8_t v = (uint8_t)p;
		if (p < 0)
			return fail(c, "bad protocol");
		e_cmp(c, op, &v, 1);
	} else if (kind == SEL_PORT) {
		int64_t p;
		if (parse_int64(t, 0, 65535, &p) < 0)
			return fail(c, "bad port");
		uint16_t v = htons((uint16_t)p);
		e_cmp(c, op, &v, 2);
	} else {
		return fail(c, "bad comparison");
	}
	return 0;
}

static int match(struct cc *c)
{
	enum sel kind;
	const char *t = peek(c);
	if (strcmp(t, "fib") == 0)
		return next(c), fib_match(c);
	if (strcmp(t, "ct") == 0)
		return next(c), ct_match(c);
	if (strcmp(t, "numgen") == 0)
		return next(c), numgen_match(c);
	if (c->i + 2 < c->n && strcmp(c->tok[c->i + 2], ".") == 0) {
		if (selector(c, NFT_REG32_00, &kind) < 0)
			return -1;
		return concat(c, kind);
	}
	if (selector(c, NFT_REG_1, &kind) < 0)
		return -1;
	t = peek(c);
	if (strcmp(t, "vmap") == 0) {
		next(c);
		if (peek(c)[0] != '@')
			return fail(c, "expected @MAP");
		e_lookup(c, NFT_REG_1, next(c) + 1, 1, 0);
		return 0;
	}
	if (strcmp(t, "set") == 0 && kind == SEL_MARK)
		return next(c), mark_set(c);
	return compare(c, kind);
}

static int verdict(struct cc *c, const char *t)
{
	static const struct { const char *name; int code; int chain; } verdicts[] = {
		{ "jump", NFT_JUMP, 1 }, { "goto", NFT_GOTO, 1 }, { "return", NFT_RETURN, 0 },
		{ "drop", NF_DROP, 0 }, { "accept", NF_ACCEPT, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(verdicts); i++) {
		if (strcmp(t, verdicts[i].name))
			continue;
		next(c);
		struct nftnl_expr *e = nftnl_expr_alloc("immediate");
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdicts[i].code);
		if (verdicts[i].chain) {
			const char *chain = next(c);
			if (!*chain) {
				nftnl_expr_free(e);
				return fail(c, "expected a chain");
			}
			nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
		}
		add(c, e);
		return 1;
	}
	return 0;
}

static int dnat(struct cc *c)
{
	const char *to = next(c), *t = next(c), *colon = strrchr(t, ':');
	uint32_t addr, mask;
	int64_t port;
	char a[32];
	if (strcmp(to, "to") || !colon || (size_t)(colon - t) >= sizeof(a))
		return fail(c, "expected dnat to ADDR:PORT");
	memcpy(a, t, (size_t)(colon - t));
	a[colon - t] = 0;
	if (parse_addr(a, &addr, &mask) < 0 || mask != 0xffffffffu || parse_int64(colon + 1, 1, 65535, &port) < 0)
		return fail(c, "bad dnat target");
	uint16_t p = htons((uint16_t)port);
	e_imm(c, NFT_REG_1, &addr, 4);
	e_imm(c, NFT_REG_2, &p, 2);
	struct nftnl_expr *e = nftnl_expr_alloc("nat");
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, NFT_NAT_DNAT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG_2);
	add(c, e);
	return 0;
}

static int update(struct cc *c)
{
	const char *set = next(c);
	if (set[0] != '@' || strcmp(next(c), "{") || strcmp(next(c), "ip") || strcmp(next(c), "saddr") ||
	    strcmp(next(c), "}"))
		return fail(c, "expected update @SET { ip saddr }");
	e_payload(c, NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NFT_REG_1);
	struct nftnl_expr *e = nftnl_expr_alloc("dynset");
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
	nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME, set + 1);
	add(c, e);
	return 0;
}

/* A statement; returns 1 when t was one, 0 when not, -1 on error. */
static int statement(struct cc *c, const char *t)
{
	if (strcmp(t, "dnat") == 0)
		return next(c), dnat(c) < 0 ? -1 : 1;
	if (strcmp(t, "update") == 0)
		return next(c), update(c) < 0 ? -1 : 1;
	if (strcmp(t, "masquerade") == 0) {
		next(c);
		struct nftnl_expr *e = nftnl_expr_alloc("masq");
		if (strcmp(peek(c), "fully-random") == 0) {
			next(c);
			nftnl_expr_set_u32(e, NFTNL_EXPR_MASQ_FLAGS, NF_NAT_RANGE_PROTO_RANDOM_FULLY);
		}
		add(c, e);
		return 1;
	}
	if (strcmp(t, "reject") == 0) {
		next(c);
		struct nftnl_expr *e = nftnl_expr_alloc("reject");
		nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, NFT_REJECT_ICMP_UNREACH);
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, 3); /* port unreachable */
		add(c, e);
		return 1;
	}
	return 0;
}

int nf_compile_rule(struct nftnl_rule *r, const char *text, nf_anon_fn *anon, void *arg, struct buf *err)
{
	struct cc c = { .r = r, .err = err, .anon = anon, .arg = arg };
	char *copy = xstrdup(text), *save = NULL;
	size_t max = 1;
	int rc = 0;
	for (const char *p = text; *p; p++)
		max += *p == ' ' || *p == '\t';
	c.tok = xcalloc(max, sizeof(char *));
	for (char *t = strtok_r(copy, " \t", &save); t && c.n < max; t = strtok_r(NULL, " \t", &save))
		c.tok[c.n++] = t;
	while (c.i < c.n) {
		const char *t = peek(&c);
		int v = statement(&c, t);
		if (v == 0)
			v = verdict(&c, t);
		if (v == 0 && strcmp(t, "numgen") == 0 && !c.map)
			c.map = xmalloc(sizeof(*c.map));
		if (v < 0 || (v == 0 && match(&c) < 0)) {
			rc = -1;
			break;
		}
	}
	if (rc < 0)
		buf_addf(err, " in rule \"%s\"", text);
	free(c.map);
	free(c.tok);
	free(copy);
	return rc;
}

static const struct {
	const char *name;
	uint32_t id, len;
} key_types[] = {
	{ "ipv4_addr", 7, 4 }, { "inet_proto", 12, 1 }, { "inet_service", 13, 2 },
};

int nf_key_type(const char *type, uint32_t *id, uint32_t *len)
{
	char *copy = xstrdup(type), *save = NULL;
	int rc = 0, n = 0;
	*id = 0;
	*len = 0;
	for (char *t = strtok_r(copy, " .", &save); t; t = strtok_r(NULL, " .", &save), n++) {
		size_t i = 0;
		while (i < ARRAY_SIZE(key_types) && strcmp(t, key_types[i].name))
			i++;
		if (i == ARRAY_SIZE(key_types) || n == 4) {
			rc = -1;
			break;
		}
		*id = (*id << 6) | key_types[i].id;
		*len += n == 0 && !strchr(type, '.') ? key_types[i].len : 4;
	}
	free(copy);
	return n ? rc : -1;
}

/* Encodes one field of a key; returns its length unpadded, or -1. */
static int key_field(const char *type, const char *v, uint8_t *out)
{
	int64_t port;
	uint32_t addr, mask;
	if (strcmp(type, "ipv4_addr") == 0) {
		if (parse_addr(v, &addr, &mask) < 0 || mask != 0xffffffffu)
			return -1;
		memcpy(out, &addr, 4);
		return 4;
	}
	if (strcmp(type, "inet_proto") == 0) {
		int p = parse_proto(v);
		out[0] = (uint8_t)p;
		return p < 0 ? -1 : 1;
	}
	if (strcmp(type, "inet_service") == 0 && parse_int64(v, 0, 65535, &port) == 0) {
		uint16_t p = htons((uint16_t)port);
		memcpy(out, &p, 2);
		return 2;
	}
	return -1;
}

int nf_compile_key(const char *type, const char *text, uint8_t key[64], struct buf *err)
{
	char *types = xstrdup(type), *vals = xstrdup(text), *s1 = NULL, *s2 = NULL;
	int len = 0, nf = 0, concat = strchr(type, '.') != NULL;
	char *t = strtok_r(types, " .", &s1), *v = strtok_r(vals, " ", &s2);
	memset(key, 0, 64);
	for (; t; t = strtok_r(NULL, " .", &s1), nf++) {
		if (!v || nf == 4)
			goto bad;
		int n = key_field(t, v, key + len);
		if (n < 0)
			goto bad;
		len += concat ? 4 : n;
		v = strtok_r(NULL, " ", &s2);
		if (v && strcmp(v, ".") == 0)
			v = strtok_r(NULL, " ", &s2);
		else if (v)
			goto bad;
	}
	if (v)
		goto bad;
	free(types);
	free(vals);
	return len;
bad:
	buf_addf(err, "bad element \"%s\" for type %s", text, type);
	free(types);
	free(vals);
	return -1;
}
