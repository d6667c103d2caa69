/*
 * schema_core.c - the core/v1 tables: Namespace, Pod (PodSpec, containers, volumes and every
 * volume source, probes, security contexts, affinity, PodStatus, ...), Node, Service, Endpoints,
 * ConfigMap, Secret, ServiceAccount, Event and PodTemplateSpec, with their list types.
 *
 * DESIGN
 * Static tables in the shape schema.h defines, one sch_type per API type, fields in upstream's
 * declaration order. Go embeddings that flatten into the parent's JSON (VolumeSource in Volume,
 * ProbeHandler in Probe, EphemeralContainerCommon in EphemeralContainer, LocalObjectReference in
 * the ConfigMap and Secret selectors) are SF_INLINE members named after their protobuf field, so
 * protobuf decoding still sees the nested message while JSON sees the flat fields. The facts
 * (protobuf numbers, list and map semantics, required fields) follow Kubernetes v1.33; fields added
 * after 1.33 are deliberately absent. Descriptions are our own summaries.
 */
#include "server/schema.h"

#include "lib/util.h"

static const struct sch_field volume_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the volume, a DNS label unique within the pod." },
	{ "volumeSource", 2, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL, &sch_core_VolumeSource,
	  "Where the volume's data comes from; exactly one source is set." },
};
const struct sch_type sch_core_Volume = {
	.name = "io.k8s.api.core.v1.Volume",
	.fields = volume_fields,
	.nfields = ARRAY_SIZE(volume_fields),
	.doc = "A named volume of a pod that its containers can mount.",
};

static const struct sch_field volume_source_fields[] = {
	{ "hostPath", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_HostPathVolumeSource,
	  "A file or directory on the node, exposed to the container." },
	{ "emptyDir", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_EmptyDirVolumeSource,
	  "A scratch directory that lives as long as the pod." },
	{ "gcePersistentDisk", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_GCEPersistentDiskVolumeSource,
	  "Deprecated: a GCE persistent disk attached to the node." },
	{ "awsElasticBlockStore", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_core_AWSElasticBlockStoreVolumeSource,
	  "Deprecated: an AWS EBS volume attached to the node." },
	{ "gitRepo", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_GitRepoVolumeSource,
	  "Deprecated: a git repository cloned into the volume." },
	{ "secret", 6, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretVolumeSource,
	  "A Secret whose keys become files." },
	{ "nfs", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NFSVolumeSource,
	  "An NFS export mounted for the pod." },
	{ "iscsi", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ISCSIVolumeSource,
	  "An iSCSI disk attached to the node." },
	{ "glusterfs", 9, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_GlusterfsVolumeSource,
	  "Deprecated: a Glusterfs mount." },
	{ "persistentVolumeClaim", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_core_PersistentVolumeClaimVolumeSource,
	  "A PersistentVolumeClaim in the pod's namespace." },
	{ "rbd", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_RBDVolumeSource,
	  "Deprecated: a Ceph RADOS block device." },
	{ "flexVolume", 12, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_FlexVolumeSource,
	  "Deprecated: a volume provided by an exec-based plugin." },
	{ "cinder", 13, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_CinderVolumeSource,
	  "Deprecated: an OpenStack Cinder volume." },
	{ "cephfs", 14, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_CephFSVolumeSource,
	  "Deprecated: a CephFS mount." },
	{ "flocker", 15, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_FlockerVolumeSource,
	  "Deprecated: a Flocker dataset." },
	{ "downwardAPI", 16, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_DownwardAPIVolumeSource,
	  "Files exposing the pod's own metadata and resources." },
	{ "fc", 17, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_FCVolumeSource,
	  "A Fibre Channel disk attached to the node." },
	{ "azureFile", 18, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AzureFileVolumeSource,
	  "Deprecated: an Azure File share." },
	{ "configMap", 19, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ConfigMapVolumeSource,
	  "A ConfigMap whose keys become files." },
	{ "vsphereVolume", 20, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_VsphereVirtualDiskVolumeSource,
	  "Deprecated: a vSphere virtual disk." },
	{ "quobyte", 21, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_QuobyteVolumeSource,
	  "Deprecated: a Quobyte mount." },
	{ "azureDisk", 22, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AzureDiskVolumeSource,
	  "Deprecated: an Azure data disk." },
	{ "photonPersistentDisk", 23, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_core_PhotonPersistentDiskVolumeSource,
	  "Deprecated: a Photon Controller persistent disk." },
	{ "projected", 26, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ProjectedVolumeSource,
	  "Several secret, configMap, downward API and token sources merged into one directory." },
	{ "portworxVolume", 24, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PortworxVolumeSource,
	  "Deprecated: a Portworx volume." },
	{ "scaleIO", 25, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ScaleIOVolumeSource,
	  "Deprecated: a ScaleIO volume." },
	{ "storageos", 27, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_StorageOSVolumeSource,
	  "Deprecated: a StorageOS volume." },
	{ "csi", 28, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_CSIVolumeSource,
	  "An ephemeral volume provided by a CSI driver." },
	{ "ephemeral", 29, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_EphemeralVolumeSource,
	  "A volume provisioned for the pod through a claim and deleted with it." },
	{ "image", 30, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ImageVolumeSource,
	  "An OCI image or artifact mounted read-only." },
};
const struct sch_type sch_core_VolumeSource = {
	.name = "io.k8s.api.core.v1.VolumeSource",
	.fields = volume_source_fields,
	.nfields = ARRAY_SIZE(volume_source_fields),
	.flags = ST_INLINED,
	.doc = "The source of a pod volume; exactly one member is set.",
};

