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
    names, converters = _loading(model, connection)
    values = list(row)
    if len(values) != len(names):
        raise ValueError(f"{model.__name__} has {len(names)} columns; the row has {len(values)}")
    for index, col, chain in converters:
        for converter in chain:
            values[index] = converter(values[index], col, connection)
    return model.from_db(using, names, values)


def select_columns(model: type[models.Model], connection, alias: str = "") -> str:
    """The quoted columns `instance_from_row` expects, in order."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(prefix + connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)


def _loading(model, connection):
    """The field names and, per field that has any, its converters, as the ORM's compiler
    finds them. Kept on the connection (one per thread), whose operations they belong to."""
    kept = connection.__dict__.setdefault("_lectern_row_loading", {})
    if model not in kept:
        fields = model._meta.concrete_fields
        converters = []
        for index, field in enumerate(fields):
            col = field.get_col(model._meta.db_table)
            chain = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if chain:
                converters.append((index, col, chain))
        kept[model] = ([field.attname for field in fields], converters)
    return kept[model]
