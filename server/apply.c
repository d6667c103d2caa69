/*
 * apply.c - server-side apply and managedFields tracking: what upstream's field manager
 * (k8s.io/apimachinery/pkg/util/managedfields/internal) and structured-merge-diff's merge.Updater
 * do on each write, over the sets and walks of apply_set.c and apply_typed.c.
 *
 * DESIGN
 * Upstream stacks a dozen wrappers around one Updater; this file keeps their order as plain
 * steps. Entries are decoded from metadata.managedFields into struct entries (manager, operation,
 * apiVersion, subresource, time, field set, and upstream's identifier JSON used as the key).
 *
 * Update (every ordinary write): the fields that changed between the old object (or, on create,
 * the Go zero value of the kind, whose shape decides which struct nodes count as added) and the
 * new one are taken from every other entry and given to the writer's entry; removed fields are
 * taken from every entry; apiVersion/kind/metadata bookkeeping is never owned; status belongs to
 * the status subresource and spec to the main resource ("reset fields"); Update entries beyond
 * 10 are folded into "ancient-changes". An object without entries is not tracked until applied.
 *
 * Apply: the configuration is merged into the live object; what the manager applied last time
 * and no longer applies is pruned unless someone else owns it; the change from live to merged
 * is then checked against every other entry: fields they own that the apply adds or modifies
 * are conflicts (taken over with force). Manager "kubectl" may take over fields that still
 * hold their last-applied-configuration value, and gets that annotation refreshed.
 *
 * Everything is computed on copies; the caller's trees are only read (apply_patch) or only get
 * their managedFields replaced (apply_track_update).
 */
#include "server/apply_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"
#include "server/validate.h"
#include "lib/utf8.h"

#define MAX_UPDATE_MANAGERS 10
#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"
#define ANNOTATIONS_MAX (256 * 1024)
#define FIELD_MANAGER_MAX 128

/* ---- entries ------------------------------------------------------------------------------ */

/* One managedFields entry. */
struct entry {
	char *manager;
	int apply; /* operation Apply (else Update) */
	char *api_version;
	char *subresource; /* "" for the main resource */
	char *time;        /* RFC 3339, or NULL when the entry has none */
	struct apply_set *set;
	char *id; /* upstream's manager identifier: the entry's JSON without time and fields */
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

static void entry_release(struct entry *e)
{
	free(e->manager);
	free(e->api_version);
	free(e->subresource);
	free(e->time);
	free(e->id);
	apply_set_free(e->set);
	memset(e, 0, sizeof(*e));
}

static void entries_release(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		entry_release(&es->v[i]);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

/* BuildManagerIdentifier: the entry's JSON with only manager, operation, apiVersion (Update
 * entries only) and subresource, in Go's field order with omitempty. */
static char *make_id(const char *manager, int apply, const char *api_version, const char *subresource)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '{');
	if (*manager) {
		buf_adds(&b, "\"manager\":");
		apply__go_string(manager, &b);
		buf_addch(&b, ',');
	}
	buf_addf(&b, "\"operation\":\"%s\"", apply ? "Apply" : "Update");
	if (!apply && *api_version) {
		buf_adds(&b, ",\"apiVersion\":");
		apply__go_string(api_version, &b);
	}
	if (*subresource) {
		buf_adds(&b, ",\"subresource\":");
		apply__go_string(subresource, &b);
	}
	buf_addch(&b, '}');
	return buf_detach(&b, NULL);
}

static void entry_init(struct entry *e, const char *manager, int apply, const char *api_version,
		       const char *subresource)
{
	memset(e, 0, sizeof(*e));
	e->manager = xstrdup(manager);
	e->apply = apply;
	e->api_version = xstrdup(api_version);
	e->subresource = xstrdup(subresource ? subresource : "");
	e->id = make_id(e->manager, apply, e->api_version, e->subresource);
}

static struct entry *entries_find(const struct entries *es, const char *id)
{
	for (size_t i = 0; i < es->n; i++)
		if (!strcmp(es->v[i].id, id))
			return &es->v[i];
	return NULL;
}

/* Adds e (taken over), replacing an entry with the same identifier. */
static struct entry *entries_put(struct entries *es, struct entry *e)
{
	struct entry *old = entries_find(es, e->id);
	if (old) {
		entry_release(old);
		*old = *e;
		return old;
	}
	if (es->n == es->cap) {
		es->cap = es->cap ? 2 * es->cap : 8;
		es->v = xrealloc(es->v, es->cap * sizeof(*es->v));
	}
	es->v[es->n] = *e;
	return &es->v[es->n++];
}

static void entries_remove(struct entries *es, struct entry *e)
{
	size_t i = (size_t)(e - es->v);
	entry_release(e);
	memmove(&es->v[i], &es->v[i + 1], (es->n - i - 1) * sizeof(*es->v));
	es->n--;
}

static void entries_copy(struct entries *dst, const struct entries *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->n; i++) {
		const struct entry *s = &src->v[i];
		struct entry e;
		entry_init(&e, s->manager, s->apply, s->api_version, s->subresource);
		e.time = s->time ? xstrdup(s->time) : NULL;
		e.set = apply__set_copy(s->set);
		free(e.id);
		e.id = xstrdup(s->id);
		entries_put(dst, &e);
	}
}

/* Drops the entries with nothing left. */
static void entries_prune_empty(struct entries *es)
{
	for (size_t i = 0; i < es->n;)
		if (apply_set_empty(es->v[i].set))
			entries_remove(es, &es->v[i]);
		else
			i++;
}

