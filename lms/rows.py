"""Rows read by a plain query and turned into values as the ORM reads them.

For the few reads made on every request (the signed-in user with their worker profile, an API key): there
building the SQL cost several times running it. The converters (the database's, then the field's) are
looked up once per database and field.
"""

import functools

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
