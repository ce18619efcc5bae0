"""Reading a credential someone dropped on the verify page: what it is, and each check in words.

Never raises on bad input: whatever arrives (a tampered JWS, a changed byte in the JSON, another issuer's
credential, a picture without a credential, random bytes) becomes a verdict that says which.
"""

import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments import openbadges, selectors
from assessments.credentials import baking, documents, proofs
from assessments.credentials.keys import KeyUnavailable, previous_keys, public_key, signing_key

MAX_CREDENTIAL_CHARACTERS = 64 * 1024


@dataclass
class Check:
    ok: bool | None  # None: could not be told
    label: str
    detail: str


@dataclass
class Verdict:
    valid: bool
    summary: str
    form: str = ""  # "JWS" or "Data Integrity"
    badge: str = ""
    issuer: str = ""
    checks: list[Check] = field(default_factory=list)


class Unreadable(Exception):
    pass


def _known_keys() -> list[str]:
    try:
        current = [signing_key().multikey]
    except KeyUnavailable:
        current = []
    return current + [key for key in previous_keys() if key not in current]


def _text(data: bytes | None, pasted: str) -> str:
    if data:
        if baking.is_png(data):
            try:
                found = baking.unbake(data)
            except (OSError, ValueError, SyntaxError):
                raise Unreadable(_("The picture cannot be read.")) from None
            if not found:
                raise Unreadable(_("The picture has no credential baked into it.")) from None
            return found
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = "\0"
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
            raise Unreadable(_("The file is neither a credential (JSON or JWT) nor a badge picture."))
        return text
    return pasted


