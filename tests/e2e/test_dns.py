"""The agent's built-in cluster DNS server, queried from the host over UDP and TCP.

A server with its embedded agent serves the cluster domain at its own --cluster-dns address (on
the dummy link PREFIX+"dns" the agent makes). Names outside the cluster domain are forwarded to
the host's resolvers: the server runs in a private mount namespace (`unshare --mount`) where
/etc/resolv.conf is a bind-mounted file naming a tiny DNS server this test runs on a loopback
address, so nothing leaves the machine and the host's file is untouched.

Checked: Service A (ClusterIP), AAAA without data, SRV of a named port, a headless Service's
ready endpoints (A, per-hostname A, SRV per endpoint) from an EndpointSlice, pod names, PTR of a
ClusterIP, NXDOMAIN with the SOA, an ExternalName CNAME, case-insensitive names, EDNS0, TC over
UDP and the same answer over TCP, forwarding (with TCP retry on truncation), FORMERR/NOTIMP for
malformed queries, Services created and deleted being followed; at the end the link is gone.
From inside a pod of the test image: busybox nslookup of a Service (full and short name), the
pod's resolv.conf, nc to the Service by name through its ClusterIP; an agent restart with pods
running keeps the link and the next agent serves on it.
"""
import os
import random
import shutil
import socket
import struct
import subprocess
import threading

import pytest

from conftest import Server, api, host_resources, wait_for

A, NS, CNAME, SOA, PTR, TXT, AAAA, SRV, OPT = 1, 2, 5, 6, 12, 16, 28, 33, 41


# ---- a tiny DNS client -----------------------------------------------------------------------

def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(name, qtype=A, qid=None, edns=None, flags=0x0100):
    qid = random.randrange(1 << 16) if qid is None else qid
    msg = struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 1 if edns else 0) + encode_name(name) + struct.pack("!HH", qtype, 1)
    if edns:
        msg += b"\0" + struct.pack("!HHIH", OPT, edns, 0, 0)
    return qid, msg


def read_name(msg, off):
    labels, jumped, end = [], False, off
    for _ in range(128):
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            jumped, off = True, ((n & 0x3F) << 8) | msg[off + 1]
            continue
        if n == 0:
            return ".".join(labels), (end if jumped else off + 1)
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += 1 + n
    raise ValueError("name loop")


def parse(msg):
    """A reply as a dict: id, flags, rcode, question, and answer/authority/additional records
    as (name, type, ttl, value)."""
    qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
    off, question = 12, None
    for _ in range(qd):
        qname, off = read_name(msg, off)
        question = (qname, struct.unpack("!H", msg[off:off + 2])[0])
        off += 4
    sections = []
    for count in (an, ns, ar):
        recs = []
        for _ in range(count):
            name, off = read_name(msg, off)
            rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
            off += 10
            rd = msg[off:off + rdlen]
            if rtype == A:
                value = socket.inet_ntoa(rd)
            elif rtype in (CNAME, PTR, NS):
                value = read_name(msg, off)[0]
            elif rtype == SRV:
                value = struct.unpack("!HHH", rd[:6]) + (read_name(msg, off + 6)[0],)
            elif rtype == OPT:
                value = rclass  # the payload size
            else:
                value = rd
            recs.append((name, rtype, ttl, value))
            off += rdlen
        sections.append(recs)
    return {"id": qid, "flags": flags, "rcode": flags & 0xF, "question": question, "answer": sections[0],
            "authority": sections[1], "additional": sections[2]}


def ask_udp(addr, msg, timeout=2.0):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(msg, (addr, 53))
        return s.recvfrom(65535)[0]


def ask_tcp(addr, msgs, timeout=3.0):
    """Sends several queries on one connection; returns the replies in order."""
    with socket.create_connection((addr, 53), timeout=timeout) as s:
        s.sendall(b"".join(struct.pack("!H", len(m)) + m for m in msgs))
        out, buf = [], b""
        while len(out) < len(msgs):
            chunk = s.recv(65535)
            assert chunk, "connection closed early"
            buf += chunk
            while len(buf) >= 2 and len(buf) >= 2 + struct.unpack("!H", buf[:2])[0]:
                n = struct.unpack("!H", buf[:2])[0]
                out.append(buf[2:2 + n])
                buf = buf[2 + n:]
        return out


