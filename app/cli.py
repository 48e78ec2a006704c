"""`trustdesk` command line: ingest the store, ask one question, serve the chat app."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from dataclasses import asdict
from typing import Annotated

import typer

from app.config import Settings

cli = typer.Typer(help="TrustDesk: a grounded, cited customer-service chatbot for online shops.")

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def _prepare(verbose: bool = False) -> Settings:
    # Nothing may reach a model hub at run time; set before any ML library is imported.
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return Settings()


@cli.command()
def ingest(
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Load, chunk, embed and index the demo store into Chroma (re-runs embed only changes)."""
    from app.container import run_ingest

    settings = _prepare()
    try:
        summary = run_ingest(settings, progress=progress)
    except FileNotFoundError as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from error
    typer.echo(summary.line())


@cli.command("build-encoder")
def build_encoder() -> None:
    """Export the MiniLM query encoder to ONNX once (cached in the state folder)."""
    from app.container import build_query_encoder_file

    settings = _prepare()
    typer.echo(f"query encoder ready: {build_query_encoder_file(settings)}")


@cli.command()
def ask(
    question: Annotated[str, typer.Argument(help="The shopper's question.")],
    conversation: Annotated[
        str | None, typer.Option(help="Continue this conversation id (follow-ups resolve).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole turn as JSON.")] = False,
) -> None:
    """Answer one question through ChatService, exactly as the chat UI would, and log the turn."""
    from app.container import build_container

    settings = _prepare()
    container = build_container(settings)
    conversation_id = conversation or f"cli-{uuid.uuid4().hex[:12]}"
    try:
        result = asyncio.run(container.chat.ask(conversation_id=conversation_id, text=question))
    finally:
        container.close()
    if as_json:
        payload = asdict(result)
        payload["prompt"] = {**payload["prompt"], "ref": str(result.prompt)}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    typer.echo(result.answer)
    for citation in result.citations:
        typer.echo(f"  [{citation.index}] {citation.title} ({citation.source}, {citation.anchor})")
    typer.secho(
        f"conversation {conversation_id} · turn {result.turn_id} · {result.prompt} · "
        f"{result.backend} · {result.latency.total_ms:.0f} ms",
        dim=True,
    )


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
) -> None:
    """Serve the chat app (FastAPI + Chainlit at /chat) and the health probe at /healthz."""
    import uvicorn

    from app.container import build_container
    from app.main import create_app

    settings = _prepare()
    app = create_app(build_container(settings))
    bind_host = host or settings.server.host
    bind_port = port or settings.server.port
    typer.echo(f"TrustDesk chat on http://{bind_host}:{bind_port}/chat")
    uvicorn.run(app, host=bind_host, port=bind_port, log_level="info")


def main() -> None:
    """Entry point of the `trustdesk` script."""
    cli()


if __name__ == "__main__":
    main()
