/*
 * protobuf.c - decodes Kubernetes protobuf request bodies (kubectl 1.32+ typed clients) into
 * the JSON object upstream's Go types would marshal to; see protobuf.h for the mapping.
 *
 * DESIGN
 * One generic decoder walks the wire format with the type tables of schema.h: for each tag it
 * finds the field by protobuf number in the current struct sch_type and decodes the value by
 * the field's kind; unknown numbers are skipped. There is no code per Kubernetes type.
 *
 * Reading. struct pb_in is a bounded byte range. Every length is compared with the bytes left
 * before it is used, so a hostile length never allocates or reads past the end; every output
 * node is made from input bytes, so memory stays linear in the body size. Recursion (nested
 * messages, groups being skipped) is bounded by PB_MAX_DEPTH.
 *
 * Building. Values go straight into the cJSON tree. A singular field read twice keeps the last
 * value (messages merge, as proto2 does); repeated fields append; map entries append without a
 * lookup, so a map of n entries costs O(n), not O(n^2). Once the whole message is read, a
 * finishing pass sorts each map by key (stable, so the last duplicate wins, and Go's JSON
 * encoder sorts map keys too) and puts the fields of every object in schema order, which is Go's
 * struct order. Lookups by name go over at most one struct's fields, never over map entries.
 *
 * Zero values. gogo writes every non-pointer scalar, set or not, so a zero scalar on the wire
 * means "unset" unless the field is SF_KEEP_ZERO (a Go pointer or a field without omitempty).
 * Messages are written for non-pointer structs and for set pointers alike, and Go's JSON writes
 * every struct field, so a message that is present is always kept, even when empty.
 */
#include "protobuf.h"
#include "lib/utf8.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/pki.h"
#include "lib/util.h"
#include "server/schema.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PB_MAX_FIELD 536870911 /* 2^29 - 1 */
#define PB_MAX_SAFE_INT 9007199254740992LL /* 2^53: beyond, a double loses integers */

enum pb_wire { PB_VARINT = 0, PB_FIXED64 = 1, PB_BYTES = 2, PB_SGROUP = 3, PB_EGROUP = 4, PB_FIXED32 = 5 };

/* A byte range being read: p advances towards end. */
struct pb_in {
	const uint8_t *p, *end;
};

/* The state of one decode call, owned by it. */
struct pb_dec {
	struct buf *err;  /* borrowed, may be NULL */
	struct buf path;  /* dotted JSON path of the field being read, for messages */
	struct buf tmp;   /* scratch for strings and base64 */
	int depth;        /* messages and groups entered */
	int failed;       /* an error was reported: later ones are not appended */
};

static size_t pb__left(const struct pb_in *in)
{
	return (size_t)(in->end - in->p);
}

/* Appends "protobuf: <path>: <message>" to the error buffer (first error only). Returns
 * -KUBE_EINVAL. */
__attribute__((format(printf, 2, 3))) static int pb__fail(struct pb_dec *d, const char *fmt, ...)
{
	if (d->failed)
		return -KUBE_EINVAL;
	d->failed = 1;
	if (!d->err)
		return -KUBE_EINVAL;
	buf_adds(d->err, "protobuf: ");
	if (d->path.len)
		buf_addf(d->err, "%s: ", d->path.data);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(d->err, fmt, ap);
	va_end(ap);
	return -KUBE_EINVAL;
}

/* ---- wire format ------------------------------------------------------------------------- */

/* Reads a base-128 varint of at most 10 bytes (bits beyond 64 are dropped, as Go does). */
static int pb__varint(struct pb_dec *d, struct pb_in *in, uint64_t *v)
{
	uint64_t x = 0;
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (in->p == in->end)
			return pb__fail(d, "truncated varint");
		uint8_t b = *in->p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*v = x;
			return 0;
		}
	}
	return pb__fail(d, "varint longer than 10 bytes");
}

/* Reads n fixed bytes as a little-endian number. */
static int pb__fixed(struct pb_dec *d, struct pb_in *in, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	*v = 0;
	if (pb__left(in) < n)
		return pb__fail(d, "truncated %zu-byte value", n);
	for (size_t i = 0; i < n; i++)
		x |= (uint64_t)in->p[i] << (8 * i);
	in->p += n;
	*v = x;
	return 0;
}

/* Reads a length-delimited value into sub, checking the length against the bytes left. */
static int pb__bytes(struct pb_dec *d, struct pb_in *in, struct pb_in *sub)
{
	uint64_t n;
	if (pb__varint(d, in, &n) < 0)
		return -KUBE_EINVAL;
	if (n > pb__left(in))
		return pb__fail(d, "length %llu runs past the end of the message (%zu bytes left)",
				(unsigned long long)n, pb__left(in));
	sub->p = in->p;
	sub->end = in->p + n;
	in->p += n;
	return 0;
}

