from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from lms.translatable import Translatable


class CareerPath(Translatable, ClusterableModel):
    """An ordered list of levels a worker climbs, e.g. Trainee → … → Team lead."""

    translatable_fields = ("name",)
    translatable_long_fields = ("description",)

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        InlinePanel("levels", heading=_("Levels, lowest first"), label=_("Level"), min_num=1),
    ]

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class CareerLevel(Translatable, ClusterableModel, Orderable):
    """A level of a path. Clusterable so its badge choices save with the path's form (modelcluster)."""

    translatable_fields = ("name",)
    translatable_long_fields = ("description",)

    path = ParentalKey(CareerPath, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True, help_text=_("The id the work system sees."))
    description = models.TextField(blank=True)
    required_badges = ParentalManyToManyField("assessments.SkillBadge", blank=True, related_name="+")
    min_streak_weeks = models.PositiveSmallIntegerField(
        default=0, help_text=_("Weeks in a row meeting the weekly learning goal. 0: not required.")
    )
    min_accuracy = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Work accuracy over the window, e.g. 0.92. Empty: not required."),
    )
    accuracy_window_days = models.PositiveSmallIntegerField(default=28, validators=[MinValueValidator(1)])
    needs_approval = models.BooleanField(default=False, help_text=_("A manager approves the promotion."))
    team_lead = models.BooleanField(
        default=False, help_text=_("Reaching this level makes the worker a manager of their team.")
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("required_badges"),
                FieldRowPanel(
                    [
                        FieldPanel("min_streak_weeks"),
                        FieldPanel("min_accuracy"),
                        FieldPanel("accuracy_window_days"),
                    ]
                ),
                FieldRowPanel([FieldPanel("needs_approval"), FieldPanel("team_lead")]),
            ],
            heading=_("Requirements"),
        ),
    ]

    class Meta(Orderable.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class CareerStatus(models.Model):
    """Where a worker is on their path, and their readiness for the next level (recomputed on change)."""

    worker = models.OneToOneField("lms.WorkerProfile", on_delete=models.CASCADE, related_name="career")
    path = models.ForeignKey(CareerPath, on_delete=models.CASCADE, related_name="statuses")
    level = models.ForeignKey(CareerLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level_since = models.DateTimeField(default=timezone.now)
    next_level = models.ForeignKey(
        CareerLevel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requirements = models.JSONField(default=list, help_text="Each: kind, label, met, progress.")
    ready = models.BooleanField(
        default=False, help_text=_("Everything but a manager's approval is met for the next level.")
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("career statuses")
        indexes = [models.Index(fields=["ready", "worker"])]

    def __str__(self) -> str:
        return f"{self.worker}: {self.level or 'not started'}"


class Promotion(models.Model):
    """A level change: approved (or declined) by a manager, or automatic when no approval is needed."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        AUTOMATIC = "automatic", _("Automatic")

    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="promotions")
    from_level = models.ForeignKey(
        CareerLevel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_level = models.ForeignKey(CareerLevel, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.worker} → {self.to_level}: {self.decision}"
