/*
 * cidr.c - IPv4/IPv6 networks.
 */
#include "cidr.h"
#include "util.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

int cidr_parse(const char *s, struct cidr *out)
{
	char ip[64];
	const char *slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -KUBE_EINVAL;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, ip, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, ip, out->addr) == 1)
		out->family = AF_INET6;
	else
		return -KUBE_EINVAL;
	int64_t p;
	if (parse_int64(slash + 1, 0, addr_len(out->family) * 8, &p) < 0)
		return -KUBE_EINVAL;
	out->prefix = (int)p;
	for (int bit = out->prefix; bit < addr_len(out->family) * 8; bit++)
		if (out->addr[bit / 8] & (0x80 >> (bit % 8)))
			return -KUBE_EINVAL;
	return 0;
}

int cidr_overlap(const struct cidr *a, const struct cidr *b)
{
	if (a->family != b->family)
		return 0;
	int p = MIN(a->prefix, b->prefix);
	for (int bit = 0; bit < p; bit++) {
		int x = a->addr[bit / 8] & (0x80 >> (bit % 8)), y = b->addr[bit / 8] & (0x80 >> (bit % 8));
		if (x != y)
			return 0;
	}
	return 1;
}

void cidr_format(const struct cidr *c, char *out, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(c->family, c->addr, ip, sizeof(ip));
	snprintf(out, len, "%s/%d", ip, c->prefix);
}

int cidr_nth(const struct cidr *c, uint64_t n, char *out, size_t len)
{
	int alen = addr_len(c->family), host_bits = alen * 8 - c->prefix;
	if (host_bits < 64 && n >= ((uint64_t)1 << host_bits))
		return -KUBE_EINVAL;
	unsigned char a[16];
	memcpy(a, c->addr, sizeof(a));
	for (int i = alen - 1; i >= 0 && n; i--) {
		unsigned sum = a[i] + (unsigned)(n & 0xff);
		a[i] = (unsigned char)sum;
		n = (n >> 8) + (sum >> 8);
	}
	if (!inet_ntop(c->family, a, out, (socklen_t)len))
		return -KUBE_EINVAL;
	return 0;
}

int ip_valid(const char *s)
{
	unsigned char a[16];
	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}
