"""Per-kind defaults and validation seen through the real kubectl: what `--dry-run=server`
prints for a new object, and the errors kubectl shows for invalid objects and forbidden
updates, with upstream v1.33's field paths and messages."""
import json
import textwrap


def apply_yaml(kubectl, tmp_path, name, text, verb="create"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return kubectl.run(verb, "-f", str(path), check=False)


def test_deployment_defaults(kubectl):
    d = json.loads(kubectl("create", "deployment", "d", "--image=nginx", "--dry-run=server", "-o", "json"))
    spec = d["spec"]
    assert spec["replicas"] == 1 and spec["revisionHistoryLimit"] == 10 and spec["progressDeadlineSeconds"] == 600
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    pod = spec["template"]["spec"]
    assert spec["template"]["metadata"]["creationTimestamp"] is None
    assert pod["containers"] == [{"name": "nginx", "image": "nginx", "imagePullPolicy": "Always", "resources": {},
                                  "terminationMessagePath": "/dev/termination-log",
                                  "terminationMessagePolicy": "File"}]
    assert (pod["dnsPolicy"], pod["restartPolicy"], pod["schedulerName"], pod["securityContext"],
            pod["terminationGracePeriodSeconds"]) == ("ClusterFirst", "Always", "default-scheduler", {}, 30)
    assert "enableServiceLinks" not in pod  # a Pod's default only, not a template's
    assert d["status"] == {}


def test_job_and_pod_defaults(kubectl):
    j = json.loads(kubectl("create", "job", "j", "--image=busybox:1.36", "--dry-run=server", "-o", "json"))
    uid = j["metadata"]["uid"]
    assert j["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert j["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "j",
        "controller-uid": uid, "job-name": "j"}
    want = {"backoffLimit": 6, "completions": 1, "parallelism": 1, "completionMode": "NonIndexed", "suspend": False}
    if kubectl.version != "1.27":  # kubectl 1.27 prints the object through types without this field
        want["podReplacementPolicy"] = "TerminatingOrFailed"
    for k, v in want.items():
        assert j["spec"][k] == v
    assert j["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    p = json.loads(kubectl("run", "p", "--image=nginx", "--dry-run=server", "-o", "json"))
    assert p["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert p["spec"]["enableServiceLinks"] is True


def test_invalid_objects(kubectl, tmp_path):
    r = apply_yaml(kubectl, tmp_path, "bad.yaml", """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: bad
        spec:
          replicas: -1
          selector:
            matchLabels: {app: one}
          template:
            metadata:
              labels: {app: two}
            spec:
              containers:
              - name: Web
                ports: [{containerPort: 70000}]
        """)
    assert r.returncode != 0
    err = r.stderr
    assert 'The Deployment "bad" is invalid' in err
    assert "spec.replicas: Invalid value: -1: must be greater than or equal to 0" in err
    assert ('spec.template.metadata.labels: Invalid value: map[string]string{"app":"two"}: '
            "`selector` does not match template `labels`") in err
    assert 'spec.template.spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label' in err
    assert "spec.template.spec.containers[0].image: Required value" in err
    assert ("spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 70000: "
            "must be between 1 and 65535, inclusive") in err
    r = kubectl.run("create", "cronjob", "c", "--image=busybox", "--schedule=*/5 * * *", check=False)
    assert 'spec.schedule: Invalid value: "*/5 * * *": expected exactly 5 fields, found 4: [*/5 * * *]' in r.stderr


def test_forbidden_updates(kubectl, tmp_path):
    kubectl("create", "deployment", "d", "--image=nginx")
    # kubectl replace GETs the object for its resourceVersion, then PUTs: the deployment
    # controller's writes in between make it 409 Conflict (upstream too), and a user retries.
    for _ in range(20):
        r = apply_yaml(kubectl, tmp_path, "d.yaml", """\
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              selector: {matchLabels: {app: d, tier: web}}
              template:
                metadata: {labels: {app: d, tier: web}}
                spec: {containers: [{name: nginx, image: nginx}]}
            """, verb="replace")
        if "the object has been modified" not in r.stderr:
            break
    assert ('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"d", '
            '"tier":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable') in r.stderr
    kubectl("run", "p", "--image=nginx")
    r = kubectl.run("patch", "pod", "p", "--type=merge", "-p", '{"spec":{"restartPolicy":"Never"}}', check=False)
    assert r.returncode != 0
    assert ("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
            "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`") in r.stderr
    kubectl("patch", "pod", "p", "--type=json", "-p",
            '[{"op":"replace","path":"/spec/containers/0/image","value":"nginx:1.27"}]')
    assert kubectl("get", "pod", "p", "-o", "jsonpath={.spec.containers[0].image}") == "nginx:1.27"
    kubectl("create", "configmap", "cm", "--from-literal=a=1")
    kubectl("patch", "configmap", "cm", "--type=merge", "-p", '{"immutable":true}')
    r = kubectl.run("patch", "configmap", "cm", "--type=merge", "-p", '{"data":{"a":"2"}}', check=False)
    assert "data: Forbidden: field is immutable when `immutable` is set" in r.stderr
