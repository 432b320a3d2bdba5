"""The inclusivity report and the equality impact assessment as PDF, through the readiness reports' pipeline.

Same WeasyPrint engine, pinned fonts and restrictive URL fetcher as ``app.reports.renderer``
(nothing outside our static files and ``data:`` URIs is ever read); only the template differs.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from app.reports import renderer


def render(template: str, **context: Any) -> bytes:
    """Render a designer template to a tagged PDF (PDF/UA-1) with the shared engine."""
    html = render_template(template, fonts_css=renderer._fonts_css(), **context)
    current = renderer.engine()
    with current.lock:
        document = current.weasyprint.HTML(
            string=html, base_url=renderer.STATIC_DIR.as_uri() + "/", url_fetcher=current.fetcher()
        )
        return document.write_pdf(font_config=current.font_config, **renderer.PDF_OPTIONS)
