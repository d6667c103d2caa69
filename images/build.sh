#!/bin/sh
# build.sh - builds the small test image, offline, from Debian's busybox-static.
#
# Usage: images/build.sh [OUTDIR]      (default: build/images)
#
# Output (see docs/agent.md, "Images"):
#   OUTDIR/oci/                 an OCI image layout with the tags
#                                 latest  the image for this machine's architecture
#                                 other   the same image labelled for a second architecture
#                                         (arm64 on amd64, amd64 elsewhere): a fake, for tests
#                                 multi   an OCI index holding both (platform resolution)
#   OUTDIR/kube-test.oci.tar    oci-archive of latest, named docker.io/library/kube-test:latest
#   OUTDIR/kube-test.docker.tar docker-archive of latest, tagged kube-test:latest
#   OUTDIR/image.env            shell variables describing the image (digests, arches)
#
# The image: /bin/busybox with a link for every applet in /bin (sh, httpd, nc, sleep, cat,
# ...), /etc/passwd and /etc/group (root, nobody), /tmp (1777), /www/index.html, and
# /bin/serve, a script that runs "httpd -f -v -p ${PORT:-8080} -h ${WWW:-/www}".
# Config: Cmd ["/bin/serve"], no Entrypoint, Env PATH, WorkingDir /, ExposedPorts 8080/tcp.
# Layers: 1 the base tree, 2 a whiteout for /etc/motd-old, 3 an opaque /opt holding only
# /opt/new.txt (so /opt/old from layer 1 is hidden): whiteouts are exercised by every user.
#
# Needs busybox-static, umoci and skopeo (scripts/deps.sh). Runs as root or not. The result is
# reproducible: file times and history dates are fixed.
set -eu

OUT=${1:-build/images}
BUSYBOX=${BUSYBOX:-/bin/busybox}
EPOCH=2024-01-01T00:00:00Z

for tool in umoci skopeo; do
	command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: $tool is missing (scripts/deps.sh)" >&2; exit 1; }
done
[ -x "$BUSYBOX" ] || { echo "build.sh: $BUSYBOX is missing (busybox-static)" >&2; exit 1; }

# Go's architecture names (the image config's "architecture" and "variant").
goarch() {
	case "$1" in
	amd64 | x86_64) echo amd64 ;;
	arm64 | aarch64) echo arm64 ;;
	armhf | armv7l) echo arm ;;
	armel | armv6l) echo arm ;;
	i386 | i686) echo 386 ;;
	*) echo "$1" ;;
	esac
}
native=$(goarch "$(dpkg --print-architecture 2>/dev/null || uname -m)")
variant=
case "$native" in arm) variant=v7 ;; esac
if [ "$native" = amd64 ]; then other=arm64; else other=amd64; fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kube-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
L="$work/layout"

# Layer 1: the base tree.
R="$work/base"
mkdir -p "$R/bin" "$R/etc" "$R/tmp" "$R/www" "$R/opt/old" "$R/root" "$R/home"
cp "$BUSYBOX" "$R/bin/busybox"
for app in $("$BUSYBOX" --list); do
	[ "$app" = busybox ] || ln -s busybox "$R/bin/$app"
done
ln "$R/bin/busybox" "$R/bin/busybox.hardlink"
cat >"$R/bin/serve" <<'SCRIPT'
#!/bin/sh
# The image's default command: a tiny HTTP server on ${PORT:-8080} serving ${WWW:-/www}.
exec httpd -f -v -p "${PORT:-8080}" -h "${WWW:-/www}"
SCRIPT
chmod 0755 "$R/bin/serve"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
echo "kube test image" >"$R/www/index.html"
echo "removed by layer 2" >"$R/etc/motd-old"
echo "hidden by layer 3" >"$R/opt/old/gone.txt"
chmod 1777 "$R/tmp"
chmod 0700 "$R/root"
find "$R" -exec touch -h -d "$EPOCH" {} +

# Layer 3's content: /opt with a single file.
O="$work/opt"
mkdir -p "$O"
echo "new in layer 3" >"$O/new.txt"
find "$O" -exec touch -h -d "$EPOCH" {} +

