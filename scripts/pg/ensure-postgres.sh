#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:$PGPORT (default 5432) and lets user postgres connect over
# local TCP without a password (trust), as the tests and the distributed apps expect
# (postgres://postgres@127.0.0.1:5432/...). Idempotent; says what it did.
#
#   1. something already answers on the port       -> nothing to do (its configuration is left alone)
#   2. a Debian cluster for that port exists         -> trust for local TCP, then pg_ctlcluster ... start
#   3. no cluster for that port                      -> apt-get install postgresql if needed, create one, as in 2
#
# Needs root (or passwordless sudo) for steps 2 and 3. Debian/Ubuntu only (postgresql-common's pg_* tools).
set -euo pipefail

port="${PGPORT:-5432}"
host=127.0.0.1
marker="# verihub: trust local TCP connections (scripts/pg/ensure-postgres.sh)"

log() { echo "pg/ensure: $*"; }
die() { echo "pg/ensure: ERROR: $*" >&2; exit 1; }

answers() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$host" -p "$port" -t 2
  else
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
  fi
}

if answers; then
  log "PostgreSQL already answers on $host:$port; nothing to do"
  exit 0
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "nothing answers on $host:$port and setting PostgreSQL up needs root: run as root, or start a server yourself"
  fi
}

if ! command -v pg_lsclusters >/dev/null || ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  command -v apt-get >/dev/null || die "nothing answers on $host:$port and apt-get is not available to install PostgreSQL"
  log "installing PostgreSQL from Debian's packages (apt-get install postgresql)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# The cluster configured for our port: "<version> <name>" from pg_lsclusters.
cluster_on_port() { pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p { print $1, $2; exit }'; }

read -r version name <<<"$(cluster_on_port)" || true
if [[ -z "${version:-}" ]]; then
  version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -n1)"
  name=main
  if pg_lsclusters -h 2>/dev/null | awk '{ print $1, $2 }' | grep -qx "$version main"; then name="verihub"; fi
  log "creating cluster $version/$name on port $port"
  as_root pg_createcluster --port "$port" "$version" "$name" >/dev/null
fi

hba="/etc/postgresql/$version/$name/pg_hba.conf"
[[ -f "$hba" ]] || die "cluster $version/$name has no $hba"
if ! grep -qxF "$marker" "$hba"; then
  log "allowing trust authentication for local TCP connections in $hba"
  # pg_hba.conf is read top-down and the first match wins, so the trust lines go first.
  as_root bash -c 'hba="$1"; marker="$2"
    { printf "%s\n" "$marker" "host all all 127.0.0.1/32 trust" "host all all ::1/128 trust" ""; cat "$hba"; } >"$hba.new"
    chown --reference="$hba" "$hba.new"; chmod --reference="$hba" "$hba.new"; mv "$hba.new" "$hba"' _ "$hba" "$marker"
fi

status="$(pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1 == v && $2 == n { print $4 }')"
if [[ "$status" == online* ]]; then
  # e.g. just started by the package's post-install script, with its default authentication
  log "cluster $version/$name is running; reloading it to apply $hba"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" reload
else
  log "starting cluster $version/$name (pg_ctlcluster --skip-systemctl-redirect $version $name start)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
fi

for _ in $(seq 60); do answers && break; sleep 0.5; done
answers || die "cluster $version/$name did not come up on $host:$port (see /var/log/postgresql/postgresql-$version-$name.log)"
if command -v psql >/dev/null && ! psql -w -h "$host" -p "$port" -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null; then
  die "PostgreSQL $version answers on $host:$port but user postgres cannot log in without a password"
fi
log "PostgreSQL $version ($version/$name) is up on $host:$port, user postgres, trust over local TCP"
