"""Signed console session cookies and CSRF tokens (HMAC-SHA256 with a key from the server secret).

A session cookie is `<base64url JSON>.<base64url HMAC>` holding the agent, role, a per-session
CSRF token and the expiry; nothing in it is secret, everything in it is tamper-proof. Before
sign-in a separate short-lived signed nonce protects the sign-in form (double submit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass

SESSION_COOKIE = "trustdesk_console"
LOGIN_COOKIE = "trustdesk_console_login"
LOGIN_TOKEN_MAX_AGE_S = 3600
_PURPOSE = b"trustdesk-console-session/v1"


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in agent: name, role, CSRF token and when the session ends (epoch seconds)."""

    agent: str
    role: str
    csrf: str
    expires_at: int


class SessionSigner:
    """Issues and checks session cookies and sign-in form tokens."""

    def __init__(self, secret: str, *, max_age_s: float) -> None:
        """`secret`: the server's auth secret; a key for this purpose only is derived from it."""
        self._key = hmac.new(secret.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()
        self.max_age_s = int(max_age_s)

    def issue(
        self, agent: str, role: str, *, now: float | None = None
    ) -> tuple[str, ConsoleSession]:
        """A new session for `agent`: the cookie value and what it holds."""
        expires = int(now if now is not None else time.time()) + self.max_age_s
        session = ConsoleSession(agent, role, secrets.token_urlsafe(24), expires)
        payload = json.dumps(asdict(session), separators=(",", ":")).encode("utf-8")
        return self._seal(payload), session

    def read(self, cookie: str | None, *, now: float | None = None) -> ConsoleSession | None:
        """The session a cookie holds, or None when missing, forged, malformed or expired."""
        payload = self._open(cookie)
        if payload is None:
            return None
        try:
            session = ConsoleSession(**json.loads(payload))
        except (TypeError, ValueError):
            return None
        current = now if now is not None else time.time()
        return session if session.expires_at > current else None

    def login_token(self, *, now: float | None = None) -> str:
        """A signed nonce for the sign-in form (set as a cookie and a hidden field)."""
        issued = int(now if now is not None else time.time())
        return self._seal(f"login:{issued}:{secrets.token_urlsafe(16)}".encode())

    def login_token_ok(
        self, cookie: str | None, field: str | None, *, now: float | None = None
    ) -> bool:
        """Whether the sign-in form carries the same, genuine, recent token as its cookie."""
        if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
            return False
        payload = self._open(cookie)
        if payload is None or not payload.startswith(b"login:"):
            return False
        issued = int(payload.split(b":")[1])
        current = now if now is not None else time.time()
        return 0 <= current - issued <= LOGIN_TOKEN_MAX_AGE_S

    def _seal(self, payload: bytes) -> str:
        mac = hmac.new(self._key, payload, hashlib.sha256).digest()
        return f"{_b64(payload)}.{_b64(mac)}"

    def _open(self, sealed: str | None) -> bytes | None:
        if not sealed or sealed.count(".") != 1:
            return None
        body, mac = sealed.split(".")
        try:
            payload, given = _unb64(body), _unb64(mac)
        except ValueError:
            return None
        expected = hmac.new(self._key, payload, hashlib.sha256).digest()
        return payload if hmac.compare_digest(given, expected) else None


def csrf_ok(session: ConsoleSession, token: str | None) -> bool:
    """Whether a form's CSRF token is this session's."""
    return token is not None and hmac.compare_digest(session.csrf.encode(), token.encode())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
