#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and keeps each crash as a regression input in
# crates/vpsgate/tests/fuzz-crashers/<target>-<sha1>.<verdict>, the verdict computed by PHP
# (crates/vpsgate/tests/php/verdict.php). Needs nightly and cargo-fuzz (`cargo install cargo-fuzz`).
#
# Usage: fuzz/run.sh [seconds per target, default 300] [targets..., default every target]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
php seed_corpus.php
keep=../crates/vpsgate/tests/fuzz-crashers
mkdir -p "$keep"
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t" "corpus/$t"
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=4096 || echo "fuzz/run.sh: $t stopped early (a finding, kept below, or a failure to start)"
    for f in artifacts/"$t"/crash-* artifacts/"$t"/oom-* artifacts/"$t"/timeout-*; do
        [ -e "$f" ] || continue
        v=$(php ../crates/vpsgate/tests/php/verdict.php "$f")
        cp "$f" "$keep/$t-$(sha1sum "$f" | cut -c1-16).$v"
        echo "kept $f as $t (verdict $v)"
    done
done