/* ---- decoding and encoding metadata.managedFields ----------------------------------------- */

static const char *str_or_empty(const cJSON *o, const char *key)
{
	const char *s = json_str(o, key);
	return s ? s : "";
}

/* Normalised time of an entry (seconds, UTC), or NULL. */
static char *entry_time(const cJSON *item)
{
	const char *t = json_str(item, "time");
	int64_t secs;
	char out[21];
	if (!t || parse_rfc3339(t, &secs) < 0)
		return NULL;
	format_rfc3339(secs, out);
	return xstrdup(out);
}

/* Decodes one entry (index i) into e. Returns 0 or -1 with upstream's message. */
static int decode_entry(const cJSON *item, int i, struct entry *e, struct buf *err)
{
	const char *op = str_or_empty(item, "operation"), *ft = str_or_empty(item, "fieldsType");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(item, "fieldsV1");
	struct buf why = BUF_INIT;
	if (!cJSON_IsObject(item) || (strcmp(op, "Apply") && strcmp(op, "Update")))
		return buf_adds(err, "operation must be `Apply` or `Update`"), -1;
	if (!*str_or_empty(item, "apiVersion"))
		return buf_adds(err, "apiVersion must not be empty"), -1;
	if (!*ft)
		return buf_addf(err, "missing fieldsType in managed fields entry %d", i), -1;
	if (strcmp(ft, "FieldsV1")) {
		buf_adds(err, "invalid fieldsType ");
		field_quote(err, ft);
		return buf_addf(err, " in managed fields entry %d", i), -1;
	}
	entry_init(e, str_or_empty(item, "manager"), !strcmp(op, "Apply"), json_str(item, "apiVersion"),
		   str_or_empty(item, "subresource"));
	e->time = entry_time(item);
	e->set = fields ? apply_set_parse(fields, &why) : apply__set_new();
	if (!e->set) {
		buf_addf(err, "error decoding versioned set from managed fields entry %d: error decoding set: %s", i,
			 buf_str(&why));
		buf_release(&why);
		entry_release(e);
		return -1;
	}
	buf_release(&why);
	return 0;
}

/* DecodeManagedFields. mf may be NULL (no entries). Returns 0 or -1 with a message. */
static int decode_entries(const cJSON *mf, struct entries *es, struct buf *err)
{
	const cJSON *item;
	int i = 0;
	memset(es, 0, sizeof(*es));
	if (!mf || cJSON_IsNull(mf))
		return 0;
	if (!cJSON_IsArray(mf))
		return buf_adds(err, "managedFields must be a list"), -1;
	cJSON_ArrayForEach(item, mf) {
		struct entry e;
		if (decode_entry(item, i++, &e, err) < 0) {
			entries_release(es);
			return -1;
		}
		entries_put(es, &e);
	}
	return 0;
}

static int64_t entry_secs(const struct entry *e)
{
	int64_t s = 0;
	if (e->time)
		parse_rfc3339(e->time, &s);
	return s;
}

/* upstream's sortEncodedManagedFields: operation, time, manager, apiVersion, subresource. */
static int entry_order(const void *a, const void *b)
{
	const struct entry *p = a, *q = b;
	int64_t ps = entry_secs(p), qs = entry_secs(q);
	int c;
	if (p->apply != q->apply)
		return p->apply ? -1 : 1;
	if (ps != qs)
		return ps < qs ? -1 : 1;
	if ((c = strcmp(p->manager, q->manager)) || (c = strcmp(p->api_version, q->api_version)))
		return c;
	return strcmp(p->subresource, q->subresource);
}

static cJSON *encode_entry(const struct entry *e)
{
	cJSON *o = cJSON_CreateObject();
	if (*e->manager)
		cJSON_AddStringToObject(o, "manager", e->manager);
	cJSON_AddStringToObject(o, "operation", e->apply ? "Apply" : "Update");
	if (*e->api_version)
		cJSON_AddStringToObject(o, "apiVersion", e->api_version);
	if (e->time)
		cJSON_AddStringToObject(o, "time", e->time);
	cJSON_AddStringToObject(o, "fieldsType", "FieldsV1");
	cJSON_AddItemToObject(o, "fieldsV1", apply__set_json(e->set));
	if (*e->subresource)
		cJSON_AddStringToObject(o, "subresource", e->subresource);
	return o;
}

/* Writes the entries, sorted, into obj's metadata.managedFields (removed when there are none). */
static void encode_entries(struct entries *es, cJSON *obj)
{
	cJSON *meta = json_obj(obj, "metadata"), *arr;
	if (!es->n) {
		json_del(meta, "managedFields");
		return;
	}
	qsort(es->v, es->n, sizeof(*es->v), entry_order);
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < es->n; i++)
		cJSON_AddItemToArray(arr, encode_entry(&es->v[i]));
	json_set(json_obj_force(obj, "metadata"), "managedFields", arr);
}

/* Drops the entries of other API versions: upstream cannot convert the object to them and
 * deletes them on the next write. */
static void entries_reconcile(struct entries *es, const char *api_version)
{
	for (size_t i = 0; i < es->n;)
		if (strcmp(es->v[i].api_version, api_version))
			entries_remove(es, &es->v[i]);
		else
			i++;
}

/* ---- the operation's context -------------------------------------------------------------- */

struct ctx {
	const struct apply_op *op;
	struct aty top;
	struct apply_set *ignored; /* the reset fields: never owned through this endpoint */
	struct apply_set *strip;   /* stripMeta: bookkeeping nobody owns */
};

