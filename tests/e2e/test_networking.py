"""networking.k8s.io: Ingress, IngressClass and NetworkPolicy as kubectl and the Python client
see them (columns, defaulting, validation messages, DefaultIngressClass), and the v1beta1
Ingress views (networking.k8s.io/v1beta1, extensions/v1beta1) with their deprecation warnings.
No ingress controller runs and NetworkPolicies are not enforced: only the API is checked."""
import json

from conftest import api


INGRESS = {
    "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
    "metadata": {"name": "web"},
    "spec": {
        "tls": [{"hosts": ["a.example.com"], "secretName": "tls"}],
        "rules": [{"host": "a.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}},
            {"host": "b.example.com", "http": {"paths": [
                {"path": "/api", "pathType": "Exact",
                 "backend": {"service": {"name": "api", "port": {"name": "http"}}}}]}}],
    },
}


def apply(kubectl, obj):
    return kubectl.run("apply", "-f", "-", input=json.dumps(obj))


def test_ingress_kubectl(kubectl):
    apply(kubectl, {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                    "metadata": {"name": "traefik",
                                 "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"}},
                    "spec": {"controller": "traefik.io/ingress-controller",
                             "parameters": {"apiGroup": "k8s.example.com", "kind": "Params", "name": "p"}}})
    out = kubectl("get", "ingressclass", "traefik")
    assert out.split("\n")[0].split() == ["NAME", "CONTROLLER", "PARAMETERS", "AGE"]
    assert out.split("\n")[1].split()[:3] == ["traefik", "traefik.io/ingress-controller", "Params.k8s.example.com/p"]
    # the default scope of parameters
    ic = json.loads(kubectl("get", "ingressclass", "traefik", "-o", "json"))
    assert ic["spec"]["parameters"]["scope"] == "Cluster"

    apply(kubectl, INGRESS)
    out = kubectl("get", "ing", "web")
    assert out.split("\n")[0].split() == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    # DefaultIngressClass gave it the default class
    assert out.split("\n")[1].split()[:4] == ["web", "traefik", "a.example.com,b.example.com", "80,"]
    # kubectl create ingress (an Ingress without TLS has port 80 only)
    kubectl("create", "ingress", "simple", "--class=other", "--rule=c.example.com/=svc:8080")
    line = kubectl("get", "ingress", "simple", "--no-headers").split()
    assert line[:3] == ["simple", "other", "c.example.com"] and line[3] == "80"
    ing = json.loads(kubectl("get", "ingress", "simple", "-o", "json"))
    path = ing["spec"]["rules"][0]["http"]["paths"][0]
    assert path["pathType"] == "Exact" and path["backend"]["service"]["port"]["number"] == 8080


def test_ingress_validation(kubectl):
    bad = json.loads(json.dumps(INGRESS))
    bad["metadata"]["name"] = "bad"
    paths = bad["spec"]["rules"][0]["http"]["paths"]
    paths[0]["path"] = "relative"
    paths[0]["backend"]["service"]["port"] = {}
    del bad["spec"]["rules"][1]["http"]["paths"][0]["pathType"]
    bad["spec"]["rules"][1]["host"] = "10.0.0.1"
    p = kubectl.run("apply", "-f", "-", input=json.dumps(bad), check=False)
    assert p.returncode != 0
    assert 'spec.rules[0].http.paths[0].path: Invalid value: "relative": must be an absolute path' in p.stderr
    assert "spec.rules[0].http.paths[0].backend: Required value: port name or number is required" in p.stderr
    assert "spec.rules[1].http.paths[0].pathType: Required value: pathType must be specified" in p.stderr
    assert 'spec.rules[1].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address' in p.stderr
    p = kubectl.run("apply", "-f", "-", check=False, input=json.dumps(
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "empty"}, "spec": {}}))
    assert "either `defaultBackend` or `rules` must be specified" in p.stderr


