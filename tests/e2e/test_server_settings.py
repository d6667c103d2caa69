"""Server settings and small behaviours upstream's kubectl test-cmd suite relies on:

- `kubectl scale --dry-run=server` gets a Scale back (not the object);
- a DELETE with a Kubernetes-protobuf DeleteOptions body (kubectl 1.33 `debug --copy-to
  --replace`) is decoded;
- every write records its field manager (`kubectl taint` of a Node created with status only);
- the `kubernetes` Service in `default` comes back when deleted;
- GET /metrics (Prometheus text), for system:masters and system:monitoring only;
- --client-ca-file: client certificates of another CA authenticate (CN user, O groups) and the
  handshake names that CA;
- --enable-admission-plugins / --disable-admission-plugins;
- --allocate-node-cidrs=false: Nodes keep the spec they were created with, so a replace without
  spec.podCIDR is accepted (test-cmd's node tests).
Real kubectl (oldest and newest supported), raw HTTPS where kubectl cannot show the wire.
"""
import json
import os
import subprocess
import time
import urllib.request

import pytest

from conftest import KUBE_BIN, KUBECTL_DIR, KUBECTL_VERSIONS, Server, api, api_get, wait_for

NEWEST = KUBECTL_VERSIONS[-1]


def kubectl_bin(version):
    return os.path.join(KUBECTL_DIR, f"kubectl.{version}")


# ---- scale dry run, protobuf DeleteOptions, managedFields --------------------------------------

def test_scale_dry_run_answers_scale(kubectl, server):
    kubectl("create", "deployment", "web", "--image=busybox")
    out = kubectl("scale", "deployment", "web", "--replicas=3", "--dry-run=server")
    assert "scaled (server dry run)" in out
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}") == "1"
    body = json.dumps({"spec": {"replicas": 5}}).encode()
    code, _, out = server.request("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale?dryRun=All",
                                  body, {"Content-Type": "application/merge-patch+json"})
    sc = json.loads(out)
    assert code == 200, sc
    assert (sc["kind"], sc["apiVersion"], sc["spec"]["replicas"]) == ("Scale", "autoscaling/v1", 5)
    assert kubectl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas}") == "1"