static void insert_fields(struct apply_set *s, const char *a, const char *b)
{
	struct ape p[2] = { { .kind = APE_FIELD, .name = a }, { .kind = APE_FIELD, .name = b } };
	apply__set_insert(s, p, b ? 2 : 1);
}

static void ctx_init(struct ctx *c, const struct apply_op *op)
{
	static const char *const meta[] = { "name", "namespace", "creationTimestamp", "selfLink", "uid",
					     "clusterName", "generation", "managedFields", "resourceVersion" };
	const char *sub = op->subresource ? op->subresource : "";
	c->op = op;
	c->top = apply__aty_top(op->type);
	c->strip = apply__set_new();
	insert_fields(c->strip, "apiVersion", NULL);
	insert_fields(c->strip, "kind", NULL);
	insert_fields(c->strip, "metadata", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(meta); i++)
		insert_fields(c->strip, "metadata", meta[i]);
	c->ignored = apply__set_new();
	if (!*sub && sch_field(op->type, "status"))
		insert_fields(c->ignored, "status", NULL);
	else if (!strcmp(sub, "status") && sch_field(op->type, "spec"))
		insert_fields(c->ignored, "spec", NULL);
}

static void ctx_release(struct ctx *c)
{
	apply_set_free(c->ignored);
	apply_set_free(c->strip);
}

/* Replaces *s by *s op t (a function returning a new set). */
static void set_apply(struct apply_set **s, struct apply_set *(*fn)(const struct apply_set *, const struct apply_set *),
		      const struct apply_set *t)
{
	struct apply_set *n = fn(*s, t);
	apply_set_free(*s);
	*s = n;
}

/* ---- the Go zero value of a kind ---------------------------------------------------------- */

#define ZMETA "\"metadata\":{\"creationTimestamp\":null}"
#define ZTEMPLATE "{" ZMETA ",\"spec\":{\"containers\":null}}"

/* The nodes a freshly allocated Go object of the kind already has (non-pointer structs, and
 * slices and pointers without omitempty as null): upstream compares a create against it, so
 * these nodes are never "added". Scalars are left out: they do not change what is owned. */
static const struct {
	const struct sch_type *type;
	const char *json;
} zero_shapes[] = {
	{ &sch_apps_Deployment, "{" ZMETA ",\"spec\":{\"selector\":null,\"template\":" ZTEMPLATE
				",\"strategy\":{}},\"status\":{}}" },
	{ &sch_apps_ReplicaSet, "{" ZMETA ",\"spec\":{\"selector\":null,\"template\":" ZTEMPLATE "},\"status\":{}}" },
	{ &sch_apps_StatefulSet, "{" ZMETA ",\"spec\":{\"selector\":null,\"template\":" ZTEMPLATE
				 ",\"updateStrategy\":{}},\"status\":{}}" },
	{ &sch_apps_DaemonSet, "{" ZMETA ",\"spec\":{\"selector\":null,\"template\":" ZTEMPLATE
			       ",\"updateStrategy\":{}},\"status\":{}}" },
	{ &sch_apps_ControllerRevision, "{" ZMETA ",\"data\":null}" },
	{ &sch_batch_Job, "{" ZMETA ",\"spec\":{\"template\":" ZTEMPLATE "},\"status\":{}}" },
	{ &sch_batch_CronJob, "{" ZMETA ",\"spec\":{\"jobTemplate\":{" ZMETA ",\"spec\":{\"template\":" ZTEMPLATE
			      "}}},\"status\":{}}" },
	{ &sch_core_Pod, "{" ZMETA ",\"spec\":{\"containers\":null},\"status\":{}}" },
	{ &sch_core_Service, "{" ZMETA ",\"spec\":{},\"status\":{\"loadBalancer\":{}}}" },
	{ &sch_core_PersistentVolumeClaim, "{" ZMETA ",\"spec\":{\"resources\":{}},\"status\":{}}" },
	{ &sch_core_Node, "{" ZMETA ",\"spec\":{},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{}},"
			  "\"nodeInfo\":{}}}" },
	{ &sch_core_Event, "{" ZMETA ",\"involvedObject\":{},\"source\":{}}" },
	{ &sch_events_Event, "{" ZMETA ",\"regarding\":{},\"deprecatedSource\":{}}" },
	{ &sch_discovery_EndpointSlice, "{" ZMETA ",\"endpoints\":null,\"ports\":null}" },
};

static cJSON *zero_object(const struct sch_type *t)
{
	cJSON *o;
	for (size_t i = 0; i < ARRAY_SIZE(zero_shapes); i++)
		if (zero_shapes[i].type == t)
			return json_parse(zero_shapes[i].json, strlen(zero_shapes[i].json), NULL);
	o = json_parse("{" ZMETA "}", strlen("{" ZMETA "}"), NULL);
	if (sch_field(t, "spec") && sch_field(t, "spec")->kind == SK_OBJECT)
		cJSON_AddItemToObject(o, "spec", cJSON_CreateObject());
	if (sch_field(t, "status") && sch_field(t, "status")->kind == SK_OBJECT)
		cJSON_AddItemToObject(o, "status", cJSON_CreateObject());
	return o;
}

/* A copy of obj without metadata.managedFields (nobody owns them; they are rewritten). */
static cJSON *without_managed(const cJSON *obj)
{
	cJSON *c = cJSON_Duplicate(obj, 1);
	json_del(json_obj(c, "metadata"), "managedFields");
	return c;
}

