"""What every page a browser journey visits must meet, checked in the real browser.

``check_page(page, name)`` runs axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) and our own checks,
saves screenshots at 320 and 1280 px, and fails with one readable report listing every problem.
Automated rules find only part of the barriers people meet, so the journeys also walk the pages
with the keyboard alone, without JavaScript and at 320 px.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (320, 1280)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# Sub-pixel rounding only; anything wider means the page scrolls sideways (WCAG 1.4.10 reflow).
OVERFLOW_TOLERANCE = 2
MAX_TAB_STOPS = 200

_axe = Axe()


@dataclass
class TitleRegistry:
    """Titles seen this session: one title must not name two different pages."""

    paths_by_title: dict[str, str] = field(default_factory=dict)

    def clash(self, title: str, url: str) -> str | None:
        path = page_kind(url)
        seen = self.paths_by_title.setdefault(title, path)
        return None if seen == path else seen


TITLES = TitleRegistry()


def page_kind(url: str) -> str:
    """The path with numeric ids replaced, so /assessments/3/check and /assessments/9/check match."""
    return re.sub(r"/\d+(?=/|$)", "/<id>", urlsplit(url).path)


# --- Each check returns a list of problems (empty when the page passes) --------------------------


def axe_violations(page: Any) -> list[str]:
    """Run axe on the page as rendered. Without JavaScript axe cannot run in that page (its
    promises never settle), so its DOM is replayed, scripts blocked, in a JavaScript-enabled page."""
    results = _axe.run(page, options=AXE_OPTIONS) if _javascript_enabled(page) else _axe_on_snapshot(page)
    problems = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            problems.append(
                f"axe {violation['id']} ({violation['impact']}): {violation['help']} — {target}\n"
                f"      {node['html'][:200]}\n      {node.get('failureSummary', '').strip()[:400]}"
            )
    return problems


def _javascript_enabled(page: Any) -> bool:
    # The layout's module script adds "js-enabled" to <body>; no class means scripts did not run.
    return bool(page.evaluate("document.body.classList.contains('js-enabled')"))


def _axe_on_snapshot(page: Any) -> Any:
    html = page.content()
    url = page.url.split("#")[0]
    viewport = page.viewport_size
    context = page.context.browser.new_context(viewport=viewport, java_script_enabled=True)
    try:
        replay = context.new_page()

        def serve(route: Any) -> None:
            request = route.request
            if request.url.split("#")[0] == url and request.resource_type == "document":
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            elif request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        replay.route("**/*", serve)
        replay.goto(url)
        return _axe.run(replay, options=AXE_OPTIONS)
    finally:
        context.close()


def title_problems(page: Any) -> list[str]:
    title = page.title().strip()
    if not title or title in ("– CertReady", "CertReady"):
        return [f"the <title> is empty ({title!r})"]
    clash = TITLES.clash(title, page.url)
    if clash:
        return [f"the title {title!r} is also the title of {clash}: each page needs its own"]
    return []


def heading_problems(page: Any) -> list[str]:
    count = page.locator("h1").count()
    return [] if count == 1 else [f"the page has {count} <h1> elements; it needs exactly one"]


def skip_link_problems(page: Any) -> list[str]:
    """The first thing Tab reaches is a skip link; following it moves focus to <main>."""
    reset_focus(page)
    page.keyboard.press("Tab")
    first = page.evaluate(
        """() => {
          const el = document.activeElement;
          return el && {tag: el.tagName, href: el.getAttribute('href'), html: el.outerHTML.slice(0, 100)};
        }"""
    )
    if not first or first["tag"] != "A" or not (first["href"] or "").startswith("#"):
        return [f"the first Tab stop is not a skip link: {first and first['html']}"]
    target = first["href"][1:]
    if not page.evaluate("(id) => document.getElementById(id)?.tagName === 'MAIN'", target):
        return [f"the skip link points at #{target}, which is not the <main> element"]
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect(); "
        "return {width: r.width, height: r.height, y: r.y}; })()"
    )
    if box["width"] < 1 or box["height"] < 1 or box["y"] < 0:
        return ["the skip link stays invisible when it has focus"]
    page.keyboard.press("Enter")
    if _javascript_enabled(page):
        if not page.evaluate("(id) => document.activeElement?.id === id", target):
            active = page.evaluate("document.activeElement?.outerHTML.slice(0, 80)")
            return [f"following the skip link left focus on {active}, not on <main>"]
    else:
        # Without scripts the browser moves its focus starting point: the next Tab lands in main.
        page.keyboard.press("Tab")
        inside = page.evaluate(
            """(id) => {
              const main = document.getElementById(id), el = document.activeElement;
              const after = main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
              return !!el && el !== document.body && (main.contains(el) || !!after);
            }""",
            target,
        )
        if not inside:
            return ["after following the skip link, Tab does not continue inside <main>"]
    return []


def label_problems(page: Any) -> list[str]:
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll(
              'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')]
            .filter(el => !el.labels || el.labels.length === 0 ||
                          [...el.labels].every(label => !label.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    return [f"form field without a <label>: {html}" for html in unlabelled]


def error_link_problems(page: Any) -> list[str]:
    """Error summary links go to a field on the page, and that field is described by its error."""
    found = page.evaluate(
        """() => {
          const problems = [];
          const summary = document.querySelector('.nhsuk-error-summary');
          const messages = [...document.querySelectorAll('.nhsuk-error-message')];
          if (!summary) {
            if (messages.length) problems.push('error messages are shown without an error summary');
            return {problems, summary: false};
          }
          const links = [...summary.querySelectorAll('a')];
          const listed = summary.querySelectorAll('li').length;
          if (!listed) problems.push('the error summary lists no errors');
          for (const link of links) {
            const href = link.getAttribute('href') || '';
            const url = new URL(href, location.href);
            if (!href.startsWith('#') && url.origin === location.origin &&
                url.pathname + url.search !== location.pathname + location.search) {
              continue;  // a problem answered on another page (check your answers): the link goes there
            }
            const target = url.hash ? document.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
            if (!target) {
              problems.push(`error summary link ${href} points at nothing on the page`);
              continue;
            }
            if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) {
              const tag = target.tagName.toLowerCase();
              problems.push(`error summary link ${href} points at a <${tag}>, not a field`);
              continue;
            }
            const describers = [target, target.closest('fieldset')].filter(Boolean)
              .flatMap(el => (el.getAttribute('aria-describedby') || '').split(/\\s+/))
              .map(id => document.getElementById(id)).filter(Boolean);
            if (!describers.some(el => el.classList.contains('nhsuk-error-message'))) {
              problems.push(`the field ${href} is not described by its error message (aria-describedby)`);
            }
          }
          return {problems, summary: true};
        }"""
    )
    problems = list(found["problems"])
    if found["summary"] and not page.title().startswith("Error: "):
        problems.append(f"the page shows errors but its title does not start 'Error: ' ({page.title()!r})")
    return problems


def reset_focus(page: Any) -> None:
    """Put the keyboard back at the top of the page, as if it had just loaded."""
    page.evaluate(
        """() => {
          document.activeElement?.blur();
          document.body.tabIndex = -1;
          document.body.focus();
          document.body.removeAttribute('tabindex');
        }"""
    )


_STYLE_SIGNATURE = """(el) => {
  const props = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color',
                 'color', 'text-decoration-line', 'text-decoration-thickness', 'border-color',
                 'border-width'];
  const pick = (style) => props.map(p => style.getPropertyValue(p)).join('|');
  const parts = [pick(getComputedStyle(el))];
  // NHS.UK radios and checkboxes draw their focus ring on the label's ::before box.
  if (el.labels && el.labels[0]) parts.push(pick(getComputedStyle(el.labels[0], '::before')));
  return parts.join('#');
}"""


def focus_problems(page: Any) -> list[str]:
    """Tab through the whole page: every stop must look different focused and unfocused."""
    reset_focus(page)
    problems: list[str] = []
    seen: set[str] = set()
    # One round trip per stop: what has focus, how it looks, and how it looks once blurred. Blurring
    # keeps the browser's focus starting point there, so the next Tab moves on from it.
    probe = f"""() => {{
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const signature = {_STYLE_SIGNATURE};
      const focused = signature(el);
      el.blur();
      return {{key: (el.id || '') + '@' + el.outerHTML.slice(0, 200), focused, unfocused: signature(el)}};
    }}"""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(probe)
        if not stop or stop["key"] in seen:
            break
        seen.add(stop["key"])
        if stop["focused"] == stop["unfocused"]:
            problems.append(f"no visible focus indicator on {stop['key'].split('@', 1)[1][:120]}")
    if not seen:
        problems.append("Tab reaches nothing on the page")
    return problems


def chart_problems(page: Any) -> list[str]:
    missing = page.evaluate(
        r"""() => {
          const shown = (el) =>
            !el.closest('[aria-hidden="true"]') && el.getAttribute('role') !== 'presentation';
          const problems = [];
          for (const img of document.querySelectorAll('img')) {
            if (!img.hasAttribute('alt') && shown(img)) {
              problems.push('img without alt: ' + img.outerHTML.slice(0, 120));
            }
          }
          for (const svg of document.querySelectorAll('svg')) {
            if (!shown(svg) || svg.closest('a, button')) continue;  // icons inside named controls
            const labelledBy = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
              .map(id => document.getElementById(id)?.textContent.trim() || '').join(' ').trim();
            const named = (svg.getAttribute('aria-label') || '').trim() || labelledBy ||
                          svg.querySelector(':scope > title')?.textContent.trim();
            if (!named) problems.push('svg chart without a text alternative: ' + svg.outerHTML.slice(0, 120));
          }
          return problems;
        }"""
    )
    return list(missing)


def reflow_problems(page: Any, width: int) -> list[str]:
    scroll_width = horizontal_scroll_width(page)
    if scroll_width > width + OVERFLOW_TOLERANCE:
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > limit)
                .slice(0, 3).map(el => el.outerHTML.slice(0, 100))""",
            width + OVERFLOW_TOLERANCE,
        )
        return [f"at {width} px the page scrolls sideways (scrollWidth {scroll_width}); widest: {wide}"]
    return []


