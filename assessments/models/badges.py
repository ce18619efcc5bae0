import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from lms.translatable import Translatable


class SkillBadge(Translatable, models.Model):
    class Level(models.TextChoices):
        ENTRY = "entry", _("Entry")
        SKILLED = "skilled", _("Skilled")
        EXPERT = "expert", _("Expert")

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=600)
    criteria = models.TextField(help_text=_("What a worker must show to earn it, in plain words."))
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Square, at least 256 × 256: it is the badge's picture in Open Badges."),
    )
    skill = models.CharField(max_length=80)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.ENTRY)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty: never expires. Re-passing renews it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("criteria"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("skill"), FieldPanel("level"), FieldPanel("validity_months")]),
    ]

    translatable_fields = ("name",)
    translatable_long_fields = ("description", "criteria")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    """A badge held by a worker: at most one active (not revoked, not expired) per worker and badge."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="badge_awards")
    badge = models.ForeignKey(SkillBadge, on_delete=models.PROTECT, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)
    renewed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(max_length=300, blank=True)
    recipient_salt = models.CharField(max_length=32)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "badge"],
                condition=Q(revoked_at__isnull=True, expired_at__isnull=True),
                name="one_active_award_per_worker_badge",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revoked_award_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.badge} → {self.worker}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and self.expired_at is None
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if not self.is_active:
            return "expired"
        return "active"


class BadgeEvidence(models.Model):
    """Why an award was given or renewed: a passed attempt, or a person's decision with a reason."""

    award = models.ForeignKey(BadgeAward, on_delete=models.CASCADE, related_name="evidence")
    attempt = models.ForeignKey(
        "assessments.Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempt__isnull=False) | (Q(awarded_by__isnull=False) & ~Q(reason="")),
                name="evidence_is_attempt_or_reasoned_decision",
            )
        ]

    def __str__(self) -> str:
        return f"evidence for {self.award_id}"
