"""GET /openapi/v2: the Swagger 2.0 document in JSON and in gnostic's protobuf, as kubectl reads it
(explain --output=plaintext-openapiv2, kubectl 1.20's dry-run check and client-side validation)."""
import json
import os
import struct
import subprocess

import pytest

PB_ACCEPT = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
KUBECTL_120 = "/var/cache/kube-compat/kubectl-1.20.0/kubectl"


def get_doc(server, accept=None, etag=None):
    headers = {}
    if accept:
        headers["Accept"] = accept
    if etag:
        headers["If-None-Match"] = etag
    return server.request("GET", "/openapi/v2", headers=headers)


def resolve(doc, ref):
    assert ref.startswith("#/definitions/"), ref
    name = ref[len("#/definitions/"):]
    assert name in doc["definitions"], f"dangling reference {ref}"
    return doc["definitions"][name]


def all_refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from all_refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from all_refs(v)


def test_json_document_structure(server):
    code, headers, body = get_doc(server)
    assert code == 200
    assert headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["swagger"] == "2.0"
    assert doc["info"]["title"] == "Kubernetes"
    assert doc["securityDefinitions"]["BearerToken"]["type"] == "apiKey"
    paths = doc["paths"]

    coll = paths["/api/v1/namespaces/{namespace}/pods"]
    assert coll["get"]["operationId"] == "listCoreV1NamespacedPod"
    assert coll["get"]["x-kubernetes-action"] == "list"
    assert coll["get"]["x-kubernetes-group-version-kind"] == {"group": "", "kind": "Pod", "version": "v1"}
    names = [p["name"] for p in coll["get"]["parameters"]]
    for n in ("allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
              "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch"):
        assert n in names
    assert coll["post"]["operationId"] == "createCoreV1NamespacedPod"
    assert coll["delete"]["operationId"] == "deleteCoreV1CollectionNamespacedPod"
    assert [p["name"] for p in coll["parameters"]] == ["namespace", "pretty"]

    item = paths["/api/v1/namespaces/{namespace}/pods/{name}"]
    patch = item["patch"]
    assert patch["operationId"] == "patchCoreV1NamespacedPod"
    assert "application/strategic-merge-patch+json" in patch["consumes"]
    assert patch["schemes"] == ["https"] and patch["tags"] == ["core_v1"]
    params = {p["name"]: p for p in patch["parameters"]}
    assert set(params) == {"body", "dryRun", "fieldManager", "fieldValidation", "force"}
    assert params["body"]["in"] == "body" and params["body"]["required"] is True
    assert params["dryRun"]["in"] == "query" and params["dryRun"]["type"] == "string"
    assert resolve(doc, patch["responses"]["200"]["schema"]["$ref"])["x-kubernetes-group-version-kind"] == \
        [{"group": "", "kind": "Pod", "version": "v1"}]
    assert item["get"]["operationId"] == "readCoreV1NamespacedPod"
    assert item["put"]["operationId"] == "replaceCoreV1NamespacedPod"

    assert paths["/api/v1/pods"]["get"]["operationId"] == "listCoreV1PodForAllNamespaces"
    assert paths["/api/v1/namespaces/{namespace}/pods/{name}/status"]["patch"]["operationId"] == \
        "patchCoreV1NamespacedPodStatus"
    assert paths["/api/v1/watch/namespaces/{namespace}/pods"]["get"]["x-kubernetes-action"] == "watchlist"
    assert paths["/api/v1/watch/pods"]["get"]["operationId"] == "watchCoreV1PodListForAllNamespaces"
    scale = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]["put"]
    assert scale["operationId"] == "replaceAppsV1NamespacedDeploymentScale"
    assert scale["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "kind": "Scale", "version": "v1"}
    assert paths["/api/v1/nodes/{name}"]["delete"]["operationId"] == "deleteCoreV1Node"
    assert paths["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]["post"]["operationId"] == \
        "createAuthorizationV1SelfSubjectAccessReview"

    assert paths["/api/v1/"]["get"]["operationId"] == "getCoreV1APIResources"
    assert paths["/apis/apps/"]["get"]["operationId"] == "getAppsAPIGroup"
    assert paths["/apis/apps/v1/"]["get"]["tags"] == ["apps_v1"]
    assert resolve(doc, paths["/apis/"]["get"]["responses"]["200"]["schema"]["$ref"])["properties"]["groups"]

    pod_spec = doc["definitions"]["io.k8s.api.core.v1.PodSpec"]
    containers = pod_spec["properties"]["containers"]
    assert containers["items"] == {"$ref": "#/definitions/io.k8s.api.core.v1.Container"}
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-patch-strategy"] == "merge"
    assert containers["x-kubernetes-list-type"] == "map"
    assert "containers" in pod_spec["required"]
    for ref in all_refs(doc):
        resolve(doc, ref)
    # the texts test-cmd's run_swagger_tests looks for
    for text in (b"list of returned", b"List of services", b"Watch for changes to the described resources"):
        assert text in body


# ---- a minimal protobuf reader (no python protobuf here) ---------------------------------

def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def fields(b):
    """(number, value) pairs of a message: bytes for length-delimited, ints otherwise."""
    i, out = 0, []
    while i < len(b):
        tag, i = varint(b, i)
        num, wire = tag >> 3, tag & 7
        if wire == 0:
            v, i = varint(b, i)
        elif wire == 1:
            v, i = struct.unpack("<d", b[i:i + 8])[0], i + 8
        elif wire == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise AssertionError(f"wire type {wire}")
        out.append((num, v))
    return out


def one(msg, num):
    vals = [v for n, v in fields(msg) if n == num]
    assert len(vals) == 1, (num, vals)
    return vals[0]


def named(msg, num):
    """Named{1: name, 2: value} entries of a message, as a dict."""
    return {one(e, 1).decode(): one(e, 2) for n, e in fields(msg) if n == num}


def test_protobuf_matches_json(server):
    _, _, body = get_doc(server)
    doc = json.loads(body)
    code, headers, pb = get_doc(server, PB_ACCEPT)
    assert code == 200
    assert headers["Content-Type"] == "application/octet-stream"
    code, headers, legacy = get_doc(server, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
    assert legacy == pb and headers["Content-Type"] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    assert one(pb, 1) == b"2.0"
    paths = named(one(pb, 8), 2)
    assert set(paths) == set(doc["paths"])
    patch = one(paths["/api/v1/namespaces/{namespace}/pods/{name}"], 8)  # PathItem.patch
    assert one(patch, 5) == b"patchCoreV1NamespacedPod"
    ext = named(patch, 13)
    assert json.loads(one(ext["x-kubernetes-group-version-kind"], 2)) == {"group": "", "kind": "Pod", "version": "v1"}
    query = []
    for _, item in [f for f in fields(patch) if f[0] == 8]:  # ParametersItem
        param = one(item, 1)  # Parameter
        for n, v in fields(param):
            if n == 2:  # NonBodyParameter
                q = one(v, 3)  # QueryParameterSubSchema
                query.append(one(q, 4).decode())
    assert query == ["dryRun", "fieldManager", "fieldValidation", "force"]

    defs = named(one(pb, 9), 1)
    assert set(defs) == set(doc["definitions"])
    pod = defs["io.k8s.api.core.v1.Pod"]
    gvk = named(pod, 31)["x-kubernetes-group-version-kind"]
    assert json.loads(one(gvk, 2)) == [{"group": "", "kind": "Pod", "version": "v1"}]
    props = named(one(pod, 25), 1)
    assert list(props) == list(doc["definitions"]["io.k8s.api.core.v1.Pod"]["properties"])
    assert one(props["spec"], 1) == b"#/definitions/io.k8s.api.core.v1.PodSpec"
    spec_props = named(one(defs["io.k8s.api.core.v1.PodSpec"], 25), 1)
    containers = spec_props["containers"]
    assert one(one(containers, 22), 1) == b"array"  # TypeItem
    assert one(one(one(containers, 23), 1), 1) == b"#/definitions/io.k8s.api.core.v1.Container"  # ItemsItem
    labels = named(one(defs["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"], 25), 1)["labels"]
    assert one(one(one(one(labels, 21), 1), 22), 1) == b"string"  # additionalProperties: {type: string}


def test_etag_and_not_modified(server):
    for accept in (None, PB_ACCEPT):
        code, headers, body = get_doc(server, accept)
        assert code == 200
        etag = headers["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        code, headers2, body2 = get_doc(server, accept, etag)
        assert code == 304 and body2 == b"" and headers2["ETag"] == etag
        code, _, body3 = get_doc(server, accept, '"other"')
        assert code == 200 and body3 == body
    assert get_doc(server)[1]["ETag"] != get_doc(server, PB_ACCEPT)[1]["ETag"]


def test_kubectl_explain_openapiv2(kubectl):
    out = kubectl("explain", "--output=plaintext-openapiv2", "pods.spec.containers")
    assert "KIND:" in out and "Pod" in out
    assert "containers" in out
    assert "image" in out and "livenessProbe" in out
    out = kubectl("explain", "--output=plaintext-openapiv2", "deployments.spec.strategy")
    assert "rollingUpdate" in out


def run_120(server, *args, input=None):
    cmd = [KUBECTL_120, "--kubeconfig", server.kubeconfig, *args]
    return subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=60)


POD = """apiVersion: v1
kind: Pod
metadata:
  name: %s
spec:
  containers:
  - name: c
    image: nginx
%s"""


def test_kubectl_120_dry_run_explain_and_validation(server):
    if not os.path.exists(KUBECTL_120):
        pytest.skip("kubectl 1.20 is not in the test-cmd cache (tests/compat/testcmd.sh fetches it)")
    p = run_120(server, "create", "configmap", "cm", "--from-literal=a=b", "--dry-run=server")
    assert p.returncode == 0, p.stderr
    assert "configmap/cm created (server dry run)" in p.stdout
    p = run_120(server, "explain", "pods.spec.containers.image")
    assert p.returncode == 0, p.stderr
    assert "FIELD:    image <string>" in p.stdout
    p = run_120(server, "create", "--validate=true", "-f", "-", input=POD % ("good", "    ports:\n    - containerPort: 80\n"))
    assert p.returncode == 0, p.stderr
    p = run_120(server, "create", "--validate=true", "-f", "-", input=POD % ("bad", "    imagePolicy: x\n"))
    assert p.returncode != 0
    assert 'unknown field "imagePolicy" in io.k8s.api.core.v1.Container' in p.stderr
