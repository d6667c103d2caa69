/*
 * node.c - the Node object of this agent: registration, and its status kept up to date.
 *
 * DESIGN
 * The machine is sampled on the thread pool (file reads and statvfs are blocking): cpu count,
 * /proc/meminfo, the data dir's filesystem, uname, /etc/os-release, machine-id, boot id,
 * product_uuid. The runtime's version comes from `runc --version`, spawned (never waited for on
 * the loop).
 * Registration as upstream's kubelet (tryRegisterWithAPIServer): create the Node with its
 * labels (kubernetes.io/hostname, os, arch and their beta forms; node-role.kubernetes.io/
 * control-plane and master on a server's node; --node-label) and taints (--node-taint); if it
 * exists already, adopt it: its default and --node-label labels are patched in (as k3s does),
 * taints are left as they are. Then the status is written with a merge patch of the status
 * subresource: capacity (cpu, memory, pods, ephemeral-storage, hugepages), allocatable (capacity
 * minus upstream's default hard eviction thresholds: memory 100Mi, ephemeral-storage 10%),
 * conditions with upstream's reasons and messages, addresses, daemonEndpoints and nodeInfo.
 * Every 10 s the machine is sampled again; the status is written when anything but heartbeat
 * times changed, and at least every 5 minutes (upstream's nodeStatusReportFrequency with the
 * Lease as heartbeat). lastTransitionTime changes only when a condition's status does.
 */
#include "agent/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/version.h"

#define SAMPLE_MS 10000
#define REPORT_MS (5 * 60 * 1000)
#define EVICTION_MEMORY (100LL << 20)   /* memory.available<100Mi */
#define RETRY_MS 5000
#define CONFLICT_RETRY_MS 200

/* What the machine looks like now (filled on the thread pool). */
struct node_sample {
	long cpus;
	int64_t mem_total, mem_avail;   /* bytes */
	int64_t fs_total, fs_avail;     /* bytes of the data dir's filesystem */
	char kernel[128], arch[80], os_image[512];
	char machine_id[64], boot_id[64], system_uuid[64];
};

struct agent_node {
	struct agent *a;
	void (*ready)(struct agent *a);
	uv_timer_t timer;
	uv_work_t work;
	struct node_sample s;
	int working, writing, registered, stopped, ready_sent;
	cJSON *last;              /* the status last written, without any times */
	cJSON *conds;             /* its conditions with their transition times */
	uint64_t last_write_ns;
	/* runc --version */
	uv_process_t proc;
	uv_pipe_t out;
	struct buf version_out;
	char chunk[512];
	int proc_running, proc_exited, out_eof;
	int64_t exit_status;
};

/* ---- sampling (thread pool) ------------------------------------------------------------- */

static void read_first_line(const char *path, char *out, size_t len)
{
	char *data = NULL;
	out[0] = '\0';
	if (read_file(path, &data, NULL) < 0)
		return;
	data[strcspn(data, "\r\n")] = '\0';
	snprintf(out, len, "%s", data);
	free(data);
}

static void read_meminfo(struct node_sample *s)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long long v;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %lld kB", &v) == 1)
			s->mem_total = v * 1024;
		else if (sscanf(line, "MemAvailable: %lld kB", &v) == 1)
			s->mem_avail = v * 1024;
	}
	fclose(f);
}

/* PRETTY_NAME from /etc/os-release, unquoted. */
static void read_os_image(char *out, size_t len)
{
	FILE *f = fopen("/etc/os-release", "r");
	char line[512];
	snprintf(out, len, "Linux");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!starts_with(line, "PRETTY_NAME="))
			continue;
		char *v = line + 12;
		v[strcspn(v, "\r\n")] = '\0';
		size_t n = strlen(v);
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v[n - 1] = '\0';
			v++;
		}
		snprintf(out, len, "%s", v);
	}
	fclose(f);
}

