"""A session's user is loaded by Lectern's backends (accounts/backends.py) with one
prebuilt statement; it must be the same user, field for field, that Django would load,
and inactive or deleted users must still be logged out."""

from datetime import timedelta

from django.contrib.auth import SESSION_KEY, get_user
from django.test import Client, RequestFactory
from django.utils import timezone

import pytest

from accounts.backends import AuthenticationBackend, ModelBackend, load_session_user
from accounts.models import User

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_session_user_is_the_user_the_orm_loads_field_for_field(learner):
    learner.is_staff = True
    learner.last_login = timezone.now() - timedelta(days=3)
    learner.save()

    loaded = load_session_user(learner.pk)
    expected = User.objects.get(pk=learner.pk)

    for field in User._meta.concrete_fields:
        got, want = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert (got, type(got)) == (want, type(want)), field.name
    assert not loaded._state.adding and loaded._state.db == expected._state.db
    assert loaded.check_password(PASSWORD)  # the hash came through intact


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()], ids=["model", "allauth"])
def test_inactive_and_missing_users_get_no_session_user(backend, learner):
    assert backend.get_user(learner.pk) == learner
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert backend.get_user(learner.pk) is None
    assert backend.get_user(learner.pk + 10_000) is None


def test_logging_in_through_the_site_uses_lectern_backends(learner):
    client = Client()
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 302

    session = client.session
    assert session[SESSION_KEY] == str(learner.pk)
    assert session["_auth_user_backend"].startswith("accounts.backends.")
    request = RequestFactory().get("/")
    request.session = session
    assert get_user(request) == learner


def test_a_deactivated_learner_is_logged_out_on_the_next_request(learner):
    client = Client()
    client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert client.get("/accounts/email/").status_code == 200

    User.objects.filter(pk=learner.pk).update(is_active=False)

    assert client.get("/accounts/email/").status_code == 302  # to the login page
