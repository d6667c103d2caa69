/*
 * bundle.c - a container's OCI runtime spec (config.json, runtime-spec 1.0.2 as runc 1.1
 * reads it) from the kubelet's container config and the pod sandbox.
 *
 * DESIGN
 * The spec is what containerd's CRI plugin produces for the same container, so that workloads
 * see the same environment: the default mounts (/proc, a tmpfs /dev, /dev/pts, /dev/mqueue,
 * read-only /sys and /sys/fs/cgroup), the pod's /dev/shm, /etc/hosts, /etc/hostname and
 * /etc/resolv.conf bound from files the kubelet wrote, then the volumes ordered by depth (a
 * volume replaces a default mount with the same destination); containerd's default
 * capabilities with the securityContext's add/drop applied in containerd's order (ALL added,
 * ALL dropped, then each name); its masked and read-only paths; the seccomp profile asked
 * for. A privileged container gets every capability the agent holds, the host's devices, a
 * writable /sys and cgroup file system, and no masked paths and no seccomp.
 *
 * The network, IPC and UTS namespaces are the sandbox's, joined by path (the host's with
 * hostNetwork / hostIPC); each container has its own mount and PID namespace (the host PID
 * namespace with hostPID) and, on cgroup v2, its own cgroup namespace. cgroupsPath puts the
 * container under the pod cgroup.
 *
 * Everything here is pure: the caller resolves the user and reads the host's devices first.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

const char *cri_cap_name(unsigned bit)
{
	return bit < ARRAY_SIZE(cap_names) ? cap_names[bit] : NULL;
}

uint64_t cri_cap_parse(const char *name, uint64_t all)
{
	if (!strcasecmp(name, "ALL"))
		return all;
	const char *n = strncasecmp(name, "CAP_", 4) ? name : name + 4;
	for (unsigned i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (!strcasecmp(cap_names[i] + 4, n))
			return 1ULL << i;
	return 0;
}

uint64_t cri_cap_default(void)
{
	static const char *const names[] = {
		"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID",
		"SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
		"AUDIT_WRITE",
	};
	uint64_t caps = 0;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		caps |= cri_cap_parse(names[i], 0);
	return caps;
}

static int has_all(const char *const *list)
{
	for (size_t i = 0; list && list[i]; i++)
		if (!strcasecmp(list[i], "ALL"))
			return 1;
	return 0;
}

/* The effective capability set: containerd's order (ALL added, ALL dropped, each added name,
 * each dropped name). */
static uint64_t effective_caps(const struct cri_container_config *cfg, uint64_t all)
{
	if (cfg->privileged)
		return all;
	uint64_t caps = cri_cap_default();
	if (has_all(cfg->cap_add))
		caps = all;
	if (has_all(cfg->cap_drop))
		caps = 0;
	for (size_t i = 0; cfg->cap_add && cfg->cap_add[i]; i++)
		if (strcasecmp(cfg->cap_add[i], "ALL"))
			caps |= cri_cap_parse(cfg->cap_add[i], all);
	for (size_t i = 0; cfg->cap_drop && cfg->cap_drop[i]; i++)
		if (strcasecmp(cfg->cap_drop[i], "ALL"))
			caps &= ~cri_cap_parse(cfg->cap_drop[i], all);
	return caps;
}

static int valid_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && i > 0 && i < n - 1)))
			return 0;
	return 1;
}

