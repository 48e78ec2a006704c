"""The support-agent console in a real browser: sign-in, refusals, the ranked queue, a transcript,
labels and corrections that reach the fine-tuning export, dashboards, and stored XSS."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from app.review.passwords import hash_password
from app.store.review_models import TurnCorrection, TurnLabel
from tests.e2e.conftest import RunningApp, copy_state, rows_eventually, screenshot, serve
from tests.e2e.console_seed import XSS, ConsoleSeed, seed_console

pytestmark = pytest.mark.browser

ACCOUNTS = {"alice": ("agent", "alice's long passphrase"), "root": ("admin", "root's passphrase!")}
CORRECTION = "Standard shipping is free on orders over $100, so your $150 order ships free [1]."


@pytest.fixture(scope="module")
def console(
    ingested_state: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningApp, ConsoleSeed]]:
    """TrustDesk served with two console accounts over a seeded turn log."""
    workdir = tmp_path_factory.mktemp("console")
    state = copy_state(ingested_state, workdir / "state")
    seed = seed_console(f"sqlite:///{state / 'trustdesk.db'}")
    accounts = {
        name: {"role": role, "password_hash": hash_password(password)}
        for name, (role, password) in ACCOUNTS.items()
    }
    env = {"TRUSTDESK_REVIEW__ACCOUNTS": json.dumps(accounts)}
    for running in serve(state, workdir, extra_env=env):
        yield running, seed


@pytest.fixture
def visitor(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile, downloads allowed."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    yield context
    context.close()


def sign_in(page: Page, base_url: str, name: str, path: str = "/console/") -> None:
    response = page.goto(base_url + path)
    assert response is not None and response.status == 401
    page.get_by_label("Account").fill(name)
    page.get_by_label("Password").fill(ACCOUNTS[name][1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".who")).to_contain_text(name)


def queue_ids(page: Page) -> list[str]:
    return page.locator("#queue tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.conversation)"
    )


def test_sign_in_shows_the_queue_riskiest_first(
    console: tuple[RunningApp, ConsoleSeed], visitor: BrowserContext
) -> None:
    app, seed = console
    page = visitor.new_page()
    page.goto(app.base_url + "/console/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "console-sign-in")
    sign_in(page, app.base_url, "alice")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    order = queue_ids(page)
    assert order[0] == seed.urgent
    assert order.index(seed.falling) < order.index(seed.rated_down) < order.index(seed.calm)
    first = page.locator("#queue tbody tr").first
    expect(first).to_contain_text("handoff requested")
    expect(first).to_contain_text("2 thumbs down")
    screenshot(page, "console-queue")

    page.get_by_label("Handoff").select_option("requested")
    page.get_by_role("button", name="Filter").click()
    assert seed.urgent in queue_ids(page) and seed.calm not in queue_ids(page)


def test_shoppers_and_anonymous_visitors_are_refused_and_agents_kept_from_admin_pages(
    console: tuple[RunningApp, ConsoleSeed], visitor: BrowserContext
) -> None:
    app, _ = console
    chat = visitor.new_page()  # a shopper: the chat gives this browser its shopper cookie
    chat.goto(app.base_url + "/")
    assert any(c["name"] == "trustdesk_shopper" for c in visitor.cookies())
    chat.close()  # (its own page: the chat's scripts may navigate it while it loads)
    page = visitor.new_page()
    response = page.goto(app.base_url + "/console/dashboard")
    assert response is not None and response.status == 401
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("Account").fill("alice")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong account name or password")

    sign_in(page, app.base_url, "alice", path="/console/exports")
    response = page.goto(app.base_url + "/console/exports")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    screenshot(page, "console-agent-refused-exports")


def test_agent_labels_and_corrects_a_turn_and_the_export_carries_the_correction(
    console: tuple[RunningApp, ConsoleSeed], visitor: BrowserContext
) -> None:
    app, seed = console
    page = visitor.new_page()
    sign_in(page, app.base_url, "root")
    page.locator(f'#queue tr[data-conversation="{seed.rated_down}"] a').click()
    expect(page.get_by_role("heading", name=re.compile("Conversation"))).to_be_visible()
    turn = page.locator("section.turn").first
    expect(turn).to_contain_text("Shipping — Standard delivery")  # the cited source
    expect(turn).to_contain_text("thumbs down")
    expect(turn).to_contain_text("You didn't tell me the price")
    expect(turn.locator("table.guards")).to_contain_text("size")

    turn.get_by_label("incorrect").check()
    turn.get_by_label("Reason").fill("Did not give the price for a $150 order")
    turn.get_by_role("button", name="Save label").click()
    expect(page.get_by_role("status")).to_contain_text("Label saved.")
    turn = page.locator("section.turn").first
    expect(turn).to_contain_text("labelled incorrect")

    turn.get_by_label("corrected answer").fill(CORRECTION)
    turn.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("status")).to_contain_text("Correction saved")
    expect(page.locator(".correction")).to_contain_text("Corrected by root")
    screenshot(page, "console-transcript-corrected")

    labels = rows_eventually(select(TurnLabel), app.database_url)
    fixes = rows_eventually(select(TurnCorrection), app.database_url)
    assert [(x.label, x.agent) for x in labels] == [("incorrect", "root")]
    assert [(x.answer, x.agent) for x in fixes] == [(CORRECTION, "root")]

    page.goto(app.base_url + "/console/exports")
    screenshot(page, "console-exports")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download finetune.zip").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    lines = [
        json.loads(line)
        for name in ("finetune/train.jsonl", "finetune/validation.jsonl")
        for line in archive.read(name).decode().splitlines()
    ]
    answers = [record["messages"][-1]["content"] for record in lines]
    assert CORRECTION in answers
    assert (
        "corrected answers (written by an agent) | 1 |"
        in archive.read("finetune/README.md").decode()
    )


def test_agent_resolves_a_handoff(
    console: tuple[RunningApp, ConsoleSeed], visitor: BrowserContext
) -> None:
    app, seed = console
    page = visitor.new_page()
    sign_in(page, app.base_url, "alice")
    page.goto(f"{app.base_url}/console/conversations/{seed.urgent}")
    expect(page.locator(".convo-head")).to_contain_text("handoff requested")
    screenshot(page, "console-transcript-handoff")
    page.get_by_role("button", name="Mark handoff resolved").click()
    expect(page.get_by_role("status")).to_contain_text("Handoff marked resolved.")
    expect(page.locator(".convo-head")).to_contain_text("resolved by alice")


def test_stored_script_in_a_transcript_renders_as_text_and_never_runs(
    console: tuple[RunningApp, ConsoleSeed], visitor: BrowserContext
) -> None:
    app, seed = console
    page = visitor.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, app.base_url, "alice")
    assert page.evaluate("() => window.__xss") is None  # the queue shows the message too
    page.goto(f"{app.base_url}/console/conversations/{seed.hostile}")
    shopper = page.locator(".bubble.shopper").first
    expect(shopper).to_contain_text(XSS)  # shown as the characters the shopper typed
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("main script").count() == 0
    assert page.evaluate("() => window.__xss") is None and dialogs == []
    screenshot(page, "console-transcript-xss-as-text")


def test_dashboards_plot_trust_aspects_feedback_handoffs_prompts_and_drift(
    console: tuple[RunningApp, ConsoleSeed], visitor: BrowserContext
) -> None:
    app, _ = console
    page = visitor.new_page()
    sign_in(page, app.base_url, "alice")
    page.get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", name="Dashboards")).to_be_visible()
    expect(page.locator("#drift-alert")).to_contain_text("Drift alert")
    charts = page.locator("svg.chart")
    assert charts.count() >= 8
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("svg.chart circle").count() > 20  # daily points drawn
    screenshot(page, "console-dashboards")
