"""The web host: FastAPI with a health probe, shopper cookie, CORS, the chat and the console."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import RedirectResponse

from app import runtime
from app.llm import model_label
from app.review.mount import mount_console
from app.store import database_ok
from app.ui.middleware import ShopperCookieMiddleware, SocketOriginGuard
from app.ui.mount import mount_chat_ui

if TYPE_CHECKING:
    from app.container import Container

logger = logging.getLogger(__name__)

CHAT_PATH = "/chat"
CONSOLE_PATH = "/console"


def create_app(container: Container) -> FastAPI:
    """Build the web app around `container` (installed for the Chainlit handlers)."""
    runtime.install(container)
    settings = container.settings
    app = FastAPI(title="TrustDesk", lifespan=_lifespan(container), docs_url=None, redoc_url=None)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.server.cors_origins),
        allow_credentials=True,
        allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["*"],
    )
    app.add_middleware(
        SocketOriginGuard,
        path_prefix=f"{CHAT_PATH}/ws",
        allowed_origins=settings.server.cors_origins,
    )
    app.add_middleware(ShopperCookieMiddleware)  # outermost: every response can set the cookie

    @app.get("/", include_in_schema=False)
    async def _home() -> RedirectResponse:
        return RedirectResponse(f"{CHAT_PATH}/")

    @app.get("/healthz")
    async def _healthz() -> dict[str, Any]:
        return await asyncio.to_thread(health_report, container)

    mount_console(app, settings, container.turn_log.engine, path=CONSOLE_PATH)
    mount_chat_ui(app, settings, path=CHAT_PATH)
    return app


def _lifespan(container: Container) -> Any:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # Shutdown: every queued turn-log write reaches the database before the process exits.
        await asyncio.to_thread(container.turn_log.flush)

    return lifespan


def health_report(container: Container) -> dict[str, Any]:
    """Status for probes and humans: backend, model, prompt, knowledge size and database."""
    settings = container.settings
    prompt = container.chat.prompt.ref
    db_ok = database_ok(container.turn_log.engine)
    return {
        "status": "ok" if db_ok else "degraded",
        "environment": settings.environment,
        "backend": settings.llm.backend,
        "model": model_label(settings.llm),
        "prompt": {"ref": str(prompt), "sha256": prompt.sha256},
        "vector_chunks": _vector_chunks(container),
        "db_ok": db_ok,
        "turn_log_lost_writes": container.turn_log.lost_writes,
    }


def _vector_chunks(container: Container) -> int | None:
    try:
        return container.knowledge_count()
    except Exception:  # a probe reports what it can
        logger.warning("could not count knowledge chunks", exc_info=True)
        return None
