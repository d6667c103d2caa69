"""The scheduler and PriorityClasses: placement by resources, taints and tolerations,
nodeSelector and node affinity, pod anti-affinity, topology spreading, host ports; the
FailedScheduling event and PodScheduled condition of a pod that fits nowhere, as `kubectl
describe pod` and `kubectl get events` show them (kubectl 1.27 and 1.33); later scheduling when a
node is added; PriorityClass validation and admission; preemption.

There is no kubelet yet: the tests create Nodes through the API with the capacity and
allocatable they need, post their Ready condition and create their Leases in kube-node-lease.
The servers run with a long --node-monitor-grace-period, so that the node lifecycle controller
never finds those Leases stale and never taints the nodes during a test (no renewal loop is
needed). Where a test needs a preemption victim to go away, it plays the kubelet and finishes
the victim's graceful deletion (grace period 0).
"""
import datetime
import json
import re

import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, wait_for

LONG_GRACE = ("--node-monitor-grace-period", "3600")


def now(micro=False):
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


class Api:
    """JSON over the server's HTTPS API with the admin certificate."""

    def __init__(self, server):
        self.s = server

    def call(self, method, path, body=None, ctype="application/json", ok=(200, 201, 202)):
        data = json.dumps(body).encode() if body is not None else None
        code, _, raw = self.s.request(method, path, data, {"Content-Type": ctype} if data else {})
        doc = json.loads(raw) if raw else None
        if ok and code not in ok:
            raise AssertionError(f"{method} {path}: {code} {raw[:500]!r}")
        return code, doc

    def get(self, path):
        code, doc = self.call("GET", path, ok=None)
        return doc if code == 200 else None

    def post(self, path, body, ok=(200, 201, 202)):
        return self.call("POST", path, body, ok=ok)[1]

    def patch(self, path, body):
        # A merge patch without a resourceVersion may still get 409 here when a controller
        # (node IPAM, node lifecycle) writes the same node at the same moment: the server takes
        # the patched object's resourceVersion as a precondition (upstream retries internally).
        # Retry as a client would on a conflict.
        for _ in range(10):
            code, doc = self.call("PATCH", path, body, "application/merge-patch+json", ok=None)
            if code != 409:
                break
        assert code == 200, f"PATCH {path}: {code} {doc}"
        return doc

    def delete(self, path, body=None, ok=(200, 202, 404)):
        return self.call("DELETE", path, body, ok=ok)[1]

    def make_node(self, name, cpu="4", memory="8Gi", pods="110", labels=None, taints=None):
        """A Ready node with its Lease, as a kubelet registers one."""
        labels = dict({"kubernetes.io/hostname": name}, **(labels or {}))
        spec = {"taints": taints} if taints else {}
        self.post("/api/v1/nodes", {"metadata": {"name": name, "labels": labels}, "spec": spec})
        res = {"cpu": cpu, "memory": memory, "pods": pods, "ephemeral-storage": "20Gi"}
        t = now()
        ready = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                 "lastHeartbeatTime": t, "lastTransitionTime": t}
        self.patch(f"/api/v1/nodes/{name}/status",
                   {"status": {"capacity": res, "allocatable": res, "conditions": [ready]}})
        self.post("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
                  {"metadata": {"name": name},
                   "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": now(micro=True)}})

    def make_pod(self, name, cpu=None, memory=None, labels=None, ns="default", ok=(201,), **spec):
        c = {"name": "c", "image": "busybox"}
        req = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
        if req:
            c["resources"] = {"requests": req}
        if "ports" in spec:
            c["ports"] = spec.pop("ports")
        body = {"metadata": {"name": name, "labels": labels or {}}, "spec": dict({"containers": [c]}, **spec)}
        return self.post(f"/api/v1/namespaces/{ns}/pods", body, ok=ok)

    def pod(self, name, ns="default"):
        return self.get(f"/api/v1/namespaces/{ns}/pods/{name}")

    def node_of(self, name, ns="default"):
        p = self.pod(name, ns)
        return p and p["spec"].get("nodeName")

    def events(self, name, reason, ns="default"):
        return [e for e in self.get(f"/api/v1/namespaces/{ns}/events")["items"]
                if e["reason"] == reason and e["involvedObject"]["name"] == name]


