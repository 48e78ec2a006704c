"""`asks_for_human` on the Bitext dev requests, as `python -m evals.handoff_eval` reports it."""

from __future__ import annotations

from app.trust.handoff import asks_for_human
from evals.handoff_eval import FILE, MIXED, POSITIVE, count, load_requests, report
from tests.support import dev_data_dir, require


def test_requests_for_an_agent_are_found_and_nothing_else_is() -> None:
    dev = dev_data_dir()
    require((dev / FILE).is_file(), f"dev data missing: {dev / FILE}")
    requests = [(text, intent) for text, intent in load_requests(dev) if intent != MIXED]
    counts = count([asks_for_human(t) for t, _ in requests], [i == POSITIVE for _, i in requests])
    assert counts.recall >= 0.95
    assert counts.precision >= 0.98 and counts.fpr <= 0.002


def test_the_report_names_its_numbers() -> None:
    requests = [
        ("I want to talk to a human", POSITIVE),
        ("where is my order?", "track_order"),
        ("what hours can I call customer service?", MIXED),
    ]
    lines = report(requests, errors=1)
    assert lines[1].startswith("precision 1.000  recall 1.000  FPR 0.0000")
    assert "flagged 0/1" in lines[2]
