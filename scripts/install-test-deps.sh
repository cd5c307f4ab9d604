#!/usr/bin/env bash
# Installs what the test suites need beyond the Rust toolchain, from the package registries,
# by name. Safe to run again: it installs only what is missing.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# PHP 8.2 CLI with mbstring: the real-PHP comparison suites and fixture generators.
if ! command -v php >/dev/null 2>&1 || ! php -r 'exit(function_exists("mb_strtolower") ? 0 : 1);'; then
  echo "install-test-deps: installing php-cli php-mbstring" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq php-cli php-mbstring >/dev/null
fi

# The core must build for wasm32 with default features off.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
rustup component add clippy rustfmt >/dev/null 2>&1 || true