/* Reads a tag: field number (1 .. 2^29-1) and wire type. */
static int pb__tag(struct pb_dec *d, struct pb_in *in, uint32_t *field, int *wire)
{
	uint64_t t;
	*field = 0;
	*wire = 0;
	if (pb__varint(d, in, &t) < 0)
		return -KUBE_EINVAL;
	if ((t >> 3) == 0 || (t >> 3) > PB_MAX_FIELD)
		return pb__fail(d, "invalid field number %llu", (unsigned long long)(t >> 3));
	*field = (uint32_t)(t >> 3);
	*wire = (int)(t & 7);
	return 0;
}

static int pb__enter(struct pb_dec *d)
{
	if (++d->depth > PB_MAX_DEPTH)
		return pb__fail(d, "messages nested deeper than %d levels", PB_MAX_DEPTH);
	return 0;
}

static int pb__skip(struct pb_dec *d, struct pb_in *in, uint32_t field, int wire);

/* Skips a group up to its end tag (field numbers must match). */
static int pb__skip_group(struct pb_dec *d, struct pb_in *in, uint32_t field)
{
	if (pb__enter(d) < 0)
		return -KUBE_EINVAL;
	for (;;) {
		uint32_t f;
		int w;
		if (in->p == in->end)
			return pb__fail(d, "group %u is not closed", field);
		if (pb__tag(d, in, &f, &w) < 0)
			return -KUBE_EINVAL;
		if (w == PB_EGROUP) {
			if (f != field)
				return pb__fail(d, "group %u closed as %u", field, f);
			d->depth--;
			return 0;
		}
		if (pb__skip(d, in, f, w) < 0)
			return -KUBE_EINVAL;
	}
}

/* Skips the value of an unknown field. */
static int pb__skip(struct pb_dec *d, struct pb_in *in, uint32_t field, int wire)
{
	uint64_t v;
	struct pb_in sub;
	switch (wire) {
	case PB_VARINT:
		return pb__varint(d, in, &v);
	case PB_FIXED64:
		return pb__fixed(d, in, 8, &v);
	case PB_BYTES:
		return pb__bytes(d, in, &sub);
	case PB_FIXED32:
		return pb__fixed(d, in, 4, &v);
	case PB_SGROUP:
		return pb__skip_group(d, in, field);
	case PB_EGROUP:
		return pb__fail(d, "unexpected end of group %u", field);
	default:
		return pb__fail(d, "invalid wire type %d (field %u)", wire, field);
	}
}

/* ---- scalar values ----------------------------------------------------------------------- */

/* The wire type a value of kind k is written with (repeated ones may also come packed). */
static int pb__wire_of(enum sch_kind k)
{
	switch (k) {
	case SK_BOOL:
	case SK_INT32:
	case SK_INT64:
		return PB_VARINT;
	case SK_FLOAT64:
		return PB_FIXED64;
	default:
		return PB_BYTES;
	}
}

/* The kind's name with its article, for messages: "a string", "an int32". */
static const char *pb__kind_name(enum sch_kind k)
{
	static const char *const names[] = {
		[SK_STRING] = "a string", [SK_BOOL] = "a bool", [SK_INT32] = "an int32",
		[SK_INT64] = "an int64", [SK_FLOAT64] = "a double", [SK_BYTES] = "bytes",
		[SK_QUANTITY] = "a Quantity", [SK_TIME] = "a Time", [SK_MICROTIME] = "a MicroTime",
		[SK_DURATION] = "a Duration", [SK_INT_OR_STRING] = "an IntOrString",
		[SK_RAW] = "a RawExtension", [SK_OBJECT] = "a message",
	};
	return (unsigned)k < ARRAY_SIZE(names) && names[k] ? names[k] : "an unknown kind";
}

/* Returns the length of the valid UTF-8 sequence at s (n bytes left), or 0 when invalid. */
static size_t pb__utf8_len(const uint8_t *s, size_t n)
{
	int32_t r;
	size_t len = utf8_decode(s, n, &r);
	return r < 0 ? 0 : len;
}

/* Copies the bytes of in into d->tmp as a C string, each invalid UTF-8 byte becoming U+FFFD
 * (as Go's JSON encoder writes it). A NUL byte is an error: the tree cannot hold it. */
static int pb__text(struct pb_dec *d, struct pb_in in)
{
	buf_reset(&d->tmp);
	while (in.p < in.end) {
		if (*in.p == 0)
			return pb__fail(d, "string holds a NUL byte");
		size_t n = pb__utf8_len(in.p, pb__left(&in));
		if (n)
			buf_add(&d->tmp, in.p, n);
		else
			buf_adds(&d->tmp, "\xef\xbf\xbd");
		in.p += n ? n : 1;
	}
	return 0;
}

