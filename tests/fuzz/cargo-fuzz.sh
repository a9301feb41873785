#!/usr/bin/env bash
# Run every cargo-fuzz target (fuzz/fuzz_targets) for FUZZ_SECS seconds each.
# libFuzzer needs nightly flags; the machine has a stable toolchain, so
# RUSTC_BOOTSTRAP=1 lets it take them. No sanitizer: the code under test is
# safe Rust, a panic is the failure we look for, and ASan would cost ~3x.
#
# Env: FUZZ_SECS     seconds per target (default 120; CI's fast variant: 10)
#      FUZZ_TARGETS  targets to run (default: all)
#      CARGO_TARGET_DIR  build directory (the fuzz build lives in its own subdir)
# The committed seed corpus (fuzz/corpus/<target>) is read, never written:
# new inputs go to a work corpus under the target dir. A crash leaves its
# input in fuzz/artifacts/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECS:-120}
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}/fuzz
WORK=$CARGO_TARGET_DIR/corpus

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked

# Optimised, with debug assertions and overflow checks (cargo-fuzz's default).
if [[ -z ${FUZZ_TARGETS:-} ]]; then
  cargo fuzz build --sanitizer none
fi
TARGETS=${FUZZ_TARGETS:-$(cargo fuzz list)}

failed=0
summary=""
for t in $TARGETS; do
  mkdir -p "$WORK/$t"
  log=$CARGO_TARGET_DIR/$t.log
  echo "== cargo fuzz run $t (${SECS}s)" >&2
  if ! cargo fuzz run --sanitizer none "$t" "$WORK/$t" "fuzz/corpus/$t" -- \
      -max_total_time="$SECS" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1; then
    failed=1
    echo "!! $t failed:" >&2
    grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -n 20 >&2 || tail -n 40 "$log" >&2
  fi
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  rate=$(grep -Eo 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
  summary+=$(printf '%-18s %10s execs %8s/s  cov %s\n' "$t" "$execs" "$rate" "$cov")$'\n'
done
printf '\n%s' "$summary" >&2
exit $failed
