"""Consultation results as PDF, through the readiness reports' WeasyPrint pipeline.

The same engine, pinned fonts and restrictive URL fetcher as ``app.reports.renderer`` (nothing
but our static files and ``data:`` URIs is read, whatever text participants wrote), the same
PDF/UA-1 output; only the template differs. Mirrors ``app.designer.pdf``.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from app.reports import renderer


def render(template: str, **context: Any) -> bytes:
    html = render_template(template, fonts_css=renderer._fonts_css(), **context)
    current = renderer.engine()
    with current.lock:
        document = current.weasyprint.HTML(
            string=html, base_url=renderer.STATIC_DIR.as_uri() + "/", url_fetcher=current.fetcher()
        )
        return document.write_pdf(font_config=current.font_config, **renderer.PDF_OPTIONS)  # type: ignore[no-any-return]
