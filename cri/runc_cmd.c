/*
 * runc_cmd.c - `kube runtime`: a hidden test and debug front end of the runtime.
 *
 *   kube runtime [--prefix P] [--data-dir DIR] [--run-dir DIR] [--runc PATH]
 *                [--log-max-size BYTES] [-v] COMMAND
 *     sandbox JSON          create a pod sandbox; prints its id
 *     run JSON              create and start a container; prints its id (a start error is
 *                           printed on stderr, exit status 1; the container then exists)
 *     ps                    sandboxes and containers as JSON
 *     inspect ID            one container as JSON
 *     wait ID               waits until the container has exited; prints it as JSON
 *     stop ID [GRACE]       stop signal, SIGKILL after GRACE seconds (default 10)
 *     signal ID SIG         sends signal number SIG
 *     exec ID TIMEOUT_MS ARG...  runs a command; prints its output, exits with its status
 *     rm ID                 removes a container
 *     rmsandbox ID          removes a sandbox
 *     cleanup               stops (grace 0) and removes every container and sandbox
 *     bench N JSON          starts N containers one after the other (each removed before the
 *                           next); prints each start's latency in nanoseconds as a JSON array
 *
 * DESIGN
 * Each invocation opens the runtime (which recovers the state of the prefix, exactly as the
 * agent does after a restart), runs one operation on a libuv loop and closes it. The JSON
 * specs mirror struct cri_sandbox_config and struct cri_container_config with camelCase keys
 * (see parse_sandbox and parse_container); they are for tests, not a stable interface.
 */
#include "cri/internal.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cmd {
	uv_loop_t loop;
	struct cri_runtime *rt;
	int status;
	int pending;
	char *wait_id;
	char *bench_id;
};

/* -- JSON specs -- */

/* A NULL-terminated array of the strings of a JSON array (borrowed), or NULL. */
static const char **strv(const cJSON *a)
{
	if (!cJSON_IsArray(a))
		return NULL;
	const char **v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(char *));
	size_t n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a)
		if (cJSON_IsString(e))
			v[n++] = e->valuestring;
	return v;
}

static struct cri_kv *kvs(const cJSON *o, size_t *n)
{
	*n = 0;
	struct cri_kv *v = xcalloc((size_t)cJSON_GetArraySize(o) + 1, sizeof(*v));
	const cJSON *e;
	cJSON_ArrayForEach(e, (cJSON_IsObject(o) ? o : NULL))
		if (cJSON_IsString(e))
			v[(*n)++] = (struct cri_kv){ e->string, e->valuestring };
	return v;
}

static int64_t num(const cJSON *o, const char *key, int64_t def)
{
	int64_t v;
	return json_int(o, key, &v) == 0 ? v : def;
}

static int flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static struct cri_resources resources(const cJSON *o)
{
	const cJSON *r = json_obj(o, "resources");
	return (struct cri_resources){ .cpu_shares = num(r, "cpuShares", 0),
				       .cpu_quota_us = num(r, "cpuQuota", 0),
				       .cpu_period_us = num(r, "cpuPeriod", 0),
				       .memory_limit = num(r, "memory", 0),
				       .pids_limit = num(r, "pids", 0) };
}

static void parse_sandbox(const cJSON *j, struct cri_sandbox_config *c)
{
	c->pod_uid = json_str(j, "uid");
	c->pod_name = json_str(j, "name");
	c->pod_namespace = json_str(j, "namespace");
	c->hostname = json_str(j, "hostname");
	c->attempt = (unsigned)num(j, "attempt", 0);
	c->flags = (flag(j, "hostNetwork") ? CRI_HOST_NETWORK : 0) |
		   (flag(j, "hostIPC") ? CRI_HOST_IPC : 0) | (flag(j, "hostPID") ? CRI_HOST_PID : 0);
	c->resources = resources(j);
	c->shm_size = (uint64_t)num(j, "shmSize", 0);
	c->sysctls = kvs(json_obj(j, "sysctls"), &c->nsysctls);
	c->labels = kvs(json_obj(j, "labels"), &c->nlabels);
}

