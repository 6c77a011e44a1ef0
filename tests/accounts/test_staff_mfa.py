"""Staff reach no admin page with a password alone, through any door.

Everyone with admin access (superuser, Editor, Moderator, Instructor) needs an
authenticator and must have used it in the session: allauth's login asks for the code;
the Wagtail and Django admin login forms and Wagtail's password reset hand off to
allauth's; any other session (a login link, `force_login`, a password reset login, one
from before the rule) is logged out at the admin's door. Learners are not affected.
"""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pyotp
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from accounts.staff_mfa import RESET_LOG_ACTION, reset_mfa

from ..conftest import PASSWORD
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin_user", "editor", "moderator", "instructor"]


@pytest.fixture(autouse=True)
def _staff_mfa_on(settings):
    """The test settings switch the rule off for other features' tests; on here. The
    cache is emptied so neither allauth's login rate limit nor its record of used TOTP
    codes carries over from an earlier test."""
    settings.STAFF_MFA_REQUIRED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(db):
    user = UserFactory(email="moderator@example.test", full_name="Mai Moderator", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture(params=ROLES)
def staff(request):
    return request.getfixturevalue(request.param)


def _admin_urls():
    """One page of each kind: dashboard, page explorer, a snippet viewset, the users
    viewset, a report, and the Django admin."""
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailsnippets_media_pipeline_video:list"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
    ]


