from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from assessments.models.rules import FRACTION
from lms.translatable import Segment, Translatable


class QuestionBank(Translatable, models.Model):
    title = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    translatable_fields = ("title",)
    translatable_long_fields = ("description",)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(required=False, max_length=300, help_text=_("Shown after submission."))


class BankQuestion(
    Translatable,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple select")
        TRUE_FALSE = "true_false", _("True / false")
        NUMERIC = "numeric", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        IMAGE_TAGGING = "image_tagging", _("Practical: image tagging")
        BOUNDING_BOX = "bounding_box", _("Practical: bounding box")
        TRANSCRIPTION = "transcription", _("Practical: transcription")

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=120, blank=True, help_text=_("Short name for authors."))
    prompt = models.TextField()
    tags = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated, for drawing by tag."))
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    explanation = models.TextField(
        blank=True, help_text=_("Shown after submission, per the assessment's policy.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audio = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    choices = StreamField([("choice", ChoiceBlock())], blank=True, help_text=_("Single and multiple choice."))
    true_false_answer = models.BooleanField(null=True, blank=True)
    numeric_answer = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    numeric_tolerance = models.DecimalField(max_digits=14, decimal_places=4, default=0)
    accepted_answers = models.TextField(
        blank=True, help_text=_("Short text: one accepted answer a line. Transcription: the gold text.")
    )
    labels = models.TextField(blank=True, help_text=_("Image tagging: the label list, one a line."))
    gold_labels = models.TextField(blank=True, help_text=_("Image tagging: the correct labels, one a line."))
    min_f1 = models.FloatField(default=0.8, validators=FRACTION, help_text=_("Image tagging: F1 needed."))
    gold_box = models.JSONField(
        null=True,
        blank=True,
        help_text=_("Bounding box: [x, y, width, height] as fractions of the image (0 to 1)."),
    )
    min_iou = models.FloatField(
        default=0.5, validators=FRACTION, help_text=_("Bounding box: overlap needed.")
    )
    max_cer = models.FloatField(
        default=0.1,
        validators=FRACTION,
        help_text=_("Transcription: most character errors allowed (0.1 = 10%)."),
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
        FieldRowPanel([FieldPanel("image"), FieldPanel("audio")], heading=_("Media")),
        FieldPanel("choices"),
        FieldPanel("true_false_answer"),
        FieldRowPanel([FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance")], heading=_("Number")),
        FieldPanel("accepted_answers"),
        MultiFieldPanel(
            [FieldPanel("labels"), FieldPanel("gold_labels"), FieldPanel("min_f1")],
            heading=_("Image tagging answer"),
        ),
        MultiFieldPanel([FieldPanel("gold_box"), FieldPanel("min_iou")], heading=_("Bounding box answer")),
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

    translatable_long_fields = ("prompt", "explanation")

    def segments(self) -> list[Segment]:
        """The prompt and explanation, each choice's text and feedback (by the choice's stable id) and
        each image-tagging label (by the label itself, which is what an answer names in every language)."""
        segments = super().segments()
        for block in self.choices:
            segments.append(Segment(f"choice:{block.id}", block.value["text"]))
            if (block.value.get("feedback") or "").strip():
                segments.append(Segment(f"feedback:{block.id}", block.value["feedback"]))
        for label in self.label_list:
            segments.append(Segment(f"label:{label}", label))
        return segments

    @property
    def label_list(self) -> list[str]:
        return [line.strip() for line in self.labels.splitlines() if line.strip()]

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip().lower() for tag in self.tags.split(",") if tag.strip()]
