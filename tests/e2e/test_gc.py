"""The garbage collector (Background, Foreground and Orphan propagation, dangling owner
references) and the ServiceAccount controller, with kubectl 1.27 and 1.33.

There is no kubelet in these tests and no node: pods stay Pending and unscheduled, which is all
deletion propagation needs (a pod without a node is deleted at once).
"""

from conftest import wait_for, api, api_get as get


def exists(server, path):
    return api(server, "GET", path)[0] == 200


def items(server, path):
    return get(server, path)["items"]


def create_web(kubectl, replicas=2):
    """kubectl create deployment web, and waits for its ReplicaSet and pods; returns them."""
    server = kubectl.server
    assert kubectl("create", "deployment", "web", "--image=nginx:1.25", f"--replicas={replicas}").strip() == \
        "deployment.apps/web created"
    pods = wait_for(lambda: (lambda ps: len(ps) == replicas and ps)(
        items(server, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")), what="the pods")
    rs = items(server, "/apis/apps/v1/namespaces/default/replicasets")
    assert len(rs) == 1
    return rs[0], pods


def test_delete_deployment_background(kubectl):
    """kubectl delete deployment (Background): the Deployment goes at once, then its ReplicaSet
    and pods through their owner references."""
    server = kubectl.server
    rs, pods = create_web(kubectl)
    assert kubectl("delete", "deployment", "web").strip() == 'deployment.apps "web" deleted'
    wait_for(lambda: not items(server, "/apis/apps/v1/namespaces/default/replicasets"), what="the ReplicaSet gone")
    wait_for(lambda: not items(server, "/api/v1/namespaces/default/pods"), what="the pods gone")
    assert "No resources found" in kubectl.run("get", "rs,pods").stderr


def test_delete_deployment_orphan(kubectl):
    """--cascade=orphan: the ReplicaSet and its pods stay; the ReplicaSet's reference to the
    Deployment is removed (the pods keep theirs to the ReplicaSet, which still exists)."""
    server = kubectl.server
    rs, pods = create_web(kubectl)
    assert kubectl("delete", "deployment", "web", "--cascade=orphan").strip() == 'deployment.apps "web" deleted'
    wait_for(lambda: not exists(server, "/apis/apps/v1/namespaces/default/deployments/web"), what="the Deployment gone")
    left = get(server, f"/apis/apps/v1/namespaces/default/replicasets/{rs['metadata']['name']}")
    assert left["metadata"]["uid"] == rs["metadata"]["uid"]
    assert not left["metadata"].get("ownerReferences")
    now = items(server, "/api/v1/namespaces/default/pods")
    assert sorted(p["metadata"]["uid"] for p in now) == sorted(p["metadata"]["uid"] for p in pods)
    assert all(p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] for p in now)
    # A new Deployment with the same selector and template adopts the orphaned ReplicaSet.
    kubectl("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2")
    d = get(server, "/apis/apps/v1/namespaces/default/deployments/web")
    wait_for(lambda: (get(server, f"/apis/apps/v1/namespaces/default/replicasets/{rs['metadata']['name']}")
                      ["metadata"].get("ownerReferences") or [{}])[0].get("uid") == d["metadata"]["uid"],
             what="adoption by the new Deployment")
    assert len(items(server, "/apis/apps/v1/namespaces/default/replicasets")) == 1


def test_delete_deployment_foreground(kubectl):
    """--cascade=foreground: the Deployment stays, with the foregroundDeletion finalizer, until its
    dependents that block owner deletion are gone; then it goes too."""
    server = kubectl.server
    rs, pods = create_web(kubectl)
    # A finalizer on a pod holds the chain: pod -> ReplicaSet -> Deployment.
    pod = pods[0]["metadata"]["name"]
    code, out = api(server, "PATCH", f"/api/v1/namespaces/default/pods/{pod}",
                    {"metadata": {"finalizers": ["example.com/hold"]}}, "application/merge-patch+json")
    assert code == 200, out
    p = kubectl.popen("delete", "deployment", "web", "--cascade=foreground", "--wait=false")
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    d = wait_for(lambda: (lambda d: d["metadata"].get("deletionTimestamp") and d)(
        get(server, "/apis/apps/v1/namespaces/default/deployments/web")), what="the Deployment deleting")
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"]
    wait_for(lambda: get(server, f"/apis/apps/v1/namespaces/default/replicasets/{rs['metadata']['name']}")
             ["metadata"].get("finalizers") == ["foregroundDeletion"], what="the ReplicaSet deleting in the foreground")
    wait_for(lambda: [p["metadata"]["name"] for p in items(server, "/api/v1/namespaces/default/pods")] == [pod],
             what="the other pod gone")
    assert exists(server, "/apis/apps/v1/namespaces/default/deployments/web")
    code, out = api(server, "PATCH", f"/api/v1/namespaces/default/pods/{pod}",
                    {"metadata": {"finalizers": None}}, "application/merge-patch+json")
    assert code == 200, out
    wait_for(lambda: not exists(server, "/apis/apps/v1/namespaces/default/deployments/web"), what="the Deployment gone")
    assert not items(server, "/apis/apps/v1/namespaces/default/replicasets")
    assert not items(server, "/api/v1/namespaces/default/pods")


def cm(name, refs):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "ownerReferences": refs}}


