"""`trustdesk export finetune`: reviewed turns to train/validation JSONL and a dataset card."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.prompts import Prompt
from app.review.card import dataset_card
from app.review.finetune import (
    Example,
    ExampleBuilder,
    PiiFinder,
    deduplicate,
    split,
    write_jsonl,
)
from app.review.reviewed import select_reviewed


@dataclass(frozen=True)
class FinetuneOptions:
    """What to export and how to split it."""

    since: date | None = None
    until: date | None = None
    validation_share: float = 0.1
    seed: str = "trustdesk"
    corrected_need_good_rating: bool = False


@dataclass
class FinetuneResult:
    """What was written, and the counts the dataset card reports."""

    out_dir: Path
    options: FinetuneOptions
    source: str  # the database, without credentials
    shop_name: str
    train: list[Example] = field(default_factory=list)
    validation: list[Example] = field(default_factory=list)
    considered: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    pii: Counter[str] = field(default_factory=Counter)
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def examples(self) -> list[Example]:
        """Train and validation together."""
        return [*self.train, *self.validation]


def export_finetune(
    engine: Engine,
    *,
    out_dir: Path,
    prompts: Callable[[str], Prompt],
    shop_name: str,
    find_pii: PiiFinder,
    source: str,
    options: FinetuneOptions | None = None,
) -> FinetuneResult:
    """Select, build, clean, deduplicate and split the examples; write them and their card."""
    options = options or FinetuneOptions()
    with Session(engine) as session:
        selection = select_reviewed(
            session,
            since=options.since,
            until=options.until,
            corrected_need_good_rating=options.corrected_need_good_rating,
        )
    builder = ExampleBuilder(prompts, shop_name=shop_name, find_pii=find_pii)
    built = [example for item in selection.taken if (example := builder.build(item)) is not None]
    kept, duplicates = deduplicate(built)
    train, validation = split(kept, validation_share=options.validation_share, seed=options.seed)
    result = FinetuneResult(
        out_dir=out_dir,
        options=options,
        source=source,
        shop_name=shop_name,
        train=train,
        validation=validation,
        considered=len(selection.taken) + sum(selection.left_out.values()),
        left_out=selection.left_out + builder.report.skipped,
        duplicates=duplicates,
        pii=builder.report.pii,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    write_jsonl(out_dir / "train.jsonl", train)
    write_jsonl(out_dir / "validation.jsonl", validation)
    (out_dir / "README.md").write_text(dataset_card(result), encoding="utf-8")
    return result
