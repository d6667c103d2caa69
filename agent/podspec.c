/*
 * podspec.c - from a pod's spec and a pulled image to the runtime's container config: the
 * command line, environment, working directory, user, security context, cgroup limits, volume
 * mounts and the pod's hosts/hostname/resolv.conf files.
 *
 * DESIGN
 * podspec_container_config first reads the configMaps and secrets the container's env needs
 * (podspec_fetch: one GET each through the agent's API client), then builds the config on the
 * thread pool (subPath directories may have to be created) from copies of the pod and the
 * container and the fetched objects; done runs on the loop with the config, which lives in the
 * operation and is freed when done returns.
 *
 * Upstream's rules, as the kubelet applies them (pkg/kubelet/kubelet_pods.go, kuberuntime):
 * - args: no command -> the image's Entrypoint, with spec args or else the image's Cmd; a
 *   command -> command + args. $(VAR) references in command, args and env values are expanded
 *   with the container's env (podspec_expand).
 * - env: the image's env, then envFrom (in order, with prefix), then env (in order; later wins).
 * - cgroups: cpu.shares from the request (the limit when no request), CFS quota from the limit
 *   with a 100 ms period, memory limit; oom_score_adj per QoS class.
 * - a user that runAsNonRoot forbids is CreateContainerConfigError.
 * - service links: FOO_SERVICE_HOST, FOO_PORT_80_TCP, ... of the namespace's services
 *   (enableServiceLinks, default on) and of default/kubernetes, below every other env var.
 */
#include "agent/internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cri/cri.h"
#include "lib/pki.h"

/* ---- pure helpers -------------------------------------------------------------------------- */

static const char *env_lookup(const char *name, size_t nlen, const char *const *env, size_t nenv)
{
	for (size_t i = nenv; i-- > 0;)
		if (strncmp(env[i], name, nlen) == 0 && env[i][nlen] == '=')
			return env[i] + nlen + 1;
	return NULL;
}

void podspec_expand(const char *s, const char *const *env, size_t nenv, struct buf *out)
{
	while (*s) {
		if (s[0] != '$' || !s[1]) {
			buf_addch(out, *s++);
			continue;
		}
		if (s[1] == '$') {
			buf_addch(out, '$');
			s += 2;
			continue;
		}
		if (s[1] != '(') {
			buf_add(out, s, 2);
			s += 2;
			continue;
		}
		const char *end = strchr(s + 2, ')');
		if (!end) {
			buf_adds(out, "$(");
			s += 2;
			continue;
		}
		const char *v = env_lookup(s + 2, (size_t)(end - s - 2), env, nenv);
		if (v && end > s + 2)
			buf_adds(out, v);
		else
			buf_add(out, s, (size_t)(end - s + 1));
		s = end + 1;
	}
}

/* ceil(num * 2^e2 * 10^e10 / 10^frac) in *out; -1 on overflow. */
static int scale_ceil(__int128 num, int e2, int e10, int frac, int64_t *out)
{
	__int128 den = 1;
	for (int i = 0; i < e2; i++)
		if (__builtin_mul_overflow(num, 2, &num))
			return -1;
	for (int i = 0; i < e10; i++)
		if (__builtin_mul_overflow(num, 10, &num))
			return -1;
	for (int i = 0; i < frac - (e10 < 0 ? e10 : 0); i++)
		if (__builtin_mul_overflow(den, 10, &den))
			return -1;
	__int128 q = num / den + (num % den ? 1 : 0);
	if (q > INT64_MAX)
		return -1;
	*out = (int64_t)q;
	return 0;
}

static int quantity_suffix(const char *s, int *e2, int *e10)
{
	static const struct { const char *s; int e2, e10; } sfx[] = {
		{ "", 0, 0 }, { "n", 0, -9 }, { "u", 0, -6 }, { "m", 0, -3 }, { "k", 0, 3 }, { "M", 0, 6 },
		{ "G", 0, 9 }, { "T", 0, 12 }, { "P", 0, 15 }, { "E", 0, 18 }, { "Ki", 10, 0 }, { "Mi", 20, 0 },
		{ "Gi", 30, 0 }, { "Ti", 40, 0 }, { "Pi", 50, 0 }, { "Ei", 60, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(sfx); i++)
		if (strcmp(s, sfx[i].s) == 0) {
			*e2 = sfx[i].e2;
			*e10 = sfx[i].e10;
			return 0;
		}
	if ((s[0] == 'e' || s[0] == 'E') && s[1]) {
		int64_t e;
		if (parse_int64(s + 1, -30, 30, &e) < 0)
			return -1;
		*e2 = 0;
		*e10 = (int)e;
		return 0;
	}
	return -1;
}

int podspec_quantity(const char *s, int64_t *milli, int64_t *value)
{
	__int128 num = 0;
	int digits = 0, frac = 0, e2, e10;
	if (!s)
		return -1;
	if (*s == '+')
		s++;
	for (int dot = 0;; s++) {
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			break;
		if (++digits > 30)
			return -1;
		num = num * 10 + (*s - '0');
		frac += dot;
	}
	if (!digits || quantity_suffix(s, &e2, &e10) < 0)
		return -1;
	int64_t v;
	if (scale_ceil(num, e2, e10, frac, &v) < 0)
		return -1;
	if (value)
		*value = v;
	if (milli && scale_ceil(num, e2, e10 + 3, frac, milli) < 0)
		*milli = INT64_MAX;
	return 0;
}

int64_t podspec_cpu_shares(int64_t milli)
{
	if (milli <= 0)
		return 2;
	int64_t shares = milli > INT64_MAX / 1024 ? 262144 : milli * 1024 / 1000;
	return shares < 2 ? 2 : shares > 262144 ? 262144 : shares;
}

int64_t podspec_cpu_quota(int64_t milli, int64_t period_us)
{
	if (milli <= 0)
		return 0;
	if (milli > INT64_MAX / period_us)
		return INT64_MAX / 1000;
	int64_t q = milli * period_us / 1000;
	return q < 1000 ? 1000 : q;
}

/* "metadata.labels['key']" -> key (malloc'd), or NULL. */
static char *subscript(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(path, prefix, n) != 0 || path[n] != '[')
		return NULL;
	const char *k = path + n + 1;
	size_t len = strlen(k);
	if (len < 4 || (k[0] != '\'' && k[0] != '"') || k[len - 1] != ']' || k[len - 2] != k[0])
		return NULL;
	return xstrndup(k + 1, len - 3);
}

