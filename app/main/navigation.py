"""Links to pages other blueprints own, found in the URL map so this layer never hard-fails on them.

The journey and designer blueprints are built in parallel; the layout links to them only once
their routes exist.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

# (link text, candidate endpoints in order of preference)
_ACCOUNT_LINKS = (
    ("Your assessments", ("journey.list_assessments",)),
    ("About you: your working pattern, background and equality answers", ("journey.show_profile",)),
    ("Start an assessment for another programme", ("journey.choose_programme",)),
)
_DESIGNER_ENDPOINTS = ("designer.index", "designer.dashboard", "designer.home")


def _first_url(endpoints: tuple[str, ...]) -> str | None:
    view_functions = current_app.view_functions
    for endpoint in endpoints:
        if endpoint in view_functions:
            try:
                return url_for(endpoint)
            except Exception:  # an endpoint that needs arguments is not a menu link
                continue
    return None


def _path_if_routed(path: str) -> str | None:
    return path if any(rule.rule == path for rule in current_app.url_map.iter_rules()) else None


def navigation_urls() -> dict[str, Any]:
    return {
        "nav_urls": {
            "assessments": _path_if_routed("/assessments/"),
            "designer": _first_url(_DESIGNER_ENDPOINTS) or _path_if_routed("/designer/"),
        }
    }


def account_links() -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for text, endpoints in _ACCOUNT_LINKS:
        url = _first_url(endpoints)
        if url and url not in {href for _, href in links}:
            links.append((text, url))
    return links
