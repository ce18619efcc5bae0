"""Scheduling Celery work from services: after commit, and never at the cost of the request."""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def _publish(task: Task, args: tuple) -> None:
    try:
        task.apply_async(args=args, retry=False)
    except Exception as error:
        # The row that asked for this work is committed; the beat sweep finds it and sends it.
        logger.warning(
            "could not publish %s%r (%s); the periodic sweep will pick it up", task.name, args, error
        )


def enqueue_on_commit(task: Task, *args: int) -> None:
    """Publish the task once the current transaction commits; a broker failure is logged, not raised."""
    transaction.on_commit(lambda: _publish(task, args))


class _Once:
    def __init__(self, task: Task, args: tuple):
        self.task, self.args = task, args

    def __call__(self) -> None:
        _publish(self.task, self.args)


def enqueue_once_on_commit(task: Task, *args: int) -> None:
    """Like `enqueue_on_commit`, but asked for many times in one transaction it is published once
    (a task that drains a queue: one run after the commit sends everything written in it)."""
    connection = transaction.get_connection()
    for entry in connection.run_on_commit:
        queued = entry[1]
        if isinstance(queued, _Once) and queued.task is task and queued.args == args:
            return
    transaction.on_commit(_Once(task, args))
