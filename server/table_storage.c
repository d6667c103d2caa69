/*
 * table_storage.c - what `kubectl get` prints for the storage kinds: PodTemplates,
 * PersistentVolumes, PersistentVolumeClaims, StorageClasses and ResourceQuotas (LimitRanges
 * have upstream's default Name / Created At columns).
 *
 * DESIGN
 * The columns and cell rules follow upstream's printers (printPodTemplate,
 * printPersistentVolume, printPersistentVolumeClaim, printStorageClass, printResourceQuota):
 * access modes abbreviated in upstream's fixed order, "<unset>" for an unset volume mode or
 * attributes class, "Terminating" for an object being deleted, "(default)" after the name of
 * the default StorageClass, a quota's hard limits as "resource: used/hard" split into requests
 * and limits. Registered as each kind's printer in registry.c.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define COL_NAME { "Name", "string", "name", "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0 }
#define COL_AGE { "Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0 }
#define COL(n, t, d, p) { n, t, "", d, p }
#define COL_END { NULL, NULL, NULL, NULL, 0 }

static void cell(cJSON *cells, const char *s)
{
	cJSON_AddItemToArray(cells, cJSON_CreateString(s ? s : ""));
}

static void cell_age(cJSON *cells, const cJSON *obj, int64_t now)
{
	const char *ts = json_strv(obj, "metadata", "creationTimestamp", NULL);
	int64_t t;
	char out[32];
	if (!ts || parse_rfc3339(ts, &t) < 0) {
		cell(cells, "<unknown>");
		return;
	}
	human_duration(now - t, out, sizeof(out));
	cell(cells, out);
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int deleting(const cJSON *obj)
{
	return json_strv(obj, "metadata", "deletionTimestamp", NULL) != NULL;
}

/* The string members of arr (or of arr's objects' member key) joined with ",". */
static void cell_join(cJSON *cells, const cJSON *arr, const char *key)
{
	struct buf b = BUF_INIT;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
	{
		const char *s = key ? json_str(e, key) : (cJSON_IsString(e) ? e->valuestring : NULL);
		if (s)
			buf_addf(&b, "%s%s", b.len ? "," : "", s);
	}
	cell(cells, b.len ? b.data : "");
	buf_release(&b);
}

/* ---- PodTemplate --------------------------------------------------------------------------- */

const struct table_col table_cols_podtemplate[] = {
	COL_NAME,
	COL("Containers", "string", "Names of each container in the template.", 0),
	COL("Images", "string", "Images referenced by each container in the template.", 0),
	COL("Pod Labels", "string", "The labels for the pod template.", 0),
	COL_END
};

/* Labels as labels.FormatLabels prints them: sorted "k=v" joined with ",", "<none>" when empty. */
static void cell_labels(cJSON *cells, const cJSON *labels)
{
	size_t n = (size_t)cJSON_GetArraySize(labels), i = 0;
	const char **keys = xcalloc(n + 1, sizeof(*keys));
	const cJSON *e;
	struct buf b = BUF_INIT;
	cJSON_ArrayForEach(e, labels)
		if (cJSON_IsString(e))
			keys[i++] = e->string;
	qsort(keys, i, sizeof(*keys), cmp_keys);
	for (size_t j = 0; j < i; j++)
		buf_addf(&b, "%s%s=%s", j ? "," : "", keys[j], json_str(labels, keys[j]));
	cell(cells, b.len ? b.data : "<none>");
	buf_release(&b);
	free(keys);
}

void table_row_podtemplate(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *tmpl = json_obj(obj, "template"), *containers = json_getv(tmpl, "spec", "containers", NULL);
	UNUSED(now);
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	cell_join(cells, containers, "name");
	cell_join(cells, containers, "image");
	cell_labels(cells, json_getv(tmpl, "metadata", "labels", NULL));
}

/* ---- PersistentVolume and PersistentVolumeClaim ------------------------------------------ */

const struct table_col table_cols_pv[] = {
	COL_NAME,
	COL("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity", 0),
	COL("Access Modes", "string", "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes", 0),
	COL("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming", 0),
	COL("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase", 0),
	COL("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding", 0),
	COL("StorageClass", "string", "StorageClass of the persistent volume", 0),
	COL("VolumeAttributesClass", "string", "VolumeAttributesClass of the persistent volume", 0),
	COL("Reason", "string", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.", 0),
	COL_AGE,
	COL("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.", 1),
	COL_END
};

const struct table_col table_cols_pvc[] = {
	COL_NAME,
	COL("Status", "string", "phase represents the current phase of PersistentVolumeClaim.", 0),
	COL("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim.", 0),
	COL("Capacity", "string", "capacity represents the actual resources of the underlying volume.", 0),
	COL("Access Modes", "string", "accessModes contains the desired access modes the volume should have. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1", 0),
	COL("StorageClass", "string", "StorageClass of the pvc", 0),
	COL("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc", 0),
	COL_AGE,
	COL("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.", 1),
	COL_END
};

/* Access modes as GetAccessModesAsString: the known ones abbreviated, in a fixed order. */
static void cell_modes(cJSON *cells, const cJSON *modes)
{
	static const char *const names[][2] = { { "ReadWriteOnce", "RWO" }, { "ReadOnlyMany", "ROX" },
						{ "ReadWriteMany", "RWX" }, { "ReadWriteOncePod", "RWOP" } };
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const cJSON *m;
		cJSON_ArrayForEach(m, modes)
			if (cJSON_IsString(m) && !strcmp(m->valuestring, names[i][0])) {
				buf_addf(&b, "%s%s", b.len ? "," : "", names[i][1]);
				break;
			}
	}
	cell(cells, b.len ? b.data : "");
	buf_release(&b);
}

