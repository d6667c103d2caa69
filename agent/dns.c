/*
 * dns.c - the agent's built-in cluster DNS server: what CoreDNS does for k3s, in the agent.
 *
 * DESIGN: one struct dns_server (a->dns_state) on the agent's loop.
 * - The listen address: a dummy link PREFIX+"dns" holding --cluster-dns/32 (made with libnl at
 *   start, adopted when a previous run left it; a bridge without ports where the kernel has no
 *   dummy driver); pods reach it through their default route and
 *   the host delivers locally. At stop the link goes only when no pod sandbox is left, so pods
 *   keep resolving while the agent restarts.
 * - Listeners: UDP and TCP on cluster-dns:53. TCP connections carry length-prefixed queries,
 *   several per connection, close after 10 s idle; at most DNS_CONN_MAX at once.
 * - Answers for the cluster domain and the reverse names of Services come from the zone
 *   (dns_zone.c), fed by dns_changed from the shared Service and EndpointSlice informers.
 * - Other names go to the host's resolvers (the IPv4 nameservers of /etc/resolv.conf read at
 *   start) from one UDP socket: each query in flight gets a slot and a fresh random ID, the
 *   reply is matched by ID and source and sent back under the client's ID. A truncated reply
 *   is fetched again over TCP; a silent server is retried (next server) after 2 s; after
 *   DNS_FWD_TRIES attempts, or with no resolver at all, the client gets SERVFAIL. At most
 *   DNS_FWD_MAX queries are in flight (beyond: SERVFAIL, as a saturated CoreDNS forwarder).
 */
#include "agent/dns.h"
#include "agent/internal.h"
#include "lib/hmap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <stdlib.h>
#include <string.h>

#define DNS_CONN_MAX 128
#define DNS_CONN_IDLE_MS 10000
#define DNS_FWD_MAX 256
#define DNS_FWD_TIMEOUT_MS 2000
#define DNS_FWD_TRIES 3
#define DNS_TICK_MS 250
#define DNS_MMSG 8 /* libuv gives each datagram of a recvmmsg() 64 KiB; only what arrives is touched */

struct dns_server;

/* A TCP client connection: owned by the server's list; freed when both handles closed. */
struct dns_conn {
	struct dns_server *s;
	uv_tcp_t h;
	uv_timer_t idle;
	struct buf in;
	int closing, handles;
	struct dns_conn *next, **pprev;
};

/* A TCP connection to an upstream resolver (a truncated UDP answer fetched again). */
struct dns_upconn {
	struct dns_server *s;
	struct dns_fwd *f;        /* NULL once the forward ended */
	uv_tcp_t h;
	uv_connect_t conn;
	uv_write_t w;
	uint8_t *msg;             /* the length-prefixed query */
	struct buf in;
};

/* A query forwarded upstream: a slot of the server's table. */
struct dns_fwd {
	int used;
	uint16_t client_id, up_id;
	size_t server;            /* the upstream tried now */
	int tries;
	struct sockaddr_in client;
	struct dns_conn *conn;    /* the TCP client, or NULL for UDP */
	size_t client_max;        /* the largest reply the client takes */
	uint8_t *query;           /* as sent upstream (upstream ID) */
	size_t qlen;
	uint64_t deadline;
	struct dns_upconn *tcp;
};

struct dns_server {
	struct agent *a;
	struct dns_zone *zone;
	char link[IFNAMSIZ];
	char addr[64];
	int link_made;            /* the link exists (made or adopted) */
	uv_udp_t udp, up;
	uv_tcp_t tcp;
	uv_timer_t tick;
	int handles;              /* open handles of the server (not of conns) */
	int stopping;
	void (*done)(struct agent *a);
	char servers[3][16];
	size_t nservers;
	struct dns_fwd fwd[DNS_FWD_MAX];
	size_t nfwd;
	struct dns_conn *conns;
	size_t nconns;
	uint8_t rbuf[65536];
	uint8_t *mmsg;            /* the UDP listener's buffer: DNS_MMSG datagrams per recvmmsg() */
	uint8_t out[65536 + 2];
};

