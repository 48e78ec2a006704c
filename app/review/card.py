"""The dataset card (README.md) written beside a fine-tuning export: counts, sources, filters."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from app.review.reviewed import APPROVED, CORRECTED

if TYPE_CHECKING:
    from app.review.export_finetune import FinetuneResult

_HEADER = """---
language:
- en
pretty_name: {shop} support answers reviewed by agents
task_categories:
- text-generation
tags:
- customer-service
- rag
- trustdesk
{configs}---
"""


def dataset_card(result: FinetuneResult) -> str:
    """The card as Markdown with Hugging Face YAML front matter (splits named for `datasets`)."""
    examples = result.examples
    dates = sorted(e.created_at for e in examples)
    origins = Counter(e.origin for e in examples)
    lines = [
        _HEADER.format(shop=result.shop_name, configs=_configs(result)),
        f"# {result.shop_name} support answers reviewed by agents",
        "",
        'Chat-format examples (`{"messages": [system, user, assistant]}`) exported by '
        "`trustdesk export finetune` from the TrustDesk turn log. Load them with "
        "`datasets.load_dataset(FOLDER)` (the splits named above), or "
        '`datasets.load_dataset("json", data_files={"train": "train.jsonl", '
        '"validation": "validation.jsonl"})` when both have rows, or fine-tune on them as they '
        "are (OpenAI chat format, TRL `SFTTrainer`, the chat template of any vLLM-served model).",
        "",
        "## Counts",
        "",
        "| | examples |",
        "|---|---|",
        f"| train | {len(result.train)} |",
        f"| validation | {len(result.validation)} |",
        f"| approved answers (as the bot gave them) | {origins[APPROVED]} |",
        f"| corrected answers (written by an agent) | {origins[CORRECTED]} |",
        f"| reviewed turns considered | {result.considered} |",
        f"| duplicates dropped | {result.duplicates} |",
        *(f"| left out: {reason} | {n} |" for reason, n in sorted(result.left_out.items())),
        "",
        *_sources(result),
        *_filters(result),
        *_pii(result),
        "## Date range",
        "",
        f"Turns from {dates[0]} to {dates[-1]} (UTC)." if dates else "No turns were exported.",
        f"Exported at {result.exported_at:%Y-%m-%d %H:%M} UTC.",
        "",
    ]
    return "\n".join(lines)


def _sources(result: FinetuneResult) -> list[str]:
    prompts = Counter(e.prompt for e in result.examples)
    backends = Counter(e.backend for e in result.examples)
    return [
        "## Sources",
        "",
        f"- Turn log: `{result.source}`",
        "- Prompt versions: " + (_counts(prompts) or "none"),
        "- Answering backends: " + (_counts(backends) or "none"),
        "- System and user messages: each turn's own prompt version, rendered with the sources "
        "the shopper was shown (cited snippets), the conversation so far (corrected answers "
        "in place) and the question.",
        "",
    ]


def _filters(result: FinetuneResult) -> list[str]:
    o = result.options
    corrected = (
        "corrections count only when the shopper did not rate the turn down"
        if o.corrected_need_good_rating
        else "corrections count whatever the shopper thought of the replaced answer"
    )
    return [
        "## Filters",
        "",
        "- Approved: the agents' latest label is `correct`, the turn was answered, and the "
        "shopper's latest rating is not a thumbs-down.",
        f"- Corrected: the agent's latest correction replaces the bot's answer; {corrected}.",
        "- Unreviewed turns and turns labelled incorrect, unsafe or unhelpful without a "
        "correction are left out.",
        f"- Turn dates: from {o.since or 'the first'} to {o.until or 'the last'}.",
        "- Duplicates: the same question and answer (ignoring case and spacing) are kept once.",
        f"- Split: validation when sha256(seed, question) falls below {o.validation_share:.0%} "
        f"(seed `{o.seed}`); the same question never lands in both splits.",
        "",
    ]


def _pii(result: FinetuneResult) -> list[str]:
    found = _counts(result.pii) or "none found"
    return [
        "## Personal data",
        "",
        "Shopper messages were redacted when they were logged. On export every question, "
        "earlier turn and answer was scanned again with TrustDesk's PII finder "
        "(`app/guardrails/pii.py`) and each find replaced by its type, e.g. `[EMAIL]` (the "
        "shop's own details quoted from a cited source stay). Spans removed: " + found + ".",
        "",
    ]


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} ({n})" for name, n in sorted(counter.items()))


def _configs(result: FinetuneResult) -> str:
    """The front matter's splits: only those with rows, as `datasets` refuses an empty one."""
    splits = [name for name in ("train", "validation") if getattr(result, name)]
    if not splits:
        return ""
    files = "".join(f"  - split: {name}\n    path: {name}.jsonl\n" for name in splits)
    return f"configs:\n- config_name: default\n  data_files:\n{files}"
