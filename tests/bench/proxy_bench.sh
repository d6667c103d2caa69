#!/bin/sh
# proxy_bench.sh - builds and runs tests/bench/proxy_bench.c (the service proxy's sync time
# against `nft -f`) with the objects of a build directory. Needs root (nftables).
# Environment: BUILD (default build; its obj/ must hold lib/, netfilter/ and agent/ objects).
# Arguments: the Service counts (default 1000 5000 10000).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
if [ "$(id -u)" != 0 ]; then
	echo "proxy_bench: skipped (needs root for nftables)"
	exit 0
fi
out=$(mktemp "${TMPDIR:-/tmp}/proxy_bench.XXXXXX")
trap 'rm -f "$out"' EXIT
O=$BUILD/obj
# shellcheck disable=SC2046 # object lists
cc -std=gnu11 -O2 -I. -Ilib -o "$out" tests/bench/proxy_bench.c $O/agent/proxy_rules.o $O/netfilter/*.o \
	$O/lib/buf.o $O/lib/util.o $O/lib/hmap.o $O/lib/json.o $O/lib/log.o -lcjson -lnftnl -lmnl -lm
"$out" "$@"
