"""The impact scorecard: each figure with its n, or the reason it is missing, never a lone worker's number.

A figure drawn from fewer than `MIN_GROUP` workers is suppressed ("fewer than 10") on the page, in the
CSV, the PDF and the API alike, because they all read what this module builds.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.impact.data import Data, Person
from lms.stats import median, quantile, share

MIN_GROUP = 10

SUPPRESSED = _("fewer than 10 workers")


@dataclass
class Figure:
    """One number of the report. `value` is None when `missing` says why; `low`–`high` is a spread."""

    key: str
    label: str
    unit: str  # count, share, hours, days, money, multiple, rate
    value: float | None = None
    n: int = 0
    low: float | None = None
    high: float | None = None
    currency: str = ""
    missing: str = ""

    @property
    def suppressed(self) -> bool:
        return self.missing == str(SUPPRESSED)


def figure(key: str, label, unit: str, value: float | None, n: int, *, why_missing=None, **extra) -> Figure:
    """A figure; missing with `why_missing` when there is no value, suppressed under MIN_GROUP workers."""
    if value is None:
        return Figure(key, str(label), unit, n=n, missing=str(why_missing or _("no data in this period")))
    if n < MIN_GROUP:
        return Figure(key, str(label), unit, n=n, missing=str(SUPPRESSED), currency=extra.get("currency", ""))
    return Figure(key, str(label), unit, value=value, n=n, **extra)


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def last_day(end: date) -> date:
    """The period's last day that has happened: its end, or today if it ends later (read once per report,
    not once per worker: the current time zone is a context-local lookup)."""
    return min(end, timezone.localdate())


def weeks_present(person: Person, start: date, last: date) -> int:
    """ISO weeks of the period the worker was with the company (a week counts once they joined in it),
    up to `last` (see `last_day`)."""
    first = max(person.joined_on, start)
    if last < first:
        return 0
    monday = first - timedelta(days=first.weekday())
    return (last - monday).days // 7 + 1


def days_present(person: Person, start: date, last: date) -> int:
    return max(0, (last - max(person.joined_on, start)).days + 1)


def active(data: Data) -> list[Person]:
    """Workers who learned or worked in the period."""
    return [p for p in data.people.values() if p.activity]


def people_section(data: Data, workers: list[Person]) -> Section:
    n = len(workers)
    answered = [p for p in workers if p.consent and p.employment]
    gendered = [p for p in workers if p.consent and p.gender and p.gender != "not_said"]
    return Section(
        "people",
        str(_("People")),
        [
            figure("workers_active", _("Workers active"), "count", n, n),
            figure(
                "previously_unemployed",
                _("Share previously without work"),
                "share",
                share(sum(p.employment == "unemployed" for p in answered), len(answered)),
                len(answered),
                why_missing=_("no consenting workers answered"),
            ),
            figure(
                "women",
                _("Share women"),
                "share",
                share(sum(p.gender == "woman" for p in gendered), len(gendered)),
                len(gendered),
                why_missing=_("no consenting workers answered"),
            ),
        ],
    )


def learning_section(data: Data, workers: list[Person]) -> Section:
    f, last = data.filters, last_day(data.filters.end)
    present = [(p, weeks_present(p, f.start, last)) for p in workers]
    weekly = [p.minutes / 60 / weeks for p, weeks in present if weeks > 0]
    week_total = sum(weeks for _, weeks in present)
    ids = {p.id for p in workers}
    checks: dict = defaultdict(lambda: [0, 0, ""])
    for row in data.first_attempts:
        if row["worker_id"] in ids:
            check = checks[row["assessment_id"]]
            check[0] += bool(row["passed"])
            check[1] += 1
            check[2] = row["assessment__title"]
    figures = [
        figure(
            "hours_per_week",
            _("Hours learned per worker per week (median)"),
            "hours",
            median(weekly),
            len(weekly),
            low=quantile(weekly, 0.25),
            high=quantile(weekly, 0.75),
        ),
        figure(
            "goal_weeks",
            _("Share of worker-weeks meeting the goal"),
            "share",
            share(sum(p.goal_weeks for p in workers), week_total),
            len(workers),
        ),
        figure("lessons", _("Lessons completed"), "count", sum(p.lessons for p in workers), len(workers)),
        figure("badges", _("Badges earned"), "count", sum(p.badges for p in workers), len(workers)),
    ]
    for assessment_id, (passed, taken, title) in sorted(checks.items(), key=lambda item: item[1][2]):
        figures.append(
            figure(
                f"first_pass:{assessment_id}",
                _("First-attempt pass rate: %(check)s") % {"check": title},
                "share",
                share(passed, taken),
                taken,
            )
        )
    if not checks:
        figures.append(figure("first_pass", _("First-attempt pass rate"), "share", None, len(workers)))
    return Section("learning", str(_("Learning")), figures)


def _stays(data: Data, ids: set[int]) -> dict:
    """Days spent at each level before the next promotion, for promotions decided in the period."""
    since = data.filters.start
    stays: dict = defaultdict(list)
    last: dict[int, tuple] = {}
    for row in data.promotions:
        worker = row["worker_id"]
        if worker not in ids:
            continue
        decided = timezone.localdate(row["decided_at"])
        began = last.get(worker, (None, data.people[worker].joined_on))[1]
        if decided >= since and row["from_level_id"] is not None:
            stays[row["from_level_id"]].append((worker, max(0, (decided - began).days)))
        last[worker] = (row["to_level_id"], decided)
    return stays


def progression_section(data: Data, workers: list[Person]) -> Section:
    f = data.filters
    ids = {p.id for p in workers}
    unlocks = {row["worker_id"]: row for row in data.unlocks if row["worker_id"] in ids}
    here = timezone.get_current_timezone()
    to_first = [
        max(0, (row["first"].astimezone(here).date() - data.people[w].joined_on).days)
        for w, row in unlocks.items()
    ]
    promoted = sum(1 for row in data.promoted() if row["worker_id"] in ids)
    last = last_day(f.end)
    years = sum(days_present(p, f.start, last) for p in workers) / 365.25
    figures = [
        figure(
            "days_to_unlock",
            _("Median days from joining to the first better-paid work unlocked"),
            "days",
            median(to_first),
            len(to_first),
            why_missing=_("no worker has unlocked better-paid work yet"),
        ),
        figure(
            "unlocks_per_worker",
            _("Work unlocked per worker in the period"),
            "rate",
            share(sum(row["in_period"] for row in unlocks.values()), len(workers)),
            len(workers),
        ),
        figure(
            "promotions_per_100_years",
            _("Promotions per 100 worker-years"),
            "rate",
            promoted / years * 100 if years else None,
            len(workers),
        ),
    ]
    for level_id, stays in sorted(_stays(data, ids).items(), key=lambda item: str(item[0])):
        name = data.level_names[level_id]
        figures.append(
            figure(
                f"days_at_level:{level_id or 0}",
                _("Median days at %(level)s before the next level") % {"level": name},
                "days",
                median([days for _, days in stays]),
                len({worker for worker, _ in stays}),
            )
        )
    return Section("progression", str(_("Progression")), figures)