/* ---- Updater.update: ownership after a change --------------------------------------------- */

struct change {
	struct apply_set *added, *modified, *removed;
};

static void change_compute(const struct ctx *c, const cJSON *old, const cJSON *new, struct change *ch)
{
	ch->added = apply__set_new();
	ch->modified = apply__set_new();
	ch->removed = apply__set_new();
	apply__compare(c->top, old, new, ch->added, ch->modified, ch->removed);
	set_apply(&ch->added, apply__set_rdiff, c->ignored);
	set_apply(&ch->modified, apply__set_rdiff, c->ignored);
	set_apply(&ch->removed, apply__set_rdiff, c->ignored);
}

static void change_release(struct change *ch)
{
	apply_set_free(ch->added);
	apply_set_free(ch->modified);
	apply_set_free(ch->removed);
}

/* Every entry but workflow loses what changed (conflicts, kept in *conflicts when not NULL) and
 * what was removed; entries left empty are dropped. Without force, conflicts are only reported
 * (returns -KUBE_ECONFLICT and leaves es alone). */
static int update_owners(struct entries *es, const struct change *ch, const char *workflow, int force,
			 struct entries *conflicts)
{
	struct apply_set *changed = apply__set_union(ch->modified, ch->added);
	struct entries found = { NULL, 0, 0 };
	for (size_t i = 0; i < es->n; i++) {
		struct entry *e = &es->v[i], cf;
		struct apply_set *x;
		if (!strcmp(e->id, workflow))
			continue;
		x = apply__set_intersect(e->set, changed);
		if (apply_set_empty(x)) {
			apply_set_free(x);
			continue;
		}
		entry_init(&cf, e->manager, e->apply, e->api_version, e->subresource);
		cf.time = e->time ? xstrdup(e->time) : NULL;
		cf.set = x;
		entries_put(&found, &cf);
	}
	apply_set_free(changed);
	if (found.n && !force) {
		if (conflicts)
			*conflicts = found;
		else
			entries_release(&found);
		return -KUBE_ECONFLICT;
	}
	for (size_t i = 0; i < es->n; i++) {
		struct entry *e = &es->v[i], *cf = entries_find(&found, e->id);
		if (!strcmp(e->id, workflow))
			continue;
		if (cf)
			set_apply(&e->set, apply__set_diff, cf->set);
		set_apply(&e->set, apply__set_diff, ch->removed);
	}
	entries_release(&found);
	entries_prune_empty(es);
	return 0;
}

/* ---- Update: ordinary writes --------------------------------------------------------------- */

/* The Update of the writer `manager` from old to new (both without managedFields), with
 * managedFieldsUpdater's bookkeeping: the change goes to "current-operation" first, then is
 * folded into the writer's entry, whose time becomes now. */
static void track(const struct ctx *c, struct entries *es, const cJSON *old, const cJSON *new, const char *manager)
{
	const struct apply_op *op = c->op;
	struct change ch;
	struct entry e, *prev;
	struct apply_set *cur;
	entries_reconcile(es, op->api_version);
	change_compute(c, old, new, &ch);
	update_owners(es, &ch, "current-operation", 1, NULL);
	cur = apply__set_union(ch.modified, ch.added);
	set_apply(&cur, apply__set_diff, ch.removed);
	set_apply(&cur, apply__set_diff, c->strip);
	change_release(&ch);
	if (apply_set_empty(cur)) {
		apply_set_free(cur);
		return;
	}
	entry_init(&e, *manager ? manager : "unknown", 0, op->api_version, op->subresource);
	if ((prev = entries_find(es, e.id)))
		set_apply(&cur, apply__set_union, prev->set);
	e.set = cur;
	e.time = xstrdup(op->now);
	entries_put(es, &e);
}

static int updater_order(const void *a, const void *b)
{
	const struct entry *p = *(const struct entry *const *)a, *q = *(const struct entry *const *)b;
	int64_t ps = entry_secs(p), qs = entry_secs(q);
	if (ps != qs)
		return ps < qs ? -1 : 1;
	return strcmp(p->id, q->id);
}

/* capManagers: folds the oldest Update entries into one "ancient-changes" entry per API version
 * until at most MAX_UPDATE_MANAGERS Update entries are left. */
