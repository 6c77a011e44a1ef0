"""The email-keyed user with one full-name field, and Wagtail's user admin built on it."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from accounts.models import User

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-passphrase-42"


def test_create_user_lowercases_the_whole_email():
    user = User.objects.create_user("Mixed.Case@Example.TEST", password=NEW_PASSWORD)

    assert user.email == "mixed.case@example.test"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff and not user.is_superuser


def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", password=NEW_PASSWORD)


def test_create_superuser_sets_staff_and_superuser_flags():
    user = User.objects.create_superuser("Boss@Example.test", password=NEW_PASSWORD)

    assert user.email == "boss@example.test"
    assert user.is_staff and user.is_superuser


def test_display_name_is_the_full_name_or_else_the_email_local_part():
    assert User(email="ngo@example.test", full_name="Ngô Bảo Châu").display_name == "Ngô Bảo Châu"
    assert User(email="ngo@example.test").display_name == "ngo"
    assert str(User(email="lan@example.test")) == "lan"
    assert User(email="lan@example.test").get_full_name() == "lan@example.test"


def test_clean_lowercases_an_email_typed_in_a_form():
    user = User(email="Someone@EXAMPLE.test")
    user.clean()
    assert user.email == "someone@example.test"


def _field_names(response) -> set[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {element.get("name") for element in soup.find_all(["input", "select", "textarea"])}


def test_admin_user_create_form_has_one_full_name_field(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("wagtailusers_users:add"))

    assert response.status_code == 200
    fields = _field_names(response)
    assert {"email", "full_name", "password1", "password2"} <= fields
    assert not fields & {"username", "first_name", "last_name"}


def test_superuser_creates_a_user_with_a_full_name_in_the_admin(client, admin_user):
    editors = Group.objects.get(name="Editors")
    client.force_login(admin_user)

    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "New.Editor@Example.test",
            "full_name": "Ngô Bảo Châu",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "groups": [editors.pk],
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.editor@example.test")
    assert user.full_name == "Ngô Bảo Châu"
    assert user.check_password(NEW_PASSWORD)
    assert list(user.groups.all()) == [editors]
    assert not user.is_superuser


def test_superuser_edits_a_users_full_name_in_the_admin(client, admin_user, learner):
    client.force_login(admin_user)
    edit_url = reverse("wagtailusers_users:edit", args=[learner.pk])

    response = client.get(edit_url)
    assert response.status_code == 200
    assert "full_name" in _field_names(response)
    assert learner.full_name in response.content.decode()

    response = client.post(
        edit_url,
        {
            "email": learner.email,
            "full_name": "Lan Renamed",
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.full_name == "Lan Renamed"
    assert learner.check_password(PASSWORD)  # a blank password leaves it alone
