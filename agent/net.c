/*
 * net.c - the pod network: the node's bridge, a veth per pod, addresses from the node's
 * podCIDR, and routes to the other nodes' podCIDRs (flannel's host-gw and vxlan backends, as
 * k3s runs them; "none" leaves the routes to someone else).
 *
 * DESIGN
 * Host state is named from the resource prefix: the bridge PREFIX"br" holding the gateway (the
 * first address of the podCIDR), the vxlan device PREFIX"vx", and each pod's host-side veth
 * PREFIX"v"<hex of a hash of the pod uid> (15 characters at most; the pod side is eth0).
 * Routes this part adds carry protocol NET_RTPROT, so that leftovers of a crashed run within
 * the cluster CIDR are found and replaced.
 *
 * The bridge is made (or adopted) as soon as this node's podCIDR is known (our Node seen by the
 * informer), with the node interface's MTU (minus 50 with vxlan), and the sysctls the data path
 * needs; until then net_ready says why the node is not Ready.
 *
 * A pod's setup runs on a thread of its own (net_pod_setup): it takes an address (net_ipam.c),
 * creates the veth pair with the peer created directly in the pod's namespace as eth0, attaches
 * the host end to the bridge with hairpin mode (a pod reaching itself through a Service), then
 * enters the pod's namespace (setns on that thread only; the thread ends there) to give eth0
 * its address and the default route via the gateway. Setup is idempotent: a pod set up by a
 * previous run keeps its veth and address. The result comes back to the loop through an async
 * handle. Teardown (delete the veth, release the address) runs on the thread pool.
 *
 * Remote nodes (from the Node informer): for every other node with spec.podCIDR and an
 * InternalIP, host-gw routes the podCIDR via that address; vxlan routes it via the remote's
 * network address on the vxlan device (onlink), with a permanent neighbour entry (that address
 * -> the remote VTEP MAC from its flannel.alpha.coreos.com/backend-data annotation) and an FDB
 * entry (the MAC -> its InternalIP). This node publishes its own VTEP MAC in the same
 * annotations with a merge patch of its Node. net_synced removes routes of nodes that are gone
 * and reclaims addresses of pods that have no sandbox any more.
 *
 * Stop: nothing is removed while pod sandboxes remain (running pods keep their network across a
 * restart); with none left, the bridge, the vxlan device, the routes and the IPAM files go.
 */
#include "agent/internal.h"
#include "agent/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cri/cri.h"
#include "lib/hmap.h"

#define VXLAN_VNI 1
#define VXLAN_PORT 8472
#define VXLAN_OVERHEAD 50
#define ANN "flannel.alpha.coreos.com/"

/* The pod network's state (a->net_state). Owned by the agent; on its loop, except what the
 * helper threads read (copied into their op) and the IPAM lock. */
struct net {
	struct agent *a;
	struct nl_sock *sk;       /* the loop thread's netlink socket (the agent's namespace) */
	char bridge[16], vxname[16];
	char *backend;            /* "vxlan", "host-gw" or "none" */
	char *cidr_str;           /* our podCIDR, once known */
	struct cidr cidr;
	char gw[46];              /* the gateway: first address of the podCIDR */
	unsigned mtu;
	int br_index;             /* > 0 once the bridge is up */
	char *br_error;           /* why the bridge could not be made */
	int vx_index;             /* > 0 once the vxlan device is up */
	char vtep_mac[18];
	int annotated, annotating;
	char *ipam_base, *ipam_dir;
	uv_mutex_t ipam_lock;
	struct hmap remotes;      /* node name -> struct net_remote */
	int ops;                  /* setups and teardowns in flight */
	int stopping;
	void (*stopped)(struct agent *a);
};

static struct net *get_net(struct agent *a)
{
	return a ? a->net_state : NULL;
}

/* ---- the bridge --------------------------------------------------------------------------- */

static void vxlan_setup(struct net *n);