static void maybe_stopped(struct dns_server *s);

/* ---- the link ---------------------------------------------------------------------------- */

/* Makes a link of type named name. */
static int link_add(struct nl_sock *sk, const char *name, const char *type)
{
	struct rtnl_link *n = rtnl_link_alloc();
	rtnl_link_set_name(n, name);
	int r = rtnl_link_set_type(n, type);
	if (r == 0)
		r = rtnl_link_add(sk, n, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_put(n);
	return r;
}

/* Gets or makes the link: a dummy, or where the kernel has no dummy driver a bridge without
 * ports (its addresses are local all the same). A link of another type by that name is
 * replaced. */
static int link_get(struct nl_sock *sk, const char *name, struct rtnl_link **out)
{
	struct rtnl_link *l = NULL;
	if (rtnl_link_get_kernel(sk, 0, name, &l) == 0) {
		const char *type = rtnl_link_get_type(l);
		if (type && (strcmp(type, "dummy") == 0 || strcmp(type, "bridge") == 0)) {
			*out = l;
			return 0;
		}
		rtnl_link_delete(sk, l);
		rtnl_link_put(l);
	}
	int r = link_add(sk, name, "dummy");
	if (r < 0 && r != -NLE_EXIST)
		r = link_add(sk, name, "bridge");
	if (r == 0)
		r = rtnl_link_get_kernel(sk, 0, name, out);
	return r;
}

/* Puts the address on the link and sets it up. */
static int link_address(struct nl_sock *sk, struct rtnl_link *l, const char *addr)
{
	struct nl_addr *local = NULL;
	char *cidr = xasprintf("%s/32", addr);
	int r = nl_addr_parse(cidr, AF_INET, &local);
	free(cidr);
	if (r < 0)
		return r;
	struct rtnl_addr *ad = rtnl_addr_alloc();
	rtnl_addr_set_ifindex(ad, rtnl_link_get_ifindex(l));
	rtnl_addr_set_local(ad, local);
	r = rtnl_addr_add(sk, ad, 0);
	if (r == -NLE_EXIST)
		r = 0;
	rtnl_addr_put(ad);
	nl_addr_put(local);
	if (r < 0)
		return r;
	struct rtnl_link *ch = rtnl_link_alloc();
	rtnl_link_set_flags(ch, IFF_UP);
	r = rtnl_link_change(sk, l, ch, 0);
	rtnl_link_put(ch);
	return r;
}

static int link_setup(struct dns_server *s, struct buf *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *l = NULL;
	int r = sk ? nl_connect(sk, NETLINK_ROUTE) : -NLE_NOMEM;
	if (r == 0)
		r = link_get(sk, s->link, &l);
	if (r == 0) {
		s->link_made = 1;
		r = link_address(sk, l, s->addr);
	}
	if (r < 0)
		buf_addf(err, "link %s with %s/32: %s", s->link, s->addr, nl_geterror(r));
	if (l)
		rtnl_link_put(l);
	nl_socket_free(sk);
	return r < 0 ? -EIO : 0;
}

static void link_remove(struct dns_server *s)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *l = NULL;
	if (sk && nl_connect(sk, NETLINK_ROUTE) == 0 && rtnl_link_get_kernel(sk, 0, s->link, &l) == 0) {
		int r = rtnl_link_delete(sk, l);
		if (r < 0)
			log_warn("dns: cannot remove link %s: %s", s->link, nl_geterror(r));
	}
	if (l)
		rtnl_link_put(l);
	nl_socket_free(sk);
}

/* ---- sending ----------------------------------------------------------------------------- */

struct dns_send {
	union {
		uv_udp_send_t u;
		uv_write_t w;
	} req;
	size_t len;
	uint8_t data[];
};

static void send_done_udp(uv_udp_send_t *req, int status)
{
	UNUSED(status);
	free(container_of(req, struct dns_send, req.u));
}

static void send_done_tcp(uv_write_t *req, int status)
{
	UNUSED(status);
	free(container_of(req, struct dns_send, req.w));
}

