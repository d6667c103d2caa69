/*
 * validate_service.c - upstream's Service validation (v1.33 ValidateService,
 * ValidateServiceClusterIPsRelatedFields, ValidateServiceUpdate, ValidateServiceStatusUpdate):
 * ports, selector, type, session affinity, cluster IPs and IP families, external IPs, traffic
 * policies, load balancer fields, and the rules for changing cluster IPs and families.
 */
#include "server/kinds.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const protocols[] = { "SCTP", "TCP", "UDP", NULL };

static int is_type(const cJSON *spec, const char *type)
{
	return !strcmp(jstr0(spec, "type"), type);
}

static int headless(const cJSON *spec)
{
	const cJSON *ips = jget(spec, "clusterIPs");
	return cJSON_GetArraySize(ips) == 1 && cJSON_IsString(ips->child) && !strcmp(ips->child->valuestring, "None");
}

/* Go's %#v of the core.ServicePort upstream uses as a duplicate key (protocol and port). */
static void go_port_key(struct buf *out, const cJSON *p)
{
	int64_t port = 0;
	jint(p, "port", &port);
	buf_adds(out, "core.ServicePort{Name:\"\", Protocol:");
	field_quote(out, jstr0(p, "protocol"));
	buf_addf(out, ", AppProtocol:(*string)(nil), Port:%lld, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
		      "StrVal:\"\"}, NodePort:0}", (long long)port);
}

/* validateServicePort */
static void service_port(const cJSON *p, int require_name, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const char *name = jstr0(p, "name"), *proto = jstr0(p, "protocol");
	if (require_name && !*name)
		field_errors_add(errs, FE_REQUIRED, validate_path(f, "%s.name", path), NULL, NULL);
	else if (*name)
		validate_each(errs, validate_path(f, "%s.name", path), name, validate_dns1123_label);
	validate_port_num(errs, validate_path(f, "%s.port", path), jget(p, "port"));
	validate_path(f, "%s.protocol", path);
	if (!*proto)
		field_errors_add(errs, FE_REQUIRED, f, NULL, NULL);
	else if (!validate_one_of(proto, protocols))
		validate_not_supported_str(errs, f, proto, protocols);
	validate_port_num_or_name(errs, validate_path(f, "%s.targetPort", path), jget(p, "targetPort"));
	if (jget(p, "appProtocol"))
		validate_each(errs, validate_path(f, "%s.appProtocol", path), jstr0(p, "appProtocol"), validate_qualified_name);
}

static void ports(const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *list = jget(spec, "ports"), *p, *q;
	int i = 0, n = cJSON_GetArraySize(list);
	cJSON_ArrayForEach(p, list) {
		const char *name = jstr0(p, "name");
		service_port(p, n > 1, validate_path(f, "spec.ports[%d]", i), errs);
		for (q = list->child; q != p && *name; q = q->next)
			if (!strcmp(jstr0(q, "name"), name)) {
				field_errors_add_str(errs, FE_DUPLICATE, validate_path(f, "spec.ports[%d].name", i), name, NULL);
				break;
			}
		i++;
	}
}

/* Duplicate node ports and ports, by (protocol, number). */
static void duplicates(const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *list = jget(spec, "ports"), *p, *q;
	int i = 0;
	cJSON_ArrayForEach(p, list) {
		int64_t np = 0, qn;
		jint(p, "nodePort", &np);
		for (q = list->child; q != p && np; q = q->next)
			if (jint(q, "nodePort", &qn) > 0 && qn == np && !strcmp(jstr0(q, "protocol"), jstr0(p, "protocol"))) {
				field_errors_add(errs, FE_DUPLICATE, validate_path(f, "spec.ports[%d].nodePort", i), jget(p, "nodePort"), NULL);
				break;
			}
		i++;
	}
	i = 0;
	cJSON_ArrayForEach(p, list) {
		for (q = list->child; q != p; q = q->next)
			if (validate_same(jget(q, "port"), jget(p, "port")) && !strcmp(jstr0(q, "protocol"), jstr0(p, "protocol"))) {
				struct buf go = BUF_INIT;
				go_port_key(&go, p);
				field_errors_add_raw(errs, FE_DUPLICATE, validate_path(f, "spec.ports[%d]", i), buf_str(&go), NULL);
				buf_release(&go);
				break;
			}
		i++;
	}
}

