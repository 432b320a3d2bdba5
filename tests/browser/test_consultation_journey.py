"""A designer runs a whole consultation in real Chromium while a participant takes part without JavaScript.

Gather, merge, vote, results and PDF, with every page checked (axe, titles, headings, labels,
focus, reflow at 320 px) and the error states of the forms people meet.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
from pypdf import PdfReader

from tests.browser.checks import PageChecks
from tests.browser.conftest import LiveServer
from tests.browser.driver import Pointer
from tests.browser.journey import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def designer_email(live_server: LiveServer) -> str:
    from app.auth.services import create_user
    from app.extensions import db

    email = f"consultant-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        create_user(email, PASSWORD, role="designer", display_name="Casey Consultant")
        db.session.remove()
    return email


def _main(page: Any) -> str:
    return page.locator("main").inner_text()


def test_a_designer_runs_a_consultation_and_a_participant_takes_part_without_javascript(
    new_context: Any, designer_email: str
) -> None:
    checks = PageChecks()
    designer = new_context().new_page()
    drive = Pointer(designer)
    designer.goto("/login")
    sign_in(designer, drive, designer_email)
    drive.activate(designer.get_by_role("link", name="Consultations", exact=True))
    checks.check(designer, "consultation-list")

    drive.activate(designer.get_by_role("link", name="Create a consultation"))
    drive.activate(designer.get_by_role("button", name="Create consultation"))
    assert designer.title().startswith("Error: "), designer.title()
    checks.check(designer, "consultation-new-error")
    proposal = f"Certify digital leaders {uuid.uuid4().hex[:6]}"
    drive.fill(designer.locator("#proposal"), proposal)
    drive.activate(designer.get_by_role("button", name="Create consultation"))
    drive.choose("side", "advantage")
    drive.fill(designer.locator("#text"), "Formalises a career path")
    drive.activate(designer.get_by_role("button", name="Add point"))
    drive.activate(designer.get_by_role("button", name="Open for ideas"))
    checks.check(designer, "consultation-manage")
    code = designer.locator(".certready-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}", code), code

    # A participant on a phone, JavaScript off, types the code in lower case.
    person = new_context(java_script_enabled=False, width=390).new_page()
    walk = Pointer(person)
    person.goto("/consultations/join")
    checks.check(person, "consultation-join")
    walk.fill(person.locator("#code"), code.lower())
    walk.activate(person.get_by_role("button", name="Continue"))
    walk.activate(person.get_by_role("button", name="Join"))
    assert person.title().startswith("Error: "), person.title()
    checks.check(person, "consultation-about-you-error")
    walk.choose("staff_group", "clinical")
    walk.choose("working_pattern", "part-time")
    walk.activate(person.get_by_role("button", name="Join"))
    for text in ("Could exclude some people", "Might exclude people"):
        walk.choose("side", "disadvantage")
        walk.fill(person.locator("#text"), text)
        walk.activate(person.get_by_role("button", name="Add my point"))
    checks.check(person, "consultation-gather")

    # The designer merges the duplicate, then opens voting.
    designer.reload()
    drive.activate(designer.get_by_role("link", name="Merge two items that say the same thing"))
    checks.check(designer, "consultation-merge")
    drive.choose("duplicate", designer.locator("input[name=duplicate]").nth(2).get_attribute("value"))
    drive.choose("kept", designer.locator("input[name=kept]").nth(1).get_attribute("value"))
    drive.activate(designer.get_by_role("button", name="Merge"))
    assert "Might exclude people" not in _main(designer)
    assert "put forward by 2 people" in _main(designer)
    drive.activate(designer.get_by_role("button", name="Close gathering and open voting"))

    # The participant spends too many votes, then a whole budget.
    person.reload()
    assert person.locator("#votes-left").inner_text() == "You have 5 of 5 votes left."
    fields = person.locator("input[name^=votes-]")
    walk.fill(fields.nth(0), "4")
    walk.fill(fields.nth(1), "3")
    walk.activate(person.get_by_role("button", name="Save my votes"))
    assert person.title().startswith("Error: "), person.title()
    checks.check(person, "consultation-vote-error")
    walk.fill(fields.nth(1), "1")
    walk.activate(person.get_by_role("button", name="Save my votes"))
    assert person.locator("#votes-left").inner_text() == "You have 0 of 5 votes left."
    checks.check(person, "consultation-vote")

    drive.activate(designer.get_by_role("button", name="Close voting and see the results"))
    assert "80% of votes favour going ahead" in designer.locator("#reading").inner_text()
    checks.check(designer, "consultation-results")
    download = drive.download(designer.get_by_role("link", name="Results as a PDF"))
    with open(download.path(), "rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert proposal in text
    assert "80% of votes favour going ahead" in text

    person.reload()
    assert person.get_by_role("heading", level=1).inner_text() == "Voting has closed"
    checks.check(person, "consultation-finished")
    checks.assert_clean()
