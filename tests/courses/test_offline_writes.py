"""Writes a page kept while offline and sent later: applied once, judged at the time they were made."""

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses import services
from courses.models import LearningTime, LessonProgress, Question
from lms.models import ClientWrite, LearningEvent, WeeklyRecord
from lms.records.rollup import weekly_rollup
from lms.selectors import week_of
from lms.services import client_writes_prune


def stamped(at: datetime, client_id: uuid.UUID | None = None, **fields) -> dict:
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "client_time": str(int(at.timestamp() * 1000)),
        **fields,
    }


def url(lesson, action: str) -> str:
    return f"/lessons/{lesson.pk}/{action}/"


@pytest.fixture
def opened(worker_client, lessons):
    """The first lesson opened an hour ago, from the page's queue."""
    at = timezone.now() - timedelta(hours=1)
    assert worker_client.post(url(lessons[0], "open"), stamped(at)).status_code == 204
    return at


def test_a_heartbeat_sent_twice_counts_once(worker_client, worker, lessons, opened):
    write = stamped(opened + timedelta(minutes=5))

    first = worker_client.post(url(lessons[0], "heartbeat"), write)
    again = worker_client.post(url(lessons[0], "heartbeat"), write)

    assert first.json() == {"counted_seconds": 30}
    assert again.status_code == 204 and again["Ladder-Write"] == "applied-before"
    assert LearningTime.objects.get(worker=worker).seconds == 30
    assert LearningEvent.objects.filter(worker=worker, kind="learning_time").count() == 1
    assert ClientWrite.objects.filter(worker=worker, kind="lesson_heartbeat").count() == 1


def test_a_late_heartbeat_counts_at_its_own_time_and_day(worker_client, worker, lessons, opened):
    at = opened + timedelta(minutes=10)

    worker_client.post(url(lessons[0], "heartbeat"), stamped(at))

    event = LearningEvent.objects.get(worker=worker, kind="learning_time")
    assert event.occurred_at == at.replace(microsecond=at.microsecond // 1000 * 1000)
    assert LearningTime.objects.get(worker=worker).day == at.astimezone(ZoneInfo(worker.time_zone)).date()


def test_heartbeats_arriving_out_of_order_count_no_more_than_in_order(worker_client, worker, lessons, opened):
    times = [opened + timedelta(seconds=s) for s in (40, 60, 80, 100, 120)]
    counted = [worker_client.post(url(lessons[0], "heartbeat"), stamped(t)).json() for t in reversed(times)]

    # 120 counts, 100 and 80 are within 30 s of a counted one, 60 counts, 40 is too close to 60.
    assert [c["counted_seconds"] for c in counted] == [30, 0, 30, 0, 30]
    assert LearningTime.objects.get(worker=worker).seconds == 90


def test_a_heartbeat_from_the_future_counts_as_now_and_adds_nothing(worker_client, worker, lessons, opened):
    future = worker_client.post(url(lessons[0], "heartbeat"), stamped(timezone.now() + timedelta(days=2)))
    now = worker_client.post(url(lessons[0], "heartbeat"), stamped(timezone.now()))

    assert future.json() == {"counted_seconds": 30}
    assert now.json() == {"counted_seconds": 0}
    assert LearningEvent.objects.get(worker=worker, kind="learning_time").occurred_at <= timezone.now()


def test_a_write_older_than_a_week_is_refused_and_can_be_told(worker_client, worker, lessons):
    response = worker_client.post(url(lessons[0], "open"), stamped(timezone.now() - timedelta(days=8)))

    assert response.status_code == 422
    assert "more than 7 days ago" in response.content.decode()
    assert not LessonProgress.objects.exists() and not ClientWrite.objects.exists()


def test_a_heartbeat_before_the_lesson_was_opened_is_refused_and_not_claimed(worker_client, lessons, opened):
    write = stamped(opened - timedelta(minutes=5))

    assert worker_client.post(url(lessons[0], "heartbeat"), write).status_code == 409
    assert not ClientWrite.objects.filter(kind="lesson_heartbeat").exists()


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"client_id": "not-an-id", "client_time": "1700000000000"}, "client_id"),
        ({"client_id": str(uuid.uuid4()), "client_time": "yesterday"}, "client_time"),
        ({"client_id": str(uuid.uuid4()), "client_time": "9" * 40}, "client_time"),
        ({"client_id": str(uuid.uuid4()), "client_time": "-5"}, "client_time"),
        ({"client_time": "1700000000000"}, "client_id"),
    ],
)
def test_an_unreadable_stamp_is_a_400_with_the_field(worker_client, lessons, opened, fields, bad):
    response = worker_client.post(url(lessons[0], "heartbeat"), fields)

    assert response.status_code == 400
    assert bad in response.json()["fields"]
    assert not LearningTime.objects.exists()


