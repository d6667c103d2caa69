/*
 * crd.h - apiextensions.k8s.io CustomResourceDefinitions and the custom resources they define:
 * the CRD kind's hooks and v1beta1 view (crd.c), serving the resources (crd_serve.c) and the
 * controller that reports the CRD's conditions and removes its resources on deletion
 * (ctrl_crd.c).
 */
#ifndef KUBE_CRD_H
#define KUBE_CRD_H

#include "server/internal.h"

#define CRD_PREFIX "/registry/apiextensions.k8s.io/customresourcedefinitions/"
#define CRD_FINALIZER "customresourcecleanup.apiextensions.k8s.io"

/* ---- the CRD kind (crd.c) ------------------------------------------------------------------ */

/* apiextensions.k8s.io/v1beta1 CRDs over the stored v1 objects. */
extern const struct kind_view crd_v1beta1_view;
/* Hooks of the v1 kind and of the v1beta1 view (kinds.c). */
void defaults_crd(cJSON *obj);
void defaults_crd_v1beta1(cJSON *obj);
void prepare_crd(cJSON *obj, const cJSON *old);
void validate_crd(const cJSON *obj, const cJSON *old, struct field_errors *errs);
void validate_crd_v1beta1(const cJSON *obj, const cJSON *old, struct field_errors *errs);
/* A delete of a CRD not yet being deleted (delete.c): adds the cleanup finalizer and the
 * Terminating condition (the caller sets deletionTimestamp). */
void crd_mark_deleting(cJSON *obj);
/* Sets condition type of a CRD's status (lastTransitionTime when status changes). Returns 1 if
 * anything changed. */
int crd_set_condition(cJSON *obj, const char *type, const char *status, const char *reason, const char *message);
/* Converts a v1beta1 CRD (JSON) to v1 in place, and back. */
void crd_to_v1(cJSON *obj);
void crd_to_v1beta1(cJSON *obj);

/* ---- serving custom resources (crd_serve.c) ------------------------------------------------ */

struct crd_serve;
/* Registers a kind for each served version of every stored CRD, and follows the store from
 * then on (a CRD's kinds change with it and go when it goes). */
struct crd_serve *crd_serve_start(struct server *srv);
void crd_serve_stop(struct crd_serve *c);
/* Frees every custom kind: at exit, once no request is served any more. */
void crd_serve_release(void);
/* Another CRD than obj (a v1 CRD) with the same group and plural, singular or kind, or NULL. */
const char *crd_conflict(const cJSON *obj);
/* The cells after Name of a custom resource's Table row: its printer columns (table.c). */
void crd_table_cells(const struct kind *k, const cJSON *obj, cJSON *cells, int64_t now);
/* The openAPIV3Schema of a custom kind's version (borrowed; NULL if none or not a custom kind),
 * and whether its CRD sets preserveUnknownFields. */
const cJSON *crd_schema(const struct kind *k, int *preserve_unknown);
/* The paths of a custom kind's scale subresource (borrowed from k; "" for a path not set).
 * Returns 0, or -1 when k is not a custom kind with a scale subresource. */
int crd_scale_paths(const struct kind *k, const char **spec, const char **status, const char **selector);
/* The value at a JSONPath of the simple form ".a.b[0].c" in obj, or NULL (borrowed). */
const cJSON *crd_jsonpath(const cJSON *obj, const char *path);


/* ---- a custom resource against its schema (crd_schema.c) ----------------------------------- */

struct fieldcheck;
/* Structural pruning: drops from obj (a custom resource) the fields the openAPIV3Schema does not
 * declare (x-kubernetes-preserve-unknown-fields keeps them; the root and embedded resources keep
 * apiVersion, kind, metadata), adding `unknown field "spec.x"` to unknown (may be NULL) for each. */
void crd_prune(const cJSON *schema, cJSON *obj, struct fieldcheck *unknown);
/* Applies the schema's defaults to absent (or non-nullable null) fields of obj, nested defaults
 * inside defaulted objects too; removes non-nullable nulls that have no default. */
void crd_default(const cJSON *schema, cJSON *obj);
/* Adds to errs what upstream's OpenAPI validation of a custom resource reports for obj, with
 * upstream's fields and messages (e.g. spec.n: Invalid value: 0: spec.n in body should be greater
 * than or equal to 1), and list-type set/map duplicates. */
void crd_validate(const cJSON *schema, const cJSON *obj, struct field_errors *errs);
/* The same for the schema of custom kind k (no-ops for a kind without schema; no pruning when
 * its CRD sets preserveUnknownFields). crd_prune_kind also drops (and reports) the fields of the
 * root's metadata that ObjectMeta does not have, whatever the CRD says. crd_validate_kind, on
 * an update (old not NULL), ratchets as upstream: an error about a value unchanged from old (for
 * a missing required field: its parent object) is not reported. */
void crd_prune_kind(const struct kind *k, cJSON *obj, struct fieldcheck *unknown);
void crd_default_kind(const struct kind *k, cJSON *obj);
void crd_validate_kind(const struct kind *k, const cJSON *obj, const cJSON *old, struct field_errors *errs);

#endif
