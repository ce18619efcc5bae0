from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
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
            if created and created[0].live:
                done = gettext("Imported %(count)s questions into “%(bank)s”, published.")
            else:
                done = gettext(
                    "Imported %(count)s questions into “%(bank)s”, saved as drafts for expert review."
                )
            messages.success(request, done % {"count": len(created), "bank": bank})
            return redirect(reverse("wagtailsnippets_assessments_bankquestion:list") + f"?bank={bank.pk}")
    return _page(
        request,
        "assessments/admin/bank_import.html",
        gettext("Import GIFT into %(bank)s") % {"bank": bank},
        form=form,
        errors=errors,
    )


@permission_required("assessments.view_assessment", raise_exception=True)
def item_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=pk)
    # Split by the language the attempts were taken in; anything not shipped means all languages.
    language = request.GET.get("language", "")
    language = language if language in dict(settings.LANGUAGES) else None
    return _page(
        request,
        "assessments/admin/item_analysis.html",
        gettext("Item analysis: %(check)s") % {"check": assessment},
        assessment=assessment,
        language=language,
        languages=[
            (code, dict(settings.LANGUAGES)[code], count)
            for code, count in analysis.languages_taken(assessment=assessment)
        ],
        stats=analysis.assessment_stats(assessment=assessment, language=language),
        items=analysis.item_stats(assessment=assessment, language=language),
        dif=analysis.dif_by_language(assessment_ids=[assessment.pk]),
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
            messages.success(
                request, gettext("Regraded: the score is now %(score)s%%.") % {"score": attempt.score}
            )
            return redirect("attempts:inspect", pk=attempt.pk)
    return _page(
        request,
        "assessments/admin/reason_form.html",
        gettext("Regrade %(attempt)s") % {"attempt": attempt},
        form=form,
        action=gettext("Regrade"),
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
        messages.success(
            request, gettext("Awarded. Public assertion: %(url)s") % {"url": openbadges.assertion_url(award)}
        )
        return redirect("badge_awards:inspect", pk=award.pk)
    return _page(
        request,
        "assessments/admin/reason_form.html",
        gettext("Award a badge"),
        form=form,
        action=gettext("Award"),
    )


@permission_required("assessments.change_badgeaward", raise_exception=True)
def badge_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_object_or_404(BadgeAward.objects.select_related("badge", "worker__user"), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.badge_revoke(award=award, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("Revoked %(award)s.") % {"award": award})
        return redirect("badge_awards:inspect", pk=award.pk)
    return _page(
        request,
        "assessments/admin/reason_form.html",
        gettext("Revoke %(award)s") % {"award": award},
        form=form,
        action=gettext("Revoke"),
    )
