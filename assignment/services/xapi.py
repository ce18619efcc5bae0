"""The learning record as xAPI 1.0.3 statements, sent to the company's learning record store.

Every learning event (and every promotion) becomes one statement, written to the outbox in the event's
own transaction and sent after commit, in batches, by Celery. The statement's id is derived from the
event, and its content is fixed when it is written, so a re-send is idempotent: the store keeps one.
A store that is down is retried with back-off for 72 hours; a statement it refuses (400) is
dead-lettered with its reason while the rest of the batch is delivered. Off while
`LADDER_XAPI_ENDPOINT` is unset.
"""

import base64
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Page

from assessments.models import Assessment, Attempt, BadgeAward, SkillBadge
from assessments.openbadges import absolute, assertion_url, badge_class_url
from assignment.models import XapiStatement
from assignment.services import outbound
from assignment.services.webhooks import GIVE_UP_AFTER, retry_delay
from careerpaths.models import Promotion
from courses.models import CoursePage, LessonPage, Question
from lms.models import LearningEvent, WorkerProfile
from lms.tasking import enqueue_once_on_commit

logger = logging.getLogger(__name__)

VERSION = "1.0.3"
BATCH = 50
# Batches one run of the send task sends before handing over to the next run.
BATCHES_PER_RUN = 20
LEASE = timedelta(minutes=5)
# Statement ids: a UUID 5 of the event in this namespace, so the same event always gets the same id.
NAMESPACE = uuid.UUID("5f0e3c4a-8d4b-4c36-9a55-6b1d2a7c9e10")

ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "course": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "badge": "http://activitystrea.ms/schema/1.0/badge",
    "level": "http://id.tincanapi.com/activitytype/level",
}


def _verb(iri: str, name: str) -> dict:
    return {"id": iri, "display": {"en-US": name}}


def _own_verb(name: str) -> dict:
    """A verb no shared vocabulary has, named under Ladder's own address."""
    return _verb(absolute(f"/xapi/verbs/{name.replace(' ', '-')}"), name)


VERBS = {
    LearningEvent.Kind.LESSON_OPENED: _verb(ADL + "launched", "launched"),
    LearningEvent.Kind.LEARNING_TIME: _verb(ADL + "experienced", "experienced"),
    LearningEvent.Kind.LESSON_COMPLETED: _verb(ADL + "completed", "completed"),
    LearningEvent.Kind.QUESTION_ASKED: _verb(ADL + "asked", "asked"),
    LearningEvent.Kind.ATTEMPT_STARTED: _verb(ADL + "attempted", "attempted"),
    "passed": _verb(ADL + "passed", "passed"),
    "failed": _verb(ADL + "failed", "failed"),
    LearningEvent.Kind.BADGE_AWARDED: _verb("http://id.tincanapi.com/verb/earned", "earned"),
    LearningEvent.Kind.BADGE_RENEWED: _verb("http://id.tincanapi.com/verb/earned", "earned"),
}
# A pass is also told by its submission ("passed", with the score): no second statement for it.
NOT_SENT = {LearningEvent.Kind.ATTEMPT_PASSED}


def enabled() -> bool:
    return bool(settings.LADDER_XAPI_ENDPOINT)


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI wants it: 95 → "PT1M35S", 0 → "PT0S"."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "PT" + text + (f"{seconds}S" if seconds or not text else "")


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement_id(source: str, pk: int) -> uuid.UUID:
    """The same id for the same event on the same Ladder, whenever and however often it is sent."""
    return uuid.uuid5(NAMESPACE, f"{absolute('/')}{source}/{pk}")


def _activity(kind: str, path: str, name: str, language: str) -> dict:
    return {
        "objectType": "Activity",
        "id": absolute(path) if path.startswith("/") else path,
        "definition": {"type": ACTIVITY_TYPES[kind], "name": {language: name or path}},
    }


