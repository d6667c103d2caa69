/*
 * history.c - ControllerRevisions of DaemonSets and StatefulSets (history.h).
 *
 * DESIGN
 * Upstream compares and hashes a revision's data as bytes: the template, marshalled by Go into
 * a map and out again, so keys come out sorted at every level. The stored template here is
 * already what upstream stores (defaulted, with "creationTimestamp": null and "resources": {}),
 * so printing it the way Go prints a map gives upstream's bytes: the same revision hashes as
 * upstream for the same template (checked against upstream's 1.33 compatibility fixture in
 * tests/unit/test-history.c), and kubectl's own byte comparison in `rollout undo` agrees
 * with ours. A revision read back from the store is printed the same way before comparing, so
 * comparisons never depend on how cJSON orders or prints a tree.
 *
 * A workload's history is read from the ControllerRevision informer at the start of each sync
 * into a struct history (owned copies, sorted as upstream sorts); the controllers decide from it
 * and write through the internal client.
 *
 * Every pod and revision change in the cluster passes through history_on_child, once per
 * controller, so it routes by the stored attributes (the controller owner's uid, kept by the
 * store for the owner index) and a map from workload uid to work-queue key: an owned object is
 * never parsed, and one owned by another kind costs one hash lookup. Only orphans (added,
 * relabelled or released) are parsed, to find the workloads whose selectors match them.
 */
#include "server/history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/utf8.h"
#include "lib/util.h"
#include "server/ctrl.h"
#include "server/selector.h"
#include "server/workload.h"

/* ---- Go's encoding/json ----------------------------------------------------------------- */

/* Go's encodeState.string with HTML escaping (json.Marshal's default). */
static void go_string(const char *s, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	buf_addch(out, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			if (c == '"' || c == '\\') {
				char e[2] = { '\\', (char)c };
				buf_add(out, e, 2);
			} else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
				char e[2] = { '\\', c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c == '\b' ? 'b' : 'f' };
				buf_add(out, e, 2);
			} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
				char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
				buf_add(out, e, 6);
			} else {
				buf_addch(out, (char)c);
			}
			i++;
			continue;
		}
		int32_t r;
		size_t n = utf8_decode(p + i, len - i, &r);
		if (r < 0)
			buf_adds(out, "\\ufffd");
		else if (r == 0x2028 || r == 0x2029)
			buf_addf(out, "\\u%04x", (unsigned)r);
		else
			buf_add(out, p + i, n);
		i += n;
	}
	buf_addch(out, '"');
}

/* Go's float64 encoder: integral values as integers, others in the shortest form that reads
 * back the same ('f' between 1e-6 and 1e21, else 'e' with a short exponent). */
static void go_number(double d, struct buf *out)
{
	char s[96]; /* room for mant, "e+" and any int exponent */
	double a = fabs(d);
	if (d == floor(d) && a < 1e21) {
		buf_addf(out, "%.0f", d);
		return;
	}
	int p = 1;
	for (; p < 17; p++) {
		snprintf(s, sizeof(s), "%.*e", p - 1, d);
		if (strtod(s, NULL) == d)
			break;
	}
	if (a >= 1e-6 && a < 1e21) {
		int exp10 = (int)floor(log10(a));
		int decimals = p - 1 - exp10;
		snprintf(s, sizeof(s), "%.*f", decimals > 0 ? decimals : 0, d);
	} else {
		char mant[64];
		int e;
		snprintf(s, sizeof(s), "%.*e", p - 1, d);
		char *x = strchr(s, 'e');
		*x = 0;
		memcpy(mant, s, sizeof(mant));
		e = atoi(x + 1);
		/* Go prints two exponent digits, then trims "e-07" to "e-7". */
		if (e < 0)
			snprintf(s, sizeof(s), "%se-%d", mant, -e);
		else
			snprintf(s, sizeof(s), "%se+%02d", mant, e);
	}
	buf_adds(out, s);
}

static int key_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

void history_go_json(const cJSON *v, struct buf *out)
{
	if (cJSON_IsObject(v)) {
		size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
		const cJSON **kids = xcalloc(n + 1, sizeof(*kids));
		const cJSON *c;
		cJSON_ArrayForEach(c, v)
			kids[i++] = c;
		qsort(kids, n, sizeof(*kids), key_cmp);
		buf_addch(out, '{');
		for (i = 0; i < n; i++) {
			if (i)
				buf_addch(out, ',');
			go_string(kids[i]->string, out);
			buf_addch(out, ':');
			history_go_json(kids[i], out);
		}
		buf_addch(out, '}');
		free(kids);
	} else if (cJSON_IsArray(v)) {
		const cJSON *c;
		int first = 1;
		buf_addch(out, '[');
		cJSON_ArrayForEach(c, v) {
			if (!first)
				buf_addch(out, ',');
			first = 0;
			history_go_json(c, out);
		}
		buf_addch(out, ']');
	} else if (cJSON_IsString(v)) {
		go_string(v->valuestring, out);
	} else if (cJSON_IsNumber(v)) {
		go_number(v->valuedouble, out);
	} else if (cJSON_IsBool(v)) {
		buf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else {
		buf_adds(out, "null");
	}
}

/* ---- revision data, hashes, names --------------------------------------------------------- */

char *history_patch(const cJSON *obj)
{
	struct buf out = BUF_INIT;
	const cJSON *tmpl = json_getv(obj, "spec", "template", NULL);
	cJSON *t = tmpl ? cJSON_Duplicate(tmpl, 1) : cJSON_CreateObject();
	cJSON *patch = cJSON_CreateObject();
	json_set_str(t, "$patch", "replace");
	json_set(json_obj_force(patch, "spec"), "template", t);
	history_go_json(patch, &out);
	cJSON_Delete(patch);
	return buf_detach(&out, NULL);
}

/* FNV-32 (multiply, then xor), continuing from h. */
static uint32_t fnv32(uint32_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h *= 16777619u;
		h ^= (unsigned char)p[i];
	}
	return h;
}

