#!/usr/bin/env bash
# ORIS bulk reporting through the real server, on loopback only
# (BENCH=target/release/finhub-bench OUT=/tmp/out bash bench/oris.sh):
# for each backend, a fresh `finhub serve`, then `finhub-bench oris-batch`:
#   1. an agency through the sandbox (admin key), its admin signed in with
#      the pledge signed, ROWS/100 remitters registered (U1);
#   2. one batch of ROWS NEW rows (B1, gzip JSON chunks of 5,000 rows B2,
#      B3, B5 polled until COMPLETED): rows per second, upload and apply time;
#   3. the baseline of the same run: SINGLE more rows of the same kind as
#      single R1 calls on 8 connections; the ratio batch / single.
# Inputs: BENCH (finhub-bench), OUT, ROWS (100000), SINGLE (5000),
# BACKENDS (sqlite,postgres), FINHUB_BENCH_PG.
# Each backend's run is one JSON line appended to $OUT/oris.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:?}
OUT=${OUT:?}
ROWS=${ROWS:-100000}
SINGLE=${SINGLE:-5000}
BACKENDS=${BACKENDS:-sqlite,postgres}
FINHUB_BENCH_PG=${FINHUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
FINHUB=$(dirname "$BENCH")/finhub
PORT=18094
ADMIN=bench-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN
TMP=$(mktemp -d /tmp/finhub-oris-XXXXXX)
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

series() { # BACKEND
  timeout 600 "$BENCH" oris-batch --name "oris.batch.$1" --base "http://127.0.0.1:$PORT" \
    --rows "$ROWS" --users $((ROWS / 100 > 0 ? ROWS / 100 : 1)) --single "$SINGLE" \
    | tee -a "$OUT/oris.jsonl"
}

if [[ $BACKENDS == *sqlite* ]]; then
  say "ORIS batch of $ROWS rows, beside $SINGLE single R1 calls (SQLite)"
  start "sqlite://$TMP/finhub.db"
  series sqlite
  stop
fi

if [[ $BACKENDS == *postgres* ]]; then
  say "ORIS batch of $ROWS rows, beside $SINGLE single R1 calls (PostgreSQL)"
  PGDB=finhub_bench_oris_$$
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null 2>&1
  start "${FINHUB_BENCH_PG%/*}/$PGDB"
  series postgres
  stop
fi
