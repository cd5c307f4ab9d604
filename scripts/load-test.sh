#!/usr/bin/env bash
# Load and crash test of the sandbox over loopback (crates/vpsgate-sandbox/examples/load_test.rs):
# 50 clients using the core's blocking client create, renew and look up orders against
# `vpsgate sandbox` (its own process, SQLite state file, 3 % injected faults) for 30 s; then the
# same with the sandbox killed by SIGKILL halfway and restarted on the same state file. Checks
# every order listed exactly once, the balance to the cent, no error beyond the injected faults,
# nothing acknowledged lost; prints requests/s and latency p50/p95/p99.
#
#   scripts/load-test.sh [--duration SECONDS] [--clients N] [--release]
#
# Environment: LOAD_TEST_DURATION (default 30, per phase), LOAD_TEST_CLIENTS (default 50),
# LOAD_TEST_RELEASE=1 (same as --release: optimised build, for figures; the default debug
# build is what `cargo test` already built).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${LOAD_TEST_DURATION:-30}"
clients="${LOAD_TEST_CLIENTS:-50}"
release="${LOAD_TEST_RELEASE:-0}"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --release) release=1; shift ;;
    *) echo "load-test.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
profile=()
if [ "$release" = 1 ]; then profile=(--release); fi

# The sandbox runs as the `vpsgate` binary; the example finds it next to its own directory.
cargo build ${profile[@]+"${profile[@]}"} -q -p vpsgate-cli --bin vpsgate
cargo build ${profile[@]+"${profile[@]}"} -q -p vpsgate-sandbox --example load_test

run() {
  cargo run ${profile[@]+"${profile[@]}"} -q -p vpsgate-sandbox --example load_test -- \
    --duration "$duration" --clients "$clients" "$@"
}
echo "== load: $clients clients, $duration s" >&2
run
echo "== load with SIGKILL and restart halfway: $clients clients, $duration s" >&2
run --kill
