"""The scale subresource of custom resources, as kubectl and the API show it: a CRD version with
subresources.scale serves /scale (an autoscaling/v1 Scale read from and written to the CRD's
specReplicasPath, statusReplicasPath and labelSelectorPath), lists it in discovery and OpenAPI,
and `kubectl scale` / `kubectl autoscale` work on its objects; the CRD's scale paths are
validated as upstream validates them."""
import json

from conftest import api, api_get, wait_for

GROUP = "example.com"
BASE = f"/apis/{GROUP}/v1/namespaces/default/dials"

SCHEMA = {"openAPIV3Schema": {"type": "object", "properties": {
    "spec": {"type": "object", "properties": {
        "scaling": {"type": "object", "properties": {"count": {"type": "integer"}}},
        "color": {"type": "string"}}},
    "status": {"type": "object", "properties": {
        "ready": {"type": "integer"}, "labelSelector": {"type": "string"}}}}}}


def crd(plural, kind, scale):
    subs = {"status": {}}
    if scale is not None:
        subs["scale"] = scale
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{GROUP}"},
        "spec": {"group": GROUP, "scope": "Namespaced",
                 "names": {"plural": plural, "singular": plural[:-1], "kind": kind},
                 "versions": [{"name": "v1", "served": True, "storage": True, "schema": SCHEMA,
                               "subresources": subs}]},
    }


SCALE = {"specReplicasPath": ".spec.scaling.count", "statusReplicasPath": ".status.ready",
         "labelSelectorPath": ".status.labelSelector"}


