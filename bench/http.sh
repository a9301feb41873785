#!/usr/bin/env bash
# The real server through its KFTC face, on loopback only (called by run.sh):
#   1. authorized balance reads (sa token, registered fin_num) on SQLite, with
#      the access log (the default) and without (RUST_LOG=warn);
#   2. withdraw/fin_num at 1, 16, 64 connections on SQLite, then PostgreSQL,
#      then paced (open loop, --rate) at half of the peak of those three;
#   3. transaction_list/fin_num (first page, sequential caller) on an account
#      with 1,000 and 1,000,000 lines of history (SQLite).
# Inputs from run.sh: BENCH (finhub-bench), OUT, SECS, BACKENDS, FINHUB_BENCH_PG.
# Each series is one JSON line appended to $OUT/http.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:?}
OUT=${OUT:?}
SECS=${SECS:-10}
BACKENDS=${BACKENDS:-sqlite}
HIST=${HIST_ROWS:-1000,1000000}
[[ -n "${QUICK:-}" ]] && HIST=1000,20000
FINHUB_BENCH_PG=${FINHUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
FINHUB=$(dirname "$BENCH")/finhub
PORT=18090
ADMIN=bench-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN
TMP=$(mktemp -d /tmp/finhub-http-XXXXXX)
PGDB=""
SERVER=""

say() { printf '\n== %s\n' "$*" >&2; }
cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [[ -n "$PGDB" ]] && psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  rm -rf "$TMP"
  return 0
}
trap cleanup EXIT

say "release build of finhub"
cargo build --release -q -p finhub

start() { # start DATABASE_URL
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
# shellcheck source=bench/kftc-lib.sh
. bench/kftc-lib.sh
load() { timeout $((SECS * 3 + 60)) "$BENCH" load --expect A0000 "$@" | tee -a "$OUT/http.jsonl"; }

withdraw_series() { # BACKEND
  local pa p a fin c peak body
  pa=$(new_account 1000000000000); p=${pa%%$'\t'*}; a=${pa#*$'\t'}
  fin=$(register "$p" "$a")
  body=$(withdraw_body "$fin")
  peak=0
  for c in 1 16 64; do
    next_block
    r=$(load --name "http.withdraw.$1" -c "$c" --seconds "$SECS" --n-start "$TRAN" --method POST \
      --url "$BASE/v2.0/transfer/withdraw/fin_num" -H "Authorization: Bearer $TOK" \
      -H 'Content-Type: application/json' --body "$body")
    peak=$(jq -n --argjson a "$peak" --argjson b "$(jq .per_second <<<"$r")" '[$a, $b] | max')
  done
  # Open loop at half of the peak just measured: 64 connections on fixed
  # schedules, latency from each request's scheduled start.
  next_block
  load --name "http.withdraw_paced.$1" -c 64 --seconds "$SECS" --n-start "$TRAN" \
    --rate "$(jq -n --argjson p "$peak" '[$p / 2, 1] | max')" --method POST \
    --url "$BASE/v2.0/transfer/withdraw/fin_num" -H "Authorization: Bearer $TOK" \
    -H 'Content-Type: application/json' --body "$body"
}

# --- SQLite ----------------------------------------------------------------
DB="sqlite://$TMP/finhub.db"
say "HTTP faces: finhub serve on SQLite"
start "$DB"
client; token

say "HTTP 1. authorized balance reads through the KFTC face (SQLite)"
PEOPLE=$(admin GET '/sandbox/people?limit=5')
P=$(jq -c '[.people[] | select(any(.accounts[]; .kind=="demand" and .bank_code_std != null))][0]' <<<"$PEOPLE")
A=$(jq -c '[.accounts[] | select(.kind=="demand" and .bank_code_std != null)][0]' <<<"$P")
FIN=$(register "$P" "$A")
next_block
load --name http.kftc.balance -c 64 --seconds "$SECS" --n-start "$TRAN" -H "Authorization: Bearer $TOK" \
  --url "$BASE/v2.0/account/balance/fin_num?bank_tran_id=${ORG}U{n}&fintech_use_num=$FIN&tran_dtime=$(dtime)"

# The same read without the access log (RUST_LOG=warn): what logging costs.
stop
RUST_LOG=warn start "$DB"
next_block
load --name http.kftc.balance_nolog -c 64 --seconds "$SECS" --n-start "$TRAN" -H "Authorization: Bearer $TOK" \
  --url "$BASE/v2.0/account/balance/fin_num?bank_tran_id=${ORG}U{n}&fintech_use_num=$FIN&tran_dtime=$(dtime)"
stop
start "$DB"

say "HTTP 2. withdraw/fin_num (SQLite)"
withdraw_series sqlite

say "HTTP 3. transaction_list/fin_num paging (SQLite)"
PA=$(new_account 1000000); HP=${PA%%$'\t'*}; HA=${PA#*$'\t'}
HFIN=$(register "$HP" "$HA")
HAID=$(jq -r .account_id <<<"$HA"); HINST=$(jq -r .institution_code <<<"$HA")
have=1 # the opening line
for size in ${HIST//,/ }; do
  stop
  "$BENCH" history --database "$DB" --account-id "$HAID" --institution-code "$HINST" --rows $((size - have))
  have=$size
  start "$DB"; token
  next_block
  load --name "http.transaction_list.sqlite.rows$size" -c 1 --seconds "$SECS" --n-start "$TRAN" \
    -H "Authorization: Bearer $TOK" \
    --url "$BASE/v2.0/account/transaction_list/fin_num?bank_tran_id=${ORG}U{n}&fintech_use_num=$HFIN&inquiry_type=A&inquiry_base=D&from_date=$(today)&to_date=$(today)&sort_order=D&tran_dtime=$(dtime)"
done
stop

# --- PostgreSQL --------------------------------------------------------------
if [[ $BACKENDS == *postgres* ]]; then
  say "HTTP 2. withdraw/fin_num (PostgreSQL)"
  PGDB=finhub_bench_http_$$
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null 2>&1
  start "${FINHUB_BENCH_PG%/*}/$PGDB"
  client; token
  withdraw_series postgres
  stop
fi
