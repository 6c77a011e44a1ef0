"""Google Meet through the Calendar API (google-api-python-client).

The platform owns one calendar (GOOGLE_CALENDAR_ID on the account the credentials
act as); each session is an event there with a Meet conference. Learners are not
added as guests: they get the platform's own invitation (with the platform join URL),
so Google sends nobody mail (`sendUpdates="none"`).

Credentials, in order:
- an OAuth refresh token (GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET,
  GOOGLE_CALENDAR_REFRESH_TOKEN) of the user who owns the calendar, or
- a service account key (GOOGLE_SERVICE_ACCOUNT_FILE) with domain-wide delegation,
  acting as GOOGLE_CALENDAR_DELEGATED_USER. A service account acting as itself cannot
  create Meet conferences, so that configuration is refused up front.

Google may answer an insert before the Meet link exists (createRequest status
"pending"); `create` then reports `pending` and the task calls `refresh` (events.get)
again later, a bounded number of times.
"""

from django.conf import settings

from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from .base import MeetingProvider, ProviderError, ProviderNotConfigured, ProviderResult

SCOPES = ["https://www.googleapis.com/auth/calendar.events"]
TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a secret)
# Google answers these for a request that will never succeed as sent.
PERMANENT_STATUSES = {400, 401, 403, 404}


def configuration_problem() -> str | None:
    """Why Google Meet cannot be used with the current settings, or None when it can."""
    oauth = (
        settings.GOOGLE_OAUTH_CLIENT_ID,
        settings.GOOGLE_OAUTH_CLIENT_SECRET,
        settings.GOOGLE_CALENDAR_REFRESH_TOKEN,
    )
    if any(oauth):
        if not all(oauth):
            return (
                "Google Meet needs all three of GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET "
                "and GOOGLE_CALENDAR_REFRESH_TOKEN."
            )
        return None
    if settings.GOOGLE_SERVICE_ACCOUNT_FILE:
        if not settings.GOOGLE_CALENDAR_DELEGATED_USER:
            return (
                "A service account on its own cannot create Google Meet conferences. Set "
                "GOOGLE_CALENDAR_DELEGATED_USER to the Workspace user it acts as (domain-wide "
                "delegation), or use an OAuth refresh token instead."
            )
        return None
    return (
        "Google Meet is not configured: set an OAuth refresh token (GOOGLE_OAUTH_CLIENT_ID, "
        "GOOGLE_OAUTH_CLIENT_SECRET, GOOGLE_CALENDAR_REFRESH_TOKEN) or a service account with "
        "domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE, GOOGLE_CALENDAR_DELEGATED_USER)."
    )


def build_credentials():
    problem = configuration_problem()
    if problem:
        raise ProviderNotConfigured(problem)
    if settings.GOOGLE_CALENDAR_REFRESH_TOKEN:
        from google.oauth2.credentials import Credentials

        return Credentials(
            token=None,
            refresh_token=settings.GOOGLE_CALENDAR_REFRESH_TOKEN,
            client_id=settings.GOOGLE_OAUTH_CLIENT_ID,
            client_secret=settings.GOOGLE_OAUTH_CLIENT_SECRET,
            token_uri=TOKEN_URI,
            scopes=SCOPES,
        )
    from google.oauth2 import service_account

    credentials = service_account.Credentials.from_service_account_file(
        settings.GOOGLE_SERVICE_ACCOUNT_FILE, scopes=SCOPES
    )
    return credentials.with_subject(settings.GOOGLE_CALENDAR_DELEGATED_USER)


def build_service(**kwargs):
    """The Calendar v3 client from the discovery document the library ships (no
    network fetch). Tests pass `http=` to replace the HTTP layer at the edge."""
    if "http" not in kwargs:
        kwargs["credentials"] = build_credentials()
    return build("calendar", "v3", static_discovery=True, cache_discovery=False, **kwargs)