def established(server, name):
    code, obj = api(server, "GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
    conds = {c["type"]: c["status"] for c in (obj or {}).get("status", {}).get("conditions", [])}
    return code == 200 and conds.get("Established") == "True"


def served(server, path):
    return api(server, "GET", path)[0] == 200


def create_crds(server):
    for body in (crd("dials", "Dial", SCALE), crd("knobs", "Knob", None)):
        code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", body)
        assert code == 201, out
        wait_for(lambda: established(server, body["metadata"]["name"]), what="CRD established")
    wait_for(lambda: served(server, BASE) and served(server, f"/apis/{GROUP}/v1/namespaces/default/knobs"),
             what="custom resources served")


def create_dial(server, name, spec):
    code, out = api(server, "POST", BASE, {"apiVersion": f"{GROUP}/v1", "kind": "Dial",
                                           "metadata": {"name": name}, "spec": spec})
    assert code == 201, out
    got = api_get(server, f"{BASE}/{name}")
    got["status"] = {"ready": 2, "labelSelector": "app=dial"}
    code, out = api(server, "PUT", f"{BASE}/{name}/status", got)
    assert code == 200, out
    return out


def test_crd_scale_kubectl(server, kubectl):
    create_crds(server)
    create_dial(server, "d1", {"scaling": {"count": 1}, "color": "red"})
    assert "dial.example.com/d1 scaled" in kubectl("scale", "dial", "d1", "--replicas=3")
    obj = api_get(server, f"{BASE}/d1")
    assert obj["spec"] == {"scaling": {"count": 3}, "color": "red"}
    sc = json.loads(kubectl("get", "--raw", f"{BASE}/d1/scale"))
    meta = obj["metadata"]
    assert sc["apiVersion"] == "autoscaling/v1" and sc["kind"] == "Scale"
    for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp"):
        assert sc["metadata"][k] == meta[k], k
    assert sc["spec"] == {"replicas": 3}
    assert sc["status"] == {"replicas": 2, "selector": "app=dial"}
    # preconditions kubectl checks against the Scale it reads
    p = kubectl.run("scale", "dial", "d1", "--current-replicas=1", "--replicas=5", check=False)
    assert p.returncode != 0 and "Expected replicas to be 1, was 3" in p.stderr, p.stderr
    p = kubectl.run("scale", "dial", "d1", "--resource-version=1", "--replicas=5", check=False)
    assert p.returncode != 0 and "Expected resource version to be 1" in p.stderr, p.stderr
    assert api_get(server, f"{BASE}/d1")["spec"]["scaling"]["count"] == 3
    # an object without the replicas field: scaling creates it
    create_dial(server, "d2", {"color": "blue"})
    kubectl("scale", "dial", "d2", "--replicas=2")
    assert api_get(server, f"{BASE}/d2")["spec"] == {"color": "blue", "scaling": {"count": 2}}
    # kubectl autoscale finds the scale subresource in discovery
    assert "autoscaled" in kubectl("autoscale", "dial", "d1", "--min=1", "--max=4", "--cpu-percent=60")
    hpa = api_get(server, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/d1")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": f"{GROUP}/v1", "kind": "Dial", "name": "d1"}
    p = kubectl.run("scale", "knob", "k1", "--replicas=2", check=False)
    assert p.returncode != 0


def test_crd_scale_api(server):
    create_crds(server)
    create_dial(server, "d1", {"scaling": {"count": 1}})
    res = api_get(server, f"/apis/{GROUP}/v1")["resources"]
    sub = [r for r in res if r["name"] == "dials/scale"]
    assert sub and sub[0]["group"] == "autoscaling" and sub[0]["version"] == "v1" and sub[0]["kind"] == "Scale"
    assert sorted(sub[0]["verbs"]) == ["get", "patch", "update"]
    assert not [r for r in res if r["name"] == "knobs/scale"]
    paths = api_get(server, "/openapi/v2")["paths"]
    assert f"/apis/{GROUP}/v1/namespaces/{{namespace}}/dials/{{name}}/scale" in paths
    # a CRD without the scale subresource
    code, out = api(server, "POST", f"/apis/{GROUP}/v1/namespaces/default/knobs",
                    {"apiVersion": f"{GROUP}/v1", "kind": "Knob", "metadata": {"name": "k1"}})
    assert code == 201, out
    assert api(server, "GET", f"/apis/{GROUP}/v1/namespaces/default/knobs/k1/scale")[0] == 404
    # PUT of a Scale: resourceVersion precondition, negative replicas
    sc = api_get(server, f"{BASE}/d1/scale")
    sc["spec"]["replicas"] = 4
    code, out = api(server, "PUT", f"{BASE}/d1/scale", sc)
    assert code == 200 and out["kind"] == "Scale" and out["spec"]["replicas"] == 4, out
    code, out = api(server, "PUT", f"{BASE}/d1/scale", sc)
    assert code == 409 and out["reason"] == "Conflict", out
    sc = api_get(server, f"{BASE}/d1/scale")
    sc["spec"]["replicas"] = -1
    code, out = api(server, "PUT", f"{BASE}/d1/scale", sc)
    assert code == 422, out
    assert out["details"]["causes"] == [{"reason": "FieldValueInvalid", "field": ".spec.scaling.count",
                                         "message": "Invalid value: -1: should be a non-negative integer"}], out
    code, out = api(server, "PATCH", f"{BASE}/d1/scale", {"spec": {"replicas": 6}},
                    "application/merge-patch+json")
    assert code == 200 and out["spec"]["replicas"] == 6, out
    # the same checks on the object itself (create, and the status half on /status)
    code, out = api(server, "POST", BASE, {"apiVersion": f"{GROUP}/v1", "kind": "Dial", "metadata": {"name": "neg"},
                                           "spec": {"scaling": {"count": -2}}})
    assert code == 422 and out["details"]["causes"][0]["field"] == ".spec.scaling.count", out
    d1 = api_get(server, f"{BASE}/d1")
    d1["status"]["ready"] = -1
    code, out = api(server, "PUT", f"{BASE}/d1/status", d1)
    assert code == 422 and out["details"]["causes"][0]["field"] == ".status.ready", out
    # an object without spec replicas: GET is an internal error, a patch must set them
    create_dial(server, "d2", {})
    code, out = api(server, "GET", f"{BASE}/d2/scale")
    assert code == 500 and 'the spec replicas field ".spec.scaling.count" does not exist' in out["message"], out
    code, out = api(server, "PATCH", f"{BASE}/d2/scale", [{"op": "test", "path": "/kind", "value": "Scale"}],
                    "application/json-patch+json")
    assert code == 400 and 'the spec replicas field ".spec.scaling.count" cannot be empty' in out["message"], out


def test_crd_scale_python_client(server, client):
    from kubernetes import client as k8s_client
    create_crds(server)
    create_dial(server, "d1", {"scaling": {"count": 1}})
    co = k8s_client.CustomObjectsApi(client)
    sc = co.get_namespaced_custom_object_scale(GROUP, "v1", "default", "dials", "d1")
    assert sc["spec"] == {"replicas": 1} and sc["status"] == {"replicas": 2, "selector": "app=dial"}
    sc = co.patch_namespaced_custom_object_scale(GROUP, "v1", "default", "dials", "d1", {"spec": {"replicas": 5}})
    assert sc["kind"] == "Scale" and sc["spec"] == {"replicas": 5}
    sc["spec"]["replicas"] = 0
    sc = co.replace_namespaced_custom_object_scale(GROUP, "v1", "default", "dials", "d1", sc)
    assert sc["spec"] == {"replicas": 0}
    assert co.get_namespaced_custom_object(GROUP, "v1", "default", "dials", "d1")["spec"]["scaling"] == {"count": 0}


def test_budget_counts_custom_controller_scale(server):
    """A budget over pods that a custom resource controls expects as many pods as its Scale says."""
    create_crds(server)
    uid = create_dial(server, "d1", {"scaling": {"count": 4}})["metadata"]["uid"]
    for i in range(2):
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": f"p{i}", "labels": {"app": "dial"}, "ownerReferences": [
                   {"apiVersion": f"{GROUP}/v1", "kind": "Dial", "name": "d1", "uid": uid, "controller": True}]},
               "spec": {"nodeName": "nowhere", "containers": [{"name": "c", "image": "busybox"}]}}
        code, out = api(server, "POST", "/api/v1/namespaces/default/pods", pod)
        assert code == 201, out
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "b"},
           "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "dial"}}}}
    code, out = api(server, "POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets", pdb)
    assert code == 201, out

    def status():
        st = api_get(server, "/apis/policy/v1/namespaces/default/poddisruptionbudgets/b").get("status", {})
        return st if st.get("observedGeneration") == 1 else None

    st = wait_for(status, what="budget status")
    assert (st["expectedPods"], st["desiredHealthy"]) == (4, 3), st


