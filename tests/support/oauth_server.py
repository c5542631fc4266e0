"""An OAuth2 / OpenID Connect provider on loopback, as Google's and Microsoft's behave for mail:
the authorization-code grant with PKCE (S256), refresh with rotation (the refresh token
replaced is still honoured, as Microsoft does), RFC 7662 introspection that Dovecot's oauth2
passdb asks, RFC 7009 revocation, ES256-signed JWT access and ID tokens carrying the user in
`sub` and `email`.

The consent screen is skipped: `/authorize` answers at once with a redirect carrying the code,
for the user named by `login_hint` (or `default_user`). Tests reach the provider's state
directly: `issue()` mints a token set (optionally already expired), `revoke()` revokes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from flask import Flask, Response, redirect, request
from werkzeug.serving import make_server

ACCESS_TOKEN_SECONDS = 3600


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Grant:
    user: str
    client_id: str
    scope: str
    revoked: bool = False


@dataclass
class PendingCode:
    grant: Grant
    redirect_uri: str
    challenge: str


@dataclass
class OAuthProvider:
    clients: dict[str, str]  # client id -> secret
    default_user: str = "user@example.test"
    # The `email` claim of the ID tokens issued, when a test wants another than the user's.
    id_token_email: str | None = None
    port: int = 0
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    codes: dict[str, PendingCode] = field(default_factory=dict)
    revoked_jti: set[str] = field(default_factory=set)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # How long the access tokens of the code and refresh grants live.
    access_token_seconds: int = ACCESS_TOKEN_SECONDS
    # Told every token issued (the test run's secret scan registers them).
    on_issue: Callable[[str], None] | None = None
    _server: Any = None
    _thread: threading.Thread | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # Tokens ---------------------------------------------------------------------------------

    def _jwt(self, claims: dict[str, Any]) -> str:
        header = _b64url(json.dumps({"alg": "ES256", "typ": "JWT", "kid": "k1"}).encode())
        body = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        der = self.key.sign(f"{header}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return f"{header}.{body}.{_b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def _verify(self, token: str) -> dict[str, Any] | None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        try:
            header, body, signature = token.split(".")
            raw = _b64url_decode(signature)
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            self.key.public_key().verify(
                der, f"{header}.{body}".encode(), ec.ECDSA(hashes.SHA256())
            )
            claims: dict[str, Any] = json.loads(_b64url_decode(body))
        except (ValueError, InvalidSignature):
            return None
        return claims

    def access_token(self, grant: Grant, expires_in: int = ACCESS_TOKEN_SECONDS) -> str:
        now = int(time.time())
        return self._jwt(
            {"iss": self.issuer, "sub": grant.user, "email": grant.user, "aud": grant.client_id,
             "iat": now, "exp": now + expires_in, "jti": secrets.token_hex(6)}
        )  # fmt: skip

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        return self._jwt(
            {"iss": self.issuer, "sub": grant.user, "email_verified": True,
             "email": grant.user if self.id_token_email is None else self.id_token_email,
             "aud": grant.client_id, "iat": now, "exp": now + 300}
        )  # fmt: skip

    def _token_set(self, grant: Grant, expires_in: int | None = None) -> dict[str, Any]:
        expires_in = self.access_token_seconds if expires_in is None else expires_in
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.refresh_tokens[refresh] = grant
        access = self.access_token(grant, expires_in)
        if self.on_issue is not None:
            self.on_issue(refresh)
            self.on_issue(access)
        return {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": expires_in,
            "token_type": "Bearer",
            "scope": grant.scope,
            "id_token": self.id_token(grant),
        }

    def issue(self, user: str, client_id: str, expired: bool = False) -> dict[str, Any]:
        """A token set as the consent would give it; `expired`: the access token already is."""
        with self.lock:
            tokens = self._token_set(Grant(user, client_id, "mail"), -60 if expired else 3600)
        tokens["expiry_date"] = int((time.time() + tokens["expires_in"]) * 1000)
        return tokens

    def revoke(self, refresh_token: str) -> None:
        with self.lock:
            self.refresh_tokens[refresh_token].revoked = True

    def refreshes(self) -> int:
        return sum(1 for r in self.token_requests if r.get("grant_type") == "refresh_token")

    # HTTP -----------------------------------------------------------------------------------

    def app(self) -> Flask:
        app = Flask("oauth-provider")

        @app.get("/authorize")
        def authorize() -> Any:
            args = request.args
            if args.get("client_id") not in self.clients or args.get("response_type") != "code":
                return Response("unknown client or response type", status=400)
            if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
                return Response("PKCE S256 required", status=400)
            user = (args.get("login_hint") or self.default_user).lower()
            code = secrets.token_urlsafe(16)
            grant = Grant(user, args["client_id"], args.get("scope", ""))
            with self.lock:
                self.codes[code] = PendingCode(grant, args["redirect_uri"], args["code_challenge"])
            query = urlencode({"code": code, "state": args.get("state", "")})
            return redirect(f"{args['redirect_uri']}?{query}", code=302)

        @app.post("/token")
        def token() -> Any:
            form = request.form.to_dict()
            self.token_requests.append({k: v for k, v in form.items() if k == "grant_type"})
            client_id = form.get("client_id", "")
            if self.clients.get(client_id) != form.get("client_secret"):
                return _error("invalid_client", 401)
            with self.lock:
                if form.get("grant_type") == "authorization_code":
                    pending = self.codes.pop(form.get("code", ""), None)
                    verifier = form.get("code_verifier", "").encode()
                    challenge = _b64url(hashlib.sha256(verifier).digest())
                    if (
                        pending is None
                        or pending.grant.client_id != client_id
                        or pending.redirect_uri != form.get("redirect_uri")
                        or pending.challenge != challenge
                    ):
                        return _error("invalid_grant")
                    return _json(self._token_set(pending.grant))
                if form.get("grant_type") == "refresh_token":
                    grant = self.refresh_tokens.get(form.get("refresh_token", ""))
                    if grant is None or grant.revoked or grant.client_id != client_id:
                        return _error("invalid_grant")
                    tokens = self._token_set(grant)
                    del tokens["id_token"]
                    return _json(tokens)
            return _error("unsupported_grant_type")

        @app.post("/introspect")
        def introspect() -> Any:
            claims = self._verify(request.form.get("token", ""))
            if claims is None or claims.get("exp", 0) < time.time():
                return _json({"active": False})
            if claims.get("iss") != self.issuer or claims.get("jti") in self.revoked_jti:
                return _json({"active": False})
            return _json({"active": True, **claims})

        @app.post("/revoke")
        def revoke() -> Any:
            token = request.form.get("token", "")
            with self.lock:
                if token in self.refresh_tokens:
                    self.refresh_tokens[token].revoked = True
            return Response(status=200)

        return app

    def start(self) -> OAuthProvider:
        self._server = make_server("127.0.0.1", self.port, self.app(), threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _error(code: str, status: int = 400) -> Response:
    return _json({"error": code}, status)
