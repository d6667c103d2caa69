"""StatefulSets as the controller runs them: stable names and identities, OrderedReady and
Parallel pod management, scale-down from the highest ordinal, RollingUpdate with a partition,
OnDelete, ControllerRevisions, and `kubectl rollout status|history|undo sts/NAME` with kubectl
1.27 and 1.33.

There is no kubelet in these tests. One server is shared by the module (each test works in its
own namespace); it has one Node made through the API whose Lease a background thread renews
(as a kubelet's heartbeat would), so the scheduler binds the pods to it. The test plays the
kubelet: it writes pod status through pods/NAME/status (phase Running, condition Ready=True)
when the controller needs ready pods, and deletes with grace 0 the pods being deleted (a bound
pod's deletion waits for its kubelet).
"""
import threading
import time

import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, Server, wait_for, api, api_get as get

STS = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: {replicas}
  podManagementPolicy: {policy}
  selector: {{matchLabels: {{app: web}}}}
  updateStrategy: {strategy}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: web
        image: {image}
"""
ROLLING = "{type: RollingUpdate, rollingUpdate: {partition: %d}}"


# ---- the cluster, and the kubelet the test plays ------------------------------------------------

def now(micro=False):
    t = time.time()
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))
    return s + (".%06dZ" % int((t % 1) * 1e6) if micro else "Z")


def add_node(server, name):
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "status": {"capacity": {"cpu": "8", "memory": "16Gi", "pods": "110"},
                       "allocatable": {"cpu": "8", "memory": "16Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                       "lastHeartbeatTime": now(), "lastTransitionTime": now()}]}}
    code, out = api(server, "POST", "/api/v1/nodes", node)
    assert code == 201, out
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": name, "namespace": "kube-node-lease"},
             "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": now(True)}}
    code, out = api(server, "POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease)
    assert code == 201, out


def heartbeat(server, name, stop):
    """The kubelet's heartbeat: renews the node's Lease every 5 s until stop is set."""
    while not stop.wait(5):
        try:
            api(server, "PATCH", f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}",
                {"spec": {"renewTime": now(True)}}, "application/merge-patch+json")
        except OSError:
            pass


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One server for the module, with one live node n1."""
    s = Server(tmp_path_factory.mktemp("sts")).start()
    add_node(s, "n1")
    stop = threading.Event()
    t = threading.Thread(target=heartbeat, args=(s, "n1", stop), daemon=True)
    t.start()
    yield s
    stop.set()
    t.join()
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


class NS:
    """A test's namespace on the shared server, with kubectl of one version."""

    def __init__(self, server, version, name, tmp_path):
        self.server, self.name = server, name
        self.kubectl = Kubectl(version, server, tmp_path)
        code, out = api(server, "POST", "/api/v1/namespaces",
                        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        assert code == 201, out

    def k(self, *args, **kw):
        return self.kubectl("-n", self.name, *args, **kw)

    def run(self, *args, **kw):
        return self.kubectl.run("-n", self.name, *args, **kw)

    def path(self, rest):
        return f"/api/v1/namespaces/{self.name}/{rest}"

    def apps(self, rest):
        return f"/apis/apps/v1/namespaces/{self.name}/{rest}"

    def pods(self):
        return get(self.server, self.path("pods?labelSelector=app=web"))["items"]

    def names(self, live=True):
        return sorted(p["metadata"]["name"] for p in self.pods()
                      if not live or not p["metadata"].get("deletionTimestamp"))

    def sts(self, name="web"):
        return get(self.server, self.apps(f"statefulsets/{name}"))

    def revisions(self):
        return sorted(get(self.server, self.apps("controllerrevisions"))["items"], key=lambda r: r["revision"])

    def apply(self, tmp_path, replicas=3, policy="OrderedReady", strategy=ROLLING % 0, image="busybox:1.36"):
        f = tmp_path / "sts.yaml"
        f.write_text(STS.format(replicas=replicas, policy=policy, strategy=strategy, image=image))
        return self.k("apply", "-f", str(f)).strip()

    def mark_ready(self, pod):
        """Plays the kubelet: the pod runs and is Ready."""
        status = {"phase": "Running", "conditions": [
            {"type": "Initialized", "status": "True", "lastTransitionTime": now()},
            {"type": "Ready", "status": "True", "lastTransitionTime": now()},
            {"type": "ContainersReady", "status": "True", "lastTransitionTime": now()}],
            "containerStatuses": [{"name": c["name"], "image": c["image"], "imageID": "", "ready": True,
                                   "restartCount": 0, "started": True, "state": {"running": {"startedAt": now()}}}
                                  for c in pod["spec"]["containers"]]}
        code, out = api(self.server, "PATCH", self.path(f"pods/{pod['metadata']['name']}/status"),
                        {"status": status}, "application/merge-patch+json")
        assert code in (200, 404), out

    def kubelet(self, ready=True):
        """One round of the kubelet: pods being deleted are gone (grace 0), bound pods run and
        turn Ready (when ready). Returns the names of the pods it touched."""
        did = []
        for p in self.pods():
            name = p["metadata"]["name"]
            if p["metadata"].get("deletionTimestamp"):
                api(self.server, "DELETE", self.path(f"pods/{name}"), {"gracePeriodSeconds": 0})
                did.append(name)
            elif ready and p["spec"].get("nodeName") and not is_ready(p):
                self.mark_ready(p)
                did.append(name)
        return did

    def status_is(self, **want):
        s = self.sts()
        st = s.get("status", {})
        return st.get("observedGeneration") == s["metadata"]["generation"] and \
            all(st.get(k, 0) == v for k, v in want.items())

    def images(self):
        return {p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in self.pods()
                if not p["metadata"].get("deletionTimestamp")}


def is_ready(pod):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod.get("status", {}).get("conditions", []))