/* The per-type rules and the external name. */
static void type_rules(const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *p;
	int i = 0;
	if (is_type(spec, "LoadBalancer") || is_type(spec, "NodePort")) {
		cJSON_ArrayForEach(p, (is_type(spec, "LoadBalancer") ? jget(spec, "ports") : NULL)) {
			int64_t port = 0;
			jint(p, "port", &port);
			if (port == 10250)
				field_errors_add(errs, FE_INVALID, validate_path(f, "spec.ports[%d]", i), jget(p, "port"),
						 "may not expose port 10250 externally since it is used by kubelet");
			i++;
		}
		if (headless(spec))
			field_errors_add_str(errs, FE_INVALID, "spec.clusterIPs[0]", "None", "may not be set to 'None' for %s services",
					     jstr0(spec, "type"));
	} else if (is_type(spec, "ExternalName")) {
		char *cname = xstrdup(jstr0(spec, "externalName"));
		size_t n = strlen(cname);
		if (jarr(spec, "clusterIPs"))
			field_errors_add(errs, FE_FORBIDDEN, "spec.clusterIPs", NULL, "may not be set for ExternalName services");
		if (jarr(spec, "ipFamilies"))
			field_errors_add(errs, FE_FORBIDDEN, "spec.ipFamilies", NULL, "may not be set for ExternalName services");
		if (jget(spec, "ipFamilyPolicy"))
			field_errors_add(errs, FE_FORBIDDEN, "spec.ipFamilyPolicy", NULL, "may not be set for ExternalName services");
		if (n && cname[n - 1] == '.')
			cname[--n] = '\0';
		if (n)
			validate_each(errs, "spec.externalName", cname, validate_dns1123_subdomain);
		else
			field_errors_add(errs, FE_REQUIRED, "spec.externalName", NULL, NULL);
		free(cname);
	}
}

static void session_affinity(const cJSON *spec, struct field_errors *errs)
{
	static const char *const affinities[] = { "ClientIP", "None", NULL };
	const char *sa = jstr0(spec, "sessionAffinity");
	const cJSON *cfg = jget(spec, "sessionAffinityConfig"), *ip = jget(cfg, "clientIP"), *t = jget(ip, "timeoutSeconds");
	if (!*sa)
		field_errors_add(errs, FE_REQUIRED, "spec.sessionAffinity", NULL, NULL);
	else if (!validate_one_of(sa, affinities))
		validate_not_supported_str(errs, "spec.sessionAffinity", sa, affinities);
	if (!strcmp(sa, "ClientIP")) {
		if (!cfg)
			field_errors_add(errs, FE_REQUIRED, "spec.sessionAffinityConfig", NULL, "when session affinity type is ClientIP");
		else if (!ip)
			field_errors_add(errs, FE_REQUIRED, "spec.sessionAffinityConfig.clientIP", NULL,
					 "when session affinity type is ClientIP");
		else if (!t)
			field_errors_add(errs, FE_REQUIRED, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", NULL,
					 "when session affinity type is ClientIP");
		else if (!cJSON_IsNumber(t) || t->valuedouble <= 0 || t->valuedouble > 86400)
			field_errors_add(errs, FE_INVALID, "spec.sessionAffinityConfig.clientIP.timeoutSeconds", t,
					 "must be greater than 0 and less than 86400");
	} else if (!strcmp(sa, "None") && cfg) {
		field_errors_add(errs, FE_FORBIDDEN, "spec.sessionAffinityConfig", NULL, "must not be set when session affinity is None");
	}
}

