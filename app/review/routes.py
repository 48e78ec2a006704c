"""The console's pages and form posts; each handler checks who is asking, then delegates."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.review.actions import ReviewError, correct_turn, label_turn, resolve_handoff
from app.review.charts import sparkline
from app.review.dashboard_view import dashboard_charts
from app.review.downloads import MEDIA_TYPES, finetune_zip, transcripts_file
from app.review.filters import QueueFilters
from app.review.metrics import build_dashboard
from app.review.queue import queue_choices, ranked_queue
from app.review.sessions import LOGIN_COOKIE, SESSION_COOKIE, ConsoleSession
from app.review.transcript import load_transcript
from app.review.web import SECURITY_HEADERS, Console
from app.store.models import Turn, utcnow
from app.store.review_models import LabelKind
from app.store.takeover_crud import (
    TakeoverError,
    add_agent_reply,
    current_takeover,
    hand_back,
    take_over,
)
from app.trust.base import Aspect

logger = logging.getLogger(__name__)

FormText = Annotated[str, Form()]
NOTICES = {
    "labelled": "Label saved.",
    "corrected": "Correction saved: it replaces the answer in the fine-tuning export.",
    "resolved": "Handoff marked resolved.",
    "taken_over": "You have taken this conversation over: the bot is quiet and your replies go "
    "to the shopper's chat.",
    "replied": "Reply sent to the shopper.",
    "handed_back": "Conversation handed back to the bot.",
}
DASHBOARD_DAYS = (7, 28, 90)


def console_routes(console: Console) -> APIRouter:
    """Every console route, bound to `console`."""
    router = APIRouter()
    _sign_in_routes(router, console)
    _review_routes(router, console)
    _takeover_routes(router, console)
    _report_routes(router, console)
    return router


def _sign_in_routes(router: APIRouter, console: Console) -> None:
    auth = console.auth

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "") -> Response:
        if auth.session(request) is not None:
            return RedirectResponse(console.safe_next(next), status_code=303)
        return console.sign_in_page(request, status=200, next_path=next)

    @router.post("/login")
    def login(
        request: Request,
        name: FormText = "",
        password: FormText = "",
        login_token: FormText = "",
        next: FormText = "",
    ) -> Response:
        auth.check_origin(request)
        if not auth.signer.login_token_ok(request.cookies.get(LOGIN_COOKIE), login_token):
            return console.sign_in_page(
                request, status=403, next_path=next, error="The form expired; sign in again."
            )
        if auth.throttle.locked(name):
            error = "Too many failed sign-ins for this account; wait a minute."
            return console.sign_in_page(request, status=429, next_path=next, error=error)
        account = auth.book.authenticate(name, password)
        if account is None:
            auth.throttle.failed(name)
            logger.warning("console sign-in failed", extra={"account": name[:64]})
            error = "Wrong account name or password."
            return console.sign_in_page(request, status=401, next_path=next, error=error, name=name)
        auth.throttle.succeeded(name)
        cookie, _ = auth.signer.issue(account.name, account.role)
        response = RedirectResponse(console.safe_next(next), status_code=303)
        console.set_session(request, response, cookie)
        logger.info("console sign-in", extra={"agent": account.name, "role": account.role})
        return response

    @router.post("/logout")
    def logout(request: Request, csrf: FormText = "") -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)
        auth.sign_out(agent)  # server-side: a copy of the cookie is refused from now on
        response = RedirectResponse(f"{console.base}/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=console.base)
        logger.info("console sign-out", extra={"agent": agent.agent})
        return response


def _review_routes(router: APIRouter, console: Console) -> None:
    auth = console.auth

    @router.get("/", response_class=HTMLResponse)
    def queue(request: Request) -> Response:
        agent = auth.require(request)
        filters = QueueFilters.from_params(request.query_params)
        with console.db() as db:
            page, choices = ranked_queue(db, filters), queue_choices(db)
        return console.page(
            "queue.html",
            agent=agent,
            section="queue",
            filters=filters,
            page=page,
            choices=choices,
            aspects=[a.value for a in Aspect],
            prompt_value=filters.as_params().get("prompt", ""),
        )

    @router.get("/conversations/{conversation_id}", response_class=HTMLResponse)
    def conversation(request: Request, conversation_id: str, done: str = "") -> Response:
        agent = auth.require(request)
        return _transcript_page(console, agent, conversation_id, notice=NOTICES.get(done, ""))

    @router.post("/turns/{turn_id}/label")
    def label(
        request: Request,
        turn_id: str,
        csrf: FormText = "",
        label: FormText = "",
        reason: FormText = "",
    ) -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)

        def act(db: Session) -> object:
            return label_turn(db, turn_id=turn_id, label=label, reason=reason, agent=agent.agent)

        return _turn_action(console, agent, turn_id, "labelled", act)

    @router.post("/turns/{turn_id}/correction")
    def correction(
        request: Request, turn_id: str, csrf: FormText = "", answer: FormText = ""
    ) -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)

        def act(db: Session) -> object:
            return correct_turn(db, turn_id=turn_id, answer=answer, agent=agent.agent)

        return _turn_action(console, agent, turn_id, "corrected", act)

    @router.post("/conversations/{conversation_id}/resolve")
    def resolve(request: Request, conversation_id: str, csrf: FormText = "") -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)
        with console.db() as db:
            try:
                resolve_handoff(db, conversation_id=conversation_id, agent=agent.agent)
                db.commit()
            except LookupError:
                return _not_found(console, agent)
            except ReviewError as error:
                return _transcript_page(
                    console, agent, conversation_id, error=str(error), status=409
                )
        return _back_to(console, conversation_id, "resolved")


def _takeover_routes(router: APIRouter, console: Console) -> None:
    auth = console.auth

    @router.post("/conversations/{conversation_id}/takeover")
    def takeover(request: Request, conversation_id: str, csrf: FormText = "") -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)

        def act(db: Session) -> object:
            return take_over(db, conversation_id=conversation_id, agent=agent.agent)

        return _conversation_action(console, agent, conversation_id, "taken_over", act)

    @router.post("/conversations/{conversation_id}/reply")
    def reply(
        request: Request, conversation_id: str, csrf: FormText = "", text: FormText = ""
    ) -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)

        def act(db: Session) -> object:
            return add_agent_reply(
                db, conversation_id=conversation_id, agent=agent.agent, text=text
            )

        return _conversation_action(console, agent, conversation_id, "replied", act)

    @router.post("/conversations/{conversation_id}/handback")
    def handback(request: Request, conversation_id: str, csrf: FormText = "") -> Response:
        agent = auth.require(request)
        auth.check_form(request, agent, csrf)

        def act(db: Session) -> object:
            held = current_takeover(db, conversation_id=conversation_id)
            if held is not None and held.agent != agent.agent and agent.role != "admin":
                raise TakeoverError(
                    f"{held.agent} holds this conversation: they or an admin hand it back"
                )
            return hand_back(db, conversation_id=conversation_id, agent=agent.agent)

        return _conversation_action(console, agent, conversation_id, "handed_back", act)


def _report_routes(router: APIRouter, console: Console) -> None:
    auth = console.auth

    @router.get("/dashboard", response_class=HTMLResponse)
    def dashboard(request: Request, days: str = "28") -> Response:
        agent = auth.require(request)
        window = int(days) if days.isdigit() and int(days) in DASHBOARD_DAYS else 28
        with console.db() as db:
            board = build_dashboard(db, days=window, now=utcnow(), review=console.review)
        return console.page(
            "dashboard.html",
            agent=agent,
            section="dashboard",
            board=board,
            charts=dashboard_charts(board),
            days=window,
            weeks=console.review.drift_baseline_weeks,
            threshold=console.review.drift_threshold,
        )

    @router.get("/exports", response_class=HTMLResponse)
    def exports(request: Request) -> Response:
        agent = auth.require(request, "admin")
        return console.page("exports.html", agent=agent, section="exports")

    @router.get("/exports/transcripts.{fmt}")
    def transcripts(request: Request, fmt: str) -> Response:
        agent = auth.require(request, "admin")
        if fmt not in MEDIA_TYPES:
            return _not_found(console, agent)
        data = transcripts_file(console.engine, "csv" if fmt == "csv" else "jsonl")
        logger.info("transcripts exported", extra={"agent": agent.agent, "format": fmt})
        return _download(data, f"transcripts.{fmt}", MEDIA_TYPES[fmt])

    @router.get("/exports/finetune.zip")
    def finetune(request: Request, since: str = "", until: str = "") -> Response:
        agent = auth.require(request, "admin")
        data = finetune_zip(
            console.engine,
            console.exports,
            find_pii=console.find_pii,
            since=_day(since),
            until=_day(until),
        )
        logger.info("fine-tuning data exported", extra={"agent": agent.agent})
        return _download(data, "finetune.zip", "application/zip")


def _turn_action(
    console: Console,
    agent: ConsoleSession,
    turn_id: str,
    done: str,
    act: Callable[[Session], object],
) -> Response:
    with console.db() as db:
        turn = db.get(Turn, turn_id)
        if turn is None:
            return _not_found(console, agent)
        conversation_id = turn.conversation_id
        try:
            act(db)
            db.commit()
        except ReviewError as error:
            db.rollback()
            return _transcript_page(console, agent, conversation_id, error=str(error), status=400)
    return _back_to(console, conversation_id, done, anchor=f"turn-{turn_id}")


def _conversation_action(
    console: Console,
    agent: ConsoleSession,
    conversation_id: str,
    done: str,
    act: Callable[[Session], object],
) -> Response:
    with console.db() as db:
        try:
            act(db)
            db.commit()
        except LookupError:
            return _not_found(console, agent)
        except TakeoverError as error:
            db.rollback()
            return _transcript_page(console, agent, conversation_id, error=str(error), status=409)
    return _back_to(console, conversation_id, done, anchor="takeover")


def _transcript_page(
    console: Console,
    agent: ConsoleSession,
    conversation_id: str,
    *,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    with console.db() as db:
        transcript = load_transcript(db, conversation_id)
        if transcript is None:
            return _not_found(console, agent)
        return console.page(
            "transcript.html",
            agent=agent,
            section="queue",
            status=status,
            transcript=transcript,
            timeline=transcript.timeline(),
            convo=transcript.conversation,
            spark=sparkline([v for _, v in transcript.trust_series()]),
            labels=[k.value for k in LabelKind],
            notice=notice,
            error=error,
        )


def _back_to(console: Console, conversation_id: str, done: str, anchor: str = "") -> Response:
    url = f"{console.base}/conversations/{quote(conversation_id, safe='')}?done={done}"
    return RedirectResponse(url + (f"#{quote(anchor)}" if anchor else ""), status_code=303)


def _not_found(console: Console, agent: ConsoleSession) -> Response:
    return console.page(
        "error.html", agent=agent, status=404, heading="Not found", message="Nothing here."
    )


def _download(data: bytes, filename: str, media_type: str) -> Response:
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=media_type, headers=headers)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
