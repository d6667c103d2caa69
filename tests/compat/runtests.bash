#!/bin/bash
# runtests.bash TREE - the part of tests/compat/testcmd.sh that runs inside upstream's v1.20.2
# tree: sources upstream's hack/lib and test/cmd scripts, starts `kube server` in place of
# kube-apiserver + kube-controller-manager, and calls upstream's runTests with record_command
# wrapped (a timeout, one log per function, an ok/FAIL line). Not meant to be run by hand:
# testcmd.sh sets KUBE_BIN, KUBECTL, KUBECTL_CONVERT, COMPAT_LOGS, COMPAT_TIMEOUT and COMPAT_WHAT,
# and COMPAT_UPSTREAM (a directory with upstream's kube-apiserver and kube-controller-manager)
# to run the suite against those instead, started as test-cmd.sh starts them.
#
# What differs from hack/make-rules/test-cmd.sh, and why:
# - no etcd, no Go build: setup() and run_kube_apiserver/run_kube_controller_manager are
#   replaced by compat_setup and compat_start_server (kube embeds the datastore and runs its
#   controllers in the server process; the scheduler and the agent are off, as upstream ran
#   without them);
# - ALLOW_SKEW=true: the suite's own switch to drop --match-server-version (the kubectl under
#   test is never the server's own build; upstream's v1.20.0 kubectl against a v1.20.2 server
#   needs it too);
# - TMPDIR is the run's own directory, and kube's serving certificate is copied to
#   $TMPDIR/apiserver.crt, where kube-apiserver --cert-dir=$TMPDIR would have written its own;
# - the checks runTests makes between functions (auth can-i, auth reconcile, ...) run with
#   errexit off so that one failure there does not end the run; their failures are counted
#   from the driver log and reported on their own line.
KUBE_ROOT=$(cd "$1" && pwd -P)
# The suite writes fixed names under ${TMPDIR:-/tmp} (apiserver.crt, newconfig.yaml, ...): give
# each run its own.
export TMPDIR="$COMPAT_LOGS/tmp"
mkdir -p "$TMPDIR"
cd "$KUBE_ROOT" || exit 2

exec 3>&1                                  # the ok/FAIL lines
exec >"$COMPAT_LOGS/driver.log" 2>&1       # everything else

# As hack/make-rules/test-cmd.sh sets them (they only matter to Go servers, kept for fidelity).
export KUBE_CACHE_MUTATION_DETECTOR="${KUBE_CACHE_MUTATION_DETECTOR:-true}"
export KUBE_PANIC_WATCH_DECODE_ERROR="${KUBE_PANIC_WATCH_DECODE_ERROR:-true}"

source "${KUBE_ROOT}/hack/lib/init.sh"
source "${KUBE_ROOT}/hack/lib/test.sh"

# A free TCP port on 127.0.0.1 (the kernel's pick).
compat_free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

SECURE_API_PORT=$(compat_free_port)
# shellcheck disable=SC2034 # read by legacy-script.sh runTests
ALLOW_SKEW=true
# legacy-script.sh puts KUBE_OUTPUT_HOSTBIN first on PATH: make it hold the kubectl under test.
KUBE_OUTPUT_HOSTBIN="$COMPAT_LOGS/bin"
mkdir -p "$KUBE_OUTPUT_HOSTBIN"
ln -sf "$KUBECTL" "$KUBE_OUTPUT_HOSTBIN/kubectl"
# and the kubectl-convert plugin built from the suite's tree (kubectl finds `kubectl convert` there)
[[ -n "${KUBECTL_CONVERT-}" ]] && ln -sf "$KUBECTL_CONVERT" "$KUBE_OUTPUT_HOSTBIN/kubectl-convert"
export KUBE_OUTPUT_HOSTBIN
export KUBE_JUNIT_REPORT_DIR="$COMPAT_LOGS/junit"

# legacy-script.sh runs a canary record at source time, its junit output in a fixed-named
# /tmp/record_command_canary.XXXXX it never removes: remove the ones this run made.
compat_canaries=$(ls -d /tmp/record_command_canary.* 2>/dev/null || true)
source "${KUBE_ROOT}/test/cmd/legacy-script.sh"
for d in /tmp/record_command_canary.*; do
	[ -d "$d" ] && ! grep -qxF "$d" <<<"$compat_canaries" && rm -rf "$d"
done

