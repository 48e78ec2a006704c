"""The eval datasets, built from the real store and dev data: sizes, provenance, checkable facts."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from app.guardrails.datasets import is_heldout
from app.guardrails.training_corpus import HELDOUT_PERCENT
from evals.cases import EvalCase, file_sha256, read_cases
from evals.datasets_build.build import MANIFEST, BuiltDataset, build_all
from evals.datasets_build.common import flat
from rag.schema import PRICE, PRICE_MAX, SOURCE_ID
from rag.store import load_store
from tests.integration.evals.conftest import STORE
from tests.support import dev_data_dir


@pytest.fixture(scope="module")
def store_qa(datasets: dict[str, BuiltDataset]) -> list[EvalCase]:
    """The store_qa cases as written."""
    return read_cases(datasets["store_qa"].path)


@pytest.fixture(scope="module")
def sources() -> dict[str, list[dict[str, object]]]:
    """Every chunk of the store (text and metadata) by source id, as ingest loads it."""
    by_source: defaultdict[str, list[dict[str, object]]] = defaultdict(list)
    for doc in load_store(STORE):
        by_source[str(doc.metadata[SOURCE_ID])].append({**doc.metadata, "text": doc.page_content})
    return by_source


def test_store_qa_has_a_few_hundred_cases_of_every_kind(store_qa: list[EvalCase]) -> None:
    kinds = Counter(".".join(case.id.split(".")[1:3]) for case in store_qa)
    assert 300 <= len(store_qa) <= 500
    for kind in ("price.luma", "price.dummyjson", "price.retail", "sizes.luma", "colours.luma"):
        assert kinds[kind] >= 20, kind
    for kind in ("warranty.dummyjson", "returns.dummyjson", "stock.dummyjson"):
        assert kinds[kind] >= 20, kind
    assert sum(n for k, n in kinds.items() if k.startswith("shipping.")) >= 30
    assert sum(n for k, n in kinds.items() if k.startswith("policy.")) >= 15
    assert all(case.expected.facts and case.expected.sources for case in store_qa)


def test_every_expected_fact_is_written_in_its_expected_source(
    store_qa: list[EvalCase], sources: dict[str, list[dict[str, object]]]
) -> None:
    for case in store_qa:
        (source,) = case.expected.sources
        assert source in sources, case.id
        text = flat(" ".join(str(chunk["text"]) for chunk in sources[source]))
        for fact in case.expected.facts:
            assert flat(fact.text) in text, (case.id, fact.text)


def test_expected_prices_are_the_catalogue_prices(
    store_qa: list[EvalCase], sources: dict[str, list[dict[str, object]]]
) -> None:
    prices = [case for case in store_qa if case.id.startswith("store_qa.price.")]
    for case in prices:
        chunk = sources[case.expected.sources[0]][0]
        values = {fact.value for fact in case.expected.facts}
        assert values == {chunk[PRICE], chunk[PRICE_MAX]}, case.id


def test_shipping_charges_follow_the_rate_table_at_its_boundaries(
    store_qa: list[EvalCase],
) -> None:
    by_id = {case.id: case for case in store_qa}
    charge = {
        key: by_id[f"store_qa.shipping.{key}"].expected.facts[0].value
        for key in (
            "standard.200.00",
            "standard.200.01",
            "overnight.500.00",
            "overnight.1000.01",
        )
    }
    assert charge == {
        "standard.200.00": 16.0,  # "up to $200"
        "standard.200.01": 21.0,  # "$200.01—500.00"
        "overnight.500.00": 38.0,
        "overnight.1000.01": 51.0,  # "over $1000.00"
    }


def test_smoke_is_about_25_store_qa_cases_of_every_kind(
    datasets: dict[str, BuiltDataset], store_qa: list[EvalCase]
) -> None:
    smoke = read_cases(datasets["smoke"].path)
    assert 20 <= len(smoke) <= 30
    assert {case.id for case in smoke} <= {case.id for case in store_qa}
    assert len({".".join(case.id.split(".")[1:3]) for case in smoke}) >= 10


def test_shopper_requests_are_held_out_bitext_requests_that_must_pass(
    datasets: dict[str, BuiltDataset],
) -> None:
    cases = read_cases(datasets["shopper_requests"].path)
    assert len(cases) >= 500
    assert all(case.expected.blocked is False for case in cases)
    assert all(is_heldout(case.input, HELDOUT_PERCENT) for case in cases)
    assert len({case.expected.labels["intent"] for case in cases}) == 27
    aspects = Counter(case.expected.aspect for case in cases)
    assert aspects["shipping"] > 50 and aspects["refunds"] > 50 and aspects[None] > 200


def test_multi_turn_scenarios_need_a_model_and_order_tools(
    datasets: dict[str, BuiltDataset],
) -> None:
    cases = read_cases(datasets["multi_turn"].path)
    assert len(cases) == 74 + 69
    assert all(case.needs == ("llm", "order_tools") for case in cases)
    dialogues = [case for case in cases if case.turns]
    assert len(dialogues) == 69 and all(len(case.turns) >= 2 for case in dialogues)


def test_building_again_gives_identical_files_and_a_truthful_manifest(
    datasets: dict[str, BuiltDataset], tmp_path: Path
) -> None:
    again = {item.name: item for item in build_all(STORE, dev_data_dir(), tmp_path)}
    assert {n: d.sha256 for n, d in again.items()} == {n: d.sha256 for n, d in datasets.items()}
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    for name, item in again.items():
        assert manifest[name]["sha256"] == file_sha256(item.path)
        assert manifest[name]["cases"] == item.cases
