"""Exports as downloads: the same files the CLI writes, built in a temporary folder."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from app.review.export_finetune import FinetuneOptions, export_finetune
from app.review.export_transcripts import Format, export_transcripts
from app.review.finetune import PiiFinder
from app.review.web import ExportSources

MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def transcripts_file(engine: Engine, fmt: Format) -> bytes:
    """All transcripts as JSONL or CSV."""
    with tempfile.TemporaryDirectory(prefix="trustdesk-export-") as folder:
        path = Path(folder) / f"transcripts.{fmt}"
        export_transcripts(engine, path, fmt=fmt)
        return path.read_bytes()


def finetune_zip(
    engine: Engine,
    sources: ExportSources,
    *,
    find_pii: PiiFinder,
    since: date | None,
    until: date | None,
) -> bytes:
    """train.jsonl, validation.jsonl and README.md (the dataset card) in one zip."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="trustdesk-export-") as folder:
        out = Path(folder) / "finetune"
        export_finetune(
            engine,
            out_dir=out,
            prompts=sources.prompts,
            shop_name=sources.shop_name,
            find_pii=find_pii,
            source=sources.database_label,
            options=FinetuneOptions(since=since, until=until),
        )
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("train.jsonl", "validation.jsonl", "README.md"):
                archive.write(out / name, arcname=f"finetune/{name}")
    return buffer.getvalue()
