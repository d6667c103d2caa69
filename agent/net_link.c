/*
 * net_link.c - the pod network's netlink calls through libnl-route-3: the bridge, veth pairs,
 * addresses, the vxlan device, routes, neighbour and FDB entries, and sysctls.
 *
 * DESIGN
 * Each function is one or a few quick kernel calls on a socket the caller owns; the socket
 * belongs to the network namespace of the thread that opened it, which is how the pod's side is
 * configured (a helper thread enters the pod's namespace, opens a socket there). Creating is
 * idempotent where a restarted agent meets its own leftovers: an existing bridge is adopted,
 * an address or route already present counts as success. Errors are libnl's, negated, and
 * turned into text by net_link_strerror.
 */
#include "agent/net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

struct nl_sock *net_link_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void net_link_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

const char *net_link_strerror(int err)
{
	return nl_geterror(err < 0 ? -err : err);
}

int net_link_index(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *l = NULL;
	int r = rtnl_link_get_kernel(sk, 0, name, &l);
	if (r < 0)
		return r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV ? -ENODEV : r;
	int idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return idx;
}

/* Applies change (flags, mtu) to ifindex. */
static int link_change(struct nl_sock *sk, int ifindex, unsigned flags, unsigned mtu)
{
	struct rtnl_link *orig = NULL, *ch = rtnl_link_alloc();
	int r = rtnl_link_get_kernel(sk, ifindex, NULL, &orig);
	if (r >= 0) {
		if (flags)
			rtnl_link_set_flags(ch, flags);
		if (mtu)
			rtnl_link_set_mtu(ch, mtu);
		r = rtnl_link_change(sk, orig, ch, 0);
		rtnl_link_put(orig);
	}
	rtnl_link_put(ch);
	return r;
}

int net_link_up(struct nl_sock *sk, int ifindex)
{
	return link_change(sk, ifindex, IFF_UP, 0);
}

int net_link_set_mtu(struct nl_sock *sk, int ifindex, unsigned mtu)
{
	return link_change(sk, ifindex, 0, mtu);
}

int net_link_del(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *l = rtnl_link_alloc();
	rtnl_link_set_name(l, name);
	int r = rtnl_link_delete(sk, l);
	rtnl_link_put(l);
	return r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV ? 0 : r;
}

int net_link_mac(struct nl_sock *sk, int ifindex, char mac[18])
{
	struct rtnl_link *l = NULL;
	int r = rtnl_link_get_kernel(sk, ifindex, NULL, &l);
	if (r < 0)
		return r;
	struct nl_addr *a = rtnl_link_get_addr(l);
	const unsigned char *b = a ? nl_addr_get_binary_addr(a) : NULL;
	if (!b || nl_addr_get_len(a) != 6) {
		rtnl_link_put(l);
		return -NLE_NOADDR;
	}
	snprintf(mac, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	rtnl_link_put(l);
	return 0;
}

unsigned net_link_mtu_of(struct nl_sock *sk, const char *ip)
{
	struct nl_cache *cache = NULL;
	struct nl_addr *want = NULL;
	unsigned mtu = 0;
	if (nl_addr_parse(ip, AF_UNSPEC, &want) < 0)
		return 0;
	if (rtnl_addr_alloc_cache(sk, &cache) < 0) {
		nl_addr_put(want);
		return 0;
	}
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *loc = rtnl_addr_get_local(a);
		if (!loc || nl_addr_get_family(loc) != nl_addr_get_family(want) ||
		    memcmp(nl_addr_get_binary_addr(loc), nl_addr_get_binary_addr(want), nl_addr_get_len(want)))
			continue;
		struct rtnl_link *l = NULL;
		if (rtnl_link_get_kernel(sk, rtnl_addr_get_ifindex(a), NULL, &l) >= 0) {
			if (!(rtnl_link_get_flags(l) & IFF_LOOPBACK))
				mtu = rtnl_link_get_mtu(l);
			rtnl_link_put(l);
		}
		break;
	}
	nl_cache_free(cache);
	nl_addr_put(want);
	return mtu;
}

int net_link_addr_add(struct nl_sock *sk, int ifindex, const char *cidr)
{
	struct nl_addr *local = NULL;
	int r = nl_addr_parse(cidr, AF_INET, &local);
	if (r < 0)
		return r;
	struct rtnl_addr *a = rtnl_addr_alloc();
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_local(a, local);
	r = rtnl_addr_add(sk, a, 0);
	rtnl_addr_put(a);
	nl_addr_put(local);
	return r == -NLE_EXIST ? 0 : r;
}

