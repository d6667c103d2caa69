/*
 * crd_serve.c - serving custom resources: one struct kind per served version of each stored
 * CustomResourceDefinition, registered in the kind registry at run time.
 *
 * DESIGN
 * Every API server (not only the controller leader) follows the CRDs in the store: at start it
 * reads them all, then a store watch on their prefix re-syncs a CRD on each change. A sync
 * builds the kinds the CRD describes (group, versions served, names, scope, status and scale
 * subresources, categories, printer columns) and registers them; routing, discovery, storage
 * keys, lists, watches and patches are then the generic ones of every kind. A CRD whose names
 * conflict with another CRD's is not served (ctrl_crd.c reports NamesAccepted False).
 * Objects are stored under /registry/<group>/<plural>/ with the apiVersion they were written
 * in; the versions have no conversion ("None"), so reading through another version only
 * rewrites apiVersion (object.c).
 * Kinds that stop being served are unregistered but kept (never freed): requests and watches
 * in flight may still point to them.
 */
#include "server/crd.h"

#include <stdlib.h>
#include <string.h>

struct crd_kind {
	struct kind k;
	char *group, *version, *kindname, *plural, *singular;
	char *shorts[4];
	char **cats;             /* NULL-ended */
	struct table_col *cols;  /* Name, the printer columns (or Age), end */
	char **paths;            /* a JSONPath per column after Name, NULL-ended */
	cJSON *schema;           /* the version's openAPIV3Schema, or NULL */
	int preserve_unknown;    /* the CRD's spec.preserveUnknownFields */
	/* subresources.scale (KIND_SCALE): specReplicasPath, statusReplicasPath, labelSelectorPath
	 * ("" when not set) */
	char *scale_spec, *scale_status, *scale_selector;
};

struct crd_entry {
	char *name;
	char *sig;               /* the printed spec the kinds were built from */
	struct crd_kind **kinds;
	size_t n;
};

struct crd_serve {
	struct server *srv;
	struct store_watch *watch;
};

static struct crd_entry *entries;
static size_t nentries;
static struct crd_kind **retired; /* unregistered, kept for requests in flight */
static size_t nretired;

static char *dup_or(const char *s, const char *dflt)
{
	return xstrdup(s && *s ? s : dflt ? dflt : "");
}

