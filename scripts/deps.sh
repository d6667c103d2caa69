#!/bin/sh
# deps.sh - installs every Debian package kube's build and tests need. Idempotent: packages
# already present are left alone, and apt is not touched when nothing is missing.
set -eu

BUILD="gcc make pkg-config libc6-dev libuv1-dev libmbedtls-dev libsqlite3-dev libcjson-dev
       node-llhttp libyaml-dev libarchive-dev zlib1g-dev libnl-3-dev libnl-route-3-dev
       libnftnl-dev libmnl-dev"
# runc, mount and iproute2 are run by the agent; the rest are for tests and the test image.
RUN="runc ca-certificates iproute2 mount nftables"
TEST="clang libclang-rt-14-dev python3 python3-kubernetes python3-pytest python3-yaml
      openssl curl procps sqlite3 git busybox-static docker-registry skopeo umoci
      python3-cryptography"

missing=""
for p in $BUILD $RUN $TEST; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
echo "deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
