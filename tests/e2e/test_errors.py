"""Bad input gets a clear Kubernetes Status, nothing is written, and the server keeps serving."""
import json
import socket
import ssl
import time

from conftest import wait_for

CM_PATH = "/api/v1/namespaces/default/configmaps"


def status_of(body):
    s = json.loads(body)
    assert s["kind"] == "Status" and s["apiVersion"] == "v1" and s["status"] == "Failure"
    return s


def post(server, path, body, ctype="application/json", **kw):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return server.request("POST", path, data, {"Content-Type": ctype}, **kw)


def count_cms(server):
    code, _, body = server.request("GET", CM_PATH)
    assert code == 200
    return len(json.loads(body)["items"])


def test_unauthenticated(server):
    code, _, body = server.request("GET", CM_PATH, client_cert=False)
    assert code == 401
    s = status_of(body)
    assert s["reason"] == "Unauthorized" and s["code"] == 401
    for path in ["/healthz", "/livez", "/readyz", "/version", "/cacerts"]:
        code, _, body = server.request("GET", path, client_cert=False)
        assert code == 200, path
    assert b"BEGIN CERTIFICATE" in server.request("GET", "/cacerts", client_cert=False)[2]
    v = json.loads(server.request("GET", "/version", client_cert=False)[2])
    assert v["major"] == "1" and v["gitVersion"].startswith("v1.")


