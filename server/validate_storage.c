/*
 * validate_storage.c - defaulting, preparation and validation of the storage kinds:
 * PodTemplate, PersistentVolume, PersistentVolumeClaim, StorageClass, LimitRange and
 * ResourceQuota (the hooks kinds.c dispatches to; declared in kinds.h).
 *
 * DESIGN
 * Each hook follows upstream: SetDefaults_* (a volume's reclaim policy Retain and volume mode
 * Filesystem, a class's reclaim policy Delete and binding mode Immediate, a LimitRange's
 * container defaults derived from max / default / min), the strategies' PrepareForCreate (a new
 * volume or claim starts Pending, a new quota with an empty status) and the Validate* functions
 * of pkg/apis/core/validation and pkg/apis/storage/validation with their messages. Quantities
 * are canonicalised as upstream's decoder does (quantity.h). What is not checked here: the
 * per-plugin rules of each persistent volume source beyond "exactly one source".
 */
#include "internal.h"
#include "server/kinds.h"
#include "server/quantity.h"

#include <string.h>

/* ---- shared ---------------------------------------------------------------------------------- */

/* Canonicalises the quantities of a resource list (obj[key]), rounded to milliunits. */
static void quantities(cJSON *obj, const char *key)
{
	cJSON *list = json_obj(obj, key), *q, *next;
	if (!cJSON_IsObject(list))
		return;
	for (q = list->child; q; q = next) {
		next = q->next;
		quantity_canonicalize(list, q, 1);
	}
}

static void set_default_str(cJSON *obj, const char *key, const char *v)
{
	const char *s = json_str(obj, key);
	if (obj && (!s || !*s))
		json_set_str(obj, key, v);
}

/* A quantity at path that must parse and be >= 0 (positive: > 0). Returns 0 with *q set. */
static int check_quantity(const cJSON *v, const char *path, int positive, struct quantity *q,
			  struct field_errors *errs)
{
	const char *err;
	struct buf s = BUF_INIT;
	if (quantity_from_json(v, q, &err) < 0) {
		field_errors_add(errs, FE_INVALID, path, v, "%s", err);
		return -1;
	}
	quantity_format(q, &s);
	if (quantity_sign(q) < 0 || (positive && quantity_sign(q) == 0))
		field_errors_add_str(errs, FE_INVALID, path, buf_str(&s), positive ? "must be greater than zero"
										  : "must be greater than or equal to 0");
	buf_release(&s);
	return 0;
}

static const char *const access_modes[] = { "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod", NULL };
static const char *const volume_modes[] = { "Block", "Filesystem", NULL };

static void check_access_modes(const cJSON *modes, const char *path, struct field_errors *errs)
{
	const cJSON *m;
	if (!cJSON_IsArray(modes) || !modes->child) {
		field_errors_add(errs, FE_REQUIRED, path, NULL, "at least 1 access mode is required");
		return;
	}
	cJSON_ArrayForEach(m, modes)
		if (!cJSON_IsString(m) || !validate_one_of(m->valuestring, access_modes))
			validate_not_supported(errs, path, m, access_modes);
}

static void check_class_name(const cJSON *spec, const char *path, struct field_errors *errs)
{
	const char *c = json_str(spec, "storageClassName");
	if (c && *c)
		validate_each(errs, path, c, validate_dns1123_subdomain);
}

static void check_volume_mode(const cJSON *spec, const char *path, struct field_errors *errs)
{
	const cJSON *m = jget(spec, "volumeMode");
	if (m && (!cJSON_IsString(m) || !validate_one_of(m->valuestring, volume_modes)))
		validate_not_supported(errs, path, m, volume_modes);
}

/* ---- PodTemplate ----------------------------------------------------------------------------- */

void defaults_podtemplate(cJSON *obj)
{
	defaults_pod_template(json_obj(obj, "template"));
}

void validate_podtemplate(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	UNUSED(old);
	validate_pod_template(json_obj(obj, "template"), "template", errs);
}

/* ---- PersistentVolume ------------------------------------------------------------------------ */

/* The volume sources a PersistentVolumeSpec may name; exactly one is set. */
static const char *const pv_sources[] = {
	"gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "iscsi", "cinder",
	"cephfs", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
	"photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi", NULL
};

void defaults_pv(cJSON *obj)
{
	cJSON *spec = json_obj(obj, "spec"), *status = json_obj(obj, "status");
	if (spec) {
		set_default_str(spec, "persistentVolumeReclaimPolicy", "Retain");
		set_default_str(spec, "volumeMode", "Filesystem");
		cJSON *hp = json_obj(spec, "hostPath");
		if (hp && !jget(hp, "type"))
			json_set_str(hp, "type", "");
		quantities(spec, "capacity");
	}
	if (status)
		set_default_str(status, "phase", "Pending");
}

