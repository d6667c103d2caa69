/*
 * test-protobuf.c - the protobuf request-body decoder (server/protobuf.c).
 *
 * Two sources of bodies: real ones, captured from kubectl 1.33 with the JSON kubectl 1.31 sends
 * for the same command (tests/unit/fixtures/protobuf, made by capture.py there), and bodies
 * built here with a small test-only encoder for what kubectl does not send (Times, Durations,
 * packed lists, malformed input). The type tables (protobuf-types.h) are the tests' own, so
 * that these tests do not depend on the served schema.
 */
#include "test.h"

#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/protobuf.h"
#include "server/schema.h"
#include "tests/unit/protobuf-types.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>

/* ---- a test-only encoder ------------------------------------------------------------------- */

/* A body being built: open messages are patched with their length when closed. */
struct enc {
	struct buf b;
	size_t open[12000];
	int n;
};

static void enc_varint(struct buf *b, uint64_t v)
{
	do {
		uint8_t c = (uint8_t)(v & 0x7f);
		v >>= 7;
		buf_addch(b, (char)(c | (v ? 0x80 : 0)));
	} while (v);
}

static void enc_tag(struct enc *e, int field, int wire)
{
	enc_varint(&e->b, ((uint64_t)field << 3) | (unsigned)wire);
}

/* A varint field (int32/int64/bool; negatives as 10-byte two's complement). */
static void enc_u(struct enc *e, int field, uint64_t v)
{
	enc_tag(e, field, 0);
	enc_varint(&e->b, v);
}

static void enc_bytes(struct enc *e, int field, const void *p, size_t n)
{
	enc_tag(e, field, 2);
	enc_varint(&e->b, n);
	buf_add(&e->b, p, n);
}

static void enc_s(struct enc *e, int field, const char *s)
{
	enc_bytes(e, field, s, strlen(s));
}

static void enc_f64(struct enc *e, int field, double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof(v));
	enc_tag(e, field, 1);
	for (int i = 0; i < 8; i++)
		buf_addch(&e->b, (char)(v >> (8 * i)));
}

/* Opens a nested message (or packed run) as field; enc_end() writes its length. */
static void enc_begin(struct enc *e, int field)
{
	enc_tag(e, field, 2);
	e->open[e->n++] = e->b.len;
}

static void enc_end(struct enc *e)
{
	size_t start = e->open[--e->n], len = e->b.len - start;
	struct buf v = BUF_INIT;
	enc_varint(&v, len);
	buf_grow(&e->b, v.len);
	memmove(e->b.data + start + v.len, e->b.data + start, len);
	memcpy(e->b.data + start, v.data, v.len);
	e->b.len += v.len;
	e->b.data[e->b.len] = '\0';
	buf_release(&v);
}

/* A map entry {1: key, 2: string value}. */
static void enc_entry(struct enc *e, int field, const char *key, const char *value)
{
	enc_begin(e, field);
	enc_s(e, 1, key);
	enc_s(e, 2, value);
	enc_end(e);
}

/* Starts a whole body: magic, TypeMeta, and opens raw (closed by enc_end). */
static void enc_object(struct enc *e, const char *api_version, const char *kind)
{
	buf_add(&e->b, "k8s", 4);
	enc_begin(e, 1);
	enc_s(e, 1, api_version);
	enc_s(e, 2, kind);
	enc_end(e);
	enc_begin(e, 2);
}

static struct enc *enc_new(void)
{
	struct enc *e = xcalloc(1, sizeof(*e));
	buf_init(&e->b);
	return e;
}

static void enc_free(struct enc *e)
{
	buf_release(&e->b);
	free(e);
}

/* ---- checking ------------------------------------------------------------------------------ */

/* Parses JSON written with ' for " (test expectations only). */
static cJSON *parse_q(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	return j;
}

/* Compares got with want (' for "): the same serialisation, so field order counts. */
static int same_json(const char *file, int line, const cJSON *got, const char *want)
{
	char *g = got ? json_print_str(got) : xstrdup("(null)");
	cJSON *w = parse_q(want);
	char *ws = w ? json_print_str(w) : xstrdup("(bad expectation)");
	int ok = w && strcmp(g, ws) == 0;
	if (!ok)
		fprintf(stderr, "  %s:%d:\n    got  %s\n    want %s\n", file, line, g, ws);
	free(g);
	free(ws);
	cJSON_Delete(w);
	return ok;
}

/* Decodes a whole body with the test kinds. Returns the result code; *err gets the message. */
static int decode(const struct enc *e, cJSON **out, struct buf *err)
{
	return pb_decode_object(e->b.data, e->b.len, test_lookup, NULL, out, err);
}

#define ASSERT_BODY(e, want) \
	do { \
		cJSON *got_ = NULL; \
		struct buf err_ = BUF_INIT; \
		int rc_ = decode(e, &got_, &err_); \
		if (rc_) \
			FAIL("decode failed (%d): %s", rc_, buf_str(&err_)); \
		int ok_ = same_json(__FILE__, __LINE__, got_, want); \
		cJSON_Delete(got_); \
		buf_release(&err_); \
		if (!ok_) \
			return 1; \
	} while (0)

/* Decodes e's bytes as a bare message of type t and compares. */
#define ASSERT_MSG(e, t, want) \
	do { \
		cJSON *got_ = NULL; \
		struct buf err_ = BUF_INIT; \
		int rc_ = pb_decode_message((e)->b.data, (e)->b.len, &(t), &got_, &err_); \
		if (rc_) \
			FAIL("decode failed (%d): %s", rc_, buf_str(&err_)); \
		int ok_ = same_json(__FILE__, __LINE__, got_, want); \
		cJSON_Delete(got_); \
		buf_release(&err_); \
		if (!ok_) \
			return 1; \
	} while (0)

/* Expects decoding bytes as a message of type t to fail with a message containing what. */
static int fails_with(const char *file, int line, const void *data, size_t len,
		      const struct sch_type *t, const char *what)
{
	cJSON *got = (cJSON *)1;
	struct buf err = BUF_INIT;
	int rc = pb_decode_message(data, len, t, &got, &err);
	int ok = rc == -KUBE_EINVAL && got == NULL && strstr(buf_str(&err), what);
	if (!ok)
		fprintf(stderr, "  %s:%d: rc %d, error \"%s\", want one containing \"%s\"\n", file,
			line, rc, buf_str(&err), what);
	if (got && got != (cJSON *)1)
		cJSON_Delete(got);
	buf_release(&err);
	return ok;
}

