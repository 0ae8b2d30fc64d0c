#!/usr/bin/env bash
# Replicas on PostgreSQL (issue 18), on loopback, release build:
#   1. quotes/s with one replica, then with two on the same database: the same client load (two
#      wrk processes, one thread each) aimed at replica A only, then one at A and one at B;
#   2. tickets/s (`POST /v1/tickets`, one write transaction each) on PostgreSQL and on SQLite,
#      one replica each, interleaved: SQLite, PostgreSQL, SQLite, PostgreSQL.
# On 2 cores the point of run 1 is that nothing serialises between replicas, not a doubling: the
# two servers, the two clients and PostgreSQL share the same two cores.
# Needs wrk, curl, psql and a database: MISSIONS_LOAD_POSTGRES (else MISSIONS_TEST_POSTGRES), in
# which the script makes and drops a schema of its own.
# Usage: scripts/load/replicas.sh [SECONDS_PER_RUN] [CONNECTIONS_PER_WRK]. MISSIONS_BIN=path runs
# that build instead of building this checkout.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
conns=${2:-8}
port=${MISSIONS_LOAD_PORT:-18191}
db=${MISSIONS_LOAD_POSTGRES:-${MISSIONS_TEST_POSTGRES:-}}
[ -n "$db" ] || { echo "set MISSIONS_LOAD_POSTGRES=postgres://user:password@host/db" >&2; exit 1; }
for tool in wrk curl psql; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }; done
here=scripts/load

if [ -z "${MISSIONS_BIN:-}" ]; then cargo build --release --locked -q -p missions-host; fi
bin=${MISSIONS_BIN:-target/release/missions}
work=$(mktemp -d)
schema="load_replicas_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql -q "$db" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q "$db" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
sep='?'; case "$db" in *\?*) sep='&' ;; esac
pg="${db}${sep}options=-c%20search_path%3D${schema}"
export MISSIONS_ADMIN_KEY
MISSIONS_ADMIN_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
auth=(-H "Authorization: Bearer $MISSIONS_ADMIN_KEY" -H "Content-Type: application/json")

# start NAME PORT ARGS…: `missions serve` in the background, returns once it is ready.
start() {
  local name=$1 p=$2
  shift 2
  mkdir -p "$work/$name"
  "$bin" serve "$@" --addr "127.0.0.1:$p" --cache-dir "$work/$name" > "$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && return; sleep 0.1; done
  cat "$work/$name.log"
  exit 1
}

tenant() {
  curl -sf "${auth[@]}" -X POST "$1/v1/admin/tenants" -d "{\"id\":\"$2\",\"subscription_start\":\"2026-03-02\"}" \
    | sed -E 's/.*"api_key":"([^"]+)".*/\1/'
}

# rate LUA URL1 URL2: two wrk processes at once; the sum of their requests per second.
rate() {
  local lua=$1 path=$2
  wrk -t1 -c"$conns" -d"${secs}s" -s "$here/$lua" "$3$path" > "$work/wrk1.txt" &
  local w1=$!
  wrk -t1 -c"$conns" -d"${secs}s" -s "$here/$lua" "$4$path" > "$work/wrk2.txt"
  wait "$w1"
  if grep -q "Non-2xx" "$work/wrk1.txt" "$work/wrk2.txt"; then grep -h "Non-2xx" "$work/wrk1.txt" "$work/wrk2.txt" >&2; fi
  awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}' "$work/wrk1.txt" "$work/wrk2.txt"
}

a="http://127.0.0.1:$port"
b="http://127.0.0.1:$((port + 1))"
start a "$port" --db "$pg" --watch --rules rules
MISSIONS_KEY=$(tenant "$a" load-quotes)
export MISSIONS_KEY

echo "== quotes/s, two wrk processes x $conns connections, ${secs}s each run"
one=$(rate quote.lua /v1/packs/esomus/quote "$a" "$a")
echo "one replica (A, A):  $one quotes/s"
start b "$((port + 1))" --db "$pg"
two=$(rate quote.lua /v1/packs/esomus/quote "$a" "$b")
echo "two replicas (A, B): $two quotes/s"
again=$(rate quote.lua /v1/packs/esomus/quote "$a" "$a")
echo "one replica (A, A):  $again quotes/s (again, B idle)"
awk -v one="$one" -v two="$two" -v again="$again" 'BEGIN {printf "ratio two / one: %.2f\n", two / ((one + again) / 2)}'

echo "== tickets/s, one replica each, 50 tenants each, interleaved"
sqlite="http://127.0.0.1:$((port + 2))"
start sqlite "$((port + 2))" --db "sqlite://$work/sqlite/missions.db" --rules rules
pg_keys=""; sqlite_keys=""
for n in $(seq 1 50); do
  pg_keys="$pg_keys $(tenant "$a" "load-tickets-$n")"
  sqlite_keys="$sqlite_keys $(tenant "$sqlite" "load-tickets-$n")"
done
for round in 1 2; do
  s=$(MISSIONS_KEYS=$sqlite_keys rate ticket.lua /v1/tickets "$sqlite" "$sqlite")
  p=$(MISSIONS_KEYS=$pg_keys rate ticket.lua /v1/tickets "$a" "$a")
  echo "round $round: SQLite $s tickets/s, PostgreSQL $p tickets/s"
done
