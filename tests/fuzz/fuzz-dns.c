/*
 * fuzz-dns.c - libFuzzer target for agent/dns_msg.c and agent/dns_zone.c.
 *
 * The first byte picks the path: even, the rest is a DNS message from a client (hostile packets):
 * parsed, answered by a small zone (or an error reply), at 512 bytes and at 64 KiB, and cut down
 * as an upstream reply would be; odd, the rest is an API object fed to the zone as a Service and
 * as an EndpointSlice (malformed objects), then a few names are asked. Beyond "no crash, no leak,
 * no UB": every reply fits its limit, starts with the query's ID and has QR set.
 */
#include "agent/dns.h"
#include "lib/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dns_zone *zone(void)
{
	static const char *const objs[] = {
		"{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"10.43.0.20\","
		"\"ports\":[{\"name\":\"http\",\"port\":80}]}}",
		"{\"metadata\":{\"name\":\"db\",\"namespace\":\"default\"},\"spec\":{\"clusterIP\":\"None\"}}",
		"{\"metadata\":{\"name\":\"db-1\",\"namespace\":\"default\",\"labels\":{\"kubernetes.io/service-name\":"
		"\"db\"}},\"addressType\":\"IPv4\",\"endpoints\":[{\"addresses\":[\"10.42.0.5\"],\"hostname\":\"db-0\"}],"
		"\"ports\":[{\"name\":\"pg\",\"port\":5432}]}",
	};
	struct dns_zone *z = dns_zone_new("cluster.local", 1);
	for (size_t i = 0; i < 3; i++) {
		cJSON *o = json_parse(objs[i], strlen(objs[i]), NULL);
		if (i < 2)
			dns_zone_service(z, NULL, o);
		else
			dns_zone_slice(z, NULL, o);
		cJSON_Delete(o);
	}
	return z;
}

static void check_reply(const uint8_t *q, const uint8_t *out, size_t len, size_t max)
{
	if (len > max || len < DNS_HDR || out[0] != q[0] || out[1] != q[1] || !(out[2] & 0x80))
		abort();
}

static void answer(struct dns_zone *z, const uint8_t *msg, size_t len)
{
	static uint8_t out[65536];
	struct dns_query q;
	int r = dns_parse_query(msg, len, &q);
	size_t sizes[] = { DNS_UDP_MIN, 65535 };
	for (size_t i = 0; i < 2 && r >= 0; i++) {
		size_t n = r > 0 ? dns_error_reply(&q, msg, out, sizes[i], r) : dns_zone_answer(z, &q, msg, out, sizes[i]);
		if (n)
			check_reply(msg, out, n, sizes[i]);
	}
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, msg, len);
	size_t n = dns_truncate(copy, len);
	if (n > len)
		abort();
	free(copy);
}

static void ask(struct dns_zone *z, const char *name)
{
	uint8_t q[300] = { 0xab, 0xcd, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	size_t n = DNS_HDR;
	for (const char *p = name; *p;) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		q[n++] = (uint8_t)l;
		memcpy(q + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	q[n++] = 0, q[n++] = 0, q[n++] = 255, q[n++] = 0, q[n++] = 1; /* ANY */
	answer(z, q, n);
	q[n - 3] = 33; /* SRV */
	answer(z, q, n);
}

static void objects(struct dns_zone *z, const uint8_t *data, size_t size)
{
	cJSON *o = json_parse((const char *)data, size, NULL);
	if (!o)
		return;
	dns_zone_service(z, NULL, o);
	dns_zone_slice(z, NULL, o);
	const char *names[] = { "web.default.svc.cluster.local", "db.default.svc.cluster.local",
				"_pg._tcp.db.default.svc.cluster.local", "x.default.svc.cluster.local",
				"20.0.43.10.in-addr.arpa", "5.0.42.10.in-addr.arpa" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ask(z, names[i]);
	const char *ns = json_strv(o, "metadata", "namespace", NULL), *name = json_strv(o, "metadata", "name", NULL);
	if (ns && name && strlen(ns) + strlen(name) < 200) {
		char buf[300];
		snprintf(buf, sizeof(buf), "%s.%s.svc.cluster.local", name, ns);
		ask(z, buf);
	}
	dns_zone_service(z, o, NULL);
	dns_zone_slice(z, o, NULL);
	cJSON_Delete(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct dns_zone *z = zone();
	if (data[0] & 1)
		objects(z, data + 1, size - 1);
	else
		answer(z, data + 1, size - 1);
	dns_zone_free(z);
	return 0;
}
