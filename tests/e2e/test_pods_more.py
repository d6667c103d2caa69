"""Pods from the two other places an image or a node can come from: an image pulled from a real
docker-registry on loopback (plain HTTP, the mirror of a name that does not resolve, configured
through the server's --registries-config in k3s's registries.yaml format), and a second `kube agent` in its own network namespace that joins
by token and runs a pod pinned to it.

Each test has its own server (and agent); everything is deleted at the end, also on failure, and
nothing may be left on the host under the agents' resource prefixes.
"""
import json
import os
import shutil
import signal
import subprocess

import pytest

from conftest import Kubectl, Server, host_resources, wait_for
from registry import Registry, build_test_image
from test_agent_node import Agent, VethServer, agents, token_of, veth  # noqa: F401 - fixtures

REPO = "test/kube-test"
MIRRORED = "registry.kube-test.example"  # served only through registries.yaml


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("needs root for runc, overlayfs and network namespaces")
    return build_test_image(tmp_path_factory.mktemp("image"))


def get(server, path):
    code, _, body = server.request("GET", path)
    return json.loads(body) if code == 200 else None


def pod_phase(server, name):
    p = get(server, f"/api/v1/namespaces/default/pods/{name}")
    return p and p["status"].get("phase")


def node_ready(server, name):
    n = get(server, f"/api/v1/nodes/{name}") if name else ((get(server, "/api/v1/nodes") or {}).get("items") or [None])[0]
    return n and any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"].get("conditions", []))


def pod_spec(name, image, ctr=None, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"terminationGracePeriodSeconds": 2, **spec,
                     "containers": [{"name": "main", "image": image, **(ctr or {}),
                                     "command": ["sh", "-c", f"echo hello from {name}; exec sleep 3600"]}]}}


def run_pod_and_check_logs(server, kube, name, image, **spec):
    kube.run("apply", "-f", "-", input=json.dumps(pod_spec(name, image, **spec)))
    wait_for(lambda: pod_phase(server, name) == "Running", timeout=60,
             what=f"pod {name} Running ({kube('get', 'events', check=False)})")
    wait_for(lambda: f"hello from {name}" in kube("logs", name), timeout=20, what=f"kubectl logs {name}")


def delete_pods(server, kube):
    """Deletes every pod of the default namespace and waits until they are gone."""
    kube.run("delete", "pods", "--all", "--wait=false", check=False)
    wait_for(lambda: not (get(server, "/api/v1/namespaces/default/pods") or {"items": [1]})["items"], timeout=60,
             what="every pod to be gone")


def stop_server(server):
    rc = server.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{server.read_log()[-4000:]}"


def test_pod_image_from_plain_http_registry(image, tmp_path):
    (tmp_path / "registry").mkdir()
    reg = Registry(tmp_path / "registry").start()
    s = None
    try:
        reg.push(f"oci:{image['oci']}:latest", f"{REPO}:latest")
        cfg = tmp_path / "registries.yaml"
        # A name that is not loopback (loopback registries are plain HTTP even without a
        # config) and never resolves (.example): only the mirror in the file can serve it.
        cfg.write_text(f"mirrors:\n  \"{MIRRORED}\":\n    endpoint:\n      - \"http://{reg.host}\"\n")
        (tmp_path / "srv").mkdir()
        s = Server(tmp_path / "srv", ["--registries-config", str(cfg)], agent=True).start()
        kube = Kubectl("1.33", s, tmp_path)
        wait_for(lambda: node_ready(s, None), timeout=60, what="the node to be Ready")
        try:
            ref = f"{MIRRORED}/{REPO}:latest"
            run_pod_and_check_logs(s, kube, "pulled", ref, ctr={"imagePullPolicy": "Always"})
            st = get(s, "/api/v1/namespaces/default/pods/pulled")["status"]["containerStatuses"][0]
            assert st["imageID"] and REPO in st["image"], st
            events = kube("get", "events", "--field-selector", "involvedObject.name=pulled")
            assert "Pulling" in events and "Pulled" in events and ref in events, events
        finally:
            delete_pods(s, kube)
    finally:
        if s is not None:
            stop_server(s)
            assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
        reg.stop()


