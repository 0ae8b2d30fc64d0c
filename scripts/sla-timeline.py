#!/usr/bin/env python3
"""Draw docs/img/sla-timeline.svg from a real evaluation of the norriq `sla` entry.

Runs `missions sla` on the SPEC's example ticket (nav P1, opened Tuesday 1 December 2026 09:00,
waiting for the customer 10:00-14:00, read as of 15:00) and draws one working day: office hours,
the stretches the clock ran and the pause, and the instants the answer gives (the 50 % and 80 %
warnings, the deadline, as_of). Every mark comes from the answer or the input, none is typed in.

    scripts/sla-timeline.py [path/to/missions]     (default target/debug/missions)
"""

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKET = {
    "contract": "nav",
    "priority": "P1",
    "opened": "2026-12-01T09:00:00+01:00",
    "events": [
        {"at": "2026-12-01T10:00:00+01:00", "status": "waiting_customer"},
        {"at": "2026-12-01T14:00:00+01:00", "status": "in_progress"},
    ],
    "as_of": "2026-12-01T15:00:00+01:00",
}
OFFICE = [(8.5, 12.5), (13.5, 17.5)]
DAY_FROM, DAY_TO = 8.0, 18.0
LEFT, WIDTH, TOP = 40, 720, 50


def hours(instant: str) -> float:
    t = datetime.fromisoformat(instant)
    return t.hour + t.minute / 60


def x(h: float) -> float:
    return LEFT + (h - DAY_FROM) / (DAY_TO - DAY_FROM) * WIDTH


def main() -> None:
    missions = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/debug/missions")
    out = subprocess.run(
        [missions, "sla", "--pack", str(ROOT / "rules/norriq"), "--input", json.dumps(TICKET), "--json"],
        check=True, capture_output=True, text=True,
    )
    answer = json.loads(out.stdout)
    pause = (hours(TICKET["events"][0]["at"]), hours(TICKET["events"][1]["at"]))
    opened, deadline, as_of = hours(TICKET["opened"]), hours(answer["deadline"]), hours(answer["as_of"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{LEFT * 2 + WIDTH}" height="230" '
        'font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{LEFT}" y="22" font-size="14">norriq sla, nav P1 (4 working hours): '
        f'{answer["state"]} as of {answer["as_of"][11:16]}, '
        f'{answer["elapsed_working_minutes"]} min elapsed, {answer["remaining_working_minutes"]} min left, '
        f'{answer["paused_working_minutes"]} working min paused</text>',
    ]
    for a, b in OFFICE:
        parts.append(f'<rect x="{x(a):.1f}" y="{TOP}" width="{x(b) - x(a):.1f}" height="60" fill="#eef2f7"/>')
    # The clock ran from `opened` to the pause, and from its end on.
    for a, b in [(opened, pause[0]), (pause[1], DAY_TO)]:
        for oa, ob in OFFICE:
            lo, hi = max(a, oa), min(b, ob)
            if lo < hi:
                parts.append(f'<rect x="{x(lo):.1f}" y="{TOP + 20}" width="{x(hi) - x(lo):.1f}" height="20" fill="#3b82f6"/>')
    parts.append(
        f'<rect x="{x(pause[0]):.1f}" y="{TOP + 20}" width="{x(pause[1]) - x(pause[0]):.1f}" height="20" '
        'fill="none" stroke="#f59e0b" stroke-width="2" stroke-dasharray="4 3"/>'
    )
    parts.append(f'<text x="{x(pause[0]) + 4:.1f}" y="{TOP + 15}" fill="#b45309">waiting for the customer</text>')
    marks = [(w["at"], f'{w["percent"]} %', "#16a34a") for w in answer["warnings"] if w["at"]]
    marks += [(answer["deadline"], "deadline", "#dc2626"), (answer["as_of"], "as_of", "#111827")]
    for i, (at, text, colour) in enumerate(marks):
        h = hours(at)
        y = TOP + 75 + 16 * i
        parts.append(f'<line x1="{x(h):.1f}" y1="{TOP}" x2="{x(h):.1f}" y2="{y}" stroke="{colour}" stroke-width="1.5"/>')
        parts.append(f'<text x="{x(h) + 4:.1f}" y="{y + 4}" fill="{colour}">{text} {at[11:16]}</text>')
    for h in range(int(DAY_FROM), int(DAY_TO) + 1):
        parts.append(f'<text x="{x(h) - 14:.1f}" y="{TOP + 165}" fill="#6b7280">{h:02d}:00</text>')
    parts.append(f'<text x="{LEFT}" y="{TOP + 180}" fill="#6b7280">shaded: office hours; blue: the clock '
                 f'running ({opened:.0f}:00 to the pause, and from {pause[1]:.0f}:00); dashed: paused</text>')
    parts.append("</svg>")
    target = ROOT / "docs/img/sla-timeline.svg"
    target.write_text("\n".join(parts) + "\n")
    print(f"wrote {target.relative_to(ROOT)} (deadline {deadline:.2f} h)")


if __name__ == "__main__":
    main()
