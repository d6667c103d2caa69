"""Node lifecycle, taint eviction, PodDisruptionBudgets, the eviction subresource, `kubectl
cordon|uncordon|drain` and PodGC.

There is no kubelet yet: the tests create Nodes through the API and play the kubelet
themselves - they renew the nodes' Leases in kube-node-lease, post node conditions, write pod
status through pods/NAME/status (phase Running, Ready True, a pod IP) and finish the deletion of
terminating pods (grace period 0), as a kubelet does once the containers are gone. Where a test
needs replacement pods (a drain honouring a budget), it plays the ReplicaSet too.

Servers of the node lifecycle tests run with a short --node-monitor-grace-period so that a lost
heartbeat shows in seconds.
"""
import datetime
import json
import threading
import time

import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, wait_for

FAST = ("--node-monitor-grace-period", "5", "--node-monitor-period", "1")
# Tests that are not about lost heartbeats keep the default 40 s grace period, so that a slow
# (sanitized, loaded) run never sees a node go Unknown between two renewals.
STEADY = ("--node-monitor-period", "1")


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

    def put(self, path, body):
        return self.call("PUT", path, body)[1]

    def patch(self, path, body):
        # A merge patch without a resourceVersion should never answer 409; the API server
        # currently does when a controller (node IPAM on a new node) writes the object at the
        # same moment, so the tests retry (reported; not this area's code).
        for _ in range(5):
            code, doc = self.call("PATCH", path, body, "application/merge-patch+json", ok=None)
            if code != 409:
                break
        if code not in (200, 201):
            raise AssertionError(f"PATCH {path}: {code} {doc}")
        return doc

    def delete(self, path, body=None, ok=(200, 202, 404)):
        return self.call("DELETE", path, body, ok=ok)[1]

    # ---- nodes, as the kubelet keeps them ----

    def make_node(self, name, labels=None, ready="True"):
        self.renew(name)  # the heartbeat first, so that the node is never seen without one
        self.post("/api/v1/nodes", {"metadata": {"name": name, "labels": labels or {}}})
        res = {"cpu": "4", "memory": "8Gi", "pods": "110"}
        self.patch(f"/api/v1/nodes/{name}/status", {"status": {"capacity": res, "allocatable": res}})
        self.post_status(name, ready)

    def post_status(self, name, ready="True", extra=()):
        t = now()
        conds = [{"type": "Ready", "status": ready, "reason": "KubeletReady" if ready == "True" else "KubeletNotReady",
                  "message": "kubelet is posting ready status", "lastHeartbeatTime": t, "lastTransitionTime": t}]
        conds += [dict(c, lastHeartbeatTime=t, lastTransitionTime=t) for c in extra]
        self.patch(f"/api/v1/nodes/{name}/status", {"status": {"conditions": conds}})

    def renew(self, name):
        path = f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}"
        lease = self.get(path)
        spec = {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": now(micro=True)}
        if lease is None:
            self.post("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
                      {"metadata": {"name": name}, "spec": spec})
        else:
            lease["spec"].update(spec)
            self.put(path, lease)

    def node(self, name):
        return self.get(f"/api/v1/nodes/{name}")

    # ---- pods, as the kubelet reports them ----

    def make_pod(self, name, node, labels=None, ready=True, ip=None, tolerations=None, owner=None, ns="default"):
        spec = {"nodeName": node, "containers": [{"name": "c", "image": "busybox"}]}
        if tolerations is not None:
            spec["tolerations"] = tolerations
        meta = {"name": name, "labels": labels or {}}
        if owner:
            meta["ownerReferences"] = [owner]
        self.post(f"/api/v1/namespaces/{ns}/pods", {"metadata": meta, "spec": spec})
        if ready is not None:
            self.run_pod(name, ready, ip, ns)

    def run_pod(self, name, ready=True, ip=None, ns="default"):
        st = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
        if ip:
            st["podIP"], st["podIPs"] = ip, [{"ip": ip}]
        self.patch(f"/api/v1/namespaces/{ns}/pods/{name}/status", {"status": st})

    def pods(self, ns="default", selector=None):
        q = f"?labelSelector={selector}" if selector else ""
        return self.get(f"/api/v1/namespaces/{ns}/pods{q}")["items"]

    def pod(self, name, ns="default"):
        return self.get(f"/api/v1/namespaces/{ns}/pods/{name}")

    def events(self, reason, ns="default"):
        return [e for e in self.get(f"/api/v1/namespaces/{ns}/events")["items"] if e["reason"] == reason]


class Kubelet(threading.Thread):
    """Plays the kubelets of some nodes: renews their Leases, finishes the deletion of their
    terminating pods (grace period 0; unless finish is false) calling on_gone(pod) after each,
    and, with start_pods, reports the pods bound to them Running and Ready with a pod IP. Not a
    synchronisation device: tests wait on what the server shows."""

    def __init__(self, api, nodes, on_gone=None, start_pods=False, finish=True):
        super().__init__(daemon=True)
        self.api, self.nodes, self.on_gone, self.start_pods = api, set(nodes), on_gone, start_pods
        self.finish = finish
        self.stop = threading.Event()
        self.errors = []
        self.ips = 0

    def tend(self, p):
        m = p["metadata"]
        if m.get("deletionTimestamp"):
            if not self.finish:
                return
            self.api.delete(f"/api/v1/namespaces/{m['namespace']}/pods/{m['name']}", {"gracePeriodSeconds": 0})
            if self.on_gone:
                self.on_gone(p)
        elif self.start_pods and p.get("status", {}).get("phase") != "Running":
            self.ips += 1
            self.api.run_pod(m["name"], True, f"10.42.9.{self.ips}", m["namespace"])

    def run(self):
        while not self.stop.is_set():
            try:
                for n in list(self.nodes):
                    self.api.renew(n)
                for p in self.api.get("/api/v1/pods")["items"]:
                    if p["spec"].get("nodeName") in self.nodes:
                        self.tend(p)
            except Exception as e:  # noqa: BLE001 - reported by the test through self.errors
                self.errors.append(e)
            self.stop.wait(0.3)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.join(10)


def taints(node):
    return {(t["key"], t["effect"]): t for t in node["spec"].get("taints", [])}


def condition(obj, type_):
    return next((c for c in obj["status"].get("conditions", []) if c["type"] == type_), None)


# ---- node lifecycle ------------------------------------------------------------------------------


def test_lost_heartbeat_makes_node_unknown_and_tainted(make_server):
    """A node whose Lease is no longer renewed goes Ready=Unknown with the unreachable taints;
    when its kubelet is back (Lease renewed, Ready posted) the taints go."""
    api = Api(make_server(FAST))
    api.make_node("n1")
    with Kubelet(api, ["n1"]) as k:
        # Alive: renewed for longer than the grace period, the node stays Ready and untainted.
        start = time.monotonic()
        wait_for(lambda: time.monotonic() - start > 7, timeout=15, what="a few renewals")
        node = api.node("n1")
        assert condition(node, "Ready")["status"] == "True" and not taints(node)
    assert not k.errors
    node = wait_for(lambda: (n := api.node("n1")) and condition(n, "Ready")["status"] == "Unknown" and n,
                    what="Ready=Unknown")
    ready = condition(node, "Ready")
    assert ready["reason"] == "NodeStatusUnknown" and ready["message"] == "Kubelet stopped posting node status."
    for t in ("MemoryPressure", "DiskPressure", "PIDPressure"):
        c = condition(node, t)
        assert c["status"] == "Unknown" and c["reason"] == "NodeStatusNeverUpdated"
        assert c["message"] == "Kubelet never posted node status."
    node = wait_for(lambda: (n := api.node("n1")) and len(taints(n)) == 2 and n, what="unreachable taints")
    tt = taints(node)
    assert set(tt) == {("node.kubernetes.io/unreachable", "NoSchedule"), ("node.kubernetes.io/unreachable", "NoExecute")}
    assert all(t.get("timeAdded") for t in tt.values())
    ev = wait_for(lambda: api.events("NodeNotReady"), what="NodeNotReady event")
    assert ev[0]["message"] == "Node n1 status is now: NodeNotReady"
    assert ev[0]["source"]["component"] == "node-controller"
    assert api.events("RegisteredNode")[0]["message"] == "Node n1 event: Registered Node n1 in Controller"
    # The kubelet comes back.
    api.renew("n1")
    api.post_status("n1", "True")
    wait_for(lambda: not taints(api.node("n1")), what="taints removed")


def test_conditions_and_cordon_taint_the_node(make_server, tmp_path):
    """NotReady and pressure conditions, and cordoning, become NoSchedule (and NoExecute)
    taints; they go when the conditions clear or the node is uncordoned."""
    s = make_server(FAST)
    api = Api(s)
    api.make_node("n1")
    with Kubelet(api, ["n1"]):
        api.post_status("n1", "False", [{"type": "MemoryPressure", "status": "True", "reason": "Low",
                                         "message": "low"}])
        want = {("node.kubernetes.io/not-ready", "NoSchedule"), ("node.kubernetes.io/not-ready", "NoExecute"),
                ("node.kubernetes.io/memory-pressure", "NoSchedule")}
        wait_for(lambda: set(taints(api.node("n1"))) == want, what="not-ready and memory-pressure taints")
        api.post_status("n1", "True", [{"type": "MemoryPressure", "status": "False", "reason": "Ok", "message": "ok"}])
        wait_for(lambda: not taints(api.node("n1")), what="taints removed")
        for v in KUBECTL_VERSIONS:
            kubectl = Kubectl(v, s, tmp_path)
            assert kubectl("cordon", "n1").strip() == "node/n1 cordoned"
            unsched = ("node.kubernetes.io/unschedulable", "NoSchedule")
            wait_for(lambda: unsched in taints(api.node("n1")), what="unschedulable taint")
            assert "Ready,SchedulingDisabled" in kubectl("get", "node", "n1")
            assert kubectl("uncordon", "n1").strip() == "node/n1 uncordoned"
            wait_for(lambda: unsched not in taints(api.node("n1")), what="unschedulable taint removed")


def test_pods_evicted_after_toleration_seconds(make_server):
    """On an unreachable node, a pod tolerating the taint for 1 s is deleted after that (the
    DisruptionTarget condition, a TaintManagerEviction event); one tolerating it forever stays; a
    pod with the default tolerations (300 s, from admission) is not deleted yet."""
    api = Api(make_server(FAST))
    api.make_node("n1")
    unreachable = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}
    api.make_pod("short", "n1", tolerations=[dict(unreachable, tolerationSeconds=1)])
    api.make_pod("forever", "n1", tolerations=[unreachable])
    api.make_pod("default", "n1")
    tol = api.pod("default")["spec"]["tolerations"]
    assert dict(unreachable, tolerationSeconds=300) in tol
    node = wait_for(lambda: (n := api.node("n1")) and ("node.kubernetes.io/unreachable", "NoExecute") in taints(n) and n,
                    what="NoExecute taint")
    added = taints(node)[("node.kubernetes.io/unreachable", "NoExecute")]["timeAdded"]
    pod = wait_for(lambda: (p := api.pod("short")) and p["metadata"].get("deletionTimestamp") and p,
                   what="pod marked for deletion")
    assert pod["metadata"]["deletionTimestamp"] >= added
    cond = condition(pod, "DisruptionTarget")
    assert cond["status"] == "True" and cond["reason"] == "DeletionByTaintManager"
    assert cond["message"] == "Taint manager: deleting due to NoExecute taint"
    ev = wait_for(lambda: api.events("TaintManagerEviction"), what="TaintManagerEviction event")
    assert ev[0]["message"] == "Marking for deletion Pod default/short"
    assert ev[0]["involvedObject"]["name"] == "short"
    # The pods of the unreachable node were marked not ready; the others stay.
    assert condition(api.pod("forever"), "Ready")["status"] == "False"
    assert not api.pod("forever")["metadata"].get("deletionTimestamp")
    assert not api.pod("default")["metadata"].get("deletionTimestamp")


