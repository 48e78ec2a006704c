"""`trustdesk` command line: ingest, ask one question, serve the chat app, evaluate the guards."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from app.config import Settings

cli = typer.Typer(help="TrustDesk: a grounded, cited customer-service chatbot for online shops.")
eval_cli = typer.Typer(help="Measure TrustDesk's parts on labelled data.")
cli.add_typer(eval_cli, name="eval")
analyze_cli = typer.Typer(help="Analyse logged conversations.")
cli.add_typer(analyze_cli, name="analyze")
export_cli = typer.Typer(help="Export reviewed conversations (fine-tuning data, transcripts).")
cli.add_typer(export_cli, name="export")
console_cli = typer.Typer(help="The support-agent console at /console.")
cli.add_typer(console_cli, name="console")

DEV_DATA = Path("data/dev")  # `make dev-data` fills it (from ../shared/data/dev or upstream)
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
    dev_dir: Annotated[Path, typer.Option(help="The dev data folder.")] = DEV_DATA,
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


@eval_cli.command("run")
def eval_run(
    dataset: Annotated[
        str | None, typer.Option(help="Dataset name (evals/datasets/NAME.jsonl) or a .jsonl path.")
    ] = None,
    prompt: Annotated[str | None, typer.Option(help="Answer prompt, e.g. answer@v1.")] = None,
    backend: Annotated[str | None, typer.Option(help="extractive or vllm.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a setting, e.g. retrieval.k=8 (repeatable)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N cases.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Cases answered at once.")] = 4,
    resume: Annotated[
        str | None, typer.Option(help="Continue an interrupted run (its settings are reused).")
    ] = None,
    cache: Annotated[
        bool, typer.Option(help="Reuse earlier results of unchanged cases (--no-cache: re-ask).")
    ] = True,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    judge: Annotated[
        bool,
        typer.Option(
            help="LLM-judge metrics on the vllm backend (--no-judge: deterministic only)."
        ),
    ] = True,
) -> None:
    """Run a dataset through ChatService, score every case, store and summarise the run."""
    from evals.run_config import RunOverrides, parse_sets
    from evals.run_report import format_run
    from evals.runner import RunOptions, run_eval

    settings = _prepare()
    try:
        overrides = RunOverrides(prompt, backend, parse_sets(set_ or ()), limit)
        options = RunOptions(dataset, overrides, concurrency, resume, cache, progress, judge=judge)
        run = run_eval(settings, options)
    except (ValueError, LookupError, FileNotFoundError) as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from error
    typer.echo(format_run(run))


@eval_cli.command("trust")
def eval_trust(
    data: Annotated[
        Path | None,
        typer.Option(
            help="CSV/JSONL with `text`, `aspect`, `polarity` columns (see README) instead of "
            "the dev data's held-out split."
        ),
    ] = None,
    report: Annotated[
        Path, typer.Option(help="Markdown report (JSON and a confusion-matrix SVG beside it).")
    ] = Path("reports/trust_eval.md"),
    scorer: Annotated[str, typer.Option(help="Trust scorer: embedded or llm.")] = "embedded",
    dev_dir: Annotated[Path, typer.Option(help="The dev data folder.")] = DEV_DATA,
) -> None:
    """Per aspect: accuracy, precision, recall, F1, specificity; macro-F1; trust accuracy."""
    from app.container import TRUST_SCORERS, query_embeddings
    from evals.trust_data import TrustDataError, read_trust_data
    from evals.trust_eval import dev_heldout, run_trust_eval

    settings = _prepare()
    if scorer not in TRUST_SCORERS:
        known = sorted(TRUST_SCORERS)
        typer.secho(f"unknown scorer {scorer!r}; known: {known}", fg="red", err=True)
        raise typer.Exit(2)
    try:
        examples = (
            read_trust_data(data)
            if data is not None
            else dev_heldout(dev_dir, settings.data.store_dir)
        )
    except (TrustDataError, FileNotFoundError) as error:
        typer.secho(str(error), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from error
    built = TRUST_SCORERS[scorer](settings, query_embeddings(settings))
    if built is None:
        typer.secho("the trust scorer is not trained: run `make trust`", fg="yellow", err=True)
        raise typer.Exit(1)
    title = f"Trust scorer on {data.name if data else 'the held-out dev split'}"
    result = run_trust_eval(built, examples, title=title, progress=True)
    typer.echo("\n".join(result.lines()))
    for path in result.write(report):
        typer.echo(f"written to {path}")


@analyze_cli.command("qca")
def analyze_qca(
    outcome: Annotated[
        Literal["high", "low"],
        typer.Option(help="Explain high trust (>= 0.6) or low trust (< 0.4) conversations."),
    ] = "high",
    consistency: Annotated[
        float,
        typer.Option(help="A configuration is sufficient from this share of its cases on."),
    ] = 0.8,
    min_cases: Annotated[
        int, typer.Option(min=1, help="Configurations with fewer cases are remainders.")
    ] = 1,
    min_aspect_cases: Annotated[
        int, typer.Option(min=1, help="Aspects raised in fewer conversations are left out.")
    ] = 3,
    parsimonious: Annotated[
        bool, typer.Option("--parsimonious", help="Also minimise with remainders as don't-cares.")
    ] = False,
    database_url: Annotated[
        str | None, typer.Option(help="Turn log to read (default: the configured one).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Also write the analysis as Markdown.")
    ] = None,
) -> None:
    """Crisp-set QCA over logged conversations: which aspect combinations lead to trust."""
    from app.trust.qca_run import NothingToAnalyseError, run_qca

    settings = _prepare()
    try:
        analysis = run_qca(
            database_url or settings.database_url,
            outcome=outcome,
            consistency=consistency,
            min_cases=min_cases,
            min_aspect_cases=min_aspect_cases,
            parsimonious=parsimonious,
        )
    except NothingToAnalyseError as error:
        typer.secho(str(error), fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(1) from error
    typer.echo(analysis.text, nl=False)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(analysis.markdown, encoding="utf-8")
        typer.echo(f"report written to {report}")


_DAY = ["%Y-%m-%d"]
SinceOption = Annotated[
    datetime | None, typer.Option(formats=_DAY, help="Only turns from this day (UTC).")
]
UntilOption = Annotated[
    datetime | None, typer.Option(formats=_DAY, help="Only turns up to this day (UTC).")
]
DatabaseOption = Annotated[
    str | None, typer.Option(help="Turn log to read (default: the configured one).")
]


@export_cli.command("finetune")
def export_finetune(
    out: Annotated[Path | None, typer.Option(help="Folder (default var/exports/finetune).")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    validation_share: Annotated[float, typer.Option(min=0.0, max=0.5)] = 0.1,
    seed: Annotated[str, typer.Option(help="Salt of the train/validation split.")] = "trustdesk",
    corrected_need_good_rating: Annotated[
        bool, typer.Option(help="Drop corrected turns the shopper rated down too.")
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Chat-format JSONL from approved or corrected turns: PII removed, deduplicated, split."""
    from app.review.commands import finetune_summary, run_finetune_export
    from app.review.export_finetune import FinetuneOptions

    settings = _prepare()
    options = FinetuneOptions(
        since=since.date() if since else None,
        until=until.date() if until else None,
        validation_share=validation_share,
        seed=seed,
        corrected_need_good_rating=corrected_need_good_rating,
    )
    target = out or settings.data.state_dir / "exports" / "finetune"
    result = run_finetune_export(settings, out=target, options=options, database_url=database_url)
    typer.echo(finetune_summary(result))


