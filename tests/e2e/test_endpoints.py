"""EndpointSlices and Endpoints kept from Services' selectors and pod readiness, and the
`kubernetes` Service's endpoint.

There is no kubelet yet: the tests create a Node through the API and play the kubelet by
writing pod status through pods/NAME/status (phase Running, the Ready condition, a pod IP).
Pods are created bound (spec.nodeName) so that the scheduler leaves them alone, and a pod deleted
with a grace period stays terminating because no kubelet finishes it.

The tests share one server; each works in its own namespace.
"""
import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, Server, wait_for
from test_nodes import Api

SLICES = "/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    # The node's Lease is not renewed: a long grace period keeps it (and its pods) Ready.
    s = Server(tmp_path_factory.mktemp("endpoints"), ("--node-monitor-grace-period", "3600")).start()
    api = Api(s)
    api.make_node("n1", {"topology.kubernetes.io/zone": "zone-a"})
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


@pytest.fixture
def api(srv, request):
    """The API, with a namespace of the test's own in api.ns."""
    a = Api(srv)
    a.ns = request.node.name.replace("_", "-")[:50].strip("-").lower()
    a.post("/api/v1/namespaces", {"metadata": {"name": a.ns}})
    return a


def make_pod(api, name, ip, ready=True, labels=None, ports=None):
    c = {"name": "c", "image": "busybox"}
    if ports:
        c["ports"] = ports
    api.post(f"/api/v1/namespaces/{api.ns}/pods",
             {"metadata": {"name": name, "labels": labels or {"app": "web"}},
              "spec": {"nodeName": "n1", "containers": [c]}})
    if ip:
        api.run_pod(name, ready, ip, api.ns)


def make_service(api, name, ports, selector=None, **spec):
    return api.post(f"/api/v1/namespaces/{api.ns}/services", {
        "metadata": {"name": name},
        "spec": {"selector": selector or {"app": "web"}, "ports": ports, **spec}})


def slices(api, svc):
    return api.get(SLICES.format(ns=api.ns) + f"?labelSelector=kubernetes.io/service-name={svc}")["items"]


def endpoints(api, name):
    return api.get(f"/api/v1/namespaces/{api.ns}/endpoints/{name}")


def by_ip(slice_list):
    return {ep["addresses"][0]: ep for s in slice_list for ep in s["endpoints"] or []}


