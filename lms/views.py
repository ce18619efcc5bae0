import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.static import serve

from lms import offline
from lms.client import client_address
from lms.forms import PasswordResetForm, WorkerFactsForm
from lms.languages import language_supported
from lms.ratelimit import rate_count, rate_hit
from lms.selectors import consent_history, worker_facts, worker_for_user
from lms.services import (
    ConsentNeeded,
    login_lockout_clear,
    worker_consent_give,
    worker_consent_withdraw,
    worker_facts_save,
    worker_language_set,
)
from lms.web import worker_required

THEME_COLOUR = "#0b5cad"


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language control on every page: a worker's choice is kept on their profile (it follows them
    to any phone); before login, on this browser. A code Ladder does not ship becomes English."""
    language = language_supported(request.POST.get("language"))
    worker = worker_for_user(user=request.user)
    if worker is not None:
        worker_language_set(worker=worker, language=language)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=request.is_secure(),
    )
    return response


class LoginView(auth_views.LoginView):
    """Sign in; an address with many failed logins (whatever the usernames) waits before trying more."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = f"login-failed:{client_address(request)}"
        window = settings.LADDER_LOGIN_FAILURE_WINDOW
        if rate_count(key=key, window=window) >= settings.LADDER_LOGIN_FAILURES_PER_ADDRESS:
            return render(request, "registration/locked_out.html", {"per_address": True}, status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back: the login failed
            rate_hit(key=key, window=window)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """A reset link by email; the same answer whether or not the address is known."""

    template_name = "registration/reset_form.html"
    form_class = PasswordResetForm
    email_template_name = "registration/reset_email.txt"
    subject_template_name = "registration/reset_subject.txt"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = f"password-reset:{client_address(request)}"
        if rate_hit(key=key, window=3600) > settings.LADDER_LOGIN_FAILURES_PER_ADDRESS:
            return render(request, "registration/locked_out.html", {"per_address": True}, status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from the emailed link; it also lifts a lockout for that username."""

    template_name = "registration/reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        login_lockout_clear(username=form.user.get_username())
        return response


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so it may serve every page; always checked for a new one."""
    urls, version = offline.shell()
    context = {
        "version": version,
        "shell_json": json.dumps(urls),
        "offline_url": reverse("offline"),
        "static_url": settings.STATIC_URL,
        "media_url": settings.MEDIA_URL,
    }
    response = render(request, offline.SERVICE_WORKER_TEMPLATE, context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """What a phone needs to install Ladder as an app, in the reader's language."""
    icons = [
        {
            "src": static(f"icons/ladder-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for size in (192, 512)
        for purpose in ("any", "maskable")
    ]
    manifest = {
        "name": "Ladder",
        "short_name": "Ladder",
        "description": _("Learn between tasks, earn badges, unlock better-paid work."),
        "lang": request.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    return JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What a page opened with no connection and no saved copy shows (kept by the service worker)."""
    return render(request, "lms/offline.html")


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def media_file(request: HttpRequest, path: str) -> HttpResponse:
    """An uploaded picture or its rendition (a rendition's name changes with its image)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def _about_page(request: HttpRequest, form: WorkerFactsForm | None = None, status: int = 200) -> HttpResponse:
    worker = request.worker
    facts = worker_facts(worker=worker)
    if form is None:
        form = WorkerFactsForm(instance=facts)
    context = {"worker": worker, "facts": facts, "form": form, "consents": consent_history(worker=worker)}
    return render(request, "lms/about.html", context, status=status)


@worker_required
@require_http_methods(["GET", "POST"])
def about_me(request: HttpRequest) -> HttpResponse:
    """The worker's own facts, and the optional impact questions they may answer, change or withdraw."""
    if request.method == "GET":
        return _about_page(request)
    form = WorkerFactsForm(request.POST, instance=worker_facts(worker=request.worker))
    if not form.is_valid():
        return _about_page(request, form, status=400)
    try:
        worker_facts_save(worker=request.worker, answers=form.cleaned_data, by=request.user)
    except ConsentNeeded:
        messages.error(request, _("Agree to answer these questions first; nothing was saved."))
        return HttpResponseRedirect(reverse("about_me"))
    messages.success(request, _("Your answers are saved. Thank you."))
    return HttpResponseRedirect(reverse("about_me"))


@worker_required
@require_POST
def about_consent(request: HttpRequest) -> HttpResponse:
    """Give or withdraw consent to the impact questions; withdrawing erases the answers."""
    decision = request.POST.get("decision")
    if decision == "give":
        worker_consent_give(worker=request.worker, by=request.user)
        messages.success(request, _("Thank you. You can answer the questions below, all of them optional."))
    elif decision == "withdraw":
        worker_consent_withdraw(worker=request.worker, by=request.user)
        messages.success(request, _("Consent withdrawn: your answers are erased; no report uses them."))
    else:
        messages.error(request, _("Choose to agree or to withdraw; nothing was changed."))
    return HttpResponseRedirect(reverse("about_me"))
