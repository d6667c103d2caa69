"""Jobs and CronJobs as the job, ttl-after-finished and cronjob controllers run them, driven
with kubectl 1.27 and 1.33 and read back through the API.

There is no kubelet in these tests (and no nodes: a Job's pods stay unscheduled, which the job
controller does not mind). The test plays the kubelet: it writes pod status through
pods/NAME/status (phase Succeeded or Failed, with a terminated containerStatus and its exit
code, or phase Running with Ready=True) when a test needs pods to run, succeed or fail.

One server serves every test of this module (each test works in its own namespace). It runs
with the test-only KUBE_TEST_CRONJOB_CLOCK_SCALE=60 (server/batch.h): the cronjob controller's
clock runs 60 times as fast as the wall clock, so that a schedule of "* * * * *" fires about
every second; nothing else sees that clock.
"""
import time

import pytest

from conftest import KUBECTL_VERSIONS, Kubectl, Server, wait_for, api, api_get as get

FINALIZER = "batch.kubernetes.io/job-tracking"
INDEX = "batch.kubernetes.io/job-completion-index"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("jobs"), env={"KUBE_TEST_CRONJOB_CLOCK_SCALE": "60"}).start()
    yield s
    rc = s.stop()
    assert rc == 0, f"kube server exited with {rc}:\n{s.read_log()[-4000:]}"


_ns_count = [0]


@pytest.fixture
def ns(srv):
    """A fresh namespace for one test."""
    _ns_count[0] += 1
    name = f"jobs{_ns_count[0]}"
    code, out = api(srv, "POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                       "metadata": {"name": name}})
    assert code == 201, out
    return name


@pytest.fixture(params=KUBECTL_VERSIONS)
def kubectl(request, srv, tmp_path):
    return Kubectl(request.param, srv, tmp_path)


# ---- the API, and the kubelet the test plays ----------------------------------------------------

def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def job(server, ns, name):
    return get(server, f"/apis/batch/v1/namespaces/{ns}/jobs/{name}")


def create_job(server, ns, name, spec, labels=None):
    spec = dict(spec)
    spec.setdefault("template", {"spec": {"restartPolicy": "Never",
                                          "containers": [{"name": "main", "image": "busybox:1.36"}]}})
    obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name, "labels": labels or {}}, "spec": spec}
    code, out = api(server, "POST", f"/apis/batch/v1/namespaces/{ns}/jobs", obj)
    assert code == 201, out
    return out


def pods(server, ns, job_name=None):
    q = f"?labelSelector=batch.kubernetes.io/job-name={job_name}" if job_name else ""
    return get(server, f"/api/v1/namespaces/{ns}/pods{q}")["items"]


def active_pods(server, ns, job_name):
    return [p for p in pods(server, ns, job_name) if not p["metadata"].get("deletionTimestamp")
            and p.get("status", {}).get("phase") not in ("Succeeded", "Failed")]


def write_pod_status(server, pod, status):
    """Writes pod status as the kubelet does (a merge patch of pods/NAME/status), again after a
    conflict as the kubelet would: the API answers a patch that raced with another write (the
    scheduler's) with 409 Conflict."""
    m = pod["metadata"]
    for _ in range(10):
        code, out = api(server, "PATCH", f"/api/v1/namespaces/{m['namespace']}/pods/{m['name']}/status",
                        {"status": status}, "application/merge-patch+json")
        if code != 409:
            break
    assert code == 200, (code, out)


def terminate(server, pod, exit_code=0, conditions=()):
    """Plays the kubelet: the pod's container ended with exit_code (0: Succeeded, else Failed)."""
    t = now()
    status = {"phase": "Succeeded" if exit_code == 0 else "Failed",
              "conditions": [{"type": "Ready", "status": "False", "lastTransitionTime": t,
                              "reason": "PodCompleted"}, *conditions],
              "containerStatuses": [{"name": c["name"], "image": c["image"], "imageID": "", "ready": False,
                                     "restartCount": 0, "state": {"terminated": {
                                         "exitCode": exit_code, "reason": "Completed" if exit_code == 0 else "Error",
                                         "startedAt": t, "finishedAt": t}}}
                                    for c in pod["spec"]["containers"]]}
    write_pod_status(server, pod, status)


