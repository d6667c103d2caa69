/*
 * apply.h - server-side apply and field ownership (metadata.managedFields), as the Kubernetes
 * 1.33 API server does them with sigs.k8s.io/structured-merge-diff v4 and
 * k8s.io/apimachinery/pkg/util/managedfields.
 *
 * Two entry points serve the write paths:
 *   - apply_patch() answers PATCH with Content-Type application/apply-patch+yaml: it merges an
 *     applied configuration into the live object (or into nothing: apply creates), field by
 *     field according to who owns what, and reports conflicts;
 *   - apply_track_update() records, on every other write (POST, PUT, JSON/merge/strategic
 *     patches, subresource writes), which fields the writer changed, so that
 *     `kubectl get -o yaml --show-managed-fields` shows kubectl-client-side-apply, kubectl-edit,
 *     kube-controller-manager and friends, and so that a later apply conflicts with them.
 *
 * Field sets. An entry of metadata.managedFields owns a set of fields, serialised in fieldsV1 as
 * a trie: "f:<name>" for a struct field or map key, "k:{...}" for the element of a list-map
 * (keyed by its key fields: containers by name, ports by containerPort and protocol), "v:<json>"
 * for the element of a set (finalizers), "i:<n>" for an element of an atomic list, and "." for
 * a node that is itself owned besides its children. Atomic lists and maps are owned whole.
 * struct apply_set is such a set; apply_set_parse() and apply_set_render() convert it from and
 * to fieldsV1 with upstream's ordering, so a rendered set is byte for byte upstream's.
 *
 * Entries. Each entry is {manager, operation Apply|Update, apiVersion, time, fieldsType
 * "FieldsV1", fieldsV1, subresource}; an Update entry is identified by manager, apiVersion and
 * subresource, an Apply entry by manager and subresource. Entries are sorted as upstream sorts
 * them: Apply before Update, then by time (seconds), manager, apiVersion, subresource. At most
 * 10 Update entries are kept: the oldest are merged into an "ancient-changes" entry.
 *
 * What is outside this module (the caller's job, as upstream does it elsewhere): the URL
 * name/namespace checks on the result, resourceVersion and uid preconditions carried by the
 * applied configuration (they stay in *out as in upstream), defaulting the result, strategy
 * hooks (PrepareForCreate/Update), validation, the no-op detection before writing, the
 * conversion of an autoscaling/v1 Scale to its parent object, and the YAML decoding of the body
 * (lib/yaml2json.h; upstream answers 400 "error decoding YAML: ..." when it fails).
 */
#ifndef KUBE_APPLY_H
#define KUBE_APPLY_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct buf;
struct sch_type;
struct field_errors;

/* ---- the operation ------------------------------------------------------------------------ */

/* What is being written and by whom. All strings are borrowed for the duration of the call. */
struct apply_op {
	const struct sch_type *type; /* top-level type of the kind (sch_kind_type()); NULL treats
				      * every field as schema-less (custom resources) */
	const char *api_version;     /* the served group version: "apps/v1", "v1" */
	const char *kind;            /* "Deployment" */
	const char *manager;         /* the fieldManager (apply: required, non-empty) */
	const char *subresource;     /* NULL or "" for the main resource; "status", "scale", ... */
	int force;                   /* apply: take ownership of conflicting fields */
	const char *now;             /* the request time, RFC 3339 "2006-01-02T15:04:05Z" */
};

/* ---- conflicts ---------------------------------------------------------------------------- */

struct apply_conflict {
	char *message; /* the cause message: `conflict with "kubectl-client-side-apply" using apps/v1` */
	char *field;   /* the cause field: ".spec.replicas", `.spec.template.spec.containers[name="web"].image` */
};

/* The conflicts of a failed apply, owned by the caller (apply_conflicts_release()). Upstream
 * answers them with a Status: code 409, reason "Conflict", message `message` and details
 * {"causes": [{"reason": "FieldManagerConflict", "message": v[i].message, "field": v[i].field}]}
 * (no name, group or kind in the details). */
struct apply_conflicts {
	struct apply_conflict *v;
	size_t n, cap;
	char *message; /* `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`,
			* or for several: `Apply failed with 2 conflicts: conflicts with "a" using apps/v1:\n
			* - .spec.replicas\n- .spec.paused` grouped by manager */
};

#define APPLY_CONFLICTS_INIT { NULL, 0, 0, NULL }

void apply_conflicts_release(struct apply_conflicts *c);

/* ---- apply and update --------------------------------------------------------------------- */

