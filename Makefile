# ptbill: every set-up step lives here and in scripts/, so a fresh Debian machine
# needs only `make serve` or `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CHROMEDRIVER ?= $(shell command -v chromedriver || echo /usr/bin/chromedriver)

.PHONY: all setup build serve test lint test-native test-wasm test-web bench dist clean

all: build

setup:
	./scripts/setup.sh

# The CLI (release) and the wasm modules in www/pkg/ and www/pkg-audit/, with their sizes.
build: setup
	cargo build --quiet --release --bin ptbill
	./scripts/build-wasm.sh

serve: build
	node scripts/serve.mjs --port 8080 --dir www

lint: setup
	cargo fmt --check
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --target wasm32-unknown-unknown --lib --tests -- -D warnings

test-native: setup
	cargo test

# The wasm module in headless Chromium through wasm-bindgen-test-runner.
test-wasm: setup
	CHROMEDRIVER=$(CHROMEDRIVER) cargo test --target wasm32-unknown-unknown --test wasm

# The built www/pkg (and the audit's www/pkg-audit) under Node, and the page end
# to end in Chromium.
test-web: build
	node --test tests/web/
	PTBILL_PKG=www/pkg-audit node --test tests/web/pkg.test.mjs

test: lint test-native test-wasm dist test-web

# The finished page, ready for any static host or course site: copy dist/ as it is.
dist: build
	rm -rf dist
	mkdir -p dist/pkg dist/pkg-audit dist/data
	cp www/index.html www/style.css www/*.js www/manifest.webmanifest www/icon.svg www/sample-audit.csv dist/
	if [ -d www/practice ]; then cp -r www/practice dist/; fi
	cp www/pkg/ptbill.js www/pkg/ptbill_bg.wasm dist/pkg/
	cp www/pkg-audit/ptbill.js www/pkg-audit/ptbill_bg.wasm dist/pkg-audit/
	cp www/data/icd10cm-descriptions.txt dist/data/
	@echo "dist/: $$(find dist -type f | wc -l) files, $$(du -sk dist | cut -f1) KB; the service worker caches:"
	@node -e 'const s=require("fs").readFileSync("dist/sw.js","utf8");const l=s.match(/SHELL = \[([^\]]*)\]/)[1].match(/"[^"]*"/g).map(x=>JSON.parse(x)).filter(f=>f!=="./");for(const f of l){require("fs").accessSync("dist/"+f)};console.log("  "+l.join(" "))'

bench: build
	./scripts/bench.sh

clean:
	cargo clean
	rm -rf www/pkg www/pkg-audit node_modules dist
