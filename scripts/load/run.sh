#!/usr/bin/env bash
# Load the HTTP host on loopback and print the figures of issue 6:
#   1. quotes/s and latency p50/p99 for `POST /v1/packs/esomus/quote`, audit log on;
#   2. tickets/s for `POST /v1/tickets` (each one a write transaction in the ledger);
#   3. the time from saving a price file under --rules to the new price being served;
#   4. quotes/s while dry runs of a new tariff run back to back (`PUT …?dry_run=true`, each
#      replaying the golden cases and the quotes recorded by run 1), beside run 1's figure.
# Needs `wrk` (apt-get install -y wrk) and curl. Bounded: about a minute in all.
# wrk runs one thread, so on a 2-core machine it takes one core and the server the other
# (plus what the kernel lends). Usage: scripts/load/run.sh [SECONDS_PER_RUN] [CONNECTIONS]
# MISSIONS_BIN=path runs that build instead of building this checkout (to compare two builds in
# one session, interleaved).
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
conns=${2:-16}
port=${MISSIONS_LOAD_PORT:-18181}
here=scripts/load
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

. "$here/serve.sh"
scratch

# The shipped packs plus a small `price` pack whose price file the reload test edits.
cp -r rules "$work/rules"
mkdir -p "$work/rules/price/tests"
cat > "$work/rules/price/pack.yaml" <<'YAML'
name: price
version: "1"
effective_from: 2026-01-01
currency: EUR
timezone: Europe/Brussels
languages: [en]
params:
  files: [price.yaml]
  schema:
    unit: {type: decimal, min: 0}
entries:
  quote:
    script: quote.rhai
    input:
      qty: integer
YAML
echo 'fn quote(input, params) { #{ unit: params.unit, total: params.unit * to_decimal(input.qty) } }' > "$work/rules/price/quote.rhai"
printf 'entry: quote\ncases:\n  - name: a quote\n    input: {qty: 1}\n    expect: {}\n' > "$work/rules/price/tests/quote.yaml"
echo 'unit: 100.00' > "$work/rules/price/price.yaml"

serve_on "$port" --rules "$work/rules" --db "sqlite://$work/data/missions.db"
auth=(-H "Authorization: Bearer $MISSIONS_ADMIN_KEY" -H "Content-Type: application/json")

tenant() {
  curl -sf "${auth[@]}" -X POST "$url/v1/admin/tenants" -d "{\"id\":\"$1\",\"subscription_start\":\"2026-03-02\"}" \
    | sed -E 's/.*"api_key":"([^"]+)".*/\1/'
}
MISSIONS_KEY=$(tenant load-quotes)
export MISSIONS_KEY
MISSIONS_KEYS=""
for n in $(seq 1 50); do MISSIONS_KEYS="$MISSIONS_KEYS $(tenant "load-tickets-$n")"; done
export MISSIONS_KEYS

echo "== quotes: POST /v1/packs/esomus/quote, ${secs}s, $conns connections, audit log on"
wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/quote.lua" "$url/v1/packs/esomus/quote" | grep -E "Requests/sec|Latency |50%|90%|99%|requests in|Non-2xx"

echo "== tickets: POST /v1/tickets, ${secs}s, $conns connections, 50 tenants"
wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/ticket.lua" "$url/v1/tickets" | grep -E "Requests/sec|Latency |50%|99%|requests in|Non-2xx"

echo "== audit log after the runs"
curl -s "$url/metrics" | grep -E "^missions_audit_(records_written_total|backlog)" || true

echo "== reload: save price.yaml, poll until the new price is served"
for price in 101.00 102.00 103.00 104.00 105.00; do
  start=$(date +%s%N)
  echo "unit: $price" > "$work/rules/price/price.yaml.tmp" && mv "$work/rules/price/price.yaml.tmp" "$work/rules/price/price.yaml"
  while :; do
    got=$(curl -s "${auth[@]}" -X POST "$url/v1/packs/price/quote" -d '{"qty":1}' | sed -E 's/.*"unit":"([^"]+)".*/\1/')
    [ "$got" = "$price" ] && break
    [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 10000 ] && { echo "price $price never served"; exit 1; }
  done
  echo "price $price served after $(( ($(date +%s%N) - start) / 1000000 )) ms"
done

echo "== quotes while dry runs of a 36.00 license replay the recorded quotes, ${secs}s"
python3 - "$work/rules/esomus" > "$work/dry-run.json" <<'PY'
import json, os, sys
root = sys.argv[1]
files = {}
for d, _, names in os.walk(root):
    for n in names:
        p = os.path.join(d, n)
        files[os.path.relpath(p, root)] = open(p, encoding="utf-8").read()
files["tariff.yaml"] = files["tariff.yaml"].replace("license_per_user_month: 35.00", "license_per_user_month: 36.00")
print(json.dumps({"files": files}))
PY
(
  while :; do
    curl -s -o "$work/dry-run.out" -w '%{http_code} %{time_total}\n' "${auth[@]}" -X PUT \
      "$url/v1/admin/packs/esomus?dry_run=true" --data-binary @"$work/dry-run.json" >> "$work/dry-runs.txt"
  done
) &
dry=$!
sleep 1
wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$here/quote.lua" "$url/v1/packs/esomus/quote" | grep -E "Requests/sec|Latency |50%|99%|requests in|Non-2xx"
kill "$dry" 2>/dev/null || true
wait "$dry" 2>/dev/null || true
awk '$1 == 200 { n++; t += $2 } END { if (n) printf "dry runs: %d completed, %.2f s each on average\n", n, t / n; else print "no dry run completed" }' "$work/dry-runs.txt"
grep -o '"recorded_requests":[0-9]*' "$work/dry-run.out" | head -1 || true
grep -o '"not_compared":[0-9]*' "$work/dry-run.out" | head -1 || true
