"""Outbound connections to user-supplied hosts: resolve once, refuse what is not public, pin.

A user names the host; we must never let that name reach the metadata service, a VPC peer or
loopback. The name is resolved exactly once and the socket is connected to that address, so a
second resolution (DNS rebinding) cannot redirect the connection afterwards.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from sender_accounts.mail.failures import ProbeFailure
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.policy import OutboundPolicy, is_address_allowed


async def resolve_allowed(
    host: str, port: int, policy: OutboundPolicy, timeout: float
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
        if not is_address_allowed(address, policy):
            raise ProbeFailure(
                ErrorCode.HOST_NOT_ALLOWED,
                f"The host {host} resolves to an address that is not publicly routable",
            )
        if port not in policy.public_ports and not policy.allow_listed(address):
            ports = ", ".join(str(p) for p in sorted(policy.public_ports))
            raise ProbeFailure(
                ErrorCode.HOST_NOT_ALLOWED,
                f"Port {port} is not a mail port; connections are allowed to ports {ports}",
            )
        targets.append((family, tuple(sockaddr)))
    if not targets:
        raise ProbeFailure(ErrorCode.HOST_NOT_FOUND, f"The host {host} has no address")
    return targets


async def open_pinned_socket(
    host: str, port: int, policy: OutboundPolicy, timeout: float
) -> socket.socket:
    """A connected, non-blocking socket to the first reachable allowed address of `host`."""
    loop = asyncio.get_running_loop()
    targets = await resolve_allowed(host, port, policy, timeout)
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
