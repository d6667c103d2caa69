/*
 * schema_storage.c - the tables of the storage kinds: core/v1 PodTemplate, PersistentVolume
 * (with every persistent volume source), PersistentVolumeClaimList, LimitRange and
 * ResourceQuota, and storage.k8s.io/v1 StorageClass, each with its list.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, fields in upstream's declaration order, protobuf
 * numbers from upstream's generated.proto. PersistentVolumeSource is embedded in
 * PersistentVolumeSpec without a JSON name, so it is an SF_INLINE member named after its
 * protobuf field, as VolumeSource is in Volume. The volume sources a pod can use directly come
 * from schema_core.c; the ones whose persistent form differs (a SecretReference with a
 * namespace instead of a LocalObjectReference) are declared here. Pointer fields upstream
 * (volumeMode, a StorageClass's reclaimPolicy, ...) keep a zero value (SF_KEEP_ZERO). The
 * PersistentVolumeClaim itself is in schema_apps.c (StatefulSet templates need it). Facts follow
 * Kubernetes v1.33; descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field podtemplate_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PodTemplate." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "template", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodTemplateSpec,
	  "The pod template: labels, annotations and the pod spec." },
};
const struct sch_type sch_core_PodTemplate = {
	.name = "io.k8s.api.core.v1.PodTemplate",
	.fields = podtemplate_fields,
	.nfields = ARRAY_SIZE(podtemplate_fields),
	.doc = "A pod template stored on its own, for controllers and users to copy.",
};

static const struct sch_field podtemplatelist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PodTemplateList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_PodTemplate,
	  "The PodTemplate objects." },
};
const struct sch_type sch_core_PodTemplateList = {
	.name = "io.k8s.api.core.v1.PodTemplateList",
	.fields = podtemplatelist_fields,
	.nfields = ARRAY_SIZE(podtemplatelist_fields),
	.doc = "A list of PodTemplate objects.",
};

static const struct sch_field persistentvolume_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PersistentVolume." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PersistentVolumeSpec,
	  "What the volume is and how it may be used." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PersistentVolumeStatus,
	  "The observed state of the volume." },
};
const struct sch_type sch_core_PersistentVolume = {
	.name = "io.k8s.api.core.v1.PersistentVolume",
	.fields = persistentvolume_fields,
	.nfields = ARRAY_SIZE(persistentvolume_fields),
	.doc = "A piece of storage in the cluster, provisioned by an administrator or a provisioner.",
};

static const struct sch_field persistentvolumespec_fields[] = {
	{ "capacity", 1, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "The size of the volume (storage)." },
	{ "persistentVolumeSource", 2, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL, &sch_core_PersistentVolumeSource,
	  "Where the volume lives; exactly one source is set." },
	{ "accessModes", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod." },
	{ "claimRef", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "The claim this volume is bound to (or reserved for)." },
	{ "persistentVolumeReclaimPolicy", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "What happens when the claim is released: Retain (default for manual volumes), Delete or Recycle." },
	{ "storageClassName", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The StorageClass of the volume; empty means no class." },
	{ "mountOptions", 7, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Mount options, not validated." },
	{ "volumeMode", 8, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Filesystem (the default) or Block." },
	{ "nodeAffinity", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_VolumeNodeAffinity,
	  "The nodes this volume can be used from." },
	{ "volumeAttributesClassName", 10, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The VolumeAttributesClass of the volume." },
};
const struct sch_type sch_core_PersistentVolumeSpec = {
	.name = "io.k8s.api.core.v1.PersistentVolumeSpec",
	.fields = persistentvolumespec_fields,
	.nfields = ARRAY_SIZE(persistentvolumespec_fields),
	.doc = "The description of a persistent volume.",
};

static const struct sch_field persistentvolumesource_fields[] = {
	{ "gcePersistentDisk", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_GCEPersistentDiskVolumeSource,
	  "Deprecated: a GCE persistent disk." },
	{ "awsElasticBlockStore", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AWSElasticBlockStoreVolumeSource,
	  "Deprecated: an AWS EBS volume." },
	{ "hostPath", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_HostPathVolumeSource,
	  "A directory on the node (single-node testing only)." },
	{ "glusterfs", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_GlusterfsPersistentVolumeSource,
	  "Deprecated: a Glusterfs mount." },
	{ "nfs", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NFSVolumeSource,
	  "An NFS export." },
	{ "rbd", 6, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_RBDPersistentVolumeSource,
	  "Deprecated: a Ceph RADOS block device." },
	{ "iscsi", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ISCSIPersistentVolumeSource,
	  "An iSCSI disk." },
	{ "cinder", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_CinderPersistentVolumeSource,
	  "Deprecated: an OpenStack Cinder volume." },
	{ "cephfs", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_CephFSPersistentVolumeSource,
	  "Deprecated: a CephFS mount." },
	{ "fc", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_FCVolumeSource,
	  "A Fibre Channel disk." },
	{ "flocker", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_FlockerVolumeSource,
	  "Deprecated: a Flocker dataset." },
	{ "flexVolume", 12, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_FlexPersistentVolumeSource,
	  "Deprecated: a volume of an exec-based plugin." },
	{ "azureFile", 13, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AzureFilePersistentVolumeSource,
	  "Deprecated: an Azure File share." },
	{ "vsphereVolume", 14, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_VsphereVirtualDiskVolumeSource,
	  "Deprecated: a vSphere disk." },
	{ "quobyte", 15, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_QuobyteVolumeSource,
	  "Deprecated: a Quobyte mount." },
	{ "azureDisk", 16, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AzureDiskVolumeSource,
	  "Deprecated: an Azure data disk." },
	{ "photonPersistentDisk", 17, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PhotonPersistentDiskVolumeSource,
	  "Deprecated: a Photon disk." },
	{ "portworxVolume", 18, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PortworxVolumeSource,
	  "Deprecated: a Portworx volume." },
	{ "scaleIO", 19, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ScaleIOPersistentVolumeSource,
	  "Deprecated: a ScaleIO volume." },
	{ "local", 20, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalVolumeSource,
	  "A local disk, partition or directory of one node." },
	{ "storageos", 21, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_StorageOSPersistentVolumeSource,
	  "Deprecated: a StorageOS volume." },
	{ "csi", 22, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_CSIPersistentVolumeSource,
	  "A volume of an external CSI driver." },
};
const struct sch_type sch_core_PersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.PersistentVolumeSource",
	.fields = persistentvolumesource_fields,
	.nfields = ARRAY_SIZE(persistentvolumesource_fields),
	.flags = ST_INLINED,
	.doc = "The source of a persistent volume; exactly one member is set.",
};

static const struct sch_field persistentvolumestatus_fields[] = {
	{ "phase", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Pending, Available, Bound, Released or Failed." },
	{ "message", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Why the volume is in this phase, for humans." },
	{ "reason", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Why the volume is in this phase, in CamelCase." },
	{ "lastPhaseTransitionTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the volume last changed phase." },
};
const struct sch_type sch_core_PersistentVolumeStatus = {
	.name = "io.k8s.api.core.v1.PersistentVolumeStatus",
	.fields = persistentvolumestatus_fields,
	.nfields = ARRAY_SIZE(persistentvolumestatus_fields),
	.doc = "The observed state of a persistent volume.",
};

static const struct sch_field volumenodeaffinity_fields[] = {
	{ "required", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeSelector,
	  "The nodes that can use the volume." },
};
const struct sch_type sch_core_VolumeNodeAffinity = {
	.name = "io.k8s.api.core.v1.VolumeNodeAffinity",
	.fields = volumenodeaffinity_fields,
	.nfields = ARRAY_SIZE(volumenodeaffinity_fields),
	.doc = "The nodes a volume can be reached from.",
};

static const struct sch_field secretreference_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the Secret." },
	{ "namespace", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace of the Secret." },
};
const struct sch_type sch_core_SecretReference = {
	.name = "io.k8s.api.core.v1.SecretReference",
	.fields = secretreference_fields,
	.nfields = ARRAY_SIZE(secretreference_fields),
	.flags = ST_ATOMIC,
	.doc = "Refers to a Secret by name and namespace.",
};

static const struct sch_field localvolumesource_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Full path to the volume on the node." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type, for block devices." },
};
const struct sch_type sch_core_LocalVolumeSource = {
	.name = "io.k8s.api.core.v1.LocalVolumeSource",
	.fields = localvolumesource_fields,
	.nfields = ARRAY_SIZE(localvolumesource_fields),
	.doc = "A local disk, partition or directory.",
};

static const struct sch_field glusterfspersistentvolumesource_fields[] = {
	{ "endpoints", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Endpoints naming the Glusterfs servers." },
	{ "path", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The Glusterfs volume path." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "endpointsNamespace", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace of the endpoints." },
};
const struct sch_type sch_core_GlusterfsPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.GlusterfsPersistentVolumeSource",
	.fields = glusterfspersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(glusterfspersistentvolumesource_fields),
	.doc = "A Glusterfs mount.",
};

static const struct sch_field rbdpersistentvolumesource_fields[] = {
	{ "monitors", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Ceph monitors." },
	{ "image", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The image name." },
	{ "fsType", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type." },
	{ "pool", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The RADOS pool (default rbd)." },
	{ "user", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The RADOS user (default admin)." },
	{ "keyring", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path to the keyring (default /etc/ceph/keyring)." },
	{ "secretRef", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "The Secret with the credentials." },
	{ "readOnly", 8, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_RBDPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.RBDPersistentVolumeSource",
	.fields = rbdpersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(rbdpersistentvolumesource_fields),
	.doc = "A Ceph RADOS block device.",
};

static const struct sch_field iscsipersistentvolumesource_fields[] = {
	{ "targetPortal", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The target portal, IP or host with optional port." },
	{ "iqn", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target iSCSI qualified name." },
	{ "lun", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target LUN number." },
	{ "iscsiInterface", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The iSCSI interface (default tcp)." },
	{ "fsType", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type." },
	{ "readOnly", 6, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "portals", 7, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "More target portals." },
	{ "chapAuthDiscovery", 8, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use CHAP for discovery." },
	{ "secretRef", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "The Secret with the credentials." },
	{ "chapAuthSession", 11, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use CHAP for the session." },
	{ "initiatorName", 12, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Custom initiator name." },
};
const struct sch_type sch_core_ISCSIPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.ISCSIPersistentVolumeSource",
	.fields = iscsipersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(iscsipersistentvolumesource_fields),
	.doc = "An iSCSI disk.",
};

static const struct sch_field cinderpersistentvolumesource_fields[] = {
	{ "volumeID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The Cinder volume id." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "secretRef", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "The Secret with the credentials." },
};
const struct sch_type sch_core_CinderPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.CinderPersistentVolumeSource",
	.fields = cinderpersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(cinderpersistentvolumesource_fields),
	.doc = "An OpenStack Cinder volume.",
};

static const struct sch_field cephfspersistentvolumesource_fields[] = {
	{ "monitors", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Ceph monitors." },
	{ "path", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path in the filesystem (default /)." },
	{ "user", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The RADOS user (default admin)." },
	{ "secretFile", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path to the key ring." },
	{ "secretRef", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "The Secret with the credentials." },
	{ "readOnly", 6, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_CephFSPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.CephFSPersistentVolumeSource",
	.fields = cephfspersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(cephfspersistentvolumesource_fields),
	.doc = "A CephFS mount.",
};

static const struct sch_field flexpersistentvolumesource_fields[] = {
	{ "driver", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The driver name." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type." },
	{ "secretRef", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "The Secret with the credentials." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "options", 5, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Extra driver options." },
};
const struct sch_type sch_core_FlexPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.FlexPersistentVolumeSource",
	.fields = flexpersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(flexpersistentvolumesource_fields),
	.doc = "A volume of an exec-based plugin.",
};

static const struct sch_field azurefilepersistentvolumesource_fields[] = {
	{ "secretName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The Secret with the account name and key." },
	{ "shareName", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The share name." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "secretNamespace", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Namespace of the Secret (default the pod's)." },
};
const struct sch_type sch_core_AzureFilePersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.AzureFilePersistentVolumeSource",
	.fields = azurefilepersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(azurefilepersistentvolumesource_fields),
	.doc = "An Azure File share.",
};

static const struct sch_field scaleiopersistentvolumesource_fields[] = {
	{ "gateway", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The gateway host." },
	{ "system", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The storage system name." },
	{ "secretRef", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_SecretReference,
	  "The Secret with the credentials." },
	{ "sslEnabled", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use SSL with the gateway." },
	{ "protectionDomain", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The protection domain." },
	{ "storagePool", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The storage pool." },
	{ "storageMode", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ThickProvisioned or ThinProvisioned." },
	{ "volumeName", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The volume name." },
	{ "fsType", 9, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type (default xfs)." },
	{ "readOnly", 10, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_ScaleIOPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.ScaleIOPersistentVolumeSource",
	.fields = scaleiopersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(scaleiopersistentvolumesource_fields),
	.doc = "A ScaleIO volume.",
};

static const struct sch_field storageospersistentvolumesource_fields[] = {
	{ "volumeName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The volume name." },
	{ "volumeNamespace", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "The StorageOS namespace." },
	{ "fsType", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "secretRef", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "The Secret with the credentials." },
};
const struct sch_type sch_core_StorageOSPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.StorageOSPersistentVolumeSource",
	.fields = storageospersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(storageospersistentvolumesource_fields),
	.doc = "A StorageOS volume.",
};

static const struct sch_field csipersistentvolumesource_fields[] = {
	{ "driver", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The CSI driver name." },
	{ "volumeHandle", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The driver's id of the volume." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Publish read-only." },
	{ "fsType", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type." },
	{ "volumeAttributes", 5, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Attributes passed to the driver." },
	{ "controllerPublishSecretRef", 6, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "Secret for ControllerPublishVolume." },
	{ "nodeStageSecretRef", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "Secret for NodeStageVolume." },
	{ "nodePublishSecretRef", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "Secret for NodePublishVolume." },
	{ "controllerExpandSecretRef", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "Secret for ControllerExpandVolume." },
	{ "nodeExpandSecretRef", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretReference,
	  "Secret for NodeExpandVolume." },
};
const struct sch_type sch_core_CSIPersistentVolumeSource = {
	.name = "io.k8s.api.core.v1.CSIPersistentVolumeSource",
	.fields = csipersistentvolumesource_fields,
	.nfields = ARRAY_SIZE(csipersistentvolumesource_fields),
	.doc = "A volume of an external CSI driver.",
};

static const struct sch_field persistentvolumelist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PersistentVolumeList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_PersistentVolume,
	  "The PersistentVolume objects." },
};
const struct sch_type sch_core_PersistentVolumeList = {
	.name = "io.k8s.api.core.v1.PersistentVolumeList",
	.fields = persistentvolumelist_fields,
	.nfields = ARRAY_SIZE(persistentvolumelist_fields),
	.doc = "A list of PersistentVolume objects.",
};

static const struct sch_field persistentvolumeclaimlist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PersistentVolumeClaimList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_PersistentVolumeClaim,
	  "The PersistentVolumeClaim objects." },
};
const struct sch_type sch_core_PersistentVolumeClaimList = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaimList",
	.fields = persistentvolumeclaimlist_fields,
	.nfields = ARRAY_SIZE(persistentvolumeclaimlist_fields),
	.doc = "A list of PersistentVolumeClaim objects.",
};

static const struct sch_field sc_storageclass_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: StorageClass." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "provisioner", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The volume plugin that provisions volumes of this class." },
	{ "parameters", 3, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Parameters for the provisioner." },
	{ "reclaimPolicy", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The reclaim policy of provisioned volumes: Delete (default) or Retain." },
	{ "mountOptions", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Mount options of provisioned volumes." },
	{ "allowVolumeExpansion", 6, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether claims of this class may grow." },
	{ "volumeBindingMode", 7, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Immediate (default) or WaitForFirstConsumer." },
	{ "allowedTopologies", 8, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_TopologySelectorTerm,
	  "Where volumes may be provisioned." },
};
const struct sch_type sch_storage_StorageClass = {
	.name = "io.k8s.api.storage.v1.StorageClass",
	.fields = sc_storageclass_fields,
	.nfields = ARRAY_SIZE(sc_storageclass_fields),
	.doc = "A class of dynamically provisioned storage.",
};

static const struct sch_field topologyselectorterm_fields[] = {
	{ "matchLabelExpressions", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_TopologySelectorLabelRequirement,
	  "Requirements on topology labels." },
};
const struct sch_type sch_core_TopologySelectorTerm = {
	.name = "io.k8s.api.core.v1.TopologySelectorTerm",
	.fields = topologyselectorterm_fields,
	.nfields = ARRAY_SIZE(topologyselectorterm_fields),
	.flags = ST_ATOMIC,
	.doc = "A topology term; its requirements are ANDed.",
};

static const struct sch_field topologyselectorlabelrequirement_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The label key." },
	{ "values", 2, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "The allowed values." },
};
const struct sch_type sch_core_TopologySelectorLabelRequirement = {
	.name = "io.k8s.api.core.v1.TopologySelectorLabelRequirement",
	.fields = topologyselectorlabelrequirement_fields,
	.nfields = ARRAY_SIZE(topologyselectorlabelrequirement_fields),
	.doc = "A topology label and its allowed values.",
};

static const struct sch_field sc_storageclasslist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: StorageClassList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_storage_StorageClass,
	  "The StorageClass objects." },
};
const struct sch_type sch_storage_StorageClassList = {
	.name = "io.k8s.api.storage.v1.StorageClassList",
	.fields = sc_storageclasslist_fields,
	.nfields = ARRAY_SIZE(sc_storageclasslist_fields),
	.doc = "A list of StorageClass objects.",
};

static const struct sch_field limitrange_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: LimitRange." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LimitRangeSpec,
	  "The limits." },
};
const struct sch_type sch_core_LimitRange = {
	.name = "io.k8s.api.core.v1.LimitRange",
	.fields = limitrange_fields,
	.nfields = ARRAY_SIZE(limitrange_fields),
	.doc = "Per-namespace limits on the resources of pods, containers and claims.",
};

static const struct sch_field limitrangespec_fields[] = {
	{ "limits", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_LimitRangeItem,
	  "The limits, each for one type of object." },
};
const struct sch_type sch_core_LimitRangeSpec = {
	.name = "io.k8s.api.core.v1.LimitRangeSpec",
	.fields = limitrangespec_fields,
	.nfields = ARRAY_SIZE(limitrangespec_fields),
	.doc = "The limits of a LimitRange.",
};

static const struct sch_field limitrangeitem_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Pod, Container or PersistentVolumeClaim." },
	{ "max", 2, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Maximum of each resource." },
	{ "min", 3, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Minimum of each resource." },
	{ "default", 4, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Default limits, for containers that set none." },
	{ "defaultRequest", 5, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Default requests, for containers that set none." },
	{ "maxLimitRequestRatio", 6, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Largest allowed limit / request ratio." },
};
const struct sch_type sch_core_LimitRangeItem = {
	.name = "io.k8s.api.core.v1.LimitRangeItem",
	.fields = limitrangeitem_fields,
	.nfields = ARRAY_SIZE(limitrangeitem_fields),
	.doc = "Limits for one type of object.",
};

static const struct sch_field limitrangelist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: LimitRangeList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_LimitRange,
	  "The LimitRange objects." },
};
const struct sch_type sch_core_LimitRangeList = {
	.name = "io.k8s.api.core.v1.LimitRangeList",
	.fields = limitrangelist_fields,
	.nfields = ARRAY_SIZE(limitrangelist_fields),
	.doc = "A list of LimitRange objects.",
};

static const struct sch_field resourcequota_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ResourceQuota." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceQuotaSpec,
	  "The hard limits." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceQuotaStatus,
	  "The limits enforced and the current use." },
};
const struct sch_type sch_core_ResourceQuota = {
	.name = "io.k8s.api.core.v1.ResourceQuota",
	.fields = resourcequota_fields,
	.nfields = ARRAY_SIZE(resourcequota_fields),
	.doc = "Limits on the total resources used in a namespace.",
};

static const struct sch_field resourcequotaspec_fields[] = {
	{ "hard", 1, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "The hard limit of each named resource." },
	{ "scopes", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Scopes the tracked objects must match." },
	{ "scopeSelector", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ScopeSelector,
	  "Scope requirements the tracked objects must match." },
};
const struct sch_type sch_core_ResourceQuotaSpec = {
	.name = "io.k8s.api.core.v1.ResourceQuotaSpec",
	.fields = resourcequotaspec_fields,
	.nfields = ARRAY_SIZE(resourcequotaspec_fields),
	.doc = "The hard limits of a quota.",
};

static const struct sch_field scopeselector_fields[] = {
	{ "matchExpressions", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ScopedResourceSelectorRequirement,
	  "The requirements." },
};
const struct sch_type sch_core_ScopeSelector = {
	.name = "io.k8s.api.core.v1.ScopeSelector",
	.fields = scopeselector_fields,
	.nfields = ARRAY_SIZE(scopeselector_fields),
	.flags = ST_ATOMIC,
	.doc = "Scope requirements, ANDed.",
};

static const struct sch_field scopedresourceselectorrequirement_fields[] = {
	{ "scopeName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The scope." },
	{ "operator", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "In, NotIn, Exists or DoesNotExist." },
	{ "values", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "The values, for In and NotIn." },
};
const struct sch_type sch_core_ScopedResourceSelectorRequirement = {
	.name = "io.k8s.api.core.v1.ScopedResourceSelectorRequirement",
	.fields = scopedresourceselectorrequirement_fields,
	.nfields = ARRAY_SIZE(scopedresourceselectorrequirement_fields),
	.doc = "A scope, an operator and values.",
};

static const struct sch_field resourcequotastatus_fields[] = {
	{ "hard", 1, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "The hard limits enforced." },
	{ "used", 2, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "The current use in the namespace." },
};
const struct sch_type sch_core_ResourceQuotaStatus = {
	.name = "io.k8s.api.core.v1.ResourceQuotaStatus",
	.fields = resourcequotastatus_fields,
	.nfields = ARRAY_SIZE(resourcequotastatus_fields),
	.doc = "What a quota enforces and what is used.",
};

static const struct sch_field resourcequotalist_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ResourceQuotaList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_ResourceQuota,
	  "The ResourceQuota objects." },
};
const struct sch_type sch_core_ResourceQuotaList = {
	.name = "io.k8s.api.core.v1.ResourceQuotaList",
	.fields = resourcequotalist_fields,
	.nfields = ARRAY_SIZE(resourcequotalist_fields),
	.doc = "A list of ResourceQuota objects.",
};
