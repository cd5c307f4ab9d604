#!/usr/bin/env bash
# Build the npm package's wasm and JS glue into bindings/npm/pkg:
#   cargo (profile wasm-release) -> wasm-bindgen --target web (the CLI at the version Cargo.lock
#   pins) -> wasm-opt -Oz, GUFA, -Oz again when binaryen is installed (tests/npm's node_modules
#   or PATH). GUFA (binaryen's whole-program flow analysis, a standard pass) took 3.4 % off the
#   gzipped size (286,624 -> 276,732 bytes); --converge took 0.9 % alone and nothing after GUFA.
# Needs the wasm32-unknown-unknown target and wasm-bindgen-cli; scripts/test-npm.sh installs both.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
if [ "$want" != "$have" ]; then
  echo "build.sh: wasm-bindgen-cli $want is needed (Cargo.lock), found '${have:-none}':" >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi

cargo build --manifest-path "$root/Cargo.toml" -p vpsgate-wasm --target wasm32-unknown-unknown \
  --profile wasm-release
rm -rf "$here/pkg"
wasm-bindgen --target web --out-dir "$here/pkg" --out-name vpsgate_wasm --no-typescript \
  "$target/wasm32-unknown-unknown/wasm-release/vpsgate_wasm.wasm"

# msgpackr's decoder (the npm package msgpackr, pinned in tests/npm/package.json), bundled into
# one ES module beside the glue: decodePhp hands it the MessagePack the wasm writes
# (crates/vpsgate-php/src/msgpack.rs). A file of the package, so that the package needs no
# dependency at install time and a browser needs no import map.
msgpackr="$root/tests/npm/node_modules/msgpackr"
esbuild="$root/tests/npm/node_modules/.bin/esbuild"
if [ ! -f "$msgpackr/unpack.js" ] || [ ! -x "$esbuild" ]; then
  echo "build.sh: msgpackr and esbuild are needed: (cd tests/npm && npm ci)" >&2
  exit 1
fi
"$esbuild" "$msgpackr/unpack.js" --bundle --format=esm --minify --log-level=warning \
  --banner:js="/*! msgpackr $(node -p "require('$msgpackr/package.json').version") (unpack), https://github.com/kriszyp/msgpackr, MIT License, Copyright (c) 2020 Kris Zyp */" \
  --outfile="$here/pkg/msgpackr.js"

opt=""
for c in "$root/tests/npm/node_modules/.bin/wasm-opt" "$(command -v wasm-opt || true)"; do
  if [ -n "$c" ] && [ -x "$c" ]; then opt="$c"; break; fi
done
wasm="$here/pkg/vpsgate_wasm_bg.wasm"
if [ -n "$opt" ]; then
  "$opt" -Oz --gufa-optimizing -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
else
  echo "build.sh: wasm-opt not found (npm ci in tests/npm installs binaryen); wasm left unoptimised" >&2
fi
raw=$(wc -c <"$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "build.sh: $wasm: $raw bytes raw, $gz bytes gzipped"
