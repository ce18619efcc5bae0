"""Building blocks every app's admin pages share: listings that load related rows in one query, read-only
viewsets whose records change only through services, and an inspect page with one reasoned action."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import Button


class SelectRelatedListing:
    """An admin listing that loads the rows' related records with them: one query, not one per row."""

    list_select_related: tuple[str, ...] = ()

    def get_index_view_kwargs(self, **kwargs):
        queryset = self.model._default_manager.select_related(*self.list_select_related)
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ReadOnlyViewSetMixin(SelectRelatedListing):
    """A listing and inspect pages only: records change through services, from their own admin views."""

    inspect_view_enabled = True
    form_fields: list = []
    # The viewset's own admin views: (route, view, name), e.g. a reasoned action on one record. One
    # named "add" replaces the generic create form.
    action_urls: tuple = ()

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in (
            "edit_url_name",
            "copy_url_name",
            "delete_url_name",
            "history_url_name",
            "usage_url_name",
        ):
            view_kwargs[name] = None
        if all(name != "add" for _, _, name in self.action_urls):
            view_kwargs["add_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *(path(route, view, name=name) for route, view, name in self.action_urls),
        ]


class ActionInspectView(generic.InspectView):
    """An inspect page with one action button (regrade, revoke) that leads to a reasoned form."""

    action_label = _("")
    action_url_name = ""

    @property
    def header_more_buttons(self):
        if not self.action_url_name:
            return []
        url = reverse(self.action_url_name, args=[self.object.pk])
        return [Button(self.action_label, url=url, icon_name="edit", priority=10)]
