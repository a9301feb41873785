#!/usr/bin/env bash
# The real server through its KFTC face, on loopback only (called by run.sh):
#   1. authorized balance reads (sa token, registered fin_num) on SQLite;
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
admin() { # METHOD PATH [JSON]
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$BASE$2"
}
dtime() { TZ=Asia/Seoul date +%Y%m%d%H%M%S; }
today() { TZ=Asia/Seoul date +%Y%m%d; }
# bank_tran_id tails: single calls count in a file (they run in subshells);
# each load series takes its own block of 10,000,000 above 100,000,000 (bank_tran_id
# has exactly 9 digits after the U, so at most 89 blocks per run).
echo 0 >"$TMP/tran"
tran() { local n; n=$(($(cat "$TMP/tran") + 1)); echo "$n" >"$TMP/tran"; printf '%sU%09d\n' "$ORG" "$n"; }
BLOCK=0
next_block() { BLOCK=$((BLOCK + 1)); TRAN=$((100000000 + BLOCK * 10000000)); }

client() { # sets CID SECRET ORG CNTR
  local c
  c=$(admin POST /sandbox/clients '{"profile":"kftc","name":"bench","redirect_uris":[],"scopes":["oob","sa"]}')
  CID=$(jq -r .client_id <<<"$c"); SECRET=$(jq -r .client_secret <<<"$c")
  ORG=$(jq -r .org_code <<<"$c"); CNTR=$(jq -r .cntr_account_num <<<"$c")
  [[ $CID != null && $ORG != null ]] || { echo "client: $c" >&2; return 1; }
}
token() { # sets TOK
  local t
  t=$(curl -sS --max-time 30 -X POST "$BASE/oauth/2.0/token" \
    --data-urlencode "client_id=$CID" --data-urlencode "client_secret=$SECRET" \
    -d scope=sa -d grant_type=client_credentials)
  TOK=$(jq -r .access_token <<<"$t")
  [[ $TOK != null ]] || { echo "token: $t" >&2; return 1; }
}
kpost() { curl -sS --max-time 30 -X POST -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
register() { # PERSON_JSON ACCOUNT_JSON -> prints fintech_use_num
  local p=$1 a=$2 fin="" scope r
  for scope in inquiry transfer; do
    r=$(kpost /v2.0/user/register "$(jq -nc --arg t "$(tran)" --arg d "$(dtime)" --argjson p "$p" --argjson a "$a" --arg s "$scope" '{
      bank_tran_id:$t, bank_code_std:$a.bank_code_std, register_account_num:$a.account_num,
      user_info:($p.birth_date|gsub("-";"")), user_name:$p.name, user_ci:$p.ci,
      user_email:"user@example.com", scope:$s, info_prvd_agmt_yn:"Y", wd_agmt_yn:"Y",
      agmt_data_type:"1", tran_dtime:$d}')")
    [[ $(jq -r .rsp_code <<<"$r") == A0000 ]] || { echo "register: $r" >&2; return 1; }
    fin=$(jq -r .fintech_use_num <<<"$r")
  done
  echo "$fin"
}
new_account() { # BALANCE -> prints "PERSON_JSON\tACCOUNT_JSON"
  local p a
  p=$(admin POST /sandbox/people '{"name":"벤치","birth_date":"1990-01-01"}')
  a=$(admin POST "/sandbox/people/$(jq -r .person_id <<<"$p")/accounts" \
    "{\"bank_code_std\":\"004\",\"kind\":\"demand\",\"balance\":$1}")
  [[ $(jq -r .account_id <<<"$a") != null ]] || { echo "account: $p $a" >&2; return 1; }
  printf '%s\t%s\n' "$(jq -c . <<<"$p")" "$(jq -c . <<<"$a")"
}
load() { timeout $((SECS * 3 + 60)) "$BENCH" load --expect A0000 "$@" | tee -a "$OUT/http.jsonl"; }

withdraw_series() { # BACKEND
  local pa p a fin c peak body
  pa=$(new_account 1000000000000); p=${pa%%$'\t'*}; a=${pa#*$'\t'}
  fin=$(register "$p" "$a")
  body=$(jq -nc --arg o "$ORG" --arg c "$CNTR" --arg f "$fin" --arg d "$(dtime)" '{
        bank_tran_id:($o+"U{n}"), cntr_account_type:"N", cntr_account_num:$c,
        dps_print_content:"쇼핑몰환불", fintech_use_num:$f, wd_print_content:"오픈뱅킹출금",
        tran_amt:"1", tran_dtime:$d, req_client_name:"홍길동", req_client_fintech_use_num:$f,
        req_client_num:"HONGGILDONG1234", transfer_purpose:"TR", recv_client_name:"쇼핑몰",
        recv_client_bank_code:"097", recv_client_account_num:"232000067812"}')
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
