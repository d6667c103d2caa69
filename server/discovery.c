/*
 * discovery.c - /version, API discovery (legacy and aggregated v2/v2beta1) and OpenAPI.
 *
 * DESIGN
 * Every document here is derived from the kind registry, built once on first use and kept as
 * bytes: discovery never changes while the server runs. Aggregated discovery is chosen from the
 * Accept header the way client-go negotiates it (kubectl 1.27-1.29 ask for v2beta1, 1.30+ for v2
 * then v2beta1); the response Content-Type carries the g/v/as parameters client-go checks.
 * OpenAPI v2 is an empty protobuf document (valid: kubectl then validates nothing client-side
 * and computes apply patches from its compiled-in types); OpenAPI v3 lists every group-version,
 * whose documents (openapi.c) carry the schemas of the types and the fieldValidation parameter.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"
#include "lib/version.h"

static const char *const all_verbs[] = { "create", "delete", "deletecollection", "get", "list", "patch",
					  "update", "watch" };
static const char *const status_verbs[] = { "get", "patch", "update" };
static const char *const create_verbs[] = { "create" };

static cJSON *string_array(const char *const *v, size_t n);

/* The verbs of a kind's main resource. */
static cJSON *kind_verbs(const struct kind *k)
{
	if (k->flags & KIND_VIRTUAL)
		return string_array(create_verbs, 1);
	return string_array(all_verbs, ARRAY_SIZE(all_verbs));
}

size_t kind_subresources(const struct kind *k, struct kind_sub *out)
{
	static const char *const create_only[] = { "create" };
	static const char *const update_only[] = { "update" };
	size_t n = 0;
	if (k->flags & KIND_BINDING)
		out[n++] = (struct kind_sub){ "binding", "", "v1", "Binding", create_only, 1 };
	if (k->flags & KIND_EVICTION)
		out[n++] = (struct kind_sub){ "eviction", "policy", "v1", "Eviction", create_only, 1 };
	if (k->flags & KIND_TOKEN)
		out[n++] = (struct kind_sub){ "token", "authentication.k8s.io", "v1", "TokenRequest", create_only, 1 };
	if (k->flags & KIND_FINALIZE)
		out[n++] = (struct kind_sub){ "finalize", "", "v1", k->kind, update_only, 1 };
	if (k->flags & KIND_SCALE)
		out[n++] = (struct kind_sub){ "scale", "autoscaling", "v1", "Scale", status_verbs, 3 };
	if (k->flags & KIND_APPROVAL)
		out[n++] = (struct kind_sub){ "approval", k->group, k->version, k->kind, status_verbs, 3 };
	if (k->flags & KIND_STATUS)
		out[n++] = (struct kind_sub){ "status", k->group, k->version, k->kind, status_verbs, 3 };
	return n;
}

