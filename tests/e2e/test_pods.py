"""The pod worker end to end: a server with its embedded agent runs pods with real runc from the
test image (images/build.sh's oci-archive, imported from DATA/agent/images at start).

One server is shared by the module (pods get distinct names); the module fixture deletes what is
left and checks that nothing remains on the host under the agent's resource prefix.
"""
import json
import os
import shutil

import pytest

from conftest import KUBECTL_DIR, KUBECTL_VERSIONS, Kubectl, Server, free_port, host_resources, wait_for
from registry import build_test_image

IMAGE = "kube-test:latest"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    img = build_test_image(tmp_path_factory.mktemp("podimg"))
    s = Server(tmp_path_factory.mktemp("pods"), agent=True)
    images = os.path.join(s.data_dir, "agent", "images")
    os.makedirs(images)
    shutil.copy(img["oci_tar"], images)
    s.start()
    s.kube = Kubectl("1.33", s, tmp_path_factory.mktemp("kubectl"))
    wait_for(lambda: node_ready(s), timeout=60, what="the node to be Ready")
    try:
        yield s
    finally:
        s.kube.run("delete", "pods,deployments,configmaps,secrets", "--all", "--wait=false", check=False)
        try:
            wait_for(lambda: not get(s, "/api/v1/namespaces/default/pods")["items"], timeout=60,
                     what="every pod to be gone")
        finally:
            rc = s.stop()
            assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
            assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"


def get(server, path):
    code, _, body = server.request("GET", path)
    assert code == 200, body
    return json.loads(body)


def node_ready(server):
    nodes = get(server, "/api/v1/nodes")["items"]
    return nodes and any(c["type"] == "Ready" and c["status"] == "True" for c in nodes[0]["status"]["conditions"])


def pod(server, name):
    code, _, body = server.request("GET", f"/api/v1/namespaces/default/pods/{name}")
    return json.loads(body) if code == 200 else None


def apply(server, obj):
    server.kube.run("apply", "-f", "-", input=json.dumps(obj))