/* The map as a downward API volume file: sorted k="v" lines (Go's %q quoting of v). */
static void map_lines(const cJSON *m, struct buf *out)
{
	size_t n = (size_t)cJSON_GetArraySize(m), k = 0;
	const cJSON **items = xcalloc(n + 1, sizeof(*items));
	for (const cJSON *it = m ? m->child : NULL; it; it = it->next)
		if (cJSON_IsString(it) && k < n)
			items[k++] = it;
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(items[j - 1]->string, items[j]->string) > 0; j--) {
			const cJSON *t = items[j];
			items[j] = items[j - 1];
			items[j - 1] = t;
		}
	for (size_t i = 0; i < k; i++) {
		buf_addf(out, "%s%s=", i ? "\n" : "", items[i]->string);
		buf_add_json_string(out, items[i]->valuestring);
	}
	free(items);
}

static void ips_value(const cJSON *list, const char *single, struct buf *out)
{
	size_t start = out->len;
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		const char *ip = json_str(it, "ip");
		if (ip && *ip)
			buf_addf(out, "%s%s", out->len > start ? "," : "", ip);
	}
	if (out->len == start && single)
		buf_adds(out, single);
}

int podspec_field_ref(const cJSON *pod, const char *path, const char *host_ip, struct buf *out, struct buf *err)
{
	static const char *const simple[][2] = {
		{ "metadata.name", "name" }, { "metadata.namespace", "namespace" }, { "metadata.uid", "uid" },
	};
	const cJSON *meta = json_obj(pod, "metadata"), *spec = json_obj(pod, "spec"), *st = json_obj(pod, "status");
	for (size_t i = 0; i < ARRAY_SIZE(simple); i++)
		if (strcmp(path, simple[i][0]) == 0) {
			buf_adds(out, json_str(meta, simple[i][1]) ? json_str(meta, simple[i][1]) : "");
			return 0;
		}
	const char *v = NULL;
	char *key = NULL;
	if (strcmp(path, "spec.nodeName") == 0)
		v = json_str(spec, "nodeName");
	else if (strcmp(path, "spec.serviceAccountName") == 0)
		v = json_str(spec, "serviceAccountName");
	else if (strcmp(path, "status.hostIP") == 0)
		v = json_str(st, "hostIP") && *json_str(st, "hostIP") ? json_str(st, "hostIP") : host_ip;
	else if (strcmp(path, "status.podIP") == 0)
		v = json_str(st, "podIP");
	else if (strcmp(path, "status.hostIPs") == 0)
		return ips_value(cJSON_GetObjectItemCaseSensitive(st, "hostIPs"), host_ip, out), 0;
	else if (strcmp(path, "status.podIPs") == 0)
		return ips_value(cJSON_GetObjectItemCaseSensitive(st, "podIPs"), json_str(st, "podIP"), out), 0;
	else if (strcmp(path, "metadata.labels") == 0 || strcmp(path, "metadata.annotations") == 0)
		return map_lines(json_obj(meta, path + 9), out), 0;
	else if ((key = subscript(path, "metadata.labels")) || (key = subscript(path, "metadata.annotations"))) {
		v = json_str(json_obj(meta, path[9] == 'l' ? "labels" : "annotations"), key);
		free(key);
	} else {
		buf_addf(err, "unsupported fieldPath: %s", path);
		return -1;
	}
	buf_adds(out, v ? v : "");
	return 0;
}

int podspec_resource_ref(const cJSON *c, const char *resource, const char *divisor, int64_t node_cpu_milli,
			 int64_t node_memory, struct buf *out, struct buf *err)
{
	const char *dot = resource ? strchr(resource, '.') : NULL;
	int64_t dm = 1000, dv = 1, milli = 0, value = 0;
	if (!dot || (strncmp(resource, "limits", 6) != 0 && strncmp(resource, "requests", 8) != 0)) {
		buf_addf(err, "unsupported container resource: %s", resource ? resource : "");
		return -1;
	}
	if (divisor && *divisor && (podspec_quantity(divisor, &dm, &dv) < 0 || dm <= 0)) {
		buf_addf(err, "invalid divisor %s", divisor);
		return -1;
	}
	int limits = resource[0] == 'l', cpu = strcmp(dot + 1, "cpu") == 0;
	const char *q = json_strv(c, "resources", limits ? "limits" : "requests", dot + 1, NULL);
	if (q && podspec_quantity(q, &milli, &value) < 0) {
		buf_addf(err, "invalid quantity %s", q);
		return -1;
	}
	if (!q && limits && cpu)
		milli = node_cpu_milli;
	else if (!q && limits && strcmp(dot + 1, "memory") == 0)
		value = node_memory;
	if (cpu)
		buf_addf(out, "%lld", (long long)(milli / dm + (milli % dm ? 1 : 0)));
	else
		buf_addf(out, "%lld", (long long)(dv > 0 ? value / dv + (value % dv ? 1 : 0) : value));
	return 0;
}

/* ---- resolv.conf --------------------------------------------------------------------------- */

struct resolv {
	cJSON *ns, *search, *opts; /* arrays of strings; opts "name" or "name:value" */
};

static void add_unique(cJSON *arr, const char *s, int max)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) if (strcmp(it->valuestring, s) == 0) return;
	if (max <= 0 || cJSON_GetArraySize(arr) < max)
		cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/* Sets option name (value may be NULL), replacing one of the same name. */
static void set_option(cJSON *opts, const char *name, const char *value)
{
	size_t n = strlen(name);
	for (int i = 0; i < cJSON_GetArraySize(opts); i++) {
		const char *s = cJSON_GetArrayItem(opts, i)->valuestring;
		if (strncmp(s, name, n) == 0 && (s[n] == ':' || !s[n])) {
			cJSON_DeleteItemFromArray(opts, i);
			break;
		}
	}
	char *o = value ? xasprintf("%s:%s", name, value) : xstrdup(name);
	cJSON_AddItemToArray(opts, cJSON_CreateString(o));
	free(o);
}

