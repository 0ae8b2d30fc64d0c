#!/usr/bin/env bash
# Listing a tenant's tickets by the state of their SLA clocks (issue 17): seed one tenant with
# TICKETS tickets (default 10 000) through the API, a third of them with status changes, then
# time `GET /v1/tickets?sla_state=…&limit=10000` and `?warning=80` (each clock is recomputed
# from its events at every call), 15 calls each, and print the median and the slowest.
# Release build, `missions serve` on loopback. Needs curl and python3 (standard library only).
# Usage: scripts/load/tickets.sh [TICKETS]. MISSIONS_BIN=path runs that build instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
tickets=${1:-10000}
port=${MISSIONS_LOAD_PORT:-18182}

. scripts/load/serve.sh
scratch
serve_on "$port" --rules rules --db "sqlite://$work/data/missions.db"

python3 - "$url" "$tickets" <<'PY'
import http.client, json, os, statistics, sys, time, urllib.parse
from datetime import datetime, timedelta, timezone

url, count = sys.argv[1], int(sys.argv[2])
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)

def call(method, path, key, body=None):
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 300:
        raise SystemExit(f"{method} {path}: {resp.status} {data[:300]!r}")
    return json.loads(data)

admin = os.environ["MISSIONS_ADMIN_KEY"]
key = call("POST", "/v1/admin/tenants", admin, {"id": "load-clocks", "subscription_start": "2026-03-02"})["api_key"]

# Filed over the last four days, one every few minutes; bugs and emergencies, P1 to P3.
now = datetime.now(timezone.utc).replace(microsecond=0)
start = now - timedelta(days=4)
step = timedelta(days=4) / count
seeded = time.perf_counter()
events = 0
for i in range(count):
    at = start + step * i
    body = {"type": 2, "filed_by": "master", "priority": ("P1", "P2", "P3")[i % 3], "at": at.isoformat()}
    n = call("POST", "/v1/tickets", key, body)["ticket"]["id"]
    if i % 3 == 1 and at + timedelta(hours=1) < now:  # waiting for the customer an hour in, resumed for some
        call("POST", f"/v1/tickets/{n}/events", key, {"status": "waiting_customer", "at": (at + timedelta(hours=1)).isoformat()})
        events += 1
        if i % 2 == 0 and at + timedelta(hours=3) < now:
            call("POST", f"/v1/tickets/{n}/events", key, {"status": "in_progress", "at": (at + timedelta(hours=3)).isoformat()})
            events += 1
    if i % 3 == 2 and at + timedelta(hours=2) < now:  # analysis started two hours in
        call("POST", f"/v1/tickets/{n}/events", key, {"status": "analysis_started", "at": (at + timedelta(hours=2)).isoformat()})
        events += 1
print(f"seeded {count} tickets and {events} status changes in {time.perf_counter() - seeded:.1f} s")

for query in ["", "sla_state=running", "sla_state=paused", "sla_state=breached", "sla_state=met", "warning=80"]:
    times, matched = [], None
    for _ in range(15):
        # Timed from the request to the last byte of the answer; reading the JSON is the client's.
        t = time.perf_counter()
        conn.request("GET", f"/v1/tickets?limit=10000&{query}", headers={"Authorization": f"Bearer {key}"})
        resp = conn.getresponse()
        data = resp.read()
        times.append((time.perf_counter() - t) * 1000)
        if resp.status != 200:
            raise SystemExit(f"GET /v1/tickets?{query}: {resp.status} {data[:300]!r}")
        matched = json.loads(data)["count"]
    print(f"GET /v1/tickets?{query or '(all)':<20} {matched:>6} tickets  median {statistics.median(times):6.1f} ms  slowest {max(times):6.1f} ms")
PY
