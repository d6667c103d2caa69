/*
 * defaults.c - the defaults the API server fills in when it decodes an object, on create and on
 * update: upstream's SetDefaults_* (core/v1, apps/v1, batch/v1, discovery/v1 and the
 * declarative +default markers), what v1 conversion normalises (serviceAccount aliases,
 * Secret stringData, canonical quantities) and the zero values Go's encoder always writes for
 * non-pointer structs ("resources": {}, a template's "creationTimestamp": null).
 *
 * DESIGN
 * One function per API type, written against the JSON tree, calling the functions of the types
 * it embeds, the way the generated SetObjectDefaults_* walk a Go object: every workload kind
 * reaches the pod through defaults_pod_template(), so a container gets the same defaults in a
 * Pod, a Deployment or a CronJob's job template. Only the Pod itself adds SetDefaults_Pod's
 * extras (requests from limits, enableServiceLinks, host-network ports), as upstream does.
 * A default is written only where Go would see the field unset: a string field that is absent,
 * null or ""; a pointer field that is absent or null; an integer field that is absent or 0.
 * Values of the wrong JSON type are left for validation to report.
 */
#include "server/kinds.h"
#include "server/quantity.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <string.h>

/* ---- setting defaults ---------------------------------------------------------------------- */

/* obj[key] as an object: the existing one, a new one when absent or null, NULL otherwise. */
static cJSON *child(cJSON *obj, const char *key)
{
	cJSON *v;
	if (!cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsObject(v))
		return v;
	if (v && !cJSON_IsNull(v))
		return NULL;
	v = cJSON_CreateObject();
	json_set(obj, key, v);
	return v;
}

/* obj[key] when it is an object (never created). */
static cJSON *member(cJSON *obj, const char *key)
{
	return json_obj(obj, key);
}

/* A string field: set when absent, null or "". */
static void dflt_str(cJSON *obj, const char *key, const char *value)
{
	const cJSON *v = jget(obj, key);
	if (cJSON_IsObject(obj) && (!v || (cJSON_IsString(v) && !*v->valuestring)))
		json_set_str(obj, key, value);
}

/* A pointer field: set when absent or null. */
static void dflt_ptr(cJSON *obj, const char *key, cJSON *value)
{
	if (cJSON_IsObject(obj) && !jget(obj, key))
		json_set(obj, key, value);
	else
		cJSON_Delete(value);
}

static void dflt_int(cJSON *obj, const char *key, int64_t value)
{
	dflt_ptr(obj, key, cJSON_CreateNumber((double)value));
}

/* A non-pointer integer: set when absent, null or 0. */
static void dflt_int0(cJSON *obj, const char *key, int64_t value)
{
	const cJSON *v = jget(obj, key);
	if (cJSON_IsObject(obj) && (!v || (cJSON_IsNumber(v) && v->valuedouble == 0)))
		json_set_int(obj, key, value);
}

/* A non-pointer struct Go always encodes: {} when absent or null. */
static void dflt_obj(cJSON *obj, const char *key)
{
	child(obj, key);
}

/* A metav1.Time Go always encodes: null when absent. */
static void dflt_null(cJSON *obj, const char *key)
{
	if (cJSON_IsObject(obj) && !cJSON_GetObjectItemCaseSensitive(obj, key))
		json_set(obj, key, cJSON_CreateNull());
}

/* Canonicalises every quantity of a resource list (rounded up to milliunits). */
static void resource_list(cJSON *list)
{
	cJSON *q, *next;
	if (!cJSON_IsObject(list))
		return;
	for (q = list->child; q; q = next) {
		next = q->next;
		quantity_canonicalize(list, q, 1);
	}
}

/* ResourceRequirements: limits and requests. */
static void resource_requirements(cJSON *res)
{
	resource_list(member(res, "limits"));
	resource_list(member(res, "requests"));
}

/* ---- containers ----------------------------------------------------------------------------- */

/* Is c a character of a lowercase repository path component or separator? */
static int repo_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
}

/* Is the tag valid ([\w][\w.-]{0,127})? */
static int valid_tag(const char *t, size_t n)
{
	if (!n || n > 128 || *t == '.' || *t == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9') ||
		      t[i] == '_' || t[i] == '.' || t[i] == '-'))
			return 0;
	return 1;
}

/* The tag parsers.ParseImageName finds: returns 1 for "latest" (named or implied: no tag and
 * no digest), 0 for another tag or a digest, -1 when the reference does not parse. */