static void parse_host_resolv(const char *text, struct resolv *r)
{
	char *copy = xstrdup(text ? text : ""), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line + strspn(line, " \t");
		if (*p == '#' || *p == ';')
			continue;
		char *save2 = NULL, *w = strtok_r(p, " \t\r", &save2);
		if (!w)
			continue;
		int kind = strcmp(w, "nameserver") == 0 ? 1 : strcmp(w, "search") == 0 ? 2 : strcmp(w, "options") == 0 ? 3 : 0;
		while (kind == 2 && cJSON_GetArraySize(r->search) > 0) /* the last search line wins */
			cJSON_DeleteItemFromArray(r->search, 0);
		for (w = strtok_r(NULL, " \t\r", &save2); w && kind; w = strtok_r(NULL, " \t\r", &save2)) {
			if (kind == 1)
				add_unique(r->ns, w, 0);
			else if (kind == 2)
				add_unique(r->search, w, 0);
			else {
				char *colon = strchr(w, ':');
				if (colon)
					*colon = 0;
				set_option(r->opts, w, colon ? colon + 1 : NULL);
			}
		}
	}
	free(copy);
}

/* A word that can go on a resolv.conf line: no blanks or control characters. */
static int word_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return 0;
	return 1;
}

static void merge_dns_config(const cJSON *dc, struct resolv *r)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(dc, "nameservers")) if (cJSON_IsString(it) &&
											 word_ok(it->valuestring))
		add_unique(r->ns, it->valuestring, 0);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(dc, "searches")) if (cJSON_IsString(it) &&
										      word_ok(it->valuestring))
		add_unique(r->search, it->valuestring, 0);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(dc, "options")) {
		const char *name = json_str(it, "name"), *value = json_str(it, "value");
		if (word_ok(name) && !strchr(name, ':') && (!value || word_ok(value)))
			set_option(r->opts, name, value);
	}
}

static void write_resolv(const struct resolv *r, struct buf *out)
{
	const cJSON *it;
	int n = 0;
	if (cJSON_GetArraySize(r->search) > 0) {
		size_t start = out->len;
		buf_adds(out, "search");
		cJSON_ArrayForEach(it, r->search) if (n++ < 32 && out->len - start + strlen(it->valuestring) < 2048)
			buf_addf(out, " %s", it->valuestring);
		buf_addch(out, '\n');
	}
	n = 0;
	cJSON_ArrayForEach(it, r->ns) if (n++ < 3)
		buf_addf(out, "nameserver %s\n", it->valuestring);
	if (cJSON_GetArraySize(r->opts) > 0) {
		buf_adds(out, "options");
		cJSON_ArrayForEach(it, r->opts) buf_addf(out, " %s", it->valuestring);
		buf_addch(out, '\n');
	}
}

int podspec_resolv_conf(const cJSON *pod, const char *cluster_dns, const char *cluster_domain, const char *host_resolv,
			struct buf *out, struct buf *err)
{
	const cJSON *spec = json_obj(pod, "spec"), *host_net = cJSON_GetObjectItemCaseSensitive(spec, "hostNetwork");
	const char *policy = json_str(spec, "dnsPolicy");
	const cJSON *dc = json_obj(spec, "dnsConfig");
	struct resolv r = { cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray() };
	if (!policy || !*policy)
		policy = "ClusterFirst";
	int cluster = strcmp(policy, "ClusterFirstWithHostNet") == 0 ||
		      (strcmp(policy, "ClusterFirst") == 0 && !cJSON_IsTrue(host_net));
	if (strcmp(policy, "None") && strcmp(policy, "Default") && strcmp(policy, "ClusterFirst") &&
	    strcmp(policy, "ClusterFirstWithHostNet")) {
		buf_addf(err, "unsupported dnsPolicy %s", policy);
		cJSON_Delete(r.ns), cJSON_Delete(r.search), cJSON_Delete(r.opts);
		return -1;
	}
	if (cluster && cluster_dns && *cluster_dns) {
		const char *ns = json_strv(pod, "metadata", "namespace", NULL), *d = cluster_domain ? cluster_domain : "cluster.local";
		char *s1 = xasprintf("%s.svc.%s", ns ? ns : "default", d), *s2 = xasprintf("svc.%s", d);
		add_unique(r.ns, cluster_dns, 0);
		if (word_ok(s1)) /* the server checks namespace names; a line is not injected here either */
			add_unique(r.search, s1, 0);
		add_unique(r.search, s2, 0);
		add_unique(r.search, d, 0);
		free(s1);
		free(s2);
		struct resolv h = { cJSON_CreateArray(), cJSON_CreateArray(), cJSON_CreateArray() };
		parse_host_resolv(host_resolv, &h);
		const cJSON *it;
		cJSON_ArrayForEach(it, h.search) add_unique(r.search, it->valuestring, 0);
		cJSON_Delete(h.ns), cJSON_Delete(h.search), cJSON_Delete(h.opts);
		set_option(r.opts, "ndots", "5");
	} else if (strcmp(policy, "None") != 0) {
		parse_host_resolv(host_resolv, &r);
	}
	merge_dns_config(dc, &r);
	write_resolv(&r, out);
	cJSON_Delete(r.ns), cJSON_Delete(r.search), cJSON_Delete(r.opts);
	return 0;
}

/* ---- reading configMaps and secrets ---------------------------------------------------------- */

struct fetch_op {
	void (*done)(void *arg, int err, const char *msg, const cJSON *objs);
	void *arg;
	cJSON *objs;
	int pending, err;
	char *msg;
	uv_work_t work;           /* when nothing is to be read: done runs from the loop anyway */
};

static void fetch_finish(struct fetch_op *f)
{
	f->done(f->arg, f->err, f->msg ? f->msg : "", f->err ? NULL : f->objs);
	cJSON_Delete(f->objs);
	free(f->msg);
	free(f);
}

struct fetch_one {
	struct fetch_op *f;
	char *name;
};

static void fetch_got(const struct rest_result *res, void *data)
{
	struct fetch_one *o = data;
	struct fetch_op *f = o->f;
	if (!res->err && res->code == 200 && res->obj)
		json_set(f->objs, o->name, cJSON_Duplicate(res->obj, 1));
	else if (!res->err && res->code == 404)
		json_set(f->objs, o->name, cJSON_CreateNull());
	else if (strstr(o->name, "services/"))
		json_set(f->objs, o->name, cJSON_CreateNull()); /* service links are best effort */
	else if (!f->err) {
		f->err = res->err ? res->err : -EIO;
		f->msg = xasprintf("failed to get %s: %s", o->name, res->message && *res->message ? res->message : "error");
	}
	free(o->name);
	free(o);
	if (--f->pending == 0)
		fetch_finish(f);
}

static void fetch_noop(uv_work_t *w)
{
	UNUSED(w);
}

