"""Login lockout: three counters over django-axes' failure records, each with its own limit.

axes records every failed login (any door: allauth's form, Wagtail's admin login, any
`authenticate()` call) as AccessAttempt rows keyed by account, client address and user
agent. Its own check has one limit for whichever counter is fullest, and its reset on
success deletes every row from the signing-in address, so one account's success wiped
another's failures. Here, over the same rows:

- **pair**: failures for one account from one address (`AXES_FAILURE_LIMIT`, 10). The
  lock every mistyping person meets, and the only one a success clears: a successful
  sign-in deletes that account's failures from that address and nothing else.
- **address**: failures for any account from one address (`LOCKOUT_ADDRESS_FAILURE_LIMIT`,
  100), against one address trying many accounts.
- **account**: failures for one account from any address (`LOCKOUT_ACCOUNT_FAILURE_LIMIT`,
  50), against many addresses trying one account. No other account's success touches it.

An account that signed in from an address recently (`LOCKOUT_KNOWN_ADDRESS_DAYS`) is at
home there: the address and account locks do not apply to it from that address, only
its own pair lock does. So a learner behind a shared NAT, or everyone behind a
misconfigured proxy, cannot lock the others out, and a flood against an account from
elsewhere does not keep its owner out at home.

Attempts refused during a lock are not counted (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_
LOCKOUT = False`), so a lock lifts when the page says it does. A future API login calls
`authenticate_counted()`; under `/api/` the lockout answer is the API's error envelope
(429, code `account_locked`) with the same facts as the page.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessLog
from axes.signals import user_locked_out

from api.errors import envelope

# Sent once, when a failure starts a lock (not again for attempts refused during it):
# the point for a "your account was locked" email or an alert. Arguments: request,
# username, ip_address, lock.
lockout_started = Signal()


class Scope(StrEnum):
    PAIR = "pair"
    ADDRESS = "address"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Lock:
    scope: Scope
    until: datetime


def username_from_attempt(request, credentials):
    """The account an attempt is for: the lower-cased email, whichever door was used.

    allauth authenticates with ``email=``, Wagtail's admin login with ``username=``; both
    are the same email here.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "POST", {})
        value = data.get("login") or data.get("username") or data.get("email")
    return (value or "").strip().lower() or None


def _locked_until(rows: QuerySet, limit: int, cool_off: timedelta) -> datetime | None:
    """When the newest rows stop adding up to `limit`: the lock lasts until the row that
    tips the count expires. Every row holds at least one failure, so `limit` rows do."""
    total = 0
    for attempt_time, failures in rows.order_by("-attempt_time").values_list(
        "attempt_time", "failures_since_start"
    )[:limit]:
        total += failures
        if total >= limit:
            return attempt_time + cool_off
    return None


def _signed_in_from(username: str, ip_address: str, now: datetime) -> bool:
    since = now - timedelta(days=settings.LOCKOUT_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=since
    ).exists()


def current_lock(username: str | None, ip_address: str | None, *, now=None) -> Lock | None:
    """The lock that stops `username` signing in from `ip_address` now, if any; the most
    specific one first (pair, then address, then account)."""
    now = now or timezone.now()
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    if username and ip_address:
        until = _locked_until(
            recent.filter(username=username, ip_address=ip_address), settings.AXES_FAILURE_LIMIT, cool_off
        )
        if until:
            return Lock(Scope.PAIR, until)
    wider = []
    if ip_address:
        wider.append(
            (Scope.ADDRESS, recent.filter(ip_address=ip_address), settings.LOCKOUT_ADDRESS_FAILURE_LIMIT)
        )
    if username:
        wider.append(
            (Scope.ACCOUNT, recent.filter(username=username), settings.LOCKOUT_ACCOUNT_FAILURE_LIMIT)
        )
    at_home = None
    for scope, rows, limit in wider:
        until = _locked_until(rows, limit, cool_off)
        if until is None:
            continue
        if at_home is None:
            at_home = bool(username and ip_address) and _signed_in_from(username, ip_address, now)
        if not at_home:
            return Lock(scope, until)
    return None


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the three limits above (AXES_HANDLER)."""

    def is_locked(self, request, credentials=None) -> bool:
        return current_lock(get_client_username(request, credentials), request.axes_ip_address) is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # axes sets this when its backend refused the attempt: a lock already running.
        refused = getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused or self.is_whitelisted(request, credentials):
            return
        username = get_client_username(request, credentials)
        lock = current_lock(username, request.axes_ip_address)
        if lock is None:
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)
        lockout_started.send(
            sender=self.__class__,
            request=request,
            username=username,
            ip_address=request.axes_ip_address,
            lock=lock,
        )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """On success: only the signed-in account's failures from this address."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


# What each lock means, for the API's answer (the page says the same in its template).
LOCK_MESSAGES = {
    Scope.PAIR: _(
        "Too many wrong passwords for this account from your address, so signing in to it "
        "from here is paused. Other accounts are not affected."
    ),
    Scope.ADDRESS: _(
        "Many wrong passwords for different accounts came from your network address, so new "
        "sign-ins from it are paused. Accounts that signed in from this network recently can "
        "still sign in."
    ),
    Scope.ACCOUNT: _(
        "Many wrong passwords for this account came from different places, so sign-in to it "
        "is paused from new locations. Its owner can still sign in from a device and network "
        "they used recently."
    ),
}


def api_lockout_response(lock: Lock) -> JsonResponse:
    """The API's lockout answer: 429, `account_locked`, which lock and until when."""
    wait = max(lock.until - timezone.now(), timedelta(0))
    retry_after = max(1, int(wait.total_seconds() + 0.999))
    details = {
        "scope": str(lock.scope),
        "until": lock.until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "retry_after": retry_after,
    }
    response = JsonResponse(envelope("account_locked", LOCK_MESSAGES[lock.scope], details), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The lockout page (AXES_LOCKOUT_CALLABLE): what is locked, and until when. Under
    `/api/` the same facts in the API's error envelope."""
    username = get_client_username(request, credentials)
    lock = current_lock(username, request.axes_ip_address)
    if lock is None:  # lifted in the meantime: count it as the pair lock just ending
        lock = Lock(Scope.PAIR, timezone.now())
    if request.path.startswith("/api/"):
        return api_lockout_response(lock)
    # Rendered now: axes' middleware returns it after the view, past template rendering.
    return render(
        request,
        "account/lockout.html",
        {
            "lock": lock,
            "username": username or "",
            "wait": max(lock.until - timezone.now(), timedelta(0)),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def authenticate_counted(request: HttpRequest, *, email: str, password: str):
    """Sign-in for doors that are not a form (the API): returns ``(user, lock)``.

    `authenticate()` runs axes' backend first, so a failure here counts exactly like one
    on the site form, and a locked attempt is refused without checking the password.
    """
    user = authenticate(request, email=email, password=password)
    if user is not None:
        return user, None
    AxesProxyHandler.update_request(request)
    return None, current_lock(username_from_attempt(request, {"email": email}), request.axes_ip_address)
