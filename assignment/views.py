from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assignment import selectors, services
from assignment.models import Suspension
from lms.web import worker_required


class AppealForm(forms.Form):
    message = forms.CharField(
        label="What should your manager look at?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        error_messages={"required": "Tell your manager why the work should be reviewed."},
    )


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
            messages.success(request, "Sent. Your manager will review it and answer here.")
        return redirect("my_work")
    context = selectors.work_for_worker(worker=request.worker)
    context.update(appeal_form=form, appeal_for=suspension_id)
    return render(request, "assignment/my_work.html", context, status=422)
