from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import openbadges, services
from assessments.models import BadgeAward, BadgeEvidence
from lms.models import LearningEvent

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def manual(worker, badge, assistant, now=T0, reason="Two years of tagging at another company"):
    return services.badge_award(worker=worker, badge=badge, by=assistant, reason=reason, now=now)


def test_manual_award_needs_who_and_why(worker, badge, assistant):
    with pytest.raises(services.AssessmentError):
        services.badge_award(worker=worker, badge=badge, reason="no one")
    with pytest.raises(services.AssessmentError):
        services.badge_award(worker=worker, badge=badge, by=assistant, reason="   ")
    assert not BadgeAward.objects.exists()


def test_one_active_award_renewed_with_evidence(worker, badge, assistant):
    first = manual(worker, badge, assistant)
    again = manual(worker, badge, assistant, now=T0 + timedelta(days=100), reason="Re-assessed on the floor")

    assert again.pk == first.pk
    assert again.expires_at == datetime(2027, 4, 20, 12, 0, tzinfo=UTC)
    assert [e.reason for e in BadgeEvidence.objects.filter(award=first)] == [
        "Two years of tagging at another company",
        "Re-assessed on the floor",
    ]
    assert LearningEvent.objects.filter(kind="badge_renewed").count() == 1


def test_the_database_refuses_a_second_active_award(worker, badge):
    BadgeAward.objects.create(worker=worker, badge=badge, recipient_salt="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeAward.objects.create(worker=worker, badge=badge, recipient_salt="b")


def test_expiry_sweep_and_a_new_award_after_expiry(worker, badge, assistant):
    first = manual(worker, badge, assistant)
    assert services.badge_expire_due(now=T0 + timedelta(days=364)) == 0
    assert services.badge_expire_due(now=T0 + timedelta(days=366)) == 1
    assert services.badge_expire_due(now=T0 + timedelta(days=367)) == 0

    first.refresh_from_db()
    assert first.status == "expired"
    second = manual(worker, badge, assistant, now=T0 + timedelta(days=400))
    assert second.pk != first.pk


def test_passing_again_after_the_expiry_date_but_before_the_sweep_starts_a_new_award(
    worker, badge, assistant
):
    first = manual(worker, badge, assistant)
    second = manual(worker, badge, assistant, now=T0 + timedelta(days=370))
    first.refresh_from_db()
    assert first.expired_at == first.expires_at
    assert second.pk != first.pk


def test_expiry_warning_is_sent_once(worker, badge, assistant):
    manual(worker, badge, assistant)
    assert services.badge_expiry_warn(now=T0 + timedelta(days=300)) == 0
    assert services.badge_expiry_warn(now=T0 + timedelta(days=360)) == 1
    assert services.badge_expiry_warn(now=T0 + timedelta(days=361)) == 0
    assert len(mail.outbox) == 1 and badge.name in mail.outbox[0].subject


def test_home_warns_before_expiry(worker_client, worker, badge, assistant):
    from django.utils import timezone

    manual(worker, badge, assistant, now=timezone.now() - timedelta(days=360))
    assert "expires on" in worker_client.get(reverse("home")).content.decode()


def test_revoke_with_reason(worker, badge, assistant):
    award = manual(worker, badge, assistant)
    with pytest.raises(services.AssessmentError):
        services.badge_revoke(award=award, by=assistant, reason="")
    services.badge_revoke(award=award, by=assistant, reason="Awarded to the wrong person")
    award.refresh_from_db()
    assert award.status == "revoked" and award.revoked_by == assistant
    assert manual(worker, badge, assistant).pk != award.pk  # a fresh award can follow a revoked one


def test_award_badge_command_prints_the_assertion_url(worker, badge, assistant):
    out = StringIO()
    call_command(
        "award_badge", worker.user.username, badge.slug, reason="Prior learning", by="assistant", stdout=out
    )
    award = BadgeAward.objects.get()
    assert out.getvalue().strip() == openbadges.assertion_url(award)
    assert award.evidence.get().awarded_by == assistant
    with pytest.raises(CommandError, match="No badge"):
        call_command("award_badge", worker.user.username, "nope", reason="x", by="assistant")
    with pytest.raises(CommandError, match="No worker"):
        call_command("award_badge", "ghost", badge.slug, reason="x", by="assistant")


def test_open_badges_documents_have_the_2_0_shapes(client, worker, badge, assistant, picture):
    badge.image = picture
    badge.save()
    award = manual(worker, badge, assistant)

    issuer = client.get(reverse("openbadges_issuer"))
    assert issuer["Content-Type"] == "application/ld+json"
    issuer = issuer.json()
    assert issuer["@context"] == "https://w3id.org/openbadges/v2"
    assert issuer["type"] == "Issuer" and issuer["id"] == "http://testserver/badges/issuer.json"
    assert {"name", "url", "email", "revocationList"} <= issuer.keys()

    badge_class = client.get(reverse("openbadges_badge", args=[badge.slug])).json()
    assert badge_class["type"] == "BadgeClass" and badge_class["issuer"] == issuer["id"]
    assert badge_class["id"] == "http://testserver/badges/bounding-boxes.json"
    assert badge_class["image"].startswith("http://testserver/") and badge_class["image"].endswith(".png")
    assert badge_class["criteria"]["narrative"] == badge.criteria
    assert {"name", "description"} <= badge_class.keys()

    assertion = client.get(reverse("openbadges_assertion", args=[award.uid])).json()
    assert assertion["type"] == "Assertion"
    assert assertion["id"] == f"http://testserver/badges/assertions/{award.uid}.json"
    assert assertion["badge"] == badge_class["id"]
    assert assertion["verification"] == {"type": "hosted"}
    recipient = assertion["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert recipient["identity"] == openbadges.recipient_identity(
        "voahangy@ladder.example", recipient["salt"]
    )
    assert recipient["identity"].startswith("sha256$") and len(recipient["identity"]) == 7 + 64
    assert "voahangy" not in str(assertion)
    datetime.fromisoformat(assertion["issuedOn"])
    datetime.fromisoformat(assertion["expires"])


def test_revoked_assertions_answer_410_and_are_listed(client, worker, badge, assistant):
    award = manual(worker, badge, assistant)
    services.badge_revoke(award=award, by=assistant, reason="Cheated on the check")

    response = client.get(reverse("openbadges_assertion", args=[award.uid]))
    assert response.status_code == 410
    assert (
        response.json()["revoked"] is True and response.json()["revocationReason"] == "Cheated on the check"
    )
    revocations = client.get(reverse("openbadges_revocations")).json()
    assert revocations["type"] == "RevocationList"
    assert revocations["revokedAssertions"] == [
        {"id": openbadges.assertion_url(award), "revocationReason": "Cheated on the check"}
    ]
    assert client.get(reverse("badge_share", args=[award.uid])).status_code == 410


def test_dates_for_the_worker_are_in_their_time_zone_on_pages_and_in_the_email(
    client, make_worker, badge, assistant
):
    worker = make_worker("kolkata", time_zone="Asia/Kolkata")
    award = services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    # 22:00 UTC on 1 January is 03:30 on 2 January in Kolkata.
    expires = datetime(2027, 1, 1, 22, 0, tzinfo=UTC)
    BadgeAward.objects.filter(pk=award.pk).update(expires_at=expires)

    assert services.badge_expiry_warn(now=datetime(2026, 12, 25, tzinfo=UTC)) == 1
    assert "expires on 2 January 2027" in mail.outbox[0].body
    client.force_login(worker.user)
    assert "Valid until 2 Jan 2027" in client.get(reverse("my_badges")).content.decode()


def test_the_public_badge_document_never_makes_a_rendition(client, badge, picture, admin_client):
    from wagtail.images.models import Rendition

    badge.image = picture
    badge.save()
    document = client.get(reverse("openbadges_badge", args=[badge.slug])).json()
    assert not Rendition.objects.exists()  # an anonymous GET wrote nothing
    assert "/original_images/street" in document["image"]  # the original until a rendition exists

    # Saving the badge in the admin makes its square picture; the document then points at it.
    form = {"name": badge.name, "slug": badge.slug, "description": "d", "criteria": "c", "skill": "s",
            "level": "entry", "image": picture.pk, "validity_months": "12"}  # fmt: skip
    saved = admin_client.post(reverse("skillbadge:edit", args=[badge.pk]), form)
    assert saved.status_code == 302, saved.content.decode()[:1500]
    assert Rendition.objects.count() == 1
    document = client.get(reverse("openbadges_badge", args=[badge.slug])).json()
    assert "fill-256x256" in document["image"]
