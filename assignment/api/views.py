import base64
import binascii
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from assignment import selectors, services
from assignment.api.schemas import (
    EligibilityOut,
    EligibleWorkersOut,
    ErrorOut,
    TaskTypeOut,
    ValidationErrorOut,
    WorkResultsIn,
    WorkResultsOut,
)
from assignment.models import ApiClient
from assignment.services.work_results import WorkResultIn

PAGE_SIZE = 500
JSON = "application/json; charset=utf-8"  # as the API's other answers
MAX_CURSOR = 2**63 - 1
logger = logging.getLogger(__name__)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number.")


class StrictJsonParser(Parser):
    """JSON with decimals kept exact (1e-9999 is not silently 0) and NaN/Infinity refused."""

    def parse_body(self, request: HttpRequest) -> dict:
        # A ValueError here is answered by the API as 400 "Cannot parse request body".
        return json.loads(request.body, parse_float=Decimal, parse_constant=_no_constant)


class ScopedKey(HttpBearer):
    """`Authorization: Bearer <key>`: 401 for a missing, unknown or revoked key, 403 out of scope.

    It runs before the body is read, so a key without the scope learns nothing about validation.
    """

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        client = services.api_client_authenticate(key=token)
        if client is not None and self.scope not in client.scopes:
            raise HttpError(403, f"This key lacks the {self.scope} scope.")
        return client


READ = ScopedKey("eligibility:read")
WRITE = ScopedKey("work-results:write")


api = NinjaAPI(
    title="Ladder bridge API",
    version="1",
    description="Which task types a worker may do, and work quality reported back. Bearer keys, scoped.",
    urls_namespace="api-v1",
    docs_url=None,  # served by `api_docs` below: staff only in production, the document stays public
    openapi_url="/openapi.json",
    parser=StrictJsonParser(),
)


def _docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI from our own static files (ninja is an installed app, so no CDN)."""
    return api.docs.render_page(request, api)


def _may_read_docs(user) -> bool:
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


api_docs = require_GET(_docs if settings.DEBUG else user_passes_test(_may_read_docs)(_docs))


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(
        request, {"message": "A valid API key is needed: Authorization: Bearer <key>."}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    errors = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "Invalid value.")} for e in exc.errors]
    return api.create_response(
        request, {"message": "The request is invalid; nothing was stored.", "errors": errors}, status=422
    )


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(request, {"message": "The body is too large: send fewer results."}, status=413)


@api.exception_handler(Exception)
def unexpected(request, exc):
    logger.exception("bridge API error on %s %s", request.method, request.path)
    return api.create_response(
        request, {"message": "Something went wrong on our side; try again."}, status=500
    )


COMMON = {401: ErrorOut, 403: ErrorOut}


@api.get("/task-types", response={200: list[TaskTypeOut], **COMMON}, tags=["eligibility"], auth=READ)
def task_types(request: HttpRequest):
    """Every active task type, with its pay and what it requires."""
    return selectors.task_types_public()


@api.get(
    "/workers/{external_id}/eligibility",
    response={200: EligibilityOut, 404: ErrorOut, **COMMON},
    tags=["eligibility"],
    auth=READ,
)
def worker_eligibility(request: HttpRequest, external_id: str):
    """Which task types the worker may do now, what is missing for the others, and the version."""
    result = selectors.eligibility_public(external_id=external_id)
    if result is None:
        raise HttpError(404, "No worker with this external_id.")
    # The selector builds the documented shape (the tests hold it to EligibilityOut): sent as it is rather
    # than validated again on each of the work system's calls, the API's busiest (a third of its time).
    return JsonResponse(result, content_type=JSON)


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        after = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise HttpError(422, "The cursor is not one this API gave out.") from error
    if not 0 <= after <= MAX_CURSOR:
        raise HttpError(422, "The cursor is not one this API gave out.")
    return after


@api.get(
    "/task-types/{code}/eligible-workers",
    response={200: EligibleWorkersOut, 404: ErrorOut, 422: ErrorOut, **COMMON},
    tags=["eligibility"],
    auth=READ,
)
def eligible_workers(request: HttpRequest, code: str, cursor: Query[str | None] = None):
    """External ids of the workers eligible for the task type, in pages; pass next_cursor for the next."""
    after = _decode_cursor(cursor)
    page = selectors.eligible_workers_page(code=code, after_worker_id=after, size=PAGE_SIZE)
    if page is None:
        raise HttpError(404, "No active task type with this code.")
    ids, last = page
    next_cursor = base64.urlsafe_b64encode(str(last).encode()).decode().rstrip("=") if last else None
    return {"task_type": code, "workers": ids, "next_cursor": next_cursor}


@api.post(
    "/work-results",
    response={202: WorkResultsOut, 400: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut, **COMMON},
    tags=["work results"],
    auth=WRITE,
)
def work_results(request: HttpRequest, payload: WorkResultsIn):
    """Report work quality; all or nothing, idempotent by result id (same id, other values: 409)."""
    items = [WorkResultIn(**item.dict()) for item in payload.results]
    try:
        counts = services.work_results_ingest(results=items)
    except services.WorkResultErrors as error:
        return 422, {"message": str(error), "errors": error.errors}
    except services.WorkResultConflict as error:
        return 409, {"message": str(error)}
    return 202, counts
