"""Phones: at 320 and 390 px nothing on a participant page reaches past the screen's edge.

The only exception is a wide table inside a scrolling region that is labelled and says it scrolls,
so nobody misses a column (or a "View results" link) without being told it is there.
Screenshots at 390 px are saved as ``narrow-<page>-390.png`` beside the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.checks import SCREENSHOTS, narrow_overflow_problems
from tests.browser.driver import Pointer
from tests.browser.journey import run_participant_journey

pytestmark = pytest.mark.browser

NARROW_WIDTHS = (320, 390)


def test_no_participant_page_is_wider_than_a_phone(new_context: Callable[..., Any]) -> None:
    page = new_context(width=1280).new_page()
    problems: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def visit(name: str) -> None:
        for width in NARROW_WIDTHS:
            problems.extend(f"{name}: {problem}" for problem in narrow_overflow_problems(page, width))
        page.screenshot(path=str(SCREENSHOTS / f"narrow-{name}-390.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": page.viewport_size["height"]})

    record = run_participant_journey(page, Pointer(page), visit)
    assert "results" in record.pages
    assert not problems, "\n".join(problems)
