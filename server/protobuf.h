/*
 * protobuf.h - Kubernetes protobuf request bodies (Content-Type
 * application/vnd.kubernetes.protobuf, sent by kubectl 1.32+ typed clients) decoded into the JSON
 * object upstream would have received for the same request.
 *
 * A body is the 4-byte magic "k8s\0" followed by a runtime.Unknown message:
 *   1: TypeMeta { 1: apiVersion, 2: kind }   2: raw (the object)
 *   3: contentEncoding                       4: contentType      (both ignored, as upstream does)
 * raw is the object in the proto2 encoding gogo-protobuf generates for k8s.io/api types; it is
 * decoded field by field through the tables of server/schema.h (struct sch_field.proto).
 *
 * The JSON produced follows Go's encoding/json of the decoded Go object, with two differences
 * that carry no meaning for the server: nil values (Go's null) are left out instead of written
 * as null, and fields come in schema order. In detail:
 *   - a scalar field equal to its zero value (0, false, "", empty bytes) is left out unless the
 *     schema marks it SF_KEEP_ZERO (gogo writes every non-pointer scalar, set or not);
 *   - a message field that is present is always written, empty or not ("strategy": {}), as Go
 *     writes every struct field; list elements and map values are always written;
 *   - metav1.Time/MicroTime: an empty message is the zero time, left out; otherwise RFC 3339 in
 *     UTC ("2006-01-02T15:04:05Z"; MicroTime with 6 fractional digits);
 *   - metav1.Duration: Go's duration string ("1h2m3s", "500ms", "0s");
 *   - IntOrString: a number or a string by its type;
 *   - Quantity: its string, unchanged (syntax is validation's job, as for JSON bodies);
 *   - RawExtension and other raw JSON: the embedded JSON parsed; empty raw is left out;
 *   - bytes: standard base64; strings: invalid UTF-8 becomes U+FFFD, as Go's JSON encoder
 *     does; a NUL byte in a string or map key is an error (the tree cannot hold it);
 *   - maps (repeated {1: key, 2: value} entries): keys sorted, the last duplicate wins. A map
 *     whose field has list != SL_NONE (map[string][]string, e.g. UserInfo.extra) has a wrapper
 *     message value whose field 1 holds the repeated elements;
 *   - SF_INLINE message fields (IngressRule.ingressRuleValue) merge into the parent object;
 *   - repeated scalars are accepted packed or unpacked; unknown field numbers are skipped.
 * Integers beyond +-2^53 are rejected: the JSON tree stores numbers as doubles.
 *
 * Malformed input (bad magic, truncated varints or lengths, a known field with the wrong wire
 * type, nesting deeper than PB_MAX_DEPTH messages, raw that is not JSON) is an error with a
 * message; nothing is allocated for a length before it is checked against the bytes left.
 */
#ifndef KUBE_PROTOBUF_H
#define KUBE_PROTOBUF_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct buf;
struct sch_type;

#define PB_MAGIC "k8s\0"
#define PB_MAGIC_LEN 4
#define PB_MAX_DEPTH 64 /* nested messages, the object's own message counting as 1 */

/* Returns the type to decode an object of apiVersion ("v1", "apps/v1") and kind with, or NULL
 * when the caller does not serve it. Either string may be "" when the body leaves it out: the
 * caller may default it from the request path (upstream takes the endpoint's kind then). */
typedef const struct sch_type *pb_lookup_fn(void *arg, const char *api_version, const char *kind);

/* Returns nonzero when data starts with PB_MAGIC. */
int pb_has_magic(const void *data, size_t len);

/* Decodes a whole request body (magic, runtime.Unknown, raw object). The type comes from
 * lookup(arg, apiVersion, kind). On success *out is a new JSON object (the caller frees it with
 * cJSON_Delete) with "apiVersion" and "kind" first (each only when not empty), and 0 is
 * returned. Returns -KUBE_ENOTFOUND when lookup returns NULL ("no kind ... is registered"), or
 * -KUBE_EINVAL when the body is malformed; either way *out is NULL and a message is appended
 * to err (when not NULL). */
int pb_decode_object(const void *data, size_t len, pb_lookup_fn *lookup, void *arg, cJSON **out,
		     struct buf *err);

/* Decodes one bare message of type (no magic, no envelope) into a new JSON object in *out.
 * Returns 0, or -KUBE_EINVAL with *out NULL and a message in err. */
int pb_decode_message(const void *data, size_t len, const struct sch_type *type, cJSON **out,
		      struct buf *err);

/* A pb_lookup_fn over the served schema: splits apiVersion into group and version ("v1" is the
 * core group) and returns sch_kind_type(group, version, kind). arg is unused. */
const struct sch_type *pb_lookup_schema(void *arg, const char *api_version, const char *kind);

#endif
