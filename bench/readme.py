"""`make bench-readme`: write the README's Performance table from bench/results/latest.json.

The table sits between two markers in README.md; everything else in the file is left as it is.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
LATEST = ROOT / "bench" / "results" / "latest.json"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


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


def main() -> None:
    results = json.loads(LATEST.read_text())
    text = README.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} block to fill")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table(results)}\n{END}{tail}")
    print(
        f"README.md: Performance table from the {results['scale']} run of {results.get('date')}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
