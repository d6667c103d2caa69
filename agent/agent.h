/*
 * agent.h - `kube agent`: the kubelet side of a node. It joins a cluster with a token, registers
 * its Node and keeps it and its Lease up to date, serves the kubelet HTTPS API (container logs)
 * and follows the pods bound to it. `kube server` runs the same agent in a thread of its own
 * (agent_thread_start), talking to its own API over HTTPS like any other agent.
 *
 * The entry follows the component pattern of STYLE.md: agent_options_init() (defaults) ->
 * agent_options_cmd() (the flag table, with KUBE_* environment and config-file fallbacks) ->
 * opt_parse -> agent_options_complete() (derives the distinct struct agent_config) ->
 * agent_config_validate() (collects every problem) -> agent_run().
 */
#ifndef KUBE_AGENT_H
#define KUBE_AGENT_H

#include <stddef.h>
#include <uv.h>

#include "lib/opt.h"

struct buf;

/* What the user gave, as parsed. */
struct agent_options {
	char *server;             /* --server (also $KUBE_URL) */
	char *token;              /* --token */
	char *token_file;
	char *data_dir;
	char *node_name;
	struct opt_list node_ip;
	struct opt_list node_label;
	struct opt_list node_taint;
	long long max_pods;
	char *resource_prefix;
	long long kubelet_port;
	char *kubelet_address;
	char *registries_config;
	char *config;
	int debug;
	char *log;
	int control_plane;        /* set by the server for its embedded agent (no flag) */
	struct opt opts[20];      /* the flag table, bound to the fields above */
};

/* A taint from --node-taint KEY[=VALUE]:EFFECT. */
struct agent_taint {
	char *key;
	char *value;              /* may be "" */
	char *effect;             /* NoSchedule, PreferNoSchedule or NoExecute */
};

/* The completed configuration the agent runs with: derived, checked, immutable. */
struct agent_config {
	char *server_url;         /* "https://host:port" */
	char *token;              /* the join token (K10<ca hash>::<user>:<secret>, or a bare secret) */
	char *data_dir;           /* absolute */
	char *agent_dir;          /* DATA/agent */
	char *tls_dir;            /* DATA/agent/tls */
	char *pods_dir;           /* DATA/agent/pods: container logs and pod state */
	char *node_name;
	char *hostname;           /* the machine's host name (lower case) */
	char **node_ips;          /* the first is the node's InternalIP */
	size_t n_node_ips;
	char **label_keys, **label_values; /* from --node-label */
	size_t nlabels;
	struct agent_taint *taints;
	size_t ntaints;
	int max_pods;
	char *resource_prefix;    /* names every host resource of this instance */
	int kubelet_port;
	char *kubelet_address;
	char *registries_config;
	int control_plane;        /* the server's own node: node-role labels */
	int debug;
	char *log_path;
};

void agent_options_init(struct agent_options *o);
/* Fills cmd with the flag table for `kube agent` bound to o. */
void agent_options_cmd(struct agent_options *o, struct opt_cmd *cmd);
/* Derives cfg from o (reads --token-file, finds the default node IP and host name: start-up
 * only). Returns 0, or -KUBE_EINVAL with one line per problem in err. */
int agent_options_complete(const struct agent_options *o, struct agent_config *cfg, struct buf *err);
/* Checks cfg as a whole. Returns 0, or -KUBE_EINVAL with every problem on its own line in err. */
int agent_config_validate(const struct agent_config *cfg, struct buf *err);
void agent_config_release(struct agent_config *cfg);

/* `kube agent`: parse, complete, validate, run. Returns the exit status. */
int cmd_agent(int argc, char **argv);

/* Runs the agent on a loop of its own until SIGTERM or SIGINT. Returns 0 after a clean stop, or
 * a negative error (logged) when start-up fails. */
int agent_run(const struct agent_config *cfg);

/* The embedded agent: a thread with its own loop. */
struct agent_thread;

/* Starts the agent of cfg (which must outlive it) in a new thread. When the agent has stopped
 * (after agent_thread_stop, or after it failed to start), stopped(arg) runs on owner (the
 * caller's loop) and the handle is freed; the owner loop stays alive until then. Returns 0 and
 * *out, or a negative error with a message in err (then stopped never runs). */
int agent_thread_start(uv_loop_t *owner, const struct agent_config *cfg, void (*stopped)(void *arg), void *arg,
		       struct agent_thread **out, struct buf *err);
/* Asks the agent to stop (thread-safe, once). Never blocks. */
void agent_thread_stop(struct agent_thread *t);

/* What `kube server` gives its embedded agent (flags as typed: the agent checks them). */
struct agent_embed {
	const char *server_url;        /* the server's own API, https://HOST:PORT */
	const char *token_path;        /* DATA/server/token: it joins with the token like any agent */
	const char *data_dir;
	const char *node_name;
	const char *resource_prefix;
	int kubelet_port;
	const char *registries_config; /* --registries-config of the server */
	char *const *node_ips, *const *labels, *const *taints;
	size_t n_node_ips, nlabels, ntaints;
	int debug;
};

/* Completes and checks the configuration of an embedded agent (a control-plane node), then
 * starts it as agent_thread_start does; the configuration is owned by the thread. Returns 0 and
 * *out, or -KUBE_EINVAL / a negative error with the problems in err (stopped never runs). */
int agent_embedded_start(uv_loop_t *owner, const struct agent_embed *e, void (*stopped)(void *arg), void *arg,
			 struct agent_thread **out, struct buf *err);

#endif