static void send_udp(uv_udp_t *h, const uint8_t *data, size_t len, const struct sockaddr *to)
{
	uv_buf_t b = uv_buf_init((char *)data, (unsigned)len);
	int r = uv_udp_try_send(h, &b, 1, to);
	if (r != UV_EAGAIN)
		return; /* sent, or an error the client's retry will cover */
	struct dns_send *sd = xmalloc(sizeof(*sd) + len);
	memcpy(sd->data, data, len);
	b = uv_buf_init((char *)sd->data, (unsigned)len);
	if (uv_udp_send(&sd->req.u, h, &b, 1, to, send_done_udp) < 0)
		free(sd);
}

static void send_tcp(struct dns_conn *c, const uint8_t *data, size_t len)
{
	if (c->closing)
		return;
	struct dns_send *sd = xmalloc(sizeof(*sd) + len + 2);
	sd->data[0] = (uint8_t)(len >> 8);
	sd->data[1] = (uint8_t)len;
	memcpy(sd->data + 2, data, len);
	uv_buf_t b = uv_buf_init((char *)sd->data, (unsigned)len + 2);
	if (uv_write(&sd->req.w, (uv_stream_t *)&c->h, &b, 1, send_done_tcp) < 0)
		free(sd);
}

/* Sends a reply to a client: over its TCP connection, or by UDP to from. */
static void reply(struct dns_server *s, const uint8_t *data, size_t len, const struct sockaddr *from,
		  struct dns_conn *c)
{
	if (c)
		send_tcp(c, data, len);
	else if (!s->stopping)
		send_udp(&s->udp, data, len, from);
}

/* ---- forwarding -------------------------------------------------------------------------- */

static void upconn_closed(uv_handle_t *h)
{
	struct dns_upconn *u = h->data;
	struct dns_server *s = u->s;
	free(u->msg);
	buf_release(&u->in);
	free(u);
	s->handles--;
	maybe_stopped(s);
}

static void upconn_close(struct dns_upconn *u)
{
	if (u->f)
		u->f->tcp = NULL;
	u->f = NULL;
	if (!uv_is_closing((uv_handle_t *)&u->h))
		uv_close((uv_handle_t *)&u->h, upconn_closed);
}

/* Ends a forward: the slot is free again. */
static void fwd_end(struct dns_server *s, struct dns_fwd *f)
{
	if (f->tcp)
		upconn_close(f->tcp);
	free(f->query);
	memset(f, 0, sizeof(*f));
	s->nfwd--;
}

/* Sends an upstream answer (any ID) back to the client under its own ID, and ends f. */
static void fwd_answer(struct dns_server *s, struct dns_fwd *f, uint8_t *data, size_t len)
{
	data[0] = (uint8_t)(f->client_id >> 8);
	data[1] = (uint8_t)f->client_id;
	if (len > f->client_max)
		len = dns_truncate(data, len);
	if (len)
		reply(s, data, len, (const struct sockaddr *)&f->client, f->conn);
	fwd_end(s, f);
}

/* Answers SERVFAIL for f's query and ends f. */
static void fwd_fail(struct dns_server *s, struct dns_fwd *f)
{
	struct dns_query q;
	int r = dns_parse_query(f->query, f->qlen, &q);
	if (r >= 0) {
		q.id = f->client_id;
		size_t n = dns_error_reply(&q, f->query, s->out, sizeof(s->out) - 2, DNS_SERVFAIL);
		reply(s, s->out, n, (const struct sockaddr *)&f->client, f->conn);
	}
	fwd_end(s, f);
}

static void server_addr(const struct dns_server *s, size_t i, struct sockaddr_in *sa)
{
	uv_ip4_addr(s->servers[i], 53, sa);
}

static void fwd_send(struct dns_server *s, struct dns_fwd *f)
{
	struct sockaddr_in sa;
	server_addr(s, f->server, &sa);
	f->deadline = uv_now(s->a->loop) + DNS_FWD_TIMEOUT_MS;
	send_udp(&s->up, f->query, f->qlen, (const struct sockaddr *)&sa);
}