static void fetch_none_done(uv_work_t *w, int status)
{
	UNUSED(status);
	fetch_finish(w->data);
}

int podspec_fetch(struct agent *a, const char *ns, const cJSON *names,
		  void (*done)(void *arg, int err, const char *msg, const cJSON *objs), void *arg)
{
	struct fetch_op *f = xcalloc(1, sizeof(*f));
	const cJSON *it;
	f->done = done;
	f->arg = arg;
	f->objs = cJSON_CreateObject();
	f->pending = 1;
	cJSON_ArrayForEach(it, names) {
		if (!cJSON_IsString(it) || !strchr(it->valuestring, '/') || cJSON_GetObjectItemCaseSensitive(f->objs, it->valuestring))
			continue;
		json_set(f->objs, it->valuestring, cJSON_CreateNull()); /* placeholder: asked once */
		struct fetch_one *o = xcalloc(1, sizeof(*o));
		o->f = f;
		o->name = xstrdup(it->valuestring);
		struct buf path = BUF_INIT;
		const char *colon = strchr(it->valuestring, ':'), *ref = colon ? colon + 1 : it->valuestring;
		char *kind = xstrndup(ref, strcspn(ref, "/")), *rns = colon ? xstrndup(it->valuestring, (size_t)(colon - it->valuestring)) : NULL;
		rest_path(&path, NULL, "v1", kind, rns ? rns : ns, strchr(ref, '/') + 1, NULL);
		free(kind);
		free(rns);
		f->pending++;
		if (!a->api || rest_get(a->api, buf_str(&path), fetch_got, o) < 0) {
			f->pending--;
			if (!f->err) {
				f->err = -ENOTCONN;
				f->msg = xasprintf("failed to get %s: the API client is not available", o->name);
			}
			free(o->name);
			free(o);
		}
		buf_release(&path);
	}
	if (--f->pending > 0)
		return 0;
	f->work.data = f;
	uv_queue_work(a->loop, &f->work, fetch_noop, fetch_none_done);
	return 0;
}

static void add_ref(cJSON *names, const char *kind, const char *name)
{
	if (!name || !*name)
		return;
	char *s = xasprintf("%s/%s", kind, name);
	add_unique(names, s, 0);
	free(s);
}

cJSON *podspec_env_refs(const cJSON *pod, const cJSON *c)
{
	cJSON *names = cJSON_CreateArray();
	const cJSON *it;
	add_unique(names, "default:services/kubernetes", 0);
	if (!cJSON_IsFalse(json_getv(pod, "spec", "enableServiceLinks", NULL)))
		add_unique(names, "services/", 0);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c, "envFrom")) {
		add_ref(names, "configmaps", json_strv(it, "configMapRef", "name", NULL));
		add_ref(names, "secrets", json_strv(it, "secretRef", "name", NULL));
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c, "env")) {
		add_ref(names, "configmaps", json_strv(it, "valueFrom", "configMapKeyRef", "name", NULL));
		add_ref(names, "secrets", json_strv(it, "valueFrom", "secretKeyRef", "name", NULL));
	}
	return names;
}

/* ---- the container config ---------------------------------------------------------------------- */

/* A growing NULL-terminated array of owned strings. */
struct strv {
	char **v;
	size_t n, cap;
};

static void strv_add(struct strv *s, char *owned)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = owned;
	s->v[s->n] = NULL;
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Sets NAME=value in env, replacing an entry of that name in place. */
static void env_put(struct strv *env, const char *name, const char *value)
{
	size_t n = strlen(name);
	char *e = xasprintf("%s=%s", name, value);
	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->v[i], name, n) == 0 && env->v[i][n] == '=') {
			free(env->v[i]);
			env->v[i] = e;
			return;
		}
	strv_add(env, e);
}

struct cfg_op {
	struct agent *a;
	cJSON *pod, *c;
	struct image *img;
	int64_t restart_count;
	void (*done)(void *arg, int err, const char *msg, const struct cri_container_config *cfg);
	void *arg;
	cJSON *objs;              /* fetched configMaps and secrets */
	uv_work_t work;
	int err;
	struct buf msg;
	/* the result and what it points to */
	struct cri_container_config cfg;
	struct strv args, env, kenv, caps_add, caps_drop, strs;
	struct cri_mount *mounts;
	size_t nmounts;
	int64_t *groups;
	size_t ngroups;
};

static const char *keep(struct cfg_op *op, char *s)
{
	strv_add(&op->strs, s);
	return s;
}

static int fail(struct cfg_op *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct cfg_op *op, const char *fmt, ...)
{
	va_list ap;
	if (!op->err) {
		va_start(ap, fmt);
		buf_vaddf(&op->msg, fmt, ap);
		va_end(ap);
		op->err = -KUBE_EINVAL;
	}
	return -1;
}

/* The data of key in a fetched configMap or secret (decoded), appended to out: 1 found, 0 missing
 * key. As upstream, env never reads a configMap's binaryData. */
static int obj_key(const cJSON *obj, int secret, const char *key, struct buf *out)
{
	const char *v = json_strv(obj, "data", key, NULL);
	if (!v)
		return 0;
	if (secret)
		return pki_base64_decode(v, strlen(v), out) < 0 ? 0 : 1;
	buf_adds(out, v);
	return 1;
}

static const cJSON *fetched(struct cfg_op *op, int secret, const char *name)
{
	char *k = xasprintf("%s/%s", secret ? "secrets" : "configmaps", name);
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(op->objs, k);
	free(k);
	return o && cJSON_IsObject(o) ? o : NULL;
}

static int env_from(struct cfg_op *op, const cJSON *ef)
{
	int secret = json_obj(ef, "secretRef") != NULL;
	const cJSON *ref = json_obj(ef, secret ? "secretRef" : "configMapRef");
	const char *name = json_str(ref, "name"), *prefix = json_str(ef, "prefix");
	const cJSON *obj = fetched(op, secret, name ? name : "");
	if (!obj) {
		if (json_true(ref, "optional"))
			return 0;
		return fail(op, "%s \"%s\" not found", secret ? "secret" : "configmap", name ? name : "");
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, json_obj(obj, "data")) {
		struct buf v = BUF_INIT;
		if (!*it->string || strchr(it->string, '=') || !obj_key(obj, secret, it->string, &v)) {
			buf_release(&v);
			continue;
		}
		char *n = xasprintf("%s%s", prefix ? prefix : "", it->string);
		env_put(&op->kenv, n, buf_str(&v));
		free(n);
		buf_release(&v);
	}
	return 0;
}

