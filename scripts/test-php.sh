#!/usr/bin/env bash
# The PHP face: installs what it needs (php-cli, php-mbstring, php-curl, php-sqlite3 to read the
# sandbox's state file, php8.2-fpm, libfcgi-bin, phpunit), builds libvpsgate and the vpsgate CLI, starts the sandbox (tests/php/sandbox.toml, a
# state file the suites read), then runs PHPUnit over tests/php (the package against the sandbox
# both ways of sending, error mappings, the codec against unserialize(), the WHMCS-style module,
# and the module under a real PHP-FPM with ffi.enable=preload + opcache.preload), and the
# 100,000-call memory measurement (tests/php/bench/memory.php). Stops the sandbox on exit.
#
# VPSGATE_PHP_BENCH_CALLS changes the number of calls of the measurement (0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*" >&2; }

step "PHP packages"
need=()
for pkg in php-cli php-mbstring php-curl php-sqlite3 php8.2-fpm libfcgi-bin phpunit; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
php -r 'exit(extension_loaded("ffi") && extension_loaded("curl") && extension_loaded("sqlite3") ? 0 : 1);' \
    || { echo "test-php: PHP lacks ext-ffi, ext-curl or ext-sqlite3" >&2; exit 1; }

step "build libvpsgate and the vpsgate CLI (sandbox)"
cargo build -p vpsgate-ffi -p vpsgate-cli
target=$(cargo metadata --format-version 1 --no-deps | php -r 'echo json_decode(stream_get_contents(STDIN))->target_directory;')
export VPSGATE_LIB="$target/debug/libvpsgate.so"
unset VPSGATE_HEADER # the committed include/vpsgate.h, found from the repository

tmp=$(mktemp -d)
chmod 755 "$tmp"
sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

step "start the sandbox"
"$target/debug/vpsgate" sandbox --config tests/php/sandbox.toml --port 0 --state-file "$tmp/state.db" 2>"$tmp/sandbox.log" &
sandbox_pid=$!
url=""
for _ in $(seq 1 100); do
    url=$(sed -n 's/^vpsgate sandbox listening on \(http:[^ ]*\).*/\1/p' "$tmp/sandbox.log")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/sandbox.log" >&2; echo "test-php: the sandbox did not start" >&2; exit 1; }
export VPSGATE_SANDBOX_URL="$url" VPSGATE_SANDBOX_STATE="$tmp/state.db"
echo "sandbox at $url" >&2

step "PHPUnit (tests/php), ffi.enable=true"
phpunit -d ffi.enable=1 -c tests/php/phpunit.xml

step "PHPUnit package suites again with ffi.enable=preload (CLI: FFI::cdef stays allowed)"
phpunit -d ffi.enable=preload -c tests/php/phpunit.xml --filter 'FriendhostingTest|GovpsfxTest'

calls=${VPSGATE_PHP_BENCH_CALLS:-100000}
if [ "$calls" != 0 ]; then
    step "memory: $calls calls in one PHP process"
    php -d ffi.enable=1 tests/php/bench/memory.php "$url" "$calls"
fi

step "PHP suites passed"
