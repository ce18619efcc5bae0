"""Signing in: Django's model backend, with the worker profile read in the same query as the user.

Every signed-in page asks who the worker is (their time zone and language are set before the view
runs): reading the profile with the user saves a query on each of them. The query is written once, not
built by the ORM on every request (building it cost several times running it).
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from lms import rows
from lms.models import WorkerProfile


class WorkerModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_worker(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_with_worker(user_id):
    """The user with this id, their worker profile (or its absence) already read, else None."""
    User = get_user_model()
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    user_fields, worker_fields, query = _user_query(connection.vendor)
    with rows.prepared() as cursor:
        cursor.execute(query, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_fields)
    user = User.from_db(connection.alias, user_fields, rows.from_db(User, user_fields, row[:split]))
    worker = None
    if row[split] is not None:  # the profile's id: NULL when the user has none (staff)
        values = rows.from_db(WorkerProfile, worker_fields, row[split:])
        worker = WorkerProfile.from_db(connection.alias, worker_fields, values)
        WorkerProfile._meta.get_field("user").set_cached_value(worker, user)
    # `user.worker` answers from here (raising DoesNotExist for staff, as the ORM's would).
    User._meta.get_field("worker").set_cached_value(user, worker)
    return user


@functools.cache
def _user_query(vendor: str) -> tuple[list[str], list[str], str]:
    """The fields read, and the query: written once per process."""
    User = get_user_model()
    user_fields = [f.attname for f in User._meta.concrete_fields]
    worker_fields = [f.attname for f in WorkerProfile._meta.concrete_fields]
    quote = connection.ops.quote_name
    users, workers = quote(User._meta.db_table), quote(WorkerProfile._meta.db_table)
    worker_user, user_pk = quote(WorkerProfile._meta.get_field("user").column), quote(User._meta.pk.column)
    selected = f"{rows.columns(User, user_fields, 'u')}, {rows.columns(WorkerProfile, worker_fields, 'w')}"
    # Tables and columns from the models' metadata; the id is a parameter.
    query = (
        f"SELECT {selected} FROM {users} u LEFT JOIN {workers} w ON w.{worker_user} = u.{user_pk} "  # noqa: S608
        f"WHERE u.{user_pk} = %s"
    )
    return user_fields, worker_fields, query