/* The families and the single cluster IP checks of ValidateServiceClusterIPsRelatedFields. */
static void families(const cJSON *spec, struct field_errors *errs)
{
	static const char *const fams[] = { "IPv4", "IPv6", NULL };
	static const char *const policies[] = { "PreferDualStack", "RequireDualStack", "SingleStack", NULL };
	char f[VPATH_MAX];
	const cJSON *list = jget(spec, "ipFamilies"), *fam, *q;
	int i = 0;
	cJSON_ArrayForEach(fam, list) {
		validate_path(f, "spec.ipFamilies[%d]", i++);
		if (!cJSON_IsString(fam) || !validate_one_of(fam->valuestring, fams))
			validate_not_supported(errs, f, fam, fams);
		for (q = list->child; q != fam; q = q->next)
			if (validate_same(q, fam)) {
				field_errors_add(errs, FE_DUPLICATE, f, fam, NULL);
				break;
			}
	}
	if (jget(spec, "ipFamilyPolicy") && !validate_one_of(jstr(spec, "ipFamilyPolicy"), policies))
		validate_not_supported(errs, "spec.ipFamilyPolicy", jget(spec, "ipFamilyPolicy"), policies);
}

/* Validates clusterIPs one by one; returns 1 if any is invalid. */
static int cluster_ip_values(const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *ips = jget(spec, "clusterIPs"), *ip;
	int i = 0, bad = 0, n = cJSON_GetArraySize(ips);
	cJSON_ArrayForEach(ip, ips) {
		const char *s = cJSON_IsString(ip) ? ip->valuestring : "";
		size_t before = errs->n;
		if (i == 0 && !strcmp(s, "None")) {
			if (n > 1) {
				bad = 1;
				field_errors_add(errs, FE_INVALID, "spec.clusterIPs", ips, "'None' must be the first and only value");
			}
			i++;
			continue;
		}
		validate_ip(errs, validate_path(f, "spec.clusterIPs[%d]", i++), s);
		bad |= errs->n != before;
	}
	if (n > 2)
		field_errors_add(errs, FE_INVALID, "spec.clusterIPs", ips, "may only hold up to 2 values");
	return bad;
}

/* ValidateServiceClusterIPsRelatedFields */
static void cluster_ips(const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *ips = jget(spec, "clusterIPs"), *ip, *fam;
	const char *single = jstr0(spec, "clusterIP");
	int i = 0, v6 = 0, n = cJSON_GetArraySize(ips);
	if (is_type(spec, "ExternalName"))
		return;
	if (*single && !n)
		field_errors_add(errs, FE_REQUIRED, "spec.clusterIPs", NULL, NULL);
	else if (*single && strcmp(cJSON_IsString(ips->child) ? ips->child->valuestring : "", single))
		field_errors_add(errs, FE_INVALID, "spec.clusterIPs", ips, "first value must match `clusterIP`");
	else if (!*single && n)
		field_errors_add(errs, FE_INVALID, "spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified");
	families(spec, errs);
	if (cluster_ip_values(spec, errs))
		return;
	cJSON_ArrayForEach(ip, ips)
		v6 += cJSON_IsString(ip) && strchr(ip->valuestring, ':') != NULL;
	if (n > 1 && v6 != 1)
		field_errors_add(errs, FE_INVALID, "spec.clusterIPs", ips, "may specify no more than one IP for each IP family");
	if (headless(spec))
		return;
	fam = jget(spec, "ipFamilies");
	fam = fam ? fam->child : NULL;
	cJSON_ArrayForEach(ip, ips) {
		const char *s = cJSON_IsString(ip) ? ip->valuestring : "", *want = fam && cJSON_IsString(fam) ? fam->valuestring : "";
		if (!fam)
			break;
		if ((!strcmp(want, "IPv4") && strchr(s, ':')) || (!strcmp(want, "IPv6") && !strchr(s, ':')))
			field_errors_add_str(errs, FE_INVALID, validate_path(f, "spec.clusterIPs[%d]", i), s,
					     "expected an %s value as indicated by `ipFamilies[%d]`", want, i);
		fam = fam->next;
		i++;
	}
}