static void tick(uv_timer_t *t)
{
	struct dns_server *s = t->data;
	uint64_t now = uv_now(s->a->loop);
	for (size_t i = 0; i < DNS_FWD_MAX && s->nfwd; i++) {
		struct dns_fwd *f = &s->fwd[i];
		if (!f->used || f->deadline > now)
			continue;
		if (f->tcp || ++f->tries >= DNS_FWD_TRIES) {
			fwd_fail(s, f);
			continue;
		}
		f->server = (f->server + 1) % s->nservers;
		fwd_send(s, f);
	}
	if (!s->nfwd)
		uv_timer_stop(t);
}

/* Forwards a query that is not the zone's. */
static void forward(struct dns_server *s, const struct dns_query *q, const uint8_t *msg, size_t len,
		    const struct sockaddr *from, struct dns_conn *c)
{
	struct dns_fwd *f = NULL;
	for (size_t i = 0; i < DNS_FWD_MAX && s->nservers && s->nfwd < DNS_FWD_MAX && !f; i++)
		if (!s->fwd[i].used)
			f = &s->fwd[i];
	if (!f || s->stopping) {
		size_t n = dns_error_reply(q, msg, s->out, c ? 65535 : DNS_UDP_MIN, DNS_SERVFAIL);
		reply(s, s->out, n, from, c);
		return;
	}
	f->used = 1;
	s->nfwd++;
	f->client_id = q->id;
	random_bytes(&f->up_id, sizeof(f->up_id));
	if (!c)
		memcpy(&f->client, from, sizeof(f->client));
	f->conn = c;
	f->client_max = c ? 65535 : q->edns ? MIN(q->udp_size, DNS_UDP_MAX) : DNS_UDP_MIN;
	f->query = xmalloc(len);
	memcpy(f->query, msg, len);
	f->query[0] = (uint8_t)(f->up_id >> 8);
	f->query[1] = (uint8_t)f->up_id;
	f->qlen = len;
	random_bytes(&f->server, sizeof(f->server));
	f->server %= s->nservers;
	fwd_send(s, f);
	if (!uv_is_active((uv_handle_t *)&s->tick))
		uv_timer_start(&s->tick, tick, DNS_TICK_MS, DNS_TICK_MS);
}

static void upconn_read_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
	struct dns_upconn *u = h->data;
	UNUSED(size);
	buf_grow(&u->in, 4096);
	*b = uv_buf_init(u->in.data + u->in.len, (unsigned)(u->in.cap - u->in.len - 1));
}

static void upconn_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	struct dns_upconn *u = st->data;
	UNUSED(b);
	if (n < 0 || !u->f) {
		if (u->f)
			fwd_fail(u->s, u->f);
		upconn_close(u);
		return;
	}
	u->in.len += (size_t)n;
	if (u->in.len < 2)
		return;
	size_t want = (size_t)((uint8_t)u->in.data[0] << 8 | (uint8_t)u->in.data[1]);
	if (u->in.len < want + 2)
		return;
	struct dns_fwd *f = u->f;
	upconn_close(u); /* detaches f->tcp */
	if (want >= DNS_HDR)
		fwd_answer(u->s, f, (uint8_t *)u->in.data + 2, want);
	else
		fwd_fail(u->s, f);
}

static void upconn_written(uv_write_t *w, int status)
{
	struct dns_upconn *u = w->data;
	if (status < 0 && u->f) {
		fwd_fail(u->s, u->f);
		upconn_close(u);
	}
}

static void upconn_connected(uv_connect_t *req, int status)
{
	struct dns_upconn *u = req->data;
	if (status < 0 || !u->f) {
		if (u->f)
			fwd_fail(u->s, u->f);
		upconn_close(u);
		return;
	}
	uv_buf_t b = uv_buf_init((char *)u->msg, (unsigned)u->f->qlen + 2);
	u->w.data = u;
	if (uv_write(&u->w, (uv_stream_t *)&u->h, &b, 1, upconn_written) < 0 ||
	    uv_read_start((uv_stream_t *)&u->h, upconn_read_alloc, upconn_read) < 0) {
		fwd_fail(u->s, u->f);
		upconn_close(u);
	}
}

