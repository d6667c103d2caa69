"""The real Python client (python3-kubernetes 22.6): create, list, watch, delete."""
import threading

import pytest
from kubernetes import client as k8s
from kubernetes import watch as k8s_watch
from kubernetes.client.rest import ApiException


def cm(name, **labels):
    return k8s.V1ConfigMap(metadata=k8s.V1ObjectMeta(name=name, labels=labels or None), data={"k": name})


def test_create_list_delete(client):
    v1 = k8s.CoreV1Api(client)
    created = v1.create_namespaced_config_map("default", cm("py1", app="a"))
    assert created.metadata.uid and created.metadata.resource_version
    v1.create_namespaced_config_map("default", cm("py2", app="b"))
    names = [c.metadata.name for c in v1.list_namespaced_config_map("default").items]
    assert [n for n in names if n != "kube-root-ca.crt"] == ["py1", "py2"]  # the publisher may have run
    only = v1.list_namespaced_config_map("default", label_selector="app=a").items
    assert [c.metadata.name for c in only] == ["py1"]
    only = v1.list_namespaced_config_map("default", field_selector="metadata.name=py2").items
    assert [c.metadata.name for c in only] == ["py2"]
    got = v1.read_namespaced_config_map("py1", "default")
    assert got.data == {"k": "py1"}
    v1.delete_namespaced_config_map("py1", "default")
    with pytest.raises(ApiException) as e:
        v1.read_namespaced_config_map("py1", "default")
    assert e.value.status == 404
    all_ns = v1.list_config_map_for_all_namespaces()
    assert [c.metadata.name for c in all_ns.items] == ["py2"]


def test_conflict_and_already_exists(client):
    v1 = k8s.CoreV1Api(client)
    v1.create_namespaced_config_map("default", cm("c"))
    with pytest.raises(ApiException) as e:
        v1.create_namespaced_config_map("default", cm("c"))
    assert e.value.status == 409 and '"reason":"AlreadyExists"' in e.value.body
    cur = v1.read_namespaced_config_map("c", "default")
    cur.data = {"k": "new"}
    v1.replace_namespaced_config_map("c", "default", cur)
    cur.data = {"k": "stale"}
    with pytest.raises(ApiException) as e:
        v1.replace_namespaced_config_map("c", "default", cur)
    assert e.value.status == 409 and '"reason":"Conflict"' in e.value.body


def test_watch(client):
    v1 = k8s.CoreV1Api(client)
    rv = v1.list_namespaced_config_map("default").metadata.resource_version
    events = []

    def consume():
        w = k8s_watch.Watch()
        # only w1: the root-CA publisher may still be creating kube-root-ca.crt in a new cluster
        for ev in w.stream(v1.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=10,
                           field_selector="metadata.name=w1"):
            events.append((ev["type"], ev["object"].metadata.name, ev["object"].metadata.resource_version))
            if len(events) == 3:
                w.stop()

    t = threading.Thread(target=consume)
    t.start()
    v1.create_namespaced_config_map("default", cm("w1"))
    body = v1.read_namespaced_config_map("w1", "default")
    body.data = {"k": "changed"}
    v1.replace_namespaced_config_map("w1", "default", body)
    v1.delete_namespaced_config_map("w1", "default")
    t.join(timeout=20)
    assert not t.is_alive()
    assert [(t, n) for t, n, _ in events] == [("ADDED", "w1"), ("MODIFIED", "w1"), ("DELETED", "w1")]
    revs = [int(r) for _, _, r in events]
    assert revs == sorted(revs) and len(set(revs)) == 3


def test_watch_initial_state_and_selector_transitions(client):
    v1 = k8s.CoreV1Api(client)
    v1.create_namespaced_config_map("default", cm("a", tier="x"))
    v1.create_namespaced_config_map("default", cm("b", tier="y"))
    seen = []
    w = k8s_watch.Watch()
    stream = w.stream(v1.list_namespaced_config_map, "default", label_selector="tier=x", timeout_seconds=10)
    ev = next(stream)
    seen.append((ev["type"], ev["object"].metadata.name))
    # b starts matching: ADDED; a stops matching: DELETED.
    v1.patch_namespaced_config_map("b", "default", [{"op": "replace", "path": "/metadata/labels/tier", "value": "x"}])
    seen.append((lambda e: (e["type"], e["object"].metadata.name))(next(stream)))
    v1.patch_namespaced_config_map("a", "default", [{"op": "replace", "path": "/metadata/labels/tier", "value": "z"}])
    seen.append((lambda e: (e["type"], e["object"].metadata.name))(next(stream)))
    w.stop()
    assert seen == [("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a")]


def test_namespaces_and_deployments(client):
    v1 = k8s.CoreV1Api(client)
    apps = k8s.AppsV1Api(client)
    v1.create_namespace(k8s.V1Namespace(metadata=k8s.V1ObjectMeta(name="pyns")))
    ns = v1.read_namespace("pyns")
    assert ns.status.phase == "Active"
    d = k8s.V1Deployment(
        metadata=k8s.V1ObjectMeta(name="d"),
        spec=k8s.V1DeploymentSpec(
            replicas=1, selector=k8s.V1LabelSelector(match_labels={"app": "d"}),
            template=k8s.V1PodTemplateSpec(metadata=k8s.V1ObjectMeta(labels={"app": "d"}),
                                           spec=k8s.V1PodSpec(containers=[k8s.V1Container(name="c", image="busybox")]))))
    out = apps.create_namespaced_deployment("pyns", d)
    assert out.metadata.generation == 1
    assert [x.metadata.name for x in apps.list_namespaced_deployment("pyns").items] == ["d"]
    apps.delete_namespaced_deployment("d", "pyns")
    assert apps.list_namespaced_deployment("pyns").items == []


def test_watch_history_with_field_selector(client):
    """Regression: events replayed from history must carry the previous version, so that a
    selector sees MODIFIED and DELETED (not ADDED and nothing)."""
    v1 = k8s.CoreV1Api(client)
    rv = v1.create_namespaced_config_map("default", cm("h1")).metadata.resource_version
    v1.create_namespaced_config_map("default", cm("h2"))
    v1.patch_namespaced_config_map("h1", "default", [{"op": "add", "path": "/data/x", "value": "y"}])
    v1.delete_namespaced_config_map("h1", "default")
    w = k8s_watch.Watch()
    seen = [(e["type"], e["object"].metadata.name) for e in
            w.stream(v1.list_namespaced_config_map, "default", resource_version=rv,
                     field_selector="metadata.name=h1", timeout_seconds=2)]
    assert seen == [("MODIFIED", "h1"), ("DELETED", "h1")]
