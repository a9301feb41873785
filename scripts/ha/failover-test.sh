#!/usr/bin/env bash
# The failover test on a formation of its own: pg-ha.sh up, the cargo test
# `failover` with FINHUB_HA_URI set, pg-ha.sh down (also on failure or ^C).
# Extra arguments go to the test binary (e.g. --nocapture is always on).
set -euo pipefail
cd "$(dirname "$0")/../.."
HA=scripts/ha/pg-ha.sh
# A formation of its own, beside any one started by hand with the defaults;
# exported, so the test's `pg-ha.sh kill-primary` finds the same one.
export FINHUB_HA_DIR=${FINHUB_HA_DIR:-/tmp/finhub-ha-test}
export FINHUB_HA_MONITOR_PORT=${FINHUB_HA_MONITOR_PORT:-6011}
export FINHUB_HA_PORT1=${FINHUB_HA_PORT1:-6012}
export FINHUB_HA_PORT2=${FINHUB_HA_PORT2:-6013}
t0=$SECONDS

cleanup() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "${FINHUB_HA_KEEP:-}" ]; then
    echo "[failover-test] failed; formation kept (FINHUB_HA_KEEP): $HA status / $HA down" >&2
  else
    "$HA" down || true
  fi
  echo "[failover-test] $( [ "$rc" -eq 0 ] && echo passed || echo "FAILED ($rc)" ) in $((SECONDS - t0)) s" >&2
  exit "$rc"
}

# Build first: the formation should not wait for the compiler.
cargo test -p finhub --test failover --no-run --locked

"$HA" down >/dev/null 2>&1 || true
trap cleanup EXIT INT TERM
uri=$("$HA" up)
echo "[failover-test] formation: $uri" >&2
# The test makes its own data on the formation; it must not also make a
# scratch database on the shared server the other suites use.
FINHUB_HA_URI=$uri FINHUB_TEST_DATABASE_URL= \
  cargo test -p finhub --test failover --locked -- --nocapture "$@"
