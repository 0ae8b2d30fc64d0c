#!/usr/bin/env bash
# Growth measurements and plots of docs/performance.md ("Growth"):
#   1. library: norriq quote against invoice lines, calendar against span, models against
#      actions (benches/compare, `growth` binary) -> docs/perf-data/*.csv
#   2. HTTP: esomus quotes/s and latency against wrk connections (1..64) on loopback against
#      `missions serve` -> docs/perf-data/http-concurrency.csv
#   3. plots: docs/img/growth-*.svg from the CSV files (`plots` binary, plotters' SVG backend)
# Usage: scripts/perf-growth.sh [SECONDS_PER_HTTP_RUN] [--no-http] [--quick]
# Needs wrk for step 2 (apt-get install -y wrk). Builds go to benches/compare/target, so they
# never wait on or disturb the root workspace's target directory.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=5
http=1
quick=()
for a in "$@"; do
  case "$a" in
    --no-http) http=0 ;;
    --quick) quick=(--quick) ;;
    *) secs=$a ;;
  esac
done
data=docs/perf-data
mkdir -p "$data" docs/img

echo "== library growth (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
(cd benches/compare && cargo run --release --locked -q --bin growth -- "${quick[@]}")

if [ "$http" = 1 ]; then
  command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
  port=${MISSIONS_LOAD_PORT:-18182}
  target=benches/compare/target/host
  cargo build --release --locked -q -p missions-host --target-dir "$target"
  bin=$target/release/missions
  work=$(mktemp -d)
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  cp -r rules "$work/rules"
  export MISSIONS_ADMIN_KEY
  MISSIONS_ADMIN_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  "$bin" serve --rules "$work/rules" --db "sqlite://$work/data/missions.db" --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
  pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "$url/readyz" >/dev/null || { cat "$work/serve.log"; exit 1; }
  MISSIONS_KEY=$(curl -sf -H "Authorization: Bearer $MISSIONS_ADMIN_KEY" -H "Content-Type: application/json" -X POST "$url/v1/admin/tenants" \
    -d '{"id":"growth","subscription_start":"2026-03-02"}' | sed -E 's/.*"api_key":"([^"]+)".*/\1/')
  export MISSIONS_KEY
  # wrk prints latencies as 812.00us, 1.20ms or 1.05s: to milliseconds.
  ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
  echo "== HTTP: POST /v1/packs/esomus/quote, ${secs}s per run, wrk one thread (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  # Warm the server (pack compiled, pools filled) before the first measured run.
  wrk -t1 -c4 -d2s -s scripts/load/quote.lua "$url/v1/packs/esomus/quote" >/dev/null
  csv="connections,requests_per_sec,p50_ms,p90_ms,p99_ms,non_2xx,loadavg"
  for c in 1 2 4 8 16 32 64; do
    out=$(wrk -t1 -c"$c" -d"${secs}s" --latency -s scripts/load/quote.lua "$url/v1/packs/esomus/quote")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out" | ms)
    p90=$(awk '$1=="90%" {print $2}' <<<"$out" | ms)
    p99=$(awk '$1=="99%" {print $2}' <<<"$out" | ms)
    bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf "%3d connections: %9s req/s  p50 %8s ms  p90 %8s ms  p99 %8s ms  load %s\n" "$c" "$rps" "$p50" "$p90" "$p99" "$load"
    csv="$csv"$'\n'"$c,$rps,$p50,$p90,$p99,${bad:-0},$load"
  done
  echo "$csv" > "$data/http-concurrency.csv"
  echo "wrote $data/http-concurrency.csv"
fi

echo "== plots"
(cd benches/compare && cargo run --release --locked -q --bin plots)