def resolve(addr, name, qtype=A, tcp=False, edns=None):
    qid, msg = query(name, qtype, edns=edns)
    r = parse(ask_tcp(addr, [msg])[0] if tcp else ask_udp(addr, msg))
    assert r["id"] == qid
    return r


def values(r, rtype=A):
    return sorted(v for (_, t, _, v) in r["answer"] if t == rtype)


# ---- the host's resolver for the test ----------------------------------------------------------

class Upstream:
    """A DNS server on 127.x.y.z:53 (UDP and TCP): fwd.example -> 192.0.2.7; big.example -> TC
    over UDP, 40 A records over TCP; anything else NXDOMAIN."""

    def __init__(self):
        self.addr = "127.%d.%d.%d" % (random.randrange(1, 255), random.randrange(255), random.randrange(2, 255))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((self.addr, 53))
        self.tcp = socket.socket()
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind((self.addr, 53))
        self.tcp.listen(8)
        self.stopped = False
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.serve_udp, self.serve_tcp)]
        for t in self.threads:
            t.start()

    def answer(self, msg, tcp):
        qid, flags = struct.unpack("!HH", msg[:4])
        name, off = read_name(msg, 12)
        question = msg[12:off + 4]
        recs, rflags = [], 0x8180 | (flags & 0x0100)
        if name.lower() == "fwd.example":
            recs = [socket.inet_aton("192.0.2.7")]
        elif name.lower() == "big.example":
            if tcp:
                recs = [socket.inet_aton("192.0.2.%d" % i) for i in range(1, 41)]
            else:
                rflags |= 0x0200
        else:
            rflags |= 3
        out = struct.pack("!HHHHHH", qid, rflags, 1, len(recs), 0, 0) + question
        for rd in recs:
            out += b"\xc0\x0c" + struct.pack("!HHIH", A, 1, 30, 4) + rd
        return out

    def serve_udp(self):
        while not self.stopped:
            try:
                msg, peer = self.udp.recvfrom(4096)
                self.udp.sendto(self.answer(msg, False), peer)
            except OSError:
                return

    def serve_tcp(self):
        while not self.stopped:
            try:
                c, _ = self.tcp.accept()
            except OSError:
                return
            with c:
                try:
                    n = struct.unpack("!H", c.recv(2))[0]
                    msg = b""
                    while len(msg) < n:
                        msg += c.recv(n - len(msg))
                    out = self.answer(msg, True)
                    c.sendall(struct.pack("!H", len(out)) + out)
                except (OSError, struct.error):
                    pass

    def close(self):
        self.stopped = True
        self.udp.close()
        self.tcp.close()


def link_exists(name):
    return subprocess.run(["ip", "link", "show", name], capture_output=True).returncode == 0


def dns_link_up(s):
    """The agent's DNS link holds the cluster DNS address: queries stay on the host. Waited for
    before any query, so that none goes out through a default route."""
    out = subprocess.run(["ip", "-o", "addr", "show", s.prefix + "dns"], capture_output=True, text=True).stdout
    return f"{s.dns}/32" in out


@pytest.fixture
def dns_server(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root for links and port 53")
    up = Upstream()
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(f"nameserver {up.addr}\nsearch example\n")
    s = Server(tmp_path, agent=True)
    if "--cluster-dns" not in s.args:  # conftest may already give every agent its own address
        s.args += ["--cluster-dns", "10.43.%d.%d" % (random.randrange(100, 250), random.randrange(2, 250))]
    s.dns = s.args[len(s.args) - 1 - s.args[::-1].index("--cluster-dns") + 1]
    s.args = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
              'mount --bind "$0" /etc/resolv.conf && exec "$@"', str(resolv), *s.args]
    try:
        s.start()
        wait_for(lambda: dns_link_up(s), timeout=30, what=f"link {s.prefix}dns with {s.dns}/32")
        yield s
        rc = s.stop()
        assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
        assert not link_exists(s.prefix + "dns"), "the DNS link is left"
        assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
    finally:
        if s.proc and s.proc.poll() is None:
            s.kill9()
        if link_exists(s.prefix + "dns"):
            subprocess.run(["ip", "link", "del", s.prefix + "dns"], check=False)
        up.close()


