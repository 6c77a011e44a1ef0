"""Passwords are hashed with Argon2id; older hashes are rewritten at the next login.

The test settings hash with MD5 for speed, so these tests put the real list back.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

import pytest

from config.settings import base

from ..config.test_settings import _production_secrets
from ..conftest import PASSWORD
from ..factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_base_settings_hash_new_passwords_with_argon2_and_still_read_pbkdf2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS
    validators = {validator["NAME"].rsplit(".", 1)[-1] for validator in base.AUTH_PASSWORD_VALIDATORS}
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
    } <= validators


def test_production_settings_keep_argon2_first_and_staff_mfa_on():
    code = (
        "from django.conf import settings;"
        "print(settings.PASSWORD_HASHERS[0]);"
        "print(settings.STAFF_MFA_REQUIRED);"
        "print('accounts.middleware.StaffMFAMiddleware' in settings.MIDDLEWARE)"
    )
    # The same secrets the production-settings tests start production with.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "WAGTAILADMIN_BASE_URL": "https://lectern.example",
        **_production_secrets(),
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.auth.hashers.Argon2PasswordHasher", "True", "True"]


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_pbkdf2_hash_becomes_argon2id_at_the_next_login(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="old.hash@example.test")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_new_password_is_hashed_with_argon2id():
    user = UserFactory(email="new.hash@example.test")
    user.set_password("another-long-phrase-31")
    assert user.password.startswith("argon2$argon2id$")
