/*
 * table.c - server-side meta.k8s.io/v1 Tables: what `kubectl get` prints.
 *
 * DESIGN
 * Each kind names its columns and a row function in the registry; the columns and the cell
 * rules follow upstream's printers (pkg/printers/internalversion/printers.go), because users
 * read these columns every day: the same headers, the same "<none>", the same STATUS reasoning.
 * Kinds without a printer get upstream's default columns, Name and Created At. Rows carry the
 * object's metadata (PartialObjectMetadata) by default, the whole object with
 * includeObject=Object, nothing with None.
 */
#include "internal.h"
#include "server/kinds.h"
#include "server/crd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL_NAME { "Name", "string", "name", "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0 }
#define COL_AGE { "Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0 }
#define COL(n, t, d, p) { n, t, "", d, p }
#define COL_END { NULL, NULL, NULL, NULL, 0 }

/* ---- cells ------------------------------------------------------------------------------- */

static void cell_str(cJSON *cells, const char *s)
{
	cJSON_AddItemToArray(cells, cJSON_CreateString(s && *s ? s : "<none>"));
}

static void cell_raw(cJSON *cells, const char *s)
{
	cJSON_AddItemToArray(cells, cJSON_CreateString(s ? s : ""));
}

static void cell_int(cJSON *cells, int64_t n)
{
	cJSON_AddItemToArray(cells, cJSON_CreateNumber((double)n));
}

static int64_t num(const cJSON *obj, const char *a, const char *b)
{
	int64_t v = 0;
	json_int(b ? json_obj(obj, a) : obj, b ? b : a, &v);
	return v;
}

static void cell_age_of(cJSON *cells, const char *ts, int64_t now)
{
	int64_t t;
	char out[32];
	if (!ts || parse_rfc3339(ts, &t) < 0) {
		cell_raw(cells, "<unknown>");
		return;
	}
	human_duration(now - t, out, sizeof(out));
	cell_raw(cells, out);
}

static void cell_age(cJSON *cells, const cJSON *obj, int64_t now)
{
	cell_age_of(cells, json_strv(obj, "metadata", "creationTimestamp", NULL), now);
}

static void cell_name(cJSON *cells, const cJSON *obj)
{
	cell_raw(cells, json_strv(obj, "metadata", "name", NULL));
}

/* "k=v,k2=v2" of a string map, or NULL when empty. */
static char *map_string(const cJSON *map)
{
	struct buf b = BUF_INIT;
	const cJSON *e;
	cJSON_ArrayForEach(e, map)
	{
		if (!cJSON_IsString(e))
			continue;
		buf_addf(&b, "%s%s=%s", b.len ? "," : "", e->string, e->valuestring);
	}
	return b.len ? buf_detach(&b, NULL) : (buf_release(&b), NULL);
}

/* The selector of a LabelSelector as upstream's metav1.FormatLabelSelector prints it. */
static void cell_selector(cJSON *cells, const cJSON *sel)
{
	struct selector s = { 0 };
	struct buf out = BUF_INIT;
	if (!sel || selector_from_json(sel, &s, NULL) < 0) {
		cell_str(cells, NULL);
		return;
	}
	selector_string(&s, &out);
	cell_str(cells, out.len ? out.data : NULL);
	buf_release(&out);
	selector_release(&s);
}

/* Containers and Images of a pod template: two cells. */
static void cell_containers(cJSON *cells, const cJSON *podspec)
{
	struct buf names = BUF_INIT, images = BUF_INIT;
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(podspec, "containers"))
	{
		const char *n = json_str(c, "name"), *i = json_str(c, "image");
		buf_addf(&names, "%s%s", names.len ? "," : "", n ? n : "");
		buf_addf(&images, "%s%s", images.len ? "," : "", i ? i : "");
	}
	cell_str(cells, names.data);
	cell_str(cells, images.data);
	buf_release(&names);
	buf_release(&images);
}

static const cJSON *template_spec(const cJSON *obj)
{
	return json_getv(obj, "spec", "template", "spec", NULL);
}

static const cJSON *condition(const cJSON *obj, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, json_getv(obj, "status", "conditions", NULL))
	{
		const char *t = json_str(c, "type");
		if (t && !strcmp(t, type))
			return c;
	}
	return NULL;
}

/* ---- core kinds -------------------------------------------------------------------------- */

const struct table_col table_cols_namespace[] = {
	COL_NAME, COL("Status", "string", "The status of the namespace", 0), COL_AGE, COL_END
};

void table_row_namespace(const cJSON *obj, cJSON *cells, int64_t now)
{
	cell_name(cells, obj);
	cell_raw(cells, json_strv(obj, "status", "phase", NULL));
	cell_age(cells, obj, now);
}

