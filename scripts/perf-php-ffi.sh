#!/usr/bin/env bash
# A full operation from PHP through the C library against the same operation in plain PHP
# (tests/php/bench/operation.php: getOrders of an account with ORDERS orders and getBalance, over
# loopback against the sandbox, rounds interleaved, medians). Writes the section between
# <!-- php-ffi:begin --> and <!-- php-ffi:end --> of docs/PERFORMANCE.md (run by hand, and by
# scripts/perf-report.sh at its end). Needs php-cli with ext-ffi and ext-curl.
#   ORDERS=N (default 500)  ROUNDS=N (default 9)  CALLS=N per round (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
for ext in ffi curl; do
    php -r "exit(extension_loaded('$ext') ? 0 : 1);" || {
        echo "perf-php-ffi.sh: PHP's $ext extension is needed (Debian: apt-get install php-cli php-curl," \
            "or scripts/test-php.sh, which installs both)" >&2
        exit 1
    }
done
cargo build --release -q -p vpsgate-ffi -p vpsgate-cli
tmp="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    [ -n "$sandbox_pid" ] && { kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; }
    rm -rf "$tmp"
}
trap cleanup EXIT
"$target/release/vpsgate" sandbox --port 0 --state-file "$tmp/state.db" >"$tmp/sandbox.log" 2>&1 &
sandbox_pid=$!
url=""
for _ in $(seq 100); do
    url=$(sed -n 's/^vpsgate sandbox listening on \(http:[^ ]*\).*/\1/p' "$tmp/sandbox.log")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/sandbox.log" >&2; exit 1; }
args=("${ORDERS:-500}" "${ROUNDS:-9}" "${CALLS:-20}")
out="$(VPSGATE_LIB="$target/release/libvpsgate.so" php -d ffi.enable=1 tests/php/bench/operation.php "$url" "${args[@]}")"
echo "$out"
section="$(
    echo "<!-- php-ffi:begin -->"
    echo "## PHP: a full operation through the C library against plain PHP"
    echo
    echo "Written by \`scripts/perf-php-ffi.sh\` on $(date -u +%Y-%m-%d) (release \`libvpsgate.so\`, PHP $(php -r 'echo PHP_VERSION;'),"
    echo "the sandbox on loopback, same machine as above):"
    echo "\`php -d ffi.enable=1 tests/php/bench/operation.php URL ${args[*]}\`. Each way is checked to see the"
    echo "same orders first; ratios above 1 mean vpsgate is faster."
    echo
    printf '%s\n' "$out"
    echo
    cat tests/php/bench/operation.READING.md
    echo "<!-- php-ffi:end -->"
)"
awk '/^<!-- php-ffi:begin -->$/{skip=1} /^<!-- php-ffi:end -->$/{skip=0; next} skip{next}
     /^$/{blank++; next} {while (blank > 0) {print ""; blank--} print}' docs/PERFORMANCE.md >docs/PERFORMANCE.md.tmp
printf '\n%s\n' "$section" >>docs/PERFORMANCE.md.tmp
mv docs/PERFORMANCE.md.tmp docs/PERFORMANCE.md
echo "wrote the php-ffi section of docs/PERFORMANCE.md"