def condition(obj, type_):
    return next((c for c in obj.get("status", {}).get("conditions", []) if c["type"] == type_), None)


def bound(api, name):
    return wait_for(lambda: api.node_of(name), what=f"pod {name} bound")


def failed(api, name):
    """The FailedScheduling message of pod name, once its PodScheduled condition says so."""
    cond = wait_for(lambda: (c := condition(api.pod(name), "PodScheduled")) and c["status"] == "False" and c,
                    what=f"PodScheduled=False on {name}")
    assert cond["reason"] == "Unschedulable"
    ev = wait_for(lambda: api.events(name, "FailedScheduling"), what=f"FailedScheduling event of {name}")
    assert all(e["type"] == "Warning" and e["source"]["component"] == "default-scheduler" for e in ev)
    assert any(e["message"] == cond["message"] for e in ev)
    return cond["message"]


@pytest.fixture
def api(make_server):
    return Api(make_server(LONG_GRACE))


def kubectls(server, tmp_path):
    return [Kubectl(v, server, tmp_path) for v in KUBECTL_VERSIONS]


# ---- placement ---------------------------------------------------------------------------------


def test_resources_place_and_fail_with_upstream_message(make_server, tmp_path):
    """A pod goes to the node with room for its requests; one that fits nowhere gets
    PodScheduled=False (Unschedulable) and a FailedScheduling event with upstream's message,
    word for word, as kubectl 1.27 and 1.33 show it; it is scheduled as soon as a node that fits
    joins, and gets the Scheduled event."""
    s = make_server(LONG_GRACE)
    api = Api(s)
    api.make_node("small", cpu="1")
    api.make_node("big", cpu="4")
    api.make_pod("fits", cpu="2", memory="1Gi")
    assert bound(api, "fits") == "big"
    sched = wait_for(lambda: api.events("fits", "Scheduled"), what="Scheduled event")
    assert sched[0]["message"] == "Successfully assigned default/fits to big"
    assert condition(api.pod("fits"), "PodScheduled")["status"] == "True"

    api.make_pod("huge", cpu="3")
    msg = failed(api, "huge")
    # "small" can never hold 3 cpus (preemption cannot help); "big" could, were its pod of lower
    # priority.
    assert msg == ("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: "
                   "1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..")
    for k in kubectls(s, tmp_path):
        out = k("describe", "pod", "huge")
        assert "PodScheduled" in out and "False" in out
        assert "Warning  FailedScheduling" in out and "default-scheduler" in out
        assert "0/2 nodes are available: 2 Insufficient cpu." in out
        ev = k("get", "events", "--field-selector", "involvedObject.name=huge")
        assert "FailedScheduling" in ev and "0/2 nodes are available: 2 Insufficient cpu." in ev
        assert k("get", "pod", "huge", "-o", "jsonpath={.status.phase}") == "Pending"

    # A node that fits joins: the waiting pod is retried (no polling, an event moves it).
    api.make_node("bigger", cpu="8")
    assert bound(api, "huge") == "bigger"
    assert condition(api.pod("huge"), "PodScheduled")["status"] == "True"


def test_taints_and_tolerations(api):
    """NoSchedule taints keep pods away unless tolerated; the message counts each reason, as in
    the issue's example; PreferNoSchedule only lowers a node's score."""
    api.make_node("a", cpu="1", taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])
    api.make_node("b", cpu="1", taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])
    api.make_node("c", cpu="1")
    api.make_pod("filler", cpu="600m")
    assert bound(api, "filler") == "c"
    api.make_pod("p", cpu="1")
    assert failed(api, "p") == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}. "
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling..")
    api.make_pod("tolerant", cpu="1", tolerations=[{"key": "dedicated", "operator": "Equal", "value": "gpu",
                                                    "effect": "NoSchedule"}])
    assert bound(api, "tolerant") in ("a", "b")
    api.make_pod("exists", cpu="1", tolerations=[{"operator": "Exists"}])
    assert bound(api, "exists") in ("a", "b")
    assert api.node_of("exists") != api.node_of("tolerant")
    # PreferNoSchedule: the untainted node wins while both fit.
    api.make_node("soft", cpu="2", taints=[{"key": "spot", "value": "yes", "effect": "PreferNoSchedule"}])
    api.make_node("plain", cpu="2")
    api.make_pod("q", cpu="100m", affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In",
                                                     "values": ["soft", "plain"]}]}]}}})
    assert bound(api, "q") == "plain"


