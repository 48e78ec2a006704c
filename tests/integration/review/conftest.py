"""Fixtures for the console's integration tests: a migrated SQLite turn log and the console app."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.review.mount import build_console
from app.review.passwords import hash_password
from app.review.routes import console_routes
from app.review.web import console_app
from app.store import make_engine, upgrade_database
from tests.integration.store.conftest import POSTGRES_ENV
from tests.integration.store.conftest import _postgres_schema as postgres_schema
from tests.support import require

PASSWORDS = {"alice": "alice's long passphrase", "root": "root's long passphrase"}
REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def password_hashes() -> dict[str, str]:
    """scrypt hashes of the test accounts' passwords (hashed once: each costs ~50 ms)."""
    return {name: hash_password(password) for name, password in PASSWORDS.items()}


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A turn log upgraded to the newest migration: a SQLite file, or a Postgres schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'turns.db'}"
        upgrade_database(url)
        yield url
        return
    base_url = os.environ.get(POSTGRES_ENV)
    require(bool(base_url), f"{POSTGRES_ENV} is not set")
    assert base_url is not None
    for url in postgres_schema(base_url):
        upgrade_database(url)
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the migrated turn log."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str, password_hashes: dict[str, str]) -> Settings:
    """Test settings: an agent (alice) and an admin (root), state in a temporary folder."""
    return Settings(
        environment="test",
        data={"state_dir": tmp_path / "state"},
        prompts={"dir": REPO_ROOT / "prompts"},
        store={"database_url": database_url},
        server={"auth_secret": "test-secret-" + "x" * 40},
        review={
            "accounts": {
                "alice": {"role": "agent", "password_hash": password_hashes["alice"]},
                "root": {"role": "admin", "password_hash": password_hashes["root"]},
            },
            "drift_min_samples": 5,
        },
    )


@pytest.fixture
def web(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """A browser-like client of a host with the console mounted at /console."""
    host = FastAPI()
    secret = settings.server.auth_secret
    assert secret is not None
    console = build_console(settings, engine, secret=secret.get_secret_value(), base="/console")
    host.mount("/console", console_app(console, console_routes))
    with TestClient(host, base_url="http://testserver", follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, name: str, password: str | None = None) -> None:
    """Sign `client` in through the form, as a browser would."""
    form = client.get("/console/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token, form.text
    response = client.post(
        "/console/login",
        data={
            "name": name,
            "password": password or PASSWORDS[name],
            "login_token": token[1],
            "next": "/console/",
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/console/"


def csrf_of(html: str) -> str:
    """The CSRF token of the signed-in page."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, html
    return match[1]