#define ASSERT_FAILS(data, len, t, what) \
	do { \
		if (!fails_with(__FILE__, __LINE__, data, len, t, what)) \
			return 1; \
	} while (0)

#define ASSERT_ENC_FAILS(e, t, what) ASSERT_FAILS((e)->b.data, (e)->b.len, &(t), what)

/* ---- fixtures ------------------------------------------------------------------------------ */

static const char *const fixtures[] = {
	"configmap", "configmap2", "deployment", "deployment2", "deployment0", "secret",
	"secretreg", "namespace", "svcclusterip", "svcheadless", "svcnodeport", "svclb", "svcext",
	"serviceaccount", "job", "cronjob", "token", "token2", "cani", "cani2", "cani3", "cani4",
	"whoami", "role", "rolebinding", "clusterrole", "priorityclass", "quota", "pdb", "ingress",
};

/* Reads tests/unit/fixtures/protobuf/NAME, from the working directory or from the source tree
 * above the test binary. Returns 0 or -1. */
static int read_fixture(const char *name, char **data, size_t *len)
{
	char exe[PATH_MAX], path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "tests/unit/fixtures/protobuf/%s", name);
	if (read_file(path, data, len) == 0)
		return 0;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			break;
		*slash = '\0';
		snprintf(path, sizeof(path), "%s/tests/unit/fixtures/protobuf/%s", exe, name);
		if (read_file(path, data, len) == 0)
			return 0;
	}
	return -1;
}

/* Removes null members and elements (Go's nil), which the decoder leaves out. */
static void drop_nulls(cJSON *j)
{
	cJSON *c = j ? j->child : NULL;
	while (c) {
		cJSON *next = c->next;
		if (cJSON_IsNull(c))
			cJSON_Delete(cJSON_DetachItemViaPointer(j, c));
		else
			drop_nulls(c);
		c = next;
	}
}

/* Decodes fixture NAME.pb (kubectl 1.33) through lookup and compares it, in any field order,
 * with NAME.json (kubectl 1.31 for the same command) less its nulls. */
static int check_fixture(const char *name, pb_lookup_fn *lookup)
{
	char file[64], *pb = NULL, *js = NULL;
	size_t pblen = 0, jslen = 0;
	cJSON *got = NULL, *want = NULL;
	struct buf err = BUF_INIT;
	int ok = 0;
	snprintf(file, sizeof(file), "%s.pb", name);
	if (read_fixture(file, &pb, &pblen) < 0)
		goto out;
	snprintf(file, sizeof(file), "%s.json", name);
	if (read_fixture(file, &js, &jslen) < 0)
		goto out;
	want = json_parse(js, jslen, NULL);
	drop_nulls(want);
	if (pb_decode_object(pb, pblen, lookup, NULL, &got, &err) == 0)
		ok = cJSON_Compare(got, want, 1);
out:
	if (!ok) {
		char *g = got ? json_print_str(got) : xstrdup(buf_str(&err));
		char *w = want ? json_print_str(want) : xstrdup("(no fixture)");
		fprintf(stderr, "  fixture %s:\n    got  %s\n    want %s\n", name, g, w);
		free(g);
		free(w);
	}
	cJSON_Delete(got);
	cJSON_Delete(want);
	buf_release(&err);
	free(pb);
	free(js);
	return ok;
}

/* ---- tests --------------------------------------------------------------------------------- */

TEST_IMPL(protobuf_doc_example)
{
	/* kubectl 1.33 create configmap c32 --from-literal=a=b, as in the wire notes §3.9. */
	static const char hex[] = "6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a036333321200"
				  "1a0022002a0032003800420012060a01611201621a002200";
	struct enc *e = enc_new();
	for (size_t i = 0; i + 1 < sizeof(hex); i += 2) {
		unsigned v;
		sscanf(hex + i, "%2x", &v);
		buf_addch(&e->b, (char)v);
	}
	ASSERT_BODY(e, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c32'},'data':{'a':'b'}}");
	ASSERT(pb_has_magic(e->b.data, e->b.len));
	ASSERT(!pb_has_magic(e->b.data, 3));
	ASSERT(!pb_has_magic("{}", 2));
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_fixtures)
{
	int failed = 0;
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++)
		failed += !check_fixture(fixtures[i], test_lookup);
	ASSERT_EQ(failed, 0);
	return 0;
}

TEST_IMPL(protobuf_served_schema)
{
	/* The same fixtures through the served schema (pb_lookup_schema), for the kinds it has. */
	int failed = 0, served = 0;
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++) {
		char file[64], *pb = NULL;
		size_t len = 0;
		cJSON *got = NULL;
		snprintf(file, sizeof(file), "%s.pb", fixtures[i]);
		ASSERT(read_fixture(file, &pb, &len) == 0);
		int rc = pb_decode_object(pb, len, pb_lookup_schema, NULL, &got, NULL);
		cJSON_Delete(got);
		free(pb);
		if (rc == -KUBE_ENOTFOUND)
			continue;
		served++;
		failed += !check_fixture(fixtures[i], pb_lookup_schema);
	}
	ASSERT_EQ(failed, 0);
	ASSERT(served >= 20);
	return 0;
}

TEST_IMPL(protobuf_fixture_order)
{
	char *pb = NULL;
	size_t len = 0;
	cJSON *got = NULL;
	ASSERT(read_fixture("deployment2.pb", &pb, &len) == 0);
	ASSERT_EQ(pb_decode_object(pb, len, test_lookup, NULL, &got, NULL), 0);
	int ok = same_json(__FILE__, __LINE__, got,
			   "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
			   "'namespace':'default','labels':{'app':'web'}},'spec':{'replicas':3,"
			   "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':"
			   "{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx:1.27',"
			   "'ports':[{'containerPort':8080}],'resources':{}},{'name':'busybox',"
			   "'image':'busybox','resources':{}}]}},'strategy':{}},'status':{}}");
	cJSON_Delete(got);
	free(pb);
	return ok ? 0 : 1;
}