@dataclass
class Names:
    """What the statements name (lessons, checks, badges), looked up once per batch of events."""

    lessons: dict[int, LessonPage | None] = field(default_factory=dict)
    courses: dict[int, CoursePage | None] = field(default_factory=dict)
    badges: dict[int, SkillBadge | None] = field(default_factory=dict)
    attempts: dict[int, Attempt | None] = field(default_factory=dict)

    def lesson(self, pk: int | None) -> LessonPage | None:
        if pk not in self.lessons:
            self.lessons[pk] = LessonPage.objects.select_related("locale").filter(pk=pk).first()
        return self.lessons[pk]

    def course(self, lesson: LessonPage) -> CoursePage | None:
        if lesson.pk not in self.courses:
            parent = lesson.path[: -Page.steplen]
            self.courses[lesson.pk] = CoursePage.objects.filter(path=parent).first()
        return self.courses[lesson.pk]

    def badge(self, pk: int | None) -> SkillBadge | None:
        if pk not in self.badges:
            self.badges[pk] = SkillBadge.objects.filter(pk=pk).first()
        return self.badges[pk]

    def attempt(self, pk: int | None) -> Attempt | None:
        if pk not in self.attempts:
            self.attempts[pk] = Attempt.objects.select_related("assessment").filter(pk=pk).first()
        return self.attempts[pk]


def _actor(worker: WorkerProfile) -> dict:
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.LADDER_PUBLIC_URL.rstrip("/"), "name": worker.external_id},
    }


def _lesson_activity(names: Names, lesson_id: int | None) -> tuple[dict, dict]:
    """The lesson as an activity, and the context naming its course."""
    lesson = names.lesson(lesson_id)
    path = f"/xapi/activities/lesson/{lesson_id}"
    if lesson is None:  # deleted since: still the same activity id, without a name to give
        return {"objectType": "Activity", "id": absolute(path)}, {}
    language = lesson.locale.language_code
    activity = _activity("lesson", path, lesson.title, language)
    course = names.course(lesson)
    if course is None:
        return activity, {}
    parent = _activity("course", f"/xapi/activities/course/{course.pk}", course.title, language)
    return activity, {"contextActivities": {"parent": [parent]}}


def _assessment_activity(assessment: Assessment) -> dict:
    return _activity("assessment", f"/xapi/activities/skill-check/{assessment.pk}", assessment.title, "en")


def _badge_activity(names: Names, badge_id: int | None) -> dict:
    badge = names.badge(badge_id)
    if badge is None:
        return {"objectType": "Activity", "id": absolute(f"/xapi/activities/badge/{badge_id}")}
    return _activity("badge", badge_class_url(badge), badge.name, "en")


def _lesson_seconds(event: LearningEvent) -> int:
    """Active time counted on the lesson up to its completion."""
    total = LearningEvent.objects.filter(
        worker_id=event.worker_id,
        kind=LearningEvent.Kind.LEARNING_TIME,
        subject_id=event.subject_id,
        occurred_at__lte=event.occurred_at,
    ).aggregate(total=Sum("seconds"))["total"]
    return total or 0


def _score(score: Decimal) -> dict:
    return {"scaled": float(score / 100), "raw": float(score), "min": 0, "max": 100}


