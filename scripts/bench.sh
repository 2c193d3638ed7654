#!/usr/bin/env bash
# Runs the benchmarks and prints the issue-13 figures, each beside its target
# and, where the issue asks, as a ratio to a floor measured in the same run.
# Needs `make build` first (www/pkg and www/pkg-audit); not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo bench --quiet --bench check -- --output-format bencher 2>/dev/null | grep '^test ')
printf '\n| benchmark | time per call |\n|---|---|\n'
native_us=""
while read -r line; do
  name=$(sed -E 's/^test (.*) \.\.\. bench:.*/\1/' <<<"$line")
  ns=$(sed -E 's/.*bench: *([0-9,]+) ns\/iter.*/\1/' <<<"$line" | tr -d ,)
  us=$(awk -v n="$ns" 'BEGIN{printf "%.1f", n/1000}')
  [ "$name" = "check 10-line visit" ] && native_us=$us
  printf '| %s | %s µs |\n' "$name" "$us"
done <<<"$out"
printf '\n(cargo bench --bench check, criterion, this machine: %s cores)\n' "$(nproc)"

# The first multi-code check (tables built on first use), native and in the page's wasm,
# and check through the page's wasm against native.
first_native=$(cargo bench --quiet --bench first_use 2>/dev/null | grep -o '[0-9.]* ms' | head -1)
read -r first_wasm wasm_us < <(node benches/check-wasm.mjs)
printf '\n| issue-13 figure | measured | target |\n|---|---|---|\n'
printf '| `check`, 10-line visit, native | %s µs | ≤ 15 µs |\n' "$native_us"
printf '| `check` through the page'"'"'s wasm (www/pkg, Node) | %s µs (%s× native) | ≤ 3× native |\n' \
  "$wasm_us" "$(awk -v w="$wasm_us" -v n="$native_us" 'BEGIN{printf "%.1f", w/n}')"
printf '| first multi-code check, fresh process, native | %s | ≤ 10 ms |\n' "$first_native"
printf '| first multi-code check, page'"'"'s wasm under Node | %s ms | ≤ 10 ms (desktop page) |\n' "$first_wasm"

# Audit throughput vs the bare-parse floor, wasm vs native, and 1M-visit memory.
cargo bench --quiet --bench audit 2>/dev/null | sed -n '/^| measure/,$p'
