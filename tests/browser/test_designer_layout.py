"""The designer's screens laid out in real Chromium at 320, 390 and 1280 px, with and without JavaScript.

At every width no element is wider than the box it sits in (outside the tables' and charts' own
scrolling regions, which scroll instead), every chart's text lies inside its SVG's box, and axe
finds nothing. The what-if results page shows the results only once they have arrived. "Impact
over time" is laid out with its figures (a cohort with repeat assessments) and with them withheld
(a programme where nearly everyone assessed twice).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.checks import axe_violations, chart_problems
from tests.browser.conftest import LiveServer
from tests.browser.driver import Pointer
from tests.browser.journey import PASSWORD, programme, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 1280)
TOLERANCE = 1.5
WITHHELD_PROGRAMME = "fedip-practitioner"
"""A programme no other browser test gives a cohort: 40 people assessed twice, 3 only once."""

OVERFLOWING = r"""() => {
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const problems = [];
  for (const el of document.querySelectorAll('main *')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;  // checked by CHART_TEXT
    const style = getComputedStyle(el);
    if (style.display === 'inline' || style.position === 'absolute' || style.position === 'fixed') continue;
    // NHS.UK radios and checkboxes: the real input is invisible and larger than its label's box
    // on purpose (a bigger target), and their list sits 2 px into the fieldset's padding.
    if (style.opacity === '0' || el.matches('.nhsuk-radios, .nhsuk-checkboxes')) continue;
    const parent = el.parentElement;
    if (!parent) continue;
    let inScroller = false;
    for (let up = parent; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) { inScroller = true; break; }
    }
    if (inScroller) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const outer = parent.getBoundingClientRect();
    if (box.right > outer.right + TOL || box.left < outer.left - TOL) {
      problems.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ` +
        `(${Math.round(box.left)}–${Math.round(box.right)}) outside its container ` +
        `${parent.tagName.toLowerCase()} (${Math.round(outer.left)}–${Math.round(outer.right)})`);
    }
  }
  if (document.scrollingElement.scrollWidth > window.innerWidth + TOL) {
    problems.push(`the page scrolls sideways (${document.scrollingElement.scrollWidth} px)`);
  }
  return problems.slice(0, 8);
}""".replace("TOL", str(TOLERANCE))

CHART_TEXT = r"""() => {
  const problems = [];
  for (const svg of document.querySelectorAll('svg[viewBox]')) {
    const [x0, y0, w, h] = svg.getAttribute('viewBox').split(/\s+/).map(Number);
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      if (b.x < x0 - 0.5 || b.y < y0 - 0.5 || b.x + b.width > x0 + w + 0.5 || b.y + b.height > y0 + h + 0.5) {
        const where = `${b.x.toFixed(0)}–${(b.x + b.width).toFixed(0)}`;
        problems.push(`"${text.textContent}" (${where}) outside ${w}×${h}`);
      }
    }
  }
  return problems.slice(0, 8);
}"""

SMALLEST_CHART_TEXT = r"""() => {
  let smallest = Infinity;
  for (const svg of document.querySelectorAll('svg[viewBox]')) {
    if (svg.getBoundingClientRect().width === 0) continue;
    const scale = svg.getBoundingClientRect().width / Number(svg.getAttribute('viewBox').split(/\s+/)[2]);
    for (const text of svg.querySelectorAll('text')) {
      smallest = Math.min(smallest, Number(text.getAttribute('font-size')) * scale);
    }
  }
  return smallest;
}"""


@pytest.fixture(scope="module")
def designer_email(live_server: LiveServer) -> str:
    from app.auth.services import create_user
    from app.designer import demo
    from app.extensions import db
    from app.journey.services import snapshot_for
    from assessments.framework import shipped_frameworks

    email = f"layout-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        create_user(email, PASSWORD, role="designer", display_name="Lee Layout")
        framework = programme()
        snapshot = snapshot_for(framework)
        db.session.commit()
        # A share of people with an earlier assessment too, for "Impact over time".
        demo.generate(framework, snapshot.id, 400, seed=21, repeat_share=0.3)
        # Nearly everyone assessed twice: 40 repeated beside the dashboard's 43 would give away
        # the 3 who assessed once, so the impact page withholds its figures.
        withheld = shipped_frameworks()[WITHHELD_PROGRAMME]
        withheld_snapshot = snapshot_for(withheld)
        db.session.commit()
        demo.generate(withheld, withheld_snapshot.id, 40, seed=22, repeat_share=1.0)
        demo.generate(withheld, withheld_snapshot.id, 3, seed=23)
        db.session.remove()
    return email


def _pages() -> list[str]:
    base = f"/designer/programmes/{programme().id}"
    return [
        "/designer/",
        base,
        f"{base}?by=ethnic_group",
        f"{base}?by=contract&and_by=caring",
        f"{base}/equality-impact",
        f"{base}/rules",
        f"{base}/what-if",
        f"{base}/scenarios",
        f"{base}/fit-for-purpose",
        f"{base}/fit-for-purpose?by=sector",
        f"{base}/impact",
        f"{base}/impact?by=contract",
        f"/designer/programmes/{WITHHELD_PROGRAMME}/impact",
    ]


def _open_every_details(page: Any) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")


def _layout_problems(page: Any, url: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{url} at {width} px: {p}" for p in page.evaluate(OVERFLOWING)]
        problems += [f"{url} at {width} px: chart text {p}" for p in page.evaluate(CHART_TEXT)]
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        if smallest != float("inf") and smallest < 9:
            problems.append(f"{url} at {width} px: chart text shrinks to {smallest:.1f} px")
    return problems


def _signed_in(page: Any, email: str) -> Pointer:
    """The page signed in with the pointer, as a designer would; the pointer to go on with."""
    driver = Pointer(page)
    page.goto("/login")
    sign_in(page, driver, email)
    return driver


def _axe_at_every_width(page: Any, url: str) -> list[str]:
    page.goto(url)
    _open_every_details(page)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{url} at {width} px: {p}" for p in axe_violations(page)]
    return problems


def _signed_in_without_javascript(new_context: Any, email: str, width: int) -> Any:
    """A page in a context with JavaScript off, signed in through the plain form."""
    page = new_context(java_script_enabled=False, width=width, height=900).new_page()
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def _split_by_contract(plain: Any, url: str, button: str) -> None:
    """Choose a grouping in the page's form and send it, as a browser without JavaScript does."""
    plain.goto(url)
    plain.select_option("#by", "contract")
    plain.get_by_role("button", name=button).click()
    assert "by=contract" in plain.url, plain.url


def test_designer_pages_fit_every_width_with_readable_charts(page: Any, designer_email: str) -> None:
    _signed_in(page, designer_email)
    assert page.url.endswith("/designer/"), page.url  # a designer lands on the designer's home
    problems: list[str] = []
    for url in _pages():
        page.goto(url)
        _open_every_details(page)
        problems += _layout_problems(page, url)
        page.set_viewport_size({"width": 1280, "height": 900})
        problems += [f"{url}: {p}" for p in chart_problems(page) + axe_violations(page)]
    assert problems == [], "\n".join(problems)


def test_what_if_results_show_results_only_and_fit(page: Any, designer_email: str) -> None:
    driver = _signed_in(page, designer_email)
    page.goto(f"/designer/programmes/{programme().id}/what-if")
    driver.choose("part_time_pathway", "yes")
    driver.activate(page.get_by_role("button", name="See the effect"))
    assert page.locator("#whatif-results").is_visible()
    assert not page.locator("#progress").is_visible(), "the progress lines stay on the results page"
    assert page.get_by_role("button", name="Save this scenario").is_visible()
    problems = _layout_problems(page, page.url) + axe_violations(page)
    assert problems == [], "\n".join(problems)


def test_designer_pages_work_without_javascript(new_context: Any, designer_email: str) -> None:
    page = _signed_in_without_javascript(new_context, designer_email, 390)
    page.goto(f"/designer/programmes/{programme().id}/equality-impact")
    summary = page.locator("#characteristic-sex summary")
    summary.click()
    assert page.locator("#characteristic-sex .nhsuk-details__text").is_visible()
    page.get_by_role("link", name="Actions").click()
    assert page.url.endswith("#actions")
    assert page.locator("#synthetic-cohort").is_visible()


def test_fit_for_purpose_passes_axe_at_every_width_and_works_without_javascript(
    page: Any, new_context: Any, designer_email: str
) -> None:
    _signed_in(page, designer_email)
    problems = _axe_at_every_width(page, f"/designer/programmes/{programme().id}/fit-for-purpose?by=sector")
    assert problems == [], "\n".join(problems)
    # The demo cohort's modelled answers show a disagreement in the summary.
    assert "do not rate" in page.locator("#fitness-differences").inner_text()

    plain = _signed_in_without_javascript(new_context, designer_email, 320)
    _split_by_contract(plain, f"/designer/programmes/{programme().id}/fit-for-purpose", "Show groups")
    first = plain.locator("#groups-section details").first
    first.locator("summary").click()
    assert "Full time" in first.inner_text()
    assert plain.locator("#synthetic-cohort").is_visible()


def test_impact_over_time_passes_axe_at_every_width_and_works_without_javascript(
    page: Any, new_context: Any, designer_email: str
) -> None:
    _signed_in(page, designer_email)
    shown = f"/designer/programmes/{programme().id}/impact?by=contract"
    withheld = f"/designer/programmes/{WITHHELD_PROGRAMME}/impact"
    problems = _axe_at_every_width(page, shown) + _axe_at_every_width(page, withheld)
    assert problems == [], "\n".join(problems)
    # With repeat assessments the figures are shown; with 3 of 43 assessed once, they are withheld.
    page.goto(shown)
    assert page.locator("#by-group tbody tr").count() >= 2
    assert "twice or more" in page.locator("#overall-change").inner_text()
    page.goto(withheld)
    assert page.locator("#overall").count() == 0
    assert "the few (fewer than 10) who assessed only once" in page.locator("#too-few").inner_text()

    plain = _signed_in_without_javascript(new_context, designer_email, 320)
    _split_by_contract(plain, f"/designer/programmes/{programme().id}/impact", "Show figures")
    assert plain.locator("#by-group tbody tr").count() >= 2
    plain.locator("#method summary").click()
    assert plain.locator("#method .nhsuk-details__text").is_visible()
    plain.goto(withheld)
    assert plain.locator("#too-few").is_visible()
