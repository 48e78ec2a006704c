"""Templates and charts escape whatever shoppers wrote; filters survive hostile query strings."""

from __future__ import annotations

from datetime import date

from app.review.charts import Series, grouped_bars, line_chart, stacked_bars
from app.review.filters import QueueFilters
from app.review.templating import link_citations, make_environment
from app.store.models import HandoffStatus

XSS = "<script>window.__xss=1</script><img src=x onerror=alert(1)>"


def test_environment_escapes_every_value() -> None:
    html = make_environment().from_string("<p>{{ text }}</p>").render(text=XSS)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


def test_citation_links_are_added_after_escaping() -> None:
    html = link_citations(f"Returns within 30 days [1]. {XSS} [2]", 't"1')
    assert '<a class="cite" href="#tt&#34;1-s1">[1]</a>' in html
    assert "<script>" not in html and "<img" not in html and "[2]</a>" in html


def test_charts_escape_labels_and_draw_every_point() -> None:
    line = line_chart("trust", ["d1", XSS, "d3"], [Series(XSS, "#000", [0.2, None, 0.9])])
    bars = stacked_bars(XSS, [(XSS, {"positive": 2, "negative": 1})])
    groups = grouped_bars("p", [XSS], [Series("m", "#000", [0.5])])
    for svg in (line, bars, groups):
        assert svg.startswith("<svg") and "<script>" not in svg and "<img" not in svg
    assert line.count("<circle") == 2  # None leaves a gap


def test_filters_parse_good_values_and_drop_bad_ones() -> None:
    filters = QueueFilters.from_params(
        {
            "since": "2026-11-01",
            "until": "not a day",
            "handoff": "requested",
            "aspect": "shipping",
            "prompt": "answer@v2",
            "review": "maybe",
            "q": "  late   parcel " + "x" * 500,
            "page": "-3",
        }
    )
    assert filters.since == date(2026, 11, 1) and filters.until is None
    assert filters.handoff is HandoffStatus.REQUESTED and filters.aspect == "shipping"
    assert filters.prompt == ("answer", 2) and filters.review is None
    assert filters.q.startswith("late parcel") and len(filters.q) == 200
    assert filters.page == 1
    assert filters.as_params(page=2)["prompt"] == "answer@v2"
    assert QueueFilters.from_params({"prompt": "answer@vX", "aspect": "<b>"}).prompt is None