umoci init --layout "$L"
umoci new --image "$L:latest"
H="--history.created=$EPOCH"
umoci insert --image "$L:latest" $H --history.created_by="busybox-static and the test tree" "$R" /
umoci insert --image "$L:latest" $H --history.created_by="whiteout /etc/motd-old" --whiteout /etc/motd-old
umoci insert --image "$L:latest" $H --history.created_by="opaque /opt" --opaque "$O" /opt
umoci config --image "$L:latest" --created="$EPOCH" --no-history \
	--os linux --architecture "$native" \
	--config.cmd /bin/serve \
	--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	--config.workingdir / \
	--config.exposedports 8080/tcp \
	--config.label org.opencontainers.image.title=kube-test
if [ -n "$variant" ]; then
	# umoci has no flag for the variant: patch the config with the image's own tools is not
	# possible offline either, so the variant is recorded in the index below only.
	:
fi
umoci config --image "$L:latest" --tag other --no-history --architecture "$other"
umoci gc --layout "$L"

# The index ("multi"): both manifests with their platforms.
desc() { # tag -> the descriptor of its manifest in index.json, without annotations
	sed -n 's/.*\({"mediaType":"[^"]*","digest":"[^"]*","size":[0-9]*\),"annotations":{"org.opencontainers.image.ref.name":"'"$1"'"}}.*/\1/p' "$L/index.json"
}
d_native=$(desc latest)
d_other=$(desc other)
[ -n "$d_native" ] && [ -n "$d_other" ] || { echo "build.sh: cannot read $L/index.json" >&2; exit 1; }
vjson=
[ -n "$variant" ] && vjson=",\"variant\":\"$variant\""
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,"platform":{"architecture":"%s","os":"linux"}},%s,"platform":{"architecture":"%s","os":"linux"%s}}]}' \
	"$d_other" "$other" "$d_native" "$native" "$vjson" >"$work/index-multi.json"
idx_digest=$(sha256sum "$work/index-multi.json" | cut -d' ' -f1)
idx_size=$(wc -c <"$work/index-multi.json" | tr -d ' ')
cp "$work/index-multi.json" "$L/blobs/sha256/$idx_digest"
# Append the index to index.json under the tag "multi".
sed 's/]}$//' "$L/index.json" >"$work/index.json"
printf ',{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"multi"}}]}' \
	"$idx_digest" "$idx_size" >>"$work/index.json"
cp "$work/index.json" "$L/index.json"

rm -rf "$OUT/oci" "$OUT/kube-test.oci.tar" "$OUT/kube-test.docker.tar"
cp -a "$L" "$OUT/oci"
chmod -R a+rX "$OUT/oci"
skopeo --insecure-policy copy -q "oci:$OUT/oci:latest" "oci-archive:$OUT/kube-test.oci.tar:docker.io/library/kube-test:latest"
skopeo --insecure-policy copy -q "oci:$OUT/oci:latest" "docker-archive:$OUT/kube-test.docker.tar:kube-test:latest"

manifest_of() { printf '%s' "$1" | sed 's/.*"digest":"\([^"]*\)".*/\1/'; }
config_of() { # manifest digest -> config digest
	sed 's/.*"config":{[^}]*"digest":"\([^"]*\)".*/\1/' "$OUT/oci/blobs/sha256/${1#sha256:}"
}
m_native=$(manifest_of "$d_native")
cat >"$OUT/image.env" <<ENV
# Written by images/build.sh: the test image's facts, for tests.
KUBE_TEST_IMAGE_ARCH=$native
KUBE_TEST_IMAGE_OTHER_ARCH=$other
KUBE_TEST_IMAGE_MANIFEST=$m_native
KUBE_TEST_IMAGE_ID=$(config_of "$m_native")
KUBE_TEST_IMAGE_OTHER_MANIFEST=$(manifest_of "$d_other")
KUBE_TEST_IMAGE_OTHER_ID=$(config_of "$(manifest_of "$d_other")")
KUBE_TEST_IMAGE_INDEX=sha256:$idx_digest
ENV
echo "build.sh: test image in $OUT (oci/, kube-test.oci.tar, kube-test.docker.tar, image.env)"