/* The UDP answer was truncated: asks the same server again over TCP. */
static void fwd_tcp(struct dns_server *s, struct dns_fwd *f)
{
	struct dns_upconn *u = xcalloc(1, sizeof(*u));
	struct sockaddr_in sa;
	u->s = s;
	u->f = f;
	u->msg = xmalloc(f->qlen + 2);
	u->msg[0] = (uint8_t)(f->qlen >> 8);
	u->msg[1] = (uint8_t)f->qlen;
	memcpy(u->msg + 2, f->query, f->qlen);
	uv_tcp_init(s->a->loop, &u->h);
	u->h.data = u;
	u->conn.data = u;
	s->handles++;
	f->tcp = u;
	f->deadline = uv_now(s->a->loop) + DNS_FWD_TIMEOUT_MS;
	server_addr(s, f->server, &sa);
	if (uv_tcp_connect(&u->conn, &u->h, (const struct sockaddr *)&sa, upconn_connected) < 0) {
		fwd_fail(s, f);
		upconn_close(u);
	}
}

static void up_recv(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *addr, unsigned flags)
{
	struct dns_server *s = h->data;
	if (n < DNS_HDR || !addr || addr->sa_family != AF_INET || (flags & UV_UDP_PARTIAL))
		return;
	uint8_t *msg = (uint8_t *)b->base;
	uint16_t id = (uint16_t)(msg[0] << 8 | msg[1]);
	const struct sockaddr_in *from = (const struct sockaddr_in *)addr;
	for (size_t i = 0; i < DNS_FWD_MAX; i++) {
		struct dns_fwd *f = &s->fwd[i];
		struct sockaddr_in sa;
		if (!f->used || f->up_id != id || f->tcp)
			continue;
		server_addr(s, f->server, &sa);
		if (sa.sin_addr.s_addr != from->sin_addr.s_addr || from->sin_port != sa.sin_port || !(msg[2] & 0x80))
			continue;
		if (msg[2] & (DNS_F_TC >> 8))
			fwd_tcp(s, f);
		else
			fwd_answer(s, f, msg, (size_t)n);
		return;
	}
}

/* ---- serving ----------------------------------------------------------------------------- */

/* Answers one query from a client (UDP from, or TCP connection c). */
static void handle(struct dns_server *s, const uint8_t *msg, size_t len, const struct sockaddr *from,
		   struct dns_conn *c)
{
	struct dns_query q;
	int r = dns_parse_query(msg, len, &q);
	if (r < 0)
		return;
	size_t max = c ? 65535 : q.edns ? MIN(q.udp_size, DNS_UDP_MAX) : DNS_UDP_MIN, n;
	if (r > 0)
		n = dns_error_reply(&q, msg, s->out, max, r);
	else if ((n = dns_zone_answer(s->zone, &q, msg, s->out, max)) == 0) {
		forward(s, &q, msg, len, from, c);
		return;
	}
	reply(s, s->out, n, from, c);
}

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
	struct dns_server *s = h->data;
	UNUSED(size);
	*b = uv_buf_init((char *)s->rbuf, sizeof(s->rbuf));
}

static void udp_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
	struct dns_server *s = h->data;
	UNUSED(size);
	if (!s->mmsg)
		s->mmsg = xmalloc(DNS_MMSG * 65536);
	*b = uv_buf_init((char *)s->mmsg, DNS_MMSG * 65536);
}

static void udp_recv(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *addr, unsigned flags)
{
	struct dns_server *s = h->data;
	if (n <= 0 || !addr || addr->sa_family != AF_INET || (flags & UV_UDP_PARTIAL))
		return;
	handle(s, (const uint8_t *)b->base, (size_t)n, addr, NULL);
}

static void conn_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
	struct dns_conn *c = h->data;
	UNUSED(size);
	*b = uv_buf_init((char *)c->s->rbuf, sizeof(c->s->rbuf));
}

static void conn_closed(uv_handle_t *h)
{
	struct dns_conn *c = h->data;
	if (--c->handles)
		return;
	struct dns_server *s = c->s;
	buf_release(&c->in);
	free(c);
	s->nconns--;
	maybe_stopped(s);
}