/* PrepareForCreate: a new volume's status is Pending since now (PersistentVolumeLastPhaseTransitionTime). */
void prepare_pv(cJSON *obj, const cJSON *old)
{
	if (old)
		return;
	cJSON *status = cJSON_CreateObject();
	char now[21];
	format_rfc3339(wall_seconds(), now);
	json_set_str(status, "phase", "Pending");
	json_set_str(status, "lastPhaseTransitionTime", now);
	json_set(obj, "status", status);
}

static void pv_capacity(const cJSON *spec, struct field_errors *errs)
{
	static const char *const storage[] = { "storage", NULL };
	const cJSON *cap = jget(spec, "capacity"), *v;
	char f[VPATH_MAX];
	struct quantity q;
	if (!cJSON_IsObject(cap) || !cap->child)
		field_errors_add(errs, FE_REQUIRED, "spec.capacity", NULL, NULL);
	if (!jget(cap, "storage") || cJSON_GetArraySize(cap) > 1)
		validate_not_supported(errs, "spec.capacity", cap, storage);
	cJSON_ArrayForEach(v, cap)
		check_quantity(v, validate_path(f, "spec.capacity[%s]", v->string), 1, &q, errs);
}

static void pv_source(const cJSON *spec, struct field_errors *errs)
{
	int n = 0;
	char f[VPATH_MAX];
	for (size_t i = 0; pv_sources[i]; i++) {
		const cJSON *s = jget(spec, pv_sources[i]);
		if (!s)
			continue;
		if (n++)
			field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "spec.%s", pv_sources[i]), NULL,
					 "may not specify more than 1 volume type");
		else if (!strcmp(pv_sources[i], "hostPath") && !*jstr0(s, "path"))
			field_errors_add(errs, FE_REQUIRED, "spec.hostPath.path", NULL, NULL);
		else if (!strcmp(pv_sources[i], "local") && !*jstr0(s, "path"))
			field_errors_add(errs, FE_REQUIRED, "spec.local.path", NULL, NULL);
	}
	if (!n)
		field_errors_add(errs, FE_REQUIRED, "spec", NULL, "must specify a volume type");
}

void validate_pv(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const policies[] = { "Delete", "Recycle", "Retain", NULL };
	const cJSON *spec = json_obj(obj, "spec"), *p = jget(spec, "persistentVolumeReclaimPolicy");
	check_access_modes(jget(spec, "accessModes"), "spec.accessModes", errs);
	pv_capacity(spec, errs);
	check_class_name(spec, "spec.storageClassName", errs);
	if (p && (!cJSON_IsString(p) || !validate_one_of(p->valuestring, policies)))
		validate_not_supported(errs, "spec.persistentVolumeReclaimPolicy", p, policies);
	check_volume_mode(spec, "spec.volumeMode", errs);
	pv_source(spec, errs);
	if (old) {
		const cJSON *os = json_obj(old, "spec");
		if (!validate_same(jget(spec, "volumeMode"), jget(os, "volumeMode")))
			validate_immutable(errs, "spec.volumeMode", jget(spec, "volumeMode"), jget(os, "volumeMode"));
	}
}

void validate_pv_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const phases[] = { "Available", "Bound", "Failed", "Pending", "Released", NULL };
	const cJSON *p = json_getv(obj, "status", "phase", NULL);
	UNUSED(old);
	if (p && (!cJSON_IsString(p) || !validate_one_of(p->valuestring, phases)))
		validate_not_supported(errs, "status.phase", p, phases);
}

/* ---- PersistentVolumeClaim ------------------------------------------------------------------- */

void defaults_pvc(cJSON *obj)
{
	cJSON *spec = json_obj(obj, "spec"), *status = json_obj(obj, "status");
	if (spec) {
		set_default_str(spec, "volumeMode", "Filesystem");
		quantities(json_obj(spec, "resources"), "requests");
		quantities(json_obj(spec, "resources"), "limits");
	}
	if (status) {
		set_default_str(status, "phase", "Pending");
		quantities(status, "capacity");
	}
}

void prepare_pvc(cJSON *obj, const cJSON *old)
{
	if (old)
		return;
	cJSON *status = cJSON_CreateObject();
	json_set_str(status, "phase", "Pending");
	json_set(obj, "status", status);
}

static void pvc_spec(const cJSON *spec, struct field_errors *errs)
{
	const cJSON *req = json_getv(spec, "resources", "requests", NULL), *v;
	char f[VPATH_MAX];
	struct quantity q;
	check_access_modes(jget(spec, "accessModes"), "spec.accessModes", errs);
	if (spec && jget(spec, "selector"))
		validate_label_selector(jget(spec, "selector"), "spec.selector", errs);
	if (!jget(req, "storage"))
		field_errors_add(errs, FE_REQUIRED, "spec.resources[storage]", NULL, NULL);
	cJSON_ArrayForEach(v, req)
		check_quantity(v, validate_path(f, "spec.resources.requests[%s]", v->string), !strcmp(v->string, "storage"), &q, errs);
	check_class_name(spec, "spec.storageClassName", errs);
	check_volume_mode(spec, "spec.volumeMode", errs);
}

