/*
 * schema.h - the structure of every served API type, declared once: field names, JSON types,
 * list and map semantics for strategic merge patch and server-side apply, protobuf field
 * numbers, and a short description.
 *
 * DESIGN
 * Kubernetes' Go types carry, in struct tags and markers, what the API machinery needs to
 * know about each field: its JSON name, its protobuf number (generated.proto), its patch
 * strategy and merge key (strategic merge patch), its list type and map keys (server-side
 * apply), whether it is required. This file declares the same facts in C tables, one struct
 * sch_type per API type, so that generic code serves every kind:
 *   - smp.c merges lists by their merge keys (containers by name, ports by containerPort, ...),
 *   - apply.c tracks field ownership (managedFields) through list-map keys,
 *   - protobuf.c decodes kubectl 1.32+ request bodies by field number,
 *   - openapi.c publishes OpenAPI v3 schemas (kubectl explain, apply's validation),
 *   - decode.c reports unknown and duplicate fields for fieldValidation=Strict|Warn.
 * The tables are ours, written from the upstream API's documented structure; descriptions are
 * our own short summaries.
 *
 * Conventions. A field of object type points to its sch_type. A list field has list != SL_NONE
 * and describes its element (kind/type). A map field (Go map[string]T) has SF_MAP and describes
 * its value. Quantities, times and int-or-strings are scalars with their own kinds because
 * protobuf encodes them as messages and OpenAPI gives them formats.
 */
#ifndef KUBE_SCHEMA_H
#define KUBE_SCHEMA_H

#include <stddef.h>

enum sch_kind {
	SK_STRING,
	SK_BOOL,
	SK_INT32,
	SK_INT64,
	SK_FLOAT64,      /* JSON number (rare in the core API) */
	SK_BYTES,        /* []byte: base64 in JSON, bytes in protobuf */
	SK_QUANTITY,     /* resource.Quantity: "100m", "1Gi"; protobuf {1: string} */
	SK_TIME,         /* metav1.Time: RFC 3339 seconds; protobuf {1: seconds, 2: nanos} */
	SK_MICROTIME,    /* metav1.MicroTime: RFC 3339 with microseconds; same protobuf */
	SK_DURATION,     /* metav1.Duration: "1h2m3s"; protobuf {1: int64 nanoseconds} */
	SK_INT_OR_STRING, /* intstr.IntOrString; protobuf {1: type, 2: intVal, 3: strVal} */
	SK_RAW,          /* runtime.RawExtension / arbitrary JSON; protobuf {1: raw bytes} */
	SK_OBJECT,       /* a struct: see type */
};

/* List semantics (listType in OpenAPI, patchStrategy in Go tags). */
enum sch_list {
	SL_NONE,   /* not a list */
	SL_ATOMIC, /* replaced as a whole by patches and owned as a whole by apply */
	SL_SET,    /* scalars, merged as a set (patchStrategy merge / listType set) */
	SL_MAP,    /* objects identified by key fields (patchMergeKey / listMapKeys) */
};

enum sch_field_flags {
	SF_MAP = 1 << 0,         /* map[string]T: the field describes the value type */
	SF_REQUIRED = 1 << 1,    /* required in OpenAPI (and by validation) */
	SF_RETAIN_KEYS = 1 << 2, /* patchStrategy retainKeys (unions such as a Deployment strategy) */
	SF_SMP_REPLACE = 1 << 3, /* a list that strategic merge patch replaces although it is a map for apply */
	SF_INLINE = 1 << 4,      /* an embedded struct whose fields appear in the parent's JSON */
	SF_KEEP_ZERO = 1 << 5,   /* a zero scalar (0, false, "") is a value, not "unset": Go pointer
				  * fields (*int32 replicas, *bool automountServiceAccountToken,
				  * *string storageClassName) and fields without omitempty
				  * (SelfSubjectAccessReview status.allowed). Protobuf decoding keeps
				  * such zeros; without the flag a zero scalar on the wire (gogo writes
				  * every non-pointer field) is left out, as Go's omitempty would. */
};

struct sch_type;

struct sch_field {
	const char *name;     /* JSON name */
	int proto;            /* protobuf field number; 0 when the field is not in protobuf */
	enum sch_kind kind;   /* of the field, or of the list element / map value */
	enum sch_list list;
	unsigned flags;
	const char *merge_key; /* SL_MAP: strategic merge patch key ("name", "containerPort") */
	const char *map_keys; /* SL_MAP: server-side apply list-map keys, comma-separated
				 ("containerPort,protocol"); NULL means the same as merge_key */
	const struct sch_type *type; /* SK_OBJECT */
	const char *doc;
};

enum sch_type_flags {
	ST_ATOMIC = 1 << 0, /* x-kubernetes-map-type: atomic (e.g. LabelSelector in some places) */
	ST_ANY = 1 << 1,    /* free-form object (preserve unknown fields) */
};

struct sch_type {
	const char *name;     /* OpenAPI definition name: "io.k8s.api.core.v1.PodSpec" */
	const struct sch_field *fields;
	size_t nfields;
	unsigned flags;
	const char *doc;
};

/* Finds a field of t by JSON name (NULL if unknown). Fields of SF_INLINE members count as t's. */
const struct sch_field *sch_field(const struct sch_type *t, const char *name);

/* The top-level type of a served kind ("apps", "v1", "Deployment"), or NULL. */
const struct sch_type *sch_kind_type(const char *group, const char *version, const char *kind);

/* Every type, for the OpenAPI documents. */
size_t sch_types(const struct sch_type *const **out);

#endif
