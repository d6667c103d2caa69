/*
 * validate_networking.c - upstream's validation of Ingress, IngressClass and NetworkPolicy
 * (pkg/apis/networking/validation), with upstream's field paths and messages.
 *
 * DESIGN
 * One function per upstream validator, each adding errors under the path it is given. A
 * v1beta1 Ingress is validated as the v1 object it is stored as (a converted copy), so its
 * errors name the v1 fields, as upstream's do (it validates the internal, v1-shaped type).
 */
#include "internal.h"
#include "lib/cidr.h"
#include "server/kinds.h"
#include "server/networking.h"

#include <string.h>

/* IsWildcardDNS1123Subdomain: "*." followed by a DNS-1123 subdomain. */
static int wildcard_subdomain(const char *s, struct buf *why)
{
	struct buf tmp = BUF_INIT;
	int bad = strncmp(s, "*.", 2) != 0 || validate_dns1123_subdomain(s + 2, &tmp) < 0 || strlen(s) > 253;
	buf_release(&tmp);
	if (!bad)
		return 0;
	buf_adds(why, "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which "
		      "must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric "
		      "character (e.g. '*.example.com', regex used for validation is "
		      "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
	return -1;
}

static void validate_host(struct field_errors *errs, const char *path, const char *host)
{
	validate_each(errs, path, host, strchr(host, '*') ? wildcard_subdomain : validate_dns1123_subdomain);
}

static void validate_tls(const cJSON *tls, struct field_errors *errs)
{
	char path[VPATH_MAX];
	const cJSON *t, *h;
	int i = 0;
	cJSON_ArrayForEach(t, tls) {
		int j = 0;
		cJSON_ArrayForEach(h, json_getv(t, "hosts", NULL)) {
			if (cJSON_IsString(h))
				validate_host(errs, validate_path(path, "spec.tls[%d].hosts[%d]", i, j), h->valuestring);
			j++;
		}
		i++;
	}
}

static void validate_service_backend(const cJSON *svc, const char *at, struct field_errors *errs)
{
	char path[VPATH_MAX];
	const char *name = json_str(svc, "name");
	const cJSON *port = json_obj(svc, "port");
	const char *pname = json_str(port, "name");
	int64_t num = 0;
	json_int(port, "number", &num);
	if (!name || !*name)
		field_errors_add(errs, FE_REQUIRED, validate_path(path, "%s.service.name", at), NULL, NULL);
	else
		validate_each(errs, validate_path(path, "%s.service.name", at), name, validate_dns1035_label);
	if (pname && *pname && num)
		field_errors_add_str(errs, FE_INVALID, at, "", "cannot set both port name & port number");
	else if (pname && *pname)
		validate_each(errs, validate_path(path, "%s.service.port.name", at), pname, validate_port_name);
	else if (num)
		validate_port_num(errs, validate_path(path, "%s.service.port.number", at), json_getv(port, "number", NULL));
	else
		field_errors_add(errs, FE_REQUIRED, at, NULL, "port name or number is required");
}

static void validate_backend(const cJSON *b, const char *at, struct field_errors *errs)
{
	char path[VPATH_MAX];
	const cJSON *res = json_obj(b, "resource"), *svc = json_obj(b, "service");
	if (res && svc) {
		field_errors_add_str(errs, FE_INVALID, at, "", "cannot set both resource and service backends");
	} else if (res) {
		const char *kind = json_str(res, "kind"), *name = json_str(res, "name");
		if (!kind || !*kind)
			field_errors_add(errs, FE_REQUIRED, validate_path(path, "%s.resource.kind", at), NULL, NULL);
		if (!name || !*name)
			field_errors_add(errs, FE_REQUIRED, validate_path(path, "%s.resource.name", at), NULL, NULL);
	} else if (svc) {
		validate_service_backend(svc, at, errs);
	} else {
		field_errors_add_str(errs, FE_INVALID, at, "", "resource or service backend is required");
	}
}

/* validateHTTPIngressPath at at ("spec.rules[0].http.paths[1]"). */
static void validate_path_rule(const cJSON *p, const char *at, struct field_errors *errs)
{
	static const char *const types[] = { "Exact", "ImplementationSpecific", "Prefix", NULL };
	static const char *const seqs[] = { "//", "/./", "/../", "%2f", "%2F" };
	char path[VPATH_MAX], bpath[VPATH_MAX];
	const char *type = json_str(p, "pathType"), *v = json_str(p, "path") ? json_str(p, "path") : "";
	validate_path(path, "%s.path", at);
	if (!type) {
		field_errors_add(errs, FE_REQUIRED, validate_path(bpath, "%s.pathType", at), NULL,
				 "pathType must be specified");
	} else if (!strcmp(type, "Exact") || !strcmp(type, "Prefix")) {
		size_t n = strlen(v);
		if (v[0] != '/')
			field_errors_add_str(errs, FE_INVALID, path, v, "must be an absolute path");
		for (size_t i = 0; n && i < ARRAY_SIZE(seqs); i++)
			if (strstr(v, seqs[i]))
				field_errors_add_str(errs, FE_INVALID, path, v, "must not contain '%s'", seqs[i]);
		if ((n >= 3 && !strcmp(v + n - 3, "/..")) || (n >= 2 && !strcmp(v + n - 2, "/.")))
			field_errors_add_str(errs, FE_INVALID, path, v, "cannot end with '%s'",
					     !strcmp(v + n - 2, "/.") ? "/." : "/..");
	} else if (!strcmp(type, "ImplementationSpecific")) {
		if (*v && v[0] != '/')
			field_errors_add_str(errs, FE_INVALID, path, v, "must be an absolute path");
	} else {
		validate_not_supported_str(errs, validate_path(bpath, "%s.pathType", at), type, types);
	}
	validate_backend(json_obj(p, "backend"), validate_path(bpath, "%s.backend", at), errs);
}

static void validate_rules(const cJSON *rules, struct field_errors *errs)
{
	char path[VPATH_MAX], ppath[VPATH_MAX];
	unsigned char ip[16];
	const cJSON *r, *p;
	int i = 0;
	cJSON_ArrayForEach(r, rules) {
		const char *host = json_str(r, "host");
		const cJSON *http = json_obj(r, "http");
		validate_path(path, "spec.rules[%d].host", i);
		if (host && *host && validate_parse_ip(host, ip))
			field_errors_add_str(errs, FE_INVALID, path, host, "must be a DNS name, not an IP address");
		if (host && *host)
			validate_host(errs, path, host);
		if (http && cJSON_GetArraySize(json_getv(http, "paths", NULL)) == 0)
			field_errors_add_str(errs, FE_REQUIRED, validate_path(path, "spec.rules[%d].http.paths", i), NULL,
					     NULL);
		int j = 0;
		cJSON_ArrayForEach(p, json_getv(http, "paths", NULL))
			validate_path_rule(p, validate_path(ppath, "spec.rules[%d].http.paths[%d]", i, j++), errs);
		i++;
	}
}

void validate_ingress(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = json_obj(obj, "spec");
	const cJSON *rules = json_getv(spec, "rules", NULL), *dflt = json_obj(spec, "defaultBackend");
	const char *cls = json_str(spec, "ingressClassName");
	UNUSED(old);
	validate_tls(json_getv(spec, "tls", NULL), errs);
	if (dflt)
		validate_backend(dflt, "spec.defaultBackend", errs);
	validate_rules(rules, errs);
	if (cls)
		validate_each(errs, "spec.ingressClassName", cls, validate_dns1123_subdomain);
	if (cJSON_GetArraySize(rules) == 0 && !dflt)
		field_errors_add_raw(errs, FE_INVALID, "spec", "[]networking.IngressRule(nil)",
				     "either `defaultBackend` or `rules` must be specified");
}

void validate_ingress_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	char path[VPATH_MAX];
	unsigned char ip[16];
	const cJSON *in;
	int i = 0;
	UNUSED(old);
	cJSON_ArrayForEach(in, json_getv(obj, "status", "loadBalancer", "ingress", NULL)) {
		const char *a = json_str(in, "ip"), *h = json_str(in, "hostname");
		if (a && *a)
			validate_ip(errs, validate_path(path, "status.loadBalancer.ingress[%d].ip", i), a);
		if (h && *h) {
			validate_path(path, "status.loadBalancer.ingress[%d].hostname", i);
			validate_each(errs, path, h, validate_dns1123_subdomain);
			if (validate_parse_ip(h, ip))
				field_errors_add_str(errs, FE_INVALID, path, h, "must be a DNS name, not an IP address");
		}
		i++;
	}
}