static const cJSON *find_container(const cJSON *pod, const char *name)
{
	const char *lists[] = { "containers", "initContainers" };
	for (size_t i = 0; i < 2; i++) {
		const cJSON *it;
		cJSON_ArrayForEach(it, json_getv(pod, "spec", lists[i], NULL)) if (json_str(it, "name") &&
										   strcmp(json_str(it, "name"), name) == 0) return it;
	}
	return NULL;
}

static void node_capacity(int64_t *cpu_milli, int64_t *memory)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	*cpu_milli = (cpus > 0 ? cpus : 1) * 1000LL;
	*memory = pages > 0 && psz > 0 ? (int64_t)pages * psz : 0;
}

/* The value of env item e's valueFrom into v; 1 set, 0 skip (optional), -1 failed. */
static int env_value_from(struct cfg_op *op, const cJSON *vf, struct buf *v)
{
	const cJSON *ref;
	struct buf err = BUF_INIT;
	int rc = 1;
	if ((ref = json_obj(vf, "fieldRef"))) {
		if (podspec_field_ref(op->pod, json_str(ref, "fieldPath") ? json_str(ref, "fieldPath") : "",
				      op->a->cfg->n_node_ips ? op->a->cfg->node_ips[0] : "", v, &err) < 0)
			rc = fail(op, "%s", buf_str(&err));
	} else if ((ref = json_obj(vf, "resourceFieldRef"))) {
		const char *cn = json_str(ref, "containerName");
		const cJSON *c = cn && *cn ? find_container(op->pod, cn) : op->c;
		int64_t cpu, mem;
		node_capacity(&cpu, &mem);
		if (!c)
			rc = fail(op, "container %s not found in pod", cn);
		else if (podspec_resource_ref(c, json_str(ref, "resource"), json_str(ref, "divisor"), cpu, mem, v, &err) < 0)
			rc = fail(op, "%s", buf_str(&err));
	} else {
		int secret = (ref = json_obj(vf, "secretKeyRef")) != NULL;
		if (!secret && !(ref = json_obj(vf, "configMapKeyRef")))
			rc = fail(op, "unsupported valueFrom");
		const char *name = json_str(ref, "name"), *key = json_str(ref, "key");
		int optional = json_true(ref, "optional");
		const cJSON *obj = rc > 0 ? fetched(op, secret, name ? name : "") : NULL;
		if (rc > 0 && !obj)
			rc = optional ? 0 : fail(op, "%s \"%s\" not found", secret ? "secret" : "configmap", name ? name : "");
		else if (rc > 0 && !obj_key(obj, secret, key ? key : "", v))
			rc = optional ? 0 : fail(op, "couldn't find key %s in %s %s/%s", key ? key : "",
						 secret ? "Secret" : "ConfigMap", json_strv(op->pod, "metadata", "namespace", NULL), name);
	}
	buf_release(&err);
	return rc;
}

/* NAME -> NAME with '-' as '_', upper case (upstream's makeEnvVariableName). */
static char *env_name(const char *s, const char *suffix)
{
	char *n = xasprintf("%s%s", s, suffix);
	for (char *p = n; *p; p++)
		*p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
	return n;
}

static void put2(struct strv *env, char *name, const char *value)
{
	env_put(env, name, value);
	free(name);
}

/* The docker-link style variables of one service (pkg/kubelet/envvars). */
static void service_env(struct strv *env, const cJSON *svc)
{
	const char *name = json_strv(svc, "metadata", "name", NULL), *ip = json_strv(svc, "spec", "clusterIP", NULL);
	const cJSON *ports = json_getv(svc, "spec", "ports", NULL), *p;
	char *base, buf[64];
	int i = 0;
	if (!name || !ip || !*ip || strcmp(ip, "None") == 0)
		return;
	base = env_name(name, "");
	put2(env, xasprintf("%s_SERVICE_HOST", base), ip);
	cJSON_ArrayForEach(p, ports) {
		int64_t port = 0;
		const char *pn = json_str(p, "name"), *proto = json_str(p, "protocol");
		char lower[16];
		json_int(p, "port", &port);
		snprintf(buf, sizeof(buf), "%lld", (long long)port);
		snprintf(lower, sizeof(lower), "%s", proto && *proto ? proto : "TCP");
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		char *url = strchr(ip, ':') ? xasprintf("%s://[%s]:%s", lower, ip, buf) : xasprintf("%s://%s:%s", lower, ip, buf);
		char *upper = env_name(lower, "");
		if (i == 0) {
			put2(env, xasprintf("%s_SERVICE_PORT", base), buf);
			put2(env, xasprintf("%s_PORT", base), url);
		}
		if (pn && *pn) {
			char *pe = env_name(pn, "");
			put2(env, xasprintf("%s_SERVICE_PORT_%s", base, pe), buf);
			free(pe);
		}
		put2(env, xasprintf("%s_PORT_%s_%s", base, buf, upper), url);
		put2(env, xasprintf("%s_PORT_%s_%s_PROTO", base, buf, upper), lower);
		put2(env, xasprintf("%s_PORT_%s_%s_PORT", base, buf, upper), buf);
		put2(env, xasprintf("%s_PORT_%s_%s_ADDR", base, buf, upper), ip);
		free(url);
		free(upper);
		i++;
	}
	free(base);
}

/* The service environment of the pod (enableServiceLinks: the services of its namespace) and
 * the API server's "kubernetes" service of the default namespace, as upstream's
 * getServiceEnvVarMap: a "kubernetes" service of the pod's own namespace wins. */
static void build_service_env(struct cfg_op *op, struct strv *senv)
{
	const cJSON *master = cJSON_GetObjectItemCaseSensitive(op->objs, "default:services/kubernetes");
	const cJSON *list = json_getv(op->objs, "services/", "items", NULL), *svc;
	int have = 0;
	cJSON_ArrayForEach(svc, list) {
		const char *n = json_strv(svc, "metadata", "name", NULL);
		have |= n && strcmp(n, "kubernetes") == 0;
		service_env(senv, svc);
	}
	if (cJSON_IsObject(master) && !have)
		service_env(senv, master);
}

