"""The `eval trust --data` reader: the documented format, and clear errors on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.trust.base import Aspect, Polarity
from evals.trust_data import TrustDataError, read_trust_data

POS, NEG, NEU = Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL


def _csv(tmp_path: Path, body: str, name: str = "labels.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_rows_are_grouped_per_text_with_aspects_and_text_polarity(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "text,aspect,polarity\n"
        "Parcel late and nobody answers,shipping,negative\n"
        "Parcel late and nobody answers,Customer Service,negative\n"
        "Great jacket,,positive\n"
        "Jacket great but delivery slow,item quality,positive\n"
        "Jacket great but delivery slow,shipping,negative\n"
        "How much is shipping?,shipping,neutral\n"
        "How much is shipping?,,neutral\n"
        "Refund came fast,refund process,pos\n"
        "Refund came fast,customer_service,neutral\n",
    )
    examples = {e.text: e for e in read_trust_data(path)}
    assert list(examples) == [
        "Parcel late and nobody answers",
        "Great jacket",
        "Jacket great but delivery slow",
        "How much is shipping?",
        "Refund came fast",
    ]
    late = examples["Parcel late and nobody answers"]
    assert late.aspects == {Aspect.SHIPPING: NEG, Aspect.CUSTOMER_SERVICE: NEG}
    assert late.polarity is NEG
    assert examples["Great jacket"].aspects == {}  # only an empty-aspect row: about none
    assert examples["Great jacket"].polarity is POS
    assert examples["Jacket great but delivery slow"].polarity is None  # mixed
    assert examples["How much is shipping?"].polarity is NEU
    assert examples["Refund came fast"].polarity is POS  # positive + neutral -> positive
    assert examples["Refund came fast"].source == "labels.csv"


def test_jsonl_with_null_aspects(tmp_path: Path) -> None:
    rows = [
        {"text": "where is my refund?", "aspect": "refunds", "polarity": "neutral"},
        {"text": "love it", "aspect": None, "polarity": "Positive"},
        {"text": "love it", "polarity": "positive"},  # a repeated row is fine
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    examples = read_trust_data(path)
    assert [(e.text, e.aspects, e.polarity) for e in examples] == [
        ("where is my refund?", {Aspect.REFUNDS: NEU}, NEU),
        ("love it", {}, POS),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("text,polarity\n", "no labelled rows"),
        ("sentence,aspect,polarity\nhi,,neutral\n", "lacks `text` or `polarity`"),
        ("text,aspect,polarity\nhi,delivery speed,neutral\n", "row 2: unknown aspect"),
        ("text,aspect,polarity\nhi,shipping,angry\n", "row 2: unknown polarity"),
        ("text,aspect,polarity\nhi,shipping,\n", "row 2: unknown polarity"),
        ("text,aspect,polarity\n ,shipping,neutral\n", "row 2: empty text"),
        ("text,aspect,polarity\nhi,shipping,neutral,extra\n", "more cells than the header"),
        (
            "text,aspect,polarity\nhi,shipping,neutral\nhi,shipping,negative\n",
            "row 3: 'shipping' has two polarities",
        ),
        ("text,aspect,polarity\nhi,,neutral\nhi,,negative\n", "two overall polarities"),
    ],
)
def test_malformed_csv_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TrustDataError, match=message):
        read_trust_data(_csv(tmp_path, body))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"text": "hi", "aspect": "shipping", "polarity": "neutral"\n', "line 1 is not JSON"),
        ('["hi", "shipping", "neutral"]\n', "line 1 is not a JSON object"),
        ('{"text": "hi", "aspect": "shipping"}\n', r"lacks column\(s\) \['polarity'\]"),
    ],
)
def test_malformed_jsonl_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TrustDataError, match=message):
        read_trust_data(_csv(tmp_path, body, "labels.jsonl"))


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(TrustDataError, match="no such file"):
        read_trust_data(tmp_path / "absent.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"text,aspect,polarity\n\xff\xfe\x00bad,,neutral\n")
    with pytest.raises(TrustDataError, match="not UTF-8"):
        read_trust_data(binary)
