"""CustomResourceDefinitions and their custom resources, as kubectl and the Python client see
them: the CRD becomes Established, its resources are served (discovery, CRUD, patch, printer
columns, status subresource), deleting the CRD deletes them first, and a restarted server
serves them again."""
import json

from conftest import api, api_get, wait_for

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
        "versions": [{
            "name": "v1", "served": True, "storage": True,
            "subresources": {"status": {}},
            "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
            "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}],
        }],
    },
}


def established(server, name):
    code, crd = api(server, "GET", f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}")
    conds = {c["type"]: c["status"] for c in (crd or {}).get("status", {}).get("conditions", [])}
    return code == 200 and conds.get("Established") == "True" and conds.get("NamesAccepted") == "True"


def widget(name, size):
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": name}, "spec": {"size": size}}


def create_crd(server):
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD)
    assert code == 201, out
    wait_for(lambda: established(server, "widgets.example.com"), what="CRD established")


def test_crd_kubectl(server, kubectl, tmp_path):
    create_crd(server)
    res = kubectl("api-resources", "--api-group=example.com")
    assert "widgets" in res and "wd" in res and "Widget" in res
    f = tmp_path / "w.json"
    f.write_text(json.dumps(widget("w1", 3)))
    assert "widget.example.com/w1 created" in kubectl("create", "-f", str(f))
    out = kubectl("get", "wd")
    assert out.split("\n")[0].split() == ["NAME", "SIZE"] and out.split("\n")[1].split() == ["w1", "3"]
    kubectl("patch", "widget", "w1", "--type=merge", "-p", '{"spec":{"size":5}}')
    assert kubectl("get", "widgets.example.com", "w1", "-o", "jsonpath={.spec.size}") == "5"
    p = kubectl.run("patch", "widget", "w1", "-p", '{"spec":{"size":6}}', check=False)
    assert p.returncode != 0 and ("UnsupportedMediaType" in p.stderr or "unknown format" in p.stderr), p.stderr
    kubectl("label", "widget", "w1", "team=a")
    assert kubectl("get", "widgets", "-l", "team=a", "-o", "name").strip() == "widget.example.com/w1"
    assert "widget.example.com \"w1\" deleted" in kubectl("delete", "widget", "w1")
    assert kubectl("get", "widgets", "-o", "name").strip() == ""


def test_crd_v1beta1_and_validation(server, kubectl, tmp_path):
    beta = {"apiVersion": "apiextensions.k8s.io/v1beta1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "gadgets.example.com"},
            "spec": {"group": "example.com", "version": "v1", "names": {"plural": "gadgets", "kind": "Gadget"}}}
    f = tmp_path / "b.json"
    f.write_text(json.dumps(beta))
    p = kubectl.run("create", "-f", str(f))
    assert "deprecated" in p.stderr
    crd = api_get(server, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com")
    assert crd["spec"]["versions"][0]["name"] == "v1" and crd["spec"]["scope"] == "Namespaced"
    assert crd["spec"]["preserveUnknownFields"] is True
    bad = json.loads(json.dumps(CRD))
    bad["metadata"]["name"] = "wrong.example.com"
    bad["spec"]["versions"][0]["storage"] = False
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad)
    assert code == 422, out
    fields = {c["field"]: c["message"] for c in out["details"]["causes"]}
    assert "must be spec.names.plural+\".\"+spec.group" in fields["metadata.name"]
    assert "must have exactly one version marked as storage version" in fields["spec.versions"]


