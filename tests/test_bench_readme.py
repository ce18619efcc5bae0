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
