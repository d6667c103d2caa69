"""Pod specs end to end (agent/podspec.c, volume.c, probe.c): what a container sees (command,
env from every source, $(VAR) expansion, user, read-only root, /etc files), every volume type,
cgroup limits from resources, probes over httpGet/tcpSocket/exec, and the errors a user sees
(CreateContainerConfigError, FailedMount).

One server with its embedded agent is shared by the module (pods get distinct names); the
module fixture deletes what is left and checks that nothing remains on the host under the
agent's resource prefix.
"""
import glob
import json
import os
import shutil

import pytest

from conftest import Kubectl, Server, host_resources, wait_for
from registry import build_test_image

IMAGE = "kube-test:latest"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    img = build_test_image(tmp_path_factory.mktemp("specimg"))
    s = Server(tmp_path_factory.mktemp("podspec"), agent=True)
    images = os.path.join(s.data_dir, "agent", "images")
    os.makedirs(images)
    shutil.copy(img["oci_tar"], images)
    s.start()
    s.kube = Kubectl("1.33", s, tmp_path_factory.mktemp("kubectl"))
    wait_for(lambda: node_ready(s), timeout=60, what="the node to be Ready")
    try:
        yield s
    finally:
        s.kube.run("delete", "pods,configmaps,secrets", "--all", "--wait=false", check=False)
        s.kube.run("delete", "service", "web-svc", "--wait=false", check=False)
        try:
            wait_for(lambda: not get(s, "/api/v1/namespaces/default/pods")["items"], timeout=60,
                     what="every pod to be gone")
        finally:
            rc = s.stop()
            assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
            assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
            assert data_mounts(s) == [], f"mounts left: {data_mounts(s)}"


def data_mounts(server):
    """Mounts under the server's data dir (volume tmpfs, root filesystems)."""
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f if line.split()[4].startswith(server.data_dir)]


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
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": name, "tier": "t1"}},
            "spec": {"containers": containers, "terminationGracePeriodSeconds": 2, **spec}}


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


def logs_with(server, name, marker, container=None):
    args = ["logs", name] + (["-c", container] if container else [])
    return wait_for(lambda: (lambda o: marker in o and o)(server.kube(*args)), timeout=30, what=f"{marker} in logs")


def delete_and_wait(server, name):
    server.kube.run("delete", "pod", name, "--wait=false")
    wait_for(lambda: pod(server, name) is None, timeout=60, what=f"pod {name} to be gone")


def report(out):
    """KEY=value lines of a container's report."""
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line and not line.startswith(" "))


