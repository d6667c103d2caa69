/*
 * events.c - events.k8s.io/v1 Events are core/v1 Events in another form.
 *
 * Upstream stores both in one place and converts: an event written through either API is read
 * through both (kubectl describe lists core events; newer components write events.k8s.io
 * ones). Here the stored form is core/v1; the events.k8s.io kind is a view over it (struct
 * kind_view): its requests are converted in before they are written and its answers out of the
 * stored form. The fields that differ are renamed; the rest are the same in both.
 */
#include "internal.h"

#include <string.h>

/* events.k8s.io/v1 name, core/v1 name. */
static const char *const renames[][2] = {
	{ "regarding", "involvedObject" },
	{ "note", "message" },
	{ "reportingController", "reportingComponent" },
	{ "deprecatedSource", "source" },
	{ "deprecatedFirstTimestamp", "firstTimestamp" },
	{ "deprecatedLastTimestamp", "lastTimestamp" },
	{ "deprecatedCount", "count" },
};

static void rename_fields(cJSON *obj, int to_core)
{
	for (size_t i = 0; i < ARRAY_SIZE(renames); i++) {
		const char *from = renames[i][to_core ? 0 : 1], *to = renames[i][to_core ? 1 : 0];
		cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(obj, from);
		if (v)
			json_set(obj, to, v);
	}
}

static void event_in(cJSON *obj)
{
	rename_fields(obj, 1);
	json_set_str(obj, "apiVersion", "v1");
	json_set_str(obj, "kind", "Event");
}

static void event_out(cJSON *obj)
{
	rename_fields(obj, 0);
	json_set_str(obj, "apiVersion", "events.k8s.io/v1");
	json_set_str(obj, "kind", "Event");
}

/* Field selectors of events.k8s.io/v1 in terms of the stored (core) fields. */
static const char *const aliases[] = {
	"regarding.kind", "involvedObject.kind",
	"regarding.namespace", "involvedObject.namespace",
	"regarding.name", "involvedObject.name",
	"regarding.uid", "involvedObject.uid",
	"regarding.apiVersion", "involvedObject.apiVersion",
	"regarding.resourceVersion", "involvedObject.resourceVersion",
	"regarding.fieldPath", "involvedObject.fieldPath",
	"reportingController", "reportingComponent",
	NULL,
};

const struct kind_view event_view = { "", "events", event_in, event_out, aliases };