/* ValidatePersistentVolumeClaimUpdate: the spec may change only in resources.requests (growing),
 * volumeAttributesClassName, and volumeName while it was unset. */
static void pvc_update(const cJSON *spec, const cJSON *ospec, struct field_errors *errs)
{
	cJSON *a = cJSON_Duplicate(spec, 1), *b = cJSON_Duplicate(ospec, 1);
	static const char *const free_fields[] = { "volumeAttributesClassName", NULL };
	for (size_t i = 0; free_fields[i]; i++) {
		json_del(a, free_fields[i]);
		json_del(b, free_fields[i]);
	}
	json_del(json_obj(a, "resources"), "requests");
	json_del(json_obj(b, "resources"), "requests");
	if (!*jstr0(ospec, "volumeName"))
		json_del(a, "volumeName"), json_del(b, "volumeName");
	if (!validate_sem_equal(a, b))
		field_errors_add(errs, FE_FORBIDDEN, "spec", NULL,
				 "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
	cJSON_Delete(a);
	cJSON_Delete(b);
}

void validate_pvc(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	const cJSON *spec = json_obj(obj, "spec");
	pvc_spec(spec, errs);
	if (old)
		pvc_update(spec, json_obj(old, "spec"), errs);
}

void validate_pvc_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const phases[] = { "Bound", "Lost", "Pending", NULL };
	const cJSON *p = json_getv(obj, "status", "phase", NULL);
	UNUSED(old);
	if (p && (!cJSON_IsString(p) || !validate_one_of(p->valuestring, phases)))
		validate_not_supported(errs, "status.phase", p, phases);
}

/* ---- StorageClass ---------------------------------------------------------------------------- */

void defaults_storageclass(cJSON *obj)
{
	set_default_str(obj, "reclaimPolicy", "Delete");
	set_default_str(obj, "volumeBindingMode", "Immediate");
}

static void sc_immutable(const cJSON *obj, const cJSON *old, const char *key, struct field_errors *errs)
{
	if (!validate_sem_equal(jget(obj, key), jget(old, key)))
		field_errors_add(errs, FE_FORBIDDEN, key, NULL, "updates to %s are forbidden.", key);
}

void validate_storageclass(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const policies[] = { "Delete", "Retain", NULL };
	static const char *const modes[] = { "Immediate", "WaitForFirstConsumer", NULL };
	const char *prov = json_str(obj, "provisioner");
	const cJSON *p = jget(obj, "reclaimPolicy"), *m = jget(obj, "volumeBindingMode");
	if (!prov || !*prov)
		field_errors_add(errs, FE_REQUIRED, "provisioner", NULL, NULL);
	else
		validate_each(errs, "provisioner", prov, validate_qualified_name);
	if (p && (!cJSON_IsString(p) || !validate_one_of(p->valuestring, policies)))
		validate_not_supported(errs, "reclaimPolicy", p, policies);
	if (m && (!cJSON_IsString(m) || !validate_one_of(m->valuestring, modes)))
		validate_not_supported(errs, "volumeBindingMode", m, modes);
	if (old) {
		sc_immutable(obj, old, "parameters", errs);
		sc_immutable(obj, old, "provisioner", errs);
		sc_immutable(obj, old, "reclaimPolicy", errs);
		sc_immutable(obj, old, "volumeBindingMode", errs);
	}
}

/* ---- LimitRange ------------------------------------------------------------------------------ */

/* Copies each member of from missing in obj[key] (created as needed). */
static void fill_missing(cJSON *item, const char *key, const cJSON *from)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, from) {
		cJSON *to = json_obj_force(item, key);
		if (!cJSON_GetObjectItemCaseSensitive(to, v->string))
			cJSON_AddItemToObject(to, v->string, cJSON_Duplicate(v, 1));
	}
}

/* SetDefaults_LimitRangeItem: a Container item's default comes from max, its defaultRequest
 * from default, then from min. */
void defaults_limitrange(cJSON *obj)
{
	static const char *const lists[] = { "max", "min", "default", "defaultRequest", "maxLimitRequestRatio" };
	cJSON *item;
	cJSON_ArrayForEach(item, json_getv(obj, "spec", "limits", NULL)) {
		for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
			quantities(item, lists[i]);
		if (strcmp(jstr0(item, "type"), "Container"))
			continue;
		fill_missing(item, "default", jget(item, "max"));
		fill_missing(item, "defaultRequest", jget(item, "default"));
		fill_missing(item, "defaultRequest", jget(item, "min"));
	}
}

