"""`trustdesk analyze qca` on a real SQLite turn log whose trust follows a known aspect rule."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.store import make_engine, upgrade_database
from app.trust.base import Aspect
from app.trust.qca_cases import load_cases
from tests.integration.trust_qca.seed import GOOD, HIGH, LOW, conversations, seed, unscored

HIGH_RULE = "shipping_good AND refunds_good OR customer_service_good -> high trust"
LOW_RULE = (
    "~shipping_good AND ~customer_service_good OR ~refunds_good AND ~customer_service_good"
    " -> low trust"
)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite turn log with 16 scored conversations and one unscored one."""
    url = f"sqlite:///{tmp_path_factory.mktemp('qca') / 'turns.db'}"
    seed(url, conversations())
    unscored(url)
    return url


def _qca(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["analyze", "qca", *args])
    return result.exit_code, result.output


def test_the_printed_solution_is_the_rule_the_log_follows(database_url: str) -> None:
    code, output = _qca("--database-url", database_url, "--parsimonious")
    assert code == 0, output
    assert "cases: 16 conversation(s) with scored turns; high trust" in output
    assert "conditions: shipping_good, refunds_good, customer_service_good, answered" in output
    assert "left out: pricing_good: pricing raised in 1 conversation(s), fewer than 3" in output
    assert "Truth table for high trust: 16 configuration(s) of 16 case(s)" in output
    assert output.count(f"M1: {HIGH_RULE}") == 2  # complex and parsimonious agree
    assert "M2:" not in output
    assert "solution consistency 1.00, coverage 1.00" in output
    assert "Traceback" not in output


def test_low_trust_is_explained_by_the_complement_of_the_rule(database_url: str) -> None:
    code, output = _qca("--database-url", database_url, "--outcome", "low")
    assert code == 0, output
    assert f"M1: {LOW_RULE}" in output
    assert "conversation trust < 0.4" in output


def test_frequency_threshold_above_every_row_leaves_nothing_sufficient(database_url: str) -> None:
    code, output = _qca("--database-url", database_url, "--min-cases", "2")
    assert code == 0, output
    assert "no configuration is sufficient for high trust" in output


def test_raising_min_aspect_cases_drops_rare_aspects_and_says_so(database_url: str) -> None:
    raised = Counter(a.value for c in conversations() for a, said in c.aspects.items() if said)
    assert raised["shipping"] == raised["refunds"] == 14  # seeded: two conversations lack each
    code, output = _qca("--database-url", database_url, "--min-aspect-cases", "15")
    assert code == 0, output
    assert "conditions: customer_service_good, answered" in output
    assert "left out: shipping_good: shipping raised in 14 conversation(s), fewer than 15" in output
    assert "left out: refunds_good: refunds raised in 14 conversation(s), fewer than 15" in output


def test_report_writes_markdown(database_url: str, tmp_path: Path) -> None:
    report = tmp_path / "reports" / "qca.md"
    code, output = _qca("--database-url", database_url, "--report", str(report))
    assert code == 0, output
    markdown = report.read_text(encoding="utf-8")
    assert markdown.startswith("# QCA: which aspects lead to trust")
    assert f"**M1: `{HIGH_RULE}`**" in markdown
    assert "| shipping_good | refunds_good | customer_service_good | answered |" in markdown


def test_configured_database_is_read_when_no_url_is_given(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTDESK_STORE__DATABASE_URL", database_url)
    code, output = _qca()
    assert code == 0, output
    assert f"M1: {HIGH_RULE}" in output


def test_a_log_without_scored_conversations_gets_a_clear_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade_database(url)
    unscored(url)
    code, output = _qca("--database-url", url)
    assert code == 1
    assert "no conversation has been scored yet" in output
    assert "Traceback" not in output


def test_a_missing_log_gets_a_clear_message(tmp_path: Path) -> None:
    code, output = _qca("--database-url", f"sqlite:///{tmp_path / 'absent' / 'turns.db'}")
    assert code == 1
    assert "no turn log at" in output
    assert not (tmp_path / "absent").exists()


def test_cases_read_from_the_log_match_what_was_seeded(tmp_path: Path) -> None:
    seeded = conversations()
    medium = replace(seeded[-1], conversation_id="medium", trust=0.5)
    url = f"sqlite:///{tmp_path / 'turns.db'}"
    seed(url, [*seeded, medium])
    engine = make_engine(url)
    high = {case.case_id: case for case in load_cases(engine, min_aspect_cases=1).cases}
    low = {case.case_id: case for case in load_cases(engine, outcome="low").cases}
    engine.dispose()
    for item in seeded:
        expected = {f"{a.value}_good": int(p in GOOD) for a, p in item.aspects.items()}
        expected["answered"] = int(item.answered)
        conditions = dict(high[item.conversation_id].conditions)
        assert conditions.pop("pricing_good") == int(Aspect.PRICING in item.aspects)
        assert conditions == {k: v for k, v in expected.items() if k != "pricing_good"}
        assert high[item.conversation_id].outcome == int(item.trust == HIGH)
        assert low[item.conversation_id].outcome == int(item.trust == LOW)
    assert (high["medium"].outcome, low["medium"].outcome) == (0, 0)  # medium is neither


def test_a_database_without_the_turn_log_tables_gets_a_clear_message(tmp_path: Path) -> None:
    empty = tmp_path / "other.db"
    sqlite3.connect(empty).close()
    code, output = _qca("--database-url", f"sqlite:///{empty}")
    assert code == 1
    assert "holds no turn log" in output
    assert "Traceback" not in output
