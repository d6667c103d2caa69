/*
 * fuzz-apply.c - libFuzzer target for server/apply.
 *
 * Input: one byte choosing the mode, then text.
 *   mode 0: the text is a fieldsV1 value. A set that parses must render to JSON that parses
 *           again, rendering must reach a fixpoint after one round (invalid UTF-8 becomes U+FFFD),
 *           and the set algebra must hold on it:
 *           s | s = s, s & s = s, s - s and s - s (recursive) empty, s - {} = s.
 *   mode 1: "live NUL configuration" (no NUL: the text is the configuration, applied to nothing)
 *           applied to a Deployment, with force from a bit of the mode byte. A successful apply
 *           must give an object whose managedFields decode; applying the same configuration again
 *           must succeed and change nothing but times.
 *   mode 2: "old NUL new" for apply_track_update on a Pod: the result's managedFields decode.
 * Schema-less (NULL type) walks are used when bit 4 of the mode byte is set, so deduced types
 * get fuzzed too.
 */
#include "lib/buf.h"
#include "lib/json.h"
#include "server/apply.h"
#include "server/apply_internal.h"
#include "server/schema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void rendered(const struct apply_set *s, struct buf *out)
{
	buf_reset(out);
	apply_set_render(s, out);
}

/* Aborts unless a and b render the same. */
static void same(const struct apply_set *a, const struct apply_set *b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	rendered(a, &x);
	rendered(b, &y);
	if (strcmp(buf_str(&x), buf_str(&y)))
		abort();
	buf_release(&x);
	buf_release(&y);
}

static void fuzz_set(const char *text, size_t len)
{
	cJSON *j = json_parse(text, len, NULL), *again;
	struct buf out = BUF_INIT;
	struct apply_set *s, *t, *u, *empty = apply__set_new();
	if (!j)
		goto done;
	if (!(s = apply_set_parse(j, &out)))
		goto done;
	/* invalid UTF-8 renders as U+FFFD escapes, so the fixpoint is reached after one round */
	rendered(s, &out);
	again = json_parse(out.data, out.len, NULL);
	if (!again || !(t = apply_set_parse(again, NULL)))
		abort();
	cJSON_Delete(again);
	rendered(t, &out);
	again = json_parse(out.data, out.len, NULL);
	if (!again || !(u = apply_set_parse(again, NULL)))
		abort();
	same(t, u);
	apply_set_free(u);
	u = apply__set_union(s, s), same(u, s), apply_set_free(u);
	u = apply__set_intersect(s, s), same(u, s), apply_set_free(u);
	u = apply__set_diff(s, empty), same(u, s), apply_set_free(u);
	u = apply__set_diff(s, s);
	if (!apply_set_empty(u))
		abort();
	apply_set_free(u);
	u = apply__set_rdiff(s, s);
	if (!apply_set_empty(u))
		abort();
	apply_set_free(u);
	buf_reset(&out);
	apply_set_paths(s, &out);
	apply_set_free(t);
	apply_set_free(s);
	cJSON_Delete(again);
done:
	apply_set_free(empty);
	cJSON_Delete(j);
	buf_release(&out);
}

/* Aborts unless every managedFields entry of obj has a fieldsV1 that parses. */
static void check_entries(const cJSON *obj)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, json_getv(obj, "metadata", "managedFields", NULL)) {
		struct apply_set *s = apply_set_parse(cJSON_GetObjectItem(e, "fieldsV1"), NULL);
		if (!s)
			abort();
		apply_set_free(s);
	}
}

/* Nonzero when an object in v repeats a member name (the module's inputs never do: the request
 * decoders keep one of them). */
static int has_dup_keys(const cJSON *v)
{
	for (const cJSON *c = v ? v->child : NULL; c; c = c->next) {
		if (cJSON_IsObject(v))
			for (const cJSON *d = c->next; d; d = d->next)
				if (!strcmp(c->string, d->string))
					return 1;
		if (has_dup_keys(c))
			return 1;
	}
	return 0;
}

static void fuzz_apply(const char *in, size_t n, int force, int untyped)
{
	const char *nul = memchr(in, '\0', n);
	cJSON *live = nul ? json_parse(in, (size_t)(nul - in), NULL) : NULL;
	cJSON *cfg = nul ? json_parse(nul + 1, n - (size_t)(nul + 1 - in), NULL) : json_parse(in, n, NULL);
	cJSON *out = NULL, *out2 = NULL;
	struct apply_op op = { untyped ? NULL : sch_kind_type("apps", "v1", "Deployment"), "apps/v1", "Deployment",
			       "fuzz", NULL, force, "2024-01-01T00:00:00Z" };
	struct apply_conflicts c = APPLY_CONFLICTS_INIT;
	struct buf err = BUF_INIT;
	if (!cfg || (nul && !cJSON_IsObject(live)) || has_dup_keys(live) || has_dup_keys(cfg))
		goto out;
	if (apply_patch(&op, live, cfg, &out, &c, &err) == 0) {
		if (!cJSON_IsObject(out))
			abort();
		check_entries(out);
		op.force = 1;
		op.now = "2024-01-01T00:01:00Z";
		if (apply_patch(&op, out, cfg, &out2, NULL, &err) != 0)
			abort();
		check_entries(out2);
		json_del(json_obj(out, "metadata"), "managedFields");
		json_del(json_obj(out2, "metadata"), "managedFields");
		char *a = json_print_str(out), *b = json_print_str(out2);
		if (strcmp(a, b))
			abort(); /* applying the same configuration twice changes nothing */
		free(a);
		free(b);
	} else if (!err.len && !c.n) {
		abort(); /* a failure always says why */
	}
out:
	apply_conflicts_release(&c);
	buf_release(&err);
	cJSON_Delete(live);
	cJSON_Delete(cfg);
	cJSON_Delete(out);
	cJSON_Delete(out2);
}

static void fuzz_update(const char *in, size_t n, int untyped)
{
	const char *nul = memchr(in, '\0', n);
	cJSON *old = nul ? json_parse(in, (size_t)(nul - in), NULL) : NULL;
	cJSON *obj = nul ? json_parse(nul + 1, n - (size_t)(nul + 1 - in), NULL) : json_parse(in, n, NULL);
	struct apply_op op = { untyped ? NULL : sch_kind_type("", "v1", "Pod"), "v1", "Pod", "fuzz", NULL, 0,
			       "2024-01-01T00:00:00Z" };
	if (cJSON_IsObject(obj)) {
		apply_track_update(&op, old, obj);
		check_entries(obj);
	}
	cJSON_Delete(old);
	cJSON_Delete(obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *in = (const char *)data + 1;
	size_t n = size - 1;
	int untyped = data[0] & 0x10;
	switch (data[0] % 3) {
	case 0:
		fuzz_set(in, n);
		break;
	case 1:
		fuzz_apply(in, n, data[0] & 0x08, untyped);
		break;
	default:
		fuzz_update(in, n, untyped);
	}
	return 0;
}
