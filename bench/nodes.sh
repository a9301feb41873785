#!/usr/bin/env bash
# Several finhub nodes on one PostgreSQL database (called by run.sh, or alone
# with BENCH=target/release/finhub-bench OUT=bench/out):
#   the same load twice, as three clients of C connections each (one holder
#   account per client, all of one KFTC client, so its contract account and
#   limit counters are shared): first all three against one node, then each
#   against a node of its own. Withdrawals, then authorized balance reads.
# NODES_CLIENTS=3 gives each load a KFTC client of its own (nothing shared).
# Appends one JSON line per client and series to $OUT/nodes.jsonl, and one
# per series with the sum ("nodes.<what>.<n>node"), with the CPU seconds each
# finhub node and PostgreSQL spent in it (for what 3 machines would carry).
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:?}
OUT=${OUT:?}
SECS=${SECS:-10}
C=${NODES_CONNS:-16}
FINHUB_BENCH_PG=${FINHUB_BENCH_PG:-postgres://postgres@127.0.0.1:5432/postgres}
FINHUB=$(dirname "$BENCH")/finhub
PORTS=(18191 18192 18193)
ADMIN=bench-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN
TMP=$(mktemp -d /tmp/finhub-nodes-XXXXXX)
PGDB=finhub_bench_nodes_$$
NODES=()

say() { printf '\n== %s\n' "$*" >&2; }
cleanup() {
  for p in "${NODES[@]:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  if [[ -n ${KEEP:-} ]]; then echo "nodes: logs kept in $TMP" >&2; else rm -rf "$TMP"; fi
  return 0
}
trap cleanup EXIT

psql "$FINHUB_BENCH_PG" -Atqc 'SELECT 1' >/dev/null 2>&1 || { say "nodes: no PostgreSQL at $FINHUB_BENCH_PG, skipped"; exit 0; }
say "release build of finhub"
cargo build --release -q -p finhub
psql "$FINHUB_BENCH_PG" -qc "DROP DATABASE IF EXISTS $PGDB" -c "CREATE DATABASE $PGDB" >/dev/null
DB="${FINHUB_BENCH_PG%/*}/$PGDB"

start_node() { # INDEX
  local port=${PORTS[$1]}
  "$FINHUB" serve --listen "127.0.0.1:$port" --database "$DB" >"$TMP/node$1.log" 2>&1 &
  NODES[$1]=$!
  for _ in $(seq 600); do
    grep -q '^ready' "$TMP/node$1.log" 2>/dev/null && return 0
    kill -0 "${NODES[$1]}" 2>/dev/null || { cat "$TMP/node$1.log" >&2; return 1; }
    sleep 0.1
  done
  echo "node $1 did not come up" >&2; return 1
}

# CPU seconds (user + system) of a process tree's main pid, and of every
# PostgreSQL server process.
cpu_of() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$1/stat"; }
pg_cpu() {
  local t=0 p
  for p in $(pgrep -x postgres || pgrep postgres); do
    t=$(awk -v t="$t" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$p/stat" 2>/dev/null || echo "$t")
  done
  echo "$t"
}

BASE=http://127.0.0.1:${PORTS[0]}
# shellcheck source=bench/kftc-lib.sh
. bench/kftc-lib.sh

start_node 0
# One KFTC client for all three loads (its contract account and limit
# counters shared), or with NODES_CLIENTS=3 a client each (nothing shared).
FINS=(); TOKS=(); ORGS=(); CNTRS=()
for k in 0 1 2; do
  if [[ $k == 0 || ${NODES_CLIENTS:-1} == 3 ]]; then client; token; fi
  pa=$(new_account 1000000000000); p=${pa%%$'\t'*}; a=${pa#*$'\t'}
  FINS[$k]=$(register "$p" "$a"); TOKS[$k]=$TOK; ORGS[$k]=$ORG; CNTRS[$k]=$CNTR
done
start_node 1; start_node 2

# Three clients at once, client k against node TARGET[k]; one summed line.
series() { # WHAT NODES(1|3)
  local what=$1 n=$2 k pids=() before=() pg0 url body
  next_block
  for k in 0 1 2; do before[$k]=$(cpu_of "${NODES[$k]}"); done
  pg0=$(pg_cpu)
  for k in 0 1 2; do
    local port=${PORTS[0]}
    [[ $n == 3 ]] && port=${PORTS[$k]}
    local args=(--name "nodes.$what.${n}node.client$k" -c "$C" --seconds "$SECS"
      --n-start $((TRAN + k * 3000000)) -H "Authorization: Bearer ${TOKS[$k]}" --expect A0000)
    ORG=${ORGS[$k]} CNTR=${CNTRS[$k]}
    if [[ $what == withdraw ]]; then
      body=$(withdraw_body "${FINS[$k]}")
      args+=(--method POST --url "http://127.0.0.1:$port/v2.0/transfer/withdraw/fin_num"
        -H 'Content-Type: application/json' --body "$body")
    else
      url="http://127.0.0.1:$port/v2.0/account/balance/fin_num?bank_tran_id=${ORG}U{n}&fintech_use_num=${FINS[$k]}&tran_dtime=$(dtime)"
      args+=(--url "$url")
    fi
    timeout $((SECS * 3 + 60)) "$BENCH" load "${args[@]}" >"$TMP/$what.$n.$k.json" &
    pids+=($!)
  done
  wait "${pids[@]}"
  local cpus=() pg1
  for k in 0 1 2; do cpus[$k]=$(awk -v a="$(cpu_of "${NODES[$k]}")" -v b="${before[$k]}" 'BEGIN { printf "%.2f", a - b }'); done
  pg1=$(awk -v a="$(pg_cpu)" -v b="$pg0" 'BEGIN { printf "%.2f", a - b }')
  cat "$TMP/$what.$n."*.json >>"$OUT/nodes.jsonl"
  jq -sc --arg name "nodes.$what.${n}node" --argjson secs "$SECS" \
    --argjson cpu "[${cpus[0]},${cpus[1]},${cpus[2]}]" --argjson pg "$pg1" '{
      name: $name, per_second: (map(.per_second) | add), errors: (map(.errors) | add),
      requests: (map(.requests) | add), p50_ms: (map(.p50_ms) | max), p99_ms: (map(.p99_ms) | max),
      node_cpu_s: $cpu, pg_cpu_s: $pg, seconds: $secs}' "$TMP/$what.$n."*.json | tee -a "$OUT/nodes.jsonl"
}

for what in withdraw balance; do
  say "nodes: $what, 3 clients x $C connections on 1 node, then on 3 nodes"
  series "$what" 1
  series "$what" 3
done
jq -sr 'map(select(.name | test("^nodes\\.[a-z]+\\.[13]node$"))) | group_by(.name | split(".")[1])[]
  | "nodes: \(.[0].name | split(".")[1]): 3 nodes / 1 node = \((map(select(.name | endswith("3node")))[0].per_second / map(select(.name | endswith("1node")))[0].per_second * 100 | round / 100))x, errors \(map(.errors))"' \
  "$OUT/nodes.jsonl" >&2