static void conn_close(struct dns_conn *c)
{
	if (c->closing)
		return;
	c->closing = 1;
	*c->pprev = c->next;
	if (c->next)
		c->next->pprev = c->pprev;
	for (size_t i = 0; i < DNS_FWD_MAX; i++) /* forwards of this client answer no one now */
		if (c->s->fwd[i].used && c->s->fwd[i].conn == c)
			fwd_end(c->s, &c->s->fwd[i]);
	uv_close((uv_handle_t *)&c->h, conn_closed);
	uv_close((uv_handle_t *)&c->idle, conn_closed);
}

static void conn_idle(uv_timer_t *t)
{
	conn_close(t->data);
}

static void conn_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
	struct dns_conn *c = st->data;
	if (n < 0) {
		conn_close(c);
		return;
	}
	buf_add(&c->in, b->base, (size_t)n);
	uv_timer_again(&c->idle);
	size_t off = 0;
	while (!c->closing && c->in.len - off >= 2) {
		const uint8_t *p = (const uint8_t *)c->in.data + off;
		size_t want = (size_t)(p[0] << 8 | p[1]);
		if (want == 0) {
			conn_close(c);
			return;
		}
		if (c->in.len - off < want + 2)
			break;
		handle(c->s, p + 2, want, NULL, c);
		off += want + 2;
	}
	if (off && !c->closing) {
		memmove(c->in.data, c->in.data + off, c->in.len - off);
		buf_truncate(&c->in, c->in.len - off);
	}
}

static void on_conn(uv_stream_t *l, int status)
{
	struct dns_server *s = l->data;
	if (status < 0)
		return;
	struct dns_conn *c = xcalloc(1, sizeof(*c));
	c->s = s;
	uv_tcp_init(s->a->loop, &c->h);
	uv_timer_init(s->a->loop, &c->idle);
	c->h.data = c->idle.data = c;
	c->handles = 2;
	c->next = s->conns;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &s->conns;
	s->conns = c;
	s->nconns++;
	if (uv_accept(l, (uv_stream_t *)&c->h) < 0 || s->nconns > DNS_CONN_MAX || s->stopping ||
	    uv_read_start((uv_stream_t *)&c->h, conn_alloc, conn_read) < 0) {
		conn_close(c);
		return;
	}
	uv_timer_start(&c->idle, conn_idle, DNS_CONN_IDLE_MS, DNS_CONN_IDLE_MS);
}

/* ---- the hooks --------------------------------------------------------------------------- */

/* Reads the host's resolvers (blocking, small: at start only). */
static void read_resolvers(struct dns_server *s)
{
	char *text = NULL;
	size_t len;
	if (read_file("/etc/resolv.conf", &text, &len) < 0)
		log_warn("dns: cannot read /etc/resolv.conf: other names get SERVFAIL");
	s->nservers = dns_resolv_servers(text, s->addr, s->servers, ARRAY_SIZE(s->servers));
	if (text && !s->nservers)
		log_warn("dns: /etc/resolv.conf names no IPv4 nameserver: other names get SERVFAIL");
	free(text);
}

static int listen_all(struct dns_server *s, struct buf *err)
{
	struct sockaddr_in sa, any;
	int r;
	uv_ip4_addr(s->addr, 53, &sa);
	uv_ip4_addr("0.0.0.0", 0, &any);
	if ((r = uv_udp_bind(&s->udp, (const struct sockaddr *)&sa, 0)) < 0 ||
	    (r = uv_udp_recv_start(&s->udp, udp_alloc, udp_recv)) < 0)
		goto fail;
	if ((r = uv_tcp_bind(&s->tcp, (const struct sockaddr *)&sa, 0)) < 0 ||
	    (r = uv_listen((uv_stream_t *)&s->tcp, 128, on_conn)) < 0)
		goto fail;
	if ((r = uv_udp_bind(&s->up, (const struct sockaddr *)&any, 0)) < 0 ||
	    (r = uv_udp_recv_start(&s->up, on_alloc, up_recv)) < 0)
		goto fail;
	return 0;
fail:
	buf_addf(err, "listening on %s:53: %s", s->addr, uv_strerror(r));
	return r;
}