@pytest.fixture(params=KUBECTL_VERSIONS)
def ns(request, cluster, tmp_path):
    """A fresh namespace per test and kubectl version."""
    name = (request.node.originalname.replace("test_", "").replace("_", "-") + "-" +
            request.param.replace(".", ""))[:63]
    return NS(cluster, request.param, name, tmp_path)


@pytest.fixture
def ns1(cluster, tmp_path, request):
    """A fresh namespace, for tests where kubectl's version does not matter (the newest)."""
    name = request.node.originalname.replace("test_", "").replace("_", "-")[:63]
    return NS(cluster, KUBECTL_VERSIONS[-1], name, tmp_path)


def bring_up(n, count):
    """Plays the kubelet until count pods web-0.. are ready, one at a time as OrderedReady
    creates them; returns the order in which the pods appeared."""
    order = []

    def step():
        for p in n.pods():
            if p["metadata"]["name"] not in order:
                order.append(p["metadata"]["name"])
        n.kubelet()
        return len(order) == count and all(is_ready(p) for p in n.pods()) and len(n.pods()) == count
    wait_for(step, what=f"{count} ready pods")
    return order


# ---- tests ---------------------------------------------------------------------------------------

def test_ordered_ready_identity_and_scale(ns1, tmp_path):
    n = ns1
    assert n.apply(tmp_path) == "statefulset.apps/web created"
    # web-0 comes first; web-1 waits until web-0 is Running and Ready.
    wait_for(lambda: n.names() == ["web-0"] and n.pods()[0]["spec"].get("nodeName") == "n1", what="web-0 bound")
    assert n.names() == ["web-0"]
    assert bring_up(n, 3) == ["web-0", "web-1", "web-2"]
    wait_for(lambda: n.status_is(replicas=3, readyReplicas=3, availableReplicas=3, currentReplicas=3,
                                 updatedReplicas=3), what="status with 3 ready")
    s = n.sts()
    assert s["status"]["currentRevision"] == s["status"]["updateRevision"]
    rev = s["status"]["updateRevision"]
    for i, p in enumerate(sorted(n.pods(), key=lambda p: p["metadata"]["name"])):
        name = f"web-{i}"
        assert p["metadata"]["labels"] == {"app": "web", "controller-revision-hash": rev,
                                           "statefulset.kubernetes.io/pod-name": name,
                                           "apps.kubernetes.io/pod-index": str(i)}
        assert p["spec"]["hostname"] == name and p["spec"]["subdomain"] == "web"
        ref = p["metadata"]["ownerReferences"][0]
        assert (ref["kind"], ref["name"], ref["uid"], ref["controller"]) == ("StatefulSet", "web",
                                                                             s["metadata"]["uid"], True)
    # One ControllerRevision, named and labelled with its hash.
    revs = n.revisions()
    assert [r["metadata"]["name"] for r in revs] == [rev] and revs[0]["revision"] == 1
    assert rev == "web-" + revs[0]["metadata"]["labels"]["controller.kubernetes.io/hash"]
    out = n.k("get", "sts", "web").splitlines()
    assert out[0].split() == ["NAME", "READY", "AGE"] and out[1].split()[:2] == ["web", "3/3"]
    events = [e for e in get(n.server, n.path("events"))["items"] if e["involvedObject"]["kind"] == "StatefulSet"]
    assert sorted(e["message"] for e in events if e["reason"] == "SuccessfulCreate") == [
        f"create Pod web-{i} in StatefulSet web successful" for i in range(3)]
    assert all(e["source"]["component"] == "statefulset-controller" for e in events)

    # Scale down: the highest ordinal goes first, the next only once it is gone.
    assert n.k("scale", "sts/web", "--replicas=1").strip() == "statefulset.apps/web scaled"
    wait_for(lambda: [p["metadata"]["name"] for p in n.pods() if p["metadata"].get("deletionTimestamp")] == ["web-2"],
             what="web-2 terminating")
    assert n.names() == ["web-0", "web-1"]
    gone = []

    def scaled():
        gone.extend(x for x in n.kubelet() if x not in gone)
        return n.names(live=False) == ["web-0"]
    wait_for(scaled, what="scaled down to web-0")
    assert gone == ["web-2", "web-1"]
    wait_for(lambda: n.status_is(replicas=1, readyReplicas=1, currentReplicas=1, updatedReplicas=1),
             what="status with 1 replica")
    events = [e for e in get(n.server, n.path("events"))["items"] if e["reason"] == "SuccessfulDelete"]
    assert sorted(e["message"] for e in events) == ["delete Pod web-1 in StatefulSet web successful",
                                                    "delete Pod web-2 in StatefulSet web successful"]

    # A deleted pod comes back with the same name and identity.
    uid = n.pods()[0]["metadata"]["uid"]
    n.k("delete", "pod", "web-0", "--wait=false")
    wait_for(lambda: n.kubelet() is not None and n.names() == ["web-0"] and n.pods()[0]["metadata"]["uid"] != uid,
             what="web-0 recreated")


