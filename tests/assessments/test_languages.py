"""A check read in Bengali is graded exactly like the same answers read in English; the words change,
the items do not. Translations are kept on the same rows, by segment, through the admin's screens."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import services
from assessments.models import Attempt, BankQuestion
from assessments.selectors import questions_for_attempt
from lms.services import item_translation_save, worker_language_set
from tests.assessments.fixtures import right_answers

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
Kind = BankQuestion.Kind

BENGALI = {
    "prompt": "বাংলায় প্রশ্ন",
    "explanation": "বাংলায় ব্যাখ্যা",
}
LABELS_BN = {"apple": "আপেল", "banana": "কলা", "orange": "কমলা", "lemon": "লেবু"}


def _translate_bank(bank, by):
    """Every segment of every question into Bengali, through the service the admin screen uses."""
    for question in bank.questions.all():
        texts = {}
        for segment in question.segments():
            if segment.key.startswith("label:"):
                texts[segment.key] = LABELS_BN[segment.source]
            else:
                texts[segment.key] = f"{BENGALI.get(segment.key, 'বাংলা')}: {segment.source}"
        assert item_translation_save(item=question, language="bn", texts=texts, by=by) == "published"


@pytest.fixture
def bengali_bank(bank, expert):
    _translate_bank(bank, expert)
    return bank


def _by_block(attempt):
    """For each position: {bank choice id → this attempt's choice id} (choice ids differ per attempt)."""
    return {
        q.position: {block: choice for choice, block in q.key.get("blocks", {}).items()}
        for q in attempt.questions.all()
    }


answers = st.fixed_dictionaries(
    {
        Kind.SINGLE: st.integers(0, 1),
        Kind.MULTIPLE: st.sets(st.integers(0, 2)),
        Kind.TRUE_FALSE: st.sampled_from(["true", "false"]),
        Kind.NUMERIC: st.sampled_from(["4", "3", "4.0", "40"]),
        Kind.SHORT_TEXT: st.sampled_from(["unclear", "[unclear]", "peu clair", ""]),
        Kind.IMAGE_TAGGING: st.sets(st.sampled_from(["apple", "banana", "orange", "lemon"])),
        Kind.BOUNDING_BOX: st.sampled_from([[30, 40, 40, 40], [0, 0, 10, 10], [31, 41, 38, 39]]),
        Kind.TRANSCRIPTION: st.sampled_from(["Turn left at the market.", "turn left at market", "no"]),
    }
)


def _responses(attempt, chosen):
    blocks = _by_block(attempt)
    responses = {}
    for question in attempt.questions.all():
        value = chosen[question.kind]
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            bank_ids = [block.id for block in question.source.choices]
            picked = [
                blocks[question.position][bank_ids[i]]
                for i in sorted(value if isinstance(value, set) else {value})
            ]
            value = picked[0] if question.kind == Kind.SINGLE else picked
        elif question.kind == Kind.IMAGE_TAGGING:
            value = sorted(value)
        elif question.kind == Kind.BOUNDING_BOX:
            value = [str(v) for v in value]
        if value in ("", []):
            continue
        responses[question.position] = value
    return responses


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=answers)
def test_the_same_answers_score_the_same_in_bengali_and_english(
    make_worker, assessment, bengali_bank, chosen
):
    english = make_worker(language="en")
    bengali = make_worker(language="bn")
    results = {}
    for worker in (english, bengali):
        attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
        result = services.attempt_submit(
            worker=worker, attempt_id=attempt.pk, responses=_responses(attempt, chosen), now=T0
        )
        finished = result.attempt
        results[worker.language] = (
            finished.language,
            finished.score,
            finished.passed,
            {q.source_id: q.fraction for q in finished.questions.all()},
        )
    assert results["en"][0] == "en" and results["bn"][0] == "bn"
    assert results["en"][1:] == results["bn"][1:]


