/*
 * networking.c - the networking.k8s.io kinds' defaulting, the v1beta1 Ingress views
 * (networking.k8s.io/v1beta1 and extensions/v1beta1 over the stored v1 Ingresses), the
 * DefaultIngressClass admission plugin, and kubectl get columns (upstream's printers).
 *
 * DESIGN
 * Ingress, IngressClass and NetworkPolicy are registry rows like any other kind; this file holds
 * what is particular to them. The API is served and nothing acts on it: there is no ingress
 * controller (an Ingress's status stays empty unless a controller writes it) and NetworkPolicies
 * are not enforced; k3s ships Traefik and kube-router for these.
 *
 * The v1beta1 Ingress differs from v1 in its backends: spec.backend for spec.defaultBackend,
 * and {serviceName, servicePort (int or string)} for {service: {name, port: {number | name}}}.
 * The views convert both ways, as upstream's conversion functions do: a backend names a service
 * when it has a service name or a port; otherwise only its resource is carried.
 */
#include "internal.h"
#include "server/networking.h"
#include "server/selector.h"

#include <stdlib.h>
#include <string.h>

/* ---- defaulting --------------------------------------------------------------------------- */

static void default_port_protocols(cJSON *rules)
{
	cJSON *rule, *port;
	cJSON_ArrayForEach(rule, rules)
		cJSON_ArrayForEach(port, json_getv(rule, "ports", NULL))
			if (cJSON_IsObject(port) && !json_str(port, "protocol"))
				json_set_str(port, "protocol", "TCP");
}

void defaults_networkpolicy(cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec");
	cJSON *types = cJSON_GetObjectItemCaseSensitive(spec, "policyTypes");
	cJSON *egress = cJSON_GetObjectItemCaseSensitive(spec, "egress");
	json_obj_force(spec, "podSelector");
	default_port_protocols(cJSON_GetObjectItemCaseSensitive(spec, "ingress"));
	default_port_protocols(egress);
	if (cJSON_IsArray(types) && cJSON_GetArraySize(types) > 0)
		return;
	types = cJSON_CreateArray();
	cJSON_AddItemToArray(types, cJSON_CreateString("Ingress"));
	if (cJSON_IsArray(egress) && cJSON_GetArraySize(egress) > 0)
		cJSON_AddItemToArray(types, cJSON_CreateString("Egress"));
	json_set(spec, "policyTypes", types);
}

void defaults_ingressclass(cJSON *obj)
{
	cJSON *params = json_getv(obj, "spec", "parameters", NULL);
	if (cJSON_IsObject(params) && !json_str(params, "scope"))
		json_set_str(params, "scope", "Cluster");
}

void defaults_ingress_v1beta1(cJSON *obj)
{
	cJSON *rule, *path;
	cJSON_ArrayForEach(rule, json_getv(obj, "spec", "rules", NULL))
		cJSON_ArrayForEach(path, json_getv(rule, "http", "paths", NULL))
			if (cJSON_IsObject(path) && !json_str(path, "pathType"))
				json_set_str(path, "pathType", "ImplementationSpecific");
}

void prepare_ingress(cJSON *obj, const cJSON *old)
{
	if (!old)
		json_set(obj, "status", cJSON_CreateObject());
}

/* ---- the v1beta1 views -------------------------------------------------------------------- */

/* A v1beta1 backend {serviceName, servicePort, resource} -> v1 {service: {name, port}, resource}. */
static void backend_to_v1(cJSON *b)
{
	if (!cJSON_IsObject(b))
		return;
	cJSON *name = cJSON_DetachItemFromObjectCaseSensitive(b, "serviceName");
	cJSON *port = cJSON_DetachItemFromObjectCaseSensitive(b, "servicePort");
	int named = cJSON_IsString(name) && *name->valuestring;
	int has_port = cJSON_IsString(port) || (cJSON_IsNumber(port) && port->valuedouble != 0);
	if (named || has_port) {
		cJSON *svc = cJSON_CreateObject(), *p = cJSON_CreateObject();
		json_set_str(svc, "name", named ? name->valuestring : "");
		if (cJSON_IsString(port))
			json_set_str(p, "name", port->valuestring);
		else if (has_port)
			json_set_int(p, "number", (int64_t)port->valuedouble);
		json_set(svc, "port", p);
		json_set(b, "service", svc);
	}
	cJSON_Delete(name);
	cJSON_Delete(port);
}

