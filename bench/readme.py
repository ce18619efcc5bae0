"""`make bench-readme`: write the README's Performance table from bench/results/latest.json.

The tables sit between markers in README.md; everything else in the file is left as it is. The scaling
table is measured by the full run only: a quick run leaves the last full run's table in place.
"""

import json
import sys
from pathlib import Path

from bench.limits import GROWTH_LIMIT

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
LATEST = ROOT / "bench" / "results" / "latest.json"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SCALING_START, SCALING_END = "<!-- scaling:start -->", "<!-- scaling:end -->"


def table(results: dict) -> str:
    machine = results.get("machine", {})
    lines = [
        f"{results['scale'].capitalize()} run of {results.get('date', 'an unknown date')} on "
        f"{machine.get('cores', '?')} cores and {machine.get('memory_gb', '?')} GB "
        f"({machine.get('system', 'unknown system')}), {results['seconds'] / 60:.0f} minutes; written by "
        "`make bench-readme` from `bench/results/latest.json`.",
        "",
        "| budget | target | measured | result |",
        "| --- | --- | --- | --- |",
    ]
    for row in results["table"]:
        cells = [row[key].replace("|", "\\|") for key in ("budget", "target", "measured", "result")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scaling_table(results: dict) -> str:
    """How cost grows: one line per curve, the figure at each size, the fitted exponent."""
    scaling, machine = results["scaling"], results.get("machine", {})
    api, teams, rollups = scaling["eligibility_api"], scaling["team_week"], scaling["rollup"]
    curves = [
        ("weekly rollup from nothing (s), events", rollups["rows"], lambda r: r["seconds"],
         rollups["growth"]),
        ("team week, built (ms), workers in the team", teams["rows"], lambda r: r["built"]["median_ms"],
         teams["growth_built"]),
        ("team week, kept (ms), workers in the team", teams["rows"], lambda r: r["kept"]["median_ms"],
         teams["growth_kept"]),
        ("eligibility API (ms), workers", api["rows"], lambda r: r["median_ms"], api["growth"]),
    ]  # fmt: skip
    lines = [
        f"Measured {results.get('date', 'on an unknown date')} on {machine.get('cores', '?')} cores and "
        f"{machine.get('memory_gb', '?')} GB ({machine.get('system', 'unknown system')}), "
        f"{scaling['database']}, in-process (no network): medians; k is the fitted exponent of "
        f"time ∝ size^k (0 constant, 1 linear; above {GROWTH_LIMIT} is flagged).",
        "",
        "| what, at which sizes | small | middle | large | k |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, rows, value, k in curves:
        cells = [f"{row['size']:,}: {value(row):.2f}" for row in rows]
        flag = "" if k <= GROWTH_LIMIT else " — worse than linear"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {k:.2f}{flag} |")
    return "\n".join(lines)


def _fill(text: str, start: str, end: str, body: str) -> str:
    if start not in text or end not in text:
        raise SystemExit(f"README.md has no {start} … {end} block to fill")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def main() -> None:
    results = json.loads(LATEST.read_text())
    text = _fill(README.read_text(), START, END, table(results))
    if results.get("scaling"):
        text = _fill(text, SCALING_START, SCALING_END, scaling_table(results))
    README.write_text(text)
    print(
        f"README.md: Performance table from the {results['scale']} run of {results.get('date')}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
