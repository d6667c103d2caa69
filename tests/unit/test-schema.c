/*
 * Unit tests for server/schema: structural checks over every table (names, protobuf numbers,
 * list and map semantics, references), the served kinds of the registry, spot checks of facts
 * from Kubernetes v1.33, and schema_dump, which writes the tables as JSON for
 * tests/e2e/test_schema_coverage.py when KUBE_SCHEMA_DUMP names a file.
 */
#include "test.h"
#include "json.h"
#include "util.h"
#include "server/internal.h"
#include "server/schema.h"

#include <ctype.h>

/* FAIL for field f of type t: names them first. */
#define FAILT(t, f, ...) \
	do { \
		fprintf(stderr, "  %s.%s:\n", (t)->name, (f)->name); \
		FAIL(__VA_ARGS__); \
	} while (0)

static int is_scalar(enum sch_kind k)
{
	return k == SK_STRING || k == SK_BOOL || k == SK_INT32 || k == SK_INT64 || k == SK_FLOAT64 ||
	       k == SK_BYTES;
}

/* Is t one of the types sch_types() lists? */
static int listed(const struct sch_type *t)
{
	const struct sch_type *const *all;
	size_t n = sch_types(&all);
	for (size_t i = 0; i < n; i++)
		if (all[i] == t)
			return 1;
	return 0;
}

/* Does each comma-separated key of keys name a field of t? */
static int keys_exist(const struct sch_type *t, const char *keys)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", keys);
	for (char *save = NULL, *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save))
		if (!sch_field(t, k))
			return 0;
	return 1;
}

/* The list and map semantics of one field agree with each other and with its element type. */
static int check_list(const struct sch_type *t, const struct sch_field *f)
{
	if (f->list == SL_MAP) {
		if (f->kind != SK_OBJECT)
			FAILT(t, f, "a list map of scalars");
		if (f->flags & SF_SMP_REPLACE) {
			if (f->merge_key || !f->map_keys)
				FAILT(t, f, "SF_SMP_REPLACE list map needs map_keys and no merge_key");
		} else if (!f->merge_key) {
			FAILT(t, f, "SL_MAP without merge_key");
		}
		if (f->merge_key && !sch_field(f->type, f->merge_key))
			FAILT(t, f, "merge key %s is not a field of %s", f->merge_key, f->type->name);
		if (f->map_keys && !keys_exist(f->type, f->map_keys))
			FAILT(t, f, "map keys %s are not fields of %s", f->map_keys, f->type->name);
	} else if (f->merge_key || f->map_keys) {
		FAILT(t, f, "merge_key/map_keys on a field that is not a list map");
	}
	if (f->list == SL_SET && !is_scalar(f->kind))
		FAILT(t, f, "a set of non-scalars");
	if ((f->flags & SF_APPLY_ATOMIC) && f->list != SL_MAP && f->list != SL_SET)
		FAILT(t, f, "SF_APPLY_ATOMIC on a list SMP does not merge");
	if ((f->flags & SF_SMP_REPLACE) && f->list != SL_MAP && f->list != SL_SET)
		FAILT(t, f, "SF_SMP_REPLACE on a list apply does not merge");
	if ((f->flags & SF_RETAIN_KEYS) && f->kind != SK_OBJECT)
		FAILT(t, f, "retainKeys on a scalar");
	return 0;
}