def test_a_bengali_attempt_reads_bengali_and_answers_with_the_same_items(
    make_worker, assessment, bengali_bank
):
    worker = make_worker(language="bn")
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    assert attempt.language == "bn"
    views = {view["kind"]: view for view in questions_for_attempt(attempt=attempt)}
    assert views[Kind.SINGLE]["prompt"].startswith("বাংলায় প্রশ্ন")
    assert all(choice["text"].startswith("বাংলা") for choice in views[Kind.SINGLE]["choices"])
    assert {label["value"] for label in views[Kind.IMAGE_TAGGING]["labels"]} == set(LABELS_BN)
    assert {label["text"] for label in views[Kind.IMAGE_TAGGING]["labels"]} == set(LABELS_BN.values())
    tf = views[Kind.TRUE_FALSE]["choices"]
    assert [c["id"] for c in tf] == ["true", "false"] and tf[0]["text"] == "সত্য"  # Django's catalog: True

    # The result page names the labels in Bengali too; explanations are the Bengali ones.
    tagging = attempt.questions.get(kind=Kind.IMAGE_TAGGING)
    services.attempt_submit(
        worker=worker, attempt_id=attempt.pk, responses={tagging.position: ["apple", "banana"]}, now=T0
    )
    finished = {
        view["kind"]: view for view in questions_for_attempt(attempt=Attempt.objects.get(pk=attempt.pk))
    }
    assert finished[Kind.IMAGE_TAGGING]["your_answer"] == "আপেল, কলা"
    assert finished[Kind.SINGLE]["explanation"].startswith("বাংলায় ব্যাখ্যা")


def test_a_changed_source_segment_is_read_in_english_until_translated_again(
    make_worker, assessment, bengali_bank, expert
):
    question = BankQuestion.objects.get(kind=Kind.SINGLE)
    question.prompt = "Which tag fits a red lorry?"
    question.save_revision(user=expert).publish(user=expert)
    question.refresh_from_db()
    assert question.translation_progress("bn").outdated == 1
    attempt = services.attempt_start(
        worker=make_worker(language="bn"), assessment=assessment, now=T0 + timedelta(1)
    )
    view = next(v for v in questions_for_attempt(attempt=attempt) if v["kind"] == Kind.SINGLE)
    assert view["prompt"] == "Which tag fits a red lorry?" and view["language"] == "en"
    assert view["choices"][0]["text"].startswith("বাংলা")  # the choices did not change: still Bengali


def test_an_unknown_or_unshipped_language_reads_the_source(make_worker, assessment, bengali_bank):
    worker = make_worker(language="bn")
    worker_language_set(worker=worker, language="xx-unknown")
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    assert attempt.language == "en"
    view = next(v for v in questions_for_attempt(attempt=attempt) if v["kind"] == Kind.SINGLE)
    assert view["prompt"] == "Which tag fits a red car?"


# The admin's translation screens


def test_an_assistant_translation_of_a_question_waits_for_expert_review(client, assistant, bank):
    services.content_review_setup()
    question = BankQuestion.objects.get(kind=Kind.SINGLE)
    client.force_login(assistant)
    url = reverse("item_translate", args=["assessments.bankquestion", question.pk, "fr"])
    page = client.get(url)
    assert page.status_code == 200 and "Which tag fits a red car?" in page.content.decode()
    keys = [segment.key for segment in question.segments()]
    data = {f"s{n}": f"FR {n}" for n in range(len(keys))}
    response = client.post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.translations == {}  # the live question is unchanged until an expert approves
    assert question.workflow_in_progress
    assert question.get_latest_revision_as_object().translation_progress("fr").complete
    listing = client.get(reverse("item_translations") + "?language=fr").content.decode()
    assert f'id="item-assessments.bankquestion-{question.pk}"' in listing


def test_an_expert_translation_of_a_badge_is_saved_at_once_and_bad_input_is_refused(client, expert, badge):
    client.force_login(expert)
    url = reverse("item_translate", args=["assessments.skillbadge", badge.pk, "bn"])
    count = len(badge.segments())
    response = client.post(url, {f"s{n}": "x" * 4001 for n in range(count)})
    assert response.status_code == 422
    badge.refresh_from_db()
    assert badge.translations == {}
    response = client.post(url, {"s0": "ব্যাজ"})
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.translated("name", "bn") == "ব্যাজ"
    assert badge.translated("description", "bn") == badge.description  # left empty: the source
    assert (
        client.get(reverse("item_translate", args=["assessments.skillbadge", badge.pk, "xx"])).status_code
        == 404
    )
    assert client.get(reverse("item_translate", args=["auth.user", 1, "bn"])).status_code == 404
    assert (
        client.get(reverse("item_translate", args=["assessments.skillbadge", 99999, "bn"])).status_code == 404
    )


def test_a_worker_cannot_reach_the_translation_screens(worker_client, badge):
    assert worker_client.get(reverse("item_translations")).status_code in (302, 403)
    url = reverse("item_translate", args=["assessments.skillbadge", badge.pk, "bn"])
    assert worker_client.post(url, {"s0": "x"}).status_code in (302, 403)
    badge.refresh_from_db()
    assert badge.translations == {}


