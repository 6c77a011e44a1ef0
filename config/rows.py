"""Model instances from rows of a prebuilt statement, loaded exactly as the ORM loads them.

A few lookups run on every request of the hottest endpoint (the video key): the
session's user and the learner's tier. For them, building the ORM's SQL cost several
times what the database takes to answer, so their statements are built once per
process. What comes back is still a real model instance: `Model.from_db` with each
field's database converters applied (booleans and decimals on SQLite, for example),
as the ORM's own compiler does.
"""

from __future__ import annotations

from django.db import models


def instance_from_row(model: type[models.Model], row, connection, using: str) -> models.Model:
    """`model` from `row`, whose values are its concrete fields in `_meta` order."""
    fields = model._meta.concrete_fields
    values = [_convert(value, field, connection) for field, value in zip(fields, row, strict=True)]
    return model.from_db(using, [field.attname for field in fields], values)


def select_columns(model: type[models.Model], connection, alias: str = "") -> str:
    """The quoted columns `instance_from_row` expects, in order."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def _convert(value, field, connection):
    col = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
        value = converter(value, col, connection)
    return value