static char *lower(const char *s)
{
	char *o = xstrdup(s ? s : "");
	for (char *p = o; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return o;
}

/* Kubernetes version priority: GA before beta before alpha, higher numbers first, then the
 * rest alphabetically. Returns a sort key: smaller is preferred. */
static void version_key(const char *v, int *cls, long *major, long *minor)
{
	char *end;
	*cls = 3, *major = 0, *minor = 0;
	if (v[0] != 'v' || v[1] < '0' || v[1] > '9')
		return;
	*major = strtol(v + 1, &end, 10);
	if (!*end)
		*cls = 0;
	else if (!strncmp(end, "beta", 4) && end[4] >= '0' && end[4] <= '9')
		*cls = 1, *minor = strtol(end + 4, NULL, 10);
	else if (!strncmp(end, "alpha", 5) && end[5] >= '0' && end[5] <= '9')
		*cls = 2, *minor = strtol(end + 5, NULL, 10);
}

static int version_cmp(const void *a, const void *b)
{
	const char *va = json_str(*(const cJSON *const *)a, "name"), *vb = json_str(*(const cJSON *const *)b, "name");
	int ca, cb;
	long ma, mb, na, nb;
	va = va ? va : "", vb = vb ? vb : "";
	version_key(va, &ca, &ma, &na);
	version_key(vb, &cb, &mb, &nb);
	if (ca != cb)
		return ca - cb;
	if (ca == 3)
		return strcmp(va, vb);
	if (ma != mb)
		return ma > mb ? -1 : 1;
	return na == nb ? 0 : na > nb ? -1 : 1;
}

/* ---- printer columns ----------------------------------------------------------------------- */

static const char age_desc[] = "CreationTimestamp is a timestamp representing the server time when this object was created. "
	"It is not guaranteed to be set in happens-before order across separate operations.";

static void set_columns(struct crd_kind *ck, const cJSON *version)
{
	const cJSON *pcs = json_getv(version, "additionalPrinterColumns", NULL);
	size_t n = (size_t)cJSON_GetArraySize(pcs), i = 1;
	ck->cols = xcalloc(n + 3, sizeof(*ck->cols));
	ck->paths = xcalloc(n + 2, sizeof(*ck->paths));
	ck->cols[0] = (struct table_col){ "Name", "string", "name",
		"Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.", 0 };
	const cJSON *pc;
	cJSON_ArrayForEach(pc, pcs) {
		const char *t = json_str(pc, "type");
		int64_t prio = 0;
		json_int(pc, "priority", &prio);
		ck->cols[i] = (struct table_col){ xstrdup(json_str(pc, "name") ? json_str(pc, "name") : ""),
			xstrdup(t ? t : "string"), xstrdup(json_str(pc, "format") ? json_str(pc, "format") : ""),
			xstrdup(json_str(pc, "description") ? json_str(pc, "description") : ""), (int)prio };
		ck->paths[i - 1] = xstrdup(json_str(pc, "jsonPath") ? json_str(pc, "jsonPath") : "");
		i++;
	}
	if (!n) {
		ck->cols[1] = (struct table_col){ xstrdup("Age"), xstrdup("date"), xstrdup(""), xstrdup(age_desc), 0 };
		ck->paths[0] = xstrdup(".metadata.creationTimestamp");
	}
}

static void free_columns(struct crd_kind *ck)
{
	for (size_t i = 1; ck->cols && ck->cols[i].name; i++) {
		free((char *)ck->cols[i].name);
		free((char *)ck->cols[i].type);
		free((char *)ck->cols[i].format);
		free((char *)ck->cols[i].description);
	}
	for (size_t i = 0; ck->paths && ck->paths[i]; i++)
		free(ck->paths[i]);
	free(ck->cols);
	free(ck->paths);
}

const cJSON *crd_jsonpath(const cJSON *obj, const char *path)
{
	char seg[256];
	const char *p = path;
	if (*p == '{')
		p++;
	while (obj && *p && *p != '}') {
		if (*p == '.') {
			size_t n = strcspn(++p, ".[}");
			if (!n || n >= sizeof(seg))
				return NULL;
			memcpy(seg, p, n);
			seg[n] = 0;
			obj = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, seg) : NULL;
			p += n;
		} else if (*p == '[') {
			char *end;
			long idx = strtol(p + 1, &end, 10);
			if (*end != ']' || !cJSON_IsArray(obj))
				return NULL;
			obj = cJSON_GetArrayItem(obj, (int)idx);
			p = end + 1;
		} else {
			return NULL;
		}
	}
	return obj;
}

/* One cell as upstream's table convertor makes it: nothing found is null, dates are ages. */
static cJSON *cell(const struct table_col *col, const cJSON *v, int64_t now)
{
	int64_t t;
	char age[32];
	if (!v || cJSON_IsNull(v))
		return cJSON_CreateNull();
	if (!strcmp(col->type, "date") && cJSON_IsString(v) && !parse_rfc3339(v->valuestring, &t)) {
		human_duration(now - t, age, sizeof(age));
		return cJSON_CreateString(age);
	}
	if (!strcmp(col->type, "integer") && cJSON_IsNumber(v))
		return cJSON_CreateNumber((double)(int64_t)v->valuedouble);
	if ((!strcmp(col->type, "number") && cJSON_IsNumber(v)) || (!strcmp(col->type, "boolean") && cJSON_IsBool(v)))
		return cJSON_Duplicate(v, 1);
	if (cJSON_IsString(v))
		return cJSON_CreateString(v->valuestring);
	char *s = json_print_str(v);
	cJSON *c = cJSON_CreateString(s);
	free(s);
	return c;
}

const cJSON *crd_schema(const struct kind *k, int *preserve_unknown)
{
	const struct crd_kind *ck = k->flags & KIND_CUSTOM ? k->custom : NULL;
	*preserve_unknown = ck && ck->preserve_unknown;
	return ck ? ck->schema : NULL;
}

int crd_scale_paths(const struct kind *k, const char **spec, const char **status, const char **selector)
{
	const struct crd_kind *ck = k->flags & KIND_CUSTOM ? k->custom : NULL;
	if (!ck || !(k->flags & KIND_SCALE) || !ck->scale_spec)
		return -1;
	*spec = ck->scale_spec, *status = ck->scale_status, *selector = ck->scale_selector;
	return 0;
}