/* The class of a volume or claim: spec.storageClassName, else the beta annotation. */
static const char *storage_class(const cJSON *obj)
{
	const char *a = json_strv(obj, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class", NULL);
	const char *c = json_strv(obj, "spec", "storageClassName", NULL);
	return a ? a : c ? c : "";
}

static const char *or_unset(const char *s)
{
	return s ? s : "<unset>";
}

void table_row_pv(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *spec = json_obj(obj, "spec");
	const char *cns = json_strv(spec, "claimRef", "namespace", NULL), *cname = json_strv(spec, "claimRef", "name", NULL);
	char *claim = cname ? xasprintf("%s/%s", cns ? cns : "", cname) : xstrdup("");
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	cell(cells, json_strv(spec, "capacity", "storage", NULL));
	cell_modes(cells, json_getv(spec, "accessModes", NULL));
	cell(cells, json_str(spec, "persistentVolumeReclaimPolicy"));
	cell(cells, deleting(obj) ? "Terminating" : json_strv(obj, "status", "phase", NULL));
	cell(cells, claim);
	cell(cells, storage_class(obj));
	cell(cells, or_unset(json_str(spec, "volumeAttributesClassName")));
	cell(cells, json_strv(obj, "status", "reason", NULL));
	cell_age(cells, obj, now);
	cell(cells, or_unset(json_str(spec, "volumeMode")));
	free(claim);
}

void table_row_pvc(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *spec = json_obj(obj, "spec"), *status = json_obj(obj, "status");
	const char *volume = json_str(spec, "volumeName");
	int bound = volume && *volume;
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	cell(cells, deleting(obj) ? "Terminating" : json_str(status, "phase"));
	cell(cells, volume);
	cell(cells, bound ? json_strv(status, "capacity", "storage", NULL) : "");
	cell_modes(cells, bound ? json_getv(status, "accessModes", NULL) : NULL);
	cell(cells, storage_class(obj));
	cell(cells, or_unset(json_str(spec, "volumeAttributesClassName")));
	cell_age(cells, obj, now);
	cell(cells, or_unset(json_str(spec, "volumeMode")));
}

/* ---- StorageClass ------------------------------------------------------------------------- */

const struct table_col table_cols_storageclass[] = {
	COL_NAME,
	COL("Provisioner", "string", "provisioner indicates the type of the provisioner.", 0),
	COL("ReclaimPolicy", "string", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.", 0),
	COL("VolumeBindingMode", "string", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.", 0),
	COL("AllowVolumeExpansion", "string", "allowVolumeExpansion shows whether the storage class allow volume expand.", 0),
	COL_AGE,
	COL_END
};

/* Is sc the default class (storageclass.kubernetes.io/is-default-class, or the beta key)? */
static int is_default_class(const cJSON *sc)
{
	const cJSON *ann = json_getv(sc, "metadata", "annotations", NULL);
	const char *v = json_str(ann, "storageclass.kubernetes.io/is-default-class");
	const char *beta = json_str(ann, "storageclass.beta.kubernetes.io/is-default-class");
	return (v && !strcmp(v, "true")) || (beta && !strcmp(beta, "true"));
}

void table_row_storageclass(const cJSON *obj, cJSON *cells, int64_t now)
{
	const char *name = json_strv(obj, "metadata", "name", NULL), *reclaim = json_str(obj, "reclaimPolicy");
	const char *binding = json_str(obj, "volumeBindingMode");
	char *shown = is_default_class(obj) ? xasprintf("%s (default)", name ? name : "") : xstrdup(name ? name : "");
	cell(cells, shown);
	cell(cells, json_str(obj, "provisioner"));
	cell(cells, reclaim ? reclaim : "Delete");
	cell(cells, binding ? binding : "Immediate");
	cell(cells, cJSON_IsTrue(json_getv(obj, "allowVolumeExpansion", NULL)) ? "true" : "false");
	cell_age(cells, obj, now);
	free(shown);
}

/* ---- ResourceQuota ------------------------------------------------------------------------ */

const struct table_col table_cols_resourcequota[] = {
	COL_NAME,
	COL_AGE,
	COL("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume.", 0),
	COL("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.", 0),
	COL_END
};

void table_row_resourcequota(const cJSON *obj, cJSON *cells, int64_t now)
{
	const cJSON *hard = json_getv(obj, "status", "hard", NULL), *used = json_getv(obj, "status", "used", NULL), *e;
	size_t n = (size_t)cJSON_GetArraySize(hard), i = 0;
	const char **keys = xcalloc(n + 1, sizeof(*keys));
	struct buf req = BUF_INIT, lim = BUF_INIT;
	cJSON_ArrayForEach(e, hard)
		keys[i++] = e->string;
	qsort(keys, i, sizeof(*keys), cmp_keys);
	for (size_t j = 0; j < i; j++) {
		struct buf *b = starts_with(keys[j], "limits") ? &lim : &req;
		const char *u = json_str(used, keys[j]);
		buf_addf(b, "%s%s: %s/%s", b->len ? ", " : "", keys[j], u ? u : "0", json_str(hard, keys[j]) ? json_str(hard, keys[j]) : "");
	}
	cell(cells, json_strv(obj, "metadata", "name", NULL));
	cell_age(cells, obj, now);
	cell(cells, req.len ? req.data : "");
	cell(cells, lim.len ? lim.data : "");
	buf_release(&req);
	buf_release(&lim);
	free(keys);
}
