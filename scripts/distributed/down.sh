#!/usr/bin/env bash
# Stops the apps started by scripts/distributed/up.sh (SIGTERM, then SIGKILL after 20 s).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
for pidfile in .verihub-distributed/*.pid; do
  [[ -f "$pidfile" ]] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $(basename "$pidfile" .pid)"
  fi
  rm -f "$pidfile"
done