void crd_table_cells(const struct kind *k, const cJSON *obj, cJSON *cells, int64_t now)
{
	const char *name = json_strv(obj, "metadata", "name", NULL);
	cJSON_AddItemToArray(cells, cJSON_CreateString(name ? name : ""));
	for (size_t i = 0; k->col_paths && k->col_paths[i]; i++)
		cJSON_AddItemToArray(cells, cell(&k->cols[i + 1], crd_jsonpath(obj, k->col_paths[i]), now));
}

/* ---- kinds of a CRD ------------------------------------------------------------------------ */

static char **string_list(const cJSON *arr)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	char **out = xcalloc(n + 1, sizeof(*out));
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			out[i++] = xstrdup(it->valuestring);
	return out;
}

static struct crd_kind *kind_new(const cJSON *crd, const cJSON *version)
{
	const cJSON *spec = json_obj(crd, "spec"), *names = json_obj(spec, "names");
	struct crd_kind *ck = xcalloc(1, sizeof(*ck));
	const char *scope = json_str(spec, "scope");
	ck->group = dup_or(json_str(spec, "group"), NULL);
	ck->version = dup_or(json_str(version, "name"), NULL);
	ck->kindname = dup_or(json_str(names, "kind"), NULL);
	ck->plural = dup_or(json_str(names, "plural"), NULL);
	ck->singular = json_str(names, "singular") && *json_str(names, "singular") ? xstrdup(json_str(names, "singular"))
										    : lower(ck->kindname);
	const cJSON *sn;
	size_t i = 0;
	cJSON_ArrayForEach(sn, json_getv(names, "shortNames", NULL))
		if (cJSON_IsString(sn) && i < ARRAY_SIZE(ck->shorts) - 1)
			ck->shorts[i++] = xstrdup(sn->valuestring);
	ck->cats = string_list(json_getv(names, "categories", NULL));
	set_columns(ck, version);
	const cJSON *schema = json_getv(version, "schema", "openAPIV3Schema", NULL);
	ck->schema = cJSON_IsObject(schema) ? cJSON_Duplicate(schema, 1) : NULL;
	ck->preserve_unknown = json_true(spec, "preserveUnknownFields");
	struct kind *k = &ck->k;
	k->group = ck->group, k->version = ck->version, k->kind = ck->kindname;
	k->plural = ck->plural, k->singular = ck->singular;
	memcpy(k->short_names, ck->shorts, sizeof(k->short_names));
	k->flags = KIND_CUSTOM | KIND_GENERATION | (scope && !strcmp(scope, "Cluster") ? 0 : KIND_NAMESPACED);
	if (json_getv(version, "subresources", "status", NULL))
		k->flags |= KIND_STATUS;
	const cJSON *scale = json_getv(version, "subresources", "scale", NULL);
	if (cJSON_IsObject(scale)) {
		k->flags |= KIND_SCALE;
		ck->scale_spec = dup_or(json_str(scale, "specReplicasPath"), NULL);
		ck->scale_status = dup_or(json_str(scale, "statusReplicasPath"), NULL);
		ck->scale_selector = dup_or(json_str(scale, "labelSelectorPath"), NULL);
	}
	for (char **c = ck->cats; *c; c++)
		if (!strcmp(*c, "all"))
			k->flags |= KIND_ALL;
	k->name_rule = NAME_DNS1123_SUBDOMAIN;
	k->cols = ck->cols;
	k->col_paths = (const char *const *)ck->paths;
	k->categories = ck->cats[0] ? (const char *const *)ck->cats : NULL;
	k->custom = ck;
	return ck;
}

/* Retires the kinds of e (unregistered, kept) and empties e. */
static void entry_clear(struct crd_entry *e)
{
	for (size_t i = 0; i < e->n; i++) {
		registry_remove(&e->kinds[i]->k);
		retired = xrealloc(retired, (nretired + 1) * sizeof(*retired));
		retired[nretired++] = e->kinds[i];
	}
	free(e->kinds);
	e->kinds = NULL;
	e->n = 0;
	free(e->sig);
	e->sig = NULL;
}

static struct crd_entry *entry_find(const char *name, int create)
{
	for (size_t i = 0; i < nentries; i++)
		if (!strcmp(entries[i].name, name))
			return &entries[i];
	if (!create)
		return NULL;
	entries = xrealloc(entries, (nentries + 1) * sizeof(*entries));
	memset(&entries[nentries], 0, sizeof(*entries));
	entries[nentries].name = xstrdup(name);
	return &entries[nentries++];
}