static const struct sch_field persistent_volume_claim_volume_source_fields[] = {
	{ "claimName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the PersistentVolumeClaim." },
	{ "readOnly", 2, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_PersistentVolumeClaimVolumeSource = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource",
	.fields = persistent_volume_claim_volume_source_fields,
	.nfields = ARRAY_SIZE(persistent_volume_claim_volume_source_fields),
	.doc = "Mounts the volume bound to a claim in the pod's namespace.",
};

static const struct sch_field persistent_volume_claim_spec_fields[] = {
	{ "accessModes", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Access modes the volume must support, such as ReadWriteOnce." },
	{ "selector", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the volumes that may be bound." },
	{ "resources", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_VolumeResourceRequirements,
	  "Minimum size (and limits) of the volume." },
	{ "volumeName", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the PersistentVolume bound to this claim." },
	{ "storageClassName", 5, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "StorageClass to provision from; empty means no class." },
	{ "volumeMode", 6, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Filesystem (the default) or Block." },
	{ "dataSource", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_TypedLocalObjectReference,
	  "An existing snapshot or claim to populate the volume from." },
	{ "dataSourceRef", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_TypedObjectReference,
	  "Any populator object to fill the volume from, possibly in another namespace." },
	{ "volumeAttributesClassName", 9, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "VolumeAttributesClass to apply to the volume; may change after creation." },
};
const struct sch_type sch_core_PersistentVolumeClaimSpec = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
	.fields = persistent_volume_claim_spec_fields,
	.nfields = ARRAY_SIZE(persistent_volume_claim_spec_fields),
	.doc = "What a claim asks for: size, access modes, class and data source.",
};

static const struct sch_field typed_object_reference_fields[] = {
	{ "apiGroup", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "API group of the object; empty for the core group." },
	{ "kind", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kind of the object." },
	{ "name", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the object." },
	{ "namespace", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Namespace of the object, when it differs from the referrer's." },
};
const struct sch_type sch_core_TypedObjectReference = {
	.name = "io.k8s.api.core.v1.TypedObjectReference",
	.fields = typed_object_reference_fields,
	.nfields = ARRAY_SIZE(typed_object_reference_fields),
	.doc = "Refers to an object by group, kind, name and optionally namespace.",
};

static const struct sch_field host_path_volume_source_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path on the node; symlinks are followed." },
	{ "type", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "What must exist at the path, such as Directory or FileOrCreate; empty checks nothing." },
};
const struct sch_type sch_core_HostPathVolumeSource = {
	.name = "io.k8s.api.core.v1.HostPathVolumeSource",
	.fields = host_path_volume_source_fields,
	.nfields = ARRAY_SIZE(host_path_volume_source_fields),
	.doc = "A file or directory on the node mapped into the pod.",
};

static const struct sch_field empty_dir_volume_source_fields[] = {
	{ "medium", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Storage medium: empty for the node's default, or Memory for tmpfs." },
	{ "sizeLimit", 2, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "Maximum amount of local storage the directory may use." },
};
const struct sch_type sch_core_EmptyDirVolumeSource = {
	.name = "io.k8s.api.core.v1.EmptyDirVolumeSource",
	.fields = empty_dir_volume_source_fields,
	.nfields = ARRAY_SIZE(empty_dir_volume_source_fields),
	.doc = "An empty directory created for the pod and removed with it.",
};

static const struct sch_field glusterfs_volume_source_fields[] = {
	{ "endpoints", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the Endpoints object describing the Glusterfs cluster." },
	{ "path", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Glusterfs volume path." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_GlusterfsVolumeSource = {
	.name = "io.k8s.api.core.v1.GlusterfsVolumeSource",
	.fields = glusterfs_volume_source_fields,
	.nfields = ARRAY_SIZE(glusterfs_volume_source_fields),
	.doc = "Deprecated: a Glusterfs mount for the pod's lifetime.",
};

static const struct sch_field rbd_volume_source_fields[] = {
	{ "monitors", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Ceph monitor addresses." },
	{ "image", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "RADOS image name." },
	{ "fsType", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "pool", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "RADOS pool name; defaults to rbd." },
	{ "user", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "RADOS user name; defaults to admin." },
	{ "keyring", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path of the keyring for the user." },
	{ "secretRef", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with the authentication key; overrides keyring." },
	{ "readOnly", 8, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_RBDVolumeSource = {
	.name = "io.k8s.api.core.v1.RBDVolumeSource",
	.fields = rbd_volume_source_fields,
	.nfields = ARRAY_SIZE(rbd_volume_source_fields),
	.doc = "Deprecated: a Ceph RADOS block device.",
};

static const struct sch_field cinder_volume_source_fields[] = {
	{ "volumeID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Cinder volume ID." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "secretRef", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with the OpenStack connection parameters." },
};
const struct sch_type sch_core_CinderVolumeSource = {
	.name = "io.k8s.api.core.v1.CinderVolumeSource",
	.fields = cinder_volume_source_fields,
	.nfields = ARRAY_SIZE(cinder_volume_source_fields),
	.doc = "Deprecated: an OpenStack Cinder volume.",
};

static const struct sch_field ceph_fs_volume_source_fields[] = {
	{ "monitors", 1, SK_STRING, SL_ATOMIC, SF_REQUIRED, NULL, NULL, NULL,
	  "Ceph monitor addresses." },
	{ "path", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path within the Ceph tree to mount as root; defaults to /." },
	{ "user", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "RADOS user name; defaults to admin." },
	{ "secretFile", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path of the key ring for the user." },
	{ "secretRef", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with the authentication key." },
	{ "readOnly", 6, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_CephFSVolumeSource = {
	.name = "io.k8s.api.core.v1.CephFSVolumeSource",
	.fields = ceph_fs_volume_source_fields,
	.nfields = ARRAY_SIZE(ceph_fs_volume_source_fields),
	.doc = "Deprecated: a CephFS mount for the pod's lifetime.",
};

static const struct sch_field flocker_volume_source_fields[] = {
	{ "datasetName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the dataset (deprecated in favour of the UUID)." },
	{ "datasetUUID", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "UUID of the dataset." },
};
const struct sch_type sch_core_FlockerVolumeSource = {
	.name = "io.k8s.api.core.v1.FlockerVolumeSource",
	.fields = flocker_volume_source_fields,
	.nfields = ARRAY_SIZE(flocker_volume_source_fields),
	.doc = "Deprecated: a Flocker dataset; set either the name or the UUID.",
};

static const struct sch_field gce_persistent_disk_volume_source_fields[] = {
	{ "pdName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the persistent disk in GCE." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "partition", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Partition to mount; 0 or unset mounts the whole disk." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_GCEPersistentDiskVolumeSource = {
	.name = "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource",
	.fields = gce_persistent_disk_volume_source_fields,
	.nfields = ARRAY_SIZE(gce_persistent_disk_volume_source_fields),
	.doc = "Deprecated: a Google Compute Engine persistent disk.",
};

static const struct sch_field quobyte_volume_source_fields[] = {
	{ "registry", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Quobyte registry services as host:port, comma-separated." },
	{ "volume", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of an existing Quobyte volume." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "user", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "User to map volume access to." },
	{ "group", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Group to map volume access to." },
	{ "tenant", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Tenant owning the volume in the backend." },
};
const struct sch_type sch_core_QuobyteVolumeSource = {
	.name = "io.k8s.api.core.v1.QuobyteVolumeSource",
	.fields = quobyte_volume_source_fields,
	.nfields = ARRAY_SIZE(quobyte_volume_source_fields),
	.doc = "Deprecated: a Quobyte mount for the pod's lifetime.",
};

static const struct sch_field flex_volume_source_fields[] = {
	{ "driver", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the plugin driver." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount." },
	{ "secretRef", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with sensitive data passed to the plugin." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "options", 5, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Extra options passed to the plugin." },
};
const struct sch_type sch_core_FlexVolumeSource = {
	.name = "io.k8s.api.core.v1.FlexVolumeSource",
	.fields = flex_volume_source_fields,
	.nfields = ARRAY_SIZE(flex_volume_source_fields),
	.doc = "Deprecated: a volume attached by an exec-based plugin.",
};

static const struct sch_field aws_elastic_block_store_volume_source_fields[] = {
	{ "volumeID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "ID of the EBS volume." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "partition", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Partition to mount; 0 or unset mounts the whole volume." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_AWSElasticBlockStoreVolumeSource = {
	.name = "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource",
	.fields = aws_elastic_block_store_volume_source_fields,
	.nfields = ARRAY_SIZE(aws_elastic_block_store_volume_source_fields),
	.doc = "Deprecated: an AWS Elastic Block Store volume.",
};

static const struct sch_field git_repo_volume_source_fields[] = {
	{ "repository", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "URL of the repository." },
	{ "revision", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Commit to check out." },
	{ "directory", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Target directory within the volume; \".\" puts the repository at its root." },
};
const struct sch_type sch_core_GitRepoVolumeSource = {
	.name = "io.k8s.api.core.v1.GitRepoVolumeSource",
	.fields = git_repo_volume_source_fields,
	.nfields = ARRAY_SIZE(git_repo_volume_source_fields),
	.doc = "Deprecated: a directory populated by cloning a git repository.",
};

static const struct sch_field secret_volume_source_fields[] = {
	{ "secretName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the Secret in the pod's namespace." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_KeyToPath,
	  "Keys to project and the paths to put them at; unset projects every key." },
	{ "defaultMode", 3, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Permission bits for the created files (0000-0777); defaults to 0644." },
	{ "optional", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the Secret or its keys may be missing." },
};
const struct sch_type sch_core_SecretVolumeSource = {
	.name = "io.k8s.api.core.v1.SecretVolumeSource",
	.fields = secret_volume_source_fields,
	.nfields = ARRAY_SIZE(secret_volume_source_fields),
	.doc = "Presents a Secret's keys as files.",
};

static const struct sch_field secret_projection_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The Secret, by name." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_KeyToPath,
	  "Keys to project and the paths to put them at; unset projects every key." },
	{ "optional", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the Secret or its keys may be missing." },
};
const struct sch_type sch_core_SecretProjection = {
	.name = "io.k8s.api.core.v1.SecretProjection",
	.fields = secret_projection_fields,
	.nfields = ARRAY_SIZE(secret_projection_fields),
	.doc = "A Secret's keys as files within a projected volume.",
};

static const struct sch_field nfs_volume_source_fields[] = {
	{ "server", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Host name or IP address of the NFS server." },
	{ "path", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Exported path." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_NFSVolumeSource = {
	.name = "io.k8s.api.core.v1.NFSVolumeSource",
	.fields = nfs_volume_source_fields,
	.nfields = ARRAY_SIZE(nfs_volume_source_fields),
	.doc = "An NFS export mounted for the pod's lifetime.",
};

static const struct sch_field iscsi_volume_source_fields[] = {
	{ "targetPortal", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target portal, as an IP or ip:port." },
	{ "iqn", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target iSCSI qualified name." },
	{ "lun", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target LUN number." },
	{ "iscsiInterface", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "iSCSI interface name; defaults to default (tcp)." },
	{ "fsType", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "readOnly", 6, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "portals", 7, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Further target portals." },
	{ "chapAuthDiscovery", 8, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use CHAP authentication for discovery." },
	{ "chapAuthSession", 11, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use CHAP authentication for the session." },
	{ "secretRef", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with the CHAP credentials." },
	{ "initiatorName", 12, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Custom iSCSI initiator name." },
};
const struct sch_type sch_core_ISCSIVolumeSource = {
	.name = "io.k8s.api.core.v1.ISCSIVolumeSource",
	.fields = iscsi_volume_source_fields,
	.nfields = ARRAY_SIZE(iscsi_volume_source_fields),
	.doc = "An iSCSI disk.",
};

static const struct sch_field fc_volume_source_fields[] = {
	{ "targetWWNs", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Target world wide names." },
	{ "lun", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Target LUN number." },
	{ "fsType", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "wwids", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Volume world wide identifiers, instead of targetWWNs and lun." },
};
const struct sch_type sch_core_FCVolumeSource = {
	.name = "io.k8s.api.core.v1.FCVolumeSource",
	.fields = fc_volume_source_fields,
	.nfields = ARRAY_SIZE(fc_volume_source_fields),
	.doc = "A Fibre Channel disk.",
};

static const struct sch_field azure_file_volume_source_fields[] = {
	{ "secretName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Secret holding the storage account name and key." },
	{ "shareName", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the share." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_AzureFileVolumeSource = {
	.name = "io.k8s.api.core.v1.AzureFileVolumeSource",
	.fields = azure_file_volume_source_fields,
	.nfields = ARRAY_SIZE(azure_file_volume_source_fields),
	.doc = "Deprecated: an Azure File share.",
};

static const struct sch_field vsphere_virtual_disk_volume_source_fields[] = {
	{ "volumePath", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path of the vmdk." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "storagePolicyName", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Storage policy (SPBM) profile name." },
	{ "storagePolicyID", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Storage policy (SPBM) profile ID." },
};
const struct sch_type sch_core_VsphereVirtualDiskVolumeSource = {
	.name = "io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource",
	.fields = vsphere_virtual_disk_volume_source_fields,
	.nfields = ARRAY_SIZE(vsphere_virtual_disk_volume_source_fields),
	.doc = "Deprecated: a vSphere virtual disk.",
};

static const struct sch_field photon_persistent_disk_volume_source_fields[] = {
	{ "pdID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "ID of the disk." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
};
const struct sch_type sch_core_PhotonPersistentDiskVolumeSource = {
	.name = "io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource",
	.fields = photon_persistent_disk_volume_source_fields,
	.nfields = ARRAY_SIZE(photon_persistent_disk_volume_source_fields),
	.doc = "Deprecated: a Photon Controller persistent disk.",
};

static const struct sch_field azure_disk_volume_source_fields[] = {
	{ "diskName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the data disk in blob storage." },
	{ "diskURI", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "URI of the data disk in blob storage." },
	{ "cachingMode", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Host caching mode: None, ReadOnly or ReadWrite." },
	{ "fsType", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Filesystem type to mount; defaults to ext4." },
	{ "readOnly", 5, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "kind", 6, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Disk kind: Shared, Dedicated or Managed." },
};
const struct sch_type sch_core_AzureDiskVolumeSource = {
	.name = "io.k8s.api.core.v1.AzureDiskVolumeSource",
	.fields = azure_disk_volume_source_fields,
	.nfields = ARRAY_SIZE(azure_disk_volume_source_fields),
	.doc = "Deprecated: an Azure data disk.",
};

static const struct sch_field portworx_volume_source_fields[] = {
	{ "volumeID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "ID of the Portworx volume." },
	{ "fsType", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_PortworxVolumeSource = {
	.name = "io.k8s.api.core.v1.PortworxVolumeSource",
	.fields = portworx_volume_source_fields,
	.nfields = ARRAY_SIZE(portworx_volume_source_fields),
	.doc = "Deprecated: a Portworx volume.",
};

static const struct sch_field scale_io_volume_source_fields[] = {
	{ "gateway", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Address of the ScaleIO API gateway." },
	{ "system", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the ScaleIO storage system." },
	{ "secretRef", 3, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with the ScaleIO user credentials." },
	{ "sslEnabled", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Talk to the gateway over TLS." },
	{ "protectionDomain", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ScaleIO protection domain." },
	{ "storagePool", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ScaleIO storage pool." },
	{ "storageMode", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ThickProvisioned or ThinProvisioned (the default)." },
	{ "volumeName", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of an existing ScaleIO volume." },
	{ "fsType", 9, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount; defaults to xfs." },
	{ "readOnly", 10, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
};
const struct sch_type sch_core_ScaleIOVolumeSource = {
	.name = "io.k8s.api.core.v1.ScaleIOVolumeSource",
	.fields = scale_io_volume_source_fields,
	.nfields = ARRAY_SIZE(scale_io_volume_source_fields),
	.doc = "Deprecated: a ScaleIO volume.",
};

static const struct sch_field storage_os_volume_source_fields[] = {
	{ "volumeName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the StorageOS volume." },
	{ "volumeNamespace", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "StorageOS namespace of the volume; defaults to the pod's." },
	{ "fsType", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Filesystem type to mount, such as ext4." },
	{ "readOnly", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "secretRef", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret with the StorageOS API credentials." },
};
const struct sch_type sch_core_StorageOSVolumeSource = {
	.name = "io.k8s.api.core.v1.StorageOSVolumeSource",
	.fields = storage_os_volume_source_fields,
	.nfields = ARRAY_SIZE(storage_os_volume_source_fields),
	.doc = "Deprecated: a StorageOS volume.",
};

static const struct sch_field config_map_volume_source_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The ConfigMap, by name." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_KeyToPath,
	  "Keys to project and the paths to put them at; unset projects every key." },
	{ "defaultMode", 3, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Permission bits for the created files (0000-0777); defaults to 0644." },
	{ "optional", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the ConfigMap or its keys may be missing." },
};
const struct sch_type sch_core_ConfigMapVolumeSource = {
	.name = "io.k8s.api.core.v1.ConfigMapVolumeSource",
	.fields = config_map_volume_source_fields,
	.nfields = ARRAY_SIZE(config_map_volume_source_fields),
	.doc = "Presents a ConfigMap's keys as files.",
};

static const struct sch_field config_map_projection_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The ConfigMap, by name." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_KeyToPath,
	  "Keys to project and the paths to put them at; unset projects every key." },
	{ "optional", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the ConfigMap or its keys may be missing." },
};
const struct sch_type sch_core_ConfigMapProjection = {
	.name = "io.k8s.api.core.v1.ConfigMapProjection",
	.fields = config_map_projection_fields,
	.nfields = ARRAY_SIZE(config_map_projection_fields),
	.doc = "A ConfigMap's keys as files within a projected volume.",
};

static const struct sch_field service_account_token_projection_fields[] = {
	{ "audience", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Intended audience of the token; defaults to the API server." },
	{ "expirationSeconds", 2, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Requested validity of the token; at least 600, defaults to 3600." },
	{ "path", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path of the token file relative to the mount point." },
};
const struct sch_type sch_core_ServiceAccountTokenProjection = {
	.name = "io.k8s.api.core.v1.ServiceAccountTokenProjection",
	.fields = service_account_token_projection_fields,
	.nfields = ARRAY_SIZE(service_account_token_projection_fields),
	.doc = "A service account token written into a projected volume and rotated by the kubelet.",
};

static const struct sch_field cluster_trust_bundle_projection_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Select one ClusterTrustBundle by name." },
	{ "signerName", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Select every ClusterTrustBundle of this signer." },
	{ "labelSelector", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "With signerName, only bundles matching this selector." },
	{ "optional", 5, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Start the pod even if no bundle matches." },
	{ "path", 4, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path of the bundle file relative to the volume root." },
};
const struct sch_type sch_core_ClusterTrustBundleProjection = {
	.name = "io.k8s.api.core.v1.ClusterTrustBundleProjection",
	.fields = cluster_trust_bundle_projection_fields,
	.nfields = ARRAY_SIZE(cluster_trust_bundle_projection_fields),
	.doc = "Writes the certificates of selected ClusterTrustBundles into a projected volume.",
};

static const struct sch_field projected_volume_source_fields[] = {
	{ "sources", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_VolumeProjection,
	  "The projections, each naming one source." },
	{ "defaultMode", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Permission bits for the created files (0000-0777); defaults to 0644." },
};
const struct sch_type sch_core_ProjectedVolumeSource = {
	.name = "io.k8s.api.core.v1.ProjectedVolumeSource",
	.fields = projected_volume_source_fields,
	.nfields = ARRAY_SIZE(projected_volume_source_fields),
	.doc = "Several volume sources projected into one directory.",
};

static const struct sch_field volume_projection_fields[] = {
	{ "secret", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretProjection,
	  "Keys of a Secret." },
	{ "downwardAPI", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_DownwardAPIProjection,
	  "Metadata and resources of the pod itself." },
	{ "configMap", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ConfigMapProjection,
	  "Keys of a ConfigMap." },
	{ "serviceAccountToken", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_core_ServiceAccountTokenProjection,
	  "A token of the pod's service account." },
	{ "clusterTrustBundle", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ClusterTrustBundleProjection,
	  "Certificates of ClusterTrustBundles." },
};
const struct sch_type sch_core_VolumeProjection = {
	.name = "io.k8s.api.core.v1.VolumeProjection",
	.fields = volume_projection_fields,
	.nfields = ARRAY_SIZE(volume_projection_fields),
	.doc = "One source of a projected volume; exactly one member is set.",
};

static const struct sch_field key_to_path_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The key to project." },
	{ "path", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Relative path of the file; may not contain '..'." },
	{ "mode", 3, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Permission bits for this file; defaults to the volume's defaultMode." },
};
const struct sch_type sch_core_KeyToPath = {
	.name = "io.k8s.api.core.v1.KeyToPath",
	.fields = key_to_path_fields,
	.nfields = ARRAY_SIZE(key_to_path_fields),
	.doc = "Maps one key of a ConfigMap or Secret to a file path.",
};

static const struct sch_field csi_volume_source_fields[] = {
	{ "driver", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the CSI driver." },
	{ "readOnly", 2, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "fsType", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Filesystem type to mount; left to the driver when empty." },
	{ "volumeAttributes", 4, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Driver-specific properties." },
	{ "nodePublishSecretRef", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secret passed to the driver's NodePublishVolume calls." },
};
const struct sch_type sch_core_CSIVolumeSource = {
	.name = "io.k8s.api.core.v1.CSIVolumeSource",
	.fields = csi_volume_source_fields,
	.nfields = ARRAY_SIZE(csi_volume_source_fields),
	.doc = "An inline ephemeral volume provided by a CSI driver.",
};

static const struct sch_field ephemeral_volume_source_fields[] = {
	{ "volumeClaimTemplate", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_core_PersistentVolumeClaimTemplate,
	  "Template of the PersistentVolumeClaim created for the pod; required." },
};
const struct sch_type sch_core_EphemeralVolumeSource = {
	.name = "io.k8s.api.core.v1.EphemeralVolumeSource",
	.fields = ephemeral_volume_source_fields,
	.nfields = ARRAY_SIZE(ephemeral_volume_source_fields),
	.doc = "A volume provisioned through a claim that the pod owns and that is deleted with it.",
};

static const struct sch_field persistent_volume_claim_template_fields[] = {
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Labels and annotations copied into the claim." },
	{ "spec", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_PersistentVolumeClaimSpec,
	  "Spec of the claim, copied unchanged." },
};
const struct sch_type sch_core_PersistentVolumeClaimTemplate = {
	.name = "io.k8s.api.core.v1.PersistentVolumeClaimTemplate",
	.fields = persistent_volume_claim_template_fields,
	.nfields = ARRAY_SIZE(persistent_volume_claim_template_fields),
	.doc = "Template from which a pod's ephemeral volume claim is created.",
};

static const struct sch_field container_port_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "IANA service name of the port, unique within the pod; Services may refer to it." },
	{ "hostPort", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Port to expose on the node; rarely needed." },
	{ "containerPort", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port number on the pod's IP address." },
	{ "protocol", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "TCP (the default), UDP or SCTP." },
	{ "hostIP", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Host IP to bind the host port to." },
};
const struct sch_type sch_core_ContainerPort = {
	.name = "io.k8s.api.core.v1.ContainerPort",
	.fields = container_port_fields,
	.nfields = ARRAY_SIZE(container_port_fields),
	.doc = "A network port a container exposes.",
};

static const struct sch_field volume_mount_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the pod volume." },
	{ "readOnly", 2, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Mount read-only." },
	{ "recursiveReadOnly", 7, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Disabled, IfPossible or Enabled: whether a read-only mount is read-only recursively." },
	{ "mountPath", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path in the container to mount at; may not contain ':'." },
	{ "subPath", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path within the volume to mount instead of its root." },
	{ "mountPropagation", 5, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How mounts propagate between host and container: None, HostToContainer or Bidirectional." },
	{ "subPathExpr", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Like subPath, with $(VAR) references expanded from the container's environment." },
};
const struct sch_type sch_core_VolumeMount = {
	.name = "io.k8s.api.core.v1.VolumeMount",
	.fields = volume_mount_fields,
	.nfields = ARRAY_SIZE(volume_mount_fields),
	.doc = "Mounts a pod volume into a container.",
};

static const struct sch_field volume_device_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of a persistentVolumeClaim volume of the pod." },
	{ "devicePath", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path of the device inside the container." },
};
const struct sch_type sch_core_VolumeDevice = {
	.name = "io.k8s.api.core.v1.VolumeDevice",
	.fields = volume_device_fields,
	.nfields = ARRAY_SIZE(volume_device_fields),
	.doc = "Maps a raw block volume into a container.",
};

static const struct sch_field env_var_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the variable." },
	{ "value", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Value, with $(VAR) references expanded; $$ escapes." },
	{ "valueFrom", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_EnvVarSource,
	  "Where to take the value from, instead of value." },
};
const struct sch_type sch_core_EnvVar = {
	.name = "io.k8s.api.core.v1.EnvVar",
	.fields = env_var_fields,
	.nfields = ARRAY_SIZE(env_var_fields),
	.doc = "An environment variable of a container.",
};

static const struct sch_field env_var_source_fields[] = {
	{ "fieldRef", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectFieldSelector,
	  "A field of the pod, such as metadata.name or status.podIP." },
	{ "resourceFieldRef", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceFieldSelector,
	  "A resource limit or request of the container." },
	{ "configMapKeyRef", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ConfigMapKeySelector,
	  "A key of a ConfigMap." },
	{ "secretKeyRef", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretKeySelector,
	  "A key of a Secret in the pod's namespace." },
};
const struct sch_type sch_core_EnvVarSource = {
	.name = "io.k8s.api.core.v1.EnvVarSource",
	.fields = env_var_source_fields,
	.nfields = ARRAY_SIZE(env_var_source_fields),
	.doc = "Source of an environment variable's value; one member is set.",
};

static const struct sch_field object_field_selector_fields[] = {
	{ "apiVersion", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version the path is written against; defaults to v1." },
	{ "fieldPath", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path of the field to select." },
};
const struct sch_type sch_core_ObjectFieldSelector = {
	.name = "io.k8s.api.core.v1.ObjectFieldSelector",
	.fields = object_field_selector_fields,
	.nfields = ARRAY_SIZE(object_field_selector_fields),
	.flags = ST_ATOMIC,
	.doc = "Selects a field of the object by path.",
};

static const struct sch_field resource_field_selector_fields[] = {
	{ "containerName", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the container; required for volumes." },
	{ "resource", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Resource to select, such as limits.cpu." },
	{ "divisor", 3, SK_QUANTITY, SL_NONE, 0, NULL, NULL, NULL,
	  "Unit to express the value in; defaults to 1." },
};
const struct sch_type sch_core_ResourceFieldSelector = {
	.name = "io.k8s.api.core.v1.ResourceFieldSelector",
	.fields = resource_field_selector_fields,
	.nfields = ARRAY_SIZE(resource_field_selector_fields),
	.flags = ST_ATOMIC,
	.doc = "Selects a resource limit or request of a container.",
};

static const struct sch_field config_map_key_selector_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The ConfigMap, by name." },
	{ "key", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The key to select." },
	{ "optional", 3, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the ConfigMap or key may be missing." },
};
const struct sch_type sch_core_ConfigMapKeySelector = {
	.name = "io.k8s.api.core.v1.ConfigMapKeySelector",
	.fields = config_map_key_selector_fields,
	.nfields = ARRAY_SIZE(config_map_key_selector_fields),
	.flags = ST_ATOMIC,
	.doc = "Selects one key of a ConfigMap.",
};

static const struct sch_field secret_key_selector_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The Secret, by name." },
	{ "key", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The key to select." },
	{ "optional", 3, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the Secret or key may be missing." },
};
const struct sch_type sch_core_SecretKeySelector = {
	.name = "io.k8s.api.core.v1.SecretKeySelector",
	.fields = secret_key_selector_fields,
	.nfields = ARRAY_SIZE(secret_key_selector_fields),
	.flags = ST_ATOMIC,
	.doc = "Selects one key of a Secret.",
};

static const struct sch_field env_from_source_fields[] = {
	{ "prefix", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Text prepended to each variable name." },
	{ "configMapRef", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ConfigMapEnvSource,
	  "The ConfigMap to import." },
	{ "secretRef", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecretEnvSource,
	  "The Secret to import." },
};
const struct sch_type sch_core_EnvFromSource = {
	.name = "io.k8s.api.core.v1.EnvFromSource",
	.fields = env_from_source_fields,
	.nfields = ARRAY_SIZE(env_from_source_fields),
	.doc = "Imports every key of a ConfigMap or Secret as environment variables.",
};

static const struct sch_field config_map_env_source_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The ConfigMap, by name." },
	{ "optional", 2, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the ConfigMap may be missing." },
};
const struct sch_type sch_core_ConfigMapEnvSource = {
	.name = "io.k8s.api.core.v1.ConfigMapEnvSource",
	.fields = config_map_env_source_fields,
	.nfields = ARRAY_SIZE(config_map_env_source_fields),
	.doc = "A ConfigMap whose keys become environment variables.",
};

static const struct sch_field secret_env_source_fields[] = {
	{ "localObjectReference", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_LocalObjectReference,
	  "The Secret, by name." },
	{ "optional", 2, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the Secret may be missing." },
};
const struct sch_type sch_core_SecretEnvSource = {
	.name = "io.k8s.api.core.v1.SecretEnvSource",
	.fields = secret_env_source_fields,
	.nfields = ARRAY_SIZE(secret_env_source_fields),
	.doc = "A Secret whose keys become environment variables.",
};

static const struct sch_field http_header_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Header name; compared case-insensitively." },
	{ "value", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Header value." },
};
const struct sch_type sch_core_HTTPHeader = {
	.name = "io.k8s.api.core.v1.HTTPHeader",
	.fields = http_header_fields,
	.nfields = ARRAY_SIZE(http_header_fields),
	.doc = "A header sent with an HTTP probe.",
};

static const struct sch_field http_get_action_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Path to request." },
	{ "port", 2, SK_INT_OR_STRING, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "Port number or name on the container." },
	{ "host", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Host to connect to; defaults to the pod IP." },
	{ "scheme", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "HTTP (the default) or HTTPS." },
	{ "httpHeaders", 5, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_HTTPHeader,
	  "Extra headers to send." },
};
const struct sch_type sch_core_HTTPGetAction = {
	.name = "io.k8s.api.core.v1.HTTPGetAction",
	.fields = http_get_action_fields,
	.nfields = ARRAY_SIZE(http_get_action_fields),
	.doc = "An HTTP GET request made by a probe or hook.",
};

static const struct sch_field tcp_socket_action_fields[] = {
	{ "port", 1, SK_INT_OR_STRING, SL_NONE, SF_REQUIRED, NULL, NULL, NULL,
	  "Port number or name on the container." },
	{ "host", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Host to connect to; defaults to the pod IP." },
};
const struct sch_type sch_core_TCPSocketAction = {
	.name = "io.k8s.api.core.v1.TCPSocketAction",
	.fields = tcp_socket_action_fields,
	.nfields = ARRAY_SIZE(tcp_socket_action_fields),
	.doc = "Opens a TCP connection to a port of the container.",
};

static const struct sch_field grpc_action_fields[] = {
	{ "port", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port of the gRPC service." },
	{ "service", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Service name sent in the health check request." },
};
const struct sch_type sch_core_GRPCAction = {
	.name = "io.k8s.api.core.v1.GRPCAction",
	.fields = grpc_action_fields,
	.nfields = ARRAY_SIZE(grpc_action_fields),
	.doc = "A gRPC health check request.",
};

static const struct sch_field exec_action_fields[] = {
	{ "command", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Command line to execute (not in a shell); exit status 0 means success." },
};
const struct sch_type sch_core_ExecAction = {
	.name = "io.k8s.api.core.v1.ExecAction",
	.fields = exec_action_fields,
	.nfields = ARRAY_SIZE(exec_action_fields),
	.doc = "Runs a command inside the container.",
};

static const struct sch_field sleep_action_fields[] = {
	{ "seconds", 1, SK_INT64, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds to sleep." },
};
const struct sch_type sch_core_SleepAction = {
	.name = "io.k8s.api.core.v1.SleepAction",
	.fields = sleep_action_fields,
	.nfields = ARRAY_SIZE(sleep_action_fields),
	.doc = "Waits for a number of seconds.",
};

static const struct sch_field probe_fields[] = {
	{ "handler", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL, &sch_core_ProbeHandler,
	  "The check to perform." },
	{ "initialDelaySeconds", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds after the container starts before the first check." },
	{ "timeoutSeconds", 3, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds after which a check times out; defaults to 1." },
	{ "periodSeconds", 4, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Seconds between checks; defaults to 10." },
	{ "successThreshold", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Consecutive successes needed after a failure; defaults to 1." },
	{ "failureThreshold", 6, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Consecutive failures needed to give up; defaults to 3." },
	{ "terminationGracePeriodSeconds", 7, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Grace period for terminating the pod after a failed probe; overrides the pod's." },
};
const struct sch_type sch_core_Probe = {
	.name = "io.k8s.api.core.v1.Probe",
	.fields = probe_fields,
	.nfields = ARRAY_SIZE(probe_fields),
	.doc = "A periodic health check of a container.",
};

static const struct sch_field probe_handler_fields[] = {
	{ "exec", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ExecAction,
	  "Run a command in the container." },
	{ "httpGet", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_HTTPGetAction,
	  "Make an HTTP GET request." },
	{ "tcpSocket", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_TCPSocketAction,
	  "Open a TCP connection." },
	{ "grpc", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_GRPCAction,
	  "Make a gRPC health check." },
};
const struct sch_type sch_core_ProbeHandler = {
	.name = "io.k8s.api.core.v1.ProbeHandler",
	.fields = probe_handler_fields,
	.nfields = ARRAY_SIZE(probe_handler_fields),
	.flags = ST_INLINED,
	.doc = "The check a probe performs; exactly one member is set.",
};

static const struct sch_field container_resize_policy_fields[] = {
	{ "resourceName", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The resource, cpu or memory." },
	{ "restartPolicy", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "NotRequired (the default) or RestartContainer." },
};
const struct sch_type sch_core_ContainerResizePolicy = {
	.name = "io.k8s.api.core.v1.ContainerResizePolicy",
	.fields = container_resize_policy_fields,
	.nfields = ARRAY_SIZE(container_resize_policy_fields),
	.doc = "How a container reacts when one of its resources is resized in place.",
};

static const struct sch_field capabilities_fields[] = {
	{ "add", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Capabilities to add." },
	{ "drop", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Capabilities to drop." },
};
const struct sch_type sch_core_Capabilities = {
	.name = "io.k8s.api.core.v1.Capabilities",
	.fields = capabilities_fields,
	.nfields = ARRAY_SIZE(capabilities_fields),
	.doc = "POSIX capabilities to add to or drop from a container.",
};

static const struct sch_field resource_requirements_fields[] = {
	{ "limits", 1, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Maximum amount of each resource." },
	{ "requests", 2, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Minimum amount of each resource; defaults to the limits." },
	{ "claims", 3, SK_OBJECT, SL_MAP, SF_SMP_REPLACE, NULL, "name", &sch_core_ResourceClaim,
	  "Entries of spec.resourceClaims this container uses." },
};
const struct sch_type sch_core_ResourceRequirements = {
	.name = "io.k8s.api.core.v1.ResourceRequirements",
	.fields = resource_requirements_fields,
	.nfields = ARRAY_SIZE(resource_requirements_fields),
	.doc = "Compute resources a container (or pod) requests and is limited to.",
};

static const struct sch_field volume_resource_requirements_fields[] = {
	{ "limits", 1, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Maximum amount of each resource." },
	{ "requests", 2, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Minimum amount of each resource, such as storage." },
};
const struct sch_type sch_core_VolumeResourceRequirements = {
	.name = "io.k8s.api.core.v1.VolumeResourceRequirements",
	.fields = volume_resource_requirements_fields,
	.nfields = ARRAY_SIZE(volume_resource_requirements_fields),
	.doc = "Storage resources a volume claim requests and is limited to.",
};

static const struct sch_field resource_claim_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of an entry in spec.resourceClaims." },
	{ "request", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Only this request of the claim; empty means all of it." },
};
const struct sch_type sch_core_ResourceClaim = {
	.name = "io.k8s.api.core.v1.ResourceClaim",
	.fields = resource_claim_fields,
	.nfields = ARRAY_SIZE(resource_claim_fields),
	.doc = "Makes one of the pod's resource claims available to a container.",
};

static const struct sch_field container_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the container, a DNS label unique within the pod." },
	{ "image", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Container image to run." },
	{ "command", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Entrypoint, replacing the image's; not run in a shell; $(VAR) references are expanded." },
	{ "args", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Arguments to the entrypoint, replacing the image's CMD; $(VAR) references are expanded." },
	{ "workingDir", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Working directory; defaults to the image's." },
	{ "ports", 6, SK_OBJECT, SL_MAP, 0, "containerPort", "containerPort,protocol",
	  &sch_core_ContainerPort,
	  "Ports the container exposes (informational; unlisted ports are reachable too)." },
	{ "envFrom", 19, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_EnvFromSource,
	  "Sources of environment variables imported as a whole." },
	{ "env", 7, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_EnvVar,
	  "Environment variables to set." },
	{ "resources", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceRequirements,
	  "Compute resources the container requests and is limited to." },
	{ "resizePolicy", 23, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ContainerResizePolicy,
	  "How the container reacts to in-place resource resizes." },
	{ "restartPolicy", 24, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Per-container restart policy; only Always, for sidecar init containers." },
	{ "volumeMounts", 9, SK_OBJECT, SL_MAP, 0, "mountPath", NULL, &sch_core_VolumeMount,
	  "Pod volumes to mount into the container." },
	{ "volumeDevices", 21, SK_OBJECT, SL_MAP, 0, "devicePath", NULL, &sch_core_VolumeDevice,
	  "Raw block volumes to map into the container." },
	{ "livenessProbe", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Probe,
	  "Probe whose failure restarts the container." },
	{ "readinessProbe", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Probe,
	  "Probe whose failure takes the pod out of service endpoints." },
	{ "startupProbe", 22, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Probe,
	  "Probe that must succeed before the other probes run." },
	{ "lifecycle", 12, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Lifecycle,
	  "Hooks run after start and before stop." },
	{ "terminationMessagePath", 13, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "File the container writes its termination message to; defaults to /dev/termination-log." },
	{ "terminationMessagePolicy", 20, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "File (the default) or FallbackToLogsOnError." },
	{ "imagePullPolicy", 14, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Always, Never or IfNotPresent." },
	{ "securityContext", 15, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecurityContext,
	  "Security options for the container, overriding the pod's." },
	{ "stdin", 16, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Allocate a stdin buffer for the container." },
	{ "stdinOnce", 17, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Close stdin after the first attach session ends." },
	{ "tty", 18, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Allocate a TTY; needs stdin." },
};
const struct sch_type sch_core_Container = {
	.name = "io.k8s.api.core.v1.Container",
	.fields = container_fields,
	.nfields = ARRAY_SIZE(container_fields),
	.doc = "A container to run in a pod.",
};

static const struct sch_field lifecycle_handler_fields[] = {
	{ "exec", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ExecAction,
	  "Run a command in the container." },
	{ "httpGet", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_HTTPGetAction,
	  "Make an HTTP GET request." },
	{ "tcpSocket", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_TCPSocketAction,
	  "Deprecated and unsupported: open a TCP connection." },
	{ "sleep", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SleepAction,
	  "Wait for some seconds." },
};
const struct sch_type sch_core_LifecycleHandler = {
	.name = "io.k8s.api.core.v1.LifecycleHandler",
	.fields = lifecycle_handler_fields,
	.nfields = ARRAY_SIZE(lifecycle_handler_fields),
	.doc = "The action of a lifecycle hook; exactly one member is set.",
};

static const struct sch_field lifecycle_fields[] = {
	{ "postStart", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LifecycleHandler,
	  "Runs right after the container is created." },
	{ "preStop", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LifecycleHandler,
	  "Runs before the container is terminated by the system." },
	{ "stopSignal", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Signal sent to stop the container; defaults to the runtime's." },
};
const struct sch_type sch_core_Lifecycle = {
	.name = "io.k8s.api.core.v1.Lifecycle",
	.fields = lifecycle_fields,
	.nfields = ARRAY_SIZE(lifecycle_fields),
	.doc = "Hooks run at container lifecycle events.",
};

static const struct sch_field container_state_waiting_fields[] = {
	{ "reason", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Short reason the container is waiting, such as ImagePullBackOff." },
	{ "message", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Details of why the container is waiting." },
};
const struct sch_type sch_core_ContainerStateWaiting = {
	.name = "io.k8s.api.core.v1.ContainerStateWaiting",
	.fields = container_state_waiting_fields,
	.nfields = ARRAY_SIZE(container_state_waiting_fields),
	.doc = "A container that is not running yet.",
};

static const struct sch_field container_state_running_fields[] = {
	{ "startedAt", 1, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the container last started." },
};
const struct sch_type sch_core_ContainerStateRunning = {
	.name = "io.k8s.api.core.v1.ContainerStateRunning",
	.fields = container_state_running_fields,
	.nfields = ARRAY_SIZE(container_state_running_fields),
	.doc = "A running container.",
};

static const struct sch_field container_state_terminated_fields[] = {
	{ "exitCode", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Exit status of the last run." },
	{ "signal", 2, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Signal that ended the last run." },
	{ "reason", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Short reason for the termination, such as Completed or OOMKilled." },
	{ "message", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Details of the termination." },
	{ "startedAt", 5, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the last run started." },
	{ "finishedAt", 6, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the last run ended." },
	{ "containerID", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ID of the container, as type://id." },
};
const struct sch_type sch_core_ContainerStateTerminated = {
	.name = "io.k8s.api.core.v1.ContainerStateTerminated",
	.fields = container_state_terminated_fields,
	.nfields = ARRAY_SIZE(container_state_terminated_fields),
	.doc = "A container that has exited.",
};

static const struct sch_field container_state_fields[] = {
	{ "waiting", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ContainerStateWaiting,
	  "The container is waiting to start." },
	{ "running", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ContainerStateRunning,
	  "The container is running." },
	{ "terminated", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ContainerStateTerminated,
	  "The container has exited." },
};
const struct sch_type sch_core_ContainerState = {
	.name = "io.k8s.api.core.v1.ContainerState",
	.fields = container_state_fields,
	.nfields = ARRAY_SIZE(container_state_fields),
	.doc = "State of a container; one member is set, waiting when none is.",
};

static const struct sch_field container_status_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the container." },
	{ "state", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ContainerState,
	  "Current state." },
	{ "lastState", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ContainerState,
	  "State of the previous run, for diagnosing restarts." },
	{ "ready", 4, SK_BOOL, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the container passes its readiness check." },
	{ "restartCount", 5, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Number of times the container has been restarted." },
	{ "image", 6, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Image the container runs, as resolved by the runtime." },
	{ "imageID", 7, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "ID of that image." },
	{ "containerID", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ID of the container, as type://id." },
	{ "started", 9, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether the container passed its postStart hook and startup probe." },
	{ "allocatedResources", 10, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Resources the node allocated to the container." },
	{ "resources", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceRequirements,
	  "Resources actually applied to the running container." },
	{ "volumeMounts", 12, SK_OBJECT, SL_MAP, 0, "mountPath", NULL, &sch_core_VolumeMountStatus,
	  "State of the container's volume mounts." },
	{ "user", 13, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ContainerUser,
	  "Identity of the container's first process." },
	{ "allocatedResourcesStatus", 14, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_ResourceStatus,
	  "Health of the devices allocated to the container." },
	{ "stopSignal", 15, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Stop signal in effect for the container." },
};
const struct sch_type sch_core_ContainerStatus = {
	.name = "io.k8s.api.core.v1.ContainerStatus",
	.fields = container_status_fields,
	.nfields = ARRAY_SIZE(container_status_fields),
	.doc = "Observed state of one container of a pod.",
};

static const struct sch_field resource_status_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the resource, or claim:<claim>/<request> for dynamic resources." },
	{ "resources", 2, SK_OBJECT, SL_MAP, SF_SMP_REPLACE, NULL, "resourceID", &sch_core_ResourceHealth,
	  "Health of each device, by resource ID." },
};
const struct sch_type sch_core_ResourceStatus = {
	.name = "io.k8s.api.core.v1.ResourceStatus",
	.fields = resource_status_fields,
	.nfields = ARRAY_SIZE(resource_status_fields),
	.doc = "Health of the devices behind one resource allocated to a container.",
};

static const struct sch_field resource_health_fields[] = {
	{ "resourceID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Unique ID of the device." },
	{ "health", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Healthy, Unhealthy or Unknown." },
};
const struct sch_type sch_core_ResourceHealth = {
	.name = "io.k8s.api.core.v1.ResourceHealth",
	.fields = resource_health_fields,
	.nfields = ARRAY_SIZE(resource_health_fields),
	.doc = "Health of one allocated device.",
};

static const struct sch_field container_user_fields[] = {
	{ "linux", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LinuxContainerUser,
	  "Linux user and groups." },
};
const struct sch_type sch_core_ContainerUser = {
	.name = "io.k8s.api.core.v1.ContainerUser",
	.fields = container_user_fields,
	.nfields = ARRAY_SIZE(container_user_fields),
	.doc = "Identity of a container's first process.",
};

static const struct sch_field linux_container_user_fields[] = {
	{ "uid", 1, SK_INT64, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Primary user ID." },
	{ "gid", 2, SK_INT64, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Primary group ID." },
	{ "supplementalGroups", 3, SK_INT64, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Supplemental group IDs." },
};
const struct sch_type sch_core_LinuxContainerUser = {
	.name = "io.k8s.api.core.v1.LinuxContainerUser",
	.fields = linux_container_user_fields,
	.nfields = ARRAY_SIZE(linux_container_user_fields),
	.doc = "Linux identity of a container's first process.",
};

static const struct sch_field pod_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition, such as PodScheduled, Initialized, ContainersReady or Ready." },
	{ "observedGeneration", 7, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "metadata.generation the condition was computed from." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastProbeTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition was last checked." },
	{ "lastTransitionTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable CamelCase reason for the last transition." },
	{ "message", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_core_PodCondition = {
	.name = "io.k8s.api.core.v1.PodCondition",
	.fields = pod_condition_fields,
	.nfields = ARRAY_SIZE(pod_condition_fields),
	.doc = "One observed condition of a pod, such as Ready.",
};

static const struct sch_field volume_mount_status_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the volume mount." },
	{ "mountPath", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path the volume is mounted at." },
	{ "readOnly", 3, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Whether the mount is read-only." },
	{ "recursiveReadOnly", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Disabled or Enabled: whether the read-only mount is recursive." },
};
const struct sch_type sch_core_VolumeMountStatus = {
	.name = "io.k8s.api.core.v1.VolumeMountStatus",
	.fields = volume_mount_status_fields,
	.nfields = ARRAY_SIZE(volume_mount_status_fields),
	.doc = "Observed state of one volume mount of a container.",
};

static const struct sch_field node_selector_fields[] = {
	{ "nodeSelectorTerms", 1, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_NodeSelectorTerm,
	  "The terms; a node must match at least one." },
};
const struct sch_type sch_core_NodeSelector = {
	.name = "io.k8s.api.core.v1.NodeSelector",
	.fields = node_selector_fields,
	.nfields = ARRAY_SIZE(node_selector_fields),
	.flags = ST_ATOMIC,
	.doc = "Selects nodes matching any one of several terms.",
};

static const struct sch_field node_selector_term_fields[] = {
	{ "matchExpressions", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_NodeSelectorRequirement,
	  "Requirements on the node's labels." },
	{ "matchFields", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_NodeSelectorRequirement,
	  "Requirements on the node's fields." },
};
const struct sch_type sch_core_NodeSelectorTerm = {
	.name = "io.k8s.api.core.v1.NodeSelectorTerm",
	.fields = node_selector_term_fields,
	.nfields = ARRAY_SIZE(node_selector_term_fields),
	.flags = ST_ATOMIC,
	.doc = "Requirements on a node's labels and fields that must all hold.",
};

static const struct sch_field node_selector_requirement_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The label key or field name." },
	{ "operator", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "In, NotIn, Exists, DoesNotExist, Gt or Lt." },
	{ "values", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Values for In and NotIn; a single integer for Gt and Lt; empty otherwise." },
};
const struct sch_type sch_core_NodeSelectorRequirement = {
	.name = "io.k8s.api.core.v1.NodeSelectorRequirement",
	.fields = node_selector_requirement_fields,
	.nfields = ARRAY_SIZE(node_selector_requirement_fields),
	.doc = "One requirement on a node label or field.",
};

static const struct sch_field affinity_fields[] = {
	{ "nodeAffinity", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeAffinity,
	  "Rules about which nodes the pod may run on." },
	{ "podAffinity", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodAffinity,
	  "Rules to place the pod near certain other pods." },
	{ "podAntiAffinity", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodAntiAffinity,
	  "Rules to keep the pod away from certain other pods." },
};
const struct sch_type sch_core_Affinity = {
	.name = "io.k8s.api.core.v1.Affinity",
	.fields = affinity_fields,
	.nfields = ARRAY_SIZE(affinity_fields),
	.doc = "Scheduling rules relating the pod to nodes and to other pods.",
};

static const struct sch_field pod_affinity_fields[] = {
	{ "requiredDuringSchedulingIgnoredDuringExecution", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL,
	  &sch_core_PodAffinityTerm,
	  "Terms that must all be met when scheduling." },
	{ "preferredDuringSchedulingIgnoredDuringExecution", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL,
	  &sch_core_WeightedPodAffinityTerm,
	  "Weighted terms the scheduler tries to meet." },
};
const struct sch_type sch_core_PodAffinity = {
	.name = "io.k8s.api.core.v1.PodAffinity",
	.fields = pod_affinity_fields,
	.nfields = ARRAY_SIZE(pod_affinity_fields),
	.doc = "Rules that attract the pod to nodes running certain other pods.",
};

static const struct sch_field pod_anti_affinity_fields[] = {
	{ "requiredDuringSchedulingIgnoredDuringExecution", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL,
	  &sch_core_PodAffinityTerm,
	  "Terms that must all be met when scheduling." },
	{ "preferredDuringSchedulingIgnoredDuringExecution", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL,
	  &sch_core_WeightedPodAffinityTerm,
	  "Weighted terms the scheduler tries to meet." },
};
const struct sch_type sch_core_PodAntiAffinity = {
	.name = "io.k8s.api.core.v1.PodAntiAffinity",
	.fields = pod_anti_affinity_fields,
	.nfields = ARRAY_SIZE(pod_anti_affinity_fields),
	.doc = "Rules that keep the pod away from nodes running certain other pods.",
};

static const struct sch_field weighted_pod_affinity_term_fields[] = {
	{ "weight", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Weight of the term, 1-100." },
	{ "podAffinityTerm", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_PodAffinityTerm,
	  "The term." },
};
const struct sch_type sch_core_WeightedPodAffinityTerm = {
	.name = "io.k8s.api.core.v1.WeightedPodAffinityTerm",
	.fields = weighted_pod_affinity_term_fields,
	.nfields = ARRAY_SIZE(weighted_pod_affinity_term_fields),
	.doc = "A pod affinity term with a weight for scoring nodes.",
};

static const struct sch_field pod_affinity_term_fields[] = {
	{ "labelSelector", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods; null matches none." },
	{ "namespaces", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Namespaces of the pods; with namespaceSelector unset and this empty, the pod's own namespace." },
	{ "topologyKey", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Node label whose value defines the shared domain, such as kubernetes.io/hostname." },
	{ "namespaceSelector", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the namespaces of the pods; {} matches all." },
	{ "matchLabelKeys", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Label keys of the incoming pod whose values are added to the selector with In." },
	{ "mismatchLabelKeys", 6, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Label keys of the incoming pod whose values are added to the selector with NotIn." },
};
const struct sch_type sch_core_PodAffinityTerm = {
	.name = "io.k8s.api.core.v1.PodAffinityTerm",
	.fields = pod_affinity_term_fields,
	.nfields = ARRAY_SIZE(pod_affinity_term_fields),
	.doc = "A set of pods, and the topology domain the pod should share (or not share) with them.",
};

static const struct sch_field node_affinity_fields[] = {
	{ "requiredDuringSchedulingIgnoredDuringExecution", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL,
	  &sch_core_NodeSelector,
	  "Node selector that must match when scheduling." },
	{ "preferredDuringSchedulingIgnoredDuringExecution", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL,
	  &sch_core_PreferredSchedulingTerm,
	  "Weighted terms the scheduler tries to meet." },
};
const struct sch_type sch_core_NodeAffinity = {
	.name = "io.k8s.api.core.v1.NodeAffinity",
	.fields = node_affinity_fields,
	.nfields = ARRAY_SIZE(node_affinity_fields),
	.doc = "Rules about which nodes the pod may be scheduled on.",
};

static const struct sch_field preferred_scheduling_term_fields[] = {
	{ "weight", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Weight of the term, 1-100." },
	{ "preference", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_NodeSelectorTerm,
	  "The node selector term." },
};
const struct sch_type sch_core_PreferredSchedulingTerm = {
	.name = "io.k8s.api.core.v1.PreferredSchedulingTerm",
	.fields = preferred_scheduling_term_fields,
	.nfields = ARRAY_SIZE(preferred_scheduling_term_fields),
	.doc = "A node selector term with a weight for scoring nodes.",
};

static const struct sch_field taint_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Key of the taint." },
	{ "value", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Value of the taint." },
	{ "effect", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "NoSchedule, PreferNoSchedule or NoExecute." },
	{ "timeAdded", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the taint was added (NoExecute taints)." },
};
const struct sch_type sch_core_Taint = {
	.name = "io.k8s.api.core.v1.Taint",
	.fields = taint_fields,
	.nfields = ARRAY_SIZE(taint_fields),
	.doc = "A mark on a node that repels pods which do not tolerate it.",
};

static const struct sch_field toleration_fields[] = {
	{ "key", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Taint key to match; empty with Exists matches every taint." },
	{ "operator", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Equal (the default) or Exists." },
	{ "value", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Taint value to match with Equal." },
	{ "effect", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Taint effect to match; empty matches all effects." },
	{ "tolerationSeconds", 5, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How long a NoExecute taint is tolerated before eviction; unset means forever." },
};
const struct sch_type sch_core_Toleration = {
	.name = "io.k8s.api.core.v1.Toleration",
	.fields = toleration_fields,
	.nfields = ARRAY_SIZE(toleration_fields),
	.doc = "Lets the pod tolerate taints matching key, value and effect.",
};

static const struct sch_field pod_readiness_gate_fields[] = {
	{ "conditionType", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the pod condition." },
};
const struct sch_type sch_core_PodReadinessGate = {
	.name = "io.k8s.api.core.v1.PodReadinessGate",
	.fields = pod_readiness_gate_fields,
	.nfields = ARRAY_SIZE(pod_readiness_gate_fields),
	.doc = "An extra pod condition that must be True for the pod to be ready.",
};

static const struct sch_field pod_spec_fields[] = {
	{ "volumes", 1, SK_OBJECT, SL_MAP, SF_RETAIN_KEYS, "name", NULL, &sch_core_Volume,
	  "Volumes the pod's containers can mount." },
	{ "initContainers", 20, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_Container,
	  "Containers run one after another, to completion, before the app containers start." },
	{ "containers", 2, SK_OBJECT, SL_MAP, SF_REQUIRED, "name", NULL, &sch_core_Container,
	  "The app containers; a pod has at least one." },
	{ "ephemeralContainers", 34, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_EphemeralContainer,
	  "Debugging containers added to a running pod through its ephemeralcontainers subresource." },
	{ "restartPolicy", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Always (the default), OnFailure or Never." },
	{ "terminationGracePeriodSeconds", 4, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds allowed for graceful termination; defaults to 30." },
	{ "activeDeadlineSeconds", 5, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Seconds the pod may run on a node before it is failed." },
	{ "dnsPolicy", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ClusterFirst (the default), ClusterFirstWithHostNet, Default or None." },
	{ "nodeSelector", 7, SK_STRING, SL_NONE, SF_MAP | SF_MAP_ATOMIC, NULL, NULL, NULL,
	  "Labels a node must have for the pod to be scheduled there." },
	{ "serviceAccountName", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Service account the pod runs as." },
	{ "serviceAccount", 9, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Deprecated alias of serviceAccountName." },
	{ "automountServiceAccountToken", 21, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether to mount a service account token automatically." },
	{ "nodeName", 10, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Node the pod is bound to; set by the scheduler." },
	{ "hostNetwork", 11, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use the node's network namespace." },
	{ "hostPID", 12, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use the node's PID namespace." },
	{ "hostIPC", 13, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Use the node's IPC namespace." },
	{ "shareProcessNamespace", 27, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Share one PID namespace between all containers of the pod." },
	{ "securityContext", 14, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodSecurityContext,
	  "Pod-level security attributes and defaults for the containers." },
	{ "imagePullSecrets", 15, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_LocalObjectReference,
	  "Secrets with credentials for pulling the pod's images." },
	{ "hostname", 16, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Hostname of the pod; defaults to a system-defined value." },
	{ "subdomain", 17, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Subdomain, making the pod's FQDN hostname.subdomain.namespace.svc.cluster-domain." },
	{ "affinity", 18, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Affinity,
	  "Node and pod affinity rules." },
	{ "schedulerName", 19, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Scheduler that places the pod; defaults to the default scheduler." },
	{ "tolerations", 22, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_Toleration,
	  "Taints the pod tolerates." },
	{ "hostAliases", 23, SK_OBJECT, SL_MAP, 0, "ip", NULL, &sch_core_HostAlias,
	  "Extra entries for the pod's /etc/hosts." },
	{ "priorityClassName", 24, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "PriorityClass that gives the pod its priority." },
	{ "priority", 25, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Priority value, filled in from priorityClassName." },
	{ "dnsConfig", 26, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodDNSConfig,
	  "DNS settings merged into those the dnsPolicy produces." },
	{ "readinessGates", 28, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_PodReadinessGate,
	  "Extra conditions that must be True for the pod to be ready." },
	{ "runtimeClassName", 29, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "RuntimeClass to run the pod with." },
	{ "enableServiceLinks", 30, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Inject Docker-link-style environment variables for services; defaults to true." },
	{ "preemptionPolicy", 31, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "PreemptLowerPriority (the default) or Never." },
	{ "overhead", 32, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Resources used by the pod's sandbox on top of the containers', set from the RuntimeClass." },
	{ "topologySpreadConstraints", 33, SK_OBJECT, SL_MAP, 0, "topologyKey", "topologyKey,whenUnsatisfiable",
	  &sch_core_TopologySpreadConstraint,
	  "How the pods of a group spread across topology domains." },
	{ "setHostnameAsFQDN", 35, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Use the FQDN as the pod's hostname." },
	{ "os", 36, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodOS,
	  "Operating system of the pod's containers." },
	{ "hostUsers", 37, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Use the node's user namespace; defaults to true." },
	{ "schedulingGates", 38, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_PodSchedulingGate,
	  "Gates that keep the pod from being scheduled while present." },
	{ "resourceClaims", 39, SK_OBJECT, SL_MAP, SF_RETAIN_KEYS, "name", NULL, &sch_core_PodResourceClaim,
	  "Dynamic resource claims the pod needs, named for its containers." },
	{ "resources", 40, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceRequirements,
	  "Pod-level compute resources shared by its containers." },
};
const struct sch_type sch_core_PodSpec = {
	.name = "io.k8s.api.core.v1.PodSpec",
	.fields = pod_spec_fields,
	.nfields = ARRAY_SIZE(pod_spec_fields),
	.doc = "The desired state of a pod: its containers, volumes and scheduling constraints.",
};

static const struct sch_field pod_resource_claim_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the claim within the pod." },
	{ "resourceClaimName", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of an existing ResourceClaim." },
	{ "resourceClaimTemplateName", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of a ResourceClaimTemplate to create the claim from." },
};
const struct sch_type sch_core_PodResourceClaim = {
	.name = "io.k8s.api.core.v1.PodResourceClaim",
	.fields = pod_resource_claim_fields,
	.nfields = ARRAY_SIZE(pod_resource_claim_fields),
	.doc = "Names one ResourceClaim, or a template for one, for use by the pod's containers.",
};

static const struct sch_field pod_resource_claim_status_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the claim within the pod." },
	{ "resourceClaimName", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the generated ResourceClaim; unset when none was needed." },
};
const struct sch_type sch_core_PodResourceClaimStatus = {
	.name = "io.k8s.api.core.v1.PodResourceClaimStatus",
	.fields = pod_resource_claim_status_fields,
	.nfields = ARRAY_SIZE(pod_resource_claim_status_fields),
	.doc = "Name of the ResourceClaim generated for one of the pod's claims.",
};

static const struct sch_field pod_os_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "linux or windows." },
};
const struct sch_type sch_core_PodOS = {
	.name = "io.k8s.api.core.v1.PodOS",
	.fields = pod_os_fields,
	.nfields = ARRAY_SIZE(pod_os_fields),
	.doc = "The operating system a pod runs on.",
};

static const struct sch_field pod_scheduling_gate_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the gate, unique within the pod." },
};
const struct sch_type sch_core_PodSchedulingGate = {
	.name = "io.k8s.api.core.v1.PodSchedulingGate",
	.fields = pod_scheduling_gate_fields,
	.nfields = ARRAY_SIZE(pod_scheduling_gate_fields),
	.doc = "A gate that blocks scheduling of the pod.",
};

static const struct sch_field topology_spread_constraint_fields[] = {
	{ "maxSkew", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Largest allowed difference in matching pods between two domains; at least 1." },
	{ "topologyKey", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Node label whose values define the domains." },
	{ "whenUnsatisfiable", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "DoNotSchedule or ScheduleAnyway." },
	{ "labelSelector", 4, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_LabelSelector,
	  "Label query over the pods that are counted." },
	{ "minDomains", 5, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Minimum number of eligible domains; below it the global minimum counts as 0." },
	{ "nodeAffinityPolicy", 6, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Honor (the default) or Ignore the pod's node affinity when counting." },
	{ "nodeTaintsPolicy", 7, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Honor or Ignore (the default) node taints when counting." },
	{ "matchLabelKeys", 8, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Label keys of the incoming pod whose values are ANDed into the selector." },
};
const struct sch_type sch_core_TopologySpreadConstraint = {
	.name = "io.k8s.api.core.v1.TopologySpreadConstraint",
	.fields = topology_spread_constraint_fields,
	.nfields = ARRAY_SIZE(topology_spread_constraint_fields),
	.doc = "How a group of matching pods spreads across the domains of one topology key.",
};

static const struct sch_field host_alias_fields[] = {
	{ "ip", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "IP address of the entry." },
	{ "hostnames", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Host names for the address." },
};
const struct sch_type sch_core_HostAlias = {
	.name = "io.k8s.api.core.v1.HostAlias",
	.fields = host_alias_fields,
	.nfields = ARRAY_SIZE(host_alias_fields),
	.doc = "An entry added to the pod's /etc/hosts.",
};

static const struct sch_field pod_security_context_fields[] = {
	{ "seLinuxOptions", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SELinuxOptions,
	  "SELinux context for all containers." },
	{ "windowsOptions", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_WindowsSecurityContextOptions,
	  "Windows-specific settings for all containers." },
	{ "runAsUser", 2, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "UID to run container processes as." },
	{ "runAsGroup", 6, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "GID to run container processes as." },
	{ "runAsNonRoot", 3, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Refuse to start containers whose user is root." },
	{ "supplementalGroups", 4, SK_INT64, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Extra groups for the first process of each container." },
	{ "supplementalGroupsPolicy", 12, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Merge (the default) or Strict: whether the image's group memberships are kept." },
	{ "fsGroup", 5, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Group that owns supporting volumes and is added to every container." },
	{ "sysctls", 7, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_Sysctl,
	  "Namespaced sysctls to set for the pod." },
	{ "fsGroupChangePolicy", 9, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "OnRootMismatch or Always (the default): when volume ownership is changed." },
	{ "seccompProfile", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SeccompProfile,
	  "Seccomp profile for all containers." },
	{ "appArmorProfile", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AppArmorProfile,
	  "AppArmor profile for all containers." },
	{ "seLinuxChangePolicy", 13, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "MountOption or Recursive: how the SELinux label is applied to volumes." },
};
const struct sch_type sch_core_PodSecurityContext = {
	.name = "io.k8s.api.core.v1.PodSecurityContext",
	.fields = pod_security_context_fields,
	.nfields = ARRAY_SIZE(pod_security_context_fields),
	.doc = "Security attributes of a pod and defaults for its containers.",
};

static const struct sch_field seccomp_profile_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Localhost, RuntimeDefault or Unconfined." },
	{ "localhostProfile", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Path of the profile on the node, for type Localhost." },
};
const struct sch_type sch_core_SeccompProfile = {
	.name = "io.k8s.api.core.v1.SeccompProfile",
	.fields = seccomp_profile_fields,
	.nfields = ARRAY_SIZE(seccomp_profile_fields),
	.doc = "A seccomp profile.",
};

static const struct sch_field app_armor_profile_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Localhost, RuntimeDefault or Unconfined." },
	{ "localhostProfile", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of a profile loaded on the node, for type Localhost." },
};
const struct sch_type sch_core_AppArmorProfile = {
	.name = "io.k8s.api.core.v1.AppArmorProfile",
	.fields = app_armor_profile_fields,
	.nfields = ARRAY_SIZE(app_armor_profile_fields),
	.doc = "An AppArmor profile.",
};

static const struct sch_field pod_dns_config_fields[] = {
	{ "nameservers", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Extra name server addresses." },
	{ "searches", 2, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Extra search domains." },
	{ "options", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_PodDNSConfigOption,
	  "Resolver options, overriding those of the policy." },
};
const struct sch_type sch_core_PodDNSConfig = {
	.name = "io.k8s.api.core.v1.PodDNSConfig",
	.fields = pod_dns_config_fields,
	.nfields = ARRAY_SIZE(pod_dns_config_fields),
	.doc = "DNS settings of a pod, added to those its DNS policy produces.",
};

static const struct sch_field pod_dns_config_option_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the option." },
	{ "value", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Value of the option." },
};
const struct sch_type sch_core_PodDNSConfigOption = {
	.name = "io.k8s.api.core.v1.PodDNSConfigOption",
	.fields = pod_dns_config_option_fields,
	.nfields = ARRAY_SIZE(pod_dns_config_option_fields),
	.doc = "One resolver option.",
};

static const struct sch_field pod_ip_fields[] = {
	{ "ip", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The address." },
};
const struct sch_type sch_core_PodIP = {
	.name = "io.k8s.api.core.v1.PodIP",
	.fields = pod_ip_fields,
	.nfields = ARRAY_SIZE(pod_ip_fields),
	.doc = "An IP address allocated to a pod.",
};

static const struct sch_field host_ip_fields[] = {
	{ "ip", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The address." },
};
const struct sch_type sch_core_HostIP = {
	.name = "io.k8s.api.core.v1.HostIP",
	.fields = host_ip_fields,
	.nfields = ARRAY_SIZE(host_ip_fields),
	.doc = "An IP address of the node a pod runs on.",
};

static const struct sch_field ephemeral_container_common_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the container, unique among all containers of the pod." },
	{ "image", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Container image to run." },
	{ "command", 3, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Entrypoint, replacing the image's; not run in a shell." },
	{ "args", 4, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Arguments to the entrypoint." },
	{ "workingDir", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Working directory; defaults to the image's." },
	{ "ports", 6, SK_OBJECT, SL_MAP, 0, "containerPort", "containerPort,protocol",
	  &sch_core_ContainerPort,
	  "Not allowed for ephemeral containers." },
	{ "envFrom", 19, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_EnvFromSource,
	  "Sources of environment variables imported as a whole." },
	{ "env", 7, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_EnvVar,
	  "Environment variables to set." },
	{ "resources", 8, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceRequirements,
	  "Not allowed: ephemeral containers use the pod's spare resources." },
	{ "resizePolicy", 23, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ContainerResizePolicy,
	  "How the container reacts to in-place resource resizes." },
	{ "restartPolicy", 24, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Not allowed for ephemeral containers." },
	{ "volumeMounts", 9, SK_OBJECT, SL_MAP, 0, "mountPath", NULL, &sch_core_VolumeMount,
	  "Pod volumes to mount; subPath is not allowed." },
	{ "volumeDevices", 21, SK_OBJECT, SL_MAP, 0, "devicePath", NULL, &sch_core_VolumeDevice,
	  "Raw block volumes to map into the container." },
	{ "livenessProbe", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Probe,
	  "Not allowed for ephemeral containers." },
	{ "readinessProbe", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Probe,
	  "Not allowed for ephemeral containers." },
	{ "startupProbe", 22, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Probe,
	  "Not allowed for ephemeral containers." },
	{ "lifecycle", 12, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Lifecycle,
	  "Not allowed for ephemeral containers." },
	{ "terminationMessagePath", 13, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "File the container writes its termination message to." },
	{ "terminationMessagePolicy", 20, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "File (the default) or FallbackToLogsOnError." },
	{ "imagePullPolicy", 14, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Always, Never or IfNotPresent." },
	{ "securityContext", 15, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SecurityContext,
	  "Security options for the container." },
	{ "stdin", 16, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Allocate a stdin buffer for the container." },
	{ "stdinOnce", 17, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Close stdin after the first attach session ends." },
	{ "tty", 18, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Allocate a TTY; needs stdin." },
};
const struct sch_type sch_core_EphemeralContainerCommon = {
	.name = "io.k8s.api.core.v1.EphemeralContainerCommon",
	.fields = ephemeral_container_common_fields,
	.nfields = ARRAY_SIZE(ephemeral_container_common_fields),
	.flags = ST_INLINED,
	.doc = "The container fields an ephemeral container shares with Container.",
};

static const struct sch_field ephemeral_container_fields[] = {
	{ "ephemeralContainerCommon", 1, SK_OBJECT, SL_NONE, SF_INLINE, NULL, NULL,
	  &sch_core_EphemeralContainerCommon,
	  "The fields shared with Container." },
	{ "targetContainerName", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Container whose namespaces (PID, IPC, ...) this one joins." },
};
const struct sch_type sch_core_EphemeralContainer = {
	.name = "io.k8s.api.core.v1.EphemeralContainer",
	.fields = ephemeral_container_fields,
	.nfields = ARRAY_SIZE(ephemeral_container_fields),
	.doc = "A temporary container added to a running pod, for example for debugging.",
};

static const struct sch_field pod_status_fields[] = {
	{ "observedGeneration", 17, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "metadata.generation the status was computed from." },
	{ "phase", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Pending, Running, Succeeded, Failed or Unknown." },
	{ "conditions", 2, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_core_PodCondition,
	  "Observed conditions of the pod." },
	{ "message", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the pod's state." },
	{ "reason", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Short CamelCase reason for the pod's state, such as Evicted." },
	{ "nominatedNodeName", 11, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Node the pod is expected to land on after preempting other pods there." },
	{ "hostIP", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Primary IP address of the pod's node." },
	{ "hostIPs", 16, SK_OBJECT, SL_MAP, SF_APPLY_ATOMIC, "ip", NULL, &sch_core_HostIP,
	  "IP addresses of the pod's node; the first matches hostIP." },
	{ "podIP", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Primary IP address of the pod." },
	{ "podIPs", 12, SK_OBJECT, SL_MAP, 0, "ip", NULL, &sch_core_PodIP,
	  "IP addresses of the pod, at most one per family; the first matches podIP." },
	{ "startTime", 7, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the kubelet acknowledged the pod." },
	{ "initContainerStatuses", 10, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ContainerStatus,
	  "Status of each init container." },
	{ "containerStatuses", 8, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ContainerStatus,
	  "Status of each app container." },
	{ "qosClass", 9, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Quality of service class: Guaranteed, Burstable or BestEffort." },
	{ "ephemeralContainerStatuses", 13, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ContainerStatus,
	  "Status of each ephemeral container." },
	{ "resize", 14, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Deprecated: state of a pending in-place resize." },
	{ "resourceClaimStatuses", 15, SK_OBJECT, SL_MAP, SF_RETAIN_KEYS, "name", NULL,
	  &sch_core_PodResourceClaimStatus,
	  "Names of the ResourceClaims generated for the pod's claims." },
};
const struct sch_type sch_core_PodStatus = {
	.name = "io.k8s.api.core.v1.PodStatus",
	.fields = pod_status_fields,
	.nfields = ARRAY_SIZE(pod_status_fields),
	.doc = "Observed state of a pod; may lag behind reality.",
};

static const struct sch_field pod_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Pod." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodSpec,
	  "The desired pod." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodStatus,
	  "The observed state of the pod." },
};
const struct sch_type sch_core_Pod = {
	.name = "io.k8s.api.core.v1.Pod",
	.fields = pod_fields,
	.nfields = ARRAY_SIZE(pod_fields),
	.doc = "A group of containers scheduled together onto one node.",
};

static const struct sch_field pod_template_spec_fields[] = {
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Metadata of the pods, usually labels that the controller's selector matches." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_PodSpec,
	  "Spec of the pods." },
};
const struct sch_type sch_core_PodTemplateSpec = {
	.name = "io.k8s.api.core.v1.PodTemplateSpec",
	.fields = pod_template_spec_fields,
	.nfields = ARRAY_SIZE(pod_template_spec_fields),
	.doc = "Template from which controllers create pods.",
};

static const struct sch_field session_affinity_config_fields[] = {
	{ "clientIP", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ClientIPConfig,
	  "Settings of client-IP-based affinity." },
};
const struct sch_type sch_core_SessionAffinityConfig = {
	.name = "io.k8s.api.core.v1.SessionAffinityConfig",
	.fields = session_affinity_config_fields,
	.nfields = ARRAY_SIZE(session_affinity_config_fields),
	.doc = "Settings of a service's session affinity.",
};

static const struct sch_field client_ip_config_fields[] = {
	{ "timeoutSeconds", 1, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "How long a client sticks to an endpoint, 1-86400 seconds; defaults to 10800." },
};
const struct sch_type sch_core_ClientIPConfig = {
	.name = "io.k8s.api.core.v1.ClientIPConfig",
	.fields = client_ip_config_fields,
	.nfields = ARRAY_SIZE(client_ip_config_fields),
	.doc = "Settings of client-IP-based session affinity.",
};

static const struct sch_field service_status_fields[] = {
	{ "loadBalancer", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_LoadBalancerStatus,
	  "State of the load balancer, if any." },
	{ "conditions", 2, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_meta_Condition,
	  "Observed conditions of the service." },
};
const struct sch_type sch_core_ServiceStatus = {
	.name = "io.k8s.api.core.v1.ServiceStatus",
	.fields = service_status_fields,
	.nfields = ARRAY_SIZE(service_status_fields),
	.doc = "Observed state of a service.",
};

static const struct sch_field load_balancer_status_fields[] = {
	{ "ingress", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_LoadBalancerIngress,
	  "Points where traffic for the service enters the load balancer." },
};
const struct sch_type sch_core_LoadBalancerStatus = {
	.name = "io.k8s.api.core.v1.LoadBalancerStatus",
	.fields = load_balancer_status_fields,
	.nfields = ARRAY_SIZE(load_balancer_status_fields),
	.doc = "State of a load balancer.",
};

static const struct sch_field load_balancer_ingress_fields[] = {
	{ "ip", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "IP address of the entry point." },
	{ "hostname", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "DNS name of the entry point." },
	{ "ipMode", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "VIP or Proxy: how traffic sent to the IP reaches the nodes." },
	{ "ports", 4, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_PortStatus,
	  "State of each service port on this entry point." },
};
const struct sch_type sch_core_LoadBalancerIngress = {
	.name = "io.k8s.api.core.v1.LoadBalancerIngress",
	.fields = load_balancer_ingress_fields,
	.nfields = ARRAY_SIZE(load_balancer_ingress_fields),
	.doc = "One entry point of a load balancer.",
};

static const struct sch_field service_spec_fields[] = {
	{ "ports", 1, SK_OBJECT, SL_MAP, 0, "port", "port,protocol", &sch_core_ServicePort,
	  "Ports the service exposes." },
	{ "selector", 2, SK_STRING, SL_NONE, SF_MAP | SF_MAP_ATOMIC, NULL, NULL, NULL,
	  "Labels of the pods that receive the service's traffic; empty means endpoints are managed "
	  "externally." },
	{ "clusterIP", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Virtual IP of the service; None makes it headless." },
	{ "clusterIPs", 18, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Virtual IPs of the service, at most one per IP family; the first matches clusterIP." },
	{ "type", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ClusterIP (the default), NodePort, LoadBalancer or ExternalName." },
	{ "externalIPs", 5, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Extra IPs on which nodes accept traffic for the service." },
	{ "sessionAffinity", 7, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ClientIP or None (the default)." },
	{ "loadBalancerIP", 8, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Deprecated: IP requested for the load balancer." },
	{ "loadBalancerSourceRanges", 9, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Client CIDRs allowed through the load balancer." },
	{ "externalName", 10, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "DNS name the service is an alias of, for type ExternalName." },
	{ "externalTrafficPolicy", 11, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Cluster (the default) or Local: how external traffic is routed to endpoints." },
	{ "healthCheckNodePort", 12, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Node port serving health checks, for LoadBalancer services with Local policy." },
	{ "publishNotReadyAddresses", 13, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Publish endpoints whether or not their pods are ready." },
	{ "sessionAffinityConfig", 14, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SessionAffinityConfig,
	  "Settings of the session affinity." },
	{ "ipFamilies", 19, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "IP families (IPv4, IPv6) of the service, in order." },
	{ "ipFamilyPolicy", 17, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "SingleStack, PreferDualStack or RequireDualStack." },
	{ "allocateLoadBalancerNodePorts", 20, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Allocate node ports for a LoadBalancer service; defaults to true." },
	{ "loadBalancerClass", 21, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Load balancer implementation the service belongs to." },
	{ "internalTrafficPolicy", 22, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Cluster (the default) or Local: how in-cluster traffic is routed to endpoints." },
	{ "trafficDistribution", 23, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Preference for routing traffic, such as PreferClose." },
};
const struct sch_type sch_core_ServiceSpec = {
	.name = "io.k8s.api.core.v1.ServiceSpec",
	.fields = service_spec_fields,
	.nfields = ARRAY_SIZE(service_spec_fields),
	.doc = "The desired state of a service: its ports, selector and how it is exposed.",
};

static const struct sch_field service_port_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the port, a DNS label; needed when there are several ports." },
	{ "protocol", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "TCP (the default), UDP or SCTP." },
	{ "appProtocol", 6, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Application protocol of the port, such as kubernetes.io/h2c." },
	{ "port", 3, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port the service listens on." },
	{ "targetPort", 4, SK_INT_OR_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Port number or name on the pods; defaults to port." },
	{ "nodePort", 5, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Port on every node, for NodePort and LoadBalancer services." },
};
const struct sch_type sch_core_ServicePort = {
	.name = "io.k8s.api.core.v1.ServicePort",
	.fields = service_port_fields,
	.nfields = ARRAY_SIZE(service_port_fields),
	.doc = "One port of a service.",
};

static const struct sch_field service_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Service." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ServiceSpec,
	  "The desired service." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ServiceStatus,
	  "The observed state of the service." },
};
const struct sch_type sch_core_Service = {
	.name = "io.k8s.api.core.v1.Service",
	.fields = service_fields,
	.nfields = ARRAY_SIZE(service_fields),
	.doc = "A stable virtual address and name in front of a set of pods.",
};

static const struct sch_field service_account_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ServiceAccount." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "secrets", 2, SK_OBJECT, SL_MAP, 0, "name", NULL, &sch_core_ObjectReference,
	  "Secrets pods running as this account may use (enforced only with an annotation)." },
	{ "imagePullSecrets", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_LocalObjectReference,
	  "Secrets added to the image pull secrets of pods running as this account." },
	{ "automountServiceAccountToken", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether pods mount a token of this account by default." },
};
const struct sch_type sch_core_ServiceAccount = {
	.name = "io.k8s.api.core.v1.ServiceAccount",
	.fields = service_account_fields,
	.nfields = ARRAY_SIZE(service_account_fields),
	.doc = "An identity for processes running in pods.",
};

static const struct sch_field endpoints_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Endpoints." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "subsets", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_EndpointSubset,
	  "Groups of addresses sharing a set of ports." },
};
const struct sch_type sch_core_Endpoints = {
	.name = "io.k8s.api.core.v1.Endpoints",
	.fields = endpoints_fields,
	.nfields = ARRAY_SIZE(endpoints_fields),
	.doc = "Deprecated in favour of EndpointSlice: the addresses and ports behind a service.",
};

static const struct sch_field endpoint_subset_fields[] = {
	{ "addresses", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_EndpointAddress,
	  "Ready addresses." },
	{ "notReadyAddresses", 2, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_EndpointAddress,
	  "Addresses not ready to serve." },
	{ "ports", 3, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_EndpointPort,
	  "Ports served on every address." },
};
const struct sch_type sch_core_EndpointSubset = {
	.name = "io.k8s.api.core.v1.EndpointSubset",
	.fields = endpoint_subset_fields,
	.nfields = ARRAY_SIZE(endpoint_subset_fields),
	.doc = "Addresses that all serve the same ports.",
};

static const struct sch_field endpoint_address_fields[] = {
	{ "ip", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The IP address." },
	{ "hostname", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Host name of the endpoint." },
	{ "nodeName", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Node hosting the endpoint." },
	{ "targetRef", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "Object (usually a pod) providing the endpoint." },
};
const struct sch_type sch_core_EndpointAddress = {
	.name = "io.k8s.api.core.v1.EndpointAddress",
	.fields = endpoint_address_fields,
	.nfields = ARRAY_SIZE(endpoint_address_fields),
	.flags = ST_ATOMIC,
	.doc = "One endpoint IP address.",
};

static const struct sch_field endpoint_port_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the port, matching the service port's name." },
	{ "port", 2, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port number." },
	{ "protocol", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "TCP (the default), UDP or SCTP." },
	{ "appProtocol", 4, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Application protocol of the port." },
};
const struct sch_type sch_core_EndpointPort = {
	.name = "io.k8s.api.core.v1.EndpointPort",
	.fields = endpoint_port_fields,
	.nfields = ARRAY_SIZE(endpoint_port_fields),
	.flags = ST_ATOMIC,
	.doc = "One port of an endpoint subset.",
};

static const struct sch_field node_spec_fields[] = {
	{ "podCIDR", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Pod IP range assigned to the node." },
	{ "podCIDRs", 7, SK_STRING, SL_SET, 0, NULL, NULL, NULL,
	  "Pod IP ranges of the node, at most one per family; the first matches podCIDR." },
	{ "providerID", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "ID of the node at the cloud provider, as provider://id." },
	{ "unschedulable", 4, SK_BOOL, SL_NONE, 0, NULL, NULL, NULL,
	  "Keep new pods from being scheduled on the node." },
	{ "taints", 5, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_Taint,
	  "Taints of the node." },
	{ "configSource", 6, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeConfigSource,
	  "Deprecated: source of dynamic kubelet configuration (removed feature)." },
	{ "externalID", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Deprecated: no longer used." },
};
const struct sch_type sch_core_NodeSpec = {
	.name = "io.k8s.api.core.v1.NodeSpec",
	.fields = node_spec_fields,
	.nfields = ARRAY_SIZE(node_spec_fields),
	.doc = "The desired configuration of a node.",
};

static const struct sch_field node_config_source_fields[] = {
	{ "configMap", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ConfigMapNodeConfigSource,
	  "A ConfigMap holding the configuration." },
};
const struct sch_type sch_core_NodeConfigSource = {
	.name = "io.k8s.api.core.v1.NodeConfigSource",
	.fields = node_config_source_fields,
	.nfields = ARRAY_SIZE(node_config_source_fields),
	.doc = "Deprecated: source of a node's dynamic configuration.",
};

static const struct sch_field config_map_node_config_source_fields[] = {
	{ "namespace", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Namespace of the ConfigMap." },
	{ "name", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the ConfigMap." },
	{ "uid", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "UID of the ConfigMap; only in node status." },
	{ "resourceVersion", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "resourceVersion of the ConfigMap; only in node status." },
	{ "kubeletConfigKey", 5, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Key of the ConfigMap holding the kubelet configuration." },
};
const struct sch_type sch_core_ConfigMapNodeConfigSource = {
	.name = "io.k8s.api.core.v1.ConfigMapNodeConfigSource",
	.fields = config_map_node_config_source_fields,
	.nfields = ARRAY_SIZE(config_map_node_config_source_fields),
	.doc = "Deprecated: a ConfigMap used as a node's configuration.",
};

static const struct sch_field daemon_endpoint_fields[] = {
	{ "Port", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port number (the JSON name is capitalised for compatibility)." },
};
const struct sch_type sch_core_DaemonEndpoint = {
	.name = "io.k8s.api.core.v1.DaemonEndpoint",
	.fields = daemon_endpoint_fields,
	.nfields = ARRAY_SIZE(daemon_endpoint_fields),
	.doc = "A port a node daemon listens on.",
};

static const struct sch_field node_daemon_endpoints_fields[] = {
	{ "kubeletEndpoint", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_DaemonEndpoint,
	  "Port the kubelet listens on." },
};
const struct sch_type sch_core_NodeDaemonEndpoints = {
	.name = "io.k8s.api.core.v1.NodeDaemonEndpoints",
	.fields = node_daemon_endpoints_fields,
	.nfields = ARRAY_SIZE(node_daemon_endpoints_fields),
	.doc = "Ports of the daemons running on a node.",
};

static const struct sch_field node_runtime_handler_features_fields[] = {
	{ "recursiveReadOnlyMounts", 1, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether recursive read-only mounts are supported." },
	{ "userNamespaces", 2, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether user namespaces (including for volumes) are supported." },
};
const struct sch_type sch_core_NodeRuntimeHandlerFeatures = {
	.name = "io.k8s.api.core.v1.NodeRuntimeHandlerFeatures",
	.fields = node_runtime_handler_features_fields,
	.nfields = ARRAY_SIZE(node_runtime_handler_features_fields),
	.doc = "Features a container runtime handler supports.",
};

static const struct sch_field node_runtime_handler_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the handler; empty for the default one." },
	{ "features", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeRuntimeHandlerFeatures,
	  "Features the handler supports." },
};
const struct sch_type sch_core_NodeRuntimeHandler = {
	.name = "io.k8s.api.core.v1.NodeRuntimeHandler",
	.fields = node_runtime_handler_fields,
	.nfields = ARRAY_SIZE(node_runtime_handler_fields),
	.doc = "A runtime handler available on a node.",
};

static const struct sch_field node_features_fields[] = {
	{ "supplementalGroupsPolicy", 1, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether supplementalGroupsPolicy and container user reporting are supported." },
};
const struct sch_type sch_core_NodeFeatures = {
	.name = "io.k8s.api.core.v1.NodeFeatures",
	.fields = node_features_fields,
	.nfields = ARRAY_SIZE(node_features_fields),
	.doc = "Features the node's container runtime implements.",
};

static const struct sch_field node_system_info_fields[] = {
	{ "machineID", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Machine ID of the node (see machine-id(5))." },
	{ "systemUUID", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "System UUID of the node." },
	{ "bootID", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Boot ID of the node." },
	{ "kernelVersion", 4, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kernel version, as uname -r reports it." },
	{ "osImage", 5, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Operating system image, from /etc/os-release." },
	{ "containerRuntimeVersion", 6, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Container runtime and version, such as containerd://1.7.0." },
	{ "kubeletVersion", 7, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kubelet version." },
	{ "kubeProxyVersion", 8, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Deprecated: kube-proxy version." },
	{ "operatingSystem", 9, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Operating system, such as linux." },
	{ "architecture", 10, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "CPU architecture, such as amd64." },
	{ "swap", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeSwapStatus,
	  "Swap memory of the node." },
};
const struct sch_type sch_core_NodeSystemInfo = {
	.name = "io.k8s.api.core.v1.NodeSystemInfo",
	.fields = node_system_info_fields,
	.nfields = ARRAY_SIZE(node_system_info_fields),
	.doc = "Identifiers and versions reported by a node.",
};

static const struct sch_field node_swap_status_fields[] = {
	{ "capacity", 1, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Total swap in bytes." },
};
const struct sch_type sch_core_NodeSwapStatus = {
	.name = "io.k8s.api.core.v1.NodeSwapStatus",
	.fields = node_swap_status_fields,
	.nfields = ARRAY_SIZE(node_swap_status_fields),
	.doc = "Swap memory of a node.",
};

static const struct sch_field node_config_status_fields[] = {
	{ "assigned", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeConfigSource,
	  "Configuration the node will try to use." },
	{ "active", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeConfigSource,
	  "Configuration the node is using." },
	{ "lastKnownGood", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeConfigSource,
	  "Configuration the node falls back to on errors." },
	{ "error", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Problems applying the configuration." },
};
const struct sch_type sch_core_NodeConfigStatus = {
	.name = "io.k8s.api.core.v1.NodeConfigStatus",
	.fields = node_config_status_fields,
	.nfields = ARRAY_SIZE(node_config_status_fields),
	.doc = "Deprecated: state of a node's dynamic configuration.",
};

static const struct sch_field node_status_fields[] = {
	{ "capacity", 1, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Total resources of the node." },
	{ "allocatable", 2, SK_QUANTITY, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Resources of the node available to pods; defaults to capacity." },
	{ "phase", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Deprecated and never set." },
	{ "conditions", 4, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_core_NodeCondition,
	  "Observed conditions, such as Ready or MemoryPressure." },
	{ "addresses", 5, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_core_NodeAddress,
	  "Addresses of the node; replace the whole list when patching." },
	{ "daemonEndpoints", 6, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeDaemonEndpoints,
	  "Ports of the daemons on the node." },
	{ "nodeInfo", 7, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeSystemInfo,
	  "Identifiers and versions reported by the node." },
	{ "images", 8, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_ContainerImage,
	  "Container images present on the node." },
	{ "volumesInUse", 9, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Attachable volumes mounted on the node." },
	{ "volumesAttached", 10, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_AttachedVolume,
	  "Volumes attached to the node." },
	{ "config", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeConfigStatus,
	  "Deprecated: state of dynamic kubelet configuration." },
	{ "runtimeHandlers", 12, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_NodeRuntimeHandler,
	  "Runtime handlers available on the node." },
	{ "features", 13, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeFeatures,
	  "Features the container runtime implements." },
};
const struct sch_type sch_core_NodeStatus = {
	.name = "io.k8s.api.core.v1.NodeStatus",
	.fields = node_status_fields,
	.nfields = ARRAY_SIZE(node_status_fields),
	.doc = "Observed state of a node.",
};

static const struct sch_field attached_volume_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Unique name of the volume." },
	{ "devicePath", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Device path where the volume is available." },
};
const struct sch_type sch_core_AttachedVolume = {
	.name = "io.k8s.api.core.v1.AttachedVolume",
	.fields = attached_volume_fields,
	.nfields = ARRAY_SIZE(attached_volume_fields),
	.doc = "A volume attached to a node.",
};

static const struct sch_field container_image_fields[] = {
	{ "names", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Names the image is known by." },
	{ "sizeBytes", 2, SK_INT64, SL_NONE, 0, NULL, NULL, NULL,
	  "Size of the image in bytes." },
};
const struct sch_type sch_core_ContainerImage = {
	.name = "io.k8s.api.core.v1.ContainerImage",
	.fields = container_image_fields,
	.nfields = ARRAY_SIZE(container_image_fields),
	.doc = "A container image present on a node.",
};

static const struct sch_field node_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition, such as Ready, MemoryPressure or DiskPressure." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastHeartbeatTime", 3, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the condition was last reported." },
	{ "lastTransitionTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_core_NodeCondition = {
	.name = "io.k8s.api.core.v1.NodeCondition",
	.fields = node_condition_fields,
	.nfields = ARRAY_SIZE(node_condition_fields),
	.doc = "One observed condition of a node, such as Ready.",
};

static const struct sch_field node_address_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS." },
	{ "address", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "The address." },
};
const struct sch_type sch_core_NodeAddress = {
	.name = "io.k8s.api.core.v1.NodeAddress",
	.fields = node_address_fields,
	.nfields = ARRAY_SIZE(node_address_fields),
	.doc = "One address of a node.",
};

static const struct sch_field node_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Node." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeSpec,
	  "The desired configuration of the node." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NodeStatus,
	  "The observed state of the node." },
};
const struct sch_type sch_core_Node = {
	.name = "io.k8s.api.core.v1.Node",
	.fields = node_fields,
	.nfields = ARRAY_SIZE(node_fields),
	.doc = "A machine that runs pods.",
};

static const struct sch_field namespace_spec_fields[] = {
	{ "finalizers", 1, SK_STRING, SL_ATOMIC, 0, NULL, NULL, NULL,
	  "Finalizers that must be cleared before the namespace is removed." },
};
const struct sch_type sch_core_NamespaceSpec = {
	.name = "io.k8s.api.core.v1.NamespaceSpec",
	.fields = namespace_spec_fields,
	.nfields = ARRAY_SIZE(namespace_spec_fields),
	.doc = "The desired state of a namespace.",
};

static const struct sch_field namespace_status_fields[] = {
	{ "phase", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Active or Terminating." },
	{ "conditions", 2, SK_OBJECT, SL_MAP, 0, "type", NULL, &sch_core_NamespaceCondition,
	  "Observed conditions of the namespace." },
};
const struct sch_type sch_core_NamespaceStatus = {
	.name = "io.k8s.api.core.v1.NamespaceStatus",
	.fields = namespace_status_fields,
	.nfields = ARRAY_SIZE(namespace_status_fields),
	.doc = "Observed state of a namespace.",
};

static const struct sch_field namespace_condition_fields[] = {
	{ "type", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Type of the condition, such as NamespaceContentRemaining." },
	{ "status", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "True, False or Unknown." },
	{ "lastTransitionTime", 4, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the status last changed." },
	{ "reason", 5, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Machine-readable reason for the last transition." },
	{ "message", 6, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable details of the last transition." },
};
const struct sch_type sch_core_NamespaceCondition = {
	.name = "io.k8s.api.core.v1.NamespaceCondition",
	.fields = namespace_condition_fields,
	.nfields = ARRAY_SIZE(namespace_condition_fields),
	.doc = "One observed condition of a namespace.",
};

static const struct sch_field namespace_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Namespace." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "spec", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NamespaceSpec,
	  "The desired state of the namespace." },
	{ "status", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_NamespaceStatus,
	  "The observed state of the namespace." },
};
const struct sch_type sch_core_Namespace = {
	.name = "io.k8s.api.core.v1.Namespace",
	.fields = namespace_fields,
	.nfields = ARRAY_SIZE(namespace_fields),
	.doc = "A scope for the names of namespaced objects.",
};

static const struct sch_field local_object_reference_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Name of the object." },
};
const struct sch_type sch_core_LocalObjectReference = {
	.name = "io.k8s.api.core.v1.LocalObjectReference",
	.fields = local_object_reference_fields,
	.nfields = ARRAY_SIZE(local_object_reference_fields),
	.flags = ST_ATOMIC,
	.doc = "Refers to an object in the same namespace by name.",
};

static const struct sch_field typed_local_object_reference_fields[] = {
	{ "apiGroup", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "API group of the object; empty for the core group." },
	{ "kind", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Kind of the object." },
	{ "name", 3, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the object." },
};
const struct sch_type sch_core_TypedLocalObjectReference = {
	.name = "io.k8s.api.core.v1.TypedLocalObjectReference",
	.fields = typed_local_object_reference_fields,
	.nfields = ARRAY_SIZE(typed_local_object_reference_fields),
	.flags = ST_ATOMIC,
	.doc = "Refers to an object in the same namespace by group, kind and name.",
};

static const struct sch_field event_source_fields[] = {
	{ "component", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Component that generated the event." },
	{ "host", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Node the event was generated on." },
};
const struct sch_type sch_core_EventSource = {
	.name = "io.k8s.api.core.v1.EventSource",
	.fields = event_source_fields,
	.nfields = ARRAY_SIZE(event_source_fields),
	.doc = "The component that reported an event.",
};

static const struct sch_field event_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Event." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "involvedObject", 2, SK_OBJECT, SL_NONE, SF_REQUIRED, NULL, NULL, &sch_core_ObjectReference,
	  "The object the event is about." },
	{ "reason", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Short machine-readable reason for the event." },
	{ "message", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Human-readable description of the event." },
	{ "source", 5, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_EventSource,
	  "Component that reported the event." },
	{ "firstTimestamp", 6, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the event was first recorded." },
	{ "lastTimestamp", 7, SK_TIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the event was most recently recorded." },
	{ "count", 8, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of times the event occurred." },
	{ "type", 9, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Normal or Warning." },
	{ "eventTime", 10, SK_MICROTIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the event was first observed, with microseconds." },
	{ "series", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_EventSeries,
	  "The series this event belongs to, if it repeats." },
	{ "action", 12, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "What was done (or failed) to the object." },
	{ "related", 13, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectReference,
	  "A secondary object involved in the action." },
	{ "reportingComponent", 14, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Controller that emitted the event, such as kubernetes.io/kubelet." },
	{ "reportingInstance", 15, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Instance of that controller, such as kubelet-node1." },
};
const struct sch_type sch_core_Event = {
	.name = "io.k8s.api.core.v1.Event",
	.fields = event_fields,
	.nfields = ARRAY_SIZE(event_fields),
	.doc = "A report of something that happened in the cluster; informative and best-effort.",
};

static const struct sch_field event_series_fields[] = {
	{ "count", 1, SK_INT32, SL_NONE, 0, NULL, NULL, NULL,
	  "Number of occurrences so far." },
	{ "lastObservedTime", 2, SK_MICROTIME, SL_NONE, 0, NULL, NULL, NULL,
	  "When the last occurrence was observed." },
};
const struct sch_type sch_core_EventSeries = {
	.name = "io.k8s.api.core.v1.EventSeries",
	.fields = event_series_fields,
	.nfields = ARRAY_SIZE(event_series_fields),
	.doc = "A series of repeated occurrences of an event.",
};

static const struct sch_field secret_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: Secret." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "immutable", 5, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "When true, data can no longer be changed (only metadata)." },
	{ "data", 2, SK_BYTES, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "The secret data, each value base64-encoded in JSON." },
	{ "stringData", 4, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Write-only convenience input: string values merged into data on write." },
	{ "type", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Type of the secret, such as Opaque or kubernetes.io/tls." },
};
const struct sch_type sch_core_Secret = {
	.name = "io.k8s.api.core.v1.Secret",
	.fields = secret_fields,
	.nfields = ARRAY_SIZE(secret_fields),
	.doc = "Holds a small amount of sensitive data, such as a password, token or key.",
};

static const struct sch_field config_map_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ConfigMap." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ObjectMeta,
	  "Standard object metadata." },
	{ "immutable", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "When true, data can no longer be changed (only metadata)." },
	{ "data", 2, SK_STRING, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "UTF-8 configuration values by key." },
	{ "binaryData", 3, SK_BYTES, SL_NONE, SF_MAP, NULL, NULL, NULL,
	  "Binary values by key, base64-encoded in JSON; keys may not repeat those of data." },
};
const struct sch_type sch_core_ConfigMap = {
	.name = "io.k8s.api.core.v1.ConfigMap",
	.fields = config_map_fields,
	.nfields = ARRAY_SIZE(config_map_fields),
	.doc = "Holds non-confidential configuration data as key/value pairs.",
};

static const struct sch_field downward_api_volume_source_fields[] = {
	{ "items", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_DownwardAPIVolumeFile,
	  "The files to create." },
	{ "defaultMode", 2, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Permission bits for the created files (0000-0777); defaults to 0644." },
};
const struct sch_type sch_core_DownwardAPIVolumeSource = {
	.name = "io.k8s.api.core.v1.DownwardAPIVolumeSource",
	.fields = downward_api_volume_source_fields,
	.nfields = ARRAY_SIZE(downward_api_volume_source_fields),
	.doc = "Files exposing fields and resources of the pod itself.",
};

static const struct sch_field downward_api_volume_file_fields[] = {
	{ "path", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Relative path of the file; may not contain '..'." },
	{ "fieldRef", 2, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ObjectFieldSelector,
	  "Pod field to write: annotations, labels, name, namespace or uid." },
	{ "resourceFieldRef", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_ResourceFieldSelector,
	  "Container resource limit or request to write." },
	{ "mode", 4, SK_INT32, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Permission bits for this file; defaults to the volume's defaultMode." },
};
const struct sch_type sch_core_DownwardAPIVolumeFile = {
	.name = "io.k8s.api.core.v1.DownwardAPIVolumeFile",
	.fields = downward_api_volume_file_fields,
	.nfields = ARRAY_SIZE(downward_api_volume_file_fields),
	.doc = "One file of a downward API volume.",
};

static const struct sch_field downward_api_projection_fields[] = {
	{ "items", 1, SK_OBJECT, SL_ATOMIC, 0, NULL, NULL, &sch_core_DownwardAPIVolumeFile,
	  "The files to create." },
};
const struct sch_type sch_core_DownwardAPIProjection = {
	.name = "io.k8s.api.core.v1.DownwardAPIProjection",
	.fields = downward_api_projection_fields,
	.nfields = ARRAY_SIZE(downward_api_projection_fields),
	.doc = "Downward API files within a projected volume.",
};

static const struct sch_field security_context_fields[] = {
	{ "capabilities", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_Capabilities,
	  "POSIX capabilities to add or drop." },
	{ "privileged", 2, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Run privileged, with nearly the powers of root on the node." },
	{ "seLinuxOptions", 3, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SELinuxOptions,
	  "SELinux context of the container." },
	{ "windowsOptions", 10, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_WindowsSecurityContextOptions,
	  "Windows-specific settings." },
	{ "runAsUser", 4, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "UID to run the entrypoint as." },
	{ "runAsGroup", 8, SK_INT64, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "GID to run the entrypoint as." },
	{ "runAsNonRoot", 5, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Refuse to start the container if its user is root." },
	{ "readOnlyRootFilesystem", 6, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Mount the root filesystem read-only." },
	{ "allowPrivilegeEscalation", 7, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Whether a process may gain more privileges than its parent (no_new_privs)." },
	{ "procMount", 9, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Default or Unmasked: how /proc is masked." },
	{ "seccompProfile", 11, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_SeccompProfile,
	  "Seccomp profile of the container." },
	{ "appArmorProfile", 12, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_core_AppArmorProfile,
	  "AppArmor profile of the container." },
};
const struct sch_type sch_core_SecurityContext = {
	.name = "io.k8s.api.core.v1.SecurityContext",
	.fields = security_context_fields,
	.nfields = ARRAY_SIZE(security_context_fields),
	.doc = "Security options of a container; they override the pod's.",
};

static const struct sch_field se_linux_options_fields[] = {
	{ "user", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "SELinux user label." },
	{ "role", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "SELinux role label." },
	{ "type", 3, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "SELinux type label." },
	{ "level", 4, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "SELinux level label." },
};
const struct sch_type sch_core_SELinuxOptions = {
	.name = "io.k8s.api.core.v1.SELinuxOptions",
	.fields = se_linux_options_fields,
	.nfields = ARRAY_SIZE(se_linux_options_fields),
	.doc = "SELinux labels applied to a container.",
};

static const struct sch_field windows_security_context_options_fields[] = {
	{ "gmsaCredentialSpecName", 1, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the GMSA credential spec to use." },
	{ "gmsaCredentialSpec", 2, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Contents of the GMSA credential spec, filled in by a webhook." },
	{ "runAsUserName", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Windows user name to run the entrypoint as." },
	{ "hostProcess", 4, SK_BOOL, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Run as a Windows host process container." },
};
const struct sch_type sch_core_WindowsSecurityContextOptions = {
	.name = "io.k8s.api.core.v1.WindowsSecurityContextOptions",
	.fields = windows_security_context_options_fields,
	.nfields = ARRAY_SIZE(windows_security_context_options_fields),
	.doc = "Windows-specific security options.",
};

static const struct sch_field sysctl_fields[] = {
	{ "name", 1, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Name of the parameter." },
	{ "value", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Value to set." },
};
const struct sch_type sch_core_Sysctl = {
	.name = "io.k8s.api.core.v1.Sysctl",
	.fields = sysctl_fields,
	.nfields = ARRAY_SIZE(sysctl_fields),
	.doc = "A kernel parameter to set.",
};

static const struct sch_field port_status_fields[] = {
	{ "port", 1, SK_INT32, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Port number of the service port." },
	{ "protocol", 2, SK_STRING, SL_NONE, SF_REQUIRED | SF_KEEP_ZERO, NULL, NULL, NULL,
	  "TCP, UDP or SCTP." },
	{ "error", 3, SK_STRING, SL_NONE, SF_KEEP_ZERO, NULL, NULL, NULL,
	  "Problem with the port, as a CamelCase error name." },
};
const struct sch_type sch_core_PortStatus = {
	.name = "io.k8s.api.core.v1.PortStatus",
	.fields = port_status_fields,
	.nfields = ARRAY_SIZE(port_status_fields),
	.doc = "State of one service port on a load balancer.",
};

static const struct sch_field image_volume_source_fields[] = {
	{ "reference", 1, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Image or artifact reference, as for a container image." },
	{ "pullPolicy", 2, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Always, Never or IfNotPresent." },
};
const struct sch_type sch_core_ImageVolumeSource = {
	.name = "io.k8s.api.core.v1.ImageVolumeSource",
	.fields = image_volume_source_fields,
	.nfields = ARRAY_SIZE(image_volume_source_fields),
	.doc = "An OCI image or artifact mounted as a read-only volume.",
};

static const struct sch_field namespace_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: NamespaceList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Namespace,
	  "The Namespace objects." },
};
const struct sch_type sch_core_NamespaceList = {
	.name = "io.k8s.api.core.v1.NamespaceList",
	.fields = namespace_list_fields,
	.nfields = ARRAY_SIZE(namespace_list_fields),
	.doc = "A list of Namespace objects.",
};

static const struct sch_field pod_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: PodList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Pod,
	  "The Pod objects." },
};
const struct sch_type sch_core_PodList = {
	.name = "io.k8s.api.core.v1.PodList",
	.fields = pod_list_fields,
	.nfields = ARRAY_SIZE(pod_list_fields),
	.doc = "A list of Pod objects.",
};

static const struct sch_field node_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: NodeList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Node,
	  "The Node objects." },
};
const struct sch_type sch_core_NodeList = {
	.name = "io.k8s.api.core.v1.NodeList",
	.fields = node_list_fields,
	.nfields = ARRAY_SIZE(node_list_fields),
	.doc = "A list of Node objects.",
};

static const struct sch_field service_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ServiceList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Service,
	  "List of services." },
};
const struct sch_type sch_core_ServiceList = {
	.name = "io.k8s.api.core.v1.ServiceList",
	.fields = service_list_fields,
	.nfields = ARRAY_SIZE(service_list_fields),
	.doc = "A list of Service objects.",
};

static const struct sch_field endpoints_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: EndpointsList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Endpoints,
	  "The Endpoints objects." },
};
const struct sch_type sch_core_EndpointsList = {
	.name = "io.k8s.api.core.v1.EndpointsList",
	.fields = endpoints_list_fields,
	.nfields = ARRAY_SIZE(endpoints_list_fields),
	.doc = "A list of Endpoints objects.",
};

static const struct sch_field config_map_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ConfigMapList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_ConfigMap,
	  "The ConfigMap objects." },
};
const struct sch_type sch_core_ConfigMapList = {
	.name = "io.k8s.api.core.v1.ConfigMapList",
	.fields = config_map_list_fields,
	.nfields = ARRAY_SIZE(config_map_list_fields),
	.doc = "A list of ConfigMap objects.",
};

static const struct sch_field secret_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: SecretList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Secret,
	  "The Secret objects." },
};
const struct sch_type sch_core_SecretList = {
	.name = "io.k8s.api.core.v1.SecretList",
	.fields = secret_list_fields,
	.nfields = ARRAY_SIZE(secret_list_fields),
	.doc = "A list of Secret objects.",
};

static const struct sch_field service_account_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: ServiceAccountList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_ServiceAccount,
	  "The ServiceAccount objects." },
};
const struct sch_type sch_core_ServiceAccountList = {
	.name = "io.k8s.api.core.v1.ServiceAccountList",
	.fields = service_account_list_fields,
	.nfields = ARRAY_SIZE(service_account_list_fields),
	.doc = "A list of ServiceAccount objects.",
};

static const struct sch_field event_list_fields[] = {
	{ "apiVersion", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "API version of this representation." },
	{ "kind", 0, SK_STRING, SL_NONE, 0, NULL, NULL, NULL,
	  "Kind of this object: EventList." },
	{ "metadata", 1, SK_OBJECT, SL_NONE, 0, NULL, NULL, &sch_meta_ListMeta,
	  "Standard list metadata." },
	{ "items", 2, SK_OBJECT, SL_ATOMIC, SF_REQUIRED, NULL, NULL, &sch_core_Event,
	  "The Event objects." },
};
const struct sch_type sch_core_EventList = {
	.name = "io.k8s.api.core.v1.EventList",
	.fields = event_list_fields,
	.nfields = ARRAY_SIZE(event_list_fields),
	.doc = "A list of Event objects.",
};