static int build_env(struct cfg_op *op)
{
	const cJSON *it;
	struct strv senv = { 0 };
	build_service_env(op, &senv);
	for (size_t i = 0; i < senv.n; i++) /* the lowest precedence: the start of the container env */
		strv_add(&op->kenv, xstrdup(senv.v[i]));
	strv_free(&senv);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(op->c, "envFrom")) if (env_from(op, it) < 0) return -1;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(op->c, "env")) {
		const char *name = json_str(it, "name"), *value = json_str(it, "value");
		const cJSON *vf = json_obj(it, "valueFrom");
		struct buf v = BUF_INIT;
		int rc = 1;
		if (!name || !*name)
			continue;
		if (vf)
			rc = env_value_from(op, vf, &v);
		else if (value)
			podspec_expand(value, (const char *const *)op->kenv.v, op->kenv.n, &v);
		if (rc > 0)
			env_put(&op->kenv, name, buf_str(&v));
		buf_release(&v);
		if (rc < 0)
			return -1;
	}
	for (char **e = op->img->env; e && *e; e++)
		strv_add(&op->env, xstrdup(*e));
	for (size_t i = 0; i < op->kenv.n; i++) {
		char *eq = strchr(op->kenv.v[i], '=');
		char *n = xstrndup(op->kenv.v[i], (size_t)(eq - op->kenv.v[i]));
		env_put(&op->env, n, eq + 1);
		free(n);
	}
	return 0;
}

static void add_expanded(struct cfg_op *op, const cJSON *list)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) if (cJSON_IsString(it)) {
		struct buf b = BUF_INIT;
		podspec_expand(it->valuestring, (const char *const *)op->kenv.v, op->kenv.n, &b);
		strv_add(&op->args, buf_detach(&b, NULL));
	}
}

static int build_args(struct cfg_op *op)
{
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(op->c, "command");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(op->c, "args");
	if (cJSON_GetArraySize(cmd) > 0) {
		add_expanded(op, cmd);
		add_expanded(op, args);
	} else {
		for (char **e = op->img->entrypoint; e && *e; e++)
			strv_add(&op->args, xstrdup(*e));
		if (cJSON_GetArraySize(args) > 0)
			add_expanded(op, args);
		else
			for (char **e = op->img->cmd; e && *e; e++)
				strv_add(&op->args, xstrdup(*e));
	}
	if (op->args.n == 0)
		return fail(op, "no command specified");
	return 0;
}

/* securityContext field key: the container's, else the pod's. */
static const cJSON *sc_field(const struct cfg_op *op, const char *key)
{
	const cJSON *v = json_getv(op->c, "securityContext", key, NULL);
	return v && !cJSON_IsNull(v) ? v : json_getv(op->pod, "spec", "securityContext", key, NULL);
}

static const char *pod_desc(struct cfg_op *op)
{
	return keep(op, xasprintf("%s_%s(%s)", json_strv(op->pod, "metadata", "name", NULL),
				  json_strv(op->pod, "metadata", "namespace", NULL), json_strv(op->pod, "metadata", "uid", NULL)));
}

static int check_non_root(struct cfg_op *op, int64_t uid)
{
	const char *cn = json_str(op->c, "name");
	if (!cJSON_IsTrue(sc_field(op, "runAsNonRoot")))
		return 0;
	if (uid == 0)
		return fail(op, "container's runAsUser breaks non-root policy (pod: \"%s\", container: %s)", pod_desc(op), cn);
	if (uid > 0)
		return 0;
	const char *u = op->img->user && *op->img->user ? op->img->user : "";
	size_t n = strcspn(u, ":");
	char *name = xstrndup(u, n);
	int64_t num;
	int rc = 0;
	if (!*name || (parse_int64(name, 0, INT64_MAX, &num) == 0 && num == 0))
		rc = fail(op, "container has runAsNonRoot and image will run as root (pod: \"%s\", container: %s)", pod_desc(op), cn);
	else if (parse_int64(name, 0, INT64_MAX, &num) < 0)
		rc = fail(op, "container has runAsNonRoot and image has non-numeric user (%s), cannot verify user is non-root (pod: \"%s\", container: %s)",
			  name, pod_desc(op), cn);
	free(name);
	return rc;
}

static void cap_list(const cJSON *list, struct strv *out)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) if (cJSON_IsString(it)) strv_add(out, xstrdup(it->valuestring));
}

static int build_security(struct cfg_op *op)
{
	struct cri_container_config *cfg = &op->cfg;
	const cJSON *v, *sc = json_obj(op->c, "securityContext"), *psc = json_getv(op->pod, "spec", "securityContext", NULL);
	cfg->uid = cfg->gid = -1;
	cfg->user = op->img->user && *op->img->user ? op->img->user : NULL;
	if ((v = sc_field(op, "runAsUser")) && cJSON_IsNumber(v))
		cfg->uid = (int64_t)v->valuedouble;
	if ((v = sc_field(op, "runAsGroup")) && cJSON_IsNumber(v))
		cfg->gid = (int64_t)v->valuedouble;
	if (check_non_root(op, cfg->uid) < 0)
		return -1;
	size_t ng = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(psc, "supplementalGroups"));
	op->groups = xcalloc(ng + 1, sizeof(*op->groups));
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(psc, "supplementalGroups")) if (cJSON_IsNumber(v))
		op->groups[op->ngroups++] = (int64_t)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(psc, "fsGroup")) && cJSON_IsNumber(v))
		op->groups[op->ngroups++] = (int64_t)v->valuedouble;
	cfg->supplemental_groups = op->groups;
	cfg->nsupplemental_groups = op->ngroups;
	cfg->privileged = json_true(sc, "privileged");
	cfg->readonly_rootfs = json_true(sc, "readOnlyRootFilesystem");
	cfg->no_new_privs = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(sc, "allowPrivilegeEscalation"));
	cap_list(json_getv(sc, "capabilities", "add", NULL), &op->caps_add);
	cap_list(json_getv(sc, "capabilities", "drop", NULL), &op->caps_drop);
	cfg->cap_add = (const char *const *)op->caps_add.v;
	cfg->cap_drop = (const char *const *)op->caps_drop.v;
	const cJSON *prof = sc_field(op, "seccompProfile");
	const char *type = json_str(prof, "type");
	cfg->seccomp = CRI_SECCOMP_UNCONFINED;
	if (type && strcmp(type, "RuntimeDefault") == 0 && !cfg->privileged)
		cfg->seccomp = CRI_SECCOMP_RUNTIME_DEFAULT;
	else if (type && strcmp(type, "Localhost") == 0 && !cfg->privileged) {
		const char *lp = json_str(prof, "localhostProfile");
		if (!lp || !*lp || lp[0] == '/' || strstr(lp, ".."))
			return fail(op, "invalid localhostProfile \"%s\"", lp ? lp : "");
		cfg->seccomp = CRI_SECCOMP_LOCALHOST;
		cfg->seccomp_profile = keep(op, xasprintf("%s/seccomp/%s", op->a->cfg->agent_dir, lp));
	}
	return 0;
}

