/*
 * options.c - `kube agent` options: defaults, the flag table, completion into a struct
 * agent_config (default node IP from the default route, host name, labels and taints split and
 * checked), and validation that reports every problem at once.
 */
#include "agent/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cidr.h"

void agent_options_init(struct agent_options *o)
{
	memset(o, 0, sizeof(*o));
	o->data_dir = "/var/lib/kube";
	o->max_pods = 110;
	o->resource_prefix = "kube";
	o->kubelet_port = 10250;
	o->kubelet_address = "0.0.0.0";
	o->registries_config = "/etc/kube/registries.yaml";
}

#define O(n, t, v, g, u, ...) { n, t, v, g, u, __VA_ARGS__ }

void agent_options_cmd(struct agent_options *o, struct opt_cmd *cmd)
{
	const struct opt table[] = {
		O("config", OPT_STRING, &o->config, "General", "Load configuration from FILE", 0, 0, "FILE"),
		O("data-dir", OPT_STRING, &o->data_dir, "General", "Directory for state (agent state under agent/)", 0, 0, "DIR"),
		O("debug", OPT_BOOL, &o->debug, "General", "Turn on debug logs", 0, 0, NULL),
		O("log", OPT_STRING, &o->log, "General", "Log to FILE instead of standard error", 0, 0, "FILE"),
		O("server", OPT_STRING, &o->server, "Cluster", "Server to join: https://HOST:6443 (also $KUBE_URL)", 0, 0, "URL"),
		O("token", OPT_STRING, &o->token, "Cluster", "Join token (the server's DATA/server/token)", 0, 0, "TOKEN"),
		O("token-file", OPT_STRING, &o->token_file, "Cluster", "Read the join token from FILE", 0, 0, "FILE"),
		O("node-name", OPT_STRING, &o->node_name, "Node", "Name of the node (default: the host name)", 0, 0, "NAME"),
		O("node-ip", OPT_LIST, &o->node_ip, "Node", "IP address to advertise for the node (default: the address of the default route's interface)", 0, 0, "IP"),
		O("node-label", OPT_LIST, &o->node_label, "Node", "Label to register the node with, KEY=VALUE (repeatable)", 0, 0, "LABEL"),
		O("node-taint", OPT_LIST, &o->node_taint, "Node", "Taint to register the node with, KEY[=VALUE]:EFFECT (repeatable)", 0, 0, "TAINT"),
		O("max-pods", OPT_INT, &o->max_pods, "Node", "Most pods this node runs", 1, 10000, "N"),
		O("resource-prefix", OPT_STRING, &o->resource_prefix, "Node", "Prefix naming every host resource of this instance (network namespaces, cgroups, runc state)", 0, 0, "PREFIX"),
		O("kubelet-port", OPT_INT, &o->kubelet_port, "Kubelet", "HTTPS port of the kubelet API", 1, 65535, "PORT"),
		O("kubelet-address", OPT_STRING, &o->kubelet_address, "Kubelet", "Address the kubelet API listens on", 0, 0, "ADDR"),
		O("registries-config", OPT_STRING, &o->registries_config, "Images", "Registry mirrors and credentials (k3s's registries.yaml format)", 0, 0, "FILE"),
	};
	_Static_assert(ARRAY_SIZE(table) <= ARRAY_SIZE(o->opts), "flag table too small");
	memcpy(o->opts, table, sizeof(table));
	cmd->name = "kube agent";
	cmd->summary = "Run a node: join a cluster and run its pods";
	cmd->usage = "kube agent --server https://HOST:6443 --token TOKEN [flags]";
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

static char *lower_hostname(void)
{
	char host[256] = "localhost";
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	for (char *p = host; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	return xstrdup(host);
}

/* The interface of the IPv4 default route, from /proc/net/route, into ifname. */
static int default_route_iface(char ifname[IF_NAMESIZE + 1])
{
	FILE *f = fopen("/proc/net/route", "r");
	char line[256], name[64];
	unsigned dest, gw, flags, mask;
	int found = -1;
	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %x %x %x %*d %*d %*d %x", name, &dest, &gw, &flags, &mask) == 5 && dest == 0 &&
		    mask == 0 && (flags & 1) && strlen(name) <= IF_NAMESIZE) {
			memcpy(ifname, name, strlen(name) + 1);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

/* The first IPv4 address of the default route's interface (as k3s picks the node IP). */
static char *default_node_ip(void)
{
	char ifname[IF_NAMESIZE + 1], ip[INET_ADDRSTRLEN];
	struct ifaddrs *ifa = NULL;
	char *out = NULL;
	if (default_route_iface(ifname) < 0 || getifaddrs(&ifa) < 0)
		return NULL;
	for (struct ifaddrs *i = ifa; i && !out; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || strcmp(i->ifa_name, ifname))
			continue;
		if (inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, ip, sizeof(ip)))
			out = xstrdup(ip);
	}
	freeifaddrs(ifa);
	return out;
}

static int alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A label name part or value: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends
 * (a value may be empty). */
static int valid_label_part(const char *s, size_t n, int allow_empty)
{
	if (!n)
		return allow_empty;
	if (n > 63 || !alnum(s[0]) || !alnum(s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

/* A DNS-1123 subdomain: lower-case alphanumerics, '-' and '.', alphanumeric at both ends. */
static int valid_dns_subdomain(const char *s, size_t n)
{
	if (!n || n > 253 || !alnum(s[0]) || !alnum(s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((s[i] >= 'A' && s[i] <= 'Z') || (!alnum(s[i]) && s[i] != '-' && s[i] != '.'))
			return 0;
	return 1;
}

/* A label key: [DNS-subdomain prefix '/'] name. */
static int valid_label_key(const char *k)
{
	const char *slash = strchr(k, '/');
	if (slash)
		return valid_dns_subdomain(k, (size_t)(slash - k)) && valid_label_part(slash + 1, strlen(slash + 1), 0);
	return valid_label_part(k, strlen(k), 0);
}

static void complete_labels(const struct agent_options *o, struct agent_config *cfg, struct buf *err)
{
	cfg->label_keys = xcalloc(o->node_label.n + 1, sizeof(char *));
	cfg->label_values = xcalloc(o->node_label.n + 1, sizeof(char *));
	for (size_t i = 0; i < o->node_label.n; i++) {
		const char *l = o->node_label.v[i], *eq = strchr(l, '=');
		char *key = eq ? xstrndup(l, (size_t)(eq - l)) : xstrdup(l);
		const char *value = eq ? eq + 1 : "";
		if (!eq || !valid_label_key(key) || !valid_label_part(value, strlen(value), 1)) {
			buf_addf(err, "--node-label: invalid label \"%s\": want KEY=VALUE with a valid label key and value\n", l);
			free(key);
			continue;
		}
		cfg->label_keys[cfg->nlabels] = key;
		cfg->label_values[cfg->nlabels++] = xstrdup(value);
	}
}

static void complete_taints(const struct agent_options *o, struct agent_config *cfg, struct buf *err)
{
	static const char *const effects[] = { "NoSchedule", "PreferNoSchedule", "NoExecute" };
	cfg->taints = xcalloc(o->node_taint.n + 1, sizeof(*cfg->taints));
	for (size_t i = 0; i < o->node_taint.n; i++) {
		const char *t = o->node_taint.v[i], *colon = strrchr(t, ':');
		char *kv = colon ? xstrndup(t, (size_t)(colon - t)) : NULL, *eq = kv ? strchr(kv, '=') : NULL;
		int ok = 0;
		if (eq)
			*eq = '\0';
		for (size_t e = 0; colon && e < ARRAY_SIZE(effects); e++)
			ok |= !strcmp(colon + 1, effects[e]);
		if (!ok || !valid_label_key(kv) || (eq && !valid_label_part(eq + 1, strlen(eq + 1), 1))) {
			buf_addf(err, "--node-taint: invalid taint \"%s\": want KEY[=VALUE]:EFFECT with EFFECT one of NoSchedule, "
				      "PreferNoSchedule, NoExecute\n", t);
			free(kv);
			continue;
		}
		struct agent_taint *out = &cfg->taints[cfg->ntaints++];
		out->key = xstrdup(kv);
		out->value = xstrdup(eq ? eq + 1 : "");
		out->effect = xstrdup(colon + 1);
		free(kv);
	}
}

static void complete_token(const struct agent_options *o, struct agent_config *cfg, struct buf *err)
{
	char *data = NULL;
	if (o->token && *o->token) {
		cfg->token = xstrdup(o->token);
	} else if (o->token_file && *o->token_file) {
		int r = read_file(o->token_file, &data, NULL);
		if (r < 0) {
			buf_addf(err, "--token-file: cannot read %s: %s\n", o->token_file, strerror(-r));
			return;
		}
		data[strcspn(data, "\r\n")] = '\0';
		cfg->token = data;
	}
}

static void complete_server(const struct agent_options *o, struct agent_config *cfg)
{
	const char *url = o->server;
	const char *env = getenv("KUBE_URL");
	/* $KUBE_URL (as k3s's K3S_URL) when neither the command line nor $KUBE_SERVER set it. */
	const struct opt *so = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(o->opts); i++)
		if (o->opts[i].name && !strcmp(o->opts[i].name, "server"))
			so = &o->opts[i];
	if (env && *env && !o->control_plane && (!so || so->source < OPT_SRC_ENV))
		url = env;
	if (url && *url) {
		size_t n = strlen(url);
		while (n > 0 && url[n - 1] == '/')
			n--;
		cfg->server_url = xstrndup(url, n);
	}
}

int agent_options_complete(const struct agent_options *o, struct agent_config *cfg, struct buf *err)
{
	size_t start = err->len;
	memset(cfg, 0, sizeof(*cfg));
	complete_server(o, cfg);
	complete_token(o, cfg, err);
	cfg->data_dir = absolute(o->data_dir);
	cfg->agent_dir = xasprintf("%s/agent", cfg->data_dir);
	cfg->tls_dir = xasprintf("%s/tls", cfg->agent_dir);
	cfg->pods_dir = xasprintf("%s/pods", cfg->agent_dir);
	cfg->hostname = lower_hostname();
	cfg->node_name = xstrdup(o->node_name && *o->node_name ? o->node_name : cfg->hostname);
	cfg->node_ips = xcalloc(o->node_ip.n + 2, sizeof(char *));
	for (size_t i = 0; i < o->node_ip.n; i++)
		cfg->node_ips[cfg->n_node_ips++] = xstrdup(o->node_ip.v[i]);
	if (!cfg->n_node_ips) {
		char *ip = default_node_ip();
		if (ip)
			cfg->node_ips[cfg->n_node_ips++] = ip;
		else
			buf_addf(err, "--node-ip: this host has no IPv4 default route to take the node's address from: "
				      "give --node-ip\n");
	}
	complete_labels(o, cfg, err);
	complete_taints(o, cfg, err);
	cfg->max_pods = (int)o->max_pods;
	cfg->resource_prefix = xstrdup(o->resource_prefix ? o->resource_prefix : "");
	cfg->kubelet_port = (int)o->kubelet_port;
	cfg->kubelet_address = xstrdup(o->kubelet_address ? o->kubelet_address : "0.0.0.0");
	cfg->registries_config = xstrdup(o->registries_config ? o->registries_config : "");
	cfg->control_plane = o->control_plane;
	cfg->debug = o->debug;
	cfg->log_path = o->log && *o->log ? xstrdup(o->log) : NULL;
	return err->len > start ? -KUBE_EINVAL : 0;
}

static void check_prefix(const char *p, struct buf *err)
{
	size_t n = strlen(p);
	int ok = n >= 1 && n <= 12 && p[0] >= 'a' && p[0] <= 'z';
	for (size_t i = 0; ok && i < n; i++)
		ok = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9');
	if (!ok)
		buf_addf(err, "--resource-prefix: \"%s\" must be 1 to 12 lower-case letters or digits, starting with a letter\n", p);
}

int agent_config_validate(const struct agent_config *cfg, struct buf *err)
{
	size_t start = err->len;
	char host[256];
	int port;
	if (!cfg->server_url)
		buf_addf(err, "--server: required (https://HOST:PORT of a kube server)\n");
	else if (rest_url_split(cfg->server_url, host, sizeof(host), &port) != 1)
		buf_addf(err, "--server: \"%s\" is not an https://HOST[:PORT] URL\n", cfg->server_url);
	if (!cfg->token || !*cfg->token)
		buf_addf(err, "--token: required (the server's DATA/server/token)\n");
	if (!valid_dns_subdomain(cfg->node_name, strlen(cfg->node_name)))
		buf_addf(err, "--node-name: \"%s\" is not a lower-case RFC 1123 subdomain\n", cfg->node_name);
	for (size_t i = 0; i < cfg->n_node_ips; i++)
		if (!ip_valid(cfg->node_ips[i]))
			buf_addf(err, "--node-ip: invalid IP address \"%s\"\n", cfg->node_ips[i]);
	if (!ip_valid(cfg->kubelet_address))
		buf_addf(err, "--kubelet-address: invalid IP address \"%s\"\n", cfg->kubelet_address);
	check_prefix(cfg->resource_prefix, err);
	struct stat st;
	if (stat(cfg->data_dir, &st) == 0 && !S_ISDIR(st.st_mode))
		buf_addf(err, "--data-dir: %s is not a directory\n", cfg->data_dir);
	return err->len > start ? -KUBE_EINVAL : 0;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void agent_config_release(struct agent_config *cfg)
{
	free(cfg->server_url);
	free(cfg->token);
	free(cfg->data_dir);
	free(cfg->agent_dir);
	free(cfg->tls_dir);
	free(cfg->pods_dir);
	free(cfg->node_name);
	free(cfg->hostname);
	free_strv(cfg->node_ips, cfg->n_node_ips);
	free_strv(cfg->label_keys, cfg->nlabels);
	free_strv(cfg->label_values, cfg->nlabels);
	for (size_t i = 0; i < cfg->ntaints; i++) {
		free(cfg->taints[i].key);
		free(cfg->taints[i].value);
		free(cfg->taints[i].effect);
	}
	free(cfg->taints);
	free(cfg->resource_prefix);
	free(cfg->kubelet_address);
	free(cfg->registries_config);
	free(cfg->log_path);
	memset(cfg, 0, sizeof(*cfg));
}

int cmd_agent(int argc, char **argv)
{
	struct agent_options opts;
	struct agent_config cfg = { 0 };
	struct opt_cmd cmd = { 0 };
	struct buf err = BUF_INIT;
	char **args = NULL;
	size_t nargs = 0;
	int help = 0, rc = 1;
	agent_options_init(&opts);
	agent_options_cmd(&opts, &cmd);
	if (opt_parse(&cmd, argc, argv, &args, &nargs, &help, &err) == 0 && help) {
		opt_print_help(&cmd, stdout);
		rc = 0;
		goto out;
	}
	if (err.len && err.data[err.len - 1] != '\n')
		buf_addch(&err, '\n');
	if (nargs)
		buf_addf(&err, "unexpected argument \"%s\"\n", args[0]);
	agent_options_complete(&opts, &cfg, &err);
	agent_config_validate(&cfg, &err);
	if (err.len)
		goto out;
	if (log_init(cfg.debug ? LOG_DEBUG : LOG_INFO, cfg.log_path) < 0) {
		buf_addf(&err, "--log: cannot open %s\n", cfg.log_path);
		goto out;
	}
	rc = agent_run(&cfg) < 0 ? 1 : 0;
out:
	if (err.len)
		fprintf(stderr, "kube agent: invalid configuration:\n%s%s", err.data, err.data[err.len - 1] == '\n' ? "" : "\n");
	free(args);
	agent_config_release(&cfg);
	opt_free(&cmd);
	buf_release(&err);
	log_close();
	return rc;
}
