"""Wiring the console into the web host: accounts, session signer, exports, mounted at a path."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.config import Settings
from app.review.auth import ConsoleAuth, account_book
from app.review.routes import console_routes
from app.review.sessions import SessionRevocations, SessionSigner
from app.review.web import Console, ExportSources, console_app


def build_console(settings: Settings, engine: Engine, *, secret: str, base: str) -> Console:
    """The console for these settings, reading and writing the turn log through `engine`."""
    from app.prompts import PromptRegistry

    review = settings.review
    book = account_book(review, environment=settings.environment, state_dir=settings.data.state_dir)
    signer = SessionSigner(secret, max_age_s=review.session_hours * 3600)
    auth = ConsoleAuth(
        book,
        signer,
        revocations=SessionRevocations(engine),
        allowed_origins=settings.server.cors_origins,
    )
    prompts_dir = settings.prompts.dir
    exports = ExportSources(
        prompts=lambda ref: PromptRegistry.load(prompts_dir).get(ref),
        shop_name=settings.shop_name,
        database_label=make_url(settings.database_url).render_as_string(hide_password=True),
    )
    return Console(engine=engine, auth=auth, review=review, exports=exports, base=base)


def mount_console(app: FastAPI, settings: Settings, engine: Engine, *, path: str) -> None:
    """Mount the support-agent console at `path` (e.g. /console)."""
    from app.ui.mount import auth_secret  # the server secret, generated once in development

    console = build_console(settings, engine, secret=auth_secret(settings), base=path)
    app.mount(path, console_app(console, console_routes))
