/*
 * test-net.c - the pure parts of the pod network (agent/net_ipam.c, net_node.c): the
 * round-robin address search, the host-local style files (in a temporary directory), a
 * Node's routing data read from good and malformed objects, and link names.
 */
#include "test.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "agent/net.h"
#include "lib/json.h"
#include "lib/util.h"

struct used {
	const uint64_t *offs;
	size_t n;
};

static int is_used(void *arg, uint64_t off)
{
	const struct used *u = arg;
	for (size_t i = 0; i < u->n; i++)
		if (u->offs[i] == off)
			return 1;
	return 0;
}

TEST_IMPL(net_ipam_next)
{
	struct used none = { NULL, 0 };
	/* a /24: 256 addresses; 0, 1 (gateway) and 255 are never given */
	ASSERT_EQ(net_ipam_next(256, 0, is_used, &none), 2);
	ASSERT_EQ(net_ipam_next(256, 2, is_used, &none), 3);
	ASSERT_EQ(net_ipam_next(256, 253, is_used, &none), 254);
	ASSERT_EQ(net_ipam_next(256, 254, is_used, &none), 2); /* wraps: a released address comes back */
	uint64_t taken[] = { 3, 4, 6 };
	struct used some = { taken, 3 };
	ASSERT_EQ(net_ipam_next(256, 2, is_used, &some), 5);
	ASSERT_EQ(net_ipam_next(256, 5, is_used, &some), 7);
	/* a /30: only offset 2 can be given */
	ASSERT_EQ(net_ipam_next(4, 0, is_used, &none), 2);
	uint64_t two[] = { 2 };
	struct used full = { two, 1 };
	ASSERT_EQ(net_ipam_next(4, 2, is_used, &full), -1);
	ASSERT_EQ(net_ipam_next(2, 0, is_used, &none), -1);
	return 0;
}

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/kube-test-net-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? xstrdup(d) : NULL;
}

static void rm_dir(const char *base)
{
	char *cmd = xasprintf("rm -rf '%s'", base);
	if (system(cmd) != 0)
		fprintf(stderr, "  cannot remove %s\n", base);
	free(cmd);
}

TEST_IMPL(net_ipam_files)
{
	struct cidr c;
	struct buf err = BUF_INIT;
	char ip[46], ip2[46], ip3[46];
	char *base = tmpdir();
	ASSERT(base);
	ASSERT_EQ(cidr_parse("10.42.3.0/30", &c), 0);
	char *dir = net_ipam_dir(base, &c);
	ASSERT(ends_with(dir, "/10.42.3.0_30"));
	ASSERT_EQ(net_ipam_alloc(dir, &c, "uid-a", ip, &err), 0);
	ASSERT_STR(ip, "10.42.3.2");
	/* the same pod again gets its address back */
	ASSERT_EQ(net_ipam_alloc(dir, &c, "uid-a", ip2, &err), 0);
	ASSERT_STR(ip2, "10.42.3.2");
	ASSERT_EQ(net_ipam_find(dir, "uid-a", ip3), 0);
	ASSERT_STR(ip3, "10.42.3.2");
	/* the range is full for another pod */
	ASSERT_EQ(net_ipam_alloc(dir, &c, "uid-b", ip2, &err), -ENOSPC);
	ASSERT(strstr(buf_str(&err), "no address left"));
	ASSERT_EQ(net_ipam_release(dir, "uid-a"), 1);
	ASSERT_EQ(net_ipam_find(dir, "uid-a", ip3), -ENOENT);
	ASSERT_EQ(net_ipam_alloc(dir, &c, "uid-b", ip2, &err), 0);
	ASSERT_STR(ip2, "10.42.3.2");
	free(dir);
	/* a /24: round robin after the last one given; reclaim keeps the pods asked for */
	ASSERT_EQ(cidr_parse("10.42.4.0/24", &c), 0);
	dir = net_ipam_dir(base, &c);
	ASSERT_EQ(net_ipam_alloc(dir, &c, "p1", ip, &err), 0);
	ASSERT_EQ(net_ipam_alloc(dir, &c, "p2", ip2, &err), 0);
	ASSERT_STR(ip, "10.42.4.2");
	ASSERT_STR(ip2, "10.42.4.3");
	ASSERT_EQ(net_ipam_release(dir, "p1"), 1);
	ASSERT_EQ(net_ipam_alloc(dir, &c, "p3", ip3, &err), 0);
	ASSERT_STR(ip3, "10.42.4.4"); /* not .2 again at once */
	ASSERT_EQ(net_ipam_release(dir, "nobody"), 0);
	free(dir);
	/* IPv6 and tiny networks are refused with a message */
	ASSERT_EQ(cidr_parse("10.42.5.0/31", &c), 0);
	dir = net_ipam_dir(base, &c);
	buf_reset(&err);
	ASSERT(net_ipam_alloc(dir, &c, "x", ip, &err) < 0 && err.len);
	free(dir);
	rm_dir(base);
	free(base);
	buf_release(&err);
	return 0;
}