void validate_ingress_v1beta1(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	cJSON *v1 = cJSON_Duplicate(obj, 1);
	ingress_v1beta1_to_v1(v1);
	validate_ingress(v1, old, errs);
	cJSON_Delete(v1);
}

/* ---- IngressClass -------------------------------------------------------------------------- */

static void validate_class_params(const cJSON *p, struct field_errors *errs)
{
	static const char *const scopes[] = { "Cluster", "Namespace", NULL };
	const char *group = json_str(p, "apiGroup"), *kind = json_str(p, "kind"), *name = json_str(p, "name");
	const char *scope = json_str(p, "scope"), *ns = json_str(p, "namespace");
	if (group && *group)
		validate_each(errs, "spec.parameters.apiGroup", group, validate_dns1123_subdomain);
	if (!kind || !*kind)
		field_errors_add(errs, FE_REQUIRED, "spec.parameters.kind", NULL, NULL);
	else
		validate_each(errs, "spec.parameters.kind", kind, validate_path_segment);
	if (!name || !*name)
		field_errors_add(errs, FE_REQUIRED, "spec.parameters.name", NULL, NULL);
	else
		validate_each(errs, "spec.parameters.name", name, validate_path_segment);
	if (!scope) {
		field_errors_add(errs, FE_REQUIRED, "spec.parameters.scope", NULL, NULL);
	} else if (!strcmp(scope, "Namespace")) {
		if (!ns || !*ns)
			field_errors_add(errs, FE_REQUIRED, "spec.parameters.namespace",
					 NULL, "`parameters.scope` is set to 'Namespace'");
		else
			validate_each(errs, "spec.parameters.namespace", ns, validate_dns1123_label);
	} else if (!strcmp(scope, "Cluster")) {
		if (ns)
			field_errors_add(errs, FE_FORBIDDEN, "spec.parameters.namespace", NULL,
					 "`parameters.scope` is set to 'Cluster'");
	} else {
		validate_not_supported_str(errs, "spec.parameters.scope", scope, scopes);
	}
}

