"""The one rule for a request's client address.

Every part of the site that counts, limits or records a visitor by address (login
lockout, password-reset and certificate-check rate limits, key and download logs,
device sessions, allauth's own limits) asks `client_ip()`, so they can never disagree
about who is asking.

`X-Forwarded-For` is believed only when the peer that connected to us is a proxy we
run (`TRUSTED_PROXIES`: addresses or networks; `"unix"` stands for a Unix socket,
which has no peer address). From such a peer the header is read from the right, past
every trusted hop, and the first address we do not trust is the client: entries to
the left of it were written by the client itself and prove nothing. With no trusted
proxies configured (the default) the header is ignored and the peer is the client.

A small function rather than django-ipware: ipware matches trusted proxies by string
prefix and prefers "public" addresses over the hop order, while here the order of the
hops and real networks (CIDR) are the whole point.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

_UNIX_SOCKET = "unix"
# The bucket for requests whose address cannot be known (an untrusted Unix socket peer).
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - an address to count by, not one to bind to
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[tuple, bool]:
    networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry != _UNIX_SOCKET)
    return networks, _UNIX_SOCKET in entries


def _parse(value: str | None) -> IPAddress | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket shows up as ::ffff:a.b.c.d.
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as our own proxies saw it, or None when it cannot be known."""
    networks, trust_unix_socket = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    peer = _parse(request.META.get("REMOTE_ADDR"))
    if peer is None:
        peer_is_trusted = trust_unix_socket and not request.META.get("REMOTE_ADDR")
    else:
        peer_is_trusted = _is_trusted(peer, networks)
    if not peer_is_trusted:
        return str(peer) if peer else None

    nearest = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            # Garbage our proxy passed along: the nearest hop we can vouch for is the answer.
            break
        if not _is_trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest) if nearest else None


def client_network(request: HttpRequest) -> str:
    """The address a limit counts against: IPv4 as is, IPv6 per /64 (one household or
    host holds a whole /64, so counting single IPv6 addresses would limit nothing).
    Requests whose address cannot be known share one bucket."""
    address = _parse(client_ip(request))
    if address is None:
        return UNKNOWN_ADDRESS
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
