"""Request options that ask an OpenAI-compatible server for one JSON document bound by a schema.

The schema travels as OpenAI's `response_format={"type": "json_schema", ...}`, which vLLM turns
into guided decoding (and llama.cpp and Ollama read too); the older `guided_json` extra field was
removed in vLLM 0.12. Callers still validate the reply: a server may ignore the schema.
"""

from __future__ import annotations

from typing import Any


def guided_json_options(
    name: str, schema: dict[str, Any], *, max_tokens: int, timeout_s: float | None = None
) -> dict[str, Any]:
    """Options for `invoke`/`ainvoke`: schema-bound JSON, not streamed, deterministic."""
    options: dict[str, Any] = {
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": True},
        },
        "stream": False,  # one JSON document: nothing to show while it is written
        "temperature": 0.0,
        "max_tokens": max_tokens,
    }
    if timeout_s is not None:
        options["timeout"] = timeout_s
    return options