/* Makes a JSON number of an integer that a double holds exactly. */
static int pb__int(struct pb_dec *d, int64_t v, cJSON **out)
{
	if (v > PB_MAX_SAFE_INT || v < -PB_MAX_SAFE_INT)
		return pb__fail(d, "integer %lld is beyond the +-2^53 this server can store",
				(long long)v);
	*out = cJSON_CreateNumber((double)v);
	return 0;
}

/* Decodes a varint or fixed64 scalar of kind k. *zero tells whether it is the zero value. */
static int pb__number(struct pb_dec *d, struct pb_in *in, enum sch_kind k, cJSON **out, int *zero)
{
	uint64_t v;
	if (k == SK_FLOAT64) {
		if (pb__fixed(d, in, 8, &v) < 0)
			return -KUBE_EINVAL;
		double f;
		memcpy(&f, &v, sizeof(f));
		if (!isfinite(f))
			return pb__fail(d, "double %g cannot be written as JSON", f);
		*zero = f == 0;
		*out = cJSON_CreateNumber(f);
		return 0;
	}
	if (pb__varint(d, in, &v) < 0)
		return -KUBE_EINVAL;
	if (k == SK_BOOL) {
		*zero = v == 0;
		*out = cJSON_CreateBool(v != 0);
		return 0;
	}
	/* int32 keeps the low 32 bits (negatives come sign-extended to 10 bytes), as Go does. */
	int64_t n = k == SK_INT32 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
	*zero = n == 0;
	return pb__int(d, n, out);
}

/* ---- well-known messages ----------------------------------------------------------------- */

/* The fields 1..3 of a small well-known message: numbers for varint fields, ranges for
 * length-delimited ones. */
struct pb_small {
	uint64_t num[4];
	struct pb_in str[4];
};

/* Reads a small message (named what, for errors) whose fields 1..strlen(wires) have the wire
 * types given as digits in wires ("00" for Time); other fields are skipped. Absent fields stay
 * zero / empty. */
static int pb__small(struct pb_dec *d, struct pb_in in, const char *what, const char *wires,
		     struct pb_small *s)
{
	memset(s, 0, sizeof(*s));
	if (pb__enter(d) < 0)
		return -KUBE_EINVAL;
	while (in.p < in.end) {
		uint32_t f;
		int w, rc;
		if (pb__tag(d, &in, &f, &w) < 0)
			return -KUBE_EINVAL;
		if (f > strlen(wires)) {
			rc = pb__skip(d, &in, f, w);
		} else if (w != wires[f - 1] - '0') {
			return pb__fail(d, "wrong wire type %d for %s field %u (want %c)", w, what,
					f, wires[f - 1]);
		} else if (w == PB_BYTES) {
			rc = pb__bytes(d, &in, &s->str[f]);
		} else {
			rc = pb__varint(d, &in, &s->num[f]);
		}
		if (rc < 0)
			return -KUBE_EINVAL;
	}
	d->depth--;
	return 0;
}

/* metav1.Time / MicroTime {1: seconds, 2: nanos}: RFC 3339 in UTC, NULL for the zero time
 * (an empty message). Years outside 0000..9999 are an error (RFC 3339 cannot write them). */
static int pb__time(struct pb_dec *d, struct pb_in in, int micro, cJSON **out)
{
	struct pb_small s;
	*out = NULL;
	if (in.p == in.end)
		return 0;
	if (pb__small(d, in, "Time", "00", &s) < 0)
		return -KUBE_EINVAL;
	int64_t sec = (int64_t)s.num[1], nanos = (int32_t)(uint32_t)s.num[2];
	/* 0000-01-01 .. 9999-12-31 is -62167219200 .. 253402300799; checked before adding. */
	if (sec < -62167219200LL - 3 || sec > 253402300799LL + 3)
		return pb__fail(d, "time %lld is outside years 0000..9999", (long long)sec);
	sec += nanos / 1000000000 - (nanos % 1000000000 < 0);
	nanos = (nanos % 1000000000 + 1000000000) % 1000000000;
	time_t tt = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return pb__fail(d, "time %lld is outside years 0000..9999", (long long)sec);
	char text[40];
	int n = snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (micro)
		n += snprintf(text + n, sizeof(text) - (size_t)n, ".%06d", (int)(nanos / 1000));
	snprintf(text + n, sizeof(text) - (size_t)n, "Z");
	*out = cJSON_CreateString(text);
	return 0;
}

/* Appends to out the digits of frac (prec digits wide) without trailing zeros, after a '.'. */
static void pb__frac(struct buf *out, uint64_t frac, int prec)
{
	char digits[16];
	snprintf(digits, sizeof(digits), "%0*llu", prec, (unsigned long long)frac);
	int n = prec;
	while (n > 0 && digits[n - 1] == '0')
		n--;
	if (n) {
		buf_addch(out, '.');
		buf_add(out, digits, (size_t)n);
	}
}

