#!/usr/bin/env bash
# Every test suite: installs what it needs first, then format, lint, tests (unit, property,
# doc, integration, real-PHP comparison, sandbox over loopback, sandbox load and crash test), and
# the wasm32 build of the core.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (PHP required)"
VPSGATE_REQUIRE_PHP=1 cargo test --workspace

step "sandbox load and crash test: 50 clients, 2 x 30 s (scripts/load-test.sh)"
scripts/load-test.sh

step "core builds for wasm32-unknown-unknown with default features off"
cargo check -p vpsgate --target wasm32-unknown-unknown --no-default-features

step "docs build without warnings"
# The C library's lib is also called `vpsgate` (libvpsgate.so): documented on its own, since two
# libs of one name cannot be documented in one run.
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude vpsgate-ffi --no-deps --quiet
RUSTDOCFLAGS="-D warnings" cargo doc -p vpsgate-ffi --no-deps --quiet

step "the C library: header, examples, ASan, threads, decode vs CLI (scripts/test-ffi.sh)"
scripts/test-ffi.sh

step "the PHP package and the WHMCS module: PHPUnit, PHP-FPM with preload, memory (scripts/test-php.sh)"
scripts/test-php.sh

step "the npm package: wasm-bindgen-test, packed tarball against the sandbox, Chromium (scripts/test-npm.sh)"
scripts/test-npm.sh

step "every fuzz target for a short bounded time (scripts/fuzz-smoke.sh)"
scripts/fuzz-smoke.sh

step "all suites passed"