def test_parallel(ns1, tmp_path):
    n = ns1
    n.apply(tmp_path, policy="Parallel")
    # Every pod at once, without waiting for readiness.
    wait_for(lambda: n.names() == ["web-0", "web-1", "web-2"], what="three pods at once")
    assert not any(is_ready(p) for p in n.pods())
    wait_for(lambda: n.status_is(replicas=3, readyReplicas=0), what="status before readiness")
    wait_for(lambda: n.kubelet() is not None and n.status_is(replicas=3, readyReplicas=3), what="three ready")
    n.k("scale", "sts/web", "--replicas=0")
    wait_for(lambda: len([p for p in n.pods() if p["metadata"].get("deletionTimestamp")]) == 3,
             what="every pod terminating at once")
    wait_for(lambda: n.kubelet() is not None and n.pods() == [] and n.status_is(replicas=0), what="scaled to 0")


def images_are(n, want):
    """A wait condition that plays the kubelet: the live pods run want's images and are ready."""
    def check():
        n.kubelet()
        return n.images() == want and all(is_ready(p) for p in n.pods()) and len(n.pods()) == len(want)
    return check


def test_rolling_update_partition(ns1, tmp_path):
    n = ns1
    n.apply(tmp_path)
    bring_up(n, 3)
    p = n.run("rollout", "status", "sts/web", "--timeout=20s")
    assert p.stdout.strip().splitlines()[-1] == "partitioned roll out complete: 3 new pods have been updated..."
    r1 = n.sts()["status"]["updateRevision"]

    # A partition of 2: only web-2 moves to the new template.
    n.apply(tmp_path, strategy=ROLLING % 2, image="busybox:1.37")
    wait_for(lambda: n.sts()["status"].get("updateRevision") not in (None, r1), what="a new update revision")
    r2 = n.sts()["status"]["updateRevision"]
    wait_for(images_are(n, {"web-0": "busybox:1.36", "web-1": "busybox:1.36", "web-2": "busybox:1.37"}),
             what="web-2 updated")
    wait_for(lambda: n.status_is(currentRevision=r1, updateRevision=r2, currentReplicas=2, updatedReplicas=1,
                                 readyReplicas=3), what="status of the partitioned update")
    out = n.k("rollout", "status", "sts/web", "--watch=false").strip()
    assert out == "partitioned roll out complete: 1 new pods have been updated..."
    assert {p["metadata"]["name"]: p["metadata"]["labels"]["controller-revision-hash"] for p in n.pods()} == \
        {"web-0": r1, "web-1": r1, "web-2": r2}

    # Partition 0: the rest go from the highest ordinal down, one at a time.
    n.k("patch", "sts/web", "-p", '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}')
    order = []

    def rolled():
        order.extend(x for x in n.kubelet() if x not in order and x != "web-2")
        return images_are(n, {f"web-{i}": "busybox:1.37" for i in range(3)})()
    wait_for(rolled, what="every pod updated")
    assert order == ["web-1", "web-0"]
    wait_for(lambda: n.status_is(currentRevision=r2, updateRevision=r2, currentReplicas=3, updatedReplicas=3),
             what="the update complete")
    assert [r["metadata"]["name"] for r in n.revisions()] == [r1, r2]