def create(server, path, obj):
    code, out = api(server, "POST", path, obj)
    assert code == 201, out
    return out


def service(name, ports, **spec):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"ports": ports, **spec}}


# ---- tests ---------------------------------------------------------------------------------------

def test_dns_services(dns_server):
    s, dns = dns_server, dns_server.dns
    kube = wait_for(lambda: values(resolve(dns, "kubernetes.default.svc.cluster.local")), timeout=30,
                    what="the kubernetes Service through the cluster DNS")
    assert len(kube) == 1

    web = create(s, "/api/v1/namespaces/default/services",
                 service("web", [{"name": "http", "port": 80, "targetPort": 8080}]))
    cip = web["spec"]["clusterIP"]
    r = wait_for(lambda: (lambda r: r if r["answer"] else None)(resolve(dns, "web.default.svc.cluster.local")),
                 what="web's A record")
    assert r["rcode"] == 0 and r["flags"] & 0x8400 == 0x8400  # QR and AA
    assert r["answer"] == [("web.default.svc.cluster.local", A, 5, cip)]

    # case-insensitive, the question echoed as sent; TCP gives the same
    r = resolve(dns, "WEB.Default.SVC.cluster.LOCAL", tcp=True)
    assert r["question"] == ("WEB.Default.SVC.cluster.LOCAL", A) and values(r) == [cip]
    # AAAA of an IPv4-only Service: NOERROR without data, SOA in authority
    r = resolve(dns, "web.default.svc.cluster.local", AAAA)
    assert r["rcode"] == 0 and r["answer"] == [] and r["authority"][0][1] == SOA
    # SRV of the named port, its target's address in the additional section
    r = resolve(dns, "_http._tcp.web.default.svc.cluster.local", SRV)
    assert values(r, SRV) == [(0, 100, 80, "web.default.svc.cluster.local")]
    assert ("web.default.svc.cluster.local", A, 5, cip) in r["additional"]
    assert resolve(dns, "_nope._tcp.web.default.svc.cluster.local", SRV)["rcode"] == 3
    # PTR of the ClusterIP
    rev = ".".join(reversed(cip.split("."))) + ".in-addr.arpa"
    assert values(resolve(dns, rev, PTR), PTR) == ["web.default.svc.cluster.local"]
    # names that do not exist: NXDOMAIN with the zone's SOA
    for name in ("nope.default.svc.cluster.local", "x.cluster.local", "a.b.web.default.svc.cluster.local"):
        r = resolve(dns, name)
        assert r["rcode"] == 3 and r["answer"] == [], name
        assert r["authority"][0][:2] == ("cluster.local", SOA), name
    # a namespace with Services exists (no data); pod names give the address they spell
    assert resolve(dns, "default.svc.cluster.local")["rcode"] == 0
    assert values(resolve(dns, "10-42-0-9.default.pod.cluster.local")) == ["10.42.0.9"]
    assert resolve(dns, "10-42-0-999.default.pod.cluster.local")["rcode"] == 3

    # ExternalName: a CNAME
    create(s, "/api/v1/namespaces/default/services",
           {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
            "spec": {"type": "ExternalName", "externalName": "db.example.org"}})
    r = wait_for(lambda: (lambda r: r if r["answer"] else None)(resolve(dns, "ext.default.svc.cluster.local")),
                 what="ext's CNAME")
    assert r["answer"][0][1:] == (CNAME, 5, "db.example.org")

    # a deleted Service is gone from the zone
    assert api(s, "DELETE", "/api/v1/namespaces/default/services/web")[0] == 200
    wait_for(lambda: resolve(dns, "web.default.svc.cluster.local")["rcode"] == 3, what="web's NXDOMAIN")