def test_crd_client_status_delete_restart(server, client):
    from kubernetes import client as k8s
    create_crd(server)
    co = k8s.CustomObjectsApi(client)
    co.create_namespaced_custom_object("example.com", "v1", "default", "widgets", widget("w2", 1))
    got = co.get_namespaced_custom_object("example.com", "v1", "default", "widgets", "w2")
    assert got["spec"]["size"] == 1 and got["metadata"]["generation"] == 1
    got["status"] = {"ready": True}
    co.replace_namespaced_custom_object_status("example.com", "v1", "default", "widgets", "w2", got)
    got = co.get_namespaced_custom_object("example.com", "v1", "default", "widgets", "w2")
    assert got["status"] == {"ready": True}
    items = co.list_namespaced_custom_object("example.com", "v1", "default", "widgets")["items"]
    assert [i["metadata"]["name"] for i in items] == ["w2"]
    server.stop()
    server.start()
    wait_for(lambda: api(server, "GET", "/apis/example.com/v1/namespaces/default/widgets/w2")[0] == 200,
             what="custom resource served after restart")
    code, _ = api(server, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
    assert code == 200
    wait_for(lambda: api(server, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")[0] == 404,
             what="CRD deleted")
    assert api(server, "GET", "/apis/example.com/v1/namespaces/default/widgets")[0] == 404


GIZMO = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "gizmos.tools.example.org"},
    "spec": {
        "group": "tools.example.org",
        "scope": "Namespaced",
        "names": {"plural": "gizmos", "singular": "gizmo", "kind": "Gizmo"},
        "versions": [{
            "name": "v1", "served": True, "storage": True,
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {
                "type": "object", "description": "What the gizmo should be.", "required": ["size"],
                "properties": {"size": {"type": "integer", "description": "How big the gizmo is."},
                               "note": {"type": "string", "nullable": True},
                               "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                                         "properties": {"a": {"type": "string"}}}}}}}},
        }],
    },
}


def test_crd_openapi(server, kubectl):
    """A CRD's schema is published in /openapi/v3 (its group-version's document) and /openapi/v2,
    under upstream's names, with the v2 copy cut down as upstream's; kubectl explain reads it; the
    definitions go with the CRD."""
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", GIZMO)
    assert code in (201, 409), out
    wait_for(lambda: established(server, "gizmos.tools.example.org"), what="CRD established")
    index = api_get(server, "/openapi/v3")["paths"]
    url = wait_for(lambda: index.get("apis/tools.example.org/v1", {}).get("serverRelativeURL")
                   or api_get(server, "/openapi/v3")["paths"].get("apis/tools.example.org/v1", {}).get("serverRelativeURL"),
                   what="the group-version in the OpenAPI v3 index")
    schemas = api_get(server, url)["components"]["schemas"]
    g = schemas["org.example.tools.v1.Gizmo"]
    assert g["x-kubernetes-group-version-kind"] == [{"group": "tools.example.org", "kind": "Gizmo", "version": "v1"}]
    assert g["properties"]["spec"]["properties"]["size"] == {"type": "integer", "description": "How big the gizmo is."}
    assert g["properties"]["metadata"]["allOf"] == [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}]
    assert {"apiVersion", "kind"} <= set(g["properties"])
    lst = schemas["org.example.tools.v1.GizmoList"]
    assert lst["properties"]["items"]["items"] == {"$ref": "#/components/schemas/org.example.tools.v1.Gizmo"}
    assert "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" in schemas

    v2 = api_get(server, "/openapi/v2")
    d = v2["definitions"]["org.example.tools.v1.Gizmo"]
    spec = d["properties"]["spec"]["properties"]
    assert spec["note"] == {}                      # nullable: untyped in v2
    assert "properties" not in spec["extra"]      # keeps unknown fields: no properties in v2
    assert d["properties"]["metadata"]["$ref"] == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    assert "/apis/tools.example.org/v1/namespaces/{namespace}/gizmos/{name}" in v2["paths"]

    patch_op = v2["paths"]["/apis/tools.example.org/v1/namespaces/{namespace}/gizmos/{name}"]["patch"]
    assert "application/strategic-merge-patch+json" not in patch_op["consumes"]
    # so kubectl apply computes a merge patch, without warnings about the schema
    for size in (1, 1, 2):
        p = kubectl.run("apply", "-f", "-", input=json.dumps(
            {"apiVersion": "tools.example.org/v1", "kind": "Gizmo", "metadata": {"name": "g"}, "spec": {"size": size}}))
        assert "warning" not in p.stderr.lower(), p.stderr
    assert kubectl("get", "gizmo", "g", "-o", "jsonpath={.spec.size}") == "2"
    kubectl("delete", "gizmo", "g")

    out = kubectl("explain", "gizmo.spec")
    assert "size" in out and "How big the gizmo is." in out and "What the gizmo should be." in out

    assert api(server, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.tools.example.org")[0] == 200
    wait_for(lambda: "apis/tools.example.org/v1" not in api_get(server, "/openapi/v3")["paths"]
             and "org.example.tools.v1.Gizmo" not in api_get(server, "/openapi/v2")["definitions"],
             what="the definitions gone with the CRD")
