#!/usr/bin/env bash
# The API contract, against a real `missions serve`: the OpenAPI document it serves validates
# (openapi-spec-validator), real answers (every golden case's, a mission's plan and dashboard)
# validate against the schemas it publishes (scripts/contract/answers.py), and a bounded Schemathesis
# pass, once with the admin key and once with a tenant key, finds no server error, no
# undocumented status, no response off its schema.
#
# Needs `openapi-spec-validator` and `schemathesis` (`st`) on PATH, and a built `missions`
# (default target/debug/missions; set MISSIONS_BIN). EXAMPLES bounds the cases per operation.
#
# Left out: `positive_data_acceptance`. The rules refuse inputs their schema cannot rule out (a
# date past 2200 in a calculation, a rule refusal such as an EU client without a VAT number),
# with a documented 422; that check would call each of them a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${MISSIONS_BIN:-target/debug/missions}
examples=${EXAMPLES:-25}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

admin=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
MISSIONS_ADMIN_KEY=$admin "$bin" serve --addr 127.0.0.1:0 --rules rules --db "sqlite://$work/missions.db" \
  > "$work/serve.out" 2> "$work/serve.log" &
pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^missions serve: listening on //p' "$work/serve.out")
[ -n "$url" ] || { cat "$work/serve.log"; exit 1; }

curl -sf "$url/openapi.json" -o "$work/openapi.json"
openapi-spec-validator "$work/openapi.json"

tenant=$(curl -sf -H "Authorization: Bearer $admin" -H "Content-Type: application/json" -X POST "$url/v1/admin/tenants" \
  -d '{"id":"contract","subscription_start":"2026-03-02"}' | sed -E 's/.*"api_key":"([^"]+)".*/\1/')

python3 scripts/contract/answers.py "$url" "$tenant" "$admin" rules

for key in "$admin" "$tenant"; do
  st run "$url/openapi.json" -H "Authorization: Bearer $key" \
    --max-examples "$examples" --generation-deterministic --exclude-checks positive_data_acceptance \
    --request-timeout 10 --no-color
done
if grep -E "panicked|ERROR" "$work/serve.log"; then
  echo "the server logged errors during the contract run" >&2
  exit 1
fi
