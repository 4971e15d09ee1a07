#!/usr/bin/env bash
# Builds the two hello-JSON servers and measures each with wrk (same machine, same run):
# the figures behind docs/decisions/http-server.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
g++ -std=c++20 -O2 -o "$out/hello_httplib" "$here/hello_httplib.cc" $(pkg-config --cflags --libs cpp-httplib) -pthread
g++ -std=c++20 -O2 -o "$out/hello_beast" "$here/hello_beast.cc" -pthread
duration=${DURATION:-10s}
run() {  # name binary port [threads]
  "$2" "$3" ${4:-} & local pid=$!
  sleep 0.5
  echo "== $1"
  wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$3/hello" | grep -E "Requests/sec|50%|99%"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
run "cpp-httplib (default pool: 8 threads)" "$out/hello_httplib" 18081
run "cpp-httplib (pool of 128 threads)" "$out/hello_httplib" 18083 128
run "boost-beast (async, 2 threads)" "$out/hello_beast" 18082 2
