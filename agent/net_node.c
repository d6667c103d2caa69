/*
 * net_node.c - the pure parts of the pod network: a remote Node's routing data (podCIDR,
 * InternalIP, VTEP MAC from flannel's annotation) read defensively from an API object, and the
 * names of host links. Unit-tested (tests/unit/test-net.c).
 */
#include "agent/net.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/util.h"

void net_veth_name(const char *prefix, const char *uid, char out[16])
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (const char *p = uid; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	char hex[17], tmp[64];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	int digits = 15 - (int)strlen(prefix) - 1;
	digits = digits > 10 ? 10 : digits < 1 ? 1 : digits;
	snprintf(tmp, sizeof(tmp), "%.20sv%.*s", prefix, digits, hex);
	snprintf(out, 16, "%.15s", tmp);
}

int net_cidr_base(const char *cidr, char out[46])
{
	struct cidr c;
	if (!cidr || cidr_parse(cidr, &c) < 0 || c.family != AF_INET)
		return -1;
	return cidr_nth(&c, 0, out, 46);
}

/* Whether s is a MAC address "aa:bb:cc:dd:ee:ff" (hex digits, either case). */
static int mac_valid(const char *s)
{
	if (!s || strlen(s) != 17)
		return 0;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The first IPv4 InternalIP of a Node, or NULL (borrowed). */
static const char *internal_ip(const cJSON *node)
{
	const cJSON *ad;
	cJSON_ArrayForEach(ad, json_getv(node, "status", "addresses", NULL)) {
		const char *t = json_str(ad, "type"), *v = json_str(ad, "address");
		struct in_addr x;
		if (t && v && !strcmp(t, "InternalIP") && inet_pton(AF_INET, v, &x) == 1)
			return v;
	}
	return NULL;
}

struct net_remote *net_remote_of(const cJSON *node)
{
	const char *cidr = json_strv(node, "spec", "podCIDR", NULL), *ip = internal_ip(node);
	char base[46];
	if (!cidr || !ip || net_cidr_base(cidr, base) < 0)
		return NULL;
	struct net_remote *r = xcalloc(1, sizeof(*r));
	r->cidr = xstrdup(cidr);
	r->ip = xstrdup(ip);
	const char *data = json_strv(node, "metadata", "annotations", "flannel.alpha.coreos.com/backend-data", NULL);
	cJSON *bd = data ? cJSON_Parse(data) : NULL;
	const char *mac = cJSON_IsObject(bd) ? json_str(bd, "VtepMAC") : NULL;
	if (mac_valid(mac))
		r->mac = xstrdup(mac);
	cJSON_Delete(bd);
	return r;
}

void net_remote_free(struct net_remote *r)
{
	if (!r)
		return;
	free(r->cidr);
	free(r->ip);
	free(r->mac);
	free(r);
}
