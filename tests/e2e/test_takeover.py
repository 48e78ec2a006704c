"""Agent takeover end to end in real browsers: a shopper asks for a person in the chat, an agent
takes the conversation over in the console and writes to them, the reply appears in the
shopper's open chat, the bot stays quiet, and after the hand-back the bot answers again."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from app.review.passwords import hash_password
from app.store.models import Conversation, HandoffStatus, Turn
from app.store.takeover_models import AgentReply
from tests.e2e.conftest import RunningApp, copy_state, rows_eventually, screenshot, serve

pytestmark = pytest.mark.browser

PASSWORD = "alice's long passphrase"
REPLY = "Hi, this is Alice from Luma. I can see your order: it left our warehouse this morning."
ASK_FOR_PERSON = "I want to talk to a person please"
QUESTION_FOR_AGENT = "Thanks! Will it arrive before Friday?"
DELIVERY_S = 20_000  # ms: the chat polls every 2 s; a loaded CI machine gets slack


@pytest.fixture(scope="module")
def app(ingested_state: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """TrustDesk with one console agent (alice)."""
    workdir = tmp_path_factory.mktemp("takeover")
    state = copy_state(ingested_state, workdir / "state")
    accounts = {"alice": {"role": "agent", "password_hash": hash_password(PASSWORD)}}
    yield from serve(state, workdir, extra_env={"TRUSTDESK_REVIEW__ACCOUNTS": json.dumps(accounts)})


@pytest.fixture
def contexts(chromium: Browser) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    """Two browser profiles: the shopper's and the agent's."""
    shopper = chromium.new_context(viewport={"width": 1280, "height": 900})
    agent = chromium.new_context(viewport={"width": 1366, "height": 900})
    yield shopper, agent
    agent.close()
    shopper.close()


def _send(chat: Page, text: str) -> None:
    chat.locator("#chat-input").fill(text)
    chat.locator("#chat-submit").click()


def _sign_in(console: Page, url: str) -> None:
    console.goto(url)
    console.get_by_label("Account").fill("alice")
    console.get_by_label("Password").fill(PASSWORD)
    console.get_by_role("button", name="Sign in").click()
    expect(console.locator(".who")).to_contain_text("alice")


def test_agent_takes_over_writes_to_the_shopper_and_hands_back(
    app: RunningApp, contexts: tuple[BrowserContext, BrowserContext], tmp_path: Path
) -> None:
    shopper, agent = contexts
    chat = shopper.new_page()
    chat.goto(app.base_url + "/chat/")
    _send(chat, ASK_FOR_PERSON)
    expect(chat.locator("body")).to_contain_text("asked a member", timeout=30_000)
    expect(chat.locator("body")).to_contain_text("has been asked to join this conversation")
    _shot(chat, tmp_path, "takeover-1-chat-handoff")

    (conversation,) = rows_eventually(
        select(Conversation).where(Conversation.handoff_status == HandoffStatus.REQUESTED),
        app.database_url,
    )
    console = agent.new_page()
    _sign_in(console, f"{app.base_url}/console/conversations/{conversation.id}")
    expect(console.locator(".convo-head")).to_contain_text("handoff requested")
    console.get_by_role("button", name="Take over").click()
    expect(console.get_by_role("status")).to_contain_text("You have taken this conversation over")
    expect(console.locator("#held-by")).to_contain_text("taken over by alice")
    expect(chat.locator("body")).to_contain_text("has joined the conversation", timeout=DELIVERY_S)

    console.get_by_label("Reply to the shopper").fill(REPLY)
    console.get_by_role("button", name="Send to shopper").click()
    expect(console.get_by_role("status")).to_contain_text("Reply sent to the shopper.")
    expect(chat.get_by_text(REPLY)).to_be_visible(timeout=DELIVERY_S)
    _shot(chat, tmp_path, "takeover-2-chat-agent-reply")

    _send(chat, QUESTION_FOR_AGENT)
    expect(chat.locator("body")).to_contain_text("Your message has gone to", timeout=30_000)
    (held,) = rows_eventually(
        select(Turn).where(Turn.user_text == QUESTION_FOR_AGENT), app.database_url
    )
    assert "Your message has gone to" in (held.answer or "")  # the bot did not answer it
    console.reload()
    turn = console.locator(f'section.turn[data-turn="{held.id}"]')
    expect(turn).to_contain_text(QUESTION_FOR_AGENT)
    expect(turn).to_contain_text("sent to alice (bot quiet)")
    expect(console.locator(".agent-reply")).to_contain_text("shown to the shopper")
    _shot(console, tmp_path, "takeover-3-console-transcript")

    console.get_by_role("button", name="Hand back to the bot").click()
    expect(console.get_by_role("status")).to_contain_text("handed back to the bot")
    expect(chat.locator("body")).to_contain_text(
        "handed this conversation back", timeout=DELIVERY_S
    )
    _send(chat, "What is your return policy?")
    expect(chat.get_by_text(re.compile(r"within 30 days", re.IGNORECASE)).first).to_be_visible(
        timeout=30_000
    )
    _shot(chat, tmp_path, "takeover-4-chat-bot-again")
    (reply,) = rows_eventually(select(AgentReply), app.database_url)
    assert (reply.agent, reply.text) == ("alice", REPLY) and reply.delivered_at is not None


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    """A screenshot for people under reports/screenshots/, and a copy beside the test's files."""
    path = screenshot(page, name)
    (tmp_path / path.name).write_bytes(path.read_bytes())
