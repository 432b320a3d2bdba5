"""The flag-rate chart keeps every label inside its box, whatever the rates and group names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.designer import charts

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
MACRO = (
    Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    .get_template("designer/_chart.html")
    .module.flag_rate_chart
)


def svg(chart_id: str, title: str, bars: list[charts.Bar], line: float | None) -> str:
    """The chart as the pages and the PDF draw it: laid out in Python, written by the template macro."""
    return str(MACRO(charts.flag_rate_chart(chart_id, title, bars, line)))


def _extents(svg: str) -> list[tuple[str, float, float]]:
    """(text, left, right) of every text element, from its anchor and the chart's width estimate."""
    found = []
    for element in re.finditer(r"<text [^>]*>[^<]*</text>", svg):
        tag = element.group(0)
        x = float(re.search(r'x="([\d.]+)"', tag).group(1))
        size = float(re.search(r'font-size="(\d+)"', tag).group(1))
        anchor = re.search(r'text-anchor="(\w+)"', tag)
        text = re.search(r">([^<]*)<", tag).group(1)
        width = charts.text_width(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"), size)
        if anchor and anchor.group(1) == "end":
            found.append((text, x - width, x))
        elif anchor and anchor.group(1) == "middle":
            found.append((text, x - width / 2, x + width / 2))
        else:
            found.append((text, x, x + width))
    return found


bars = st.lists(
    st.builds(
        charts.Bar,
        st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "Zs")), min_size=1, max_size=60),
        st.one_of(st.none(), st.floats(0, 1)),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(bars=bars, line=st.one_of(st.none(), st.floats(0, 1)))
def test_every_label_fits_inside_the_chart(bars, line):
    drawn = svg("chart-test", "A chart", bars, line)
    for text, left, right in _extents(drawn):
        assert left >= 0, (text, left)
        assert right <= charts.WIDTH, (text, right)


def test_a_full_bar_below_the_line_keeps_its_whole_value():
    """The issue's "100% (belo" at 1280 px: the value now sits inside the bar, whole."""
    drawn = svg("chart-x", "T", [charts.Bar("Part time", 1.0, True)], 0.5)
    assert "100% (below 0.8)</text>" in drawn
    assert all(right <= charts.WIDTH for _, _, right in _extents(drawn))


def test_the_macro_escapes_labels_and_draws_every_shape():
    drawn = svg(
        "chart-y", "Flags & <b>groups</b>", [charts.Bar("<script>", 0.4, True), charts.Bar("B", None)], 0.3
    )
    assert "<script>" not in drawn
    assert "&lt;script&gt;" in drawn
    assert '<title id="chart-y-title">Flags &amp; &lt;b&gt;groups&lt;/b&gt;</title>' in drawn
    shapes = charts.flag_rate_chart(
        "chart-y", "T", [charts.Bar("A", 0.4, True), charts.Bar("B", None)], 0.3
    ).shapes
    drawn_elements = re.findall(r"<(text|rect|line) ", drawn)
    assert drawn_elements == [shape.kind for shape in shapes]
    assert 'stroke-dasharray="4 2"' in drawn  # the bar below the line is outlined, not told by colour alone


def test_a_shape_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="not 'circle'"):
        charts.Shape("circle")
