"""The service proxy (kube-proxy's nftables mode, agent/proxy*.c, netfilter/): selector-less
Services and EndpointSlices made by the test, pointing at small TCP/UDP servers that run in network
namespaces the test creates and joins to the host with veth pairs. Traffic from the host to the
ClusterIP is spread over the endpoints, follows the slice when an endpoint goes, keeps to one
endpoint with sessionAffinity ClientIP, is refused at once without endpoints, works over UDP and
through a NodePort on a non-loopback local address. At the end no nftables table, link or netns of
the test is left.
"""
import json
import os
import random
import socket
import subprocess
import sys

import pytest

from conftest import Server, host_resources, wait_for

BACKEND = r"""
import socket, sys, threading
name, port = sys.argv[1], int(sys.argv[2])
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", port))
def udp():
    while True:
        data, peer = u.recvfrom(2048); u.sendto(name.encode(), peer)
threading.Thread(target=udp, daemon=True).start()
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("0.0.0.0", port)); t.listen(64)
print("ready", flush=True)
while True:
    c, _ = t.accept(); c.sendall(name.encode()); c.close()
"""


def sh(*args):
    subprocess.run(args, check=True, capture_output=True, timeout=20)


class Backends:
    """n network namespaces, each with a veth to the host and a server on port 8080 answering its
    name over TCP and UDP; the service CIDR is routed through the first veth so that the host can
    address ClusterIPs whatever its default route."""

    def __init__(self, n, service_cidr):
        self.tag = "tp%04x" % random.randrange(1 << 16)
        self.net = random.randrange(1, 250)
        self.procs, self.names, self.ips, self.host_ips = [], [], [], []
        for i in range(n):
            ns, host, peer = f"{self.tag}-{i}", f"{self.tag}h{i}", f"{self.tag}p{i}"
            host_ip, ns_ip = f"10.250.{self.net}.{4 * i + 1}", f"10.250.{self.net}.{4 * i + 2}"
            self.names.append(ns)
            sh("ip", "netns", "add", ns)
            sh("ip", "link", "add", host, "type", "veth", "peer", "name", peer)
            sh("ip", "link", "set", peer, "netns", ns)
            sh("ip", "addr", "add", f"{host_ip}/30", "dev", host)
            sh("ip", "link", "set", host, "up")
            sh("ip", "-n", ns, "addr", "add", f"{ns_ip}/30", "dev", peer)
            sh("ip", "-n", ns, "link", "set", peer, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "route", "add", "default", "via", host_ip)
            p = subprocess.Popen(["ip", "netns", "exec", ns, "/usr/bin/python3", "-c", BACKEND, f"b{i}", "8080"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            self.procs.append(p)
            assert p.stdout.readline().strip() == "ready"
            self.ips.append(ns_ip)
            self.host_ips.append(host_ip)
        sh("ip", "route", "add", service_cidr, "dev", f"{self.tag}h0")

    def close(self):
        for p in self.procs:
            p.kill()
            p.wait()
        for i in range(len(self.names)):
            subprocess.run(["ip", "link", "del", f"{self.tag}h{i}"], capture_output=True)
            subprocess.run(["ip", "netns", "del", f"{self.tag}-{i}"], capture_output=True)

    def left(self):
        out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
        return [n for n in os.listdir("/run/netns") if n.startswith(self.tag)] + \
            [line for line in out.splitlines() if self.tag in line]


@pytest.fixture
def cluster(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root for nftables and network namespaces")
    s = Server(tmp_path, agent=True).start()
    b = None
    try:
        b = Backends(3, s.service_cidr)
        yield s, b
    finally:
        if b:
            b.close()
        rc = s.stop()
        assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
        assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
        assert not b or b.left() == [], f"left on the host: {b.left()}"


def api(server, method, path, body=None):
    code, _, data = server.request(method, path, json.dumps(body).encode() if body is not None else None,
                                   headers={"Content-Type": "application/json"} if body is not None else None)
    assert code < 300, (code, data)
    return json.loads(data)


def make_service(server, name, ports, **spec):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
           "spec": {"ports": ports, **spec}}
    return api(server, "POST", "/api/v1/namespaces/default/services", svc)


def slice_body(name, service, ips, ports):
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": name, "labels": {"kubernetes.io/service-name": service,
                                                  "endpointslice.kubernetes.io/managed-by": "test"}},
            "addressType": "IPv4", "ports": ports,
            "endpoints": [{"addresses": [ip], "conditions": {"ready": True}} for ip in ips]}


SLICES = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"


def tcp_get(ip, port, timeout=2.0):
    with socket.create_connection((ip, port), timeout=timeout) as c:
        return c.recv(64).decode()


def udp_get(ip, port, timeout=1.0):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(timeout)
        u.sendto(b"?", (ip, port))
        return u.recv(64).decode()


def seen(fn, n=30):
    got = set()
    for _ in range(n):
        try:
            got.add(fn())
        except OSError:
            got.add("error")
    return got


