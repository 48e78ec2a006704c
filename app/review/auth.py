"""Who may use the console: accounts from settings (plus a dev account), roles, sign-in checks.

Sessions are signed cookies checked against the accounts and against the signed-out sessions in
the database, so a cookie replayed after sign-out is refused like no cookie at all.

Roles are ordered: an admin can do everything an agent can, and also download exports. Anyone
else (anonymous visitors and shoppers, whose shopper cookie grants nothing here) is refused with
401; a signed-in agent on an admin page gets 403, as does a form without this session's CSRF
token or from a foreign origin.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from starlette.requests import Request

from app.config import ReviewSettings
from app.review.passwords import hash_password, verify_password
from app.review.sessions import (
    SESSION_COOKIE,
    ConsoleSession,
    SessionRevocations,
    SessionSigner,
    csrf_ok,
)

logger = logging.getLogger(__name__)

ROLE_RANK = {"agent": 1, "admin": 2}
DEV_ACCOUNT = "dev"
DEV_PASSWORD_FILE = "console_dev_password"


class NotSignedInError(Exception):
    """No valid console session (answered with 401 and the sign-in page)."""


class ForbiddenError(Exception):
    """Signed in, but not allowed to do this (answered with 403)."""


@dataclass(frozen=True)
class Account:
    """A console account as the sign-in check needs it."""

    name: str
    role: str
    password_hash: str


class AccountBook:
    """The accounts that may sign in, by name."""

    def __init__(self, accounts: Iterable[Account]) -> None:
        """Index `accounts` by name."""
        self._accounts = {account.name: account for account in accounts}

    def __len__(self) -> int:
        return len(self._accounts)

    def get(self, name: str) -> Account | None:
        """The account called `name`, if any."""
        return self._accounts.get(name)

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when `password` is its password; None otherwise (same time either way)."""
        account = self._accounts.get(name)
        ok = verify_password(password, account.password_hash if account else _dummy_hash())
        return account if ok and account is not None else None


@cache
def _dummy_hash() -> str:
    # Checked when the name is unknown, so a wrong name takes as long as a wrong password.
    return hash_password(secrets.token_urlsafe(16))


def account_book(review: ReviewSettings, *, environment: str, state_dir: Path) -> AccountBook:
    """Accounts from settings, plus the dev admin in development (password logged once)."""
    accounts = [
        Account(name, a.role, a.password_hash.get_secret_value())
        for name, a in review.accounts.items()
    ]
    dev_on = review.dev_account if review.dev_account is not None else True
    if environment == "development" and dev_on and DEV_ACCOUNT not in review.accounts:
        password = dev_password(state_dir)
        accounts.append(Account(DEV_ACCOUNT, "admin", hash_password(password)))
        logger.warning(
            "DEVELOPMENT console account: sign in at /console as %r with password %r "
            "(stored in %s; never enabled outside development)",
            DEV_ACCOUNT,
            password,
            state_dir / DEV_PASSWORD_FILE,
        )
    if not accounts:
        logger.warning("no console accounts: set TRUSTDESK_REVIEW__ACCOUNTS to use /console")
    return AccountBook(accounts)


def dev_password(state_dir: Path) -> str:
    """The dev account's password: generated once in the state folder (mode 0600)."""
    path = state_dir / DEV_PASSWORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(12))
    return path.read_text(encoding="utf-8").strip()


@dataclass
class LoginThrottle:
    """Locks an account name for a while after repeated failed sign-ins."""

    max_failures: int = 5
    lock_s: float = 60.0
    _failures: dict[str, list[float]] = field(default_factory=dict)

    def locked(self, name: str, *, now: float | None = None) -> bool:
        """Whether sign-ins for `name` are refused right now."""
        current = now if now is not None else time.monotonic()
        recent = [t for t in self._failures.get(name.lower(), []) if current - t < self.lock_s]
        self._failures[name.lower()] = recent
        return len(recent) >= self.max_failures

    def failed(self, name: str, *, now: float | None = None) -> None:
        """Count a failed sign-in for `name`."""
        current = now if now is not None else time.monotonic()
        self._failures.setdefault(name.lower(), []).append(current)

    def succeeded(self, name: str) -> None:
        """Forget the failures of `name`."""
        self._failures.pop(name.lower(), None)


class ConsoleAuth:
    """Reads and checks the console session of a request."""

    def __init__(
        self,
        book: AccountBook,
        signer: SessionSigner,
        *,
        revocations: SessionRevocations,
        allowed_origins: Iterable[str],
    ) -> None:
        """`allowed_origins`: browser origins besides this host that may post forms."""
        self.book = book
        self.signer = signer
        self.revocations = revocations
        self.throttle = LoginThrottle()
        self._origins = {origin.rstrip("/") for origin in allowed_origins}

    def session(self, request: Request) -> ConsoleSession | None:
        """The request's valid session: not signed out, its account still there with its role."""
        session = self.signer.read(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return None
        account = self.book.get(session.agent)
        if account is None or account.role != session.role:
            return None
        return None if self.revocations.revoked(session) else session

    def sign_out(self, session: ConsoleSession) -> None:
        """End `session` on the server: its cookie is refused from now on, wherever it is sent."""
        self.revocations.revoke(session)

    def require(self, request: Request, role: str = "agent") -> ConsoleSession:
        """The session if its role is at least `role`; else NotSignedInError or ForbiddenError."""
        session = self.session(request)
        if session is None:
            raise NotSignedInError()
        if ROLE_RANK.get(session.role, 0) < ROLE_RANK[role]:
            raise ForbiddenError(f"This page is for the {role} role.")
        return session

    def check_form(self, request: Request, session: ConsoleSession, token: str | None) -> None:
        """Refuse a posted form from a foreign origin or without this session's CSRF token."""
        self.check_origin(request)
        if not csrf_ok(session, token):
            raise ForbiddenError("The form expired or was not sent from the console; reload it.")

    def check_origin(self, request: Request) -> None:
        """Refuse a request whose Origin header names another site."""
        origin = request.headers.get("origin")
        if origin is None:  # same-origin form posts from older browsers send none
            return
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin.rstrip("/") not in {own, *self._origins}:
            raise ForbiddenError("Cross-site request refused.")