/* Sets up the bridge once the podCIDR is known (idempotent). */
static void bridge_setup(struct net *n)
{
	struct agent *a = n->a;
	struct buf err = BUF_INIT;
	char addr[64];
	if (n->br_index > 0 || !n->cidr_str || n->stopping)
		return;
	const char *node_ip = a->cfg->n_node_ips ? a->cfg->node_ips[0] : "127.0.0.1";
	unsigned mtu = net_link_mtu_of(n->sk, node_ip);
	if (!mtu || mtu > 9000)
		mtu = 1500;
	if (!strcmp(n->backend, "vxlan"))
		mtu -= VXLAN_OVERHEAD;
	n->mtu = mtu;
	snprintf(addr, sizeof(addr), "%s/%d", n->gw, n->cidr.prefix);
	int r = net_link_bridge(n->sk, n->bridge, mtu, addr, &err);
	free(n->br_error);
	n->br_error = NULL;
	if (r < 0) {
		n->br_error = xstrdup(buf_str(&err));
		log_error("net: %s", buf_str(&err));
		buf_release(&err);
		return;
	}
	n->br_index = r;
	if ((r = net_sysctl("net/ipv4/ip_forward", "1")) < 0)
		log_warn("net: cannot set net.ipv4.ip_forward: %s", strerror(-r));
	r = net_sysctl("net/bridge/bridge-nf-call-iptables", "1");
	if (r < 0 && r != -ENOENT)
		log_warn("net: cannot set net.bridge.bridge-nf-call-iptables: %s", strerror(-r));
	log_info("net: bridge %s up with %s (mtu %u, backend %s)", n->bridge, addr, mtu, n->backend);
	buf_release(&err);
	vxlan_setup(n);
	node_status_now(a);
}

int net_ready(struct agent *a, struct buf *why)
{
	struct net *n = get_net(a);
	if (!n || n->br_index > 0)
		return 1;
	buf_addf(why, "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
		 "message:%s", n->br_error ? n->br_error : n->cidr_str ? "the pod network is being set up" :
		 "the node has no podCIDR yet");
	return 0;
}

/* ---- vxlan and the Node's annotations ----------------------------------------------------- */

static void annotated(const struct rest_result *res, void *data)
{
	struct net *n = data;
	n->annotating = 0;
	if (res->err || res->code < 200 || res->code >= 300) {
		if (!n->stopping)
			log_warn("net: cannot annotate node %s (%d): %s", n->a->cfg->node_name, res->code, res->message);
		return;
	}
	n->annotated = 1;
}

/* The annotations this node publishes, as flannel does. */
static cJSON *own_annotations(const struct net *n)
{
	cJSON *ann = cJSON_CreateObject();
	const struct agent_config *cfg = n->a->cfg;
	int vx = !strcmp(n->backend, "vxlan");
	char data[96];
	if (vx)
		snprintf(data, sizeof(data), "{\"VNI\":%d,\"VtepMAC\":\"%s\"}", VXLAN_VNI, n->vtep_mac);
	json_set_str(ann, ANN "backend-type", n->backend);
	json_set_str(ann, ANN "backend-data", vx ? data : "null");
	json_set_str(ann, ANN "kube-subnet-manager", "true");
	json_set_str(ann, ANN "public-ip", cfg->n_node_ips ? cfg->node_ips[0] : "127.0.0.1");
	return ann;
}

/* Patches our Node's annotations when node (our Node as last seen, may be NULL) lacks them. */
static void annotate(struct net *n, const cJSON *node)
{
	if (n->annotating || n->stopping || !strcmp(n->backend, "none") || (!strcmp(n->backend, "vxlan") && !n->vx_index))
		return;
	cJSON *want = own_annotations(n), *have = json_getv(node, "metadata", "annotations", NULL), *it;
	int same = node != NULL;
	cJSON_ArrayForEach(it, want) {
		const char *v = json_str(have, it->string);
		if (!v || strcmp(v, it->valuestring))
			same = 0;
	}
	if (same || (n->annotated && !node)) {
		cJSON_Delete(want);
		return;
	}
	cJSON *patch = cJSON_CreateObject();
	json_set(json_obj_force(patch, "metadata"), "annotations", want);
	char *path = xasprintf("/api/v1/nodes/%s", n->a->cfg->node_name);
	n->annotating = 1;
	if (rest_patch(n->a->api, path, REST_PATCH_MERGE, patch, annotated, n) < 0)
		n->annotating = 0;
	free(path);
	cJSON_Delete(patch);
}