def test_item_analysis_splits_by_the_language_attempts_were_taken_in(client, expert, make_worker, assessment):
    from assessments import analysis

    for language, right in (("en", True), ("en", True), ("bn", False)):
        who = make_worker(language=language)
        attempt = services.attempt_start(worker=who, assessment=assessment, now=T0)
        answers = right_answers(attempt) if right else {}
        services.attempt_submit(worker=who, attempt_id=attempt.pk, responses=answers, now=T0)

    assert analysis.languages_taken(assessment=assessment) == [("en", 2), ("bn", 1)]
    assert analysis.assessment_stats(assessment=assessment, language="bn").pass_rate == 0
    assert analysis.assessment_stats(assessment=assessment, language="en").pass_rate == 1
    assert {i.share_correct for i in analysis.item_stats(assessment=assessment, language="bn")} == {0}
    client.force_login(expert)
    url = reverse("wagtailsnippets_assessments_assessment:analysis", args=[assessment.pk])
    page = client.get(url + "?language=bn").content.decode()
    assert '<option value="bn" selected>' in page
    assert client.get(url + "?language=xx").status_code == 200  # unknown: every language


def test_an_untranslated_check_is_marked_as_shown_in_english(client, make_worker, assessment, bank, expert):
    worker = make_worker(language="fr")
    client.force_login(worker.user)
    note = "Pas encore traduit dans votre langue"
    page = client.get(reverse("check_detail", args=[assessment.slug])).content.decode()
    assert note in page
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    page = client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    assert "Certaines questions ne sont pas encore traduites" in page
    assert '<p class="prompt" lang="en">' in page

    texts = {segment.key: f"FR {segment.source}" for segment in assessment.segments()}
    item_translation_save(item=assessment, language="fr", texts=texts, by=expert)
    page = client.get(reverse("check_detail", args=[assessment.slug])).content.decode()
    assert note not in page and f"FR {assessment.title}" in page


def _take(assessment, worker, wrong: set[str]) -> None:
    """Submit an attempt that gets every question right except those whose prompt is in `wrong`."""
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    prompts = {q.position: q.source.prompt for q in attempt.questions.select_related("source")}
    answers = {pos: a for pos, a in right_answers(attempt).items() if prompts[pos] not in wrong}
    services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers, now=T0)


def test_a_question_harder_in_one_language_at_equal_skill_is_flagged(
    client, expert, admin_user, make_worker, assessment
):
    from assessments import analysis

    others = [p for p in assessment.bank.questions.values_list("prompt", flat=True) if p != "Box the car."]
    # English readers miss 0, 1 or 2 of the other seven questions (a different one each time) and get the
    # car right; French readers of the same skill pattern also miss the car. Totals overlap at 6 and 7
    # right, so at equal total score the car alone tells the groups apart.
    for i in range(24):
        missed = {others[(i + j) % 7] for j in range(i % 3)}
        _take(assessment, make_worker(language="en"), missed)
        _take(assessment, make_worker(language="fr"), missed | {"Box the car."})

    found = {(item.label, item.language): item for item in analysis.dif_by_language()}
    car = found[("Box the car.", "fr")]
    assert car.result.flagged and car.result.focal_n == 24 and car.language_name == "Français"
    assert not any(item.result.flagged for (label, _), item in found.items() if label != "Box the car.")
    # The same questions seen from the English side: the car favours them, so nothing against English.
    assert not found[("Box the car.", "en")].result.flagged

    client.force_login(expert)
    page = client.get(reverse("wagtailsnippets_assessments_assessment:analysis", args=[assessment.pk]))
    assert "Flagged: harder in this language" in page.content.decode()

    # The impact report lists it too, on the page and in its CSV (the attempts were taken on T0).
    client.force_login(admin_user)
    period = {"start": (T0 - timedelta(days=1)).date().isoformat(), "end": timezone.localdate().isoformat()}
    page = client.get(reverse("impact"), period).content.decode()
    assert "Box the car." in page and "in Français, against the other languages" in page
    rows = list(csv.reader(io.StringIO(client.get(reverse("impact_csv"), period).content.decode())))
    assert [row[:2] for row in rows[rows.index(["Question", "Language", "Δ", "χ²", "n"]) + 1 :]] == [
        ["Box the car.", "Français"]
    ]


def test_no_language_comparison_on_a_check_too_short_to_match_skill(make_worker, make_assessment):
    from assessments import analysis

    short = make_assessment(title="Two questions", slug="two-questions", questions_per_attempt=2)
    for i in range(12):
        _take(short, make_worker(language="en"), set())
        _take(short, make_worker(language="fr"), {"Box the car."} if i % 2 else set())
    assert analysis.dif_by_language(assessment_ids=[short.pk]) == []