static void cap_updaters(struct entries *es)
{
	size_t n = 0, len;
	char **ids, *first = NULL;
	for (size_t i = 0; i < es->n; i++)
		n += !es->v[i].apply;
	if (n <= MAX_UPDATE_MANAGERS)
		return;
	const struct entry **order = xcalloc(n, sizeof(*order));
	ids = xcalloc(n, sizeof(*ids));
	n = 0;
	for (size_t i = 0; i < es->n; i++)
		if (!es->v[i].apply)
			order[n++] = &es->v[i];
	qsort(order, n, sizeof(*order), updater_order);
	for (size_t i = 0; i < n; i++)
		ids[i] = xstrdup(order[i]->id);
	free(order);
	len = n;
	/* Every entry of this object has the served apiVersion (entries_reconcile), so there is one
	 * bucket: the first (oldest) updater is its seed. */
	for (size_t i = 0; i < n && len > MAX_UPDATE_MANAGERS; i++) {
		struct entry *e = entries_find(es, ids[i]), *bucket;
		char *bid = make_id("ancient-changes", 0, e->api_version, "");
		if (!first) {
			first = ids[i];
		} else if (strcmp(ids[i], bid)) {
			if (!(bucket = entries_find(es, bid))) {
				struct entry b, *f = entries_find(es, first);
				entry_init(&b, "ancient-changes", 0, f->api_version, "");
				b.set = apply__set_copy(f->set);
				entries_remove(es, f);
				bucket = entries_put(es, &b);
				e = entries_find(es, ids[i]);
			}
			set_apply(&bucket->set, apply__set_union, e->set);
			free(bucket->time);
			bucket->time = e->time ? xstrdup(e->time) : NULL;
			entries_remove(es, e);
			len--;
		}
		free(bid);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* isResetManagedFields: an empty list, or a list of one empty entry. */
static int is_reset(const cJSON *mf)
{
	const cJSON *c;
	if (!cJSON_IsArray(mf))
		return 0;
	if (!mf->child)
		return 1;
	if (mf->child->next || !cJSON_IsObject(mf->child))
		return 0;
	cJSON_ArrayForEach(c, mf->child)
		if (!cJSON_IsNull(c) && !(cJSON_IsString(c) && !*c->valuestring))
			return 0;
	return 1;
}

/* decodeLiveOrNew: the entries an update starts from; *reset when the client cleared them. */
static void update_entries(const struct apply_op *op, const cJSON *old, const cJSON *obj, struct entries *es,
			   int *reset)
{
	const cJSON *mf = json_getv(obj, "metadata", "managedFields", NULL);
	struct buf err = BUF_INIT;
	*reset = 0;
	memset(es, 0, sizeof(*es));
	if (!(op->subresource && *op->subresource)) {
		if (is_reset(mf)) {
			*reset = 1;
			return;
		}
		if (decode_entries(mf, es, &err) == 0 && es->n)
			goto out;
		entries_release(es);
	}
	if (decode_entries(json_getv(old, "metadata", "managedFields", NULL), es, &err) < 0)
		entries_release(es);
out:
	buf_release(&err);
}

void apply_track_update(const struct apply_op *op, const cJSON *old, cJSON *obj)
{
	struct ctx c;
	struct entries es;
	int reset;
	cJSON *before, *after;
	if (!cJSON_IsObject(obj))
		return;
	update_entries(op, old, obj, &es, &reset);
	json_del(json_obj(obj, "metadata"), "managedFields");
	/* Upstream skips tracking updates of an object without entries (skipNonApplied, for
	 * objects older than server-side apply); kube tracks every write, as 1.20 servers did for
	 * objects created with fields (a Node created with only status, a reset field, would never
	 * record `kubectl taint`). A client's explicit reset still leaves the object without. */
	if (reset && old)
		return;
	ctx_init(&c, op);
	before = old ? without_managed(old) : zero_object(op->type);
	after = without_managed(obj);
	track(&c, &es, before, after, op->manager ? op->manager : "");
	cap_updaters(&es);
	encode_entries(&es, obj);
	cJSON_Delete(before);
	cJSON_Delete(after);
	entries_release(&es);
	ctx_release(&c);
}

/* ---- Apply -------------------------------------------------------------------------------- */

/* Replaces *s by its EnsureNamedFieldsAreMembers form. */
static void named(const struct ctx *c, struct apply_set **s)
{
	struct apply_set *n = apply__named(c->top, *s);
	apply_set_free(*s);
	*s = n;
}

static struct apply_set *named_set_of(const struct ctx *c, const cJSON *v)
{
	struct apply_set *s = apply__set_new();
	apply__to_set(c->top, v, s);
	named(c, &s);
	return s;
}

/* Updater.prune: removes from merged what manager applied last time (last), does not apply
 * now, and nobody else owns. Returns a new tree. */
static cJSON *prune(const struct ctx *c, const cJSON *merged, const struct entries *es, const struct apply_set *last)
{
	struct apply_set *l, *m, *p, *owned, *keep, *drop;
	cJSON *pruned, *out;
	if (!last || apply_set_empty(last))
		return cJSON_Duplicate(merged, 1);
	l = apply__named(c->top, last);
	owned = apply__set_new();
	for (size_t i = 0; i < es->n; i++)
		set_apply(&owned, apply__set_union, es->v[i].set);
	named(c, &owned);
	m = named_set_of(c, merged);
	/* addBackOwnedItems: remove what pruning removed unless someone owns it */
	pruned = apply__remove(c->top, merged, l);
	p = named_set_of(c, pruned);
	keep = apply__set_union(p, owned);
	drop = apply__set_diff(m, keep);
	cJSON_Delete(pruned);
	pruned = apply__remove(c->top, merged, drop);
	apply_set_free(p);
	apply_set_free(keep);
	apply_set_free(drop);
	/* addBackDanglingItems: only ever remove what the manager owned */
	p = named_set_of(c, pruned);
	drop = apply__set_diff(m, p);
	set_apply(&drop, apply__set_intersect, l);
	out = apply__remove(c->top, merged, drop);
	cJSON_Delete(pruned);
	apply_set_free(p);
	apply_set_free(drop);
	apply_set_free(m);
	apply_set_free(l);
	apply_set_free(owned);
	return out;
}

/* Updater.Apply on a copy of es: merge, prune, then the ownership change. On success es is
 * replaced, the manager's entry has the applied fields (minus stripMeta's) and *merged the new
 * object; on conflicts (without force) es is unchanged and *found gets them. *changed says
 * whether the object differs from live. */
static int apply_core(const struct ctx *c, struct entries *es, const cJSON *live, const cJSON *config,
		      int force, cJSON **merged, int *changed, struct entries *found)
{
	const struct apply_op *op = c->op;
	struct entries work;
	struct entry e, *prev;
	struct apply_set *last = NULL;
	struct change ch;
	cJSON *m;
	char *id;
	int r;
	entries_copy(&work, es);
	entries_reconcile(&work, op->api_version);
	m = apply__merge(c->top, live, config);
	entry_init(&e, op->manager, 1, op->api_version, op->subresource);
	if ((prev = entries_find(&work, e.id))) {
		last = apply__set_copy(prev->set);
		e.time = prev->time ? xstrdup(prev->time) : NULL;
	}
	e.set = apply__set_new();
	apply__to_set(c->top, config, e.set);
	set_apply(&e.set, apply__set_rdiff, c->ignored);
	id = xstrdup(e.id);
	entries_put(&work, &e);
	*merged = prune(c, m, &work, last);
	cJSON_Delete(m);
	apply_set_free(last);
	change_compute(c, live, *merged, &ch);
	r = update_owners(&work, &ch, id, force, found);
	change_release(&ch);
	if (r < 0) {
		cJSON_Delete(*merged);
		*merged = NULL;
		entries_release(&work);
		free(id);
		return r;
	}
	if ((prev = entries_find(&work, id))) { /* stripMeta */
		set_apply(&prev->set, apply__set_diff, c->strip);
		if (apply_set_empty(prev->set))
			entries_remove(&work, prev);
	}
	*changed = !apply__equal(live, *merged);
	entries_release(es);
	*es = work;
	free(id);
	return 0;
}

/* lastAppliedManager: the fields whose live value still is the one in the client-side apply
 * annotation (kubectl apply --server-side may take them over without force), or NULL. */
static struct apply_set *last_applied_allowed(const struct ctx *c, const cJSON *live)
{
	const char *la = json_strv(live, "metadata", "annotations", LAST_APPLIED, NULL);
	struct apply_set *s = NULL;
	struct buf err = BUF_INIT;
	struct change ch = { NULL, NULL, NULL };
	cJSON *obj;
	if (!la || !*la || !(obj = json_parse(la, strlen(la), NULL)))
		return NULL;
	if (cJSON_IsObject(obj) && !strcmp(str_or_empty(obj, "apiVersion"), c->op->api_version) &&
	    apply__validate(c->top, obj, &err) == 0) {
		s = apply__set_new();
		apply__to_set(c->top, obj, s);
		ch.added = apply__set_new();
		ch.modified = apply__set_new();
		ch.removed = apply__set_new();
		apply__compare(c->top, obj, live, ch.added, ch.modified, ch.removed);
		set_apply(&s, apply__set_diff, ch.modified);
		set_apply(&s, apply__set_diff, ch.added);
		set_apply(&s, apply__set_diff, ch.removed);
		change_release(&ch);
	}
	buf_release(&err);
	cJSON_Delete(obj);
	return s;
}

struct filter {
	const struct apply_set *allowed;
	struct apply_set *left;
};

static void keep_disallowed(const struct ape *p, size_t n, void *ctx)
{
	struct filter *f = ctx;
	if (!apply__set_has(f->allowed, p, n))
		apply__set_insert(f->left, p, n);
}

/* Removes from each conflict what allowed covers; returns nonzero when none is left. */
static int conflicts_allowed(struct entries *found, const struct apply_set *allowed)
{
	for (size_t i = 0; i < found->n; i++) {
		struct filter f = { allowed, apply__set_new() };
		apply__set_iterate(found->v[i].set, keep_disallowed, &f);
		apply_set_free(found->v[i].set);
		found->v[i].set = f.left;
	}
	entries_prune_empty(found);
	return found->n == 0;
}

/* printManager: `"m"`, `"m" with subresource "s"`, then ` using apps/v1` for Update entries. */
static void print_manager(const struct entry *e, struct buf *out)
{
	field_quote(out, e->manager);
	if (*e->subresource) {
		buf_adds(out, " with subresource ");
		field_quote(out, e->subresource);
	}
	if (!e->apply)
		buf_addf(out, " using %s", e->api_version);
}

struct conflict_ctx {
	struct apply_conflicts *out;
	const char *who;
	struct buf *msg;
};

static void add_conflict(const struct ape *p, size_t n, void *ctx)
{
	struct conflict_ctx *cc = ctx;
	struct apply_conflicts *o = cc->out;
	struct buf b = BUF_INIT;
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	apply__path_string(p, n, &b);
	o->v[o->n].message = xasprintf("conflict with %s", cc->who);
	o->v[o->n++].field = buf_detach(&b, NULL);
	buf_addf(cc->msg, "\n- %s", o->v[o->n - 1].field);
}

static int id_order(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

/* NewConflictError's causes and message, managers sorted by identifier. */
static void conflicts_fill(struct entries *found, struct apply_conflicts *out)
{
	struct buf msg = BUF_INIT, who = BUF_INIT;
	struct conflict_ctx cc = { out, NULL, &msg };
	qsort(found->v, found->n, sizeof(*found->v), id_order);
	for (size_t i = 0; i < found->n; i++) {
		buf_reset(&who);
		print_manager(&found->v[i], &who);
		cc.who = buf_str(&who);
		buf_addf(&msg, "%sconflicts with %s:", i ? "\n" : "", cc.who);
		apply__set_iterate(found->v[i].set, add_conflict, &cc);
	}
	if (out->n == 1)
		out->message = xasprintf("Apply failed with 1 conflict: %s: %s", out->v[0].message, out->v[0].field);
	else
		out->message = xasprintf("Apply failed with %zu conflicts: %s", out->n, buf_str(&msg));
	buf_release(&msg);
	buf_release(&who);
}

void apply_conflicts_release(struct apply_conflicts *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].message);
		free(c->v[i].field);
	}
	free(c->v);
	free(c->message);
	memset(c, 0, sizeof(*c));
}

