/*
 * options.c - `kube server` options: defaults, the flag table, completion into a
 * struct server_config, and validation that reports every problem at once.
 */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void server_options_init(struct server_options *o)
{
	memset(o, 0, sizeof(*o));
	o->data_dir = "/var/lib/kube";
	o->bind_address = "0.0.0.0";
	o->https_listen_port = 6443;
	o->write_kubeconfig = "/etc/kube/kube.yaml";
	o->write_kubeconfig_mode = 0600;
	o->cluster_cidr = "10.42.0.0/16";
	o->service_cidr = "10.43.0.0/16";
	o->cluster_dns = "10.43.0.10";
	o->cluster_domain = "cluster.local";
	o->flannel_backend = "vxlan";
	o->allocate_node_cidrs = 1;
	o->authorization_mode = "Node,RBAC";
	o->datastore_endpoint = "sqlite";
	o->compact_min_revisions = 1000;
	o->compact_interval_seconds = 300;
	o->max_connections = 1024;
	o->max_mutating_inflight = 400;
	o->node_monitor_grace_period = 40;
	o->node_monitor_period = 5;
	o->terminated_pod_gc_threshold = 12500;
	o->resource_prefix = "kube";
	o->kubelet_port = 10250;
	o->registries_config = "/etc/kube/registries.yaml";
}

#define O(n, t, v, g, u, ...) { n, t, v, g, u, __VA_ARGS__ }

