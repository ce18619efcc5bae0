"""The bench judges latency and Lighthouse on the median of their runs, and says so beside the figure."""

from bench import run


def _load(p95_runs: list[float], failures: int = 0) -> dict:
    measured = {
        label: {"ratio": 0.5, "ratios": [0.5, 0.5, 0.5], "rps": 50, "bare_rps": 100, "failures": 0}
        for _, label, _ in run.BUDGET_TARGETS
    }
    measured["manager team week"]["paced"] = {
        "rps": 20.0,
        "p95_ms": sorted(p95_runs)[len(p95_runs) // 2],
        "p95_runs": p95_runs,
        "failures": failures,
        "requests": 600,
    }
    return measured


def test_the_team_week_latency_passes_on_its_median_run_and_shows_the_spread():
    row = run.production_rows(_load([120.0, 900.0, 140.0]))[-1]
    assert row == (
        "p95 on PostgreSQL + Redis at 20 req/s offered: manager team week (median of 3)",
        "<= 250 ms",
        "140 ms (120–900 ms)",
        "pass",
    )


def test_the_team_week_latency_fails_on_a_slow_median_or_a_failed_request():
    assert run.production_rows(_load([260.0, 240.0, 300.0]))[-1][3] == "FAIL"
    assert run.production_rows(_load([120.0, 130.0, 140.0], failures=1))[-1][3] == "FAIL"


def test_a_result_of_one_run_reads_as_before():
    measured = _load([120.0])
    del measured["manager team week"]["paced"]["p95_runs"]
    assert run.production_rows(measured)[-1][:3] == (
        "p95 on PostgreSQL + Redis at 20 req/s offered: manager team week",
        "<= 250 ms",
        "120 ms",
    )


def _client(performance: list[int], accessibility: list[int]) -> dict:
    return {
        "weights": {"cold_bytes": 1024, "cold_requests": 5, "cold_images": 1, "warm_bytes": 512,
                    "warm_requests": 1},
        "lighthouse": {
            "performance": sorted(performance)[len(performance) // 2],
            "performance_runs": performance,
            "accessibility": min(accessibility),
            "accessibility_runs": accessibility,
        },
        "drops": {"writes": 10, "applied_once": 10, "learning_seconds": 5, "expected_seconds": 5,
                  "questions": 1, "expected_questions": 1, "drops": 3, "sent": 13},
    }  # fmt: skip


def test_lighthouse_performance_is_the_median_and_accessibility_must_hold_in_every_run():
    rows = {row[0]: row for row in run.client_rows(_client([92, 97, 96], [100, 100, 100]))}
    assert rows["Lighthouse mobile, lesson page: performance (median of 3)"][2:] == ("96 (92–97)", "pass")
    assert rows["Lighthouse mobile, lesson page: accessibility (lowest of 3)"][2:] == (
        "100 (100–100)",
        "pass",
    )
    rows = {row[0]: row for row in run.client_rows(_client([90, 97, 94], [100, 96, 100]))}
    assert rows["Lighthouse mobile, lesson page: performance (median of 3)"][2:] == ("94 (90–97)", "FAIL")
    assert rows["Lighthouse mobile, lesson page: accessibility (lowest of 3)"][2:] == ("96 (96–100)", "FAIL")