def narrow_overflow_problems(page: Any, width: int) -> list[str]:
    """Nothing reaches past the right edge of a ``width``-px screen, except inside a scrolling region
    that is labelled and says it scrolls (role=region, tabindex=0, its label or description
    mentioning "scroll"). Stricter than ``reflow_problems``: a table cut off inside a region that
    does not say it scrolls (so a "View results" link out of sight) fails here."""
    page.set_viewport_size({"width": width, "height": page.viewport_size["height"]})
    found = page.evaluate(
        """(limit) => {
          const says = (region) => {
            const ids = (region.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            const words = [region.getAttribute('aria-label') || '',
                           ...ids.map(id => document.getElementById(id)?.textContent || '')].join(' ');
            return region.getAttribute('tabindex') === '0' && /scroll/i.test(words);
          };
          const allowed = (el) => {
            const region = el.closest('[role=region]');
            return !!region && region !== el && says(region);
          };
          return [...document.querySelectorAll('body *')]
            .filter(el => {
              const box = el.getBoundingClientRect();
              return box.width > 0 && box.height > 0 && box.right > limit && !allowed(el);
            })
            .slice(0, 4)
            .map(el => el.outerHTML.slice(0, 120) + ' (right edge '
                       + Math.round(el.getBoundingClientRect().right) + ')');
        }""",
        width + OVERFLOW_TOLERANCE,
    )
    return [f"at {width} px, past the right edge: {item}" for item in found]


