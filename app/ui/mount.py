"""Mounting Chainlit on the FastAPI host: its config folder, auth secret and allowed origins."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from fastapi import FastAPI

from app.config import Settings

logger = logging.getLogger(__name__)

CHAT_UI = Path(__file__).resolve().with_name("chainlit_app.py")
SECRET_FILE = "chainlit_auth_secret"


def auth_secret(settings: Settings) -> str:
    """Chainlit's session-signing secret: configured, else generated once in the state folder."""
    if settings.server.auth_secret is not None:
        return settings.server.auth_secret.get_secret_value()
    path = settings.data.state_dir / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together agree on the first secret written.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48))
    logger.info("generated a Chainlit auth secret", extra={"path": str(path)})
    return path.read_text(encoding="utf-8").strip()


def _check_chainlit_root() -> None:
    # app.ui (imported before this module) sets CHAINLIT_APP_ROOT; someone importing chainlit
    # even earlier would leave Chainlit reading config from the working directory instead.
    from chainlit.config import APP_ROOT

    if Path(APP_ROOT).resolve() != Path(os.environ["CHAINLIT_APP_ROOT"]).resolve():
        logger.warning("chainlit was imported before app.ui; its config root is %s", APP_ROOT)


def mount_chat_ui(app: FastAPI, settings: Settings, *, path: str) -> None:
    """Mount the Chainlit UI at `path` with our handlers, auth secret and CORS origins."""
    _check_chainlit_root()
    os.environ["CHAINLIT_AUTH_SECRET"] = auth_secret(settings)  # Chainlit reads it from env only
    from chainlit.config import config

    # Settings are the one source of truth for origins. Updated in place: Chainlit's CORS
    # middleware holds this very list once its server module is imported.
    config.project.allow_origins[:] = list(settings.server.cors_origins)
    if config.run.module_name == str(CHAT_UI):
        # Chainlit's server is a process-wide singleton: mount the loaded one again.
        from chainlit.server import app as chainlit_app

        app.mount(path, chainlit_app)
        return
    from chainlit.utils import mount_chainlit

    mount_chainlit(app=app, target=str(CHAT_UI), path=path)
