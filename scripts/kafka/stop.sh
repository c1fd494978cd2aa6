#!/usr/bin/env bash
# Stops the broker started by scripts/kafka/start.sh: SIGTERM (a clean, controlled shutdown), then SIGKILL if it
# is still alive after KAFKA_STOP_TIMEOUT seconds (default 30).
#
#   scripts/kafka/stop.sh            # stop, keep topics and data
#   scripts/kafka/stop.sh --clean    # stop and delete the data directory (topics, offsets, logs)
#
# Env: KAFKA_DATA_DIR (default <repo>/.kafka/data) chooses the instance, as for start.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${KAFKA_DATA_DIR:-$root/.kafka/data}"
pidfile="$data/kafka.pid"
stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"
clean=false

for arg in "$@"; do
  case "$arg" in
    --clean) clean=true ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "kafka/stop: unknown argument $arg (usage: stop.sh [--clean])" >&2; exit 2 ;;
  esac
done

log() { echo "kafka/stop: $*"; }

# shellcheck source=lib.sh
source "$here/lib.sh"

pid="$(broker_pid "$pidfile")"
if [[ -z "$pid" ]]; then
  log "not running (no live broker in $pidfile)"
else
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + stop_timeout))
  while process_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if process_alive "$pid"; then
    log "still alive after ${stop_timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while process_alive "$pid"; do sleep 0.1; done
  fi
  log "stopped after ${SECONDS}s"
fi
rm -f "$pidfile"

if $clean; then
  rm -rf "$data"
  log "removed $data"
fi
