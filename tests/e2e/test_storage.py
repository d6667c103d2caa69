"""The storage kinds through the real kubectl and the Python client: PodTemplates,
PersistentVolumes and PersistentVolumeClaims (phases, binding, protection finalizers) and
StorageClasses (the default class), with upstream's printer columns, short names and
validation messages."""
import json
import textwrap

from conftest import wait_for


def create(kubectl, tmp_path, name, text, check=True):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return kubectl.run("create", "-f", str(path), check=check)


PV = """\
    apiVersion: v1
    kind: PersistentVolume
    metadata:
      name: {name}
      labels: {{tier: {tier}}}
    spec:
      capacity: {{storage: {size}}}
      accessModes: [ReadWriteOnce]
      hostPath: {{path: /data/{name}}}
    """

PVC = """\
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata:
      name: {name}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {{requests: {{storage: {size}}}}}
    """


def get(kubectl, *args):
    return json.loads(kubectl("get", *args, "-o", "json"))


def test_podtemplate(kubectl, tmp_path):
    create(kubectl, tmp_path, "pt.yaml", """\
        apiVersion: v1
        kind: PodTemplate
        metadata: {name: web}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: nginx, image: nginx}]
        """)
    out = kubectl("get", "podtemplates")
    assert out.split("\n")[0].split() == ["NAME", "CONTAINERS", "IMAGES", "POD", "LABELS"]
    assert out.split("\n")[1].split() == ["web", "nginx", "nginx", "app=web"]
    pt = get(kubectl, "podtemplate", "web")
    assert pt["template"]["spec"]["restartPolicy"] == "Always"  # the pod template's defaults
    r = create(kubectl, tmp_path, "bad.yaml", """\
        apiVersion: v1
        kind: PodTemplate
        metadata: {name: bad}
        template:
          spec:
            containers: [{name: c}]
        """, check=False)
    assert r.returncode != 0 and "template.spec.containers[0].image: Required value" in r.stderr


