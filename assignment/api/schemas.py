from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AwareDatetime, BeforeValidator, StringConstraints

# Ids are printable text: no NUL or other control characters.
Identifier = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x1f\x7f]+$")]


def _decimal(value: object) -> object:
    """A JSON number or a decimal string ("0.97"); true and false are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise ValueError("Must be a number, e.g. 0.97.")
    return Decimal(value) if isinstance(value, int) else value


Fraction = Annotated[Decimal, BeforeValidator(_decimal)]


class ErrorOut(Schema):
    message: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    message: str
    errors: list[FieldError]


class TaskTypeOut(Schema):
    code: str
    name: str
    pay_rate: str = Field(description="Decimal as a string, e.g. '0.0450'.")
    currency: str
    pay_unit: str
    required_badges: list[str]
    min_level: str | None = Field(None, description="Career level slug needed, or null.")


class TaskTypeEligibilityOut(Schema):
    code: str
    eligible: bool
    missing: list[str]
    suspended: bool


class EligibilityOut(Schema):
    worker: str
    level: str | None
    task_types: list[TaskTypeEligibilityOut]
    version: int


class EligibleWorkersOut(Schema):
    task_type: str
    workers: list[str]
    next_cursor: str | None


class WorkResultItem(Schema):
    id: Identifier = Field(..., min_length=1, max_length=100)
    worker: Identifier = Field(..., min_length=1, max_length=64)
    task_type: Identifier = Field(..., min_length=1, max_length=50)
    period_start: AwareDatetime = Field(
        ..., description="With its UTC offset, e.g. 2026-11-23T08:00:00+03:00."
    )
    period_end: AwareDatetime = Field(
        ..., description="After period_start, at most 31 days later, not in the future, not over 90 days ago."
    )
    tasks_completed: int = Field(..., ge=0, le=1_000_000, strict=True)
    minutes_worked: int = Field(..., ge=0, le=60 * 24 * 31, strict=True)
    accuracy: Fraction = Field(..., ge=0, le=1, max_digits=5, decimal_places=4)


class WorkResultsIn(Schema):
    results: list[WorkResultItem] = Field(..., min_length=1, max_length=1000)


class WorkResultsOut(Schema):
    accepted: int
    duplicates: int
