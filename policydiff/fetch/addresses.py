"""Where a fetch may go: redirects never lead into internal networks unless the target is there.

A watched page is public; a redirect from it to ``127.0.0.1``, ``10.x``, ``169.254.169.254`` (the
cloud metadata service) or ``localhost`` is an attack on the machine running policydiff (SSRF), not
the document. Every redirect hop's host is resolved and each address checked, so a name, a decimal
(``2130706434``), octal or IPv4-mapped IPv6 spelling of an internal address is caught the same way;
after connecting, the address actually connected to is checked again (a DNS answer that changed in
between is caught too). "Internal" is anything ``ipaddress`` does not call global: loopback,
private, link-local, shared (CGNAT), reserved, multicast, unspecified.

Allowed anyway: the addresses the target's own URL resolves to (a target on an intranet, or a test
server on 127.0.0.1, keeps working, redirects within it included), and the networks a target lists
in ``allow_internal`` in targets.toml.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import attrs

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

__all__ = ["AddressPolicy", "InternalAddress", "is_internal", "parse_networks", "peer_address"]


class InternalAddress(Exception):
    """A hop leads to an internal address the target is not allowed to reach."""


def is_internal(address: IPAddress) -> bool:
    """Whether ``address`` is anything but a public (global) address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``"10.0.0.0/8"``, ``"127.0.0.2"`` ... as networks; ``ValueError`` names a bad one."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


@attrs.frozen
class AddressPolicy:
    """The internal addresses one target may reach: its own, and those its configuration allows."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    async def for_target(cls, url: str, allow: Iterable[str] = ()) -> AddressPolicy:
        """The policy of a target at ``url``: what ``url`` itself resolves to is allowed, and the
        networks in ``allow`` (already validated by the targets file loader)."""
        own: list[IPNetwork] = []
        try:
            own = [ipaddress.ip_network(a) for a in await resolve(url)]
        except OSError:
            pass  # cannot resolve: the request itself will fail with a connection error
        return cls((*own, *parse_networks(allow)))

    def permits(self, address: IPAddress) -> bool:
        if not is_internal(address):
            return True
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.allowed)

    async def check_url(self, url: str) -> None:
        """Raise ``InternalAddress`` if any address ``url``'s host resolves to is not permitted."""
        try:
            addresses = await resolve(url)
        except OSError:
            return  # unresolvable: the request fails on its own, reaching nothing
        for address in addresses:
            if not self.permits(address):
                raise InternalAddress(_describe(url, address))

    def check_peer(self, url: str, peer: object) -> None:
        """Raise ``InternalAddress`` if the connection actually made (``(ip, port, ...)``) is internal."""
        if not isinstance(peer, tuple) or not peer:
            return
        try:
            address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
        except ValueError:
            return
        if not self.permits(address):
            raise InternalAddress(_describe(url, address))


def peer_address(response: Any) -> object:
    """The ``(ip, port)`` an httpx response's connection actually went to, if it can be seen."""
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    sock = stream.get_extra_info("socket")
    try:
        return sock.getpeername() if sock is not None and sock.fileno() >= 0 else None
    except OSError:
        return None


async def resolve(url: str) -> list[IPAddress]:
    """The addresses ``url``'s host resolves to (a literal address resolves to itself)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # not a URL we could request: the request fails on its own
        return []
    if not host:
        return []
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in out:
            out.append(address)
    return out


def _describe(url: str, address: IPAddress) -> str:
    host = urlsplit(url).hostname or url
    shown = f"{host} ({address})" if host != str(address) else str(address)
    return (
        f"a redirect to {shown}, an internal address, was refused; if the target really lives "
        f"there, list the network in allow_internal for this target in targets.toml"
    )