def pb_field(num, payload):
    """A length-delimited protobuf field (payload bytes)."""
    def varint(n):
        out = b""
        while True:
            b, n = n & 0x7F, n >> 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def test_protobuf_delete_options(server, tmp_path):
    """A protobuf DeleteOptions with a uid precondition that does not match is refused (409), one
    that matches deletes: the body was decoded, not ignored."""
    code, cm = api(server, "POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "pb"}})
    assert code == 201, cm

    def delete_with_uid(uid):
        opts = pb_field(2, pb_field(1, uid.encode()))  # preconditions { uid }
        unknown = pb_field(1, pb_field(1, b"v1") + pb_field(2, b"DeleteOptions")) + pb_field(2, opts)
        return server.request("DELETE", "/api/v1/namespaces/default/configmaps/pb", b"k8s\x00" + unknown,
                              {"Content-Type": "application/vnd.kubernetes.protobuf"})

    code, _, out = delete_with_uid("not-the-uid")
    assert code == 409, out
    assert "Precondition failed" in json.loads(out)["message"]
    code, _, out = delete_with_uid(cm["metadata"]["uid"])
    assert code == 200, out
    code, _ = api(server, "GET", "/api/v1/namespaces/default/configmaps/pb")
    assert code == 404
    # kubectl 1.33 sends protobuf DeleteOptions for `debug --copy-to --replace`
    k = [kubectl_bin(NEWEST), "--kubeconfig", server.kubeconfig, "--cache-dir", str(tmp_path / "cache")]
    subprocess.run(k + ["run", "target", "--image=busybox"], check=True, capture_output=True, timeout=60)
    p = subprocess.run(k + ["debug", "target", "--copy-to=target-copy", "--image=busybox", "--container=dbg",
                            "--attach=false", "--replace"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    names = subprocess.run(k + ["get", "pods", "-o", "name"], capture_output=True, text=True, timeout=60).stdout
    assert "pod/target-copy" in names
    assert "pod/target\n" not in names


def test_taint_records_field_manager(kubectl):
    node = {"kind": "Node", "apiVersion": "v1", "metadata": {"name": "127.0.0.1"},
            "status": {"capacity": {"memory": "1Gi"}}}
    kubectl("create", "-f", "-", input=json.dumps(node))
    kubectl("taint", "node", "127.0.0.1", "dedicated=foo:PreferNoSchedule")
    managers = kubectl("get", "node", "127.0.0.1", "-o", "jsonpath={.metadata.managedFields[*].manager}")
    assert "kubectl-taint" in managers.split()
    kubectl("label", "node", "127.0.0.1", "a=b")
    managers = kubectl("get", "node", "127.0.0.1", "-o", "jsonpath={.metadata.managedFields[*].manager}")
    assert "kubectl-label" in managers.split()


# ---- the kubernetes Service ----------------------------------------------------------------------

def test_kubernetes_service_is_recreated(server):
    svc = api_get(server, "/api/v1/namespaces/default/services/kubernetes")
    code, _ = api(server, "DELETE", "/api/v1/namespaces/default/services/kubernetes")
    assert code == 200

    def back():
        code, s = api(server, "GET", "/api/v1/namespaces/default/services/kubernetes")
        return code == 200 and s["metadata"]["uid"] != svc["metadata"]["uid"] and s
    s = wait_for(back, timeout=30, interval=0.5, what="the kubernetes Service to come back")
    assert s["spec"]["clusterIP"] == svc["spec"]["clusterIP"]
    assert s["spec"]["ports"][0]["port"] == 443
    wait_for(lambda: api(server, "GET", "/api/v1/namespaces/default/endpoints/kubernetes")[0] == 200,
             timeout=30, interval=0.5, what="the kubernetes Endpoints")


# ---- /metrics, --client-ca-file, admission plugin flags -----------------------------------------

def openssl(*args, cwd):
    subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=cwd, timeout=60)


def make_ca_and_client(d, ca_cn, user, groups):
    """A CA (ca.crt/ca.key) and a client certificate (client.crt/.key) it signed, in d."""
    subj = "/CN=" + user + "".join("/O=" + g for g in groups)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
            "-subj", "/CN=" + ca_cn, "-days", "2", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
            "-subj", subj, cwd=d)
    (d / "ext").write_text("extendedKeyUsage=clientAuth\n")
    openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "client.crt", "-days", "1", "-extfile", "ext", cwd=d)


@pytest.fixture(scope="module")
def settings_server(tmp_path_factory):
    d = tmp_path_factory.mktemp("settings")
    ca = d / "ca"
    ca.mkdir()
    make_ca_and_client(ca, "127.0.0.1", "alice", ["system:masters", "team"])
    other = d / "other"
    other.mkdir()
    make_ca_and_client(other, "stranger-ca", "mallory", ["system:masters"])
    (d / "tokens.csv").write_text('admin-token,admin,1,"system:masters"\nmon-token,prom,2,"system:monitoring"\n'
                                  'jane-token,jane,3,"dev"\n')
    s = Server(d, ["--client-ca-file", str(ca / "ca.crt"), "--token-auth-file", str(d / "tokens.csv"),
                   "--enable-admission-plugins", "LimitRanger,ResourceQuota",
                   "--disable-admission-plugins",
                   "ServiceAccount,PersistentVolumeLabel,DefaultStorageClass,DefaultTolerationSeconds,"
                   "MutatingAdmissionWebhook,ValidatingAdmissionWebhook,StorageObjectInUseProtection",
                   "--allocate-node-cidrs=false"]).start()
    s.ca_dir, s.other_dir = ca, other
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


