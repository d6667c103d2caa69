"""Acknowledged writes survive kill -9; history is compacted and old watches get 410 Gone."""
import json
import threading

from kubernetes import client as k8s
from kubernetes import config as k8s_config
from kubernetes import watch as k8s_watch
from kubernetes.client.rest import ApiException

from conftest import wait_for


def api(server):
    cfg = k8s.Configuration()
    k8s_config.load_kube_config(config_file=server.kubeconfig, client_configuration=cfg)
    return k8s.ApiClient(cfg)


def test_acknowledged_writes_survive_kill9(make_server):
    s = make_server()
    acked = []
    stop = threading.Event()

    def writer(n):
        c = api(s)
        v1 = k8s.CoreV1Api(c)
        i = 0
        while not stop.is_set():
            name = f"w{n}-{i}"
            try:
                v1.create_namespaced_config_map("default", k8s.V1ConfigMap(metadata=k8s.V1ObjectMeta(name=name),
                                                                             data={"i": str(i)}))
            except Exception:  # noqa: BLE001 - the server is killed under us
                return
            acked.append(name)
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    wait_for(lambda: len(acked) >= 200, what="200 acknowledged writes")
    s.kill9()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    s.start()
    v1 = k8s.CoreV1Api(api(s))
    present = {c.metadata.name for c in v1.list_namespaced_config_map("default").items}
    missing = [n for n in acked if n not in present]
    assert not missing, f"{len(missing)} acknowledged writes lost: {missing[:10]}"


def test_watch_from_compacted_revision_is_gone(make_server):
    s = make_server(["--compact-interval", "1", "--compact-min-revisions", "5"])
    v1 = k8s.CoreV1Api(api(s))
    first = v1.create_namespaced_config_map("default", k8s.V1ConfigMap(metadata=k8s.V1ObjectMeta(name="c0")))
    old_rv = first.metadata.resource_version
    for i in range(40):
        body = k8s.V1ConfigMap(metadata=k8s.V1ObjectMeta(name="c0"), data={"i": str(i)})
        v1.replace_namespaced_config_map("c0", "default", body)

    def compacted():
        code, _, body = s.request("GET", f"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={old_rv}&timeoutSeconds=2")
        line = body.decode().splitlines()[0]
        ev = json.loads(line)
        return ev if ev["type"] == "ERROR" else None

    ev = wait_for(compacted, timeout=30, interval=0.5, what="compaction of the old revision")
    assert ev["object"]["code"] == 410 and ev["object"]["reason"] == "Expired"
    assert "too old resource version" in ev["object"]["message"]
    # The Python client raises 410 the way upstream's server makes it do.
    w = k8s_watch.Watch()
    try:
        for _ in w.stream(v1.list_namespaced_config_map, "default", resource_version=old_rv, timeout_seconds=2):
            pass
        raise AssertionError("expected a 410")
    except ApiException as e:
        assert e.status == 410
    # A paginated list pinned to a compacted revision expires too.
    code, _, body = s.request("GET", "/api/v1/namespaces/default/configmaps?limit=1")
    assert code == 200
    # The current state is intact.
    assert v1.read_namespaced_config_map("c0", "default").data == {"i": "39"}
