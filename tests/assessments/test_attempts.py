from datetime import UTC, datetime, timedelta

import pytest

from assessments import services
from assessments.models import Attempt, BadgeAward, BankQuestion, Regrade
from lms.models import LearningEvent
from tests.assessments.fixtures import right_answers

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_start_freezes_questions_and_resumes_the_open_attempt(worker, assessment, bank):
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)

    assert attempt.number == 1 and attempt.is_open
    assert attempt.questions.count() == 8
    assert (
        services.attempt_start(worker=worker, assessment=assessment, now=T0 + timedelta(minutes=5)) == attempt
    )
    assert LearningEvent.objects.filter(kind="attempt_started").count() == 1

    # Editing the bank later changes nothing in the running attempt.
    question = BankQuestion.objects.get(kind="short_text")
    question.accepted_answers = "something else"
    question.save()
    frozen = attempt.questions.get(kind="short_text")
    assert frozen.key["accepted"] == ["[unclear]", "unclear"]


def test_draw_respects_count_and_tag(worker, make_assessment, bank):
    BankQuestion.objects.filter(kind__in=["bounding_box", "image_tagging"]).update(tags="practical")
    assessment = make_assessment(questions_per_attempt=1, draw_tag="practical")

    kinds = {services.attempt_start(worker=worker, assessment=assessment).questions.get().kind}

    assert kinds <= {"bounding_box", "image_tagging"}


def test_draft_questions_are_never_drawn(worker, assessment, bank):
    BankQuestion.objects.filter(kind="numeric").update(live=False)
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    assert not attempt.questions.filter(kind="numeric").exists()


def test_choices_are_shuffled_with_fresh_ids_per_attempt(worker, make_worker, assessment):
    a = services.attempt_start(worker=worker, assessment=assessment).questions.get(kind="multiple")
    b = services.attempt_start(worker=make_worker(), assessment=assessment).questions.get(kind="multiple")
    assert {c["id"] for c in a.content["choices"]}.isdisjoint({c["id"] for c in b.content["choices"]})
    assert sorted(c["text"] for c in a.content["choices"]) == ["apple", "banana", "brick"]


def test_all_right_passes_awards_the_badge_and_logs_it(worker, assessment, badge):
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)

    result = services.attempt_submit(
        worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt), now=T0
    )

    attempt = result.attempt
    assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 100, True)
    award = BadgeAward.objects.get(worker=worker, badge=badge)
    assert award.evidence.get().attempt == attempt
    assert award.expires_at == datetime(2027, 11, 16, 9, 0, tzinfo=UTC)
    kinds = set(LearningEvent.objects.filter(worker=worker).values_list("kind", flat=True))
    assert {"attempt_started", "attempt_submitted", "attempt_passed", "badge_awarded"} <= kinds


def test_a_second_submit_is_counted_once(worker, assessment):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    first = services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt))
    second = services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses={1: None})
    assert second.attempt.score == first.attempt.score == 100
    assert LearningEvent.objects.filter(kind="attempt_submitted").count() == 1
    assert BadgeAward.objects.count() == 1


def test_a_fail_scores_partially_and_awards_nothing(worker, assessment):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    answers = right_answers(attempt)
    position = {q.kind: q.position for q in attempt.questions.all()}
    answers.update(
        {position["numeric"]: "99", position["short_text"]: "nope", position["transcription"]: "no idea"}
    )

    attempt = services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers).attempt

    assert attempt.score == 62.5 and attempt.passed is False
    assert not BadgeAward.objects.exists()


def test_bad_answers_are_refused_whole_and_nothing_is_saved(worker, assessment):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    by_kind = {q.kind: q.position for q in attempt.questions.all()}
    answers = right_answers(attempt)
    answers[by_kind["single"]] = "tampered-id"
    answers[by_kind["bounding_box"]] = ["80", "0", "40", "10"]  # sticks out of the picture
    answers[99] = "not in this attempt"

    with pytest.raises(services.ResponseErrors) as error:
        services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers)

    assert set(error.value.errors) == {by_kind["single"], by_kind["bounding_box"], 99}
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not attempt.questions.filter(response__isnull=False).exists()