def kubectl_as(version, server, tmp_path, *auth_and_args):
    """kubectl without a kubeconfig (-s, --insecure-skip-tls-verify), as test-cmd calls it."""
    cmd = [kubectl_bin(version), "-s", server.url, "--insecure-skip-tls-verify",
           "--cache-dir", str(tmp_path / f"cache-{version}"), *auth_and_args]
    env = dict(os.environ, HOME=str(tmp_path), KUBECONFIG="")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_metrics(settings_server, tmp_path, version):
    s = settings_server
    assert kubectl_as(version, s, tmp_path, "--token", "admin-token", "get", "pods").returncode == 0
    p = kubectl_as(version, s, tmp_path, "--token", "admin-token", "get", "--raw", "/metrics")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert "# TYPE apiserver_request_total counter" in lines
    assert any(line.startswith('apiserver_request_total{code="200",component="apiserver",dry_run="",group="",'
                               'resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} ')
               for line in lines), p.stdout[:3000]
    figures = {line.split(" ")[0]: line.split(" ")[1] for line in lines if line and not line.startswith("#")}
    assert int(figures['apiserver_storage_objects{resource="namespaces"}']) >= 4
    assert int(figures["process_resident_memory_bytes"]) > 0
    assert float(figures["process_start_time_seconds"]) > 1.7e9
    assert 'apiserver_current_inflight_requests{request_kind="mutating"}' in figures
    # system:monitoring may read it; others are refused as upstream words it
    assert kubectl_as(version, s, tmp_path, "--token", "mon-token", "get", "--raw", "/metrics").returncode == 0
    p = kubectl_as(version, s, tmp_path, "--token", "jane-token", "get", "--raw", "/metrics")
    assert p.returncode != 0
    assert 'forbidden: User "jane" cannot get path "/metrics"' in p.stderr


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_client_ca_file(settings_server, tmp_path, version):
    s = settings_server
    cert = ["--client-certificate", str(s.ca_dir / "client.crt"), "--client-key", str(s.ca_dir / "client.key")]
    p = kubectl_as(version, s, tmp_path, *cert, "auth", "whoami", "-o", "json")
    assert p.returncode == 0, p.stderr
    info = json.loads(p.stdout)["status"]["userInfo"]
    assert info["username"] == "alice"
    assert info["groups"] == ["system:masters", "team", "system:authenticated"]
    assert kubectl_as(version, s, tmp_path, *cert, "get", "namespaces", "-o", "name").returncode == 0
    # a certificate of a CA the server does not know does not authenticate
    bad = ["--client-certificate", str(s.other_dir / "client.crt"), "--client-key", str(s.other_dir / "client.key")]
    p = kubectl_as(version, s, tmp_path, *bad, "get", "namespaces")
    assert p.returncode != 0 and "Unauthorized" in p.stderr
    # the cluster CA's own certificates still do
    assert api_get(s, "/api/v1/namespaces/default")["metadata"]["name"] == "default"


