from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models.banks import BankQuestion
from assessments.models.checks import Assessment
from assessments.models.rules import FRACTION, PERCENT


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        CLOSED = "closed", _("Closed when time ran out")

    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="attempts")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True)
    grace_seconds = models.PositiveSmallIntegerField(default=0)
    pass_mark = models.PositiveSmallIntegerField(validators=PERCENT)
    finished_at = models.DateTimeField(null=True, blank=True)
    points_earned = models.FloatField(null=True, blank=True)
    points_possible = models.PositiveIntegerField(default=0)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT)
    passed = models.BooleanField(null=True)
    # The language the questions were shown in; grading never reads it (choices and labels are the same
    # items in every language), item analysis and the fairness reports split by it.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "assessment"], condition=Q(status="open"), name="one_open_attempt"
            ),
            models.UniqueConstraint(fields=["worker", "assessment", "number"], name="attempt_number_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="attempt_score_0_100"
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline_at"])]

    def __str__(self) -> str:
        return f"{self.assessment} #{self.number} ({self.worker})"

    @property
    def answers_shown(self) -> bool:
        """Whether the result page shows the right answers (by the check's policy), once finished."""
        policy = self.assessment.show_answers
        return not self.is_open and (
            policy == Assessment.ShowAnswers.AFTER_SUBMIT
            or (policy == Assessment.ShowAnswers.AFTER_PASS and bool(self.passed))
        )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def closes_at(self):
        """The last moment a submission is accepted: the deadline plus the grace."""
        if self.deadline_at is None:
            return None
        return self.deadline_at + timedelta(seconds=self.grace_seconds)


class AttemptQuestion(models.Model):
    """A question as it was when the attempt started: what the worker sees, and the key they must not."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    source = models.ForeignKey(BankQuestion, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=BankQuestion.Kind.choices)
    points = models.PositiveSmallIntegerField()
    content = models.JSONField(help_text="Only what the worker may see before submitting.")
    key = models.JSONField(help_text="Answer key and feedback: never sent before submission.")
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True, validators=FRACTION)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_question_position")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} Q{self.position}"

    @property
    def is_correct(self) -> bool:
        return self.fraction is not None and self.fraction >= 0.999


class Regrade(models.Model):
    """An audited change of an attempt's result by an admin."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrades")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    old_score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"regrade of {self.attempt_id}"