def test_someone_elses_attempt_is_not_found(worker, make_worker, assessment):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    with pytest.raises(Attempt.DoesNotExist):
        services.attempt_submit(worker=make_worker(), attempt_id=attempt.pk, responses={})
    with pytest.raises(Attempt.DoesNotExist):
        services.attempt_answer_save(worker=make_worker(), attempt_id=attempt.pk, responses={1: "x"})


def test_max_attempts_and_cooldown(worker, make_assessment):
    assessment = make_assessment(max_attempts=2, cooldown_minutes=30)
    first = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    services.attempt_submit(worker=worker, attempt_id=first.pk, responses={}, now=T0)

    with pytest.raises(services.AssessmentError, match="try again in 30 min"):
        services.attempt_start(worker=worker, assessment=assessment, now=T0 + timedelta(minutes=1))
    second = services.attempt_start(worker=worker, assessment=assessment, now=T0 + timedelta(minutes=31))
    services.attempt_submit(worker=worker, attempt_id=second.pk, responses={}, now=T0 + timedelta(minutes=31))

    with pytest.raises(services.AssessmentError, match="used all your tries"):
        services.attempt_start(worker=worker, assessment=assessment, now=T0 + timedelta(days=1))
    assert Attempt.objects.count() == 2


def test_an_abandoned_attempt_closed_by_time_also_starts_the_cooldown(worker, make_assessment):
    assessment = make_assessment(time_limit_minutes=10, grace_seconds=30, cooldown_minutes=60)
    services.attempt_start(worker=worker, assessment=assessment, now=T0)
    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=11)) == 1
    with pytest.raises(services.AssessmentError, match="try again in"):
        services.attempt_start(worker=worker, assessment=assessment, now=T0 + timedelta(minutes=20))


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (0, True), (1, False)])
def test_deadline_plus_grace_to_the_second(offset, accepted, worker, make_assessment, time_machine):
    assessment = make_assessment(time_limit_minutes=10, grace_seconds=30)
    time_machine.move_to(T0, tick=False)
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    services.attempt_answer_save(worker=worker, attempt_id=attempt.pk, responses={1: None})
    time_machine.move_to(T0 + timedelta(minutes=10, seconds=30 + offset), tick=False)

    result = services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt))

    assert result.late is not accepted
    assert result.attempt.passed is accepted
    assert result.attempt.status == ("submitted" if accepted else "closed")
    if not accepted:
        with pytest.raises(services.AssessmentError):
            services.attempt_answer_save(worker=worker, attempt_id=attempt.pk, responses={1: None})


def test_saving_after_the_deadline_is_refused(worker, make_assessment):
    assessment = make_assessment(time_limit_minutes=5, grace_seconds=0)
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    with pytest.raises(services.AssessmentError, match="Time is up"):
        services.attempt_answer_save(
            worker=worker,
            attempt_id=attempt.pk,
            responses=right_answers(attempt),
            now=T0 + timedelta(minutes=6),
        )
    assert not attempt.questions.filter(response__isnull=False).exists()


def test_overdue_sweep_grades_what_was_saved_in_time(worker, make_assessment):
    assessment = make_assessment(time_limit_minutes=5, grace_seconds=10)
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    services.attempt_answer_save(
        worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt), now=T0
    )

    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=5, seconds=10)) == 0
    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=5, seconds=11)) == 1
    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=9)) == 0

    attempt.refresh_from_db()
    assert attempt.status == "closed" and attempt.passed
    assert attempt.finished_at == T0 + timedelta(minutes=5, seconds=10)