/* The reverse of backend_to_v1. */
static void backend_to_v1beta1(cJSON *b)
{
	if (!cJSON_IsObject(b))
		return;
	cJSON *svc = cJSON_DetachItemFromObjectCaseSensitive(b, "service");
	if (cJSON_IsObject(svc)) {
		const cJSON *port = json_obj(svc, "port");
		int64_t n = 0;
		json_set_str(b, "serviceName", json_str(svc, "name") ? json_str(svc, "name") : "");
		if (json_str(port, "name") && *json_str(port, "name"))
			json_set_str(b, "servicePort", json_str(port, "name"));
		else
			json_set_int(b, "servicePort", json_int(port, "number", &n) == 0 ? n : 0);
	}
	cJSON_Delete(svc);
}

/* Renames spec[from] to spec[to] and converts every backend of the Ingress with fn. */
static void convert_backends(cJSON *obj, const char *from, const char *to, void (*fn)(cJSON *))
{
	cJSON *spec = json_obj(obj, "spec");
	cJSON *dflt = spec ? cJSON_DetachItemFromObjectCaseSensitive(spec, from) : NULL, *rule, *path;
	if (dflt) {
		fn(dflt);
		json_set(spec, to, dflt);
	}
	cJSON_ArrayForEach(rule, json_getv(spec, "rules", NULL))
		cJSON_ArrayForEach(path, json_getv(rule, "http", "paths", NULL))
			fn(json_obj(path, "backend"));
}

void ingress_v1beta1_to_v1(cJSON *obj)
{
	json_set_str(obj, "apiVersion", "networking.k8s.io/v1");
	convert_backends(obj, "backend", "defaultBackend", backend_to_v1);
}

void ingress_v1_to_v1beta1(cJSON *obj)
{
	convert_backends(obj, "defaultBackend", "backend", backend_to_v1beta1);
}

static void ingress_out_networking(cJSON *obj)
{
	ingress_v1_to_v1beta1(obj);
	json_set_str(obj, "apiVersion", "networking.k8s.io/v1beta1");
}

static void ingress_out_extensions(cJSON *obj)
{
	ingress_v1_to_v1beta1(obj);
	json_set_str(obj, "apiVersion", "extensions/v1beta1");
}

static const char *const no_aliases[] = { NULL };

const struct kind_view ingress_networking_v1beta1_view = { "networking.k8s.io", "ingresses", ingress_v1beta1_to_v1,
							   ingress_out_networking, no_aliases };
const struct kind_view ingress_extensions_v1beta1_view = { "networking.k8s.io", "ingresses", ingress_v1beta1_to_v1,
							   ingress_out_extensions, no_aliases };

/* ---- DefaultIngressClass ------------------------------------------------------------------ */

struct dflt_class {
	char *name;
	char *created; /* RFC 3339: compares as text */
};

static int find_default_class(struct store_kv *kv, void *data)
{
	struct dflt_class *d = data;
	cJSON *ic = obj_parse(kv);
	const char *v = json_strv(ic, "metadata", "annotations", "ingressclass.kubernetes.io/is-default-class", NULL);
	const char *name = json_strv(ic, "metadata", "name", NULL);
	const char *ts = json_strv(ic, "metadata", "creationTimestamp", NULL);
	if (name && v && !strcmp(v, "true") && (!d->name || (ts && strcmp(ts, d->created ? d->created : "") > 0))) {
		free(d->name);
		free(d->created);
		d->name = xstrdup(name);
		d->created = ts ? xstrdup(ts) : NULL;
	}
	cJSON_Delete(ic);
	return 0;
}

void ingress_default_class(struct api_req *req, cJSON *obj)
{
	cJSON *spec = json_obj_force(obj, "spec");
	struct dflt_class d = { NULL, NULL };
	struct buf prefix = BUF_INIT;
	if (!admission_enabled(req, ADM_DEFAULT_INGRESS_CLASS) || json_str(spec, "ingressClassName") ||
	    json_strv(obj, "metadata", "annotations", "kubernetes.io/ingress.class", NULL))
		return;
	kind_prefix(kind_by_resource("networking.k8s.io", "v1", "ingressclasses"), NULL, &prefix);
	store_range(req->srv->store, prefix.data, NULL, find_default_class, &d);
	if (d.name)
		json_set_str(spec, "ingressClassName", d.name);
	free(d.name);
	free(d.created);
	buf_release(&prefix);
}

/* ---- kubectl get columns (upstream's printIngress, printIngressClass, printNetworkPolicy) -- */

#define COL_NAME { "Name", "string", "name", "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0 }
#define COL_AGE { "Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0 }
#define COL(n, t, d, p) { n, t, "", d, p }
#define COL_END { NULL, NULL, NULL, NULL, 0 }

