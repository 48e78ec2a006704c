"""What `trustdesk export ...` runs: open the turn log, export, and say what was written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import Settings
from app.review.export_finetune import FinetuneOptions, FinetuneResult, export_finetune
from app.review.export_transcripts import Format, export_transcripts
from app.store import make_engine, upgrade_database


def run_finetune_export(
    settings: Settings,
    *,
    out: Path,
    options: FinetuneOptions,
    database_url: str | None = None,
) -> FinetuneResult:
    """Export the reviewed turns of the configured (or given) turn log to `out`."""
    from app.guardrails.pii import PiiDetector
    from app.prompts import PromptRegistry

    url = database_url or settings.database_url
    upgrade_database(url)
    engine = make_engine(url)
    try:
        return export_finetune(
            engine,
            out_dir=out,
            prompts=PromptRegistry.load(settings.prompts.dir).get,
            shop_name=settings.shop_name,
            find_pii=PiiDetector().find,
            source=make_url(url).render_as_string(hide_password=True),
            options=options,
        )
    finally:
        engine.dispose()


def finetune_summary(result: FinetuneResult) -> str:
    """Lines for the terminal: what was written and what was left out."""
    left_out = ", ".join(f"{reason}: {n}" for reason, n in sorted(result.left_out.items()))
    return "\n".join(
        [
            f"train {len(result.train)} · validation {len(result.validation)} · "
            f"duplicates dropped {result.duplicates} · PII spans removed "
            f"{sum(result.pii.values())}",
            f"left out: {left_out or 'nothing'}",
            f"written to {result.out_dir}/ (train.jsonl, validation.jsonl, README.md)",
        ]
    )


def run_transcripts_export(
    settings: Settings,
    *,
    out: Path,
    fmt: Format,
    since: date | None = None,
    until: date | None = None,
    database_url: str | None = None,
) -> int:
    """Export conversations with labels and trust to `out`; returns how many."""
    url = database_url or settings.database_url
    upgrade_database(url)
    engine = make_engine(url)
    try:
        return export_transcripts(engine, out, fmt=fmt, since=since, until=until)
    finally:
        engine.dispose()