def test_agent_in_netns_runs_pinned_pod(image, veth, tmp_path, agents):  # noqa: F811 - fixtures
    ns, host_ip, ns_ip = veth
    (tmp_path / "srv").mkdir()
    s = VethServer(tmp_path / "srv", host_ip).start()
    try:
        data = tmp_path / "agent-data"
        os.makedirs(data / "agent" / "images")
        shutil.copy(image["oci_tar"], data / "agent" / "images")
        a = Agent(tmp_path, s.url, token_of(s), "netns-pods", ["--node-ip", ns_ip, "--node-label", "where=netns"],
                  netns=ns, data=data, nsenter=True)
        agents.append(a)
        kube = Kubectl("1.33", s, tmp_path)
        wait_for(lambda: node_ready(s, "netns-pods"), timeout=60, what=f"netns-pods Ready (log {a.log_path})")
        try:
            # the server has no agent of its own: the scheduler places it by nodeSelector
            run_pod_and_check_logs(s, kube, "innetns", "kube-test:latest", nodeSelector={"where": "netns"},
                                   ctr={"imagePullPolicy": "Never"})
            p = get(s, "/api/v1/namespaces/default/pods/innetns")
            assert p["spec"]["nodeName"] == "netns-pods" and p["status"]["hostIP"] == ns_ip, p["status"]
            assert p["status"]["containerStatuses"][0]["containerID"].startswith("runc://")
        finally:
            delete_pods(s, kube)
        assert a.stop() == 0, a.read_log()[-3000:]
        assert host_resources(a.prefix) == [], f"left on the host: {host_resources(a.prefix)}"
    finally:
        stop_server(s)


def test_orphan_sandbox_with_removed_container_releases_rootfs(image, tmp_path):
    """Regression: an agent stopped between removing a pod's container and removing its sandbox
    left the container's root filesystem mounted after the restart (the orphan was first found
    through its sandbox, and the pod directory scan then skipped it)."""
    (tmp_path / "srv").mkdir()
    s = Server(tmp_path / "srv", agent=True)
    os.makedirs(os.path.join(s.data_dir, "agent", "images"))
    shutil.copy(image["oci_tar"], os.path.join(s.data_dir, "agent", "images"))
    s.start()
    kube = Kubectl("1.33", s, tmp_path)
    agent_args = s.args
    try:
        wait_for(lambda: node_ready(s, None), timeout=60, what="the node to be Ready")
        run_pod_and_check_logs(s, kube, "halfgone", "kube-test:latest", ctr={"imagePullPolicy": "IfNotPresent"})
        uid = get(s, "/api/v1/namespaces/default/pods/halfgone")["metadata"]["uid"]
        cid = get(s, "/api/v1/namespaces/default/pods/halfgone")["status"]["containerStatuses"][0]["containerID"]
        cid = cid.split("://", 1)[1]
        s.kill9()
        # the state of a teardown cut short: the container gone from the runtime, its root
        # filesystem still mounted, the sandbox still there
        shim_dir = f"/run/{s.prefix}/shims/{cid}"
        with open(os.path.join(shim_dir, "shim.json")) as f:
            os.kill(json.load(f)["pid"], signal.SIGKILL)
        subprocess.run(["runc", "--root", f"/run/{s.prefix}/runc", "delete", "--force", cid], check=True)
        shutil.rmtree(shim_dir)
        rootfs = os.path.join(s.data_dir, "agent", "pods", uid, "_rootfs")
        assert mounts_under(rootfs), "the root filesystem should still be mounted"
        # the pod object is deleted while no agent runs
        i = agent_args.index("--node-ip")
        s.args = agent_args[:i] + agent_args[i + 6:] + ["--disable-agent"]
        s.start()
        kube.run("delete", "pod", "halfgone", "--grace-period=0", "--force")
        assert s.stop() == 0
        s.args = agent_args
        s.start()
        wait_for(lambda: not os.path.exists(os.path.join(s.data_dir, "agent", "pods", uid)), timeout=60,
                 what="the orphan's directory to be removed")
        assert not mounts_under(rootfs)
    finally:
        if s.proc.poll() is not None:
            s.args = agent_args
            s.start()
        delete_pods(s, kube)
        stop_server(s)
        assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"


def mounts_under(path):
    with open("/proc/self/mountinfo") as f:
        return [m for m in (line.split()[4] for line in f) if m.startswith(path)]
