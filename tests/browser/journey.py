"""The participant journey, written once and run with each driver, script setting and width.

register (signed in at once) -> "About you" -> choose a programme -> rate two domains -> sign out ->
sign in -> resume exactly there -> rate the rest -> check answers -> submit -> results -> PDF -> account.
``visit(name)`` is called on every page (and on each error state) so a run can check the page, or only
its width.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pypdf import PdfReader

from assessments.framework import Framework, shipped_frameworks
from assessments.ratings import Rating
from assessments.results import whole_score
from assessments.scoring import readiness
from tests.browser.driver import Pointer

PROGRAMME_ID = "bcs-citp"
PASSWORD = "purple kettle harbour lantern"
RATED_BEFORE_LEAVING = 2

Visit = Callable[[str], None]


def programme() -> Framework:
    frameworks = shipped_frameworks()
    found = frameworks.get(PROGRAMME_ID) if isinstance(frameworks, dict) else None
    if found is None:
        found = next(f for f in frameworks if getattr(f, "id", None) == PROGRAMME_ID)
    return found


def planned_levels(framework: Framework) -> dict[str, str]:
    """A level for every criterion, spread over the scale so the score is not a trivial 0 or 100."""
    top = framework.max_level
    levels: dict[str, str] = {}
    for index, criterion in enumerate(c for domain in framework.domains for c in domain.criteria):
        levels[criterion.id] = "no-opportunity" if index == 1 else str((index % top) + 1)
    return levels


def expected_score(framework: Framework, levels: dict[str, str]) -> float:
    ratings = {
        cid: Rating(no_opportunity=True) if value == "no-opportunity" else Rating(level=int(value))
        for cid, value in levels.items()
    }
    return readiness(framework, ratings).score


@dataclass
class JourneyRecord:
    """What a run saw, for the test to assert on."""

    email: str
    stopped_at: str = ""
    resumed_at: str = ""
    score_text: str = ""
    pdf_text: str = ""
    check_text: str = ""
    pages: list[str] = field(default_factory=list)


def path_of(url: str) -> str:
    return urlsplit(url).path


def run_participant_journey(page: Any, driver: Pointer, visit: Visit) -> JourneyRecord:
    framework = programme()
    levels = planned_levels(framework)
    record = JourneyRecord(email=f"participant-{uuid.uuid4().hex[:10]}@example.com")

    def seen(name: str) -> None:
        record.pages.append(name)
        visit(name)

    page.goto("/")
    seen("home")
    driver.activate(page.locator("header").get_by_role("link", name="Register"))
    seen("register")

    # Error state: the form sent empty.
    driver.activate(page.get_by_role("button", name="Create account"))
    assert page.title().startswith("Error: "), page.title()
    seen("register-error")
    driver.fill(page.locator("#email"), record.email)
    driver.fill(page.locator("#display_name"), "Sam Example")
    driver.fill(page.locator("#password"), PASSWORD)
    driver.fill(page.locator("#confirm_password"), PASSWORD)
    driver.activate(page.get_by_role("button", name="Create account"))
    # Signed in at once, and on to the first "About you" page.
    assert path_of(page.url) == "/profile/working-pattern", page.url
    fill_about_you(page, driver, seen)
    assert path_of(page.url) == "/profile/", page.url
    seen("about-you-summary")

    driver.activate(page.locator("header").get_by_role("link", name="Your assessments"))
    assert path_of(page.url) == "/assessments/", page.url
    seen("assessments-none")
    driver.activate(page.get_by_role("link", name="Choose a programme"))
    seen("programmes")
    driver.activate(page.get_by_role("button", name=f"Start assessment for {framework.name}"))

    domains = framework.domains
    assert path_of(page.url).endswith(f"/domains/{domains[0].id}"), page.url
    seen("domain-1")
    # Error state: a domain saved with nothing chosen.
    driver.activate(page.get_by_role("button", name="Save and continue"))
    if page.title().startswith("Error: "):
        seen("domain-1-error")
    for position in range(1, RATED_BEFORE_LEAVING + 1):
        if position > 1:
            seen(f"domain-{position}")
        rate_domain(page, driver, domains[position - 1], levels)
    record.stopped_at = path_of(page.url)
    assert record.stopped_at.endswith(f"/domains/{domains[RATED_BEFORE_LEAVING].id}"), page.url

    # Leave, come back, and carry on exactly where they stopped.
    driver.activate(page.locator("header").get_by_role("button", name="Sign out"))
    assert path_of(page.url) == "/", page.url
    assert page.locator("header").get_by_role("link", name="Sign in").count() == 1
    seen("home-signed-out")
    driver.activate(page.locator("header").get_by_role("link", name="Sign in"))
    seen("sign-in")
    # Error state: the sign-in form sent empty.
    driver.activate(page.get_by_role("button", name="Sign in"))
    assert page.title().startswith("Error: "), page.title()
    seen("sign-in-error")
    sign_in(page, driver, record.email)
    seen("assessments-in-progress")
    driver.activate(page.locator("#in-progress").get_by_role("link", name=re.compile(r"^Continue")))
    record.resumed_at = path_of(page.url)
    for position in range(RATED_BEFORE_LEAVING + 1, len(domains) + 1):
        if position > RATED_BEFORE_LEAVING + 1:
            seen(f"domain-{position}")
        rate_domain(page, driver, domains[position - 1], levels)

    assert path_of(page.url).endswith("/check"), page.url
    seen("check-answers")
    record.check_text = page.locator("main").inner_text()
    driver.activate(page.get_by_role("button", name="Submit and see my results"))
    assert path_of(page.url).endswith("/results"), page.url
    seen("results")
    record.score_text = page.locator("#readiness-score").inner_text().strip()
    assert int(record.score_text) == whole_score(expected_score(framework, levels))

    download = driver.download(page.get_by_role("button", name="Download PDF report"))
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        record.pdf_text = pdf_text(handle.read())

    driver.activate(page.locator("header").get_by_role("link", name="Account"))
    seen("account")
    driver.activate(page.locator("header").get_by_role("link", name="Your assessments"))
    seen("assessments-finished")
    return record


def sign_in(page: Any, driver: Pointer, email: str) -> None:
    driver.fill(page.locator("#email"), email)
    driver.fill(page.locator("#password"), PASSWORD)
    driver.activate(page.get_by_role("button", name="Sign in"))
    assert not page.title().startswith("Error: "), f"sign-in failed: {page.title()}"


def fill_about_you(page: Any, driver: Pointer, seen: Visit) -> None:
    """Answer the "About you" pages: a few answers, most left blank (they are optional).

    The equality pages are answered one topic at a time: one answer, one "Prefer not to say",
    one "Skip this question", the rest left blank with "Continue".
    """
    answers: dict[str, Callable[[], None]] = {
        "working-pattern": lambda: (
            driver.choose("contract", "part-time"),
            driver.fill(page.locator("#hours_per_week"), "30"),
        ),
        "context": lambda: driver.choose("nation", "england"),
        "background": lambda: driver.choose("staff_group", "non-clinical"),
        "equality-age": lambda: driver.choose("age_band", "35-44"),
        "equality-religion": lambda: driver.choose("religion", "prefer-not-to-say"),
        "consent": lambda: driver.choose("consent", "yes"),
    }
    skipped = {"equality-disability"}
    for _ in range(24):
        match = re.fullmatch(r"/profile/([a-z-]+)", path_of(page.url))
        if not match:
            return
        slug = match.group(1)
        seen(f"about-you-{slug}")
        assert re.match(r"About you: Step \d+ of \d+", page.locator("#profile-step").inner_text()), slug
        if slug == "equality-information":
            driver.activate(page.get_by_role("button", name="Answer the equality questions"))
            continue
        if slug == "background":
            # Error state: the one required question left unanswered.
            driver.activate(page.get_by_role("button", name="Save and continue"))
            assert page.title().startswith("Error: "), page.title()
            seen("about-you-background-error")
        if slug in answers:
            answers[slug]()
        if slug in skipped:
            button = "Skip this question"
        else:
            button = "Continue" if slug.startswith("equality-") else "Save and continue"
        driver.activate(page.get_by_role("button", name=button, exact=True))
        assert not page.title().startswith("Error: "), f"{slug}: {page.title()}"
    raise AssertionError(f"the About you pages never ended (still at {page.url})")


RELEVANCE_GIVEN = "essential"
"""The job-relevance answer the journey gives each domain's first criterion (the rest stay unanswered)."""


def rate_domain(page: Any, driver: Pointer, domain: Any, levels: dict[str, str]) -> None:
    for criterion in domain.criteria:
        driver.choose(f"level-{criterion.id}", levels[criterion.id])
    # The optional question, answered once a page with one click (or arrow key).
    driver.choose(f"relevance-{domain.criteria[0].id}", RELEVANCE_GIVEN)
    driver.activate(page.get_by_role("button", name="Save and continue"))
    assert not page.title().startswith("Error: "), f"{domain.id}: {page.title()}"


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)