def horizontal_scroll_width(page: Any) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def save_screenshots(page: Any, name: str) -> list[str]:
    """Screenshots at each width (a reviewer's view); checks reflow at the narrowest on the way."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    problems: list[str] = []
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": original["height"] if original else 900})
            if width <= 320:
                problems += reflow_problems(page, width)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        if original:
            page.set_viewport_size(original)
    return problems


def page_problems(page: Any, name: str) -> list[str]:
    """Every problem on the page now in ``page``; saves its screenshots as ``name``.

    Leaves the page where it was, but focus and the URL fragment may have moved (the skip link).
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ValueError(f"screenshot name {name!r}: use lower-case letters, digits and hyphens")
    return (
        save_screenshots(page, name)
        + title_problems(page)
        + heading_problems(page)
        + label_problems(page)
        + error_link_problems(page)
        + chart_problems(page)
        + axe_violations(page)
        + focus_problems(page)
        + skip_link_problems(page)
    )


def _report(name: str, url: str, title: str, problems: list[str]) -> str:
    listing = "\n".join(f"  - {problem}" for problem in problems)
    return f"{name} ({url}, {title!r}): {len(problems)} problem(s)\n{listing}"


def check_page(page: Any, name: str) -> None:
    """Fail the test now, listing every problem on the page (see the module docstring)."""
    problems = page_problems(page, name)
    if problems:
        pytest.fail(_report(name, page.url, page.title(), problems), pytrace=False)


@dataclass
class PageChecks:
    """Checks each page a journey visits but lets the journey go on, so one run reports every
    page's problems together; call ``assert_clean()`` at the end of the test."""

    reports: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def check(self, page: Any, name: str) -> None:
        self.checked.append(name)
        problems = page_problems(page, name)
        if problems:
            self.reports.append(_report(name, page.url, page.title(), problems))

    def assert_clean(self) -> None:
        if self.reports:
            pages = f"{len(self.reports)} of {len(self.checked)} pages checked have problems"
            pytest.fail(pages + ":\n" + "\n".join(self.reports), pytrace=False)
