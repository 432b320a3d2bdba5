"""The NHS.UK frontend copy in app/static/nhsuk (made by scripts/install-frontend.sh) is complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[3] / "app" / "static"
NHSUK = STATIC / "nhsuk"


def test_frontend_is_installed_at_the_pinned_version():
    package = json.loads((STATIC.parents[1] / "package.json").read_text())
    assert package["dependencies"]["nhsuk-frontend"] == "10.6.1"
    assert (NHSUK / "VERSION").read_text().strip() == "10.6.1", "run: bash scripts/install-frontend.sh"


def test_every_url_in_the_css_is_local_and_exists():
    css = (NHSUK / "nhsuk-frontend.min.css").read_text(encoding="utf-8")
    urls = set(re.findall(r"url\(([^)]+)\)", css))
    assert urls, "the CSS references no assets at all?"
    remote = sorted(url for url in urls if "//" in url)
    assert remote == [], "the CSP allows only our own origin"
    missing = sorted(
        url for url in urls if not url.startswith("data:") and not (NHSUK / url.strip("'\"")).is_file()
    )
    assert missing == []


def test_layout_assets_exist(client):
    for path in (
        "/static/nhsuk/nhsuk-frontend.min.css",
        "/static/nhsuk/nhsuk-frontend.min.js",
        "/static/certready/init.js",
        "/static/nhsuk/assets/images/favicon.ico",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_init_script_is_a_module_importing_the_frontend(client):
    response = client.get("/static/certready/init.js")
    assert response.mimetype in ("text/javascript", "application/javascript")
    source = response.get_data(as_text=True)
    response.close()
    assert 'from "../nhsuk/nhsuk-frontend.min.js"' in source
    assert "initAll()" in source
