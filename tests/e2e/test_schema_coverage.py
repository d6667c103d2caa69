"""The schema tables (server/schema*.c) against the models of the real Python client
(python3-kubernetes 22.6): every JSON field a model knows must be in our table for the same
type, with a compatible shape (scalar, list, map, object of the same type).

The tables are dumped as JSON by the unit test schema_dump (build/unit-tests, next to KUBE_BIN).
The client is older (Kubernetes 1.22) than the API we serve (1.33), so our types may have more
fields; they may not have fewer, except for fields upstream removed since 1.22 (REMOVED).
"""
import json
import os
import re
import subprocess

import pytest
from kubernetes.client import models

from conftest import KUBE_BIN

# Fields the 1.22 client still has that upstream removed before 1.33, so 1.33 servers reject them.
REMOVED = {
    ("V1ObjectMeta", "clusterName"),  # dropped in 1.25 (protobuf 15 reserved)
}

# Fields whose type upstream replaced after 1.22 by a compatible one (a superset of fields):
# (client class) -> the definition the field has now.
RENAMED = {
    "V1Handler": "io.k8s.api.core.v1.LifecycleHandler",  # Lifecycle.postStart/preStop, 1.23
    "V1TypedLocalObjectReference": "io.k8s.api.core.v1.TypedObjectReference",  # dataSourceRef, 1.26
    "V1ResourceRequirements": "io.k8s.api.core.v1.VolumeResourceRequirements",  # PVC resources, 1.28
    "V1LoadBalancerStatus": "io.k8s.api.networking.v1.IngressLoadBalancerStatus",  # Ingress status, 1.26
}

# Fields the 1.22 client requires that upstream made optional since.
RELAXED = {
    ("io.k8s.api.apps.v1.StatefulSetSpec", "serviceName"),  # optional since 1.32
}

# Prefix of the Python class name for types whose name is ambiguous across groups.
GROUP_PREFIX = {"core": "CoreV1", "events": "EventsV1", "discovery": "DiscoveryV1",
                "authentication": "AuthenticationV1",
                "pkg": "ApiextensionsV1"}  # io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1

ST_ANY = 2  # schema.h: a free-form type (JSONSchemaProps): its fields are not listed here

SCALARS = {
    "str": {"string", "quantity", "bytes"},
    "int": {"int32", "int64"},
    "bool": {"bool"},
    "float": {"float64"},
    "datetime": {"time", "microtime"},
    "object": {"intorstring", "raw"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    unit = os.path.join(os.path.dirname(os.path.abspath(KUBE_BIN)), "unit-tests")
    if not os.access(unit, os.X_OK):
        pytest.fail(f"{unit} is missing: build it with make (the unit target) first")
    out = tmp_path_factory.mktemp("schema") / "schema.json"
    env = dict(os.environ, KUBE_SCHEMA_DUMP=str(out))
    run = subprocess.run([unit, "schema_dump"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 0 failed" in run.stdout, run.stdout
    with open(out) as f:
        return json.load(f)["types"]


def python_class(defname):
    """The Python model class for an OpenAPI definition name, or None."""
    parts = defname.split(".")
    kind, version = parts[-1], parts[-2]
    group = "meta" if defname.startswith("io.k8s.apimachinery.") else parts[3]
    names = []
    if group in GROUP_PREFIX and version == "v1":
        names.append(GROUP_PREFIX[group] + kind)
    names.append(version.capitalize() + kind)
    for name in names:
        cls = getattr(models, name, None)
        if cls is not None and hasattr(cls, "attribute_map"):
            return name
    return None


SCHEMA = {}


def schema_fields(defname):
    return SCHEMA.get(defname, {}).get("fields")


def shape_error(pytype, field, classes):
    """Why our field does not fit the Python type string, or None when it does."""
    m = re.fullmatch(r"list\[(.+)\]", pytype)
    if m:
        if field["list"] == "none" or field["map"]:
            return "a list in the client"
        return shape_error(m.group(1), dict(field, list="none"), classes)
    m = re.fullmatch(r"dict\(str, (.+)\)", pytype)
    if m:
        if not field["map"]:
            return "a map in the client"
        return shape_error(m.group(1), dict(field, map=False), classes)
    if field["list"] != "none" or field["map"]:
        return f"a list or map here, {pytype} in the client"
    if pytype == "object" and field["kind"] == "object" and not schema_fields(field["type"]):
        return None  # an empty struct upstream (CustomResourceSubresourceStatus): the client has a dict
    if pytype in SCALARS:
        return None if field["kind"] in SCALARS[pytype] else f"{field['kind']} here, {pytype} in the client"
    if field["kind"] != "object":
        return f"{field['kind']} here, object {pytype} in the client"
    if classes.get(field["type"]) != pytype and RENAMED.get(pytype) != field["type"]:
        return f"type {field['type']} here, {pytype} in the client"
    return None


def test_schema_covers_python_client_models(schema):
    classes = {name: python_class(name) for name in schema}
    mapped = {d: c for d, c in classes.items() if c}
    assert len(mapped) > 180, f"only {len(mapped)} of our types have a Python model"
    for kind in ("V1Pod", "V1Deployment", "CoreV1Event", "EventsV1Event", "V1EndpointSlice", "V1Lease",
                 "V1CronJob", "V1ObjectMeta", "V1Status", "V1DeleteOptions", "V1Scale"):
        assert kind in mapped.values(), f"{kind} has no table"
    problems = []
    SCHEMA.update(schema)
    for defname, pyname in sorted(mapped.items()):
        if schema[defname].get("flags", 0) & ST_ANY:
            continue
        cls = getattr(models, pyname)
        fields = schema[defname]["fields"]
        for attr, jsonname in sorted(cls.attribute_map.items()):
            if (pyname, jsonname) in REMOVED:
                assert jsonname not in fields, f"{pyname}.{jsonname} was removed upstream"
                continue
            if jsonname not in fields:
                problems.append(f"{defname}: no field {jsonname} (client {pyname})")
                continue
            why = shape_error(cls.openapi_types[attr], fields[jsonname], classes)
            if why:
                problems.append(f"{defname}.{jsonname}: {why}")
    for pyname, defname in RENAMED.items():
        missing = set(getattr(models, pyname).attribute_map.values()) - set(schema[defname]["fields"])
        if missing:
            problems.append(f"{defname} lacks {sorted(missing)} of the client's {pyname}")
    assert not problems, "\n".join(problems)


def test_schema_required_fields_match_client(schema):
    """A field the 1.22 client requires (its constructor refuses None) is required here too."""
    problems = []
    for defname, pyname in ((d, python_class(d)) for d in schema):
        if not pyname:
            continue
        cls = getattr(models, pyname)
        fields = schema[defname]["fields"]
        for attr, jsonname in cls.attribute_map.items():
            if (defname, jsonname) in RELAXED:
                assert not fields[jsonname]["flags"] & 2, f"{defname}.{jsonname} is optional upstream"
                continue
            if jsonname in fields and _client_requires(cls, attr) and not fields[jsonname]["flags"] & 2:
                problems.append(f"{defname}.{jsonname}")
    assert not problems, "required in the client, optional here:\n" + "\n".join(problems)


def _client_requires(cls, attr):
    """Does the generated setter of attr refuse None (the client's mark of a required field)?"""
    obj = cls.__new__(cls)
    obj.local_vars_configuration = type("C", (), {"client_side_validation": True})()
    try:
        setattr(obj, attr, None)
    except ValueError:
        return True
    return False
