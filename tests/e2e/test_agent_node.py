"""The agent's node: joining by token (CA hash, secret, node password, certificates), the Node
object and its Lease, podCIDR allocation, the embedded agent of `kube server`, and a second
`kube agent` joining from its own network namespace.

Most tests share one server with its embedded agent (the module fixture); the network-namespace
test has its own server bound to the host side of a veth pair the test makes.
"""
import os
import random
import re
import signal
import subprocess
import time

import pytest

from conftest import KUBE_BIN, KUBECTL_DIR, KUBECTL_VERSIONS, Kubectl, Server, free_port, host_resources, wait_for

CLUSTER_CIDR = "10.201.0.0/23"  # two /24 subnets: the server's node and one more


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("agentnode"), ["--cluster-cidr", CLUSTER_CIDR], agent=True).start()
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
    assert host_resources(s.prefix) == []


def kubectl_for(server, tmp_path, version="1.33"):
    return Kubectl(version, server, tmp_path)


def get_json(server, path):
    import json
    code, _, body = server.request("GET", path)
    assert code == 200, body
    return json.loads(body)


def node_name(server):
    return wait_for(lambda: [n["metadata"]["name"] for n in get_json(server, "/api/v1/nodes")["items"]
                             if "node-role.kubernetes.io/control-plane" in n["metadata"].get("labels", {})][0],
                    what="the server's node")


def ready(node):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"].get("conditions", []))


class Agent:
    """A `kube agent` process on loopback (or in a network namespace)."""

    def __init__(self, tmp_path, server_url, token, name, extra=(), netns=None, data=None, nsenter=False):
        """netns runs it in that network namespace: with `ip netns exec` (which also remounts /sys,
        hiding the cgroup hierarchies), or with nsenter=True in the network namespace only (for
        an agent that runs pods)."""
        self.data_dir = str(data or tmp_path / f"agent-{name}")
        self.log_path = str(tmp_path / f"agent-{name}-{random.randrange(1 << 30)}.log")
        self.prefix = "kt%06x" % random.randrange(1 << 24)
        args = [KUBE_BIN, "agent", "--server", server_url, "--token", token, "--data-dir", self.data_dir,
                "--node-name", name, "--resource-prefix", self.prefix, "--kubelet-port", str(free_port()), *extra]
        if "--node-ip" not in extra:
            args += ["--node-ip", "127.0.0.1"]
        if netns:
            args = (["nsenter", f"--net=/run/netns/{netns}"] if nsenter else ["ip", "netns", "exec", netns]) + args
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def count(self, pattern):
        return len(re.findall(pattern, self.read_log()))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "timeout"
        self.log.close()
        return rc


@pytest.fixture
def agents():
    made = []
    yield made
    bad = []
    for a in made:  # stop them all before judging any
        if a.proc.poll() is None:
            rc = a.stop()
            if rc != 0:
                bad.append(f"kube agent exited with {rc}:\n{a.read_log()[-3000:]}")
        if host_resources(a.prefix):
            bad.append(f"left on the host: {host_resources(a.prefix)}")
    assert not bad, "\n".join(bad)


def token_of(server):
    with open(os.path.join(server.data_dir, "server", "token")) as f:
        return f.read().strip()


# ---- the server's own node ------------------------------------------------------------------

@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_embedded_node_wide(cluster, tmp_path, version):
    name = node_name(cluster)
    k = kubectl_for(cluster, tmp_path, version)
    k("wait", "--for=condition=Ready", f"node/{name}", "--timeout=30s")
    out = k("get", "nodes", "-o", "wide")
    header, row = out.splitlines()[0].split(), [line for line in out.splitlines() if line.startswith(name + " ")][0]
    assert header[:6] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP"]
    assert " Ready " in row and "control-plane" in row and "127.0.0.1" in row
    assert "v1.33.1+kube" in row and "runc://" in row
    with open("/etc/os-release") as f:
        pretty = [line.split("=", 1)[1].strip().strip('"') for line in f if line.startswith("PRETTY_NAME=")][0]
    assert pretty in row and os.uname().release in row