static int image_is_latest(const char *image)
{
	const char *at = strchr(image, '@'), *end = at ? at : image + strlen(image);
	const char *slash = NULL, *colon = NULL, *first = strchr(image, '/');
	if (!*image || (at && !strchr(at, ':')))
		return -1;
	for (const char *p = image; p < end; p++) {
		if (*p == '/')
			slash = p, colon = NULL;
		else if (*p == ':')
			colon = p;
	}
	/* A first component with '.' or ':' or "localhost" is a registry host (any case, a port). */
	const char *path = image;
	if (first && first < end &&
	    (memchr(image, '.', (size_t)(first - image)) || memchr(image, ':', (size_t)(first - image)) ||
	     !strncmp(image, "localhost/", 10)))
		path = first + 1;
	const char *name_end = colon && colon > (slash ? slash : image) ? colon : end;
	for (const char *p = path; p < name_end; p++)
		if (!repo_char(*p))
			return -1;
	if (name_end < end && !valid_tag(name_end + 1, (size_t)(end - name_end - 1)))
		return -1;
	if (name_end < end)
		return (size_t)(end - name_end - 1) == 6 && !strncmp(name_end + 1, "latest", 6);
	return at ? 0 : 1;
}

static void http_get(cJSON *handler)
{
	cJSON *g = member(handler, "httpGet");
	dflt_str(g, "path", "/");
	dflt_str(g, "scheme", "HTTP");
}

/* SetDefaults_Probe with its handler. */
static void probe(cJSON *p)
{
	if (!p)
		return;
	dflt_int0(p, "timeoutSeconds", 1);
	dflt_int0(p, "periodSeconds", 10);
	dflt_int0(p, "successThreshold", 1);
	dflt_int0(p, "failureThreshold", 3);
	http_get(p);
}

/* A downward API field or resource reference (env valueFrom, downwardAPI volume items). */
static void downward_refs(cJSON *holder)
{
	dflt_str(member(holder, "fieldRef"), "apiVersion", "v1");
	cJSON *r = member(holder, "resourceFieldRef");
	if (r) {
		dflt_ptr(r, "divisor", cJSON_CreateString("0"));
		quantity_canonicalize(r, cJSON_GetObjectItemCaseSensitive(r, "divisor"), 0);
	}
}

static void container(cJSON *c)
{
	cJSON *it, *lc = member(c, "lifecycle");
	if (!cJSON_IsObject(c))
		return;
	if (!*jstr0(c, "imagePullPolicy"))
		json_set_str(c, "imagePullPolicy", image_is_latest(jstr0(c, "image")) == 1 ? "Always" : "IfNotPresent");
	dflt_str(c, "terminationMessagePath", "/dev/termination-log");
	dflt_str(c, "terminationMessagePolicy", "File");
	cJSON_ArrayForEach(it, json_getv(c, "ports", NULL))
		dflt_str(it, "protocol", "TCP");
	cJSON_ArrayForEach(it, json_getv(c, "env", NULL))
		downward_refs(member(it, "valueFrom"));
	dflt_obj(c, "resources");
	resource_requirements(member(c, "resources"));
	probe(member(c, "livenessProbe"));
	probe(member(c, "readinessProbe"));
	probe(member(c, "startupProbe"));
	http_get(member(lc, "postStart"));
	http_get(member(lc, "preStop"));
}

/* ---- volumes -------------------------------------------------------------------------------- */

static const char *const volume_sources[] = {
	"hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
	"iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
	"downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
	"photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
	"image", NULL,
};

/* The declarative string defaults of the volume sources (+default markers). */
static const struct {
	const char *source, *field, *value;
} source_defaults[] = {
	{ "iscsi", "iscsiInterface", "default" },    { "rbd", "pool", "rbd" },
	{ "rbd", "user", "admin" },                  { "rbd", "keyring", "/etc/ceph/keyring" },
	{ "azureDisk", "cachingMode", "ReadWrite" }, { "azureDisk", "fsType", "ext4" },
	{ "azureDisk", "kind", "Shared" },           { "scaleIO", "storageMode", "ThinProvisioned" },
	{ "scaleIO", "fsType", "xfs" },
};

/* PersistentVolumeClaimSpec (and the metadata of a claim template). */
static void claim_spec(cJSON *spec)
{
	dflt_str(spec, "volumeMode", "Filesystem");
	resource_requirements(member(spec, "resources"));
}

