/*
 * server.h - `kube server`: the API server, its datastore and (later) the scheduler, the
 * controllers and an embedded agent.
 *
 * The entry follows the component pattern of STYLE.md: server_options_init() (defaults) ->
 * server_options_cmd() (the flag table, with KUBE_* environment and config-file fallbacks) ->
 * opt_parse -> server_options_complete() (derives the distinct struct server_config) ->
 * server_config_validate() (collects every problem) -> server_run().
 */
#ifndef KUBE_SERVER_H
#define KUBE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/cidr.h"
#include "lib/opt.h"

struct buf;

/* One line of a --token-auth-file (upstream's static token file): a bearer token and the user
 * it authenticates as. Owned by the array it is in (auth_static_tokens_free). */
struct static_token {
	char *token;
	char *user;
	char *uid;
	char **groups;
	size_t ngroups;
};

/* Parses a static token file's text (len bytes, need not be NUL-terminated): CSV records
 * token,user,uid[,"group1,group2"], further columns ignored, quoted fields as RFC 4180 (Go's
 * encoding/csv), blank lines skipped, a record with an empty token skipped, a later duplicate
 * token replacing an earlier one. name labels errors. Returns 0 with a new array in *out (the
 * caller frees it with auth_static_tokens_free) and its length in *n, or -KUBE_EINVAL with a
 * "NAME:LINE: why" line in err and nothing allocated (auth.c). */
int auth_static_tokens_parse(const char *text, size_t len, const char *name, struct static_token **out, size_t *n,
			     struct buf *err);
/* Reads and parses the file at path the same way. Returns 0, or a negative error with a line
 * naming the file in err. */
int auth_static_tokens_load(const char *path, struct static_token **out, size_t *n, struct buf *err);
void auth_static_tokens_free(struct static_token *t, size_t n);
/* Reads --client-ca-file: PEM certificates, returned in *pem (the caller frees it). Returns 0, or
 * a negative errno with a message naming the file in err. */
int auth_client_ca_load(const char *path, char **pem, struct buf *err);

/* What the user gave, as parsed: strings as typed. */
struct server_options {
	char *data_dir;
	char *bind_address;
	long long https_listen_port;
	char *write_kubeconfig;
	unsigned write_kubeconfig_mode;
	struct opt_list tls_san;
	char *token;
	char *token_auth_file;         /* --token-auth-file: static bearer tokens (CSV) */
	char *client_ca_file;          /* --client-ca-file: another CA of client certificates */
	char *enable_admission_plugins;  /* comma lists of upstream's plugin names */
	char *disable_admission_plugins;
	char *authorization_mode;      /* --authorization-mode: "Node,RBAC" */
	char *cluster_cidr;
	char *service_cidr;
	char *cluster_dns;
	char *cluster_domain;
	char *flannel_backend;         /* --flannel-backend: vxlan, host-gw or none */
	int allocate_node_cidrs;       /* --allocate-node-cidrs (default 1) */
	char *node_name;
	int disable_agent;
	int disable_scheduler;
	struct opt_list node_ip;       /* embedded agent: --node-ip, --node-label, --node-taint */
	struct opt_list node_label;
	struct opt_list node_taint;
	char *resource_prefix;
	long long kubelet_port;
	char *registries_config;      /* embedded agent: --registries-config */
	char *datastore_endpoint;
	char *config;
	int debug;
	char *log;
	long long compact_min_revisions;
	long long compact_interval_seconds;
	long long max_connections;
	long long max_mutating_inflight;
	long long node_monitor_grace_period;
	long long node_monitor_period;
	long long terminated_pod_gc_threshold;
	struct opt opts[48]; /* the flag table, bound to the fields above */
};

