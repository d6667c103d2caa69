/*
 * dns_msg.c - DNS messages (RFC 1035, EDNS0 of RFC 6891): parsing queries, building replies.
 *
 * DESIGN: pure functions over byte buffers, nothing allocated. The parser accepts exactly what a
 * stub resolver sends (one question, optional OPT in the additional section) and checks every
 * offset against the length, so a hostile packet gets FORMERR or is dropped. The builder writes
 * straight into the caller's buffer; name compression keeps a small table of the name suffixes
 * already written (text + offset) and points at the longest one that matches, case-insensitively
 * (names are lowercased before they get here). A record that does not fit is rolled back.
 */
#include "agent/dns.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ARRAY_LEN_COMP (sizeof(((struct dns_builder *)0)->comp) / sizeof(((struct dns_builder *)0)->comp[0]))

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Appends one label in presentation form; returns the new length or -1 when out is full. */
static int label_text(const uint8_t *l, size_t n, char *out, size_t at, int lower, int *escaped)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = l[i];
		if (at + 5 >= DNS_NAME_MAX)
			return -1;
		if (c <= ' ' || c >= 0x7f || c == '.' || c == '\\') {
			at += (size_t)snprintf(out + at, 5, "\\%03u", c);
			*escaped = 1;
		} else {
			out[at++] = (char)(lower ? tolower(c) : c);
		}
	}
	return (int)at;
}

int dns_read_name(const uint8_t *msg, size_t len, size_t *off, char *out, int lower, int *escaped)
{
	size_t p = *off, at = 0, wire = 0;
	int jumps = 0, jumped = 0;
	*escaped = 0;
	for (;;) {
		if (p >= len)
			return -1;
		uint8_t n = msg[p];
		if ((n & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++jumps > 32)
				return -1;
			size_t to = (size_t)((n & 0x3f) << 8 | msg[p + 1]);
			if (!jumped)
				*off = p + 2;
			jumped = 1;
			if (to >= p)
				return -1; /* pointers go backwards only */
			p = to;
			continue;
		}
		if (n & 0xc0)
			return -1; /* extended label types */
		if (n == 0)
			break;
		wire += n + 1u;
		if (wire > 254 || p + 1 + n > len)
			return -1;
		if (at)
			out[at++] = '.';
		int r = label_text(msg + p + 1, n, out, at, lower, escaped);
		if (r < 0)
			return -1;
		at = (size_t)r;
		p += 1u + n;
	}
	out[at] = 0;
	if (!jumped)
		*off = p + 1;
	return 0;
}

/* Skips a resource record at *off; fills its type, class, ttl and where its rdata lies. */
static int skip_rr(const uint8_t *msg, size_t len, size_t *off, uint16_t *type, uint16_t *cls, uint32_t *ttl,
		   size_t *rdlen, int *root)
{
	char name[DNS_NAME_MAX];
	int esc;
	if (dns_read_name(msg, len, off, name, 0, &esc) < 0 || *off + 10 > len)
		return -1;
	const uint8_t *p = msg + *off;
	*root = name[0] == 0;
	*type = get16(p);
	*cls = get16(p + 2);
	*ttl = (uint32_t)get16(p + 4) << 16 | get16(p + 6);
	*rdlen = get16(p + 8);
	*off += 10;
	if (*off + *rdlen > len)
		return -1;
	*off += *rdlen;
	return 0;
}

/* Reads the records after the question: answers and authorities are skipped (a query has none
 * normally), one OPT record in the additional section sets the EDNS0 fields. */