TEST_IMPL(protobuf_scalars)
{
	struct enc *e = enc_new();
	enc_s(e, 1, "hello");
	enc_u(e, 2, 1);
	enc_u(e, 3, (uint64_t)(int64_t)-5); /* int32 negatives are sign-extended to 10 bytes */
	enc_u(e, 4, (uint64_t)(int64_t)-9007199254740992LL);
	enc_f64(e, 5, 2.5);
	enc_bytes(e, 6, "\x00\x01\xfe\xff", 4);
	enc_u(e, 20, 0); /* kept: SF_KEEP_ZERO */
	enc_bytes(e, 21, "", 0);
	enc_s(e, 26, "");
	ASSERT_MSG(e, Kinds, "{'s':'hello','b':true,'i32':-5,'i64':-9007199254740992,'f':2.5,"
			     "'bytes':'AAH+/w==','kz':0,'kb':'','ks':''}");
	/* Zero values of ordinary fields are "unset", as gogo writes every non-pointer scalar. */
	buf_reset(&e->b);
	enc_s(e, 1, "");
	enc_u(e, 2, 0);
	enc_u(e, 3, 0);
	enc_u(e, 4, 0);
	enc_f64(e, 5, -0.0);
	enc_bytes(e, 6, "", 0);
	ASSERT_MSG(e, Kinds, "{}");
	/* int32 keeps the low 32 bits of a wider varint, as Go does; bool is any non-zero. */
	buf_reset(&e->b);
	enc_u(e, 3, 0x1ffffffffULL);
	enc_u(e, 2, 300);
	enc_u(e, 4, 9007199254740992ULL);
	ASSERT_MSG(e, Kinds, "{'b':true,'i32':-1,'i64':9007199254740992}");
	enc_free(e);
	return 0;
}

/* A Time-like message {1: seconds, 2: nanos} as field. */
static void enc_time(struct enc *e, int field, int64_t sec, int32_t nanos)
{
	enc_begin(e, field);
	enc_u(e, 1, (uint64_t)sec);
	enc_u(e, 2, (uint64_t)(int64_t)nanos);
	enc_end(e);
}

TEST_IMPL(protobuf_time)
{
	struct enc *e = enc_new();
	enc_time(e, 8, 1700000000, 999999999); /* Time drops the fraction */
	enc_time(e, 9, 1700000000, 123456789); /* MicroTime keeps microseconds */
	ASSERT_MSG(e, Kinds, "{'t':'2023-11-14T22:13:20Z','mt':'2023-11-14T22:13:20.123456Z'}");
	/* The zero time is an empty message: left out, even when SF_KEEP_ZERO. An explicit
	 * seconds 0 is the epoch. */
	buf_reset(&e->b);
	enc_begin(e, 8);
	enc_end(e);
	enc_begin(e, 27);
	enc_end(e);
	enc_time(e, 9, 0, 0);
	ASSERT_MSG(e, Kinds, "{'mt':'1970-01-01T00:00:00.000000Z'}");
	/* Negative nanos count backwards, like Go's time.Unix; the edges of years 0000..9999. */
	buf_reset(&e->b);
	enc_time(e, 8, 0, -1);
	enc_time(e, 9, -62167219200LL, 0);
	ASSERT_MSG(e, Kinds, "{'t':'1969-12-31T23:59:59Z','mt':'0000-01-01T00:00:00.000000Z'}");
	buf_reset(&e->b);
	enc_time(e, 8, 253402300799LL, 999999999);
	ASSERT_MSG(e, Kinds, "{'t':'9999-12-31T23:59:59Z'}");
	buf_reset(&e->b);
	enc_time(e, 8, 253402300800LL, 0);
	ASSERT_ENC_FAILS(e, Kinds, "outside years 0000..9999");
	buf_reset(&e->b);
	enc_time(e, 8, INT64_MIN, 0);
	ASSERT_ENC_FAILS(e, Kinds, "outside years 0000..9999");
	buf_reset(&e->b);
	enc_time(e, 8, 253402300799LL, 1000000000);
	ASSERT_ENC_FAILS(e, Kinds, "outside years 0000..9999");
	enc_free(e);
	return 0;
}

