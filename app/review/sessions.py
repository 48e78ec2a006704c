"""Signed console session cookies and CSRF tokens (HMAC-SHA256 with a key from the server secret).

A session cookie is `<base64url JSON>.<base64url HMAC>` holding a random session id, the agent,
role, a per-session CSRF token and the expiry; nothing in it is secret, everything in it is
tamper-proof. Signing out records the session id in the database (`SessionRevocations`), so a
copied cookie is refused afterwards by every worker, also after a restart. Before sign-in a
separate short-lived signed nonce protects the sign-in form (double submit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.store.console_session_models import RevokedConsoleSession

SESSION_COOKIE = "trustdesk_console"
LOGIN_COOKIE = "trustdesk_console_login"
LOGIN_TOKEN_MAX_AGE_S = 3600
_PURPOSE = b"trustdesk-console-session/v1"


@dataclass(frozen=True)
class ConsoleSession:
    """A signed-in agent: name, role, CSRF token, when it ends (epoch seconds), session id."""

    agent: str
    role: str
    csrf: str
    expires_at: int
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(18))


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
            fields = json.loads(payload)
            session = ConsoleSession(**fields)
        except (TypeError, ValueError):
            return None
        current = now if now is not None else time.time()
        # A cookie without its own session id could never be signed out: refused, not given one.
        return session if "sid" in fields and session.expires_at > current else None

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


class SessionRevocations:
    """Signed-out session ids, in the turn log's database (shared by workers, kept on restart)."""

    def __init__(self, engine: Engine) -> None:
        """`engine`: the database migrated with the console_revoked_sessions table."""
        self._engine = engine

    def revoke(self, session: ConsoleSession, *, now: float | None = None) -> None:
        """Refuse `session` from now on; forget sessions that have expired anyway."""
        current = now if now is not None else time.time()
        with Session(self._engine) as db:
            expired = col(RevokedConsoleSession.expires_at) <= _utc(current)
            db.exec(delete(RevokedConsoleSession).where(expired))
            db.commit()
            db.add(
                RevokedConsoleSession(
                    session_id=session.sid,
                    agent=session.agent,
                    revoked_at=_utc(current),
                    expires_at=_utc(session.expires_at),
                )
            )
            try:
                db.commit()
            except IntegrityError:  # signed out twice at once: revoked either way
                db.rollback()

    def revoked(self, session: ConsoleSession) -> bool:
        """Whether `session` was signed out."""
        with Session(self._engine) as db:
            return db.get(RevokedConsoleSession, session.sid) is not None


def csrf_ok(session: ConsoleSession, token: str | None) -> bool:
    """Whether a form's CSRF token is this session's."""
    return token is not None and hmac.compare_digest(session.csrf.encode(), token.encode())


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
