"""Anonymous shopper identity: a long-lived random browser cookie, never a password (for now)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from http.cookies import CookieError, SimpleCookie

SHOPPER_COOKIE = "trustdesk_shopper"
COOKIE_MAX_AGE_S = 400 * 24 * 3600  # the longest lifetime browsers honour
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def new_shopper_token() -> str:
    """A fresh unguessable token for one browser."""
    return secrets.token_urlsafe(32)


def is_valid_token(token: str | None) -> bool:
    """Whether `token` looks like one we issued (anything else is replaced)."""
    return token is not None and _TOKEN.fullmatch(token) is not None


def read_shopper_token(cookie_header: str | None) -> str | None:
    """The shopper token from a Cookie header, if present and well formed."""
    if not cookie_header:
        return None
    try:
        cookies = SimpleCookie(cookie_header)
    except CookieError:
        return None
    morsel = cookies.get(SHOPPER_COOKIE)
    token = morsel.value if morsel is not None else None
    return token if is_valid_token(token) else None


def shopper_identifier(token: str, *, secret: str) -> str:
    """Stable user id for a token; keyed, so a stored id cannot be turned back into a cookie."""
    digest = hmac.new(secret.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"shopper-{digest[:24]}"
