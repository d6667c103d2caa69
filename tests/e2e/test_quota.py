"""LimitRanges and ResourceQuotas through the real kubectl and the Python client: LimitRanger
defaulting and refusing pods outside min/max, the quota controller's status, and the
ResourceQuota admission refusing creates beyond a quota, with upstream's messages."""
import json
import textwrap

from conftest import wait_for


def create(kubectl, tmp_path, name, text, check=True):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return kubectl.run("create", "-f", str(path), check=check)


POD = """\
    apiVersion: v1
    kind: Pod
    metadata: {{name: {name}}}
    spec:
      containers:
      - name: c
        image: busybox
        {resources}
    """


def test_limitrange_defaults_and_bounds(kubectl, tmp_path):
    create(kubectl, tmp_path, "lr.yaml", """\
        apiVersion: v1
        kind: LimitRange
        metadata: {name: limits}
        spec:
          limits:
          - type: Container
            max: {cpu: "1", memory: 1Gi}
            min: {cpu: 100m}
            default: {cpu: 500m}
        """)
    lr = json.loads(kubectl("get", "limits", "limits", "-o", "json"))
    item = lr["spec"]["limits"][0]
    assert item["default"] == {"cpu": "500m", "memory": "1Gi"}  # memory from max
    assert item["defaultRequest"] == {"cpu": "500m", "memory": "1Gi"}  # from default
    assert kubectl("get", "limitranges").split("\n")[0].split() == ["NAME", "CREATED", "AT"]
    create(kubectl, tmp_path, "p1.yaml", POD.format(name="p1", resources=""))
    pod = json.loads(kubectl("get", "pod", "p1", "-o", "json"))
    res = pod["spec"]["containers"][0]["resources"]
    assert res == {"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}
    assert pod["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == \
        "LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c"
    r = create(kubectl, tmp_path, "p2.yaml", POD.format(
        name="p2", resources="resources: {limits: {cpu: '2', memory: 100Mi}, requests: {cpu: 50m}}"), check=False)
    assert r.returncode != 0
    assert 'pods "p2" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, ' \
           'maximum cpu usage per Container is 1, but limit is 2]' in r.stderr


def test_limitrange_ratio(kubectl, tmp_path):
    create(kubectl, tmp_path, "lr.yaml", """\
        apiVersion: v1
        kind: LimitRange
        metadata: {name: ratio}
        spec:
          limits:
          - type: Container
            maxLimitRequestRatio: {memory: "2"}
        """)
    r = create(kubectl, tmp_path, "p.yaml", POD.format(
        name="p", resources="resources: {limits: {memory: 300Mi}, requests: {memory: 100Mi}}"), check=False)
    assert 'pods "p" is forbidden: memory max limit to request ratio per Container is 2, ' \
           'but provided ratio is 3.000000' in r.stderr
    create(kubectl, tmp_path, "q.yaml", POD.format(
        name="q", resources="resources: {limits: {memory: 200Mi}, requests: {memory: 100Mi}}"))


def test_limitrange_claims(kubectl, tmp_path):
    create(kubectl, tmp_path, "lr.yaml", """\
        apiVersion: v1
        kind: LimitRange
        metadata: {name: storage}
        spec:
          limits:
          - type: PersistentVolumeClaim
            max: {storage: 2Gi}
            min: {storage: 1Gi}
        """)
    claim = """\
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: %s}}
        """
    r = create(kubectl, tmp_path, "big.yaml", claim % ("big", "5Gi"), check=False)
    assert 'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, ' \
           'but request is 5Gi' in r.stderr
    r = create(kubectl, tmp_path, "small.yaml", claim % ("small", "100Mi"), check=False)
    assert "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 100Mi" in r.stderr


def test_quota_status_and_admission(kubectl, tmp_path):
    kubectl("create", "quota", "q", "--hard=pods=1,configmaps=2,count/deployments.apps=1,requests.cpu=1")
    wait_for(lambda: json.loads(kubectl("get", "quota", "q", "-o", "json")).get("status", {}).get("used"),
             what="quota status")
    q = json.loads(kubectl("get", "quota", "q", "-o", "json"))
    assert q["status"]["hard"] == q["spec"]["hard"]
    assert q["status"]["used"]["pods"] == "0" and q["status"]["used"]["configmaps"] == "1"  # kube-root-ca.crt
    # a pod without a cpu request is refused while requests.cpu is quota'd
    r = create(kubectl, tmp_path, "p0.yaml", POD.format(name="p0", resources=""), check=False)
    assert 'pods "p0" is forbidden: failed quota: q: must specify requests.cpu for: c' in r.stderr
    create(kubectl, tmp_path, "p1.yaml", POD.format(name="p1", resources="resources: {requests: {cpu: 200m}}"))
    wait_for(lambda: json.loads(kubectl("get", "quota", "q", "-o", "json"))["status"]["used"]["pods"] == "1",
             what="pods used 1")
    assert json.loads(kubectl("get", "quota", "q", "-o", "json"))["status"]["used"]["requests.cpu"] == "200m"
    r = create(kubectl, tmp_path, "p2.yaml", POD.format(name="p2", resources="resources: {requests: {cpu: 200m}}"),
               check=False)
    assert 'pods "p2" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1' in r.stderr
    kubectl("create", "deployment", "d", "--image=busybox")
    r = kubectl.run("create", "deployment", "e", "--image=busybox", check=False)
    assert "exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, " \
           "limited: count/deployments.apps=1" in r.stderr
    row = kubectl("get", "quota", "q", "--no-headers")
    assert "configmaps: 1/2" in row and "requests.cpu: 200m/1" in row
    # a deleted pod frees its share
    kubectl("delete", "pod", "p1", "--grace-period=0", "--force")
    wait_for(lambda: json.loads(kubectl("get", "quota", "q", "-o", "json"))["status"]["used"]["pods"] == "0",
             what="pods used 0")


def test_quota_scopes(kubectl, tmp_path):
    # a BestEffort quota counts only pods without requests or limits
    kubectl("create", "quota", "be", "--hard=pods=1", "--scopes=BestEffort")
    create(kubectl, tmp_path, "p1.yaml", POD.format(name="guaranteed",
                                                    resources="resources: {limits: {cpu: 100m, memory: 10Mi}}"))
    create(kubectl, tmp_path, "p2.yaml", POD.format(name="be1", resources=""))
    wait_for(lambda: json.loads(kubectl("get", "quota", "be", "-o", "json")).get("status", {}).get("used") ==
             {"pods": "1"}, what="one BestEffort pod counted")
    r = create(kubectl, tmp_path, "p3.yaml", POD.format(name="be2", resources=""), check=False)
    assert "exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1" in r.stderr
    create(kubectl, tmp_path, "p4.yaml", POD.format(name="burstable", resources="resources: {requests: {cpu: 10m}}"))


def test_python_client(client):
    from kubernetes import client as k8s
    core = k8s.CoreV1Api(client)
    core.create_namespaced_resource_quota("default", k8s.V1ResourceQuota(
        metadata=k8s.V1ObjectMeta(name="secrets"), spec=k8s.V1ResourceQuotaSpec(hard={"secrets": "1"})))
    wait_for(lambda: (core.read_namespaced_resource_quota("secrets", "default").status.used or {}).get("secrets") == "0",
             what="quota status")
    core.create_namespaced_secret("default", k8s.V1Secret(metadata=k8s.V1ObjectMeta(name="s1")))
    try:
        core.create_namespaced_secret("default", k8s.V1Secret(metadata=k8s.V1ObjectMeta(name="s2")))
        raise AssertionError("second secret admitted")
    except k8s.exceptions.ApiException as e:
        assert e.status == 403 and "exceeded quota: secrets" in e.body
    lr = core.create_namespaced_limit_range("default", k8s.V1LimitRange(
        metadata=k8s.V1ObjectMeta(name="l"),
        spec=k8s.V1LimitRangeSpec(limits=[k8s.V1LimitRangeItem(type="Container", default_request={"memory": "64Mi"})])))
    assert lr.spec.limits[0].default_request == {"memory": "64Mi"}