# ---- PodDisruptionBudgets and the eviction subresource ---------------------------------------------


def make_budget(api, name, ns="default", **spec):
    spec.setdefault("selector", {"matchLabels": {"app": "web"}})
    api.post(f"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
             {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name}, "spec": spec})


def budget(api, name, ns="default"):
    return api.get(f"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/{name}")


def evict(api, name, ns="default", **extra):
    body = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name, "namespace": ns}, **extra}
    return api.call("POST", f"/api/v1/namespaces/{ns}/pods/{name}/eviction", body, ok=None)


def test_budget_status_and_eviction(make_server, tmp_path):
    """The disruption controller keeps the budget's status; evictions charge it, a budget with no
    disruption left answers 429 with upstream's message and cause, and kubectl prints budgets."""
    s = make_server(STEADY)
    api = Api(s)
    api.make_node("n1")
    with Kubelet(api, ["n1"]):
        for i in range(3):
            api.make_pod(f"web-{i}", "n1", {"app": "web"}, ip=f"10.42.0.{i + 10}")
        api.make_pod("other", "n1", {"app": "other"})
        make_budget(api, "web", minAvailable=2)

        def settled(allowed):
            b = budget(api, "web")
            st = b.get("status", {})
            return st.get("observedGeneration") == b["metadata"]["generation"] and \
                st.get("disruptionsAllowed") == allowed and b

        b = wait_for(lambda: settled(1), what="budget status")
        st = b["status"]
        assert (st["currentHealthy"], st["desiredHealthy"], st["expectedPods"]) == (3, 2, 3)
        cond = condition(b, "DisruptionAllowed")
        assert (cond["status"], cond["reason"]) == ("True", "SufficientPods")
        for v in KUBECTL_VERSIONS:
            out = Kubectl(v, s, tmp_path)("get", "pdb").splitlines()
            assert out[0].split() == ["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED", "DISRUPTIONS", "AGE"]
            assert out[1].split()[:4] == ["web", "2", "N/A", "1"]
        # One eviction is allowed: the pod is marked and deleted, the budget charged.
        code, doc = evict(api, "web-0")
        assert code == 201 and doc["status"] == "Success", doc
        pod = api.pod("web-0")
        assert pod is None or condition(pod, "DisruptionTarget")["reason"] == "EvictionByEvictionAPI"
        wait_for(lambda: api.pod("web-0") is None, what="evicted pod gone")
        # The next one would break the budget.
        b = wait_for(lambda: settled(0), what="budget with no disruption left")
        assert (b["status"]["currentHealthy"], b["status"]["desiredHealthy"]) == (2, 2)
        cond = condition(b, "DisruptionAllowed")
        assert (cond["status"], cond["reason"]) == ("False", "InsufficientPods")
        code, doc = evict(api, "web-1")
        assert code == 429, doc
        assert doc["reason"] == "TooManyRequests"
        assert doc["message"] == "Cannot evict pod as it would violate the pod's disruption budget."
        assert doc["details"]["causes"] == [{"reason": "DisruptionBudget",
                                             "message": "The disruption budget web needs 2 healthy pods and has 2 currently"}]
        assert not api.pod("web-1")["metadata"].get("deletionTimestamp")
        # A pod no budget covers is simply deleted; a dry run changes nothing; a missing pod is 404.
        code, _ = evict(api, "other", deleteOptions={"dryRun": ["All"]})
        assert code == 201 and not api.pod("other")["metadata"].get("deletionTimestamp")
        assert evict(api, "other")[0] == 201
        wait_for(lambda: api.pod("other") is None, what="pod without budget evicted")
        code, doc = evict(api, "nope")
        assert code == 404 and doc["message"] == 'pods "nope" not found'
        # Two budgets covering one pod: upstream refuses.
        make_budget(api, "web2", maxUnavailable=1)
        code, doc = evict(api, "web-1")
        assert code == 500
        assert doc["message"] == "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."