/* Writes a Go time.Duration the way Duration.String does: "1h2m3.5s", "500ms", "1.5µs", "0s". */
static void pb__duration_text(int64_t ns, struct buf *out)
{
	uint64_t u = ns < 0 ? -(uint64_t)ns : (uint64_t)ns;
	if (ns < 0)
		buf_addch(out, '-');
	if (u == 0) {
		buf_adds(out, "0s");
	} else if (u < 1000) {
		buf_addf(out, "%lluns", (unsigned long long)u);
	} else if (u < 1000000) {
		buf_addf(out, "%llu", (unsigned long long)(u / 1000));
		pb__frac(out, u % 1000, 3);
		buf_adds(out, "\xc2\xb5s"); /* U+00B5, as Go writes it */
	} else if (u < 1000000000) {
		buf_addf(out, "%llu", (unsigned long long)(u / 1000000));
		pb__frac(out, u % 1000000, 6);
		buf_adds(out, "ms");
	} else {
		uint64_t s = u / 1000000000;
		if (s >= 3600)
			buf_addf(out, "%lluh", (unsigned long long)(s / 3600));
		if (s >= 60)
			buf_addf(out, "%llum", (unsigned long long)(s / 60 % 60));
		buf_addf(out, "%llu", (unsigned long long)(s % 60));
		pb__frac(out, u % 1000000000, 9);
		buf_addch(out, 's');
	}
}

/* metav1.Duration {1: int64 nanoseconds}. */
static int pb__duration(struct pb_dec *d, struct pb_in in, cJSON **out)
{
	struct pb_small s;
	if (pb__small(d, in, "Duration", "0", &s) < 0)
		return -KUBE_EINVAL;
	buf_reset(&d->tmp);
	pb__duration_text((int64_t)s.num[1], &d->tmp);
	*out = cJSON_CreateString(buf_str(&d->tmp));
	return 0;
}

/* intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}. */
static int pb__int_or_string(struct pb_dec *d, struct pb_in in, cJSON **out)
{
	struct pb_small s;
	if (pb__small(d, in, "IntOrString", "002", &s) < 0)
		return -KUBE_EINVAL;
	if (s.num[1] == 0)
		return pb__int(d, (int32_t)(uint32_t)s.num[2], out);
	if (s.num[1] != 1)
		return pb__fail(d, "IntOrString type %lld is neither 0 (int) nor 1 (string)",
				(long long)s.num[1]);
	if (pb__text(d, s.str[3]) < 0)
		return -KUBE_EINVAL;
	*out = cJSON_CreateString(buf_str(&d->tmp));
	return 0;
}

/* resource.Quantity {1: string}: the string as sent; an empty message is the zero "0". */
static int pb__quantity(struct pb_dec *d, struct pb_in in, cJSON **out)
{
	struct pb_small s;
	if (pb__small(d, in, "Quantity", "2", &s) < 0)
		return -KUBE_EINVAL;
	if (!s.str[1].p) {
		*out = cJSON_CreateString("0");
		return 0;
	}
	if (pb__text(d, s.str[1]) < 0)
		return -KUBE_EINVAL;
	*out = cJSON_CreateString(buf_str(&d->tmp));
	return 0;
}

/* runtime.RawExtension and other raw JSON {1: bytes}: the JSON parsed; NULL when empty or null. */
static int pb__raw(struct pb_dec *d, struct pb_in in, cJSON **out)
{
	struct pb_small s;
	*out = NULL;
	if (pb__small(d, in, "RawExtension", "2", &s) < 0)
		return -KUBE_EINVAL;
	size_t n = pb__left(&s.str[1]);
	if (n == 0)
		return 0;
	struct buf why = BUF_INIT;
	cJSON *j = json_parse((const char *)s.str[1].p, n, &why);
	if (!j) {
		pb__fail(d, "raw value is not JSON: %s", buf_str(&why));
		buf_release(&why);
		return -KUBE_EINVAL;
	}
	buf_release(&why);
	if (cJSON_IsNull(j))
		cJSON_Delete(j);
	else
		*out = j;
	return 0;
}

/* ---- messages ---------------------------------------------------------------------------- */

static int pb__message(struct pb_dec *d, struct pb_in in, const struct sch_type *t, cJSON *obj);

/* Decodes one length-delimited value of kind k from in (the bytes after the tag). For SK_OBJECT
 * the message merges into *out when it is an object already, else into a new one. *out is NULL
 * for a nil value (zero Time, empty raw); *zero tells whether a string or bytes value is empty. */