void validate_ingressclass(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = json_obj(obj, "spec");
	const char *ctl = json_str(spec, "controller") ? json_str(spec, "controller") : "";
	const char *slash = strchr(ctl, '/');
	if (strlen(ctl) > 250)
		field_errors_add_raw(errs, FE_TOO_LONG, "spec.controller", NULL, "must have at most 250 bytes");
	if (!*ctl) {
		field_errors_add(errs, FE_REQUIRED, "spec.controller", NULL, NULL);
	} else if (!slash) {
		field_errors_add_str(errs, FE_INVALID, "spec.controller", ctl,
				     "must be a domain-prefixed path (such as \"acme.io/foo\")");
	} else {
		char host[256];
		size_t n = (size_t)(slash - ctl) < sizeof(host) ? (size_t)(slash - ctl) : sizeof(host) - 1;
		memcpy(host, ctl, n);
		host[n] = 0;
		validate_each(errs, "spec.controller", host, validate_dns1123_subdomain);
	}
	if (json_obj(spec, "parameters"))
		validate_class_params(json_obj(spec, "parameters"), errs);
	if (old)
		validate_immutable(errs, "spec.controller", json_getv(spec, "controller", NULL),
				   json_getv(old, "spec", "controller", NULL));
}

/* ---- NetworkPolicy ------------------------------------------------------------------------- */

static void validate_np_port(const cJSON *p, const char *at, struct field_errors *errs)
{
	static const char *const protos[] = { "SCTP", "TCP", "UDP", NULL };
	char path[VPATH_MAX], epath[VPATH_MAX];
	const char *proto = json_str(p, "protocol");
	const cJSON *port = json_getv(p, "port", NULL), *end = json_getv(p, "endPort", NULL);
	validate_path(epath, "%s.endPort", at);
	if (proto && !validate_one_of(proto, protos))
		validate_not_supported_str(errs, validate_path(path, "%s.protocol", at), proto, protos);
	if (cJSON_IsNumber(port)) {
		validate_port_num(errs, validate_path(path, "%s.port", at), port);
		if (cJSON_IsNumber(end)) {
			if (end->valuedouble < port->valuedouble)
				field_errors_add(errs, FE_INVALID, epath, port, "must be greater than or equal to `port`");
			validate_port_num(errs, epath, end);
		}
	} else if (cJSON_IsString(port)) {
		if (end && !cJSON_IsNull(end))
			field_errors_add(errs, FE_INVALID, epath, end, "may not be specified when `port` is non-numeric");
		validate_each(errs, validate_path(path, "%s.port", at), port->valuestring, validate_port_name);
	} else if (end && !cJSON_IsNull(end)) {
		field_errors_add(errs, FE_INVALID, epath, end, "may not be specified when `port` is not specified");
	}
}