/* GroupVersionKind.String() of apiVersion and kind ("/, Kind=" when apiVersion does not parse). */
static void gvk_string(const char *api_version, const char *kind, struct buf *out)
{
	const char *slash = strchr(api_version, '/');
	if (slash && strchr(slash + 1, '/'))
		buf_adds(out, "/, Kind=");
	else if (slash)
		buf_addf(out, "%s, Kind=%s", api_version, kind);
	else
		buf_addf(out, "/%s, Kind=%s", api_version, kind);
}

/* The checks upstream makes before merging: versionCheck, the managedFields of the applied
 * configuration, its typed conversion. */
static int check_applied(const struct ctx *c, const cJSON *applied, struct buf *err)
{
	struct buf got = BUF_INIT, want = BUF_INIT, why = BUF_INIT;
	int r = 0;
	gvk_string(str_or_empty(applied, "apiVersion"), str_or_empty(applied, "kind"), &got);
	gvk_string(c->op->api_version, c->op->kind, &want);
	if (!cJSON_IsObject(applied) || strcmp(buf_str(&got), buf_str(&want))) {
		buf_addf(err, "invalid object type: %s", buf_str(&got));
		r = -KUBE_EINVAL;
	} else if (cJSON_IsArray(json_getv(applied, "metadata", "managedFields", NULL))) {
		buf_adds(err, "metadata.managedFields must be nil");
		r = -KUBE_EINVAL;
	} else if (apply__validate(c->top, applied, &why) < 0) {
		buf_addf(err, "failed to create typed patch object (%s/%s; %s): %s",
			 json_strv(applied, "metadata", "namespace", NULL) ? json_strv(applied, "metadata", "namespace", NULL) : "",
			 json_strv(applied, "metadata", "name", NULL) ? json_strv(applied, "metadata", "name", NULL) : "",
			 buf_str(&got), buf_str(&why));
		r = -EBADMSG;
	}
	buf_release(&got);
	buf_release(&want);
	buf_release(&why);
	return r;
}

