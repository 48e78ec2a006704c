"""HTML cleaning: readable lines, directives gone, tables as sentences that keep every cell."""

from __future__ import annotations

from rag.clean import html_to_blocks, html_to_text, slugify

RATE_TABLE = """
<h2 id="rates">Rates</h2>
<table>
  <caption>Delivery rates</caption>
  <thead><tr>
    <th><strong>Order value *</strong></th>
    <th><strong>ECONOMY</strong><br />Four days **</th>
    <th><strong>EXPRESS</strong><br />Next day **</th>
  </tr></thead>
  <tbody>
    <tr><th>Up to $50</th><td>$4</td><td>$9</td></tr>
    <tr><th>Over $50</th><td>$0</td><td>$5</td></tr>
  </tbody>
</table>
<p><small>*after discounts</small><br /><small>**working days only</small></p>
"""


def test_directives_are_dropped_and_link_text_is_kept() -> None:
    html = (
        '<p>Write to <a href="{{store url="contact"}}">our team</a>.{{widget type="x" id="3"}}</p>'
    )
    assert html_to_text(html) == "Write to our team."


def test_entities_and_line_breaks_become_readable_lines() -> None:
    html = "<p>Soft hoodie.</p><p>&bull; Machine wash.<br />&bull; CoolTech&trade; fabric.</p>"
    assert html_to_text(html).splitlines() == [
        "Soft hoodie.",
        "• Machine wash.",
        "• CoolTech™ fabric.",
    ]


def test_table_rows_read_as_sentences_with_every_number() -> None:
    text = html_to_text(RATE_TABLE)
    assert "Order value up to $50: Economy (four days) $4; Express (next day) $9." in text
    assert "Order value over $50: Economy (four days) $0; Express (next day) $5." in text
    assert "Delivery rates:" in text


def test_footnote_marks_are_tied_to_the_headers_they_annotate() -> None:
    lines = html_to_text(RATE_TABLE).splitlines()
    assert "Note on Order value: after discounts." in lines
    assert "Note on Economy, Express: working days only." in lines
    assert not any(line.startswith("*") for line in lines)


def test_two_column_table_reads_as_name_and_value() -> None:
    html = (
        "<table><thead><tr><th>Name</th><th>Meaning</th></tr></thead>"
        "<tbody><tr><th>CART</th><td>Your cart</td></tr></tbody></table>"
    )
    assert html_to_text(html) == "CART: Your cart."


def test_headings_keep_level_and_id_and_menus_are_dropped() -> None:
    html = (
        '<h2 id="a">First</h2><p>Alpha.</p><h3>Second</h3><p>Beta.</p>'
        '<div class="block-collapsible-nav"><div>Menu</div><ul><li><a href="#a">First</a></li></ul>'
        "</div><script>var x = 1;</script>"
    )
    blocks = html_to_blocks(html)
    assert [(b.text, b.level, b.anchor_id) for b in blocks] == [
        ("First", 2, "a"),
        ("Alpha.", 0, ""),
        ("Second", 3, ""),
        ("Beta.", 0, ""),
    ]


def test_list_items_are_bulleted_lines() -> None:
    assert html_to_text("<ul><li>name</li><li><p>email</p></li></ul>") == "- name\n- email"


def test_slugify_makes_url_fragments() -> None:
    assert slugify("Returns and Replacements") == "returns-and-replacements"
    assert slugify("Hoodies & Sweatshirts") == "hoodies-sweatshirts"
