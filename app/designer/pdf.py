"""The inclusivity report and the equality impact assessment as PDF, through the readiness reports' pipeline.

Same WeasyPrint engine, pinned fonts and restrictive URL fetcher as ``app.reports.renderer``
(nothing outside our static files and ``data:`` URIs is read); only the template differs.

The fonts' ``@font-face`` rules are parsed once per process into a stylesheet every render
shares, as the participant's report does: put inline in each document, they made WeasyPrint
register the 25 pinned font files again for every download.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import render_template

from app.reports import renderer

_fonts_lock = threading.Lock()
_fonts: Any = None


def fonts_stylesheet() -> Any:
    """The pinned fonts as a WeasyPrint stylesheet, parsed (and the fonts registered) once."""
    global _fonts
    if _fonts is None:
        with _fonts_lock:
            if _fonts is None:
                current = renderer.engine()
                _fonts = current.weasyprint.CSS(string=renderer._fonts_css(), font_config=current.font_config)
    return _fonts


def render(template: str, **context: Any) -> bytes:
    """Render a designer template to a tagged PDF (PDF/UA-1) with the shared engine."""
    html = render_template(template, fonts_css="", **context)
    current = renderer.engine()
    fonts = fonts_stylesheet()
    with current.lock:
        document = current.weasyprint.HTML(
            string=html, base_url=renderer.STATIC_DIR.as_uri() + "/", url_fetcher=current.fetcher()
        )
        written = document.write_pdf(
            font_config=current.font_config, stylesheets=[fonts], **renderer.PDF_OPTIONS
        )
    # The participant report's PDF/UA repairs: page numbers as artifacts, the XMP language.
    return renderer.finish_pdf(written)
