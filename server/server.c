/*
 * server.c - `kube server` at run time: a short list of named phases, then the loop, then an
 * orderly stop on SIGTERM or SIGINT.
 *
 * Start: data directories -> certificates, token and kubeconfig -> datastore (loads the state)
 * -> HTTPS API -> default objects -> signals. Stop: readiness fails, watches end, the listener
 * and connections close, the datastore finishes every queued write (each client still gets its
 * answer if its connection is open) and closes, then the loop ends with nothing left on it.
 */
#include "internal.h"
#include "lib/pki.h"
#include "server/crd.h"
#include "server/ctrl.h"
#include "lib/version.h"
#include "agent/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/file.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static void store_closed(void *arg)
{
	struct server *srv = arg;
	svc_alloc_stop(srv->svc_alloc);
	srv->svc_alloc = NULL;
	rbac_stop(srv->rbac);
	srv->rbac = NULL;
	crd_serve_stop(srv->crd);
	srv->crd = NULL;
	srv->store = NULL;
	uv_close((uv_handle_t *)&srv->sigterm, NULL);
	uv_close((uv_handle_t *)&srv->sigint, NULL);
}

static void http_closed(void *arg)
{
	struct server *srv = arg;
	srv->http = NULL;
	store_close(srv->store, store_closed, srv);
}

static void server_stop(struct server *srv)
{
	if (srv->stopping)
		return;
	srv->stopping = 1;
	log_info("stopping");
	uv_signal_stop(&srv->sigterm);
	uv_signal_stop(&srv->sigint);
	uv_close((uv_handle_t *)&srv->trim, NULL);
	bootstrap_stop(srv);
	if (srv->agent)
		agent_thread_stop(srv->agent);
	watch_close_all(srv);
	ctrl_namespace_stop(srv->ctrl_ns);
	ctrl_mgr_stop(srv->ctrl);
	http_server_close(srv->http, http_closed, srv);
}

/* Gives freed memory back to the system once a minute: a burst of connections (each TLS
 * session holds ~50 KB while open) would otherwise leave the process that much bigger. */
static void on_trim(uv_timer_t *t)
{
	UNUSED(t);
	malloc_trim(0);
}

static void on_signal(uv_signal_t *h, int signum)
{
	log_info("received signal %d", signum);
	server_stop(h->data);
}

/* Takes an exclusive lock on DATA/server/lock for the life of the process, so that two servers
 * never share a datastore. Returns the lock's descriptor, or a negative error. */
