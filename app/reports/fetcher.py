"""The only way WeasyPrint may read anything while it renders a report.

WeasyPrint fetches every URL it meets in HTML and CSS, so a report built from text that
participants and designers wrote could otherwise read local files or reach internal
hosts (server-side request forgery). This fetcher serves ``data:`` URIs, files under our
report static folder, and the pinned font files, and refuses everything else, including
redirects (a redirect never happens: no network request is ever made).

Importing this module imports WeasyPrint (about 0.4 s); ``renderer`` imports it lazily.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")
MAX_DATA_URI_CHARS = 2_000_000
"""Our charts are a few kilobytes; a huge data URI can only come from somewhere else."""


class RefusedURL(ValueError):
    """WeasyPrint asked for a URL the report may not read; it logs this and carries on."""


class StaticOnlyFetcher(URLFetcher):
    """Serve ``data:`` URIs and allow-listed local files; refuse and record everything else."""

    def __init__(self, roots: Iterable[Path], files: Iterable[Path] = ()) -> None:
        # allowed_protocols and allow_redirects are a second line of defence: fetch() below
        # never hands anything but data: to the parent class.
        super().__init__(timeout=2, allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
        self.roots = tuple(Path(root).resolve() for root in roots)
        self.files = frozenset(Path(file).resolve() for file in files)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        match = _SCHEME.match(url)
        scheme = match[1].lower() if match else ""
        if scheme == "data":
            if len(url) > MAX_DATA_URI_CHARS:
                return self._refuse(url, "data URI too large")
            self.served.append(url[:40])
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._allowed_path(url)
            if path is None:
                return self._refuse(url, "outside the report's static files")
            self.served.append(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
        return self._refuse(url, f"scheme {scheme or '(none)'!r} is not allowed")

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_file():
            return None
        if path in self.files or any(path.is_relative_to(root) for root in self.roots):
            return path
        return None

    def _refuse(self, url: str, reason: str) -> URLFetcherResponse:
        shown = url if len(url) <= 200 else url[:200] + "…"
        self.refused.append(url)
        logger.warning("report fetcher refused %s (%s)", shown, reason)
        raise RefusedURL(f"refused {shown}: {reason}")
