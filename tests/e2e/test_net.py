"""The pod network end to end: real bridges, veths, routes and vxlan devices made by the agent.

- One node (the server's embedded agent in this network namespace): two pods from the test image
  reach each other by pod IP, the host reaches a pod IP, status.podIP (also in `kubectl get pod
  -o wide` and the downward API) is the address on the pod's eth0, and the address is released
  when its pod is deleted.
- Two nodes (two `kube agent`s, each in a network namespace of its own, joined by a bridge the
  test makes, a server with no agent bound to the bridge): a pod on one node fetches a page from
  a pod on the other, with --flannel-backend host-gw and vxlan.

Afterwards nothing named from a prefix is left (links, routes, nft tables, netns: host_resources),
and no route to the test cluster's pod networks.
"""
import json
import os
import random
import shutil
import subprocess
import urllib.request

import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, Server, host_resources, wait_for
from registry import build_test_image
from test_agent_node import Agent, token_of

IMAGE = "kube-test:latest"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("needs root for network namespaces, bridges and runc")
    return build_test_image(tmp_path_factory.mktemp("netimg"))


def get(server, path):
    code, _, body = server.request("GET", path)
    return json.loads(body) if code == 200 else None


def pod(server, name):
    return get(server, f"/api/v1/namespaces/default/pods/{name}")


def node_ready(server, name):
    n = get(server, f"/api/v1/nodes/{name}")
    return n and any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"].get("conditions", []))


def server_pod(name, text, **spec):
    """A pod serving text at http://<podIP>:8080/ with busybox httpd, and printing its downward
    API address."""
    script = (f"mkdir -p /www && echo {text} > /www/index.html && echo \"my ip $POD_IP\" && "
              "exec httpd -f -p 8080 -h /www")
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": name}},
            "spec": {"terminationGracePeriodSeconds": 1, **spec,
                     "containers": [{"name": "main", "image": IMAGE, "imagePullPolicy": "Never",
                                     "command": ["sh", "-c", script],
                                     "env": [{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]}]}}


def client_pod(name, target, **spec):
    """A pod that fetches http://target:8080/ until it succeeds, then prints the page and sleeps."""
    # busybox nc: Debian's static busybox wget crashes
    script = (f"for i in $(seq 1 60); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {target} 8080 > /tmp/page; "
              "if grep -q hello /tmp/page; then echo \"got $(tail -n 1 /tmp/page)\"; break; fi; sleep 1; done; "
              "exec sleep 3600")
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"terminationGracePeriodSeconds": 1, **spec,
                     "containers": [{"name": "main", "image": IMAGE, "imagePullPolicy": "Never",
                                     "command": ["sh", "-c", script]}]}}


def apply(kube, obj):
    kube.run("apply", "-f", "-", input=json.dumps(obj))


def running_ip(server, kube, name):
    """Waits until pod name runs with a podIP; returns it."""
    def ready():
        p = pod(server, name)
        return p and p["status"].get("phase") == "Running" and p["status"].get("podIP")
    return wait_for(ready, timeout=60, what=f"pod {name} Running with a podIP ({kube('get', 'events', check=False)})")


def delete_pods(server, kube):
    kube.run("delete", "pods", "--all", "--wait=false", check=False)
    wait_for(lambda: not (get(server, "/api/v1/namespaces/default/pods") or {"items": [1]})["items"], timeout=60,
             what="every pod to be gone")


