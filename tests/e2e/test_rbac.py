"""RBAC: Roles, ClusterRoles and their bindings decide what users and service accounts may do.

With real kubectl (the oldest and newest supported) and the real Python client: a
service-account token is refused until a RoleBinding grants it a Role, then allowed in that
namespace only; granting what one does not hold is refused (escalation); SubjectAccessReview
and TokenReview answer from the same authorizer and authenticators; `kubectl auth can-i`
(also --list) and `kubectl auth reconcile`; the bootstrap policy with aggregated roles;
upstream's validation messages; the rbac v1beta1 deprecation warning; the binding table.
"""
import json
import os
import subprocess

import pytest

from conftest import api, wait_for

RBAC = "/apis/rbac.authorization.k8s.io/v1"


def as_token(kubectl, token, *args, check=False):
    """kubectl as the bearer of token (no kubeconfig), the way test-cmd calls it."""
    cmd = [kubectl.bin, "-s", kubectl.server.url, "--insecure-skip-tls-verify", "--token", token,
           "--cache-dir", kubectl.cache + "-token", *args]
    env = dict(os.environ, KUBECONFIG="/dev/null")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    if check:
        assert p.returncode == 0, (cmd, p.stdout, p.stderr)
    return p


def sa_token(kubectl, ns, name):
    kubectl("create", "serviceaccount", name, "-n", ns)
    return kubectl("create", "token", name, "-n", ns).strip()


def test_service_account_denied_then_allowed(kubectl, server):
    kubectl("create", "namespace", "rb")
    token = sa_token(kubectl, "rb", "bot")
    p = as_token(kubectl, token, "get", "pods", "-n", "rb")
    assert p.returncode != 0
    assert 'User "system:serviceaccount:rb:bot" cannot list resource "pods" in API group "" in the namespace "rb"' in p.stderr
    assert as_token(kubectl, token, "auth", "can-i", "list", "pods", "-n", "rb").stdout.strip() == "no"

    kubectl("create", "role", "pod-reader", "--verb=get,list", "--resource=pods", "-n", "rb")
    kubectl("create", "rolebinding", "bot-reads", "--role=pod-reader", "--serviceaccount=rb:bot", "-n", "rb")
    wait_for(lambda: as_token(kubectl, token, "get", "pods", "-n", "rb").returncode == 0, what="the binding to apply")
    assert as_token(kubectl, token, "get", "pods", "-n", "default").returncode != 0
    assert as_token(kubectl, token, "auth", "can-i", "list", "pods", "-n", "rb").stdout.strip() == "yes"
    assert as_token(kubectl, token, "auth", "can-i", "delete", "pods", "-n", "rb").stdout.strip() == "no"
    listed = as_token(kubectl, token, "auth", "can-i", "--list", "-n", "rb", check=True).stdout
    assert any(line.split()[:1] == ["pods"] and "[get list]" in line for line in listed.splitlines()), listed
    assert "selfsubjectaccessreviews.authorization.k8s.io" in listed  # system:basic-user

    # the binding table, with the subjects under -o wide
    wide = kubectl("get", "rolebinding", "bot-reads", "-n", "rb", "-o", "wide")
    assert wide.split("\n")[0].split() == ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"]
    assert "Role/pod-reader" in wide and "rb/bot" in wide
    assert kubectl("get", "role", "pod-reader", "-n", "rb").split("\n")[0].split() == ["NAME", "CREATED", "AT"]


def test_python_client_with_token(server, tmp_path):
    from kubernetes import client as k8s
    from kubernetes.client.rest import ApiException
    api(server, "POST", "/api/v1/namespaces", {"metadata": {"name": "py"}})
    api(server, "POST", "/api/v1/namespaces/py/serviceaccounts", {"metadata": {"name": "app"}})
    code, tr = api(server, "POST", "/api/v1/namespaces/py/serviceaccounts/app/token", {"spec": {}})
    assert code == 201, tr
    cfg = k8s.Configuration()
    cfg.host = server.url
    cfg.verify_ssl = False
    cfg.api_key = {"authorization": "Bearer " + tr["status"]["token"]}
    with k8s.ApiClient(cfg) as c:
        core = k8s.CoreV1Api(c)
        with pytest.raises(ApiException) as e:
            core.list_namespaced_config_map("py")
        assert e.value.status == 403
        rbac = k8s.RbacAuthorizationV1Api(client_for_admin(server))
        rbac.create_cluster_role_binding({"metadata": {"name": "app-view"},
                                          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
                                          "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": "py"}]})
        # view is aggregated from system:aggregate-to-view by the controller
        wait_for(lambda: can(core, "py"), what="the aggregated view role to apply")
        with pytest.raises(ApiException) as e:
            core.list_namespaced_secret("py")
        assert e.value.status == 403