static int parse_records(const uint8_t *msg, size_t len, size_t off, struct dns_query *q)
{
	unsigned an = get16(msg + 6), ns = get16(msg + 8), ar = get16(msg + 10);
	for (unsigned i = 0; i < an + ns + ar; i++) {
		uint16_t type, cls;
		uint32_t ttl;
		size_t rdlen;
		int root;
		if (skip_rr(msg, len, &off, &type, &cls, &ttl, &rdlen, &root) < 0)
			return DNS_FORMERR;
		if (type != DNS_T_OPT)
			continue;
		if (i < an + ns || q->edns || !root)
			return DNS_FORMERR; /* RFC 6891 6.1.1: one OPT, in the additional section, at the root */
		q->edns = 1;
		q->udp_size = cls < DNS_UDP_MIN ? DNS_UDP_MIN : cls;
		q->edns_version = (uint8_t)(ttl >> 16);
		q->do_bit = !!(ttl & 0x8000);
	}
	if (off != len)
		return DNS_FORMERR; /* trailing bytes */
	return q->edns && q->edns_version ? DNS_BADVERS : 0;
}

int dns_parse_query(const uint8_t *msg, size_t len, struct dns_query *q)
{
	memset(q, 0, sizeof(*q));
	q->udp_size = DNS_UDP_MIN;
	if (!msg || len < DNS_HDR)
		return -1;
	q->id = get16(msg);
	q->flags = get16(msg + 2);
	if (q->flags & DNS_F_QR)
		return -1; /* a response: never answer it (no reflection loops) */
	if (DNS_OPCODE(q->flags) != 0)
		return DNS_NOTIMP;
	if (get16(msg + 4) != 1)
		return DNS_FORMERR;
	size_t off = DNS_HDR;
	if (dns_read_name(msg, len, &off, q->name, 1, &q->escaped) < 0 || off + 4 > len)
		return DNS_FORMERR;
	q->qtype = get16(msg + off);
	q->qclass = get16(msg + off + 2);
	q->qstart = DNS_HDR;
	q->qend = off + 4;
	return parse_records(msg, len, q->qend, q);
}

/* ---- building ---------------------------------------------------------------------------- */

void dns_begin(struct dns_builder *b, uint8_t *out, size_t max, const struct dns_query *q, const uint8_t *msg,
	       uint16_t flags, int rcode, int withq)
{
	memset(b, 0, offsetof(struct dns_builder, comp));
	b->names_len = 0;
	b->p = out;
	b->q = q;
	b->edns = q->edns;
	b->max = max > 65535 ? 65535 : max;
	if (b->edns)
		b->max -= 11; /* the OPT record dns_finish adds */
	memset(out, 0, DNS_HDR);
	put16(out, q->id);
	uint16_t f = DNS_F_QR | (q->flags & (0x7800 | DNS_F_RD | DNS_F_CD)) | flags | (uint16_t)(rcode & 0xf);
	put16(out + 2, f);
	b->len = DNS_HDR;
	if (withq && q->qend > q->qstart && q->qend - q->qstart + DNS_HDR <= b->max) {
		memcpy(out + DNS_HDR, msg + q->qstart, q->qend - q->qstart);
		b->len += q->qend - q->qstart;
		put16(out + 4, 1);
		if (!q->escaped && q->name[0] && strlen(q->name) < 256) {
			size_t n = strlen(q->name) + 1;
			memcpy(b->names, q->name, n);
			b->names_len = n;
			for (size_t i = 0; i < n - 1 && b->ncomp < 16; i++) /* every suffix of the qname */
				if (i == 0 || q->name[i - 1] == '.') {
					b->comp[b->ncomp].off = (uint16_t)(DNS_HDR + i);
					b->comp[b->ncomp++].at = (uint16_t)i;
				}
		}
	}
}

/* The offset of a written name equal to suffix, or 0. */
static uint16_t comp_find(const struct dns_builder *b, const char *suffix)
{
	for (size_t i = 0; i < b->ncomp; i++)
		if (strcasecmp(b->names + b->comp[i].at, suffix) == 0)
			return b->comp[i].off;
	return 0;
}

