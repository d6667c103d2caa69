"""End-to-end tests of the image store: `kube images import/list/rm/inspect` with the test
image's oci-archive and docker-archive, and pulls (hidden `kube images pull`) from a real
docker-registry on loopback: index resolution, digests, a mirror from registries.yaml with a
dead first endpoint, a corrupted blob, basic auth (secret and registries.yaml) and the
anonymous token flow; the overlay root filesystem (`kube images mount/unmount`, hidden).

Every test works in its own data directory under tmp_path; the registries are shared by the
module. Nothing is left on the host: the overlay mounts are checked and undone at the end.
"""
import http.server
import json
import os
import subprocess
import threading

import pytest

from conftest import KUBE_BIN, free_port
from registry import Registry, build_test_image

REPO = "test/kube-test"


def kube(*args, data_dir, check=True, timeout=120):
    p = subprocess.run([KUBE_BIN, "images", *args, "--data-dir", str(data_dir)], capture_output=True,
                       text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"kube images {' '.join(args)}: {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def inspect(ref, data_dir):
    return json.loads(kube("inspect", ref, data_dir=data_dir).stdout)


def store_dirs(data_dir):
    root = os.path.join(str(data_dir), "agent", "images")
    layers = os.listdir(os.path.join(root, "layers")) if os.path.isdir(os.path.join(root, "layers")) else []
    tmp = os.listdir(os.path.join(root, "tmp")) if os.path.isdir(os.path.join(root, "tmp")) else []
    return layers, tmp


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    return build_test_image(tmp_path_factory.mktemp("image"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory, image):
    reg = Registry(tmp_path_factory.mktemp("registry")).start()
    try:
        reg.push(f"oci:{image['oci']}:latest", f"{REPO}:latest")
        reg.push(f"oci:{image['oci']}:multi", f"{REPO}:multi", all_=True)
        reg.push(f"oci:{image['oci']}:latest", f"{REPO}:docker", docker_format=True)
        yield reg
    finally:
        reg.stop()


@pytest.fixture
def data_dir(tmp_path):
    d = tmp_path / "data"
    yield d
    # No overlay mount of this test may be left.
    with open("/proc/self/mountinfo") as f:
        left = [line.split()[4] for line in f if str(tmp_path) in line]
    for m in left:
        subprocess.run(["umount", "-l", m], check=False)
    assert not left, f"mounts left: {left}"


def test_import_list_rm(image, data_dir):
    out = kube("import", image["oci_tar"], data_dir=data_dir).stdout
    assert image["KUBE_TEST_IMAGE_ID"] in out
    kube("import", image["docker_tar"], data_dir=data_dir)
    lines = kube("list", data_dir=data_dir).stdout.splitlines()
    assert lines[0].split() == ["IMAGE", "TAG", "IMAGE", "ID", "SIZE"]
    row = [line.split() for line in lines[1:] if line.startswith("docker.io/library/kube-test")]
    assert row and row[0][1] == "latest" and image["KUBE_TEST_IMAGE_ID"][7:20] == row[0][2]
    rec = inspect("kube-test", data_dir)
    assert rec["id"] == image["KUBE_TEST_IMAGE_ID"]
    assert rec["config"]["Cmd"] == ["/bin/serve"]
    assert rec["repoDigests"] == [f"docker.io/library/kube-test@{image['KUBE_TEST_IMAGE_MANIFEST']}"]
    assert len(rec["layers"]) == 3 and all(os.path.isdir(d) for d in rec["layers"])
    assert os.path.isfile(os.path.join(rec["layers"][0], "bin", "busybox"))
    # By id prefix and quietly.
    assert kube("list", "-q", data_dir=data_dir).stdout.split() == [image["KUBE_TEST_IMAGE_ID"]]
    inspect(image["KUBE_TEST_IMAGE_ID"][7:19], data_dir)
    kube("rm", "docker.io/library/kube-test:latest", data_dir=data_dir)
    assert kube("list", "-q", data_dir=data_dir).stdout.split() == []
    assert store_dirs(data_dir) == ([], [])
    p = kube("rm", "kube-test", data_dir=data_dir, check=False)
    assert p.returncode != 0 and "no such image" in p.stderr


def test_import_layout_and_index(image, data_dir):
    kube("import", image["oci"], data_dir=data_dir)
    ids = set(kube("list", "-q", data_dir=data_dir).stdout.split())
    # "latest" and "multi" (resolved to this architecture) are one image; "other" is the fake.
    assert ids == {image["KUBE_TEST_IMAGE_ID"], image["KUBE_TEST_IMAGE_OTHER_ID"]}


def test_import_bad_archive(tmp_path, data_dir):
    bad = tmp_path / "bad.tar"
    bad.write_bytes(b"not a tarball at all" * 100)
    p = kube("import", str(bad), data_dir=data_dir, check=False)
    assert p.returncode == 1 and p.stderr.strip()
    assert store_dirs(data_dir) == ([], [])


def test_pull_index_and_digest(image, registry, data_dir):
    ref = f"{registry.host}/{REPO}:multi"
    kube("pull", ref, data_dir=data_dir)
    rec = inspect(ref, data_dir)
    assert rec["id"] == image["KUBE_TEST_IMAGE_ID"]
    assert rec["architecture"] == image["KUBE_TEST_IMAGE_ARCH"]
    assert rec["repoTags"] == [ref]
    # The repo digest is the index's; pulling by it is the same image.
    digest = rec["repoDigests"][0].split("@")[1]
    kube("pull", f"{registry.host}/{REPO}@{digest}", data_dir=data_dir)
    kube("pull", f"{registry.host}/{REPO}@{image['KUBE_TEST_IMAGE_MANIFEST']}", data_dir=data_dir)
    assert kube("list", "-q", data_dir=data_dir).stdout.split() == [image["KUBE_TEST_IMAGE_ID"]]
    # Whiteouts as overlayfs wants them.
    layers = rec["layers"]
    st = os.lstat(os.path.join(layers[1], "etc", "motd-old"))
    assert (st.st_mode & 0o170000) == 0o020000 and st.st_rdev == 0
    assert os.getxattr(os.path.join(layers[2], "opt"), "trusted.overlay.opaque") == b"y"
    assert store_dirs(data_dir)[1] == []


def test_pull_docker_schema2(image, registry, data_dir):
    ref = f"{registry.host}/{REPO}:docker"
    kube("pull", ref, data_dir=data_dir)
    rec = inspect(ref, data_dir)
    assert rec["config"]["Cmd"] == ["/bin/serve"]
    assert len(rec["layers"]) == 3
    assert os.path.isfile(os.path.join(rec["layers"][0], "bin", "busybox"))


def test_pull_errors(registry, data_dir):
    p = kube("pull", f"{registry.host}/{REPO}:nope", data_dir=data_dir, check=False)
    assert p.returncode == 1 and "not found" in p.stderr
    p = kube("pull", f"{registry.host}/no/such:latest", data_dir=data_dir, check=False)
    assert p.returncode == 1 and "not found" in p.stderr
    port = free_port()
    p = kube("pull", f"127.0.0.1:{port}/x:latest", data_dir=data_dir, check=False)
    assert p.returncode == 1 and "failed to do request" in p.stderr
    p = kube("pull", "Bad//Ref", data_dir=data_dir, check=False)
    assert p.returncode == 1
    assert store_dirs(data_dir) == ([], [])


def test_pull_concurrent(image, registry, data_dir):
    ref = f"{registry.host}/{REPO}:latest"
    procs = [subprocess.Popen([KUBE_BIN, "images", "pull", ref, "--data-dir", str(data_dir)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert kube("list", "-q", data_dir=data_dir).stdout.split() == [image["KUBE_TEST_IMAGE_ID"]]
    layers, tmp = store_dirs(data_dir)
    assert len(layers) == 3 and tmp == []


def test_pull_joined(image, registry, data_dir):
    """Pulls of one reference in one process share one transfer."""
    man = json.load(open(os.path.join(image["oci"], "blobs", "sha256", image["KUBE_TEST_IMAGE_MANIFEST"][7:])))
    digests = [layer["digest"] for layer in man["layers"]]
    before = [registry.blob_gets(d) for d in digests]
    ref = f"{registry.host}/{REPO}:latest"
    out = kube("pull", ref, ref, f"{registry.host}/{REPO}:latest", data_dir=data_dir).stdout
    assert out.count(image["KUBE_TEST_IMAGE_ID"]) == 3
    assert [registry.blob_gets(d) - b for d, b in zip(digests, before)] == [1] * len(digests)


def test_mirror(image, registry, tmp_path, data_dir):
    dead = free_port()
    cfg = tmp_path / "registries.yaml"
    cfg.write_text("mirrors:\n  docker.io:\n    endpoint:\n"
                   f"      - \"http://127.0.0.1:{dead}\"\n      - \"http://{registry.host}\"\n"
                   "    rewrite:\n      \"^library/(.*)$\": \"test/$1\"\n")
    kube("pull", "kube-test:multi", "--registries-config", str(cfg), data_dir=data_dir)
    rec = inspect("kube-test:multi", data_dir)
    assert rec["id"] == image["KUBE_TEST_IMAGE_ID"]
    assert rec["repoTags"] == ["docker.io/library/kube-test:multi"]


def test_redirects(image, registry, tmp_path, data_dir):
    """A mirror that redirects every request (as registries send blobs to storage)."""
    hits = []

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            hits.append(self.path)
            self.send_response(307)
            self.send_header("Location", f"http://{registry.host}{self.path}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        cfg = tmp_path / "registries.yaml"
        cfg.write_text(f"mirrors:\n  \"{REPO.split('/')[0]}.example\":\n    endpoint:\n"
                       f"      - \"http://127.0.0.1:{srv.server_address[1]}\"\n"
                       f"    rewrite:\n      \"^(.*)$\": \"{REPO}\"\n")
        kube("pull", f"{REPO.split('/')[0]}.example/any:latest", "--registries-config", str(cfg),
             data_dir=data_dir)
        assert inspect(f"{REPO.split('/')[0]}.example/any:latest", data_dir)["id"] == image["KUBE_TEST_IMAGE_ID"]
        assert any("/blobs/" in h for h in hits) and any("/manifests/" in h for h in hits)
    finally:
        srv.shutdown()
        srv.server_close()


def test_corrupt_blob(image, tmp_path_factory, data_dir):
    reg = Registry(tmp_path_factory.mktemp("corrupt")).start()
    try:
        reg.push(f"oci:{image['oci']}:latest", f"{REPO}:latest")
        man = json.load(open(os.path.join(image["oci"], "blobs", "sha256", image["KUBE_TEST_IMAGE_MANIFEST"][7:])))
        path = reg.blob_path(man["layers"][0]["digest"])
        data = bytearray(open(path, "rb").read())
        data[len(data) // 2] ^= 0xFF
        open(path, "wb").write(bytes(data))
        p = kube("pull", f"{reg.host}/{REPO}:latest", data_dir=data_dir, check=False)
        assert p.returncode == 1 and "unexpected commit digest" in p.stderr, p.stderr
        assert kube("list", "-q", data_dir=data_dir).stdout.split() == []
        layers, tmp = store_dirs(data_dir)
        assert tmp == []
    finally:
        reg.stop()


def test_basic_auth(image, tmp_path_factory, tmp_path, data_dir):
    reg = Registry(tmp_path_factory.mktemp("basic"), auth="basic").start()
    try:
        reg.push(f"oci:{image['oci']}:latest", f"{REPO}:latest")
        ref = f"{reg.host}/{REPO}:latest"
        p = kube("pull", ref, data_dir=data_dir, check=False)
        assert p.returncode == 1 and "401" in p.stderr, p.stderr
        p = kube("pull", ref, "--creds", "kube:wrong", data_dir=data_dir, check=False)
        assert p.returncode == 1 and "401" in p.stderr, p.stderr
        kube("pull", ref, "--creds", f"{reg.USER}:{reg.PASSWORD}", data_dir=data_dir)
        kube("rm", ref, data_dir=data_dir)
        cfg = tmp_path / "registries.yaml"
        cfg.write_text(f"configs:\n  \"{reg.host}\":\n    auth:\n      username: {reg.USER}\n"
                       f"      password: {reg.PASSWORD}\n")
        kube("pull", ref, "--registries-config", str(cfg), data_dir=data_dir)
        assert inspect(ref, data_dir)["id"] == image["KUBE_TEST_IMAGE_ID"]
    finally:
        reg.stop()


def test_token_auth(image, tmp_path_factory, data_dir):
    reg = Registry(tmp_path_factory.mktemp("token"), auth="token").start()
    try:
        reg.push(f"oci:{image['oci']}:latest", f"{REPO}:latest")
        before = reg.token_requests
        ref = f"{reg.host}/{REPO}:latest"
        kube("pull", ref, data_dir=data_dir)
        assert reg.token_requests > before
        assert inspect(ref, data_dir)["id"] == image["KUBE_TEST_IMAGE_ID"]
    finally:
        reg.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="overlay mounts need root")
def test_rootfs_mount(image, tmp_path, data_dir):
    kube("import", image["oci_tar"], data_dir=data_dir)
    ctr = tmp_path / "ctr"
    ctr.mkdir()
    kube("mount", "kube-test", str(ctr), data_dir=data_dir)
    try:
        root = ctr / "rootfs"
        assert (root / "bin" / "busybox").is_file()
        assert (root / "www" / "index.html").read_text() == "kube test image\n"
        assert not os.path.lexists(root / "etc" / "motd-old")  # whited out by layer 2
        assert os.listdir(root / "opt") == ["new.txt"]         # opaque in layer 3
        (root / "tmp" / "written").write_text("x")
        assert (ctr / "upper" / "tmp" / "written").exists()
        # The image cannot go while a rootfs uses its layers: its layers stay.
        kube("rm", "kube-test", data_dir=data_dir)
        assert (root / "bin" / "busybox").is_file()
        assert len(store_dirs(data_dir)[0]) == 3
    finally:
        kube("unmount", str(ctr), data_dir=data_dir)
    assert not os.path.exists(ctr / "rootfs") and not os.path.exists(ctr / "upper")
    # Garbage collection at the next change: import then remove again.
    kube("import", image["docker_tar"], data_dir=data_dir)
    kube("rm", "kube-test", data_dir=data_dir)
    assert store_dirs(data_dir) == ([], [])
