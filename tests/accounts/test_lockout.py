"""Login lockout: failures count per (account, address), per address and per account, each
with its own limit; nobody's success resets anybody else's count, and one address's
failures never lock everybody out."""

from django.core.cache import cache
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt

from accounts.lockout import Scope, authenticate_counted, current_lock, lockout_started

from ..conftest import PASSWORD
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"
HOME = "198.51.100.10"
ELSEWHERE = "203.0.113.50"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits live in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


def _member(email):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _attempt(email, password, address="127.0.0.1", **headers):
    """One sign-in on the site form from a fresh browser at `address`."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **headers)
    return response, client


def _signs_in(user, address="127.0.0.1", **headers) -> bool:
    response, client = _attempt(user.email, PASSWORD, address, **headers)
    return response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)


def _failures(**filters) -> int:
    return AccessAttempt.objects.filter(**filters).aggregate(n=Sum("failures_since_start"))["n"] or 0


def test_ten_wrong_passwords_pause_that_account_from_that_address_and_say_so(home, learner, settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    for _ in range(9):
        response, _client = _attempt(learner.email, WRONG)
        assert response.status_code == 200  # the form again, with an error

    response, _client = _attempt(learner.email, WRONG)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in to this account paused" in page
    assert learner.email in page
    assert "Other accounts are not affected" in page
    assert "You can try again in 59\xa0minutes" in page

    # Even the right password is refused while the pair is locked, without being counted.
    response, client = _attempt(learner.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert _failures(username=learner.email) == 10


def test_wrong_passwords_below_the_limit_still_allow_login(home, learner):
    for _ in range(5):
        _attempt(learner.email, WRONG)
    assert _signs_in(learner)
    assert _failures(username=learner.email) == 0  # the owner's success clears the pair


def test_an_attackers_own_sign_in_does_not_reset_the_victims_count(home, learner):
    """Finding 1: 9 guesses, then the attacker signs in to their own account from the same
    address; the victim's count used to be wiped, so guessing never stopped."""
    attacker = _member("attacker@example.test")
    for _ in range(9):
        _attempt(learner.email, WRONG)
    assert _signs_in(attacker)
    assert _failures(username=learner.email) == 9

    response, _client = _attempt(learner.email, WRONG)
    assert response.status_code == 429
    assert not _signs_in(learner)


def test_interleaving_own_sign_ins_buys_no_guesses_beyond_the_limit(home, learner):
    """Finding 1 as reported: three rounds of 9 guesses and an own sign-in (27 guesses)."""
    attacker = _member("attacker@example.test")
    guesses_checked = 0
    for _ in range(3):
        for _ in range(9):
            response, _client = _attempt(learner.email, WRONG)
            guesses_checked += response.status_code == 200
        _signs_in(attacker)
    assert guesses_checked == 10 - 1  # the 10th wrong guess is the one that locks
    assert not _signs_in(learner)


def test_one_accounts_lockout_leaves_every_other_account_able_to_sign_in(home, learner, admin_user):
    """Finding 2: 100 failures from one address (the deploy's nginx, a shared NAT) for one
    account; every other account at that address still signs in, the admin included."""
    classmate = _member("classmate@example.test")
    for _ in range(100):
        _attempt(learner.email, WRONG)
    # Refused attempts are not counted, so they cannot fill the address's budget either.
    assert _failures(ip_address="127.0.0.1") == 10
    assert _signs_in(classmate)
    response, _client = _attempt(admin_user.email, PASSWORD)
    assert response.status_code == 302
    assert b"paused" not in response.content
    assert not _signs_in(learner)