def _event_parts(event: LearningEvent, names: Names) -> tuple[dict, dict, dict | None, dict] | None:
    """(verb, object, result, context) for the event, or None when it is told by another statement."""
    kind = event.kind
    if kind in NOT_SENT:
        return None
    if kind in (LearningEvent.Kind.LESSON_OPENED, LearningEvent.Kind.LESSON_COMPLETED):
        activity, context = _lesson_activity(names, event.subject_id)
        result = None
        if kind == LearningEvent.Kind.LESSON_COMPLETED:
            result = {"completion": True, "duration": duration(_lesson_seconds(event))}
        return VERBS[kind], activity, result, context
    if kind == LearningEvent.Kind.LEARNING_TIME:
        activity, context = _lesson_activity(names, event.subject_id)
        return VERBS[kind], activity, {"duration": duration(event.seconds)}, context
    if kind == LearningEvent.Kind.QUESTION_ASKED:
        activity, context = _lesson_activity(names, (event.data or {}).get("lesson"))
        question = Question.objects.filter(pk=event.subject_id).values_list("text", flat=True).first()
        return VERBS[kind], activity, ({"response": question} if question else None), context
    if kind in (LearningEvent.Kind.ATTEMPT_STARTED, LearningEvent.Kind.ATTEMPT_SUBMITTED):
        attempt = names.attempt(event.subject_id)
        if attempt is None:
            raise ValueError(f"skill check attempt {event.subject_id} no longer exists")
        activity = _assessment_activity(attempt.assessment)
        context = {"registration": str(uuid.uuid5(NAMESPACE, f"{absolute('/')}attempt/{attempt.pk}"))}
        if kind == LearningEvent.Kind.ATTEMPT_STARTED:
            return VERBS[kind], activity, None, context
        passed = bool((event.data or {}).get("passed", attempt.passed))
        score = Decimal(str((event.data or {}).get("score", attempt.score or 0)))
        result = {"score": _score(score), "success": passed, "completion": True}
        if attempt.finished_at:
            result["duration"] = duration((attempt.finished_at - attempt.started_at).total_seconds())
        return VERBS["passed" if passed else "failed"], activity, result, context
    badge = _badge_activity(names, event.subject_id)
    found = BadgeAward.objects.filter(uid=(event.data or {}).get("award")).first()
    context = {"extensions": {absolute("/xapi/extensions/assertion"): assertion_url(found)}} if found else {}
    if kind in VERBS:
        return VERBS[kind], badge, None, context
    # Revoked or expired: no shared vocabulary has the word.
    verb = _own_verb("revoked" if kind == LearningEvent.Kind.BADGE_REVOKED else "expired")
    result = None
    if kind == LearningEvent.Kind.BADGE_REVOKED and (event.data or {}).get("reason"):
        result = {"response": event.data["reason"]}
    return verb, badge, result, context


def _statement(
    *, id: uuid.UUID, worker: WorkerProfile, verb: dict, activity: dict, result, context, at: datetime
) -> dict:
    statement = {
        "id": str(id),
        "actor": _actor(worker),
        "verb": verb,
        "object": activity,
        "timestamp": _timestamp(at),
        "context": {"platform": "Ladder", "language": worker.language, **context},
    }
    if result:
        statement["result"] = result
    return statement


def statement_for_event(event: LearningEvent, names: Names | None = None) -> dict | None:
    """The event as an xAPI statement, or None for an event another statement already tells."""
    names = names or Names()
    parts = _event_parts(event, names)
    if parts is None:
        return None
    verb, activity, result, context = parts
    return _statement(
        id=statement_id("learning-event", event.pk),
        worker=event.worker,
        verb=verb,
        activity=activity,
        result=result,
        context=context,
        at=event.occurred_at,
    )


def statement_for_promotion(promotion: Promotion) -> dict:
    level = promotion.to_level
    return _statement(
        id=statement_id("promotion", promotion.pk),
        worker=promotion.worker,
        verb=_own_verb("promoted to"),
        activity=_activity("level", f"/xapi/activities/career-level/{level.slug}", level.name, "en"),
        result={"response": promotion.decision},
        context={},
        at=promotion.decided_at,
    )


def _row(statement: dict, **source) -> XapiStatement:
    return XapiStatement(
        statement_id=uuid.UUID(statement["id"]),
        verb=statement["verb"]["display"]["en-US"][:40],
        statement=statement,
        **source,
    )


def _send_after_commit() -> None:
    from assignment import tasks  # tasks import services: a module-level import would be circular

    enqueue_once_on_commit(tasks.xapi_send)


def _record(build, **source) -> XapiStatement | None:
    if not enabled():
        return None
    try:
        with transaction.atomic():  # a statement that cannot be built never undoes the change itself
            statement = build()
            if statement is None:
                return None
            row = _row(statement, **source)
            row.save()
    except Exception:
        logger.exception("no xAPI statement for %s; xapi_backfill can queue it", source)
        return None
    _send_after_commit()
    return row