static int pb__lenval(struct pb_dec *d, struct pb_in *in, enum sch_kind k, const struct sch_type *t,
		      cJSON **out, int *zero)
{
	struct pb_in v;
	if (pb__bytes(d, in, &v) < 0)
		return -KUBE_EINVAL;
	*zero = (k == SK_STRING || k == SK_BYTES) && v.p == v.end;
	switch (k) {
	case SK_STRING:
		if (pb__text(d, v) < 0)
			return -KUBE_EINVAL;
		*out = cJSON_CreateString(buf_str(&d->tmp));
		return 0;
	case SK_BYTES:
		buf_reset(&d->tmp);
		pki_base64(v.p, pb__left(&v), &d->tmp);
		*out = cJSON_CreateString(buf_str(&d->tmp));
		return 0;
	case SK_QUANTITY:
		return pb__quantity(d, v, out);
	case SK_TIME:
	case SK_MICROTIME:
		return pb__time(d, v, k == SK_MICROTIME, out);
	case SK_DURATION:
		return pb__duration(d, v, out);
	case SK_INT_OR_STRING:
		return pb__int_or_string(d, v, out);
	case SK_RAW:
		return pb__raw(d, v, out);
	case SK_OBJECT:
		if (!t)
			return pb__fail(d, "schema error: message field without a type");
		if (t->flags & ST_ANY) /* a free-form type kube has no protobuf table for */
			return pb__fail(d, "%s cannot be decoded from protobuf here: send JSON", t->name);
		if (!cJSON_IsObject(*out)) {
			cJSON_Delete(*out);
			*out = cJSON_CreateObject();
		}
		return pb__message(d, v, t, *out);
	default:
		return pb__fail(d, "schema error: kind %d", (int)k);
	}
}

/* Decodes one value of kind k whose tag had wire type wire, checking the wire type. */
static int pb__value(struct pb_dec *d, struct pb_in *in, int wire, enum sch_kind k,
		     const struct sch_type *t, cJSON **out, int *zero)
{
	if (wire != pb__wire_of(k))
		return pb__fail(d, "wrong wire type %d for %s (want %d)", wire, pb__kind_name(k),
				pb__wire_of(k));
	if (wire != PB_BYTES)
		return pb__number(d, in, k, out, zero);
	return pb__lenval(d, in, k, t, out, zero);
}

/* Returns obj[name] when it is of type (cJSON_Array / cJSON_Object), else creates it there. */
static cJSON *pb__container(cJSON *obj, const char *name, int type)
{
	cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (c && (c->type & 0xff) == type)
		return c;
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	c = type == cJSON_Array ? cJSON_CreateArray() : cJSON_CreateObject();
	cJSON_AddItemToObject(obj, name, c);
	return c;
}

/* A repeated field: one element, or a packed run of scalars. Elements are never dropped. */
static int pb__list(struct pb_dec *d, struct pb_in *in, int wire, const struct sch_field *f,
		    cJSON *obj)
{
	cJSON *arr = pb__container(obj, f->name, cJSON_Array);
	struct pb_in run;
	int packed = wire == PB_BYTES && pb__wire_of(f->kind) != PB_BYTES, zero;
	if (!packed) {
		cJSON *item = NULL;
		int rc = pb__value(d, in, wire, f->kind, f->type, &item, &zero);
		cJSON_AddItemToArray(arr, item ? item : cJSON_CreateNull()); /* freed with obj on error */
		return rc;
	}
	if (pb__bytes(d, in, &run) < 0)
		return -KUBE_EINVAL;
	while (run.p < run.end) {
		cJSON *item = NULL;
		if (pb__number(d, &run, f->kind, &item, &zero) < 0)
			return -KUBE_EINVAL;
		cJSON_AddItemToArray(arr, item);
	}
	return 0;
}

/* Decodes a map value: one value of f's kind, or for a map of lists the wrapper message whose
 * field 1 repeats the elements (gogo's ExtraValue). NULL *out stands for Go's nil. */
static int pb__map_value(struct pb_dec *d, struct pb_in *in, int wire, const struct sch_field *f,
			 cJSON **out)
{
	int zero;
	if (f->list == SL_NONE) {
		if (f->kind != SK_OBJECT) { /* a repeated value field: the last one wins */
			cJSON_Delete(*out);
			*out = NULL;
		}
		return pb__value(d, in, wire, f->kind, f->type, out, &zero);
	}
	struct sch_field items = { .name = "items", .proto = 1, .kind = f->kind,
				   .list = f->list, .type = f->type };
	struct sch_type wrapper = { .name = "wrapper", .fields = &items, .nfields = 1 };
	cJSON *w = NULL;
	if (pb__value(d, in, wire, SK_OBJECT, &wrapper, &w, &zero) < 0) {
		cJSON_Delete(w);
		return -KUBE_EINVAL;
	}
	cJSON *arr = cJSON_DetachItemFromObjectCaseSensitive(w, "items");
	cJSON_Delete(w);
	cJSON_Delete(*out);
	*out = arr ? arr : cJSON_CreateArray();
	return 0;
}

