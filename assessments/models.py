import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
FRACTION = [MinValueValidator(0), MaxValueValidator(1)]

# A worker hears that a badge will expire this many days before it does: by email, and on their home page.
EXPIRY_WARNING_DAYS = 14


class SkillBadge(models.Model):
    class Level(models.TextChoices):
        ENTRY = "entry", "Entry"
        SKILLED = "skilled", "Skilled"
        EXPERT = "expert", "Expert"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=600)
    criteria = models.TextField(help_text="What a worker must show to earn it, in plain words.")
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Square, at least 256 × 256: it is the badge's picture in Open Badges.",
    )
    skill = models.CharField(max_length=80)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.ENTRY)
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: never expires. Re-passing renews it."
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


class QuestionBank(models.Model):
    title = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(required=False, max_length=300, help_text="Shown after submission.")


class BankQuestion(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple select"
        TRUE_FALSE = "true_false", "True / false"
        NUMERIC = "numeric", "Number"
        SHORT_TEXT = "short_text", "Short text"
        IMAGE_TAGGING = "image_tagging", "Practical: image tagging"
        BOUNDING_BOX = "bounding_box", "Practical: bounding box"
        TRANSCRIPTION = "transcription", "Practical: transcription"

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=120, blank=True, help_text="Short name for authors.")
    prompt = models.TextField()
    tags = models.CharField(max_length=200, blank=True, help_text="Comma-separated, for drawing by tag.")
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    explanation = models.TextField(
        blank=True, help_text="Shown after submission, per the assessment's policy."
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audio = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    choices = StreamField([("choice", ChoiceBlock())], blank=True, help_text="Single and multiple choice.")
    true_false_answer = models.BooleanField(null=True, blank=True)
    numeric_answer = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numeric_tolerance = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    accepted_answers = models.TextField(
        blank=True, help_text="Short text: one accepted answer a line. Transcription: the gold text."
    )
    labels = models.TextField(blank=True, help_text="Image tagging: the label list, one a line.")
    gold_labels = models.TextField(blank=True, help_text="Image tagging: the correct labels, one a line.")
    min_f1 = models.FloatField(default=0.8, validators=FRACTION, help_text="Image tagging: F1 needed.")
    gold_box = models.JSONField(
        null=True,
        blank=True,
        help_text="Bounding box: [x, y, width, height] as fractions of the image (0 to 1).",
    )
    min_iou = models.FloatField(default=0.5, validators=FRACTION, help_text="Bounding box: overlap needed.")
    max_cer = models.FloatField(
        default=0.1,
        validators=FRACTION,
        help_text="Transcription: most character errors allowed (0.1 = 10%).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="bank_question")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="bank_question",
        for_concrete_model=False,
    )

    panels = [
        FieldRowPanel([FieldPanel("bank"), FieldPanel("kind"), FieldPanel("points")]),
        FieldPanel("title"),
        FieldPanel("prompt"),
        FieldPanel("tags"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("audio")], heading="Media"),
        FieldPanel("choices"),
        FieldPanel("true_false_answer"),
        FieldRowPanel([FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance")], heading="Number"),
        FieldPanel("accepted_answers"),
        MultiFieldPanel(
            [FieldPanel("labels"), FieldPanel("gold_labels"), FieldPanel("min_f1")], heading="Image tagging"
        ),
        MultiFieldPanel([FieldPanel("gold_box"), FieldPanel("min_iou")], heading="Bounding box"),
        FieldPanel("max_cer"),
        FieldPanel("explanation"),
    ]
    search_fields = [index.SearchField("prompt"), index.SearchField("title"), index.FilterField("bank_id")]

    class Meta:
        ordering = ["bank", "id"]
        # Wagtail adds publish permissions only to snippets in its registry; these live in a menu group.
        permissions = [("publish_bankquestion", "Can publish bank question")]

    def __str__(self) -> str:
        return self.title or self.prompt[:80]

    @property
    def revisions(self):
        return self._revisions

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip().lower() for tag in self.tags.split(",") if tag.strip()]


class Assessment(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    class ShowAnswers(models.TextChoices):
        NEVER = "never", "Never"
        AFTER_SUBMIT = "after_submit", "After each submission"
        AFTER_PASS = "after_pass", "Only after passing"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    intro = models.TextField(blank=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The course this is the final check of; empty for a stand-alone check (e.g. a refresher).",
    )
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="assessments")
    questions_per_attempt = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1)])
    draw_tag = models.CharField(max_length=40, blank=True, help_text="Only draw questions with this tag.")
    shuffle_choices = models.BooleanField(default=True)
    pass_mark = models.PositiveSmallIntegerField(default=80, validators=PERCENT, help_text="Percent.")
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    cooldown_minutes = models.PositiveIntegerField(
        default=0, help_text="Wait after a failed or abandoned attempt before the next."
    )
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    grace_seconds = models.PositiveSmallIntegerField(default=30)
    show_explanations = models.BooleanField(default=True, help_text="After submission.")
    # The safe default: a check's answers are shown only to someone who passed it.
    show_answers = models.CharField(
        max_length=16, choices=ShowAnswers.choices, default=ShowAnswers.AFTER_PASS
    )
    badge = models.ForeignKey(
        SkillBadge, null=True, blank=True, on_delete=models.SET_NULL, related_name="assessments"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="assessment")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="assessment",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("course"), FieldPanel("badge")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("bank"), FieldPanel("questions_per_attempt"), FieldPanel("draw_tag")]
                ),
                FieldPanel("shuffle_choices"),
            ],
            heading="Questions",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("pass_mark"), FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]
                ),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]),
            ],
            heading="Rules",
        ),
        FieldRowPanel([FieldPanel("show_explanations"), FieldPanel("show_answers")], heading="Feedback"),
    ]
    search_fields = [index.SearchField("title"), index.FilterField("live")]

    class Meta:
        ordering = ["title"]
        permissions = [("publish_assessment", "Can publish assessment")]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions


class Attempt(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        SUBMITTED = "submitted", "Submitted"
        CLOSED = "closed", "Closed when time ran out"

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
