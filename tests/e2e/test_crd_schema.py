"""Custom resources against their CRD's openAPIV3Schema, as kubectl and the Python client see
them: undeclared fields pruned (and, with kubectl's default strict validation, refused),
schema defaults filled in, and invalid objects refused with upstream's messages on create,
apply (client- and server-side), patch and /status writes."""
import json

import pytest

from conftest import api, wait_for

SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["size"],
            "properties": {
                "size": {"type": "integer", "minimum": 1, "maximum": 10},
                "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
                "name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^a"},
                "ratio": {"type": "number", "multipleOf": 0.5, "maximum": 2, "exclusiveMaximum": True},
                "when": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
                "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                          "items": {"type": "object", "required": ["name"], "properties": {
                              "name": {"type": "string"}, "port": {"type": "integer", "default": 80}}}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 2},
                "port": {"x-kubernetes-int-or-string": True},
                "nested": {"type": "object", "default": {},
                           "properties": {"level": {"type": "integer", "default": 3}}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "choice": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                           "oneOf": [{"required": ["a"]}, {"required": ["b"]}]},
            },
        },
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "gizmos.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"plural": "gizmos", "singular": "gizmo", "kind": "Gizmo"},
        "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                      "schema": {"openAPIV3Schema": SCHEMA}}],
    },
}

BASE = "/apis/example.com/v1/namespaces/default/gizmos"


