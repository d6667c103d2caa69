/*
 * test-runtime.c - unit tests of the runtime's pure parts: the OCI spec (namespaces,
 * capabilities, mounts, resources, security for cgroup v1 and v2), the user lookup, the CRI log
 * format and rotation, the cgroup layout detection and runc's messages.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/util.h"
#include "test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* -- spec -- */

static const char *const test_args[] = { "sh", "-c", "echo hi", NULL };

static struct cri_sandbox test_sandbox = {
	.id = "sb1", .pod_uid = "uid-1", .hostname = "web-0", .flags = 0,
	.netns_path = "/run/netns/kube-uid1", .cgroup_parent = "/kube/poduid-1",
};

static struct cri_container_config base_cfg(void)
{
	return (struct cri_container_config){ .sandbox_id = "sb1", .name = "app",
					      .rootfs = "/var/lib/x/rootfs", .args = test_args,
					      .uid = -1, .gid = -1 };
}

static struct cri_bundle_ctx base_ctx(enum cri_cgroup_mode mode)
{
	return (struct cri_bundle_ctx){ .cgroup_mode = mode, .caps = (1ULL << 41) - 1,
					.arch = "amd64", .sandbox = &test_sandbox,
					.ipc_path = "/run/kube/sandboxes/sb1/ipc",
					.uts_path = "/run/kube/sandboxes/sb1/uts",
					.shm_path = "/run/kube/sandboxes/sb1/shm",
					.cgroups_path = "/kube/poduid-1/c1" };
}

/* The namespace types of a spec, joined: "pid,ipc=path,...". */
static void ns_string(const cJSON *spec, struct buf *b)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, json_getv(spec, "linux", "namespaces", NULL)) {
		if (b->len)
			buf_addch(b, ',');
		buf_adds(b, json_str(n, "type"));
		if (json_str(n, "path"))
			buf_addf(b, "=%s", json_str(n, "path"));
	}
}

static int has_string(const cJSON *a, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, a)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

static const cJSON *find_mount(const cJSON *spec, const char *dst)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, json_getv(spec, "mounts", NULL))
		if (!strcmp(json_str(m, "destination"), dst))
			return m;
	return NULL;
}

TEST_IMPL(runtime_spec_namespaces)
{
	struct cri_container_config cfg = base_cfg();
	struct cri_bundle_ctx ctx = base_ctx(CRI_CGROUP_HYBRID);
	struct buf err = BUF_INIT, ns = BUF_INIT;
	cJSON *spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(spec);
	ns_string(spec, &ns);
	ASSERT_STR(buf_str(&ns), "pid,ipc=/run/kube/sandboxes/sb1/ipc,uts=/run/kube/sandboxes/sb1/uts,"
				 "network=/run/netns/kube-uid1,mount");
	ASSERT_STR(json_str(spec, "ociVersion"), "1.0.2");
	ASSERT_STR(json_str(spec, "hostname"), "web-0");
	ASSERT_STR(json_strv(spec, "linux", "cgroupsPath", NULL), "/kube/poduid-1/c1");
	cJSON_Delete(spec);
	/* v2: a cgroup namespace too; host network and IPC: no paths for those. */
	test_sandbox.flags = CRI_HOST_NETWORK | CRI_HOST_IPC;
	ctx = base_ctx(CRI_CGROUP_V2);
	ctx.shm_path = NULL;
	spec = cri_bundle_spec(&cfg, &ctx, &err);
	test_sandbox.flags = 0;
	buf_reset(&ns);
	ns_string(spec, &ns);
	ASSERT_STR(buf_str(&ns), "pid,mount,cgroup");
	ASSERT(!json_str(spec, "hostname"));
	ASSERT_STR(json_str(find_mount(spec, "/dev/shm"), "source"), "/dev/shm");
	cJSON_Delete(spec);
	buf_release(&ns);
	buf_release(&err);
	return 0;
}

