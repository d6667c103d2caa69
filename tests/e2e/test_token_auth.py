"""--token-auth-file: upstream's static token file (CSV token,user,uid,"group1,group2").

Bearer tokens from the file authenticate as their user and groups plus system:authenticated,
with real kubectl (the oldest and newest supported, given -s/--token and no kubeconfig, the
way upstream's test-cmd suite calls it) and the real Python client; a bad file stops start-up
with the file and line named.
"""
import json
import os
import subprocess

import pytest

from conftest import KUBECTL_DIR, KUBECTL_VERSIONS, Server

TOKENS = (
    'admin-token,admin,,"system:masters"\n'
    "\n"
    'jane-token,jane,uid-7,"dev,qa",extra column\r\n'
    '"quoted,token",bob,3\n'
)


@pytest.fixture
def token_server(tmp_path):
    path = tmp_path / "tokens.csv"
    path.write_text(TOKENS)
    s = Server(tmp_path, ["--token-auth-file", str(path)]).start()
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


def kubectl(version, server, tmp_path, token, *args):
    """kubectl with the server address and a token on the command line, no kubeconfig."""
    cmd = [os.path.join(KUBECTL_DIR, f"kubectl.{version}"), "-s", server.url, "--insecure-skip-tls-verify",
           "--token", token, "--cache-dir", str(tmp_path / f"cache-{version}"), *args]
    env = dict(os.environ, HOME=str(tmp_path), KUBECONFIG="")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("version", KUBECTL_VERSIONS)
def test_kubectl_token(token_server, tmp_path, version):
    p = kubectl(version, token_server, tmp_path, "admin-token", "create", "namespace", "tok-ns")
    assert p.returncode == 0, p.stderr
    p = kubectl(version, token_server, tmp_path, "admin-token", "get", "namespaces", "-o", "name")
    assert p.returncode == 0 and "namespace/tok-ns" in p.stdout, p.stderr
    p = kubectl(version, token_server, tmp_path, "admin-token", "auth", "can-i", "create", "pods")
    assert p.stdout.strip() == "yes", (p.stdout, p.stderr)
    # jane is authenticated (dev, qa, system:authenticated) but not authorized
    p = kubectl(version, token_server, tmp_path, "jane-token", "get", "pods", "-n", "tok-ns")
    assert p.returncode != 0
    assert 'User "jane" cannot list resource "pods"' in p.stderr, p.stderr
    p = kubectl(version, token_server, tmp_path, "jane-token", "auth", "can-i", "list", "pods")
    assert p.stdout.strip() == "no", (p.stdout, p.stderr)
    # a quoted token with a comma in it
    p = kubectl(version, token_server, tmp_path, "quoted,token", "get", "pods")
    assert 'User "bob" cannot list' in p.stderr, p.stderr
    # unknown tokens and a prefix of a known one are not authenticated
    for bad in ("nope", "admin-toke", "admin-token2"):
        p = kubectl(version, token_server, tmp_path, bad, "get", "pods")
        assert p.returncode != 0 and "Unauthorized" in p.stderr, p.stderr


def test_whoami_groups(token_server, tmp_path):
    """The groups the file gives, plus system:authenticated (SelfSubjectReview, kubectl 1.33)."""
    newest = KUBECTL_VERSIONS[-1]
    p = kubectl(newest, token_server, tmp_path, "jane-token", "auth", "whoami", "-o", "json")
    assert p.returncode == 0, p.stderr
    info = json.loads(p.stdout)["status"]["userInfo"]
    assert info["username"] == "jane"
    assert info["groups"] == ["dev", "qa", "system:authenticated"]


def test_python_client_token(token_server):
    from kubernetes import client as k8s_client
    cfg = k8s_client.Configuration()
    cfg.host = token_server.url
    cfg.ssl_ca_cert = token_server.ca_path
    cfg.api_key = {"authorization": "admin-token"}
    cfg.api_key_prefix = {"authorization": "Bearer"}
    with k8s_client.ApiClient(cfg) as api:
        v1 = k8s_client.CoreV1Api(api)
        names = [n.metadata.name for n in v1.list_namespace().items]
        assert "default" in names
        cfg.api_key = {"authorization": "jane-token"}
        with pytest.raises(k8s_client.exceptions.ApiException) as e:
            v1.list_namespace()
        assert e.value.status == 403
        cfg.api_key = {"authorization": "wrong"}
        with pytest.raises(k8s_client.exceptions.ApiException) as e:
            v1.list_namespace()
        assert e.value.status == 401


@pytest.mark.parametrize("content,message", [
    ('ok,user,1\nonly-two,columns\n', ":2: a line must have at least 3 columns (token, user name, user uid), found 2"),
    ('a,b"c,1\n', ':1: bare " in a field that is not quoted'),
    ('a,"b,1\n', ':1: extraneous or missing " in a quoted field'),
])
def test_bad_file_fails_startup(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    s = Server(tmp_path, ["--token-auth-file", str(path)])
    p = subprocess.run(s.args, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert f"--token-auth-file {path}{message}" in p.stderr, p.stderr


def test_missing_file_fails_startup(tmp_path):
    path = tmp_path / "missing.csv"
    s = Server(tmp_path, ["--token-auth-file", str(path)])
    p = subprocess.run(s.args, capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert f"--token-auth-file: cannot read {path}: No such file or directory" in p.stderr, p.stderr