def test_regrade_uses_the_corrected_key_and_is_audited(worker, assistant, assessment, badge):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    answers = right_answers(attempt)
    numeric = attempt.questions.get(kind="numeric").position
    short = attempt.questions.get(kind="short_text").position
    answers[numeric] = "5"
    answers[short] = "mumble"
    attempt = services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers).attempt
    assert attempt.score == 75 and attempt.passed  # 6 of 8 right, pass mark 75

    # The author fixes a wrong key: the car had 5 wheels in that picture.
    question = BankQuestion.objects.get(kind="numeric")
    question.numeric_answer = 5
    question.save()
    with pytest.raises(services.AssessmentError):
        services.attempt_regrade(attempt=attempt, by=assistant, reason="  ")
    attempt = services.attempt_regrade(attempt=attempt, by=assistant, reason="Key was wrong: 5 wheels.")

    assert attempt.score == 87.5
    regrade = Regrade.objects.get()
    assert (regrade.old_score, regrade.new_score, regrade.by) == (75, 87.5, assistant)
    assert BadgeAward.objects.count() == 1


def test_a_regrade_from_pass_to_fail_revokes_the_badge_it_earned(worker, assistant, assessment, badge):
    from assignment.models import TaskType

    attempt = services.attempt_start(worker=worker, assessment=assessment)
    answers = right_answers(attempt)
    answers[attempt.questions.get(kind="short_text").position] = "mumble"
    answers[attempt.questions.get(kind="true_false").position] = "true"
    attempt = services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers).attempt
    assert attempt.score == 75 and attempt.passed
    award = BadgeAward.objects.get()
    boxes = TaskType.objects.create(code="boxes", name="Boxes", pay_rate="0.03")
    boxes.required_badges.set([badge])
    from assignment.selectors import eligibility_public
    from assignment.services import eligibility_recompute

    eligibility_recompute(worker=worker, reason="new task type")
    assert eligibility_public(external_id=worker.external_id)["task_types"][0]["eligible"]

    # The key of the numeric question was wrong the other way: the worker's 4 is not right after all.
    question = BankQuestion.objects.get(kind="numeric")
    question.numeric_answer = 5
    question.save()
    attempt = services.attempt_regrade(attempt=attempt, by=assistant, reason="Five wheels.")

    assert not attempt.passed
    award.refresh_from_db()
    assert award.revoked_at is not None and award.revoked_by == assistant
    assert award.revocation_reason.startswith("Regrade")
    assert not eligibility_public(external_id=worker.external_id)["task_types"][0]["eligible"]


def test_a_regrade_to_fail_keeps_a_badge_that_a_later_pass_renewed(worker, assistant, assessment, badge):
    first = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    answers = right_answers(first)
    answers[first.questions.get(kind="short_text").position] = "mumble"
    answers[first.questions.get(kind="true_false").position] = "true"
    services.attempt_submit(worker=worker, attempt_id=first.pk, responses=answers, now=T0)
    second = services.attempt_start(worker=worker, assessment=assessment, now=T0 + timedelta(days=1))
    services.attempt_submit(
        worker=worker, attempt_id=second.pk, responses=right_answers(second), now=T0 + timedelta(days=1)
    )
    question = BankQuestion.objects.get(kind="numeric")
    question.numeric_answer = 5
    question.save()

    assert not services.attempt_regrade(attempt=first, by=assistant, reason="Five wheels.").passed
    assert BadgeAward.objects.get().revoked_at is None


def test_a_failed_badge_try_does_not_hand_over_the_answers_for_the_next(worker, make_assessment, bank):
    from assessments.models import Assessment
    from assessments.selectors import questions_for_attempt

    # The red team's check: the bank has as many questions as a try draws.
    check = make_assessment(slug="harvest", questions_per_attempt=4)
    assert check.show_answers == Assessment.ShowAnswers.AFTER_PASS  # the safe default
    first = services.attempt_start(worker=worker, assessment=check, now=T0)
    services.attempt_submit(worker=worker, attempt_id=first.pk, responses={}, now=T0)
    first.refresh_from_db()
    assert not first.passed
    assert all(
        q["answer"] == "" and q["gold_box_percent"] is None for q in questions_for_attempt(attempt=first)
    )

    # Straight away: refused, whatever the check's own cool-down says.
    with pytest.raises(services.AssessmentError, match="try again in"):
        services.attempt_start(worker=worker, assessment=check, now=T0 + timedelta(minutes=5))
    later = T0 + timedelta(minutes=services.attempts.BADGE_MIN_COOLDOWN_MINUTES + 1)
    assert services.attempt_start(worker=worker, assessment=check, now=later).is_open


