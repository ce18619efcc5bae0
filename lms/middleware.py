"""Request-wide settings taken from the signed-in person."""

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