def test_networkpolicy_kubectl(kubectl):
    apply(kubectl, {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                    "metadata": {"name": "db"},
                    "spec": {"podSelector": {"matchLabels": {"app": "db"}},
                             "egress": [{"ports": [{"port": 5432}]}],
                             "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}]}]}})
    out = kubectl("get", "netpol")
    assert out.split("\n")[0].split() == ["NAME", "POD-SELECTOR", "AGE"]
    assert out.split("\n")[1].split()[:2] == ["db", "app=db"]
    np = json.loads(kubectl("get", "networkpolicy", "db", "-o", "json"))
    assert np["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert np["spec"]["egress"][0]["ports"][0]["protocol"] == "TCP"
    p = kubectl.run("apply", "-f", "-", check=False, input=json.dumps(
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "bad"},
         "spec": {"podSelector": {}, "ingress": [{"from": [{}], "ports": [{"port": "http", "endPort": 90}]}],
                  "policyTypes": ["Sideways"]}}))
    assert p.returncode != 0
    assert "spec.ingress[0].from[0]: Required value: must specify a peer" in p.stderr
    assert "spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric" \
        in p.stderr
    assert 'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"' in p.stderr


def test_ingress_v1beta1_views(server):
    beta = {"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "old"},
            "spec": {"backend": {"serviceName": "dflt", "servicePort": 80},
                     "rules": [{"host": "x.example.com", "http": {"paths": [
                         {"path": "/", "backend": {"serviceName": "web", "servicePort": "http"}}]}}]}}
    code, hdrs, body = server.request("POST", "/apis/extensions/v1beta1/namespaces/default/ingresses",
                                      json.dumps(beta).encode(), {"Content-Type": "application/json"})
    assert code == 201, body
    assert "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; " \
        "use networking.k8s.io/v1 Ingress" in hdrs.get("Warning", "")
    v1 = api(server, "GET", "/apis/networking.k8s.io/v1/namespaces/default/ingresses/old")[1]
    assert v1["spec"]["defaultBackend"] == {"service": {"name": "dflt", "port": {"number": 80}}}
    path = v1["spec"]["rules"][0]["http"]["paths"][0]
    assert path["pathType"] == "ImplementationSpecific"
    assert path["backend"] == {"service": {"name": "web", "port": {"name": "http"}}}
    code, hdrs, body = server.request("GET", "/apis/networking.k8s.io/v1beta1/namespaces/default/ingresses/old")
    nb = json.loads(body)
    assert nb["apiVersion"] == "networking.k8s.io/v1beta1"
    assert nb["spec"]["backend"] == {"serviceName": "dflt", "servicePort": 80}
    assert nb["spec"]["rules"][0]["http"]["paths"][0]["backend"] == {"serviceName": "web", "servicePort": "http"}
    assert "networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; " \
        "use networking.k8s.io/v1 Ingress" in hdrs.get("Warning", "")
    assert api(server, "GET", "/apis/extensions/")[0] == 200


def test_python_client(client):
    from kubernetes import client as k8s
    net = k8s.NetworkingV1Api(client)
    net.create_namespaced_network_policy("default", k8s.V1NetworkPolicy(
        metadata=k8s.V1ObjectMeta(name="deny"), spec=k8s.V1NetworkPolicySpec(pod_selector=k8s.V1LabelSelector())))
    got = net.read_namespaced_network_policy("deny", "default")
    assert got.spec.policy_types == ["Ingress"]
    net.create_namespaced_ingress("default", k8s.V1Ingress(
        metadata=k8s.V1ObjectMeta(name="py"),
        spec=k8s.V1IngressSpec(default_backend=k8s.V1IngressBackend(service=k8s.V1IngressServiceBackend(
            name="svc", port=k8s.V1ServiceBackendPort(number=8080))))))
    ing = net.read_namespaced_ingress("py", "default")
    assert ing.spec.default_backend.service.port.number == 8080
    assert [i.metadata.name for i in net.list_namespaced_ingress("default").items] == ["py"]


def test_ingress_status(kubectl, server):
    ing = json.loads(json.dumps(INGRESS))
    ing["metadata"]["name"] = "lb"
    ing["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.1"}]}}
    code, body = api(server, "POST", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", ing)
    assert code == 201 and body.get("status") == {}, body
    body["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}, {"hostname": "lb.example.com"}]}}
    code, body = api(server, "PUT", "/apis/networking.k8s.io/v1/namespaces/default/ingresses/lb/status", body)
    assert code == 200, body
    assert kubectl("get", "ingress", "lb", "--no-headers").split()[3] == "192.0.2.10,lb..."
    body["status"] = {"loadBalancer": {"ingress": [{"ip": "not-an-ip"}]}}
    code, body = api(server, "PUT", "/apis/networking.k8s.io/v1/namespaces/default/ingresses/lb/status", body)
    assert code == 422 and "status.loadBalancer.ingress[0].ip" in body["message"], body