/* An absolute path without "." or ".." components. */
static int clean_abs_path(const char *p)
{
	if (!p || p[0] != '/' || strlen(p) > 4096)
		return 0;
	for (const char *c = p; *c;) {
		while (*c == '/')
			c++;
		const char *e = strchrnul(c, '/');
		if ((e - c == 1 && c[0] == '.') || (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c = e;
	}
	return 1;
}

static void check_caps(const char *const *list, const char *what, struct buf *err)
{
	for (size_t i = 0; list && list[i]; i++)
		if (!cri_cap_parse(list[i], ~0ULL))
			buf_addf(err, "%sunknown capability \"%s\" in %s", err->len ? "; " : "",
				 list[i], what);
}

static void check_resources(const struct cri_resources *r, struct buf *err)
{
	const char *sep = err->len ? "; " : "";
	if (r->cpu_shares && (r->cpu_shares < 2 || r->cpu_shares > 262144))
		buf_addf(err, "%scpu shares %lld out of range 2..262144", sep,
			 (long long)r->cpu_shares);
	else if (r->cpu_quota_us && r->cpu_quota_us < 1000)
		buf_addf(err, "%scpu quota %lld us is below 1000 us", sep, (long long)r->cpu_quota_us);
	else if (r->cpu_period_us && (r->cpu_period_us < 1000 || r->cpu_period_us > 1000000))
		buf_addf(err, "%scpu period %lld us out of range 1000..1000000", sep,
			 (long long)r->cpu_period_us);
	else if (r->memory_limit < 0 || r->pids_limit < 0 || r->cpu_shares < 0 ||
		 r->cpu_quota_us < 0)
		buf_addf(err, "%snegative resource limit", sep);
}

static void check_mounts(const struct cri_container_config *cfg, struct buf *err)
{
	for (size_t i = 0; i < cfg->nmounts; i++) {
		const struct cri_mount *m = &cfg->mounts[i];
		const char *sep = err->len ? "; " : "";
		if (!clean_abs_path(m->container_path) || !strcmp(m->container_path, "/"))
			buf_addf(err, "%smount %zu: container path \"%s\" is not a clean absolute path",
				 sep, i, m->container_path ? m->container_path : "");
		else if (!clean_abs_path(m->host_path))
			buf_addf(err, "%smount %zu: host path \"%s\" is not a clean absolute path",
				 sep, i, m->host_path ? m->host_path : "");
		else if (m->propagation == CRI_PROPAGATION_BIDIRECTIONAL && !cfg->privileged)
			buf_addf(err, "%smount %s: bidirectional propagation needs a privileged container",
				 sep, m->container_path);
		else if ((unsigned)m->propagation > CRI_PROPAGATION_BIDIRECTIONAL)
			buf_addf(err, "%smount %s: unknown propagation", sep, m->container_path);
	}
}

int cri_bundle_validate(const struct cri_container_config *cfg, struct buf *err)
{
	size_t start = err->len;
	if (!valid_name(cfg->name))
		buf_addf(err, "container name \"%s\" is not a DNS label", cfg->name ? cfg->name : "");
	if (!cfg->sandbox_id || !*cfg->sandbox_id)
		buf_addf(err, "%sno sandbox id", err->len > start ? "; " : "");
	if (!clean_abs_path(cfg->rootfs))
		buf_addf(err, "%sroot filesystem \"%s\" is not a clean absolute path",
			 err->len > start ? "; " : "", cfg->rootfs ? cfg->rootfs : "");
	if (!cfg->args || !cfg->args[0] || !*cfg->args[0])
		buf_addf(err, "%sno command to run (neither the image nor the spec has one)",
			 err->len > start ? "; " : "");
	if (cfg->cwd && !clean_abs_path(cfg->cwd))
		buf_addf(err, "%sworking directory \"%s\" is not absolute",
			 err->len > start ? "; " : "", cfg->cwd);
	for (size_t i = 0; cfg->env && cfg->env[i]; i++)
		if (!strchr(cfg->env[i], '=') || cfg->env[i][0] == '=')
			buf_addf(err, "%senvironment entry \"%s\" is not NAME=value",
				 err->len > start ? "; " : "", cfg->env[i]);
	const char *files[] = { cfg->hosts_path, cfg->hostname_path, cfg->resolv_path,
				cfg->log_path };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (files[i] && !clean_abs_path(files[i]))
			buf_addf(err, "%sfile \"%s\" is not a clean absolute path",
				 err->len > start ? "; " : "", files[i]);
	if (cfg->seccomp == CRI_SECCOMP_LOCALHOST && !clean_abs_path(cfg->seccomp_profile))
		buf_addf(err, "%slocalhost seccomp profile needs an absolute path",
			 err->len > start ? "; " : "");
	if (cfg->stop_signal < 0 || cfg->stop_signal >= NSIG)
		buf_addf(err, "%sbad stop signal %d", err->len > start ? "; " : "", cfg->stop_signal);
	if (cfg->has_oom_score_adj && (cfg->oom_score_adj < -1000 || cfg->oom_score_adj > 1000))
		buf_addf(err, "%soom_score_adj %d out of range", err->len > start ? "; " : "",
			 cfg->oom_score_adj);
	check_caps(cfg->cap_add, "add", err);
	check_caps(cfg->cap_drop, "drop", err);
	check_resources(&cfg->resources, err);
	check_mounts(cfg, err);
	return err->len > start ? -KUBE_EINVAL : 0;
}

static cJSON *str_array(const char *const *v)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static cJSON *caps_array(uint64_t caps)
{
	cJSON *a = cJSON_CreateArray();
	for (unsigned i = 0; i < 64; i++)
		if ((caps >> i & 1) && cri_cap_name(i))
			cJSON_AddItemToArray(a, cJSON_CreateString(cri_cap_name(i)));
	return a;
}

static int env_has(const char *const *env, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], name, n) && env[i][n] == '=')
			return 1;
	return 0;
}