def test_rollout_status_history_undo(ns, tmp_path):
    n = ns
    n.apply(tmp_path, replicas=1)
    bring_up(n, 1)
    r1 = n.sts()["status"]["updateRevision"]
    assert n.k("set", "image", "sts/web", "web=busybox:1.37").strip() == "statefulset.apps/web image updated"
    wait_for(images_are(n, {"web-0": "busybox:1.37"}), what="web-0 updated")
    p = n.run("rollout", "status", "sts/web", "--timeout=20s")
    assert p.stdout.strip().splitlines()[-1] == "partitioned roll out complete: 1 new pods have been updated..."
    r2 = n.sts()["status"]["updateRevision"]
    assert r2 != r1

    # History and undo: revision 1 comes back as revision 3.
    out = n.k("rollout", "history", "sts/web").splitlines()
    assert out[0].strip() == "statefulset.apps/web"
    assert [line.split(None, 1) for line in out[1:] if line.strip()] == [
        ["REVISION", "CHANGE-CAUSE"], ["1", "<none>"], ["2", "<none>"]]
    detail = n.k("rollout", "history", "sts/web", "--revision=1")
    assert "statefulset.apps/web with revision #1" in detail and "busybox:1.36" in detail
    assert n.k("rollout", "undo", "sts/web").strip() == "statefulset.apps/web rolled back"
    wait_for(images_are(n, {"web-0": "busybox:1.36"}), what="rolled back")
    wait_for(lambda: n.status_is(currentRevision=r1, updateRevision=r1, updatedReplicas=1), what="status rolled back")
    assert [(r["metadata"]["name"], r["revision"]) for r in n.revisions()] == [(r2, 2), (r1, 3)]
    assert n.k("rollout", "undo", "sts/web", "--to-revision=3").strip() == \
        "statefulset.apps/web skipped rollback (current template already matches revision 3)"
    p = n.run("rollout", "undo", "sts/web", "--to-revision=42", check=False)
    assert p.returncode == 1 and "unable to find specified revision 42 in history" in p.stderr


def test_on_delete(ns1, tmp_path):
    n = ns1
    n.apply(tmp_path, replicas=2, strategy="{type: OnDelete}")
    bring_up(n, 2)
    r1 = n.sts()["status"]["updateRevision"]
    n.apply(tmp_path, replicas=2, strategy="{type: OnDelete}", image="busybox:1.37")
    wait_for(lambda: n.sts()["status"]["updateRevision"] != r1 and n.status_is(currentReplicas=2, updatedReplicas=0),
             what="a new update revision, no pod updated")
    assert n.images() == {"web-0": "busybox:1.36", "web-1": "busybox:1.36"}
    p = n.run("rollout", "status", "sts/web", "--watch=false", check=False)
    assert p.returncode == 1 and "rollout status is only available for RollingUpdate strategy type" in p.stderr
    n.k("delete", "pod", "web-0", "--wait=false")
    wait_for(lambda: n.kubelet() is not None and
             n.images() == {"web-0": "busybox:1.37", "web-1": "busybox:1.36"} and all(is_ready(p) for p in n.pods()),
             what="web-0 recreated at the new template")
    wait_for(lambda: n.status_is(currentReplicas=1, updatedReplicas=1, readyReplicas=2), what="one updated")


def test_adopt_and_release(ns1, tmp_path):
    n = ns1
    n.apply(tmp_path, replicas=1, policy="Parallel")
    wait_for(lambda: n.names() == ["web-0"], what="web-0")
    uid = n.sts()["metadata"]["uid"]
    # Relabelled out of the selector: released (its name stays taken, so no replacement starts).
    n.k("label", "pod", "web-0", "app=other", "--overwrite")
    wait_for(lambda: not get(n.server, n.path("pods/web-0"))["metadata"].get("ownerReferences"),
             what="web-0 released")
    # An orphan that matches, with a member's name, is adopted (the released web-0 taken back).
    n.k("label", "pod", "web-0", "app=web", "--overwrite")
    wait_for(lambda: [r["uid"] for r in get(n.server, n.path("pods/web-0"))["metadata"].get("ownerReferences", [])] ==
             [uid], what="web-0 adopted")