def _read(text: str) -> tuple[dict, str, object]:
    """(credential, form, signature check) where the check is a callable taking a public key."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise Unreadable(_("Nothing was given: choose a file or paste a credential."))
    if len(text) > MAX_CREDENTIAL_CHARACTERS:
        # Canonicalising JSON-LD costs time with its size: a real credential is a few KB.
        raise Unreadable(_("This is too long to be a badge credential (at most 64 KB of text)."))
    if text.startswith("{"):
        try:
            secured = json.loads(text)
        except ValueError:
            raise Unreadable(_("The JSON cannot be read: it is broken or cut short.")) from None
        if not isinstance(secured, dict):
            raise Unreadable(_("The JSON is not a credential."))
        try:
            proof = proofs.di_parts(secured)[1]
        except proofs.ProofError as error:
            raise Unreadable(
                _("The JSON is not a signed credential: %(reason)s.") % {"reason": error}
            ) from None
        return (
            secured,
            "Data Integrity",
            (proof["verificationMethod"], lambda key: proofs.di_check(secured, key)),
        )
    try:
        header, payload, signing_input, signature = proofs.jws_parts(text)
    except proofs.ProofError as error:
        raise Unreadable(
            _("This is not a credential Ladder can read: %(reason)s.") % {"reason": error}
        ) from None
    kid = str(header.get("kid", ""))
    return payload, "JWS", (kid, lambda key: proofs.jws_check(signing_input, signature, key))


def _issuer_id(credential: dict) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")


def _check_signature(credential: dict, key_reference: tuple) -> Check:
    method, check = key_reference
    did = documents.issuer_did()
    label = _("Signature")
    if not method.startswith(did + "#"):
        return Check(None, label, _("Signed with a key that is not Ladder's; it cannot be checked here."))
    multikey = method.split("#", 1)[1].removesuffix("-jwk")
    if multikey not in _known_keys():
        return Check(False, label, _("Signed with a key Ladder never had."))
    try:
        valid = check(public_key(multikey))
    except (proofs.ProofError, ValueError):
        valid = False
    if not valid:
        return Check(
            False, label, _("The signature does not match: the credential was changed after it was signed.")
        )
    return Check(True, label, _("Valid: signed by Ladder's key and not changed since."))


def _check_recipient(credential: dict, person: str) -> Check:
    label = _("Recipient")
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if not person.strip():
        return Check(
            None, label, _("Enter the person's email address (or DID) to check the badge is theirs.")
        )
    person = person.strip()
    if person.startswith("did:"):
        same = hmac.compare_digest(str(subject.get("id", "")), person)
    else:
        identities = subject.get("identifier") if isinstance(subject.get("identifier"), list) else []
        same = any(
            isinstance(item, dict)
            and hmac.compare_digest(
                str(item.get("identityHash", "")),
                openbadges.recipient_identity(person, str(item.get("salt", ""))),
            )
            for item in identities
        )
    if same:
        return Check(True, label, _("The badge was issued to %(person)s.") % {"person": person})
    return Check(False, label, _("The badge was not issued to %(person)s.") % {"person": person})


def _status(credential: dict) -> Check:
    label = _("Revoked")
    entry = credential.get("credentialStatus")
    entry = entry if isinstance(entry, dict) else {}
    list_url = str(entry.get("statusListCredential", ""))
    prefix = documents.status_list_url(1).removesuffix("1")
    try:
        number = int(list_url.removeprefix(prefix)) if list_url.startswith(prefix) else 0
        index = int(str(entry.get("statusListIndex", "")))
    except ValueError:
        number = index = 0
    found = selectors.credential_by_status(list_number=number, index=index) if number else None
    if found is None or credential.get("id") != f"urn:uuid:{found.award.uid}:{found.pk}":
        return Check(None, label, _("Its status entry is not one of Ladder's lists."))
    if found.award.revoked_at:
        day = date_format(found.award.revoked_at, "DATE_FORMAT")
        return Check(False, label, _("Revoked on %(day)s.") % {"day": day})
    return Check(True, label, _("Not revoked."))


def _moment(value) -> datetime | None:
    """A date and time the credential states, read as UTC when it names no zone; None when unreadable."""
    try:
        moment = parse_datetime(str(value)) if value else None
    except ValueError:  # well formed but impossible, like month 13
        return None
    if moment and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _validity(credential: dict, now: datetime) -> Check:
    label = _("Expiry")
    start = _moment(credential.get("validFrom"))
    end = _moment(credential.get("validUntil"))
    if credential.get("validUntil") and end is None:
        return Check(False, label, _("Its end of validity cannot be read."))
    if start and start > now:
        return Check(
            False, label, _("Not valid yet: valid from %(day)s.") % {"day": date_format(start, "DATE_FORMAT")}
        )
    if end and end <= now:
        return Check(False, label, _("Expired on %(day)s.") % {"day": date_format(end, "DATE_FORMAT")})
    if end:
        return Check(True, label, _("Valid until %(day)s.") % {"day": date_format(end, "DATE_FORMAT")})
    return Check(True, label, _("Does not expire."))


def verify(*, data: bytes | None, pasted: str, person: str, now: datetime) -> Verdict:
    """Every check of a dropped file or pasted credential, in words; `valid` only when all pass."""
    try:
        credential, form, key_reference = _read(_text(data, pasted))
    except Unreadable as error:
        return Verdict(valid=False, summary=str(error))
    types = credential.get("type") if isinstance(credential.get("type"), list) else [credential.get("type")]
    subject = (
        credential.get("credentialSubject") if isinstance(credential.get("credentialSubject"), dict) else {}
    )
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    verdict = Verdict(valid=False, summary="", form=form, badge=str(achievement.get("name", "")))
    issuer = _issuer_id(credential)
    verdict.issuer = issuer
    if "OpenBadgeCredential" not in types and "AchievementCredential" not in types:
        verdict.summary = _("This is a signed credential, but not an Open Badge.")
        return verdict
    if issuer != documents.issuer_did():
        verdict.summary = _(
            "Issued by %(issuer)s, not by %(name)s: this page checks only %(name)s's badges."
        ) % {
            "issuer": issuer or _("an unnamed issuer"),
            "name": settings.LADDER_ISSUER_NAME,
        }
        return verdict
    verdict.checks = [
        _check_signature(credential, key_reference),
        _status(credential),
        _validity(credential, now),
        _check_recipient(credential, person),
    ]
    verdict.valid = all(check.ok is not False for check in verdict.checks) and verdict.checks[0].ok is True
    verdict.summary = _("This badge is valid.") if verdict.valid else _("This badge cannot be trusted.")
    return verdict
