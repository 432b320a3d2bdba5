"""A programme designer reviews a programme's inclusivity in real Chromium, every page checked."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import pytest

from tests.browser.checks import PageChecks
from tests.browser.conftest import LiveServer
from tests.browser.driver import Pointer
from tests.browser.journey import PASSWORD, programme, sign_in

pytestmark = pytest.mark.browser

COHORT_SIZE = 240  # synthetic, consenting, submitted: enough for groups above the minimum cell


@pytest.fixture(scope="module")
def designer_email(live_server: LiveServer) -> str:
    """A designer account made with the app's own service, and a synthetic cohort to review."""
    from app.auth.services import create_user
    from app.designer import demo
    from app.extensions import db
    from app.journey.services import snapshot_for

    email = f"designer-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        create_user(email, PASSWORD, role="designer", display_name="Dana Designer")
        framework = programme()
        snapshot = snapshot_for(framework)
        db.session.commit()
        demo.generate(framework, snapshot.id, COHORT_SIZE, seed=7, repeat_share=0.3)
        db.session.remove()
    return email


def test_designer_reviews_a_programme_and_runs_a_what_if(page: Any, designer_email: str) -> None:
    framework = programme()
    driver = Pointer(page)
    checks = PageChecks()

    page.goto("/login")
    sign_in(page, driver, designer_email)
    driver.activate(page.locator("header").get_by_role("link", name="Designer"))
    checks.check(page, "designer-programmes")

    driver.activate(page.get_by_role("link", name=framework.name, exact=True))
    assert page.get_by_role("heading", level=1).inner_text().strip() == f"{framework.name}: inclusivity"
    checks.check(page, "designer-dashboard")

    download = driver.download(page.get_by_role("link", name="Download this table (CSV)"))
    assert download.suggested_filename == f"{framework.id}-{framework.version}-groups.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        header, *rows = list(csv.reader(io.StringIO(handle.read())))
    # A synthetic cohort: every row starts by saying so.
    assert header[:4] == ["data", "grouping", "group", "participants"], header
    assert {row[0] for row in rows} == {"synthetic demonstration data"}
    assert all(len(row) == len(header) for row in rows), "ragged CSV rows"
    # The CSV holds the same groups as the table on the page (folded in a details), in the same order.
    shown = page.locator("#groups tbody tr").evaluate_all(
        "rows => rows.map(row => row.querySelector('th, td').textContent.trim())"
    )
    assert shown, "the dashboard shows no groups"
    assert [row[2] for row in rows] == shown

    driver.activate(page.get_by_role("link", name="What if: try a redesign"))
    checks.check(page, "designer-what-if")

    # Error state: a number that is not a number.
    driver.fill(page.locator("#in_person_days"), "lots")
    driver.activate(page.get_by_role("button", name="See the effect"))
    assert page.title().startswith("Error: "), page.title()
    checks.check(page, "designer-what-if-error")

    driver.fill(page.locator("#in_person_days"), "0")
    driver.choose("part_time_pathway", "yes")
    driver.choose("bursaries", "yes")
    driver.activate(page.get_by_role("button", name="See the effect"))
    assert not page.title().startswith("Error: "), page.title()
    main_text = page.locator("main").inner_text()
    assert re.search(r"part.time pathway: yes", main_text, re.IGNORECASE), main_text[:500]
    assert re.search(r"bursaries: yes", main_text, re.IGNORECASE), main_text[:500]
    done = re.search(r"Done: ([\d,]+) participants", main_text)
    assert done, main_text[-800:]
    assert int(done.group(1).replace(",", "")) >= COHORT_SIZE
    assert page.locator("#whatif-keys tbody tr").count() >= 1
    checks.check(page, "designer-what-if-results")

    # Save the same change as a scenario, then visit the designer's other pages.
    driver.activate(page.get_by_role("link", name="Try another change"))
    driver.choose("part_time_pathway", "yes")
    driver.fill(page.locator("#name"), "Part-time pathway")
    driver.activate(page.get_by_role("button", name="Save as a scenario"))
    assert "/scenarios" in page.url, page.url
    assert "Part-time pathway" in page.locator("main").inner_text()
    checks.check(page, "designer-scenarios")
    for link, name in (
        ("Rule catalogue and firing rates", "designer-rules"),
        ("Equality impact assessment", "designer-equality-impact"),
        ("Impact over time", "designer-impact"),
    ):
        driver.activate(page.get_by_role("link", name=link))
        checks.check(page, name)
    # Impact over time: the caveat in words, figures from the repeat assessments, split by a grouping.
    main_text = page.locator("main").inner_text()
    assert "observational and self-rated" in main_text.lower(), main_text[:500]
    assert re.search(r"[\d,]+ people have submitted this assessment twice or more", main_text), main_text[
        :800
    ]
    page.locator("#by").select_option("contract")
    driver.activate(page.get_by_role("button", name="Show figures"))
    assert "by=contract" in page.url, page.url
    assert page.locator("#by-group tbody tr").count() >= 2
    checks.check(page, "designer-impact-by-contract")
    page.goto("/designer/upload")
    checks.check(page, "designer-upload")
    driver.activate(page.get_by_role("button", name="Upload and check"))
    assert page.title().startswith("Error: "), page.title()
    checks.check(page, "designer-upload-error")

    checks.assert_clean()
