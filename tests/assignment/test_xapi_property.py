"""The learning time a store reads from Ladder's statements is Ladder's own, however late or sparse."""

import contextlib
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assignment.models import XapiStatement
from courses import services as course_services
from courses.models import LearningTime
from courses.services import LearningError
from lms.models import LearningEvent

# (what, lesson, seconds after the start): a heartbeat, an opening or a completion, at any moment of 3 days.
write = st.tuples(
    st.sampled_from(["open", "beat", "beat", "complete"]), st.integers(0, 1), st.integers(0, 3 * 86400)
)


def parse_duration(text: str) -> int:
    """ISO 8601 "PT1H2M5S" → 3725, written here from the standard, not from the product's helper."""
    assert text.startswith("PT")
    total, number = 0, ""
    for char in text[2:]:
        if char.isdigit():
            number += char
        else:
            total += int(number) * {"H": 3600, "M": 60, "S": 1}[char]
            number = ""
    return total


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(write, min_size=1, max_size=16), order=st.randoms(use_true_random=False))
def test_statements_tell_exactly_the_learning_time_ladder_counts(
    settings, make_worker, lessons, writes, order
):
    settings.LADDER_XAPI_ENDPOINT = "http://lrs.example/xAPI"
    worker = make_worker(f"w{uuid.uuid4().hex[:8]}", time_zone="America/Lima")
    base = timezone.now().replace(microsecond=0) - timedelta(days=5)
    arrivals = [(kind, lesson, base + timedelta(seconds=s)) for kind, lesson, s in writes]
    order.shuffle(arrivals)  # late data: sent in any order, sparse or dense
    for kind, lesson, at in arrivals:
        if kind == "open":
            course_services.lesson_open(worker=worker, lesson=lessons[lesson], at=at)
        elif kind == "complete":
            course_services.lesson_complete(worker=worker, lesson=lessons[lesson], at=at)
        else:
            with contextlib.suppress(LearningError):  # not opened before it: refused, nothing counted
                course_services.lesson_heartbeat(worker=worker, lesson=lessons[lesson], at=at)

    rows = list(XapiStatement.objects.filter(event__worker=worker).order_by("pk"))
    events = LearningEvent.objects.filter(worker=worker)
    # One statement per learning event, each with its own id.
    assert sorted(r.event_id for r in rows) == sorted(events.values_list("pk", flat=True))
    assert len({r.statement_id for r in rows}) == len(rows)

    # Rebuilt from the statements alone: the time per lesson a store sums equals Ladder's stored time.
    told = defaultdict(int)
    for row in rows:
        if row.verb == "experienced":
            told[row.statement["object"]["id"]] += parse_duration(row.statement["result"]["duration"])
    for number, lesson in enumerate(lessons[:2]):
        counted = LearningTime.objects.filter(worker=worker, lesson=lesson).aggregate(t=Sum("seconds"))["t"]
        assert told[f"http://testserver/xapi/activities/lesson/{lesson.pk}"] == (counted or 0), number

    # A completion tells the time counted on its lesson up to it, as known when it was written.
    for position, row in enumerate(rows):
        if row.verb != "completed":
            continue
        completed_at = datetime.fromisoformat(row.statement["timestamp"])
        before = sum(
            parse_duration(r.statement["result"]["duration"])
            for r in rows[:position]
            if r.verb == "experienced"
            and r.statement["object"]["id"] == row.statement["object"]["id"]
            and datetime.fromisoformat(r.statement["timestamp"]) <= completed_at
        )
        assert parse_duration(row.statement["result"]["duration"]) == before
