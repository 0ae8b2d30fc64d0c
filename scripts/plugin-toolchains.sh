#!/usr/bin/env bash
# Plugins from the toolchains partners use, built from source and run through the host.
#
# Builds the three template plugins (plugins/templates/{rust,python,js}) with pinned toolchains
# (the Rust template's Cargo.lock, componentize-py from requirements.txt, componentize-js and
# componentize-qjs (QuickJS, --sync) from package-lock.json) and runs the same golden cases through each with `missions plugin test`;
# then builds the hostile Python and JavaScript guests (plugins/test-guests/hostile-*) and checks
# that the host answers each thing they try as their cases say. Prints each component's size and
# build time. Needs python3 (venv) and npm; `.ci/run` calls it after the tests.
#
#     scripts/plugin-toolchains.sh            (uses target/debug/missions, as the tests build it)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work="${TMPDIR:-/tmp}/missions-toolchains"
mkdir -p "$work"
# The binary the README's test command builds (same features: nothing is rebuilt after the tests).
cargo test --workspace --locked --quiet --no-run
missions="$root/target/debug/missions"
# One compile cache for this run: each component is compiled once, by its first `plugin test`.
# The templates' cases check what the plugins answer, not how fast: the interpreted runtimes
# (Python, SpiderMonkey, QuickJS) set up a fresh instance per call, which the debug host these
# tests build does far slower than a release host, so they run with a 1 s deadline rather than
# the tenants' default 50 ms (whose firing has its own tests). CI once saw SpiderMonkey's
# `describe` pass 50 ms here.
template_deadline=(--deadline-ms 1000)
export MISSIONS_PLUGIN_CACHE="$work/cache"

built() { # name file seconds
  printf '%-28s %9s bytes  built in %3s s\n' "$1" "$(stat -c %s "$2")" "$3"
}
timed() { # command... ; sets $took
  local start=$SECONDS
  "$@"
  took=$((SECONDS - start))
}

echo "== Rust (std, wit-bindgen)"
cd "$root/plugins/templates/rust"
timed cargo build --locked --quiet --release --target wasm32-wasip2
built rust/loyalty_discount target/wasm32-wasip2/release/loyalty_discount.wasm "$took"
"$missions" plugin test target/wasm32-wasip2/release/loyalty_discount.wasm ../cases.yaml

echo "== Python (componentize-py)"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/plugins/templates/python/requirements.txt"
componentize_py="$work/venv/bin/componentize-py"
cd "$root/plugins/templates/python"
timed "$componentize_py" -d wit -w plugin componentize app -o loyalty_discount.wasm
built python/loyalty_discount loyalty_discount.wasm "$took"
"$missions" plugin test loyalty_discount.wasm ../cases.yaml "${template_deadline[@]}"
cd "$root/plugins/test-guests/hostile-python"
"$componentize_py" -d ../../wit -w plugin componentize app -o hostile_python.wasm
"$missions" plugin test hostile_python.wasm cases.yaml --deadline-ms 5000

echo "== JavaScript (componentize-js)"
cd "$root/plugins/templates/js"
npm ci --silent --no-audit --no-fund
timed npm run --silent build
built js/loyalty_discount loyalty_discount.wasm "$took"
"$missions" plugin test loyalty_discount.wasm ../cases.yaml "${template_deadline[@]}"
timed npm run --silent build:quickjs
built js/loyalty_discount_qjs loyalty_discount_qjs.wasm "$took"
"$missions" plugin test loyalty_discount_qjs.wasm ../cases.yaml "${template_deadline[@]}"
# componentize-qjs without --sync uses the component model's async ABI: refused, by name.
node_modules/.bin/componentize-qjs --wit wit --js app.js --world plugin --output "$work/async_qjs.wasm" >/dev/null
if "$missions" plugin check "$work/async_qjs.wasm" --json >"$work/async.json" 2>/dev/null; then
  echo "a component using the async ABI was accepted" >&2
  exit 1
fi
grep -q '"code":"plugin.async_abi"' "$work/async.json"
echo "async ABI component refused: plugin.async_abi"
cd "$root/plugins/test-guests/hostile-js"
"$root/plugins/templates/js/node_modules/.bin/componentize-js" app.js --wit ../../wit --world-name plugin \
  --out hostile_js.wasm
"$missions" plugin test hostile_js.wasm cases.yaml --deadline-ms 5000