static void external_fields(const cJSON *obj, const cJSON *spec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *ip;
	int i = 0;
	UNUSED(obj);
	cJSON_ArrayForEach(ip, jget(spec, "externalIPs")) {
		const char *s = cJSON_IsString(ip) ? ip->valuestring : "";
		size_t before = errs->n;
		validate_ip(errs, validate_path(f, "spec.externalIPs[%d]", i++), s);
		if (errs->n == before)
			validate_non_special_ip(errs, f, s);
	}
	i = 0;
	if (jarr(spec, "loadBalancerSourceRanges")) {
		if (!is_type(spec, "LoadBalancer"))
			field_errors_add(errs, FE_FORBIDDEN, "spec.LoadBalancerSourceRanges", NULL,
					 "may only be used when `type` is 'LoadBalancer'");
		cJSON_ArrayForEach(ip, jget(spec, "loadBalancerSourceRanges")) {
			char *t = xstrdup(cJSON_IsString(ip) ? ip->valuestring : "");
			char *s = t, *e = t + strlen(t);
			while (*s == ' ')
				s++;
			while (e > s && e[-1] == ' ')
				*--e = '\0';
			validate_cidr(errs, validate_path(f, "spec.LoadBalancerSourceRanges[%d]", i++), s);
			free(t);
		}
	}
}

static void load_balancer_and_policies(const cJSON *spec, struct field_errors *errs)
{
	static const char *const etps[] = { "Cluster", "Local", NULL };
	const char *etp = jstr0(spec, "externalTrafficPolicy");
	int lb = is_type(spec, "LoadBalancer"), ext = lb || is_type(spec, "NodePort") ||
						       (is_type(spec, "ClusterIP") && jarr(spec, "externalIPs"));
	int64_t hc = 0;
	if (jget(spec, "allocateLoadBalancerNodePorts") && !lb)
		field_errors_add(errs, FE_FORBIDDEN, "spec.allocateLoadBalancerNodePorts", NULL,
				 "may only be used when `type` is 'LoadBalancer'");
	if (lb && !jget(spec, "allocateLoadBalancerNodePorts"))
		field_errors_add(errs, FE_REQUIRED, "allocateLoadBalancerNodePorts", NULL, NULL);
	if (lb && jget(spec, "loadBalancerClass"))
		validate_each(errs, "spec.loadBalancerClass", jstr0(spec, "loadBalancerClass"), validate_qualified_name);
	else if (jget(spec, "loadBalancerClass"))
		field_errors_add(errs, FE_FORBIDDEN, "spec.loadBalancerClass", NULL, "may only be used when `type` is 'LoadBalancer'");
	if (!ext && *etp)
		field_errors_add_str(errs, FE_INVALID, "spec.externalTrafficPolicy", etp,
				     "may only be set for externally-accessible services");
	else if (ext && !*etp)
		field_errors_add(errs, FE_REQUIRED, "spec.externalTrafficPolicy", NULL, NULL);
	else if (ext && !validate_one_of(etp, etps))
		validate_not_supported_str(errs, "spec.externalTrafficPolicy", etp, etps);
	jint(spec, "healthCheckNodePort", &hc);
	if (!(lb && !strcmp(etp, "Local")) && hc)
		field_errors_add(errs, FE_INVALID, "spec.healthCheckNodePort", jget(spec, "healthCheckNodePort"),
				 "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
	else if (lb && !strcmp(etp, "Local") && !hc)
		field_errors_add(errs, FE_REQUIRED, "spec.healthCheckNodePort", NULL, NULL);
	else if (hc)
		validate_port_num(errs, "spec.healthCheckNodePort", jget(spec, "healthCheckNodePort"));
}

static void traffic_policies(const cJSON *spec, struct field_errors *errs)
{
	static const char *const itps[] = { "Cluster", "Local", NULL };
	static const char *const dists[] = { "PreferClose", NULL };
	const cJSON *itp = jget(spec, "internalTrafficPolicy"), *td = jget(spec, "trafficDistribution");
	if (!itp && (is_type(spec, "NodePort") || is_type(spec, "LoadBalancer") || is_type(spec, "ClusterIP")))
		field_errors_add(errs, FE_REQUIRED, "spec.internalTrafficPolicy", NULL, NULL);
	if (itp && !validate_one_of(jstr(spec, "internalTrafficPolicy"), itps))
		validate_not_supported(errs, "spec.internalTrafficPolicy", itp, itps);
	if (td && !validate_one_of(jstr(spec, "trafficDistribution"), dists))
		validate_not_supported(errs, "spec.trafficDistribution", td, dists);
}

/* ValidateService */
static void service(const cJSON *obj, struct field_errors *errs)
{
	static const char *const types[] = { "ClusterIP", "ExternalName", "LoadBalancer", "NodePort", NULL };
	char f[VPATH_MAX];
	const cJSON *spec = jget(obj, "spec"), *p;
	const char *type = jstr0(spec, "type");
	int i = 0;
	if (!jarr(spec, "ports") && !headless(spec) && !is_type(spec, "ExternalName"))
		field_errors_add(errs, FE_REQUIRED, "spec.ports", NULL, NULL);
	type_rules(spec, errs);
	ports(spec, errs);
	if (jget(spec, "selector"))
		validate_labels(jget(spec, "selector"), "spec.selector", errs);
	session_affinity(spec, errs);
	cluster_ips(spec, errs);
	external_fields(obj, spec, errs);
	if (!*type)
		field_errors_add(errs, FE_REQUIRED, "spec.type", NULL, NULL);
	else if (!validate_one_of(type, types))
		validate_not_supported_str(errs, "spec.type", type, types);
	cJSON_ArrayForEach(p, (!strcmp(type, "ClusterIP") ? jget(spec, "ports") : NULL)) {
		int64_t np = 0;
		if (jint(p, "nodePort", &np) > 0 && np)
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "spec.ports[%d].nodePort", i), NULL,
					 "may not be used when `type` is 'ClusterIP'");
		i++;
	}
	duplicates(spec, errs);
	load_balancer_and_policies(spec, errs);
	traffic_policies(spec, errs);
}

