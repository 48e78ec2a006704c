"""shopper_requests and multi_turn cases from the dev data (Bitext requests, tau retail scenarios).

shopper_requests: real customer-support requests (Bitext) that no input guard may stop, with
their intent and category and, where the intent maps onto one of the eight trust aspects, that
aspect. Only the requests the guards held out from training are used (the same hash split as
`app.guardrails.training_corpus`), so a false-block rate here is not measured on training data.

multi_turn: tau2-bench retail tasks and tau-bench dialogues. They need a chat model and the
order tools (look up a user, an order, exchange items), which TrustDesk does not have yet, so
they are marked `needs: [llm, order_tools]` and the runner counts them as skipped.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from app.guardrails.datasets import is_heldout
from app.guardrails.training_corpus import HELDOUT_PERCENT
from app.trust.training_data import INTENT_ASPECTS
from evals.cases import EvalCase, Expected
from evals.datasets_build.common import short_hash

BITEXT_FILE = "bitext_customer_support.csv"
TASKS_FILE = "retail_tasks_train.json"
DIALOGUES_FILE = "tau_retail_dialogues.jsonl"

_TURN = re.compile(r"\n(?=(?:user|assistant|tool): )")


def shopper_request_cases(dev_dir: Path) -> list[EvalCase]:
    """Held-out Bitext requests, one case per distinct request text."""
    cases: list[EvalCase] = []
    seen: set[str] = set()
    with (dev_dir / BITEXT_FILE).open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            text = row["instruction"]
            if text in seen or not is_heldout(text, HELDOUT_PERCENT):
                continue
            seen.add(text)
            aspect = INTENT_ASPECTS.get(row["intent"])
            cases.append(
                EvalCase(
                    id=f"shopper.{row['intent']}.{short_hash(text)}",
                    input=text,
                    expected=Expected(
                        blocked=False,
                        aspect=aspect.value if aspect else None,
                        labels={"intent": row["intent"], "category": row["category"]},
                    ),
                    tags=("shopper", row["category"].lower(), row["intent"]),
                    origin={"file": BITEXT_FILE, "key": f"line {number}"},
                )
            )
    return cases


def multi_turn_cases(dev_dir: Path) -> list[EvalCase]:
    """tau2 retail tasks (the customer's reason for calling) and tau-bench dialogues."""
    return _task_cases(dev_dir / TASKS_FILE) + _dialogue_cases(dev_dir / DIALOGUES_FILE)


def _task_cases(path: Path) -> list[EvalCase]:
    cases = []
    for task in json.loads(path.read_text(encoding="utf-8")):
        instructions = task["user_scenario"]["instructions"]
        criteria = task.get("evaluation_criteria") or {}
        cases.append(
            EvalCase(
                id=f"multi_turn.task.{task['id']}",
                input=str(instructions["reason_for_call"]).strip(),
                expected=Expected(
                    actions=tuple(a["name"] for a in criteria.get("actions") or []),
                    communicate=tuple(str(v) for v in criteria.get("communicate_info") or []),
                    labels={"known_info": str(instructions.get("known_info") or "")},
                ),
                tags=("multi_turn", "tau2_task"),
                needs=("llm", "order_tools"),
                origin={"file": path.name, "key": f"id {task['id']}"},
            )
        )
    return cases


def _dialogue_cases(path: Path) -> list[EvalCase]:
    cases = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(filter(None, lines), start=1):
        parts = _TURN.split(json.loads(line)["messages_display"])
        users = tuple(p.removeprefix("user: ").strip() for p in parts if p.startswith("user: "))
        if not users:
            continue
        cases.append(
            EvalCase(
                id=f"multi_turn.dialogue.{number}",
                input=users[0],
                turns=users,
                expected=Expected(actions=_tool_names(parts)),
                tags=("multi_turn", "tau_dialogue"),
                needs=("llm", "order_tools"),
                origin={"file": path.name, "key": f"line {number}"},
            )
        )
    return cases


def _tool_names(parts: list[str]) -> tuple[str, ...]:
    """The order-system calls the agent made, named after what each "tool:" turn returned."""
    return tuple(_tool_kind(p.removeprefix("tool: ")) for p in parts if p.startswith("tool: "))


def _tool_kind(payload: str) -> str:
    try:
        data: Any = json.loads(payload)
    except json.JSONDecodeError:
        return "find_user_id"  # a bare user id
    if not isinstance(data, dict):
        return "other"
    for key, name in _TOOL_BY_KEY.items():
        if key in data:
            return name
    return "other"


_TOOL_BY_KEY = {
    "order_id": "get_order_details",
    "payment_methods": "get_user_details",
    "variants": "get_product_details",
}