def test_dns_headless_forward_and_errors(dns_server):
    s, dns = dns_server, dns_server.dns
    wait_for(lambda: values(resolve(dns, "kubernetes.default.svc.cluster.local")), timeout=30,
             what="the cluster DNS")
    create(s, "/api/v1/namespaces/default/services",
           service("db", [{"name": "pg", "port": 5432}], clusterIP="None"))
    eps = [{"addresses": ["10.42.0.5"], "hostname": "db-0", "conditions": {"ready": True}},
           {"addresses": ["10.42.0.6"], "conditions": {"ready": True}},
           {"addresses": ["10.42.0.7"], "conditions": {"ready": False}}]
    create(s, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
           {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "db-1", "labels": {"kubernetes.io/service-name": "db"}},
            "addressType": "IPv4", "endpoints": eps, "ports": [{"name": "pg", "protocol": "TCP", "port": 5432}]})
    name = "db.default.svc.cluster.local"
    wait_for(lambda: values(resolve(dns, name)) == ["10.42.0.5", "10.42.0.6"], what="db's ready endpoints")
    assert values(resolve(dns, "db-0." + name)) == ["10.42.0.5"]
    assert values(resolve(dns, "10-42-0-6." + name)) == ["10.42.0.6"]
    assert resolve(dns, "10-42-0-7." + name)["rcode"] == 3  # not ready
    r = resolve(dns, "_pg._tcp." + name, SRV)
    assert values(r, SRV) == [(0, 50, 5432, "10-42-0-6." + name), (0, 50, 5432, "db-0." + name)]
    assert sorted(v for (_, t, _, v) in r["additional"] if t == A) == ["10.42.0.5", "10.42.0.6"]
    assert values(resolve(dns, "5.0.42.10.in-addr.arpa", PTR), PTR) == ["db-0." + name]

    # forwarded names keep the client's ID; a truncated upstream answer is fetched over TCP
    assert values(resolve(dns, "fwd.example")) == ["192.0.2.7"]
    assert resolve(dns, "nothing.example")["rcode"] == 3
    assert len(values(resolve(dns, "big.example", tcp=True))) == 40
    r = resolve(dns, "big.example")  # 40 records do not fit in 512 bytes: TC, the client retries over TCP
    assert r["flags"] & 0x0200 and r["answer"] == []
    assert len(values(resolve(dns, "big.example", edns=4096))) == 40

    # EDNS0 echoed; a large answer over plain UDP is truncated, complete over TCP
    r = resolve(dns, name, edns=1232)
    assert [x for x in r["additional"] if x[1] == OPT]
    many = [{"addresses": ["10.42.1.%d" % i], "conditions": {"ready": True}} for i in range(1, 61)]
    create(s, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
           {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "db-2", "labels": {"kubernetes.io/service-name": "db"}},
            "addressType": "IPv4", "endpoints": many, "ports": [{"name": "pg", "protocol": "TCP", "port": 5432}]})
    wait_for(lambda: len(values(resolve(dns, name, tcp=True))) == 62, what="62 endpoints over TCP")
    r = resolve(dns, name)
    assert r["flags"] & 0x0200 and 0 < len(r["answer"]) < 62

    # malformed queries: FORMERR (two questions), NOTIMP (opcode 2), garbage dropped
    qid, msg = query(name)
    two = msg[:4] + b"\0\x02" + msg[6:] + msg[12:]
    assert parse(ask_udp(dns, two))["rcode"] == 1
    notimp = msg[:2] + bytes([msg[2] | 0x10, msg[3]]) + msg[4:]
    assert parse(ask_udp(dns, notimp))["rcode"] == 4
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as g:
        for junk in (b"", b"\x01", os.urandom(11), b"\0" * 12 + b"\xc0\x0c" * 8, msg[:-3]):
            g.sendto(junk, (dns, 53))
    # several queries on one TCP connection, the server still well
    replies = ask_tcp(dns, [query(name)[1], query("fwd.example")[1], query("kubernetes.default.svc.cluster.local")[1]])
    assert [len(parse(x)["answer"]) for x in replies] == [62, 1, 1]


# ---- from inside a pod -------------------------------------------------------------------------

