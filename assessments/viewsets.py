from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from assessments import selectors, views_admin
from assessments.admin_forms import BankQuestionForm
from assessments.models import Assessment, Attempt, BadgeAward, BankQuestion, QuestionBank, SkillBadge
from lms.admin_helpers import ActionInspectView, ReadOnlyViewSetMixin


class BadgeImageOnSave:
    def save_instance(self):
        instance = super().save_instance()
        if instance.image_id:  # made here, by the author, so the public badge page never has to
            instance.image.get_rendition(selectors.BADGE_IMAGE)
        return instance


class SkillBadgeCreateView(BadgeImageOnSave, generic.CreateView):
    pass


class SkillBadgeEditView(BadgeImageOnSave, generic.EditView):
    pass


class SkillBadgeViewSet(ModelViewSet):
    model = SkillBadge
    add_view_class = SkillBadgeCreateView
    edit_view_class = SkillBadgeEditView
    icon = "pick"
    menu_label = _("Badges")
    list_display = ["name", "skill", "level", "validity_months"]
    search_fields = ["name", "skill"]
    inspect_view_enabled = True


class QuestionBankEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        url = reverse("question_banks:import_gift", args=[self.object.pk])
        buttons.append(HeaderButton(_("Import GIFT file"), url=url, icon_name="upload"))
        return buttons


class QuestionBankViewSet(ModelViewSet):
    model = QuestionBank
    name = "question_banks"
    icon = "list-ul"
    menu_label = _("Question banks")
    list_display = ["title", "description"]
    search_fields = ["title"]
    form_fields = ["title", "description"]
    edit_view_class = QuestionBankEditView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/<int:pk>/", views_admin.bank_import, name="import_gift"),
        ]


class BankQuestionViewSet(SnippetViewSet):
    model = BankQuestion
    icon = "help"
    menu_label = _("Questions")
    list_display = ["__str__", "bank", "kind", LiveStatusTagColumn(), UpdatedAtColumn()]
    list_filter = ["bank", "kind", "live"]
    search_fields = ["prompt", "title"]
    edit_handler = ObjectList(BankQuestion.panels, base_form_class=BankQuestionForm)


class AssessmentIndexView(SnippetIndexView):
    def get_list_more_buttons(self, instance):
        url = reverse("wagtailsnippets_assessments_assessment:analysis", args=[instance.pk])
        return [
            *super().get_list_more_buttons(instance),
            Button(_("Item analysis"), url=url, icon_name="table"),
        ]


class AssessmentEditView(SnippetEditView):
    def get_context_data(self, **kwargs):
        live = selectors.bank_too_small(assessment=self.object)
        if live is not None:
            messages.warning(
                self.request,
                _(
                    "The bank has %(live)s live questions for %(drawn)s per try: a worker who fails soon has "
                    "seen them all. Give a badge check at least %(each)s questions for each one drawn."
                )
                % {
                    "live": live,
                    "drawn": self.object.questions_per_attempt,
                    "each": selectors.BANK_SIZE_PER_DRAW,
                },
            )
        return super().get_context_data(**kwargs)


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    index_view_class = AssessmentIndexView
    edit_view_class = AssessmentEditView
    icon = "tasks"
    menu_label = _("Skill checks")
    list_display = ["title", "course", "badge", LiveStatusTagColumn(), UpdatedAtColumn()]
    search_fields = ["title"]
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("analysis/<int:pk>/", views_admin.item_analysis, name="analysis"),
        ]


class AttemptInspectView(ActionInspectView):
    action_label = _("Regrade")
    action_url_name = "attempts:regrade"


class AwardInspectView(ActionInspectView):
    action_label = _("Revoke")
    action_url_name = "badge_awards:revoke"


class AttemptIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("worker__user", "assessment")


class AttemptViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Attempt
    name = "attempts"
    icon = "doc-full"
    menu_label = _("Attempts")
    index_view_class = AttemptIndexView
    inspect_view_class = AttemptInspectView
    list_display = [
        Column("assessment", label=_("Skill check")),
        Column("worker", label=_("Worker")),
        "number",
        "status",
        "score",
        BooleanColumn("passed"),
        DateColumn("finished_at", label=_("Finished")),
    ]
    list_filter = ["assessment", "status", "passed"]
    search_fields = ["worker__user__username", "worker__external_id"]

    action_urls = (("regrade/<int:pk>/", views_admin.attempt_regrade, "regrade"),)


class BadgeAwardViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = BadgeAward
    list_select_related = ("badge", "worker__user")
    name = "badge_awards"
    inspect_view_class = AwardInspectView
    icon = "success"
    menu_label = _("Awards")
    list_display = [
        Column("badge", label=_("Badge")),
        Column("worker", label=_("Worker")),
        DateColumn("awarded_at", label=_("Awarded")),
        DateColumn("expires_at", label=_("Expires")),
        Column("status", label=_("Status")),
    ]
    list_filter = ["badge"]
    search_fields = ["worker__user__username", "worker__external_id"]

    action_urls = (
        ("new/", views_admin.badge_award_manual, "add"),
        ("revoke/<int:pk>/", views_admin.badge_revoke, "revoke"),
    )


class SkillChecksGroup(ViewSetGroup):
    menu_label = _("Skill checks")
    menu_icon = "tasks"
    menu_order = 220
    items = (
        AssessmentViewSet,
        BankQuestionViewSet,
        QuestionBankViewSet,
        SkillBadgeViewSet,
        BadgeAwardViewSet,
        AttemptViewSet,
    )
