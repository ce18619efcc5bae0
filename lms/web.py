"""Small helpers every worker and manager view uses."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lms import services
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


# Client times are milliseconds since 1970; anything past the year 2286 is not a time.
MAX_CLIENT_MS = 10**13


@dataclass(frozen=True)
class ClientStamp:
    """The id and the time a worker's page gave one write (see static/js/queue.js)."""

    client_id: uuid.UUID
    client_at: datetime


def client_stamp(request: HttpRequest) -> ClientStamp | None:
    """The write's stamp from its form fields, None when the page sent none (no JavaScript).

    Raises ValueError with field errors when a field is there but is not an id or a time.
    """
    raw_id, raw_time = request.POST.get("client_id", ""), request.POST.get("client_time", "")
    if not raw_id and not raw_time:
        return None
    errors = {}
    try:
        client_id = uuid.UUID(raw_id[:40])
    except ValueError:
        errors["client_id"] = _("Enter a valid id.")
    digits = raw_time.isascii() and raw_time.isdigit() and len(raw_time) <= 14
    if not (digits and int(raw_time) < MAX_CLIENT_MS):
        errors["client_time"] = _("Enter a valid time.")
    if errors:
        raise ValueError(errors)
    return ClientStamp(client_id=client_id, client_at=datetime.fromtimestamp(int(raw_time) / 1000, tz=UTC))


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def applied_once(
    request: HttpRequest, *, kind: str, apply: Callable[[datetime | None], HttpResponse]
) -> HttpResponse:
    """Run a worker's write at most once per client id, at the time its page made it.

    A copy of a write already applied answers 204 and changes nothing; a refused write (4xx) leaves no
    claim, so the worker can send it again. A write without a stamp (a form sent without JavaScript)
    happens now, as before.
    """
    try:
        stamp = client_stamp(request)
    except ValueError as error:
        return JsonResponse({"error": _("This change cannot be read."), "fields": error.args[0]}, status=400)
    if stamp is None:
        return apply(None)
    if services.client_write_seen(worker=request.worker, client_id=stamp.client_id):
        return HttpResponse(status=204, headers={"Ladder-Write": "applied-before"})
    try:
        at = services.client_time_judged(client_at=stamp.client_at)
    except services.StaleWrite as error:
        return HttpResponse(str(error), status=422, content_type="text/plain; charset=utf-8")
    try:
        with transaction.atomic():
            if not services.client_write_claim(
                worker=request.worker, client_id=stamp.client_id, kind=kind, client_at=stamp.client_at
            ):
                return HttpResponse(status=204, headers={"Ladder-Write": "applied-before"})
            response = apply(at)
            if response.status_code >= 400:
                raise _Refused(response)
    except _Refused as refused:
        return refused.response
    return response