def xapi_record_event(*, event: LearningEvent) -> XapiStatement | None:
    """Write the event's statement to the outbox in the caller's transaction; sent once it commits."""
    return _record(lambda: statement_for_event(event), event=event)


def xapi_record_promotion(*, promotion: Promotion) -> XapiStatement | None:
    return _record(lambda: statement_for_promotion(promotion), promotion=promotion)


@dataclass
class Backfill:
    queued: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


def _queue(rows: list[XapiStatement], report: Backfill) -> None:
    known = set(
        XapiStatement.objects.filter(statement_id__in=[r.statement_id for r in rows]).values_list(
            "statement_id", flat=True
        )
    )
    new = [r for r in rows if r.statement_id not in known]
    XapiStatement.objects.bulk_create(new, ignore_conflicts=True)
    report.queued += len(new)
    report.already += len(rows) - len(new)


def xapi_backfill(*, since: date, chunk: int = 1000) -> Backfill:
    """Queue a statement for every learning event and promotion since the day (UTC), for a newly connected
    store. Statements already queued are not queued again; an event that cannot be told is skipped and
    reported, the others go on."""
    if not enabled():
        raise ValueError("Set LADDER_XAPI_ENDPOINT first: there is no learning record store to send to.")
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    report = Backfill()
    names = Names()
    after = 0
    while True:
        events = list(
            LearningEvent.objects.filter(occurred_at__gte=start, pk__gt=after)
            .select_related("worker")
            .order_by("pk")[:chunk]
        )
        if not events:
            break
        after = events[-1].pk
        rows = []
        for event in events:
            try:
                statement = statement_for_event(event, names)
            except Exception as error:  # one event that cannot be told never stops the others
                report.skipped.append(f"learning event {event.pk}: {error}")
                continue
            if statement is not None:
                rows.append(_row(statement, event=event))
        with transaction.atomic():
            _queue(rows, report)
    promotions = Promotion.objects.filter(
        decided_at__gte=start, decision__in=[Promotion.Decision.APPROVED, Promotion.Decision.AUTOMATIC]
    ).select_related("worker", "to_level")
    for batch in _chunks(promotions.order_by("pk").iterator(chunk_size=chunk), chunk):
        with transaction.atomic():
            _queue([_row(statement_for_promotion(p), promotion=p) for p in batch], report)
    if report.queued:
        _send_after_commit()
    return report


