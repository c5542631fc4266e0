"""Servers an attacker would run: a listener that records whatever a client sends it, servers
that echo the client's own command lines into their replies, a non-mail banner on a mail port.
Each is a behaviour for `misbehaving_server`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from tests.support.misbehaving_servers import Behaviour


@dataclass
class Recording:
    """What a listener saw: how many connections, and every byte received."""

    connections: int = 0
    received: bytearray = field(default_factory=bytearray)


def recording_smtp(recording: Recording) -> Behaviour:
    """A plaintext SMTP server offering AUTH that keeps every byte a client sends."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        recording.connections += 1
        writer.write(b"220 collector.example ESMTP\r\n")
        await writer.drain()
        while line := await reader.readline():
            recording.received.extend(line)
            if line.upper().startswith(b"EHLO"):
                writer.write(b"250-collector.example\r\n250 AUTH PLAIN LOGIN\r\n")
            elif line.upper().startswith(b"AUTH"):
                writer.write(b"235 2.7.0 Authentication successful\r\n")
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()

    return behaviour


def recording_imap(recording: Recording, capabilities: bytes = b"IMAP4rev1") -> Behaviour:
    """A plaintext IMAP server that keeps every byte and answers every command OK."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        recording.connections += 1
        writer.write(b"* OK [CAPABILITY " + capabilities + b"] collector ready\r\n")
        await writer.drain()
        while line := await reader.readline():
            recording.received.extend(line)
            tag = line.split(b" ", 1)[0]
            writer.write(tag + b" OK done\r\n")
            await writer.drain()

    return behaviour


async def smtp_echoing_auth(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Refuses AUTH with a 535 that repeats the client's AUTH line, and its next answer."""
    writer.write(b"220 echo.example ESMTP\r\n")
    await writer.drain()
    while line := await reader.readline():
        text = line.rstrip(b"\r\n")
        if text.upper().startswith(b"EHLO"):
            writer.write(b"250-echo.example\r\n250 AUTH PLAIN\r\n")
        elif text.upper().startswith(b"AUTH"):
            writer.write(b"535 5.7.8 Refused, you sent: " + text + b"\r\n")
        else:
            writer.write(b"250 OK\r\n")
        await writer.drain()


def imap_echoing_login(capabilities: bytes) -> Behaviour:
    """Refuses the login with a NO that repeats the client's whole command line."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"* OK [CAPABILITY " + capabilities + b"] echo ready\r\n")
        await writer.drain()
        while line := await reader.readline():
            text = line.rstrip(b"\r\n")
            tag = text.split(b" ", 1)[0]
            writer.write(tag + b" NO [AUTHENTICATIONFAILED] you sent: " + text + b"\r\n")
            await writer.drain()

    return behaviour


async def imap_banner(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """An IMAP greeting, with something to hide, on what the client thinks is SMTP."""
    writer.write(b"* OK [CAPABILITY IMAP4rev1] internal-build-7 at db-3.corp ready\r\n")
    await writer.drain()
    await reader.read(1024)


async def imap_second_greeting_line(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """A greeting with one more untagged line in the same segment, then silence: whatever the
    client sends is read and never answered."""
    writer.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n* OK still here\r\n")
    await writer.drain()
    while await reader.read(4096):
        pass


async def imap_literal_flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers the login with an untagged response announcing a 2 GB literal, then streams it."""
    writer.write(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
    await writer.drain()
    await reader.readline()
    writer.write(b"* 1 FETCH (BODY[] {2000000000}\r\n")
    chunk = b"x" * 65536
    for _ in range(2_000_000_000 // len(chunk)):
        writer.write(chunk)
        await writer.drain()


async def imap_untagged_flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers the login with an endless stream of short untagged lines."""
    writer.write(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
    await writer.drain()
    await reader.readline()
    lines = b"* 1 EXISTS\r\n" * 4096
    while True:
        writer.write(lines)
        await writer.drain()


async def imap_long_line(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers the login with one untagged line that never ends."""
    writer.write(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
    await writer.drain()
    await reader.readline()
    writer.write(b"* OK ")
    chunk = b"y" * 65536
    while True:
        writer.write(chunk)
        await writer.drain()


async def smtp_reply_flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers EHLO with a multi-line reply that never ends."""
    writer.write(b"220 flood.example ESMTP\r\n")
    await writer.drain()
    await reader.readline()
    lines = b"250-PIPELINING\r\n" * 4096
    while True:
        writer.write(lines)
        await writer.drain()


async def trickling_token_endpoint(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """An HTTP server that reads a request, then sends a status line and one header line every
    two seconds, never ending its headers: a timeout per read never fires."""
    while (await reader.readline()).strip():
        pass  # the request's headers; its body is never read
    writer.write(b"HTTP/1.1 200 OK\r\n")
    await writer.drain()
    count = 0
    while True:
        await asyncio.sleep(2)
        count += 1
        writer.write(b"X-Still-Thinking: %d\r\n" % count)
        await writer.drain()
