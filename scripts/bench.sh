#!/usr/bin/env bash
# Runs the benchmarks and prints the issue-13 figures, each beside its target
# and, where the issue asks, as a ratio to a floor measured in the same run.
# Needs `make dist` first (www/pkg, www/pkg-audit and dist/, which the page figures load); not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(cargo bench --quiet --bench check -- --output-format bencher 2>/dev/null | grep '^test ')
printf '\n| benchmark | time per call |\n|---|---|\n'
native_us=""
door_us=""
while read -r line; do
  name=$(sed -E 's/^test (.*) \.\.\. bench:.*/\1/' <<<"$line")
  ns=$(sed -E 's/.*bench: *([0-9,]+) ns\/iter.*/\1/' <<<"$line" | tr -d ,)
  us=$(awk -v n="$ns" 'BEGIN{printf "%.1f", n/1000}')
  [ "$name" = "check 10-line visit" ] && native_us=$us
  [ "$name" = "parse + check + JSON, 10-line visit" ] && door_us=$us
  printf '| %s | %s µs |\n' "$name" "$us"
done <<<"$out"
printf '\n(cargo bench --bench check, criterion, this machine: %s cores)\n' "$(nproc)"

# The first multi-code check (tables built on first use), native and in the page's wasm,
# and check through the page's wasm against native.
first_native=$(cargo bench --quiet --bench first_use 2>/dev/null | grep -o '[0-9.]* ms' | head -1)
read -r first_wasm wasm_us load_ms before_ms < <(node benches/check-wasm.mjs)
printf '\n| issue-13 figure | measured | target |\n|---|---|---|\n'
printf '| `check`, 10-line visit, native | %s µs | ≤ 15 µs |\n' "$native_us"
# The page's door reads JSON text and returns the report as JSON (parsed by the
# glue): the same work natively is "parse + check + JSON", printed beside.
printf '| `check` through the page'"'"'s wasm (www/pkg-calc, Node) | %s µs (%s× native `check`; %s× native parse + check + JSON, the same work as the door) | ≤ 3× native |\n' \
  "$wasm_us" "$(awk -v w="$wasm_us" -v n="$native_us" 'BEGIN{printf "%.1f", w/n}')" "$(awk -v w="$wasm_us" -v n="$door_us" 'BEGIN{printf "%.1f", w/n}')"
printf '| first multi-code check, fresh process, native | %s | ≤ 10 ms |\n' "$first_native"
printf '| first multi-code check, page'"'"'s wasm under Node, before the tables (units; NCCI and ICD-10-CM pending) | %s ms | |\n' "$before_ms"
printf '| load_tables of data/tables.bin, page'"'"'s wasm under Node (right after the first result) | %s ms | |\n' "$load_ms"
printf '| first multi-code check with every table, page'"'"'s wasm under Node | %s ms | ≤ 10 ms (desktop page) |\n' "$first_wasm"

# The page on the network (tests/web/page-network.test.mjs, Chromium against
# scripts/serve.mjs): bytes before the first result (the units shown), as brotli
# and as gzip, and the cold first and complete results (#results data-state
# ready: the NCCI and ICD-10-CM findings in), desktop and 4× CPU + Slow 4G.
PTBILL_FIGURE_RUNS=${PTBILL_FIGURE_RUNS:-5} node --test --test-name-pattern '^figures' tests/web/page-network.test.mjs >/dev/null 2>&1 || echo "(the page figures test failed: run node --test tests/web/page-network.test.mjs)"
if [ -f test-results/page-figures.md ]; then
  printf '\n'
  cat test-results/page-figures.md
  printf '\n(targets: bytes before the first result ≤ 130 KB brotli / 160 KB gzip; cold first result at 4× CPU + Slow 4G ≤ 2.0 s)\n'
fi

# Audit throughput vs the bare-parse floor, wasm vs native, and 1M-visit memory.
cargo bench --quiet --bench audit 2>/dev/null | sed -n '/^| measure/,$p'
