"""Open Badges 2.0 hosted verification documents (JSON-LD), built from awards and badges."""

import hashlib

from django.conf import settings
from django.urls import reverse

from assessments.models import BadgeAward, SkillBadge

CONTEXT = "https://w3id.org/openbadges/v2"


def absolute(path: str) -> str:
    return settings.LADDER_PUBLIC_URL.rstrip("/") + path


def issuer_url() -> str:
    return absolute(reverse("openbadges_issuer"))


def badge_class_url(badge: SkillBadge) -> str:
    return absolute(reverse("openbadges_badge", args=[badge.slug]))


def assertion_url(award: BadgeAward) -> str:
    return absolute(reverse("openbadges_assertion", args=[award.uid]))


def recipient_identity(email: str, salt: str) -> str:
    """`sha256$` + hex digest of the normalised email followed by the salt, as OB 2.0 specifies."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issuer_document() -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": settings.LADDER_ISSUER_NAME,
        "url": absolute("/"),
        "email": settings.LADDER_ISSUER_EMAIL,
        "revocationList": absolute(reverse("openbadges_revocations")),
    }


def badge_class_document(badge: SkillBadge, *, image_url: str) -> dict:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(badge),
        "name": badge.name,
        "description": badge.description,
        "image": image_url,
        "criteria": {"id": absolute(reverse("badge_detail", args=[badge.slug])), "narrative": badge.criteria},
        "issuer": issuer_url(),
        "tags": [badge.skill, badge.get_level_display()],
    }


def assertion_document(award: BadgeAward) -> dict:
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(award),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.recipient_salt,
            "identity": recipient_identity(award.worker.user.email, award.recipient_salt),
        },
        "badge": badge_class_url(award.badge),
        "issuedOn": award.awarded_at.isoformat(),
        "verification": {"type": "hosted"},
        "evidence": absolute(reverse("badge_share", args=[award.uid])),
        "narrative": award.badge.criteria,
    }
    if award.expires_at:
        document["expires"] = award.expires_at.isoformat()
    if award.revoked_at:
        document["revoked"] = True
        document["revocationReason"] = award.revocation_reason
    return document


def revocation_list_document(awards) -> dict:
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": absolute(reverse("openbadges_revocations")),
        "issuer": issuer_url(),
        "revokedAssertions": [
            {"id": assertion_url(award), "revocationReason": award.revocation_reason} for award in awards
        ],
    }