void server_options_cmd(struct server_options *o, struct opt_cmd *cmd)
{
	const struct opt table[] = {
		O("config", OPT_STRING, &o->config, "General", "Load configuration from FILE", 0, 0, "FILE"),
		O("data-dir", OPT_STRING, &o->data_dir, "General", "Directory for state (server state under server/)", 0, 0, "DIR"),
		O("debug", OPT_BOOL, &o->debug, "General", "Turn on debug logs", 0, 0, NULL),
		O("log", OPT_STRING, &o->log, "General", "Log to FILE instead of standard error", 0, 0, "FILE"),
		O("node-name", OPT_STRING, &o->node_name, "General", "Name of the embedded agent's node (default: the hostname)", 0, 0, "NAME"),
		O("bind-address", OPT_STRING, &o->bind_address, "Listener", "Address the API server listens on", 0, 0, "ADDR"),
		O("https-listen-port", OPT_INT, &o->https_listen_port, "Listener", "HTTPS port of the API server", 1, 65535, "PORT"),
		O("tls-san", OPT_LIST, &o->tls_san, "Listener", "Extra host name or IP in the serving certificate (repeatable)", 0, 0, "NAME"),
		O("max-connections", OPT_INT, &o->max_connections, "Listener", "Most client connections served at once", 1, 1000000, "N"),
		O("max-mutating-requests-inflight", OPT_INT, &o->max_mutating_inflight, "Listener", "Most writes in progress at once; more get 429 TooManyRequests", 1, 1000000, "N"),
		O("write-kubeconfig", OPT_STRING, &o->write_kubeconfig, "Client", "Write the admin kubeconfig to FILE", 0, 0, "FILE"),
		O("write-kubeconfig-mode", OPT_MODE, &o->write_kubeconfig_mode, "Client", "File mode of the kubeconfig", 0, 0, "MODE"),
		O("token", OPT_STRING, &o->token, "Cluster", "Shared secret agents join with (default: generated)", 0, 0, "TOKEN"),
		O("token-auth-file", OPT_STRING, &o->token_auth_file, "Cluster", "Authenticate bearer tokens listed in FILE (upstream's CSV format: token,user,uid,\"group1,group2\")", 0, 0, "FILE"),
		O("client-ca-file", OPT_STRING, &o->client_ca_file, "Cluster", "Also authenticate client certificates signed by a CA in FILE (PEM): the user is the CN, the groups the O values", 0, 0, "FILE"),
		O("enable-admission-plugins", OPT_STRING, &o->enable_admission_plugins, "Cluster", "Admission plugins to run besides the default ones (upstream's names, comma-separated)", 0, 0, "NAMES"),
		O("disable-admission-plugins", OPT_STRING, &o->disable_admission_plugins, "Cluster", "Admission plugins not to run, even if on by default (upstream's names, comma-separated)", 0, 0, "NAMES"),
		O("authorization-mode", OPT_STRING, &o->authorization_mode, "Cluster", "Authorizers after system:masters, in order: Node, RBAC, AlwaysAllow, AlwaysDeny (comma-separated)", 0, 0, "MODES"),
		O("cluster-cidr", OPT_STRING, &o->cluster_cidr, "Networking", "Network for pod IPs", 0, 0, "CIDR"),
		O("service-cidr", OPT_STRING, &o->service_cidr, "Networking", "Network for service IPs", 0, 0, "CIDR"),
		O("cluster-dns", OPT_STRING, &o->cluster_dns, "Networking", "Cluster DNS service IP", 0, 0, "IP"),
		O("cluster-domain", OPT_STRING, &o->cluster_domain, "Networking", "Cluster domain", 0, 0, "DOMAIN"),
		O("flannel-backend", OPT_STRING, &o->flannel_backend, "Networking", "Pod network between nodes: vxlan, host-gw or none", 0, 0, "BACKEND"),
		O("allocate-node-cidrs", OPT_BOOL, &o->allocate_node_cidrs, "Networking", "Give each Node a pod network from --cluster-cidr (default true; with false, a node's spec.podCIDR is set by whoever registers it)", 0, 0, NULL),
		O("disable-agent", OPT_BOOL, &o->disable_agent, "Agent", "Do not run the embedded agent", 0, 0, NULL),
		O("node-ip", OPT_LIST, &o->node_ip, "Agent", "IP address the embedded agent's node advertises (default: the address of the default route's interface)", 0, 0, "IP"),
		O("node-label", OPT_LIST, &o->node_label, "Agent", "Label of the embedded agent's node, KEY=VALUE (repeatable)", 0, 0, "LABEL"),
		O("node-taint", OPT_LIST, &o->node_taint, "Agent", "Taint of the embedded agent's node, KEY[=VALUE]:EFFECT (repeatable)", 0, 0, "TAINT"),
		O("resource-prefix", OPT_STRING, &o->resource_prefix, "Agent", "Prefix naming every host resource of the embedded agent", 0, 0, "PREFIX"),
		O("kubelet-port", OPT_INT, &o->kubelet_port, "Agent", "HTTPS port of the embedded agent's kubelet API", 1, 65535, "PORT"),
		O("registries-config", OPT_STRING, &o->registries_config, "Agent", "Registry mirrors and credentials of the embedded agent (k3s's registries.yaml format)", 0, 0, "FILE"),
		O("disable-scheduler", OPT_BOOL, &o->disable_scheduler, "Components", "Do not run the scheduler", 0, 0, NULL),
		O("datastore-endpoint", OPT_STRING, &o->datastore_endpoint, "Datastore", "Datastore to use: \"sqlite\"", 0, 0, "URL"),
		O("compact-min-revisions", OPT_INT, &o->compact_min_revisions, "Datastore", "Revisions of history compaction always keeps", 1, INT_MAX, "N"),
		O("compact-interval", OPT_INT, &o->compact_interval_seconds, "Datastore", "Seconds between compactions (history younger than this is kept)", 1, 86400, "SECONDS"),
		O("node-monitor-grace-period", OPT_INT, &o->node_monitor_grace_period, "Controllers", "Seconds without a node heartbeat (Lease renewal) before the node is marked Ready=Unknown and tainted unreachable", 1, 86400, "SECONDS"),
		O("node-monitor-period", OPT_INT, &o->node_monitor_period, "Controllers", "Seconds between checks of node heartbeats", 1, 3600, "SECONDS"),
		O("terminated-pod-gc-threshold", OPT_INT, &o->terminated_pod_gc_threshold, "Controllers", "Terminated pods kept before the oldest are deleted (0: never)", 0, INT_MAX, "N"),
	};
	_Static_assert(ARRAY_SIZE(table) <= ARRAY_SIZE(o->opts), "flag table too small");
	memcpy(o->opts, table, sizeof(table));
	cmd->name = "kube server";
	cmd->summary = "Run the control plane (API server, datastore) and, by default, a local agent";
	cmd->usage = "kube server [flags]";
	cmd->default_config = "/etc/kube/config.yaml";
	cmd->opts = o->opts;
	cmd->nopts = ARRAY_SIZE(table);
}

