#!/usr/bin/env bash
# Konaplate charges through the real server, on loopback only (called by
# run.sh, or alone: BENCH=target/release/finhub-bench OUT=/tmp/out bash bench/konaplate.sh):
# for each backend, a fresh `finhub serve`, then `finhub-bench kona-charge`
# at 64 connections, each charge = R1 (one-time token) + R2 (charge), signed:
#   1. plain bodies (the baseline of the same run),
#   2. both bodies JWE (RSA-OAEP-256 + A128GCM) to the project's server key;
# the share of time spent on crypto is 1 - encrypted/plain. On PostgreSQL,
# pgbench tpcb-like at 64 connections on the same server runs beside it.
# Inputs: BENCH, OUT, SECS (10), BACKENDS (sqlite,postgres), FINHUB_BENCH_PG.
# Each series is one JSON line appended to $OUT/konaplate.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:?}
OUT=${OUT:?}
SECS=${SECS:-10}
BACKENDS=${BACKENDS:-sqlite,postgres}
FINHUB_BENCH_PG=${FINHUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
FINHUB=$(dirname "$BENCH")/finhub
PORT=18096
ADMIN=bench-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN
TMP=$(mktemp -d /tmp/finhub-kona-XXXXXX)
PGDB=""
SERVER=""
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*" >&2; }
cleanup() {
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [[ -n "$PGDB" ]] && psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  rm -rf "$TMP"
  return 0
}
trap cleanup EXIT

if [[ -z ${NO_BUILD:-} ]]; then
  say "release build of finhub and finhub-bench"
  cargo build --release -q -p finhub -p finhub-bench
fi

start() { # DATABASE_URL
  "$FINHUB" serve --listen "127.0.0.1:$PORT" --database "$1" --demo-people 0 >"$TMP/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do
    grep -q '^ready' "$TMP/serve.log" 2>/dev/null && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/serve.log" >&2; return 1; }
    sleep 0.1
  done
  echo "server did not come up" >&2; return 1
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

series() { # BACKEND
  local b=http://127.0.0.1:$PORT
  timeout $((SECS * 3 + 300)) "$BENCH" kona-charge --name "konaplate.charge.plain.$1" --base "$b" \
    -c 64 --seconds "$SECS" | tee -a "$OUT/konaplate.jsonl"
  timeout $((SECS * 3 + 300)) "$BENCH" kona-charge --name "konaplate.charge.jwe.$1" --base "$b" \
    -c 64 --seconds "$SECS" --encrypt | tee -a "$OUT/konaplate.jsonl"
}

if [[ $BACKENDS == *sqlite* ]]; then
  say "Konaplate charges, plain and JWE, 64 connections (SQLite)"
  start "sqlite://$TMP/finhub.db"
  series sqlite
  stop
fi

if [[ $BACKENDS == *postgres* ]]; then
  say "Konaplate charges, plain and JWE, 64 connections (PostgreSQL)"
  PGDB=finhub_bench_kona_$$
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null 2>&1
  start "${FINHUB_BENCH_PG%/*}/$PGDB"
  series postgres
  stop
  say "pgbench tpcb-like, 64 connections, beside it"
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS ${PGDB}_pgb" -c "CREATE DATABASE ${PGDB}_pgb" >/dev/null
  pgbench -i -q -s 16 "${FINHUB_BENCH_PG%/*}/${PGDB}_pgb" >/dev/null 2>&1
  res=$(pgbench -n -b tpcb-like -c 64 -j 2 -T "$SECS" -M prepared "${FINHUB_BENCH_PG%/*}/${PGDB}_pgb" 2>/dev/null)
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$res" | head -1)
  printf '{"name":"konaplate.pgbench.tpcb_like","concurrency":64,"per_second":%s,"seconds":%s,"errors":0}\n' \
    "${tps:-0}" "$SECS" | tee -a "$OUT/konaplate.jsonl"
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS ${PGDB}_pgb" >/dev/null
fi

say "ratios"
jq -rs '
  (map({(.name): .}) | add) as $s
  | [ "sqlite", "postgres" ][] as $b
  | select($s["konaplate.charge.plain.\($b)"] and $s["konaplate.charge.jwe.\($b)"])
  | ($s["konaplate.charge.plain.\($b)"].per_second) as $p | ($s["konaplate.charge.jwe.\($b)"].per_second) as $e
  | "\($b): JWE \($e)/s vs plain \($p)/s = \(($e / $p * 100 | round) / 100)x; crypto share \(((1 - $e / $p) * 100 | round))%"
    + (if $b == "postgres" and $s["konaplate.pgbench.tpcb_like"]
       then "; JWE charges / pgbench tpcb-like = \(($e / $s["konaplate.pgbench.tpcb_like"].per_second * 1000 | round) / 1000)x"
       else "" end)
' "$OUT/konaplate.jsonl" >&2
