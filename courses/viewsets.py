import django_filters
from django import forms
from django.db.models import F
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import services
from courses.models import FAQ, CoursePage, Question
from courses.views_admin import question_promote


class FAQViewSet(SnippetViewSet):
    model = FAQ
    icon = "help"
    menu_label = _("FAQs")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["question", LiveStatusTagColumn(), UpdatedAtColumn()]
    search_fields = ["question", "answer"]


class QuestionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Waiting for an answer")), ("answered", _("Answered"))],
        method="filter_status",
        empty_label=_("All"),
    )
    course = django_filters.ModelChoiceFilter(queryset=CoursePage.objects.order_by("title"))

    class Meta:
        model = Question
        fields = ["status", "course"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(answered_at__isnull=value == "open")


class QuestionAnswerForm(WagtailAdminModelForm):
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Plain words the worker understands, in the language they asked in: an FAQ made of it joins that "
            "language's FAQs. They are told when you save."
        ),
    )


class QuestionIndexView(generic.IndexView):
    def order_queryset(self, queryset):
        if self.is_explicitly_ordered:
            return super().order_queryset(queryset)
        # The queue: unanswered first, oldest waiting at the top; answered ones after, newest first.
        return queryset.order_by(F("answered_at").desc(nulls_first=True), "asked_at")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("worker__user", "lesson", "course")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_answered and not instance.faq_id:
            buttons.append(
                Button(_("Turn into FAQ"), url=_promote_url(instance), icon_name="help", priority=30)
            )
        return buttons


class QuestionEditView(generic.EditView):
    def save_instance(self):
        return services.question_answer(
            question=self.object, answer=self.form.cleaned_data["answer"], by=self.request.user
        )

    def get_success_message(self, instance=None):
        return _("Answer saved. The worker will see it on their home page.")

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.is_answered and not self.object.faq_id:
            buttons.append(HeaderButton(_("Turn into FAQ"), url=_promote_url(self.object), icon_name="help"))
        return buttons


def _promote_url(question: Question) -> str:
    return reverse("worker_questions:promote", args=[question.pk])


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "comment"
    menu_label = _("Worker questions")
    menu_order = 200
    add_to_admin_menu = True
    name = "worker_questions"
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    filterset_class = QuestionFilterSet
    search_fields = ["text", "answer"]
    list_display = [
        "text",
        Column("worker", label=_("Worker")),
        Column("lesson", label=_("Lesson")),
        Column("course", label=_("Course")),
        Column("get_language_display", label=_("Language")),
        DateColumn("asked_at", label=_("Asked")),
        BooleanColumn("is_answered", label=_("Answered")),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("worker", read_only=True),
            FieldPanel("lesson", read_only=True),
            FieldPanel("language", read_only=True),
            FieldPanel("text", read_only=True),
            FieldPanel("answer"),
        ],
        base_form_class=QuestionAnswerForm,
    )
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("promote/<int:pk>/", question_promote, name="promote"),
        ]