@export_cli.command("transcripts")
def export_transcripts(
    out: Annotated[
        Path | None, typer.Option(help="File (default var/exports/transcripts.*).")
    ] = None,
    fmt: Annotated[Literal["jsonl", "csv"], typer.Option("--format")] = "jsonl",
    since: SinceOption = None,
    until: UntilOption = None,
    database_url: DatabaseOption = None,
) -> None:
    """Conversations with trust, aspects, guard results, feedback, labels and corrections."""
    from app.review.commands import run_transcripts_export

    settings = _prepare()
    target = out or settings.data.state_dir / "exports" / f"transcripts.{fmt}"
    count = run_transcripts_export(
        settings,
        out=target,
        fmt=fmt,
        since=since.date() if since else None,
        until=until.date() if until else None,
        database_url=database_url,
    )
    typer.echo(f"{count} conversations written to {target}")


@console_cli.command("hash-password")
def console_hash_password() -> None:
    """Print the scrypt hash of a password for TRUSTDESK_REVIEW__ACCOUNTS (asked, never echoed)."""
    from app.review.passwords import PLACEHOLDER_PASSWORDS, hash_password

    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if password in PLACEHOLDER_PASSWORDS or len(password) < 12:
        typer.secho("refused: use at least 12 characters, not a default", fg="red", err=True)
        raise typer.Exit(2)
    typer.echo(hash_password(password))


