from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin import messages

from assessments import analysis, openbadges, services
from assessments.forms import GiftUploadForm, ManualAwardForm
from assessments.models import Assessment, Attempt, BadgeAward, QuestionBank
from lms.forms import ReasonForm


def _page(request, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(request, template, {"page_title": title, "header_title": title, **context})


@permission_required("assessments.add_bankquestion", raise_exception=True)
def bank_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a GIFT file into a bank: every question, or none with the lines that failed."""
    bank = get_object_or_404(QuestionBank, pk=pk)
    form = GiftUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.bank_import_gift(bank=bank, source=form.cleaned_data["file"], by=request.user)
        except services.GiftImportError as error:
            errors = error.errors
            messages.error(request, str(error))
        else:
            state = "published" if created and created[0].live else "saved as drafts for expert review"
            messages.success(request, f"Imported {len(created)} questions into “{bank}”, {state}.")
            return redirect(reverse("wagtailsnippets_assessments_bankquestion:list") + f"?bank={bank.pk}")
    return _page(
        request, "assessments/admin/bank_import.html", f"Import GIFT into {bank}", form=form, errors=errors
    )


@permission_required("assessments.view_assessment", raise_exception=True)
def item_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=pk)
    return _page(
        request,
        "assessments/admin/item_analysis.html",
        f"Item analysis: {assessment}",
        assessment=assessment,
        stats=analysis.assessment_stats(assessment=assessment),
        items=analysis.item_stats(assessment=assessment),
    )


@permission_required("assessments.change_attempt", raise_exception=True)
def attempt_regrade(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_object_or_404(Attempt.objects.select_related("assessment", "worker__user"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.attempt_regrade(
                attempt=attempt, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Regraded: the score is now {attempt.score}%.")
            return redirect("attempts:inspect", pk=attempt.pk)
    return _page(
        request, "assessments/admin/reason_form.html", f"Regrade {attempt}", form=form, action="Regrade"
    )


@permission_required("assessments.add_badgeaward", raise_exception=True)
def badge_award_manual(request: HttpRequest) -> HttpResponse:
    """Recognition of prior learning: award a badge with a reason, through the same service as a pass."""
    form = ManualAwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        award = services.badge_award(
            worker=form.cleaned_data["worker"],
            badge=form.cleaned_data["badge"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"Awarded. Public assertion: {openbadges.assertion_url(award)}")
        return redirect("badge_awards:inspect", pk=award.pk)
    return _page(request, "assessments/admin/reason_form.html", "Award a badge", form=form, action="Award")


@permission_required("assessments.change_badgeaward", raise_exception=True)
def badge_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(BadgeAward.objects.select_related("badge", "worker__user"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.badge_revoke(award=award, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Revoked {award}.")
        return redirect("badge_awards:inspect", pk=award.pk)
    return _page(request, "assessments/admin/reason_form.html", f"Revoke {award}", form=form, action="Revoke")