int net_link_bridge(struct nl_sock *sk, const char *name, unsigned mtu, const char *addr, struct buf *err)
{
	int idx = net_link_index(sk, name);
	if (idx == -ENODEV) {
		struct rtnl_link *l = rtnl_link_bridge_alloc();
		rtnl_link_set_name(l, name);
		if (mtu)
			rtnl_link_set_mtu(l, mtu);
		int r = rtnl_link_add(sk, l, NLM_F_CREATE);
		rtnl_link_put(l);
		if (r < 0 && r != -NLE_EXIST) {
			buf_addf(err, "cannot create bridge %s: %s", name, net_link_strerror(r));
			return r;
		}
		idx = net_link_index(sk, name);
	} else if (idx >= 0 && mtu) {
		net_link_set_mtu(sk, idx, mtu);
	}
	if (idx < 0) {
		buf_addf(err, "bridge %s: %s", name, net_link_strerror(idx));
		return idx;
	}
	int r = net_link_addr_add(sk, idx, addr);
	if (r >= 0)
		r = net_link_up(sk, idx);
	if (r < 0) {
		buf_addf(err, "bridge %s: address %s: %s", name, addr, net_link_strerror(r));
		return r;
	}
	return idx;
}

int net_link_veth(struct nl_sock *sk, const char *host, const char *peer, int ns_fd, unsigned mtu)
{
	struct rtnl_link *l = rtnl_link_veth_alloc();
	if (!l)
		return -NLE_NOMEM;
	struct rtnl_link *p = rtnl_link_veth_get_peer(l);
	rtnl_link_set_name(l, host);
	rtnl_link_set_name(p, peer);
	rtnl_link_set_ns_fd(p, ns_fd);
	if (mtu) {
		rtnl_link_set_mtu(l, mtu);
		rtnl_link_set_mtu(p, mtu);
	}
	int r = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(p);
	rtnl_link_veth_release(l);
	return r == -NLE_EXIST ? -EEXIST : r;
}

/* Sets hairpin mode on bridge port ifindex: RTM_SETLINK, family AF_BRIDGE, IFLA_PROTINFO. */
static int port_hairpin(struct nl_sock *sk, int ifindex)
{
	struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE, .ifi_index = ifindex };
	struct nl_msg *m = nlmsg_alloc_simple(RTM_SETLINK, NLM_F_REQUEST);
	int r = -NLE_NOMEM;
	if (!m)
		return r;
	if (nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		goto out;
	struct nlattr *nest = nla_nest_start(m, IFLA_PROTINFO | NLA_F_NESTED);
	if (!nest || nla_put_u8(m, IFLA_BRPORT_MODE, 1) < 0)
		goto out;
	nla_nest_end(m, nest);
	r = nl_send_auto(sk, m);
	if (r >= 0)
		r = nl_wait_for_ack(sk);
out:
	nlmsg_free(m);
	return r;
}

int net_link_attach(struct nl_sock *sk, int ifindex, int br)
{
	int r = rtnl_link_enslave_ifindex(sk, br, ifindex);
	if (r >= 0)
		r = port_hairpin(sk, ifindex);
	if (r >= 0)
		r = net_link_up(sk, ifindex);
	return r;
}

/* The ifindex of vxlan device name when it exists with these settings (a previous run's, which
 * keeps its MAC), else -1. */
static int vxlan_adopt(struct nl_sock *sk, const char *name, uint32_t vni, unsigned port, const struct nl_addr *local)
{
	struct rtnl_link *l = NULL;
	struct nl_addr *la = NULL;
	uint32_t id = 0, p = 0;
	int idx = -1;
	if (rtnl_link_get_kernel(sk, 0, name, &l) < 0)
		return -1;
	if (rtnl_link_is_vxlan(l) && rtnl_link_vxlan_get_id(l, &id) >= 0 && id == vni &&
	    rtnl_link_vxlan_get_port(l, &p) >= 0 && p == port && rtnl_link_vxlan_get_local(l, &la) >= 0 &&
	    !nl_addr_cmp(la, local))
		idx = rtnl_link_get_ifindex(l);
	nl_addr_put(la);
	rtnl_link_put(l);
	return idx;
}