static cJSON *string_array(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static size_t count_short(const struct kind *k)
{
	size_t n = 0;
	while (n < ARRAY_SIZE(k->short_names) && k->short_names[n])
		n++;
	return n;
}

static size_t count_list(const char *const *l)
{
	size_t n = 0;
	while (l[n])
		n++;
	return n;
}

static cJSON *gvk(const char *g, const char *v, const char *k)
{
	cJSON *o = cJSON_CreateObject();
	json_set_str(o, "group", g);
	json_set_str(o, "version", v);
	json_set_str(o, "kind", k);
	return o;
}

/* ---- legacy discovery -------------------------------------------------------------------- */

/* Upstream's storageVersionHash: the first 8 bytes of SHA-256("group/version/kind") of the
 * version the objects are stored in, in standard base64. Clients (the storage migrator) compare
 * it across discoveries to learn that the storage version changed. A view is stored as the v1
 * kind of its store group. */
static void storage_version_hash(const struct kind *k, cJSON *r)
{
	char *gvk = k->view ? xasprintf("%s/v1/%s", k->view->store_group, k->kind)
			    : xasprintf("%s/%s/%s", k->group, k->version, k->kind);
	char hex[65];
	unsigned char raw[8];
	pki_sha256_hex(gvk, strlen(gvk), hex);
	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (unsigned char)strtoul((char[]){ hex[2 * i], hex[2 * i + 1], 0 }, NULL, 16);
	struct buf b = BUF_INIT;
	pki_base64(raw, sizeof(raw), &b);
	json_set_str(r, "storageVersionHash", buf_str(&b));
	buf_release(&b);
	free(gvk);
}

static cJSON *legacy_resource(const struct kind *k, const struct kind_sub *s)
{
	cJSON *r = cJSON_CreateObject();
	if (s) {
		char *name = xasprintf("%s/%s", k->plural, s->name);
		json_set_str(r, "name", name);
		free(name);
		json_set_str(r, "singularName", "");
	} else {
		json_set_str(r, "name", k->plural);
		json_set_str(r, "singularName", k->singular);
	}
	json_set_bool(r, "namespaced", !!(k->flags & KIND_NAMESPACED));
	if (s && (strcmp(s->group, k->group) || strcmp(s->version, k->version))) {
		json_set_str(r, "group", s->group);
		json_set_str(r, "version", s->version);
	}
	json_set_str(r, "kind", s ? s->kind : k->kind);
	json_set(r, "verbs", s ? string_array(s->verbs, s->nverbs) : kind_verbs(k));
	if (!s && count_short(k))
		json_set(r, "shortNames", string_array(k->short_names, count_short(k)));
	if (!s && k->categories)
		json_set(r, "categories", string_array(k->categories, count_list(k->categories)));
	else if (!s && (k->flags & KIND_ALL))
		json_set(r, "categories", string_array((const char *[]){ "all" }, 1));
	if (!s && !(k->flags & KIND_VIRTUAL))
		storage_version_hash(k, r);
	return r;
}

static void legacy_resource_list(const char *group, const char *version, struct buf *out)
{
	cJSON *doc = cJSON_CreateObject(), *res = cJSON_CreateArray();
	char *gv = *group ? xasprintf("%s/%s", group, version) : xstrdup(version);
	json_set_str(doc, "kind", "APIResourceList");
	json_set_str(doc, "apiVersion", "v1");
	json_set_str(doc, "groupVersion", gv);
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		struct kind_sub subs[4];
		if (strcmp(k->group, group) || strcmp(k->version, version))
			continue;
		cJSON_AddItemToArray(res, legacy_resource(k, NULL));
		size_t ns = kind_subresources(k, subs);
		for (size_t j = 0; j < ns; j++)
			cJSON_AddItemToArray(res, legacy_resource(k, &subs[j]));
	}
	json_set(doc, "resources", res);
	json_print(doc, out);
	cJSON_Delete(doc);
	free(gv);
}

static cJSON *group_version(const char *group, const char *version)
{
	cJSON *v = cJSON_CreateObject();
	char *gv = xasprintf("%s/%s", group, version);
	json_set_str(v, "groupVersion", gv);
	json_set_str(v, "version", version);
	free(gv);
	return v;
}

static cJSON *legacy_group(const struct api_group *g)
{
	cJSON *o = cJSON_CreateObject(), *vs = cJSON_CreateArray();
	json_set_str(o, "name", g->name);
	for (size_t j = 0; j < ARRAY_SIZE(g->versions) && g->versions[j]; j++)
		cJSON_AddItemToArray(vs, group_version(g->name, g->versions[j]));
	json_set(o, "versions", vs);
	json_set(o, "preferredVersion", group_version(g->name, g->versions[0]));
	return o;
}

static void legacy_groups(struct buf *out)
{
	const struct api_group *groups;
	size_t n = registry_groups(&groups);
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	json_set_str(doc, "kind", "APIGroupList");
	json_set_str(doc, "apiVersion", "v1");
	for (size_t i = 0; i < n; i++)
		if (*groups[i].name)
			cJSON_AddItemToArray(arr, legacy_group(&groups[i]));
	json_set(doc, "groups", arr);
	json_print(doc, out);
	cJSON_Delete(doc);
}