/* Drops the null members of objects that live does not have as null at the same place: Go's
 * decoding into typed objects drops what the merge left null (cleared scalars, emptied
 * containers), while live's own nulls (a template's creationTimestamp) are as Go writes them. */
static void strip_nulls(cJSON *v, const cJSON *live)
{
	cJSON *c = v ? v->child : NULL, *next;
	for (; c; c = next) {
		const cJSON *l = cJSON_IsObject(v) && cJSON_IsObject(live) ? cJSON_GetObjectItemCaseSensitive(live, c->string)
									   : NULL;
		next = c->next;
		if (cJSON_IsObject(v) && cJSON_IsNull(c) && !cJSON_IsNull(l))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
		else
			strip_nulls(c, l);
	}
}

/* apiVersion and kind first, as manifests and upstream's answers have them. */
static void type_meta_first(cJSON *obj)
{
	static const char *const keys[] = { "kind", "apiVersion" };
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(obj, keys[i]);
		if (v)
			cJSON_InsertItemInArray(obj, 0, v);
	}
}

/* lastAppliedUpdater: kubectl's apply --server-side keeps the client-side annotation, when the
 * object has one, equal to the applied configuration (Go's JSON of it, and "\n"); it is dropped
 * when it would push the annotations past 256 KiB. */
static void refresh_last_applied(cJSON *obj, const cJSON *config)
{
	cJSON *ann = json_getv(obj, "metadata", "annotations", NULL), *cfg, *cann, *a;
	const char *cur = json_str(ann, LAST_APPLIED);
	struct buf b = BUF_INIT;
	size_t total = 0;
	if (!cur || !*cur)
		return;
	cfg = cJSON_Duplicate(config, 1);
	cann = json_getv(cfg, "metadata", "annotations", NULL);
	if (cJSON_IsObject(cann))
		json_del(cann, LAST_APPLIED);
	else if (cann)
		json_del(json_obj(cfg, "metadata"), "annotations");
	apply__go_json(cfg, &b);
	buf_addch(&b, '\n');
	json_set_str(ann, LAST_APPLIED, b.data);
	cJSON_ArrayForEach(a, ann)
		total += strlen(a->string) + (cJSON_IsString(a) ? strlen(a->valuestring) : 0);
	if (total > ANNOTATIONS_MAX)
		json_del(ann, LAST_APPLIED);
	buf_release(&b);
	cJSON_Delete(cfg);
}

/* Runs the apply with lastAppliedManager's retry. Returns 0 or -KUBE_ECONFLICT (found filled). */
static int apply_with_upgrade(const struct ctx *c, struct entries *es, const cJSON *base, const cJSON *applied,
			      cJSON **merged, int *changed, struct entries *found)
{
	struct apply_set *allowed;
	int r = apply_core(c, es, base, applied, c->op->force, merged, changed, found);
	if (r == 0 || strcmp(c->op->manager, "kubectl"))
		return r;
	if (!(allowed = last_applied_allowed(c, base)))
		return r;
	if (conflicts_allowed(found, allowed)) {
		entries_release(found);
		r = apply_core(c, es, base, applied, 1, merged, changed, found);
	}
	apply_set_free(allowed);
	return r;
}

