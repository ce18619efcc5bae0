import pytest
from celery.contrib.testing.worker import start_worker

from lms.celery import app as celery_app
from tests.servers import free_port, redis_server


def use_broker(url: str) -> None:
    """Point the Celery app at another broker, dropping connections made to the old one."""
    celery_app.conf.broker_url = url
    # The connection pools are keyed by broker URL; forgetting ours makes the next publish use the new one.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(scope="session")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
def real_redis(redis_url, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    use_broker(redis_url)
    yield redis_url


@pytest.fixture
def celery_worker(real_redis, transactional_db):
    """A real Celery worker consuming from the real Redis, in a thread of this process."""
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["celery", "webhooks"]
    ) as worker:
        yield worker


@pytest.fixture
def dead_broker():
    """A broker URL where nothing listens, as when Redis is down."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    use_broker(url)
    return url