/* ---- aggregated discovery ---------------------------------------------------------------- */

static cJSON *aggregated_resource(const struct kind *k)
{
	cJSON *r = cJSON_CreateObject(), *subs = cJSON_CreateArray();
	struct kind_sub s[4];
	json_set_str(r, "resource", k->plural);
	json_set(r, "responseKind", gvk(k->group, k->version, k->kind));
	json_set_str(r, "scope", k->flags & KIND_NAMESPACED ? "Namespaced" : "Cluster");
	json_set_str(r, "singularResource", k->singular);
	json_set(r, "verbs", kind_verbs(k));
	if (count_short(k))
		json_set(r, "shortNames", string_array(k->short_names, count_short(k)));
	if (k->categories)
		json_set(r, "categories", string_array(k->categories, count_list(k->categories)));
	else if (k->flags & KIND_ALL)
		json_set(r, "categories", string_array((const char *[]){ "all" }, 1));
	size_t n = kind_subresources(k, s);
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		json_set_str(o, "subresource", s[i].name);
		json_set(o, "responseKind", gvk(s[i].group, s[i].version, s[i].kind));
		json_set(o, "verbs", string_array(s[i].verbs, s[i].nverbs));
		cJSON_AddItemToArray(subs, o);
	}
	if (n)
		json_set(r, "subresources", subs);
	else
		cJSON_Delete(subs);
	return r;
}

static cJSON *aggregated_group(const struct api_group *g)
{
	cJSON *item = cJSON_CreateObject(), *meta = json_obj_force(item, "metadata"), *vs = cJSON_CreateArray();
	if (*g->name)
		json_set_str(meta, "name", g->name);
	json_set(meta, "creationTimestamp", cJSON_CreateNull());
	for (size_t j = 0; j < ARRAY_SIZE(g->versions) && g->versions[j]; j++) {
		cJSON *v = cJSON_CreateObject(), *res = cJSON_CreateArray();
		json_set_str(v, "version", g->versions[j]);
		for (size_t i = 0; i < registry_count(); i++) {
			const struct kind *k = registry_at(i);
			if (!strcmp(k->group, g->name) && !strcmp(k->version, g->versions[j]))
				cJSON_AddItemToArray(res, aggregated_resource(k));
		}
		json_set(v, "resources", res);
		json_set_str(v, "freshness", "Current");
		cJSON_AddItemToArray(vs, v);
	}
	json_set(item, "versions", vs);
	return item;
}

static void aggregated(int core, const char *version, struct buf *out)
{
	const struct api_group *groups;
	size_t n = registry_groups(&groups);
	cJSON *doc = cJSON_CreateObject(), *items = cJSON_CreateArray();
	char *av = xasprintf("apidiscovery.k8s.io/%s", version);
	json_set_str(doc, "kind", "APIGroupDiscoveryList");
	json_set_str(doc, "apiVersion", av);
	json_set(doc, "metadata", cJSON_CreateObject());
	for (size_t i = 0; i < n; i++)
		if ((*groups[i].name == '\0') == core)
			cJSON_AddItemToArray(items, aggregated_group(&groups[i]));
	json_set(doc, "items", items);
	json_print(doc, out);
	cJSON_Delete(doc);
	free(av);
}

/* Which aggregated version the Accept header asks for first: "v2", "v2beta1" or NULL. */
static const char *aggregated_wanted(const char *accept)
{
	char entry[256];
	while (accept && *accept) {
		const char *comma = strchr(accept, ',');
		size_t n = comma ? (size_t)(comma - accept) : strlen(accept);
		snprintf(entry, sizeof(entry), "%.*s", (int)MIN(n, sizeof(entry) - 1), accept);
		if (strstr(entry, "as=APIGroupDiscoveryList") && strstr(entry, "g=apidiscovery.k8s.io")) {
			if (strstr(entry, "v=v2beta1"))
				return "v2beta1";
			if (strstr(entry, "v=v2"))
				return "v2";
		} else if (starts_with(entry, "application/json") || starts_with(entry, "*/*")) {
			return NULL;
		}
		accept = comma ? comma + 1 : NULL;
	}
	return NULL;
}

