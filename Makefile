# ptbill: every set-up step lives here and in scripts/, so a fresh Debian machine
# needs only `make serve` or `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CHROMEDRIVER ?= $(shell command -v chromedriver || echo /usr/bin/chromedriver)

FUZZ_SECONDS ?= 60

.PHONY: all setup build serve test lint test-native test-wasm test-web test-tools bench dist clean fuzz fuzz-smoke fuzz-tools

all: build

setup:
	./scripts/setup.sh

# The CLI (release), the wasm modules in www/pkg/, www/pkg-calc/ and www/pkg-audit/,
# and www/data/tables.bin (the calculator's tables), with their sizes.
build: setup
	cargo build --quiet --release --bin ptbill
	./scripts/build-wasm.sh

# The page as it ships (dist/: minified, precompressed), as a host would send it.
serve: dist
	node scripts/serve.mjs --port 8080 --dir dist

lint: setup
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests -- -D warnings
	# The page's calculator module is built without the audit and without the embedded
	# tables (scripts/build-wasm.sh; it loads www/data/tables.bin).
	cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests --no-default-features -- -D warnings

test-native: setup
	cargo test

# The wasm module in headless Chromium through wasm-bindgen-test-runner.
test-wasm: setup
	CHROMEDRIVER=$(CHROMEDRIVER) cargo test --target wasm32-unknown-unknown --test wasm

# The built www/pkg (every export, the contract's module) under Node, the page end
# to end in Chromium, and the calculator's www/pkg-calc, built without the audit:
# the tests check it has no audit exports, and that www/pkg has them all.
# The page tests serve dist/ (the page as it ships: minified, precompressed).
test-web: dist
	node --test tests/web/
	PTBILL_PKG=www/pkg-calc node --test tests/web/pkg.test.mjs tests/web/robust.test.mjs

# The data tools (tools/update-data) on small fixtures in CMS's own file layouts.
test-tools:
	python3 tests/tools/test_update_data.py

# The page tests last, so their summary closes the run.
test: lint test-native test-tools test-wasm fuzz-smoke dist test-web

# Fuzzing (fuzz/, cargo-fuzz on the nightly toolchain): every target for
# FUZZ_SECONDS (default 60) each; `fuzz-smoke` is the 20-second run of each in
# `make test`. A crash's input lands in fuzz/regressions/ (replayed by cargo test).
fuzz-tools:
	@cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

fuzz: fuzz-tools
	./scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: fuzz-tools
	./scripts/fuzz.sh 20

# The finished page, ready for any static host or course site: copy dist/ as it is.
dist: build
	rm -rf dist
	mkdir -p dist/pkg dist/pkg-calc dist/pkg-audit dist/data
	cp www/index.html www/_headers www/style.css www/*.js www/manifest.webmanifest www/icon.svg www/sample-audit.csv dist/
	if [ -d www/practice ]; then cp -r www/practice dist/; fi
	# pkg/ and pkg-audit/ also carry snippets/: the JS half of the wasm `audit`'s
	# hand-over (src/wasm/tape.js), which their ptbill.js imports.
	cp -r www/pkg/ptbill.js www/pkg/ptbill_bg.wasm www/pkg/snippets dist/pkg/
	cp www/pkg-calc/ptbill.js www/pkg-calc/ptbill_bg.wasm dist/pkg-calc/
	cp -r www/pkg-audit/ptbill.js www/pkg-audit/ptbill_bg.wasm www/pkg-audit/snippets dist/pkg-audit/
	cp www/data/icd10cm-descriptions.txt www/data/tables.bin dist/data/
	# The page's modules, stylesheets and HTML minified (scripts/minify.mjs; sw.js as it is).
	node scripts/minify.mjs dist
	# .br (brotli, highest quality) and .gz (gzip -9) beside each text and wasm file,
	# for hosts that send precompressed files (README, Hosting).
	node scripts/compress.mjs dist
	@echo "dist/: $$(find dist -type f ! -name '*.br' ! -name '*.gz' | wc -l) files (and their .br/.gz), $$(du -sk dist | cut -f1) KB; the service worker caches:"
	@node -e 'const s=require("fs").readFileSync("dist/sw.js","utf8");const l=s.match(/SHELL = \[([^\]]*)\]/)[1].match(/"[^"]*"/g).map(x=>JSON.parse(x)).filter(f=>f!=="./");for(const f of l){require("fs").accessSync("dist/"+f)};console.log("  "+l.join(" "))'

bench: dist
	./scripts/bench.sh

clean:
	cargo clean
	rm -rf www/pkg www/pkg-calc www/pkg-audit node_modules dist
