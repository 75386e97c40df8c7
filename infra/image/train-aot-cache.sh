#!/usr/bin/env bash
# Trains the JDK 25 ahead-of-time cache for herald.jar: starts Herald with -XX:AOTCacheOutput, drives the
# paths a fresh replica takes (readiness with the database, login, publish, history, a WebSocket upgrade),
# then stops it; the JVM writes the cache as it exits. A JVM started with -XX:AOTCache= and the same jar
# (same size and modification time, any directory) and the same runtime starts with those classes already
# loaded and linked; with another JVM or jar it warns and starts normally.
# Usage: infra/image/train-aot-cache.sh JAVA HERALD_JAR OUTPUT.aot
# The database: TRAINING_DATABASE_URL (and _USERNAME, _PASSWORD) when set (named apart from Herald's own
# variables so that a Maven build's tests never see them), else DATASOURCES_DEFAULT_URL/_USERNAME/_PASSWORD
# when set, else Herald's embedded PostgreSQL in a scratch directory (which refuses to run as root). A database
# given must be new to Herald, or one this script trained on before: the script signs in as the admin that
# Herald creates, with this script's password, only where there is none.
set -euo pipefail

java="$1"
jar="$2"
output="$3"
scratch="$(mktemp -d)"
herald=""
# Whatever step fails, Herald is stopped (not left running on its port) and no half-trained cache is kept.
cleanup() {
  status=$?
  if [ -n "$herald" ] && kill -0 "$herald" 2>/dev/null; then
    kill -TERM "$herald"
    wait "$herald" || true
  fi
  if [ "$status" -ne 0 ]; then
    rm -f "$output"
    # The JVM writes the cache even when Herald stops on an error, and its [aot] warnings would bury the
    # reason under them.
    [ -f "$scratch/herald.log" ] && grep -v '\]\[aot\]' "$scratch/herald.log" | tail -n 40 >&2
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
export MICRONAUT_SERVER_PORT="$port"
if [ -n "${TRAINING_DATABASE_URL:-}" ]; then
  export DATASOURCES_DEFAULT_URL="$TRAINING_DATABASE_URL"
  export DATASOURCES_DEFAULT_USERNAME="${TRAINING_DATABASE_USERNAME:-postgres}"
  export DATASOURCES_DEFAULT_PASSWORD="${TRAINING_DATABASE_PASSWORD:-}"
fi
export HERALD_ADMIN_PASSWORD="aot-training-only"
export HERALD_AUTH_BCRYPT_COST=4
export HERALD_INVENTORY_SCHEDULED_CHECKS=false
export HERALD_OPS_EMBEDDED_DATA_DIR="$scratch/postgres"

"$java" -XX:+UseG1GC -XX:AOTCacheOutput="$output" -jar "$jar" >"$scratch/herald.log" 2>&1 &
herald=$!

for _ in $(seq 1 600); do
  curl -sf "$base/health/readiness" >/dev/null && break
  if ! kill -0 "$herald" 2>/dev/null; then
    echo "Herald did not start (as root, give the training a database: TRAINING_DATABASE_URL, _USERNAME, _PASSWORD)." >&2
    exit 1
  fi
  sleep 0.2
done
curl -sf "$base/health/liveness" >/dev/null

for _ in 1 2 3; do
  if ! login="$(curl -sf -XPOST "$base/api/auth/login" -H 'content-type: application/json' \
      -d '{"username":"admin","password":"aot-training-only"}')"; then
    echo "Signing in as admin failed: give the training a new database (Herald creates its admin, with this" \
      "script's password, only where there is none)." >&2
    exit 1
  fi
  token="$(printf '%s' "$login" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')"
  curl -sf -XPOST "$base/api/notifications" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"username":"admin","type":"training","title":"Training","message":"AOT cache training"}' >/dev/null
  curl -sf "$base/api/notifications" -H "authorization: Bearer $token" >/dev/null
  curl -sf "$base/api/notifications/unread-count" -H "authorization: Bearer $token" >/dev/null
  # A WebSocket upgrade with resume: curl prints the handshake and frames until --max-time ends it.
  curl -s -N --http1.1 --max-time 1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$base/ws?token=$token&since=0" >/dev/null || true
done

kill -TERM "$herald"
wait "$herald" || true
herald=""
if [ ! -s "$output" ]; then
  echo "no AOT cache written" >&2
  exit 1
fi
echo "AOT cache: $output ($(du -h "$output" | cut -f1))"
