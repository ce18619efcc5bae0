"""`GET /api/v1/impact` (scope `impact:read`): the scorecard's figures as JSON, with the page's filters."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from assignment.api.schemas import ErrorOut
from assignment.api.views import ScopedKey
from lms.impact.exports import as_json
from lms.impact.forms import ImpactFilterForm
from lms.impact.report import impact_report
from lms.models import Team

router = Router(tags=["impact"])


class ImpactQuery(Schema):
    start: date | None = None
    end: date | None = None
    site: str = Field("", max_length=80)
    team: int | None = Field(None, ge=1, le=2**63 - 1)
    language: str = Field("", max_length=8)
    cohort: str = Field("", max_length=7, description="YYYY-MM: workers who joined that month")


@router.get("", response={200: dict, 401: ErrorOut, 403: ErrorOut, 422: dict}, auth=ScopedKey("impact:read"))
def impact(request: HttpRequest, query: Query[ImpactQuery]):
    """The impact scorecard and fairness table for every team; groups under 10 workers are suppressed."""
    params = {k: v for k, v in query.dict().items() if v not in (None, "")}
    sites = [params["site"]] if "site" in params else []
    form = ImpactFilterForm(
        {k: str(v) for k, v in params.items()},
        sites=sites,
        teams=list(Team.objects.values_list("pk", "name")),
    )
    if not form.is_valid():
        errors = [
            {"loc": ["query", field], "msg": str(messages[0])} for field, messages in form.errors.items()
        ]
        return 422, {"message": "The request is invalid.", "errors": errors}
    return 200, as_json(impact_report(filters=form.filters(), team_ids=None))
