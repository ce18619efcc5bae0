from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from careerpaths import services
from careerpaths.models import CareerPath, Promotion
from careerpaths.tasks import readiness_recompute_all
from lms.admin_helpers import ReadOnlyViewSetMixin
from lms.tasking import enqueue_on_commit


class RecomputeOnSave:
    def save_instance(self):
        instance = super().save_instance()
        # Levels or requirements may have changed: every worker's readiness is re-evaluated.
        enqueue_on_commit(readiness_recompute_all, services.readiness_paths_changed())
        return instance


class CareerPathCreateView(RecomputeOnSave, generic.CreateView):
    pass


class CareerPathEditView(RecomputeOnSave, generic.EditView):
    pass


class CareerPathViewSet(ModelViewSet):
    model = CareerPath
    add_view_class = CareerPathCreateView
    edit_view_class = CareerPathEditView
    name = "career_paths"
    icon = "list-ol"
    menu_label = _("Career paths and levels")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class PromotionViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Promotion
    name = "promotions"
    icon = "history"
    menu_label = _("Promotions")
    list_display = [
        Column("worker", label=_("Worker")),
        Column("from_level", label=_("From")),
        Column("to_level", label=_("To")),
        "decision",
        Column("decided_by", label=_("By")),
        DateColumn("decided_at", label=_("When")),
    ]
    list_filter = ["decision"]
    list_select_related = ("worker__user", "from_level", "to_level", "decided_by")


class CareerGroup(ViewSetGroup):
    menu_label = _("Career paths")
    menu_icon = "list-ol"
    menu_order = 260
    items = (CareerPathViewSet, PromotionViewSet)