void cri_bundle_set_user(cJSON *process, const struct cri_user *u)
{
	cJSON *user = cJSON_CreateObject();
	cJSON_AddNumberToObject(user, "uid", u->uid);
	cJSON_AddNumberToObject(user, "gid", u->gid);
	if (u->ngids) {
		cJSON *g = cJSON_AddArrayToObject(user, "additionalGids");
		for (size_t i = 0; i < u->ngids; i++)
			cJSON_AddItemToArray(g, cJSON_CreateNumber(u->gids[i]));
	}
	json_set(process, "user", user);
}

static cJSON *process_json(const struct cri_container_config *cfg,
			   const struct cri_bundle_ctx *ctx)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddBoolToObject(p, "terminal", 0);
	static const struct cri_user root;
	cJSON_AddItemToObject(p, "user", cJSON_CreateObject());
	cri_bundle_set_user(p, ctx->user ? ctx->user : &root);
	json_set(p, "args", str_array(cfg->args));
	cJSON *env = str_array(cfg->env);
	if (!env_has(cfg->env, "PATH"))
		cJSON_AddItemToArray(env, cJSON_CreateString(
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
	if (!env_has(cfg->env, "HOSTNAME") && ctx->sandbox->hostname) {
		char *h = xasprintf("HOSTNAME=%s", ctx->sandbox->hostname);
		cJSON_AddItemToArray(env, cJSON_CreateString(h));
		free(h);
	}
	json_set(p, "env", env);
	cJSON_AddStringToObject(p, "cwd", cfg->cwd ? cfg->cwd : "/");
	uint64_t caps = effective_caps(cfg, ctx->caps);
	cJSON *c = cJSON_AddObjectToObject(p, "capabilities");
	json_set(c, "bounding", caps_array(caps));
	json_set(c, "effective", caps_array(caps));
	json_set(c, "permitted", caps_array(caps));
	if (cfg->no_new_privs)
		cJSON_AddBoolToObject(p, "noNewPrivileges", 1);
	if (cfg->has_oom_score_adj) {
		/* Lowering oom_score_adj needs CAP_SYS_RESOURCE (24); without it (an agent in a
		 * container) runc init fails, so a Guaranteed pod's -997 is raised to 0, as
		 * containerd's restrict_oom_score_adj does. */
		int adj = cfg->oom_score_adj;
		if (!(ctx->caps & (1ull << 24)) && adj < 0)
			adj = 0;
		cJSON_AddNumberToObject(p, "oomScoreAdj", adj);
	}
	return p;
}

static void add_mount(cJSON *mounts, const char *dst, const char *type, const char *src,
		      const char *const *opts)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "destination", dst);
	cJSON_AddStringToObject(m, "type", type);
	cJSON_AddStringToObject(m, "source", src);
	json_set(m, "options", str_array(opts));
	cJSON_AddItemToArray(mounts, m);
}

/* Whether a volume of cfg mounts on dst (it then replaces our mount there). */
static int volume_at(const struct cri_container_config *cfg, const char *dst)
{
	for (size_t i = 0; i < cfg->nmounts; i++)
		if (!strcmp(cfg->mounts[i].container_path, dst))
			return 1;
	return 0;
}

static void default_mounts(cJSON *mounts, const struct cri_container_config *cfg,
			   const struct cri_bundle_ctx *ctx)
{
	const char *ro = cfg->privileged ? "rw" : "ro";
	const struct {
		const char *dst, *type, *src;
		const char *opts[8];
	} defs[] = {
		{ "/proc", "proc", "proc", { "nosuid", "noexec", "nodev" } },
		{ "/dev", "tmpfs", "tmpfs", { "nosuid", "strictatime", "mode=755", "size=65536k" } },
		{ "/dev/pts", "devpts", "devpts",
		  { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" } },
		{ "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev" } },
		{ "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", ro } },
		{ "/sys/fs/cgroup", "cgroup", "cgroup", { "nosuid", "noexec", "nodev", "relatime", ro } },
		{ "/dev/shm", "bind", ctx->shm_path ? ctx->shm_path : "/dev/shm",
		  { "rbind", "rprivate", "nosuid", "nodev", "noexec" } },
	};
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		if (!volume_at(cfg, defs[i].dst))
			add_mount(mounts, defs[i].dst, defs[i].type, defs[i].src, defs[i].opts);
	const char *files[][2] = { { "/etc/hosts", cfg->hosts_path },
				   { "/etc/hostname", cfg->hostname_path },
				   { "/etc/resolv.conf", cfg->resolv_path } };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (!files[i][1] || volume_at(cfg, files[i][0]))
			continue;
		const char *opts[] = { "rbind", "rprivate", cfg->readonly_rootfs ? "ro" : "rw", NULL };
		add_mount(mounts, files[i][0], "bind", files[i][1], opts);
	}
}