def run_ready(server, pod):
    """Plays the kubelet: the pod runs and is Ready."""
    t = now()
    status = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": t}],
              "containerStatuses": [{"name": c["name"], "image": c["image"], "imageID": "", "ready": True,
                                     "restartCount": 0, "started": True, "state": {"running": {"startedAt": t}}}
                                    for c in pod["spec"]["containers"]]}
    write_pod_status(server, pod, status)


def n_active(server, ns, name, n, timeout=30):
    """Waits until the Job has n live, unfinished pods (a replacement for a failed pod may wait
    for the 10 s failure back-off); returns them."""
    got = []

    def ok():
        got[:] = active_pods(server, ns, name)
        return len(got) == n
    wait_for(ok, timeout=timeout, what=f"{n} active pods of job {name}: {got}")
    return list(got)


def kubectl_patch(kubectl, ns, what, patch):
    """`kubectl patch` (again after a 409: the API answers a merge patch that raced with a
    controller's status write with Conflict, where upstream retries it itself)."""
    for _ in range(10):
        p = kubectl.run("-n", ns, "patch", what, "--type=merge", "-p", patch, check=False)
        if p.returncode == 0 or "Conflict" not in p.stderr and "modified" not in p.stderr:
            break
    assert p.returncode == 0, p.stderr
    return p.stdout


def cond(obj, type_):
    for c in obj.get("status", {}).get("conditions", []):
        if c["type"] == type_:
            return c
    return None


def cond_true(server, ns, name, type_):
    c = cond(job(server, ns, name), type_)
    return c if c and c["status"] == "True" else None


def events(server, ns, kind, name):
    items = get(server, f"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.kind={kind},"
                        f"involvedObject.name={name}")["items"]
    return [(e["type"], e["reason"], e["message"]) for e in items]


def settled(server, ns, name):
    """Nothing left to account: no tracking finalizer on the Job's pods, nothing uncounted."""
    j = job(server, ns, name)
    unc = j.get("status", {}).get("uncountedTerminatedPods", {})
    return not unc.get("succeeded") and not unc.get("failed") and \
        all(FINALIZER not in p["metadata"].get("finalizers", []) for p in pods(server, ns, name))


# ---- Jobs ---------------------------------------------------------------------------------------