static void projected_sources(cJSON *projected)
{
	cJSON *src, *it;
	cJSON_ArrayForEach(src, json_getv(projected, "sources", NULL)) {
		dflt_int(member(src, "serviceAccountToken"), "expirationSeconds", 3600);
		cJSON_ArrayForEach(it, json_getv(src, "downwardAPI", "items", NULL))
			downward_refs(it);
	}
}

static void volume(cJSON *v)
{
	cJSON *s, *it;
	int any = 0;
	if (!cJSON_IsObject(v))
		return;
	for (size_t i = 0; volume_sources[i]; i++)
		any |= jget(v, volume_sources[i]) != NULL;
	if (!any)
		json_set(v, "emptyDir", cJSON_CreateObject());
	dflt_int(member(v, "secret"), "defaultMode", 420);
	dflt_int(member(v, "configMap"), "defaultMode", 420);
	dflt_int(member(v, "downwardAPI"), "defaultMode", 420);
	dflt_int(member(v, "projected"), "defaultMode", 420);
	dflt_ptr(member(v, "hostPath"), "type", cJSON_CreateString(""));
	dflt_ptr(member(v, "azureDisk"), "readOnly", cJSON_CreateFalse());
	for (size_t i = 0; i < ARRAY_SIZE(source_defaults); i++)
		dflt_str(member(v, source_defaults[i].source), source_defaults[i].field, source_defaults[i].value);
	cJSON_ArrayForEach(it, json_getv(v, "downwardAPI", "items", NULL))
		downward_refs(it);
	projected_sources(member(v, "projected"));
	if ((s = member(v, "emptyDir")))
		quantity_canonicalize(s, cJSON_GetObjectItemCaseSensitive(s, "sizeLimit"), 0);
	if ((s = json_obj(member(v, "ephemeral"), "volumeClaimTemplate"))) {
		dflt_null(child(s, "metadata"), "creationTimestamp");
		claim_spec(child(s, "spec"));
	}
}

/* ---- pod specs and templates ---------------------------------------------------------------- */

static void each_container(cJSON *spec, void (*fn)(cJSON *c))
{
	static const char *const lists[] = { "initContainers", "containers", "ephemeralContainers" };
	cJSON *c;
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		cJSON_ArrayForEach(c, json_getv(spec, lists[i], NULL))
			fn(c);
}

/* SetDefaults_PodSpec with everything a PodSpec embeds, plus v1 conversion's serviceAccount
 * alias (serviceAccountName wins; the deprecated field mirrors it). */
static void pod_spec(cJSON *spec)
{
	cJSON *v;
	if (!spec)
		return;
	dflt_str(spec, "dnsPolicy", "ClusterFirst");
	dflt_str(spec, "restartPolicy", "Always");
	dflt_obj(spec, "securityContext");
	dflt_int(spec, "terminationGracePeriodSeconds", 30);
	dflt_str(spec, "schedulerName", "default-scheduler");
	if (!*jstr0(spec, "serviceAccountName") && *jstr0(spec, "serviceAccount"))
		json_set_str(spec, "serviceAccountName", jstr(spec, "serviceAccount"));
	if (*jstr0(spec, "serviceAccountName"))
		json_set_str(spec, "serviceAccount", jstr(spec, "serviceAccountName"));
	else
		json_del(spec, "serviceAccount");
	each_container(spec, container);
	cJSON_ArrayForEach(v, json_getv(spec, "volumes", NULL))
		volume(v);
	resource_list(member(spec, "overhead"));
	resource_requirements(member(spec, "resources"));
}

void defaults_pod_template(cJSON *tmpl)
{
	if (!tmpl)
		return;
	dflt_null(child(tmpl, "metadata"), "creationTimestamp");
	pod_spec(child(tmpl, "spec"));
}

/* SetDefaults_Pod: requests default to limits (before the lists are canonicalised). */
static void requests_from_limits(cJSON *c)
{
	cJSON *res = member(c, "resources"), *lim = member(res, "limits"), *q;
	if (!lim)
		return;
	cJSON *req = child(res, "requests");
	cJSON_ArrayForEach(q, lim)
		if (req && !cJSON_GetObjectItemCaseSensitive(req, q->string))
			cJSON_AddItemToObject(req, q->string, cJSON_Duplicate(q, 1));
}

/* With host networking a container port's hostPort defaults to its containerPort. */
static void host_network_ports(cJSON *c)
{
	cJSON *p;
	cJSON_ArrayForEach(p, json_getv(c, "ports", NULL)) {
		const cJSON *cp = jget(p, "containerPort");
		if (cp && cJSON_IsObject(p))
			dflt_int0(p, "hostPort", jnum(cp));
	}
}

