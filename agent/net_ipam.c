/*
 * net_ipam.c - pod addresses from the node's podCIDR, persisted like CNI's host-local plugin.
 *
 * DESIGN
 * DATA/agent/net/ipam/<network>_<prefix>/ holds one file per address given, named by the
 * address ("10.42.0.5") and holding the pod's uid, plus "last_reserved_ip.0" with the address
 * given last. A file is written whole to a temporary name, then link()ed to its address name,
 * which fails when the address is taken: two allocations never share an address, and a crash
 * leaves either no file or a complete one. The next address is searched round-robin after the
 * last one given (so a released address is not handed out again at once); the network address,
 * the gateway (the first address) and the broadcast address are never given. A pod asking
 * again gets the address it holds (an agent restart while the pod runs). The search itself is
 * pure (net_ipam_next) and unit-tested. IPv4 only.
 */
#include "agent/net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"

#define LAST_FILE "last_reserved_ip.0"

int64_t net_ipam_next(uint64_t n, uint64_t last, int (*used)(void *arg, uint64_t off), void *arg)
{
	if (n < 4)
		return -1;
	uint64_t off = last;
	for (uint64_t i = 0; i < n; i++) {
		off = (off + 1) % n;
		if (off < 2 || off == n - 1)
			continue;
		if (!used(arg, off))
			return (int64_t)off;
	}
	return -1;
}

char *net_ipam_dir(const char *base, const struct cidr *c)
{
	char s[64];
	cidr_format(c, s, sizeof(s));
	char *slash = strchr(s, '/');
	if (slash)
		*slash = '_';
	return xasprintf("%s/%s", base, s);
}

/* The offset of IPv4 address ip in c, or -1 when outside. */
static int64_t ip_offset(const struct cidr *c, const char *ip)
{
	struct in_addr a;
	uint32_t net, v;
	if (c->family != AF_INET || inet_pton(AF_INET, ip, &a) != 1)
		return -1;
	memcpy(&net, c->addr, 4);
	net = ntohl(net);
	v = ntohl(a.s_addr);
	uint64_t size = 1ull << (32 - c->prefix);
	if (v < net || (uint64_t)(v - net) >= size)
		return -1;
	return v - net;
}

/* Reads the uid held in file dir/name into out (at most len-1 characters). 0 or -1. */
static int read_holder(const char *dir, const char *name, char *out, size_t len)
{
	char *p = xasprintf("%s/%s", dir, name), *data = NULL;
	size_t n = 0;
	int r = read_file(p, &data, &n);
	free(p);
	if (r < 0)
		return -1;
	while (n && (data[n - 1] == '\n' || data[n - 1] == '\r' || data[n - 1] == ' '))
		n--;
	snprintf(out, len, "%.*s", (int)n, data);
	free(data);
	return 0;
}

/* An address file name: a dotted IPv4 address. */
static int is_addr_name(const char *name)
{
	struct in_addr a;
	return inet_pton(AF_INET, name, &a) == 1;
}

int net_ipam_find(const char *dir, const char *uid, char ip[46])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = -ENOENT;
	if (!d)
		return -ENOENT;
	while (r < 0 && (e = readdir(d))) {
		char holder[128];
		if (is_addr_name(e->d_name) && read_holder(dir, e->d_name, holder, sizeof(holder)) == 0 &&
		    !strcmp(holder, uid)) {
			snprintf(ip, 46, "%.45s", e->d_name);
			r = 0;
		}
	}
	closedir(d);
	return r;
}

struct probe {
	const char *dir;
	const struct cidr *c;
};

/* Whether the address at offset off has a file. */
static int addr_used(void *arg, uint64_t off)
{
	struct probe *p = arg;
	char ip[46], path[512];
	struct stat st;
	if (cidr_nth(p->c, off, ip, sizeof(ip)) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/%s", p->dir, ip);
	return lstat(path, &st) == 0;
}

/* Claims address ip for uid: its file is linked from a complete temporary file. 0, -EEXIST
 * (taken meanwhile) or another error. */
static int claim(const char *dir, const char *ip, const char *uid)
{
	char *tmp = xasprintf("%s/.tmp-%s", dir, uid), *path = xasprintf("%s/%s", dir, ip);
	int r = write_file_atomic(tmp, uid, strlen(uid), 0600);
	if (r >= 0 && link(tmp, path) < 0)
		r = -errno;
	unlink(tmp);
	free(tmp);
	free(path);
	return r;
}

int net_ipam_alloc(const char *dir, const struct cidr *c, const char *uid, char ip[46], struct buf *err)
{
	char last[64] = "";
	if (c->family != AF_INET || c->prefix > 30) {
		buf_addf(err, "pod CIDR: only IPv4 networks of at least 4 addresses are supported");
		return -EINVAL;
	}
	int r = mkdir_p(dir, 0700);
	if (r < 0) {
		buf_addf(err, "cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	if (net_ipam_find(dir, uid, ip) == 0)
		return 0;
	int64_t off = read_holder(dir, LAST_FILE, last, sizeof(last)) == 0 ? ip_offset(c, last) : -1;
	uint64_t n = 1ull << (32 - c->prefix);
	struct probe p = { dir, c };
	for (int tries = 0; tries < 64; tries++) {
		int64_t next = net_ipam_next(n, off < 0 ? 0 : (uint64_t)off, addr_used, &p);
		if (next < 0) {
			buf_addf(err, "no address left in the pod CIDR");
			return -ENOSPC;
		}
		cidr_nth(c, (uint64_t)next, ip, 46);
		r = claim(dir, ip, uid);
		if (r == 0) {
			char *lp = xasprintf("%s/%s", dir, LAST_FILE);
			write_file_atomic(lp, ip, strlen(ip), 0600);
			free(lp);
			return 0;
		}
		if (r != -EEXIST) {
			buf_addf(err, "cannot record address %s: %s", ip, strerror(-r));
			return r;
		}
		off = next;
	}
	buf_addf(err, "no address could be claimed");
	return -EAGAIN;
}

int net_ipam_reclaim(const char *dir, int (*keep)(void *arg, const char *uid), void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char holder[128];
		if (!is_addr_name(e->d_name) || read_holder(dir, e->d_name, holder, sizeof(holder)) < 0)
			continue;
		if (keep(arg, holder))
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		if (unlink(p) == 0)
			n++;
		free(p);
	}
	closedir(d);
	return n;
}

struct one {
	const char *uid;
};

static int keep_others(void *arg, const char *uid)
{
	struct one *o = arg;
	return strcmp(o->uid, uid) != 0;
}

int net_ipam_release(const char *dir, const char *uid)
{
	struct one o = { uid };
	return net_ipam_reclaim(dir, keep_others, &o);
}
