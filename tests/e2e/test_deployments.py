"""Deployments and ReplicaSets as the controllers roll them out, with kubectl 1.27 and 1.33.

There is no kubelet in these tests: the test plays it by writing pod status through
pods/NAME/status (phase Running, condition Ready=True) when a rollout needs ready pods. No nodes
exist, so pods stay unscheduled (and are deleted at once) unless a test binds them itself.
"""
import json
import re
import time

import pytest

from conftest import wait_for, api, api_get as get

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  revisionHistoryLimit: {history}
  selector: {{matchLabels: {{app: web}}}}
  strategy: {strategy}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: web
        image: {image}
"""
ROLLING = "{type: RollingUpdate, rollingUpdate: {maxSurge: %s, maxUnavailable: %s}}"
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


# ---- helpers -----------------------------------------------------------------------------------

def items(server, kind, selector=None, ns="default"):
    group = "api/v1" if kind == "pods" else "apis/apps/v1"
    q = "?labelSelector=" + selector if selector else ""
    return get(server, f"/{group}/namespaces/{ns}/{kind}{q}")["items"]


def live_pods(server, selector="app=web"):
    return [p for p in items(server, "pods", selector) if not p["metadata"].get("deletionTimestamp")]


def replicasets(server, selector="app=web"):
    return sorted(items(server, "replicasets", selector), key=lambda r: int(
        r["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision", "0")))


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def mark_ready(server, pod, ready=True):
    """Plays the kubelet: the pod runs, and its Ready condition is True (or False)."""
    status = {"phase": "Running", "conditions": [
        {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": now()}]}
    code, out = api(server, "PATCH", f"/api/v1/namespaces/default/pods/{pod['metadata']['name']}/status",
                    {"status": status}, "application/merge-patch+json")
    assert code == 200, out


def ready_all(server, selector="app=web"):
    """Marks every live pod of selector Ready that is not yet; returns how many it marked."""
    n = 0
    for p in live_pods(server, selector):
        conds = {c["type"]: c["status"] for c in p.get("status", {}).get("conditions", [])}
        if conds.get("Ready") != "True":
            mark_ready(server, p)
            n += 1
    return n


def deployment(server, name="web"):
    return get(server, f"/apis/apps/v1/namespaces/default/deployments/{name}")


def condition(obj, type_):
    return next((c for c in obj.get("status", {}).get("conditions", []) if c["type"] == type_), None)


def apply(kubectl, tmp_path, replicas=3, image="nginx:1.25", strategy=ROLLING % ("25%", "25%"), history=10):
    f = tmp_path / "d.yaml"
    f.write_text(DEPLOY.format(replicas=replicas, image=image, strategy=strategy, history=history))
    kubectl("apply", "-f", str(f))


def rolled_out(server, replicas, image):
    """Waits until the Deployment runs `replicas` ready pods of image and says so."""
    def done():
        ready_all(server)
        d = deployment(server)
        st = d.get("status", {})
        pods = live_pods(server)
        return (st.get("observedGeneration") == d["metadata"]["generation"] and st.get("updatedReplicas") == replicas
                and st.get("availableReplicas") == replicas and st.get("replicas") == replicas
                and len(pods) == replicas and all(p["spec"]["containers"][0]["image"] == image for p in pods))
    wait_for(done, what=f"{replicas} ready pods of {image}")


def spec_counts(server):
    return [r["spec"]["replicas"] for r in replicasets(server)]


def template_hash(template):
    """The pod-template-hash as the controller computes it: FNV-32a over the template's canonical
    JSON (keys sorted; nulls, empty objects and lists left out), SafeEncodeString of the decimal."""
    def canon(v):
        if isinstance(v, dict):
            out = {k: canon(x) for k, x in sorted(v.items())}
            out = {k: x for k, x in out.items() if x is not None}
            return out or None
        if isinstance(v, list):
            return [canon(x) if canon(x) is not None else ({} if isinstance(x, dict) else None) for x in v] or None
        return v
    h = 2166136261
    for b in json.dumps(canon(template), separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return "".join(ALPHABET[ord(c) % len(ALPHABET)] for c in str(h))


# ---- Deployments -------------------------------------------------------------------------------

def test_create_replicaset_hash_pods_and_wait(kubectl, tmp_path):
    """A new Deployment gets one ReplicaSet named after its template hash, with the hash label
    and selector, revision 1, and its pods; once they are ready, rollout status and wait
    --for=condition=Available succeed as upstream's do."""
    server = kubectl.server
    apply(kubectl, tmp_path)
    d = deployment(server)
    rs = wait_for(lambda: replicasets(server), what="the ReplicaSet")[0]
    h = template_hash(d["spec"]["template"])
    assert rs["metadata"]["name"] == "web-" + h
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": h}}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == h
    ref = rs["metadata"]["ownerReferences"]
    assert ref == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": d["metadata"]["uid"],
                    "controller": True, "blockOwnerDeletion": True}]
    ann = rs["metadata"]["annotations"]
    assert ann == {"deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": "3",
                   "deployment.kubernetes.io/max-replicas": "4"}
    pods = wait_for(lambda: len(live_pods(server)) == 3 and live_pods(server), what="3 pods")
    for p in pods:
        assert p["metadata"]["generateName"] == rs["metadata"]["name"] + "-"
        assert p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
        assert p["metadata"]["labels"]["pod-template-hash"] == h
    d = wait_for(lambda: deployment(server).get("status", {}).get("updatedReplicas") == 3 and deployment(server),
                 what="status")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert condition(d, "Available")["status"] == "False"
    assert condition(d, "Progressing")["reason"] in ("NewReplicaSetCreated", "ReplicaSetUpdated")
    p = kubectl.run("rollout", "status", "deploy/web", "--timeout=1s", check=False)
    assert p.returncode == 1 and "Waiting for deployment \"web\" rollout to finish: 0 of 3 updated replicas are " \
                                 "available..." in p.stdout
    waiter = kubectl.popen("rollout", "status", "deploy/web", "--timeout=30s")
    rolled_out(server, 3, "nginx:1.25")
    out, err = waiter.communicate(timeout=40)
    assert waiter.returncode == 0, err
    assert out.strip().splitlines()[-1] == 'deployment "web" successfully rolled out'
    assert kubectl("wait", "--for=condition=Available", "deploy/web", "--timeout=20s").strip() == \
        "deployment.apps/web condition met"
    d = deployment(server)
    assert condition(d, "Available")["reason"] == "MinimumReplicasAvailable"
    assert condition(d, "Progressing")["reason"] == "NewReplicaSetAvailable"
    assert condition(d, "Progressing")["message"] == f'ReplicaSet "web-{h}" has successfully progressed.'
    rs = replicasets(server)[0]
    assert rs["status"] == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                            "observedGeneration": 1}
    out = kubectl("get", "deploy", "web")
    assert out.splitlines()[1].split()[:4] == ["web", "3/3", "3", "3"]
    events = kubectl("get", "events", "--field-selector", "involvedObject.kind=Deployment")
    assert f"Scaled up replica set web-{h} from 0 to 3" in events


