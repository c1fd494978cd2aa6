#!/usr/bin/env bash
# Runs verihub distributed on this machine without Docker: every app its own process over a real Kafka broker
# (scripts/kafka/start.sh) and PostgreSQL (DATABASE_URL). Logs and pids go to .verihub-distributed/.
#
#   scripts/distributed/up.sh            # build if needed, migrate, start every app; API on http://localhost:$PORT
#   scripts/distributed/down.sh          # SIGTERM every app (Kafka keeps running: npm run kafka:stop)
#
# Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/verihub, created if missing), KAFKA_BROKERS
# (default 127.0.0.1:9092; a local broker is started when it is the default), VERIHUB_BANKS (default ICBC,CCB),
# PORT (3000), VERIHUB_JWT_SECRET (generated into the run directory when unset), VERIHUB_BOOTSTRAP_ADMIN_PASSWORD
# (generated likewise; printed once), PROVIDER_DEADLINE_MS. Consent keys (query tokens, answer signatures, identity
# hashing) are generated once into $run_dir/keys.env by `verihub keys generate` and sourced: each adapter is started
# with only its own signing key. Delete keys.env to rotate them (after changing VERIHUB_BANKS, too).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
run_dir=.verihub-distributed
mkdir -p "$run_dir/logs"

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/verihub}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export VERIHUB_TRANSPORT=kafka
export VERIHUB_BANKS="${VERIHUB_BANKS:-ICBC,CCB}"
export PORT="${PORT:-3000}"
[[ -f "$run_dir/jwt-secret" ]] || (umask 077 && openssl rand -base64 48 | tr -d '\n' >"$run_dir/jwt-secret")
[[ -f "$run_dir/admin-password" ]] || (umask 077 && openssl rand -base64 18 | tr -d '\n' >"$run_dir/admin-password")
export VERIHUB_JWT_SECRET="${VERIHUB_JWT_SECRET:-$(cat "$run_dir/jwt-secret")}"
export VERIHUB_BOOTSTRAP_ADMIN_PASSWORD="${VERIHUB_BOOTSTRAP_ADMIN_PASSWORD:-$(cat "$run_dir/admin-password")}"

node -e "require('./scripts/ensure-built').ensureBuilt(['audit','gateway','aggregator','adapter-public-security','adapter-tax','adapter-housing','adapter-provident-fund','adapter-bank','cli'])"
[[ "$KAFKA_BROKERS" == 127.0.0.1:9092 ]] && scripts/kafka/start.sh

if [[ ! -f "$run_dir/keys.env" ]]; then
  (umask 077 && node dist/apps/cli/main.js keys generate --banks "$VERIHUB_BANKS" >"$run_dir/keys.env.tmp" && mv "$run_dir/keys.env.tmp" "$run_dir/keys.env")
fi
# A keys.env written before the aggregator encrypted data at rest gets its data key added (never replaced).
grep -q '^VERIHUB_DATA_ENCRYPTION_KEY=' "$run_dir/keys.env" || echo "VERIHUB_DATA_ENCRYPTION_KEY=$(openssl rand -base64 32)" >>"$run_dir/keys.env"
set -a
# shellcheck disable=SC1091
source "$run_dir/keys.env"
set +a

# The database itself (the apps create their schemas in it).
node -e "
const { Client } = require('pg');
const url = new URL(process.env.DATABASE_URL); const name = url.pathname.slice(1); url.pathname = '/postgres';
(async () => { const c = new Client({ connectionString: url.toString() }); await c.connect();
  const r = await c.query('SELECT 1 FROM pg_database WHERE datname = \$1', [name]);
  if (r.rowCount === 0) await c.query('CREATE DATABASE \"' + name.replace(/\"/g, '') + '\"'); await c.end(); })()
  .catch((e) => { console.error('database: ' + e.message); process.exit(1); });"

apps=(audit gateway aggregator adapter-public-security adapter-tax adapter-housing adapter-provident-fund)
for app in "${apps[@]}"; do node "dist/apps/$app/main.js" migrate >>"$run_dir/logs/migrate.log"; done
IFS=',' read -ra banks <<<"$VERIHUB_BANKS"
for bank in "${banks[@]}"; do BANK_CODE="$bank" node dist/apps/adapter-bank/main.js migrate >>"$run_dir/logs/migrate.log"; done

start() { # start <name> <app> [VAR=value...]
  local name="$1" app="$2"
  shift 2
  if [[ -f "$run_dir/$name.pid" ]] && kill -0 "$(cat "$run_dir/$name.pid")" 2>/dev/null; then
    echo "$name already running"
    return
  fi
  env "$@" nohup node "dist/apps/$app/main.js" >>"$run_dir/logs/$name.log" 2>&1 &
  echo $! >"$run_dir/$name.pid"
  echo "started $name (pid $!, log $run_dir/logs/$name.log)"
}
# Each adapter gets its own answer-signing key only (the other providers' keys are unset for it).
answer_keys=(); for v in $(compgen -v VERIHUB_ANSWER_SIGNING_KEY_); do answer_keys+=("-u" "$v"); done
signing_key() { local v="VERIHUB_ANSWER_SIGNING_KEY_$1"; echo "${!v:?no $v in $run_dir/keys.env (delete it to regenerate)}"; }
for app in adapter-public-security adapter-tax adapter-housing adapter-provident-fund; do
  suffix="${app#adapter-}"; suffix="${suffix^^}"; suffix="${suffix//-/_}"
  start "$app" "$app" "${answer_keys[@]}" -u VERIHUB_QUERY_SIGNING_KEY -u VERIHUB_DATA_ENCRYPTION_KEY "VERIHUB_ANSWER_SIGNING_KEY=$(signing_key "$suffix")"
done
for bank in "${banks[@]}"; do
  start "adapter-bank-${bank,,}" adapter-bank "${answer_keys[@]}" -u VERIHUB_QUERY_SIGNING_KEY -u VERIHUB_DATA_ENCRYPTION_KEY "BANK_CODE=$bank" "VERIHUB_ANSWER_SIGNING_KEY=$(signing_key "BANK_${bank^^}")"
done
start aggregator aggregator "${answer_keys[@]}"
export AUDIT_PORT="${AUDIT_PORT:-3001}"
start audit audit "${answer_keys[@]}" -u VERIHUB_QUERY_SIGNING_KEY -u VERIHUB_DATA_ENCRYPTION_KEY
start gateway gateway "${answer_keys[@]}" -u VERIHUB_QUERY_SIGNING_KEY "VERIHUB_AUDIT_URL=http://127.0.0.1:$AUDIT_PORT"

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null || { echo "the gateway did not come up: see $run_dir/logs/gateway.log"; exit 1; }
echo
echo "verihub (distributed) is running: http://localhost:$PORT  (docs /api/docs)"
echo "  admin password: in $run_dir/admin-password (user admin); create officers with POST /api/v1/users"
echo "  load department data: npm run verihub -- data import <provider> <file.jsonl>   (DATABASE_URL is used)"
