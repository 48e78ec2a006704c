"""ASGI middleware of the web host: the shopper cookie, an origin check for Chainlit's socket."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ui.identity import (
    COOKIE_MAX_AGE_S,
    SHOPPER_COOKIE,
    new_shopper_token,
    read_shopper_token,
)


class ShopperCookieMiddleware:
    """Gives each browser a `trustdesk_shopper` cookie, visible even to the request that sets it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, adding the cookie to request and response when the browser lacks one."""
        if scope["type"] != "http" or read_shopper_token(Headers(scope=scope).get("cookie")):
            await self.app(scope, receive, send)
            return
        token = new_shopper_token()
        scope = _with_request_cookie(scope, token)
        set_cookie = _set_cookie_header(token, secure=scope.get("scheme") == "https")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", set_cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _with_request_cookie(scope: Scope, token: str) -> Scope:
    # Downstream (Chainlit's header auth) must see the cookie on this very first request.
    scope = dict(scope)
    scope["headers"] = list(scope["headers"])
    headers = MutableHeaders(scope=scope)
    existing = headers.get("cookie")
    pair = f"{SHOPPER_COOKIE}={token}"
    headers["cookie"] = f"{existing}; {pair}" if existing else pair
    return scope


def _set_cookie_header(token: str, *, secure: bool) -> str:
    parts = [
        f"{SHOPPER_COOKIE}={token}",
        "Path=/",
        f"Max-Age={COOKIE_MAX_AGE_S}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


class SocketOriginGuard:
    """Refuses cross-origin use of Chainlit's socket.io endpoint (it checks no origin itself)."""

    def __init__(self, app: ASGIApp, *, path_prefix: str, allowed_origins: Iterable[str]) -> None:
        self.app = app
        self.path_prefix = path_prefix
        self.allowed = {origin.rstrip("/") for origin in allowed_origins}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Reject the request when its Origin is neither this host nor an allowed origin."""
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(self.path_prefix):
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and not self._allowed(origin, scope, headers):
                await _refuse(scope, send)
                return
        await self.app(scope, receive, send)

    def _allowed(self, origin: str, scope: Scope, headers: Headers) -> bool:
        origin = origin.rstrip("/")
        scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
        same_origin = f"{scheme}://{headers.get('host', '')}"
        return origin == same_origin or origin in self.allowed or "*" in self.allowed


async def _refuse(scope: Scope, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": 403, "headers": []})
    await send({"type": "http.response.body", "body": b"origin not allowed"})
