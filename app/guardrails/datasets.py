"""Readers for the guards' dev data and for any labelled CSV/JSONL file (`--data`).

Generic format (what `trustdesk eval guards --data FILE` reads): a CSV file with a header row,
or a JSON Lines file with one object per line, holding a `text` column and a `label` column.
Labels are normalised to "is a violation" booleans: 1/0, true/false, yes/no, jailbreak/benign,
injection, unsafe/safe, toxic, abusive, offensive, hate/hateful/neither, off_topic/on_topic...
(`normalise_label` lists them all). Other column names can be given (`text_column=`,
`label_column=`), e.g. `prompt`/`type` for the jailbreak dev file.

Held-out rows are chosen by a hash of the text (`is_heldout`), so training and evaluation agree
on the split without sharing any state, whatever the row order.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

JAILBREAK_FILE = "jailbreak_train.csv"
BITEXT_FILE = "bitext_customer_support.csv"
DAVIDSON_FILE = "davidson_toxicity.csv"
AMAZON_FILE = "amazon_cells_labelled.txt"
TAU_FILE = "tau_retail_dialogues.jsonl"

# Davidson et al. classes.
HATE, OFFENSIVE, NEITHER = 0, 1, 2

POSITIVE_LABELS = frozenset(
    {
        "1",
        "1.0",
        "true",
        "yes",
        "y",
        "jailbreak",
        "injection",
        "prompt_injection",
        "malicious",
        "attack",
        "unsafe",
        "harmful",
        "toxic",
        "abusive",
        "abuse",
        "offensive",
        "hate",
        "hateful",
        "hate_speech",
        "off_topic",
        "off-topic",
        "offtopic",
        "out_of_domain",
        "ood",
        "flagged",
        "violation",
    }
)
NEGATIVE_LABELS = frozenset(
    {
        "0",
        "0.0",
        "false",
        "no",
        "n",
        "benign",
        "safe",
        "clean",
        "legit",
        "legitimate",
        "normal",
        "neither",
        "none",
        "non-toxic",
        "non_toxic",
        "nontoxic",
        "not_toxic",
        "on_topic",
        "on-topic",
        "ontopic",
        "in_domain",
        "ok",
        "pass",
    }
)


@dataclass(frozen=True)
class LabelledText:
    """One example: a text and whether it is a violation (jailbreak, abuse, off-topic...)."""

    text: str
    label: bool


@dataclass(frozen=True)
class Tweet:
    """One Davidson et al. tweet, cleaned of Twitter markup, with its class (0, 1 or 2)."""

    text: str
    klass: int


def normalise_label(value: object) -> bool:
    """True for a violation label, False for a benign one; ValueError when unknown."""
    if value is None:
        raise ValueError("missing label")
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueError(f"numeric label must be 0 or 1, got {value!r}")
    key = re.sub(r"[\s]+", "_", str(value).strip().lower())
    if key in POSITIVE_LABELS:
        return True
    if key in NEGATIVE_LABELS:
        return False
    raise ValueError(f"unknown label {value!r} (expected e.g. 1/0, true/false, jailbreak/benign)")


def is_heldout(text: str, percent: int) -> bool:
    """Whether `text` belongs to the held-out `percent` of its data set (stable text hash)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent


def split_heldout(texts: Sequence[str], percent: int) -> tuple[list[int], list[int]]:
    """Indices of the training rows and of the held-out rows of `texts`."""
    train: list[int] = []
    test: list[int] = []
    for index, text in enumerate(texts):
        (test if is_heldout(text, percent) else train).append(index)
    return train, test


def read_labelled(
    path: Path, *, text_column: str = "text", label_column: str = "label"
) -> list[LabelledText]:
    """Examples of a CSV (header row) or JSONL file with a text and a label column."""
    rows: Iterator[Mapping[str, object]] = (
        _read_jsonl(path) if path.suffix.lower() in (".jsonl", ".ndjson") else _read_csv(path)
    )
    examples: list[LabelledText] = []
    for number, row in enumerate(rows, start=1):
        if text_column not in row or label_column not in row:
            raise ValueError(f"{path}: row {number} lacks {text_column!r} or {label_column!r}")
        try:
            label = normalise_label(row[label_column])
        except ValueError as error:
            raise ValueError(f"{path}: row {number}: {error}") from error
        examples.append(LabelledText(str(row[text_column] or ""), label))
    return examples


def read_jailbreak(path: Path) -> list[LabelledText]:
    """The jailbreak dev file (columns `prompt`, `type` = jailbreak/benign)."""
    return read_labelled(path, text_column="prompt", label_column="type")


def read_bitext_requests(path: Path) -> list[str]:
    """Distinct shopper requests (column `instruction`) of the Bitext customer-support set."""
    return _distinct(row["instruction"] for row in _read_csv(path))


def read_davidson(path: Path) -> list[Tweet]:
    """Davidson et al. tweets (columns `tweet`, `class`), cleaned, duplicates dropped."""
    seen: set[str] = set()
    tweets: list[Tweet] = []
    for row in _read_csv(path):
        text = clean_tweet(str(row["tweet"]))
        if text and text not in seen:
            seen.add(text)
            tweets.append(Tweet(text, int(row["class"])))
    return tweets


def read_amazon_reviews(path: Path) -> list[str]:
    """Review sentences of the UCI Amazon file (tab-separated `sentence<TAB>0|1`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return _distinct(line.rsplit("\t", 1)[0] for line in lines if "\t" in line)


def read_tau_user_turns(path: Path) -> list[str]:
    """What the customers said in the tau-bench retail dialogues (`messages_display`)."""
    turns: list[str] = []
    for row in _read_jsonl(path):
        display = str(row.get("messages_display", ""))
        for part in re.split(r"\n(?=(?:user|assistant|tool): )", display):
            if part.startswith("user: "):
                turns.append(part.removeprefix("user: ").strip())
    return _distinct(turns)


_MENTION = re.compile(r"@\w+:?")
_URL = re.compile(r"https?://\S+")
_RETWEET = re.compile(r"\bRT\b")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]|&#\d+;?")


def clean_tweet(text: str) -> str:
    """A tweet without retweet markers, mentions, links and HTML entities."""
    text = _PRIVATE_USE.sub(" ", html.unescape(text))
    text = _URL.sub(" ", _MENTION.sub(" ", _RETWEET.sub(" ", text)))
    return re.sub(r"\s+", " ", text).strip(" \"'!:")


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    # Jailbreak prompts run to tens of kilobytes, past csv's default field limit.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"{path}: line {number} is not a JSON object")
            yield row


def _distinct(texts: Iterator[str] | Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for raw in texts:
        text = raw.strip()
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out