def event_body(session) -> dict:
    """The event fields the platform owns (times in the session's own zone)."""
    description = session.description.strip()
    join = f"Join through {settings.WAGTAIL_SITE_NAME}: {session.platform_join_url()}"
    return {
        "summary": session.title,
        "description": f"{description}\n\n{join}" if description else join,
        "start": {
            "dateTime": session.starts_at.astimezone(session.zone).isoformat(),
            "timeZone": session.time_zone,
        },
        "end": {
            "dateTime": session.ends_at.astimezone(session.zone).isoformat(),
            "timeZone": session.time_zone,
        },
        "extendedProperties": {"private": {"lecternSessionUid": session.ical_uid}},
        "guestsCanInviteOthers": False,
        "guestsCanSeeOtherGuests": False,
    }


def meet_link(event: dict) -> str:
    if event.get("hangoutLink"):
        return event["hangoutLink"]
    for entry in (event.get("conferenceData") or {}).get("entryPoints", []):
        if entry.get("entryPointType") == "video" and entry.get("uri"):
            return entry["uri"]
    return ""


def _result(event: dict) -> ProviderResult:
    link = meet_link(event)
    status = (((event.get("conferenceData") or {}).get("createRequest") or {}).get("status") or {}).get(
        "statusCode"
    )
    if not link and status == "failure":
        error = ProviderError("Google could not create the Meet conference for this event.")
        error.permanent = True
        raise error
    return ProviderResult(event_id=event["id"], join_url=link, pending=not link)


def _provider_error(error: HttpError) -> ProviderError:
    status = getattr(error.resp, "status", 0)
    reason = error._get_reason() if hasattr(error, "_get_reason") else str(error)
    wrapped = ProviderError(f"Google Calendar answered {status}: {reason}")
    wrapped.permanent = int(status or 0) in PERMANENT_STATUSES
    return wrapped


class GoogleMeetProvider(MeetingProvider):
    name = "google"

    def __init__(self, service=None):
        self._service = service

    @property
    def service(self):
        if self._service is None:
            self._service = build_service()
        return self._service

    @property
    def calendar_id(self) -> str:
        return settings.GOOGLE_CALENDAR_ID

    def create(self, session) -> ProviderResult:
        body = event_body(session)
        body["conferenceData"] = {
            "createRequest": {
                # Google deduplicates conference requests by this id, so a retried
                # insert never makes a second Meet room.
                "requestId": f"{session.ical_uid}-{session.ical_sequence}",
                "conferenceSolutionKey": {"type": "hangoutsMeet"},
            }
        }
        try:
            event = (
                self.service.events()
                .insert(calendarId=self.calendar_id, body=body, conferenceDataVersion=1, sendUpdates="none")
                .execute()
            )
        except HttpError as error:
            raise _provider_error(error) from error
        return _result(event)

    def refresh(self, session) -> ProviderResult:
        try:
            event = (
                self.service.events()
                .get(calendarId=self.calendar_id, eventId=session.provider_event_id)
                .execute()
            )
        except HttpError as error:
            raise _provider_error(error) from error
        return _result(event)

    def update(self, session) -> ProviderResult:
        if not session.provider_event_id:
            return self.create(session)
        body = event_body(session)
        try:
            event = (
                self.service.events()
                .patch(
                    calendarId=self.calendar_id,
                    eventId=session.provider_event_id,
                    body=body,
                    conferenceDataVersion=1,
                    sendUpdates="none",
                )
                .execute()
            )
        except HttpError as error:
            raise _provider_error(error) from error
        return _result(event)

    def cancel(self, session) -> None:
        if not session.provider_event_id:
            return
        try:
            self.service.events().delete(
                calendarId=self.calendar_id, eventId=session.provider_event_id, sendUpdates="none"
            ).execute()
        except HttpError as error:
            if getattr(error.resp, "status", 0) in (404, 410):  # already gone: the goal is met
                return
            raise _provider_error(error) from error