def test_env_command_and_security(cluster):
    cluster.kube.run("create", "configmap", "envcm", "--from-literal=color=blue", "--from-literal=size=L")
    cluster.kube.run("create", "secret", "generic", "envsec", "--from-literal=token=t0k3n")
    cluster.kube.run("create", "service", "clusterip", "web-svc", "--tcp=80:8080")
    script = ('echo ARGS="$*"; echo COLOR=$CM_color SIZE=$CM_size TOKEN=$S_token; echo NAME=$POD_NAME NS=$POD_NS;'
              ' echo NODE=$NODE HOSTIP=$HOST_IP; echo MEM=$MEM_MI CPU=$CPU_M; echo COMBINED=$COMBINED;'
              ' echo ESC=$ESCAPED; echo OPT=[$OPT]; echo PATHSET=${PATH:+yes}; echo PWD=$(pwd); echo UID=$(id -u)'
              ' GID=$(id -g) GROUPS=$(id -G); echo HOSTNAME=$(cat /etc/hostname); touch /rootfile 2>/dev/null'
              ' && echo ROOTRW=yes || echo ROOTRW=no; grep -c ndots:5 /etc/resolv.conf | sed s/^/NDOTS=/;'
              ' grep -q "1.2.3.4.*alias1" /etc/hosts && echo ALIAS=yes; echo KSH=$KUBERNETES_SERVICE_HOST;'
              ' echo KSP=$KUBERNETES_SERVICE_PORT; echo WEB=$WEB_SVC_SERVICE_PORT $WEB_SVC_PORT_80_TCP_PROTO $WEB_SVC_PORT;'
              ' echo done; exec sleep 3600')
    c = {"name": "main", "image": IMAGE, "imagePullPolicy": "IfNotPresent", "command": ["sh", "-c", script, "sh"],
         "args": ["$(CM_color)", "$$(CM_color)", "$(UNDEFINED)"], "workingDir": "/tmp",
         "envFrom": [{"configMapRef": {"name": "envcm"}, "prefix": "CM_"}, {"secretRef": {"name": "envsec"}, "prefix": "S_"}],
         "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                 {"name": "POD_NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                 {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                 {"name": "HOST_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}},
                 {"name": "MEM_MI", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                 {"name": "CPU_M", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}}},
                 {"name": "COMBINED", "value": "$(POD_NAME)-$(CM_size)"},
                 {"name": "ESCAPED", "value": "$$(POD_NAME)"},
                 {"name": "OPT", "valueFrom": {"configMapKeyRef": {"name": "envcm", "key": "nope", "optional": True}}}],
         "resources": {"requests": {"cpu": "100m", "memory": "32Mi"}, "limits": {"memory": "96Mi"}},
         "securityContext": {"runAsUser": 1234, "runAsGroup": 2345, "readOnlyRootFilesystem": True}}
    apply(cluster, make_pod("envpod", [c], hostname="myhost", securityContext={"supplementalGroups": [3456]},
                            hostAliases=[{"ip": "1.2.3.4", "hostnames": ["alias1", "alias2"]}]))
    r = report(logs_with(cluster, "envpod", "done"))
    assert r["ARGS"] == "blue $(CM_color) $(UNDEFINED)", r
    assert r["COLOR"] == "blue SIZE=L TOKEN=t0k3n", r
    assert r["NAME"] == "envpod NS=default" and r["NODE"].split()[0] and r["NODE"].endswith("HOSTIP=127.0.0.1"), r
    assert r["MEM"] == "96 CPU=100", r
    assert r["COMBINED"] == "envpod-L" and r["ESC"] == "$(POD_NAME)" and r["OPT"] == "[]", r
    assert r["PATHSET"] == "yes" and r["PWD"] == "/tmp", r
    assert r["UID"].startswith("1234 GID=2345 GROUPS=") and "3456" in r["UID"].split("GROUPS=")[1].split(), r
    assert r["HOSTNAME"] == "myhost" and r["ROOTRW"] == "no" and r["NDOTS"] == "1" and r.get("ALIAS") == "yes", r
    svc = get(cluster, "/api/v1/namespaces/default/services/web-svc")["spec"]["clusterIP"]
    master = get(cluster, "/api/v1/namespaces/default/services/kubernetes")["spec"]
    assert r["KSH"] == master["clusterIP"] and r["KSP"] == str(master["ports"][0]["port"]), r
    assert r["WEB"] == f"80 tcp tcp://{svc}:80", r
    assert pod(cluster, "envpod")["status"]["qosClass"] == "Burstable"
    delete_and_wait(cluster, "envpod")


