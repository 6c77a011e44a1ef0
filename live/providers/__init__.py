"""Meeting providers behind one interface: create, update, cancel, plus the address
one person should be sent to when they join.

Each provider wraps one outside service (healthchecks' transports habit); the tasks in
`live.tasks` call them with retries, the rest of the app never talks to a provider.
"""

from .base import MeetingProvider, ProviderError, ProviderNotConfigured, ProviderResult


def get_provider(name: str) -> MeetingProvider:
    from .google import GoogleMeetProvider
    from .jitsi import JitsiProvider
    from .link import PastedLinkProvider

    providers = {"google": GoogleMeetProvider, "jitsi": JitsiProvider, "link": PastedLinkProvider}
    try:
        return providers[name]()
    except KeyError:
        raise ProviderNotConfigured(f"Unknown meeting provider {name!r}.") from None


__all__ = ["MeetingProvider", "ProviderError", "ProviderNotConfigured", "ProviderResult", "get_provider"]
