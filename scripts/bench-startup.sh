#!/usr/bin/env bash
# Measures how long `easf demo` takes from process start to its first
# answered API request (authenticated GET of the EAS members), on a fresh
# data directory (creates the database, loads the reference data, makes
# users and tokens) and on a reused one. Prints one line per run.
#
#   cargo build --release -p cli && scripts/bench-startup.sh [RUNS]
set -euo pipefail
bin=${EASF_BIN:-target/release/easf}
runs=${1:-5}
port=18765
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {
  local dir=$1 label=$2
  local start end pid token
  start=$(date +%s%N)
  "$bin" demo --data-dir "$dir" --port "$port" >/dev/null 2>&1 &
  pid=$!
  token=""
  until [ -n "$token" ]; do
    token=$(sed -n 's/.*"JPN\/analyst": "\([^"]*\)".*/\1/p' "$dir/demo-tokens.json" 2>/dev/null || true)
    [ -n "$token" ] || sleep 0.002
  done
  until curl -sf -o /dev/null -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port/api/v1/forums/eas/members?as_of=2012-06-01"; do
    sleep 0.002
  done
  end=$(date +%s%N)
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true
  echo "$label $(( (end - start) / 1000000 )) ms"
}

for i in $(seq 1 "$runs"); do
  rm -rf "$work/node"
  measure "$work/node" "fresh"
  measure "$work/node" "reused"
done
