"""An admin session that has passed the second factor, the way allauth records it.

Staff need MFA before any admin page opens, so the superuser here owns a TOTP
authenticator and its session carries allauth's authentication records: the password
step and the MFA step, exactly as `allauth.account.internal.flows.login.record_authentication`
writes them at login.
"""

import time

import pyotp
import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.totp.internal.auth import TOTP

from tests.certificates.conftest import certificate, complete_course, gold_course  # noqa: F401


def login_with_mfa(client, user):
    """Log `user` in with a TOTP authenticator, its code proven in this session."""
    authenticator = TOTP.activate(user, pyotp.random_base32()).instance
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def superuser_client(client, admin_user):
    return login_with_mfa(client, admin_user)


@pytest.fixture(autouse=True)
def _staff_mfa_required(settings):
    """The production rule, not the test settings' shortcut: these admin sessions pass
    the same second-factor check a real one does."""
    settings.STAFF_MFA_REQUIRED = True
