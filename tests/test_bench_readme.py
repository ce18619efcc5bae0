"""`make bench-readme` writes the README's Performance table from the last bench run, and only that."""

import json

import pytest

from bench import readme


@pytest.fixture
def files(tmp_path, monkeypatch):
    text = "# Ladder\n\nBefore.\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nAfter.\n"
    (tmp_path / "README.md").write_text(text)
    latest = {
        "scale": "full",
        "date": "2026-11-24 20:00 UTC",
        "seconds": 900,
        "machine": {"cores": 2, "memory_gb": 24, "system": "Linux 6.1, Python 3.11.2"},
        "table": [
            {"budget": "throughput: lesson page / bare view (median of 3)", "target": ">= 0.3",
             "measured": "0.31 (0.29–0.33; 230 vs 740 req/s, 0 failed)", "result": "pass"},
            {"budget": "rollup | full", "target": "<= 3 s", "measured": "3.20 s", "result": "FAIL"},
        ],
    }  # fmt: skip
    (tmp_path / "latest.json").write_text(json.dumps(latest))
    monkeypatch.setattr(readme, "README", tmp_path / "README.md")
    monkeypatch.setattr(readme, "LATEST", tmp_path / "latest.json")
    return tmp_path


def test_the_table_replaces_only_the_block_between_the_markers(files):
    readme.main()

    text = (files / "README.md").read_text()
    assert text.startswith(
        "# Ladder\n\nBefore.\n\n<!-- bench:start -->\nFull run of 2026-11-24 20:00 UTC on 2 cores"
    )
    assert "old table" not in text and text.endswith("<!-- bench:end -->\n\nAfter.\n")
    assert "| throughput: lesson page / bare view (median of 3) | >= 0.3 | 0.31 (0.29–0.33;" in text
    assert "| rollup \\| full | <= 3 s | 3.20 s | FAIL |" in text  # a pipe in a cell does not break the row

    readme.main()  # again: the same file, not a second table
    assert (files / "README.md").read_text() == text


def test_a_readme_without_the_markers_is_refused(files):
    (files / "README.md").write_text("# Ladder\n")
    with pytest.raises(SystemExit, match="no <!-- bench:start -->"):
        readme.main()
    assert (files / "README.md").read_text() == "# Ladder\n"


SCALING = {
    "database": "sqlite",
    "rollup": {"rows": [{"size": 100_000, "seconds": 0.5}, {"size": 1_000_000, "seconds": 2.0},
                        {"size": 5_000_000, "seconds": 9.5}], "growth": 0.94},
    "team_week": {
        "rows": [
            {"size": n, "built": {"median_ms": n * 0.6}, "kept": {"median_ms": 4.0}} for n in (10, 100, 1000)
        ],
        "growth_built": 1.0, "growth_kept": 0.0,
    },
    "eligibility_api": {
        "rows": [{"size": n, "median_ms": 1.0} for n in (1000, 10_000, 100_000)], "growth": 1.4,
    },
}  # fmt: skip


def test_a_full_run_writes_the_scaling_table_and_flags_worse_than_linear(files):
    readme_file = files / "README.md"
    readme_file.write_text(readme_file.read_text() + "<!-- scaling:start -->\nold\n<!-- scaling:end -->\n")
    latest = json.loads((files / "latest.json").read_text())
    (files / "latest.json").write_text(json.dumps({**latest, "scaling": SCALING}))

    readme.main()

    text = readme_file.read_text()
    assert "Measured 2026-11-24 20:00 UTC on 2 cores and 24 GB" in text and "\nold\n" not in text
    assert (
        "| weekly rollup from nothing (s), events | 100,000: 0.50 | 1,000,000: 2.00 | 5,000,000: 9.50 "
        "| 0.94 |" in text
    )
    assert (
        "| eligibility API (ms), workers | 1,000: 1.00 | 10,000: 1.00 | 100,000: 1.00 "
        "| 1.40 — worse than linear |" in text
    )


def test_a_quick_run_leaves_the_last_scaling_table(files):
    readme_file = files / "README.md"
    readme_file.write_text(readme_file.read_text() + "<!-- scaling:start -->\nkept\n<!-- scaling:end -->\n")
    latest = json.loads((files / "latest.json").read_text())
    (files / "latest.json").write_text(json.dumps({**latest, "scale": "quick"}))

    readme.main()

    assert "<!-- scaling:start -->\nkept\n<!-- scaling:end -->" in readme_file.read_text()


@pytest.mark.parametrize(("times", "k"), [((1, 1, 1), 0.0), ((1, 10, 100), 1.0), ((1, 100, 10_000), 2.0)])
def test_the_growth_is_the_fitted_exponent(times, k):
    from bench.scaling import growth

    assert growth([1_000, 10_000, 100_000], list(times)) == pytest.approx(k)