def client_for_admin(server):
    from kubernetes import client as k8s
    from kubernetes import config as k8s_config
    cfg = k8s.Configuration()
    k8s_config.load_kube_config(config_file=server.kubeconfig, client_configuration=cfg)
    return k8s.ApiClient(cfg)


def can(core, ns):
    from kubernetes.client.rest import ApiException
    try:
        core.list_namespaced_config_map(ns)
        return True
    except ApiException:
        return False


def test_escalation_refused(kubectl, server):
    kubectl("create", "namespace", "esc")
    token = sa_token(kubectl, "esc", "mgr")
    kubectl("create", "role", "role-maker", "--verb=create,get,list", "--resource=roles,rolebindings,configmaps", "-n", "esc")
    kubectl("create", "rolebinding", "mgr", "--role=role-maker", "--serviceaccount=esc:mgr", "-n", "esc")
    wait_for(lambda: as_token(kubectl, token, "get", "roles", "-n", "esc").returncode == 0, what="the binding")
    p = as_token(kubectl, token, "create", "role", "big", "--verb=delete", "--resource=secrets", "-n", "esc")
    assert p.returncode != 0
    assert ('roles.rbac.authorization.k8s.io "big" is forbidden: user "system:serviceaccount:esc:mgr"' in p.stderr and
            "is attempting to grant RBAC permissions not currently held" in p.stderr), p.stderr
    # what the user holds may be granted
    as_token(kubectl, token, "create", "role", "small", "--verb=get", "--resource=configmaps", "-n", "esc", check=True)
    # binding a role it does not hold is refused too; the bind verb allows it
    p = as_token(kubectl, token, "create", "rolebinding", "b", "--clusterrole=admin", "--user=eve", "-n", "esc")
    assert p.returncode != 0 and "not currently held" in p.stderr, p.stderr


