"""certificates.k8s.io CertificateSigningRequests: create, approve/deny with real kubectl, the
signer controller, v1beta1 as a view of the stored v1 kind, validation, impersonated
requesters, and the Python client.

Each CSR is a real PKCS#10 request made with Python's cryptography package; a signed
certificate must verify against the cluster CA and authenticate kubectl as the requested user.
"""
import base64
import datetime
import json
import os
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import api, api_get, wait_for

V1 = "/apis/certificates.k8s.io/v1/certificatesigningrequests"
V1BETA1 = "/apis/certificates.k8s.io/v1beta1/certificatesigningrequests"


def make_csr(cn, orgs=()):
    """A new EC key and a CSR for CN=cn, O=orgs: (csr PEM bytes, key PEM bytes)."""
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.NameAttribute(NameOID.COMMON_NAME, cn)] + [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    csr = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(names)).sign(key, hashes.SHA256())
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return csr.public_bytes(serialization.Encoding.PEM), key_pem


def csr_object(name, pem, signer="kubernetes.io/kube-apiserver-client", usages=("client auth",), **spec):
    body = {"apiVersion": "certificates.k8s.io/v1", "kind": "CertificateSigningRequest", "metadata": {"name": name},
            "spec": {"request": base64.b64encode(pem).decode(), "signerName": signer, "usages": list(usages), **spec}}
    return body


def certificate(server, name):
    return api_get(server, f"{V1}/{name}").get("status", {}).get("certificate")


