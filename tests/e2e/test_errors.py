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
    # kube-root-ca.crt is the root CA publisher's, in every namespace as upstream
    return len([i for i in json.loads(body)["items"] if i["metadata"]["name"] != "kube-root-ca.crt"])


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
    # More connections than the limit: the extra ones are closed, the others still work.
    # (Connections from the readiness probe may still count for a moment: a held connection the
    # server closed is replaced until all 8 stay open.)
    held = []

    def fill():
        for s in list(held):
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    held.remove(s)
                    s.close()
            except BlockingIOError:
                pass
        while len(held) < 8:
            held.append(socket.create_connection(("127.0.0.1", server.port)))
        time.sleep(0.1)
        return all(alive(s) for s in held)

    def alive(s):
        s.setblocking(False)
        try:
            return s.recv(1) != b""
        except BlockingIOError:
            return True

    wait_for(fill, timeout=10, what="8 connections held open")
    extra = socket.create_connection(("127.0.0.1", server.port))
    extra.settimeout(5)
    assert extra.recv(1) == b""
    extra.close()
    for s in held:
        s.close()
    wait_for(lambda: server.request("GET", "/healthz")[0] == 200, what="server to serve again")
    # Garbage that is not HTTP gets a 400 and the connection is closed.
    conn = raw_tls(server)
    conn.sendall(b"\x00\x01\x02 not http at all\r\n\r\n")
    data = conn.recv(4096)
    assert data.startswith(b"HTTP/1.1 400")
    conn.close()