/* Remembers the suffixes of name written at offsets offs (one per label). */
static void comp_add(struct dns_builder *b, const char *name, const size_t *starts, const uint16_t *offs, size_t n)
{
	size_t len = strlen(name) + 1;
	if (b->names_len + len > sizeof(b->names))
		return;
	memcpy(b->names + b->names_len, name, len);
	for (size_t i = 0; i < n && b->ncomp < ARRAY_LEN_COMP; i++) {
		if (offs[i] >= 0x4000)
			break;
		b->comp[b->ncomp].off = offs[i];
		b->comp[b->ncomp++].at = (uint16_t)(b->names_len + starts[i]);
	}
	b->names_len += len;
}

/* Writes name (presentation form, no escapes) at b->len, compressed. Returns 0, or -1 when it
 * does not fit or is not a valid name. */
static int put_name(struct dns_builder *b, const char *name)
{
	size_t starts[128], n = 0, nlen = strlen(name);
	uint16_t offs[128];
	if (nlen > 253 || strchr(name, '\\'))
		return -1;
	for (size_t i = 0; i < nlen; n++) {
		const char *dot = strchr(name + i, '.');
		size_t l = dot ? (size_t)(dot - (name + i)) : nlen - i;
		if (l == 0 || l > 63 || n == 128)
			return -1;
		starts[n] = i;
		i += l + (dot ? 1 : 0);
		if (dot && i == nlen)
			return -1; /* a trailing dot */
	}
	size_t i = 0;
	uint16_t ptr = 0;
	for (; i < n; i++)
		if ((ptr = comp_find(b, name + starts[i])) != 0)
			break;
	for (size_t k = 0; k < i; k++) {
		size_t l = (k + 1 < n ? starts[k + 1] - 1 : nlen) - starts[k];
		if (b->len + 1 + l > b->max)
			return b->full = 1, -1;
		offs[k] = (uint16_t)(b->len < 0xffff ? b->len : 0xffff);
		b->p[b->len++] = (uint8_t)l;
		memcpy(b->p + b->len, name + starts[k], l);
		b->len += l;
	}
	if (b->len + 2 > b->max)
		return b->full = 1, -1;
	if (ptr) {
		put16(b->p + b->len, (uint16_t)(0xc000 | ptr));
		b->len += 2;
	} else {
		b->p[b->len++] = 0;
	}
	comp_add(b, name, starts, offs, i);
	return 0;
}

static int put_bytes(struct dns_builder *b, const void *d, size_t n)
{
	if (b->len + n > b->max)
		return b->full = 1, -1;
	memcpy(b->p + b->len, d, n);
	b->len += n;
	return 0;
}

static int put_u16(struct dns_builder *b, uint16_t v)
{
	uint8_t x[2];
	put16(x, v);
	return put_bytes(b, x, 2);
}

static int put_u32(struct dns_builder *b, uint32_t v)
{
	return put_u16(b, (uint16_t)(v >> 16)) < 0 ? -1 : put_u16(b, (uint16_t)v);
}

/* The rdata of a record of type; the length is filled in by the caller. */
static int put_rdata(struct dns_builder *b, uint16_t type, uint32_t ttl, const struct dns_rdata *rd)
{
	switch (type) {
	case DNS_T_A:
		return put_bytes(b, rd->data, 4);
	case DNS_T_AAAA:
		return put_bytes(b, rd->data, 16);
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_NS:
		return put_name(b, rd->target);
	case DNS_T_SRV:
		if (put_u16(b, rd->prio) < 0 || put_u16(b, rd->weight) < 0 || put_u16(b, rd->port) < 0)
			return -1;
		return put_name(b, rd->target);
	case DNS_T_SOA:
		if (put_name(b, rd->target) < 0 || put_name(b, rd->target2) < 0 || put_u32(b, rd->serial) < 0)
			return -1;
		return put_u32(b, 7200) < 0 || put_u32(b, 1800) < 0 || put_u32(b, 86400) < 0 ? -1 : put_u32(b, ttl);
	default:
		return -1;
	}
}

