#!/usr/bin/env bash
# Everything the image build needs before Jib runs (the Maven profile `image` calls it at package):
#   1. the base image tarball (build-base-image.sh), unless it exists and SKIP_BASE_IMAGE=true
#   2. the application directory Jib copies to /app: herald.jar, with the modification time Jib gives it
#      (1970-01-01T00:00:01Z), and herald.aot, the AOT cache trained with the base image's own JVM
# Usage: infra/image/prepare-image.sh HERALD_JAR APP_DIR BASE_TAR
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
jar="$1"
app_dir="$2"
base_tar="$3"

if [ "${SKIP_BASE_IMAGE:-false}" != true ] || [ ! -s "$base_tar" ]; then
  "$here/build-base-image.sh" "$base_tar"
fi

rm -rf "$app_dir"
mkdir -p "$app_dir"
cp "$jar" "$app_dir/herald.jar"
# The AOT cache is valid only for a jar of the same size and modification time; Jib stamps every file
# it adds with 1970-01-01T00:00:01Z (its default filesModificationTime), so train on exactly that.
touch -d @1 "$app_dir/herald.jar"
"$here/train-aot-cache.sh" "$here/target/base/rootfs/opt/java/bin/java" "$app_dir/herald.jar" "$app_dir/herald.aot"