def test_crd_scale_validation(server):
    bad = crd("gauges", "Gauge", {"specReplicasPath": "spec.count", "statusReplicasPath": ".spec.count",
                                  "labelSelectorPath": ".metadata.labels"})
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad)
    assert code == 422, out
    causes = {c["field"]: c["message"] for c in out["details"]["causes"]}
    assert causes == {
        "spec.subresources.scale.specReplicasPath": 'Invalid value: "spec.count": must be a simple json path starting with .',
        "spec.subresources.scale.statusReplicasPath": 'Invalid value: ".spec.count": should be a json path under .status',
        "spec.subresources.scale.labelSelectorPath":
            'Invalid value: ".metadata.labels": should be a json path under either .spec or .status',
    }, causes
    bad = crd("gauges", "Gauge", {"statusReplicasPath": ".status.n"})
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad)
    assert code == 422, out
    assert [(c["field"], c["reason"]) for c in out["details"]["causes"]] == \
        [("spec.subresources.scale.specReplicasPath", "FieldValueRequired")], out
    # versions with different subresources are reported per version
    two = crd("gauges", "Gauge", {"specReplicasPath": ".spec.n", "statusReplicasPath": ".status.n"})
    v2 = json.loads(json.dumps(two["spec"]["versions"][0]))
    v2.update(name="v2", storage=False, subresources={"scale": {"specReplicasPath": ".status.n",
                                                               "statusReplicasPath": ".status.n"}})
    two["spec"]["versions"].append(v2)
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", two)
    assert code == 422, out
    assert [c["field"] for c in out["details"]["causes"]] == ["spec.versions[1].subresources.scale.specReplicasPath"]


def test_crd_scale_v1beta1(server):
    """A v1beta1 CRD's top-level subresources.scale is validated there and served by every version."""
    beta = {"apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"levers.{GROUP}"},
            "spec": {"group": GROUP, "version": "v1", "names": {"plural": "levers", "kind": "Lever"},
                     "subresources": {"scale": {"specReplicasPath": ".spec.n", "statusReplicasPath": "status.n"}}}}
    path = "/apis/apiextensions.k8s.io/v1beta1/customresourcedefinitions"
    code, out = api(server, "POST", path, beta)
    assert code == 422, out
    assert [c["field"] for c in out["details"]["causes"]] == ["spec.subresources.scale.statusReplicasPath"], out
    beta["spec"]["subresources"]["scale"]["statusReplicasPath"] = ".status.n"
    code, out = api(server, "POST", path, beta)
    assert code == 201, out
    wait_for(lambda: served(server, f"/apis/{GROUP}/v1/namespaces/default/levers"), what="levers served")
    code, out = api(server, "POST", f"/apis/{GROUP}/v1/namespaces/default/levers",
                    {"apiVersion": f"{GROUP}/v1", "kind": "Lever", "metadata": {"name": "l1"}, "spec": {"n": 2}})
    assert code == 201, out
    sc = api_get(server, f"/apis/{GROUP}/v1/namespaces/default/levers/l1/scale")
    assert sc["spec"] == {"replicas": 2} and sc["status"] == {"replicas": 0}, sc