def _give_totp(user) -> str:
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def _log_in_with_password(client, user, next_url=""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def _log_in_with_totp(client, user, secret):
    response = _log_in_with_password(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    return response


def _confirm_password(client):
    """allauth asks for the password again before any change to a user's factors."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def _is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- No second factor yet: every admin page sends them to set one up ---------------------


@pytest.mark.parametrize("url", _admin_urls())
def test_staff_without_an_authenticator_is_sent_to_set_one_up_from_every_admin_page(client, staff, url):
    response = _log_in_with_password(client, staff)
    assert _is_logged_in(client)  # the password step alone, as allauth allows

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_an_authenticator_cannot_post_to_the_admin_either(client, editor, home):
    _log_in_with_password(client, editor)
    response = client.post(reverse("wagtailadmin_pages:add_subpage", args=[home.pk]), {})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- With an authenticator: the code at login opens the admin ----------------------------


@pytest.mark.parametrize("url", _admin_urls())
def test_staff_with_totp_gets_no_admin_page_after_the_password_alone(client, staff, url):
    _give_totp(staff)
    response = _log_in_with_password(client, staff)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _is_logged_in(client)

    response = client.get(url)

    assert response.status_code == 302
    assert reverse("mfa_activate_totp") not in response["Location"]
    assert not _is_logged_in(client)


def test_a_wrong_code_does_not_log_in(client, editor):
    secret = _give_totp(editor)
    _log_in_with_password(client, editor)
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert not _is_logged_in(client)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_the_code_prompt_offers_a_security_key_only_to_accounts_with_one(client, editor):
    _give_totp(editor)
    _log_in_with_password(client, editor)
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert b"recovery codes" in page.content
    assert b"Use a security key" not in page.content


def test_codes_are_limited_per_account_so_they_cannot_be_guessed(client, editor):
    """allauth's own guess limit is off with its "login_failed" limit (axes owns failed
    passwords); five wrong codes, and even the right one is refused for a while."""
    secret = _give_totp(editor)
    _log_in_with_password(client, editor)
    right = pyotp.TOTP(secret).now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200

    response = client.post(reverse("mfa_authenticate"), {"code": right})

    assert response.status_code == 200
    assert b"Too many codes tried" in response.content
    assert not _is_logged_in(client)


@pytest.mark.parametrize("role", ROLES)
def test_staff_with_totp_opens_the_admin_after_the_code(client, role, request):
    user = request.getfixturevalue(role)
    secret = _give_totp(user)
    _log_in_with_totp(client, user, secret)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    if role != "instructor":  # instructors have no page or video permissions
        assert client.get(reverse("wagtailadmin_explore_root")).status_code == 200
        assert client.get(reverse("wagtailsnippets_media_pipeline_video:list")).status_code == 200
    if role == "admin_user":
        assert client.get(reverse("admin:index")).status_code == 200
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


# --- Other doors -------------------------------------------------------------------------


@pytest.mark.parametrize("login_url", ["wagtailadmin_login", "admin:login"])
def test_the_admin_login_forms_hand_off_to_allauth_and_log_nobody_in(client, admin_user, login_url):
    response = client.post(reverse(login_url), {"username": admin_user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not _is_logged_in(client)


def test_the_wagtail_login_hand_off_keeps_where_the_user_was_going(client):
    response = client.get(reverse("wagtailadmin_login") + "?next=/admin/pages/")
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"

    response = client.get(reverse("wagtailadmin_login") + "?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


@pytest.mark.parametrize("reset_enabled", [False, True])
def test_wagtail_password_reset_hands_off_to_allauths(client, settings, reset_enabled):
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = reset_enabled
    for url in (
        reverse("wagtailadmin_password_reset"),
        reverse("wagtailadmin_password_reset_confirm", args=["MQ", "set-password"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("account_reset_password")


def test_a_password_reset_login_still_asks_for_the_code(client, settings, editor):
    settings.ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
    _give_totp(editor)
    key = default_token_generator.make_token(editor)
    url = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(editor), "key": key}
    )
    response = client.get(url)  # allauth moves the key into the session and redirects
    response = client.post(
        response["Location"], {"password1": "a-new-long-phrase-77", "password2": "a-new-long-phrase-77"}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    assert not _is_logged_in(client)
    assert client.get(reverse("wagtailadmin_explore_root")).status_code == 302


@pytest.mark.parametrize("how", ["force_login", "login_by_code", "password_reset"])
def test_a_session_that_skipped_the_second_factor_is_logged_out_at_the_admin(client, staff, how):
    """A login link, a reset login, a session from before the rule: logged in, but no
    code was ever given in it. The admin logs it out and asks for a proper sign-in."""
    _give_totp(staff)
    client.force_login(staff, backend="accounts.backends.AuthenticationBackend")
    if how != "force_login":
        session = client.session
        session["account_authentication_methods"] = [{"method": how, "at": 0}]
        session["account_authentication_methods_user"] = str(staff.pk)
        session.save()

    response = client.get(reverse("wagtailadmin_explore_root"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"
    assert not _is_logged_in(client)


def test_logging_out_of_the_admin_needs_no_code(client, editor):
    _log_in_with_password(client, editor)
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert not _is_logged_in(client)


# --- Learners ----------------------------------------------------------------------------


def test_a_learner_without_mfa_is_unaffected(client, home, learner):
    response = _log_in_with_password(client, learner)
    assert response.status_code == 302 and _is_logged_in(client)

    assert client.get("/").status_code == 200
    assert client.get(reverse("account_email")).status_code == 200
    # The admin refuses them as before (Wagtail's own answer), without asking for MFA.
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") not in response["Location"]
    assert _is_logged_in(client)


def test_a_learner_finds_two_factor_settings_on_the_account_page(client, learner):
    _log_in_with_password(client, learner)
    response = client.get(reverse("account_email"))
    assert f'href="{reverse("mfa_index")}"'.encode() in response.content


def test_a_learner_who_opted_in_is_asked_for_the_code_and_may_turn_it_off(client, learner):
    secret = _give_totp(learner)
    _log_in_with_totp(client, learner, secret)
    _confirm_password(client)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("mfa_index"), response["Location"]
    assert not Authenticator.objects.filter(user=learner).exists()


# --- Keeping the factor ------------------------------------------------------------------


def test_staff_cannot_turn_off_their_last_second_factor(client, staff):
    secret = _give_totp(staff)
    _log_in_with_totp(client, staff, secret)
    _confirm_password(client)

    page = client.get(reverse("mfa_deactivate_totp"))
    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200
    assert b"must keep two-factor authentication" in page.content
    assert b"must keep two-factor authentication" in response.content
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_staff_may_remove_the_app_while_a_security_key_remains(client, editor):
    secret = _give_totp(editor)
    _log_in_with_totp(client, editor, secret)
    _confirm_password(client)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.WEBAUTHN, data={"name": "Desk key"})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert list(
        Authenticator.objects.filter(user=editor).values_list("type", flat=True).order_by("type")
    ) == [
        "recovery_codes",
        "webauthn",
    ]


# --- A superuser's reset -----------------------------------------------------------------


@pytest.fixture
def admin_client_with_mfa(client, admin_user):
    _log_in_with_totp(client, admin_user, _give_totp(admin_user))
    return client


def test_a_superuser_resets_a_staff_members_mfa_and_it_is_audited(admin_client_with_mfa, admin_user, editor):
    _give_totp(editor)
    url = reverse("wagtailusers_users:reset_mfa", args=[editor.pk])

    listing = admin_client_with_mfa.get(reverse("wagtailusers_users:index"))
    assert url.encode() in listing.content
    page = admin_client_with_mfa.get(url)
    assert page.status_code == 200
    response = admin_client_with_mfa.post(url)

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=editor).exists()
    entry = ModelLogEntry.objects.get(action=RESET_LOG_ACTION)
    assert entry.user_id == admin_user.pk
    assert entry.object_id == str(editor.pk)
    assert sorted(entry.data["removed"]) == ["recovery_codes", "totp"]
    history = admin_client_with_mfa.get(reverse("wagtailadmin_reports:site_history"))
    assert b"Two-factor authentication reset" in history.content


def test_a_superuser_cannot_reset_their_own_mfa_from_the_admin(admin_client_with_mfa, admin_user):
    url = reverse("wagtailusers_users:reset_mfa", args=[admin_user.pk])
    assert url.encode() not in admin_client_with_mfa.get(reverse("wagtailusers_users:index")).content

    response = admin_client_with_mfa.post(url)

    assert response["Location"] == reverse("wagtailadmin_home")
    assert Authenticator.objects.filter(user=admin_user).count() == 2


def test_after_a_reset_the_member_sets_up_a_new_authenticator(client, admin_user, editor):
    _give_totp(editor)
    reset_mfa(editor, by=admin_user, request=None)
    _log_in_with_password(client, editor)
    assert client.get(reverse("wagtailadmin_home"))["Location"] == reverse("mfa_activate_totp")


def test_only_a_superuser_may_reset_mfa(client, editor, moderator):
    _give_totp(moderator)
    _log_in_with_totp(client, editor, _give_totp(editor))

    response = client.post(reverse("wagtailusers_users:reset_mfa", args=[moderator.pk]))

    # Wagtail turns the refusal into "Sorry, you do not have permission" on the dashboard.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert Authenticator.objects.filter(user=moderator).count() == 2
    assert not ModelLogEntry.objects.filter(action=RESET_LOG_ACTION).exists()


# --- First login: enrolment, then on to where they were going ----------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_login_walks_staff_through_enrolment_and_on_to_their_page(client):
    """Transactional: allauth announces a new authenticator after the commit, and that
    announcement is what marks the session as having passed its second factor."""
    editor = UserFactory(email="new.editor@example.test", is_staff=True)
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    pages = reverse("wagtailadmin_explore_root")

    _log_in_with_password(client, editor, next_url=pages)
    response = client.get(pages)
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    _confirm_password(client)

    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == reverse("mfa_view_recovery_codes")

    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200
    assert reverse("mfa_continue").encode() in codes_page.content
    response = client.get(reverse("mfa_continue"))
    assert response["Location"] == pages
    assert client.get(pages).status_code == 200