COMPAT_PASSED=0
COMPAT_FAILED=0
COMPAT_SKIPPED=0

# compat_skip_reason LOG: prints why the function may be skipped, or nothing. Only two causes
# the issue allows, each recognised only when it is what stopped the function (the lines just
# before the log's first call tree, printed where errexit stopped it, without the colour codes
# of the assertion printed before them):
# - kubectl's own answer to an unknown command "convert" (as v1.20 and as v1.33 word it):
#   kubectl has no convert command since it became the kubectl-convert plugin;
# - kubectl failing to resolve a host name in a URL the suite reads from (this machine has no
#   network beyond the package registries).
compat_skip_reason() {
	awk -v kubectl="$("$KUBECTL" version --client -o json 2>/dev/null |
		sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p')" '
	     /^!!! .*Call tree:$/ { found = 1; exit }
	     { gsub(/\033\(B|\033\[[0-9;]*m/, ""); prev2 = prev1; prev1 = $0 }
	     END {
		if (!found)
			exit
		if ((prev2 == "Error: unknown command \"convert\" for \"kubectl\"" &&
		     prev1 == "Run '"'"'kubectl --help'"'"' for usage.") ||
		    prev1 == "error: unknown command \"convert\" for \"kubectl\"")
			print "needs kubectl convert: not in kubectl " kubectl
		else if (prev1 ~ /^Unable to connect to the server: dial tcp: lookup [^ ]+ on .*: no such host$/) {
			split(prev1, w, " ")
			print "needs " w[10] ", outside this machine"
		}
	     }' "$1"
}

# Kills the processes of process group pgid that its shell no longer owns: a `kubectl proxy`
# a failed function left running (it keeps juLog's tee pipe open, so the record would never end;
# upstream's run, where nothing fails, never meets this).
compat_kill_orphans() {
	local pid pgid ppid
	ps -eo pid=,pgid=,ppid= | while read -r pid pgid ppid; do
		if [ "$pgid" = "$1" ] && [ "$pid" != "$1" ] && ! ps -o pgid= -p "$ppid" 2>/dev/null | grep -qx " *$1"; then
			kill -9 "$pid" 2>/dev/null
		fi
	done
}

# upstream's record_command, kept under another name and called by the wrapper below.
eval "$(declare -f record_command | sed '1s/^record_command/compat_upstream_record_command/')"

# record_command NAME: runs upstream's record_command for NAME in a subshell with a timeout,
# its output in LOGS/NAME.log; prints "ok NAME" or "FAIL NAME ...".
record_command() {
	# WHAT=X runs run_X_tests; a function not named that way (run_secrets_test) is given whole
	if ! declare -F "$1" >/dev/null && declare -F "${1%_tests}" >/dev/null; then
		set -- "${1%_tests}" "${@:2}"
	fi
	local name="$1" log="$COMPAT_LOGS/$1.log" pid waited=0 rc=0 why="" start=$SECONDS done_at="" skip
	rm -f "/tmp/evErr.$$.log"
	set -m # the record gets its own process group: what it leaves behind can be found
	(
		foundError=""
		COMPAT_IN_RECORD=1
		compat_upstream_record_command "$@"
		[[ -z "${foundError}" ]]
	) >"$log" 2>&1 &
	pid=$!
	set +m
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((COMPAT_TIMEOUT * 4)) ]; do
		sleep 0.25
		waited=$((waited + 1))
		# the function has returned (juLog's eVal wrote its status) but the record goes on
		if [ -f "/tmp/evErr.$$.log" ]; then
			done_at=${done_at:-$waited}
			[ $((waited - done_at)) -eq 20 ] && compat_kill_orphans "$pid"
		fi
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 -- "-$pid" 2>/dev/null
		why=" (timeout after ${COMPAT_TIMEOUT}s)"
		echo "testcmd: killed after ${COMPAT_TIMEOUT}s" >>"$log"
	fi
	compat_kill_orphans "$pid"
	wait "$pid" || rc=$?
	local result=FAIL
	if [ "$rc" -eq 0 ] && [ -z "$why" ]; then
		result=ok
		COMPAT_PASSED=$((COMPAT_PASSED + 1))
		echo "ok ${name}" >&3
	elif [ -z "$why" ] && skip=$(compat_skip_reason "$log") && [ -n "$skip" ]; then
		result=skip
		why=" ($skip)"
		COMPAT_SKIPPED=$((COMPAT_SKIPPED + 1))
		echo "skip ${name}${why}" >&3
	else
		COMPAT_FAILED=$((COMPAT_FAILED + 1))
		echo "FAIL ${name}${why}" >&3
	fi
	echo "${name} ${result} $((SECONDS - start))s${why}" >>"$COMPAT_LOGS/results.txt"
}

# runTests calls run_recursive_resources_tests without record_command, in its own shell, where
# one failed assertion ends the whole run (upstream's passes): give it a record like the others.
eval "$(declare -f run_recursive_resources_tests | sed '1s/^run_recursive_resources_tests/compat_recursive_resources_tests/')"
run_recursive_resources_tests() {
	if [[ -n "${COMPAT_IN_RECORD-}" ]]; then
		compat_recursive_resources_tests "$@"
	else
		COMPAT_IN_RECORD=1 record_command run_recursive_resources_tests
	fi
}

# Upstream's setup() without etcd and without building kubectl.
compat_setup() {
	kube::util::ensure-temp-dir
	HOME="${KUBE_TEMP}" # ensure ~/.kube/config isn't loaded by tests
	kube::util::ensure-gnu-sed
	CONTEXT="test"
	kubectl config set-credentials test-admin --token admin-token
	kubectl config set-cluster local --insecure-skip-tls-verify --server "https://127.0.0.1:${SECURE_API_PORT}"
	kubectl config set-context "${CONTEXT}" --user test-admin --cluster local
	kubectl config use-context "${CONTEXT}"
	kubectl config view
}

# In place of kube-apiserver and kube-controller-manager: one kube server with the settings
# test-cmd.sh gives them that kube has (bind address, port, service range, token file, client
# CA file, its admission plugin lists, authorization mode; no node CIDR allocation, as
# kube-controller-manager runs without --allocate-node-cidrs).
compat_start_server() {
	local data="${KUBE_TEMP}/kube"
	mkdir -p "$data"
	echo "# empty: the flags below are the whole configuration" >"${KUBE_TEMP}/kube-config.yaml"
	env -i PATH="/usr/sbin:/usr/bin:/sbin:/bin" HOME="${KUBE_TEMP}" "$KUBE_BIN" server \
		--config "${KUBE_TEMP}/kube-config.yaml" \
		--data-dir "$data" \
		--bind-address 127.0.0.1 \
		--https-listen-port "${SECURE_API_PORT}" \
		--tls-san localhost \
		--write-kubeconfig "${KUBE_TEMP}/kube.yaml" \
		--disable-agent --disable-scheduler --allocate-node-cidrs=false \
		--service-cidr 10.0.0.0/24 \
		--token-auth-file "${KUBE_ROOT}/hack/testdata/auth-tokens.csv" \
		--client-ca-file "${KUBE_ROOT}/hack/testdata/ca.crt" \
		--enable-admission-plugins "LimitRanger,ResourceQuota" \
		--disable-admission-plugins "ServiceAccount,PersistentVolumeLabel,DefaultStorageClass,DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,StorageObjectInUseProtection" \
		--authorization-mode RBAC,AlwaysAllow \
		>"$COMPAT_LOGS/server.log" 2>&1 &
	APISERVER_PID=$!
	kube::util::wait_for_url_with_bearer_token "https://127.0.0.1:${SECURE_API_PORT}/healthz" "admin-token" "apiserver" ||
		return 1
	# kube-apiserver --cert-dir=${TMPDIR:-/tmp/} leaves its serving certificate there, and
	# kubeconfig.sh reads it: put kube's there.
	cp "$data/server/tls/serving.crt" "${TMPDIR:-/tmp}/apiserver.crt"
}

# For comparison: etcd, kube-apiserver and kube-controller-manager, with test-cmd.sh's flags
# (run_kube_apiserver, run_kube_controller_manager); only the ports are the run's own.
compat_start_upstream() {
	ETCD_PORT=$(compat_free_port)
	KUBE_INTEGRATION_ETCD_URL="http://${ETCD_HOST}:${ETCD_PORT}"
	ETCD_DIR="${KUBE_TEMP}/etcd" ETCD_LOGFILE="$COMPAT_LOGS/etcd.log" kube::etcd::start
	SERVICE_ACCOUNT_KEY="${TMPDIR}/kube-serviceaccount.key"
	openssl genrsa -out "${SERVICE_ACCOUNT_KEY}" 2048 2>/dev/null
	"$COMPAT_UPSTREAM/kube-apiserver" \
		--bind-address="127.0.0.1" \
		--authorization-mode="RBAC,AlwaysAllow" \
		--secure-port="${SECURE_API_PORT}" \
		--feature-gates="ServerSideApply=true" \
		--enable-admission-plugins="LimitRanger,ResourceQuota" \
		--disable-admission-plugins="ServiceAccount,PersistentVolumeLabel,DefaultStorageClass,DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,StorageObjectInUseProtection" \
		--etcd-servers="${KUBE_INTEGRATION_ETCD_URL}" \
		--runtime-config=api/v1 \
		--service-account-key-file="${SERVICE_ACCOUNT_KEY}" \
		--service-account-lookup=true \
		--service-account-issuer="https://kubernetes.default.svc" \
		--service-account-signing-key-file="${SERVICE_ACCOUNT_KEY}" \
		--cert-dir="${TMPDIR}" \
		--service-cluster-ip-range="10.0.0.0/24" \
		--client-ca-file=hack/testdata/ca.crt \
		--token-auth-file=hack/testdata/auth-tokens.csv >"$COMPAT_LOGS/server.log" 2>&1 &
	APISERVER_PID=$!
	kube::util::wait_for_url_with_bearer_token "https://127.0.0.1:${SECURE_API_PORT}/healthz" "admin-token" "apiserver" ||
		return 1
	SECURE_CTLRMGR_PORT=$(compat_free_port)
	cat >"${KUBE_TEMP}/controller-manager.kubeconfig" <<__EOF__
kind: Config
users:
- name: controller-manager
  user:
    token: admin-token
clusters:
- cluster:
    server: https://127.0.0.1:${SECURE_API_PORT}
    insecure-skip-tls-verify: true
  name: local
contexts:
- context:
    cluster: local
    user: controller-manager
  name: local-context
current-context: local-context
__EOF__
	"$COMPAT_UPSTREAM/kube-controller-manager" --port=0 --secure-port="${SECURE_CTLRMGR_PORT}" \
		--kubeconfig="${KUBE_TEMP}/controller-manager.kubeconfig" >"$COMPAT_LOGS/controller-manager.log" 2>&1 &
	CTLRMGR_PID=$!
	kube::util::wait_for_url "https://127.0.0.1:${SECURE_CTLRMGR_PORT}/healthz" "controller-manager"
}

compat_cleanup() {
	stop-proxy || true
	local pid
	for pid in "${CTLRMGR_PID-}" "${APISERVER_PID-}"; do
		[[ -n "$pid" ]] || continue
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	kube::etcd::cleanup
	[[ -n "${KUBE_TEMP-}" ]] && rm -rf "${KUBE_TEMP}"
}

# test-cmd.sh's create_node: there is no kubelet, so the Node is made by hand.
compat_create_node() {
	kubectl create -f - <<__EOF__
{
  "kind": "Node",
  "apiVersion": "v1",
  "metadata": {
    "name": "127.0.0.1"
  },
  "status": {
    "capacity": {
      "memory": "1Gi"
    }
  }
}
__EOF__
}

trap compat_cleanup EXIT
compat_setup
compat_start=compat_start_server
[[ -n "${COMPAT_UPSTREAM-}" ]] && compat_start=compat_start_upstream
if ! "$compat_start"; then
	echo "FAIL the server did not start (see $COMPAT_LOGS/server.log)" >&3
	echo "0 passed, 1 failed, 0 skipped" >&3
	exit 1
fi
compat_create_node
export SUPPORTED_RESOURCES=("*")

# COMPAT_WHAT: function names, in upstream's WHAT form (run_X_tests is given as X; other names
# whole).
WHAT=""
for f in ${COMPAT_WHAT}; do
	f=${f#run_}
	WHAT="${WHAT:+$WHAT }${f%_tests}"
done
export WHAT

set +o errexit
runTests
inline=$(grep -c 'FAIL!' "$COMPAT_LOGS/driver.log")
if [ "${inline}" -gt 0 ]; then
	echo "note: ${inline} check(s) runTests makes between functions failed (see $COMPAT_LOGS/driver.log)" >&3
fi
echo "${COMPAT_PASSED} passed, ${COMPAT_FAILED} failed, ${COMPAT_SKIPPED} skipped" >&3
[ "${COMPAT_FAILED}" -eq 0 ]
