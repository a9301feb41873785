#!/usr/bin/env bash
# The OBP face through the real server, on loopback only (called by run.sh,
# or alone: BENCH=target/release/finhub-bench OUT=/tmp/out bash bench/obp.sh):
#   1. the bare-axum ceiling, 64 connections (the baseline of this run);
#   2. Get Customer by CUSTOMER_ID (DirectLogin token, role check, customer
#      and its attributes), 64 connections, on SQLite and (BACKENDS with
#      postgres) PostgreSQL;
#   3. Get User (Current) at 64: the DirectLogin token check alone.
# Inputs: BENCH (finhub-bench), OUT, SECS, BACKENDS, FINHUB_BENCH_PG.
# Each series is one JSON line appended to $OUT/http.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:?}
OUT=${OUT:?}
SECS=${SECS:-10}
BACKENDS=${BACKENDS:-sqlite}
FINHUB_BENCH_PG=${FINHUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
FINHUB=$(dirname "$BENCH")/finhub
PORT=18094
CEIL_PORT=18095
ADMIN=bench-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN FINHUB_OBP_SUPER_ADMIN_USERNAMES=bench-admin
TMP=$(mktemp -d /tmp/finhub-obp-XXXXXX)
PGDB=""
SERVER=""
CEIL=""
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*" >&2; }
cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [[ -n "$CEIL" ]] && kill "$CEIL" 2>/dev/null && wait "$CEIL" 2>/dev/null
  [[ -n "$PGDB" ]] && psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  rm -rf "$TMP"
  return 0
}
trap cleanup EXIT

say "release build of finhub and finhub-bench"
cargo build --release -q -p finhub -p finhub-bench

start() { # DATABASE_URL
  "$FINHUB" serve --listen "127.0.0.1:$PORT" --database "$1" >"$TMP/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do
    grep -q '^ready' "$TMP/serve.log" 2>/dev/null && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/serve.log" >&2; return 1; }
    sleep 0.1
  done
  echo "server did not come up" >&2; return 1
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

BASE=http://127.0.0.1:$PORT
V4=$BASE/obp/v4.0.0
PW='Bench!Passw0rd'
J='Content-Type: application/json'
load() { timeout $((SECS * 3 + 60)) "$BENCH" load "$@" | tee -a "$OUT/http.jsonl"; }

# The super admin, logged in, holding CanCreateCustomer and CanGetCustomer at
# KB (004), and one customer with an attribute: sets TOKEN and CUSTOMER.
prepare() {
  local c key u uid r
  c=$(curl -sS -X POST -H "Authorization: Bearer $ADMIN" -H "$J" "$BASE/sandbox/clients" \
    -d '{"profile":"obp","name":"bench","redirect_uris":["https://bench.example/cb"],"scopes":["customer","kyc"]}')
  key=$(jq -r .client_id <<<"$c")
  u=$(curl -sS -X POST -H "$J" "$V4/users" -d "$(jq -nc --arg p "$PW" \
    '{email:"bench@example.com", username:"bench-admin", password:$p, first_name:"B", last_name:"A"}')")
  uid=$(jq -r .user_id <<<"$u")
  TOKEN=$(curl -sS -X POST "$BASE/my/logins/direct" \
    -H "DirectLogin: username=bench-admin, password=$PW, consumer_key=$key" | jq -r .token)
  [[ $uid != null && $TOKEN != null ]] || { echo "user $u, client $c" >&2; return 1; }
  for role in CanCreateCustomer CanGetCustomer CanCreateCustomerAttributeAtOneBank; do
    curl -sS -X POST -H "DirectLogin: token=$TOKEN" -H "$J" "$V4/users/$uid/entitlements" \
      -d "{\"bank_id\":\"004\",\"role_name\":\"$role\"}" | jq -e .entitlement_id >/dev/null
  done
  r=$(curl -sS -X POST -H "DirectLogin: token=$TOKEN" -H "$J" "$V4/banks/004/customers" -d '{
    "legal_name":"Bench Customer","mobile_phone_number":"+82 10 5555 0101","email":"c@example.com",
    "face_image":{"url":"x","date":"2020-01-01T00:00:00Z"},"date_of_birth":"1990-01-01T00:00:00Z",
    "relationship_status":"single","dependants":0,"dob_of_dependants":[],
    "credit_rating":{"rating":"A","source":"B"},"credit_limit":{"currency":"KRW","amount":"1000"},
    "highest_education_attained":"","employment_status":"","kyc_status":false,
    "last_ok_date":"2020-01-01T00:00:00Z","title":"","branch_id":"","name_suffix":""}')
  CUSTOMER=$(jq -r .customer_id <<<"$r")
  [[ $CUSTOMER != null ]] || { echo "customer: $r" >&2; return 1; }
  curl -sS -X POST -H "DirectLogin: token=$TOKEN" -H "$J" "$V4/banks/004/customers/$CUSTOMER/attribute" \
    -d '{"name":"TIER","type":"STRING","value":"gold"}' | jq -e .customer_attribute_id >/dev/null
}

series() { # BACKEND
  load --name "http.obp.customer_by_id.$1" -c 64 --seconds "$SECS" --expect '"customer_id"' \
    --url "$V4/banks/004/customers/$CUSTOMER" -H "DirectLogin: token=$TOKEN"
  load --name "http.obp.current_user.$1" -c 64 --seconds "$SECS" --expect '"user_id"' \
    --url "$V4/users/current" -H "DirectLogin: token=$TOKEN"
}

say "OBP 1. ceiling (bare axum route), 64 connections"
"$BENCH" ceiling --port "$CEIL_PORT" 2>/dev/null & CEIL=$!
sleep 0.5
load --name http.obp.ceiling --url "http://127.0.0.1:$CEIL_PORT/ceiling" -c 64 --seconds "$SECS"
kill "$CEIL"; wait "$CEIL" 2>/dev/null || true; CEIL=""

say "OBP 2-3. customer read and current user (SQLite)"
start "sqlite://$TMP/finhub.db"
prepare
series sqlite
stop

if [[ $BACKENDS == *postgres* ]]; then
  say "OBP 2-3. customer read and current user (PostgreSQL)"
  PGDB=finhub_bench_obp_$$
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null 2>&1
  start "${FINHUB_BENCH_PG%/*}/$PGDB"
  prepare
  series postgres
  stop
fi