/* The architecture in Go's naming (GOARCH), as upstream reports it. */
static const char *go_arch(const char *machine)
{
	static const char *const map[][2] = { { "x86_64", "amd64" }, { "aarch64", "arm64" }, { "armv7l", "arm" },
					      { "armv6l", "arm" },   { "i686", "386" },     { "i386", "386" },
					      { "ppc64le", "ppc64le" }, { "s390x", "s390x" }, { "riscv64", "riscv64" } };
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (!strcmp(machine, map[i][0]))
			return map[i][1];
	return machine;
}

static void sample_work(uv_work_t *w)
{
	struct agent_node *n = w->data;
	struct node_sample *s = &n->s;
	struct utsname u;
	struct statvfs fs;
	memset(s, 0, sizeof(*s));
	s->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	read_meminfo(s);
	if (statvfs(n->a->cfg->data_dir, &fs) == 0) {
		s->fs_total = (int64_t)fs.f_blocks * (int64_t)fs.f_frsize;
		s->fs_avail = (int64_t)fs.f_bavail * (int64_t)fs.f_frsize;
	}
	if (uname(&u) == 0) {
		snprintf(s->kernel, sizeof(s->kernel), "%s", u.release);
		snprintf(s->arch, sizeof(s->arch), "%s", go_arch(u.machine));
	}
	read_os_image(s->os_image, sizeof(s->os_image));
	read_first_line("/etc/machine-id", s->machine_id, sizeof(s->machine_id));
	read_first_line("/proc/sys/kernel/random/boot_id", s->boot_id, sizeof(s->boot_id));
	read_first_line("/sys/class/dmi/id/product_uuid", s->system_uuid, sizeof(s->system_uuid));
	if (!s->system_uuid[0])
		snprintf(s->system_uuid, sizeof(s->system_uuid), "%s", s->machine_id);
}

/* ---- the runtime's version -------------------------------------------------------------- */

static void out_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
	struct agent_node *n = h->data;
	UNUSED(hint);
	*b = uv_buf_init(n->chunk, sizeof(n->chunk));
}

static void proc_closed(uv_handle_t *h)
{
	struct agent_node *n = h->data;
	n->proc_running = 0;
}

/* Both the exit and the end of the output are in: what did runc say? */
static void runc_answered(struct agent_node *n)
{
	struct agent *a = n->a;
	const char *v = strstr(buf_str(&n->version_out), "runc version ");
	int64_t status = n->exit_status;
	free(a->runtime_version);
	free(a->runtime_error);
	a->runtime_version = a->runtime_error = NULL;
	if (status == 0 && v) {
		v += strlen("runc version ");
		a->runtime_version = xasprintf("runc://%.*s", (int)strcspn(v, " \r\n"), v);
	} else {
		a->runtime_error = xstrdup("container runtime is down: runc --version failed");
		log_error("agent: runc --version failed (exit %lld)", (long long)status);
	}
	if (!n->stopped && n->registered)
		node_status_now(a);
}

static void out_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *b)
{
	struct agent_node *n = s->data;
	if (nread > 0 && n->version_out.len < 4096) {
		buf_add(&n->version_out, b->base, (size_t)nread);
	} else if (nread < 0) {
		uv_close((uv_handle_t *)s, NULL);
		n->out_eof = 1;
		if (n->proc_exited)
			runc_answered(n);
	}
}

static void proc_exit(uv_process_t *p, int64_t status, int sig)
{
	struct agent_node *n = p->data;
	n->exit_status = sig ? 128 + sig : status;
	n->proc_exited = 1;
	uv_close((uv_handle_t *)p, proc_closed);
	if (n->out_eof)
		runc_answered(n);
}