def _chunks(items: Iterable, size: int) -> Iterable[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _headers() -> dict[str, str]:
    login = f"{settings.LADDER_XAPI_USERNAME}:{settings.LADDER_XAPI_PASSWORD}".encode()
    return {
        "Content-Type": "application/json",
        "User-Agent": "Ladder-xAPI/1",
        "X-Experience-API-Version": VERSION,
        "Authorization": "Basic " + base64.b64encode(login).decode(),
    }


def _reason(status: int, answer: bytes) -> str:
    """The store's reason for refusing, as it gave it (xAPI stores answer JSON with a detail or message)."""
    text = answer.decode("utf-8", "replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        detail = parsed.get("detail") or parsed.get("message") or parsed.get("error") or parsed
        if isinstance(detail, list):
            detail = "; ".join(
                str(d.get("msg", d)) + (f" at {'.'.join(map(str, d['loc']))}" if d.get("loc") else "")
                if isinstance(d, dict)
                else str(d)
                for d in detail
            )
        text = detail if isinstance(detail, str) else json.dumps(detail)
    return f"HTTP {status}: {' '.join(text.split())}"[:300]


def _post(statements: list[dict]) -> tuple[int | None, str]:
    """Send the statements; (status code or None, why it failed)."""
    body = json.dumps(statements, separators=(",", ":")).encode()
    url = settings.LADDER_XAPI_ENDPOINT + "/statements"
    try:
        status, answer = outbound.exchange(url, body, _headers(), trusted=True)
    except (outbound.UnsafeUrl, outbound.SendFailed) as error:
        return None, str(error)[:300]
    except Exception as error:  # any failure is a failed attempt with back-off (soft time limit too)
        logger.warning("xAPI send failed: %r", error)
        return None, type(error).__name__
    return status, "" if 200 <= status < 300 else _reason(status, answer)


def _claim(now: datetime, limit: int) -> list[XapiStatement]:
    """Take up to `limit` due statements for this sender; a second sender at the same moment gets others."""
    due = list(
        XapiStatement.objects.filter(status=XapiStatement.Status.PENDING, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return []
    claim = uuid.uuid4()
    XapiStatement.objects.filter(
        pk__in=due, status=XapiStatement.Status.PENDING, next_attempt_at__lte=now
    ).update(claim=claim, next_attempt_at=now + LEASE)
    return list(XapiStatement.objects.filter(claim=claim).order_by("pk"))


def _settle(rows: list[XapiStatement], status_code: int | None, error: str, now: datetime) -> None:
    for row in rows:
        row.attempts += 1
        row.last_status_code = status_code
        row.claim = None
        if status_code is not None and 200 <= status_code < 300:
            row.status, row.delivered_at, row.last_error = XapiStatement.Status.DELIVERED, now, ""
        elif (status_code is not None and _refused(status_code)) or now - row.queued_at >= GIVE_UP_AFTER:
            row.status, row.last_error = XapiStatement.Status.DEAD, error
        else:
            row.next_attempt_at, row.last_error = now + retry_delay(row.attempts), error
    XapiStatement.objects.bulk_update(
        rows,
        [
            "attempts",
            "last_status_code",
            "claim",
            "status",
            "delivered_at",
            "last_error",
            "next_attempt_at",
        ],
    )


def _refused(status_code: int) -> bool:
    """The store refuses the statement itself (sending it again cannot help), as opposed to being down,
    overloaded or not letting us in (401/403: a setting to fix, then the retries go through)."""
    return 400 <= status_code < 500 and status_code not in (401, 403, 404, 408, 429)


def xapi_send_batch(*, now: datetime | None = None, size: int = BATCH) -> int:
    """Send one batch of due statements; the number taken (0 when none were due).

    A batch the store refuses is sent again one statement at a time, so one bad statement is
    dead-lettered with the store's reason and the others are delivered.
    """
    now = now or timezone.now()
    rows = _claim(now, size)
    if not rows:
        return 0
    status_code, error = _post([row.statement for row in rows])
    if status_code is not None and _refused(status_code) and len(rows) > 1:
        for row in rows:
            single_code, single_error = _post([row.statement])
            _settle([row], single_code, single_error, now)
    else:
        _settle(rows, status_code, error, now)
    return len(rows)


def xapi_send(*, now: datetime | None = None) -> tuple[int, bool]:
    """Send due statements, a batch at a time; (statements taken, whether more may be due)."""
    if not enabled():
        return 0, False
    taken = 0
    for _ in range(BATCHES_PER_RUN):
        sent = xapi_send_batch(now=now)
        taken += sent
        if sent < BATCH:
            return taken, False
        now = None  # the next batch is judged at its own moment
    return taken, True


@transaction.atomic
def xapi_resend(*, statement: XapiStatement) -> XapiStatement:
    """Put a dead-lettered (or any) statement back in the queue now; the admin's re-send button.

    It keeps its id and content: a store that already has it keeps one.
    """
    XapiStatement.objects.filter(pk=statement.pk).update(
        status=XapiStatement.Status.PENDING,
        next_attempt_at=timezone.now(),
        queued_at=timezone.now(),  # the 72 hours start again from the re-send
        last_error="",
        claim=None,
    )
    _send_after_commit()
    statement.refresh_from_db()
    return statement


def xapi_resend_dead() -> int:
    """Re-send every dead-lettered statement (after the store was fixed); the number queued."""
    count = XapiStatement.objects.filter(status=XapiStatement.Status.DEAD).update(
        status=XapiStatement.Status.PENDING,
        next_attempt_at=timezone.now(),
        queued_at=timezone.now(),
        last_error="",
        claim=None,
    )
    if count:
        _send_after_commit()
    return count