static size_t depth(const char *p)
{
	size_t n = 0;
	for (; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			n++;
	return n;
}

/* The volumes, shallowest first (stable), and the root propagation they need. */
static const char *volume_mounts(cJSON *mounts, const struct cri_container_config *cfg)
{
	static const char *const prop[] = { "rprivate", "rslave", "rshared" };
	const char *rootprop = NULL;
	size_t maxd = 0;
	for (size_t i = 0; i < cfg->nmounts; i++)
		maxd = MAX(maxd, depth(cfg->mounts[i].container_path));
	for (size_t d = 0; d <= maxd; d++) {
		for (size_t i = 0; i < cfg->nmounts; i++) {
			const struct cri_mount *m = &cfg->mounts[i];
			if (depth(m->container_path) != d)
				continue;
			const char *opts[] = { "rbind", prop[m->propagation], m->readonly ? "ro" : "rw",
					       NULL };
			add_mount(mounts, m->container_path, "bind", m->host_path, opts);
			if (m->propagation == CRI_PROPAGATION_BIDIRECTIONAL)
				rootprop = "rshared";
			else if (m->propagation == CRI_PROPAGATION_HOST_TO_CONTAINER && !rootprop)
				rootprop = "rslave";
		}
	}
	return rootprop;
}

static void add_ns(cJSON *nss, const char *type, const char *path)
{
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "type", type);
	if (path)
		cJSON_AddStringToObject(n, "path", path);
	cJSON_AddItemToArray(nss, n);
}

static cJSON *namespaces_json(const struct cri_bundle_ctx *ctx)
{
	cJSON *nss = cJSON_CreateArray();
	unsigned f = ctx->sandbox->flags;
	if (!(f & CRI_HOST_PID))
		add_ns(nss, "pid", NULL);
	if (!(f & CRI_HOST_IPC))
		add_ns(nss, "ipc", ctx->ipc_path);
	if (!(f & CRI_HOST_NETWORK)) {
		add_ns(nss, "uts", ctx->uts_path);
		add_ns(nss, "network", ctx->sandbox->netns_path);
	}
	add_ns(nss, "mount", NULL);
	if (ctx->cgroup_mode == CRI_CGROUP_V2)
		add_ns(nss, "cgroup", NULL);
	return nss;
}

static cJSON *resources_json(const struct cri_container_config *cfg)
{
	const struct cri_resources *r = &cfg->resources;
	cJSON *res = cJSON_CreateObject();
	cJSON *devs = cJSON_AddArrayToObject(res, "devices");
	cJSON *d = cJSON_CreateObject();
	cJSON_AddBoolToObject(d, "allow", cfg->privileged);
	cJSON_AddStringToObject(d, "access", "rwm");
	cJSON_AddItemToArray(devs, d);
	if (r->cpu_shares || r->cpu_quota_us) {
		cJSON *cpu = cJSON_AddObjectToObject(res, "cpu");
		if (r->cpu_shares)
			cJSON_AddNumberToObject(cpu, "shares", (double)r->cpu_shares);
		if (r->cpu_quota_us) {
			cJSON_AddNumberToObject(cpu, "quota", (double)r->cpu_quota_us);
			cJSON_AddNumberToObject(cpu, "period",
						(double)(r->cpu_period_us ? r->cpu_period_us : 100000));
		}
	}
	if (r->memory_limit)
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(res, "memory"), "limit",
					(double)r->memory_limit);
	if (r->pids_limit)
		cJSON_AddNumberToObject(cJSON_AddObjectToObject(res, "pids"), "limit",
					(double)r->pids_limit);
	return res;
}

