"""Pages anyone can open, and the error states of the sign-in forms, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.checks import check_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "name"),
    [("/", "home"), ("/register", "register"), ("/login", "sign-in"), ("/privacy", "privacy")],
)
def test_public_page_meets_the_checks(page: Any, path: str, name: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == 200
    check_page(page, name)