static void validate_ipblock(const cJSON *b, const char *at, struct field_errors *errs)
{
	char path[VPATH_MAX];
	const char *cidr = json_str(b, "cidr");
	const cJSON *e;
	int i = 0;
	if (!cidr || !*cidr) {
		field_errors_add(errs, FE_REQUIRED, validate_path(path, "%s.cidr", at), NULL, NULL);
		return;
	}
	struct cidr net, ex;
	int have_net = cidr_parse(cidr, &net) == 0;
	validate_cidr(errs, validate_path(path, "%s.cidr", at), cidr);
	cJSON_ArrayForEach(e, json_getv(b, "except", NULL)) {
		validate_path(path, "%s.except[%d]", at, i++);
		if (!cJSON_IsString(e))
			continue;
		validate_cidr(errs, path, e->valuestring);
		/* (a network that is not in canonical form is only checked by validate_cidr) */
		if (have_net && cidr_parse(e->valuestring, &ex) == 0 &&
		    (ex.family != net.family || ex.prefix <= net.prefix || !cidr_overlap(&net, &ex)))
			field_errors_add_str(errs, FE_INVALID, path, e->valuestring, "must be a strict subset of `cidr`");
	}
}

static void validate_np_peer(const cJSON *p, const char *at, struct field_errors *errs)
{
	char path[VPATH_MAX];
	const cJSON *pods = json_obj(p, "podSelector"), *nss = json_obj(p, "namespaceSelector");
	const cJSON *ipb = json_obj(p, "ipBlock");
	int n = !!pods + !!nss + !!ipb;
	if (pods)
		validate_label_selector(pods, validate_path(path, "%s.podSelector", at), errs);
	if (nss)
		validate_label_selector(nss, validate_path(path, "%s.namespaceSelector", at), errs);
	if (ipb)
		validate_ipblock(ipb, validate_path(path, "%s.ipBlock", at), errs);
	if (!n)
		field_errors_add(errs, FE_REQUIRED, at, NULL, "must specify a peer");
	else if (ipb && n > 1)
		field_errors_add(errs, FE_FORBIDDEN, at, NULL, "may not specify both ipBlock and another peer");
}

/* The rules of one direction: dir "ingress" with peers "from", or "egress" with "to". */
static void validate_np_rules(const cJSON *spec, const char *dir, const char *peers, struct field_errors *errs)
{
	char path[VPATH_MAX];
	const cJSON *r, *e;
	int i = 0;
	cJSON_ArrayForEach(r, json_getv(spec, dir, NULL)) {
		int j = 0;
		cJSON_ArrayForEach(e, json_getv(r, "ports", NULL))
			validate_np_port(e, validate_path(path, "spec.%s[%d].ports[%d]", dir, i, j++), errs);
		j = 0;
		cJSON_ArrayForEach(e, json_getv(r, peers, NULL))
			validate_np_peer(e, validate_path(path, "spec.%s[%d].%s[%d]", dir, i, peers, j++), errs);
		i++;
	}
}

void validate_networkpolicy(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const types[] = { "Ingress", "Egress", NULL };
	char path[VPATH_MAX];
	const cJSON *spec = json_obj(obj, "spec"), *types_v = json_getv(spec, "policyTypes", NULL), *t;
	int i = 0;
	UNUSED(old);
	validate_label_selector(json_obj(spec, "podSelector"), "spec.podSelector", errs);
	validate_np_rules(spec, "ingress", "from", errs);
	validate_np_rules(spec, "egress", "to", errs);
	cJSON_ArrayForEach(t, types_v) {
		if (!cJSON_IsString(t) || !validate_one_of(t->valuestring, types))
			validate_not_supported(errs, validate_path(path, "spec.policyTypes[%d]", i), t, types);
		i++;
	}
	if (cJSON_GetArraySize(types_v) > 2) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "[]networking.PolicyType{");
		cJSON_ArrayForEach(t, types_v) {
			if (t != types_v->child)
				buf_adds(&b, ", ");
			field_quote(&b, cJSON_IsString(t) ? t->valuestring : "");
		}
		buf_adds(&b, "}");
		field_errors_add_raw(errs, FE_INVALID, "spec.policyTypes", b.data, "may not specify more than two policyTypes");
		buf_release(&b);
	}
}