static struct cri_mount *mounts(const cJSON *a, size_t *n)
{
	*n = 0;
	struct cri_mount *v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	const cJSON *e;
	cJSON_ArrayForEach(e, (cJSON_IsArray(a) ? a : NULL)) {
		const char *prop = json_str(e, "propagation");
		v[(*n)++] = (struct cri_mount){
			.container_path = json_str(e, "containerPath"),
			.host_path = json_str(e, "hostPath"), .readonly = flag(e, "readonly"),
			.propagation = !prop ? CRI_PROPAGATION_PRIVATE :
				       !strcmp(prop, "HostToContainer") ? CRI_PROPAGATION_HOST_TO_CONTAINER :
				       !strcmp(prop, "Bidirectional") ? CRI_PROPAGATION_BIDIRECTIONAL :
				       CRI_PROPAGATION_PRIVATE };
	}
	return v;
}

static int64_t *groups(const cJSON *a, size_t *n)
{
	*n = 0;
	int64_t *v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	const cJSON *e;
	cJSON_ArrayForEach(e, (cJSON_IsArray(a) ? a : NULL))
		if (cJSON_IsNumber(e))
			v[(*n)++] = (int64_t)e->valuedouble;
	return v;
}

static void parse_container(const cJSON *j, struct cri_container_config *c)
{
	c->sandbox_id = json_str(j, "sandbox");
	c->name = json_str(j, "name");
	c->attempt = (unsigned)num(j, "attempt", 0);
	c->rootfs = json_str(j, "rootfs");
	c->args = strv(json_getv(j, "args", NULL));
	c->env = strv(json_getv(j, "env", NULL));
	c->cwd = json_str(j, "cwd");
	c->uid = num(j, "uid", -1);
	c->gid = num(j, "gid", -1);
	c->user = json_str(j, "user");
	c->supplemental_groups = groups(json_getv(j, "groups", NULL), &c->nsupplemental_groups);
	c->mounts = mounts(json_getv(j, "mounts", NULL), &c->nmounts);
	c->hosts_path = json_str(j, "hosts");
	c->hostname_path = json_str(j, "hostnameFile");
	c->resolv_path = json_str(j, "resolv");
	c->resources = resources(j);
	c->privileged = flag(j, "privileged");
	c->readonly_rootfs = flag(j, "readonlyRootfs");
	c->no_new_privs = flag(j, "noNewPrivs");
	c->cap_add = strv(json_getv(j, "capAdd", NULL));
	c->cap_drop = strv(json_getv(j, "capDrop", NULL));
	const char *sc = json_str(j, "seccomp");
	c->seccomp = !sc ? CRI_SECCOMP_UNCONFINED :
		     !strcmp(sc, "RuntimeDefault") ? CRI_SECCOMP_RUNTIME_DEFAULT :
		     !strcmp(sc, "Localhost") ? CRI_SECCOMP_LOCALHOST : CRI_SECCOMP_UNCONFINED;
	c->seccomp_profile = json_str(j, "seccompProfile");
	c->stop_signal = (int)num(j, "stopSignal", 0);
	c->log_path = json_str(j, "logPath");
	c->labels = kvs(json_obj(j, "labels"), &c->nlabels);
}

static void free_container(struct cri_container_config *c)
{
	free((void *)c->args);
	free((void *)c->env);
	free((void *)c->supplemental_groups);
	free((void *)c->mounts);
	free((void *)c->cap_add);
	free((void *)c->cap_drop);
	free((void *)c->labels);
}

/* -- output -- */

static const char *state_name(enum cri_state s)
{
	return s == CRI_STATE_CREATED ? "created" : s == CRI_STATE_RUNNING ? "running" : "exited";
}

