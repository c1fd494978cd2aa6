#!/usr/bin/env bash
# Starts a single-node Apache Kafka broker (KRaft, combined broker+controller) in the background on Java 17 and
# waits until it answers Kafka requests. Re-running while it is up does nothing. Stop it with scripts/kafka/stop.sh.
#
#   scripts/kafka/start.sh            # broker on 127.0.0.1:9092, data in .kafka/data
#   KAFKA_PORT=19092 KAFKA_DATA_DIR=/tmp/k2 scripts/kafka/start.sh   # a second, separate instance
#
# Env: KAFKA_PORT             client listener port (default 9092)
#      KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT+1)
#      KAFKA_DATA_DIR         everything of this instance: kraft/ (topics, metadata), server.properties,
#                             kafka.pid, logs/server.log (default <repo>/.kafka/data)
#      KAFKA_HOME_DIR         broker jars (default <repo>/.kafka/libs; fetch.sh brings them up to date)
#      KAFKA_HEAP_OPTS        JVM heap (default "-Xms256m -Xmx512m")
#      KAFKA_START_TIMEOUT    seconds to wait for the broker (default 90)
#      JAVA_HOME              Java 17+ to use (default: java on PATH)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + 1))}"
data="${KAFKA_DATA_DIR:-$root/.kafka/data}"
libs="${KAFKA_HOME_DIR:-$root/.kafka/libs}"
timeout="${KAFKA_START_TIMEOUT:-90}"
pidfile="$data/kafka.pid"
logs="$data/logs"
config="$data/server.properties"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { echo "kafka/start: $*"; }
die() { echo "kafka/start: ERROR: $*" >&2; exit 1; }

# shellcheck source=lib.sh
source "$here/lib.sh"

# One start at a time per instance (tests may call this concurrently): the second caller waits, then finds the
# broker running.
mkdir -p "$data"
exec 8>"$data/start.lock"
flock 8

pid="$(broker_pid "$pidfile")"
if [[ -n "$pid" ]]; then
  running_port="$(sed -n 's|^advertised.listeners=PLAINTEXT://127.0.0.1:\([0-9]*\)$|\1|p' "$config" 2>/dev/null)"
  if [[ "$running_port" != "$port" ]]; then
    die "the broker of $data (pid $pid) listens on port ${running_port:-unknown}, not $port.
  Stop it first (scripts/kafka/stop.sh), or start another instance with KAFKA_DATA_DIR=<dir>."
  fi
  if kafka_answers 127.0.0.1 "$port"; then
    log "already running (pid $pid) on 127.0.0.1:$port"
    exit 0
  fi
  log "pid $pid is starting; waiting for it"
elif port_open 127.0.0.1 "$port"; then
  die "127.0.0.1:$port is already in use by a process this script did not start (no broker pid in $pidfile).
  Stop it, or start another instance with KAFKA_PORT=<port> KAFKA_DATA_DIR=<dir>."
elif port_open 127.0.0.1 "$controller_port"; then
  die "controller port 127.0.0.1:$controller_port is already in use; set KAFKA_CONTROLLER_PORT"
fi

if [[ -z "$pid" ]]; then
  # Fetches the jars when missing or when pom.xml changed (a no-op taking milliseconds otherwise).
  KAFKA_HOME_DIR="$libs" "$here/fetch.sh"
  command -v "$java" >/dev/null || die "java not found (install openjdk-17-jre-headless or set JAVA_HOME)"
  java_major="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  [[ "${java_major:-0}" -ge 17 ]] || die "Kafka here runs on Java 17 or newer; $java is version ${java_major:-unknown}"

  mkdir -p "$data/kraft" "$logs"
  cat >"$config" <<EOF
# Written by scripts/kafka/start.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/kraft
# Topics are created up front by the apps, never by a produce or fetch.
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
# A consumer group starts consuming as soon as its first member joins (tests start and stop apps often).
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
EOF

  jvm=(
    ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$here/log4j.properties"
    "-Dkafka.logs.dir=$logs"
    -cp "$libs/*"
  )

  if [[ ! -f "$data/kraft/meta.properties" ]]; then
    cluster_id=""
    # A KRaft cluster id is 16 random bytes in URL-safe base64 without padding (22 characters, not starting with '-').
    while [[ -z "$cluster_id" || "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    log "formatting $data/kraft (cluster id $cluster_id)"
    if ! "$java" "${jvm[@]}" kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$config" \
      >"$logs/format.log" 2>&1; then
      cat "$logs/format.log" >&2
      die "formatting the storage failed"
    fi
  fi

  rm -f "$pidfile"
  log "starting Kafka on 127.0.0.1:$port (controller :$controller_port, data $data)"
  # setsid: the broker outlives this shell and is not killed with the caller's process group (Ctrl-C in a test run).
  # The inner shell writes its own pid, then becomes java, so the pid file names the broker itself.
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' start-kafka "$pidfile" \
    "$java" "${jvm[@]}" kafka.Kafka "$config" >"$logs/stdout.log" 2>&1 </dev/null 8>&- &
  for _ in $(seq 50); do [[ -s "$pidfile" ]] && break; sleep 0.1; done
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "the broker did not start (see $logs/stdout.log)"
fi

deadline=$((SECONDS + timeout))
while ! kafka_answers 127.0.0.1 "$port"; do
  if ! process_alive "$pid"; then
    rm -f "$pidfile"
    echo "kafka/start: ERROR: the broker exited during start-up. Last lines of its logs:" >&2
    tail -n 30 "$logs/stdout.log" "$logs/server.log" >&2 2>/dev/null || true
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "kafka/start: ERROR: the broker (pid $pid) did not answer on 127.0.0.1:$port within ${timeout}s; stopping it." >&2
    echo "Last lines of $logs/server.log:" >&2
    tail -n 40 "$logs/server.log" >&2 2>/dev/null || tail -n 40 "$logs/stdout.log" >&2 || true
    KAFKA_DATA_DIR="$data" "$here/stop.sh" >&2 || true
    exit 1
  fi
  sleep 0.5
done
log "Kafka is up on 127.0.0.1:$port (pid $pid, ${SECONDS}s; log $logs/server.log)"
