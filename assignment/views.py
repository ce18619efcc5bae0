from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assignment import selectors, services
from assignment.forms import AppealAnswerForm, AppealForm
from assignment.models import Appeal, Suspension
from lms.web import worker_required


@require_GET
@worker_required
def my_work(request: HttpRequest) -> HttpResponse:
    context = selectors.work_for_worker(worker=request.worker)
    context["appeal_form"] = AppealForm()
    return render(request, "assignment/my_work.html", context)


@require_POST
@worker_required
def appeal_create(request: HttpRequest, suspension_id: int) -> HttpResponse:
    if not Suspension.objects.filter(pk=suspension_id, worker=request.worker).exists():
        raise Http404("No such suspension.")
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_create(
                worker=request.worker, suspension_id=suspension_id, message=form.cleaned_data["message"]
            )
        except services.AppealError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Sent. Your manager will review it and answer here."))
        return redirect("my_work")
    context = selectors.work_for_worker(worker=request.worker)
    context.update(appeal_form=form, appeal_for=suspension_id)
    return render(request, "assignment/my_work.html", context, status=422)


def appeal_answer_submit(
    request: HttpRequest, appeal: Appeal, form: AppealAnswerForm, invalid: str = ""
) -> bool:
    """A manager's answer to an appeal, from the manager pages or the admin: whether it was answered.

    The caller has checked who may answer it; the service refuses a second answer or one's own appeal.
    The outcome is told in a message (an invalid form too, when `invalid` says how)."""
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        return False
    try:
        services.appeal_answer(
            appeal=appeal,
            by=request.user,
            lift=form.cleaned_data["decision"] == "lift",
            answer=form.cleaned_data["answer"],
        )
    except services.AppealError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, _("Answered. The worker sees it on My work."))
    return True