static cJSON *container_json(const struct cri_container *c)
{
	cJSON *o = cJSON_CreateObject();
	json_set_str(o, "id", c->id);
	json_set_str(o, "sandbox", c->sandbox_id);
	json_set_str(o, "podUid", c->pod_uid);
	json_set_str(o, "name", c->name);
	json_set_int(o, "attempt", c->attempt);
	json_set_str(o, "state", state_name(c->state));
	json_set_int(o, "pid", c->pid);
	json_set_int(o, "exitCode", c->exit_code);
	json_set_bool(o, "oomKilled", c->oom_killed);
	cri_json_set_ns(o, "createdAt", c->created_ns);
	cri_json_set_ns(o, "startedAt", c->started_ns);
	cri_json_set_ns(o, "finishedAt", c->finished_ns);
	json_set_str(o, "reason", c->reason ? c->reason : "");
	json_set_str(o, "message", c->message ? c->message : "");
	json_set_str(o, "logPath", c->log_path);
	cJSON *l = cJSON_AddObjectToObject(o, "labels");
	for (size_t i = 0; i < c->nlabels; i++)
		json_set_str(l, c->labels[i].key, c->labels[i].value);
	return o;
}

static cJSON *sandbox_json(const struct cri_sandbox *s)
{
	cJSON *o = cJSON_CreateObject();
	json_set_str(o, "id", s->id);
	json_set_str(o, "podUid", s->pod_uid);
	json_set_str(o, "hostname", s->hostname);
	if (s->netns_path)
		json_set_str(o, "netns", s->netns_path);
	json_set_str(o, "cgroupParent", s->cgroup_parent);
	return o;
}

static void print_json(cJSON *o)
{
	char *s = json_print_str(o);
	printf("%s\n", s);
	free(s);
	cJSON_Delete(o);
}

static cJSON *ps_json(struct cri_runtime *rt)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *sbs = cJSON_AddArrayToObject(o, "sandboxes");
	const struct cri_sandbox **sv;
	size_t n = cri_sandbox_list(rt, &sv);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(sbs, sandbox_json(sv[i]));
	free(sv);
	cJSON *cs = cJSON_AddArrayToObject(o, "containers");
	const struct cri_container **cv;
	n = cri_container_list(rt, &cv);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(cs, container_json(cv[i]));
	free(cv);
	return o;
}

/* -- callbacks -- */

static void created(void *arg, int err, const char *msg, const char *id)
{
	struct cmd *c = arg;
	if (id)
		printf("%s\n", id);
	if (err) {
		fprintf(stderr, "kube runtime: %s\n", msg && *msg ? msg : strerror(-err));
		c->status = 1;
	}
	c->pending--;
}

static void done(void *arg, int err, const char *msg)
{
	struct cmd *c = arg;
	if (err) {
		fprintf(stderr, "kube runtime: %s\n", msg && *msg ? msg : strerror(-err));
		c->status = 1;
	}
	c->pending--;
}

static void exec_done(void *arg, int err, int code, const char *out, size_t len)
{
	struct cmd *c = arg;
	fwrite(out, 1, len, stdout);
	if (err) {
		fprintf(stderr, "kube runtime: exec: %s\n", err == -ETIMEDOUT ? "timed out" : strerror(-err));
		c->status = 126;
	} else {
		c->status = code;
	}
	c->pending--;
}

static void on_exit_cb(void *arg, const struct cri_container *ct)
{
	struct cmd *c = arg;
	if (c->wait_id && !strcmp(ct->id, c->wait_id)) {
		print_json(container_json(ct));
		c->pending--;
	}
}

static void closed(void *arg)
{
	UNUSED(arg);
}

/* Runs the loop until the operations started have ended. */
static void run_loop(struct cmd *c)
{
	while (c->pending > 0 && uv_run(&c->loop, UV_RUN_ONCE))
		;
}

/* -- commands -- */

static int parse_json_arg(const char *text, cJSON **out)
{
	struct buf err = BUF_INIT;
	*out = json_parse(text, strlen(text), &err);
	if (!*out)
		fprintf(stderr, "kube runtime: bad JSON: %s\n", buf_str(&err));
	buf_release(&err);
	return *out ? 0 : -1;
}

