/*
 * schema_scheduling.c - the tables of scheduling.k8s.io/v1: PriorityClass and its list.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order and with
 * its protobuf numbers (k8s.io/api/scheduling/v1/generated.proto). Facts follow Kubernetes v1.33;
 * descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field priority_class_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PriorityClass." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "value", 2, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The priority pods of this class get; user classes may not exceed one billion." },
	{ "globalDefault", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Pods naming no class get this one; at most one class should be the default." },
	{ "description", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "What the class is for, in free text." },
	{ "preemptionPolicy", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Never or PreemptLowerPriority (the default): may pods of this class evict lower ones?" },
};
const struct sch_type sch_scheduling_PriorityClass = {
	.name = "io.k8s.api.scheduling.v1.PriorityClass",
	.fields = priority_class_fields,
	.nfields = ARRAY_SIZE(priority_class_fields),
	.doc = "A named priority value that pods refer to by spec.priorityClassName.",
};

static const struct sch_field priority_class_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PriorityClassList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_scheduling_PriorityClass,
	  "The PriorityClass objects." },
};
const struct sch_type sch_scheduling_PriorityClassList = {
	.name = "io.k8s.api.scheduling.v1.PriorityClassList",
	.fields = priority_class_list_fields,
	.nfields = ARRAY_SIZE(priority_class_list_fields),
	.doc = "A list of PriorityClass objects.",
};
