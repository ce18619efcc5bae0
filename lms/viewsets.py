from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from lms.admin_helpers import SelectRelatedListing
from lms.models import Team, WorkerProfile


class TeamViewSet(ModelViewSet):
    model = Team
    icon = "group"
    list_display = ["name", "default_weekly_goal_minutes"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("default_weekly_goal_minutes"), FieldPanel("managers")]
    inspect_view_enabled = True


class WorkerIndexView(generic.IndexView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("lms.add_workerprofile"):
            buttons.append(
                HeaderButton(_("Import workers"), url=reverse("workers_import"), icon_name="upload")
            )
        return buttons


class WorkerEditView(generic.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("lms.change_workerfacts"):
            buttons.append(
                HeaderButton(
                    _("Impact questions"),
                    url=reverse("worker_facts_edit", args=[self.object.pk]),
                    icon_name="clipboard-list",
                )
            )
        return buttons


class WorkerProfileViewSet(SelectRelatedListing, ModelViewSet):
    model = WorkerProfile
    list_select_related = ("user", "team")
    icon = "user"
    menu_label = _("Workers")
    index_view_class = WorkerIndexView
    edit_view_class = WorkerEditView
    list_display = ["__str__", "external_id", "team", "site", "time_zone", "language"]
    list_filter = ["team", "site"]
    search_fields = ["external_id", "user__username", "user__first_name", "user__last_name"]
    panels = [
        FieldPanel("user"),
        FieldPanel("external_id"),
        FieldPanel("team"),
        FieldPanel("site"),
        FieldPanel("joined_on"),
        FieldPanel("time_zone"),
        FieldPanel("language"),
        FieldPanel("weekly_goal_minutes"),
    ]
    inspect_view_enabled = True


class PeopleGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 300
    items = (TeamViewSet, WorkerProfileViewSet)