void defaults_pod(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *c;
	static const char *const lists[] = { "containers", "initContainers" };
	if (!spec)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		cJSON_ArrayForEach(c, json_getv(spec, lists[i], NULL))
			requests_from_limits(c);
	dflt_ptr(spec, "enableServiceLinks", cJSON_CreateTrue());
	if (jtrue(spec, "hostNetwork")) {
		cJSON_ArrayForEach(c, json_getv(spec, "containers", NULL))
			host_network_ports(c);
		cJSON_ArrayForEach(c, json_getv(spec, "initContainers", NULL))
			host_network_ports(c);
	}
	pod_spec(spec);
}

/* ---- core kinds ----------------------------------------------------------------------------- */

void defaults_namespace(cJSON *obj)
{
	const char *name = json_strv(obj, "metadata", "name", NULL);
	dflt_obj(obj, "spec");
	if (name && *name)
		json_set_str(child(child(obj, "metadata"), "labels"), "kubernetes.io/metadata.name", name);
	dflt_str(child(obj, "status"), "phase", "Active");
}

void defaults_node(cJSON *obj)
{
	static const char *const info[] = { "machineID", "systemUUID", "bootID", "kernelVersion", "osImage",
					    "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion",
					    "operatingSystem", "architecture" };
	cJSON *status = child(obj, "status"), *ni, *cap;
	dflt_obj(obj, "spec");
	if (!status)
		return;
	cap = member(status, "capacity");
	if (cap && !jget(status, "allocatable"))
		json_set(status, "allocatable", cJSON_Duplicate(cap, 1));
	resource_list(cap);
	resource_list(member(status, "allocatable"));
	dflt_int(child(child(status, "daemonEndpoints"), "kubeletEndpoint"), "Port", 0);
	ni = child(status, "nodeInfo");
	for (size_t i = 0; i < ARRAY_SIZE(info); i++)
		dflt_ptr(ni, info[i], cJSON_CreateString(""));
}

/* service.ExternallyAccessible */
static int externally_accessible(const cJSON *spec)
{
	const char *type = jstr0(spec, "type");
	return !strcmp(type, "LoadBalancer") || !strcmp(type, "NodePort") ||
	       (!strcmp(type, "ClusterIP") && jarr(spec, "externalIPs"));
}

static void service_ports(cJSON *spec)
{
	cJSON *p;
	cJSON_ArrayForEach(p, json_getv(spec, "ports", NULL)) {
		const cJSON *tp = jget(p, "targetPort");
		dflt_str(p, "protocol", "TCP");
		if (cJSON_IsObject(p) && (!tp || (cJSON_IsNumber(tp) && tp->valuedouble == 0) ||
					  (cJSON_IsString(tp) && !*tp->valuestring))) {
			const cJSON *port = jget(p, "port");
			json_set(p, "targetPort", cJSON_CreateNumber(cJSON_IsNumber(port) ? port->valuedouble : 0));
		}
	}
}

void defaults_service(cJSON *obj)
{
	cJSON *spec = child(obj, "spec");
	const char *type;
	if (!spec)
		return;
	dflt_str(spec, "sessionAffinity", "None");
	if (!strcmp(jstr0(spec, "sessionAffinity"), "None"))
		json_del(spec, "sessionAffinityConfig");
	if (!strcmp(jstr0(spec, "sessionAffinity"), "ClientIP") &&
	    !jget(json_getv(spec, "sessionAffinityConfig", "clientIP", NULL), "timeoutSeconds"))
		json_set_int(child(child(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds", 10800);
	dflt_str(spec, "type", "ClusterIP");
	service_ports(spec);
	if (externally_accessible(spec))
		dflt_str(spec, "externalTrafficPolicy", "Cluster");
	type = jstr0(spec, "type");
	if (!strcmp(type, "NodePort") || !strcmp(type, "LoadBalancer") || !strcmp(type, "ClusterIP"))
		dflt_ptr(spec, "internalTrafficPolicy", cJSON_CreateString("Cluster"));
	if (!strcmp(type, "LoadBalancer"))
		dflt_ptr(spec, "allocateLoadBalancerNodePorts", cJSON_CreateTrue());
	if (!strcmp(type, "LoadBalancer")) {
		cJSON *ing;
		cJSON_ArrayForEach(ing, json_getv(obj, "status", "loadBalancer", "ingress", NULL))
			if (*jstr0(ing, "ip"))
				dflt_ptr(ing, "ipMode", cJSON_CreateString("VIP"));
	}
}

void defaults_endpoints(cJSON *obj)
{
	cJSON *ss, *p;
	cJSON_ArrayForEach(ss, json_getv(obj, "subsets", NULL))
		cJSON_ArrayForEach(p, json_getv(ss, "ports", NULL))
			dflt_str(p, "protocol", "TCP");
}

static void base64_encode(const char *in, size_t n, struct buf *out)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)in;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
		buf_addch(out, tbl[v >> 18 & 63]);
		buf_addch(out, tbl[v >> 12 & 63]);
		buf_addch(out, i + 1 < n ? tbl[v >> 6 & 63] : '=');
		buf_addch(out, i + 2 < n ? tbl[v & 63] : '=');
	}
}