def test_create_job_and_wait_complete(srv, ns, kubectl):
    """`kubectl create job`, the pod the controller makes, `kubectl wait --for=condition=complete`
    once the test marks the pod Succeeded, the status and events as upstream."""
    assert kubectl("-n", ns, "create", "job", "hello", "--image=busybox:1.36", "--", "echo", "hi").strip() == \
        "job.batch/hello created"
    [pod] = n_active(srv, ns, "hello", 1)
    j = job(srv, ns, "hello")
    m = pod["metadata"]
    ref = m["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["uid"], ref["controller"], ref["blockOwnerDeletion"]) == \
        ("Job", "hello", j["metadata"]["uid"], True, True)
    assert FINALIZER in m["finalizers"]
    assert m["generateName"] == "hello-"
    assert m["labels"]["batch.kubernetes.io/job-name"] == "hello"
    wait_for(lambda: job(srv, ns, "hello").get("status", {}).get("active") == 1, what="status.active 1")
    j = job(srv, ns, "hello")
    assert j["status"]["startTime"] and j["status"].get("ready") == 0

    p = kubectl.run("-n", ns, "wait", "--for=condition=complete", "job/hello", "--timeout=1s", check=False)
    assert p.returncode != 0
    waiter = kubectl.popen("-n", ns, "wait", "--for=condition=complete", "job/hello", "--timeout=30s")
    terminate(srv, pod, 0)
    out, err = waiter.communicate(timeout=40)
    assert waiter.returncode == 0, err
    assert out.strip() == "job.batch/hello condition met"

    st = job(srv, ns, "hello")["status"]
    assert st["succeeded"] == 1 and "failed" not in st and "active" not in st
    assert st["completionTime"] and st["startTime"]
    assert st.get("uncountedTerminatedPods", {}) == {}
    assert [c["type"] for c in st["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert all(c["status"] == "True" and c["reason"] == "CompletionsReached" for c in st["conditions"])
    wait_for(lambda: settled(srv, ns, "hello"), what="the pod's finalizer removed")
    ev = events(srv, ns, "Job", "hello")
    assert ("Normal", "SuccessfulCreate", f"Created pod: {m['name']}") in ev
    assert ("Normal", "Completed", "Job completed") in ev
    out = kubectl("-n", ns, "get", "job", "hello")
    assert out.splitlines()[0].split()[:4] == ["NAME", "STATUS", "COMPLETIONS", "DURATION"]
    assert out.splitlines()[1].split()[:3] == ["hello", "Complete", "1/1"]
    desc = kubectl("-n", ns, "describe", "job", "hello")
    assert "1 Succeeded / 0 Failed" in desc and "Completed" in desc


def test_completions_and_parallelism(srv, ns):
    """completions 3, parallelism 2: two pods at a time, a new one for each success, never more
    than what remains."""
    create_job(srv, ns, "three", {"completions": 3, "parallelism": 2})
    first = n_active(srv, ns, "three", 2)
    run_ready(srv, first[0])
    wait_for(lambda: job(srv, ns, "three")["status"].get("ready") == 1, what="status.ready 1")
    terminate(srv, first[0], 0)
    wait_for(lambda: job(srv, ns, "three")["status"].get("succeeded") == 1, what="succeeded 1")
    second = n_active(srv, ns, "three", 2)
    assert first[1]["metadata"]["name"] in [p["metadata"]["name"] for p in second]
    for p in second:
        terminate(srv, p, 0)
    wait_for(lambda: cond_true(srv, ns, "three", "Complete"), what="Complete")
    st = job(srv, ns, "three")["status"]
    assert st["succeeded"] == 3 and "active" not in st
    assert len(pods(srv, ns, "three")) == 3
    wait_for(lambda: settled(srv, ns, "three"), what="finalizers removed")


def test_backoff_limit_exceeded(srv, ns, kubectl):
    """backoffLimit 1 and two failed pods: Failed with BackoffLimitExceeded, counted once."""
    create_job(srv, ns, "flaky", {"completions": 2, "parallelism": 2, "backoffLimit": 1})
    for p in n_active(srv, ns, "flaky", 2):
        terminate(srv, p, 1)
    assert kubectl("-n", ns, "wait", "--for=condition=failed", "job/flaky", "--timeout=30s").strip() == \
        "job.batch/flaky condition met"
    st = job(srv, ns, "flaky")["status"]
    assert st["failed"] == 2 and "succeeded" not in st and "active" not in st and "completionTime" not in st
    c = cond(job(srv, ns, "flaky"), "Failed")
    assert (c["reason"], c["message"]) == ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert cond(job(srv, ns, "flaky"), "FailureTarget")["reason"] == "BackoffLimitExceeded"
    wait_for(lambda: settled(srv, ns, "flaky"), what="finalizers removed")
    assert job(srv, ns, "flaky")["status"]["failed"] == 2
    assert ("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit") in \
        events(srv, ns, "Job", "flaky")


def test_backoff_limit_on_failure_restarts(srv, ns):
    """restartPolicy OnFailure: container restarts of running pods count against backoffLimit."""
    tmpl = {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "main", "image": "busybox:1.36"}]}}
    create_job(srv, ns, "restarts", {"backoffLimit": 2, "template": tmpl})
    [p] = n_active(srv, ns, "restarts", 1)
    t = now()
    status = {"phase": "Running", "containerStatuses": [
        {"name": "main", "image": "busybox:1.36", "imageID": "", "ready": False, "restartCount": 2,
         "lastState": {"terminated": {"exitCode": 1, "startedAt": t, "finishedAt": t}},
         "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}
    write_pod_status(srv, p, status)
    wait_for(lambda: cond_true(srv, ns, "restarts", "Failed"), what="Failed")
    assert cond(job(srv, ns, "restarts"), "Failed")["reason"] == "BackoffLimitExceeded"
    wait_for(lambda: not pods(srv, ns, "restarts"), what="the running pod deleted")


def test_work_queue_job(srv, ns):
    """No completions (a work queue): once one pod succeeds no new pod starts, and the Job
    completes when the others have finished."""
    create_job(srv, ns, "queue", {"parallelism": 3})
    job_obj = job(srv, ns, "queue")
    assert "completions" not in job_obj["spec"]
    ps = n_active(srv, ns, "queue", 3)
    terminate(srv, ps[0], 0)
    wait_for(lambda: job(srv, ns, "queue")["status"].get("succeeded") == 1, what="succeeded 1")
    assert len(active_pods(srv, ns, "queue")) == 2
    terminate(srv, ps[1], 0)
    terminate(srv, ps[2], 0)
    wait_for(lambda: cond_true(srv, ns, "queue", "Complete"), what="Complete")
    assert job(srv, ns, "queue")["status"]["succeeded"] == 3 and len(pods(srv, ns, "queue")) == 3


def test_active_deadline(srv, ns):
    """activeDeadlineSeconds: the running pods are deleted and the Job fails DeadlineExceeded."""
    create_job(srv, ns, "slow", {"activeDeadlineSeconds": 2, "parallelism": 2, "completions": 4})
    n_active(srv, ns, "slow", 2)
    wait_for(lambda: cond_true(srv, ns, "slow", "Failed"), timeout=30, what="Failed")
    j = job(srv, ns, "slow")
    c = cond(j, "Failed")
    assert (c["reason"], c["message"]) == ("DeadlineExceeded", "Job was active longer than specified deadline")
    # The pods still running when the Job failed count as failed, as upstream counts them.
    assert "active" not in j["status"] and j["status"]["failed"] == 2
    wait_for(lambda: not pods(srv, ns, "slow"), what="the active pods deleted")
    assert ("Warning", "DeadlineExceeded", "Job was active longer than specified deadline") in \
        events(srv, ns, "Job", "slow")


def test_indexed_job(srv, ns):
    """Indexed: one pod per completion index (annotation, label, hostname, name), completed
    indexes tracked as intervals."""
    create_job(srv, ns, "idx", {"completions": 3, "parallelism": 3, "completionMode": "Indexed"})
    ps = n_active(srv, ns, "idx", 3)
    by_index = {}
    for p in ps:
        m = p["metadata"]
        i = m["annotations"][INDEX]
        assert m["labels"][INDEX] == i
        assert m["generateName"] == f"idx-{i}-"
        assert p["spec"]["hostname"] == f"idx-{i}"
        env = {e["name"]: e for e in p["spec"]["containers"][0].get("env", [])}
        assert env["JOB_COMPLETION_INDEX"]["valueFrom"]["fieldRef"]["fieldPath"] == \
            f"metadata.labels['{INDEX}']"
        by_index[i] = p
    assert sorted(by_index) == ["0", "1", "2"]
    terminate(srv, by_index["1"], 0)
    wait_for(lambda: job(srv, ns, "idx")["status"].get("completedIndexes") == "1", what="completedIndexes 1")
    # A failed index gets a new pod with the same index.
    terminate(srv, by_index["2"], 1)
    wait_for(lambda: job(srv, ns, "idx")["status"].get("failed") == 1, what="failed 1")
    ps = n_active(srv, ns, "idx", 2)
    assert sorted(p["metadata"]["annotations"][INDEX] for p in ps) == ["0", "2"]
    for p in ps:
        terminate(srv, p, 0)
    wait_for(lambda: cond_true(srv, ns, "idx", "Complete"), what="Complete")
    st = job(srv, ns, "idx")["status"]
    assert st["completedIndexes"] == "0-2" and st["succeeded"] == 3 and st["failed"] == 1


def test_success_policy(srv, ns):
    """successPolicy: index 0 succeeding is enough; the other pods are deleted and the Job
    completes with reason SuccessPolicy."""
    create_job(srv, ns, "leader", {"completions": 3, "parallelism": 3, "completionMode": "Indexed",
                                   "successPolicy": {"rules": [{"succeededIndexes": "0"}]}})
    ps = {p["metadata"]["annotations"][INDEX]: p for p in n_active(srv, ns, "leader", 3)}
    terminate(srv, ps["0"], 0)
    wait_for(lambda: cond_true(srv, ns, "leader", "Complete"), what="Complete")
    j = job(srv, ns, "leader")
    assert cond(j, "SuccessCriteriaMet")["reason"] == "SuccessPolicy"
    c = cond(j, "Complete")
    assert (c["reason"], c["message"]) == ("SuccessPolicy", "Matched rules at index 0")
    assert j["status"]["completedIndexes"] == "0" and j["status"]["succeeded"] == 1
    # Pods deleted on success are not failures (their finalizers go in the same sync).
    assert "failed" not in j["status"] and j["status"]["completionTime"]
    wait_for(lambda: len(pods(srv, ns, "leader")) == 1, what="the other pods deleted")


def test_pod_failure_policy(srv, ns):
    """podFailurePolicy: a DisruptionTarget failure is ignored (not counted), exit code 42 fails
    the Job at once with upstream's message."""
    tmpl = {"spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36"}]}}
    pfp = {"rules": [{"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
                     {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}
    create_job(srv, ns, "pfp", {"backoffLimit": 0, "template": tmpl, "podFailurePolicy": pfp})
    [p] = n_active(srv, ns, "pfp", 1)
    terminate(srv, p, 137, [{"type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI",
                             "lastTransitionTime": now()}])
    wait_for(lambda: settled(srv, ns, "pfp"), what="the ignored failure accounted")
    st = job(srv, ns, "pfp")["status"]
    assert "failed" not in st and not cond(job(srv, ns, "pfp"), "Failed")
    # The ignored failure is not counted, but it backs off like any failure (10 s).
    [p] = n_active(srv, ns, "pfp", 1)
    terminate(srv, p, 42)
    wait_for(lambda: cond_true(srv, ns, "pfp", "Failed"), what="Failed")
    c = cond(job(srv, ns, "pfp"), "Failed")
    assert c["reason"] == "PodFailurePolicy"
    assert c["message"] == (f"Container main for pod {ns}/{p['metadata']['name']} failed with exit code 42 "
                            "matching FailJob rule at index 0")
    assert job(srv, ns, "pfp")["status"]["failed"] == 1


def test_suspend_and_resume(srv, ns, kubectl):
    """A suspended Job has no pods and a Suspended condition; resuming starts them (and the
    clock of activeDeadlineSeconds); suspending again deletes them."""
    create_job(srv, ns, "later", {"suspend": True, "parallelism": 2, "completions": 2})
    c = wait_for(lambda: cond_true(srv, ns, "later", "Suspended"), what="Suspended")
    assert (c["reason"], c["message"]) == ("JobSuspended", "Job suspended")
    assert not pods(srv, ns, "later") and "startTime" not in job(srv, ns, "later")["status"]
    kubectl_patch(kubectl, ns, "job/later", '{"spec":{"suspend":false}}')
    n_active(srv, ns, "later", 2)
    wait_for(lambda: cond(job(srv, ns, "later"), "Suspended")["status"] == "False", what="resumed")
    j = job(srv, ns, "later")
    assert cond(j, "Suspended")["reason"] == "JobResumed" and j["status"]["startTime"]
    kubectl_patch(kubectl, ns, "job/later", '{"spec":{"suspend":true}}')
    wait_for(lambda: not pods(srv, ns, "later"), what="pods deleted on suspend")
    wait_for(lambda: cond_true(srv, ns, "later", "Suspended"), what="Suspended again")
    st = job(srv, ns, "later")["status"]
    assert "active" not in st and "failed" not in st
    ev = events(srv, ns, "Job", "later")
    assert ("Normal", "Suspended", "Job suspended") in ev and ("Normal", "Resumed", "Job resumed") in ev


def test_ttl_after_finished(srv, ns):
    """ttlSecondsAfterFinished: the finished Job is deleted, with its pods."""
    create_job(srv, ns, "brief", {"ttlSecondsAfterFinished": 1})
    [p] = n_active(srv, ns, "brief", 1)
    terminate(srv, p, 0)
    wait_for(lambda: cond_true(srv, ns, "brief", "Complete"), what="Complete")
    wait_for(lambda: api(srv, "GET", f"/apis/batch/v1/namespaces/{ns}/jobs/brief")[0] == 404, timeout=30,
             what="the job deleted")
    wait_for(lambda: not pods(srv, ns, "brief"), timeout=30, what="its pods deleted")


def test_delete_running_job(srv, ns, kubectl):
    """`kubectl delete job` of a running Job: its pods go too (their tracking finalizer is
    removed once the Job is gone)."""
    create_job(srv, ns, "doomed", {"parallelism": 2, "completions": 2})
    n_active(srv, ns, "doomed", 2)
    assert kubectl("-n", ns, "delete", "job", "doomed").strip() == 'job.batch "doomed" deleted'
    wait_for(lambda: not pods(srv, ns, "doomed"), timeout=30, what="the pods deleted")


def test_adopts_orphan_pods(srv, ns):
    """A Job adopts a matching orphan pod (manualSelector) with the tracking finalizer."""
    sel = {"matchLabels": {"app": "adopt"}}
    tmpl = {"metadata": {"labels": {"app": "adopt"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36"}]}}
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "labels": {"app": "adopt"}},
           "spec": tmpl["spec"]}
    code, out = api(srv, "POST", f"/api/v1/namespaces/{ns}/pods", pod)
    assert code == 201, out
    j = create_job(srv, ns, "adopter", {"manualSelector": True, "selector": sel, "template": tmpl, "parallelism": 1,
                                        "completions": 1})

    def adopted():
        m = get(srv, f"/api/v1/namespaces/{ns}/pods/stray")["metadata"]
        return m.get("ownerReferences", [{}])[0].get("uid") == j["metadata"]["uid"] and FINALIZER in m["finalizers"]
    wait_for(adopted, what="the orphan adopted")
    wait_for(lambda: job(srv, ns, "adopter")["status"].get("active") == 1, what="active 1")
    assert len(get(srv, f"/api/v1/namespaces/{ns}/pods")["items"]) == 1


# ---- CronJobs -----------------------------------------------------------------------------------

def cronjob(server, ns, name):
    return get(server, f"/apis/batch/v1/namespaces/{ns}/cronjobs/{name}")


def create_cronjob(server, ns, name, **spec):
    body = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
            "spec": dict({"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36"}]}}}}}, **spec)}
    code, out = api(server, "POST", f"/apis/batch/v1/namespaces/{ns}/cronjobs", body)
    assert code == 201, out
    return out