def test_dangling_owner_references(kubectl):
    """An object whose owners are all gone is deleted; an owner of the same name but another uid
    counts as gone; with one owner left, only the dangling reference is removed."""
    server = kubectl.server
    code, owner = api(server, "POST", "/api/v1/namespaces/default/configmaps", cm("owner", None))
    assert code == 201, owner
    live = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner["metadata"]["uid"]}
    stale = dict(live, uid="00000000-0000-0000-0000-000000000001")
    missing = {"apiVersion": "v1", "kind": "ConfigMap", "name": "nobody", "uid": "00000000-0000-0000-0000-000000000002"}
    for name, refs in (("gone", [missing]), ("stale", [stale]), ("mixed", [live, missing])):
        code, out = api(server, "POST", "/api/v1/namespaces/default/configmaps", cm(name, refs))
        assert code == 201, out
    wait_for(lambda: not exists(server, "/api/v1/namespaces/default/configmaps/gone"), what="gone deleted")
    wait_for(lambda: not exists(server, "/api/v1/namespaces/default/configmaps/stale"), what="stale deleted")
    mixed = wait_for(lambda: (lambda m: len(m["metadata"]["ownerReferences"]) == 1 and m)(
        get(server, "/api/v1/namespaces/default/configmaps/mixed")), what="the dangling reference dropped")
    assert mixed["metadata"]["ownerReferences"][0]["uid"] == owner["metadata"]["uid"]
    # Deleting the owner with kubectl takes its dependent along.
    kubectl("delete", "configmap", "owner")
    wait_for(lambda: not exists(server, "/api/v1/namespaces/default/configmaps/mixed"), what="mixed deleted")


def test_default_service_account(kubectl):
    """Every namespace gets a "default" ServiceAccount, made again when deleted."""
    server = kubectl.server
    kubectl("create", "namespace", "team")
    wait_for(lambda: exists(server, "/api/v1/namespaces/team/serviceaccounts/default"), what="team/default")
    out = kubectl("get", "serviceaccounts", "-n", "team").splitlines()
    assert out[0].split()[0] == "NAME" and [l.split()[0] for l in out[1:]] == ["default"]
    old = get(server, "/api/v1/namespaces/team/serviceaccounts/default")["metadata"]["uid"]
    assert kubectl("delete", "serviceaccount", "default", "-n", "team").strip() == \
        'serviceaccount "default" deleted'
    sa = wait_for(lambda: (lambda r: r[0] == 200 and r[1]["metadata"]["uid"] != old and r[1])(
        api(server, "GET", "/api/v1/namespaces/team/serviceaccounts/default")), what="default made again")
    assert sa["metadata"]["name"] == "default"
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        wait_for(lambda: exists(server, f"/api/v1/namespaces/{ns}/serviceaccounts/default"), what=f"{ns}/default")