static void spawn_runc(struct agent_node *n)
{
	char *args[] = { "runc", "--version", NULL };
	uv_stdio_container_t io[3] = { { .flags = UV_IGNORE }, { .flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE },
				       { .flags = UV_IGNORE } };
	uv_process_options_t po = { .exit_cb = proc_exit, .file = "runc", .args = args, .stdio = io, .stdio_count = 3 };
	uv_pipe_init(n->a->loop, &n->out, 0);
	n->out.data = n;
	io[1].data.stream = (uv_stream_t *)&n->out;
	n->proc.data = n;
	int r = uv_spawn(n->a->loop, &n->proc, &po);
	if (r < 0) {
		n->a->runtime_error = xasprintf("container runtime is down: cannot run runc: %s", uv_strerror(r));
		log_error("agent: %s", n->a->runtime_error);
		uv_close((uv_handle_t *)&n->out, NULL);
		uv_close((uv_handle_t *)&n->proc, NULL);
		return;
	}
	n->proc_running = 1;
	uv_read_start((uv_stream_t *)&n->out, out_alloc, out_read);
}

/* ---- the Node object -------------------------------------------------------------------- */

static void set_label(cJSON *labels, const char *k, const char *v)
{
	json_set_str(labels, k, v);
}

static cJSON *node_labels(const struct agent *a, const struct node_sample *s)
{
	const struct agent_config *cfg = a->cfg;
	cJSON *l = cJSON_CreateObject();
	set_label(l, "kubernetes.io/hostname", cfg->node_name);
	set_label(l, "kubernetes.io/os", "linux");
	set_label(l, "kubernetes.io/arch", s->arch);
	set_label(l, "beta.kubernetes.io/os", "linux");
	set_label(l, "beta.kubernetes.io/arch", s->arch);
	if (cfg->control_plane) {
		set_label(l, "node-role.kubernetes.io/control-plane", "true");
		set_label(l, "node-role.kubernetes.io/master", "true");
	}
	for (size_t i = 0; i < cfg->nlabels; i++)
		set_label(l, cfg->label_keys[i], cfg->label_values[i]);
	return l;
}

static cJSON *node_object(const struct agent *a, const struct node_sample *s)
{
	const struct agent_config *cfg = a->cfg;
	cJSON *node = cJSON_CreateObject(), *meta = json_obj_force(node, "metadata"), *spec = json_obj_force(node, "spec");
	cJSON *ann = json_obj_force(meta, "annotations");
	json_set_str(node, "apiVersion", "v1");
	json_set_str(node, "kind", "Node");
	json_set_str(meta, "name", cfg->node_name);
	json_set(meta, "labels", node_labels(a, s));
	json_set_str(ann, "node.alpha.kubernetes.io/ttl", "0");
	json_set_str(ann, "volumes.kubernetes.io/controller-managed-attach-detach", "true");
	if (cfg->ntaints) {
		cJSON *taints = cJSON_CreateArray();
		for (size_t i = 0; i < cfg->ntaints; i++) {
			cJSON *t = cJSON_CreateObject();
			json_set_str(t, "key", cfg->taints[i].key);
			if (*cfg->taints[i].value)
				json_set_str(t, "value", cfg->taints[i].value);
			json_set_str(t, "effect", cfg->taints[i].effect);
			cJSON_AddItemToArray(taints, t);
		}
		json_set(spec, "taints", taints);
	}
	return node;
}

/* A quantity of bytes as upstream prints a BinarySI value: "<n>Ki" when a multiple of 1024. */
static void set_bytes(cJSON *o, const char *k, int64_t v)
{
	char q[48];
	if (v > 0 && v % 1024 == 0)
		snprintf(q, sizeof(q), "%lldKi", (long long)(v / 1024));
	else
		snprintf(q, sizeof(q), "%lld", (long long)(v > 0 ? v : 0));
	json_set_str(o, k, q);
}

