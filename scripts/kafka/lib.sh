# Helpers shared by start.sh and stop.sh (sourced, not run).

# The pid of the broker recorded in pid file $1, if that process is alive and is a Kafka broker; else nothing.
broker_pid() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka '; then
    echo "$pid"
  fi
}

# True when something accepts TCP connections on $1:$2.
port_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# True when a Kafka broker on $1:$2 answers an ApiVersions request (v0: api key 18, correlation id 1, client id
# "probe"); the broker only processes requests once its start-up is complete, unlike a merely bound port.
kafka_answers() {
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x01\x00\x05probe" >&3
    reply="$(head -c 10 <&3 | od -An -tx1 | tr -d " \n")"
    # 4 bytes size, then correlation id 1 and error code 0.
    [[ "${reply:8:12}" == 000000010000 ]]' "$1" "$2" 2>/dev/null
}

# True while process $1 exists and is not a zombie (an exited broker whose parent has not reaped it yet).
process_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ "$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}
