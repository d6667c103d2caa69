/*
 * net.h - what the files of the pod network (agent/net*.c) share: the netlink helpers
 * (net_link.c) and the address allocator (net_ipam.c). The pod worker's interface is in
 * agent/internal.h ("network: the pod network's interface").
 */
#ifndef KUBE_AGENT_NET_H
#define KUBE_AGENT_NET_H

#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/cidr.h"

struct nl_sock;

/* The routing protocol number our routes carry (rtm_protocol), so that a restarted agent finds
 * the routes a previous run left (within its own cluster CIDR only). */
#define NET_RTPROT 75

/* ---- net_link.c: netlink (libnl-route-3); each call is one or a few quick kernel calls ---- */

/* Opens a NETLINK_ROUTE socket in the calling thread's network namespace. NULL on failure. */
struct nl_sock *net_link_open(void);
void net_link_close(struct nl_sock *sk);

/* The ifindex of link name, or a negative error (-ENODEV when absent). */
int net_link_index(struct nl_sock *sk, const char *name);
/* Sets IFF_UP on ifindex. 0 or a negative error. */
int net_link_up(struct nl_sock *sk, int ifindex);
/* Sets the MTU of ifindex. 0 or a negative error. */
int net_link_set_mtu(struct nl_sock *sk, int ifindex, unsigned mtu);
/* Deletes link name; 0 also when it does not exist. */
int net_link_del(struct nl_sock *sk, const char *name);
/* The MTU of the (non-loopback) interface that holds address ip, or 0 when none does. */
unsigned net_link_mtu_of(struct nl_sock *sk, const char *ip);
/* The hardware address of ifindex as "aa:bb:cc:dd:ee:ff" into mac (18 bytes). 0 or error. */
int net_link_mac(struct nl_sock *sk, int ifindex, char mac[18]);

/* Creates (or adopts) bridge name with mtu, adds addr ("10.42.0.1/24") and sets it up.
 * Returns its ifindex, or a negative error with a message in err. */
int net_link_bridge(struct nl_sock *sk, const char *name, unsigned mtu, const char *addr, struct buf *err);
/* Adds address cidr ("10.42.0.5/24") to ifindex; 0 also when it is there already. */
int net_link_addr_add(struct nl_sock *sk, int ifindex, const char *cidr);
/* Creates a veth pair: host in this namespace, peer named peer in the namespace of ns_fd, both
 * with mtu. 0 or a negative error (-EEXIST when host exists). */
int net_link_veth(struct nl_sock *sk, const char *host, const char *peer, int ns_fd, unsigned mtu);
/* Attaches ifindex to bridge br with hairpin mode on, and sets it up. 0 or an error. */
int net_link_attach(struct nl_sock *sk, int ifindex, int br);
/* Creates (or replaces) vxlan device name: vni, UDP port, local address, no learning, mtu, up.
 * Returns its ifindex or a negative error with a message in err. */
int net_link_vxlan(struct nl_sock *sk, const char *name, uint32_t vni, unsigned port, const char *local,
		   unsigned mtu, struct buf *err);

/* Adds (replacing) or deletes a route to dst ("10.42.1.0/24", or "default") via gw (may be NULL)
 * on ifindex (0: any), with RTNH_F_ONLINK when onlink, protocol proto. Deleting a route that
 * does not exist is 0. */
int net_link_route(struct nl_sock *sk, int add, const char *dst, const char *gw, int ifindex, int onlink, int proto);
/* Calls fn for every IPv4 route of the main table with protocol proto: its destination
 * ("10.42.1.0/24"). */
int net_link_routes(struct nl_sock *sk, int proto, void (*fn)(void *arg, const char *dst), void *arg);
/* Adds (replacing) or deletes a permanent neighbour entry ip -> mac on ifindex. */
int net_link_neigh(struct nl_sock *sk, int add, int ifindex, const char *ip, const char *mac);
/* Adds (replacing) or deletes a permanent FDB entry mac -> remote ip on vxlan ifindex. */
int net_link_fdb(struct nl_sock *sk, int add, int ifindex, const char *mac, const char *ip);

/* Writes value to /proc/sys/<path> (this thread's namespace for net.*). 0 or -errno. */
int net_sysctl(const char *path, const char *value);
/* A printable message for a negative error of the functions above. */
const char *net_link_strerror(int err);

/* ---- net_node.c: pure helpers ------------------------------------------------------------- */

#include <cjson/cJSON.h>

/* A remote node's routing data. Owned by whoever holds it (net_remote_free). */
struct net_remote {
	char *cidr;               /* its spec.podCIDR (IPv4) */
	char *ip;                 /* its first IPv4 InternalIP */
	char *mac;                /* its VTEP MAC from flannel's backend-data annotation, or NULL */
};

/* The routing data of a Node object, or NULL when it has no IPv4 podCIDR or InternalIP (yet).
 * A malformed annotation only leaves mac NULL. The caller frees the result. */
struct net_remote *net_remote_of(const cJSON *node);
void net_remote_free(struct net_remote *r);
/* The network address of an IPv4 CIDR ("10.42.1.0/24" -> "10.42.1.0"). 0, or -1 when cidr is
 * not an IPv4 network. */
int net_cidr_base(const char *cidr, char out[46]);
/* The host-side veth name of pod uid: prefix + "v" + hex digits of a hash of the uid, as many as
 * fit in 15 characters (at most 10). */
void net_veth_name(const char *prefix, const char *uid, char out[16]);

/* ---- net_ipam.c: host-local style allocation under DATA/agent/net/ipam/<cidr>/ ---------- */

/* Pure: the next free offset in an IPv4 network of size n addresses (n >= 4), round-robin after
 * last: offsets 0 (network), 1 (gateway) and n-1 (broadcast) are never given; used(arg, off)
 * says whether an offset is taken. Returns the offset, or -1 when the range is full. */
int64_t net_ipam_next(uint64_t n, uint64_t last, int (*used)(void *arg, uint64_t off), void *arg);

/* The IPAM directory of pod CIDR c (malloc'd): DIR/<10.42.0.0_24>. */
char *net_ipam_dir(const char *base, const struct cidr *c);
/* Gives pod uid an address in c (its own again when it holds one): ip gets "10.42.0.5".
 * Files: one per address named by it, holding the uid (written atomically, created
 * exclusively), and "last_reserved_ip.0". Blocking (small files): not on the loop. 0 or a
 * negative error with a message in err. */
int net_ipam_alloc(const char *dir, const struct cidr *c, const char *uid, char ip[46], struct buf *err);
/* Releases the addresses held by uid. Blocking (small files). Returns how many. */
int net_ipam_release(const char *dir, const char *uid);
/* Releases every address whose holder keep(arg, uid) does not want. Blocking. Returns how
 * many were released. */
int net_ipam_reclaim(const char *dir, int (*keep)(void *arg, const char *uid), void *arg);
/* The address held by uid into ip, or -ENOENT. */
int net_ipam_find(const char *dir, const char *uid, char ip[46]);

#endif