int net_link_vxlan(struct nl_sock *sk, const char *name, uint32_t vni, unsigned port, const char *local,
		   unsigned mtu, struct buf *err)
{
	struct nl_addr *la = NULL;
	int r = nl_addr_parse(local, AF_INET, &la);
	if (r < 0) {
		buf_addf(err, "vxlan: bad local address %s", local);
		return r;
	}
	int idx = vxlan_adopt(sk, name, vni, port, la);
	if (idx > 0) {
		nl_addr_put(la);
		if (mtu)
			net_link_set_mtu(sk, idx, mtu);
		return (r = net_link_up(sk, idx)) < 0 ? r : idx;
	}
	/* a leftover with other settings (another local address) is replaced */
	net_link_del(sk, name);
	struct rtnl_link *l = rtnl_link_vxlan_alloc();
	rtnl_link_set_name(l, name);
	rtnl_link_vxlan_set_id(l, vni);
	rtnl_link_vxlan_set_port(l, port);
	rtnl_link_vxlan_set_local(l, la);
	rtnl_link_vxlan_set_learning(l, 0);
	if (mtu)
		rtnl_link_set_mtu(l, mtu);
	r = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(l);
	nl_addr_put(la);
	idx = r < 0 ? r : net_link_index(sk, name);
	if (idx >= 0 && (r = net_link_up(sk, idx)) < 0)
		idx = r;
	if (idx < 0)
		buf_addf(err, "cannot create vxlan device %s (VNI %u, port %u): %s", name, vni, port,
			 net_link_strerror(idx));
	return idx;
}

int net_link_route(struct nl_sock *sk, int add, const char *dst, const char *gw, int ifindex, int onlink, int proto)
{
	struct nl_addr *d = NULL, *g = NULL;
	int r = nl_addr_parse(dst, AF_INET, &d);
	if (r < 0 || (gw && (r = nl_addr_parse(gw, AF_INET, &g)) < 0)) {
		nl_addr_put(d);
		return r;
	}
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	rtnl_route_set_family(rt, AF_INET);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, (uint8_t)proto);
	rtnl_route_set_dst(rt, d);
	if (g && add)
		rtnl_route_set_scope(rt, RT_SCOPE_UNIVERSE);
	if (g)
		rtnl_route_nh_set_gateway(nh, g);
	else if (add)
		rtnl_route_set_scope(rt, RT_SCOPE_LINK);
	if (ifindex > 0)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(rt, nh);
	if (add) {
		r = rtnl_route_add(sk, rt, NLM_F_CREATE | NLM_F_REPLACE);
	} else {
		r = rtnl_route_delete(sk, rt, 0);
		if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NOADDR || r == -NLE_NODEV)
			r = 0;
	}
	rtnl_route_put(rt);
	nl_addr_put(d);
	nl_addr_put(g);
	return r;
}

int net_link_routes(struct nl_sock *sk, int proto, void (*fn)(void *arg, const char *dst), void *arg)
{
	struct nl_cache *cache = NULL;
	int r = rtnl_route_alloc_cache(sk, AF_INET, 0, &cache);
	if (r < 0)
		return r;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *rt = (struct rtnl_route *)o;
		char d[64];
		if (rtnl_route_get_table(rt) != RT_TABLE_MAIN || rtnl_route_get_protocol(rt) != proto ||
		    !rtnl_route_get_dst(rt))
			continue;
		nl_addr2str(rtnl_route_get_dst(rt), d, sizeof(d));
		fn(arg, d);
	}
	nl_cache_free(cache);
	return 0;
}

/* An address parsed for a neighbour entry (family AF_INET or AF_LLC for a MAC). */
static int neigh_op(struct nl_sock *sk, int add, int family, int ifindex, const char *ip, const char *mac)
{
	struct nl_addr *dst = NULL, *ll = NULL;
	int r = nl_addr_parse(ip, AF_INET, &dst);
	if (r < 0 || (r = nl_addr_parse(mac, AF_LLC, &ll)) < 0) {
		nl_addr_put(dst);
		return r;
	}
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	rtnl_neigh_set_ifindex(n, ifindex);
	rtnl_neigh_set_dst(n, dst); /* sets the family from dst: the family comes after it */
	rtnl_neigh_set_family(n, family);
	rtnl_neigh_set_lladdr(n, ll);
	rtnl_neigh_set_state(n, NUD_PERMANENT);
	if (family == AF_BRIDGE)
		rtnl_neigh_set_flags(n, NTF_SELF);
	if (add) {
		r = rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE);
	} else {
		r = rtnl_neigh_delete(sk, n, 0);
		if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV)
			r = 0;
	}
	rtnl_neigh_put(n);
	nl_addr_put(dst);
	nl_addr_put(ll);
	return r;
}

int net_link_neigh(struct nl_sock *sk, int add, int ifindex, const char *ip, const char *mac)
{
	return neigh_op(sk, add, AF_INET, ifindex, ip, mac);
}

int net_link_fdb(struct nl_sock *sk, int add, int ifindex, const char *mac, const char *ip)
{
	return neigh_op(sk, add, AF_BRIDGE, ifindex, ip, mac);
}

int net_sysctl(const char *path, const char *value)
{
	char p[256];
	snprintf(p, sizeof(p), "/proc/sys/%s", path);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, value, strlen(value));
	int r = n < 0 ? -errno : 0;
	close(fd);
	return r;
}