static cJSON *resources(const struct agent *a, const struct node_sample *s, int allocatable)
{
	cJSON *r = cJSON_CreateObject();
	char v[32];
	snprintf(v, sizeof(v), "%ld", s->cpus > 0 ? s->cpus : 1);
	json_set_str(r, "cpu", v);
	int64_t fs = s->fs_total;
	set_bytes(r, "ephemeral-storage", allocatable ? fs - fs / 10 : fs);
	json_set_str(r, "hugepages-1Gi", "0");
	json_set_str(r, "hugepages-2Mi", "0");
	set_bytes(r, "memory", allocatable ? s->mem_total - EVICTION_MEMORY : s->mem_total);
	snprintf(v, sizeof(v), "%d", a->cfg->max_pods);
	json_set_str(r, "pods", v);
	return r;
}

static cJSON *condition(const char *type, int status, const char *reason, const char *message)
{
	cJSON *c = cJSON_CreateObject();
	json_set_str(c, "type", type);
	json_set_str(c, "status", status ? "True" : "False");
	json_set_str(c, "reason", reason);
	json_set_str(c, "message", message);
	return c;
}

static cJSON *conditions(struct agent *a, const struct node_sample *s)
{
	cJSON *cs = cJSON_CreateArray();
	struct buf why = BUF_INIT;
	int mem = s->mem_total && s->mem_avail < EVICTION_MEMORY;
	int disk = s->fs_total && s->fs_avail < s->fs_total / 10;
	cJSON_AddItemToArray(cs, condition("MemoryPressure", mem, mem ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
					   mem ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available"));
	cJSON_AddItemToArray(cs, condition("DiskPressure", disk, disk ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
					   disk ? "kubelet has disk pressure" : "kubelet has no disk pressure"));
	cJSON_AddItemToArray(cs, condition("PIDPressure", 0, "KubeletHasSufficientPID", "kubelet has sufficient PID available"));
	int ready = a->runtime_version && !a->runtime_error;
	if (!a->runtime_version && !a->runtime_error)
		buf_adds(&why, "container runtime status check may not have completed yet");
	else if (a->runtime_error)
		buf_adds(&why, a->runtime_error);
	if (ready && kubelet_runtime_ready && !kubelet_runtime_ready(a, &why))
		ready = 0;
	cJSON_AddItemToArray(cs, condition("Ready", ready, ready ? "KubeletReady" : "KubeletNotReady",
					   ready ? "kubelet is posting ready status" : buf_str(&why)));
	buf_release(&why);
	return cs;
}

static cJSON *node_info(const struct agent *a, const struct node_sample *s)
{
	cJSON *i = cJSON_CreateObject();
	json_set_str(i, "architecture", s->arch);
	json_set_str(i, "bootID", s->boot_id);
	json_set_str(i, "containerRuntimeVersion", a->runtime_version ? a->runtime_version : "runc://unknown");
	json_set_str(i, "kernelVersion", s->kernel);
	json_set_str(i, "kubeProxyVersion", AGENT_KUBELET_VERSION);
	json_set_str(i, "kubeletVersion", AGENT_KUBELET_VERSION);
	json_set_str(i, "machineID", s->machine_id);
	json_set_str(i, "operatingSystem", "linux");
	json_set_str(i, "osImage", s->os_image);
	json_set_str(i, "systemUUID", s->system_uuid);
	return i;
}

/* The status as it would be written now, without heartbeat or transition times. */
static cJSON *node_status(struct agent *a, const struct node_sample *s)
{
	const struct agent_config *cfg = a->cfg;
	cJSON *st = cJSON_CreateObject(), *addrs = cJSON_CreateArray();
	json_set(st, "capacity", resources(a, s, 0));
	json_set(st, "allocatable", resources(a, s, 1));
	json_set(st, "conditions", conditions(a, s));
	for (size_t i = 0; i < cfg->n_node_ips; i++) {
		cJSON *ad = cJSON_CreateObject();
		json_set_str(ad, "type", "InternalIP");
		json_set_str(ad, "address", cfg->node_ips[i]);
		cJSON_AddItemToArray(addrs, ad);
	}
	cJSON *h = cJSON_CreateObject();
	json_set_str(h, "type", "Hostname");
	json_set_str(h, "address", cfg->hostname);
	cJSON_AddItemToArray(addrs, h);
	json_set(st, "addresses", addrs);
	json_set_int(json_obj_force(json_obj_force(st, "daemonEndpoints"), "kubeletEndpoint"), "Port", cfg->kubelet_port);
	json_set(st, "nodeInfo", node_info(a, s));
	return st;
}

/* ---- writing ---------------------------------------------------------------------------- */

static void schedule(struct agent_node *n, uint64_t ms);

/* Takes spec.podCIDR and the uid from a Node the server returned. */
static void take_node(struct agent *a, const cJSON *node)
{
	const char *uid = json_strv(node, "metadata", "uid", NULL), *cidr = json_strv(node, "spec", "podCIDR", NULL);
	if (uid && (!a->node_uid || strcmp(uid, a->node_uid))) {
		free(a->node_uid);
		a->node_uid = xstrdup(uid);
	}
	if (cidr && (!a->pod_cidr || strcmp(cidr, a->pod_cidr))) {
		free(a->pod_cidr);
		a->pod_cidr = xstrdup(cidr);
		log_info("agent: node %s has podCIDR %s", a->cfg->node_name, cidr);
	}
}

/* The previous transition time of condition type in the last status written, or NULL. */
static const char *old_transition(const cJSON *last_conds, const char *type, const char *status)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, last_conds)
	{
		const char *t = json_str(c, "type"), *s = json_str(c, "status");
		if (t && !strcmp(t, type) && s && !strcmp(s, status))
			return json_str(c, "lastTransitionTime");
	}
	return NULL;
}