def test_slices_and_endpoints_follow_pod_readiness(api, srv, tmp_path):
    """A Service selecting three pods (one not ready, one terminating) gets one EndpointSlice
    (labels, owner, generateName, named port resolved per pod, conditions, node, zone, target)
    and an Endpoints object (ready and not-ready addresses, terminating pods left out); readiness
    changes move the pods; kubectl prints both."""
    named = [{"name": "http", "containerPort": 8080}]
    make_pod(api, "a", "10.42.0.10", ports=named)
    make_pod(api, "b", "10.42.0.11", ready=False, ports=named)
    make_pod(api, "c", "10.42.0.12", ports=named)
    make_pod(api, "nip", None, ports=named)  # no IP yet: not an endpoint
    make_pod(api, "other", "10.42.0.13", labels={"app": "other"}, ports=named)
    api.delete(f"/api/v1/namespaces/{api.ns}/pods/c", {"gracePeriodSeconds": 300})
    svc = make_service(api, "web", [{"name": "web", "port": 80, "targetPort": "http"},
                                    {"name": "metrics", "port": 9090, "targetPort": 9100}])
    sl = wait_for(lambda: (s := slices(api, "web")) and len(by_ip(s)) == 3 and s, what="the EndpointSlice")
    assert len(sl) == 1
    s = sl[0]
    assert s["metadata"]["name"].startswith("web-") and s["metadata"]["generateName"] == "web-"
    assert s["metadata"]["labels"] == {"kubernetes.io/service-name": "web",
                                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
    ref = s["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["uid"], ref["controller"]) == ("Service", "web", svc["metadata"]["uid"], True)
    assert s["addressType"] == "IPv4"
    assert sorted((p["name"], p["port"], p["protocol"]) for p in s["ports"]) == [("metrics", 9100, "TCP"),
                                                                                ("web", 8080, "TCP")]
    eps = by_ip(sl)
    conds = {ip: (e["conditions"]["ready"], e["conditions"]["serving"], e["conditions"]["terminating"])
             for ip, e in eps.items()}
    assert conds == {"10.42.0.10": (True, True, False), "10.42.0.11": (False, False, False),
                     "10.42.0.12": (False, True, True)}
    a = eps["10.42.0.10"]
    assert a["nodeName"] == "n1" and a["zone"] == "zone-a"
    assert a["targetRef"]["kind"] == "Pod" and a["targetRef"]["name"] == "a"
    assert a["targetRef"]["namespace"] == api.ns and a["targetRef"]["uid"] == api.pod("a", api.ns)["metadata"]["uid"]

    ep = wait_for(lambda: (e := endpoints(api, "web")) and e.get("subsets") and e, what="the Endpoints")
    assert len(ep["subsets"]) == 1
    sub = ep["subsets"][0]
    assert [x["ip"] for x in sub["addresses"]] == ["10.42.0.10"]
    assert [x["ip"] for x in sub["notReadyAddresses"]] == ["10.42.0.11"]
    assert sub["addresses"][0]["nodeName"] == "n1" and sub["addresses"][0]["targetRef"]["name"] == "a"
    assert sorted((p["name"], p["port"]) for p in sub["ports"]) == [("metrics", 9100), ("web", 8080)]

    # b becomes ready, a not ready.
    api.run_pod("b", True, "10.42.0.11", api.ns)
    api.run_pod("a", False, "10.42.0.10", api.ns)
    wait_for(lambda: [x["ip"] for x in (endpoints(api, "web")["subsets"][0].get("addresses") or [])] == ["10.42.0.11"],
             what="b ready in Endpoints")
    eps = wait_for(lambda: (e := by_ip(slices(api, "web"))) and e["10.42.0.11"]["conditions"]["ready"] and e,
                   what="b ready in the slice")
    assert eps["10.42.0.10"]["conditions"]["ready"] is False
    for v in KUBECTL_VERSIONS:
        kubectl = Kubectl(v, srv, tmp_path)
        out = kubectl("get", "endpoints", "web", "-n", api.ns).splitlines()
        assert out[0].split() == ["NAME", "ENDPOINTS", "AGE"]
        assert out[1].split()[:2] == ["web", "10.42.0.11:9100,10.42.0.11:8080"] or \
            out[1].split()[:2] == ["web", "10.42.0.11:8080,10.42.0.11:9100"], out
        out = kubectl("get", "endpointslices", "-n", api.ns).splitlines()
        assert out[0].split() == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
        row = out[1].split()
        assert row[0].startswith("web-") and row[1] == "IPv4"
        assert set(row[2].split(",")) == {"8080", "9100"}
        assert set(row[3].split(",")) == {"10.42.0.10", "10.42.0.11", "10.42.0.12"}

    # The terminating pod goes: it leaves the slice.
    api.delete(f"/api/v1/namespaces/{api.ns}/pods/c", {"gracePeriodSeconds": 0})
    wait_for(lambda: set(by_ip(slices(api, "web"))) == {"10.42.0.10", "10.42.0.11"}, what="c gone from the slice")


def test_named_ports_and_publish_not_ready(api):
    """Pods naming the target port differently get slices per port set; a pod that does not
    name it is listed without that port; publishNotReadyAddresses makes unready pods ready."""
    make_pod(api, "p1", "10.42.1.10", ports=[{"name": "http", "containerPort": 8080}])
    make_pod(api, "p2", "10.42.1.11", ready=False, ports=[{"name": "http", "containerPort": 8081}])
    make_pod(api, "p3", "10.42.1.12")
    make_service(api, "web", [{"name": "web", "port": 80, "targetPort": "http"}], publishNotReadyAddresses=True)
    sl = wait_for(lambda: (s := slices(api, "web")) and len(by_ip(s)) == 3 and s, what="slices")
    ports = {ep["addresses"][0]: [(p["name"], p["port"]) for p in s["ports"]] for s in sl for ep in s["endpoints"]}
    assert ports == {"10.42.1.10": [("web", 8080)], "10.42.1.11": [("web", 8081)], "10.42.1.12": []}
    assert all(ep["conditions"]["ready"] for ep in by_ip(sl).values())
    assert by_ip(sl)["10.42.1.11"]["conditions"]["serving"] is False
    ep = wait_for(lambda: (e := endpoints(api, "web")) and len(e.get("subsets", [])) == 2 and e, what="Endpoints")
    got = sorted(([a["ip"] for a in s["addresses"]], [p["port"] for p in s["ports"]]) for s in ep["subsets"])
    assert got == [(["10.42.1.10"], [8080]), (["10.42.1.11"], [8081])]


def test_slices_hold_at_most_100_endpoints(api):
    """130 pods behind a Service make two slices, of 100 and 30 endpoints; when pods go the
    slices shrink in place and an emptied one is deleted."""
    for i in range(130):
        make_pod(api, f"p{i}", f"10.43.0.{i + 1}")
    make_service(api, "web", [{"name": "web", "port": 80}])
    sl = wait_for(lambda: (s := slices(api, "web")) and len(by_ip(s)) == 130 and s, what="130 endpoints", timeout=60)
    assert sorted(len(s["endpoints"]) for s in sl) == [30, 100]
    assert all(s["metadata"]["name"].startswith("web-") for s in sl)
    ep = endpoints(api, "web")
    assert len(ep["subsets"][0]["addresses"]) == 130
    small = next(s for s in sl if len(s["endpoints"]) == 30)
    gone = {ep["targetRef"]["name"] for ep in small["endpoints"]}
    for name in sorted(gone):
        api.delete(f"/api/v1/namespaces/{api.ns}/pods/{name}", {"gracePeriodSeconds": 0})
    sl = wait_for(lambda: (s := slices(api, "web")) and len(by_ip(s)) == 100 and len(s) == 1 and s,
                  what="one slice of 100 endpoints", timeout=60)
    assert sl[0]["metadata"]["name"] != small["metadata"]["name"]


def test_service_changes_and_deletion(api):
    """A selector change moves the endpoints; a Service with no matching pod keeps one empty slice
    and an Endpoints without subsets; deleting the Service deletes its Endpoints and (through the
    garbage collector) its slices. Services without a selector are left alone."""
    make_pod(api, "a", "10.42.2.10", labels={"app": "a"})
    make_pod(api, "b", "10.42.2.11", labels={"app": "b"})
    make_service(api, "web", [{"name": "web", "port": 80}], selector={"app": "a"})
    wait_for(lambda: set(by_ip(slices(api, "web"))) == {"10.42.2.10"}, what="a")
    api.patch(f"/api/v1/namespaces/{api.ns}/services/web", {"spec": {"selector": {"app": "b"}}})
    wait_for(lambda: set(by_ip(slices(api, "web"))) == {"10.42.2.11"}, what="b")
    wait_for(lambda: [a["ip"] for a in endpoints(api, "web")["subsets"][0]["addresses"]] == ["10.42.2.11"],
             what="b in Endpoints")
    api.patch(f"/api/v1/namespaces/{api.ns}/services/web", {"spec": {"selector": {"app": "none"}}})
    sl = wait_for(lambda: (s := slices(api, "web")) and not by_ip(s) and s, what="an empty slice")
    assert len(sl) == 1 and not sl[0].get("endpoints")
    wait_for(lambda: not endpoints(api, "web").get("subsets"), what="Endpoints without subsets")
    # A Service without a selector: endpoints are the user's.
    api.post(f"/api/v1/namespaces/{api.ns}/services", {"metadata": {"name": "manual"},
                                                       "spec": {"ports": [{"port": 80}]}})
    api.delete(f"/api/v1/namespaces/{api.ns}/services/web")
    wait_for(lambda: endpoints(api, "web") is None and not slices(api, "web"), what="endpoints of web deleted")
    assert endpoints(api, "manual") is None and not slices(api, "manual")


def test_kubernetes_service_endpoint(srv):
    """The `kubernetes` Service in default has the API server's address and port as endpoint."""
    api = Api(srv)
    ep = api.get("/api/v1/namespaces/default/endpoints/kubernetes")
    sub = ep["subsets"][0]
    assert sub["ports"] == [{"name": "https", "port": srv.port, "protocol": "TCP"}]
    ip = sub["addresses"][0]["ip"]
    assert not ip.startswith("127.")
    s = api.get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")
    assert s["endpoints"][0]["addresses"] == [ip] and s["ports"][0]["port"] == srv.port
    svc = api.get("/api/v1/namespaces/default/services/kubernetes")
    assert svc["spec"]["ports"][0]["port"] == 443 and svc["spec"]["ports"][0]["targetPort"] == srv.port
