"""Every state change of assessments and badges goes through these functions."""

from assessments.services.attempts import (
    attempt_answer_save,
    attempt_regrade,
    attempt_start,
    attempt_submit,
    attempts_close_overdue,
)
from assessments.services.badges import (
    badge_award,
    badge_expire_due,
    badge_expiry_warn,
    badge_revoke,
)
from assessments.services.banks import GiftImportError, bank_import_gift, content_review_setup
from assessments.services.credentials import (
    credential_issue,
    credential_sign,
    credential_signed,
    credentials_sign_due,
    wallet_did_set,
)
from assessments.services.errors import AssessmentError, ResponseErrors

__all__ = [
    "AssessmentError",
    "GiftImportError",
    "ResponseErrors",
    "attempt_answer_save",
    "attempt_regrade",
    "attempt_start",
    "attempt_submit",
    "attempts_close_overdue",
    "badge_award",
    "bank_import_gift",
    "content_review_setup",
    "credential_issue",
    "credential_sign",
    "credential_signed",
    "credentials_sign_due",
    "badge_expire_due",
    "badge_expiry_warn",
    "badge_revoke",
    "wallet_did_set",
]
