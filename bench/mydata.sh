#!/usr/bin/env bash
# The MyData face through the real server, on loopback only (called by run.sh,
# or alone: BENCH=target/release/finhub-bench OUT=/tmp/out bash bench/mydata.sh):
#   1. the bare-axum ceiling, 64 connections (the baseline of this run);
#   2. an authorized 은행-004 deposit-transactions page (POST, 20 lines), 64
#      connections, on SQLite and (BACKENDS with postgres) PostgreSQL;
#   3. a full-sync walk: every API of a 10-asset bank consent (공통-002,
#      은행-001, then 은행-002/003/004 for each account), walks per second at
#      1 and 16 walkers.
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
PORT=18092
CEIL_PORT=18093
ADMIN=bench-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN
TMP=$(mktemp -d /tmp/finhub-mydata-XXXXXX)
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
admin() { # METHOD PATH [JSON]
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$BASE$2"
}
load() { timeout $((SECS * 3 + 60)) "$BENCH" load "$@" | tee -a "$OUT/http.jsonl"; }
walk() { timeout $((SECS * 3 + 60)) "$BENCH" walk "$@" | tee -a "$OUT/http.jsonl"; }
today() { TZ=Asia/Seoul date +%Y%m%d; }
month_ago() { TZ=Asia/Seoul date -d '-30 days' +%Y%m%d; }

# A person with ten demand accounts at KB (BA00000004), 1,000 lines of
# history on the first (added with the server stopped), a mydata operator
# client, its headless consent to all of them, and the token: sets TOK ORG OP
# and writes $TMP/accounts (one account number without '-' per line).
prepare() { # DATABASE_URL
  local c cid secret p pid r code t first_id
  c=$(admin POST /sandbox/clients '{"profile":"mydata","name":"bench operator","redirect_uris":["https://op.example/cb"],"scopes":["bank.list","bank.deposit"]}')
  cid=$(jq -r .client_id <<<"$c"); secret=$(jq -r .client_secret <<<"$c"); OP=$(jq -r .org_code <<<"$c")
  [[ $cid != null ]] || { echo "client: $c" >&2; return 1; }
  p=$(admin POST /sandbox/people '{"name":"벤치","birth_date":"1990-01-01"}')
  pid=$(jq -r .person_id <<<"$p")
  : >"$TMP/accounts"
  for _ in $(seq 10); do
    r=$(admin POST "/sandbox/people/$pid/accounts" '{"bank_code_std":"004","kind":"demand","balance":100000000}')
    jq -r '.account_num | gsub("-";"")' <<<"$r" >>"$TMP/accounts"
    [[ -n ${first_id:-} ]] || first_id=$(jq -r .account_id <<<"$r")
  done
  ORG=BA00000004
  stop
  "$BENCH" history --database "$1" --account-id "$first_id" --institution-code "$ORG" --rows 1000
  start "$1"
  r=$(admin POST /sandbox/authorize "$(jq -nc --arg c "$cid" --arg p "$pid" --arg o "$ORG" \
    '{client_id:$c, person_id:$p, org_code:$o, scope:"bank.list bank.deposit", redirect_uri:"https://op.example/cb"}')")
  code=$(jq -r .redirect <<<"$r" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  [[ -n $code ]] || { echo "authorize: $r" >&2; return 1; }
  t=$(curl -sS --max-time 30 -X POST "$BASE/oauth/2.0/token" -H "x-api-tran-id: ${OP}M00000000000001" \
    --data-urlencode "org_code=$ORG" -d grant_type=authorization_code --data-urlencode "code=$code" \
    --data-urlencode "client_id=$cid" --data-urlencode "client_secret=$secret" \
    --data-urlencode "redirect_uri=https://op.example/cb")
  TOK=$(jq -r .access_token <<<"$t")
  [[ $TOK != null ]] || { echo "token: $t" >&2; return 1; }
  head -1 "$TMP/accounts" >"$TMP/first"
}

# Every API of the consent, in the order an operator syncs.
plan() {
  jq -Rn --arg o "$ORG" --arg f "$(month_ago)" --arg t "$(today)" '
    [inputs] as $accts
    | [{method:"GET", path:("/v1/bank/consents?org_code=" + $o)},
       {method:"GET", path:("/v1/bank/accounts?org_code=" + $o + "&search_timestamp=0&limit=500")}]
      + ($accts | map(
          {method:"POST", path:"/v1/bank/accounts/deposit/basic", body:{org_code:$o, account_num:., search_timestamp:0}},
          {method:"POST", path:"/v1/bank/accounts/deposit/detail", body:{org_code:$o, account_num:., search_timestamp:0}},
          {method:"POST", path:"/v1/bank/accounts/deposit/transactions",
           body:{org_code:$o, account_num:., from_date:$f, to_date:$t, limit:500}}))' <"$TMP/accounts" >"$TMP/plan.json"
}

series() { # BACKEND
  local h=(-H "Authorization: Bearer $TOK" -H "x-api-tran-id: ${OP}M00000000000001" -H "x-api-type: user-search")
  load --name "http.mydata.deposit_transactions.$1" -c 64 --seconds "$SECS" --expect '"rsp_code":"00000"' \
    --method POST --url "$BASE/v1/bank/accounts/deposit/transactions" "${h[@]}" -H 'Content-Type: application/json' \
    --body "$(jq -nc --arg o "$ORG" --arg a "$(cat "$TMP/first")" --arg f "$(month_ago)" --arg t "$(today)" \
      '{org_code:$o, account_num:$a, from_date:$f, to_date:$t, limit:20}')"
  plan
  for c in 1 16; do
    walk --name "http.mydata.sync_walk.$1" -c "$c" --seconds "$SECS" --expect '"rsp_code":"0000' \
      --base "$BASE" --plan "$TMP/plan.json" "${h[@]}"
  done
}

say "MyData 1. ceiling (bare axum route), 64 connections"
"$BENCH" ceiling --port "$CEIL_PORT" 2>/dev/null & CEIL=$!
sleep 0.5
load --name http.mydata.ceiling --url "http://127.0.0.1:$CEIL_PORT/ceiling" -c 64 --seconds "$SECS"
kill "$CEIL"; wait "$CEIL" 2>/dev/null || true; CEIL=""

say "MyData 2-3. deposit transactions and the sync walk (SQLite)"
start "sqlite://$TMP/finhub.db"
prepare "sqlite://$TMP/finhub.db"
series sqlite
stop

if [[ $BACKENDS == *postgres* ]]; then
  say "MyData 2-3. deposit transactions and the sync walk (PostgreSQL)"
  PGDB=finhub_bench_mydata_$$
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null 2>&1
  start "${FINHUB_BENCH_PG%/*}/$PGDB"
  prepare "${FINHUB_BENCH_PG%/*}/$PGDB"
  series postgres
  stop
fi
