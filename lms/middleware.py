"""Request-wide settings: the signed-in worker's time zone, and the security headers of every answer."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from lms.selectors import worker_for_user


class WorkerTimeZoneMiddleware:
    """Show dates and times in the worker's own time zone (managers: their team's, see manager_required)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        worker = worker_for_user(user=request.user) if hasattr(request, "user") else None
        if worker is not None:
            timezone.activate(worker.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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