ToleranceOption = Annotated[
    list[str] | None,
    typer.Option(help="Change a gate tolerance: metric=2 (points), =50% or =off (repeatable)."),
]
OtherDataOption = Annotated[
    bool, typer.Option(help="Compare runs even if their datasets (sha256) differ.")
]


def _fail_cleanly(error: Exception) -> typer.Exit:
    typer.secho(str(error), fg=typer.colors.RED, err=True)
    return typer.Exit(2)


@eval_cli.command("compare")
def eval_compare(
    run_a: Annotated[str, typer.Argument(help="The run before (baseline).")],
    run_b: Annotated[str, typer.Argument(help="The run after (candidate).")],
    report: Annotated[Path | None, typer.Option(help="Also write an HTML report here.")] = None,
    gate: Annotated[bool, typer.Option(help="Exit 1 when B regresses beyond tolerance.")] = False,
    tolerance: ToleranceOption = None,
    allow_different_data: OtherDataOption = False,
    database_url: DatabaseOption = None,
) -> None:
    """Two eval runs side by side: each metric (A, B, delta), the cases that flipped, a gate."""
    from evals.compare_commands import CompareOptions, compare_runs

    settings = _prepare()
    options = CompareOptions(report, gate, tolerance or (), allow_different_data)
    try:
        outcome = compare_runs(database_url or settings.database_url, run_a, run_b, options)
    except (ValueError, LookupError) as error:
        raise _fail_cleanly(error) from error
    typer.echo(outcome.text)
    if outcome.failed:
        raise typer.Exit(1)


@eval_cli.command("gate")
def eval_gate(
    baseline: Annotated[Path, typer.Option(help="Baseline file (`trustdesk eval baseline`).")],
    dataset: Annotated[str | None, typer.Option(help="Default: the baseline's dataset.")] = None,
    prompt: Annotated[str | None, typer.Option(help="Answer prompt, e.g. answer@v2.")] = None,
    run: Annotated[
        str | None, typer.Option(help="Gate this stored run instead of running the dataset.")
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Cases answered at once.")] = 1,
    report: Annotated[Path | None, typer.Option(help="Also write an HTML report here.")] = None,
    tolerance: ToleranceOption = None,
    allow_different_data: OtherDataOption = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = False,
) -> None:
    """Run a dataset (fresh, no cache) and fail when it regresses against a committed baseline."""
    from evals.compare_commands import CompareOptions, GateOptions, gate

    settings = _prepare()
    compare = CompareOptions(report, True, tolerance or (), allow_different_data)
    options = GateOptions(baseline, dataset, prompt, run, concurrency, progress, compare)
    try:
        outcome = gate(settings, options)
    except (ValueError, LookupError, FileNotFoundError) as error:
        raise _fail_cleanly(error) from error
    typer.echo(outcome.text)
    if outcome.failed:
        raise typer.Exit(1)


@eval_cli.command("baseline")
def eval_baseline(
    run_id: Annotated[str, typer.Argument(help="A finished eval run.")],
    out: Annotated[Path, typer.Option(help="The baseline file to write.")],
    database_url: DatabaseOption = None,
) -> None:
    """Write a run's summary metrics and case verdicts as a baseline file for `eval gate`."""
    from evals.compare_commands import make_baseline

    settings = _prepare()
    command = f"trustdesk eval baseline {run_id} --out {out}"
    try:
        path = make_baseline(database_url or settings.database_url, run_id, out, command=command)
    except (ValueError, LookupError) as error:
        raise _fail_cleanly(error) from error
    typer.echo(f"baseline of run {run_id} written to {path}")


@eval_cli.command("ab")
def eval_ab(
    since: SinceOption = None,
    until: UntilOption = None,
    prompt_name: Annotated[str, typer.Option(help="Which prompt's versions.")] = "answer",
    min_samples: Annotated[
        int, typer.Option(min=1, help="Per version, else 'not enough data'.")
    ] = 30,
    database_url: DatabaseOption = None,
) -> None:
    """Live A/B of prompt versions from the turn log: feedback, thumbs up, handoff, trust."""
    from evals.ab_report import ab_report

    settings = _prepare()
    typer.echo(
        ab_report(
            database_url or settings.database_url,
            prompt_name=prompt_name,
            since=since.date() if since else None,
            until=until.date() if until else None,
            min_samples=min_samples,
        )
    )


def main() -> None:
    """Entry point of the `trustdesk` script."""
    cli()


if __name__ == "__main__":
    main()
