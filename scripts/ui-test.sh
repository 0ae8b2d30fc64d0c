#!/usr/bin/env bash
# The workbench's browser tests: `missions serve` (this checkout's debug build, on an in-memory
# store) and scripts/ui/browser_test.py in headless Chromium through Playwright for Python.
# Needs /usr/bin/chromium (Debian's `chromium` package; MISSIONS_CHROMIUM names another) and a
# Python with `playwright` (PYTHON, default python3). Screenshots: target/ui-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
port=${MISSIONS_UI_PORT:-18199}
cargo build --locked -q -p missions-host --bin missions
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export MISSIONS_ADMIN_KEY
MISSIONS_ADMIN_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
target/debug/missions serve --db sqlite::memory: --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$url/readyz" >/dev/null || { cat "$work/serve.log"; exit 1; }
created=$(curl -sf -X POST "$url/v1/admin/tenants" -H "Authorization: Bearer $MISSIONS_ADMIN_KEY" \
  -H "Content-Type: application/json" -d '{"id":"browser","subscription_start":"2026-03-02"}')
key=$(printf '%s' "$created" | sed -E 's/.*"api_key":"([^"]+)".*/\1/')
key_id=$(curl -sf "$url/v1/admin/tenants/browser/keys" -H "Authorization: Bearer $MISSIONS_ADMIN_KEY" \
  | sed -E 's/.*"key_id":"([^"]+)".*/\1/')
"$python" scripts/ui/browser_test.py "$url" "$MISSIONS_ADMIN_KEY" "$key" "$key_id" target/ui-screenshots