def make_pod(name, containers, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": containers, "terminationGracePeriodSeconds": 5, **spec}}


def ctr(name, script, **kw):
    return {"name": name, "image": IMAGE, "imagePullPolicy": "IfNotPresent", "command": ["sh", "-c", script], **kw}


def phase(server, name):
    p = pod(server, name)
    return p and p["status"].get("phase")


def cstatus(server, name, cname):
    p = pod(server, name) or {"status": {}}
    for s in p["status"].get("containerStatuses", []) + p["status"].get("initContainerStatuses", []):
        if s["name"] == cname:
            return s
    return None


def delete_and_wait(server, name):
    server.kube.run("delete", "pod", name, "--wait=false")
    wait_for(lambda: pod(server, name) is None, timeout=60, what=f"pod {name} to be gone")


def test_pod_runs_status_and_logs(cluster, tmp_path):
    apply(cluster, make_pod("hello", [ctr("main", "echo hello from the pod; exec sleep 3600")]))
    wait_for(lambda: phase(cluster, "hello") == "Running", timeout=60, what="pod hello Running")
    p = pod(cluster, "hello")
    st = p["status"]
    assert st["hostIP"] == "127.0.0.1" and st["startTime"] and st["qosClass"] == "BestEffort"
    cs = st["containerStatuses"][0]
    assert cs["containerID"].startswith("runc://") and cs["state"].get("running")
    assert cs["restartCount"] == 0 and cs["started"] is True and "kube-test" in cs["image"]
    assert cs["imageID"]
    conds = {c["type"]: c["status"] for c in st["conditions"]}
    assert conds == {"PodScheduled": "True", "Initialized": "True", "ContainersReady": "True", "Ready": "True",
                     "PodReadyToStartContainers": "True"}
    for v in KUBECTL_VERSIONS:
        if not os.path.exists(os.path.join(KUBECTL_DIR, f"kubectl.{v}")):
            continue
        k = Kubectl(v, cluster, tmp_path)
        row = k("get", "pod", "hello", "-o", "wide", "--no-headers").split()
        assert row[1:3] == ["1/1", "Running"], row
        wait_for(lambda: "hello from the pod" in k("logs", "hello"), what="kubectl logs")
        assert "Started" in k("describe", "pod", "hello")
    delete_and_wait(cluster, "hello")


def test_status_written_by_others_is_reconciled(cluster):
    """Another writer marks a running pod Ready=False (as the node lifecycle controller does while
    the node is not ready): the kubelet writes its own view back, as upstream's status manager."""
    apply(cluster, make_pod("recon", [ctr("main", "exec sleep 3600")]))

    def ready():
        p = pod(cluster, "recon")
        return p and {c["type"]: c["status"] for c in p["status"].get("conditions", [])}.get("Ready") == "True" and p
    wait_for(ready, timeout=60, what="pod recon Ready")

    def mark_unready():  # a fresh copy each try: the kubelet may write in between (409)
        p = ready()
        if not p:
            return False
        for c in p["status"]["conditions"]:
            if c["type"] == "Ready":
                c["status"] = "False"
        code, _, body = cluster.request("PUT", "/api/v1/namespaces/default/pods/recon/status",
                                        json.dumps(p).encode(), {"Content-Type": "application/json"})
        assert code in (200, 409), body
        return code == 200
    wait_for(mark_unready, timeout=30, what="Ready=False written")
    wait_for(ready, timeout=30, what="the kubelet setting Ready=True again")
    delete_and_wait(cluster, "recon")


def test_crashloop_backoff(cluster):
    apply(cluster, make_pod("crash", [ctr("main", "echo crashing; exit 3")]))
    wait_for(lambda: (cstatus(cluster, "crash", "main") or {}).get("restartCount", 0) >= 2, timeout=60,
             what="two restarts")
    wait_for(lambda: "CrashLoopBackOff" in cluster.kube("get", "pod", "crash", "--no-headers"), timeout=30,
             what="CrashLoopBackOff in the STATUS column")
    cs = cstatus(cluster, "crash", "main")
    assert cs["lastState"]["terminated"]["exitCode"] == 3
    assert "crashing" in cluster.kube("logs", "crash", "--previous")
    delete_and_wait(cluster, "crash")


def test_restart_policies(cluster):
    apply(cluster, make_pod("never", [ctr("main", "exit 1")], restartPolicy="Never"))
    apply(cluster, make_pod("onfail", [ctr("main", "exit 0")], restartPolicy="OnFailure"))
    wait_for(lambda: phase(cluster, "never") == "Failed", timeout=60, what="pod never Failed")
    wait_for(lambda: phase(cluster, "onfail") == "Succeeded", timeout=60, what="pod onfail Succeeded")
    assert cstatus(cluster, "never", "main")["state"]["terminated"]["exitCode"] == 1
    assert cstatus(cluster, "never", "main")["restartCount"] == 0
    out = cluster.kube("get", "pods", "never", "onfail", "--no-headers")
    assert "Error" in out and "Completed" in out, out
    delete_and_wait(cluster, "never")
    delete_and_wait(cluster, "onfail")


def test_init_containers_order_env_and_volumes(cluster):
    cluster.kube.run("create", "configmap", "podcm", "--from-literal=greeting=hi-from-cm")
    cluster.kube.run("create", "secret", "generic", "podsec", "--from-literal=pw=s3cret")
    vm = [{"name": "work", "mountPath": "/work"}, {"name": "cm", "mountPath": "/cm"}]
    spec = make_pod("inits", [ctr("main", "cat /work/order; echo GREETING=$GREETING PW=$PW; cat /cm/greeting; echo;"
                                          " exec sleep 3600", volumeMounts=vm, env=[
        {"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "podcm", "key": "greeting"}}},
        {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "podsec", "key": "pw"}}}])],
        initContainers=[ctr("first", "echo first >> /work/order", volumeMounts=vm[:1]),
                        ctr("second", "echo second >> /work/order", volumeMounts=vm[:1])],
        volumes=[{"name": "work", "emptyDir": {}}, {"name": "cm", "configMap": {"name": "podcm"}}])
    apply(cluster, spec)
    wait_for(lambda: phase(cluster, "inits") == "Running", timeout=60, what="pod inits Running")
    inits = pod(cluster, "inits")["status"]["initContainerStatuses"]
    assert [s["state"]["terminated"]["reason"] for s in inits] == ["Completed", "Completed"]
    out = wait_for(lambda: (lambda o: "hi-from-cm" in o and o)(cluster.kube("logs", "inits")), what="logs")
    assert "first\nsecond\n" in out and "GREETING=hi-from-cm PW=s3cret" in out, out
    delete_and_wait(cluster, "inits")