def test_embedded_node_fields(cluster):
    """The Node through the Python client: labels, addresses, capacity, nodeInfo, conditions."""
    from kubernetes import client as k8s, config
    cfg = k8s.Configuration()
    config.load_kube_config(config_file=cluster.kubeconfig, client_configuration=cfg)
    with k8s.ApiClient(cfg) as api:
        v1 = k8s.CoreV1Api(api)
        name = node_name(cluster)
        node = wait_for(lambda: (lambda n: n if n.spec.pod_cidr and n.status.node_info else None)(v1.read_node(name)),
                        what="the node's podCIDR and status")
        labels = node.metadata.labels
        assert labels["kubernetes.io/hostname"] == name
        assert labels["kubernetes.io/os"] == "linux" and labels["beta.kubernetes.io/os"] == "linux"
        assert labels["kubernetes.io/arch"] == {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine)
        assert labels["node-role.kubernetes.io/control-plane"] == "true"
        assert labels["node-role.kubernetes.io/master"] == "true"
        assert node.spec.pod_cidr in ("10.201.0.0/24", "10.201.1.0/24")
        assert get_json(cluster, f"/api/v1/nodes/{name}")["spec"]["podCIDRs"] == [node.spec.pod_cidr]
        st = node.status
        assert {(a.type, a.address) for a in st.addresses} >= {("InternalIP", "127.0.0.1")}
        assert any(a.type == "Hostname" for a in st.addresses)
        assert st.daemon_endpoints.kubelet_endpoint.port == cluster.kubelet_port
        assert st.capacity["cpu"] == str(os.cpu_count()) and st.capacity["pods"] == "110"
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
        assert st.capacity["memory"] == f"{kib}Ki"
        assert "ephemeral-storage" in st.capacity and "memory" in st.allocatable
        info = st.node_info
        assert info.kubelet_version == "v1.33.1+kube" and info.operating_system == "linux"
        assert info.kernel_version == os.uname().release
        assert re.match(r"runc://\d+\.\d+\.\d+", info.container_runtime_version)
        with open("/proc/sys/kernel/random/boot_id") as f:
            assert info.boot_id == f.read().strip()
        conds = {c.type: c for c in st.conditions}
        assert (conds["Ready"].status, conds["Ready"].reason, conds["Ready"].message) == \
            ("True", "KubeletReady", "kubelet is posting ready status")
        assert (conds["MemoryPressure"].status, conds["MemoryPressure"].reason) == ("False", "KubeletHasSufficientMemory")
        assert conds["DiskPressure"].reason in ("KubeletHasNoDiskPressure", "KubeletHasDiskPressure")
        assert (conds["PIDPressure"].status, conds["PIDPressure"].reason) == ("False", "KubeletHasSufficientPID")


