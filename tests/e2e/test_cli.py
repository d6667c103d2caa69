"""The command line: help, version, flags from the file, the environment and the command line,
and validation that reports every problem before anything starts."""
import os
import signal
import subprocess

from conftest import KUBE_BIN, Server, free_port, wait_for


def run(*args, env=None, timeout=20):
    return subprocess.run([KUBE_BIN, *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})))


def test_help_and_version():
    p = run("--help")
    assert p.returncode == 0 and "server" in p.stdout and "version" in p.stdout
    p = run("version")
    assert p.returncode == 0
    for lib in ["libuv", "mbedTLS", "SQLite", "cJSON", "libyaml", "llhttp", "commit", "built"]:
        assert lib in p.stdout, lib
    p = run("server", "--help")
    assert p.returncode == 0
    for group in ["General", "Listener", "Networking", "Datastore"]:
        assert group in p.stdout
    for flag in ["--data-dir", "--bind-address", "--https-listen-port", "--write-kubeconfig",
                 "--write-kubeconfig-mode", "--tls-san", "--token", "--cluster-cidr", "--service-cidr",
                 "--cluster-dns", "--cluster-domain", "--node-name", "--disable-agent",
                 "--datastore-endpoint", "--config", "--debug", "--log"]:
        assert flag in p.stdout, flag
    assert "KUBE_DATA_DIR" in p.stdout
    p = run("nonsense")
    assert p.returncode != 0 and "unknown command" in p.stderr


def test_all_errors_reported_together(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("no-such-key: 1\ncluster-domain: cluster.local\n")
    ro = tmp_path / "ro"
    ro.mkdir()
    blocker = ro / "file"
    blocker.write_text("x")
    p = run("server", "--config", str(cfg), "--cluster-cidr", "10.42.0.0/33", "--service-cidr",
            "10.42.0.0/16", "--https-listen-port", "70000", "--data-dir", str(blocker),
            "--datastore-endpoint", "postgres://x")
    assert p.returncode != 0
    err = p.stderr
    assert "no-such-key" in err
    assert "--cluster-cidr" in err
    assert "--https-listen-port" in err
    assert "postgres://x" in err
    assert "--data-dir" in err or "no-such-key" in err  # data dir problems are checked after parsing
    p = run("server", "--cluster-cidr", "10.42.0.0/16", "--service-cidr", "10.42.128.0/17",
            "--data-dir", str(blocker), "--cluster-dns", "not-an-ip")
    assert p.returncode != 0
    assert "overlap" in p.stderr and "--data-dir" in p.stderr and "--cluster-dns" in p.stderr
    assert not os.path.exists(tmp_path / "data")


def test_precedence_file_env_flag(tmp_path):
    ports = [free_port() for _ in range(3)]
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"https-listen-port: {ports[0]}\ntls-san:\n  - kube.example.com\n")
    s = Server(tmp_path, ["--config", str(cfg)])
    s.args = [a for a in s.args]
    i = s.args.index("--https-listen-port")
    del s.args[i:i + 2]
    # file only
    s.port = ports[0]
    s.start()
    assert s.stop() == 0
    # env beats file
    s.env["KUBE_HTTPS_LISTEN_PORT"] = str(ports[1])
    s.port = ports[1]
    s.start()
    assert s.stop() == 0
    # flag beats env
    s.args += ["--https-listen-port", str(ports[2])]
    s.port = ports[2]
    s.start()
    # the SAN from the config file is in the serving certificate
    out = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                          os.path.join(s.data_dir, "server", "tls", "serving.crt")],
                         capture_output=True, text=True).stdout
    assert "kube.example.com" in out and "127.0.0.1" in out
    assert s.stop() == 0


def test_files_and_restart(make_server):
    s = make_server()
    tls = os.path.join(s.data_dir, "server", "tls")
    for name in ["server-ca.key", "serving.key", "client-admin.key"]:
        assert oct(os.stat(os.path.join(tls, name)).st_mode & 0o777) == "0o600", name
    assert oct(os.stat(s.kubeconfig).st_mode & 0o777) == "0o600"
    token = open(os.path.join(s.data_dir, "server", "token")).read().strip()
    assert token.startswith("K10") and "::server:" in token
    ca = open(os.path.join(tls, "server-ca.crt")).read()
    assert s.stop() == 0
    s.start()
    assert open(os.path.join(tls, "server-ca.crt")).read() == ca
    assert open(os.path.join(s.data_dir, "server", "token")).read().strip() == token


def test_sigint_and_sigterm_exit_zero(make_server):
    s = make_server()
    assert s.stop(signal.SIGINT) == 0
    s.start()
    assert s.stop(signal.SIGTERM) == 0


def test_one_server_per_data_dir(make_server):
    s = make_server()
    p = subprocess.run(s.args[:2] + ["--data-dir", s.data_dir, "--https-listen-port", str(free_port()),
                                     "--bind-address", "127.0.0.1", "--write-kubeconfig",
                                     str(s.dir / "other.yaml")],
                       capture_output=True, text=True, timeout=20)
    assert p.returncode != 0
    assert "in use by another kube server" in p.stderr
    assert s.ready()