def test_readiness_gates_ready_and_liveness_restarts(cluster, tmp_path):
    flag = tmp_path / "flags"
    flag.mkdir()
    probe = {"exec": {"command": ["cat", "/flags/ready"]}, "periodSeconds": 1, "failureThreshold": 1}
    live = {"exec": {"command": ["cat", "/tmp/healthy"]}, "periodSeconds": 1, "failureThreshold": 1}
    apply(cluster, make_pod("probed", [
        ctr("gated", "exec sleep 3600", readinessProbe=probe, volumeMounts=[{"name": "flags", "mountPath": "/flags"}]),
        ctr("dying", "touch /tmp/healthy; sleep 1; rm /tmp/healthy; exec sleep 3600", livenessProbe=live)],
        volumes=[{"name": "flags", "hostPath": {"path": str(flag)}}]))
    wait_for(lambda: phase(cluster, "probed") == "Running", timeout=60, what="pod probed Running")
    wait_for(lambda: (cstatus(cluster, "probed", "dying") or {}).get("restartCount", 0) >= 1, timeout=60,
             what="a liveness restart")
    assert cstatus(cluster, "probed", "gated")["ready"] is False
    conds = {c["type"]: c["status"] for c in pod(cluster, "probed")["status"]["conditions"]}
    assert conds["Ready"] == "False"
    (flag / "ready").write_text("yes")
    wait_for(lambda: cstatus(cluster, "probed", "gated")["ready"], timeout=30, what="readiness")
    delete_and_wait(cluster, "probed")