def test_rolling_update_step_by_step(kubectl, tmp_path):
    """maxSurge 1 and maxUnavailable 1 over 4 replicas: never more than 5 pods, never fewer than
    3 available, and the same intermediate steps as upstream (old 3 + new 2, then old 1 + new 4,
    then new 4)."""
    server = kubectl.server
    apply(kubectl, tmp_path, replicas=4, strategy=ROLLING % (1, 1))
    rolled_out(server, 4, "nginx:1.25")
    assert kubectl("set", "image", "deploy/web", "web=nginx:1.26").strip() == "deployment.apps/web image updated"

    def check():
        pods = live_pods(server)
        ready = [p for p in pods if any(c["type"] == "Ready" and c["status"] == "True"
                                        for c in p.get("status", {}).get("conditions", []))]
        assert len(pods) <= 5 and len(ready) >= 3, (len(pods), len(ready))
        return pods

    def at(counts):
        check()
        rs = replicasets(server)
        return len(rs) == 2 and [r["spec"]["replicas"] for r in rs] == counts and \
            all(r.get("status", {}).get("replicas", 0) == r["spec"]["replicas"] for r in rs)

    wait_for(lambda: at([3, 2]), what="old 3 + new 2")
    new = replicasets(server)[1]["metadata"]["labels"]["pod-template-hash"]
    ready_all(server, "pod-template-hash=" + new)
    wait_for(lambda: at([1, 4]), what="old 1 + new 4")
    ready_all(server, "pod-template-hash=" + new)
    wait_for(lambda: at([0, 4]), what="new 4")
    rolled_out(server, 4, "nginx:1.26")
    assert 'deployment "web" successfully rolled out' in kubectl("rollout", "status", "deploy/web", "--timeout=20s")
    hist = [l.split()[0] for l in kubectl("rollout", "history", "deploy/web").splitlines()[2:] if l.strip()]
    assert hist == ["1", "2"]
    old_rs, new_rs = (r["metadata"]["name"] for r in replicasets(server))
    out = kubectl("describe", "deploy", "web")
    assert re.search(rf"OldReplicaSets:\s+{old_rs} \(0/0 replicas created\)", out), out
    assert re.search(rf"NewReplicaSet:\s+{new_rs} \(4/4 replicas created\)", out), out
    assert re.search(r"Replicas:\s+4 desired \| 4 updated \| 4 total \| 4 available \| 0 unavailable", out), out
    events = kubectl("get", "events", "--field-selector", "involvedObject.kind=Deployment")
    assert "Scaled down replica set" in events and "to 3 from 4" in events