def test_volume_phases_binding_and_protection(kubectl, tmp_path):
    create(kubectl, tmp_path, "pv1.yaml", PV.format(name="small", tier="a", size="1Gi"))
    create(kubectl, tmp_path, "pv2.yaml", PV.format(name="big", tier="a", size="10Gi"))
    wait_for(lambda: get(kubectl, "pv", "small")["status"]["phase"] == "Available", what="pv Available")
    pv = get(kubectl, "pv", "small")
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain" and pv["spec"]["volumeMode"] == "Filesystem"
    assert pv["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    header = kubectl("get", "pv").split("\n")[0].split()
    assert header[:7] == ["NAME", "CAPACITY", "ACCESS", "MODES", "RECLAIM", "POLICY", "STATUS"]
    # a claim of 2Gi binds to the smallest volume that fits: big
    create(kubectl, tmp_path, "c.yaml", PVC.format(name="claim", size="2Gi"))
    wait_for(lambda: get(kubectl, "pvc", "claim")["status"].get("phase") == "Bound", what="claim Bound")
    claim = get(kubectl, "pvc", "claim")
    assert claim["spec"]["volumeName"] == "big"
    assert claim["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert claim["status"]["capacity"] == {"storage": "10Gi"} and claim["status"]["accessModes"] == ["ReadWriteOnce"]
    wait_for(lambda: get(kubectl, "pv", "big")["status"]["phase"] == "Bound", what="pv Bound")
    assert get(kubectl, "pv", "big")["spec"]["claimRef"]["name"] == "claim"
    row = kubectl("get", "pvc", "claim", "--no-headers").split()
    assert row[:5] == ["claim", "Bound", "big", "10Gi", "RWO"]
    # deleting the claim: the protection finalizer goes (no pod uses it), the volume is Released
    kubectl("delete", "pvc", "claim", "--timeout=20s")
    wait_for(lambda: get(kubectl, "pv", "big")["status"]["phase"] == "Released", what="pv Released")
    kubectl("delete", "pv", "big", "small", "--timeout=20s")
    assert get(kubectl, "pv")["items"] == []


def test_claim_in_use_keeps_its_finalizer(kubectl, tmp_path):
    create(kubectl, tmp_path, "c.yaml", PVC.format(name="used", size="1Gi"))
    create(kubectl, tmp_path, "pod.yaml", """\
        apiVersion: v1
        kind: Pod
        metadata: {name: user}
        spec:
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, persistentVolumeClaim: {claimName: used}}]
        """)
    kubectl("delete", "pvc", "used", "--wait=false")
    wait_for(lambda: "deletionTimestamp" in get(kubectl, "pvc", "used")["metadata"], what="claim deleting")
    assert get(kubectl, "pvc", "used")["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert kubectl("get", "pvc", "used", "--no-headers").split()[1] == "Terminating"
    kubectl("delete", "pod", "user", "--grace-period=0", "--force")
    wait_for(lambda: kubectl.run("get", "pvc", "used", check=False).returncode != 0, what="claim gone")


def test_storageclass_default_and_validation(kubectl, tmp_path):
    create(kubectl, tmp_path, "sc.yaml", """\
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: fast
          annotations: {storageclass.kubernetes.io/is-default-class: "true"}
        provisioner: example.com/fast
        parameters: {type: ssd}
        """)
    out = kubectl("get", "sc").split("\n")
    assert out[0].split() == ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]
    assert out[1].split()[:6] == ["fast", "(default)", "example.com/fast", "Delete", "Immediate", "false"]
    # DefaultStorageClass admission names the default class on a claim without one
    create(kubectl, tmp_path, "c.yaml", PVC.format(name="c", size="1Gi"))
    assert get(kubectl, "pvc", "c")["spec"]["storageClassName"] == "fast"
    r = kubectl.run("patch", "sc", "fast", "-p", '{"parameters":{"type":"hdd"}}', check=False)
    assert r.returncode != 0 and "parameters: Forbidden: updates to parameters are forbidden." in r.stderr
    r = create(kubectl, tmp_path, "bad.yaml", """\
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: bad}
        provisioner: ""
        reclaimPolicy: Keep
        """, check=False)
    assert "provisioner: Required value" in r.stderr
    assert 'reclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain"' in r.stderr


def test_invalid_volume_and_claim(kubectl, tmp_path):
    r = create(kubectl, tmp_path, "pv.yaml", """\
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: bad}
        spec:
          capacity: {storage: 1Gi}
        """, check=False)
    assert "spec.accessModes: Required value: at least 1 access mode is required" in r.stderr
    assert "spec: Required value: must specify a volume type" in r.stderr
    r = create(kubectl, tmp_path, "pvc.yaml", """\
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: bad}
        spec:
          accessModes: [ReadWriteOnce]
        """, check=False)
    assert "spec.resources[storage]: Required value" in r.stderr


def test_python_client(client):
    from kubernetes import client as k8s
    core, storage = k8s.CoreV1Api(client), k8s.StorageV1Api(client)
    storage.create_storage_class(k8s.V1StorageClass(metadata=k8s.V1ObjectMeta(name="slow"),
                                                    provisioner="example.com/slow"))
    assert [s.metadata.name for s in storage.list_storage_class().items] == ["slow"]
    core.create_persistent_volume(k8s.V1PersistentVolume(
        metadata=k8s.V1ObjectMeta(name="v"),
        spec=k8s.V1PersistentVolumeSpec(capacity={"storage": "1Gi"}, access_modes=["ReadWriteOnce"],
                                        storage_class_name="slow", nfs=k8s.V1NFSVolumeSource(server="10.0.0.1", path="/x"))))
    core.create_namespaced_persistent_volume_claim("default", k8s.V1PersistentVolumeClaim(
        metadata=k8s.V1ObjectMeta(name="c"),
        spec=k8s.V1PersistentVolumeClaimSpec(access_modes=["ReadWriteOnce"], storage_class_name="slow",
                                             resources=k8s.V1ResourceRequirements(requests={"storage": "500Mi"}))))
    wait_for(lambda: core.read_namespaced_persistent_volume_claim("c", "default").status.phase == "Bound",
             what="claim Bound")
    assert core.read_persistent_volume("v").status.phase in ("Bound", "Available")
    wait_for(lambda: core.read_persistent_volume("v").status.phase == "Bound", what="pv Bound")
    core.create_namespaced_pod_template("default", k8s.V1PodTemplate(
        metadata=k8s.V1ObjectMeta(name="t"),
        template=k8s.V1PodTemplateSpec(spec=k8s.V1PodSpec(containers=[k8s.V1Container(name="c", image="busybox")]))))
    assert core.read_namespaced_pod_template("t", "default").template.spec.containers[0].image == "busybox"
