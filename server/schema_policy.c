/*
 * schema_policy.c - the policy/v1 tables: PodDisruptionBudget (with its list) and Eviction, the
 * body of the pods/NAME/eviction subresource.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order. The
 * status counters have no omitempty upstream (a zero is printed), hence SF_KEEP_ZERO; the
 * spec's int-or-strings are pointers upstream, and an IntOrString is a message on the wire, so
 * a 0 is kept without any flag (SF_KEEP_ZERO is for singular scalars only). disruptedPods is
 * a map of pod name to the time the eviction subresource let it go. Facts follow Kubernetes
 * v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field pdb_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PodDisruptionBudget." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_policy_PodDisruptionBudgetSpec,
	  "The desired bounds on voluntary disruptions." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_policy_PodDisruptionBudgetStatus,
	  "The most recently observed disruption state." },
};
const struct sch_type sch_policy_PodDisruptionBudget = {
	.name = "io.k8s.api.policy.v1.PodDisruptionBudget",
	.fields = pdb_fields,
	.nfields = ARRAY_SIZE(pdb_fields),
	.doc = "Bounds how many pods of a set may be voluntarily disrupted (evicted) at once.",
};

static const struct sch_field pdb_spec_fields[] = {
	{ "minAvailable", 1, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Pods (a number or a percentage) that must stay available after an eviction." },
	{ "selector", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "The pods the budget covers; an empty selector selects every pod of the namespace." },
	{ "maxUnavailable", 3, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Pods (a number or a percentage) that may be unavailable after an eviction." },
	{ "unhealthyPodEvictionPolicy", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "When running but not ready pods may be evicted: IfHealthyBudget or AlwaysAllow." },
};
const struct sch_type sch_policy_PodDisruptionBudgetSpec = {
	.name = "io.k8s.api.policy.v1.PodDisruptionBudgetSpec",
	.fields = pdb_spec_fields,
	.nfields = ARRAY_SIZE(pdb_spec_fields),
	.doc = "The desired bounds of a PodDisruptionBudget.",
};

static const struct sch_field pdb_status_fields[] = {
	{ "observedGeneration", 1, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "The generation of the budget this status was computed for." },
	{ "disruptedPods", 2, SK_TIME, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Pods the eviction subresource let go that the controller has not seen deleted yet." },
	{ "disruptionsAllowed", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How many pod disruptions are allowed now." },
	{ "currentHealthy", 4, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Healthy (ready) pods now." },
	{ "desiredHealthy", 5, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The fewest healthy pods the budget allows." },
	{ "expectedPods", 6, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Pods the budget expects: the scale of their controllers, or the matching pods." },
	{ "conditions", 7, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_meta_Condition,
	  "Observed conditions (DisruptionAllowed)." },
};
const struct sch_type sch_policy_PodDisruptionBudgetStatus = {
	.name = "io.k8s.api.policy.v1.PodDisruptionBudgetStatus",
	.fields = pdb_status_fields,
	.nfields = ARRAY_SIZE(pdb_status_fields),
	.doc = "The observed disruption state of a PodDisruptionBudget.",
};

static const struct sch_field pdb_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PodDisruptionBudgetList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_policy_PodDisruptionBudget,
	  "The PodDisruptionBudget objects." },
};
const struct sch_type sch_policy_PodDisruptionBudgetList = {
	.name = "io.k8s.api.policy.v1.PodDisruptionBudgetList",
	.fields = pdb_list_fields,
	.nfields = ARRAY_SIZE(pdb_list_fields),
	.doc = "A list of PodDisruptionBudget objects.",
};

static const struct sch_field eviction_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Eviction." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "The pod to evict: its name and namespace." },
	{ "deleteOptions", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_DeleteOptions,
	  "How the pod is deleted once the eviction is allowed." },
};
const struct sch_type sch_policy_Eviction = {
	.name = "io.k8s.api.policy.v1.Eviction",
	.fields = eviction_fields,
	.nfields = ARRAY_SIZE(eviction_fields),
	.doc = "A request to evict a pod, subject to the PodDisruptionBudgets that cover it.",
};
