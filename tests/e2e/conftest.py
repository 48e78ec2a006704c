"""Browser-test fixtures: an ingested store, the app served by `trustdesk serve`, Chromium.

The app runs in its own process (Chainlit's server is a process-wide singleton) started the way
people start it, from a folder other than the repository, with its state in a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from app.config import Settings
from app.store import make_engine
from tests.support import require

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[2]
STORE_FILE = REPO_ROOT / "data" / "store" / "luma_pages.csv"  # policies: returns, shipping
SCREENSHOTS = REPO_ROOT / "reports" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class RunningApp:
    """A served TrustDesk: where to browse and which database it logs to."""

    base_url: str
    database_url: str
    log_path: Path


@pytest.fixture(scope="session")
def ingested_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder whose Chroma index holds the store's policy pages (ingested for real)."""
    if not STORE_FILE.is_file():
        pytest.fail(f"{STORE_FILE} is missing: run `make data` first")
    from app.container import run_ingest

    store_dir = tmp_path_factory.mktemp("store")
    shutil.copy(STORE_FILE, store_dir / STORE_FILE.name)
    state_dir = tmp_path_factory.mktemp("state")
    settings = Settings(data={"store_dir": store_dir, "state_dir": state_dir})
    summary = run_ingest(settings, progress=False)
    assert summary.line(), "ingest reported nothing"
    return state_dir


def serve(
    state_dir: Path, workdir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[RunningApp]:
    """Run `python -m app.cli serve` on a free port until the generator is closed."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TRUSTDESK_ENVIRONMENT": "test",
        "TRUSTDESK_DATA__STATE_DIR": str(state_dir),
        "TRUSTDESK_PROMPTS__DIR": str(REPO_ROOT / "prompts"),
        "TRUSTDESK_STORE__DATABASE_URL": f"sqlite:///{state_dir / 'trustdesk.db'}",
        "TRUSTDESK_SERVER__CORS_ORIGINS": json.dumps([base_url]),
        "HF_HUB_OFFLINE": "1",
        **(extra_env or {}),
    }
    log_path = workdir / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,  # not the repository: the app must find its Chainlit config anyway
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(base_url, process, log_path)
        yield RunningApp(base_url, env["TRUSTDESK_STORE__DATABASE_URL"], log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(
    ingested_state: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    """TrustDesk with the extractive backend over the ingested policy pages."""
    workdir = tmp_path_factory.mktemp("app")
    state = copy_state(ingested_state, workdir / "state")
    yield from serve(state, workdir)


def rows_eventually(
    statement: SelectOfScalar[T], database_url: str, timeout_s: float = 15.0
) -> list[T]:
    """Rows of `statement` in the app's database, polling until some appear or time runs out."""
    engine = make_engine(database_url)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with Session(engine) as session:
                rows = list(session.exec(statement).all())
            if rows or time.monotonic() > deadline:
                return rows
            time.sleep(0.25)
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the app exited with {process.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        try:
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the app did not become healthy:\n{log_path.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """A headless Debian Chromium driven by Playwright."""
    require(CHROMIUM.exists(), "Debian's chromium is not installed (`make browser`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under reports/screenshots/ (for people to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def copy_state(ingested_state: Path, target: Path) -> Path:
    """A private copy of the ingested state folder, so two servers never share files."""
    shutil.copytree(ingested_state, target)
    return target
