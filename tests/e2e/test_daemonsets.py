"""DaemonSets as the controller runs them: one pod per eligible node, rolling updates with
ControllerRevisions, OnDelete, and `kubectl rollout status|history|undo ds/NAME` with kubectl
1.27 and 1.33.

There is no kubelet in these tests. Nodes are created through the API (each with a Lease in
kube-node-lease, renewed while a test waits, so the node lifecycle controller keeps them
alive); the scheduler binds the daemon pods to the nodes they are pinned to. The test plays the
kubelet: it writes pod status through pods/NAME/status (phase Running, condition Ready=True)
when a rollout needs ready pods, and deletes with grace 0 the pods a node would have stopped
(a bound pod's deletion waits for its kubelet). Tests where kubectl's version makes no
difference run with the newest kubectl only.
"""
import time

import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, wait_for, api, api_get as get

DS = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: {{matchLabels: {{app: agent}}}}
  updateStrategy: {strategy}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:
      {extra}containers:
      - name: agent
        image: {image}
"""
ROLLING = "{type: RollingUpdate, rollingUpdate: {maxUnavailable: %s, maxSurge: %s}}"


# ---- the cluster, and the kubelet the test plays ------------------------------------------------

def now(micro=False):
    t = time.time()
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))
    return s + (".%06dZ" % int((t % 1) * 1e6) if micro else "Z")


class Cluster:
    """Nodes made through the API, with Leases renewed whenever the test waits."""

    def __init__(self, server):
        self.server = server
        self.nodes = []
        self.renewed = 0

    def add_node(self, name, labels=None, taints=None, capacity=None):
        capacity = capacity or {"cpu": "4", "memory": "8Gi", "pods": "110"}
        node = {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": dict({"kubernetes.io/hostname": name}, **(labels or {}))},
                "spec": {"taints": taints or []},
                "status": {"capacity": capacity, "allocatable": capacity,
                           "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                           "lastHeartbeatTime": now(), "lastTransitionTime": now()}]}}
        code, out = api(self.server, "POST", "/api/v1/nodes", node)
        assert code == 201, out
        lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                 "metadata": {"name": name, "namespace": "kube-node-lease"},
                 "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": now(True)}}
        code, out = api(self.server, "POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease)
        assert code == 201, out
        self.nodes.append(name)

    def remove_node(self, name):
        self.nodes.remove(name)
        assert api(self.server, "DELETE", f"/api/v1/nodes/{name}")[0] == 200
        api(self.server, "DELETE", f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}")

    def tick(self):
        """Renews the node Leases (every 5 s at most)."""
        if time.monotonic() - self.renewed < 5:
            return
        self.renewed = time.monotonic()
        for n in self.nodes:
            api(self.server, "PATCH", f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{n}",
                {"spec": {"renewTime": now(True)}}, "application/merge-patch+json")


def pods(server, selector="app=agent"):
    return get(server, "/api/v1/namespaces/default/pods?labelSelector=" + selector)["items"]


def live(server, selector="app=agent"):
    return [p for p in pods(server, selector) if not p["metadata"].get("deletionTimestamp")]


def target(pod):
    """The node a daemon pod is for: its nodeName, or the node its affinity pins it to."""
    if pod["spec"].get("nodeName"):
        return pod["spec"]["nodeName"]
    terms = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    return terms["nodeSelectorTerms"][0]["matchFields"][0]["values"][0]


def is_ready(pod):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod.get("status", {}).get("conditions", []))


def mark_ready(server, pod):
    """Plays the kubelet: the pod runs and is Ready."""
    status = {"phase": "Running", "conditions": [
        {"type": "Initialized", "status": "True", "lastTransitionTime": now()},
        {"type": "Ready", "status": "True", "lastTransitionTime": now()},
        {"type": "ContainersReady", "status": "True", "lastTransitionTime": now()}],
        "containerStatuses": [{"name": c["name"], "image": c["image"], "imageID": "", "ready": True,
                               "restartCount": 0, "started": True, "state": {"running": {"startedAt": now()}}}
                              for c in pod["spec"]["containers"]]}
    code, out = api(server, "PATCH", f"/api/v1/namespaces/default/pods/{pod['metadata']['name']}/status",
                    {"status": status}, "application/merge-patch+json")
    assert code in (200, 404), out


def kubelet(server, selector="app=agent", ready=True):
    """One round of the kubelet: pods being deleted are gone (grace 0), bound pods run and turn
    Ready (when ready). Returns what it did."""
    did = 0
    for p in pods(server, selector):
        name = p["metadata"]["name"]
        if p["metadata"].get("deletionTimestamp"):
            api(server, "DELETE", f"/api/v1/namespaces/default/pods/{name}", {"gracePeriodSeconds": 0})
            did += 1
        elif ready and p["spec"].get("nodeName") and not is_ready(p):
            mark_ready(server, p)
            did += 1
    return did


def daemonset(server, name="agent"):
    return get(server, f"/apis/apps/v1/namespaces/default/daemonsets/{name}")


def apply_ds(kubectl, tmp_path, image="busybox:1.36", strategy=ROLLING % (1, 0), extra=""):
    f = tmp_path / "ds.yaml"
    f.write_text(DS.format(image=image, strategy=strategy, extra=extra))
    return kubectl("apply", "-f", str(f)).strip()


def status_is(server, **want):
    d = daemonset(server)
    st = d.get("status", {})
    return st.get("observedGeneration") == d["metadata"]["generation"] and \
        all(st.get(k, 0) == v for k, v in want.items())


def by_node(server):
    return sorted((target(p), p["spec"]["containers"][0]["image"]) for p in live(server))


@pytest.fixture
def kubectl1(server, tmp_path):
    """kubectl of the newest version, for tests where kubectl's version does not matter."""
    return Kubectl(KUBECTL_VERSIONS[-1], server, tmp_path)


