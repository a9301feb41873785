#!/usr/bin/env bash
# One command for every finhub figure, side by side, on loopback only:
#   bench/run.sh            # whole run, about 8-10 minutes on a 2-core machine
#   QUICK=1 bench/run.sh    # short series (smoke run; figures not for the README)
# Writes bench/out/*.jsonl (one JSON line per series) and bench/out/summary.md.
# Environment: FINHUB_BENCH_PG (PostgreSQL server URL, default
# postgres://postgres@127.0.0.1:5432/postgres), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
mkdir -p "$OUT"
rm -f "$OUT"/*.jsonl "$OUT"/summary.md

export FINHUB_BENCH_PG=${FINHUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
SECS=${SECS:-10}        # measured seconds per throughput series
PGB_SECS=${PGB_SECS:-20}
ROWS=${ROWS:-1000,1000000}
PEOPLE=${PEOPLE:-1000,1000000}
ITER=${ITER:-2000}
if [[ -n "${QUICK:-}" ]]; then SECS=2; PGB_SECS=3; ROWS=1000,20000; PEOPLE=1000,20000; ITER=300; fi

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------
need_apt=()
command -v pgbench >/dev/null || need_apt+=(postgresql-client postgresql-contrib)
command -v psql >/dev/null || need_apt+=(postgresql-client)
if ((${#need_apt[@]})); then
  say "installing ${need_apt[*]}"
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi
fi

BACKENDS=sqlite
if psql "$FINHUB_BENCH_PG" -Atqc 'SELECT 1' >/dev/null 2>&1; then
  BACKENDS=sqlite,postgres
else
  say "PostgreSQL not reachable at $FINHUB_BENCH_PG: SQLite figures only"
fi

say "release build"
cargo build --release -q -p finhub-bench
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH=$TARGET/release/finhub-bench

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# --- 1. the ceiling: bare axum JSON route ------------------------------------
say "1. ceiling (bare axum route)"
"$BENCH" ceiling --port 18080 2>/dev/null & CEIL=$!; PIDS+=("$CEIL")
wait_port 18080
timeout 120 "$BENCH" load --name http.ceiling --url http://127.0.0.1:18080/ceiling \
  -c 64 --seconds "$SECS" --expect A0000 | tee -a "$OUT/http.jsonl"
kill "$CEIL"; wait "$CEIL" 2>/dev/null || true

# --- 2. authorized reads: bearer check + ledger read, same HTTP stack ---------
say "2. authorized balance reads (bearer JWT + revocation set, World::account on SQLite)"
"$BENCH" reads --port 18081 --token-file "$OUT/reads.token" 2>/dev/null & READS=$!; PIDS+=("$READS")
wait_port 18081
read -r TOKEN ACCT < "$OUT/reads.token" || true  # no trailing newline
timeout 120 "$BENCH" load --name http.balance \
  --url "http://127.0.0.1:18081/v2.0/account/balance/fin_num?fintech_use_num=$ACCT" \
  -H "Authorization: Bearer $TOKEN" -c 64 --seconds "$SECS" --expect A0000 | tee -a "$OUT/http.jsonl"
timeout 120 "$BENCH" load --name http.token_only --url "http://127.0.0.1:18081/bench/token_only" \
  -H "Authorization: Bearer $TOKEN" -c 64 --seconds "$SECS" --expect A0000 | tee -a "$OUT/http.jsonl"
kill "$READS"; wait "$READS" 2>/dev/null || true
rm -f "$OUT/reads.token"

# --- 2b. HTTP faces (authorized reads, withdraw, paging over HTTP) -------------
if [[ -x bench/http.sh ]]; then
  say "2. HTTP faces"
  BENCH=$BENCH OUT=$OUT SECS=$SECS BACKENDS=$BACKENDS ROWS=$ROWS ITER=$ITER bash bench/http.sh || say "HTTP faces: failed (see above)"
fi

if [[ -x bench/mydata.sh ]]; then
  say "2c. MyData face (deposit transactions, sync walk)"
  BENCH=$BENCH OUT=$OUT SECS=$SECS BACKENDS=$BACKENDS bash bench/mydata.sh || say "MyData face: failed (see above)"
fi

if [[ -x bench/obp.sh ]]; then
  say "2d. OBP face (customer read, current user)"
  BENCH=$BENCH OUT=$OUT SECS=$SECS BACKENDS=$BACKENDS bash bench/obp.sh || say "OBP face: failed (see above)"
fi

if [[ -x bench/konaplate.sh ]]; then
  say "2e. Konaplate face (signed charges, plain and JWE)"
  NO_BUILD=1 BENCH=$BENCH OUT=$OUT SECS=$SECS BACKENDS=$BACKENDS bash bench/konaplate.sh || say "Konaplate face: failed (see above)"
fi

if [[ -x bench/nodes.sh && $BACKENDS == *postgres* ]]; then
  say "2f. three nodes on one PostgreSQL against one (withdrawals, balance reads)"
  BENCH=$BENCH OUT=$OUT SECS=$SECS bash bench/nodes.sh || say "nodes: failed (see above)"
fi

# --- 3. durable transfers through the ledger writer ---------------------------
say "3. durable transfers, store level ($BACKENDS)"
timeout 600 "$BENCH" ledger --backends "$BACKENDS" --seconds "$SECS" | tee "$OUT/ledger.jsonl"

if [[ $BACKENDS == *postgres* ]]; then
  say "3b. pgbench -b tpcb-like on the same PostgreSQL"
  PGDB_URL=${FINHUB_BENCH_PG%/*}/finhub_bench_pgbench
  psql "$FINHUB_BENCH_PG" -qc 'DROP DATABASE IF EXISTS finhub_bench_pgbench' -c 'CREATE DATABASE finhub_bench_pgbench' >/dev/null
  pgbench -i -q -s 16 "$PGDB_URL" >/dev/null 2>&1
  for c in 1 16 64; do
    res=$(pgbench -n -b tpcb-like -c "$c" -j 2 -T "$PGB_SECS" -M prepared "$PGDB_URL" 2>/dev/null)
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$res" | head -1)
    lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$res" | head -1)
    line=$(printf '{"name":"pgbench.tpcb_like","concurrency":%s,"per_second":%s,"latency_avg_ms":%s,"seconds":%s,"errors":0}' \
      "$c" "${tps:-0}" "${lat:-null}" "$PGB_SECS")
    echo "$line" | tee -a "$OUT/pgbench.jsonl"
  done
  psql "$FINHUB_BENCH_PG" -qc 'DROP DATABASE IF EXISTS finhub_bench_pgbench' >/dev/null
fi

# --- 4. scale: paging and lookups at 1,000 vs 1,000,000 -----------------------
say "4. scale ($ROWS rows, $PEOPLE people)"
timeout 900 "$BENCH" scale --backends "$BACKENDS" --rows "$ROWS" --people "$PEOPLE" --iterations "$ITER" \
  | tee "$OUT/scale.jsonl"

say "summary"
"$BENCH" report --dir "$OUT"
