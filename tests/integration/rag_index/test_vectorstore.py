"""build_chroma: embedded persistent store by default, a Chroma server by URL, cosine distance."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag.embeddings import SentenceTransformerEmbeddings
from rag.vectorstore import build_chroma, chroma_client

TEXTS = [
    "You may return items within 30 days of delivery for a full refund.",
    "Typhon Performance Fleece-lined Jacket, a warm running jacket.",
]


def test_persistent_store_survives_a_new_client_and_uses_cosine(
    tmp_path: Path, st_embeddings: SentenceTransformerEmbeddings
) -> None:
    store = build_chroma(
        collection="persist-test", persist_dir=tmp_path, url=None, embeddings=st_embeddings
    )
    store.add_texts(TEXTS, metadatas=[{"doc_type": "policy"}, {"doc_type": "product"}])

    reopened = build_chroma(
        collection="persist-test", persist_dir=tmp_path, url=None, embeddings=st_embeddings
    )
    (best, distance), _ = reopened.similarity_search_with_score("Can I send it back?", k=2)

    assert best.page_content == TEXTS[0]
    # Cosine distance of unit vectors lies in [0, 2]; squared L2 would be twice as large.
    query = st_embeddings.embed_query("Can I send it back?")
    cosine = sum(q * d for q, d in zip(query, st_embeddings.embed_query(TEXTS[0]), strict=True))
    assert distance == pytest.approx(1.0 - cosine, abs=1e-3)


def test_client_has_telemetry_off(tmp_path: Path) -> None:
    client = chroma_client(persist_dir=tmp_path, url=None)

    assert client.get_settings().anonymized_telemetry is False


def test_missing_location_is_refused() -> None:
    with pytest.raises(ValueError, match="persist_dir or url"):
        chroma_client(persist_dir=None, url=None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port."""
    binary = shutil.which("chroma", path=str(Path(sys.executable).parent))
    if binary is None:
        pytest.skip("the chroma server binary is not installed")
    port = _free_port()
    server = subprocess.Popen(
        [
            binary,
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_until_up(url: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"chroma server at {url} did not start")


def test_http_client_when_url_is_set(
    chroma_server: str, st_embeddings: SentenceTransformerEmbeddings
) -> None:
    store = build_chroma(
        collection="http-test", persist_dir=None, url=chroma_server, embeddings=st_embeddings
    )
    store.add_texts(TEXTS, metadatas=[{"doc_type": "policy"}, {"doc_type": "product"}])

    hits = store.similarity_search("warm jacket for running", k=1, filter={"doc_type": "product"})

    assert [hit.page_content for hit in hits] == [TEXTS[1]]