int dns_start(struct agent *a, struct buf *err)
{
	struct dns_server *s = xcalloc(1, sizeof(*s));
	uint8_t ip[4];
	a->dns_state = s;
	s->a = a;
	s->zone = dns_zone_new(a->cluster_domain, (uint32_t)wall_seconds());
	if (uv_udp_init_ex(a->loop, &s->udp, AF_INET | UV_UDP_RECVMMSG) < 0)
		uv_udp_init(a->loop, &s->udp);
	uv_udp_init(a->loop, &s->up);
	uv_tcp_init(a->loop, &s->tcp);
	uv_timer_init(a->loop, &s->tick);
	s->udp.data = s->up.data = s->tcp.data = s->tick.data = s;
	s->handles = 4;
	if (!a->cluster_dns || dns_ipv4(a->cluster_dns, ip) < 0) {
		buf_addf(err, "the cluster DNS address %s is not IPv4", a->cluster_dns ? a->cluster_dns : "(none)");
		return -EINVAL;
	}
	snprintf(s->addr, sizeof(s->addr), "%s", a->cluster_dns);
	if (strlen(a->cfg->resource_prefix) + 3 >= IFNAMSIZ) {
		buf_addf(err, "the link name %sdns is too long", a->cfg->resource_prefix);
		return -EINVAL;
	}
	snprintf(s->link, sizeof(s->link), "%sdns", a->cfg->resource_prefix);
	read_resolvers(s);
	int r = link_setup(s, err);
	if (r == 0)
		r = listen_all(s, err);
	if (r < 0)
		return r;
	log_info("dns: serving %s on %s:53 (link %s), forwarding to %zu resolver(s)", a->cluster_domain, s->addr,
		 s->link, s->nservers);
	return 0;
}

void dns_changed(struct agent *a, enum agent_kind kind, const cJSON *old, const cJSON *obj)
{
	struct dns_server *s = a->dns_state;
	if (!s)
		return;
	if (kind == AGENT_SERVICE)
		dns_zone_service(s->zone, old, obj);
	else if (kind == AGENT_SLICE)
		dns_zone_slice(s->zone, old, obj);
}

void dns_synced(struct agent *a)
{
	struct dns_server *s = a->dns_state;
	if (s)
		log_info("dns: %zu services in the zone", dns_zone_services(s->zone));
}

static void handle_closed(uv_handle_t *h)
{
	struct dns_server *s = h->data;
	s->handles--;
	maybe_stopped(s);
}

static void maybe_stopped(struct dns_server *s)
{
	if (!s->stopping || s->handles || s->nconns || !s->done)
		return;
	size_t left = agent_sandboxes(s->a);
	if (s->link_made && !left)
		link_remove(s);
	else if (s->link_made)
		log_info("dns: keeping link %s: pod sandboxes remain", s->link);
	void (*done)(struct agent *) = s->done;
	s->done = NULL;
	done(s->a);
}

void dns_stop(struct agent *a, void (*done)(struct agent *a))
{
	struct dns_server *s = a->dns_state;
	if (!s) {
		done(a);
		return;
	}
	s->stopping = 1;
	s->done = done;
	for (size_t i = 0; i < DNS_FWD_MAX; i++)
		if (s->fwd[i].used)
			fwd_end(s, &s->fwd[i]);
	while (s->conns)
		conn_close(s->conns);
	uv_handle_t *hs[] = { (uv_handle_t *)&s->udp, (uv_handle_t *)&s->up, (uv_handle_t *)&s->tcp,
			      (uv_handle_t *)&s->tick };
	for (size_t i = 0; i < ARRAY_SIZE(hs); i++)
		uv_close(hs[i], handle_closed);
}

void dns_free(struct agent *a)
{
	struct dns_server *s = a->dns_state;
	if (!s)
		return;
	dns_zone_free(s->zone);
	free(s->mmsg);
	free(s);
	a->dns_state = NULL;
}
