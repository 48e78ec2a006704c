"""Fetch the demo store: copy it from a shared folder or download it at pinned commits (sha256).

Sources and checksums are those of shared/data/SOURCES.md.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

logger = logging.getLogger(__name__)

RAW_BASE_URL = "https://raw.githubusercontent.com"
_CHUNK_BYTES = 1 << 16


class DemoDataError(RuntimeError):
    """A store file could not be fetched or did not match its pinned checksum."""


@dataclass(frozen=True)
class StoreFile:
    """One demo-store file, pinned to a commit of its public repository."""

    name: str
    repo: str
    path: str
    commit: str
    sha256: str

    def url(self, base_url: str = RAW_BASE_URL) -> str:
        """Raw-file URL of the pinned version."""
        return f"{base_url.rstrip('/')}/{self.repo}/{self.commit}/{self.path}"


_MAGENTO = ("magento/magento2-sample-data", "53807565ba9f23c9409268c02bb995cf39ef553d")
_TAU2 = ("sierra-research/tau2-bench", "a2c024725189473d2d7cea3a5cfdbcc67478e41f")

STORE_FILES: tuple[StoreFile, ...] = (
    StoreFile(
        "luma_products.csv",
        _MAGENTO[0],
        "app/code/Magento/ConfigurableSampleData/fixtures/products.csv",
        _MAGENTO[1],
        "4cdee0a21f6c124e93dc273f97a8d4875e99d933300a538fb6ca2dd54a2ae45b",
    ),
    StoreFile(
        "luma_pages.csv",
        _MAGENTO[0],
        "app/code/Magento/CmsSampleData/fixtures/pages/pages.csv",
        _MAGENTO[1],
        "df12f09f245b9ab93f478675699a73c5624a0b69d667bf58737fd0718b9b39a2",
    ),
    StoreFile(
        "dummyjson_products.json",
        "Ovi/DummyJSON",
        "database/products.json",
        "55ca918227aed430409a1ae46271448cb102d7f3",
        "3de51f68955246ff09fdd0d776dc5f662d2f58a9e83794ff5064886a72424322",
    ),
    StoreFile(
        "retail_db.json",
        _TAU2[0],
        "data/tau2/domains/retail/db.json",
        _TAU2[1],
        "413a65160adbdb5fde0ffc0015c49b6d70250b10c18128de169b597af7766765",
    ),
    StoreFile(
        "retail_agent_policy.md",
        _TAU2[0],
        "data/tau2/domains/retail/policy.md",
        _TAU2[1],
        "2c9652afbce57d6e087768d37cda64d31c53d50b3e3225cfdb791bac66466467",
    ),
)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def http_client() -> httpx.Client:
    """The client the fetchers use when none is given (redirects followed, patient reads)."""
    return httpx.Client(timeout=httpx.Timeout(30.0, read=120.0), follow_redirects=True)


def fetch_demo_store(
    target_dir: Path,
    shared_dir: Path | None = None,
    *,
    files: Sequence[StoreFile] = STORE_FILES,
    base_url: str = RAW_BASE_URL,
    client: httpx.Client | None = None,
    show_progress: bool = True,
) -> list[Path]:
    """Put every store file in `target_dir` (copied from `shared_dir` if there, else downloaded)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    http = client or http_client()
    try:
        return [
            _fetch_one(spec, target_dir, shared_dir, http, base_url, show_progress)
            for spec in files
        ]
    finally:
        if own_client:
            http.close()


def _fetch_one(
    spec: StoreFile,
    target_dir: Path,
    shared_dir: Path | None,
    client: httpx.Client,
    base_url: str,
    show_progress: bool,
) -> Path:
    target = target_dir / spec.name
    if target.is_file():
        if sha256_of(target) == spec.sha256:
            logger.info("%s already present with the pinned sha256; skipped", spec.name)
            return target
        logger.warning("%s differs from the pinned version; fetching it again", spec.name)
    partial = target.with_name(f"{target.name}.part")
    shared = shared_dir / spec.name if shared_dir is not None else None
    if shared is not None and shared.is_file():
        logger.info("copying %s from %s", spec.name, shared_dir)
        shutil.copyfile(shared, partial)
    else:
        download(client, spec.url(base_url), partial, label=spec.name, show_progress=show_progress)
    _verify(partial, spec)
    partial.replace(target)
    return target


def download(
    client: httpx.Client, url: str, destination: Path, *, label: str, show_progress: bool
) -> None:
    """Stream `url` into `destination` (removed again on failure) with a progress bar."""
    logger.info("downloading %s", url)
    try:
        with client.stream("GET", url) as response, _progress(show_progress) as progress:
            response.raise_for_status()
            size = int(response.headers.get("Content-Length", 0)) or None
            task = progress.add_task(label, total=size)
            with destination.open("wb") as handle:
                for block in response.iter_bytes(_CHUNK_BYTES):
                    handle.write(block)
                    progress.advance(task, len(block))
    except httpx.HTTPError as exc:
        destination.unlink(missing_ok=True)
        reason = (
            f"HTTP {exc.response.status_code}" if isinstance(exc, httpx.HTTPStatusError) else exc
        )
        raise DemoDataError(f"could not download {label} from {url}: {reason}") from exc


def _verify(path: Path, spec: StoreFile) -> None:
    actual = sha256_of(path)
    if actual != spec.sha256:
        path.unlink(missing_ok=True)  # never leave a file that differs from the pinned one
        raise DemoDataError(
            f"{spec.name}: sha256 {actual} does not match the pinned {spec.sha256}; file removed"
        )


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        disable=not enabled,
    )


@dataclass(frozen=True)
class FetchArgs:
    """A fetcher's command line: where to put the files, the shared copy, the download host."""

    target: Path
    shared: Path | None  # None when that folder does not exist
    base_url: str


def fetch_args(
    argv: Sequence[str] | None, *, module: str, doc: str | None, folder: str, base_url: str
) -> FetchArgs:
    """Parse --target (data/<folder>), --shared (../shared/data/<folder>), --base-url; log INFO."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=doc)
    parser.add_argument("--target", type=Path, default=Path("data") / folder)
    parser.add_argument("--shared", type=Path, default=Path("../shared/data") / folder)
    parser.add_argument("--base-url", default=base_url, help="file host (for mirrors)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    shared = args.shared if args.shared.is_dir() else None
    return FetchArgs(args.target, shared, args.base_url)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: fetch the demo store into --target (from --shared when that folder exists)."""
    args = fetch_args(
        argv, module="rag.demo_data", doc=main.__doc__, folder="store", base_url=RAW_BASE_URL
    )
    try:
        paths = fetch_demo_store(args.target, args.shared, base_url=args.base_url)
    except DemoDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
