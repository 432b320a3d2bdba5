"""Error states and account pages the journeys do not pass through, each checked like any page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.browser.checks import PageChecks
from tests.browser.driver import Pointer
from tests.browser.journey import PASSWORD, programme, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def participant_email(live_server: Any) -> str:
    from app.auth.services import create_user

    email = f"errors-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        create_user(email, PASSWORD, display_name="Eve Errors")
    return email


def test_error_pages_meet_the_checks(page: Any, participant_email: str) -> None:
    driver = Pointer(page)
    checks = PageChecks()

    page.goto("/reset-password")
    driver.activate(page.get_by_role("button", name=re.compile("reset|send|continue", re.IGNORECASE)))
    assert page.title().startswith("Error: "), page.title()
    checks.check(page, "reset-password-error")

    page.goto("/login")
    sign_in(page, driver, participant_email)
    page.goto("/account/change-password")
    checks.check(page, "change-password")
    driver.activate(page.locator("main").get_by_role("button"))
    assert page.title().startswith("Error: "), page.title()
    checks.check(page, "change-password-error")

    # The account's privacy pages, and deleting the account without the password.
    for path, name in (
        ("/account/data", "account-data"),
        ("/account/consent", "account-consent"),
        ("/profile/", "about-you-summary"),
        ("/account/delete", "account-delete"),
    ):
        page.goto(path)
        checks.check(page, name)
    driver.activate(page.get_by_role("button", name="Delete my account"))
    assert page.title().startswith("Error: "), page.title()
    checks.check(page, "account-delete-error")

    # Submitting an assessment with nothing rated: the errors link to the pages that answer them.
    page.goto("/programmes")
    driver.activate(page.get_by_role("button", name=f"Start assessment for {programme().name}"))
    assessment_id = re.search(r"assessment=(\d+)", page.url)
    assert assessment_id, page.url
    page.goto(f"/assessments/{assessment_id.group(1)}/check")
    driver.activate(page.get_by_role("button", name="Submit and see my results"))
    assert page.title().startswith("Error: "), page.title()
    assert page.locator(".nhsuk-error-summary a").count() >= 1
    checks.check(page, "check-answers-error")

    checks.assert_clean()
