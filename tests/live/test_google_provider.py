"""The Google Meet provider against the real google-api-python-client, with only its
HTTP layer replaced (HttpMockSequence) by recorded Calendar API responses."""

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django_q.models import Schedule
from googleapiclient.http import HttpMockSequence

from live.models import LiveSession, ProviderStatus
from live.providers import ProviderNotConfigured
from live.providers import google as google_provider
from live.tasks import sync_provider

from .factories import LiveSessionFactory

RECORDED = Path(__file__).parent / "google"
EVENT_ID = "7h2k4r9q1m3lectern0abc"
MEET_LINK = "https://meet.google.com/abc-defg-hij"


def recorded(name: str) -> str:
    return (RECORDED / name).read_text()


def ok(name: str):
    return ({"status": "200"}, recorded(name))


@pytest.fixture
def google_session(course, instructor):
    return LiveSessionFactory(
        course=course,
        created_by=instructor,
        title="Office hours",
        description="Bring your questions about asyncio.",
        starts_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 13, 30, tzinfo=UTC),
        time_zone="Asia/Ho_Chi_Minh",
        provider="google",
        provider_status="pending",
        join_url="",
        ical_uid="5f0c3d2e-1111-4a4a-9b9b-0123456789ab@lectern",
    )


@pytest.fixture
def google_http(monkeypatch, settings):
    """Configure OAuth credentials and route the client's HTTP through a mock sequence."""
    settings.GOOGLE_OAUTH_CLIENT_ID = "client-id.apps.googleusercontent.com"
    settings.GOOGLE_OAUTH_CLIENT_SECRET = "client-secret"
    settings.GOOGLE_CALENDAR_REFRESH_TOKEN = "1//refresh-token"
    settings.GOOGLE_CALENDAR_ID = "lectern@example.com"
    holder = {}

    def use(responses):
        holder["http"] = HttpMockSequence(responses)
        return holder["http"]

    monkeypatch.setattr(
        google_provider,
        "build_service",
        lambda: google_provider.build("calendar", "v3", http=holder["http"], static_discovery=True),
    )
    return use


def sent(http, index):
    uri, method, body, _headers = http.request_sequence[index]
    parts = urlsplit(uri)
    return method, parts.path, parse_qs(parts.query), json.loads(body) if body else None


EXPECTED_BODY = {
    "summary": "Office hours",
    "description": "Bring your questions about asyncio.\n\nJoin through Lectern: https://lectern.example/live/{pk}/join/",
    "start": {"dateTime": "2026-12-01T19:00:00+07:00", "timeZone": "Asia/Ho_Chi_Minh"},
    "end": {"dateTime": "2026-12-01T20:30:00+07:00", "timeZone": "Asia/Ho_Chi_Minh"},
    "extendedProperties": {"private": {"lecternSessionUid": "5f0c3d2e-1111-4a4a-9b9b-0123456789ab@lectern"}},
    "guestsCanInviteOthers": False,
    "guestsCanSeeOtherGuests": False,
}


def expected_body(session, **extra):
    body = json.loads(json.dumps(EXPECTED_BODY).replace("{pk}", str(session.pk)))
    body.update(extra)
    return body


def test_the_library_ships_the_calendar_discovery_document():
    service = google_provider.build("calendar", "v3", http=HttpMockSequence([]), static_discovery=True)
    assert hasattr(service.events(), "insert")


