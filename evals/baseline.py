"""Baseline files: a run's summary metrics and per-case verdicts, committed for the CI gate.

CI starts with an empty database, so the gate compares a fresh run with a file instead of a
stored run. The file holds only numbers derived from our own run (metrics, counts, pass/fail
per case id) and the fingerprints that say what produced them, never questions or answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.store.models import EvalRun
from evals.compare import CaseOutcome, Side

FORMAT = 1


def baseline_data(run: EvalRun, side: Side, *, command: str) -> dict[str, Any]:
    """The JSON a baseline file holds for a finished run."""
    return {
        "format": FORMAT,
        "about": "summary metrics of one eval run, for `trustdesk eval gate` (derived numbers)",
        "command": command,
        "run_id": run.id,
        "dataset": run.dataset,
        "dataset_sha256": run.dataset_sha256,
        "prompt_ref": run.prompt_ref,
        "prompt_sha256": run.prompt_sha256,
        "backend": run.backend,
        "model": run.model,
        "settings_sha256": run.settings_sha256,
        "knowledge_sha256": run.knowledge_sha256,
        "metrics": dict(side.metrics),
        "n": dict(side.n),
        "cases": {case_id: outcome.passed for case_id, outcome in sorted(side.cases.items())},
    }


def write_baseline(path: Path, data: dict[str, Any]) -> None:
    """Write a baseline file (stable key order, so a re-run shows a readable diff)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_baseline(path: Path) -> Side:
    """A baseline file as the A side of a comparison (ValueError naming what is wrong)."""
    if not path.is_file():
        raise FileNotFoundError(f"baseline {path} not found (`trustdesk eval baseline RUN_ID`)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        return Side(
            label=str(path),
            dataset=str(data["dataset"]),
            dataset_sha256=str(data["dataset_sha256"]),
            prompt_ref=str(data["prompt_ref"]),
            prompt_sha256=str(data["prompt_sha256"]),
            backend=str(data["backend"]),
            model=str(data["model"]),
            metrics={str(k): _number(v) for k, v in data["metrics"].items()},
            n={str(k): int(v) for k, v in data["n"].items()},
            cases={str(k): CaseOutcome(passed=bool(v)) for k, v in data["cases"].items()},
        )
    except KeyError as error:
        raise ValueError(f"baseline {path} is not a baseline file: no {error} in it") from error
    except (ValueError, TypeError, AttributeError) as error:
        raise ValueError(f"baseline {path} is not a baseline file: {error}") from error


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
