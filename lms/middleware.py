"""Request-wide settings: the signed-in worker's time zone and language, and the security headers of
every answer."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from lms.languages import language_from_browser, language_supported
from lms.selectors import worker_for_user

# The bridge API is called by programs with a key, never by a signed-in person: its answers have no time
# zone or language of a reader (the API speaks UTC and codes), so these two middlewares leave it alone.
API_PATHS = ("/api/",)


class WorkerTimeZoneMiddleware:
    """Show dates and times in the worker's own time zone (managers: their team's, see manager_required)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PATHS):
            return self.get_response(request)
        worker = worker_for_user(user=request.user) if hasattr(request, "user") else None
        if worker is not None:
            timezone.activate(worker.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class LanguageMiddleware:
    """Speak the worker's own language (their profile); before login, the one chosen on this browser or
    its Accept-Language. A code Ladder does not ship is English; it never fails a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PATHS):
            return self.get_response(request)
        worker = worker_for_user(user=request.user) if hasattr(request, "user") else None
        language = language_supported(worker.language) if worker else language_from_browser(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response


# Our pages need nothing from elsewhere and no inline code. Wagtail's admin (and the API docs' Swagger UI)
# use inline styles and scripts of their own, so they get the same policy with those allowed.
CONTENT_POLICY = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
ADMIN_CONTENT_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
LOOSER_PATHS = ("/admin/", "/api/v1/docs")


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        looser = request.path.startswith(LOOSER_PATHS)
        response.headers.setdefault(
            "Content-Security-Policy", ADMIN_CONTENT_POLICY if looser else CONTENT_POLICY
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