def jobs_of(server, ns):
    return get(server, f"/apis/batch/v1/namespaces/{ns}/jobs")["items"]


def suspend_cronjob(server, ns, name):
    """Stops a test's CronJob from firing for the rest of the module."""
    for _ in range(10):
        code, out = api(server, "PATCH", f"/apis/batch/v1/namespaces/{ns}/cronjobs/{name}",
                        {"spec": {"suspend": True}}, "application/merge-patch+json")
        if code != 409:
            break
    assert code == 200, (code, out)


def test_cronjob_fires_forbid_and_history(srv, ns):
    """A CronJob firing every (scaled) minute: Jobs named <cronjob>-<minutes>, owned by it,
    status.active and lastScheduleTime; Forbid waits for the active Job; a finished Job sets
    lastSuccessfulTime and successfulJobsHistoryLimit keeps one."""
    cj = create_cronjob(srv, ns, "tick", concurrencyPolicy="Forbid", successfulJobsHistoryLimit=1)
    first = wait_for(lambda: jobs_of(srv, ns), timeout=30, what="a first job")[0]
    m = first["metadata"]
    minutes = int(m["name"].rsplit("-", 1)[1])
    assert m["name"] == f"tick-{minutes}"
    ref = m["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["uid"], ref["controller"]) == ("CronJob", "tick", cj["metadata"]["uid"], True)
    stamp = m["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
    assert time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(minutes * 60)) == stamp
    st = wait_for(lambda: cronjob(srv, ns, "tick").get("status", {}).get("active") and
                  cronjob(srv, ns, "tick")["status"], what="status.active")
    assert [a["name"] for a in st["active"]] == [m["name"]]
    assert st["lastScheduleTime"] == stamp
    # Forbid: while the first Job runs, none other starts; the controller says so.
    wait_for(lambda: any(e[1] == "JobAlreadyActive" for e in events(srv, ns, "CronJob", "tick")), timeout=30,
             what="JobAlreadyActive")
    assert [j["metadata"]["name"] for j in jobs_of(srv, ns)] == [m["name"]]
    [p] = n_active(srv, ns, m["name"], 1)
    terminate(srv, p, 0)
    wait_for(lambda: cronjob(srv, ns, "tick").get("status", {}).get("lastSuccessfulTime"), what="lastSuccessfulTime")
    # The next run starts, and once it completes the first Job goes (history limit 1).
    second = wait_for(lambda: [j for j in jobs_of(srv, ns) if j["metadata"]["name"] != m["name"]], timeout=30,
                      what="a second job")[0]
    [p] = n_active(srv, ns, second["metadata"]["name"], 1)
    terminate(srv, p, 0)
    wait_for(lambda: m["name"] not in [j["metadata"]["name"] for j in jobs_of(srv, ns)], timeout=30,
             what="the oldest job removed")
    ev = events(srv, ns, "CronJob", "tick")
    assert ("Normal", "SuccessfulCreate", f"Created job {m['name']}") in ev
    assert ("Normal", "SawCompletedJob", f"Saw completed job: {m['name']}, status: Complete") in ev
    assert ("Normal", "SuccessfulDelete", f"Deleted job {m['name']}") in ev
    suspend_cronjob(srv, ns, "tick")


def test_cronjob_failed_history_limit(srv, ns):
    """failedJobsHistoryLimit 0: a failed Job of the CronJob is deleted once it has failed."""
    tmpl = {"spec": {"backoffLimit": 0, "template": {"spec": {
        "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36"}]}}}}
    create_cronjob(srv, ns, "oops", concurrencyPolicy="Forbid", failedJobsHistoryLimit=0, jobTemplate=tmpl)
    first = wait_for(lambda: jobs_of(srv, ns), timeout=30, what="a first job")[0]["metadata"]["name"]
    [p] = n_active(srv, ns, first, 1)
    terminate(srv, p, 1)
    wait_for(lambda: first not in [j["metadata"]["name"] for j in jobs_of(srv, ns)], timeout=30,
             what="the failed job removed")
    ev = events(srv, ns, "CronJob", "oops")
    assert ("Normal", "SawCompletedJob", f"Saw completed job: {first}, status: Failed") in ev
    assert ("Normal", "SuccessfulDelete", f"Deleted job {first}") in ev
    assert not cronjob(srv, ns, "oops").get("status", {}).get("lastSuccessfulTime")
    suspend_cronjob(srv, ns, "oops")


