/*
 * dns.h - the cluster DNS server of the agent: DNS messages (dns_msg.c, pure), the cluster zone
 * answered from the Service and EndpointSlice caches (dns_zone.c, pure) and the server itself
 * (dns.c: listeners, forwarder, the PREFIX+"dns" link; its hooks are declared in internal.h).
 *
 * Names are handled in presentation form without the final dot ("web.default.svc.cluster.local";
 * "" is the root). A label that holds a dot, a backslash or a byte outside printable ASCII is
 * escaped as \DDD, so such names never match anything of the cluster zone.
 */
#ifndef KUBE_AGENT_DNS_H
#define KUBE_AGENT_DNS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

enum dns_type {
	DNS_T_A = 1, DNS_T_NS = 2, DNS_T_CNAME = 5, DNS_T_SOA = 6, DNS_T_PTR = 12, DNS_T_MX = 15, DNS_T_TXT = 16,
	DNS_T_AAAA = 28, DNS_T_SRV = 33, DNS_T_OPT = 41, DNS_T_IXFR = 251, DNS_T_AXFR = 252, DNS_T_ANY = 255,
};
enum dns_rcode {
	DNS_NOERROR = 0, DNS_FORMERR = 1, DNS_SERVFAIL = 2, DNS_NXDOMAIN = 3, DNS_NOTIMP = 4, DNS_REFUSED = 5,
	DNS_BADVERS = 16, /* extended: needs an OPT record */
};
#define DNS_CLASS_IN 1
#define DNS_HDR 12
#define DNS_NAME_MAX 1024 /* presentation form, escapes included */
#define DNS_UDP_MIN 512   /* UDP payload without EDNS0 */
#define DNS_UDP_MAX 4096  /* the largest EDNS0 payload this server offers */
#define DNS_TTL 5         /* CoreDNS's kubernetes plugin default */

/* Header flag bits (the 16-bit word after the ID). */
#define DNS_F_QR 0x8000
#define DNS_F_AA 0x0400
#define DNS_F_TC 0x0200
#define DNS_F_RD 0x0100
#define DNS_F_RA 0x0080
#define DNS_F_CD 0x0010
#define DNS_OPCODE(flags) (((flags) >> 11) & 0xf)

/* One parsed query. */
struct dns_query {
	uint16_t id, flags;
	char name[DNS_NAME_MAX];  /* the question name, lowercased, escaped as above */
	int escaped;              /* name holds an escape */
	uint16_t qtype, qclass;
	size_t qstart, qend;      /* the question's bytes in the message (copied into replies) */
	int edns;                 /* an OPT record came along */
	uint16_t udp_size;        /* what the client accepts over UDP (512 without EDNS0) */
	uint8_t edns_version;
	int do_bit;               /* DNSSEC OK */
};

/* Parses a query. Returns 0 with q filled; a positive rcode (DNS_FORMERR, DNS_NOTIMP,
 * DNS_BADVERS) when the message is a query that gets that error (q->id, q->flags and, when the
 * question parsed, the question bytes are set); or -1 when nothing must be sent back (shorter
 * than a header, or a response). Never reads outside msg[0..len). */
int dns_parse_query(const uint8_t *msg, size_t len, struct dns_query *q);

/* Reads the name at *off of msg (compression pointers followed, loops refused) into out
 * (DNS_NAME_MAX) in the form above, lowercased when lower. Advances *off past the name in place.
 * Returns 0, or -1 when malformed. */
int dns_read_name(const uint8_t *msg, size_t len, size_t *off, char *out, int lower, int *escaped);

enum dns_section { DNS_ANSWER, DNS_AUTHORITY, DNS_ADDITIONAL };

/* Builds a reply into a caller's buffer, compressing names. Records go in section order; one
 * that does not fit is left out: in the answer or authority section that sets TC, in the
 * additional section it is only dropped (RFC 2181 9). */
struct dns_builder {
	uint8_t *p;
	size_t len, max;
	int truncated, section, edns, full;
	uint16_t count[3];
	const struct dns_query *q;
	size_t ncomp;
	struct { uint16_t off; uint16_t at; } comp[64]; /* a written name suffix: its offset in p
							   and where its text starts in names */
	char names[2048];
	size_t names_len;
};

/* Starts a reply to q (msg is the query, for its question bytes) in out[0..max) (max at least
 * 512): the ID, QR, opcode, RD and CD of the query, flags (DNS_F_AA, DNS_F_RA), rcode (its low 4
 * bits; DNS_BADVERS goes into the OPT record), the question when withq. An OPT record is added by
 * dns_finish when the query had one; room for it is kept. */
void dns_begin(struct dns_builder *b, uint8_t *out, size_t max, const struct dns_query *q, const uint8_t *msg,
	       uint16_t flags, int rcode, int withq);
/* Adds a record. rdata by type: A (4 bytes in data), AAAA (16), CNAME/PTR/NS (target name),
 * SRV (prio, weight, port and target), SOA (mname = target, rname = target2, serial, and
 * 7200 1800 86400 ttl as CoreDNS). Returns 0, or -1 when it did not fit or a name is invalid. */
struct dns_rdata {
	const uint8_t *data;
	const char *target, *target2;
	uint16_t prio, weight, port;
	uint32_t serial;
};
int dns_add(struct dns_builder *b, enum dns_section sec, const char *name, uint16_t type, uint32_t ttl,
	    const struct dns_rdata *rd);
/* Writes the counts (and TC) and the OPT record; returns the length of the reply. */
size_t dns_finish(struct dns_builder *b);

/* Writes an error reply (rcode, the question when it parsed) for q into out; returns its length. */
size_t dns_error_reply(const struct dns_query *q, const uint8_t *msg, uint8_t *out, size_t max, int rcode);

/* Cuts a reply in place down to its header and question, with TC set (for a UDP client that
 * takes less than the reply's size). Returns the new length, or 0 when the reply is malformed. */
size_t dns_truncate(uint8_t *msg, size_t len);

/* Parses dotted-quad IPv4 text into 4 bytes. Returns 0 or -1. */
int dns_ipv4(const char *s, uint8_t out[4]);

/* ---- the cluster zone (dns_zone.c) ------------------------------------------------------- */

struct dns_zone;

/* A zone for domain ("cluster.local") with SOA serial serial. Freed with dns_zone_free. */
struct dns_zone *dns_zone_new(const char *domain, uint32_t serial);
void dns_zone_free(struct dns_zone *z);
/* Follows a Service / EndpointSlice change (old NULL: added; obj NULL: deleted). Objects are
 * borrowed; malformed ones are ignored (a change to one removes what its old state made). */
void dns_zone_service(struct dns_zone *z, const cJSON *old, const cJSON *obj);
void dns_zone_slice(struct dns_zone *z, const cJSON *old, const cJSON *obj);
/* Answers q (a query parsed from msg) when its name is in the cluster zone, or a reverse name
 * of a known ClusterIP or endpoint address: writes the reply into out[0..max) and returns its
 * length (> 0). Returns 0 when the query is not the zone's (to be forwarded). */
size_t dns_zone_answer(const struct dns_zone *z, const struct dns_query *q, const uint8_t *msg, uint8_t *out,
		       size_t max);
/* The number of Services and of endpoint addresses indexed (for tests and logs). */
size_t dns_zone_services(const struct dns_zone *z);

/* Reads the nameservers of a resolv.conf text (IPv4 only, at most max, skipping skip) into out
 * (each 16 bytes, dotted quad). Returns how many. */
size_t dns_resolv_servers(const char *text, const char *skip, char (*out)[16], size_t max);

#endif