static int remote_add(const char *key, void *value, void *data);

static void vxlan_setup(struct net *n)
{
	struct buf err = BUF_INIT;
	char addr[64], net_addr[46];
	if (strcmp(n->backend, "vxlan") || n->vx_index > 0 || !n->cidr_str)
		return;
	const char *local = n->a->cfg->n_node_ips ? n->a->cfg->node_ips[0] : "127.0.0.1";
	int r = net_link_vxlan(n->sk, n->vxname, VXLAN_VNI, VXLAN_PORT, local, n->mtu, &err);
	if (r < 0) {
		log_error("net: %s; pods on other nodes are not reachable", buf_str(&err));
		buf_release(&err);
		return;
	}
	n->vx_index = r;
	cidr_nth(&n->cidr, 0, net_addr, sizeof(net_addr));
	snprintf(addr, sizeof(addr), "%s/32", net_addr);
	if ((r = net_link_addr_add(n->sk, n->vx_index, addr)) < 0)
		log_warn("net: %s: address %s: %s", n->vxname, addr, net_link_strerror(r));
	if (net_link_mac(n->sk, n->vx_index, n->vtep_mac) < 0)
		log_warn("net: %s has no MAC address", n->vxname);
	log_info("net: vxlan device %s (VNI %d, port %d, local %s, VtepMAC %s)", n->vxname, VXLAN_VNI, VXLAN_PORT,
		 local, n->vtep_mac);
	annotate(n, n->a->nodes ? rest_informer_get(n->a->nodes, NULL, n->a->cfg->node_name) : NULL);
	hmap_each(&n->remotes, remote_add, n); /* nodes seen before the device existed */
	buf_release(&err);
}

/* ---- remote nodes --------------------------------------------------------------------------- */

/* Installs (add) or removes the routes and entries of remote r. */
static int remote_apply(struct net *n, const struct net_remote *r, int add)
{
	char base[46];
	int e = 0;
	if (!strcmp(n->backend, "host-gw"))
		return net_link_route(n->sk, add, r->cidr, r->ip, 0, 0, NET_RTPROT);
	if (strcmp(n->backend, "vxlan") || n->vx_index <= 0 || !r->mac || net_cidr_base(r->cidr, base) < 0)
		return 0;
	if (add) {
		if ((e = net_link_neigh(n->sk, 1, n->vx_index, base, r->mac)) >= 0 &&
		    (e = net_link_fdb(n->sk, 1, n->vx_index, r->mac, r->ip)) >= 0)
			e = net_link_route(n->sk, 1, r->cidr, base, n->vx_index, 1, NET_RTPROT);
		return e;
	}
	net_link_route(n->sk, 0, r->cidr, base, n->vx_index, 1, NET_RTPROT);
	net_link_neigh(n->sk, 0, n->vx_index, base, r->mac);
	net_link_fdb(n->sk, 0, n->vx_index, r->mac, r->ip);
	return 0;
}

static int remote_add(const char *key, void *value, void *data)
{
	const struct net_remote *r = value;
	int e = remote_apply(data, r, 1);
	if (e < 0)
		log_warn("net: route to node %s (%s via %s): %s", key, r->cidr, r->ip, net_link_strerror(e));
	return 0;
}