static void status_written(const struct rest_result *res, void *data)
{
	struct agent_node *n = data;
	n->writing = 0;
	if (n->stopped || res->err == -ECANCELED)
		return;
	if (res->err || res->code != 200) {
		if (res->code != 409)
			log_warn("agent: cannot update the status of node %s (%d): %s", n->a->cfg->node_name, res->code,
				 res->message);
		cJSON_Delete(n->last);
		n->last = NULL; /* write again next time */
		schedule(n, res->code == 409 ? CONFLICT_RETRY_MS : RETRY_MS);
		return;
	}
	take_node(n->a, res->obj);
	n->last_write_ns = now_ns();
	if (!n->ready_sent) {
		n->ready_sent = 1;
		n->ready(n->a);
	}
	schedule(n, SAMPLE_MS);
}

/* Writes the status if it changed (or the report period passed); else waits for the next
 * sample. */
static void write_status(struct agent_node *n)
{
	struct agent *a = n->a;
	char ts[21];
	cJSON *st = node_status(a, &n->s);
	int changed = !n->last || !cJSON_Compare(st, n->last, 1);
	if (!changed && now_ns() - n->last_write_ns < (uint64_t)REPORT_MS * 1000000) {
		cJSON_Delete(st);
		schedule(n, SAMPLE_MS);
		return;
	}
	format_rfc3339(wall_seconds(), ts);
	cJSON *patch = cJSON_CreateObject(), *out = cJSON_Duplicate(st, 1), *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(out, "conditions"))
	{
		const char *prev = old_transition(n->conds, json_str(c, "type"), json_str(c, "status"));
		json_set_str(c, "lastHeartbeatTime", ts);
		json_set_str(c, "lastTransitionTime", prev ? prev : ts);
	}
	cJSON_Delete(n->last);
	cJSON_Delete(n->conds);
	n->last = st;
	n->conds = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(out, "conditions"), 1);
	json_set(patch, "status", out);
	char *path = xasprintf("/api/v1/nodes/%s/status", a->cfg->node_name);
	n->writing = 1;
	if (rest_patch(a->api, path, REST_PATCH_MERGE, patch, status_written, n) < 0) {
		n->writing = 0;
		schedule(n, RETRY_MS);
	}
	free(path);
	cJSON_Delete(patch);
}

static void sampled(uv_work_t *w, int status);