TEST_IMPL(runtime_spec_process_and_caps)
{
	static const char *const env[] = { "A=1", NULL };
	static const char *const add[] = { "NET_ADMIN", "CAP_SYS_TIME", NULL };
	static const char *const drop[] = { "chown", NULL };
	struct cri_container_config cfg = base_cfg();
	cfg.env = env;
	cfg.cap_add = add;
	cfg.cap_drop = drop;
	cfg.no_new_privs = 1;
	cfg.cwd = "/work";
	struct cri_bundle_ctx ctx = base_ctx(CRI_CGROUP_V1);
	uint32_t gids[] = { 10, 20 };
	struct cri_user u = { .uid = 1000, .gid = 100, .gids = gids, .ngids = 2 };
	ctx.user = &u;
	struct buf err = BUF_INIT;
	cJSON *spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(spec);
	const cJSON *p = json_obj(spec, "process");
	ASSERT(has_string(json_getv(p, "env", NULL), "A=1"));
	ASSERT(has_string(json_getv(p, "env", NULL), "HOSTNAME=web-0"));
	ASSERT(has_string(json_getv(p, "env", NULL),
			  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
	ASSERT_STR(json_str(p, "cwd"), "/work");
	int64_t v;
	ASSERT(json_int(json_obj(p, "user"), "uid", &v) == 0 && v == 1000);
	ASSERT_EQ(cJSON_GetArraySize(json_getv(p, "user", "additionalGids", NULL)), 2);
	ASSERT(cJSON_IsTrue(json_getv(p, "noNewPrivileges", NULL)));
	const cJSON *bounding = json_getv(p, "capabilities", "bounding", NULL);
	ASSERT(has_string(bounding, "CAP_NET_ADMIN") && has_string(bounding, "CAP_SYS_TIME"));
	ASSERT(has_string(bounding, "CAP_KILL") && !has_string(bounding, "CAP_CHOWN"));
	ASSERT(!has_string(bounding, "CAP_SYS_ADMIN"));
	ASSERT_EQ(cJSON_GetArraySize(bounding), 15); /* 14 defaults + 2 - 1 */
	ASSERT(has_string(json_getv(spec, "linux", "maskedPaths", NULL), "/proc/kcore"));
	ASSERT(has_string(json_getv(spec, "linux", "readonlyPaths", NULL), "/proc/sys"));
	ASSERT(!json_getv(spec, "linux", "seccomp", NULL));
	cJSON_Delete(spec);
	/* ALL dropped, one added back. */
	static const char *const all[] = { "ALL", NULL }, *const one[] = { "NET_BIND_SERVICE", NULL };
	cfg.cap_drop = all;
	cfg.cap_add = one;
	spec = cri_bundle_spec(&cfg, &ctx, &err);
	bounding = json_getv(spec, "process", "capabilities", "bounding", NULL);
	ASSERT_EQ(cJSON_GetArraySize(bounding), 1);
	ASSERT(has_string(bounding, "CAP_NET_BIND_SERVICE"));
	cJSON_Delete(spec);
	buf_release(&err);
	return 0;
}

TEST_IMPL(runtime_spec_mounts)
{
	struct cri_mount vols[] = {
		{ .container_path = "/data/sub", .host_path = "/h/sub", .readonly = 1 },
		{ .container_path = "/data", .host_path = "/h/data",
		  .propagation = CRI_PROPAGATION_HOST_TO_CONTAINER },
		{ .container_path = "/dev/shm", .host_path = "/h/shm" },
	};
	struct cri_container_config cfg = base_cfg();
	cfg.mounts = vols;
	cfg.nmounts = ARRAY_SIZE(vols);
	cfg.hosts_path = "/k/hosts";
	cfg.resolv_path = "/k/resolv.conf";
	cfg.readonly_rootfs = 1;
	struct cri_bundle_ctx ctx = base_ctx(CRI_CGROUP_V1);
	struct buf err = BUF_INIT;
	cJSON *spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(spec);
	static const char *const defaults[] = { "/proc", "/dev", "/dev/pts", "/dev/mqueue", "/sys",
						"/sys/fs/cgroup" };
	for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
		ASSERT(find_mount(spec, defaults[i]));
	ASSERT(has_string(json_getv(find_mount(spec, "/sys"), "options", NULL), "ro"));
	ASSERT_STR(json_str(find_mount(spec, "/dev/shm"), "source"), "/h/shm"); /* the volume */
	ASSERT_STR(json_str(find_mount(spec, "/etc/hosts"), "source"), "/k/hosts");
	ASSERT(has_string(json_getv(find_mount(spec, "/etc/hosts"), "options", NULL), "ro"));
	ASSERT(!find_mount(spec, "/etc/hostname"));
	ASSERT(has_string(json_getv(find_mount(spec, "/data/sub"), "options", NULL), "ro"));
	ASSERT(has_string(json_getv(find_mount(spec, "/data"), "options", NULL), "rslave"));
	/* /data before /data/sub. */
	int pos = 0, data = -1, sub = -1;
	const cJSON *m;
	cJSON_ArrayForEach(m, json_getv(spec, "mounts", NULL)) {
		if (!strcmp(json_str(m, "destination"), "/data"))
			data = pos;
		if (!strcmp(json_str(m, "destination"), "/data/sub"))
			sub = pos;
		pos++;
	}
	ASSERT(data >= 0 && sub > data);
	ASSERT_STR(json_strv(spec, "linux", "rootfsPropagation", NULL), "rslave");
	ASSERT(cJSON_IsTrue(json_getv(spec, "root", "readonly", NULL)));
	cJSON_Delete(spec);
	buf_release(&err);
	return 0;
}

TEST_IMPL(runtime_spec_resources_and_privileged)
{
	struct cri_container_config cfg = base_cfg();
	cfg.resources = (struct cri_resources){ .cpu_shares = 512, .cpu_quota_us = 50000,
						.memory_limit = 64 << 20, .pids_limit = 100 };
	cfg.seccomp = CRI_SECCOMP_RUNTIME_DEFAULT;
	struct cri_bundle_ctx ctx = base_ctx(CRI_CGROUP_V2);
	struct buf err = BUF_INIT;
	cJSON *spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(spec);
	const cJSON *r = json_getv(spec, "linux", "resources", NULL);
	int64_t v;
	ASSERT(json_int(json_obj(r, "cpu"), "shares", &v) == 0 && v == 512);
	ASSERT(json_int(json_obj(r, "cpu"), "quota", &v) == 0 && v == 50000);
	ASSERT(json_int(json_obj(r, "cpu"), "period", &v) == 0 && v == 100000);
	ASSERT(json_int(json_obj(r, "memory"), "limit", &v) == 0 && v == 64 << 20);
	ASSERT(json_int(json_obj(r, "pids"), "limit", &v) == 0 && v == 100);
	ASSERT(!cJSON_IsTrue(json_getv(cJSON_GetArrayItem(json_getv(r, "devices", NULL), 0), "allow", NULL)));
	const cJSON *sc = json_getv(spec, "linux", "seccomp", NULL);
	ASSERT_STR(json_str(sc, "defaultAction"), "SCMP_ACT_ERRNO");
	ASSERT(has_string(json_getv(sc, "architectures", NULL), "SCMP_ARCH_X86_64"));
	ASSERT(has_string(json_getv(cJSON_GetArrayItem(json_getv(sc, "syscalls", NULL), 0), "names", NULL), "read"));
	/* a shell pipeline needs pipe(2)/pipe2(2) */
	ASSERT(has_string(json_getv(cJSON_GetArrayItem(json_getv(sc, "syscalls", NULL), 0), "names", NULL), "pipe"));
	ASSERT(has_string(json_getv(cJSON_GetArrayItem(json_getv(sc, "syscalls", NULL), 0), "names", NULL), "pipe2"));
	cJSON_Delete(spec);
	/* a Guaranteed pod's oom_score_adj: kept with CAP_SYS_RESOURCE, raised to 0 without it */
	cfg.has_oom_score_adj = 1;
	cfg.oom_score_adj = -997;
	uint64_t own = ctx.caps;
	ctx.caps = own | (1ull << 24);
	spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(json_int(json_obj(spec, "process"), "oomScoreAdj", &v) == 0 && v == -997);
	cJSON_Delete(spec);
	ctx.caps = own & ~(1ull << 24);
	spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(json_int(json_obj(spec, "process"), "oomScoreAdj", &v) == 0 && v == 0);
	cJSON_Delete(spec);
	ctx.caps = own;
	cfg.has_oom_score_adj = 0;
	cfg.privileged = 1;
	struct cri_device dev = { .path = "/dev/fuse", .type = 'c', .major = 10, .minor = 229,
				  .mode = 0666 };
	ctx.devices = &dev;
	ctx.ndevices = 1;
	spec = cri_bundle_spec(&cfg, &ctx, &err);
	ASSERT(spec);
	ASSERT_EQ(cJSON_GetArraySize(json_getv(spec, "process", "capabilities", "bounding", NULL)), 41);
	ASSERT(!json_getv(spec, "linux", "maskedPaths", NULL));
	ASSERT(!json_getv(spec, "linux", "seccomp", NULL));
	ASSERT_STR(json_str(cJSON_GetArrayItem(json_getv(spec, "linux", "devices", NULL), 0), "path"), "/dev/fuse");
	ASSERT(has_string(json_getv(find_mount(spec, "/sys"), "options", NULL), "rw"));
	cJSON_Delete(spec);
	ASSERT_EQ(cri_cgroup_shares_to_weight(2), 1);
	ASSERT_EQ(cri_cgroup_shares_to_weight(1024), 39);
	ASSERT_EQ(cri_cgroup_shares_to_weight(262144), 10000);
	buf_release(&err);
	return 0;
}

TEST_IMPL(runtime_spec_validate)
{
	static const char *const no_args[] = { NULL };
	static const char *const bad_env[] = { "=x", NULL };
	static const char *const bad_cap[] = { "NOT_A_CAP", NULL };
	struct cri_mount bad_mount = { .container_path = "/a/../../etc", .host_path = "/h" };
	struct cri_container_config cfg = base_cfg();
	struct buf err = BUF_INIT;
	ASSERT_EQ(cri_bundle_validate(&cfg, &err), 0);
	cfg.name = "Bad_Name";
	cfg.args = no_args;
	cfg.env = bad_env;
	cfg.cap_add = bad_cap;
	cfg.mounts = &bad_mount;
	cfg.nmounts = 1;
	cfg.rootfs = "relative/root";
	cfg.resources.cpu_shares = 1;
	ASSERT_EQ(cri_bundle_validate(&cfg, &err), -KUBE_EINVAL);
	const char *e = buf_str(&err);
	ASSERT(strstr(e, "DNS label") && strstr(e, "no command") && strstr(e, "NAME=value"));
	ASSERT(strstr(e, "NOT_A_CAP") && strstr(e, "clean absolute") && strstr(e, "cpu shares"));
	buf_release(&err);
	return 0;
}

/* -- user -- */

TEST_IMPL(runtime_user_resolve)
{
	const char *passwd = "root:x:0:0::/root:/bin/sh\nbroken line\nweb:x:33:44::/:/bin/sh\n"
			     "big:x:99999999999:1::/:/bin/sh\n";
	const char *group = "root:x:0:\nwww:x:44:\nextra:x:7:web,other\nsecond:x:8:other,web\n";
	struct cri_container_config cfg = base_cfg();
	struct cri_user u;
	struct buf err = BUF_INIT;
	cfg.user = "web";
	ASSERT_EQ(cri_user_resolve(&cfg, passwd, group, &u, &err), 0);
	ASSERT_EQ(u.uid, 33);
	ASSERT_EQ(u.gid, 44);
	ASSERT_EQ(u.ngids, 2);
	cri_user_release(&u);
	cfg.user = "web:7";
	ASSERT_EQ(cri_user_resolve(&cfg, passwd, group, &u, &err), 0);
	ASSERT_EQ(u.gid, 7);
	cri_user_release(&u);
	cfg.user = "1000";
	ASSERT_EQ(cri_user_resolve(&cfg, passwd, NULL, &u, &err), 0);
	ASSERT_EQ(u.uid, 1000);
	ASSERT_EQ(u.gid, 0);
	cri_user_release(&u);
	cfg.user = NULL;
	cfg.uid = 33;
	cfg.gid = 5;
	int64_t sup[] = { 9 };
	cfg.supplemental_groups = sup;
	cfg.nsupplemental_groups = 1;
	ASSERT_EQ(cri_user_resolve(&cfg, passwd, group, &u, &err), 0);
	ASSERT_EQ(u.uid, 33);
	ASSERT_EQ(u.gid, 5);
	ASSERT(u.ngids >= 1 && u.gids[u.ngids - 1] == 9);
	cri_user_release(&u);
	cfg = base_cfg();
	cfg.user = "nobody-here";
	ASSERT_EQ(cri_user_resolve(&cfg, passwd, group, &u, &err), -KUBE_EINVAL);
	ASSERT(strstr(buf_str(&err), "nobody-here"));
	buf_reset(&err);
	cfg.user = "big";
	ASSERT_EQ(cri_user_resolve(&cfg, passwd, group, &u, &err), -KUBE_EINVAL);
	buf_release(&err);
	return 0;
}

/* -- logs -- */

TEST_IMPL(runtime_log_time)
{
	char t[40];
	ASSERT_EQ(cri_log_time(1700000000123456000LL, t), 27);
	ASSERT_STR(t, "2023-11-14T22:13:20.123456Z");
	cri_log_time(1700000000000000000LL, t);
	ASSERT_STR(t, "2023-11-14T22:13:20Z");
	cri_log_time(1700000000000000001LL, t);
	ASSERT_STR(t, "2023-11-14T22:13:20.000000001Z");
	return 0;
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len;
	if (read_file(path, &text, &len) < 0) {
		free(text);
		return NULL;
	}
	return text;
}

TEST_IMPL(runtime_log_lines)
{
	char *path = xasprintf("%s/0.log", test_tmpdir());
	struct cri_log l;
	ASSERT_EQ(cri_log_open(&l, path, 0, 0), 0);
	int64_t t = 1700000000000000000LL;
	cri_log_feed(&l, 0, "one\ntw", 6, t);
	cri_log_feed(&l, 1, "err\n", 4, t);
	cri_log_feed(&l, 0, "o\n\nthree", 8, t);
	cri_log_eof(&l, 0, t);
	cri_log_eof(&l, 1, t);
	ASSERT_EQ(cri_log_flush(&l), 0);
	char *big = xmalloc(CRI_LOG_LINE_MAX + 10);
	memset(big, 'x', CRI_LOG_LINE_MAX + 9);
	big[CRI_LOG_LINE_MAX + 9] = '\n';
	cri_log_feed(&l, 0, big, CRI_LOG_LINE_MAX + 10, t);
	ASSERT_EQ(cri_log_flush(&l), 0);
	cri_log_close(&l);
	char *text = slurp(path);
	ASSERT(text);
	const char *want = "2023-11-14T22:13:20Z stdout F one\n"
			   "2023-11-14T22:13:20Z stderr F err\n"
			   "2023-11-14T22:13:20Z stdout F two\n"
			   "2023-11-14T22:13:20Z stdout F \n"
			   "2023-11-14T22:13:20Z stdout P three\n"
			   "2023-11-14T22:13:20Z stdout P xxxx";
	ASSERT(!strncmp(text, want, strlen(want)));
	const char *last = strstr(text, "stdout P xxxx");
	ASSERT(last);
	size_t entry_len = strcspn(last, "\n");
	ASSERT_EQ(entry_len, strlen("stdout P ") + CRI_LOG_LINE_MAX);
	ASSERT(strstr(last, "\n2023-11-14T22:13:20Z stdout F xxxxxxxxx\n"));
	free(text);
	free(big);
	free(path);
	return 0;
}

TEST_IMPL(runtime_log_rotation)
{
	char *path = xasprintf("%s/1.log", test_tmpdir());
	struct cri_log l;
	ASSERT_EQ(cri_log_open(&l, path, 200, 3), 0);
	for (int i = 0; i < 40; i++) {
		char line[32];
		int n = snprintf(line, sizeof(line), "line %d\n", i);
		cri_log_feed(&l, i % 2, line, (size_t)n, 1700000000000000000LL);
		ASSERT_EQ(cri_log_flush(&l), 0);
	}
	cri_log_close(&l);
	struct stat st;
	char *p1 = xasprintf("%s.1", path), *p2 = xasprintf("%s.2", path), *p3 = xasprintf("%s.3", path);
	ASSERT(stat(path, &st) == 0 && st.st_size <= 200);
	ASSERT(stat(p1, &st) == 0 && stat(p2, &st) == 0);
	ASSERT(stat(p3, &st) < 0);
	char *text = slurp(path);
	ASSERT(text && strstr(text, "F line 39\n"));
	free(text);
	free(p1);
	free(p2);
	free(p3);
	free(path);
	return 0;
}

/* -- cgroups -- */

TEST_IMPL(runtime_cgroup_detect)
{
	const char *hybrid =
		"25 30 0:23 / /sys rw,nosuid - sysfs sysfs rw\n"
		"26 25 0:24 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755\n"
		"27 26 0:25 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
		"28 26 0:26 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
		"29 26 0:27 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
		"30 26 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		"31 26 0:29 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n"
		"32 26 0:30 / /sys/fs/cgroup/pids rw shared:9 - cgroup cgroup rw,pids\n";
	struct cri_cgroup_layout l;
	struct buf err = BUF_INIT;
	ASSERT_EQ(cri_cgroup_detect(hybrid, "/sys/fs/cgroup", &l, &err), 0);
	ASSERT_EQ(l.mode, CRI_CGROUP_HYBRID);
	ASSERT_STR(l.unified, "/sys/fs/cgroup/unified");
	ASSERT_STR(l.cpu, "/sys/fs/cgroup/cpu,cpuacct");
	ASSERT_STR(l.memory, "/sys/fs/cgroup/memory");
	ASSERT_STR(l.pids, "/sys/fs/cgroup/pids");
	ASSERT_STR(l.cpuset, "/sys/fs/cgroup/cpuset");
	ASSERT_STR(l.v1[0], "/sys/fs/cgroup/systemd");
	ASSERT(l.v1[5] == NULL);
	char *oom = cri_cgroup_oom_file(&l, "/kube/podx/c");
	ASSERT_STR(oom, "/sys/fs/cgroup/memory/kube/podx/c/memory.oom_control");
	free(oom);
	cri_cgroup_layout_release(&l);
	const char *v2 = "35 30 0:31 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
	ASSERT_EQ(cri_cgroup_detect(v2, "/sys/fs/cgroup", &l, &err), 0);
	ASSERT_EQ(l.mode, CRI_CGROUP_V2);
	ASSERT(!l.v1 && !l.memory);
	oom = cri_cgroup_oom_file(&l, "/kube/podx/c");
	ASSERT_STR(oom, "/sys/fs/cgroup/kube/podx/c/memory.events");
	free(oom);
	cri_cgroup_layout_release(&l);
	/* Regression (found by fuzz-runtime): v1 hierarchies below a v2 root were freed twice. */
	const char *mixed = "35 30 0:31 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
			    "36 35 0:32 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset\n";
	ASSERT_EQ(cri_cgroup_detect(mixed, "/sys/fs/cgroup", &l, &err), 0);
	ASSERT_EQ(l.mode, CRI_CGROUP_V2);
	ASSERT(!l.v1 && !l.cpuset);
	cri_cgroup_layout_release(&l);
	ASSERT_EQ(cri_cgroup_detect("garbage\n\n- - -\n", "/sys/fs/cgroup", &l, &err), -KUBE_EINVAL);
	ASSERT_EQ(cri_cgroup_oom_kills("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"), 2);
	ASSERT_EQ(cri_cgroup_oom_kills("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n"), 1);
	ASSERT_EQ(cri_cgroup_oom_kills(""), 0);
	buf_release(&err);
	return 0;
}

/* -- runc -- */

TEST_IMPL(runtime_runc_message)
{
	char *m = cri_runc_message(
		"{\"level\":\"info\",\"msg\":\"starting\"}\n"
		"{\"level\":\"error\",\"msg\":\"runc run failed: unable to start container process: "
		"exec: \\\"/nope\\\": stat /nope: no such file or directory\",\"time\":\"x\"}\n");
	ASSERT_STR(m, "runc run failed: unable to start container process: exec: \"/nope\": stat "
		      "/nope: no such file or directory");
	free(m);
	m = cri_runc_message("time=\"2023\" level=error msg=\"container not running\"\n\n");
	ASSERT_STR(m, "container not running");
	free(m);
	m = cri_runc_message("plain failure\n");
	ASSERT_STR(m, "plain failure");
	free(m);
	m = cri_runc_message("");
	ASSERT_STR(m, "");
	free(m);
	char *p = cri_log_path("/var/lib/kube", "uid", "app", 3);
	ASSERT_STR(p, "/var/lib/kube/agent/pods/uid/app/3.log");
	free(p);
	return 0;
}

/* -- open, recovery, close -- */

static void closed_cb(void *arg)
{
	*(int *)arg = 1;
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	int rc = cri_write_file(p, text, strlen(text));
	free(p);
	return rc;
}

/* A container directory as a shim would have left it. */
static void fake_container(const char *shims, const char *id, const char *shim_json,
			   const char *exit_json)
{
	char *dir = xasprintf("%s/%s", shims, id);
	mkdir_p(dir, 0700);
	char *meta = xasprintf("{\"id\":\"%s\",\"sandboxId\":\"sb\",\"podUid\":\"u1\",\"name\":\"app\","
			       "\"attempt\":2,\"logPath\":\"/x/2.log\",\"cgroupsPath\":\"/kt/podu1/%s\","
			       "\"createdAt\":\"1700000000000000001\",\"labels\":{\"k\":\"v\"}}", id, id);
	write_text(dir, "meta.json", meta);
	if (shim_json)
		write_text(dir, "shim.json", shim_json);
	write_text(dir, "started.json", "{\"pid\":1,\"start\":0,\"startedAt\":\"1700000000000000002\"}");
	if (exit_json)
		write_text(dir, "exit.json", exit_json);
	free(meta);
	free(dir);
}

TEST_IMPL(runtime_open_recovers)
{
	const char *tmp = test_tmpdir();
	char *run = xasprintf("%s/run", tmp), *shims = xasprintf("%s/run/kt/shims", tmp);
	mkdir_p(shims, 0700);
	char *alive = xasprintf("{\"pid\":%d,\"start\":%llu}", (int)getpid(), cri_proc_start(getpid()));
	fake_container(shims, "aaaa", alive, NULL);
	fake_container(shims, "bbbb", "{\"pid\":999999999,\"start\":5}", NULL);
	fake_container(shims, "cccc", "{\"pid\":999999999,\"start\":5}",
		       "{\"exitCode\":3,\"finishedAt\":\"1700000000000000003\",\"oomKilled\":false}");
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct cri_runtime_config cfg = { .prefix = "kt", .data_dir = tmp, .runc = "/bin/true",
					  .run_dir = run };
	struct cri_runtime *rt;
	struct buf err = BUF_INIT;
	ASSERT_EQ(cri_runtime_open(&loop, &cfg, &rt, &err), 0);
	const struct cri_container *a = cri_container_get(rt, "aaaa");
	const struct cri_container *b = cri_container_get(rt, "bbbb");
	const struct cri_container *c = cri_container_get(rt, "cccc");
	ASSERT(a && b && c && !cri_container_get(rt, "dddd"));
	ASSERT_EQ(a->state, CRI_STATE_RUNNING); /* its "shim" (this process) is alive */
	ASSERT_EQ(a->attempt, 2);
	ASSERT_EQ(a->created_ns, 1700000000000000001LL);
	ASSERT_EQ(a->started_ns, 1700000000000000002LL);
	ASSERT(a->nlabels == 1 && !strcmp(a->labels[0].value, "v"));
	ASSERT_EQ(b->state, CRI_STATE_EXITED);
	ASSERT_STR(b->reason, "Unknown");
	ASSERT_EQ(b->exit_code, 255);
	ASSERT_EQ(c->state, CRI_STATE_EXITED);
	ASSERT_STR(c->reason, "Error");
	ASSERT_EQ(c->exit_code, 3);
	ASSERT_EQ(c->finished_ns, 1700000000000000003LL);
	const struct cri_container **all;
	ASSERT_EQ(cri_container_list(rt, &all), 3);
	free(all);
	/* Operations on what cannot take them. */
	ASSERT_EQ(cri_container_exec(rt, "cccc", (const char *const[]){ "true", NULL }, 0, 0, NULL,
				     NULL), -ESRCH);
	ASSERT_EQ(cri_sandbox_remove(rt, "nope", NULL, NULL), -KUBE_ENOTFOUND);
	int done = 0;
	cri_runtime_close(rt, closed_cb, &done);
	ASSERT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT(done);
	ASSERT_EQ(uv_loop_close(&loop), 0);
	buf_release(&err);
	free(alive);
	free(run);
	free(shims);
	return 0;
}