static int start_sandbox(struct cmd *c, const char *text, struct buf *err)
{
	cJSON *j;
	if (parse_json_arg(text, &j) < 0)
		return -KUBE_EINVAL;
	struct cri_sandbox_config cfg = { 0 };
	parse_sandbox(j, &cfg);
	int rc = cri_sandbox_create(c->rt, &cfg, created, c, err);
	free((void *)cfg.sysctls);
	free((void *)cfg.labels);
	cJSON_Delete(j);
	return rc;
}

static int start_container(struct cmd *c, const char *text, struct buf *err)
{
	cJSON *j;
	if (parse_json_arg(text, &j) < 0)
		return -KUBE_EINVAL;
	struct cri_container_config cfg = { 0 };
	parse_container(j, &cfg);
	int rc = cri_container_start(c->rt, &cfg, created, c, err);
	free_container(&cfg);
	cJSON_Delete(j);
	return rc;
}

static int start_wait(struct cmd *c, const char *id)
{
	const struct cri_container *ct = cri_container_get(c->rt, id);
	if (!ct)
		return -KUBE_ENOTFOUND;
	if (ct->state == CRI_STATE_EXITED) {
		print_json(container_json(ct));
		c->pending--;
		return 0;
	}
	c->wait_id = xstrdup(id);
	return 0;
}

/* Stops and removes every container, then removes every sandbox. */
static int cleanup(struct cmd *c)
{
	const struct cri_container **cv;
	size_t n = cri_container_list(c->rt, &cv);
	char **ids = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		ids[i] = xstrdup(cv[i]->id);
	free(cv);
	for (size_t i = 0; i < n; i++) {
		c->pending = 1;
		if (cri_container_remove(c->rt, ids[i], done, c) == 0)
			run_loop(c);
		free(ids[i]);
	}
	free(ids);
	const struct cri_sandbox **sv;
	n = cri_sandbox_list(c->rt, &sv);
	ids = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		ids[i] = xstrdup(sv[i]->id);
	free(sv);
	for (size_t i = 0; i < n; i++) {
		c->pending = 1;
		if (cri_sandbox_remove(c->rt, ids[i], done, c) == 0)
			run_loop(c);
		free(ids[i]);
	}
	free(ids);
	c->pending = 0;
	return 0;
}

static void bench_started(void *arg, int err, const char *msg, const char *id)
{
	struct cmd *c = arg;
	if (err)
		fprintf(stderr, "kube runtime: bench: %s\n", msg);
	c->status = err ? 1 : 0;
	free(c->bench_id);
	c->bench_id = id ? xstrdup(id) : NULL;
	c->pending--;
}

/* Starts n containers of spec one at a time, timing create -> running; each is removed before
 * the next starts (not timed). */
static int bench(struct cmd *c, int n, const char *text, struct buf *err)
{
	cJSON *j;
	if (n <= 0 || parse_json_arg(text, &j) < 0)
		return -KUBE_EINVAL;
	struct cri_container_config cfg = { 0 };
	parse_container(j, &cfg);
	cJSON *out = cJSON_CreateArray();
	int rc = 0;
	for (int i = 0; i < n && !rc && !c->status; i++) {
		cfg.attempt = (unsigned)i;
		uint64_t t0 = now_ns();
		c->pending = 1;
		rc = cri_container_start(c->rt, &cfg, bench_started, c, err);
		if (rc)
			break;
		run_loop(c);
		cJSON_AddItemToArray(out, cJSON_CreateNumber((double)(now_ns() - t0)));
		c->pending = 1;
		if (c->bench_id && cri_container_remove(c->rt, c->bench_id, done, c) == 0)
			run_loop(c);
	}
	free(c->bench_id);
	c->bench_id = NULL;
	print_json(out);
	free_container(&cfg);
	cJSON_Delete(j);
	c->pending = 0;
	return rc;
}