def test_recreate(kubectl, tmp_path):
    """Recreate: every old pod is gone before the new ReplicaSet is made."""
    server = kubectl.server
    apply(kubectl, tmp_path, replicas=2, strategy="{type: Recreate}")
    rolled_out(server, 2, "nginx:1.25")
    old = replicasets(server)[0]["metadata"]["name"]
    kubectl("set", "image", "deploy/web", "web=nginx:1.26")
    rs = wait_for(lambda: len(replicasets(server)) == 2 and replicasets(server), what="the new ReplicaSet")
    assert rs[0]["metadata"]["name"] == old and rs[0]["spec"]["replicas"] == 0
    # The new ReplicaSet was made after the old pods had gone: none of them is left.
    assert all(p["metadata"]["labels"]["pod-template-hash"] != rs[0]["metadata"]["labels"]["pod-template-hash"]
               for p in items(server, "pods", "app=web"))
    assert rs[1]["spec"]["replicas"] == 2
    rolled_out(server, 2, "nginx:1.26")


def test_rollback_with_undo(kubectl, tmp_path):
    """rollout undo goes back to the previous template: its ReplicaSet becomes the newest
    revision (3), remembering revision 1 in revision-history."""
    server = kubectl.server
    apply(kubectl, tmp_path, replicas=2)
    rolled_out(server, 2, "nginx:1.25")
    kubectl("annotate", "deploy/web", "kubernetes.io/change-cause=upgrade to 1.26")
    kubectl("set", "image", "deploy/web", "web=nginx:1.26")
    rolled_out(server, 2, "nginx:1.26")
    assert kubectl("rollout", "undo", "deploy/web").strip() == "deployment.apps/web rolled back"
    rolled_out(server, 2, "nginx:1.25")
    rs = wait_for(lambda: replicasets(server)[-1]["spec"]["template"]["spec"]["containers"][0]["image"] ==
                  "nginx:1.25" and replicasets(server), what="revision 3")
    ann = rs[-1]["metadata"]["annotations"]
    assert ann["deployment.kubernetes.io/revision"] == "3"
    assert ann["deployment.kubernetes.io/revision-history"] == "1"
    assert len(rs) == 2
    d = deployment(server)
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    hist = [l.split()[0] for l in kubectl("rollout", "history", "deploy/web").splitlines()[2:] if l.strip()]
    assert hist == ["2", "3"]
    assert "upgrade to 1.26" in kubectl("rollout", "history", "deploy/web", "--revision=2")
    assert kubectl("rollout", "undo", "deploy/web", "--to-revision=2").strip() == "deployment.apps/web rolled back"
    rolled_out(server, 2, "nginx:1.26")
    assert wait_for(lambda: deployment(server)["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "4",
                    what="revision 4")


def test_pause_and_resume(kubectl, tmp_path):
    """A paused Deployment takes template changes without rolling them out (kubectl refuses to
    roll it back); resume rolls out."""
    server = kubectl.server
    apply(kubectl, tmp_path, replicas=2)
    rolled_out(server, 2, "nginx:1.25")
    kubectl("set", "image", "deploy/web", "web=nginx:1.26")
    rolled_out(server, 2, "nginx:1.26")
    assert kubectl("rollout", "pause", "deploy/web").strip() == "deployment.apps/web paused"
    kubectl("set", "image", "deploy/web", "web=nginx:1.27")
    d = wait_for(lambda: (lambda d: d["status"].get("observedGeneration") == d["metadata"]["generation"] and
                          condition(d, "Progressing")["reason"] == "DeploymentPaused" and d)(deployment(server)),
                 what="the pause observed")
    assert condition(d, "Progressing")["status"] == "Unknown"
    assert condition(d, "Progressing")["message"] == "Deployment is paused"
    assert len(replicasets(server)) == 2
    p = kubectl.run("rollout", "undo", "deploy/web", check=False)
    assert p.returncode == 1 and "you cannot rollback a paused deployment" in p.stderr
    assert kubectl("rollout", "resume", "deploy/web").strip() == "deployment.apps/web resumed"
    rolled_out(server, 2, "nginx:1.27")
    assert len(replicasets(server)) == 3
    d = deployment(server)
    assert condition(d, "Progressing")["reason"] == "NewReplicaSetAvailable"


def test_restart_and_revision_history_limit(kubectl, tmp_path):
    """rollout restart makes a new revision; beyond revisionHistoryLimit the oldest unused
    ReplicaSets are deleted."""
    server = kubectl.server
    apply(kubectl, tmp_path, replicas=1, history=1)
    rolled_out(server, 1, "nginx:1.25")
    for image in ("nginx:1.26", "nginx:1.27"):
        kubectl("set", "image", "deploy/web", "web=" + image)
        rolled_out(server, 1, image)
    assert kubectl("rollout", "restart", "deploy/web").strip() == "deployment.apps/web restarted"
    wait_for(lambda: replicasets(server)[-1]["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "4",
             what="the restart's revision")
    rolled_out(server, 1, "nginx:1.27")
    rs = wait_for(lambda: len(replicasets(server)) == 2 and replicasets(server), what="history trimmed to 1")
    assert [r["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for r in rs] == ["3", "4"]
    assert "kubectl.kubernetes.io/restartedAt" in rs[1]["spec"]["template"]["metadata"]["annotations"]


def test_scaling_and_proportional_scaling(kubectl, tmp_path):
    """kubectl scale resizes the only active ReplicaSet; during a rollout both ReplicaSets grow
    in proportion (upstream's arithmetic: 8 + 5 of 13 become 14 + 9 of 23)."""
    server = kubectl.server
    apply(kubectl, tmp_path, replicas=3)
    rolled_out(server, 3, "nginx:1.25")
    assert kubectl("scale", "deploy/web", "--replicas=5").strip() == "deployment.apps/web scaled"
    rolled_out(server, 5, "nginx:1.25")
    kubectl("scale", "deploy/web", "--replicas=2")
    rolled_out(server, 2, "nginx:1.25")
    rs = replicasets(server)[0]
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "2"
    events = kubectl("get", "events", "--field-selector", "involvedObject.kind=Deployment")
    assert f"Scaled down replica set {rs['metadata']['name']} to 2 from 5" in events
    # A rollout that cannot progress (new pods never ready), then a scale-up.
    f = tmp_path / "d.yaml"
    f.write_text(DEPLOY.format(replicas=10, image="nginx:1.25", strategy=ROLLING % (3, 2), history=10))
    kubectl("apply", "-f", str(f))
    rolled_out(server, 10, "nginx:1.25")
    kubectl("set", "image", "deploy/web", "web=nginx:1.26")
    wait_for(lambda: spec_counts(server) == [8, 5], what="old 8 + new 5")
    kubectl("scale", "deploy/web", "--replicas=20")
    wait_for(lambda: spec_counts(server) == [14, 9], what="old 14 + new 9")
    for r in replicasets(server):
        assert r["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "20"
        assert r["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "23"


def test_progress_deadline(kubectl, tmp_path):
    """A rollout whose pods never become ready times out after progressDeadlineSeconds:
    Progressing=False ProgressDeadlineExceeded, and rollout status fails as upstream's."""
    server = kubectl.server
    f = tmp_path / "d.yaml"
    f.write_text(DEPLOY.format(replicas=1, image="nginx:1.25", strategy=ROLLING % ("25%", "25%"), history=10)
                 .replace("  replicas: 1\n", "  replicas: 1\n  progressDeadlineSeconds: 2\n"))
    kubectl("apply", "-f", str(f))
    d = wait_for(lambda: (lambda d: condition(d, "Progressing") and condition(d, "Progressing")["reason"] ==
                          "ProgressDeadlineExceeded" and d)(deployment(server)), timeout=30, what="the deadline")
    c = condition(d, "Progressing")
    assert c["status"] == "False"
    assert c["message"] == f'ReplicaSet "{replicasets(server)[0]["metadata"]["name"]}" has timed out progressing.'
    p = kubectl.run("rollout", "status", "deploy/web", "--timeout=20s", check=False)
    assert p.returncode == 1 and 'deployment "web" exceeded its progress deadline' in p.stderr
    # Progress again clears it.
    rolled_out(server, 1, "nginx:1.25")
    wait_for(lambda: condition(deployment(server), "Progressing")["reason"] == "NewReplicaSetAvailable",
             what="progress after the deadline")


# ---- ReplicaSets -------------------------------------------------------------------------------

RS = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
      "metadata": {"name": "rs1"},
      "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "rs1"}},
               "template": {"metadata": {"labels": {"app": "rs1", "tier": "x"}},
                            "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}}


def make_pod(server, name, labels, node=None):
    spec = {"containers": [{"name": "c", "image": "busybox"}]}
    if node:
        spec["nodeName"] = node
    code, out = api(server, "POST", "/api/v1/namespaces/default/pods",
                    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels}, "spec": spec})
    assert code == 201, out
    return out


def owned_by(pod, uid):
    return any(r["uid"] == uid and r.get("controller") for r in pod["metadata"].get("ownerReferences", []))


# The ReplicaSet tests use kubectl only for label, scale and describe: one version each (the
# Deployment tests above run both), to keep the module's run time down.
@pytest.mark.parametrize("kubectl", ["1.27"], indirect=True)
def test_replicaset_adopts_and_releases(kubectl, tmp_path):
    """A ReplicaSet adopts orphan pods its selector matches (creating only what is missing) and
    releases a pod whose labels stop matching (replacing it)."""
    server = kubectl.server
    for n in ("orphan-a", "orphan-b"):
        make_pod(server, n, {"app": "rs1"})
    make_pod(server, "other", {"app": "other"})
    code, rs = api(server, "POST", "/apis/apps/v1/namespaces/default/replicasets", RS)
    assert code == 201, rs
    uid = rs["metadata"]["uid"]
    pods = wait_for(lambda: (lambda ps: len(ps) == 3 and all(owned_by(p, uid) for p in ps) and ps)(
        live_pods(server, "app=rs1")), what="adoption")
    names = {p["metadata"]["name"] for p in pods}
    assert {"orphan-a", "orphan-b"} <= names
    assert not get(server, "/api/v1/namespaces/default/pods/other")["metadata"].get("ownerReferences")
    kubectl("label", "pod", "orphan-a", "app=gone", "--overwrite")
    wait_for(lambda: not get(server, "/api/v1/namespaces/default/pods/orphan-a")["metadata"].get("ownerReferences"),
             what="release")
    wait_for(lambda: len(live_pods(server, "app=rs1")) == 3, what="a replacement")
    rs = wait_for(lambda: (lambda r: r.get("status", {}).get("replicas") == 3 and
                           r["status"].get("fullyLabeledReplicas") == 2 and r)(
        get(server, "/apis/apps/v1/namespaces/default/replicasets/rs1")), what="status")
    # orphan-b lacks the template's tier label: not fully labeled; the two it made (one at first,
    # one replacing orphan-a) are.
    assert rs["status"]["observedGeneration"] == 1
    out = kubectl("describe", "rs", "rs1")
    assert "SuccessfulCreate" in out and "Created pod: rs1-" in out
    assert re.search(r"Pods Status:\s+0 Running / 3 Waiting / 0 Succeeded / 0 Failed", out), out


@pytest.mark.parametrize("kubectl", ["1.33"], indirect=True)
def test_replicaset_scale_down_order(kubectl, tmp_path):
    """Scale-down deletes unscheduled pods first, then pending, then not ready, keeping the
    ready ones (upstream's ActivePods order); the test binds pods itself (no scheduler here)
    and marks their status as a kubelet would."""
    server = kubectl.server
    make_pod(server, "p-unscheduled", {"app": "rs1"})
    make_pod(server, "p-pending", {"app": "rs1"}, node="n1")
    p = make_pod(server, "p-not-ready", {"app": "rs1"}, node="n1")
    mark_ready(server, p, ready=False)
    p = make_pod(server, "p-ready", {"app": "rs1"}, node="n1")
    mark_ready(server, p)
    rs = dict(RS, spec=dict(RS["spec"], replicas=4))
    code, out = api(server, "POST", "/apis/apps/v1/namespaces/default/replicasets", rs)
    assert code == 201, out
    uid = out["metadata"]["uid"]
    wait_for(lambda: all(owned_by(p, uid) for p in live_pods(server, "app=rs1")), what="adoption")
    for replicas, victim in ((3, "p-unscheduled"), (2, "p-pending"), (1, "p-not-ready")):
        assert kubectl("scale", "rs", "rs1", f"--replicas={replicas}").strip() == "replicaset.apps/rs1 scaled"
        wait_for(lambda: len(live_pods(server, "app=rs1")) == replicas, what=f"{replicas} pods")
        assert victim not in {p["metadata"]["name"] for p in live_pods(server, "app=rs1")}
    assert [p["metadata"]["name"] for p in live_pods(server, "app=rs1")] == ["p-ready"]
    rs = wait_for(lambda: (lambda r: r["status"].get("replicas") == 1 and r)(
        get(server, "/apis/apps/v1/namespaces/default/replicasets/rs1")), what="status")
    assert rs["status"].get("readyReplicas") == 1 and rs["status"].get("availableReplicas") == 1
    assert "Deleted pod: p-unscheduled" in kubectl("describe", "rs", "rs1")


def test_replicaset_min_ready_seconds(server):
    """A ready pod counts as available only after minReadySeconds; the controller looks again
    by itself when that time comes."""
    rs = dict(RS, spec=dict(RS["spec"], replicas=1, minReadySeconds=3))
    code, out = api(server, "POST", "/apis/apps/v1/namespaces/default/replicasets", rs)
    assert code == 201, out
    pod = wait_for(lambda: live_pods(server, "app=rs1"), what="the pod")[0]
    t0 = time.time()
    mark_ready(server, pod)
    r = wait_for(lambda: (lambda r: r["status"].get("readyReplicas") == 1 and r)(
        get(server, "/apis/apps/v1/namespaces/default/replicasets/rs1")), what="ready")
    # Ready since t0 (at second granularity): not available before t0 + 2 at the earliest. A slow
    # run (sanitizers, a loaded machine) may only look later.
    if time.time() - t0 < 2:
        assert not r["status"].get("availableReplicas")
    wait_for(lambda: get(server, "/apis/apps/v1/namespaces/default/replicasets/rs1")["status"]
             .get("availableReplicas") == 1, timeout=10, what="available after minReadySeconds")