def test_the_address_limit_stops_one_address_trying_many_accounts(home, learner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOCKOUT_ADDRESS_FAILURE_LIMIT = 6
    regular = _member("regular@example.test")
    assert _signs_in(regular, HOME)  # has signed in from this address before
    for number in range(3):
        for _ in range(2):
            _attempt(f"guess{number}@example.test", WRONG, HOME)

    # An account new to this address is refused, with a page that says why.
    response, client = _attempt(learner.email, PASSWORD, HOME)
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone at home at this address is not shut out by strangers' guesses ...
    assert _signs_in(regular, HOME)
    # ... and the address's lock is that address's alone.
    assert _signs_in(learner, ELSEWHERE)


def test_the_account_limit_holds_across_addresses_and_spares_the_owners_usual_address(
    home, learner, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOCKOUT_ACCOUNT_FAILURE_LIMIT = 5
    assert _signs_in(learner, HOME)
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        for _ in range(2):  # under the pair limit at every address
            _attempt(learner.email, WRONG, address)

    response, _client = _attempt(learner.email, PASSWORD, "192.0.2.4")
    assert response.status_code == 429
    page = response.content.decode()
    assert "This account is temporarily protected" in page
    assert "Forgot your password" not in page  # a reset would not help, and they had no failures
    # The owner still signs in from where they usually do, and their success there does
    # not wipe the count the other addresses built up.
    assert _signs_in(learner, HOME)
    assert _failures(username=learner.email) == 5  # the 6th came during the lock: not counted
    # No other account's success resets it either.
    assert _signs_in(_member("other@example.test"), "192.0.2.1")
    assert current_lock(learner.email, "192.0.2.4").scope == Scope.ACCOUNT


def test_admin_login_counts_towards_the_same_lockout(client, home, editor):
    for _ in range(10):
        client.post(reverse("wagtailadmin_login"), {"username": editor.email, "password": "nope"})
    response, _client = _attempt(editor.email, PASSWORD)
    assert response.status_code == 429


def test_the_admin_login_door_shows_the_lockout_once_locked(client, home, editor):
    for _ in range(9):
        _attempt(editor.email, WRONG)
    response = client.post(reverse("wagtailadmin_login"), {"username": editor.email, "password": "nope"})
    assert response.status_code == 429
    assert "Sign-in to this account paused" in response.content.decode()
    response = client.post(reverse("wagtailadmin_login"), {"username": editor.email, "password": PASSWORD})
    assert response.status_code == 429


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_does_not_spread_the_count(home, learner):
    for number in range(10):
        _attempt(learner.email, WRONG, "127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert not _signs_in(learner, "127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_trusted_proxy_each_client_has_its_own_count(home, learner, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(10):
        _attempt(learner.email, WRONG, "127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, {ELSEWHERE}")
    assert not _signs_in(learner, "127.0.0.1", HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert _signs_in(learner, "127.0.0.1", HTTP_X_FORWARDED_FOR=HOME)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ELSEWHERE}


def test_a_lock_is_announced_once_when_it_starts(home, learner):
    started = []

    def receiver(sender, request, username, ip_address, lock, **kwargs):
        started.append((username, ip_address, lock.scope))

    lockout_started.connect(receiver)
    try:
        for _ in range(12):
            _attempt(learner.email, WRONG)
    finally:
        lockout_started.disconnect(receiver)
    assert started == [(learner.email, "127.0.0.1", Scope.PAIR)]


def test_logins_outside_the_forms_count_through_authenticate_counted(home, learner, rf):
    for _ in range(9):
        user, lock = authenticate_counted(rf.post("/api/login/"), email=learner.email, password=WRONG)
        assert (user, lock) == (None, None)
    user, lock = authenticate_counted(rf.post("/api/login/"), email=learner.email, password=WRONG)
    assert user is None and lock.scope == Scope.PAIR
    # The site form sees the same lock.
    response, _client = _attempt(learner.email, PASSWORD)
    assert response.status_code == 429


def test_password_reset_requests_are_limited_per_account(home, learner, settings):
    settings.ACCOUNT_FORMS = {}  # the bot check has its own tests (tests/challenges); here, the count
    client = Client()
    url = reverse("account_reset_password")
    for _ in range(3):
        assert client.post(url, {"email": learner.email}).status_code == 302
    assert client.post(url, {"email": learner.email}).status_code == 429
    # Another account's reset is still open from the same address.
    assert client.post(url, {"email": "classmate@example.test"}).status_code == 302


def test_password_reset_requests_are_limited_per_address_and_a_spoofed_header_buys_nothing(home, settings):
    settings.ACCOUNT_FORMS = {}  # the bot check has its own tests (tests/challenges); here, the count
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "3/h/ip,3/h/key"}
    client = Client(REMOTE_ADDR="127.0.0.1")
    url = reverse("account_reset_password")
    for number in range(3):
        response = client.post(
            url, {"email": f"probe{number}@example.test"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
        )
        assert response.status_code == 302
    response = client.post(url, {"email": "probe9@example.test"}, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    assert Client(REMOTE_ADDR=ELSEWHERE).post(url, {"email": "probe9@example.test"}).status_code == 302
