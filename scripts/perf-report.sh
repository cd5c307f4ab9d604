#!/usr/bin/env bash
# The codec's performance report, run by hand (not in CI): vpsgate against PHP on the same
# payloads (getOrders and getTarifs answers of ~1 KB, ~1 MB, ~20 MB, written by real PHP, in both
# formats), in one run on this machine. Writes docs/PERFORMANCE.md.
#
#   1. criterion bench `decode` (crates/vpsgate/benches/decode.rs), results dropped outside the
#      timed region (iter_with_large_drop);
#   2. PHP's unserialize(), json_decode(), json_encode(unserialize()) on the same files, each
#      result unset after its timer (crates/vpsgate/tests/php/bench_php.php);
#   3. the whole process with hyperfine: `vpsgate decode --from php FILE` against
#      `php -r 'echo json_encode(unserialize(file_get_contents($argv[1])));' FILE`.
#
# Needs php-cli 8.x, hyperfine and GNU time (apt-get install php-cli hyperfine time).
# Usage: scripts/perf-report.sh [criterion args...]   (default: --warm-up-time 1 --measurement-time 3)
#   PHP_RUNS=N   samples per PHP measurement (default 15)
#   HF_RUNS=N    hyperfine runs per command (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TARGET_DIR="$target"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
    args=(--warm-up-time 1 --measurement-time 3)
fi
command -v php >/dev/null || { echo "perf-report.sh: php (8.x) is required" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "perf-report.sh: hyperfine is required" >&2; exit 1; }

# The bench profile (release with debug info, for perf) shares its build with the bench below.
cargo build --profile bench -p vpsgate-cli
cargo bench -p vpsgate --bench decode -- "${args[@]}"
payloads="$target/vpsgate-bench"
hf="$target/vpsgate-hyperfine"
rm -rf "$hf" && mkdir -p "$hf"
vpsgate="$target/release/vpsgate"
for f in orders_20mb tarifs_20mb orders_1mb; do
    # Same answer both ways first (PHP's json_encode escapes / and non-ASCII, so compare values).
    php -r '$a = json_decode(file_get_contents("php://stdin"), true);
        $b = unserialize(file_get_contents($argv[1]));
        exit($a == $b ? 0 : 1);' "$payloads/$f.ser" < <("$vpsgate" decode --from php "$payloads/$f.ser") \
        || { echo "perf-report.sh: vpsgate decode and PHP disagree on $f" >&2; exit 1; }
    hyperfine --warmup 2 --runs "${HF_RUNS:-10}" -N --export-json "$hf/$f.json" \
        "$vpsgate decode --from php $payloads/$f.ser" \
        "php -r 'echo json_encode(unserialize(file_get_contents(\$argv[1])));' $payloads/$f.ser"
done

# Peak memory of `vpsgate decode` on 256 MiB of control characters (a PHP string
# s:268435456:"\x01\x01..."; its JSON is 1.5 GiB): the output is streamed, not held.
controls="$target/vpsgate-bench/controls_256mib.ser"
if [ ! -f "$controls" ]; then
    php -r '$n = 256 << 20; file_put_contents($argv[1], "s:$n:\"" . str_repeat("\x01", $n) . "\";");' "$controls"
fi
rss_cmd="$vpsgate decode --max-size 1073741824 $controls"
rss_kb="$(/usr/bin/time -v $rss_cmd 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')"
rss_out="$($rss_cmd | wc -c)"

