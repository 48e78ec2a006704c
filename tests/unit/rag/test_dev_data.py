"""Dev-data fetcher: copy from the shared folder, or download at pinned commits and re-split.

The split rule and the pinned fingerprints are checked against the real dev files; downloads
are served by a local HTTP server laid out like github.com/<repo>/raw/<commit>/<path>, from
"upstream" files rebuilt out of the real ones plus rows the split must hold back.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import httpx
import pytest

from rag.demo_data import http_client
from rag.dev_data import (
    DEV_FILES,
    DevFile,
    HashSplit,
    IdSplit,
    Table,
    fetch_dev_data,
    fingerprint_of,
    keeps,
    main,
    read_table,
    write_table,
)
from tests.support import dev_data_dir, require

SOURCES_MD = Path(__file__).resolve().parents[4] / "shared" / "data" / "SOURCES.md"
NAMES = [spec.name for spec in DEV_FILES]
HASH_SPLIT = [spec for spec in DEV_FILES if isinstance(spec.split, HashSplit)]
BY_NAME = {spec.name: spec for spec in DEV_FILES}


@pytest.fixture(scope="module")
def dev_dir() -> Path:
    """The real dev data (data/dev or ../shared/data/dev)."""
    folder = dev_data_dir()
    missing = [name for name in NAMES if not (folder / name).is_file()]
    require(not missing, f"dev data missing in {folder}: {missing} (run `make dev-data`)")
    return folder


def _table(path: Path, spec: DevFile) -> Table:
    return read_table(path.read_bytes(), csv_file=spec.is_csv)


def _held_back(table: Table, field: str, count: int) -> list[object]:
    """`count` rows like the table's first one whose text the split drops."""
    rows: list[object] = []
    number = 0
    while len(rows) < count:
        number += 1
        text = f"held-back example number {number}"
        if keeps(text):
            continue
        row = copy.deepcopy(table.rows[0])
        if table.columns is None:
            row[field] = text
        else:
            row[table.columns.index(field)] = text
        rows.append(row)
    return rows


def _upstream(spec: DevFile, kept: Table) -> dict[str, bytes]:
    """The upstream file(s) the shared copy was made from: its rows and the rows held back."""
    if isinstance(spec.split, HashSplit):
        extra = _held_back(kept, spec.split.field, spec.split.upstream_rows - len(kept.rows))
        rows = list(kept.rows)
        for offset, row in enumerate(extra):  # spread through the file: order must be kept
            rows.insert((offset * 7) % (len(rows) + 1), row)
        return {spec.path: write_table(Table(kept.columns, rows))}
    if isinstance(spec.split, IdSplit):
        tasks = list(kept.rows)
        tests = [dict(tasks[0], id=f"test-{n}") for n in range(5)]
        split = {"train": [t["id"] for t in tasks], "test": [t["id"] for t in tests]}
        return {
            spec.path: json.dumps(tests[:2] + tasks + tests[2:], indent=4).encode(),
            spec.split.split_path: json.dumps(split).encode(),
        }
    raise AssertionError(f"{spec.name} is not split")


def _publish(root: Path, dev_dir: Path, *, tamper: str = "", skip: str = "") -> None:
    """Lay every file out as <repo>/raw/<commit>/<path>, the way github.com serves them."""
    for spec in DEV_FILES:
        shared = (dev_dir / spec.name).read_bytes()
        if spec.name == tamper:  # one word of one kept row changed upstream
            shared = shared.replace(b"the", b"thy", 1)
        files = {spec.path: shared}
        if spec.split is not None:
            files = _upstream(spec, read_table(shared, csv_file=spec.is_csv))
        for path, data in files.items():
            if path != skip:
                destination = root / spec.repo / "raw" / spec.commit / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(data)


def test_the_split_keeps_every_row_of_the_shared_files(dev_dir: Path) -> None:
    for spec in HASH_SPLIT:
        assert isinstance(spec.split, HashSplit)
        table = _table(dev_dir / spec.name, spec)
        texts = [table.text(row, spec.split.field) for row in table.rows]
        assert all(keeps(text) for text in texts), spec.name
        assert len(texts) == spec.rows
        # Not a rule that keeps everything: other texts lose about 30 %.
        salted = sum(keeps(f"{text}#") for text in texts) / len(texts)
        assert 0.65 < salted < 0.75, spec.name
        assert 0.65 < spec.rows / spec.split.upstream_rows < 0.75, spec.name


def test_the_row_counts_are_those_of_sources_md(dev_dir: Path) -> None:
    sources = SOURCES_MD
    require(sources.is_file(), f"{sources} missing")
    lines = {
        m.group(1): m.group(0)
        for m in re.finditer(r"^\| dev/(\S+) \|.*$", sources.read_text(), re.MULTILINE)
    }
    assert set(lines) == set(NAMES)
    for spec in DEV_FILES:
        assert f"{spec.commit[:7]} |" in lines[spec.name] and spec.repo in lines[spec.name]
        assert fingerprint_of(dev_dir / spec.name, spec)[1] == spec.rows
        if isinstance(spec.split, HashSplit):
            assert f"70% split of {spec.split.upstream_rows:,}" in lines[spec.name]
        elif spec.split is None:
            assert f" {spec.rows:,} " in lines[spec.name]


