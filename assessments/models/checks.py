from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from assessments.models.badges import SkillBadge
from assessments.models.banks import QuestionBank
from assessments.models.rules import PERCENT
from lms.translatable import Translatable


class Assessment(
    Translatable,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    class ShowAnswers(models.TextChoices):
        NEVER = "never", _("Never")
        AFTER_SUBMIT = "after_submit", _("After each submission")
        AFTER_PASS = "after_pass", _("Only after passing")

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    intro = models.TextField(blank=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The course this is the final check of; empty for a stand-alone check (e.g. a refresher)."
        ),
    )
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="assessments")
    questions_per_attempt = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1)])
    draw_tag = models.CharField(max_length=40, blank=True, help_text=_("Only draw questions with this tag."))
    shuffle_choices = models.BooleanField(default=True)
    pass_mark = models.PositiveSmallIntegerField(default=80, validators=PERCENT, help_text=_("Percent."))
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Empty: no limit."))
    cooldown_minutes = models.PositiveIntegerField(
        default=0, help_text=_("Wait after a failed or abandoned attempt before the next.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty: no limit.")
    )
    grace_seconds = models.PositiveSmallIntegerField(default=30)
    show_explanations = models.BooleanField(default=True, help_text=_("After submission."))
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
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("pass_mark"), FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]
                ),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]),
            ],
            heading=_("Rules"),
        ),
        FieldRowPanel([FieldPanel("show_explanations"), FieldPanel("show_answers")], heading=_("Feedback")),
    ]
    search_fields = [index.SearchField("title"), index.FilterField("live")]
    translatable_fields = ("title",)
    translatable_long_fields = ("intro",)

    class Meta:
        ordering = ["title"]
        permissions = [("publish_assessment", "Can publish assessment")]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions
