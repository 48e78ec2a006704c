"""The console's web app: pages rendered on the server, auth errors as pages, strict headers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import ReviewSettings
from app.guardrails.base import PiiSpan
from app.prompts import Prompt
from app.review.auth import ConsoleAuth, ForbiddenError, NotSignedInError
from app.review.sessions import LOGIN_COOKIE, SESSION_COOKIE, ConsoleSession
from app.review.templating import make_environment

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().with_name("static")
# No script may run on a console page, whatever a transcript contains; styles only from us.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class ExportSources:
    """What the web exports need besides the database."""

    prompts: Callable[[str], Prompt]
    shop_name: str
    database_label: str  # the database URL without credentials, for the dataset card


class Console:
    """Everything the console's handlers share: database, auth, templates, settings."""

    def __init__(
        self,
        *,
        engine: Engine,
        auth: ConsoleAuth,
        review: ReviewSettings,
        exports: ExportSources,
        base: str,
    ) -> None:
        """`base`: the path the console is mounted at, e.g. "/console"."""
        self.engine = engine
        self.auth = auth
        self.review = review
        self.exports = exports
        self.base = base.rstrip("/")
        self.templates = make_environment()

    @cached_property
    def find_pii(self) -> Callable[[str], list[PiiSpan]]:
        """The PII finder for exports (built on first use: its name lists take about 1 s)."""
        from app.guardrails.pii import PiiDetector

        return PiiDetector().find

    def db(self) -> Session:
        """A database session (use it as a context manager)."""
        return Session(self.engine)

    def page(
        self,
        template: str,
        /,
        *,
        agent: ConsoleSession | None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        """A rendered template with the console's security headers."""
        html = self.templates.get_template(template).render(base=self.base, agent=agent, **context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def sign_in_page(
        self, request: Request, *, status: int, next_path: str, error: str = "", name: str = ""
    ) -> HTMLResponse:
        """The sign-in form, with a fresh signed token in the form and in a cookie."""
        token = self.auth.signer.login_token()
        response = self.page(
            "login.html",
            agent=None,
            status=status,
            login_token=token,
            next_path=self.safe_next(next_path),
            error=error,
            account_name=name,
        )
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            max_age=3600,
            path=self.base,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    def set_session(self, request: Request, response: Response, cookie: str) -> None:
        """Attach a new session cookie (and drop the sign-in token)."""
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=self.auth.signer.max_age_s,
            path=self.base,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        response.delete_cookie(LOGIN_COOKIE, path=self.base)

    def safe_next(self, path: str | None) -> str:
        """Where to go after sign-in: a console path, never another site."""
        home = f"{self.base}/"
        if not path or not path.startswith(home) or "//" in path or "\\" in path:
            return home
        return path


def console_app(console: Console, routes: Callable[[Console], Any]) -> FastAPI:
    """The console as its own app (mounted under `console.base`): routes, errors, stylesheet."""
    app = FastAPI(title="TrustDesk console", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(routes(console))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="console-static")

    @app.exception_handler(NotSignedInError)
    async def _not_signed_in(request: Request, _error: Exception) -> Response:
        target = request.url.path if request.method == "GET" else f"{console.base}/"
        if request.url.query and request.method == "GET":
            target += f"?{request.url.query}"
        return console.sign_in_page(request, status=401, next_path=target)

    @app.exception_handler(ForbiddenError)
    async def _forbidden(request: Request, error: Exception) -> Response:
        logger.warning("console refused %s %s: %s", request.method, request.url.path, error)
        agent = console.auth.session(request)
        return console.page(
            "error.html", agent=agent, status=403, heading="Not allowed", message=str(error)
        )

    return app
