"""The FastAPI host around the chat: redirect, health probe, shopper cookie, CORS, socket origin."""

from __future__ import annotations

import re

import httpx

from tests.e2e.conftest import RunningApp

FOREIGN_ORIGIN = "http://evil.example"
SOCKET_HANDSHAKE = "/chat/ws/socket.io/?EIO=4&transport=polling"


def test_home_redirects_to_the_chat_and_gives_the_browser_a_shopper_cookie(
    app_server: RunningApp,
) -> None:
    response = httpx.get(app_server.base_url + "/")
    assert response.status_code == 307
    assert response.headers["location"] == "/chat/"
    cookie = response.headers["set-cookie"]
    assert re.match(r"trustdesk_shopper=[A-Za-z0-9_-]{40,}; ", cookie)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie

    with httpx.Client(base_url=app_server.base_url) as browser:
        browser.get("/")
        again = browser.get("/")  # the cookie is kept, not replaced, on later requests
    assert "set-cookie" not in again.headers


def test_health_probe_reports_backend_prompt_knowledge_and_database(
    app_server: RunningApp,
) -> None:
    health = httpx.get(app_server.base_url + "/healthz").json()
    assert health["status"] == "ok" and health["db_ok"] is True
    assert health["backend"] == "extractive"
    assert health["prompt"]["ref"] == "answer@v2"
    assert re.fullmatch(r"[0-9a-f]{64}", health["prompt"]["sha256"])
    assert health["vector_chunks"] > 0
    assert health["turn_log_lost_writes"] == 0


def test_cors_allows_only_configured_origins(app_server: RunningApp) -> None:
    def preflight(origin: str) -> httpx.Response:
        return httpx.options(
            app_server.base_url + "/healthz",
            headers={"Origin": origin, "Access-Control-Request-Method": "GET"},
        )

    allowed = preflight(app_server.base_url)
    assert allowed.headers.get("access-control-allow-origin") == app_server.base_url
    refused = preflight(FOREIGN_ORIGIN)
    assert "access-control-allow-origin" not in refused.headers


def test_chat_socket_refuses_foreign_origins(app_server: RunningApp) -> None:
    foreign = httpx.get(app_server.base_url + SOCKET_HANDSHAKE, headers={"Origin": FOREIGN_ORIGIN})
    assert foreign.status_code == 403
    own = httpx.get(app_server.base_url + SOCKET_HANDSHAKE, headers={"Origin": app_server.base_url})
    assert own.status_code == 200 and '"sid"' in own.text