def test_volume_claim_templates_refused(ns1, tmp_path):
    f = tmp_path / "sts.yaml"
    f.write_text(STS.format(replicas=1, policy="OrderedReady", strategy=ROLLING % 0, image="busybox") +
                 "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
                 "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n")
    p = ns1.run("apply", "-f", str(f), check=False)
    assert p.returncode == 1
    assert "spec.volumeClaimTemplates: Forbidden: persistent volumes are not supported by this cluster yet" in p.stderr


def test_revision_name_collision(cluster, tmp_path):
    """A revision name taken by another template bumps status.collisionCount and the revision is
    named anew, as upstream does. Revision names do not depend on the namespace, so a first set
    tells the name a second one will want, and a foreign revision takes it beforehand."""
    a = NS(cluster, KUBECTL_VERSIONS[-1], "collision-a", tmp_path)
    a.apply(tmp_path, replicas=1)
    wait_for(lambda: a.sts().get("status", {}).get("updateRevision"), what="the first set's revision")
    taken = a.sts()["status"]["updateRevision"]
    assert "collisionCount" not in a.sts()["status"] or a.sts()["status"]["collisionCount"] == 0
    b = NS(cluster, KUBECTL_VERSIONS[-1], "collision-b", tmp_path)
    code, out = api(cluster, "POST", b.apps("controllerrevisions"), {
        "apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": {"name": taken},
        "data": {"something": "else"}, "revision": 1})
    assert code == 201, out
    b.apply(tmp_path, replicas=1)
    wait_for(lambda: b.status_is(collisionCount=1) and b.sts()["status"].get("updateRevision") not in (None, taken),
             what="collisionCount 1 and a new revision name")
    name = b.sts()["status"]["updateRevision"]
    wait_for(lambda: b.pods() and b.pods()[0]["metadata"]["labels"]["controller-revision-hash"] == name,
             what="the pod at the renamed revision")
    foreign = get(cluster, b.apps(f"controllerrevisions/{taken}"))
    assert "ownerReferences" not in foreign["metadata"]


def set_ready(n, name, ready, phase="Running"):
    """Plays the kubelet: the pod's phase and Ready condition."""
    status = {"phase": phase, "conditions": [
        {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": now()}]}
    code, out = api(n.server, "PATCH", n.path(f"pods/{name}/status"), {"status": status},
                    "application/merge-patch+json")
    assert code == 200, out


def test_unhealthy_blocks_scale_down_failed_replaced(ns1, tmp_path):
    n = ns1
    n.apply(tmp_path, replicas=2)
    bring_up(n, 2)
    # OrderedReady: while web-0 is not ready, web-1 is not removed.
    set_ready(n, "web-0", False)
    wait_for(lambda: n.status_is(readyReplicas=1), what="web-0 not ready")
    n.k("scale", "sts/web", "--replicas=1")
    wait_for(lambda: n.status_is(readyReplicas=1, replicas=2), what="the scale seen")
    assert n.names() == ["web-0", "web-1"]
    set_ready(n, "web-0", True)
    wait_for(lambda: n.kubelet() is not None and n.names(live=False) == ["web-0"], what="web-1 removed")
    # A failed pod is deleted and made again under the same name.
    uid = n.pods()[0]["metadata"]["uid"]
    set_ready(n, "web-0", False, phase="Failed")
    wait_for(lambda: n.kubelet() is not None and n.names() == ["web-0"] and
             n.pods()[0]["metadata"]["uid"] != uid, what="web-0 replaced")
    wait_for(lambda: n.kubelet() is not None and n.status_is(replicas=1, readyReplicas=1), what="web-0 ready again")


def test_ordinals_start(ns1, tmp_path):
    n = ns1
    f = tmp_path / "sts.yaml"
    f.write_text(STS.format(replicas=2, policy="Parallel", strategy=ROLLING % 0, image="busybox:1.36")
                 .replace("  serviceName: web\n", "  serviceName: web\n  ordinals: {start: 3}\n"))
    n.k("apply", "-f", str(f))
    wait_for(lambda: n.names() == ["web-3", "web-4"], what="web-3 and web-4")
    assert {p["metadata"]["labels"]["apps.kubernetes.io/pod-index"] for p in n.pods()} == {"3", "4"}