def established(server):
    code, crd = api(server, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com")
    conds = {c["type"]: c["status"] for c in (crd or {}).get("status", {}).get("conditions", [])}
    return code == 200 and conds.get("Established") == "True"


def create_crd(server):
    code, out = api(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD)
    assert code == 201, out
    wait_for(lambda: established(server), what="CRD established")
    wait_for(lambda: api(server, "GET", BASE)[0] == 200, what="gizmos served")


def gizmo(name, spec, **extra):
    return {"apiVersion": "example.com/v1", "kind": "Gizmo", "metadata": {"name": name}, "spec": spec, **extra}


def write(tmp_path, name, obj):
    f = tmp_path / f"{name}.json"
    f.write_text(json.dumps(obj))
    return str(f)


def test_crd_schema_kubectl(server, kubectl, tmp_path):
    create_crd(server)
    # Unknown fields: refused under kubectl's default (strict) validation, warned about with
    # --validate=warn, dropped silently with --validate=false.
    f = write(tmp_path, "g1", gizmo("g1", {"size": 3, "bogus": 1, "free": {"x": {"y": 1}}, "ports": [{"name": "a"}]},
                                   extra=1))
    p = kubectl.run("create", "-f", f, check=False)
    assert p.returncode != 0
    assert ('Gizmo in version "v1" cannot be handled as a Gizmo: strict decoding error: '
            'unknown field "extra", unknown field "spec.bogus"') in p.stderr, p.stderr
    p = kubectl.run("create", "-f", f, "--validate=warn")
    assert 'Warning: unknown field "spec.bogus"' in p.stderr and "gizmo.example.com/g1 created" in p.stdout
    got = json.loads(kubectl("get", "gizmo", "g1", "-o", "json"))
    assert "extra" not in got and "bogus" not in got["spec"]
    # Defaults, nested ones inside a defaulted object, and in list elements.
    assert got["spec"]["mode"] == "fast" and got["spec"]["nested"] == {"level": 3}
    assert got["spec"]["ports"] == [{"name": "a", "port": 80}] and got["spec"]["free"] == {"x": {"y": 1}}

    # Validation on create: one cause, then many.
    p = kubectl.run("create", "-f", write(tmp_path, "g2", gizmo("g2", {"size": 0})), check=False)
    assert p.returncode != 0
    assert ('The Gizmo "g2" is invalid: spec.size: Invalid value: 0: '
            'spec.size in body should be greater than or equal to 1') in p.stderr, p.stderr
    bad = {"size": "big", "mode": "medium", "name": "bcdefgh", "ratio": 2, "when": "yesterday",
           "tags": ["a", "a"], "ports": [{"name": "a"}, {"name": "a", "port": 1}], "labels": {"a": "1", "b": "2", "c": "3"},
           "port": True, "choice": {}}
    p = kubectl.run("create", "-f", write(tmp_path, "g3", gizmo("g3", bad)), check=False)
    assert p.returncode != 0
    for want in [
        'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
        'spec.mode: Unsupported value: "medium": supported values: "fast", "slow"',
        "spec.name: Too long: may not be more than 5 bytes",
        "spec.name: Invalid value: \"bcdefgh\": spec.name in body should match '^a'",
        "spec.ratio: Invalid value: 2: spec.ratio in body should be less than 2",
        'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
        'spec.tags[1]: Duplicate value: "a"',
        'spec.ports[1]: Duplicate value: map[string]interface {}{"name":"a"}',
        "spec.labels: Too many: 3: must have at most 2 items",
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        '<nil>: Invalid value: "": "spec.choice" must validate one and only one schema (oneOf). Found none valid',
        "spec.choice.a: Required value",
    ]:
        assert want in p.stderr, (want, p.stderr)
    assert 'The Gizmo "g3" is invalid:' in p.stderr
    assert kubectl("get", "gizmos", "-o", "name").split() == ["gizmo.example.com/g1"]

    # Patch, client-side and server-side apply, and /status are validated too.
    p = kubectl.run("patch", "gizmo", "g1", "--type=merge", "-p", '{"spec":{"size":20}}', check=False)
    assert ('The Gizmo "g1" is invalid: spec.size: Invalid value: 20: '
            'spec.size in body should be less than or equal to 10') in p.stderr, p.stderr
    p = kubectl.run("patch", "gizmo", "g1", "--type=json", "-p", '[{"op":"remove","path":"/spec/size"}]', check=False)
    assert 'The Gizmo "g1" is invalid: spec.size: Required value' in p.stderr, p.stderr
    ga = gizmo("ga", {"size": 4})
    assert "gizmo.example.com/ga created" in kubectl("apply", "-f", write(tmp_path, "ga", ga))
    ga["spec"]["size"] = 44
    p = kubectl.run("apply", "-f", write(tmp_path, "ga", ga), check=False)
    assert "spec.size: Invalid value: 44: spec.size in body should be less than or equal to 10" in p.stderr, p.stderr
    ga["spec"] = {"size": 5, "mode": "slow"}
    kubectl("apply", "--server-side", "--force-conflicts", "-f", write(tmp_path, "ga", ga))
    got = json.loads(kubectl("get", "gizmo", "ga", "-o", "json"))
    assert got["spec"]["size"] == 5 and got["spec"]["mode"] == "slow" and got["spec"]["nested"] == {"level": 3}
    p = kubectl.run("patch", "gizmo", "g1", "--subresource=status", "--type=merge", "-p",
                    '{"status":{"ready":"yes"}}', check=False)
    assert ('The Gizmo "g1" is invalid: status.ready: Invalid value: "string": '
            'status.ready in body must be of type boolean: "string"') in p.stderr, p.stderr
    kubectl("patch", "gizmo", "g1", "--subresource=status", "--type=merge", "-p", '{"status":{"ready":true}}')
    assert kubectl("get", "gizmo", "g1", "-o", "jsonpath={.status.ready}") == "true"


def test_crd_schema_client_and_modes(server, client):
    from kubernetes import client as k8s
    from kubernetes.client.rest import ApiException
    create_crd(server)
    co = k8s.CustomObjectsApi(client)
    with pytest.raises(ApiException) as e:
        co.create_namespaced_custom_object("example.com", "v1", "default", "gizmos", gizmo("c1", {"size": 11}))
    assert e.value.status == 422
    st = json.loads(e.value.body)
    assert st["reason"] == "Invalid" and st["details"] == {
        "name": "c1", "group": "example.com", "kind": "Gizmo",
        "causes": [{"reason": "FieldValueInvalid", "field": "spec.size",
                    "message": "Invalid value: 11: spec.size in body should be less than or equal to 10"}]}
    assert st["message"] == ('Gizmo.example.com "c1" is invalid: spec.size: Invalid value: 11: '
                             'spec.size in body should be less than or equal to 10')
    with pytest.raises(ApiException) as e:
        co.create_namespaced_custom_object("example.com", "v1", "default", "gizmos", gizmo("c1", {"size": "x"}))
    cause = json.loads(e.value.body)["details"]["causes"][0]
    assert cause["reason"] == "FieldValueTypeInvalid" and cause["field"] == "spec.size"
    # The client sends no fieldValidation: unknown fields are dropped with a warning.
    obj = co.create_namespaced_custom_object("example.com", "v1", "default", "gizmos",
                                             gizmo("c1", {"size": 2, "zz": 1, "port": "http"}))
    assert obj["spec"] == {"size": 2, "port": "http", "mode": "fast", "nested": {"level": 3}}
    # fieldValidation over the raw API: Strict refuses (400), Ignore drops silently.
    code, out = api(server, "POST", BASE + "?fieldValidation=Strict", gizmo("c2", {"size": 2, "zz": 1}))
    assert code == 400 and out["message"] == ('Gizmo in version "v1" cannot be handled as a Gizmo: '
                                              'strict decoding error: unknown field "spec.zz"'), out
    bad_meta = gizmo("c2", {"size": 2})
    bad_meta["metadata"]["foo"] = 1
    code, out = api(server, "POST", BASE + "?fieldValidation=Strict", bad_meta)
    assert code == 400 and out["message"].endswith('strict decoding error: unknown field "metadata.foo"'), out
    code, _, raw = server.request("POST", BASE + "?fieldValidation=Ignore",
                                  json.dumps(gizmo("c2", {"size": 2, "zz": 1})).encode(),
                                  {"Content-Type": "application/json"})
    assert code == 201 and "zz" not in json.loads(raw)["spec"]
    code, _, _ = server.request("POST", BASE + "?fieldValidation=Ignore", json.dumps(dict(bad_meta, metadata={
        "name": "c3", "foo": 1})).encode(), {"Content-Type": "application/json"})
    assert code == 201 and "foo" not in api(server, "GET", BASE + "/c3")[1]["metadata"]
    code, hdrs, raw = server.request("PUT", BASE + "/c2", json.dumps(
        dict(json.loads(raw), spec={"size": 3, "yy": 1})).encode(), {"Content-Type": "application/json"})
    assert code == 200 and json.loads(raw)["spec"]["size"] == 3 and "yy" not in json.loads(raw)["spec"]
    assert hdrs.get("Warning") == '299 - "unknown field \\"spec.yy\\""', hdrs


def test_crd_schema_ratcheting(server):
    """After the schema tightens, an update that leaves an invalid value unchanged passes (as
    upstream's validation ratcheting); changing it to another invalid value does not."""
    create_crd(server)
    code, out = api(server, "POST", BASE, gizmo("r1", {"size": 5}))
    assert code == 201, out
    code, out = api(server, "PATCH", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com",
                    [{"op": "replace", "value": 2,
                      "path": "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size/maximum"}],
                    ctype="application/json-patch+json")
    assert code == 200, out

    def tightened():
        code, out = api(server, "POST", BASE + "?dryRun=All", gizmo("r2", {"size": 5}))
        return code == 422
    wait_for(tightened, what="the tightened schema in force")
    code, out = api(server, "PATCH", BASE + "/r1", {"spec": {"mode": "slow"}}, ctype="application/merge-patch+json")
    assert code == 200 and out["spec"] == {"size": 5, "mode": "slow", "nested": {"level": 3}}, out
    code, out = api(server, "PATCH", BASE + "/r1/status", {"status": {"ready": True}},
                    ctype="application/merge-patch+json")
    assert code == 200, out
    code, out = api(server, "PATCH", BASE + "/r1", {"spec": {"size": 4}}, ctype="application/merge-patch+json")
    assert code == 422 and out["message"] == ('Gizmo.example.com "r1" is invalid: spec.size: Invalid value: 4: '
                                              'spec.size in body should be less than or equal to 2'), out


def test_crd_schema_defaults_on_read(server, kubectl):
    """A default added to the schema after an object was written shows when it is read (get,
    list), as upstream applies defaults when reading from storage."""
    create_crd(server)
    code, out = api(server, "POST", BASE, gizmo("d1", {"size": 5}))
    assert code in (201, 409), out
    code, out = api(server, "PATCH", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com",
                    [{"op": "add", "value": {"type": "string", "default": "red"},
                      "path": "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/color"}],
                    ctype="application/json-patch+json")
    assert code == 200, out
    wait_for(lambda: api(server, "GET", BASE + "/d1")[1]["spec"].get("color") == "red", what="the new default read")
    assert kubectl("get", "gizmos.example.com", "d1", "-o", "jsonpath={.spec.color}") == "red"
    items = {i["metadata"]["name"]: i for i in api(server, "GET", BASE)[1]["items"]}
    assert items["d1"]["spec"]["color"] == "red"
