"""The test Dovecot's variants beyond the local stack's demo server (local_stack/mail_server.py):
logins only after TLS as hosting providers run it, OAuth2 logins checked against a token
server, and a password changed as an administrator would."""

from __future__ import annotations

import contextlib
import imaplib
import os
import time

from local_stack.mail_server import DovecotOptions, MailServer

# Dovecot takes a client at its own address as secure whatever the settings: a strict server
# listens on another loopback address than the one it is reached from.
STRICT_ADDRESS = "127.0.0.2"


def strict_options() -> DovecotOptions:
    """No login before TLS: IMAP advertises LOGINDISABLED, submission no AUTH."""
    return DovecotOptions(listen=STRICT_ADDRESS, security="disable_plaintext_auth = yes")


def oauth2_options(introspection_url: str) -> DovecotOptions:
    """XOAUTH2 and OAUTHBEARER logins beside the password logins, each token asked of
    `introspection_url` (RFC 7662)."""
    settings = (
        f"introspection_mode = post\nintrospection_url = {introspection_url}\n"
        "username_attribute = email\nactive_attribute = active\nactive_value = true\n"
        "timeout_msecs = 5000\n"
    )
    passdb = "passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n"
    passdb += "  args = {root}/oauth2.conf.ext\n}}\n"
    return DovecotOptions(
        mechanisms="plain login xoauth2 oauthbearer",
        passdbs=passdb,
        password_mechanisms="plain login",
        files={"oauth2.conf.ext": settings.replace("{", "{{").replace("}", "}}")},
    )


def set_password(server: MailServer, user: str, password: str) -> None:
    """Change a user's password as an administrator would. Dovecot notices the file's new
    modification time on a later lookup, not at once: wait until it logs in with it."""
    server.users[user] = password
    users = server.root / "users"
    users.write_text("".join(f"{u}:{{PLAIN}}{p}::::\n" for u, p in server.users.items()))
    stamp = time.time() + 1  # a later mtime even within the timestamp resolution
    os.utime(users, (stamp, stamp))
    # Dovecot notices the new modification time within about a second.
    time.sleep(1.0)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            session = imaplib.IMAP4("127.0.0.1", server.imap_starttls_port, timeout=5)
            try:
                session.login(user, password)
                session.logout()
                return
            finally:
                with contextlib.suppress(OSError):
                    session.shutdown()
        time.sleep(0.2)
    raise RuntimeError(f"Dovecot did not take the new password of {user}")
