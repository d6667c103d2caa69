/* Unit tests for agent/dns_msg.c and agent/dns_zone.c: query parsing, reply building (name
 * compression, truncation, EDNS0), and the cluster zone's answers as CoreDNS gives them. */
#include "test.h"
#include "agent/dns.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

/* Builds a query for name/qtype; edns > 0 adds an OPT record with that payload size. */
static size_t mkquery(uint8_t *out, const char *name, uint16_t qtype, uint16_t edns)
{
	size_t n = 12;
	memset(out, 0, 12);
	out[0] = 0x12, out[1] = 0x34, out[2] = 0x01, out[5] = 1, out[11] = edns ? 1 : 0;
	for (const char *p = name; *p;) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		out[n++] = (uint8_t)l;
		memcpy(out + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	out[n++] = 0;
	out[n++] = (uint8_t)(qtype >> 8), out[n++] = (uint8_t)qtype, out[n++] = 0, out[n++] = 1;
	if (edns) {
		uint8_t opt[11] = { 0, 0, 41, (uint8_t)(edns >> 8), (uint8_t)edns, 0, 0, 0, 0, 0, 0 };
		memcpy(out + n, opt, 11);
		n += 11;
	}
	return n;
}

/* A parsed reply: rcode, counts, and the answers' type/rdata text ("A 10.0.0.1", "SRV 0 100 80
 * x.y", "CNAME a.b", "PTR a.b", "SOA") joined by ";". */
struct reply {
	int rcode, tc, aa;
	int an, ns, ar;
	char text[4096];
};

static int parse_reply(const uint8_t *m, size_t len, struct reply *r)
{
	memset(r, 0, sizeof(*r));
	if (len < 12)
		return -1;
	r->rcode = m[3] & 0xf, r->tc = !!(m[2] & 2), r->aa = !!(m[2] & 4);
	r->an = m[6] << 8 | m[7], r->ns = m[8] << 8 | m[9], r->ar = m[10] << 8 | m[11];
	size_t off = 12;
	char name[DNS_NAME_MAX], t[DNS_NAME_MAX];
	int esc;
	if ((m[4] << 8 | m[5]) && (dns_read_name(m, len, &off, name, 0, &esc) < 0 || (off += 4) > len))
		return -1;
	for (int i = 0; i < r->an + r->ns + r->ar; i++) {
		if (dns_read_name(m, len, &off, name, 0, &esc) < 0 || off + 10 > len)
			return -1;
		int type = m[off] << 8 | m[off + 1], rdlen = m[off + 8] << 8 | m[off + 9];
		size_t rd = off + 10, at = strlen(r->text);
		off = rd + (size_t)rdlen;
		if (off > len)
			return -1;
		if (i >= r->an)
			continue;
		if (type == DNS_T_A)
			snprintf(r->text + at, sizeof(r->text) - at, "A %u.%u.%u.%u;", m[rd], m[rd + 1], m[rd + 2], m[rd + 3]);
		else if (type == DNS_T_SRV) {
			size_t p = rd + 6;
			if (dns_read_name(m, len, &p, t, 0, &esc) < 0)
				return -1;
			snprintf(r->text + at, sizeof(r->text) - at, "SRV %d %d %d %s;", m[rd] << 8 | m[rd + 1],
				 m[rd + 2] << 8 | m[rd + 3], m[rd + 4] << 8 | m[rd + 5], t);
		} else if (type == DNS_T_CNAME || type == DNS_T_PTR) {
			size_t p = rd;
			if (dns_read_name(m, len, &p, t, 0, &esc) < 0)
				return -1;
			snprintf(r->text + at, sizeof(r->text) - at, "%s %s;", type == DNS_T_PTR ? "PTR" : "CNAME", t);
		} else {
			snprintf(r->text + at, sizeof(r->text) - at, "T%d;", type);
		}
	}
	return off == len ? 0 : -1;
}

static cJSON *obj(const char *s)
{
	return json_parse(s, strlen(s), NULL);
}

static struct dns_zone *test_zone(void)
{
	struct dns_zone *z = dns_zone_new("cluster.local", 42);
	const char *svcs[] = {
		"{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.43.0.20\","
		"\"clusterIPs\":[\"10.43.0.20\"],\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\"}]}}",
		"{\"metadata\":{\"name\":\"db\",\"namespace\":\"prod\"},\"spec\":{\"clusterIP\":\"None\","
		"\"ports\":[{\"name\":\"pg\",\"port\":5432}]}}",
		"{\"metadata\":{\"name\":\"ext\",\"namespace\":\"default\"},\"spec\":{\"type\":\"ExternalName\","
		"\"externalName\":\"Example.ORG.\"}}",
	};
	const char *slice = "{\"metadata\":{\"name\":\"db-abc\",\"namespace\":\"prod\",\"labels\":"
			    "{\"kubernetes.io/service-name\":\"db\"}},\"addressType\":\"IPv4\",\"endpoints\":["
			    "{\"addresses\":[\"10.42.0.5\"],\"hostname\":\"db-0\",\"conditions\":{\"ready\":true}},"
			    "{\"addresses\":[\"10.42.0.6\"],\"conditions\":{}},"
			    "{\"addresses\":[\"10.42.0.7\"],\"conditions\":{\"ready\":false}}],"
			    "\"ports\":[{\"name\":\"pg\",\"protocol\":\"TCP\",\"port\":5432}]}";
	cJSON *o = obj(slice); /* the slice before its Service, as an informer may deliver it */
	dns_zone_slice(z, NULL, o);
	cJSON_Delete(o);
	for (size_t i = 0; i < ARRAY_SIZE(svcs); i++) {
		o = obj(svcs[i]);
		dns_zone_service(z, NULL, o);
		cJSON_Delete(o);
	}
	return z;
}

/* Asks the zone; returns 0 when it answered (r filled), 1 when it would forward. */
static int ask(const struct dns_zone *z, const char *name, uint16_t qtype, uint16_t edns, size_t max, struct reply *r)
{
	uint8_t q[600], out[65536];
	struct dns_query dq;
	size_t n = mkquery(q, name, qtype, edns);
	if (dns_parse_query(q, n, &dq) != 0)
		return -1;
	size_t len = dns_zone_answer(z, &dq, q, out, max);
	if (!len)
		return 1;
	return parse_reply(out, len, r) < 0 ? -1 : 0;
}

TEST_IMPL(dns_parse)
{
	uint8_t q[600];
	struct dns_query dq;
	size_t n = mkquery(q, "Web.Default.svc.cluster.local", DNS_T_A, 1232);
	ASSERT_EQ(dns_parse_query(q, n, &dq), 0);
	ASSERT_STR(dq.name, "web.default.svc.cluster.local");
	ASSERT_EQ(dq.id, 0x1234);
	ASSERT_EQ(dq.qtype, DNS_T_A);
	ASSERT(dq.edns && dq.udp_size == 1232);
	ASSERT_EQ(dns_parse_query(q, 11, &dq), -1);       /* short */
	ASSERT_EQ(dns_parse_query(q, n - 1, &dq), DNS_FORMERR); /* cut OPT */
	q[2] |= 0x80;
	ASSERT_EQ(dns_parse_query(q, n, &dq), -1);        /* a response */
	q[2] = 0x01 | (2 << 3);
	ASSERT_EQ(dns_parse_query(q, n, &dq), DNS_NOTIMP);
	q[2] = 0x01, q[5] = 2;
	ASSERT_EQ(dns_parse_query(q, n, &dq), DNS_FORMERR);
	q[5] = 1;
	q[12] = 0xc0, q[13] = 12;                         /* a pointer to itself */
	ASSERT_EQ(dns_parse_query(q, n, &dq), DNS_FORMERR);
	n = mkquery(q, "a\\b.x", DNS_T_A, 0);
	ASSERT_EQ(dns_parse_query(q, n, &dq), 0);
	ASSERT(dq.escaped);
	ASSERT_STR(dq.name, "a\\092b.x");
	n = mkquery(q, "x", DNS_T_A, 512);
	q[n - 5] = 1;                                     /* EDNS version 1 */
	ASSERT_EQ(dns_parse_query(q, n, &dq), DNS_BADVERS);
	return 0;
}

TEST_IMPL(dns_zone_services)
{
	struct dns_zone *z = test_zone();
	struct reply r;
	ASSERT_EQ(dns_zone_services(z), 3);
	ASSERT_EQ(ask(z, "web.default.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT(r.aa && r.rcode == 0);
	ASSERT_STR(r.text, "A 10.43.0.20;");
	ASSERT_EQ(ask(z, "WEB.default.SVC.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_STR(r.text, "A 10.43.0.20;");
	ASSERT_EQ(ask(z, "web.default.svc.cluster.local", DNS_T_AAAA, 0, 512, &r), 0);
	ASSERT(r.rcode == 0 && r.an == 0 && r.ns == 1);
	ASSERT_EQ(ask(z, "_http._tcp.web.default.svc.cluster.local", DNS_T_SRV, 0, 512, &r), 0);
	ASSERT_STR(r.text, "SRV 0 100 80 web.default.svc.cluster.local;");
	ASSERT_EQ(r.ar, 1);
	ASSERT_EQ(ask(z, "_http._udp.web.default.svc.cluster.local", DNS_T_SRV, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, DNS_NXDOMAIN);
	ASSERT_EQ(ask(z, "ext.default.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_STR(r.text, "CNAME example.org;");
	ASSERT_EQ(ask(z, "nope.default.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT(r.rcode == DNS_NXDOMAIN && r.ns == 1);
	ASSERT_EQ(ask(z, "default.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, 0);
	ASSERT_EQ(ask(z, "kube-system.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, DNS_NXDOMAIN);
	ASSERT_EQ(ask(z, "cluster.local", DNS_T_SOA, 0, 512, &r), 0);
	ASSERT_STR(r.text, "T6;");
	ASSERT_EQ(ask(z, "20.0.43.10.in-addr.arpa", DNS_T_PTR, 0, 512, &r), 0);
	ASSERT_STR(r.text, "PTR web.default.svc.cluster.local;");
	ASSERT_EQ(ask(z, "21.0.43.10.in-addr.arpa", DNS_T_PTR, 0, 512, &r), 1); /* unknown: forwarded */
	ASSERT_EQ(ask(z, "example.org", DNS_T_A, 0, 512, &r), 1);
	ASSERT_EQ(ask(z, "10-1-2-3.default.pod.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_STR(r.text, "A 10.1.2.3;");
	ASSERT_EQ(ask(z, "10-1-2-300.default.pod.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, DNS_NXDOMAIN);
	ASSERT_EQ(ask(z, "cluster.local", DNS_T_AXFR, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, DNS_REFUSED);
	dns_zone_free(z);
	return 0;
}

TEST_IMPL(dns_zone_headless)
{
	struct dns_zone *z = test_zone();
	struct reply r;
	ASSERT_EQ(ask(z, "db.prod.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_STR(r.text, "A 10.42.0.5;A 10.42.0.6;");
	ASSERT_EQ(ask(z, "db-0.db.prod.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_STR(r.text, "A 10.42.0.5;");
	ASSERT_EQ(ask(z, "10-42-0-7.db.prod.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, DNS_NXDOMAIN);
	ASSERT_EQ(ask(z, "_pg._tcp.db.prod.svc.cluster.local", DNS_T_SRV, 0, 512, &r), 0);
	ASSERT_STR(r.text, "SRV 0 50 5432 db-0.db.prod.svc.cluster.local;SRV 0 50 5432 10-42-0-6.db.prod.svc.cluster.local;");
	ASSERT_EQ(r.ar, 2);
	ASSERT_EQ(ask(z, "5.0.42.10.in-addr.arpa", DNS_T_PTR, 0, 512, &r), 0);
	ASSERT_STR(r.text, "PTR db-0.db.prod.svc.cluster.local;");
	/* a second slice listing an address again (a slice being replaced): answered once */
	cJSON *o2 = obj("{\"metadata\":{\"name\":\"db-def\",\"namespace\":\"prod\",\"labels\":"
			"{\"kubernetes.io/service-name\":\"db\"}},\"addressType\":\"IPv4\",\"endpoints\":["
			"{\"addresses\":[\"10.42.0.6\"]},{\"addresses\":[\"10.42.0.8\"]}]}");
	dns_zone_slice(z, NULL, o2);
	ASSERT_EQ(ask(z, "db.prod.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_EQ(r.an, 3);
	dns_zone_slice(z, o2, NULL);
	cJSON_Delete(o2);
	/* the slice deleted: no endpoints, the Service still exists */
	cJSON *o = obj("{\"metadata\":{\"name\":\"db-abc\",\"namespace\":\"prod\"}}");
	dns_zone_slice(z, o, NULL);
	cJSON_Delete(o);
	ASSERT_EQ(ask(z, "db.prod.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT(r.rcode == 0 && r.an == 0);
	ASSERT_EQ(ask(z, "5.0.42.10.in-addr.arpa", DNS_T_PTR, 0, 512, &r), 1);
	/* the Service deleted */
	o = obj("{\"metadata\":{\"name\":\"db\",\"namespace\":\"prod\"}}");
	dns_zone_service(z, o, NULL);
	cJSON_Delete(o);
	ASSERT_EQ(ask(z, "db.prod.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT_EQ(r.rcode, DNS_NXDOMAIN);
	ASSERT_EQ(dns_zone_services(z), 2);
	dns_zone_free(z);
	return 0;
}

/* Many endpoints: truncated (TC, what fits) over 512-byte UDP, complete with a larger size. */
TEST_IMPL(dns_truncation)
{
	struct dns_zone *z = dns_zone_new("cluster.local", 1);
	struct buf b = BUF_INIT;
	buf_adds(&b, "{\"metadata\":{\"name\":\"s1\",\"namespace\":\"n\",\"labels\":{\"kubernetes.io/service-name\":\"big\"}},"
		     "\"addressType\":\"IPv4\",\"endpoints\":[");
	for (int i = 0; i < 100; i++)
		buf_addf(&b, "%s{\"addresses\":[\"10.0.%d.%d\"]}", i ? "," : "", i / 250, i % 250 + 1);
	buf_adds(&b, "]}");
	cJSON *o = obj(b.data);
	dns_zone_slice(z, NULL, o);
	cJSON_Delete(o);
	o = obj("{\"metadata\":{\"name\":\"big\",\"namespace\":\"n\"},\"spec\":{\"clusterIP\":\"None\"}}");
	dns_zone_service(z, NULL, o);
	cJSON_Delete(o);
	struct reply r;
	ASSERT_EQ(ask(z, "big.n.svc.cluster.local", DNS_T_A, 0, 512, &r), 0);
	ASSERT(r.tc && r.an > 10 && r.an < 100);
	ASSERT_EQ(ask(z, "big.n.svc.cluster.local", DNS_T_A, 4096, 4096, &r), 0);
	ASSERT(!r.tc && r.an == 100 && r.ar == 1); /* the OPT record */
	dns_zone_free(z);
	buf_release(&b);
	return 0;
}

/* Names are compressed: an answer's owner name is a pointer to the question. */
TEST_IMPL(dns_compression)
{
	uint8_t q[600], out[1024];
	struct dns_query dq;
	size_t n = mkquery(q, "a.example.org", DNS_T_A, 0);
	ASSERT_EQ(dns_parse_query(q, n, &dq), 0);
	struct dns_builder b;
	dns_begin(&b, out, sizeof(out), &dq, q, DNS_F_AA, 0, 1);
	uint8_t ip[4] = { 1, 2, 3, 4 };
	struct dns_rdata rd = { .data = ip };
	ASSERT_EQ(dns_add(&b, DNS_ANSWER, "a.example.org", DNS_T_A, 5, &rd), 0);
	rd.target = "b.example.org";
	ASSERT_EQ(dns_add(&b, DNS_ANSWER, "a.example.org", DNS_T_CNAME, 5, &rd), 0);
	ASSERT(dns_add(&b, DNS_ANSWER, "bad..name", DNS_T_A, 5, &rd) < 0);
	size_t len = dns_finish(&b);
	ASSERT_EQ(out[n], 0xc0);                          /* first answer: pointer to offset 12 */
	ASSERT_EQ(out[n + 1], 12);
	ASSERT_EQ(len, n + 2 + 10 + 4 + 2 + 10 + 2 + 2); /* "b" + pointer to "example.org" */
	struct reply r;
	ASSERT_EQ(parse_reply(out, len, &r), 0);
	ASSERT_STR(r.text, "A 1.2.3.4;CNAME b.example.org;");
	/* truncating an upstream reply keeps the header and question */
	ASSERT_EQ(dns_truncate(out, len), n);
	ASSERT(out[2] & 2);
	return 0;
}

TEST_IMPL(dns_resolv_servers)
{
	char s[3][16];
	const char *text = "# x\nsearch a b\nnameserver 10.43.0.10\nnameserver 1.1.1.1\nnameserver ::1\n"
			   "nameserver 8.8.8.8\n nameserver 9.9.9.9\nnameserver 4.4.4.4\n";
	ASSERT_EQ(dns_resolv_servers(text, "10.43.0.10", s, 3), 3);
	ASSERT_STR(s[0], "1.1.1.1");
	ASSERT_STR(s[1], "8.8.8.8");
	ASSERT_STR(s[2], "9.9.9.9");
	ASSERT_EQ(dns_resolv_servers("", NULL, s, 3), 0);
	ASSERT_EQ(dns_resolv_servers(NULL, NULL, s, 3), 0);
	return 0;
}