/* Checks lo <= hi for each resource both lists name, with upstream's message. */
static void lr_order(const cJSON *item, const char *lo, const char *hi, const char *path, const char *what,
		     struct field_errors *errs)
{
	const cJSON *v;
	char f[VPATH_MAX];
	cJSON_ArrayForEach(v, jget(item, lo)) {
		const cJSON *h = jget(jget(item, hi), v->string);
		struct quantity a, b;
		const char *e;
		if (!h || !cJSON_IsString(v) || !cJSON_IsString(h) || quantity_from_json(v, &a, &e) < 0 ||
		    quantity_from_json(h, &b, &e) < 0 || quantity_cmp(&a, &b) <= 0)
			continue;
		validate_path(f, "%s.%s[%s]", path, !strcmp(lo, "min") ? lo : hi, v->string);
		field_errors_add(errs, FE_INVALID, f, !strcmp(lo, "min") ? v : h, what, v->valuestring, h->valuestring);
	}
}

static void lr_item(const cJSON *item, const char *path, struct field_errors *errs)
{
	static const char *const types[] = { "Container", "PersistentVolumeClaim", "Pod", NULL };
	static const char *const lists[] = { "max", "min", "default", "defaultRequest", "maxLimitRequestRatio" };
	char f[VPATH_MAX];
	const cJSON *v;
	struct quantity q;
	const char *t = json_str(item, "type");
	if (!t || !validate_one_of(t, types))
		validate_not_supported_str(errs, validate_path(f, "%s.type", path), t ? t : "", types);
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		cJSON_ArrayForEach(v, jget(item, lists[i]))
			check_quantity(v, validate_path(f, "%s.%s[%s]", path, lists[i], v->string), 0, &q, errs);
	if (t && !strcmp(t, "Pod") && (jget(item, "default") || jget(item, "defaultRequest")))
		field_errors_add(errs, FE_FORBIDDEN, validate_path(f, "%s.%s", path, jget(item, "default") ? "default" : "defaultRequest"),
				 NULL, "may not be specified when `type` is 'Pod'");
	lr_order(item, "min", "max", path, "min value %s is greater than max value %s", errs);
	lr_order(item, "defaultRequest", "default", path, "default request value %s is greater than default limit value %s", errs);
	lr_order(item, "defaultRequest", "max", path, "default request value %s is greater than max value %s", errs);
	lr_order(item, "min", "defaultRequest", path, "min value %s is greater than default request value %s", errs);
	lr_order(item, "default", "max", path, "default value %s is greater than max value %s", errs);
	lr_order(item, "min", "default", path, "min value %s is greater than default value %s", errs);
}

void validate_limitrange(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	char f[VPATH_MAX];
	int i = 0;
	const cJSON *item;
	UNUSED(old);
	cJSON_ArrayForEach(item, json_getv(obj, "spec", "limits", NULL))
		lr_item(item, validate_path(f, "spec.limits[%d]", i++), errs);
}

/* ---- ResourceQuota --------------------------------------------------------------------------- */

void defaults_resourcequota(cJSON *obj)
{
	quantities(json_obj(obj, "spec"), "hard");
	quantities(json_obj(obj, "status"), "hard");
	quantities(json_obj(obj, "status"), "used");
}

void prepare_resourcequota(cJSON *obj, const cJSON *old)
{
	if (!old)
		json_del(obj, "status");
}

static void rq_list(const cJSON *list, const char *path, struct field_errors *errs)
{
	char f[VPATH_MAX];
	const cJSON *v;
	struct quantity q;
	cJSON_ArrayForEach(v, list) {
		validate_path(f, "%s[%s]", path, v->string);
		validate_each(errs, f, v->string, validate_qualified_name);
		check_quantity(v, f, 0, &q, errs);
	}
}

void validate_resourcequota(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	static const char *const scopes[] = { "BestEffort", "CrossNamespacePodAffinity", "NotBestEffort",
					      "NotTerminating", "PriorityClass", "Terminating", NULL };
	const cJSON *s;
	UNUSED(old);
	rq_list(json_getv(obj, "spec", "hard", NULL), "spec.hard", errs);
	cJSON_ArrayForEach(s, json_getv(obj, "spec", "scopes", NULL))
		if (!cJSON_IsString(s) || !validate_one_of(s->valuestring, scopes))
			validate_not_supported(errs, "spec.scopes", s, scopes);
}

void validate_resourcequota_status(const cJSON *obj, const cJSON *old, struct field_errors *errs)
{
	UNUSED(old);
	rq_list(json_getv(obj, "status", "hard", NULL), "status.hard", errs);
	rq_list(json_getv(obj, "status", "used", NULL), "status.used", errs);
}
