#!/usr/bin/env python3
"""Real answers of a running `missions serve`, validated against the schemas it publishes in
/openapi.json. Schemathesis checks the answers to the inputs it generates, which the rules and
the models mostly refuse; these are the answers clients get:

- every golden case that expects an output, sent to its entry: against the entry's output schema
  (`components.schemas["{pack}.{entry}.output"]`);
- the shipped example model saved, a mission planned from it, one action done, its dashboard, and
  its migration to a second version of the model previewed then applied: against the routes'
  answers;
- a dry run of the esomus pack with the license at 36.00 (failing cases, an impact): against the
  upload's answer.

    answers.py URL TENANT_KEY ADMIN_KEY [RULES_DIR]

Needs PyYAML and jsonschema (both come with schemathesis). Exits 1 on any invalid answer or
failed request, naming the case file and the case.
"""
import json
import pathlib
import sys
import urllib.error
import urllib.request

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


MISSION = {
    "model": "example-firm",
    "id": "contract-answers",
    "client": "Brasserie SA",
    "start": "2026-11-02",
    "closing": "2027-03-31",
    "people": {"partner": ["An Peeters"], "manager": ["Bo Maes"], "staff": ["Cy"], "supervisor": ["Di"],
               "eqr": ["Ed"], "quality": ["Fa"], "it-auditor": ["Gu"]},
}


def call(url, key, method, path, body=None, content_type="application/json"):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    headers = {"Authorization": f"Bearer {key}", "Content-Type": content_type}
    return json.load(urllib.request.urlopen(urllib.request.Request(f"{url}{path}", data=data, headers=headers, method=method)))


def check(registry, ref, answer, where, problems):
    validator = jsonschema.Draft202012Validator({"$ref": f"urn:api#{ref}"}, registry=registry)
    for error in validator.iter_errors(answer):
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        problems.append(f"{where}: at `{path.lstrip('.')}`: {error.message[:300]}")


def missions(url, key, rules, registry, problems):
    """A mission's life through the model routes; the number of answers checked."""
    model = (rules / "models" / "example-firm.yaml").read_bytes()
    answer = "/paths/~1v1~1missions~1{id}~1dashboard/get/responses/200/content/application~1json/schema"
    try:
        saved = call(url, key, "PUT", "/v1/models/example-firm", model, "application/yaml")
        check(registry, "/components/schemas/ModelSummary", saved, "PUT /v1/models/{id}", problems)
        created = call(url, key, "POST", "/v1/missions", MISSION)
        check(registry, "/components/schemas/MissionCreated", created, "POST /v1/missions", problems)
        first = created["plan"]["actions"][0]["id"]
        state = {"actions": [{"id": first, "done_on": "2026-11-03"}]}
        call(url, key, "PUT", "/v1/missions/contract-answers/state", state)
        view = call(url, key, "GET", "/v1/missions/contract-answers")
        check(registry, "/components/schemas/MissionView", view, "GET /v1/missions/{id}", problems)
        board = call(url, key, "GET", "/v1/missions/contract-answers/dashboard?as_of=2026-11-20")
        check(registry, answer, board, "GET /v1/missions/{id}/dashboard", problems)
        # The same model saved again as a new version, and the mission's migration previewed.
        call(url, key, "PUT", "/v1/models/example-firm", model.replace(b"\n", b"\n\n", 1), "application/yaml")
        migrated = call(url, key, "POST", "/v1/missions/contract-answers/migrate", {"dry_run": True})
        check(registry, "/components/schemas/MissionMigrated", migrated, "POST /v1/missions/{id}/migrate", problems)
        call(url, key, "POST", "/v1/missions/contract-answers/migrate", {})
        moved = call(url, key, "GET", "/v1/missions/contract-answers")
        if len(moved.get("history", [])) != 1:
            problems.append("GET /v1/missions/{id}: expected one migration in the history after applying one")
        check(registry, "/components/schemas/MissionView", moved, "GET /v1/missions/{id} (migrated)", problems)
    except urllib.error.HTTPError as e:
        problems.append(f"the mission's routes: HTTP {e.code} {e.read()[:300]!r}")
        return 0
    return 6


def dry_run(url, admin, rules, registry, problems):
    """A dry run of an edited esomus pack; the number of answers checked."""
    folder = rules / "esomus"
    files = {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}
    files["tariff.yaml"] = files["tariff.yaml"].replace("license_per_user_month: 35.00", "license_per_user_month: 36.00")
    answer = "/paths/~1v1~1admin~1packs~1{pack}/put/responses/200/content/application~1json/schema"
    try:
        report = call(url, admin, "PUT", "/v1/admin/packs/esomus?dry_run=true", {"files": files})
    except urllib.error.HTTPError as e:
        problems.append(f"the dry run: HTTP {e.code} {e.read()[:300]!r}")
        return 0
    if not report.get("failed_cases") or not report.get("impact"):
        problems.append("the dry run: expected failing cases and an impact, to check their schema")
    check(registry, answer, report, "PUT /v1/admin/packs/{pack}?dry_run=true", problems)
    return 1


def main() -> int:
    url, key, admin = sys.argv[1], sys.argv[2], sys.argv[3]
    rules = pathlib.Path(sys.argv[4] if len(sys.argv) > 4 else "rules")
    doc = json.load(urllib.request.urlopen(f"{url}/openapi.json"))
    registry = Registry().with_resource("urn:api", Resource.from_contents(doc, default_specification=DRAFT202012))
    checked, problems = 0, []
    for case_file in sorted(rules.glob("*/tests/*.yaml")):
        pack = case_file.parent.parent.name
        cases = yaml.safe_load(case_file.read_text())
        entry = cases["entry"]
        schema = {"$ref": f"urn:api#/components/schemas/{pack}.{entry}.output"}
        validator = jsonschema.Draft202012Validator(schema, registry=registry)
        for case in cases["cases"]:
            if "expect" not in case:
                continue
            body = json.dumps(case["input"], default=str).encode()
            request = urllib.request.Request(
                f"{url}/v1/packs/{pack}/{entry}",
                data=body,
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            where = f"{case_file} — {case['name']}"
            try:
                answer = json.load(urllib.request.urlopen(request))
            except urllib.error.HTTPError as e:
                problems.append(f"{where}: HTTP {e.code} {e.read()[:300]!r}")
                continue
            checked += 1
            for error in validator.iter_errors(answer):
                path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
                problems.append(f"{where}: at `{path.lstrip('.')}`: {error.message[:300]}")
    checked += missions(url, key, rules, registry, problems)
    checked += dry_run(url, admin, rules, registry, problems)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{checked} answers validated against their published schema, {len(problems)} problem(s)")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
