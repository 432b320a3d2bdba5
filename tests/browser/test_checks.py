"""The page checks must catch the barriers they claim to: run them on a deliberately broken page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.checks import check_page

pytestmark = pytest.mark.browser

BROKEN_PAGE = """<!DOCTYPE html>
<html>
<head><title>Broken page – CertReady</title>
<style>
  a:focus, input:focus { outline: none; }
  .wide { width: 900px; }
</style></head>
<body>
  <a href="/">Home</a>
  <main id="maincontent">
    <h1>First heading</h1>
    <h1>Second heading</h1>
    <div class="nhsuk-error-summary"><ul><li><a href="#nowhere">Enter your email</a></li></ul></div>
    <input id="email" name="email" type="text">
    <span class="nhsuk-error-message" id="email-error">Enter your email</span>
    <img src="/static/nhsuk/assets/images/favicon.svg">
    <svg width="10" height="10"><rect width="10" height="10"/></svg>
    <svg role="img" aria-labelledby="no-such-id" width="10" height="10"><rect width="10" height="10"/></svg>
    <div class="wide">wide</div>
  </main>
</body>
</html>"""


def test_check_page_reports_each_kind_of_barrier(page: Any, live_server: Any) -> None:
    page.route(
        f"{live_server.url}/__broken",
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=BROKEN_PAGE),
    )
    page.goto("/__broken")

    with pytest.raises(pytest.fail.Exception) as failure:
        check_page(page, "self-test-broken-page")

    report = str(failure.value)
    assert report.count("svg chart without a text alternative") == 2, report
    for expected in (
        "axe html-has-lang",
        "axe image-alt",
        "2 <h1> elements",
        "not a skip link",
        "form field without a <label>",
        "#nowhere points at nothing",
        "does not start 'Error: '",
        "no visible focus indicator",
        "img without alt",
        "svg chart without a text alternative",
        "scrolls sideways",
    ):
        assert expected in report, f"{expected!r} missing from the report:\n{report}"


def test_a_title_may_name_only_one_page(page: Any, live_server: Any) -> None:
    page.goto("/privacy")
    title = page.title()
    page.route(
        f"{live_server.url}/__same-title",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=f"<html lang='en'><title>{title}</title><h1>x</h1></html>",
        ),
    )
    page.goto("/privacy")
    check_page(page, "self-test-privacy")
    page.goto("/__same-title")

    with pytest.raises(pytest.fail.Exception, match="is also the title of /privacy"):
        check_page(page, "self-test-same-title")
