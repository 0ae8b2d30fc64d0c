#!/usr/bin/env bash
# Run every cargo-fuzz target of fuzz/ for a bounded time, from the committed seeds. A crash, a
# timeout (10 s for one input) or memory past 2 GiB fails the run; libFuzzer writes the input to
# fuzz/artifacts/<target>/, and that input becomes a regression test.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# Needs the nightly toolchain and cargo-fuzz; .ci/run installs both.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-60}
cargo +nightly fuzz build -O
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target"
  echo "fuzzing $target for ${secs}s"
  log="corpus/$target.log"
  if ! cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 > "$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz target $target failed; the input is under fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^Done [0-9]+ runs" "$log" || tail -3 "$log"
done
