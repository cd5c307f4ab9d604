#!/usr/bin/env bash
# Decoding benchmark, vpsgate against PHP on the same getOrders payloads (~1 MB and ~20 MB,
# written by real PHP): runs the criterion bench `decode`, then PHP's own unserialize() and
# json_decode(), and prints one table (payload, decoder, median ms, MB/s, ratio vs PHP).
#
# Usage: scripts/bench-php.sh [criterion args...]
#   default criterion args: --warm-up-time 1 --measurement-time 3
#   PHP_RUNS=N  runs per PHP measurement (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TARGET_DIR="$target"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
    args=(--warm-up-time 1 --measurement-time 3)
fi
command -v php >/dev/null || { echo "bench-php.sh: php (8.x) is required" >&2; exit 1; }
cargo bench -p vpsgate --bench decode -- "${args[@]}"
php crates/vpsgate/tests/php/bench_php.php "$target/vpsgate-bench" "$target/criterion" "${PHP_RUNS:-15}"