IMAGE = "kube-test:latest"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("needs root for network namespaces, bridges and runc")
    from registry import build_test_image
    return build_test_image(tmp_path_factory.mktemp("dnsimg"))


def pod_obj(name, script, labels=None):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels or {}},
            "spec": {"terminationGracePeriodSeconds": 1,
                     "containers": [{"name": "main", "image": IMAGE, "imagePullPolicy": "Never",
                                     "command": ["sh", "-c", script]}]}}


def pod_log(s, name):
    code, _, body = s.request("GET", f"/api/v1/namespaces/default/pods/{name}/log")
    return body.decode(errors="replace") if code == 200 else ""


def test_dns_from_a_pod(image, tmp_path):
    """A pod (dnsPolicy ClusterFirst) resolves a Service by its full name and by its short name
    through the search list with busybox nslookup, and reaches it by name through the ClusterIP
    (the service proxy) with nc. An agent restart with the pods running keeps the DNS link and
    the next agent serves on it again."""
    s = Server(tmp_path, agent=True)
    os.makedirs(os.path.join(s.data_dir, "agent", "images"))
    shutil.copy(image["oci_tar"], os.path.join(s.data_dir, "agent", "images"))
    s.start()
    try:
        s.dns = s.args[len(s.args) - 1 - s.args[::-1].index("--cluster-dns") + 1]
        wait_for(lambda: dns_link_up(s), timeout=30, what=f"link {s.prefix}dns")
        web = create(s, "/api/v1/namespaces/default/services",
                     service("web", [{"name": "http", "port": 80, "targetPort": 8080}], selector={"app": "web"}))
        cip = web["spec"]["clusterIP"]
        create(s, "/api/v1/namespaces/default/pods",
               pod_obj("web", "mkdir -p /www && echo hello-by-name > /www/index.html && exec httpd -f -p 8080 -h /www",
                       {"app": "web"}))
        script = ("for i in $(seq 1 60); do nslookup web.default.svc.cluster.local > /tmp/o 2>&1 && break; sleep 1; done; "
                  "echo full:; cat /tmp/o; echo short:; nslookup web; echo resolv:; cat /etc/resolv.conf; "
                  "for i in $(seq 1 60); do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 web 80 > /tmp/page 2>&1; "
                  "if grep -q hello /tmp/page; then echo \"got $(tail -n 1 /tmp/page)\"; break; fi; sleep 1; done; "
                  "exec sleep 3600")
        create(s, "/api/v1/namespaces/default/pods", pod_obj("cli", script))
        wait_for(lambda: "resolv:" in pod_log(s, "cli"), timeout=120, what="cli's lookups")
        log = pod_log(s, "cli")
        full, short = log.split("full:")[1].split("short:")
        assert f"Address: {cip}" in full or f"Address 1: {cip}" in full, log
        assert cip in short.split("resolv:")[0], log
        assert f"nameserver {s.dns}" in log and "search default.svc.cluster.local svc.cluster.local cluster.local" in log
        assert "options ndots:5" in log
        wait_for(lambda: "got hello-by-name" in pod_log(s, "cli"), timeout=60,
                 what=f"cli fetching http://web/ by name ({pod_log(s, 'cli')})")
        # a restart with pods running keeps the link (pods keep resolving); the next agent adopts it
        assert s.stop() == 0, s.read_log()[-3000:]
        assert f"link {s.prefix}dns" in host_resources(s.prefix)
        s.start()
        wait_for(lambda: values(resolve(s.dns, "web.default.svc.cluster.local")) == [cip], timeout=30,
                 what="the cluster DNS after the restart")
    finally:
        try:
            if s.proc.poll() is not None:  # stopped for the restart: the pods still need deleting
                s.start()
            for name in ("cli", "web"):
                api(s, "DELETE", f"/api/v1/namespaces/default/pods/{name}")
            wait_for(lambda: not api(s, "GET", "/api/v1/namespaces/default/pods")[1]["items"], timeout=90,
                     what="the pods gone")
        finally:  # the server stops whatever happened above
            rc = s.stop()
        assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"
    assert host_resources(s.prefix) == [], f"left on the host: {host_resources(s.prefix)}"