/* validateUpgradeDowngradeClusterIPs */
static void cluster_ips_update(const cJSON *spec, const cJSON *ospec, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *n = jget(spec, "clusterIPs"), *o = jget(ospec, "clusterIPs"), *a, *b;
	int nn = cJSON_GetArraySize(n), on = cJSON_GetArraySize(o), i = 0;
	if (is_type(spec, "ExternalName") || is_type(ospec, "ExternalName") || (headless(spec) && headless(ospec)))
		return;
	if (nn == on) {
		for (a = n ? n->child : NULL, b = o ? o->child : NULL; a && b; a = a->next, b = b->next, i++)
			if (!validate_same(a, b))
				field_errors_add(errs, FE_INVALID, validate_path(f, "spec.clusterIPs[%d]", i), n, "may not change once set");
	} else if (on > nn) {
		if (!nn)
			field_errors_add_raw(errs, FE_INVALID, "spec.clusterIPs[0]", "[]string(nil)", "primary clusterIP can not be unset");
		else if (!validate_same(n->child, o->child))
			field_errors_add(errs, FE_INVALID, "spec.clusterIPs[0]", n, "may not change once set");
		if (nn == 1 && strcmp(jstr0(spec, "ipFamilyPolicy"), "SingleStack"))
			field_errors_add(errs, FE_INVALID, "spec.ipFamilyPolicy", jget(spec, "ipFamilyPolicy"),
					 "must be set to 'SingleStack' when releasing the secondary clusterIP");
	} else if (on > 0 && !validate_same(n->child, o->child)) {
		field_errors_add(errs, FE_INVALID, "spec.clusterIPs[0]", n, "may not change once set");
	}
}

