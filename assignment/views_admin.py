from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from wagtail.admin import messages

from assignment import services
from assignment.forms import ApiClientForm, AppealAnswerForm, EndpointCreateForm
from assignment.models import ApiClient, Appeal, Suspension, WebhookDelivery, XapiStatement
from assignment.views import appeal_answer_submit
from lms.forms import ReasonForm

REASON_TEMPLATE = "assessments/admin/reason_form.html"


def _page(request, title: str, form, action: str, template: str = REASON_TEMPLATE, **context):
    context = {"page_title": title, "header_title": title, "form": form, "action": action, **context}
    return TemplateResponse(request, template, context)


@permission_required("assignment.add_apiclient", raise_exception=True)
def api_client_create(request: HttpRequest) -> HttpResponse:
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client, key = services.api_client_create(
            name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"]
        )
        return _page(
            request,
            gettext("Key for %(client)s") % {"client": client},
            None,
            "",
            "assignment/admin/secret_once.html",
            secret=key,
        )
    return _page(request, gettext("New API client"), form, gettext("Create"))


@permission_required("assignment.change_apiclient", raise_exception=True)
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(ApiClient, pk=pk)
    if request.method == "POST":
        services.api_client_revoke(client=client)
        messages.success(request, gettext("The key of %(client)s is revoked.") % {"client": client})
        return redirect("api_clients:index")
    return _page(
        request, gettext("Revoke the key of %(client)s?") % {"client": client}, None, gettext("Revoke")
    )


@permission_required("assignment.add_webhookendpoint", raise_exception=True)
def endpoint_create(request: HttpRequest) -> HttpResponse:
    form = EndpointCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.webhook_endpoint_create(
            url=form.cleaned_data["url"], event_types=form.cleaned_data["event_types"]
        )
        return _page(
            request,
            gettext("Signing secret for %(endpoint)s") % {"endpoint": endpoint},
            None,
            "",
            "assignment/admin/secret_once.html",
            secret=endpoint.secret,
        )
    return _page(request, gettext("New webhook endpoint"), form, gettext("Create"))


@permission_required("assignment.change_webhookdelivery", raise_exception=True)
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("event", "endpoint"), pk=pk)
    if request.method == "POST":
        services.webhook_resend(delivery=delivery)
        messages.success(
            request, gettext("%(delivery)s is queued to be sent again.") % {"delivery": delivery}
        )
        return redirect("webhook_deliveries:inspect", pk=delivery.pk)
    return _page(request, gettext("Re-send %(delivery)s?") % {"delivery": delivery}, None, gettext("Re-send"))


@permission_required("assignment.change_xapistatement", raise_exception=True)
def xapi_statement_resend(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(XapiStatement, pk=pk)
    if request.method == "POST":
        services.xapi_resend(statement=statement)
        queued = gettext("%(statement)s is queued to be sent again.") % {"statement": statement}
        messages.success(request, queued)
        return redirect("xapi_statements:inspect", pk=statement.pk)
    return _page(
        request, gettext("Re-send %(statement)s?") % {"statement": statement}, None, gettext("Re-send")
    )


@permission_required("assignment.change_xapistatement", raise_exception=True)
def xapi_statements_resend_dead(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        count = services.xapi_resend_dead()
        messages.success(
            request,
            ngettext(
                "%(count)d dead-lettered statement is queued to be sent again.",
                "%(count)d dead-lettered statements are queued to be sent again.",
                count,
            )
            % {"count": count},
        )
        return redirect("xapi_statements:index")
    dead = XapiStatement.objects.filter(status=XapiStatement.Status.DEAD).count()
    title = ngettext(
        "Re-send %(count)d dead-lettered statement?", "Re-send %(count)d dead-lettered statements?", dead
    ) % {"count": dead}
    return _page(request, title, None, gettext("Re-send"))


@permission_required("assignment.change_suspension", raise_exception=True)
def suspension_lift(request: HttpRequest, pk: int) -> HttpResponse:
    suspension = get_object_or_404(Suspension.objects.select_related("worker", "task_type"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suspension_lift(suspension=suspension, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, gettext("Lifted: %(suspension)s.") % {"suspension": suspension})
        return redirect("suspensions:inspect", pk=suspension.pk)
    return _page(request, gettext("Lift: %(suspension)s") % {"suspension": suspension}, form, gettext("Lift"))


@permission_required("assignment.change_appeal", raise_exception=True)
def appeal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.select_related("suspension__worker__user"), pk=pk)
    form = AppealAnswerForm(request.POST or None)
    if request.method == "POST" and appeal_answer_submit(request, appeal, form):
        return redirect("appeals:inspect", pk=appeal.pk)
    return _page(
        request,
        gettext("Answer the appeal: %(message)s") % {"message": appeal.message[:60]},
        form,
        gettext("Answer"),
    )
