"""Item analysis for authors: which questions are hard, and which separate strong from weak attempts."""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Count, Min, Q, QuerySet

from assessments.models import Assessment, Attempt, AttemptQuestion, BankQuestion
from lms.stats import MantelHaenszel, Stratum, mantel_haenszel

GROUP_SHARE = 0.27  # the classic upper and lower 27 % of attempts


@dataclass(frozen=True)
class ItemStats:
    question_id: int | None
    label: str
    kind: str
    attempts: int
    share_correct: float
    discrimination: float | None  # share correct in the top group minus the bottom group


@dataclass(frozen=True)
class AssessmentStats:
    finished: int
    pass_rate: float | None
    workers_passed: int
    mean_attempts_to_pass: float | None


def _finished(assessment: Assessment, language: str | None):
    finished = Attempt.objects.filter(assessment=assessment).exclude(status=Attempt.Status.OPEN)
    return finished.filter(language=language) if language else finished


def languages_taken(*, assessment: Assessment) -> list[tuple[str, int]]:
    """(language, finished attempts) for each language the check was taken in, most taken first."""
    rows = _finished(assessment, None).values("language").annotate(n=Count("id")).order_by("-n", "language")
    return [(row["language"], row["n"]) for row in rows]


def assessment_stats(*, assessment: Assessment, language: str | None = None) -> AssessmentStats:
    """The check's totals; only the attempts taken in `language` when given."""
    finished = _finished(assessment, language)
    totals = finished.aggregate(n=Count("id"), passed=Count("id", filter=Q(passed=True)))
    first_passes = finished.filter(passed=True).values("worker").annotate(first=Min("number"))
    mean_first = first_passes.aggregate(mean=Avg("first"))["mean"]
    return AssessmentStats(
        finished=totals["n"],
        pass_rate=totals["passed"] / totals["n"] if totals["n"] else None,
        workers_passed=first_passes.count(),
        mean_attempts_to_pass=mean_first,
    )


def item_stats(*, assessment: Assessment, language: str | None = None) -> list[ItemStats]:
    """Per bank question: attempts, share answered correctly, and upper-minus-lower discrimination;
    only over the attempts taken in `language` when given (a question can be hard in one translation)."""
    questions = AttemptQuestion.objects.filter(attempt__assessment=assessment).exclude(
        attempt__status=Attempt.Status.OPEN
    )
    if language:
        questions = questions.filter(attempt__language=language)
    rows = list(
        questions.values(
            "attempt_id", "attempt__score", "source_id", "source__title", "source__prompt", "kind", "fraction"
        )
    )
    scores = sorted({(row["attempt__score"], row["attempt_id"]) for row in rows})
    group = max(1, round(len(scores) * GROUP_SHARE)) if scores else 0
    lower = {attempt_id for _, attempt_id in scores[:group]}
    upper = {attempt_id for _, attempt_id in scores[-group:]} if group else set()
    by_question: dict = defaultdict(list)
    for row in rows:
        by_question[row["source_id"]].append(row)
    return sorted(
        (_item(rows_for_q, upper, lower, len(scores) >= 4) for rows_for_q in by_question.values()),
        key=lambda item: item.share_correct,
    )


def _share(rows: list[dict]) -> float:
    return sum(1 for row in rows if (row["fraction"] or 0) >= 0.999) / len(rows) if rows else 0.0


def _item(rows: list[dict], upper: set, lower: set, enough: bool) -> ItemStats:
    first = rows[0]
    top = [row for row in rows if row["attempt_id"] in upper]
    bottom = [row for row in rows if row["attempt_id"] in lower]
    return ItemStats(
        question_id=first["source_id"],
        label=first["source__title"] or (first["source__prompt"] or "(deleted question)")[:80],
        kind=first["kind"],
        attempts=len(rows),
        share_correct=_share(rows),
        discrimination=_share(top) - _share(bottom) if enough and top and bottom else None,
    )


# Score bands the Mantel–Haenszel check stratifies by: attempts within 20 points count as equal skill.
DIF_BAND = 20
DIF_MIN_GROUP = 10
# Matching on the total score needs a few questions: on a check of two, the total is mostly the question.
DIF_MIN_QUESTIONS = 4


@dataclass(frozen=True)
class ItemDif:
    """How one language group did on one question against all other languages, at equal total score."""

    question_id: int
    assessment_id: int
    label: str
    language: str
    result: MantelHaenszel

    @property
    def language_name(self) -> str:
        return dict(settings.LANGUAGES).get(self.language, self.language)


