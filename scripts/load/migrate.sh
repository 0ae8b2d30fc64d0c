#!/usr/bin/env bash
# Time a model-wide migration over HTTP (issue: model versions): one tenant, N missions planned
# on the example firm's model before it removed `nbb-filing` (each with recorded work), then the
# edit saved and `POST /v1/models/example-firm/migrate` run as a dry run and applied (with
# `drop`), each timed by curl. Needs curl and python3. Usage: scripts/load/migrate.sh [MISSIONS]
# MISSIONS_BIN=path runs that build instead of building this checkout.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000}
port=${MISSIONS_LOAD_PORT:-18182}
. scripts/load/serve.sh
scratch
serve_on "$port" --db "sqlite://$work/missions.db"

key=$(curl -sf -H "Authorization: Bearer $MISSIONS_ADMIN_KEY" -H "Content-Type: application/json" \
  -X POST "$url/v1/admin/tenants" -d '{"id":"load","subscription_start":"2026-03-02"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
auth=(-H "Authorization: Bearer $key")
sed 's/^remove: \[nbb-filing\]$//' rules/models/example-firm.yaml > "$work/v1.yaml"
curl -sf "${auth[@]}" -H "Content-Type: application/yaml" -X PUT --data-binary @"$work/v1.yaml" \
  "$url/v1/models/example-firm" > /dev/null

echo "planning $n missions with recorded work …"
python3 - "$url" "$key" "$n" <<'PY'
import json, sys, urllib.request
url, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def call(method, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method=method,
        headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
people = {"partner": ["An"], "manager": ["Bo"], "staff": ["Cy"], "supervisor": ["Di"], "eqr": ["Ed"],
          "quality": ["Fa"], "it-auditor": ["Gu"]}
for i in range(n):
    call("POST", "/v1/missions", {"model": "example-firm", "id": f"m{i}", "client": f"Client {i}",
         "start": "2026-11-02", "closing": "2027-03-31", "people": people})
    call("PUT", f"/v1/missions/m{i}/state", {"actions": [{"id": "nbb-filing", "status": "in_progress"},
         {"id": "acceptance-decision", "done_on": "2026-11-03"}]})
PY
curl -sf "${auth[@]}" -H "Content-Type: application/yaml" -X PUT --data-binary @rules/models/example-firm.yaml \
  "$url/v1/models/example-firm" | python3 -c 'import json,sys; v=json.load(sys.stdin); print("saved version", v["saved_version"], "-", v["missions_on_older_versions"], "missions on older versions")'

time_it() {
  curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}\n' "${auth[@]}" -H "Content-Type: application/json" \
    -X POST "$url/v1/models/example-firm/migrate" -d "$1"
}
read -r code secs < <(time_it '{"dry_run": true, "drop": ["nbb-filing"]}')
echo "dry run of $n missions: HTTP $code in ${secs}s ($(wc -c < "$work/answer.json") bytes)"
read -r code secs < <(time_it '{"drop": ["nbb-filing"]}')
echo "applied to $n missions: HTTP $code in ${secs}s"
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print("applied:", v["applied"], "- missions moved:", len(v["missions"]))' "$work/answer.json"
