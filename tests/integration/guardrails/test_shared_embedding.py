"""A shopper's message is embedded once: the input guards and retrieval share the vector."""

from __future__ import annotations

import pytest

from app.container import Container
from rag.onnx_encoder import FloatMatrix, OnnxEmbeddings

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_guards_and_retrieval_embed_a_message_once(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = container.retriever.embeddings
    assert isinstance(encoder, OnnxEmbeddings)
    encoded: list[str] = []
    real = OnnxEmbeddings._encode

    def counting(self: OnnxEmbeddings, texts: list[str]) -> FloatMatrix:
        encoded.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(OnnxEmbeddings, "_encode", counting)
    text = "Do you have a waterproof jacket for hiking in the rain?"
    result = await container.chat.ask(conversation_id="embed-once", text=text)
    assert result.blocked_by is None and result.retrieved
    assert encoded == [text]  # injection, toxicity, off-topic and retrieval: one encode
