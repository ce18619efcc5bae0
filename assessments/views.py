from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from assessments import openbadges, selectors, services
from assessments.forms import WalletForm, responses_from_post
from assessments.models import Attempt, BadgeAward, SkillBadge
from lms.web import applied_once, render_page_or_partial, worker_required

ATTEMPT_TEMPLATE = "assessments/attempt.html"


def _live_assessment(slug: str):
    return get_object_or_404(selectors.assessments_live().select_related("badge", "course"), slug=slug)


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    attempt = selectors.attempt_for_worker(worker=request.worker, attempt_id=attempt_id)
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


@require_GET
@worker_required
def check_detail(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _live_assessment(slug)
    status = selectors.check_status(worker=request.worker, assessment=assessment)
    return render(request, "assessments/check_detail.html", {"assessment": assessment, "status": status})


@require_POST
@worker_required
def check_start(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = _live_assessment(slug)
    try:
        attempt = services.attempt_start(worker=request.worker, assessment=assessment)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("check_detail", slug=slug)
    return redirect("attempt_page", attempt_id=attempt.pk)


BOX_PARTS = [("x", "Left"), ("y", "Top"), ("w", "Width"), ("h", "Height")]


def _attempt_context(attempt: Attempt, errors: dict | None = None) -> dict:
    questions = selectors.questions_for_attempt(attempt=attempt)
    for question in questions:
        question["error"] = (errors or {}).get(question["position"], "")
    return {
        "attempt": attempt,
        "assessment": attempt.assessment,
        "questions": questions,
        "box_parts": BOX_PARTS,
    }


@require_GET
@worker_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.is_open:
        return redirect("attempt_result", attempt_id=attempt.pk)
    return render(request, ATTEMPT_TEMPLATE, _attempt_context(attempt))


@require_POST
@worker_required
def attempt_save(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    return applied_once(request, kind="answer_save", apply=lambda at: _attempt_save(request, attempt, at))


def _attempt_save(request: HttpRequest, attempt: Attempt, at) -> HttpResponse:
    responses = responses_from_post(list(attempt.questions.all()), request.POST)
    try:
        services.attempt_answer_save(
            worker=request.worker, attempt_id=attempt.pk, responses=responses, answered_at=at
        )
    except services.ResponseErrors as error:
        context = {**_attempt_context(attempt, error.errors), "save_error": str(error)}
        return render_page_or_partial(request, ATTEMPT_TEMPLATE, context, partial="save-status", status=422)
    except services.AssessmentError as error:
        if not request.htmx:  # the attempt is closed: its page sends the worker on to the result
            messages.error(request, str(error))
            return redirect("attempt_page", attempt_id=attempt.pk)
        return render(request, f"{ATTEMPT_TEMPLATE}#save-status", {"save_error": str(error)}, status=409)
    if not request.htmx:
        messages.success(request, _("Your answers are saved."))
        return redirect("attempt_page", attempt_id=attempt.pk)
    return render(request, f"{ATTEMPT_TEMPLATE}#save-status", {"saved": True})


@require_POST
@worker_required
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    responses = responses_from_post(list(attempt.questions.all()), request.POST)
    try:
        result = services.attempt_submit(worker=request.worker, attempt_id=attempt.pk, responses=responses)
    except services.ResponseErrors as error:
        messages.error(request, str(error))
        return render(request, ATTEMPT_TEMPLATE, _attempt_context(attempt, error.errors), status=422)
    if result.late:
        messages.warning(
            request, _("Time was up, so your last changes were not counted. Answers saved in time were.")
        )
    return redirect("attempt_result", attempt_id=result.attempt.pk)


@require_GET
@worker_required
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        return redirect("attempt_page", attempt_id=attempt.pk)
    award = (
        BadgeAward.objects.filter(evidence__attempt=attempt).select_related("badge").first()
        if attempt.passed
        else None
    )
    context = {**_attempt_context(attempt), "award": award}
    return render(request, "assessments/result.html", context)


@require_GET
@worker_required
def my_badges(request: HttpRequest) -> HttpResponse:
    awards = selectors.badges_for_worker(worker=request.worker)
    wallet_form = WalletForm(initial={"did": request.worker.wallet_did})
    return render(request, "assessments/my_badges.html", {"awards": awards, "wallet_form": wallet_form})


@require_GET
def badge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    badge = get_object_or_404(SkillBadge.objects.select_related("image"), slug=slug)
    return render(request, "assessments/badge_detail.html", {"badge": badge})


@require_GET
def badge_share(request: HttpRequest, uid) -> HttpResponse:
    award = selectors.award_public(uid=uid)
    if award is None:
        raise Http404("No such badge.")
    context = {"award": award, "assertion_url": openbadges.assertion_url(award)}
    return render(request, "assessments/badge_share.html", context, status=410 if award.revoked_at else 200)


def _json_ld(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, json_dumps_params={"indent": 2})
    response["Content-Type"] = "application/ld+json"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(max_age=300, public=True)
def openbadges_issuer(request: HttpRequest) -> JsonResponse:
    return _json_ld(openbadges.issuer_document())


@require_GET
@cache_control(max_age=300, public=True)
def openbadges_badge(request: HttpRequest, slug: str) -> JsonResponse:
    badge = get_object_or_404(SkillBadge.objects.select_related("image"), slug=slug)
    image = selectors.badge_image_url(badge=badge) or reverse("badge_detail", args=[badge.slug])
    return _json_ld(openbadges.badge_class_document(badge, image_url=openbadges.absolute(image)))


@require_GET
def openbadges_assertion(request: HttpRequest, uid) -> JsonResponse:
    award = selectors.award_public(uid=uid)
    if award is None:
        raise Http404("No such assertion.")
    # OB 2.0 hosted verification: a revoked assertion answers 410 Gone with revoked: true.
    return _json_ld(openbadges.assertion_document(award), status=410 if award.revoked_at else 200)


@require_GET
def openbadges_revocations(request: HttpRequest) -> JsonResponse:
    revoked = BadgeAward.objects.filter(revoked_at__isnull=False).order_by("revoked_at")
    return _json_ld(openbadges.revocation_list_document(revoked))
