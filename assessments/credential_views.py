"""Open Badges 3.0 on the web: the issuer's DID document, the status lists, a worker's downloads, verify."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, services
from assessments.credentials import baking, documents, proofs
from assessments.credentials.keys import signing_key
from assessments.credentials.verify import verify
from assessments.forms import CredentialVerifyForm, WalletForm
from assessments.models import BadgeCredential
from lms.web import worker_required

STATUS_CACHE_SECONDS = 30  # a revocation shows in the published list within a minute


def _public_json(document: dict, content_type: str) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(max_age=300, public=True)
def did_document(request: HttpRequest) -> JsonResponse:
    return _public_json(documents.did_document(signing_key()), "application/did+json")


@require_GET
@cache_control(max_age=STATUS_CACHE_SECONDS, public=True)
def status_list(request: HttpRequest, number: int) -> JsonResponse:
    """The signed BitstringStatusListCredential of list `number`, rebuilt at most every 30 seconds."""
    if not selectors.status_list_in_use(list_number=number):
        raise Http404("No such status list.")
    key = f"credentials:status-list:{number}"
    document = cache.get(key)
    if document is None:
        now = timezone.now()
        unsigned = documents.status_list_document(
            number, revoked_indexes=selectors.revoked_status_indexes(list_number=number), now=now
        )
        issuer_key = signing_key()
        document = proofs.di_sign(
            unsigned,
            key=issuer_key,
            verification_method=documents.key_id(issuer_key.multikey),
            created=documents.stamp(now),
        )
        cache.set(key, document, STATUS_CACHE_SECONDS)
    return _public_json(document, "application/vc+ld+json")


def _own_credential(request: HttpRequest, uid) -> BadgeCredential:
    credential = selectors.credential_latest(award_uid=uid, worker_id=request.worker.pk)
    if credential is None:
        raise Http404("No such credential.")
    return credential


def _signed(credential: BadgeCredential) -> tuple[dict, str]:
    # Not signed yet (the task is queued): the same proofs, computed for this answer and not stored.
    if credential.signed_at:
        return credential.document, credential.jwt
    return services.credential_signed(credential)


def _download(body: bytes | str, content_type: str, credential: BadgeCredential, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = slugify(credential.award.badge.slug) or "badge"
    response["Content-Disposition"] = f'attachment; filename="{name}-credential.{suffix}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@worker_required
def credential_json(request: HttpRequest, uid) -> HttpResponse:
    credential = _own_credential(request, uid)
    document, _jwt = _signed(credential)
    body = JsonResponse(document, json_dumps_params={"indent": 2}).content
    return _download(body, "application/vc+ld+json", credential, "json")


@require_GET
@worker_required
def credential_jwt(request: HttpRequest, uid) -> HttpResponse:
    credential = _own_credential(request, uid)
    _document, jwt = _signed(credential)
    return _download(jwt, "application/vc+jwt", credential, "jwt")


@require_GET
@worker_required
def credential_png(request: HttpRequest, uid) -> HttpResponse:
    credential = _own_credential(request, uid)
    _document, jwt = _signed(credential)
    picture = selectors.badge_picture_bytes(badge=credential.award.badge)
    return _download(baking.bake(picture, jwt), "image/png", credential, "png")


@require_POST
@worker_required
def wallet_set(request: HttpRequest) -> HttpResponse:
    form = WalletForm(request.POST)
    if form.is_valid():
        try:
            count = services.wallet_did_set(worker=request.worker, did=form.cleaned_data["did"])
        except services.AssessmentError as error:
            form.add_error("did", str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "Saved. %(count)s badge has a new credential naming your wallet.",
                    "Saved. %(count)s badges have a new credential naming your wallet.",
                    count,
                )
                % {"count": count},
            )
            return redirect("my_badges")
    context = {"awards": selectors.badges_for_worker(worker=request.worker), "wallet_form": form}
    return render(request, "assessments/my_badges.html", context, status=422)


@require_http_methods(["GET", "POST"])
def credential_verify(request: HttpRequest) -> HttpResponse:
    """Public: anyone drops a credential file or pastes one and reads each check in words."""
    verdict = None
    status = 200
    if request.method == "POST":
        form = CredentialVerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            verdict = verify(
                data=upload.read() if upload else None,
                pasted=form.cleaned_data["pasted"],
                person=form.cleaned_data["person"],
                now=timezone.now(),
            )
        else:
            status = 422
    else:
        form = CredentialVerifyForm()
    context = {
        "form": form,
        "verdict": verdict,
        "issuer_name": settings.LADDER_ISSUER_NAME,
        "did_url": reverse("did_document"),
    }
    return render(request, "assessments/verify.html", context, status=status)
