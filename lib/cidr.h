/*
 * cidr.h - IPv4/IPv6 networks: parsing, overlap, formatting, the n-th address.
 */
#ifndef KUBE_CIDR_H
#define KUBE_CIDR_H

#include <stddef.h>
#include <stdint.h>

struct cidr {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network address, host bits cleared (4 bytes used for IPv4) */
	int prefix;
};

/* Parses "10.42.0.0/16" or "fd00::/64". Host bits must be zero, as Go's net.ParseCIDR callers
 * in Kubernetes require for these flags. Returns 0 or -KUBE_EINVAL. */
int cidr_parse(const char *s, struct cidr *out);
/* Returns 1 if the two networks share any address. */
int cidr_overlap(const struct cidr *a, const struct cidr *b);
/* Writes "10.42.0.0/16" into out (at least 50 bytes). */
void cidr_format(const struct cidr *c, char *out, size_t len);
/* Writes the address at offset n within the network ("10.43.0.1" for n = 1) into out (at least
 * 46 bytes). Returns 0, or -KUBE_EINVAL if n is outside the network. */
int cidr_nth(const struct cidr *c, uint64_t n, char *out, size_t len);
/* Returns 1 if s is a valid IPv4 or IPv6 address. */
int ip_valid(const char *s);

#endif
