"""Fonts: pinned files present, and WeasyPrint subsets them on HarfBuzz's fast path.

WeasyPrint 70 loads ``libharfbuzz-subset.so.0`` with cffi at import
(``weasyprint.text.ffi.harfbuzz_subset``, ``allow_fail=True``) and, per font, uses it when it
loaded and HarfBuzz is at least 4.1.0 (``weasyprint.pdf.fonts.Font.subset``); otherwise it
warns and falls back to fontTools, about 160 ms slower per report. Debian package:
libharfbuzz-subset0.
"""

from __future__ import annotations

import logging

from app.reports import renderer
from tests.app.reports.report_builders import framework, inputs


def test_pinned_font_files_are_installed():
    missing = [str(path) for path in renderer.FONT_FILES if not path.is_file()]
    assert missing == [], "install the Debian package fonts-liberation2 (scripts/install.sh does)"


def test_harfbuzz_subset_library_is_loaded():
    renderer.engine()
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None, "install the Debian package libharfbuzz-subset0"
    assert harfbuzz.hb_version_atleast(4, 1, 0)


def test_render_subsets_fonts_with_harfbuzz_not_fonttools(monkeypatch, caplog):
    renderer.engine()
    from weasyprint.pdf import fonts

    calls = {"harfbuzz": 0, "fonttools": 0}
    harfbuzz_subset = fonts.Font._harfbuzz_subset

    def spy_harfbuzz(self, *args, **kwargs):
        calls["harfbuzz"] += 1
        return harfbuzz_subset(self, *args, **kwargs)

    def spy_fonttools(self, *args, **kwargs):
        calls["fonttools"] += 1
        raise AssertionError("fell back to fontTools subsetting")

    monkeypatch.setattr(fonts.Font, "_harfbuzz_subset", spy_harfbuzz)
    monkeypatch.setattr(fonts.Font, "_fonttools_subset", spy_fonttools)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = renderer.render_report(inputs(framework(domains=2, per_domain=2)))

    assert pdf.startswith(b"%PDF")
    assert calls["fonttools"] == 0
    assert calls["harfbuzz"] >= 1
    assert "fontTools instead of HarfBuzz" not in caplog.text


def test_weasyprint_is_imported_lazily_and_the_engine_built_once():
    import subprocess
    import sys

    probe = (
        "import sys; import app.reports, app.reports.renderer as r; "
        "assert 'weasyprint' not in sys.modules, 'imported at start-up'; "
        "first = r.engine(); assert 'weasyprint' in sys.modules; "
        "assert r.engine() is first and first.font_config is r.engine().font_config; print('ok')"
    )
    root = renderer.TEMPLATE_DIR.parent.parent
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