/* The value a map entry without field 2 has: the zero value of f's kind (NULL for nil). */
static int pb__map_zero(struct pb_dec *d, const struct sch_field *f, cJSON **out)
{
	static const uint8_t empty[1] = { 0 }; /* a zero-length message */
	struct pb_in in = { empty, empty + 1 };
	int wire = f->list == SL_NONE ? pb__wire_of(f->kind) : PB_BYTES;
	if (wire == PB_FIXED64) { /* a double: no 8 zero bytes at hand */
		*out = cJSON_CreateNumber(0);
		return 0;
	}
	return pb__map_value(d, &in, wire, f, out);
}

/* One map entry {1: key, 2: value}, appended to obj[f->name] without looking for duplicates:
 * the finishing pass sorts the map and keeps the last of equal keys. */
static int pb__map_entry(struct pb_dec *d, struct pb_in *in, int wire, const struct sch_field *f,
			 cJSON *obj)
{
	struct pb_in e;
	char *key = NULL;
	cJSON *val = NULL;
	int have_val = 0, rc = -KUBE_EINVAL;
	if (wire != PB_BYTES)
		return pb__fail(d, "wrong wire type %d for a map entry (want 2)", wire);
	if (pb__bytes(d, in, &e) < 0 || pb__enter(d) < 0)
		return -KUBE_EINVAL;
	while (e.p < e.end) {
		uint32_t fn;
		int w;
		struct pb_in k;
		if (pb__tag(d, &e, &fn, &w) < 0)
			goto out;
		if (fn == 1 && w != PB_BYTES) {
			pb__fail(d, "wrong wire type %d for a map key (want 2)", w);
			goto out;
		}
		if (fn == 1) {
			if (pb__bytes(d, &e, &k) < 0 || pb__text(d, k) < 0)
				goto out;
			free(key);
			key = xstrdup(buf_str(&d->tmp));
		} else if (fn == 2) {
			if (pb__map_value(d, &e, w, f, &val) < 0)
				goto out;
			have_val = 1;
		} else if (pb__skip(d, &e, fn, w) < 0) {
			goto out;
		}
	}
	if (!have_val && pb__map_zero(d, f, &val) < 0)
		goto out;
	cJSON_AddItemToObject(pb__container(obj, f->name, cJSON_Object), key ? key : "",
			      val ? val : cJSON_CreateNull());
	val = NULL;
	d->depth--;
	rc = 0;
out:
	free(key);
	cJSON_Delete(val);
	return rc;
}

/* A singular field: the last value wins; a zero scalar is left out unless SF_KEEP_ZERO; a
 * message merges into the one already there and is kept even when empty. */
static int pb__single(struct pb_dec *d, struct pb_in *in, int wire, const struct sch_field *f,
		      cJSON *obj)
{
	cJSON *old = cJSON_GetObjectItemCaseSensitive(obj, f->name), *item = NULL;
	int zero = 0;
	if (f->kind == SK_OBJECT) {
		item = cJSON_IsObject(old) ? old : NULL;
		int rc = pb__value(d, in, wire, f->kind, f->type, &item, &zero);
		if (item && item != old)
			json_set(obj, f->name, item);
		return rc;
	}
	if (pb__value(d, in, wire, f->kind, f->type, &item, &zero) < 0)
		return -KUBE_EINVAL;
	if (!item || (zero && !(f->flags & SF_KEEP_ZERO))) {
		cJSON_Delete(item);
		cJSON_DeleteItemFromObjectCaseSensitive(obj, f->name);
		return 0;
	}
	json_set(obj, f->name, item);
	return 0;
}

/* Decodes the value of field f (tag already read) into obj. */
static int pb__field(struct pb_dec *d, struct pb_in *in, int wire, const struct sch_field *f,
		     cJSON *obj)
{
	size_t mark = d->path.len;
	int rc;
	if (f->flags & SF_INLINE) {
		struct pb_in sub;
		if (wire != PB_BYTES || !f->type)
			return pb__fail(d, "wrong wire type %d for inline %s (want 2)", wire, f->name);
		if (pb__bytes(d, in, &sub) < 0)
			return -KUBE_EINVAL;
		return pb__message(d, sub, f->type, obj);
	}
	buf_addf(&d->path, "%s%s", mark ? "." : "", f->name);
	if (f->flags & SF_MAP)
		rc = pb__map_entry(d, in, wire, f, obj);
	else if (f->list != SL_NONE)
		rc = pb__list(d, in, wire, f, obj);
	else
		rc = pb__single(d, in, wire, f, obj);
	buf_truncate(&d->path, mark);
	return rc;
}

/* Returns the field of t with protobuf number n, or NULL. */
static const struct sch_field *pb__find(const struct sch_type *t, uint32_t n)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].proto > 0 && (uint32_t)t->fields[i].proto == n)
			return &t->fields[i];
	return NULL;
}