static char *absolute(const char *path)
{
	char cwd[PATH_MAX];
	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

static void copy_list(const struct opt_list *l, char ***v, size_t *n)
{
	*v = xcalloc(l->n + 1, sizeof(char *));
	for (*n = 0; *n < l->n; (*n)++)
		(*v)[*n] = xstrdup(l->v[*n]);
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* --authorization-mode into cfg->authz (each mode once, at most four). */
static void parse_authz(const char *modes, struct server_config *cfg, struct buf *err)
{
	static const char *const names[] = { NULL, "Node", "RBAC", "AlwaysAllow", "AlwaysDeny" };
	for (const char *p = modes ? modes : "";;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p), i;
		for (i = 1; i < ARRAY_SIZE(names); i++)
			if (strlen(names[i]) == n && !strncmp(p, names[i], n))
				break;
		size_t j = 0;
		while (j < cfg->nauthz && cfg->authz[j] != (enum authz_mode)i)
			j++;
		if (i == ARRAY_SIZE(names))
			buf_addf(err, "--authorization-mode: unknown authorization mode \"%.*s\" (Node, RBAC, AlwaysAllow, AlwaysDeny)\n", (int)n, p);
		else if (j < cfg->nauthz)
			buf_addf(err, "--authorization-mode: mode \"%s\" given twice\n", names[i]);
		else
			cfg->authz[cfg->nauthz++] = (enum authz_mode)i;
		if (!comma)
			break;
		p = comma + 1;
	}
}

int server_options_complete(const struct server_options *o, struct server_config *cfg, struct buf *err)
{
	size_t start = err->len;
	memset(cfg, 0, sizeof(*cfg));
	cfg->data_dir = absolute(o->data_dir);
	cfg->server_dir = xasprintf("%s/server", cfg->data_dir);
	cfg->db_path = xasprintf("%s/db/state.db", cfg->server_dir);
	cfg->tls_dir = xasprintf("%s/tls", cfg->server_dir);
	cfg->token_path = xasprintf("%s/token", cfg->server_dir);
	cfg->bind_address = xstrdup(o->bind_address);
	cfg->port = (int)o->https_listen_port;
	cfg->kubeconfig_path = absolute(o->write_kubeconfig);
	cfg->kubeconfig_mode = o->write_kubeconfig_mode;
	cfg->tls_sans = xcalloc(o->tls_san.n + 1, sizeof(char *));
	for (size_t i = 0; i < o->tls_san.n; i++)
		cfg->tls_sans[cfg->ntls_sans++] = xstrdup(o->tls_san.v[i]);
	cfg->token = o->token && *o->token ? xstrdup(o->token) : NULL;
	if (o->token_auth_file && *o->token_auth_file)
		auth_static_tokens_load(o->token_auth_file, &cfg->static_tokens, &cfg->nstatic_tokens, err);
	if (o->client_ca_file && *o->client_ca_file)
		auth_client_ca_load(o->client_ca_file, &cfg->client_ca_pem, err);
	admission_plugins(o->enable_admission_plugins, o->disable_admission_plugins, &cfg->admission_off, err);
	parse_authz(o->authorization_mode, cfg, err);
	if (cidr_parse(o->cluster_cidr, &cfg->cluster_cidr) < 0)
		buf_addf(err, "--cluster-cidr: invalid CIDR \"%s\"\n", o->cluster_cidr);
	if (cidr_parse(o->service_cidr, &cfg->service_cidr) < 0)
		buf_addf(err, "--service-cidr: invalid CIDR \"%s\"\n", o->service_cidr);
	cfg->cluster_dns = xstrdup(o->cluster_dns);
	cfg->cluster_domain = xstrdup(o->cluster_domain);
	cfg->flannel_backend = xstrdup(o->flannel_backend ? o->flannel_backend : "vxlan");
	if (o->node_name && *o->node_name) {
		cfg->node_name = xstrdup(o->node_name);
	} else {
		char host[256] = "localhost";
		gethostname(host, sizeof(host));
		host[sizeof(host) - 1] = '\0';
		for (char *p = host; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		cfg->node_name = xstrdup(host);
	}
	cfg->disable_agent = o->disable_agent;
	copy_list(&o->node_ip, &cfg->node_ips, &cfg->n_node_ips);
	copy_list(&o->node_label, &cfg->node_labels, &cfg->n_node_labels);
	copy_list(&o->node_taint, &cfg->node_taints, &cfg->n_node_taints);
	cfg->resource_prefix = xstrdup(o->resource_prefix ? o->resource_prefix : "kube");
	cfg->kubelet_port = (int)o->kubelet_port;
	cfg->registries_config = xstrdup(o->registries_config ? o->registries_config : "");
	cfg->disable_scheduler = o->disable_scheduler;
	cfg->allocate_node_cidrs = o->allocate_node_cidrs;
	if (strcmp(o->datastore_endpoint, "sqlite") && !starts_with(o->datastore_endpoint, "sqlite://"))
		buf_addf(err, "--datastore-endpoint: \"%s\" is not supported: only \"sqlite\" is available\n",
			 o->datastore_endpoint);
	cfg->debug = o->debug;
	cfg->log_path = o->log && *o->log ? xstrdup(o->log) : NULL;
	cfg->compact_min_revs = o->compact_min_revisions;
	cfg->compact_interval_ms = (uint64_t)o->compact_interval_seconds * 1000;
	cfg->max_conns = (int)o->max_connections;
	cfg->max_mutating_inflight = (int)o->max_mutating_inflight;
	cfg->node_monitor_grace_ms = o->node_monitor_grace_period * 1000;
	cfg->node_monitor_period_ms = o->node_monitor_period * 1000;
	cfg->terminated_pod_gc_threshold = o->terminated_pod_gc_threshold;
	return err->len > start ? -KUBE_EINVAL : 0;
}

/* Is the data directory usable: existing and writable, or creatable? */
static void check_data_dir(const char *dir, struct buf *err)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			buf_addf(err, "--data-dir: %s is not a directory\n", dir);
		else if (access(dir, R_OK | W_OK | X_OK) < 0)
			buf_addf(err, "--data-dir: %s is not readable and writable: %s\n", dir, strerror(errno));
		return;
	}
	if (errno != ENOENT) {
		buf_addf(err, "--data-dir: cannot use %s: %s\n", dir, strerror(errno));
		return;
	}
	char *parent = xstrdup(dir), *slash;
	/* Walk up to the first existing ancestor: it must be writable for us to create dir. */
	while ((slash = strrchr(parent, '/')) && slash != parent) {
		*slash = '\0';
		if (stat(parent, &st) == 0)
			break;
	}
	if (slash == parent)
		strcpy(parent, "/");
	if (access(parent, W_OK | X_OK) < 0)
		buf_addf(err, "--data-dir: cannot create %s: %s is not writable\n", dir, parent);
	free(parent);
}

