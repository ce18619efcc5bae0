"""Fairness of every gate: its rate per group, the adverse-impact ratio against the most favoured group,
and the four-fifths flag, shown with a confidence interval so a small-sample flag is read as such."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lms.impact.data import Data, Person
from lms.impact.scorecard import MIN_GROUP
from lms.stats import FOUR_FIFTHS, Ratio, rate_ratio

# Both groups need this many in the gate before a ratio under 0.8 is called a flag.
FLAG_N = 30
GENDERS = {"woman": _("Women"), "man": _("Men"), "self": _("Self-described")}


@dataclass
class GroupRate:
    group: str
    n: int
    workers: int
    hits: int
    rate: float | None = None
    ratio: Ratio | None = None
    reference: bool = False

    @property
    def suppressed(self) -> bool:
        return self.workers < MIN_GROUP

    @property
    def below(self) -> bool:
        return self.ratio is not None and self.ratio.value < FOUR_FIFTHS


@dataclass
class Gate:
    key: str
    label: str
    dimension: str
    adverse: bool
    groups: list[GroupRate] = field(default_factory=list)
    flag_n: int = FLAG_N
    dimension_label: str = ""

    def flagged(self, group: GroupRate) -> bool:
        ref = next((g for g in self.groups if g.reference), None)
        return group.below and ref is not None and group.n >= self.flag_n and ref.n >= self.flag_n

    @property
    def flags(self) -> list[GroupRate]:
        return [g for g in self.groups if self.flagged(g)]


def dimensions() -> dict[str, tuple[str, Callable[[Person], str]]]:
    # Each group's name is translated once here, not once a worker.
    names = {code: str(name) for code, name in settings.LANGUAGES}
    genders = {code: str(name) for code, name in GENDERS.items()}
    return {
        "site": (str(_("Site")), lambda p: p.site),
        "language": (str(_("Language")), lambda p: names.get(p.language, p.language)),
        "gender": (
            str(_("Gender (consenting workers)")),
            lambda p: genders.get(p.gender, "") if p.consent else "",
        ),
    }


def gate_rates(
    key: str,
    label: str,
    dimension: str,
    group_of: Callable[[Person], str],
    units: list[tuple[Person, bool]],
    adverse: bool,
) -> Gate:
    """Rates per group of `units` ((person, hit) pairs); the ratio is taken on the favourable outcome
    (passing, unlocking, being promoted, staying unsuspended) against the group most often favoured."""
    cells: dict = defaultdict(lambda: [0, 0, set()])
    for person, hit in units:
        group = group_of(person)
        if group:
            cell = cells[group]
            cell[0] += 1
            cell[1] += hit
            cell[2].add(person.id)
    gate = Gate(key, label, dimension, adverse)
    for group, (n, hits, ids) in sorted(cells.items()):
        gate.groups.append(GroupRate(group, n, len(ids), hits, rate=hits / n))
    shown = [g for g in gate.groups if not g.suppressed]
    if len(shown) < 2:
        return gate
    good = (lambda g: g.n - g.hits) if adverse else (lambda g: g.hits)
    ref = max(shown, key=lambda g: (good(g) / g.n, g.n))
    ref.reference = True
    for g in shown:
        g.ratio = rate_ratio(good(g), g.n, good(ref), ref.n)
    return gate


def _units(data: Data, workers: list[Person]) -> list[tuple[str, str, list[tuple[Person, bool]], bool]]:
    ids = {p.id for p in workers}
    since = data.filters.bounds()[0]
    people = data.people
    attempts = [row for row in data.first_attempts if row["worker_id"] in ids]
    checks: dict = defaultdict(list)
    for row in attempts:
        checks[(row["assessment__title"], row["assessment_id"])].append(
            (people[row["worker_id"]], bool(row["passed"]))
        )
    unlocked = {row["worker_id"] for row in data.unlocks if row["in_period"]}
    promoted = {row["worker_id"] for row in data.promoted()}
    suspended = {row["worker_id"] for row in data.suspensions if row["started_at"] >= since}
    gates = [
        (
            "first_pass",
            str(_("Skill checks passed at the first attempt")),
            [(people[row["worker_id"]], bool(row["passed"])) for row in attempts],
            False,
        ),
    ]
    for (title, pk), units in sorted(checks.items()):
        gates.append(
            (f"first_pass:{pk}", str(_("First attempt passed: %(check)s") % {"check": title}), units, False)
        )
    gates += [
        ("unlock", str(_("Better-paid work unlocked")), [(p, p.id in unlocked) for p in workers], False),
        (
            "suspension",
            str(_("Suspended from work")),
            [(p, p.id in suspended) for p in workers if p.worked],
            True,
        ),
        ("promotion", str(_("Promoted")), [(p, p.id in promoted) for p in workers], False),
    ]
    return gates


def fairness(data: Data, workers: list[Person]) -> list[Gate]:
    """Every gate by every dimension (site, language, consenting gender)."""
    found = []
    for key, label, units, adverse in _units(data, workers):
        for dimension, (name, group_of) in dimensions().items():
            gate = gate_rates(key, label, dimension, group_of, units, adverse)
            gate.dimension_label = name
            found.append(gate)
    return found
