/*
 * smp.h - strategic merge patch (application/strategic-merge-patch+json) over cJSON documents,
 * with the behaviour, result order and messages of the Kubernetes API server (1.33), i.e. of
 * k8s.io/apimachinery's strategicpatch.StrategicMergeMapPatch driven by the Go struct tags that
 * server/schema.h declares as tables.
 *
 * What a patch can say (kubectl and the Python client send all of it):
 *   - objects merge key by key; null deletes a key; other values replace;
 *   - a list whose field has patch strategy merge (SL_MAP with a merge key, SL_SET) merges: an
 *     element carrying the merge key of an existing element merges into it, others are added;
 *     scalars are added once; any other list is replaced as a whole;
 *   - "$patch": "replace" | "delete" in an object replaces it or empties it; in a list element,
 *     "delete" removes the elements with that merge key and "replace" replaces the list;
 *   - "$setElementOrder/<list>": [...] orders the list (patched items in that order, the others
 *     placed by their old order);
 *   - "$deleteFromPrimitiveList/<list>": [...] removes scalars;
 *   - "$retainKeys": [...] clears the keys of the object that are not listed.
 * Directive keys never end up in the result. Keys the schema does not know merge like a JSON
 * merge patch (objects merge, lists and scalars replace).
 */
#ifndef KUBE_SMP_H
#define KUBE_SMP_H

#include <cjson/cJSON.h>

struct buf;
struct sch_type;

/* Applies the strategic merge patch to *doc, a JSON object of the top-level type (from
 * sch_kind_type(); the type of the versioned object the patch was written for). On success *doc
 * is the patched document (possibly a new tree; the old one is freed) and 0 is returned. On
 * failure *doc is left exactly as it was, upstream's message is appended to err (when not NULL)
 * and the return value says which answer upstream gives:
 *   -KUBE_EINVAL  400 BadRequest (reason BadRequest, the message as is): the patch is not a JSON
 *                 object ("json: cannot unmarshal array into Go value of type
 *                 map[string]interface {}"), or upstream's ErrBadJSONDoc ("invalid JSON
 *                 document"), ErrBadPatchFormatForPrimitiveList ("invalid patch format of
 *                 primitive list"), ErrBadPatchFormatForRetainKeys ("invalid patch format of
 *                 retainKeys": not a list, or the patch sets a key it does not list),
 *                 ErrBadPatchFormatForSetElementOrderList ("invalid patch format of
 *                 setElementOrder list": a malformed directive key);
 *   -ENOTSUP      422 (upstream's ErrNoListOfLists, "lists of lists are not supported"): a Status
 *                 with code 422, reason "Invalid", message "the server rejected our request due
 *                 to an error in our request" and details.causes [{reason
 *                 "UnexpectedServerResponse", message: the text in err}];
 *   -EBADMSG      any other error of the patch code, which upstream returns unconverted: 500, a
 *                 Status with an empty reason and the text in err as its message (kubectl prints
 *                 "Error from server: <message>"), e.g. "map: map[image:nginx] does not contain
 *                 declared merge key: name" or "The order in patch list: ... doesn't match
 *                 $setElementOrder list: ...";
 *   -EFAULT       input on which upstream's Go code panics (e.g. a merge key whose value is an
 *                 object on both sides); the API server answers 500 with the plain-text body
 *                 "This request caused apiserver to panic. Look in the logs for details."; err
 *                 holds the Go runtime error for the log.
 * ErrUnsupportedStrategicMergePatchFormat (400) and ErrPatchContentNotMatchRetainKeys (422) are
 * never produced while applying a patch. A null patch changes nothing; a NULL or null document
 * is patched as an empty object.
 *
 * With type NULL (a kind without schema, e.g. a custom resource) the patch is applied as a JSON
 * merge patch (merge_patch_apply(), RFC 7386; -KUBE_EINVAL for a null or scalar patch). Upstream
 * refuses strategic merge patches for custom resources with 415 UnsupportedMediaType; deciding to
 * do the same is the caller's business. */
int smp_apply(cJSON **doc, const cJSON *patch, const struct sch_type *type, struct buf *err);

#endif
