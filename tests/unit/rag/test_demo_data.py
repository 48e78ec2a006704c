"""Demo-store fetcher: copy from the shared folder or download at pinned commits, sha256-checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from rag.demo_data import STORE_FILES, DemoDataError, fetch_demo_store, main, sha256_of

NAMES = [spec.name for spec in STORE_FILES]


def _publish(root: Path, store: Path, *, corrupt: str = "") -> None:
    """Lay the store files out as repo/commit/path, the way the raw host serves them."""
    for spec in STORE_FILES:
        destination = root / spec.repo / spec.commit / spec.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store / spec.name, destination)
        if spec.name == corrupt:
            with destination.open("ab") as handle:
                handle.write(b"tampered")


def test_copies_from_the_shared_folder(demo_store_dir: Path, tmp_path: Path) -> None:
    paths = fetch_demo_store(tmp_path / "store", demo_store_dir, show_progress=False)
    assert [p.name for p in paths] == NAMES
    for spec, path in zip(STORE_FILES, paths, strict=True):
        assert sha256_of(path) == spec.sha256


def test_a_corrupted_shared_file_is_rejected(demo_store_dir: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shutil.copytree(demo_store_dir, shared)
    with (shared / "luma_pages.csv").open("ab") as handle:
        handle.write(b"\nextra,row")
    target = tmp_path / "store"
    with pytest.raises(DemoDataError, match=r"luma_pages\.csv: sha256 .* does not match"):
        fetch_demo_store(target, shared, show_progress=False)
    assert not (target / "luma_pages.csv").exists()
    assert not list(target.glob("*.part"))


def test_files_already_right_are_not_fetched_again(demo_store_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "store"
    fetch_demo_store(target, demo_store_dir, show_progress=False)
    # Nothing listens on port 9: any download attempt would fail.
    paths = fetch_demo_store(target, None, base_url="http://127.0.0.1:9", show_progress=False)
    assert [p.name for p in paths] == NAMES


def test_downloads_each_file_at_its_pinned_commit(
    demo_store_dir: Path, tmp_path: Path, file_host: tuple[str, Path], client: httpx.Client
) -> None:
    base_url, root = file_host
    _publish(root, demo_store_dir)
    target = tmp_path / "store"
    paths = fetch_demo_store(target, None, base_url=base_url, client=client, show_progress=False)
    for spec, path in zip(STORE_FILES, paths, strict=True):
        assert path == target / spec.name
        assert path.read_bytes() == (demo_store_dir / spec.name).read_bytes()


def test_a_tampered_download_is_removed(
    demo_store_dir: Path, tmp_path: Path, file_host: tuple[str, Path], client: httpx.Client
) -> None:
    base_url, root = file_host
    _publish(root, demo_store_dir, corrupt="retail_db.json")
    target = tmp_path / "store"
    with pytest.raises(DemoDataError, match=r"retail_db\.json: sha256"):
        fetch_demo_store(target, None, base_url=base_url, client=client, show_progress=False)
    assert not (target / "retail_db.json").exists()
    assert not list(target.glob("*.part"))


def test_a_missing_remote_file_is_a_clear_error(
    tmp_path: Path, file_host: tuple[str, Path], client: httpx.Client
) -> None:
    base_url, _ = file_host
    expected = r"could not download luma_products\.csv from http://127\.0\.0\.1:\d+/.*: HTTP 404"
    with pytest.raises(DemoDataError, match=expected):
        fetch_demo_store(tmp_path / "store", None, base_url=base_url, client=client)
    assert not list((tmp_path / "store").iterdir())


def test_command_line_copies_and_reports(
    demo_store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "store"
    assert main(["--target", str(target), "--shared", str(demo_store_dir)]) == 0
    assert capsys.readouterr().out.split() == [str(target / name) for name in NAMES]