# ---- tests ---------------------------------------------------------------------------------------

def test_one_pod_per_node(server, kubectl, tmp_path):
    cl = Cluster(server)
    for n in ("n1", "n2", "n3"):
        cl.add_node(n)
    assert apply_ds(kubectl, tmp_path) == "daemonset.apps/agent created"

    def placed():
        cl.tick()
        return sorted(p["spec"].get("nodeName", "") for p in live(server)) == ["n1", "n2", "n3"]
    wait_for(placed, what="one bound pod per node")
    ds = daemonset(server)
    for p in live(server):
        ref = p["metadata"]["ownerReferences"][0]
        assert ref["kind"] == "DaemonSet" and ref["name"] == "agent" and ref["controller"] is True
        assert ref["uid"] == ds["metadata"]["uid"]
        assert p["metadata"]["generateName"] == "agent-"
        assert p["metadata"]["labels"]["pod-template-generation"] == "1"
        # Pinned to its node as upstream pins it, and tolerating what daemon pods tolerate.
        terms = p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        assert terms == {"nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": [p["spec"]["nodeName"]]}]}]}
        tols = {(t["key"], t["effect"]) for t in p["spec"]["tolerations"]}
        assert tols >= {("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/unreachable", "NoExecute"),
                        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
                        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
                        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
                        ("node.kubernetes.io/unschedulable", "NoSchedule")}
    # One ControllerRevision, whose hash every pod carries.
    revs = get(server, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"]
    assert len(revs) == 1 and revs[0]["revision"] == 1
    h = revs[0]["metadata"]["labels"]["controller-revision-hash"]
    assert revs[0]["metadata"]["name"] == "agent-" + h
    assert revs[0]["data"]["spec"]["template"]["$patch"] == "replace"
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in live(server)} == {h}
    wait_for(lambda: status_is(server, desiredNumberScheduled=3, currentNumberScheduled=3, numberReady=0,
                               updatedNumberScheduled=3, numberAvailable=0, numberUnavailable=3,
                               numberMisscheduled=0), what="status before readiness")

    def ready():
        cl.tick()
        kubelet(server)
        return status_is(server, desiredNumberScheduled=3, numberReady=3, numberAvailable=3, numberUnavailable=0)
    wait_for(ready, what="all ready")
    out = kubectl("get", "ds", "agent").splitlines()
    assert out[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE", "SELECTOR",
                              "AGE"]
    assert out[1].split()[:7] == ["agent", "3", "3", "3", "3", "3", "<none>"]
    events = get(server, "/api/v1/namespaces/default/events")["items"]
    created = [e for e in events if e["reason"] == "SuccessfulCreate" and e["involvedObject"]["kind"] == "DaemonSet"]
    assert sorted(e["message"] for e in created) == sorted("Created pod: " + p["metadata"]["name"]
                                                           for p in live(server))
    assert all(e["source"]["component"] == "daemonset-controller" for e in created)