int dns_add(struct dns_builder *b, enum dns_section sec, const char *name, uint16_t type, uint32_t ttl,
	    const struct dns_rdata *rd)
{
	if ((int)sec < b->section || b->full)
		return -1;
	b->section = (int)sec;
	size_t mark = b->len, ncomp = b->ncomp, names_len = b->names_len;
	if (put_name(b, name) < 0 || put_u16(b, type) < 0 || put_u16(b, DNS_CLASS_IN) < 0 || put_u32(b, ttl) < 0 ||
	    put_u16(b, 0) < 0)
		goto undo;
	size_t rdstart = b->len;
	if (put_rdata(b, type, ttl, rd) < 0)
		goto undo;
	put16(b->p + rdstart - 2, (uint16_t)(b->len - rdstart));
	b->count[sec]++;
	return 0;
undo:
	b->len = mark;
	b->ncomp = ncomp;
	b->names_len = names_len;
	if (b->full) { /* out of room (not a bad name): nothing more goes in */
		if (sec != DNS_ADDITIONAL)
			b->truncated = 1;
	}
	return -1;
}

size_t dns_finish(struct dns_builder *b)
{
	put16(b->p + 6, b->count[DNS_ANSWER]);
	put16(b->p + 8, b->count[DNS_AUTHORITY]);
	put16(b->p + 10, b->count[DNS_ADDITIONAL]);
	if (b->truncated)
		b->p[2] |= DNS_F_TC >> 8;
	if (b->edns) {
		int ext = (b->p[3] & 0xf) == 0 && b->q->edns_version ? DNS_BADVERS >> 4 : 0;
		uint8_t opt[11] = { 0, 0, DNS_T_OPT, DNS_UDP_MAX >> 8, DNS_UDP_MAX & 0xff, (uint8_t)ext, 0,
				    (uint8_t)(b->q->do_bit ? 0x80 : 0), 0, 0, 0 };
		memcpy(b->p + b->len, opt, sizeof(opt)); /* room was kept by dns_begin */
		b->len += sizeof(opt);
		put16(b->p + 10, (uint16_t)(b->count[DNS_ADDITIONAL] + 1));
	}
	return b->len;
}

size_t dns_error_reply(const struct dns_query *q, const uint8_t *msg, uint8_t *out, size_t max, int rcode)
{
	struct dns_builder b;
	dns_begin(&b, out, max, q, msg, 0, rcode == DNS_BADVERS ? 0 : rcode, rcode != DNS_FORMERR || q->qend);
	return dns_finish(&b);
}

int dns_ipv4(const char *s, uint8_t out[4])
{
	unsigned v[4];
	char tail;
	if (!s || sscanf(s, "%3u.%3u.%3u.%3u%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		if (v[i] > 255)
			return -1;
		out[i] = (uint8_t)v[i];
	}
	return isdigit((unsigned char)s[0]) ? 0 : -1;
}

size_t dns_resolv_servers(const char *text, const char *skip, char (*out)[16], size_t max)
{
	size_t n = 0;
	const char *line = text ? text : "";
	while (*line && n < max) {
		const char *end = strchr(line, '\n');
		size_t l = end ? (size_t)(end - line) : strlen(line);
		char buf[256], word[32], addr[64];
		uint8_t ip[4];
		snprintf(buf, sizeof(buf), "%.*s", (int)(l < 255 ? l : 255), line);
		if (sscanf(buf, " %31s %63s", word, addr) == 2 && strcmp(word, "nameserver") == 0 &&
		    dns_ipv4(addr, ip) == 0 && (!skip || strcmp(addr, skip) != 0)) {
			snprintf(out[n], 16, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
			n++;
		}
		line += l + (end ? 1 : 0);
	}
	return n;
}

size_t dns_truncate(uint8_t *msg, size_t len)
{
	char name[DNS_NAME_MAX];
	int esc;
	size_t off = DNS_HDR;
	if (len < DNS_HDR || get16(msg + 4) > 1)
		return 0;
	if (get16(msg + 4) == 1 && (dns_read_name(msg, len, &off, name, 0, &esc) < 0 || (off += 4) > len))
		return 0;
	msg[2] |= DNS_F_TC >> 8;
	memset(msg + 6, 0, 6);
	return off;
}