/* Decodes the fields of message in (of type t) into obj, which may already hold fields. */
static int pb__message(struct pb_dec *d, struct pb_in in, const struct sch_type *t, cJSON *obj)
{
	if (pb__enter(d) < 0)
		return -KUBE_EINVAL;
	while (in.p < in.end) {
		uint32_t n;
		int wire;
		if (pb__tag(d, &in, &n, &wire) < 0)
			return -KUBE_EINVAL;
		const struct sch_field *f = pb__find(t, n);
		if ((f ? pb__field(d, &in, wire, f, obj) : pb__skip(d, &in, n, wire)) < 0)
			return -KUBE_EINVAL;
	}
	d->depth--;
	return 0;
}

/* ---- finishing: map order and field order ------------------------------------------------ */

struct pb_entry {
	cJSON *item;
	size_t index;
};

static int pb__entry_cmp(const void *a, const void *b)
{
	const struct pb_entry *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);
	return c ? c : (x->index < y->index ? -1 : 1);
}

/* Sorts the entries of map by key (bytewise, as Go sorts map keys) and drops all but the last
 * of equal keys. */
static void pb__sort_map(cJSON *map)
{
	size_t n = 0, i = 0;
	for (cJSON *c = map->child; c; c = c->next)
		n++;
	if (n < 2)
		return;
	struct pb_entry *v = xcalloc(n, sizeof(*v));
	for (cJSON *c = map->child; c; c = c->next, i++)
		v[i] = (struct pb_entry){ c, i };
	qsort(v, n, sizeof(*v), pb__entry_cmp);
	map->child = NULL;
	for (i = 0; i < n; i++) {
		v[i].item->next = v[i].item->prev = NULL;
		if (i + 1 < n && strcmp(v[i].item->string, v[i + 1].item->string) == 0)
			cJSON_Delete(v[i].item);
		else
			cJSON_AddItemToArray(map, v[i].item);
	}
	free(v);
}

static void pb__finish(cJSON *obj, const struct sch_type *t);

/* Finishes the object values held by field f's item (an element, a list or a map value). */
static void pb__finish_value(cJSON *item, const struct sch_field *f, int in_map)
{
	if (f->kind != SK_OBJECT || !f->type)
		return;
	if (in_map && (f->flags & SF_MAP)) {
		for (cJSON *c = item->child; c; c = c->next)
			pb__finish_value(c, f, 0);
	} else if (cJSON_IsArray(item)) {
		for (cJSON *c = item->child; c; c = c->next)
			if (cJSON_IsObject(c))
				pb__finish(c, f->type);
	} else if (cJSON_IsObject(item)) {
		pb__finish(item, f->type);
	}
}

/* Moves the fields of t (inline members' fields in their place) from obj to the end of dst. */
static void pb__collect(cJSON *obj, const struct sch_type *t, cJSON *dst, int depth)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct sch_field *f = &t->fields[i];
		if ((f->flags & SF_INLINE) && f->type && depth < PB_MAX_DEPTH) {
			pb__collect(obj, f->type, dst, depth + 1);
			continue;
		}
		cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, f->name);
		if (item)
			cJSON_AddItemToArray(dst, cJSON_DetachItemViaPointer(obj, item));
	}
}

/* Finishes the values of t's fields found in obj (inline members included). */
static void pb__finish_fields(cJSON *obj, const struct sch_type *t, int depth)
{
	for (size_t i = 0; i < t->nfields; i++) {
		const struct sch_field *f = &t->fields[i];
		if (f->flags & SF_INLINE) {
			if (f->type && depth < PB_MAX_DEPTH)
				pb__finish_fields(obj, f->type, depth + 1);
			continue;
		}
		cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, f->name);
		if (!item)
			continue;
		if ((f->flags & SF_MAP) && cJSON_IsObject(item))
			pb__sort_map(item);
		pb__finish_value(item, f, 1);
	}
}

/* Sorts the maps and orders the fields of obj (of type t) and of every object below it. */
static void pb__finish(cJSON *obj, const struct sch_type *t)
{
	pb__finish_fields(obj, t, 0);
	cJSON *dst = cJSON_CreateObject();
	pb__collect(obj, t, dst, 0);
	while (obj->child) /* names the schema does not know (none when t has no duplicates) */
		cJSON_AddItemToArray(dst, cJSON_DetachItemViaPointer(obj, obj->child));
	obj->child = dst->child;
	dst->child = NULL;
	cJSON_Delete(dst);
}

/* ---- entry points ------------------------------------------------------------------------ */

static void pb__dec_init(struct pb_dec *d, struct buf *err)
{
	memset(d, 0, sizeof(*d));
	d->err = err;
	buf_init(&d->path);
	buf_init(&d->tmp);
}

static void pb__dec_release(struct pb_dec *d)
{
	buf_release(&d->path);
	buf_release(&d->tmp);
}

/* Decodes and finishes message bytes of type t into a new object in *out. */
static int pb__decode(struct pb_dec *d, struct pb_in in, const struct sch_type *t, cJSON **out)
{
	cJSON *obj = cJSON_CreateObject();
	if (pb__message(d, in, t, obj) < 0) {
		cJSON_Delete(obj);
		*out = NULL;
		return -KUBE_EINVAL;
	}
	pb__finish(obj, t);
	*out = obj;
	return 0;
}