def test_node_selector_taints_and_cordon(server, kubectl1, tmp_path):
    cl = Cluster(server)
    cl.add_node("ssd1", {"disk": "ssd"})
    cl.add_node("hdd1", {"disk": "hdd"})
    cl.add_node("gpu1", {"disk": "ssd"}, [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])
    cl.add_node("gone1", {"disk": "ssd"}, [{"key": "evict", "effect": "NoExecute"}])
    apply_ds(kubectl1, tmp_path, extra="nodeSelector: {disk: ssd}\n      ")

    def on(*nodes):
        def check():
            cl.tick()
            kubelet(server)
            return sorted(target(p) for p in live(server)) == sorted(nodes)
        return check
    # The untolerated NoSchedule and NoExecute taints and the selector keep pods off three nodes.
    wait_for(on("ssd1"), what="a pod on ssd1 only")
    wait_for(lambda: status_is(server, desiredNumberScheduled=1, currentNumberScheduled=1, numberMisscheduled=0),
             what="status")
    # A toleration for the NoSchedule taint lets the pod onto gpu1.
    apply_ds(kubectl1, tmp_path, extra="nodeSelector: {disk: ssd}\n      tolerations: "
             "[{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]\n      ")
    wait_for(on("gpu1", "ssd1"), what="pods on ssd1 and gpu1")
    # Relabelling a node moves the pod off it; a cordoned node keeps its daemon pod.
    kubectl1("label", "node", "ssd1", "disk=hdd", "--overwrite")
    # Until its kubelet ends it, the pod being deleted on ssd1 counts as misscheduled.
    wait_for(lambda: status_is(server, desiredNumberScheduled=1, currentNumberScheduled=1, numberMisscheduled=1),
             what="a misscheduled pod")
    wait_for(on("gpu1"), what="the pod on ssd1 gone")
    wait_for(lambda: status_is(server, desiredNumberScheduled=1, numberMisscheduled=0), what="none misscheduled")
    assert kubectl1("cordon", "gpu1").strip() == "node/gpu1 cordoned"
    kubectl1("label", "node", "hdd1", "disk=ssd", "--overwrite")
    wait_for(on("gpu1", "hdd1"), what="pods on gpu1 (cordoned) and hdd1")
    # A daemon pod replaced on a cordoned node is placed there again: it tolerates the
    # unschedulable taint.
    old = next(p for p in live(server) if target(p) == "gpu1")
    kubectl1("delete", "pod", old["metadata"]["name"], "--wait=false")
    wait_for(lambda: on("gpu1", "hdd1")() and all(p["spec"].get("nodeName") for p in live(server)) and
             old["metadata"]["name"] not in [p["metadata"]["name"] for p in pods(server)],
             what="the pod on the cordoned node replaced and bound")
    wait_for(lambda: kubelet(server) >= 0 and status_is(server, desiredNumberScheduled=2, currentNumberScheduled=2,
                                                        numberReady=2),
             what="status with a cordoned node")


def test_follows_nodes(server, kubectl1, tmp_path):
    cl = Cluster(server)
    cl.add_node("a")
    apply_ds(kubectl1, tmp_path)
    wait_for(lambda: cl.tick() or [target(p) for p in live(server)] == ["a"], what="a pod on a")
    cl.add_node("b")
    wait_for(lambda: cl.tick() or sorted(target(p) for p in live(server)) == ["a", "b"], what="a pod added on b")
    wait_for(lambda: status_is(server, desiredNumberScheduled=2, currentNumberScheduled=2), what="two desired")
    # A node with no room for pods: the daemon pod is made for it (upstream does not check
    # resources) but the scheduler cannot bind it.
    cl.add_node("full", capacity={"cpu": "4", "memory": "8Gi", "pods": "0"})
    wait_for(lambda: cl.tick() or sorted(target(p) for p in live(server)) == ["a", "b", "full"],
             what="a pod made for the full node")
    stuck = next(p for p in live(server) if target(p) == "full")
    assert not stuck["spec"].get("nodeName")
    wait_for(lambda: status_is(server, desiredNumberScheduled=3, currentNumberScheduled=3), what="three desired")
    # The node goes: the DaemonSet controller deletes the pod it pinned there, never bound (a
    # bound pod on a deleted node is the pod garbage collector's, after its quarantine).
    cl.remove_node("full")
    wait_for(lambda: cl.tick() or sorted(target(p) for p in pods(server)) == ["a", "b"],
             what="the pod for the removed node deleted")
    wait_for(lambda: status_is(server, desiredNumberScheduled=2, currentNumberScheduled=2), what="two desired again")