/* The completed configuration the server runs with: derived, checked, immutable. */
struct server_config {
	char *data_dir;           /* absolute */
	char *server_dir;         /* DATA/server */
	char *db_path;            /* DATA/server/db/state.db */
	char *tls_dir;            /* DATA/server/tls */
	char *token_path;         /* DATA/server/token */
	char *bind_address;
	int port;
	char *kubeconfig_path;
	unsigned kubeconfig_mode;
	char **tls_sans;
	size_t ntls_sans;
	char *token;              /* the secret part given by --token, or NULL (generated) */
	struct static_token *static_tokens; /* read from --token-auth-file at start-up */
	size_t nstatic_tokens;
	struct cidr cluster_cidr;
	struct cidr service_cidr;
	char *cluster_dns;
	char *cluster_domain;
	char *flannel_backend;    /* "vxlan", "host-gw" or "none": served to agents */
	char *node_name;
	int disable_agent;
	/* the embedded agent's node (as given: the agent checks them) */
	char **node_ips, **node_labels, **node_taints;
	size_t n_node_ips, n_node_labels, n_node_taints;
	char *resource_prefix;
	int kubelet_port;
	char *registries_config;      /* the embedded agent's registries.yaml (k3s's format) */
	int disable_scheduler;
	int allocate_node_cidrs;  /* the node IPAM controller runs */
	int debug;
	char *log_path;
	int64_t compact_min_revs;
	uint64_t compact_interval_ms;
	int max_conns;
	int max_mutating_inflight;
	int64_t node_monitor_grace_ms; /* a node whose Lease is older goes Ready=Unknown */
	int64_t node_monitor_period_ms; /* how often node health is checked */
	int64_t terminated_pod_gc_threshold; /* terminated pods kept before PodGC deletes; 0: off */
	char *client_ca_pem;      /* --client-ca-file's certificates (PEM), or NULL */
	unsigned admission_off;   /* enum admission_plugin bits of kube's plugins that do not run
				   * (0: upstream's defaults, all of kube's on) */
	/* --authorization-mode: the authorizers after system:masters, in order (upstream's names
	 * Node, RBAC, AlwaysAllow, AlwaysDeny); the first that allows decides. */
	enum authz_mode { AUTHZ_NODE = 1, AUTHZ_RBAC, AUTHZ_ALWAYS_ALLOW, AUTHZ_ALWAYS_DENY } authz[4];
	size_t nauthz;
};

/* The admission plugins kube has, by upstream's names (admission.c). */
enum admission_plugin {
	ADM_NAMESPACE_LIFECYCLE = 1 << 0,
	ADM_SERVICE_ACCOUNT = 1 << 1,
	ADM_PRIORITY = 1 << 2,
	ADM_DEFAULT_TOLERATION_SECONDS = 1 << 3,
	ADM_LIMIT_RANGER = 1 << 4,
	ADM_RESOURCE_QUOTA = 1 << 5,
	ADM_DEFAULT_STORAGE_CLASS = 1 << 6,
	ADM_STORAGE_IN_USE_PROTECTION = 1 << 7,
	ADM_DEFAULT_INGRESS_CLASS = 1 << 8,
};

/* Computes, from --enable-admission-plugins and --disable-admission-plugins (comma-separated
 * upstream plugin names, either may be NULL or ""), the bits of kube's plugins that do not run:
 * upstream's default-on set, plus enable, minus disable. Every name must be one of upstream's
 * plugins (names of plugins kube does not have are accepted and change nothing); unknown names
 * and names in both lists are reported in err as upstream words them. Returns 0 or -1. */
int admission_plugins(const char *enable, const char *disable, unsigned *off, struct buf *err);

void server_options_init(struct server_options *o);
/* Fills cmd with the flag table for `kube server` bound to o (the table is static storage
 * owned by the options). */
void server_options_cmd(struct server_options *o, struct opt_cmd *cmd);
/* Derives cfg from o. Returns 0, or -KUBE_EINVAL with one line per problem in err. */
int server_options_complete(const struct server_options *o, struct server_config *cfg, struct buf *err);
/* Checks cfg as a whole (overlapping CIDRs, readable data dir, ...). Returns 0, or -KUBE_EINVAL
 * with every problem on its own line in err. */
int server_config_validate(const struct server_config *cfg, struct buf *err);
void server_config_release(struct server_config *cfg);

/* `kube server`: parse, complete, validate, run. Returns the exit status. */
int cmd_server(int argc, char **argv);

/* Runs the server until SIGTERM or SIGINT. Returns 0 after a clean stop, or a negative error
 * (with a message logged) when start-up fails. */
int server_run(const struct server_config *cfg);

#endif
