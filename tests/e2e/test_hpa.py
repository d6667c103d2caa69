"""HorizontalPodAutoscalers in autoscaling/v2 and autoscaling/v1 (one stored object, two
forms), with kubectl (oldest and newest) and the Python client: kubectl autoscale, the table,
defaults, validation, and the v1 <-> v2 conversion keeping v2-only fields in upstream's
annotations. There is no metrics server, so no controller acts on them: the status stays
what upstream shows for an autoscaler without metrics.
"""
import json

import pytest

from conftest import api, api_get as get

V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"
DEPLOY = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
          "spec": {"selector": {"matchLabels": {"app": "web"}}, "replicas": 0,
                   "template": {"metadata": {"labels": {"app": "web"}},
                                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def hpa_v2(name="web", **spec):
    body = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                     "maxReplicas": 5}}
    body["spec"].update(spec)
    return body


def test_kubectl_autoscale(kubectl, server):
    assert api(server, "POST", "/apis/apps/v1/namespaces/default/deployments", DEPLOY)[0] == 201
    kubectl("autoscale", "deployment", "web", "--min=2", "--max=3")
    v1 = get(server, f"{V1}/web")
    assert (v1["spec"]["minReplicas"], v1["spec"]["maxReplicas"]) == (2, 3)
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 80  # the default metric
    assert v1["status"] == {"currentReplicas": 0, "desiredReplicas": 0}
    v2 = get(server, f"{V2}/web")
    assert v2["spec"]["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    assert "behavior" not in v2["spec"]
    out = kubectl("get", "hpa").split("\n")
    assert out[0].split() == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]
    assert out[1].split()[:7] == ["web", "Deployment/web", "cpu:", "<unknown>/80%", "2", "3", "0"]
    tmpl = "{{.spec.minReplicas}} {{.spec.maxReplicas}}"
    assert kubectl("get", "hpa.v1.autoscaling", "web", "-o", "go-template=" + tmpl) == "2 3"
    managers = kubectl("get", "hpa", "web", "-o", "jsonpath={.metadata.managedFields[*].manager}")
    assert "kubectl-autoscale" in managers
    kubectl("delete", "hpa", "web")
    kubectl("autoscale", "deployment", "web", "--max=4", "--cpu-percent=70")
    assert get(server, f"{V1}/web")["spec"]["targetCPUUtilizationPercentage"] == 70
    assert get(server, f"{V2}/web")["spec"]["minReplicas"] == 1
    assert kubectl.run("autoscale", "deployment", "web", "--max=4", check=False).returncode != 0  # exists