def rollout(server, cl, image, max_unavailable=None, max_surge=None, nodes=3):
    """Plays the kubelet until every node runs a ready pod of image, checking at each step that
    no more than max_unavailable nodes lack an available pod and no more than max_surge nodes
    run two. Returns the number of steps."""
    steps = 0
    deadline = time.monotonic() + 60
    while True:
        cl.tick()
        ps = pods(server)
        nodes_ok = {target(p) for p in ps if is_ready(p) and not p["metadata"].get("deletionTimestamp")}
        if max_unavailable is not None:
            assert nodes - len(nodes_ok) <= max_unavailable, [(p["metadata"]["name"], target(p)) for p in ps]
        if max_surge is not None:
            # As upstream counts a surge: pods being deleted are on their way out.
            per_node = {}
            for p in ps:
                if not p["metadata"].get("deletionTimestamp"):
                    per_node[target(p)] = per_node.get(target(p), 0) + 1
            assert sum(1 for v in per_node.values() if v > 1) <= max_surge, per_node
        lv = live(server)
        if len(lv) == nodes and all(is_ready(p) and p["spec"]["containers"][0]["image"] == image for p in lv) and \
                len(ps) == nodes:
            return steps
        steps += kubelet(server) > 0
        assert time.monotonic() < deadline, f"rollout to {image} stuck: {by_node(server)}"
        time.sleep(0.05)


def test_rolling_update_max_unavailable(server, kubectl, tmp_path):
    cl = Cluster(server)
    for n in ("n1", "n2", "n3"):
        cl.add_node(n)
    apply_ds(kubectl, tmp_path)
    rollout(server, cl, "busybox:1.36")
    p = kubectl.run("rollout", "status", "ds/agent", "--timeout=20s")
    assert p.stdout.strip().splitlines()[-1] == 'daemon set "agent" successfully rolled out'
    assert kubectl("set", "image", "ds/agent", "agent=busybox:1.37").strip() == "daemonset.apps/agent image updated"
    # One old pod at a time goes (maxUnavailable 1): the kubelet finishes its deletion, the
    # replacement starts and turns ready, then the next one.
    wait_for(lambda: "1 out of 3" in kubectl("rollout", "status", "ds/agent", "--watch=false") or
             sum(1 for p in pods(server) if p["metadata"].get("deletionTimestamp")) == 1,
             what="the first old pod going")
    rollout(server, cl, "busybox:1.37", max_unavailable=1)
    wait_for(lambda: status_is(server, updatedNumberScheduled=3, numberAvailable=3, numberReady=3),
             what="status after the update")
    out = kubectl("rollout", "status", "ds/agent", "--watch=false").strip()
    assert out == 'daemon set "agent" successfully rolled out'
    revs = get(server, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"]
    assert sorted(r["revision"] for r in revs) == [1, 2]
    new = max(revs, key=lambda r: r["revision"])
    assert {p["metadata"]["labels"]["controller-revision-hash"] for p in live(server)} == \
        {new["metadata"]["labels"]["controller-revision-hash"]}
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in live(server)} == {"2"}


def test_rolling_update_max_surge(server, kubectl1, tmp_path):
    cl = Cluster(server)
    for n in ("n1", "n2", "n3"):
        cl.add_node(n)
    apply_ds(kubectl1, tmp_path, strategy=ROLLING % (0, 1))
    rollout(server, cl, "busybox:1.36")
    apply_ds(kubectl1, tmp_path, image="busybox:1.37", strategy=ROLLING % (0, 1))
    # A new pod starts next to the old one on one node at a time; the old one goes once the new
    # one is available, so every node keeps an available pod.
    wait_for(lambda: len(pods(server)) == 4, what="a surge pod")
    rollout(server, cl, "busybox:1.37", max_unavailable=0, max_surge=1)