void history_hash(const char *data, int64_t collision, char out[16])
{
	char num[24];
	uint32_t h = fnv32(2166136261u, data, strlen(data));
	if (collision >= 0) {
		snprintf(num, sizeof(num), "%lld", (long long)collision);
		h = fnv32(h, num, strlen(num));
	}
	snprintf(num, sizeof(num), "%u", h);
	wl_safe_encode(num, out);
}

char *history_name(const char *prefix, const char *hash)
{
	return xasprintf("%.223s-%s", prefix, hash);
}

cJSON *history_new_revision(const cJSON *parent, const char *name, const char *label, const char *hash,
			    const char *data, int64_t revision, int copy_annotations)
{
	cJSON *rev = cJSON_CreateObject(), *meta = json_obj_force(rev, "metadata"), *refs = cJSON_CreateArray();
	const cJSON *labels = json_getv(parent, "spec", "template", "metadata", "labels", NULL);
	const cJSON *ann = json_getv(parent, "metadata", "annotations", NULL);
	json_set_str(rev, "apiVersion", "apps/v1");
	json_set_str(rev, "kind", "ControllerRevision");
	json_set_str(meta, "name", name);
	json_set_str(meta, "namespace", json_strv(parent, "metadata", "namespace", NULL));
	json_set(meta, "labels", labels ? cJSON_Duplicate(labels, 1) : cJSON_CreateObject());
	json_set_str(json_obj(meta, "labels"), label, hash);
	if (copy_annotations && cJSON_IsObject(ann) && ann->child)
		json_set(meta, "annotations", cJSON_Duplicate(ann, 1));
	cJSON_AddItemToArray(refs, ctrl_owner_ref(parent));
	json_set(meta, "ownerReferences", refs);
	json_set(rev, "data", json_parse(data, strlen(data), NULL));
	json_set_int(rev, "revision", revision);
	return rev;
}

cJSON *history_template(const cJSON *revision)
{
	const cJSON *t = json_getv(revision, "data", "spec", "template", NULL);
	if (!cJSON_IsObject(t))
		return NULL;
	cJSON *copy = cJSON_Duplicate(t, 1);
	json_del(copy, "$patch");
	return copy;
}

/* ---- a workload's revisions ------------------------------------------------------------- */

void history_add(struct history *h, cJSON *obj)
{
	struct history_rev *r;
	h->v = xrealloc(h->v, (h->n + 1) * sizeof(*h->v));
	r = &h->v[h->n++];
	memset(r, 0, sizeof(*r));
	r->obj = obj;
	r->name = json_strv(obj, "metadata", "name", NULL);
	r->uid = json_strv(obj, "metadata", "uid", NULL);
	if (!r->name)
		r->name = "";
	json_int(obj, "revision", &r->revision);
	struct buf b = BUF_INIT;
	history_go_json(cJSON_GetObjectItemCaseSensitive(obj, "data"), &b);
	r->data = buf_detach(&b, NULL);
	r->claim = ctrl_owner(obj) ? WL_OWNED : WL_ADOPT;
}

static int rev_cmp(const void *a, const void *b)
{
	const struct history_rev *x = a, *y = b;
	if (x->revision != y->revision)
		return x->revision < y->revision ? -1 : 1;
	const char *tx = json_strv(x->obj, "metadata", "creationTimestamp", NULL);
	const char *ty = json_strv(y->obj, "metadata", "creationTimestamp", NULL);
	int64_t cx = 0, cy = 0;
	if (tx)
		parse_rfc3339(tx, &cx);
	if (ty)
		parse_rfc3339(ty, &cy);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return strcmp(x->name, y->name);
}

void history_sort(struct history *h)
{
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), rev_cmp);
}

