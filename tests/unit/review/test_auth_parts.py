"""Console credentials: scrypt hashes, signed sessions, CSRF tokens, throttling, settings checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings
from app.review.auth import Account, AccountBook, LoginThrottle, account_book
from app.review.passwords import (
    hash_password,
    is_password_hash,
    placeholder_accounts,
    verify_password,
)
from app.review.sessions import ConsoleSession, SessionSigner, csrf_ok

SECRET = "s" * 48


def test_password_hash_verifies_only_its_password_and_is_salted() -> None:
    stored = hash_password("correct horse battery")
    assert is_password_hash(stored) and "correct" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)
    assert hash_password("correct horse battery") != stored
    assert not verify_password("anything", "not-a-hash")


def test_placeholder_passwords_and_name_as_password_are_found() -> None:
    accounts = [
        ("alice", hash_password("admin")),
        ("bob", hash_password("bob")),
        ("carol", hash_password("a long and private passphrase")),
    ]
    assert placeholder_accounts(accounts) == ["alice", "bob"]


def test_session_cookie_round_trips_and_rejects_tampering_and_expiry() -> None:
    signer = SessionSigner(SECRET, max_age_s=3600)
    cookie, session = signer.issue("alice", "agent", now=1_000)
    assert signer.read(cookie, now=2_000) == session
    assert signer.read(cookie, now=1_000 + 3600) is None  # expired
    body, mac = cookie.split(".")
    forged = signer.issue("alice", "admin", now=1_000)[0].split(".")[0] + "." + mac
    assert signer.read(forged, now=2_000) is None
    assert SessionSigner("another secret", max_age_s=3600).read(cookie, now=2_000) is None
    for junk in (None, "", "abc", "a.b.c", "!!.??", body + ".", "é.é"):
        assert signer.read(junk, now=2_000) is None


def test_csrf_token_belongs_to_its_session() -> None:
    session = ConsoleSession("alice", "agent", "token-1", 9_999_999_999)
    assert csrf_ok(session, "token-1")
    assert not csrf_ok(session, "token-2") and not csrf_ok(session, None)
    assert not csrf_ok(session, "tökén")  # non-ASCII never raises


def test_login_token_must_match_its_cookie_be_genuine_and_recent() -> None:
    signer = SessionSigner(SECRET, max_age_s=60)
    token = signer.login_token(now=1_000)
    assert signer.login_token_ok(token, token, now=1_100)
    assert not signer.login_token_ok(token, token, now=1_000 + 7200)
    assert not signer.login_token_ok(token, "other", now=1_100)
    session_cookie, _ = signer.issue("alice", "agent", now=1_000)
    assert not signer.login_token_ok(session_cookie, session_cookie, now=1_100)


def test_unknown_accounts_and_wrong_passwords_are_refused() -> None:
    book = AccountBook([Account("alice", "agent", hash_password("a private passphrase"))])
    assert book.authenticate("alice", "a private passphrase") is not None
    assert book.authenticate("alice", "wrong") is None
    assert book.authenticate("mallory", "a private passphrase") is None


def test_throttle_locks_after_repeated_failures_then_forgets() -> None:
    throttle = LoginThrottle(max_failures=3, lock_s=60)
    for t in (0, 1, 2):
        throttle.failed("Alice", now=t)
    assert throttle.locked("alice", now=3)
    assert not throttle.locked("alice", now=70)
    throttle.failed("bob", now=0)
    throttle.succeeded("bob")
    assert not throttle.locked("bob", now=1)


def test_dev_account_exists_only_in_development(tmp_path: Path) -> None:
    review = Settings().review
    dev = account_book(review, environment="development", state_dir=tmp_path)
    account = dev.get("dev")
    assert account is not None and account.role == "admin"
    password = (tmp_path / "console_dev_password").read_text().strip()
    assert dev.authenticate("dev", password) is not None
    assert account_book(review, environment="test", state_dir=tmp_path).get("dev") is None
    assert account_book(review, environment="production", state_dir=tmp_path).get("dev") is None


def test_settings_refuse_plain_passwords_and_defaults_in_production() -> None:
    secret = {"auth_secret": "x" * 40}
    with pytest.raises(ValidationError, match="scrypt hash"):
        Settings(review={"accounts": {"alice": {"password_hash": "hunter2"}}})
    with pytest.raises(ValidationError, match="default password"):
        Settings(
            environment="production",
            server=secret,
            review={
                "accounts": {"alice": {"role": "admin", "password_hash": hash_password("admin")}}
            },
        )
    with pytest.raises(ValidationError, match="development only"):
        Settings(environment="production", server=secret, review={"dev_account": True})
    ok = Settings(
        environment="production",
        server=secret,
        review={"accounts": {"alice": {"password_hash": hash_password("a private passphrase")}}},
    )
    assert ok.review.accounts["alice"].role == "agent"
