#!/usr/bin/env bash
# The full runs of every reliability suite, one after another, each with its
# figures on stdout (see tests/RELIABILITY.md). `.ci/run` runs the fast
# variants of the same suites; this script is for a release or a change to
# the ledger, the store or a face's parsing. About 35 minutes on a 2-core
# machine, most of it the first cargo-fuzz build and 6 × 2 minutes of fuzzing.
#
# Env: FINHUB_TEST_DATABASE_URL  PostgreSQL for the PG halves
#                                (default postgres://postgres@127.0.0.1:5432/test)
#      FINHUB_CRASH_ROUNDS       SIGKILL rounds per backend (default 20)
#      FUZZ_EXAMPLES, FUZZ_SECS  schemathesis examples per operation (100),
#                                seconds per cargo-fuzz target (120)
#      SKIP                      suites to leave out, e.g. "cargo-fuzz browser"
#                                (crash nodes failover faults authz input schemathesis cargo-fuzz browser)
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${FINHUB_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
export FINHUB_CRASH_ROUNDS=${FINHUB_CRASH_ROUNDS:-20}
export FUZZ_EXAMPLES=${FUZZ_EXAMPLES:-100} FUZZ_SECS=${FUZZ_SECS:-120}
SKIP=" ${SKIP:-} "

step() { printf '\n==> %s\n' "$*"; }
want() { [[ $SKIP != *" $1 "* ]]; }
sqlite() { (unset FINHUB_TEST_DATABASE_URL; "$@"); }
pg() { FINHUB_TEST_DATABASE_URL=$PG "$@"; }
suite() { cargo test -q --locked -p finhub --test "$1" -- --nocapture --test-threads=1; }

if want crash; then
  step "crash safety: $FINHUB_CRASH_ROUNDS SIGKILL rounds, SQLite"
  sqlite suite crash
  step "crash safety: $FINHUB_CRASH_ROUNDS SIGKILL rounds, PostgreSQL"
  pg suite crash
fi
if want nodes; then
  step "three nodes on one PostgreSQL (clock, read-your-write, one id everywhere, revocation, outage, a node killed)"
  pg suite nodes
fi
if want failover; then
  step "PostgreSQL failover: pg_auto_failover primary killed under KFTC load"
  bash scripts/ha/failover-test.sh
fi
if want faults; then
  step "database faults (PostgreSQL through a controlled proxy)"
  pg suite faults
fi
if want authz; then
  step "authorization matrix, isolation, logs, throttling: SQLite, then PostgreSQL"
  sqlite suite authz
  pg suite authz
fi
if want input; then
  step "raw-input refusals (sizes, depth, UTF-8, slow clients)"
  sqlite suite input
fi
if want schemathesis; then
  step "schemathesis: $FUZZ_EXAMPLES examples per operation"
  bash tests/fuzz/schemathesis.sh
fi
if want cargo-fuzz; then
  step "cargo-fuzz: $FUZZ_SECS s per target"
  bash tests/fuzz/cargo-fuzz.sh
fi
if want browser; then
  step "headless Chromium: the consent flow"
  bash tests/browser/run.sh
fi
step "every reliability suite passed"
