"""Small helpers every worker and manager view uses."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lms.selectors import worker_for_user


def render_page_or_partial(
    request: HttpRequest, template: str, context: dict, *, partial: str, status: int = 200
) -> HttpResponse:
    """Render the whole page, or only its inline partial when htmx asked for it."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)


def worker_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only signed-in workers; the profile is on `request.worker`. Others get 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        worker = worker_for_user(user=request.user)
        if worker is None:
            raise PermissionDenied("This page is for workers.")
        request.worker = worker
        return view(request, *args, **kwargs)

    return wrapped


class IdConverter:
    """A database id in a URL: 1 to 18 digits, so a longer number is a 404, never an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