const struct table_col table_cols_pod[] = {
	COL_NAME,
	COL("Ready", "string", "The aggregate readiness state of this pod for accepting traffic.", 0),
	COL("Status", "string", "The aggregate status of the containers in this pod.", 0),
	COL("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", 0),
	COL_AGE,
	COL("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
	COL("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
	COL("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
	COL("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
	COL_END
};

/* The reason a terminated container state shows: its reason, else Signal:N or ExitCode:N. */
static void terminated_reason(const cJSON *term, const char *prefix, char *out, size_t len)
{
	const char *r = json_str(term, "reason");
	if (r && *r)
		snprintf(out, len, "%s%s", prefix, r);
	else if (num(term, "signal", NULL))
		snprintf(out, len, "%sSignal:%lld", prefix, (long long)num(term, "signal", NULL));
	else
		snprintf(out, len, "%sExitCode:%lld", prefix, (long long)num(term, "exitCode", NULL));
}

/* Init containers: returns 1 and sets reason while the pod is still initializing. */
static int pod_init_reason(const cJSON *obj, char *reason, size_t len)
{
	const cJSON *st = json_getv(obj, "status", "initContainerStatuses", NULL), *c;
	int i = 0, total = cJSON_GetArraySize(json_getv(obj, "spec", "initContainers", NULL));
	cJSON_ArrayForEach(c, st)
	{
		const cJSON *term = json_getv(c, "state", "terminated", NULL);
		const cJSON *wait = json_getv(c, "state", "waiting", NULL);
		const char *wr = json_str(wait, "reason");
		if (term && num(term, "exitCode", NULL) == 0) {
			i++;
			continue;
		}
		if (term)
			terminated_reason(term, "Init:", reason, len);
		else if (wr && *wr && strcmp(wr, "PodInitializing"))
			snprintf(reason, len, "Init:%s", wr);
		else
			snprintf(reason, len, "Init:%d/%d", i, total);
		return 1;
	}
	return 0;
}

struct pod_counts {
	int ready;
	int64_t restarts;
	int running;
	const char *last_restart; /* finishedAt of the latest lastState.terminated */
};

static void pod_container_reason(const cJSON *obj, char *reason, size_t len, struct pod_counts *pc)
{
	const cJSON *st = json_getv(obj, "status", "containerStatuses", NULL);
	for (int i = cJSON_GetArraySize(st) - 1; i >= 0; i--) {
		const cJSON *c = cJSON_GetArrayItem(st, i);
		const cJSON *term = json_getv(c, "state", "terminated", NULL);
		const char *wr = json_strv(c, "state", "waiting", "reason", NULL);
		const char *fin = json_strv(c, "lastState", "terminated", "finishedAt", NULL);
		pc->restarts += num(c, "restartCount", NULL);
		if (fin && (!pc->last_restart || strcmp(fin, pc->last_restart) > 0))
			pc->last_restart = fin;
		if (wr && *wr)
			snprintf(reason, len, "%s", wr);
		else if (term)
			terminated_reason(term, "", reason, len);
		else if (json_true(c, "ready") &&
			 json_getv(c, "state", "running", NULL)) {
			pc->running = 1;
			pc->ready++;
		}
	}
}

void table_row_pod(const cJSON *obj, cJSON *cells, int64_t now)
{
	char reason[128], buf[64];
	struct pod_counts pc = { 0 };
	const char *phase = json_strv(obj, "status", "phase", NULL), *sr = json_strv(obj, "status", "reason", NULL);
	int total = cJSON_GetArraySize(json_getv(obj, "spec", "containers", NULL));
	snprintf(reason, sizeof(reason), "%s", sr && *sr ? sr : phase ? phase : "Pending");
	if (!pod_init_reason(obj, reason, sizeof(reason))) {
		pod_container_reason(obj, reason, sizeof(reason), &pc);
		if (!strcmp(reason, "Completed") && pc.running) {
			const cJSON *rc = condition(obj, "Ready");
			const char *s = json_str(rc, "status");
			snprintf(reason, sizeof(reason), "%s", s && !strcmp(s, "True") ? "Running" : "NotReady");
		}
	}
	if (json_strv(obj, "metadata", "deletionTimestamp", NULL))
		snprintf(reason, sizeof(reason), "%s", sr && !strcmp(sr, "NodeLost") ? "Unknown" : "Terminating");
	cell_name(cells, obj);
	snprintf(buf, sizeof(buf), "%d/%d", pc.ready, total);
	cell_raw(cells, buf);
	cell_raw(cells, reason);
	int64_t t;
	if (pc.last_restart && parse_rfc3339(pc.last_restart, &t) == 0) {
		char ago[32];
		human_duration(now - t, ago, sizeof(ago));
		snprintf(buf, sizeof(buf), "%lld (%s ago)", (long long)pc.restarts, ago);
	} else {
		snprintf(buf, sizeof(buf), "%lld", (long long)pc.restarts);
	}
	cell_raw(cells, buf);
	cell_age(cells, obj, now);
	cell_str(cells, json_strv(obj, "status", "podIP", NULL));
	cell_str(cells, json_strv(obj, "spec", "nodeName", NULL));
	cell_str(cells, json_strv(obj, "status", "nominatedNodeName", NULL));
	int gates = cJSON_GetArraySize(json_getv(obj, "spec", "readinessGates", NULL));
	if (gates) {
		int ok = 0;
		const cJSON *g;
		cJSON_ArrayForEach(g, json_getv(obj, "spec", "readinessGates", NULL))
		{
			const cJSON *c = condition(obj, json_str(g, "conditionType") ? json_str(g, "conditionType") : "");
			const char *s = json_str(c, "status");
			ok += s && !strcmp(s, "True");
		}
		snprintf(buf, sizeof(buf), "%d/%d", ok, gates);
		cell_raw(cells, buf);
	} else {
		cell_str(cells, NULL);
	}
}

const struct table_col table_cols_node[] = {
	COL_NAME,
	COL("Status", "string", "The status of the node", 0),
	COL("Roles", "string", "The roles of the node", 0),
	COL_AGE,
	COL("Version", "string", "Kubelet Version reported by the node.", 0),
	COL("Internal-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
	COL("External-IP", "string", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
	COL("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
	COL("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
	COL("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
	COL_END
};

static const char *node_address(const cJSON *obj, const char *type)
{
	const cJSON *a;
	cJSON_ArrayForEach(a, json_getv(obj, "status", "addresses", NULL))
	{
		const char *t = json_str(a, "type");
		if (t && !strcmp(t, type))
			return json_str(a, "address");
	}
	return NULL;
}

void table_row_node(const cJSON *obj, cJSON *cells, int64_t now)
{
	struct buf status = BUF_INIT, roles = BUF_INIT;
	const char *rs = json_str(condition(obj, "Ready"), "status");
	buf_adds(&status, !rs ? "Unknown" : !strcmp(rs, "True") ? "Ready" : !strcmp(rs, "False") ? "NotReady" : "Unknown");
	if (cJSON_IsTrue(json_getv(obj, "spec", "unschedulable", NULL)))
		buf_adds(&status, ",SchedulingDisabled");
	const cJSON *l;
	cJSON_ArrayForEach(l, json_getv(obj, "metadata", "labels", NULL))
	{
		const char *role = NULL;
		if (starts_with(l->string, "node-role.kubernetes.io/"))
			role = l->string + strlen("node-role.kubernetes.io/");
		else if (!strcmp(l->string, "kubernetes.io/role") && cJSON_IsString(l))
			role = l->valuestring;
		if (role && *role)
			buf_addf(&roles, "%s%s", roles.len ? "," : "", role);
	}
	cell_name(cells, obj);
	cell_raw(cells, status.data);
	cell_str(cells, roles.data);
	cell_age(cells, obj, now);
	cell_raw(cells, json_strv(obj, "status", "nodeInfo", "kubeletVersion", NULL));
	cell_str(cells, node_address(obj, "InternalIP"));
	cell_str(cells, node_address(obj, "ExternalIP"));
	cell_raw(cells, json_strv(obj, "status", "nodeInfo", "osImage", NULL));
	cell_raw(cells, json_strv(obj, "status", "nodeInfo", "kernelVersion", NULL));
	cell_raw(cells, json_strv(obj, "status", "nodeInfo", "containerRuntimeVersion", NULL));
	buf_release(&status);
	buf_release(&roles);
}

const struct table_col table_cols_service[] = {
	COL_NAME,
	COL("Type", "string", "type determines how the Service is exposed.", 0),
	COL("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly.", 0),
	COL("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.", 0),
	COL("Port(s)", "string", "The list of ports that are exposed by this service.", 0),
	COL_AGE,
	COL("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
	COL_END
};

static void service_external(const cJSON *obj, struct buf *out)
{
	const char *type = json_strv(obj, "spec", "type", NULL);
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "spec", "externalIPs", NULL))
		if (cJSON_IsString(e))
			buf_addf(out, "%s%s", out->len ? "," : "", e->valuestring);
	if (type && !strcmp(type, "LoadBalancer")) {
		cJSON_ArrayForEach(e, json_getv(obj, "status", "loadBalancer", "ingress", NULL))
		{
			const char *a = json_str(e, "ip") ? json_str(e, "ip") : json_str(e, "hostname");
			if (a)
				buf_addf(out, "%s%s", out->len ? "," : "", a);
		}
		if (!out->len)
			buf_adds(out, "<pending>");
	} else if (type && !strcmp(type, "ExternalName")) {
		const char *n = json_strv(obj, "spec", "externalName", NULL);
		if (n && !out->len)
			buf_adds(out, n);
	}
}

void table_row_service(const cJSON *obj, cJSON *cells, int64_t now)
{
	struct buf ext = BUF_INIT, ports = BUF_INIT;
	const char *type = json_strv(obj, "spec", "type", NULL);
	const cJSON *p;
	service_external(obj, &ext);
	cJSON_ArrayForEach(p, json_getv(obj, "spec", "ports", NULL))
	{
		const char *proto = json_str(p, "protocol");
		buf_addf(&ports, "%s%lld", ports.len ? "," : "", (long long)num(p, "port", NULL));
		if (num(p, "nodePort", NULL))
			buf_addf(&ports, ":%lld", (long long)num(p, "nodePort", NULL));
		buf_addf(&ports, "/%s", proto ? proto : "TCP");
	}
	char *sel = map_string(json_getv(obj, "spec", "selector", NULL));
	cell_name(cells, obj);
	cell_raw(cells, type ? type : "ClusterIP");
	cell_str(cells, json_strv(obj, "spec", "clusterIP", NULL));
	cell_str(cells, ext.data);
	cell_str(cells, ports.data);
	cell_age(cells, obj, now);
	cell_str(cells, sel);
	free(sel);
	buf_release(&ext);
	buf_release(&ports);
}

const struct table_col table_cols_endpoints[] = {
	COL_NAME, COL("Endpoints", "string", "Endpoints of the service", 0), COL_AGE, COL_END
};

void table_row_endpoints(const cJSON *obj, cJSON *cells, int64_t now)
{
	struct buf out = BUF_INIT;
	const cJSON *sub, *a, *p;
	int n = 0, more = 0;
	cJSON_ArrayForEach(sub, json_getv(obj, "subsets", NULL))
	{
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(sub, "addresses"))
		{
			const cJSON *ports = cJSON_GetObjectItemCaseSensitive(sub, "ports");
			if (!cJSON_GetArraySize(ports)) {
				if (n++ < 3)
					buf_addf(&out, "%s%s", out.len ? "," : "", json_str(a, "ip") ? json_str(a, "ip") : "");
				else
					more++;
				continue;
			}
			cJSON_ArrayForEach(p, ports)
			{
				if (n++ < 3)
					buf_addf(&out, "%s%s:%lld", out.len ? "," : "", json_str(a, "ip") ? json_str(a, "ip") : "",
						 (long long)num(p, "port", NULL));
				else
					more++;
			}
		}
	}
	if (more)
		buf_addf(&out, " + %d more...", more);
	cell_name(cells, obj);
	cell_str(cells, out.data);
	cell_age(cells, obj, now);
	buf_release(&out);
}

const struct table_col table_cols_configmap[] = {
	COL_NAME, COL("Data", "integer", "Data contains the configuration data.", 0), COL_AGE, COL_END
};

void table_row_configmap(const cJSON *obj, cJSON *cells, int64_t now)
{
	cell_name(cells, obj);
	cell_int(cells, cJSON_GetArraySize(json_obj(obj, "data")) + cJSON_GetArraySize(json_obj(obj, "binaryData")));
	cell_age(cells, obj, now);
}

const struct table_col table_cols_secret[] = {
	COL_NAME, COL("Type", "string", "The type of the secret", 0),
	COL("Data", "integer", "The number of entries in the secret", 0), COL_AGE, COL_END
};

void table_row_secret(const cJSON *obj, cJSON *cells, int64_t now)
{
	const char *type = json_str(obj, "type");
	cell_name(cells, obj);
	cell_raw(cells, type ? type : "Opaque");
	cell_int(cells, cJSON_GetArraySize(json_obj(obj, "data")));
	cell_age(cells, obj, now);
}

const struct table_col table_cols_serviceaccount[] = {
	COL_NAME, COL("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", 0),
	COL_AGE, COL_END
};

void table_row_serviceaccount(const cJSON *obj, cJSON *cells, int64_t now)
{
	cell_name(cells, obj);
	cell_int(cells, cJSON_GetArraySize(json_getv(obj, "secrets", NULL)));
	cell_age(cells, obj, now);
}

#define EVENT_COLS \
	{ "Last Seen", "string", "", "Time when last event occurred", 0 }, \
	COL("Type", "string", "Type of this event.", 0), \
	COL("Reason", "string", "Reason why this event was generated.", 0), \
	COL("Object", "string", "The object that this event is about.", 0), \
	COL("Subobject", "string", "The subobject that this event is about.", 1), \
	COL("Source", "string", "The component reporting this event.", 1), \
	COL("Message", "string", "A human-readable description of the status of this operation.", 0), \
	COL("First Seen", "string", "Time when first event occurred", 1), \
	COL("Count", "string", "The number of times this event has occurred.", 1), \
	COL("Name", "string", "The name of the event.", 1), COL_END

const struct table_col table_cols_event[] = { EVENT_COLS };
const struct table_col table_cols_event2[] = { EVENT_COLS };

/* Cells of an Event given the names of its fields in its API version. */
static void event_cells(const cJSON *obj, cJSON *cells, int64_t now, const char *ref, const char *msg,
			const char *first, const char *last)
{
	const cJSON *r = json_obj(obj, ref);
	char object[300], count[24];
	const char *lts = json_str(obj, last);
	if (!lts || !*lts)
		lts = json_str(obj, "eventTime");
	if (!lts || !*lts)
		lts = json_strv(obj, "metadata", "creationTimestamp", NULL);
	snprintf(object, sizeof(object), "%s/%s", json_str(r, "kind") ? json_str(r, "kind") : "",
		 json_str(r, "name") ? json_str(r, "name") : "");
	cell_age_of(cells, lts, now);
	cell_raw(cells, json_str(obj, "type"));
	cell_raw(cells, json_str(obj, "reason"));
	cell_raw(cells, object);
	cell_raw(cells, json_str(r, "fieldPath"));
	const char *src = json_strv(obj, "source", "component", NULL);
	if (!src)
		src = json_str(obj, "reportingController") ? json_str(obj, "reportingController")
							  : json_str(obj, "reportingComponent");
	cell_raw(cells, src);
	cell_raw(cells, json_str(obj, msg));
	const char *fts = json_str(obj, first);
	cell_age_of(cells, fts && *fts ? fts : lts, now);
	int64_t c = num(obj, "count", NULL);
	snprintf(count, sizeof(count), "%lld", (long long)(c ? c : 1));
	cell_raw(cells, count);
	cell_name(cells, obj);
}

void table_row_event(const cJSON *obj, cJSON *cells, int64_t now)
{
	event_cells(obj, cells, now, "involvedObject", "message", "firstTimestamp", "lastTimestamp");
}

void table_row_event2(const cJSON *obj, cJSON *cells, int64_t now)
{
	event_cells(obj, cells, now, "regarding", "note", "deprecatedFirstTimestamp", "deprecatedLastTimestamp");
}

/* ---- apps, batch, coordination, discovery ------------------------------------------------ */

#define WIDE_POD_COLS(sel) \
	COL("Containers", "string", "Names of each container in the template.", 1), \
	COL("Images", "string", "Images referenced by each container in the template.", 1) sel

#define SELECTOR_COL , COL("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1)

const struct table_col table_cols_deployment[] = {
	COL_NAME,
	COL("Ready", "string", "Number of the pod with ready state", 0),
	COL("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", 0),
	COL("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", 0),
	COL_AGE, WIDE_POD_COLS(SELECTOR_COL), COL_END
};

void table_row_deployment(const cJSON *obj, cJSON *cells, int64_t now)
{
	char ready[48];
	int64_t want = 1;
	json_int(json_obj(obj, "spec"), "replicas", &want);
	snprintf(ready, sizeof(ready), "%lld/%lld", (long long)num(obj, "status", "readyReplicas"), (long long)want);
	cell_name(cells, obj);
	cell_raw(cells, ready);
	cell_int(cells, num(obj, "status", "updatedReplicas"));
	cell_int(cells, num(obj, "status", "availableReplicas"));
	cell_age(cells, obj, now);
	cell_containers(cells, template_spec(obj));
	cell_selector(cells, json_getv(obj, "spec", "selector", NULL));
}

const struct table_col table_cols_replicaset[] = {
	COL_NAME,
	COL("Desired", "integer", "Replicas is the number of desired replicas.", 0),
	COL("Current", "integer", "Replicas is the most recently observed number of replicas.", 0),
	COL("Ready", "integer", "The number of ready replicas for this replica set.", 0),
	COL_AGE, WIDE_POD_COLS(SELECTOR_COL), COL_END
};

void table_row_replicaset(const cJSON *obj, cJSON *cells, int64_t now)
{
	int64_t want = 1;
	json_int(json_obj(obj, "spec"), "replicas", &want);
	cell_name(cells, obj);
	cell_int(cells, want);
	cell_int(cells, num(obj, "status", "replicas"));
	cell_int(cells, num(obj, "status", "readyReplicas"));
	cell_age(cells, obj, now);
	cell_containers(cells, template_spec(obj));
	cell_selector(cells, json_getv(obj, "spec", "selector", NULL));
}

#define RC_SELECTOR_COL , COL("Selector", "string", "Selector is a label query over pods that should match the Replicas count.", 1)

const struct table_col table_cols_replicationcontroller[] = {
	COL_NAME,
	COL("Desired", "integer", "Replicas is the number of desired replicas.", 0),
	COL("Current", "integer", "Replicas is the most recently observed number of replicas.", 0),
	COL("Ready", "integer", "The number of ready replicas for this replication controller.", 0),
	COL_AGE, WIDE_POD_COLS(RC_SELECTOR_COL), COL_END
};

void table_row_replicationcontroller(const cJSON *obj, cJSON *cells, int64_t now)
{
	char *sel = map_string(json_getv(obj, "spec", "selector", NULL));
	int64_t want = 1;
	json_int(json_obj(obj, "spec"), "replicas", &want);
	cell_name(cells, obj);
	cell_int(cells, want);
	cell_int(cells, num(obj, "status", "replicas"));
	cell_int(cells, num(obj, "status", "readyReplicas"));
	cell_age(cells, obj, now);
	cell_containers(cells, template_spec(obj));
	cell_str(cells, sel);
	free(sel);
}

const struct table_col table_cols_daemonset[] = {
	COL_NAME,
	COL("Desired", "integer", "The total number of nodes that should be running the daemon pod.", 0),
	COL("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", 0),
	COL("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", 0),
	COL("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod", 0),
	COL("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", 0),
	COL("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node.", 0),
	COL_AGE, WIDE_POD_COLS(SELECTOR_COL), COL_END
};

void table_row_daemonset(const cJSON *obj, cJSON *cells, int64_t now)
{
	char *ns = map_string(json_getv(obj, "spec", "template", "spec", "nodeSelector", NULL));
	cell_name(cells, obj);
	cell_int(cells, num(obj, "status", "desiredNumberScheduled"));
	cell_int(cells, num(obj, "status", "currentNumberScheduled"));
	cell_int(cells, num(obj, "status", "numberReady"));
	cell_int(cells, num(obj, "status", "updatedNumberScheduled"));
	cell_int(cells, num(obj, "status", "numberAvailable"));
	cell_str(cells, ns);
	cell_age(cells, obj, now);
	cell_containers(cells, template_spec(obj));
	cell_selector(cells, json_getv(obj, "spec", "selector", NULL));
	free(ns);
}

const struct table_col table_cols_statefulset[] = {
	COL_NAME, COL("Ready", "string", "Number of the pod with ready state", 0), COL_AGE, WIDE_POD_COLS(), COL_END
};

void table_row_statefulset(const cJSON *obj, cJSON *cells, int64_t now)
{
	char ready[48];
	int64_t want = 1;
	json_int(json_obj(obj, "spec"), "replicas", &want);
	snprintf(ready, sizeof(ready), "%lld/%lld", (long long)num(obj, "status", "readyReplicas"), (long long)want);
	cell_name(cells, obj);
	cell_raw(cells, ready);
	cell_age(cells, obj, now);
	cell_containers(cells, template_spec(obj));
}

const struct table_col table_cols_controllerrevision[] = {
	COL_NAME, COL("Controller", "string", "Controller of the object", 0),
	COL("Revision", "integer", "Revision indicates the revision of the state represented by Data.", 0), COL_AGE,
	COL_END
};

void table_row_controllerrevision(const cJSON *obj, cJSON *cells, int64_t now)
{
	char ctl[300] = "<none>";
	const cJSON *o;
	cJSON_ArrayForEach(o, json_getv(obj, "metadata", "ownerReferences", NULL))
	{
		if (!json_true(o, "controller"))
			continue;
		const char *av = json_str(o, "apiVersion"), *slash = av ? strchr(av, '/') : NULL;
		snprintf(ctl, sizeof(ctl), "%s%s%.*s/%s", json_str(o, "kind") ? json_str(o, "kind") : "",
			 slash ? "." : "", slash ? (int)(slash - av) : 0, slash ? av : "",
			 json_str(o, "name") ? json_str(o, "name") : "");
	}
	cell_name(cells, obj);
	cell_raw(cells, ctl);
	cell_int(cells, num(obj, "revision", NULL));
	cell_age(cells, obj, now);
}

const struct table_col table_cols_job[] = {
	COL_NAME,
	COL("Status", "string", "Status of the job.", 0),
	COL("Completions", "string", "The completion status of the job.", 0),
	COL("Duration", "string", "Time required to complete the job.", 0),
	COL_AGE, WIDE_POD_COLS(SELECTOR_COL), COL_END
};

static const char *job_status(const cJSON *obj)
{
	static const char *const order[][2] = { { "Failed", "Failed" }, { "Complete", "Complete" },
						{ "Suspended", "Suspended" }, { "FailureTarget", "FailureTarget" },
						{ "SuccessCriteriaMet", "SuccessCriteriaMet" } };
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		const char *s = json_str(condition(obj, order[i][0]), "status");
		if (s && !strcmp(s, "True"))
			return order[i][1];
	}
	return "Running";
}

void table_row_job(const cJSON *obj, cJSON *cells, int64_t now)
{
	char comp[48], dur[32] = "";
	int64_t c = -1, start, end = now;
	json_int(json_obj(obj, "spec"), "completions", &c);
	if (c >= 0)
		snprintf(comp, sizeof(comp), "%lld/%lld", (long long)num(obj, "status", "succeeded"), (long long)c);
	else
		snprintf(comp, sizeof(comp), "%lld/1 of %lld", (long long)num(obj, "status", "succeeded"),
			 (long long)(num(obj, "spec", "parallelism") ? num(obj, "spec", "parallelism") : 1));
	const char *st = json_strv(obj, "status", "startTime", NULL), *ct = json_strv(obj, "status", "completionTime", NULL);
	if (st && !parse_rfc3339(st, &start)) {
		if (ct)
			parse_rfc3339(ct, &end);
		human_duration(end - start, dur, sizeof(dur));
	}
	cell_name(cells, obj);
	cell_raw(cells, job_status(obj));
	cell_raw(cells, comp);
	cell_raw(cells, dur);
	cell_age(cells, obj, now);
	cell_containers(cells, template_spec(obj));
	cell_selector(cells, json_getv(obj, "spec", "selector", NULL));
}

const struct table_col table_cols_cronjob[] = {
	COL_NAME,
	COL("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.", 0),
	COL("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.", 0),
	COL("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.", 0),
	COL("Active", "integer", "A list of pointers to currently running jobs.", 0),
	COL("Last Schedule", "string", "Information when was the last time the job was successfully scheduled.", 0),
	COL_AGE,
	COL("Containers", "string", "Names of each container in the template.", 1),
	COL("Images", "string", "Images referenced by each container in the template.", 1),
	COL("Selector", "string", "Selector of the job template", 1),
	COL_END
};

void table_row_cronjob(const cJSON *obj, cJSON *cells, int64_t now)
{
	const char *last = json_strv(obj, "status", "lastScheduleTime", NULL);
	cell_name(cells, obj);
	cell_raw(cells, json_strv(obj, "spec", "schedule", NULL));
	cell_str(cells, json_strv(obj, "spec", "timeZone", NULL));
	/* upstream's printBoolPtr: a string cell, "<unset>" when the field is absent */
	const cJSON *susp = json_getv(obj, "spec", "suspend", NULL);
	cJSON_AddItemToArray(cells, cJSON_CreateString(!cJSON_IsBool(susp) ? "<unset>" : cJSON_IsTrue(susp) ? "True" : "False"));
	cell_int(cells, cJSON_GetArraySize(json_getv(obj, "status", "active", NULL)));
	if (last)
		cell_age_of(cells, last, now);
	else
		cell_str(cells, NULL);
	cell_age(cells, obj, now);
	cell_containers(cells, json_getv(obj, "spec", "jobTemplate", "spec", "template", "spec", NULL));
	cell_selector(cells, json_getv(obj, "spec", "jobTemplate", "spec", "selector", NULL));
}

const struct table_col table_cols_lease[] = {
	COL_NAME, COL("Holder", "string", "The holder of a lease", 0), COL_AGE, COL_END
};

void table_row_lease(const cJSON *obj, cJSON *cells, int64_t now)
{
	cell_name(cells, obj);
	cell_raw(cells, json_strv(obj, "spec", "holderIdentity", NULL));
	cell_age(cells, obj, now);
}

const struct table_col table_cols_endpointslice[] = {
	COL_NAME,
	COL("AddressType", "string", "The IP protocol for this slice", 0),
	COL("Ports", "string", "The ports for this slice", 0),
	COL("Endpoints", "string", "The endpoints for this slice", 0),
	COL_AGE, COL_END
};

void table_row_endpointslice(const cJSON *obj, cJSON *cells, int64_t now)
{
	struct buf ports = BUF_INIT, eps = BUF_INIT;
	const cJSON *p, *e, *a;
	int n = 0, more = 0;
	cJSON_ArrayForEach(p, json_getv(obj, "ports", NULL))
		buf_addf(&ports, "%s%lld", ports.len ? "," : "", (long long)num(p, "port", NULL));
	cJSON_ArrayForEach(e, json_getv(obj, "endpoints", NULL))
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e, "addresses"))
		{
			if (!cJSON_IsString(a))
				continue;
			if (n++ < 3)
				buf_addf(&eps, "%s%s", eps.len ? "," : "", a->valuestring);
			else
				more++;
		}
	if (more)
		buf_addf(&eps, " + %d more...", more);
	cell_name(cells, obj);
	cell_raw(cells, json_str(obj, "addressType"));
	cell_str(cells, ports.data);
	cell_str(cells, eps.data);
	cell_age(cells, obj, now);
	buf_release(&ports);
	buf_release(&eps);
}

/* ---- autoscaling --------------------------------------------------------------------------- */

const struct table_col table_cols_hpa[] = {
	COL_NAME,
	COL("Reference", "string", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.", 0),
	COL("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).", 0),
	COL("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.", 0),
	COL("MaxPods", "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.", 0),
	COL("Replicas", "integer", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.", 0),
	COL_AGE, COL_END
};

/* One metric as upstream's formatHPAMetrics prints it: "current/target", "<unknown>" for a
 * current value not read yet; Resource metrics are prefixed with their name. */
static void hpa_metric(const cJSON *m, const cJSON *cur, struct buf *out)
{
	static const char *const srcs[][2] = { { "External", "external" }, { "Pods", "pods" }, { "Object", "object" },
					      { "Resource", "resource" }, { "ContainerResource", "containerResource" } };
	const char *type = json_str(m, "type"), *key = NULL;
	for (size_t i = 0; type && i < ARRAY_SIZE(srcs); i++)
		if (!strcmp(type, srcs[i][0]))
			key = srcs[i][1];
	if (!key) {
		buf_adds(out, "<unknown type>");
		return;
	}
	const cJSON *src = json_obj(m, key), *t = json_obj(src, "target"), *c = json_getv(cur, key, "current", NULL);
	const char *avg = json_str(t, "averageValue"), *resname = json_str(src, "name");
	int resource = !strcmp(key, "resource") || !strcmp(key, "containerResource");
	if (resource)
		buf_addf(out, "%s: ", resname ? resname : "");
	if (resource && !avg) {
		int64_t u;
		if (c && json_int(c, "averageUtilization", &u) == 0)
			buf_addf(out, "%lld%%/", (long long)u);
		else
			buf_adds(out, "<unknown>/");
		if (json_int(t, "averageUtilization", &u) == 0)
			buf_addf(out, "%lld%%", (long long)u);
		else
			buf_adds(out, "<auto>");
		return;
	}
	const char *want = avg || !strcmp(key, "pods") ? "averageValue" : "value";
	const char *have = c ? json_str(c, want) : NULL, *tv = json_str(t, want);
	buf_addf(out, "%s/%s%s", have ? have : "<unknown>", tv ? tv : "", avg && !resource && strcmp(key, "pods") ? " (avg)" : "");
}

void table_row_hpa(const cJSON *obj, cJSON *cells, int64_t now)
{
	cJSON *v2 = cJSON_Duplicate(obj, 1), *m;
	struct buf targets = BUF_INIT;
	int n = 0;
	if (!strcmp(json_str(v2, "apiVersion") ? json_str(v2, "apiVersion") : "", "autoscaling/v1"))
		hpa_v1_to_v2(v2);
	const cJSON *spec = json_obj(v2, "spec"), *ref = json_obj(spec, "scaleTargetRef");
	const cJSON *cur = json_getv(v2, "status", "currentMetrics", NULL);
	char refs[512], minp[24];
	int64_t min;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(spec, "metrics")) {
		if (n++ < 2) {
			buf_adds(&targets, n > 1 ? ", " : "");
			hpa_metric(m, cJSON_GetArrayItem(cur, n - 1), &targets);
		}
	}
	if (n > 2)
		buf_addf(&targets, " + %d more...", n - 2);
	snprintf(refs, sizeof(refs), "%s/%s", json_str(ref, "kind") ? json_str(ref, "kind") : "",
		 json_str(ref, "name") ? json_str(ref, "name") : "");
	if (json_int(spec, "minReplicas", &min) == 0)
		snprintf(minp, sizeof(minp), "%lld", (long long)min);
	else
		snprintf(minp, sizeof(minp), "<unset>");
	cell_name(cells, v2);
	cell_raw(cells, refs);
	cell_str(cells, n ? targets.data : NULL);
	cell_raw(cells, minp);
	cell_int(cells, num(v2, "spec", "maxReplicas"));
	cell_int(cells, num(v2, "status", "currentReplicas"));
	cell_age(cells, v2, now);
	buf_release(&targets);
	cJSON_Delete(v2);
}

/* ---- policy ------------------------------------------------------------------------------ */

const struct table_col table_cols_pdb[] = {
	COL_NAME,
	COL("Min Available", "string", "The minimum number of pods that must be available", 0),
	COL("Max Unavailable", "string", "The maximum number of pods that may be unavailable", 0),
	COL("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time", 0),
	COL_AGE, COL_END
};

/* An int-or-string as IntOrString.String() prints it, "N/A" when unset. */
static void cell_intstr(cJSON *cells, const cJSON *v)
{
	char n[24];
	if (cJSON_IsNumber(v)) {
		snprintf(n, sizeof(n), "%lld", (long long)v->valuedouble);
		cell_raw(cells, n);
	} else {
		cell_raw(cells, cJSON_IsString(v) ? v->valuestring : "N/A");
	}
}

void table_row_pdb(const cJSON *obj, cJSON *cells, int64_t now)
{
	cell_name(cells, obj);
	cell_intstr(cells, json_getv(obj, "spec", "minAvailable", NULL));
	cell_intstr(cells, json_getv(obj, "spec", "maxUnavailable", NULL));
	cell_int(cells, num(obj, "status", "disruptionsAllowed"));
	cell_age(cells, obj, now);
}

/* ---- documents --------------------------------------------------------------------------- */

static const struct table_col default_cols[] = {
	COL_NAME, { "Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0 },
	COL_END
};

int table_wanted(const char *accept)
{
	return accept && strstr(accept, "as=Table") && strstr(accept, "g=meta.k8s.io");
}

void table_begin(const struct kind *k, struct buf *out, const char *rv, const char *cont, int64_t remaining)
{
	const struct table_col *cols = k->cols ? k->cols : default_cols;
	buf_adds(out, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{");
	if (rv)
		buf_addf(out, "\"resourceVersion\":\"%s\"", rv);
	if (cont)
		buf_addf(out, ",\"continue\":\"%s\"", cont);
	if (cont && remaining >= 0)
		buf_addf(out, ",\"remainingItemCount\":%lld", (long long)remaining);
	buf_adds(out, "},\"columnDefinitions\":[");
	for (size_t i = 0; cols[i].name; i++) {
		buf_addf(out, "%s{\"name\":", i ? "," : "");
		buf_add_json_string(out, cols[i].name);
		buf_addf(out, ",\"type\":\"%s\",\"format\":\"%s\",\"description\":", cols[i].type, cols[i].format);
		buf_add_json_string(out, cols[i].description);
		buf_addf(out, ",\"priority\":%d}", cols[i].priority);
	}
	buf_adds(out, "],\"rows\":[");
}

/* The row's object: PartialObjectMetadata (default), the object, or nothing. */
static void row_object(const cJSON *obj, int include_object, cJSON *row)
{
	if (include_object == 0)
		return;
	if (include_object == 2) {
		json_set(row, "object", cJSON_Duplicate(obj, 1));
		return;
	}
	cJSON *pom = cJSON_CreateObject();
	json_set_str(pom, "kind", "PartialObjectMetadata");
	json_set_str(pom, "apiVersion", "meta.k8s.io/v1");
	const cJSON *meta = json_obj(obj, "metadata");
	json_set(pom, "metadata", meta ? cJSON_Duplicate(meta, 1) : cJSON_CreateObject());
	json_set(row, "object", pom);
}

void table_row(const struct kind *k, const cJSON *obj, int include_object, int first, struct buf *out)
{
	cJSON *row = cJSON_CreateObject(), *cells = cJSON_AddArrayToObject(row, "cells");
	int64_t now = wall_seconds();
	if (k->row) {
		k->row(obj, cells, now);
	} else if (k->col_paths) {
		crd_table_cells(k, obj, cells, now);
	} else {
		cell_name(cells, obj);
		cell_raw(cells, json_strv(obj, "metadata", "creationTimestamp", NULL));
	}
	row_object(obj, include_object, row);
	if (!first)
		buf_addch(out, ',');
	json_print(row, out);
	cJSON_Delete(row);
}

void table_end(struct buf *out)
{
	buf_adds(out, "]}");
}

void table_single(const struct kind *k, const cJSON *obj, int include_object, struct buf *out)
{
	table_begin(k, out, json_strv(obj, "metadata", "resourceVersion", NULL), NULL, -1);
	if (obj)
		table_row(k, obj, include_object, 1, out);
	table_end(out);
}

/* ---- rbac.authorization.k8s.io ------------------------------------------------------------ */

const struct table_col table_cols_rolebinding[] = {
	COL_NAME, COL("Role", "string", "RoleRef is the Role to bind to.", 0), COL_AGE,
	COL("Users", "string", "Users in the roleBinding", 1),
	COL("Groups", "string", "Groups in the roleBinding", 1),
	COL("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", 1), COL_END
};

/* RoleBindings and ClusterRoleBindings: the role as Kind/name, then the subjects by kind
 * (service accounts as namespace/name), as upstream's printRoleBinding. */
void table_row_rolebinding(const cJSON *obj, cJSON *cells, int64_t now)
{
	struct buf role = BUF_INIT, who[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	static const char *const kinds[] = { "User", "Group", "ServiceAccount" };
	const cJSON *s;
	buf_addf(&role, "%s/%s", json_strv(obj, "roleRef", "kind", NULL) ? json_strv(obj, "roleRef", "kind", NULL) : "",
		 json_strv(obj, "roleRef", "name", NULL) ? json_strv(obj, "roleRef", "name", NULL) : "");
	cJSON_ArrayForEach(s, json_getv(obj, "subjects", NULL))
	{
		const char *kind = json_str(s, "kind"), *name = json_str(s, "name"), *ns = json_str(s, "namespace");
		for (int i = 0; i < 3; i++) {
			if (!kind || strcmp(kind, kinds[i]))
				continue;
			buf_adds(&who[i], who[i].len ? ", " : "");
			if (i == 2)
				buf_addf(&who[i], "%s/", ns ? ns : "");
			buf_adds(&who[i], name ? name : "");
		}
	}
	cell_name(cells, obj);
	cell_raw(cells, role.data);
	cell_age(cells, obj, now);
	for (int i = 0; i < 3; i++) {
		cell_raw(cells, who[i].len ? who[i].data : "");
		buf_release(&who[i]);
	}
	buf_release(&role);
}
