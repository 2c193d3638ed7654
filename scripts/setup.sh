#!/usr/bin/env bash
# Installs what the build and tests need, only where it is missing (idempotent):
# the wasm32 target, wasm-bindgen-cli of the exact version in Cargo.lock,
# Debian's chromium + chromium-driver, and the npm dev dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
need_browser=${NEED_BROWSER:-1}

say() { printf 'setup: %s\n' "$*" >&2; }

# 1. The wasm32 target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli of the version pinned in Cargo.lock (the CLI refuses other versions).
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ -z "$want" ]; then
  say "cannot find wasm-bindgen in Cargo.lock"; exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); this takes a few minutes"
  # No --locked: a pinned transitive version is missing from the registry mirror here.
  cargo install wasm-bindgen-cli --version "$want"
fi

# 3. Chromium and its driver, from Debian.
if [ "$need_browser" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium and chromium-driver with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    say "chromium and chromium-driver are missing: install them (Debian: sudo apt-get install chromium chromium-driver) and run again"
    exit 1
  fi
fi

# 4. npm dev dependencies (playwright-core drives the installed chromium; binaryen's wasm-opt).
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/binaryen ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
