"""A real OpenAI-compatible HTTP server for tests: scripted replies, failures, delays, drops.

It speaks the wire protocol that vLLM, llama.cpp and Ollama speak (POST /v1/chat/completions,
JSON or SSE streaming with a usage chunk, GET /v1/models), so the code under test uses its real
HTTP client. It records every request body so tests can check what the prompt contained.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_PIECE = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Reply:
    """Answer with `text`; token counts default to word counts of prompt and reply."""

    text: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class Fail:
    """Answer with an HTTP error status (500, 503...) and an OpenAI-style error body."""

    status: int = 500
    message: str = "internal server error"


@dataclass(frozen=True)
class Delay:
    """Wait `seconds` before behaving like `then` (longer than the client timeout = a timeout)."""

    seconds: float
    then: Reply = Reply("too late")


@dataclass(frozen=True)
class DropStream:
    """Stream the first `after_pieces` pieces of `text`, then cut the connection."""

    text: str
    after_pieces: int = 2


@dataclass(frozen=True)
class BadJSON:
    """Answer 200 with a body that is not JSON."""

    body: str = "<html>gateway confused</html>"


Behaviour = Reply | Fail | Delay | DropStream | BadJSON


class _DroppedError(Exception):
    """Raised inside the app to make the server abort the connection mid-stream."""


class FakeOpenAIServer:
    """Serves the scripted behaviours in order (then `default`) on 127.0.0.1 at a free port."""

    def __init__(self, *, model: str = "fake-model", default: Behaviour | None = None) -> None:
        self.model = model
        self.default: Behaviour = default or Reply("I'm a fake model reply.")
        self.requests: list[dict[str, Any]] = []
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    @property
    def base_url(self) -> str:
        """The OpenAI base URL clients should use (ends in /v1)."""
        return f"http://127.0.0.1:{self._port}/v1"

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next requests, one request each."""
        with self._lock:
            self._script.extend(behaviours)

    def reset(self) -> None:
        """Forget scripted behaviours and recorded requests."""
        with self._lock:
            self._script.clear()
            self.requests.clear()

    def start(self) -> FakeOpenAIServer:
        """Start serving in a background thread; returns once the port accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app,
            interface="asgi3",
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name="fake-openai"
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _next(self) -> Behaviour:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if method == "GET" and path == "/v1/models":
            await _send_json(send, 200, {"object": "list", "data": [_model_card(self.model)]})
        elif method == "POST" and path == "/v1/chat/completions":
            body = json.loads(await _read_body(receive) or b"{}")
            with self._lock:
                self.requests.append(body)
            await self._complete(body, self._next(), receive, send)
        else:
            await _send_json(send, 404, {"error": {"message": f"no route {method} {path}"}})

    async def _complete(
        self, body: dict[str, Any], behaviour: Behaviour, receive: Receive, send: Send
    ) -> None:
        if isinstance(behaviour, Delay):
            if await _client_left_within(behaviour.seconds, receive):
                return  # the client timed out and hung up; nobody is left to answer
            behaviour = behaviour.then
        if isinstance(behaviour, Fail):
            error = {"message": behaviour.message, "type": "server_error", "code": behaviour.status}
            await _send_json(send, behaviour.status, {"error": error})
        elif isinstance(behaviour, BadJSON):
            await _send_raw(send, 200, "application/json", behaviour.body.encode())
        elif isinstance(behaviour, DropStream):
            await self._stream(body, Reply(behaviour.text), send, drop_after=behaviour.after_pieces)
        elif body.get("stream"):
            await self._stream(body, behaviour, send)
        else:
            await _send_json(send, 200, self._completion(body, behaviour))

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.text},
                    "finish_reason": "stop",
                }
            ],
            "usage": _usage(body, reply),
        }

    async def _stream(
        self, body: dict[str, Any], reply: Reply, send: Send, drop_after: int | None = None
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream"),
                    (b"cache-control", b"no-cache"),
                ],
            }
        )
        model = body.get("model", self.model)
        pieces = _PIECE.findall(reply.text)
        for number, piece in enumerate(pieces):
            if drop_after is not None and number >= drop_after:
                raise _DroppedError("scripted dropped stream")
            delta = {"role": "assistant", "content": piece} if number == 0 else {"content": piece}
            await _send_event(
                send, _chunk(model, [{"index": 0, "delta": delta, "finish_reason": None}])
            )
        await _send_event(send, _chunk(model, [{"index": 0, "delta": {}, "finish_reason": "stop"}]))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage_chunk = _chunk(model, [])
            usage_chunk["usage"] = _usage(body, reply)
            await _send_event(send, usage_chunk)
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n", "more_body": False})


def _model_card(model: str) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": 0, "owned_by": "trustdesk-tests"}


def _chunk(model: str, choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
    }


def _usage(body: dict[str, Any], reply: Reply) -> dict[str, int]:
    prompt_words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    prompt = reply.prompt_tokens if reply.prompt_tokens is not None else prompt_words
    pieces = len(_PIECE.findall(reply.text))  # one token per streamed piece
    completion = reply.completion_tokens if reply.completion_tokens is not None else pieces
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


async def _read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if not message.get("more_body"):
            return body


async def _client_left_within(seconds: float, receive: Receive) -> bool:
    """Sleep `seconds` unless the client disconnects first (then True)."""
    try:
        async with asyncio.timeout(seconds):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        return False
    return True


async def _send_event(send: Send, payload: dict[str, Any]) -> None:
    data = f"data: {json.dumps(payload)}\n\n".encode()
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    await _send_raw(send, status, "application/json", json.dumps(payload).encode())


async def _send_raw(send: Send, status: int, content_type: str, body: bytes) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
