from datetime import timedelta

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from assignment.validity import badge_validity
from assignment.viewsets import AssignmentGroup
from lms.models import WorkerProfile


@hooks.register("register_admin_viewset")
def register_assignment():
    return AssignmentGroup()


class BadgeValidityPanel(Component):
    """On the admin home of those who author badges: badges whose newly unlocked workers fell short."""

    name = "badge_validity"
    order = 150
    template_name = "assignment/admin/badge_validity_panel.html"

    def get_context_data(self, parent_context=None) -> dict:
        until = timezone.now()
        workers = WorkerProfile.objects.all()
        rows = badge_validity(workers=workers, since=until - timedelta(weeks=26), until=until)
        return {"flagged": [row for row in rows if row.flagged]}


@hooks.register("construct_homepage_panels")
def badge_validity_panel(request, panels) -> None:
    if request.user.has_perm("assessments.change_skillbadge"):
        panels.append(BadgeValidityPanel())
