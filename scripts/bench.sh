#!/usr/bin/env bash
# Runs the benchmarks and prints a table of figures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo bench --quiet --bench check -- --output-format bencher 2>/dev/null | grep '^test ')
printf '\n| benchmark | time per call |\n|---|---|\n'
while read -r line; do
  name=$(sed -E 's/^test (.*) \.\.\. bench:.*/\1/' <<<"$line")
  ns=$(sed -E 's/.*bench: *([0-9,]+) ns\/iter.*/\1/' <<<"$line" | tr -d ,)
  printf '| %s | %s µs |\n' "$name" "$(awk -v n="$ns" 'BEGIN{printf "%.1f", n/1000}')"
done <<<"$out"
printf '\n(cargo bench --bench check, criterion, this machine: %s cores)\n' "$(nproc)"

# Audit throughput vs the bare-parse floor, wasm vs native, and 1M-visit memory.
cargo bench --quiet --bench audit 2>/dev/null | sed -n '/^| measure/,$p'
