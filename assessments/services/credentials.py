"""Open Badges 3.0 credentials: issued with each award and renewal, signed after commit, revoked by status."""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import openbadges, selectors, tasks
from assessments.credentials import documents, proofs
from assessments.credentials.keys import KeyUnavailable, signing_key
from assessments.models import BadgeAward, BadgeCredential
from assessments.models.credentials import DID_VALIDATOR
from assessments.services.errors import AssessmentError
from lms.models import WorkerProfile
from lms.tasking import enqueue_on_commit

logger = logging.getLogger(__name__)


def credential_issue(*, award: BadgeAward, now: datetime) -> BadgeCredential:
    """A new credential for the award as it stands (validity, holder); signed once the award commits."""
    credential = BadgeCredential.objects.create(
        award=award, issued_at=now, valid_until=award.expires_at, subject_did=award.worker.wallet_did
    )
    enqueue_on_commit(tasks.credential_sign, credential.pk)
    return credential


def credential_signed(credential: BadgeCredential) -> tuple[dict, str]:
    """(the credential with its Data Integrity proof, the same as a compact JWS), computed, not stored.

    The same every time for the same key: the proof is dated by the issue and Ed25519 is deterministic.
    Raises KeyUnavailable when there is no key.
    """
    key = signing_key()
    image = selectors.badge_image_url(badge=credential.award.badge)
    document = documents.credential_document(credential, image_url=image and openbadges.absolute(image))
    secured = proofs.di_sign(
        document,
        key=key,
        verification_method=documents.key_id(key.multikey),
        created=documents.stamp(credential.issued_at),
    )
    return secured, proofs.jws_sign(document, key=key, kid=documents.jwk_id(key.multikey))


def credential_sign(*, credential_id: int) -> BadgeCredential:
    """Sign the credential both ways and keep the result; twice changes nothing."""
    credential = BadgeCredential.objects.select_related("award__badge__image", "award__worker__user").get(
        pk=credential_id
    )
    if credential.signed_at:
        return credential
    credential.document, credential.jwt = credential_signed(credential)
    credential.signed_at = timezone.now()
    BadgeCredential.objects.filter(pk=credential.pk, signed_at__isnull=True).update(
        document=credential.document, jwt=credential.jwt, signed_at=credential.signed_at
    )
    return credential


def credentials_sign_due(*, limit: int = 500) -> int:
    """Sign credentials whose after-commit task never ran (a broker outage); one bad row is reported and
    skipped, not the batch."""
    signed = 0
    for credential_id in BadgeCredential.objects.filter(signed_at__isnull=True).values_list("pk", flat=True)[
        :limit
    ]:
        try:
            credential_sign(credential_id=credential_id)
        except KeyUnavailable:
            raise
        except Exception:
            logger.exception("credential %s could not be signed; the next sweep tries again", credential_id)
            continue
        signed += 1
    return signed


@transaction.atomic
def wallet_did_set(*, worker: WorkerProfile, did: str, now: datetime | None = None) -> int:
    """Name the worker's wallet DID as the holder of their credentials (empty: the hashed email again).

    Every badge they hold now gets a fresh credential naming it; returns how many.
    """
    did = did.strip()
    if did:
        try:
            DID_VALIDATOR(did)
        except ValidationError as error:
            raise AssessmentError(error.messages[0]) from None
        if len(did) > 300:
            raise AssessmentError(_("A DID is at most 300 characters."))
    worker = WorkerProfile.objects.select_for_update().get(pk=worker.pk)
    if worker.wallet_did == did:
        return 0
    worker.wallet_did = did
    worker.save(update_fields=["wallet_did"])
    now = now or timezone.now()
    held = selectors.awards_active(worker_id=worker.pk, at=now).select_related("worker")
    for award in held:
        credential_issue(award=award, now=now)
    return len(held)