static int str_eq(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/* Brings remote node name in step with its object (NULL: deleted). */
static void remote_sync(struct net *n, const char *name, const cJSON *node)
{
	struct net_remote *want = node ? net_remote_of(node) : NULL, *have = hmap_get(&n->remotes, name);
	if (want && have && str_eq(want->cidr, have->cidr) && str_eq(want->ip, have->ip) && str_eq(want->mac, have->mac)) {
		net_remote_free(want);
		return;
	}
	if (have) {
		remote_apply(n, have, 0);
		net_remote_free(hmap_del(&n->remotes, name));
	}
	if (!want)
		return;
	int r = remote_apply(n, want, 1);
	if (r < 0)
		log_warn("net: route to node %s (%s via %s): %s", name, want->cidr, want->ip, net_link_strerror(r));
	else
		log_info("net: node %s: %s via %s (%s)", name, want->cidr, want->ip, n->backend);
	hmap_put(&n->remotes, name, want);
}

static void own_node(struct net *n, const cJSON *node)
{
	const char *cidr = json_strv(node, "spec", "podCIDR", NULL);
	if (cidr && !n->cidr_str) {
		struct cidr c;
		if (cidr_parse(cidr, &c) < 0 || c.family != AF_INET || c.prefix > 30) {
			log_error("net: podCIDR %s is not a usable IPv4 network", cidr);
			return;
		}
		n->cidr = c;
		n->cidr_str = xstrdup(cidr);
		cidr_nth(&c, 1, n->gw, sizeof(n->gw));
		n->ipam_dir = net_ipam_dir(n->ipam_base, &c);
	}
	bridge_setup(n);
	annotate(n, node);
}

void net_changed(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj)
{
	struct net *n = get_net(a);
	if (!n || n->stopping || kind != AGENT_NODE)
		return;
	const char *name = json_strv(obj ? obj : old, "metadata", "name", NULL);
	if (!name)
		return;
	if (!strcmp(name, a->cfg->node_name)) {
		if (obj)
			own_node(n, obj);
		return;
	}
	if (strcmp(n->backend, "none"))
		remote_sync(n, name, obj);
}

/* ---- pod setup (a thread per pod) ------------------------------------------------------------ */

struct setup {
	struct net *n;
	uv_thread_t tid;
	uv_async_t async;
	char *uid, *netns, *ipam_dir;
	struct cidr cidr;
	char host[16], gw[46], ip[46];
	int br_index;
	unsigned mtu;
	int err;
	struct buf msg;
	void (*done)(void *arg, int err, const char *msg, const char *ip);
	void *arg;
};

/* The pod side, in the pod's namespace (this thread only; it ends afterwards). */
static int setup_inside(struct setup *s, int ns_fd)
{
	char addr[64];
	if (setns(ns_fd, CLONE_NEWNET) < 0) {
		buf_addf(&s->msg, "cannot enter %s: %s", s->netns, strerror(errno));
		return -errno;
	}
	struct nl_sock *sk = net_link_open();
	if (!sk) {
		buf_addf(&s->msg, "cannot open a netlink socket in %s", s->netns);
		return -EIO;
	}
	int lo = net_link_index(sk, "lo"), eth = net_link_index(sk, "eth0"), r = eth;
	snprintf(addr, sizeof(addr), "%s/%d", s->ip, s->cidr.prefix);
	if (lo > 0)
		net_link_up(sk, lo);
	if (r >= 0 && (r = net_link_addr_add(sk, eth, addr)) >= 0 && (r = net_link_up(sk, eth)) >= 0)
		r = net_link_route(sk, 1, "default", s->gw, eth, 0, RTPROT_BOOT);
	if (r < 0)
		buf_addf(&s->msg, "eth0 in %s: %s", s->netns, net_link_strerror(r));
	net_link_close(sk);
	return r < 0 ? -EIO : 0;
}

/* The host side: the veth pair (adopted when it exists) attached to the bridge. */
static int setup_host(struct setup *s, int ns_fd)
{
	struct nl_sock *sk = net_link_open();
	if (!sk) {
		buf_addf(&s->msg, "cannot open a netlink socket");
		return -EIO;
	}
	int idx = net_link_index(sk, s->host), r = 0;
	if (idx == -ENODEV) {
		r = net_link_veth(sk, s->host, "eth0", ns_fd, s->mtu);
		idx = r < 0 ? r : net_link_index(sk, s->host);
	}
	if (idx >= 0)
		r = net_link_attach(sk, idx, s->br_index);
	else
		r = idx;
	if (r < 0)
		buf_addf(&s->msg, "veth %s: %s", s->host, net_link_strerror(r));
	net_link_close(sk);
	return r < 0 ? -EIO : 0;
}

static void setup_thread(void *arg)
{
	struct setup *s = arg;
	int ns_fd = open(s->netns, O_RDONLY | O_CLOEXEC);
	if (ns_fd < 0) {
		s->err = -errno;
		buf_addf(&s->msg, "cannot open %s: %s", s->netns, strerror(errno));
		goto out;
	}
	uv_mutex_lock(&s->n->ipam_lock);
	s->err = net_ipam_alloc(s->ipam_dir, &s->cidr, s->uid, s->ip, &s->msg);
	uv_mutex_unlock(&s->n->ipam_lock);
	if (s->err >= 0)
		s->err = setup_host(s, ns_fd);
	if (s->err >= 0)
		s->err = setup_inside(s, ns_fd);
	close(ns_fd);
out:
	uv_async_send(&s->async);
}

static void op_done(struct net *n);

static void setup_freed(uv_handle_t *h)
{
	struct setup *s = h->data;
	struct net *n = s->n;
	free(s->uid);
	free(s->netns);
	free(s->ipam_dir);
	buf_release(&s->msg);
	free(s);
	op_done(n);
}

static void setup_finished(uv_async_t *h)
{
	struct setup *s = h->data;
	uv_thread_join(&s->tid);
	if (s->err < 0)
		log_warn("net: pod %s: %s", s->uid, buf_str(&s->msg));
	else
		log_debug("net: pod %s: %s on %s", s->uid, s->ip, s->host);
	s->done(s->arg, s->err, buf_str(&s->msg), s->err < 0 ? NULL : s->ip);
	uv_close((uv_handle_t *)&s->async, setup_freed);
}

int net_pod_setup(struct agent *a, const char *uid, const char *netns_path,
		  void (*done)(void *arg, int err, const char *msg, const char *ip), void *arg, struct buf *err)
{
	struct net *n = get_net(a);
	if (!n || n->stopping || n->br_index <= 0 || !n->ipam_dir) {
		buf_adds(err, "the pod network is not ready yet");
		return -EAGAIN;
	}
	if (!netns_path || !uid || !*uid) {
		buf_adds(err, "the sandbox has no network namespace");
		return -EINVAL;
	}
	struct setup *s = xcalloc(1, sizeof(*s));
	s->n = n;
	s->uid = xstrdup(uid);
	s->netns = xstrdup(netns_path);
	s->ipam_dir = xstrdup(n->ipam_dir);
	s->cidr = n->cidr;
	snprintf(s->gw, sizeof(s->gw), "%s", n->gw);
	net_veth_name(a->cfg->resource_prefix, uid, s->host);
	s->br_index = n->br_index;
	s->mtu = n->mtu;
	s->msg = (struct buf)BUF_INIT;
	s->done = done;
	s->arg = arg;
	uv_async_init(a->loop, &s->async, setup_finished);
	s->async.data = s;
	n->ops++;
	int r = uv_thread_create(&s->tid, setup_thread, s);
	if (r < 0) {
		buf_addf(err, "cannot start a thread: %s", uv_strerror(r));
		s->done = NULL;
		uv_close((uv_handle_t *)&s->async, setup_freed);
		return r;
	}
	return 0;
}

/* ---- pod teardown (thread pool) -------------------------------------------------------------- */

struct teardown {
	uv_work_t req;
	struct net *n;
	char *uid, *ipam_dir;
	char host[16];
	int err;
	char msg[200];
	void (*done)(void *arg, int err, const char *msg);
	void *arg;
};

static void teardown_work(uv_work_t *req)
{
	struct teardown *t = req->data;
	struct nl_sock *sk = net_link_open();
	int r = sk ? net_link_del(sk, t->host) : 0;
	if (!sk) {
		t->err = -EIO;
		snprintf(t->msg, sizeof(t->msg), "cannot delete %s: no netlink socket", t->host);
	} else if (r < 0) {
		t->err = -EIO;
		snprintf(t->msg, sizeof(t->msg), "cannot delete %s: %s", t->host, net_link_strerror(r));
	}
	net_link_close(sk);
	if (t->ipam_dir) {
		uv_mutex_lock(&t->n->ipam_lock);
		net_ipam_release(t->ipam_dir, t->uid);
		uv_mutex_unlock(&t->n->ipam_lock);
	}
}

static void teardown_done(uv_work_t *req, int status)
{
	struct teardown *t = req->data;
	struct net *n = t->n;
	UNUSED(status);
	if (t->err < 0)
		log_warn("net: pod %s: %s", t->uid, t->msg);
	t->done(t->arg, t->err, t->msg);
	free(t->uid);
	free(t->ipam_dir);
	free(t);
	op_done(n);
}

int net_pod_teardown(struct agent *a, const char *uid, void (*done)(void *arg, int err, const char *msg), void *arg)
{
	struct net *n = get_net(a);
	if (!n || !uid)
		return -EINVAL;
	struct teardown *t = xcalloc(1, sizeof(*t));
	t->n = n;
	t->uid = xstrdup(uid);
	t->ipam_dir = n->ipam_dir ? xstrdup(n->ipam_dir) : NULL;
	net_veth_name(a->cfg->resource_prefix, uid, t->host);
	t->done = done;
	t->arg = arg;
	t->req.data = t;
	n->ops++;
	int r = uv_queue_work(a->loop, &t->req, teardown_work, teardown_done);
	if (r < 0) {
		n->ops--;
		free(t->uid);
		free(t->ipam_dir);
		free(t);
	}
	return r;
}

/* ---- start, resync, stop --------------------------------------------------------------------- */

int net_start(struct agent *a, struct buf *err)
{
	const char *prefix = a->cfg->resource_prefix;
	const char *backend = a->flannel_backend && *a->flannel_backend ? a->flannel_backend : "vxlan";
	if (strlen(prefix) > 10) {
		buf_addf(err, "the resource prefix \"%s\" is longer than 10 characters: link names would exceed 15", prefix);
		return -EINVAL;
	}
	if (strcmp(backend, "vxlan") && strcmp(backend, "host-gw") && strcmp(backend, "none")) {
		buf_addf(err, "unknown flannel backend \"%s\"", backend);
		return -EINVAL;
	}
	struct nl_sock *sk = net_link_open();
	if (!sk) {
		buf_adds(err, "cannot open a netlink socket");
		return -EIO;
	}
	struct net *n = xcalloc(1, sizeof(*n));
	n->a = a;
	n->sk = sk;
	n->backend = xstrdup(backend);
	snprintf(n->bridge, sizeof(n->bridge), "%sbr", prefix);
	snprintf(n->vxname, sizeof(n->vxname), "%svx", prefix);
	n->ipam_base = xasprintf("%s/net/ipam", a->cfg->agent_dir);
	uv_mutex_init(&n->ipam_lock);
	a->net_state = n;
	if (a->pod_cidr) {
		cJSON *node = cJSON_CreateObject();
		json_set_str(json_obj_force(node, "spec"), "podCIDR", a->pod_cidr);
		own_node(n, node);
		cJSON_Delete(node);
	}
	return 0;
}

struct reclaim {
	const struct cri_sandbox **list;
	size_t n;
};

static int reclaim_keep(void *arg, const char *uid)
{
	struct reclaim *rc = arg;
	for (size_t i = 0; i < rc->n; i++)
		if (rc->list[i]->pod_uid && !strcmp(rc->list[i]->pod_uid, uid))
			return 1;
	return 0;
}

/* Releases the addresses of pods that have no sandbox any more. On the loop, once (at most a
 * podCIDR's worth of small files), so that no sandbox can appear between the list of sandboxes
 * and the release: every setup in flight is for a sandbox in the list. */
static void ipam_reclaim(struct net *n)
{
	struct cri_runtime *rt = pods_runtime ? pods_runtime(n->a) : NULL;
	struct reclaim rc = { NULL, 0 };
	if (!n->ipam_dir || !rt)
		return;
	rc.n = cri_sandbox_list(rt, &rc.list);
	uv_mutex_lock(&n->ipam_lock);
	int released = net_ipam_reclaim(n->ipam_dir, reclaim_keep, &rc);
	uv_mutex_unlock(&n->ipam_lock);
	free(rc.list);
	if (released)
		log_info("net: %d addresses of pods without a sandbox released", released);
}

struct stale {
	struct net *n;
	struct cidr cluster;
	char **dsts;
	size_t ndsts;
};

static int remote_has(const char *key, void *value, void *data)
{
	const struct net_remote *r = value;
	UNUSED(key);
	return !strcmp(r->cidr, data);
}

/* Collects a route of ours (protocol NET_RTPROT) within the cluster CIDR that no node wants. */
static void stale_route(void *arg, const char *dst)
{
	struct stale *st = arg;
	struct cidr c;
	if (cidr_parse(dst, &c) < 0 || !cidr_overlap(&c, &st->cluster))
		return;
	if (hmap_each(&st->n->remotes, remote_has, (void *)dst))
		return;
	st->dsts = xrealloc(st->dsts, (st->ndsts + 1) * sizeof(char *));
	st->dsts[st->ndsts++] = xstrdup(dst);
}

/* Removes our routes to podCIDRs of nodes that are gone (all of them when all is set). */
static void routes_prune(struct net *n, int all)
{
	struct stale st = { .n = n };
	struct hmap none = HMAP_INIT;
	if (!n->a->cluster_cidr || cidr_parse(n->a->cluster_cidr, &st.cluster) < 0)
		return;
	struct hmap saved = n->remotes;
	if (all)
		n->remotes = none;
	net_link_routes(n->sk, NET_RTPROT, stale_route, &st);
	n->remotes = saved;
	for (size_t i = 0; i < st.ndsts; i++) {
		int r = net_link_route(n->sk, 0, st.dsts[i], NULL, 0, 0, NET_RTPROT);
		if (r < 0)
			log_warn("net: cannot remove route %s: %s", st.dsts[i], net_link_strerror(r));
		else
			log_info("net: route %s removed", st.dsts[i]);
		free(st.dsts[i]);
	}
	free(st.dsts);
}

void net_synced(struct agent *a)
{
	struct net *n = get_net(a);
	if (!n || n->stopping)
		return;
	if (a->nodes) {
		const cJSON *self = rest_informer_get(a->nodes, NULL, a->cfg->node_name);
		if (self)
			own_node(n, self);
	}
	routes_prune(n, 0);
	ipam_reclaim(n);
}

static int remote_remove(const char *key, void *value, void *data)
{
	UNUSED(key);
	remote_apply(data, value, 0);
	return 0;
}

static int remote_drop(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	net_remote_free(value);
	return 0;
}

static int keep_none(void *arg, const char *uid)
{
	UNUSED(arg);
	UNUSED(uid);
	return 0;
}

/* Removes the IPAM files of our podCIDR (no pod is left). */
static void ipam_remove(struct net *n)
{
	if (!n->ipam_dir)
		return;
	net_ipam_reclaim(n->ipam_dir, keep_none, NULL);
	char *last = xasprintf("%s/last_reserved_ip.0", n->ipam_dir);
	unlink(last);
	free(last);
	rmdir(n->ipam_dir);
	rmdir(n->ipam_base);
	char *net_dir = xasprintf("%s/net", n->a->cfg->agent_dir);
	rmdir(net_dir);
	free(net_dir);
}

/* The last step of the stop: host state goes when no sandbox is left. */
static void stop_finish(struct net *n)
{
	struct agent *a = n->a;
	size_t left = agent_sandboxes(a);
	if (left) {
		log_info("net: %zu pod sandboxes remain: the pod network is kept", left);
	} else {
		hmap_each(&n->remotes, remote_remove, n);
		routes_prune(n, 1);
		net_link_del(n->sk, n->vxname);
		net_link_del(n->sk, n->bridge);
		ipam_remove(n);
		log_info("net: bridge %s and routes removed", n->bridge);
	}
	void (*stopped)(struct agent *) = n->stopped;
	n->stopped = NULL;
	if (stopped)
		stopped(a);
}

static void op_done(struct net *n)
{
	n->ops--;
	if (n->stopping && !n->ops && n->stopped)
		stop_finish(n);
}

void net_stop(struct agent *a, void (*done)(struct agent *a))
{
	struct net *n = get_net(a);
	if (!n) {
		done(a);
		return;
	}
	n->stopping = 1;
	n->stopped = done;
	if (!n->ops)
		stop_finish(n);
}

void net_free(struct agent *a)
{
	struct net *n = get_net(a);
	if (!n)
		return;
	hmap_each(&n->remotes, remote_drop, NULL);
	hmap_release(&n->remotes);
	net_link_close(n->sk);
	uv_mutex_destroy(&n->ipam_lock);
	free(n->backend);
	free(n->cidr_str);
	free(n->br_error);
	free(n->ipam_base);
	free(n->ipam_dir);
	free(n);
	a->net_state = NULL;
}