def test_lease_renews(cluster):
    name = node_name(cluster)
    path = f"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{name}"
    first = wait_for(lambda: get_json(cluster, path), what="the node's Lease")
    assert first["spec"]["holderIdentity"] == name and first["spec"]["leaseDurationSeconds"] == 40
    refs = first["metadata"].get("ownerReferences", [])
    assert refs and refs[0]["kind"] == "Node" and refs[0]["name"] == name
    t0 = first["spec"]["renewTime"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", t0)
    later = wait_for(lambda: (lambda l: l if l["spec"]["renewTime"] != t0 else None)(get_json(cluster, path)),
                     timeout=30, interval=0.5, what="a renewal of the Lease")
    assert later["spec"]["renewTime"] > t0


# ---- podCIDR allocation -----------------------------------------------------------------------

def test_podcidr_allocated_and_released(cluster, tmp_path):
    k = kubectl_for(cluster, tmp_path)
    mine = wait_for(lambda: get_json(cluster, f"/api/v1/nodes/{node_name(cluster)}")["spec"].get("podCIDR"),
                    what="the server node's podCIDR")
    other = "10.201.1.0/24" if mine == "10.201.0.0/24" else "10.201.0.0/24"
    try:
        k("create", "-f", "-", input='{"apiVersion":"v1","kind":"Node","metadata":{"name":"fake-a"}}')
        assert wait_for(lambda: get_json(cluster, "/api/v1/nodes/fake-a")["spec"].get("podCIDR"),
                        what="fake-a's podCIDR") == other
        k("create", "-f", "-", input='{"apiVersion":"v1","kind":"Node","metadata":{"name":"fake-b"}}')
        wait_for(lambda: [e for e in get_json(cluster, "/api/v1/namespaces/default/events")["items"]
                          if e["reason"] == "CIDRNotAvailable" and e["involvedObject"]["name"] == "fake-b"],
                 what="the CIDRNotAvailable event of fake-b")
        assert "podCIDR" not in get_json(cluster, "/api/v1/nodes/fake-b")["spec"]
        k("delete", "node", "fake-a")
        assert wait_for(lambda: get_json(cluster, "/api/v1/nodes/fake-b")["spec"].get("podCIDR"),
                        what="fake-b gets the released range") == other
    finally:
        k("delete", "node", "fake-a", "fake-b", "--ignore-not-found")


# ---- agents joining by token --------------------------------------------------------------------

def test_agent_joins_restarts_and_password(cluster, tmp_path, agents):
    """A `kube agent` joins with labels and taints; restarted, it reuses its certificates; another
    machine (another node password) cannot take its name."""
    token = token_of(cluster)
    a = Agent(tmp_path, cluster.url, token, "worker-1",
              ["--node-label", "tier=edge", "--node-label", "example.com/zone=z1", "--node-taint", "dedicated=edge:NoSchedule"])
    agents.append(a)
    node = wait_for(lambda: (lambda n: n if ready(n) else None)(get_json(cluster, "/api/v1/nodes/worker-1")),
                    timeout=30, what=f"worker-1 Ready (log {a.log_path})")
    assert node["metadata"]["labels"]["tier"] == "edge" and node["metadata"]["labels"]["example.com/zone"] == "z1"
    assert "node-role.kubernetes.io/control-plane" not in node["metadata"]["labels"]
    assert {"key": "dedicated", "value": "edge", "effect": "NoSchedule"} in node["spec"]["taints"]
    tls = os.path.join(a.data_dir, "agent", "tls")
    assert sorted(os.listdir(tls)) >= ["client-kubelet.crt", "client-kubelet.key", "server-ca.crt"]
    assert os.stat(os.path.join(tls, "client-kubelet.key")).st_mode & 0o077 == 0
    cert = open(os.path.join(tls, "client-kubelet.crt")).read()
    assert a.stop() == 0

    b = Agent(tmp_path, cluster.url, token, "worker-1", data=a.data_dir)
    agents.append(b)
    wait_for(lambda: "reusing the certificates" in b.read_log() and "joined" in b.read_log(),
             what=f"the restarted agent reusing its certificates (log {b.log_path})")
    assert open(os.path.join(tls, "client-kubelet.crt")).read() == cert

    c = Agent(tmp_path, cluster.url, token, "worker-1", data=tmp_path / "other-machine")  # another node password
    agents.append(c)
    wait_for(lambda: "node password rejected" in c.read_log(), what="the node-password refusal")
    assert not os.path.exists(os.path.join(c.data_dir, "agent", "tls", "client-kubelet.crt"))
    get = Kubectl("1.33", cluster, tmp_path)
    get("delete", "node", "worker-1")


def test_wrong_ca_hash_and_secret_backoff(cluster, tmp_path, agents):
    token = token_of(cluster)
    bad_hash = Agent(tmp_path, cluster.url, "K10" + "0" * 64 + token[token.index("::"):], "bad-hash")
    bad_secret = Agent(tmp_path, cluster.url, token.rsplit(":", 1)[0] + ":wrong", "bad-secret")
    agents += [bad_hash, bad_secret]
    wait_for(lambda: bad_hash.count("does not match the token's hash") >= 2, what="two refused attempts (hash)")
    wait_for(lambda: bad_secret.count(r"refused the token \(401") >= 2, what="two refused attempts (secret)")
    start = bad_hash.count("does not match the token's hash")
    time.sleep(3)  # a measurement window, not synchronisation: a tight loop would log hundreds
    assert bad_hash.count("does not match the token's hash") - start <= 2
    assert bad_secret.count(r"refused the token \(401") <= 4
    assert "retrying in 2 s" in bad_hash.read_log()
    assert "refusing to send the token" in bad_hash.read_log()
    names = [n["metadata"]["name"] for n in get_json(cluster, "/api/v1/nodes")["items"]]
    assert "bad-hash" not in names and "bad-secret" not in names


def test_token_without_ca_hash_refused(cluster, tmp_path):
    secret = token_of(cluster).rsplit(":", 1)[1]
    p = subprocess.run([KUBE_BIN, "agent", "--server", cluster.url, "--token", secret, "--data-dir",
                        str(tmp_path / "nohash"), "--node-name", "no-hash", "--node-ip", "127.0.0.1"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1
    assert "no CA hash" in p.stderr and "trust" in p.stderr


def test_agent_flags_validated(tmp_path):
    p = subprocess.run([KUBE_BIN, "agent", "--node-taint", "a=b:Sometimes", "--node-label", "bad label=x",
                        "--resource-prefix", "Bad_Prefix", "--data-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    for what in ("--server", "--token", "--node-taint", "--node-label", "--resource-prefix"):
        assert what in p.stderr


def test_kubelet_port_refuses_other_clients(cluster):
    import ssl
    import urllib.error
    import urllib.request
    url = f"https://127.0.0.1:{cluster.kubelet_port}"
    ctx = ssl.create_default_context(cafile=cluster.ca_path)
    with urllib.request.urlopen(url + "/healthz", context=ctx, timeout=10) as r:
        assert r.status == 200
    for client_cert in (False, True):  # none, then the admin's (system:masters, but not the API server)
        c = cluster.ssl_context(client_cert=client_cert)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(url + "/containerLogs/default/x/y", context=c, timeout=10)
        assert e.value.code == (403 if client_cert else 401)


def test_podcidr_kept_across_restart(cluster, tmp_path):
    """Runs last in the module: restarts the shared server. Allocations are rebuilt from the Nodes
    (no range given twice) and the embedded agent reuses its certificates."""
    k = kubectl_for(cluster, tmp_path)
    name = node_name(cluster)
    mine = wait_for(lambda: get_json(cluster, f"/api/v1/nodes/{name}")["spec"].get("podCIDR"), what="podCIDR")
    k("create", "-f", "-", input='{"apiVersion":"v1","kind":"Node","metadata":{"name":"fake-c"}}')
    theirs = wait_for(lambda: get_json(cluster, "/api/v1/nodes/fake-c")["spec"].get("podCIDR"), what="fake-c podCIDR")
    assert theirs != mine
    assert cluster.stop() == 0
    cluster.start()
    k("create", "-f", "-", input='{"apiVersion":"v1","kind":"Node","metadata":{"name":"fake-d"}}')
    wait_for(lambda: [e for e in get_json(cluster, "/api/v1/namespaces/default/events")["items"]
                      if e["reason"] == "CIDRNotAvailable" and e["involvedObject"]["name"] == "fake-d"],
             what="fake-d refused a range (both are taken)")
    assert "podCIDR" not in get_json(cluster, "/api/v1/nodes/fake-d")["spec"]
    assert get_json(cluster, f"/api/v1/nodes/{name}")["spec"]["podCIDR"] == mine
    wait_for(lambda: cluster.read_log().count("reusing the certificates") >= 1, what="the embedded agent's reuse")
    k("delete", "node", "fake-c", "fake-d")


# ---- a second agent from its own network namespace ---------------------------------------------

class VethServer(Server):
    """A server bound to the host side of a veth pair."""

    def __init__(self, tmp_path, address):
        super().__init__(tmp_path)
        self.address = address
        self.args[self.args.index("--bind-address") + 1] = address

    @property
    def url(self):
        return f"https://{self.address}:{self.port}"


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def veth():
    if os.geteuid() != 0:
        pytest.skip("needs root for network namespaces")
    tag = "%05x" % random.randrange(1 << 20)
    ns, host, peer = f"kt{tag}-ns", f"kt{tag}h", f"kt{tag}p"
    octet = random.randrange(1, 250)
    host_ip, ns_ip = f"10.252.{octet}.1", f"10.252.{octet}.2"
    try:
        sh("ip", "netns", "add", ns)
        sh("ip", "link", "add", host, "type", "veth", "peer", "name", peer)
        sh("ip", "link", "set", peer, "netns", ns)
        sh("ip", "addr", "add", f"{host_ip}/30", "dev", host)
        sh("ip", "link", "set", host, "up")
        sh("ip", "-n", ns, "addr", "add", f"{ns_ip}/30", "dev", peer)
        sh("ip", "-n", ns, "link", "set", peer, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        yield ns, host_ip, ns_ip
    finally:
        subprocess.run(["ip", "link", "del", host], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        assert not os.path.exists(f"/run/netns/{ns}")


def test_agent_in_netns_joins(veth, tmp_path, agents):
    ns, host_ip, ns_ip = veth
    s = VethServer(tmp_path / "srv", host_ip)
    (tmp_path / "srv").mkdir()
    s.start()
    try:
        a = Agent(tmp_path, s.url, token_of(s), "netns-node", ["--node-ip", ns_ip, "--node-label", "where=netns",
                                                              "--node-taint", "isolated:NoExecute"], netns=ns,
                  nsenter=True)  # `ip netns exec` hides /sys/fs/cgroup: the pod worker cannot start
        agents.append(a)
        node = wait_for(lambda: (lambda n: n if ready(n) else None)(get_json(s, "/api/v1/nodes/netns-node")),
                        timeout=40, what=f"netns-node Ready (log {a.log_path})")
        assert {"type": "InternalIP", "address": ns_ip} in node["status"]["addresses"]
        assert node["metadata"]["labels"]["where"] == "netns"
        assert {"key": "isolated", "effect": "NoExecute"} in node["spec"]["taints"]
        cidr = wait_for(lambda: get_json(s, "/api/v1/nodes/netns-node")["spec"].get("podCIDR"),
                        what="netns-node's podCIDR")  # node IPAM patches the Node after it registers
        assert cidr.startswith("10.42.")
        out = Kubectl("1.27", s, tmp_path)("get", "nodes", "-o", "wide")
        assert re.search(r"netns-node\s+Ready\s+<none>.*" + re.escape(ns_ip), out)
        assert a.stop() == 0
    finally:
        assert s.stop() == 0
