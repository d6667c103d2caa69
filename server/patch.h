/*
 * patch.h - JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over cJSON documents.
 *
 * Both follow what the Kubernetes API server does with evanphx/json-patch: JSON Patch supports
 * add, remove, replace, move, copy and test with JSON Pointer paths (RFC 6901, "~0" "~1",
 * "-" for append); an operation that fails aborts the whole patch and the document is left
 * unchanged. The bytes copied by "copy" are budgeted (3 MiB in total, like upstream's
 * JSONPatchMaxCopyBytes) so that a small patch cannot blow up memory. Messages are
 * evanphx/json-patch v4's, which the API server returns verbatim.
 */
#ifndef KUBE_PATCH_H
#define KUBE_PATCH_H

#include <cjson/cJSON.h>

struct buf;

#define JSON_PATCH_MAX_OPS 10000      /* upstream's maxJSONPatchOperations */
#define JSON_PATCH_MAX_COPY (3 << 20) /* upstream's JSONPatchMaxCopyBytes */

/* Checks that patch decodes as upstream's jsonpatch.Patch (a JSON array, or null, of objects)
 * with at most JSON_PATCH_MAX_OPS operations, so that the caller can answer as upstream does.
 * Returns 0; -KUBE_EINVAL with Go's decode message in err (upstream answers 400 BadRequest); or
 * -E2BIG (errno.h) with "The allowed maximum operations in a JSON patch is 10000, got N"
 * (upstream answers 413). Operation contents are checked when applied. */
int json_patch_check(const cJSON *patch, struct buf *err);

/* Applies an RFC 6902 patch to *doc (an object or array). On success *doc is the patched
 * document (possibly a new tree; the old one is freed) and 0 is returned. On failure *doc is
 * unchanged and the json_patch_check() codes are returned, or -KUBE_EINVAL with upstream's
 * message when an operation fails (upstream answers 422), e.g. "add operation does not apply:
 * doc is missing path: \"/a/b\": missing value" or "testing value /x failed: test failed". */
int json_patch_apply(cJSON **doc, const cJSON *patch, struct buf *err);

/* Applies an RFC 7386 merge patch to *doc as evanphx/json-patch v4 MergePatch does: objects merge
 * recursively, null removes, anything else replaces; nulls inside values that are added are
 * pruned (also array elements). An object patch on a non-object document, or an array patch,
 * replaces the whole document. Returns 0, or -KUBE_EINVAL for a null or scalar patch (upstream's
 * "Invalid JSON Patch") or a null document ("Invalid JSON Document"), leaving *doc unchanged. */
int merge_patch_apply(cJSON **doc, const cJSON *patch);

#endif