def test_clusterip_spread_removal_affinity_reject(cluster):
    s, b = cluster
    svc = make_service(s, "web", [{"name": "http", "port": 80, "targetPort": 8080}])
    cip = svc["spec"]["clusterIP"]
    api(s, "POST", SLICES, slice_body("web-1", "web", b.ips, [{"name": "http", "port": 8080, "protocol": "TCP"}]))
    # spread over every endpoint
    wait_for(lambda: seen(lambda: tcp_get(cip, 80)) == {"b0", "b1", "b2"}, timeout=30,
             what=f"ClusterIP {cip}:80 reaching all three backends")
    # an endpoint removed from the slice stops receiving traffic
    sl = api(s, "GET", f"{SLICES}/web-1")
    sl["endpoints"] = [e for e in sl["endpoints"] if e["addresses"][0] != b.ips[2]]
    api(s, "PUT", f"{SLICES}/web-1", sl)
    wait_for(lambda: seen(lambda: tcp_get(cip, 80)) == {"b0", "b1"}, timeout=30,
             what="the removed endpoint to receive nothing")
    # sessionAffinity ClientIP: one backend for every connection from this client
    svc = api(s, "GET", "/api/v1/namespaces/default/services/web")
    svc["spec"]["sessionAffinity"] = "ClientIP"
    api(s, "PUT", "/api/v1/namespaces/default/services/web", svc)
    wait_for(lambda: len(seen(lambda: tcp_get(cip, 80), 20)) == 1, timeout=30, what="session affinity")
    # no endpoints: connections are refused at once (not a timeout)
    empty = make_service(s, "empty", [{"port": 81, "targetPort": 8080}])["spec"]["clusterIP"]

    def refused():
        try:
            tcp_get(empty, 81, timeout=5)
        except ConnectionRefusedError:
            return True
        return False
    wait_for(refused, timeout=30, what="a refused connection to a Service without endpoints")
    out = subprocess.run(["nft", "list", "table", "ip", s.prefix], capture_output=True, text=True).stdout
    assert "no-endpoint-services" in out and f"{empty} . tcp . 81" in out


def test_udp_and_nodeport(cluster):
    s, b = cluster
    svc = make_service(s, "dns", [{"name": "d", "port": 53, "targetPort": 8080, "protocol": "UDP"}])
    cip = svc["spec"]["clusterIP"]
    api(s, "POST", SLICES, slice_body("dns-1", "dns", b.ips[:2], [{"name": "d", "port": 8080, "protocol": "UDP"}]))
    wait_for(lambda: seen(lambda: udp_get(cip, 53), 20) == {"b0", "b1"}, timeout=30, what=f"UDP {cip}:53")
    np = make_service(s, "np", [{"port": 80, "targetPort": 8080}], type="NodePort")
    node_port = np["spec"]["ports"][0]["nodePort"]
    api(s, "POST", SLICES, slice_body("np-1", "np", [b.ips[1]], [{"port": 8080, "protocol": "TCP"}]))
    # the host side of the last veth is a local, non-loopback address of the node
    wait_for(lambda: tcp_get(b.host_ips[2], node_port) == "b1", timeout=30,
             what=f"NodePort {b.host_ips[2]}:{node_port}")
    assert tcp_get(np["spec"]["clusterIP"], 80) == "b1"


def test_loadbalancer_servicelb(cluster):
    s, b = cluster
    lb = make_service(s, "lb", [{"port": 8443, "targetPort": 8080}], type="LoadBalancer")
    api(s, "POST", SLICES, slice_body("lb-1", "lb", [b.ips[0]], [{"port": 8080, "protocol": "TCP"}]))

    def ingress():
        svc = api(s, "GET", "/api/v1/namespaces/default/services/lb")
        return [i.get("ip") for i in svc["status"].get("loadBalancer", {}).get("ingress", [])]
    # the node's InternalIP (127.0.0.1 for test servers): ServiceLB's status, k3s style
    wait_for(lambda: ingress() == ["127.0.0.1"], timeout=30, what="status.loadBalancer.ingress")
    wait_for(lambda: "127.0.0.1 . tcp . 8443 : goto external-default/lb/tcp/p8443" in subprocess.run(
        ["nft", "list", "map", "ip", s.prefix, "service-ips"], capture_output=True, text=True).stdout,
        timeout=30, what="the LoadBalancer address in the service-ips map")
    assert tcp_get(lb["spec"]["clusterIP"], 8443) == "b0"
    # a LoadBalancer Service of another class is left alone
    other = make_service(s, "lb2", [{"port": 8444}], type="LoadBalancer", loadBalancerClass="example.com/lb")
    assert "ingress" not in api(s, "GET", "/api/v1/namespaces/default/services/lb2")["status"].get("loadBalancer", {})
    assert other["spec"]["loadBalancerClass"] == "example.com/lb"


# ---- real pods (the pod network of agent/net*.c) ----------------------------------------------

