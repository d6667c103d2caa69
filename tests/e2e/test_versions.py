"""Older API versions served as views of the v1 objects: policy/v1beta1 PodDisruptionBudget and
batch/v1beta1 CronJob, with upstream's deprecation warnings, and the v1beta1 meaning of an empty
PDB selector (no pods) kept across versions."""
import json

from conftest import api, wait_for


def post(server, path, obj):
    code, hdrs, body = server.request("POST", path, json.dumps(obj).encode(), {"Content-Type": "application/json"})
    return code, hdrs.get("Warning", ""), json.loads(body)


PDB_V1B1 = "/apis/policy/v1beta1/namespaces/default/poddisruptionbudgets"
PDB_V1 = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"


def test_pdb_v1beta1_selectors(server):
    code, warn, body = post(server, PDB_V1B1, {"apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget",
                                               "metadata": {"name": "none"},
                                               "spec": {"minAvailable": 1, "selector": {}}})
    assert code == 201, body
    assert "policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; " \
        "use policy/v1 PodDisruptionBudget" in warn
    assert body["apiVersion"] == "policy/v1beta1" and body["spec"]["selector"] == {}
    # in v1 the same budget selects no pods: a requirement no pod meets
    v1 = api(server, "GET", PDB_V1 + "/none")[1]
    assert v1["spec"]["selector"]["matchExpressions"] == [
        {"key": "pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match", "operator": "Exists"}]
    # a v1 empty selector (every pod) reads in v1beta1 as the selector matching every pod
    code, _ = api(server, "POST", PDB_V1, {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                                           "metadata": {"name": "all"}, "spec": {"maxUnavailable": 1, "selector": {}}})
    assert code == 201
    beta = api(server, "GET", PDB_V1B1 + "/all")[1]
    assert beta["spec"]["selector"]["matchExpressions"] == [
        {"key": "pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match", "operator": "DoesNotExist"}]
    assert api(server, "GET", PDB_V1 + "/all")[1]["spec"]["selector"] == {}
    # a list through the view is converted item by item
    items = api(server, "GET", PDB_V1B1)[1]["items"]
    assert {i["metadata"]["name"]: i["apiVersion"] for i in items} == {"all": "policy/v1beta1", "none": "policy/v1beta1"}


def test_kubectl_pdb_and_cronjob(kubectl, server):
    kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
        "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}}}))
    out = kubectl("get", "pdb", "web", "--no-headers").split()
    assert out[:4] == ["web", "2", "N/A", "0"]
    p = kubectl.run("apply", "-f", "-", input=json.dumps({
        "apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "tick"},
        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}}}))
    assert "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob" in p.stderr
    cj = json.loads(kubectl("get", "cronjobs.v1.batch", "tick", "-o", "json"))
    assert cj["apiVersion"] == "batch/v1" and cj["spec"]["concurrencyPolicy"] == "Allow"
    code, beta = api(server, "GET", "/apis/batch/v1beta1/namespaces/default/cronjobs/tick")
    assert code == 200 and beta["apiVersion"] == "batch/v1beta1" and beta["spec"]["schedule"] == "*/5 * * * *"
    # invalid through the view: v1's validation, upstream's message
    p = kubectl.run("apply", "-f", "-", check=False, input=json.dumps({
        "apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": {"name": "bad"},
        "spec": {"schedule": "not a schedule", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}}}}))
    assert p.returncode != 0 and "spec.schedule" in p.stderr
    kubectl("delete", "cronjob", "tick")
    wait_for(lambda: api(server, "GET", "/apis/batch/v1beta1/namespaces/default/cronjobs/tick")[0] == 404,
             what="cronjob gone")
