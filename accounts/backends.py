"""The model backends people log in with, loading a session's user with one prebuilt
statement.

Every logged-in request loads its user from the id in the session. Django's backends do
it with `User.objects.get(pk=…)`, whose SQL the ORM builds afresh each time: on the
video key endpoint, which answers every playlist load of every viewer, that was the
largest single cost (0.30 ms of CPU against 0.07 ms for the round trip itself). Here
the statement is built once per process and the row becomes a real `User` through
`config.rows`, as the ORM would load it.

Login itself (`authenticate`) is Django's and allauth's, unchanged. Sessions name the
backend that logged them in, so sessions made under the old backend paths are asked
to log in again once, after this change is deployed.
"""

from __future__ import annotations

import functools

from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.db import connections, router

from allauth.account import auth_backends as allauth_backends

from config.rows import instance_from_row, select_columns


def load_session_user(user_id):
    """The user with this primary key, or None."""
    model = get_user_model()
    using = router.db_for_read(model)
    connection = connections[using]
    pk = model._meta.pk.get_db_prep_value(user_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(_select_by_pk(connection.alias), [pk])
        row = cursor.fetchone()
    return instance_from_row(model, row, connection, using) if row else None


@functools.cache
def _select_by_pk(alias: str) -> str:
    model, connection = get_user_model(), connections[alias]
    q = connection.ops.quote_name
    return (
        f"SELECT {select_columns(model, connection)} FROM {q(model._meta.db_table)}"  # noqa: S608 - model names only
        f" WHERE {q(model._meta.pk.column)} = %s"
    )


class SessionUserMixin:
    def get_user(self, user_id):
        user = load_session_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(SessionUserMixin, django_backends.ModelBackend):
    """Django's ModelBackend (password login by email)."""


class AuthenticationBackend(SessionUserMixin, allauth_backends.AuthenticationBackend):
    """allauth's backend (its login form, social and passwordless logins)."""