def test_create_sends_a_meet_create_request_then_polls_until_the_link_arrives(google_session, google_http):
    http = google_http([ok("insert_pending.json"), ok("get_success.json")])

    assert sync_provider(google_session.pk, "create", "google") == "pending"

    method, path, query, body = sent(http, 0)
    assert method == "POST"
    assert path == "/calendar/v3/calendars/lectern%40example.com/events"
    assert query == {"conferenceDataVersion": ["1"], "sendUpdates": ["none"], "alt": ["json"]}
    assert body == expected_body(
        google_session,
        conferenceData={
            "createRequest": {
                "requestId": "5f0c3d2e-1111-4a4a-9b9b-0123456789ab@lectern-0",
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        },
    )
    google_session.refresh_from_db()
    assert google_session.provider_status == ProviderStatus.PENDING
    assert google_session.provider_event_id == EVENT_ID
    assert google_session.join_url == ""
    poll = Schedule.objects.get(func="live.tasks.sync_provider")
    assert poll.args == repr((google_session.pk, "refresh", "google", 2))

    assert sync_provider(google_session.pk, "refresh", "google", 2) == "ok"

    method, path, query, body = sent(http, 1)
    assert (method, path, body) == (
        "GET",
        f"/calendar/v3/calendars/lectern%40example.com/events/{EVENT_ID}",
        None,
    )
    google_session.refresh_from_db()
    assert google_session.provider_status == ProviderStatus.OK
    assert google_session.join_url == MEET_LINK
    assert google_session.provider_error == ""


def test_reschedule_patches_the_event_without_mailing_google_guests(google_session, google_http):
    google_session.provider_event_id = EVENT_ID
    google_session.save()
    http = google_http([ok("get_success.json")])

    assert sync_provider(google_session.pk, "update", "google") == "ok"

    method, path, query, body = sent(http, 0)
    assert method == "PATCH"
    assert path == f"/calendar/v3/calendars/lectern%40example.com/events/{EVENT_ID}"
    assert query["sendUpdates"] == ["none"]
    assert body == expected_body(google_session)


def test_cancel_deletes_the_event(google_session, google_http):
    google_session.provider_event_id = EVENT_ID
    google_session.save()
    http = google_http([({"status": "204"}, "")])

    assert sync_provider(google_session.pk, "cancel", "google") == "cancelled"

    method, path, query, body = sent(http, 0)
    assert (method, path, query["sendUpdates"]) == (
        "DELETE",
        f"/calendar/v3/calendars/lectern%40example.com/events/{EVENT_ID}",
        ["none"],
    )


def test_a_refusal_from_google_is_recorded_as_failed_with_the_reason(google_session, google_http):
    google_http([({"status": "403"}, recorded("error_403.json"))])

    assert sync_provider(google_session.pk, "create", "google") == "failed"

    google_session.refresh_from_db()
    assert google_session.provider_status == ProviderStatus.FAILED
    assert "403" in google_session.provider_error
    assert "does not allow conference creation" in google_session.provider_error
    assert not Schedule.objects.filter(func="live.tasks.sync_provider").exists()


def test_a_google_outage_is_retried_later_then_succeeds(google_session, google_http):
    http = google_http([({"status": "503"}, recorded("error_503.json")), ok("get_success.json")])

    assert sync_provider(google_session.pk, "create", "google") == "retrying"
    google_session.refresh_from_db()
    assert google_session.provider_status == ProviderStatus.PENDING
    assert "Attempt 1 failed" in google_session.provider_error and "503" in google_session.provider_error
    retry = Schedule.objects.get(func="live.tasks.sync_provider")
    assert "'create'" in retry.args and ", 2)" in retry.args

    assert sync_provider(google_session.pk, "create", "google", 2) == "ok"
    assert len(http.request_sequence) == 2
    google_session.refresh_from_db()
    assert (google_session.provider_status, google_session.join_url) == (ProviderStatus.OK, MEET_LINK)


def test_retries_stop_at_the_configured_limit(google_session, google_http, settings):
    settings.LIVE_PROVIDER_MAX_ATTEMPTS = 2
    google_http([({"status": "503"}, recorded("error_503.json"))])

    assert sync_provider(google_session.pk, "create", "google", 2) == "failed"

    google_session.refresh_from_db()
    assert google_session.provider_status == ProviderStatus.FAILED
    assert google_session.provider_error.startswith("create failed after 2 attempt(s)")


def test_a_link_that_never_arrives_fails_after_bounded_polls(google_session, google_http, settings):
    settings.LIVE_MEET_LINK_POLLS = 3
    google_session.provider_event_id = EVENT_ID
    google_session.save()
    google_http([ok("insert_pending.json")])

    assert sync_provider(google_session.pk, "refresh", "google", 3) == "failed: link never arrived"
    assert LiveSession.objects.get(pk=google_session.pk).provider_status == ProviderStatus.FAILED


def test_a_plain_service_account_is_refused_clearly(settings, tmp_path):
    settings.GOOGLE_SERVICE_ACCOUNT_FILE = str(tmp_path / "key.json")
    problem = google_provider.configuration_problem()
    assert "cannot create Google Meet conferences" in problem
    assert "GOOGLE_CALENDAR_DELEGATED_USER" in problem
    with pytest.raises(ProviderNotConfigured):
        google_provider.build_credentials()


def test_refresh_token_credentials_are_built_from_settings(settings):
    settings.GOOGLE_OAUTH_CLIENT_ID = "id"
    settings.GOOGLE_OAUTH_CLIENT_SECRET = "secret"
    settings.GOOGLE_CALENDAR_REFRESH_TOKEN = "refresh"
    credentials = google_provider.build_credentials()
    assert (credentials.refresh_token, credentials.client_id, credentials.client_secret) == (
        "refresh",
        "id",
        "secret",
    )
    assert credentials.scopes == google_provider.SCOPES


def test_half_an_oauth_configuration_is_refused(settings):
    settings.GOOGLE_OAUTH_CLIENT_ID = "id"
    assert "all three" in google_provider.configuration_problem()


def test_unconfigured_google_fails_permanently_without_retrying(google_session):
    assert sync_provider(google_session.pk, "create", "google") == "failed"
    google_session.refresh_from_db()
    assert "not configured" in google_session.provider_error
    assert not Schedule.objects.filter(func="live.tasks.sync_provider").exists()
