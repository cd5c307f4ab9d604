#!/usr/bin/env bash
# The long differential run against real PHP (not part of the test command): 1,000,000 random
# nested values by default, serialized by PHP and decoded by vpsgate, and vpsgate's serializer
# output unserialized by PHP (crates/vpsgate/tests/php_differential.rs). Zero mismatches pass.
#   scripts/differential-long.sh [COUNT] [FIRST_SEED]
# Takes about 20 minutes on 2 cores (in batches of 10,000 values, one seed each).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-1000000}"
seed="${2:-1}"
command -v php >/dev/null || { echo "differential-long: php-cli is needed (apt-get install php-cli)" >&2; exit 2; }
start=$(date +%s)
VPSGATE_REQUIRE_PHP=1 VPSGATE_DIFF_COUNT="$count" VPSGATE_DIFF_SEED="$seed" \
  cargo test --release -p vpsgate --test php_differential -- --nocapture
echo "differential-long: $count values from seed $seed in $(( $(date +%s) - start )) s"
