"""Outbound connections to user-supplied hosts: resolve once, refuse what is not public, pin.

A user names the host; we must never let that name reach the metadata service, a VPC peer or
loopback. The name is resolved exactly once and the socket is connected to that address, so a
second resolution (DNS rebinding) cannot redirect the connection afterwards.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence

from ..config import IpNetwork
from .failures import ErrorCode, ProbeFailure

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _effective_address(address: IpAddress) -> IpAddress:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return address


def is_address_allowed(address: IpAddress, allowed_networks: Sequence[IpNetwork]) -> bool:
    """True for a globally routable unicast address, or one inside an allow-listed network."""
    for candidate in {address, _effective_address(address)}:
        if any(candidate.version == net.version and candidate in net for net in allowed_networks):
            return True
    effective = _effective_address(address)
    return effective.is_global and not effective.is_multicast and address.is_global


async def resolve_allowed(
    host: str, port: int, allowed_networks: Sequence[IpNetwork], timeout: float
) -> list[tuple[socket.AddressFamily, tuple[object, ...]]]:
    """Resolve `host` once; every address it names must be allowed, or none is used."""
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout
        )
    except socket.gaierror as exc:
        raise ProbeFailure(
            ErrorCode.HOST_NOT_FOUND, f"The host {host} could not be resolved"
        ) from exc
    except TimeoutError as exc:
        raise ProbeFailure(ErrorCode.TIMEOUT, f"Resolving {host} timed out") from exc
    except UnicodeError as exc:
        raise ProbeFailure(ErrorCode.HOST_NOT_FOUND, "The host name is not valid") from exc
    targets: list[tuple[socket.AddressFamily, tuple[object, ...]]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not is_address_allowed(address, allowed_networks):
            raise ProbeFailure(
                ErrorCode.HOST_NOT_ALLOWED,
                f"The host {host} resolves to an address that is not publicly routable",
            )
        targets.append((family, tuple(sockaddr)))
    if not targets:
        raise ProbeFailure(ErrorCode.HOST_NOT_FOUND, f"The host {host} has no address")
    return targets


async def open_pinned_socket(
    host: str, port: int, allowed_networks: Sequence[IpNetwork], timeout: float
) -> socket.socket:
    """A connected, non-blocking socket to the first reachable allowed address of `host`."""
    loop = asyncio.get_running_loop()
    targets = await resolve_allowed(host, port, allowed_networks, timeout)
    last_error: BaseException | None = None
    for family, sockaddr in targets:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setblocking(False)
        try:
            await asyncio.wait_for(loop.sock_connect(sock, sockaddr), timeout)
            return sock
        except TimeoutError as exc:
            sock.close()
            raise ProbeFailure(ErrorCode.TIMEOUT, f"Connecting to {host}:{port} timed out") from exc
        except OSError as exc:
            sock.close()
            last_error = exc
    raise ProbeFailure(
        ErrorCode.CONNECTION_FAILED, f"Connection to {host}:{port} refused"
    ) from last_error
