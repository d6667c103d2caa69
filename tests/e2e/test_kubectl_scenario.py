"""A kubectl session covering the commands of research/kubectl-wire.md §3 that need no running
container, with the oldest and the newest supported kubectl: what they print and their exit
statuses are compared with what upstream prints."""
import json
import os
import subprocess

from conftest import wait_for

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
      - name: side
        image: busybox:1.36
"""


def lines(out):
    return [l for l in out.splitlines() if l.strip()]


def test_create_apply_edit_patch(kubectl, tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text(DEPLOY)
    assert kubectl("apply", "-f", str(f)).strip() == "deployment.apps/web created"
    # Re-apply with a changed image, a removed env var and a removed container.
    f.write_text(DEPLOY.replace("nginx:1.25", "nginx:1.26").replace(', {name: B, value: "2"}', "")
                 .replace("      - name: side\n        image: busybox:1.36\n", ""))
    assert kubectl("apply", "-f", str(f)).strip() == "deployment.apps/web configured"
    assert kubectl("apply", "-f", str(f)).strip() == "deployment.apps/web unchanged"
    c = json.loads(kubectl("get", "deploy", "web", "-o", "json"))["spec"]["template"]["spec"]["containers"]
    assert [x["name"] for x in c] == ["web"] and c[0]["image"] == "nginx:1.26"
    assert c[0]["env"] == [{"name": "A", "value": "1"}]
    assert kubectl("set", "image", "deploy/web", "web=nginx:1.27").strip() == "deployment.apps/web image updated"
    assert kubectl("set", "env", "deploy/web", "C=3").strip() == "deployment.apps/web env updated"
    assert kubectl("set", "resources", "deploy/web", "-c=web", "--limits=cpu=200m,memory=64Mi").strip() == \
        "deployment.apps/web resource requirements updated"
    assert kubectl("rollout", "restart", "deploy/web").strip() == "deployment.apps/web restarted"
    d = json.loads(kubectl("get", "deploy", "web", "-o", "json"))
    c = d["spec"]["template"]["spec"]["containers"][0]
    assert c["image"] == "nginx:1.27" and {"name": "C", "value": "3"} in c["env"]
    assert c["resources"]["limits"] == {"cpu": "200m", "memory": "64Mi"}
    assert "kubectl.kubernetes.io/restartedAt" in d["spec"]["template"]["metadata"]["annotations"]
    # The three patch types.
    assert kubectl("patch", "deploy", "web", "-p", '{"spec":{"replicas":3}}').strip() == "deployment.apps/web patched"
    assert kubectl("patch", "deploy", "web", "--type=merge", "-p", '{"spec":{"replicas":3}}').strip() == \
        "deployment.apps/web patched (no change)"
    assert kubectl("patch", "deploy", "web", "--type=json", "-p",
                   '[{"op":"replace","path":"/spec/replicas","value":5}]').strip() == "deployment.apps/web patched"
    p = kubectl.run("patch", "deploy", "web", "--type=json", "-p", '[{"op":"test","path":"/spec/replicas","value":9}]',
                    check=False)
    assert p.returncode == 1 and "The request is invalid" in p.stderr
    # edit, with an editor that changes the replica count.
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/^  replicas: 5$/  replicas: 7/' \"$1\"\n")
    editor.chmod(0o755)
    env = dict(os.environ, KUBE_EDITOR=str(editor))
    p = subprocess.run([kubectl.bin, "--kubeconfig", kubectl.server.kubeconfig, "--cache-dir", kubectl.cache,
                        "edit", "deploy", "web"], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "deployment.apps/web edited"
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}") == "7"
    assert kubectl("scale", "deploy", "web", "--replicas=2").strip() == "deployment.apps/web scaled"
    d = json.loads(kubectl("get", "deploy", "web", "-o", "json"))
    assert d["spec"]["replicas"] == 2 and d["metadata"]["generation"] >= 8


def test_generators_run_expose(kubectl, tmp_path):
    assert kubectl("create", "deployment", "d2", "--image=nginx", "--replicas=2").strip() == "deployment.apps/d2 created"
    assert kubectl("create", "configmap", "c2", "--from-literal=a=b").strip() == "configmap/c2 created"
    assert kubectl("create", "secret", "generic", "s2", "--from-literal=p=q").strip() == "secret/s2 created"
    assert kubectl("create", "namespace", "n2").strip() == "namespace/n2 created"
    assert kubectl("create", "serviceaccount", "sa2").strip() == "serviceaccount/sa2 created"
    assert kubectl("create", "service", "clusterip", "svc2", "--tcp=80:8080").strip() == "service/svc2 created"
    assert kubectl("create", "job", "j2", "--image=busybox").strip() == "job.batch/j2 created"
    assert kubectl("create", "cronjob", "cj2", "--image=busybox", "--schedule=*/5 * * * *").strip() == \
        "cronjob.batch/cj2 created"
    assert kubectl("run", "p3", "--image=busybox", "--restart=Never").strip() == "pod/p3 created"
    assert kubectl("expose", "deploy", "d2", "--port=80").strip() == "service/d2 exposed"
    s = json.loads(kubectl("get", "svc", "d2", "-o", "json"))
    assert s["spec"]["selector"] == {"app": "d2"} and s["spec"]["clusterIP"].startswith("10.43.")
    assert json.loads(kubectl("get", "secret", "s2", "-o", "json"))["data"] == {"p": "cQ=="}
    pod = json.loads(kubectl("get", "pod", "p3", "-o", "json"))
    assert pod["spec"]["restartPolicy"] == "Never" and pod["spec"]["serviceAccountName"] == "default"
    assert pod["status"]["phase"] == "Pending"
    out = lines(kubectl("get", "pods"))
    assert out[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    # the other pods are the Deployment's and the Job's, made by their controllers
    assert [r.split()[:4] for r in out[1:] if r.startswith("p3 ")] == [["p3", "0/1", "Pending", "0"]]
    assert kubectl("auth", "can-i", "create", "pods").strip() == "yes"
    assert "system:admin" in kubectl("auth", "whoami")
    import re
    out = re.sub(r"\x1b\[[0-9;]*m", "", kubectl("cluster-info"))
    assert "Kubernetes control plane is running at https://127.0.0.1:" in out


def test_describe_cordon_delete_wait(kubectl, tmp_path):
    node = tmp_path / "node.yaml"
    node.write_text("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n  labels: {kubernetes.io/hostname: n1}\n")
    kubectl("create", "-f", str(node))
    assert kubectl("cordon", "n1").strip() == "node/n1 cordoned"
    assert json.loads(kubectl("get", "node", "n1", "-o", "json"))["spec"]["unschedulable"] is True
    assert "SchedulingDisabled" in kubectl("get", "nodes")
    assert kubectl("uncordon", "n1").strip() == "node/n1 uncordoned"
    kubectl("create", "configmap", "dc", "--from-literal=a=b")
    out = kubectl("describe", "configmap", "dc")
    assert "Name:" in out and "dc" in out and "Data" in out
    uid = json.loads(kubectl("get", "cm", "dc", "-o", "json"))["metadata"]["uid"]
    ev = tmp_path / "ev.yaml"
    ev.write_text("apiVersion: v1\nkind: Event\nmetadata:\n  name: dc.1\ninvolvedObject:\n  kind: ConfigMap\n"
                  f"  name: dc\n  namespace: default\n  uid: {uid}\nreason: Tested\nmessage: something happened\n"
                  "type: Normal\n")
    kubectl("create", "-f", str(ev))
    out = kubectl("describe", "configmap", "dc")
    assert "Tested" in out and "something happened" in out
    assert kubectl("delete", "configmap", "dc").strip() == 'configmap "dc" deleted'
    kubectl("create", "configmap", "w1", "--from-literal=a=b")
    kubectl("delete", "configmap", "w1", "--wait=false")
    p = kubectl.run("wait", "--for=delete", "configmap/w1", "--timeout=10s", check=False)
    assert p.returncode in (0, 1)  # already gone: kubectl 1.27 prints an error, 1.33 succeeds
    kubectl("create", "configmap", "w2", "--from-literal=a=b")
    assert kubectl("delete", "configmap", "--all").strip() != ""
    assert "No resources found" in kubectl.run("get", "cm").stderr or "kube-root-ca.crt" in kubectl("get", "cm")
    kubectl("create", "deployment", "fg", "--image=nginx")
    assert kubectl("delete", "deploy", "fg", "--cascade=foreground", "--wait=false").strip() == \
        'deployment.apps "fg" deleted'
    # the garbage collector deletes the ReplicaSet and its pods first, then the Deployment
    kubectl("wait", "--for=delete", "deploy/fg", "--timeout=30s")
    assert kubectl("get", "rs,pods", "-l", "app=fg", "-o", "name").strip() == ""


def test_create_token_authenticates(kubectl, tmp_path):
    """kubectl create token: a signed service-account token that authenticates as the service
    account (and is authorized only for what the account may do: here, self-reviews)."""
    kubectl("create", "serviceaccount", "robot")
    token = kubectl("create", "token", "robot").strip()
    assert token.count(".") == 2
    base = [kubectl.bin, "--server", kubectl.server.url, "--certificate-authority", kubectl.server.ca_path,
            "--cache-dir", kubectl.cache + "-token"]
    p = subprocess.run(base + ["--token", token, "get", "configmaps"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert 'User "system:serviceaccount:default:robot" cannot list resource "configmaps"' in p.stderr
    p = subprocess.run(base + ["--token", token, "auth", "can-i", "list", "pods"], capture_output=True, text=True,
                       timeout=60)
    assert p.stdout.strip() == "no"
    p = subprocess.run(base + ["--token", token[:-4] + "AAAA", "get", "configmaps"], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 1 and "Unauthorized" in p.stderr
    p = kubectl.run("create", "token", "robot", "--duration=1m", check=False)
    assert p.returncode == 1 and "may not specify a duration less than 10 minutes" in p.stderr
    p = kubectl.run("create", "token", "nobody", check=False)
    assert p.returncode == 1 and 'serviceaccounts "nobody" not found' in p.stderr
    # Deleting the service account revokes its tokens.
    kubectl("delete", "serviceaccount", "robot")
    p = subprocess.run(base + ["--token", token, "get", "configmaps"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and "Unauthorized" in p.stderr


def test_server_side_apply(kubectl, tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text(DEPLOY.replace("replicas: 2", "replicas: 2"))
    assert kubectl("apply", "--server-side", "-f", str(f)).strip() == "deployment.apps/web serverside-applied"
    d = json.loads(kubectl("get", "deploy", "web", "-o", "json", "--show-managed-fields"))
    mf = d["metadata"]["managedFields"]
    # the deployment controller's status writes are its own entries (subresource status)
    mf = [m for m in mf if m["manager"] == "kubectl"]
    assert [(m["manager"], m["operation"]) for m in mf] == [("kubectl", "Apply")]
    assert "f:replicas" in mf[0]["fieldsV1"]["f:spec"]
    assert 'k:{"name":"web"}' in mf[0]["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]
    # Another manager takes spec.replicas; applying a different value then conflicts.
    kubectl("scale", "deploy", "web", "--replicas=3")
    f.write_text(DEPLOY.replace("replicas: 2", "replicas: 5"))
    p = kubectl.run("apply", "--server-side", "-f", str(f), check=False)
    assert p.returncode == 1
    assert "Apply failed with 1 conflict: conflict with" in p.stderr and ".spec.replicas" in p.stderr
    kubectl("apply", "--server-side", "--force-conflicts", "-f", str(f))
    assert kubectl("get", "deploy", "web", "-o", "jsonpath={.spec.replicas}") == "5"
    # A field the manager stops applying is removed.
    f.write_text(DEPLOY.replace("replicas: 2", "replicas: 5").replace("      - name: side\n        image: busybox:1.36\n", ""))
    kubectl("apply", "--server-side", "-f", str(f))
    c = json.loads(kubectl("get", "deploy", "web", "-o", "json"))["spec"]["template"]["spec"]["containers"]
    assert [x["name"] for x in c] == ["web"]


def test_client_side_then_server_side_apply(kubectl, tmp_path):
    """An object made by client-side apply carries the last-applied annotation: kubectl then
    sends the second PATCH (fieldManager=kubectl-last-applied) that keeps it current."""
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: up\ndata:\n  a: '1'\n")
    kubectl("apply", "-f", str(f))
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: up\ndata:\n  a: '2'\n")
    assert kubectl("apply", "--server-side", "-f", str(f)).strip() == "configmap/up serverside-applied"
    cm = json.loads(kubectl("get", "cm", "up", "-o", "json", "--show-managed-fields"))
    assert cm["data"] == {"a": "2"}
    last = json.loads(cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"])
    assert last["data"] == {"a": "2"}
    managers = {m["manager"] for m in cm["metadata"]["managedFields"]}
    assert "kubectl" in managers
