"""Services: cluster IPs from --service-cidr and node ports, allocated once, released on delete,
remembered across restarts; the `kubernetes` Service points at the API server."""
import json

from conftest import Kubectl, wait_for

SVC = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  type: {type}
  selector: {{app: {name}}}
  ports:
  - port: 80
{extra}"""


def svc(kubectl, tmp_path, name, type="ClusterIP", extra="", check=True):
    f = tmp_path / f"{name}.yaml"
    f.write_text(SVC.format(name=name, type=type, extra=extra))
    return kubectl.run("create", "-f", str(f), check=check)


def get(kubectl, name):
    return json.loads(kubectl("get", "svc", name, "-o", "json"))


def test_kubernetes_service(make_server, tmp_path):
    s = make_server(["--service-cidr", "10.96.0.0/12"])
    k = Kubectl("1.33", s, tmp_path)
    kube = get(k, "kubernetes")
    assert kube["spec"]["clusterIP"] == "10.96.0.1" and kube["spec"]["clusterIPs"] == ["10.96.0.1"]
    assert kube["spec"]["ports"][0]["port"] == 443
    # Bound to loopback, the server advertises the host's routable address (pods cannot reach
    # loopback, and endpoints may not hold it).
    ep = json.loads(k("get", "endpoints", "kubernetes", "-o", "json"))
    ip = ep["subsets"][0]["addresses"][0]["ip"]
    assert not ip.startswith("127.") and ip.count(".") == 3
    assert ep["subsets"][0]["ports"][0]["port"] == s.port
    out = k("get", "endpointslices")
    assert "kubernetes" in out


def test_allocation_release_and_restart(make_server, tmp_path):
    s = make_server()
    k = Kubectl("1.27", s, tmp_path)
    svc(k, tmp_path, "a", "NodePort")
    a = get(k, "a")
    ip, np = a["spec"]["clusterIP"], a["spec"]["ports"][0]["nodePort"]
    assert ip.startswith("10.43.") and ip != "10.43.0.1" and 30000 <= np <= 32767
    assert a["spec"]["clusterIPs"] == [ip]
    # Explicit choices that are taken are rejected with upstream's messages.
    p = svc(k, tmp_path, "b", extra=f"  clusterIP: {ip}\n", check=False)
    assert p.returncode == 1 and "provided IP is already allocated" in p.stderr
    p = svc(k, tmp_path, "c", "NodePort", extra="", check=False)
    assert p.returncode == 0
    f = tmp_path / "d.yaml"
    f.write_text(SVC.format(name="d", type="NodePort", extra="").replace("- port: 80", f"- port: 80\n    nodePort: {np}"))
    p = k.run("create", "-f", str(f), check=False)
    assert p.returncode == 1 and "provided port is already allocated" in p.stderr
    f.write_text(SVC.format(name="d", type="NodePort", extra="").replace("- port: 80", "- port: 80\n    nodePort: 80"))
    p = k.run("create", "-f", str(f), check=False)
    assert p.returncode == 1 and "provided port is not in the valid range. The range of valid ports is 30000-32767" in p.stderr
    p = svc(k, tmp_path, "e", extra="  clusterIP: 192.168.0.1\n", check=False)
    assert p.returncode == 1 and "is not in the valid range" in p.stderr
    # After a restart the allocations are still known.
    assert s.stop() == 0
    s.start()
    p = svc(k, tmp_path, "b", extra=f"  clusterIP: {ip}\n", check=False)
    assert p.returncode == 1 and "provided IP is already allocated" in p.stderr
    # Deleting a Service releases its IP and node port.
    k("delete", "svc", "a")
    svc(k, tmp_path, "b", extra=f"  clusterIP: {ip}\n")
    assert get(k, "b")["spec"]["clusterIP"] == ip
    f.write_text(SVC.format(name="d", type="NodePort", extra="").replace("- port: 80", f"- port: 80\n    nodePort: {np}"))
    k("create", "-f", str(f))
    # Headless services get no IP.
    svc(k, tmp_path, "h", extra="  clusterIP: None\n")
    assert get(k, "h")["spec"]["clusterIPs"] == ["None"]


def test_update_keeps_and_type_change_releases(make_server, tmp_path):
    s = make_server()
    k = Kubectl("1.33", s, tmp_path)
    svc(k, tmp_path, "np1", "NodePort")
    n = get(k, "np1")
    np = n["spec"]["ports"][0]["nodePort"]
    # replace without clusterIP or nodePort keeps both (upstream's patchAllocatedValues).
    f = tmp_path / "n2.yaml"
    f.write_text(SVC.format(name="np1", type="NodePort", extra=""))
    k("replace", "-f", str(f))
    n2 = get(k, "np1")
    assert n2["spec"]["clusterIP"] == n["spec"]["clusterIP"] and n2["spec"]["ports"][0]["nodePort"] == np
    # Changing the type to ClusterIP drops and releases the node port.
    k("patch", "svc", "np1", "--type=merge", "-p", '{"spec":{"type":"ClusterIP"}}')
    assert "nodePort" not in get(k, "np1")["spec"]["ports"][0]
    f.write_text(SVC.format(name="np2", type="NodePort", extra="").replace("- port: 80", f"- port: 80\n    nodePort: {np}"))
    k("create", "-f", str(f))
