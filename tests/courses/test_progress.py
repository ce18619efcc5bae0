from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Sum

from courses import selectors, services
from courses.models import LearningTime, LessonProgress
from lms.models import LearningEvent
from lms.selectors import worker_local_date

T0 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


def beat(worker, lesson, seconds_after_t0):
    return services.lesson_heartbeat(
        worker=worker, lesson=lesson, at=T0 + timedelta(seconds=seconds_after_t0)
    )


def test_open_starts_progress_once_and_logs_each_open(worker, lessons):
    services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    services.lesson_open(worker=worker, lesson=lessons[0], at=T0 + timedelta(hours=1))

    progress = LessonProgress.objects.get(worker=worker, lesson=lessons[0])
    assert progress.started_at == T0
    assert progress.last_opened_at == T0 + timedelta(hours=1)
    assert progress.course_id == lessons[0].get_parent().pk
    assert LearningEvent.objects.filter(worker=worker, kind="lesson_opened").count() == 2


def test_heartbeat_needs_an_opened_lesson(worker, lessons):
    with pytest.raises(services.LearningError):
        beat(worker, lessons[0], 60)
    assert not LearningTime.objects.exists()


def test_heartbeats_count_at_most_one_per_30_seconds(worker, lessons):
    services.lesson_open(worker=worker, lesson=lessons[0], at=T0)

    counted = [beat(worker, lessons[0], s) for s in (10, 31, 45, 61, 62, 95)]

    assert counted == [0, 30, 0, 30, 0, 30]
    row = LearningTime.objects.get(worker=worker, lesson=lessons[0])
    assert row.seconds == 90
    assert LearningEvent.objects.filter(kind="learning_time").aggregate(s=Sum("seconds"))["s"] == 90


def test_two_open_lessons_do_not_double_count(worker, lessons):
    services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    services.lesson_open(worker=worker, lesson=lessons[1], at=T0)

    assert beat(worker, lessons[0], 31) == 30
    assert beat(worker, lessons[1], 32) == 0
    assert beat(worker, lessons[1], 62) == 30


def test_time_is_stored_on_the_workers_own_calendar_day(make_worker, lessons):
    kolkata = make_worker(time_zone="Asia/Kolkata")
    sunday_night_utc = datetime(2026, 11, 15, 18, 40, tzinfo=UTC)  # Monday 00:10 in Kolkata
    services.lesson_open(worker=kolkata, lesson=lessons[0], at=sunday_night_utc)
    services.lesson_heartbeat(worker=kolkata, lesson=lessons[0], at=sunday_night_utc + timedelta(seconds=40))

    assert LearningTime.objects.get(worker=kolkata).day.isoformat() == "2026-11-16"


def test_a_day_never_exceeds_24_hours(worker, lessons):
    day = worker_local_date(worker=worker, at=T0)
    LearningTime.objects.create(worker=worker, lesson=lessons[1], day=day, seconds=86400 - 10)
    services.lesson_open(worker=worker, lesson=lessons[0], at=T0)

    assert beat(worker, lessons[0], 31) == 10
    assert beat(worker, lessons[0], 70) == 0
    assert LearningTime.objects.filter(worker=worker, day=day).aggregate(s=Sum("seconds"))["s"] == 86400


def test_complete_is_idempotent_and_logged_once(worker, lessons):
    services.lesson_complete(worker=worker, lesson=lessons[0], at=T0)
    services.lesson_complete(worker=worker, lesson=lessons[0], at=T0 + timedelta(minutes=5))

    assert LessonProgress.objects.get(worker=worker, lesson=lessons[0]).completed_at == T0
    assert LearningEvent.objects.filter(worker=worker, kind="lesson_completed").count() == 1


def test_continue_learning_points_at_the_unfinished_lesson_then_the_next(worker, lessons):
    assert selectors.continue_learning_for_worker(worker=worker) is None

    services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    assert selectors.continue_learning_for_worker(worker=worker).pk == lessons[0].pk

    services.lesson_complete(worker=worker, lesson=lessons[0], at=T0 + timedelta(minutes=5))
    assert selectors.continue_learning_for_worker(worker=worker).pk == lessons[1].pk


def test_course_cards_count_done_lessons_per_course(worker, lessons, make_course, make_lesson):
    other = make_course("Bounding boxes")
    make_lesson(other)
    make_lesson(other, live=False)
    services.lesson_complete(worker=worker, lesson=lessons[0], at=T0)
    services.lesson_open(worker=worker, lesson=lessons[1], at=T0)

    cards = {card.course.title: card for card in selectors.course_cards_for_worker(worker=worker)}

    assert (cards["Image tagging basics"].lessons_done, cards["Image tagging basics"].lessons_total) == (1, 3)
    assert cards["Image tagging basics"].started
    assert (cards["Bounding boxes"].lessons_done, cards["Bounding boxes"].lessons_total) == (0, 1)
    assert not cards["Bounding boxes"].started
