# Sourced by the load scripts, from the repository's root.
#   scratch            build this checkout (unless MISSIONS_BIN names a build) and make a scratch
#                      folder, removed at exit with the server: sets `bin` and `work`.
#   serve_on PORT ARGS start `missions serve ARGS` on 127.0.0.1:PORT with a random admin key
#                      (exported as MISSIONS_ADMIN_KEY) and wait until it is ready: sets `pid`, `url`.
scratch() {
  if [ -z "${MISSIONS_BIN:-}" ]; then
    cargo build --release --locked -q -p missions-host
  fi
  bin=${MISSIONS_BIN:-target/release/missions}
  work=$(mktemp -d)
  trap 'kill "${pid:-}" 2>/dev/null || true; wait "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
}

serve_on() {
  local port=$1
  shift
  export MISSIONS_ADMIN_KEY
  MISSIONS_ADMIN_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  "$bin" serve "$@" --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
  pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "$url/readyz" >/dev/null || { cat "$work/serve.log"; exit 1; }
}