/* Server-side apply: merges the applied configuration into live (NULL when the object does not
 * exist: apply creates it) the way structured-merge-diff does, and returns the new object in
 * *out (a new tree the caller frees; live and applied are not modified).
 *
 *   - Every field the configuration sets is set; list-maps merge by key, sets by value,
 *     atomic lists and maps are replaced whole; a null in the configuration clears a scalar or
 *     an atomic value and leaves a granular map or list alone.
 *   - Fields op->manager applied before and no longer applies are removed unless another
 *     manager still owns them (upstream's prune).
 *   - A field another manager owns with a different value is a conflict: without op->force the
 *     call fails with -KUBE_ECONFLICT and *conflicts filled; with force the field changes owner.
 *     Owning a field with the same value as another manager is shared ownership, not a conflict.
 *   - Manager "kubectl" (kubectl apply --server-side) may take over, without force, the fields
 *     whose live value equals the object's kubectl.kubernetes.io/last-applied-configuration
 *     annotation (the client-side to server-side apply upgrade), and on success that annotation,
 *     when present, is rewritten to the applied configuration (sorted compact JSON and "\n").
 *   - A live object without managedFields is first given to a "before-first-apply" Update entry
 *     owning all its fields.
 *   - metadata.managedFields of *out gets an Apply entry for op->manager owning exactly the
 *     applied fields (minus apiVersion, kind and metadata name, namespace, uid, resourceVersion,
 *     generation, creationTimestamp, selfLink, managedFields, and minus status on the main
 *     resource, spec on the status subresource); other entries lose what changed owner or was
 *     removed; entries of another apiVersion are dropped. Its time is op->now when the object
 *     changed, else the entry keeps its previous time (or has none).
 * Nulls left in the merged object are removed (Go's decoding would drop them). When nothing
 * changed, *out is a copy of live with the new managedFields.
 *
 * Returns 0; -KUBE_ECONFLICT with *conflicts filled (conflicts may be NULL to discard them);
 * -KUBE_EINVAL for upstream's 400 BadRequest answers, message in err: "invalid object type:
 * apps/v1, Kind=Pod" (apiVersion or kind not op's), "metadata.managedFields must be nil";
 * -EBADMSG for upstream's 500 answers (a Status with an empty reason and the message as is):
 * "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.foo: field
 * not declared in schema" (a configuration that does not fit the schema: unknown fields, wrong
 * types, list-map elements without their keys, duplicate keys), "failed to decode managed
 * fields: ..." (live entries that do not decode). err may be NULL. */
int apply_patch(const struct apply_op *op, const cJSON *live, const cJSON *applied, cJSON **out,
		struct apply_conflicts *conflicts, struct buf *err);

/* Field tracking for every write that is not an apply: computes the fields that differ between
 * old (the stored object; NULL on create) and obj (the object about to be stored, after
 * defaulting), gives them to op->manager in an Update entry (merged with its existing entry for
 * the same apiVersion and subresource, whose time becomes op->now), takes them away from every
 * other entry (as a forced apply would), drops the fields obj no longer has from every entry,
 * and writes metadata.managedFields into obj (or removes it when no entry is left). op->force
 * is ignored; an empty op->manager becomes "unknown".
 *
 * The entries come from obj when the request sent valid ones (a client may rewrite
 * managedFields), from old otherwise (a client that does not know managedFields cannot delete
 * them by omission); on a subresource write always from old. Sending an empty list, or a list
 * of one empty entry, resets them: on an update the object is then left without managedFields;
 * on a create tracking starts afresh. An update of an object that has no entries (not reset)
 * is tracked (upstream's skipNonApplied would skip it: see apply.c). Entries of obj that do not decode (operation not Apply/Update, no
 * apiVersion, fieldsType not FieldsV1, malformed fieldsV1) make the whole list fall back to
 * old's. Never fails. */
void apply_track_update(const struct apply_op *op, const cJSON *old, cJSON *obj);

/* ---- helpers for the request path --------------------------------------------------------- */

/* The field manager upstream uses for a write without ?fieldManager= (only apply requires
 * one): the User-Agent up to its first '/', without non-printable characters, cut to 128
 * bytes: "kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0" -> "kubectl",
 * "Go-http-client/2.0" -> "Go-http-client", "OpenAPI-Generator/22.6.0/python" ->
 * "OpenAPI-Generator", "python-requests/2.31" -> "python-requests". NULL or "" gives "". Appends
 * to out. */
void apply_default_manager(const char *user_agent, struct buf *out);

/* upstream's ValidateFieldManager: at most 128 bytes ("Too long: may not be more than 128
 * bytes"), printable characters only ("Invalid value: ...: invalid character U+0007 (at position
 * 3)"), errors under path ("fieldManager"). An empty manager is valid here. */
void apply_validate_field_manager(const char *manager, const char *path, struct field_errors *errs);

/* upstream's ValidateManagedFields for metadata.managedFields (an array or NULL): operation
 * Apply or Update, fieldsType empty or FieldsV1, a valid manager, a subresource of at most 256
 * bytes; errors under "metadata.managedFields[i]". */
void apply_validate_managed_fields(const cJSON *managed_fields, struct field_errors *errs);

/* ---- field sets --------------------------------------------------------------------------- */

struct apply_set;

/* Parses a fieldsV1 value (a JSON object; null is the empty set) as upstream's FieldsToSet does:
 * unknown element prefixes are skipped, "." marks its parent as owned, an empty object marks
 * its key as owned. Returns a new set (apply_set_free()), or NULL with upstream's message in err
 * (e.g. "parsing key as path element: missing colon: fx" or "key must be 2 characters long").
 * err may be NULL. */
struct apply_set *apply_set_parse(const cJSON *fields_v1, struct buf *err);

/* Appends the fieldsV1 JSON of s (compact, upstream's order: "." first, then fields, keys,
 * values and indexes, each sorted as upstream compares them). */
void apply_set_render(const struct apply_set *s, struct buf *out);

/* Appends every owned path of s, one per line, in upstream's notation (".spec.replicas",
 * `.spec.template.spec.containers[name="web"]`), members before children at each level. */
void apply_set_paths(const struct apply_set *s, struct buf *out);

/* Returns nonzero when s owns nothing. */
int apply_set_empty(const struct apply_set *s);

void apply_set_free(struct apply_set *s);

/* The fields of value (a JSON object of the given top-level type; NULL type: schema-less) as
 * upstream's ToFieldSet computes them: leaves, list elements and map entries are owned; struct
 * fields only through their children. Never fails (values that do not fit the schema are owned
 * whole). Returns a new set. */
struct apply_set *apply_set_from_object(const struct sch_type *type, const cJSON *value);

#endif