def pod_routes(cidr):
    """Routes of this network namespace into cidr (the test cluster's pod network)."""
    out = subprocess.run(["ip", "-4", "route", "show", "root", cidr], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def ipam_files(server, cidr):
    d = os.path.join(server.data_dir, "agent", "net", "ipam", cidr.replace("/", "_"))
    return sorted(f for f in os.listdir(d) if f[0].isdigit()) if os.path.isdir(d) else []


# ---- one node ---------------------------------------------------------------------------------

def test_pods_on_one_node(image, tmp_path):
    s = Server(tmp_path, agent=True)
    os.makedirs(os.path.join(s.data_dir, "agent", "images"))
    shutil.copy(image["oci_tar"], os.path.join(s.data_dir, "agent", "images"))
    s.start()
    node = None
    try:
        kube = Kubectl("1.33", s, tmp_path)
        node = wait_for(lambda: (n := (get(s, "/api/v1/nodes") or {}).get("items")) and node_ready(s, n[0]["metadata"]["name"])
                        and n[0], timeout=60, what="the node Ready")
        cidr = node["spec"]["podCIDR"]
        try:
            apply(kube, server_pod("web", "hello-from-web"))
            web_ip = running_ip(s, kube, "web")
            prefix = cidr.rsplit(".", 1)[0] + "."
            assert web_ip.startswith(prefix) and not web_ip.endswith(".0") and not web_ip.endswith(".1"), (web_ip, cidr)
            p = pod(s, "web")
            assert p["status"]["podIPs"] == [{"ip": web_ip}], p["status"]
            # the downward API saw the address, and -o wide shows it
            wait_for(lambda: f"my ip {web_ip}" in kube("logs", "web"), timeout=20, what="web's downward API podIP")
            for v in KUBECTL_VERSIONS:
                out = Kubectl(v, s, tmp_path)("get", "pod", "web", "-o", "wide")
                assert web_ip in out.splitlines()[1], out
            # the host reaches the pod through the bridge
            page = wait_for(lambda: urllib.request.urlopen(f"http://{web_ip}:8080/", timeout=3).read().decode(),
                            timeout=20, what=f"http://{web_ip}:8080/ from the host")
            assert page.strip() == "hello-from-web"
            # pod to pod
            apply(kube, client_pod("cli", web_ip))
            cli_ip = running_ip(s, kube, "cli")
            assert cli_ip != web_ip
            wait_for(lambda: "got hello-from-web" in kube("logs", "cli"), timeout=60, what="cli fetching web's page")
            assert ipam_files(s, cidr) == sorted([web_ip, cli_ip])
            # the address goes with the pod
            kube("delete", "pod", "web", "--wait=false")
            wait_for(lambda: web_ip not in ipam_files(s, cidr), timeout=60, what=f"{web_ip} released")
            wait_for(lambda: pod(s, "web") is None, timeout=60, what="web gone")
            apply(kube, server_pod("web2", "hello-again"))
            web2_ip = running_ip(s, kube, "web2")
            assert ipam_files(s, cidr) == sorted([cli_ip, web2_ip])
            # a restart keeps running pods' network: same bridge, same addresses
            assert s.stop() == 0, s.read_log()[-3000:]
            assert f"link {s.prefix}br" in host_resources(s.prefix)
            s.start()
            wait_for(lambda: node_ready(s, node["metadata"]["name"]), timeout=60, what="the node Ready again")
            page = wait_for(lambda: urllib.request.urlopen(f"http://{web2_ip}:8080/", timeout=3).read().decode(),
                            timeout=20, what=f"http://{web2_ip}:8080/ after the restart")
            assert page.strip() == "hello-again"
            assert pod(s, "web2")["status"]["podIP"] == web2_ip
            assert ipam_files(s, cidr) == sorted([cli_ip, web2_ip])
        finally:
            if s.proc.poll() is not None:  # stopped for the restart: the pods still need deleting
                s.start()
            delete_pods(s, kube)
        assert ipam_files(s, cidr) == []
    finally:
        rc = s.stop()
        assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
    assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
    assert pod_routes(s.cluster_cidr) == []


# ---- two nodes --------------------------------------------------------------------------------

def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def segment():
    """Two network namespaces on one L2 segment: a bridge here (10.252.X.1/24) with a veth into
    each namespace (.2 and .3). Yields (tag, server address, [(netns, address)])."""
    if os.geteuid() != 0:
        pytest.skip("needs root for network namespaces")
    tag = "kt%05x" % random.randrange(1 << 20)
    octet = random.randrange(1, 250)
    br, nss = f"{tag}b", [(f"{tag}-a", f"10.252.{octet}.2"), (f"{tag}-c", f"10.252.{octet}.3")]
    try:
        sh("ip", "link", "add", br, "type", "bridge")
        sh("ip", "addr", "add", f"10.252.{octet}.1/24", "dev", br)
        sh("ip", "link", "set", br, "up")
        for i, (ns, addr) in enumerate(nss):
            host, peer = f"{tag}h{i}", f"{tag}p{i}"
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "add", host, "type", "veth", "peer", "name", peer)
            sh("ip", "link", "set", peer, "netns", ns)
            sh("ip", "link", "set", host, "master", br, "up")
            sh("ip", "-n", ns, "addr", "add", f"{addr}/24", "dev", peer)
            sh("ip", "-n", ns, "link", "set", peer, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        yield tag, f"10.252.{octet}.1", nss
    finally:
        for i, (ns, _) in enumerate(nss):
            subprocess.run(["ip", "link", "del", f"{tag}h{i}"], capture_output=True)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        subprocess.run(["ip", "link", "del", br], capture_output=True)
        assert host_resources(tag) == [], host_resources(tag)


class SegmentServer(Server):
    """A server without an agent, bound to the segment's bridge address."""

    def __init__(self, tmp_path, address, extra_args):
        super().__init__(tmp_path, extra_args=extra_args)
        self.address = address
        self.args[self.args.index("--bind-address") + 1] = address

    @property
    def url(self):
        return f"https://{self.address}:{self.port}"


@pytest.mark.parametrize("backend", ["host-gw", "vxlan"])
def test_pods_across_two_nodes(image, segment, tmp_path, backend):
    tag, server_ip, nss = segment
    (tmp_path / "srv").mkdir()
    s = SegmentServer(tmp_path / "srv", server_ip, ["--flannel-backend", backend]).start()
    agents = []
    try:
        for i, (ns, addr) in enumerate(nss):
            data = tmp_path / f"agent{i}"
            os.makedirs(data / "agent" / "images")
            shutil.copy(image["oci_tar"], data / "agent" / "images")
            agents.append(Agent(tmp_path, s.url, token_of(s), f"node{i}", ["--node-ip", addr, "--node-label", f"at=n{i}"],
                                netns=ns, data=data, nsenter=True))
        kube = Kubectl("1.33", s, tmp_path)
        for i, a in enumerate(agents):
            wait_for(lambda: node_ready(s, f"node{i}"), timeout=60, what=f"node{i} Ready (log {a.log_path})")
        if backend == "vxlan":
            for i in range(2):
                ann = wait_for(lambda: (get(s, f"/api/v1/nodes/node{i}")["metadata"].get("annotations") or {})
                               .get("flannel.alpha.coreos.com/backend-data"), timeout=30, what=f"node{i}'s VtepMAC")
                assert json.loads(ann)["VNI"] == 1 and len(json.loads(ann)["VtepMAC"]) == 17, ann
        try:
            apply(kube, server_pod("web", "hello-across", nodeSelector={"at": "n0"}))
            web_ip = running_ip(s, kube, "web")
            apply(kube, client_pod("cli", web_ip, nodeSelector={"at": "n1"}))
            cli_ip = running_ip(s, kube, "cli")
            cidrs = [get(s, f"/api/v1/nodes/node{i}")["spec"]["podCIDR"] for i in range(2)]
            assert cidrs[0] != cidrs[1]
            assert cli_ip.rsplit(".", 1)[0] == cidrs[1].rsplit(".", 1)[0], (cli_ip, cidrs)
            wait_for(lambda: "got hello-across" in kube("logs", "cli"), timeout=60,
                     what=f"cli on node1 fetching web on node0 ({backend}; {agents[1].log_path})")
        finally:
            delete_pods(s, kube)
        for a in agents:
            assert a.stop() == 0, a.read_log()[-3000:]
            assert host_resources(a.prefix) == [], host_resources(a.prefix)
        for ns, _ in nss:  # the agents removed their bridge, vxlan device and routes
            out = subprocess.run(["ip", "-n", ns, "-o", "link"], capture_output=True, text=True).stdout
            assert not [a.prefix for a in agents if a.prefix in out], out
            routes = subprocess.run(["ip", "-n", ns, "-4", "route", "show", "proto", "75"], capture_output=True,
                                    text=True).stdout
            assert routes.strip() == "", routes
    finally:
        for a in agents:
            if a.proc.poll() is None:
                a.stop()
        rc = s.stop()
        assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


def test_flannel_backend_flag(tmp_path):
    p = subprocess.run([Server(tmp_path).args[0], "server", "--flannel-backend", "wireguard", "--data-dir",
                        str(tmp_path / "d")], capture_output=True, text=True, timeout=30)
    assert '--flannel-backend: "wireguard" is not one of vxlan, host-gw, none' in p.stderr + p.stdout