/* One field is well formed. */
static int check_field(const struct sch_type *t, const struct sch_field *f)
{
	if (!f->name || !*f->name || !f->doc || !*f->doc)
		FAIL("%s: a field without a name or doc", t->name);
	if (f->proto < 0)
		FAILT(t, f, "negative protobuf number");
	if ((f->kind == SK_OBJECT) != (f->type != NULL))
		FAILT(t, f, "SK_OBJECT fields, and only they, have a type");
	if (f->type && !listed(f->type))
		FAILT(t, f, "type %s is not in sch_types()", f->type->name);
	if (f->type && (f->type->flags & ST_INLINED) && !(f->flags & SF_INLINE))
		FAILT(t, f, "an inline-only type used as a named field");
	if ((f->flags & SF_INLINE) && (f->kind != SK_OBJECT || f->list != SL_NONE || (f->flags & SF_MAP) ||
				       !f->proto))
		FAILT(t, f, "SF_INLINE must be a singular message with a protobuf number");
	if ((f->flags & SF_MAP_ATOMIC) && !(f->flags & SF_MAP))
		FAILT(t, f, "SF_MAP_ATOMIC without SF_MAP");
	if ((f->flags & SF_KEEP_ZERO) && (!is_scalar(f->kind) || f->list != SL_NONE || (f->flags & SF_MAP)))
		FAILT(t, f, "SF_KEEP_ZERO on a field that is not a singular scalar");
	if ((f->flags & SF_REQUIRED) && is_scalar(f->kind) && f->list == SL_NONE && !(f->flags & SF_MAP) &&
	    !(f->flags & SF_KEEP_ZERO))
		FAILT(t, f, "a required scalar (no omitempty upstream) without SF_KEEP_ZERO");
	if (f->proto == 0 && strcmp(f->name, "apiVersion") && strcmp(f->name, "kind"))
		FAILT(t, f, "only kind and apiVersion may be left out of protobuf");
	return check_list(t, f);
}

/* Appends the JSON-visible field names of t (inline members flattened) to names. */
static void json_names(const struct sch_type *t, const char **names, size_t *n, size_t cap)
{
	for (size_t i = 0; i < t->nfields; i++) {
		if (t->fields[i].flags & SF_INLINE)
			json_names(t->fields[i].type, names, n, cap);
		else if (*n < cap)
			names[(*n)++] = t->fields[i].name;
	}
}

/* Field names (after flattening) and nonzero protobuf numbers are unique within t. */
static int check_unique(const struct sch_type *t)
{
	const char *names[256];
	size_t n = 0;
	json_names(t, names, &n, ARRAY_SIZE(names));
	ASSERT(n < ARRAY_SIZE(names));
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (!strcmp(names[i], names[j]))
				FAIL("%s: field %s appears twice", t->name, names[i]);
	for (size_t i = 0; i < t->nfields; i++)
		for (size_t j = i + 1; j < t->nfields; j++)
			if (t->fields[i].proto && t->fields[i].proto == t->fields[j].proto)
				FAIL("%s: protobuf number %d used by %s and %s", t->name, t->fields[i].proto,
				     t->fields[i].name, t->fields[j].name);
	return 0;
}

