/*
 * proxy_rules.h - the service proxy's pure part: Services, EndpointSlices and this node's pods
 * in, the desired nftables table out (agent/proxy_rules.c; unit-tested in test-proxy.c).
 */
#ifndef KUBE_AGENT_PROXY_RULES_H
#define KUBE_AGENT_PROXY_RULES_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "lib/buf.h"
#include "netfilter/nft.h"

/* What the rules are computed from; every pointer is borrowed for the call. */
struct proxy_input {
	const char *table;          /* the table's name (the instance prefix) */
	const char *node_name;      /* for traffic policy Local (endpoints[].nodeName) */
	const char *cluster_cidr;   /* pods' addresses, or NULL */
	const char *service_cidr;   /* or NULL */
	const char *dns_ip;         /* the built-in cluster DNS address, or NULL: a Service with this
				       ClusterIP is left to the DNS server (no rule, no reject) */
	const cJSON *const *services;
	size_t nservices;
	const cJSON *const *slices; /* discovery.k8s.io/v1 EndpointSlices */
	size_t nslices;
	const cJSON *const *pods;   /* pods bound to this node (for hostPorts) */
	size_t npods;
};

/* The mark that asks the postrouting chain to masquerade a connection (as upstream). */
#define PROXY_MASQ_MARK "0x4000"

/* Builds the desired table (caller frees with nf_ruleset_free). Malformed objects are skipped
 * with one line each in warn (may be NULL); never fails. */
struct nf_ruleset *proxy_rules_build(const struct proxy_input *in, struct buf *warn);

#endif