def test_cronjob_replace(srv, ns):
    """Replace: the next run deletes the active Job before it starts its own."""
    create_cronjob(srv, ns, "swap", concurrencyPolicy="Replace", timeZone="Europe/Berlin")
    first = wait_for(lambda: jobs_of(srv, ns), timeout=30, what="a first job")[0]["metadata"]["name"]
    wait_for(lambda: any(e[1] == "SuccessfulDelete" and e[2] == f"Deleted job {first}"
                         for e in events(srv, ns, "CronJob", "swap")), timeout=30, what="the first job replaced")
    st = wait_for(lambda: [a["name"] for a in cronjob(srv, ns, "swap").get("status", {}).get("active", [])
                           if a["name"] != first], what="a newer active job")
    assert len(st) == 1
    suspend_cronjob(srv, ns, "swap")


def test_create_job_from_cronjob(srv, ns, kubectl):
    """`kubectl create job --from=cronjob/X` on a suspended CronJob: a Job from its template,
    owned by it, which the cronjob controller leaves out of status.active."""
    cj = create_cronjob(srv, ns, "manual", suspend=True, timeZone="America/New_York")
    out = kubectl("-n", ns, "create", "job", "by-hand", "--from=cronjob/manual")
    assert out.strip() == "job.batch/by-hand created"
    j = job(srv, ns, "by-hand")
    assert j["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    assert j["metadata"]["ownerReferences"][0]["uid"] == cj["metadata"]["uid"]
    n_active(srv, ns, "by-hand", 1)
    out = kubectl("-n", ns, "get", "cronjob", "manual")
    row = out.splitlines()[1].split()
    assert row[:9] == ["manual", "*", "*", "*", "*", "*", "America/New_York", "True", "0"]
    assert not cronjob(srv, ns, "manual").get("status", {}).get("active")


def test_cronjob_validation(srv, ns, kubectl):
    """Bad schedules and time zones are refused as upstream refuses them."""
    for spec, msg in ((dict(schedule="61 * * * *"), "spec.schedule"),
                      (dict(timeZone="Mars/Olympus"), "spec.timeZone"),
                      (dict(schedule="TZ=UTC * * * * *"), "spec.schedule")):
        body = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "bad"},
                "spec": dict({"schedule": "@hourly", "jobTemplate": {"spec": {"template": {"spec": {
                    "restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox:1.36"}]}}}}}, **spec)}
        code, out = api(srv, "POST", f"/apis/batch/v1/namespaces/{ns}/cronjobs", body)
        assert code == 422 and msg in out["message"], out
    out = kubectl("-n", ns, "create", "cronjob", "hourly", "--image=busybox:1.36", "--schedule=@hourly")
    assert out.strip() == "cronjob.batch/hourly created"