/* Is [p, end) an API version: v1, v2, v1beta1, v2alpha3? */
static int is_version(const char *p, const char *end)
{
	if (end - p < 2 || *p++ != 'v' || !isdigit((unsigned char)*p))
		return 0;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p == end)
		return 1;
	size_t n = (size_t)(end - p);
	if (n > 5 && !strncmp(p, "alpha", 5))
		p += 5;
	else if (n > 4 && !strncmp(p, "beta", 4))
		p += 4;
	else
		return 0;
	for (; p < end; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

/* "io.k8s.api.<group>.<version>.<Kind>" or "io.k8s.apimachinery.pkg.apis.meta.v1.<Kind>". */
static int well_formed_name(const char *name)
{
	const char *kind = strrchr(name, '.');
	if (!kind || !isupper((unsigned char)kind[1]))
		return 0;
	for (const char *p = kind + 1; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	if (!strncmp(name, "io.k8s.apimachinery.pkg.apis.meta.v1.", 37))
		return kind - name == 36;
	if (!strncmp(name, "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.", 54))
		return is_version(name + 54, kind);
	if (strncmp(name, "io.k8s.api.", 11))
		return 0;
	const char *group = name + 11, *dot = strchr(group, '.');
	return dot && dot > group && dot < kind && is_version(dot + 1, kind);
}

TEST_IMPL(schema_structure)
{
	const struct sch_type *const *all;
	size_t n = sch_types(&all);
	ASSERT(n > 250);
	for (size_t i = 0; i < n; i++) {
		const struct sch_type *t = all[i];
		if (!well_formed_name(t->name))
			FAIL("bad definition name %s", t->name);
		/* only free-form types and upstream's one empty struct have no fields */
		int empty_ok = (t->flags & ST_ANY) || strstr(t->name, ".CustomResourceSubresourceStatus");
		if ((!t->nfields && !empty_ok) || !t->doc || !*t->doc)
			FAIL("%s: no fields or no doc", t->name);
		for (size_t j = i + 1; j < n; j++)
			if (all[j] == t || !strcmp(all[j]->name, t->name))
				FAIL("%s listed twice", t->name);
		if (check_unique(t))
			return 1;
		for (size_t j = 0; j < t->nfields; j++)
			if (check_field(t, &t->fields[j]))
				return 1;
	}
	return 0;
}

/* t is a top-level object: apiVersion and kind outside protobuf, ObjectMeta (or ListMeta) as 1. */
static int check_top(const struct sch_type *t, int list)
{
	const struct sch_field *av = sch_field(t, "apiVersion"), *k = sch_field(t, "kind");
	const struct sch_field *md = sch_field(t, "metadata");
	ASSERT(av && k && md);
	ASSERT_EQ(av->proto, 0);
	ASSERT_EQ(k->proto, 0);
	ASSERT_EQ(md->proto, 1);
	ASSERT(md->type == (list ? &sch_meta_ListMeta : &sch_meta_ObjectMeta));
	return 0;
}

TEST_IMPL(schema_kinds)
{
	registry_init();
	ASSERT(registry_count() > 0);
	for (size_t i = 0; i < registry_count(); i++) {
		const struct kind *k = registry_at(i);
		const struct sch_type *t = sch_kind_type(k->group, k->version, k->kind);
		if (!t)
			FAIL("no schema for %s/%s %s", k->group, k->version, k->kind);
		const char *tail = strrchr(t->name, '.');
		ASSERT_STR(tail + 1, k->kind);
		if (check_top(t, 0))
			FAIL("%s is not a top-level object", t->name);
		if (k->flags & KIND_VIRTUAL) /* create-only reviews have no list type upstream */
			continue;
		const struct sch_type *l = sch_kind_type(k->group, k->version, k->list_kind);
		if (!l || check_top(l, 1))
			FAIL("no list type %s for %s", k->list_kind, t->name);
		const struct sch_field *items = sch_field(l, "items");
		ASSERT(items && items->type == t && items->list == SL_ATOMIC && items->proto == 2);
	}
	ASSERT(sch_kind_type("", "v1", "Status") == &sch_meta_Status);
	ASSERT(sch_kind_type("meta.k8s.io", "v1", "DeleteOptions") == &sch_meta_DeleteOptions);
	ASSERT(sch_kind_type("autoscaling", "v1", "Scale") == &sch_autoscaling_Scale);
	ASSERT(sch_kind_type("", "v1", "Binding") == &sch_core_Binding);
	ASSERT(sch_kind_type("authentication.k8s.io", "v1", "TokenRequest") == &sch_authentication_TokenRequest);
	ASSERT(sch_kind_type("authorization.k8s.io", "v1", "SelfSubjectAccessReview") ==
	       &sch_authorization_SelfSubjectAccessReview);
	ASSERT(sch_kind_type("events.k8s.io", "v1", "Event") == &sch_events_Event);
	ASSERT(sch_kind_type("authentication.k8s.io", "v1beta1", "SelfSubjectReview") ==
	       &sch_authentication_v1beta1_SelfSubjectReview);
	ASSERT(sch_kind_type("", "v1", "Event") == &sch_core_Event);
	ASSERT(sch_kind_type("apps", "v1", "Pod") == NULL);
	ASSERT(sch_kind_type("", "v2", "Pod") == NULL);
	return 0;
}

/* Looks up a field by a dotted path of JSON names from t ("spec.template.spec.containers"). */
static const struct sch_field *path(const struct sch_type *t, const char *p)
{
	char buf[256];
	const struct sch_field *f = NULL;
	snprintf(buf, sizeof(buf), "%s", p);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		if (f && !(t = f->type))
			return NULL;
		if (!(f = sch_field(t, k)))
			return NULL;
	}
	return f;
}

TEST_IMPL(schema_pod_spec)
{
	const struct sch_field *f = sch_field(&sch_core_PodSpec, "containers");
	ASSERT(f && f->proto == 2 && f->list == SL_MAP && f->kind == SK_OBJECT);
	ASSERT_STR(f->merge_key, "name");
	ASSERT(f->map_keys == NULL && f->type == &sch_core_Container && (f->flags & SF_REQUIRED));
	f = sch_field(&sch_core_PodSpec, "volumes");
	ASSERT(f && f->proto == 1 && f->list == SL_MAP && (f->flags & SF_RETAIN_KEYS));
	ASSERT_STR(f->merge_key, "name");
	f = sch_field(&sch_core_PodSpec, "tolerations");
	ASSERT(f && f->proto == 22 && f->list == SL_ATOMIC && !f->merge_key);
	f = sch_field(&sch_core_PodSpec, "topologySpreadConstraints");
	ASSERT_STR(f->merge_key, "topologyKey");
	ASSERT_STR(f->map_keys, "topologyKey,whenUnsatisfiable");
	f = sch_field(&sch_core_PodSpec, "nodeSelector");
	ASSERT(f && (f->flags & SF_MAP) && (f->flags & SF_MAP_ATOMIC) && f->kind == SK_STRING);
	f = sch_field(&sch_core_PodSpec, "activeDeadlineSeconds");
	ASSERT(f && f->kind == SK_INT64 && (f->flags & SF_KEEP_ZERO));
	ASSERT(sch_field(&sch_core_PodSpec, "hostnameOverride") == NULL); /* 1.34 */
	f = sch_field(&sch_core_Container, "ports");
	ASSERT(f && f->proto == 6 && f->list == SL_MAP);
	ASSERT_STR(f->merge_key, "containerPort");
	ASSERT_STR(f->map_keys, "containerPort,protocol");
	f = path(&sch_core_Pod, "spec.containers.resources.limits");
	ASSERT(f && (f->flags & SF_MAP) && f->kind == SK_QUANTITY);
	f = path(&sch_core_Pod, "spec.containers.resources.claims");
	ASSERT(f && f->list == SL_MAP && (f->flags & SF_SMP_REPLACE) && !f->merge_key);
	ASSERT_STR(f->map_keys, "name");
	f = path(&sch_core_Pod, "spec.containers.livenessProbe.httpGet.port");
	ASSERT(f && f->kind == SK_INT_OR_STRING);
	f = path(&sch_core_Pod, "status.hostIPs");
	ASSERT(f && f->list == SL_MAP && (f->flags & SF_APPLY_ATOMIC));
	return 0;
}

TEST_IMPL(schema_inline)
{
	const struct sch_field *f = sch_field(&sch_core_Volume, "configMap");
	ASSERT(f && f->proto == 19 && f->type == &sch_core_ConfigMapVolumeSource);
	ASSERT(sch_field(&sch_core_Volume, "volumeSource") == NULL);
	f = &sch_core_Volume.fields[1];
	ASSERT(f->proto == 2 && (f->flags & SF_INLINE) && f->type == &sch_core_VolumeSource);
	ASSERT(sch_core_VolumeSource.flags & ST_INLINED);
	f = sch_field(&sch_core_ConfigMapKeySelector, "name");
	ASSERT(f && f->proto == 1 && f->kind == SK_STRING);
	ASSERT(sch_core_ConfigMapKeySelector.flags & ST_ATOMIC);
	f = sch_field(&sch_core_Probe, "exec");
	ASSERT(f && f->type == &sch_core_ExecAction);
	f = sch_field(&sch_core_EphemeralContainer, "image");
	ASSERT(f && f->proto == 2);
	ASSERT(sch_field(&sch_core_EphemeralContainer, "targetContainerName"));
	return 0;
}

TEST_IMPL(schema_object_meta)
{
	static const struct {
		const char *name;
		int proto;
	} want[] = {
		{ "name", 1 }, { "generateName", 2 }, { "namespace", 3 }, { "selfLink", 4 }, { "uid", 5 },
		{ "resourceVersion", 6 }, { "generation", 7 }, { "creationTimestamp", 8 },
		{ "deletionTimestamp", 9 }, { "deletionGracePeriodSeconds", 10 }, { "labels", 11 },
		{ "annotations", 12 }, { "ownerReferences", 13 }, { "finalizers", 14 }, { "managedFields", 17 },
	};
	ASSERT_EQ(sch_meta_ObjectMeta.nfields, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct sch_field *f = sch_field(&sch_meta_ObjectMeta, want[i].name);
		if (!f || f->proto != want[i].proto)
			FAIL("ObjectMeta.%s: want protobuf %d", want[i].name, want[i].proto);
	}
	const struct sch_field *f = sch_field(&sch_meta_ObjectMeta, "finalizers");
	ASSERT(f->list == SL_SET && f->kind == SK_STRING);
	f = sch_field(&sch_meta_ObjectMeta, "ownerReferences");
	ASSERT(f->list == SL_MAP && f->type == &sch_meta_OwnerReference);
	ASSERT_STR(f->merge_key, "uid");
	ASSERT(sch_field(&sch_meta_ObjectMeta, "managedFields")->list == SL_ATOMIC);
	ASSERT(sch_field(&sch_meta_ObjectMeta, "labels")->flags & SF_MAP);
	ASSERT(sch_field(&sch_meta_ObjectMeta, "creationTimestamp")->kind == SK_TIME);
	ASSERT(sch_field(&sch_meta_ManagedFieldsEntry, "fieldsV1")->kind == SK_RAW);
	ASSERT(sch_meta_LabelSelector.flags & ST_ATOMIC);
	return 0;
}

TEST_IMPL(schema_workloads)
{
	const struct sch_field *f = sch_field(&sch_apps_DeploymentSpec, "strategy");
	ASSERT(f && f->proto == 4 && (f->flags & SF_RETAIN_KEYS) && f->list == SL_NONE);
	f = sch_field(&sch_apps_DeploymentSpec, "replicas");
	ASSERT(f && f->kind == SK_INT32 && (f->flags & SF_KEEP_ZERO));
	f = path(&sch_apps_Deployment, "spec.strategy.rollingUpdate.maxSurge");
	ASSERT(f && f->kind == SK_INT_OR_STRING);
	f = path(&sch_apps_StatefulSet, "spec.volumeClaimTemplates");
	ASSERT(f && f->type == &sch_core_PersistentVolumeClaim && f->list == SL_ATOMIC);
	ASSERT(path(&sch_apps_ControllerRevision, "data")->kind == SK_RAW);
	f = path(&sch_batch_Job, "status.conditions");
	ASSERT(f && f->list == SL_MAP && (f->flags & SF_APPLY_ATOMIC));
	ASSERT_STR(f->merge_key, "type");
	f = path(&sch_batch_CronJob, "spec.jobTemplate.spec.template.spec.containers");
	ASSERT(f && f->type == &sch_core_Container);
	f = path(&sch_batch_Job, "status.uncountedTerminatedPods.succeeded");
	ASSERT(f && f->list == SL_SET && (f->flags & SF_SMP_REPLACE));
	return 0;
}

TEST_IMPL(schema_other_kinds)
{
	const struct sch_field *f = sch_field(&sch_core_ServiceSpec, "ports");
	ASSERT_STR(f->merge_key, "port");
	ASSERT_STR(f->map_keys, "port,protocol");
	ASSERT(sch_field(&sch_core_ServiceSpec, "selector")->flags & SF_MAP_ATOMIC);
	f = sch_field(&sch_core_Secret, "data");
	ASSERT(f && (f->flags & SF_MAP) && f->kind == SK_BYTES && f->proto == 2);
	ASSERT(sch_field(&sch_core_Event, "eventTime")->kind == SK_MICROTIME);
	ASSERT(path(&sch_coordination_Lease, "spec.renewTime")->kind == SK_MICROTIME);
	ASSERT(path(&sch_events_Event, "regarding")->type == &sch_core_ObjectReference);
	f = path(&sch_discovery_EndpointSlice, "endpoints.addresses");
	ASSERT(f && f->list == SL_SET && (f->flags & SF_SMP_REPLACE));
	f = path(&sch_authentication_SelfSubjectReview, "status.userInfo.extra");
	ASSERT(f && (f->flags & SF_MAP) && f->list == SL_ATOMIC && f->kind == SK_STRING);
	f = path(&sch_authorization_SelfSubjectAccessReview, "status.allowed");
	ASSERT(f && f->kind == SK_BOOL && (f->flags & SF_KEEP_ZERO) && (f->flags & SF_REQUIRED));
	ASSERT(path(&sch_core_Node, "spec.podCIDRs")->list == SL_SET);
	ASSERT(sch_field(&sch_meta_DeleteOptions, "ignoreStoreReadErrorWithClusterBreakingPotential")->proto == 6);
	return 0;
}

static const char *kind_name(enum sch_kind k)
{
	static const char *const names[] = {
		[SK_STRING] = "string", [SK_BOOL] = "bool", [SK_INT32] = "int32", [SK_INT64] = "int64",
		[SK_FLOAT64] = "float64", [SK_BYTES] = "bytes", [SK_QUANTITY] = "quantity", [SK_TIME] = "time",
		[SK_MICROTIME] = "microtime", [SK_DURATION] = "duration", [SK_INT_OR_STRING] = "intorstring",
		[SK_RAW] = "raw", [SK_OBJECT] = "object",
	};
	return names[k];
}

/* Adds the JSON-visible fields of t (inline members flattened) to obj. */
static void dump_fields(const struct sch_type *t, cJSON *obj)
{
	static const char *const lists[] = { "none", "atomic", "set", "map" };
	for (size_t i = 0; i < t->nfields; i++) {
		const struct sch_field *f = &t->fields[i];
		if (f->flags & SF_INLINE) {
			dump_fields(f->type, obj);
			continue;
		}
		cJSON *j = cJSON_CreateObject();
		json_set_int(j, "proto", f->proto);
		json_set_str(j, "kind", kind_name(f->kind));
		json_set_str(j, "list", lists[f->list]);
		json_set_int(j, "flags", f->flags);
		json_set_bool(j, "map", !!(f->flags & SF_MAP));
		if (f->type)
			json_set_str(j, "type", f->type->name);
		if (f->merge_key)
			json_set_str(j, "merge_key", f->merge_key);
		if (f->map_keys)
			json_set_str(j, "map_keys", f->map_keys);
		json_set(obj, f->name, j);
	}
}

TEST_IMPL(schema_dump)
{
	const char *file = getenv("KUBE_SCHEMA_DUMP");
	if (!file)
		return 0;
	const struct sch_type *const *all;
	size_t n = sch_types(&all);
	cJSON *root = cJSON_CreateObject(), *types = json_obj_force(root, "types");
	for (size_t i = 0; i < n; i++) {
		cJSON *t = json_obj_force(types, all[i]->name);
		json_set_int(t, "flags", all[i]->flags);
		dump_fields(all[i], json_obj_force(t, "fields"));
	}
	char *s = json_print_str(root);
	FILE *fp = fopen(file, "w");
	int ok = fp && fputs(s, fp) >= 0;
	if (fp && fclose(fp))
		ok = 0;
	free(s);
	cJSON_Delete(root);
	if (!ok)
		FAIL("cannot write %s", file);
	return 0;
}

/* A body value of the wrong JSON type, worded as encoding/json (create/update) and as the
 * unstructured converter (patch results). */
TEST_IMPL(schema_check_decode)
{
	static const struct {
		const char *json, *decode, *convert;
	} cases[] = {
		{ "{\"spec\":{\"containers\":\"x\"}}",
		  "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container",
		  "cannot restore slice from string" },
		{ "{\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":[{\"containerPort\":\"80\"}]}]}}",
		  "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
		  "cannot convert string to int32" },
		{ "{\"metadata\":{\"labels\":{\"a\":1}}}",
		  "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
		  "cannot convert int64 to string" },
		{ "{\"metadata\":{\"labels\":[]}}",
		  "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string",
		  "cannot restore map from slice" },
		{ "{\"spec\":{\"containers\":[7]}}",
		  "json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type v1.Container",
		  "cannot restore struct from: int64" },
		{ "{\"metadata\":{\"creationTimestamp\":5},\"spec\":{\"containers\":null}}", NULL, NULL },
	};
	const struct sch_type *pod = sch_kind_type("", "v1", "Pod");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		cJSON *obj = json_parse(cases[i].json, strlen(cases[i].json), NULL);
		struct buf a = BUF_INIT, b = BUF_INIT;
		int ra = sch_check_decode(pod, obj, &a), rb = sch_check_types(pod, obj, &b);
		if (cases[i].decode) {
			ASSERT(ra < 0 && rb < 0);
			ASSERT_STR(buf_str(&a), cases[i].decode);
			ASSERT_STR(buf_str(&b), cases[i].convert);
		} else {
			ASSERT(ra == 0);
		}
		buf_release(&a);
		buf_release(&b);
		cJSON_Delete(obj);
	}
	return 0;
}