def test_graceful_delete_runs_sigterm_handler(cluster, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    apply(cluster, make_pod("graceful", [ctr("main", "trap 'echo got TERM > /out/term; exit 0' TERM; echo up;"
                                                      " while true; do sleep 0.2; done",
                                             volumeMounts=[{"name": "out", "mountPath": "/out"}],
                                             lifecycle={"preStop": {"exec": {"command": [
                                                 "sh", "-c", "echo prestop > /out/prestop"]}}})],
                            terminationGracePeriodSeconds=30, volumes=[{"name": "out", "hostPath": {"path": str(out)}}]))
    wait_for(lambda: phase(cluster, "graceful") == "Running", timeout=60, what="pod graceful Running")
    uid = pod(cluster, "graceful")["metadata"]["uid"]
    delete_and_wait(cluster, "graceful")
    assert (out / "prestop").read_text() == "prestop\n"
    assert (out / "term").read_text() == "got TERM\n"
    # the pod's directory (volumes, root filesystems, logs) is gone with it
    wait_for(lambda: not os.path.exists(os.path.join(cluster.data_dir, "agent", "pods", uid)), what="pod dir removed")


def test_deployment_rolls_out(cluster):
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
           "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                    "template": {"metadata": {"labels": {"app": "web"}},
                                 "spec": {"terminationGracePeriodSeconds": 2,
                                          "containers": [ctr("web", "exec sleep 3600")]}}}}
    apply(cluster, dep)
    cluster.kube.run("rollout", "status", "deployment/web", "--timeout=90s", timeout=120)
    pods = get(cluster, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")["items"]
    assert len(pods) == 2 and all(p["status"]["phase"] == "Running" for p in pods)
    cluster.kube.run("delete", "deployment", "web")
    wait_for(lambda: not get(cluster, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")["items"],
             timeout=60, what="the deployment's pods to be gone")


def test_agent_restart_keeps_containers(cluster):
    apply(cluster, make_pod("survivor", [ctr("main", "exec sleep 3600")]))
    wait_for(lambda: phase(cluster, "survivor") == "Running", timeout=60, what="pod survivor Running")
    before = cstatus(cluster, "survivor", "main")
    cluster.kill9()
    cluster.start()
    # the pod keeps its container: same id, no restart, still running
    wait_for(lambda: node_ready(cluster), timeout=60, what="the node to be Ready again")
    wait_for(lambda: cstatus(cluster, "survivor", "main")["ready"], timeout=60, what="survivor ready")
    after = cstatus(cluster, "survivor", "main")
    assert after["containerID"] == before["containerID"] and after["restartCount"] == 0
    delete_and_wait(cluster, "survivor")


def test_waiting_reasons(cluster):
    apply(cluster, make_pod("noimage", [{"name": "main", "image": "127.0.0.1:1/nope:1", "imagePullPolicy": "Always"}]))
    apply(cluster, make_pod("neverpull", [{"name": "main", "image": "absent:1", "imagePullPolicy": "Never"}]))
    apply(cluster, make_pod("nocm", [ctr("main", "exec sleep 3600", env=[
        {"name": "X", "valueFrom": {"configMapKeyRef": {"name": "missing-cm", "key": "k"}}}])]))
    apply(cluster, make_pod("badmount", [ctr("main", "exec sleep 3600", volumeMounts=[{"name": "h", "mountPath": "/h"}])],
                            volumes=[{"name": "h", "hostPath": {"path": "/nonexistent-kube-test", "type": "Directory"}}]))

    def reason(name):
        return ((cstatus(cluster, name, "main") or {}).get("state", {}).get("waiting") or {}).get("reason")
    wait_for(lambda: reason("noimage") == "ImagePullBackOff", timeout=60, what="ImagePullBackOff")
    wait_for(lambda: reason("neverpull") == "ErrImageNeverPull", timeout=60, what="ErrImageNeverPull")
    wait_for(lambda: reason("nocm") == "CreateContainerConfigError", timeout=60, what="CreateContainerConfigError")
    assert "missing-cm" in cstatus(cluster, "nocm", "main")["state"]["waiting"]["message"]
    assert phase(cluster, "noimage") == "Pending"
    wait_for(lambda: "FailedMount" in cluster.kube("get", "events", "--field-selector", "involvedObject.name=badmount"),
             timeout=30, what="FailedMount")
    assert reason("badmount") == "ContainerCreating" and phase(cluster, "badmount") == "Pending"
    events = cluster.kube("get", "events", "--field-selector", "involvedObject.name=noimage")
    assert "Failed" in events and "BackOff" in events, events
    for name in ("noimage", "neverpull", "nocm", "badmount"):
        delete_and_wait(cluster, name)


def test_pod_deleted_while_agent_down_is_cleaned_up(cluster):
    apply(cluster, make_pod("orphaned", [ctr("main", "exec sleep 3600")]))
    wait_for(lambda: phase(cluster, "orphaned") == "Running", timeout=60, what="pod orphaned Running")
    uid = pod(cluster, "orphaned")["metadata"]["uid"]
    # the server's agent is down while the pod object is force-deleted
    agent_args = cluster.args
    i = agent_args.index("--node-ip")
    cluster.kill9()
    cluster.args = agent_args[:i] + agent_args[i + 6:] + ["--disable-agent"]
    try:
        cluster.start()
        cluster.kube.run("delete", "pod", "orphaned", "--grace-period=0", "--force")
        assert cluster.stop() == 0
        assert any(uid.replace("-", "")[:12] in n for n in os.listdir("/run/netns")), "the sandbox should still exist"
    finally:
        if cluster.proc.poll() is None:
            cluster.stop()
        cluster.args = agent_args
        cluster.start()
    wait_for(lambda: not any(uid.replace("-", "")[:12] in n for n in os.listdir("/run/netns")), timeout=60,
             what="the orphan's sandbox to be removed")
    wait_for(lambda: not os.path.exists(os.path.join(cluster.data_dir, "agent", "pods", uid)), timeout=60,
             what="the orphan's directory to be removed")


def test_host_network_pod_with_http_readiness(cluster):
    port = free_port()
    probe = {"httpGet": {"path": "/index.html", "port": port}, "periodSeconds": 1}
    apply(cluster, make_pod("hostnet", [ctr("web", "exec /bin/serve", env=[{"name": "PORT", "value": str(port)}],
                                            readinessProbe=probe)], hostNetwork=True))
    wait_for(lambda: (cstatus(cluster, "hostnet", "web") or {}).get("ready"), timeout=60, what="hostnet ready")
    st = pod(cluster, "hostnet")["status"]
    assert st["podIP"] == "127.0.0.1" and st["podIPs"] == [{"ip": "127.0.0.1"}]
    delete_and_wait(cluster, "hostnet")


def cgroup_value(prefix, uid, v1, v1_file, v2_file):
    for path in (f"/sys/fs/cgroup/{v1}/{prefix}/pod{uid}/{v1_file}", f"/sys/fs/cgroup/{prefix}/pod{uid}/{v2_file}",
                 f"/sys/fs/cgroup/unified/{prefix}/pod{uid}/{v2_file}"):
        if os.path.exists(path):
            with open(path) as f:
                return f.read().strip()
    return None


def test_pod_cgroup_limits_and_qos(cluster):
    res = {"requests": {"cpu": "250m"}, "limits": {"memory": "64Mi"}}
    apply(cluster, make_pod("limited", [ctr("a", "exec sleep 3600", resources=res),
                                        ctr("b", "exec sleep 3600", resources=res)]))
    wait_for(lambda: all(cstatus(cluster, "limited", n)["ready"] for n in "ab"), timeout=60, what="pod limited ready")
    p = pod(cluster, "limited")
    assert p["status"]["qosClass"] == "Burstable"
    uid = p["metadata"]["uid"]
    mem = cgroup_value(cluster.prefix, uid, "memory", "memory.limit_in_bytes", "memory.max")
    assert mem == str(128 * 1024 * 1024), mem
    shares = cgroup_value(cluster.prefix, uid, "cpu", "cpu.shares", "cpu.weight")
    assert shares in ("512", "20"), shares  # 500m; cgroup v2: the weight converted from 512 shares
    delete_and_wait(cluster, "limited")


# ---- container logs through the API server and the kubelet API ----------------------------------
# A real pod: c1 exits once and runs again (restartCount 1, so a previous log exists), c2 waits for
# an image it may not pull. Both runs of c1 print nothing; the test then writes CRI-format lines
# with chosen timestamps into the files the shim made, DATA/agent/pods/<uid>/c1/<restartCount>.log,
# so that tail, since, partial lines and rotation can be checked exactly.

LINES_PREV = "2024-05-01T10:00:00.5Z stdout F from the previous run\n"
LINES = ("2024-05-01T10:00:01.000000001Z stdout F first line\n"
         "2024-05-01T10:00:02Z stderr P partial-\n"
         "2024-05-01T10:00:02.25Z stdout F joined\n"
         "2030-01-01T00:00:00.123Z stdout F from the future\n")


@pytest.fixture
def log_pod(cluster):
    name = "logs-%05x" % int.from_bytes(os.urandom(3), "big")
    apply(cluster, make_pod(name, [
        ctr("c1", "[ -e /w/ran ] && exec sleep 3600; touch /w/ran; exit 1", volumeMounts=[{"name": "w", "mountPath": "/w"}]),
        {"name": "c2", "image": "absent:1", "imagePullPolicy": "Never"}], volumes=[{"name": "w", "emptyDir": {}}]))

    def settled():
        c1, c2 = cstatus(cluster, name, "c1") or {}, cstatus(cluster, name, "c2") or {}
        return (c1.get("restartCount") == 1 and "running" in c1.get("state", {})
                and (c2.get("state", {}).get("waiting") or {}).get("reason") == "ErrImageNeverPull")
    wait_for(settled, timeout=60, what="c1 running after one restart and c2 waiting")
    d = os.path.join(cluster.data_dir, "agent", "pods", pod(cluster, name)["metadata"]["uid"], "c1")
    assert os.path.getsize(os.path.join(d, "0.log")) == 0 and os.path.getsize(os.path.join(d, "1.log")) == 0
    with open(os.path.join(d, "0.log"), "a") as f:
        f.write(LINES_PREV)
    with open(os.path.join(d, "1.log"), "a") as f:
        f.write(LINES)
    yield name, d
    delete_and_wait(cluster, name)


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_kubectl_logs(cluster, tmp_path, log_pod, version):
    name, _ = log_pod
    k = Kubectl(version, cluster, tmp_path)
    assert k("logs", name, "-c", "c1") == "first line\npartial-joined\nfrom the future\n"
    assert k("logs", name, "-c", "c1", "--timestamps") == (
        "2024-05-01T10:00:01.000000001Z first line\n2024-05-01T10:00:02Z partial-joined\n"
        "2030-01-01T00:00:00.123Z from the future\n")
    assert k("logs", name, "-c", "c1", "--tail", "1") == "from the future\n"
    # as upstream's tail, lines of the file are counted: a partial line is one
    assert k("logs", name, "-c", "c1", "--tail", "2") == "joined\nfrom the future\n"
    assert k("logs", name, "-c", "c1", "--tail", "3") == "partial-joined\nfrom the future\n"
    assert k("logs", name, "-c", "c1", "--since-time", "2024-05-01T10:00:02Z") == "partial-joined\nfrom the future\n"
    assert k("logs", name, "-c", "c1", "--since", "1h") == "from the future\n"
    assert k("logs", name, "-c", "c1", "--limit-bytes", "7") == "first l"
    assert k("logs", name, "-c", "c1", "--previous") == "from the previous run\n"
    r = k.run("logs", name, "-c", "c2", check=False)
    assert r.returncode != 0 and f'container "c2" in pod "{name}" is waiting to start: ErrImageNeverPull' in r.stderr
    r = k.run("logs", name, "-c", "c2", "--previous", check=False)
    assert r.returncode != 0 and "previous terminated container" in r.stderr


def test_pod_log_api_errors(cluster, log_pod):
    name, _ = log_pod
    base = f"/api/v1/namespaces/default/pods/{name}/log"
    code, _, body = cluster.request("GET", base)
    assert code == 400 and f"a container name must be specified for pod {name}, choose one of: [c1 c2]" in json.loads(body)["message"]
    code, _, body = cluster.request("GET", base + "?container=nope")
    assert code == 400 and json.loads(body)["message"] == f"container nope is not valid for pod {name}"
    code, _, body = cluster.request("GET", base + "?container=c1&tailLines=abc")
    assert code == 400 and json.loads(body)["reason"] == "BadRequest"
    code, _, body = cluster.request("GET", base + "?container=c1&tailLines=-2")
    assert code == 422 and json.loads(body)["details"]["kind"] == "PodLogOptions"
    code, _, body = cluster.request("GET", base + "?container=c1&limitBytes=0")
    assert code == 422
    code, _, body = cluster.request("GET", base + "?container=c1&sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z")
    assert code == 422 and "at most one of" in json.loads(body)["message"]
    code, _, body = cluster.request("GET", "/api/v1/namespaces/default/pods/missing/log")
    assert code == 404
    code, hdrs, body = cluster.request("GET", base + "?container=c1&timestamps=true&tailLines=1")
    assert code == 200 and body == b"2030-01-01T00:00:00.123Z from the future\n"


def test_pod_log_python_client(cluster, log_pod):
    from kubernetes import client as k8s, config
    name, _ = log_pod
    cfg = k8s.Configuration()
    config.load_kube_config(config_file=cluster.kubeconfig, client_configuration=cfg)
    with k8s.ApiClient(cfg) as api:
        v1 = k8s.CoreV1Api(api)
        assert v1.read_namespaced_pod_log(name, "default", container="c1", tail_lines=1,
                                          timestamps=True) == "2030-01-01T00:00:00.123Z from the future\n"
        assert v1.read_namespaced_pod_log(name, "default", container="c1", previous=True) == "from the previous run\n"
        with pytest.raises(k8s.exceptions.ApiException) as e:
            v1.read_namespaced_pod_log(name, "default", container="c2")
        assert e.value.status == 400 and "is waiting to start" in e.value.body


def test_kubectl_logs_follow_and_rotation(cluster, tmp_path, log_pod):
    name, d = log_pod
    k = Kubectl("1.27", cluster, tmp_path)
    p = k.popen("logs", "-f", name, "-c", "c1", "--tail", "1")
    try:
        assert p.stdout.readline() == "from the future\n"
        with open(os.path.join(d, "1.log"), "a") as f:
            f.write("2030-01-01T00:00:01Z stdout P ap")  # half a line of the file first
            f.flush()
            f.write("pe\n2030-01-01T00:00:01Z stdout F nded\n")
        assert p.stdout.readline() == "appended\n"
        os.rename(os.path.join(d, "1.log"), os.path.join(d, "1.log.1"))  # rotation
        with open(os.path.join(d, "1.log"), "w") as f:
            f.write("2030-01-01T00:00:02Z stdout F after rotation\n")
        assert p.stdout.readline() == "after rotation\n"
    finally:
        p.kill()
        p.wait()
