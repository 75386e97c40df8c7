#!/usr/bin/env bash
# Builds Herald's base image as a docker-save tarball, without a Docker daemon or a registry, so that
# Jib can build on it with tar://. The image holds only what `java -jar herald.jar` needs:
#   /opt/java   a jlink runtime made from the local JDK 25 (the modules Herald uses, with its default CDS
#               archive), so the JVM in the image is byte-for-byte the one the AOT cache is trained with
#   glibc       the shared libraries of Debian's libc6 package (the JDK bundles zlib, so nothing else)
#   /etc/passwd the unprivileged user herald (uid/gid 65532), its home and a writable /tmp
# Usage: infra/image/build-base-image.sh [output.tar]   (default infra/image/target/herald-base.tar)
# Needs: JAVA_HOME pointing at a JDK 25, apt-get and dpkg-deb (Debian/Ubuntu), python3.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
output="${1:-$here/target/herald-base.tar}"
java_home="${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
work="$here/target/base"

# jdeps on herald.jar reports java.base, java.desktop (QR codes), java.management, java.naming, java.rmi,
# java.security.jgss, java.sql, jdk.jfr and jdk.unsupported; jdk.zipfs, jdk.management, jdk.naming.dns and
# jdk.charsets are loaded as services, which jdeps cannot see.
modules="java.base,java.desktop,java.management,java.naming,java.rmi,java.security.jgss,java.sql,jdk.jfr"
modules="$modules,jdk.unsupported,jdk.zipfs,jdk.management,jdk.naming.dns,jdk.charsets"

rm -rf "$work"
mkdir -p "$work/rootfs/opt" "$work/debs" "$(dirname "$output")"
rootfs="$work/rootfs"

# No --compress: a compressed modules file costs start-up time, and the image layer is compressed anyway.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$rootfs/opt/java"

# glibc from Debian's own package, the same version the build machine runs (so it is reproducible from
# the package version recorded in the image's history).
libc_version="$(dpkg-query -W -f='${Version}' libc6)"
# As root apt cannot drop to its sandbox user in a directory it does not own; say so instead of warning.
sandbox=()
[ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root)
(cd "$work/debs" && apt-get download -q "${sandbox[@]}" "libc6=$libc_version" >/dev/null)
dpkg-deb -x "$work"/debs/libc6_*.deb "$work/libc6"
mkdir -p "$rootfs/lib/x86_64-linux-gnu" "$rootfs/lib64"
for library in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 \
               libnss_dns.so.2 libnss_files.so.2; do
  if [ -e "$work/libc6/lib/x86_64-linux-gnu/$library" ]; then
    cp -L "$work/libc6/lib/x86_64-linux-gnu/$library" "$rootfs/lib/x86_64-linux-gnu/$library"
  fi
done
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/lib64/ld-linux-x86-64.so.2"

mkdir -p "$rootfs/etc" "$rootfs/home/herald" "$rootfs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nherald:x:65532:65532:herald:/home/herald:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nherald:x:65532:\n' > "$rootfs/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

python3 "$here/write-image-tar.py" "$rootfs" "$output" \
  "jlink of $("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') ($modules); Debian libc6 $libc_version"
echo "base image: $output ($(du -h "$output" | cut -f1))"