int apply_patch(const struct apply_op *op, const cJSON *live, const cJSON *applied, cJSON **out,
		struct apply_conflicts *conflicts, struct buf *err)
{
	struct ctx c;
	struct entries es = { NULL, 0, 0 }, found = { NULL, 0, 0 };
	struct buf e = BUF_INIT;
	cJSON *base = NULL, *merged = NULL;
	int r, changed = 0;
	*out = NULL;
	if (!op->manager || !op->kind || !op->api_version || !op->now) {
		if (err)
			buf_adds(err, "apply: incomplete operation");
		return -KUBE_EINVAL;
	}
	ctx_init(&c, op);
	if (live && decode_entries(json_getv(live, "metadata", "managedFields", NULL), &es, &e) < 0) {
		if (err)
			buf_addf(err, "failed to decode managed fields: %s", buf_str(&e));
		r = -EBADMSG;
		goto out;
	}
	if ((r = check_applied(&c, applied, &e)) < 0) {
		if (err)
			buf_add(err, e.data, e.len);
		goto out;
	}
	base = live ? without_managed(live) : zero_object(op->type);
	if (live && !es.n) { /* skipNonApplied: the existing fields go to before-first-apply */
		cJSON *zero = zero_object(op->type);
		track(&c, &es, zero, base, "before-first-apply");
		cap_updaters(&es);
		cJSON_Delete(zero);
	}
	if ((r = apply_with_upgrade(&c, &es, base, applied, &merged, &changed, &found)) < 0) {
		if (conflicts)
			conflicts_fill(&found, conflicts);
		goto out;
	}
	if (changed) { /* managedFieldsUpdater: the applier's time moves only with the object */
		char *id = make_id(op->manager, 1, op->api_version, op->subresource ? op->subresource : "");
		struct entry *me = entries_find(&es, id);
		if (me) {
			free(me->time);
			me->time = xstrdup(op->now);
		}
		free(id);
	}
	if (changed) {
		strip_nulls(merged, live);
		if (!live)
			type_meta_first(merged);
		*out = merged;
		merged = NULL;
	} else {
		*out = cJSON_Duplicate(base, 1);
	}
	if (!strcmp(op->manager, "kubectl"))
		refresh_last_applied(*out, applied);
	encode_entries(&es, *out);
out:
	cJSON_Delete(base);
	cJSON_Delete(merged);
	entries_release(&es);
	entries_release(&found);
	buf_release(&e);
	ctx_release(&c);
	return r;
}

/* ---- request helpers ---------------------------------------------------------------------- */

/* Decodes one rune like Go's range over a string (bad bytes: U+FFFD, length 1). */
static size_t rune_at(const unsigned char *s, int32_t *r)
{
	size_t n = utf8_decode(s, (size_t)-1, r);
	if (*r < 0)
		*r = 0xfffd;
	return n;
}

void apply_default_manager(const char *user_agent, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)(user_agent ? user_agent : "");
	size_t len = 0;
	while (*p && *p != '/') {
		int32_t r;
		size_t n = rune_at(p, &r);
		size_t w = r == 0xfffd && n == 1 && *p != 0xef ? 3 : n; /* U+FFFD is written as 3 bytes */
		if (utf8_is_print(r)) {
			if (len + w > FIELD_MANAGER_MAX)
				break;
			if (w != n)
				buf_adds(out, "\xef\xbf\xbd");
			else
				buf_add(out, p, n);
			len += w;
		}
		p += n;
	}
}

void apply_validate_field_manager(const char *manager, const char *path, struct field_errors *errs)
{
	const unsigned char *p = (const unsigned char *)manager;
	if (strlen(manager) > FIELD_MANAGER_MAX)
		field_errors_add(errs, FE_TOO_LONG, path, NULL, "may not be more than %d bytes", FIELD_MANAGER_MAX);
	while (*p) {
		int32_t r;
		size_t n = rune_at(p, &r);
		if (!utf8_is_print(r))
			field_errors_add_str(errs, FE_INVALID, path, manager, "invalid character U+%04X (at position %zu)",
					     (unsigned)r, (size_t)(p - (const unsigned char *)manager));
		p += n;
	}
}

void apply_validate_managed_fields(const cJSON *managed_fields, struct field_errors *errs)
{
	const cJSON *list = cJSON_IsArray(managed_fields) ? managed_fields : NULL, *item;
	int i = 0;
	cJSON_ArrayForEach(item, list) {
		char path[64];
		const char *op = str_or_empty(item, "operation"), *ft = str_or_empty(item, "fieldsType");
		if (strcmp(op, "Apply") && strcmp(op, "Update")) {
			snprintf(path, sizeof(path), "metadata.managedFields[%d].operation", i);
			field_errors_add_str(errs, FE_INVALID, path, op, "must be `Apply` or `Update`");
		}
		if (*ft && strcmp(ft, "FieldsV1")) {
			snprintf(path, sizeof(path), "metadata.managedFields[%d].fieldsType", i);
			field_errors_add_str(errs, FE_INVALID, path, ft, "must be `FieldsV1`");
		}
		snprintf(path, sizeof(path), "metadata.managedFields[%d].manager", i);
		apply_validate_field_manager(str_or_empty(item, "manager"), path, errs);
		if (strlen(str_or_empty(item, "subresource")) > 256) {
			snprintf(path, sizeof(path), "metadata.managedFields[%d].subresource", i);
			field_errors_add(errs, FE_TOO_LONG, path, NULL, "may not be more than 256 bytes");
		}
		i++;
	}
}
