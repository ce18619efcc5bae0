"""Signing in: Django's model backend, with the worker profile read in the same query as the user.

Every signed-in page asks who the worker is (their time zone and language are set before the view
runs): reading the profile with the user saves a query on each of them. The query is written once, not
built by the ORM on every request (building it cost several times running it).

A staff member's permissions (the menu asks on every page whether they may read the impact report) are
read the same way: their own and their groups' in one written statement, where Django's backend builds
and runs two queries; the answer is the same set, kept on the user for the request as Django keeps it.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection

from lms import rows
from lms.models import WorkerProfile


class WorkerModelBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_worker(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:  # every permission there is: Django's own reading
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            with rows.prepared() as cursor:
                cursor.execute(_permissions_query(connection.vendor), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {
                    f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()
                }
        return user_obj._perm_cache


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


@functools.cache
def _permissions_query(vendor: str) -> str:
    """`app_label, codename` of a user's own permissions and their groups' (the user's id twice)."""
    User = get_user_model()
    quote = connection.ops.quote_name
    own = User._meta.get_field("user_permissions").remote_field.through._meta
    groups = User._meta.get_field("groups").remote_field.through._meta
    granted = Group._meta.get_field("permissions").remote_field.through._meta
    permission, content_type = quote(Permission._meta.db_table), quote(ContentType._meta.db_table)

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    # Tables and columns from the models' metadata; the ids are parameters.
    return (
        f"SELECT ct.{quote('app_label')}, p.{quote('codename')} FROM {permission} p "  # noqa: S608
        f"JOIN {content_type} ct ON ct.{quote('id')} = p.{quote('content_type_id')} "
        f"WHERE p.{quote('id')} IN ("
        f"SELECT {column(own, 'permission')} FROM {quote(own.db_table)} "
        f"WHERE {column(own, User._meta.model_name)} = %s "
        f"UNION SELECT gp.{column(granted, 'permission')} FROM {quote(granted.db_table)} gp "
        f"JOIN {quote(groups.db_table)} ug ON ug.{column(groups, 'group')} = gp.{column(granted, 'group')} "
        f"WHERE ug.{column(groups, User._meta.model_name)} = %s)"
    )