cJSON *cri_bundle_devices(const struct cri_device *devices, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		const struct cri_device *d = &devices[i];
		cJSON *o = cJSON_CreateObject();
		char t[2] = { d->type, 0 };
		cJSON_AddStringToObject(o, "path", d->path);
		cJSON_AddStringToObject(o, "type", t);
		cJSON_AddNumberToObject(o, "major", (double)d->major);
		cJSON_AddNumberToObject(o, "minor", (double)d->minor);
		cJSON_AddNumberToObject(o, "fileMode", d->mode);
		cJSON_AddNumberToObject(o, "uid", d->uid);
		cJSON_AddNumberToObject(o, "gid", d->gid);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* A localhost profile in Docker's or the OCI format, as linux.seccomp. */
cJSON *cri_bundle_seccomp_localhost(const cJSON *prof, struct buf *err)
{
	if (!cJSON_IsObject(prof) || !json_str(prof, "defaultAction")) {
		buf_adds(err, "the localhost seccomp profile has no defaultAction");
		return NULL;
	}
	cJSON *out = cJSON_CreateObject();
	static const char *const keys[] = { "defaultAction", "defaultErrnoRet", "architectures",
					    "flags", "syscalls" };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(prof, keys[i]);
		if (v)
			json_set(out, keys[i], cJSON_Duplicate(v, 1));
	}
	const cJSON *archmap = cJSON_GetObjectItemCaseSensitive(prof, "archMap"), *e;
	if (cJSON_IsArray(archmap) && !cJSON_GetObjectItemCaseSensitive(out, "architectures")) {
		cJSON *arches = cJSON_AddArrayToObject(out, "architectures");
		cJSON_ArrayForEach(e, archmap) {
			const char *a = json_str(e, "architecture");
			if (a)
				cJSON_AddItemToArray(arches, cJSON_CreateString(a));
		}
	}
	cJSON *calls = cJSON_GetObjectItemCaseSensitive(out, "syscalls"), *c;
	cJSON_ArrayForEach(c, calls) {
		const char *name = json_str(c, "name");
		if (name && !cJSON_GetObjectItemCaseSensitive(c, "names")) {
			cJSON *names = cJSON_CreateArray();
			cJSON_AddItemToArray(names, cJSON_CreateString(name));
			json_set(c, "names", names);
		}
		json_del(c, "name");
	}
	return out;
}

static const char *const masked_paths[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	"/sys/firmware", "/sys/devices/virtual/powercap", NULL,
};
static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static int linux_security(cJSON *lx, const struct cri_container_config *cfg,
			  const struct cri_bundle_ctx *ctx, struct buf *err)
{
	if (cfg->privileged) {
		json_set(lx, "devices", cri_bundle_devices(ctx->devices, ctx->ndevices));
		return 0;
	}
	json_set(lx, "maskedPaths", str_array(masked_paths));
	json_set(lx, "readonlyPaths", str_array(readonly_paths));
	cJSON *sc = NULL;
	if (cfg->seccomp == CRI_SECCOMP_RUNTIME_DEFAULT)
		sc = cri_seccomp_default(effective_caps(cfg, ctx->caps), ctx->arch);
	else if (cfg->seccomp == CRI_SECCOMP_LOCALHOST && ctx->seccomp_localhost &&
		 !(sc = cri_bundle_seccomp_localhost(ctx->seccomp_localhost, err)))
		return -KUBE_EINVAL;
	if (sc)
		json_set(lx, "seccomp", sc);
	return 0;
}

cJSON *cri_bundle_spec(const struct cri_container_config *cfg, const struct cri_bundle_ctx *ctx,
		       struct buf *err)
{
	cJSON *spec = cJSON_CreateObject();
	cJSON_AddStringToObject(spec, "ociVersion", "1.0.2");
	json_set(spec, "process", process_json(cfg, ctx));
	cJSON *root = cJSON_AddObjectToObject(spec, "root");
	cJSON_AddStringToObject(root, "path", cfg->rootfs);
	cJSON_AddBoolToObject(root, "readonly", cfg->readonly_rootfs);
	if (!(ctx->sandbox->flags & CRI_HOST_NETWORK) && ctx->sandbox->hostname)
		cJSON_AddStringToObject(spec, "hostname", ctx->sandbox->hostname);
	cJSON *mounts = cJSON_AddArrayToObject(spec, "mounts");
	default_mounts(mounts, cfg, ctx);
	const char *rootprop = volume_mounts(mounts, cfg);
	cJSON *ann = cJSON_AddObjectToObject(spec, "annotations");
	cJSON_AddStringToObject(ann, "io.kubernetes.cri.container-type", "container");
	cJSON_AddStringToObject(ann, "io.kubernetes.cri.container-name", cfg->name);
	cJSON_AddStringToObject(ann, "io.kubernetes.cri.sandbox-id", ctx->sandbox->id);
	cJSON *lx = cJSON_AddObjectToObject(spec, "linux");
	json_set(lx, "resources", resources_json(cfg));
	cJSON_AddStringToObject(lx, "cgroupsPath", ctx->cgroups_path);
	json_set(lx, "namespaces", namespaces_json(ctx));
	if (rootprop)
		cJSON_AddStringToObject(lx, "rootfsPropagation", rootprop);
	if (linux_security(lx, cfg, ctx, err) < 0) {
		cJSON_Delete(spec);
		return NULL;
	}
	return spec;
}
