from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import BadgeAward, BankQuestion, QuestionBank, Regrade
from tests.assessments.fixtures import right_answers

SAMPLE = Path(__file__).parent / "data" / "sample.gift"


def test_admin_screens_open(admin_client, worker, assessment, badge, bank):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt))
    award = BadgeAward.objects.get()
    question = BankQuestion.objects.get(kind="bounding_box")
    urls = [
        reverse("wagtailsnippets_assessments_assessment:list"),
        reverse("wagtailsnippets_assessments_assessment:edit", args=[assessment.pk]),
        reverse("wagtailsnippets_assessments_bankquestion:list"),
        reverse("wagtailsnippets_assessments_bankquestion:edit", args=[question.pk]),
        reverse("wagtailsnippets_assessments_bankquestion:add"),
        reverse("question_banks:index"),
        reverse("question_banks:edit", args=[bank.pk]),
        reverse("attempts:index"),
        reverse("attempts:inspect", args=[attempt.pk]),
        reverse("badge_awards:index"),
        reverse("badge_awards:inspect", args=[award.pk]),
        reverse("badge_awards:add"),
        reverse("wagtailsnippets_assessments_assessment:analysis", args=[assessment.pk]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url
    edit = admin_client.get(reverse("wagtailsnippets_assessments_bankquestion:edit", args=[question.pk]))
    assert 'data-part="x"' in edit.content.decode() and "bbox.js" in edit.content.decode()


def test_gift_upload_in_admin(admin_client, db):
    bank = QuestionBank.objects.create(title="Uploaded")
    url = reverse("question_banks:import_gift", args=[bank.pk])
    bad = SimpleUploadedFile("bad.gift", b"::x::Which? {~a ~b}\n")
    response = admin_client.post(url, {"file": bad})
    assert response.status_code == 200 and "Line 1: no answer is marked right" in response.content.decode()
    assert not BankQuestion.objects.exists()

    good = SimpleUploadedFile("sample.gift", SAMPLE.read_bytes())
    response = admin_client.post(url, {"file": good})
    assert response.status_code == 302
    assert bank.questions.filter(live=True).count() == 9


def test_question_form_refuses_incomplete_keys(admin_client, bank):
    url = reverse("wagtailsnippets_assessments_bankquestion:add")
    data = {
        "bank": bank.pk,
        "kind": "bounding_box",
        "prompt": "Box it",
        "points": 1,
        "numeric_tolerance": "0",
        "min_f1": "0.8",
        "min_iou": "0.5",
        "max_cer": "0.1",
        "choices-count": "0",
        "gold_box_0": "80",
        "gold_box_1": "10",
        "gold_box_2": "40",
        "gold_box_3": "10",
    }
    html = admin_client.post(url, data).content.decode()
    assert "The box must have a width and a height and stay inside the picture." in html
    assert "This practical check needs a picture." in html
    assert not BankQuestion.objects.filter(prompt="Box it").exists()


def test_manual_award_revoke_and_regrade_through_admin(admin_client, admin_user, worker, badge, assessment):
    response = admin_client.post(
        reverse("badge_awards:add"), {"worker": worker.pk, "badge": badge.pk, "reason": "Certified elsewhere"}
    )
    award = BadgeAward.objects.get()
    assert response.status_code == 302
    assert award.evidence.get().awarded_by == admin_user
    assert (
        admin_client.post(reverse("badge_awards:revoke", args=[award.pk]), {"reason": ""}).status_code == 200
    )
    admin_client.post(reverse("badge_awards:revoke", args=[award.pk]), {"reason": "Mistake"})
    award.refresh_from_db()
    assert award.status == "revoked"

    attempt = services.attempt_start(worker=worker, assessment=assessment)
    services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses={})
    admin_client.post(reverse("attempts:regrade", args=[attempt.pk]), {"reason": "Checked the key"})
    assert Regrade.objects.get().reason == "Checked the key"


def test_item_analysis_numbers(worker, make_worker, assessment):
    from assessments import analysis

    for n in range(8):
        who = worker if n == 0 else make_worker()
        attempt = services.attempt_start(worker=who, assessment=assessment)
        answers = right_answers(attempt)
        # Strong workers get everything right; weak ones miss the numeric question and others.
        keep = 8 if n < 4 else 4
        positions = sorted(answers, key=lambda p: attempt.questions.get(position=p).kind != "numeric")
        chosen = {p: answers[p] for p in positions[: keep if n < 4 else 0]} | (
            {p: answers[p] for p in positions[1 : 1 + keep]} if n >= 4 else {}
        )
        services.attempt_submit(worker=who, attempt_id=attempt.pk, responses=chosen)

    stats = analysis.assessment_stats(assessment=assessment)
    assert (stats.finished, stats.pass_rate, stats.workers_passed, stats.mean_attempts_to_pass) == (
        8,
        0.5,
        4,
        1.0,
    )
    items = {item.kind: item for item in analysis.item_stats(assessment=assessment)}
    assert items["numeric"].share_correct == 0.5
    assert items["numeric"].discrimination == 1.0  # every strong attempt right, every weak one wrong
    assert all(item.attempts == 8 for item in items.values())