def test_questions_whose_answers_were_shown_are_not_drawn_again(worker, make_assessment, bank):
    check = make_assessment(slug="open-book", questions_per_attempt=4, show_answers="after_submit")
    first = services.attempt_start(worker=worker, assessment=check, now=T0)
    services.attempt_submit(worker=worker, attempt_id=first.pk, responses={}, now=T0)
    shown = set(first.questions.values_list("source_id", flat=True))

    later = T0 + timedelta(hours=1)
    second = services.attempt_start(worker=worker, assessment=check, now=later)
    assert shown.isdisjoint(second.questions.values_list("source_id", flat=True))
    services.attempt_submit(worker=worker, attempt_id=second.pk, responses={}, now=later)
    # Every question's answer has now been shown: no third try until the bank grows.
    with pytest.raises(services.AssessmentError, match="not enough new questions"):
        services.attempt_start(worker=worker, assessment=check, now=later + timedelta(hours=1))


def test_authors_are_warned_when_a_badge_checks_bank_is_small(admin_client, make_assessment, bank):
    from django.urls import reverse

    check = make_assessment(slug="small-bank", questions_per_attempt=4)
    page = admin_client.get(reverse("wagtailsnippets_assessments_assessment:edit", args=[check.pk]))
    assert "The bank has 8 live questions for 4 per try" in page.content.decode()
    roomy = make_assessment(slug="roomy", questions_per_attempt=2)
    page = admin_client.get(reverse("wagtailsnippets_assessments_assessment:edit", args=[roomy.pk]))
    assert "live questions for" not in page.content.decode()


@pytest.mark.parametrize("typed", ["1E999999999", "1e-99999", "NaN", "Infinity", "9" * 20])
def test_a_number_beyond_any_real_answer_is_refused_when_saved(worker, assessment, typed):
    attempt = services.attempt_start(worker=worker, assessment=assessment, now=T0)
    numeric = attempt.questions.get(kind="numeric").position
    with pytest.raises(services.ResponseErrors) as refused:
        services.attempt_answer_save(worker=worker, attempt_id=attempt.pk, responses={numeric: typed}, now=T0)
    assert "Enter a number" in refused.value.errors[numeric]


def test_an_answer_stored_before_the_bound_is_graded_wrong_and_the_sweep_closes_every_other(
    worker, make_worker, make_assessment
):
    from assessments.models import AttemptQuestion

    timed = make_assessment(slug="timed", time_limit_minutes=5)
    attempts = [
        services.attempt_start(worker=w, assessment=timed, now=T0)
        for w in (worker, make_worker(), make_worker())
    ]
    # Saved by an older version that did not bound numbers (the red team's answer).
    AttemptQuestion.objects.filter(attempt=attempts[0], kind="numeric").update(response="1E999999999")
    AttemptQuestion.objects.filter(attempt=attempts[1], kind="numeric").update(key={"answer": "x"})

    assert services.attempts_close_overdue(now=T0 + timedelta(minutes=10)) == 3
    for attempt in attempts:
        attempt.refresh_from_db()
        assert attempt.status == "closed"
    assert AttemptQuestion.objects.get(attempt=attempts[0], kind="numeric").fraction == 0.0


def test_a_regrade_after_a_choices_text_was_edited_matches_the_choice_not_its_words(
    worker, assistant, assessment, badge
):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt))
    question = BankQuestion.objects.get(kind="single")
    # The author rewords both choices and finds the key was the wrong way round.
    car, tree = question.choices[0].value, question.choices[1].value
    car["text"], car["correct"] = "a car (vehicle)", False
    tree["text"], tree["correct"] = "a tree (plant)", True
    question.save()

    attempt = services.attempt_regrade(attempt=attempt, by=assistant, reason="Key was reversed.")

    frozen = attempt.questions.get(kind="single")
    assert frozen.fraction == 0.0  # the worker chose "car", now the wrong choice
    assert [c["text"] for c in frozen.content["choices"] if c["id"] in frozen.key["correct"]] == ["tree"]