def test_the_pinned_fingerprints_accept_the_real_files(dev_dir: Path) -> None:
    for spec in DEV_FILES:
        assert fingerprint_of(dev_dir / spec.name, spec) == (spec.fingerprint, spec.rows)


def test_written_files_are_byte_identical_to_the_shared_copies(dev_dir: Path) -> None:
    for spec in DEV_FILES:
        if spec.split is not None:
            raw = (dev_dir / spec.name).read_bytes()
            assert write_table(read_table(raw, csv_file=spec.is_csv)) == raw, spec.name


def test_copies_from_the_shared_folder(dev_dir: Path, tmp_path: Path) -> None:
    paths, errors = fetch_dev_data(tmp_path / "dev", dev_dir, show_progress=False)
    assert errors == [] and [p.name for p in paths] == NAMES
    for path in paths:
        assert path.read_bytes() == (dev_dir / path.name).read_bytes()


def test_a_tampered_shared_copy_is_rejected(dev_dir: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shutil.copytree(dev_dir, shared)
    tampered = shared / "davidson_toxicity.csv"
    tampered.write_bytes(tampered.read_bytes().replace(b"trash", b"trask", 1))
    target = tmp_path / "dev"
    paths, errors = fetch_dev_data(target, shared, show_progress=False)
    assert len(errors) == 1
    assert re.match(r"davidson_toxicity\.csv: content fingerprint \w+ does not match", errors[0])
    assert "17259 rows, expected 17259" in errors[0] and "file removed" in errors[0]
    assert not (target / "davidson_toxicity.csv").exists()
    assert [p.name for p in paths] == [n for n in NAMES if n != "davidson_toxicity.csv"]
    assert not list(target.glob("*.part"))


def test_files_already_right_are_not_fetched_again(dev_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "dev"
    fetch_dev_data(target, dev_dir, show_progress=False)
    # Nothing listens on port 9: any download attempt would fail.
    paths, errors = fetch_dev_data(target, None, base_url="http://127.0.0.1:9")
    assert errors == [] and [p.name for p in paths] == NAMES


def test_downloads_and_re_splits_each_file_at_its_pinned_commit(
    dev_dir: Path, tmp_path: Path, file_host: tuple[str, Path], client: httpx.Client
) -> None:
    base_url, root = file_host
    _publish(root, dev_dir)
    target = tmp_path / "dev"
    paths, errors = fetch_dev_data(
        target, None, base_url=base_url, client=client, show_progress=False
    )
    assert errors == [] and [p.name for p in paths] == NAMES
    for path in paths:
        assert path.read_bytes() == (dev_dir / path.name).read_bytes(), path.name
    assert sorted(p.name for p in target.iterdir()) == sorted(NAMES)  # no leftovers


@pytest.mark.parametrize(
    "name", ["presidio_synth_pii.json", "retail_tasks_train.json", "jailbreak_train.csv"]
)
def test_a_tampered_download_fails_with_a_clear_message(
    dev_dir: Path, tmp_path: Path, file_host: tuple[str, Path], client: httpx.Client, name: str
) -> None:
    base_url, root = file_host
    _publish(root, dev_dir, tamper=name)
    target = tmp_path / "dev"
    paths, errors = fetch_dev_data(
        target, None, base_url=base_url, client=client, show_progress=False
    )
    assert len(errors) == 1 and errors[0].startswith(f"{name}: content fingerprint ")
    pinned = BY_NAME[name]
    assert f"does not match the pinned {pinned.fingerprint}" in errors[0]
    assert base_url in errors[0]  # says where the file came from
    assert not (target / name).exists() and len(paths) == len(NAMES) - 1
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in paths)


def test_a_missing_split_file_is_a_clear_error(
    dev_dir: Path, tmp_path: Path, file_host: tuple[str, Path], client: httpx.Client
) -> None:
    base_url, root = file_host
    split = BY_NAME["retail_tasks_train.json"].split
    assert isinstance(split, IdSplit)
    _publish(root, dev_dir, skip=split.split_path)
    paths, errors = fetch_dev_data(
        tmp_path / "dev", None, base_url=base_url, client=client, show_progress=False
    )
    assert len(errors) == 1 and len(paths) == len(NAMES) - 1
    assert re.match(r"could not download split_tasks\.json from http://\S+: HTTP 404", errors[0])


def test_the_default_client_follows_github_redirects() -> None:
    # github.com/<repo>/raw/<commit>/<path> answers with a redirect to the raw host.
    with http_client() as http:
        assert http.follow_redirects


def test_command_line_copies_and_reports(
    dev_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "dev"
    assert main(["--target", str(target), "--shared", str(dev_dir)]) == 0
    assert capsys.readouterr().out.split() == [str(target / name) for name in NAMES]


def test_command_line_fails_when_a_file_cannot_be_fetched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target, shared = tmp_path / "dev", tmp_path / "none"
    args = ["--target", str(target), "--shared", str(shared), "--base-url", "http://127.0.0.1:9"]
    code = main(args)
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("error: could not download") == len(NAMES)
