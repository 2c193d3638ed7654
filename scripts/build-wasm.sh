#!/usr/bin/env bash
# Builds the wasm module twice, with wasm-bindgen --target web (no bundler):
#   www/pkg-calc/   size-optimised (profile wasm, wasm-opt -Oz), without the cargo
#                   features `audit` (no audit exports or code) and `embedded-tables`
#                   (no NCCI PTP or ICD-10-CM tables): the calculator page, which
#                   fetches www/data/tables.bin after its first result;
#   www/pkg-audit/  speed-optimised (profile wasm-fast, wasm-opt -O3), every export:
#                   the audit's Web Worker, fetched only when a file is audited.
#   www/pkg/        a copy of www/pkg-audit: the contract's module, with every
#                   export (`check`, `audit`, …), for course pages and Node hosts.
# Each wasm-opt output is kept only if the module still loads and passes the Node
# tests (tests/web/pkg.test.mjs). Prints raw, gzip and brotli sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

size() {
  printf '%s bytes raw, %s bytes gzip -9, %s bytes brotli -q 11' "$(wc -c < "$1")" "$(gzip -9 < "$1" | wc -c)" \
    "$(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$1")"
}
opt=node_modules/.bin/wasm-opt

# build PROFILE OUT_DIR "WASM_OPT_FLAGS" [CARGO_FLAGS...]
build() {
  local profile=$1 out=$2 level=$3
  shift 3
  cargo build --quiet --profile "$profile" --target wasm32-unknown-unknown --lib "$@"
  wasm-bindgen --target web --out-dir "$out" "target/wasm32-unknown-unknown/$profile/ptbill.wasm"
  local wasm=$out/ptbill_bg.wasm
  echo "$out: wasm before wasm-opt: $(size "$wasm")"
  if [ -x "$opt" ] && [ "${WASM_OPT:-1}" = 1 ]; then
    cp "$wasm" "target/$profile.unopt.wasm"
    # Rust 1.95 emits these post-MVP features; wasm-opt must be told it may keep them.
    # shellcheck disable=SC2086 # the level and its extra flags, one word each
    if "$opt" $level --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
         --enable-mutable-globals --enable-reference-types --enable-multivalue \
         "target/$profile.unopt.wasm" -o "target/$profile.opt.wasm" 2>"target/$profile.wasm-opt.log" \
       && cp "target/$profile.opt.wasm" "$wasm" \
       && PTBILL_PKG="$out" node --test tests/web/pkg.test.mjs >"target/$profile.wasm-opt-check.log" 2>&1; then
      echo "$out: wasm after wasm-opt $level: $(size "$wasm") (kept: it loads and passes tests/web/pkg.test.mjs)"
    else
      cp "target/$profile.unopt.wasm" "$wasm"
      echo "$out: wasm-opt output rejected (see target/$profile.wasm-opt*.log); shipping the unoptimised module"
    fi
  else
    echo "$out: wasm-opt not available; shipping the unoptimised module"
  fi
}

# The ICD-10-CM titles travel beside the wasm, loaded by the page when first needed,
# and the big tables in binary (src/tables/binary.rs) for the calculator's module
# (written first: the Node tests that judge wasm-opt's output read them).
mkdir -p www/data
cp data/icd10cm-descriptions.txt www/data/icd10cm-descriptions.txt
cargo run --quiet --release --bin ptbill-tables -- www/data/tables.bin

# --low-memory-unused: Rust's wasm32 layout puts the 1 MB stack first (data from
# 1 MB up), so the low 1 KB is reached only by a stack already overflowing;
# wasm-opt may then fold address arithmetic into loads and stores (~1 KB brotli).
# --converge repeats the passes while they still shrink the module (~650 bytes brotli);
# the producers section names the compilers, which the page does not need.
build wasm www/pkg-calc "-Oz --low-memory-unused --converge --strip-producers" --no-default-features
build wasm-fast www/pkg-audit -O3
rm -rf www/pkg
cp -r www/pkg-audit www/pkg
echo "www/pkg: a copy of www/pkg-audit (every export)"
echo "icd10cm descriptions: $(size www/data/icd10cm-descriptions.txt)"
echo "tables.bin (NCCI PTP, ICD-10-CM validity and sides): $(size www/data/tables.bin)"