const char *crd_conflict(const cJSON *obj)
{
	const char *name = json_strv(obj, "metadata", "name", NULL);
	const cJSON *spec = json_obj(obj, "spec"), *names = json_obj(spec, "names");
	const char *group = json_str(spec, "group"), *plural = json_str(names, "plural"), *kind = json_str(names, "kind");
	for (size_t i = 0; i < nentries; i++) {
		struct crd_entry *e = &entries[i];
		if (!e->n || (name && !strcmp(e->name, name)))
			continue;
		const struct kind *k = &e->kinds[0]->k;
		if (group && !strcmp(k->group, group) &&
		    ((plural && !strcmp(k->plural, plural)) || (kind && !strcmp(k->kind, kind))))
			return e->name;
	}
	return NULL;
}

/* Builds and registers the kinds of crd (a v1 CRD), replacing those it had. */
static void crd_sync(const cJSON *crd)
{
	const char *name = json_strv(crd, "metadata", "name", NULL);
	if (!name)
		return;
	struct crd_entry *e = entry_find(name, 1);
	char *sig = json_print_str(json_obj(crd, "spec"));
	if (e->sig && !strcmp(e->sig, sig)) {
		free(sig);
		return;
	}
	entry_clear(e);
	e->sig = sig;
	if (crd_conflict(crd))
		return;
	const cJSON *vs = json_getv(crd, "spec", "versions", NULL), *v;
	size_t n = (size_t)cJSON_GetArraySize(vs), m = 0;
	const cJSON **sorted = xcalloc(n + 1, sizeof(*sorted));
	cJSON_ArrayForEach(v, vs)
		if (json_true(v, "served") && json_str(v, "name"))
			sorted[m++] = v;
	qsort(sorted, m, sizeof(*sorted), version_cmp);
	e->kinds = xcalloc(m + 1, sizeof(*e->kinds));
	for (size_t i = 0; i < m; i++) {
		e->kinds[e->n] = kind_new(crd, sorted[i]);
		registry_add(&e->kinds[e->n++]->k);
	}
	free(sorted);
}

static void crd_forget(const char *key)
{
	struct crd_entry *e = entry_find(key + strlen(CRD_PREFIX), 0);
	if (e)
		entry_clear(e);
}

/* ---- following the store ------------------------------------------------------------------- */

static int load_one(struct store_kv *kv, void *data)
{
	(void)data;
	cJSON *obj = obj_parse(kv);
	if (obj)
		crd_sync(obj);
	cJSON_Delete(obj);
	return 0;
}

static void on_event(const struct store_event *ev, void *data)
{
	(void)data;
	if (ev->type == STORE_EV_DELETE) {
		crd_forget(ev->kv->key);
		return;
	}
	load_one(ev->kv, NULL);
}

static void on_watch_error(int status, void *data)
{
	struct crd_serve *c = data;
	c->watch = NULL;
	if (status != -KUBE_ECLOSED)
		log_error("crd: watch failed (%d)", status);
}

struct crd_serve *crd_serve_start(struct server *srv)
{
	struct crd_serve *c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	store_range(srv->store, CRD_PREFIX, NULL, load_one, NULL);
	c->watch = store_watch(srv->store, CRD_PREFIX, store_rev(srv->store), on_event, on_watch_error, c);
	return c;
}

static void kind_free(struct crd_kind *ck)
{
	struct kind *k = &ck->k;
	free(k->api_version), free(k->list_kind), free(k->qualified), free(k->qualified_kind), free(k->prefix);
	free(ck->group), free(ck->version), free(ck->kindname), free(ck->plural), free(ck->singular);
	for (size_t i = 0; i < ARRAY_SIZE(ck->shorts); i++)
		free(ck->shorts[i]);
	for (char **c = ck->cats; c && *c; c++)
		free(*c);
	free(ck->cats);
	free_columns(ck);
	cJSON_Delete(ck->schema);
	free(ck->scale_spec), free(ck->scale_status), free(ck->scale_selector);
	free(ck);
}

void crd_serve_stop(struct crd_serve *c)
{
	if (!c)
		return;
	if (c->watch)
		store_watch_cancel(c->watch);
	free(c);
}

/* Frees every custom kind (at exit, once nothing serves requests any more). */
void crd_serve_release(void)
{
	for (size_t i = 0; i < nentries; i++) {
		entry_clear(&entries[i]);
		free(entries[i].name);
	}
	free(entries);
	entries = NULL, nentries = 0;
	for (size_t i = 0; i < nretired; i++)
		kind_free(retired[i]);
	free(retired);
	retired = NULL, nretired = 0;
}
