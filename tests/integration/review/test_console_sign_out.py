"""Sign-out ends the session on the server, and a session ends after its documented lifetime.

A copy of the session cookie (another tab, a proxy log, a stolen laptop) must be worth nothing
once the agent signs out: refused by this worker, by any other worker and after a restart.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.config import Settings
from app.review.mount import build_console
from app.review.routes import console_routes
from app.review.sessions import SESSION_COOKIE, SessionRevocations, SessionSigner
from app.review.web import console_app
from app.store import make_engine
from app.store.console_session_models import RevokedConsoleSession
from app.store.review_models import TurnLabel
from tests.integration.review.conftest import PASSWORDS, csrf_of, sign_in
from tests.integration.review.factories import TurnSpec, seed_conversation


def console_host(settings: Settings, engine: Engine) -> FastAPI:
    """A web host with the console at /console: each call is one more worker (or a restart)."""
    secret = settings.server.auth_secret
    assert secret is not None
    host = FastAPI()
    console = build_console(settings, engine, secret=secret.get_secret_value(), base="/console")
    host.mount("/console", console_app(console, console_routes))
    return host


def client(host: FastAPI) -> TestClient:
    return TestClient(host, base_url="http://testserver", follow_redirects=False)


@pytest.fixture
def worker(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """A browser talking to one worker."""
    with client(console_host(settings, engine)) as browser:
        yield browser


def replay(browser: TestClient, cookie: str, path: str = "/console/") -> int:
    """The status of GET `path` sent with only `cookie` as the console session."""
    browser.cookies.clear()
    return browser.get(path, headers={"cookie": f"{SESSION_COOKIE}={cookie}"}).status_code


def signed_in(browser: TestClient, name: str = "alice") -> tuple[str, str]:
    """Sign `browser` in; its session cookie and the CSRF token of its pages."""
    sign_in(browser, name)
    cookie = browser.cookies.get(SESSION_COOKIE)
    assert cookie
    return cookie, csrf_of(browser.get("/console/").text)


def sign_out(browser: TestClient, csrf: str) -> None:
    response = browser.post("/console/logout", data={"csrf": csrf})
    assert response.status_code == 303 and response.headers["location"] == "/console/login"


def test_a_copied_cookie_is_refused_after_sign_out(worker: TestClient, engine: Engine) -> None:
    with Session(engine) as db:
        turn_id = seed_conversation(db, [TurnSpec()]).turn_ids[0]
    cookie, csrf = signed_in(worker)
    assert replay(worker, cookie) == 200

    worker.cookies.set(SESSION_COOKIE, cookie, path="/console")
    sign_out(worker, csrf)

    assert replay(worker, cookie) == 401
    assert 'action="/console/login"' in worker.get("/console/").text
    posted = worker.post(
        f"/console/turns/{turn_id}/label",
        data={"csrf": csrf, "label": "unsafe", "reason": "replayed"},
        headers={"cookie": f"{SESSION_COOKIE}={cookie}"},
    )
    assert posted.status_code == 401
    with Session(engine) as db:
        assert db.exec(select(TurnLabel)).all() == []


def test_sign_out_holds_on_other_workers_and_after_a_restart(
    settings: Settings, engine: Engine, database_url: str
) -> None:
    first, second = console_host(settings, engine), console_host(settings, engine)
    with client(first) as one, client(second) as other:
        cookie, csrf = signed_in(one)
        assert replay(other, cookie) == 200  # any worker accepts a live session
        one.cookies.set(SESSION_COOKIE, cookie, path="/console")
        sign_out(one, csrf)
        assert replay(other, cookie) == 401
    restarted = make_engine(database_url)
    try:
        with client(console_host(settings, restarted)) as after_restart:
            assert replay(after_restart, cookie) == 401
    finally:
        restarted.dispose()


def test_signing_out_in_one_browser_leaves_the_others_signed_in(
    settings: Settings, engine: Engine
) -> None:
    host = console_host(settings, engine)
    with client(host) as laptop, client(host) as desktop:
        laptop_cookie, laptop_csrf = signed_in(laptop)
        desktop_cookie, _ = signed_in(desktop)
        sign_out(laptop, laptop_csrf)
        assert replay(desktop, desktop_cookie) == 200
        assert replay(desktop, laptop_cookie) == 401


def test_a_session_lasts_session_hours_and_no_longer(
    worker: TestClient, settings: Settings
) -> None:
    lifetime_s = int(settings.review.session_hours * 3600)
    assert lifetime_s == 12 * 3600  # README: valid TRUSTDESK_REVIEW__SESSION_HOURS (12)
    token = re.search(r'name="login_token" value="([^"]+)"', worker.get("/console/login").text)
    assert token
    response = worker.post(
        "/console/login",
        data={"name": "alice", "password": PASSWORDS["alice"], "login_token": token[1]},
    )
    set_cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "=")
    )
    assert f"Max-Age={lifetime_s}" in set_cookie  # the browser drops it then, too
    secret = settings.server.auth_secret
    assert secret is not None
    signer = SessionSigner(secret.get_secret_value(), max_age_s=lifetime_s)
    now = time.time()
    almost_over, _ = signer.issue("alice", "agent", now=now - lifetime_s + 600)
    over, _ = signer.issue("alice", "agent", now=now - lifetime_s - 1)
    assert replay(worker, almost_over) == 200
    assert replay(worker, over) == 401  # refused by the server even if a client keeps it


def test_sign_out_forgets_sessions_that_expired_anyway(engine: Engine) -> None:
    signer = SessionSigner("test-secret-" + "x" * 40, max_age_s=3600)
    revocations = SessionRevocations(engine)
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC).timestamp()
    _, old = signer.issue("alice", "agent", now=now - 2 * 3600)
    _, live = signer.issue("alice", "agent", now=now - 60)
    revocations.revoke(old, now=now - 2 * 3600 + 60)
    revocations.revoke(live, now=now)
    revocations.revoke(live, now=now)  # twice (a double click) is fine
    assert revocations.revoked(live)
    with Session(engine) as db:
        kept = db.exec(select(RevokedConsoleSession.session_id)).all()
        count = db.exec(select(func.count()).select_from(RevokedConsoleSession)).one()
    assert kept == [live.sid] and count == 1
    assert not revocations.revoked(old)  # pruned: the signer refuses it as expired anyway
    assert signer.read(signer.issue("alice", "agent", now=now - 2 * 3600)[0], now=now) is None
