from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courses import services, tasks
from courses.models import Question
from tests.integration.conftest import use_broker
from tests.servers import wait_until

pytestmark = pytest.mark.integration


def notified(question_id):
    return Question.objects.filter(pk=question_id, notified_at__isnull=False).exists()


def test_an_answer_is_mailed_by_the_celery_worker_after_commit(celery_worker, worker, assistant, lessons):
    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")

    services.question_answer(question=question, answer="No, shadows are not objects.", by=assistant)

    assert wait_until(lambda: notified(question.pk)), "the worker never sent the notification"
    assert [m.to for m in mail.outbox] == [[worker.user.email]]
    assert "No, shadows are not objects." in mail.outbox[0].body


def test_the_cache_lives_in_the_real_redis(real_redis, db):
    import redis

    cache.set("ladder-integration", "here", 30)
    assert redis.Redis.from_url(real_redis).exists(":1:ladder-integration")
    assert cache.get("ladder-integration") == "here"
    # One client serves every call (Django's own builds one per call).
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache.get_many(["ladder-integration", "nothing"]) == {"ladder-integration": "here"}


def test_redis_down_never_breaks_the_answer_and_the_sweep_sends_it_later(
    client,
    dead_broker,
    transactional_db,
    settings,
    worker,
    assistant,
    lessons,
    redis_url,
):
    settings.CACHES = {"default": {"BACKEND": "lms.cache.ResilientRedisCache", "LOCATION": dead_broker}}
    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    client.force_login(assistant)

    response = client.post(reverse("worker_questions:edit", args=[question.pk]), {"answer": "No."})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_answered and question.notified_at is None
    assert client.get(reverse("home")).status_code == 200  # pages render with the cache gone too

    use_broker(redis_url)
    settings.CACHES = {"default": {"BACKEND": "lms.cache.ResilientRedisCache", "LOCATION": redis_url}}
    from celery.contrib.testing.worker import start_worker

    from lms.celery import app as celery_app

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert tasks.question_notifications_sweep() == 0  # the on-commit send is given its time first
        Question.objects.filter(pk=question.pk).update(answered_at=timezone.now() - timedelta(minutes=6))
        assert tasks.question_notifications_sweep() == 1
        assert wait_until(lambda: notified(question.pk))
    assert len(mail.outbox) == 1
