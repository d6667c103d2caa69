/*
 * scale.h - the scale subresource: the autoscaling/v1 Scale view of an object of a kind with
 * KIND_SCALE, and writing a Scale's replicas back into the object (scale.c).
 */
#ifndef KUBE_SCALE_H
#define KUBE_SCALE_H

#include "server/internal.h"

/* The spec replicas of a Scale built with lenient set when the object has none: upstream's
 * marker (the smallest int32) that a patch must replace. */
#define SCALE_NO_REPLICAS INT32_MIN

/* Where the replicas and selector of a kind's objects are: ".spec.replicas" and
 * ".status.replicas" with the selector in spec.selector for built-in kinds; the paths of the
 * CRD's subresources.scale for custom ones. The strings are borrowed from the kind. */
struct scale_paths {
	const char *spec_replicas;
	const char *status_replicas;
	const char *selector; /* custom: the path of a selector string ("" or NULL: none) */
	int custom;           /* a custom resource (the selector is a string at selector) */
};

/* The paths of kind k, which has KIND_SCALE. */
void scale_paths_of(const struct kind *k, struct scale_paths *p);

/* Builds the Scale of obj, an object of kind k, into *out (the caller frees it): metadata
 * (name, namespace, uid, resourceVersion, creationTimestamp), spec.replicas, status.replicas
 * (0 when absent) and status.selector (omitted when empty). A custom object without spec
 * replicas has SCALE_NO_REPLICAS if lenient, else fails with -ENOENT. A value of the wrong
 * type fails with -EINVAL. On failure *out is NULL and err says why, as upstream words it. */
int scale_of(const struct kind *k, const cJSON *obj, int lenient, cJSON **out, struct buf *err);

/* Sets obj's spec replicas (at k's path) to n, creating the objects on the way. Returns 0, or
 * -EINVAL with err when a value on the way is not an object. */
int scale_set_replicas(const struct kind *k, cJSON *obj, int64_t n, struct buf *err);

/* upstream's ValidateScaleSpec and ValidateScaleStatus of a custom resource (k custom, with
 * KIND_SCALE): the replicas at the spec and status paths are integers from 0 to 2^31-1 when
 * present, the selector a string; status_only (a /status write): only the status half. Adds to
 * errs; does nothing for other kinds. */
void scale_validate_custom(const struct kind *k, const cJSON *obj, int status_only, struct field_errors *errs);

#endif