table="$(php crates/vpsgate/tests/php/bench_php.php "$payloads" "$target/criterion" "$hf" "${PHP_RUNS:-15}")"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
{
    echo "# Performance of the PHP codec"
    echo
    echo "Written by \`scripts/perf-report.sh\` on $(date -u +%Y-%m-%d); the reading below is by hand."
    echo
    echo "## Machine"
    echo
    echo "- CPU: $cpu, $(nproc) cores visible (shared with other work: figures are noisy, ratios are what count)"
    echo "- $(uname -sr), $(rustc --version), $(php -r 'echo "PHP ", PHP_VERSION;') (Debian's CLI defaults: opcache and JIT off)"
    echo "- $(hyperfine --version)"
    echo
    echo "## Commands"
    echo
    echo '```sh'
    echo "scripts/perf-report.sh ${args[*]}"
    echo "# = cargo bench -p vpsgate --bench decode -- ${args[*]}"
    echo "#   php crates/vpsgate/tests/php/bench_php.php <payloads> <criterion> <hyperfine> ${PHP_RUNS:-15}"
    echo "#   hyperfine --warmup 2 --runs ${HF_RUNS:-10} -N '<vpsgate> decode --from php F' \"php -r 'echo json_encode(unserialize(file_get_contents(\$argv[1])));' F\""
    echo '```'
    echo
    echo "## Results"
    echo
    echo "$table"
    echo
    echo "Peak memory of \`vpsgate decode\` on 256 MiB of control characters (input $(stat -c %s "$controls") bytes, output $rss_out bytes):"
    echo
    echo '```sh'
    echo "/usr/bin/time -v ${rss_cmd//$target/\$CARGO_TARGET_DIR} > /dev/null   # Maximum resident set size: $rss_kb kB"
    echo '```'
    echo
    echo "The other faces (their own sections at the end of this file):"
    echo
    echo "| face | measurement | median ms | vs baseline |"
    echo "|---|---|---:|---:|"
    echo "| npm | measured in the npm section at the end of this file (\`decodePhp\` in Node against php-serialize, phpunserialize, locutus and \`JSON.parse\`) | | |"
    echo "| C library | measured in the PHP section at the end of this file (a full operation from PHP through the C library against the same operation in plain PHP, \`scripts/perf-php-ffi.sh\`) | | |"
    echo
    echo "## Reading"
    echo
    cat docs/PERFORMANCE.reading.md 2>/dev/null || echo "(to be written after the run)"
} > docs/PERFORMANCE.md
echo "wrote docs/PERFORMANCE.md"

# ==== npm: decodePhp in Node (bindings/npm/bench/decode.mjs) =================================
# A block of its own: the npm package's bench, written as the section between the markers
# <!-- npm:begin --> and <!-- npm:end --> at the end of docs/PERFORMANCE.md (everything above the
# markers is the codec's part). The reading below the table is bindings/npm/bench/READING.md.
# Needs the package built (bindings/npm/build.sh) and tests/npm's packages (cd tests/npm && npm ci).
#   NPM_RUNS=N   rounds per answer (default 9; the 20 MB answers get a third of them, at least 3)
#   NPM_BENCH=0  skip this block
if [ "${NPM_BENCH:-1}" = 1 ]; then
    [ -f bindings/npm/pkg/vpsgate_wasm_bg.wasm ] || bindings/npm/build.sh
    [ -d tests/npm/node_modules/phpunserialize ] || (cd tests/npm && npm ci --no-audit --no-fund)
    npm_out="$(node bindings/npm/bench/decode.mjs "${NPM_RUNS:-9}")"
    echo "$npm_out"
    npm_table="$(printf '%s\n' "$npm_out" | sed -n '/^| answer /,$p')"
    wasm_gz=$(gzip -9 -c bindings/npm/pkg/vpsgate_wasm_bg.wasm | wc -c)
    npm_section="$(
        echo "<!-- npm:begin -->"
        echo "## npm: \`decodePhp\` in Node"
        echo
        echo "Written by the npm block of \`scripts/perf-report.sh\` on $(date -u +%Y-%m-%d):"
        echo "\`node bindings/npm/bench/decode.mjs ${NPM_RUNS:-9}\` with $(node --version), the package's"
        echo "release wasm ($(wc -c <bindings/npm/pkg/vpsgate_wasm_bg.wasm) bytes, $wasm_gz gzipped), on the codec's payloads"
        echo "(\`crates/vpsgate/tests/php/bench_payload.php\`, written by PHP $(php -r 'echo PHP_VERSION;')), same machine as above."
        echo "Every decoder's result is checked against \`JSON.parse\` of PHP's \`json_encode\` first; then each"
        echo "round times every decoder once, in turn, and the table gives the medians (ms per decode)."
        echo
        echo "$npm_table"
        echo
        cat bindings/npm/bench/READING.md
        echo "<!-- npm:end -->"
    )"
    # Drop an earlier npm section, then put this one at the end.
    awk '/^<!-- npm:begin -->$/{skip=1} /^<!-- npm:end -->$/{skip=0; next} skip{next}
         /^$/{blank++; next} {while (blank > 0) {print ""; blank--} print}' docs/PERFORMANCE.md \
        > docs/PERFORMANCE.md.tmp
    printf '\n%s\n' "$npm_section" >> docs/PERFORMANCE.md.tmp
    mv docs/PERFORMANCE.md.tmp docs/PERFORMANCE.md
    echo "wrote the npm section of docs/PERFORMANCE.md"
fi
# ==== end of the npm block ====================================================================

# The PHP-through-the-C-library row: its own script, its own section.
if [ "${PHP_FFI_BENCH:-1}" = 1 ]; then
    scripts/perf-php-ffi.sh
fi
