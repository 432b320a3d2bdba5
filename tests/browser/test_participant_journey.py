"""A participant's whole journey in real Chromium, every page checked (axe and our own checks)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessments.content_validity import RELEVANCE
from tests.browser.checks import PageChecks
from tests.browser.driver import Pointer
from tests.browser.journey import RATED_BEFORE_LEAVING, RELEVANCE_GIVEN, programme, run_participant_journey

pytestmark = pytest.mark.browser


def test_participant_journey_with_every_page_checked(page: Any) -> None:
    checks = PageChecks()
    record = run_participant_journey(page, Pointer(page), lambda name: checks.check(page, name))

    framework = programme()
    assert record.resumed_at == record.stopped_at
    assert record.stopped_at.endswith(f"/domains/{framework.domains[RATED_BEFORE_LEAVING].id}")
    assert framework.name in record.pdf_text
    assert record.score_text in record.pdf_text
    assert "domain-1-error" in record.pages, "saving an empty domain page showed no errors"
    # One relevance answer per domain reached check answers, in words.
    answer = RELEVANCE[RELEVANCE_GIVEN]
    assert record.check_text.count(f"Importance to your job: {answer}") == len(framework.domains)

    # Back on the results, say the programme was completed: an empty answer first, then a real one.
    driver = Pointer(page)
    driver.activate(page.get_by_role("link", name="View results").first)
    driver.activate(
        page.get_by_role("link", name=re.compile("^Tell us if you have enrolled in or completed"))
    )
    checks.check(page, "programme-progress")
    driver.activate(page.get_by_role("button", name="Save answer"))
    assert page.title().startswith("Error: "), page.title()
    checks.check(page, "programme-progress-error")
    driver.choose("status", "completed")
    driver.fill(page.locator("#month"), "3")
    driver.fill(page.locator("#year"), "2026")
    driver.activate(page.get_by_role("button", name="Save answer"))
    assert page.url.endswith("/results#programme-progress") or "/results" in page.url, page.url
    assert (
        page.locator("#programme-progress-answer").inner_text().startswith("You completed it in March 2026")
    )
    checks.check(page, "results-with-programme-progress")
    checks.assert_clean()