/* Guaranteed, Burstable or BestEffort, as upstream's GetPodQOS (containers and init containers). */
const char *podspec_qos_class(const cJSON *pod)
{
	int any = 0, guaranteed = 1;
	const char *lists[] = { "containers", "initContainers" };
	for (size_t l = 0; l < 2; l++) {
		const cJSON *c;
		cJSON_ArrayForEach(c, json_getv(pod, "spec", lists[l], NULL)) {
			const cJSON *lim = json_getv(c, "resources", "limits", NULL), *req = json_getv(c, "resources", "requests", NULL);
			const char *res[] = { "cpu", "memory" };
			for (size_t r = 0; r < 2; r++) {
				const char *ls = json_str(lim, res[r]), *rs = json_str(req, res[r]);
				int64_t lm = 0, rm = 0;
				if (ls)
					podspec_quantity(ls, &lm, NULL);
				if (rs)
					podspec_quantity(rs, &rm, NULL);
				if (lm > 0 || rm > 0)
					any = 1;
				if (lm <= 0 || (rs && rm != lm))
					guaranteed = 0;
			}
		}
	}
	return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}

static void build_resources(struct cfg_op *op)
{
	struct cri_container_config *cfg = &op->cfg;
	const char *rcpu = json_strv(op->c, "resources", "requests", "cpu", NULL);
	const char *lcpu = json_strv(op->c, "resources", "limits", "cpu", NULL);
	const char *rmem = json_strv(op->c, "resources", "requests", "memory", NULL);
	const char *lmem = json_strv(op->c, "resources", "limits", "memory", NULL);
	int64_t m = 0, v = 0, node_cpu, node_mem;
	if ((rcpu && podspec_quantity(rcpu, &m, NULL) == 0) || (lcpu && podspec_quantity(lcpu, &m, NULL) == 0))
		cfg->resources.cpu_shares = podspec_cpu_shares(m);
	else
		cfg->resources.cpu_shares = 2;
	if (lcpu && podspec_quantity(lcpu, &m, NULL) == 0 && m > 0) {
		cfg->resources.cpu_period_us = 100000;
		cfg->resources.cpu_quota_us = podspec_cpu_quota(m, 100000);
	}
	if (lmem && podspec_quantity(lmem, NULL, &v) == 0 && v > 0)
		cfg->resources.memory_limit = v;
	/* oom_score_adj per QoS class (pkg/kubelet/qos/policy.go) */
	const char *qos = podspec_qos_class(op->pod);
	node_capacity(&node_cpu, &node_mem);
	cfg->has_oom_score_adj = 1;
	if (strcmp(qos, "Guaranteed") == 0)
		cfg->oom_score_adj = -997;
	else if (strcmp(qos, "BestEffort") == 0)
		cfg->oom_score_adj = 1000;
	else {
		int64_t req = 0;
		if (rmem || lmem)
			podspec_quantity(rmem ? rmem : lmem, NULL, &req);
		int64_t adj = node_mem > 0 ? (int64_t)(1000 - ((__int128)1000 * req) / node_mem) : 1000;
		cfg->oom_score_adj = adj < 3 ? 3 : adj >= 1000 ? 999 : (int)adj;
	}
}

static int parse_signal(const char *s)
{
	static const struct { const char *n; int s; } sigs[] = {
		{ "TERM", SIGTERM }, { "KILL", SIGKILL }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "HUP", SIGHUP },
		{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "WINCH", SIGWINCH }, { "PWR", SIGPWR }, { "STOP", SIGSTOP },
	};
	int64_t n;
	if (!s || !*s)
		return 0;
	if (parse_int64(s, 1, 64, &n) == 0)
		return (int)n;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (strcmp(s, sigs[i].n) == 0)
			return sigs[i].s;
	return 0;
}

char *podspec_pod_file(const struct agent *a, const char *pod_uid, const char *file)
{
	return file ? xasprintf("%s/%s/%s", a->cfg->pods_dir, pod_uid, file) : xasprintf("%s/%s", a->cfg->pods_dir, pod_uid);
}

/* A subPath: relative, without "..". */
static int bad_subpath(const char *p)
{
	if (p[0] == '/')
		return 1;
	for (const char *s = p; (s = strstr(s, "..")); s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == 0 || s[2] == '/'))
			return 1;
	return 0;
}

static int within(const char *path, const char *base)
{
	size_t n = strlen(base);
	return strncmp(path, base, n) == 0 && (path[n] == '/' || path[n] == 0 || (n == 1 && base[0] == '/'));
}

/* host/sub, walked one component at a time: an existing component must resolve (symlinks
 * followed) within host, a missing one is created as a directory inside the resolved parent (as
 * the kubelet does, mode 0750). Returns the resolved path (kept) or NULL after fail(). */
static const char *subpath_dir(struct cfg_op *op, const char *host, const char *sub)
{
	char base[PATH_MAX], cur[PATH_MAX], next[PATH_MAX + 256];
	char *copy = xstrdup(sub), *save = NULL;
	int ok = realpath(host, base) != NULL;
	if (ok)
		snprintf(cur, sizeof(cur), "%s", base);
	for (char *c = ok ? strtok_r(copy, "/", &save) : NULL; c && ok; c = strtok_r(NULL, "/", &save)) {
		struct stat st;
		snprintf(next, sizeof(next), "%s/%s", cur, c);
		if (lstat(next, &st) < 0 && mkdir(next, 0750) < 0 && errno != EEXIST) {
			fail(op, "failed to create subPath directory for volumeMount: %s", strerror(errno));
			free(copy);
			return NULL;
		}
		ok = realpath(next, cur) != NULL && within(cur, base);
	}
	free(copy);
	if (!ok) {
		fail(op, "subPath \"%s\" is outside of the volume", sub);
		return NULL;
	}
	return keep(op, xstrdup(cur));
}

