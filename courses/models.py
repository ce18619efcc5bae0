from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PageViewRestriction,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from courses.blocks import LessonStreamBlock

QUESTION_MAX_LENGTH = 1000


class RestrictionsKept:
    """Page view restrictions (this page's and its ancestors') looked up once per content version: most
    pages have none, and then serving them asks the database nothing for it."""

    def get_view_restrictions(self):
        from courses.shared_parts import memoised

        ids = memoised(
            ("restrictions", self.pk),
            lambda: list(super(RestrictionsKept, self).get_view_restrictions().values_list("pk", flat=True)),
        )
        restrictions = PageViewRestriction.objects.all()
        if ids:
            return restrictions.filter(pk__in=ids)
        # Known to be empty: read without a query (a `none()` queryset still builds its SQL when read,
        # a twentieth of a lesson page). A filtered or ordered copy (the admin's) is a query as ever.
        nothing = restrictions.none()
        nothing._result_cache = []
        return nothing


def _shown_context(page: Page) -> dict:
    from courses.translations import page_shown, reading_language

    return {"shown": page_shown(page), "reading_language": reading_language()}


class CourseIndexPage(RestrictionsKept, Page):
    """The course catalogue workers browse."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    template = "courses/course_index_page.html"

    @property
    def localized(self):
        # Every worker is routed through the source (English) tree, whatever their language: progress,
        # learning time and questions are recorded against one page in every language, and each page
        # shows its approved translation itself (`courses.translations`).
        return self

    def route(self, request, path_components):
        # A course or lesson URL is found in one query (by the page's full URL path, through the
        # slug index) rather than one query per level of the tree and one more for its type, and
        # kept in this process's memory while the content does not change.
        from courses.shared_parts import memoised

        model = {1: CoursePage, 2: LessonPage}.get(len(path_components))
        if model is not None:
            url_path = self.url_path + "".join(f"{component}/" for component in path_components)
            page = memoised(
                ("page", url_path),
                lambda: model.objects.filter(slug=path_components[-1], url_path=url_path).first(),
            )
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_cards_for_worker
        from lms.selectors import worker_for_user

        context = super().get_context(request, *args, **kwargs)
        context["course_cards"] = course_cards_for_worker(
            worker=worker_for_user(user=request.user), catalogue=self
        )
        context.update(_shown_context(self))
        return context


class CoursePage(RestrictionsKept, Page):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    summary = models.TextField(max_length=400)
    skill = models.CharField(max_length=80, help_text=_("The skill this course teaches."))
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.BEGINNER)
    estimated_minutes = models.PositiveSmallIntegerField(default=20)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("skill"), FieldPanel("level"), FieldPanel("estimated_minutes")],
            heading=_("About the course"),
        ),
        FieldPanel("cover_image"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("skill")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_extras_for_worker, course_outline_for_worker
        from lms.selectors import worker_for_user

        worker = worker_for_user(user=request.user)
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline_for_worker(worker=worker, course=self)
        context.update(_shown_context(self))
        context.update(course_extras_for_worker(worker=worker, course=self))
        return context


class LessonPage(RestrictionsKept, Page):
    summary = models.CharField(max_length=240, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(default=5)
    body = StreamField(LessonStreamBlock())

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    def get_context(self, request, *args, **kwargs):
        from courses.forms import QuestionForm
        from courses.selectors import lesson_context_for_worker
        from lms.selectors import worker_for_user

        context = super().get_context(request, *args, **kwargs)
        worker, preview = worker_for_user(user=request.user), getattr(request, "is_preview", False)
        context.update(lesson_context_for_worker(worker=worker, lesson=self, preview=preview))
        # Built only if its field is rendered: a blank form's field is kept (`question_form_kept`).
        context["question_form"] = SimpleLazyObject(QuestionForm)
        context["question_form_kept"] = QuestionForm.BLANK
        return context


class FAQTag(TaggedItemBase):
    content_object = ParentalKey("courses.FAQ", on_delete=models.CASCADE, related_name="tagged_items")


class FAQ(
    TranslatableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    ClusterableModel,
):
    """A question workers often ask, with its answer, shown beside the lessons it belongs to."""

    question = models.CharField(max_length=255)
    answer = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    tags = ClusterTaggableManager(through=FAQTag, blank=True)
    lessons = ParentalManyToManyField(LessonPage, blank=True, related_name="faqs")
    courses = ParentalManyToManyField(CoursePage, blank=True, related_name="faqs")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="faq")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="faq",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("tags"),
        FieldPanel("lessons"),
        FieldPanel("courses"),
    ]
    search_fields = [
        index.SearchField("question", boost=3),
        index.AutocompleteField("question"),
        index.SearchField("answer"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("live"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")
        ordering = ["question"]

    def __str__(self) -> str:
        return self.question

    @property
    def revisions(self):
        return self._revisions


class Question(models.Model):
    """A worker's question about a lesson, and the answer an assistant or expert gives."""

    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="questions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="worker_questions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="worker_questions")
    text = models.TextField(max_length=QUESTION_MAX_LENGTH)
    # The language it was asked in: the answer is written in it, and an FAQ made of it joins that
    # language's FAQs.
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE, choices=settings.LANGUAGES)
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_seen_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A notification is being sent: no other sender takes it until later.",
    )
    faq = models.ForeignKey(
        FAQ, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_questions"
    )

    class Meta:
        verbose_name = _("worker question")
        ordering = ["-asked_at"]
        indexes = [
            models.Index(fields=["answered_at", "asked_at"]),
            models.Index(fields=["worker", "asked_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="question_answered_has_answer",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class LessonProgress(models.Model):
    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="lesson_progress")
    started_at = models.DateTimeField(default=timezone.now)
    last_opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "lesson"], name="lesson_progress_once_per_worker")
        ]
        indexes = [models.Index(fields=["worker", "last_opened_at"])]

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.lesson_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LearningTime(models.Model):
    """Active seconds a worker spent in one lesson on one day of their own calendar."""

    worker = models.ForeignKey("lms.WorkerProfile", on_delete=models.CASCADE, related_name="learning_time")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="learning_time")
    day = models.DateField()
    seconds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["worker", "lesson", "day"], name="learning_time_per_lesson_day"),
            models.CheckConstraint(condition=Q(seconds__lte=86400), name="learning_time_le_day"),
        ]
        indexes = [models.Index(fields=["worker", "day"])]

    def __str__(self) -> str:
        return f"{self.worker_id} · {self.lesson_id} · {self.day}: {self.seconds}s"
