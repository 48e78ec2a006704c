"""`trustdesk analyze qca`: read the turn log, run the QCA, render text and Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.store import make_engine
from app.store.db import is_sqlite
from app.trust.qca import QcaResult, analyse
from app.trust.qca_cases import CaseSet, TrustOutcome, load_cases
from app.trust.qca_report import render_markdown, render_text


class NothingToAnalyseError(Exception):
    """The log cannot be read, or holds no scored conversation (the message says which)."""


@dataclass(frozen=True)
class QcaAnalysis:
    """The cases read, the QCA result, and both renderings of it."""

    cases: CaseSet
    result: QcaResult
    text: str
    markdown: str


def run_qca(
    database_url: str,
    *,
    outcome: TrustOutcome = "high",
    consistency: float = 0.8,
    min_cases: int = 1,
    min_aspect_cases: int = 3,
    parsimonious: bool = False,
) -> QcaAnalysis:
    """QCA over the scored conversations of the turn log at `database_url`."""
    cases = _read_cases(database_url, outcome=outcome, min_aspect_cases=min_aspect_cases)
    if not cases.cases:
        raise NothingToAnalyseError(
            f"no conversation has been scored yet in {_safe(database_url)}: chat with trust "
            "scoring on (TRUSTDESK_TRUST__ENABLED=true), then run the analysis again"
        )
    try:
        result = analyse(
            cases.cases,
            consistency=consistency,
            min_cases=min_cases,
            outcome=cases.outcome,
            parsimonious=parsimonious,
        )
    except ValueError as error:
        raise NothingToAnalyseError(f"cannot run the QCA: {error}") from error
    header = cases.describe()
    return QcaAnalysis(
        cases=cases,
        result=result,
        text=render_text(result, header=header),
        markdown=render_markdown(result, header=header),
    )


def _read_cases(database_url: str, *, outcome: TrustOutcome, min_aspect_cases: int) -> CaseSet:
    if is_sqlite(database_url) and not _sqlite_file_exists(database_url):
        raise NothingToAnalyseError(
            f"no turn log at {_safe(database_url)}: nothing has been logged"
        )
    engine = make_engine(database_url)
    try:
        if not inspect(engine).has_table("conversations"):
            raise NothingToAnalyseError(f"{_safe(database_url)} holds no turn log (no tables yet)")
        return load_cases(engine, outcome=outcome, min_aspect_cases=min_aspect_cases)
    except SQLAlchemyError as error:
        raise NothingToAnalyseError(
            f"could not read the turn log at {_safe(database_url)} ({type(error).__name__}); "
            "start the app once so it upgrades the schema"
        ) from error
    finally:
        engine.dispose()


def _sqlite_file_exists(database_url: str) -> bool:
    database = make_url(database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return True
    return Path(database).expanduser().is_file()


def _safe(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)
