"""Who may use the console: 401 for anonymous visitors and shoppers, 403 for the wrong role,
CSRF and origin checks on every form, sessions that end with the account."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.store.review_models import TurnLabel
from app.ui.identity import SHOPPER_COOKIE, new_shopper_token
from tests.integration.review.conftest import csrf_of, sign_in
from tests.integration.review.factories import TurnSpec, seed_conversation

PAGES = ["/console/", "/console/dashboard", "/console/conversations/c-1", "/console/exports"]


def test_anonymous_visitors_get_401_and_the_sign_in_form(web: TestClient) -> None:
    for path in PAGES:
        response = web.get(path)
        assert response.status_code == 401, path
        assert 'action="/console/login"' in response.text
        assert f'name="next" value="{path}"' in response.text


def test_a_shopper_cookie_grants_nothing(web: TestClient) -> None:
    web.cookies.set(SHOPPER_COOKIE, new_shopper_token())
    assert web.get("/console/").status_code == 401


def test_anonymous_posts_are_refused_and_write_nothing(web: TestClient, engine: Engine) -> None:
    with Session(engine) as session:
        seeded = seed_conversation(session, [TurnSpec()])
    url = f"/console/turns/{seeded.turn_ids[0]}/label"
    response = web.post(url, data={"label": "unsafe", "reason": "x"})
    assert response.status_code == 401
    response = web.post(f"/console/conversations/{seeded.id}/resolve")
    assert response.status_code == 401
    with Session(engine) as session:
        assert session.exec(select(TurnLabel)).all() == []


def test_wrong_password_is_refused_with_401_and_no_session(web: TestClient) -> None:
    form = web.get("/console/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token
    response = web.post(
        "/console/login",
        data={"name": "alice", "password": "guess", "login_token": token[1], "next": ""},
    )
    assert response.status_code == 401
    assert "Wrong account name or password." in response.text
    assert "trustdesk_console=" not in response.headers.get("set-cookie", "")
    assert web.get("/console/").status_code == 401


def test_sign_in_form_needs_its_own_token(web: TestClient) -> None:
    response = web.post(
        "/console/login", data={"name": "alice", "password": "alice's long passphrase"}
    )
    assert response.status_code == 403
    assert web.get("/console/").status_code == 401


def test_repeated_failures_lock_the_account_for_a_while(web: TestClient) -> None:
    for _ in range(5):
        form = web.get("/console/login").text
        token = re.search(r'name="login_token" value="([^"]+)"', form)
        assert token
        web.post(
            "/console/login",
            data={"name": "alice", "password": "guess", "login_token": token[1]},
        )
    form = web.get("/console/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token
    locked = web.post(
        "/console/login",
        data={"name": "alice", "password": "alice's long passphrase", "login_token": token[1]},
    )
    assert locked.status_code == 429


def test_agents_see_the_queue_but_only_admins_the_exports(web: TestClient) -> None:
    sign_in(web, "alice")
    queue = web.get("/console/")
    assert queue.status_code == 200 and "Review queue" in queue.text
    assert "alice" in queue.text and ">Exports<" not in queue.text
    refused = web.get("/console/exports")
    assert refused.status_code == 403 and "admin role" in refused.text
    assert web.get("/console/exports/transcripts.csv").status_code == 403


def test_admins_reach_the_exports(web: TestClient) -> None:
    sign_in(web, "root")
    assert web.get("/console/exports").status_code == 200


def test_forms_need_the_sessions_csrf_token_and_this_origin(
    web: TestClient, engine: Engine
) -> None:
    with Session(engine) as session:
        conversation = seed_conversation(session, [TurnSpec()])
    sign_in(web, "alice")
    page = web.get(f"/console/conversations/{conversation.id}")
    turn_id = re.search(r'data-turn="([^"]+)"', page.text)
    assert turn_id
    url = f"/console/turns/{turn_id[1]}/label"
    good = {"label": "unsafe", "reason": "quotes a wrong window", "csrf": csrf_of(page.text)}
    assert web.post(url, data={**good, "csrf": "forged"}).status_code == 403
    foreign = web.post(url, data=good, headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 403
    with Session(engine) as session:
        assert session.exec(select(TurnLabel)).all() == []
    assert web.post(url, data=good, headers={"Origin": "http://testserver"}).status_code == 303


def test_pages_forbid_scripts_and_framing(web: TestClient) -> None:
    sign_in(web, "alice")
    headers = web.get("/console/").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # so none may run
    assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"


def test_session_cookie_is_http_only_and_scoped_to_the_console(web: TestClient) -> None:
    form = web.get("/console/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token
    response = web.post(
        "/console/login",
        data={"name": "alice", "password": "alice's long passphrase", "login_token": token[1]},
    )
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("trustdesk_console=")
    )
    assert "HttpOnly" in cookie and "Path=/console" in cookie and "SameSite=lax" in cookie


def test_after_sign_in_only_console_paths_are_followed(web: TestClient) -> None:
    form = web.get("/console/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token
    response = web.post(
        "/console/login",
        data={
            "name": "alice",
            "password": "alice's long passphrase",
            "login_token": token[1],
            "next": "//evil.example/console/",
        },
    )
    assert response.headers["location"] == "/console/"


def test_sign_out_ends_the_session(web: TestClient) -> None:
    sign_in(web, "alice")
    page = web.get("/console/")
    response = web.post("/console/logout", data={"csrf": csrf_of(page.text)})
    assert response.status_code == 303
    assert web.get("/console/").status_code == 401
