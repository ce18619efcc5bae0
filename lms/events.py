"""Events between the apps: one dataclass per event, subscribers registered in each `AppConfig.ready`.

An app announces what happened (`publish`) without knowing who reacts; the apps above it subscribe.
Each subscriber says when it runs:

- `IN_TRANSACTION`: at once, in the publisher's transaction, in the stated `order` (lowest first).
  For reactions that must be consistent with the change: eligibility, and the outbox rows of webhooks
  and of xAPI statements.
- `AFTER_COMMIT`: once the publisher's transaction commits (at once if there is none), in `order`,
  each in a transaction of its own; a failure is logged and never undoes the change. For reactions
  that may lag.

A reaction can cascade (a badge → readiness → a promotion → eligibility). Work that must happen once
per worker however many events led to it is handed to `settle`: it runs when the outermost event
published (or `together` block) has been handled, still inside the transaction, once per key.
"""

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:  # the events name what the apps above hand over; lms never imports them at run time
    from assessments.models import Attempt, BadgeAward
    from careerpaths.models import Promotion
    from lms.models import LearningEvent, WorkerProfile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerCreated:
    worker: "WorkerProfile"


@dataclass(frozen=True)
class BadgeChanged:
    award: "BadgeAward"
    change: str  # awarded, renewed, revoked or expired


@dataclass(frozen=True)
class AttemptPassed:
    attempt: "Attempt"


@dataclass(frozen=True)
class LevelChanged:
    promotion: "Promotion"


@dataclass(frozen=True)
class WeeklyRecordsChanged:
    worker_ids: tuple[int, ...]


@dataclass(frozen=True)
class LearningRecorded:
    """A row appended to a worker's learning log (lesson, question, skill check or badge)."""

    event: "LearningEvent"


Event = WorkerCreated | BadgeChanged | AttemptPassed | LevelChanged | WeeklyRecordsChanged | LearningRecorded
EVENTS: tuple[type, ...] = (
    WorkerCreated,
    BadgeChanged,
    AttemptPassed,
    LevelChanged,
    WeeklyRecordsChanged,
    LearningRecorded,
)


class Phase(Enum):
    IN_TRANSACTION = "in the transaction"
    AFTER_COMMIT = "after commit"


@dataclass(frozen=True)
class Subscriber:
    event: type
    handler: Callable[[Any], None]
    phase: Phase
    order: int

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscribers: dict[type, list[Subscriber]] = {}


def subscribe(event: type, handler: Callable[[Any], None], *, phase: Phase, order: int) -> None:
    """Register a reaction to an event (from `AppConfig.ready`); registering it again changes nothing."""
    if event not in EVENTS:
        raise TypeError(f"{event!r} is not an event of lms.events")
    listed = _subscribers.setdefault(event, [])
    if any(s.handler is handler for s in listed):
        return
    listed.append(Subscriber(event, handler, phase, order))
    listed.sort(key=lambda s: (s.order, s.name))


def subscribers(event: type) -> list[Subscriber]:
    """Who reacts to the event, in the order they are called."""
    return list(_subscribers.get(event, []))


@dataclass
class _Scope:
    depth: int = 0
    # key → (work, reasons), in the order first asked for.
    pending: dict[Hashable, tuple[Callable[[list[str]], None], list[str]]] = field(default_factory=dict)


_scope: ContextVar[_Scope | None] = ContextVar("lms_events_scope", default=None)


@contextmanager
def together() -> Iterator[None]:
    """Handle the events published inside as one: what they `settle` runs once, at the end."""
    scope = _scope.get()
    token = None
    if scope is None:
        scope = _Scope()
        token = _scope.set(scope)
    scope.depth += 1
    try:
        yield
        if scope.depth == 1:
            while scope.pending:  # settling may publish and settle more
                key = next(iter(scope.pending))
                work, reasons = scope.pending.pop(key)
                work(reasons)
    finally:
        scope.depth -= 1
        if token is not None:
            _scope.reset(token)


def settle(key: Hashable, work: Callable[[list[str]], None], reason: str = "") -> None:
    """Run `work(reasons)` once for this key when the events being handled are done (at once if none).

    Asked for again under the same key before then, it runs once, with every reason given.
    """
    scope = _scope.get()
    if scope is None or scope.depth == 0:
        work([reason] if reason else [])
        return
    _, reasons = scope.pending.setdefault(key, (work, []))
    if reason and reason not in reasons:
        reasons.append(reason)


def publish(event: Event) -> None:
    """Call the event's subscribers: those in the transaction now, the others once it commits."""
    with together():
        for subscriber in subscribers(type(event)):
            if subscriber.phase is Phase.IN_TRANSACTION:
                subscriber.handler(event)
            else:
                transaction.on_commit(_after_commit(subscriber, event))


def _after_commit(subscriber: Subscriber, event: Event) -> Callable[[], None]:
    def run() -> None:
        try:
            with transaction.atomic():
                subscriber.handler(event)
        except Exception:
            logger.exception("%s failed after %s committed", subscriber.name, type(event).__name__)

    return run
