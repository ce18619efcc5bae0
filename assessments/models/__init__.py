"""Skill checks and badges: badges and their awards, question banks, checks, attempts and regrades."""

from assessments.models.attempts import Attempt, AttemptQuestion, Regrade
from assessments.models.badges import BadgeAward, BadgeEvidence, SkillBadge
from assessments.models.banks import BankQuestion, ChoiceBlock, QuestionBank
from assessments.models.checks import Assessment
from assessments.models.credentials import STATUS_LIST_SIZE, BadgeCredential
from assessments.models.rules import EXPIRY_WARNING_DAYS, FRACTION, PERCENT

__all__ = [
    "EXPIRY_WARNING_DAYS",
    "FRACTION",
    "PERCENT",
    "STATUS_LIST_SIZE",
    "Assessment",
    "Attempt",
    "AttemptQuestion",
    "BadgeAward",
    "BadgeCredential",
    "BadgeEvidence",
    "BankQuestion",
    "ChoiceBlock",
    "QuestionBank",
    "Regrade",
    "SkillBadge",
]