/* validateUpgradeDowngradeIPFamilies */
static void families_update(const cJSON *spec, const cJSON *ospec, struct field_errors *errs)
{
	const cJSON *n = jget(spec, "ipFamilies"), *o = jget(ospec, "ipFamilies"), *a, *b;
	int nn = cJSON_GetArraySize(n), on = cJSON_GetArraySize(o);
	if (is_type(spec, "ExternalName") || is_type(ospec, "ExternalName") || headless(spec) || headless(ospec))
		return;
	if (nn == on) {
		for (a = n ? n->child : NULL, b = o ? o->child : NULL; a && b; a = a->next, b = b->next)
			if (!validate_same(a, b))
				field_errors_add(errs, FE_INVALID, "spec.ipFamilies[0]", n, "may not change once set");
	} else if (on > nn) {
		if (!jarr(spec, "clusterIPs"))
			field_errors_add(errs, FE_INVALID, "spec.ipFamilies[0]", n, "primary ipFamily can not be unset");
		if (nn && !validate_same(n->child, o->child))
			field_errors_add(errs, FE_INVALID, "spec.ipFamilies[0]", jget(spec, "clusterIPs"), "may not change once set");
		if (nn == 1 && strcmp(jstr0(spec, "ipFamilyPolicy"), "SingleStack"))
			field_errors_add(errs, FE_INVALID, "spec.ipFamilyPolicy", jget(spec, "ipFamilyPolicy"),
					 "must be set to 'SingleStack' when releasing the secondary ipFamily");
	} else if (on && nn && !validate_same(n->child, o->child)) {
		field_errors_add(errs, FE_INVALID, "spec.ipFamilies[0]", jget(spec, "clusterIPs"), "may not change once set");
	}
}

void validate_service(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = jget(obj, "spec"), *ospec = jget(old, "spec");
	if (old) {
		cluster_ips_update(spec, ospec, errs);
		families_update(spec, ospec, errs);
		if (is_type(spec, "LoadBalancer") && is_type(ospec, "LoadBalancer") &&
		    !validate_same(jget(spec, "loadBalancerClass"), jget(ospec, "loadBalancerClass")))
			field_errors_add(errs, FE_INVALID, "spec.loadBalancerClass", jget(spec, "loadBalancerClass"),
					 "may not change once set");
		if (is_type(spec, "LoadBalancer") && is_type(ospec, "LoadBalancer") &&
		    !strcmp(jstr0(spec, "externalTrafficPolicy"), "Local") &&
		    !strcmp(jstr0(ospec, "externalTrafficPolicy"), "Local") &&
		    !validate_same(jget(spec, "healthCheckNodePort"), jget(ospec, "healthCheckNodePort")))
			field_errors_add(errs, FE_FORBIDDEN, "spec.healthCheckNodePort", NULL, "field is immutable");
	}
	service(obj, errs);
}

void validate_service_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const modes[] = { "Proxy", "VIP", NULL };
	char f[VPATH_MAX];
	const cJSON *ing, *spec = jget(obj, "spec");
	int i = 0;
	UNUSED(old);
	if (!is_type(spec, "LoadBalancer") && jarr(json_getv(obj, "status", "loadBalancer", NULL), "ingress")) {
		field_errors_add(errs, FE_FORBIDDEN, "status.loadBalancer.ingress", NULL,
				 "may only be used when `spec.type` is 'LoadBalancer'");
		return;
	}
	cJSON_ArrayForEach(ing, json_getv(obj, "status", "loadBalancer", "ingress", NULL)) {
		const char *ip = jstr0(ing, "ip");
		if (*ip)
			validate_ip(errs, validate_path(f, "status.loadBalancer.ingress[%d].ip", i), ip);
		if (!jget(ing, "ipMode") && *ip)
			field_errors_add(errs, FE_REQUIRED, validate_path(f, "status.loadBalancer.ingress[%d].ipMode", i), NULL,
					 "must be specified when `ip` is set");
		else if (jget(ing, "ipMode") && !*ip)
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "status.loadBalancer.ingress[%d].ipMode", i), NULL,
					 "may not be specified when `ip` is not set");
		else if (jget(ing, "ipMode") && !validate_one_of(jstr(ing, "ipMode"), modes))
			validate_not_supported(errs, validate_path(f, "status.loadBalancer.ingress[%d].ipMode", i),
					       jget(ing, "ipMode"), modes);
		if (*jstr0(ing, "hostname"))
			validate_each(errs, validate_path(f, "status.loadBalancer.ingress[%d].hostname", i), jstr(ing, "hostname"),
				      validate_dns1123_subdomain);
		i++;
	}
}