static cJSON *parse(const char *s)
{
	return json_parse(s, strlen(s), NULL);
}

TEST_IMPL(net_remote_of)
{
	cJSON *n = parse("{\"metadata\":{\"name\":\"n1\",\"annotations\":{\"flannel.alpha.coreos.com/backend-data\":"
			 "\"{\\\"VNI\\\":1,\\\"VtepMAC\\\":\\\"aa:bb:cc:dd:ee:0f\\\"}\"}},"
			 "\"spec\":{\"podCIDR\":\"10.42.1.0/24\"},"
			 "\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"h\"},"
			 "{\"type\":\"InternalIP\",\"address\":\"fd00::1\"},{\"type\":\"InternalIP\",\"address\":\"192.168.1.5\"}]}}");
	ASSERT(n);
	struct net_remote *r = net_remote_of(n);
	ASSERT(r);
	ASSERT_STR(r->cidr, "10.42.1.0/24");
	ASSERT_STR(r->ip, "192.168.1.5");
	ASSERT_STR(r->mac, "aa:bb:cc:dd:ee:0f");
	net_remote_free(r);
	cJSON_Delete(n);
	/* malformed or missing pieces */
	static const char *const bad[] = {
		"{}",
		"{\"spec\":{\"podCIDR\":\"10.42.1.0/24\"}}",
		"{\"spec\":{\"podCIDR\":\"nonsense\"},"
		"\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"1.2.3.4\"}]}}",
		"{\"spec\":{\"podCIDR\":7},\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"1.2.3.4\"}]}}",
		"{\"spec\":{\"podCIDR\":\"10.42.1.0/24\"},\"status\":{\"addresses\":\"x\"}}",
		"{\"spec\":{\"podCIDR\":\"10.42.1.0/24\"},"
		"\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"999.1.1.1\"}]}}",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		n = parse(bad[i]);
		ASSERT(n);
		ASSERT(net_remote_of(n) == NULL);
		cJSON_Delete(n);
	}
	static const char *const bad_mac[] = { "\"not json\"", "\"[1]\"", "\"{\\\"VtepMAC\\\":5}\"",
					       "\"{\\\"VtepMAC\\\":\\\"zz:bb:cc:dd:ee:ff\\\"}\"", "42" };
	for (size_t i = 0; i < ARRAY_SIZE(bad_mac); i++) {
		char *s = xasprintf("{\"metadata\":{\"annotations\":{\"flannel.alpha.coreos.com/backend-data\":%s}},"
				    "\"spec\":{\"podCIDR\":\"10.42.1.0/24\"},"
				    "\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"1.2.3.4\"}]}}", bad_mac[i]);
		n = parse(s);
		free(s);
		ASSERT(n);
		r = net_remote_of(n);
		ASSERT(r && r->mac == NULL);
		net_remote_free(r);
		cJSON_Delete(n);
	}
	return 0;
}

TEST_IMPL(net_names)
{
	char a[16], b[16], base[46];
	net_veth_name("kube", "0b5f3c2e-1111-2222-3333-444455556666", a);
	ASSERT_EQ(strlen(a), 15); /* kube + v + 10 hex digits */
	ASSERT(starts_with(a, "kubev"));
	net_veth_name("kube", "0b5f3c2e-1111-2222-3333-444455556667", b);
	ASSERT(strcmp(a, b) != 0);
	net_veth_name("kt1a2b3c", "0b5f3c2e-1111-2222-3333-444455556666", a);
	ASSERT_EQ(strlen(a), 15);
	ASSERT(starts_with(a, "kt1a2b3cv"));
	net_veth_name("kt1a2b3c", "0b5f3c2e-1111-2222-3333-444455556666", b);
	ASSERT_STR(a, b); /* stable across restarts */
	ASSERT_EQ(net_cidr_base("10.42.7.0/24", base), 0);
	ASSERT_STR(base, "10.42.7.0");
	ASSERT(net_cidr_base("fd00::/64", base) < 0);
	ASSERT(net_cidr_base(NULL, base) < 0);
	return 0;
}
