from datetime import datetime
from decimal import Decimal

from ninja import Field, Schema


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
    id: str = Field(..., min_length=1, max_length=100)
    worker: str = Field(..., min_length=1, max_length=64)
    task_type: str = Field(..., min_length=1, max_length=50)
    period_start: datetime
    period_end: datetime
    tasks_completed: int = Field(..., ge=0, le=1_000_000)
    minutes_worked: int = Field(..., ge=0, le=60 * 24 * 31)
    accuracy: Decimal = Field(..., ge=0, le=1, max_digits=6, decimal_places=4)


class WorkResultsIn(Schema):
    results: list[WorkResultItem] = Field(..., min_length=1, max_length=1000)


class WorkResultsOut(Schema):
    accepted: int
    duplicates: int