/* SetDefaults_Secret, and v1 conversion's merge of stringData into data (stringData wins). */
void defaults_secret(cJSON *obj)
{
	cJSON *sd = member(obj, "stringData"), *it;
	dflt_str(obj, "type", "Opaque");
	if (sd) {
		cJSON *data = child(obj, "data");
		cJSON_ArrayForEach(it, sd) {
			struct buf b = BUF_INIT;
			if (!cJSON_IsString(it) || !data)
				continue;
			base64_encode(it->valuestring, strlen(it->valuestring), &b);
			json_set_str(data, it->string, buf_str(&b));
			buf_release(&b);
		}
	}
	if (cJSON_IsObject(obj))
		json_del(obj, "stringData");
}

/* core/v1 Event: the members Go always encodes (no SetDefaults_Event exists). */
void defaults_event(cJSON *obj)
{
	dflt_obj(obj, "involvedObject");
	dflt_obj(obj, "source");
	dflt_null(obj, "firstTimestamp");
	dflt_null(obj, "lastTimestamp");
	dflt_null(obj, "eventTime");
	dflt_ptr(obj, "reportingComponent", cJSON_CreateString(""));
	dflt_ptr(obj, "reportingInstance", cJSON_CreateString(""));
}

/* events.k8s.io/v1 Event: the same for its field names. */
void defaults_event_v1(cJSON *obj)
{
	dflt_null(obj, "eventTime");
	dflt_obj(obj, "regarding");
	dflt_obj(obj, "deprecatedSource");
	dflt_null(obj, "deprecatedFirstTimestamp");
	dflt_null(obj, "deprecatedLastTimestamp");
}

void defaults_lease(cJSON *obj)
{
	dflt_obj(obj, "spec");
}

void defaults_endpointslice(cJSON *obj)
{
	cJSON *p, *e;
	if (cJSON_IsObject(obj) && !cJSON_GetObjectItemCaseSensitive(obj, "endpoints"))
		json_set(obj, "endpoints", cJSON_CreateNull());
	cJSON_ArrayForEach(e, json_getv(obj, "endpoints", NULL))
		dflt_obj(e, "conditions");
	cJSON_ArrayForEach(p, json_getv(obj, "ports", NULL)) {
		dflt_ptr(p, "name", cJSON_CreateString(""));
		dflt_ptr(p, "protocol", cJSON_CreateString("TCP"));
	}
}

/* ---- apps ----------------------------------------------------------------------------------- */

void defaults_deployment(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *strategy;
	if (!spec)
		return;
	dflt_int(spec, "replicas", 1);
	strategy = child(spec, "strategy");
	dflt_str(strategy, "type", "RollingUpdate");
	if (!strcmp(jstr0(strategy, "type"), "RollingUpdate")) {
		cJSON *ru = child(strategy, "rollingUpdate");
		dflt_ptr(ru, "maxUnavailable", cJSON_CreateString("25%"));
		dflt_ptr(ru, "maxSurge", cJSON_CreateString("25%"));
	}
	dflt_int(spec, "revisionHistoryLimit", 10);
	dflt_int(spec, "progressDeadlineSeconds", 600);
	defaults_pod_template(child(spec, "template"));
}

void defaults_replicaset(cJSON *obj)
{
	cJSON *spec = child(obj, "spec");
	dflt_int(spec, "replicas", 1);
	defaults_pod_template(child(spec, "template"));
}

/* SetDefaults_ReplicationController: the selector and the object's labels default to the
 * template's labels (when it has some), replicas to 1. */
