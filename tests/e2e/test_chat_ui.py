"""A shopper's path through the chat UI in a real browser, checked against our turn log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect
from sqlmodel import select

from app.store.models import Conversation, Feedback, FeedbackSource, Turn, TurnStatus
from tests.e2e.conftest import RunningApp, copy_state, rows_eventually, screenshot, serve
from tests.fakes.openai_server import Fail, FakeOpenAIServer

pytestmark = pytest.mark.browser

RETURNS_SOURCE = "[1] Customer Service — Returns and Replacements"
TRACEBACK_SIGNS = ("Traceback", 'File "', "Error:", "Exception")


@pytest.fixture
def shopper(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile: a new anonymous shopper."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def _token_frames(page: Page) -> list[str]:
    """Collects the socket.io frames that carry streamed answer text."""
    frames: list[str] = []

    def watch(socket: WebSocket) -> None:
        socket.on(
            "framereceived",
            lambda payload: (
                frames.append(payload)
                if isinstance(payload, str) and "stream_token" in payload
                else None
            ),
        )

    page.on("websocket", watch)
    return frames


def _assert_no_traceback(page: Page) -> None:
    text = page.locator("body").inner_text()
    for sign in TRACEBACK_SIGNS:
        assert sign not in text, f"the page shows {sign!r}:\n{text}"


def test_return_policy_answer_streams_with_source_and_takes_feedback(
    app_server: RunningApp, shopper: BrowserContext
) -> None:
    page = shopper.new_page()
    frames = _token_frames(page)
    page.goto(app_server.base_url + "/")
    expect(page).to_have_url(re.compile(r"/chat/?$"))

    page.get_by_role("button", name="Return policy").click()
    answer = page.get_by_text(re.compile(r"within 30 days", re.IGNORECASE)).first
    expect(answer).to_be_visible(timeout=30_000)
    source = page.get_by_text(RETURNS_SOURCE)
    expect(source).to_be_visible()
    expect(page.locator("body")).to_contain_text(
        "Source: /customer-service#returns-and-replacements"
    )
    assert len(frames) > 3, "the answer arrived in one piece instead of streaming"
    screenshot(page, "chat-return-policy-answer")

    page.locator("button:has(svg.lucide-thumbs-up)").last.click()
    dialog = page.get_by_role("dialog")
    dialog.locator("textarea").fill("Clear answer, thanks")
    dialog.locator("#submit-feedback").click()
    screenshot(page, "chat-return-policy-feedback")
    _assert_no_traceback(page)

    turns = rows_eventually(
        select(Turn).where(Turn.user_text == "What is your return policy?"), app_server.database_url
    )
    assert len(turns) == 1
    turn = turns[0]
    assert turn.status == TurnStatus.ANSWERED and "30 days" in (turn.answer or "")
    conversation = rows_eventually(
        select(Conversation).where(Conversation.id == turn.conversation_id),
        app_server.database_url,
    )[0]
    assert conversation.channel == "chainlit"
    assert (conversation.user_id or "").startswith("shopper-")
    feedback = rows_eventually(
        select(Feedback).where(Feedback.turn_id == turn.id), app_server.database_url
    )
    assert [(f.score, f.comment, f.source) for f in feedback] == [
        (1, "Clear answer, thanks", FeedbackSource.CHAINLIT)
    ]


def test_shopper_resumes_their_conversation_and_no_one_else_sees_it(
    app_server: RunningApp, chromium: Browser
) -> None:
    owner = chromium.new_context(viewport={"width": 1280, "height": 900})
    stranger = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = owner.new_page()
        page.goto(app_server.base_url + "/chat/")
        page.get_by_role("button", name="Shipping cost").click()
        expect(page.get_by_text(re.compile(r"^\[1\] "))).to_be_visible(timeout=30_000)

        later = owner.new_page()  # the shopper comes back later in the same browser
        later.goto(app_server.base_url + "/chat/")
        later.get_by_text("How much is shipping on a $150 order?").first.click()
        expect(later.get_by_text(re.compile(r"^\[1\] "))).to_be_visible(timeout=30_000)
        expect(later.locator("body")).to_contain_text("How much is shipping on a $150 order?")
        screenshot(later, "chat-resumed-conversation")
        thread_url = _thread_url(later)

        other = stranger.new_page()
        other.goto(thread_url)
        other.wait_for_timeout(3000)
        expect(other.locator("body")).not_to_contain_text("How much is shipping on a $150 order?")
        screenshot(other, "chat-other-shopper")
    finally:
        owner.close()
        stranger.close()


def _thread_url(page: Page) -> str:
    page.wait_for_url(re.compile(r"/chat/thread/[0-9a-f-]+$"), timeout=15_000)
    return page.url


@pytest.fixture(scope="module")
def broken_llm_server() -> Iterator[FakeOpenAIServer]:
    """An OpenAI-compatible model server that answers every request with HTTP 500."""
    with FakeOpenAIServer(default=Fail(500, "model crashed")) as server:
        yield server


@pytest.fixture(scope="module")
def broken_app_server(
    ingested_state: Path,
    tmp_path_factory: pytest.TempPathFactory,
    broken_llm_server: FakeOpenAIServer,
) -> Iterator[RunningApp]:
    """TrustDesk whose LLM backend fails every call."""
    workdir = tmp_path_factory.mktemp("broken-app")
    state = copy_state(ingested_state, workdir / "state")
    llm_env = {
        "TRUSTDESK_LLM__BACKEND": "vllm",
        "TRUSTDESK_LLM__BASE_URL": broken_llm_server.base_url,
        "TRUSTDESK_LLM__MODEL": broken_llm_server.model,
        "TRUSTDESK_LLM__MAX_RETRIES": "0",
    }
    yield from serve(state, workdir, llm_env)


def test_failing_backend_shows_an_apology_never_a_traceback(
    broken_app_server: RunningApp, shopper: BrowserContext
) -> None:
    page = shopper.new_page()
    page.goto(broken_app_server.base_url + "/chat/")
    page.locator("#chat-input").fill("Do you ship to Canada?")
    page.locator("#chat-submit").click()
    expect(page.get_by_text(re.compile(r"something went wrong", re.IGNORECASE))).to_be_visible(
        timeout=30_000
    )
    screenshot(page, "chat-backend-failure")
    _assert_no_traceback(page)
    assert "model crashed" not in page.locator("body").inner_text()

    turns = rows_eventually(
        select(Turn).where(
            Turn.user_text == "Do you ship to Canada?", Turn.status == TurnStatus.FAILED
        ),
        broken_app_server.database_url,
    )
    assert len(turns) == 1
    assert "500" in (turns[0].error or "") or "model crashed" in (turns[0].error or "")
