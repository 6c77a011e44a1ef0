"""A meeting link the instructor pasted (Zoom, Teams, a self-hosted room …)."""

from django.core.exceptions import ValidationError

from ..models import validate_https_url
from .base import MeetingProvider, ProviderError, ProviderResult


class PastedLinkProvider(MeetingProvider):
    name = "link"

    def _checked(self, session) -> ProviderResult:
        try:
            validate_https_url(session.join_url)
        except ValidationError as error:
            raise ProviderError(error.messages[0]) from None
        return ProviderResult(join_url=session.join_url)

    def create(self, session) -> ProviderResult:
        return self._checked(session)

    def update(self, session) -> ProviderResult:
        return self._checked(session)

    def cancel(self, session) -> None:
        """Nothing to tell: the platform stops sending anyone to the link."""
