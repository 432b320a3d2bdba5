"""Server-side request forgery: the report never reads a file or URL it was not built to read.

A real HTTP server on 127.0.0.1 records every request, so "nothing was fetched" is
observed, not assumed.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.reports import renderer
from app.reports.fetcher import RefusedURL, StaticOnlyFetcher
from tests.app.reports.report_builders import framework, inputs


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"body { color: red }" if self.path.endswith(".css") else b"\x89PNG\r\n\x1a\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server; yields its base URL and the list of paths requested from it."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server.requests  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def _fetcher() -> StaticOnlyFetcher:
    return StaticOnlyFetcher(roots=[renderer.STATIC_DIR], files=renderer.FONT_FILES)


def test_canary_server_does_record_requests(canary):
    """Guards the tests below: an unfiltered fetch does reach the canary."""
    import urllib.request

    base, requests = canary
    urllib.request.urlopen(f"{base}/probe.png", timeout=5).read()
    assert requests == ["/probe.png"]


def test_hostile_evidence_fetches_nothing_and_prints_as_text(canary):
    base, requests = canary
    payloads = [
        '<img src="file:///etc/passwd">',
        f'<link rel="stylesheet" href="{base}/link.css">',
        f'<style>@import url("{base}/import.css");</style>',
        f"@import '{base}/bare-import.css';",
        f'<div style="background: url({base}/background.png)">x</div>',
        f'<svg><image href="{base}/svg-image.png"/></svg>',
        f'<object data="{base}/object.pdf"></object>',
    ]
    fw = framework(domains=2, per_domain=4)
    report_inputs = inputs(fw, evidence={c.id: p for (_, c), p in zip(fw.criteria(), payloads, strict=False)})
    spy = _fetcher()

    pdf = renderer.render_html(renderer.build_html(report_inputs), fetcher=spy)

    assert requests == []
    assert spy.refused == []  # escaped text never even reaches the fetcher
    assert all(url.startswith("data:image/svg+xml") for url in spy.served), spy.served
    text = _text(pdf)
    for payload in payloads:
        assert re.sub(r"\s+", "", payload) in text


def test_raw_html_urls_are_refused_by_the_fetcher(canary, caplog):
    """If markup ever slipped through escaping, the fetcher is the second wall."""
    base, requests = canary
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{base}/link.css">
      <style>@import url("{base}/import.css"); p {{ background: url({base}/bg.png) }}</style></head>
      <body><p>Text</p><img src="file:///etc/passwd" alt="x"><img src="{base}/img.png" alt="y">
      <img src="https://169.254.169.254/latest/meta-data/" alt="z"></body></html>"""
    spy = _fetcher()
    with caplog.at_level(logging.WARNING, logger="app.reports.fetcher"):
        pdf = renderer.render_html(html, fetcher=spy)

    assert pdf.startswith(b"%PDF")
    assert requests == []
    assert set(spy.refused) >= {
        "file:///etc/passwd",
        f"{base}/link.css",
        f"{base}/import.css",
        f"{base}/bg.png",
        f"{base}/img.png",
        "https://169.254.169.254/latest/meta-data/",
    }
    assert spy.served == []
    assert "report fetcher refused file:///etc/passwd" in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/urandom",
        "file://otherhost/etc/passwd",
        "http://127.0.0.1:1/x",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "gopher://127.0.0.1:70/x",
        "//example.org/x",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_anything_but_our_files_and_data(url):
    spy = _fetcher()
    with pytest.raises(RefusedURL):
        spy.fetch(url)
    assert spy.refused == [url]


def test_fetcher_refuses_escapes_from_the_static_folder(tmp_path: Path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "ok.css").write_text("p { color: black }")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    spy = StaticOnlyFetcher(roots=[root])

    assert spy.fetch((root / "ok.css").as_uri()).read() == b"p { color: black }"
    for url in (
        (root / ".." / "secret.txt").as_uri(),
        root.as_uri() + "/%2e%2e/secret.txt",
        (root / "link.txt").as_uri(),
        root.as_uri(),
    ):
        with pytest.raises(RefusedURL):
            spy.fetch(url)


def test_fetcher_serves_data_uris_and_pinned_fonts_only():
    spy = _fetcher()
    assert spy.fetch("data:text/plain,hello").read() == b"hello"
    font = spy.fetch(renderer.FONT_FILES[0].as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    sibling = renderer.FONT_DIR / "LiberationMono-Regular.ttf"
    with pytest.raises(RefusedURL):
        spy.fetch(sibling.as_uri())


def test_fetcher_refuses_oversized_data_uri():
    spy = _fetcher()
    with pytest.raises(RefusedURL, match="too large"):
        spy.fetch("data:text/plain," + "a" * 2_000_001)
