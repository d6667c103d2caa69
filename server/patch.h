/*
 * patch.h - JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over cJSON documents.
 *
 * Both follow what the Kubernetes API server does with evanphx/json-patch: JSON Patch supports
 * add, remove, replace, move, copy and test with JSON Pointer paths (RFC 6901, "~0" "~1",
 * "-" for append); an operation that fails aborts the whole patch and the document is left
 * unchanged. The bytes copied by "copy" and "add" are budgeted (3 MiB, like upstream's
 * JSONPatchMaxCopyBytes) so that a small patch cannot blow up memory.
 */
#ifndef KUBE_PATCH_H
#define KUBE_PATCH_H

#include <cjson/cJSON.h>

struct buf;

/* Applies an RFC 6902 patch (a JSON array) to *doc. On success *doc is the patched document
 * (possibly a new tree; the old one is freed) and 0 is returned. On failure *doc is unchanged
 * and -KUBE_EINVAL is returned with a message in err. */
int json_patch_apply(cJSON **doc, const cJSON *patch, struct buf *err);

/* Applies an RFC 7386 merge patch to *doc: objects merge recursively, null removes, anything
 * else replaces. A non-object patch replaces the whole document. Returns 0. */
int merge_patch_apply(cJSON **doc, const cJSON *patch);

#endif