@pytest.fixture(scope="module")
def image(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("needs root for network namespaces, bridges and runc")
    from registry import build_test_image
    return build_test_image(tmp_path_factory.mktemp("proxyimg"))


def web_deployment(replicas):
    script = "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"terminationGracePeriodSeconds": 1,
                                           "containers": [{"name": "main", "image": "kube-test:latest",
                                                           "imagePullPolicy": "Never",
                                                           "command": ["sh", "-c", script]}]}}}}


def http_get(ip, port):
    with socket.create_connection((ip, port), timeout=3) as c:
        c.sendall(b"GET / HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := c.recv(4096):
            data += chunk
    return data.decode(errors="replace").rsplit("\r\n\r\n", 1)[-1].strip()


def test_expose_deployment_pods(image, tmp_path):
    from conftest import Kubectl
    s = Server(tmp_path, agent=True)
    os.makedirs(os.path.join(s.data_dir, "agent", "images"))
    import shutil
    shutil.copy(image["oci_tar"], os.path.join(s.data_dir, "agent", "images"))
    s.start()
    kube = Kubectl("1.33", s, tmp_path)
    dummy, addr = "tp%04xd" % random.randrange(1 << 16), f"10.250.{random.randrange(1, 250)}.254"
    try:
        kube.run("apply", "-f", "-", input=json.dumps(web_deployment(3)))
        kube("expose", "deployment", "web", "--port", "80", "--target-port", "8080")
        cip = json.loads(kube("get", "service", "web", "-o", "json"))["spec"]["clusterIP"]

        def pods():
            items = json.loads(kube("get", "pods", "-l", "app=web", "-o", "json"))["items"]
            return sorted(p["metadata"]["name"] for p in items
                          if p["status"].get("phase") == "Running" and p["status"].get("podIP"))
        wait_for(lambda: len(pods()) == 3, timeout=90, what="three web pods Running with an address")
        names = set(pods())
        items = json.loads(kube("get", "pods", "-l", "app=web", "-o", "json"))["items"]
        ips = {p["metadata"]["name"]: p["status"]["podIP"] for p in items}
        # each pod serving (a slow start is the pod's, not the proxy's), then the ClusterIP
        for name, ip in ips.items():
            wait_for(lambda: http_get(ip, 8080) == name, timeout=90, what=f"pod {name} serving at {ip}:8080")
        last = {}

        def spread():
            last["seen"] = seen(lambda: http_get(cip, 80), 40)
            return last["seen"] == names
        try:
            wait_for(spread, timeout=60, what=f"ClusterIP {cip}:80 from the host reaching every pod")
        except AssertionError as e:
            slices = json.loads(kube("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "json"))
            eps = [(ep["addresses"], ep.get("conditions")) for sl in slices["items"] for ep in sl.get("endpoints") or []]
            table = subprocess.run(["nft", "list", "table", "ip", s.prefix], capture_output=True, text=True).stdout
            raise AssertionError(f"{e}\nseen {last.get('seen')}, pods {ips}\nendpoints {eps}\n{table}") from None
        # from a pod
        script = (f"for i in $(seq 1 60); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {cip} 80 > /tmp/page; "
                  "if grep -q web- /tmp/page; then echo \"got $(tail -n 1 /tmp/page)\"; break; fi; sleep 1; done; "
                  "exec sleep 3600")
        cli = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "cli"},
               "spec": {"terminationGracePeriodSeconds": 1,
                        "containers": [{"name": "main", "image": "kube-test:latest", "imagePullPolicy": "Never",
                                        "command": ["sh", "-c", script]}]}}
        kube.run("apply", "-f", "-", input=json.dumps(cli))
        wait_for(lambda: "got web-" in kube("logs", "cli", check=False), timeout=90, what="cli fetching the ClusterIP")
        # hostPort: from a local, non-loopback address of the node (on a port-less bridge of the test)
        hp = web_deployment(1)["spec"]["template"]
        hp["metadata"] = {"name": "hp"}
        hp["spec"]["containers"][0]["ports"] = [{"containerPort": 8080, "hostPort": 18080}]
        kube.run("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "Pod", **hp}))
        sh("ip", "link", "add", dummy, "type", "bridge")  # no dummy driver on some kernels
        sh("ip", "addr", "add", f"{addr}/32", "dev", dummy)
        sh("ip", "link", "set", dummy, "up")
        wait_for(lambda: http_get(addr, 18080) == "hp", timeout=90, what=f"hostPort {addr}:18080")
        # pods deleted (scaled down): their endpoints stop receiving traffic
        kube("scale", "deployment", "web", "--replicas", "1")
        wait_for(lambda: len(pods()) == 1 and len(seen(lambda: http_get(cip, 80), 20)) == 1, timeout=90,
                 what="only the remaining pod answering")
    finally:
        subprocess.run(["ip", "link", "del", dummy], capture_output=True)
        kube.run("delete", "deployment", "web", "--wait=false", check=False)
        kube.run("delete", "pods", "--all", "--wait=false", check=False)
        wait_for(lambda: not json.loads(kube("get", "pods", "-o", "json"))["items"], timeout=90,
                 what="every pod gone")
        rc = s.stop()
        assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
    assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
    assert dummy not in subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True).stdout