static void on_timer(uv_timer_t *t)
{
	struct agent_node *n = t->data;
	if (n->stopped || n->working || n->writing)
		return;
	n->working = 1;
	n->work.data = n;
	uv_queue_work(n->a->loop, &n->work, sample_work, sampled);
}

static void schedule(struct agent_node *n, uint64_t ms)
{
	if (!n->stopped)
		uv_timer_start(&n->timer, on_timer, ms, 0);
}

/* ---- registration ----------------------------------------------------------------------- */

static void adopted(const struct rest_result *res, void *data)
{
	struct agent_node *n = data;
	n->writing = 0;
	if (n->stopped || res->err == -ECANCELED)
		return;
	if (res->err || res->code != 200) {
		log_warn("agent: cannot update the labels of node %s (%d): %s", n->a->cfg->node_name, res->code,
			 res->message);
		schedule(n, RETRY_MS);
		return;
	}
	take_node(n->a, res->obj);
	n->registered = 1;
	log_info("agent: registered node %s (existing)", n->a->cfg->node_name);
	write_status(n);
}

static void adopt(struct agent_node *n)
{
	cJSON *patch = cJSON_CreateObject();
	json_set(json_obj_force(patch, "metadata"), "labels", node_labels(n->a, &n->s));
	char *path = xasprintf("/api/v1/nodes/%s", n->a->cfg->node_name);
	n->writing = 1;
	if (rest_patch(n->a->api, path, REST_PATCH_MERGE, patch, adopted, n) < 0) {
		n->writing = 0;
		schedule(n, RETRY_MS);
	}
	free(path);
	cJSON_Delete(patch);
}

static void created(const struct rest_result *res, void *data)
{
	struct agent_node *n = data;
	n->writing = 0;
	if (n->stopped || res->err == -ECANCELED)
		return;
	if (!res->err && res->code == 409) {
		adopt(n);
		return;
	}
	if (res->err || res->code != 201) {
		log_warn("agent: cannot register node %s (%d): %s", n->a->cfg->node_name, res->code, res->message);
		schedule(n, RETRY_MS);
		return;
	}
	take_node(n->a, res->obj);
	n->registered = 1;
	log_info("agent: registered node %s", n->a->cfg->node_name);
	write_status(n);
}

static void register_node(struct agent_node *n)
{
	cJSON *node = node_object(n->a, &n->s);
	n->writing = 1;
	if (rest_create(n->a->api, "/api/v1/nodes", node, created, n) < 0) {
		n->writing = 0;
		schedule(n, RETRY_MS);
	}
	cJSON_Delete(node);
}

static void sampled(uv_work_t *w, int status)
{
	struct agent_node *n = w->data;
	UNUSED(status);
	n->working = 0;
	if (n->stopped)
		return;
	if (!n->registered)
		register_node(n);
	else
		write_status(n);
}

void node_start(struct agent *a, void (*ready)(struct agent *a))
{
	struct agent_node *n = xcalloc(1, sizeof(*n));
	n->a = a;
	n->ready = ready;
	buf_init(&n->version_out);
	uv_timer_init(a->loop, &n->timer);
	n->timer.data = n;
	a->node = n;
	spawn_runc(n);
	schedule(n, 0);
}

void node_status_now(struct agent *a)
{
	struct agent_node *n = a->node;
	if (n && n->registered && !n->stopped && !n->working && !n->writing)
		schedule(n, 0);
}

void node_stop(struct agent *a)
{
	struct agent_node *n = a->node;
	if (!n || n->stopped)
		return;
	n->stopped = 1;
	uv_close((uv_handle_t *)&n->timer, NULL);
	if (n->proc_running)
		uv_process_kill(&n->proc, SIGKILL);
}

void node_free(struct agent *a)
{
	struct agent_node *n = a->node;
	if (!n)
		return;
	cJSON_Delete(n->last);
	cJSON_Delete(n->conds);
	buf_release(&n->version_out);
	free(n);
	a->node = NULL;
}