def test_budget_validation_and_percentages(make_server):
    """Budget validation as upstream; maxUnavailable and percentages count the pods' controllers'
    scale (here a ReplicaSet's, whose pods the ReplicaSet controller and the scheduler make and
    the test, playing the kubelet, runs), and pods without a controller are reported."""
    api = Api(make_server(STEADY))
    code, doc = api.call("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                         {"metadata": {"name": "bad"}, "spec": {"minAvailable": "150%", "selector": {}}}, ok=None)
    # upstream prints the IntOrString value with Go's %#v
    assert code == 422 and ('spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: '
                            'must not be greater than 100%') in doc["message"]
    code, doc = api.call("POST", "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
                         {"metadata": {"name": "bad"}, "spec": {"minAvailable": 1, "maxUnavailable": 1}}, ok=None)
    assert code == 422 and "minAvailable and maxUnavailable cannot be both set" in doc["message"]
    api.make_node("n1")
    with Kubelet(api, ["n1"], start_pods=True):
        api.post("/apis/apps/v1/namespaces/default/replicasets", {
            "metadata": {"name": "web"},
            "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}})
        make_budget(api, "half", maxUnavailable="50%")
        b = wait_for(lambda: (b := budget(api, "half")) and b["status"].get("currentHealthy") == 4 and b,
                     what="budget counting the ReplicaSet's running pods")
        st = b["status"]
        assert (st["expectedPods"], st["desiredHealthy"], st["disruptionsAllowed"]) == (4, 2, 2)
        # Scaled up, the budget follows the scale.
        api.patch("/apis/apps/v1/namespaces/default/replicasets/web", {"spec": {"replicas": 6}})
        b = wait_for(lambda: (b := budget(api, "half")) and b["status"].get("currentHealthy") == 6 and b,
                     what="budget after scaling")
        st = b["status"]
        assert (st["expectedPods"], st["desiredHealthy"], st["disruptionsAllowed"]) == (6, 3, 3)
        api.make_pod("loner", "n1", {"app": "loner"})
        make_budget(api, "loner", minAvailable="50%", selector={"matchLabels": {"app": "loner"}})
        ev = wait_for(lambda: [e for e in api.events("UnmanagedPods") if e["involvedObject"]["name"] == "loner"],
                      what="UnmanagedPods event")
        assert "Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: loner,}" \
            in ev[0]["message"]


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_kubectl_drain_honours_the_budget(make_server, tmp_path, version):
    """`kubectl drain --ignore-daemonsets --delete-emptydir-data` cordons the node, leaves the
    DaemonSet's pod, and evicts the ReplicaSet's pods (with emptyDir volumes) one at a time as
    the budget allows, kubectl retrying the 429s; the ReplicaSet controller replaces them and the
    scheduler puts them on the other node, where the test, playing the kubelets, runs them."""
    s = make_server(STEADY)
    api = Api(s)
    api.make_node("n1", {"ds": "yes"})
    api.make_node("n2")
    api.patch("/api/v1/nodes/n2", {"spec": {"unschedulable": True}})  # the pods start on n1
    tmpl = {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "busybox",
                                     "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}]}],
                     "volumes": [{"name": "scratch", "emptyDir": {}}]}}
    with Kubelet(api, ["n1", "n2"], start_pods=True) as k:
        api.post("/apis/apps/v1/namespaces/default/replicasets", {
            "metadata": {"name": "web"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": tmpl}})
        api.post("/apis/apps/v1/namespaces/default/daemonsets", {
            "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": {"metadata": {"labels": {"app": "agent"}},
                                  "spec": {"nodeSelector": {"ds": "yes"},
                                           "containers": [{"name": "c", "image": "busybox"}]}}}})

        def running(app, node, n):
            pods = [p for p in api.pods(selector=f"app={app}") if p["spec"].get("nodeName") == node
                    and condition(p, "Ready") and condition(p, "Ready")["status"] == "True"]
            return len(pods) == n and pods

        web = wait_for(lambda: running("web", "n1", 3), what="3 web pods running on n1")
        wait_for(lambda: running("agent", "n1", 1), what="the DaemonSet's pod running on n1")
        api.patch("/api/v1/nodes/n2", {"spec": {"unschedulable": False}})
        make_budget(api, "web", minAvailable=2)
        wait_for(lambda: (b := budget(api, "web")) and b["status"].get("disruptionsAllowed") == 1, what="budget ready")
        p = Kubectl(version, s, tmp_path).run("drain", "n1", "--ignore-daemonsets", "--delete-emptydir-data",
                                              "--timeout=120s", timeout=150, check=False)
        out = p.stdout + p.stderr
        state = [(x["metadata"]["name"], x["spec"].get("nodeName"), x["metadata"].get("deletionTimestamp"),
                  x["status"].get("phase"), condition(x, "Ready")) for x in api.pods()]
        assert p.returncode == 0, f"{out}\n{state}\n{budget(api, 'web')['status']}\n{k.errors}"
        wait_for(lambda: running("web", "n2", 3), what="3 web pods running on n2")
    assert not k.errors, k.errors
    assert "node/n1 cordoned" in out
    assert "Warning: ignoring DaemonSet-managed Pods: default/agent-" in out
    for pod in web:
        name = pod["metadata"]["name"]
        assert f"evicting pod default/{name}" in out
        assert f"pod/{name} evicted" in out
    assert ('error when evicting pods/"web-' in out and
            "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget." in out), out
    assert "node/n1 drained" in out
    assert api.node("n1")["spec"]["unschedulable"] is True
    on_n1 = [x for x in api.pods() if x["spec"].get("nodeName") == "n1"]
    assert on_n1 and all(x["metadata"]["labels"].get("app") == "agent" for x in on_n1)


# ---- PodGC ----------------------------------------------------------------------------------------


def test_podgc_deletes_pods_of_deleted_node(make_server):
    """Pods bound to a node that is deleted are marked Failed (DeletionByPodGC) and deleted after
    the quarantine (here the 5 s grace period); pods of other nodes stay."""
    api = Api(make_server(FAST))
    for n in ("n1", "n2"):
        api.make_node(n)
    with Kubelet(api, ["n2"]):
        api.make_pod("a", "n1")
        api.make_pod("b", "n1", ready=None)
        api.make_pod("c", "n2")
        api.delete("/api/v1/nodes/n1")
        wait_for(lambda: api.pod("a") is None and api.pod("b") is None, what="orphaned pods deleted")
        assert api.pod("c") is not None


def test_podgc_keeps_terminated_pods_under_threshold(make_server):
    """Beyond --terminated-pod-gc-threshold, the oldest terminated pods are deleted."""
    api = Api(make_server(STEADY + ("--terminated-pod-gc-threshold", "2")))
    api.make_node("n1")
    with Kubelet(api, ["n1"]):
        for i in range(4):
            api.make_pod(f"done-{i}", "n1", ready=None)  # same second: the name breaks ties
        api.make_pod("running", "n1")
        for i in range(4):
            api.patch(f"/api/v1/namespaces/default/pods/done-{i}/status", {"status": {"phase": "Succeeded"}})
        wait_for(lambda: {p["metadata"]["name"] for p in api.pods()} == {"done-2", "done-3", "running"},
                 what="two oldest terminated pods deleted")


def test_podgc_force_deletes_terminating_pods_of_out_of_service_node(make_server):
    """Terminating pods of a node that is not ready and that the administrator tainted
    node.kubernetes.io/out-of-service are force deleted (no kubelet will finish them); on a ready
    node with the same taint they are left to the kubelet."""
    api = Api(make_server(STEADY))
    api.make_node("n1")
    api.make_node("n2")
    with Kubelet(api, ["n2"], finish=False):
        api.post_status("n1", "False")
        api.make_pod("a", "n1")
        api.make_pod("b", "n2")
        for name in ("a", "b"):
            api.delete(f"/api/v1/namespaces/default/pods/{name}", {"gracePeriodSeconds": 300})
        oos = [{"key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown", "effect": "NoExecute"}]
        for n in ("n2", "n1"):
            def taint():  # a fresh copy each try: the node lifecycle controller taints n1 meanwhile (409)
                node = api.node(n)
                node["spec"]["taints"] = node["spec"].get("taints", []) + oos
                return api.call("PUT", f"/api/v1/nodes/{n}", node, ok=(200, 409))[0] == 200
            wait_for(taint, what=f"{n} tainted out-of-service")
        wait_for(lambda: api.pod("a") is None, what="terminating pod of the out-of-service node deleted")
        b = api.pod("b")
        assert b["metadata"]["deletionTimestamp"] and b["status"]["phase"] == "Running"


def test_python_client_eviction_and_budget(server, client):
    """The Python client reads a budget through policy/v1 and evicts through
    create_namespaced_pod_eviction: a 429 with the budget's cause while it allows no disruption,
    then a success once it does."""
    from kubernetes import client as k8s
    from kubernetes.client.rest import ApiException
    api = Api(server)
    api.make_node("n1")
    for i in range(2):
        api.make_pod(f"web-{i}", "n1", {"app": "web"}, ip=f"10.42.3.{i + 10}")
    make_budget(api, "web", minAvailable=2)
    policy, core = k8s.PolicyV1Api(client), k8s.CoreV1Api(client)
    b = wait_for(lambda: (b := policy.read_namespaced_pod_disruption_budget("web", "default")) and
                 b.status.current_healthy == 2 and b, what="budget status")
    assert (b.status.desired_healthy, b.status.disruptions_allowed, b.status.expected_pods) == (2, 0, 2)
    assert b.spec.min_available == 2
    body = k8s.V1Eviction(metadata=k8s.V1ObjectMeta(name="web-0", namespace="default"))
    with pytest.raises(ApiException) as e:
        core.create_namespaced_pod_eviction("web-0", "default", body)
    assert e.value.status == 429
    doc = json.loads(e.value.body)
    assert doc["details"]["causes"][0]["reason"] == "DisruptionBudget"
    policy.patch_namespaced_pod_disruption_budget("web", "default", {"spec": {"minAvailable": 1}})
    wait_for(lambda: policy.read_namespaced_pod_disruption_budget("web", "default").status.disruptions_allowed == 1,
             what="one disruption allowed")
    core.create_namespaced_pod_eviction("web-0", "default", body)
    assert api.pod("web-0")["metadata"]["deletionTimestamp"]
