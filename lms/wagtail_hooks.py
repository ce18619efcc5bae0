from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms import translatable
from lms.admin_views import item_translate, items_status, worker_facts_edit, workers_import_view
from lms.viewsets import PeopleGroup


@hooks.register("register_admin_viewset")
def register_people():
    return PeopleGroup()


@hooks.register("register_admin_urls")
def register_translation_urls():
    return [
        path("item-translations/", items_status, name="item_translations"),
        path("workers/import/", workers_import_view, name="workers_import"),
        path("workers/<int:pk>/impact-questions/", worker_facts_edit, name="worker_facts_edit"),
        path(
            "item-translations/<str:label>/<int:pk>/<str:language>/",
            item_translate,
            name="item_translate",
        ),
    ]


class TranslatorMenuItem(MenuItem):
    def is_shown(self, request):
        return any(
            request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
            for model in translatable.registered()
        )


@hooks.register("register_admin_menu_item")
def register_item_translations_menu_item():
    return TranslatorMenuItem(
        gettext_lazy("Check and badge translations"),
        reverse("item_translations"),
        icon_name="globe",
        order=216,
    )