/* ---- OpenAPI v3 -------------------------------------------------------------------------- */

static void gv_path(const char *group, const char *version, struct buf *out)
{
	if (*group)
		buf_addf(out, "apis/%s/%s", group, version);
	else
		buf_addf(out, "api/%s", version);
}

static void openapi_index(struct buf *out)
{
	const struct api_group *groups;
	size_t n = registry_groups(&groups);
	cJSON *doc = cJSON_CreateObject(), *paths = cJSON_CreateObject();
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < ARRAY_SIZE(groups[i].versions) && groups[i].versions[j]; j++) {
			struct buf p = BUF_INIT, url = BUF_INIT;
			gv_path(groups[i].name, groups[i].versions[j], &p);
			buf_addf(&url, "/openapi/v3/%s?hash=%s", p.data,
				 openapi_v3_hash(groups[i].name, groups[i].versions[j]));
			cJSON *e = cJSON_CreateObject();
			json_set_str(e, "serverRelativeURL", url.data);
			json_set(paths, p.data, e);
			buf_release(&p);
			buf_release(&url);
		}
	}
	json_set(doc, "paths", paths);
	json_print(doc, out);
	cJSON_Delete(doc);
}

/* ---- serving ----------------------------------------------------------------------------- */

static void reply(struct http_request *h, const char *ct, const struct buf *b)
{
	http_respond(h, 200, ct, NULL, 0, buf_str(b), b->len);
}

static void serve_version(struct http_request *h)
{
	struct buf b = BUF_INIT;
	buf_addf(&b,
		 "{\"major\":\"%s\",\"minor\":\"%s\",\"gitVersion\":\"%s+kube\",\"gitCommit\":\"%s\","
		 "\"gitTreeState\":\"clean\",\"buildDate\":\"%s\",\"goVersion\":\"none (C; kube %s)\","
		 "\"compiler\":\"gcc\",\"platform\":\"linux/%s\"}",
		 KUBE_K8S_MAJOR, KUBE_K8S_MINOR, KUBE_K8S_VERSION, kube_commit, kube_build_date, kube_version,
#if defined(__x86_64__)
		 "amd64"
#elif defined(__aarch64__)
		 "arm64"
#elif defined(__arm__)
		 "arm"
#else
		 "unknown"
#endif
	);
	reply(h, "application/json", &b);
	buf_release(&b);
}

/* /api and /apis in the form the client asked for. */
static void serve_root(struct http_request *h, int core)
{
	struct buf b = BUF_INIT;
	const char *agg = aggregated_wanted(http_header(h, "Accept"));
	if (agg) {
		char ct[128];
		aggregated(core, agg, &b);
		snprintf(ct, sizeof(ct), "application/json;g=apidiscovery.k8s.io;v=%s;as=APIGroupDiscoveryList", agg);
		reply(h, ct, &b);
	} else {
		if (core)
			buf_adds(&b, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
				     "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"\"}]}");
		else
			legacy_groups(&b);
		reply(h, "application/json", &b);
	}
	buf_release(&b);
}

