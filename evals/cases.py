"""Eval datasets: JSON Lines files of cases (question, expected facts and sources, tags, needs).

One case per line. A dataset is named after its file (`evals/datasets/<name>.jsonl`) and
identified in every run by the sha256 of the file's bytes, so a run can always say exactly which
questions and expectations it was scored against.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DATASETS_DIR = Path("evals/datasets")
FactKind = Literal["money", "quantity", "text"]
# What a case may need beyond retrieval and the extractive backend; the runner skips the rest.
Need = Literal["llm", "order_tools"]


class Fact(BaseModel):
    """One fact an answer must state: a money amount, a number with a unit, or a phrase."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: FactKind
    text: str  # exactly as the source writes it (the builders check it is there)
    value: float | None = None  # money: the amount; quantity: the number
    unit: str | None = None  # quantity only, singular: "day", "week", "unit", "variant"

    @field_validator("unit")
    @classmethod
    def _singular(cls, unit: str | None) -> str | None:
        return unit.lower().removesuffix("s") if unit else unit


class Expected(BaseModel):
    """What a correct turn looks like; fields a dataset does not use stay empty."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facts: tuple[Fact, ...] = ()
    sources: tuple[str, ...] = ()  # source ids as stored in chunk metadata (`source_id`)
    blocked: bool | None = None  # False: no input guard may stop this message
    aspect: str | None = None  # the trust aspect the message is about, when one fits
    labels: dict[str, str] = Field(default_factory=dict)  # e.g. Bitext intent and category
    actions: tuple[str, ...] = ()  # tool calls an agent should make (multi-turn scenarios)
    communicate: tuple[str, ...] = ()  # values the agent must tell the customer


class EvalCase(BaseModel):
    """One eval case: what the shopper says (one message, or several in order) and expectations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    input: str
    turns: tuple[str, ...] = ()  # multi-turn: every shopper message in order (input is the first)
    expected: Expected = Field(default_factory=Expected)
    tags: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()
    origin: dict[str, str] = Field(default_factory=dict)  # source file and row/key it came from

    @property
    def messages(self) -> tuple[str, ...]:
        """The shopper's messages in order."""
        return self.turns or (self.input,)


def dataset_path(name_or_path: str, datasets_dir: Path = DATASETS_DIR) -> Path:
    """The file of a dataset given by name (`store_qa`) or by path (`my/cases.jsonl`)."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".jsonl" or candidate.is_file():
        return candidate
    return datasets_dir / f"{name_or_path}.jsonl"


def dataset_name(path: Path) -> str:
    """The name a dataset file is known by in runs (its file name without `.jsonl`)."""
    return path.name.removesuffix(".jsonl")


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_cases(path: Path) -> list[EvalCase]:
    """The cases of a JSONL dataset, refusing duplicate ids and naming the bad line."""
    if not path.is_file():
        raise FileNotFoundError(f"dataset {path} not found: run `make eval-data`")
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = EvalCase.model_validate_json(line)
        except ValueError as error:
            raise ValueError(f"{path}:{number}: {error}") from error
        if case.id in seen:
            raise ValueError(f"{path}:{number}: duplicate case id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return cases


def case_line(case: EvalCase) -> str:
    """A case as one stable JSON line (sorted keys, defaults left out)."""
    data = case.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def write_cases(path: Path, cases: Iterable[EvalCase]) -> str:
    """Write a JSONL dataset (byte-identical for the same cases); returns its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(case_line(case) + "\n" for case in cases), encoding="utf-8")
    return file_sha256(path)


def unmet_needs(case: EvalCase, available: Sequence[str]) -> tuple[str, ...]:
    """What a case needs that this run cannot provide."""
    return tuple(need for need in case.needs if need not in available)