def test_v2_fields_survive_v1(server):
    memory = {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue",
                                                                           "averageValue": "100Mi"}}}
    cpu = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                     "averageUtilization": 50}}}
    behavior = {"scaleDown": {"stabilizationWindowSeconds": 60}}
    code, out = api(server, "POST", V2, hpa_v2(metrics=[memory, cpu], behavior=behavior))
    assert code == 201, out
    # v2 defaults fill in the scaling rules of the given behavior.
    assert out["spec"]["behavior"] == {
        "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max",
                      "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]},
        "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                    "policies": [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                 {"type": "Percent", "value": 100, "periodSeconds": 15}]}}
    v1 = get(server, f"{V1}/web")
    assert v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 50
    ann = v1["metadata"]["annotations"]
    # Upstream's shapes: v1's own MetricSpec, and the behavior with Go's field names.
    assert json.loads(ann["autoscaling.alpha.kubernetes.io/metrics"]) == [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "100Mi"}}]
    assert json.loads(ann["autoscaling.alpha.kubernetes.io/behavior"])["ScaleDown"] == {
        "StabilizationWindowSeconds": 60, "SelectPolicy": "Max",
        "Policies": [{"Type": "Percent", "Value": 100, "PeriodSeconds": 15}]}
    # A v1 client writing the object back loses nothing; its CPU target change is kept.
    v1["spec"]["targetCPUUtilizationPercentage"] = 60
    code, back = api(server, "PUT", f"{V1}/web", v1)
    assert code == 200, back
    v2 = get(server, f"{V2}/web")
    assert v2["spec"]["metrics"] == [dict(cpu, resource={"name": "cpu", "target": {
        "type": "Utilization", "averageUtilization": 60}}), memory]
    assert v2["spec"]["behavior"] == out["spec"]["behavior"]
    assert "annotations" not in v2["metadata"]
    # Status written through v2 shows in v1 (conditions in their annotation).
    v2["status"] = {"currentReplicas": 2, "desiredReplicas": 3, "conditions": [
        {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale"}]}
    code, out = api(server, "PUT", f"{V2}/web/status", v2)
    assert code == 200, out
    v1 = get(server, f"{V1}/web")
    assert (v1["status"]["currentReplicas"], v1["status"]["desiredReplicas"]) == (2, 3)
    assert json.loads(v1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/conditions"])[0]["type"] == \
        "AbleToScale"


def test_validation(server):
    code, out = api(server, "POST", V2, hpa_v2(minReplicas=4, maxReplicas=2))
    assert code == 422
    assert out["details"]["causes"] == [{"reason": "FieldValueInvalid", "field": "spec.maxReplicas",
                                         "message": "Invalid value: 2: must be greater than or equal to `minReplicas`"}]
    body = hpa_v2(metrics=[{"type": "Pods"}], behavior={"scaleUp": {"policies": [
        {"type": "Pods", "value": 0, "periodSeconds": 15}]}})
    body["spec"]["scaleTargetRef"]["name"] = ""
    code, out = api(server, "POST", V2, body)
    assert code == 422
    assert [(c["field"], c["message"]) for c in out["details"]["causes"]] == [
        ("spec.scaleTargetRef.name", "Required value"),
        ("spec.metrics[0].pods", "Required value: must populate information for the given metric source"),
        ("spec.behavior.scaleUp.policies[0].value", "Invalid value: 0: must be greater than zero")]
    v1 = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "v1"},
          "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 0,
                   "targetCPUUtilizationPercentage": 0}}
    code, out = api(server, "POST", V1, v1)
    assert code == 422
    assert [(c["field"], c["message"]) for c in out["details"]["causes"]] == [
        ("spec.maxReplicas", "Invalid value: 0: must be greater than 0"),
        ("spec.maxReplicas", "Invalid value: 0: must be greater than or equal to `minReplicas`"),
        ("spec.metrics[0].resource.target.averageUtilization", "Invalid value: 0: must be greater than 0")]


def test_python_client(client, server):
    """The installed client (22.6) knows autoscaling/v1 only: v2 is read through the API."""
    from kubernetes import client as k8s
    v1 = k8s.AutoscalingV1Api(client)
    v1.create_namespaced_horizontal_pod_autoscaler("default", k8s.V1HorizontalPodAutoscaler(
        metadata=k8s.V1ObjectMeta(name="api"),
        spec=k8s.V1HorizontalPodAutoscalerSpec(
            scale_target_ref=k8s.V1CrossVersionObjectReference(kind="ReplicaSet", name="rs", api_version="apps/v1"),
            max_replicas=3, target_cpu_utilization_percentage=40)))
    got = get(server, f"{V2}/api")
    assert got["spec"]["minReplicas"] == 1
    assert got["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 40
    lst = v1.list_namespaced_horizontal_pod_autoscaler("default").items
    assert [(h.metadata.name, h.spec.target_cpu_utilization_percentage) for h in lst] == [("api", 40)]
    assert lst[0].status.current_replicas == 0 and lst[0].status.desired_replicas == 0
    v1.patch_namespaced_horizontal_pod_autoscaler("api", "default", {"spec": {"maxReplicas": 6}})
    assert get(server, f"{V2}/api")["spec"]["maxReplicas"] == 6
    with pytest.raises(k8s.exceptions.ApiException) as e:
        v1.patch_namespaced_horizontal_pod_autoscaler("api", "default", {"spec": {"minReplicas": 0}})
    assert e.value.status == 422
    v1.delete_namespaced_horizontal_pod_autoscaler("api", "default")
    assert get(server, V2)["items"] == []
