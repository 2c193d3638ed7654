#!/usr/bin/env bash
# Builds the wasm module into www/pkg/ (wasm-bindgen --target web, no bundler),
# optimises it with npm binaryen's wasm-opt, and keeps the optimised module only
# if it still loads and passes the Node tests. Prints raw and gzip sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --profile wasm --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir www/pkg target/wasm32-unknown-unknown/wasm/ptbill.wasm

# The ICD-10-CM titles travel beside the wasm, loaded by the page when first needed.
mkdir -p www/data
cp data/icd10cm-descriptions.txt www/data/icd10cm-descriptions.txt

size() { printf '%s bytes raw, %s bytes gzip -9' "$(wc -c < "$1")" "$(gzip -9 < "$1" | wc -c)"; }
wasm=www/pkg/ptbill_bg.wasm
echo "wasm before wasm-opt: $(size $wasm)"

opt=node_modules/.bin/wasm-opt
if [ -x "$opt" ] && [ "${WASM_OPT:-1}" = 1 ]; then
  cp $wasm target/ptbill_bg.unopt.wasm
  # Rust 1.95 emits these post-MVP features; wasm-opt must be told it may keep them.
  if "$opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
       --enable-mutable-globals --enable-reference-types --enable-multivalue \
       target/ptbill_bg.unopt.wasm -o target/ptbill_bg.opt.wasm 2>target/wasm-opt.log \
     && cp target/ptbill_bg.opt.wasm $wasm \
     && node --test tests/web/pkg.test.mjs >target/wasm-opt-check.log 2>&1; then
    echo "wasm after wasm-opt:  $(size $wasm) (kept: it loads and passes tests/web/pkg.test.mjs)"
  else
    cp target/ptbill_bg.unopt.wasm $wasm
    echo "wasm-opt output rejected (see target/wasm-opt.log, target/wasm-opt-check.log); shipping the unoptimised module"
  fi
else
  echo "wasm-opt not available; shipping the unoptimised module"
fi
echo "icd10cm descriptions: $(size www/data/icd10cm-descriptions.txt)"
