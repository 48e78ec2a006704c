"""Console passwords: scrypt hashes (stdlib, no extra dependency) and the placeholder check.

A stored hash reads `scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>`; `trustdesk console hash-password`
prints one for the settings. Passwords themselves are never stored or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

SCHEME = "scrypt"
# RFC 7914's interactive-login parameters: 16 MiB and about 50 ms per check.
N, R, P = 2**14, 8, 1
_KEY_BYTES = 32
_MAX_MEM = 64 * 1024 * 1024
HASH_RE = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")

# Passwords nobody may use outside development: the usual defaults and our own dev examples.
PLACEHOLDER_PASSWORDS = (
    "",
    "admin",
    "agent",
    "password",
    "changeme",
    "change-me",
    "secret",
    "trustdesk",
)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of `password` in the stored format."""
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=N, r=R, p=P, maxmem=_MAX_MEM, dklen=_KEY_BYTES
    )
    return "$".join((SCHEME, str(N), str(R), str(P), _b64(salt), _b64(key)))


def is_password_hash(value: str) -> bool:
    """Whether `value` has the stored hash format (a plain password does not)."""
    return HASH_RE.fullmatch(value) is not None


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash (constant-time; False for malformed hashes)."""
    match = HASH_RE.fullmatch(stored)
    if match is None:
        return False
    n, r, p = (int(match[i]) for i in (1, 2, 3))
    salt, expected = base64.b64decode(match[4]), base64.b64decode(match[5])
    try:
        key = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            maxmem=_MAX_MEM,
            dklen=len(expected),
        )
    except ValueError:  # parameters out of range
        return False
    return hmac.compare_digest(key, expected)


def placeholder_accounts(accounts: Iterable[tuple[str, str]]) -> list[str]:
    """Names of the (name, hash) accounts whose password is a placeholder or the name itself."""
    return [
        name
        for name, stored in accounts
        if any(verify_password(guess, stored) for guess in (*PLACEHOLDER_PASSWORDS, name))
    ]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
