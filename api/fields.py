"""Serializer fields shared by the apps' API bodies.

`IdField` is an object's numeric id in a request body, bounded like the `<id:…>` path
converter (api/converters.py): a number past what the database can bind (SQLite stops at
2**63 - 1, PostgreSQL's integer columns sooner) raised OverflowError or DataError, a 500,
instead of a validation error. Ids are far below 10**18, so anything larger names nothing.
"""

from rest_framework import serializers

MAX_ID = 10**18 - 1


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # Bounds here too, not only in the validators: a PrimaryKeyRelatedField's
        # `pk_field` calls only this before querying.
        value = super().to_internal_value(data)
        self.run_validators(value)
        return value


class SlugRefField(serializers.SlugRelatedField):
    """An object named by its slug in a request body. A NUL byte names nothing, and
    PostgreSQL refuses one in a query parameter (ValueError, a 500): refused before the
    query, like any unknown slug."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)
