#!/usr/bin/env python3
"""Every golden case that expects an output, sent over HTTP to a running `missions serve`: the
answer must validate against the output schema the server publishes for its entry
(`components.schemas["{pack}.{entry}.output"]` in /openapi.json). Schemathesis checks answers to
the inputs it generates, which the rules mostly refuse; these are the answers clients get.

    golden_answers.py URL TENANT_KEY [RULES_DIR]

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


def main() -> int:
    url, key = sys.argv[1], sys.argv[2]
    rules = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else "rules")
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
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{checked} golden answers validated against their published schema, {len(problems)} problem(s)")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
