/*
 * schema_misc.c - the tables of the small groups: coordination.k8s.io/v1 Lease,
 * discovery.k8s.io/v1 EndpointSlice and events.k8s.io/v1 Event, with their list types.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order. Facts follow
 * Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field lease_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Lease." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_coordination_LeaseSpec,
	  "The state of the lease." },
};
const struct sch_type sch_coordination_Lease = {
	.name = "io.k8s.api.coordination.v1.Lease",
	.fields = lease_fields,
	.nfields = ARRAY_SIZE(lease_fields),
	.doc = "A lease held by one holder at a time, used for leader election and node heartbeats.",
};

static const struct sch_field lease_spec_fields[] = {
	{ "holderIdentity", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Identity of the current holder." },
	{ "leaseDurationSeconds", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds candidates must wait after the last renewal before taking the lease over." },
	{ "acquireTime", 3, SK_MICROTIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the current holder acquired the lease." },
	{ "renewTime", 4, SK_MICROTIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the current holder last renewed the lease." },
	{ "leaseTransitions", 5, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of times the lease changed holders." },
	{ "strategy", 6, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Strategy used to pick the holder in coordinated leader election." },
	{ "preferredHolder", 7, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "A better holder, to which the current one should give the lease up." },
};
const struct sch_type sch_coordination_LeaseSpec = {
	.name = "io.k8s.api.coordination.v1.LeaseSpec",
	.fields = lease_spec_fields,
	.nfields = ARRAY_SIZE(lease_spec_fields),
	.doc = "The state of a Lease.",
};

static const struct sch_field endpoint_slice_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: EndpointSlice." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "addressType", 4, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "IPv4, IPv6 or FQDN: the kind of every address in the slice; immutable." },
	{ "endpoints", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_discovery_Endpoint,
	  "The endpoints, at most 1000." },
	{ "ports", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_discovery_EndpointPort,
	  "Ports exposed by every endpoint, at most 100." },
};
const struct sch_type sch_discovery_EndpointSlice = {
	.name = "io.k8s.api.discovery.v1.EndpointSlice",
	.fields = endpoint_slice_fields,
	.nfields = ARRAY_SIZE(endpoint_slice_fields),
	.doc = "A subset of the endpoints behind a service.",
};

static const struct sch_field endpoint_fields[] = {
	{ "addresses", 1, SK_STRING, SL_SET, SF_REQUIRED | SF_SMP_REPLACE, NULL, NULL, NULL,
	  "Addresses of the endpoint; consumers use the first." },
	{ "conditions", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_discovery_EndpointConditions,
	  "Current readiness of the endpoint." },
	{ "hostname", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Host name of the endpoint, a DNS label." },
	{ "targetRef", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "Object (usually a pod) behind the endpoint." },
	{ "deprecatedTopology", 5, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Deprecated topology labels from v1beta1; not writable through v1." },
	{ "nodeName", 6, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Node hosting the endpoint." },
	{ "zone", 7, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Zone of the endpoint." },
	{ "hints", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_discovery_EndpointHints,
	  "Hints on how the endpoint should be consumed." },
};
const struct sch_type sch_discovery_Endpoint = {
	.name = "io.k8s.api.discovery.v1.Endpoint",
	.fields = endpoint_fields,
	.nfields = ARRAY_SIZE(endpoint_fields),
	.doc = "One backend of a service.",
};

static const struct sch_field endpoint_conditions_fields[] = {
	{ "ready", 1, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Ready to receive traffic; unset means true." },
	{ "serving", 2, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Able to receive traffic, even while terminating; unset means true." },
	{ "terminating", 3, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The endpoint is terminating; unset means false." },
};
const struct sch_type sch_discovery_EndpointConditions = {
	.name = "io.k8s.api.discovery.v1.EndpointConditions",
	.fields = endpoint_conditions_fields,
	.nfields = ARRAY_SIZE(endpoint_conditions_fields),
	.doc = "Current readiness of an endpoint.",
};

static const struct sch_field endpoint_hints_fields[] = {
	{ "forZones", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_discovery_ForZone,
	  "Zones whose clients should use this endpoint." },
	{ "forNodes", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_discovery_ForNode,
	  "Nodes whose clients should use this endpoint." },
};
const struct sch_type sch_discovery_EndpointHints = {
	.name = "io.k8s.api.discovery.v1.EndpointHints",
	.fields = endpoint_hints_fields,
	.nfields = ARRAY_SIZE(endpoint_hints_fields),
	.doc = "Hints on where an endpoint should be consumed.",
};

static const struct sch_field for_zone_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the zone." },
};
const struct sch_type sch_discovery_ForZone = {
	.name = "io.k8s.api.discovery.v1.ForZone",
	.fields = for_zone_fields,
	.nfields = ARRAY_SIZE(for_zone_fields),
	.doc = "A zone that should consume an endpoint.",
};

static const struct sch_field for_node_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the node." },
};
const struct sch_type sch_discovery_ForNode = {
	.name = "io.k8s.api.discovery.v1.ForNode",
	.fields = for_node_fields,
	.nfields = ARRAY_SIZE(for_node_fields),
	.doc = "A node that should consume an endpoint.",
};

static const struct sch_field endpoint_port_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the port, matching the service port's name." },
	{ "protocol", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "TCP (the default), UDP or SCTP." },
	{ "port", 3, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port number; unset means all ports." },
	{ "appProtocol", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Application protocol of the port." },
};
const struct sch_type sch_discovery_EndpointPort = {
	.name = "io.k8s.api.discovery.v1.EndpointPort",
	.fields = endpoint_port_fields,
	.nfields = ARRAY_SIZE(endpoint_port_fields),
	.flags = ST_ATOMIC,
	.doc = "One port of the endpoints of an EndpointSlice.",
};

static const struct sch_field event_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Event." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "eventTime", 2, SK_MICROTIME, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "When the event was first observed." },
	{ "series", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_events_EventSeries,
	  "The series this event belongs to, if it repeats." },
	{ "reportingController", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Controller that emitted the event, such as kubernetes.io/kubelet." },
	{ "reportingInstance", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Instance of that controller, such as kubelet-node1." },
	{ "action", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "What was done (or failed) to the object, machine-readable." },
	{ "reason", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Why the action was taken." },
	{ "regarding", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "The object the event is about." },
	{ "related", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "A secondary object involved in the action." },
	{ "note", 10, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable description of the event." },
	{ "type", 11, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Normal or Warning." },
	{ "deprecatedSource", 12, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_EventSource,
	  "Reporting component, as in core/v1 events." },
	{ "deprecatedFirstTimestamp", 13, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "First occurrence, as in core/v1 events." },
	{ "deprecatedLastTimestamp", 14, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "Last occurrence, as in core/v1 events." },
	{ "deprecatedCount", 15, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of occurrences, as in core/v1 events." },
};
const struct sch_type sch_events_Event = {
	.name = "io.k8s.api.events.v1.Event",
	.fields = event_fields,
	.nfields = ARRAY_SIZE(event_fields),
	.doc = "A report of something that happened in the cluster; informative and best-effort.",
};

static const struct sch_field event_series_fields[] = {
	{ "count", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of occurrences up to the last heartbeat." },
	{ "lastObservedTime", 2, SK_MICROTIME, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "When the last occurrence was seen before the last heartbeat." },
};
const struct sch_type sch_events_EventSeries = {
	.name = "io.k8s.api.events.v1.EventSeries",
	.fields = event_series_fields,
	.nfields = ARRAY_SIZE(event_series_fields),
	.doc = "A series of repeated occurrences of an event.",
};

static const struct sch_field lease_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: LeaseList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_coordination_Lease,
	  "The Lease objects." },
};
const struct sch_type sch_coordination_LeaseList = {
	.name = "io.k8s.api.coordination.v1.LeaseList",
	.fields = lease_list_fields,
	.nfields = ARRAY_SIZE(lease_list_fields),
	.doc = "A list of Lease objects.",
};

static const struct sch_field endpoint_slice_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: EndpointSliceList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_discovery_EndpointSlice,
	  "The EndpointSlice objects." },
};
const struct sch_type sch_discovery_EndpointSliceList = {
	.name = "io.k8s.api.discovery.v1.EndpointSliceList",
	.fields = endpoint_slice_list_fields,
	.nfields = ARRAY_SIZE(endpoint_slice_list_fields),
	.doc = "A list of EndpointSlice objects.",
};

static const struct sch_field event_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: EventList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_events_Event,
	  "The Event objects." },
};
const struct sch_type sch_events_EventList = {
	.name = "io.k8s.api.events.v1.EventList",
	.fields = event_list_fields,
	.nfields = ARRAY_SIZE(event_list_fields),
	.doc = "A list of Event objects.",
};