def test_a_lesson_completed_offline_is_done_at_its_time_once(worker_client, worker, lessons, opened):
    write = stamped(opened + timedelta(minutes=3))
    headers = {"HTTP_HX_REQUEST": "true"}

    assert worker_client.post(url(lessons[0], "complete"), write, **headers).status_code == 200
    assert worker_client.post(url(lessons[0], "complete"), write, **headers).status_code == 204

    progress = LessonProgress.objects.get(worker=worker, lesson=lessons[0])
    assert abs(progress.completed_at - (opened + timedelta(minutes=3))) < timedelta(milliseconds=1)
    assert LearningEvent.objects.filter(worker=worker, kind="lesson_completed").count() == 1


def test_a_question_asked_offline_is_stored_once_with_its_time(worker_client, worker, lessons, opened):
    write = stamped(opened + timedelta(minutes=2), text="Is a cat with a hat one tag or two?")
    headers = {"HTTP_HX_REQUEST": "true"}

    assert worker_client.post(url(lessons[0], "questions"), write, **headers).status_code == 201
    assert worker_client.post(url(lessons[0], "questions"), write, **headers).status_code == 204

    question = Question.objects.get(worker=worker)
    assert abs(question.asked_at - (opened + timedelta(minutes=2))) < timedelta(milliseconds=1)


def test_an_empty_question_from_the_queue_is_refused_and_can_be_sent_again(worker_client, lessons, opened):
    write = stamped(opened, text="   ")

    assert worker_client.post(url(lessons[0], "questions"), write, HTTP_HX_REQUEST="true").status_code == 422
    assert not ClientWrite.objects.filter(kind="question_ask").exists() and not Question.objects.exists()


def test_another_workers_lesson_id_reused_is_never_applied(client, make_worker, lessons, opened, worker):
    other = make_worker("other")
    client.force_login(other.user)
    write = stamped(opened + timedelta(minutes=5))

    # The same client id, from another worker: theirs to use, and it does not touch the first worker.
    assert client.post(url(lessons[0], "heartbeat"), write).status_code == 409
    assert not LearningTime.objects.filter(worker=worker).exists()


def test_a_write_for_a_lesson_that_is_gone_is_a_404_and_nothing(worker_client, lessons, opened):
    lessons[1].unpublish()

    assert worker_client.post(url(lessons[1], "open"), stamped(opened)).status_code == 404
    assert not LessonProgress.objects.filter(lesson=lessons[1]).exists()


# --- The rules judged from scratch -----------------------------------------------------------------------

ZONE = ZoneInfo("Asia/Kolkata")
write = st.tuples(st.sampled_from(["open", "beat"]), st.integers(0, 1), st.integers(0, 5 * 24 * 3600))


def judged_from_scratch(arrivals: list[tuple[int, str, int, datetime]]) -> tuple[dict, list[datetime]]:
    """The live rules applied to the writes in the order they arrive, in plain Python."""
    opens, counted, seen = defaultdict(list), [], set()
    per_day = defaultdict(int)
    for client, kind, lesson, at in arrivals:
        if client in seen:
            continue
        if kind == "open":
            opens[lesson].append(at)
            seen.add(client)
            continue
        before = [t for t in opens[lesson] if t <= at]
        if not before:
            continue  # refused: not claimed, so a copy is judged again
        seen.add(client)
        if max(before) > at - timedelta(seconds=30) or any(
            abs(c - at) < timedelta(seconds=30) for c in counted
        ):
            continue
        day = at.astimezone(ZONE).date()
        seconds = min(30, 86400 - per_day[day])
        if seconds:
            counted.append(at)
            per_day[day] += seconds
    return per_day, counted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(write, min_size=1, max_size=14), order=st.randoms(use_true_random=False))
