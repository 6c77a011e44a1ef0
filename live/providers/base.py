from dataclasses import dataclass


class ProviderError(Exception):
    """The provider refused or failed; worth retrying unless `permanent`."""

    permanent = False


class ProviderNotConfigured(ProviderError):
    """Settings are missing or unusable: retrying cannot help, an admin must act."""

    permanent = True


@dataclass(frozen=True)
class ProviderResult:
    event_id: str = ""
    join_url: str = ""
    # True while the provider is still preparing the meeting link (Google's
    # conference createRequest in "pending"): the task polls again later.
    pending: bool = False


class MeetingProvider:
    name = ""

    def create(self, session) -> ProviderResult:
        raise NotImplementedError

    def update(self, session) -> ProviderResult:
        raise NotImplementedError

    def cancel(self, session) -> None:
        raise NotImplementedError

    def refresh(self, session) -> ProviderResult:
        """Ask again for a link that was pending; most providers have it at once."""
        return ProviderResult(event_id=session.provider_event_id, join_url=session.join_url)

    def join_url_for(self, session, user) -> str:
        """Where `user` goes when the platform lets them in."""
        return session.join_url
