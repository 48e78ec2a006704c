"""`trustdesk` command line: ingest, ask one question, serve the chat app, evaluate the guards."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from app.config import Settings

cli = typer.Typer(help="TrustDesk: a grounded, cited customer-service chatbot for online shops.")
eval_cli = typer.Typer(help="Measure TrustDesk's parts on labelled data.")
cli.add_typer(eval_cli, name="eval")

DEV_DATA = Path("../shared/data/dev")
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
    guarded = f" · stopped by the {result.blocked_by} guard" if result.blocked_by else ""
    typer.secho(
        f"conversation {conversation_id} · turn {result.turn_id} · {result.prompt} · "
        f"{result.backend} · {result.latency.total_ms:.0f} ms{guarded}",
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


@eval_cli.command("guards")
def eval_guards(
    data: Annotated[
        Path | None,
        typer.Option(
            help="CSV/JSONL with `text` and `label` columns (or JSON/JSONL with PII `spans`) "
            "instead of the dev data's held-out splits."
        ),
    ] = None,
    guard: Annotated[
        list[str] | None,
        typer.Option(
            help="Only this guard (repeatable): injection, toxicity, off_topic, size, pii."
        ),
    ] = None,
    dev_dir: Annotated[Path, typer.Option(help="The dev data folder.")] = Path(
        "../shared/data/dev"
    ),
    limit: Annotated[
        int | None, typer.Option(help="At most this many texts per data set (quick runs).")
    ] = None,
) -> None:
    """Per guard: precision, recall, FPR, p50/p95 latency, and FPR on benign shopper requests."""
    from app.container import build_guards, guard_detectors, query_embeddings
    from app.guardrails.pii import PiiDetector
    from app.prompts import PromptRegistry
    from evals.guards import ALL_GUARDS, format_rows, run_eval

    settings = _prepare()
    unknown = set(guard or ()) - set(ALL_GUARDS)
    if unknown:
        typer.secho(f"unknown guard(s) {sorted(unknown)}; known: {ALL_GUARDS}", fg="red", err=True)
        raise typer.Exit(2)
    embeddings = query_embeddings(settings)
    detectors = {**guard_detectors(settings, embeddings), "pii": PiiDetector()}
    prompt = PromptRegistry.load(settings.prompts.dir).get(settings.prompts.answer)
    pipeline = build_guards(settings, embeddings, prompt)
    rows = run_eval(
        detectors,
        dev_dir=dev_dir,
        store_dir=settings.data.store_dir,
        data=data,
        guards=guard or (),
        check_input=pipeline.check_input if pipeline is not None else None,
        limit=limit,
    )
    typer.echo(format_rows(rows))
    missing = [g for g in (guard or ALL_GUARDS) if g not in detectors]
    if missing:
        typer.secho(f"not scored (not trained: run `make guards`): {missing}", fg="yellow")


def main() -> None:
    """Entry point of the `trustdesk` script."""
    cli()


if __name__ == "__main__":
    main()
