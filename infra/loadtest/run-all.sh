#!/usr/bin/env bash
# Runs every benchmark scenario at full scale, one after another, against herald.jar on a real PostgreSQL,
# and keeps each scenario's output in a results directory. About 25 minutes on a 2-core machine (3 more the
# first time, to seed history's database).
# Usage: infra/loadtest/run-all.sh [RESULTS_DIR]
# Environment: JAVA_HOME; BENCH_DB (default jdbc:postgresql://127.0.0.1:5432/herald_bench), HISTORY_DB (default
#   .../herald_history_bench: the ten million rows of history and nothing else, so the other scenarios' rows do
#   not push its pages out of shared buffers) and COLDSTART_DB (default .../herald_coldstart_bench), all
#   existing databases (createdb); LOADTEST_JAR (default: a copy of
#   infra/loadtest/target/herald-loadtest.jar, so a rebuild during the run cannot disturb it); SCENARIOS;
#   TOKEN_CACHE (default ~/.cache/herald-loadtest/tokens.tsv: bearer tokens, kept out of the repository).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
results="${1:-$root/infra/loadtest/results/$(date -u +%F)}"
java="${JAVA_HOME:?set JAVA_HOME}/bin/java"
bench_db="${BENCH_DB:-jdbc:postgresql://127.0.0.1:5432/herald_bench}"
coldstart_db="${COLDSTART_DB:-jdbc:postgresql://127.0.0.1:5432/herald_coldstart_bench}"
history_db="${HISTORY_DB:-jdbc:postgresql://127.0.0.1:5432/herald_history_bench}"
mkdir -p "$results"
jar="${LOADTEST_JAR:-$(mktemp -d)/herald-loadtest.jar}"
[ -f "$jar" ] || cp "$root/infra/loadtest/target/herald-loadtest.jar" "$jar"
token_cache="${TOKEN_CACHE:-$HOME/.cache/herald-loadtest/tokens.tsv}"
server=(--server "$root/api/target/herald.jar" --jdbc-url "$bench_db" --token-cache "$token_cache")

{ echo "commit: $(git -C "$root" rev-parse --short HEAD)  date: $(date -u +%FT%TZ)  host: $(nproc) CPUs, $(free -g | awk '/Mem:/{print $2}') GiB"
  "$java" -version 2>&1 | tail -1; } > "$results/environment.txt"

# durable-batched: the durable scenario publishing in batches of 100 (issue #7: "batch inserts and commits
# where that is what it takes"), beside its single publishes. broadcast-topic: the broadcast scenario with
# each burst one message on a topic every connection subscribed to (stored once), beside "audience":"all"
# (a row per user).
for scenario in ${SCENARIOS:-connect-storm targeted-fanout broadcast broadcast-topic durable durable-batched batch-fanout history cold-start}; do
  echo "== $scenario" >&2
  name="$scenario"
  if [ "$scenario" = durable-batched ]; then
    name=durable
    args=("${server[@]}" --batch 100)
  elif [ "$scenario" = broadcast-topic ]; then
    name=broadcast
    args=("${server[@]}" --topic bench)
  elif [ "$scenario" = cold-start ]; then
    args=(--server "$root/api/target/herald.jar" --jdbc-url "$coldstart_db" --train-aot "$root/infra/image/train-aot-cache.sh")
  elif [ "$scenario" = history ]; then
    # Users and tokens of that database, not of BENCH_DB's
    args=(--server "$root/api/target/herald.jar" --jdbc-url "$history_db" --token-cache "${token_cache%.tsv}-history.tsv")
  else
    args=("${server[@]}")
  fi
  "$java" -jar "$jar" "$name" "${args[@]}" > "$results/$scenario.txt" 2>&1 || echo "$scenario failed, see $results/$scenario.txt" >&2
  sed -n '/^== /,$p' "$results/$scenario.txt" >&2
done
