"""Fetch the guards' dev data: copy it from a shared folder or rebuild it from its public sources.

Sources, commits and the split rule are those of shared/data/SOURCES.md. Three files are the
upstream files unchanged (sha256-checked). Three keep the upstream rows whose
sha1(lower(stripped text)) mod 10 is below 7 (the other 30 % are held back for independent
evaluation), and `retail_tasks_train.json` keeps the tasks that tau2-bench's `split_tasks.json`
puts in its train split. A rebuilt file is written the way the shared copy was (the csv
module's defaults; JSON with indent 1) and must match a content fingerprint pinned here:
the sha256 of its sorted, normalised rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from rag.demo_data import DemoDataError, download, fetch_args, http_client, sha256_of

logger = logging.getLogger(__name__)

GITHUB_URL = "https://github.com"  # github.com/<repo>/raw/<commit>/<path> resolves short hashes
KEEP_BELOW = 7  # of 10 hash buckets: the 70 % split of SOURCES.md


class DevDataError(DemoDataError):
    """A dev-data file could not be fetched, or its content did not match the pinned one."""


@dataclass(frozen=True)
class Table:
    """The rows of a CSV file (lists, under `columns`) or of a JSON list (objects)."""

    columns: tuple[str, ...] | None  # None: a JSON list
    rows: list[Any]

    def text(self, row: Any, field: str) -> str:
        """The value of `field` in `row`."""
        if self.columns is None:
            return str(row[field])
        return str(row[self.columns.index(field)])


@dataclass(frozen=True)
class HashSplit:
    """Keep the rows whose `field` falls in the first 7 of 10 hash buckets."""

    field: str
    upstream_rows: int  # rows of the upstream file, as SOURCES.md documents them


@dataclass(frozen=True)
class IdSplit:
    """Keep the rows whose `id` is in the `part` list of a split file of the same commit."""

    split_path: str
    part: str = "train"


@dataclass(frozen=True)
class DevFile:
    """One dev-data file, pinned to a commit of its public repository."""

    name: str
    repo: str
    path: str
    commit: str
    fingerprint: str  # sha256 of the file (unsplit) or of its normalised rows (split)
    rows: int  # rows in the finished file
    split: HashSplit | IdSplit | None = None  # None: the upstream file unchanged

    @property
    def is_csv(self) -> bool:
        """Whether the file is a CSV file (else a JSON list, or read as bytes only)."""
        return self.name.endswith(".csv")

    def url(self, base_url: str = GITHUB_URL, path: str | None = None) -> str:
        """URL of `path` (default: this file's) at the pinned commit."""
        return f"{base_url.rstrip('/')}/{self.repo}/raw/{self.commit}/{path or self.path}"


_TAU2 = ("sierra-research/tau2-bench", "a2c0247")

DEV_FILES: tuple[DevFile, ...] = (
    DevFile(
        "bitext_customer_support.csv",
        "bitext/customer-support-llm-chatbot-training-dataset",
        "data/train/Bitext_Sample_Customer_Support_Training_Dataset.csv",
        "8b6ca3d",
        "db2a63a296e4d15486f519865432c85ff554d8825f7849746ba8788a6ea6a1ec",
        3129,
        HashSplit("instruction", 4514),
    ),
    DevFile(
        "jailbreak_train.csv",
        "jackhhao/llm-warden",
        "datasets/balanced/jailbreak_dataset_train_balanced.csv",
        "7bfdc5a",
        "e0c1460d229dc5d9162d5393a4e5e42382e862d04f400354bd4123b7d5257fff",
        1044,
    ),
    DevFile(
        "davidson_toxicity.csv",
        "t-davidson/hate-speech-and-offensive-language",
        "data/labeled_data.csv",
        "cb50f7e",
        "fb4f2553ed8580c0df84f8ec06fa6fd982230b1fd35b10e103c084c1b95fd243",
        17259,
        HashSplit("tweet", 24783),
    ),
    DevFile(
        "amazon_cells_labelled.txt",
        "rushabh7cr/Sentiment-Classifier-using-naive-bayes",
        "amazon_cells_labelled.txt",
        "60b3211cf920faf6ee7e6c68114b3c272cfa4421",
        "49df8059de0eb9c2c13253f9d33a579bc56efc0f620dde2f6be1ec74c59893cb",
        1000,
    ),
    DevFile(
        "tau_retail_dialogues.jsonl",
        "sierra-research/tau-bench",
        "few_shot_data/MockRetailDomainEnv-few_shot.jsonl",
        "59a200c",
        "091066a735d3d2605441764e0a2c6dcc93fb6595b400ff5e354416e6c8ba4a3a",
        69,
    ),
    DevFile(
        "retail_tasks_train.json",
        _TAU2[0],
        "data/tau2/domains/retail/tasks.json",
        _TAU2[1],
        "b6e809f399481cc3673669bd179191d4a354811799b21dcc6108a22500c628ba",
        74,
        IdSplit("data/tau2/domains/retail/split_tasks.json"),
    ),
    DevFile(
        "presidio_synth_pii.json",
        "microsoft/presidio-research",
        "data/synth_dataset_v2.json",
        "7622dec",
        "9545c37f08b12b664b1d35f12041514a4f928fffe3871251529a86cb1f6fc62e",
        1082,
        HashSplit("full_text", 1500),
    ),
)


def keeps(text: str) -> bool:
    """Whether the 70 % split keeps a row with this text: sha1(lower(stripped)) mod 10 < 7."""
    digest = hashlib.sha1(text.strip().lower().encode("utf-8"), usedforsecurity=False)
    return int(digest.hexdigest(), 16) % 10 < KEEP_BELOW


def read_table(raw: bytes, *, csv_file: bool) -> Table:
    """Parse a CSV file (header row; a BOM is dropped) or a JSON list of objects."""
    text = raw.decode("utf-8-sig")
    if not csv_file:
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise ValueError("expected a JSON list")
        return Table(None, rows)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # jailbreak prompts run to tens of kB
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ValueError("empty CSV file")
    return Table(tuple(header), list(reader))


def write_table(table: Table) -> bytes:
    """The bytes of `table` as the shared copy has them (csv defaults, or JSON indent 1)."""
    if table.columns is None:
        return json.dumps(table.rows, indent=1).encode("utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8")


def content_fingerprint(table: Table) -> str:
    """sha256 over the columns and the sorted rows, each as canonical JSON (order-free)."""
    lines = sorted(_canonical(row) for row in table.rows)
    if table.columns is not None:
        lines.insert(0, "columns:" + _canonical(list(table.columns)))
    return hashlib.sha256("\n".join(lines).encode("ascii")).hexdigest()


def fingerprint_of(path: Path, spec: DevFile) -> tuple[str, int]:
    """(fingerprint, rows) of a file as `spec` pins it."""
    if spec.split is None:
        rows = len(_read(path, spec).rows) if spec.is_csv else _lines(path)
        return sha256_of(path), rows
    table = _read(path, spec)
    return content_fingerprint(table), len(table.rows)


def hash_split(table: Table, field: str) -> Table:
    """The rows of `table` that the 70 % split keeps."""
    return Table(table.columns, [row for row in table.rows if keeps(table.text(row, field))])


def id_split(table: Table, split: dict[str, list[str]], part: str) -> Table:
    """The rows of `table` whose `id` is in `split[part]` (in the table's order)."""
    wanted = {str(i) for i in split[part]}
    return Table(table.columns, [row for row in table.rows if str(row["id"]) in wanted])


def fetch_dev_data(
    target_dir: Path,
    shared_dir: Path | None = None,
    *,
    files: Sequence[DevFile] = DEV_FILES,
    base_url: str = GITHUB_URL,
    client: httpx.Client | None = None,
    show_progress: bool = True,
) -> tuple[list[Path], list[str]]:
    """Fetch every file into `target_dir`: (paths fetched, one error message per failure).

    A file that fails does not stop the others: the guards can train without the PII set.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or http_client()
    fetched: list[Path] = []
    errors: list[str] = []
    try:
        for spec in files:
            try:
                fetched.append(
                    _fetch_one(spec, target_dir, shared_dir, _Source(http, base_url, show_progress))
                )
            except DemoDataError as exc:
                errors.append(str(exc))
    finally:
        if own_client:
            http.close()
    return fetched, errors


@dataclass(frozen=True)
class _Source:
    client: httpx.Client
    base_url: str
    show_progress: bool

    def get(self, spec: DevFile, destination: Path, path: str | None = None) -> None:
        label = spec.name if path is None else Path(path).name
        url = spec.url(self.base_url, path)
        download(self.client, url, destination, label=label, show_progress=self.show_progress)


def _fetch_one(spec: DevFile, target_dir: Path, shared_dir: Path | None, source: _Source) -> Path:
    target = target_dir / spec.name
    if target.is_file() and _matches(target, spec):
        logger.info("%s already present with the pinned content; skipped", spec.name)
        return target
    partial = target.with_name(f"{target.name}.part")
    shared = shared_dir / spec.name if shared_dir is not None else None
    try:
        if shared is not None and shared.is_file():
            logger.info("copying %s from %s", spec.name, shared_dir)
            shutil.copyfile(shared, partial)
            note = f"copied from {shared}"
        else:
            note = _rebuild(spec, partial, source)
        _verify(partial, spec, note)
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave a file that differs from the pinned one
        raise
    finally:
        _upstream_part(partial).unlink(missing_ok=True)
    partial.replace(target)
    return target


def _upstream_part(partial: Path) -> Path:
    return partial.with_name(partial.name.replace(".part", ".upstream.part"))


def _rebuild(spec: DevFile, destination: Path, source: _Source) -> str:
    """Download `spec` (and its split file), write the rows kept; a note for error messages."""
    if spec.split is None:
        source.get(spec, destination)
        return f"downloaded from {spec.url(source.base_url)}"
    upstream = _upstream_part(destination)
    source.get(spec, upstream)
    try:
        table = _read(upstream, spec)
        if isinstance(spec.split, HashSplit):
            kept = hash_split(table, spec.split.field)
            if len(table.rows) != spec.split.upstream_rows:  # the fingerprint will tell
                message = "%s: %d upstream rows, SOURCES.md documents %d"
                logger.warning(message, spec.name, len(table.rows), spec.split.upstream_rows)
        else:
            source.get(spec, upstream, spec.split.split_path)
            kept = id_split(table, json.loads(upstream.read_bytes()), spec.split.part)
    except (ValueError, KeyError, IndexError, TypeError) as exc:  # incl. JSON and UTF-8 errors
        raise DevDataError(f"{spec.name}: the upstream file could not be split: {exc!r}") from exc
    destination.write_bytes(write_table(kept))
    logger.info("%s: kept %d of %d upstream rows", spec.name, len(kept.rows), len(table.rows))
    return f"rebuilt from {spec.url(source.base_url)}, {len(kept.rows)} of {len(table.rows)} rows"


def _read(path: Path, spec: DevFile) -> Table:
    return read_table(path.read_bytes(), csv_file=spec.is_csv)


def _matches(path: Path, spec: DevFile) -> bool:
    try:
        return fingerprint_of(path, spec)[0] == spec.fingerprint
    except (ValueError, UnicodeDecodeError):
        return False


def _verify(path: Path, spec: DevFile, note: str) -> None:
    try:
        actual, rows = fingerprint_of(path, spec)
    except (ValueError, UnicodeDecodeError) as exc:
        actual, rows = f"unreadable ({exc})", -1
    if actual != spec.fingerprint:
        raise DevDataError(
            f"{spec.name}: content fingerprint {actual} does not match the pinned "
            f"{spec.fingerprint} ({rows} rows, expected {spec.rows}; {note}); file removed"
        )


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: fetch the dev data into --target (from --shared when that folder exists)."""
    args = fetch_args(
        argv, module="rag.dev_data", doc=main.__doc__, folder="dev", base_url=GITHUB_URL
    )
    paths, errors = fetch_dev_data(args.target, args.shared, base_url=args.base_url)
    for path in paths:
        print(path)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
