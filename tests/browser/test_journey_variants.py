"""The same journey with the keyboard alone, with JavaScript off, and on a 320-px-wide screen.

Each is a different way people use the service: keyboard and switch users, locked-down NHS
browsers or failed script loads, and small phones or 400% zoom (WCAG 1.4.10 reflow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assessments.content_validity import RELEVANCE
from tests.browser.checks import OVERFLOW_TOLERANCE, PageChecks, horizontal_scroll_width
from tests.browser.driver import Keyboard, Pointer
from tests.browser.journey import RATED_BEFORE_LEAVING, RELEVANCE_GIVEN, programme, run_participant_journey

pytestmark = pytest.mark.browser


def _assert_finished(record: Any) -> None:
    framework = programme()
    assert record.resumed_at == record.stopped_at
    assert record.stopped_at.endswith(f"/domains/{framework.domains[RATED_BEFORE_LEAVING].id}")
    assert framework.name in record.pdf_text
    assert record.score_text in record.pdf_text
    # The relevance answers, given by keyboard, without scripts or on a small screen, were saved.
    answer = RELEVANCE[RELEVANCE_GIVEN]
    assert record.check_text.count(f"Importance to your job: {answer}") == len(framework.domains)


def test_keyboard_only_journey(new_context: Callable[..., Any]) -> None:
    context = new_context()
    # Count real pointer presses on every page; keyboard activation fires click but no pointerdown.
    context.add_init_script(
        "addEventListener('pointerdown', (e) => { if (e.isTrusted) sessionStorage.setItem('pointerPresses', "
        "String(Number(sessionStorage.getItem('pointerPresses') || 0) + 1)); }, true);"
    )
    page = context.new_page()
    pointer_used: list[str] = []

    def visit(name: str) -> None:
        if page.evaluate("Number(sessionStorage.getItem('pointerPresses') || 0)"):
            pointer_used.append(name)

    record = run_participant_journey(page, Keyboard(page), visit)

    _assert_finished(record)
    assert not pointer_used, f"the pointer was used on: {pointer_used}"


def test_journey_without_javascript(new_context: Callable[..., Any]) -> None:
    page = new_context(java_script_enabled=False).new_page()
    checks = PageChecks()

    def visit(name: str) -> None:
        assert not page.evaluate("document.body.classList.contains('js-enabled')"), "scripts ran"
        checks.check(page, f"no-js-{name}")

    record = run_participant_journey(page, Pointer(page), visit)

    _assert_finished(record)
    checks.assert_clean()


def test_journey_at_320_pixels_wide(new_context: Callable[..., Any]) -> None:
    page = new_context(width=320, height=640).new_page()
    too_wide: list[str] = []

    def visit(name: str) -> None:
        width = horizontal_scroll_width(page)
        if width > 320 + OVERFLOW_TOLERANCE:
            too_wide.append(f"{name} ({page.url}): scrollWidth {width}")

    # Clicks at this width also prove every control is visible and not covered by another.
    record = run_participant_journey(page, Pointer(page), visit)

    _assert_finished(record)
    assert not too_wide, "pages that scroll sideways at 320 px:\n" + "\n".join(too_wide)
