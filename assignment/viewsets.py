from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from assignment import services, views_admin
from assignment.models import (
    ApiClient,
    Appeal,
    Suspension,
    TaskType,
    WebhookDelivery,
    WebhookEndpoint,
    XapiStatement,
)
from assignment.tasks import eligibility_recompute_task_type
from lms.admin_helpers import ActionInspectView, ReadOnlyViewSetMixin
from lms.tasking import enqueue_on_commit


class TaskTypeSaveMixin:
    def save_instance(self):
        instance = super().save_instance()
        # Requirements may have changed: every worker's eligibility is recomputed in the background.
        generation = services.task_type_changed(task_type=instance)
        enqueue_on_commit(eligibility_recompute_task_type, instance.pk, generation)
        return instance


class TaskTypeCreateView(TaskTypeSaveMixin, generic.CreateView):
    pass


class TaskTypeEditView(TaskTypeSaveMixin, generic.EditView):
    pass


class TaskTypeViewSet(ModelViewSet):
    model = TaskType
    name = "task_types"
    icon = "tag"
    menu_label = _("Task types and pay")
    add_view_class = TaskTypeCreateView
    edit_view_class = TaskTypeEditView
    list_display = ["name", "code", "tier", "pay_rate", "currency", "pay_unit", BooleanColumn("active")]
    list_filter = ["active", "tier"]
    search_fields = ["name", "code"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code"), FieldPanel("tier")]),
            FieldPanel("description"),
            FieldRowPanel(
                [FieldPanel("pay_rate"), FieldPanel("currency"), FieldPanel("pay_unit")], heading=_("Pay")
            ),
            FieldPanel("required_badges", widget=forms.CheckboxSelectMultiple),
            FieldPanel("min_level"),
            FieldRowPanel(
                [
                    FieldPanel("accuracy_threshold"),
                    FieldPanel("accuracy_window_days"),
                    FieldPanel("min_tasks_for_suspension"),
                ],
                heading=_("Quality"),
            ),
            FieldPanel("refresher"),
            FieldPanel("active"),
        ]
    )


class EndpointForm(WagtailAdminModelForm):
    event_types = forms.MultipleChoiceField(
        choices=WebhookEndpoint.EVENT_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event type."),
    )

    def clean_url(self) -> str:
        return views_admin.receiver_url_validate(self.cleaned_data["url"])


class WebhookEndpointViewSet(ModelViewSet):
    name = "webhook_endpoints"
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Webhook endpoints")
    list_display = [
        "url",
        BooleanColumn("active"),
        "disabled_reason",
        DateColumn("created_at", label=_("Created")),
    ]
    edit_handler = ObjectList(
        [FieldPanel("url"), FieldPanel("event_types"), FieldPanel("active")], base_form_class=EndpointForm
    )

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name != "add"]
        return [*patterns, path("new/", views_admin.endpoint_create, name="add")]


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event", "endpoint")


class DeliveryInspectView(ActionInspectView):
    action_label = _("Re-send")
    action_url_name = "webhook_deliveries:resend"


class WebhookDeliveryViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    list_display = [
        Column("event", label=_("Event")),
        Column("endpoint", label=_("Endpoint")),
        "status",
        "attempts",
        "last_status_code",
        DateColumn("next_attempt_at", label=_("Next try")),
    ]
    list_filter = ["status", "endpoint"]

    action_urls = (("resend/<int:pk>/", views_admin.delivery_resend, "resend"),)


class XapiStatementIndexView(generic.IndexView):
    @property
    def header_more_buttons(self):
        url = reverse("xapi_statements:resend_dead")
        label = _("Re-send every dead-lettered statement")
        return [Button(label, url=url, icon_name="redirect", priority=10)]


class XapiStatementInspectView(ActionInspectView):
    action_label = _("Re-send")
    action_url_name = "xapi_statements:resend"


class XapiStatementViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """The outbox of the learning record store: what was sent, what waits, what it refused and why."""

    model = XapiStatement
    name = "xapi_statements"
    icon = "list-ul"
    menu_label = _("xAPI statements")
    index_view_class = XapiStatementIndexView
    inspect_view_class = XapiStatementInspectView
    list_display = [
        Column("verb", label=_("Verb")),
        "status",
        "attempts",
        "last_status_code",
        Column("last_error", label=_("Last error")),
        DateColumn("queued_at", label=_("Queued")),
        DateColumn("next_attempt_at", label=_("Next try")),
    ]
    list_filter = ["status"]
    inspect_view_fields = [
        "statement_id",
        "verb",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "queued_at",
        "next_attempt_at",
        "delivered_at",
        "statement",
    ]

    action_urls = (
        ("resend/<int:pk>/", views_admin.xapi_statement_resend, "resend"),
        ("resend-dead/", views_admin.xapi_statements_resend_dead, "resend_dead"),
    )


class ApiClientIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None:
            url = reverse("api_clients:revoke", args=[instance.pk])
            buttons.append(Button(_("Revoke key"), url=url, icon_name="bin", priority=40))
        return buttons


class ApiClientViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = ApiClient
    name = "api_clients"
    icon = "key"
    menu_label = _("API clients")
    index_view_class = ApiClientIndexView
    list_display = [
        "name",
        "key_prefix",
        "scopes",
        DateColumn("last_used_at", label=_("Last used")),
        "revoked_at",
    ]

    action_urls = (
        ("new/", views_admin.api_client_create, "add"),
        ("revoke/<int:pk>/", views_admin.api_client_revoke, "revoke"),
    )


class SuspensionInspectView(ActionInspectView):
    action_label = _("Lift suspension")
    action_url_name = "suspensions:lift"


class SuspensionViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Suspension
    list_select_related = ("worker__user", "task_type")
    name = "suspensions"
    icon = "warning"
    menu_label = _("Suspensions")
    inspect_view_class = SuspensionInspectView
    list_display = [
        Column("worker", label=_("Worker")),
        Column("task_type", label=_("Task type")),
        "accuracy",
        DateColumn("started_at", label=_("Since")),
        DateColumn("lifted_at", label=_("Lifted")),
    ]
    list_filter = ["task_type"]

    action_urls = (("lift/<int:pk>/", views_admin.suspension_lift, "lift"),)


class AppealInspectView(ActionInspectView):
    action_label = _("Answer")
    action_url_name = "appeals:answer"


class AppealViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Appeal
    list_select_related = ("suspension__worker__user", "suspension__task_type")
    name = "appeals"
    icon = "mail"
    menu_label = _("Appeals")
    inspect_view_class = AppealInspectView
    list_display = [
        Column("suspension", label=_("Suspension")),
        "message",
        "decision",
        DateColumn("created_at"),
    ]
    list_filter = ["decision"]

    action_urls = (("answer/<int:pk>/", views_admin.appeal_answer, "answer"),)


class AssignmentGroup(ViewSetGroup):
    menu_label = _("Work assignment")
    menu_icon = "tag"
    menu_order = 250
    items = (
        TaskTypeViewSet,
        SuspensionViewSet,
        AppealViewSet,
        ApiClientViewSet,
        WebhookEndpointViewSet,
        WebhookDeliveryViewSet,
        XapiStatementViewSet,
    )