def test_client_ca_named_in_handshake(settings_server):
    """What test-cmd's kube::util::test_client_certificate_authentication_enabled reads."""
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{settings_server.port}"],
                       input="", capture_output=True, text=True, timeout=30)
    names = p.stdout.split("Acceptable client certificate CA names", 1)[1].split("Client Certificate Types")[0]
    assert "CN = 127.0.0.1" in names or "/CN=127.0.0.1" in names
    assert "kube-server-ca" in names


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_disabled_admission_plugins(settings_server, tmp_path, version):
    """ServiceAccount and DefaultTolerationSeconds are off: a pod keeps what it was given, and
    `kubectl replace -f` of its original manifest works."""
    s = settings_server
    name = "plain-" + version.replace(".", "-")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "x"}},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    path = tmp_path / "pod.json"
    path.write_text(json.dumps(pod))
    p = kubectl_as(version, s, tmp_path, "--token", "admin-token", "create", "-f", str(path))
    assert p.returncode == 0, p.stderr
    got = api_get(s, f"/api/v1/namespaces/default/pods/{name}")
    assert "serviceAccountName" not in got["spec"]
    assert "tolerations" not in got["spec"]
    pod["metadata"]["labels"]["status"] = "replaced"
    path.write_text(json.dumps(pod))
    p = kubectl_as(version, s, tmp_path, "--token", "admin-token", "replace", "-f", str(path))
    assert p.returncode == 0, p.stderr
    assert api_get(s, f"/api/v1/namespaces/default/pods/{name}")["metadata"]["labels"]["status"] == "replaced"
    # StorageObjectInUseProtection and DefaultStorageClass are off too: a claim gets neither the
    # protection finalizer nor the default class.
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "provisioner": "x.example.com",
          "metadata": {"name": "std-" + name, "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}}}
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    for o in (sc, pvc):
        path.write_text(json.dumps(o))
        p = kubectl_as(version, s, tmp_path, "--token", "admin-token", "create", "-f", str(path))
        assert p.returncode == 0, p.stderr
    got = api_get(s, f"/api/v1/namespaces/default/persistentvolumeclaims/{name}")
    assert "finalizers" not in got["metadata"] and "storageClassName" not in got["spec"], got


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_no_node_cidr_allocation(settings_server, tmp_path, version):
    s = settings_server
    name = f"node-{version}"
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
    f = tmp_path / "node.json"
    f.write_text(json.dumps(node))
    p = kubectl_as(version, s, tmp_path, "--token", "admin-token", "create", "-f", str(f))
    assert p.returncode == 0, p.stderr
    # Nothing to wait for: with allocation on, the controller patches a new Node within
    # milliseconds; a second leaves room for it to have done so wrongly.
    time.sleep(1)
    assert "podCIDR" not in api_get(s, f"/api/v1/nodes/{name}")["spec"]
    node["metadata"]["annotations"] = {"a": "b"}
    f.write_text(json.dumps(node))
    p = kubectl_as(version, s, tmp_path, "--token", "admin-token", "replace", "-f", str(f))
    assert p.returncode == 0 and f"node/{name} replaced" in p.stdout, p.stderr
    assert api(s, "DELETE", f"/api/v1/nodes/{name}")[0] == 200


def test_bad_settings_refuse_to_start(tmp_path):
    (tmp_path / "notca.pem").write_text("hello\n")
    args = [KUBE_BIN, "server", "--data-dir", str(tmp_path / "data"), "--disable-agent",
            "--enable-admission-plugins", "LimitRanger,NoSuchPlugin",
            "--disable-admission-plugins", "ServiceAccount,LimitRanger,Bogus",
            "--client-ca-file", str(tmp_path / "notca.pem")]
    p = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert 'enable-admission-plugins plugin "NoSuchPlugin" is unknown' in p.stderr
    assert 'disable-admission-plugins plugin "Bogus" is unknown' in p.stderr
    assert "[LimitRanger] in enable-admission-plugins and disable-admission-plugins overlapped" in p.stderr
    assert f"--client-ca-file {tmp_path / 'notca.pem'}: not a PEM certificate" in p.stderr


def test_default_admission_plugins_run(server):
    """Without the flags, ServiceAccount and DefaultTolerationSeconds run, as upstream's defaults."""
    code, pod = api(server, "POST", "/api/v1/namespaces/default/pods",
                    {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    assert code == 201, pod
    assert pod["spec"]["serviceAccountName"] == "default"
    assert {t["key"] for t in pod["spec"]["tolerations"]} == {"node.kubernetes.io/not-ready",
                                                             "node.kubernetes.io/unreachable"}
    code, pvc = api(server, "POST", "/api/v1/namespaces/default/persistentvolumeclaims",
                    {"metadata": {"name": "c"}, "spec": {"accessModes": ["ReadWriteOnce"],
                                                          "resources": {"requests": {"storage": "1Gi"}}}})
    assert code == 201 and pvc["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"], pvc
