"""The documents of Open Badges 3.0: the issuer's DID document, each OpenBadgeCredential, the status lists."""

import gzip
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse

from assessments import openbadges
from assessments.credentials.encoding import b64url, multikey_bytes, unb64url
from assessments.credentials.keys import IssuerKey, previous_keys
from assessments.credentials.proofs import OB_CONTEXT, VC_CONTEXT
from assessments.models import STATUS_LIST_SIZE, BadgeCredential


def issuer_did() -> str:
    """`did:web:` + the public host (a port written %3A), resolved at /.well-known/did.json."""
    host = urlsplit(settings.LADDER_PUBLIC_URL).netloc
    return "did:web:" + quote(host, safe="")


def key_id(multikey: str) -> str:
    return f"{issuer_did()}#{multikey}"


def jwk_id(multikey: str) -> str:
    return f"{issuer_did()}#{multikey}-jwk"


def stamp(moment: datetime) -> str:
    """XML Schema dateTime in UTC to the second, as VC 2.0 writes validFrom and validUntil."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def did_document(key: IssuerKey) -> dict:
    """The current key and every earlier one, each as a Multikey (Data Integrity) and a JWK (JOSE)."""
    did = issuer_did()
    methods = []
    for multikey in [key.multikey, *[old for old in previous_keys() if old != key.multikey]]:
        methods.append(
            {"id": key_id(multikey), "type": "Multikey", "controller": did, "publicKeyMultibase": multikey}
        )
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(multikey_bytes(multikey))}
        methods.append({"id": jwk_id(multikey), "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk})
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def status_list_url(number: int) -> str:
    return openbadges.absolute(reverse("credential_status_list", args=[number]))


def _subject(credential: BadgeCredential, image_url: str | None) -> dict:
    award = credential.award
    badge = award.badge
    achievement = {
        "id": openbadges.badge_class_url(badge),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.name,
        "description": badge.description,
        "criteria": {
            "id": openbadges.absolute(reverse("badge_detail", args=[badge.slug])),
            "narrative": badge.criteria,
        },
        "tag": [badge.skill, badge.get_level_display()],
    }
    if image_url:
        achievement["image"] = {"id": image_url, "type": "Image"}
    subject = {"type": ["AchievementSubject"], "achievement": achievement}
    if credential.subject_did:
        subject["id"] = credential.subject_did
    else:
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "hashed": True,
                "identityHash": openbadges.recipient_identity(award.worker.user.email, award.recipient_salt),
                "identityType": "emailAddress",
                "salt": award.recipient_salt,
            }
        ]
    return subject


def credential_document(credential: BadgeCredential, *, image_url: str | None) -> dict:
    """The unsigned OpenBadgeCredential (VC Data Model 2.0) of one issuance."""
    award = credential.award
    status_url = status_list_url(credential.status_list)
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{award.uid}:{credential.pk}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": award.badge.name,
        "issuer": {
            "id": issuer_did(),
            "type": ["Profile"],
            "name": settings.LADDER_ISSUER_NAME,
            "url": openbadges.absolute("/"),
            "email": settings.LADDER_ISSUER_EMAIL,
        },
        "validFrom": stamp(credential.issued_at),
        "credentialSubject": _subject(credential, image_url),
        "credentialStatus": {
            "id": f"{status_url}#{credential.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(credential.status_index),
            "statusListCredential": status_url,
        },
    }
    if credential.valid_until:
        document["validUntil"] = stamp(credential.valid_until)
    return document


def encoded_list(indexes) -> str:
    """Multibase base64url of the GZIP-compressed bitstring; index 0 is the first byte's highest bit."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def decoded_list(text: str) -> bytes:
    if not text.startswith("u"):
        raise ValueError("the status list is not multibase base64url")
    return gzip.decompress(unb64url(text[1:]))


def status_list_document(number: int, *, revoked_indexes, now: datetime) -> dict:
    """The unsigned BitstringStatusListCredential of list `number` (revocation)."""
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": stamp(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_indexes),
        },
    }
