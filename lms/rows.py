"""Rows read by a plain query and turned into values as the ORM reads them.

For the few reads made on every request (the signed-in user with their worker profile, an API key): there
building the SQL cost several times running it. The converters (the database's, then the field's) are
looked up once per database and field.

On PostgreSQL those reads go through `prepared()`: planning them cost several times running them
(0.7–0.9 ms of the server's time against 0.12), and a prepared statement is planned once per connection.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections


def columns(model, names, alias: str) -> str:
    """`alias."column", …` of the model's fields `names`, for a SELECT list."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(model._meta.get_field(name).column)}" for name in names)


def from_db(model, names, values) -> list:
    """The stored values of the model's fields `names`, as the ORM would read them."""
    db = connections[connection.alias]  # the connection itself: each use of the proxy looks it up again
    read = []
    for name, value in zip(names, values, strict=True):
        column, converters = _converters(db.alias, db.vendor, model, name)
        for converter in converters:
            value = converter(value, column, db)
        read.append(value)
    return read


@functools.cache
def _converters(alias: str, vendor: str, model, name: str) -> tuple:
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    return column, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection))


@contextmanager
def prepared() -> Iterator:
    """A cursor for a hot read: on PostgreSQL its statements are prepared, planned once per connection.

    Django's cursors bind values into the SQL text on the client, and PostgreSQL plans each such statement
    afresh; this one sends them apart (server-side binding), and psycopg prepares each statement on its
    first run (`prepare_threshold` 0, set in the settings). It is the usual cursor on SQLite, where the
    setting is off (`DATABASE_PREPARED_STATEMENTS=off`, for a pooler that cannot keep a session's
    prepared statements), and where queries are logged (DEBUG, a test counting them): the log then shows
    each statement with its values, which psycopg does not keep for a prepared one.
    """
    db = connections[connection.alias]
    if (
        db.vendor != "postgresql"
        or db.queries_logged
        or db.settings_dict["OPTIONS"].get("prepare_threshold") is None
    ):
        with db.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor  # loaded only where it is used

    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    with db.wrap_database_errors:
        cursor = db.make_cursor(ServerBindingCursor(db.connection))
    with cursor:
        yield cursor