void history_release(struct history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		cJSON_Delete(h->v[i].obj);
		free(h->v[i].data);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

struct list_ctx {
	const cJSON *parent;
	const struct selector *sel;
	struct history *h;
};

static int list_one(struct store_kv *kv, void *data)
{
	struct list_ctx *c = data;
	cJSON *rev = obj_parse(kv);
	int matches = rev && c->sel && selector_matches(c->sel, sel_lookup_json, json_getv(rev, "metadata", "labels", NULL));
	enum wl_claim claim = rev ? wl_claim(c->parent, rev, matches) : WL_IGNORE;
	if (claim == WL_IGNORE) {
		cJSON_Delete(rev);
		return 0;
	}
	history_add(c->h, rev);
	c->h->v[c->h->n - 1].claim = claim;
	return 0;
}

size_t history_list(struct informer *inf, const cJSON *parent, const struct selector *sel, struct history *h)
{
	struct list_ctx c = { parent, sel, h };
	informer_list(inf, json_strv(parent, "metadata", "namespace", NULL), NULL, list_one, &c);
	history_sort(h);
	return h->n;
}

void history_claim(struct history *h, struct wl_sync *s, const char *manager, const struct kind *k,
		   const cJSON *parent)
{
	size_t keep = 0;
	for (size_t i = 0; i < h->n; i++) {
		struct history_rev *r = &h->v[i];
		if (r->claim == WL_RELEASE) {
			wl_release(s, manager, k, r->obj, json_strv(parent, "metadata", "uid", NULL));
			cJSON_Delete(r->obj);
			free(r->data);
			continue;
		}
		if (r->claim == WL_ADOPT) {
			wl_adopt(s, manager, k, r->obj, parent);
			r->claim = WL_OWNED;
		}
		h->v[keep++] = *r;
	}
	h->n = keep;
}

int64_t history_next(const struct history *h)
{
	int64_t max = 0;
	for (size_t i = 0; i < h->n; i++)
		max = MAX(max, h->v[i].revision);
	return max + 1;
}

long history_find(const struct history *h, const char *data)
{
	for (size_t i = h->n; i-- > 0;)
		if (!strcmp(h->v[i].data, data))
			return (long)i;
	return -1;
}

long history_find_name(const struct history *h, const char *name)
{
	for (size_t i = 0; name && i < h->n; i++)
		if (!strcmp(h->v[i].name, name))
			return (long)i;
	return -1;
}

size_t history_truncate(const struct history *h, const unsigned char *keep, int64_t limit, size_t *out)
{
	size_t counted = 0, n = 0;
	if (limit < 0)
		return 0;
	for (size_t i = 0; i < h->n; i++)
		counted += keep[i] != HISTORY_LIVE;
	if ((int64_t)counted <= limit)
		return 0;
	int64_t kill = (int64_t)counted - limit;
	for (size_t i = 0; i < h->n && kill > 0; i++) {
		if (keep[i] != HISTORY_DELETABLE)
			continue;
		out[n++] = i;
		kill--;
	}
	return n;
}

/* ---- routing changes to the workload ------------------------------------------------------- */

void history_owner_track(struct history_owner *w, enum informer_ev ev, const struct store_kv *kv)
{
	const char *uid = kv->attrs ? obj_field(kv->attrs, "x.uid") : NULL;
	if (!uid || !*uid)
		return;
	if (ev == INF_DELETE) {
		free(hmap_del(&w->uids, uid));
		return;
	}
	if (hmap_get(&w->uids, uid))
		return; /* a uid's key never changes */
	struct buf key = BUF_INIT;
	informer_key(kv, &key);
	hmap_put(&w->uids, uid, buf_detach(&key, NULL));
}

static int free_value(const char *key, void *value, void *data)
{
	UNUSED(key);
	UNUSED(data);
	free(value);
	return 0;
}

void history_owner_release(struct history_owner *w)
{
	hmap_each(&w->uids, free_value, NULL);
	hmap_release(&w->uids);
}

struct selecting {
	const struct history_owner *w;
	const cJSON *labels;
};

static int queue_if_selects(struct store_kv *kv, void *data)
{
	struct selecting *x = data;
	cJSON *owner = obj_parse(kv);
	if (owner && wl_selector_matches(json_getv(owner, "spec", "selector", NULL), x->labels))
		wl_enqueue(x->w->q, kv);
	cJSON_Delete(owner);
	return 0;
}

/* The uid of the controller of a stored object, from its attributes, or NULL. */
static const char *controller_uid(const struct store_kv *kv)
{
	const char *o = kv && kv->attrs ? obj_field(kv->attrs, "x.owner") : NULL;
	return o && *o ? o : NULL;
}

/* Queues the workload of uid (NULL, or not of this kind: nothing). */
static void queue_uid(const struct history_owner *w, const char *uid)
{
	const char *key = uid ? hmap_get(&w->uids, uid) : NULL;
	if (key)
		workqueue_add(w->q, key);
}

void history_on_child(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	const struct history_owner *w = data;
	const char *owner = controller_uid(kv), *prev = controller_uid(old);
	int moved = old && (owner && prev ? strcmp(owner, prev) != 0 : owner != prev);
	queue_uid(w, owner);
	if (moved)
		queue_uid(w, prev);
	if (owner || ev == INF_DELETE || (old && !moved && wl_same_labels(kv, old)))
		return;
	cJSON *obj = obj_parse(kv);
	if (obj) {
		struct selecting x = { w, json_getv(obj, "metadata", "labels", NULL) };
		informer_list(w->owners, json_strv(obj, "metadata", "namespace", NULL), NULL, queue_if_selects, &x);
	}
	cJSON_Delete(obj);
}
