"""Build every eval dataset into a folder: store_qa, smoke, shopper_requests, multi_turn.

Deterministic: the same store and dev files give byte-identical JSONL files. `manifest.json`
beside them records each dataset's case count and sha256 and the sha256 of every input file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evals.cases import EvalCase, file_sha256, write_cases
from evals.datasets_build import catalogue, policies, shopper
from evals.datasets_build.common import SourceTexts, stable_sample
from rag.store import load_store

MANIFEST = "manifest.json"
# Smoke: a couple of cases of every kind of store question (about 25 in all).
SMOKE_PER_GROUP = {"shipping": 3, "policy": 3}
SMOKE_DEFAULT = 2


@dataclass(frozen=True)
class BuiltDataset:
    """One written dataset: its name, file, case count, sha256 and the files it came from."""

    name: str
    path: Path
    cases: int
    sha256: str
    inputs: tuple[Path, ...]


def store_qa_cases(store_dir: Path) -> list[EvalCase]:
    """Every store question, each checked: its facts are written in its expected source."""
    sources = SourceTexts.from_documents(load_store(store_dir))
    cases = [
        *catalogue.luma_cases(store_dir / catalogue.LUMA_FILE, sources),
        *catalogue.dummyjson_cases(store_dir / catalogue.DUMMYJSON_FILE, sources),
        *catalogue.retail_cases(store_dir / catalogue.RETAIL_FILE, sources),
        *policies.shipping_cases(sources),
        *policies.policy_cases(sources),
    ]
    for case in cases:
        sources.check(case)
    smoke = {case.id for case in smoke_cases(cases)}
    return [
        case.model_copy(update={"tags": (*case.tags, "smoke")}) if case.id in smoke else case
        for case in cases
    ]


def smoke_group(case: EvalCase) -> str:
    """The kind of question a case asks (catalogue kind and shop, shipping, or policy)."""
    if "policy" in case.tags:
        return "shipping" if "shipping" in case.tags else "policy"
    return ".".join(case.tags[:2])


def smoke_cases(cases: Sequence[EvalCase]) -> list[EvalCase]:
    """A few cases of every group, chosen by a stable hash, in dataset order."""
    groups: defaultdict[str, list[EvalCase]] = defaultdict(list)
    for case in cases:
        groups[smoke_group(case)].append(case)
    chosen = {
        case.id
        for group, members in groups.items()
        for case in stable_sample(
            members, lambda c: c.id, SMOKE_PER_GROUP.get(group, SMOKE_DEFAULT), "smoke"
        )
    }
    return [case for case in cases if case.id in chosen]


def build_all(store_dir: Path, dev_dir: Path, out_dir: Path) -> list[BuiltDataset]:
    """Write every dataset and the manifest into `out_dir`."""
    names = (catalogue.LUMA_FILE, catalogue.DUMMYJSON_FILE, catalogue.RETAIL_FILE, policies.PAGES)
    store_files = tuple(store_dir / name for name in names)
    store_qa = store_qa_cases(store_dir)
    plans: list[tuple[str, Callable[[], list[EvalCase]], tuple[Path, ...]]] = [
        ("store_qa", lambda: store_qa, store_files),
        ("smoke", lambda: [c for c in store_qa if "smoke" in c.tags], store_files),
        (
            "shopper_requests",
            lambda: shopper.shopper_request_cases(dev_dir),
            (dev_dir / shopper.BITEXT_FILE,),
        ),
        (
            "multi_turn",
            lambda: shopper.multi_turn_cases(dev_dir),
            (dev_dir / shopper.TASKS_FILE, dev_dir / shopper.DIALOGUES_FILE),
        ),
    ]
    built = []
    for name, make, inputs in plans:
        cases = make()
        path = out_dir / f"{name}.jsonl"
        built.append(BuiltDataset(name, path, len(cases), write_cases(path, cases), inputs))
    write_manifest(out_dir / MANIFEST, built)
    return built


def write_manifest(path: Path, built: Sequence[BuiltDataset]) -> None:
    """Record every dataset's count and sha256, and the sha256 of the files it was built from."""
    manifest = {
        item.name: {
            "file": item.path.name,
            "cases": item.cases,
            "sha256": item.sha256,
            "built_from": {p.name: file_sha256(p) for p in item.inputs},
        }
        for item in built
    }
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
