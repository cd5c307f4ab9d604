#!/usr/bin/env bash
# Every cargo-fuzz target for a short, bounded time (FUZZ_SECONDS each, default 10), from the
# committed seed corpus: the smoke run of the test command. fuzz/run.sh is the long run.
# Needs the nightly toolchain (on the machine); installs cargo-fuzz if it is missing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${FUZZ_SECONDS:-10}"
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz-smoke: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
    exit 1
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build -O >/dev/null
for t in $targets; do
    mkdir -p "corpus/$t"
    echo "fuzz-smoke: $t for ${secs}s"
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=4096 2>&1 | grep -E "^(Done|#[0-9]+ +DONE)|ERROR|panicked" || true
    if ls "artifacts/$t"/crash-* "artifacts/$t"/oom-* "artifacts/$t"/timeout-* >/dev/null 2>&1; then
        echo "fuzz-smoke: $t found a failing input (fuzz/artifacts/$t)" >&2
        exit 1
    fi
done
echo "fuzz-smoke: every target ran ${secs}s without a finding"