def _dif(tables: dict, labels: dict) -> list[ItemDif]:
    """Each language against the others, per question, from {question: {language: {band: [right, wrong]}}}."""
    found = []
    for key, by_language in tables.items():
        everyone: dict = defaultdict(lambda: [0, 0])
        for bands in by_language.values():
            for band, (right, wrong) in bands.items():
                everyone[band][0] += right
                everyone[band][1] += wrong
        total = sum(sum(cell) for cell in everyone.values())
        for language, bands in sorted(by_language.items()):
            size = sum(sum(cell) for cell in bands.values())
            if size < DIF_MIN_GROUP or total - size < DIF_MIN_GROUP:
                continue
            strata = [
                Stratum(
                    ref_right=everyone[band][0] - cell[0],
                    ref_wrong=everyone[band][1] - cell[1],
                    focal_right=cell[0],
                    focal_wrong=cell[1],
                )
                for band, cell in bands.items()
            ]
            result = mantel_haenszel(strata)
            if result is not None:
                found.append(ItemDif(key[0], key[1], labels.get(key[0], ""), language, result))
    return found


def _table() -> dict:
    return defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0])))


def _bands(answers: dict, flagged: set) -> dict:
    """{question: {language: {band: [right, wrong]}}}, each attempt banded by its share right. With no
    question flagged, that is its total score; otherwise the flagged questions are left out of it (but the
    one studied), so one mistranslated question does not make the others look harder for everyone else
    (two-stage purification, Holland & Thayer)."""
    tables = _table()
    for (_, language, assessment, score), questions in answers.items():
        clean = [right for source, right in questions if (source, assessment) not in flagged]
        for source, right in questions:
            key = (source, assessment)
            if not flagged:
                band = math.floor(score / DIF_BAND)
            else:
                counted = clean if key not in flagged else [*clean, right]
                band = math.floor(100 * sum(counted) / len(counted) / DIF_BAND) if counted else 0
            tables[key][language][band][0 if right else 1] += 1
    return tables


def dif_by_language(
    *, assessment_ids: list[int] | None = None, attempts: QuerySet | None = None
) -> list[ItemDif]:
    """Per question, Mantel–Haenszel differential item functioning of each language against all the
    other languages together, stratified by total score; languages under 10 attempts, and checks of
    fewer than four questions, are left out. Where a question is flagged, its check is judged again
    matching on the unflagged questions only. Three queries whatever the data; `attempts` narrows the
    finished attempts read (e.g. to a team or a period)."""
    finished = (attempts if attempts is not None else Attempt.objects.all()).exclude(
        status=Attempt.Status.OPEN
    )
    if assessment_ids is not None:
        finished = finished.filter(assessment_id__in=assessment_ids)
    finished = finished.filter(score__isnull=False)
    sizes = (
        AttemptQuestion.objects.filter(attempt__in=finished)
        .values("attempt__assessment_id")
        .annotate(questions=Count("id"), attempts=Count("attempt_id", distinct=True))
    )
    long_enough = [
        row["attempt__assessment_id"]
        for row in sizes
        if row["questions"] >= DIF_MIN_QUESTIONS * row["attempts"]
    ]
    answers: dict = defaultdict(list)
    for attempt, language, assessment, score, source, fraction in AttemptQuestion.objects.filter(
        attempt__in=finished, attempt__assessment_id__in=long_enough, source__isnull=False
    ).values_list(
        "attempt_id", "attempt__language", "attempt__assessment_id", "attempt__score", "source_id", "fraction"
    ):  # fmt: skip
        answers[(attempt, language, assessment, float(score))].append(
            (source, fraction is not None and fraction >= 0.999)
        )
    labels = {
        pk: title or prompt[:80]
        for pk, title, prompt in BankQuestion.objects.filter(
            pk__in={source for questions in answers.values() for source, _ in questions}
        ).values_list("pk", "title", "prompt")
    }
    found = _dif(_bands(answers, set()), labels)
    flagged = {(item.question_id, item.assessment_id) for item in found if item.result.flagged}
    if flagged:
        checks = {assessment for _, assessment in flagged}
        again = _dif(_bands({k: v for k, v in answers.items() if k[2] in checks}, flagged), labels)
        found = [item for item in found if item.assessment_id not in checks] + again
    return sorted(found, key=lambda item: item.result.delta)