static const struct api_group *find_group(const char *name)
{
	const struct api_group *groups;
	size_t n = registry_groups(&groups);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

static int has_version(const struct api_group *g, const char *v)
{
	for (size_t j = 0; j < ARRAY_SIZE(g->versions) && g->versions[j]; j++)
		if (!strcmp(g->versions[j], v))
			return 1;
	return 0;
}

/* /apis/G and /apis/G/V (and /api/v1). Returns 0 if the group or version is unknown. */
static int serve_group(struct http_request *h, const char *group, const char *version)
{
	const struct api_group *g = find_group(group);
	struct buf b = BUF_INIT;
	if (!g || (version && !has_version(g, version)))
		return 0;
	if (version) {
		legacy_resource_list(group, version, &b);
	} else {
		cJSON *o = legacy_group(g);
		json_set_str(o, "kind", "APIGroup");
		json_set_str(o, "apiVersion", "v1");
		json_print(o, &b);
		cJSON_Delete(o);
	}
	reply(h, "application/json", &b);
	buf_release(&b);
	return 1;
}

/* JSON, or gnostic's protobuf when Accept names it (either spelling, answered in kind); an
 * If-None-Match with the ETag gets 304. */
static void serve_openapi_v2(struct http_request *h)
{
	/* Accept -> Content-Type: Go's mime parser (client-go) rejects the '@' form, which upstream
	 * answers as application/octet-stream. */
	static const char *const pb_types[][2] = {
		{ "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/octet-stream" },
		{ "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
		  "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" },
	};
	const char *accept = http_header(h, "Accept"), *inm = http_header(h, "If-None-Match"), *ct = "application/json";
	const char *etag;
	size_t len;
	int proto = 0;
	for (size_t i = 0; i < ARRAY_SIZE(pb_types) && accept && !proto; i++)
		if (strstr(accept, pb_types[i][0])) {
			ct = pb_types[i][1];
			proto = 1;
		}
	const char *doc = openapi_v2(proto, &len, &etag);
	struct http_header hdr[] = { { "ETag", etag }, { "Vary", "Accept" } };
	if (inm && strstr(inm, etag)) {
		http_respond(h, 304, NULL, hdr, ARRAY_SIZE(hdr), "", 0);
		return;
	}
	http_respond(h, 200, ct, hdr, ARRAY_SIZE(hdr), doc, len);
}

static int serve_openapi(struct http_request *h, const char *rest)
{
	struct buf b = BUF_INIT;
	if (!strcmp(rest, "v2")) {
		serve_openapi_v2(h);
		return 1;
	}
	if (!strcmp(rest, "v3")) {
		openapi_index(&b);
	} else if (starts_with(rest, "v3/apis/") || starts_with(rest, "v3/api/")) {
		char g[128] = "", v[64] = "";
		if (starts_with(rest, "v3/api/"))
			snprintf(v, sizeof(v), "%s", rest + 7);
		else if (sscanf(rest + 8, "%127[^/]/%63s", g, v) != 2)
			return 0;
		const struct api_group *grp = find_group(g);
		if (!grp || !has_version(grp, v))
			return 0;
		openapi_v3(g, v, &b);
	} else {
		return 0;
	}
	reply(h, "application/json", &b);
	buf_release(&b);
	return 1;
}

int discovery_serve(struct server *srv, struct http_request *h)
{
	UNUSED(srv);
	const char *p = h->path;
	char group[128], version[64];
	if (strcmp(h->method, "GET"))
		return 0;
	if (!strcmp(p, "/version") || !strcmp(p, "/version/")) {
		serve_version(h);
		return 1;
	}
	if (!strcmp(p, "/api") || !strcmp(p, "/api/")) {
		serve_root(h, 1);
		return 1;
	}
	if (!strcmp(p, "/apis") || !strcmp(p, "/apis/")) {
		serve_root(h, 0);
		return 1;
	}
	if (!strcmp(p, "/api/v1") || !strcmp(p, "/api/v1/"))
		return serve_group(h, "", "v1");
	if (starts_with(p, "/openapi/"))
		return serve_openapi(h, p + strlen("/openapi/"));
	if (starts_with(p, "/apis/")) {
		int n = sscanf(p + 6, "%127[^/]/%63[^/]", group, version);
		const char *slashes = p + 6;
		int depth = 0;
		for (; *slashes; slashes++)
			depth += *slashes == '/' && slashes[1];
		if (n == 1 && depth == 0)
			return serve_group(h, group, NULL);
		if (n == 2 && depth == 1)
			return serve_group(h, group, version);
	}
	return 0;
}
