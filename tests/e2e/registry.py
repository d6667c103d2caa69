"""Helpers for the image tests: the test image (images/build.sh) and a real docker-registry on a
free loopback port with a temp root directory, optionally with basic auth (htpasswd, bcrypt
via the crypt module) or token auth (a small token server in this process signing ES256 JWTs
with a throw-away certificate the registry trusts).

    img = build_test_image(tmp_dir)          # paths and facts of images/build.sh's output
    reg = Registry(tmp_dir, auth="token")    # .start(), .push(src, "repo:tag"), .stop()
"""
import base64
import datetime
import http.server
import json
import os
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import warnings

from conftest import free_port, wait_for

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def build_test_image(out):
    """Runs images/build.sh into out; returns a dict with the paths and image.env's values."""
    subprocess.run(["sh", os.path.join(ROOT, "images", "build.sh"), str(out)], check=True,
                   stdout=subprocess.DEVNULL, timeout=300)
    facts = {"dir": str(out), "oci": os.path.join(str(out), "oci"),
             "oci_tar": os.path.join(str(out), "kube-test.oci.tar"),
             "docker_tar": os.path.join(str(out), "kube-test.docker.tar")}
    with open(os.path.join(str(out), "image.env")) as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.strip().split("=", 1)
                facts[k] = v
    return facts


def _b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class _TokenIssuer:
    """An ES256 key and a self-signed certificate; issues registry JWTs."""

    def __init__(self, dir_, service):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
        self.service = service
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-test-token")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(self.key, hashes.SHA256()))
        self.cert_der = cert.public_bytes(serialization.Encoding.DER)
        self.cert_path = os.path.join(str(dir_), "token.crt")
        with open(self.cert_path, "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))

    def token(self, scope, subject):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
        access = []
        for s in (scope or "").split():
            parts = s.split(":")
            if len(parts) >= 3:
                access.append({"type": parts[0], "name": ":".join(parts[1:-1]),
                               "actions": parts[-1].split(",")})
        now = int(time.time())
        header = {"typ": "JWT", "alg": "ES256", "x5c": [base64.b64encode(self.cert_der).decode()]}
        claims = {"iss": "kube-test-issuer", "sub": subject, "aud": self.service, "exp": now + 600,
                  "nbf": now - 60, "iat": now, "jti": os.urandom(8).hex(), "access": access}
        signing = _b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(claims).encode())
        der = self.key.sign(signing.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return signing + "." + _b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


class Registry:
    """A docker-registry (distribution 2.x) on 127.0.0.1:<free port>.

    auth: None, "basic" (user/password below) or "token" (anonymous pulls get a token; the
    token server counts its requests in token_requests)."""

    USER, PASSWORD = "kube", "s3cret"

    def __init__(self, tmp_path, auth=None):
        self.dir = str(tmp_path)
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.auth = auth
        self.proc = None
        self.token_requests = 0
        self.token_server = None

    def _auth_config(self):
        if self.auth == "basic":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                import crypt  # bcrypt for htpasswd; deprecated in 3.11, still there
            h = crypt.crypt(self.PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))
            path = os.path.join(self.dir, "htpasswd")
            with open(path, "w") as f:
                f.write(f"{self.USER}:{h}\n")
            return f"auth:\n  htpasswd:\n    realm: kube-test\n    path: {path}\n"
        if self.auth == "token":
            issuer = _TokenIssuer(self.dir, "kube-test-registry")
            self._start_token_server(issuer)
            return ("auth:\n  token:\n"
                    f"    realm: http://127.0.0.1:{self.token_port}/token\n"
                    "    service: kube-test-registry\n    issuer: kube-test-issuer\n"
                    f"    rootcertbundle: {issuer.cert_path}\n")
        return ""

    def _start_token_server(self, issuer):
        reg = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                reg.token_requests += 1
                tok = issuer.token(" ".join(q.get("scope", [])), "anonymous")
                body = json.dumps({"token": tok, "expires_in": 600}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.token_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.token_port = self.token_server.server_address[1]
        threading.Thread(target=self.token_server.serve_forever, daemon=True).start()

    def start(self):
        cfg = os.path.join(self.dir, "registry.yml")
        with open(cfg, "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\n"
                    f"storage:\n  filesystem:\n    rootdirectory: {self.dir}/data\n"
                    "  delete:\n    enabled: true\n"
                    f"http:\n  addr: {self.host}\n" + self._auth_config())
        self.log = open(os.path.join(self.dir, "registry.log"), "w")
        self.proc = subprocess.Popen(["docker-registry", "serve", cfg], stdout=self.log, stderr=self.log)

        def up():
            try:
                urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1)
                return True
            except urllib.error.HTTPError:
                return True  # 401: up, with auth
        wait_for(up, timeout=20, what="docker-registry")
        return self

    def push(self, src, dest, all_=False, docker_format=False):
        """skopeo copy src (e.g. "oci:DIR:latest") to docker://HOST/dest (docker_format: as Docker
        schema 2 media types)."""
        args = ["skopeo", "--insecure-policy", "copy", "-q", "--dest-tls-verify=false"]
        if docker_format:
            args.append("--format=v2s2")
        if self.auth == "basic":
            args.append(f"--dest-creds={self.USER}:{self.PASSWORD}")
        if all_:
            args.append("--all")
        subprocess.run(args + [src, f"docker://{self.host}/{dest}"], check=True, timeout=120)

    def blob_gets(self, digest):
        """How many GET requests for this blob the access log shows so far."""
        self.log.flush()
        with open(os.path.join(self.dir, "registry.log")) as f:
            return sum(1 for line in f if f"GET /v2/" in line and f"/blobs/{digest} " in line)

    def blob_path(self, digest):
        hexd = digest.split(":", 1)[1]
        return os.path.join(self.dir, "data", "docker", "registry", "v2", "blobs", "sha256", hexd[:2], hexd, "data")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
            self.log.close()
        if self.token_server:
            self.token_server.shutdown()
            self.token_server.server_close()
            self.token_server = None