def test_writes_replayed_in_any_order_and_twice_equal_the_rules_judged_from_scratch(
    client, make_worker, lessons, writes, order
):
    worker = make_worker(f"w{uuid.uuid4().hex[:8]}", time_zone="Asia/Kolkata")
    client.force_login(worker.user)
    base = timezone.now().replace(microsecond=0) - timedelta(days=6)
    made = [(uuid.uuid4(), kind, lesson, base + timedelta(seconds=s)) for kind, lesson, s in writes]
    arrivals = made + made[: len(made) // 2]  # a page that lost the answers sends some writes again
    order.shuffle(arrivals)

    for client_id, kind, lesson, at in arrivals:
        action = "open" if kind == "open" else "heartbeat"
        assert client.post(url(lessons[lesson], action), stamped(at, client_id)).status_code in (
            200,
            204,
            409,
        )

    per_day, counted = judged_from_scratch(arrivals)
    events = LearningEvent.objects.filter(worker=worker, kind="learning_time")
    assert sorted(events.values_list("occurred_at", flat=True)) == sorted(counted)
    stored = LearningTime.objects.filter(worker=worker).values("day").annotate(total=Sum("seconds"))
    assert {row["day"]: row["total"] for row in stored} == {d: s for d, s in per_day.items() if s}
    # The weekly records read the same time, however late it came.
    weekly_rollup()
    minutes = defaultdict(int)
    for at in counted:
        minutes[week_of(worker=worker, at=at)] += 30
    records = WeeklyRecord.objects.filter(worker=worker, minutes_learned__gt=0)
    assert {r.week: r.minutes_learned for r in records} == {w: s // 60 for w, s in minutes.items() if s >= 60}


def test_heartbeats_sent_late_in_order_count_exactly_what_live_ones_would(
    client, worker_client, make_worker, lessons
):
    base = timezone.now().replace(microsecond=0) - timedelta(days=2)
    offsets = [0, 31, 50, 64, 95, 140, 141, 175, 300]
    live = make_worker("live", time_zone="Indian/Antananarivo")
    services.lesson_open(worker=live, lesson=lessons[0], at=base - timedelta(minutes=1))
    live_counted = [
        services.lesson_heartbeat(worker=live, lesson=lessons[0], at=base + timedelta(seconds=s))
        for s in offsets
    ]

    worker_client.post(url(lessons[0], "open"), stamped(base - timedelta(minutes=1)))
    replayed = [
        worker_client.post(url(lessons[0], "heartbeat"), stamped(base + timedelta(seconds=s))).json()
        for s in offsets
    ]

    assert [r["counted_seconds"] for r in replayed] == live_counted
    assert live_counted == [30, 30, 0, 30, 30, 30, 0, 30, 30]


def test_a_time_from_before_the_replay_window_is_refused_however_old(worker_client, lessons):
    response = worker_client.post(url(lessons[0], "open"), stamped(datetime(1970, 1, 2, tzinfo=UTC)))

    assert response.status_code == 422
    assert not LessonProgress.objects.exists()


def test_write_ids_kept_30_days_then_forgotten_and_a_copy_is_still_refused(
    worker_client, worker, lessons, time_machine
):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    write = stamped(now - timedelta(days=6, hours=23))
    assert worker_client.post(url(lessons[0], "open"), write).status_code == 204

    time_machine.move_to(now + timedelta(days=2), tick=False)
    assert client_writes_prune() == 0  # a phone may still be resending it: the id is kept
    assert worker_client.post(url(lessons[0], "open"), write).status_code == 204  # applied before: a no-op

    time_machine.move_to(now + timedelta(days=24), tick=False)
    assert client_writes_prune() == 1
    worker_client.force_login(worker.user)  # the old session has ended
    # Too old now: refused by its age, so forgetting the id lets nothing through twice.
    assert worker_client.post(url(lessons[0], "open"), write).status_code == 422
    assert LearningEvent.objects.filter(worker=worker, kind="lesson_opened").count() == 1