static void cell(cJSON *cells, const char *s)
{
	cJSON_AddItemToArray(cells, cJSON_CreateString(s && *s ? s : "<none>"));
}

static void cell_age(cJSON *cells, const cJSON *obj, int64_t now)
{
	const char *ts = json_strv(obj, "metadata", "creationTimestamp", NULL);
	int64_t t;
	char out[32];
	if (!ts || parse_rfc3339(ts, &t) < 0) {
		cell(cells, "<unknown>");
		return;
	}
	human_duration(now - t, out, sizeof(out));
	cell(cells, out);
}

const struct table_col table_cols_ingress[] = {
	COL_NAME,
	COL("Class", "string", "The name of the IngressClass that implements this Ingress.", 0),
	COL("Hosts", "string", "Hosts the rules of the Ingress match.", 0),
	COL("Address", "string", "Address is a list of IP addresses or hostnames of the load balancer.", 0),
	COL("Ports", "string", "Ports of the load balancer.", 0),
	COL_AGE, COL_END
};

/* Up to three rule hosts joined by ",", then " + N more..."; "*" when no rule names a host. */
static void cell_hosts(cJSON *cells, const cJSON *rules)
{
	struct buf b = BUF_INIT;
	int shown = 0, n = 0;
	const cJSON *r;
	cJSON_ArrayForEach(r, rules) {
		const char *h = json_str(r, "host");
		n++;
		if (n <= 3 && h && *h) {
			buf_addf(&b, "%s%s", shown ? "," : "", h);
			shown++;
		}
	}
	if (!shown)
		buf_adds(&b, "*");
	else if (n > 3)
		buf_addf(&b, " + %d more...", n - 3);
	cell(cells, b.data);
	buf_release(&b);
}

/* The load balancer's IPs and hostnames joined by ","; cut to 13 characters and "..." past 16. */
static void cell_address(cJSON *cells, const cJSON *lb, int wide)
{
	struct buf b = BUF_INIT;
	const cJSON *in;
	cJSON_ArrayForEach(in, json_getv(lb, "ingress", NULL)) {
		const char *s = json_str(in, "ip") && *json_str(in, "ip") ? json_str(in, "ip") : json_str(in, "hostname");
		if (s && *s)
			buf_addf(&b, "%s%s", b.len ? "," : "", s);
	}
	if (!wide && b.len > 16) {
		b.len = 13;
		b.data[13] = 0;
		buf_adds(&b, "...");
	}
	cJSON_AddItemToArray(cells, cJSON_CreateString(b.data ? b.data : ""));
	buf_release(&b);
}

void table_row_ingress(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *spec = json_obj(obj, "spec"), *tls = json_getv(spec, "tls", NULL);
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	cell(cells, json_str(spec, "ingressClassName"));
	cell_hosts(cells, json_getv(spec, "rules", NULL));
	cell_address(cells, json_getv(obj, "status", "loadBalancer", NULL), 0);
	cell(cells, cJSON_GetArraySize(tls) > 0 ? "80, 443" : "80");
	cell_age(cells, obj, now);
}

const struct table_col table_cols_ingressclass[] = {
	COL_NAME,
	COL("Controller", "string", "Controller that implements the IngressClass.", 0),
	COL("Parameters", "string", "A reference to an object with the controller's parameters.", 0),
	COL_AGE, COL_END
};

void table_row_ingressclass(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *spec = json_obj(obj, "spec"), *p = json_obj(spec, "parameters");
	struct buf b = BUF_INIT;
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	cell(cells, json_str(spec, "controller"));
	if (p) {
		const char *group = json_str(p, "apiGroup"), *kind = json_str(p, "kind"), *name = json_str(p, "name");
		buf_addf(&b, "%s%s%s/%s", kind ? kind : "", group ? "." : "", group ? group : "", name ? name : "");
	}
	cell(cells, b.data);
	buf_release(&b);
	cell_age(cells, obj, now);
}

const struct table_col table_cols_networkpolicy[] = {
	COL_NAME,
	COL("Pod-Selector", "string", "The pods the NetworkPolicy applies to, as a label selector.", 0),
	COL_AGE, COL_END
};

void table_row_networkpolicy(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *sel = json_getv(obj, "spec", "podSelector", NULL);
	struct selector s = { 0 };
	struct buf out = BUF_INIT;
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	if (sel && selector_from_json(sel, &s, NULL) == 0)
		selector_string(&s, &out);
	cell(cells, out.data);
	buf_release(&out);
	selector_release(&s);
	cell_age(cells, obj, now);
}
