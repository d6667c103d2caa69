"""ReplicationControllers with kubectl (oldest and newest) and the Python client: defaulting
from the template, validation, the controller (pods, adoption, release, status, events), the
scale subresource, and the kubectl commands that work on them (get, get all, describe, scale,
expose, autoscale, delete).

There is no kubelet and no node here: pods stay Pending, so ready counts stay 0.
"""
import json

import pytest

from conftest import wait_for, api, api_get as get

RC = """apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  replicas: {replicas}
  template:
    metadata:
      labels: {{app: web, tier: front}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
"""
BASE = "/api/v1/namespaces/default"


def pods(server, selector="app=web"):
    items = get(server, f"{BASE}/pods?labelSelector={selector}")["items"]
    return [p for p in items if not p["metadata"].get("deletionTimestamp")]


def rc_status(server, name="web"):
    return get(server, f"{BASE}/replicationcontrollers/{name}").get("status", {})


def rc_body(name="web", replicas=1, selector=None, labels=None, restart=None):
    labels = labels if labels is not None else {"app": name}
    spec = {"replicas": replicas, "template": {"metadata": {"labels": labels},
                                                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    if selector is not None:
        spec["selector"] = selector
    if restart:
        spec["template"]["spec"]["restartPolicy"] = restart
    return {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": name}, "spec": spec}


def test_rc_with_kubectl(kubectl, server):
    kubectl("create", "-f", "-", input=RC.format(replicas=2))
    rc = json.loads(kubectl("get", "rc", "web", "-o", "json"))
    # Defaults: the selector and the object's labels come from the template.
    assert rc["spec"]["selector"] == {"app": "web", "tier": "front"}
    assert rc["metadata"]["labels"] == {"app": "web", "tier": "front"}
    assert rc["metadata"]["generation"] == 1
    wait_for(lambda: len(pods(server)) == 2 and rc_status(server).get("replicas") == 2, what="2 pods")
    for p in pods(server):
        ref = p["metadata"]["ownerReferences"][0]
        assert (ref["kind"], ref["name"], ref["controller"]) == ("ReplicationController", "web", True)
        assert p["metadata"]["generateName"] == "web-"
    wait_for(lambda: rc_status(server).get("observedGeneration") == 1, what="observedGeneration")

    out = kubectl("get", "rc")
    assert out.split("\n")[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert out.split("\n")[1].split()[:4] == ["web", "2", "2", "0"]
    wide = kubectl("get", "rc", "-o", "wide")
    assert wide.split("\n")[0].split()[5:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert wide.split("\n")[1].split()[5:] == ["nginx", "nginx:1.25", "app=web,tier=front"]
    assert "replicationcontroller/web" in kubectl("get", "all")

    kubectl("scale", "rc", "web", "--replicas=3")
    wait_for(lambda: len(pods(server)) == 3, what="3 pods")
    assert get(server, f"{BASE}/replicationcontrollers/web")["metadata"]["generation"] == 2
    desc = kubectl("describe", "rc", "web")
    assert "Replicas:     3 current / 3 desired" in desc
    assert "SuccessfulCreate" in desc and "Created pod: web-" in desc

    kubectl("expose", "rc", "web", "--port=80")
    svc = json.loads(kubectl("get", "service", "web", "-o", "json"))
    assert svc["spec"]["selector"] == {"app": "web", "tier": "front"}
    kubectl("autoscale", "rc", "web", "--min=2", "--max=4")
    hpa = get(server, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web")
    assert hpa["spec"]["scaleTargetRef"] == {"kind": "ReplicationController", "name": "web", "apiVersion": "v1"}

    kubectl("delete", "rc", "web")
    wait_for(lambda: not pods(server), what="the pods deleted with their controller")


def test_rc_validation(server):
    code, out = api(server, "POST", f"{BASE}/replicationcontrollers",
                    rc_body("bad", selector={"app": "other"}))
    assert code == 422, out
    assert out["details"]["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.template.metadata.labels",
                                         "message": "Invalid value: map[string]string{\"app\":\"bad\"}: "
                                                    "`selector` does not match template `labels`"}]
    code, out = api(server, "POST", f"{BASE}/replicationcontrollers", rc_body("bad", restart="Never"))
    assert code == 422
    assert out["details"]["causes"][0]["field"] == "spec.template.spec.restartPolicy"
    assert out["details"]["causes"][0]["message"] == 'Unsupported value: "Never": supported values: "Always"'
    body = rc_body("bad", replicas=-1)
    del body["spec"]["template"]
    code, out = api(server, "POST", f"{BASE}/replicationcontrollers", body)
    assert code == 422
    assert [c["field"] for c in out["details"]["causes"]] == ["spec.selector", "spec.replicas", "spec.template"]
    # The selector may change (unlike a ReplicaSet's), as long as it still matches the template.
    assert api(server, "POST", f"{BASE}/replicationcontrollers", rc_body("ok", replicas=0))[0] == 201
    rc = get(server, f"{BASE}/replicationcontrollers/ok")
    rc["spec"]["selector"] = {}
    rc["spec"]["template"]["metadata"]["labels"]["v"] = "2"
    code, out = api(server, "PUT", f"{BASE}/replicationcontrollers/ok", rc)
    assert code == 200, out
    assert out["spec"]["selector"] == {"app": "ok", "v": "2"}


def test_rc_adopts_and_releases(server):
    orphan = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "orphan", "labels": {"app": "web"}},
              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    assert api(server, "POST", f"{BASE}/pods", orphan)[0] == 201
    assert api(server, "POST", f"{BASE}/replicationcontrollers", rc_body(replicas=1))[0] == 201

    def adopted():
        p = get(server, f"{BASE}/pods/orphan")
        return p["metadata"].get("ownerReferences", [{}])[0].get("kind") == "ReplicationController"
    wait_for(adopted, what="the orphan adopted")
    wait_for(lambda: rc_status(server).get("replicas") == 1, what="status.replicas 1")
    assert [p["metadata"]["name"] for p in pods(server)] == ["orphan"]
    # A pod that stops matching is released, and a new one replaces it.
    patch = {"metadata": {"labels": {"app": "gone"}}}
    code, _ = api(server, "PATCH", f"{BASE}/pods/orphan", patch, "application/merge-patch+json")
    assert code == 200
    wait_for(lambda: not get(server, f"{BASE}/pods/orphan")["metadata"].get("ownerReferences"), what="release")
    wait_for(lambda: len(pods(server)) == 1 and pods(server)[0]["metadata"]["name"] != "orphan", what="replacement")


def test_rc_python_client_scale(client, server):
    from kubernetes import client as k8s
    core = k8s.CoreV1Api(client)
    core.create_namespaced_replication_controller("default", rc_body(replicas=1))
    sc = core.read_namespaced_replication_controller_scale("web", "default")
    assert sc.spec.replicas == 1
    wait_for(lambda: core.read_namespaced_replication_controller_scale("web", "default").status.replicas == 1,
             what="scale status")
    assert core.read_namespaced_replication_controller_scale("web", "default").status.selector == "app=web"
    core.patch_namespaced_replication_controller_scale("web", "default", {"spec": {"replicas": 2}})
    wait_for(lambda: len(pods(server)) == 2, what="2 pods")
    rcs = core.list_namespaced_replication_controller("default").items
    assert [r.metadata.name for r in rcs] == ["web"] and rcs[0].spec.replicas == 2
    with pytest.raises(k8s.exceptions.ApiException) as e:
        core.patch_namespaced_replication_controller_scale("web", "default", {"spec": {"replicas": -1}})
    assert e.value.status == 422
