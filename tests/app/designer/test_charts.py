"""The flag-rate chart keeps every label inside its box, whatever the rates and group names."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.designer import charts


def _extents(svg: str) -> list[tuple[str, float, float]]:
    """(text, left, right) of every text element, from its anchor and the chart's width estimate."""
    found = []
    for element in re.finditer(r"<text [^>]*>[^<]*</text>", svg):
        tag = element.group(0)
        x = float(re.search(r'x="([\d.]+)"', tag).group(1))
        size = float(re.search(r'font-size="(\d+)"', tag).group(1))
        anchor = re.search(r'text-anchor="(\w+)"', tag)
        text = re.search(r">([^<]*)<", tag).group(1)
        width = charts.text_width(text.replace("&amp;", "&"), size)
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
    svg = charts.flag_rate_chart("chart-test", "A chart", bars, line)
    for text, left, right in _extents(svg):
        assert left >= 0, (text, left)
        assert right <= charts.WIDTH, (text, right)


def test_a_full_bar_below_the_line_keeps_its_whole_value():
    """The issue's "100% (belo" at 1280 px: the value now sits inside the bar, whole."""
    svg = charts.flag_rate_chart("chart-x", "T", [charts.Bar("Part time", 1.0, True)], 0.5)
    assert "100% (below 0.8)</text>" in svg
    assert all(right <= charts.WIDTH for _, _, right in _extents(svg))