def test_volumes(cluster, tmp_path):
    cluster.kube.run("create", "configmap", "volcm", "--from-literal=a.txt=alpha", "--from-literal=b.txt=beta")
    cluster.kube.run("create", "secret", "generic", "volsec", "--from-literal=user=admin")
    hp_dir = tmp_path / "hostdir"
    hp_file = tmp_path / "hostfile"
    hp_file.write_text("from the host")
    script = ('echo A=$(cat /cm/alpha); echo AMODE=$(stat -L -c %a /cm/alpha); ls /cm | tr "\\n" " " | sed "s/^/CMLS=/";'
              ' echo; echo USER=$(cat /sec/user); echo LABELS=$(cat /info/labels | tr "\\n" ","); echo PODNAME=$(cat /info/name);'
              ' echo MEMLIM=$(cat /info/mem); echo PA=$(cat /proj/a.txt) PU=$(cat /proj/user) PN=$(cat /proj/podname);'
              ' echo HF=$(cat /hostfile); echo written > /hostdir/out; echo sub > /scratch/note;'
              ' echo SUB=$(cat /subdir/note 2>/dev/null || echo none); touch /cm/x 2>/dev/null && echo CMRW=yes || echo CMRW=no;'
              ' df -k /mem | tail -1 | awk "{print \\"MEMSIZE=\\" \\$2}"; grep " /mem " /proc/mounts | cut -d" " -f3 |'
              ' sed s/^/MEMFS=/; grep " /sec " /proc/mounts | cut -d" " -f3 | sed s/^/SECFS=/; echo done; exec sleep 3600')
    vm = [{"name": "cm", "mountPath": "/cm", "readOnly": True}, {"name": "sec", "mountPath": "/sec"},
          {"name": "info", "mountPath": "/info"}, {"name": "proj", "mountPath": "/proj"},
          {"name": "hd", "mountPath": "/hostdir"}, {"name": "hf", "mountPath": "/hostfile"},
          {"name": "scratch", "mountPath": "/scratch"}, {"name": "scratch", "mountPath": "/subdir", "subPath": "sub"},
          {"name": "mem", "mountPath": "/mem"}]
    volumes = [
        {"name": "cm", "configMap": {"name": "volcm", "items": [{"key": "a.txt", "path": "alpha"}], "defaultMode": 0o400}},
        {"name": "sec", "secret": {"secretName": "volsec"}},
        {"name": "info", "downwardAPI": {"items": [
            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
            {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
            {"path": "mem", "resourceFieldRef": {"containerName": "main", "resource": "limits.memory", "divisor": "1Mi"}}]}},
        {"name": "proj", "projected": {"sources": [
            {"configMap": {"name": "volcm", "items": [{"key": "a.txt", "path": "a.txt"}]}},
            {"secret": {"name": "volsec"}},
            {"downwardAPI": {"items": [{"path": "podname", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}},
        {"name": "hd", "hostPath": {"path": str(hp_dir), "type": "DirectoryOrCreate"}},
        {"name": "hf", "hostPath": {"path": str(hp_file), "type": "File"}},
        {"name": "scratch", "emptyDir": {}},
        {"name": "mem", "emptyDir": {"medium": "Memory", "sizeLimit": "16Mi"}},
    ]
    c = ctr("main", script, volumeMounts=vm, resources={"limits": {"memory": "64Mi"}})
    apply(cluster, make_pod("volpod", [c], volumes=volumes))
    r = report(logs_with(cluster, "volpod", "done"))
    assert r["A"] == "alpha" and r["AMODE"] == "400" and r["CMLS"].split() == ["alpha"], r
    assert r["USER"] == "admin" and r["PODNAME"] == "volpod", r
    assert r["LABELS"] == 'app="volpod",tier="t1"', r  # no newline after the last line, as upstream
    assert r["MEMLIM"] == "64", r
    assert r["PA"] == "alpha PU=admin PN=volpod", r
    assert r["HF"] == "from the host" and r["CMRW"] == "no", r
    assert r["MEMFS"] == "tmpfs" and r["MEMSIZE"] == "16384" and r["SECFS"] == "tmpfs", r
    assert r["SUB"] in ("none", "sub"), r  # the subPath dir is a fresh directory of the same emptyDir
    assert (hp_dir / "out").read_text() == "written\n"
    uid = pod(cluster, "volpod")["metadata"]["uid"]
    assert os.path.isdir(os.path.join(cluster.data_dir, "agent", "pods", uid, "volumes", "scratch", "sub"))
    pod_dir = os.path.join(cluster.data_dir, "agent", "pods", uid)
    assert any(m.startswith(pod_dir) for m in data_mounts(cluster))  # the Memory emptyDir and secret tmpfs
    delete_and_wait(cluster, "volpod")
    vol_dir = os.path.join(pod_dir, "volumes")
    wait_for(lambda: not os.path.exists(vol_dir), timeout=30, what="the pod's volumes to be removed")
    assert not [m for m in data_mounts(cluster) if m.startswith(pod_dir)]
    assert hp_file.read_text() == "from the host"  # hostPath contents are the host's


def test_resources_become_cgroup_limits(cluster):
    c = ctr("main", "echo up; exec sleep 3600",
            resources={"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "64Mi"}})
    apply(cluster, make_pod("limited", [c]))
    wait_for(lambda: phase(cluster, "limited") == "Running", timeout=60, what="pod limited Running")
    p = pod(cluster, "limited")
    assert p["status"]["qosClass"] == "Burstable"
    cid = p["status"]["containerStatuses"][0]["containerID"].split("://")[1]
    uid = p["metadata"]["uid"]
    pre = cluster.prefix
    mem = glob.glob(f"/sys/fs/cgroup/memory/{pre}/pod{uid}/{cid}/memory.limit_in_bytes")
    if mem:  # cgroup v1
        assert open(mem[0]).read().strip() == str(64 << 20)
        base = glob.glob(f"/sys/fs/cgroup/cpu,cpuacct/{pre}/pod{uid}/{cid}") or glob.glob(f"/sys/fs/cgroup/cpu/{pre}/pod{uid}/{cid}")
        assert open(base[0] + "/cpu.cfs_quota_us").read().strip() == "50000"
        assert open(base[0] + "/cpu.shares").read().strip() == "256"
    else:  # cgroup v2
        d = (glob.glob(f"/sys/fs/cgroup/{pre}/pod{uid}/{cid}") or glob.glob(f"/sys/fs/cgroup/unified/{pre}/pod{uid}/{cid}"))[0]
        assert open(d + "/memory.max").read().strip() == str(64 << 20)
        assert open(d + "/cpu.max").read().split()[0] == "50000"
    delete_and_wait(cluster, "limited")


def test_config_errors_are_reported(cluster):
    env = [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "latecm", "key": "x"}}}]
    apply(cluster, make_pod("cfgerr", [ctr("main", "echo X=$X; exec sleep 3600", env=env)]))
    w = wait_for(lambda: ((cstatus(cluster, "cfgerr", "main") or {}).get("state") or {}).get("waiting", {}).get("reason")
                 == "CreateContainerConfigError" and cstatus(cluster, "cfgerr", "main")["state"]["waiting"],
                 timeout=60, what="CreateContainerConfigError")
    assert w["message"] == 'configmap "latecm" not found', w
    assert "CreateContainerConfigError" in cluster.kube("get", "pod", "cfgerr", "--no-headers")
    cluster.kube.run("create", "configmap", "latecm", "--from-literal=x=arrived")
    logs_with(cluster, "cfgerr", "X=arrived")
    delete_and_wait(cluster, "cfgerr")
    # a configMap volume that does not exist: FailedMount, the pod waits in ContainerCreating
    apply(cluster, make_pod("mountfail", [ctr("main", "exec sleep 3600", volumeMounts=[{"name": "v", "mountPath": "/v"}])],
                            volumes=[{"name": "v", "configMap": {"name": "absentcm"}}]))

    def failed_mount():
        evs = get(cluster, "/api/v1/namespaces/default/events")["items"]
        return [e for e in evs if e["reason"] == "FailedMount" and e["involvedObject"]["name"] == "mountfail"]
    ev = wait_for(failed_mount, timeout=60, what="a FailedMount event")[0]
    assert ev["message"] == 'MountVolume.SetUp failed for volume "v" : configmap "absentcm" not found', ev
    assert phase(cluster, "mountfail") == "Pending"
    assert not any((s.get("state") or {}).get("running") for s in pod(cluster, "mountfail")["status"].get("containerStatuses", []))
    delete_and_wait(cluster, "mountfail")


def test_http_and_tcp_probes(cluster):
    ready = {"httpGet": {"path": "/", "port": "web"}, "periodSeconds": 1}
    live_tcp = {"tcpSocket": {"port": 8080}, "periodSeconds": 1}
    start = {"exec": {"command": ["test", "-e", "/www/index.html"]}, "periodSeconds": 1, "failureThreshold": 30}
    web = ctr("web", "mkdir -p /www && sleep 2 && echo hi > /www/index.html && exec serve",
              ports=[{"name": "web", "containerPort": 8080}], readinessProbe=ready, livenessProbe=live_tcp,
              startupProbe=start)
    bad = ctr("bad", "exec sleep 3600", livenessProbe={"tcpSocket": {"port": 9999}, "periodSeconds": 1,
                                                         "failureThreshold": 2})
    apply(cluster, make_pod("probes", [web, bad]))
    wait_for(lambda: (cstatus(cluster, "probes", "web") or {}).get("ready"), timeout=60, what="web ready")
    assert cstatus(cluster, "probes", "web")["started"] is True
    assert cstatus(cluster, "probes", "web")["restartCount"] == 0
    wait_for(lambda: (cstatus(cluster, "probes", "bad") or {}).get("restartCount", 0) >= 1, timeout=60,
             what="the tcp liveness restart")
    evs = get(cluster, "/api/v1/namespaces/default/events")["items"]
    msgs = [e["message"] for e in evs if e["reason"] == "Unhealthy" and e["involvedObject"]["name"] == "probes"]
    assert any(m.startswith("Liveness probe failed: dial tcp 127.0.0.1:9999: connect: connection refused") for m in msgs), msgs
    assert cstatus(cluster, "probes", "web")["restartCount"] == 0
    delete_and_wait(cluster, "probes")


def waiting(server, name, cname):
    return ((cstatus(server, name, cname) or {}).get("state") or {}).get("waiting") or {}


def test_hostile_subpath_and_non_root(cluster):
    # an init container plants a symlink to / in the emptyDir; a subPath through it is refused
    vm = [{"name": "scratch", "mountPath": "/vol"}]
    apply(cluster, make_pod("escape", [ctr("main", "exec sleep 3600",
                                           volumeMounts=[{"name": "scratch", "mountPath": "/x", "subPath": "escape/etc"}])],
                            initContainers=[ctr("plant", "ln -s / /vol/escape", volumeMounts=vm)],
                            volumes=[{"name": "scratch", "emptyDir": {}}]))
    w = wait_for(lambda: waiting(cluster, "escape", "main").get("reason") == "CreateContainerConfigError"
                 and waiting(cluster, "escape", "main"), timeout=60, what="the subPath to be refused")
    assert w["message"] == 'subPath "escape/etc" is outside of the volume', w
    assert not os.path.exists("/etc/etc")
    delete_and_wait(cluster, "escape")
    apply(cluster, make_pod("nonroot", [ctr("main", "exec sleep 3600")], securityContext={"runAsNonRoot": True}))
    w = wait_for(lambda: waiting(cluster, "nonroot", "main").get("reason") == "CreateContainerConfigError"
                 and waiting(cluster, "nonroot", "main"), timeout=60, what="runAsNonRoot to be refused")
    uid = pod(cluster, "nonroot")["metadata"]["uid"]
    assert w["message"] == f'container has runAsNonRoot and image will run as root (pod: "nonroot_default({uid})", container: main)', w
    delete_and_wait(cluster, "nonroot")


def test_https_probe_on_host_network(cluster):
    # the server's own port serves /readyz over TLS with a certificate the probe does not verify
    ready = {"httpGet": {"path": "/readyz", "port": cluster.port, "scheme": "HTTPS"}, "periodSeconds": 1}
    apply(cluster, make_pod("tlsprobe", [ctr("main", "exec sleep 3600", readinessProbe=ready)], hostNetwork=True))
    wait_for(lambda: (cstatus(cluster, "tlsprobe", "main") or {}).get("ready"), timeout=60, what="HTTPS readiness")
    p = pod(cluster, "tlsprobe")
    assert p["status"].get("podIP") in (None, "", "127.0.0.1")
    delete_and_wait(cluster, "tlsprobe")


def test_capabilities_seccomp_and_no_new_privs(cluster):
    # no pipes in the script: the runtime's RuntimeDefault profile lacks pipe/pipe2 (cri/seccomp.c)
    show = "grep -E '^(CapEff|Seccomp|NoNewPrivs):' /proc/self/status; echo done; exec sleep 3600"
    apply(cluster, make_pod("secctx", [
        ctr("locked", show, securityContext={"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
                                             "allowPrivilegeEscalation": False,
                                             "seccompProfile": {"type": "RuntimeDefault"}}),
        ctr("plain", show)]))
    def status(out):
        return dict(line.split(":\t", 1) for line in out.splitlines() if ":\t" in line)
    locked = status(logs_with(cluster, "secctx", "done", "locked"))
    plain = status(logs_with(cluster, "secctx", "done", "plain"))
    assert int(locked["CapEff"], 16) == 1 << 10, locked  # CAP_NET_BIND_SERVICE only
    assert locked["Seccomp"] == "2" and locked["NoNewPrivs"] == "1", locked
    assert int(plain["CapEff"], 16) & (1 << 0) and plain["Seccomp"] == "0", plain  # CAP_CHOWN: the default set
    delete_and_wait(cluster, "secctx")