int server_config_validate(const struct server_config *cfg, struct buf *err)
{
	size_t start = err->len;
	if (cfg->cluster_cidr.family && cfg->service_cidr.family && cidr_overlap(&cfg->cluster_cidr, &cfg->service_cidr))
		buf_addf(err, "--cluster-cidr and --service-cidr overlap\n");
	if (cfg->cluster_dns && !ip_valid(cfg->cluster_dns))
		buf_addf(err, "--cluster-dns: invalid IP address \"%s\"\n", cfg->cluster_dns);
	if (cfg->flannel_backend && strcmp(cfg->flannel_backend, "vxlan") && strcmp(cfg->flannel_backend, "host-gw") &&
	    strcmp(cfg->flannel_backend, "none"))
		buf_addf(err, "--flannel-backend: \"%s\" is not one of vxlan, host-gw, none\n", cfg->flannel_backend);
	if (!ip_valid(cfg->bind_address))
		buf_addf(err, "--bind-address: invalid IP address \"%s\"\n", cfg->bind_address);
	struct buf why = BUF_INIT;
	if (validate_dns1123_subdomain(cfg->cluster_domain, &why) < 0)
		buf_addf(err, "--cluster-domain: %s\n", why.data);
	buf_reset(&why);
	if (validate_dns1123_subdomain(cfg->node_name, &why) < 0)
		buf_addf(err, "--node-name: %s\n", why.data);
	buf_release(&why);
	for (size_t i = 0; i < cfg->ntls_sans; i++) {
		struct buf w = BUF_INIT;
		if (!ip_valid(cfg->tls_sans[i]) && validate_dns1123_subdomain(cfg->tls_sans[i], &w) < 0)
			buf_addf(err, "--tls-san: \"%s\" is neither an IP address nor a DNS name\n", cfg->tls_sans[i]);
		buf_release(&w);
	}
	if (cfg->kubeconfig_mode > 0777)
		buf_addf(err, "--write-kubeconfig-mode: %o is not a file mode\n", cfg->kubeconfig_mode);
	check_data_dir(cfg->data_dir, err);
	return err->len > start ? -KUBE_EINVAL : 0;
}

void server_config_release(struct server_config *cfg)
{
	free(cfg->data_dir);
	free(cfg->server_dir);
	free(cfg->db_path);
	free(cfg->tls_dir);
	free(cfg->token_path);
	free(cfg->client_ca_pem);
	free(cfg->bind_address);
	free(cfg->kubeconfig_path);
	for (size_t i = 0; i < cfg->ntls_sans; i++)
		free(cfg->tls_sans[i]);
	free(cfg->tls_sans);
	free(cfg->token);
	auth_static_tokens_free(cfg->static_tokens, cfg->nstatic_tokens);
	free(cfg->cluster_dns);
	free(cfg->cluster_domain);
	free(cfg->flannel_backend);
	free(cfg->node_name);
	free_list(cfg->node_ips, cfg->n_node_ips);
	free_list(cfg->node_labels, cfg->n_node_labels);
	free_list(cfg->node_taints, cfg->n_node_taints);
	free(cfg->resource_prefix);
	free(cfg->registries_config);
	free(cfg->log_path);
	memset(cfg, 0, sizeof(*cfg));
}