def test_kubectl_approve_sign_and_use(server, kubectl, tmp_path):
    pem, key_pem = make_csr("alice", ["devs", "qa"])
    path = tmp_path / "csr.json"
    path.write_text(json.dumps(csr_object("alice", pem, expirationSeconds=3600)))
    kubectl("create", "-f", str(path))
    out = kubectl("get", "csr")
    header, row = out.splitlines()[0].split(), out.splitlines()[1].split()
    assert header == ["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION"]
    assert row[0] == "alice" and row[2] == "kubernetes.io/kube-apiserver-client" and row[4] == "60m" and row[5] == "Pending"
    spec = api_get(server, f"{V1}/alice")["spec"]
    assert spec["username"] == row[3] and "system:authenticated" in spec["groups"]
    kubectl("certificate", "approve", "alice")
    wait_for(lambda: certificate(server, "alice"), what="alice's certificate")
    assert kubectl("get", "csr", "alice", "--no-headers").split()[5] == "Approved,Issued"
    cert = x509.load_pem_x509_certificate(base64.b64decode(certificate(server, "alice")))
    (tmp_path / "alice.crt").write_bytes(base64.b64decode(certificate(server, "alice")))
    p = subprocess.run(["openssl", "verify", "-CAfile", server.ca_path, str(tmp_path / "alice.crt")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "alice"
    lifetime = cert.not_valid_after - datetime.datetime.utcnow()
    assert datetime.timedelta(minutes=50) < lifetime <= datetime.timedelta(minutes=61)
    (tmp_path / "alice.key").write_bytes(key_pem)
    p = subprocess.run([kubectl.bin, "--kubeconfig", os.devnull, "-s", server.url, "--certificate-authority",
                        server.ca_path, "--client-certificate", str(tmp_path / "alice.crt"), "--client-key",
                        str(tmp_path / "alice.key"), "--cache-dir", kubectl.cache, "auth", "whoami", "-o", "json"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    who = json.loads(p.stdout)
    assert who["status"]["userInfo"]["username"] == "alice"
    assert who["status"]["userInfo"]["groups"] == ["devs", "qa", "system:authenticated"]
    # alice may not impersonate anyone
    p = subprocess.run(p.args[:-4] + ["get", "pods", "--as", "bob"], capture_output=True, text=True, timeout=60)
    assert p.returncode != 0
    assert 'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope' in p.stderr


def test_kubectl_impersonation(server, kubectl):
    who = json.loads(kubectl("auth", "whoami", "-o", "json", "--as", "system:serviceaccount:default:builder"))
    assert who["status"]["userInfo"]["username"] == "system:serviceaccount:default:builder"
    assert who["status"]["userInfo"]["groups"] == ["system:serviceaccounts", "system:serviceaccounts:default",
                                                   "system:authenticated"]
    who = json.loads(kubectl("auth", "whoami", "-o", "json", "--as", "carol", "--as-group", "g2", "--as-group", "g1"))
    assert who["status"]["userInfo"]["username"] == "carol"
    assert who["status"]["userInfo"]["groups"] == ["g2", "g1", "system:authenticated"]
    p = kubectl.run("get", "pods", "--as-group", "g1", check=False)
    assert p.returncode != 0 and "without impersonating a user" in p.stderr


def test_kubectl_deny_is_never_signed(server, kubectl, tmp_path):
    for name in ("denied", "approved"):
        (tmp_path / f"{name}.json").write_text(json.dumps(csr_object(name, make_csr(name)[0])))
        kubectl("create", "-f", str(tmp_path / f"{name}.json"))
    kubectl("certificate", "deny", "denied")
    kubectl("certificate", "approve", "approved")
    wait_for(lambda: certificate(server, "approved"), what="the approved certificate")
    obj = api_get(server, f"{V1}/denied")
    assert [c["type"] for c in obj["status"]["conditions"]] == ["Denied"]
    assert "certificate" not in obj["status"]
    assert kubectl("get", "csr", "denied", "--no-headers").split()[5] == "Denied"
    # a denied request may not be approved as well
    obj["status"]["conditions"].append({"type": "Approved", "status": "True", "reason": "Late"})
    code, st = api(server, "PUT", f"{V1}/denied/approval", obj)
    assert code == 422, st
    assert "Approved and Denied conditions are mutually exclusive" in st["message"]


def test_signer_refuses_wrong_usages(server):
    code, _ = api(server, "POST", V1, csr_object("srv", make_csr("srv")[0], usages=["server auth"]))
    assert code == 201
    obj = api_get(server, f"{V1}/srv")
    obj["status"] = {"conditions": [{"type": "Approved", "status": "True", "reason": "Test"}]}
    code, st = api(server, "PUT", f"{V1}/srv/approval", obj)
    assert code == 200, st

    def failed():
        conds = api_get(server, f"{V1}/srv")["status"].get("conditions", [])
        return [c for c in conds if c["type"] == "Failed"]
    cond = wait_for(failed, what="the Failed condition")[0]
    assert cond["reason"] == "SignerValidationFailure"
    assert "certificate" not in api_get(server, f"{V1}/srv")["status"]


def test_v1beta1_view_and_impersonation(server):
    pem = make_csr("kube-admin")[0]
    body = {"apiVersion": "certificates.k8s.io/v1beta1", "kind": "CertificateSigningRequest",
            "metadata": {"name": "foo"}, "spec": {"request": base64.b64encode(pem).decode(), "username": "mallory"}}
    code, _, out = server.request("POST", V1BETA1, json.dumps(body).encode(),
                                  {"Content-Type": "application/json", "Impersonate-User": "user1",
                                   "Impersonate-Group": "system:masters"})
    assert code == 201, out
    beta = json.loads(out)
    assert beta["apiVersion"] == "certificates.k8s.io/v1beta1"
    assert beta["spec"]["signerName"] == "kubernetes.io/legacy-unknown"
    assert beta["spec"]["usages"] == ["digital signature", "key encipherment"]
    assert beta["spec"]["username"] == "user1" and beta["spec"]["groups"] == ["system:masters", "system:authenticated"]
    v1 = api_get(server, f"{V1}/foo")
    assert v1["apiVersion"] == "certificates.k8s.io/v1" and v1["spec"] == beta["spec"]
    # the spec never changes after create
    v1["spec"]["username"] = "eve"
    code, upd = api(server, "PUT", f"{V1}/foo", v1)
    assert code == 200 and upd["spec"]["username"] == "user1", upd
    items = api_get(server, V1BETA1)["items"]
    assert [i["metadata"]["name"] for i in items] == ["foo"]
    for base in (V1, V1BETA1):
        sel = api_get(server, base + "?fieldSelector=spec.signerName%3Dkubernetes.io%2Flegacy-unknown")["items"]
        assert [i["metadata"]["name"] for i in sel] == ["foo"]
        assert api_get(server, base + "?fieldSelector=spec.signerName%3Dexample.com%2Fx")["items"] == []


@pytest.mark.parametrize("change,field,message", [
    ({"request": base64.b64encode(b"not a pem").decode()}, "spec.request", "PEM block type must be CERTIFICATE REQUEST"),
    ({"signerName": "foo"}, "spec.signerName", "must be a fully qualified domain and path of the form 'example.com/signer-name'"),
    ({"signerName": ""}, "spec.signerName", "Required value"),
    ({"signerName": "kubernetes.io/legacy-unknown"}, "spec.signerName", "the legacy signerName is not allowed via this API version"),
    ({"usages": ["client auth", "flying"]}, "spec.usages[1]", 'Unsupported value: "flying"'),
    ({"usages": []}, "spec.usages", "Required value"),
    ({"expirationSeconds": 60}, "spec.expirationSeconds", "may not specify a duration less than 600 seconds (10 minutes)"),
])
def test_validation(server, change, field, message):
    body = csr_object("bad", make_csr("bad")[0])
    body["spec"].update(change)
    code, st = api(server, "POST", V1, body)
    assert code == 422, st
    causes = st["details"]["causes"]
    assert any(c["field"] == field and message in c["message"] for c in causes), causes


def test_python_client(server, client):
    from kubernetes import client as k8s
    certs = k8s.CertificatesV1Api(client)
    pem = make_csr("bob", ["ops"])[0]
    body = k8s.V1CertificateSigningRequest(
        metadata=k8s.V1ObjectMeta(name="bob"),
        spec=k8s.V1CertificateSigningRequestSpec(request=base64.b64encode(pem).decode(),
                                                 signer_name="kubernetes.io/kube-apiserver-client",
                                                 usages=["digital signature", "client auth"]))
    certs.create_certificate_signing_request(body)
    csr = certs.read_certificate_signing_request("bob")
    csr.status = k8s.V1CertificateSigningRequestStatus(
        conditions=[k8s.V1CertificateSigningRequestCondition(type="Approved", status="True", reason="PyTest")])
    certs.replace_certificate_signing_request_approval("bob", csr)
    wait_for(lambda: certs.read_certificate_signing_request("bob").status.certificate, what="bob's certificate")
    got = certs.list_certificate_signing_request().items
    assert [c.metadata.name for c in got] == ["bob"]
    assert [c.type for c in got[0].status.conditions] == ["Approved"]
    assert os.path.exists(server.ca_path)
