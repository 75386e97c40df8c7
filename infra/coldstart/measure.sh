#!/usr/bin/env bash
# Cold start of herald.jar: wall time from launching the JVM until GET /health/liveness answers 200 (the
# HTTP server accepts connections), against a real PostgreSQL whose schema is already migrated (what a
# replica scaled up from zero finds). Compares, with the image's JVM flags:
#   default   java -jar herald.jar (the JDK's default CDS archive of JDK classes only)
#   appcds    -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile= (dynamic archive, made by a first run)
#   aot       -XX:AOTCache= (JDK 25 AOT cache, trained by infra/image/train-aot-cache.sh)
# Usage: infra/coldstart/measure.sh [RUNS]   (default 5)
# Environment: JAVA (default $JAVA_HOME/bin/java), HERALD_JAR (default api/target/herald.jar),
#   DATASOURCES_DEFAULT_URL/_USERNAME/_PASSWORD (default jdbc:postgresql://127.0.0.1:5432/herald_coldstart,
#   postgres; create it with: psql -h 127.0.0.1 -U postgres -c 'create database herald_coldstart').
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-5}"
java="${JAVA:-${JAVA_HOME:?set JAVA_HOME or JAVA}/bin/java}"
jar="${HERALD_JAR:-$root/api/target/herald.jar}"
export DATASOURCES_DEFAULT_URL="${DATASOURCES_DEFAULT_URL:-jdbc:postgresql://127.0.0.1:5432/herald_coldstart}"
export DATASOURCES_DEFAULT_USERNAME="${DATASOURCES_DEFAULT_USERNAME:-postgres}"
export DATASOURCES_DEFAULT_PASSWORD="${DATASOURCES_DEFAULT_PASSWORD:-unused-with-trust-auth}"
export HERALD_INVENTORY_SCHEDULED_CHECKS=false
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$jar" "$scratch/herald.jar"
jar="$scratch/herald.jar"
flags=(-XX:+UseG1GC -XX:MaxRAMPercentage=75)

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export MICRONAUT_SERVER_PORT="$port"

# Prints milliseconds from launch to the first 200 of /health/liveness, then stops Herald.
time_to_liveness() {
  local start herald
  start=$(date +%s%N)
  "$java" "${flags[@]}" "$@" -jar "$jar" >"$scratch/herald.log" 2>&1 &
  herald=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/liveness"; do
    if ! kill -0 "$herald" 2>/dev/null; then cat "$scratch/herald.log" >&2; return 1; fi
    sleep 0.01
  done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill -TERM "$herald"
  wait "$herald" || true
}

echo "preparing: migrating the schema, the AppCDS archive, the AOT cache" >&2
time_to_liveness >/dev/null
time_to_liveness -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$scratch/herald.jsa" >/dev/null
"$root/infra/image/train-aot-cache.sh" "$java" "$jar" "$scratch/herald.aot" >/dev/null 2>&1

declare -A results
for run in $(seq 1 "$runs"); do
  results[default]+="$(time_to_liveness) "
  results[appcds]+="$(time_to_liveness -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$scratch/herald.jsa") "
  results[aot]+="$(time_to_liveness -XX:AOTCache="$scratch/herald.aot") "
  echo "run $run of $runs done" >&2
done

echo "JVM: $("$java" -version 2>&1 | tail -1); CPUs: $(nproc); runs: $runs"
printf '%-8s %10s %8s %8s   %s\n' mode median_ms min_ms max_ms all_ms
for mode in default appcds aot; do
  python3 - "$mode" ${results[$mode]} <<'PY'
import statistics, sys
mode, values = sys.argv[1], [int(v) for v in sys.argv[2:]]
print(f"{mode:<8} {statistics.median(values):>10.0f} {min(values):>8} {max(values):>8}   {' '.join(map(str, values))}")
PY
done