/* The Duration string of ns nanoseconds. */
static int duration_is(int64_t ns, const char *want)
{
	struct enc *e = enc_new();
	char expect[128];
	enc_begin(e, 10);
	if (ns)
		enc_u(e, 1, (uint64_t)ns);
	enc_end(e);
	snprintf(expect, sizeof(expect), "{'d':'%s'}", want);
	ASSERT_MSG(e, Kinds, expect);
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_duration)
{
	/* Go's time.Duration.String(). */
	static const struct {
		int64_t ns;
		const char *s;
	} cases[] = {
		{ 0, "0s" },
		{ 1, "1ns" },
		{ 999, "999ns" },
		{ 1000, "1\xc2\xb5s" },
		{ 1500, "1.5\xc2\xb5s" },
		{ 500000000, "500ms" },
		{ 1234567, "1.234567ms" },
		{ 1000000000, "1s" },
		{ 1500000000, "1.5s" },
		{ 60000000000LL, "1m0s" },
		{ 90000000000LL, "1m30s" },
		{ 3600000000000LL, "1h0m0s" },
		{ 3723000000000LL, "1h2m3s" },
		{ 3723000000001LL, "1h2m3.000000001s" },
		{ -1500000000, "-1.5s" },
		{ -1, "-1ns" },
		{ INT64_MAX, "2562047h47m16.854775807s" },
		{ INT64_MIN, "-2562047h47m16.854775808s" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (duration_is(cases[i].ns, cases[i].s))
			return 1;
	return 0;
}

TEST_IMPL(protobuf_int_or_string)
{
	struct enc *e = enc_new();
	enc_begin(e, 11);
	enc_u(e, 1, 0);
	enc_u(e, 2, (uint64_t)(int64_t)-3);
	enc_s(e, 3, "ignored");
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'ios':-3}");
	buf_reset(&e->b);
	enc_begin(e, 11);
	enc_u(e, 1, 1);
	enc_u(e, 2, 0);
	enc_s(e, 3, "25%");
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'ios':'25%'}");
	/* Present means set: an empty IntOrString is the int 0 (Go writes every struct). */
	buf_reset(&e->b);
	enc_begin(e, 11);
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'ios':0}");
	buf_reset(&e->b);
	enc_begin(e, 11);
	enc_u(e, 1, 2);
	enc_end(e);
	ASSERT_ENC_FAILS(e, Kinds, "IntOrString type 2 is neither 0 (int) nor 1 (string)");
	buf_reset(&e->b);
	enc_begin(e, 11);
	enc_s(e, 1, "x");
	enc_end(e);
	ASSERT_ENC_FAILS(e, Kinds, "ios: wrong wire type 2 for IntOrString field 1 (want 0)");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_quantity)
{
	struct enc *e = enc_new();
	enc_begin(e, 7);
	enc_s(e, 1, "100m");
	enc_end(e);
	enc_begin(e, 16);
	enc_s(e, 1, "memory");
	enc_begin(e, 2);
	enc_s(e, 1, "1Gi");
	enc_end(e);
	enc_end(e);
	enc_begin(e, 16);
	enc_s(e, 1, "cpu");
	enc_begin(e, 2); /* the zero Quantity */
	enc_end(e);
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'q':'100m','mq':{'cpu':'0','memory':'1Gi'}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_raw)
{
	struct enc *e = enc_new();
	static const char obj[] = "{\"kind\":\"Pod\",\"n\":[1,2]}";
	enc_begin(e, 12);
	enc_s(e, 1, obj);
	enc_end(e);
	enc_begin(e, 18);
	enc_s(e, 1, "[true]");
	enc_end(e);
	enc_begin(e, 18); /* empty raw: Go's nil, a null element in a list */
	enc_end(e);
	enc_begin(e, 18);
	enc_s(e, 1, " \"s\" ");
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'raw':{'kind':'Pod','n':[1,2]},'lraw':[[true],null,'s']}");
	buf_reset(&e->b);
	enc_begin(e, 12);
	enc_s(e, 1, "null");
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{}");
	buf_reset(&e->b);
	enc_begin(e, 12);
	enc_s(e, 1, "\x0a\x03pod"); /* protobuf, not JSON */
	enc_end(e);
	ASSERT_ENC_FAILS(e, Kinds, "raw: raw value is not JSON");
	buf_reset(&e->b);
	enc_begin(e, 12);
	enc_s(e, 1, "{} x");
	enc_end(e);
	ASSERT_ENC_FAILS(e, Kinds, "raw value is not JSON");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_packed)
{
	/* gogo writes repeated scalars unpacked (proto2); packed runs are accepted too. */
	static const char want[] = "{'securityContext':{'runAsUser':0,'supplementalGroups':[1,2,-3,4]}}";
	struct enc *e = enc_new();
	enc_begin(e, 14);
	enc_u(e, 2, 0);
	enc_u(e, 4, 1);
	enc_u(e, 4, 2);
	enc_begin(e, 4);
	enc_varint(&e->b, (uint64_t)(int64_t)-3);
	enc_varint(&e->b, 4);
	enc_end(e);
	enc_end(e);
	ASSERT_MSG(e, PodSpec, want);
	buf_reset(&e->b);
	enc_begin(e, 13); /* packed int32, double, bool */
	enc_varint(&e->b, 7);
	enc_varint(&e->b, (uint64_t)(int64_t)-7);
	enc_end(e);
	enc_begin(e, 14);
	buf_add(&e->b, "\0\0\0\0\0\0\xf8\x3f", 8);
	enc_end(e);
	enc_f64(e, 14, 0);
	enc_begin(e, 15);
	buf_add(&e->b, "\x01\x00", 2);
	enc_end(e);
	enc_begin(e, 13); /* an empty packed run adds nothing, but the list is there */
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'li':[7,-7],'lf':[1.5,0],'lb':[true,false]}");
	buf_reset(&e->b);
	enc_begin(e, 14);
	buf_add(&e->b, "\0\0\0", 3);
	enc_end(e);
	ASSERT_ENC_FAILS(e, Kinds, "lf: truncated 8-byte value");
	buf_reset(&e->b);
	enc_begin(e, 13);
	buf_add(&e->b, "\x80", 1);
	enc_end(e);
	ASSERT_ENC_FAILS(e, Kinds, "li: truncated varint");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_maps)
{
	struct enc *e = enc_new();
	/* labels, out of order, a duplicate, an entry without a value, one without a key */
	enc_entry(e, 11, "z", "1");
	enc_entry(e, 11, "a", "first");
	enc_begin(e, 11);
	enc_s(e, 1, "empty");
	enc_end(e);
	enc_entry(e, 11, "a", "second");
	enc_begin(e, 11);
	enc_s(e, 2, "no key");
	enc_end(e);
	ASSERT_MSG(e, ObjectMeta, "{'labels':{'':'no key','a':'second','empty':'','z':'1'}}");
	/* Missing values are the zero of their kind; Time's zero is nil. */
	buf_reset(&e->b);
	enc_begin(e, 17);
	enc_s(e, 1, "t0");
	enc_end(e);
	enc_begin(e, 19);
	enc_s(e, 1, "i0");
	enc_end(e);
	enc_begin(e, 19);
	enc_s(e, 1, "i1");
	enc_u(e, 2, 1);
	enc_end(e);
	enc_begin(e, 23);
	enc_s(e, 1, "f0");
	enc_end(e);
	enc_begin(e, 24);
	enc_s(e, 1, "o");
	enc_begin(e, 2);
	enc_s(e, 1, "n");
	enc_end(e);
	enc_end(e);
	enc_begin(e, 24);
	enc_s(e, 1, "o0");
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'mt2':{'t0':null},'mi':{'i0':0,'i1':1},'mf':{'f0':0},"
			     "'mo':{'o':{'name':'n'},'o0':{}}}");
	buf_reset(&e->b);
	enc_begin(e, 11);
	enc_u(e, 1, 5);
	enc_end(e);
	ASSERT_ENC_FAILS(e, ObjectMeta, "labels: wrong wire type 0 for a map key");
	buf_reset(&e->b);
	enc_u(e, 11, 5);
	ASSERT_ENC_FAILS(e, ObjectMeta, "labels: wrong wire type 0 for a map entry");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_map_of_lists)
{
	/* UserInfo.extra is map<string, ExtraValue>, ExtraValue {repeated string items = 1}. */
	struct enc *e = enc_new();
	enc_s(e, 1, "alice");
	enc_s(e, 3, "g1");
	enc_s(e, 3, "g2");
	enc_begin(e, 4);
	enc_s(e, 1, "scopes");
	enc_begin(e, 2);
	enc_s(e, 1, "a");
	enc_s(e, 1, "");
	enc_end(e);
	enc_end(e);
	enc_begin(e, 4);
	enc_s(e, 1, "none");
	enc_end(e);
	ASSERT_MSG(e, UserInfo, "{'username':'alice','groups':['g1','g2'],'extra':{'none':[],'scopes':['a','']}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_utf8)
{
	struct enc *e = enc_new();
	/* Valid 2-, 3- and 4-byte forms are kept; a stray continuation byte, an overlong form,
	 * a surrogate, a truncated sequence and a code point above U+10FFFF each become U+FFFD per
	 * byte, as Go's JSON encoder writes them. */
	static const char in[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80";
	enc_s(e, 1, in);
	ASSERT_MSG(e, Kinds, "{'s':'\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
			     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
			     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'}");
	buf_reset(&e->b);
	enc_bytes(e, 1, "a\0b", 3);
	ASSERT_ENC_FAILS(e, Kinds, "s: string holds a NUL byte");
	buf_reset(&e->b);
	enc_begin(e, 11);
	enc_bytes(e, 1, "k\0", 2);
	enc_end(e);
	ASSERT_ENC_FAILS(e, ObjectMeta, "labels: string holds a NUL byte");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_unknown_fields)
{
	/* Unknown numbers of every wire type are skipped, groups included (nested ones too). */
	struct enc *e = enc_new();
	enc_u(e, 100, 12345);
	enc_u(e, 536870911, 7); /* the largest field number */
	enc_f64(e, 101, 1.0);
	enc_s(e, 1, "kept");
	enc_tag(e, 102, 5);
	buf_add(&e->b, "abcd", 4);
	enc_tag(e, 103, 3);
	enc_u(e, 1, 1);
	enc_tag(e, 104, 3);
	enc_s(e, 2, "x");
	enc_tag(e, 104, 4);
	enc_tag(e, 103, 4);
	enc_begin(e, 105);
	enc_s(e, 1, "not read");
	enc_end(e);
	enc_begin(e, 25);
	enc_u(e, 99, 1);
	enc_s(e, 1, "inner");
	enc_end(e);
	ASSERT_MSG(e, Kinds, "{'s':'kept','node':{'name':'inner'}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_merge)
{
	/* A singular field read twice: scalars keep the last (a later zero unsets), messages
	 * merge, lists append: proto2's rules. */
	struct enc *e = enc_new();
	enc_s(e, 1, "first");
	enc_s(e, 1, "second");
	enc_u(e, 3, 5);
	enc_u(e, 3, 0);
	enc_begin(e, 25);
	enc_s(e, 1, "n1");
	enc_begin(e, 3);
	enc_s(e, 1, "c1");
	enc_end(e);
	enc_end(e);
	enc_s(e, 22, "x");
	enc_begin(e, 25);
	enc_begin(e, 3);
	enc_s(e, 1, "c2");
	enc_end(e);
	enc_begin(e, 2);
	enc_end(e);
	enc_end(e);
	enc_s(e, 22, "y");
	ASSERT_MSG(e, Kinds, "{'s':'second','ls':['x','y'],'node':{'name':'n1','child':{},"
			     "'children':[{'name':'c1'},{'name':'c2'}]}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_inline)
{
	/* IngressRule inlines IngressRuleValue as its protobuf field 2. */
	struct enc *e = enc_new();
	enc_object(e, "networking.k8s.io/v1", "Ingress");
	enc_begin(e, 2);
	enc_begin(e, 3);
	enc_begin(e, 2); /* ingressRuleValue, inline */
	enc_begin(e, 1);
	enc_begin(e, 1);
	enc_s(e, 1, "/");
	enc_s(e, 3, "Prefix");
	enc_end(e);
	enc_end(e);
	enc_end(e);
	enc_s(e, 1, "a.example"); /* after the inline member on the wire, before it in JSON */
	enc_end(e);
	enc_end(e);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'networking.k8s.io/v1','kind':'Ingress','spec':{'rules':[{"
		       "'host':'a.example','http':{'paths':[{'path':'/','pathType':'Prefix'}]}}]}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_malformed)
{
	/* Raw bytes decoded as a Kinds message, and the message each must produce. */
	static const struct {
		const char *data;
		size_t len;
		const char *what;
	} cases[] = {
		{ "\x0a", 1, "truncated varint" },
		{ "\x0a\x05" "abc", 5, "s: length 5 runs past the end of the message (3 bytes left)" },
		{ "\x0a\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10, "length 9223372036854775807 runs past" },
		{ "\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11, "length 18446744073709551615 runs past" },
		{ "\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12, "varint longer than 10 bytes" },
		{ "\x18\x80", 2, "i32: truncated varint" },
		{ "\x08\x01", 2, "s: wrong wire type 0 for a string (want 2)" },
		{ "\x12\x00", 2, "b: wrong wire type 2 for a bool (want 0)" },
		{ "\x2d\x00\x00\x00\x00", 5, "f: wrong wire type 5 for a double (want 1)" },
		{ "\x29\x00\x00\x00\x00\x00\x00\xf8\x7f", 9, "f: double nan cannot be written as JSON" },
		{ "\x29\x00\x00\x00\x00\x00\x00\xf0\x7f", 9, "double inf cannot be written" },
		{ "\x29\x00\x00", 3, "f: truncated 8-byte value" },
		{ "\x20\x81\x80\x80\x80\x80\x80\x80\x10", 9, "i64: integer 9007199254740993 is beyond" },
		{ "\x20\xff\xff\xff\xff\xff\xff\xff\xef\xff\x01", 11, "integer -9007199254740993 is beyond" },
		{ "\x00\x01", 2, "invalid field number 0" },
		{ "\x80\x80\x80\x80\x10\x00", 6, "invalid field number 536870912" },
		{ "\xa6\x06", 2, "invalid wire type 6 (field 100)" },
		{ "\xa7\x06", 2, "invalid wire type 7 (field 100)" },
		{ "\xa5\x06\x00\x00", 4, "truncated 4-byte value" },
		{ "\xa3\x06", 2, "group 100 is not closed" },
		{ "\xa3\x06\xac\x06", 4, "group 100 closed as 101" },
		{ "\xa4\x06", 2, "unexpected end of group 100" },
		{ "\x42\x02\x08\x80", 4, "t: truncated varint" },
		{ "\x42\x02\x0a\x00", 4, "t: wrong wire type 2 for Time field 1 (want 0)" },
		{ "\xca\x01\x01\x00", 4, "node: invalid field number 0" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ASSERT_FAILS(cases[i].data, cases[i].len, &Kinds, cases[i].what);
	return 0;
}

TEST_IMPL(protobuf_error_path)
{
	/* The message names where decoding stopped. */
	struct enc *e = enc_new();
	enc_object(e, "apps/v1", "Deployment");
	enc_begin(e, 2);
	enc_begin(e, 3);
	enc_begin(e, 2);
	enc_begin(e, 2);
	enc_s(e, 1, "c");
	enc_begin(e, 6);
	enc_s(e, 3, "80");
	enc_end(e);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	cJSON *got = NULL;
	struct buf err = BUF_INIT;
	ASSERT_EQ(decode(e, &got, &err), -KUBE_EINVAL);
	ASSERT(got == NULL);
	ASSERT_STR(buf_str(&err), "protobuf: spec.template.spec.containers.ports.containerPort: "
				  "wrong wire type 2 for an int32 (want 0)");
	buf_release(&err);
	enc_free(e);
	return 0;
}

/* Builds n Node messages nested through field 2 (child). */
static void enc_nodes(struct enc *e, int n)
{
	for (int i = 0; i < n; i++)
		enc_begin(e, 2);
	enc_s(e, 1, "leaf");
	for (int i = 0; i < n; i++)
		enc_end(e);
}

TEST_IMPL(protobuf_depth)
{
	struct enc *e = enc_new();
	cJSON *got = NULL;
	/* The top message counts 1: 63 nested children are fine, 64 are one too many. */
	enc_nodes(e, PB_MAX_DEPTH - 1);
	ASSERT_EQ(pb_decode_message(e->b.data, e->b.len, &Node, &got, NULL), 0);
	cJSON *leaf = got;
	for (int i = 0; i < PB_MAX_DEPTH - 1; i++)
		leaf = cJSON_GetObjectItem(leaf, "child");
	ASSERT_STR(json_str(leaf, "name"), "leaf");
	cJSON_Delete(got);
	buf_reset(&e->b);
	enc_nodes(e, PB_MAX_DEPTH);
	ASSERT_ENC_FAILS(e, Node, "messages nested deeper than 64 levels");
	buf_reset(&e->b);
	enc_nodes(e, 10000);
	ASSERT_ENC_FAILS(e, Node, "messages nested deeper than 64 levels");
	/* Groups of an unknown field count too. */
	buf_reset(&e->b);
	for (int i = 0; i < 1000; i++)
		enc_tag(e, 9, 3);
	ASSERT_ENC_FAILS(e, Node, "messages nested deeper than 64 levels");
	/* So do map entries and list elements. */
	buf_reset(&e->b);
	for (int i = 0; i < 100; i++)
		enc_begin(e, 3);
	for (int i = 0; i < 100; i++)
		enc_end(e);
	ASSERT_ENC_FAILS(e, Node, "children.children.children");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_envelope)
{
	struct enc *e = enc_new();
	cJSON *got = NULL;
	struct buf err = BUF_INIT;
	int calls = 0;
	/* Unknown envelope fields are skipped; contentEncoding and contentType are ignored, as
	 * upstream's decoder does; apiVersion and kind come first. */
	buf_add(&e->b, "k8s", 4);
	enc_u(e, 9, 1);
	enc_begin(e, 2);
	enc_begin(e, 1);
	enc_s(e, 1, "x");
	enc_end(e);
	enc_end(e);
	enc_s(e, 3, "");
	enc_s(e, 4, "application/vnd.kubernetes.protobuf");
	enc_begin(e, 1);
	enc_s(e, 2, "ConfigMap");
	enc_s(e, 1, "v1");
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x'}}");
	/* A kind the caller does not serve. */
	buf_reset(&e->b);
	enc_object(e, "apps/v1", "ReplicaSet");
	enc_end(e);
	got = (cJSON *)1;
	ASSERT_EQ(pb_decode_object(e->b.data, e->b.len, test_lookup, &calls, &got, &err), -KUBE_ENOTFOUND);
	ASSERT(got == NULL);
	ASSERT_EQ(calls, 1);
	ASSERT_STR(buf_str(&err), "no kind \"ReplicaSet\" is registered for version \"apps/v1\"");
	/* No TypeMeta and no raw: the lookup sees "" for both. */
	buf_reset(&e->b);
	buf_reset(&err);
	buf_add(&e->b, "k8s", 4);
	ASSERT_EQ(pb_decode_object(e->b.data, e->b.len, test_lookup, &calls, &got, &err), -KUBE_ENOTFOUND);
	ASSERT_STR(buf_str(&err), "no kind \"\" is registered for version \"\"");
	ASSERT_EQ(calls, 2);
	/* A lookup may default what the body leaves out: no raw is an empty object. */
	buf_reset(&e->b);
	buf_add(&e->b, "k8s", 4);
	enc_begin(e, 1);
	enc_s(e, 2, "Namespace");
	enc_end(e);
	enc_begin(e, 1);
	enc_s(e, 1, "v1");
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'v1','kind':'Namespace'}");
	buf_release(&err);
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_envelope_malformed)
{
	static const struct {
		const char *data;
		size_t len;
		const char *what;
	} cases[] = {
		{ "", 0, "does not start with the prefix" },
		{ "k8s", 3, "does not start with the prefix" },
		{ "{\"kind\":\"Pod\"}", 14, "does not start with the prefix" },
		{ "k8s\0\x0a", 5, "protobuf: runtime.Unknown: truncated varint" },
		{ "k8s\0\x08\x01", 6, "runtime.Unknown: wrong wire type 0 for field 1 (want 2)" },
		{ "k8s\0\x12\x05", 6, "runtime.Unknown: length 5 runs past the end" },
		{ "k8s\0\x0a\x02\x08\x01", 8, "runtime.Unknown: wrong wire type 0 for TypeMeta field 1 (want 2)" },
		{ "k8s\0\x0a\x03\x0a\x01\x00", 9, "runtime.Unknown: string holds a NUL byte" },
		{ "k8s\0\x0a\x0e\x0a\x02v1\x12\x08" "Kinds\x00\x00\x00", 20, "string holds a NUL byte" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *got = (cJSON *)1;
		struct buf err = BUF_INIT;
		int rc = pb_decode_object(cases[i].data, cases[i].len, test_lookup, NULL, &got, &err);
		if (rc != -KUBE_EINVAL || got || !strstr(buf_str(&err), cases[i].what))
			FAIL("case %zu: rc %d, \"%s\", want \"%s\"", i, rc, buf_str(&err), cases[i].what);
		buf_release(&err);
	}
	/* A malformed object inside a valid envelope. */
	struct enc *e = enc_new();
	enc_object(e, "test/v1", "Kinds");
	enc_u(e, 1, 1);
	enc_end(e);
	cJSON *got = NULL;
	struct buf err = BUF_INIT;
	ASSERT_EQ(decode(e, &got, &err), -KUBE_EINVAL);
	ASSERT_STR(buf_str(&err), "protobuf: s: wrong wire type 0 for a string (want 2)");
	buf_release(&err);
	enc_free(e);
	return 0;
}

/* ObjectMeta as gogo writes it: every string, generation and an empty creationTimestamp. */
static void enc_meta(struct enc *e, int field, const char *name, const char *ns)
{
	enc_begin(e, field);
	enc_s(e, 1, name);
	enc_s(e, 2, "");
	enc_s(e, 3, ns);
	enc_s(e, 4, "");
	enc_s(e, 5, "");
	enc_s(e, 6, "");
	enc_u(e, 7, 0);
	enc_begin(e, 8);
	enc_end(e);
}

/* A Quantity map entry {key: {1: value}}. */
static void enc_quantity(struct enc *e, int field, const char *key, const char *value)
{
	enc_begin(e, field);
	enc_s(e, 1, key);
	enc_begin(e, 2);
	enc_s(e, 1, value);
	enc_end(e);
	enc_end(e);
}

/* A container with ports, env and resources, every scalar written as gogo does. */
static void enc_container(struct enc *e)
{
	enc_begin(e, 2);
	enc_s(e, 1, "web");
	enc_s(e, 2, "nginx:1.27");
	enc_s(e, 4, "--port");
	enc_s(e, 4, "80");
	enc_s(e, 5, "");
	enc_begin(e, 6);
	enc_s(e, 1, "http");
	enc_u(e, 2, 0);
	enc_u(e, 3, 80);
	enc_s(e, 4, "TCP");
	enc_s(e, 5, "");
	enc_end(e);
	enc_begin(e, 7);
	enc_s(e, 1, "MODE");
	enc_s(e, 2, "prod");
	enc_end(e);
	enc_begin(e, 7);
	enc_s(e, 1, "EMPTY");
	enc_s(e, 2, "");
	enc_end(e);
	enc_begin(e, 8);
	enc_quantity(e, 1, "memory", "128Mi");
	enc_quantity(e, 1, "cpu", "500m");
	enc_quantity(e, 2, "cpu", "250m");
	enc_end(e);
	enc_u(e, 16, 0);
	enc_u(e, 18, 0);
	enc_end(e);
}

/* A DeploymentSpec with replicas 0, a template and a RollingUpdate strategy. */
static void enc_deployment_spec(struct enc *e)
{
	enc_begin(e, 2);
	enc_u(e, 1, 0); /* replicas: *int32, so 0 is kept */
	enc_begin(e, 2);
	enc_entry(e, 1, "app", "web");
	enc_end(e);
	enc_begin(e, 3);
	enc_meta(e, 1, "", "");
	enc_entry(e, 11, "app", "web");
	enc_end(e);
	enc_begin(e, 2);
	enc_container(e);
	enc_s(e, 3, "Always");
	enc_u(e, 4, 30);
	enc_u(e, 11, 0);
	enc_end(e);
	enc_end(e);
	enc_begin(e, 4);
	enc_s(e, 1, "RollingUpdate");
	enc_begin(e, 2);
	enc_begin(e, 1);
	enc_u(e, 1, 1);
	enc_s(e, 3, "25%");
	enc_end(e);
	enc_begin(e, 2);
	enc_u(e, 2, 2);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	enc_u(e, 5, 0);
	enc_u(e, 6, 10);
	enc_u(e, 7, 0);
	enc_end(e);
}

TEST_IMPL(protobuf_deployment)
{
	struct enc *e = enc_new();
	enc_object(e, "apps/v1", "Deployment");
	enc_meta(e, 1, "web", "prod");
	enc_entry(e, 11, "app", "web");
	enc_entry(e, 12, "note", "");
	enc_end(e);
	enc_deployment_spec(e);
	enc_begin(e, 3);
	enc_u(e, 1, 3);
	enc_u(e, 2, 1);
	enc_begin(e, 6);
	enc_s(e, 1, "Available");
	enc_s(e, 2, "True");
	enc_time(e, 6, 1700000000, 0);
	enc_begin(e, 7);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
		       "'namespace':'prod','labels':{'app':'web'},'annotations':{'note':''}},"
		       "'spec':{'replicas':0,'selector':{'matchLabels':{'app':'web'}},'template':{"
		       "'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web',"
		       "'image':'nginx:1.27','args':['--port','80'],'ports':[{'name':'http',"
		       "'containerPort':80,'protocol':'TCP'}],'env':[{'name':'MODE','value':'prod'},"
		       "{'name':'EMPTY'}],'resources':{'limits':{'cpu':'500m','memory':'128Mi'},"
		       "'requests':{'cpu':'250m'}}}],'restartPolicy':'Always',"
		       "'terminationGracePeriodSeconds':30}},'strategy':{'type':'RollingUpdate',"
		       "'rollingUpdate':{'maxUnavailable':'25%','maxSurge':2}},"
		       "'revisionHistoryLimit':10},'status':{'observedGeneration':3,'replicas':1,"
		       "'conditions':[{'type':'Available','status':'True',"
		       "'lastUpdateTime':'2023-11-14T22:13:20Z'}]}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_secret)
{
	struct enc *e = enc_new();
	enc_object(e, "v1", "Secret");
	enc_meta(e, 1, "tls", "default");
	enc_end(e);
	enc_begin(e, 2);
	enc_s(e, 1, "tls.key");
	enc_bytes(e, 2, "\x00\x10\x83\xff", 4);
	enc_end(e);
	enc_begin(e, 2);
	enc_s(e, 1, "empty");
	enc_bytes(e, 2, "", 0);
	enc_end(e);
	enc_begin(e, 4);
	enc_s(e, 1, "plain");
	enc_s(e, 2, "text");
	enc_end(e);
	enc_s(e, 3, "kubernetes.io/tls");
	enc_u(e, 5, 1);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'tls','namespace':"
		       "'default'},'immutable':true,'data':{'empty':'','tls.key':'ABCD/w=='},"
		       "'stringData':{'plain':'text'},'type':'kubernetes.io/tls'}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_service)
{
	struct enc *e = enc_new();
	enc_object(e, "v1", "Service");
	enc_meta(e, 1, "web", "");
	enc_end(e);
	enc_begin(e, 2);
	enc_begin(e, 1);
	enc_s(e, 1, "http");
	enc_s(e, 2, "TCP");
	enc_u(e, 3, 80);
	enc_begin(e, 4);
	enc_u(e, 1, 1);
	enc_u(e, 2, 0);
	enc_s(e, 3, "http");
	enc_end(e);
	enc_u(e, 5, 0);
	enc_end(e);
	enc_begin(e, 1);
	enc_s(e, 1, "");
	enc_s(e, 2, "UDP");
	enc_u(e, 3, 53);
	enc_begin(e, 4);
	enc_u(e, 1, 0);
	enc_u(e, 2, 5353);
	enc_s(e, 3, "");
	enc_end(e);
	enc_u(e, 5, 30053);
	enc_end(e);
	enc_entry(e, 2, "app", "web");
	enc_s(e, 3, "None");
	enc_s(e, 4, "ClusterIP");
	enc_s(e, 17, "SingleStack");
	enc_u(e, 20, 0);
	enc_end(e);
	enc_begin(e, 3);
	enc_begin(e, 1);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'v1','kind':'Service','metadata':{'name':'web'},'spec':{"
		       "'ports':[{'name':'http','protocol':'TCP','port':80,'targetPort':'http'},"
		       "{'protocol':'UDP','port':53,'targetPort':5353,'nodePort':30053}],"
		       "'selector':{'app':'web'},'clusterIP':'None','type':'ClusterIP',"
		       "'ipFamilyPolicy':'SingleStack','allocateLoadBalancerNodePorts':false},"
		       "'status':{'loadBalancer':{}}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_job)
{
	struct enc *e = enc_new();
	enc_object(e, "batch/v1", "Job");
	enc_meta(e, 1, "pi", "default");
	enc_end(e);
	enc_begin(e, 2);
	enc_u(e, 1, 1);
	enc_u(e, 7, 0);
	enc_begin(e, 6);
	enc_begin(e, 2);
	enc_begin(e, 2);
	enc_s(e, 1, "pi");
	enc_s(e, 2, "perl");
	enc_s(e, 3, "perl");
	enc_s(e, 3, "-e");
	enc_end(e);
	enc_s(e, 3, "Never");
	enc_end(e);
	enc_end(e);
	enc_u(e, 10, 0);
	enc_end(e);
	enc_begin(e, 3);
	enc_time(e, 2, 1700000000, 0);
	enc_u(e, 4, 1);
	enc_u(e, 5, 0);
	enc_u(e, 9, 0);
	enc_end(e);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'pi','namespace':"
		       "'default'},'spec':{'parallelism':1,'backoffLimit':0,'template':{'spec':{"
		       "'containers':[{'name':'pi','image':'perl','command':['perl','-e']}],"
		       "'restartPolicy':'Never'}},'suspend':false},'status':{"
		       "'startTime':'2023-11-14T22:13:20Z','active':1,'ready':0}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_token_request)
{
	struct enc *e = enc_new();
	enc_object(e, "authentication.k8s.io/v1", "TokenRequest");
	enc_meta(e, 1, "", "");
	enc_end(e);
	enc_begin(e, 2);
	enc_s(e, 1, "https://kubernetes.default.svc");
	enc_begin(e, 3);
	enc_s(e, 1, "Pod");
	enc_s(e, 2, "v1");
	enc_s(e, 3, "p");
	enc_s(e, 4, "");
	enc_end(e);
	enc_u(e, 4, 600);
	enc_end(e);
	enc_begin(e, 3);
	enc_s(e, 1, "");
	enc_begin(e, 2);
	enc_end(e);
	enc_end(e);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','metadata':{},"
		       "'spec':{'audiences':['https://kubernetes.default.svc'],'expirationSeconds':600,"
		       "'boundObjectRef':{'kind':'Pod','apiVersion':'v1','name':'p'}},"
		       "'status':{'token':''}}");
	enc_free(e);
	return 0;
}

TEST_IMPL(protobuf_access_review)
{
	struct enc *e = enc_new();
	enc_object(e, "authorization.k8s.io/v1", "SelfSubjectAccessReview");
	enc_meta(e, 1, "", "");
	enc_end(e);
	enc_begin(e, 2);
	enc_begin(e, 1);
	enc_s(e, 1, "default");
	enc_s(e, 2, "create");
	enc_s(e, 3, "apps");
	enc_s(e, 4, "");
	enc_s(e, 5, "deployments");
	enc_s(e, 6, "scale");
	enc_s(e, 7, "");
	enc_end(e);
	enc_end(e);
	enc_begin(e, 3);
	enc_u(e, 1, 1);
	enc_s(e, 2, "");
	enc_s(e, 3, "");
	enc_u(e, 4, 0);
	enc_end(e);
	enc_end(e);
	ASSERT_BODY(e, "{'apiVersion':'authorization.k8s.io/v1','kind':'SelfSubjectAccessReview',"
		       "'metadata':{},'spec':{'resourceAttributes':{'namespace':'default','verb':"
		       "'create','group':'apps','resource':'deployments','subresource':'scale'}},"
		       "'status':{'allowed':true}}");
	enc_free(e);
	return 0;
}
