#!/usr/bin/env bash
# Time `missions sla` as a whole process (start, load the pack, evaluate, print), release build.
# Uses hyperfine when installed (apt-get install hyperfine); otherwise a plain loop.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p missions-host
bin=target/release/missions
input='{"contract":"nav","priority":"P1","opened":"2026-12-24T16:00:00+01:00"}'
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 5 --runs 200 -N "$bin sla --pack rules/norriq --json --input '$input'"
else
  runs=200
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do "$bin" sla --pack rules/norriq --json --input "$input" >/dev/null; done
  end=$(date +%s%N)
  echo "missions sla: $(( (end - start) / runs / 1000 )) µs per process (mean of $runs runs)"
fi