def test_status_codes(server):
    assert count_cms(server) == 0
    cases = [
        # malformed JSON
        (post(server, CM_PATH, b'{"metadata": {"name": "x"'), 400, "BadRequest"),
        # kind / apiVersion that do not match the URL
        (post(server, CM_PATH, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}}), 400, "BadRequest"),
        (post(server, CM_PATH, {"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "x"}}), 400, "BadRequest"),
        # invalid names and labels
        (post(server, CM_PATH, {"metadata": {"name": "Bad_Name"}}), 422, "Invalid"),
        (post(server, CM_PATH, {"metadata": {"name": "ok", "labels": {"a b": "c"}}}), 422, "Invalid"),
        (post(server, CM_PATH, {"metadata": {"name": "ok", "labels": {"a": "-bad-"}}}), 422, "Invalid"),
        (post(server, CM_PATH, {"metadata": {}}), 422, "Invalid"),
        # namespace mismatch
        (post(server, CM_PATH, {"metadata": {"name": "x", "namespace": "other"}}), 400, "BadRequest"),
        # unknown resource, unknown group, method not allowed
        (server.request("GET", "/api/v1/namespaces/default/nothings"), 404, "NotFound"),
        (server.request("GET", "/apis/nope.example.com/v1/things"), 404, "NotFound"),
        (server.request("PUT", CM_PATH, b"{}", {"Content-Type": "application/json"}), 405, "MethodNotAllowed"),
        # unsupported media type
        (post(server, CM_PATH, b"\x00\x01", ctype="application/octet-stream"), 415, "UnsupportedMediaType"),
        # a missing object
        (server.request("GET", CM_PATH + "/missing"), 404, "NotFound"),
        # bad selectors
        (server.request("GET", CM_PATH + "?labelSelector=a%20in%20"), 400, "BadRequest"),
        (server.request("GET", CM_PATH + "?fieldSelector=spec.nodeName%3Dx"), 400, "BadRequest"),
        (server.request("GET", CM_PATH + "?limit=abc"), 400, "BadRequest"),
        (server.request("GET", CM_PATH + "?watch=maybe"), 400, "BadRequest"),
    ]
    for (code, _, body), want_code, reason in cases:
        s = status_of(body)
        assert (code, s["code"], s["reason"]) == (want_code, want_code, reason), body
    s = status_of(post(server, CM_PATH, {"metadata": {"name": "Bad_Name"}})[2])
    assert s["details"]["causes"][0]["field"] == "metadata.name"
    assert s["details"]["kind"] == "ConfigMap"
    assert s["message"].startswith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"')
    assert count_cms(server) == 0


def test_body_and_url_limits(server):
    big = {"metadata": {"name": "big"}, "data": {"k": "x" * (3 * 1024 * 1024 + 10)}}
    code, _, body = post(server, CM_PATH, big)
    assert code == 413 and status_of(body)["reason"] == "RequestEntityTooLarge"
    code, _, body = server.request("GET", CM_PATH + "?labelSelector=" + "a" * 9000)
    assert code == 414
    assert count_cms(server) == 0
    # The server still serves after all of this.
    assert post(server, CM_PATH, {"metadata": {"name": "fine"}})[0] == 201


def raw_tls(server):
    ctx = server.ssl_context()
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return ctx.wrap_socket(s, server_hostname="127.0.0.1")


def test_headers_that_never_finish(server):
    conn = raw_tls(server)
    conn.sendall(b"GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n")
    start = time.monotonic()
    data = b""
    try:
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except (ssl.SSLError, ConnectionError, socket.timeout):
        pass
    assert time.monotonic() - start < 30
    assert data == b"" or data.startswith(b"HTTP/1.1 408")
    conn.close()
    assert count_cms(server) == 0


def test_garbage_and_many_connections(make_server):
    server = make_server(["--max-connections", "8"])
    # Garbage that is not HTTP.
    conn = raw_tls(server)
    conn.sendall(b"\x00\x01\x02 not http at all\r\n\r\n")
    data = conn.recv(4096)
    assert data.startswith(b"HTTP/1.1 400")
    conn.close()
    # More connections than the limit: the extra ones are closed, the others still work.
    held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(8)]
    time.sleep(0.2)
    extra = socket.create_connection(("127.0.0.1", server.port))
    extra.settimeout(5)
    assert extra.recv(1) == b""
    extra.close()
    for s in held:
        s.close()
    wait_for(lambda: server.request("GET", "/healthz")[0] == 200, what="server to serve again")


def test_forbidden_for_other_identities(server, tmp_path):
    """A valid client certificate of a user outside system:masters is authenticated but not
    authorized (there is no RBAC yet): 403 with upstream's message."""
    import subprocess
    tls = f"{server.data_dir}/server/tls"
    key, csr, crt = tmp_path / "alice.key", tmp_path / "alice.csr", tmp_path / "alice.crt"
    subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(key), "-out", str(csr), "-subj", "/O=devs/CN=alice"], check=True, capture_output=True)
    ext = tmp_path / "ext.cnf"
    ext.write_text("extendedKeyUsage=clientAuth\n")
    subprocess.run(["openssl", "x509", "-req", "-in", str(csr), "-CA", f"{tls}/server-ca.crt", "-CAkey",
                    f"{tls}/server-ca.key", "-CAcreateserial", "-out", str(crt), "-days", "1", "-extfile", str(ext)],
                   check=True, capture_output=True)
    ctx = ssl.create_default_context(cafile=server.ca_path)
    ctx.load_cert_chain(str(crt), str(key))
    import urllib.request
    req = urllib.request.Request(server.url + CM_PATH)
    try:
        urllib.request.urlopen(req, context=ctx, timeout=10)
        raise AssertionError("expected 403")
    except urllib.error.HTTPError as e:
        assert e.code == 403
        s = status_of(e.read())
        assert s["reason"] == "Forbidden"
        assert s["message"] == ('configmaps is forbidden: User "alice" cannot list resource "configmaps" '
                                'in API group "" in the namespace "default"')


def test_too_many_writes_in_flight(make_server):
    """Beyond --max-mutating-requests-inflight, writes get 429 with Retry-After, and succeed later."""
    import concurrent.futures
    server = make_server(["--max-mutating-requests-inflight", "1"])
    body = lambda i: json.dumps({"metadata": {"name": f"m{i}"}}).encode()
    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        results = list(ex.map(lambda i: post(server, CM_PATH, body(i)), range(64)))
    codes = [r[0] for r in results]
    assert set(codes) <= {201, 429} and 201 in codes and 429 in codes
    limited = [r for r in results if r[0] == 429]
    for code, headers, b in limited:
        s = status_of(b)
        assert s["reason"] == "TooManyRequests" and s["details"]["retryAfterSeconds"] == 1
        assert headers.get("Retry-After") == "1"
    assert count_cms(server) == codes.count(201)