int pb_has_magic(const void *data, size_t len)
{
	return len >= PB_MAGIC_LEN && memcmp(data, PB_MAGIC, PB_MAGIC_LEN) == 0;
}

int pb_decode_message(const void *data, size_t len, const struct sch_type *type, cJSON **out,
		      struct buf *err)
{
	struct pb_dec d;
	struct pb_in in = { data, (const uint8_t *)data + len };
	pb__dec_init(&d, err);
	int rc = pb__decode(&d, in, type, out);
	pb__dec_release(&d);
	return rc;
}

/* The envelope: runtime.Unknown's type names (copied, sanitised) and raw bytes. */
struct pb_unknown {
	char *api_version, *kind;
	struct pb_in raw;
};

/* Reads TypeMeta {1: apiVersion, 2: kind} into u; fields absent here keep earlier values (a
 * repeated TypeMeta merges, as proto2 messages do). */
static int pb__type_meta(struct pb_dec *d, struct pb_in in, struct pb_unknown *u)
{
	struct pb_small s;
	char **dst[3] = { NULL, &u->api_version, &u->kind };
	if (pb__small(d, in, "TypeMeta", "22", &s) < 0)
		return -KUBE_EINVAL;
	for (int i = 1; i <= 2; i++) {
		if (!s.str[i].p)
			continue;
		if (pb__text(d, s.str[i]) < 0)
			return -KUBE_EINVAL;
		free(*dst[i]);
		*dst[i] = xstrdup(buf_str(&d->tmp));
	}
	return 0;
}

/* Reads runtime.Unknown {1: TypeMeta, 2: raw, 3: contentEncoding, 4: contentType}. */
static int pb__unknown(struct pb_dec *d, struct pb_in in, struct pb_unknown *u)
{
	buf_adds(&d->path, "runtime.Unknown");
	while (in.p < in.end) {
		uint32_t n;
		int wire, rc;
		struct pb_in v;
		if (pb__tag(d, &in, &n, &wire) < 0)
			return -KUBE_EINVAL;
		if (n > 4)
			rc = pb__skip(d, &in, n, wire);
		else if (wire != PB_BYTES)
			rc = pb__fail(d, "wrong wire type %d for field %u (want 2)", wire, n);
		else if ((rc = pb__bytes(d, &in, &v)) == 0 && n == 1)
			rc = pb__type_meta(d, v, u);
		else if (rc == 0 && n == 2)
			u->raw = v;
		if (rc < 0)
			return -KUBE_EINVAL;
	}
	buf_reset(&d->path);
	return 0;
}

int pb_decode_object(const void *data, size_t len, pb_lookup_fn *lookup, void *arg, cJSON **out,
		     struct buf *err)
{
	struct pb_dec d;
	struct pb_unknown u = { NULL, NULL, { NULL, NULL } };
	struct pb_in in = { (const uint8_t *)data + PB_MAGIC_LEN, (const uint8_t *)data + len };
	cJSON *obj = NULL;
	int rc = -KUBE_EINVAL;
	assert(lookup && out);
	pb__dec_init(&d, err);
	*out = NULL;
	if (!pb_has_magic(data, len)) {
		pb__fail(&d, "the body does not start with the prefix \"k8s\\x00\"");
		goto out;
	}
	if (pb__unknown(&d, in, &u) < 0)
		goto out;
	const char *av = u.api_version ? u.api_version : "", *kind = u.kind ? u.kind : "";
	const struct sch_type *t = lookup(arg, av, kind);
	if (!t) {
		if (err)
			buf_addf(err, "no kind \"%s\" is registered for version \"%s\"", kind, av);
		rc = -KUBE_ENOTFOUND;
		goto out;
	}
	if (!u.raw.p)
		u.raw.p = u.raw.end = in.end;
	if (pb__decode(&d, u.raw, t, &obj) < 0)
		goto out;
	*out = cJSON_CreateObject();
	if (*av)
		json_set_str(*out, "apiVersion", av);
	if (*kind)
		json_set_str(*out, "kind", kind);
	while (obj->child)
		cJSON_AddItemToArray(*out, cJSON_DetachItemViaPointer(obj, obj->child));
	rc = 0;
out:
	cJSON_Delete(obj);
	free(u.api_version);
	free(u.kind);
	pb__dec_release(&d);
	return rc;
}

const struct sch_type *pb_lookup_schema(void *arg, const char *api_version, const char *kind)
{
	UNUSED(arg);
	const char *slash = strchr(api_version, '/');
	if (!slash)
		return sch_kind_type("", api_version, kind);
	char *group = xstrndup(api_version, (size_t)(slash - api_version));
	const struct sch_type *t = sch_kind_type(group, slash + 1, kind);
	free(group);
	return t;
}
