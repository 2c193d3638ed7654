#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default $FUZZ_SECONDS or 60) and
# prints the executions and findings of each. A crash's input is copied into
# fuzz/regressions/<target>/, which tests/fuzz_regressions.rs replays in
# `cargo test`: commit it with the fix. Needs the nightly toolchain and
# cargo-fuzz (`make fuzz` installs cargo-fuzz when it is missing).
# FUZZ_TARGETS="check icd10" limits the targets; FUZZ_NICE=19 runs them niced.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-60}}
targets=${FUZZ_TARGETS:-check audit_bytes audit_rows icd10}
nice=(nice -n "${FUZZ_NICE:-0}")
./scripts/fuzz-seeds.sh
# -a: debug assertions on, so an arithmetic overflow is a finding, not a wrong number.
"${nice[@]}" cargo +nightly fuzz build -O -a
logs=${FUZZ_LOGS:-fuzz/logs}
mkdir -p "$logs"
status=0
printf '%-12s %8s %14s %10s  %s\n' target seconds executions exec/s result
for t in $targets; do
  log=$logs/$t.log
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=fuzz/dict/$t.dict")
  [ "$t" = check ] && dict=(-dict=fuzz/dict/visit.dict)
  # A clean clone has no artifacts folder yet (with pipefail, ls on it would stop the script).
  mkdir -p "fuzz/artifacts/$t"
  before=$(ls "fuzz/artifacts/$t" | wc -l)
  if "${nice[@]}" cargo +nightly fuzz run -O -a "$t" "fuzz/corpus/$t" -- \
       -max_total_time="$secs" -timeout=10 -print_final_stats=1 "${dict[@]}" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"
    status=1
    mkdir -p "fuzz/regressions/$t"
    for f in $(ls -t "fuzz/artifacts/$t" 2>/dev/null | head -n $(( $(ls "fuzz/artifacts/$t" | wc -l) - before ))); do
      cp "fuzz/artifacts/$t/$f" "fuzz/regressions/$t/$f"
      result="$result; input kept as fuzz/regressions/$t/$f"
    done
  fi
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  printf '%-12s %8s %14s %10s  %s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" "$result"
done
exit $status