static int lock_data_dir(const struct server_config *cfg, struct buf *err)
{
	char *path = xasprintf("%s/lock", cfg->server_dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int r = fd;
	if (fd < 0) {
		r = -errno;
		buf_addf(err, "cannot open %s: %s", path, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = -errno;
		buf_addf(err, "%s is in use by another kube server (%s)", cfg->data_dir, strerror(errno));
		close(fd);
	}
	free(path);
	return r;
}

static int open_store(struct server *srv, struct buf *err)
{
	struct store_config sc;
	char *dir = xasprintf("%s/db", srv->cfg->server_dir);
	int r = mkdir_p(dir, 0700);
	if (r < 0)
		buf_addf(err, "cannot create %s: %s", dir, strerror(-r));
	free(dir);
	if (r < 0)
		return r;
	store_config_init(&sc);
	sc.path = srv->cfg->db_path;
	sc.compact_min_revs = srv->cfg->compact_min_revs;
	sc.compact_interval_ms = srv->cfg->compact_interval_ms;
	sc.index = obj_index;
	sc.attrs_free = obj_attrs_free;
	return store_open(srv->loop, &sc, &srv->store, err);
}

static int start_api(struct server *srv, struct buf *err)
{
	struct http_server_config hc;
	http_server_config_init(&hc);
	hc.bind_address = srv->cfg->bind_address;
	hc.port = srv->cfg->port;
	hc.cert_pem = srv->serving_cert_pem;
	hc.key_pem = srv->serving_key_pem;
	/* Client certificates of the cluster CA and of --client-ca-file are accepted; the handshake
	 * names both as acceptable CAs. */
	char *cas = srv->cfg->client_ca_pem ? xasprintf("%s\n%s", srv->ca_pem, srv->cfg->client_ca_pem) : NULL;
	hc.client_ca_pem = cas ? cas : srv->ca_pem;
	hc.max_conns = srv->cfg->max_conns;
	hc.on_request = router_request;
	hc.on_error = status_http_error;
	hc.data = srv;
	int r = http_server_start(srv->loop, &hc, &srv->http, err);
	free(cas);
	return r;
}

static void start_signals(struct server *srv)
{
	uv_timer_init(srv->loop, &srv->trim);
	uv_timer_start(&srv->trim, on_trim, 60000, 60000);
	uv_unref((uv_handle_t *)&srv->trim);
	uv_signal_init(srv->loop, &srv->sigterm);
	uv_signal_init(srv->loop, &srv->sigint);
	srv->sigterm.data = srv->sigint.data = srv;
	uv_signal_start(&srv->sigterm, on_signal, SIGTERM);
	uv_signal_start(&srv->sigint, on_signal, SIGINT);
}

static void agent_stopped(void *arg)
{
	struct server *srv = arg;
	srv->agent = NULL;
}

/* Runs the agent in this process: its own thread and loop, joining this server over HTTPS with
 * the join token like any agent. A failure to start is logged; the control plane keeps going. */
static void start_agent(struct server *srv)
{
	const struct server_config *cfg = srv->cfg;
	struct buf err = BUF_INIT;
	const char *b = cfg->bind_address;
	int any = !strcmp(b, "0.0.0.0") || !strcmp(b, "::") || !*b, v6 = !any && strchr(b, ':');
	char *url = xasprintf("https://%s%s%s:%d", v6 ? "[" : "", any ? "127.0.0.1" : b, v6 ? "]" : "",
			      http_server_port(srv->http));
	struct agent_embed e = { .server_url = url, .token_path = cfg->token_path, .data_dir = cfg->data_dir,
				 .node_name = cfg->node_name, .resource_prefix = cfg->resource_prefix,
				 .kubelet_port = cfg->kubelet_port,
				 .registries_config = cfg->registries_config, .node_ips = cfg->node_ips,
				 .n_node_ips = cfg->n_node_ips, .labels = cfg->node_labels, .nlabels = cfg->n_node_labels,
				 .taints = cfg->node_taints, .ntaints = cfg->n_node_taints, .debug = cfg->debug };
	if (agent_embedded_start(srv->loop, &e, agent_stopped, srv, &srv->agent, &err) < 0)
		log_error("the embedded agent cannot start: %s", buf_str(&err));
	free(url);
	buf_release(&err);
}

static void server_release(struct server *srv)
{
	metrics_free(srv->metrics);
	free(srv->ca_pem);
	free(srv->ca_key_pem);
	free(srv->serving_cert_pem);
	free(srv->serving_key_pem);
	free(srv->join_secret);
	free(srv->kubelet_client_cert_pem);
	free(srv->kubelet_client_key_pem);
	pki_key_free(srv->sa_key);
}

int server_run(const struct server_config *cfg)
{
	struct server srv = { .cfg = cfg };
	struct buf err = BUF_INIT;
	uv_loop_t loop;
	int r, lock = -1;
	uv_loop_init(&loop);
	srv.loop = &loop;
	srv.metrics = metrics_new();
	registry_init();
	if ((r = mkdir_p(cfg->server_dir, 0700)) < 0) {
		buf_addf(&err, "cannot create %s: %s", cfg->server_dir, strerror(-r));
		goto out;
	}
	if ((r = lock = lock_data_dir(cfg, &err)) < 0 || (r = bootstrap_tls(&srv, &err)) < 0 ||
	    (r = token_init(&srv, &err)) < 0 || (r = open_store(&srv, &err)) < 0)
		goto out;
	if ((r = start_api(&srv, &err)) < 0) {
		store_close(srv.store, NULL, NULL);
		uv_run(&loop, UV_RUN_DEFAULT);
		goto out;
	}
	srv.svc_alloc = svc_alloc_start(&srv);
	srv.rbac = rbac_start(&srv);
	srv.crd = crd_serve_start(&srv);
	bootstrap_objects(&srv);
	rbac_bootstrap(&srv);
	srv.ctrl_ns = ctrl_namespace_start(&srv);
	srv.ctrl = ctrl_mgr_start(&srv, controllers_start, NULL);
	start_signals(&srv);
	if (!cfg->disable_agent)
		start_agent(&srv);
	log_info("kube server %s ready on https://%s:%d (data dir %s)", kube_version, cfg->bind_address,
		 http_server_port(srv.http), cfg->data_dir);
	uv_run(&loop, UV_RUN_DEFAULT);
	log_info("stopped");
out:
	if (r < 0)
		log_error("%s", buf_str(&err));
	if (uv_loop_close(&loop) != 0)
		log_warn("event loop closed with handles still open");
	server_release(&srv);
	crd_serve_release();
	buf_release(&err);
	if (lock >= 0)
		close(lock);
	return r < 0 ? r : 0;
}

int cmd_server(int argc, char **argv)
{
	struct server_options opts;
	struct server_config cfg = { 0 };
	struct opt_cmd cmd = { 0 };
	struct buf err = BUF_INIT;
	char **args = NULL;
	size_t nargs = 0;
	int help = 0, rc = 1;
	server_options_init(&opts);
	server_options_cmd(&opts, &cmd);
	/* Every problem is collected (parsing, completion, validation) and reported together. */
	if (opt_parse(&cmd, argc, argv, &args, &nargs, &help, &err) == 0 && help) {
		opt_print_help(&cmd, stdout);
		rc = 0;
		goto out;
	}
	if (err.len && err.data[err.len - 1] != '\n')
		buf_addch(&err, '\n');
	if (nargs)
		buf_addf(&err, "unexpected argument \"%s\"\n", args[0]);
	server_options_complete(&opts, &cfg, &err);
	server_config_validate(&cfg, &err);
	if (err.len)
		goto out;
	if (log_init(cfg.debug ? LOG_DEBUG : LOG_INFO, cfg.log_path) < 0) {
		buf_addf(&err, "--log: cannot open %s\n", cfg.log_path);
		goto out;
	}
	rc = server_run(&cfg) < 0 ? 1 : 0;
out:
	if (err.len)
		fprintf(stderr, "kube server: invalid configuration:\n%s%s", err.data,
			err.data[err.len - 1] == '\n' ? "" : "\n");
	free(args);
	server_config_release(&cfg);
	opt_free(&cmd);
	buf_release(&err);
	log_close();
	return rc;
}
