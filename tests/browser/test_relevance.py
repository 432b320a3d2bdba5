"""The job-relevance question on a rating page, in real Chromium: axe at 390 and 1280 px, and
without JavaScript. The journeys answer it too (``journey.rate_domain``); here the page is checked
in its error state as well, and the stored answers are read back from the database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.checks import PageChecks
from tests.browser.driver import Pointer
from tests.browser.journey import PASSWORD, PROGRAMME_ID, planned_levels, programme, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def rater(live_server: Any) -> tuple[str, int]:
    """A participant with a profile and an assessment in progress: ``(email, assessment id)``."""
    from app.auth.services import create_user
    from app.journey import services

    email = f"relevance-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        user = create_user(email, PASSWORD, display_name="Rae Rater")
        services.save_profile_answers(user, {"staff_group": "non-clinical", "contract": "full-time"})
        return email, services.start_assessment(user, PROGRAMME_ID).id


def _stored(live_server: Any, assessment_id: int) -> dict[str, str | None]:
    from app.extensions import db
    from app.models import Rating

    with live_server.app.app_context():
        rows = db.session.execute(
            select(Rating.criterion_id, Rating.relevance).where(Rating.assessment_id == assessment_id)
        )
        return {row.criterion_id: row.relevance for row in rows.all()}


def _open_first_domain(page: Any, email: str, assessment_id: int) -> Any:
    page.goto("/login")
    sign_in(page, Pointer(page), email)
    domain = programme().domains[0]
    page.goto(f"/assessments/{assessment_id}/domains/{domain.id}")
    return domain


@pytest.mark.parametrize("width", [390, 1280])
def test_rating_page_with_the_question_passes_the_checks(
    new_context: Callable[..., Any], live_server: Any, rater: tuple[str, int], width: int
) -> None:
    email, assessment_id = rater
    page = new_context(width=width).new_page()
    driver = Pointer(page)
    checks = PageChecks()
    domain = _open_first_domain(page, email, assessment_id)
    first = domain.criteria[0]
    checks.check(page, f"relevance-rating-{width}")

    # Answered without a level, then saved for later: refused next to the criterion, answer kept.
    driver.choose(f"relevance-{first.id}", "useful")
    driver.activate(page.get_by_role("button", name="Save and come back later"))
    assert page.title().startswith("Error: "), page.title()
    assert page.locator(f"[id='level-{first.id}-error']").is_visible()
    assert page.locator(f"input[name='relevance-{first.id}'][value='useful']").is_checked()
    checks.check(page, f"relevance-rating-error-{width}")

    levels = planned_levels(programme())
    for criterion in domain.criteria:
        driver.choose(f"level-{criterion.id}", levels[criterion.id])
    driver.activate(page.get_by_role("button", name="Save and continue"))
    assert not page.title().startswith("Error: "), page.title()
    checks.assert_clean()
    assert _stored(live_server, assessment_id)[first.id] == "useful"


def test_the_question_works_without_javascript(
    new_context: Callable[..., Any], live_server: Any, rater: tuple[str, int]
) -> None:
    email, assessment_id = rater
    page = new_context(java_script_enabled=False, width=390).new_page()
    driver = Pointer(page)
    domain = _open_first_domain(page, email, assessment_id)
    levels = planned_levels(programme())
    for criterion in domain.criteria:
        driver.choose(f"level-{criterion.id}", levels[criterion.id])
        driver.choose(f"relevance-{criterion.id}", "not-necessary")
    driver.activate(page.get_by_role("button", name="Save and come back later"))
    assert not page.title().startswith("Error: "), page.title()
    assert set(_stored(live_server, assessment_id).values()) == {"not-necessary"}

    # Changing one's mind: "No answer" takes the answer away again.
    page.goto(f"/assessments/{assessment_id}/domains/{domain.id}")
    first = domain.criteria[0]
    assert page.locator(f"input[name='relevance-{first.id}'][value='not-necessary']").is_checked()
    driver.choose(f"relevance-{first.id}", "no-answer")
    driver.activate(page.get_by_role("button", name="Save and come back later"))
    stored = _stored(live_server, assessment_id)
    assert stored[first.id] is None
    assert {stored[c.id] for c in domain.criteria[1:]} == {"not-necessary"}