def test_node_selector_and_affinity(api):
    """nodeSelector and required node affinity filter nodes; preferred node affinity wins among
    those that fit; nothing matching reports the affinity reason (preemption cannot help)."""
    api.make_node("ssd", labels={"disktype": "ssd", "topology.kubernetes.io/zone": "z1"})
    api.make_node("hdd", labels={"disktype": "hdd", "topology.kubernetes.io/zone": "z2"})
    api.make_node("hdd2", labels={"disktype": "hdd", "topology.kubernetes.io/zone": "z3"})
    api.make_pod("sel", nodeSelector={"disktype": "ssd"})
    assert bound(api, "sel") == "ssd"
    req = {"nodeSelectorTerms": [{"matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "NotIn",
                                                        "values": ["z1", "z3"]}]}]}
    api.make_pod("req", affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": req}})
    assert bound(api, "req") == "hdd"
    pref = [{"weight": 50, "preference": {"matchExpressions": [{"key": "topology.kubernetes.io/zone",
                                                                "operator": "In", "values": ["z3"]}]}}]
    for i in range(3):
        api.make_pod(f"pref{i}", affinity={"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": pref}})
        assert bound(api, f"pref{i}") == "hdd2"
    api.make_pod("none", nodeSelector={"disktype": "nvme"})
    assert failed(api, "none") == (
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..")
    # A label added to a node makes it match: the pod is retried on the node update.
    api.patch("/api/v1/nodes/hdd", {"metadata": {"labels": {"disktype": "nvme"}}})
    assert bound(api, "none") == "hdd"


def test_pod_anti_affinity_and_affinity(api):
    """Required anti-affinity on the hostname puts one replica per node and leaves the extra one
    pending with upstream's reason; required affinity follows the pods it names."""
    for n in ("n1", "n2"):
        api.make_node(n)
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    for i in range(3):
        api.make_pod(f"web{i}", labels={"app": "web"}, affinity=anti)
    placed = wait_for(lambda: sorted(n for i in range(3) if (n := api.node_of(f"web{i}"))) == ["n1", "n2"],
                      what="two replicas on two nodes")
    assert placed
    pending = next(f"web{i}" for i in range(3) if not api.node_of(f"web{i}"))
    assert failed(api, pending) == (
        "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. "
        "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod..")
    # Required affinity: the cache goes where web0 runs.
    aff = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    api.make_pod("cache", labels={"app": "cache"}, affinity=aff, nodeSelector={"kubernetes.io/hostname": "n2"})
    assert bound(api, "cache") == "n2"
    aff["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["labelSelector"] = {
        "matchLabels": {"app": "nothing"}}
    api.make_pod("lonely", labels={"app": "x"}, affinity=aff)
    assert failed(api, "lonely").startswith("0/2 nodes are available: 2 node(s) didn't match pod affinity rules.")


def test_topology_spread_and_host_ports(api):
    """maxSkew 1 over zones spreads four pods two and two even though one zone has two nodes;
    a pod that would break the skew waits; host ports collide per node."""
    api.make_node("a1", labels={"topology.kubernetes.io/zone": "a"})
    api.make_node("a2", labels={"topology.kubernetes.io/zone": "a"})
    api.make_node("b1", labels={"topology.kubernetes.io/zone": "b"}, cpu="700m")
    spread = [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
               "labelSelector": {"matchLabels": {"app": "s"}}}]
    zone = {"a1": "a", "a2": "a", "b1": "b"}
    for i in range(4):
        api.make_pod(f"s{i}", cpu="300m", labels={"app": "s"}, topologySpreadConstraints=spread)
        bound(api, f"s{i}")
    zones = sorted(zone[api.node_of(f"s{i}")] for i in range(4))
    assert zones == ["a", "a", "b", "b"]
    # Zone b is full: a fifth pod may go to zone a (skew 1), a sixth would make the skew 2.
    api.make_pod("s4", cpu="300m", labels={"app": "s"}, topologySpreadConstraints=spread)
    assert zone[bound(api, "s4")] == "a"
    api.make_pod("s5", cpu="300m", labels={"app": "s"}, topologySpreadConstraints=spread)
    assert failed(api, "s5").startswith(
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints.")
    # Host ports: one pod per node on port 8080.
    for i in range(4):
        api.make_pod(f"hp{i}", ports=[{"containerPort": 80, "hostPort": 8080}])
    wait_for(lambda: sum(1 for i in range(4) if api.node_of(f"hp{i}")) == 3, what="three host-port pods")
    pending = next(f"hp{i}" for i in range(4) if not api.node_of(f"hp{i}"))
    assert failed(api, pending).startswith(
        "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.")


def test_other_scheduler_and_cordon(api):
    """Pods for another scheduler are left alone; a cordoned node takes no pods."""
    api.make_node("n1")
    api.make_pod("mine", schedulerName="my-scheduler")
    api.make_pod("first")
    assert bound(api, "first") == "n1"
    assert api.node_of("mine") is None and not condition(api.pod("mine"), "PodScheduled")
    api.patch("/api/v1/nodes/n1", {"spec": {"unschedulable": True}})
    api.make_pod("second")
    assert failed(api, "second") == (
        "0/1 nodes are available: 1 node(s) were unschedulable. "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..")
    api.patch("/api/v1/nodes/n1", {"spec": {"unschedulable": False}})
    assert bound(api, "second") == "n1"


# ---- PriorityClass and preemption --------------------------------------------------------------


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_priority_classes(make_server, tmp_path, version):
    """The system classes exist and cannot be deleted; user classes are validated as upstream
    (value limit, reserved prefix, one global default, immutable value); pods get their class's
    priority and preemption policy, or the global default's."""
    s = make_server(LONG_GRACE)
    api, k = Api(s), Kubectl(version, s, tmp_path)
    out = wait_for(lambda: (o := k("get", "priorityclasses")) and "system-node-critical" in o and o,
                   what="system classes")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"] or \
        lines[0].split() == ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE"]
    assert any(l.split()[:3] == ["system-cluster-critical", "2000000000", "false"] for l in lines)
    assert any(l.split()[:3] == ["system-node-critical", "2000001000", "false"] for l in lines)
    r = k.run("delete", "pc", "system-node-critical", check=False)
    assert r.returncode != 0 and "this is a system priority class and cannot be deleted" in r.stderr

    r = k.run("create", "priorityclass", "too-high", "--value=1000000001", check=False)
    assert r.returncode != 0 and "maximum allowed value of a user defined priority is 1000000000" in r.stderr
    r = k.run("create", "priorityclass", "system-mine", "--value=5", check=False)
    assert r.returncode != 0 and "priority class names with 'system-' prefix are reserved for system use only" in r.stderr
    k("create", "priorityclass", "high", "--value=1000", "--description=important")
    k("create", "priorityclass", "low", "--value=10", "--global-default", "--preemption-policy=Never")
    r = k.run("create", "priorityclass", "low2", "--value=11", "--global-default", check=False)
    assert r.returncode != 0 and "PriorityClass low is already marked as default. Only one default can exist" in r.stderr
    r = k.run("patch", "pc", "high", "-p", '{"value": 7}', check=False)
    assert r.returncode != 0 and "may not be changed in an update" in r.stderr
    assert k("get", "pc", "low", "-o", "jsonpath={.globalDefault} {.preemptionPolicy}") == "true Never"
    assert k("get", "pc", "high", "-o", "jsonpath={.preemptionPolicy}") == "PreemptLowerPriority"

    api.make_pod("p-high", priorityClassName="high")
    api.make_pod("p-default")
    assert api.pod("p-high")["spec"]["priority"] == 1000
    assert api.pod("p-high")["spec"]["preemptionPolicy"] == "PreemptLowerPriority"
    p = api.pod("p-default")["spec"]
    assert (p["priorityClassName"], p["priority"], p["preemptionPolicy"]) == ("low", 10, "Never")
    code, doc = api.call("POST", "/api/v1/namespaces/default/pods",
                         {"metadata": {"name": "bad"}, "spec": {"priorityClassName": "nope",
                                                                "containers": [{"name": "c", "image": "x"}]}}, ok=None)
    assert code == 403 and "no PriorityClass with name nope was found" in doc["message"]
    out = k("describe", "pod", "p-high")
    assert re.search(r"^Priority:\s+1000$", out, re.M) and re.search(r"^Priority Class Name:\s+high$", out, re.M)


def finish_deletions(api, node):
    """Plays the kubelet of node: finishes the graceful deletion of its terminating pods."""
    for p in api.get("/api/v1/pods")["items"]:
        m = p["metadata"]
        if m.get("deletionTimestamp") and p["spec"].get("nodeName") == node:
            api.delete(f"/api/v1/namespaces/{m['namespace']}/pods/{m['name']}", {"gracePeriodSeconds": 0})
    return True


def test_preemption(make_server, tmp_path):
    """A high-priority pod that fits nowhere preempts the lowest-priority pods it needs gone on
    one node: the victims get a DisruptionTarget condition, a Preempted event and a graceful
    deletion; the preemptor is nominated to the node, then bound once they are gone. A pod with
    preemptionPolicy Never waits instead, and says why."""
    s = make_server(LONG_GRACE)
    api = Api(s)
    k = Kubectl(KUBECTL_VERSIONS[-1], s, tmp_path)
    k("create", "priorityclass", "high", "--value=1000")
    k("create", "priorityclass", "mid", "--value=500")
    k("create", "priorityclass", "never", "--value=2000", "--preemption-policy=Never")
    api.make_node("n1", cpu="2")
    api.make_node("n2", cpu="2")
    api.make_pod("low1", cpu="1500m")
    api.make_pod("low2", cpu="1500m")
    api.make_pod("mid1", cpu="1500m", priorityClassName="mid")
    wait_for(lambda: api.node_of("low1") and api.node_of("low2"), what="low pods bound")
    mid = failed(api, "mid1")
    assert mid.startswith("0/2 nodes are available: 2 Insufficient cpu.")
    # mid1 (500) preempted a low pod on one node: it is nominated there.
    victim_node = wait_for(lambda: api.pod("mid1")["status"].get("nominatedNodeName"), what="mid1 nominated")
    victim = "low1" if api.node_of("low1") == victim_node else "low2"
    vp = wait_for(lambda: (p := api.pod(victim)) and p["metadata"].get("deletionTimestamp") and p,
                  what="victim terminating")
    dt = condition(vp, "DisruptionTarget")
    assert dt and dt["status"] == "True" and dt["reason"] == "PreemptionByScheduler"
    ev = wait_for(lambda: api.events(victim, "Preempted"), what="Preempted event")
    assert ev[0]["message"] == f"Preempted by pod {api.pod('mid1')['metadata']['uid']} on node {victim_node}"
    out = k("get", "pod", "mid1", "-o", "wide")
    assert victim_node in out.splitlines()[1].split()
    finish_deletions(api, victim_node)
    assert bound(api, "mid1") == victim_node

    # preemptionPolicy Never: no victims, the message says so.
    api.make_pod("polite", cpu="1500m", priorityClassName="never")
    assert failed(api, "polite") == (
        "0/2 nodes are available: 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..")
    other = "low2" if victim == "low1" else "low1"
    assert not api.pod(other)["metadata"].get("deletionTimestamp")
    assert not api.pod("mid1")["metadata"].get("deletionTimestamp")