static int add_mount(struct cfg_op *op, const cJSON *vm)
{
	const char *name = json_str(vm, "name"), *path = json_str(vm, "mountPath"), *prop = json_str(vm, "mountPropagation");
	const char *sub = json_str(vm, "subPath"), *subx = json_str(vm, "subPathExpr");
	struct buf err = BUF_INIT, b = BUF_INIT;
	if (!name || !path || path[0] != '/')
		return fail(op, "invalid volumeMount %s", name ? name : "");
	char *host = volume_host_path(op->a, op->pod, name, &err);
	buf_release(&err);
	if (!host)
		return fail(op, "cannot find volume \"%s\" to mount into container \"%s\"", name, json_str(op->c, "name"));
	const char *src = keep(op, host);
	if (subx && *subx) {
		podspec_expand(subx, (const char *const *)op->kenv.v, op->kenv.n, &b);
		sub = keep(op, buf_detach(&b, NULL));
	}
	if (sub && *sub) {
		if (bad_subpath(sub))
			return fail(op, "subPath \"%s\" must be a relative path without '..'", sub);
		if (!(src = subpath_dir(op, host, sub)))
			return -1;
	}
	struct cri_mount *m = &op->mounts[op->nmounts++];
	m->container_path = path;
	m->host_path = src;
	m->readonly = json_true(vm, "readOnly");
	m->propagation = CRI_PROPAGATION_PRIVATE;
	if (prop && strcmp(prop, "HostToContainer") == 0)
		m->propagation = CRI_PROPAGATION_HOST_TO_CONTAINER;
	else if (prop && strcmp(prop, "Bidirectional") == 0) {
		if (!op->cfg.privileged)
			return fail(op, "Bidirectional mount propagation is available only to privileged containers");
		m->propagation = CRI_PROPAGATION_BIDIRECTIONAL;
	}
	return 0;
}

static int mounted_at(const cJSON *c, const char *path)
{
	const cJSON *vm;
	cJSON_ArrayForEach(vm, cJSON_GetObjectItemCaseSensitive(c, "volumeMounts")) if (json_str(vm, "mountPath") &&
										       strcmp(json_str(vm, "mountPath"), path) == 0) return 1;
	return 0;
}

static int build_mounts(struct cfg_op *op)
{
	const cJSON *vms = cJSON_GetObjectItemCaseSensitive(op->c, "volumeMounts"), *vm;
	const char *uid = json_strv(op->pod, "metadata", "uid", NULL);
	op->mounts = xcalloc((size_t)cJSON_GetArraySize(vms) + 1, sizeof(*op->mounts));
	cJSON_ArrayForEach(vm, vms) if (add_mount(op, vm) < 0) return -1;
	op->cfg.mounts = op->mounts;
	op->cfg.nmounts = op->nmounts;
	if (!mounted_at(op->c, "/etc/hosts"))
		op->cfg.hosts_path = keep(op, podspec_pod_file(op->a, uid, "etc-hosts"));
	if (!mounted_at(op->c, "/etc/hostname"))
		op->cfg.hostname_path = keep(op, podspec_pod_file(op->a, uid, "etc-hostname"));
	if (!mounted_at(op->c, "/etc/resolv.conf"))
		op->cfg.resolv_path = keep(op, podspec_pod_file(op->a, uid, "etc-resolv.conf"));
	return 0;
}

/* On the thread pool: everything from the copies in op (service links: from the lists read). */
static void cfg_work(uv_work_t *w)
{
	struct cfg_op *op = w->data;
	struct cri_container_config *cfg = &op->cfg;
	const char *wd = json_str(op->c, "workingDir");
	cfg->name = json_str(op->c, "name");
	cfg->attempt = (unsigned)op->restart_count;
	if (build_env(op) < 0 || build_args(op) < 0 || build_security(op) < 0 || build_mounts(op) < 0)
		return;
	build_resources(op);
	cfg->args = (const char *const *)op->args.v;
	cfg->env = (const char *const *)op->env.v;
	cfg->cwd = wd && *wd ? wd : op->img->working_dir && *op->img->working_dir ? op->img->working_dir : NULL;
	cfg->stop_signal = parse_signal(op->img->stop_signal);
	cfg->log_path = keep(op, agent_log_path(op->a, json_strv(op->pod, "metadata", "uid", NULL), cfg->name, op->restart_count));
}

static void cfg_free(struct cfg_op *op)
{
	cJSON_Delete(op->pod);
	cJSON_Delete(op->c);
	cJSON_Delete(op->objs);
	image_unref(op->img);
	buf_release(&op->msg);
	strv_free(&op->args);
	strv_free(&op->env);
	strv_free(&op->kenv);
	strv_free(&op->caps_add);
	strv_free(&op->caps_drop);
	strv_free(&op->strs);
	free(op->mounts);
	free(op->groups);
	free(op);
}

static void cfg_after(uv_work_t *w, int status)
{
	struct cfg_op *op = w->data;
	if (status < 0 && !op->err)
		fail(op, "cancelled");
	op->done(op->arg, op->err, buf_str(&op->msg), op->err ? NULL : &op->cfg);
	cfg_free(op);
}

static void cfg_fetched(void *arg, int err, const char *msg, const cJSON *objs)
{
	struct cfg_op *op = arg;
	if (err < 0) {
		op->err = err;
		buf_adds(&op->msg, msg);
		op->done(op->arg, op->err, buf_str(&op->msg), NULL);
		cfg_free(op);
		return;
	}
	op->objs = cJSON_Duplicate(objs, 1);
	op->work.data = op;
	uv_queue_work(op->a->loop, &op->work, cfg_work, cfg_after);
}

int podspec_container_config(struct agent *a, const cJSON *pod, const cJSON *c, const struct image *img,
			     int64_t restart_count,
			     void (*done)(void *arg, int err, const char *msg, const struct cri_container_config *cfg),
			     void *arg)
{
	if (!pod || !c || !img || !json_str(c, "name") || !json_strv(pod, "metadata", "uid", NULL))
		return -KUBE_EINVAL;
	struct cfg_op *op = xcalloc(1, sizeof(*op));
	op->a = a;
	op->pod = cJSON_Duplicate(pod, 1);
	op->c = cJSON_Duplicate(c, 1);
	op->img = image_ref((struct image *)img);
	op->restart_count = restart_count;
	op->done = done;
	op->arg = arg;
	buf_init(&op->msg);
	cJSON *names = podspec_env_refs(pod, c);
	const char *ns = json_strv(pod, "metadata", "namespace", NULL);
	int rc = podspec_fetch(a, ns ? ns : "default", names, cfg_fetched, op);
	cJSON_Delete(names);
	if (rc < 0)
		cfg_free(op);
	return rc;
}