def test_reviews(server):
    sar = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
           "spec": {"user": "bob", "groups": ["the-group"],
                    "resourceAttributes": {"namespace": "ns", "verb": "create", "group": "apps", "resource": "deployments"}}}
    code, out = api(server, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar)
    assert code == 201 and out["status"]["allowed"] is False, out
    code, out = api(server, "POST", RBAC + "/clusterrolebindings",
                    {"metadata": {"name": "grp-edit"}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "edit"},
                     "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "the-group"}]})
    assert code == 201, out
    wait_for(lambda: api(server, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar)[1]["status"]["allowed"],
             what="the SubjectAccessReview to allow")
    # v1beta1 names the groups "group", and is deprecated
    beta = dict(sar, apiVersion="authorization.k8s.io/v1beta1")
    beta["spec"] = dict(sar["spec"], group=["the-group"])
    del beta["spec"]["groups"]
    code, hdrs, body = server.request("POST", "/apis/authorization.k8s.io/v1beta1/subjectaccessreviews",
                                      json.dumps(beta).encode(), {"Content-Type": "application/json", "User-Agent": "curl/8"})
    assert code == 201 and b'"allowed": true' in body, body  # indented for curl, as upstream
    assert "SubjectAccessReview is deprecated in v1.19+" in hdrs.get("Warning", ""), hdrs
    # one of user or groups is required
    code, out = api(server, "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                    {"spec": {"resourceAttributes": {"verb": "get", "resource": "pods"}}})
    assert code == 422 and "spec.user: Invalid value: \"\": at least one of user or group must be specified" in out["message"], out

    # TokenReview: a service-account token is valid and says whose it is
    api(server, "POST", "/api/v1/namespaces/default/serviceaccounts", {"metadata": {"name": "rev"}})
    code, tr = api(server, "POST", "/api/v1/namespaces/default/serviceaccounts/rev/token", {"spec": {}})
    for version in ("v1", "v1beta1"):
        code, out = api(server, "POST", f"/apis/authentication.k8s.io/{version}/tokenreviews",
                        {"apiVersion": f"authentication.k8s.io/{version}", "kind": "TokenReview", "spec": {"token": tr["status"]["token"]}})
        assert code == 201 and out["status"]["authenticated"] is True, out
        assert out["status"]["user"]["username"] == "system:serviceaccount:default:rev", out
        code, out = api(server, "POST", f"/apis/authentication.k8s.io/{version}/tokenreviews", {"spec": {"token": "nope"}})
        assert code == 201 and not out["status"].get("authenticated"), out


RECONCILE = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: rec-cr, labels: {test: rec}}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: rec-crb, labels: {test: rec}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rec-cr}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rec-r, namespace: rec, labels: {test: rec}}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rec-rb, namespace: rec, labels: {test: rec}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: rec-r}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: team}
"""


def test_reconcile_and_v1beta1(kubectl, tmp_path):
    path = tmp_path / "rbac.yaml"
    path.write_text(RECONCILE)
    kubectl("create", "namespace", "rec")
    kubectl("auth", "reconcile", "--dry-run=client", "-f", str(path))
    assert kubectl("get", "clusterroles", "-l", "test=rec", "-o", "name").strip() == ""
    kubectl("auth", "reconcile", "-f", str(path))
    assert kubectl("get", "clusterroles,clusterrolebindings", "-l", "test=rec", "-o", "name").split() == [
        "clusterrole.rbac.authorization.k8s.io/rec-cr", "clusterrolebinding.rbac.authorization.k8s.io/rec-crb"]
    assert kubectl("get", "roles,rolebindings", "-n", "rec", "-l", "test=rec", "-o", "name").split() == [
        "role.rbac.authorization.k8s.io/rec-r", "rolebinding.rbac.authorization.k8s.io/rec-rb"]
    # a second reconcile adds what is missing and keeps the rest
    path.write_text(RECONCILE.replace("verbs: [get]}", "verbs: [get]}\n- {apiGroups: [\"\"], resources: [services], verbs: [list]}"))
    kubectl("auth", "reconcile", "-f", str(path))
    rules = json.loads(kubectl("get", "clusterrole", "rec-cr", "-o", "json"))["rules"]
    assert [r["resources"] for r in rules] == [["pods"], ["services"]], rules
    beta = tmp_path / "beta.yaml"
    beta.write_text(RECONCILE.replace("rbac.authorization.k8s.io/v1\n", "rbac.authorization.k8s.io/v1beta1\n"))
    p = kubectl.run("auth", "reconcile", "-f", str(beta), check=False)
    assert p.returncode != 0 and "only rbac.authorization.k8s.io/v1 is supported" in p.stderr, p.stderr

    # v1beta1 is served over the same objects, with upstream's deprecation warning
    p = kubectl.run("get", "roles.v1beta1.rbac.authorization.k8s.io", "-n", "rec", "-o", "name")
    assert p.stdout.split() == ["role.rbac.authorization.k8s.io/rec-r"], p.stdout
    assert ("Warning: rbac.authorization.k8s.io/v1beta1 Role is deprecated in v1.17+, unavailable in v1.22+; "
            "use rbac.authorization.k8s.io/v1 Role") in p.stderr, p.stderr


def test_bootstrap_and_validation(kubectl, tmp_path):
    assert kubectl("get", "clusterrolebinding", "cluster-admin", "-o", "jsonpath={.subjects[0].name}") == "system:masters"
    crb = json.loads(kubectl("get", "clusterrolebinding", "system:public-info-viewer", "-o", "json"))
    assert [s["name"] for s in crb["subjects"]] == ["system:authenticated", "system:unauthenticated"]
    assert crb["metadata"]["annotations"]["rbac.authorization.kubernetes.io/autoupdate"] == "true"
    wait_for(lambda: "deployments" in kubectl("get", "clusterrole", "admin", "-o", "jsonpath={.rules[*].resources}"),
             what="admin to be aggregated")

    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: bad}\n"
                   "rules:\n- {apiGroups: [\"\"], resources: [pods]}\n- {verbs: [get], nonResourceURLs: [/x], resources: [pods]}\n")
    p = kubectl.run("create", "-f", str(bad), check=False)
    assert "rules[0].verbs: Required value: verbs must contain at least one value" in p.stderr, p.stderr
    assert ('rules[1].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources '
            "and non-resource URLs") in p.stderr, p.stderr
    kubectl("create", "rolebinding", "rb", "--clusterrole=view", "--user=u", "-n", "default")
    p = kubectl.run("patch", "rolebinding", "rb", "-n", "default", "--type=merge", "-p", '{"roleRef":{"name":"edit"}}', check=False)
    assert p.returncode != 0 and "roleRef: Invalid value:" in p.stderr and "cannot change roleRef" in p.stderr, p.stderr
