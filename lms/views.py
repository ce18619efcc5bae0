from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lms.client import client_address
from lms.forms import PasswordResetForm
from lms.languages import language_supported
from lms.ratelimit import rate_count, rate_hit
from lms.selectors import worker_for_user
from lms.services import login_lockout_clear, worker_language_set


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