def test_on_delete(server, kubectl1, tmp_path):
    cl = Cluster(server)
    for n in ("n1", "n2"):
        cl.add_node(n)
    apply_ds(kubectl1, tmp_path, strategy="{type: OnDelete}")
    rollout(server, cl, "busybox:1.36", nodes=2)
    apply_ds(kubectl1, tmp_path, image="busybox:1.37", strategy="{type: OnDelete}")
    wait_for(lambda: status_is(server, updatedNumberScheduled=0, desiredNumberScheduled=2), what="nothing updated")
    assert by_node(server) == [("n1", "busybox:1.36"), ("n2", "busybox:1.36")]
    victim = next(p for p in live(server) if target(p) == "n1")
    kubectl1("delete", "pod", victim["metadata"]["name"], "--wait=false")

    def replaced():
        cl.tick()
        kubelet(server)
        return by_node(server) == [("n1", "busybox:1.37"), ("n2", "busybox:1.36")] and \
            all(is_ready(p) for p in live(server))
    wait_for(replaced, what="the deleted pod replaced at the new template")
    wait_for(lambda: status_is(server, updatedNumberScheduled=1, numberReady=2), what="one updated")


def test_rollout_history_and_undo(server, kubectl, tmp_path):
    cl = Cluster(server)
    cl.add_node("n1")
    apply_ds(kubectl, tmp_path)
    rollout(server, cl, "busybox:1.36", nodes=1)
    kubectl("set", "image", "ds/agent", "agent=busybox:1.37")
    rollout(server, cl, "busybox:1.37", nodes=1)
    kubectl("annotate", "ds/agent", "kubernetes.io/change-cause=to 1.38")
    kubectl("set", "image", "ds/agent", "agent=busybox:1.38")
    rollout(server, cl, "busybox:1.38", nodes=1)
    out = kubectl("rollout", "history", "ds/agent").splitlines()
    assert out[0] == "daemonset.apps/agent "
    assert [l.split(None, 1) for l in out[1:] if l.strip()] == [
        ["REVISION", "CHANGE-CAUSE"], ["1", "<none>"], ["2", "<none>"], ["3", "to 1.38"]]
    detail = kubectl("rollout", "history", "ds/agent", "--revision=2")
    assert "daemonset.apps/agent with revision #2" in detail
    assert "Image:\tbusybox:1.37" in detail.replace("      ", "\t").replace("  ", "\t") or "busybox:1.37" in detail
    p = kubectl.run("rollout", "history", "ds/agent", "--revision=9", check=False)
    assert p.returncode == 1 and "unable to find the specified revision" in p.stderr
    # Undo goes back to the previous template: revision 2 becomes revision 4.
    assert kubectl("rollout", "undo", "ds/agent").strip() == "daemonset.apps/agent rolled back"
    rollout(server, cl, "busybox:1.37", nodes=1)
    revs = sorted(get(server, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"],
                  key=lambda r: r["revision"])
    assert [r["revision"] for r in revs] == [1, 3, 4]
    assert revs[-1]["data"]["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox:1.37"
    # kubectl compares the revision's bytes with the template it computes: they match.
    assert kubectl("rollout", "undo", "ds/agent", "--to-revision=4").strip() == \
        "daemonset.apps/agent skipped rollback (current template already matches revision 4)"
    assert kubectl("rollout", "undo", "ds/agent", "--to-revision=1").strip() == "daemonset.apps/agent rolled back"
    rollout(server, cl, "busybox:1.36", nodes=1)
    p = kubectl.run("rollout", "undo", "ds/agent", "--to-revision=42", check=False)
    assert p.returncode == 1 and "unable to find specified revision 42 in history" in p.stderr


def test_history_limit(server, kubectl1, tmp_path):
    cl = Cluster(server)
    cl.add_node("n1")
    f = tmp_path / "ds.yaml"
    for i, tag in enumerate(("1.30", "1.31", "1.32", "1.33", "1.34")):
        f.write_text(DS.format(image="busybox:" + tag, strategy=ROLLING % (1, 0), extra="")
                     .replace("spec:\n  selector", "spec:\n  revisionHistoryLimit: 2\n  selector"))
        kubectl1("apply", "-f", str(f))
        rollout(server, cl, "busybox:" + tag, nodes=1)
    # The current revision plus two old ones are kept.
    wait_for(lambda: sorted(r["revision"] for r in get(
        server, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"]) == [3, 4, 5],
        what="history trimmed to 2 old revisions")