void defaults_replicationcontroller(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *tmpl = member(spec, "template");
	const cJSON *tl = json_getv(tmpl, "metadata", "labels", NULL);
	if (cJSON_IsObject(tl) && cJSON_GetArraySize(tl) > 0) {
		const cJSON *sel = jget(spec, "selector"), *ol = json_getv(obj, "metadata", "labels", NULL);
		if (!cJSON_IsObject(sel) || !cJSON_GetArraySize(sel))
			json_set(spec, "selector", cJSON_Duplicate(tl, 1));
		if ((!cJSON_IsObject(ol) || !cJSON_GetArraySize(ol)) && child(obj, "metadata"))
			json_set(child(obj, "metadata"), "labels", cJSON_Duplicate(tl, 1));
	}
	dflt_int(spec, "replicas", 1);
	defaults_pod_template(tmpl);
}

void defaults_daemonset(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *us;
	if (!spec)
		return;
	us = child(spec, "updateStrategy");
	dflt_str(us, "type", "RollingUpdate");
	if (!strcmp(jstr0(us, "type"), "RollingUpdate")) {
		cJSON *ru = child(us, "rollingUpdate");
		dflt_int(ru, "maxUnavailable", 1);
		dflt_int(ru, "maxSurge", 0);
	}
	dflt_int(spec, "revisionHistoryLimit", 10);
	defaults_pod_template(child(spec, "template"));
}

void defaults_statefulset(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *us, *policy, *pvc;
	if (!spec)
		return;
	dflt_str(spec, "podManagementPolicy", "OrderedReady");
	us = child(spec, "updateStrategy");
	if (us && !*jstr0(us, "type")) {
		json_set_str(us, "type", "RollingUpdate");
		child(us, "rollingUpdate");
	}
	if (!strcmp(jstr0(us, "type"), "RollingUpdate") && member(us, "rollingUpdate"))
		dflt_int(member(us, "rollingUpdate"), "partition", 0);
	policy = child(spec, "persistentVolumeClaimRetentionPolicy");
	dflt_str(policy, "whenDeleted", "Retain");
	dflt_str(policy, "whenScaled", "Retain");
	dflt_int(spec, "replicas", 1);
	dflt_int(spec, "revisionHistoryLimit", 10);
	defaults_pod_template(child(spec, "template"));
	cJSON_ArrayForEach(pvc, json_getv(spec, "volumeClaimTemplates", NULL)) {
		dflt_null(child(pvc, "metadata"), "creationTimestamp");
		claim_spec(child(pvc, "spec"));
		dflt_str(child(pvc, "status"), "phase", "Pending");
	}
}

/* ---- batch ---------------------------------------------------------------------------------- */

void defaults_job(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *rule, *pat, *meta = child(obj, "metadata");
	const cJSON *tlabels;
	if (!spec)
		return;
	if (!jget(spec, "completions") && !jget(spec, "parallelism"))
		json_set_int(spec, "completions", 1);
	dflt_int(spec, "parallelism", 1);
	dflt_int(spec, "backoffLimit", jget(spec, "backoffLimitPerIndex") ? INT32_MAX : 6);
	tlabels = json_getv(spec, "template", "metadata", "labels", NULL);
	if (cJSON_IsObject(tlabels) && meta && !jmap(meta, "labels"))
		json_set(meta, "labels", cJSON_Duplicate(tlabels, 1));
	dflt_ptr(spec, "completionMode", cJSON_CreateString("NonIndexed"));
	dflt_ptr(spec, "suspend", cJSON_CreateFalse());
	cJSON_ArrayForEach(rule, json_getv(spec, "podFailurePolicy", "rules", NULL))
		cJSON_ArrayForEach(pat, json_getv(rule, "onPodConditions", NULL))
			dflt_str(pat, "status", "True");
	dflt_ptr(spec, "podReplacementPolicy",
		 cJSON_CreateString(jget(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed"));
	defaults_pod_template(child(spec, "template"));
}

void defaults_cronjob(cJSON *obj)
{
	cJSON *spec = child(obj, "spec"), *jt;
	if (!spec)
		return;
	dflt_str(spec, "concurrencyPolicy", "Allow");
	dflt_ptr(spec, "suspend", cJSON_CreateFalse());
	dflt_int(spec, "successfulJobsHistoryLimit", 3);
	dflt_int(spec, "failedJobsHistoryLimit", 1);
	jt = child(spec, "jobTemplate");
	dflt_null(child(jt, "metadata"), "creationTimestamp");
	defaults_pod_template(child(child(jt, "spec"), "template"));
}