/* Starts the operation of argv[0]; returns 0 (c->pending set), or an error. */
static int dispatch(struct cmd *c, int argc, char **argv, struct buf *err)
{
	const char *op = argv[0], *a1 = argc > 1 ? argv[1] : NULL;
	c->pending = 1;
	if (!strcmp(op, "ps")) {
		print_json(ps_json(c->rt));
		c->pending = 0;
		return 0;
	}
	if (!strcmp(op, "cleanup"))
		return cleanup(c);
	if (!a1)
		return -KUBE_EINVAL;
	if (!strcmp(op, "sandbox"))
		return start_sandbox(c, a1, err);
	if (!strcmp(op, "run"))
		return start_container(c, a1, err);
	if (!strcmp(op, "inspect")) {
		const struct cri_container *ct = cri_container_get(c->rt, a1);
		if (ct)
			print_json(container_json(ct));
		c->pending = 0;
		return ct ? 0 : -KUBE_ENOTFOUND;
	}
	if (!strcmp(op, "wait"))
		return start_wait(c, a1);
	if (!strcmp(op, "stop"))
		return cri_container_stop(c->rt, a1, argc > 2 ? (unsigned)atoi(argv[2]) : 10, done, c);
	if (!strcmp(op, "signal") && argc > 2)
		return cri_container_signal(c->rt, a1, atoi(argv[2]), done, c);
	if (!strcmp(op, "rm"))
		return cri_container_remove(c->rt, a1, done, c);
	if (!strcmp(op, "rmsandbox"))
		return cri_sandbox_remove(c->rt, a1, done, c);
	if (!strcmp(op, "bench") && argc > 2)
		return bench(c, atoi(a1), argv[2], err);
	if (!strcmp(op, "exec") && argc > 3)
		return cri_container_exec(c->rt, a1, (const char *const *)argv + 3,
					  strtoull(argv[2], NULL, 10), 0, exec_done, c);
	return -KUBE_EINVAL;
}

int cmd_runtime(int argc, char **argv)
{
	struct cri_runtime_config cfg = { .prefix = "kube", .data_dir = "/var/lib/kube" };
	int i = 1, verbose = 0;
	for (; i < argc && !strncmp(argv[i], "-", 1); i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(k, "-v")) {
			verbose = 1;
			continue;
		}
		if (!v)
			break;
		if (!strcmp(k, "--prefix"))
			cfg.prefix = v;
		else if (!strcmp(k, "--data-dir"))
			cfg.data_dir = v;
		else if (!strcmp(k, "--run-dir"))
			cfg.run_dir = v;
		else if (!strcmp(k, "--runc"))
			cfg.runc = v;
		else if (!strcmp(k, "--log-max-size"))
			cfg.log_max_size = strtoull(v, NULL, 10);
		else
			break;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kube runtime [--prefix P] [--data-dir DIR] [--run-dir DIR] "
			"[--runc PATH] [-v] sandbox|run|ps|inspect|wait|stop|signal|exec|rm|rmsandbox|cleanup ...\n");
		return 2;
	}
	log_init(verbose ? LOG_INFO : LOG_WARN, NULL);
	struct cmd c = { .status = 0 };
	uv_loop_init(&c.loop);
	cfg.on_exit = on_exit_cb;
	cfg.on_exit_arg = &c;
	struct buf err = BUF_INIT;
	int rc = cri_runtime_open(&c.loop, &cfg, &c.rt, &err);
	if (rc == 0) {
		rc = dispatch(&c, argc - i, argv + i, &err);
		if (rc == 0)
			run_loop(&c);
		cri_runtime_close(c.rt, closed, NULL);
		uv_run(&c.loop, UV_RUN_DEFAULT);
	}
	if (rc < 0) {
		fprintf(stderr, "kube runtime: %s\n", err.len ? buf_str(&err) :
			rc == -KUBE_EINVAL ? "bad arguments" : rc == -KUBE_ENOTFOUND ? "not found" :
			rc <= -1000 ? "failed" : strerror(-rc));
		c.status = rc == -KUBE_ENOTFOUND ? 3 : 1;
	}
	buf_release(&err);
	free(c.wait_id);
	uv_loop_close(&c.loop);
	return c.status;
}
