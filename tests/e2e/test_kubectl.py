"""Everyday kubectl reads and writes, with the oldest and the newest supported kubectl."""
import json
import subprocess
import time

import yaml

from conftest import api, wait_for

CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  labels:
    app: web
data:
  key: "{value}"
"""


def test_default_namespaces(kubectl):
    out = kubectl("get", "namespaces")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "AGE"]
    names = sorted(l.split()[0] for l in lines[1:])
    assert names == ["default", "kube-node-lease", "kube-public", "kube-system"]
    assert all(l.split()[1] == "Active" for l in lines[1:])


def test_create_get_formats_delete(kubectl, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text(CM.format(name="web", value="one"))
    assert kubectl("create", "-f", str(f)).strip() == "configmap/web created"
    # kube-root-ca.crt is in every namespace, published by a controller soon after start
    wait_for(lambda: "kube-root-ca.crt" in kubectl("get", "cm", "-o", "name"), what="kube-root-ca.crt")
    out = kubectl("get", "configmaps").splitlines()
    assert out[0].split() == ["NAME", "DATA", "AGE"]
    assert [r.split()[:2] for r in out[1:]] == [["kube-root-ca.crt", "1"], ["web", "1"]]
    obj = json.loads(kubectl("get", "configmap", "web", "-o", "json"))
    assert obj["kind"] == "ConfigMap" and obj["apiVersion"] == "v1"
    assert obj["data"] == {"key": "one"}
    meta = obj["metadata"]
    assert meta["namespace"] == "default" and meta["uid"] and meta["creationTimestamp"].endswith("Z")
    assert int(meta["resourceVersion"]) > 0
    y = yaml.safe_load(kubectl("get", "cm", "web", "-o", "yaml"))
    assert y["metadata"]["uid"] == meta["uid"]
    wide = kubectl("get", "cm", "-o", "wide")
    assert "web" in wide
    assert kubectl("get", "cm", "-l", "app=web", "-o", "name").strip() == "configmap/web"
    assert kubectl("get", "cm", "-l", "app!=web", "-o", "name").strip() == "configmap/kube-root-ca.crt"
    # Creating it again is a conflict with upstream's message and exit status.
    p = kubectl.run("create", "-f", str(f), check=False)
    assert p.returncode == 1
    assert 'configmaps "web" already exists' in p.stderr
    assert kubectl("delete", "configmap", "web").strip() == 'configmap "web" deleted'
    p = kubectl.run("get", "configmap", "web", check=False)
    assert p.returncode == 1
    assert 'Error from server (NotFound): configmaps "web" not found' in p.stderr


def test_apply_new_and_replace(kubectl, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text(CM.format(name="applied", value="one"))
    assert kubectl("apply", "-f", str(f)).strip() == "configmap/applied created"
    obj = json.loads(kubectl("get", "cm", "applied", "-o", "json"))
    assert "kubectl.kubernetes.io/last-applied-configuration" in obj["metadata"]["annotations"]
    f.write_text(CM.format(name="applied", value="two"))
    assert kubectl("replace", "-f", str(f)).strip() == "configmap/applied replaced"
    obj2 = json.loads(kubectl("get", "cm", "applied", "-o", "json"))
    assert obj2["data"]["key"] == "two"
    assert obj2["metadata"]["uid"] == obj["metadata"]["uid"]
    assert int(obj2["metadata"]["resourceVersion"]) > int(obj["metadata"]["resourceVersion"])
    # replace with a stale resourceVersion is a 409 Conflict.
    stale = dict(obj2)
    stale["metadata"] = dict(obj2["metadata"], resourceVersion=obj["metadata"]["resourceVersion"])
    stale["data"] = {"key": "three"}
    f.write_text(json.dumps(stale))
    p = kubectl.run("replace", "-f", str(f), check=False)
    assert p.returncode == 1
    assert "the object has been modified; please apply your changes to the latest version" in p.stderr


def test_immortal_namespaces_and_pod_replace(kubectl, tmp_path):
    for ns in ("default", "kube-system", "kube-public"):
        p = kubectl.run("delete", "namespace", ns, check=False)
        assert p.returncode == 1
        assert f'Error from server (Forbidden): namespaces "{ns}" is forbidden: this namespace may not be deleted' in p.stderr
    # `kubectl replace -f` of the file a pod was created from: what admission set at create
    # (priority, preemptionPolicy, the default tolerations) is kept, as upstream's plugins do.
    f = tmp_path / "pod.yaml"
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: rp\nspec:\n  serviceAccountName: default\n"
           "  containers:\n  - name: c\n    image: {image}\n")
    f.write_text(pod.format(image="busybox:1"))
    kubectl("create", "-f", str(f))
    f.write_text(pod.format(image="busybox:2"))
    assert kubectl("replace", "-f", str(f)).strip() == "pod/rp replaced"
    spec = json.loads(kubectl("get", "pod", "rp", "-o", "json"))["spec"]
    assert spec["containers"][0]["image"] == "busybox:2"
    assert spec["priority"] == 0 and spec["preemptionPolicy"] == "PreemptLowerPriority"
    assert len(spec["tolerations"]) == 2
    kubectl("delete", "pod", "rp", "--grace-period=0", "--force")


def test_label_annotate(kubectl, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text(CM.format(name="lab", value="x"))
    kubectl("create", "-f", str(f))
    assert kubectl("label", "cm", "lab", "tier=frontend").strip() == "configmap/lab labeled"
    # kubectl 1.27 prints "annotate", newer ones "annotated".
    assert kubectl("annotate", "cm", "lab", "note=hello").strip() in ("configmap/lab annotated", "configmap/lab annotate")
    obj = json.loads(kubectl("get", "cm", "lab", "-o", "json"))
    assert obj["metadata"]["labels"] == {"app": "web", "tier": "frontend"}
    assert obj["metadata"]["annotations"]["note"] == "hello"
    assert kubectl("label", "cm", "lab", "tier-").strip() == "configmap/lab unlabeled"
    obj = json.loads(kubectl("get", "cm", "lab", "-o", "json"))
    assert obj["metadata"]["labels"] == {"app": "web"}
    p = kubectl.run("label", "cm", "lab", "app=other", check=False)
    assert p.returncode == 1 and "already has a value" in p.stderr
    out = kubectl("get", "cm", "--show-labels")
    assert "app=web" in out
    # A patch whose result has a value of the wrong shape fails as upstream's converter words it,
    # for each patch type, and changes nothing.
    for typ, patch in (("strategic", '{"metadata":{"labels":"invalid"}}'),
                       ("merge", '{"data":["x"]}'),
                       ("json", '[{"op":"replace","path":"/metadata/labels","value":7}]')):
        p = kubectl.run("patch", "cm", "lab", "--type", typ, "-p", patch, check=False)
        assert p.returncode == 1, p.stderr
        assert "is invalid: patch: Invalid value:" in p.stderr, p.stderr
    p = kubectl.run("patch", "cm", "lab", "-p", '{"metadata":{"labels":"invalid"}}', check=False)
    assert 'Invalid value: "map[metadata:map[labels:invalid]]": cannot restore map from string' in p.stderr
    assert json.loads(kubectl("get", "cm", "lab", "-o", "json"))["metadata"]["labels"] == {"app": "web"}
    # A resourceVersion of "0" is no precondition (upstream's unconditional update).
    f = tmp_path / "rv0.json"
    f.write_text(json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "lab", "resourceVersion": "0"}, "data": {"k": "v"}}))
    assert kubectl("replace", "-f", str(f)).strip() == "configmap/lab replaced"


def test_api_resources(kubectl):
    out = kubectl("api-resources")
    rows = {l.split()[0]: l.split() for l in out.splitlines()[1:]}
    for name in ["pods", "namespaces", "nodes", "services", "configmaps", "secrets", "events",
                 "deployments", "replicasets", "daemonsets", "statefulsets", "jobs", "cronjobs",
                 "leases", "endpointslices", "serviceaccounts", "endpoints", "controllerrevisions"]:
        assert name in rows, name
    assert "po" in rows["pods"] and "deploy" in rows["deployments"] and "ns" in rows["namespaces"]
    assert "apps/v1" in rows["deployments"]
    assert kubectl("api-versions").split() == sorted(kubectl("api-versions").split())
    assert "batch/v1" in kubectl("api-versions").split()
    # storageVersionHash as upstream computes it (these are a v1.33 kube-apiserver's values).
    core = {r["name"]: r for r in json.loads(kubectl("get", "--raw", "/api/v1"))["resources"]}
    assert core["configmaps"]["storageVersionHash"] == "qFsyl6wFWjQ="
    assert core["pods"]["storageVersionHash"] == "xPOwRZ+Yhw8="
    assert "storageVersionHash" not in core["pods/status"]


def test_chunked_list(kubectl, tmp_path):
    docs = "\n---\n".join(CM.format(name=f"c{i:02d}", value=i) for i in range(25))
    f = tmp_path / "many.yaml"
    f.write_text(docs)
    kubectl("create", "-f", str(f))
    out = kubectl("get", "cm", "--chunk-size=4", "-o", "name")
    names = [l for l in out.splitlines() if l.startswith("configmap/c")]
    assert names == [f"configmap/c{i:02d}" for i in range(25)]
    out = kubectl("get", "cm", "--chunk-size=7")
    assert len([l for l in out.splitlines() if l.startswith("c")]) == 25


def test_get_watch(kubectl, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text(CM.format(name="w0", value="0"))
    kubectl("create", "-f", str(f))
    w = kubectl.popen("get", "cm", "-w", "-l", "app=web")
    try:
        lines = []
        w.stdout.readline()  # header
        lines.append(w.stdout.readline())
        assert lines[-1].split()[0] == "w0"
        f.write_text(CM.format(name="w1", value="1"))
        kubectl("create", "-f", str(f))
        lines.append(w.stdout.readline())
        assert lines[-1].split()[0] == "w1"
        kubectl("delete", "cm", "w0")
        lines.append(w.stdout.readline())
        assert lines[-1].split()[0] == "w0"
    finally:
        w.kill()
        w.wait()


def test_delete_by_label_and_all(kubectl, tmp_path):
    docs = "\n---\n".join(CM.format(name=f"d{i}", value=i) for i in range(5))
    f = tmp_path / "many.yaml"
    f.write_text(docs)
    kubectl("create", "-f", str(f))
    out = kubectl("delete", "cm", "-l", "app=web")
    assert sorted(out.split("\n"))[-5:] == [f'configmap "d{i}" deleted' for i in range(5)]
    assert "No resources found" in kubectl.run("get", "cm", "-l", "app=web").stderr


def test_namespaced_workflow(kubectl, tmp_path):
    ns = tmp_path / "ns.yaml"
    ns.write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n")
    assert kubectl("create", "-f", str(ns)).strip() == "namespace/team created"
    f = tmp_path / "cm.yaml"
    f.write_text(CM.format(name="scoped", value="v"))
    kubectl("-n", "team", "create", "-f", str(f))
    assert "scoped" in kubectl("get", "cm", "-n", "team")
    assert "scoped" not in kubectl("get", "cm")
    out = kubectl("get", "cm", "-A")
    assert any(l.split()[:2] == ["team", "scoped"] for l in out.splitlines())
    # Creating in a namespace that does not exist fails with upstream's error.
    p = kubectl.run("-n", "nowhere", "create", "-f", str(f), check=False)
    assert p.returncode == 1 and 'namespaces "nowhere" not found' in p.stderr


def test_deployment_table(kubectl, tmp_path):
    deploy = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}},
    }
    f = tmp_path / "d.json"
    f.write_text(json.dumps(deploy))
    kubectl("apply", "-f", str(f))
    out = kubectl("get", "deploy", "-o", "wide").splitlines()
    assert out[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    row = out[1].split()
    assert row[0] == "web" and row[1] == "0/2" and row[5:] == ["web", "nginx:1.27", "app=web"]
    obj = json.loads(kubectl("get", "deploy", "web", "-o", "json"))
    assert obj["metadata"]["generation"] == 1
    assert kubectl("scale", "deploy", "web", "--replicas=4").strip() == "deployment.apps/web scaled"
    obj = json.loads(kubectl("get", "deploy", "web", "-o", "json"))
    assert obj["spec"]["replicas"] == 4 and obj["metadata"]["generation"] == 2
    scale = json.loads(kubectl("get", "--raw", "/apis/apps/v1/namespaces/default/deployments/web/scale"))
    assert scale["kind"] == "Scale" and scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 4} and scale["status"]["selector"] == "app=web"
    p = kubectl.run("scale", "deploy", "web", "--replicas=-1", check=False)
    assert p.returncode != 0


def test_namespace_deletion_removes_content(kubectl, tmp_path):
    ns = tmp_path / "ns.yaml"
    ns.write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gone\n")
    kubectl("create", "-f", str(ns))
    f = tmp_path / "cm.yaml"
    f.write_text("\n---\n".join(CM.format(name=f"x{i}", value=i) for i in range(3)))
    kubectl("-n", "gone", "create", "-f", str(f))
    assert kubectl("delete", "namespace", "gone", timeout=60).strip() == 'namespace "gone" deleted'
    p = kubectl.run("get", "namespace", "gone", check=False)
    assert p.returncode == 1 and 'namespaces "gone" not found' in p.stderr
    p = kubectl.run("get", "cm", "-n", "gone", check=False)
    assert "No resources found" in p.stderr


def test_finalizers_hold_deletion(kubectl, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n")
    kubectl("create", "-f", str(f))
    kubectl("delete", "cm", "held", "--wait=false")
    obj = json.loads(kubectl("get", "cm", "held", "-o", "json"))
    assert obj["metadata"]["deletionTimestamp"] and obj["metadata"]["deletionGracePeriodSeconds"] == 0
    p = kubectl.run("patch", "cm", "held", "--type=merge", "-p", '{"metadata":{"finalizers":["example.com/hold","other/x"]}}', check=False)
    assert p.returncode == 1 and "no new finalizers can be added if the object is being deleted" in p.stderr
    kubectl("patch", "cm", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    p = kubectl.run("get", "cm", "held", check=False)
    assert p.returncode == 1 and "not found" in p.stderr


def test_creation_in_terminating_namespace_is_forbidden(kubectl, tmp_path):
    ns = tmp_path / "ns.yaml"
    ns.write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ending\n")
    kubectl("create", "-f", str(ns))
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stay\n  namespace: ending\n  finalizers: [example.com/hold]\n")
    kubectl("create", "-f", str(f))
    kubectl("delete", "namespace", "ending", "--wait=false")
    obj = json.loads(kubectl("get", "namespace", "ending", "-o", "json"))
    assert obj["status"]["phase"] == "Terminating"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n  namespace: ending\n")
    p = kubectl.run("create", "-f", str(f), check=False)
    assert p.returncode == 1
    assert "unable to create new content in namespace ending because it is being terminated" in p.stderr
    kubectl("-n", "ending", "patch", "cm", "stay", "--type=merge", "-p", '{"metadata":{"finalizers":null}}')
    from conftest import wait_for
    wait_for(lambda: kubectl.run("get", "namespace", "ending", check=False).returncode == 1, what="namespace gone")


def test_namespace_terminating_grace(kubectl):
    """As upstream's namespace controller, a deleted namespace is left Terminating for 5 s before its
    content goes; `kubectl wait --for=delete` then sees it go."""
    kubectl("create", "namespace", "slow")
    kubectl("delete", "namespace", "slow", "--wait=false")
    assert kubectl("get", "namespace", "slow", "-o", "jsonpath={.status.phase}") == "Terminating"
    out = kubectl("wait", "--for=delete", "namespace/slow", "--timeout=60s", timeout=90)
    assert out.strip() == "namespace/slow condition met"


def test_field_validation(kubectl, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fv\nspec:\n  replica: 1\n"
                 "  selector: {matchLabels: {app: fv}}\n  template:\n    metadata: {labels: {app: fv}}\n"
                 "    spec:\n      containers: [{name: c, image: nginx, imagee: x}]\n")
    p = kubectl.run("create", "-f", str(f), check=False)
    assert p.returncode == 1
    assert ('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
            'unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagee"') in p.stderr
    p = kubectl.run("create", "--validate=warn", "-f", str(f))
    assert 'Warning: unknown field "spec.replica"' in p.stderr
    assert kubectl("get", "deploy", "fv", "-o", "jsonpath={.spec.replicas}") == "1"


def test_body_of_wrong_types(kubectl, server, tmp_path):
    """A value of the wrong JSON type fails decoding, before validation, with 400 and Go's words."""
    f = tmp_path / "bad.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: wt}\nspec: {containers: x}\n")
    p = kubectl.run("create", "-f", str(f), check=False)
    assert p.returncode == 1
    assert ('Error from server (BadRequest): error when creating "%s": Pod in version "v1" cannot be handled as a '
            'Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container'
            % f) in p.stderr
    code, out = api(server, "POST", "/apis/apps/v1/namespaces/default/deployments",
                    {"metadata": {"name": "wt"}, "spec": {"replicas": "3"}})
    assert code == 400 and out["reason"] == "BadRequest", out
    assert out["message"] == ('Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
                              'string into Go struct field DeploymentSpec.spec.replicas of type int32')


def test_body_of_another_kind(kubectl, server, tmp_path):
    """A body of another built-in kind fails as upstream's conversion to the resource's type fails
    (test-cmd's create.sh posts a Pod with `kubectl create --raw /api/v1/namespaces`)."""
    f = tmp_path / "pod.json"
    f.write_text(json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ak"},
                             "spec": {"containers": [{"name": "c", "image": "x"}]}}))
    p = kubectl.run("create", "--raw", "/api/v1/namespaces", "-f", str(f), check=False)
    assert p.returncode == 1
    assert ('Pod in version "v1" cannot be handled as a Namespace: converting (v1.Pod) to (core.Namespace): '
            'unknown conversion') in p.stderr
    code, out = api(server, "POST", "/apis/apps/v1/namespaces/default/deployments",
                    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ak"}})
    assert code == 400 and out["reason"] == "BadRequest", out
    assert out["message"] == ('ConfigMap in version "v1" cannot be handled as a Deployment: converting (v1.ConfigMap) '
                              'to (apps.Deployment): unknown conversion')
    assert kubectl.run("get", "ns", "ak", check=False).returncode == 1


def test_events_shared_between_apis(kubectl, tmp_path):
    """events.k8s.io/v1 and core/v1 Events are one collection in two forms, as upstream."""
    f = tmp_path / "ev.yaml"
    f.write_text("apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e1}\n"
                 "eventTime: \"2026-11-27T18:00:00.000000Z\"\nreportingController: example.com/ctl\n"
                 "reportingInstance: i1\naction: Testing\nreason: Tested\nnote: hello\ntype: Normal\n"
                 "regarding: {kind: Pod, name: p1, namespace: default}\n")
    kubectl("create", "-f", str(f))
    core = json.loads(kubectl("get", "events", "e1", "-o", "json"))
    assert core["apiVersion"] == "v1" and core["message"] == "hello"
    assert core["involvedObject"]["name"] == "p1" and core["reportingComponent"] == "example.com/ctl"
    new = json.loads(kubectl("get", "events.v1.events.k8s.io", "e1", "-o", "json"))
    assert new["apiVersion"] == "events.k8s.io/v1" and new["note"] == "hello" and new["regarding"]["name"] == "p1"
    assert kubectl("get", "events.events.k8s.io", "--field-selector", "regarding.name=p1", "-o", "name").strip() == \
        "event.events.k8s.io/e1"
    assert kubectl("get", "events.events.k8s.io", "--field-selector", "regarding.name=p2", "-o", "name").strip() == ""
    assert kubectl("get", "events", "--field-selector", "involvedObject.name=p1", "-o", "name").strip() == "event/e1"
    assert "Tested" in kubectl("get", "events")
